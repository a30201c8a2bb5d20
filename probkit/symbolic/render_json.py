"""JSON: every step with its rule, ``before``/``after`` as SymPy-parsable text, and
its check (``method``, ``passed``, ``residual``), plus the final result.
Prose is given twice: ``explanation`` in ASCII, ``explanation_latex`` with its
formulas between ``\\(`` and ``\\)``. ``checks`` counts each distinct check once
(a result that reuses its step's check names the step in ``check_of_step``).

``symbols`` lists every symbol with its assumptions (and every matrix symbol
with its shape), so that :func:`parse` reads the text back into SymPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from probkit.symbolic.model import Check, Derivation, Step, Text, plain, with_math
from probkit.symbolic.printing import to_text
from probkit.symbolic.render_shared import (
    check_counts,
    local_dict,
    residual_value,
    reused_from,
    symbol_table,
)


def _check(check: Check) -> dict[str, Any]:
    return {
        "method": check.method,
        "passed": check.passed,
        "residual": residual_value(check),
        "detail": check.detail,
    }


def _latex_prose(text: Text) -> str:
    return with_math(text, lambda latex: rf"\({latex}\)")


def _step(step: Step) -> dict[str, Any]:
    return {
        "rule": plain(step.rule),
        "before": to_text(step.before),
        "after": to_text(step.after),
        "explanation": plain(step.explanation),
        "explanation_latex": _latex_prose(step.explanation),
        "check": _check(step.check),
    }


def _result(derivation: Derivation, result: Step) -> dict[str, Any]:
    return {
        "lhs": to_text(result.before),
        "rhs": to_text(result.after),
        "explanation": plain(result.explanation),
        "check": _check(result.check),
        "check_of_step": reused_from(derivation, result),
    }


def to_dict(derivation: Derivation) -> dict[str, Any]:
    """The derivation as a JSON-ready dictionary."""
    return {
        "name": derivation.name,
        "title": derivation.title,
        "summary": plain(derivation.summary),
        "verified": derivation.verified,
        "checks": check_counts(derivation).to_dict(),
        "symbols": symbol_table(derivation),
        "given": [
            {"lhs": to_text(g.lhs), "rhs": to_text(g.rhs), "explanation": plain(g.explanation)}
            for g in derivation.given
        ],
        "steps": [_step(step) for step in derivation.steps],
        "result": [_result(derivation, r) for r in derivation.results],
        "notes": [plain(note) for note in derivation.notes],
    }


def to_document(derivations: Sequence[Derivation]) -> dict[str, Any]:
    """One JSON object: a single derivation's dictionary, or ``{"derivations": [...]}``."""
    if len(derivations) == 1:
        return to_dict(derivations[0])
    return {
        "verified": all(d.verified for d in derivations),
        "checks": check_counts(derivations).to_dict(),
        "derivations": [to_dict(d) for d in derivations],
    }


def parse(text: str, symbols: Sequence[dict[str, Any]]) -> Any:
    """Read a ``before``/``after`` string back into SymPy, using the ``symbols`` table."""
    import sympy as sp

    return sp.parse_expr(text, local_dict=local_dict(symbols))
