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

``z`` compares with the exact value using the standard error the method has
when the exact value is true.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probkit.bayes.montecarlo import MonteCarloResult, monte_carlo
from probkit.errors import InputError
from probkit.intervals import normal_quantile, wilson_interval

if TYPE_CHECKING:
    from probkit.bayes.numeric import NumericPosterior


@dataclass(frozen=True)
class Estimate:
    """One Monte Carlo estimate (a posterior mean or an event's probability)."""

    what: str
    estimate: float
    stderr: float
    ci_low: float
    ci_high: float
    exact: float
    z: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {"estimate": self.estimate, "stderr": self.stderr, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "exact": self.exact, "z": self.z}


@dataclass(frozen=True)
class NumericMonteCarlo:
    """Estimates of the posterior means and event probabilities from one run."""

    run: MonteCarloResult
    estimates: tuple[Estimate, ...]

    def to_dict(self) -> dict[str, Any]:
        """``draws``, ``method``, ``seed``, ``confidence`` and ``estimates`` (what -> fields)."""
        run = self.run
        return {"draws": run.draws, "method": run.method, "proposal": run.proposal,
                "seed": run.seed, "confidence": run.confidence, "accepted": run.accepted,
                "ess": run.ess,
                "estimates": {e.what: e.to_dict() for e in self.estimates}}


def numeric_monte_carlo(
    result: NumericPosterior,
    draws: int,
    *,
    method: str = "importance",
    seed: int | None = None,
    workers: int = 1,
    confidence: float = 0.95,
    progress: Callable[[int], None] | None = None,
) -> NumericMonteCarlo:
    """Estimate every unknown's posterior mean and every event's probability by simulation."""
    problem = result.problem
    run = monte_carlo(problem.discrete_problem(result), draws, method=method,
                      proposal="uniform", seed=seed, workers=workers, confidence=confidence,
                      progress=progress)
    grid = problem.cells()
    targets: list[tuple[str, list[float], float, bool, float]] = []
    summary = result.summary
    for index, (name, s) in enumerate(summary.unknowns):
        targets.append((f"mean {name}", [float(cell[index]) for cell in grid], float(s.mean),
                        False, s.sd))
    for event, (text, p) in zip(problem.events, summary.events, strict=True):
        values = [1.0 if event.holds(dict(zip(problem.names, cell, strict=True))) else 0.0
                  for cell in grid]
        targets.append((f"P({text})", values, float(p), True,
                        math.sqrt(float(p) * (1 - float(p)))))
    z = normal_quantile(confidence)
    if run.method == "importance":
        joints = [h.joint for h in result.posterior.hypotheses]
        top = max(joints)
        weights = [float(j / top) for j in joints]
        drawn = [h.drawn for h in run.hypotheses]
        estimates = tuple(_importance(what, f, exact, drawn, weights, z)
                          for what, f, exact, _, _ in targets)
    elif run.method == "rejection":
        accepted = [h.accepted or 0 for h in run.hypotheses]
        estimates = tuple(_rejection(what, f, exact, sd, accepted, z, confidence, event)
                          for what, f, exact, event, sd in targets)
    else:  # pragma: no cover - monte_carlo validated the method
        raise InputError(f"method {method!r}")
    return NumericMonteCarlo(run=run, estimates=estimates)


def _importance(what: str, f: Sequence[float], exact: float, drawn: Sequence[int],
                weights: Sequence[float], z: float) -> Estimate:
    total = math.fsum(n * w for n, w in zip(drawn, weights, strict=True))
    est = math.fsum(n * w * x for n, w, x in zip(drawn, weights, f, strict=True)) / total

    def se_at(centre: float) -> float:
        spread = math.fsum(n * w * w * (x - centre) ** 2
                           for n, w, x in zip(drawn, weights, f, strict=True))
        return math.sqrt(spread) / total

    se = se_at(est)
    return Estimate(what=what, estimate=est, stderr=se, ci_low=est - z * se,
                    ci_high=est + z * se, exact=exact, z=_z(est, exact, se_at(exact)))


def _rejection(what: str, f: Sequence[float], exact: float, exact_sd: float,
               accepted: Sequence[int], z: float, confidence: float, event: bool) -> Estimate:
    kept = sum(accepted)
    est = math.fsum(k * x for k, x in zip(accepted, f, strict=True)) / kept
    spread = math.fsum(k * (x - est) ** 2 for k, x in zip(accepted, f, strict=True)) / kept
    se = math.sqrt(spread / kept)
    if event:
        low, high = wilson_interval(round(est * kept), kept, confidence=confidence)
        ci_low, ci_high = float(low), float(high)
    else:
        ci_low, ci_high = est - z * se, est + z * se
    # the SE if the exact posterior were true: the exact posterior sd over sqrt(K)
    return Estimate(what=what, estimate=est, stderr=se, ci_low=ci_low, ci_high=ci_high,
                    exact=exact, z=_z(est, exact, exact_sd / math.sqrt(kept)))


def _z(estimate: float, exact: float, stderr: float) -> float | None:
    if stderr > 0:
        return (estimate - exact) / stderr
    return 0.0 if math.isclose(estimate, exact, rel_tol=1e-12, abs_tol=1e-300) else None


__all__ = ["Estimate", "NumericMonteCarlo", "numeric_monte_carlo"]
