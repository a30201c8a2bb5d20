r"""Parse one term of LaTeX maths into a syntax tree with source spans.

A term is what stands between two relations (``=``, ``<``, ``\approx``):
:mod:`.statements` finds them, this module parses one, and :mod:`.reader`
turns the tree into a SymPy expression with the post's names. The parser is a
Pratt (precedence-climbing) parser over :func:`.latex.tokenize`'s tokens; every
:class:`Node` keeps the offsets of the source text it was read from, so a
refusal (:class:`~.latex.Unreadable`) points at the construct.

The tree does not decide what depends on the post: ``a(1-a)`` is an
:data:`APPLY` node whether ``a`` is a function or a quantity; the reader
decides with the names the post has defined.

Rules a reader of a post needs (docs/check.md lists all of them):

* a function written without parentheses takes the **next atom**: a number,
  a name with its sub- and superscripts, a bracket or a command with its
  arguments. ``\cos x (1 + \cos x)`` is cos(x)·(1 + cos x), ``\sin^2 x`` is
  (sin x)², ``\log a(1-a)`` is log(a)·(1-a) unless a is a function
  (``\log f(x)`` is log(f(x)): the tree keeps ``a(1-a)`` as one APPLY node
  and the reader decides). A number written against letters keeps them:
  ``\sin 2x`` is sin(2x), ``\log 2\pi`` is log(2π); ``\sin 2 x`` and
  ``\sin xy`` are refused (which part is the argument?);
* a bracketed or parenthesised superscript (``W^{[1]}``, ``z^{(i)}``) is part
  of the name; ``f^{(2)}(x)`` (a number in parentheses, then an argument) is
  the second derivative;
* ``P(…)`` and ``\Pr(…)``, and any name applied to a group holding ``|`` or
  ``\mid``, are probabilities: named quantities such as ``P(D|+)``;
* a decimal followed by ``\ldots`` or ``…`` is truncated (it agrees with the
  exact value to the digits written).

Only the standard library is used.

>>> tree = parse(r"\cos x (1 + \cos x)")  # the reader makes it cos(x)·(1 + cos x)
>>> tree.kind, tree.args[0].kind, tree.args[0].value
('func', 'apply', 'x')
>>> parse(r"\hat{y}").value
'\\hat{y}'
>>> parse(r"x^{(i)}").value, parse("W^{[1]}_{2}").value
('x^{(i)}', 'W^{[1]}_{2}')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from probkit.symbolic.lint.latex import (
    DROP,
    DROP_WITH_ARGUMENT,
    FRACTIONS,
    GREEK,
    KEEP_ARGUMENT,
    REFUSED,
    RELATIONS,
    Token,
    Unreadable,
    tokenize,
)

MAX_NODES = 2_000
"""Most nodes in one term's tree (a larger term is refused, never half read)."""

MAX_NESTING = 60
"""Deepest nesting of brackets, fractions and powers in one term."""

MAX_DERIVATIVE_ORDER = 12
"""Highest order of one derivative (``\\frac{d^{n}}{dx^{n}}``, ``f^{(n)}``, primes)."""

MAX_SUM_NESTING = 3
"""Deepest nesting of sums and products over an index in one term."""

NUM, NAME, CONST, ADD, MUL = "num", "name", "const", "add", "mul"
DIV, POW, NEG = "div", "pow", "neg"
FUNC, APPLY, DERIV, PRIME, QPRIME, ABS = "func", "apply", "deriv", "prime", "qprime", "abs"
GROUP, PIECEWISE, PROB, FACT, BINOM, ROOT = "group", "piecewise", "prob", "fact", "binom", "root"
COMPARE, ALL, SUM, PM = "compare", "and", "sum", "pm"
"""Node kinds. :data:`GROUP` is a bracket (kept so that ``(…)'`` and ``a(…)`` can be told)."""

FUNCTION_COMMANDS = {
    r"\sin": "sin", r"\cos": "cos", r"\tan": "tan", r"\sec": "sec", r"\csc": "csc",
    r"\cot": "cot", r"\sinh": "sinh", r"\cosh": "cosh", r"\tanh": "tanh", r"\coth": "coth",
    r"\arcsin": "asin", r"\arccos": "acos", r"\arctan": "atan", r"\exp": "exp", r"\log": "log",
    r"\ln": "log", r"\max": "Max", r"\min": "Min",
}
"""Function commands and the SymPy function each names (``\\log`` is the natural log)."""

FUNCTION_WORDS = {
    "sin": "sin", "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "exp": "exp", "log": "log", "ln": "log", "max": "Max", "min": "Min",
    "sigmoid": "sigmoid", "relu": "relu", "leakyrelu": "leaky_relu", "lrelu": "leaky_relu",
    "softplus": "softplus", "swish": "swish", "silu": "swish", "gelu": "gelu", "elu": "elu",
    "softmax": "softmax", "sgn": "sign", "sign": "sign", "erf": "erf", "abs": "Abs",
    "sech": "sech", "csch": "csch", "coth": "coth", "arcsinh": "asinh", "arccosh": "acosh",
    "arctanh": "atanh", "artanh": "atanh", "arsinh": "asinh", "arcosh": "acosh",
}
"""Words (``\\mathrm{ReLU}``, ``\\operatorname{softplus}``, or letters ``sigmoid`` written
together) that name a known function, lower-cased without spaces, ``_`` or ``-``."""

_TEXT = frozenset(r"\text \textrm \textit \textnormal \mbox \mathrm \mathit \operatorname "
                  r"\rm \mathop \textsf \mathsf \textup".split())
_STYLES = {r"\mathbf": r"\mathbf", r"\boldsymbol": r"\boldsymbol", r"\bm": r"\boldsymbol",
           r"\mathcal": r"\mathcal", r"\mathscr": r"\mathscr", r"\mathfrak": r"\mathfrak",
           r"\pmb": r"\boldsymbol", r"\mathbb": r"\mathbb"}
_ACCENTS = {r"\hat": r"\hat", r"\widehat": r"\hat", r"\bar": r"\bar", r"\overline": r"\bar",
            r"\tilde": r"\tilde", r"\widetilde": r"\tilde", r"\check": r"\check",
            r"\dot": r"\dot", r"\ddot": r"\ddot", r"\breve": r"\breve"}
_OPEN = {"(": ")", "[": "]", "{": "}", r"\{": r"\}", r"\lbrace": r"\rbrace", r"\lbrack": r"\rbrack",
         r"\lparen": r"\rparen"}
_CLOSE = frozenset(_OPEN.values())
_BARS = {"|": "|", r"\vert": r"\vert", r"\lvert": r"\rvert", r"\mid": r"\mid"}
_ELLIPSES = frozenset([r"\ldots", r"\dots", r"\cdots", r"\dotsc", "\u2026"])
_OTHERWISE = frozenset("otherwise else elsewhere other o.w. ow それ以外 その他 上記以外".split())
_MULTIPLY = frozenset([r"\cdot", r"\times", "*", r"\ast"])
_DIVIDE = frozenset(["/", r"\div"])
_CONDITION_RELATIONS = {"<": "<", ">": ">", r"\lt": "<", r"\gt": ">", r"\le": "<=",
                        r"\leq": "<=", r"\leqslant": "<=", r"\ge": ">=", r"\geq": ">=",
                        r"\geqslant": ">=", "=": "=", r"\ne": "!=", r"\neq": "!="}
