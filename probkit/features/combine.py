r"""Combining representations: side by side (:class:`Concatenate`) and standardised
(:class:`Standardize`).

:class:`Standardize` learns, on the training images only, each feature's mean
:math:`\mu_j` and SD :math:`s_j` (a feature that never varies gets :math:`s_j = 1`)
and returns :math:`(x_j - \mu_j) / s_j`: an L2 penalty then treats the features
alike, whatever their units (histogram fractions, HOG magnitudes, pixels).

>>> from probkit.features.colour import ColourHistogram
>>> from probkit.features.pixels import RawPixels
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

from probkit.errors import InputError
from probkit.features._base import Array, FeatureTransformer

#: the most parts one concatenation may hold
MAX_PARTS = 8


class Concatenate(FeatureTransformer):
    """The features of several transformers, side by side (in the order given).

    Parameters
    ----------
    parts : tuple of FeatureTransformer
        Each is fitted on the same training images.
    """

    name: ClassVar[str] = "concatenate"
    _param_names: ClassVar[tuple[str, ...]] = ("parts",)

    def __init__(self, *, parts: tuple[FeatureTransformer, ...] = ()) -> None:
        self.parts = parts

    def _validate(self) -> None:
        parts = self.parts
        if not isinstance(parts, tuple | list) or not 1 <= len(parts) <= MAX_PARTS:
            raise InputError(
                f"Concatenate: parts must be 1 to {MAX_PARTS} feature transformers; got {parts!r}"
            )
        for part in parts:
            if not isinstance(part, FeatureTransformer):
                raise InputError(f"Concatenate: {part!r} is not a feature transformer")
            part._validate()

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        self._validate()
        return sum(part._n_features(shape) for part in self.parts)

    def _fit(self, images: NDArray[Any]) -> None:
        for part in self.parts:
            part.fit(images)

    def _transform(self, images: NDArray[Any]) -> Array:
        return np.hstack([part.transform(images) for part in self.parts])

    def _arrays(self) -> dict[str, Array]:
        out: dict[str, Array] = {}
        for i, part in enumerate(self.parts):
            _, arrays = part.to_state()
            out.update({f"{i}.{key}": value for key, value in arrays.items()})
        return out

    def _restore_arrays(self, arrays: dict[str, NDArray[Any]]) -> None:
        for i, part in enumerate(self.parts):
            prefix = f"{i}."
            part._restore_arrays({k[len(prefix):]: v for k, v in arrays.items()
                                  if k.startswith(prefix)})

    @property
    def label(self) -> str:
        """The parts' labels joined by ``+``."""
        return " + ".join(part.label for part in self.parts)


class Standardize(FeatureTransformer):
    """Another transformer's features, centred and scaled by training statistics.

    Parameters
    ----------
    features : FeatureTransformer

    Attributes
    ----------
    mean_, scale_ : ndarray of shape (n_features_out_,)
    """

    name: ClassVar[str] = "standardize"
    _param_names: ClassVar[tuple[str, ...]] = ("features",)

    def __init__(self, *, features: FeatureTransformer | None = None) -> None:
        self.features = features

    def _inner(self) -> FeatureTransformer:
        if not isinstance(self.features, FeatureTransformer):
            raise InputError(f"Standardize: features must be a feature transformer; "
                             f"got {self.features!r}")
        return self.features

    def _validate(self) -> None:
        self._inner()._validate()

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        return self._inner()._n_features(shape)

    def _fit(self, images: NDArray[Any]) -> None:
        x = self._inner().fit_transform(images)
        self.mean_ = x.mean(axis=0)
        sd = x.std(axis=0)
        self.scale_ = np.where(sd > 0, sd, 1.0)

    def _transform(self, images: NDArray[Any]) -> Array:
        x = self._inner().transform(images)
        return (x - self.mean_) / self.scale_

    def _arrays(self) -> dict[str, Array]:
        _, inner = self._inner().to_state()
        return {"mean": self.mean_, "scale": self.scale_,
                **{f"inner.{k}": v for k, v in inner.items()}}

    def _restore_arrays(self, arrays: dict[str, NDArray[Any]]) -> None:
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
        self._inner()._restore_arrays({k[len("inner."):]: v for k, v in arrays.items()
                                       if k.startswith("inner.")})

    @property
    def label(self) -> str:
        """``std(<inner label>)``."""
        return f"std({self._inner().label})"


__all__ = ["MAX_PARTS", "Concatenate", "Standardize"]
