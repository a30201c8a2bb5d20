r"""Numeric hypotheses: which value of an unknown (or pair of unknowns) produced the data?

The dice problem (which die of 4, 6, 8, 12, 20 sides rolled a 6?), the
locomotive problem (how many locomotives, seeing number 60?) and the Euro
problem (is a coin fair after 140 heads in 250 spins?) are all one idea: the
hypotheses are values of an unknown, the prior is a weight per value, and a
likelihood *family* (:mod:`probkit.bayes.families`) gives each observation's
probability. This module builds the table and hands it to the exact engine
(:func:`probkit.bayes.posterior`), then summarizes the posterior
(:mod:`probkit.bayes.summaries`). Standard library only.

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
from functools import cached_property
from typing import TYPE_CHECKING, Any

from probkit.bayes.display import table_cell
from probkit.bayes.events import Event, parse_events
from probkit.bayes.exact import (
    Posterior,
    check_exact_bits,
    exact_bit_limit,
    lcm_bits,
    posterior,
)
from probkit.bayes.families import (
    MAX_DATA,
    MAX_TRIALS,
    Datum,
    Family,
    check_values,
    datum_label,
    expected_observation,
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
    marginal,
)
from probkit.bayes.problems import DiscreteProblem
from probkit.bayes.summaries import (
    Summary,
    Weights,
    equal_tailed_interval,
    exact_text,
    number_json,
    parse_level,
    summarize,
    summary_json,
)
from probkit.bayes.values import format_value, parse_values, prior_weights
from probkit.display import html_table
from probkit.errors import ImpossibleEvidenceError, InputError
from probkit.logspace import log_of, log_sum_exp
from probkit.numbers import Number, format_decimal, format_exact
from probkit.options import ARITHMETICS, check_choice

if TYPE_CHECKING:
    from probkit.bayes.montecarlo import Sampler
    from probkit.bayes.numeric_mc import NumericMonteCarlo

MAX_WORK = 2_000_000
"""Most likelihood values (hypotheses × observations) one problem may need."""

TOP_ROWS = 10
"""Rows a table shows when there are more than :data:`FULL_TABLE` hypotheses."""

FULL_TABLE = 20
"""Up to this many hypotheses, a table shows every row."""

_SHORT = 24  # exact numbers longer than this are shown as decimals in tables and text

ValuesSpec = str | Sequence[object]


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
    specs = _named_specs(values, fam, label["values"])
    separate = isinstance(data, Mapping)
    check_unknown_count(len(specs))
    arity = 1 if separate else len(specs)
    fam.parameter_names(arity)  # the family takes this many unknowns (one each: separate)
    priors = _named_priors(prior, [name for name, _ in specs], label["prior"])
    unknowns = []
    for index, (name, spec) in enumerate(specs):
        what = label["values"] if arity == 1 else f"{label['values']} {name}"
        parsed = _values(spec, what)
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
    _check_work(fam, _size(unknowns), parsed_data, label["data"])
    if arithmetic == "exact" and fam.exact:
        _check_exact_estimate(fam, unknowns, parsed_data)
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


def _size(unknowns: Sequence[Unknown]) -> int:
    return math.prod(len(u.values) for u in unknowns)


def _check_work(family: Family, size: int, data: Sequence[Datum], what: str) -> None:
    work = size * len(data)
    if work > MAX_WORK:
        raise InputError(f"{size:,} hypotheses × {len(data):,} observations = {work:,} "
                         f"likelihoods; at most {MAX_WORK:,} are allowed (summarize the data, "
                         "e.g. binomial k/n instead of single trials)")
    if family.exact and family.name in ("binomial", "geometric"):
        trials = sum(d[1] if isinstance(d, tuple) else int(d) for d in data)
        if trials > MAX_TRIALS:
            raise InputError(f"{what}: {trials:,} trials in all; exact arithmetic allows at "
                             f"most {MAX_TRIALS:,}")


def _check_exact_estimate(family: Family, unknowns: Sequence[Unknown],
                          data: Sequence[Datum]) -> None:
    """Refuse an exact problem whose numbers would grow too long, from the sizes alone.

    The common denominator of the prior has the bits of the lcm of the weights'
    denominators; each observation multiplies it by about the lcm of its likelihoods'
    denominators: :math:`b^{n}` for ``binomial`` ``k/n`` at values :math:`a/b` (``n = 1``
    for ``bernoulli``, ``k`` for ``geometric``), :math:`N` for ``uniform``,
    :math:`\binom{M}{n}` for ``hypergeometric``. Each lcm stops once past the limit, so
    this costs milliseconds where the exact update would have taken minutes.
    """
    size = _size(unknowns)
    limit = exact_bit_limit(size)
    bits = sum(lcm_bits({w.denominator for w in u.weights if isinstance(w, Fraction)}, limit)
               for u in unknowns)
    values = unknowns[0].values
    value_bits = lcm_bits({v.denominator for u in unknowns for v in u.values}, limit)
    for datum in data:
        if bits > limit:
            break
        if family.name == "uniform":
            if len(unknowns) == 1:
                widths = {int(v) for v in values if isinstance(datum, int) and v >= datum}
            else:
                widths = {int(h - lo) + 1 for lo in unknowns[0].values
                          for h in unknowns[1].values if h >= lo}
            bits += lcm_bits(widths, limit)
        elif family.name == "formula":
            continue  # a formula's values are bounded as it is evaluated
        elif family.name == "hypergeometric":
            assert isinstance(datum, tuple) and family.population is not None
            bits += math.comb(family.population, datum[1]).bit_length()
        elif family.name == "binomial":
            assert isinstance(datum, tuple)
            bits += value_bits * datum[1]
        elif family.name == "geometric":
            assert isinstance(datum, int)
            bits += value_bits * datum
        else:  # bernoulli
            bits += value_bits
    check_exact_bits(min(bits, limit + 1), len(data), size, at_least=bits > limit)


def _values(spec: ValuesSpec, what: str) -> tuple[Fraction, ...]:
    if isinstance(spec, str):
        return parse_values(spec, what=what)
    if isinstance(spec, Sequence):
        texts = [repr(v) if isinstance(v, float) else str(v) for v in spec]
        if any(isinstance(v, bool) or not isinstance(v, int | float | str | Fraction)
               for v in spec):
            raise InputError(f"{what}: expected numbers, got {list(spec)!r}")
        if not texts:
            raise InputError(f"{what}: empty list of values")
        return parse_values(",".join(texts), what=what)
    raise InputError(f"{what}: expected text such as '1..1000' or a list of numbers, "
                     f"got {spec!r}")


def _named_specs(values: ValuesSpec | Mapping[str, ValuesSpec], family: Family,
                 what: str) -> list[tuple[str, ValuesSpec]]:
    if isinstance(values, Mapping):
        specs = [(str(name).strip(), spec) for name, spec in values.items()]
        for name, _ in specs:
            if not name.isidentifier():
                raise InputError(f"{what}: the unknown's name {name!r} must be a word "
                                 "(letters, digits, _)")
        if not specs:
            raise InputError(f"{what}: give at least one unknown")
        return specs
    return [(family.parameter_names(1)[0], values)]


def _named_priors(prior: str | Mapping[str, str], names: Sequence[str],
                  what: str) -> dict[str, str]:
    if isinstance(prior, str):
        return dict.fromkeys(names, prior)
    unknown = [name for name in prior if name not in names]
    if unknown:
        raise InputError(f"{what}: {unknown[0]!r} is not an unknown (the unknowns: "
                         f"{', '.join(names)})")
    return {name: str(prior.get(name, "uniform")) for name in names}


def numeric_posterior(
    values: ValuesSpec | Mapping[str, ValuesSpec],
    family: str | Family,
    data: Sequence[object],
    **options: Any,
) -> NumericPosterior:
    """Solve a numeric problem in one call (arguments of :func:`numeric_problem`)."""
    return numeric_problem(values, family, data, **options).solve()


@dataclass(frozen=True)
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


@dataclass(frozen=True, eq=False)
class NumericPosterior:
    """The posterior of a numeric problem; displays itself and plots itself in a notebook.

    ``posterior`` is the exact engine's table (one hypothesis per value or cell);
    ``log_scale`` is the log of the factor by which densities (``normal``)
    were divided to keep them in [0, 1] (0 otherwise); ``weights`` and
    ``prior_weights`` are the posterior and prior over one common integer
    denominator, which every summary uses (exact sums stay fast).
    """

    problem: NumericProblem
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

    # ----- display: the same content for the CLI table, to_dict and _repr_html_ -----

    def table(self, *, all_rows: bool = False) -> tuple[list[str], list[list[str]], list[bool]]:
        """Headers, rows and right-alignment of the table (the most probable rows only
        when there are more than :data:`FULL_TABLE`, unless ``all_rows``)."""
        problem = self.problem
        hypotheses = self.posterior.hypotheses
        order = list(range(len(hypotheses)))
        if not all_rows and len(order) > FULL_TABLE:
            probs = self.probabilities
            order = sorted(order, key=lambda i: (-probs[i], i))[:TOP_ROWS]
        grid = problem.cells()
        rows = []
        for i in order:
            h = hypotheses[i]
            rows.append([*(format_value(v) for v in grid[i]), self._cell(h.prior),
                         self._cell(h.likelihood), self._cell(h.posterior),
                         format_decimal(h.posterior)])
        headers = [*problem.names, "prior", "likelihood", "posterior", "≈"]
        return headers, rows, [True] * len(headers)

    def hidden_rows(self, *, all_rows: bool = False) -> int:
        """How many rows :meth:`table` leaves out."""
        total = len(self.posterior.hypotheses)
        return 0 if all_rows or total <= FULL_TABLE else total - TOP_ROWS

    def _cell(self, value: Number) -> str:
        return table_cell(value, self.exact, _SHORT)

    def summary_lines(self) -> list[str]:
        """The summary as lines of text (the CLI prints them under the table)."""
        s = self.summary
        exact = self.exact
        percent = _percent(s.level)
        lines = []
        for name, summary in s.unknowns:
            prefix = "" if len(s.unknowns) == 1 else "marginal "
            lines += [
                f"{prefix}posterior mean {name} {_both(summary.mean, exact)}",
                f"{prefix}posterior sd {name} ≈ {_decimal(summary.sd)}",
                f"{prefix}median {name} = {format_value(summary.median)}",
                f"{prefix}MAP {name} = {format_value(summary.map)}"
                + (f" (tied with {len(summary.modes) - 1} more)" if len(summary.modes) > 1
                   else ""),
                f"{percent} credible interval {name} (equal-tailed) = "
                f"{_interval(summary.credible_interval.segments)}, holds "
                f"{_decimal(summary.credible_interval.mass)}",
                f"{percent} highest-density interval {name} = "
                f"{_interval(summary.hdi.segments)}, holds {_decimal(summary.hdi.mass)}",
            ]
        if len(s.unknowns) > 1:
            cell = ", ".join(f"{n}={format_value(v)}" for n, v in
                             zip(self.problem.names, s.map, strict=True))
            lines.append(f"joint MAP = {cell}")
        for text, p in s.events:
            lines.append(f"P({text}) {_both(p, exact)}")
        if self.problem.family.formula is not None or self.problem.data_of:
            pass  # a formula says how probable x is, not what x can be; separate data: no x
        elif s.predictive_mean is None:
            lines.append("predictive mean of the next observation = infinite")
        else:
            lines.append(f"predictive mean of the next observation "
                         f"{_both(s.predictive_mean, exact)}")
        for text, p in s.predictive:
            lines.append(f"P(next observation = {text} | data) {_both(p, exact)}")
        density = " (a density)" if self.problem.family.density else ""
        lines.append(f"evidence P(E){density} {_both(self.evidence, exact)}")
        return lines

    def steps_table(self) -> tuple[list[str], list[list[str]], list[bool]]:
        """The summarized trace as a table (one row per observation)."""
        problem = self.problem
        percent = _percent(problem.credible)
        headers = ["#", "observation", "P(obs | before)", *(f"mean {n}" for n in problem.names),
                   "MAP"]
        single = len(problem.unknowns) == 1
        if single:
            headers.append(f"{percent} interval")
        rows = []
        for i, step in enumerate(self.steps()):
            row = [str(i + 1), step.observation, _decimal(step.evidence),
                   *(_decimal(m) for m in step.means), step.map]
            if single and step.low is not None and step.high is not None:
                row.append(_interval(((step.low, step.high),)))
            rows.append(row)
        return headers, rows, [True, False, *([True] * (len(headers) - 2))]

    def describe(self) -> str:
        """One line saying what was computed."""
        problem = self.problem
        parts = [f"{u.name} in {u.spec} ({len(u.values):,} values, prior {u.prior})"
                 for u in problem.unknowns]
        return (f"{'; '.join(parts)}; family {problem.family}; "
                f"{len(problem.data):,} observation{'s' if len(problem.data) != 1 else ''}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary: the table, the unknowns, ``summary`` and ``trace``.

        Like the engine's :meth:`~probkit.bayes.Posterior.to_dict`, except that
        each hypothesis also has ``values`` (unknown -> value) and the trace
        holds a summary per observation instead of every hypothesis.
        """
        exact = self.exact
        shown = exact_text if exact else float
        grid = self.problem.cells()
        hypotheses = [
            {"name": h.name,
             "values": {u.name: number_json(v, True) for u, v in
                        zip(self.problem.unknowns, cell, strict=True)},
             "prior": shown(h.prior), "likelihood": shown(h.likelihood),
             "joint": shown(h.joint), "posterior": shown(h.posterior),
             "posterior_float": float(h.posterior),
             "posterior_decimal": format_decimal(h.posterior)}
            for h, cell in zip(self.posterior.hypotheses, grid, strict=True)
        ]
        trace = [
            {"observation": s.observation, "evidence": number_json(s.evidence, False),
             "means": dict(zip(self.problem.names, s.means, strict=True)), "map": s.map,
             "credible_interval": None if s.low is None or s.high is None else
             {"low": number_json(s.low, True), "high": number_json(s.high, True)}}
            for s in self.steps()
        ]
        evidence = self.evidence
        return {
            "model": "numeric",
            "family": str(self.problem.family),
            "unknowns": [{"name": u.name, "values": u.spec, "count": len(u.values),
                          "prior": u.prior} for u in self.problem.unknowns],
            "arithmetic": "exact" if exact else "float",
            "evidence": shown(evidence) if not self.log_scale else float(evidence),
            "evidence_float": number_json(evidence, False)["float"],  # type: ignore[index]
            "evidence_decimal": format_decimal(evidence),
            "observations": list(self.posterior.observations),
            "hypotheses": hypotheses,
            "trace": trace,
            "summary": self.summary.to_dict(),
        }

    def _repr_html_(self) -> str:
        """The table and the summary as HTML (a notebook shows it; the CLI's content)."""
        import html

        headers, rows, _ = self.table()
        hidden = self.hidden_rows()
        more = (f"<p>… {hidden:,} more rows (the {len(rows)} most probable are shown)</p>"
                if hidden else "")
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in self.summary_lines())
        arithmetic = "exact (rational)" if self.exact else "floating point"
        return (f"<p>{html.escape(self.describe())}</p>{html_table(headers, rows)}"
                f"{more}<ul>{lines}</ul>"
                f"<p>arithmetic: {arithmetic}</p>")

    def plot(self, ax: Any = None, *, unknown: str | None = None) -> Any:
        """Draw prior and posterior with the credible interval shaded; return the Axes.

        Needs the ``plot`` extra (matplotlib). With two unknowns, ``unknown``
        picks the marginal to draw (default: the joint posterior as a heat map).
        """
        from probkit.bayes.plotting import BARS_UP_TO, new_axes

        if ax is None:
            ax = new_axes("result.plot()")
        names = self.problem.names
        if unknown is None and len(names) == 2:
            return self._plot_joint(ax)
        name = names[0] if unknown is None else unknown
        values, posterior = self.marginal(name)
        x = [float(v) for v in values]
        post = [float(p) for p in posterior]
        pri = [float(p) for p in self.prior_marginal(name)]
        summary = self.summary[name]
        interval = summary.credible_interval
        percent = f"{float(interval.level) * 100:g}%"
        ax.axvspan(float(interval.low), float(interval.high), color="tab:orange", alpha=0.15,
                   label=f"{percent} credible interval (equal-tailed)")
        if len(x) <= BARS_UP_TO:
            gaps = [b - a for a, b in zip(x, x[1:], strict=False)]
            width = 0.4 * (min(gaps) if gaps else 1.0)
            ax.bar([v - width / 2 for v in x], pri, width=width, color="tab:gray", alpha=0.6,
                   label="prior")
            ax.bar([v + width / 2 for v in x], post, width=width, color="tab:blue",
                   label="posterior")
        else:
            ax.plot(x, pri, color="tab:gray", linestyle="--", label="prior")
            ax.plot(x, post, color="tab:blue", label="posterior")
        ax.axvline(float(summary.map), color="tab:blue", linestyle=":", linewidth=1,
                   label=f"MAP {name} = {float(summary.map):g}")
        ax.set_xlabel(name)
        ax.set_ylabel("probability")
        ax.set_title(f"{name}: prior and posterior ({self.problem.family})")
        ax.legend(fontsize="small")
        return ax

    def _plot_joint(self, ax: Any) -> Any:
        first, second = self.problem.unknowns
        probs = [float(p) for p in self.probabilities]
        columns = len(second.values)
        grid = [[probs[i * columns + j] for i in range(len(first.values))]
                for j in range(columns)]
        mesh = ax.pcolormesh([float(v) for v in first.values],
                             [float(v) for v in second.values], grid, shading="nearest",
                             cmap="Blues")
        ax.figure.colorbar(mesh, ax=ax, label="posterior probability")
        ax.set_xlabel(first.name)
        ax.set_ylabel(second.name)
        ax.set_title(f"joint posterior of {first.name} and {second.name}")
        return ax

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


def _decimal(value: Number) -> str:
    try:
        return format_decimal(value)
    except OverflowError:
        return format_exact(value)


def _both(value: Number, exact: bool) -> str:
    """``= 20/51 ≈ 0.392157``, ``= 8``, or ``≈ 133.275231`` (inexact, or too many digits)."""
    if exact and isinstance(value, Fraction):
        text = format_exact(value)
        if text == _decimal(value):
            return f"= {text}"
        if len(text) <= _SHORT:
            return f"= {text} ≈ {_decimal(value)}"
    return f"≈ {_decimal(value)}"


def _percent(level: Fraction) -> str:
    return f"{format_decimal(level * 100, 4)}%"


def _interval(segments: Sequence[tuple[Fraction, Fraction]]) -> str:
    return " ∪ ".join(f"[{format_value(a)}, {format_value(b)}]" for a, b in segments)


__all__ = [
    "FULL_TABLE",
    "MAX_WORK",
    "TOP_ROWS",
    "NumericPosterior",
    "NumericProblem",
    "NumericSummary",
    "StepSummary",
    "numeric_posterior",
    "numeric_problem",
]
