"""Statements of a block: chains of equalities, approximations and side conditions."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from probkit.symbolic.lint.alternatives import Alternatives
from probkit.symbolic.lint.checker_state import IMPLICATIONS, _compact, _number, _settled, _Term
from probkit.symbolic.lint.definitions import Definitions
from probkit.symbolic.lint.equality import display_name
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.log_checks import LogChecks
from probkit.symbolic.lint.reader import (
    PLUS_MINUS,
    symbol_name,
)
from probkit.symbolic.lint.report import (
    EqualityResult,
    Finding,
)
from probkit.symbolic.lint.statements import Segment, Statement
from probkit.symbolic.lint.value_statements import ValueStatements


class Chains(ValueStatements, Definitions, LogChecks, Alternatives):
    """Checks the statements of a block: chains, approximations, side conditions."""

    def statement(self, statement: Statement) -> None:
        relations = set(statement.relations)
        if relations and relations <= {"<", ">", "<=", ">="}:
            self.condition(statement)
            return
        run: list[Segment] = [statement.terms[0]]
        linked = False  # the run follows \Rightarrow, \iff, \therefore: a solving step
        for relation, term in zip(statement.relations, statement.terms[1:], strict=True):
            if relation == "=":
                run.append(term)
                continue
            if len(run) > 1:
                self.guarded_chain(run, linked)
            linked = relation in IMPLICATIONS
            run = [term]
        if len(run) > 1:
            self.guarded_chain(run, linked)
        equated = {k for k, relation in enumerate(statement.relations) if relation == "="}
        for k, relation in enumerate(statement.relations):
            if relation == "≈":
                alone = k not in equated and k - 1 not in equated  # in no chain of '='
                self.approximation(statement.terms[k], statement.terms[k + 1], alone=alone)

    def approximation(self, left: Segment, right: Segment, *, alone: bool = False) -> None:
        r"""``\sigma(2) \approx 0.881``: the value agrees with the decimal to the digits shown.

        Checked when the left side is a number once the definitions are
        substituted and the right side a decimal; rounded or cut off to the
        digits shown both agree. Anything else (``\sin x \approx x``) is not a
        claim about values, and is left alone.
        """
        digits = re.fullmatch(r"-?\d+(?:\.(\d+))?", _compact(right.text))
        if digits is None or not left.text:
            return
        term = _Term(left, self.lines.line(left.offset))
        self.prepare(term)
        self.read(term, self.names())
        self.refuse_unread_names(term)
        self.evaluate(term, self.scope.last_function_parameter)
        if term.value is None:
            if alone and term.problem is not None:  # in no chain: reported here, never silent
                self.unparsed(term, term.problem)
            return  # else reported by its chain
        try:
            value = complex(sp.N(term.value, 30))
        except (TypeError, ValueError):
            return
        if abs(value.imag) > 1e-20 or value != value:
            return
        places = len(digits.group(1) or "")
        shown = float(_compact(right.text))
        unit = 10.0 ** -places
        agrees = abs(value.real - shown) <= unit / 2 * (1 + 1e-9) or (
            abs(value.real) >= abs(shown) and abs(value.real - shown) < unit)  # cut off
        line = self.lines.line(right.offset)
        self.placed(right)
        self.results.append(EqualityResult(line, left.shown, right.shown,
                                           "verified" if agrees else "wrong",
                                           "numeric", "to the digits shown"))
        if not agrees:
            self.findings.append(Finding(
                line, right.shown, "wrong",
                f"wrong approximation: {left.shown} = {value.real:.{places + 3}g}…, not "
                f"≈ {right.shown} to the digits shown", None, None))

    def guarded_chain(self, segments: list[Segment], linked: bool = False) -> None:
        """:meth:`chain`, with a failure of SymPy (or of probkit) confined to this chain.

        Like a linter's "internal error" for one file: the rest of the post is
        still checked, and the chain is reported, never silently passed.
        """
        try:
            self.chain(segments, linked)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as a finding, see docstring
            first = segments[0]
            self.findings.append(Finding(
                self.lines.line(first.offset), first.shown, "unparsed",
                f"cannot check {first.shown} = …: internal error ({type(exc).__name__}); "
                "please report it", None, None))

    def condition(self, statement: Statement) -> None:
        """``a > 0``, ``0 < p < 1``, ``x \\geq 1``: the domain of a variable."""
        terms = [t.text for t in statement.terms]
        for (left, right), relation in zip(zip(terms, terms[1:], strict=False),
                                           statement.relations, strict=True):
            low_first = relation in ("<", "<=")
            for name, bound, name_is_left in ((left, right, True), (right, left, False)):
                value = _number(bound)
                if value is None:
                    continue
                try:
                    parsed = symbol_name(_compact(name))
                except Unreadable:
                    continue
                below = low_first != name_is_left  # name > bound
                if self.constrain(parsed, value, below):
                    continue
                if below:
                    self.scope.restrict(parsed, low=value)
                else:
                    self.scope.restrict(parsed, high=value)

    def constrain(self, name: str, bound: Any, below: bool) -> bool:
        """``z^{[1]} > 0`` with ``z^{[1]} = W^{[1]} x`` defined: the condition holds for the
        defined quantity's value, so the points sampled must satisfy ``W^{[1]} x > 0``. True
        when ``name`` is such a quantity (the constraint recorded)."""
        definition = self.scope.definitions.get(name)
        if definition is None or definition.params:
            return False
        try:
            value = self.scope.evaluate(sp.Symbol(name))
        except Exception:  # noqa: BLE001 - an unreadable definition constrains nothing
            return True
        if not getattr(value, "free_symbols", None):
            return True
        self.scope.constraints.append((value, bound, None) if below else (value, None, bound))
        return True

    # -- chains
    def chain(self, segments: list[Segment], linked: bool = False) -> None:
        terms = [_Term(s, self.lines.line(s.offset)) for s in segments]
        for segment, after in zip(segments, [*segments[1:], None], strict=True):
            self.placed(segment)
            if after is not None:  # an equation of a solving chain is shown "a = b"
                self.placed(segment, f"{segment.shown} = {after.shown}")
        # solving goes on after "とおくと", "setting … gives", or on the next row of its block
        linked = linked or self.prose_link or (
            self.solving is not None and self.solving.end == self.block_end)
        self.prose_link = False
        if linked and self.solving is not None and self.other_unknown(terms):
            linked = False  # "Solving … gives p = …, so $n = 16$": n = 16 solves nothing
        if not linked:
            self.close_solving()
        if not terms[0].segment.text:  # "= …" continuing the chain of the previous block
            if self.previous is None:
                self.unparsed(terms[0], "a chain that starts with '='")
                return
            terms[0] = self.previous
        elif any(not t.segment.text for t in terms):
            for term in terms:
                if not term.segment.text:
                    self.unparsed(term, "an empty side of '='")
            return
        definition = self.definition_target(terms)
        if definition is None and not linked and len(terms) == 2 and \
                self.defines_a_power(terms[0], terms[1]):
            return
        if linked and (definition is None or not definition[1]):
            definition = None  # "⇒ w = 3" is solved for, not defined; "g(u) = …" still is
        checked = terms[1:] if definition is not None else terms
        for term in terms:
            if term.prepared is None and term.problem is None and term.raw is None:
                self.prepare(term)
        primed = frozenset(n for t in terms if t.prepared for n in t.prepared.primed)
        names = self.names(primed)
        for term in checked:
            self.read(term, names)
        self.unread_call(terms, definition)
        self.refuse_undefined_means(checked)
        if self.alternates and len(terms) == 2 and terms[0].segment.text:
            self.alternative_values(terms, linked, definition)
            return
        solved = linked and self.solving is not None and len(terms) == 2 and definition is None
        everywhere = len(checked) > 1 and all(  # 12 \pm \sqrt{64} = 12 \pm 8: each sign
            t.raw is not None and t.raw.has(PLUS_MINUS) for t in checked)
        if definition is not None and everywhere:  # p = \frac{12 \pm 8}{40}: two values
            self.unread_names[definition[0]] = terms[0].line
            self.unread_reasons[definition[0]] = (
                f"{display_name(definition[0])} stands for two values (\\pm, line "
                f"{terms[0].line}); write each")
            definition = None
        for k, term in enumerate(checked):
            if term.raw is not None and term.raw.has(PLUS_MINUS) and not (
                    solved and k == 1) and not everywhere:
                term.raw = None
                term.problem = ("\\pm stands for two values; it is read only as the solutions "
                                "of an equation being solved (… ⇒ x = 1 \\pm \\sqrt{2}); "
                                "elsewhere write each")
        if not linked and segments[0].text and self.is_number(terms[1]) and \
                not self.solving_cue():  # "Solving w^2 = 4": an equation, not a value
            definition, valued = self.value_statement(terms, definition)
            if valued:
                checked = terms[1:]
        if definition is not None:
            self.refuse_unread_names(terms[1])  # f(x) = g(x) with g unread: f is unread too
            self.define(definition, terms[0], terms[1])
            if len(terms) == 2:
                self.log_of_product(definition[0], terms[1])
        prime_variable = self.prime_variable(checked)
        free = definition is None and self.holds_for_any_value(checked, prime_variable)
        for term in checked:
            if not free:
                self.refuse_unread_names(term)
            self.evaluate(term, prime_variable)
        self.report_unread(checked)
        verdicts = self.verdicts(checked)
        if definition is None and self.equations(checked, verdicts, linked, prime_variable):
            return
        verdicts = [_settled(v) for v in verdicts]
        for left, right, verdict in zip(checked, checked[1:], verdicts, strict=False):
            self.record(left, right, verdict)
        self.blame(checked, verdicts, prime_variable)
        self.previous = checked[-1]
        self.previous_end = self.block_end
        self.previous_first = checked[0]
        self.results_made.append(checked[0])
