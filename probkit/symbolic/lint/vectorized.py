r"""Vectorized backprop in a post: matrix statements read and judged by the matrix chain.

A post is *vectorized* when its maths names layers (``W^{[1]}``, ``dZ^{[2]}``) or
declares shapes (``X \in \mathbb{R}^{n_x \times m}``, ``W^{[1]}.shape = (n_h, n_x)``,
``W^{[1]} : n_h \times n_x``, ``$W^{[1]}$ は $(n_h, n_x)$``). Its lines are then read
here, not by the scalar reader: shape declarations, the forward pass (``Z^{[1]} = W^{[1]} X
+ b^{[1]}``), the cost ``J``, and backward lines ``dW^{[2]} = \frac{1}{m} dZ^{[2]}
A^{[1]T}``. The forward pass and cost become a matrix chain
(:mod:`probkit.symbolic.matrix_chain`), and each backward line is judged on its own by
:func:`~probkit.symbolic.matrix_chain.check_gradient_formula` (the course's convention:
``dZ`` is m·∂J/∂Z, ``dW`` is ∂J/∂W) — its shapes, then its values at random sizes.

Reading is by a small recursive-descent translation of each right-hand side into the
chain's numpy notation: juxtaposition of two matrices is the matrix product, of a scalar
and a matrix the scaling; ``\odot`` and ``*`` are elementwise; ``^T``, ``^{\top}``,
``^{[1]T}`` transpose; ``\sum_{i=1}^{m}`` sums over the examples (the columns); a
lower-case name with ``^{(i)}`` is the column of its capital matrix. Anything else
(an unknown function, an index other than ``(i)``) is refused by name, and a backward
line whose chain or shapes are unknown is ``undecided``, never guessed.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from probkit.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from probkit.symbolic.lint.extract import MathBlock
    from probkit.symbolic.lint.report import CheckReport

MAX_STATEMENTS = 60
"""Backward lines judged per post (each costs a numeric check at several random sizes)."""

_LAYER = r"\^\{\[(?:\d|l|l-1|L)\]"
_VECTORIZED = re.compile(_LAYER + r"|\\mathbb\{R\}\^\{[^{}]*\\times|\.shape\s*=")

_NAME = re.compile(
    r"(?P<d>d?)(?P<letter>[A-Za-z])"
    r"(?:\^\{\[(?P<layer>\d)\](?P<ex>\(i\))?(?P<post>T|\\top|2|\\prime)?\}"
    r"|\^\{\((?P<ex2>i)\)\})?")
_DIM = r"(?:[A-Za-z](?:_[A-Za-z0-9]|_\{[A-Za-z0-9]+\})?|\d+|n\^\{\[\d\]\})"
_DECLARATIONS = (
    re.compile(r"(?P<name>[A-Za-z](?:\^\{\[\d\]\})?)\s*&?\\in\s*\\mathbb\{R\}\^\{\s*(?P<r>" + _DIM
               + r")\s*\\times\s*(?P<c>" + _DIM + r")\s*\}"),
    re.compile(r"(?P<name>[A-Za-z](?:\^\{\[\d\]\})?)\.shape\s*=\s*\(\s*(?P<r>" + _DIM
               + r")\s*,\s*(?P<c>" + _DIM + r")\s*\)"),
    re.compile(r"(?P<name>[A-Za-z](?:\^\{\[\d\]\})?)\s*:\s*(?P<r>" + _DIM + r")\s*\\times\s*(?P<c>"
               + _DIM + r")"),
    re.compile(r"\$(?P<name>[A-Za-z](?:\^\{\[\d\]\})?)\$(?:\s*の形状)?\s*は\s*\$\(\s*(?P<r>" + _DIM
               + r")\s*,\s*(?P<c>" + _DIM + r")\s*\)\$"),
)
_SCALAR_DECLARATION = re.compile(r"(?P<name>[A-Za-z])\s*\\in\s*\\mathbb\{R\}(?!\^)")

_FUNCTIONS = {r"\tanh": "tanh", r"\sigma": "sigmoid", r"\log": "log", r"\exp": "exp",
              r"\mathrm{ReLU}": "relu", r"\mathrm{softmax}": "softmax",
              r"\operatorname{softmax}": "softmax"}
_TOKEN = re.compile(
    r"\s*(?:(?P<np>(?:\\text\{)?np\.sum(?:\})?)|(?P<sum>\\sum_\{i=1\}\^\{?m\}?)"
    r"|(?P<frac>\\frac)|(?P<left>\\left)|(?P<right>\\right)"
    r"|(?P<func>\\tanh|\\sigma|\\log|\\exp|\\mathrm\{ReLU\}|\\mathrm\{softmax\}"
    r"|\\operatorname\{softmax\}|\\max)"
    r"|(?P<fro>\\\|[^|]*\\\|_F\^2)|(?P<indicator>\\mathbb\{1\})"
    r"|(?P<op>\\odot|\*|\+|-|,|=|\(|\)|\{|\}|\^|>|\[|\])"
    r"|(?P<keyword>(?:\\text\{)?(?:axis|keepdims|True)(?:\})?)"
    r"|(?P<lambda>\\lambda)|(?P<number>\d+(?:\.\d+)?)|(?P<name>d?[A-Za-z](?:\^\{[^{}]*\})?))")


class Unread(Exception):
    """A statement the translation does not read (the reason names what)."""


@dataclass(frozen=True)
class _Expr:
    code: str
    scalar: bool


class _Translator:
    """One right-hand side, LaTeX to the matrix chain's numpy notation."""

    def __init__(self, latex: str, scalars: frozenset[str]) -> None:
        self.latex = latex
        self.scalars = scalars
        self.tokens: list[tuple[str, str]] = []
        body = latex.strip().rstrip(".,")
        pos = 0
        while pos < len(body):
            if body[pos:].strip() == "":
                break
            match = _TOKEN.match(body, pos)
            if not match or match.end() == pos:
                raise Unread(f"cannot read {body[pos:pos + 20]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind).strip()))
            pos = match.end()
        self.i = 0
        self.per_example = 0  # inside a sum over examples: products are per example

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if value is not None and token[1] != value:
            raise Unread(f"expected {value!r}, found {token[1] or 'the end'!r}")
        self.i += 1
        return token

    def translate(self) -> str:
        expr = self.expr()
        if self.peek()[0] != "end":
            raise Unread(f"cannot read from {self.peek()[1]!r}")
        return expr.code

    def expr(self) -> _Expr:
        parts = [self.term()]
        ops: list[str] = []
        while self.peek()[1] in ("+", "-"):
            ops.append(self.take()[1])
            parts.append(self.term())
        code = parts[0].code + "".join(f" {op} {p.code}" for op, p in zip(ops, parts[1:],
                                                                          strict=True))
        return _Expr(code, all(p.scalar for p in parts))

    def term(self) -> _Expr:
        left = self.juxtaposed()
        while self.peek()[1] in (r"\odot", "*"):
            self.take()
            right = self.juxtaposed()
            left = _Expr(f"({left.code}) * ({right.code})", left.scalar and right.scalar)
        return left

    def juxtaposed(self) -> _Expr:
        left = self.signed()
        while self.starts_factor():
            right = self.postfix(self.primary())
            op = "*" if left.scalar or right.scalar or self.per_example else "@"
            left = _Expr(f"{left.code} {op} {right.code}", left.scalar and right.scalar)
        return left

    def starts_factor(self) -> bool:
        kind, value = self.peek()
        return kind in ("np", "sum", "frac", "left", "func", "lambda", "number", "name",
                        "fro", "indicator") \
            or value == "("

    def signed(self) -> _Expr:
        if self.peek()[1] == "-":
            self.take()
            inner = self.signed()
            return _Expr(f"-({inner.code})", inner.scalar)
        return self.postfix(self.primary())

    def postfix(self, e: _Expr) -> _Expr:
        while self.peek()[1] == "^":
            self.take()
            kind, value = self.take()
            if value == "{":
                kind, value = self.take()
                self.take("}")
            if value in ("T", r"\top") or (kind == "name" and value == "T"):
                e = _Expr(f"({e.code}).T", e.scalar)
            elif kind == "number":
                e = _Expr(f"({e.code})**{value}", e.scalar)
            else:
                raise Unread(f"the power {value!r}")
        return e

    def group(self) -> _Expr:
        if self.peek()[0] == "left":
            self.take()
            self.take("(")
            inner = self.expr()
            self.take(r"\right")
            self.take(")")
        else:
            self.take("(")
            inner = self.expr()
            if self.peek()[1] == ">":
                self.take()
                self.take("0")
                self.take(")")
                return _Expr(f"step({inner.code})", False)
            self.take(")")
        return _Expr(f"({inner.code})", inner.scalar)

    def braced(self) -> _Expr:
        self.take("{")
        inner = self.expr()
        self.take("}")
        return inner

    def primary(self) -> _Expr:
        kind, value = self.peek()
        if value == "(" or kind == "left":
            return self.group()
        self.take()
        if kind == "number":
            return _Expr(value, True)
        if kind == "fro":
            norm = _Translator(value[2:-len("\\|_F^2")], self.scalars).translate()
            return _Expr(f"sum(({norm})**2)", True)
        if kind == "indicator":
            self.take("[")
            tested = self.expr()
            self.take(">")
            self.take("0")
            self.take("]")
            return _Expr(f"step({tested.code})", False)
        if kind == "lambda":
            return _Expr("lambd", True)
        if kind == "frac":
            top, bottom = self.braced(), self.braced()
            return _Expr(f"(({top.code}) / ({bottom.code}))", top.scalar and bottom.scalar)
        if kind == "np":
            self.take("(")
            inner = self.expr()
            axis = None
            keep = False
            while self.peek()[1] == ",":
                self.take()
                key = self.take()[1]
                self.take("=")
                got = self.take()[1]
                if "axis" in key:
                    axis = got
                elif "keepdims" in key and "True" in got:
                    keep = True
                else:
                    raise Unread(f"np.sum's {key}={got}")
            self.take(")")
            if axis is None:
                return _Expr(f"sum({inner.code})", True)
            if not keep:
                raise Unread("np.sum without keepdims=True (a 1-D array)")
            return _Expr(f"sum({inner.code}, axis={axis}, keepdims=True)", False)
        if kind == "sum":
            self.per_example += 1
            body = self.juxtaposed() if self.peek()[0] != "left" else self.group()
            self.per_example -= 1
            if "(" not in self.latex or "(i)" not in self.latex:
                raise Unread("a sum over i of terms with no example index (i)")
            return _Expr(f"sum({body.code}, axis=1, keepdims=True)", False)
        if kind == "func":
            return self.function(value)
        if kind == "name":
            return self.name(value)
        raise Unread(f"cannot read {value!r}")

    def function(self, latex: str) -> _Expr:
        power = None
        if latex == r"\max":
            self.take("(")
            if self.take()[1] != "0":
                raise Unread(r"\max other than \max(0, ·)")
            self.take(",")
            inner = self.expr()
            self.take(")")
            return _Expr(f"relu({inner.code})", inner.scalar)
        if self.peek()[1] == "^":
            self.take()
            power = self.take()[1]
            if power == "{":
                power = self.take()[1]
                self.take("}")
            if not power.isdigit():
                raise Unread(f"{latex}^{power}")
        arg = self.group() if self.peek()[1] == "(" or self.peek()[0] == "left" \
            else self.postfix(self.primary())
        code = f"{_FUNCTIONS[latex]}({arg.code})"
        if power:
            code = f"{code}**{power}"
        return _Expr(code, arg.scalar)

    def name(self, latex: str) -> _Expr:
        transposed = re.fullmatch(r"(d?[A-Za-z])\^\{(?:T|\\top)\}", latex)
        if transposed:
            return _Expr(f"{transposed.group(1)}.T", transposed.group(1) in self.scalars)
        match = _NAME.fullmatch(latex)
        if not match:
            raise Unread(f"the name {latex}")
        d, letter, layer = match.group("d"), match.group("letter"), match.group("layer") or ""
        example = match.group("ex") or match.group("ex2")
        if letter.islower() and example and not d:
            letter = letter.upper()
        if d and letter.islower() and example:
            letter = letter.upper()
        code = f"{d}{letter}{layer}"
        if code in self.scalars:
            return _Expr(code, True)
        post = match.group("post")
        if post in ("T", r"\top"):
            code = f"{code}.T"
        elif post == "2":
            code = f"{code}**2"
        elif post == r"\prime":
            raise Unread(f"the derivative {latex}")
        return _Expr(code, False)


def python_name(latex: str) -> str:
    r"""``W^{[1]}`` -> ``W1``, ``n^{[1]}`` -> ``n1``, ``n_h`` -> ``n_h``, ``b`` -> ``b``."""
    if latex.strip().isdigit():
        return latex.strip()
    plain = re.fullmatch(r"(d?[A-Za-z])(\d)", latex.strip())
    if plain:  # W1, as the chain spells W^{[1]}
        return plain.group(1) + plain.group(2)
    match = re.fullmatch(r"([A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)(?:\^\{\[(\d)\]\})?", latex.strip())
    if not match:
        raise Unread(f"the name {latex}")
    return match.group(1).replace("{", "").replace("}", "") + (match.group(2) or "")


def is_vectorized(text: str) -> bool:
    """Whether the post's maths names layers or declares matrix shapes."""
    return bool(_VECTORIZED.search(text))


@dataclass(frozen=True)
class Judged:
    """One backward line's verdict."""

    line: int
    latex: str
    status: str  # "verified", "wrong", "undecided"
    reason: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Reading:
    """What the vectorized reader made of a post."""

    claimed_lines: frozenset[int]
    judged: tuple[Judged, ...]


def declared_shapes(text: str) -> dict[str, tuple[str, str]]:
    """The shapes the post declares, by chain name (``W1`` -> ``("n_h", "n_x")``)."""
    shapes: dict[str, tuple[str, str]] = {}
    for pattern in _DECLARATIONS:
        for match in pattern.finditer(text):
            shapes.setdefault(python_name(match.group("name")),
                              (python_name(match.group("r")), python_name(match.group("c"))))
    for match in _SCALAR_DECLARATION.finditer(text):
        shapes.setdefault(match.group("name"), ("1", "1"))
    return shapes


_STATEMENT_SPLIT = re.compile(r"\\\\|\\qquad|\\quad|,\s*&|(?<=\}),\\ |(?<=\)),\\ ")


def _statements(block: MathBlock, line_of: object) -> list[tuple[int, str]]:
    """(line, statement) for each statement of a display block."""
    found: list[tuple[int, str]] = []
    body = block.text
    offset = 0
    separator = True  # whether a separator (not a line break) came before this piece
    for piece in re.split(r"(\\\\|\\qquad|\\quad|(?<=[})]),\s*&|(?<=[})]),\\ |\n)", body):
        start = offset
        offset += len(piece)
        if re.fullmatch(r"\\\\|\\qquad|\\quad|(?:,\s*&)|,\\ ", piece):
            separator = True
            continue
        if piece == "\n" or not piece.strip():
            continue
        text = re.sub(r"\\begin\{[a-z*]+\}|\\end\{[a-z*]+\}", "", piece).replace("&", " ")
        text = text.strip().rstrip(".,").strip()
        if text and found and text[0] in "+-" and not separator:
            found[-1] = (found[-1][0], f"{found[-1][1]} {text}")  # a statement going on
        elif text:
            lead = len(piece) - len(piece.lstrip())
            found.append((line_of(block.start + start + lead), text))  # type: ignore[operator]
        separator = False
    return found


_LHS = re.compile(r"\s*(?P<lhs>d?[A-Za-z](?:\^\{\[\d\]\})?)\s*=(?P<rhs>.*)\Z", re.S)


def read_post(text: str, blocks: list[MathBlock], line_of: object,
              cli_shapes: dict[str, tuple[str, str]] | None = None,
              seed: int = 0) -> Reading:
    """Read and judge the vectorized statements of a post."""
    shapes = {**declared_shapes(text), **(cli_shapes or {})}
    scalars = frozenset({"m", "lambd", *(n for n, s in shapes.items() if s == ("1", "1")
                                         and n.islower())})
    forward: list[tuple[int, str, str]] = []
    backward: list[tuple[int, str, str, str]] = []
    claimed: set[int] = set()
    problems: list[str] = []
    for block in blocks:
        if not block.display and not _VECTORIZED.search(block.text):
            continue
        for line, statement in _statements(block, line_of):
            if any(p.search(statement) for p in _DECLARATIONS[:3]) \
                    or _SCALAR_DECLARATION.search(statement):
                claimed.add(line)
                continue
            match = _LHS.match(statement)
            if not match:
                continue
            lhs = match.group("lhs")
            rhs = match.group("rhs")
            if lhs[0] == "d" and len(lhs) > 1:
                claimed.add(line)
                backward.append((line, lhs, python_name(lhs[1:]), rhs))
            elif lhs in ("J",) or re.fullmatch(r"[A-Z](?:\^\{\[\d\]\})?", lhs):
                claimed.add(line)
                try:
                    code = _Translator(rhs, scalars).translate()
                except Unread as exc:
                    problems.append(f"line {line}: {exc}")
                    continue
                forward.append((line, python_name(lhs), code))
    if not backward:
        return Reading(frozenset(claimed), ())
    judged = tuple(_judge(backward, forward, shapes, scalars, problems, seed))
    return Reading(frozenset(claimed), judged)


def _judge(backward: list[tuple[int, str, str, str]], forward: list[tuple[int, str, str]],
           shapes: dict[str, tuple[str, str]], scalars: frozenset[str], problems: list[str],
           seed: int) -> list[Judged]:
    from probkit.symbolic.matrix_chain import check_gradient_formula

    definitions = [f"{name} = {code}" for _, name, code in forward]
    if "lambd" in " ".join(definitions) or any("\\lambda" in b[3] for b in backward):
        shapes = {**shapes, "lambd": ("1", "1")}
    leaves = _leaves(definitions)
    missing = sorted(leaves - set(shapes))
    shape_items = [f"{n}={r},{c}" for n, (r, c) in shapes.items() if n in leaves]
    out: list[Judged] = []
    for line, lhs, target, rhs in backward[:MAX_STATEMENTS]:
        latex = f"{lhs} = {rhs.strip()}"
        if problems:
            out.append(Judged(line, latex, "undecided", "the forward pass and cost were not "
                              "read (" + "; ".join(problems) + ")"))
            continue
        if not any(name == "J" for _, name, _ in forward):
            out.append(Judged(line, latex, "undecided", "no cost J = ... stated before it"))
            continue
        if missing:
            out.append(Judged(line, latex, "undecided", "the shapes of " + ", ".join(missing)
                              + " are not declared (write W^{[1]} \\in \\mathbb{R}^{n_h "
                              "\\times n_x}, or give --shape)"))
            continue
        try:
            code = _Translator(rhs, scalars).translate()
            result = check_gradient_formula(definitions, shape_items, target, code, seed=seed)
        except (Unread, InputError) as exc:
            out.append(Judged(line, latex, "undecided", f"cannot read {rhs.strip()}: {exc}"))
            continue
        if result.passed:
            out.append(Judged(line, latex, "verified", result.detail))
            continue
        out.append(_blame(line, latex, lhs, target, code, result.detail, definitions,
                          shape_items, seed))
    return out


def _leaves(definitions: list[str]) -> set[str]:
    defined = {d.split("=", 1)[0].strip() for d in definitions}
    used: set[str] = set()
    for d in definitions:
        rhs = d.split("=", 1)[1]
        used |= set(re.findall(r"(?<![.\w])([A-Za-z][A-Za-z0-9_]*)\b(?!\s*\()", rhs))
    known_words = {"axis", "keepdims", "True", "T", "m"}
    return used - defined - known_words


def _blame(line: int, latex: str, lhs: str, target: str, code: str, detail: str,
           definitions: list[str], shapes: list[str], seed: int) -> Judged:
    """A wrong line: which slip, found by trying the usual ones."""
    from probkit.symbolic.matrix_chain import check_gradient_formula

    def holds(candidate: str) -> bool:
        try:
            return check_gradient_formula(definitions, shapes, target, candidate,
                                          seed=seed).passed
        except InputError:
            return False

    shape_error = "values:" not in detail
    names = sorted(set(re.findall(r"\b(d?[A-Za-z]\d?)\b(?!\s*\()", code)) - {"m", "lambd",
                                                                             "axis", "keepdims"})
    candidates: list[tuple[str, str]] = []
    for name in names:
        transposed = re.sub(rf"\b{name}\b(?!\.T)", f"{name}.T", code)
        if transposed != code:
            candidates.append((transposed, f"{_latex_of(name, True)} was meant"))
        untransposed = re.sub(rf"\b{name}\.T\b", name, code)
        if untransposed != code:
            candidates.append((untransposed, f"{_latex_of(name)}, not its transpose, was "
                               "meant"))
    for group in re.finditer(r"\([^()]*\)(?!\.T)", code):
        inner = group.group(0)
        if "@" in inner or re.fullmatch(r"\(\d+\s*/\s*m\)", inner):
            continue
        candidates.append((code[:group.end()] + ".T" + code[group.end():],
                           f"{_latex_group(inner)} was meant"))
    if "@" in code:
        for k in range(code.count("@")):
            parts = code.split("@")
            swapped = "@".join(parts[:k + 1]) + "*" + "@".join(parts[k + 1:])
            candidates.append((swapped, "a matrix product where the elementwise product "
                               "\\odot was meant"))
    if "lambd" in code:
        candidates.append((code.replace("lambd", "(lambd / m)"),
                           "the L2 term is (lambda/m) W: its 1/m is missing"))
    if "lambd" not in code and "W" in target:
        candidates.append((f"{code} + ((lambd / m) * {target})",
                           "the L2 term (lambda/m) W is missing"))
    if "axis=0" in code:
        candidates.append((code.replace("axis=0", "axis=1"),
                           "the sum is over the wrong axis: sum over the examples, axis=1"))
    candidates += [
        (f"(1/m) * ({code})", "m times too large: the 1/m is missing"),
        (f"-({code})", "the sign is flipped"),
    ]
    for candidate, slip in candidates:
        if holds(candidate):
            kind = "shape error" if shape_error else "right shape, wrong value"
            return Judged(line, latex, "wrong", f"{kind}: {_shown(detail)}", f"likely slip: {slip}")
    kind = "shape error" if shape_error else "right shape, wrong value"
    hint = None if shape_error else ("likely slip: a missing or wrong elementwise factor "
                                     "(such as g'(Z)) or a wrong derivative")
    return Judged(line, latex, "wrong", f"{kind}: {_shown(detail)}", hint)


def _latex_of(name: str, transposed: bool = False) -> str:
    """``A1`` -> ``A^{[1]}`` (``A^{[1]T}`` transposed), ``X`` -> ``X`` (``X^T``)."""
    match = re.fullmatch(r"(d?[A-Za-z])(\d?)", name)
    if not match:
        return name
    if match.group(2):
        return f"{match.group(1)}^{{[{match.group(2)}]{'T' if transposed else ''}}}"
    return match.group(1) + ("^T" if transposed else "")


def _latex_group(code: str) -> str:
    """``(A - Y)`` -> ``(A - Y)^T``-ready LaTeX: the chain names written as the post does."""
    return re.sub(r"\b(d?[A-Za-z])(\d)\b", r"\1^{[\2]}", code) + "^T"


def _shown(detail: str) -> str:
    """The matrix chain's detail, without its labels and the repeated expression."""
    text = detail.removeprefix("shapes: ")
    where, sep, rest = text.partition(": ")
    if sep and rest.startswith(where + " "):
        text = rest
    text = text.replace("; values: ", "; ")
    return re.sub(r"\b(d?[A-Za-z])(\d)\b", r"\1^{[\2]}", text)  # in the post's names


def parse_shapes(items: Sequence[str]) -> dict[str, tuple[str, str]]:
    r"""``--shape`` items, ``W^{[1]}=n_h,n_x`` or ``W1=n_h,n_x``, by chain name.

    >>> parse_shapes(["W^{[1]}=n_h,n_x", "b2=1,1"])
    {'W1': ('n_h', 'n_x'), 'b2': ('1', '1')}
    """
    shapes: dict[str, tuple[str, str]] = {}
    for item in items:
        name, _, dims = item.partition("=")
        rows, _, cols = dims.partition(",")
        try:
            key = python_name(name)
            shape = (python_name(rows), python_name(cols))
        except Unread:
            raise InputError(f"shapes: cannot read {item!r}; write NAME=ROWS,COLS, e.g. "
                             "W^{[1]}=n_h,n_x or W1=n_h,n_x", parameter="shapes") from None
        if key in shapes:
            raise InputError(f"shapes: {name} is given twice", parameter="shapes")
        shapes[key] = shape
    return shapes


def merged(report: CheckReport, text: str, blocks: list[MathBlock],
           shapes: Mapping[str, tuple[str, str]] | None, seed: int) -> CheckReport:
    """The scalar reader's report of a vectorized post, its matrix lines judged here instead.

    The scalar reader's findings and equalities on the lines read here (declarations, the
    forward pass, the cost, the backward lines) are replaced by this module's verdicts; the
    rest of the post (scalar maths in the prose) keeps the scalar reader's."""
    from probkit.symbolic.lint.extract import LineIndex
    from probkit.symbolic.lint.report import EqualityResult, Finding

    index = LineIndex(text)
    reading = read_post(text, blocks, index.line, dict(shapes or {}), seed)
    if not reading.judged:  # no backward lines: nothing of the post is read here
        return report
    claimed = reading.claimed_lines
    findings = [f for f in report.findings if f.source_line not in claimed]
    results = [r for r in report.equalities if r.line not in claimed]
    for judged in reading.judged:
        lhs, _, rhs = judged.latex.partition(" = ")
        results.append(EqualityResult(judged.line, lhs, rhs, judged.status,
                                      "numeric" if judged.status != "undecided" else None,
                                      judged.reason))
        if judged.status == "verified":
            continue
        if judged.status == "wrong":
            reason = f"wrong {lhs}: {rhs}: {judged.reason}"
        else:
            reason = f"undecided {lhs}: {judged.reason}"
        findings.append(Finding(judged.line, judged.latex, judged.status, reason, None,
                                judged.suggestion))
    findings.sort(key=lambda f: f.source_line)
    results.sort(key=lambda r: r.line)
    checked = sum(r.status != "condition" for r in results)
    verified = sum(r.status == "verified" for r in results)
    return dataclasses.replace(report, findings=tuple(findings), equalities=tuple(results),
                               equalities_checked=checked, equalities_verified=verified)


__all__ = ["Judged", "Reading", "declared_shapes", "is_vectorized", "merged", "parse_shapes",
           "python_name", "read_post"]
