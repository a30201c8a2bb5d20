r"""Arithmetic on logs of probabilities (standard library; numpy only for arrays).

Products of many probabilities underflow a float long before they mean nothing
(:math:`10^{-400}` is a perfectly good likelihood); their logs do not. One home for
the three operations every log-space computation in probkit needs:

=========================  ===================================================
:func:`log_of`             :math:`\log x` of a probability or weight, ``-inf`` for 0;
                           a :class:`~fractions.Fraction` never passes through a float
:func:`sum_of_logs`        :math:`\sum_j \log x_j`, the log of a product (``-inf`` wins)
:func:`log_sum_exp`        :math:`\log \sum_k e^{\ell_k}`, the log of a sum, never overflowing
:func:`log_sum_exp_array`  the same along one axis of a numpy array
=========================  ===================================================

>>> from fractions import Fraction
>>> round(log_of(Fraction(1, 10**400)) / math.log(10), 9)
-400.0
>>> log_sum_exp([-1000.0, -1000.0]) == -1000.0 + math.log(2)
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def log_of(value: Fraction | float | int) -> float:
    """Natural log of a non-negative number, ``-inf`` for 0; rationals never pass through float.

    >>> log_of(0), log_of(1)
    (-inf, 0.0)
    """
    if value == 0:
        return -math.inf
    if isinstance(value, Fraction):
        return math.log(value.numerator) - math.log(value.denominator)
    return math.log(value)


def sum_of_logs(logs: Iterable[float]) -> float:
    """:math:`\\sum_j \\ell_j` with ``math.fsum``: the log of a product of probabilities.

    >>> sum_of_logs([math.log(0.5), -math.inf])
    -inf
    """
    values = list(logs)
    return -math.inf if -math.inf in values else math.fsum(values)


def log_sum_exp(logs: Sequence[float]) -> float:
    r""":math:`\log \sum_k e^{\ell_k}` without overflow or underflow (``-inf`` when empty of mass).

    >>> log_sum_exp([-math.inf, -math.inf])
    -inf
    """
    top = max(logs)
    if top == -math.inf:
        return -math.inf
    return top + math.log(math.fsum(math.exp(v - top) for v in logs))


def log_sum_exp_array(values: npt.ArrayLike, axis: int = -1) -> npt.NDArray[np.float64]:
    r""":math:`\log \sum e^{x}` along ``axis`` of an array: exact at ``-inf`` (no mass).

    >>> import numpy as np
    >>> float(log_sum_exp_array([-1000.0, -1000.0])) == -1000.0 + float(np.log(2.0))
    True
    >>> float(log_sum_exp_array([-np.inf, -np.inf]))
    -inf
    """
    import numpy as np

    x = np.asarray(values, dtype=np.float64)
    top = np.max(x, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        total = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return np.asarray(np.squeeze(total, axis=axis))


__all__ = ["log_of", "log_sum_exp", "log_sum_exp_array", "sum_of_logs"]
