r"""Comparing two classifiers on the same test images: a paired bootstrap.

With 50 test images, two models' log losses differ by chance as much as by
merit. The *paired* bootstrap resamples the images (with replacement) and
recomputes the mean of the per-image differences
:math:`\Delta_i = \ell_A(x_i) - \ell_B(x_i)` on each resample, so the
interval reflects that both models were scored on the same images (their
losses are correlated: hard images are hard for both).

>>> import numpy as np
>>> a = np.array([0.2, 0.4, 0.1, 0.3, 0.5, 0.2])
>>> d = paired_bootstrap(a, a + 0.1, n_bootstrap=500, seed=0)
>>> round(d.mean_difference, 3), [round(v, 3) for v in d.interval]
(-0.1, [-0.1, -0.1])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from probkit._arrays import check_seed
from probkit.classifier.evaluation.metrics import says_positive
from probkit.errors import DataError, InputError

#: bound on the resampling work (resamples x images)
MAX_WORK = 50_000_000
#: resampled indices drawn at a time (about 8 MB)
CHUNK = 1_000_000


@dataclass(frozen=True)
class PairedDifference:
    """Mean per-image difference A - B, its percentile bootstrap interval and P(Δ* >= 0)."""

    mean_difference: float
    interval: tuple[float, float]
    confidence: float
    share_not_below_zero: float
    n: int
    n_bootstrap: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"mean_difference": self.mean_difference, "interval": list(self.interval),
                "confidence": self.confidence,
                "share_of_resamples_not_below_zero": self.share_not_below_zero,
                "n": self.n, "n_bootstrap": self.n_bootstrap,
                "method": "paired percentile bootstrap over images"}


def per_image_log_loss(y: Any, logits: Any) -> np.ndarray:
    r""":math:`-[y \log\sigma(z) + (1-y)\log\sigma(-z)]` per image, from logits (stable).

    >>> per_image_log_loss([1, 0], [0.0, 0.0]).round(4).tolist()
    [0.6931, 0.6931]
    """
    from scipy.special import log_expit

    yy = np.asarray(y, dtype=np.float64)
    z = np.asarray(logits, dtype=np.float64)
    if yy.shape != z.shape or yy.ndim != 1:
        raise DataError(f"labels {yy.shape} and logits {z.shape} must be 1-D of the same length")
    return np.asarray(-(yy * log_expit(z) + (1 - yy) * log_expit(-z)), dtype=np.float64)


def paired_bootstrap(loss_a: Any, loss_b: Any, *, n_bootstrap: int = 10_000,
                     confidence: float = 0.95, seed: int = 0) -> PairedDifference:
    """Paired percentile bootstrap of mean(loss_a - loss_b) over the same images."""
    a = np.asarray(loss_a, dtype=np.float64)
    b = np.asarray(loss_b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape or a.size < 2:
        raise DataError(f"paired losses must be two 1-D arrays of the same length >= 2; got "
                        f"{a.shape} and {b.shape}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise DataError("paired losses hold NaN or infinite values")
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, int) or n_bootstrap < 100:
        raise InputError(f"n_bootstrap must be an integer >= 100; got {n_bootstrap!r}",
                         parameter="n_bootstrap")
    if n_bootstrap * a.size > MAX_WORK:
        raise InputError(f"n_bootstrap={n_bootstrap} with {a.size} images exceeds the work "
                         f"bound ({MAX_WORK}); use fewer resamples", parameter="n_bootstrap")
    check_seed(seed)
    if isinstance(confidence, bool) or not isinstance(confidence, float) \
            or not 0.5 <= confidence < 1:
        raise InputError(f"confidence must be a float in [0.5, 1); got {confidence!r}",
                         parameter="confidence")
    diff = a - b
    rng = np.random.default_rng(seed)
    rows = max(1, CHUNK // diff.size)  # resamples per chunk: memory stays near CHUNK indices
    means = np.concatenate([
        diff[rng.integers(0, diff.size, size=(min(rows, n_bootstrap - start), diff.size))]
        .mean(axis=1) for start in range(0, n_bootstrap, rows)])
    tail = (1 - confidence) / 2
    lo, hi = (float(v) for v in np.quantile(means, [tail, 1 - tail]))
    return PairedDifference(mean_difference=float(diff.mean()), interval=(lo, hi),
                            confidence=confidence,
                            share_not_below_zero=float(np.mean(means >= 0)),
                            n=int(diff.size), n_bootstrap=n_bootstrap)


@dataclass(frozen=True)
class McNemar:
    """Exact McNemar test on the images where exactly one of two classifiers is right."""

    only_a_right: int
    only_b_right: int
    p_value: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"only_a_right": self.only_a_right, "only_b_right": self.only_b_right,
                "p_value": self.p_value, "method": "exact McNemar (two-sided binomial test "
                "on the discordant images)"}


def _verdicts(value: Any, parameter: str) -> np.ndarray:
    """Right/wrong flags: booleans, or the numbers 0 and 1 only."""
    array = np.asarray(value)
    if array.dtype == bool:
        return array
    if array.dtype.kind not in "biuf" or not np.all(np.isin(array, (0, 1))):
        raise DataError(f"{parameter} must hold right/wrong flags (booleans, or 0 and 1)",
                        parameter=parameter)
    return array.astype(bool)


def mcnemar_exact(a_right: Any, b_right: Any) -> McNemar:
    """McNemar's exact test: of the images only one classifier gets right, is the split
    further from half-and-half than chance (Binomial(b + c, 1/2)) would make it?

    >>> mcnemar_exact([1, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0, 0]).p_value  # 6 vs 0: 2/64
    0.03125
    """
    from scipy.stats import binomtest

    a, b = _verdicts(a_right, "a_right"), _verdicts(b_right, "b_right")
    if a.shape != b.shape or a.ndim != 1:
        raise DataError(f"paired verdicts must be 1-D of the same length; got {a.shape} and "
                        f"{b.shape}")
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    p = 1.0 if only_a + only_b == 0 else float(
        binomtest(min(only_a, only_b), only_a + only_b, 0.5).pvalue)
    return McNemar(only_a_right=only_a, only_b_right=only_b, p_value=min(1.0, p))


#: the per-image losses compared, in display order (keys of :func:`per_image_losses`)
PAIRED_LOSSES = ("log_loss", "brier", "error_rate")


@dataclass(frozen=True)
class ModelComparison:
    """Two classifiers on the same labelled images: each one's figures, and the paired
    differences A − B of log loss, Brier score and error rate with bootstrap intervals."""

    names: tuple[str, str]
    data_source: str
    reports: tuple[dict[str, Any], dict[str, Any]]
    differences: dict[str, PairedDifference]
    mcnemar: McNemar

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``probkit compare --json``."""
        return {"models": list(self.names), "data": self.data_source,
                "reports": [dict(r) for r in self.reports],
                "differences": {k: d.to_dict() for k, d in self.differences.items()},
                "mcnemar": self.mcnemar.to_dict()}

    def difference_rows(self) -> list[list[str]]:
        """One row per loss: mean A − B, its interval, the share of resamples >= 0."""
        labels = {"log_loss": "log loss", "brier": "Brier score", "error_rate": "error rate"}
        def share(d: PairedDifference) -> str:
            if d.share_not_below_zero == 0:  # none of the resamples: say how few that is
                return f"< {1 / d.n_bootstrap:.2%}"
            return f"{d.share_not_below_zero:.1%}"

        return [[labels[key], f"{d.mean_difference:+.4f}",
                 f"{d.interval[0]:+.4f} to {d.interval[1]:+.4f}", share(d)]
                for key, d in self.differences.items()]

    def summary_lines(self) -> tuple[str, str, str]:
        """In words: which model is A and which B; how the differences were resampled;
        the McNemar test."""
        d = next(iter(self.differences.values()))
        m = self.mcnemar
        return (f"A = {self.names[0]}, B = {self.names[1]}, on {self.data_source}",
                f"paired over the same {d.n} images ({d.n_bootstrap} bootstrap resamples, "
                f"{d.confidence:.0%} intervals; negative: A is better)",
                f"exact McNemar: only A right on {m.only_a_right} images, only B right on "
                f"{m.only_b_right}; two-sided p = {m.p_value:.3g}")

    def __repr__(self) -> str:
        from probkit.display import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines, html_table, metric_rows

        names, paired, mcnemar = self.summary_lines()
        return html_block(f"{self.names[0]} vs {self.names[1]}", html_lines([names]),
                          html_table(["metric", "A", "B"], metric_rows(list(self.reports))),
                          html_lines([paired]),
                          html_table(["A − B", "mean", "interval", "resamples ≥ 0"],
                                     self.difference_rows()),
                          html_lines([mcnemar]))


