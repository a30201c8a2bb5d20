r"""Confidence intervals and standard errors (numpy): shared by Monte Carlo posterior estimates
and the classifier's metrics (accuracy's Wilson interval, the data audit's shares).

Two estimators, two error formulas:

* **Rejection sampling** keeps :math:`m` draws, :math:`k` of them from
  hypothesis :math:`H`; the estimate :math:`\hat p = k/m` is a binomial
  proportion. Its interval is the Wilson score interval, set exactly to 0 at
  :math:`k = 0` and to 1 at :math:`k = m` (:func:`wilson_interval`).
* **Self-normalized importance sampling** estimates
  :math:`\hat p = \sum_n w_n a_n / \sum_n w_n` (:math:`a_n = 1` when draw
  :math:`n` is hypothesis :math:`H`), a ratio of two means; its standard error
  comes from the delta method (:func:`ratio_standard_error`) and the interval is
  :math:`\hat p \pm z\,\mathrm{SE}` clipped to [0, 1].

Every function works elementwise on numpy arrays, so a test can compute
thousands of replicate intervals at once.

>>> low, high = wilson_interval(8, 9)
>>> round(float(low), 4), round(float(high), 4)
(0.565, 0.9801)
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from probkit.errors import InputError
from probkit.logspace import log_sum_exp_array

FloatArray = npt.NDArray[np.float64]


def normal_quantile(confidence: float) -> float:
    """The two-sided standard normal critical value :math:`z_{1-\\alpha/2}`.

    >>> round(normal_quantile(0.95), 6)
    1.959964
    """
    if not 0 < confidence < 1:
        raise InputError(f"confidence {confidence!r} must lie strictly between 0 and 1")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(
    successes: npt.ArrayLike, trials: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    r"""Wilson score interval for a binomial proportion :math:`k/m`.

    .. math::

        \frac{\hat p + \frac{z^2}{2m}}{1 + \frac{z^2}{m}} \pm
        \frac{z}{1 + \frac{z^2}{m}} \sqrt{\frac{\hat p (1 - \hat p)}{m} + \frac{z^2}{4m^2}}

    The bound at the edge is exact: 0 when :math:`k = 0`, 1 when :math:`k = m`
    (the floating-point formula would give a few ulps off). ``trials`` must be
    positive.

    >>> low, high = wilson_interval([0, 5], [5, 5])
    >>> float(low[0]), float(high[1])
    (0.0, 1.0)
    """
    k = np.asarray(successes, dtype=np.float64)
    m = np.asarray(trials, dtype=np.float64)
    if np.any(m <= 0) or np.any(k < 0) or np.any(k > m):
        raise InputError("Wilson interval needs 0 <= successes <= trials and trials > 0")
    z = normal_quantile(confidence)
    p = k / m
    shrink = 1.0 + z * z / m
    centre = (p + z * z / (2.0 * m)) / shrink
    half = z / shrink * np.sqrt(p * (1.0 - p) / m + z * z / (4.0 * m * m))
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k == m, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high


def binomial_standard_error(proportion: npt.ArrayLike, trials: npt.ArrayLike) -> FloatArray:
    r""":math:`\sqrt{p (1 - p) / m}`, the standard error of a proportion from :math:`m` trials.

    >>> float(binomial_standard_error(0.5, 100))
    0.05
    """
    p = np.asarray(proportion, dtype=np.float64)
    m = np.asarray(trials, dtype=np.float64)
    return np.sqrt(p * (1.0 - p) / m)


def ratio_standard_error(
    counts: npt.ArrayLike, weights: npt.ArrayLike, hypothesis: int, value: npt.ArrayLike
) -> FloatArray:
    r"""Delta-method standard error of a self-normalized importance estimate.

    With :math:`n_j` draws of hypothesis :math:`j`, each of weight :math:`w_j`,
    the estimate of :math:`P(H_i \mid E)` is
    :math:`\hat p_i = n_i w_i / \sum_j n_j w_j`, and

    .. math::

        \mathrm{SE}(\hat p_i)^2 = \frac{\sum_j n_j w_j^2 (\delta_{ij} - p)^2}
                                       {\left(\sum_j n_j w_j\right)^2}

    evaluated at :math:`p = \hat p_i` for the interval (or at the exact value,
    for a test statistic). ``counts`` has the hypotheses on its last axis.
    Computed in log space (:func:`log_ratio_standard_error`).

    >>> round(float(ratio_standard_error([50, 50], [1.0, 1.0], 0, 0.5)), 15)
    0.05
    """
    with np.errstate(divide="ignore"):
        log_w = np.log(np.asarray(weights, dtype=np.float64))
        log_p = np.log(np.asarray(value, dtype=np.float64))
    return np.exp(log_ratio_standard_error(counts, log_w, hypothesis, log_p))


def log_ratio_standard_error(
    counts: npt.ArrayLike,
    log_weights: npt.ArrayLike,
    hypothesis: int,
    log_value: npt.ArrayLike,
    log_complement: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""The log of :func:`ratio_standard_error`, from log weights and :math:`\log p`.

    Every term :math:`n_j w_j^2 (\delta_{ij} - p)^2` is summed as
    :math:`\log n_j + 2 \log w_j + 2 \log|\delta_{ij} - p|` with log-sum-exp, so a
    hypothesis whose weight or posterior is far below the float range (1e-200, 1e-400)
    still gets a positive, correctly scaled standard error instead of an underflowed 0.
    ``log_complement`` is :math:`\log(1 - p)` when known more precisely than from
    :math:`p` (for :math:`p = 1 - 10^{-200}`); by default ``log1p(-p)``.

    >>> w = np.log([1.0, 1e-200])
    >>> se = float(np.exp(log_ratio_standard_error([500, 500], w, 1, np.log(1e-200))))
    >>> round(se / 1e-200 * 500 / 1000**0.5, 6)
    1.0
    """
    n = np.asarray(counts, dtype=np.float64)
    log_w = np.asarray(log_weights, dtype=np.float64)
    log_p = np.asarray(log_value, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_n = np.log(n)
        log_mass = np.where(n > 0, log_n + log_w, -np.inf)
        log_total = log_sum_exp_array(log_mass)
        log_square = np.where(n > 0, log_n + 2.0 * log_w, -np.inf)
        off = 2.0 * log_p[..., np.newaxis]  # (0 - p)^2 for j != i
        log_q = (np.log1p(-np.exp(log_p)) if log_complement is None
                 else np.asarray(log_complement, dtype=np.float64))
        on = 2.0 * log_q[..., np.newaxis]  # (1 - p)^2 for j == i
        k = n.shape[-1]
        deviation = np.where(np.arange(k) == hypothesis, on, off)
        spread = log_sum_exp_array(log_square + deviation)
    return np.asarray(0.5 * spread - log_total)


__all__ = [
    "binomial_standard_error",
    "log_ratio_standard_error",
    "normal_quantile",
    "ratio_standard_error",
    "wilson_interval",
]
