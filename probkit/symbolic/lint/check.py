r"""Check every chain of equalities in a post, line by line, and blame the wrong lines.

The post is read in order. Each maths block is split into statements
(:func:`~probkit.symbolic.lint.statements.split_statements`); a statement is a
side condition (``a > 0``, ``0 < p < 1``: the variable's domain from there on),
a definition (``f(x) = …``, ``a = …``, ``L(a, y) = …``: substituted in
everything after it, until the name is defined again), or a claim (``f'(x) =
… = …``), whose neighbouring terms are compared one pair at a time
(:func:`~probkit.symbolic.lint.equality.compare`).

Blame: a wrong expression in the middle of a chain breaks the equalities on
both of its sides. When its two neighbours equal each other, the expression
itself is reported (once), with what it should have been when that can be
said (a sign, a missing factor, a missing derivative).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy as sp

from probkit.errors import InputError
from probkit.symbolic.lint.equality import Verdict, compare, numerically_equal
from probkit.symbolic.lint.extract import LineIndex, MathBlock, find_maths
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.posts import MAX_BYTES, decode_post, read_post
from probkit.symbolic.lint.reader import (
    Names,
    ParsedTerm,
    approximated,
    definition_target,
    lone_number,
    parse_term,
    read_term,
    symbol_name,
)
from probkit.symbolic.lint.render import render_findings
from probkit.symbolic.lint.report import (
    CheckReport,
    EqualityResult,
    Finding,
    format_counterexample,
)
from probkit.symbolic.lint.scope import Definition, Scope
from probkit.symbolic.lint.statements import Segment, Statement, split_statements

MAX_BLOCKS = 2_000
"""Most maths blocks checked in one post."""

MAX_TERM_CHARS = 1_500
"""Longest term read; longer ones are reported as unparsed."""

MAX_EQUALITIES = 1_000
"""Most equalities checked in one post; the rest are reported undecided."""

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$|^-?\\frac\{(\d+)\}\{(\d+)\}$")


@dataclass
class _Term:
    segment: Segment
    line: int
    prepared: ParsedTerm | None = None
    raw: Any = None
    value: Any = None
    problem: str | None = None


def _compact(text: str) -> str:
    return re.sub(r"\\(left|right)\b|\s+", "", text)


def _number(text: str) -> Any:
    match = _NUMBER.match(_compact(text))
    if not match:
        return None
    if match.group(1) is not None:
        return sp.Rational(int(match.group(1)), int(match.group(2)))
    return sp.Rational(match.group(0))


def _grouped(latex: str) -> str:
    r"""``latex`` in parentheses, unless it already is one parenthesised group.

    >>> _grouped("a+b"), _grouped(r"\left(a+b\right)"), _grouped("(a)(b)")
    ('\\left(a+b\\right)', '\\left(a+b\\right)', '\\left((a)(b)\\right)')
    """
    inner = latex[6:-7] if latex.startswith(r"\left(") and latex.endswith(r"\right)") else (
        latex[1:-1] if latex.startswith("(") and latex.endswith(")") else None)
    if inner is not None:
        depth = 0
        for c in inner:
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth < 0:
                break
        else:
            if depth == 0:
                return latex
    return f"\\left({latex}\\right)"


class _Checker:
    def __init__(self, text: str, source: str, seed: int) -> None:
        self.source = source
        self.lines = LineIndex(text)
        self.scope = Scope()
        self.findings: list[Finding] = []
        self.results: list[EqualityResult] = []
        self.seed = seed
        self.previous: _Term | None = None  # the last term of the last chain, for "= …" blocks
        self.approximate: set[Segment] = set()  # right sides of \approx, read to their digits

    # -- statements
    def block(self, block: MathBlock) -> None:
        if not block.closed:
            self.findings.append(Finding(self.lines.line(block.start), block.text.strip()[:80],
                                         "unparsed", "unclosed maths: no closing delimiter",
                                         None, None))
            return
        try:
            statements = split_statements(block.text, block.start)
        except Unreadable as exc:
            self.findings.append(Finding(self.lines.line(block.start), block.text.strip()[:80],
                                         "unparsed", f"cannot read: {exc}", None, None))
            return
        conditions = [s for s in statements if s.condition]
        for statement in conditions:  # a side condition holds for its whole block
            self.statement(statement)
        for statement in statements:
            if not statement.condition:
                self.statement(statement)

    def statement(self, statement: Statement) -> None:
        relations = set(statement.relations)
        if relations and relations <= {"<", ">", "<=", ">="}:
            self.condition(statement)
            return
        run: list[Segment] = [statement.terms[0]]
        for relation, term in zip(statement.relations, statement.terms[1:], strict=True):
            if relation == "=":
                run.append(term)
                continue
            if relation == "≈" and self.is_decimal(term):  # x \approx 0.0194: to the digits
                self.approximate.add(term)
                run.append(term)
                continue
            if len(run) > 1:
                self.guarded_chain(run)
            run = [term]
        if len(run) > 1:
            self.guarded_chain(run)

    def guarded_chain(self, segments: list[Segment]) -> None:
        """:meth:`chain`, with a failure of SymPy (or of probkit) confined to this chain.

        Like a linter's "internal error" for one file: the rest of the post is
        still checked, and the chain is reported, never silently passed.
        """
        try:
            self.chain(segments)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as a finding, see docstring
            first = segments[0]
            self.findings.append(Finding(
                self.lines.line(first.offset), first.shown, "unparsed",
                f"cannot check {first.shown} = …: internal error ({type(exc).__name__}); "
                "please report it", None, None))

    def condition(self, statement: Statement) -> None:
        """``a > 0``, ``0 < p < 1``, ``x \\geq 1``: the domain of a variable."""
        terms = [t.text for t in statement.terms]
        for (left, right), relation in zip(zip(terms, terms[1:], strict=False),
                                           statement.relations, strict=True):
            low_first = relation in ("<", "<=")
            for name, bound, name_is_left in ((left, right, True), (right, left, False)):
                value = _number(bound)
                if value is None:
                    continue
                try:
                    parsed = symbol_name(_compact(name))
                except Unreadable:
                    continue
                below = low_first != name_is_left  # name > bound
                if below:
                    self.scope.restrict(parsed, low=value)
                else:
                    self.scope.restrict(parsed, high=value)

    # -- chains
    def chain(self, segments: list[Segment]) -> None:
        terms = [_Term(s, self.lines.line(s.offset)) for s in segments]
        if not terms[0].segment.text:  # "= …" continuing the chain of the previous block
            if self.previous is None:
                self.unparsed(terms[0], "a chain that starts with '='")
                return
            terms[0] = self.previous
        elif any(not t.segment.text for t in terms):
            for term in terms:
                if not term.segment.text:
                    self.unparsed(term, "an empty side of '='")
            return
        for term in terms:
            if term.prepared is None and term.problem is None and term.raw is None:
                self.prepare(term)
        definition = self.definition_target(terms)
        checked = terms[1:] if definition is not None else terms
        primed = frozenset(n for t in terms if t.prepared for n in t.prepared.primed)
        names = self.scope.names(primed)
        for term in checked:
            self.read(term, names)
        if definition is not None:
            self.define(definition, terms[0], terms[1])
            if terms[1].raw is not None:
                names = self.scope.names(primed)
        prime_variable = self.prime_variable(checked)
        for term in checked:
            self.evaluate(term, prime_variable)
        self.compare_chain(checked, prime_variable)
        self.previous = checked[-1]

    def definition_target(self, terms: list[_Term]) -> tuple[str, tuple[str, ...]] | None:
        """``(name, params)`` when the chain defines its first term, else None."""
        if terms[0].raw is not None or terms[0].prepared is None:  # carried over, or unread
            return None
        target = definition_target(terms[0].prepared)
        if target is None or target[0] == "d":
            return None
        if len(terms) > 2 and target[0] in self.scope.definitions:
            return None  # f(x) = … = …, f known: a claim about f, checked
        return target

    def define(self, target: tuple[str, tuple[str, ...]], lhs: _Term, rhs: _Term) -> None:
        name, params = target
        if rhs.raw is None:
            return
        parsed = name
        symbols = tuple(sp.Symbol(p) for p in params)
        if sp.Symbol(parsed) in rhs.raw.free_symbols and not params:
            self.unparsed(rhs, f"defines {name} in terms of itself")
            return
        self.scope.define(Definition(parsed, symbols, rhs.raw, lhs.line))

    def prepare(self, term: _Term) -> None:
        if len(term.segment.text) > MAX_TERM_CHARS:
            term.problem = f"longer than {MAX_TERM_CHARS} characters"
            return
        segment = term.segment
        try:
            term.prepared = parse_term(segment.source or segment.text, segment.offset)
            if segment in self.approximate:
                term.prepared = approximated(term.prepared)
        except Unreadable as exc:
            term.problem = str(exc)
            if exc.offset is not None and segment.source:  # the line of the construct
                term.line = self.lines.line(exc.offset)

    def is_decimal(self, segment: Segment) -> bool:
        """True when ``segment`` is one decimal number (the right side of ``\\approx``)."""
        try:
            return lone_number(parse_term(segment.source or segment.text, segment.offset))
        except Unreadable:
            return False

    def read(self, term: _Term, names: Names) -> None:
        if term.prepared is None or term.raw is not None:
            return
        try:
            term.raw = read_term(term.prepared, names)
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
        return self.scope.last_function_parameter

    def evaluate(self, term: _Term, prime_variable: Any) -> None:
        if term.raw is None or term.value is not None:
            return
        try:
            term.value = self.scope.evaluate(term.raw, prime_variable=prime_variable)
        except Unreadable as exc:
            term.problem = str(exc)
        except (ArithmeticError, RecursionError, TypeError, ValueError, NotImplementedError,
                AttributeError) as exc:  # SymPy's own failures on odd input
            term.problem = f"cannot evaluate ({type(exc).__name__})"

    def unparsed(self, term: _Term, reason: str) -> None:
        self.findings.append(Finding(term.line, term.segment.shown, "unparsed",
                                     f"cannot read {term.segment.shown}: {reason}", None, None))

    # -- comparison and blame
    def compare_chain(self, terms: list[_Term], prime_variable: Any) -> None:
        for term in terms:
            if term.problem is not None and term.value is None:
                self.unparsed(term, term.problem)
                term.problem = "reported"
        verdicts: list[Verdict | None] = []
        for left, right in zip(terms, terms[1:], strict=False):
            if left.value is None or right.value is None:
                verdicts.append(None)
                self.record(left, right, None)
                continue
            if len(self.results) >= MAX_EQUALITIES:
                verdict = Verdict("undecided", None, f"more than {MAX_EQUALITIES} equalities")
            else:
                try:
                    verdict = compare(left.value, right.value, self.scope.domains,
                                      seed=self.seed + len(self.results))
                except (ArithmeticError, RecursionError, TypeError, ValueError,
                        NotImplementedError, AttributeError) as exc:  # SymPy's own failures
                    verdict = Verdict("undecided", None,
                                      f"SymPy could not compare the sides ({type(exc).__name__})")
            verdicts.append(verdict)
            self.record(left, right, verdict)
        self.blame(terms, verdicts, prime_variable)

    def record(self, left: _Term, right: _Term, verdict: Verdict | None) -> None:
        status = "unparsed" if verdict is None else verdict.status
        self.results.append(EqualityResult(right.line, left.segment.shown, right.segment.shown,
                                           status, None if verdict is None else verdict.method,
                                           "" if verdict is None else verdict.detail))

    def blame(self, terms: list[_Term], verdicts: list[Verdict | None],
              prime_variable: Any) -> None:
        wrong = [v is not None and v.status == "wrong" for v in verdicts]
        i = 0
        while i < len(verdicts):
            verdict = verdicts[i]
            if verdict is None:
                i += 1
                continue
            if wrong[i] and i + 1 < len(verdicts) and wrong[i + 1]:
                before, middle, after = terms[i], terms[i + 1], terms[i + 2]
                if numerically_equal(before.value, after.value, self.scope.domains,
                                     seed=self.seed + 7919 + i):
                    counter = verdict.counterexample
                    where = f" ({format_counterexample(counter)})" if counter else ""
                    self.findings.append(Finding(
                        middle.line, middle.segment.shown, "wrong",
                        f"wrong expression: {middle.segment.shown} (its neighbours "
                        f"{before.segment.shown} and {after.segment.shown} are equal){where}",
                        counter, self.suggest(before, middle, prime_variable)))
                    i += 2
                    continue
            left, right = terms[i], terms[i + 1]
            if wrong[i]:
                counter = verdict.counterexample
                where = f" ({format_counterexample(counter)})" if counter else ""
                self.findings.append(Finding(
                    right.line, right.segment.shown, "wrong",
                    f"wrong step: {left.segment.shown} ≠ {right.segment.shown}{where}",
                    counter, self.suggest(left, right, prime_variable)))
            elif verdict.status == "undecided":
                self.findings.append(Finding(
                    right.line, right.segment.shown, "undecided",
                    f"undecided: {left.segment.shown} = {right.segment.shown}: {verdict.detail}",
                    None, None))
            i += 1

    def suggest(self, expected: _Term, actual: _Term, variable: Any) -> str | None:
        """What ``actual`` should have been, judged from its equal neighbour ``expected``.

        Each diagnosis is tried numerically (cheap; ``cancel`` of a quotient of
        exponentials can take minutes): a flipped sign, a missing factor (a
        variable or a small integer), an exponent off by one, a missing derivative.
        """
        want, got = expected.value, actual.value
        written = actual.segment.shown
        grouped = _grouped(written)
        domains = self.scope.domains

        def same(candidate: Any) -> bool:
            return numerically_equal(want, candidate, domains, seed=self.seed + 104729)

        if not (want.free_symbols | got.free_symbols) or got.has(
                sp.core.function.AppliedUndef, sp.Derivative):
            return f"expected an expression equal to {expected.segment.shown}"
        if same(-got):
            flipped = written[1:] if written.startswith("-") else f"-\\left({written}\\right)"
            return f"the sign is wrong: expected {flipped}"
        factors = [*sorted(want.free_symbols | got.free_symbols, key=str), *map(sp.Integer,
                                                                              (2, 3, 4))]
        for factor in factors:
            if same(factor * got):
                return (f"a factor {sp.latex(factor)} is missing: expected {sp.latex(factor)} "
                        f"\\cdot {grouped}")
            if same(got / factor):
                return (f"an extra factor {sp.latex(factor)}: expected "
                        f"\\frac{{1}}{{{sp.latex(factor)}}} {grouped}")
        for power in sorted(got.atoms(sp.Pow), key=str):
            if power.exp.is_Integer and abs(power.exp) > 1 and (
                    same(got * power.base) or same(got / power.base)):
                return (f"the exponent of {sp.latex(power.base)} is off by one: expected an "
                        f"expression equal to {expected.segment.shown}")
        if variable is not None and got.has(variable) and same(sp.diff(got, variable)):
            return (f"the derivative is missing (a dropped prime?): expected "
                    f"\\frac{{d}}{{d{sp.latex(variable)}}}{grouped}")
        return f"expected an expression equal to {expected.segment.shown}"

    def report(self) -> CheckReport:
        findings = tuple(sorted(self.findings, key=lambda f: f.source_line))
        verified = sum(r.status == "verified" for r in self.results)
        return CheckReport(self.source, findings, tuple(self.results),
                           equalities_checked=len(self.results), equalities_verified=verified)


def is_latex_source(text: str, name: str = "") -> bool:
    """True for a LaTeX document (by suffix, or a ``\\documentclass``/``\\begin{document}``)."""
    if name.endswith((".tex", ".latex", ".ltx")):
        return True
    if name.endswith((".md", ".markdown", ".mdx")):
        return False
    return bool(re.search(r"\\documentclass|\\begin\{document\}", text))


def check_text(text: str, *, source: str = "<text>", latex: bool | None = None,
               seed: int = 0) -> CheckReport:
    r"""Check the maths of a post given as text; see :mod:`probkit.symbolic.lint`.

    ``latex`` says whether ``text`` is a LaTeX file (None: guess from ``source``
    and the text); ``seed`` seeds the random points of numeric checks.

    >>> report = check_text("$$f(x) = x^2 \\qquad f'(x) = 2x$$")
    >>> report.passed, report.equalities_checked
    (True, 1)
    >>> print(check_text("$$\\frac{d}{dx} x^3 = 3x$$", source="post.md"))
    ... # doctest: +NORMALIZE_WHITESPACE
    post.md:1: wrong step: \frac{d}{dx} x^3 ≠ 3x (at x = 0.5: 0.75 vs 1.5);
        a factor x is missing: expected x \cdot \left(3x\right)
    post.md: 1 equality, 0 verified (0 symbolically, 0 numerically), 1 finding: 1 wrong
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise InputError(f"{source}: larger than {MAX_BYTES // 1_000_000} MB; probkit check "
                         "reads posts, not books")
    is_latex = is_latex_source(text, source) if latex is None else latex
    blocks = find_maths(text, latex=is_latex)
    if not blocks:
        raise InputError(f"{source}: no maths found (looked for $...$, $$...$$, \\[...\\], "
                         "\\(...\\) and equation/align environments)")
    if len(blocks) > MAX_BLOCKS:
        raise InputError(f"{source}: {len(blocks)} maths blocks; at most {MAX_BLOCKS} are "
                         "checked")
    checker = _Checker(text, source, seed)
    for block in blocks:
        checker.block(block)
    return dataclasses.replace(checker.report(),
                               rendering=render_findings(text, latex=is_latex))


def check_file(path: str | Path, *, seed: int = 0) -> CheckReport:
    """Check the maths of the post at ``path`` (Markdown, or LaTeX for ``.tex``)."""
    text = read_post(path)
    return check_text(text, source=str(path), seed=seed)


__all__ = ["MAX_BLOCKS", "MAX_BYTES", "MAX_EQUALITIES", "MAX_TERM_CHARS", "check_file",
           "check_text", "decode_post", "is_latex_source", "read_post"]
