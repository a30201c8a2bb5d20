"""The checker's state, the terms it reads and the results it records: shared by its parts."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from probkit.symbolic.lint.equality import Verdict, compare, display_name
from probkit.symbolic.lint.extract import LineIndex, MathBlock
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.parser import NAME
from probkit.symbolic.lint.reader import (
    PLUS_MINUS,
    PRIME_VARIABLE,
    Names,
    ParsedTerm,
    parse_term,
    read_term,
)
from probkit.symbolic.lint.reader import definition_target as defined_by
from probkit.symbolic.lint.report import (
    EqualityResult,
    Finding,
)
from probkit.symbolic.lint.scope import Definition, KnownOnlyByValue, Scope
from probkit.symbolic.lint.statements import Segment

MAX_TERM_CHARS = 1_500
"""Longest term read; longer ones are reported as unparsed."""


MAX_EQUALITIES = 1_000
"""Most equalities checked in one post; the rest are reported undecided."""


MAX_CUE_CHARS = 160
"""Longest prose between two equations that can still say the second solves the first."""


_PUNCTUATION = " \t\r\n:：、，,$\\[]()"


IMPLICATIONS = frozenset({"->", "<->"})
r"""Relations between equations of a solving chain (``\Rightarrow``, ``\iff``, ``\therefore``)."""


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$|^-?\\frac\{(\d+)\}\{(\d+)\}$")


@dataclass


class _Term:
    segment: Segment
    line: int
    prepared: ParsedTerm | None = None
    raw: Any = None
    value: Any = None
    problem: str | None = None
    undecidable: bool = False  # the problem is a claim that cannot be decided, not unread


def _names_in(node: Any) -> set[str]:
    """The names a parsed term holds (``p`` in ``1.25 p^2 - 0.75 p``)."""
    found = {str(node.value)} if node.kind == NAME else set()
    for child in node.args:
        found |= _names_in(child)
    return found


def _uses_defined(expr: Any, scope: Scope) -> str:
    """``" (it uses k, defined on line 7)"``: the definitions a term failed with, for messages."""
    names = sorted(s.name for s in expr.free_symbols
                   if isinstance(s, sp.Symbol) and s.name in scope.definitions)
    if not names:
        return ""
    shown = ", ".join(f"{display_name(n)} (line {scope.definitions[n].line})" for n in names[:3])
    return f"; it uses {shown}"


def _settled(verdict: Verdict | None) -> Verdict | None:
    """A claim that failed only for particular data (one side holds the data of a sum, the
    other none: ``E'(w) = 28w - 58``), once it is known not to be an equation: undecided."""
    if verdict is None or verdict.status != "wrong" or not verdict.particular_data:
        return verdict
    return Verdict("undecided", None, "one side depends on the data of the sums (x_i), the "
                   "other does not: a value for particular data, which the maths does not give")


def _compact(text: str) -> str:
    return re.sub(r"\\(left|right)\b|\s+", "", text)


def _named(parsed: ParsedTerm | None) -> tuple[str, tuple[str, ...]] | None:
    """What a term written ``a``, ``\\hat{y}``, ``f(x)``, ``P(D)`` can define (``d`` never)."""
    target = None if parsed is None else defined_by(parsed)
    return None if target is None or target[0] == "d" else target


def _target(text: str, offset: int) -> tuple[str, tuple[str, ...]] | None:
    """:func:`_named` of ``text``, None when it cannot be read."""
    try:
        return _named(parse_term(text, offset))
    except Unreadable:
        return None


def _number(text: str) -> Any:
    match = _NUMBER.match(_compact(text))
    if not match:
        return None
    if match.group(1) is not None:
        return sp.Rational(int(match.group(1)), int(match.group(2)))
    return sp.Rational(match.group(0))


@dataclass


class _Point:
    """An evaluation point ("at $x = 0$"): ``name = value`` for blocks ``first``..``last``."""

    name: str
    value: Segment
    first: int
    last: int
    line: int
    read: bool = False
    definition: Definition | None = None


@dataclass


class _Equation:
    """One equation of a solving chain; ``identity`` is its verdict as an identity."""

    left: _Term
    right: _Term
    identity: Verdict | None
    label: str | None = None  # how it is shown when not "left = right"

    @property
    def value(self) -> Any:
        if self.left.value is None or self.right.value is None:
            return None
        return self.left.value - self.right.value

    @property
    def line(self) -> int:
        return self.left.line

    @property
    def shown(self) -> str:
        if self.label is not None:
            return self.label
        return f"{self.left.segment.shown} = {self.right.segment.shown}"


@dataclass


class _Solving:
    """Equations being solved one after another; ``end``: where its last block ends."""

    equations: list[_Equation]
    domains: dict[str, Any]
    end: int
    cue: bool
    variable: Any = None  # the variable of the derivative set to zero, if there was one


class CheckerState:
    """The state of one post's check; reads terms and records results and findings."""

    def __init__(self, text: str, source: str, seed: int) -> None:
        self.source = source
        self.text = text
        self.lines = LineIndex(text)
        self.scope = Scope()
        self.findings: list[Finding] = []
        self.columns: dict[tuple[int, str], int] = {}  # (line, term as shown) -> its column
        self.results: list[EqualityResult] = []
        self.seed = seed
        self.previous: _Term | None = None  # the last term of the last chain, for "= …" blocks
        self.defined = False  # whether the statement being checked defined a name
        self.solving: _Solving | None = None  # the equations being solved, in order
        self.prose_link = False  # the prose before this block says "solving goes on"
        self.qualified = False  # the statement being checked has side conditions on its line
        self.points_active = False  # an evaluation point holds for the block being checked
        self.unread_names: dict[str, int] = {}  # names whose definition could not be read
        self.unread_functions: set[str] = set()  # those of them defined with parameters
        self.unread_reasons: dict[str, str] = {}  # why, when not "could not be read"
        self.used_names: set[str] = set()  # the names read in a claim so far
        self.previous_end = 0  # where the block of self.previous ends
        self.previous_first: _Term | None = None  # the first term of that chain
        self.solving_rows = False  # the rows of the block being checked solve an equation
        self.block_start = self.block_end = 0
        self.last_definition: tuple[str, tuple[str, ...], int, int] | None = None  # name,
        # params, where its block ends, and the number of that block
        self.blocks_read = 0  # the blocks read so far, this one included
        self.alternates: list[MathBlock] = []  # blocks "or"-joined to the one being checked
        self.results_made: list[_Term] = []  # the first term of each chain, in order
        self.cases: list[tuple[int, dict[str, Any], int]] = []  # piecewise conditions: where
        # their sentence ends, the domains they replaced, and the constraints before them

    def names(self, primed: frozenset[str] = frozenset()) -> Names:
        """The names in force: the scope's, with the functions whose definition was unread."""
        names = self.scope.names(primed | frozenset(self.unread_functions))
        return dataclasses.replace(names, unread=frozenset(self.unread_functions))

    def refuse_unread_names(self, term: _Term) -> None:
        """A term using a name whose definition could not be read is not read either."""
        if term.raw is None or not self.unread_names:
            return
        used = {s.name for s in term.raw.free_symbols} | {
            type(f).__name__.rstrip("'") for f in term.raw.atoms(sp.core.function.AppliedUndef)}
        for name in sorted(used & set(self.unread_names)):
            term.raw = None
            term.problem = self.unread_reasons.get(name) or (
                f"it uses {display_name(name)}, whose definition (line "
                f"{self.unread_names[name]}) could not be read")
            return

    def prepare(self, term: _Term) -> None:
        if len(term.segment.text) > MAX_TERM_CHARS:
            term.problem = f"longer than {MAX_TERM_CHARS} characters"
            return
        segment = term.segment
        try:
            term.prepared = parse_term(segment.source or segment.text, segment.offset)
        except Unreadable as exc:
            term.problem = str(exc)
            if exc.offset is not None and segment.source:  # the line of the construct
                term.line = self.lines.line(exc.offset)

    def read(self, term: _Term, names: Names) -> None:
        if term.prepared is None or term.raw is not None:
            return
        try:
            term.raw = read_term(term.prepared, names)
            self.used_names |= {s.name for s in term.raw.free_symbols
                                if isinstance(s, sp.Symbol)}
        except Unreadable as exc:
            term.problem = str(exc)
            if exc.offset is not None and term.segment.source:  # the line of the construct
                term.line = self.lines.line(exc.offset)

    def prime_variable(self, terms: list[_Term]) -> Any:
        for term in terms:
            if term.raw is None:
                continue
            for applied in term.raw.atoms(sp.core.function.AppliedUndef):
                if type(applied).__name__.endswith("'") and len(applied.args) == 1 and \
                        isinstance(applied.args[0], sp.Symbol):
                    return applied.args[0]
        inside: set[Any] = set()  # what the primed brackets (…)' hold
        for term in terms:
            if term.raw is not None:
                for derivative in term.raw.atoms(sp.Derivative):
                    if any(v == PRIME_VARIABLE for v, _ in derivative.variable_count):
                        inside |= derivative.expr.free_symbols
        inside = {s for s in inside if s.name not in self.scope.definitions}
        if len(inside) == 1:  # (\log(1+e^{x}))': a bracket in one variable, differentiated by it
            return inside.pop()
        return self.scope.last_function_parameter

    def evaluate(self, term: _Term, prime_variable: Any) -> None:
        if term.raw is None or term.value is not None:
            return
        try:
            term.value = self.scope.evaluate(term.raw, prime_variable=prime_variable)
        except KnownOnlyByValue as exc:
            term.problem, term.undecidable = str(exc), True
        except Unreadable as exc:
            term.problem = str(exc)
        except (ArithmeticError, RecursionError, TypeError, ValueError, NotImplementedError,
                AttributeError):  # SymPy's own failures on odd input
            term.problem = ("SymPy could not evaluate it with the post's definitions "
                            f"substituted{_uses_defined(term.raw, self.scope)}")

    def unparsed(self, term: _Term, reason: str) -> None:
        own = self.lines.line(term.segment.offset) == term.line  # not moved to a construct's
        column = self.lines.column(term.segment.offset) if own and term.segment.text else None
        status, verb = ("undecided", "decide") if term.undecidable else ("unparsed", "read")
        self.findings.append(Finding(term.line, term.segment.shown, status,  # the column
                                     f"cannot {verb} {term.segment.shown}: {reason}", None, None,
                                     column))  # of this term: a twin on its line has its own

    # -- comparison and blame
    def report_unread(self, terms: list[_Term]) -> None:
        for term in terms:
            if term.problem not in (None, "reported") and term.value is None:
                self.unparsed(term, term.problem or "")
                term.problem = "reported"

    def compare(self, left: Any, right: Any, seed: int) -> Verdict:
        """:func:`.equality.compare`; with ``\\pm`` on both sides, for each sign (the same
        sign on both: ``12 \\pm \\sqrt{64} = 12 \\pm 8``)."""
        if not (left.has(PLUS_MINUS) and right.has(PLUS_MINUS)):
            return compare(left, right, self.scope.domains, seed=seed,
                           constraints=self.scope.constraints)
        verdicts = [compare(left.xreplace({PLUS_MINUS: sign}), right.xreplace(
            {PLUS_MINUS: sign}), self.scope.domains, seed=seed,
            constraints=self.scope.constraints) for sign in (sp.Integer(1), sp.Integer(-1))]
        for verdict in verdicts:
            if verdict.status != "verified":
                return verdict
        return Verdict("verified", verdicts[0].method if verdicts[0].method == verdicts[1].method
                       else "numeric", "equal with either sign of \\pm")

    def record(self, left: _Term, right: _Term, verdict: Verdict | None) -> None:
        status = "unparsed" if verdict is None else verdict.status
        self.results.append(EqualityResult(right.line, left.segment.shown, right.segment.shown,
                                           status, None if verdict is None else verdict.method,
                                           "" if verdict is None else verdict.detail))

    def placed(self, segment: Segment, shown: str | None = None) -> None:
        """Remember the column of ``segment`` (or of the equation ``shown`` it starts), for the
        findings that blame it on its line."""
        self.columns.setdefault((self.lines.line(segment.offset), shown or segment.shown),
                                self.lines.column(segment.offset))
