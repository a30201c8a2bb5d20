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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sympy as sp

from probkit.errors import InputError
from probkit.symbolic.lint.equality import Verdict, compare, display_name, numerically_equal
from probkit.symbolic.lint.extract import LineIndex, MathBlock, find_maths
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.parser import NAME
from probkit.symbolic.lint.posts import MAX_BYTES, decode_post, is_latex_source, read_post
from probkit.symbolic.lint.prose import (
    Paragraphs,
    all_set_to_zero,
    crosses_heading,
    is_case,
    is_evaluation_point,
    sentence_end,
    set_to_zero,
    set_up_after,
    solving_before,
    solving_between,
    taking_logs,
)
from probkit.symbolic.lint.reader import (
    PLUS_MINUS,
    PRIME_VARIABLE,
    Names,
    ParsedTerm,
    parameter_patterns,
    parse_term,
    read_term,
    symbol_name,
)
from probkit.symbolic.lint.reader import definition_target as defined_by
from probkit.symbolic.lint.render import render_findings
from probkit.symbolic.lint.report import (
    CheckReport,
    EqualityResult,
    Finding,
    format_counterexample,
)
from probkit.symbolic.lint.scope import Definition, KnownOnlyByValue, Scope
from probkit.symbolic.lint.solving import same_solutions
from probkit.symbolic.lint.statements import Segment, Statement, split_statements

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_BLOCKS = 2_000
"""Most maths blocks checked in one post."""

MAX_TERM_CHARS = 1_500
"""Longest term read; longer ones are reported as unparsed."""

MAX_EQUALITIES = 1_000
"""Most equalities checked in one post; the rest are reported undecided."""

MAX_CUE_CHARS = 160
"""Longest prose between two equations that can still say the second solves the first."""

_PUNCTUATION = " \t\r\n:：、，,$\\[]()"

IMPLICATIONS = frozenset({"->", "<->"})
r"""Relations between equations of a solving chain (``\Rightarrow``, ``\iff``, ``\therefore``)."""

_OR = re.compile(r"^[\s,，、]*(?:or|または|もしくは|あるいは|か)[\s,，、]*$", re.IGNORECASE)
"""The words joining alternatives: "$p = 3/4$ or $p = 1/4$", 「$p = 3/4$ または $p = 1/4$」."""

_RANGE = re.compile(r"^\s*[^=]+=\s*[^=,]+,(?:\s*[^=,]+,)*\s*\\[lcv]?dots(?![A-Za-z])")
r"""An index range, ``i = 1, \ldots, n``, ``k = 1, 2, \dots, K``: the values an index runs
over, neither a definition nor a claim."""

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


def _never_true(left: Any, right: Any) -> bool:
    """Is ``left = right`` false for every value (both sides differ by a nonzero constant)?

    Such an equality is not an equation to solve but a wrong claim (the difference of
    two squares written ``= 2`` where it is 4). Only a small difference is expanded.
    """
    if left is None or right is None:
        return False
    difference = left - right
    if sp.count_ops(difference) > 200:
        return False
    constant = sp.expand(difference)
    return not constant.free_symbols and constant.is_number and constant != 0


_PROBABILITY = re.compile(r"\\?(?:P|Pr)\(")
"""The name of a probability, ``P(A∩B)``: a quantity with a value, never a variable."""


def _at_unstated_values(left: Any, right: Any) -> Verdict | None:
    r"""``\frac{P(A \cap B)}{P(B)} = \frac{0.12}{0.40}`` with P(A∩B) given only in a table:
    one side a number, the other free in probabilities the post gives no value, their
    difference depending on them. The link is an evaluation at values the post does not state
    (a condition on them), undecided, never wrong. Sides differing by a nonzero constant
    are not this (they are wrong for every value)."""
    for number, other in ((left, right), (right, left)):
        if getattr(number, "free_symbols", None) or not getattr(other, "free_symbols", None):
            continue
        if other.has(sp.core.function.AppliedUndef, sp.Derivative, sp.Sum, sp.Product) or \
                not all(_PROBABILITY.match(str(s)) for s in other.free_symbols):
            return None  # a variable (x, p, n) left free: a claim for every value, checked
        try:
            depends = bool(sp.expand(other - number).free_symbols)
        except (ArithmeticError, TypeError, ValueError, NotImplementedError):
            return None
        if depends:
            names = ", ".join(sorted(display_name(str(s)) for s in other.free_symbols))
            return Verdict("undecided", None, f"holds only at values of {names} the post "
                           "does not state")
    return None


def _is_number(expr: Any) -> bool:
    r"""Is ``expr`` (as read, before the post's definitions) a number: ``\frac{32}{8}``,
    ``3.7 - 1.7^2``, ``\sigma(0)``?"""
    return expr is not None and not expr.free_symbols and not expr.has(
        sp.core.function.AppliedUndef, sp.Derivative, sp.Subs)


def _quantity_like(expr: Any) -> bool:
    r"""A name, a power of one, or a named quantity (``s^2``, ``\mathrm{Var}(X)``): what a
    value statement can give a value. A derivative (``f'(x)``) never is."""
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        expr = expr.base
    if isinstance(expr, sp.Symbol):
        return not expr.name.endswith("'")
    return isinstance(expr, sp.core.function.AppliedUndef) and \
        not type(expr).__name__.endswith("'")


def _names_in(node: Any) -> set[str]:
    """The names a parsed term holds (``p`` in ``1.25 p^2 - 0.75 p``)."""
    found = {str(node.value)} if node.kind == NAME else set()
    for child in node.args:
        found |= _names_in(child)
    return found


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


def _uses_defined(expr: Any, scope: Scope) -> str:
    """``" (it uses k, defined on line 7)"``: the definitions a term failed with, for messages."""
    names = sorted(s.name for s in expr.free_symbols
                   if isinstance(s, sp.Symbol) and s.name in scope.definitions)
    if not names:
        return ""
    shown = ", ".join(f"{display_name(n)} (line {scope.definitions[n].line})" for n in names[:3])
    return f"; it uses {shown}"


def _estimate(last: _Equation, values: list[Any]) -> tuple[Any, Any] | None:
    r"""``(λ̂, λ)`` when the last equation of a solving chain isolates ``\hat\lambda`` (or
    ``w^*``) and the equations before it are in λ (w), and never in λ̂ (w*): the hat (the
    star) names the solution for λ (w)."""
    raw = last.left.raw
    if not isinstance(raw, sp.Symbol) or any(v is None for v in values[:-1]) or \
            values[-1] is None:
        return None
    if raw.name.startswith(r"\hat{") and raw.name.endswith("}"):
        inner = raw.name[len(r"\hat{"):-1]
        base = sp.Symbol(inner[1:] if inner.startswith("\\") else inner)
    elif "^{*}" in raw.name:  # w^*, \theta^\star: the optimum, the solution for w
        base = sp.Symbol(raw.name.replace("^{*}", "", 1))
    else:
        return None
    earlier = set().union(*(v.free_symbols for v in values[:-1])) if values[:-1] else set()
    if base not in earlier or raw in earlier or base in values[-1].free_symbols:
        return None
    return raw, base


