"""The report of ``probkit check``: findings like a linter's, and the tally of equalities.

Only the standard library is used, so a report can be rendered or turned into
JSON without SymPy.

>>> finding = Finding(19, "a f(x)", "wrong", "wrong step: x ≠ a f(x)", None, None)
>>> report = CheckReport("post.md", (finding,), (), equalities_checked=3, equalities_verified=2)
>>> print(report)
post.md:19: wrong step: x ≠ a f(x)
post.md: 3 equalities, 2 verified (0 symbolically, 0 numerically), 1 finding: 1 wrong
>>> report.to_dict()["passed"]
False
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

STATUSES = ("wrong", "unparsed", "undecided", "condition")
r"""Statuses of findings, in the order the summary lists them.

``condition`` is a note, not a failure: an equation that holds for some values
only (``2x + 1 = 5``, ``\frac{dE}{dw} = 0``) with nothing after it solving it.
"""

NOTES = frozenset({"condition"})
"""Statuses of findings that do not fail the check."""

RENDER = "render"
"""Status of a finding about typesetting (a character KaTeX strict refuses), not the maths:
kept apart in :attr:`CheckReport.rendering`."""


def format_number(value: float) -> str:
    """A value as people write it: 3 significant digits, no trailing zeros.

    >>> format_number(0.2100001), format_number(-0.4444), format_number(1.3), format_number(12345.0)
    ('0.21', '-0.444', '1.3', '1.23e+04')
    """
    return f"{value:.3g}"


def format_pair(left: float, right: float) -> tuple[str, str]:
    """Two values that differ, with as many significant digits as it takes to show it
    (3 at least): ``1.3414`` against ``1.3441`` is not ``1.34 vs 1.34``.

    >>> format_pair(1.3414, 1.3441), format_pair(0.21, -0.44)
    (('1.341', '1.344'), ('0.21', '-0.44'))
    """
    for digits in range(3, 18):
        shown = f"{left:.{digits}g}", f"{right:.{digits}g}"
        if shown[0] != shown[1]:
            return shown
    return shown


def format_counterexample(counterexample: dict[str, Any]) -> str:
    """``at x = 0.7, a = 1.3: 0.21 vs -0.44``."""
    point = ", ".join(f"{name} = {format_number(v)}"
                      for name, v in counterexample["point"].items())
    where = f"at {point}: " if point else ""
    left, right = format_pair(counterexample["left"], counterexample["right"])
    return f"{where}{left} vs {right}"


def counterexample_note(counterexample: dict[str, Any] | None) -> str:
    """`` (at x = 0.7: 0.21 vs -0.44)`` to append to a finding's reason, or nothing.

    >>> counterexample_note({"point": {"x": 0.7}, "left": 0.21, "right": -0.44})
    ' (at x = 0.7: 0.21 vs -0.44)'
    >>> counterexample_note(None)
    ''
    """
    return f" ({format_counterexample(counterexample)})" if counterexample else ""


@dataclass(frozen=True)
class Finding:
    """One problem, at the 1-based ``source_line`` where the blamed expression stands."""

    source_line: int
    latex: str
    status: str
    reason: str
    counterexample: dict[str, Any] | None
    suggestion: str | None
    column: int | None = None
    """1-based column (in characters) of the blamed character (status ``render``) or term
    (the maths), when it is known: the line is then printed ``file:line:column:``."""

    def to_dict(self) -> dict[str, Any]:
        found = {"source_line": self.source_line, "latex": self.latex, "status": self.status,
                 "reason": self.reason, "counterexample": self.counterexample,
                 "suggestion": self.suggestion}
        if self.column is not None:
            found["column"] = self.column
        return found

    def line(self, source: str) -> str:
        """The linter line: ``post.md:19: wrong step: ... (at x = 0.7: 0.21 vs -0.44)``."""
        where = self.source_line if self.column is None else f"{self.source_line}:{self.column}"
        text = f"{source}:{where}: {self.reason}"
        if self.suggestion:
            text += f"; {self.suggestion}"
        return text


@dataclass(frozen=True)
class EqualityResult:
    """One equality between neighbouring terms, and how it was decided.

    ``status``: ``"verified"``, ``"wrong"``, ``"undecided"``, ``"unparsed"`` or
    ``"condition"`` (an equation, not counted as an equality checked);
    ``method``: ``"symbolic"``, ``"numeric"``, ``"solutions"`` (a step of a solving
    chain: the same solutions as the equation before) or None. ``line`` is the line of
    the right-hand term.
    """

    line: int
    left: str
    right: str
    status: str
    method: str | None
    detail: str


@dataclass(frozen=True)
class CheckReport:
    """Every finding of one post, and every equality checked in it."""

    source: str
    findings: tuple[Finding, ...]
    equalities: tuple[EqualityResult, ...]
    equalities_checked: int
    equalities_verified: int
    rendering: tuple[Finding, ...] = ()
    """Findings of status ``render``: characters KaTeX strict cannot typeset. They do not
    change :attr:`passed` (MathJax shows most of them); see :attr:`renders`."""

    @property
    def passed(self) -> bool:
        """True when every equality was verified (no finding about the maths but notes)."""
        return all(f.status in NOTES for f in self.findings) and \
            self.equalities_checked == self.equalities_verified

    @property
    def renders(self) -> bool:
        """True when KaTeX in strict mode (Hugo's ``transform.ToMath``) can typeset the maths."""
        return not self.rendering

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` payload."""
        return {"passed": self.passed, "findings": [f.to_dict() for f in self.findings],
                "equalities_checked": self.equalities_checked,
                "equalities_verified": self.equalities_verified,
                "render": [f.to_dict() for f in self.rendering]}

    def summary(self) -> str:
        methods = Counter(e.method for e in self.equalities if e.status == "verified")
        counts = Counter(f.status for f in self.findings)
        noun = "equality" if self.equalities_checked == 1 else "equalities"
        solved = (f", {methods['solutions']} by their solutions" if methods["solutions"]
                  else "")
        text = (f"{self.source}: {self.equalities_checked} {noun}, "
                f"{self.equalities_verified} verified ({methods['symbolic']} symbolically, "
                f"{methods['numeric']} numerically{solved})")
        if self.findings:
            parts = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
            plural = "s" if len(self.findings) != 1 else ""
            text += f", {len(self.findings)} finding{plural}: {parts}"
        elif self.equalities_checked:
            text += ": all verified"
        else:
            text += ": no equalities to check"
        if self.rendering:
            plural = "s" if len(self.rendering) != 1 else ""
            text += (f"; {len(self.rendering)} character{plural} KaTeX (strict) cannot typeset "
                     f"({RENDER})")
        return text

    def lines(self) -> list[str]:
        """One line per finding, then the summary line.

        The findings that fail the check (``wrong``, ``unparsed``, ``undecided``) come
        first, by line, so the first line printed (``| head -1``) is a maths error; then the
        notes (``condition``, and ``render``: a character KaTeX cannot typeset), by line.
        """
        every = sorted((*self.findings, *self.rendering),
                       key=lambda f: (f.status in NOTES or f.status == RENDER, f.source_line,
                                      f.status == RENDER, f.column or 0))
        return [f.line(self.source) for f in every] + [self.summary()]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        state = "passed" if self.passed else "failed"
        return (f"<CheckReport {self.source}: {state}, {self.equalities_verified} of "
                f"{self.equalities_checked} equalities verified, {len(self.findings)} "
                f"finding(s)>")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython / Jupyter
        printer.text(str(self))


@dataclass(frozen=True)
class PostError:
    """A post of a folder that could not be checked (not UTF-8, too large, a device ...)."""

    source: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "error": self.message}


@dataclass(frozen=True)
class SiteReport:
    """The reports of several posts (a folder, or the files a commit changes), in order.

    >>> good = CheckReport("a.md", (), (), equalities_checked=2, equalities_verified=2)
    >>> bad = CheckReport("b.md", (Finding(4, "x", "wrong", "wrong step: x ≠ y", None, None),),
    ...                   (), equalities_checked=1, equalities_verified=0)
    >>> site = SiteReport((good, bad, PostError("c.md", "c.md: not UTF-8 (byte 0xff on line 1)")))
    >>> print(site)
    a.md: 2 equalities, 2 verified (0 symbolically, 0 numerically): all verified
    b.md:4: wrong step: x ≠ y
    b.md: 1 equality, 0 verified (0 symbolically, 0 numerically), 1 finding: 1 wrong
    error: c.md: not UTF-8 (byte 0xff on line 1)
    3 posts: 1 passed, 1 failed, 1 unreadable; 3 equalities, 2 verified, 1 finding: 1 wrong
    >>> site.passed, site.exit_code
    (False, 2)
    """

    posts: tuple[CheckReport | PostError, ...]

    @property
    def reports(self) -> tuple[CheckReport, ...]:
        return tuple(p for p in self.posts if isinstance(p, CheckReport))

    @property
    def errors(self) -> tuple[PostError, ...]:
        return tuple(p for p in self.posts if isinstance(p, PostError))

    @property
    def passed(self) -> bool:
        """True when every post was read and passed."""
        return not self.errors and all(r.passed for r in self.reports)

    @property
    def renders(self) -> bool:
        return all(r.renders for r in self.reports)

    @property
    def exit_code(self) -> int:
        """2 if a post could not be read, else 1 if one did not pass, else 0 (as for one post)."""
        return 2 if self.errors else (0 if self.passed else 1)

    def summary(self) -> str:
        reports = self.reports
        passed = sum(r.passed for r in reports)
        checked = sum(r.equalities_checked for r in reports)
        verified = sum(r.equalities_verified for r in reports)
        counts = Counter(f.status for r in reports for f in r.findings)
        rendering = sum(len(r.rendering) for r in reports)
        noun = "post" if len(self.posts) == 1 else "posts"
        text = f"{len(self.posts)} {noun}: {passed} passed, {len(reports) - passed} failed"
        if self.errors:
            text += f", {len(self.errors)} unreadable"
        text += f"; {checked} equalit{'y' if checked == 1 else 'ies'}, {verified} verified"
        if counts:
            total = sum(counts.values())
            parts = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
            text += f", {total} finding{'s' if total != 1 else ''}: {parts}"
        if rendering:
            text += (f"; {rendering} character{'s' if rendering != 1 else ''} KaTeX (strict) "
                     f"cannot typeset ({RENDER})")
        return text

    def lines(self, *, errors: bool = True) -> list[str]:
        """Each post's lines (findings, then its summary), then the total.

        ``errors=False`` leaves out the posts that could not be read (the command
        line prints those on stderr).
        """
        out: list[str] = []
        for post in self.posts:
            if isinstance(post, CheckReport):
                out += post.lines()
            elif errors:
                out.append(f"error: {post.message}")
        return [*out, self.summary()]

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` payload: one object per post (its report, or its error), and totals."""
        reports = self.reports
        return {
            "passed": self.passed,
            "renders": self.renders,
            "posts": [{"source": p.source, **p.to_dict()} for p in self.posts],
            "posts_checked": len(reports),
            "posts_passed": sum(r.passed for r in reports),
            "posts_unreadable": len(self.errors),
            "equalities_checked": sum(r.equalities_checked for r in reports),
            "equalities_verified": sum(r.equalities_verified for r in reports),
        }

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return (f"<SiteReport {len(self.posts)} posts: {len(self.reports)} checked, "
                f"{len(self.errors)} unreadable, {'passed' if self.passed else 'failed'}>")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython / Jupyter
        printer.text(str(self))


__all__ = ["CheckReport", "EqualityResult", "Finding", "PostError", "RENDER", "STATUSES",
           "SiteReport", "format_counterexample", "format_number"]
