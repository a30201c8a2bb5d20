"""Markdown for a Hugo site (Goldmark), in two flavours, and for Jupyter.

The page starts with front matter carrying ``math: true``. Every display
equation is a ``$$`` block on lines of its own with blank lines around it;
inline math is written ``\\( ... \\)``. Rules, explanations and notes carry
their formulas as inline math. Two flavours:

* ``passthrough`` (Hugo 0.122 or later, typeset at build time with a
  ``render-passthrough`` hook and ``transform.ToMath`` from Hugo 0.132): the
  LaTeX is written as is; Goldmark's passthrough extension hands it over
  untouched. No line of a formula may start like a Markdown block (a ``- ``
  would open a list before passthrough sees the formula), so a leading sign
  is written ``{-}`` (the same typeset output: TeX makes a leading binary
  sign an ordinary symbol either way).
* ``escaped`` (any Hugo with Goldmark, maths typeset in the browser by
  MathJax or KaTeX): every character Goldmark would reinterpret inside a
  formula is backslash-escaped (``\\\\`` for ``\\``, ``\\_``, ``\\'``, ...), so
  that after the Markdown pass the HTML holds exactly the intended LaTeX
  between ``\\(``/``\\)`` and ``$$`` delimiters.

Jupyter (``Derivation._repr_markdown_``) gets the same page without front
matter, with ``$``/``$$`` delimiters and the LaTeX as is: the notebook takes
the maths out before its Markdown pass.

>>> print(display_latex(["- x &= y"]))
{-}x = y
>>> escape_latex(r"\\frac{a_1}{b}")
'\\\\\\\\frac{a\\\\_1}{b}'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from probkit.errors import InputError
from probkit.symbolic.model import Derivation, Step, Text, formulas, with_math
from probkit.symbolic.printing import to_latex
from probkit.symbolic.render_shared import (
    chained,
    check_counts,
    derivative_notation,
    mark,
    reused_from,
)

FLAVORS = ("passthrough", "escaped")
"""The Markdown flavours for Hugo: build-time passthrough, or escaped for browser-side maths."""

MINIMUM_HUGO = {"passthrough": "0.122.0", "escaped": "0.60.0"}
"""The oldest Hugo each flavour works with (passthrough: the Goldmark extension; escaped:
Goldmark itself). Typesetting at build time with ``transform.ToMath`` needs Hugo 0.132.0."""

HUGO_CONFIG = """\
[markup.goldmark.extensions.passthrough]
  enable = true
  [markup.goldmark.extensions.passthrough.delimiters]
    block = [['\\[', '\\]'], ['$$', '$$']]
    inline = [['\\(', '\\)']]

[params]
  math = true"""
"""The site configuration (hugo.toml) the passthrough flavour needs."""

HUGO_PASSTHROUGH_HOOK = """\
{{- $opts := dict "displayMode" (eq .Type "block") "throwOnError" true -}}
{{- with try (transform.ToMath .Inner $opts) -}}
  {{- with .Err -}}
    {{- errorf "cannot typeset the formula at %s: %s" $.Position . -}}
  {{- else -}}
    {{- .Value -}}
  {{- end -}}
{{- end -}}"""
"""layouts/_markup/render-passthrough.html: typeset each formula at build time (KaTeX inside
Hugo); a LaTeX error fails the build. Needs Hugo 0.141 (``try``)."""

# ---------------------------------------------------------------------- escaping

_MARKDOWN_IN_LATEX = re.compile(r"""([\\`*_\[\]<>'"|~$])""")
_BLOCK_START = re.compile(r"^(?:[-+*>|#~`<]|\d+[.)])")
_MARKDOWN_IN_WORDS = re.compile(r"([\\`*_\[\]<~$])")


def escape_latex(latex: str) -> str:
    """Backslash-escape what Goldmark would reinterpret inside a formula (escaped flavour).

    Backslashes, emphasis and code markers, brackets, angle brackets, quotes
    (the typographer would curl them), pipes, tildes and dollars; ``--`` is
    kept from becoming a dash.
    """
    return _MARKDOWN_IN_LATEX.sub(r"\\\1", latex).replace("--", "-\\-")


def escape_words(text: str) -> str:
    """Prose as literal text: Markdown punctuation escaped, ``--`` kept two hyphens."""
    return _MARKDOWN_IN_WORDS.sub(r"\\\1", text).replace("--", "-\\-")


def _safe_line(line: str) -> str:
    """A line of LaTeX that no Markdown parser reads as the start of a block."""
    line = line.strip()
    if line[:1] in "-+":
        return "{" + line[0] + "}" + line[1:].lstrip()
    if _BLOCK_START.match(line):
        return "{}" + line
    return line


def display_latex(rows: Sequence[str]) -> str:
    """The LaTeX of a display: one row as is, several in ``aligned``; lines Markdown-safe."""
    if len(rows) == 1:
        lines = [rows[0].replace("&=", "=")]
    else:
        lines = [r"\begin{aligned}"]
        lines += [row + r" \\" for row in rows[:-1]] + [rows[-1], r"\end{aligned}"]
    return "\n".join(_safe_line(part) for line in lines for part in line.splitlines()
                     if part.strip())


