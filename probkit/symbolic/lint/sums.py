r"""Sums and products over an index, as a post writes them, and how an equality of them is decided.

The reader (:mod:`.reader`) reads ``\sum_{i=1}^{n} (y_i - w x_i)^2`` as a
SymPy :class:`~sympy.Sum` over the index i from 1 to the symbol n, whose
summand holds the data as indexed names (``x_i`` is ``x[i]``, an
:class:`~sympy.Indexed`); ``\sum_i`` without bounds runs over one index set
of unstated size, :data:`UNSTATED_SIZE`, shared by every sum written without
bounds. Derivatives go under the sum (SymPy differentiates a ``Sum`` term by
term), so ``\frac{dE}{dw}`` of a defined ``E(w) = \sum_i …`` is the sum of the
summands' derivatives.

An identity between expressions holding sums is claimed for every number of
terms. It is decided at a few concrete sizes (:data:`SIZES`): the size
symbols (the free symbols of the bounds, such as n) take each size in turn,
every sum is written out term by term, and ``x[3]`` becomes the name ``x_{3}``
(the name the post would write), so the ordinary checks (random points,
simplification) decide each size. Agreement at every size verifies the
equality numerically (not a proof for all n); a size where the sides differ is
a counterexample, shown with the size.

The work is bounded: a sum of more than :data:`MAX_TERMS` terms written with
a number as its bound is refused by the reader, sums nest at most
:data:`~.parser.MAX_SUM_NESTING` deep, and writing out one equality at one size stops at
:data:`MAX_EXPANDED_TERMS` terms (the equality is then undecided, never guessed).

>>> import sympy as sp
>>> x, i, n = sp.IndexedBase("x_{#}"), sp.Symbol("i", integer=True), sp.Symbol("n")
>>> write_out(sp.Sum(x[i] ** 2, (i, 1, n)), {n: 3})
x_{1}**2 + x_{2}**2 + x_{3}**2
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import sympy as sp

MAX_TERMS = 200
"""Most terms of one sum or product whose bounds are numbers (more is refused when read)."""

MAX_EXPANDED_TERMS = 2_000
"""Most terms written out for one side of an equality at one size."""

SIZES = (1, 2, 3, 5)
"""The numbers of terms at which an identity between sums is checked."""

UNSTATED_SIZE = sp.Symbol("|i|", positive=True, integer=True)
"""The size of the index set of a sum written without bounds (``\\sum_i``); every such sum
runs over this one set."""

MARK = "#"
"""Where the index goes in an indexed name's template: ``x_{#}``, ``x^{(#)}``."""


class TooManyTerms(Exception):
    """Writing out the sums of an equality would exceed :data:`MAX_EXPANDED_TERMS` terms."""


MAX_COST = 20_000
"""Most work one equality may cost, as :func:`cost` counts it (more is undecided, at once)."""


def cost(expr: Any) -> int:
    r"""The work of evaluating ``expr`` written out: its terms, each counted as many times as
    a power repeats it (degree × terms), a sum or product as many times as it has terms (at
    the largest of :data:`SIZES` when its bound is a symbol).

    >>> x, k = sp.Symbol("x"), sp.Symbol("k", integer=True)
    >>> cost(sp.Product((x + k) ** 100, (k, 1, 200)))
    60200
    """
    if not isinstance(expr, sp.Basic) or not expr.args:
        return 1
    if isinstance(expr, (sp.Sum, sp.Product)):
        terms = 1
        for _, low, high in expr.limits:
            span = high - low + 1
            terms *= int(span) if span.is_Integer and span > 0 else max(SIZES)
        return terms * cost(expr.function)
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        return abs(int(expr.exp)) * cost(expr.base) + 1
    return 1 + sum(cost(arg) for arg in expr.args)


def has_sums(expr: Any) -> bool:
    """Does ``expr`` hold a sum, a product over an index, or an indexed name?"""
    return isinstance(expr, sp.Basic) and expr.has(sp.Sum, sp.Product, sp.Indexed)


def size_symbols(*exprs: Any) -> list[Any]:
    """The symbols the bounds of the sums depend on (n of ``\\sum_{i=1}^{n}``), sorted."""
    found: set[Any] = set()
    for expr in exprs:
        for big in expr.atoms(sp.Sum, sp.Product):
            bound = {s for limit in big.limits for s in limit[0].free_symbols}
            for _, low, high in big.limits:
                found |= (low.free_symbols | high.free_symbols) - bound
    inner = {limit[0] for expr in exprs for big in expr.atoms(sp.Sum, sp.Product)
             for limit in big.limits}
    return sorted(found - inner, key=str)


def indexed_name(template: str, indices: tuple[Any, ...]) -> Any:
    """The name ``x_{3}`` of the indexed ``x[3]`` (template ``x_{#}``)."""
    text = template
    for index in indices:
        text = text.replace(MARK, str(index), 1)
    return sp.Symbol(text)


