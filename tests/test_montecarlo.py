"""Monte Carlo posteriors: the simulators, reproducibility, parallel runs, errors, error bars."""

from __future__ import annotations

import math
import subprocess
import sys
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import numpy as np
import pytest
from bayes_problems import CERTAIN, RARE, TWO_POSITIVE, URN
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from probkit.bayes import diagnostic_problem, discrete_problem, urn_problem
from probkit.bayes.montecarlo import importance_summary, monte_carlo, replicate
from probkit.bayes.samplers import (
    BLOCK_SIZE,
    _count,
    _pick_hypotheses,
    block_generator,
    story_of,
)
from probkit.errors import ComputationError, ImpossibleEvidenceError, InputError
from probkit.intervals import normal_quantile, ratio_standard_error, wilson_interval

MANY = discrete_problem(  # 12 hypotheses: the searchsorted / bincount paths
    {f"H{i}": Fraction(i + 1, 78) for i in range(12)},
    {f"H{i}": [Fraction(i, 11), Fraction(11 - i, 11)] for i in range(12)},
)
MIXED = urn_problem(
    {"A": {"red": 3, "green": 2, "blue": 5}, "B": {"green": 4, "red": 4}, "C": {"blue": 7,
                                                                             "red": 1}},
    ["red", "green", "red"], replace=False, priors={"A": "1/2", "B": "1/3", "C": "1/6"},
)
NEGATIVES = diagnostic_problem("1/50", "90%", specificity="80%",
                               results=["positive", "negative", "positive"])
FLOATS = discrete_problem({"A": 0.3, "B": 0.7}, {"A": [0.9, 0.2], "B": [0.4, 0.6]})

PROBLEMS = {"urn": URN, "rare": RARE, "two": TWO_POSITIVE, "certain": CERTAIN, "many": MANY,
            "mixed": MIXED, "negatives": NEGATIVES, "floats": FLOATS}


# --- the story matches the exact engine (two independent implementations) ---------------------

@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_story_probabilities_equal_exact_likelihoods(name: str) -> None:
    problem = PROBLEMS[name]
    story = story_of(problem)
    exact = problem.solve()
    for row, h in zip(story.match_probabilities(), exact.hypotheses, strict=True):
        expected = [Fraction(v) for v in h.likelihoods]
        # Per observation up to the first impossible one (after it the sequence is dead).
        stop = expected.index(0) + 1 if 0 in expected else len(expected)
        assert list(row[:stop]) == expected[:stop]
    if exact.exact:
        assert story.likelihoods() == tuple(Fraction(h.likelihood) for h in exact.hypotheses)
        assert story.evidence() == Fraction(exact.evidence)
    else:  # the user gave floats: the engine multiplies floats, the story converts exactly
        assert [float(v) for v in story.likelihoods()] == pytest.approx(
            [h.likelihood for h in exact.hypotheses], rel=1e-14)


urn_counts = st.dictionaries(st.sampled_from(["red", "green", "blue"]),
                             st.integers(min_value=0, max_value=4), min_size=1)


@settings(max_examples=80, deadline=None)
@given(urns=st.lists(urn_counts.filter(lambda c: sum(c.values()) > 0), min_size=1, max_size=3),
       draws=st.lists(st.sampled_from(["red", "green", "blue"]), min_size=1, max_size=5),
       replace=st.booleans())
def test_urn_story_matches_hypergeometric_sequence_probability(
    urns: list[dict[str, int]], draws: list[str], replace: bool
) -> None:
    named = {f"U{i}": counts for i, counts in enumerate(urns)}
    known = {c for counts in urns for c in counts}
    draws = [d for d in draws if d in known] or [next(iter(known))]
    story = story_of(urn_problem(named, draws, replace=replace))
    for counts, probability in zip(urns, story.likelihoods(), strict=True):
        # Oracle: count ordered sequences directly (falling factorials / powers).
        total, expected, left = sum(counts.values()), Fraction(1), dict(counts)
        for j, colour in enumerate(draws):
            size = total if replace else total - j
            have = left.get(colour, 0)
            expected *= Fraction(have, size) if size > 0 and have > 0 else 0
            if not replace and have > 0:
                left[colour] = have - 1
        assert probability == expected


