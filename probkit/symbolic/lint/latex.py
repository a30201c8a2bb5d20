r"""The vocabulary of LaTeX maths, and tokens: what the checker's LaTeX layer is built on.

:func:`tokenize` splits LaTeX into commands, control symbols and characters,
normalizing what people paste into maths (the Unicode minus, typographic
primes, ``·``, Greek letters). The tables say what each command means to the
checker: a relation, spacing to drop, a decoration around a part of the
expression, or maths that is out of scope (with the reason).
:mod:`.statements` splits a block into statements; :mod:`.parser` parses
each term.

Only the standard library is used.

>>> [t.text for t in tokenize(r"a\cdot b − x’")]
['a', '\\cdot', ' ', 'b', ' ', '-', ' ', 'x', "'"]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda "
    "Xi Pi Sigma Upsilon Phi Psi Omega".split()
)
"""Greek letters, as the names of their LaTeX commands."""

_UNICODE = {
    "\u2212": "-", "\u2013": "-", "\u2019": "'", "\u2032": "'", "\u2033": "''", "\u00b7": r"\cdot ",
    "\u22c5": r"\cdot ", "\u00d7": r"\times ", "\u2264": r"\leq ", "\u2265": r"\geq ",
    "\u2260": r"\neq ", "\u2248": r"\approx ", "\u2252": r"\fallingdotseq ",
    "\u00b2": "^{2}", "\u00b3": "^{3}",
    "\u03c0": r"\pi ", "\u03c3": r"\sigma ", "\u03b1": r"\alpha ", "\u03b2": r"\beta ",
    "\u03b8": r"\theta ", "\u03bb": r"\lambda ", "\u03bc": r"\mu ", "\u03b7": r"\eta ",
    "\u03b5": r"\epsilon ", "\u03b4": r"\delta ", "\u03b3": r"\gamma ", "\u03c6": r"\phi ",
    "\u2202": r"\partial ", "\u2234": r"\therefore ", "\u21d2": r"\Rightarrow ",
    "\u21d4": r"\iff ", "\u00a0": " ", "\u3000": " ", "\u2026": r"\ldots ",
    "\u00ac": r"\neg ", "\u2229": r"\cap ", "\u222a": r"\cup ", "\u2223": r"\mid ",
    "\u2190": r"\leftarrow ",
}
"""Characters people paste into maths, and what they mean in LaTeX."""

RELATIONS = {
    "=": "=", "<": "<", ">": ">", r"\lt": "<", r"\gt": ">", r"\leq": "<=", r"\le": "<=",
    r"\leqslant": "<=", r"\geq": ">=", r"\ge": ">=", r"\geqslant": ">=", r"\neq": "!=",
    r"\ne": "!=", r"\approx": "≈", r"\fallingdotseq": "≈", r"\risingdotseq": "≈",
    r"\simeq": "~", r"\sim": "~", r"\equiv": "==",
    r"\propto": "~", r"\to": "->", r"\rightarrow": "->", r"\Rightarrow": "->",
    r"\implies": "->", r"\iff": "<->", r"\Leftrightarrow": "<->", r"\mapsto": "->",
    r"\therefore": "->", r"\Longrightarrow": "->", r"\Longleftrightarrow": "<->",
    r"\coloneqq": "=", r"\triangleq": "=", r"\doteq": "=", r"\in": "in",
    r"\leftarrow": "<-", r"\gets": "<-", r"\longleftarrow": "<-",
}
"""Relation symbols that end a term, and the relation each one states (``<-``: an update rule's
assignment, ``w \\leftarrow w - 0.01 \\cdot 24 = 0.26``, after which the arithmetic is checked)."""

DROP = frozenset(
    r"\left \right \bigl \bigr \Bigl \Bigr \biggl \biggr \Biggl \Biggr \big \Big \bigg \Bigg "
    r"\displaystyle \textstyle \scriptstyle \, \; \: \! \quad \qquad \  \nonumber \notag "
    r"\newline \\ \middle \limits \nolimits".split() + ["\\ "]
)
DROP_WITH_ARGUMENT = frozenset(r"\label \tag \hspace \vspace \phantom \color".split())
ALIGNMENTS = frozenset("equation equation* align align* aligned alignat alignat* gather gather* "
                        "gathered multline multline* split eqnarray eqnarray*".split())
"""Environments that only align or number a chain of equalities."""
KEEP_ARGUMENT = frozenset(r"\boxed \underbrace \overbrace \underset \textcolor".split())
"""Commands shown around a part of the expression that stays part of it."""
FRACTIONS = frozenset(r"\dfrac \tfrac \cfrac".split())
REFUSED = {
    r"\vec": "vectors and matrices are not checked (scalars only)",
    r"\langle": "bra-ket and inner-product notation is not checked",
    r"\rangle": "bra-ket and inner-product notation is not checked",
    r"\sum": "sums are not checked", r"\prod": "products over an index are not checked",
    r"\int": "integrals are not checked", r"\lim": "limits are not checked",
    r"\nabla": "gradients of vectors are not checked",
    r"\mathbb": "sets are not checked",
    r"\cancel": "cancelled terms are not checked", r"\bcancel": "cancelled terms are not checked",
    r"\xcancel": "cancelled terms are not checked", r"\pmod": "modular arithmetic is not checked",
}
"""Commands whose maths is out of scope, and why (the term is reported unparsed)."""
CONTINUATIONS = frozenset(["+", "-", r"\cdot", r"\times"])
"""Tokens that continue a term from one row to the next."""
BREAKS = frozenset(r"\quad \qquad \text \textrm \mbox \textnormal , ;".split())
"""Tokens that, outside any brackets, end a statement (a side note or a list follows)."""


class Unreadable(Exception):
    """A term cannot be read faithfully; the message says what was not understood.

    ``offset`` is where the construct stands in the post, when known.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Token:
    """One token: a command (``\\frac``), a control symbol (``\\,``), or one character."""

    text: str
    offset: int

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    r"""Split LaTeX into tokens, normalizing pasted Unicode on the way.

    >>> [t.text for t in tokenize(r"a\cdot b − x’")]
    ['a', '\\cdot', ' ', 'b', ' ', '-', ' ', 'x', "'"]
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            if text[i + 1].isalpha() and text[i + 1].isascii():
                j = i + 2
                while j < n and text[j].isascii() and text[j].isalpha():
                    j += 1
                tokens.append(Token(text[i:j], offset + i))
                i = j
                continue
            if text[i + 1] == "\\":  # a row break: \\ (or \\\\ in Markdown), maybe \\[4pt]
                j = i
                while j < n and text[j] == "\\":
                    j += 1
                match = re.match(r"\s*\[[^\]]*\]", text[j:])
                tokens.append(Token("\\\\", offset + i))
                i = j + (match.end() if match else 0)
                continue
            if text[i + 1] in "\r\n":  # a backslash ending the line: a row break gone stray
                tokens.append(Token("\\\\", offset + i))
                i += 2
                continue
            second = "\\ " if text[i + 1].isspace() else text[i:i + 2]
            tokens.append(Token(second, offset + i))
            i += 2
            continue
        if c in _UNICODE:
            for piece in tokenize(_UNICODE[c]):
                tokens.append(Token(piece.text, offset + i))
        elif c.isspace():
            tokens.append(Token(" ", offset + i))
        else:
            tokens.append(Token(c, offset + i))
        i += 1
    return tokens


def join(tokens: Iterable[Token]) -> str:
    r"""The LaTeX text of ``tokens`` (a space after each command that needs one)."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1][-1:].isalpha() and out[-1].startswith("\\") and token.text[:1].isalpha():
            out.append(" ")
        out.append(token.text)
    text = re.sub(r" +", " ", "".join(out))
    return re.sub(r" ?([(){}\[\]^_]) ?", r"\1", text).strip()


