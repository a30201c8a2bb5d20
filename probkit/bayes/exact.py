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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from probkit.errors import (
    HypothesisError,
    ImpossibleEvidenceError,
    InputError,
    ProbabilityError,
)
from probkit.numbers import Number, check_probability, format_exact, to_number

_FLOAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class HypothesisPosterior:
    """One hypothesis' row of the Bayes table.

    ``likelihood`` is the product of the per-observation ``likelihoods``;
    ``joint = prior * likelihood``; ``posterior = joint / evidence``.
    """

    name: str
    prior: Number
    likelihoods: tuple[Number, ...]
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
    """The result of a Bayes update: a table of hypotheses, the evidence and the trace."""

    hypotheses: tuple[HypothesisPosterior, ...]
    evidence: Number
    observations: tuple[str, ...]
    trace: tuple[TraceStep, ...]
    exact: bool

    @property
    def names(self) -> tuple[str, ...]:
        """Hypothesis names, in the order given."""
        return tuple(h.name for h in self.hypotheses)

    def __getitem__(self, name: str) -> HypothesisPosterior:
        for hypothesis in self.hypotheses:
            if hypothesis.name == name:
                return hypothesis
        raise HypothesisError(f"unknown hypothesis {name!r} (known: {', '.join(self.names)})")

    def posterior_odds(self, first: str, second: str) -> Number:
        """Posterior odds :math:`P(H_a \\mid E) / P(H_b \\mid E)`.

        >>> posterior({"A": "1/2", "B": "1/2"}, {"A": "1/10", "B": "8/10"}).posterior_odds("B", "A")
        Fraction(8, 1)
        """
        return _ratio(self[first].posterior, self[second].posterior, f"posterior of {second!r}")

    def bayes_factor(self, first: str, second: str) -> Number:
        """Bayes factor :math:`P(E \\mid H_a) / P(E \\mid H_b)`: how the evidence moves the odds."""
        return _ratio(self[first].likelihood, self[second].likelihood, f"likelihood of {second!r}")

    def _repr_html_(self) -> str:
        from probkit.bayes.display import posterior_html

        return posterior_html(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the schema is documented in ``docs/bayes.md``)."""
        exact = self.exact
        return {
            "arithmetic": "exact" if exact else "float",
            "evidence": _json_value(self.evidence, exact),
            "evidence_float": float(self.evidence),
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

    Returns
    -------
    Posterior
        Exact (``Fraction``) unless a float was given.

    Raises
    ------
    HypothesisError
        Unknown, missing or duplicate hypotheses, or mismatched observation counts.
    ProbabilityError
        A value outside [0, 1], or priors not summing to 1 without ``normalize``.
    ImpossibleEvidenceError
        The evidence has probability 0 under every hypothesis.

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
    names = [str(name) for name in priors]
    unknown = [name for name in likelihoods if name not in priors]
    if unknown:
        raise HypothesisError(
            f"likelihood given for unknown hypothesis {unknown[0]!r} "
            f"(hypotheses with priors: {', '.join(names)})"
        )
    missing = [name for name in names if name not in likelihoods]
    if missing:
        raise HypothesisError(f"hypothesis {missing[0]!r} has a prior but no likelihood")

    prior_values = [to_number(priors[name], what=f"prior of {name!r}") for name in names]
    rows = [_likelihood_row(name, likelihoods[name]) for name in names]
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

    exact = all(isinstance(v, Fraction) for v in [*prior_values, *(x for r in rows for x in r)])
    if not exact:
        prior_values = [float(v) for v in prior_values]
        rows = [[float(x) for x in row] for row in rows]

    prior_values = _check_priors(names, prior_values, normalize=normalize, exact=exact)
    return _update(names, prior_values, rows, labels, exact)


def _likelihood_row(name: str, value: object) -> list[Number]:
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
            "(pass normalize=True / --normalize to use them as weights)"
        )
    return values


def _update(
    names: Sequence[str],
    priors: Sequence[Number],
    rows: Sequence[Sequence[Number]],
    labels: Sequence[str],
    exact: bool,
) -> Posterior:
    one: Number = Fraction(1) if exact else 1.0
    likelihood = [math.prod(row, start=one) for row in rows]
    joint = [p * lk for p, lk in zip(priors, likelihood, strict=True)]
    evidence = sum(joint, 0 * one)
    if evidence == 0:
        raise ImpossibleEvidenceError(_impossible_message(names, priors, rows, labels))

    trace = []
    running = list(priors)
    for j, label in enumerate(labels):
        before = sum(running, 0 * one)
        running = [r * row[j] for r, row in zip(running, rows, strict=True)]
        total = sum(running, 0 * one)
        trace.append(
            TraceStep(
                observation=label,
                evidence=total / before,
                posteriors=tuple(r / total for r in running),
            )
        )

    hypotheses = tuple(
        HypothesisPosterior(
            name=name,
            prior=prior,
            likelihoods=tuple(row),
            likelihood=lk,
            joint=jt,
            posterior=jt / evidence,
        )
        for name, prior, row, lk, jt in zip(names, priors, rows, likelihood, joint, strict=True)
    )
    return Posterior(
        hypotheses=hypotheses,
        evidence=evidence,
        observations=tuple(labels),
        trace=tuple(trace),
        exact=exact,
    )


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
        else:  # a float product underflowed
            reasons.append(f"{name}'s likelihood underflows to 0 in floating point")
    return "impossible evidence: P(E) = 0 because " + "; ".join(reasons)


def _ratio(numerator: Number, denominator: Number, what: str) -> Number:
    if denominator == 0:
        raise InputError(f"the ratio is undefined: the {what} is 0")
    return numerator / denominator


def _json_value(value: Number, exact: bool) -> str | float:
    return format_exact(value) if exact else float(value)


__all__ = ["HypothesisPosterior", "Posterior", "TraceStep", "posterior"]