def test_rejection_simulates_draws_not_the_likelihood() -> None:
    # The urn rule is "ball number floor(U * N) has the drawn colour": integer ball ranges.
    story = story_of(MIXED)
    scale, low, high = story.rules[0][1]  # first draw (red) from urn B = green:4, red:4
    assert (scale, low, high) == (8, 4, 8)
    scale, low, high = story.rules[2][0]  # third draw (red) from A after red, green drawn
    assert (scale, low, high) == (8, 0, 2)


# --- seeding, blocks and chunking ------------------------------------------------------------

def test_block_streams_are_seed_sequence_children() -> None:
    children = np.random.SeedSequence(2024).spawn(5)
    for b in (0, 4):
        expected = np.random.default_rng(children[b]).random(3)
        assert np.array_equal(block_generator(2024, b).random(3), expected)


def _fingerprint(result: object) -> dict:
    return result.to_dict()  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", ["rejection", "importance"])
def test_bit_identical_whatever_the_chunk_size(method: str) -> None:
    draws = 3 * BLOCK_SIZE + 12_345
    base = monte_carlo(MIXED, draws, method=method, seed=11)
    for chunk in (1, BLOCK_SIZE, 2 * BLOCK_SIZE + 1, 10**9):
        other = monte_carlo(MIXED, draws, method=method, seed=11, chunk_size=chunk)
        assert _fingerprint(other) == _fingerprint(base)
    assert _fingerprint(monte_carlo(MIXED, draws, method=method, seed=12)) != _fingerprint(base)


def test_bit_identical_with_two_worker_processes_and_a_thread_pool() -> None:
    draws = 5 * BLOCK_SIZE + 7
    for method in ("rejection", "importance"):
        here = monte_carlo(TWO_POSITIVE, draws, method=method, seed=5)
        two = monte_carlo(TWO_POSITIVE, draws, method=method, seed=5, workers=2, chunk_size=1)
        assert _fingerprint(two) == _fingerprint(here)
        with ThreadPoolExecutor(3) as pool:
            threads = monte_carlo(TWO_POSITIVE, draws, method=method, seed=5, executor=pool,
                                  chunk_size=BLOCK_SIZE)
        assert _fingerprint(threads) == _fingerprint(here)


def test_unseeded_runs_report_a_seed_that_reproduces_them() -> None:
    first = monte_carlo(URN, 10_000)
    again = monte_carlo(URN, 10_000, seed=first.seed)
    assert _fingerprint(again) == _fingerprint(first)


def test_progress_reports_every_draw_once() -> None:
    seen: list[int] = []
    monte_carlo(URN, 2 * BLOCK_SIZE + 3, seed=1, chunk_size=1, progress=seen.append)
    assert seen == [BLOCK_SIZE, 2 * BLOCK_SIZE, 2 * BLOCK_SIZE + 3]


def test_replicates_equal_single_runs() -> None:
    batch = replicate(RARE, 3_000, [4, 9], method="importance")
    for row, seed in enumerate([4, 9]):
        single = monte_carlo(RARE, 3_000, method="importance", seed=seed)
        assert batch.ci_low[row, 0] == single["disease"].ci_low
        assert batch.estimate[row, 1] == single["healthy"].estimate


def test_fast_and_general_hypothesis_paths_agree() -> None:
    rng = np.random.default_rng(0)
    u = rng.random(10_000)
    for k in (2, 5, 9, 10, 30):
        boundaries = np.cumsum(rng.dirichlet(np.ones(k)))[:-1]
        h = np.empty(u.size, dtype=np.intp)
        _pick_hypotheses(u, boundaries, h, np.empty(u.size, dtype=bool))
        assert np.array_equal(h, np.searchsorted(boundaries, u, side="right"))
        where = rng.random(u.size) < 0.3
        counts = _count(h, k, where, np.empty(u.size, dtype=bool))
        assert np.array_equal(counts, np.bincount(h[where], minlength=k))


