"""Exact posteriors over discrete hypotheses (standard library only).

Bayes' rule for hypotheses :math:`H_1, \\dots, H_k` and independent
observations :math:`e_1, \\dots, e_n`:

.. math::

    P(H_i \\mid E) = \\frac{P(H_i) \\prod_j P(e_j \\mid H_i)}{P(E)}, \\qquad
    P(E) = \\sum_i P(H_i) \\prod_j P(e_j \\mid H_i).

Values given as text, integers or :class:`~fractions.Fraction` are computed
exactly; if any value is a Python ``float`` the whole computation uses floats
and the result says so (``Posterior.exact`` is ``False``).

Examples
--------
>>> result = posterior({"A": "1/2", "B": "1/2"}, {"A": "1/10", "B": "8/10"})
>>> result["B"].posterior, result.evidence
(Fraction(8, 9), Fraction(9, 20))
"""

from __future__ import annotations

import math
import operator
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any, TypeVar, overload

from probkit.errors import (
    HypothesisError,
    ImpossibleEvidenceError,
    InputError,
    ProbabilityError,
)
from probkit.logspace import log_of, log_sum_exp, sum_of_logs
from probkit.numbers import Number, check_probability, format_decimal, format_exact, to_number

_FLOAT_TOLERANCE = 1e-9
_T = TypeVar("_T")

MAX_HYPOTHESES = 100_000
"""Most hypotheses one update may have (named ones as numeric values: ``values.MAX_VALUES``)."""


@dataclass(frozen=True)
class HypothesisPosterior:
    """One hypothesis' row of the Bayes table.

    ``likelihood`` is the product of the per-observation ``likelihoods``;
    ``joint = prior * likelihood``; ``posterior = joint / evidence``.
    """

    name: str
    prior: Number
    likelihoods: Sequence[Number]
    likelihood: Number
    joint: Number
    posterior: Number


@dataclass(frozen=True)
class TraceStep:
    """Belief after one more observation.

    ``evidence`` is the predictive probability of this observation given the
    ones before it, :math:`P(e_j \\mid e_1, \\dots, e_{j-1})`; ``posteriors``
    follows the order of the hypotheses.
    """

    observation: str
    evidence: Number
    posteriors: tuple[Number, ...]


