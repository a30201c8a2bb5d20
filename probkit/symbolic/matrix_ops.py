"""Matrix expressions for vectorized chains: operations, shapes, numbers and printing.

A matrix chain (:mod:`probkit.symbolic.matrix_chain`) is written in numpy's
notation: ``W1 @ X + b1``, ``tanh(Z1)``, ``Y*log(A2)``, ``sum(E)``,
``sum(E, axis=1)``, ``A1.T``. Its expressions are SymPy expressions in which
every name is a commutative symbol standing for a whole matrix: ``+``, ``*``,
``/`` and ``**`` are entry by entry (numpy's broadcasting, restricted by
:func:`shape_of`: equal shapes, a scalar, a column over the columns or a row
over the rows), and SymPy's algebra on them is the algebra of the entries.
What is not entry by entry is an unevaluated function:

=================  ==========================  ===============================
``MatProd(A, B)``  ``A @ B``                   matrix product
``Tr(A)``          ``A.T``                     transpose
``SumAll(E)``      ``sum(E)``                  sum of every entry, 1 × 1
``RowSum(E)``      ``sum(E, axis=1)``          sum along each row (over the
                                               examples, the columns), r × 1
``ColSum(E)``      ``sum(E, axis=0)``          sum down each column, 1 × c
``Softmax(Z)``     ``softmax(Z)``              column by column
=================  ==========================  ===============================

plus the activations ``sigmoid``, ``relu`` (derivative ``step``, 0 at 0) and
``leaky_relu(Z, slope)`` (derivative ``leaky_step``).

:func:`shape_of` infers shapes with symbolic dimensions and names what does not
conform; :func:`evaluate` computes an expression with numpy; :class:`Shown`
wraps an expression for the derivation renderers: numpy syntax in text,
textbook notation in LaTeX (``dZ^{[2]} A^{[1]\\top}``, ``\\circ`` for the
entry-by-entry product, ``\\mathbf{1}`` for the vector of ones).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import sympy as sp
from sympy.printing.precedence import PRECEDENCE

from probkit.errors import InputError
from probkit.symbolic.printing import _LatexPrinter, _ReadingPrinter, _TextPrinter

Shape = tuple[Any, Any]


class ShapeError(InputError):
    """Shapes that do not conform."""


# ------------------------------------------------------------------ operations


class MatProd(sp.Function):
    """The matrix product ``A @ B``."""

    nargs = 2


class Tr(sp.Function):
    """The transpose ``A.T``."""

    nargs = 1


class SumAll(sp.Function):
    """The sum of every entry (1 × 1)."""

    nargs = 1


class RowSum(sp.Function):
    """``sum(E, axis=1)``: each row summed over the columns (r × 1)."""

    nargs = 1


class ColSum(sp.Function):
    """``sum(E, axis=0)``: each column summed over the rows (1 × c)."""

    nargs = 1


class Softmax(sp.Function):
    """The softmax of each column."""

    nargs = 1


class Ones(sp.Function):
    """The matrix of ones of a shape (rows, columns): a gradient that is the same everywhere."""

    nargs = 2


class step(sp.Function):  # noqa: N801 (named as written in a chain)
    """ReLU's derivative entry by entry: 1 where the entry is positive, 0 elsewhere (also at 0)."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> Any:
        return sp.S.Zero


class relu(sp.Function):  # noqa: N801
    """max(0, z) entry by entry."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> Any:
        return step(self.args[0])


class leaky_step(sp.Function):  # noqa: N801
    """Leaky ReLU's derivative: 1 where the entry is positive, the slope elsewhere."""

    nargs = 2

    def fdiff(self, argindex: int = 1) -> Any:
        return sp.S.Zero


class leaky_relu(sp.Function):  # noqa: N801
    """z where z > 0, slope · z elsewhere, entry by entry."""

    nargs = 2

    def fdiff(self, argindex: int = 1) -> Any:
        if argindex != 1:
            raise InputError("leaky_relu: the slope is a constant")
        return leaky_step(*self.args)


