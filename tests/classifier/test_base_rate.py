"""Base-rate conversion and the classifier-as-test view against independent oracles."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probkit.classifier.base_rate import (
    BaseRateShift,
    ConfusionCounts,
    classifier_as_test,
    confusion_counts,
)
from probkit.errors import DataError, ProbabilityError


# one-line views of BaseRateShift, as the tests below read best (test-only: the library's
# one way is BaseRateShift(training, target).shift_*)
def base_rate_factor(training_base_rate, base_rate):
    return BaseRateShift(training_base_rate, base_rate).odds_factor


def adjust_probability(p, *, training_base_rate, base_rate):
    return BaseRateShift(training_base_rate, base_rate).shift_probability(p)


def adjust_probabilities(p_cat, *, training_base_rate, base_rate):
    return BaseRateShift(training_base_rate, base_rate).shift_probabilities(p_cat)


def adjust_logits(logits, *, training_base_rate, base_rate):
    return BaseRateShift(training_base_rate, base_rate).shift_logits(logits)


open_unit = st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(999, 1000))
positive = st.fractions(min_value=Fraction(1, 100), max_value=100)


@settings(max_examples=200, deadline=None)
@given(lik_cat=positive, lik_non=positive, pi=open_unit, target=open_unit)
def test_odds_conversion_equals_bayes_from_likelihoods(lik_cat, lik_non, pi, target):
    # oracle: the same image likelihoods under two priors, by Bayes' rule directly
    p_train = lik_cat * pi / (lik_cat * pi + lik_non * (1 - pi))
    p_target = lik_cat * target / (lik_cat * target + lik_non * (1 - target))
    assert adjust_probability(p_train, training_base_rate=pi, base_rate=target) == p_target


@settings(max_examples=100, deadline=None)
@given(p=open_unit, pi=open_unit, target=open_unit)
def test_round_trip_and_identity(p, pi, target):
    there = adjust_probability(p, training_base_rate=pi, base_rate=target)
    assert adjust_probability(there, training_base_rate=target, base_rate=pi) == p
    assert adjust_probability(p, training_base_rate=pi, base_rate=pi) == p


def test_textbook_example_and_float_path():
    # a model trained on 34% cats says 0.5; in a population of 66% cats the
    # odds grow by (66/34)/(34/66) = (33/17)^2
    factor = base_rate_factor("34%", "66%")
    assert factor == Fraction(33, 17) ** 2
    p = adjust_probability("1/2", training_base_rate="34%", base_rate="66%")
    assert p == Fraction(1089, 1089 + 289)
    assert isinstance(adjust_probability(0.5, training_base_rate=0.34, base_rate=0.66), float)


def test_vectorised_path_agrees_with_exact_and_handles_extremes():
    ps = [Fraction(1, 10), Fraction(1, 2), Fraction(97, 100)]
    exact = [adjust_probability(p, training_base_rate=Fraction(34, 100),
                                base_rate=Fraction(1, 5)) for p in ps]
    got = adjust_probabilities([float(p) for p in ps], training_base_rate=0.34, base_rate=0.2)
    assert got == pytest.approx([float(v) for v in exact], rel=1e-12)
    assert adjust_probabilities([0.0, 1.0], training_base_rate=0.34, base_rate=0.2).tolist() \
        == [0.0, 1.0]
    z = np.array([-2.0, 0.0, 3.0])
    shifted = adjust_logits(z, training_base_rate=0.25, base_rate=0.75)
    assert shifted - z == pytest.approx([2 * np.log(3)] * 3)


def test_negative_control_swapped_rates_give_a_different_answer():
    p = adjust_probability("1/2", training_base_rate="1/4", base_rate="3/4")
    wrong = adjust_probability("1/2", training_base_rate="3/4", base_rate="1/4")
    assert p == Fraction(9, 10) and wrong == Fraction(1, 10)


def test_rates_must_be_strictly_inside_zero_one():
    with pytest.raises(ProbabilityError, match="base rate"):
        adjust_probability("1/2", training_base_rate="1/3", base_rate="0")
    with pytest.raises(ProbabilityError, match="training base rate"):
        adjust_probability("1/2", training_base_rate="1", base_rate="1/2")
    with pytest.raises(ProbabilityError):
        adjust_probability("3/2", training_base_rate="1/3", base_rate="1/2")
    with pytest.raises(ProbabilityError):
        adjust_probabilities([1.2], training_base_rate=0.3, base_rate=0.5)


@settings(max_examples=100, deadline=None)
@given(tp=st.integers(0, 40), fn=st.integers(0, 40), tn=st.integers(0, 40),
       fp=st.integers(0, 40))
def test_classifier_as_test_at_the_data_base_rate_is_just_counting(tp, fn, tn, fp):
    counts = ConfusionCounts(true_positive=tp, false_negative=fn, true_negative=tn,
                             false_positive=fp)
    if tp + fn == 0 or tn + fp == 0:
        with pytest.raises(DataError):
            classifier_as_test(counts)
        return
    view = classifier_as_test(counts, ["1/2"])
    assert view.sensitivity == Fraction(tp, tp + fn)
    assert view.specificity == Fraction(tn, tn + fp)
    own = view.answers[0]
    assert own.base_rate == Fraction(tp + fn, tp + fn + tn + fp)
    # oracle: among the images it called "cat", the share that are cats
    assert own.p_cat_if_says_cat == (Fraction(tp, tp + fp) if tp + fp else None)
    assert own.p_cat_if_says_non_cat == (Fraction(fn, fn + tn) if fn + tn else None)
    half = view.answers[1]
    s, c = view.sensitivity, view.specificity
    if s + (1 - c):
        assert half.p_cat_if_says_cat == s / (s + (1 - c))


def test_confusion_counts_and_errors():
    assert confusion_counts([1, 0, 1, 0], [1, 1, 0, 0]) == ConfusionCounts(1, 1, 1, 1)
    with pytest.raises(DataError):
        confusion_counts([1, 0], [1])
    with pytest.raises(DataError):
        confusion_counts([1, 2], [1, 0])
