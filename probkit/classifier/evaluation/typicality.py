r"""How typical an input is of the training images, in the model's feature space.

The score of a feature vector :math:`x` is its squared Mahalanobis distance from
the training mean under a **Ledoit-Wolf shrinkage covariance** (Ledoit & Wolf,
2004, *J. Multivariate Analysis* 88:365-411):

.. math::

    d^2(x) = (x - \mu)^\top \hat\Sigma^{-1} (x - \mu), \qquad
    \hat\Sigma = \delta\, \nu I + (1 - \delta) S, \quad \nu = \operatorname{tr}(S)/p,

with :math:`S` the sample covariance (divisor :math:`n`) and the shrinkage
:math:`\delta = \min(\bar b^2, d^2)/d^2`, where
:math:`d^2 = \lVert S - \nu I\rVert_F^2` and
:math:`\bar b^2 = n^{-2}\sum_k \lVert x_k x_k^\top - S\rVert_F^2` (centred
:math:`x_k`). Shrinkage makes :math:`\hat\Sigma` invertible even with more
features than images (12288 pixels, 209 images).

The **typicality** of an input is the fraction of training images whose own
score, computed *leave-one-out* (mean and covariance re-estimated without that
image), is larger than the input's:

.. math:: t(x) = \frac{1}{n}\#\{i : d^2_{-i}(x_i) > d^2(x)\}.

Leave-one-out makes the training images comparable to new ones (neither took
part in the estimate), so for an input drawn like the training images
:math:`t(x)` is about uniform on [0, 1] and :math:`P(t(x) < \alpha) \approx \alpha`
(a conformal p-value). Beyond the largest tenth of the training scores the rank is
replaced by an exponential tail fitted to them (:func:`tail_typicality`), so that an
input far outside every training image gets a tiny typicality rather than the floor 0
shared by everything beyond the largest training score. An input is **in distribution** when
:math:`t(x) \ge \alpha`; the default :math:`\alpha = 0.01` flags about one typical
input in a hundred.

All is computed from inner products (the :math:`n \times n` Gram matrix), so the
cost depends on the number of training images more than on the number of
features.

>>> rng = np.random.default_rng(0)
>>> train = rng.normal(size=(100, 3))
>>> score = TypicalityScore().fit(train)
>>> score.typicality(np.array([[0.0, 0.0, 0.0], [8.0, 8.0, 8.0]])).round(2).tolist()
[1.0, 0.0]
>>> score.in_distribution(np.array([[0.0, 0.0, 0.0], [8.0, 8.0, 8.0]])).tolist()
[True, False]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit._stored_arrays import array_kind
from probkit.errors import DataError, InputError

Array = NDArray[np.float64]

#: what the typicality is computed from, as reports name it
SCORE_NAME = ("leave-one-out rank of the Ledoit-Wolf shrinkage-covariance Mahalanobis distance "
              "(exponential tail fitted to the largest tenth) in the model's feature space")
#: what a classifier's combined typicality is, as reports name it
COMBINED_SCORE_NAME = ("smallest, over the model's feature space and four image statistics "
                       "(contrast, roughness, saturation mean and spread), of the "
                       + SCORE_NAME.replace(" in the model's feature space", "")
                       + "; flagged below alpha / number of views (Bonferroni)")
#: default threshold on the typicality below which an input is flagged
DEFAULT_ALPHA = 0.01
#: share of the largest training scores whose excesses model the tail (at least TAIL_MIN)
TAIL_SHARE = 0.1
TAIL_MIN = 5
#: relative size below which an eigenvalue of the sample covariance counts as zero
_RANK_TOL = 1e-12


def _check_matrix(X: Any, what: str = "features") -> Array:
    array = np.asarray(X, dtype=np.float64)
    if array.ndim != 2:
        raise DataError(f"{what} must be a 2-D array (n, n_features); got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise DataError(f"{what} hold NaN or infinite values")
    return array


def ledoit_wolf_from_gram(centred_gram: Array, n_features: int) -> tuple[float, float]:
    r"""(ν, δ) of the Ledoit-Wolf estimate from the centred Gram matrix
    :math:`C = X_c X_c^\top` of :math:`n` images and the feature count :math:`p`.

    Uses :math:`\operatorname{tr} S = \operatorname{tr} C / n`,
    :math:`\lVert S\rVert_F^2 = \lVert C\rVert_F^2/n^2`,
    :math:`x_k^\top S x_k = \sum_l C_{kl}^2 / n` and
    :math:`\lVert x_k x_k^\top - S\rVert_F^2 = C_{kk}^2 - 2 x_k^\top S x_k + \lVert S\rVert_F^2`.

    >>> X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0], [0.0, -2.0]])
    >>> nu, delta = ledoit_wolf_from_gram(X @ X.T, 2)
    >>> nu, round(delta, 4)
    (1.25, 0.9444)
    """
    n = centred_gram.shape[0]
    trace_s = float(np.trace(centred_gram)) / n
    nu = trace_s / n_features
    s_frob2 = float(np.sum(centred_gram**2)) / n**2
    dist2 = s_frob2 - trace_s**2 / n_features  # ||S - nu I||_F^2
    quad = np.sum(centred_gram**2, axis=1) / n  # x_k' S x_k
    b_bar2 = float(np.sum(np.diag(centred_gram) ** 2 - 2 * quad + s_frob2)) / n**2
    if dist2 <= 0:
        return nu, 1.0  # S is already a multiple of I
    return nu, min(max(b_bar2, 0.0), dist2) / dist2


class _Fit:
    """One shrinkage estimate from a Gram matrix ``G = X X^T`` of n images with p features."""

    def __init__(self, gram: Array, n_features: int) -> None:
        n = gram.shape[0]
        self.n = n
        self.rowmean = gram.mean(axis=0)
        self.allmean = float(self.rowmean.mean())
        centred = gram - self.rowmean[:, None] - self.rowmean[None, :] + self.allmean
        self.centred = centred
        nu, self.delta = ledoit_wolf_from_gram(centred, n_features)
        if not nu > 0:
            raise DataError("the training features do not vary (all images have the same "
                            "features)")
        self.a = max(self.delta * nu, 1e-12 * nu)  # variance of every direction after shrinkage
        self.b = 1.0 - self.delta
        lam, u = np.linalg.eigh(centred / n)  # non-zero eigenvalues of S, eigenvectors of C
        keep = lam > _RANK_TOL * max(float(lam[-1]), 0.0)
        self.lam, self.u = lam[keep], u[:, keep]


def leave_one_out_scores(X: Any) -> Array:
    r""":math:`d^2_{-i}(x_i)` for every row: each scored by the estimate from the others.

    Exact, with one eigendecomposition: with :math:`m = n - 1`,
    :math:`d_i = x_i - \mu` and the full-data :math:`S`, leaving image :math:`i` out gives
    :math:`x_i - \mu_{-i} = \tfrac{n}{m} d_i` and
    :math:`S_{-i} = \tfrac{n}{m} S - \tfrac{n}{m^2} d_i d_i^\top`, so
    :math:`\hat\Sigma_{-i} = A_i - \beta_i d_i d_i^\top` with
    :math:`A_i = a_i I + b_i\tfrac{n}{m} S` (inverted in the eigenbasis of :math:`S`) and
    :math:`\beta_i = b_i n/m^2`; Sherman-Morrison then gives
    :math:`d^2_{-i}(x_i) = (n/m)^2\, t_i/(1 - \beta_i t_i)`, :math:`t_i = d_i^\top A_i^{-1} d_i`.
    Each :math:`(a_i, b_i)` is the Ledoit-Wolf estimate of the other :math:`m` images,
    from their centred Gram matrix :math:`C_{kl} + (C_{ki} + C_{li})/m + C_{ii}/m^2`.

    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(30, 4))
    >>> loo = leave_one_out_scores(X)
    >>> bool(np.isclose(loo[0], TypicalityScore().fit(X[1:]).score(X[:1])[0]))
    True
    """
    x = _check_matrix(X)
    n, p = x.shape
    if n < 3:
        raise DataError(f"typicality needs at least 3 training images; got {n}")
    full = _Fit(x @ x.T, p)
    centred = full.centred
    m = n - 1
    coords2 = n * full.lam[None, :] * full.u**2  # (v_j' d_i)^2 for every image i, direction j
    scores = np.empty(n)
    for i in range(n):
        rest = np.r_[0:i, i + 1:n]
        col = centred[rest, i]
        others = centred[np.ix_(rest, rest)] + (col[:, None] + col[None, :]) / m \
            + centred[i, i] / m**2
        nu, delta = ledoit_wolf_from_gram(others, p)
        if not nu > 0:
            raise DataError("the training features do not vary once one image is left out")
        a = max(delta * nu, 1e-12 * nu)
        b = 1.0 - delta
        c = b * n / m
        t = (centred[i, i] - np.sum(c * full.lam / (a + c * full.lam) * coords2[i])) / a
        beta = b * n / m**2
        scores[i] = (n / m) ** 2 * t / (1.0 - beta * t)
    return scores


def tail_typicality(training_scores: Any, d2: Any, *, scale: str = "mean") -> Array:
    r"""The typicality of scores ``d2`` against sorted leave-one-out ``training_scores``.

    Up to the :math:`k`-th largest training score :math:`u` (:math:`k =
    \max(5, \lceil n/10\rceil)`) it is the empirical share of training scores above
    :math:`d^2`. Beyond :math:`u` the tail is modelled: the excesses of the top :math:`k`
    training scores over :math:`u` are taken as exponential (peaks over threshold: a
    generalized Pareto tail of shape 0, which squared distances of light-tailed data
    have), with mean :math:`\beta` (their mean excess), so

    .. math:: t(d^2) = \frac{k}{n}\, e^{-(d^2 - u)/\beta}.

    An input just beyond the training images gets about :math:`1/n`; one far outside
    all of them a tiny typicality, instead of a floor of 0 = "beyond all :math:`n`" that
    a threshold cannot grade (with 209 images a rank cannot go below 1/210).

    >>> train = np.arange(1.0, 101.0)  # top tenth: 91..100, excess mean 4.5 over u = 91
    >>> tail_typicality(train, np.array([50.0, 91.0, 100.0, 150.0])).round(6).tolist()
    [0.5, 0.1, 0.013534, 0.0]
    >>> with_outlier = np.r_[np.arange(1.0, 100.0), 1000.0]  # one outlier: mean excess 4.5 -> 94.5
    >>> tail_typicality(with_outlier, np.array([110.0])).round(4).tolist()
    [0.0818]
    >>> tail_typicality(with_outlier, np.array([110.0]), scale="median").round(4).tolist()
    [0.0072]
    """
    if scale not in ("mean", "median"):
        raise InputError(f"tail_typicality: scale must be 'mean' or 'median'; got {scale!r}")
    scores = np.sort(np.asarray(training_scores, dtype=np.float64))
    values = np.asarray(d2, dtype=np.float64)
    n = scores.size
    larger = n - np.searchsorted(scores, values, side="right")
    t = larger / n
    k = min(n, max(TAIL_MIN, math.ceil(n * TAIL_SHARE)))
    u = float(scores[n - k])
    excess = scores[n - k:] - u
    beta = float(np.mean(excess))
    if scale == "median":
        beta = float(np.median(excess[1:])) / math.log(2) if k > 1 else 0.0
    if beta > 0:
        beyond = values >= u
        t = np.where(beyond, (k / n) * np.exp(-np.maximum(values - u, 0.0) / beta), t)
    return np.asarray(t, dtype=np.float64)


def combine_views(typicalities: list[Array], alpha: float) -> tuple[Array, NDArray[np.bool_]]:
    r"""(typicality, in_distribution) of inputs scored in several views of the same image.

    The combined typicality is the smallest of the per-view typicalities, and an
    input is in distribution when it is at least :math:`\alpha/k` for :math:`k`
    views (Bonferroni). For an input exchangeable with the :math:`n` training images
    each view's typicality is a conformal p-value,
    :math:`P(t_j < c) = \lceil cn\rceil/(n+1) \approx c` (no ties), so by the union
    bound, whatever the dependence between the views,
    :math:`P(\min_j t_j < \alpha/k) \le k\lceil \alpha n/k\rceil/(n+1) \approx \alpha`:
    the share of typical inputs flagged stays about :math:`\alpha` however many views
    (with :math:`n = 209`, :math:`\alpha = 0.01`, :math:`k = 2`: at most 4/210 = 1.9%).

    >>> t, ok = combine_views([np.array([0.5, 0.2]), np.array([0.3, 0.004])], 0.01)
    >>> t.tolist(), ok.tolist()
    ([0.3, 0.004], [True, False])
    """
    if not typicalities:
        raise InputError("combine_views needs at least one view")
    t = np.min(np.stack([np.asarray(v, dtype=np.float64) for v in typicalities]), axis=0)
    return t, np.asarray(t >= alpha / len(typicalities))


def checked_alpha(alpha: object, owner: str) -> float:
    """``alpha`` as a float in [0, 1), or an :class:`InputError` naming ``owner``'s alpha."""
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 <= alpha < 1 \
            or not math.isfinite(alpha):
        raise InputError(f"{owner}: alpha must be a number in [0, 1); got {alpha!r}",
                         parameter="alpha")
    return float(alpha)


