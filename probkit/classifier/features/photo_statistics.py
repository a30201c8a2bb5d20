r"""Nine numbers that tell a natural colour photograph from other images: the view of an
image that the photograph-or-not score (:mod:`probkit.classifier.evaluation.photo_typicality`)
measures, whatever the model.

With the grey level :math:`g = 0.299R + 0.587G + 0.114B` in [0, 1], :math:`\epsilon = 1/255`
(one grey step), :math:`N` pixels and :math:`M` pairs of horizontally or vertically adjacent
pixels, and :math:`\operatorname{logit}_f(s) = \log\frac{s + f}{1 - s + f}` (a share on a log-odds
scale, floored at one count :math:`f`):

``log_contrast``, ``log_roughness``, ``saturation_mean``, ``saturation_sd``
    The four of :func:`~probkit.classifier.features.statistics.image_statistics`: contrast,
    roughness (about 1 − the neighbour correlation), and how colourful the image is and how
    unevenly.
``flatness``
    :math:`\operatorname{logit}_{1/M}` of the share of adjacent pixel pairs with exactly the
    same colour. Photos, even resampled to 64×64, rarely repeat a colour exactly next door
    (sensor noise and shading); rendered pages, screenshots, logos and uniform images are
    mostly flat areas.
``log_colours``
    :math:`\log` of the number of distinct colours over :math:`N`. A photo has about as
    many colours as pixels; a rendered screen a few dozen, a greyscale image at most 256.
``skewness``
    Skewness of :math:`g`, :math:`\overline{(g - \bar g)^3}/(\operatorname{sd}(g) + \epsilon)^3`:
    dark text on white paper is strongly negative, a few bright points on black (a night
    sky, a terminal) strongly positive.
``dark_share``
    :math:`\operatorname{logit}_{1/N}` of the share of pixels with :math:`g < 0.1`.
``highlight_ratio``
    :math:`\log\frac{q_{0.99}(g) + \epsilon}{q_{0.5}(g) + \epsilon}`: how much brighter the
    brightest pixels are than the typical one (sparse bright points on a dark ground).

All are computed on the image as the model gets it (64×64 for the cat data).

>>> page = np.full((1, 8, 8, 3), 128, dtype=np.uint8)
>>> photo_statistics(page).round(2).tolist()
[[-5.54, 0.0, 0.0, 0.0, 4.73, -4.16, 0.0, -4.17, 0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit.classifier.features.statistics import (
    STATISTIC_NAMES,
    checked_images,
    image_statistics,
)

#: names of the columns of :func:`photo_statistics`
PHOTO_STATISTIC_NAMES = (*STATISTIC_NAMES, "flatness", "log_colours", "skewness", "dark_share",
                         "highlight_ratio")
#: grey level below which a pixel counts as dark
DARK_LEVEL = 0.1
_STEP = 1.0 / 255.0
_LUMA = np.array([0.299, 0.587, 0.114])
_CHUNK = 256


def _logit(share: NDArray[np.float64], floor: float) -> NDArray[np.float64]:
    return np.asarray(np.log((share + floor) / (1.0 - share + floor)), dtype=np.float64)


def _extra(images: NDArray[np.uint8]) -> NDArray[np.float64]:
    n, h, w, _ = images.shape
    pixels = h * w
    pairs = h * (w - 1) + (h - 1) * w
    same = (np.all(images[:, :, 1:] == images[:, :, :-1], axis=-1).reshape(n, -1).sum(axis=1)
            + np.all(images[:, 1:] == images[:, :-1], axis=-1).reshape(n, -1).sum(axis=1))
    flatness = _logit(same / max(pairs, 1), 1.0 / max(pairs, 1))
    codes = (images.astype(np.int64) @ np.array([65536, 256, 1])).reshape(n, -1)
    codes.sort(axis=1)
    colours = 1 + np.count_nonzero(np.diff(codes, axis=1), axis=1)
    grey = ((images.astype(np.float64) / 255.0) @ _LUMA).reshape(n, -1)
    centred = grey - grey.mean(axis=1, keepdims=True)
    skewness = np.mean(centred**3, axis=1) / (grey.std(axis=1) + _STEP) ** 3
    dark = _logit(np.mean(grey < DARK_LEVEL, axis=1), 1.0 / pixels)
    q50, q99 = np.quantile(grey, [0.5, 0.99], axis=1)
    return np.column_stack([flatness, np.log(colours / pixels), skewness, dark,
                            np.log((q99 + _STEP) / (q50 + _STEP))])


def photo_statistics(images: Any) -> NDArray[np.float64]:
    """The statistics of :data:`PHOTO_STATISTIC_NAMES`, one row per image (n, h, w, 3) uint8."""
    array = checked_images(images)
    rows = [np.column_stack([image_statistics(part), _extra(part)])
            for part in (array[i:i + _CHUNK] for i in range(0, array.shape[0], _CHUNK))]
    return np.concatenate(rows).astype(np.float64)


__all__ = ["DARK_LEVEL", "PHOTO_STATISTIC_NAMES", "photo_statistics"]
