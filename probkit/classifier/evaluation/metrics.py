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
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import xlogy

from probkit._arrays import check_labels, check_probabilities
from probkit.errors import DataError, InputError
from probkit.intervals import wilson_interval as wilson

#: probabilities are clipped to [EPS, 1 - EPS] in the log loss (when no logits are given)
EPS = 1e-15


def _labels(y: Any, what: str = "y") -> NDArray[np.int64]:
    return check_labels(y, what=what).astype(np.int64)


def _probabilities(p: Any, n: int) -> NDArray[np.float64]:
    return check_probabilities(p, n)


def _nonempty(n: int) -> None:
    if n == 0:
        raise DataError("cannot compute a metric on zero samples", parameter="y")


def says_positive(p: Any, threshold: float = 0.5) -> NDArray[np.bool_]:
    """The verdict "label 1" (e.g. "cat"): ``P(label 1) > threshold``; exactly 1/2 is "no".

    The one rule for turning probabilities into verdicts (metrics, plots, comparisons).

    >>> says_positive([0.2, 0.5, 0.51]).tolist()
    [False, False, True]
    """
    return np.asarray(p, dtype=np.float64) > threshold


def accuracy(y: Any, y_pred: Any) -> float:
    """Share of correct labels.

    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    yt = _labels(y)
    yp = check_labels(y_pred, yt.size, what="y_pred", n_what="y has {n} labels")
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
        from probkit.classifier.models.losses import log_loss_from_logits

        z = np.asarray(logits, dtype=np.float64)
        if z.shape != yt.shape:
            raise DataError(f"logits must have shape {yt.shape}; got {z.shape}",
                            parameter="logits")
        return log_loss_from_logits(z, yt)
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


def expected_calibration_error(y: Any, p: Any, n_bins: int = 10) -> float:
    """:math:`\\sum_b \\frac{n_b}{n} \\lvert \\bar p_b - \\bar y_b \\rvert` over equal-width bins
    (:func:`~.calibration.calibration_error` of the one reliability table).

    >>> expected_calibration_error([0, 1, 1, 1], [0.05, 0.95, 0.95, 0.95])
    0.05
    """
    from probkit.classifier.evaluation.calibration import calibration_error, reliability_table

    yt = _labels(y)
    _nonempty(yt.size)
    return calibration_error(reliability_table(yt, p, n_bins))


@dataclass(frozen=True)
class ConfusionCounts:
    """Counts of a binary classifier's verdicts against the truth (label 1 = cat = positive)."""

    true_positive: int
    false_negative: int
    true_negative: int
    false_positive: int

    @property
    def n(self) -> int:
        """Number of examples."""
        return self.true_positive + self.false_negative + self.true_negative + self.false_positive

    @property
    def positives(self) -> int:
        """Number of actual cats."""
        return self.true_positive + self.false_negative

    @property
    def negatives(self) -> int:
        """Number of actual non-cats."""
        return self.true_negative + self.false_positive

    def to_dict(self) -> dict[str, int]:
        """The ``confusion`` object of ``classification_report`` (``tn, fp, fn, tp``)."""
        return {"tn": self.true_negative, "fp": self.false_positive,
                "fn": self.false_negative, "tp": self.true_positive}


def confusion_counts(y_true: Any, y_pred: Any) -> ConfusionCounts:
    """Count true/false positives/negatives (label 1 = cat = positive): the one confusion count.

    >>> confusion_counts([1, 1, 0, 0, 1], [1, 0, 0, 1, 1])
    ConfusionCounts(true_positive=2, false_negative=1, true_negative=1, false_positive=1)
    """
    yt = _labels(y_true)
    yp = check_labels(y_pred, yt.size, what="y_pred", n_what="y has {n} labels").astype(np.int64)
    out = np.zeros((2, 2), dtype=np.int64)
    np.add.at(out, (yt, yp), 1)
    (tn, fp), (fn, tp) = out.tolist()
    return ConfusionCounts(true_positive=tp, false_negative=fn, true_negative=tn,
                           false_positive=fp)


def confusion_matrix(y: Any, y_pred: Any) -> NDArray[np.int64]:
    """2x2 counts, rows = true label, columns = predicted: ``[[TN, FP], [FN, TP]]``."""
    c = confusion_counts(y, y_pred)
    return np.array([[c.true_negative, c.false_positive], [c.false_negative, c.true_positive]],
                    dtype=np.int64)


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def sensitivity(y: Any, y_pred: Any) -> float:
    """True-positive rate TP / (TP + FN); nan when there are no positives.

    >>> sensitivity([1, 1, 1, 0], [1, 0, 1, 1])
    0.6666666666666666
    """
    c = confusion_counts(y, y_pred)
    return _rate(c.true_positive, c.positives)


def specificity(y: Any, y_pred: Any) -> float:
    """True-negative rate TN / (TN + FP); nan when there are no negatives.

    >>> specificity([1, 0, 0, 0], [1, 0, 1, 0])
    0.6666666666666666
    """
    c = confusion_counts(y, y_pred)
    return _rate(c.true_negative, c.negatives)


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
    from probkit.classifier.evaluation.calibration import calibration_error, reliability_table

    pa = _probabilities(p_cat, yt.size)
    y_pred = says_positive(pa, threshold).astype(np.int64)
    counts = confusion_counts(yt, y_pred)
    correct = counts.true_negative + counts.true_positive
    lo, hi = wilson_interval(correct, int(yt.size), confidence)

    def finite(x: float) -> float | None:
        return x if math.isfinite(x) else None

    table = reliability_table(yt, pa, n_bins)
    return {
        "n": int(yt.size),
        "n_positive": int(yt.sum()),
        "positive_rate": float(yt.mean()),
        "accuracy": correct / int(yt.size),
        "accuracy_ci": [lo, hi],
        "confidence": confidence,
        "log_loss": log_loss(yt, pa, logits=logits),
        "brier": brier_score(yt, pa),
        "ece": calibration_error(table),
        "confusion": counts.to_dict(),
        "sensitivity": finite(_rate(counts.true_positive, counts.positives)),
        "specificity": finite(_rate(counts.true_negative, counts.negatives)),
        "baseline_accuracy": baseline_accuracy(yt),
        "baseline_label": int(yt.mean() > 0.5),
        "mean_p_cat": float(pa.mean()),
        "reliability": [row.to_dict() for row in table],
    }


__all__ = [
    "EPS",
    "ConfusionCounts",
    "accuracy",
    "baseline_accuracy",
    "brier_score",
    "classification_report",
    "confusion_counts",
    "confusion_matrix",
    "says_positive",
    "expected_calibration_error",
    "log_loss",
    "sensitivity",
    "specificity",
    "wilson_interval",
]
