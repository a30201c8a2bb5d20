"""Reading a user's expression, assumptions and ``wrt`` safely.

The text is SymPy syntax (``1/(1+exp(-a*x))``, ``x**2``, ``x^2``). It is
never evaluated as Python: it is first parsed by :mod:`ast` and checked
against a whitelist (numbers, names, ``+ - * / ** ^``, calls of plain names,
comparisons and tuples inside ``Piecewise``), the size of the expression and of
its numbers is bounded, and only then does :func:`sympy.parse_expr` build it,
with a namespace holding exactly the names in the text.

Names are read as follows: the functions in :data:`FUNCTIONS` (``exp``,
``log``, ``tanh``, ``Max``, ``erf``, ...), the shorthands in :data:`MACROS`
(``sigmoid(u)`` is ``1/(1 + exp(-u))``, ``softplus``, ``relu``), the constants
``pi``, ``E`` and ``e`` (Euler's number); any other name followed by ``(`` is
a function of the user's own that stays symbolic (``f(x)``); every other name
is a real symbol, unless ``assume`` says more.

>>> parsed = parse_expression("1/(1+exp(-a*x))", assume=["a>0"])
>>> parsed.expr
1/(1 + exp(-a*x))
>>> choose_wrt(parsed.expr, ["x"])
(x,)
>>> parse_expression("integrate(x, x)")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
probkit.errors.InputError: expression: integrate is not supported: integrals are out of scope ...
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from probkit.errors import InputError

MAX_LENGTH = 1000
"""Longest expression text accepted (characters)."""

MAX_NODES = 400
"""Largest expression accepted (nodes of the SymPy expression tree)."""

MAX_EXPONENT = 50
"""Largest absolute value of a numeric exponent (``(x + 1)**50``)."""

MAX_DIGITS = 30
"""Longest numeric literal accepted (digits)."""

FUNCTIONS: dict[str, Any] = {
    "exp": sp.exp, "log": sp.log, "ln": sp.log, "sqrt": sp.sqrt,
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "acot": sp.acot,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "coth": sp.coth,
    "sech": sp.sech, "csch": sp.csch, "asinh": sp.asinh, "acosh": sp.acosh, "atanh": sp.atanh,
    "Abs": sp.Abs, "abs": sp.Abs, "Max": sp.Max, "Min": sp.Min, "max": sp.Max, "min": sp.Min,
    "Piecewise": sp.Piecewise, "erf": sp.erf, "erfc": sp.erfc,
    "sign": sp.sign, "Heaviside": sp.Heaviside,
}
"""Functions the rule engine knows, by the names the user may write."""

MACROS: dict[str, Any] = {
    "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
    "softplus": lambda u: sp.log(1 + sp.exp(u)),
    "relu": lambda u: sp.Max(0, u),
}
"""Shorthands written out when read: ``sigmoid(u) = 1/(1 + exp(-u))``,
``softplus(u) = log(1 + exp(u))``, ``relu(u) = Max(0, u)``."""

CONSTANTS: dict[str, Any] = {"pi": sp.pi, "E": sp.E, "e": sp.E}

REFUSED: dict[str, str] = {
    **dict.fromkeys(
        ("integrate", "Integral", "integral"), "integrals are out of scope (derivatives only)"
    ),
    **dict.fromkeys(
        ("diff", "Derivative", "Subs", "DiracDelta"),
        "write the function itself: probkit takes the derivative",
    ),
    **dict.fromkeys(("Sum", "Product", "summation", "product"), "sums and products over an "
                    "index are not supported (write the terms out)"),
    **dict.fromkeys(("Matrix", "MatrixSymbol", "Transpose", "transpose"),
                    "matrix expressions are not supported (scalars only)"),
    **dict.fromkeys(("limit", "Limit", "series", "solve"), "only derivatives are supported"),
}
"""Names refused with a reason (SymPy names the user may reach for)."""

_ASSUMPTION_WORDS: dict[str, dict[str, bool]] = {
    "real": {"real": True},
    "positive": {"positive": True},
    "negative": {"negative": True},
    "nonnegative": {"nonnegative": True},
    "nonpositive": {"nonpositive": True},
    "nonzero": {"real": True, "nonzero": True},
}
_COMPARISONS: dict[str, str] = {
    ">": "positive", ">=": "nonnegative", "<": "negative", "<=": "nonpositive", "!=": "nonzero",
}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_ALLOWED_COMPARE = (ast.Gt, ast.GtE, ast.Lt, ast.LtE)


@dataclass(frozen=True)
class ParsedExpression:
    """A user's expression and the symbols it was read with."""

    text: str
    expr: Any
    symbols: dict[str, Any]
    functions: dict[str, Any]


