r"""The square root of a histogram (:class:`SquareRoot`): compare shares by the
Hellinger distance rather than by the raw difference of fractions.

A histogram's cells are shares of pixels (or of gradient energy), and most of
them are small. A linear model on the raw shares sees a change from 0.00 to 0.01
as a hundredth of one from 0.00 to 1.00, so the rare colours that tell two photos
apart hardly count beside the one or two cells that hold most pixels. Taking the
square root of every share, :math:`x_j \mapsto \sqrt{x_j}`, stretches the small
shares and squeezes the large ones; the Euclidean distance between two rooted
histograms is then :math:`\sqrt 2` times the Hellinger distance between the
distributions, and a linear model on them works with the Hellinger (Bhattacharyya)
kernel :math:`\sum_j \sqrt{p_j q_j}`. This is the "power normalisation" of image
features with exponent 1/2 (Perronnin, Sánchez & Mensink, *Improving the Fisher
kernel for large-scale image classification*, ECCV 2010; Arandjelović &
Zisserman, *Three things everyone should know to improve object retrieval*,
CVPR 2012, "RootSIFT").

It learns nothing: the root is fixed, and any standardisation is a separate step
(``std(sqrt(hsv:8x4x4))``).

>>> from probkit.classifier.features.colour import ColourHistogram
>>> import numpy as np
>>> img = np.zeros((1, 2, 2, 3), dtype=np.uint8); img[0, 0, 0] = (255, 0, 0)
>>> SquareRoot(features=ColourHistogram(space="hsv", bins=(2, 2, 2))).fit_transform(img)[0]
array([0.8660254, 0.       , 0.       , 0.5      , 0.       , 0.       ,
       0.       , 0.       ])
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from probkit.classifier.features._base import Array, FeatureTransformer, Wrapper
from probkit.errors import DataError, InputError


class SquareRoot(Wrapper):
    """The element-wise square root of another transformer's (non-negative) features.

    Parameters
    ----------
    features : FeatureTransformer
        A transformer whose features are never negative (a colour histogram, HOG,
        pixels); a standardized one is refused, since its features are centred. It is
        cloned and fitted on the training images (its parameters are ``features__...``).
    image_shape : (height, width, 3) or None, default None
        As for every transformer: given, the input may be flattened images.

    Attributes
    ----------
    features_ : FeatureTransformer
        The fitted copy of ``features``.

    Examples
    --------
    >>> from probkit.classifier.features.pixels import RawPixels
    >>> images = np.array([[[[0, 255, 64]]]], dtype=np.uint8)
    >>> SquareRoot(features=RawPixels()).fit_transform(images).round(3).tolist()
    [[0.0, 1.0, 0.501]]
    >>> from probkit.classifier.features.combine import Standardize
    >>> SquareRoot(features=Standardize(features=RawPixels())).fit(images)
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: SquareRoot: the features of std(pixels) are centred (some \
are negative); take the root first: std(sqrt(...))
    """

    name: ClassVar[str] = "sqrt"

    def _refuse(self, features: FeatureTransformer) -> None:
        from probkit.classifier.features.combine import Standardize

        if isinstance(features, Standardize):
            raise InputError(f"SquareRoot: the features of {features.label} are centred "
                             "(some are negative); take the root first: std(sqrt(...))",
                             parameter="features")

    def _transform_output(self, x: Array) -> Array:
        if x.size and x.min() < 0:
            raise DataError(f"SquareRoot: {self.features_.label} gave a negative feature "
                            f"({x.min():g}); the root needs non-negative features")
        return np.sqrt(x)

    @property
    def label(self) -> str:
        """``sqrt(<inner label>)``."""
        return f"sqrt({self._inner().label})"


__all__ = ["SquareRoot"]
