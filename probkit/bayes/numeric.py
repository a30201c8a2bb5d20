r"""Numeric hypotheses: which value of an unknown (or pair of unknowns) produced the data?

The dice problem (which die of 4, 6, 8, 12, 20 sides rolled a 6?), the
locomotive problem (how many locomotives, seeing number 60?) and the Euro
problem (is a coin fair after 140 heads in 250 spins?) are all one idea: the
hypotheses are values of an unknown, the prior is a weight per value, and a
likelihood *family* (:mod:`probkit.bayes.families`) gives each observation's
probability. This module validates a problem (:func:`numeric_problem`: the arguments read by
:mod:`~probkit.bayes.numeric_arguments`, the sizes bounded by
:mod:`~probkit.bayes.numeric_bounds` before any work), builds the table and hands it to the
exact engine (:func:`probkit.bayes.posterior`); the result is a
:class:`~probkit.bayes.numeric_result.NumericPosterior`, which summarizes and shows
itself. Standard library only.

>>> dice = numeric_posterior("4,6,8,12,20", "uniform", [6])
>>> [str(p) for p in dice.probabilities]
['0', '20/51', '5/17', '10/51', '2/17']
>>> euro = numeric_posterior("0:1:101", "binomial", ["140/250"])
>>> euro.summary.unknowns[0][1].map
Fraction(14, 25)
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from probkit.bayes.events import Event, parse_events
from probkit.bayes.exact import posterior
from probkit.bayes.families import (
    MAX_DATA,
    Datum,
    Family,
    check_values,
    datum_label,
    formula_family,
    likelihood,
    log_likelihood,
    parse_data,
    parse_family,
    valid_cell,
)
from probkit.bayes.grid import (
    Unknown,
    cells,
    check_grid,
    check_unknown_count,
    joint_weights,
)
from probkit.bayes.numeric_arguments import ValuesSpec, named_priors, named_specs, values_of
from probkit.bayes.numeric_bounds import MAX_WORK, check_exact_estimate, check_work, grid_size
from probkit.bayes.numeric_display import FULL_TABLE, TOP_ROWS
from probkit.bayes.numeric_result import NumericPosterior
from probkit.bayes.numeric_summary import NumericSummary, StepSummary
from probkit.bayes.problems import DiscreteProblem
from probkit.bayes.summaries import Weights, parse_level
from probkit.bayes.values import format_value, prior_weights
from probkit.errors import ImpossibleEvidenceError, InputError
from probkit.logspace import log_of
from probkit.numbers import Number
from probkit.options import ARITHMETICS, check_choice


@dataclass(frozen=True)
class NumericProblem:
    """A validated numeric problem (build it with :func:`numeric_problem`)."""

    unknowns: tuple[Unknown, ...]
    family: Family
    data: tuple[Datum, ...]
    credible: Fraction
    events: tuple[Event, ...]
    predict: tuple[Datum, ...]
    #: "exact" (rational, the default) or "float" (log-space floating point, any size)
    arithmetic: str = "exact"
    #: for separate data per unknown (two coins), the index of the unknown each observation
    #: is about; empty when every observation depends on all the unknowns
    data_of: tuple[int, ...] = ()

    def cell_likelihood(self, cell: Sequence[Fraction], j: int) -> Number:
        """:math:`P(x_j \\mid \\text{cell})`: observation ``j`` given the unknowns' values."""
        if self.data_of:
            return likelihood(self.family, (cell[self.data_of[j]],), self.data[j])
        return likelihood(self.family, cell, self.data[j])

    def cell_log_likelihood(self, cell: Sequence[Fraction], j: int) -> float:
        """The log of :meth:`cell_likelihood` in floating point (``--float``)."""
        if self.data_of:
            return log_likelihood(self.family, (cell[self.data_of[j]],), self.data[j])
        return log_likelihood(self.family, cell, self.data[j])

    @property
    def names(self) -> tuple[str, ...]:
        """The unknowns' names."""
        return tuple(u.name for u in self.unknowns)

    @property
    def observations(self) -> tuple[str, ...]:
        """The observations as text."""
        if self.data_of:
            return tuple(f"{self.unknowns[i].name}: {datum_label(d)}"
                         for i, d in zip(self.data_of, self.data, strict=True))
        return tuple(datum_label(d) for d in self.data)

    def cells(self) -> list[tuple[Fraction, ...]]:
        """Every hypothesis as a tuple of values (first unknown slowest)."""
        return cells(self.unknowns)

    def labels(self) -> list[str]:
        """Hypothesis names: ``"90"`` for one unknown, ``"mu=1, sigma=2"`` for two."""
        if len(self.unknowns) == 1:
            return [format_value(cell[0]) for cell in self.cells()]
        return [", ".join(f"{u.name}={format_value(v)}" for u, v in
                          zip(self.unknowns, cell, strict=True)) for cell in self.cells()]

    def solve(self) -> NumericPosterior:
        """The posterior (exact unless the family or the prior is irrational)."""
        grid = self.cells()
        weights: list[Number] = [
            w if valid_cell(self.family, cell) else 0 * w
            for w, cell in zip(joint_weights(self.unknowns), grid, strict=True)]
        if self.arithmetic == "float":  # float priors send Bayes' rule down the log-space path
            weights = [float(w) for w in weights]
        rows: list[list[Number]]
        if self.arithmetic == "float" or not self.family.exact:  # logs: nothing underflows
            rows, log_scale = _float_rows(self, grid, rescale_all=self.family.density)
        else:
            observations = range(len(self.data))
            rows = [[self.cell_likelihood(cell, j) for j in observations] for cell in grid]
            log_scale = 0.0
        if not any(w > 0 and all(x > 0 for x in row) for w, row in zip(weights, rows,
                                                                       strict=True)):
            raise ImpossibleEvidenceError(_impossible(self, grid, weights, rows))
        labels = self.labels()
        result = posterior(dict(zip(labels, weights, strict=True)),
                           dict(zip(labels, rows, strict=True)), normalize=True,
                           observations=self.observations, trace=False)
        joint: list[Number]
        if result.exact:
            joint = [w * math.prod(row, start=Fraction(1)) for w, row in zip(weights, rows,
                                                                               strict=True)]
        else:  # in log space: products of many float likelihoods underflow
            logs = [log_of(w) + math.fsum(log_of(x) for x in row) for w, row in zip(weights, rows,
                                                                                 strict=True)]
            top = max(logs)
            joint = [math.exp(lg - top) for lg in logs]
        return NumericPosterior(problem=self, posterior=result, log_scale=log_scale,
                                weights=Weights.unnormalized(joint),
                                prior_weights=Weights.unnormalized(weights))

    def discrete_problem(self, solved: NumericPosterior | None = None) -> DiscreteProblem:
        """The same problem as named hypotheses (what the Monte Carlo samplers simulate)."""
        result = (solved or self.solve()).posterior
        return DiscreteProblem(
            names=result.names, priors=tuple(h.prior for h in result.hypotheses),
            likelihoods=tuple(h.likelihoods for h in result.hypotheses),
            observations=result.observations, exact=result.exact)


