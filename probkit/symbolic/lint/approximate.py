r"""Decimals written with only some of their digits: ``0.0194\ldots``, ``\approx 3.14``.

:class:`Inexact` stands for a decimal whose further digits are not written. An
equality with one holds when the exact value on the other side agrees with
the digits written: truncated (0.0194… for 0.019434) or rounded (0.667… for
2/3). Anywhere else it is the number written (its digits, for numeric checks
and suggestions).

>>> import sympy as sp
>>> third = Inexact(sp.Rational(333, 1000), sp.Rational(1, 1000))
>>> agrees(third, sp.Rational(1, 3)), agrees(third, sp.Rational(1, 4))
(True, False)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

DIGITS = 40
"""Significant digits of the exact side when it is compared with the digits written."""


class Inexact(sp.Function):
    """``Inexact(value, unit)``: ``value`` written to the digit ``unit`` (0.0194…: 0.0194, 1e-4)."""

    nargs = 2

    @classmethod
    def eval(cls, value: Any, unit: Any) -> Any:
        return None

    def _eval_evalf(self, prec: int) -> Any:
        return self.args[0]._eval_evalf(prec)

    def _eval_is_real(self) -> bool:
        return True

    def _latex(self, printer: Any) -> str:
        return f"{float(self.args[0])!r}\\ldots"


def written(side: Any) -> tuple[Any, Any] | None:
    """``(value, unit)`` when ``side`` is c·Inexact(v, u) for a number c; else None."""
    coefficient, rest = side.as_coeff_Mul()
    if isinstance(rest, Inexact) and coefficient.is_number and coefficient != 0:
        value, unit = rest.args
        return coefficient * value, abs(coefficient) * unit
    return None


def agrees(side: Any, exact: Any) -> bool | None:
    """Does ``exact`` (a number) agree with the digits of ``side``? None: not a lone decimal."""
    found = written(side)
    if found is None:
        return None
    value, unit = found
    number = sp.N(exact.replace(Inexact, lambda v, u: v), DIGITS)
    if not number.is_real:
        return False
    magnitude, shown = abs(number), abs(value)
    if value != 0 and (number > 0) != (value > 0):
        return False
    return bool(shown - unit / 2 <= magnitude < shown + unit)


__all__ = ["Inexact", "agrees", "written"]
