r"""Formulas of the unknowns: your own likelihood or prior, read safely (no ``eval``).

``--likelihood "1/N if x <= N else 0"`` (the German tank), ``--prior "1/N"``,
``"comb(23, 4) * comb(N - 23, 15) / comb(N, 19)"`` (the grizzly). Standard library only;
numbers are exact (``0.1`` is 1/10) and so is the arithmetic, unless a float appears.
Grammar::

    formula    := sum ["if" condition "else" formula]
    condition  := conj ("or" conj)*;  conj := neg ("and" neg)*
    neg        := "not" neg | comparison
    comparison := sum (OP sum)*                 # OP: < <= > >= == != (chains allowed)
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | power
    power      := atom [("^" | "**") unary]      # the exponent: a whole number, |k| <= 1000
    atom       := NUMBER | NAME | "(" formula ")" | FUNCTION "(" formula ("," formula)* ")"

Functions: ``comb(n, k)`` (0 outside 0 <= k <= n), ``min``, ``max``, ``abs``, ``exp``,
``log`` (the last two are floats). Division by zero is an error naming the formula and
the values.

>>> f = parse_formula("1/N if x <= N else 0", ["N", "x"])
>>> f.value({"N": 100, "x": 60}), f.value({"N": 50, "x": 60})
(Fraction(1, 100), Fraction(0, 1))
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from probkit.bayes.tokens import COMPARISONS, TokenReader, tokenize
from probkit.errors import InputError
from probkit.numbers import Number, format_decimal, parse_number

MAX_FORMULA_LENGTH = 500
"""Longest formula text accepted."""

MAX_EXPONENT = 1000
"""Largest absolute whole-number exponent (``N^-3`` is fine; ``2^100000`` is not)."""

MAX_MAGNITUDE_BITS = 100_000
"""Largest numerator or denominator (in bits) any intermediate exact value may have."""

_MAX_DEPTH = 50
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?)
    |(?P<name>[A-Za-z_][A-Za-z_0-9]*)
    |(?P<op><=|>=|==|!=|\*\*|[<>+\-*/^(),])
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"if", "else", "and", "or", "not"}


def _comb(n: Number, k: Number) -> Number:
    if n != int(n) or k != int(k):
        raise ArithmeticError("comb needs whole numbers")
    if not 0 <= k <= n:
        return Fraction(0)
    if n > 100_000:
        raise ArithmeticError("comb: n is limited to 100,000")
    return Fraction(math.comb(int(n), int(k)))


_FUNCTIONS: dict[str, tuple[int, Callable[..., Number]]] = {
    "comb": (2, _comb),
    "min": (2, min),
    "max": (2, max),
    "abs": (1, abs),
    "exp": (1, lambda v: math.exp(float(v))),
    "log": (1, lambda v: math.log(float(v))),
}

Node = tuple  # ("num", value) | ("name", n) | (op, children...) | ("call", f, args)


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, the names it uses, and its tree."""

    text: str
    names: tuple[str, ...]
    tree: Node

    def value(self, bindings: Mapping[str, object]) -> Number:
        """The formula's value with ``bindings`` for its names (exact for exact inputs)."""
        try:
            result = _evaluate(self.tree, bindings)
        except ZeroDivisionError:
            raise InputError(f"formula {self.text!r}: division by zero at "
                             f"{_shown(bindings, self.names)}", parameter="formula") from None
        except (ArithmeticError, ValueError) as exc:
            raise InputError(f"formula {self.text!r}: {exc} at "
                             f"{_shown(bindings, self.names)}", parameter="formula") from None
        if isinstance(result, bool):
            raise InputError(f"formula {self.text!r} is a condition, not a number",
                             parameter="formula")
        return result