OPEN = {"(": ")", "[": "]", "{": "}"}
CLOSE = {v: k for k, v in OPEN.items()}


def group_end(tokens: Sequence[Token], start: int) -> int:
    """Index just past the bracket group opened at ``start`` (brackets of any kind nest)."""
    depth = 0
    for i in range(start, len(tokens)):
        t = tokens[i].text
        if t in OPEN:
            depth += 1
        elif t in CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    raise Unreadable(f"unbalanced {tokens[start].text!r}")


def argument(tokens: Sequence[Token], start: int) -> tuple[list[Token], int]:
    """The TeX argument at ``start`` (a brace group's inside, or one token); and the end."""
    i = start
    while i < len(tokens) and tokens[i].is_space:
        i += 1
    if i >= len(tokens):
        raise Unreadable("a command is missing its argument")
    if tokens[i].text == "{":
        end = group_end(tokens, i)
        return list(tokens[i + 1:end - 1]), end
    return [tokens[i]], i + 1


__all__ = ["ALIGNMENTS", "BREAKS", "CLOSE", "CONTINUATIONS", "DROP", "DROP_WITH_ARGUMENT",
           "FRACTIONS", "GREEK", "KEEP_ARGUMENT", "OPEN", "REFUSED", "RELATIONS", "Token",
           "Unreadable", "argument", "group_end", "join", "tokenize"]