_PROBABILITY_MARKS = {r"\mid": "|", r"\vert": "|", "|": "|", r"\neg": "¬", r"\lnot": "¬",
                      r"\cap": "∩", r"\cup": "∪", r"\setminus": "∖", r"\land": "∧",
                      r"\lor": "∨", r"\wedge": "∧", r"\vee": "∨", r"\bar": r"\bar",
                      r"\overline": r"\bar", r",": ","}
_PLUS_MINUS = {r"\pm": 1, r"\mp": -1}
"""``\\pm`` and ``\\mp``, and the sign each puts on the value taken with +."""
_TRAILING = frozenset([".", ",", ";", "。", "、", "．", "，"])


@dataclass(frozen=True)
class Node:
    """One node of a term's tree: its kind, its children, a value, and its source span.

    ``value`` is the kind's datum: a :class:`fractions.Fraction` (NUM, with
    ``extra`` = (decimals written, truncated?)), a canonical name (NAME, APPLY,
    QPRIME, PROB), a function (FUNC), the variable (DERIV).
    ``extra`` holds what else the kind needs (an order, a power, a log base; for DERIV the
    order, or (1, k) for a derivative by the quantity x^k, ``\\frac{\\partial \\ell}{\\partial
    \\sigma^2}``).
    """

    kind: str
    span: tuple[int, int]
    args: tuple[Node, ...] = ()
    value: Any = None
    extra: Any = None


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    spaced: bool  # a space stands between this token and the previous one


@dataclass
class _State:
    nodes: int = 0
    depth: int = 0
    order: int = 0
    sums: int = 0
    primed: set[str] = field(default_factory=set)


def _argument(tokens: Sequence[_Tok], i: int, what: str) -> tuple[list[_Tok], int]:
    """The TeX argument at ``i`` (a brace group's inside, or one token), and the end."""
    if i >= len(tokens):
        raise Unreadable(f"{what} is missing its argument",
                         tokens[-1].end if tokens else None)
    if tokens[i].text != "{":
        return [tokens[i]], i + 1
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].text == "{":
            depth += 1
        elif tokens[j].text == "}":
            depth -= 1
            if depth == 0:
                return list(tokens[i + 1:j]), j + 1
    raise Unreadable("an unbalanced '{'", tokens[i].start)


def _word(tokens: Sequence[_Tok]) -> str:
    """The text of a ``\\text{…}`` argument (spaces kept, ``\\_`` as ``_``)."""
    out = ""
    for t in tokens:
        out += " " if t.spaced and out else ""
        out += "_" if t.text == r"\_" else t.text
    return out.strip()


def _clean(source: str, offset: int) -> list[_Tok]:
    """Tokens of ``source`` without the marks that carry no meaning (spacing, sizes, labels)."""
    raw = tokenize(source, offset)
    out: list[_Tok] = []
    spaced = False
    i = 0
    environments: list[str] = []

    def end_of(token: Token) -> int:
        at = token.offset - offset
        width = len(token.text) if source[at:at + len(token.text)] == token.text else 1
        return token.offset + width

    def push(text: str, start: int, end: int) -> None:
        nonlocal spaced
        out.append(_Tok(text, start, end, spaced))
        spaced = False

    while i < len(raw):
        token = raw[i]
        t = token.text
        if token.is_space or t == "~":
            spaced = True
            i += 1
            continue
        if t in (r"\left", r"\right") and i + 1 < len(raw) and raw[i + 1].text == ".":
            i += 2
            continue
        if t in (r"\\", "&", r"\newline") and environments:  # rows and columns of cases
            push(t, token.offset, end_of(token))
            i += 1
            continue
        if t == r"\," and out and out[-1].text.isdecimal() and not spaced and \
                _digit_group(raw, i + 1) and _groups_before(out):  # 1\,000: thousands
            i += 1
            continue
        if t in DROP or t in (r"\\", "&"):
            spaced = True
            i += 1
            continue
        if t in DROP_WITH_ARGUMENT:
            _, i = _argument(_as_toks(raw), _skip_spaces(raw, i + 1), t)
            continue
        if t in (r"\begin", r"\end"):
            name, j = _argument(_as_toks(raw), _skip_spaces(raw, i + 1), t)
            environment = "".join(x.text for x in name)
            if environment not in ("cases", "dcases", "rcases", "cases*"):
                reason = ("matrices are not checked" if "matrix" in environment or
                          environment == "array" else "it is not a part of one term")
                raise Unreadable(f"the {environment} environment ({reason})", token.offset)
            if t == r"\begin":
                environments.append(environment)
            elif environments:
                environments.pop()
            push(t + "{cases}", token.offset, raw[j - 1].offset + 1)
            i = j
            continue
        if t in KEEP_ARGUMENT:  # \boxed{X}, \underbrace{X}_{note}, \textcolor{red}{X}
            toks = _as_toks(raw)
            start = _skip_spaces(raw, i + 1)
            if t in (r"\textcolor", r"\underset", r"\overset"):
                _, start = _argument(toks, start, t)
                start = _skip_spaces(raw, start)
            inside, j = _argument(toks, start, t)
            k = _skip_spaces(raw, j)
            if t in (r"\underbrace", r"\overbrace") and k < len(raw) and raw[k].text in "_^":
                _, j = _argument(toks, _skip_spaces(raw, k + 1), t)
            # the decoration's inside, braced, goes back through this loop
            inner = source[inside[0].start - offset:inside[-1].end - offset] if inside else ""
            pieces = _clean(" " * (inside[0].start - offset) + inner, offset) if inside else []
            push("{", token.offset, token.offset + len(t))
            out.extend(pieces)
            push("}", raw[j - 1].offset, raw[j - 1].offset + 1)
            i = j
            continue
        if t == r"\_":
            push("_", token.offset, token.offset + 2)
        elif t == r"\*":
            push(r"\cdot", token.offset, token.offset + 2)
        else:
            push(t, token.offset, end_of(token))
        i += 1
    while out and out[-1].text in _TRAILING:  # the end of a sentence written in the maths
        out.pop()
    return out


def _digit_group(raw: Sequence[Token], i: int) -> bool:
    """Three digits at ``i`` and no fourth: a group of thousands."""
    digits = raw[i:i + 3]
    return len(digits) == 3 and all(t.text.isdecimal() for t in digits) and (
        i + 3 >= len(raw) or not raw[i + 3].text.isdecimal())


def _groups_before(out: Sequence[_Tok]) -> bool:
    """The digits at the end of ``out`` can stand before a group: ``12``, ``1 000``, ``0.5``."""
    k = len(out)
    while k > 0 and out[k - 1].text.isdecimal():
        k -= 1
    if k > 0 and out[k - 1].text == ".":  # decimals grouped by three: 0.500\,000
        return True
    return out[k].text != "0"


def _skip_spaces(raw: Sequence[Token], i: int) -> int:
    while i < len(raw) and raw[i].is_space:
        i += 1
    return i


def _as_toks(raw: Sequence[Token]) -> list[_Tok]:
    """``raw`` as :class:`_Tok` (for :func:`_argument`), spaces kept as tokens."""
    return [_Tok(t.text, t.offset, t.offset + max(1, len(t.text)), False) for t in raw]


