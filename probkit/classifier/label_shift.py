r"""Label shift estimated from unlabelled inputs: the EM method of Saerens, Latinne &
Decaestecker (2002), *Neural Computation* 14(1):21-41.

A classifier trained where a share :math:`\pi` of the images are cats gives
:math:`p_i = P_\pi(\text{cat} \mid x_i)` on a new, unlabelled batch. If only the
share of cats changed (to an unknown :math:`P`), the batch's likelihood is

.. math::

    \ell(P) = \sum_i \log\Bigl(p_i \frac{P}{\pi} + (1 - p_i)\frac{1 - P}{1 - \pi}\Bigr)
    + \text{const},

which is concave in :math:`P`. EM climbs it by alternating

* **E step**: move each probability to the current :math:`P^{(s)}` by Bayes' rule,
  :math:`\operatorname{logit} p_i^{(s)} = \operatorname{logit} p_i +
  \operatorname{logit} P^{(s)} - \operatorname{logit}\pi`
  (:meth:`probkit.classifier.base_rate.BaseRateShift.shift_logits`);
* **M step**: :math:`P^{(s+1)} = \frac1n\sum_i p_i^{(s)}`,

from :math:`P^{(0)} = \pi` until the change is below ``tol``. The answer is only
as good as the probabilities (they must be calibrated) and the assumption (each
class's images look as they did in training). A bootstrap over the batch's
images gives an interval, and the likelihood-ratio interval
:math:`\{P : \ell(\hat P) - \ell(P) \le \chi^2_{1,0.95}/2\}` shows how flat the
likelihood is (a classifier that says :math:`p_i \approx \pi` for every image
leaves :math:`\ell` flat and EM where it started, with a deceptively narrow
bootstrap interval). The estimate is **refused** (not applied) when it sits on
the boundary (within ``BOUNDARY`` = 0.02 of 0 or 1: the likelihood has no
interior maximum) or when either interval is wider than ``MAX_WIDTH`` = 0.5 (it
covers most of [0, 1]: the batch says little about the share of cats).

>>> import numpy as np
>>> p = np.array([0.9, 0.2, 0.7, 0.1, 0.8, 0.3])
>>> fit = em_base_rate(np.log(p / (1 - p)), training_base_rate=0.5)
>>> round(fit.estimate, 3), fit.converged
(0.5, True)
>>> p = np.array([0.9, 0.8, 0.7, 0.3, 0.9, 0.6])  # mean 0.7, yet the MLE is all cats
>>> round(em_base_rate(np.log(p / (1 - p)), training_base_rate=0.5).estimate, 3)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, log_expit, logit

from probkit._arrays import check_seed
from probkit.errors import DataError, InputError

#: estimates within this distance of 0 or 1 are "on the boundary" and not applied
BOUNDARY = 0.02
#: bootstrap intervals wider than this are "most of [0, 1]" and the estimate is not applied
MAX_WIDTH = 0.5
#: bound on the bootstrap work (resamples x images)
MAX_BOOTSTRAP_WORK = 50_000_000

Array = NDArray[np.float64]


def _check_logits(logits: Any) -> Array:
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or z.size == 0:
        raise DataError(f"label-shift estimation needs a non-empty 1-D array of logits; got "
                        f"shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise DataError("label-shift estimation got NaN or infinite logits")
    return z


def _check_rate(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise InputError(f"{what} must be a number strictly between 0 and 1; got {value!r}")
    return float(value)


def batch_log_likelihood(logits: Any, *, training_base_rate: float, base_rate: float) -> float:
    r""":math:`\ell(P) = \sum_i \log(p_i P/\pi + (1 - p_i)(1 - P)/(1 - \pi))`, in log space.

    >>> batch_log_likelihood([0.0, 0.0], training_base_rate=0.5, base_rate=0.5)
    0.0
    """
    z = _check_logits(logits)
    pi = _check_rate(training_base_rate, "training_base_rate")
    rate = _check_rate(base_rate, "base_rate")
    terms = np.logaddexp(log_expit(z) + math.log(rate / pi),
                         log_expit(-z) + math.log((1 - rate) / (1 - pi)))
    return float(np.sum(terms))


def _em(z: Array, pi: float, tol: float, max_iter: int) -> tuple[Array, int, Array]:
    """Vectorised EM: ``z`` (B, n) -> (estimates (B,), iterations, converged (B,))."""
    shift0 = logit(pi)
    rate = np.full(z.shape[0], pi)
    converged = np.zeros(z.shape[0], dtype=bool)
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (the count is returned)
        with np.errstate(divide="ignore"):
            shift = logit(rate) - shift0
        new = np.mean(expit(z + shift[:, None]), axis=1)
        step = np.abs(new - rate)
        rate = np.where(converged, rate, new)
        converged |= step < tol
        if converged.all():
            break
    return rate, it, converged


@dataclass(frozen=True)
class EMFit:
    """One EM run: the estimate of the share of cats, iterations, convergence."""

    estimate: float
    n_iter: int
    converged: bool
    log_likelihood: float


def em_base_rate(logits: Any, *, training_base_rate: float, tol: float = 1e-8,
                 max_iter: int = 10_000) -> EMFit:
    """The maximum-likelihood share of cats in an unlabelled batch (Saerens et al. EM).

    ``logits`` are the classifier's log-odds at the training base rate.

    >>> fit = em_base_rate([5.0] * 10, training_base_rate=0.5)  # all confidently cats
    >>> fit.estimate > 0.99
    True
    """
    z = _check_logits(logits)
    pi = _check_rate(training_base_rate, "training_base_rate")
    if not (isinstance(tol, float) and 0 < tol < 0.1):
        raise InputError(f"tol must be a float in (0, 0.1); got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or not 1 <= max_iter <= 10**6:
        raise InputError(f"max_iter must be an integer in [1, 1000000]; got {max_iter!r}")
    rate, n_iter, converged = _em(z[None, :], pi, tol, max_iter)
    estimate = float(rate[0])
    inside = min(max(estimate, 1e-300), 1 - 1e-16)
    return EMFit(estimate=estimate, n_iter=n_iter, converged=bool(converged[0]),
                 log_likelihood=batch_log_likelihood(z, training_base_rate=pi,
                                                     base_rate=inside))


def likelihood_interval(logits: Any, *, training_base_rate: float,
                        confidence: float = 0.95) -> tuple[float, float]:
    r"""The shares :math:`P` with :math:`\ell(\hat P) - \ell(P) \le \chi^2_{1,c}/2`, on a
    grid of step 0.001 over [0.0005, 0.9995] (:math:`\ell` is concave: one interval).

    >>> likelihood_interval(np.zeros(20), training_base_rate=0.5)  # flat: says nothing
    (0.0005, 0.9995)
    >>> lo, hi = likelihood_interval(np.r_[np.full(30, 6.0), np.full(10, -6.0)],
    ...                              training_base_rate=0.5)
    >>> 0.6 < lo < 0.75 < hi < 0.87
    True
    """
    from scipy.stats import chi2

    z = _check_logits(logits)
    pi = _check_rate(training_base_rate, "training_base_rate")
    grid = np.linspace(0.0005, 0.9995, 1000)
    ll = np.sum(np.logaddexp(log_expit(z)[None, :] + np.log(grid / pi)[:, None],
                             log_expit(-z)[None, :] + np.log((1 - grid) / (1 - pi))[:, None]),
                axis=1)
    inside = grid[ll >= ll.max() - chi2.ppf(confidence, 1) / 2 - 1e-9]
    return float(inside.min()), float(inside.max())


@dataclass(frozen=True)
class BaseRateEstimate:
    """The estimated deployment share of cats, its bootstrap interval, and whether to use it."""

    estimate: float
    interval: tuple[float, float]
    likelihood_interval: tuple[float, float]
    confidence: float
    n: int
    n_bootstrap: int
    training_base_rate: float
    converged: bool
    usable: bool
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"estimate": self.estimate, "interval": list(self.interval),
                "likelihood_interval": list(self.likelihood_interval),
                "confidence": self.confidence, "n": self.n, "n_bootstrap": self.n_bootstrap,
                "training_base_rate": self.training_base_rate, "converged": self.converged,
                "usable": self.usable, "reason": self.reason,
                "method": "EM (Saerens, Latinne & Decaestecker 2002), percentile bootstrap"}

    def __str__(self) -> str:
        lo, hi = self.interval
        text = (f"estimated share of cats {self.estimate:.3f} "
                f"({self.confidence:.0%} bootstrap interval {lo:.3f}-{hi:.3f}, n={self.n})")
        return text if self.usable else f"{text}; not applied: {self.reason}"


def estimate_base_rate(logits: Any, *, training_base_rate: float, n_bootstrap: int = 1000,
                       confidence: float = 0.95, seed: int = 0) -> BaseRateEstimate:
    """EM estimate plus a percentile bootstrap interval (images resampled with replacement),
    and the verdict whether it may be applied (see the module docstring for the rule).

    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(400) < 0.8  # a batch with 80% cats
    >>> x = np.where(y, 1.0, -1.0) + rng.normal(0, 1, 400)  # N(1, 1) for cats, N(-1, 1) not
    >>> z = 2 * x  # the exact log-odds at a 50% base rate
    >>> est = estimate_base_rate(z, training_base_rate=0.5, n_bootstrap=200)
    >>> round(est.estimate, 2), est.usable
    (0.76, True)
    >>> estimate_base_rate(np.zeros(30), training_base_rate=0.5, n_bootstrap=200).usable
    False
    """
    z = _check_logits(logits)
    pi = _check_rate(training_base_rate, "training_base_rate")
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, int) or n_bootstrap < 50:
        raise InputError(f"n_bootstrap must be an integer >= 50; got {n_bootstrap!r}")
    if n_bootstrap * z.size > MAX_BOOTSTRAP_WORK:
        raise InputError(f"n_bootstrap={n_bootstrap} with {z.size} images exceeds the work "
                         f"bound ({MAX_BOOTSTRAP_WORK} resampled logits); use fewer resamples")
    if isinstance(confidence, bool) or not isinstance(confidence, float) \
            or not 0.5 <= confidence < 1:
        raise InputError(f"confidence must be a float in [0.5, 1); got {confidence!r}")
    check_seed(seed)
    fit = em_base_rate(z, training_base_rate=pi)
    rng = np.random.default_rng(seed)
    samples = z[rng.integers(0, z.size, size=(n_bootstrap, z.size))]
    rates, _, _ = _em(samples, pi, 1e-8, 10_000)
    tail = (1 - confidence) / 2
    lo, hi = (float(v) for v in np.quantile(rates, [tail, 1 - tail]))
    l_lo, l_hi = likelihood_interval(z, training_base_rate=pi, confidence=confidence)
    reason = None
    if not fit.converged:
        reason = "EM did not converge"
    elif min(fit.estimate, 1 - fit.estimate) < BOUNDARY:
        reason = (f"the estimate {fit.estimate:.3f} is on the boundary of [0, 1] (the batch's "
                  "likelihood has no interior maximum)")
    elif hi - lo > MAX_WIDTH:
        reason = (f"the {confidence:.0%} interval {lo:.2f}-{hi:.2f} covers most of [0, 1]: "
                  "the probabilities say too little about the share of cats")
    elif l_hi - l_lo > MAX_WIDTH:
        reason = (f"the likelihood is flat: every share from {l_lo:.2f} to {l_hi:.2f} fits the "
                  "batch about equally well (the probabilities say too little about the share "
                  "of cats)")
    return BaseRateEstimate(estimate=fit.estimate, interval=(lo, hi),
                            likelihood_interval=(l_lo, l_hi), confidence=confidence,
                            n=int(z.size), n_bootstrap=n_bootstrap, training_base_rate=pi,
                            converged=fit.converged, usable=reason is None, reason=reason)


__all__ = ["BOUNDARY", "MAX_WIDTH", "BaseRateEstimate", "EMFit", "batch_log_likelihood",
           "em_base_rate", "estimate_base_rate", "likelihood_interval"]
