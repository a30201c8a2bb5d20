"""Exact numbers from text: ``1/3``, ``0.99``, ``99%``, ``1e-3``, ``10_000``.

Standard library only. Decimal text is read exactly (``0.99`` is 99/100, not
the nearest binary float); Python ``float`` objects are kept as floats, so a
caller can tell which arithmetic a result used.

Digits in other scripts: like Python's own ``int``, ``float`` and ``Fraction``
(and so like every integer option of the command line), the parser accepts any
Unicode *decimal* digit, e.g. Arabic-Indic ``٠.٥`` or fullwidth ``１/２``; each
means the digit it is, and every result is shown with ASCII digits, so what was
read is visible. Everything else in a number must be ASCII: lookalike signs
(fullwidth ``／``, ``％``, ``．``) and non-decimal digits (superscript ``²``,
circled ``①``) are refused by name, since reading them would be a guess (``10²``
must not become 102).

>>> parse_number("١/٢")
Fraction(1, 2)
>>> parse_number("10²")
Traceback (most recent call last):
...
probkit.errors.NumberFormatError: number: '10²' contains '²' (SUPERSCRIPT TWO), which is \
not part of a number; write numbers with the digits 0-9 and ASCII signs (e.g. 0.25, 1/4, 25%)

>>> parse_number("0.99")
Fraction(99, 100)
>>> parse_probability("5%")
Fraction(1, 20)
>>> format_exact(Fraction(8, 9)), format_exact(Fraction(1))
('8/9', '1')
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from fractions import Fraction
from numbers import Rational
from typing import Any, TypeAlias

from probkit.errors import NumberFormatError, ProbabilityError

Number: TypeAlias = Fraction | float
"""An exact rational, or a float when the caller supplied floats."""

_TEXT = re.compile(
    r"""^\s*
    (?P<num>[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?)
    (\s*/\s*(?P<den>\d[\d_]*(\.[\d_]*)?([eE][+-]?\d+)?))?
    \s*(?P<pct>%)?\s*$""",
    re.VERBOSE,
)


MAX_DIGITS = 4000
"""Most decimal digits a number's numerator or denominator may get from its text (digits
written plus the exponent). Python refuses to print integers over 4300 digits, and
exact arithmetic on far longer ones takes minutes; no probability needs them."""


def _shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for an error message, cut to ``limit`` characters.

    >>> _shown("1/2"), _shown("1" * 50, limit=5)
    ("'1/2'", "'11111'... (50 characters)")
    """
    text = text.strip()
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


def _exponent(text: str) -> int:
    """The absolute value of an exponent's digits, read in bounded time.

    Leading zeros are dropped before the length is looked at, so padding
    (``1e-000...0001000000``) cannot hide a huge exponent; an exponent with more
    digits than any allowed one is reported as just above the limit.

    >>> _exponent("-0003"), _exponent("-" + "0" * 50 + "25"), _exponent("-" + "0" * 50 + "1000000")
    (3, 25, 4001)
    """
    ascii_digits = "".join(str(unicodedata.decimal(c)) for c in text.lstrip("+-") if c != "_")
    digits = ascii_digits.lstrip("0") or "0"
    if len(digits) > len(str(MAX_DIGITS)):
        return MAX_DIGITS + 1
    return int(digits)


def _check_size(text: str, match: re.Match[str], what: str) -> None:
    """Reject digit strings and exponents too large to compute with exactly."""
    for part in (match.group("num"), match.group("den") or ""):
        mantissa, _, exponent = part.lower().partition("e")
        shift = _exponent(exponent) if exponent else 0
        if shift > MAX_DIGITS:
            raise NumberFormatError(
                f"{what}: {_shown(text)} has an exponent beyond ±{MAX_DIGITS}"
            )
        if sum(c.isdigit() for c in mantissa) + shift > MAX_DIGITS:
            raise NumberFormatError(
                f"{what}: {_shown(text)} has more than {MAX_DIGITS} digits"
            )


