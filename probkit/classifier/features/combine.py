r"""Combining representations: side by side (:class:`Concatenate`) and standardised
(:class:`Standardize`).

:class:`Standardize` learns, on the training images only, each feature's mean
:math:`\mu_j` and SD :math:`s_j` (a feature that never varies gets :math:`s_j = 1`)
and returns :math:`(x_j - \mu_j) / s_j`: an L2 penalty then treats the features
alike, whatever their units (histogram fractions, HOG magnitudes, pixels).

>>> from probkit.classifier.features.colour import ColourHistogram
>>> from probkit.classifier.features.pixels import RawPixels
>>> images = np.arange(2 * 2 * 2 * 3, dtype=np.uint8).reshape(2, 2, 2, 3) * 10
>>> both = Concatenate(parts=(RawPixels(), ColourHistogram(space="rgb", bins=(1, 1, 2))))
>>> both.fit_transform(images).shape
(2, 14)
>>> Standardize(features=RawPixels()).fit_transform(images)[:, 0].tolist()
[-1.0, 1.0]
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint
from probkit.classifier.features._base import (
    Array,
    FeatureTransformer,
    Wrapper,
    image_shape_constraint,
)
from probkit.errors import InputError

#: the most parts one concatenation may hold
MAX_PARTS = 8


def _parts_constraint(value: Any) -> str | None:
    """A tuple (or list) of 1 to :data:`MAX_PARTS` feature transformers."""
    if (isinstance(value, tuple | list) and 1 <= len(value) <= MAX_PARTS
            and all(isinstance(part, FeatureTransformer) for part in value)):
        return None
    return f"a tuple of 1 to {MAX_PARTS} feature transformers"


class Concatenate(FeatureTransformer):
    """The features of several transformers, side by side (in the order given).

    Parameters
    ----------
    parts : tuple of FeatureTransformer
        Each is cloned and fitted on the same training images (the parts given are left
        unfitted; their parameters are ``parts__0__bins`` etc. for ``set_params``).
    image_shape : (height, width, 3) or None, default None
        As for every transformer: given, the input may be flattened images (the parts
        then receive the images).

    Attributes
    ----------
    parts_ : tuple of FeatureTransformer
        The fitted copies of ``parts``.

    Examples
    --------
    >>> from probkit.classifier.features import ColourHistogram, RawPixels
    >>> both = Concatenate(parts=(ColourHistogram(bins=(2, 1, 1)), RawPixels()))
    >>> both.set_params(parts__0__bins=(4, 1, 1)).get_params()["parts__0__bins"]
    (4, 1, 1)
    """

    name: ClassVar[str] = "concatenate"
    _constraints: ClassVar[dict[str, Constraint]] = {
        "parts": _parts_constraint,
        "image_shape": image_shape_constraint,
    }

    def __init__(self, *, parts: tuple[FeatureTransformer, ...] = (),
                 image_shape: tuple[int, int, int] | None = None) -> None:
        self.parts = parts
        self.image_shape = image_shape

    def _nested(self) -> list[FeatureTransformer]:
        return list(self.parts) if _parts_constraint(self.parts) is None else []

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        return sum(part._n_features(shape) for part in self.parts)

    def _fit(self, images: NDArray[Any]) -> None:
        self.parts_ = tuple(part.clone().fit(images) for part in self.parts)

    def _transform(self, images: NDArray[Any]) -> Array:
        return np.hstack([part.transform(images) for part in self.parts_])

    def _set_fitted_shape(self, shape: tuple[int, int, int]) -> None:
        self.parts_ = tuple(part.clone() for part in self.parts)
        for part in self.parts_:
            part._set_fitted_shape(shape)
        super()._set_fitted_shape(shape)

    def _arrays(self) -> dict[str, Array]:
        out: dict[str, Array] = {}
        for i, part in enumerate(self.parts_):
            _, arrays = part.to_state()
            out.update({f"{i}.{key}": value for key, value in arrays.items()})
        return out

    def _restore_arrays(self, arrays: dict[str, NDArray[Any]]) -> None:
        for i, part in enumerate(self.parts_):
            prefix = f"{i}."
            part._restore_arrays({k[len(prefix):]: v for k, v in arrays.items()
                                  if k.startswith(prefix)})

    @property
    def label(self) -> str:
        """The parts' labels joined by ``+``."""
        return " + ".join(part.label for part in self.parts)


class Standardize(Wrapper):
    """Another transformer's features, centred and scaled by training statistics.

    Parameters
    ----------
    features : FeatureTransformer
        Cloned and fitted on the training images (its parameters are ``features__...``).
    image_shape : (height, width, 3) or None, default None
        As for every transformer: given, the input may be flattened images.

    Attributes
    ----------
    features_ : FeatureTransformer
        The fitted copy of ``features``.
    mean_, scale_ : ndarray of shape (n_features_out_,)
    """

    name: ClassVar[str] = "standardize"

    def _fit_output(self, x: Array) -> None:
        self.mean_ = x.mean(axis=0)
        sd = x.std(axis=0)
        self.scale_ = np.where(sd > 0, sd, 1.0)

    def _transform_output(self, x: Array) -> Array:
        return (x - self.mean_) / self.scale_

    def _own_arrays(self) -> dict[str, Array]:
        return {"mean": self.mean_, "scale": self.scale_}

    def _restore_own_arrays(self, arrays: dict[str, NDArray[Any]]) -> None:
        n = self.n_features_out_
        for key in ("mean", "scale"):
            value = arrays.get(key)
            if value is None or value.shape != (n,) or value.dtype.kind != "f" \
                    or not np.all(np.isfinite(value)):
                raise InputError(f"Standardize: stored {key} must be {n} finite floats")
        if not np.all(arrays["scale"] > 0):
            raise InputError("Standardize: stored scale must be positive")
        self.mean_ = np.asarray(arrays["mean"], dtype=np.float64)
        self.scale_ = np.asarray(arrays["scale"], dtype=np.float64)

    @property
    def label(self) -> str:
        """``std(<inner label>)``."""
        return f"std({self._inner().label})"


__all__ = ["MAX_PARTS", "Concatenate", "Standardize"]
