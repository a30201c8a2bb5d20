"""What a numeric posterior reads of its problem, as a protocol: :class:`GridProblem`.

:mod:`~probkit.bayes.numeric` builds a ``NumericProblem`` and solves it into a
``NumericPosterior`` (:mod:`~probkit.bayes.numeric_result`); the posterior and its display
(:mod:`~probkit.bayes.numeric_display`) name here what they read of the problem instead of
importing ``numeric``, so that no import goes back up. Standard library only.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Protocol

from probkit.bayes.events import Event
from probkit.bayes.families import Datum, Family
from probkit.bayes.grid import Unknown
from probkit.bayes.problems import DiscreteProblem


class GridProblem(Protocol):
    """What a posterior and its display read of their problem
    (:class:`~probkit.bayes.numeric.NumericProblem` is one; ``solved`` of
    :meth:`discrete_problem` is a ``NumericPosterior``)."""

    @property
    def unknowns(self) -> tuple[Unknown, ...]: ...

    @property
    def family(self) -> Family: ...

    @property
    def data(self) -> tuple[Datum, ...]: ...

    @property
    def credible(self) -> Fraction: ...

    @property
    def events(self) -> tuple[Event, ...]: ...

    @property
    def predict(self) -> tuple[Datum, ...]: ...

    @property
    def data_of(self) -> tuple[int, ...]: ...

    @property
    def names(self) -> tuple[str, ...]: ...

    def cells(self) -> list[tuple[Fraction, ...]]: ...

    def labels(self) -> list[str]: ...

    def discrete_problem(self, solved: Any = None) -> DiscreteProblem: ...


__all__ = ["GridProblem"]
