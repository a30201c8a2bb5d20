"""Representations: how an image becomes a feature vector, as one step of the pipeline.

A *representation* is a transformer fitted on training images only and stored in
the model file with the classifier, so that a saved model turns new images into
the same features. ``pixels`` (:class:`~probkit.classifier.data.preprocessing.Preprocessor`:
flattened pixels, scaled or standardized) is the default; other steps (a colour
histogram, ...) register here under a name.

The contract (a :class:`Representation`):

* keyword-only hyperparameters, returned as given by ``get_params()``, always
  including ``method`` -- ``"scale"`` (a fixed, data-independent scaling) or
  ``"standardize"`` (per-feature mean and SD of the training images);
* ``fit(images)`` learns from training images (n, height, width, 3) and returns
  self; ``transform(images)`` returns a C-contiguous float64 array
  (n, ``n_features_``); learned state ends in ``_`` (``input_shape_`` at least);
* ``state()`` returns the learned arrays by name (float arrays; what the model
  file stores as ``preprocessing_<name>``) and the class method
  ``from_state(params=..., input_shape=..., state=...)`` rebuilds a fitted step,
  validating every array (raising :class:`~probkit.errors.InputError`).

The registry maps each name to its class (``pixels`` from :mod:`probkit.classifier.data`,
``features`` from this package), imported like any other module: no import by string.

>>> rep = build_representation("pixels", method="standardize")
>>> rep
Preprocessor(method='standardize')
>>> representation_class("pixels").name
'pixels'
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

import numpy as np

from probkit._stored_arrays import (
    array_kind,
    json_array,
    problem,
    stored_json_object,
    stored_string,
    with_prefix,
)
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.features.representation import ImageFeatures
from probkit.errors import InputError
from probkit.options import REPRESENTATIONS as _NAMES

#: name -> class of every representation a model file may name
REGISTRY: dict[str, type] = {cls.name: cls for cls in (Preprocessor, ImageFeatures)}
assert tuple(REGISTRY) == _NAMES, "probkit.options.REPRESENTATIONS must list the registry"


class Representation(Protocol):
    """What the pipeline and the model file need from a feature step."""

    name: ClassVar[str]
    input_shape_: tuple[int, ...]

    def get_params(self) -> dict[str, Any]:
        """The hyperparameters, as given (JSON-ready)."""
        ...

    def fit(self, images: Any) -> Representation:
        """Learn from training images; return self."""
        ...

    def transform(self, images: Any) -> Any:
        """Features (n, n_features), float64."""
        ...

    def fit_transform(self, images: Any) -> Any:
        """``fit(images).transform(images)``."""
        ...

    @property
    def n_features_(self) -> int:
        """Number of features per image."""
        ...

    def state(self) -> dict[str, Any]:
        """The learned arrays by name (stored in model files)."""
        ...


def representation_class(name: str) -> Any:
    """The class registered under ``name``."""
    if name not in REGISTRY:
        raise InputError(f"unknown representation {name!r}; choose one of: "
                         f"{', '.join(REGISTRY)}", parameter="representation")
    return REGISTRY[name]


def build_representation(name: str = "pixels", **params: Any) -> Representation:
    """A new, unfitted representation by name with hyperparameters (``method`` etc.)."""
    cls = representation_class(name)
    try:
        rep: Representation = cls(**params)
    except TypeError as exc:  # an unknown keyword: name it as an input error
        raise InputError(f"representation {name!r}: {exc}", parameter="representation") from None
    return rep


def restore_representation(name: str, *, params: dict[str, Any], input_shape: tuple[int, ...],
                           state: dict[str, Any]) -> Representation:
    """A fitted representation rebuilt from what a model file stores."""
    rep: Representation = representation_class(name).from_state(
        params=params, input_shape=input_shape, state=state)
    return rep




# ---------------------------------------------------------------- in a model file

MAX_IMAGE_SIDE = 4096
"""Largest height or width a model may take as input."""

PIXEL_ARRAYS = ("preprocessing_mean", "preprocessing_scale")
"""The learned arrays of the default representation (required when it is pixels)."""


def representation_arrays(rep: Representation) -> dict[str, Any]:
    """The fitted ``rep`` as a model file stores it.

    ``preprocessing_method`` (``"scale"`` or ``"standardize"``), ``input_shape`` (height,
    width, channels), ``representation`` (its name here), ``representation_params`` (JSON of
    its ``get_params()``) and ``preprocessing_<name>``, its learned arrays (``state()``).
    """
    params = rep.get_params()
    return {
        "preprocessing_method": np.array(str(params.get("method", "scale"))),
        "input_shape": np.array(rep.input_shape_, dtype=np.int64),
        "representation": np.array(rep.name),
        "representation_params": json_array(params),
        **with_prefix("preprocessing_", rep.state(), dtype=np.float64),
    }


def required_arrays(arrays: dict[str, Any]) -> tuple[str, ...]:
    """The representation arrays a model file must hold (files from before ``representation``
    existed are pixels)."""
    pixels = "representation" not in arrays or str(arrays["representation"]) == "pixels"
    return ("preprocessing_method", "input_shape") + (PIXEL_ARRAYS if pixels else ())


def representation_from_arrays(arrays: dict[str, Any]) -> Representation:
    """The fitted representation a model file stores, every array checked."""
    shape = arrays["input_shape"]
    if shape.dtype.kind not in "iu" or shape.shape != (3,):
        raise problem("input_shape", "must be 3 integers (height, width, channels); "
                      f"got {array_kind(shape)}")
    height, width, channels = (int(d) for d in shape)
    if not (1 <= height <= MAX_IMAGE_SIDE and 1 <= width <= MAX_IMAGE_SIDE and channels == 3):
        raise problem("input_shape", f"{(height, width, channels)} is not "
                      f"(1..{MAX_IMAGE_SIDE}, 1..{MAX_IMAGE_SIDE}, 3)")
    method = stored_string(arrays, "preprocessing_method")
    name = "pixels"
    params: dict[str, Any] = {"method": method}
    if "representation" in arrays:
        name = stored_string(arrays, "representation")
    if "representation_params" in arrays:
        params = stored_json_object(arrays, "representation_params")
        if params.get("method") != method:
            raise problem("representation_params", f"method "
                          f"{str(params.get('method'))[:40]!r} differs from "
                          f"preprocessing_method {method[:40]!r}")
    state = {}
    for key in (k for k in arrays if k.startswith("preprocessing_")
                and k != "preprocessing_method"):
        value = arrays[key]
        if value.dtype.kind != "f" or value.ndim not in (1, 2):
            raise problem(key, f"must be a float vector or matrix; got {array_kind(value)}")
        state[key[len("preprocessing_"):]] = value
    return restore_representation(name, params=params, input_shape=(height, width, channels),
                                  state=state)


__all__ = ["MAX_IMAGE_SIDE", "REGISTRY", "Representation", "build_representation",
           "representation_arrays", "representation_class", "representation_from_arrays",
           "required_arrays", "restore_representation"]
