r"""Is an input a photograph like the training ones? A robust distance in the nine
photo statistics (:mod:`probkit.classifier.features.photo_statistics`), calibrated on held-out
training images.

**Distance.** The centre :math:`\mu` and scatter :math:`S` are the mean and covariance of
the :math:`h = \lceil 3n/4\rceil` training images closest to them, found by
*concentration steps* (Rousseeuw & Van Driessen, 1999, *Technometrics* 41:212-223, the
C-step of the fast MCD): start from the coordinate-wise median and the median absolute
deviations, keep the :math:`h` closest images, re-estimate, repeat until the kept set no
longer changes. The score is :math:`d^2(x) = (x - \mu)^\top S^{-1}(x - \mu)`. The quarter of
training images farthest out (a clipped, nearly flat picture; the greyscale cats) then do
not stretch the scatter, so a screenshot or a page is far in every direction the
photographs agree on.

**Calibration on held-out images.** Each training image is scored by the estimate from the
*other* images (leave-one-out: a K-fold split with K = n, refitted each time). These
held-out scores are what a new photograph like the training ones would get. The typicality
of an input is the share of held-out training scores above its own; beyond the :math:`k`-th
largest (:math:`k = \max(5, \lceil n/10\rceil)`) the tail is **modelled** as exponential
(:func:`~probkit.classifier.evaluation.typicality.tail_typicality`), with the scale
:math:`\beta` estimated *robustly*, as the median excess over ln 2 (for an exponential the
median is :math:`\beta\ln 2`), so that the one or two gross outliers among the training
images do not flatten the tail. An input is flagged when its typicality is below the
threshold; for inputs like the training images the share flagged is about the threshold
(measured, not assumed: docs/probabilities.md, "Photograph or not").

>>> rng = np.random.default_rng(0)
>>> train = rng.normal(size=(120, 3))
>>> score = PhotoTypicality().fit(train)
>>> score.typicality(np.array([[0.0, 0.0, 0.0], [9.0, 9.0, 9.0]])).round(3).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit.classifier.evaluation.typicality import (
    DEFAULT_ALPHA,
    checked_alpha,
    tail_typicality,
)
from probkit.errors import DataError, InputError

Array = NDArray[np.float64]

#: share of the training images the centre and scatter are estimated from
SUPPORT_SHARE = 0.75
#: most concentration steps (they stop as soon as the kept set repeats; 3-10 on the cat data)
MAX_STEPS = 50
#: eigenvalues of the scatter below this share of the largest are raised to it
_EIGEN_FLOOR = 1e-9
#: what the score is, as reports name it
PHOTO_SCORE_NAME = ("leave-one-out rank of the robust (concentration-step, 3/4 support) "
                    "Mahalanobis distance in nine photo statistics (exponential tail, median-"
                    "excess scale, beyond the largest tenth)")


def min_training_images(n_statistics: int) -> int:
    """The fewest training images the score is fitted from: 2p + 4 for p statistics (22 for
    the nine photo statistics), so that each held-out fit keeps at least p + 1 rows besides
    the quarter it leaves out. A classifier trained on fewer has no photo view."""
    return 2 * n_statistics + 4


def _check(X: Any, what: str) -> Array:
    array = np.asarray(X, dtype=np.float64)
    if array.ndim != 2:
        raise DataError(f"{what} must be a 2-D array (n, n_features); got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise DataError(f"{what} hold NaN or infinite values")
    return array


def _precision(kept: Array) -> tuple[Array, Array]:
    mean = kept.mean(axis=0)
    scatter = np.atleast_2d(np.cov(kept.T, bias=True))
    lam, vec = np.linalg.eigh(scatter)
    top = float(lam[-1])
    if not top > 0:
        raise DataError("the photo statistics of the training images do not vary")
    lam = np.maximum(lam, _EIGEN_FLOOR * top)
    precision = (vec / lam) @ vec.T
    return mean, (precision + precision.T) / 2


def _distances(x: Array, mean: Array, precision: Array) -> Array:
    r = x - mean
    return np.asarray(np.einsum("ij,jk,ik->i", r, precision, r), dtype=np.float64)


def robust_centre(x: Array, support: float = SUPPORT_SHARE) -> tuple[Array, Array]:
    r"""(mean, precision) of the :math:`\lceil\text{support}\cdot n\rceil` rows found by
    concentration steps from the coordinate-wise median.

    >>> x = np.r_[np.random.default_rng(0).normal(size=(40, 2)), [[50.0, -50.0]]]
    >>> mean, _ = robust_centre(x)
    >>> bool(np.all(np.abs(mean) < 0.5))  # the far row is not in the kept set
    True
    """
    n = x.shape[0]
    h = min(n, max(x.shape[1] + 1, math.ceil(support * n)))
    median = np.median(x, axis=0)
    mad = np.median(np.abs(x - median), axis=0)
    mad = np.where(mad > 0, mad, np.maximum(x.std(axis=0), 1e-12))
    kept = np.sort(np.argsort(np.sum(((x - median) / mad) ** 2, axis=1), kind="stable")[:h])
    for _ in range(MAX_STEPS):
        mean, precision = _precision(x[kept])
        new = np.sort(np.argsort(_distances(x, mean, precision), kind="stable")[:h])
        if np.array_equal(new, kept):
            break
        kept = new
    return _precision(x[kept])


class PhotoTypicality:
    """Robust Mahalanobis distance with held-out (leave-one-out) calibration and a modelled tail.

    Parameters
    ----------
    alpha : float, default 0.01
        Inputs whose typicality is below ``alpha`` are unlike the training images.

    Attributes
    ----------
    mean_, precision_ : ndarray
        Centre and inverse scatter of the kept training rows.
    training_scores_ : ndarray (n,)
        Held-out scores of the training rows (each from the fit without it), sorted.
    """

    def __init__(self, *, alpha: float = DEFAULT_ALPHA) -> None:
        self.alpha = alpha

    def __repr__(self) -> str:
        return f"PhotoTypicality(alpha={self.alpha!r})"

    def _check_alpha(self) -> float:
        return checked_alpha(self.alpha, type(self).__name__)

    def fit(self, X: Any, y: Any = None) -> PhotoTypicality:
        """Estimate the centre and scatter from training rows (n, p) and score each row held out."""
        self._check_alpha()
        x = _check(X, "training statistics")
        n, p = x.shape
        if n < min_training_images(p):
            raise DataError(f"the photo score needs at least {min_training_images(p)} "
                            f"training images for "
                            f"{p} statistics; got {n}")
        held_out = np.empty(n)
        for i in range(n):
            mean, precision = robust_centre(np.delete(x, i, axis=0))
            held_out[i] = _distances(x[i:i + 1], mean, precision)[0]
        self.training_scores_ = np.sort(held_out)
        self.mean_, self.precision_ = robust_centre(x)
        self.n_features_in_ = p
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "training_scores_"):
            raise InputError("this PhotoTypicality is not fitted yet; call fit first")

    def score(self, X: Any) -> Array:
        """Squared robust Mahalanobis distance of each row."""
        self._check_fitted()
        x = _check(X, "statistics")
        if x.shape[1] != self.n_features_in_:
            raise DataError(f"statistics have {x.shape[1]} columns; the score was fitted on "
                            f"{self.n_features_in_}")
        return _distances(x, self.mean_, self.precision_)

    def typicality(self, X: Any) -> Array:
        """Share of held-out training scores above each row's, with the tail modelled."""
        return tail_typicality(self.training_scores_, self.score(X), scale="median")

    def in_distribution(self, X: Any) -> NDArray[np.bool_]:
        """True where the typicality is at least ``alpha``."""
        return np.asarray(self.typicality(X) >= self._check_alpha())

    def to_arrays(self) -> dict[str, Array]:
        """Learned state as plain float arrays (for model files)."""
        self._check_fitted()
        return {"mean": self.mean_, "precision": self.precision_,
                "training_scores": self.training_scores_,
                "alpha": np.array(float(self._check_alpha()))}

    @classmethod
    def from_arrays(cls, arrays: dict[str, Any]) -> PhotoTypicality:
        """Rebuild from :meth:`to_arrays` (checks shapes and values)."""
        need = ("mean", "precision", "training_scores", "alpha")
        missing = [k for k in need if k not in arrays]
        if missing:
            raise InputError(f"photo typicality state lacks {', '.join(missing)}")
        got = {k: np.asarray(arrays[k]) for k in need}
        if any(v.dtype.kind != "f" or not np.all(np.isfinite(v)) for v in got.values()):
            raise InputError("photo typicality state must hold finite floats")
        if got["alpha"].ndim != 0:
            raise InputError(f"photo typicality alpha must be one number; got shape "
                             f"{got['alpha'].shape}")
        if np.any(got["training_scores"] < 0):
            raise InputError("photo typicality training_scores must be squared distances "
                             "(at least 0)")
        p = got["mean"].shape[0] if got["mean"].ndim == 1 else -1
        precision = got["precision"]
        if p < 1 or precision.shape != (p, p) or got["training_scores"].ndim != 1 \
                or got["training_scores"].size < 5 \
                or not np.array_equal(precision, precision.T) \
                or np.linalg.eigvalsh(precision)[0] <= 0:
            raise InputError("photo typicality state has inconsistent shapes or values "
                             "(the precision must be a symmetric positive definite p x p "
                             "matrix)")
        score = cls(alpha=float(got["alpha"]))
        score._check_alpha()
        score.mean_ = got["mean"].astype(np.float64)
        score.precision_ = precision.astype(np.float64)
        score.training_scores_ = np.sort(got["training_scores"].astype(np.float64))
        score.n_features_in_ = p
        return score