def test_memory_does_not_grow_with_draws() -> None:
    peaks = []
    for draws in (BLOCK_SIZE * 2, BLOCK_SIZE * 40):
        tracemalloc.start()
        monte_carlo(MIXED, draws, seed=1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.25 * peaks[0] + 100_000
    assert peaks[1] < 16 * 2**20  # a few tile-sized buffers, not the draws


# --- the estimates agree with the exact answers ----------------------------------------------

@pytest.mark.parametrize("method", ["rejection", "importance"])
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_estimates_agree_with_exact_posteriors(name: str, method: str) -> None:
    problem = PROBLEMS[name]
    exact = problem.solve()
    result = monte_carlo(problem, 400_000, method=method, seed=17, exact=exact)
    for h, e in zip(result.hypotheses, exact.hypotheses, strict=True):
        assert h.name == e.name and h.exact == float(e.posterior)
        assert h.z is not None and abs(h.z) < 4.5, (h, e.posterior)
        assert h.ci_low <= h.estimate <= h.ci_high
        assert abs(h.estimate - float(e.posterior)) < 6 * h.stderr + 1e-12
    assert abs(result.evidence - float(exact.evidence)) <= 5 * result.evidence_stderr
    assert math.isclose(sum(h.estimate for h in result.hypotheses), 1.0, rel_tol=1e-12)


@pytest.mark.parametrize("method", ["rejection", "importance"])
def test_certain_posterior_is_exactly_one(method: str) -> None:
    # Urn A holds one black ball: two blacks without replacement rule it out.
    result = monte_carlo(CERTAIN, 50_000, method=method, seed=3, exact={"A": 0, "B": 1})
    a, b = result["A"], result["B"]
    assert (b.estimate, b.ci_high, b.z) == (1.0, 1.0, 0.0)
    assert (a.estimate, a.ci_low, a.stderr, a.z) == (0.0, 0.0, 0.0, 0.0)
    if method == "rejection":
        assert a.accepted == 0 and b.accepted == result.accepted > 0


def test_z_score_flags_a_wrong_exact_value() -> None:
    # Negative control: the right answer is 8/9; claim 0.87 instead.
    right = monte_carlo(URN, 200_000, seed=2, exact={"A": Fraction(1, 9), "B": Fraction(8, 9)})
    wrong = monte_carlo(URN, 200_000, seed=2, exact={"A": 0.13, "B": 0.87})
    assert abs(right["B"].z or 0) < 4
    assert (wrong["B"].z or 0) > 10


def test_rejection_estimate_is_the_accepted_share() -> None:
    result = monte_carlo(MIXED, 100_000, seed=8)
    m = result.accepted
    assert m == sum(h.accepted or 0 for h in result.hypotheses)
    for h in result.hypotheses:
        assert h.estimate == (h.accepted or 0) / m
        low, high = wilson_interval(h.accepted, m)
        assert (h.ci_low, h.ci_high) == (float(low), float(high))


# --- the error formulas against independent oracles ------------------------------------------

@settings(max_examples=200, deadline=None)
@given(m=st.integers(min_value=1, max_value=10_000), data=st.data())
def test_wilson_endpoints_solve_the_score_equation(m: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=m))
    low, high = (float(x) for x in wilson_interval(k, m))
    z = normal_quantile(0.95)
    p_hat = k / m
    assert low <= p_hat <= high
    for p, edge in ((low, k == 0), (high, k == m)):
        if edge:
            assert p in (0.0, 1.0)
        else:  # |p_hat - p| = z sqrt(p (1 - p) / m) at each bound
            assert math.isclose(abs(p_hat - p), z * math.sqrt(p * (1 - p) / m),
                                rel_tol=1e-7, abs_tol=1e-12)
    assert (low == 0.0) == (k == 0) and (high == 1.0) == (k == m)


def test_delta_method_matches_the_exact_sampling_spread() -> None:
    # Uniform proposal over two hypotheses: n_disease ~ Binomial(N, 1/2); sum over every outcome.
    story = story_of(RARE)
    joint = [float(p * lk) for p, lk in zip(story.priors, story.likelihoods(), strict=True)]
    weights = np.array(joint) / max(joint)
    n = 4_000
    n0 = np.arange(n + 1)
    probability = stats.binom.pmf(n0, n, 0.5)
    estimates = n0 * weights[0] / (n0 * weights[0] + (n - n0) * weights[1])
    mean = probability @ estimates
    true_sd = math.sqrt(probability @ (estimates - mean) ** 2)
    typical = ratio_standard_error([n / 2, n / 2], weights, 0, mean)
    assert math.isclose(float(typical), true_sd, rel_tol=0.01)


