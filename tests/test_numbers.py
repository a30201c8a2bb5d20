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


# ---------------------------------------------------------------- numbers at the edges


@pytest.mark.parametrize("padding", [20, 30, 1000])
def test_zero_padded_exponents_do_not_bypass_the_size_limit(padding: int) -> None:
    # 1e-<zeros>1000000 hung: only the first 20 characters of the exponent were read
    text = "1e-" + "0" * padding + "1000000"
    with pytest.raises(NumberFormatError, match="exponent beyond"):
        parse_number(text, what="--prevalence")


@pytest.mark.parametrize("padding", [1, 25, 10_000])
def test_zero_padded_small_exponents_keep_their_value(padding: int) -> None:
    assert parse_number("3e-" + "0" * padding + "5") == Fraction(3, 10**5)
    assert parse_number("1/2e+" + "0" * padding + "2") == Fraction(1, 200)


def test_exponent_at_the_limit_is_accepted_and_just_beyond_refused() -> None:
    assert parse_number("1e-3999") == Fraction(1, 10**3999)
    with pytest.raises(NumberFormatError, match="beyond ±4000"):
        parse_number("1e-4001")


def test_huge_text_is_shown_cut_short_in_the_message() -> None:
    with pytest.raises(NumberFormatError) as info:
        parse_number("1e-" + "0" * 100_000 + "9999999")
    assert len(str(info.value)) < 200 and "characters" in str(info.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("٠.٥", Fraction(1, 2)),       # Arabic-Indic digits
    ("１/２", Fraction(1, 2)),      # fullwidth digits, ASCII slash
    ("५%", Fraction(1, 20)),       # Devanagari five
    ("1e-٠٠٣", Fraction(1, 1000)),  # padded with Arabic-Indic zeros
])
def test_unicode_decimal_digits_mean_the_digit_they_are(text: str, expected: Fraction) -> None:
    assert parse_number(text) == expected
    assert format_exact(parse_number(text)).isascii()  # what was read is shown in ASCII


@pytest.mark.parametrize(("text", "char"), [
    ("10²", "SUPERSCRIPT TWO"), ("１／２", "FULLWIDTH SOLIDUS"), ("5％", "FULLWIDTH PERCENT SIGN"),
    ("①", "CIRCLED DIGIT ONE"), ("0．5", "FULLWIDTH FULL STOP"), ("−0.5", "MINUS SIGN"),
])
def test_lookalike_characters_are_refused_by_name(text: str, char: str) -> None:
    with pytest.raises(NumberFormatError, match=char) as info:
        parse_number(text, what="--prevalence")
    assert "--prevalence" in str(info.value)


def test_to_float_refuses_what_a_float_cannot_hold() -> None:
    from probkit.numbers import to_float

    assert to_float(parse_number("1e300"), what="--l2") == 1e300
    assert to_float(parse_number("0")) == 0.0
    with pytest.raises(NumberFormatError, match=r"--l2: 1e400 is too large"):
        to_float(parse_number("1e400"), what="--l2")
    with pytest.raises(NumberFormatError, match=r"--l2: 2\.5e-400 is too small"):
        to_float(parse_number("2.5e-400"), what="--l2")
    with pytest.raises(NumberFormatError, match=r"-1e309 is too large"):
        to_float(-parse_number("1e309"))