class sigmoid(sp.Function):  # noqa: N801
    """1/(1 + exp(-z)) entry by entry."""

    nargs = 1

    def fdiff(self, argindex: int = 1) -> Any:
        return self * (1 - self)


ELEMENTWISE = (sp.tanh, sp.exp, sp.log, sigmoid, relu, step, leaky_relu, leaky_step)
"""Functions applied entry by entry."""

REDUCTIONS = (SumAll, RowSum, ColSum)

STRUCTURAL = (MatProd, Tr, SumAll, RowSum, ColSum, Softmax, Ones)
"""The operations that are not entry by entry."""


def is_elementwise(expr: Any) -> bool:
    """True when ``expr`` uses no matrix product, transpose, sum or softmax."""
    return not any(isinstance(node, STRUCTURAL) for node in sp.preorder_traversal(expr))


# ------------------------------------------------------------------ shapes


def _dim(value: Any) -> str:
    return str(value)


def shape_text(shape: Shape) -> str:
    """``(n_h, m)``."""
    return f"({_dim(shape[0])}, {_dim(shape[1])})"


def broadcast(left: Shape, right: Shape, where: str) -> Shape:
    """The shape of an entry-by-entry operation, or :class:`ShapeError`.

    Allowed: equal shapes, a 1 × 1 with anything, a column (r × 1) with r × c
    (the bias broadcast over the examples), a row (1 × c) with r × c.
    """
    if left == right:
        return left
    if left == (1, 1):
        return right
    if right == (1, 1):
        return left
    for a, b in ((left, right), (right, left)):
        if a[1] == 1 and a[0] == b[0]:
            return b
        if a[0] == 1 and a[1] == b[1]:
            return b
    raise ShapeError(f"{where}: shapes {shape_text(left)} and {shape_text(right)} do not "
                     "broadcast (equal shapes, a scalar, a column over the columns or a row "
                     "over the rows)")


def shape_of(expr: Any, shapes: Mapping[str, Shape], where: str = "") -> Shape:
    """The shape of ``expr``; names' shapes from ``shapes`` (others are 1 × 1 scalars)."""
    if isinstance(expr, sp.Symbol):
        return shapes.get(expr.name, (1, 1))
    if expr.is_Number or isinstance(expr, sp.NumberSymbol):
        return (1, 1)
    if isinstance(expr, sp.Add | sp.Mul):
        result: Shape = (1, 1)
        for arg in expr.args:
            result = broadcast(result, shape_of(arg, shapes, where), where)
        return result
    if isinstance(expr, sp.Pow):
        if shape_of(expr.exp, shapes, where) != (1, 1):
            raise ShapeError(f"{where}: the exponent of {expr} must be a scalar")
        return shape_of(expr.base, shapes, where)
    if isinstance(expr, MatProd):
        a, b = (shape_of(arg, shapes, where) for arg in expr.args)
        if a[1] != b[0]:
            raise ShapeError(
                f"{where}: {text(expr.args[0])} @ {text(expr.args[1])} is "
                f"{shape_text(a)} @ {shape_text(b)}: not defined, {_dim(a[1])} columns against "
                f"{_dim(b[0])} rows")
        return (a[0], b[1])
    if isinstance(expr, Tr):
        a = shape_of(expr.args[0], shapes, where)
        return (a[1], a[0])
    if isinstance(expr, SumAll):
        shape_of(expr.args[0], shapes, where)
        return (1, 1)
    if isinstance(expr, RowSum):
        return (shape_of(expr.args[0], shapes, where)[0], 1)
    if isinstance(expr, ColSum):
        return (1, shape_of(expr.args[0], shapes, where)[1])
    if isinstance(expr, Ones):
        return (expr.args[0], expr.args[1])
    if isinstance(expr, leaky_relu | leaky_step):
        return shape_of(expr.args[0], shapes, where)
    if isinstance(expr, Softmax | sp.Function):
        return shape_of(expr.args[0], shapes, where)
    raise ShapeError(f"{where}: cannot tell the shape of {expr}")


# ------------------------------------------------------------------ numbers


