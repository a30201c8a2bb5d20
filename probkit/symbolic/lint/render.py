r"""Will the maths render? Characters KaTeX refuses in strict mode, and their ASCII fixes.

Hugo's ``transform.ToMath`` typesets with KaTeX in strict mode, where a
character KaTeX has no symbol for (``’``, ``′``, ``–``) or text in maths mode
(``あ``, ``é``, full-width ``＝``) is an error that fails the build. MathJax
in the browser shows most of them, so these are reported as status
``render``, apart from the findings about the mathematics.

The tables were measured with Hugo 0.168's ``transform.ToMath`` (KaTeX,
strict), and ``tests/test_render_fix.py`` builds a page per entry with the
real Hugo to keep them true: every character listed here fails the build, and
every replacement builds. Characters KaTeX accepts (``−``, ``×``, ``·``, ``≤``,
Greek letters, ``²``) are not reported; ``−`` is still written ``-`` by
:func:`fix_maths`, so the fixed post holds plain ASCII operators.

Only maths is looked at: the text outside it, ``\text{…}`` groups (text
mode, with rules of its own) and ``%`` comments are skipped.

>>> found = render_problems("$$\n(x^2)’ = 2x\n$$\n")
>>> [(p.line, p.column, p.char, p.replacement) for p in found]
[(2, 6, '’', "'")]
>>> fix_maths("$$\n(x^2)’ = 2x − １\n$$\n")[0]
"$$\n(x^2)' = 2x - 1\n$$\n"
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from probkit.symbolic.lint.extract import LineIndex, find_maths
from probkit.symbolic.lint.report import Finding

PRIME = "'"

REPLACEMENTS: dict[str, str] = {
    "\u2019": PRIME,  # ’ right single quotation mark, the prime a Japanese IME types
    "\u2018": PRIME,  # ‘
    "\u2032": PRIME,  # ′ prime
    "\u02b9": PRIME,  # ʹ modifier letter prime
    "\u00b4": PRIME,  # ´ acute accent
    "\u02ca": PRIME,  # ˊ modifier letter acute
    "\u2033": PRIME * 2,  # ″ double prime
    "\u2034": PRIME * 3,  # ‴ triple prime
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # ‑ non-breaking hyphen
    "\u2012": "-",  # ‒ figure dash
    "\u2013": "-",  # – en dash
    "\u2014": "-",  # — em dash
    "\u2215": "/",  # ∕ division slash
    "\u2044": "/",  # ⁄ fraction slash
    "\u2022": r"\cdot ",  # • bullet, as a product
    "\u00b5": r"\mu ",  # µ micro sign
    "\u3000": " ",  # ideographic space
}
"""Characters KaTeX strict refuses that have an ASCII (or plain LaTeX) meaning in maths."""

_FULL_WIDTH_SAFE = "0123456789+-*/=<>()[],.:;!?|'" + "".join(
    chr(c) for c in range(ord("A"), ord("Z") + 1)) + "".join(
    chr(c) for c in range(ord("a"), ord("z") + 1))
REPLACEMENTS.update({chr(ord(c) + 0xFEE0): c for c in _FULL_WIDTH_SAFE})
"""Full-width digits, letters and operators (``０``, ``ｘ``, ``＋``, ``＝``) are their ASCII
selves. Full-width ``＄ ％ ＆ ＃ ＼ ＾ ＿ ｛ ｝ ～`` are not replaced: in ASCII each would change
the structure of the LaTeX (end the maths, start a comment, align, group)."""

TIDIED: dict[str, str] = {"\u2212": "-"}
"""Characters KaTeX accepts that :func:`fix_maths` still writes in ASCII (``−``)."""

REFUSED_SYMBOLS = frozenset("\u201c\u201d\u00bd\u00bc\u00be\u221a\u00df")
"""Refused with no safe ASCII replacement: “ ” ½ ¼ ¾ √ ß (measured)."""

_TEXT_GROUP = re.compile(r"\\(?:text|textrm|textbf|textit|texttt|textsf|textup|textnormal|mbox"
                         r"|hbox)\s*\{")


@dataclass(frozen=True)
class RenderProblem:
    """One character in maths that KaTeX strict refuses, where it stands (1-based)."""

    offset: int
    line: int
    column: int
    char: str
    replacement: str | None

    @property
    def described(self) -> str:
        """``’ (U+2019 RIGHT SINGLE QUOTATION MARK)``."""
        return f"{self.char} (U+{ord(self.char):04X} {unicodedata.name(self.char, 'unnamed')})"

    def finding(self) -> Finding:
        """The problem as a finding of status ``render``."""
        if self.replacement is not None:
            suggestion = (f"write {self.replacement.strip()} instead (probkit check --fix "
                          "OUT.md writes a copy with every such character replaced)")
        else:
            suggestion = ("move it out of the maths, or into \\text{…}, or write it as a "
                          "LaTeX command")
        return Finding(self.line, self.char, "render",
                       f"KaTeX (strict, as Hugo's transform.ToMath) cannot typeset "
                       f"{self.described} in maths", None, suggestion, column=self.column)


def refused(char: str) -> bool:
    """True if KaTeX strict refuses ``char`` in maths mode (measured; see the module).

    >>> [refused(c) for c in "’−あé＝α≤x"]
    [True, False, True, True, True, False, False, False]
    """
    if char in REPLACEMENTS or char in REFUSED_SYMBOLS:
        return True
    code = ord(char)
    if code < 0x80:
        return False
    if 0x3000 <= code <= 0x30FF or 0xFF00 <= code <= 0xFFEF:  # CJK punctuation, kana, full width
        return True
    category = unicodedata.category(char)
    if category.startswith("M"):  # a combining accent
        return True
    if category.startswith("L"):  # text: accented Latin, CJK, Hangul, Cyrillic ... but Greek
        return not (0x0370 <= code <= 0x03FF or 0x2100 <= code <= 0x214F)
    return False


def _maths_spans(text: str, latex: bool) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the maths in ``text``, without text groups and comments."""
    for block in find_maths(text, latex=latex):
        body, start = block.text, block.start
        position = 0
        while position < len(body):
            group = _TEXT_GROUP.search(body, position)
            comment = re.compile(r"(?<!\\)%").search(body, position)
            cut = min((m.start() for m in (group, comment) if m is not None), default=len(body))
            if cut > position:
                yield start + position, start + cut
            if cut == len(body):
                break
            if comment is not None and comment.start() == cut:
                newline = body.find("\n", cut)
                position = len(body) if newline < 0 else newline
            else:
                assert group is not None
                depth, index = 1, group.end()
                while index < len(body) and depth:
                    depth += {"{": 1, "}": -1}.get(body[index], 0)
                    index += 1 + (body[index] == "\\")
                position = index


