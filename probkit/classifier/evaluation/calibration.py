r"""Calibration: do predicted probabilities match observed frequencies?

A model is *calibrated* when, among the images it gives P(cat) ≈ 0.8, about
80% are cats. The reliability table sorts predictions into 10 equal-width
bins of [0, 1] and sets each bin's mean predicted probability beside the
observed share of cats. The expected calibration error is the count-weighted
mean gap,

.. math:: \mathrm{ECE} = \sum_b \frac{n_b}{n}\,\lvert \bar p_b - \bar y_b \rvert .

Two classic post-hoc fixes act on the logit :math:`z` (both keep the ranking
of the images, so accuracy at threshold 0.5 changes only through the Platt
shift):

* temperature scaling, :math:`p = \sigma(z / T)`, one parameter :math:`T > 0`
  (:math:`T > 1` softens an overconfident model);
* Platt scaling, :math:`p = \sigma(a z + b)`.

Both are fitted by minimising log loss on *out-of-fold* logits of the training
set (cross-fitting: each training image is scored by a model that did not see
it), never on test data. See :func:`probkit.classifier.selection.search.select_model`.

>>> table = reliability_table([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])
>>> [(b.count, b.observed) for b in table if b.count]
[(1, 0.0), (1, 0.0), (1, 1.0), (1, 1.0)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probkit.errors import DataError, InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability table: ``lower <= p < upper`` (the last bin includes 1)."""

    lower: float
    upper: float
    count: int
    mean_predicted: float | None
    observed: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the rows of ``classification_report``'s ``reliability``."""
        return {"low": self.lower, "high": self.upper, "count": self.count,
                "mean_predicted": self.mean_predicted, "observed_rate": self.observed}


def _labels_and_probs(y: ArrayLike, p: ArrayLike) -> tuple[NDArray[np.float64],
                                                           NDArray[np.float64]]:
    import numpy as np

    from probkit._arrays import check_labels, check_probabilities

    labels = check_labels(np.ravel(np.asarray(y)))
    return labels, check_probabilities(np.ravel(np.asarray(p, dtype=np.float64)), labels.size)


def _bin_index(probs: NDArray[np.float64], n_bins: int) -> NDArray[np.int64]:
    """The bin of each probability among ``n_bins`` equal-width bins (1 in the last)."""
    import numpy as np

    return np.minimum((probs * n_bins).astype(np.int64), n_bins - 1)


def reliability_table(y: ArrayLike, p_cat: ArrayLike, n_bins: int = 10) -> list[ReliabilityBin]:
    """Bin predictions into ``n_bins`` equal-width bins and compare with outcomes.

    Empty bins are kept (count 0, means ``None``) so the table always has
    ``n_bins`` rows.

    >>> rows = reliability_table([1, 1, 0, 1], [0.95, 0.91, 0.05, 0.5], n_bins=2)
    >>> [(r.lower, r.upper, r.count, r.observed) for r in rows]
    [(0.0, 0.5, 1, 0.0), (0.5, 1.0, 3, 1.0)]
    """
    if not isinstance(n_bins, int) or isinstance(n_bins, bool) or n_bins < 1:
        raise InputError(f"n_bins must be a positive integer, got {n_bins!r}",
                         parameter="n_bins")
    labels, probs = _labels_and_probs(y, p_cat)
    index = _bin_index(probs, n_bins)
    rows = []
    for b in range(n_bins):
        mask = index == b
        count = int(mask.sum())
        rows.append(ReliabilityBin(
            lower=b / n_bins,
            upper=(b + 1) / n_bins,
            count=count,
            mean_predicted=float(probs[mask].mean()) if count else None,
            observed=float(labels[mask].mean()) if count else None,
        ))
    return rows


def calibration_error(table: list[ReliabilityBin]) -> float:
    """Expected calibration error of a reliability table (count-weighted mean |gap|).

    The one ECE of probkit (``classification_report``'s ``ece`` and
    :func:`~probkit.classifier.evaluation.metrics.expected_calibration_error` call it);
    rounded to 15 decimals so that a calibrated table gives exactly 0.

    >>> calibration_error(reliability_table([0, 1], [0.2, 0.6]))
    0.3
    """
    total = sum(row.count for row in table)
    if total == 0:
        raise DataError("the reliability table is empty", parameter="table")
    gap = 0.0
    for row in table:
        if row.count and row.mean_predicted is not None and row.observed is not None:
            gap += row.count * abs(row.mean_predicted - row.observed)
    return round(gap / total, 15)


#: bound on the simulation work of :func:`ece_consistency` (resamples x examples)
MAX_CONSISTENCY_WORK = 5_000_000


