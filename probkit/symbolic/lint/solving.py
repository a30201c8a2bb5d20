r"""Do two equations have the same solutions? One step of a solving chain, within a budget.

A solving chain (``\frac{dE}{dw} = 0``, then ``2x(wx - y) = 0``, then ``w =
\frac{y}{x}``) is right when each equation has the same solutions for the
unknown, in its stated domain, as the one before. The other variables are
parameters: they are given short random values (as in :mod:`.equality`), and
at each such point both equations are solved with ``sympy.solveset`` over the
unknown's real interval. Solution sets that differ at a point are the
counterexample; sets that agree at :data:`PARAMETER_POINTS` points verify the
step. Anything else (no finite solution set, an equation too large, a solve
that runs past :data:`SOLVE_SECONDS`) leaves the step undecided.

>>> import sympy as sp
>>> w, x, y = sp.symbols("w x y")
>>> same_solutions(2 * x * (w * x - y), w - y / x, w, {}).status
'verified'
>>> verdict = same_solutions(w ** 2 - 4, w - 2, w, {})
>>> verdict.status, verdict.detail
('wrong', 'solutions {-2, 2} before, {2} after')
"""

from __future__ import annotations

import random
import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import sympy as sp

from probkit.symbolic.lint.equality import Verdict, _draw, display_name
from probkit.symbolic.lint.reader import PLUS_MINUS
from probkit.symbolic.lint.report import format_number
from probkit.symbolic.lint.scope import Domain
from probkit.symbolic.lint.sums import (
    SIZES,
    TooManyTerms,
    data_on_one_side,
    has_sums,
    mixed_bounds,
    shown_sizes,
    size_symbols,
    write_out,
)
from probkit.symbolic.step_verifier import DIGITS

PARAMETER_POINTS = 3
"""Random values of the parameters at which both equations are solved."""

MAX_SOLVE_OPS = 200
"""Largest equation (SymPy ``count_ops``) given to ``solveset``."""

SOLVE_SECONDS = 2.0
"""Longest one ``solveset`` call may run (enforced in the main thread, where a timer can
interrupt it, unless the program runs a real-time timer of its own; elsewhere only
:data:`MAX_SOLVE_OPS` bounds the work)."""

MAX_SOLUTIONS = 20
"""Most solutions compared (more: the step is undecided)."""


class _OutOfTime(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_OutOfTime` in the block after ``seconds`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield  # no timer here (or the caller's own is running, and is left alone)
        return

    def expire(signum: int, frame: Any) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _interval(domain: Domain) -> Any:
    low = -sp.oo if domain.low is None else domain.low
    high = sp.oo if domain.high is None else domain.high
    return sp.Interval.open(low, high)


def solutions(equation: Any, unknown: Any, domain: Domain) -> list[float] | None:
    """The real solutions of ``equation = 0`` for ``unknown`` in ``domain``, sorted.

    None when they cannot be listed within the budget (an interval of
    solutions, a periodic family, an equation too large or too slow).
    """
    if sp.count_ops(equation) > MAX_SOLVE_OPS:
        return None
    try:
        with _time_limit(SOLVE_SECONDS):
            found = sp.solveset(equation, unknown, domain=_interval(domain))
    except (_OutOfTime, NotImplementedError, ValueError, TypeError, ArithmeticError,
            RecursionError, AttributeError):
        return None
    if found is sp.S.EmptySet:
        return []
    if not isinstance(found, sp.FiniteSet) or len(found) > MAX_SOLUTIONS:
        return None
    values = []
    for value in found:
        number = complex(sp.N(value, DIGITS))
        if abs(number.imag) > 1e-20 * max(1.0, abs(number.real)):
            return None
        values.append(number.real)
    return sorted(values)


def _both_signs(equation: Any, unknown: Any, domain: Domain) -> list[float] | None:
    """:func:`solutions`, with ``\\pm`` taken both ways (``x = 1 \\pm \\sqrt{2}``: two)."""
    if not equation.has(PLUS_MINUS):
        return solutions(equation, unknown, domain)
    found: list[float] = []
    for sign in (1, -1):
        some = solutions(equation.xreplace({PLUS_MINUS: sp.Integer(sign)}), unknown, domain)
        if some is None:
            return None
        found += [v for v in some if not any(abs(v - u) <= 1e-12 * max(1.0, abs(v))
                                             for u in found)]
    return sorted(found)


def _same(first: list[float], second: list[float]) -> bool:
    return len(first) == len(second) and all(
        abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)) for a, b in zip(first, second, strict=True))