def photo_typicality_arrays(score: PhotoTypicality | None) -> dict[str, Array]:
    """``photo_typicality_<name>`` arrays of a model file (nothing without a score)."""
    if score is None:
        return {}
    return {f"photo_typicality_{k}": np.asarray(v, dtype=np.float64)
            for k, v in score.to_arrays().items()}


def photo_typicality_from_arrays(arrays: dict[str, Any]) -> PhotoTypicality | None:
    """The stored score, checked against the photo statistics (None when the file has none:
    files written before it existed)."""
    from probkit.classifier.features.photo_statistics import PHOTO_STATISTIC_NAMES

    prefix = "photo_typicality_"
    stored = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
    if not stored:
        return None
    try:
        score = PhotoTypicality.from_arrays(stored)
    except InputError as exc:
        raise InputError(f"{prefix}*: {exc}") from None
    if score.n_features_in_ != len(PHOTO_STATISTIC_NAMES):
        raise InputError(f"the {prefix}* score takes {score.n_features_in_} statistics but "
                         f"there are {len(PHOTO_STATISTIC_NAMES)} photo statistics")
    return score


__all__ = ["MAX_STEPS", "PHOTO_SCORE_NAME", "SUPPORT_SHARE", "PhotoTypicality",
           "min_training_images",
           "photo_typicality_arrays", "photo_typicality_from_arrays", "robust_centre"]
