"""The exact engine's integer arithmetic and the float path's log space, against references.

The reference here is the textbook formula written the slow, obvious way with
``fractions.Fraction`` (independent of the engine's common denominators); the float path is
checked against the exact answer for the very same float inputs (``Fraction(x)`` is exact).
"""

from __future__ import annotations

import math
import random
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probkit.bayes import posterior
from probkit.bayes.exact import MAX_EXACT_DIGITS
from probkit.errors import ImpossibleEvidenceError, InputError, ProbabilityError

F = Fraction


def reference(priors: dict[str, Fraction], likelihoods: dict[str, list[Fraction]]) -> dict:
    """Bayes' rule with Fractions, one multiplication at a time; the trace by renormalizing."""
    names = list(priors)
    likelihood = {}
    for name in names:
        product = F(1)
        for value in likelihoods[name]:
            product *= value
        likelihood[name] = product
    joint = {n: priors[n] * likelihood[n] for n in names}
    evidence = sum(joint.values(), F(0))
    if evidence == 0:
        return {"evidence": evidence}
    steps = []
    belief = dict(priors)
    for j in range(len(likelihoods[names[0]])):
        moved = {n: belief[n] * likelihoods[n][j] for n in names}
        step_evidence = sum(moved.values(), F(0))
        belief = {n: moved[n] / step_evidence for n in names}
        steps.append((step_evidence, tuple(belief[n] for n in names)))
    return {"likelihood": likelihood, "joint": joint, "evidence": evidence,
            "posterior": {n: joint[n] / evidence for n in names}, "trace": steps}


def assert_matches(result, expected: dict) -> None:
    assert result.exact
    assert result.evidence == expected["evidence"]
    for h in result.hypotheses:
        assert h.likelihood == expected["likelihood"][h.name]
        assert h.joint == expected["joint"][h.name]
        assert h.posterior == expected["posterior"][h.name]
        assert type(h.posterior) is Fraction
    assert [(s.evidence, s.posteriors) for s in result.trace] == expected["trace"]


@st.composite
def mixed_problems(draw: st.DrawFn) -> tuple[dict[str, Fraction], dict[str, list[Fraction]]]:
    """Different denominators per hypothesis and observation, zeros and ones included."""
    k = draw(st.integers(1, 6))
    n = draw(st.integers(1, 8))
    names = [f"H{i}" for i in range(k)]
    weights = draw(st.lists(st.integers(0, 30), min_size=k, max_size=k).filter(any))
    priors = {name: F(w, sum(weights)) for name, w in zip(names, weights, strict=True)}
    value = st.integers(1, 10**4).flatmap(lambda d: st.integers(0, d).map(lambda n: F(n, d)))
    likelihoods = {name: draw(st.lists(value, min_size=n, max_size=n)) for name in names}
    return priors, likelihoods


@settings(max_examples=40, deadline=None)
@given(mixed_problems())
def test_integer_engine_equals_the_fraction_reference(problem: tuple) -> None:
    priors, likelihoods = problem
    expected = reference(priors, likelihoods)
    if expected["evidence"] == 0:
        with pytest.raises(ImpossibleEvidenceError):
            posterior(priors, likelihoods)
        return
    assert_matches(posterior(priors, likelihoods), expected)
    # the same values given as text take the general parsing path, with the same answer
    as_text = {n: [str(v) for v in row] for n, row in likelihoods.items()}
    assert_matches(posterior({n: str(p) for n, p in priors.items()}, as_text), expected)


def test_large_decimal_problem_equals_the_reference() -> None:
    rng = random.Random(3)
    names = [f"H{i}" for i in range(40)]
    priors = {n: F(rng.randint(1, 9), 1) for n in names}
    total = sum(priors.values())
    priors = {n: p / total for n, p in priors.items()}
    likelihoods = {n: [F(rng.randint(1, 999), 1000) for _ in range(60)] for n in names}
    assert_matches(posterior(priors, likelihoods), reference(priors, likelihoods))


def test_reference_comparison_catches_a_wrong_engine() -> None:
    # Negative control: one likelihood off by 1/1000 changes the exact answer.
    priors = {"A": F(1, 2), "B": F(1, 2)}
    likelihoods = {"A": [F(3, 10), F(7, 10)], "B": [F(1, 2), F(1, 4)]}
    wrong = {"A": [F(3, 10), F(701, 1000)], "B": [F(1, 2), F(1, 4)]}
    with pytest.raises(AssertionError):
        assert_matches(posterior(priors, wrong), reference(priors, likelihoods))


def test_fast_path_still_refuses_bad_fractions_by_name() -> None:
    with pytest.raises(ProbabilityError, match=r"'B' \(observation 2\)"):
        posterior({"A": F(1, 2), "B": F(1, 2)}, {"A": [F(1, 2), F(1, 2)], "B": [F(1, 2), F(3, 2)]})
    with pytest.raises(ProbabilityError, match="-1/2"):
        posterior({"A": F(1)}, {"A": [F(-1, 2)]})