class _Parser:
    def __init__(self, tokens: list[_Tok], source_end: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.state = _State()
        self.source_end = source_end
        self.stops: list[frozenset[str]] = [frozenset()]

    # -- helpers
    def peek(self, k: int = 0) -> _Tok | None:
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else None

    def text(self, k: int = 0) -> str | None:
        token = self.peek(k)
        return None if token is None else token.text

    def where(self) -> int:
        """The offset of the current token (the end of the term when there is none)."""
        token = self.peek()
        return self.source_end if token is None else token.start

    def _spaced(self, k: int) -> bool:
        token = self.peek(k)
        return token is None or token.spaced

    def take(self) -> _Tok:
        token = self.peek()
        if token is None:
            raise Unreadable("the term ends too early", self.source_end)
        self.i += 1
        return token

    def expect(self, text: str) -> _Tok:
        token = self.peek()
        if token is None or token.text != text:
            where = self.source_end if token is None else token.start
            found = "the end" if token is None else repr(token.text)
            raise Unreadable(f"expected {text!r}, found {found}", where)
        return self.take()

    def node(self, kind: str, start: int, args: tuple[Node, ...] = (), value: Any = None,
             extra: Any = None, end: int | None = None) -> Node:
        self.state.nodes += 1
        if self.state.nodes > MAX_NODES:
            raise Unreadable(f"a term of more than {MAX_NODES} parts", start)
        if end is None:
            end = self.tokens[self.i - 1].end if self.i > 0 else start
        return Node(kind, (start, end), args, value, extra)

    def nested(self, start: int) -> None:
        self.state.depth += 1
        if self.state.depth > MAX_NESTING:
            raise Unreadable(f"nested more than {MAX_NESTING} deep", start)

    def order(self, order: int, start: int) -> int:
        if order < 1:
            raise Unreadable(f"a derivative of order {order}", start)
        self.state.order += order
        if order > MAX_DERIVATIVE_ORDER or self.state.order > 2 * MAX_DERIVATIVE_ORDER:
            raise Unreadable(f"a derivative of order {order} (at most {MAX_DERIVATIVE_ORDER} "
                             "are taken)", start)
        return order

    def at_stop(self) -> bool:
        t = self.text()
        return t is None or t in self.stops[-1]

    # -- expressions
    def expression(self, stops: frozenset[str] = frozenset()) -> Node:
        self.stops.append(stops | self.stops[-1] if stops else self.stops[-1])
        try:
            return self.sum()
        finally:
            self.stops.pop()

    def sum(self) -> Node:
        token = self.peek()
        if token is None or self.at_stop():
            where = self.source_end if token is None else token.start
            raise Unreadable("an empty term" if self.i == 0 else "a missing operand", where)
        left = self.product()
        while not self.at_stop() and self.text() in ("+", "-", *_PLUS_MINUS):
            op = self.take()
            if self.at_stop():
                raise Unreadable(f"nothing after {op.text!r}", op.start)
            right = self.product()
            if op.text in _PLUS_MINUS:  # 1 \pm \sqrt{2}: two values (the reader says where)
                right = self.node(PM, op.start, (right,), _PLUS_MINUS[op.text])
            elif op.text == "-":
                right = self.node(NEG, op.start, (right,))
            left = self.node(ADD, left.span[0], (left, right), end=right.span[1])
        return left

    def product(self) -> Node:
        left = self.signed()
        while not self.at_stop():
            t = self.text()
            if t in _MULTIPLY or t in _DIVIDE:
                op = self.take()
                if self.at_stop():
                    raise Unreadable(f"nothing after {op.text!r}", op.start)
                right = self.signed()
                kind = DIV if op.text in _DIVIDE else MUL
                left = self.node(kind, left.span[0], (left, right), end=right.span[1])
                if kind == DIV and self.starts_atom():
                    raise Unreadable(f"{op.text} then a product (a/bc: is c in the "
                                     "denominator? Use \\frac or parentheses)", op.start)
            elif self.starts_atom():
                token = self.peek()
                assert token is not None
                if token.text[0].isdecimal() or token.text == ".":
                    raise Unreadable("a number after a factor with no operator between "
                                     "(write \\cdot or put the number first)", token.start)
                right = self.postfix()
                left = self.node(MUL, left.span[0], (left, right), end=right.span[1])
            else:
                break
        return left

    def signed(self) -> Node:
        token = self.peek()
        if token is not None and token.text in _PLUS_MINUS and not self.at_stop():
            self.take()
            return self.node(PM, token.start, (self.signed(),), _PLUS_MINUS[token.text])
        if token is not None and token.text in ("-", "+") and not self.at_stop():
            self.take()
            operand = self.signed()
            return operand if token.text == "+" else self.node(NEG, token.start, (operand,))
        return self.postfix()

    def starts_atom(self) -> bool:
        t = self.text()
        if t is None or t in self.stops[-1]:
            return False
        if t in _CLOSE or t in ("+", "-", "^", "_", "'", "!", ",", r"\\", "&") or \
                t in _PLUS_MINUS or \
                t in _MULTIPLY or t in _DIVIDE:
            return False
        if t in RELATIONS or t in _CONDITION_RELATIONS:
            return False
        return t != r"\end{cases}"

    # -- postfix: powers, primes, factorials
    def postfix(self, atom: Node | None = None, call: bool = True) -> Node:
        start_token = self.peek()
        base = self.atom(call=call) if atom is None else atom
        start = base.span[0] if start_token is None else min(base.span[0], start_token.start)
        while True:
            t = self.text()
            if t == "^":
                caret = self.take()
                if self._transpose():
                    raise Unreadable("a transpose (vectors and matrices are not checked)",
                                     caret.start)
                primes = self.prime_superscript()
                if primes:
                    base = self.primed(base, primes, caret.start)
                    continue
                exponent = self.script(caret)
                if base.kind == APPLY:  # f(x)^2 or a(1+x)^2: the reader knows which
                    if base.extra.get("after") is not None:
                        raise Unreadable("a double superscript", caret.start)
                    base = Node(APPLY, (base.span[0], exponent.span[1]), base.args, base.value,
                                {**base.extra, "after": exponent})
                    continue
                base = self.node(POW, start, (base, exponent), end=exponent.span[1])
            elif t == "'":
                order = 0
                first = self.peek()
                assert first is not None
                while self.text() == "'":
                    self.take()
                    order += 1
                base = self.primed(base, order, first.start)
            elif t == "!":
                bang = self.take()
                if base.kind == APPLY:
                    raise Unreadable("a factorial after a name and a bracket (of which?)",
                                     bang.start)
                base = self.node(FACT, start, (base,), end=bang.end)
            elif t == "_":
                raise Unreadable("a subscript on something that is not a name", self.where())
            else:
                return base

    def _transpose(self) -> bool:
        r"""``^T``, ``^\top``, ``^{\mathsf{T}}``, ``^{[1]T}``: a transpose, not a power."""
        if self.peek() is None:
            return False
        inside, end = _argument(self.tokens, self.i, "^")
        if len(inside) == 1 and inside[0].text in _TEXT | frozenset(_STYLES):
            inside, _ = _argument(self.tokens, end, "^")  # ^\mathsf{T}: the command's argument
        text = "".join(t.text for t in inside if t.text not in _TEXT and t.text not in _STYLES)
        text = text.replace("{", "").replace("}", "")
        marks = ("T", r"\top", r"\intercal", r"\mathsf{T}")
        if text in marks:
            return True
        return bool(inside) and inside[0].text in ("[", "(") and text.endswith(marks)

    def prime_superscript(self) -> int:
        r"""``^\prime``, ``^{\prime\prime}``: the number of primes (0 if it is a power)."""
        if self.text() == r"\prime":
            self.take()
            return 1
        if self.text() == "{" and self.text(1) == r"\prime":
            j = 1
            while self.text(j) == r"\prime":
                j += 1
            if self.text(j) == "}":
                self.i += j + 1
                return j - 1
        return 0

    def script(self, caret: _Tok) -> Node:
        """The argument of ``^``: one token or a brace group (TeX's rule)."""
        token = self.peek()
        if token is None:
            raise Unreadable("a superscript with nothing after it", caret.start)
        self.nested(token.start)
        try:
            if token.text == "{":
                self.take()
                inner = self.expression(frozenset(["}"]))
                self.expect("}")
                return inner
            if token.text in ("-", "+"):
                raise Unreadable(f"a superscript that is only {token.text!r} (write ^{{-1}})",
                                 token.start)
            if token.text.isdecimal():
                self.take()
                after = self.peek()
                if after is not None and after.text.isdecimal() and not after.spaced:
                    raise Unreadable(f"^{token.text}{after.text}: TeX raises only the "
                                     f"{token.text} (write ^{{{token.text}{after.text}}})",
                                     token.start)
                return self.node(NUM, token.start, value=Fraction(int(token.text)),
                                 extra=(0, False))
            return self.atom(single=True)  # ^x, ^\alpha: one atom, nothing after it
        finally:
            self.state.depth -= 1

    def primed(self, base: Node, order: int, at: int) -> Node:
        self.order(order, at)
        end = self.tokens[self.i - 1].end
        if base.kind == APPLY and base.extra.get("after") is None:
            return Node(APPLY, (base.span[0], end), base.args, base.value,
                        {**base.extra, "prime": base.extra["prime"] + order})
        if base.kind == FUNC and base.extra.get("arg_given"):
            extra = {**base.extra, "prime": base.extra.get("prime", 0) + order}
            return Node(FUNC, (base.span[0], end), base.args, base.value, extra)
        if base.kind == NAME:
            # f'(x): a prime on a function, applied to its arguments
            if self.text() == "(":
                args = self.arguments()
                self.state.primed.add(base.value)
                return self.node(APPLY, base.span[0], args, base.value,
                                 {"prime": order, "power": None, "word": False})
            self.state.primed.add(base.value + "'")  # u': u may be a function of the variable
            return self.node(QPRIME, base.span[0], (), base.value, order, end=end)
        if base.kind == GROUP:
            return self.node(PRIME, base.span[0], (base,), None, order, end=end)
        raise Unreadable("cannot tell what the prime applies to", at)

    # -- atoms
    def atom(self, single: bool = False, call: bool = True) -> Node:
        token = self.peek()
        if token is None:
            raise Unreadable("the term ends too early", self.source_end)
        t = token.text
        if t[0].isdecimal() or (t == "." and self.text(1) is not None and
                              str(self.text(1)).isdecimal()):
            return self.number(single)
        if t in _OPEN:
            return self.group()
        if t in _BARS and t != r"\mid":
            return self.absolute()
        if t in FRACTIONS or t == r"\frac":
            return self.fraction()
        if t in (r"\binom", r"\dbinom", r"\tbinom"):
            self.take()
            self.nested(token.start)
            top = self.braced(t)
            bottom = self.braced(t)
            self.state.depth -= 1
            return self.node(BINOM, token.start, (top, bottom))
        if t == r"\sqrt":
            return self.root()
        if t in FUNCTION_COMMANDS:
            return self.function(FUNCTION_COMMANDS[t], single)
        if t == r"\Pr":
            self.take()
            return self.probability(token.start, "P")
        if t == r"\begin{cases}":
            return self.cases()
        if t == r"\pi":
            self.take()
            return self.node(CONST, token.start, value="pi")
        if t in (r"\sum", r"\prod"):
            return self.big_operator()
        if t == r"\infty":
            raise Unreadable("infinity is not checked", token.start)
        if t in _ELLIPSES or t == "\u2026":
            raise Unreadable("an ellipsis (…) stands for terms that are not written",
                             token.start)
        if t == r"\partial":
            raise Unreadable("\\partial outside a fraction \\frac{\\partial …}{\\partial …}",
                             token.start)
        if t in REFUSED and t not in _STYLES:
            raise Unreadable(REFUSED[t], token.start)
        if t == r"\mathbb":
            return self.blackboard()
        if t in (r"\|", r"\Vert", r"\lVert"):
            raise Unreadable("norms (of vectors) are not checked", token.start)
        if t == "%":
            raise Unreadable("a '%' (a comment in TeX; write \\% for per cent)", token.start)
        if t in RELATIONS or t in _CONDITION_RELATIONS:
            raise Unreadable(f"a relation inside a term: {t!r}", token.start)
        if t in (r"\\", "&"):
            raise Unreadable(f"{t!r} outside a cases environment", token.start)
        return self.name_or_word(single, call)

    def big_operator(self) -> Node:
        r"""``\sum_{i=1}^{n} …``, ``\sum_i …``, ``\prod_{i=1}^{N} …``: the summand is the product
        that follows (``\sum_i x_i y_i + c`` is (Σ x_i y_i) + c)."""
        command = self.take()
        what = "sum" if command.text == r"\sum" else "product"
        self.nested(command.start)
        self.state.sums += 1
        if self.state.sums > MAX_SUM_NESTING:
            raise Unreadable(f"{what}s nested more than {MAX_SUM_NESTING} deep", command.start)
        below: list[_Tok] | None = None
        above: list[_Tok] | None = None
        while self.text() in ("_", "^"):
            script = self.take()
            inside, self.i = _argument(self.tokens, self.i, script.text)
            if script.text == "_" and below is None:
                below = inside
            elif script.text == "^" and above is None:
                above = inside
            else:
                raise Unreadable(f"a {what} with two {script.text!r} scripts", script.start)
        if below is None:
            example = r"\sum_{i=1}^{n}" if what == "sum" else r"\prod_{i=1}^{n}"
            raise Unreadable(f"a {what} without its index (write {example})", command.start)
        equals = [k for k, tok in enumerate(below) if tok.text == "="]
        index_tokens = below[:equals[0]] if equals else below
        index = _Parser(list(index_tokens), index_tokens[-1].end if index_tokens else 0)
        try:
            name = index.atom(single=True) if index_tokens else None
        except Unreadable:
            name = None
        if name is None or name.kind != NAME or index.i != len(index_tokens) or \
                len(str(name.value)) != 1 or not str(name.value).isalpha():
            raise Unreadable(f"a {what} over {''.join(tok.text for tok in below)!r} (only an "
                             "index letter with bounds, \\sum_{i=1}^{n}, or alone, \\sum_i, "
                             "is read)", command.start)
        bounds: tuple[Node, ...] = ()
        if equals:
            if above is None:
                raise Unreadable(f"a {what} with a lower bound and no upper bound",
                                 command.start)
            bounds = (self.bound(below[equals[0] + 1:], command.start),
                      self.bound(above, command.start))
        elif above is not None:
            raise Unreadable(f"a {what} with an upper bound and no lower bound (write "
                             f"_{{{name.value}=1}})", command.start)
        if self.at_stop() or not (self.starts_atom() or self.text() in ("-", "+")):
            raise Unreadable(f"a {what} with nothing after it", command.start)
        body = self.product()
        self.state.sums -= 1
        self.state.depth -= 1
        return self.node(SUM, command.start, (body, *bounds), name.value, what,
                         end=body.span[1])

    def bound(self, tokens: list[_Tok], start: int) -> Node:
        """A bound of a sum (``1``, ``n``, ``n-1``), read as a term of its own."""
        if not tokens:
            raise Unreadable("an empty bound of a sum", start)
        inner = _Parser(tokens, tokens[-1].end)
        inner.state = self.state
        value = inner.expression()
        if inner.i != len(tokens):
            raise Unreadable("cannot read the bound of the sum", tokens[inner.i].start)
        return value

    def braced(self, what: str) -> Node:
        token = self.peek()
        if token is None:
            raise Unreadable(f"{what} is missing its argument", self.source_end)
        if token.text == "{":
            self.take()
            inner = self.expression(frozenset(["}"]))
            self.expect("}")
            return inner
        return self.atom(single=True)

    def group(self) -> Node:
        opening = self.take()
        closing = _OPEN[opening.text]
        self.nested(opening.start)
        if self.text() == closing:
            raise Unreadable(f"an empty {opening.text}{closing}", opening.start)
        inner = self.expression(frozenset([closing, ","]))
        if self.text() == ",":
            raise Unreadable("a list in brackets (a point or an interval?) is not a number",
                             self.where())
        self.expect(closing)
        self.state.depth -= 1
        if opening.text == "{":  # a TeX group: no bracket on the page
            return inner
        return self.node(GROUP, opening.start, (inner,))

    def arguments(self) -> tuple[Node, ...]:
        """``(a, b, …)``: the arguments of a function."""
        opening = self.take()
        closing = _OPEN[opening.text]
        self.nested(opening.start)
        args = [self.expression(frozenset([closing, ","]))]
        while self.text() == ",":
            self.take()
            args.append(self.expression(frozenset([closing, ","])))
        self.expect(closing)
        self.state.depth -= 1
        return tuple(args)

    def absolute(self) -> Node:
        opening = self.take()
        closing = _BARS[opening.text]
        self.nested(opening.start)
        stops = frozenset([closing, "|"] if closing in ("|", r"\vert") else [closing])
        inner = self.expression(stops)
        if self.text() not in stops:
            raise Unreadable("an unclosed |", opening.start)
        self.take()
        self.state.depth -= 1
        return self.node(ABS, opening.start, (inner,))

    def number(self, single: bool) -> Node:
        first = self.peek()
        assert first is not None
        digits = ""
        if single:  # ^23 is handled by the caller; a lone digit here
            if not first.text.isdecimal():
                raise Unreadable(f"cannot read {first.text!r} here", first.start)
            self.take()
            return self.node(NUM, first.start, value=Fraction(int(first.text)), extra=(0, False))
        while True:
            t = self.text()
            token = self.peek()
            if t is not None and t.isdecimal() and (not digits or token is not None and
                                                   not token.spaced):
                digits += self.take().text
            elif t == "." and "." not in digits and self.text(1) is not None and \
                    str(self.text(1)).isdecimal() and not self._spaced(1):
                digits += self.take().text
            elif t == "{" and self.text(1) == "," and self.text(2) == "}" and \
                    "." not in digits and self._three_digits(3):
                self.i += 3
            elif t == "," and not self._spaced(0) and "." not in digits and \
                    "," not in self.stops[-1] and self._group_ok(digits) and \
                    self._three_digits(1):
                self.take()
            else:
                break
        if not any(c.isdecimal() for c in digits):
            raise Unreadable("a '.' that is not part of a number", first.start)
        if self.text() in ("e", "E") and not self._spaced(0) and self.peek(1) is not None and \
                (str(self.text(1)).isdecimal() or self.text(1) in ("-", "+")):
            raise Unreadable(f"{digits}{self.text()}…: scientific notation (write "
                             f"{digits} \\times 10^{{…}}; e is Euler's number)", first.start)
        value = Fraction(digits)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        truncated = False
        if self.text() in _ELLIPSES or (self.text() == "." and self.text(1) == "." and
                                        self.text(2) == "."):
            if self.text() == r"\cdots":
                raise Unreadable("\\cdots after a number (terms left out?)", self.where())
            self.i += 1 if self.text() != "." else 3
            truncated = True
        if self.text() == r"\%":
            self.take()
            value /= 100
            decimals += 2
        return self.node(NUM, first.start, value=value, extra=(decimals, truncated))

    @staticmethod
    def _group_ok(digits: str) -> bool:
        """Digits so far can stand before a thousands comma: 1 to 3 digits, then groups."""
        first = digits[:len(digits) % 3 or 3]
        return bool(digits) and not digits.startswith("0") and 1 <= len(first) <= 3

    def _three_digits(self, k: int) -> bool:
        """Three digits at ``k`` (no spaces) and no fourth: a thousands group."""
        for j in range(k, k + 3):
            token = self.peek(j)
            if token is None or not token.text.isdecimal() or (j > k and token.spaced):
                return False
        after = self.peek(k + 3)
        return after is None or not (after.text.isdecimal() and not after.spaced)

    def fraction(self) -> Node:
        command = self.take()
        self.nested(command.start)
        start = self.i
        numerator_tokens, j = _argument(self.tokens, self.i, command.text)
        denominator_tokens, end = _argument(self.tokens, j, command.text)
        derivative = self.derivative(command, numerator_tokens, denominator_tokens, end)
        if derivative is not None:
            self.state.depth -= 1
            return derivative
        self.i = start
        top = self.braced(command.text)
        bottom = self.braced(command.text)
        self.state.depth -= 1
        return self.node(DIV, command.start, (top, bottom), extra="frac")

    @staticmethod
    def _differential(tokens: list[_Tok]) -> tuple[str, list[_Tok]] | None:
        """``d``/``\\mathrm{d}``/``\\partial`` at the start of ``tokens``: (which, the rest)."""
        if not tokens:
            return None
        if tokens[0].text in ("d", r"\partial", r"\mathrm{d}"):
            return ("partial" if tokens[0].text == r"\partial" else "d"), tokens[1:]
        if tokens[0].text in (r"\mathrm", r"\operatorname", r"\text", r"\mathit") and \
                len(tokens) >= 4 and tokens[1].text == "{" and tokens[2].text == "d" and \
                tokens[3].text == "}":
            return "d", tokens[4:]
        if tokens[0].text in (r"\mathrm", r"\operatorname") and len(tokens) >= 2 and \
                tokens[1].text == "d":
            return "d", tokens[2:]
        return None

    def _order_of(self, tokens: list[_Tok]) -> tuple[int, list[_Tok]]:
        """``^2`` or ``^{2}`` at the start of ``tokens``: (the order, the rest)."""
        if tokens and tokens[0].text == "^":
            exponent, used = _argument(tokens, 1, "^")
            text = "".join(t.text for t in exponent)
            if not text.isdecimal():
                raise Unreadable(f"a derivative of order {text!r}", tokens[0].start)
            return self.order(int(text), tokens[0].start), tokens[used:]
        return self.order(1, tokens[0].start if tokens else 0), tokens

    def derivative(self, command: _Tok, numerator: list[_Tok], denominator: list[_Tok],
                   end: int) -> Node | None:
        r"""``\frac{d}{dx}``, ``\frac{dL}{da}``, ``\frac{\partial^2 L}{\partial w^2}``, or None."""
        top = self._differential(numerator)
        bottom = self._differential(denominator)
        if top is None or bottom is None or not bottom[1]:
            return None
        if any(t.text == r"\partial" for t in bottom[1]):
            raise Unreadable("mixed partial derivatives are not checked", command.start)
        order, rest = self._order_of(top[1])
        variable_tokens = bottom[1]
        exponent = 1
        carets = [k for k, t in enumerate(variable_tokens) if t.text == "^"]
        if carets:  # dx^2: the order; a^{[2]}: an index, part of the variable's name
            k = carets[-1]
            written, used = _argument(variable_tokens, k + 1, "^")
            text = "".join(t.text for t in written)
            if used == len(variable_tokens) and text.isdecimal():
                exponent = int(text)
                variable_tokens = variable_tokens[:k]
        power = 1  # \frac{\partial \ell}{\partial \sigma^2}: by the quantity σ², order 1
        if exponent != order:
            if order != 1:
                raise Unreadable("the orders of the derivative's numerator and denominator "
                                 "differ", command.start)
            power, exponent = exponent, 1
        variable = _Parser(variable_tokens, variable_tokens[-1].end if variable_tokens else 0)
        try:
            name = variable.atom()
        except Unreadable:
            name = None
        if name is None or name.kind != NAME or variable.i != len(variable_tokens):
            raise Unreadable("cannot read the variable of the derivative d"
                             + "".join(t.text for t in variable_tokens), command.start)
        self.i = end
        if rest:  # \frac{dL}{da}: the operand is in the numerator
            inner = _Parser(rest, rest[-1].end)
            inner.state = self.state
            operand = inner.expression()
            if inner.i != len(rest):
                raise Unreadable("cannot read the numerator of the derivative", rest[0].start)
            if self.text() in ("(", "[") and not self._spaced(0):
                raise Unreadable("a derivative followed by a bracket (evaluated there, or "
                                 "multiplied? Write a space or \\cdot for a product)",
                                 command.start)
        else:  # \frac{d}{dx} …: an operator on the product that follows
            if not self.starts_atom() and self.text() not in ("-", "+"):
                raise Unreadable("a derivative operator with nothing to differentiate",
                                 command.start)
            operand = self.product()
        if power != 1:
            return self.node(DERIV, command.start, (operand,), name.value, (order, power))
        return self.node(DERIV, command.start, (operand,), name.value, order)

    def root(self) -> Node:
        command = self.take()
        self.nested(command.start)
        index = None
        if self.text() == "[":
            self.take()
            index = self.expression(frozenset(["]"]))
            self.expect("]")
        radicand = self.braced(r"\sqrt")
        self.state.depth -= 1
        return self.node(ROOT, command.start, (radicand,) if index is None else (radicand, index))

    def function(self, function: str, single: bool, start: int | None = None,
                 word: str | None = None) -> Node:
        """A known function: ``\\sin x``, ``\\log_2 x``, ``\\tanh'(x)``, ``\\sin^2 x``."""
        if start is None:
            command = self.take()
            start = command.start
        assert start is not None
        power = None
        base = None
        prime = 0
        bare = False  # the argument is the next atom, written without parentheses
        while True:
            t = self.text()
            if t == "_" and function in ("log", "Max", "Min"):
                caret = self.take()
                if function != "log":
                    raise Unreadable(f"\\{function.lower()} over an index is not checked",
                                     caret.start)
                base = self.script(caret)
            elif t == "^" and power is None:
                caret = self.take()
                primes = self.prime_superscript()
                if primes:
                    prime += self.order(primes, caret.start)
                    continue
                power = self.script(caret)
                if power.kind == NEG or (power.kind == NUM and power.value < 0):
                    raise Unreadable("a function to a negative power (\\sin^{-1}: the "
                                     "inverse or the reciprocal?)", caret.start)
            elif t == "'":
                first = self.take()
                self.order(1, first.start)
                prime += 1
            else:
                break
        if self.text() in ("(", "[") or (self.text() == "{" and function in ("Max", "Min")) or \
                self.text() == r"\{":
            args = self.arguments()
        elif self.text() == "{" and self.text(1) == "(" :  # SymPy's own \log{\left(x \right)}
            self.take()
            args = self.arguments()
            self.expect("}")
        else:
            if function in ("Max", "Min", "softmax"):
                raise Unreadable(f"{function.lower()} without parentheses", start)
            args = (self.next_atom(start),)
            bare = True
        index = None
        if function == "softmax":  # softmax(z_1, z_2)_1: one component of the vector
            if self.text() != "_" or len(args) < 2:
                raise Unreadable("softmax is a vector: write one component, "
                                 r"\mathrm{softmax}(z_1, z_2)_1", start)
            self.take()
            inside, self.i = _argument(self.tokens, self.i, "_")
            index = "".join(t.text for t in inside)
            if not index.isdecimal() or not 1 <= int(index) <= len(args):
                raise Unreadable(f"softmax component {index!r} of {len(args)}", start)
        extra = {"power": power, "base": base, "prime": prime, "arg_given": True, "word": word,
                 "index": None if index is None else int(index), "bare": bare}
        return self.node(FUNC, start, args, function, extra)

    def next_atom(self, start: int) -> Node:
        """The argument of a function written without parentheses: the next atom."""
        token = self.peek()
        if token is None or not self.starts_atom():
            raise Unreadable("a function with no argument", start)
        braced = token.text == "{"
        argument = self.atom() if braced else self.postfix()
        if argument.kind == NUM:  # \sin 2x, \log 2\pi: a number written against letters
            argument = self.coefficient(argument)
            after = self.peek()
            if after is not None and after.spaced and (after.text.isalpha() or
                                                       after.text[1:] in GREEK):
                raise Unreadable(f"a function of a number, then {after.text} after a space "
                                 "(is it part of the argument? Use parentheses)", after.start)
        after = self.peek()
        if braced and after is not None and after.text == "^":
            raise Unreadable("a function of a braced argument with a power after it (is the "
                             "power on the argument or on the function? Use parentheses)",
                             after.start)
        if after is not None and not after.spaced and argument.kind in (NUM, NAME) and (
                after.text.isalpha() or after.text[1:] in GREEK or after.text.isdecimal()):
            raise Unreadable(f"a function followed by {token.text}{after.text} (write "
                             f"\\{{…}}(…) with parentheses: which part is the argument?)",
                             token.start)
        return argument

    def coefficient(self, number: Node) -> Node:
        """``2x``, ``2\\pi``: the names written directly after a number belong to it."""
        product = number
        while True:
            token = self.peek()
            if token is None or token.spaced or not (
                    (len(token.text) == 1 and token.text.isalpha() and token.text.isascii())
                    or token.text[1:] in GREEK):
                return product
            factor = self.postfix(call=False)
            product = self.node(MUL, number.span[0], (product, factor), end=factor.span[1])

    def probability(self, start: int, name: str) -> Node:
        """``P(A \\mid B)``: a named quantity, spelled canonically."""
        if self.text() not in ("(", "["):
            raise Unreadable(f"{name} without parentheses", start)
        opening = self.take()
        closing = _OPEN[opening.text]
        depth, parts = 1, []
        while True:
            token = self.peek()
            if token is None:
                raise Unreadable(f"an unclosed {opening.text}", opening.start)
            if token.text == opening.text:
                depth += 1
            elif token.text == closing:
                depth -= 1
                if depth == 0:
                    self.take()
                    break
            piece = _PROBABILITY_MARKS.get(token.text, token.text)
            if piece.startswith("\\") and piece[1:] in GREEK:
                piece = piece[1:] + " "
            parts.append(piece)
            self.take()
        inside = "".join(parts).strip()
        if not inside:
            raise Unreadable(f"an empty {name}()", start)
        return self.node(PROB, start, (), f"{name}({inside.replace(' ', '')})")

    def blackboard(self) -> Node:
        token = self.take()
        letters, j = _argument(self.tokens, self.i, r"\mathbb")
        self.i = j
        letter = "".join(t.text for t in letters)
        if letter == "P":
            return self.probability(token.start, "P")
        if letter == "E":
            raise Unreadable("expectations are not checked", token.start)
        raise Unreadable("sets are not checked", token.start)

    # -- names
    def name_or_word(self, single: bool, call: bool = True) -> Node:
        token = self.peek()
        assert token is not None
        t = token.text
        if t.isalpha() and len(t) == 1 and t.isascii():
            run = self.letter_run()
            word = "".join(x.text for x in run)
            if len(run) > 1 and word.lower() in FUNCTION_WORDS:
                if self.text(len(run)) not in ("(", "'"):
                    raise Unreadable(f"{word} written as letters (write \\{word.lower()} or "
                                     f"{word}(…) with parentheses)", token.start)
                self.i += len(run)
                return self.function(FUNCTION_WORDS[word.lower()], single, token.start, word)
            if t == "E" and self.text(1) == "[":
                raise Unreadable("expectations are not checked", token.start)
            if t == "P" and self.text(1) in ("(", "[") and not (
                    self.peek(1) and self.peek(1).spaced):  # type: ignore[union-attr]
                self.take()
                return self.probability(token.start, "P")
        base = self.base_name()
        if base is None:
            if t.startswith("\\"):
                raise Unreadable(f"an unknown command {t}", token.start)
            raise Unreadable(f"cannot read {t!r} here", token.start)
        name, is_word = base
        if is_word:
            key = name.lower().replace(" ", "").replace("_", "").replace("-", "")
            if key in FUNCTION_WORDS:  # \mathrm{ReLU}(x), \operatorname{sech}^2 x
                return self.function(FUNCTION_WORDS[key], single, token.start, name)
            if t in (r"\operatorname", r"\mathop") and self.text() != "(" and \
                    (self.starts_atom() or self.text() in ("^", "'")):
                raise Unreadable(f"\\operatorname{{{name}}} without parentheses (an unknown "
                                 "function: write its argument in parentheses)", token.start)
        if name == "e" and self.text() != "_":
            return self.node(CONST, token.start, value="E")
        if name in ("P", "p") and self.text() == "(" and self._has_bar():
            return self.probability(token.start, name)
        if not is_word and name != "P" and self.text() == "(" and self._has_bar():
            return self.probability(token.start, name)
        name = self.scripts(name)
        if name.endswith(")}") and self.text() == "(" and "^{(" in name:
            head, _, order_text = name.rpartition("^{(")
            if order_text[:-2].isdecimal():  # f^{(3)}(x): the third derivative
                order = self.order(int(order_text[:-2]), token.start)
                args = self.arguments()
                self.state.primed.add(head)
                return self.node(APPLY, token.start, args, head,
                                 {"prime": order, "power": None, "word": False})
        if self.text() == "^" and r"\prime" in (self.text(1), self.text(2)) and not single:
            caret = self.take()
            primes = self.prime_superscript()  # f^\prime(x), y^{\prime\prime}
            if primes:
                named = self.node(NAME, token.start, value=name)
                return self.primed(named, primes, caret.start)
            self.i -= 1
        if self.text() == "{" and self.text(1) == "(" and not single and call and \
                self._braced_call():  # SymPy's own f{\left(x \right)}
            self.take()
            node = self.application(token.start, name, word=is_word)
            self.expect("}")
            return node
        if self.text() == "(" and not single and call:
            return self.application(token.start, name, word=is_word)
        if self.text() == "^" and not single and call and self._power_then_call():
            caret = self.take()
            power = self.script(caret)
            return self.application(token.start, name, power, word=is_word)
        return self.node(NAME, token.start, value=name, extra="word" if is_word else None)

    def _braced_call(self) -> bool:
        """``{(…)}``: a brace group holding exactly one parenthesised group."""
        inside, _ = _argument(self.tokens, self.i, "{")
        depth = 0
        for k, token in enumerate(inside):
            depth += 1 if token.text in _OPEN else -1 if token.text in _CLOSE else 0
            if depth == 0 and k != len(inside) - 1:
                return False
        return bool(inside) and inside[-1].text == ")"

    def _has_bar(self) -> bool:
        """A ``|`` or ``\\mid`` at the top level of the group that starts here."""
        depth = 0
        for j in range(self.i, len(self.tokens)):
            t = self.tokens[j].text
            if t in _OPEN:
                depth += 1
            elif t in _CLOSE:
                depth -= 1
                if depth == 0:
                    return False
            elif depth == 1 and t in ("|", r"\mid", r"\vert"):
                return True
        return False

    def _power_then_call(self) -> bool:
        """``f^2(x)``, ``a^2(1-a)``: a power directly followed by parentheses."""
        _, end = _argument(self.tokens, self.i + 1, "^")
        return end < len(self.tokens) and self.tokens[end].text == "("

    def application(self, start: int, name: str, power: Node | None = None,
                    word: bool = False) -> Node:
        opening = self.peek()
        assert opening is not None
        args = self.arguments()
        return self.node(APPLY, start, args, name, {"prime": 0, "power": power, "word": word})

    def letter_run(self) -> list[_Tok]:
        run = [self.tokens[self.i]]
        j = self.i + 1
        while j < len(self.tokens):
            token = self.tokens[j]
            if token.spaced or len(token.text) != 1 or not token.text.isalpha() or \
                    not token.text.isascii() or token.start != run[-1].end:
                break
            run.append(token)
            j += 1
        return run

    def base_name(self) -> tuple[str, bool] | None:
        """A letter, ``\\alpha``, ``\\hat{y}``, ``\\mathbf{w}``, ``\\mathrm{ReLU}``: name, word?"""
        token = self.take()
        t = token.text
        if len(t) == 1 and t.isalpha() and t.isascii():
            return t, False
        if t == r"\Delta" and self.peek() is not None and len(self.text() or "") == 1 and \
                str(self.text()).isalpha():
            return f"Delta {self.take().text}", False  # \Delta x: one quantity, not Δ·x
        if t[1:] in GREEK or t in (r"\ell", r"\varsigma", r"\digamma", r"\hbar", r"\imath"):
            return t[1:], False
        if t in _ACCENTS or t in _STYLES:
            inside, self.i = _argument(self.tokens, self.i, t)
            inner = _Parser(inside, inside[-1].end if inside else token.end)
            found = None
            try:
                found = inner.base_name() if inside else None
            except Unreadable:
                found = None
            name, is_word = found if found is not None else (None, False)
            if name is None or inner.i != len(inside) or is_word:
                raise Unreadable(f"{t}{{{''.join(x.text for x in inside)}}}: a decoration of "
                                 "more than one letter", token.start)
            if t == r"\mathbb":
                raise Unreadable("sets are not checked", token.start)
            letter = f"\\{name}" if name in GREEK or name == "ell" else name
            return f"{_ACCENTS.get(t) or _STYLES[t]}{{{letter}}}", False
        if t in _TEXT:
            inside, self.i = _argument(self.tokens, self.i, t)
            word = _word(inside)
            if word == "d" and t in (r"\mathrm", r"\operatorname", r"\rm"):
                raise Unreadable("a differential \\mathrm{d} outside a derivative (integrals "
                                 "and differentials are not checked)", token.start)
            if len(word) == 1 and word.isalpha():
                return word, False
            if word.startswith("\\") and word[1:] in GREEK:
                return word[1:], False
            if not word or not all(c.isalnum() or c in " _-" for c in word):
                raise Unreadable(f"{t}{{{word}}}: text inside a term", token.start)
            return word, True
        return None

    def scripts(self, name: str) -> str:
        r"""``w_1``, ``x_{i}``, ``W^{[1]}``, ``a^{(i)}_j``, ``w^*``: the scripts of a name."""
        sub = index = star = None
        while True:
            if self.text() == "_" and sub is None:
                underscore = self.take()
                inside, self.i = _argument(self.tokens, self.i, "_")
                sub = _script_text(inside)
                if not sub:
                    raise Unreadable("an empty subscript", underscore.start)
                after = self.peek()
                if len(inside) == 1 and inside[0].text.isdecimal() and after is not None and \
                        after.text.isdecimal() and not after.spaced and \
                        after.start == inside[0].end:
                    raise Unreadable(f"_{inside[0].text}{after.text}: TeX lowers only the "
                                     f"{inside[0].text} (write _{{{inside[0].text}"
                                     f"{after.text}}})", underscore.start)
            elif self.text() == "^" and star is None and self._star_superscript():
                self.take()  # w^*, \theta^\star, w^{*}: the optimum, a name of its own
                _, self.i = _argument(self.tokens, self.i, "^")
                star = "*"
            elif self.text() == "^" and index is None and self.text(1) == "{" and \
                    self.text(2) in ("(", "[") and self._index_superscript():
                self.take()
                inside, self.i = _argument(self.tokens, self.i, "^")
                index = _script_text(inside)
            else:
                break
        if index is not None:
            name = f"{name}^{{{index}}}"
        if star is not None:
            name = f"{name}^{{*}}"
        if sub is not None:
            name = f"{name}_{{{sub}}}"
        return name

    def _star_superscript(self) -> bool:
        r"""``^*``, ``^\star``, ``^\ast``, ``^{*}``: a star marking a name (the optimum ``w^*``)."""
        stars = ("*", r"\star", r"\ast")
        if self.text(1) in stars:
            return True
        return self.text(1) == "{" and self.text(2) in stars and self.text(3) == "}"

    def _index_superscript(self) -> bool:
        """``^{(i)}``, ``^{[l]}``, ``^{(2)}``: one bracket holding a name or a number."""
        inside, _ = _argument(self.tokens, self.i + 1, "^")
        if len(inside) < 3 or inside[-1].text != _OPEN[inside[0].text]:
            return False
        middle = inside[1:-1]
        if inside[0].text == "(":  # z^{(i)}, a^{(1)}: one letter or number; x^{(a+b)} is a power
            if all(t.text.isdecimal() for t in middle):
                return True
            return len(middle) == 1 and (middle[0].text.isalnum() or middle[0].text[1:] in GREEK)
        return all(t.text.isalnum() or t.text[1:] in GREEK or t.text in "+-," for t in middle)

    # -- cases
    def cases(self) -> Node:
        begin = self.take()
        self.nested(begin.start)
        rows: list[Node] = []
        while self.text() != r"\end{cases}":
            if self.peek() is None:
                raise Unreadable("an unclosed cases environment", begin.start)
            value = self.expression(frozenset(["&", r"\\", r"\end{cases}"]))
            condition: Node | None = None
            if self.text() == "&":
                self.take()
                condition = self.condition()
            rows.append(self.node(GROUP, value.span[0], (value,) if condition is None
                                  else (value, condition)))
            if self.text() == r"\\":
                self.take()
        self.expect(r"\end{cases}")
        self.state.depth -= 1
        if not rows:
            raise Unreadable("an empty cases environment", begin.start)
        return self.node(PIECEWISE, begin.start, tuple(rows))

    def condition(self) -> Node:
        """The condition of a row of ``cases``: ``x > 0``, ``0 < x < 1``, ``\\text{otherwise}``."""
        start_token = self.peek()
        start = self.source_end if start_token is None else start_token.start
        parts: list[Node] = []
        words = []
        while self.text() not in (r"\\", r"\end{cases}", None):
            t = self.text()
            if t in _TEXT:
                token = self.take()
                inside, self.i = _argument(self.tokens, self.i, t)
                word = _word(inside).strip("()（） ,.")
                words.append(word)
                if word.lower() in ("if", "for", "when", "and", "where", ""):
                    continue
                if word.lower() in _OTHERWISE or word in _OTHERWISE:
                    parts.append(self.node(CONST, token.start, value="otherwise"))
                    continue
                lead = word.lower().split(" ", 1)
                if lead[0] in ("if", "for", "when") and len(lead) == 2 and \
                        lead[1] in _OTHERWISE:
                    parts.append(self.node(CONST, token.start, value="otherwise"))
                    continue
                raise Unreadable(f"a condition {word!r} in cases", token.start)
            if t in (",", r"\land", r"\wedge", ";", r"\quad", r"\qquad"):
                self.take()
                continue
            stops = frozenset(_CONDITION_RELATIONS) | frozenset([r"\\", r"\end{cases}", ",",
                                                                 *_TEXT])
            terms = [self.expression(stops)]
            relations = []
            while self.text() in _CONDITION_RELATIONS:
                relations.append(_CONDITION_RELATIONS[self.take().text])
                terms.append(self.expression(stops))
            if not relations:
                raise Unreadable("a condition in cases that is not a comparison", start)
            for (left, right), relation in zip(zip(terms, terms[1:], strict=False), relations,
                                               strict=True):
                parts.append(self.node(COMPARE, left.span[0], (left, right), relation,
                                       end=right.span[1]))
        if not parts:
            if words:
                raise Unreadable(f"a condition {' '.join(words)!r} in cases", start)
            return self.node(CONST, start, value="otherwise", end=start)
        return self.node(ALL, start, tuple(parts))


def _script_text(tokens: Sequence[_Tok]) -> str:
    """The canonical text of a sub- or superscript: ``i``, ``ij``, ``(i)``, ``\\text{new}``."""
    out = ""
    for t in tokens:
        text = t.text
        if text.startswith("\\") and text[1:] in GREEK:
            text = text + " "
        out += text
    return out.strip().replace(" }", "}").replace(" _", "_")


@dataclass(frozen=True)
class ParsedTerm:
    """A term's tree, its source, and the names written with a prime (functions, then)."""

    tree: Node
    text: str
    offset: int
    primed: frozenset[str]


def parse_term(text: str, offset: int = 0) -> ParsedTerm:
    r"""Parse one term (no relations) of LaTeX maths; :class:`Unreadable` names what is not read.

    ``offset`` is where ``text`` starts in the post, so spans and refusals
    point into the post.

    >>> parse_term(r"f'(x) + \frac{d}{dx} x^2").primed
    frozenset({'f'})
    >>> parse_term(r"\frac{d^{1000}}{dx^{1000}} e^{x^2}")
    Traceback (most recent call last):
    ...
    probkit.symbolic.lint.latex.Unreadable: a derivative of order 1000 (at most 12 are taken)
    """
    tokens = _clean(text, offset)
    if not tokens:
        raise Unreadable("an empty term", offset)
    parser = _Parser(tokens, offset + len(text.rstrip()))
    tree = parser.expression()
    if parser.i != len(tokens):
        token = tokens[parser.i]
        raise Unreadable(f"cannot read {token.text!r} here", token.start)
    return ParsedTerm(tree, text, offset, frozenset(parser.state.primed))


def parse(text: str) -> Node:
    """The tree of ``text`` (a term); see :func:`parse_term`."""
    return parse_term(text).tree


__all__ = ["FUNCTION_COMMANDS", "FUNCTION_WORDS", "MAX_DERIVATIVE_ORDER", "MAX_NESTING",
           "MAX_SUM_NESTING",
           "MAX_NODES", "Node", "ParsedTerm", "parse", "parse_term"]
