"""Checks shared by the estimators: one constraints table per class, array checks."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit._arrays import check_labels as _check_labels
from probkit._estimator import Constraint, one_of
from probkit.errors import DataConversionWarning, InputError, NonNumericError, with_sklearn_twin


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


def check_features(X: Any, *, what: str = "X") -> NDArray[np.float64]:
    """Return ``X`` as a C-contiguous float64 (n_samples, n_features) array of finite values.

    Sparse matrices and complex numbers are refused by name (numpy would silently make a
    sparse matrix a 0-d object array and drop the imaginary parts); values that are not
    numbers raise :class:`~probkit.errors.NonNumericError` (also a ``TypeError``).

    >>> check_features([1.0, 2.0])
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: X must be 2-D (n_samples, n_features); got shape (2,). Reshape \
your data: X.reshape(-1, 1) for one feature, X.reshape(1, -1) for one sample
    """
    if hasattr(X, "toarray") and hasattr(X, "nnz"):
        raise InputError(f"{what} is a sparse matrix ({type(X).__name__}); probkit's models "
                         f"need dense arrays: pass {what}.toarray()")
    try:
        array = np.asarray(X)
        if array.dtype.kind == "c":
            raise InputError(f"Complex data not supported: {what} holds complex numbers")
        array = array.astype(np.float64, copy=False)
    except TypeError as exc:  # e.g. a dict or a complex number inside an object array
        raise NonNumericError(f"{what} must hold numbers: {exc}") from None
    except ValueError as exc:  # e.g. the string "abc", or ragged rows
        raise InputError(f"{what} must be a numeric array: {exc}") from None
    if array.ndim != 2:
        raise InputError(
            f"{what} must be 2-D (n_samples, n_features); got shape {array.shape}. Reshape "
            f"your data: {what}.reshape(-1, 1) for one feature, {what}.reshape(1, -1) for "
            "one sample"
        )
    for axis, noun in ((0, "sample"), (1, "feature")):
        if array.shape[axis] < 1:
            raise InputError(f"{what} has 0 {noun}(s) (shape={array.shape}) while a minimum "
                             "of 1 is required.")
    if not np.all(np.isfinite(array)):
        raise InputError(f"{what} contains nan or inf values")
    return np.ascontiguousarray(array)


def encode_binary_labels(y: Any, n_samples: int, *, what: str = "y"
                         ) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """The two class labels of ``y`` (sorted) and ``y`` coded 0/1 as floats.

    Any two labels work (0/1, -1/1, ``"cat"``/``"dog"``); the second sorted label is
    class 1. One label, more than two, or continuous targets are refused.

    >>> classes, coded = encode_binary_labels(["dog", "cat", "dog"], 3)
    >>> classes.tolist(), coded.tolist()
    (['cat', 'dog'], [1.0, 0.0, 1.0])
    """
    if y is None:
        raise InputError(f"this classifier requires y to be passed, but the target {what} is "
                         "None")
    array = np.asarray(y)
    if array.ndim == 2 and array.shape[1] == 1:
        warnings.warn(f"A column-vector y was passed when a 1d array was expected: {what} has "
                      f"shape {array.shape}; it is read as shape ({array.shape[0]},)",
                      with_sklearn_twin(DataConversionWarning), stacklevel=3)
        array = array.ravel()
    if array.ndim != 1:
        raise InputError(f"{what} should be a 1d array (n_samples,); got shape {array.shape}")
    if array.shape[0] != n_samples:
        raise InputError(f"{what} has {array.shape[0]} labels but X has {n_samples} samples")
    if np.iscomplexobj(array):
        raise InputError(f"Complex data not supported: {what} holds complex numbers")
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)):
            raise InputError(f"{what} contains nan or inf values")
        if not np.all(array == np.round(array)):
            raise InputError(f"Unknown label type: {what} holds continuous values such as "
                             f"{array[array != np.round(array)][0]!r}; a classifier needs "
                             "class labels")
    try:
        classes, coded = np.unique(array, return_inverse=True)
    except TypeError as exc:  # e.g. a mix of str and int objects
        raise InputError(f"{what} labels cannot be compared: {exc}") from None
    if classes.shape[0] != 2:
        found = ", ".join(repr(c) for c in classes[:5].tolist())
        raise InputError(f"Only binary classification is supported. {what} must hold exactly "
                         "two classes; it "
                         f"holds {classes.shape[0]} class{'es' if classes.shape[0] != 1 else ''}"
                         f" ({found})")
    return classes, coded.astype(np.float64).reshape(-1)


def check_labels(y: Any, n_samples: int, *, what: str = "y") -> NDArray[np.float64]:
    """Return 0/1 labels as a float64 (n_samples,) array (:func:`probkit._arrays.check_labels`)."""
    return _check_labels(y, n_samples, what=what)


__all__ = [
    "Constraint",
    "check_features",
    "check_labels",
    "encode_binary_labels",
    "nonnegative_int",
    "nonnegative_real",
    "one_of",
    "positive_int",
    "positive_real",
    "seed",
]
