"""Checking a step of a user's derivation: symbolically, else at points of the domain.

First :func:`probkit.symbolic.step_verifier.symbolic_check` (the difference of the two
sides simplifies to 0 under the symbols' assumptions), with its cheap
simplifiers. When they do not reach 0, which happens for kinks (SymPy's own
``Heaviside(0)`` is 1/2, probkit's is 0) and for expressions that need more
than cancelling, both sides are
evaluated at random points *inside the domain* (points where the user's
expressions are real and finite), with
:func:`probkit.symbolic.step_verifier.numeric_check` at 30 significant digits. The
check record says which method decided and, for a numeric check, at which
points. SymPy's ``simplify`` (which can take minutes on a kinked expression)
is used only when no point of the domain can be evaluated. Functions of the
user's own (``f(x)``) are replaced by a fixed smooth
test function for the numeric check; a step that holds for every ``f`` holds
for that one.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> domain = Domain((x,), (sp.log(x),))
>>> check_step(sp.Derivative(sp.Max(0, x), x), sp.Heaviside(x, 0), domain).method
'numeric'
>>> check_step(sp.Derivative(sp.Max(0, x), x), sp.Heaviside(-x, 0), domain).passed
False
>>> check_step(sp.Derivative(sp.log(x), x), 1 / x, domain).method
'symbolic'
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from probkit.symbolic.model import Check, Step, Text
from probkit.symbolic.step_verifier import DIGITS, numeric_check, symbolic_check

POINTS = 6
"""Points of the domain a numeric check uses."""

WIDE = 10.0
"""Half of the points are drawn from a range this many times wider (kinks far from 0)."""

ATTEMPTS = 60
"""Random candidates tried when looking for points inside the domain."""


def _test_function(arguments: Sequence[Any]) -> Any:
    """A smooth, non-special function of the arguments (stands in for a user's ``f``)."""
    total = sp.Integer(0)
    for index, arg in enumerate(arguments, start=1):
        total += sp.Rational(7, 10 + index) * arg
    return sp.sin(total) + total**2 / 3 + sp.Rational(1, 2)


def concrete(expr: Any) -> Any:
    """``expr`` with every function of the user's own replaced by :func:`_test_function`."""
    for function in {applied.func for applied in expr.atoms(AppliedUndef)}:
        arity = len(next(iter(a for a in expr.atoms(AppliedUndef) if a.func == function)).args)
        slots = sp.symbols(f"_s0:{arity}", real=True)
        expr = expr.replace(function, sp.Lambda(slots, _test_function(slots)))
    return expr.doit()


def _finite_real(value: Any) -> bool:
    try:
        number = complex(value)
    except (TypeError, ValueError):
        return False
    return abs(number.imag) <= 1e-25 * max(1.0, abs(number.real)) and abs(number.real) < 1e100


@dataclass
class Domain:
    """Where numeric checks may look: the symbols, and expressions that must be defined.

    A point is inside the domain when every expression in ``defined`` is real
    and finite there. Symbols declared positive are drawn from [0.2, 2],
    negative ones from [-2, -0.2], the others from [-2, 2], or, for half of the
    points, from ranges :data:`WIDE` times as far from 0, so that a kink away
    from 0 is crossed (seeded, so every record is reproducible).
    """

    symbols: tuple[Any, ...]
    defined: tuple[Any, ...] = ()
    seed: int = 0
    _points: list[dict[Any, Any]] = field(default_factory=list, repr=False)

    def _draw(self, rng: random.Random) -> dict[Any, Any]:
        values = {}
        scale = WIDE if rng.random() < 0.5 else 1.0
        for symbol in self.symbols:
            if symbol.is_positive:
                low, high = 0.2, 2.0
            elif symbol.is_negative:
                low, high = -2.0, -0.2
            elif symbol.is_nonnegative:
                low, high = 0.0, 2.0
            elif symbol.is_nonpositive:
                low, high = -2.0, 0.0
            else:
                low, high = -2.0, 2.0
            values[symbol] = sp.Float(rng.uniform(low * scale if low < 0 else low,
                                                  high * scale if high > 0 else high), DIGITS)
        return values

    def candidates(self) -> list[dict[Any, Any]]:
        """Points where every ``defined`` expression is real and finite.

        Drawn from :data:`ATTEMPTS` random candidates; the first ones are used,
        the others are spares (for steps undefined at some points, and to put
        points on both sides of every kink).
        """
        if self._points:
            return self._points
        rng = random.Random(self.seed)
        tests = [concrete(expr) for expr in self.defined]
        for _ in range(ATTEMPTS):
            point = self._draw(rng)
            if all(_finite_real(test.xreplace(point).evalf(DIGITS)) for test in tests):
                self._points.append(point)
        return self._points


def switches(expr: Any) -> list[Any]:
    """Expressions whose sign selects a piece: Heaviside, sign and Abs arguments, the
    differences of Max/Min arguments, Piecewise conditions (``lhs - rhs``).

    >>> x = sp.Symbol("x", real=True)
    >>> switches(sp.Heaviside(x - 5, 0) + sp.Max(x, 2 * x))
    [x - 5, -x]
    """
    found: list[Any] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Heaviside | sp.sign | sp.Abs):
            found.append(node.args[0])
        elif isinstance(node, sp.Max | sp.Min):
            found += [u - v for i, u in enumerate(node.args) for v in node.args[i + 1:]]
        elif isinstance(node, sp.Piecewise):
            for _, condition in node.args:
                if isinstance(condition, sp.core.relational.Relational):
                    found.append(condition.lhs - condition.rhs)
    unique: list[Any] = []
    for item in found:
        if item.free_symbols and item not in unique:
            unique.append(item)
    return unique


