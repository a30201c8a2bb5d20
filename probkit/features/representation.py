"""The features of :mod:`probkit.features` as one step of the classifier pipeline.

:class:`ImageFeatures` follows the contract of :mod:`probkit.data.representations`
(registered there as ``"features"``): its hyperparameters are the short text
form of :func:`probkit.features.parse_features` (``features``) and ``method``
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

from probkit.errors import InputError
from probkit.features import FeatureTransformer, Standardize, from_state, parse_features
from probkit.options import PREPROCESSING, check_choice


class ImageFeatures:
    """A :mod:`probkit.features` transformer, optionally standardized, as a pipeline step.

    Parameters
    ----------
    features : str, default "hsv:8x4x4"
        See :func:`probkit.features.parse_features`.
    method : {"scale", "standardize"}, default "scale"
    """

    name: ClassVar[str] = "features"

    def __init__(self, *, features: str = "hsv:8x4x4", method: str = "scale") -> None:
        self.features = features
        self.method = method

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters, as given."""
        return {"features": self.features, "method": self.method}

    def __repr__(self) -> str:
        return f"ImageFeatures(features={self.features!r}, method={self.method!r})"

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
        self.transformer_ = self._build().fit(images)
        self.input_shape_ = self.transformer_.input_shape_
        return self

    def transform(self, images: Any) -> NDArray[np.float64]:
        """Features (n, n_features_), float64."""
        if not hasattr(self, "transformer_"):
            raise InputError("this ImageFeatures is not fitted yet; call fit first")
        return self.transformer_.transform(images)

    def fit_transform(self, images: Any, y: Any = None) -> NDArray[np.float64]:
        """``fit(images).transform(images)``."""
        return self.fit(images).transform(images)

    @property
    def n_features_(self) -> int:
        """Number of features per image."""
        return int(self.transformer_.n_features_out_)

    def state(self) -> dict[str, NDArray[np.float64]]:
        """Learned arrays by name (``/`` separates the levels of nested transformers)."""
        if not hasattr(self, "transformer_"):
            raise InputError("this ImageFeatures is not fitted yet; call fit first")
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
