"""The one registry from model names to model classes, and building a model by name.

The names are :data:`probkit.options.MODELS` (what model files and ``--model``
say); the classes are the from-scratch estimators.

>>> sorted(MODEL_TYPES)
['logistic', 'two-layer']
>>> build_estimator("logistic", l2=0.5).l2
0.5
"""

from __future__ import annotations

from typing import Any

from probkit.classifier.models.base import BinaryModel
from probkit.classifier.models.logistic import LogisticRegression
from probkit.classifier.models.two_layer import TwoLayerNet
from probkit.errors import InputError
from probkit.options import MODELS

MODEL_TYPES: dict[str, type[BinaryModel]] = {
    LogisticRegression.model_type: LogisticRegression,
    TwoLayerNet.model_type: TwoLayerNet,
}
assert tuple(MODEL_TYPES) == MODELS, "probkit.options.MODELS must list the registry's names"


def build_estimator(model: str, **hyperparameters: Any) -> BinaryModel:
    """A new model by type name (``"logistic"`` or ``"two-layer"``) with hyperparameters.

    >>> build_estimator("two-layer", hidden=3)
    TwoLayerNet(hidden=3, activation='relu', l2=0.0, solver='gd', learning_rate=0.0075, \
max_iter=2500, init_scale=0.01, random_state=0, tol=1e-06, gd_path='auto', \
precision='float64')
    """
    if model not in MODEL_TYPES:
        raise InputError(f"unknown model {model!r}; choose one of: {', '.join(MODEL_TYPES)}",
                         parameter="model")
    cls = MODEL_TYPES[model]
    unknown = sorted(set(hyperparameters) - set(cls._constraints))
    if unknown:
        raise InputError(f"model {model!r} has no hyperparameter(s) {', '.join(unknown)}",
                         parameter=unknown[0])
    return cls(**hyperparameters)


def average_of_logits(models: list[BinaryModel]) -> BinaryModel:
    r"""One model whose logit is the mean of several fitted models' logits (a seed average).

    For two-layer nets :math:`\frac1S\sum_s (W_2^{(s)} h^{(s)} + b_2^{(s)})` is a single
    net with the hidden layers stacked (``S·hidden`` units), the :math:`W_2` blocks
    divided by :math:`S` and the mean :math:`b_2`; for logistic regression (linear in
    its parameters) it is the model with the mean parameters. Either way the average
    is stored as one ordinary model.
    """
    import numpy as np

    if not models:
        raise InputError("average_of_logits needs at least one fitted model")
    first = models[0]
    if len(models) == 1:
        return first
    s = len(models)
    hyper = first.get_params()
    if isinstance(first, TwoLayerNet):
        params = {
            "W1": np.concatenate([e.params_["W1"] for e in models], axis=0),
            "b1": np.concatenate([e.params_["b1"] for e in models], axis=0),
            "W2": np.concatenate([e.params_["W2"] for e in models], axis=1) / s,
            "b2": np.mean([e.params_["b2"] for e in models], axis=0),
        }
        hyper["hidden"] = int(params["W1"].shape[0])
    else:
        params = {k: np.mean([e.params_[k] for e in models], axis=0) for k in first.params_}
    merged = type(first)(**hyper)
    for name, value in vars(first).items():
        if name.endswith("_") and not name.startswith("_"):
            setattr(merged, name, value)
    merged.params_ = params
    return merged


__all__ = ["MODEL_TYPES", "average_of_logits", "build_estimator"]
