"""The features of :mod:`probkit.classifier.features` as one step of the classifier pipeline.

:class:`ImageFeatures` follows the contract of :mod:`probkit.classifier.features.registry`
(registered there as ``"features"``): its hyperparameters are the short text
form of :func:`probkit.classifier.features.parse_features` (``features``) and ``method``
(``"scale"``: the features as they are; ``"standardize"``: each feature centred
and scaled by the training images' mean and SD). Its learned arrays are what
the model file stores as ``preprocessing_<name>`` (names with ``/`` between
levels); a histogram has none.

>>> import numpy as np
>>> images = np.random.default_rng(0).integers(0, 256, (4, 16, 16, 3), dtype=np.uint8)
>>> rep = ImageFeatures(features="hsv:4x2x2", method="standardize").fit(images)
>>> rep.n_features_, rep.label, sorted(rep.state())
(16, 'hsv-hist 4x2x2 std', ['mean', 'scale'])
>>> again = ImageFeatures.from_state(params=rep.get_params(), input_shape=(16, 16, 3),
...                                  state=rep.state())
>>> bool(np.array_equal(again.transform(images), rep.transform(images)))
True
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint, Estimator, one_of
from probkit.classifier.features import FeatureTransformer, Standardize, from_state, parse_features
from probkit.errors import InputError
from probkit.options import PREPROCESSING, check_choice


def _feature_text(value: Any) -> str | None:
    """Text that :func:`probkit.classifier.features.parse_features` reads."""
    try:
        parse_features(value)
    except InputError as exc:
        return f"text such as 'hsv:8x4x4' or 'std(hog)' ({exc})"
    return None


#: the largest image side :func:`smallest_side` tries
LARGEST_SIDE = 1024


def smallest_side(transformer: FeatureTransformer) -> int | None:
    """The smallest n such that ``transformer`` reads n×n colour images (``None`` above
    :data:`LARGEST_SIDE`).

    >>> smallest_side(parse_features("lbp")), smallest_side(parse_features("hog"))
    (7, 16)
    """
    for side in range(1, LARGEST_SIDE + 1):
        try:
            transformer._n_features((side, side, 3))
        except InputError:
            continue
        return side
    return None


def _check_image_size(text: str, transformer: FeatureTransformer, images: Any) -> None:
    """Refuse, naming ``features`` and what to do, images too small for ``transformer``."""
    shape = np.shape(images)
    if len(shape) != 4:
        return  # not images: the transformer's own validation says so
    try:
        transformer._n_features((int(shape[1]), int(shape[2]), int(shape[3])))
    except InputError as exc:
        side = smallest_side(transformer)
        larger = "" if side is None else f", or images of at least {side}x{side} pixels"
        raise InputError(f"`features` {text!r} cannot read images of {shape[1]}x{shape[2]} "
                         f"pixels ({exc}); use `features` 'pixels'{larger}",
                         parameter="features") from exc


class ImageFeatures(Estimator):
    """A :mod:`~probkit.classifier.features` transformer, optionally standardized, as a step.

    An estimator like the transformers themselves (``get_params``, ``set_params``,
    ``clone``, validation in ``fit``, :class:`~probkit.errors.NotFittedError`); its
    parameters are exactly what a model file stores, and it takes images (n, height,
    width, 3), not flattened rows.

    Parameters
    ----------
    features : str, default "hsv:8x4x4"
        See :func:`probkit.classifier.features.parse_features`.
    method : {"scale", "standardize"}, default "scale"

    Attributes
    ----------
    transformer_ : FeatureTransformer
        The fitted transformer.
    input_shape_ : tuple of int
    """

    name: ClassVar[str] = "features"
    _constraints: ClassVar[dict[str, Constraint]] = {
        "features": _feature_text,
        "method": one_of(*PREPROCESSING),
    }

    def __init__(self, *, features: str = "hsv:8x4x4", method: str = "scale") -> None:
        self.features = features
        self.method = method

    def __sklearn_tags__(self) -> Any:
        """A transformer of 4-D images (so not of scikit-learn's 2-D arrays)."""
        from sklearn.utils import TransformerTags

        tags = self._sklearn_tags(None)
        tags.transformer_tags = TransformerTags(preserves_dtype=["float64"])
        tags.input_tags.two_d_array = False
        return tags

    def _build(self) -> FeatureTransformer:
        check_choice(self.method, PREPROCESSING, parameter="preprocessing")
        inner = parse_features(self.features)
        return Standardize(features=inner) if self.method == "standardize" else inner

    @property
    def label(self) -> str:
        """E.g. ``hsv-hist 8x4x4 std``."""
        inner = parse_features(self.features).label
        return f"{inner} std" if self.method == "standardize" else inner

    def fit(self, images: Any, y: Any = None) -> ImageFeatures:
        """Fit on training images only; returns self."""
        # a bad method first, as the command line's --preprocessing (what it is there)
        check_choice(self.method, PREPROCESSING, parameter="preprocessing")
        self._validate_hyperparameters()
        transformer = self._build()
        _check_image_size(self.features, transformer, images)
        self.transformer_ = transformer.fit(images)
        self.input_shape_ = self.transformer_.input_shape_
        return self

    def transform(self, images: Any) -> NDArray[np.float64]:
        """Features (n, n_features_), float64."""
        self.check_fitted("transformer_")
        return self.transformer_.transform(images)

    def fit_transform(self, images: Any, y: Any = None) -> NDArray[np.float64]:
        """``fit(images).transform(images)``."""
        return self.fit(images).transform(images)

    @property
    def n_features_(self) -> int:
        """Number of features per image."""
        self.check_fitted("transformer_")
        return int(self.transformer_.n_features_out_)

    def state(self) -> dict[str, NDArray[np.float64]]:
        """Learned arrays by name (``/`` separates the levels of nested transformers)."""
        self.check_fitted("transformer_")
        _, arrays = self.transformer_.to_state()
        return {key.replace(".", "/"): value for key, value in arrays.items()}

    @classmethod
    def from_state(cls, *, params: dict[str, Any], input_shape: tuple[int, ...],
                   state: dict[str, Any]) -> ImageFeatures:
        """Rebuild a fitted step from :meth:`get_params`, the input shape and :meth:`state`."""
        unknown = sorted(set(params) - {"features", "method"})
        if unknown:
            raise InputError(f"features representation: unknown parameter(s) {unknown}")
        rep = cls(features=str(params.get("features", "")),
                  method=str(params.get("method", "scale")))
        spec = {**rep._build().spec(), "input_shape": [int(d) for d in input_shape]}
        arrays = {key.replace("/", "."): np.asarray(value) for key, value in state.items()}
        rep.transformer_ = from_state(spec, arrays)
        rep.input_shape_ = rep.transformer_.input_shape_
        return rep


__all__ = ["ImageFeatures"]