_UNDERFLOW_LOG = -700.0
"""An observation whose largest log-likelihood is below this is rescaled (exp would underflow)."""


def _float_rows(problem: NumericProblem, grid: Sequence[tuple[Fraction, ...]], *,
                rescale_all: bool = False) -> tuple[list[list[Number]], float]:
    """Float likelihoods from their logs (``--float``), and the log of any rescaling.

    An observation whose every likelihood would underflow (all below ``e^-700``) is divided
    by its largest; densities (``rescale_all``) always are, so that they lie in [0, 1]. The
    factors go into the evidence.
    """
    observations = range(len(problem.data))
    logs = [[problem.cell_log_likelihood(cell, j) for j in observations] for cell in grid]
    log_scale = 0.0
    for j in observations:
        top = max(row[j] for row in logs)
        if -math.inf < top and (rescale_all or top < _UNDERFLOW_LOG):
            for row in logs:
                row[j] -= top
            log_scale += top
    return [[math.exp(x) for x in row] for row in logs], log_scale


def _impossible(problem: NumericProblem, grid: Sequence[tuple[Fraction, ...]],
                weights: Sequence[Number], rows: Sequence[Sequence[Number]]) -> str:
    names = ", ".join(problem.names)
    candidates = [i for i, w in enumerate(weights) if w > 0]
    if not candidates:
        return f"impossible evidence: every value of {names} has prior 0"
    last = candidates[-1]
    cell = ", ".join(f"{u.name} = {format_value(v)}" for u, v in
                     zip(problem.unknowns, grid[last], strict=True))
    zero = next((j for j, x in enumerate(rows[last]) if x == 0), None)
    why = (f"observation {zero + 1} ({problem.observations[zero]}) has probability 0 at "
           f"{cell}" if zero is not None else "the likelihood underflows to 0")
    return (f"impossible evidence: no value of {names} in the grid can produce the data "
            f"under family {problem.family} (e.g. {why})")


