"""Find the maths in a Markdown (Hugo) post or a LaTeX file, with source offsets.

Only the standard library is used. Code (fenced blocks, inline code spans),
Hugo front matter, HTML comments and LaTeX comments are masked first (replaced
by spaces of the same length), so offsets into the masked text are offsets into
the original, and dollar signs inside code are never read as maths.

>>> blocks = find_maths("Text $a = 1$ and\\n$$\\nf(x) = x^2\\n$$\\n")
>>> [(b.display, b.text.strip(), line_of("Text $a = 1$ and\\n$$\\nf(x) = x^2\\n$$\\n", b.start))
...  for b in blocks]
[(False, 'a = 1', 1), (True, 'f(x) = x^2', 2)]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MATH_ENVIRONMENTS = ("equation", "equation*", "align", "align*", "aligned", "gather",
                     "gather*", "multline", "multline*", "eqnarray", "eqnarray*", "split")
"""Environments whose body is display maths (found outside other maths)."""


@dataclass(frozen=True)
class MathBlock:
    """One piece of maths: its body and where that body starts in the file."""

    text: str
    start: int
    display: bool
    end: int
    closed: bool = True


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of ``offset`` in ``text``.

    >>> line_of("a\\nb\\nc", 4)
    3
    """
    return text.count("\n", 0, offset) + 1


class LineIndex:
    """Offsets to 1-based line numbers in O(log n) per lookup."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def column(self, offset: int) -> int:
        """The 1-based column (in characters) of ``offset`` on its line."""
        return offset - self._starts[self.line(offset) - 1] + 1


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?(^[ \t]*\1[ \t]*$|\Z)", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_FRONT_MATTER = re.compile(r"\A(---|\+\+\+)[ \t]*\n.*?^\1[ \t]*$", re.M | re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_VERBATIM = re.compile(r"\\begin\{(verbatim|lstlisting|minted)\}.*?\\end\{\1\}", re.S)


def mask_markdown(text: str) -> str:
    """``text`` with code, front matter and HTML comments blanked (same length).

    >>> mask_markdown("a `$x$` b")
    'a       b'
    """
    for pattern in (_FRONT_MATTER, _FENCE, _HTML_COMMENT, _INLINE_CODE):
        text = pattern.sub(_blank, text)
    return text


def mask_latex(text: str) -> str:
    """``text`` with ``%`` comments and verbatim environments blanked (same length)."""
    for pattern in (_VERBATIM, _TEX_COMMENT):
        text = pattern.sub(_blank, text)
    return text


_BEGIN = re.compile(r"\\begin\{(" + "|".join(re.escape(e) for e in MATH_ENVIRONMENTS) + r")\}")


def _escaped(masked: str, i: int) -> bool:
    """True when an odd run of backslashes stands just before ``masked[i]`` (only the run is
    read, never the text before it)."""
    start = i
    while start > 0 and masked[start - 1] == "\\":
        start -= 1
    return (i - start) % 2 == 1


def _find_closing(masked: str, start: int, closing: str) -> int:
    """Index of the first unescaped ``closing`` at or after ``start`` (-1 if none)."""
    i = start
    while True:
        i = masked.find(closing, i)
        if i < 0:
            return -1
        if closing.startswith("\\") or not _escaped(masked, i):
            return i
        i += 1


class _InlineClosings:
    """Where inline ``$...$`` maths may close, found once for the whole text.

    Pandoc's rule: the opening ``$`` is not followed by a space, the closing one
    is not preceded by a space nor followed by a digit, and the maths does not
    cross a blank line. So "$5 and $10" is not maths. Each opening is answered by
    two bisections, so that a post of dollars that never close (``$a $b $c`` ...)
    costs work in proportion to its length, not to its square.
    """

    def __init__(self, masked: str) -> None:
        self._masked = masked
        n = len(masked)
        self._dollars = [m.start() for m in re.finditer(r"\$", masked)
                         if not _escaped(masked, m.start())]
        self._closings = [i for i in self._dollars
                          if i > 0 and not masked[i - 1].isspace()
                          and not (i + 1 < n and masked[i + 1].isdigit())]
        self._breaks = [m.start() for m in re.finditer(r"(?=\n\n)", masked)]

    def end(self, start: int) -> int:
        """End of inline maths opened just before ``start`` (-1 if not maths)."""
        if start >= len(self._masked) or self._masked[start].isspace():
            return -1
        k = bisect.bisect_left(self._closings, start)
        if k == len(self._closings):
            return -1
        closing = self._closings[k]
        b = bisect.bisect_left(self._breaks, start)  # a blank line inside: not maths
        if b < len(self._breaks) and self._breaks[b] + 2 <= closing:
            return -1
        return closing


def find_maths(text: str, *, latex: bool = False) -> list[MathBlock]:
    """Every piece of maths in ``text`` (a Markdown post, or a LaTeX file when ``latex``).

    Display maths: ``$$...$$``, ``\\[...\\]`` and the environments of
    :data:`MATH_ENVIRONMENTS`; inline maths: ``$...$`` and ``\\(...\\)``. An
    unclosed display delimiter gives a block with ``closed=False`` (the checker
    reports it) holding the rest of the paragraph.
    """
    masked = mask_latex(text) if latex else mask_markdown(text)
    inline = _InlineClosings(masked)
    blocks: list[MathBlock] = []
    i, n = 0, len(masked)
    while i < n:
        c = masked[i]
        if c == "\\" and masked.startswith("\\$", i):
            i += 2
            continue
        opened: tuple[str, str, bool] | None = None
        if masked.startswith("$$", i):
            opened = ("$$", "$$", True)
        elif masked.startswith("\\[", i):
            opened = ("\\[", "\\]", True)
        elif masked.startswith("\\(", i):
            opened = ("\\(", "\\)", False)
        elif masked.startswith("\\begin{", i):
            match = _BEGIN.match(masked, i)
            if match:
                opened = (match.group(0), f"\\end{{{match.group(1)}}}", True)
        elif c == "$":
            end = inline.end(i + 1)
            if end > 0:
                blocks.append(MathBlock(text[i + 1:end], i + 1, False, end + 1))
                i = end + 1
                continue
        if opened is None:
            i += 1
            continue
        opening, closing, display = opened
        body = i + len(opening)
        end = _find_closing(masked, body, closing)
        if end < 0:
            stop = masked.find("\n\n", body)
            stop = n if stop < 0 else stop
            blocks.append(MathBlock(text[body:stop], body, display, stop, closed=False))
            i = stop
            continue
        blocks.append(MathBlock(text[body:end], body, display, end + len(closing)))
        i = end + len(closing)
    return blocks


__all__ = ["MATH_ENVIRONMENTS", "LineIndex", "MathBlock", "find_maths", "line_of",
           "mask_latex", "mask_markdown"]
