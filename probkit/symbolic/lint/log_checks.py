"""Taking logs: a log-likelihood checked against the log of the product it comes from."""

from __future__ import annotations

from typing import Any

import sympy as sp

from probkit.symbolic.lint.checker_state import CheckerState, _settled, _Term
from probkit.symbolic.lint.equality import display_name
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.prose import taking_logs
from probkit.symbolic.lint.report import (
    EqualityResult,
    Finding,
    counterexample_note,
)
from probkit.symbolic.lint.scope import Definition


class LogChecks(CheckerState):
    """Checks a log-likelihood defined after "taking logs"."""

    def log_of_product(self, name: str, rhs: _Term) -> None:
        r""""Taking logs," then ``\ell(\lambda) = …`` after ``L(\lambda) = \prod_i …``: the prose
        says ℓ is log L, so the new definition is checked against the log of the product."""
        before = self.text[max(0, self.block_start - 160):self.block_start]
        new = self.scope.definitions.get(name)
        if new is None or not new.params or not taking_logs(before):
            return
        likelihood = next((d for d in reversed(list(self.scope.definitions.values()))
                           if d is not new and d.params == new.params and d.body.has(sp.Product)),
                          None)
        if likelihood is None:
            return

        def call(definition: Definition) -> Any:
            powers = definition.powers or (1,) * len(definition.params)
            return sp.Function(definition.name)(*(p ** k for p, k in zip(
                definition.params, powers, strict=True)))

        try:
            left = self.scope.evaluate(sp.log(call(likelihood)))
            right = self.scope.evaluate(call(new))
            verdict = _settled(self.compare(left, right, self.seed + len(self.results)))
        except (Unreadable, ArithmeticError, RecursionError, TypeError, ValueError,
                NotImplementedError, AttributeError):
            return
        assert verdict is not None
        shown = f"log {display_name(likelihood.name)} = {rhs.segment.shown}"
        if verdict.status == "verified":
            self.results.append(EqualityResult(rhs.line, f"log {likelihood.name}",
                                               rhs.segment.shown, "verified", verdict.method,
                                               verdict.detail))
        elif verdict.status == "wrong":
            self.results.append(EqualityResult(rhs.line, f"log {likelihood.name}",
                                               rhs.segment.shown, "wrong", verdict.method,
                                               verdict.detail))
            counter = verdict.counterexample
            where = counterexample_note(counter)
            self.findings.append(Finding(
                rhs.line, rhs.segment.shown, "wrong",
                f"wrong step: {shown} fails: {rhs.segment.shown} is not the log of "
                f"{display_name(likelihood.name)} (line {likelihood.line}), which the words "
                f"before it take{where}", counter, None))
