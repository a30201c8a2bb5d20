"""Small helpers shared by the renderers: residual text, chains, counts, symbol tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CheckCounts:
    """Distinct checks, each counted once: the steps', and the results' own.

    >>> CheckCounts(steps=8, steps_passed=8, results=1, results_passed=1).sentence()
    '8 steps and 1 result verified'
    >>> CheckCounts(steps=3, steps_passed=2, results=0, results_passed=0).sentence()
    '2 of 3 steps verified, 1 FAILED'
    """

    steps: int
    steps_passed: int
    results: int
    results_passed: int

    @property
    def total(self) -> int:
        """How many distinct checks there are."""
        return self.steps + self.results

    @property
    def passed(self) -> int:
        """How many of them passed."""
        return self.steps_passed + self.results_passed

    def sentence(self) -> str:
        """``8 steps and 2 results verified``, or which part failed."""
        parts = [_counted(self.steps_passed, self.steps, "step")]
        if self.results:
            parts.append(_counted(self.results_passed, self.results, "result"))
        text = " and ".join(parts) + " verified"
        if self.passed < self.total:
            text += f", {self.total - self.passed} FAILED"
        return text

    def to_dict(self) -> dict[str, int]:
        """The counts for ``--json``."""
        return {
            "distinct": self.total,
            "passed": self.passed,
            "steps": self.steps,
            "steps_passed": self.steps_passed,
            "results": self.results,
            "results_passed": self.results_passed,
        }


def _counted(passed: int, total: int, noun: str) -> str:
    plural = noun if total == 1 else noun + "s"
    return f"{total} {plural}" if passed == total else f"{passed} of {total} {plural}"


def check_counts(derivations: Sequence[Derivation] | Derivation) -> CheckCounts:
    """The distinct checks of one derivation or several (a reused check counts once)."""
    group = (derivations,) if isinstance(derivations, Derivation) else tuple(derivations)
    return CheckCounts(
        steps=sum(len(d.step_checks) for d in group),
        steps_passed=sum(c.passed for d in group for c in d.step_checks),
        results=sum(len(d.result_checks) for d in group),
        results_passed=sum(c.passed for d in group for c in d.result_checks),
    )


def reused_from(derivation: Derivation, result: Step) -> int | None:
    """The number (from 1) of the step whose check ``result`` reuses, or None."""
    for number, step in enumerate(derivation.steps, start=1):
        if step.check is result.check:
            return number
    return None


def derivative_notation(derivation: Derivation) -> str:
    """``"d"`` or ``"partial"``: the derivation's own choice, else from its derivatives.

    One variable differentiated throughout (the sigmoid's x) gives d/dx; several
    variables give the partial sign.
    """
    if derivation.derivative_notation is not None:
        return derivation.derivative_notation
    variables: set[Any] = set()
    for expr in expressions(derivation):
        try:
            found = sp.sympify(expr).atoms(sp.Derivative)
        except Exception:  # an object SymPy cannot walk has no derivatives to show
            continue
        for derivative in found:
            variables.update(derivative.variables)
    return "d" if len(variables) <= 1 else "partial"


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
