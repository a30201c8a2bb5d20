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

from probkit._estimator import Constraint
from probkit.classifier.features._base import Array, FeatureTransformer, image_shape_constraint


class RawPixels(FeatureTransformer):
    """Pixels / 255, flattened.

    Parameters
    ----------
    image_shape : (height, width, 3) or None, default None
        None: the input is images (n, height, width, 3). Given: the input may also be
        the images flattened, one row of ``height * width * 3`` values per image.

    Examples
    --------
    >>> RawPixels(image_shape=(1, 1, 3)).fit_transform(np.array([[0, 255, 51]]))
    array([[0. , 1. , 0.2]])
    """

    name: ClassVar[str] = "pixels"
    per_image: ClassVar[bool] = True
    _constraints: ClassVar[dict[str, Constraint]] = {"image_shape": image_shape_constraint}

    def __init__(self, *, image_shape: tuple[int, int, int] | None = None) -> None:
        self.image_shape = image_shape

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        return shape[0] * shape[1] * shape[2]

    def _transform(self, images: NDArray[Any]) -> Array:
        return images.reshape(images.shape[0], -1).astype(np.float64) / 255.0

    @property
    def label(self) -> str:
        """``pixels``."""
        return "pixels"


__all__ = ["RawPixels"]