def parse_formula(text: str, names: Sequence[str]) -> Formula:
    """Parse ``text`` as a formula of ``names`` (see the module docstring)."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"formula {text!r}: empty; give e.g. '1/N if x <= N else 0'",
                         parameter="formula")
    if len(text) > MAX_FORMULA_LENGTH:
        raise InputError(f"formula {text[:40]!r}...: longer than {MAX_FORMULA_LENGTH} "
                         "characters", parameter="formula")
    parser = _Parser(text, _tokenize(text), tuple(names))
    tree = parser.formula(0)
    if parser.position < len(parser.tokens):
        raise parser.fail("the end of the formula")
    return Formula(text=text.strip(), names=tuple(sorted(parser.used)), tree=tree)


def formula_names(text: str) -> tuple[str, ...]:
    """The names a formula text uses (functions and keywords left out), in order of use.

    >>> formula_names("1/N if x <= N else 0")
    ('N', 'x')
    """
    seen: list[str] = []
    for kind, value, _ in _tokenize(text):
        if kind == "name" and value not in _KEYWORDS and value not in _FUNCTIONS \
                and value not in seen:
            seen.append(value)
    return tuple(seen)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    return tokenize(text, _TOKEN, what="formula", parameter="formula")


class _Parser(TokenReader):
    def __init__(self, text: str, tokens: list[tuple[str, str, int]],
                 names: tuple[str, ...]) -> None:
        super().__init__(text, tokens, names, what="formula", parameter="formula")

    def accept(self, *values: str) -> str | None:
        token = self.peek()
        if token is not None and token[0] != "number" and token[1] in values:
            self.position += 1
            return token[1]
        return None

    def expect(self, value: str) -> None:
        if self.accept(value) is None:
            raise self.fail(repr(value))

    def formula(self, depth: int) -> Node:
        if depth > _MAX_DEPTH:
            raise InputError(f"formula {self.text[:40]!r}: nested more than {_MAX_DEPTH} "
                             "deep", parameter="formula")
        body = self.sum(depth)
        if self.accept("if"):
            condition = self.condition(depth + 1)
            self.expect("else")
            return ("if", condition, body, self.formula(depth + 1))
        return body

    def condition(self, depth: int) -> Node:
        children = [self.conjunction(depth)]
        while self.accept("or"):
            children.append(self.conjunction(depth))
        return children[0] if len(children) == 1 else ("or", *children)

    def conjunction(self, depth: int) -> Node:
        children = [self.negation(depth)]
        while self.accept("and"):
            children.append(self.negation(depth))
        return children[0] if len(children) == 1 else ("and", *children)

    def negation(self, depth: int) -> Node:
        if self.accept("not"):
            return ("not", self.negation(depth + 1))
        operands = [self.sum(depth)]
        ops = []
        while (op := self.accept(*COMPARISONS)) is not None:
            ops.append(op)
            operands.append(self.sum(depth))
        if not ops:
            raise self.fail("a comparison (<, <=, >, >=, ==, !=)")
        return ("cmp", tuple(ops), *operands)

    def sum(self, depth: int) -> Node:
        node = self.product(depth)
        while (op := self.accept("+", "-")) is not None:
            node = (op, node, self.product(depth))
        return node

    def product(self, depth: int) -> Node:
        node = self.unary(depth)
        while (op := self.accept("*", "/")) is not None:
            node = (op, node, self.unary(depth))
        return node

    def unary(self, depth: int) -> Node:
        if self.accept("-") is not None:  # -2^2 is -(2^2), as in mathematics and Python
            return ("neg", self.unary(depth + 1))
        return self.power(depth)

    def power(self, depth: int) -> Node:
        base = self.atom(depth)
        if self.accept("^", "**") is not None:
            return ("^", base, self.unary(depth + 1))
        return base

    def atom(self, depth: int) -> Node:
        token = self.peek()
        if token is None:
            raise self.fail("a number, a name or '('")
        kind, value, _ = token
        if kind == "number":
            self.position += 1
            return ("num", parse_number(value, what=f"formula {self.text!r}"))
        if value == "(":
            self.position += 1
            inner = self.formula(depth + 1)
            self.expect(")")
            return inner
        if kind == "name" and value in _FUNCTIONS:
            self.position += 1
            arity, _ = _FUNCTIONS[value]
            self.expect("(")
            args = [self.formula(depth + 1)]
            while self.accept(","):
                args.append(self.formula(depth + 1))
            self.expect(")")
            if len(args) != arity:
                raise InputError(f"formula {self.text!r}: {value} takes {arity} argument(s), "
                                 f"got {len(args)}", parameter="formula")
            return ("call", value, *args)
        if kind == "name" and value not in _KEYWORDS:
            if value not in self.names:
                raise InputError(f"formula {self.text!r}: unknown name {value!r} (known: "
                                 f"{', '.join(self.names)})", parameter="formula")
            self.position += 1
            self.used.add(value)
            return ("name", value)
        raise self.fail("a number, a name or '('")


def _number(value: object) -> Number:
    if isinstance(value, float | Fraction):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    raise ValueError(f"{value!r} is not a number")


def _evaluate(node: Node, bindings: Mapping[str, object]) -> Any:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return _number(bindings[node[1]])
    if kind == "if":
        return _evaluate(node[2] if _evaluate(node[1], bindings) else node[3], bindings)
    if kind == "or":
        return any(_evaluate(child, bindings) for child in node[1:])
    if kind == "and":
        return all(_evaluate(child, bindings) for child in node[1:])
    if kind == "not":
        return not _evaluate(node[1], bindings)
    if kind == "cmp":
        values = [_evaluate(child, bindings) for child in node[2:]]
        return all(COMPARISONS[op](a, b) for op, a, b in zip(node[1], values, values[1:],
                                                         strict=False))
    if kind == "neg":
        return -_evaluate(node[1], bindings)
    if kind == "call":
        _, function = _FUNCTIONS[node[1]]
        return function(*(_evaluate(child, bindings) for child in node[2:]))
    left, right = _evaluate(node[1], bindings), _evaluate(node[2], bindings)
    if kind == "+":
        result = left + right
    elif kind == "-":
        result = left - right
    elif kind == "*":
        result = left * right
    elif kind == "/":
        result = left / right
    else:  # "^"
        if right != int(right) or abs(right) > MAX_EXPONENT:
            raise ArithmeticError(f"the exponent must be a whole number within "
                                  f"±{MAX_EXPONENT} (got {right})")
        result = left ** int(right)
    if isinstance(result, Fraction) and max(result.numerator.bit_length(),
                                            result.denominator.bit_length()) > MAX_MAGNITUDE_BITS:
        raise ArithmeticError("an intermediate value grew past 30,000 digits")
    return result


def _shown(bindings: Mapping[str, object], names: Sequence[str]) -> str:
    parts = []
    for name in names:
        value = bindings.get(name)
        shown = format_decimal(value) if isinstance(value, Fraction | float) else value
        parts.append(f"{name} = {shown}")
    return ", ".join(parts)


__all__ = ["MAX_EXPONENT", "MAX_FORMULA_LENGTH", "Formula", "formula_names", "parse_formula"]
