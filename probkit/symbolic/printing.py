"""How expressions are written: one-line SymPy text, and LaTeX with display names.

Products built unevaluated (``Mul(..., evaluate=False)``) keep the order they
were written in, ``a f(x) (1 - f(x))``; everything else is printed in SymPy's
usual order. The text form is what :func:`sympy.parse_expr` reads back.

>>> import sympy as sp
>>> a, x = sp.symbols("a x")
>>> f = sp.Function("f")
>>> to_text(sp.Mul(a, f(x), 1 - f(x), evaluate=False))
'a*f(x)*(1 - f(x))'
>>> to_text(sp.exp(-a * x))
'exp(-a*x)'

Derivatives are written with one notation chosen for the whole derivation:

>>> print(to_latex(sp.Derivative(sp.exp(-a * x), x), derivative="d"))
\\frac{d}{d x} e^{- a x}
>>> print(to_latex(sp.Derivative(sp.exp(-a * x), x), derivative="partial"))
\\frac{\\partial}{\\partial x} e^{- a x}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter


def _written_order(expr: Any) -> bool:
    """True for a product built unevaluated, whose factor order is the author's."""
    try:
        return bool(expr.func(*expr.args).args != expr.args)
    except Exception:  # an exotic product: fall back to SymPy's order
        return False


def _print_product(printer: Any, base: Any, expr: Any) -> str:
    """Print a product in written order when it was built so, else in SymPy's order."""
    saved = printer._settings["order"]
    printer._settings["order"] = "none" if _written_order(expr) else None
    try:
        return str(base._print_Mul(printer, expr))
    finally:
        printer._settings["order"] = saved


def _positive_first(printer: Any, expr: Any) -> list[Any]:
    """The terms in SymPy's order, but starting with a positive one: ``1 - x``, not ``-x + 1``
    (as a person writes, and as the words around a formula name it)."""
    if _written_order(expr):  # built unevaluated: the author's order
        return list(expr.args)
    if isinstance(expr, sp.MatrixExpr):  # MatAdd keeps the order it was given
        terms = list(expr.args)
    else:
        terms = list(printer._as_ordered_terms(expr, order=None))

    def negative(term: Any) -> bool:
        return str(printer._print(term)).lstrip("(").startswith("-")

    if terms and negative(terms[0]):
        positive = next((t for t in terms if not negative(t)), None)
        if positive is not None:
            terms.remove(positive)
            terms.insert(0, positive)
    return terms


def _print_sum(printer: Any, base: Any, expr: Any) -> str:
    """A sum with :func:`_positive_first` order, printed by ``base``."""
    terms = _positive_first(printer, expr)
    saved = printer._settings["order"]
    printer._settings["order"] = "none"
    try:
        return str(base._print_Add(printer, expr.func(*terms, evaluate=False)))
    finally:
        printer._settings["order"] = saved


class _TextPrinter(StrPrinter):
    def _print_Mul(self, expr: Any) -> str:
        return _print_product(self, StrPrinter, expr)

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        return _print_sum(self, StrPrinter, expr)


_DERIVATIVE_SIGNS = {"d": "d", "partial": r"\partial"}


class _LatexPrinter(LatexPrinter):
    _default_settings = {**LatexPrinter._default_settings, "derivative": None}

    def _print_Mul(self, expr: Any) -> str:
        return _print_product(self, LatexPrinter, expr)

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        if not isinstance(expr, sp.MatrixExpr):
            return _print_sum(self, LatexPrinter, expr)
        # a sum of matrices: SymPy's printer writes "+ -" before a negative matrix product
        pieces = []
        for index, term in enumerate(_positive_first(self, expr)):
            text = str(self._print(term))
            if index == 0:
                pieces.append(text)
            elif text.startswith("-"):
                pieces.append(" - " + text[1:].lstrip())
            else:
                pieces.append(" + " + text)
        return "".join(pieces)

    def _print_Heaviside(self, expr: Any, exp: Any = None) -> str:
        """The unit step with a stated value at 0 as an Iverson bracket: ``[z > 0]``."""
        argument, at_zero = expr.args[0], expr.args[1] if len(expr.args) > 1 else None
        relation = {sp.S.Zero: ">", sp.S.One: r"\geq"}.get(at_zero)
        if relation is None:
            return str(super()._print_Heaviside(expr, exp))
        tex = rf"\left[{self._print(argument)} {relation} 0\right]"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _print_Derivative(self, expr: Any) -> str:
        """d/dx or the partial sign as the derivation chose, not SymPy's guess per term."""
        sign = _DERIVATIVE_SIGNS.get(self._settings["derivative"] or "")
        if sign is None:
            return str(super()._print_Derivative(expr))
        order = 0
        denominator = []
        for variable, count in expr.variable_count:
            order += count
            name = self._print(variable)
            if count == 1:
                denominator.append(f"{sign} {name}")
            else:
                denominator.append(f"{sign} {self.parenthesize_super(name)}^{{{count}}}")
        numerator = sign if order == 1 else f"{sign}^{{{order}}}"
        operand = self.parenthesize(expr.expr, PRECEDENCE["Mul"], strict=True)
        return rf"\frac{{{numerator}}}{{{' '.join(denominator)}}} {operand}"


def to_text(expr: Any) -> str:
    """The one-line, SymPy-parsable text of ``expr``."""
    return str(_TextPrinter().doprint(expr))


def to_latex(
    expr: Any, names: Mapping[Any, str] | None = None, *, derivative: str | None = None
) -> str:
    """LaTeX of ``expr``; ``names`` maps symbols to the LaTeX a person writes.

    ``derivative`` is ``"d"``, ``"partial"`` or ``None`` (SymPy's choice per term).
    """
    settings = {"symbol_names": dict(names or {}), "derivative": derivative}
    return str(_LatexPrinter(settings).doprint(expr))
