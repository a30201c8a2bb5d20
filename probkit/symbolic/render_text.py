"""Plain text: each step on its own lines, marked ✓ (verified) or ✗ (failed).

Displays are written as a person reads maths (:func:`~probkit.symbolic.printing.to_reading`:
``d/dx (1 + e^(−ax))``, ``(1 + e^(−ax))²``, ``a·f(x)``), not as SymPy code (the ``json``
format has that). Formulas in the prose keep their ASCII form (``(1/u)' = -u'/u^2``).
"""

from __future__ import annotations

from collections.abc import Sequence

from probkit.symbolic.model import Derivation, Step, plain
from probkit.symbolic.printing import to_reading
from probkit.symbolic.render_shared import (
    chained,
    check_counts,
    derivative_notation,
    mark,
    residual_text,
    reused_from,
)


def _check_note(step: Step) -> str:
    check = step.check
    verdict = "verified" if check.passed else "FAILED"
    return f"[{verdict}: {check.method}, residual {residual_text(check)}]"


def render(derivation: Derivation) -> str:
    """The derivation as text, one block per step."""
    notation = derivative_notation(derivation)

    def to_text(expr: object) -> str:
        return to_reading(expr, derivative=notation)

    lines = [f"{derivation.title} (probkit derive {derivation.name})",
             plain(derivation.summary), ""]
    if derivation.given:
        lines.append("Given:")
        for given in derivation.given:
            lines.append(f"  {to_text(given.lhs)} = {to_text(given.rhs)}    "
                         f"({plain(given.explanation)})")
        lines.append("")
    lines.append("Steps:")
    for number, (step, continues) in enumerate(chained(derivation.steps), start=1):
        lines.append(f"{number:>3}. {mark(step.check)} {plain(step.rule)}  {_check_note(step)}")
        if not continues:
            lines.append(f"       {to_text(step.before)}")
        lines.append(f"     = {to_text(step.after)}")
        lines.append(f"       {plain(step.explanation)}")
    lines.append("")
    lines.append("Result:")
    for result in derivation.results:
        source = reused_from(derivation, result)
        note = _check_note(result) if source is None else f"[the check of step {source}]"
        lines.append(
            f"  {mark(result.check)} {to_text(result.before)} = {to_text(result.after)}  {note}"
        )
    for text in derivation.notes:
        lines.append(f"  Note: {plain(text)}")
    lines.append("")
    lines.append(f"Checks: {check_counts(derivation).sentence()}.")
    return "\n".join(lines) + "\n"


def render_many(derivations: Sequence[Derivation]) -> str:
    """Several derivations, separated by a blank line."""
    return "\n".join(render(derivation) for derivation in derivations)
