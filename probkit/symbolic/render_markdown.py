"""Markdown for a Hugo site (Goldmark with the passthrough extension).

The page starts with front matter carrying ``math: true``. Every display
equation is a ``$$`` block on lines of its own with blank lines around it,
inline math is written ``\\( ... \\)``, and the prose contains none of the
characters Goldmark would reinterpret (underscores, asterisks other than bold
markers, backslashes, brackets, dollar signs). See docs/derivations.md for the
``hugo.toml`` passthrough configuration.
"""

from __future__ import annotations

from collections.abc import Sequence

from probkit.symbolic.common import mark
from probkit.symbolic.model import Derivation, Step
from probkit.symbolic.printing import to_latex

HUGO_CONFIG = """\
[markup.goldmark.extensions.passthrough]
  enable = true
  [markup.goldmark.extensions.passthrough.delimiters]
    block = [['\\[', '\\]'], ['$$', '$$']]
    inline = [['\\(', '\\)']]

[params]
  math = true"""


def front_matter(title: str) -> str:
    """Hugo front matter (YAML) with ``math: true``."""
    escaped = title.replace('"', "'")
    return f'---\ntitle: "{escaped}"\nmath: true\n---\n'


def _display(lines: Sequence[str]) -> str:
    """A ``$$`` block on its own lines; several lines go in an ``aligned`` environment."""
    if len(lines) == 1:
        inner = [lines[0].replace("&=", "=")]
    else:
        inner = [r"\begin{aligned}"]
        inner += [line + r" \\" for line in lines[:-1]] + [lines[-1], r"\end{aligned}"]
    return "\n".join(["$$", *inner, "$$"])


def _residual_math(step: Step) -> str:
    """The residual as LaTeX: ``0``, an expression, or ``3.5 \\times 10^{-31}``."""
    residual = step.check.residual
    if isinstance(residual, float):
        if residual == 0.0:
            return "0"
        mantissa, exponent = f"{residual:.1e}".split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return to_latex(residual)


def _check_sentence(step: Step) -> str:
    verdict = "verified" if step.check.passed else "FAILED"
    residual = _residual_math(step)
    return f"{mark(step.check)} {verdict} ({step.check.method} check, residual \\( {residual} \\))."


def body(derivation: Derivation, *, level: int = 2) -> str:
    """The derivation's sections, headings starting at ``level``."""
    names = derivation.latex_names
    hashes = "#" * level
    blocks = [f"{derivation.summary}"]
    if derivation.given:
        blocks.append(f"{hashes} Given")
        lines = [
            f"{to_latex(given.lhs, names)} &= {to_latex(given.rhs, names)}"
            for given in derivation.given
        ]
        blocks.append(_display(lines))
        blocks.append(
            "Where: " + "; ".join(given.explanation for given in derivation.given) + "."
        )
    blocks.append(f"{hashes} Steps")
    for number, step in enumerate(derivation.steps, start=1):
        blocks.append(f"**Step {number}, {step.rule}.** {step.explanation} {_check_sentence(step)}")
        equation = f"{to_latex(step.before, names)} &= {to_latex(step.after, names)}"
        blocks.append(_display([equation]))
    blocks.append(f"{hashes} Result")
    for result in derivation.results:
        blocks.append(_display([f"{to_latex(result.before, names)} &= "
                                f"{to_latex(result.after, names)}"]))
        blocks.append(f"{result.explanation} {_check_sentence(result)}")
    for note in derivation.notes:
        blocks.append(f"Note: {note}")
    return "\n\n".join(blocks) + "\n"


def render(derivation: Derivation) -> str:
    """A complete Hugo page for one derivation."""
    return front_matter(derivation.title) + "\n" + body(derivation)


def render_many(derivations: Sequence[Derivation], *, title: str, intro: str) -> str:
    """One page holding several derivations, each under its own heading."""
    parts = [front_matter(title), intro.strip() + "\n"]
    for derivation in derivations:
        parts.append(f"## {derivation.title}\n\n" + body(derivation, level=3))
    return "\n".join(parts)
