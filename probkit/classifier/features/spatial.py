r"""Spatial colour: separate colour histograms of regions of the image.

A colour histogram (:mod:`probkit.classifier.features.colour`) forgets where each colour
is. In these photos the subject sits mostly in the middle and the background around it,
so the colours of the *centre* and of the *border* say different things: a cat's fur in
the middle, a sofa, a lawn or a sky around it. :class:`SpatialColour` cuts each image
into regions and returns one histogram per region, side by side, each as the shares of
that region's pixels:

``centre``
    the centre (the middle half of the rows and of the columns: a quarter of the image)
    and the border (the rest), in that order;
``2x2``, ``3x3``
    a grid of equal regions (a remainder goes to the last row or column of regions), in
    row order.

It learns nothing; put it inside ``sqrt(...)`` for the Hellinger geometry
(:mod:`probkit.classifier.features.root`).

>>> img = np.zeros((1, 4, 4, 3), dtype=np.uint8); img[0, 1:3, 1:3] = 255  # white centre
>>> SpatialColour(space="rgb", bins=(1, 1, 2)).fit_transform(img)[0].tolist()
[0.0, 1.0, 1.0, 0.0]
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint, one_of
from probkit.classifier.features._base import Array, FeatureTransformer, image_shape_constraint
from probkit.classifier.features.colour import SPACES, _bins_constraint, cell_counts, cell_of_pixels
from probkit.errors import InputError

REGIONS = ("centre", "2x2", "3x3")


def region_masks(height: int, width: int, regions: str) -> list[NDArray[np.bool_]]:
    """Boolean masks (height, width) of the regions, in feature order.

    >>> [int(m.sum()) for m in region_masks(8, 8, "centre")], len(region_masks(9, 9, "3x3"))
    ([16, 48], 9)
    """
    if regions == "centre":
        centre = np.zeros((height, width), dtype=bool)
        centre[height // 4:height - height // 4, width // 4:width - width // 4] = True
        return [centre, ~centre]
    k = int(regions[0])
    row_edges = [height * i // k for i in range(k + 1)]
    col_edges = [width * j // k for j in range(k + 1)]
    masks = []
    for i in range(k):
        for j in range(k):
            mask = np.zeros((height, width), dtype=bool)
            mask[row_edges[i]:row_edges[i + 1], col_edges[j]:col_edges[j + 1]] = True
            masks.append(mask)
    return masks


class SpatialColour(FeatureTransformer):
    """One colour histogram per region of the image (fractions of the region's pixels).

    Parameters
    ----------
    space : {"hsv", "rgb"}, default "hsv"
    bins : tuple of 3 int, default (8, 4, 4)
        Bins per colour axis, as for :class:`~probkit.classifier.features.ColourHistogram`.
    regions : {"centre", "2x2", "3x3"}, default "centre"
    image_shape : (height, width, 3) or None, default None
        As for every transformer: given, the input may be flattened images.

    Examples
    --------
    >>> images = np.random.default_rng(1).integers(0, 256, (2, 12, 12, 3), dtype=np.uint8)
    >>> f = SpatialColour(bins=(4, 2, 2), regions="2x2").fit_transform(images)
    >>> f.shape, f.sum(axis=1).round(12).tolist()
    ((2, 64), [4.0, 4.0])
    """

    name: ClassVar[str] = "spatial-colour"
    per_image: ClassVar[bool] = True
    _constraints: ClassVar[dict[str, Constraint]] = {
        "space": one_of(*SPACES),
        "bins": _bins_constraint,
        "regions": one_of(*REGIONS),
        "image_shape": image_shape_constraint,
    }

    def __init__(self, *, space: str = "hsv", bins: tuple[int, int, int] = (8, 4, 4),
                 regions: str = "centre",
                 image_shape: tuple[int, int, int] | None = None) -> None:
        self.space = space
        self.bins = bins
        self.regions = regions
        self.image_shape = image_shape

    def _n_cells(self) -> int:
        b0, b1, b2 = (int(b) for b in self.bins)
        return b0 * b1 * b2

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        masks = region_masks(shape[0], shape[1], str(self.regions))
        if any(not m.any() for m in masks):
            raise InputError(f"SpatialColour: images of {shape[0]}x{shape[1]} pixels are too "
                             f"small for regions {self.regions!r}", parameter="regions")
        return self._n_cells() * len(masks)

    def _transform(self, images: NDArray[Any]) -> Array:
        n, h, w, _ = images.shape
        bins = tuple(int(b) for b in self.bins)
        cells = cell_of_pixels(images, str(self.space), bins)  # type: ignore[arg-type]
        parts = []
        for mask in region_masks(h, w, str(self.regions)):
            counts = cell_counts(cells[:, mask], self._n_cells())
            parts.append(counts / float(mask.sum()))
        return np.hstack(parts)

    @property
    def label(self) -> str:
        """E.g. ``hsv-hist 8x4x4 @centre``."""
        return f"{self.space}-hist " + "x".join(str(b) for b in self.bins) + f" @{self.regions}"


__all__ = ["REGIONS", "SpatialColour", "region_masks"]
