"""The rule engine: differentiate step by step, one named rule per step, each step checked.

Start from ``d/dx expr``; while a derivative is pending, take the first one
(reading order), apply its rule (:func:`probkit.symbolic.rules.apply_rule`)
and record the whole line ``before = after`` as a checked step. Then tidy the
result (:mod:`probkit.symbolic.rewrite`), which is a step of its own.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> from probkit.symbolic.domain_verifier import Domain
>>> steps, result = differentiate(sp.tanh(x) ** 2, x, Domain((x,)))
>>> [step.rule for step in steps]
['chain rule (power)', 'hyperbolic rule']
>>> result
2*(1 - tanh(x)**2)*tanh(x)
>>> all(step.check.passed for step in steps)
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from probkit.errors import InputError
from probkit.symbolic.domain_verifier import Domain, checked
from probkit.symbolic.model import Step
from probkit.symbolic.rules import D, apply_rule, is_pending

MAX_STEPS = 250
"""Most rule applications one derivative may take (bounds the work of any input)."""


def first_pending(expr: Any, x: Any) -> Any | None:
    """The first derivative still to expand, in reading order, or None."""
    for node in sp.preorder_traversal(expr):
        if is_pending(node, x):
            return node
    return None


def differentiate(expr: Any, x: Any, domain: Domain) -> tuple[list[Step], Any]:
    """The steps from ``d/dx expr`` to its derivative, and the derivative.

    Raises :class:`InputError` for a construct without a rule, or when the
    derivative would take more than :data:`MAX_STEPS` steps. ``d/dx f(x, y)``
    of a function of the user's own takes no step: it is final.
    """
    current = D(expr, x)
    steps: list[Step] = []
    while (node := first_pending(current, x)) is not None:
        if len(steps) >= MAX_STEPS:
            raise InputError(f"the derivative needs more than {MAX_STEPS} steps; "
                             "give a smaller expression")
        application = apply_rule(node.expr, x)
        after = current.xreplace({node: application.result})
        steps.append(checked(application.rule, current, after, application.explanation, domain))
        current = after
    if not steps and (expr == x or not expr.has(x)):  # d/dx of a constant, or of x itself
        rule = "variable rule" if expr == x else "constant rule"
        steps.append(checked(rule, sp.Derivative(expr, x), current,
                             apply_rule(expr, x).explanation, domain))
    return steps, current