def per_image_losses(y: Any, logits: Any) -> dict[str, np.ndarray]:
    """Log loss, squared error of P(label 1) (Brier) and 0/1 error, per image.

    >>> {k: v.round(3).tolist() for k, v in per_image_losses([1, 0], [2.0, 2.0]).items()}
    {'log_loss': [0.127, 2.127], 'brier': [0.014, 0.776], 'error_rate': [0.0, 1.0]}
    """
    from scipy.special import expit

    z = np.asarray(logits, dtype=np.float64)
    yy = np.asarray(y, dtype=np.float64)
    log_loss = per_image_log_loss(yy, z)  # checks the shapes
    p = expit(z)
    return {"log_loss": log_loss, "brier": (p - yy) ** 2,
            "error_rate": (says_positive(p) != (yy == 1)).astype(np.float64)}


def compare_logits(y: Any, logits_a: Any, logits_b: Any, *, names: tuple[str, str],
                   data_source: str, reports: tuple[dict[str, Any], dict[str, Any]],
                   n_bootstrap: int = 10_000, seed: int = 0) -> ModelComparison:
    """The paired comparison of two classifiers' logits on the same labelled images (the
    same bootstrap resamples for every loss)."""
    losses_a, losses_b = per_image_losses(y, logits_a), per_image_losses(y, logits_b)
    differences = {key: paired_bootstrap(losses_a[key], losses_b[key], n_bootstrap=n_bootstrap,
                                         seed=seed) for key in PAIRED_LOSSES}
    mcnemar = mcnemar_exact(losses_a["error_rate"] == 0, losses_b["error_rate"] == 0)
    return ModelComparison(names=names, data_source=data_source, reports=reports,
                           differences=differences, mcnemar=mcnemar)


__all__ = ["CHUNK", "PAIRED_LOSSES", "McNemar", "ModelComparison", "PairedDifference",
           "compare_logits", "mcnemar_exact", "paired_bootstrap",
           "per_image_log_loss", "per_image_losses"]