def evaluate(expr: Any, values: Mapping[str, Any]) -> Any:
    """``expr`` computed with numpy; ``values`` maps names to arrays or numbers."""
    import numpy as np
    from scipy.special import expit, softmax

    def ev(e: Any) -> Any:
        if isinstance(e, sp.Symbol):
            return values[e.name]
        if e.is_Number:
            return float(e)
        if isinstance(e, sp.Add):
            total = ev(e.args[0])
            for arg in e.args[1:]:
                total = total + ev(arg)
            return total
        if isinstance(e, sp.Mul):
            product = ev(e.args[0])
            for arg in e.args[1:]:
                product = product * ev(arg)
            return product
        if isinstance(e, sp.Pow):
            exponent = float(e.exp)
            base = ev(e.base)
            return 1.0 / base if exponent == -1 else np.power(base, exponent)
        if isinstance(e, Ones):
            rows, cols = (int(values[d.name]) if isinstance(d, sp.Symbol) else int(d)
                          for d in e.args)
            return np.ones((rows, cols))
        inner = [ev(arg) for arg in e.args]
        simple = {sp.tanh: np.tanh, sp.exp: np.exp, sp.log: np.log, sigmoid: expit}
        if e.func in simple:
            return simple[e.func](inner[0])
        if isinstance(e, relu):
            return np.maximum(inner[0], 0.0)
        if isinstance(e, step):
            return (np.asarray(inner[0]) > 0).astype(np.float64)
        if isinstance(e, leaky_relu):
            return np.where(np.asarray(inner[0]) > 0, inner[0], inner[1] * inner[0])
        if isinstance(e, leaky_step):
            return np.where(np.asarray(inner[0]) > 0, 1.0, inner[1])
        if isinstance(e, MatProd):
            return np.atleast_2d(inner[0]) @ np.atleast_2d(inner[1])
        if isinstance(e, Tr):
            return np.atleast_2d(inner[0]).T
        if isinstance(e, SumAll):
            return np.sum(inner[0]).reshape(1, 1)
        if isinstance(e, RowSum):
            return np.sum(np.atleast_2d(inner[0]), axis=1, keepdims=True)
        if isinstance(e, ColSum):
            return np.sum(np.atleast_2d(inner[0]), axis=0, keepdims=True)
        if isinstance(e, Softmax):
            return softmax(np.atleast_2d(inner[0]), axis=0)
        raise InputError(f"cannot compute {e}")

    return ev(expr)


# ------------------------------------------------------------------ printing

_LAYER = re.compile(r"\A([A-Za-z]+)([0-9]+)\Z")
_GREEK = {"lambd": r"\lambda", "lam": r"\lambda", "alpha": r"\alpha", "beta": r"\beta"}


def latex_name(name: str) -> str:
    """``W1`` → ``W^{[1]}``, ``dZ2`` → ``dZ^{[2]}``, ``lambd`` → ``\\lambda``, ``n_h`` →
    ``n_{h}``."""
    if name in _GREEK:
        return _GREEK[name]
    match = _LAYER.match(name)
    if match:
        return f"{match.group(1)}^{{[{match.group(2)}]}}"
    if "_" in name:
        head, _, tail = name.partition("_")
        return f"{head}_{{{tail}}}"
    return name


def _transposed_latex(inner: str) -> str:
    """``A^{[1]}`` → ``A^{[1]\\top}``; ``X`` → ``X^{\\top}``."""
    if re.fullmatch(r"[A-Za-z]+\^\{\[[0-9]+\]\}", inner):
        return inner[:-1] + r"\top}"
    if re.fullmatch(r"[A-Za-z]+", inner):
        return inner + r"^{\top}"
    return rf"\left({inner}\right)^{{\top}}"


def _has_product(term: Any) -> bool:
    return any(isinstance(n, MatProd) for n in sp.preorder_traversal(term))


def _products_first(terms: Any) -> list[Any]:
    """Terms or factors holding a matrix product first (``W1 @ X + b1``), the rest in order."""
    terms = list(terms)
    return [t for t in terms if _has_product(t)] + [t for t in terms if not _has_product(t)]


