"""Equations: lone conditions and solving chains, each step solved like the one before."""

from __future__ import annotations

from typing import Any

import sympy as sp

from probkit.symbolic.lint.blame import Blame
from probkit.symbolic.lint.checker_state import _Equation, _number, _settled, _Solving, _Term
from probkit.symbolic.lint.equality import Verdict
from probkit.symbolic.lint.prose import (
    set_up_after,
    solving_before,
)
from probkit.symbolic.lint.reader import PLUS_MINUS
from probkit.symbolic.lint.report import (
    EqualityResult,
    Finding,
)
from probkit.symbolic.lint.solving import same_solutions
from probkit.symbolic.lint.statements import Segment


def _never_true(left: Any, right: Any) -> bool:
    """Is ``left = right`` false for every value (both sides differ by a nonzero constant)?

    Such an equality is not an equation to solve but a wrong claim (the difference of
    two squares written ``= 2`` where it is 4). Only a small difference is expanded.
    """
    if left is None or right is None:
        return False
    difference = left - right
    if sp.count_ops(difference) > 200:
        return False
    constant = sp.expand(difference)
    return not constant.free_symbols and constant.is_number and constant != 0


def _estimate(last: _Equation, values: list[Any]) -> tuple[Any, Any] | None:
    r"""``(λ̂, λ)`` when the last equation of a solving chain isolates ``\hat\lambda`` (or
    ``w^*``) and the equations before it are in λ (w), and never in λ̂ (w*): the hat (the
    star) names the solution for λ (w)."""
    raw = last.left.raw
    if not isinstance(raw, sp.Symbol) or any(v is None for v in values[:-1]) or \
            values[-1] is None:
        return None
    if raw.name.startswith(r"\hat{") and raw.name.endswith("}"):
        inner = raw.name[len(r"\hat{"):-1]
        base = sp.Symbol(inner[1:] if inner.startswith("\\") else inner)
    elif "^{*}" in raw.name:  # w^*, \theta^\star: the optimum, the solution for w
        base = sp.Symbol(raw.name.replace("^{*}", "", 1))
    else:
        return None
    earlier = set().union(*(v.free_symbols for v in values[:-1])) if values[:-1] else set()
    if base not in earlier or raw in earlier or base in values[-1].free_symbols:
        return None
    return raw, base


