"""The data model of a derivation: checks, steps, and the derivation itself.

A :class:`Step` states that ``before`` equals ``after`` by one ``rule``. Its
:class:`Check` says how that claim was verified by machine:

* ``"symbolic"``: the difference ``before - after`` (with the derivation's
  definitions substituted and derivatives evaluated) simplifies to 0 under the
  symbols' assumptions; the residual is the simplified difference.
* ``"numeric"``: matrix steps are realized on explicit small symbolic matrices
  and both sides are evaluated at random values (30 significant digits); the
  residual is the largest absolute difference seen.

Prose (rules, explanations, notes) is either a plain string or a :class:`Prose`:
text interleaved with :class:`Math` pieces, each carrying its LaTeX (typeset
by the LaTeX and Markdown formats) and its ASCII (the plain-text format).

Expressions are SymPy objects; this module only needs them for type hints.

>>> rule = Prose.of("special case ", Math("a = 1"))
>>> plain(rule), with_math(rule, lambda latex: "$" + latex + "$")
('special case a = 1', 'special case $a = 1$')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Math:
    """A formula inside prose: ``latex`` for typeset formats, ``text`` (ASCII) for plain text.

    ``text`` defaults to ``latex`` (right for formulas such as ``a = 1``).
    ``expr``, when given, is the SymPy expression the formula names (made by
    :meth:`of`): a test checks that the display it describes shows it.
    """

    latex: str
    text: str = ""
    expr: Any = None

    @classmethod
    def of(
        cls,
        expr: Any,
        names: Mapping[Any, str] | None = None,
        *,
        text: str = "",
        derivative: str | None = None,
    ) -> Math:
        """The formula of a SymPy expression, printed as the displays print it."""
        from probkit.symbolic.printing import to_latex, to_text

        return cls(to_latex(expr, names, derivative=derivative), text or to_text(expr), expr)

    def ascii(self) -> str:
        """The plain-text form."""
        return self.text or self.latex


@dataclass(frozen=True)
class Prose:
    """A sentence with formulas in it: strings and :class:`Math` pieces, in order."""

    parts: tuple[str | Math, ...]

    @classmethod
    def of(cls, *parts: str | Math) -> Prose:
        """``Prose.of("the factor ", Math(r"1 - \\alpha", "1 - alpha"), ".")``."""
        return cls(tuple(parts))

    def __str__(self) -> str:
        return plain(self)


Text = str | Prose
"""Any prose field: a plain string or a :class:`Prose`."""


def plain(text: Text) -> str:
    """The ASCII form of ``text`` (what the plain-text format prints)."""
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else part.ascii() for part in text.parts)


def with_math(text: Text, inline: Callable[[str], str], escape: Callable[[str], str] = str) -> str:
    """``text`` with each formula written by ``inline(latex)`` and the words by ``escape``."""
    if isinstance(text, str):
        return escape(text)
    return "".join(
        escape(part) if isinstance(part, str) else inline(part.latex) for part in text.parts
    )


def formulas(text: Text) -> tuple[Math, ...]:
    """The formulas ``text`` holds."""
    if isinstance(text, str):
        return ()
    return tuple(part for part in text.parts if isinstance(part, Math))


@dataclass(frozen=True)
class Check:
    """How a step was verified, and whether it passed.

    ``residual`` is the simplified symbolic difference (a SymPy expression,
    0 when the check passed) or, for numeric checks, the largest absolute
    difference found (a float).
    """

    method: str
    passed: bool
    residual: Any
    detail: str = ""


@dataclass(frozen=True)
class Step:
    """One step of a derivation: ``before = after`` by ``rule``."""

    rule: Text
    before: Any
    after: Any
    explanation: Text
    check: Check


@dataclass(frozen=True)
class Given:
    """A definition the derivation starts from: ``lhs = rhs``."""

    lhs: Any
    rhs: Any
    explanation: Text


@dataclass(frozen=True)
class Derivation:
    """A named derivation: what is given, the checked steps, and the results.

    ``results`` are the display forms a person expects (``a f(x)(1 - f(x))``
    rather than SymPy's own simplification); each carries the check that
    verified it against the derived form. A result may reuse the check of the
    step that derived it (the same :class:`Check` object): it is then counted
    once, with the steps.

    ``derivative_notation`` is ``"d"`` (d/dx: functions of one variable),
    ``"partial"`` (the derivation has several variables) or ``None``: ``"d"``
    when every derivative shown is taken with respect to one and the same
    variable, ``"partial"`` otherwise.
    """

    name: str
    title: str
    summary: Text
    given: tuple[Given, ...]
    steps: tuple[Step, ...]
    results: tuple[Step, ...]
    latex_names: Mapping[Any, str] = field(default_factory=dict)
    notes: tuple[Text, ...] = ()
    derivative_notation: str | None = None

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every distinct check, once: the steps', then the results' own checks."""
        return (*self.step_checks, *self.result_checks)

    @property
    def step_checks(self) -> tuple[Check, ...]:
        """The steps' checks (one per step)."""
        return tuple(step.check for step in self.steps)

    @property
    def result_checks(self) -> tuple[Check, ...]:
        """The checks of results that are not a step's check reused."""
        seen = {id(check) for check in self.step_checks}
        found: list[Check] = []
        for result in self.results:
            if id(result.check) not in seen:
                seen.add(id(result.check))
                found.append(result.check)
        return tuple(found)

    def _repr_markdown_(self) -> str:
        """The Markdown page (Jupyter shows a derivation with it)."""
        from probkit.symbolic.render_markdown import notebook

        return notebook(self)

    def _repr_latex_(self) -> str:
        """The ``align*`` fragment inside ``$$`` (for Jupyter's LaTeX display)."""
        from probkit.symbolic.render_latex import notebook

        return notebook(self)

    @property
    def verified(self) -> bool:
        """True when every step and every result passed its check."""
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> tuple[Step, ...]:
        """The steps, then the results with a check of their own, whose check failed."""
        own = {id(check) for check in self.result_checks}
        failed = [step for step in self.steps if not step.check.passed]
        failed += [r for r in self.results if id(r.check) in own and not r.check.passed]
        own_failed: list[Step] = []
        seen: set[int] = set()
        for step in failed:
            if id(step.check) not in seen:
                seen.add(id(step.check))
                own_failed.append(step)
        return tuple(own_failed)
