"""The event parser: what it accepts means what Python's own comparisons mean; the rest is
a one-line error naming the bad text."""

from __future__ import annotations

import operator
from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probkit.bayes import numeric_posterior
from probkit.bayes.events import MAX_EVENT_LENGTH, parse_event, parse_events
from probkit.errors import InputError

VALUES = [F(n, 4) for n in range(-8, 9)]


@pytest.mark.parametrize(("text", "truth"), [
    ("x > 1", lambda x: x > 1),
    ("x >= 1", lambda x: x >= 1),
    ("x < 1/2", lambda x: x < F(1, 2)),
    ("x <= 0.5", lambda x: x <= F(1, 2)),
    ("x == 0.25", lambda x: x == F(1, 4)),
    ("x != 0", lambda x: x != 0),
    ("1 < x", lambda x: 1 < x),
    ("-1 <= x < 1", lambda x: -1 <= x < 1),
    ("x > 1 or x < -1", lambda x: x > 1 or x < -1),
    ("x > 0 and x < 1 or x == -2", lambda x: (0 < x < 1) or x == -2),  # and binds tighter
    ("x > 0 and (x < 1 or x == 2)", lambda x: x > 0 and (x < 1 or x == 2)),
    ("not x > 0", lambda x: not x > 0),
    ("not (x > 0 or x < -1)", lambda x: not (x > 0 or x < -1)),
    ("x >= 50%", lambda x: x >= F(1, 2)),
    ("x > 1e-1", lambda x: x > F(1, 10)),
    ("x>1AND x<2".replace("AND", " and "), lambda x: 1 < x < 2),
])
def test_events_mean_what_python_means(text: str, truth) -> None:
    event = parse_event(text, ["x"])
    assert [event.holds({"x": v}) for v in VALUES] == [truth(v) for v in VALUES]


@given(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), st.fractions(max_denominator=50),
       st.fractions(max_denominator=50))
def test_every_operator_on_random_exact_numbers(op: str, bound: F, value: F) -> None:
    ops = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
           "==": operator.eq, "!=": operator.ne}
    event = parse_event(f"x {op} {bound.numerator}/{bound.denominator}", ["x"])
    assert event.holds({"x": value}) == ops[op](value, bound)


def test_two_unknowns() -> None:
    event = parse_event("mu > 0 and sigma <= 2", ["mu", "sigma"])
    assert event.names == ("mu", "sigma")
    assert event.holds({"mu": 1, "sigma": 2}) and not event.holds({"mu": 1, "sigma": 3})


def test_event_probabilities_equal_direct_sums() -> None:
    result = numeric_posterior("0:1:101", "binomial", ["140/250"],
                               events=["p > 0.5", "0.45 <= p <= 0.55", "p < 0.4 or p > 0.6",
                                       "not p == 0.56"])
    post = dict(zip((c[0] for c in result.problem.cells()), result.probabilities,
                    strict=True))
    half = F(1, 2)
    expected = {
        "p > 0.5": sum(w for p, w in post.items() if p > half),
        "0.45 <= p <= 0.55": sum(w for p, w in post.items() if F(45, 100) <= p <= F(55, 100)),
        "p < 0.4 or p > 0.6": sum(w for p, w in post.items() if p < F(2, 5) or p > F(3, 5)),
        "not p == 0.56": 1 - post[F(56, 100)],
    }
    assert dict(result.summary.events) == expected
    # negative control: a boundary slip (>= instead of >) changes the answer
    assert expected["p > 0.5"] != sum(w for p, w in post.items() if p >= half)


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "empty"),
    ("   ", "empty"),
    ("x", "a comparison"),
    ("x >", "ends early"),
    ("x >> 1", "'>'"),
    ("x => 1", "'='"),
    ("x = 1", "'='"),
    ("y > 1", "'y'"),
    ("1 < 2", "must involve an unknown"),
    ("x > 1 and", "ends early"),
    ("x > 1 or or x < 0", "'or'"),
    ("(x > 1", "')'"),
    ("x > 1)", "')'"),
    ("x > 1/0", "zero denominator"),
    ("x > nan", "'nan'"),
    ("x-1 > 0", "'-1'"),
    ("x > 1; import os", "';'"),
    ("__import__(os) > 1", "'__import__'"),
    ("x > 'a'", "\"'\""),
    ("x in [1, 2]", "'['"),
    ("x > (1)", "'('"),
    ("(" * 60 + "x > 1" + ")" * 60, "nested more than"),
    ("x > " + "1" * (MAX_EVENT_LENGTH + 1), "longer than"),
])
def test_bad_events_are_errors_naming_the_text(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_event(text, ["x"])
    message = str(caught.value)
    assert "\n" not in message
    assert fragment in message, message
    assert message.startswith("event ")


def test_too_many_events() -> None:
    with pytest.raises(InputError, match="at most 100"):
        parse_events(["x > 1"] * 101, ["x"])
