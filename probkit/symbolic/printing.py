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

import re
from collections.abc import Mapping
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
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
        return rf"\frac{{{numerator}}}{{{' '.join(denominator)}}} {self._operand(expr.expr)}"

    def _operand(self, operand: Any) -> str:
        """What d/dx applies to, in parentheses unless it is one atom (``x``, ``f(x)``,
        ``e^{x}``, ``x^{2}``): ``\\frac{d}{dx}\\left(-x\\right)``, never ``\\frac{d}{dx} - x``."""
        text = str(self._print(operand))
        if _is_atom(operand):
            return text
        return rf"\left({text}\right)"


def _is_atom(expr: Any) -> bool:
    """True for an expression a prefix operator (d/dx) can take without parentheses."""
    if expr.is_Symbol or isinstance(expr, sp.Function | sp.Derivative | sp.Subs):
        return True
    if expr.is_Number:
        return bool(expr.is_Integer and expr >= 0)
    return bool(expr.is_Pow and _is_atom(expr.base) and not (expr.exp.is_Number
                                                            and expr.exp < 0))


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
          "theta": "θ", "lambda": "λ", "lamda": "λ", "mu": "μ", "nu": "ν", "rho": "ρ",
          "sigma": "σ", "tau": "τ", "phi": "φ", "psi": "ψ", "omega": "ω"}


class _ReadingPrinter(_TextPrinter):
    _default_settings = {**_TextPrinter._default_settings, "derivative": None}

    """Maths as a person reads it in plain text: ``d/dx (1 + e^(−ax))``, ``(1 + e^(−ax))²``.

    Products are joined with ``·``, except a number or a one-letter name before a
    one-letter name (``2x``, ``ax``); powers 2 to 9 are superscripts, others ``^``;
    ``exp(u)`` is ``e^u``; the minus sign is ``−``. Not meant to be parsed back:
    :func:`to_text` is.
    """

    def _grouped(self, expr: Any, text: str) -> str:
        return text if _is_atom(expr) else f"({text})"

    def _print_Derivative(self, expr: Any) -> str:
        from sympy.printing.conventions import requires_partial

        chosen = self._settings["derivative"]
        partial = requires_partial(expr) if chosen is None else chosen == "partial"
        sign = "∂" if partial else "d"
        order = sum(count for _, count in expr.variable_count)
        top = sign if order == 1 else sign + str(order).translate(_SUPERSCRIPTS)
        bottom = "".join(f"{sign}{self._print(v)}" + (str(c).translate(_SUPERSCRIPTS) if c > 1
                                                         else "")
                         for v, c in expr.variable_count)
        operand, inner = self._print(expr.expr), expr.expr
        bare = inner.is_Symbol or (isinstance(inner, sp.Function)  # d/dx f(x), d/dx log(a)
                                   and not isinstance(inner, sp.exp | sp.Abs | sp.Heaviside))
        return f"{top}/{bottom} {operand if bare else '(' + operand + ')'}"

    def _print_Subs(self, expr: Any) -> str:
        inner, slots, points = expr.args
        if isinstance(inner, sp.Derivative) and len(slots) == 1 and inner.expr.args == slots \
                and inner.variable_count == ((slots[0], 1),):
            return f"{inner.expr.func.__name__}'({self._print(points[0])})"
        return str(super()._print_Subs(expr))

    def _print_exp(self, expr: Any) -> str:
        power = expr.args[0]
        text = self._print(power)
        return f"e^{text}" if _is_atom(power) else f"e^({text})"

    def _print_Pow(self, expr: Any, rational: bool = False) -> str:
        base, exponent = expr.args
        if exponent == sp.S.Half:
            return "√" + self._grouped(base, self._print(base))
        if exponent.is_Integer and 2 <= exponent <= 9:
            return self._grouped(base, self._print(base)) + str(exponent).translate(
                _SUPERSCRIPTS)
        if exponent.is_Number and exponent.is_negative:
            return str(super()._print_Pow(expr, rational))
        power = self._print(exponent)
        return (self._grouped(base, self._print(base)) + "^"
                + (power if _is_atom(exponent) else f"({power})"))

    def _print_Heaviside(self, expr: Any) -> str:
        if len(expr.args) > 1 and expr.args[1] in (sp.S.Zero, sp.S.One):
            relation = ">" if expr.args[1] == 0 else "≥"
            return f"[{self._print(expr.args[0])} {relation} 0]"
        return f"H({self._print(expr.args[0])})"

    def _print_Abs(self, expr: Any) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Symbol(self, expr: Any) -> str:
        return _GREEK.get(expr.name, expr.name)

    def _print_Function(self, expr: Any) -> str:
        name = expr.func.__name__
        if isinstance(expr, AppliedUndef) and name in _GREEK:
            return _GREEK[name] + "(" + ", ".join(self._print(a) for a in expr.args) + ")"
        return str(super()._print_Function(expr))

    def _print_Max(self, expr: Any) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Min(self, expr: Any) -> str:
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"


#: ``2*x`` -> ``2x``, ``a*x`` -> ``ax``; never before an operator d/dx (``x·d/dx (…)``)
_JUXTAPOSED = re.compile(r"(?<![\w.'])(\d+|[A-Za-z])\*(?=[A-Za-z](?![A-Za-z0-9_('^]|/[d∂]))")


def to_reading(expr: Any, *, derivative: str | None = None) -> str:
    """``expr`` as a person reads maths in plain text (the ``text`` format's displays).

    >>> import sympy as sp
    >>> a, x = sp.symbols("a x")
    >>> to_reading(sp.Derivative(1 + sp.exp(-a * x), x) / (1 + sp.exp(-a * x))**2,
    ...            derivative="d")
    'd/dx (1 + e^(−ax))/(1 + e^(−ax))²'
    >>> to_reading(sp.Mul(a, sp.Function("f")(x), 1 - sp.Function("f")(x), evaluate=False))
    'a·f(x)·(1 − f(x))'
    """
    text = str(_ReadingPrinter({"derivative": derivative}).doprint(expr))
    text = _JUXTAPOSED.sub(r"\1", text)
    return text.replace("*", "·").replace("-", "−").replace("sqrt(", "√(")


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