def numeric_problem(
    values: ValuesSpec | Mapping[str, ValuesSpec],
    family: str | Family | None,
    data: Sequence[object] | Mapping[str, Sequence[object]],
    *,
    likelihood: str | None = None,
    prior: str | Mapping[str, str] = "uniform",
    credible: object = Fraction(9, 10),
    events: Sequence[str] = (),
    predict: Sequence[object] | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    where: Mapping[str, str] | None = None,
    arithmetic: str = "exact",
) -> NumericProblem:
    """Validate a numeric problem.

    Parameters
    ----------
    values : str, sequence of numbers, or mapping of name to either
        The hypotheses: ``"1..1000"``, ``"4,6,8,12,20"``, ``"0:1:101"`` or a
        list of numbers (see :mod:`probkit.bayes.values`). A mapping names the
        unknown(s): ``{"N": "1..1000"}``, or two unknowns
        ``{"mu": "0:10:21", "sigma": "1..5"}`` for a grid. Without a name the
        family's default is used (``N``, ``p``, ``lam``, ``K``).
    family : str
        ``uniform``, ``bernoulli``, ``binomial``, ``geometric``, ``poisson``,
        ``hypergeometric:M`` or ``normal`` (:mod:`probkit.bayes.families`).
    data : sequence, or mapping of unknown name to sequence
        The observations, in the family's form (``60``, ``"H"``, ``"140/250"``). A mapping
        gives each unknown its own data, with a one-unknown family (two coins:
        ``{"p1": ["7/10"], "p2": ["3/10"]}`` with ``binomial``).
    likelihood : str, optional
        Instead of a family: a formula of the unknowns and the observation ``x``, e.g.
        ``"1/N if x <= N else 0"`` (:mod:`probkit.bayes.formulas`; give ``family=None``).
    prior : str or mapping of name to str, default "uniform"
        ``uniform``, ``power:K`` or ``@FILE``; a mapping gives one per unknown
        (the joint prior is their product).
    credible : number or text, default 9/10
        Level of the credible intervals (``"90%"``, ``0.9``).
    events : sequence of str
        Events whose posterior probability to report (``"N > 100"``).
    predict : sequence, optional
        Next observations whose posterior predictive probability to report
        (default: a success for ``bernoulli``/``binomial``, none otherwise).
    base_dir : path, optional
        Where ``@FILE`` priors are read from (default: the current directory).
    where : mapping of str to str, optional
        How error messages name each argument (default: the parameter names, ``values``,
        ``prior``, ..., which the error's ``parameter`` also gives; a problem file names its
        keys and lines).
    arithmetic : {"exact", "float"}, default "exact"
        Rationals (exact; the numbers may not grow past
        :data:`probkit.bayes.exact.MAX_EXACT_DIGITS` digits), or floating point in
        log space, for problems of any size (``probkit bayes --float``).

    >>> p = numeric_problem({"N": "1..1000"}, "uniform", [60], prior="power:-1",
    ...                     events=["N > 100"])
    >>> p.names, len(p.unknowns[0].values)
    (('N',), 1000)
    """
    if where is not None:  # a problem file: its own labels (file, line and key)
        return _numeric_problem(values, family, data, likelihood, prior, credible, events,
                                predict, base_dir, {**_WHERE, **where}, arithmetic)
    try:
        return _numeric_problem(values, family, data, likelihood, prior, credible, events,
                                predict, base_dir, _WHERE, arithmetic)
    except InputError as exc:  # name the parameter, so that a caller can map it (the CLI)
        if exc.parameter is None:
            exc.parameter = next((name for name in _WHERE if name and str(exc).startswith(
                (f"{name}:", f"{name} "))), None)
        raise


