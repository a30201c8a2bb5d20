"""The estimator contract shared by probkit's models and feature transformers.

A probkit estimator follows scikit-learn's conventions without depending on it:

* hyperparameters are keyword-only ``__init__`` arguments, stored as given, and listed
  in one constraints table, ``_constraints`` (name -> check), which also orders them;
* :meth:`Estimator.get_params` / :meth:`Estimator.set_params` work like scikit-learn's,
  nested ``outer__inner`` names included, so ``sklearn.base.clone``, ``GridSearchCV``
  and ``Pipeline`` can drive them;
* validation happens in ``fit``, from the constraints table;
* ``__sklearn_tags__`` describes the estimator to scikit-learn; it imports
  scikit-learn only when scikit-learn itself asks, so probkit never needs it.

>>> class Scale(Estimator):
...     _constraints = {"factor": lambda v: None if v > 0 else "a number > 0"}
...     def __init__(self, *, factor=1.0):
...         self.factor = factor
>>> Scale(factor=2.0).set_params(factor=3.0)
Scale(factor=3.0)
>>> Scale(factor=-1.0)._validate_hyperparameters()
Traceback (most recent call last):
...
probkit.errors.InputError: Scale: factor=-1.0 is invalid; it must be a number > 0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from probkit.errors import InputError, NotFittedError, with_sklearn_twin

# A constraint returns None when the value is acceptable, else a phrase saying what it must be.
Constraint = Callable[[Any], str | None]


def one_of(*choices: str) -> Constraint:
    """A constraint: one of the given strings.

    >>> one_of("hsv", "rgb")("lab")
    "one of 'hsv', 'rgb'"
    """

    def check(value: Any) -> str | None:
        if isinstance(value, str) and value in choices:
            return None
        return "one of " + ", ".join(repr(c) for c in choices)

    return check


class Estimator:
    """Base class: hyperparameters from one constraints table, scikit-learn's protocol."""

    _constraints: ClassVar[dict[str, Constraint]] = {}

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters as given to ``__init__``; with ``deep``, those of nested
        estimators too, as ``name__inner`` (a tuple of estimators by position:
        ``name__0``, ``name__0__inner``)."""
        params: dict[str, Any] = {}
        for name in self._constraints:
            value = getattr(self, name)
            params[name] = value
            if not deep:
                continue
            if _is_estimator(value):
                params.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            elif _is_estimator_tuple(value):
                for i, part in enumerate(value):
                    params[f"{name}__{i}"] = part
                    params.update((f"{name}__{i}__{k}", v) for k, v in part.get_params().items())
        return params

    def set_params(self, **params: Any) -> Any:
        """Set hyperparameters by name (``inner__name`` for nested ones); returns self.

        Unknown names raise :class:`~probkit.errors.InputError`; values are checked by
        ``fit``, as scikit-learn does.
        """
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, inner = key.partition("__")
            if name not in self._constraints:
                raise InputError(f"{type(self).__name__} has no hyperparameter {name!r}; it "
                                 f"has {', '.join(self._constraints)}")
            if inner:
                nested.setdefault(name, {})[inner] = value
            else:
                setattr(self, name, value)
        for name, inner_params in nested.items():
            value = getattr(self, name)
            if _is_estimator(value):
                value.set_params(**inner_params)
            elif _is_estimator_tuple(value):
                setattr(self, name, _set_tuple_params(type(self).__name__, name, value,
                                                      inner_params))
            else:
                raise InputError(f"{type(self).__name__}: {name}={value!r} holds no "
                                 f"estimator, so it has no parameter "
                                 f"{name}__{next(iter(inner_params))}", parameter=name)
        return self

    def clone(self) -> Any:
        """A new, unfitted estimator with the same hyperparameters (nested estimators
        cloned too, as ``sklearn.base.clone`` does)."""
        return type(self)(**{k: _clone_value(v) for k, v in self.get_params(deep=False).items()})

    def _validate_hyperparameters(self) -> None:
        """Raise :class:`InputError` naming the first hyperparameter that breaks its
        constraint (what ``fit`` does first)."""
        values = self.get_params(deep=False)
        for name, check in self._constraints.items():
            problem = check(values[name])
            if problem is not None:
                raise InputError(f"{type(self).__name__}: {name}={values[name]!r} is invalid; "
                                 f"it must be {problem}", parameter=name)

    def check_fitted(self, attribute: str) -> None:
        """Raise :class:`~probkit.errors.NotFittedError` unless ``attribute`` was learned."""
        if not hasattr(self, attribute):
            raise with_sklearn_twin(NotFittedError)(
                f"this {type(self).__name__} is not fitted yet; call fit first")

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params(deep=False).items())
        return f"{type(self).__name__}({args})"

    def _sklearn_tags(self, estimator_type: str | None) -> Any:
        """scikit-learn's ``Tags`` for a dense, finite, 2-D-input estimator."""
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(estimator_type=estimator_type,
                    target_tags=TargetTags(required=estimator_type == "classifier"),
                    input_tags=InputTags(two_d_array=True, sparse=False, allow_nan=False))


def _is_estimator(value: Any) -> bool:
    return hasattr(value, "get_params") and not isinstance(value, type)


def _is_estimator_tuple(value: Any) -> bool:
    return isinstance(value, tuple | list) and len(value) > 0 and all(map(_is_estimator, value))


def _clone_value(value: Any) -> Any:
    if isinstance(value, Estimator):
        return value.clone()
    if _is_estimator_tuple(value):
        return type(value)(_clone_value(v) for v in value)
    return value


def _set_tuple_params(owner: str, name: str, parts: Any, params: dict[str, Any]) -> Any:
    """``parts`` (a tuple or list of estimators) with ``params`` (``"0"``, ``"0__inner"``,
    ...) set: a whole part replaced by position, or a part's own parameter set."""
    new = list(parts)
    for key, value in params.items():
        index, _, inner = key.partition("__")
        if not (index.isdigit() and int(index) < len(new)):
            raise InputError(f"{owner}: {name} holds {len(new)} estimators (positions 0 to "
                             f"{len(new) - 1}); there is no {name}__{key}", parameter=name)
        if inner:
            new[int(index)].set_params(**{inner: value})
        else:
            new[int(index)] = value
    return type(parts)(new)


__all__ = ["Constraint", "Estimator", "one_of"]