def _exact(part: str) -> Fraction:
    """The value of one size-checked decimal (mantissa and exponent read separately, so a
    zero-padded exponent never reaches ``int`` as thousands of digits)."""
    mantissa, _, exponent = part.replace("_", "").lower().partition("e")
    value = Fraction(mantissa)
    if exponent:
        shift = _exponent(exponent)
        value *= Fraction(10) ** (-shift if exponent.startswith("-") else shift)
    return value


def _refuse_lookalikes(text: str, what: str) -> None:
    """Name the first character of ``text`` that only looks like part of a number."""
    for char in text.strip():
        if not char.isascii() and not char.isspace() and not char.isdecimal():
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            raise NumberFormatError(
                f"{what}: {_shown(text)} contains {char!r} ({name}), which is not part "
                "of a number; write numbers with the digits 0-9 and ASCII signs "
                "(e.g. 0.25, 1/4, 25%)"
            )


def parse_number(text: str, *, what: str = "number") -> Fraction:
    """Parse ``text`` as an exact rational number.

    Accepts integers, decimals, scientific notation, ``p/q`` fractions and a
    trailing ``%``. Rejects empty text, ``nan``, ``inf``, a zero denominator
    and anything else, raising :class:`~probkit.errors.NumberFormatError`
    whose message names ``what`` and the offending text.

    >>> parse_number("1/3")
    Fraction(1, 3)
    >>> parse_number("1e6")
    Fraction(1000000, 1)
    >>> parse_number("1/0", what="prior of A")
    Traceback (most recent call last):
    ...
    probkit.errors.NumberFormatError: prior of A: '1/0' has a zero denominator
    """
    if not isinstance(text, str):
        raise NumberFormatError(f"{what}: expected text, got {text!r}")
    cached = _PARSED.get(text)
    if cached is not None:
        return cached
    simple = _SIMPLE.match(text)
    if simple is not None:  # short ASCII decimals and fractions: plain int arithmetic
        whole, decimals, denominator, percent = simple.groups()
        numerator = int(whole + (decimals or ""))
        scale = 10 ** len(decimals or "") * (100 if percent else 1)
        if denominator is not None:
            if int(denominator) == 0:
                raise NumberFormatError(f"{what}: {_shown(text, 80)} has a zero denominator")
            scale *= int(denominator)
        value = Fraction(numerator, scale)
        return _remember(text, value)
    match = _TEXT.match(text)
    if match is None:
        _refuse_lookalikes(text, what)
        raise NumberFormatError(
            f"{what}: {repr(text) if len(text) <= 40 else _shown(text)} is not a number "
            "(use e.g. 0.25, 1/4 or 25%)"
            if text.strip()
            else f"{what}: got an empty value; expected a number such as 0.25, 1/4 or 25%"
        )
    _check_size(text, match, what)
    value = _exact(match.group("num"))
    if match.group("den") is not None:
        den = _exact(match.group("den"))
        if den == 0:
            raise NumberFormatError(f"{what}: {_shown(text, 80)} has a zero denominator")
        value /= den
    if match.group("pct"):
        value /= 100
    return _remember(text, value)


_SIMPLE = re.compile(r"^\s*([+-]?[0-9]{1,15})(?:\.([0-9]{1,15}))?(?:\s*/\s*([0-9]{1,15}))?"
                     r"\s*(%)?\s*$", re.ASCII)
"""``12``, ``-0.25``, ``3/4``, ``99.5%``: the common forms, read without the general parser."""

_PARSED: dict[str, Fraction] = {}
"""Texts already read (each distinct likelihood text of a big table is parsed once)."""

_PARSED_LIMIT = 65_536


def _remember(text: str, value: Fraction) -> Fraction:
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[text] = value
    return value


