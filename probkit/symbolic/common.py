"""Small helpers shared by the renderers: residual text, chains, symbol tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from probkit.symbolic.model import Check, Derivation, Step
from probkit.symbolic.printing import to_text

MARK_PASSED = "✓"
MARK_FAILED = "✗"


def mark(check: Check) -> str:
    """✓ for a passed check, ✗ for a failed one."""
    return MARK_PASSED if check.passed else MARK_FAILED


def residual_text(check: Check) -> str:
    """The residual as text: the simplified difference, or a float like ``3.1e-31``."""
    if isinstance(check.residual, float):
        return f"{check.residual:.1e}"
    return to_text(check.residual)


def residual_value(check: Check) -> str | float:
    """The residual for JSON: a SymPy-parsable string, or a float for numeric checks."""
    if isinstance(check.residual, float):
        return check.residual
    return to_text(check.residual)


def chained(steps: Iterable[Step]) -> Iterator[tuple[Step, bool]]:
    """Yield each step with ``True`` when it continues the previous one.

    A step continues the chain when its ``before`` is the previous ``after``;
    it is then written ``= after`` under the previous line.
    """
    previous: Any = None
    for step in steps:
        continues = previous is not None and _same(step.before, previous)
        yield step, continues
        previous = step.after


def _same(left: Any, right: Any) -> bool:
    try:
        return bool(left == right) and sp.srepr(left) == sp.srepr(right)
    except Exception:  # comparing odd objects is never fatal
        return False


def expressions(derivation: Derivation) -> list[Any]:
    """Every expression the derivation shows."""
    found: list[Any] = []
    for given in derivation.given:
        found += [given.lhs, given.rhs]
    for step in (*derivation.steps, *derivation.results):
        found += [step.before, step.after]
    return found


def symbol_table(derivation: Derivation) -> list[dict[str, Any]]:
    """The symbols, matrix symbols and functions used, so text can be parsed back.

    Scalars carry their assumptions, matrices their shape, functions their name.
    """
    symbols: dict[str, dict[str, Any]] = {}
    for expr in expressions(derivation):
        basic = sp.sympify(expr)
        for matrix in basic.atoms(sp.MatrixSymbol):
            rows, cols = matrix.shape
            symbols[matrix.name] = {
                "name": matrix.name,
                "kind": "matrix",
                "shape": [to_text(rows), to_text(cols)],
            }
            for dim in (rows, cols):
                if isinstance(dim, sp.Symbol):
                    symbols.setdefault(dim.name, _scalar(dim))
        for symbol in basic.atoms(sp.Symbol):
            if not isinstance(symbol, sp.MatrixSymbol):
                symbols.setdefault(symbol.name, _scalar(symbol))
        for applied in basic.atoms(AppliedUndef):
            name = applied.func.__name__
            symbols.setdefault(name, {"name": name, "kind": "function"})
    return [symbols[name] for name in sorted(symbols)]


_ASSUMPTION_SETS: tuple[dict[str, bool], ...] = (
    {},
    {"real": True},
    {"positive": True},
    {"nonnegative": True},
    {"integer": True},
    {"integer": True, "positive": True},
    {"integer": True, "nonnegative": True},
)


def _scalar(symbol: sp.Symbol) -> dict[str, Any]:
    """A symbol's entry: its name and the assumptions it was declared with."""
    for assumptions in _ASSUMPTION_SETS:
        if sp.Symbol(symbol.name, **assumptions) == symbol:
            break
    else:
        assumptions = {k: v for k, v in symbol.assumptions0.items() if v is not None}
    return {"name": symbol.name, "kind": "symbol", "assumptions": assumptions}


def local_dict(symbols: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Rebuild SymPy objects from :func:`symbol_table` entries (for ``parse_expr``)."""
    scalars: dict[str, Any] = {}
    entries = list(symbols)
    for entry in entries:
        if entry["kind"] == "symbol":
            scalars[entry["name"]] = sp.Symbol(entry["name"], **entry["assumptions"])
        elif entry["kind"] == "function":
            scalars[entry["name"]] = sp.Function(entry["name"])
    for entry in entries:
        if entry["kind"] == "matrix":
            rows, cols = (sp.parse_expr(dim, local_dict=dict(scalars)) for dim in entry["shape"])
            scalars[entry["name"]] = sp.MatrixSymbol(entry["name"], rows, cols)
    return scalars
