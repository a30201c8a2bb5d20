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

import time
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from probkit.errors import InputError
from probkit.symbolic.domain_verifier import Domain, checked
from probkit.symbolic.model import Step
from probkit.symbolic.rules import D, apply_rule, is_pending
from probkit.symbolic.user_input import tree_size

MAX_STEPS = 250
"""Most rule applications one derivative may take (bounds the work of any input)."""

MAX_WRITTEN_NODES = 25_000
"""Most nodes one derivation may write out over all its steps (the sum of the sizes of
every line): each step writes and checks the whole line, so this bounds both the work and
the output. A sum of 40 sines writes 22,481; of 99, about 140,000 (437 kB of text)."""

TIME_BUDGET = 60.0
"""Seconds one derivation may take before it is given up (checked between steps): a last
guard behind the bounds on the input, the derivative, the lines written and what is
factored, which keep every input tried far below it."""


@dataclass
class Budget:
    """What one derivation may still spend: nodes written (:data:`MAX_WRITTEN_NODES`) and
    time (:data:`TIME_BUDGET`). Shared by every partial derivative of the derivation.

    >>> budget = Budget(nodes=10)
    >>> budget.spend(8)
    >>> budget.spend(8)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: expression: the derivation would write more than 10 nodes ...
    """

    nodes: int = field(default_factory=lambda: MAX_WRITTEN_NODES)
    seconds: float = field(default_factory=lambda: TIME_BUDGET)
    parameter: str = "expression"
    written: int = 0
    until: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.until = time.monotonic() + self.seconds

    def spend(self, nodes: int) -> None:
        """Count ``nodes`` more written; raise :class:`InputError` past either limit."""
        self.written += nodes
        if self.written > self.nodes:
            raise InputError(f"{self.parameter}: the derivation would write more than "
                             f"{self.nodes:,} nodes of expressions; give a smaller expression",
                             parameter=self.parameter)
        self.check_time()

    def check_time(self) -> None:
        """Raise :class:`InputError` once the time budget has run out."""
        if time.monotonic() > self.until:
            raise InputError(f"{self.parameter}: the derivation took more than its time budget "
                             f"of {self.seconds:g} s and was given up; give a smaller expression",
                             parameter=self.parameter)


def first_pending(expr: Any, x: Any) -> Any | None:
    """The first derivative still to expand, in reading order, or None."""
    for node in sp.preorder_traversal(expr):
        if is_pending(node, x):
            return node
    return None


def differentiate(expr: Any, x: Any, domain: Domain,
                  budget: Budget | None = None) -> tuple[list[Step], Any]:
    """The steps from ``d/dx expr`` to its derivative, and the derivative.

    Raises :class:`InputError` for a construct without a rule, or when the
    derivative would take more than :data:`MAX_STEPS` steps or spend more than its
    ``budget`` (a new :class:`Budget` by default). ``d/dx f(x, y)``
    of a function of the user's own takes no step: it is final.
    """
    budget = Budget() if budget is None else budget
    current = D(expr, x)
    steps: list[Step] = []
    while (node := first_pending(current, x)) is not None:
        if len(steps) >= MAX_STEPS:
            raise InputError(f"the derivative needs more than {MAX_STEPS} steps; "
                             "give a smaller expression")
        application = apply_rule(node.expr, x)
        after = current.xreplace({node: application.result})
        budget.spend(tree_size(after, budget.nodes))
        steps.append(checked(application.rule, current, after, application.explanation, domain))
        current = after
    if not steps and (expr == x or not expr.has(x)):  # d/dx of a constant, or of x itself
        rule = "variable rule" if expr == x else "constant rule"
        steps.append(checked(rule, sp.Derivative(expr, x), current,
                             apply_rule(expr, x).explanation, domain))
    return steps, current
