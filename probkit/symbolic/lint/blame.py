"""Neighbouring terms compared one pair at a time, and the line to blame when a pair differs."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from probkit.symbolic.lint.checker_state import MAX_EQUALITIES, CheckerState, _Term
from probkit.symbolic.lint.equality import Verdict, display_name, numerically_equal
from probkit.symbolic.lint.report import (
    Finding,
    counterexample_note,
)

_PROBABILITY = re.compile(r"\\?(?:P|Pr)\(")
"""The name of a probability, ``P(A∩B)``: a quantity with a value, never a variable."""


def _at_unstated_values(left: Any, right: Any) -> Verdict | None:
    r"""``\frac{P(A \cap B)}{P(B)} = \frac{0.12}{0.40}`` with P(A∩B) given only in a table:
    one side a number, the other free in probabilities the post gives no value, their
    difference depending on them. The link is an evaluation at values the post does not state
    (a condition on them), undecided, never wrong. Sides differing by a nonzero constant
    are not this (they are wrong for every value)."""
    for number, other in ((left, right), (right, left)):
        if getattr(number, "free_symbols", None) or not getattr(other, "free_symbols", None):
            continue
        if other.has(sp.core.function.AppliedUndef, sp.Derivative, sp.Sum, sp.Product) or \
                not all(_PROBABILITY.match(str(s)) for s in other.free_symbols):
            return None  # a variable (x, p, n) left free: a claim for every value, checked
        try:
            depends = bool(sp.expand(other - number).free_symbols)
        except (ArithmeticError, TypeError, ValueError, NotImplementedError):
            return None
        if depends:
            names = ", ".join(sorted(display_name(str(s)) for s in other.free_symbols))
            return Verdict("undecided", None, f"holds only at values of {names} the post "
                           "does not state")
    return None


def _grouped(latex: str) -> str:
    r"""``latex`` in parentheses, unless it already is one parenthesised group.

    >>> _grouped("a+b"), _grouped(r"\left(a+b\right)"), _grouped("(a)(b)")
    ('\\left(a+b\\right)', '\\left(a+b\\right)', '\\left((a)(b)\\right)')
    """
    inner = latex[6:-7] if latex.startswith(r"\left(") and latex.endswith(r"\right)") else (
        latex[1:-1] if latex.startswith("(") and latex.endswith(")") else None)
    if inner is not None:
        depth = 0
        for c in inner:
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth < 0:
                break
        else:
            if depth == 0:
                return latex
    return f"\\left({latex}\\right)"


class Blame(CheckerState):
    """Compares neighbouring terms and blames the wrong one."""

    def verdicts(self, terms: list[_Term]) -> list[Verdict | None]:
        """Each equality between neighbours as an identity (None: a side was not read)."""
        verdicts: list[Verdict | None] = []
        base = len(self.results)
        for k, (left, right) in enumerate(zip(terms, terms[1:], strict=False)):
            if left.value is None or right.value is None:
                verdicts.append(None)
                continue
            if base + k >= MAX_EQUALITIES:
                verdict = Verdict("undecided", None, f"more than {MAX_EQUALITIES} equalities")
            else:
                try:
                    verdict = self.compare(left.value, right.value, self.seed + base + k)
                    if verdict.status == "wrong":
                        verdict = _at_unstated_values(left.value, right.value) or verdict
                except (ArithmeticError, RecursionError, TypeError, ValueError,
                        NotImplementedError, AttributeError):  # SymPy's own failures
                    verdict = Verdict("undecided", None,
                                      "SymPy could not compare the sides")
            verdicts.append(verdict)
        return verdicts

    def blame(self, terms: list[_Term], verdicts: list[Verdict | None],
              prime_variable: Any) -> None:
        wrong = [v is not None and v.status == "wrong" for v in verdicts]
        first_finding = len(self.findings)
        unvouched = [(terms[i], terms[i + 1]) for i, v in enumerate(verdicts) if v is None and
                     terms[i].value is None and terms[i + 1].value is not None and
                     terms[i + 1].line != terms[i].line]
        i = 0
        while i < len(verdicts):
            verdict = verdicts[i]
            if verdict is None:
                i += 1
                continue
            if wrong[i] and i + 1 < len(verdicts) and wrong[i + 1]:
                before, middle, after = terms[i], terms[i + 1], terms[i + 2]
                if numerically_equal(before.value, after.value, self.scope.domains,
                                     seed=self.seed + 7919 + i,
                                     constraints=self.scope.constraints):
                    counter = verdict.counterexample
                    where = counterexample_note(counter)
                    self.findings.append(Finding(
                        middle.line, middle.segment.shown, "wrong",
                        f"wrong expression: {middle.segment.shown} (its neighbours "
                        f"{before.segment.shown} and {after.segment.shown} are equal){where}",
                        counter, self.suggest(before, middle, prime_variable)))
                    i += 2
                    continue
            left, right = terms[i], terms[i + 1]
            before_step = verdicts[i - 1] if i > 0 else None
            if wrong[i] and i > 0 and (before_step is None or before_step.status == "undecided"):
                # the step before was not read (or not decided): judge left by the nearest
                # readable term before it (the chain claims they are equal too); else blame
                # no one
                earlier = next((t for t in reversed(terms[:i]) if t.value is not None and not
                                t.value.has(sp.core.function.AppliedUndef, sp.Derivative,
                                            sp.Subs)), None)
                seed = self.seed + 7919 + i
                if earlier is not None and numerically_equal(
                        earlier.value, right.value, self.scope.domains, seed=seed,
                        constraints=self.scope.constraints):
                    counter = verdict.counterexample
                    where = counterexample_note(counter)
                    self.findings.append(Finding(
                        left.line, left.segment.shown, "wrong",
                        f"wrong expression: {left.segment.shown} (the readable terms around "
                        f"it, {earlier.segment.shown} and {right.segment.shown}, are equal)"
                        f"{where}", counter, self.suggest(right, left, prime_variable)))
                    i += 1
                    continue
                if earlier is None or not numerically_equal(
                        earlier.value, left.value, self.scope.domains, seed=seed,
                        constraints=self.scope.constraints):
                    self.next_to_unreadable(terms[i - 1], left, right, verdict,
                                            read=before_step is not None)
                    i += 1
                    continue
            if wrong[i]:
                counter = verdict.counterexample
                where = counterexample_note(counter)
                self.findings.append(Finding(
                    right.line, right.segment.shown, "wrong",
                    f"wrong step: {left.segment.shown} ≠ {right.segment.shown}{where}",
                    counter, self.suggest(left, right, prime_variable)))
            elif verdict.status == "undecided":
                self.findings.append(Finding(
                    right.line, right.segment.shown, "undecided",
                    f"undecided: {left.segment.shown} = {right.segment.shown}: {verdict.detail}",
                    None, None))
            i += 1
        reported = {f.source_line for f in self.findings[first_finding:]}
        for unread, term in unvouched:  # a readable line after an unreadable one: never silent
            if term.line not in reported and not self.vouched(terms, unread, term):
                self.findings.append(Finding(
                    term.line, term.segment.shown, "undecided",
                    f"undecided (next to an unreadable line): {term.segment.shown} was not "
                    f"checked, as the term before it (line {unread.line}) could not be read",
                    None, None))

    def vouched(self, terms: list[_Term], unread: _Term, term: _Term) -> bool:
        """Is ``term``, just after the unreadable ``unread``, equal to the nearest readable term
        before ``unread`` (which the chain also claims it equals)?"""
        at = next(k for k, t in enumerate(terms) if t is unread)
        earlier = next((t for t in reversed(terms[:at]) if t.value is not None
                        and not t.value.has(sp.core.function.AppliedUndef, sp.Derivative,
                                            sp.Subs)), None)
        return earlier is not None and numerically_equal(
            earlier.value, term.value, self.scope.domains, seed=self.seed + 7919,
            constraints=self.scope.constraints)

    def next_to_unreadable(self, unread: _Term, left: _Term, right: _Term,
                           verdict: Verdict, *, read: bool = False) -> None:
        """``left`` ≠ ``right``, and ``left``'s other neighbour could not be read.

        (``read``: it was read, but the step between it and ``left`` could not
        be decided.)

        The step that would have said whether ``left`` is right is missing, so
        either line may hold the slip: neither is blamed, nothing is suggested.
        """
        counter = verdict.counterexample
        where = counterexample_note(counter)
        lines = (f"line {left.line}" if left.line == right.line
                 else f"lines {left.line} and {right.line}")
        why = (f"the step from {unread.segment.shown} (line {unread.line}) could not be decided"
               if read else f"{unread.segment.shown} (line {unread.line}) could not be read")
        kind = "an undecided step" if read else "an unreadable line"
        self.findings.append(Finding(
            left.line, left.segment.shown, "undecided",
            f"undecided (next to {kind}): {left.segment.shown} ≠ {right.segment.shown}{where}; "
            f"which side is wrong cannot be told because {why}, so {lines} may hold the slip",
            counter, None))

    def suggest(self, expected: _Term, actual: _Term, variable: Any) -> str | None:
        """What ``actual`` should have been, judged from its equal neighbour ``expected``.

        Each diagnosis is tried numerically (cheap; ``cancel`` of a quotient of
        exponentials can take minutes): a flipped sign, a missing factor (a
        variable or a small integer), an exponent off by one, a missing derivative.
        """
        want, got = expected.value, actual.value
        written = actual.segment.shown
        grouped = _grouped(written)
        domains = self.scope.domains

        def same(candidate: Any) -> bool:
            return numerically_equal(want, candidate, domains, seed=self.seed + 104729)

        if not (want.free_symbols | got.free_symbols) or got.has(
                sp.core.function.AppliedUndef, sp.Derivative):
            return f"expected an expression equal to {expected.segment.shown}"
        if same(-got):
            flipped = written[1:] if written.startswith("-") else f"-\\left({written}\\right)"
            return f"the sign is wrong: expected {flipped}"
        factors = [*sorted(want.free_symbols | got.free_symbols, key=str), *map(sp.Integer,
                                                                              (2, 3, 4))]
        for factor in factors:
            if same(factor * got):
                return (f"a factor {sp.latex(factor)} is missing: expected {sp.latex(factor)} "
                        f"\\cdot {grouped}")
            if same(got / factor):
                return (f"an extra factor {sp.latex(factor)}: expected "
                        f"\\frac{{1}}{{{sp.latex(factor)}}} {grouped}")
        for power in sorted(got.atoms(sp.Pow), key=str):
            if power.exp.is_Integer and abs(power.exp) > 1 and (
                    same(got * power.base) or same(got / power.base)):
                return (f"the exponent of {sp.latex(power.base)} is off by one: expected an "
                        f"expression equal to {expected.segment.shown}")
        if variable is not None and got.has(variable) and same(sp.diff(got, variable)):
            return (f"the derivative is missing (a dropped prime?): expected "
                    f"\\frac{{d}}{{d{sp.latex(variable)}}}{grouped}")
        return f"expected an expression equal to {expected.segment.shown}"
