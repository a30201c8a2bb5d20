"""JSON: every step with its rule, ``before``/``after`` as SymPy-parsable text, and
its check (``method``, ``passed``, ``residual``), plus the final result.

``symbols`` lists every symbol with its assumptions (and every matrix symbol
with its shape), so that :func:`parse` reads the text back into SymPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from probkit.symbolic.common import local_dict, residual_value, symbol_table
from probkit.symbolic.model import Check, Derivation, Step
from probkit.symbolic.printing import to_text


def _check(check: Check) -> dict[str, Any]:
    return {
        "method": check.method,
        "passed": check.passed,
        "residual": residual_value(check),
        "detail": check.detail,
    }


def _step(step: Step) -> dict[str, Any]:
    return {
        "rule": step.rule,
        "before": to_text(step.before),
        "after": to_text(step.after),
        "explanation": step.explanation,
        "check": _check(step.check),
    }


def to_dict(derivation: Derivation) -> dict[str, Any]:
    """The derivation as a JSON-ready dictionary."""
    return {
        "name": derivation.name,
        "title": derivation.title,
        "summary": derivation.summary,
        "verified": derivation.verified,
        "symbols": symbol_table(derivation),
        "given": [
            {"lhs": to_text(g.lhs), "rhs": to_text(g.rhs), "explanation": g.explanation}
            for g in derivation.given
        ],
        "steps": [_step(step) for step in derivation.steps],
        "result": [
            {"lhs": to_text(r.before), "rhs": to_text(r.after), "check": _check(r.check)}
            for r in derivation.results
        ],
        "notes": list(derivation.notes),
    }


def to_document(derivations: Sequence[Derivation]) -> dict[str, Any]:
    """One JSON object: a single derivation's dictionary, or ``{"derivations": [...]}``."""
    if len(derivations) == 1:
        return to_dict(derivations[0])
    return {
        "verified": all(d.verified for d in derivations),
        "derivations": [to_dict(d) for d in derivations],
    }


def parse(text: str, symbols: Sequence[dict[str, Any]]) -> Any:
    """Read a ``before``/``after`` string back into SymPy, using the ``symbols`` table."""
    import sympy as sp

    return sp.parse_expr(text, local_dict=local_dict(symbols))
