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


__all__ = ["REGISTRY", "Representation", "build_representation", "representation_class",
           "restore_representation"]
