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


def format_number(value: float) -> str:
    """A value as people write it: 3 significant digits, no trailing zeros.

    >>> format_number(0.2100001), format_number(-0.4444), format_number(1.3), format_number(12345.0)
    ('0.21', '-0.444', '1.3', '1.23e+04')
    """
    return f"{value:.3g}"


def format_counterexample(counterexample: dict[str, Any]) -> str:
    """``at x = 0.7, a = 1.3: 0.21 vs -0.44``."""
    point = ", ".join(f"{name} = {format_number(v)}"
                      for name, v in counterexample["point"].items())
    where = f"at {point}: " if point else ""
    return (f"{where}{format_number(counterexample['left'])} vs "
            f"{format_number(counterexample['right'])}")


@dataclass(frozen=True)
class Finding:
    """One problem, at the 1-based ``source_line`` where the blamed expression stands."""

    source_line: int
    latex: str
    status: str
    reason: str
    counterexample: dict[str, Any] | None
    suggestion: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"source_line": self.source_line, "latex": self.latex, "status": self.status,
                "reason": self.reason, "counterexample": self.counterexample,
                "suggestion": self.suggestion}

    def line(self, source: str) -> str:
        """The linter line: ``post.md:19: wrong step: ... (at x = 0.7: 0.21 vs -0.44)``."""
        text = f"{source}:{self.source_line}: {self.reason}"
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

    @property
    def passed(self) -> bool:
        """True when every equality was verified (no finding at all)."""
        return all(f.status in NOTES for f in self.findings) and \
            self.equalities_checked == self.equalities_verified

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` payload."""
        return {"passed": self.passed, "findings": [f.to_dict() for f in self.findings],
                "equalities_checked": self.equalities_checked,
                "equalities_verified": self.equalities_verified}

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
        return text

    def lines(self) -> list[str]:
        """One line per finding, then the summary line."""
        return [f.line(self.source) for f in self.findings] + [self.summary()]

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        state = "passed" if self.passed else "failed"
        return (f"<CheckReport {self.source}: {state}, {self.equalities_verified} of "
                f"{self.equalities_checked} equalities verified, {len(self.findings)} "
                f"finding(s)>")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython / Jupyter
        printer.text(str(self))


__all__ = ["CheckReport", "EqualityResult", "Finding", "STATUSES", "format_counterexample",
           "format_number"]
