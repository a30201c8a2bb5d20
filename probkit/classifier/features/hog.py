r"""Histogram of oriented gradients (HOG; Dalal & Triggs, 2005), in numpy.

Steps, for an image scaled to [0, 1]:

1. **Gradients** by central differences, zero on the border:
   :math:`g_r[i, j] = I[i+1, j] - I[i-1, j]`, :math:`g_c[i, j] = I[i, j+1] - I[i, j-1]`.
   For a colour image each pixel keeps the channel with the largest magnitude.
2. **Magnitude** :math:`\sqrt{g_r^2 + g_c^2}` and unsigned **orientation**
   :math:`\theta = \operatorname{atan2}(g_r, g_c) \bmod 180°`.
3. **Cells**: the image is cut into ``cell_size`` × ``cell_size`` squares (a
   remainder on the bottom/right is dropped). Each cell's histogram has
   ``orientations`` equal bins over [0°, 180°); a pixel adds its magnitude to the
   bin of its orientation; the sum is divided by the cell's pixel count.
4. **Blocks**: every ``block_size`` × ``block_size`` window of cells (stride one
   cell) is normalised as one vector :math:`v` (ε = 1e-5):

   * ``L1``: :math:`v / (\lVert v\rVert_1 + ε)`; ``L1-sqrt``: its square root;
   * ``L2``: :math:`v / \sqrt{\lVert v\rVert_2^2 + ε^2}`;
   * ``L2-Hys``: ``L2``, values clipped at 0.2, then ``L2`` again.

5. The feature vector is the blocks in row order, each block's cells in row
   order, each cell's bins in angle order.

These are the conventions of :func:`skimage.feature.hog` (with
``channel_axis=-1``), which the tests use as an independent oracle.

>>> im = np.zeros((1, 8, 8, 3), dtype=np.uint8); im[0, :, 4:] = 255  # a vertical edge
>>> f = HOG(orientations=4, cell_size=4, block_size=1).fit_transform(im)
>>> f.shape, int(np.argmax(f[0, :4]))  # horizontal gradient: orientation 0°, bin 0
((1, 16), 0)
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from probkit._estimator import Constraint, one_of
from probkit.classifier.features._base import (
    Array,
    FeatureTransformer,
    image_shape_constraint,
    integer_in,
)
from probkit.errors import InputError

BLOCK_NORMS = ("L1", "L1-sqrt", "L2", "L2-Hys")
EPS = 1e-5


def gradients(images: Array) -> tuple[Array, Array]:
    """Central-difference gradients (rows, columns) of (n, h, w, channels); 0 on the border.

    >>> g_r, g_c = gradients(np.arange(9.0).reshape(1, 3, 3, 1))
    >>> g_r[0, :, :, 0].tolist(), g_c[0, 1, :, 0].tolist()
    ([[0.0, 0.0, 0.0], [6.0, 6.0, 6.0], [0.0, 0.0, 0.0]], [0.0, 2.0, 0.0])
    """
    g_row = np.zeros_like(images)
    g_col = np.zeros_like(images)
    g_row[:, 1:-1] = images[:, 2:] - images[:, :-2]
    g_col[:, :, 1:-1] = images[:, :, 2:] - images[:, :, :-2]
    return g_row, g_col


def strongest_channel(g_row: Array, g_col: Array) -> tuple[Array, Array]:
    """Per pixel, the (row, column) gradient of the channel with the largest magnitude."""
    magnitude = np.hypot(g_row, g_col)
    pick = np.argmax(magnitude, axis=-1)[..., None]
    return (np.take_along_axis(g_row, pick, axis=-1)[..., 0],
            np.take_along_axis(g_col, pick, axis=-1)[..., 0])


def cell_histograms(g_row: Array, g_col: Array, *, orientations: int, cell_size: int) -> Array:
    """(n, cells_r, cells_c, orientations): mean magnitude per orientation bin and cell.

    >>> g_r = np.zeros((1, 2, 2)); g_c = np.ones((1, 2, 2))  # all 0°, magnitude 1
    >>> cell_histograms(g_r, g_c, orientations=2, cell_size=2)[0, 0, 0].tolist()
    [1.0, 0.0]
    """
    n, h, w = g_row.shape
    cells_r, cells_c = h // cell_size, w // cell_size
    g_row = g_row[:, :cells_r * cell_size, :cells_c * cell_size]
    g_col = g_col[:, :cells_r * cell_size, :cells_c * cell_size]
    magnitude = np.hypot(g_row, g_col)
    angle = np.rad2deg(np.arctan2(g_row, g_col)) % 180.0
    edges = (180.0 / orientations) * np.arange(orientations + 1)
    bin_ = np.searchsorted(edges, angle, side="right") - 1  # edges[b] <= angle < edges[b+1]
    outside = bin_ >= orientations  # angle == 180.0 after rounding: in no bin
    weight = np.where(outside, 0.0, magnitude)
    bin_ = np.where(outside, 0, bin_)
    rows = np.arange(cells_r * cell_size) // cell_size
    cols = np.arange(cells_c * cell_size) // cell_size
    cell = rows[:, None] * cells_c + cols[None, :]
    index = ((np.arange(n)[:, None, None] * (cells_r * cells_c) + cell[None]) * orientations
             + bin_)
    sums = np.bincount(index.ravel(), weights=weight.ravel(),
                       minlength=n * cells_r * cells_c * orientations)
    return sums.reshape(n, cells_r, cells_c, orientations) / float(cell_size * cell_size)


def normalise_blocks(hist: Array, *, block_size: int, method: str) -> Array:
    """(n, blocks_r, blocks_c, block_size, block_size, orientations), each block normalised."""
    windows = sliding_window_view(hist, (block_size, block_size), axis=(1, 2))
    blocks = np.moveaxis(windows, 3, -1)  # (n, br, bc, block, block, orientations)
    axes = (-3, -2, -1)
    if method == "L1":
        return blocks / (np.sum(np.abs(blocks), axis=axes, keepdims=True) + EPS)
    if method == "L1-sqrt":
        return np.sqrt(blocks / (np.sum(np.abs(blocks), axis=axes, keepdims=True) + EPS))
    out = blocks / np.sqrt(np.sum(blocks**2, axis=axes, keepdims=True) + EPS**2)
    if method == "L2-Hys":
        out = np.minimum(out, 0.2)
        out = out / np.sqrt(np.sum(out**2, axis=axes, keepdims=True) + EPS**2)
    return out


def hog_features(images: Any, *, orientations: int = 9, cell_size: int = 8, block_size: int = 2,
                 block_norm: str = "L2-Hys") -> Array:
    """HOG vectors (n, n_features) of images (n, h, w, channels) already scaled to [0, 1]."""
    x = np.asarray(images, dtype=np.float64)
    g_row, g_col = strongest_channel(*gradients(x))
    hist = cell_histograms(g_row, g_col, orientations=orientations, cell_size=cell_size)
    blocks = normalise_blocks(hist, block_size=block_size, method=block_norm)
    return blocks.reshape(x.shape[0], -1)


class HOG(FeatureTransformer):
    """Histogram-of-oriented-gradients features (shape and texture, not colour).

    Parameters
    ----------
    orientations : int, default 9
        Orientation bins over [0°, 180°).
    cell_size : int, default 8
        Cell side in pixels.
    block_size : int, default 2
        Block side in cells (blocks overlap by all but one cell).
    block_norm : {"L1", "L1-sqrt", "L2", "L2-Hys"}, default "L2-Hys"
    image_shape : (height, width, 3) or None, default None
        None: the input is images (n, height, width, 3). Given: the input may also be
        the images flattened, one row of ``height * width * 3`` values per image.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> HOG().fit(rng.integers(0, 256, (2, 64, 64, 3))).n_features_out_  # 7*7 blocks*2*2*9
    1764
    >>> rows = rng.integers(0, 256, (2, 8 * 8 * 3))  # 8x8 images, flattened
    >>> HOG(orientations=4, cell_size=4, block_size=1, image_shape=(8, 8, 3)).fit_transform(
    ...     rows).shape  # 2x2 cells of 4 orientations
    (2, 16)
    >>> HOG(orientations=0).fit(rows)
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: HOG: orientations=0 is invalid; it must be an integer in [1, 180]
    """

    name: ClassVar[str] = "hog"
    per_image: ClassVar[bool] = True
    _constraints: ClassVar[dict[str, Constraint]] = {
        "orientations": integer_in(1, 180),
        "cell_size": integer_in(1, 1024),
        "block_size": integer_in(1, 64),
        "block_norm": one_of(*BLOCK_NORMS),
        "image_shape": image_shape_constraint,
    }

    def __init__(self, *, orientations: int = 9, cell_size: int = 8, block_size: int = 2,
                 block_norm: str = "L2-Hys",
                 image_shape: tuple[int, int, int] | None = None) -> None:
        self.orientations = orientations
        self.cell_size = cell_size
        self.block_size = block_size
        self.block_norm = block_norm
        self.image_shape = image_shape

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        cells_r, cells_c = shape[0] // self.cell_size, shape[1] // self.cell_size
        if min(cells_r, cells_c) < self.block_size:
            raise InputError(
                f"HOG: {shape[0]}x{shape[1]} images hold {cells_r}x{cells_c} cells of "
                f"{self.cell_size} pixels, fewer than one block of {self.block_size}x"
                f"{self.block_size} cells; use smaller cells or blocks"
            )
        blocks = (cells_r - self.block_size + 1) * (cells_c - self.block_size + 1)
        return blocks * self.block_size**2 * self.orientations

    def _transform(self, images: NDArray[Any]) -> Array:
        return hog_features(np.asarray(images, dtype=np.float64) / 255.0,
                            orientations=self.orientations, cell_size=self.cell_size,
                            block_size=self.block_size, block_norm=self.block_norm)

    @property
    def label(self) -> str:
        """E.g. ``hog 9o 8px 2x2``."""
        return f"hog {self.orientations}o {self.cell_size}px {self.block_size}x{self.block_size}"


__all__ = ["BLOCK_NORMS", "HOG", "cell_histograms", "gradients", "hog_features",
           "normalise_blocks", "strongest_channel"]
