"""LaTeX: one ``align*`` fragment per derivation (amsmath), checks as comments."""

from __future__ import annotations

from collections.abc import Sequence

from probkit.symbolic.common import chained, residual_text
from probkit.symbolic.model import Derivation, Step
from probkit.symbolic.printing import to_latex


def _comment(step: Step) -> str:
    verdict = "verified" if step.check.passed else "FAILED"
    residual = " ".join(residual_text(step.check).split())
    return f"% {verdict}: {step.check.method}, residual {residual}"


def _tag(text: str) -> str:
    return r"&& \text{(" + text + ")}"


def render(derivation: Derivation) -> str:
    """The derivation as an ``align*`` environment: given, steps, result."""
    names = derivation.latex_names
    passed = sum(check.passed for check in derivation.checks)
    rows: list[tuple[str, str]] = []
    for given in derivation.given:
        lhs, rhs = to_latex(given.lhs, names), to_latex(given.rhs, names)
        rows.append((f"{lhs} &= {rhs} {_tag('given')}", ""))
    for step, continues in chained(derivation.steps):
        left = "" if continues else to_latex(step.before, names) + " "
        rows.append((f"{left}&= {to_latex(step.after, names)} {_tag(step.rule)}", _comment(step)))
    for result in derivation.results:
        lhs, rhs = to_latex(result.before, names), to_latex(result.after, names)
        rows.append((f"{lhs} &= {rhs} {_tag('result')}", _comment(result)))
    body = []
    for index, (row, comment) in enumerate(rows):
        line = row if index == len(rows) - 1 else row + r" \\"
        body.append(f"{line} {comment}".rstrip())
    header = [
        f"% {derivation.title} (probkit derive {derivation.name})",
        f"% {passed} of {len(derivation.checks)} checks passed; needs amsmath",
    ]
    return "\n".join([*header, r"\begin{align*}", *body, r"\end{align*}"]) + "\n"


def render_many(derivations: Sequence[Derivation]) -> str:
    """Several fragments, one after the other."""
    return "\n".join(render(derivation) for derivation in derivations)