def _numeric_problem(
    values: ValuesSpec | Mapping[str, ValuesSpec], family: str | Family | None,
    data: Sequence[object] | Mapping[str, Sequence[object]], likelihood: str | None,
    prior: str | Mapping[str, str], credible: object, events: Sequence[str],
    predict: Sequence[object] | None, base_dir: str | os.PathLike[str] | None,
    label: Mapping[str, str], arithmetic: str,
) -> NumericProblem:
    if likelihood is not None:
        if family is not None:
            raise InputError("give a family or a likelihood formula, not both",
                             parameter="likelihood")
        names = list(values) if isinstance(values, Mapping) else None
        fam = formula_family(likelihood, names)
    elif family is None:
        raise InputError("give a family (e.g. binomial) or a likelihood formula",
                         parameter="family")
    else:
        fam = family if isinstance(family, Family) else parse_family(family,
                                                                     what=label["family"])
    specs = named_specs(values, fam, label["values"])
    separate = isinstance(data, Mapping)
    check_unknown_count(len(specs))
    arity = 1 if separate else len(specs)
    fam.parameter_names(arity)  # the family takes this many unknowns (one each: separate)
    priors = named_priors(prior, [name for name, _ in specs], label["prior"])
    unknowns = []
    for index, (name, spec) in enumerate(specs):
        what = label["values"] if arity == 1 else f"{label['values']} {name}"
        parsed = values_of(spec, what)
        check_values(fam, arity, 0 if separate else index, name, parsed)
        prior_what = label["prior"] if arity == 1 else f"{label['prior']} {name}"
        weights = prior_weights(priors[name], parsed, base_dir=base_dir, what=prior_what,
                                name=name)
        if all(w == 0 for w in weights):
            raise InputError(f"{prior_what} {priors[name]}: every weight of {name} is 0")
        unknowns.append(Unknown(name=name, values=parsed, weights=tuple(weights),
                                spec=spec if isinstance(spec, str) else
                                ",".join(format_value(v) for v in parsed),
                                prior=priors[name]))
    check_grid(unknowns)
    data_of: list[int] = []
    if isinstance(data, Mapping):  # separate data: {"p1": ["7/10"], "p2": ["3/10"]}
        names_known = [u.name for u in unknowns]
        parsed_data = []
        for name, items in data.items():
            if name not in names_known:
                raise InputError(f"{label['data']}: {name!r} is not an unknown (the unknowns: "
                                 f"{', '.join(names_known)})", parameter="data")
            given = [items] if isinstance(items, str | int) else list(items)
            for datum in parse_data(fam, given, what=f"{label['data']} {name}"):
                parsed_data.append(datum)
                data_of.append(names_known.index(name))
        if len(parsed_data) > MAX_DATA:
            raise InputError(f"{label['data']}: more than {MAX_DATA:,} observations")
    else:
        parsed_data = parse_data(fam, list(data), what=label["data"])
    if not parsed_data:
        raise InputError(f"{label['data']}: give at least one observation")
    check_work(fam, grid_size(unknowns), parsed_data, label["data"])
    if arithmetic == "exact" and fam.exact:
        check_exact_estimate(fam, unknowns, parsed_data)
    names = [u.name for u in unknowns]
    defaults: dict[str, list[object]] = {"bernoulli": [1], "binomial": ["1/1"]}
    if data_of and predict:
        raise InputError("predict: with separate data per unknown there is no one next "
                         "observation to predict", parameter="predict")
    next_data = [] if data_of else (defaults.get(fam.name, []) if predict is None
                                    else list(predict))
    try:
        parsed_events = parse_events(list(events), names)
    except InputError as exc:
        if label["events"]:
            raise InputError(f"{label['events']}: {exc}") from None
        raise
    return NumericProblem(
        unknowns=tuple(unknowns), family=fam, data=tuple(parsed_data),
        credible=parse_level(credible, what=label["credible"]), events=parsed_events,
        predict=tuple(parse_data(fam, next_data, what=label["predict"])),
        arithmetic=check_choice(arithmetic, ARITHMETICS, parameter="arithmetic"),
        data_of=tuple(data_of),
    )


_WHERE = {"values": "values", "prior": "prior", "family": "family", "data": "data",
          "credible": "credible", "events": "", "predict": "predict"}



def numeric_posterior(
    values: ValuesSpec | Mapping[str, ValuesSpec],
    family: str | Family,
    data: Sequence[object],
    **options: Any,
) -> NumericPosterior:
    """Solve a numeric problem in one call (arguments of :func:`numeric_problem`)."""
    return numeric_problem(values, family, data, **options).solve()


__all__ = [
    "FULL_TABLE",
    "MAX_WORK",
    "TOP_ROWS",
    "NumericPosterior",
    "NumericProblem",
    "NumericSummary",
    "StepSummary",
    "ValuesSpec",
    "numeric_posterior",
    "numeric_problem",
]
