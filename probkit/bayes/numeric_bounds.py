r"""Refusing a numeric problem from its sizes, before any likelihood is computed.

A problem costs its hypotheses times its observations in likelihoods (at most
:data:`MAX_WORK`), and in exact arithmetic the digits of its common denominator, which
:func:`check_exact_estimate` bounds from the family, the values and the data alone. Standard
library only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from probkit.bayes.exact import check_exact_bits, exact_bit_limit, lcm_bits
from probkit.bayes.families import MAX_TRIALS, Datum, Family
from probkit.bayes.grid import Unknown
from probkit.errors import InputError

MAX_WORK = 2_000_000
"""Most likelihood values (hypotheses × observations) one problem may need."""


def grid_size(unknowns: Sequence[Unknown]) -> int:
    """Hypotheses in the grid of ``unknowns`` (the product of their value counts)."""
    return math.prod(len(u.values) for u in unknowns)


def check_work(family: Family, size: int, data: Sequence[Datum], what: str) -> None:
    """Refuse more than :data:`MAX_WORK` likelihoods, or too many exact trials."""
    work = size * len(data)
    if work > MAX_WORK:
        raise InputError(f"{size:,} hypotheses × {len(data):,} observations = {work:,} "
                         f"likelihoods; at most {MAX_WORK:,} are allowed (summarize the data, "
                         "e.g. binomial k/n instead of single trials)")
    if family.exact and family.name in ("binomial", "geometric"):
        trials = sum(d[1] if isinstance(d, tuple) else int(d) for d in data)
        if trials > MAX_TRIALS:
            raise InputError(f"{what}: {trials:,} trials in all; exact arithmetic allows at "
                             f"most {MAX_TRIALS:,}")


def check_exact_estimate(family: Family, unknowns: Sequence[Unknown],
                          data: Sequence[Datum]) -> None:
    """Refuse an exact problem whose numbers would grow too long, from the sizes alone.

    The common denominator of the prior has the bits of the lcm of the weights'
    denominators; each observation multiplies it by about the lcm of its likelihoods'
    denominators: :math:`b^{n}` for ``binomial`` ``k/n`` at values :math:`a/b` (``n = 1``
    for ``bernoulli``, ``k`` for ``geometric``), :math:`N` for ``uniform``,
    :math:`\binom{M}{n}` for ``hypergeometric``. Each lcm stops once past the limit, so
    this costs milliseconds where the exact update would have taken minutes.
    """
    size = grid_size(unknowns)
    limit = exact_bit_limit(size)
    bits = sum(lcm_bits({w.denominator for w in u.weights if isinstance(w, Fraction)}, limit)
               for u in unknowns)
    values = unknowns[0].values
    value_bits = lcm_bits({v.denominator for u in unknowns for v in u.values}, limit)
    for datum in data:
        if bits > limit:
            break
        if family.name == "uniform":
            if len(unknowns) == 1:
                widths = {int(v) for v in values if isinstance(datum, int) and v >= datum}
            else:
                widths = {int(h - lo) + 1 for lo in unknowns[0].values
                          for h in unknowns[1].values if h >= lo}
            bits += lcm_bits(widths, limit)
        elif family.name == "formula":
            continue  # a formula's values are bounded as it is evaluated
        elif family.name == "hypergeometric":
            assert isinstance(datum, tuple) and family.population is not None
            bits += math.comb(family.population, datum[1]).bit_length()
        elif family.name == "binomial":
            assert isinstance(datum, tuple)
            bits += value_bits * datum[1]
        elif family.name == "geometric":
            assert isinstance(datum, int)
            bits += value_bits * datum
        else:  # bernoulli
            bits += value_bits
    check_exact_bits(min(bits, limit + 1), len(data), size, at_least=bits > limit)


__all__ = ["MAX_WORK", "check_exact_estimate", "check_work", "grid_size"]