@dataclass(frozen=True)
class Flavor:
    """How formulas are delimited and escaped in one kind of Markdown."""

    name: str
    inline_open: str
    inline_close: str
    escape: Callable[[str], str]
    front_matter: bool = True

    def inline(self, latex: str) -> str:
        """Inline math."""
        return f"{self.inline_open}{self.escape(' '.join(latex.split()))}{self.inline_close}"

    def display(self, rows: Sequence[str]) -> str:
        """A ``$$`` block on lines of its own."""
        return "\n".join(["$$", self.escape(display_latex(rows)), "$$"])

    def prose(self, text: Text) -> str:
        """Words escaped, formulas inline."""
        return with_math(text, self.inline, escape_words)


def _identity(text: str) -> str:
    return text


_FLAVORS = {
    "passthrough": Flavor("passthrough", r"\(", r"\)", _identity),
    "escaped": Flavor("escaped", r"\\(", r"\\)", escape_latex),
    "notebook": Flavor("notebook", "$", "$", _identity, front_matter=False),
}


def flavor(name: str) -> Flavor:
    """The :class:`Flavor` called ``name`` (one of :data:`FLAVORS`, or ``notebook``)."""
    try:
        return _FLAVORS[name]
    except KeyError:
        raise InputError(
            f"markdown_flavor: unknown flavour {name!r}; choose one of: {', '.join(FLAVORS)}",
            parameter="markdown_flavor") from None


# ----------------------------------------------------------------------- the page


def front_matter(title: str) -> str:
    """Hugo front matter (YAML) with ``math: true``."""
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'---\ntitle: "{escaped}"\nmath: true\n---\n'


def _residual_math(step: Step) -> str:
    """The residual as LaTeX: ``0``, an expression, or ``3.5 \\times 10^{-31}``."""
    residual = step.check.residual
    if isinstance(residual, float):
        if residual == 0.0:
            return "0"
        mantissa, exponent = f"{residual:.1e}".split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return to_latex(residual)


def _check_sentence(step: Step, style: Flavor) -> str:
    verdict = "verified" if step.check.passed else "FAILED"
    residual = style.inline(_residual_math(step))
    return f"{mark(step.check)} {verdict} ({step.check.method} check, residual {residual})."


def _label(number: int, step: Step, style: Flavor) -> str:
    """``**Step 2, sum rule.**``; a rule with formulas stays out of the bold."""
    if formulas(step.rule):
        return f"**Step {number}.** {style.prose(step.rule)}:"
    return f"**Step {number}, {style.prose(step.rule)}.**"


def body(derivation: Derivation, *, level: int = 2, markdown_flavor: str = "passthrough") -> str:
    """The derivation's sections, headings starting at ``level``."""
    style = flavor(markdown_flavor)
    names = derivation.latex_names
    notation = derivative_notation(derivation)

    def latex(expr: object) -> str:
        return to_latex(expr, names, derivative=notation)

    hashes = "#" * level
    blocks = [style.prose(derivation.summary)]
    if derivation.given:
        blocks.append(f"{hashes} Given")
        blocks.append(style.display([f"{latex(g.lhs)} &= {latex(g.rhs)}"
                                     for g in derivation.given]))
        blocks.append("Where: " + "; ".join(style.prose(g.explanation)
                                            for g in derivation.given) + ".")
    blocks.append(f"{hashes} Steps")
    for number, (step, continues) in enumerate(chained(derivation.steps), start=1):
        blocks.append(f"{_label(number, step, style)} {style.prose(step.explanation)} "
                      f"{_check_sentence(step, style)}")
        left = "" if continues else latex(step.before) + " "
        blocks.append(style.display([f"{left}&= {latex(step.after)}"]))
    blocks.append(f"{hashes} Result")
    for result in derivation.results:
        blocks.append(style.display([f"{latex(result.before)} &= {latex(result.after)}"]))
        source = reused_from(derivation, result)
        if source is None:
            check = _check_sentence(result, style)
        else:
            check = f"{mark(result.check)} The check of step {source}."
        blocks.append(f"{style.prose(result.explanation)} {check}")
    for note in derivation.notes:
        blocks.append(f"Note: {style.prose(note)}")
    blocks.append(f"Checks: {check_counts(derivation).sentence()}.")
    return "\n\n".join(blocks) + "\n"


def render(derivation: Derivation, *, markdown_flavor: str = "passthrough") -> str:
    """A complete Hugo page for one derivation."""
    return front_matter(derivation.title) + "\n" + body(derivation,
                                                        markdown_flavor=markdown_flavor)


def render_many(
    derivations: Sequence[Derivation],
    *,
    title: str,
    intro: str,
    markdown_flavor: str = "passthrough",
) -> str:
    """One page holding several derivations, each under its own heading."""
    parts = [front_matter(title), intro.strip() + "\n"]
    for derivation in derivations:
        parts.append(f"## {derivation.title}\n\n"
                     + body(derivation, level=3, markdown_flavor=markdown_flavor))
    return "\n".join(parts)


def notebook(derivation: Derivation) -> str:
    """The page for Jupyter: a heading instead of front matter, ``$`` delimiters."""
    return f"## {derivation.title}\n\n" + body(derivation, level=3, markdown_flavor="notebook")