@dataclass(frozen=True)
class Posterior:
    """The result of a Bayes update: a table of hypotheses, the evidence and the trace.

    ``trace`` is computed the first time it is read (``len(trace)`` is free), or is
    empty when the update was asked for without one (``posterior(..., trace=False)``).
    """

    hypotheses: tuple[HypothesisPosterior, ...]
    evidence: Number
    observations: tuple[str, ...]
    trace: Sequence[TraceStep]
    exact: bool

    @property
    def names(self) -> tuple[str, ...]:
        """Hypothesis names, in the order given."""
        return tuple(h.name for h in self.hypotheses)

    def __getitem__(self, name: object) -> HypothesisPosterior:
        """The row of one hypothesis, by its name or the key it was given as (``r[1]``)."""
        wanted = str(name)
        for hypothesis in self.hypotheses:
            if hypothesis.name == wanted:
                return hypothesis
        raise HypothesisError(f"unknown hypothesis {name!r} (known: {', '.join(self.names)})")

    def posterior_odds(self, first: object, second: object) -> Number:
        """Posterior odds :math:`P(H_a \\mid E) / P(H_b \\mid E)`.

        >>> posterior({"A": "1/2", "B": "1/2"}, {"A": "1/10", "B": "8/10"}).posterior_odds("B", "A")
        Fraction(8, 1)
        """
        return _ratio(self[first].posterior, self[second].posterior, f"posterior of {second!r}")

    def bayes_factor(self, first: object, second: object) -> Number:
        """Bayes factor :math:`P(E \\mid H_a) / P(E \\mid H_b)`: how the evidence moves the odds."""
        return _ratio(self[first].likelihood, self[second].likelihood, f"likelihood of {second!r}")

    def _repr_html_(self) -> str:
        """The Bayes table in a notebook (the same rows as the CLI's table)."""
        from probkit.bayes.display import posterior_html

        return posterior_html(self)

    def plot(self, ax: Any = None) -> Any:
        """Prior and posterior as bars (needs the ``plot`` extra); returns the Axes."""
        if ax is None:
            from probkit.bayes.plotting import new_axes

            ax = new_axes("result.plot()")
        positions = list(range(len(self.hypotheses)))
        ax.bar([p - 0.2 for p in positions], [float(h.prior) for h in self.hypotheses],
               width=0.4, color="tab:gray", alpha=0.6, label="prior")
        ax.bar([p + 0.2 for p in positions], [float(h.posterior) for h in self.hypotheses],
               width=0.4, color="tab:blue", label="posterior")
        ax.set_xticks(positions, list(self.names))
        ax.set_ylabel("probability")
        ax.set_title("prior and posterior")
        ax.legend(fontsize="small")
        return ax

    def draw(self, figure: Any) -> None:
        """Lay the picture out on a matplotlib figure (what ``--plot FILE.png`` writes)."""
        self.plot(figure.subplots())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the schema is documented in ``docs/bayes.md``)."""
        exact = self.exact
        return {
            "arithmetic": "exact" if exact else "float",
            "evidence": _json_value(self.evidence, exact),
            "evidence_float": float(self.evidence),
            "evidence_decimal": format_decimal(self.evidence),
            "observations": list(self.observations),
            "hypotheses": [
                {
                    "name": h.name,
                    "prior": _json_value(h.prior, exact),
                    "likelihood": _json_value(h.likelihood, exact),
                    "likelihoods": [_json_value(v, exact) for v in h.likelihoods],
                    "joint": _json_value(h.joint, exact),
                    "posterior": _json_value(h.posterior, exact),
                    "posterior_float": float(h.posterior),
                    "posterior_decimal": format_decimal(h.posterior),
                }
                for h in self.hypotheses
            ],
            "trace": [
                {
                    "observation": step.observation,
                    "evidence": _json_value(step.evidence, exact),
                    "posteriors": {
                        name: _json_value(p, exact)
                        for name, p in zip(self.names, step.posteriors, strict=True)
                    },
                    "posteriors_float": {
                        name: float(p) for name, p in zip(self.names, step.posteriors, strict=True)
                    },
                }
                for step in self.trace
            ],
        }


def posterior(
    priors: Mapping[str, object],
    likelihoods: Mapping[str, object],
    *,
    normalize: bool = False,
    observations: Sequence[str] | None = None,
    trace: bool = True,
) -> Posterior:
    """Posterior over named hypotheses after independent observations.

    Parameters
    ----------
    priors : mapping of str to number
        Prior probability of each hypothesis (text such as ``"1/3"``, ``"99%"``,
        an ``int``, a ``Fraction`` or a ``float``). They must sum to 1 unless
        ``normalize`` is true, in which case they are non-negative weights.
    likelihoods : mapping of str to number or sequence of numbers
        For each hypothesis, :math:`P(e_j \\mid H)` for every observation
        :math:`e_j`: one value, or one value per observation (the same count
        for every hypothesis).
    normalize : bool, default False
        Treat ``priors`` as unnormalized weights.
    observations : sequence of str, optional
        Labels of the observations, used in the trace (default ``"1"``, ``"2"``, ...).
    trace : bool, default True
        Keep what the trace needs; it is still only computed when first read. With
        ``False`` the result's ``trace`` is empty.

    Returns
    -------
    Posterior
        Exact (``Fraction``, computed in integer arithmetic) unless a float was given;
        with a float, every value is a float computed in log space.

    Raises
    ------
    HypothesisError
        Unknown, missing or duplicate hypotheses, or mismatched observation counts.
    ProbabilityError
        A value outside [0, 1], or priors not summing to 1 without ``normalize``.
    ImpossibleEvidenceError
        The evidence has probability 0 under every hypothesis.
    InputError
        Exact arithmetic would need numbers of more than :data:`MAX_EXACT_DIGITS` digits.

    Examples
    --------
    Two observations; the trace shows belief after each:

    >>> r = posterior({"fair": "1/2", "biased": "1/2"},
    ...               {"fair": ["1/2", "1/2"], "biased": ["9/10", "9/10"]},
    ...               observations=["heads", "heads"])
    >>> [str(step.posteriors[1]) for step in r.trace]
    ['9/14', '81/106']
    """
    if not priors:
        raise HypothesisError("no hypotheses: give at least one prior")
    if len(priors) > MAX_HYPOTHESES:
        raise HypothesisError(f"{len(priors):,} hypotheses; at most {MAX_HYPOTHESES:,} are "
                              "allowed (as for numeric values)", parameter="priors")
    keys = list(priors)  # any hashable keys (1, "A", (0, 1)); named in the result by str(key)
    names = [str(key) for key in keys]
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise HypothesisError(f"two hypotheses are both named {twice!r}", parameter="priors")
    unknown = [key for key in likelihoods if key not in priors]
    if unknown:
        raise HypothesisError(
            f"likelihood given for unknown hypothesis {unknown[0]!r} "
            f"(hypotheses with priors: {', '.join(names)})", parameter="likelihoods"
        )
    missing = [key for key in keys if key not in likelihoods]
    if missing:
        raise HypothesisError(f"hypothesis {missing[0]!r} has a prior but no likelihood",
                              parameter="likelihoods")

    prior_values = [to_number(priors[key], what=f"prior of {name!r}")
                    for key, name in zip(keys, names, strict=True)]
    given = [likelihoods[key] for key in keys]
    matrix = _float_matrix(given)
    split: list[tuple[list[int], list[int]] | None] = [None] * len(names)
    rows: list[list[Number]]
    if matrix is not None:  # many floats, read and checked by numpy in bulk
        rows = given  # type: ignore[assignment]
    elif None not in (fractions := list(map(_split_fractions, given))):
        rows = [list(value) for value in given]  # type: ignore[call-overload]
        split = fractions  # fast path: every value a Fraction in [0, 1]
    elif all(map(_probability_floats, given)):  # fast path: every value a float in [0, 1]
        rows = [list(value) for value in given]  # type: ignore[call-overload]
    else:
        rows = [_likelihood_row(name, value) for name, value in zip(names, given, strict=True)]
    counts = {len(row) for row in rows}
    if len(counts) != 1:
        detail = ", ".join(f"{name}: {len(row)}" for name, row in zip(names, rows, strict=True))
        raise HypothesisError(
            f"every hypothesis needs the same number of observations (got {detail})"
        )
    n_obs = counts.pop()
    if n_obs == 0:
        raise HypothesisError("no observations: give at least one likelihood per hypothesis")
    labels = tuple(observations) if observations is not None else tuple(
        str(i + 1) for i in range(n_obs)
    )
    if len(labels) != n_obs:
        raise HypothesisError(f"{len(labels)} observation labels for {n_obs} observations")

    exact = all(isinstance(v, Fraction) for v in prior_values) and (
        split[0] is not None or all(isinstance(x, Fraction) for row in rows for x in row)
    )
    if not exact:  # likelihoods stay as given: the log-space path takes exact logs of rationals
        prior_values = [float(v) for v in prior_values]

    if exact:  # refuse from the sizes before summing fractions with ever longer denominators
        limit = exact_bit_limit(len(names))
        check_exact_bits(lcm_bits({v.denominator for v in prior_values  # type: ignore[union-attr]
                                   }, limit), n_obs, len(names))
    prior_values = _check_priors(names, prior_values, normalize=normalize, exact=exact)
    if not exact:
        return _update_float(names, prior_values, rows, labels, trace=trace, matrix=matrix)
    return _update_exact(names, prior_values, rows, labels, trace=trace,  # type: ignore[arg-type]
                         split=split)


# Reading a Fraction's terms through its public properties costs a Python call each; the
# slots behind them (CPython's fractions module has used these names since 2.6) are read in C.
_SLOTS = all(hasattr(Fraction(1, 3), slot) for slot in ("_numerator", "_denominator"))
_NUMERATOR = operator.attrgetter("_numerator" if _SLOTS else "numerator")
_DENOMINATOR = operator.attrgetter("_denominator" if _SLOTS else "denominator")


def _split_fractions(value: object) -> tuple[list[int], list[int]] | None:
    """Numerators and denominators of a list of ``Fraction`` values in [0, 1], else ``None``.

    The engine needs these integers anyway; checking :math:`0 \\le n \\le d` on them
    validates a million likelihoods in a fraction of a second.
    """
    if not isinstance(value, list | tuple) or not value or set(map(type, value)) != {Fraction}:
        return None
    numerators = list(map(_NUMERATOR, value))
    denominators = list(map(_DENOMINATOR, value))
    if min(numerators) < 0 or not all(map(operator.le, numerators, denominators)):
        return None  # the general path names the bad value
    return numerators, denominators


def _probability_floats(value: object) -> bool:
    """Whether ``value`` is a non-empty list of Python floats in [0, 1] (checked in bulk; the
    general path names the bad value otherwise)."""
    if not isinstance(value, list | tuple) or not value or set(map(type, value)) != {float}:
        return False
    return math.isfinite(math.fsum(value)) and min(value) >= 0.0 and max(value) <= 1.0


def _float_matrix(given: Sequence[object]) -> Any | None:
    """Many float likelihoods (at least :data:`_ARRAY_CELLS`, the first one a float) as one
    read-only numpy array, checked in bulk: one row per hypothesis, every value finite and
    in [0, 1]. Rows may be lists or tuples of numbers, or 1-D float arrays.

    ``None`` when they are not all that (or are few: numpy is imported only for big float
    problems); the other paths then read them one by one and name a bad value. numpy would
    read ``True`` as 1.0 and ``False`` as 0.0, so the values equal to 0 or 1 are looked at
    one by one: a bool is not a probability.
    """
    first: Any = given[0]
    if isinstance(first, str | bytes) or not (isinstance(first, Sequence)
                                              or hasattr(first, "__array__")):
        return None
    try:
        if not isinstance(first[0], float) or len(given) * len(first) < _ARRAY_CELLS:
            return None
        lengths = set(map(len, given))  # type: ignore[arg-type]
    except (IndexError, TypeError):
        return None
    if len(lengths) != 1:  # the general path names the counts
        return None
    import numpy as np

    shape = (len(given), lengths.pop())
    rows: Any = given
    try:
        if all(isinstance(row, list | tuple) for row in rows):
            # each row packed into the array's memory by struct: it reads Python floats at
            # C speed (9 ms for a million, against 14 ms for np.fromiter, 20 for np.array)
            matrix = np.empty(shape, dtype=np.float64)
            pack = struct.Struct(f"={shape[1]}d").pack_into
            memory = matrix.data  # (the array's buffer, as a memoryview)
            for offset, row in zip(range(0, matrix.nbytes, matrix.strides[0]), rows,
                                   strict=True):
                pack(memory, offset, *row)
        elif all(isinstance(row, np.ndarray) and row.ndim == 1 and row.dtype.kind == "f"
                 for row in rows):  # (bool and int arrays are read one by one)
            matrix = np.stack(rows).astype(np.float64, copy=False)
        else:
            return None
    except (struct.error, ValueError, TypeError, OverflowError):  # text, None, 10**400
        return None
    low, high = matrix.min(), matrix.max()
    if not (low >= 0.0 and high <= 1.0):  # also false for nan
        return None
    if low == 0.0 or high == 1.0:  # a row given as a list may hold True or False there
        for i in np.flatnonzero(((matrix == 0.0) | (matrix == 1.0)).any(axis=1)).tolist():
            if isinstance(rows[i], list | tuple) and bool in set(map(type, rows[i])):
                return None
    matrix.setflags(write=False)  # the rows of the result are views of it
    return matrix


def _likelihood_row(name: str, value: object) -> list[Number]:
    if getattr(value, "ndim", None) == 1:  # a numpy array: its numbers as Python's
        value = value.tolist()  # type: ignore[attr-defined]
    items: Iterable[object] = (
        value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
    )
    row = []
    for j, item in enumerate(items):
        what = f"likelihood of {name!r} (observation {j + 1})"
        number = to_number(item, what=what)
        check_probability(number, what=what, shown=item if isinstance(item, str) else None)
        row.append(number)
    return row


def _check_priors(
    names: Sequence[str], values: list[Number], *, normalize: bool, exact: bool
) -> list[Number]:
    for name, value in zip(names, values, strict=True):
        if value < 0:
            raise ProbabilityError(f"prior of {name!r}: {format_exact(value)} is negative")
    total: Number = sum(values, Fraction(0) if exact else 0.0)
    if normalize:
        if total == 0:
            raise ProbabilityError("prior weights sum to 0; at least one must be positive")
        return [v / total for v in values]
    for name, value in zip(names, values, strict=True):
        check_probability(value, what=f"prior of {name!r}")
    off = total != 1 if exact else abs(float(total) - 1.0) > _FLOAT_TOLERANCE
    if off:
        raise ProbabilityError(
            f"priors sum to {format_exact(total)}, not 1 "
            "(pass normalize=True to use them as weights)", parameter="normalize"
        )
    return values


MAX_EXACT_DIGITS = 10_000
"""Most decimal digits the exact engine lets any intermediate number have.

