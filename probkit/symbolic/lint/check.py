r"""Check every chain of equalities in a post, line by line, and blame the wrong lines.

The post is read in order. Each maths block is split into statements
(:func:`~probkit.symbolic.lint.statements.split_statements`); a statement is a
side condition (``a > 0``, ``0 < p < 1``: the variable's domain from there on),
a definition (``f(x) = …``, ``a = …``, ``L(a, y) = …``: substituted in
everything after it, until the name is defined again), or a claim (``f'(x) =
… = …``), whose neighbouring terms are compared one pair at a time
(:func:`~probkit.symbolic.lint.equality.compare`).

An equality that is not an identity may be an equation: a step of a solving
chain (after ``\Rightarrow``, ``\iff``, ``\therefore`` or words such as
"とおくと"; each equation must have the same solutions as the one before,
:func:`~probkit.symbolic.lint.solving.same_solutions`), or a lone ``condition``
(``\frac{dE}{dw} = 0`` that nothing solves). Inline ``x = 0`` after "at" or
before "のとき" is an evaluation point for its paragraph, not a definition
(:mod:`~probkit.symbolic.lint.prose`). See docs/check.md.

Blame: a wrong expression in the middle of a chain breaks the equalities on
both of its sides. When its two neighbours equal each other, the expression
itself is reported (once), with what it should have been when that can be
said (a sign, a missing factor, a missing derivative). A readable term is
never blamed because its neighbour could not be read.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

from probkit.errors import InputError
from probkit.symbolic.lint.chains import Chains
from probkit.symbolic.lint.checker_state import (
    _PUNCTUATION,
    IMPLICATIONS,
    MAX_CUE_CHARS,
    MAX_EQUALITIES,
    MAX_TERM_CHARS,
    _number,
    _Point,
    _target,
)
from probkit.symbolic.lint.evaluation_points import EvaluationPoints
from probkit.symbolic.lint.extract import MathBlock, find_maths
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.posts import MAX_BYTES, decode_post, is_latex_source, read_post
from probkit.symbolic.lint.prose import (
    crosses_heading,
    is_case,
    sentence_end,
    set_to_zero,
    solving_between,
)
from probkit.symbolic.lint.render import render_findings
from probkit.symbolic.lint.report import (
    CheckReport,
    Finding,
)
from probkit.symbolic.lint.statements import Statement, split_statements
from probkit.symbolic.lint.systems import Systems

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_BLOCKS = 2_000
"""Most maths blocks checked in one post."""


_RANGE = re.compile(r"^\s*[^=]+=\s*[^=,]+,(?:\s*[^=,]+,)*\s*\\[lcv]?dots(?![A-Za-z])")
r"""An index range, ``i = 1, \ldots, n``, ``k = 1, 2, \dots, K``: the values an index runs
over, neither a definition nor a claim."""


_EARLIER = re.compile(r"\b(?:the\s+(?:first|former)|both|each)\b|前者|1\s*つ目|一つ目|最初の式",
                      re.IGNORECASE)
"""Words setting an earlier result (not the last one) to zero: "Setting the first to zero"."""


def _writes_its_zero(statements: list[Statement]) -> bool:
    r"""Does the block start with the equation it solves, ``… = 0`` (then ``\Rightarrow …``)?"""
    if not statements:
        return False
    first = statements[0]
    run = 0
    while run < len(first.relations) and first.relations[run] == "=":
        run += 1
    return run > 0 and _number(first.terms[run].text) == 0


class _Checker(Chains, Systems, EvaluationPoints):
    """Checks a post's maths blocks in order and reports what it found."""

    # -- the post, block by block
    def run(self, blocks: list[MathBlock]) -> None:
        """Check every block in order, each with the evaluation points that hold for it."""
        points = self.evaluation_points(blocks)
        alternatives = self.alternatives(blocks)
        joined = {j for others in alternatives.values() for j in others}
        for k, block in enumerate(blocks):
            if k in points or k in joined:
                continue  # "at $x = 0$": not a claim, and not a definition
            nearest: dict[str, tuple[int, _Point]] = {}
            for j, point in points.items():  # two points of one name: the nearer one holds
                if point.first <= k <= point.last:
                    gap = (block.start - blocks[j].end if j < k
                           else blocks[j].start - block.end)
                    if point.name not in nearest or gap < nearest[point.name][0]:
                        nearest[point.name] = (gap, point)
            active = [point for _, point in nearest.values()]
            overlaid = []
            for point in active:
                definition = self.point_definition(point)
                if definition is not None:
                    overlaid.append((point, definition, self.scope.definitions.get(point.name)))
                    self.scope.define(definition)
            self.points_active = bool(overlaid)
            self.alternates = [blocks[j] for j in alternatives.get(k, [])]
            self.end_cases(block.start)
            self.block(block)
            if block.display:  # "$x > 0$ のとき … $$…$$": the case holds up to its display
                self.end_cases(len(self.text))
            self.alternates = []
            self.points_active = False
            for point, definition, before in overlaid:
                if self.scope.definitions.get(point.name) is definition:
                    if before is None:
                        del self.scope.definitions[point.name]
                    else:
                        self.scope.define(before)

    def case(self, block: MathBlock, statements: list[Statement]) -> bool:
        r"""``微分は $x > 0$ で $1$、$x < 0$ で $0$``, "for $x < 0$ it is 0": an inline condition
        naming one case of a piecewise sentence holds for that sentence (up to the display
        equation it introduces) only, never for the rest of the post (two cases would leave no
        value of x to check later claims at)."""
        if block.display or not statements or not all(
                st.relations and set(st.relations) <= {"<", ">", "<=", ">="}
                for st in statements):
            return False
        opening = 2 if self.text.startswith("\\(", block.start - 2) else 1
        before = self.text[max(0, block.start - opening - 60):block.start - opening]
        if not is_case(before, self.text[block.end:block.end + 20]):
            return False
        domains, constraints = dict(self.scope.domains), len(self.scope.constraints)
        for statement in statements:
            self.condition(statement)
        self.cases.append((sentence_end(self.text, block.end), domains, constraints))
        return True

    def end_cases(self, offset: int) -> None:
        """Drop the piecewise conditions whose sentence ended before ``offset``."""
        while self.cases and self.cases[-1][0] <= offset:
            _, domains, constraints = self.cases.pop()
            self.scope.domains = domains
            del self.scope.constraints[constraints:]

    # -- statements
    def block(self, block: MathBlock) -> None:
        self.blocks_read += 1
        if not block.closed:
            self.findings.append(Finding(self.lines.line(block.start), block.text.strip()[:80],
                                         "unparsed", "unclosed maths: no closing delimiter",
                                         None, None))
            return
        if _RANGE.match(block.text):
            return  # "$i = 1, \ldots, n$": an index's range; sums over i stay sums
        try:
            statements = split_statements(block.text, block.start)
        except Unreadable as exc:
            self.findings.append(Finding(self.lines.line(block.start), block.text.strip()[:80],
                                         "unparsed", f"cannot read: {exc}", None, None))
            self.unread_definition(block)
            return
        self.block_start, self.block_end = block.start, block.end
        if block.display and not self.solving_block(statements) and self.system(statements):
            return
        first = self.previous_first
        if self.solving is None and first is not None and first.value is not None and \
                set_to_zero(self.text[self.previous_end:block.start]) and \
                not crosses_heading(self.text[self.previous_end:block.start]) and \
                not re.search(r"=\s*0\s*[.,。、]?\s*$", block.text.strip()) and \
                not _writes_its_zero(statements) and \
                not _EARLIER.search(self.text[self.previous_end:block.start]):  # "微分して 0
            # とおくと" then "\ell'(\lambda) = … = 0": the block sets its own result to zero
            self.open_set_to_zero(first)  # the chain's first term: a slip in it is not carried
        if self.solving is not None:  # "とおくと", "so", or "Set $E' = 0$:" then the algebra
            between = self.text[self.solving.end:block.start]
            self.prose_link = not crosses_heading(between) and (
                solving_between(between, max_chars=MAX_CUE_CHARS) or (
                    self.solving.cue and not between.strip(_PUNCTUATION)))
            if self.prose_link and block.display and set_to_zero(between) and \
                    _writes_its_zero(statements):
                self.prose_link = False  # "setting the second to zero, $$ … = 0 ⇒ …$$":
                # the block writes the equation it solves; a new chain, not a step of the last
        self.solving_rows = block.display and self.solving_block(statements)
        if self.case(block, statements):
            return
        for statement, conditions in self.attach_conditions(statements):
            if not conditions:
                self.statement(statement)
                continue
            saved, constrained = dict(self.scope.domains), list(self.scope.constraints)
            for condition in conditions:
                self.condition(condition)
            self.defined = False
            self.qualified = not IMPLICATIONS & set(statement.relations)
            self.statement(statement)
            self.qualified = False
            if not self.defined:  # a claim's side condition holds for its own line only
                self.scope.domains, self.scope.constraints = saved, constrained

    def unread_definition(self, block: MathBlock) -> None:
        """A block that could not be split, but starts ``f(x) = …``: f is refused from here on."""
        head = block.text.split("=", 1)[0] if "=" in block.text else ""
        target = _target(head, block.start) if head.strip() else None
        if target is None:
            return
        self.unread_names[target[0]] = self.lines.line(block.start + len(block.text) -
                                                       len(block.text.lstrip()))
        if target[1]:
            self.unread_functions.add(target[0])

    def attach_conditions(
        self, statements: list[Statement]
    ) -> list[tuple[Statement, list[Statement]]]:
        r"""Each statement with the side conditions written on its line (``\quad (x > 0)``).

        A condition (``(x > 0)``, or ``x > 0`` after ``\quad`` or ``,``) on a line
        holding an equality belongs to that equality; on a line of its own it is
        a statement of its own, which holds from there on.
        """
        def span(statement: Statement) -> tuple[int, int]:
            lines = [self.lines.line(t.offset) for t in statement.terms]
            return min(lines), max(lines)

        def is_condition(statement: Statement) -> bool:
            return statement.condition or bool(statement.relations) and set(
                statement.relations) <= {"<", ">", "<=", ">="}

        out: list[tuple[Statement, list[Statement]]] = []
        loose: list[Statement] = []
        for statement in statements:
            if not is_condition(statement):
                first, last = span(statement)
                mine = [c for c in loose if span(c)[0] in (first, last)]
                out.extend((c, []) for c in loose if c not in mine)
                out.append((statement, mine))
                loose = []
                continue
            claim = out[-1][0] if out and not is_condition(out[-1][0]) else None
            if claim is not None and span(statement)[0] in range(span(claim)[0],
                                                                 span(claim)[1] + 1):
                out[-1][1].append(statement)
            else:
                loose.append(statement)
        out.extend((c, []) for c in loose)
        return out

    def report(self) -> CheckReport:
        self.close_solving()
        findings = tuple(sorted(
            (f if f.column is not None else dataclasses.replace(
                f, column=self.columns.get((f.source_line, f.latex))) for f in self.findings),
            key=lambda f: f.source_line))
        verified = sum(r.status == "verified" for r in self.results)
        checked = sum(r.status != "condition" for r in self.results)
        return CheckReport(self.source, findings, tuple(self.results),
                           equalities_checked=checked, equalities_verified=verified)