def parse_assumptions(assume: Iterable[str]) -> tuple[dict[str, bool], dict[str, dict[str, bool]]]:
    """Read ``assume`` values: ``positive`` (every symbol), ``a>0``, ``a real``.

    Returns the assumptions for every symbol and those per name. Assumptions that
    contradict each other (``x>0`` and ``x<0``, ``positive`` and ``negative``) are refused
    by name: no symbol can satisfy them.

    >>> parse_assumptions(["real", "a>0", "n nonnegative"])
    ({'real': True}, {'a': {'positive': True}, 'n': {'nonnegative': True}})
    >>> parse_assumptions(["x>0", "x<0"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: assume: 'x>0' and 'x<0' contradict each other ...
    """
    every: dict[str, bool] = {}
    named: dict[str, dict[str, bool]] = {}
    every_texts: list[tuple[str, str]] = []  # (what the user wrote, the word it means)
    named_texts: dict[str, list[tuple[str, str]]] = {}
    for raw in assume:
        text = " ".join(str(raw).split())
        if text in _ASSUMPTION_WORDS:
            every.update(_ASSUMPTION_WORDS[text])
            every_texts.append((text, text))
            continue
        match = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*)\s*(>=|<=|!=|>|<)\s*0", text)
        if match:
            word = _COMPARISONS[match.group(2)]
        else:
            match = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*)\s+([a-z]+)", text)
            if not match or match.group(2) not in _ASSUMPTION_WORDS:
                raise InputError(
                    f"assume: cannot read {raw!r}; write one of "
                    f"{', '.join(_ASSUMPTION_WORDS)} (for every symbol), 'a>0', 'a>=0', "
                    "'a<0', 'a<=0', 'a!=0' or 'a positive' (comparisons with 0 only)",
                    parameter="assume")
            word = match.group(2)
        named.setdefault(match.group(1), {}).update(_ASSUMPTION_WORDS[word])
        named_texts.setdefault(match.group(1), []).append((text, word))
    _refuse_contradictions("every symbol", every_texts)
    for name, texts in named_texts.items():
        _refuse_contradictions(name, every_texts + texts)
    return every, named


def _symbol_with(words: Iterable[str]) -> Any:
    """A real symbol with every one of the assumption ``words``, or None if none can be."""
    from sympy.core.facts import InconsistentAssumptions

    facts: dict[str, bool] = {"real": True}
    for word in words:
        facts.update(_ASSUMPTION_WORDS[word])
    try:
        return sp.Symbol("t", **facts)
    except InconsistentAssumptions:
        return None


def _consistent(words: Iterable[str]) -> bool:
    """Whether a real symbol can have every one of the assumption ``words`` at once."""
    return _symbol_with(words) is not None


