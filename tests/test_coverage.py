"""Do the 95% intervals contain the exact posterior 95% of the time?

Each case runs the real block sampler 4,000 times with seeds ``base .. base+3999``
(the same streams ``monte_carlo(problem, draws, seed=s)`` uses) and computes all
4,000 intervals at once. The share that contains the exact posterior must lie in
94-96% (one replicate set has a standard error of about 0.34 points), and must
agree with the coverage computed analytically by summing binomial probabilities
over every possible outcome (an oracle that uses no random numbers).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np
import pytest
from bayes_problems import CERTAIN, RARE, TWO_POSITIVE, URN
from scipy import stats

from probkit.bayes.montecarlo import Replicates, replicate
from probkit.bayes.samplers import Problem
from probkit.intervals import ratio_standard_error, wilson_interval

REPLICATES = 4_000
Z95 = 1.959963984540054


# Posterior of the first hypothesis, worked by hand: urn A, (1/2 * 1/10) / (9/20) = 1/9;
# disease after one positive, 0.00099 / 0.05094 = 11/566; after two,
# (1/1000 * 0.99^2) / (1/1000 * 0.99^2 + 999/1000 * 0.05^2) = 9801/34776 = 363/1288.
EXACT = {"urn": Fraction(1, 9), "rare": Fraction(11, 566), "two": Fraction(363, 1288)}
PROBLEMS: dict[str, Problem] = {"urn": URN, "rare": RARE, "two": TWO_POSITIVE}
PRIOR = {"urn": (0.5, 0.5), "rare": (0.001, 0.999), "two": (0.001, 0.999)}
LIKELIHOOD = {"urn": (0.1, 0.8), "rare": (0.99, 0.05), "two": (0.99**2, 0.05**2)}

# (problem, method, draws, first seed). Rejection on two positive tests keeps only 0.35% of
# its draws, so it needs 10^4 draws (about 35 accepted) where the others use 10^3.
CASES = [
    ("urn", "rejection", 1_000, 10_000),
    ("rare", "rejection", 1_000, 20_000),
    ("two", "rejection", 10_000, 30_000),
    ("urn", "importance", 1_000, 40_000),
    ("rare", "importance", 1_000, 50_000),
    ("two", "importance", 1_000, 60_000),
]


@functools.cache
def replicates(name: str, method: str, draws: int, base: int, proposal: str) -> Replicates:
    problem = {**PROBLEMS, "certain": CERTAIN}[name]
    return replicate(problem, draws, range(base, base + REPLICATES), method=method,
                     proposal=proposal)


def first_hypothesis_coverage(name: str, method: str, draws: int, base: int,
                              truth: float, proposal: str = "uniform") -> float:
    runs = replicates(name, method, draws, base, proposal)
    assert runs.ok.all()
    covered = runs.coverage([truth, 1 - truth])
    assert covered[0] == covered[1]  # two hypotheses: the intervals are mirror images
    return float(covered[0])


def assert_covers_95(coverage: float) -> None:
    assert 0.94 <= coverage <= 0.96, f"coverage {coverage:.2%} is outside 94-96%"


def analytic_coverage(name: str, method: str, draws: int, truth: float) -> float:
    """Coverage summed over every outcome (binomial probabilities; no sampling)."""
    prior, likelihood = np.array(PRIOR[name]), np.array(LIKELIHOOD[name])
    joint = prior * likelihood
    if method == "rejection":
        total = 0.0
        for m in range(1, draws + 1):
            weight = stats.binom.pmf(m, draws, joint.sum())
            if weight < 1e-13:
                continue
            k = np.arange(m + 1)
            low, high = wilson_interval(k, np.full(k.shape, m))
            total += weight * stats.binom.pmf(k, m, truth) @ ((low <= truth) & (truth <= high))
        return total
    n0 = np.arange(draws + 1)  # uniform proposal: draws of hypothesis 0 ~ Binomial(N, 1/2)
    weights = joint / 0.5 / (joint / 0.5).max()
    counts = np.stack([n0, draws - n0], axis=-1).astype(float)
    estimate = counts[:, 0] * weights[0] / (counts @ weights)
    se = ratio_standard_error(counts, weights, 0, estimate)
    hit = (estimate - Z95 * se <= truth) & (truth <= estimate + Z95 * se)
    return float(stats.binom.pmf(n0, draws, 0.5) @ hit)


@pytest.mark.parametrize(("name", "method", "draws", "base"), CASES)
def test_interval_covers_the_exact_posterior_95_percent(
    name: str, method: str, draws: int, base: int
) -> None:
    truth = EXACT[name]
    assert PROBLEMS[name].solve().hypotheses[0].posterior == truth  # hand answer = engine
    coverage = first_hypothesis_coverage(name, method, draws, base, float(truth))
    assert_covers_95(coverage)
    expected = analytic_coverage(name, method, draws, float(truth))
    noise = math.sqrt(expected * (1 - expected) / REPLICATES)
    assert abs(coverage - expected) < 4 * noise, (coverage, expected)


@pytest.mark.parametrize("method", ["rejection", "importance"])
def test_certain_posterior_is_always_covered(method: str) -> None:
    # Without replacement, black, black rules out urn A (one black ball): P(B | E) = 1 exactly.
    runs = replicates("certain", method, 1_000, 70_000, "uniform")
    assert runs.ok.all()
    assert np.all(runs.estimate[:, 1] == 1.0) and np.all(runs.ci_high[:, 1] == 1.0)
    assert np.all(runs.ci_low[:, 0] == 0.0)
    assert runs.coverage([0, 1]).tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("name", "method", "draws", "base"), CASES)
def test_negative_control_wrong_exact_value_fails(
    name: str, method: str, draws: int, base: int
) -> None:
    # The same check against a value 50% above the exact posterior must not pass. (With only
    # ~51 accepted draws, rare-disease rejection intervals are wide: they cover the wrong value
    # too often, ~99%, which the two-sided band rejects as well.)
    wrong = float(EXACT[name]) * 1.5
    coverage = first_hypothesis_coverage(name, method, draws, base, wrong)
    with pytest.raises(AssertionError, match="outside 94-96%"):
        assert_covers_95(coverage)


def test_likelihood_weighting_under_covers_rare_evidence() -> None:
    # Why the default proposal is uniform: drawing from the prior, 1,000 draws hold about one
    # diseased person, and the delta-method interval collapses.
    coverage = first_hypothesis_coverage("rare", "importance", 1_000, 80_000,
                                         float(EXACT["rare"]), proposal="prior")
    assert coverage < 0.8