def write_out(expr: Any, sizes: Mapping[Any, int]) -> Any:
    """``expr`` with the size symbols set to ``sizes`` and every sum written out term by term.

    Raises :class:`TooManyTerms` past :data:`MAX_EXPANDED_TERMS`, and ValueError
    when a bound is not a whole number at these sizes.
    """
    budget = [MAX_EXPANDED_TERMS]
    values = {str(s): sp.Integer(v) for s, v in sizes.items()}

    def over(function: Any, limits: list[Any], adding: bool) -> Any:
        """The sum (or product) of ``function`` over ``limits`` (innermost first), written out."""
        if not limits:
            return out(function)
        index, low, high = limits[-1]
        low, high = out(low), out(high)
        if not (low.is_Integer and high.is_Integer):
            raise ValueError("a bound that is not a whole number")
        count = max(0, int(high) - int(low) + 1)
        budget[0] -= count
        if budget[0] < 0:
            raise TooManyTerms
        terms = []
        for k in range(int(low), int(high) + 1):
            value = sp.Integer(k)
            inner = [(v, a.subs(index, value), b.subs(index, value)) for v, a, b in limits[:-1]]
            terms.append(over(function.subs(index, value), inner, adding))  # subs: a sum
            # inside over the same letter keeps its own index
        return sp.Add(*terms) if adding else sp.Mul(*terms)

    def out(e: Any) -> Any:
        if isinstance(e, (sp.Sum, sp.Product)):
            return over(e.function, list(e.limits), isinstance(e, sp.Sum))
        if isinstance(e, sp.Indexed):
            indices = tuple(out(k) for k in e.indices)
            if not all(k.is_Integer for k in indices):
                raise ValueError("an indexed name outside its sum")
            return indexed_name(str(e.base.label), indices)
        if isinstance(e, sp.Symbol):
            return values.get(e.name, e)
        if not e.args:
            return e
        return e.func(*(out(a) for a in e.args))

    return out(expr)


def size_assignments(*exprs: Any) -> Iterator[dict[Any, int]]:
    """The sizes to check at: each size symbol takes each of :data:`SIZES` (staggered when
    there are several, so that they are not always equal)."""
    symbols = size_symbols(*exprs)
    for k in range(len(SIZES)):
        yield {s: SIZES[(k + j) % len(SIZES)] for j, s in enumerate(symbols)}


COUNT_NAMES = frozenset("n N m M K".split())
"""Names that usually count terms: next to a sum without bounds, n may be its number of terms."""


def mixed_bounds(*exprs: Any) -> bool:
    """Do sums written without bounds stand next to sums with bounds, or next to a name that
    may count their terms (``\\frac{1}{n}\\sum_i x_i``)? Reading them as independent sizes
    would be a guess."""
    symbols = set(size_symbols(*exprs))
    if UNSTATED_SIZE not in symbols:
        return False
    free = {s.name for e in exprs for s in e.free_symbols if isinstance(s, sp.Symbol)}
    return len(symbols) > 1 or bool(free & COUNT_NAMES)


def data_on_one_side(left: Any, right: Any) -> bool:
    """Does one side hold the data of the sums (``x[i]``) and the other none? Then an equality
    that fails is a value for particular data (``\\sum_{i=1}^{3} x_i y_i = 2 + 8 + 15``,
    ``E'(w) = 28w - 58``), not a wrong identity."""
    return left.has(sp.Indexed) != right.has(sp.Indexed)


def shown_sizes(sizes: Mapping[Any, int]) -> str:
    """``n = 3`` (``3 terms`` for sums written without bounds)."""
    return ", ".join(f"{v} terms" if s == UNSTATED_SIZE else f"{s} = {v}"
                     for s, v in sizes.items())


def per_term_variable(name: str, expr: Any) -> bool:
    """Is ``name`` (``x_{i}``, ``x_{1}``) one term of an indexed name in ``expr`` (``x[i]``),
    or an indexed name at all next to the data of a sum?

    A derivative by one term of a sum (``\\frac{\\partial E}{\\partial x_i}``,
    ``\\frac{\\partial J}{\\partial z_{im}}``) is not read.
    """
    if not expr.has(sp.Indexed):
        return False
    for base in expr.atoms(sp.IndexedBase):
        head = str(base.label).split(MARK, 1)[0]
        if name.startswith(head) and name != head:
            return True
    # z_{im} next to sums over data: p_{ik} may depend on it in a way the maths does not say
    present = {getattr(s, "name", "") for s in expr.free_symbols}
    return ("_{" in name or "^{(" in name) and name not in present


__all__ = ["MARK", "COUNT_NAMES", "MAX_EXPANDED_TERMS", "data_on_one_side", "MAX_TERMS", "SIZES",
           "TooManyTerms", "UNSTATED_SIZE", "has_sums", "indexed_name", "mixed_bounds",
           "per_term_variable", "shown_sizes", "size_assignments", "size_symbols", "write_out"]
