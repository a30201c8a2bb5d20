r"""Split the body of a maths block into statements: terms joined by relations.

A statement is ``terms[0] relations[0] terms[1] …``; each term keeps the
offset of its first character (for line numbers) and its source text (for
messages). Side conditions in parentheses, ``(a > 0)``, become statements of
their own. Only the standard library is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from probkit.symbolic.lint.latex import (
    ALIGNMENTS,
    BREAKS,
    CLOSE,
    CONTINUATIONS,
    DROP_WITH_ARGUMENT,
    OPEN,
    RELATIONS,
    Token,
    Unreadable,
    argument,
    group_end,
    join,
    tokenize,
)


@dataclass(frozen=True)
class Segment:
    """A term between relation symbols, with the offset of its first character."""

    text: str
    offset: int
    source: str = ""

    @property
    def shown(self) -> str:
        """The term as the post writes it (whitespace collapsed), for messages."""
        return " ".join(self.source.split()) if self.source else self.text


@dataclass(frozen=True)
class Statement:
    """Terms joined by relations: ``terms[i] relations[i] terms[i + 1]``."""

    terms: tuple[Segment, ...]
    relations: tuple[str, ...]
    condition: bool = False  # found inside parentheses as a side condition: (a > 0)


def _clean_block(tokens: list[Token]) -> list[Token]:
    """Drop alignment, row breaks, labels and environment markers of a maths block."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i].text
        if t in (r"\begin", r"\end"):
            name, end = argument(tokens, i + 1)
            environment = join(name)
            if t == r"\begin" and (environment in PIECEWISE or environment in MATRICES):
                # part of a term, kept whole (a matrix is refused where it stands, on its own
                # line, and the arithmetic after it, "\det(…) = 2 \cdot (-1) - 1 = -3", checked)
                close = _environment_end(tokens, i, environment)
                out.extend(tokens[i:close])
                i = close
                continue
            if environment not in ALIGNMENTS:  # matrices, arrays: not a chain
                raise Unreadable(f"the {environment} environment is not checked")
            i = end
            continue
        if t in DROP_WITH_ARGUMENT:
            _, i = argument(tokens, i + 1)
            continue
        if t in (r"\\", r"\newline"):
            out.append(Token(r"\\", tokens[i].offset))
        elif t in ("\\ ", "&", r"\nonumber", r"\notag"):
            out.append(Token(" ", tokens[i].offset))
        elif t in (r"\stackrel", r"\overset"):  # \stackrel{def}{=}: the relation below
            _, j = argument(tokens, i + 1)
            below, i = argument(tokens, j)
            out.extend(below)
            continue
        else:
            out.append(tokens[i])
        i += 1
    return out


PIECEWISE = frozenset(["cases", "dcases", "rcases", "cases*"])
"""Environments that are one term (a piecewise function), not a chain."""

MATRICES = frozenset(["pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "matrix",
                      "smallmatrix"])
"""Matrix environments: one term of a chain (refused by the reader), not the whole block."""


def _environment_end(tokens: Sequence[Token], start: int, environment: str) -> int:
    """Index just past the ``\\end{environment}`` matching the ``\\begin`` at ``start``."""
    depth = 0
    i = start
    while i < len(tokens):
        if tokens[i].text in (r"\begin", r"\end"):
            name, end = argument(tokens, i + 1)
            if join(name) == environment:
                depth += 1 if tokens[i].text == r"\begin" else -1
                if depth == 0:
                    return end
            i = end
            continue
        i += 1
    raise Unreadable(f"an unclosed {environment} environment")


def _thousands(tokens: Sequence[Token], i: int) -> bool:
    """The comma at ``i`` separates thousands: ``1,000`` (a digit, then three and no fourth)."""
    if i == 0 or not tokens[i - 1].text.isdigit():
        return False
    digits = tokens[i + 1:i + 4]
    if len(digits) < 3 or not all(t.text.isdigit() for t in digits):
        return False
    return i + 4 >= len(tokens) or not tokens[i + 4].text.isdigit()