class TypicalityScore:
    """Shrinkage-covariance Mahalanobis score with leave-one-out training scores.

    Parameters
    ----------
    alpha : float, default 0.01
        Inputs whose typicality is below ``alpha`` are flagged as unlike the
        training images.

    Attributes
    ----------
    mean_ : ndarray (p,)
        Training mean.
    basis_ : ndarray (p, r)
        :math:`v_j \\sqrt{b\\lambda_j/(a + b\\lambda_j)}` for the r non-zero
        eigenvalues of the sample covariance.
    noise_variance_ : float
        :math:`a = \\delta\\nu`, the variance the shrinkage gives every direction.
    shrinkage_ : float
        :math:`\\delta`.
    training_scores_ : ndarray (n,)
        Leave-one-out scores of the training images, sorted.
    """

    def __init__(self, *, alpha: float = DEFAULT_ALPHA) -> None:
        self.alpha = alpha

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters, as given."""
        return {"alpha": self.alpha}

    def __repr__(self) -> str:
        return f"TypicalityScore(alpha={self.alpha!r})"

    def _check_alpha(self) -> float:
        return checked_alpha(self.alpha, type(self).__name__)

    def fit(self, X: Any, y: Any = None) -> TypicalityScore:
        """Estimate the score from training features (n, p) and score each image leave-one-out."""
        self._check_alpha()
        x = _check_matrix(X, "training features")
        n, p = x.shape
        if n < 3:
            raise DataError(f"typicality needs at least 3 training images; got {n}")
        self.training_scores_ = np.sort(leave_one_out_scores(x))
        fit = _Fit(x @ x.T, p)
        self.mean_ = x.mean(axis=0)
        v = (x - self.mean_).T @ fit.u / np.sqrt(n * fit.lam)  # unit eigenvectors of S
        self.shrinkage_ = fit.delta
        self.noise_variance_ = fit.a
        self.basis_ = v * np.sqrt(fit.b * fit.lam / (fit.a + fit.b * fit.lam))
        self.n_features_in_ = p
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "training_scores_"):
            raise InputError("this TypicalityScore is not fitted yet; call fit first")

    def score(self, X: Any) -> Array:
        """Squared shrinkage-Mahalanobis distance :math:`d^2(x)` of each row."""
        self._check_fitted()
        x = _check_matrix(X)
        if x.shape[1] != self.n_features_in_:
            raise DataError(f"features have {x.shape[1]} columns; the score was fitted on "
                            f"{self.n_features_in_}")
        r = x - self.mean_
        return np.asarray((np.sum(r**2, axis=1) - np.sum((r @ self.basis_) ** 2, axis=1))
                          / self.noise_variance_, dtype=np.float64)

    def typicality(self, X: Any) -> Array:
        """Fraction of training images (scored leave-one-out) with a larger score, with the
        tail beyond the largest tenth modelled (:func:`tail_typicality`)."""
        return tail_typicality(self.training_scores_, self.score(X))

    def in_distribution(self, X: Any) -> NDArray[np.bool_]:
        """True where the typicality is at least ``alpha``."""
        return np.asarray(self.typicality(X) >= self._check_alpha())

    def to_arrays(self) -> dict[str, Array]:
        """Learned state as plain float arrays (for model files)."""
        self._check_fitted()
        return {"mean": self.mean_, "basis": self.basis_,
                "noise_variance": np.array(self.noise_variance_),
                "shrinkage": np.array(self.shrinkage_),
                "training_scores": self.training_scores_,
                "alpha": np.array(float(self._check_alpha()))}

    @classmethod
    def from_arrays(cls, arrays: dict[str, Any]) -> TypicalityScore:
        """Rebuild from :meth:`to_arrays` (checks shapes and values)."""
        need = ("mean", "basis", "noise_variance", "shrinkage", "training_scores", "alpha")
        missing = [k for k in need if k not in arrays]
        if missing:
            raise InputError(f"typicality state lacks {', '.join(missing)}")
        got = {k: np.asarray(arrays[k]) for k in need}
        if any(v.dtype.kind != "f" or not np.all(np.isfinite(v)) for v in got.values()):
            raise InputError("typicality state must hold finite floats")
        for name in ("alpha", "noise_variance", "shrinkage"):
            if got[name].ndim != 0:
                raise InputError(f"typicality {name} must be one number; got shape "
                                 f"{got[name].shape}")
        p = got["mean"].shape[0] if got["mean"].ndim == 1 else -1
        if p < 1 or got["basis"].ndim != 2 or got["basis"].shape[0] != p \
                or got["training_scores"].ndim != 1 or got["training_scores"].size < 3 \
                or float(got["noise_variance"]) <= 0:
            raise InputError("typicality state has inconsistent shapes or values")
        score = cls(alpha=float(got["alpha"]))
        score._check_alpha()
        score.mean_ = got["mean"].astype(np.float64)
        score.basis_ = got["basis"].astype(np.float64)
        score.noise_variance_ = float(got["noise_variance"])
        score.shrinkage_ = float(got["shrinkage"])
        score.training_scores_ = np.sort(got["training_scores"].astype(np.float64))
        score.n_features_in_ = p
        return score


# ---------------------------------------------------------------- in a model file

def typicality_arrays(features: TypicalityScore | None,
                      image: TypicalityScore | None) -> dict[str, Array]:
    """The two views of a classifier's score as a model file stores them:
    ``typicality_<name>`` (the feature view's :meth:`TypicalityScore.to_arrays`) and
    ``image_typicality_<name>`` (the image-statistics view); nothing for an absent view.
    The basis (features x training images: 20 of the default model file's 21 MB as float64)
    is stored as float32 (:data:`SINGLE_PRECISION`); the scores move by about 1e-7
    relatively, and files with a float64 basis load as before."""
    arrays: dict[str, Array] = {}
    for prefix, score in (("typicality_", features), ("image_typicality_", image)):
        if score is not None:
            for name, value in score.to_arrays().items():
                arrays[f"{prefix}{name}"] = np.asarray(
                    value, dtype=np.float32 if name in SINGLE_PRECISION else np.float64)
    return arrays


SINGLE_PRECISION = frozenset({"basis"})
"""The stored typicality arrays written as float32 (see :func:`typicality_arrays`)."""


def typicality_from_arrays(arrays: dict[str, Any], n_features: int
                           ) -> tuple[TypicalityScore | None, TypicalityScore | None]:
    """The two stored views (None where absent), checked against ``n_features`` (the feature
    view) and the image statistics (the image view). Files written before the image view
    existed have the feature view alone; files written before either, neither."""
    from probkit.classifier.features.statistics import STATISTIC_NAMES

    for key in (k for k in arrays if k.startswith(("typicality_", "image_typicality_"))):
        value = np.asarray(arrays[key])
        if value.dtype.kind != "f" or not np.all(np.isfinite(value)):
            raise InputError(f"{key} must hold finite floats; got {array_kind(value)}")
    views: list[TypicalityScore | None] = []
    for prefix, expected, what in (("typicality_", n_features, "the preprocessing gives"),
                                   ("image_typicality_", len(STATISTIC_NAMES),
                                    "there are image statistics")):
        stored = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
        if not stored:
            views.append(None)
            continue
        try:
            score = TypicalityScore.from_arrays(stored)
        except InputError as exc:
            raise InputError(f"{prefix}*: {exc}") from None
        if score.n_features_in_ != expected:
            raise InputError(f"the {prefix}* score takes {score.n_features_in_} features but "
                             f"{expected} {what}")
        views.append(score)
    features, image = views
    if image is not None and features is None:
        raise InputError("image_typicality_* arrays without typicality_* arrays")
    if image is not None and features is not None and image.alpha != features.alpha:
        raise InputError(f"typicality_alpha {features.alpha} and image_typicality_alpha "
                         f"{image.alpha} differ")
    return features, image


__all__ = ["COMBINED_SCORE_NAME", "DEFAULT_ALPHA", "SCORE_NAME", "TAIL_MIN", "TAIL_SHARE",
           "TypicalityScore", "tail_typicality",
           "typicality_arrays", "typicality_from_arrays",
           "combine_views", "leave_one_out_scores", "ledoit_wolf_from_gram"]
