"""The exact Bayes engine against textbook answers, brute-force oracles and properties."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probkit.bayes import (
    diagnostic_posterior,
    posterior,
    predictive_values,
    urn_posterior,
    urn_problem,
)
from probkit.errors import (
    HypothesisError,
    ImpossibleEvidenceError,
    InputError,
    NumberFormatError,
    ProbabilityError,
)

F = Fraction


# --- textbook problems with known exact answers -------------------------------------------


def test_cookie_problem() -> None:
    # Downey, Think Bayes (2nd ed.), ch. 2: bowl 1 has 30 vanilla and 10 chocolate cookies,
    # bowl 2 has 20 of each; a vanilla cookie came from bowl 1 with probability 3/5.
    result = urn_posterior(
        {"bowl 1": {"vanilla": 30, "chocolate": 10}, "bowl 2": {"vanilla": 20, "chocolate": 20}},
        ["vanilla"],
    )
    assert result["bowl 1"].posterior == F(3, 5)
    assert result.evidence == F(5, 8)


def test_monty_hall() -> None:
    # You pick door 1; the host, who knows where the car is, opens door 3.
    result = posterior(
        {"car 1": "1/3", "car 2": "1/3", "car 3": "1/3"},
        {"car 1": "1/2", "car 2": "1", "car 3": "0"},
    )
    assert [h.posterior for h in result.hypotheses] == [F(1, 3), F(2, 3), F(0)]


def test_rare_disease() -> None:
    # prevalence 1/1000, sensitivity 99%, false-positive rate 5%: about 2% after a positive.
    result = diagnostic_posterior("1/1000", "99%", false_positive_rate="5%")
    by_hand = F(1, 1000) * F(99, 100) / (F(1, 1000) * F(99, 100) + F(999, 1000) * F(5, 100))
    assert result["disease"].posterior == by_hand
    assert round(float(by_hand), 4) == 0.0194


def test_mammography() -> None:
    # Gigerenzer & Hoffrage (1995): 1% prevalence, 80% sensitivity, 9.6% false positives -> 7.8%.
    result = diagnostic_posterior("1%", "80%", false_positive_rate="9.6%")
    assert round(float(result["disease"].posterior), 3) == 0.078


def test_two_positive_tests_update_sequentially() -> None:
    once = diagnostic_posterior("1/1000", "99%", specificity="95%")
    twice = diagnostic_posterior("1/1000", "99%", specificity="95%",
                                 results=["positive", "positive"])
    # The posterior after one positive is the prior for the second test.
    again = diagnostic_posterior(once["disease"].posterior, "99%", specificity="95%")
    assert twice["disease"].posterior == again["disease"].posterior
    assert twice.trace[0].posteriors == tuple(h.posterior for h in once.hypotheses)
    assert twice["disease"].posterior == F(363, 1288)


def test_negative_result_and_predictive_values() -> None:
    result = diagnostic_posterior("1/1000", "99%", specificity="95%", results=["negative"])
    ppv, npv = predictive_values("1/1000", "99%", "95%")
    assert result["healthy"].posterior == npv
    assert diagnostic_posterior("1/1000", "99%", specificity="95%")["disease"].posterior == ppv
    assert predictive_values("0", "99%", "1") == (None, F(1))


def test_issue_example_two_urns() -> None:
    result = posterior({"A": "1/2", "B": "1/2"}, {"A": "1/10", "B": "8/10"})
    assert result["B"].posterior == F(8, 9)
    assert result.evidence == F(9, 20)
    assert result.posterior_odds("B", "A") == 8
    assert result.bayes_factor("B", "A") == 8
    assert result.exact


def test_urn_without_replacement_can_be_certain() -> None:
    # Urn A has one black ball, so two blacks drawn without replacement rule it out.
    result = urn_posterior({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
                           ["black", "black", "white"], replace=False)
    assert result["B"].posterior == 1
    assert result["A"].posterior == 0
    with_replacement = urn_posterior({"A": {"white": 9, "black": 1},
                                      "B": {"white": 2, "black": 8}},
                                     ["black", "black", "white"])
    assert 0 < with_replacement["A"].posterior < 1


# --- brute-force oracle: count physical balls ----------------------------------------------


def _count_sequences(counts: dict[str, int], draws: list[str], replace: bool) -> Fraction:
    balls = [colour for colour, n in counts.items() for _ in range(n)]
    if replace:
        outcomes = list(itertools.product(range(len(balls)), repeat=len(draws)))
    else:
        outcomes = list(itertools.permutations(range(len(balls)), len(draws)))
    hits = sum(1 for seq in outcomes if [balls[i] for i in seq] == draws)
    return F(hits, len(outcomes)) if outcomes else F(0)


def _oracle_posterior(urns: dict[str, dict[str, int]], draws: list[str],
                      replace: bool) -> dict[str, Fraction]:
    joint = {name: F(1, len(urns)) * _count_sequences(c, draws, replace)
             for name, c in urns.items()}
    total = sum(joint.values())
    return {name: value / total for name, value in joint.items()}


URNS = {"A": {"white": 3, "black": 2, "red": 1}, "B": {"white": 1, "black": 4},
        "C": {"red": 2, "white": 2, "black": 1}}


@pytest.mark.parametrize("replace", [True, False])
@pytest.mark.parametrize("draws", [["black"], ["black", "white"], ["white", "black", "white"],
                                   ["red", "white", "black"]])
def test_urn_matches_brute_force_enumeration(draws: list[str], replace: bool) -> None:
    result = urn_posterior(URNS, draws, replace=replace)
    oracle = _oracle_posterior(URNS, draws, replace)
    assert {h.name: h.posterior for h in result.hypotheses} == oracle


def test_brute_force_oracle_catches_a_wrong_engine() -> None:
    # Negative control: treat a draw without replacement as if with replacement -> mismatch.
    draws = ["black", "black", "white"]
    wrong = urn_posterior(URNS, draws, replace=True)
    oracle = _oracle_posterior(URNS, draws, replace=False)
    assert {h.name: h.posterior for h in wrong.hypotheses} != oracle


def test_without_replacement_is_the_hypergeometric_probability() -> None:
    from math import comb, factorial

    problem = urn_problem({"U": {"white": 5, "black": 4}}, ["black", "white", "black", "white"],
                          replace=False)
    sequence = problem.likelihoods()[0]
    product = F(1)
    for value in sequence:
        product *= value
    # P(2 black, 2 white in 4 draws) = C(4,2) C(5,2) / C(9,4), spread over 4!/(2!2!) orders.
    pmf = F(comb(4, 2) * comb(5, 2), comb(9, 4))
    orderings = factorial(4) // (factorial(2) * factorial(2))
    assert product * orderings == pmf


# --- properties --------------------------------------------------------------------------

probabilities = st.fractions(min_value=0, max_value=1, max_denominator=50)


@st.composite
def problems(draw: st.DrawFn) -> tuple[dict[str, Fraction], dict[str, list[Fraction]]]:
    k = draw(st.integers(min_value=1, max_value=4))
    n = draw(st.integers(min_value=1, max_value=4))
    names = [f"H{i}" for i in range(k)]
    weights = draw(st.lists(st.integers(min_value=1, max_value=20), min_size=k, max_size=k))
    priors = {name: F(w, sum(weights)) for name, w in zip(names, weights, strict=True)}
    likelihoods = {
        name: draw(st.lists(st.fractions(min_value=F(1, 50), max_value=1, max_denominator=50),
                            min_size=n, max_size=n))
        for name in names
    }
    return priors, likelihoods


@settings(max_examples=150, deadline=None)
@given(problems())
def test_posteriors_sum_to_exactly_one(problem: tuple) -> None:
    priors, likelihoods = problem
    result = posterior(priors, likelihoods)
    assert sum(h.posterior for h in result.hypotheses) == 1
    for step in result.trace:
        assert sum(step.posteriors) == 1
    assert all(isinstance(h.posterior, Fraction) for h in result.hypotheses)


@settings(max_examples=150, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_order_of_independent_observations_does_not_matter(problem: tuple, rnd) -> None:
    priors, likelihoods = problem
    n = len(next(iter(likelihoods.values())))
    order = list(range(n))
    rnd.shuffle(order)
    shuffled = {name: [row[i] for i in order] for name, row in likelihoods.items()}
    first = posterior(priors, likelihoods)
    second = posterior(priors, shuffled)
    assert [h.posterior for h in first.hypotheses] == [h.posterior for h in second.hypotheses]
    assert first.evidence == second.evidence


@settings(max_examples=100, deadline=None)
@given(problems())
def test_sequential_updates_equal_one_batch_update(problem: tuple) -> None:
    priors, likelihoods = problem
    belief = dict(priors)
    n = len(next(iter(likelihoods.values())))
    for j in range(n):
        step = posterior(belief, {name: row[j] for name, row in likelihoods.items()})
        belief = {h.name: h.posterior for h in step.hypotheses}
    batch = posterior(priors, likelihoods)
    assert belief == {h.name: h.posterior for h in batch.hypotheses}


@settings(max_examples=100, deadline=None)
@given(problems(), st.integers(min_value=2, max_value=1000))
def test_normalize_is_scale_invariant(problem: tuple, scale: int) -> None:
    priors, likelihoods = problem
    weights = {name: p * scale for name, p in priors.items()}
    assert posterior(weights, likelihoods, normalize=True) == posterior(priors, likelihoods)


def test_float_inputs_take_the_float_path() -> None:
    result = posterior({"A": 0.5, "B": 0.5}, {"A": 0.1, "B": 0.8})
    assert not result.exact
    assert isinstance(result["B"].posterior, float)
    assert result["B"].posterior == pytest.approx(8 / 9, rel=1e-15)
    assert result.to_dict()["arithmetic"] == "float"


def test_to_dict_schema() -> None:
    result = urn_posterior({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
                           ["black", "white"])
    data = result.to_dict()
    assert data["arithmetic"] == "exact"
    assert F(data["evidence"]) == result.evidence
    assert [h["name"] for h in data["hypotheses"]] == ["A", "B"]
    assert sum(F(h["posterior"]) for h in data["hypotheses"]) == 1
    for h in data["hypotheses"]:
        assert h["posterior_float"] == float(F(h["posterior"]))
    assert len(data["trace"]) == 2
    assert data["trace"][-1]["posteriors"] == {h["name"]: h["posterior"]
                                               for h in data["hypotheses"]}


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priors", "likelihoods", "error", "fragment"),
    [
        ({"A": "1/2", "B": "1/2"}, {"A": "1/2", "C": "1/2"}, HypothesisError, "'C'"),
        ({"A": "1/2", "B": "1/2"}, {"A": "1/2"}, HypothesisError, "'B'"),
        ({"A": "1/2", "B": "1/2"}, {"A": ["1/2", "1/2"], "B": ["1/2"]}, HypothesisError,
         "same number"),
        ({"A": "1/2", "B": "1/2"}, {"A": "3/2", "B": "1/2"}, ProbabilityError, "3/2"),
        ({"A": "1/2", "B": "1/2"}, {"A": "-1/2", "B": "1/2"}, ProbabilityError, "-1/2"),
        ({"A": "1/2", "B": "1/3"}, {"A": "1/2", "B": "1/2"}, ProbabilityError, "5/6"),
        ({"A": "nan", "B": "1/2"}, {"A": "1/2", "B": "1/2"}, NumberFormatError, "nan"),
        ({"A": "1/2", "B": "1/2"}, {"A": "inf", "B": "1/2"}, NumberFormatError, "inf"),
        ({"A": "1/0", "B": "1/2"}, {"A": "1/2", "B": "1/2"}, NumberFormatError, "1/0"),
        ({"A": "", "B": "1"}, {"A": "1/2", "B": "1/2"}, NumberFormatError, "empty"),
        ({"A": "half", "B": "1/2"}, {"A": "1/2", "B": "1/2"}, NumberFormatError, "half"),
        ({"A": "1/2", "B": "1/2"}, {"A": "0", "B": "0"}, ImpossibleEvidenceError, "P(E) = 0"),
        ({}, {}, HypothesisError, "no hypotheses"),
    ],
)
def test_bad_input_names_the_problem(priors, likelihoods, error, fragment) -> None:
    with pytest.raises(error) as info:
        posterior(priors, likelihoods)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)


def test_normalize_rejects_negative_and_all_zero_weights() -> None:
    with pytest.raises(ProbabilityError, match="negative"):
        posterior({"A": "-1", "B": "2"}, {"A": "1/2", "B": "1/2"}, normalize=True)
    with pytest.raises(ProbabilityError, match="sum to 0"):
        posterior({"A": "0", "B": "0"}, {"A": "1/2", "B": "1/2"}, normalize=True)


def test_impossible_evidence_says_why() -> None:
    with pytest.raises(ImpossibleEvidenceError) as info:
        posterior({"A": "1", "B": "0"}, {"A": ["1/2", "0"], "B": ["1", "1"]},
                  observations=["first", "second"])
    assert "A gives observation 'second' probability 0" in str(info.value)
    assert "B has prior 0" in str(info.value)


@pytest.mark.parametrize(
    ("urns", "draws", "fragment"),
    [
        ({"A": {"white": -1, "black": 2}}, ["black"], "negative"),
        ({"A": {"white": 0, "black": 0}}, ["black"], "no balls"),
        ({"A": {"white": "2.5"}}, ["white"], "whole number"),
        ({"A": {"white": 1}}, ["green"], "'green'"),
        ({"A": {"white": 1}}, [], "no draws"),
        ({}, ["white"], "no urns"),
    ],
)
def test_bad_urns(urns, draws, fragment) -> None:
    with pytest.raises(InputError, match=fragment):
        urn_posterior(urns, draws)


def test_impossible_urn_evidence() -> None:
    with pytest.raises(ImpossibleEvidenceError):
        urn_posterior({"A": {"white": 1, "black": 1}}, ["black", "black"], replace=False)


def test_urn_priors_must_name_every_urn() -> None:
    urns = {"A": {"white": 1}, "B": {"white": 1, "black": 1}}
    with pytest.raises(HypothesisError, match="'B'"):
        urn_posterior(urns, ["white"], priors={"A": "1"})
    with pytest.raises(HypothesisError, match="'Z'"):
        urn_posterior(urns, ["white"], priors={"A": "1/2", "B": "1/2", "Z": "0"})
    weighted = urn_posterior(urns, ["white"], priors={"A": 3, "B": 1}, normalize=True)
    assert weighted["A"].prior == F(3, 4)


def test_diagnostic_needs_exactly_one_of_specificity_and_fpr() -> None:
    with pytest.raises(InputError, match="exactly one"):
        diagnostic_posterior("1/1000", "99%")
    with pytest.raises(InputError, match="exactly one"):
        diagnostic_posterior("1/1000", "99%", specificity="95%", false_positive_rate="5%")
    with pytest.raises(InputError, match="'maybe'"):
        diagnostic_posterior("1/1000", "99%", specificity="95%", results=["maybe"])
    with pytest.raises(ProbabilityError, match="prevalence"):
        diagnostic_posterior("2", "99%", specificity="95%")
