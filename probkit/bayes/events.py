"""Events on numeric unknowns: ``N > 100``, ``0.4 <= p <= 0.6``, ``mu > 0 and sigma < 2``.

A tiny parser (no ``eval``; standard library only) on the scanner formulas share
(:mod:`probkit.bayes.tokens`). Grammar::

    event      := conjunction ("or" conjunction)*
    conjunction:= factor ("and" factor)*
    factor     := "not" factor | "(" event ")" | comparison
    comparison := operand OP operand (OP operand)*     # chains: 0.4 <= p < 0.6
    operand    := NAME | NUMBER                        # NUMBER: 100, 0.5, 1/2, 1e3, 50%
    OP         := "<" | "<=" | ">" | ">=" | "==" | "!="

Numbers are read exactly (``0.1`` is 1/10), so ``p == 0.56`` is true on the grid
value 56/100. Every comparison must involve an unknown.

>>> event = parse_event("N > 100 and N != 150", ["N"])
>>> event.holds({"N": 120}), event.holds({"N": 150}), event.holds({"N": 90})
(True, False, False)
>>> parse_event("N >> 100", ["N"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
probkit.errors.InputError: event 'N >> 100': unexpected '>' at character 4; expected a ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from probkit.bayes.tokens import COMPARISONS, TokenReader, tokenize
from probkit.errors import InputError
from probkit.numbers import parse_number

MAX_EVENT_LENGTH = 500
"""Longest event text accepted."""

MAX_EVENTS = 100
"""Most events one problem may ask for."""

_MAX_DEPTH = 50
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d[\d_]*)?%?)
    |(?P<name>[A-Za-z_][A-Za-z_0-9]*)
    |(?P<op><=|>=|==|!=|<|>)
    |(?P<paren>[()])
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not"}

Node = tuple  # ("or"|"and", [children]) | ("not", child) | ("cmp", [operands], [ops])


@dataclass(frozen=True)
class Event:
    """A parsed event: its text, the unknowns it mentions, and a predicate on them."""

    text: str
    names: tuple[str, ...]
    tree: Node

    def holds(self, values: Mapping[str, object]) -> bool:
        """Whether the event is true when the unknowns take ``values``."""
        return _evaluate(self.tree, values)


def parse_event(text: str, names: Sequence[str]) -> Event:
    """Parse ``text`` as an event on the unknowns ``names`` (see the module docstring)."""
    if not isinstance(text, str):
        raise InputError(f"event {text!r}: expected text such as 'N > 100'")
    if len(text) > MAX_EVENT_LENGTH:
        raise InputError(f"event {text[:40]!r}...: longer than {MAX_EVENT_LENGTH} characters")
    if not text.strip():
        raise InputError("event '': empty; give e.g. 'N > 100'")
    tokens = _tokenize(text)
    parser = _Parser(text, tokens, tuple(names))
    tree = parser.event(0)
    if parser.position < len(tokens):
        kind, value, at = tokens[parser.position]
        raise InputError(f"event {text!r}: unexpected {value!r} at character {at + 1}")
    return Event(text=text.strip(), names=tuple(sorted(parser.used)), tree=tree)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    return tokenize(text, _TOKEN, what="event", signed_numbers=True)


class _Parser(TokenReader):
    def __init__(self, text: str, tokens: list[tuple[str, str, int]],
                 names: tuple[str, ...]) -> None:
        super().__init__(text, tokens, names, what="event")

    def _keyword(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "name" and token[1].lower() == word:
            self.position += 1
            return True
        return False

    def event(self, depth: int) -> Node:
        if depth > _MAX_DEPTH:
            raise InputError(f"event {self.text[:40]!r}: nested more than {_MAX_DEPTH} deep")
        children = [self.conjunction(depth)]
        while self._keyword("or"):
            children.append(self.conjunction(depth))
        return children[0] if len(children) == 1 else ("or", children)

    def conjunction(self, depth: int) -> Node:
        children = [self.factor(depth)]
        while self._keyword("and"):
            children.append(self.factor(depth))
        return children[0] if len(children) == 1 else ("and", children)

    def factor(self, depth: int) -> Node:
        if self._keyword("not"):
            return ("not", self.factor(depth + 1))
        token = self.peek()
        if token is not None and token[1] == "(":
            self.position += 1
            inner = self.event(depth + 1)
            closing = self.peek()
            if closing is None or closing[1] != ")":
                raise self.fail("')'")
            self.position += 1
            return inner
        return self.comparison()

    def operand(self) -> Fraction | str:
        token = self.peek()
        if token is None or token[0] not in ("number", "name") or (
                token[0] == "name" and token[1].lower() in _KEYWORDS):
            raise self.fail(f"a number or an unknown ({', '.join(self.names)})")
        self.position += 1
        kind, value, _ = token
        if kind == "number":
            return parse_number(value, what=f"event {self.text!r}")
        if value not in self.names:
            raise InputError(f"event {self.text!r}: unknown name {value!r} (the unknowns: "
                             f"{', '.join(self.names)})")
        self.used.add(value)
        return value

    def comparison(self) -> Node:
        operands = [self.operand()]
        ops: list[str] = []
        while (token := self.peek()) is not None and token[0] == "op":
            self.position += 1
            ops.append(token[1])
            operands.append(self.operand())
        if not ops:
            raise self.fail("a comparison (<, <=, >, >=, ==, !=)")
        if not any(isinstance(o, str) for o in operands):
            raise InputError(f"event {self.text!r}: a comparison must involve an unknown "
                             f"({', '.join(self.names)})")
        return ("cmp", operands, ops)


def _evaluate(node: Node, values: Mapping[str, object]) -> bool:
    kind = node[0]
    if kind == "or":
        return any(_evaluate(child, values) for child in node[1])
    if kind == "and":
        return all(_evaluate(child, values) for child in node[1])
    if kind == "not":
        return not _evaluate(node[1], values)
    operands = [values[o] if isinstance(o, str) else o for o in node[1]]
    return all(COMPARISONS[op](a, b)
               for op, a, b in zip(node[2], operands, operands[1:], strict=False))


def parse_events(texts: Sequence[str], names: Sequence[str]) -> tuple[Event, ...]:
    """Parse several events (at most :data:`MAX_EVENTS`)."""
    if len(texts) > MAX_EVENTS:
        raise InputError(f"{len(texts)} events; at most {MAX_EVENTS} are allowed")
    return tuple(parse_event(text, names) for text in texts)


__all__ = ["MAX_EVENTS", "MAX_EVENT_LENGTH", "Event", "parse_event", "parse_events"]
