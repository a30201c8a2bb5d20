"""The checks of array arguments shared by models, metrics and calibration (numpy).

One definition per check, so the same bad input raises the same exception
everywhere: :class:`~probkit.errors.DataError` (a subclass of
:class:`~probkit.errors.InputError`) naming the parameter.

>>> check_labels([0, 1, 1]).tolist()
[0.0, 1.0, 1.0]
>>> check_labels([0, 2])
Traceback (most recent call last):
...
probkit.errors.DataError: y must hold only 0 and 1; found 2
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit.errors import DataError, InputError


def check_labels(y: Any, n_samples: int | None = None, *, what: str = "y",
                 n_what: str = "X has {n} samples") -> NDArray[np.float64]:
    """0/1 labels as a float64 (n,) array; anything else raises DataError naming ``what``."""
    array = np.asarray(y)
    if array.ndim != 1:
        raise DataError(f"{what} must be 1-D (n_samples,); got shape {array.shape}",
                        parameter=what)
    if n_samples is not None and array.shape[0] != n_samples:
        raise DataError(f"{what} has {array.shape[0]} labels but {n_what.format(n=n_samples)}",
                        parameter=what)
    if array.dtype.kind not in "biuf":
        raise DataError(f"{what} must hold the numbers 0 and 1; got dtype {array.dtype}",
                        parameter=what)
    values = array.astype(np.float64)
    bad = ~((values == 0.0) | (values == 1.0))
    if np.any(bad):
        first = array[np.argmax(bad)].item()
        raise DataError(f"{what} must hold only 0 and 1; found {first!r}", parameter=what)
    return values


def check_probabilities(p: Any, n: int, *, what: str = "p_cat") -> NDArray[np.float64]:
    """Probabilities as a float64 (n,) array, each finite and in [0, 1]."""
    try:
        array = np.asarray(p, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{what} must be numbers: {exc}", parameter=what) from None
    if array.shape != (n,):
        raise DataError(f"{what} must have shape ({n},) like the labels; got {array.shape}",
                        parameter=what)
    if not np.all(np.isfinite(array) & (array >= 0) & (array <= 1)):
        raise DataError(f"{what}: probabilities must be finite and lie in [0, 1]",
                        parameter=what)
    return array


def check_seed(seed: object, parameter: str = "seed") -> int:
    """``seed`` as a non-negative integer (Python or numpy), else :class:`InputError` naming it.

    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: seed must be an integer >= 0; got -1
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"{parameter} must be an integer >= 0; got {seed!r}",
                         parameter=parameter)
    return int(seed)


__all__ = ["check_labels", "check_probabilities", "check_seed"]
