r"""The posterior of a numeric problem: summaries, the summarized trace, Monte Carlo, display.

:class:`NumericPosterior` is what :meth:`NumericProblem.solve
<probkit.bayes.numeric.NumericProblem.solve>` returns: the exact engine's table with the
posterior and prior over one common denominator (:class:`~probkit.bayes.summaries.Weights`),
from which every summary is computed. It shows itself as the CLI's table and summary lines,
JSON, a plain ``repr`` of a few lines and HTML in a notebook
(:mod:`~probkit.bayes.numeric_display`), and plots itself
(:mod:`~probkit.bayes.numeric_plot`). It reads its problem through the
:class:`~probkit.bayes.grid_problem.GridProblem` protocol. Standard library only (Monte
Carlo and plots import their packages when used).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

from probkit.bayes.events import parse_events
from probkit.bayes.exact import Posterior
from probkit.bayes.families import Datum, datum_label, expected_observation, likelihood
from probkit.bayes.grid import marginal
from probkit.bayes.grid_problem import GridProblem
from probkit.bayes.numeric_display import (
    describe,
    hidden_rows,
    numeric_html,
    numeric_json,
    numeric_text_block,
    steps_table,
    summary_lines,
    value_table,
)
from probkit.bayes.numeric_summary import NumericSummary, StepSummary
from probkit.bayes.summaries import Weights, equal_tailed_interval, parse_level, summarize
from probkit.errors import InputError
from probkit.logspace import log_of, log_sum_exp
from probkit.numbers import Number

if TYPE_CHECKING:
    from probkit.bayes.montecarlo import Sampler
    from probkit.bayes.numeric_mc import NumericMonteCarlo


@dataclass(frozen=True, eq=False)
class NumericPosterior:
    """The posterior of a numeric problem; displays itself and plots itself in a notebook.

    ``posterior`` is the exact engine's table (one hypothesis per value or cell);
    ``log_scale`` is the log of the factor by which densities (``normal``)
    were divided to keep them in [0, 1] (0 otherwise); ``weights`` and
    ``prior_weights`` are the posterior and prior over one common integer
    denominator, which every summary uses (exact sums stay fast).
    """

    problem: GridProblem
    posterior: Posterior
    log_scale: float
    weights: Weights
    prior_weights: Weights

    @property
    def exact(self) -> bool:
        """Whether the arithmetic was exact (rational)."""
        return self.posterior.exact

    @property
    def probabilities(self) -> tuple[Number, ...]:
        """Posterior of every cell, in the order of :meth:`NumericProblem.cells`."""
        return tuple(h.posterior for h in self.posterior.hypotheses)

    @property
    def priors(self) -> tuple[Number, ...]:
        """Normalized prior of every cell."""
        return tuple(h.prior for h in self.posterior.hypotheses)

    @property
    def evidence(self) -> Number:
        """:math:`P(E)` (a density for ``normal``, as a float)."""
        if self.log_scale:
            return math.exp(math.log(float(self.posterior.evidence)) + self.log_scale)
        return self.posterior.evidence

    def marginal(self, name: str) -> tuple[tuple[Fraction, ...], list[Number]]:
        """Values of unknown ``name`` and their marginal posterior."""
        index = self._index(name)
        return (self.problem.unknowns[index].values,
                self.weights.marginal(self._sizes, index).probabilities())

    def prior_marginal(self, name: str) -> list[Number]:
        """The marginal prior of unknown ``name``."""
        return self.prior_weights.marginal(self._sizes, self._index(name)).probabilities()

    @property
    def _sizes(self) -> tuple[int, ...]:
        return tuple(len(u.values) for u in self.problem.unknowns)

    def _index(self, name: str) -> int:
        names = self.problem.names
        if name not in names:
            raise InputError(f"unknown {name!r} (the unknowns: {', '.join(names)})")
        return names.index(name)

    @cached_property
    def summary(self) -> NumericSummary:
        """Summaries at the problem's credible level, with its events."""
        return self.summarize()

    def summarize(self, credible: object = None,
                  events: Sequence[str] | None = None) -> NumericSummary:
        """Summaries at another level or for other events (default: the problem's)."""
        problem = self.problem
        level = problem.credible if credible is None else parse_level(credible)
        chosen = problem.events if events is None else parse_events(list(events),
                                                                    problem.names)
        weights = self.weights
        grid = problem.cells()
        per_unknown = []
        for index, unknown in enumerate(problem.unknowns):
            per_unknown.append((unknown.name, summarize(
                unknown.values, weights.marginal(self._sizes, index), level=level)))
        ranked: Sequence[Any] = weights.floats if weights.floats is not None else weights.ints
        top = max(range(len(ranked)), key=lambda i: (ranked[i], -i))
        event_probs = []
        for event in chosen:
            mask = [event.holds(dict(zip(problem.names, cell, strict=True))) for cell in grid]
            event_probs.append((event.text, weights.total(mask)))
        mean = self._predictive_mean(grid, ranked)
        return NumericSummary(
            level=level, exact=self.exact, unknowns=tuple(per_unknown), map=grid[top],
            events=tuple(event_probs), predictive_mean=mean,
            predictive=tuple((datum_label(d), self._predictive(grid, ranked, d))
                             for d in problem.predict),
            predictive_mean_note=self._predictive_mean_note() if mean is None else None,
        )

    def _predictive_mean_note(self) -> str:
        """Why the predictive mean is None."""
        if self.problem.data_of:
            return "not defined: each unknown has data of its own (no single next observation)"
        if self.problem.family.formula is not None:
            return ("not defined: a likelihood formula says how probable x is, not which "
                    "values x can take")
        return "infinite"

    def _predictive_mean(self, grid: Sequence[tuple[Fraction, ...]],
                         ranked: Sequence[Any]) -> Number | None:
        """:math:`\\sum_i p_i E[x \\mid v_i]` (``ranked``: the weights, as ints or floats)."""
        if self.problem.data_of or self.problem.family.formula is not None:
            return None  # no single next observation (separate data), or no known support
        last = self.problem.data[-1]
        expected = []
        for cell, p in zip(grid, ranked, strict=True):
            value = Fraction(0) if p == 0 else expected_observation(self.problem.family, cell,
                                                                    last)
            if value is None:
                return None
            expected.append(value)
        return self.weights.moment(expected, 1)

    def _predictive(self, grid: Sequence[tuple[Fraction, ...]], ranked: Sequence[Any],
                    datum: Datum) -> Number:
        family = self.problem.family
        values = [likelihood(family, cell, datum) if p != 0 else Fraction(0)
                  for cell, p in zip(grid, ranked, strict=True)]
        if self.weights.exact and all(isinstance(x, Fraction) for x in values):
            return self.weights.moment([Fraction(x) for x in values], 1)
        probs = self.weights.probabilities()
        return math.fsum(float(p) * float(x) for x, p in zip(values, probs, strict=True))

    def steps(self) -> tuple[StepSummary, ...]:
        """Mean, MAP and equal-tailed interval after each observation (the trace, summarized)."""
        return self._steps

    @cached_property
    def _steps(self) -> tuple[StepSummary, ...]:
        # In log space from the priors and per-observation likelihoods, not from the
        # engine's exact trace: a trace is for reading, and this costs one float pass per
        # observation however long the exact fractions grow.
        problem = self.problem
        labels = problem.labels()
        hypotheses = self.posterior.hypotheses
        logs = [log_of(h.prior) for h in hypotheses]
        before = log_sum_exp(logs)
        out = []
        for j, observation in enumerate(self.posterior.observations):
            logs = [lg + log_of(h.likelihoods[j]) for lg, h in zip(logs, hypotheses, strict=True)]
            after = log_sum_exp(logs)
            probs = [math.exp(lg - after) for lg in logs]
            means = []
            for index, unknown in enumerate(problem.unknowns):
                probs_1d = marginal(problem.unknowns, probs, index)
                means.append(math.fsum(p * float(v) for v, p in
                                       zip(unknown.values, probs_1d, strict=True)))
            top = max(range(len(probs)), key=lambda i: (probs[i], -i))
            low = high = None
            if len(problem.unknowns) == 1:
                interval = equal_tailed_interval(problem.unknowns[0].values, probs,
                                                 problem.credible)
                low, high = interval.low, interval.high
            out.append(StepSummary(observation=observation, evidence=math.exp(after - before),
                                   means=tuple(means), map=labels[top], low=low, high=high))
            before = after
        return tuple(out)

    @cached_property
    def monte_carlo_targets(self) -> tuple[tuple[str, list[float], float, bool, float], ...]:
        """What Monte Carlo estimates: each unknown's mean and each event's probability, as
        (label, value at each hypothesis, exact value, is an event, exact posterior sd);
        computed once, however many runs use it."""
        problem = self.problem
        grid = problem.cells()
        summary = self.summary
        targets = []
        for index, (name, s) in enumerate(summary.unknowns):
            targets.append((f"mean {name}", [float(cell[index]) for cell in grid],
                            float(s.mean), False, s.sd))
        for event, (text, p) in zip(problem.events, summary.events, strict=True):
            values = [1.0 if event.holds(dict(zip(problem.names, cell, strict=True))) else 0.0
                      for cell in grid]
            targets.append((f"P({text})", values, float(p), True,
                            math.sqrt(float(p) * (1 - float(p)))))
        return tuple(targets)

    @cached_property
    def _samplers(self) -> dict[str, Sampler]:
        return {}

    def monte_carlo_sampler(self, method: str) -> Sampler:
        """The problem's simulation for ``method`` (uniform proposal for importance): its
        exact set-up is built on the first run and reused by every later one (a coverage
        study runs thousands)."""
        from probkit.bayes.montecarlo import prepare_sampler

        if method not in self._samplers:
            self._samplers[method] = prepare_sampler(self.problem.discrete_problem(self),
                                                     method, "uniform")
        return self._samplers[method]

    def monte_carlo(self, draws: int, **options: Any) -> NumericMonteCarlo:
        """Monte Carlo estimates of the mean(s) and events (numpy; see ``numeric_mc``)."""
        from probkit.bayes.numeric_mc import numeric_monte_carlo

        return numeric_monte_carlo(self, draws, **options)

    # ----- display (numeric_display): the same content for the CLI, to_dict and HTML -----

    def table(self, *, all_rows: bool = False) -> tuple[list[str], list[list[str]], list[bool]]:
        """Headers, rows and right-alignment of the table (the most probable rows only
        when there are more than :data:`~probkit.bayes.numeric_display.FULL_TABLE`, unless
        ``all_rows``)."""
        return value_table(self.problem, self.posterior, self.exact, all_rows=all_rows)

    def hidden_rows(self, *, all_rows: bool = False) -> int:
        """How many rows :meth:`table` leaves out."""
        return hidden_rows(len(self.posterior.hypotheses), all_rows=all_rows)

    def summary_lines(self) -> list[str]:
        """The summary as lines of text (the CLI prints them under the table)."""
        return summary_lines(self.problem, self.summary, self.evidence, self.exact)

    def steps_table(self) -> tuple[list[str], list[list[str]], list[bool]]:
        """The summarized trace as a table (one row per observation)."""
        return steps_table(self.problem, self.steps())

    def describe(self) -> str:
        """One line saying what was computed."""
        return describe(self.problem)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary: the table, the unknowns, ``summary`` and ``trace``.

        Like the engine's :meth:`~probkit.bayes.Posterior.to_dict`, except that
        each hypothesis also has ``values`` (unknown -> value) and the trace
        holds a summary per observation instead of every hypothesis.
        """
        return numeric_json(self.problem, self.posterior, self.summary, self.steps(),
                            self.evidence, log_scaled=bool(self.log_scale))

    def __repr__(self) -> str:
        """A few lines: what was asked, the summary and the arithmetic (never the whole table)."""
        return numeric_text_block(self.describe(), self.summary_lines(), self.exact)

    def _repr_html_(self) -> str:
        """The table and the summary as HTML (a notebook shows it; the CLI's content)."""
        return numeric_html(self.describe(), self.table(), self.hidden_rows(),
                            self.summary_lines(), self.exact)

    def plot(self, ax: Any = None, *, unknown: str | None = None) -> Any:
        """Draw prior and posterior with the credible interval shaded; return the Axes.

        Needs the ``plot`` extra (matplotlib). With two unknowns, ``unknown``
        picks the marginal to draw (default: the joint posterior as a heat map).
        """
        from probkit.bayes.numeric_plot import plot_joint, plot_marginal
        from probkit.bayes.plotting import new_axes

        if ax is None:
            ax = new_axes("result.plot()")
        names = self.problem.names
        if unknown is None and len(names) == 2:
            first, second = self.problem.unknowns
            return plot_joint(ax, first, second, [float(p) for p in self.probabilities])
        name = names[0] if unknown is None else unknown
        values, posterior = self.marginal(name)
        return plot_marginal(ax, name, values, self.prior_marginal(name), posterior,
                             self.summary[name], str(self.problem.family))

    def draw(self, figure: Any) -> None:
        """Lay the picture out on a matplotlib figure: each unknown's marginal side by side."""
        names = self.problem.names
        if len(names) == 2:
            figure.set_size_inches(11, 4.2)
            left, right = figure.subplots(1, 2)
            self.plot(left, unknown=names[0])
            self.plot(right, unknown=names[1])
        else:
            self.plot(figure.subplots())


__all__ = ["NumericPosterior"]
