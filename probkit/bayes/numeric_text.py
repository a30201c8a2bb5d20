"""How the summaries of a numeric posterior print numbers: exact where short, else decimal.

``= 20/51 ≈ 0.392157`` for a short exact value, ``≈ 133.275231`` for a float or an exact one
of many digits, percentages of credible levels and unions of intervals. Standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from probkit.bayes.values import format_value
from probkit.numbers import Number, format_decimal, format_exact

SHORT_DIGITS = 24
"""Exact numbers longer than this are shown as decimals in tables and text."""


def decimal_text(value: Number) -> str:
    """``value`` as a decimal (exact text when it is beyond the float range)."""
    try:
        return format_decimal(value)
    except OverflowError:
        return format_exact(value)


def value_text(value: Number, exact: bool) -> str:
    """``= 20/51 ≈ 0.392157``, ``= 8``, or ``≈ 133.275231`` (inexact, or too many digits)."""
    if exact and isinstance(value, Fraction):
        text = format_exact(value)
        if text == decimal_text(value):
            return f"= {text}"
        if len(text) <= SHORT_DIGITS:
            return f"= {text} ≈ {decimal_text(value)}"
    return f"≈ {decimal_text(value)}"


def percent_text(level: Fraction) -> str:
    """A credible level as a percentage: ``90%``, ``99.5%``."""
    return f"{format_decimal(level * 100, 4)}%"


def interval_text(segments: Sequence[tuple[Fraction, Fraction]]) -> str:
    """An interval, or a union of them: ``[69, 869]``, ``[1, 2] ∪ [5, 6]``."""
    return " ∪ ".join(f"[{format_value(a)}, {format_value(b)}]" for a, b in segments)


__all__ = ["SHORT_DIGITS", "decimal_text", "interval_text", "percent_text", "value_text"]