def _refuse_contradictions(name: str, texts: Sequence[tuple[str, str]]) -> None:
    """Raise :class:`InputError` naming the first two assumptions in ``texts`` that
    cannot hold together (or that leave only the value 0: nothing to differentiate by)."""
    symbol = _symbol_with(word for _, word in texts)
    if symbol is not None and symbol.is_zero:
        given = " and ".join(repr(text) for text, _ in texts)
        raise InputError(f"assume: {given} leave {name} only the value 0", parameter="assume")
    if symbol is not None:
        return
    for later in range(1, len(texts)):
        for earlier in range(later):
            pair = (texts[earlier], texts[later])
            if not _consistent(word for _, word in pair):
                (first, a), (second, b) = pair
                who = "symbol" if name == "every symbol" else name
                raise InputError(f"assume: {first!r} and {second!r} contradict each other "
                                 f"(no {who} is both {a} and {b})", parameter="assume")
    raise InputError(f"assume: {', '.join(repr(t) for t, _ in texts)} contradict each "
                     f"other (no {name} satisfies them all)", parameter="assume")


def _check_number(node: ast.Constant, where: str) -> None:
    value = node.value
    if isinstance(value, bool):
        return  # a Piecewise condition ``True`` (checked where it stands)
    if not isinstance(value, int | float):
        raise InputError(f"{where}: only numbers and names may appear, not {value!r}")
    digits = len(repr(value).replace(".", "").replace("-", ""))
    if digits > MAX_DIGITS or (isinstance(value, float) and not math.isfinite(value)):
        raise InputError(f"{where}: the number {value!r} is too long ({MAX_DIGITS} digits at most)")


def _numeric_value(node: ast.AST) -> float | None:
    """The value of a subtree made only of numbers and + - * / **, else None.

    Raises :class:`InputError` when such a subtree is too large to evaluate.
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            return None
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _numeric_value(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and isinstance(node.op, _ALLOWED_BINOPS):
        left, right = _numeric_value(node.left), _numeric_value(node.right)
        if left is None or right is None:
            return None
        try:
            if isinstance(node.op, ast.Pow):
                if abs(right) > MAX_EXPONENT or abs(left) > 1e6:
                    raise InputError(f"the number {ast.unparse(node)} is too large to work with")
                value = left**right
            elif isinstance(node.op, ast.Div):
                value = left / right
            elif isinstance(node.op, ast.Mult):
                value = left * right
            else:
                value = left + right if isinstance(node.op, ast.Add) else left - right
        except (OverflowError, ZeroDivisionError):
            return math.inf
        return value.real if isinstance(value, complex) else float(value)
    return None


def _validate(tree: ast.AST, where: str) -> tuple[set[str], set[str]]:
    """Check every node against the whitelist; return (names, called names)."""
    names: set[str] = set()
    called: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.expr_context | ast.operator | ast.cmpop
                      | ast.unaryop):
            continue
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, _ALLOWED_BINOPS):
                raise InputError(f"{where}: the operator {type(node.op).__name__} is not supported")
            if isinstance(node.op, ast.Pow):
                try:
                    exponent = _numeric_value(node.right)
                    _numeric_value(node)
                except InputError as error:
                    raise InputError(f"{where}: {error}") from None
                if exponent is not None and not abs(exponent) <= MAX_EXPONENT:
                    raise InputError(f"{where}: the exponent {ast.unparse(node.right)} is too "
                                     f"large (|exponent| <= {MAX_EXPONENT})")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise InputError(f"{where}: the operator {type(node.op).__name__} is not supported")
        elif isinstance(node, ast.Constant):
            _check_number(node, where)
        elif isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.keywords:
                raise InputError(f"{where}: only calls such as f(x) or exp(x) are supported")
            called.add(node.func.id)
        elif isinstance(node, ast.Tuple):
            continue
        elif isinstance(node, ast.Compare):
            if not all(isinstance(op, _ALLOWED_COMPARE) for op in node.ops):
                raise InputError(f"{where}: only <, <=, >, >= conditions are supported")
        else:
            raise InputError(f"{where}: {type(node).__name__.lower()} syntax is not supported")
    allowed: set[int] = set()  # tuples and conditions are allowed as Piecewise pieces only
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "Piecewise":
                for arg in node.args:
                    if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                        raise InputError(f"{where}: Piecewise takes (expression, condition) "
                                         "pairs, e.g. Piecewise((x, x > 0), (0, True))")
                    allowed.add(id(arg))
                    allowed.update(id(n) for n in ast.walk(arg.elts[1]))
    for node in ast.walk(tree):
        is_bool = isinstance(node, ast.Constant) and isinstance(node.value, bool)
        if (isinstance(node, ast.Tuple | ast.Compare) or is_bool) and id(node) not in allowed:
            raise InputError(f"{where}: conditions and tuples may only appear as the pieces "
                             "of Piecewise((expression, condition), ...)")
    return names, called


def _read_names(
    names: set[str],
    called: set[str],
    every: dict[str, bool],
    named: dict[str, dict[str, bool]],
    where: str,
    extra_symbols: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The namespace for ``parse_expr``: functions, macros, constants, symbols."""
    namespace: dict[str, Any] = {}
    symbols: dict[str, Any] = {}
    functions: dict[str, Any] = {}
    for name in sorted(names):
        if name.startswith("_") or keyword.iskeyword(name) or not _NAME.match(name):
            raise InputError(f"{where}: the name {name!r} is not allowed")
        if name in REFUSED:
            raise InputError(f"{where}: {name} is not supported: {REFUSED[name]}")
        if name in ("True", "False"):
            namespace[name] = sp.true if name == "True" else sp.false
        elif name in FUNCTIONS or name in MACROS:
            if name not in called:
                raise InputError(f"{where}: {name} is a function; write {name}(...)")
            namespace[name] = FUNCTIONS.get(name) or MACROS[name]
        elif name in CONSTANTS:
            if name in called:
                raise InputError(f"{where}: {name} is a constant, not a function")
            namespace[name] = CONSTANTS[name]
        elif name in called:
            if extra_symbols is not None and name in extra_symbols:
                raise InputError(f"{where}: {name} is a quantity of the chain, not a function; "
                                 f"write {name}*(...) for a product")
            if hasattr(sp, name) or name in named:
                raise InputError(
                    f"{where}: {name}(...) is not a function probkit's rules know "
                    f"(known: {', '.join(sorted(FUNCTIONS))}, and {', '.join(sorted(MACROS))}); "
                    "a function of your own must not share a SymPy name"
                )
            functions[name] = sp.Function(name)
            namespace[name] = functions[name]
        elif extra_symbols is not None and name in extra_symbols:
            symbols[name] = extra_symbols[name]
            namespace[name] = extra_symbols[name]
        else:
            assumptions = {"real": True, **every, **named.get(name, {})}
            symbols[name] = sp.Symbol(name, **assumptions)
            namespace[name] = symbols[name]
    return namespace, symbols, functions


