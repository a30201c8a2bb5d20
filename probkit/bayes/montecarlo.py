r"""Monte Carlo posteriors with honest error bars (numpy; import this module explicitly).

Import path: ``from probkit.bayes.montecarlo import monte_carlo`` (also
reachable lazily as ``probkit.bayes.monte_carlo``; ``import probkit.bayes``
alone never imports numpy).

Two independent estimates of :math:`P(H_i \mid E)` for the problems of
:mod:`probkit.bayes.problems`:

``method="rejection"``
    Draw a hypothesis from the prior, *simulate the story* (draw balls from
    that urn, run the test, flip each observation's coin; see
    :mod:`probkit.bayes.samplers`) and keep the runs whose simulated
    observations match the evidence. With :math:`m` kept runs, :math:`k_i` of
    them from :math:`H_i`:

    .. math::

        \hat p_i = \frac{k_i}{m}, \qquad
        \mathrm{SE} = \sqrt{\frac{\hat p_i (1 - \hat p_i)}{m}},

    and the 95% interval is Wilson's (exactly 0 or 1 at the edges). It never
    uses the likelihood product, so it checks the exact engine independently.

``method="importance"``
    Self-normalized importance sampling: draw hypotheses from a proposal
    :math:`q` and weight each draw by :math:`w_i = P(H_i) P(E \mid H_i) / q_i`:

    .. math::

        \hat p_i = \frac{n_i w_i}{\sum_j n_j w_j}, \qquad
        \mathrm{SE}^2 = \frac{\sum_j n_j w_j^2 (\delta_{ij} - \hat p_i)^2}{(\sum_j n_j w_j)^2}

    (delta method for a ratio of means), summed in log space from the exact log
    weights, so a hypothesis with a posterior of 1e-200 still gets its (tiny, positive)
    standard error; the interval is
    :math:`\hat p_i \pm 1.96\,\mathrm{SE}` clipped to [0, 1]. ``proposal="prior"``
    is likelihood weighting; the default, ``"uniform"``, draws every
    hypothesis that can produce the evidence equally often, so a hypothesis
    with a tiny prior but a large posterior (the rare disease) is still
    visited about :math:`N/k` times and its interval stays honest.

Reproducibility: draws are made in fixed blocks, block :math:`b` using the
stream ``SeedSequence(seed).spawn(...)[b]``; blocks return integer counts, so
the result is bit-identical whatever ``chunk_size``, ``workers`` or
``executor``. Memory is constant in ``draws``.

Examples
--------
>>> from probkit.bayes import urn_problem
>>> problem = urn_problem({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
...                       ["black"])
>>> result = monte_carlo(problem, 100_000, seed=1, exact=problem.solve())
>>> b = result["B"]
>>> b.ci_low < 8 / 9 < b.ci_high, abs(b.z) < 4, b.accepted > 30_000
(True, True, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from probkit.bayes.exact import Posterior
from probkit.bayes.parallel import simulate
from probkit.bayes.samplers import (
    Problem,
    SamplingPlan,
    Story,
    n_blocks,
    run_blocks,
    story_of,
)
from probkit.errors import ComputationError, ImpossibleEvidenceError, InputError
from probkit.intervals import (
    binomial_standard_error,
    log_ratio_standard_error,
    normal_quantile,
    wilson_interval,
)
from probkit.logspace import log_of, log_sum_exp_array
from probkit.numbers import Number

FloatArray = npt.NDArray[np.float64]

_LOG_FLOAT_MAX = 709.0  # exp of this is just below the largest float

METHODS = ("rejection", "importance")
PROPOSALS = ("uniform", "prior")
DEFAULT_PROPOSAL = "uniform"


@dataclass(frozen=True)
class HypothesisEstimate:
    """Monte Carlo estimate of one hypothesis' posterior.

    ``drawn`` counts the draws that picked this hypothesis; ``accepted``
    (rejection) how many of them matched the evidence; ``ess`` (importance)
    the effective sample size of this estimate, :math:`\\hat p(1-\\hat p)/\\mathrm{SE}^2`
    (the Kish size of the whole sample when SE = 0). ``exact`` and ``z`` are
    set when an exact answer was given: ``z`` is the difference in units of
    the standard error the method has when the exact value is true, so it
    stays finite at 0 or 1 accepted draws.
    """

    name: str
    estimate: float
    stderr: float
    ci_low: float
    ci_high: float
    drawn: int
    accepted: int | None = None
    ess: float | None = None
    exact: float | None = None
    z: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (``accepted`` or ``ess``; ``exact``/``z`` when known)."""
        out: dict[str, Any] = {
            "estimate": self.estimate,
            "stderr": self.stderr,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "drawn": self.drawn,
        }
        if self.accepted is not None:
            out["accepted"] = self.accepted
        if self.ess is not None:
            out["ess"] = self.ess
        if self.exact is not None:
            out["exact"] = self.exact
            out["z"] = self.z if self.z is not None and math.isfinite(self.z) else None
        return out