def test_importance_interval_is_not_the_kish_one() -> None:
    est, se, low, high, ess = importance_summary([500, 500], [1.0, 0.02])
    kish = 1000 * (1.02) ** 2 / (1 + 0.02**2)
    naive = math.sqrt(est[0] * (1 - est[0]) / kish)
    assert not math.isclose(float(se[0]), naive, rel_tol=0.05)
    assert float(ess[0]) == pytest.approx(est[0] * (1 - est[0]) / se[0] ** 2)


# --- errors -----------------------------------------------------------------------------------

def test_no_accepted_draws_is_a_clear_error() -> None:
    rare = discrete_problem({"A": "1/2", "B": "1/2"}, {"A": "1e-9", "B": "2e-9"})
    with pytest.raises(ComputationError, match="no accepted draws.*1,000 simulated runs"):
        monte_carlo(rare, 1_000, seed=1)
    result = monte_carlo(rare, 1_000, method="importance", seed=1)
    assert result["B"].estimate == pytest.approx(2 / 3, abs=0.1)


def test_no_weighted_draws_is_a_clear_error() -> None:
    problem = discrete_problem({"A": "999999/1000000", "B": "1/1000000"}, {"A": "0", "B": "1"})
    with pytest.raises(ComputationError, match="no draws with positive weight"):
        monte_carlo(problem, 100, method="importance", proposal="prior", seed=1)
    assert monte_carlo(problem, 100, method="importance", seed=1)["B"].estimate == 1.0


def test_impossible_evidence_is_refused_before_sampling() -> None:
    problem = urn_problem({"A": {"white": 1, "black": 1}}, ["black", "black"], replace=False)
    with pytest.raises(ImpossibleEvidenceError, match="impossible evidence"):
        monte_carlo(problem, 10**10, seed=1)  # would take minutes if it sampled


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"draws": 0}, "draws 0"),
        ({"draws": 1.5}, "draws 1.5"),
        ({"draws": True}, "draws True"),
        ({"draws": 10**20}, "draws 1e\\+20 is more than the limit"),
        ({"method": "gibbs"}, "method 'gibbs'"),
        ({"proposal": "posterior"}, "proposal 'posterior'"),
        ({"seed": -1}, "seed -1"),
        ({"workers": 0}, "workers 0"),
        ({"chunk_size": 0}, "chunk size 0"),
        ({"confidence": 1.0}, "confidence 1.0"),
        ({"workers": 2, "executor": ThreadPoolExecutor(1)}, "not both"),
    ],
)
def test_bad_arguments_name_the_value(kwargs: dict, match: str) -> None:
    arguments = {"draws": 100, **kwargs}
    draws = arguments.pop("draws")
    with pytest.raises(InputError, match=match):
        monte_carlo(URN, draws, **arguments)


def test_importing_probkit_bayes_does_not_import_numpy() -> None:
    code = ("import sys, probkit.bayes as b\n"
            "assert 'numpy' not in sys.modules\n"
            "f = b.monte_carlo\n"
            "assert 'numpy' in sys.modules and f.__module__ == 'probkit.bayes.montecarlo'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_wilson_agrees_with_the_classifier_metrics_implementation() -> None:
    # metrics.wilson_interval is the scalar entry point (validation, floats) over this one.
    from probkit.classifier.evaluation.metrics import wilson_interval as scalar_wilson

    for m in (1, 2, 7, 51, 1000):
        ks = np.arange(m + 1)
        low, high = wilson_interval(ks, np.full(ks.shape, m))
        for k in ks:
            expected = scalar_wilson(int(k), m)
            assert float(low[k]) == pytest.approx(expected[0], abs=1e-12)
            assert float(high[k]) == pytest.approx(expected[1], abs=1e-12)
