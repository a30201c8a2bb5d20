"""Data augmentation: more training images from the ones there are.

Applied to training images only (a training fold, or the training set at the
final refit), never to the images a model is scored on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def flip_horizontally(images: NDArray[Any], labels: NDArray[Any]) -> tuple[NDArray[Any],
                                                                          NDArray[Any]]:
    """The images followed by their mirror images (left-right), labels repeated.

    >>> im = np.arange(4, dtype=np.uint8).reshape(1, 1, 4, 1)
    >>> out, y = flip_horizontally(im, np.array([1]))
    >>> out[1, 0, :, 0].tolist(), y.tolist()
    ([3, 2, 1, 0], [1, 1])
    """
    return (np.concatenate([images, images[:, :, ::-1, :]]),
            np.concatenate([labels, labels]))


__all__ = ["flip_horizontally"]
