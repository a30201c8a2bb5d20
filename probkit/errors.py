"""The probkit exception family.

Every error that bad input or a failed computation can cause is a
:class:`ProbkitError`. Errors caused by the values a user gave also subclass
:class:`ValueError` (through :class:`InputError`), so ordinary Python code that
catches ``ValueError`` keeps working.

The command line maps :class:`InputError` to exit code 2 (a usage error) and
every other :class:`ProbkitError` to exit code 1 (a runtime failure), each as a
one-line ``error: ...`` message on stderr. The exit code lives on the class
(``exit_code``), so new subclasses choose theirs in one place.

=============================  ====  ==========================================
class                          exit  raised when
=============================  ====  ==========================================
``ProbkitError``               1     base class; a runtime failure
``InputError``                 2     base for bad input (also ``ValueError``)
``NumberFormatError``          2     a number cannot be parsed, or is nan/inf
``ProbabilityError``           2     a probability outside [0, 1], priors that
                                     do not sum to 1, or weights that cannot
                                     be normalized
``HypothesisError``            2     unknown, duplicate or missing hypotheses,
                                     mismatched observation counts
``ImpossibleEvidenceError``    2     the evidence has probability 0 under
                                     every hypothesis
``DataError``                  2     a data file is missing or malformed
``ModelFileError``             2     a model file is missing, unknown or bad
``NonNumericError``            2     an array holds values that are not numbers
                                     (also ``TypeError``)
``NotFittedError``             2     an estimator is used before ``fit`` (also
                                     ``AttributeError``, as scikit-learn's is)
``MissingExtraError``          1     an optional extra (plot, image, dask) is
                                     not installed (also ``ImportError``)
``ComputationError``           1     a computation failed (e.g. no accepted
                                     Monte Carlo draws, a failed check)
=============================  ====  ==========================================
"""

from __future__ import annotations

import functools
import sys
from typing import TypeVar, cast

_T = TypeVar("_T", bound=type)


class ProbkitError(Exception):
    """Base class of every error probkit raises on purpose."""

    exit_code: int = 1


class InputError(ProbkitError, ValueError):
    """A value the user gave is not acceptable; the message names it.

    ``parameter`` names the library parameter the value was given to (``"l2"``,
    ``"max_iter"``...), when there is one; the command line maps it to the option
    the user typed (``--l2``, ``--iterations``) in one table.

    >>> err = InputError("max_iter must be an integer >= 0; got -1", parameter="max_iter")
    >>> err.parameter, str(err)
    ('max_iter', 'max_iter must be an integer >= 0; got -1')
    """

    exit_code = 2

    def __init__(self, *args: object, parameter: str | None = None) -> None:
        super().__init__(*args)
        self.parameter = parameter


class NumberFormatError(InputError):
    """A number could not be parsed, or is not finite (``nan``, ``inf``, ``1/0``)."""


class ProbabilityError(InputError):
    """A probability lies outside [0, 1], or priors do not sum to 1."""


class HypothesisError(InputError):
    """Hypotheses are unknown, duplicated, missing, or have mismatched observations."""


class ImpossibleEvidenceError(InputError):
    """The evidence has probability zero under every hypothesis: P(E) = 0."""


class DataError(InputError):
    """A data file is missing, unreadable or not in the expected format."""


class ModelFileError(InputError):
    """A model file is missing, of an unknown version, incomplete, or unsafe."""


class NonNumericError(InputError, TypeError):
    """An array holds values that are not numbers (also ``TypeError``, as numpy's is)."""


class NotFittedError(InputError, AttributeError):
    """An estimator was asked to predict or transform before it was fitted.

    Like scikit-learn's ``NotFittedError`` it is both a ``ValueError`` and an
    ``AttributeError``, so code written for scikit-learn estimators catches it.
    """


class MissingExtraError(ProbkitError, ImportError):
    """An optional dependency (an extra such as ``plot``) is not installed."""

    def __init__(self, extra: str, package: str, feature: str) -> None:
        self.extra = extra
        self.package = package
        super().__init__(
            f"{feature} needs {package}, which is not installed; "
            f"install it with: pip install 'probkit[{extra}]'"
        )


class ComputationError(ProbkitError):
    """A computation could not produce an answer (e.g. no accepted draws)."""


class DataConversionWarning(UserWarning):
    """Input was converted to the expected form (e.g. a column-vector ``y`` flattened);
    named like scikit-learn's warning for the same thing."""


def with_sklearn_twin(cls: _T) -> _T:
    """``cls``, or, where scikit-learn is already loaded, a subclass of ``cls`` that is also
    scikit-learn's class of the same name in ``sklearn.exceptions``.

    probkit never imports scikit-learn; but code written for scikit-learn estimators
    (``except sklearn.exceptions.NotFittedError``, warning filters on its
    ``DataConversionWarning``) then works with probkit's estimators too.

    >>> with_sklearn_twin(NotFittedError) is NotFittedError or "sklearn" in sys.modules
    True
    """
    module = sys.modules.get("sklearn.exceptions")
    twin = getattr(module, cls.__name__, None) if module is not None else None
    if not isinstance(twin, type) or issubclass(cls, twin):
        return cls
    return cast(_T, _combined(cast(type, cls), twin))


@functools.cache
def _combined(cls: type, twin: type) -> type:
    return type(cls.__name__, (cls, twin), {"__module__": cls.__module__, "__doc__": cls.__doc__})


__all__ = [
    "ComputationError",
    "DataConversionWarning",
    "DataError",
    "HypothesisError",
    "ImpossibleEvidenceError",
    "InputError",
    "MissingExtraError",
    "ModelFileError",
    "NonNumericError",
    "NotFittedError",
    "NumberFormatError",
    "ProbabilityError",
    "ProbkitError",
    "with_sklearn_twin",
]