def test_trace_is_optional_and_lazy() -> None:
    priors = {"A": F(1, 3), "B": F(2, 3)}
    likelihoods = {"A": [F(1, 2), F(9, 10), F(1, 5)], "B": [F(1, 4), F(1, 3), F(2, 7)]}
    with_trace = posterior(priors, likelihoods)
    assert len(with_trace.trace) == 3
    without = posterior(priors, likelihoods, trace=False)
    assert tuple(without.trace) == ()
    assert without.to_dict()["trace"] == []
    assert [h.posterior for h in without.hypotheses] == [h.posterior for h in with_trace.hypotheses]
    assert with_trace.trace[-1].posteriors == tuple(h.posterior for h in with_trace.hypotheses)
    assert with_trace.trace[1:] == tuple(with_trace.trace)[1:]


# --- the float path: log space ----------------------------------------------------------


def _underflowing_problem() -> tuple[dict[str, float], dict[str, list[float]]]:
    """10 hypotheses x 500 observations whose likelihood products are 1e-300 ... 1e-330.

    A plain float product turns the smallest ones subnormal (digits lost) or 0.
    """
    rng = random.Random(11)
    names = [f"H{i}" for i in range(10)]
    likelihoods = {n: [rng.uniform(0.24, 0.26) - 0.0035 * i for _ in range(500)]
                   for i, n in enumerate(names)}
    return dict.fromkeys(names, 0.1), likelihoods


def test_float_path_keeps_full_precision_where_products_underflow() -> None:
    priors, likelihoods = _underflowing_problem()
    exact = posterior({n: F(1, 10) for n in priors},
                      {n: [F(x) for x in row] for n, row in likelihoods.items()})
    result = posterior(priors, likelihoods)
    assert not result.exact
    for h in result.hypotheses:
        truth = float(exact[h.name].posterior)
        assert h.posterior > 0
        assert h.posterior == pytest.approx(truth, rel=1e-11), h.name


def test_float_trace_in_log_space_equals_the_exact_trace() -> None:
    priors, likelihoods = _underflowing_problem()
    short = {n: row[:60] for n, row in likelihoods.items()}
    exact = posterior({n: F(1, 10) for n in priors},
                      {n: [F(x) for x in row] for n, row in short.items()})
    result = posterior(priors, short)
    for step, exact_step in zip(result.trace, exact.trace, strict=True):
        assert step.evidence == pytest.approx(float(exact_step.evidence), rel=1e-12)
        assert step.posteriors == pytest.approx([float(p) for p in exact_step.posteriors],
                                                rel=1e-12)


def test_the_underflowing_problem_defeats_plain_float_products() -> None:
    # Negative control: the naive product is exactly what the log-space path replaces.
    priors, likelihoods = _underflowing_problem()
    joint = {n: priors[n] * math.prod(row) for n, row in likelihoods.items()}
    total = sum(joint.values())
    naive = {n: j / total for n, j in joint.items()}
    assert naive["H9"] == 0.0
    exact_h6 = posterior({n: F(1, 10) for n in priors},
                         {n: [F(x) for x in row] for n, row in likelihoods.items()})["H6"]
    assert abs(naive["H6"] / float(exact_h6.posterior) - 1) > 1e-3


def test_float_path_takes_exact_logs_of_rationals_beyond_float_range() -> None:
    # a float elsewhere forces the float path; 1e-400 must not become 0 on the way
    result = posterior({"A": 0.5, "B": 0.5}, {"A": [F(1, 10**400)], "B": [F(2, 10**400)]})
    assert not result.exact
    assert result["B"].posterior == pytest.approx(2 / 3, rel=1e-12)


def test_float_impossible_evidence_is_still_refused() -> None:
    with pytest.raises(ImpossibleEvidenceError, match="probability 0"):
        posterior({"A": 0.5, "B": 0.5}, {"A": [0.0], "B": [0.0]})


# --- bounded work: exact numbers may not grow without limit ------------------------------


def test_repeated_tiny_observations_are_refused_once_too_long() -> None:
    tiny = ["1e-3999"] * 25  # exact answer: about 100,000 digits
    start = time.monotonic()
    with pytest.raises(InputError, match="digits") as info:
        posterior({"A": "1/2", "B": "1/2"}, {"A": tiny, "B": tiny})
    assert time.monotonic() - start < 5  # refused before any big arithmetic (generous bound)
    assert "float" in str(info.value) and f"{MAX_EXACT_DIGITS:,}" in str(info.value)


def test_the_limit_allows_what_fits() -> None:
    result = posterior({"A": "1/2", "B": "1/2"}, {"A": ["1e-3999"] * 2, "B": ["1e-3999"] * 2})
    assert result["A"].posterior == F(1, 2)
    assert result.evidence == F(1, 10**7998)
