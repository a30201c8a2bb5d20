"""Exact results of thousands of digits stay exact but show briefly (repr, what a notebook
prints): BriefFraction, Distribution's exact summaries and the summary records."""

from __future__ import annotations

import pickle
from fractions import Fraction

from probkit import Distribution
from probkit.bayes.numeric import numeric_posterior
from probkit.numbers import BRIEF_REPR, BriefFraction, brief


def euro() -> Distribution:
    grid = [Fraction(i, 100) for i in range(101)]
    return Distribution.uniform(grid).update("binomial", "140/250")


def test_a_long_fraction_shows_as_a_decimal_and_stays_the_same_number():
    value = Fraction(10**400 + 1, 3 * 10**400)
    shown = brief(value)
    assert repr(shown) == "Fraction(≈ 0.333333; 401/401 digits)"
    assert len(repr(value)) > 800  # negative control: a plain Fraction prints every digit
    assert shown == value and hash(shown) == hash(value) and str(shown) == str(value)
    assert type(shown + 1) is Fraction and shown + 1 == value + 1
    assert pickle.loads(pickle.dumps(shown)) == value


def test_a_short_fraction_shows_as_usual():
    assert repr(brief(Fraction(20, 51))) == "Fraction(20, 51)" == repr(Fraction(20, 51))
    assert brief(0.5) == 0.5 and brief("x") == "x"
    long = Fraction(10**BRIEF_REPR, 10**BRIEF_REPR + 1)
    assert repr(BriefFraction(1, 7)) == "Fraction(1, 7)" and "≈" in repr(brief(long))


def test_distribution_exact_summaries_are_exact_with_a_short_repr():
    post = euro()
    p = post.prob(lambda x: x > Fraction(1, 2))
    expected = sum((q for v, q in post.items() if v > Fraction(1, 2)), Fraction(0))
    assert p == expected and isinstance(p, Fraction)
    assert len(str(p)) > 800 and len(repr(p)) < BRIEF_REPR  # exact digits, short display
    assert repr(p).startswith("Fraction(≈ 0.959432;")
    for shown in (post.mean(), post.var()):
        assert isinstance(shown, Fraction) and len(repr(shown)) < BRIEF_REPR
    interval = post.credible_interval(0.9)
    assert (interval.low, interval.high) == (Fraction(51, 100), Fraction(61, 100))
    assert len(str(interval.mass)) > 800
    assert len(repr(interval)) < 250 and "mass=Fraction(≈ 0.923262;" in repr(interval)


def test_numeric_summary_records_show_briefly():
    result = numeric_posterior("0:1:101", "binomial", ["140/250"], events=["p > 0.5"])
    text = repr(result.summary)
    assert len(text) < 1500 and "Fraction(≈ 0.559524;" in text  # the mean
    assert result.summary.unknowns[0][1].mean == euro().mean()  # still the exact number
