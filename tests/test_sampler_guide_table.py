"""The guide-table pick of many hypotheses gives exactly the binary search's hypotheses."""

from __future__ import annotations

import numpy as np
import pytest

from probkit.bayes.samplers import SamplingPlan, _guide_table, _guided_pick


def plan_for(weights: np.ndarray) -> SamplingPlan:
    boundaries = np.cumsum(weights / weights.sum())[:-1]
    guide, below, above = _guide_table(boundaries)
    empty = np.zeros((0, len(weights)))
    return SamplingPlan("importance", len(weights), boundaries, empty, empty, empty,
                        guide, below, above)


def pick(plan: SamplingPlan, u: np.ndarray) -> np.ndarray:
    h = np.empty(len(u), dtype=np.intp)
    _guided_pick(u, plan, h, np.empty(len(u)), np.empty(len(u), dtype=bool),
                 np.empty(len(u), dtype=bool))
    return h


@pytest.mark.parametrize("k", [10, 101, 1000, 4096])
@pytest.mark.parametrize("shape", ["uniform", "skewed", "one heavy"])
def test_guided_pick_equals_searchsorted(k, shape):
    rng = np.random.default_rng(k)
    weights = {"uniform": np.ones(k), "skewed": rng.random(k) ** 8,
               "one heavy": np.r_[1e6, np.ones(k - 1)]}[shape]
    plan = plan_for(weights)
    u = rng.random(100_000)
    u[: k - 1] = plan.boundaries  # draws exactly on a boundary
    u[k: 2 * k - 1] = np.nextafter(plan.boundaries, 0)  # and just below one
    assert np.array_equal(pick(plan, u), np.searchsorted(plan.boundaries, u, side="right"))


def test_a_wrong_guide_table_is_caught_by_the_check():
    # negative control: a guide table off by one still gives the right hypotheses, because
    # every draw is checked against its boundaries and repaired by binary search
    plan = plan_for(np.ones(101))
    broken = SamplingPlan(plan.method, plan.n_hypotheses, plan.boundaries, plan.scales,
                          plan.lows, plan.highs, np.maximum(plan.guide - 1, 0), plan.below,
                          plan.above)
    u = np.random.default_rng(1).random(10_000)
    assert np.array_equal(pick(broken, u), np.searchsorted(plan.boundaries, u, side="right"))
