"""Is ``left = right``? Symbolically under the stated assumptions, else at random points.

The order is chosen so that no equality can make the checker hang:

1. both sides are evaluated at random points of the variables' domains (30
   significant digits, :data:`probkit.symbolic.step_verifier.DIGITS`); a point where
   they differ is a counterexample and the equality is wrong;
2. otherwise the difference is reduced with the cheap simplifiers of
   :mod:`probkit.symbolic.step_verifier` (``simplify`` itself only for small
   expressions): zero proves the equality symbolically;
3. otherwise the equality holds at every point tried: verified numerically.

Sides that still hold undefined functions (``f'(x)`` for an ``f`` never
defined) cannot be evaluated at points; they are verified symbolically or left
undecided. Random points are short decimals (0.7, -1.3) drawn by a seeded
:class:`random.Random`, so a counterexample is easy to redo by hand and the
same post always gives the same report.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> compare(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), {}).method
'symbolic'
>>> verdict = compare(x ** 2, 2 * x, {}, seed=1)
>>> verdict.status, sorted(verdict.counterexample)
('wrong', ['left', 'point', 'right'])
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from probkit.symbolic.lint.approximate import Inexact, agrees, written
from probkit.symbolic.lint.scope import Constraint, Domain, with_domains
from probkit.symbolic.lint.sums import (
    MAX_COST,
    UNSTATED_SIZE,
    TooManyTerms,
    cost,
    data_on_one_side,
    has_sums,
    mixed_bounds,
    shown_sizes,
    size_assignments,
    write_out,
)
from probkit.symbolic.step_verifier import DIGITS, SIMPLIFIERS_BEFORE_SIMPLIFY, TOLERANCE

POINTS = 4
"""Points at which both sides must agree for a numeric verification."""

ATTEMPTS = 60
"""Random points tried at most (points outside the real domain of a side are skipped)."""

MAX_SYMBOLIC_OPS = 250
"""Largest difference (SymPy ``count_ops``) given to the cheap simplifiers."""

MAX_SIMPLIFY_OPS = 40
"""Largest difference given to ``sympy.simplify`` (which can take very long)."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison.

    ``status`` is ``"verified"``, ``"wrong"`` or ``"undecided"``; ``method``
    ``"symbolic"`` or ``"numeric"`` (None when undecided); ``counterexample``
    ``{"point": {name: value}, "left": value, "right": value}`` when wrong;
    ``particular_data`` when only one side holds the data of a sum (``x_i``), so that the
    equality may hold for the post's data (:mod:`.check` decides, once it knows the equality
    is no equation to solve).
    """

    status: str
    method: str | None
    detail: str
    counterexample: dict[str, Any] | None = None
    particular_data: bool = False  # wrong, but one side holds a sum's data and the other none


def _draw(domain: Domain, rng: random.Random) -> Any:
    """A short decimal strictly inside ``domain``, never 0 if avoidable: 0.7, -1.3, ...

    Unbounded sides reach 2 units past the other bound (or to -2 and 2).
    """
    low = float(domain.low) if domain.low is not None else (
        min(-2.0, float(domain.high) - 2.0) if domain.high is not None else -2.0)
    high = float(domain.high) if domain.high is not None else max(2.0, low + 2.0)
    first, last = math.floor(low * 10) + 1, math.ceil(high * 10) - 1
    if first > last:  # an interval narrower than a tenth: its midpoint
        return (sp.Rational(str(low)) + sp.Rational(str(high))) / 2
    for _ in range(20):
        tenths = rng.randint(first, last)
        if tenths != 0:
            return sp.Rational(tenths, 10)
    return sp.Rational(first, 10)


def display_name(name: str) -> str:
    """A variable's name as written: the parser spells the subscript of ``y_{hat}`` ``h*(a*t)``.

    >>> display_name("y_{h*(a*t)}")
    'y_{hat}'
    """
    head, sep, tail = name.partition("_{")
    return head + sep + re.sub(r"[*()]", "", tail) if sep else name


def _real(value: Any) -> float | None:
    """``value`` as a float if it is a finite real number, else None."""
    try:
        number = complex(value)
    except (TypeError, ValueError):
        return None
    if number != number or abs(number.real) == float("inf"):
        return None
    if abs(number.imag) > 1e-25 * max(1.0, abs(number.real)):
        return None
    return number.real


def _holds(constraints: Sequence[Constraint], point: Mapping[Any, Any]) -> bool:
    """Whether ``point`` satisfies every constraint on its variables (``low < expr < high``);
    a constraint on a variable the point does not hold says nothing about these sides."""
    values = {str(s): v for s, v in point.items()}
    for expr, low, high in constraints:
        names = {str(s) for s in expr.free_symbols}
        if not names or not names <= values.keys():
            continue
        value = _real(expr.xreplace({s: values[str(s)] for s in expr.free_symbols}).evalf(DIGITS))
        if value is None or (low is not None and value <= low) or (
                high is not None and value >= high):
            return False
    return True


def _numeric(left: Any, right: Any, domains: Mapping[str, Domain],
             rng: random.Random, constraints: Sequence[Constraint] = ()
             ) -> tuple[int, dict[str, Any] | None]:
    """How many points agreed, and the first point where the sides differ (or None); points
    outside the ``constraints`` (side conditions on defined quantities) are not used."""
    symbols = sorted(left.free_symbols | right.free_symbols, key=str)
    agreed = 0
    for _ in range(ATTEMPTS):
        point = {s: _draw(domains.get(s.name, Domain()), rng) for s in symbols}
        if not _holds(constraints, point):
            continue
        lhs = _real(left.xreplace(point).evalf(DIGITS))
        rhs = _real(right.xreplace(point).evalf(DIGITS))
        if lhs is None or rhs is None:
            continue
        if abs(lhs - rhs) > TOLERANCE ** 0.5 * max(1.0, abs(lhs), abs(rhs)):
            where = {display_name(str(s)): float(v) for s, v in point.items()}
            return agreed, {"point": where, "left": lhs, "right": rhs}
        agreed += 1
        if agreed == POINTS:
            break
    return agreed, None


def _symbolic(difference: Any) -> str | None:
    """The name of the simplifier that reduced ``difference`` to 0, or None."""
    ops = sp.count_ops(difference)
    if ops > MAX_SYMBOLIC_OPS:
        return None
    for name, simplifier in SIMPLIFIERS_BEFORE_SIMPLIFY:
        try:
            if simplifier(difference) == 0:
                return name
        except (sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue
    if ops <= MAX_SIMPLIFY_OPS and sp.simplify(difference) == 0:
        return "simplify"
    return None


def numerically_equal(left: Any, right: Any, domains: Mapping[str, Domain], *,
                      seed: int = 0, constraints: Sequence[Constraint] = ()) -> bool:
    """True when ``left`` and ``right`` agree at :data:`POINTS` random points (quick, no proof).

    A decimal written to some digits (``0.0194\\ldots``) agrees to its digits.
    """
    if _empty_domains(left, right, domains):
        return False
    if left.has(Inexact) or right.has(Inexact):
        return to_digits(left, right).status == "verified"
    if too_costly(left, right) is not None:
        return False
    if has_sums(left) or has_sums(right):
        return _over_sizes(left, right, domains, seed, constraints).status == "verified"
    replacements = with_domains({"left": left, "right": right}, domains)
    left, right = left.xreplace(replacements), right.xreplace(replacements)
    agreed, counterexample = _numeric(left, right, domains, random.Random(seed), constraints)
    return counterexample is None and agreed == POINTS


def to_digits(left: Any, right: Any) -> Verdict:
    r"""``x = 0.0194\ldots``: does the exact side agree with the digits written?

    >>> from sympy import Rational
    >>> to_digits(Rational(1, 3), Inexact(Rational(333, 1000), Rational(1, 1000))).status
    'verified'
    """
    shown, exact = (left, right) if written(left) is not None else (right, left)
    if written(shown) is None:
        return Verdict("undecided", None, "a decimal written to some digits inside an expression")
    if exact.free_symbols:
        return Verdict("undecided", None, "a decimal written to some digits against an "
                       "expression with variables")
    if exact.has(Inexact):
        exact = exact.replace(Inexact, lambda value, unit: value)
    verdict = agrees(shown, exact)
    if verdict:
        return Verdict("verified", "numeric", "agrees with the digits written")
    values = {"left": _real(left.evalf(DIGITS)), "right": _real(right.evalf(DIGITS))}
    counterexample = {"point": {}, **{k: (v if v is not None else float("nan"))
                                      for k, v in values.items()}}
    return Verdict("wrong", "numeric", "differs in the digits written", counterexample)


def under_logs_positive(domains: Mapping[str, Domain], *exprs: Any) -> Mapping[str, Domain]:
    r"""``domains``, with each name written bare under a log (``\log p_{1}``, ``\log q_i``) and
    given no domain of its own sampled positive: a point where the log is not real is never
    a point of the claim, and drawing half the points there left ``\sum_i p_i \log
    \frac{p_i}{q_i}`` with too few real points to decide.

    >>> sorted(under_logs_positive({}, sp.log(sp.Symbol("p")) + sp.Symbol("x")))
    ['p']
    """
    bare = {arg.name for expr in exprs for log in expr.atoms(sp.log)
            for arg in log.args if isinstance(arg, sp.Symbol) and arg.name not in domains}
    if not bare:
        return domains
    return {**domains, **{name: Domain(low=sp.Integer(0)) for name in bare}}


_PROBABILITY = re.compile(r"\\?(?:P|Pr)\(")


def probabilities_in_unit_interval(domains: Mapping[str, Domain], *exprs: Any
                                   ) -> Mapping[str, Domain]:
    """``domains``, with each probability ``P(…)`` given no domain of its own sampled in (0, 1):
    a counterexample at P(A∩B) = -1.6 is no value a probability takes."""
    names = {str(s) for e in exprs for s in getattr(e, "free_symbols", ())
             if _PROBABILITY.match(str(s)) and str(s) not in domains}
    if not names:
        return domains
    return {**domains, **{n: Domain(low=sp.Integer(0), high=sp.Integer(1)) for n in names}}


def too_costly(left: Any, right: Any) -> str | None:
    """Why ``left = right`` costs too much to evaluate (degree × terms), or None."""
    work = cost(left) + cost(right)
    if work <= MAX_COST:
        return None
    return (f"too long to check: about {work} terms written out (degree × terms), more "
            f"than {MAX_COST}")


def _empty_domains(left: Any, right: Any, domains: Mapping[str, Domain]) -> str:
    """The conditions on the sides' variables that no value satisfies (``x > 0`` and
    ``x < 0``), shown; empty when every variable has a value to sample. A claim over an empty
    domain holds vacuously, so it is never verified."""
    names = {str(s) for side in (left, right) for s in getattr(side, "free_symbols", ())}
    return ", ".join(f"{display_name(n)} ({_shown(domains[n])})" for n in sorted(names)
                     if n in domains and domains[n].empty)


def _shown(domain: Domain) -> str:
    return f"> {domain.low} and < {domain.high}"


def compare(left: Any, right: Any, domains: Mapping[str, Domain], *, seed: int = 0,
            constraints: Sequence[Constraint] = ()) -> Verdict:
    """Decide ``left = right`` (SymPy expressions, definitions already substituted), at points
    of the ``domains`` that satisfy the ``constraints``."""
    empty = _empty_domains(left, right, domains)
    if empty:
        return Verdict("undecided", None, "the conditions stated admit no value of " + empty)
    if left.has(Inexact) or right.has(Inexact):
        return to_digits(left, right)
    costly = too_costly(left, right)
    if costly is not None:
        return Verdict("undecided", None, costly)
    if has_sums(left) or has_sums(right):
        return _over_sizes(left, right, domains, seed, constraints)
    domains = probabilities_in_unit_interval(under_logs_positive(domains, left, right),
                                             left, right)
    replacements = with_domains({"left": left, "right": right}, domains)
    left, right = left.xreplace(replacements), right.xreplace(replacements)
    evaluable = not any(side.has(sp.core.function.AppliedUndef, sp.Derivative, sp.Subs)
                        for side in (left, right))
    agreed = 0
    if evaluable:
        agreed, counterexample = _numeric(left, right, domains, random.Random(seed),
                                          constraints)
        if counterexample is not None:
            return Verdict("wrong", "numeric", "the sides differ at a point", counterexample)
    simplifier = _symbolic(sp.expand(left - right) if not evaluable else left - right)
    if simplifier is not None:
        return Verdict("verified", "symbolic", f"the difference reduces to 0 ({simplifier})")
    if agreed == POINTS:
        return Verdict("verified", "numeric", f"equal at {POINTS} random points of the domain")
    if not evaluable:
        return Verdict("undecided", None, "holds undefined functions and does not simplify to 0")
    if agreed == 0:
        return Verdict("undecided", None, "no point of the domain where both sides are real")
    return Verdict("undecided", None, f"equal at only {agreed} point(s) where both sides are real")


def _over_sizes(left: Any, right: Any, domains: Mapping[str, Domain], seed: int,
                constraints: Sequence[Constraint]) -> Verdict:
    """An equality between sums, decided with the sums written out at a few sizes
    (:mod:`.sums`): wrong at one size is wrong; equal at every size is verified numerically,
    unless no size was chosen (bounds that are numbers), when the written-out check decides."""
    if mixed_bounds(left, right):
        return Verdict("undecided", None, "sums written without bounds next to sums with "
                       "bounds or a count such as n (over the same terms?)")
    tried: list[str] = []
    skipped: list[str] = []
    methods = set()
    for k, sizes in enumerate(size_assignments(left, right)):
        shown = shown_sizes(sizes)
        if shown in tried or shown in skipped:
            continue
        try:
            lhs, rhs = write_out(left, sizes), write_out(right, sizes)
        except TooManyTerms:
            return Verdict("undecided", None, "the sums written out at "
                           f"{shown or 'their bounds'} are too long to check")
        except ValueError as exc:
            return Verdict("undecided", None, f"the sums cannot be written out ({exc})")
        if any(side.has(sp.zoo, sp.nan) for side in (lhs, rhs)):
            skipped.append(shown)  # \frac{1}{n-1} at n = 1: a size outside the claim's domain
            continue
        tried.append(shown)
        verdict = compare(lhs, rhs, domains, seed=seed + k, constraints=constraints)
        data = data_on_one_side(left, right)
        if verdict.status == "wrong" and verdict.counterexample is not None:
            point = {**{"terms" if s == UNSTATED_SIZE else display_name(str(s)): v
                        for s, v in sizes.items()},
                     **verdict.counterexample["point"]}
            return Verdict("wrong", verdict.method, f"{verdict.detail} (sums of {shown} terms)"
                           if shown else verdict.detail, {**verdict.counterexample,
                                                          "point": point}, data)
        if verdict.status == "wrong":
            return Verdict("wrong", verdict.method, verdict.detail, verdict.counterexample, data)
        if verdict.status != "verified":
            return Verdict(verdict.status, verdict.method,
                           f"{verdict.detail} (the sums written out at {shown})" if shown
                           else verdict.detail)
        methods.add(verdict.method)
    if not tried:
        return Verdict("undecided", None, "a side divides by zero at every size tried ("
                       + "; ".join(skipped) + ")")
    if tried == [""]:  # every bound a number: the written-out sums were checked as they stand
        return Verdict("verified", methods.pop(), "the sums written out term by term are equal")
    return Verdict("verified", "numeric", "equal with the sums written out at "
                   + "; ".join(tried) + " (random data)")


__all__ = ["ATTEMPTS", "MAX_SIMPLIFY_OPS", "MAX_SYMBOLIC_OPS", "POINTS", "Verdict", "compare",
           "numerically_equal", "to_digits"]
