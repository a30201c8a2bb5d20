"""Metrics for probabilistic binary classifiers, with the uncertainty they carry.

Accuracy on a small test set is itself an estimate: with 50 images a 95%
interval is about ±13 points wide, so every accuracy comes with its Wilson
interval

.. math::

    \\frac{\\hat p + \\frac{z^2}{2n} \\pm z \\sqrt{\\frac{\\hat p (1-\\hat p)}{n}
    + \\frac{z^2}{4n^2}}}{1 + \\frac{z^2}{n}}

and beside the majority-class baseline (always answering the commonest
label). Probabilities are judged by the log loss, the Brier score and the
expected calibration error (ECE) over 10 equal-width bins.

Labels are 0/1 with 1 the positive class ("cat"); ``p`` is P(label = 1).

Examples
--------
>>> lo, hi = wilson_interval(35, 50)
>>> round(lo, 4), round(hi, 4)
(0.5625, 0.809)
>>> confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]).tolist()
[[1, 1], [1, 2]]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_expit, xlogy

from probkit.bayes.intervals import wilson_interval as wilson
from probkit.errors import InputError

#: probabilities are clipped to [EPS, 1 - EPS] in the log loss (when no logits are given)
EPS = 1e-15


def _labels(y: Any, what: str = "y") -> NDArray[np.int64]:
    array = np.asarray(y)
    if array.ndim != 1:
        raise InputError(f"{what} must be 1-D; got shape {array.shape}")
    if array.size and not np.all(np.isin(array, (0, 1))):
        raise InputError(f"{what} must hold only 0 and 1")
    return array.astype(np.int64)


def _probabilities(p: Any, n: int) -> NDArray[np.float64]:
    array = np.asarray(p, dtype=np.float64)
    if array.shape != (n,):
        raise InputError(f"probabilities must have shape ({n},); got {array.shape}")
    if not np.all((array >= 0) & (array <= 1)):
        raise InputError("probabilities must lie in [0, 1]")
    return array


def _nonempty(n: int) -> None:
    if n == 0:
        raise InputError("cannot compute a metric on zero samples")


def accuracy(y: Any, y_pred: Any) -> float:
    """Share of correct labels.

    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    yt, yp = _labels(y), _labels(y_pred, "y_pred")
    if yt.shape != yp.shape:
        raise InputError(f"y has {yt.size} labels but y_pred has {yp.size}")
    _nonempty(yt.size)
    return float(np.mean(yt == yp))


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion of ``k`` successes in ``n`` trials.

    >>> wilson_interval(0, 10)[0], round(wilson_interval(0, 10)[1], 4)
    (0.0, 0.2775)
    """
    if n <= 0 or not 0 <= k <= n:
        raise InputError(f"wilson_interval needs 0 <= k <= n and n > 0; got k={k}, n={n}")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be in (0, 1); got {confidence}")
    low, high = wilson(k, n, confidence=confidence)
    return float(low), float(high)


def log_loss(y: Any, p: Any, *, logits: Any = None) -> float:
    """Mean negative log-likelihood :math:`-\\frac1n\\sum[y\\log p + (1-y)\\log(1-p)]`.

    Given ``logits`` (log-odds), it is computed from them exactly (no rounding
    of saturated probabilities); otherwise ``p`` is clipped to [1e-15, 1 - 1e-15].

    >>> round(log_loss([1, 0], [0.8, 0.4]), 6)  # -(log 0.8 + log 0.6) / 2
    0.366985
    """
    yt = _labels(y)
    _nonempty(yt.size)
    if logits is not None:
        z = np.asarray(logits, dtype=np.float64)
        if z.shape != yt.shape:
            raise InputError(f"logits must have shape {yt.shape}; got {z.shape}")
        return float(-np.mean(yt * log_expit(z) + (1 - yt) * log_expit(-z)))
    pa = np.clip(_probabilities(p, yt.size), EPS, 1 - EPS)
    return float(-np.mean(xlogy(yt, pa) + xlogy(1 - yt, 1 - pa)))


def brier_score(y: Any, p: Any) -> float:
    """Mean squared difference between P(label = 1) and the label.

    >>> round(brier_score([1, 0], [0.8, 0.4]), 6)
    0.1
    """
    yt = _labels(y)
    _nonempty(yt.size)
    return float(np.mean((_probabilities(p, yt.size) - yt) ** 2))


def reliability_table(y: Any, p: Any, n_bins: int = 10) -> list[dict[str, float | int]]:
    """Per equal-width bin of P(label = 1): its bounds, count, mean prediction, observed rate.

    Bins are [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0] for ``n_bins=10``; empty bins
    have ``count`` 0 and nan means.
    """
    yt = _labels(y)
    pa = _probabilities(p, yt.size)
    if n_bins < 1:
        raise InputError(f"n_bins must be >= 1; got {n_bins}")
    index = np.minimum((pa * n_bins).astype(np.int64), n_bins - 1)
    rows: list[dict[str, float | int]] = []
    for b in range(n_bins):
        mask = index == b
        count = int(mask.sum())
        rows.append(
            {
                "low": b / n_bins,
                "high": (b + 1) / n_bins,
                "count": count,
                "mean_predicted": float(pa[mask].mean()) if count else math.nan,
                "observed_rate": float(yt[mask].mean()) if count else math.nan,
            }
        )
    return rows


def expected_calibration_error(y: Any, p: Any, n_bins: int = 10) -> float:
    """:math:`\\sum_b \\frac{n_b}{n} \\lvert \\bar p_b - \\bar y_b \\rvert` over equal-width bins.

    >>> expected_calibration_error([0, 1, 1, 1], [0.05, 0.95, 0.95, 0.95])
    0.05
    """
    yt = _labels(y)
    _nonempty(yt.size)
    rows = reliability_table(yt, p, n_bins)
    total = 0.0
    for row in rows:
        if row["count"]:
            total += row["count"] * abs(float(row["mean_predicted"]) - float(row["observed_rate"]))
    return round(total / yt.size, 15)


def confusion_matrix(y: Any, y_pred: Any) -> NDArray[np.int64]:
    """2x2 counts, rows = true label, columns = predicted: ``[[TN, FP], [FN, TP]]``."""
    yt, yp = _labels(y), _labels(y_pred, "y_pred")
    if yt.shape != yp.shape:
        raise InputError(f"y has {yt.size} labels but y_pred has {yp.size}")
    out = np.zeros((2, 2), dtype=np.int64)
    np.add.at(out, (yt, yp), 1)
    return out


def sensitivity(y: Any, y_pred: Any) -> float:
    """True-positive rate TP / (TP + FN); nan when there are no positives.

    >>> sensitivity([1, 1, 1, 0], [1, 0, 1, 1])
    0.6666666666666666
    """
    (_, _), (fn, tp) = confusion_matrix(y, y_pred)
    return float(tp / (tp + fn)) if tp + fn else math.nan


def specificity(y: Any, y_pred: Any) -> float:
    """True-negative rate TN / (TN + FP); nan when there are no negatives.

    >>> specificity([1, 0, 0, 0], [1, 0, 1, 0])
    0.6666666666666666
    """
    (tn, fp), (_, _) = confusion_matrix(y, y_pred)
    return float(tn / (tn + fp)) if tn + fp else math.nan


def baseline_accuracy(y: Any) -> float:
    """Accuracy of always answering the majority label of ``y``.

    >>> baseline_accuracy([1, 1, 0])
    0.6666666666666666
    """
    yt = _labels(y)
    _nonempty(yt.size)
    share = float(yt.mean())
    return max(share, 1.0 - share)


def classification_report(
    y: Any,
    p_cat: Any,
    *,
    threshold: float = 0.5,
    confidence: float = 0.95,
    n_bins: int = 10,
    logits: Any = None,
) -> dict[str, Any]:
    """All the metrics above as one JSON-ready dict (the keys of ``probkit evaluate --json``).

    Predictions are ``p_cat > threshold``.

    Keys: ``n``, ``n_positive``, ``positive_rate``, ``accuracy``, ``accuracy_ci``
    ([low, high]), ``confidence``, ``log_loss``, ``brier``, ``ece``, ``confusion``
    ({"tn", "fp", "fn", "tp"}), ``sensitivity``, ``specificity``,
    ``baseline_accuracy``, ``baseline_label``, ``mean_p_cat``, ``reliability``.
    Undefined values (e.g. sensitivity with no positives) are None.

    >>> r = classification_report([1, 1, 0, 0], [0.9, 0.4, 0.2, 0.3])
    >>> r["accuracy"], r["confusion"], r["baseline_accuracy"]
    (0.75, {'tn': 2, 'fp': 0, 'fn': 1, 'tp': 1}, 0.5)
    """
    yt = _labels(y)
    _nonempty(yt.size)
    pa = _probabilities(p_cat, yt.size)
    y_pred = (pa > threshold).astype(np.int64)
    (tn, fp), (fn, tp) = confusion_matrix(yt, y_pred)
    correct = int(tn + tp)
    lo, hi = wilson_interval(correct, int(yt.size), confidence)

    def finite(x: float) -> float | None:
        return x if math.isfinite(x) else None

    table = reliability_table(yt, pa, n_bins)
    reliability = [{k: finite(float(v)) if isinstance(v, float) else v for k, v in row.items()}
                   for row in table]
    return {
        "n": int(yt.size),
        "n_positive": int(yt.sum()),
        "positive_rate": float(yt.mean()),
        "accuracy": correct / int(yt.size),
        "accuracy_ci": [lo, hi],
        "confidence": confidence,
        "log_loss": log_loss(yt, pa, logits=logits),
        "brier": brier_score(yt, pa),
        "ece": expected_calibration_error(yt, pa, n_bins),
        "confusion": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
        "sensitivity": finite(sensitivity(yt, y_pred)),
        "specificity": finite(specificity(yt, y_pred)),
        "baseline_accuracy": baseline_accuracy(yt),
        "baseline_label": int(yt.mean() > 0.5),
        "mean_p_cat": float(pa.mean()),
        "reliability": reliability,
    }


__all__ = [
    "EPS",
    "accuracy",
    "baseline_accuracy",
    "brier_score",
    "classification_report",
    "confusion_matrix",
    "expected_calibration_error",
    "log_loss",
    "reliability_table",
    "sensitivity",
    "specificity",
    "wilson_interval",
]
