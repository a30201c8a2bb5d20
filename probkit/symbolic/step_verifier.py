"""Machine checks of single steps: symbolic for scalars, numeric for matrices.

A scalar step is checked by simplifying ``before - after`` to zero, after
evaluating derivatives and substituting the derivation's definitions. The
symbols carry assumptions (``a > 0``, ``x`` real, ...) so that exponentials
and logarithms simplify. The cheap simplifiers are tried first; ``simplify``
only when they do not reach zero.

A matrix step is realized on explicit small symbolic matrices (for instance a
2 x 3 data matrix whose entries are symbols) and both sides are evaluated at
random values with 30 significant digits. SymPy's ``MatrixSymbol``
differentiation is never relied upon: derivatives are taken entry by entry of
an explicit scalar cost.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> symbolic_check(sp.Derivative(sp.sin(x) ** 2, x), sp.sin(2 * x)).passed
True
>>> symbolic_check(sp.Derivative(sp.sin(x) ** 2, x), sp.cos(2 * x)).passed
False
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp

from probkit.symbolic.model import Check, Step, Text

DIGITS = 30
"""Significant digits used when evaluating numeric checks."""

TOLERANCE = 1e-20
"""Largest relative difference a numeric check accepts (at 30 digits)."""

_SIMPLIFIERS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("as is", lambda e: e),
    ("together", lambda e: sp.expand(sp.fraction(sp.together(e))[0])),
    ("cancel", sp.cancel),
    ("expand + cancel", lambda e: sp.cancel(sp.expand(e))),
    ("rewrite in exp + cancel", lambda e: sp.cancel(e.rewrite(sp.exp))),
    ("simplify", sp.simplify),
)


def _substitute(expr: Any, definitions: Mapping[Any, Any]) -> Any:
    """Evaluate derivatives, substitute the definitions, evaluate again."""
    expr = expr.doit()
    if definitions:
        expr = expr.subs(dict(definitions)).doit()
    return expr


_CHEAP = 4
"""The first simplifiers, which work on polynomials only; the rest (rewriting in exp,
``simplify``) can take minutes on a large expression with kinks."""


def _reduce(expr: Any, thorough: bool = True) -> tuple[str, Any]:
    """Simplify ``expr`` with ever stronger simplifiers; stop at zero.

    ``thorough=False`` uses the :data:`_CHEAP` ones only.
    """
    result = expr
    name = "as is"
    for name, simplifier in _SIMPLIFIERS if thorough else _SIMPLIFIERS[:_CHEAP]:
        result = simplifier(expr)
        if result == 0:
            return name, sp.S.Zero
    return name, result


def symbolic_check(
    before: Any,
    after: Any,
    *,
    definitions: Mapping[Any, Any] | None = None,
    thorough: bool = True,
) -> Check:
    """Check ``before == after`` by simplifying their difference to zero.

    Works for scalars and for explicit matrices (entry by entry).
    ``thorough=False`` tries only the polynomial simplifiers (together,
    cancel), not the rewriting in exp nor ``simplify``: for callers that fall
    back on a numeric check, so that no input makes a check take minutes.
    """
    difference = _substitute(before - after, definitions or {})
    if isinstance(difference, sp.MatrixBase):
        residuals = []
        used = "as is"
        for entry in difference:
            name, reduced = _reduce(entry, thorough)
            residuals.append(reduced)
            used = max(used, name, key=[s[0] for s in _SIMPLIFIERS].index)
        residual: Any = sp.Matrix(difference.shape[0], difference.shape[1], residuals)
        passed = all(r == 0 for r in residuals)
        if passed:
            residual = sp.S.Zero
    else:
        used, residual = _reduce(difference, thorough)
        passed = residual == 0
    return Check(method="symbolic", passed=bool(passed), residual=residual, detail=used)


def _random_values(symbols: Sequence[Any], rng: random.Random) -> dict[Any, Any]:
    """Random values for ``symbols``: positive ones in [0.2, 2], others in [-2, 2]."""
    values = {}
    for symbol in symbols:
        low = 0.2 if symbol.is_positive else -2.0
        values[symbol] = sp.Float(rng.uniform(low, 2.0), DIGITS)
    return values


def _as_matrix(expr: Any) -> Any:
    return expr if isinstance(expr, sp.MatrixBase) else sp.Matrix([[expr]])


def numeric_check(
    realizations: Sequence[tuple[str, Any, Any]],
    *,
    seed: int = 0,
    trials: int = 2,
) -> Check:
    """Check explicit realizations ``(label, before, after)`` at random values.

    Each realization is evaluated ``trials`` times at fresh random values of
    its free symbols (a seeded :class:`random.Random`, so the record is
    reproducible). Passes when every relative difference
    ``max|before - after| / max(1, max|before|)`` is below :data:`TOLERANCE`.
    """
    rng = random.Random(seed)
    worst = 0.0
    worst_relative = 0.0
    for _label, before, after in realizations:
        left, right = _as_matrix(before), _as_matrix(after)
        if left.shape != right.shape:
            return Check("numeric", False, float("inf"), f"shapes {left.shape} != {right.shape}")
        symbols = sorted(left.free_symbols | right.free_symbols, key=str)
        for _ in range(trials):
            values = _random_values(symbols, rng)
            lhs = left.xreplace(values).evalf(DIGITS)
            rhs = right.xreplace(values).evalf(DIGITS)
            diffs = [abs(complex(p - q)) for p, q in zip(lhs, rhs, strict=True)]
            sizes = [abs(complex(p)) for p in lhs]
            residual = max(diffs)
            worst = max(worst, residual)
            worst_relative = max(worst_relative, residual / max(1.0, max(sizes)))
    labels = ", ".join(label for label, _, _ in realizations)
    detail = f"{len(realizations)} realization(s) x {trials} random points: {labels}"
    return Check("numeric", worst_relative < TOLERANCE, worst, detail)


def scalar_step(
    rule: Text,
    before: Any,
    after: Any,
    explanation: Text,
    *,
    definitions: Mapping[Any, Any] | None = None,
) -> Step:
    """A step checked symbolically (``before`` and ``after`` are what is shown)."""
    return explicit_step(rule, before, after, explanation, explicit_before=before,
                         explicit_after=after, definitions=definitions)


def matrix_step(
    rule: Text,
    before: Any,
    after: Any,
    explanation: Text,
    *,
    realizations: Sequence[tuple[str, Any, Any]],
    seed: int = 0,
) -> Step:
    """A step shown in matrix notation, checked numerically on explicit matrices."""
    check = numeric_check(realizations, seed=seed)
    return Step(rule, before, after, explanation, check)


def explicit_step(
    rule: Text,
    before: Any,
    after: Any,
    explanation: Text,
    *,
    explicit_before: Any,
    explicit_after: Any,
    definitions: Mapping[Any, Any] | None = None,
) -> Step:
    """A step shown in compact notation, checked symbolically on explicit entries."""
    check = symbolic_check(explicit_before, explicit_after, definitions=definitions)
    return Step(rule, before, after, explanation, check)


SIMPLIFIERS_BEFORE_SIMPLIFY = tuple(s for s in _SIMPLIFIERS if s[0] != "simplify")
"""The ladder without ``simplify`` itself, for callers that bound the size of what they reduce
(``probkit check``); its first :data:`_CHEAP` steps are the polynomial ones."""
