"""Plain text: each step on its own lines, marked ✓ (verified) or ✗ (failed)."""

from __future__ import annotations

from collections.abc import Sequence

from probkit.symbolic.common import chained, mark, residual_text
from probkit.symbolic.model import Derivation, Step
from probkit.symbolic.printing import to_text


def _check_note(step: Step) -> str:
    check = step.check
    verdict = "verified" if check.passed else "FAILED"
    return f"[{verdict}: {check.method}, residual {residual_text(check)}]"


def render(derivation: Derivation) -> str:
    """The derivation as text, one block per step."""
    lines = [f"{derivation.title} (probkit derive {derivation.name})", derivation.summary, ""]
    if derivation.given:
        lines.append("Given:")
        for given in derivation.given:
            lines.append(f"  {to_text(given.lhs)} = {to_text(given.rhs)}    ({given.explanation})")
        lines.append("")
    lines.append("Steps:")
    for number, (step, continues) in enumerate(chained(derivation.steps), start=1):
        lines.append(f"{number:>3}. {mark(step.check)} {step.rule}  {_check_note(step)}")
        if not continues:
            lines.append(f"       {to_text(step.before)}")
        lines.append(f"     = {to_text(step.after)}")
        lines.append(f"       {step.explanation}")
    lines.append("")
    lines.append("Result:")
    for result in derivation.results:
        lines.append(
            f"  {mark(result.check)} {to_text(result.before)} = {to_text(result.after)}"
            f"  {_check_note(result)}"
        )
    for note in derivation.notes:
        lines.append(f"  Note: {note}")
    lines.append("")
    total = len(derivation.checks)
    passed = sum(check.passed for check in derivation.checks)
    verdict = "all verified" if derivation.verified else "SOME FAILED"
    lines.append(f"{passed} of {total} checks passed: {verdict}.")
    return "\n".join(lines) + "\n"


def render_many(derivations: Sequence[Derivation]) -> str:
    """Several derivations, separated by a blank line."""
    return "\n".join(render(derivation) for derivation in derivations)
