"""What the safe expression languages share (``--event`` and ``--likelihood``/``--prior``
formulas): the scanner that splits a text into tokens, the reader that walks them, and the
comparison operators. Standard library only; nothing is ever passed to ``eval``.

>>> import re
>>> tokenize("N >= 5", re.compile(r"\\s*(?:(?P<name>[A-Z]+)|(?P<op>>=)|(?P<number>\\d+))"),
...          what="event")
[('name', 'N', 0), ('op', '>=', 2), ('number', '5', 5)]
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

from probkit.errors import InputError

Token = tuple[str, str, int]
"""A token: its kind (a group name of the pattern), its text, and where it starts."""

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
    "<": operator.lt, ">": operator.gt,
}
"""The comparison operators both languages read (chains such as ``0.4 <= p < 0.6``)."""


def tokenize(text: str, pattern: re.Pattern[str], *, what: str,
             parameter: str | None = None, signed_numbers: bool = False) -> list[Token]:
    """Split ``text`` into tokens by ``pattern`` (one named group per kind, leading spaces
    allowed); anything it cannot read is refused naming ``what`` and the character.

    With ``signed_numbers`` a sign glued to a number right after an operand (``N-5``) is
    refused rather than read as a second operand.
    """
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if not text[position:].strip():
            break
        match = pattern.match(text, position)
        if match is None or match.end() == position:
            at = position + len(text[position:]) - len(text[position:].lstrip())
            raise InputError(f"{what} {text!r}: unexpected {text[at]!r} at character "
                             f"{at + 1}", parameter=parameter)
        kind = match.lastgroup
        assert kind is not None
        value, start = match.group(kind), match.start(kind)
        if signed_numbers and kind == "number" and tokens \
                and tokens[-1][0] in ("number", "name"):
            raise InputError(f"{what} {text!r}: unexpected {value!r} at character "
                             f"{start + 1}", parameter=parameter)
        tokens.append((kind, value, start))
        position = match.end()
    return tokens


class TokenReader:
    """Walks the tokens of ``text`` for a recursive-descent parser; ``used`` collects the
    ``names`` the text mentions."""

    def __init__(self, text: str, tokens: list[Token], names: Sequence[str], *, what: str,
                 parameter: str | None = None) -> None:
        self.text = text
        self.tokens = tokens
        self.names = tuple(names)
        self.what = what
        self.parameter = parameter
        self.position = 0
        self.used: set[str] = set()

    def peek(self) -> Token | None:
        """The next token, or ``None`` at the end."""
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def fail(self, expected: str) -> InputError:
        """The error for the next token (or the end) where ``expected`` should be."""
        token = self.peek()
        if token is None:
            return InputError(f"{self.what} {self.text!r}: ends early; expected {expected}",
                              parameter=self.parameter)
        return InputError(f"{self.what} {self.text!r}: unexpected {token[1]!r} at character "
                          f"{token[2] + 1}; expected {expected}", parameter=self.parameter)


__all__ = ["COMPARISONS", "Token", "TokenReader", "tokenize"]
