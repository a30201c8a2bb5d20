"""What every feature transformer shares: the estimator contract, input checks, the fitted
input shape, and a plain-array state for model files (no pickles).

A transformer turns images ``(n, height, width, 3)`` (uint8 0-255, or floats in
[0, 255]) into a float64 matrix ``(n, n_features)``. ``fit`` looks only at the
training images it is given and records their shape; ``transform`` refuses images
of another size.

Every transformer is a scikit-learn estimator (:class:`probkit._estimator.Estimator`):
keyword-only hyperparameters validated in ``fit`` from one ``_constraints`` table,
``get_params(deep=True)`` / ``set_params`` with nested names (``features__bins``,
``parts__0__bins``), ``clone``, :class:`~probkit.errors.NotFittedError` before ``fit``
and ``__sklearn_tags__``. With ``image_shape=(height, width, 3)`` it also takes each
image flattened to one row of ``height * width * 3`` values (row by row, channels
last, as ``images.reshape(n, -1)`` gives), so it can be a step of a scikit-learn
``Pipeline`` on 2-D data:

>>> from probkit.classifier.features import ColourHistogram
>>> images = np.zeros((2, 4, 4, 3), dtype=np.uint8); images[1] = 255
>>> rows = images.reshape(2, -1)  # (2, 48): one row per image
>>> hist = ColourHistogram(space="rgb", bins=(2, 1, 1), image_shape=(4, 4, 3))
>>> hist.fit_transform(rows).tolist()  # black, then white
[[1.0, 0.0], [0.0, 1.0]]
>>> hist.transform(rows[:, :47])
Traceback (most recent call last):
...
probkit.errors.DataError: X has 47 feature(s) per row, but ColourHistogram is expecting 48 \
features as input: image_shape=(4, 4, 3) makes rows of 4*4*3 = 48 pixel values

:meth:`FeatureTransformer.to_state` gives a JSON-ready ``spec`` (the class name and
hyperparameters) plus a dict of numeric arrays (learned state), and
:func:`probkit.classifier.features.from_state` rebuilds the fitted transformer.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint, Estimator
from probkit.classifier.features.cache import active_cache
from probkit.errors import DataError, InputError, NonNumericError

Array = NDArray[np.float64]


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def integer_in(low: int, high: int) -> Constraint:
    """A constraint: an integer in [low, high].

    >>> integer_in(1, 180)(0)
    'an integer in [1, 180]'
    """

    def check(value: Any) -> str | None:
        if _is_int(value) and low <= value <= high:
            return None
        return f"an integer in [{low}, {high}]"

    return check


def image_shape_constraint(value: Any) -> str | None:
    """``None`` (4-D images only) or ``(height, width, 3)`` with integers >= 1."""
    if value is None:
        return None
    if (isinstance(value, tuple | list) and len(value) == 3 and all(map(_is_int, value))
            and value[0] >= 1 and value[1] >= 1 and value[2] == 3):
        return None
    return "None or (height, width, 3) with height and width integers >= 1"


def _numeric(X: Any, what: str) -> NDArray[Any]:
    """``X`` as a real-valued numpy array; sparse, complex and non-numbers refused by name."""
    if hasattr(X, "toarray") and hasattr(X, "nnz"):
        raise DataError(f"{what} is a sparse matrix ({type(X).__name__}); the feature "
                        f"transformers need dense pixel values: pass {what}.toarray()")
    array = np.asarray(X)
    if array.dtype.kind == "c":
        raise DataError(f"Complex data not supported: {what} hold complex numbers")
    if array.dtype.kind == "O":  # e.g. a list of lists of Python numbers of mixed types
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise NonNumericError(f"{what} must hold numbers: {exc}") from None
    if array.dtype.kind not in "biuf":
        raise DataError(f"{what} must be real numbers; got dtype {array.dtype}")
    return array


def as_images(images: Any, *, what: str = "images", owner: str = "") -> NDArray[Any]:
    """Check ``images`` is a real-valued (n, height, width, 3) array in [0, 255].

    >>> as_images(np.zeros((1, 2, 2, 3), dtype=np.uint8)).shape
    (1, 2, 2, 3)
    >>> as_images(np.zeros((2, 2, 3)))
    Traceback (most recent call last):
    ...
    probkit.errors.DataError: images must have shape (n, height, width, 3); got (2, 2, 3)
    """
    array = _numeric(images, what)
    if array.ndim != 4 or array.shape[-1] != 3:
        raise DataError(f"{what} must have shape (n, height, width, 3); got {array.shape}")
    _check_pixel_values(array, what, owner)
    return array


def _check_pixel_values(array: NDArray[Any], what: str, owner: str = "") -> None:
    """Refuse NaN, infinities and values outside [0, 255], naming them."""
    if not array.size or array.dtype == np.uint8:
        return
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise DataError(f"{what} hold NaN or infinite values")
    low, high = array.min(), array.max()
    if low < 0 or high > 255:
        negative = f"Negative values in data passed to {owner}: " if low < 0 and owner else ""
        raise DataError(f"{negative}{what} must lie in [0, 255]; got values from {low:g} to "
                        f"{high:g}")


class FeatureTransformer(Estimator):
    """Base class: hyperparameters keyword-only and stored as given, learned state ending in ``_``.

    Subclasses set ``name`` (the model-file tag) and ``_constraints`` (their
    hyperparameters, ``image_shape`` last) and implement :meth:`_n_features` and
    :meth:`_transform` (and :meth:`_fit` if they learn statistics).

    Attributes (after ``fit``)
    --------------------------
    input_shape_ : tuple of int
        (height, width, 3) of the training images.
    n_features_in_ : int
        Pixel values per image, ``height * width * 3`` (the row length of 2-D input).
    n_features_out_ : int
        Features per image.
    """

    name: ClassVar[str] = ""
    #: True when each image's features depend on that image alone (then a search caches
    #: them: :mod:`probkit.classifier.features.cache`)
    per_image: ClassVar[bool] = False
    image_shape: tuple[int, int, int] | None

    # -- to implement ---------------------------------------------------------------
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

    def _nested(self) -> list[FeatureTransformer]:
        """The transformers this one holds as hyperparameters (none by default)."""
        return []

    # -- the estimator contract -----------------------------------------------------
    def _validate_hyperparameters(self) -> None:
        """Check this transformer's hyperparameters against ``_constraints``, then those of
        the transformers it holds; raise :class:`~probkit.errors.InputError` naming the
        first bad one."""
        super()._validate_hyperparameters()
        for part in self._nested():
            part._validate_hyperparameters()

    def __repr__(self) -> str:
        params = self.get_params(deep=False)
        if params.get("image_shape", ()) is None:
            del params["image_shape"]
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in params.items())})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.get_params() == other.get_params()

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self)))

    def __sklearn_tags__(self) -> Any:
        """A transformer of dense, finite, non-negative pixel values; it takes 2-D rows
        only when ``image_shape`` is given (scikit-learn is imported only when it asks)."""
        from sklearn.utils import TransformerTags

        tags = self._sklearn_tags(None)
        tags.transformer_tags = TransformerTags(preserves_dtype=["float64"])
        tags.input_tags.two_d_array = self.image_shape is not None
        tags.input_tags.positive_only = True
        return tags

    # -- shared ---------------------------------------------------------------------
    @property
    def label(self) -> str:
        """A short name for tables, e.g. ``hsv-hist 8x4x4``."""
        return repr(self)

    def _images(self, X: Any) -> NDArray[Any]:
        """``X`` as checked images (n, height, width, 3): 4-D images as they are, or, with
        ``image_shape``, 2-D rows reshaped."""
        shape, owner = self.image_shape, type(self).__name__
        if shape is None:
            array = _numeric(X, "images")
            if array.ndim == 2:
                raise DataError(
                    f"{owner} takes images (n, height, width, 3); got a 2-D array "
                    f"{array.shape}: for flattened images (one row per image) set "
                    "image_shape=(height, width, 3)", parameter="image_shape")
            return as_images(array, owner=owner)
        h, w, c = (int(d) for d in shape)
        array = _numeric(X, "X")
        if array.ndim == 4:
            if tuple(array.shape[1:]) != (h, w, c):
                raise DataError(f"images have shape {array.shape[1:]} but image_shape is "
                                f"{tuple(shape)}", parameter="image_shape")
            return as_images(array, what="X", owner=owner)
        if array.ndim != 2:
            raise DataError(f"X must be 2-D rows (n, {h}*{w}*{c}) or images (n, {h}, {w}, {c});"
                            f" got shape {array.shape}. Reshape your data: X.reshape(1, -1) "
                            "if it is one image")
        if array.shape[1] == 0:
            raise DataError(f"X has 0 feature(s) (shape={array.shape}) while a minimum of "
                            f"{h * w * c} is required.")
        _check_pixel_values(array, "X", owner)
        if array.shape[1] != h * w * c:
            raise DataError(
                f"X has {array.shape[1]} feature(s) per row, but {owner} is expecting "
                f"{h * w * c} features as input: image_shape={tuple(shape)} makes rows of "
                f"{h}*{w}*{c} = {h * w * c} pixel values", parameter="image_shape")
        return array.reshape(array.shape[0], h, w, c)

    def fit(self, images: Any, y: Any = None) -> FeatureTransformer:
        """Learn from training images only (their shape, and any statistics); returns self.

        Parameters
        ----------
        images : array of shape (n, height, width, 3), or (n, height * width * 3) with
            ``image_shape``
            Pixel values in [0, 255].
        y : ignored
        """
        self._validate_hyperparameters()
        array = self._images(images)
        if array.shape[0] < 1:
            raise DataError(f"cannot fit {type(self).__name__} on zero images "
                            f"(shape={array.shape})")
        shape = (int(array.shape[1]), int(array.shape[2]), int(array.shape[3]))
        self._n_features(shape)  # raises if the images are too small for the parameters
        self._fit(array)
        self.input_shape_ = shape
        self.n_features_in_ = shape[0] * shape[1] * shape[2]
        self.n_features_out_ = self._n_features(shape)
        return self

    def transform(self, images: Any) -> Array:
        """Features of ``images`` (as for :meth:`fit`): float64 array (n, n_features_out_)."""
        self.check_fitted("input_shape_")
        array = self._images(images)
        if tuple(array.shape[1:]) != self.input_shape_:
            h, w, c = array.shape[1:]
            th, tw, tc = self.input_shape_
            raise DataError(
                f"images are {h}x{w}x{c} but the features were fitted on {th}x{tw}x{tc} images"
            )
        cache = active_cache() if self.per_image else None
        out = (self._transform(array) if cache is None
               else cache.rows_of(repr(self), array, self._transform))
        return np.ascontiguousarray(out, dtype=np.float64)

    def fit_transform(self, images: Any, y: Any = None) -> Array:
        """``fit(images).transform(images)``."""
        return self.fit(images).transform(images)

    def spec(self) -> dict[str, Any]:
        """JSON-ready ``{"name": ..., "params": {...}}`` (nested transformers as specs;
        ``image_shape`` only when given, so specs written before it existed are unchanged)."""
        params = self.get_params(deep=False)
        if params.get("image_shape", ()) is None:
            del params["image_shape"]
        return {"name": self.name, "params": _jsonable(params)}

    def _set_fitted_shape(self, shape: tuple[int, int, int]) -> None:
        """Mark this transformer fitted for ``shape`` (composites: fitted copies of the
        transformers they hold): used by :func:`probkit.classifier.features.from_state` before the
        learned arrays are restored."""
        self.input_shape_ = shape
        self.n_features_in_ = shape[0] * shape[1] * shape[2]
        self.n_features_out_ = self._n_features(shape)

    def to_state(self) -> tuple[dict[str, Any], dict[str, Array]]:
        """(spec, arrays): JSON-ready ``{"name", "params", "input_shape"}`` and learned arrays."""
        self.check_fitted("input_shape_")
        spec = {**self.spec(), "input_shape": list(self.input_shape_)}
        return spec, self._arrays()


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, FeatureTransformer):
        return value.spec()
    if isinstance(value, np.integer):
        return int(value)
    return value


def transformer_constraint(value: Any) -> str | None:
    """A feature transformer (what :class:`Standardize` and :class:`SquareRoot` hold)."""
    return None if isinstance(value, FeatureTransformer) else "a feature transformer"


class Wrapper(FeatureTransformer):
    """A transformer that holds one other (``features``), fits a clone of it
    (``features_``) and transforms its output; the inner learned arrays are stored
    under ``inner.``. Subclasses implement :meth:`_fit_output` (learn from the inner
    features), :meth:`_transform_output` and the label; :meth:`_refuse` may reject
    some inner transformers."""

    _constraints: ClassVar[dict[str, Constraint]] = {
        "features": transformer_constraint,
        "image_shape": image_shape_constraint,
    }

    def __init__(self, *, features: FeatureTransformer | None = None,
                 image_shape: tuple[int, int, int] | None = None) -> None:
        self.features = features
        self.image_shape = image_shape

    def _refuse(self, features: FeatureTransformer) -> None:
        """Raise :class:`InputError` if ``features`` cannot be wrapped (all can by default)."""

    def _inner(self) -> FeatureTransformer:
        features = self.features
        if not isinstance(features, FeatureTransformer):
            raise InputError(f"{type(self).__name__}: features={features!r} is invalid; it must "
                             f"be {transformer_constraint(features)}", parameter="features")
        self._refuse(features)
        return features

    def _validate_hyperparameters(self) -> None:
        super()._validate_hyperparameters()
        self._inner()

    def _nested(self) -> list[FeatureTransformer]:
        return [self.features] if isinstance(self.features, FeatureTransformer) else []

    def _n_features(self, shape: tuple[int, int, int]) -> int:
        return self._inner()._n_features(shape)

    def _fit(self, images: NDArray[Any]) -> None:
        self.features_ = self._inner().clone()
        self._fit_output(self.features_.fit_transform(images))

    def _transform(self, images: NDArray[Any]) -> Array:
        return self._transform_output(self.features_.transform(images))

    def _fit_output(self, x: Array) -> None:
        """Learn from the inner features of the training images (nothing by default)."""

    def _transform_output(self, x: Array) -> Array:
        raise NotImplementedError

    def _set_fitted_shape(self, shape: tuple[int, int, int]) -> None:
        self.features_ = self._inner().clone()
        self.features_._set_fitted_shape(shape)
        super()._set_fitted_shape(shape)

    def _own_arrays(self) -> dict[str, Array]:
        """This transformer's own learned arrays (none by default)."""
        return {}

    def _arrays(self) -> dict[str, Array]:
        _, inner = self.features_.to_state()
        return {**self._own_arrays(), **{f"inner.{k}": v for k, v in inner.items()}}

    def _restore_arrays(self, arrays: dict[str, NDArray[Any]]) -> None:
        self._restore_own_arrays(arrays)
        self.features_._restore_arrays({k[len("inner."):]: v for k, v in arrays.items()
                                        if k.startswith("inner.")})

    def _restore_own_arrays(self, arrays: dict[str, NDArray[Any]]) -> None:
        """Set this transformer's own learned arrays from a model file (none by default)."""


__all__ = ["Array", "FeatureTransformer", "Wrapper", "as_images", "image_shape_constraint",
           "integer_in", "transformer_constraint"]