def _relation_at(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    """The relation starting at token ``i`` and the index after it, if there is one."""
    t = tokens[i].text
    if t == ":" and i + 1 < len(tokens) and tokens[i + 1].text == "=":
        return "=", i + 2
    if t in RELATIONS:
        return RELATIONS[t], i + 1
    return None


def _contains_relation(tokens: Sequence[Token]) -> bool:
    depth = 0
    for i, token in enumerate(tokens):
        if token.text in OPEN:
            depth += 1
        elif token.text in CLOSE:
            depth -= 1
        elif depth == 0 and _relation_at(tokens, i) is not None:
            return True
    return False


def _row_goes_on(tokens: Sequence[Token], i: int, current: Sequence[Token],
                 terms: Sequence[Segment], relations: Sequence[str]) -> bool:
    r"""Does the chain go on across the row break at token ``i``?

    It does when the row before ends with a relation (``A = \\ B``: the
    line-continued chain) or with ``+``/``-``/``\cdot``, or when the next row
    starts with a relation (``\\ &= B``), such an operator, or ``\quad``.
    Otherwise the break ends the statement: the next row is a new equation.
    """
    before = next((x for x in reversed(current) if not x.is_space), None)
    if before is None and relations and len(relations) == len(terms):
        return True  # a dangling relation: "A = \\" continues on the next row
    if before is not None and before.text in CONTINUATIONS:
        return True
    after = next((k for k in range(i + 1, len(tokens)) if not tokens[k].is_space), None)
    if after is None:
        return False
    return (tokens[after].text in CONTINUATIONS or tokens[after].text in (r"\quad", r"\qquad")
            or _relation_at(tokens, after) is not None)


def split_statements(text: str, offset: int = 0) -> list[Statement]:
    r"""Split the body of a maths block into statements of terms and relations.

    A row break (``\\``, ``\newline``, a stray ``\ `` ending the line) ends
    the statement unless the chain goes on across it (:func:`_row_goes_on`:
    ``A = \\ B``, ``A \\ &= B``); ``&`` is a space; a relation outside
    brackets ends a term; ``\quad``, ``\text``, ``,`` and
    ``;`` outside brackets end a statement; a parenthesised group holding a
    relation, such as ``(a > 0)``, is a separate side-condition statement.

    >>> [[s.text for s in st.terms] for st in split_statements(r"f(x) &= x \\ &= y \quad (a>0)")]
    [['f(x)', 'x', 'y'], ['a', '0']]
    """
    tokens = _clean_block(tokenize(text, offset))
    statements: list[Statement] = []
    terms: list[Segment] = []
    relations: list[str] = []
    current: list[Token] = []

    def end_term() -> None:
        body = [t for t in current if not t.is_space]
        start = body[0].offset if body else (current[0].offset if current else offset)
        source = ""
        if body:
            last = body[-1]
            at = last.offset - offset
            width = len(last.text) if text[at:at + len(last.text)] == last.text else 1
            source = text[start - offset:at + width]
        terms.append(Segment(join(current), start, source))
        current.clear()

    def end_statement() -> None:
        end_term()
        kept = [s for s in terms if s.text]
        if len(kept) == len(terms) and relations:
            statements.append(Statement(tuple(terms), tuple(relations)))
        elif len(kept) == 1 and not relations:
            statements.append(Statement((kept[0],), ()))
        elif relations:  # a dangling relation: "= x" with nothing before it, or "x ="
            statements.append(Statement(tuple(terms), tuple(relations)))
        terms.clear()
        relations.clear()

    i, depth = 0, 0
    while i < len(tokens):
        t = tokens[i].text
        if t == r"\begin":  # a cases environment (_clean_block kept only those): one piece
            close = _environment_end(tokens, i, join(argument(tokens, i + 1)[0]))
            current.extend(tokens[i:close])
            i = close
            continue
        if t == "(" and depth == 0:
            end = group_end(tokens, i)
            inside = tokens[i + 1:end - 1]
            probability = i > 0 and tokens[i - 1].text in ("P", r"\Pr", "}")  # P(X = 1)
            if _contains_relation(inside) and not probability:
                for nested in _statements_in_group(inside):
                    statements.append(Statement(nested.terms, nested.relations, condition=True))
                i = end
                continue
        if t in OPEN:
            depth += 1
        elif t in CLOSE:
            depth -= 1
            if depth < 0:
                raise Unreadable(f"unbalanced {t!r}")
        if depth == 0:
            relation = _relation_at(tokens, i)
            if relation is not None:
                end_term()
                relations.append(relation[0])
                i = relation[1]
                continue
            if t == r"\\":  # a new row: a new statement unless the chain goes on
                if _row_goes_on(tokens, i, current, terms, relations):
                    i += 1
                    continue
                if current or terms:
                    end_statement()
                i += 1
                continue
            if t in (r"\quad", r"\qquad"):  # spacing before "+ c" or "= d"; else a side note
                after = next((k for k in range(i + 1, len(tokens)) if not tokens[k].is_space),
                             None)
                if after is not None and (tokens[after].text in CONTINUATIONS or
                                          _relation_at(tokens, after) is not None):
                    i += 1
                    continue
            if t in _TEXT and _names_a_term(tokens, i, current):  # \text{posterior odds} = …
                end = argument(tokens, i + 1)[1]
                current.extend(tokens[i:end])
                i = end
                continue
            if t in BREAKS and not (t == "," and _thousands(tokens, i)):
                end_statement()
                if t in (r"\text", r"\textrm", r"\mbox", r"\textnormal"):
                    _, i = argument(tokens, i + 1)
                    continue
                i += 1
                continue
        current.append(tokens[i])
        i += 1
    end_statement()
    return statements


_TEXT = frozenset([r"\text", r"\textrm", r"\mbox", r"\textnormal"])
"""Text commands: a note after the maths (a break), or the name of a quantity."""

_OPERATORS = frozenset(["+", "-", "/", r"\cdot", r"\times", "^", "_"])


def _names_a_term(tokens: Sequence[Token], i: int, current: Sequence[Token]) -> bool:
    r"""Is the ``\text{…}`` at ``i`` the name a term starts with (``\text{posterior odds} =
    …``), rather than a note after the maths (``= 0 \text{ for all } x``)?

    It is when an operator comes just before it (``a + \text{odds}``), or nothing of the term
    comes before it and a relation or an operator follows it.
    """
    before = next((t for t in reversed(current) if not t.is_space), None)
    if before is not None:
        return before.text in _OPERATORS or before.text in OPEN
    end = argument(tokens, i + 1)[1]
    after = next((k for k in range(end, len(tokens)) if not tokens[k].is_space), None)
    return after is not None and (tokens[after].text in _OPERATORS or
                                  _relation_at(tokens, after) is not None)


def _statements_in_group(tokens: Sequence[Token]) -> list[Statement]:
    """The statements inside a parenthesised side condition such as ``(a > 0)``."""
    if not tokens:
        return []
    first = tokens[0].offset
    text = ""
    for token in tokens:  # the text again, padded so that offsets stay those of the block
        text += " " * max(0, token.offset - first - len(text)) + token.text
    return split_statements(text, first)


__all__ = ["Segment", "Statement", "split_statements"]