def check_text(text: str, *, source: str = "<text>", latex: bool | None = None,
               seed: int = 0, shapes: Sequence[str] = ()) -> CheckReport:
    r"""Check the maths of a post given as text; see :mod:`probkit.symbolic.lint`.

    ``latex`` says whether ``text`` is a LaTeX file (None: guess from ``source``
    and the text); ``seed`` seeds the random points of numeric checks. A vectorized post
    (layer indices ``W^{[1]}`` or shape declarations) has its matrix lines judged by
    :mod:`.vectorized`, with ``shapes`` (``W^{[1]}=n_h,n_x``) added to its declarations.

    >>> report = check_text("$$f(x) = x^2 \\qquad f'(x) = 2x$$")
    >>> report.passed, report.equalities_checked
    (True, 1)
    >>> print(check_text("$$\\frac{d}{dx} x^3 = 3x$$", source="post.md"))
    ... # doctest: +NORMALIZE_WHITESPACE
    post.md:1:22: wrong step: \frac{d}{dx} x^3 ≠ 3x (at x = 0.5: 0.75 vs 1.5);
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
    from probkit.symbolic.lint import vectorized

    given = vectorized.parse_shapes(shapes)
    checker = _Checker(text, source, seed)
    checker.run(blocks)
    report = checker.report()
    if given or vectorized.is_vectorized(text):
        report = vectorized.merged(report, text, blocks, given, seed)
    return dataclasses.replace(report, rendering=render_findings(text, latex=is_latex))


def check_file(path: str | Path, *, seed: int = 0, shapes: Sequence[str] = ()) -> CheckReport:
    """Check the maths of the post at ``path`` (Markdown, or LaTeX for ``.tex``)."""
    text = read_post(path)
    return check_text(text, source=str(path), seed=seed, shapes=shapes)


__all__ = ["MAX_BLOCKS", "MAX_BYTES", "MAX_EQUALITIES", "MAX_TERM_CHARS", "check_file",
           "check_text", "decode_post", "is_latex_source", "read_post"]
