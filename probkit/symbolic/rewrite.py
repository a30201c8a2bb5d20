"""Writing a derivative in the form a person expects.

Two rewritings, each recorded as its own checked step by the callers:

* :func:`tidy`: the shortest of the raw result, its factored and
  combined forms (SymPy's ``count_ops``), with a leading minus sign moved
  into a factor ``(1 - f)`` rather than ``-(f - 1)``.
* :func:`in_terms_of`: the derivative written back in terms of the function
  itself, when the function is a rational function of one inner function
  ``g`` that can be solved for ``g`` (sigma' = sigma (1 - sigma) with
  ``exp(-x) = (1 - sigma)/sigma``; tanh' = 1 - tanh^2).

>>> import sympy as sp
>>> from probkit.symbolic.printing import to_text
>>> x = sp.Symbol("x", real=True)
>>> f = sp.Function("f")
>>> sigma = 1 / (1 + sp.exp(-x))
>>> form, used = in_terms_of(sp.diff(sigma, x), sigma, f(x), x)
>>> to_text(form), used.text
('f(x)*(1 - f(x))', 'exp(-x) = (1 - f(x))/f(x)')
>>> print(used.latex)
e^{- x} = \\frac{1 - f{\\left(x \\right)}}{f{\\left(x \\right)}}
>>> to_text(tidy(-(x - 1) * x))
'x*(1 - x)'
>>> to_text(in_terms_of(1 - sp.tanh(x) ** 2, sp.tanh(x), f(x), x)[0])
'1 - f(x)**2'
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from probkit.symbolic.model import Math
from probkit.symbolic.printing import to_latex
from probkit.symbolic.rules import prose


def _written(coefficient: Any, factors: list[Any]) -> Any:
    """An unevaluated product: the coefficient, plain factors, then sums (``a f (1 - f)``)."""
    plain = [f for f in factors if not f.is_Add]
    sums = [f for f in factors if f.is_Add]
    ordered = ([] if coefficient == 1 else [coefficient]) + plain + sums
    if len(ordered) == 1:
        return ordered[0]
    return sp.Mul(*ordered, evaluate=False)


def _reads_negated(term: Any) -> bool:
    """True for a two-term sum better written negated: ``f - 1`` as ``1 - f``, ``-a + y``
    as ``a - y``."""
    if not term.is_Add or len(term.args) != 2:
        return False
    numbers = [t for t in term.args if t.is_number]
    if numbers:
        return bool(numbers[0].is_negative)
    return bool(term.could_extract_minus_sign())


def _flip_sign(expr: Any) -> Any:
    """Signs moved into factors a person reads easily: ``-(f - 1) f`` is ``f (1 - f)``."""
    if not expr.is_Mul:
        return expr
    coefficient, factors = expr.as_coeff_mul()
    written = []
    for factor in factors:
        base, exponent = factor.as_base_exp()
        if _reads_negated(base) and exponent.is_integer:
            if exponent.is_odd:
                coefficient = -coefficient
            factor = sp.expand(-base) ** exponent
        written.append(factor)
    return _written(coefficient, written)


MAX_REWRITE_OPS = 400
"""Largest expression (SymPy's ``count_ops``) that :func:`tidy` and :func:`in_terms_of` try
to factor or rewrite; larger ones are left as they are."""

MAX_REWRITE_GENERATORS = 12
"""Most distinct functions of the variables (``sin(3*x)``, ``tanh(x)``, ``exp(-x)``...) an
expression may hold for :func:`tidy` and :func:`in_terms_of` to try: SymPy factors such an
expression as a polynomial in each of them, and the time grows far faster than their
number (a sum of 40 sines took 4 s, of 99 far over 5 minutes)."""


def _generators(expr: Any) -> int:
    """Distinct non-polynomial pieces of ``expr`` that depend on a symbol."""
    pieces = {f for f in expr.atoms(sp.Function) if f.free_symbols}
    pieces |= {p for p in expr.atoms(sp.Pow) if p.exp.free_symbols or not p.exp.is_Integer}
    return len(pieces)


def worth_rewriting(expr: Any) -> bool:
    """Whether ``expr`` is small enough for factoring and rewriting to end quickly:
    at most :data:`MAX_REWRITE_OPS` operations and :data:`MAX_REWRITE_GENERATORS`
    distinct functions of the variables.

    >>> x = sp.Symbol("x")
    >>> worth_rewriting(sp.sin(x) * sp.cos(x))
    True
    >>> worth_rewriting(sp.Add(*(sp.sin(k * x) for k in range(1, 14))))
    False
    """
    return (sp.count_ops(expr) <= MAX_REWRITE_OPS
            and _generators(expr) <= MAX_REWRITE_GENERATORS)


def tidy(expr: Any) -> Any:
    """The shortest of ``expr``, ``factor(expr)`` and ``together(expr)``; ``expr`` itself
    (signs moved into factors only) when it is too large to factor quickly
    (:func:`worth_rewriting`)."""
    if not worth_rewriting(expr):
        return _flip_sign(expr)
    candidates = [expr]
    for simplifier in (sp.factor, sp.together):
        try:
            candidates.append(simplifier(expr))
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
    best = min(candidates, key=sp.count_ops)  # min keeps the first of equals: expr itself
    return _flip_sign(best)


def _inner_functions(expr: Any, x: Any) -> list[Any]:
    found = [g for g in expr.atoms(sp.Function) if g.has(x) and not isinstance(g, AppliedUndef)]
    found += [p for p in expr.atoms(sp.Pow) if p.exp.has(x)]
    return sorted(found, key=sp.default_sort_key)


def in_terms_of(derivative: Any, definition: Any, name: Any, x: Any) -> tuple[Any, Math] | None:
    """``derivative`` as a function of ``name`` (which stands for ``definition``), or None.

    Returns the rewritten form and the substitution used, as a formula. Only a
    form free of ``x`` counts (it must be a function of ``name`` and the
    parameters alone). None too for a derivative too large to rewrite quickly
    (:func:`worth_rewriting`).
    """
    if not worth_rewriting(derivative):
        return None
    F = sp.Dummy("F")
    G = sp.Dummy("G")
    for inner in _inner_functions(definition, x):
        as_g = definition.subs(inner, G)
        if as_g.has(x):
            continue
        numerator = sp.numer(sp.together(as_g - F))
        try:
            poly = sp.Poly(numerator, G)
        except sp.PolynomialError:
            continue
        if poly.degree() != 1:
            continue
        solved = sp.cancel(-poly.coeff_monomial(1) / poly.coeff_monomial(G))
        rewritten = sp.cancel(derivative.subs(inner, G).subs(G, solved))
        if rewritten.has(x, G, sp.Subs, sp.Derivative) or not rewritten.has(F):
            continue
        shapes = [_flip_sign(simplifier(rewritten).subs(F, name))
                  for simplifier in (sp.factor_terms, sp.factor)]
        form = min(shapes, key=sp.count_ops)
        left, right = inner, solved.subs(F, name)
        if inner == definition:
            left, right = name, inner
        substitution = Math(f"{to_latex(left)} = {to_latex(right)}",
                            f"{prose(left)} = {prose(right)}")
        return form, substitution
    return None
