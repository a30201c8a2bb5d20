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

from probkit.errors import DataError, InputError

#: bound on the resampling work (resamples x images)
MAX_WORK = 50_000_000


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
    if isinstance(confidence, bool) or not isinstance(confidence, float) \
            or not 0.5 <= confidence < 1:
        raise InputError(f"confidence must be a float in [0.5, 1); got {confidence!r}",
                         parameter="confidence")
    diff = a - b
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, diff.size, size=(n_bootstrap, diff.size))].mean(axis=1)
    tail = (1 - confidence) / 2
    lo, hi = (float(v) for v in np.quantile(means, [tail, 1 - tail]))
    return PairedDifference(mean_difference=float(diff.mean()), interval=(lo, hi),
                            confidence=confidence,
                            share_not_below_zero=float(np.mean(means >= 0)),
                            n=int(diff.size), n_bootstrap=n_bootstrap)


__all__ = ["PairedDifference", "paired_bootstrap", "per_image_log_loss"]