def _is_scalar(factor: Any, scalars: set[str]) -> bool:
    return all(s.name in scalars for s in factor.free_symbols) and not any(
        isinstance(n, STRUCTURAL) for n in sp.preorder_traversal(factor))


class _MatrixText(_TextPrinter):
    """numpy syntax: ``@``, ``.T``, ``sum(E, axis=1)``; every ``@`` product in parentheses
    inside a product, so the text reads back the same in Python; a constant coefficient
    first, ``(1/m)*(dZ1 @ X.T)``."""

    def __init__(self, scalars: set[str] | None = None) -> None:
        super().__init__()
        self._scalars = scalars or set()

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        terms = _products_first(expr.args) if any(_has_product(t) for t in expr.args) \
            else None
        if terms is None:
            return str(super()._print_Add(expr, order))
        out = []
        for index, term in enumerate(terms):
            body = self._print(term)
            if isinstance(term, MatProd):
                body = body[1:-1]
            if index and body.startswith("-"):
                out.append(" - " + body[1:])
            elif index:
                out.append(" + " + body)
            else:
                out.append(body)
        return "".join(out)

    def _print_Mul(self, expr: Any) -> str:
        scalar = [f for f in expr.args if _is_scalar(f, self._scalars)]
        matrix = _products_first(f for f in expr.args if not _is_scalar(f, self._scalars))
        coefficient = sp.Mul(*scalar)
        if not matrix or any(isinstance(f, sp.Pow) and f.exp.is_negative for f in matrix):
            return str(super()._print_Mul(expr))
        rest = "*".join(self.parenthesize(f, PRECEDENCE["Mul"]) for f in matrix)
        if coefficient == 1:
            return rest
        if coefficient == -1:
            return "-" + rest
        head = str(self._print(coefficient))
        if any(c in head for c in "/+- "):
            head = f"({head})"
        return f"{head}*{rest}"

    def _print_MatProd(self, expr: Any) -> str:
        return f"({self._print(expr.args[0])} @ {self._print(expr.args[1])})"

    def _print_Tr(self, expr: Any) -> str:
        inner = expr.args[0]
        body = self._print(inner)
        if isinstance(inner, sp.Symbol) or body.startswith("("):
            return f"{body}.T"
        return f"({body}).T"

    def _print_SumAll(self, expr: Any) -> str:
        return f"sum({self._print(expr.args[0])})"

    def _print_RowSum(self, expr: Any) -> str:
        return f"sum({self._print(expr.args[0])}, axis=1)"

    def _print_ColSum(self, expr: Any) -> str:
        return f"sum({self._print(expr.args[0])}, axis=0)"

    def _print_Softmax(self, expr: Any) -> str:
        return f"softmax({self._print(expr.args[0])})"

    def _print_Ones(self, expr: Any) -> str:
        return f"ones(({self._print(expr.args[0])}, {self._print(expr.args[1])}))"

    def _print_step(self, expr: Any) -> str:
        return f"({self._print(expr.args[0])} > 0)"

    def _print_leaky_step(self, expr: Any) -> str:
        return f"where({self._print(expr.args[0])} > 0, 1, {float(expr.args[1]):g})"

    def _print_leaky_relu(self, expr: Any) -> str:
        return f"leaky_relu({self._print(expr.args[0])}, {float(expr.args[1]):g})"


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class _MatrixReading(_MatrixText):
    """The text format's reading form: numpy's ``@`` and ``.T`` kept, powers as superscripts
    (``A1²``); :func:`~probkit.symbolic.printing.to_reading` then writes ``·`` and ``−``."""

    def _print_Pow(self, expr: Any, rational: bool = False) -> str:
        base, exponent = expr.args
        if exponent.is_Integer and 2 <= exponent <= 9:
            body = self._print(base)
            if not isinstance(base, sp.Symbol):
                body = f"({body})"
            return body + str(exponent).translate(_SUPERSCRIPTS)
        return str(super()._print_Pow(expr, rational))


