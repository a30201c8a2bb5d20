r"""A model-independent view of an image for the out-of-distribution score: four numbers.

The typicality score in a model's own feature space cannot see what the features
cannot: a colour histogram of a grey page, of greyscale noise or of black text on
white looks like that of a drab photo. These statistics describe the *image*, whatever
the model: they are the first four of the nine photo statistics the photograph-or-not view
scores (:mod:`probkit.classifier.features.photo_statistics`), and model files written before
that view score them alone with
:class:`~probkit.classifier.evaluation.typicality.TypicalityScore`
(docs/probabilities.md, section 8). With the grey level
:math:`g = 0.299R + 0.587G + 0.114B` in [0, 1], :math:`\epsilon = 1/255` (one grey step)
and the HSV saturation :math:`s = (\max - \min)/\max` of each pixel (0 for black):

``log_contrast``
    :math:`\log(\operatorname{sd}(g) + \epsilon)`. Photos have contrast; a uniform page
    has none (it sits at :math:`\log\epsilon`, far below any photo).
``log_roughness``
    :math:`\log\frac{\overline{\Delta g^2} + \epsilon^2}{2\operatorname{var}(g) + \epsilon^2}`,
    :math:`\overline{\Delta g^2}` the mean squared difference of horizontally and
    vertically adjacent pixels. It is about :math:`1 - \rho`, :math:`\rho` the correlation
    of neighbouring pixels: photos are smooth at 64×64 (:math:`\rho` near 1, roughness
    about :math:`e^{-3}`), independent noise has :math:`\rho = 0` (roughness 1), and
    thin text strokes change from pixel to pixel.
``saturation_mean``, ``saturation_sd``
    Mean and spread of :math:`s`: how colourful the image is and how unevenly. Grey
    pages, greyscale noise and black-on-white text have no colour at all; saturated
    pages have one colour everywhere (spread 0).

Logarithms make contrast and roughness, which span orders of magnitude, roughly
symmetric, so that a few smooth or grainy training photos do not set the scale. The
four were chosen among eight candidates (also grey-level mean, mean gradient magnitude,
share of flat pixels, share of near-black/white pixels) as a small set, one number per
property, whose leave-one-out training scores separate the synthetic atypical images of
``tests/ood_images.py`` from the training photos; adding the others lengthened the tail
of the training scores more than it separated (each added dimension adds spread to the
Mahalanobis distance of typical images).

>>> page = np.full((1, 8, 8, 3), 128, dtype=np.uint8)
>>> image_statistics(page).round(2).tolist()
[[-5.54, 0.0, 0.0, 0.0]]
>>> rng = np.random.default_rng(0)
>>> noise = rng.integers(0, 256, (1, 64, 64, 3), dtype=np.uint8)
>>> bool(abs(image_statistics(noise)[0, 1]) < 0.1)  # roughness 1: neighbours uncorrelated
True
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint
from probkit.classifier.features._base import FeatureTransformer, image_shape_constraint
from probkit.errors import DataError

#: names of the columns of :func:`image_statistics`
STATISTIC_NAMES = ("log_contrast", "log_roughness", "saturation_mean", "saturation_sd")
#: mean HSV saturation below which an image counts as greyscale (or nearly): its colour
#: features say nothing, so a classifier flags it (:meth:`Classifier.typicality`)
GREY_SATURATION = 0.02
#: one grey step, the floor under contrast and roughness
_STEP = 1.0 / 255.0
#: luma weights of ITU-R BT.601
_LUMA = np.array([0.299, 0.587, 0.114])
#: images at a time, to bound the float64 working memory
_CHUNK = 256


def _statistics(x: NDArray[np.float64]) -> NDArray[np.float64]:
    n = x.shape[0]
    grey = x @ _LUMA
    var = grey.reshape(n, -1).var(axis=1)
    dx2 = np.diff(grey, axis=2) ** 2
    dy2 = np.diff(grey, axis=1) ** 2
    mean_dx2 = dx2.reshape(n, -1).mean(axis=1) if dx2.size else np.zeros(n)
    mean_dy2 = dy2.reshape(n, -1).mean(axis=1) if dy2.size else np.zeros(n)
    neighbour2 = (mean_dx2 + mean_dy2) / 2
    top, bottom = x.max(axis=-1), x.min(axis=-1)
    saturation = np.where(top > 0, (top - bottom) / np.where(top > 0, top, 1.0), 0.0)
    flat = saturation.reshape(n, -1)
    return np.column_stack([
        np.log(np.sqrt(var) + _STEP),
        np.log((neighbour2 + _STEP**2) / (2 * var + _STEP**2)),
        flat.mean(axis=1),
        flat.std(axis=1),
    ])


def image_statistics(images: Any) -> NDArray[np.float64]:
    """The statistics of :data:`STATISTIC_NAMES`, one row per image (n, h, w, 3) uint8."""
    return _chunked(checked_images(images))


def checked_images(images: Any) -> NDArray[np.uint8]:
    """``images`` as a uint8 array (n, height, width, 3), or a :class:`DataError` saying why not."""
    array = np.asarray(images)
    if array.ndim != 4 or array.shape[-1] != 3 or min(array.shape) < 1:
        raise DataError(f"images must have shape (n, height, width, 3); got {array.shape}")
    if array.dtype != np.uint8:
        raise DataError(f"images must be uint8 (0-255); got dtype {array.dtype}")
    return array


def _chunked(array: NDArray[Any]) -> NDArray[np.float64]:
    rows = [_statistics(array[i:i + _CHUNK].astype(np.float64) / 255.0)
            for i in range(0, array.shape[0], _CHUNK)]
    return np.concatenate(rows).astype(np.float64)


class ImageStatistics(FeatureTransformer):
    """The four statistics of :func:`image_statistics` as features (the same definition the
    photograph-or-not view starts from).

    Parameters
    ----------
    image_shape : (height, width, 3) or None, default None
        As for every transformer: given, the input may be flattened images.

    Examples
    --------
    >>> page = np.full((1, 8, 8, 3), 128, dtype=np.uint8)
    >>> ImageStatistics().fit_transform(page).round(2).tolist()
    [[-5.54, 0.0, 0.0, 0.0]]
    """

    name: ClassVar[str] = "image-statistics"
    per_image: ClassVar[bool] = True
    _constraints: ClassVar[dict[str, Constraint]] = {"image_shape": image_shape_constraint}

    def __init__(self, *, image_shape: tuple[int, int, int] | None = None) -> None:
        self.image_shape = image_shape

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        return len(STATISTIC_NAMES)

    def _transform(self, images: NDArray[Any]) -> NDArray[np.float64]:
        return _chunked(images)

    @property
    def label(self) -> str:
        """``image stats``."""
        return "image stats"


def is_greyscale(statistics: Any) -> NDArray[np.bool_]:
    """True for rows of :func:`image_statistics` whose mean saturation is below
    :data:`GREY_SATURATION` (greyscale or near-greyscale images).

    >>> grey = np.repeat(np.arange(64, dtype=np.uint8).reshape(1, 8, 8, 1), 3, axis=-1)
    >>> is_greyscale(image_statistics(grey)).tolist()
    [True]
    """
    return np.asarray(np.asarray(statistics)[:, 2] < GREY_SATURATION)


__all__ = ["GREY_SATURATION", "STATISTIC_NAMES", "ImageStatistics", "image_statistics",
           "is_greyscale"]
