"""What every feature transformer shares: input checks, the fitted input shape, and a
plain-array state for model files (no pickles).

A transformer turns images ``(n, height, width, 3)`` (uint8 0-255, or floats in
[0, 255]) into a float64 matrix ``(n, n_features)``. ``fit`` looks only at the
training images it is given and records their shape; ``transform`` refuses images
of another size. :meth:`FeatureTransformer.to_state` gives a JSON-ready ``spec``
(the class name and hyperparameters) plus a dict of numeric arrays (learned
state), and :func:`probkit.features.from_state` rebuilds the fitted transformer.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit.errors import DataError, InputError

Array = NDArray[np.float64]


def as_images(images: Any, *, what: str = "images") -> NDArray[Any]:
    """Check ``images`` is a real-valued (n, height, width, 3) array in [0, 255].

    >>> as_images(np.zeros((1, 2, 2, 3), dtype=np.uint8)).shape
    (1, 2, 2, 3)
    >>> as_images(np.zeros((2, 2, 3)))
    Traceback (most recent call last):
    ...
    probkit.errors.DataError: images must have shape (n, height, width, 3); got (2, 2, 3)
    """
    array = np.asarray(images)
    if array.ndim != 4 or array.shape[-1] != 3:
        raise DataError(f"{what} must have shape (n, height, width, 3); got {array.shape}")
    if array.dtype.kind not in "biuf":
        raise DataError(f"{what} must be real numbers; got dtype {array.dtype}")
    if array.dtype.kind == "f" and array.size:
        if not np.all(np.isfinite(array)):
            raise DataError(f"{what} hold NaN or infinite values")
        if array.min() < 0 or array.max() > 255:
            raise DataError(
                f"{what} must lie in [0, 255]; got values from {array.min():g} to {array.max():g}"
            )
    return array


class FeatureTransformer:
    """Base class: hyperparameters keyword-only and stored as given, learned state ending in ``_``.

    Subclasses set ``name`` (the model-file tag), ``_param_names`` and implement
    :meth:`_validate`, :meth:`_n_features` and :meth:`_transform`.
    """

    name: ClassVar[str] = ""
    _param_names: ClassVar[tuple[str, ...]] = ()

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters, as given."""
        return {k: getattr(self, k) for k in self._param_names}

    def set_params(self, **params: Any) -> FeatureTransformer:
        """Set hyperparameters by name; returns self."""
        for key, value in params.items():
            if key not in self._param_names:
                raise InputError(f"{type(self).__name__} has no parameter {key!r}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.get_params() == other.get_params()

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self)))

    # -- to implement ---------------------------------------------------------------
    def _validate(self) -> None:
        raise NotImplementedError

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        raise NotImplementedError

    def _transform(self, images: NDArray[Any]) -> Array:
        raise NotImplementedError

    def _fit(self, images: NDArray[Any]) -> None:
        """Learn state from training images (nothing by default)."""

    def _arrays(self) -> dict[str, Array]:
        """Learned arrays to store (none by default)."""
        return {}

    def _restore_arrays(self, arrays: dict[str, NDArray[Any]]) -> None:
        """Set learned arrays from a model file (none by default)."""

    # -- shared ---------------------------------------------------------------------
    @property
    def label(self) -> str:
        """A short name for tables, e.g. ``hsv-hist 8x4x4``."""
        return repr(self)

    def fit(self, images: Any, y: Any = None) -> FeatureTransformer:
        """Learn from training images only (their shape, and any statistics); returns self."""
        self._validate()
        array = as_images(images)
        if array.shape[0] < 1:
            raise DataError(f"cannot fit {type(self).__name__} on zero images")
        shape = (int(array.shape[1]), int(array.shape[2]), int(array.shape[3]))
        self._n_features(shape)  # raises if the images are too small for the parameters
        self.input_shape_ = shape
        self._fit(array)
        self.n_features_out_ = self._n_features(shape)
        return self

    def transform(self, images: Any) -> Array:
        """Features of ``images``: float64 array (n, n_features_out_)."""
        if not hasattr(self, "input_shape_"):
            raise InputError(f"this {type(self).__name__} is not fitted yet; call fit first")
        array = as_images(images)
        if tuple(array.shape[1:]) != self.input_shape_:
            h, w, c = array.shape[1:]
            th, tw, tc = self.input_shape_
            raise DataError(
                f"images are {h}x{w}x{c} but the features were fitted on {th}x{tw}x{tc} images"
            )
        out = self._transform(array)
        return np.ascontiguousarray(out, dtype=np.float64)

    def fit_transform(self, images: Any, y: Any = None) -> Array:
        """``fit(images).transform(images)``."""
        return self.fit(images).transform(images)

    def spec(self) -> dict[str, Any]:
        """JSON-ready ``{"name": ..., "params": {...}}`` (nested transformers as specs)."""
        return {"name": self.name, "params": _jsonable(self.get_params())}

    def _set_fitted_shape(self, shape: tuple[int, int, int]) -> None:
        """Mark this transformer (and any it holds) fitted for ``shape``: used by
        :func:`probkit.features.from_state` before the learned arrays are restored."""
        for value in self.get_params().values():
            for part in value if isinstance(value, tuple | list) else (value,):
                if isinstance(part, FeatureTransformer):
                    part._set_fitted_shape(shape)
        self.input_shape_ = shape
        self.n_features_out_ = self._n_features(shape)

    def to_state(self) -> tuple[dict[str, Any], dict[str, Array]]:
        """(spec, arrays): JSON-ready ``{"name", "params", "input_shape"}`` and learned arrays."""
        if not hasattr(self, "input_shape_"):
            raise InputError(f"cannot store an unfitted {type(self).__name__}")
        spec = {**self.spec(), "input_shape": list(self.input_shape_)}
        return spec, self._arrays()


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, FeatureTransformer):
        return value.spec()
    return value


def check_int(value: Any, name: str, owner: str, *, low: int = 1, high: int | None = None) -> int:
    """``value`` as an int in [low, high], else :class:`InputError` naming it.

    >>> check_int(3, "bins", "ColourHistogram")
    3
    >>> check_int(0, "bins", "ColourHistogram")
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: ColourHistogram: bins must be an integer >= 1; got 0
    """
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not ok or value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise InputError(f"{owner}: {name} must be an integer {bound}; got {value!r}")
    return int(value)


__all__ = ["Array", "FeatureTransformer", "as_images", "check_int"]