def text(expr: Any, scalars: set[str] | None = None) -> str:
    """The numpy-syntax text of a matrix expression (outer parentheses dropped)."""
    out = str(_MatrixText(scalars).doprint(expr))
    if isinstance(expr, MatProd) and out.startswith("(") and out.endswith(")"):
        out = out[1:-1]
    return out


class _MatrixLatex(_LatexPrinter):
    """Textbook notation; ``scalars`` are the names printed as coefficients, not ∘ factors."""

    def __init__(self, names: Mapping[Any, str], scalars: set[str]) -> None:
        super().__init__({"symbol_names": dict(names), "derivative": "partial"})
        self._scalars = scalars

    def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
        names = self._settings["symbol_names"]
        return str(names.get(expr, latex_name(expr.name)))

    def _is_scalar(self, factor: Any) -> bool:
        return _is_scalar(factor, self._scalars)

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        if not any(_has_product(t) for t in expr.args):
            return str(super()._print_Add(expr, order))
        out = []
        for index, term in enumerate(_products_first(expr.args)):
            body = str(self._print(term))
            if index and body.startswith("-"):
                out.append(" - " + body[1:].lstrip())
            elif index:
                out.append(" + " + body)
            else:
                out.append(body)
        return "".join(out)

    def _factor(self, factor: Any) -> str:
        body = self._print(factor)
        if isinstance(factor, sp.Add | MatProd) or (
                isinstance(factor, sp.Mul) and not factor.is_Number):
            return rf"\left({body}\right)"
        return str(body)

    def _hadamard(self, factors: list[Any]) -> str:
        return r" \circ ".join(self._factor(f) for f in factors)

    def _print_Mul(self, expr: Any) -> str:
        scalar = [f for f in expr.args if self._is_scalar(f)]
        matrix = _products_first(f for f in expr.args if not self._is_scalar(f))
        if not matrix:
            return str(super()._print_Mul(expr))
        numerators = [f for f in matrix if not (isinstance(f, sp.Pow) and f.exp.is_negative)]
        denominators = [sp.Pow(f.base, -f.exp) for f in matrix if f not in numerators]
        if len(numerators) == 1 and not isinstance(numerators[0], sp.Add):
            body = str(self._print(numerators[0]))
        else:
            body = self._hadamard(numerators) if numerators else "1"
        if denominators:
            den = self._hadamard(denominators) if len(denominators) > 1 else \
                str(self._print(denominators[0]))
            num = self._hadamard(numerators) if len(numerators) > 1 else (
                str(self._print(numerators[0])) if numerators else "1")
            body = rf"\frac{{{num}}}{{{den}}}"
        coefficient = sp.Mul(*scalar)
        if coefficient == 1:
            return body
        if coefficient == -1:
            return "- " + body
        head = self._print(coefficient)
        return f"{head} {body}"

    def _print_Pow(self, expr: Any) -> str:
        if self._is_scalar(expr):
            return str(super()._print_Pow(expr))
        if expr.exp == -1:
            return rf"\frac{{1}}{{{self._print(expr.base)}}}"
        base = self._print(expr.base)
        if not isinstance(expr.base, sp.Symbol) or "^" in base:
            base = rf"\left({base}\right)"
        return f"{base}^{{{self._print(expr.exp)}}}"

    def _print_MatProd(self, expr: Any) -> str:
        parts = []
        for arg in expr.args:
            body = self._print(arg)
            parts.append(rf"\left({body}\right)" if isinstance(arg, sp.Add | sp.Mul) else body)
        return " ".join(parts)

    def _print_Tr(self, expr: Any) -> str:
        return _transposed_latex(str(self._print(expr.args[0])))

    def _print_SumAll(self, expr: Any) -> str:
        return rf"\sum \left({self._print(expr.args[0])}\right)"

    def _print_RowSum(self, expr: Any) -> str:
        arg = expr.args[0]
        body = self._print(arg)
        if not isinstance(arg, sp.Symbol):
            body = rf"\left({body}\right)"
        return rf"{body} \mathbf{{1}}"

    def _print_ColSum(self, expr: Any) -> str:
        arg = expr.args[0]
        body = self._print(arg)
        if not isinstance(arg, sp.Symbol):
            body = rf"\left({body}\right)"
        return rf"\mathbf{{1}}^{{\top}} {body}"

    def _print_Softmax(self, expr: Any) -> str:
        return rf"\operatorname{{softmax}}\left({self._print(expr.args[0])}\right)"

    def _print_Ones(self, expr: Any) -> str:
        rows, cols = (self._print(a) for a in expr.args)
        return rf"\mathbf{{1}}_{{{rows} \times {cols}}}"

    def _print_sigmoid(self, expr: Any, exp: Any = None) -> str:
        return rf"\sigma\left({self._print(expr.args[0])}\right)"

    def _print_relu(self, expr: Any, exp: Any = None) -> str:
        return rf"\operatorname{{ReLU}}\left({self._print(expr.args[0])}\right)"

    def _print_leaky_relu(self, expr: Any, exp: Any = None) -> str:
        z, slope = self._print(expr.args[0]), f"{float(expr.args[1]):g}"
        return rf"\operatorname{{LeakyReLU}}_{{{slope}}}\left({z}\right)"

    def _print_step(self, expr: Any, exp: Any = None) -> str:
        return rf"\left[{self._print(expr.args[0])} > 0\right]"

    def _print_leaky_step(self, expr: Any, exp: Any = None) -> str:
        z, slope = self._print(expr.args[0]), f"{float(expr.args[1]):g}"
        return rf"\left(\left[{z} > 0\right] + {slope} \left[{z} \leq 0\right]\right)"


