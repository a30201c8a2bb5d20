"""Raw pixels: each image flattened (row by row, channels last) and divided by 255.

The representation the classic recipe feeds to logistic regression; with 64x64x3
images it has 12288 features, one per pixel and channel.

>>> images = np.array([[[[0, 255, 51]]], [[[255, 255, 102]]]], dtype=np.uint8)
>>> RawPixels().fit_transform(images)
array([[0. , 1. , 0.2],
       [1. , 1. , 0.4]])
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit.features._base import Array, FeatureTransformer


class RawPixels(FeatureTransformer):
    """Pixels / 255, flattened. No parameters."""

    name: ClassVar[str] = "pixels"
    _param_names: ClassVar[tuple[str, ...]] = ()

    def _validate(self) -> None:
        return None

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        return shape[0] * shape[1] * shape[2]

    def _transform(self, images: NDArray[Any]) -> Array:
        return images.reshape(images.shape[0], -1).astype(np.float64) / 255.0

    @property
    def label(self) -> str:
        """``pixels``."""
        return "pixels"


__all__ = ["RawPixels"]
