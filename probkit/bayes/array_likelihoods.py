r"""Likelihoods given as numpy arrays, read and checked in bulk (numpy imported on use only).

:meth:`Distribution.update <probkit.bayes.Distribution.update>` takes an array aligned
with its values: a 1-D one holds one likelihood per value; a 2-D one has a row per value
and a column per observation, and each row stands for the product of its columns,

.. math::

    \log P(x_1, \dots, x_m \mid v_i) = \sum_j \log P(x_j \mid v_i),

summed in log space so that a thousand observations do not underflow. Float arrays are
checked in bulk (finite, non-negative); integer and bool arrays stay exact, as the same
numbers given one by one would.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from probkit.errors import InputError, ProbabilityError


class FloatLikelihood(float):
    """A float likelihood that also carries its log (so 1e-400 from a product survives)."""

    log: float

    def __new__(cls, log: float) -> FloatLikelihood:
        value = super().__new__(cls, math.exp(log) if log > -math.inf else 0.0)
        value.log = log
        return value


def array_likelihoods(array: Any, values: Sequence[Any]) -> list[Any] | None:
    """The likelihoods ``array`` gives ``values`` (floats, Fractions or
    :class:`FloatLikelihood`), or ``None`` for a 1-D array the caller reads value by value
    (integers, bools, objects, or a bad float the caller names).

    Raises :class:`~probkit.errors.InputError` for a shape that does not fit the values and
    :class:`~probkit.errors.ProbabilityError` for a bad number in a 2-D array, naming the
    value and the observation.
    """
    import numpy as np

    table = np.asarray(array)
    n = len(values)
    if table.ndim == 1:
        if table.dtype.kind != "f" or len(table) != n:
            return None
        with np.errstate(invalid="ignore"):
            good = bool((table >= 0).all() and np.isfinite(table).all())
        return table.tolist() if good else None
    if table.ndim != 2 or table.shape[0] != n:
        raise InputError(f"likelihood: an array of shape {table.shape} for {n:,} values (give "
                         "one row per value, in the order of .values, and one column per "
                         "observation)", parameter="likelihood")
    if table.shape[1] == 0:
        raise InputError("likelihood: the array has no observations (no columns)",
                         parameter="likelihood")
    if table.dtype.kind in "biu":  # exact: each row's product of integers
        _check_rows(table, values, table >= 0)
        return [Fraction(math.prod(row)) for row in table.tolist()]
    if table.dtype.kind != "f":
        raise InputError(f"likelihood: an array of {table.dtype} (give floats, integers or "
                         "bools)", parameter="likelihood")
    table = table.astype(np.float64, copy=False)
    with np.errstate(invalid="ignore"):
        _check_rows(table, values, np.isfinite(table) & (table >= 0))
    with np.errstate(divide="ignore"):
        logs = np.log(table).sum(axis=1)
    return [FloatLikelihood(lg) for lg in logs.tolist()]


def _check_rows(table: Any, values: Sequence[Any], good: Any) -> None:
    """Name the first bad number of a 2-D likelihood array (``good`` marks the others)."""
    import numpy as np

    if good.all():
        return
    i, j = (int(k) for k in np.argwhere(~good)[0])
    number = table[i, j].item()
    problem = "is negative" if number < 0 else "is not a finite number"
    raise ProbabilityError(f"likelihood of {values[i]!r} (observation {j + 1}): {number!r} "
                           f"{problem}", parameter="likelihood")


__all__ = ["FloatLikelihood", "array_likelihoods"]
