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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter


def _written_order(expr: Any) -> bool:
    """True for a product built unevaluated, whose factor order is the author's."""
    try:
        return bool(sp.Mul(*expr.args).args != expr.args)
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


class _TextPrinter(StrPrinter):
    def _print_Mul(self, expr: Any) -> str:
        return _print_product(self, StrPrinter, expr)


class _LatexPrinter(LatexPrinter):
    def _print_Mul(self, expr: Any) -> str:
        return _print_product(self, LatexPrinter, expr)


def to_text(expr: Any) -> str:
    """The one-line, SymPy-parsable text of ``expr``."""
    return str(_TextPrinter().doprint(expr))


def to_latex(expr: Any, names: Mapping[Any, str] | None = None) -> str:
    """LaTeX of ``expr``; ``names`` maps symbols to the LaTeX a person writes."""
    return str(_LatexPrinter({"symbol_names": dict(names or {})}).doprint(expr))