def _settled(verdict: Verdict | None) -> Verdict | None:
    """A claim that failed only for particular data (one side holds the data of a sum, the
    other none: ``E'(w) = 28w - 58``), once it is known not to be an equation: undecided."""
    if verdict is None or verdict.status != "wrong" or not verdict.particular_data:
        return verdict
    return Verdict("undecided", None, "one side depends on the data of the sums (x_i), the "
                   "other does not: a value for particular data, which the maths does not give")


def _is_name(text: str) -> bool:
    try:
        symbol_name(text)
    except Unreadable:
        return False
    return True


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


class _Checker:
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

    def evaluation_points(self, blocks: list[MathBlock]) -> dict[int, _Point]:
        r"""The inline ``name = value`` blocks that prose makes evaluation points, by index.

        A point holds for every block of its paragraph and, when no claim
        follows it there ("$x = 0$ のとき、" then a display), for the next display block.
        """
        paragraphs = Paragraphs(self.text)
        which = [paragraphs.index(b.start) for b in blocks]
        found: dict[int, _Point] = {}
        for k, block in enumerate(blocks):
            if block.display or not block.closed:
                continue
            try:
                statements = split_statements(block.text, block.start)
            except Unreadable:
                continue
            if len(statements) != 1 or statements[0].relations != ("=",):
                continue
            name, value = statements[0].terms
            if re.search(r"\\(?:pm|mp)(?![A-Za-z])", value.source or value.text):
                continue  # "at $x = 1 \pm \sqrt{2}$": the solutions of an equation, not a point
            target = _target(name.source or name.text, name.offset)
            if target is None or target[1] or not value.text:
                continue
            opening = 2 if self.text.startswith("\\(", block.start - 2) else 1
            before = self.text[max(0, block.start - opening - 60):block.start - opening]
            if not is_evaluation_point(before, self.text[block.end:block.end + 20]):
                continue
            same = [j for j in range(len(blocks)) if which[j] == which[k]]
            last = max(same)
            if not any(j > k and j not in found for j in same) and last + 1 < len(blocks) \
                    and blocks[last + 1].display:
                last += 1
            found[k] = _Point(target[0], value, min(same), last,
                              self.lines.line(value.offset))
        return found

    def alternatives(self, blocks: list[MathBlock]) -> dict[int, list[int]]:
        r"""Inline ``name = value`` blocks joined by "or" (「または」, 「もしくは」), by the
        index of the first: ``$p = \frac{3}{4}$ or $p = \frac{1}{4}$`` is one solution set,
        {3/4, 1/4}, never the first value alone."""
        def named(block: MathBlock) -> str | None:
            if block.display or not block.closed:
                return None
            try:
                statements = split_statements(block.text, block.start)
            except Unreadable:
                return None
            if len(statements) != 1 or statements[0].relations != ("=",):
                return None
            name, value = statements[0].terms
            target = _target(name.source or name.text, name.offset)
            return None if target is None or target[1] or not value.text else target[0]

        found: dict[int, list[int]] = {}
        k = 0
        while k < len(blocks):
            name = named(blocks[k])
            j = k
            while name is not None and j + 1 < len(blocks) and named(blocks[j + 1]) == name \
                    and _OR.match(self.text[blocks[j].end:blocks[j + 1].start].strip("$\\()")):
                j += 1
            if j > k:
                found[k] = list(range(k + 1, j + 1))
            k = j + 1
        return found

    def alternative_values(self, terms: list[_Term], linked: bool,
                           definition: tuple[str, tuple[str, ...]] | None) -> None:
        r"""``$p = a$ or $p = b$``: in a solving chain, the equation (p - a)(p - b) = 0 (each
        alternative a solution); elsewhere p stands for several values, and is not defined."""
        sides = [terms[1]]
        for block in self.alternates:
            (statement,) = split_statements(block.text, block.start)
            segment = statement.terms[1]
            self.placed(segment)
            sides.append(_Term(segment, self.lines.line(segment.offset)))
        names = self.names()
        for term in [terms[0], *sides]:
            if term.prepared is None and term.problem is None and term.raw is None:
                self.prepare(term)
            self.read(term, names)
            self.refuse_unread_names(term)
            self.evaluate(term, None)
        shown = " or ".join(f"{terms[0].segment.shown} = {side.segment.shown}"
                            for side in sides)
        if not (linked and self.solving is not None):
            if definition is not None:
                self.unread_names[definition[0]] = terms[0].line
                self.unread_reasons[definition[0]] = (
                    f"{display_name(definition[0])} stands for several values ({shown}, line "
                    f"{terms[0].line})")
            self.close_solving()
            return
        product: Any = None
        if terms[0].value is not None and all(side.value is not None for side in sides):
            product = sp.Mul(*[terms[0].value - side.value for side in sides])
        left = _Term(terms[0].segment, terms[0].line, raw=product, value=product,
                     problem=None if product is not None else "reported")
        zero = _Term(Segment("0", terms[0].segment.offset, "0"), terms[0].line,
                     raw=sp.Integer(0), value=sp.Integer(0))
        if product is None:
            self.report_unread([terms[0], *sides])
        self.solving.equations.append(_Equation(left, zero, None, shown))
        self.solving.end = self.block_end

    def point_definition(self, point: _Point) -> Definition | None:
        """The definition an evaluation point stands for while it holds (read once)."""
        if not point.read:
            point.read = True
            term = _Term(point.value, point.line)
            self.prepare(term)
            self.read(term, self.names())
            if term.raw is None:
                self.unparsed(term, term.problem or "unreadable")
            else:
                point.definition = Definition(point.name, (), term.raw, point.line)
        return point.definition

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

    def solving_block(self, statements: list[Statement]) -> bool:
        r"""Are the rows of this block the steps of solving an equation?

        ``(0.25 - p)^2 &= 0.25 p (1 - p) \\ p^2 - 0.5 p + 0.0625 &= 0.25 p - 0.25 p^2 \\
        1.25 p^2 - 0.75 p + 0.0625 &= 0``: each row one equation on a line of its own, none
        defining a name (but the last, which may isolate one: ``p = 0.1``), the last with a
        number on one side. Each row is then an equation with the solutions of the row
        before (a solving chain), not an identity.
        """
        rows = [st for st in statements if not st.condition and not (
            st.relations and set(st.relations) <= {"<", ">", "<=", ">="})]
        if len(rows) < 2 or any(st.relations != ("=",) or not all(t.text for t in st.terms)
                                for st in rows):
            return False
        lines = [self.lines.line(st.terms[0].offset) for st in rows]
        if len(set(lines)) != len(lines):
            return False
        if any(_target(st.terms[0].source or st.terms[0].text, st.terms[0].offset) is not None
               for st in rows[:-1]):
            return False
        numbers = [_number(t.text) is not None for t in rows[-1].terms]
        if numbers.count(True) != 1:
            return False
        shared = None  # the rows solve for one unknown: a name every row holds
        for row in rows:
            names: set[str] = set()
            for term in row.terms:
                try:
                    names |= _names_in(parse_term(term.source or term.text, term.offset).tree)
                except Unreadable:
                    continue
            shared = names if shared is None else shared & names
        return bool(shared)

    def system(self, statements: list[Statement]) -> bool:
        r"""A system of equations: rows ``a &= b``, one a line, none an identity.

        ``w\sum x_i + nb &= \sum y_i \\ w\sum x_i^2 + b\sum x_i &= \sum x_i y_i``: every
        row is an equation (none holds for all values), so the block states conditions,
        not identities; a row is never ``wrong`` for not being one. After words setting
        the results above to zero ("どちらも 0 とおくと", "Both vanish"), the system is
        those results set to zero: each row must have the solutions of one of them (the
        last as many results as there are rows), else it is the wrong row. True when the
        block was handled here.
        """
        rows = [st for st in statements if not st.condition]
        if len(rows) < 2 or len(rows) != len(statements) or any(
                st.relations != ("=",) or not all(t.text for t in st.terms) for st in rows):
            return False
        lines = [self.lines.line(st.terms[0].offset) for st in rows]
        if len(set(lines)) != len(lines) or any(
                _target(st.terms[0].source or st.terms[0].text, st.terms[0].offset) is not None
                for st in rows):
            return False
        equations = []
        names = self.names()
        for row in rows:
            left, right = (_Term(t, self.lines.line(t.offset)) for t in row.terms)
            for term in (left, right):
                self.prepare(term)
                self.read(term, names)
                self.refuse_unread_names(term)
                self.evaluate(term, self.scope.last_function_parameter)
                if term.value is None:
                    return False
            try:
                identity = self.compare(left.value, right.value, self.seed + len(self.results))
            except (ArithmeticError, RecursionError, TypeError, ValueError,
                    NotImplementedError, AttributeError):
                return False
            if identity.status != "wrong":
                return False  # a list of identities, each checked as one
            equations.append(_Equation(left, right, identity))
        for row in rows:
            for segment, after in zip(row.terms, [*row.terms[1:], None], strict=True):
                self.placed(segment)
                if after is not None:
                    self.placed(segment, f"{segment.shown} = {after.shown}")
        self.close_solving()
        prose = self.text[self.previous_end:self.block_start]
        results = [r for r in self.results_made[-len(rows):] if r.value is not None]
        if len(results) == len(rows) and all_set_to_zero(prose) and not crosses_heading(prose):
            for equation in equations:
                self.system_row(equation, results)
        else:
            for equation in equations:
                shown = equation.shown
                self.results.append(EqualityResult(equation.line, equation.left.segment.shown,
                                                   equation.right.segment.shown, "condition",
                                                   None, "an equation of a system"))
                self.findings.append(Finding(
                    equation.line, shown, "condition",
                    f"condition: {shown} is an equation of a system (true for some values "
                    "only), not an identity; it is not checked", None, None))
        self.previous, self.previous_first = None, None
        self.previous_end = self.block_end
        return True

    def system_row(self, equation: _Equation, results: list[_Term]) -> None:
        """One row of a system against the results set to zero: the solutions of one of them."""
        verdicts = []
        for result in results:
            variables = {v for d in (result.raw.atoms(sp.Derivative) if result.raw is not None
                                     else ()) for v, _ in d.variable_count}
            shared = set(equation.value.free_symbols) & set(result.value.free_symbols)
            unknown = variables.pop() if len(variables) == 1 else (
                sorted(shared, key=str)[0] if shared else None)
            if unknown is None or unknown not in equation.value.free_symbols:
                verdicts.append(Verdict("undecided", None, "no unknown in common"))
                continue
            verdict = same_solutions(equation.value, result.value, unknown, self.scope.domains,
                                     seed=self.seed + len(self.results))
            verdicts.append(verdict)
            if verdict.status == "verified":
                break
        shown = [f"{r.segment.shown} = 0" for r in results]
        last = verdicts[-1]
        status = "verified" if last.status == "verified" else (
            "wrong" if all(v.status == "wrong" for v in verdicts) else "undecided")
        self.results.append(EqualityResult(equation.line, " or ".join(shown), equation.shown,
                                           status, last.method if status == "verified" else None,
                                           last.detail))
        if status == "wrong":
            self.findings.append(Finding(
                equation.line, equation.shown, "wrong",
                f"wrong equation of the system: {equation.shown} has the solutions of none "
                f"of {', '.join(shown)} ({verdicts[0].detail})", None, None))
        elif status == "undecided":
            self.findings.append(Finding(
                equation.line, equation.shown, "undecided",
                f"undecided: {equation.shown} was not matched with any of {', '.join(shown)}",
                None, None))

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

    def statement(self, statement: Statement) -> None:
        relations = set(statement.relations)
        if relations and relations <= {"<", ">", "<=", ">="}:
            self.condition(statement)
            return
        run: list[Segment] = [statement.terms[0]]
        linked = False  # the run follows \Rightarrow, \iff, \therefore: a solving step
        for relation, term in zip(statement.relations, statement.terms[1:], strict=True):
            if relation == "=":
                run.append(term)
                continue
            if len(run) > 1:
                self.guarded_chain(run, linked)
            linked = relation in IMPLICATIONS
            run = [term]
        if len(run) > 1:
            self.guarded_chain(run, linked)
        equated = {k for k, relation in enumerate(statement.relations) if relation == "="}
        for k, relation in enumerate(statement.relations):
            if relation == "≈":
                alone = k not in equated and k - 1 not in equated  # in no chain of '='
                self.approximation(statement.terms[k], statement.terms[k + 1], alone=alone)

    def approximation(self, left: Segment, right: Segment, *, alone: bool = False) -> None:
        r"""``\sigma(2) \approx 0.881``: the value agrees with the decimal to the digits shown.

        Checked when the left side is a number once the definitions are
        substituted and the right side a decimal; rounded or cut off to the
        digits shown both agree. Anything else (``\sin x \approx x``) is not a
        claim about values, and is left alone.
        """
        digits = re.fullmatch(r"-?\d+(?:\.(\d+))?", _compact(right.text))
        if digits is None or not left.text:
            return
        term = _Term(left, self.lines.line(left.offset))
        self.prepare(term)
        self.read(term, self.names())
        self.refuse_unread_names(term)
        self.evaluate(term, self.scope.last_function_parameter)
        if term.value is None:
            if alone and term.problem is not None:  # in no chain: reported here, never silent
                self.unparsed(term, term.problem)
            return  # else reported by its chain
        try:
            value = complex(sp.N(term.value, 30))
        except (TypeError, ValueError):
            return
        if abs(value.imag) > 1e-20 or value != value:
            return
        places = len(digits.group(1) or "")
        shown = float(_compact(right.text))
        unit = 10.0 ** -places
        agrees = abs(value.real - shown) <= unit / 2 * (1 + 1e-9) or (
            abs(value.real) >= abs(shown) and abs(value.real - shown) < unit)  # cut off
        line = self.lines.line(right.offset)
        self.placed(right)
        self.results.append(EqualityResult(line, left.shown, right.shown,
                                           "verified" if agrees else "wrong",
                                           "numeric", "to the digits shown"))
        if not agrees:
            self.findings.append(Finding(
                line, right.shown, "wrong",
                f"wrong approximation: {left.shown} = {value.real:.{places + 3}g}…, not "
                f"≈ {right.shown} to the digits shown", None, None))

    def guarded_chain(self, segments: list[Segment], linked: bool = False) -> None:
        """:meth:`chain`, with a failure of SymPy (or of probkit) confined to this chain.

        Like a linter's "internal error" for one file: the rest of the post is
        still checked, and the chain is reported, never silently passed.
        """
        try:
            self.chain(segments, linked)
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
                if self.constrain(parsed, value, below):
                    continue
                if below:
                    self.scope.restrict(parsed, low=value)
                else:
                    self.scope.restrict(parsed, high=value)

    def constrain(self, name: str, bound: Any, below: bool) -> bool:
        """``z^{[1]} > 0`` with ``z^{[1]} = W^{[1]} x`` defined: the condition holds for the
        defined quantity's value, so the points sampled must satisfy ``W^{[1]} x > 0``. True
        when ``name`` is such a quantity (the constraint recorded)."""
        definition = self.scope.definitions.get(name)
        if definition is None or definition.params:
            return False
        try:
            value = self.scope.evaluate(sp.Symbol(name))
        except Exception:  # noqa: BLE001 - an unreadable definition constrains nothing
            return True
        if not getattr(value, "free_symbols", None):
            return True
        self.scope.constraints.append((value, bound, None) if below else (value, None, bound))
        return True

    # -- chains
    def chain(self, segments: list[Segment], linked: bool = False) -> None:
        terms = [_Term(s, self.lines.line(s.offset)) for s in segments]
        for segment, after in zip(segments, [*segments[1:], None], strict=True):
            self.placed(segment)
            if after is not None:  # an equation of a solving chain is shown "a = b"
                self.placed(segment, f"{segment.shown} = {after.shown}")
        # solving goes on after "とおくと", "setting … gives", or on the next row of its block
        linked = linked or self.prose_link or (
            self.solving is not None and self.solving.end == self.block_end)
        self.prose_link = False
        if linked and self.solving is not None and self.other_unknown(terms):
            linked = False  # "Solving … gives p = …, so $n = 16$": n = 16 solves nothing
        if not linked:
            self.close_solving()
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
        definition = self.definition_target(terms)
        if definition is None and not linked and len(terms) == 2 and \
                self.defines_a_power(terms[0], terms[1]):
            return
        if linked and (definition is None or not definition[1]):
            definition = None  # "⇒ w = 3" is solved for, not defined; "g(u) = …" still is
        checked = terms[1:] if definition is not None else terms
        for term in terms:
            if term.prepared is None and term.problem is None and term.raw is None:
                self.prepare(term)
        primed = frozenset(n for t in terms if t.prepared for n in t.prepared.primed)
        names = self.names(primed)
        for term in checked:
            self.read(term, names)
        self.unread_call(terms, definition)
        self.refuse_undefined_means(checked)
        if self.alternates and len(terms) == 2 and terms[0].segment.text:
            self.alternative_values(terms, linked, definition)
            return
        solved = linked and self.solving is not None and len(terms) == 2 and definition is None
        everywhere = len(checked) > 1 and all(  # 12 \pm \sqrt{64} = 12 \pm 8: each sign
            t.raw is not None and t.raw.has(PLUS_MINUS) for t in checked)
        if definition is not None and everywhere:  # p = \frac{12 \pm 8}{40}: two values
            self.unread_names[definition[0]] = terms[0].line
            self.unread_reasons[definition[0]] = (
                f"{display_name(definition[0])} stands for two values (\\pm, line "
                f"{terms[0].line}); write each")
            definition = None
        for k, term in enumerate(checked):
            if term.raw is not None and term.raw.has(PLUS_MINUS) and not (
                    solved and k == 1) and not everywhere:
                term.raw = None
                term.problem = ("\\pm stands for two values; it is read only as the solutions "
                                "of an equation being solved (… ⇒ x = 1 \\pm \\sqrt{2}); "
                                "elsewhere write each")
        if not linked and segments[0].text and self.is_number(terms[1]) and \
                not self.solving_cue():  # "Solving w^2 = 4": an equation, not a value
            definition, valued = self.value_statement(terms, definition)
            if valued:
                checked = terms[1:]
        if definition is not None:
            self.refuse_unread_names(terms[1])  # f(x) = g(x) with g unread: f is unread too
            self.define(definition, terms[0], terms[1])
            if len(terms) == 2:
                self.log_of_product(definition[0], terms[1])
        prime_variable = self.prime_variable(checked)
        free = definition is None and self.holds_for_any_value(checked, prime_variable)
        for term in checked:
            if not free:
                self.refuse_unread_names(term)
            self.evaluate(term, prime_variable)
        self.report_unread(checked)
        verdicts = self.verdicts(checked)
        if definition is None and self.equations(checked, verdicts, linked, prime_variable):
            return
        verdicts = [_settled(v) for v in verdicts]
        for left, right, verdict in zip(checked, checked[1:], verdicts, strict=False):
            self.record(left, right, verdict)
        self.blame(checked, verdicts, prime_variable)
        self.previous = checked[-1]
        self.previous_end = self.block_end
        self.previous_first = checked[0]
        self.results_made.append(checked[0])

    # -- equations: conditions and solving chains
    def equations(self, terms: list[_Term], verdicts: list[Verdict | None], linked: bool,
                  prime_variable: Any) -> bool:
        """Handle the chain if one of its links is an equation rather than an identity.

        An equation is an equality that is not an identity and is either a
        solving step (after an implication or a solving cue; any one link of
        the chain, as in ``⇒ w = \frac{7}{5} = 1.4``) or, unlinked, the last
        link of a chain with the form of an equation (a number on one side, a
        variable on the other: ``\frac{dE}{dw} = 0``, ``\frac{dE}{dw} = 2(w -
        3) = 0``) or set up by the words after it. The other links are checked
        as identities. True when the chain was handled here.
        """
        if linked and self.solving is not None and len(terms) == 2 and (
                verdicts[0] is None or terms[1].raw.has(PLUS_MINUS)):
            self.solving.equations.append(_Equation(terms[0], terms[1], None))  # unread
            self.solving.end = self.block_end
            return True
        wrong = [k for k, v in enumerate(verdicts) if v is not None and v.status == "wrong"]
        if len(wrong) != 1:
            return False
        k = wrong[0]
        left, right = terms[k], terms[k + 1]
        if not linked and (k != len(verdicts) - 1 or self.qualified or not (
                self.equation_form(left, right) or self.solving_cue() or self.solving_rows)):
            return False
        for a, b, verdict in zip(terms, terms[1:], verdicts, strict=False):
            if a is not left:
                self.record(a, b, verdict)
        for piece, pieces in ((terms[:k + 1], verdicts[:k]), (terms[k + 1:], verdicts[k + 1:])):
            if len(piece) > 1:  # the identities around the equation
                self.blame(piece, pieces, prime_variable)
        self.previous = terms[-1] if k < len(verdicts) - 1 else terms[-2]
        self.previous_end = self.block_end
        self.previous_first = terms[0]
        self.results_made.append(terms[0])
        equation = _Equation(left, right, verdicts[k])
        if linked and self.solving is not None:
            self.solving.equations.append(equation)
            self.solving.end = self.block_end
            return True
        variables = [v for t in terms if t.raw is not None for d in t.raw.atoms(sp.Derivative)
                     for v, _ in d.variable_count]
        self.close_solving()
        self.solving = _Solving([equation], dict(self.scope.domains), self.block_end,
                                linked or self.solving_cue() or self.solving_rows,
                                variables[0] if len(set(variables)) == 1 else None)
        return True

    def open_set_to_zero(self, result: _Term) -> None:
        """"これを 0 とおくと", "setting this to zero": the last result = 0 is being solved."""
        zero = _Term(Segment("0", result.segment.offset, "0"), result.line, raw=sp.Integer(0),
                     value=sp.Integer(0))
        variables = [v for d in (result.raw.atoms(sp.Derivative) if result.raw is not None
                                 else ()) for v, _ in d.variable_count]
        self.solving = _Solving([_Equation(result, zero, None)], dict(self.scope.domains),
                                self.previous_end, True,
                                variables[0] if len(set(variables)) == 1 else None)

    def equation_form(self, left: _Term, right: _Term) -> bool:
        """A number on one side and a variable on the other (``2z + 1 = 5``).

        A derivative equal to a number is an equation only when the number is 0
        (``\frac{dE}{dw} = 0``): ``\frac{d}{dx} x^2 = 2`` is a claim, and wrong.
        """
        for number, other in ((left, right), (right, left)):
            value = _number(number.segment.text)
            if value is None or other.value is None or not other.value.free_symbols:
                continue
            derivative = other.raw is not None and (other.raw.has(sp.Derivative) or any(
                type(f).__name__.endswith("'")
                for f in other.raw.atoms(sp.core.function.AppliedUndef)) or any(
                s.name.endswith("'") for s in other.raw.free_symbols))
            if value == 0 or not derivative:
                return True
        return False

    def solving_cue(self) -> bool:
        """Does the prose around the current block say its equation is being solved?"""
        before = self.text[max(0, self.block_start - 120):self.block_start].rstrip("$\\([")
        return solving_before(before) or set_up_after(self.text[self.block_end:])

    def close_solving(self) -> None:
        """Check the open solving chain (or report its lone equation as a condition)."""
        chain, self.solving = self.solving, None
        if chain is None:
            return
        first = chain.equations[0]
        if len(chain.equations) == 1:
            if (chain.cue or self.equation_form(first.left, first.right)) and not _never_true(
                    first.left.value, first.right.value):
                shown = f"{first.left.segment.shown} = {first.right.segment.shown}"
                self.results.append(EqualityResult(first.left.line, first.left.segment.shown,
                                                   first.right.segment.shown, "condition",
                                                   None, "an equation, not an identity"))
                self.findings.append(Finding(
                    first.left.line, shown, "condition",
                    f"condition: {shown} is an equation (true for some values only), not an "
                    "identity; nothing after it solves it, so it is not checked", None, None))
            else:
                identity = _settled(first.identity)
                self.record(first.left, first.right, identity)
                self.blame([first.left, first.right], [identity], None)
            return
        self.solving_chain(chain)

    def solving_chain(self, chain: _Solving) -> None:
        equations = chain.equations
        self.report_unread([t for e in equations for t in (e.left, e.right)])
        unknown = chain.variable if chain.variable is not None else self.unknown(equations)
        values = [e.value for e in equations]
        estimate = _estimate(equations[-1], values)
        if estimate is not None and (unknown is None or unknown == estimate[1]):
            hat, unknown = estimate  # ⇒ \hat\lambda = …: the solution for λ, written λ̂
            values[-1] = values[-1].xreplace({hat: unknown})
        verdicts: list[Verdict | None] = []
        for k, (before, after) in enumerate(zip(equations, equations[1:], strict=False)):
            if values[k] is None or values[k + 1] is None:
                verdict = None
            elif unknown is None:
                verdict = Verdict("undecided", None, "cannot tell which variable is solved for")
            else:
                verdict = same_solutions(values[k], values[k + 1], unknown, chain.domains,
                                         seed=self.seed + len(self.results))
            self.results.append(EqualityResult(
                after.line, before.shown, after.shown,
                "unparsed" if verdict is None else verdict.status,
                None if verdict is None else verdict.method,
                "" if verdict is None else verdict.detail))
            verdicts.append(verdict)
        i = 0
        while i < len(verdicts):
            verdict, before, after = verdicts[i], equations[i], equations[i + 1]
            if verdict is None and before.value is None and after.value is not None and \
                    after.line != before.line:
                self.findings.append(Finding(
                    after.line, after.shown, "undecided",
                    f"undecided (next to an unreadable line): {after.shown} was not checked "
                    f"against {before.shown} (line {before.line}), which could not be read",
                    None, None))
            if verdict is None or verdict.status == "verified":
                i += 1
                continue
            following = verdicts[i + 1] if i + 1 < len(verdicts) else None
            if verdict.status == "wrong" and following is not None and \
                    following.status == "wrong" and \
                    unknown is not None and values[i + 2] is not None and \
                    same_solutions(values[i], values[i + 2], unknown,
                                   chain.domains, seed=self.seed + 7919).status == "verified":
                self.findings.append(Finding(
                    after.line, after.shown, "wrong",
                    f"wrong step in solving: {after.shown} does not have the solutions of "
                    f"{before.shown} ({verdict.detail}), while the equations around it agree",
                    None, None))
                i += 2
                continue
            if verdict.status == "wrong" and i > 0 and verdicts[i - 1] is None:
                self.findings.append(Finding(
                    before.line, before.shown, "undecided",
                    f"undecided (next to an unreadable line): {before.shown} and {after.shown} "
                    f"have different solutions ({verdict.detail}); the equation before them "
                    "could not be read, so either may hold the slip", None, None))
            elif verdict.status == "wrong":
                self.findings.append(Finding(
                    after.line, after.shown, "wrong",
                    f"wrong step in solving: {after.shown} does not have the solutions of "
                    f"{before.shown} ({verdict.detail})", None, None))
            else:
                self.findings.append(Finding(
                    after.line, after.shown, "undecided",
                    f"undecided: {before.shown} ⇒ {after.shown}: {verdict.detail}", None, None))
            i += 1

    def unknown(self, equations: list[_Equation]) -> Any:
        """The variable a solving chain solves for.

        The variable of the derivative set to zero (``\frac{dE}{dw} = 0``: w;
        found when the chain opens); else the name the last equation isolates
        (``w = …``); else the one variable all the equations share.
        """
        values = [e.value for e in equations if e.value is not None]
        last = equations[-1]
        if last.left.raw is not None and isinstance(last.left.raw, sp.Symbol) and values and \
                last.left.raw in values[0].free_symbols:
            return last.left.raw
        if isinstance(last.left.raw, sp.Pow) and isinstance(last.left.raw.base, sp.Symbol) and \
                last.left.raw.exp.is_Integer and values and \
                last.left.raw.base in values[0].free_symbols:
            return last.left.raw.base  # ⇒ \sigma^2 = …: solved for σ (σ² isolated)
        if not values:
            return None
        shared = set.intersection(*(set(v.free_symbols) for v in values))
        return shared.pop() if len(shared) == 1 else None

    def is_number(self, term: _Term) -> bool:
        r"""Is ``term`` a number once the post's definitions are substituted (``\sigma(0)``)?"""
        if not _is_number(term.raw):
            try:
                value = self.scope.evaluate(term.raw) if term.raw is not None else None
            except (Unreadable, ArithmeticError, RecursionError, TypeError, ValueError,
                    NotImplementedError, AttributeError):
                return False
            return _is_number(value)
        return True

    def value_statement(
        self, terms: list[_Term], definition: tuple[str, tuple[str, ...]] | None
    ) -> tuple[tuple[str, tuple[str, ...]] | None, bool]:
        r"""A quantity stated to have a value here (``\hat\sigma^2 = \frac{32}{8} = 4``,
        ``\mathrm{Var}(X) = 3.7 - 1.7^2``, ``p_i = \sigma(0) = 0.5``): an assignment in the
        text's context, not an identity over the quantity's free symbols.

        The chain's second term is a number. Returns the definition to make (or None) and
        whether the first link is such an assignment (so only the numbers after it are
        checked):

        * ``f(X) = <number>`` (a name applied to variables): the value of f at this X
          here, not a definition of the function f (which would make f constant);
        * a name already given a number, restated with a number (``p = 20/40 = 0.5``, later
          ``p = 4/40 = 0.1``): given the new value (the old one is not a check on it);
        * a name or a power of one (``\hat\sigma^2``), or a named quantity
          (``\mathrm{Var}(X)``, ``P(A)``) whose value here still has free symbols: not
          checked. Once every symbol in it is bound (``\hat\sigma = 2`` given), its value
          is a number, and the link is an ordinary claim, checked.
        """
        if definition is not None:
            if definition[1]:
                return None, True
            return definition, False
        target = _named(terms[0].prepared)
        old = None if target is None or target[1] else self.scope.definitions.get(target[0])
        if target is not None and old is not None and not old.params and _is_number(old.body):
            return target, True  # a value given again: the new one holds from here
        if target is not None and target[0] in self.unread_names and not target[1]:
            return None, True  # its definition could not be read: nothing to check it with
        if len(terms) == 2 and _number(terms[1].segment.text) is not None:
            return None, False  # "w^2 = 4" alone: an equation (a condition, or solved after)
        self.read(terms[0], self.names())
        raw = terms[0].raw
        if raw is None or not _quantity_like(raw):
            return None, False
        try:
            value = self.scope.evaluate(raw)
        except (Unreadable, ArithmeticError, RecursionError, TypeError, ValueError,
                NotImplementedError, AttributeError):
            return None, True
        return None, bool(getattr(value, "free_symbols", None))

    def definition_target(self, terms: list[_Term]) -> tuple[str, tuple[str, ...]] | None:
        """``(name, params)`` when the chain defines its first term, else None."""
        if terms[0].raw is not None:  # the carried-over term of an earlier chain
            return None
        if terms[0].prepared is None and terms[0].problem is None:
            self.prepare(terms[0])
        target = _named(terms[0].prepared)
        if target is None:
            return None
        name, params = target
        parsed = name
        if len(terms) > 2 and parsed in self.scope.definitions:
            return None  # f(x) = … = …, f known: a claim about f, checked
        if self.qualified and parsed in self.scope.definitions:
            return None  # "f(x) = \alpha x \quad (x < 0)", f known: a claim on that domain
        if self.points_active and parsed in self.scope.definitions:
            return None  # "at $x = 0$, $f(x) = \frac{1}{2}$": a claim at the point
        if params and self.restates(parsed, params):
            return None  # ℓ(p) = … right after ℓ(p) = …: the same function, restated
        known = self.scope.definitions.get(parsed)
        if known is not None and known.params and params and \
                tuple(str(p) for p in known.params) != tuple(params):
            return None  # σ(z) defined, then "$\sigma(z_i) = 0.5$": a claim at z_i
        return name, params

    def restates(self, name: str, params: tuple[str, ...]) -> bool:
        r"""Is ``name(params) = …`` the function defined just before, written again?

        ``\ell(p) = \sum_i (…)`` then, after a few words ("Pulling the constants out"),
        ``\ell(p) = \log p \sum_i x_i + …``: the same ℓ rewritten, a claim checked against
        the first (or refused with it when the first could not be read), never a silent
        new definition that would hide a slip. A heading, or more than a sentence between
        them, or other maths, starts something new.
        """
        last = self.last_definition
        if last is None or last[0] != name or last[1] != tuple(params) or \
                last[3] != self.blocks_read - 1:  # other maths between: not "right after"
            return False
        between = self.text[last[2]:self.block_start]
        return not crosses_heading(between) and len(between.strip(_PUNCTUATION)) <= MAX_CUE_CHARS

    def define(self, target: tuple[str, tuple[str, ...]], lhs: _Term, rhs: _Term) -> None:
        parsed, params = target  # names as the reader spells them (w_{1}, \hat{y}, sigma)
        self.last_definition = (parsed, tuple(params), self.block_end, self.blocks_read)
        if rhs.raw is None and not params and \
                re.search(r"\\(?:pm|mp)(?![A-Za-z])", rhs.segment.source or rhs.segment.text):
            return  # "$x = \frac{5 \pm 1}{2}$": the solutions of an equation (refused where it
            # stands), no value of x; x stays a variable for the identities after it
        if rhs.raw is None:  # later uses of the name are refused, never read as a variable
            self.unread_names[parsed] = lhs.line
            if params:  # f(0) stays a call of f (refused), never the product f·0
                self.unread_functions.add(parsed)
            return
        self.unread_names.pop(parsed, None)
        self.unread_reasons.pop(parsed, None)
        self.unread_functions.discard(parsed)
        symbols = tuple(sp.Symbol(p) for p in params)
        if sp.Symbol(parsed) in rhs.raw.free_symbols and not params:
            self.unparsed(rhs, f"defines {lhs.segment.shown} in terms of itself")
            return
        powers = tuple(k for _, k in parameter_patterns(lhs.prepared)) \
            if params and lhs.prepared is not None else ()
        self.scope.define(Definition(parsed, symbols, rhs.raw, lhs.line,
                                     powers if any(k != 1 for k in powers) else ()))
        self.defined = True

    def log_of_product(self, name: str, rhs: _Term) -> None:
        r""""Taking logs," then ``\ell(\lambda) = …`` after ``L(\lambda) = \prod_i …``: the prose
        says ℓ is log L, so the new definition is checked against the log of the product."""
        before = self.text[max(0, self.block_start - 160):self.block_start]
        new = self.scope.definitions.get(name)
        if new is None or not new.params or not taking_logs(before):
            return
        likelihood = next((d for d in reversed(list(self.scope.definitions.values()))
                           if d is not new and d.params == new.params and d.body.has(sp.Product)),
                          None)
        if likelihood is None:
            return

        def call(definition: Definition) -> Any:
            powers = definition.powers or (1,) * len(definition.params)
            return sp.Function(definition.name)(*(p ** k for p, k in zip(
                definition.params, powers, strict=True)))

        try:
            left = self.scope.evaluate(sp.log(call(likelihood)))
            right = self.scope.evaluate(call(new))
            verdict = _settled(self.compare(left, right, self.seed + len(self.results)))
        except (Unreadable, ArithmeticError, RecursionError, TypeError, ValueError,
                NotImplementedError, AttributeError):
            return
        assert verdict is not None
        shown = f"log {display_name(likelihood.name)} = {rhs.segment.shown}"
        if verdict.status == "verified":
            self.results.append(EqualityResult(rhs.line, f"log {likelihood.name}",
                                               rhs.segment.shown, "verified", verdict.method,
                                               verdict.detail))
        elif verdict.status == "wrong":
            self.results.append(EqualityResult(rhs.line, f"log {likelihood.name}",
                                               rhs.segment.shown, "wrong", verdict.method,
                                               verdict.detail))
            counter = verdict.counterexample
            where = f" ({format_counterexample(counter)})" if counter else ""
            self.findings.append(Finding(
                rhs.line, rhs.segment.shown, "wrong",
                f"wrong step: {shown} fails: {rhs.segment.shown} is not the log of "
                f"{display_name(likelihood.name)} (line {likelihood.line}), which the words "
                f"before it take{where}", counter, None))

    def refuse_undefined_means(self, terms: list[_Term]) -> None:
        r"""``\bar x`` never defined, next to the data ``x_i`` of a sum: the mean of the x_i
        by convention, but over which terms? Refused by name, never read as a free variable."""
        heads = {re.split(r"_\{|\^\{\(", str(base.label))[0]
                 for t in terms if t.raw is not None for base in t.raw.atoms(sp.IndexedBase)}
        if not heads:
            return
        for term in terms:
            if term.raw is None:
                continue
            for symbol in term.raw.free_symbols:
                name = getattr(symbol, "name", "")
                if name.startswith("\\bar{") and name[len("\\bar{"):-1] in heads and \
                        name not in self.scope.definitions:
                    term.raw = None
                    term.problem = (f"{display_name(name)} is not defined (the mean of the "
                                    f"{name[len(chr(92) + 'bar{'):-1]}_i? Define it: "
                                    f"{name} = \\frac{{1}}{{n}}\\sum_{{i=1}}^{{n}} …)")
                    break

    def other_unknown(self, terms: list[_Term]) -> bool:
        """Does ``terms`` (``n = 16``) give a value to another name than the unknown of the
        open solving chain (p), without the unknown? Then it is no step of that solving."""
        assert self.solving is not None
        if len(terms) != 2 or not terms[0].segment.text:
            return False
        unknown = self.solving.variable if self.solving.variable is not None else \
            self.unknown(self.solving.equations)
        if unknown is None:
            return False
        target = _target(terms[0].segment.source or terms[0].segment.text,
                         terms[0].segment.offset)
        if target is None or target[1] or target[0] == unknown.name:
            return False
        text = " ".join(t.segment.source or t.segment.text for t in terms)  # "n" "p": not "np"
        try:
            names = {symbol_name(n) for n in re.findall(r"\\?[A-Za-z]+(?:_\{?\w+\}?)?", text)
                     if _is_name(n)}
            for term in terms:  # "pS" is p times S: the names as the parser reads them
                names |= _names_in(parse_term(term.segment.source or term.segment.text,
                                              term.segment.offset).tree)
        except Unreadable:
            return False
        return unknown.name not in names

    def unread_call(self, terms: list[_Term], definition: Any) -> None:
        r"""``\ell(\mu, \sigma^2) = …`` that could not be read as a definition: ℓ is a
        function whose definition is unread, so ``\frac{\partial \ell}{\partial \mu}`` is
        refused, never read as the derivative of a plain symbol."""
        first = terms[0]
        if definition is not None or first.raw is not None or first.prepared is None or \
                first.prepared.tree.kind != "apply" or len(terms) != 2:
            return
        name = str(first.prepared.tree.value)
        if name not in self.scope.definitions:
            self.unread_names.setdefault(name, first.line)
            self.unread_functions.add(name)

    def defines_a_power(self, lhs: _Term, rhs: _Term) -> bool:
        r"""``\hat\sigma^2 = \frac{1}{n}\sum_i (x_i - \bar x)^2``: a new estimate (a name with
        a hat or a tilde) defined through its power. Nothing is claimed; later uses of the
        name are refused (σ̂ is one of the roots of its power, and which one is not said)."""
        if lhs.prepared is None and lhs.problem is None:
            self.prepare(lhs)
        tree = lhs.prepared.tree if lhs.prepared is not None else None
        if tree is None or tree.kind != "pow" or tree.args[0].kind != "name" or \
                tree.args[1].kind != "num" or tree.args[1].value.denominator != 1 or \
                not 2 <= tree.args[1].value <= 12:
            return False
        name = str(tree.args[0].value)
        if not name.startswith(("\\hat{", "\\tilde{")) or name in self.scope.definitions or \
                name in self.unread_names or name in self.used_names:
            return False  # only an estimate (σ̂², σ̃²): x^2 = 4 is an equation to solve
        if rhs.prepared is None and rhs.problem is None:
            self.prepare(rhs)
        self.read(rhs, self.names())
        if rhs.raw is None:
            self.report_unread([rhs])
        elif sp.Symbol(name) in rhs.raw.free_symbols:
            return False
        self.unread_names[name] = lhs.line
        self.unread_reasons[name] = (f"{display_name(name)} is defined only through its power "
                                     f"(line {lhs.line}), not as a value")
        return True

    def names(self, primed: frozenset[str] = frozenset()) -> Names:
        """The names in force: the scope's, with the functions whose definition was unread."""
        names = self.scope.names(primed | frozenset(self.unread_functions))
        return dataclasses.replace(names, unread=frozenset(self.unread_functions))

    def holds_for_any_value(self, terms: list[_Term], prime_variable: Any) -> bool:
        r"""Does every link of the chain hold with each unread quantity as any value?

        ``m = \max_j z_j`` is not read, but ``\log \sum_j e^{z_j} = m + \log \sum_j
        e^{z_j - m}`` holds for every m, so for that one too: the chain is checked with m
        free. When a link fails with m free, m's own value might still make it hold: the
        chain is refused as before (never called wrong).
        """
        unread = {name for name in self.unread_names if name not in self.unread_functions
                  and name not in self.unread_reasons and name not in self.scope.definitions}
        used = {s.name for t in terms if t.raw is not None for s in t.raw.free_symbols}
        if not unread & used or any(t.raw is None for t in terms) or len(terms) < 2:
            return False
        trial = [_Term(t.segment, t.line, t.prepared, t.raw) for t in terms]
        for term in trial:
            self.evaluate(term, prime_variable)
        return all(v is not None and v.status == "verified" for v in self.verdicts(trial))

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

    def verdicts(self, terms: list[_Term]) -> list[Verdict | None]:
        """Each equality between neighbours as an identity (None: a side was not read)."""
        verdicts: list[Verdict | None] = []
        base = len(self.results)
        for k, (left, right) in enumerate(zip(terms, terms[1:], strict=False)):
            if left.value is None or right.value is None:
                verdicts.append(None)
                continue
            if base + k >= MAX_EQUALITIES:
                verdict = Verdict("undecided", None, f"more than {MAX_EQUALITIES} equalities")
            else:
                try:
                    verdict = self.compare(left.value, right.value, self.seed + base + k)
                    if verdict.status == "wrong":
                        verdict = _at_unstated_values(left.value, right.value) or verdict
                except (ArithmeticError, RecursionError, TypeError, ValueError,
                        NotImplementedError, AttributeError):  # SymPy's own failures
                    verdict = Verdict("undecided", None,
                                      "SymPy could not compare the sides")
            verdicts.append(verdict)
        return verdicts

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

    def blame(self, terms: list[_Term], verdicts: list[Verdict | None],
              prime_variable: Any) -> None:
        wrong = [v is not None and v.status == "wrong" for v in verdicts]
        first_finding = len(self.findings)
        unvouched = [(terms[i], terms[i + 1]) for i, v in enumerate(verdicts) if v is None and
                     terms[i].value is None and terms[i + 1].value is not None and
                     terms[i + 1].line != terms[i].line]
        i = 0
        while i < len(verdicts):
            verdict = verdicts[i]
            if verdict is None:
                i += 1
                continue
            if wrong[i] and i + 1 < len(verdicts) and wrong[i + 1]:
                before, middle, after = terms[i], terms[i + 1], terms[i + 2]
                if numerically_equal(before.value, after.value, self.scope.domains,
                                     seed=self.seed + 7919 + i,
                                     constraints=self.scope.constraints):
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
            before_step = verdicts[i - 1] if i > 0 else None
            if wrong[i] and i > 0 and (before_step is None or before_step.status == "undecided"):
                # the step before was not read (or not decided): judge left by the nearest
                # readable term before it (the chain claims they are equal too); else blame
                # no one
                earlier = next((t for t in reversed(terms[:i]) if t.value is not None and not
                                t.value.has(sp.core.function.AppliedUndef, sp.Derivative,
                                            sp.Subs)), None)
                seed = self.seed + 7919 + i
                if earlier is not None and numerically_equal(
                        earlier.value, right.value, self.scope.domains, seed=seed,
                        constraints=self.scope.constraints):
                    counter = verdict.counterexample
                    where = f" ({format_counterexample(counter)})" if counter else ""
                    self.findings.append(Finding(
                        left.line, left.segment.shown, "wrong",
                        f"wrong expression: {left.segment.shown} (the readable terms around "
                        f"it, {earlier.segment.shown} and {right.segment.shown}, are equal)"
                        f"{where}", counter, self.suggest(right, left, prime_variable)))
                    i += 1
                    continue
                if earlier is None or not numerically_equal(
                        earlier.value, left.value, self.scope.domains, seed=seed,
                        constraints=self.scope.constraints):
                    self.next_to_unreadable(terms[i - 1], left, right, verdict,
                                            read=before_step is not None)
                    i += 1
                    continue
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
        reported = {f.source_line for f in self.findings[first_finding:]}
        for unread, term in unvouched:  # a readable line after an unreadable one: never silent
            if term.line not in reported and not self.vouched(terms, unread, term):
                self.findings.append(Finding(
                    term.line, term.segment.shown, "undecided",
                    f"undecided (next to an unreadable line): {term.segment.shown} was not "
                    f"checked, as the term before it (line {unread.line}) could not be read",
                    None, None))

    def vouched(self, terms: list[_Term], unread: _Term, term: _Term) -> bool:
        """Is ``term``, just after the unreadable ``unread``, equal to the nearest readable term
        before ``unread`` (which the chain also claims it equals)?"""
        at = next(k for k, t in enumerate(terms) if t is unread)
        earlier = next((t for t in reversed(terms[:at]) if t.value is not None
                        and not t.value.has(sp.core.function.AppliedUndef, sp.Derivative,
                                            sp.Subs)), None)
        return earlier is not None and numerically_equal(
            earlier.value, term.value, self.scope.domains, seed=self.seed + 7919,
            constraints=self.scope.constraints)

    def next_to_unreadable(self, unread: _Term, left: _Term, right: _Term,
                           verdict: Verdict, *, read: bool = False) -> None:
        """``left`` ≠ ``right``, and ``left``'s other neighbour could not be read.

        (``read``: it was read, but the step between it and ``left`` could not
        be decided.)

        The step that would have said whether ``left`` is right is missing, so
        either line may hold the slip: neither is blamed, nothing is suggested.
        """
        counter = verdict.counterexample
        where = f" ({format_counterexample(counter)})" if counter else ""
        lines = (f"line {left.line}" if left.line == right.line
                 else f"lines {left.line} and {right.line}")
        why = (f"the step from {unread.segment.shown} (line {unread.line}) could not be decided"
               if read else f"{unread.segment.shown} (line {unread.line}) could not be read")
        kind = "an undecided step" if read else "an unreadable line"
        self.findings.append(Finding(
            left.line, left.segment.shown, "undecided",
            f"undecided (next to {kind}): {left.segment.shown} ≠ {right.segment.shown}{where}; "
            f"which side is wrong cannot be told because {why}, so {lines} may hold the slip",
            counter, None))

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

    def placed(self, segment: Segment, shown: str | None = None) -> None:
        """Remember the column of ``segment`` (or of the equation ``shown`` it starts), for the
        findings that blame it on its line."""
        self.columns.setdefault((self.lines.line(segment.offset), shown or segment.shown),
                                self.lines.column(segment.offset))

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
