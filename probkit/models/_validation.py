"""Checks shared by the estimators: one constraints table per class, array checks."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit._arrays import check_labels as _check_labels
from probkit.errors import InputError

# A constraint returns None when the value is acceptable, else a phrase saying what it must be.
Constraint = Callable[[Any], str | None]


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def nonnegative_real(value: Any) -> str | None:
    """A finite real number >= 0."""
    if _is_real(value) and math.isfinite(float(value)) and float(value) >= 0:
        return None
    return "a finite number >= 0"


def positive_real(value: Any) -> str | None:
    """A finite real number > 0."""
    if _is_real(value) and math.isfinite(float(value)) and float(value) > 0:
        return None
    return "a finite number > 0"


def positive_int(value: Any) -> str | None:
    """An integer >= 1."""
    if _is_int(value) and int(value) >= 1:
        return None
    return "an integer >= 1"


def nonnegative_int(value: Any) -> str | None:
    """An integer >= 0."""
    if _is_int(value) and int(value) >= 0:
        return None
    return "an integer >= 0"


def seed(value: Any) -> str | None:
    """None or an integer >= 0 (the seed of ``numpy.random.default_rng``)."""
    if value is None or (_is_int(value) and int(value) >= 0):
        return None
    return "None or an integer >= 0"


def one_of(*choices: str) -> Constraint:
    """One of the given strings."""

    def check(value: Any) -> str | None:
        if isinstance(value, str) and value in choices:
            return None
        return "one of " + ", ".join(repr(c) for c in choices)

    return check


def validate_hyperparameters(
    owner: str, constraints: Mapping[str, Constraint], values: Mapping[str, Any]
) -> None:
    """Raise :class:`InputError` naming the first hyperparameter that breaks its constraint."""
    for name, check in constraints.items():
        problem = check(values[name])
        if problem is not None:
            raise InputError(f"{owner}: {name}={values[name]!r} is invalid; it must be {problem}",
                             parameter=name)


def check_features(X: Any, *, what: str = "X") -> NDArray[np.float64]:
    """Return ``X`` as a C-contiguous float64 (n_samples, n_features) array of finite values."""
    try:
        array = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be a numeric array: {exc}") from None
    if array.ndim != 2:
        raise InputError(
            f"{what} must be 2-D (n_samples, n_features); got shape {array.shape}"
        )
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise InputError(f"{what} must have at least one sample and one feature; "
                         f"got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise InputError(f"{what} contains nan or inf values")
    return np.ascontiguousarray(array)


def check_labels(y: Any, n_samples: int, *, what: str = "y") -> NDArray[np.float64]:
    """Return 0/1 labels as a float64 (n_samples,) array (:func:`probkit._arrays.check_labels`)."""
    return _check_labels(y, n_samples, what=what)


__all__ = [
    "Constraint",
    "check_features",
    "check_labels",
    "nonnegative_int",
    "nonnegative_real",
    "one_of",
    "positive_int",
    "positive_real",
    "seed",
    "validate_hyperparameters",
]
