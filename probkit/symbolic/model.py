"""The data model of a derivation: checks, steps, and the derivation itself.

A :class:`Step` states that ``before`` equals ``after`` by one ``rule``. Its
:class:`Check` says how that claim was verified by machine:

* ``"symbolic"``: the difference ``before - after`` (with the derivation's
  definitions substituted and derivatives evaluated) simplifies to 0 under the
  symbols' assumptions; the residual is the simplified difference.
* ``"numeric"``: matrix steps are realized on explicit small symbolic matrices
  and both sides are evaluated at random values (30 significant digits); the
  residual is the largest absolute difference seen.

Expressions are SymPy objects; this module only needs them for type hints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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

    rule: str
    before: Any
    after: Any
    explanation: str
    check: Check


@dataclass(frozen=True)
class Given:
    """A definition the derivation starts from: ``lhs = rhs``."""

    lhs: Any
    rhs: Any
    explanation: str


@dataclass(frozen=True)
class Derivation:
    """A named derivation: what is given, the checked steps, and the results.

    ``results`` are the display forms a person expects (``a f(x)(1 - f(x))``
    rather than SymPy's own simplification); each carries the check that
    verified it against the derived form.
    """

    name: str
    title: str
    summary: str
    given: tuple[Given, ...]
    steps: tuple[Step, ...]
    results: tuple[Step, ...]
    latex_names: Mapping[Any, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every check record: the steps' and the results'."""
        return tuple(step.check for step in (*self.steps, *self.results))

    @property
    def verified(self) -> bool:
        """True when every step and every result passed its check."""
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> tuple[Step, ...]:
        """The steps and results whose check failed."""
        return tuple(s for s in (*self.steps, *self.results) if not s.check.passed)
