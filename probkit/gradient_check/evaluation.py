"""Calling a learner's gradient function once and differentiating their cost numerically.

Shared by the check in this process (:func:`probkit.gradient_check.learner.gradcheck`) and
the subprocess that runs a learner's file (:mod:`probkit.gradient_check.child`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from probkit.errors import ComputationError
from probkit.gradient_check.numeric import (
    EPSILON,
    Array,
    Params,
    finite_difference_gradient,
)

MAX_ENTRIES = 100
"""Most entries of one parameter differentiated numerically (a seeded sample beyond that)."""


@dataclass(frozen=True)
class Evaluation:
    """What the learner's functions returned and what central differences give."""

    params: Params
    returned: Mapping[str, Any]
    numeric: Params
    keys: Mapping[str, str | None]


def gradient_key(param: str, returned: Mapping[str, Any]) -> str | None:
    """The learner's key for ``param``'s gradient: ``dW1`` or ``W1``; None when absent."""
    for key in ("d" + param, param):
        if key in returned:
            return key
    return None


def sample_entries(params: Mapping[str, Array], rng: np.random.Generator,
                   max_entries: int = MAX_ENTRIES) -> dict[str, list[tuple[int, ...]]]:
    """The entries to differentiate: all of a small parameter, a seeded sample of a large one."""
    chosen: dict[str, list[tuple[int, ...]]] = {}
    for name, value in params.items():
        every = list(np.ndindex(np.shape(value)))
        if len(every) > max_entries:
            picks = rng.choice(len(every), size=max_entries, replace=False)
            every = [every[int(i)] for i in sorted(picks)]
        chosen[name] = every
    return chosen


def _same(first: float, second: float) -> bool:
    """Two costs at the same parameters agree (to rounding, for a reduction whose order may
    vary between calls; noise above that would swamp the central differences)."""
    return bool(abs(first - second) <= 1e-12 * max(abs(first), abs(second)))


def evaluate(
    cost: Callable[[Params], float],
    gradients: Callable[[Params], Mapping[str, Any]],
    params: Mapping[str, Any],
    rng: np.random.Generator,
    *,
    epsilon: float = EPSILON,
    max_entries: int = MAX_ENTRIES,
) -> Evaluation:
    """Call the learner's gradients once and differentiate their cost numerically.

    The cost is first called twice at the same parameters: a cost that changes between the
    calls (a random draw inside it) is a :class:`ComputationError`, not a wrong gradient.
    """
    frozen = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    returned = gradients({k: v.copy() for k, v in frozen.items()})
    at_start = cost({k: v.copy() for k, v in frozen.items()})
    if not np.isfinite(at_start):
        raise ComputationError(f"the cost is {at_start} at the random parameters (a log of 0 "
                               "or of a negative number?); nothing can be compared")
    again = cost({k: v.copy() for k, v in frozen.items()})
    if not _same(at_start, again):
        raise ComputationError(f"the cost is not deterministic (it returned {at_start!r} then "
                               f"{again!r} for the same parameters): seed it or remove the "
                               "randomness; central differences of a random cost mean nothing")
    entries = sample_entries(frozen, rng, max_entries)
    numeric = finite_difference_gradient(cost, frozen, epsilon=epsilon, entries=entries)
    keys = {name: gradient_key(name, returned) for name in frozen}
    return Evaluation(frozen, returned, numeric, keys)


__all__ = ["MAX_ENTRIES", "Evaluation", "evaluate", "gradient_key", "sample_entries"]
