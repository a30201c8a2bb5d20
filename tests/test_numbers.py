"""Exact parsing of numbers from text."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from probkit.errors import InputError, NumberFormatError, ProbabilityError
from probkit.numbers import format_decimal, format_exact, parse_number, parse_probability, to_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/3", Fraction(1, 3)),
        ("0.99", Fraction(99, 100)),
        ("99%", Fraction(99, 100)),
        ("1.5%", Fraction(3, 200)),
        ("1e-3", Fraction(1, 1000)),
        ("10_000", Fraction(10000)),
        (" 2 / 8 ", Fraction(1, 4)),
        (".5", Fraction(1, 2)),
        ("-3", Fraction(-3)),
        ("0.1", Fraction(1, 10)),  # exactly one tenth, not the binary float
    ],
)
def test_parse_number_is_exact(text: str, expected: Fraction) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "", "   ", "abc", "1//2", "1/", "/2",
                                  "1/0", "0/0", "1e", "5%%", "0x10", "1,5"])
def test_parse_number_rejects_garbage_naming_it(text: str) -> None:
    with pytest.raises(NumberFormatError) as info:
        parse_number(text, what="prior of 'A'")
    message = str(info.value)
    assert "prior of 'A'" in message
    assert isinstance(info.value, ValueError)
    if text.strip():
        assert repr(text) in message


@given(st.fractions())
def test_fraction_text_round_trips(value: Fraction) -> None:
    assert parse_number(format_exact(value)) == value


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=6))
def test_decimal_text_is_read_exactly(digits: int, places: int) -> None:
    text = f"{digits / 10**places:.{places}f}" if places else str(digits)
    assert parse_number(text) == Fraction(digits, 10**places)


def test_parse_probability_bounds() -> None:
    assert parse_probability("0") == 0
    assert parse_probability("100%") == 1
    for bad in ["1.01", "-0.1", "101%", "3/2"]:
        with pytest.raises(ProbabilityError, match="outside"):
            parse_probability(bad, what="sensitivity")


def test_to_number_keeps_floats_and_rejects_non_numbers() -> None:
    assert to_number(0.25) == 0.25 and isinstance(to_number(0.25), float)
    assert isinstance(to_number(3), Fraction)
    for bad in [float("nan"), float("inf"), True, None, [1]]:
        with pytest.raises(InputError):
            to_number(bad)


def test_format_decimal() -> None:
    assert format_decimal(Fraction(8, 9)) == "0.888889"
    assert format_decimal(Fraction(1)) == "1"
    assert format_decimal(Fraction(1, 10**9)) == "1.000e-09"