def _sign(value: Any) -> int:
    number = complex(value).real
    return (number > 0) - (number < 0)


def _describe(point: Mapping[Any, Any]) -> str:
    return ", ".join(f"{symbol} = {float(value):.4g}" for symbol, value in point.items())


def _numeric(before: Any, after: Any, domain: Domain,
             definitions: Mapping[Any, Any]) -> tuple[Check, list[str]] | None:
    left = concrete(before.subs(dict(definitions)) if definitions else before)
    right = concrete(after.subs(dict(definitions)) if definitions else after)
    kinks = switches(left) + switches(right)
    sides: list[set[int]] = [set() for _ in kinks]
    realizations: list[tuple[str, Any, Any]] = []
    for point in domain.candidates():
        signs = [_sign(kink.xreplace(point).evalf(15)) for kink in kinks]
        new_side = any(sign and sign not in seen for sign, seen in zip(signs, sides, strict=True))
        if len(realizations) >= POINTS and not new_side:
            if all({1, -1} <= seen for seen in sides):
                break
            continue
        lhs, rhs = left.xreplace(point).evalf(DIGITS), right.xreplace(point).evalf(DIGITS)
        if _finite_real(lhs) and _finite_real(rhs):
            realizations.append((_describe(point), lhs, rhs))
            for sign, seen in zip(signs, sides, strict=True):
                seen.add(sign)
    if not realizations:
        return None
    return numeric_check(realizations, trials=1), [label for label, _, _ in realizations]


def check_step(
    before: Any,
    after: Any,
    domain: Domain,
    *,
    definitions: Mapping[Any, Any] | None = None,
) -> Check:
    """Check ``before == after``: symbolically, else numerically inside ``domain``."""
    definitions = definitions or {}
    symbolic = symbolic_check(before, after, definitions=definitions, thorough=False)
    if symbolic.passed:
        return symbolic
    found = _numeric(before, after, domain, definitions)
    if found is None:  # no point to evaluate at: SymPy's simplify is the last resort
        thorough = symbolic_check(before, after, definitions=definitions)
        if thorough.passed:
            return thorough
        return Check("symbolic", False, thorough.residual,
                     f"the difference does not simplify to 0 ({thorough.detail}) and no point "
                     "of the domain could be evaluated")
    numeric, labels = found
    verdict = "equal" if numeric.passed else "NOT equal"
    detail = (f"the difference did not simplify to 0 symbolically ({symbolic.detail}); "
              f"{verdict} at {len(labels)} random point(s) of the domain ({'; '.join(labels)}), "
              f"{DIGITS} digits")
    return Check("numeric", numeric.passed, numeric.residual, detail)


def checked(
    rule: str,
    before: Any,
    after: Any,
    explanation: Text,
    domain: Domain,
    *,
    definitions: Mapping[Any, Any] | None = None,
) -> Step:
    """A :class:`~probkit.symbolic.model.Step` with its :func:`check_step` record."""
    return Step(rule, before, after, explanation,
                check_step(before, after, domain, definitions=definitions))
