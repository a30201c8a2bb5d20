"""One or two named unknowns and the grid of their joint values (standard library only).

With two unknowns every pair of values is a hypothesis; the joint prior is
the product of the unknowns' priors, and a marginal posterior sums the joint
posterior over the other unknown.

>>> from fractions import Fraction as F
>>> mu = Unknown("mu", (F(0), F(1)), (F(1), F(1)), "0..1", "uniform")
>>> sigma = Unknown("sigma", (F(1), F(2), F(3)), (F(1), F(1), F(1)), "1..3", "uniform")
>>> cells((mu, sigma))[:2]
[(Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(2, 1))]
>>> marginal((mu, sigma), [F(1, 6)] * 6, 1)
[Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from probkit.bayes.summaries import exact_sum
from probkit.bayes.values import MAX_VALUES
from probkit.errors import InputError
from probkit.numbers import Number

MAX_UNKNOWNS = 2


@dataclass(frozen=True)
class Unknown:
    """A named unknown: its sorted values, their prior weights, and the texts they came from."""

    name: str
    values: tuple[Fraction, ...]
    weights: tuple[Number, ...]
    spec: str
    prior: str


def check_unknown_count(count: int) -> None:
    """One or two unknowns (checked before the family's own count, whose message would
    suggest that a different family could take three)."""
    if not 1 <= count <= MAX_UNKNOWNS:
        raise InputError(f"{count} unknowns: give one or two (values: one per name)",
                         parameter="values")


def check_grid(unknowns: Sequence[Unknown]) -> None:
    """At most two unknowns, distinct names, at most :data:`MAX_VALUES` cells."""
    check_unknown_count(len(unknowns))
    names = [u.name for u in unknowns]
    if len(set(names)) != len(names):
        raise InputError(f"the unknown {names[0]!r} is given twice")
    size = math.prod(len(u.values) for u in unknowns)
    if size > MAX_VALUES:
        detail = " × ".join(f"{len(u.values):,}" for u in unknowns)
        raise InputError(f"the grid has {detail} = {size:,} cells; at most {MAX_VALUES:,} "
                         "are allowed")


def cells(unknowns: Sequence[Unknown]) -> list[tuple[Fraction, ...]]:
    """Every combination of values, the first unknown varying slowest."""
    return list(itertools.product(*(u.values for u in unknowns)))


def joint_weights(unknowns: Sequence[Unknown]) -> list[Number]:
    """Product of the unknowns' prior weights, cell by cell (same order as :func:`cells`)."""
    return [math.prod(combo, start=Fraction(1) if all(isinstance(w, Fraction) for w in combo)
                      else 1.0)
            for combo in itertools.product(*(u.weights for u in unknowns))]


def marginal(unknowns: Sequence[Unknown], probs: Sequence[Number], index: int) -> list[Number]:
    """Posterior of unknown ``index`` alone: the sum over the other unknown's values."""
    if len(unknowns) == 1:
        return list(probs)
    first, second = (len(u.values) for u in unknowns)
    if index == 0:
        return [exact_sum(probs[i * second:(i + 1) * second]) for i in range(first)]
    return [exact_sum([probs[i * second + j] for i in range(first)]) for j in range(second)]


__all__ = ["MAX_UNKNOWNS", "Unknown", "cells", "check_grid", "check_unknown_count", "joint_weights",
           "marginal"]
