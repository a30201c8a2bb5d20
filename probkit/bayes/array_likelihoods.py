r"""Likelihoods given as numpy arrays, read and checked in bulk (numpy imported on use only).

:meth:`Distribution.update <probkit.bayes.Distribution.update>` takes an array aligned
with its values: a 1-D one holds one likelihood per value; a 2-D one has a row per value
and a column per observation, and each row stands for the product of its columns,

.. math::

    \log P(x_1, \dots, x_m \mid v_i) = \sum_j \log P(x_j \mid v_i),

summed in log space so that a thousand observations do not underflow. Float arrays are
checked in bulk (finite, non-negative); integer and bool arrays stay exact on an exact
distribution, as the same numbers given one by one would. For an update in floats,
:func:`log_likelihood_array` gives the logs as an array, which
:class:`~probkit.bayes.log_probabilities.LogProbabilities` adds to the prior's.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from probkit.errors import InputError, ProbabilityError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


class FloatLikelihood(float):
    """A float likelihood that also carries its log (so 1e-400 from a product survives)."""

    log: float

    def __new__(cls, log: float) -> FloatLikelihood:
        value = super().__new__(cls, math.exp(log) if log > -math.inf else 0.0)
        value.log = log
        return value


def array_likelihoods(array: Any, values: Sequence[Any], *,
                      max_bits: int | None = None) -> list[Any] | None:
    """The likelihoods ``array`` gives ``values`` (floats, Fractions or
    :class:`FloatLikelihood`), or ``None`` for a 1-D array the caller reads value by value
    (integers, bools, objects, or a bad float the caller names).

    Raises :class:`~probkit.errors.InputError` for a shape that does not fit the values, or
    integer rows whose exact products would take more than ``max_bits`` bits in all
    (refused from the sizes, before multiplying), and
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
        if max_bits is not None:
            _check_product_bits(table, max_bits)
        return [Fraction(_product(row)) for row in table.tolist()]
    if table.dtype.kind != "f":
        raise InputError(f"likelihood: an array of {table.dtype} (give floats, integers or "
                         "bools)", parameter="likelihood")
    return [FloatLikelihood(lg) for lg in _row_logs(table, values).tolist()]


def log_likelihood_array(likelihood: object, values: Sequence[Any], *, exact: bool
                         ) -> FloatArray | None:
    """The logs of the likelihoods a numpy array gives ``values``, checked in bulk, for an
    update in floats: one per value (1-D) or each row's sum over its columns (2-D).

    ``None`` when the caller reads the likelihood itself (:func:`array_likelihoods` or
    value by value): not an array (numpy is not even imported then), a shape that does not
    fit ``values``, integers or bools while the distribution is ``exact`` (they stay exact),
    or a 1-D array holding a negative or non-finite number (the caller names it). A bad
    number in a 2-D array raises :class:`~probkit.errors.ProbabilityError` here, naming the
    value and the observation.
    """
    np = sys.modules.get("numpy")
    if np is None or not hasattr(likelihood, "__array__"):
        return None
    table = np.asarray(likelihood)
    kinds = "f" if exact else "fbiu"
    if table.dtype.kind not in kinds or table.ndim not in (1, 2) or len(table) != len(values):
        return None
    if table.ndim == 2:
        return None if table.shape[1] == 0 else _row_logs(table, values)
    column = table.astype(np.float64, copy=False)
    low, high = float(column.min()), float(column.max())
    if not (low >= 0 and high < math.inf):  # a nan fails both
        return None
    with np.errstate(divide="ignore"):
        return np.log(column)


def _row_logs(table: Any, values: Sequence[Any]) -> FloatArray:
    """Each row's sum of logs of a 2-D array of numbers, after naming a bad one."""
    import numpy as np

    table = table.astype(np.float64, copy=False)
    with np.errstate(invalid="ignore"):
        _check_rows(table, values, np.isfinite(table) & (table >= 0))
    with np.errstate(divide="ignore"):
        logs: FloatArray = np.log(table).sum(axis=1)
    return logs


def _check_product_bits(table: Any, max_bits: int) -> None:
    """Refuse integer rows whose products would take more than ``max_bits`` bits in all (a
    row holding a 0 is 0)."""
    import numpy as np

    bits = np.floor(np.log2(np.maximum(table, 1).astype(np.float64))) + 1
    total = int(np.where((table == 0).any(axis=1), 0.0, bits.sum(axis=1)).sum())
    if total > max_bits:
        raise InputError(f"likelihood: the exact products of the integer rows would take about "
                         f"{total:,} bits (limit: {max_bits:,} bits); give floats "
                         "(.astype(float)) or update a float distribution (.to_float())",
                         parameter="likelihood")


def _product(row: list[int]) -> int:
    """The product of whole numbers multiplied in pairs (a balanced tree): one factor at a
    time costs the square of the result's length."""
    while len(row) > 1:
        row = [row[i] * row[i + 1] if i + 1 < len(row) else row[i]
               for i in range(0, len(row), 2)]
    return row[0] if row else 1


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


__all__ = ["FloatLikelihood", "array_likelihoods", "log_likelihood_array"]
