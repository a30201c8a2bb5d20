r"""``probkit check --fix``: a copy of a post whose maths KaTeX strict can typeset, same meaning.

:func:`~probkit.symbolic.lint.render.fix_maths` writes the characters KaTeX
refuses (``’``, ``′``, full-width ``＝``) in ASCII; then the copy is checked
again, and the fix is kept only if the maths reads the same: the same
equalities on the same lines, each with the same verdict, between the same
expressions (compared with the replaced characters mapped alike), and the same
findings. Otherwise :class:`~probkit.errors.ComputationError` says where the
meaning moved, and nothing should be written.

>>> result = fix_post("$$\nf(x) = x^2 \\qquad f’(x) = 2x\n$$\n")
>>> result.text
"$$\nf(x) = x^2 \\qquad f'(x) = 2x\n$$\n"
>>> [(r.line, r.column, r.old, r.new) for r in result.replacements]
[(2, 20, '’', "'")]
>>> result.before.renders, result.after.renders, result.after.passed
(False, True, True)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from probkit.errors import ComputationError
from probkit.symbolic.lint.render import REPLACEMENTS, TIDIED, Replacement, fix_maths
from probkit.symbolic.lint.report import CheckReport

_TABLE = str.maketrans({**REPLACEMENTS, **TIDIED})


@dataclass(frozen=True)
class FixResult:
    """The fixed text, what was replaced, and the reports of the post before and after."""

    text: str
    replacements: tuple[Replacement, ...]
    before: CheckReport
    after: CheckReport

    def summary(self) -> str:
        """``4 characters replaced (’ -> ' 3, − -> - 1); the maths reads the same ...``."""
        if not self.replacements:
            return "nothing to replace"
        counts = Counter((r.old, r.new.strip()) for r in self.replacements)
        parts = ", ".join(f"{old} -> {new} {n}" for (old, new), n in counts.items())
        n = len(self.replacements)
        read = sum(old.status == "unparsed" != new.status
                   for old, new in zip(self.before.equalities, self.after.equalities, strict=True))
        checked = self.after.equalities_checked
        many = "" if checked == 1 else "s"
        text = (f"{n} character{'s' if n != 1 else ''} replaced ({parts}); the maths reads the "
                f"same ({checked} equalit{'ies' if many else 'y'}, the same verdict{many}")
        text += f", {read} unreadable before now read)" if read else ")"
        if self.after.rendering:
            left = "".join(sorted({f.latex for f in self.after.rendering}))
            text += f"; still not typeset by KaTeX strict, no ASCII replacement: {left}"
        return text


def _same(latex: str) -> str:
    return re.sub(r"\s+", "", latex.translate(_TABLE))


def _moved(before: CheckReport, after: CheckReport) -> str | None:
    """Where ``after`` reads differently from ``before`` (None: nowhere).

    The same equalities between the same expressions (the replaced characters
    mapped alike) on the same lines, each with the same verdict, and the same
    findings, except that an equality ``before`` could not read (``unparsed``:
    often for the very character replaced) may now be read and decided.
    """
    if len(before.equalities) != len(after.equalities):
        return (f"{len(before.equalities)} equalities before, {len(after.equalities)} after")
    for old, new in zip(before.equalities, after.equalities, strict=True):
        if (old.line, _same(old.left), _same(old.right)) != \
                (new.line, _same(new.left), _same(new.right)):
            return f"line {old.line}: {old.left} = {old.right} became {new.left} = {new.right}"
        if old.status != "unparsed" and old.status != new.status:
            return f"line {old.line}: {old.left} = {old.right} was {old.status}, is {new.status}"

    def kept(report: CheckReport) -> list[tuple[int, str, str]]:
        return [(f.source_line, f.status, _same(f.latex)) for f in report.findings
                if f.status != "unparsed"]

    unread = {e.line for e in before.equalities if e.status == "unparsed"}
    old_findings = [f for f in kept(before) if f[0] not in unread]
    new_findings = [f for f in kept(after) if f[0] not in unread]
    if old_findings != new_findings:
        return f"the findings were {old_findings}, are {new_findings}"
    return None


def fix_post(text: str, *, source: str = "<text>", latex: bool | None = None,
             seed: int = 0) -> FixResult:
    """Fix ``text``'s maths for KaTeX strict and prove the meaning unchanged (see the module)."""
    from probkit.symbolic.lint.check import check_text
    from probkit.symbolic.lint.posts import is_latex_source

    is_latex = is_latex_source(text, source) if latex is None else latex
    before = check_text(text, source=source, latex=is_latex, seed=seed)
    fixed, replacements = fix_maths(text, latex=is_latex)
    after = check_text(fixed, source=source, latex=is_latex, seed=seed)
    moved = _moved(before, after)
    if moved is not None:
        raise ComputationError(
            f"{source}: replacing the characters KaTeX refuses would change how the maths "
            f"reads ({moved}); nothing written, fix these lines by hand")
    return FixResult(fixed, tuple(replacements), before, after)


__all__ = ["FixResult", "fix_post"]