@dataclass(frozen=True)
class MonteCarloResult:
    """All hypotheses' estimates from one Monte Carlo run, and how it was made."""

    method: str
    proposal: str | None
    draws: int
    seed: int
    confidence: float
    hypotheses: tuple[HypothesisEstimate, ...]
    accepted: int | None
    ess: float | None
    evidence: float
    evidence_stderr: float

    @property
    def names(self) -> tuple[str, ...]:
        """Hypothesis names, in the problem's order."""
        return tuple(h.name for h in self.hypotheses)

    def __getitem__(self, name: str) -> HypothesisEstimate:
        for hypothesis in self.hypotheses:
            if hypothesis.name == name:
                return hypothesis
        raise KeyError(name)

    def _repr_html_(self) -> str:
        from probkit.bayes.display import monte_carlo_html

        return monte_carlo_html(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: run settings plus a ``hypotheses`` mapping name -> estimate."""
        return {
            "draws": self.draws,
            "method": self.method,
            "proposal": self.proposal,
            "seed": self.seed,
            "confidence": self.confidence,
            "accepted": self.accepted,
            "ess": self.ess,
            "evidence_estimate": self.evidence,
            "evidence_stderr": self.evidence_stderr,
            "hypotheses": {h.name: h.to_dict() for h in self.hypotheses},
        }


def monte_carlo(
    problem: Problem,
    draws: int,
    *,
    method: str = "rejection",
    proposal: str = DEFAULT_PROPOSAL,
    seed: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    confidence: float = 0.95,
    exact: Posterior | Mapping[str, Number] | None = None,
    progress: Callable[[int], None] | None = None,
) -> MonteCarloResult:
    """Estimate the posterior of every hypothesis by simulation.

    Parameters
    ----------
    problem : DiscreteProblem, UrnProblem or DiagnosticProblem
        From :func:`~probkit.bayes.discrete_problem`, :func:`~probkit.bayes.urn_problem`
        or :func:`~probkit.bayes.diagnostic_problem`.
    draws : int
        Number of simulated draws (runs of the story), at least 1.
    method : {"rejection", "importance"}
        See the module docstring.
    proposal : {"uniform", "prior"}
        Importance sampling only: draw hypotheses uniformly among those that
        can produce the evidence (default), or from the prior (likelihood weighting).
    seed : int, optional
        Non-negative seed; the same seed gives bit-identical results. ``None``
        draws fresh entropy, reported as ``result.seed``.
    workers : int, default 1
        Worker processes started for this call (1: run here).
    executor : concurrent.futures.Executor, optional
        Run the blocks on this executor instead (e.g. a dask client's
        ``client.get_executor()``). Not with ``workers``.
    chunk_size : int, optional
        Draws per task (rounded up to whole blocks); never changes the result.
    confidence : float, default 0.95
        Confidence level of the intervals.
    exact : Posterior or mapping of str to number, optional
        Exact posteriors to compare with (adds ``exact`` and ``z``).
    progress : callable, optional
        Called with the number of draws done so far.

    Raises
    ------
    InputError
        Bad arguments (names the value).
    ImpossibleEvidenceError
        The evidence has probability 0 under every hypothesis.
    ComputationError
        No draw was accepted (rejection) or had positive weight (importance).
    """
    normal_quantile(confidence)
    run = simulate_counts(problem, draws, method=method, proposal=proposal, seed=seed,
                          workers=workers, executor=executor, chunk_size=chunk_size,
                          progress=progress)
    result = run.sampler.summarize(run.counts, run.draws, run.seed, confidence)
    if exact is None:
        return result
    return _compare_with_exact(result, exact, counts=run.counts, sampler=run.sampler)


@dataclass(frozen=True)
class SimulatedCounts:
    r"""What one simulation produced before any summary: per-hypothesis counts.

    ``counts[0]`` counts the draws of each hypothesis, ``counts[1]`` (rejection) the
    accepted ones; ``log_weights`` (importance) are :math:`\log P(H) P(E \mid H) / q(H)`,
    exact logs (a weight of 1e-1000 is a finite log here).
    """

    method: str
    proposal: str | None
    draws: int
    seed: int
    counts: npt.NDArray[np.int64]
    sampler: Sampler

    @property
    def drawn(self) -> npt.NDArray[np.int64]:
        return self.counts[0]

    @property
    def accepted(self) -> npt.NDArray[np.int64]:
        return self.counts[1]

    @property
    def log_weights(self) -> FloatArray:
        return self.sampler.log_weights


def simulate_counts(
    problem: Problem,
    draws: int,
    *,
    method: str = "rejection",
    proposal: str = DEFAULT_PROPOSAL,
    seed: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulatedCounts:
    """Run the simulation of :func:`monte_carlo` and return its raw counts (no summaries)."""
    draws = _check_draws(draws)
    entropy = _check_seed(seed)
    return simulate_prepared(prepare_sampler(problem, method, proposal), draws, seed=entropy,
                             workers=workers, executor=executor, chunk_size=chunk_size,
                             progress=progress)


def prepare_sampler(problem: Problem, method: str = "rejection",
                    proposal: str = DEFAULT_PROPOSAL) -> Sampler:
    """The problem's story set up for one method (exact arithmetic: built once, run often).

    Many runs of the same problem (a coverage study, several seeds) reuse it through
    :func:`simulate_prepared`; it holds no random state.
    """
    if method not in METHODS:
        raise InputError(f"method {method!r} is not one of: {', '.join(METHODS)}",
                         parameter="method")
    if proposal not in PROPOSALS:
        raise InputError(f"proposal {proposal!r} is not one of: {', '.join(PROPOSALS)}",
                         parameter="proposal")
    story = story_of(problem)
    if story.evidence() == 0:
        raise ImpossibleEvidenceError(
            "impossible evidence: no hypothesis with a positive prior can produce "
            f"the observations {', '.join(story.observations)}"
        )
    return Sampler(story, method, proposal)


def simulate_prepared(
    sampler: Sampler,
    draws: int,
    *,
    seed: int | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulatedCounts:
    """:func:`simulate_counts` with a sampler from :func:`prepare_sampler`."""
    draws = _check_draws(draws)
    entropy = _check_seed(seed)
    counts = simulate(sampler.plan, entropy, draws, workers=workers, executor=executor,
                      chunk_size=chunk_size, progress=progress)
    return SimulatedCounts(method=sampler.method, proposal=sampler.proposal, draws=draws,
                           seed=entropy, counts=counts, sampler=sampler)


def _compare_with_exact(
    result: MonteCarloResult,
    exact: Posterior | Mapping[str, Number],
    *,
    counts: npt.NDArray[np.int64],
    sampler: Sampler,
) -> MonteCarloResult:
    """Attach exact values and z-scores (``monte_carlo(..., exact=...)``)."""
    values = (
        {h.name: h.posterior for h in exact.hypotheses} if isinstance(exact, Posterior)
        else dict(exact)
    )
    missing = [h.name for h in result.hypotheses if h.name not in values]
    if missing:
        raise InputError(f"no exact value given for hypothesis {missing[0]!r}")
    updated = []
    for i, h in enumerate(result.hypotheses):
        p0 = float(values[h.name])
        if result.method == "rejection":
            se0 = float(binomial_standard_error(p0, result.accepted or 1))
        else:
            exact_value = values[h.name]
            se0 = math.exp(float(log_ratio_standard_error(
                counts[0], sampler.log_weights, i, log_of(exact_value),
                log_of(1 - exact_value))))
        updated.append(replace(h, exact=p0, z=_z(h.estimate, p0, se0)))
    return replace(result, hypotheses=tuple(updated))


def _z(estimate: float, exact: float, stderr: float) -> float:
    if stderr > 0:
        return (estimate - exact) / stderr
    if estimate == exact:
        return 0.0
    return math.copysign(math.inf, estimate - exact)


class Sampler:
    """A problem's story set up for one method: the plan workers run, and the weights
    (made by :func:`prepare_sampler`)."""

    def __init__(self, story: Story, method: str, proposal: str) -> None:
        self.story = story
        self.method = method
        self.proposal = proposal if method == "importance" else None
        likelihoods = story.likelihoods()
        joint = [p * lk for p, lk in zip(story.priors, likelihoods, strict=True)]
        if method == "rejection":
            q = list(story.priors)
        elif proposal == "prior":
            q = list(story.priors)
        else:  # uniform over the hypotheses that can produce the evidence
            support = [j > 0 for j in joint]
            q = [Fraction(1, sum(support)) if s else Fraction(0) for s in support]
        self.plan: SamplingPlan = story.plan(method, q)
        raw = [j / qi if qi > 0 else Fraction(0) for j, qi in zip(joint, q, strict=True)]
        # Weights P(H) P(E|H) / q(H): exact logs for the estimates and their errors (a weight
        # of 1e-400 is not 0 there); scaled by the largest for display (the scale cancels);
        # unscaled for the evidence estimate.
        self.log_weights = np.array([log_of(w) for w in raw])
        top = float(self.log_weights.max())
        self.weights = np.exp(self.log_weights - top) if top > -math.inf else np.zeros(len(raw))
        self.raw_weights = np.array([float(w) for w in raw])

    def summarize(
        self, counts: npt.NDArray[np.int64], draws: int, seed: int, confidence: float
    ) -> MonteCarloResult:
        drawn = counts[0]
        if self.method == "rejection":
            accepted = counts[1]
            m = int(accepted.sum())
            if m == 0:
                expected = draws * float(self.story.evidence())
                raise ComputationError(
                    f"no accepted draws: none of the {draws:,} simulated runs matched the "
                    f"evidence (P(E) = {float(self.story.evidence()):.3g}, so about "
                    f"{expected:.3g} were expected); use more draws or method 'importance'"
                )
            est, se, low, high = rejection_summary(accepted, confidence=confidence)
            hypotheses = tuple(
                HypothesisEstimate(name=name, estimate=float(est[i]), stderr=float(se[i]),
                                   ci_low=float(low[i]), ci_high=float(high[i]),
                                   drawn=int(drawn[i]), accepted=int(accepted[i]))
                for i, name in enumerate(self.story.names)
            )
            e = m / draws
            return MonteCarloResult(
                method=self.method, proposal=None, draws=draws, seed=seed,
                confidence=confidence, hypotheses=hypotheses, accepted=m, ess=None,
                evidence=e, evidence_stderr=math.sqrt(e * (1 - e) / draws),
            )
        if float(drawn @ self.weights) == 0.0:
            raise ComputationError(
                f"no draws with positive weight among {draws:,}: every hypothesis drawn "
                "gives the evidence probability 0; use more draws or the uniform proposal"
            )
        est, se, low, high, ess = log_importance_summary(drawn, self.log_weights,
                                                         confidence=confidence)
        kish = kish_ess(drawn, self.weights)
        hypotheses = tuple(
            HypothesisEstimate(name=name, estimate=float(est[i]), stderr=float(se[i]),
                               ci_low=float(low[i]), ci_high=float(high[i]),
                               drawn=int(drawn[i]), ess=float(ess[i]))
            for i, name in enumerate(self.story.names)
        )
        mean = float(drawn @ self.raw_weights) / draws
        spread = float(drawn @ (self.raw_weights - mean) ** 2)
        return MonteCarloResult(
            method=self.method, proposal=self.proposal, draws=draws, seed=seed,
            confidence=confidence, hypotheses=hypotheses, accepted=None, ess=float(kish),
            evidence=mean,
            evidence_stderr=math.sqrt(spread / (draws * (draws - 1))) if draws > 1 else math.inf,
        )


def rejection_summary(
    accepted: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Estimate, standard error and Wilson interval from accepted counts (hypotheses last).

    Works on a batch of runs at once (shape (runs, hypotheses)).

    >>> est, se, low, high = rejection_summary([10, 80])
    >>> float(est[1]), round(float(se[1]), 4), float(low[1]) < 8 / 9 < float(high[1])
    (0.8888888888888888, 0.0331, True)
    """
    k = np.asarray(accepted, dtype=np.int64)
    m = k.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = k / m
        se = binomial_standard_error(est, m)
    low, high = wilson_interval(k, np.broadcast_to(m, k.shape), confidence=confidence)
    return est, se, low, high


def importance_summary(
    drawn: npt.ArrayLike, weights: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Estimate, delta-method SE, interval and per-hypothesis ESS from draw counts.

    ``drawn`` has hypotheses on its last axis (a batch of runs is fine).

    >>> est, se, low, high, ess = importance_summary([500, 500], [1.0, 0.125])
    >>> round(float(est[0]), 15), bool(low[0] < 8 / 9 < high[0])
    (0.888888888888889, True)
    """
    with np.errstate(divide="ignore"):
        log_w = np.log(np.asarray(weights, dtype=np.float64))
    return log_importance_summary(drawn, log_w, confidence=confidence)


def log_importance_summary(
    drawn: npt.ArrayLike, log_weights: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """:func:`importance_summary` from log weights (``-inf`` for weight 0), all in log space.

    >>> est, se, *_ = log_importance_summary([500, 500], [0.0, -460.5])  # w_B = e^-460.5
    >>> bool(0 < est[1] < 1e-199), bool(se[1] > 0)
    (True, True)
    """
    n = np.asarray(drawn, dtype=np.float64)
    log_w = np.asarray(log_weights, dtype=np.float64)
    z = normal_quantile(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_mass = np.where(n > 0, np.log(n) + log_w, -np.inf)
        log_total = log_sum_exp_array(log_mass)[..., np.newaxis]
        log_est = log_mass - log_total
        k = n.shape[-1]
        # log(1 - p_i): log1p is exact for p_i <= 1/2; the largest p_i (at most one is above
        # 1/2) gets the log-sum of the others, so p = 1 - 1e-200 keeps its 1e-200
        largest = np.arange(k) == np.argmax(log_mass, axis=-1)[..., np.newaxis]
        rest_of_largest = (log_sum_exp_array(np.where(largest, -np.inf, log_mass))
                           - log_total[..., 0])
        log_rest = np.where(largest, rest_of_largest[..., np.newaxis], np.log1p(-np.exp(log_est)))
        log_se = np.stack([log_ratio_standard_error(n, log_w, i, log_est[..., i],
                                                    log_rest[..., i]) for i in range(k)],
                          axis=-1)
        est, se = np.exp(log_est), np.exp(log_se)
        low = np.clip(est - z * se, 0.0, 1.0)
        high = np.clip(est + z * se, 0.0, 1.0)
        top = np.max(log_w)
        kish = kish_ess(n, np.exp(log_w - top) if np.isfinite(top) else log_w)[..., np.newaxis]
        # p(1-p)/SE^2 in logs, kept below the float range (a hypothesis of posterior 1e-1000
        # has an SE far below it, and the ratio would overflow)
        log_ess = np.minimum(log_est + log_rest - 2.0 * log_se, _LOG_FLOAT_MAX)
        ess = np.where(np.isfinite(log_se), np.exp(log_ess), kish)
    return est, se, low, high, ess


def kish_ess(drawn: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    r"""Kish effective sample size :math:`(\sum w)^2 / \sum w^2` (reported; never for intervals).

    >>> float(kish_ess([10, 10], [1.0, 1.0]))
    20.0
    """
    n = np.asarray(drawn, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    return np.asarray((n * w).sum(axis=-1) ** 2 / (n * w * w).sum(axis=-1))


@dataclass(frozen=True)
class Replicates:
    """Many independent small runs of the same problem, for coverage checks.

    Arrays have shape (replicates, hypotheses). ``ok`` is False for runs with
    no accepted draws (their estimates are NaN).
    """

    estimate: FloatArray
    stderr: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    ok: npt.NDArray[np.bool_]

    def coverage(self, exact: Sequence[Number]) -> FloatArray:
        """Fraction of replicates whose interval contains each exact value (failed runs miss)."""
        truth = np.array([float(v) for v in exact])
        hit = (self.ci_low <= truth) & (truth <= self.ci_high) & self.ok[:, np.newaxis]
        return np.asarray(hit.mean(axis=0))


def replicate(
    problem: Problem,
    draws: int,
    seeds: Sequence[int],
    *,
    method: str = "rejection",
    proposal: str = DEFAULT_PROPOSAL,
    confidence: float = 0.95,
) -> Replicates:
    """Run the sampler once per seed (same blocks as :func:`monte_carlo`) and summarize all runs
    at once. Each replicate equals ``monte_carlo(problem, draws, seed=s, ...)``.
    """
    draws = _check_draws(draws)
    story = story_of(problem)
    if story.evidence() == 0:
        raise ImpossibleEvidenceError("impossible evidence: P(E) = 0")
    sampler = Sampler(story, method, proposal)
    blocks = n_blocks(draws)
    counts = np.stack([run_blocks(sampler.plan, _check_seed(s), 0, blocks, draws)
                       for s in seeds])
    if method == "rejection":
        accepted = counts[:, 1, :]
        ok = accepted.sum(axis=-1) > 0
        est, se, low, high = rejection_summary(np.where(ok[:, None], accepted, 1),
                                               confidence=confidence)
    else:
        drawn = counts[:, 0, :]
        ok = drawn @ sampler.weights > 0
        est, se, low, high, _ = log_importance_summary(np.where(ok[:, None], drawn, 1),
                                                       sampler.log_weights,
                                                       confidence=confidence)
    nan = np.where(ok[:, None], 0.0, np.nan)
    return Replicates(estimate=est + nan, stderr=se + nan, ci_low=low + nan,
                      ci_high=high + nan, ok=ok)


MAX_DRAWS = 10**10
"""Most draws one run may make (minutes at the samplers' speed; ``--mc 1e20`` would take
millennia, so it is refused before any work)."""


def _check_draws(draws: int) -> int:
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise InputError(f"draws {draws!r} must be a positive whole number", parameter="draws")
    if draws > MAX_DRAWS:
        raise InputError(f"draws {int(draws):.3g} is more than the limit of {MAX_DRAWS:.0e} "
                         "(minutes of sampling)", parameter="draws")
    return int(draws)


def _check_seed(seed: int | None) -> int:
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)
        return entropy
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed {seed!r} must be a non-negative whole number", parameter="seed")
    return int(seed)


__all__ = [
    "DEFAULT_PROPOSAL",
    "MAX_DRAWS",
    "SimulatedCounts",
    "Sampler",
    "prepare_sampler",
    "simulate_counts",
    "simulate_prepared",
    "METHODS",
    "PROPOSALS",
    "HypothesisEstimate",
    "MonteCarloResult",
    "Replicates",
    "importance_summary",
    "kish_ess",
    "log_importance_summary",
    "monte_carlo",
    "rejection_summary",
    "replicate",
]
