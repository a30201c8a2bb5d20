"""Value statements (``n = 16``, ``p = 0.3``) and claims that hold for any value."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from probkit.symbolic.lint.checker_state import _named, _names_in, _number, _target, _Term
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.reader import (
    parse_term,
    symbol_name,
)
from probkit.symbolic.lint.solving_chains import SolvingChains


def _is_number(expr: Any) -> bool:
    r"""Is ``expr`` (as read, before the post's definitions) a number: ``\frac{32}{8}``,
    ``3.7 - 1.7^2``, ``\sigma(0)``?"""
    return expr is not None and not expr.free_symbols and not expr.has(
        sp.core.function.AppliedUndef, sp.Derivative, sp.Subs)


def _quantity_like(expr: Any) -> bool:
    r"""A name, a power of one, or a named quantity (``s^2``, ``\mathrm{Var}(X)``): what a
    value statement can give a value. A derivative (``f'(x)``) never is."""
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        expr = expr.base
    if isinstance(expr, sp.Symbol):
        return not expr.name.endswith("'")
    return isinstance(expr, sp.core.function.AppliedUndef) and \
        not type(expr).__name__.endswith("'")


def _is_name(text: str) -> bool:
    try:
        symbol_name(text)
    except Unreadable:
        return False
    return True


class ValueStatements(SolvingChains):
    """Checks value statements and claims that hold for any value."""

    def is_number(self, term: _Term) -> bool:
        r"""Is ``term`` a number once the post's definitions are substituted (``\sigma(0)``)?"""
        if not _is_number(term.raw):
            try:
                value = self.scope.evaluate(term.raw) if term.raw is not None else None
            except (Unreadable, ArithmeticError, RecursionError, TypeError, ValueError,
                    NotImplementedError, AttributeError):
                return False
            return _is_number(value)
        return True

    def value_statement(
        self, terms: list[_Term], definition: tuple[str, tuple[str, ...]] | None
    ) -> tuple[tuple[str, tuple[str, ...]] | None, bool]:
        r"""A quantity stated to have a value here (``\hat\sigma^2 = \frac{32}{8} = 4``,
        ``\mathrm{Var}(X) = 3.7 - 1.7^2``, ``p_i = \sigma(0) = 0.5``): an assignment in the
        text's context, not an identity over the quantity's free symbols.

        The chain's second term is a number. Returns the definition to make (or None) and
        whether the first link is such an assignment (so only the numbers after it are
        checked):

        * ``f(X) = <number>`` (a name applied to variables): the value of f at this X
          here, not a definition of the function f (which would make f constant);
        * a name already given a number, restated with a number (``p = 20/40 = 0.5``, later
          ``p = 4/40 = 0.1``): given the new value (the old one is not a check on it);
        * a name or a power of one (``\hat\sigma^2``), or a named quantity
          (``\mathrm{Var}(X)``, ``P(A)``) whose value here still has free symbols: not
          checked. Once every symbol in it is bound (``\hat\sigma = 2`` given), its value
          is a number, and the link is an ordinary claim, checked.
        """
        if definition is not None:
            if definition[1]:
                return None, True
            return definition, False
        target = _named(terms[0].prepared)
        old = None if target is None or target[1] else self.scope.definitions.get(target[0])
        if target is not None and old is not None and not old.params and _is_number(old.body):
            return target, True  # a value given again: the new one holds from here
        if target is not None and target[0] in self.unread_names and not target[1]:
            return None, True  # its definition could not be read: nothing to check it with
        if len(terms) == 2 and _number(terms[1].segment.text) is not None:
            return None, False  # "w^2 = 4" alone: an equation (a condition, or solved after)
        self.read(terms[0], self.names())
        raw = terms[0].raw
        if raw is None or not _quantity_like(raw):
            return None, False
        try:
            value = self.scope.evaluate(raw)
        except (Unreadable, ArithmeticError, RecursionError, TypeError, ValueError,
                NotImplementedError, AttributeError):
            return None, True
        return None, bool(getattr(value, "free_symbols", None))

    def other_unknown(self, terms: list[_Term]) -> bool:
        """Does ``terms`` (``n = 16``) give a value to another name than the unknown of the
        open solving chain (p), without the unknown? Then it is no step of that solving."""
        assert self.solving is not None
        if len(terms) != 2 or not terms[0].segment.text:
            return False
        unknown = self.solving.variable if self.solving.variable is not None else \
            self.unknown(self.solving.equations)
        if unknown is None:
            return False
        target = _target(terms[0].segment.source or terms[0].segment.text,
                         terms[0].segment.offset)
        if target is None or target[1] or target[0] == unknown.name:
            return False
        text = " ".join(t.segment.source or t.segment.text for t in terms)  # "n" "p": not "np"
        try:
            names = {symbol_name(n) for n in re.findall(r"\\?[A-Za-z]+(?:_\{?\w+\}?)?", text)
                     if _is_name(n)}
            for term in terms:  # "pS" is p times S: the names as the parser reads them
                names |= _names_in(parse_term(term.segment.source or term.segment.text,
                                              term.segment.offset).tree)
        except Unreadable:
            return False
        return unknown.name not in names

    def holds_for_any_value(self, terms: list[_Term], prime_variable: Any) -> bool:
        r"""Does every link of the chain hold with each unread quantity as any value?

        ``m = \max_j z_j`` is not read, but ``\log \sum_j e^{z_j} = m + \log \sum_j
        e^{z_j - m}`` holds for every m, so for that one too: the chain is checked with m
        free. When a link fails with m free, m's own value might still make it hold: the
        chain is refused as before (never called wrong).
        """
        unread = {name for name in self.unread_names if name not in self.unread_functions
                  and name not in self.unread_reasons and name not in self.scope.definitions}
        used = {s.name for t in terms if t.raw is not None for s in t.raw.free_symbols}
        if not unread & used or any(t.raw is None for t in terms) or len(terms) < 2:
            return False
        trial = [_Term(t.segment, t.line, t.prepared, t.raw) for t in terms]
        for term in trial:
            self.evaluate(term, prime_variable)
        return all(v is not None and v.status == "verified" for v in self.verdicts(trial))