def _shown(values: list[float]) -> str:
    return "{" + ", ".join(format_number(v) for v in values) + "}" if values else "no solution"


def _closed_forms(first: Any, second: Any) -> tuple[Any, Any] | None:
    r"""Both sides with their sums in closed form (``\sum_{k=1}^{n} k`` is n(n+1)/2), or None
    unless every sum is a function of its index that SymPy sums (no data x_i, no constant
    term counted n times)."""
    out = []
    for expr in (first, second):
        if any(not (s.function.free_symbols & {limit[0] for limit in s.limits})
               for s in expr.atoms(sp.Sum)):
            return None  # \sum_{i=1}^{n} c: a count of terms, not a function of the index
        try:
            with _time_limit(SOLVE_SECONDS):
                done = expr.doit()
        except (_OutOfTime, ArithmeticError, RecursionError, TypeError, ValueError,
                NotImplementedError, AttributeError):
            return None
        if done.has(sp.Sum) or done.has(sp.Product) or done.has(sp.Indexed):
            return None
        out.append(done)
    return out[0], out[1]


def same_solutions(first: Any, second: Any, unknown: Any, domains: Mapping[str, Domain], *,
                   seed: int = 0) -> Verdict:
    """Do ``first = 0`` and ``second = 0`` have the same solutions for ``unknown``?

    Equations holding sums are solved with the sums written out (:mod:`.sums`), at a
    different number of terms at each point of the parameters.
    """
    summed = has_sums(first) or has_sums(second)
    if summed and mixed_bounds(first, second):
        return Verdict("undecided", None, "sums written without bounds next to sums with "
                       "bounds or a count such as n (over the same terms?)")
    sizes_of = size_symbols(first, second) if summed else []
    closed = _closed_forms(first, second) if unknown in sizes_of else None
    if closed is not None:  # "\sum_{k=1}^{n} k = 10" solved for n: the sum's closed form
        first, second = closed
        summed = has_sums(first) or has_sums(second)
        sizes_of = size_symbols(first, second) if summed else []
    written_first, written_second = first, second
    domain = domains.get(unknown.name, Domain())
    rng = random.Random(seed)
    agreed = 0
    for k in range(PARAMETER_POINTS):
        sizes = {s: SIZES[(k + 1 + j) % len(SIZES)] for j, s in enumerate(sizes_of)}
        if summed:
            try:
                first, second = write_out(written_first, sizes), write_out(written_second, sizes)
            except (TooManyTerms, ValueError):
                return Verdict("undecided", None, "the sums of the equations cannot be written "
                               f"out at {shown_sizes(sizes) or 'their bounds'}")
        parameters = sorted((first.free_symbols | second.free_symbols) - {unknown, PLUS_MINUS},
                            key=str)
        point = {p: _draw(domains.get(p.name, Domain()), rng) for p in parameters}
        before = _both_signs(first.xreplace(point), unknown, domain)
        after = _both_signs(second.xreplace(point), unknown, domain)
        if before is None or after is None:
            return Verdict("undecided", None,
                           f"the solutions for {unknown} could not be listed within the budget")
        if not _same(before, after) and summed and data_on_one_side(written_first,
                                                                     written_second):
            return Verdict("undecided", None, "one equation depends on the data of the sums "
                           "(x_i), the other does not: solutions for particular data, which "
                           "the maths does not give")
        if not _same(before, after):
            where = ", ".join([f"{display_name(str(s))} = {v}" for s, v in sizes.items()] + [
                f"{display_name(str(p))} = {format_number(float(v))}" for p, v in point.items()])
            detail = f"solutions {_shown(before)} before, {_shown(after)} after"
            return Verdict("wrong", "solutions", f"at {where}: {detail}" if where else detail)
        agreed += 1
        if not parameters and not sizes:
            break
    return Verdict("verified", "solutions",
                   f"the same solutions for {unknown} at {agreed} point(s) of the parameters")


__all__ = ["MAX_SOLUTIONS", "MAX_SOLVE_OPS", "PARAMETER_POINTS", "SOLVE_SECONDS", "same_solutions",
           "solutions"]
