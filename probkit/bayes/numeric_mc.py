r"""Monte Carlo for numeric hypotheses: posterior means and event probabilities, with SEs.

Runs the samplers of :func:`probkit.bayes.montecarlo.monte_carlo` (numpy) on
the problem's hypotheses and turns their per-hypothesis counts into estimates
of :math:`E[f(\theta) \mid E]` for :math:`f` = each unknown (the posterior
mean) and :math:`f` = the indicator of each event.

* **importance** (default; proposal uniform over the hypotheses that can
  produce the data): with :math:`n_i` draws of hypothesis :math:`i` and weight
  :math:`w_i \propto P(H_i) P(E \mid H_i)`,

  .. math::

      \hat\mu = \frac{\sum_i n_i w_i f_i}{\sum_i n_i w_i}, \qquad
      \mathrm{SE}^2 = \frac{\sum_i n_i w_i^2 (f_i - \hat\mu)^2}{(\sum_i n_i w_i)^2}

  (the delta method for a ratio of means, as for one hypothesis' posterior).
* **rejection**: the :math:`K` accepted draws are a sample of the posterior,
  :math:`\hat\mu = \sum_i k_i f_i / K` and :math:`\mathrm{SE} = s / \sqrt K`;
  event probabilities get Wilson intervals.

An interval is stated only when the draws carry enough information: at least
:data:`MIN_ACCEPTED` accepted draws (rejection) or a Kish effective sample size
:math:`(\sum_i n_i w_i)^2 / \sum_i n_i w_i^2` of at least :data:`MIN_ESS`
(importance). Below that the estimate has no trustworthy standard error (with one
accepted draw the sample spread is 0, and ``0.56 ± 0`` would claim certainty), so the
estimate carries a ``note`` instead of an interval. Weights are handled as logs
(exact logs of the rational weights, shifted by the largest before exponentiating),
so likelihoods of 1e-1000 neither overflow nor divide 0 by 0.

``z`` compares with the exact value using the standard error the method has
when the exact value is true.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from probkit.bayes.montecarlo import Sampler, SimulatedCounts, simulate_prepared
from probkit.errors import InputError
from probkit.intervals import normal_quantile, wilson_interval


class SolvedProblem(Protocol):
    """What the simulation needs of a solved numeric problem (``NumericPosterior`` is one):
    the problem, and what to estimate (this module never imports ``numeric``)."""

    @property
    def problem(self) -> Any: ...

    @property
    def monte_carlo_targets(self) -> tuple[tuple[str, list[float], float, bool, float], ...]:
        ...

    def monte_carlo_sampler(self, method: str) -> Sampler:
        """The simulation of the problem for ``method`` (uniform proposal), built once."""
        ...

MIN_ACCEPTED = 100
"""Fewest accepted draws (rejection) for which an interval is stated."""

MIN_ESS = 100
"""Smallest effective sample size (importance) for which an interval is stated."""


@dataclass(frozen=True)
class Estimate:
    """One Monte Carlo estimate (a posterior mean or an event's probability).

    ``stderr``, ``ci_low`` and ``ci_high`` are ``None`` when the draws carry too little
    information for an interval; ``note`` then says why (and ``estimate`` is ``None``
    when no draw was accepted at all).
    """

    what: str
    estimate: float | None
    stderr: float | None
    ci_low: float | None
    ci_high: float | None
    exact: float
    z: float | None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {"estimate": self.estimate, "stderr": self.stderr, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "exact": self.exact, "z": self.z, "note": self.note}


@dataclass(frozen=True)
class NumericMonteCarlo:
    """Estimates of the posterior means and event probabilities from one run.

    ``accepted`` (rejection) or ``ess`` (importance) say how much information the draws
    carried; ``note`` is set when it was too little for intervals.
    """

    method: str
    proposal: str | None
    draws: int
    seed: int
    confidence: float
    accepted: int | None
    ess: float | None
    estimates: tuple[Estimate, ...]
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """``draws``, ``method``, ``seed``, ``confidence`` and ``estimates`` (what -> fields)."""
        return {"draws": self.draws, "method": self.method, "proposal": self.proposal,
                "seed": self.seed, "confidence": self.confidence, "accepted": self.accepted,
                "ess": self.ess, "note": self.note,
                "estimates": {e.what: e.to_dict() for e in self.estimates}}

    def __repr__(self) -> str:
        head = (f"NumericMonteCarlo({self.method}, {self.draws:,} draws, seed {self.seed}"
                + (f", {self.accepted:,} accepted)" if self.accepted is not None
                   else f", ESS {self.ess:,.0f})"))
        lines = [head]
        for e in self.estimates:
            if e.stderr is None:
                lines.append(f"  {e.what}: {e.note}")
            else:
                lines.append(f"  {e.what}: {e.estimate:.6g} ± {e.stderr:.2g} "
                             f"[{e.ci_low:.6g}, {e.ci_high:.6g}] (exact {e.exact:.6g})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from probkit.display import html_lines, html_table

        rows = [[e.what, "" if e.estimate is None else f"{e.estimate:.6g}",
                 e.note if e.stderr is None else f"± {e.stderr:.2g}",
                 "" if e.ci_low is None else f"[{e.ci_low:.6g}, {e.ci_high:.6g}]",
                 f"{e.exact:.6g}"] for e in self.estimates]
        return html_lines([repr(self).splitlines()[0]]) + html_table(
            ["Monte Carlo", "estimate", "SE", f"{self.confidence:.0%} interval", "exact"], rows)


def numeric_monte_carlo(
    result: SolvedProblem,
    draws: int,
    *,
    method: str = "importance",
    seed: int | None = None,
    workers: int = 1,
    confidence: float = 0.95,
    progress: Callable[[int], None] | None = None,
) -> NumericMonteCarlo:
    """Estimate every unknown's posterior mean and every event's probability by simulation."""
    z = normal_quantile(confidence)
    targets = result.monte_carlo_targets
    run = simulate_prepared(result.monte_carlo_sampler(method), draws, seed=seed,
                            workers=workers, progress=progress)
    if run.method == "importance":
        return _importance(run, targets, z, confidence)
    if run.method == "rejection":
        return _rejection(run, targets, z, confidence)
    raise InputError(f"method {method!r}", parameter="method")  # pragma: no cover


Target = tuple[str, Sequence[float], float, bool, float]
"""What to estimate: its label, f at each hypothesis, the exact value, whether f is an
indicator (an event), and the exact posterior standard deviation of f."""


def _importance(run: SimulatedCounts, targets: Sequence[Target], z: float,
                confidence: float) -> NumericMonteCarlo:
    drawn = run.drawn.tolist()
    logs = run.log_weights.tolist()
    seen = [lw for n, lw in zip(drawn, logs, strict=True) if n > 0 and lw > -math.inf]
    if not seen:
        note = (f"no draw with positive weight among {run.draws:,}: use more draws")
        return _without_intervals(run, targets, note, confidence, ess=0.0)
    top = max(seen)
    weights = [math.exp(lw - top) if n > 0 and lw > -math.inf else 0.0
               for n, lw in zip(drawn, logs, strict=True)]
    total = math.fsum(n * w for n, w in zip(drawn, weights, strict=True))
    ess = total * total / math.fsum(n * w * w for n, w in zip(drawn, weights, strict=True))
    estimates = []
    for what, f, exact, _, _ in targets:
        est = math.fsum(n * w * x for n, w, x in zip(drawn, weights, f, strict=True)) / total

        def se_at(centre: float, f: Sequence[float] = f) -> float:
            spread = math.fsum(n * w * w * (x - centre) ** 2
                               for n, w, x in zip(drawn, weights, f, strict=True))
            return math.sqrt(spread) / total

        if ess < MIN_ESS:
            estimates.append(Estimate(what, est, None, None, None, exact, None,
                                      note=_few_ess(ess)))
            continue
        se = se_at(est)
        estimates.append(Estimate(what=what, estimate=est, stderr=se, ci_low=est - z * se,
                                  ci_high=est + z * se, exact=exact,
                                  z=_z(est, exact, se_at(exact))))
    return NumericMonteCarlo(method=run.method, proposal=run.proposal, draws=run.draws,
                             seed=run.seed, confidence=confidence, accepted=None, ess=ess,
                             estimates=tuple(estimates),
                             note=_few_ess(ess) if ess < MIN_ESS else None)


def _rejection(run: SimulatedCounts, targets: Sequence[Target], z: float,
               confidence: float) -> NumericMonteCarlo:
    accepted = run.accepted.tolist()
    kept = sum(accepted)
    if kept < MIN_ACCEPTED:
        return _without_intervals(run, targets, _few_accepted(kept), confidence,
                                  accepted=kept)
    estimates = []
    for what, f, exact, event, exact_sd in targets:
        est = math.fsum(k * x for k, x in zip(accepted, f, strict=True)) / kept
        spread = math.fsum(k * (x - est) ** 2 for k, x in zip(accepted, f, strict=True)) / kept
        se = math.sqrt(spread / kept)
        if event:
            low, high = wilson_interval(round(est * kept), kept, confidence=confidence)
            ci_low, ci_high = float(low), float(high)
        else:
            ci_low, ci_high = est - z * se, est + z * se
        # the SE if the exact posterior were true: the exact posterior sd over sqrt(K)
        estimates.append(Estimate(what=what, estimate=est, stderr=se, ci_low=ci_low,
                                  ci_high=ci_high, exact=exact,
                                  z=_z(est, exact, exact_sd / math.sqrt(kept))))
    return NumericMonteCarlo(method=run.method, proposal=None, draws=run.draws, seed=run.seed,
                             confidence=confidence, accepted=kept, ess=None,
                             estimates=tuple(estimates))


def _without_intervals(run: SimulatedCounts, targets: Sequence[Target], note: str,
                       confidence: float, *, accepted: int | None = None,
                       ess: float | None = None) -> NumericMonteCarlo:
    """Estimates (when any draw counts) with the note in place of intervals."""
    estimates = []
    for what, f, exact, _, _ in targets:
        est: float | None = None
        if accepted:
            counts = run.accepted.tolist()
            est = math.fsum(k * x for k, x in zip(counts, f, strict=True)) / accepted
        estimates.append(Estimate(what, est, None, None, None, exact, None, note=note))
    return NumericMonteCarlo(method=run.method, proposal=run.proposal, draws=run.draws,
                             seed=run.seed, confidence=confidence, accepted=accepted, ess=ess,
                             estimates=tuple(estimates), note=note)


def _few_accepted(kept: int) -> str:
    return (f"too few accepted draws (k = {kept:,}; an interval needs {MIN_ACCEPTED}): "
            "use method=\"importance\" or more draws")


def _few_ess(ess: float) -> str:
    return (f"too small an effective sample size (ESS = {ess:,.1f}; an interval needs "
            f"{MIN_ESS}): use more draws")


def _z(estimate: float, exact: float, stderr: float) -> float | None:
    if stderr > 0:
        return (estimate - exact) / stderr
    return 0.0 if math.isclose(estimate, exact, rel_tol=1e-12, abs_tol=1e-300) else None


__all__ = ["MIN_ACCEPTED", "MIN_ESS", "Estimate", "NumericMonteCarlo", "numeric_monte_carlo"]