def tree_size(expr: Any, limit: int | None = None) -> int:
    """Nodes of ``expr``'s tree, counting at most ``limit + 1`` (the tree may be shared and
    far larger than memory suggests: ``a = x*sin(x)`` nested 30 times).

    >>> x = sp.Symbol("x")
    >>> tree_size(sp.sin(x) + 1), tree_size(sp.sin(x) + 1, limit=2)
    (4, 3)
    """
    count = 0
    for _ in sp.preorder_traversal(expr):
        count += 1
        if limit is not None and count > limit:
            break
    return count


def parse_expression(
    text: str,
    *,
    assume: Sequence[str] = (),
    where: str = "expression",
    parameter: str = "expression",
    extra_symbols: dict[str, Any] | None = None,
    check_assumed: bool = True,
) -> ParsedExpression:
    """Parse ``text`` safely into a SymPy expression (see the module docstring).

    ``where`` starts every error message and ``parameter`` is the library parameter the
    text was given to (the chain's definitions say ``definition of z``, ``definitions``).
    ``extra_symbols`` fixes the SymPy symbol used for some names (the chain's
    intermediate quantities); ``check_assumed=False`` lets ``assume`` name
    symbols that are not in this text (they are in another definition of the
    chain). Raises :class:`InputError` naming what is wrong and the parameter.

    >>> parse_expression("x^2 + sigmoid(x)").expr
    x**2 + 1/(1 + exp(-x))
    >>> parse_expression("x.__class__")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: expression: attribute syntax is not supported
    """
    try:
        return _parse_expression(text, assume=assume, where=where,
                                 extra_symbols=extra_symbols, check_assumed=check_assumed)
    except InputError as exc:
        if exc.parameter is None:
            exc.parameter = parameter
        raise


