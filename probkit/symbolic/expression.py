"""``derive_expression``: the derivative of a user's own expression, every step checked.

The expression is read safely (:mod:`probkit.symbolic.user_input`), named
``f`` (``f(x) = ...``), differentiated rule by rule
(:mod:`probkit.symbolic.engine`), tidied, and written back in terms of ``f``
when it can be (sigma' = sigma (1 - sigma)). Every step is checked
(:mod:`probkit.symbolic.domain_verifier`) and the result is checked against
SymPy's own ``diff`` of the expression.

>>> derivation = derive_expression("1/(1+exp(-a*x))", wrt=["x"], assume=["a>0"])
>>> derivation.verified
True
>>> [step.rule for step in derivation.steps]  # doctest: +NORMALIZE_WHITESPACE
['definition', 'reciprocal rule', 'sum rule', 'chain rule (exp)',
 'constant multiple rule', 'write in terms of f']
>>> from probkit.symbolic.printing import to_text
>>> to_text(derivation.results[0].after)
'a*f(x)*(1 - f(x))'
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

import sympy as sp

from probkit.errors import InputError
from probkit.symbolic.domain_verifier import Domain, check_step, checked
from probkit.symbolic.engine import Budget, differentiate
from probkit.symbolic.model import Derivation, Given, Math, Prose, Step
from probkit.symbolic.printing import to_latex
from probkit.symbolic.rewrite import in_terms_of, tidy
from probkit.symbolic.rules import prose
from probkit.symbolic.user_input import choose_wrt, parse_expression, tree_size

_NAMES = ("f", "g", "h", "F", "phi", "psi")

KINK_NOTE = (
    "Kinks: where the derivative jumps, probkit uses Heaviside(0) = 0 and sign(0) = 0, so "
    "ReLU'(0) = 0, the value numpy code uses; there the classical derivative does not exist, "
    "and SymPy's own Heaviside(0) = 1/2 differs, so those checks are numeric at points off the "
    "kink."
)


def _function_name(used: set[str]) -> str:
    return next(name for name in _NAMES if name not in used)


def _assumption_text(symbols: Sequence[Any]) -> str:
    parts = []
    for symbol in symbols:
        for word in ("positive", "negative", "nonnegative", "nonpositive", "nonzero"):
            if getattr(symbol, f"is_{word}"):
                parts.append(f"{symbol} {word}")
                break
        else:
            parts.append(f"{symbol} real")
    return ", ".join(parts)


def _has_kink(expr: Any) -> bool:
    return bool(expr.has(sp.Max, sp.Min, sp.Abs, sp.Piecewise, sp.Heaviside, sp.sign))


MAX_DERIVATIVE_NODES = 2000
"""Largest derivative (nodes of its SymPy tree) derived step by step: every step writes
the whole line out and checks it, so the work grows with this size times the number of
steps. A product of 20 tanh factors has a derivative of 1,701 nodes; of 79, 25,360."""


def derive_partial(
    expr: Any, named: Any, x: Any, domain: Domain, name: str, *,
    parameter: str = "expression", budget: Budget | None = None,
) -> tuple[list[Step], Step]:
    """The steps of ``d named / dx`` (``named`` stands for ``expr``) and the checked result.

    ``named`` is ``f(x)`` for an expression, or the chain's own symbol (``a``)
    for a local derivative of a chain. A derivative larger than
    :data:`MAX_DERIVATIVE_NODES` is refused (naming ``parameter``) before any
    step; the steps spend ``budget`` (:class:`~probkit.symbolic.engine.Budget`).
    """
    oracle = sp.diff(expr, x)
    size = tree_size(oracle, MAX_DERIVATIVE_NODES)
    if size > MAX_DERIVATIVE_NODES:
        raise InputError(f"{parameter}: the derivative of {name} by {x} is too large to "
                         f"derive step by step (more than {MAX_DERIVATIVE_NODES:,} nodes); give "
                         "a smaller expression", parameter=parameter)
    definitions = {named: expr}
    steps: list[Step] = []
    if not named.is_Symbol:  # f(x): the first step writes f out (a chain's names need not)
        steps.append(checked("definition", sp.Derivative(named, x), sp.Derivative(expr, x),
                             Prose.of("Write ", Math(name), " out."), domain,
                             definitions=definitions))
    budget = Budget() if budget is None else budget
    rule_steps, raw = differentiate(expr, x, domain, budget)
    steps += rule_steps
    current = raw
    rewritten = in_terms_of(raw, expr, named, x)
    if rewritten is None or sp.count_ops(rewritten[0]) > sp.count_ops(raw):
        rewritten = None
        tidied = tidy(raw)
        if sp.srepr(tidied) != sp.srepr(raw):
            steps.append(checked("simplify", raw, tidied,
                                 "Collect the result (the shortest of its factored "
                                 "and combined forms).", domain))
            current = tidied
            rewritten = in_terms_of(current, expr, named, x)
    if rewritten is not None and sp.count_ops(rewritten[0]) <= sp.count_ops(current):
        form, substitution = rewritten
        steps.append(checked(f"write in terms of {name}", current, form,
                             Prose.of("Write the result with ", Math(name), " itself: ",
                                      substitution, "."), domain,
                             definitions=definitions))
        current = form
    budget.check_time()
    result = Step(
        "result",
        sp.Derivative(named, x),
        current,
        "The derivative, verified against SymPy's own diff of the expression.",
        check_step(current, oracle, domain, definitions=definitions),
    )
    return steps, result


def derive_expression(
    expression: str,
    *,
    wrt: Sequence[str] = (),
    assume: Sequence[str] = (),
    seed: int = 0,
) -> Derivation:
    """Differentiate the user's ``expression`` by each ``wrt`` symbol, step by step.

    Parameters
    ----------
    expression : str
        SymPy syntax, e.g. ``"1/(1+exp(-a*x))"`` (see :mod:`probkit.symbolic.user_input`).
    wrt : sequence of str
        The symbols to differentiate by; default: the only free symbol.
    assume : sequence of str
        ``"positive"``, ``"real"`` (every symbol), ``"a>0"``, ``"a positive"``, ...
    seed : int
        Seed of the random points of numeric checks.

    Returns
    -------
    Derivation
        Given ``f(...) = expression``; the steps of each partial derivative;
        one result per ``wrt`` symbol, checked against ``sympy.diff``.

    Raises
    ------
    InputError
        Unreadable or unsupported input, naming the construct; or input that costs too
        much: a derivative over :data:`MAX_DERIVATIVE_NODES` nodes or
        :data:`~probkit.symbolic.engine.MAX_STEPS` steps, or a derivation writing more
        than :data:`~probkit.symbolic.engine.MAX_WRITTEN_NODES` nodes or taking more
        than :data:`~probkit.symbolic.engine.TIME_BUDGET` seconds.
    """
    parsed = parse_expression(expression, assume=assume)
    expr = parsed.expr
    variables = choose_wrt(expr, list(wrt))
    used = {s.name for s in expr.free_symbols} | {f.__name__ for f in parsed.functions.values()}
    name = _function_name(used)
    named = sp.Function(name)(*variables)
    symbols = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    domain = Domain(symbols, defined=(expr,), seed=seed)
    steps: list[Step] = []
    results: list[Step] = []
    budget = Budget()
    for x in variables:
        partial_steps, result = derive_partial(expr, named, x, domain, name, budget=budget)
        steps += partial_steps
        results.append(result)
    notes = []
    if _has_kink(expr):
        notes.append(KINK_NOTE)
    own = sorted(f.__name__ for f in parsed.functions.values())
    if own:
        notes.append(f"{', '.join(own)}: function(s) of your own; their derivatives stay "
                     "symbolic (written Subs(Derivative(f(t), t), t, u) for f'(u)).")
    variable_text = ", ".join(str(v) for v in variables)
    command = f"--expr {shlex.quote(expression)}" + "".join(
        f" --wrt {v}" for v in variables) + "".join(f" --assume {shlex.quote(a)}" for a in assume)
    title = ("Derivative" if len(variables) == 1 else "Partial derivatives") + (
        f" of {prose(expr)} with respect to {variable_text}")
    summary = Prose.of(Math(f"{to_latex(named)} = {to_latex(expr)}",
                            f"{prose(named)} = {prose(expr)}"), " has ",
                       *derivatives_listed(name, results), ".")
    return Derivation(
        name=command,
        title=title,
        summary=summary,
        given=(Given(named, expr, f"your expression, with {_assumption_text(symbols)}"),),
        steps=tuple(steps),
        results=tuple(results),
        notes=tuple(notes),
    )


def derivatives_listed(name: str, results: Sequence[Step]) -> list[str | Math]:
    """``df/dx = …; df/dy = …`` as prose parts: each result's derivative typeset
    (``\\frac{df}{dx} = …``) and in ASCII (``df/dx = …``)."""
    parts: list[str | Math] = []
    for index, result in enumerate(results):
        variable = result.before.variables[0]
        sign = "d" if len(results) == 1 else r"\partial"
        latex = (rf"\frac{{{sign} {name}}}{{{sign} {to_latex(variable)}}} = "
                 f"{to_latex(result.after)}")
        parts += ["; " if index else "", Math(latex, f"d{name}/d{variable} = "
                                                     f"{prose(result.after)}")]
    return [part for part in parts if part != ""]