class SolvingChains(Blame):
    """Checks conditions and solving chains."""

    # -- equations: conditions and solving chains
    def equations(self, terms: list[_Term], verdicts: list[Verdict | None], linked: bool,
                  prime_variable: Any) -> bool:
        """Handle the chain if one of its links is an equation rather than an identity.

        An equation is an equality that is not an identity and is either a
        solving step (after an implication or a solving cue; any one link of
        the chain, as in ``⇒ w = \frac{7}{5} = 1.4``) or, unlinked, the last
        link of a chain with the form of an equation (a number on one side, a
        variable on the other: ``\frac{dE}{dw} = 0``, ``\frac{dE}{dw} = 2(w -
        3) = 0``) or set up by the words after it. The other links are checked
        as identities. True when the chain was handled here.
        """
        if linked and self.solving is not None and len(terms) == 2 and (
                verdicts[0] is None or terms[1].raw.has(PLUS_MINUS)):
            self.solving.equations.append(_Equation(terms[0], terms[1], None))  # unread
            self.solving.end = self.block_end
            return True
        wrong = [k for k, v in enumerate(verdicts) if v is not None and v.status == "wrong"]
        if len(wrong) != 1:
            return False
        k = wrong[0]
        left, right = terms[k], terms[k + 1]
        if not linked and (k != len(verdicts) - 1 or self.qualified or not (
                self.equation_form(left, right) or self.solving_cue() or self.solving_rows)):
            return False
        for a, b, verdict in zip(terms, terms[1:], verdicts, strict=False):
            if a is not left:
                self.record(a, b, verdict)
        for piece, pieces in ((terms[:k + 1], verdicts[:k]), (terms[k + 1:], verdicts[k + 1:])):
            if len(piece) > 1:  # the identities around the equation
                self.blame(piece, pieces, prime_variable)
        self.previous = terms[-1] if k < len(verdicts) - 1 else terms[-2]
        self.previous_end = self.block_end
        self.previous_first = terms[0]
        self.results_made.append(terms[0])
        equation = _Equation(left, right, verdicts[k])
        if linked and self.solving is not None:
            self.solving.equations.append(equation)
            self.solving.end = self.block_end
            return True
        variables = [v for t in terms if t.raw is not None for d in t.raw.atoms(sp.Derivative)
                     for v, _ in d.variable_count]
        self.close_solving()
        self.solving = _Solving([equation], dict(self.scope.domains), self.block_end,
                                linked or self.solving_cue() or self.solving_rows,
                                variables[0] if len(set(variables)) == 1 else None)
        return True

    def open_set_to_zero(self, result: _Term) -> None:
        """"これを 0 とおくと", "setting this to zero": the last result = 0 is being solved."""
        zero = _Term(Segment("0", result.segment.offset, "0"), result.line, raw=sp.Integer(0),
                     value=sp.Integer(0))
        variables = [v for d in (result.raw.atoms(sp.Derivative) if result.raw is not None
                                 else ()) for v, _ in d.variable_count]
        self.solving = _Solving([_Equation(result, zero, None)], dict(self.scope.domains),
                                self.previous_end, True,
                                variables[0] if len(set(variables)) == 1 else None)

    def equation_form(self, left: _Term, right: _Term) -> bool:
        """A number on one side and a variable on the other (``2z + 1 = 5``).

        A derivative equal to a number is an equation only when the number is 0
        (``\frac{dE}{dw} = 0``): ``\frac{d}{dx} x^2 = 2`` is a claim, and wrong.
        """
        for number, other in ((left, right), (right, left)):
            value = _number(number.segment.text)
            if value is None or other.value is None or not other.value.free_symbols:
                continue
            derivative = other.raw is not None and (other.raw.has(sp.Derivative) or any(
                type(f).__name__.endswith("'")
                for f in other.raw.atoms(sp.core.function.AppliedUndef)) or any(
                s.name.endswith("'") for s in other.raw.free_symbols))
            if value == 0 or not derivative:
                return True
        return False

    def solving_cue(self) -> bool:
        """Does the prose around the current block say its equation is being solved?"""
        before = self.text[max(0, self.block_start - 120):self.block_start].rstrip("$\\([")
        return solving_before(before) or set_up_after(self.text[self.block_end:])

    def close_solving(self) -> None:
        """Check the open solving chain (or report its lone equation as a condition)."""
        chain, self.solving = self.solving, None
        if chain is None:
            return
        first = chain.equations[0]
        if len(chain.equations) == 1:
            if (chain.cue or self.equation_form(first.left, first.right)) and not _never_true(
                    first.left.value, first.right.value):
                shown = f"{first.left.segment.shown} = {first.right.segment.shown}"
                self.results.append(EqualityResult(first.left.line, first.left.segment.shown,
                                                   first.right.segment.shown, "condition",
                                                   None, "an equation, not an identity"))
                self.findings.append(Finding(
                    first.left.line, shown, "condition",
                    f"condition: {shown} is an equation (true for some values only), not an "
                    "identity; nothing after it solves it, so it is not checked", None, None))
            else:
                identity = _settled(first.identity)
                self.record(first.left, first.right, identity)
                self.blame([first.left, first.right], [identity], None)
            return
        self.solving_chain(chain)

    def solving_chain(self, chain: _Solving) -> None:
        equations = chain.equations
        self.report_unread([t for e in equations for t in (e.left, e.right)])
        unknown = chain.variable if chain.variable is not None else self.unknown(equations)
        values = [e.value for e in equations]
        estimate = _estimate(equations[-1], values)
        if estimate is not None and (unknown is None or unknown == estimate[1]):
            hat, unknown = estimate  # ⇒ \hat\lambda = …: the solution for λ, written λ̂
            values[-1] = values[-1].xreplace({hat: unknown})
        verdicts: list[Verdict | None] = []
        for k, (before, after) in enumerate(zip(equations, equations[1:], strict=False)):
            if values[k] is None or values[k + 1] is None:
                verdict = None
            elif unknown is None:
                verdict = Verdict("undecided", None, "cannot tell which variable is solved for")
            else:
                verdict = same_solutions(values[k], values[k + 1], unknown, chain.domains,
                                         seed=self.seed + len(self.results))
            self.results.append(EqualityResult(
                after.line, before.shown, after.shown,
                "unparsed" if verdict is None else verdict.status,
                None if verdict is None else verdict.method,
                "" if verdict is None else verdict.detail))
            verdicts.append(verdict)
        i = 0
        while i < len(verdicts):
            verdict, before, after = verdicts[i], equations[i], equations[i + 1]
            if verdict is None and before.value is None and after.value is not None and \
                    after.line != before.line:
                self.findings.append(Finding(
                    after.line, after.shown, "undecided",
                    f"undecided (next to an unreadable line): {after.shown} was not checked "
                    f"against {before.shown} (line {before.line}), which could not be read",
                    None, None))
            if verdict is None or verdict.status == "verified":
                i += 1
                continue
            following = verdicts[i + 1] if i + 1 < len(verdicts) else None
            if verdict.status == "wrong" and following is not None and \
                    following.status == "wrong" and \
                    unknown is not None and values[i + 2] is not None and \
                    same_solutions(values[i], values[i + 2], unknown,
                                   chain.domains, seed=self.seed + 7919).status == "verified":
                self.findings.append(Finding(
                    after.line, after.shown, "wrong",
                    f"wrong step in solving: {after.shown} does not have the solutions of "
                    f"{before.shown} ({verdict.detail}), while the equations around it agree",
                    None, None))
                i += 2
                continue
            if verdict.status == "wrong" and i > 0 and verdicts[i - 1] is None:
                self.findings.append(Finding(
                    before.line, before.shown, "undecided",
                    f"undecided (next to an unreadable line): {before.shown} and {after.shown} "
                    f"have different solutions ({verdict.detail}); the equation before them "
                    "could not be read, so either may hold the slip", None, None))
            elif verdict.status == "wrong":
                self.findings.append(Finding(
                    after.line, after.shown, "wrong",
                    f"wrong step in solving: {after.shown} does not have the solutions of "
                    f"{before.shown} ({verdict.detail})", None, None))
            else:
                self.findings.append(Finding(
                    after.line, after.shown, "undecided",
                    f"undecided: {before.shown} ⇒ {after.shown}: {verdict.detail}", None, None))
            i += 1

    def unknown(self, equations: list[_Equation]) -> Any:
        """The variable a solving chain solves for.

        The variable of the derivative set to zero (``\frac{dE}{dw} = 0``: w;
        found when the chain opens); else the name the last equation isolates
        (``w = …``); else the one variable all the equations share.
        """
        values = [e.value for e in equations if e.value is not None]
        last = equations[-1]
        if last.left.raw is not None and isinstance(last.left.raw, sp.Symbol) and values and \
                last.left.raw in values[0].free_symbols:
            return last.left.raw
        if isinstance(last.left.raw, sp.Pow) and isinstance(last.left.raw.base, sp.Symbol) and \
                last.left.raw.exp.is_Integer and values and \
                last.left.raw.base in values[0].free_symbols:
            return last.left.raw.base  # ⇒ \sigma^2 = …: solved for σ (σ² isolated)
        if not values:
            return None
        shared = set.intersection(*(set(v.free_symbols) for v in values))
        return shared.pop() if len(shared) == 1 else None
