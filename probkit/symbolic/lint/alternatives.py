""""Or"-alternatives: ``p = 3/4`` or ``p = 1/4``, each a value of the same unknown."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from probkit.symbolic.lint.checker_state import _Equation, _target, _Term
from probkit.symbolic.lint.equality import display_name
from probkit.symbolic.lint.extract import MathBlock
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.solving_chains import SolvingChains
from probkit.symbolic.lint.statements import Segment, split_statements

_OR = re.compile(r"^[\s,，、]*(?:or|または|もしくは|あるいは|か)[\s,，、]*$", re.IGNORECASE)
"""The words joining alternatives: "$p = 3/4$ or $p = 1/4$", 「$p = 3/4$ または $p = 1/4$」."""


class Alternatives(SolvingChains):
    """Checks values joined by "or"."""

    def alternatives(self, blocks: list[MathBlock]) -> dict[int, list[int]]:
        r"""Inline ``name = value`` blocks joined by "or" (「または」, 「もしくは」), by the
        index of the first: ``$p = \frac{3}{4}$ or $p = \frac{1}{4}$`` is one solution set,
        {3/4, 1/4}, never the first value alone."""
        def named(block: MathBlock) -> str | None:
            if block.display or not block.closed:
                return None
            try:
                statements = split_statements(block.text, block.start)
            except Unreadable:
                return None
            if len(statements) != 1 or statements[0].relations != ("=",):
                return None
            name, value = statements[0].terms
            target = _target(name.source or name.text, name.offset)
            return None if target is None or target[1] or not value.text else target[0]

        found: dict[int, list[int]] = {}
        k = 0
        while k < len(blocks):
            name = named(blocks[k])
            j = k
            while name is not None and j + 1 < len(blocks) and named(blocks[j + 1]) == name \
                    and _OR.match(self.text[blocks[j].end:blocks[j + 1].start].strip("$\\()")):
                j += 1
            if j > k:
                found[k] = list(range(k + 1, j + 1))
            k = j + 1
        return found

    def alternative_values(self, terms: list[_Term], linked: bool,
                           definition: tuple[str, tuple[str, ...]] | None) -> None:
        r"""``$p = a$ or $p = b$``: in a solving chain, the equation (p - a)(p - b) = 0 (each
        alternative a solution); elsewhere p stands for several values, and is not defined."""
        sides = [terms[1]]
        for block in self.alternates:
            (statement,) = split_statements(block.text, block.start)
            segment = statement.terms[1]
            self.placed(segment)
            sides.append(_Term(segment, self.lines.line(segment.offset)))
        names = self.names()
        for term in [terms[0], *sides]:
            if term.prepared is None and term.problem is None and term.raw is None:
                self.prepare(term)
            self.read(term, names)
            self.refuse_unread_names(term)
            self.evaluate(term, None)
        shown = " or ".join(f"{terms[0].segment.shown} = {side.segment.shown}"
                            for side in sides)
        if not (linked and self.solving is not None):
            if definition is not None:
                self.unread_names[definition[0]] = terms[0].line
                self.unread_reasons[definition[0]] = (
                    f"{display_name(definition[0])} stands for several values ({shown}, line "
                    f"{terms[0].line})")
            self.close_solving()
            return
        product: Any = None
        if terms[0].value is not None and all(side.value is not None for side in sides):
            product = sp.Mul(*[terms[0].value - side.value for side in sides])
        left = _Term(terms[0].segment, terms[0].line, raw=product, value=product,
                     problem=None if product is not None else "reported")
        zero = _Term(Segment("0", terms[0].segment.offset, "0"), terms[0].line,
                     raw=sp.Integer(0), value=sp.Integer(0))
        if product is None:
            self.report_unread([terms[0], *sides])
        self.solving.equations.append(_Equation(left, zero, None, shown))
        self.solving.end = self.block_end
