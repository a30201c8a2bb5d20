"""Evaluation points: inline ``x = 0`` after "at", holding for its paragraph."""

from __future__ import annotations

import re

from probkit.symbolic.lint.checker_state import CheckerState, _Point, _target, _Term
from probkit.symbolic.lint.extract import MathBlock
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.prose import (
    Paragraphs,
    is_evaluation_point,
)
from probkit.symbolic.lint.scope import Definition
from probkit.symbolic.lint.statements import split_statements


class EvaluationPoints(CheckerState):
    """Finds evaluation points and their definitions."""

    def evaluation_points(self, blocks: list[MathBlock]) -> dict[int, _Point]:
        r"""The inline ``name = value`` blocks that prose makes evaluation points, by index.

        A point holds for every block of its paragraph and, when no claim
        follows it there ("$x = 0$ のとき、" then a display), for the next display block.
        """
        paragraphs = Paragraphs(self.text)
        which = [paragraphs.index(b.start) for b in blocks]
        found: dict[int, _Point] = {}
        for k, block in enumerate(blocks):
            if block.display or not block.closed:
                continue
            try:
                statements = split_statements(block.text, block.start)
            except Unreadable:
                continue
            if len(statements) != 1 or statements[0].relations != ("=",):
                continue
            name, value = statements[0].terms
            if re.search(r"\\(?:pm|mp)(?![A-Za-z])", value.source or value.text):
                continue  # "at $x = 1 \pm \sqrt{2}$": the solutions of an equation, not a point
            target = _target(name.source or name.text, name.offset)
            if target is None or target[1] or not value.text:
                continue
            opening = 2 if self.text.startswith("\\(", block.start - 2) else 1
            before = self.text[max(0, block.start - opening - 60):block.start - opening]
            if not is_evaluation_point(before, self.text[block.end:block.end + 20]):
                continue
            same = [j for j in range(len(blocks)) if which[j] == which[k]]
            last = max(same)
            if not any(j > k and j not in found for j in same) and last + 1 < len(blocks) \
                    and blocks[last + 1].display:
                last += 1
            found[k] = _Point(target[0], value, min(same), last,
                              self.lines.line(value.offset))
        return found

    def point_definition(self, point: _Point) -> Definition | None:
        """The definition an evaluation point stands for while it holds (read once)."""
        if not point.read:
            point.read = True
            term = _Term(point.value, point.line)
            self.prepare(term)
            self.read(term, self.names())
            if term.raw is None:
                self.unparsed(term, term.problem or "unreadable")
            else:
                point.definition = Definition(point.name, (), term.raw, point.line)
        return point.definition