def render_problems(text: str, *, latex: bool = False) -> list[RenderProblem]:
    """Every character of the maths in ``text`` that KaTeX strict refuses, in order."""
    index = LineIndex(text)
    problems = []
    for start, end in _maths_spans(text, latex):
        for offset in range(start, end):
            char = text[offset]
            if ord(char) >= 0x80 and refused(char):
                line = index.line(offset)
                line_start = text.rfind("\n", 0, offset) + 1
                problems.append(RenderProblem(offset, line, offset - line_start + 1, char,
                                              REPLACEMENTS.get(char)))
    return problems


def render_findings(text: str, *, latex: bool = False) -> tuple[Finding, ...]:
    """:func:`render_problems` as findings of status ``render``."""
    return tuple(problem.finding() for problem in render_problems(text, latex=latex))


@dataclass(frozen=True)
class Replacement:
    """One character :func:`fix_maths` replaced."""

    line: int
    column: int
    old: str
    new: str


def fix_maths(text: str, *, latex: bool = False) -> tuple[str, list[Replacement]]:
    """``text`` with every replaceable character in its maths written in ASCII.

    Returns the new text and what was replaced (lines and columns of the
    original). Text outside maths, ``\\text{…}`` and comments is unchanged;
    characters without a safe replacement stay (and are still reported).
    """
    table = {**REPLACEMENTS, **TIDIED}
    index = LineIndex(text)
    pieces: list[str] = []
    done: list[Replacement] = []
    last = 0
    for start, end in _maths_spans(text, latex):
        for offset in range(start, end):
            new = table.get(text[offset])
            if new is None:
                continue
            if new.startswith("\\") and offset + 1 < len(text) and \
                    not text[offset + 1].isalpha():
                new = new.rstrip()  # `\cdot ` needs its space only before a letter
            pieces += [text[last:offset], new]
            last = offset + 1
            line_start = text.rfind("\n", 0, offset) + 1
            done.append(Replacement(index.line(offset), offset - line_start + 1, text[offset],
                                    new))
    pieces.append(text[last:])
    return "".join(pieces), done


__all__ = ["REFUSED_SYMBOLS", "REPLACEMENTS", "TIDIED", "RenderProblem", "Replacement",
           "fix_maths", "refused", "render_findings", "render_problems"]