def latex(expr: Any, scalars: set[str], names: Mapping[Any, str] | None = None) -> str:
    """Textbook LaTeX of a matrix expression."""
    return str(_MatrixLatex(names or {}, scalars).doprint(expr))


class Shown(sp.Basic):
    """A matrix-chain formula as the derivation renderers print it.

    ``args[0]`` is the expression; ``args[1]`` the matrix symbols (with their
    shapes) it names, so that the JSON symbol table lists them as matrices;
    ``args[2]`` the names printed as scalar coefficients in LaTeX.
    """

    def __new__(cls, expr: Any, shapes: Mapping[str, Shape], scalars: set[str]) -> Shown:
        used = sorted(s.name for s in sp.sympify(expr).free_symbols)
        matrices = sp.Tuple(*(sp.MatrixSymbol(n, *shapes[n]) for n in used
                              if n in shapes and n not in scalars))
        names = sp.Tuple(*(sp.Symbol(n) for n in sorted(scalars)))
        return super().__new__(cls, sp.sympify(expr), matrices, names)

    @property
    def expr(self) -> Any:
        """The expression shown."""
        return self.args[0]

    def _sympystr(self, printer: Any) -> str:
        scalars = {s.name for s in self.args[2]}
        if isinstance(printer, _ReadingPrinter):  # the text format: as a person reads it
            out = str(_MatrixReading(scalars).doprint(self.args[0]))
            if isinstance(self.args[0], MatProd) and out.startswith("(") and out.endswith(")"):
                out = out[1:-1]
            return out
        return text(self.args[0], scalars)

    def _sympyrepr(self, printer: Any) -> str:
        return f"Shown({text(self.args[0])!r})"

    def _latex(self, printer: Any) -> str:
        scalars = {s.name for s in self.args[2]}
        return latex(self.args[0], scalars)

    @property
    def free_symbols(self) -> set[Any]:
        """No free symbols: a display, not an expression to substitute into."""
        return set()


__all__ = [
    "ELEMENTWISE", "ColSum", "MatProd", "Ones", "RowSum", "ShapeError", "Shown", "Softmax",
    "SumAll", "Tr", "broadcast", "evaluate", "is_elementwise", "latex", "latex_name", "leaky_relu",
    "leaky_step", "relu", "shape_of", "shape_text", "sigmoid", "step", "text",
]