def parse_probability(text: str, *, what: str = "probability") -> Fraction:
    """Parse ``text`` exactly and check that it lies in [0, 1].

    >>> parse_probability("1/1000")
    Fraction(1, 1000)
    >>> parse_probability("1.2", what="sensitivity")
    Traceback (most recent call last):
    ...
    probkit.errors.ProbabilityError: sensitivity: 1.2 is not a probability (outside [0, 1])
    """
    value = parse_number(text, what=what)
    check_probability(value, what=what, shown=text.strip())
    return value


def check_probability(value: Number, *, what: str, shown: str | None = None) -> None:
    """Raise :class:`~probkit.errors.ProbabilityError` unless ``0 <= value <= 1``."""
    if not 0 <= value <= 1:
        raise ProbabilityError(
            f"{what}: {shown if shown is not None else format_exact(value)} "
            "is not a probability (outside [0, 1])"
        )


def to_number(value: object, *, what: str = "number") -> Number:
    """Convert a library argument to a :data:`Number`.

    Text and rationals (``int``, :class:`~fractions.Fraction`) become exact
    fractions; a Python ``float`` stays a float. ``bool``, ``nan`` and
    infinities are rejected.

    >>> to_number("3/4"), to_number(2), to_number(0.5)
    (Fraction(3, 4), Fraction(2, 1), 0.5)
    """
    if isinstance(value, bool):
        raise NumberFormatError(f"{what}: {value!r} is not a number")
    if isinstance(value, str):
        return parse_number(value, what=what)
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberFormatError(f"{what}: {value!r} is not a finite number")
        return value
    raise NumberFormatError(f"{what}: {value!r} is not a number")


def to_float(value: Number, *, what: str = "number") -> float:
    """``value`` as a Python float, refusing what a float cannot hold.

    An exact number beyond the largest float (about 1.8e308) raises
    :class:`~probkit.errors.NumberFormatError` naming ``what``, and so does a
    non-zero one so small it would become 0.0 (below about 4.9e-324), since
    either conversion would silently change the value's meaning.

    >>> to_float(Fraction(1, 4)), to_float(Fraction(0))
    (0.25, 0.0)
    >>> to_float(parse_number("1e400"), what="--l2")
    Traceback (most recent call last):
    ...
    probkit.errors.NumberFormatError: --l2: 1e400 is too large for a floating-point number \
(the largest is about 1.8e308)
    """
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if math.isinf(number):
        raise NumberFormatError(
            f"{what}: {_magnitude(value)} is too large for a floating-point number "
            "(the largest is about 1.8e308)"
        )
    if number == 0 and value != 0:
        raise NumberFormatError(
            f"{what}: {_magnitude(value)} is too small for a floating-point number "
            "(the smallest is about 4.9e-324); use 0 or a larger value"
        )
    return number


def _magnitude(value: Number) -> str:
    """A short text for a number far outside the float range, without converting it.

    >>> _magnitude(Fraction(10) ** 400), _magnitude(Fraction(-25, 10**501))
    ('1e400', '-2.5e-500')
    """
    if not isinstance(value, Fraction) or value == 0:
        return repr(value)
    size = abs(value)
    exponent = math.floor((size.numerator.bit_length() - size.denominator.bit_length())
                          * math.log10(2))
    while Fraction(10) ** exponent > size:  # the estimate is within one of the truth
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= size:
        exponent += 1
    mantissa = f"{float(size / Fraction(10) ** exponent):.3g}"
    return f"{'-' if value < 0 else ''}{mantissa}e{exponent}"


def format_exact(value: Number) -> str:
    """Show a number the way the JSON output stores it: ``"8/9"``, ``"1"``, or a float's repr."""
    if isinstance(value, Fraction):
        if max(value.numerator.bit_length(), value.denominator.bit_length()) < 14000:
            return str(value)  # under 4300 digits: within Python's int-to-text limit
        limit = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)  # exact results may have more digits; show them all
        try:
            return str(value)
        finally:
            sys.set_int_max_str_digits(limit)
    return repr(float(value))


