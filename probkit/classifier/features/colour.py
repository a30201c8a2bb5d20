r"""Colour histograms: the share of an image's pixels in each cell of a colour grid.

RGB and HSV (hue, saturation, value) are both cubes: each axis is cut into equal
bins and a pixel falls in the cell holding its three coordinates. The feature
vector is the *fraction* of pixels per cell (it sums to 1), so images of any
size compare. Where a pixel is does not matter, only its colour; a histogram
cannot see shape, which is also why a uniform grey page is an input unlike
any training photo (see :mod:`probkit.classifier.evaluation.typicality`).

HSV from RGB (all in [0, 1]), with :math:`M = \max(r, g, b)`,
:math:`m = \min(r, g, b)`, :math:`C = M - m`:

.. math::

    V = M, \qquad S = C / M \ (0 \text{ if } M = 0), \qquad
    H = \frac16 \times \begin{cases}
        ((g - b)/C) \bmod 6 & M = r \\
        (b - r)/C + 2 & M = g \\
        (r - g)/C + 4 & M = b
    \end{cases}

and :math:`H = 0` when :math:`C = 0` (greys have no hue). Ties go to r, then g,
as in the standard library's :func:`colorsys.rgb_to_hsv`, which the tests use as
an oracle.

>>> rgb_to_hsv(np.array([[255, 0, 0], [0, 255, 0], [128, 128, 128]], dtype=np.uint8)).round(3)
array([[0.   , 1.   , 1.   ],
       [0.333, 1.   , 1.   ],
       [0.   , 0.   , 0.502]])
>>> img = np.zeros((1, 2, 2, 3), dtype=np.uint8); img[0, 0, 0] = (255, 0, 0)
>>> h = ColourHistogram(space="hsv", bins=(2, 2, 2)).fit_transform(img)
>>> h.shape, h[0].tolist()  # 3 black pixels (H=S=V=0), 1 red (H=0, S=V=1)
((1, 8), [0.75, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0])
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint, one_of
from probkit.classifier.features._base import (
    Array,
    FeatureTransformer,
    as_images,
    image_shape_constraint,
)
from probkit.errors import InputError

SPACES = ("hsv", "rgb")
#: the most cells a histogram may have (bounds the work and the model size)
MAX_CELLS = 4096


def rgb_to_hsv(rgb: Any) -> Array:
    """HSV in [0, 1] of RGB values in [0, 255] (last axis of length 3); any leading shape."""
    x = np.asarray(rgb, dtype=np.float64) / 255.0
    if x.shape[-1:] != (3,):
        raise InputError(f"rgb_to_hsv needs a last axis of length 3; got shape {x.shape}")
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    high = x.max(axis=-1)
    low = x.min(axis=-1)
    chroma = high - low
    safe = np.where(chroma > 0, chroma, 1.0)
    hue = np.where(
        high == r,
        ((g - b) / safe) % 6.0,
        np.where(high == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0),
    )
    hue = np.where(chroma > 0, hue / 6.0, 0.0)
    hue = np.where(hue >= 1.0, hue - 1.0, hue)  # (-tiny % 6) / 6 may round to 1
    saturation = np.where(high > 0, chroma / np.where(high > 0, high, 1.0), 0.0)
    return np.stack([hue, saturation, high], axis=-1)


def _cell_index(values: Array, bins: int, top: float) -> NDArray[np.int64]:
    """Bin of each value in [0, top] among ``bins`` equal bins (``top`` goes to the last bin).

    ``values * bins / top`` is exact for integer pixel values and ``top = 255``, so a
    value on a bin edge (e.g. 85 of 255 with 3 bins) lands in the upper bin exactly.
    """
    return np.minimum(np.floor(values * bins / top).astype(np.int64), bins - 1)


def _cells(coords: Array, bins: tuple[int, int, int], top: float) -> NDArray[np.int64]:
    """Cell number (last coordinate fastest) of each point of ``coords`` (..., 3)."""
    b0, b1, b2 = bins
    return ((_cell_index(coords[..., 0], b0, top) * b1
             + _cell_index(coords[..., 1], b1, top)) * b2 + _cell_index(coords[..., 2], b2, top))


def cell_of_pixels(pixels: Any, space: str, bins: tuple[int, int, int]) -> NDArray[np.int64]:
    """The histogram cell of each RGB pixel (values in [0, 255], last axis 3), in the
    numbering of :func:`joint_histogram`.

    >>> cell_of_pixels(np.array([[0, 0, 0], [255, 0, 0]]), "hsv", (2, 2, 2)).tolist()
    [0, 3]
    """
    if space == "hsv":
        return _cells(rgb_to_hsv(pixels), bins, 1.0)
    return _cells(np.asarray(pixels, dtype=np.float64), bins, 255.0)


def joint_histogram(coords: Array, bins: tuple[int, int, int], *, top: float = 1.0) -> Array:
    """Fraction of points per cell: ``coords`` (n, pixels, 3) in [0, top] -> (n, prod(bins)).

    Cells are numbered with the last coordinate fastest (C order).

    >>> joint_histogram(np.array([[[0.0, 0.0, 0.9], [1.0, 0.2, 0.4]]]), (2, 1, 2)).tolist()
    [[0.0, 0.5, 0.5, 0.0]]
    """
    pixels = coords.shape[1]
    counts = cell_counts(_cells(coords, bins, top), bins[0] * bins[1] * bins[2])
    return counts / float(max(pixels, 1))


def cell_counts(cells: NDArray[np.int64], n_cells: int) -> NDArray[np.int64]:
    """How many points of each row of ``cells`` (n, points) fall in each of ``n_cells``.

    >>> cell_counts(np.array([[0, 2, 2], [1, 1, 1]]), 3).tolist()
    [[1, 0, 2], [0, 3, 0]]
    """
    n = cells.shape[0]
    flat = cells + (np.arange(n) * n_cells)[:, None]
    return np.bincount(flat.ravel(), minlength=n * n_cells).reshape(n, n_cells)


def _bins_constraint(value: Any) -> str | None:
    """Three integers in [1, 256] making at most :data:`MAX_CELLS` cells."""
    ok = (isinstance(value, tuple | list) and len(value) == 3
          and all(isinstance(b, int | np.integer) and not isinstance(b, bool) and 1 <= b <= 256
                  for b in value))
    if ok and int(np.prod([int(b) for b in value])) <= MAX_CELLS:
        return None
    cells = (f" (these make {int(np.prod([int(b) for b in value]))})" if ok else "")
    return f"3 integers in [1, 256] making at most {MAX_CELLS} cells{cells}"


class ColourHistogram(FeatureTransformer):
    """Joint colour histogram of each image, as fractions of its pixels.

    Parameters
    ----------
    space : {"hsv", "rgb"}, default "hsv"
    bins : tuple of 3 int, default (8, 4, 4)
        Bins per axis (H, S, V or R, G, B); at most 4096 cells in all.
    image_shape : (height, width, 3) or None, default None
        None: the input is images (n, height, width, 3). Given: the input may also be
        the images flattened, one row of ``height * width * 3`` values per image.

    Attributes
    ----------
    input_shape_ : tuple of int
        (height, width, 3) of the training images.
    n_features_in_ : int
        ``height * width * 3``.
    n_features_out_ : int
        ``prod(bins)``.

    Examples
    --------
    >>> images = np.full((2, 4, 4, 3), 200, dtype=np.uint8)
    >>> ColourHistogram(space="rgb", bins=(2, 2, 2)).fit_transform(images)[:, -1].tolist()
    [1.0, 1.0]

    The same images as rows of 48 values (e.g. in a scikit-learn ``Pipeline``):

    >>> rows = images.reshape(2, -1)
    >>> hist = ColourHistogram(space="rgb", bins=(2, 2, 2), image_shape=(4, 4, 3))
    >>> hist.fit_transform(rows)[:, -1].tolist(), hist.n_features_in_
    ([1.0, 1.0], 48)
    >>> ColourHistogram(bins=(32, 32, 32)).fit(images)
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: ColourHistogram: bins=(32, 32, 32) is invalid; it must be 3 \
integers in [1, 256] making at most 4096 cells (these make 32768)
    """

    name: ClassVar[str] = "colour-histogram"
    per_image: ClassVar[bool] = True
    _constraints: ClassVar[dict[str, Constraint]] = {
        "space": one_of(*SPACES),
        "bins": _bins_constraint,
        "image_shape": image_shape_constraint,
    }

    def __init__(self, *, space: str = "hsv", bins: tuple[int, int, int] = (8, 4, 4),
                 image_shape: tuple[int, int, int] | None = None) -> None:
        self.space = space
        self.bins = bins
        self.image_shape = image_shape

    def _checked_bins(self) -> tuple[int, int, int]:
        problem = _bins_constraint(self.bins)
        if problem is not None:
            raise InputError(f"ColourHistogram: bins={self.bins!r} is invalid; it must be "
                             f"{problem}", parameter="bins")
        b0, b1, b2 = (int(b) for b in self.bins)
        return b0, b1, b2

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        b0, b1, b2 = self._checked_bins()
        return b0 * b1 * b2

    def _transform(self, images: NDArray[Any]) -> Array:
        n = images.shape[0]
        pixels = images.reshape(n, -1, 3)
        if self.space == "hsv":
            return joint_histogram(rgb_to_hsv(pixels), self._checked_bins())
        return joint_histogram(np.asarray(pixels, dtype=np.float64), self._checked_bins(),
                               top=255.0)

    @property
    def label(self) -> str:
        """E.g. ``hsv-hist 8x4x4``."""
        return f"{self.space}-hist " + "x".join(str(b) for b in self.bins)


__all__ = ["MAX_CELLS", "SPACES", "ColourHistogram", "as_images", "cell_counts", "cell_of_pixels",
           "joint_histogram", "rgb_to_hsv"]
