"""Turning images into feature vectors, with statistics the model remembers.

Each image (height, width, 3) is flattened (row by row, channels last) into a
vector of ``height * width * 3`` features, then

.. math::

    x' = (x - \\mu) / s

with, for ``method="scale"`` (the classic recipe), :math:`\\mu = 0` and
:math:`s = 255`, so pixels land in [0, 1]; and for ``method="standardize"``,
the per-feature mean and standard deviation of the *training* images
(a feature that never varies gets :math:`s = 1`).

Examples
--------
>>> import numpy as np
>>> images = np.array([[[[0, 255, 51]]], [[[255, 255, 102]]]], dtype=np.uint8)
>>> Preprocessor().fit(images).transform(images)
array([[0. , 1. , 0.2],
       [1. , 1. , 0.4]])
>>> Preprocessor(method="standardize").fit(images).transform(images)
array([[-1.,  0., -1.],
       [ 1.,  0.,  1.]])
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit.errors import DataError, InputError
from probkit.options import PREPROCESSING as METHODS

SD_RANGE = (1e-4, 255.0)
"""Standard deviations a stored ``standardize`` step may hold: of 0..255 pixels (1 for a
constant feature) they are at most 127.5, and at least about 1/sqrt(n) for n images
(1e-4 allows 10^8 images); anything else is a damaged file."""


def _as_images(images: Any) -> NDArray[Any]:
    array = np.asarray(images)
    if array.ndim != 4:
        raise DataError(f"images must have shape (n, height, width, channels); got {array.shape}")
    if array.dtype.kind not in "biuf":
        raise DataError(f"images must be numeric; got dtype {array.dtype}")
    return array


class Preprocessor:
    """Flatten images and scale (``/255``) or standardize each feature.

    Parameters
    ----------
    method : {"scale", "standardize"}, default "scale"

    Attributes
    ----------
    input_shape_ : tuple of int
        (height, width, channels) of the training images.
    mean_ : ndarray of shape (n_features,)
        Subtracted from every feature (zeros for ``"scale"``).
    scale_ : ndarray of shape (n_features,)
        Divides every feature (255 for ``"scale"``).
    """

    #: this representation's name in :mod:`probkit.classifier.features.registry` and model files
    name: ClassVar[str] = "pixels"

    def __init__(self, *, method: str = "scale") -> None:
        self.method = method

    def get_params(self) -> dict[str, Any]:
        """The hyperparameters, as given."""
        return {"method": self.method}

    def __repr__(self) -> str:
        return f"Preprocessor(method={self.method!r})"

    def fit(self, images: Any) -> Preprocessor:
        """Learn the input shape (and, for ``"standardize"``, mean and SD) from training images."""
        if self.method not in METHODS:
            raise InputError(
                f"Preprocessor: method={self.method!r} is invalid; it must be one of "
                + ", ".join(repr(m) for m in METHODS), parameter="preprocessing"
            )
        array = _as_images(images)
        if array.shape[0] < 1:
            raise DataError("cannot fit a Preprocessor on zero images")
        self.input_shape_ = tuple(int(d) for d in array.shape[1:])
        flat = array.reshape(array.shape[0], -1).astype(np.float64)
        n_features = flat.shape[1]
        if self.method == "scale":
            self.mean_ = np.zeros(n_features)
            self.scale_ = np.full(n_features, 255.0)
        else:
            self.mean_ = flat.mean(axis=0)
            std = flat.std(axis=0)
            self.scale_ = np.where(std > 0, std, 1.0)
        return self

    @property
    def n_features_(self) -> int:
        """Number of features produced per image."""
        return int(self.mean_.shape[0])

    def transform(self, images: Any) -> NDArray[np.float64]:
        """Flatten and normalize: returns a C-contiguous float64 array (n, n_features).

        Raises
        ------
        DataError
            If the images' size differs from the training images' size.
        """
        if not hasattr(self, "input_shape_"):
            raise InputError("this Preprocessor is not fitted yet; call fit first")
        array = _as_images(images)
        if tuple(array.shape[1:]) != self.input_shape_:
            h, w, c = (array.shape[1:] + (0, 0, 0))[:3]
            th, tw, tc = self.input_shape_
            raise DataError(
                f"images are {h}x{w}x{c} but the model was trained on {th}x{tw}x{tc} images"
            )
        flat = array.reshape(array.shape[0], self.n_features_).astype(np.float64)  # n may be 0
        flat -= self.mean_
        flat /= self.scale_
        return np.ascontiguousarray(flat)

    def fit_transform(self, images: Any) -> NDArray[np.float64]:
        """``fit(images).transform(images)``."""
        return self.fit(images).transform(images)

    def state(self) -> dict[str, NDArray[np.float64]]:
        """The learned statistics by name (``mean``, ``scale``), as model files store them."""
        if not hasattr(self, "input_shape_"):
            raise InputError("this Preprocessor is not fitted yet; call fit first")
        return {"mean": self.mean_, "scale": self.scale_}

    @classmethod
    def from_state(cls, *, params: dict[str, Any], input_shape: tuple[int, ...],
                   state: dict[str, Any]) -> Preprocessor:
        """Rebuild a fitted preprocessor from :meth:`get_params` and :meth:`state`."""
        unknown = sorted(set(params) - {"method"})
        if unknown or sorted(state) != ["mean", "scale"]:
            raise InputError(f"pixels representation: unexpected parameters {unknown} or "
                             f"arrays {sorted(state)} (expected method; mean, scale)")
        return cls.from_statistics(method=str(params.get("method", "scale")),
                                   input_shape=input_shape, mean=np.asarray(state["mean"]),
                                   scale=np.asarray(state["scale"]))

    @classmethod
    def from_statistics(
        cls,
        *,
        method: str,
        input_shape: tuple[int, ...],
        mean: NDArray[np.float64],
        scale: NDArray[np.float64],
    ) -> Preprocessor:
        """Rebuild a fitted preprocessor from stored statistics (used by model files)."""
        pre = cls(method=method)
        if method not in METHODS:
            raise InputError(f"unknown preprocessing method {method!r}")
        n_features = int(np.prod(input_shape))
        for name, value in (("preprocessing_mean", mean), ("preprocessing_scale", scale)):
            if value.shape != (n_features,) or value.dtype.kind != "f":
                raise InputError(
                    f"{name} has shape {value.shape} and dtype {value.dtype}; expected "
                    f"({n_features},) floats for input shape {tuple(input_shape)}")
            if not np.all(np.isfinite(value)):
                raise InputError(f"{name} contains nan or inf")
        if not np.all(scale > 0):
            raise InputError("preprocessing_scale must hold positive scales")
        if method == "scale" and (np.any(mean != 0) or np.any(scale != 255)):
            raise InputError("preprocessing_mean/scale must be 0 and 255 for method 'scale'")
        low, high = SD_RANGE
        if method == "standardize" and (np.any(mean < 0) or np.any(mean > 255)):
            raise InputError("preprocessing_mean must lie in [0, 255] (means of 0..255 pixels)")
        if method == "standardize" and (np.any(scale < low) or np.any(scale > high)):
            raise InputError(f"preprocessing_scale must lie in [{low:g}, {high:g}] (standard "
                             "deviations of 0..255 pixels)")
        pre.input_shape_ = tuple(int(d) for d in input_shape)
        pre.mean_ = np.asarray(mean, dtype=np.float64)
        pre.scale_ = np.asarray(scale, dtype=np.float64)
        return pre


__all__ = ["METHODS", "Preprocessor"]