def format_decimal(value: Number, digits: int = 6) -> str:
    """Show a number as a rounded decimal for tables: ``0.888889``, ``1``, ``1.000e-09``.

    Exact rationals are rounded in integer arithmetic, never through a float, so values
    beyond the float range still show: ``1.000e-400``, ``5.000e+399``. Numbers whose size
    is below ``10**-digits`` (or, for rationals, at least ``10**16``) are shown in scientific
    notation with four significant digits.

    >>> format_decimal(Fraction(1, 2 * 10**400)), format_decimal(Fraction(10**400, 2))
    ('5.000e-401', '5.000e+399')
    """
    if isinstance(value, Fraction):
        return _format_fraction(value, digits)
    number = float(value)
    if number != 0 and abs(number) < 10 ** (-digits):
        return f"{number:.3e}"
    text = f"{number:.{digits}f}"
    return text.rstrip("0").rstrip(".")


_SCIENTIFIC_FROM = 10**16


def _format_fraction(value: Fraction, digits: int) -> str:
    """:func:`format_decimal` for a rational, with integer arithmetic only."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    size = abs(value)
    if size < Fraction(1, 10**digits) or size >= _SCIENTIFIC_FROM:
        exponent = math.floor((size.numerator.bit_length() - size.denominator.bit_length())
                              * math.log10(2))
        while _power_of_ten(exponent) > size:
            exponent -= 1
        while _power_of_ten(exponent + 1) <= size:
            exponent += 1
        mantissa = round(size / _power_of_ten(exponent) * 1000)
        if mantissa == 10_000:  # rounded up to the next power of ten
            mantissa, exponent = 1000, exponent + 1
        mark = "-" if exponent < 0 else "+"
        return f"{sign}{mantissa // 1000}.{mantissa % 1000:03d}e{mark}{abs(exponent):02d}"
    scaled = round(size * 10**digits)
    whole, fraction = divmod(scaled, 10**digits)
    text = f"{whole}.{fraction:0{digits}d}".rstrip("0").rstrip(".") if digits else str(whole)
    return sign + text


def _power_of_ten(exponent: int) -> Fraction:
    return Fraction(10**exponent) if exponent >= 0 else Fraction(1, 10**-exponent)


BRIEF_REPR = 60
"""Longest ``repr`` of an exact result shown in full; longer ones show as a decimal."""


class BriefFraction(Fraction):
    """An exact :class:`~fractions.Fraction` whose ``repr`` stays short.

    The same number (equal, same hash, same ``str``, exact arithmetic returning plain
    Fractions); only its ``repr``, what a notebook or the REPL shows, turns a fraction of
    thousands of digits into ``Fraction(≈ 0.954669; 428/430 digits)``. Short ones show as
    usual.

    >>> BriefFraction(1, 3), BriefFraction(10**100 + 1, 3 * 10**100)
    (Fraction(1, 3), Fraction(≈ 0.333333; 101/101 digits))
    """

    __slots__ = ()

    def __repr__(self) -> str:
        full = f"Fraction({self.numerator}, {self.denominator})"  # as a plain one shows
        if len(full) <= BRIEF_REPR:
            return full
        digits = f"{len(str(abs(self.numerator)))}/{len(str(self.denominator))} digits"
        return f"Fraction(≈ {format_decimal(self)}; {digits})"


def brief(value: Any) -> Any:
    """``value`` with every long exact Fraction in it (also inside tuples) shown briefly
    (:class:`BriefFraction`); anything else as it is."""
    if isinstance(value, Fraction) and not isinstance(value, BriefFraction):
        return BriefFraction(value.numerator, value.denominator)
    if isinstance(value, tuple):
        return tuple(brief(item) for item in value)
    return value


__all__ = [
    "BRIEF_REPR",
    "BriefFraction",
    "brief",
    "Number",
    "check_probability",
    "format_decimal",
    "format_exact",
    "parse_number",
    "parse_probability",
    "to_float",
    "to_number",
]
