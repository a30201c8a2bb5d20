"""Systems of equations: rows solved together, one unknown per row."""

from __future__ import annotations

import sympy as sp

from probkit.symbolic.lint.checker_state import _Equation, _names_in, _number, _target, _Term
from probkit.symbolic.lint.equality import Verdict
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.prose import (
    all_set_to_zero,
    crosses_heading,
)
from probkit.symbolic.lint.reader import parse_term
from probkit.symbolic.lint.report import (
    EqualityResult,
    Finding,
)
from probkit.symbolic.lint.solving import same_solutions
from probkit.symbolic.lint.solving_chains import SolvingChains
from probkit.symbolic.lint.statements import Statement


class Systems(SolvingChains):
    """Checks systems of equations."""

    def solving_block(self, statements: list[Statement]) -> bool:
        r"""Are the rows of this block the steps of solving an equation?

        ``(0.25 - p)^2 &= 0.25 p (1 - p) \\ p^2 - 0.5 p + 0.0625 &= 0.25 p - 0.25 p^2 \\
        1.25 p^2 - 0.75 p + 0.0625 &= 0``: each row one equation on a line of its own, none
        defining a name (but the last, which may isolate one: ``p = 0.1``), the last with a
        number on one side. Each row is then an equation with the solutions of the row
        before (a solving chain), not an identity.
        """
        rows = [st for st in statements if not st.condition and not (
            st.relations and set(st.relations) <= {"<", ">", "<=", ">="})]
        if len(rows) < 2 or any(st.relations != ("=",) or not all(t.text for t in st.terms)
                                for st in rows):
            return False
        lines = [self.lines.line(st.terms[0].offset) for st in rows]
        if len(set(lines)) != len(lines):
            return False
        if any(_target(st.terms[0].source or st.terms[0].text, st.terms[0].offset) is not None
               for st in rows[:-1]):
            return False
        numbers = [_number(t.text) is not None for t in rows[-1].terms]
        if numbers.count(True) != 1:
            return False
        shared = None  # the rows solve for one unknown: a name every row holds
        for row in rows:
            names: set[str] = set()
            for term in row.terms:
                try:
                    names |= _names_in(parse_term(term.source or term.text, term.offset).tree)
                except Unreadable:
                    continue
            shared = names if shared is None else shared & names
        return bool(shared)

    def system(self, statements: list[Statement]) -> bool:
        r"""A system of equations: rows ``a &= b``, one a line, none an identity.

        ``w\sum x_i + nb &= \sum y_i \\ w\sum x_i^2 + b\sum x_i &= \sum x_i y_i``: every
        row is an equation (none holds for all values), so the block states conditions,
        not identities; a row is never ``wrong`` for not being one. After words setting
        the results above to zero ("どちらも 0 とおくと", "Both vanish"), the system is
        those results set to zero: each row must have the solutions of one of them (the
        last as many results as there are rows), else it is the wrong row. True when the
        block was handled here.
        """
        rows = [st for st in statements if not st.condition]
        if len(rows) < 2 or len(rows) != len(statements) or any(
                st.relations != ("=",) or not all(t.text for t in st.terms) for st in rows):
            return False
        lines = [self.lines.line(st.terms[0].offset) for st in rows]
        if len(set(lines)) != len(lines) or any(
                _target(st.terms[0].source or st.terms[0].text, st.terms[0].offset) is not None
                for st in rows):
            return False
        equations = []
        names = self.names()
        for row in rows:
            left, right = (_Term(t, self.lines.line(t.offset)) for t in row.terms)
            for term in (left, right):
                self.prepare(term)
                self.read(term, names)
                self.refuse_unread_names(term)
                self.evaluate(term, self.scope.last_function_parameter)
                if term.value is None:
                    return False
            try:
                identity = self.compare(left.value, right.value, self.seed + len(self.results))
            except (ArithmeticError, RecursionError, TypeError, ValueError,
                    NotImplementedError, AttributeError):
                return False
            if identity.status != "wrong":
                return False  # a list of identities, each checked as one
            equations.append(_Equation(left, right, identity))
        for row in rows:
            for segment, after in zip(row.terms, [*row.terms[1:], None], strict=True):
                self.placed(segment)
                if after is not None:
                    self.placed(segment, f"{segment.shown} = {after.shown}")
        self.close_solving()
        prose = self.text[self.previous_end:self.block_start]
        results = [r for r in self.results_made[-len(rows):] if r.value is not None]
        if len(results) == len(rows) and all_set_to_zero(prose) and not crosses_heading(prose):
            for equation in equations:
                self.system_row(equation, results)
        else:
            for equation in equations:
                shown = equation.shown
                self.results.append(EqualityResult(equation.line, equation.left.segment.shown,
                                                   equation.right.segment.shown, "condition",
                                                   None, "an equation of a system"))
                self.findings.append(Finding(
                    equation.line, shown, "condition",
                    f"condition: {shown} is an equation of a system (true for some values "
                    "only), not an identity; it is not checked", None, None))
        self.previous, self.previous_first = None, None
        self.previous_end = self.block_end
        return True

    def system_row(self, equation: _Equation, results: list[_Term]) -> None:
        """One row of a system against the results set to zero: the solutions of one of them."""
        verdicts = []
        for result in results:
            variables = {v for d in (result.raw.atoms(sp.Derivative) if result.raw is not None
                                     else ()) for v, _ in d.variable_count}
            shared = set(equation.value.free_symbols) & set(result.value.free_symbols)
            unknown = variables.pop() if len(variables) == 1 else (
                sorted(shared, key=str)[0] if shared else None)
            if unknown is None or unknown not in equation.value.free_symbols:
                verdicts.append(Verdict("undecided", None, "no unknown in common"))
                continue
            verdict = same_solutions(equation.value, result.value, unknown, self.scope.domains,
                                     seed=self.seed + len(self.results))
            verdicts.append(verdict)
            if verdict.status == "verified":
                break
        shown = [f"{r.segment.shown} = 0" for r in results]
        last = verdicts[-1]
        status = "verified" if last.status == "verified" else (
            "wrong" if all(v.status == "wrong" for v in verdicts) else "undecided")
        self.results.append(EqualityResult(equation.line, " or ".join(shown), equation.shown,
                                           status, last.method if status == "verified" else None,
                                           last.detail))
        if status == "wrong":
            self.findings.append(Finding(
                equation.line, equation.shown, "wrong",
                f"wrong equation of the system: {equation.shown} has the solutions of none "
                f"of {', '.join(shown)} ({verdicts[0].detail})", None, None))
        elif status == "undecided":
            self.findings.append(Finding(
                equation.line, equation.shown, "undecided",
                f"undecided: {equation.shown} was not matched with any of {', '.join(shown)}",
                None, None))
