"""The summaries of a numeric posterior as data: per unknown and per observation.

:class:`NumericSummary` holds each unknown's :class:`~probkit.bayes.summaries.Summary`, the
joint MAP, events and predictions at one credible level (and its JSON form);
:class:`StepSummary` is belief after one more observation, a row of the summarized trace.
Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from probkit.bayes.summaries import Summary, brief_repr, number_json, summary_json
from probkit.errors import InputError
from probkit.numbers import Number


@dataclass(frozen=True, repr=False)
class NumericSummary:
    """Summaries of a numeric posterior at one credible level.

    ``unknowns`` pairs each unknown's name with its (marginal) :class:`Summary`;
    ``map`` is the most probable cell of the joint posterior; ``predictive_mean``
    is the expected next observation (None: infinite, or not defined, and then
    ``predictive_mean_note`` says which); ``predictive`` pairs each requested next
    observation with its posterior predictive probability.
    """

    level: Fraction
    exact: bool
    unknowns: tuple[tuple[str, Summary], ...]
    map: tuple[Fraction, ...]
    events: tuple[tuple[str, Number], ...]
    predictive_mean: Number | None
    predictive: tuple[tuple[str, Number], ...]
    predictive_mean_note: str | None = None

    __repr__ = brief_repr

    def __getitem__(self, name: str) -> Summary:
        for unknown, summary in self.unknowns:
            if unknown == name:
                return summary
        raise InputError(f"unknown {name!r} (the unknowns: "
                         f"{', '.join(n for n, _ in self.unknowns)})")

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``summary`` object (schema in docs/bayes.md)."""
        exact = self.exact
        common: dict[str, Any] = {
            "events": {text: number_json(p, exact) for text, p in self.events},
            "predictive": {
                "mean": number_json(self.predictive_mean, exact),
                "mean_note": self.predictive_mean_note,
                "next": {text: number_json(p, exact) for text, p in self.predictive},
            },
        }
        if len(self.unknowns) == 1:
            return {**summary_json(self.unknowns[0][1], exact), **common}
        return {
            "marginals": {name: summary_json(s, exact) for name, s in self.unknowns},
            "map": {name: number_json(v, True) for (name, _), v in
                    zip(self.unknowns, self.map, strict=True)},
            **common,
        }


@dataclass(frozen=True)
class StepSummary:
    """Belief after one more observation (floats: a trace is for reading, not for digits)."""

    observation: str
    evidence: float
    means: tuple[float, ...]
    map: str
    low: Fraction | None
    high: Fraction | None


__all__ = ["NumericSummary", "StepSummary"]