@dataclass(frozen=True)
class ECEConsistency:
    """How large the ECE of *calibrated* probabilities would be on these inputs.

    ``count_at_least`` (k) of the ``n_resamples`` (R) simulated label sets (drawn from
    the probabilities themselves) have an ECE at least the observed one;
    ``share_at_least`` is the Monte Carlo p-value (k + 1)/(R + 1): small means the
    gap is unlikely to be chance.
    """

    ece: float
    null_median: float
    null_95: float
    count_at_least: int
    n: int
    n_resamples: int
    n_bins: int

    @property
    def share_at_least(self) -> float:
        """The Monte Carlo p-value (k + 1)/(R + 1)."""
        return (self.count_at_least + 1) / (self.n_resamples + 1)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the method named."""
        return {"ece": self.ece, "null_median": self.null_median, "null_95": self.null_95,
                "share_at_least": self.share_at_least, "count_at_least": self.count_at_least,
                "n": self.n,
                "n_resamples": self.n_resamples, "n_bins": self.n_bins,
                "method": "labels drawn from the predicted probabilities (consistency "
                          "resampling, Bröcker & Smith 2007)"}

    def __str__(self) -> str:
        return (f"calibrated probabilities would show an ECE of {self.null_median:.3f} (median; "
                f"95th percentile {self.null_95:.3f}) on these {self.n} inputs; "
                f"{self.ece:.3f} or more in {self.count_at_least} of {self.n_resamples} "
                f"simulations (p = {self.share_at_least:.2g})")


def ece_consistency(y: ArrayLike, p_cat: ArrayLike, *, n_bins: int = 10,
                    n_resamples: int = 2000, seed: int = 0) -> ECEConsistency:
    r"""Is an ECE larger than calibrated probabilities would show on so few inputs?

    Even perfectly calibrated probabilities show a positive ECE on a finite sample:
    with 50 images in 10 bins, each bin's observed share of cats is a small-sample
    proportion. Draw label sets :math:`y^*_i \sim \mathrm{Bernoulli}(p_i)` from the
    probabilities themselves (which are then calibrated by construction), compute
    each one's ECE with the same bins, and compare the observed ECE with that
    distribution (Bröcker & Smith, *Increasing the reliability of reliability
    diagrams*, Weather and Forecasting 22, 2007; here with the probabilities held
    fixed).

    >>> p = [0.1] * 10 + [0.5] * 10 + [0.9] * 10
    >>> y = [1] + [0] * 9 + [1] * 5 + [0] * 5 + [1] * 9 + [0]  # exactly 10%, 50%, 90% cats
    >>> calibrated = ece_consistency(y, p, seed=1)
    >>> calibrated.ece, calibrated.share_at_least, calibrated.null_median > 0
    (0.0, 1.0, True)
    >>> wrong = ece_consistency([1] * 30, p, seed=1)  # every one a cat
    >>> round(wrong.ece, 2), wrong.share_at_least < 0.01
    (0.5, True)
    """
    import numpy as np

    from probkit._arrays import check_seed

    if not isinstance(n_resamples, int) or isinstance(n_resamples, bool) or n_resamples < 1:
        raise InputError(f"n_resamples must be a positive integer, got {n_resamples!r}",
                         parameter="n_resamples")
    check_seed(seed)
    labels, probs = _labels_and_probs(y, p_cat)
    if n_resamples * probs.size > MAX_CONSISTENCY_WORK:
        raise InputError(f"n_resamples={n_resamples} x {probs.size} inputs is more than "
                         f"{MAX_CONSISTENCY_WORK:,} draws", parameter="n_resamples")
    observed = calibration_error(reliability_table(labels, probs, n_bins))
    index = _bin_index(probs, n_bins)
    predicted = np.bincount(index, weights=probs, minlength=n_bins)   # sum of p per bin
    rng = np.random.default_rng(seed)
    simulated = (rng.random((n_resamples, probs.size)) < probs).astype(np.float64)
    one_hot = np.zeros((probs.size, n_bins))
    one_hot[np.arange(probs.size), index] = 1.0
    cats = simulated @ one_hot                                          # (R, bins)
    null = np.abs(predicted[None, :] - cats).sum(axis=1) / probs.size  # Σ n_b |p̄_b - ȳ_b| / n
    at_least = int(np.sum(null >= observed - 1e-12))
    return ECEConsistency(
        ece=observed, null_median=float(np.median(null)),
        null_95=float(np.percentile(null, 95)),
        count_at_least=at_least, n=int(probs.size), n_resamples=n_resamples, n_bins=n_bins)


def _check_logits(logits: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64],
                                                            NDArray[np.float64]]:
    import numpy as np

    from probkit._arrays import check_labels

    z = np.asarray(logits, dtype=np.float64).ravel()
    labels = check_labels(np.ravel(np.asarray(y)), z.size, n_what="there are {n} logits")
    if z.size == 0:
        raise DataError("no logits to calibrate on", parameter="logits")
    if not np.isfinite(z).all():
        raise DataError("logits must be finite", parameter="logits")
    return z, labels


def fit_temperature(logits: ArrayLike, y: ArrayLike, *, bounds: tuple[float, float] = (0.25, 20.0),
                    offset: ArrayLike | float = 0.0, sample_weight: ArrayLike | None = None
                    ) -> float:
    r"""The temperature :math:`T` minimising the log loss of :math:`\sigma(z/T + c)`.

    ``offset`` :math:`c` (default 0) is added after scaling: a base-rate shift
    applied later at prediction time. ``sample_weight`` weighs the examples.

    Searched over :math:`\log T` in ``bounds`` (a bounded 1-D minimisation;
    the loss is smooth in :math:`\log T`). If both classes are separated
    perfectly the loss keeps falling as :math:`T \to 0`, and the lower bound
    is returned.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(0, 2, 4000)
    >>> y = (rng.random(4000) < 1 / (1 + np.exp(-z))).astype(float)
    >>> round(fit_temperature(3 * z, y), 1)   # logits 3x too confident
    3.0
    """
    import numpy as np
    from scipy.optimize import minimize_scalar

    from probkit.classifier.models.losses import log_loss_from_logits

    z, labels = _check_logits(logits, y)
    shift = np.broadcast_to(np.asarray(offset, dtype=np.float64), z.shape)
    weights = None
    if sample_weight is not None:
        weights = np.asarray(sample_weight, dtype=np.float64).ravel()
        if weights.shape != z.shape or not np.all(np.isfinite(weights)) or weights.min() < 0:
            raise DataError("sample_weight must be finite, >= 0 and one per logit")
    low, high = bounds
    if not 0 < low < high:
        raise InputError(f"temperature bounds must satisfy 0 < low < high, got {bounds!r}")
    result = minimize_scalar(
        lambda log_t: log_loss_from_logits(z / math.exp(log_t) + shift, labels, weights=weights),
        bounds=(math.log(low), math.log(high)), method="bounded",
        options={"xatol": 1e-6},
    )
    return float(math.exp(result.x))


def fit_platt(logits: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    r"""Platt scaling :math:`p = \sigma(a z + b)` fitted by log loss (L-BFGS, analytic gradient).

    A tiny ridge (``1e-6``) on :math:`a, b` keeps the optimum finite when
    the classes are separable.

    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> z = rng.normal(0, 2, 4000)
    >>> y = (rng.random(4000) < 1 / (1 + np.exp(-(0.5 * z - 1)))).astype(float)
    >>> a, b = fit_platt(z, y)
    >>> abs(a - 0.5) < 0.1 and abs(b + 1.0) < 0.15   # sampling noise on 4000 draws
    True
    """
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import expit, log_expit

    z, labels = _check_logits(logits, y)
    ridge = 1e-6

    def cost(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        a, b = theta
        s = a * z + b
        loss = float(-(labels * log_expit(s) + (1 - labels) * log_expit(-s)).mean())
        ds = (expit(s) - labels) / z.size
        grad = np.array([ds @ z, ds.sum()]) + 2 * ridge * theta
        return loss + ridge * float(theta @ theta), grad

    result = minimize(cost, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


def apply_temperature(logits: ArrayLike, temperature: float) -> NDArray[np.float64]:
    r"""P(cat) = :math:`\sigma(z / T)`.

    >>> apply_temperature([0.0, 2.0], 2.0).round(4).tolist()
    [0.5, 0.7311]
    """
    import numpy as np
    from scipy.special import expit

    if not (isinstance(temperature, (int, float)) and math.isfinite(temperature)
            and temperature > 0):
        raise InputError(f"temperature must be a positive finite number, got {temperature!r}")
    return np.asarray(expit(np.asarray(logits, dtype=np.float64) / temperature))


def apply_platt(logits: ArrayLike, a: float, b: float) -> NDArray[np.float64]:
    r"""P(cat) = :math:`\sigma(a z + b)`.

    >>> apply_platt([0.0], 1.0, 0.0).tolist()
    [0.5]
    """
    import numpy as np
    from scipy.special import expit

    return np.asarray(expit(a * np.asarray(logits, dtype=np.float64) + b))


__all__ = [
    "MAX_CONSISTENCY_WORK",
    "ECEConsistency",
    "ReliabilityBin",
    "apply_platt",
    "apply_temperature",
    "calibration_error",
    "ece_consistency",
    "fit_platt",
    "fit_temperature",
    "reliability_table",
]