def _parse_expression(text: str, *, assume: Sequence[str], where: str,
                      extra_symbols: dict[str, Any] | None,
                      check_assumed: bool) -> ParsedExpression:
    from sympy.parsing.sympy_parser import auto_number, convert_xor, parse_expr

    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: give an expression, e.g. '1/(1+exp(-x))'")
    if len(text) > MAX_LENGTH:
        raise InputError(f"{where}: the expression is {len(text)} characters long; "
                         f"{MAX_LENGTH} at most")
    source = text.strip().replace("^", "**").replace("−", "-")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise InputError(f"{where}: cannot read {text!r} as SymPy syntax "
                         f"({error.msg} at column {error.offset})") from None
    names, called = _validate(tree, where)
    every, named = parse_assumptions(assume)
    namespace, symbols, functions = _read_names(names, called, every, named, where,
                                                extra_symbols)
    unknown = sorted(set(named) - set(symbols) - set(extra_symbols or {}))
    if unknown and check_assumed:
        raise InputError(f"assume: {', '.join(unknown)} does not appear in {text!r}",
                         parameter="assume")
    global_dict: dict[str, Any] = {
        "__builtins__": {}, "Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational,
    }
    try:
        expr = parse_expr(source, local_dict=namespace, global_dict=global_dict,
                          transformations=(auto_number, convert_xor))
    except InputError:
        raise
    except Exception as error:  # SymPy refuses odd combinations (e.g. Piecewise misuse)
        raise InputError(f"{where}: cannot build {text!r}: {error}") from None
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.Expr):  # a Symbol is an Expr (and a Boolean)
        if isinstance(expr, sp.logic.boolalg.Boolean | sp.core.relational.Relational):
            raise InputError(f"{where}: {text!r} is a condition, not an expression")
        raise InputError(f"{where}: {text!r} is not a scalar expression")
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InputError(f"{where}: {text!r} is undefined or infinite ({expr})")
    if tree_size(expr, MAX_NODES) > MAX_NODES:
        raise InputError(f"{where}: the expression is too large ({MAX_NODES} nodes at most)")
    return ParsedExpression(text=text, expr=expr, symbols=symbols, functions=functions)


def choose_wrt(expr: Any, wrt: Sequence[str]) -> tuple[Any, ...]:
    """The symbols to differentiate by: those named, or the only free symbol.

    >>> x, y = sp.symbols("x y", real=True)
    >>> choose_wrt(x * y, ["y"])
    (y,)
    >>> choose_wrt(x * y, [])
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: wrt: the expression has several symbols (x, y); name the one to \
differentiate by
    """
    free = {symbol.name: symbol for symbol in expr.free_symbols}
    if not wrt:
        if len(free) == 1:
            return tuple(free.values())
        if not free:
            raise InputError("wrt: the expression has no symbol to differentiate by",
                             parameter="wrt")
        raise InputError(f"wrt: the expression has several symbols "
                         f"({', '.join(sorted(free))}); name the one to differentiate by",
                         parameter="wrt")
    chosen = []
    for name in wrt:
        name = name.strip()
        if name not in free:
            raise InputError(f"wrt: {name!r} does not appear in the expression "
                             f"(its symbols: {', '.join(sorted(free)) or 'none'})",
                             parameter="wrt")
        if free[name] in chosen:
            raise InputError(f"wrt: {name!r} is given twice", parameter="wrt")
        chosen.append(free[name])
    return tuple(chosen)
