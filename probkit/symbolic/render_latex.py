"""LaTeX: one ``align*`` fragment per derivation (amsmath), checks as comments.

Each row is tagged with its rule; formulas in a rule are typeset (``\\(a = 1\\)``
inside the ``\\text``).
"""

from __future__ import annotations

from collections.abc import Sequence

from probkit.symbolic.model import Derivation, Step, Text, with_math
from probkit.symbolic.printing import to_latex
from probkit.symbolic.render_shared import chained, check_counts, derivative_notation, residual_text

_TEXT_SPECIALS = str.maketrans({c: "\\" + c for c in "#$%&_{}"})


def _comment(step: Step) -> str:
    verdict = "verified" if step.check.passed else "FAILED"
    residual = " ".join(residual_text(step.check).split())
    return f"% {verdict}: {step.check.method}, residual {residual}"


def text_with_math(text: Text) -> str:
    """Prose for ``\\text{...}``: LaTeX specials escaped, formulas between ``\\(`` and ``\\)``."""
    return with_math(text, lambda latex: rf"\({latex}\)", lambda words: words.translate(
        _TEXT_SPECIALS))


def _tag(text: Text) -> str:
    return r"&& \text{(" + text_with_math(text) + ")}"


def align(derivation: Derivation) -> list[str]:
    """The lines of the ``align*`` environment, comments included."""
    names = derivation.latex_names
    notation = derivative_notation(derivation)

    def latex(expr: object) -> str:
        return to_latex(expr, names, derivative=notation)

    rows: list[tuple[str, str]] = []
    for given in derivation.given:
        rows.append((f"{latex(given.lhs)} &= {latex(given.rhs)} {_tag('given')}", ""))
    for step, continues in chained(derivation.steps):
        left = "" if continues else latex(step.before) + " "
        rows.append((f"{left}&= {latex(step.after)} {_tag(step.rule)}", _comment(step)))
    for result in derivation.results:
        rows.append((f"{latex(result.before)} &= {latex(result.after)} {_tag('result')}",
                     _comment(result)))
    body = []
    for index, (row, comment) in enumerate(rows):
        line = row if index == len(rows) - 1 else row + r" \\"
        body.append(f"{line} {comment}".rstrip())
    return [r"\begin{align*}", *body, r"\end{align*}"]


def render(derivation: Derivation) -> str:
    """The derivation as an ``align*`` environment: given, steps, result."""
    header = [
        f"% {derivation.title} (probkit derive {derivation.name})",
        f"% {check_counts(derivation).sentence()}; needs amsmath",
    ]
    return "\n".join([*header, *align(derivation)]) + "\n"


def render_many(derivations: Sequence[Derivation]) -> str:
    """Several fragments, one after the other."""
    return "\n".join(render(derivation) for derivation in derivations)


def notebook(derivation: Derivation) -> str:
    """The ``align*`` environment between ``$$`` for Jupyter (comments left out)."""
    lines = [line.split(" % ")[0].rstrip() for line in align(derivation)]
    return "$$\n" + "\n".join(lines) + "\n$$"