Every exact value is a ratio of integers below the common denominator of the prior and
the observations, so its digit count bounds the work (multiplication and reduction cost
grows with the square of the digits) and the length of anything printed. 1,000
observations with three decimals need about 3,000 digits."""

MAX_EXACT_WORK = 15_000_000
"""Most digit-hypotheses (digits of the common denominator times the number of hypotheses)
the exact engine takes on: each hypothesis costs products and one reduction of numbers that
long, so this bounds the time (about 5 s here at the limit; 20,000 grid values with a 1/N
likelihood would need 1.7e8 and took 81 s). 1,000 hypotheses x 1,000 three-decimal
observations need 3e6."""

_LOG10_2 = math.log10(2)


def _update_exact(
    names: Sequence[str],
    priors: Sequence[Fraction],
    rows: Sequence[Sequence[Fraction]],
    labels: Sequence[str],
    *,
    trace: bool,
    split: Sequence[tuple[list[int], list[int]] | None],
) -> Posterior:
    r"""Bayes' rule in integer arithmetic.

    Observation :math:`j` gets the common denominator :math:`D_j` (the lcm of its
    likelihoods' denominators), so :math:`P(e_j \mid H_i) = a_{ij} / D_j` with integer
    :math:`a_{ij}`; the prior likewise is :math:`a_{i0} / D_0`. Then

    .. math::

        P(H_i \mid E) = \frac{a_{i0} \prod_j a_{ij}}{\sum_k a_{k0} \prod_j a_{kj}},
        \qquad P(E) = \frac{\sum_k a_{k0} \prod_j a_{kj}}{D_0 \prod_j D_j},

    products of Python ints with one reducing division per reported value at the end.
    """
    parts = [given or (list(map(_NUMERATOR, row)), list(map(_DENOMINATOR, row)))
             for given, row in zip(split, rows, strict=True)]
    prior_scale = math.lcm(*(p.denominator for p in priors))
    scales = list(map(math.lcm, *(dens for _, dens in parts)))
    _check_exact_size(prior_scale, scales, len(priors))
    numerators = [
        math.prod(map(operator.mul, nums, map(operator.floordiv, scales, dens)))
        for nums, dens in parts
    ]
    observation_scale = math.prod(scales)
    joint_numerators = [
        p.numerator * (prior_scale // p.denominator) * n
        for p, n in zip(priors, numerators, strict=True)
    ]
    total = sum(joint_numerators)
    if total == 0:
        raise ImpossibleEvidenceError(_impossible_message(names, priors, rows, labels))
    scale = prior_scale * observation_scale
    likelihood = [Fraction(n, observation_scale) for n in numerators]
    hypotheses = tuple(
        HypothesisPosterior(
            name=name,
            prior=prior,
            likelihoods=tuple(row),
            likelihood=lk,
            joint=prior * lk,  # (reduces against the prior's small terms only: cheap)
            posterior=Fraction(jn, total),
        )
        for name, prior, row, lk, jn in zip(names, priors, rows, likelihood, joint_numerators,
                                            strict=True)
    )
    steps: Sequence[TraceStep] = (
        _LazyTuple(len(labels), lambda: _exact_trace(priors, prior_scale, rows, scales, labels))
        if trace else ()
    )
    return Posterior(hypotheses=hypotheses, evidence=Fraction(total, scale),
                     observations=tuple(labels), trace=steps, exact=True)


def _check_exact_size(prior_scale: int, scales: Sequence[int], n_hypotheses: int) -> None:
    """Refuse a problem whose common denominator has more than :data:`MAX_EXACT_DIGITS` digits,
    or whose digits times hypotheses exceed :data:`MAX_EXACT_WORK`."""
    bits = prior_scale.bit_length() + sum(d.bit_length() - 1 for d in scales)
    check_exact_bits(bits, len(scales), n_hypotheses)


def exact_bit_limit(n_hypotheses: int) -> int:
    """The most bits a common denominator may have for ``n_hypotheses`` hypotheses."""
    digits = min(MAX_EXACT_DIGITS, MAX_EXACT_WORK // max(n_hypotheses, 1))
    return int(digits / _LOG10_2) + 1


def check_exact_bits(bits: int, n_observations: int, n_hypotheses: int, *,
                     at_least: bool = False) -> None:
    """Refuse exact work on numbers of ``bits`` bits (see :data:`MAX_EXACT_DIGITS` and
    :data:`MAX_EXACT_WORK`); callers estimate ``bits`` from the sizes before any work."""
    digits = int(bits * _LOG10_2) + 1
    about, shown = ("more than", digits - 1) if at_least else ("about", digits)
    advice = ("use fewer observations or hypotheses, or floating point in log space "
              "(arithmetic=\"float\")")
    if digits > MAX_EXACT_DIGITS:
        raise InputError(
            f"exact arithmetic would need numbers of {about} {shown:,} digits for "
            f"{n_observations:,} observation(s) (limit: {MAX_EXACT_DIGITS:,}); {advice}"
        )
    if digits * n_hypotheses > MAX_EXACT_WORK:
        raise InputError(
            f"exact arithmetic would need {n_hypotheses:,} hypotheses x numbers of {about} "
            f"{shown:,} digits (limit: {MAX_EXACT_WORK:,} digit-hypotheses); {advice}"
        )


def lcm_bits(denominators: Iterable[int], limit: int) -> int:
    """Bits of the lcm of ``denominators``, computed only until it passes ``limit`` bits
    (then ``limit + 1``): the cost stays bounded however large the true lcm is.

    >>> lcm_bits([4, 6], 100), lcm_bits(range(1, 10**6), 64)
    (4, 65)
    """
    common = 1
    for d in denominators:
        if common % d:
            common = math.lcm(common, d)
            if common.bit_length() > limit:
                return limit + 1
    return common.bit_length()


def _exact_trace(
    priors: Sequence[Fraction],
    prior_scale: int,
    rows: Sequence[Sequence[Fraction]],
    scales: Sequence[int],
    labels: Sequence[str],
) -> tuple[TraceStep, ...]:
    """Belief after each observation, from running integer products (built when first read)."""
    running = [p.numerator * (prior_scale // p.denominator) for p in priors]
    before = sum(running)
    steps = []
    for j, (label, scale) in enumerate(zip(labels, scales, strict=True)):
        running = [r * row[j].numerator * (scale // row[j].denominator)
                   for r, row in zip(running, rows, strict=True)]
        total = sum(running)
        steps.append(TraceStep(
            observation=label,
            evidence=Fraction(total, before * scale),
            posteriors=tuple(Fraction(r, total) for r in running),
        ))
        before = total
    return tuple(steps)


def _update_float(
    names: Sequence[str],
    priors: Sequence[Number],
    rows: Sequence[Sequence[Number]],
    labels: Sequence[str],
    *,
    trace: bool,
    matrix: Any | None = None,
) -> Posterior:
    r"""Bayes' rule in log space: :math:`\log P(H_i \mid E) = \ell_i - \mathrm{LSE}(\ell)`.

    :math:`\ell_i = \log P(H_i) + \sum_j \log P(e_j \mid H_i)` (each sum with
    ``math.fsum``) and :math:`\mathrm{LSE}(\ell) = m + \log \sum_k e^{\ell_k - m}`
    with :math:`m = \max_k \ell_k`, so no product of many probabilities is ever formed:
    posteriors keep full relative precision even when every likelihood underflows.
    ``likelihood``, ``joint`` and ``evidence`` are reported as ``exp`` of their logs
    (they may underflow to 0; the posteriors do not).
    """
    if matrix is not None or len(rows) * len(labels) >= _ARRAY_CELLS:
        return _update_float_arrays(names, priors, rows, labels, trace=trace, matrix=matrix)
    log_priors = [log_of(p) for p in priors]
    log_rows = [[log_of(v) for v in row] for row in rows]
    log_likelihoods = [sum_of_logs(row) for row in log_rows]
    log_joint = [lp + ll for lp, ll in zip(log_priors, log_likelihoods, strict=True)]
    log_evidence = log_sum_exp(log_joint)
    if log_evidence == -math.inf:
        raise ImpossibleEvidenceError(_impossible_message(names, priors, rows, labels))
    return _float_posterior(
        names, priors, [tuple(float(v) for v in row) for row in rows],
        [math.exp(ll) for ll in log_likelihoods], [math.exp(lj) for lj in log_joint],
        [math.exp(lj - log_evidence) for lj in log_joint], log_evidence, labels,
        (lambda: _float_trace(log_priors, log_rows, labels)) if trace else None)


_ARRAY_CELLS = 100_000
"""From this many likelihoods (hypotheses x observations) on, the float update runs on
numpy arrays (imported then, never for exact problems): a 1,000 x 1,000 update in tens of
milliseconds instead of seconds."""


def _update_float_arrays(
    names: Sequence[str],
    priors: Sequence[Number],
    rows: Sequence[Sequence[Number]],
    labels: Sequence[str],
    *,
    trace: bool,
    matrix: Any | None = None,
) -> Posterior:
    """:func:`_update_float` on arrays: the same log-space rule, summed by numpy (on
    ``matrix``, the rows as a float array, when the caller has made it already).

    A rational too small for a float (1e-400) keeps its exact log, as on the list path.
    """
    import numpy as np

    if matrix is None:
        matrix = np.array(rows, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logs = np.log(matrix)
    zero_rows = set()  # list rows with a 0.0 that may stand for a tiny rational
    if matrix.min() == 0.0:
        for i in np.flatnonzero((matrix == 0.0).any(axis=1)).tolist():
            row = rows[i]
            if isinstance(row, list | tuple) and not set(map(type, row)) <= {float}:
                for j in np.flatnonzero(matrix[i] == 0.0).tolist():
                    logs[i, j] = log_of(row[j])  # exact log of a tiny rational; -inf for 0
                zero_rows.add(i)
    log_priors = np.array([log_of(p) for p in priors])
    with np.errstate(invalid="ignore"):
        log_likelihoods = logs.sum(axis=1)
    log_joint = log_priors + log_likelihoods
    log_evidence = log_sum_exp(log_joint.tolist())
    if log_evidence == -math.inf:
        raise ImpossibleEvidenceError(_impossible_message(names, priors, rows, labels))
    with np.errstate(under="ignore"):
        posteriors = np.exp(log_joint - log_evidence).tolist()
        likelihoods = np.exp(log_likelihoods).tolist()
        joints = np.exp(log_joint).tolist()
    # each row as a tuple of floats made when first read (no million float objects up
    # front); a row with a 0 in the array keeps the values given (a tiny rational is not 0)
    width = matrix.shape[1]
    values = [tuple(rows[i]) if i in zero_rows else
              _LazyTuple(width, partial(_row_floats, matrix, i)) for i in range(len(rows))]
    return _float_posterior(
        names, priors, values, likelihoods, joints, posteriors, log_evidence, labels,
        (lambda: _float_trace(log_priors.tolist(), logs.tolist(), labels)) if trace else None)


def _row_floats(matrix: Any, i: int) -> tuple[float, ...]:
    return tuple(matrix[i].tolist())


def _float_posterior(
    names: Sequence[str],
    priors: Sequence[Number],
    values: Sequence[Sequence[Any]],  # each a tuple or a _LazyTuple (never a caller's list)
    likelihoods: Sequence[float],
    joints: Sequence[float],
    posteriors: Sequence[float],
    log_evidence: float,
    labels: Sequence[str],
    build_trace: Callable[[], tuple[TraceStep, ...]] | None,
) -> Posterior:
    """The float posterior both log-space paths report (their sums done, as plain floats);
    the trace is built on first use, by ``build_trace``."""
    hypotheses = tuple(
        HypothesisPosterior(name=name, prior=float(prior), likelihoods=row,
                            likelihood=lk, joint=lj, posterior=post)
        for name, prior, row, lk, lj, post in zip(names, priors, values, likelihoods, joints,
                                                   posteriors, strict=True)
    )
    steps: Sequence[TraceStep] = (
        _LazyTuple(len(labels), build_trace) if build_trace is not None else ()
    )
    return Posterior(hypotheses=hypotheses, evidence=math.exp(log_evidence),
                     observations=tuple(labels), trace=steps, exact=False)


def _float_trace(
    log_priors: Sequence[float], log_rows: Sequence[Sequence[float]], labels: Sequence[str]
) -> tuple[TraceStep, ...]:
    start = log_sum_exp(log_priors)
    belief = [lp - start for lp in log_priors]
    steps = []
    for j, label in enumerate(labels):
        moved = [b + row[j] for b, row in zip(belief, log_rows, strict=True)]
        log_step = log_sum_exp(moved)
        belief = [m - log_step for m in moved]
        steps.append(TraceStep(observation=label, evidence=math.exp(log_step),
                               posteriors=tuple(math.exp(b) for b in belief)))
    return tuple(steps)


class _LazyTuple(Sequence[_T]):
    """A tuple computed on first use (``len`` is known without computing it): the trace, and
    each row of float likelihoods a big update read into an array."""

    __slots__ = ("_length", "_build", "_items")

    def __init__(self, length: int, build: Callable[[], tuple[_T, ...]]) -> None:
        self._length = length
        self._build: Callable[[], tuple[_T, ...]] | None = build
        self._items: tuple[_T, ...] = ()

    def _all(self) -> tuple[_T, ...]:
        if self._build is not None:
            self._items = self._build()
            self._build = None
        return self._items

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[_T, ...]: ...

    def __getitem__(self, index: int | slice) -> _T | tuple[_T, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[_T]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


def _impossible_message(
    names: Sequence[str],
    priors: Sequence[Number],
    rows: Sequence[Sequence[Number]],
    labels: Sequence[str],
) -> str:
    reasons = []
    for name, prior, row in zip(names, priors, rows, strict=True):
        if prior == 0:
            reasons.append(f"{name} has prior 0")
            continue
        zero = next((label for label, v in zip(labels, row, strict=True) if v == 0), None)
        if zero is not None:
            reasons.append(f"{name} gives observation {zero!r} probability 0")
    return "impossible evidence: P(E) = 0 because " + "; ".join(reasons)


def _ratio(numerator: Number, denominator: Number, what: str) -> Number:
    if denominator == 0:
        raise InputError(f"the ratio is undefined: the {what} is 0")
    return numerator / denominator


def _json_value(value: Number, exact: bool) -> str | float:
    return format_exact(value) if exact else float(value)


__all__ = [
    "MAX_EXACT_DIGITS",
    "MAX_HYPOTHESES",
    "check_exact_bits",
    "exact_bit_limit",
    "lcm_bits",
    "MAX_EXACT_WORK",
    "HypothesisPosterior",
    "Posterior",
    "TraceStep",
    "posterior",
]
