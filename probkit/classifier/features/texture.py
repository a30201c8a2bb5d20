r"""Texture: histograms of uniform local binary patterns (LBP; Ojala, Pietikäinen &
Mäenpää, *Multiresolution gray-scale and rotation invariant texture classification
with local binary patterns*, IEEE PAMI 2002), in numpy.

For each pixel of the grey image :math:`g = 0.299R + 0.587G + 0.114B` (in [0, 1]) and a
radius :math:`R`, sample :math:`P = 8` points on the circle around it,

.. math::

    r_p = r - R \sin(2\pi p / P), \qquad c_p = c + R \cos(2\pi p / P),
    \qquad p = 0, \dots, P - 1

(offsets rounded to 5 decimals), reading :math:`g` there by bilinear interpolation, and
set :math:`s_p = 1` where the sample is at least the centre (:math:`g_p \ge g_c`, with a
tolerance of 1e-9 so that a flat region reads as all ones whatever the rounding of the
interpolation). The pattern is *uniform* when the circular sequence :math:`s_0 \dots
s_{P-1}` changes between 0 and 1 at most twice; a uniform pattern's code is its number of
ones, :math:`0 \dots P` (a dark spot, an edge at some angle, a flat or bright spot,
whatever the rotation), and every other pattern shares code :math:`P + 1`. These are
the codes of :func:`skimage.feature.local_binary_pattern` with ``method="uniform"``,
which the tests use as an oracle.

The features of one radius are the shares of the :math:`P + 2` codes among the pixels
whose circle lies inside the image (a border of :math:`\lceil R\rceil` pixels is left
out); several radii (``radii``, default 1, 2 and 3 pixels) give fine and coarse texture
side by side: fur, grass and foliage against smooth walls, skies and skin.

>>> flat = np.full((1, 8, 8, 3), 90, dtype=np.uint8)
>>> LocalBinaryPattern(radii=(1,)).fit_transform(flat)[0].tolist()  # all code P = 8
[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint
from probkit.classifier.features._base import Array, FeatureTransformer, image_shape_constraint
from probkit.classifier.features.colour import cell_counts
from probkit.errors import InputError

#: sample points on each circle
POINTS = 8
#: luma weights of ITU-R BT.601 (as the image statistics)
LUMA = np.array([0.299, 0.587, 0.114])
#: the largest radius, in pixels
MAX_RADIUS = 8
#: a sample this close below the centre still counts as "at least the centre"
TIE = 1e-9


def _radii_constraint(value: Any) -> str | None:
    """1 to 4 distinct integers in [1, MAX_RADIUS], increasing."""
    ok = (isinstance(value, tuple | list) and 1 <= len(value) <= 4
          and all(isinstance(r, int | np.integer) and not isinstance(r, bool)
                  and 1 <= r <= MAX_RADIUS for r in value)
          and all(a < b for a, b in zip(value, value[1:], strict=False)))
    return None if ok else f"1 to 4 increasing integers in [1, {MAX_RADIUS}]"


def circle_offsets(radius: float, points: int = POINTS) -> NDArray[np.float64]:
    """(points, 2) row and column offsets of the samples, rounded to 5 decimals.

    >>> circle_offsets(1.0, 4).tolist()
    [[-0.0, 1.0], [-1.0, 0.0], [-0.0, -1.0], [1.0, -0.0]]
    """
    angles = 2 * np.pi * np.arange(points, dtype=np.float64) / points
    offsets = np.column_stack([-radius * np.sin(angles), radius * np.cos(angles)])
    return np.asarray(np.round(offsets, 5), dtype=np.float64)


def uniform_codes(grey: Array, radius: float, points: int = POINTS) -> NDArray[np.int64]:
    """Uniform LBP codes (n, h - 2m, w - 2m) of grey images (n, h, w), m = ceil(radius):
    only the pixels whose circle lies inside the image.

    >>> g = np.zeros((1, 3, 3)); g[0, 1, 1] = 1.0  # a bright spot: no neighbour reaches it
    >>> uniform_codes(g, 1).tolist()
    [[[0]]]
    """
    n, h, w = grey.shape
    m = math.ceil(radius)
    if h <= 2 * m or w <= 2 * m:
        raise InputError(f"images of {h}x{w} pixels are too small for LBP radius {radius}")
    rows, cols = h - 2 * m, w - 2 * m
    centre = grey[:, m:m + rows, m:m + cols]

    def shifted(dr: int, dc: int) -> Array:
        return grey[:, m + dr:m + dr + rows, m + dc:m + dc + cols]

    bits = np.empty((points, n, rows, cols), dtype=bool)
    for p, (r, c) in enumerate(circle_offsets(radius, points)):
        r0, c0 = math.floor(r), math.floor(c)
        r1, c1 = math.ceil(r), math.ceil(c)
        fr, fc = r - r0, c - c0
        top = (1 - fc) * shifted(r0, c0) + fc * shifted(r0, c1)
        bottom = (1 - fc) * shifted(r1, c0) + fc * shifted(r1, c1)
        sample = (1 - fr) * top + fr * bottom
        bits[p] = sample - centre >= -TIE
    changes = np.sum(bits != np.roll(bits, 1, axis=0), axis=0)
    ones = bits.sum(axis=0)
    return np.where(changes <= 2, ones, points + 1).astype(np.int64)


def grey_levels(images: NDArray[Any]) -> Array:
    """Grey level in [0, 1] of images (n, h, w, 3) in [0, 255]."""
    return (np.asarray(images, dtype=np.float64) / 255.0) @ LUMA


class LocalBinaryPattern(FeatureTransformer):
    """Shares of the uniform LBP codes (8 points) at each radius.

    Parameters
    ----------
    radii : tuple of int, default (1, 2, 3)
        Circle radii in pixels (1 to 4 increasing values in [1, 8]).
    image_shape : (height, width, 3) or None, default None
        As for every transformer: given, the input may be flattened images.

    Attributes
    ----------
    n_features_out_ : int
        ``10 * len(radii)``.

    Examples
    --------
    >>> images = np.random.default_rng(0).integers(0, 256, (2, 16, 16, 3), dtype=np.uint8)
    >>> f = LocalBinaryPattern(radii=(1, 2)).fit_transform(images)
    >>> f.shape, f[:, :10].sum(axis=1).round(12).tolist()
    ((2, 20), [1.0, 1.0])
    """

    name: ClassVar[str] = "lbp"
    per_image: ClassVar[bool] = True
    _constraints: ClassVar[dict[str, Constraint]] = {
        "radii": _radii_constraint,
        "image_shape": image_shape_constraint,
    }

    def __init__(self, *, radii: tuple[int, ...] = (1, 2, 3),
                 image_shape: tuple[int, int, int] | None = None) -> None:
        self.radii = radii
        self.image_shape = image_shape

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        largest = max(int(r) for r in self.radii)
        if min(shape[0], shape[1]) <= 2 * largest:
            raise InputError(f"LocalBinaryPattern: images of {shape[0]}x{shape[1]} pixels are "
                             f"too small for radius {largest}", parameter="radii")
        return (POINTS + 2) * len(self.radii)

    def _transform(self, images: NDArray[Any]) -> Array:
        grey = grey_levels(images)
        n = grey.shape[0]
        parts = []
        for radius in self.radii:
            codes = uniform_codes(grey, float(radius)).reshape(n, -1)
            counts = cell_counts(codes, POINTS + 2)
            parts.append(counts / codes.shape[1])
        return np.hstack(parts)

    @property
    def label(self) -> str:
        """E.g. ``lbp r1,2,3``."""
        return "lbp r" + ",".join(str(r) for r in self.radii)


__all__ = ["LUMA", "MAX_RADIUS", "POINTS", "LocalBinaryPattern", "circle_offsets",
           "grey_levels", "uniform_codes"]
