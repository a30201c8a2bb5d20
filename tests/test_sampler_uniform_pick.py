"""Equally likely hypotheses are picked by one multiplication, as the binary search would."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from probkit.bayes.problems import DiscreteProblem
from probkit.bayes.samplers import _equal_run, _uniform_pick, story_of

LARGEST_U = 1.0 - 2.0**-53  # the largest double numpy's random() returns


def uniform_pick(u: np.ndarray, first: int, count: int) -> np.ndarray:
    h = np.empty(len(u), dtype=np.intp)
    _uniform_pick(u, first, count, h, np.empty(len(u)))
    return h


@pytest.mark.parametrize("count", [2, 3, 101, 941, 1000, 1024, 2**40 + 1, 2**52 - 3])
@pytest.mark.parametrize("first", [0, 59])
def test_uniform_pick_agrees_with_searchsorted_and_stays_in_range(count, first):
    u = np.random.default_rng(count).random(200_000)
    u[:3] = [0.0, LARGEST_U, np.nextafter(LARGEST_U, 0)]
    h = uniform_pick(u, first, count)
    assert h.min() >= first and h.max() == first + count - 1  # the largest u: the last one
    assert h[0] == first
    if count <= 1024:  # the cumulative boundaries j/count, searched as before
        cuts = np.arange(1, count) / count
        assert np.array_equal(h, first + np.searchsorted(cuts, u, side="right"))


def test_uniform_pick_with_a_wrong_count_is_caught():
    # negative control: the comparison above fails for an off-by-one count
    u = np.random.default_rng(0).random(10_000)
    cuts = np.arange(1, 100) / 100
    assert not np.array_equal(uniform_pick(u, 0, 101), np.searchsorted(cuts, u, side="right"))


@pytest.mark.parametrize(("weights", "expected"), [
    ([1, 1, 1, 1], (0, 4)),
    ([0, 0, 2, 2, 2, 0], (2, 3)),
    ([1, 2, 1], (0, 0)),  # unequal
    ([1, 0, 1], (0, 0)),  # a gap
    ([0, 5, 0], (0, 0)),  # one hypothesis: nothing to pick
])
def test_equal_run_finds_equal_consecutive_weights(weights, expected):
    assert _equal_run([Fraction(w) for w in weights]) == expected


def test_a_uniform_prior_plan_uses_the_multiplication_and_a_skewed_one_does_not():
    def plan(priors: list[int]):
        problem = DiscreteProblem(names=tuple("ABCD"), priors=tuple(map(Fraction, priors)),
                                  likelihoods=((Fraction(1, 2),),) * 4, observations=("x",),
                                  exact=True)
        return story_of(problem).plan("rejection")

    assert (plan([1, 1, 1, 1]).uniform_first, plan([1, 1, 1, 1]).uniform_count) == (0, 4)
    assert plan([1, 2, 3, 4]).uniform_count == 0
