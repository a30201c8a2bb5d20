"""A copy of the post with a mark after every line that holds a checked equality.

Marks are comments, so the post renders as before: ``% probkit: ...`` inside
display maths that continues on the next line and in LaTeX files (both KaTeX
and MathJax read ``%`` as a comment), ``<!-- probkit: ... -->`` elsewhere in
Markdown.

>>> from probkit.symbolic.lint.report import CheckReport, EqualityResult
>>> result = EqualityResult(1, "x", "x", "verified", "symbolic", "")
>>> report = CheckReport("p.md", (), (result,), equalities_checked=1, equalities_verified=1)
>>> annotated("$x = x$\\n", report, latex=False)
'$x = x$ <!-- probkit: ✓ symbolic -->\\n'
"""

from __future__ import annotations

from collections import defaultdict

from probkit.symbolic.lint.extract import LineIndex, find_maths
from probkit.symbolic.lint.report import CheckReport

_MARKS = {"verified": "✓", "wrong": "✗", "undecided": "?", "unparsed": "?"}


def _marks(report: CheckReport) -> dict[int, list[str]]:
    marks: dict[int, list[str]] = defaultdict(list)
    for result in report.equalities:  # the problems are marked by the findings below
        if result.status == "verified":
            marks[result.line].append(f"{_MARKS[result.status]} {result.method}")
    for finding in report.findings:
        if finding.status == "wrong":
            marks[finding.source_line].append(f"✗ {finding.reason}")
        else:
            marks[finding.source_line].append(f"? {finding.status}")
    return marks


def annotated(text: str, report: CheckReport, *, latex: bool) -> str:
    """``text`` with the marks of ``report`` appended to the lines they concern."""
    index = LineIndex(text)
    inside: set[int] = set()  # lines whose end is inside display maths that goes on
    for block in find_maths(text, latex=latex):
        if block.display:
            first, last = index.line(block.start), index.line(max(block.start, block.end - 1))
            inside.update(range(first, last))
    lines = text.split("\n")
    for number, notes in sorted(_marks(report).items()):
        if not 1 <= number <= len(lines):
            continue
        seen: list[str] = []
        for note in notes:
            if note not in seen:
                seen.append(note)
        note = "; ".join(seen).replace("--", "-").replace("\n", " ")
        row = lines[number - 1]
        if latex or number in inside:
            lines[number - 1] = f"{row} % probkit: {note}"
        else:
            lines[number - 1] = f"{row} <!-- probkit: {note} -->"
    return "\n".join(lines)


__all__ = ["annotated"]
