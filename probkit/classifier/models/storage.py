"""A fitted model as plain arrays, and back: the model's part of a model file.

====================  ===============================================
array                 meaning
====================  ===============================================
``model_type``        ``"logistic"`` or ``"two-layer"``
``hyperparameters``   JSON object of the model's ``get_params()``
``param_<name>``      one float64 array per model parameter
``cost_history``      training cost per iterate
====================  ===============================================

Reading checks every array (type, shape against the hyperparameters and the number of
features, range) and raises :class:`~probkit.errors.InputError` naming the array.

>>> import numpy as np
>>> from probkit.classifier.models import LogisticRegression
>>> X, y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1])
>>> model = LogisticRegression(max_iter=5).fit(X, y)
>>> sorted(model_arrays(model))
['cost_history', 'hyperparameters', 'model_type', 'param_W', 'param_b']
>>> again = model_from_arrays(model_arrays(model), n_features=2)
>>> bool(np.array_equal(again.decision_function(X), model.decision_function(X)))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from probkit._stored_arrays import (
    Arrays,
    array_kind,
    json_array,
    prefixed,
    problem,
    stored_floats,
    stored_json_object,
    stored_string,
)
from probkit.classifier.models.base import BinaryModel
from probkit.classifier.models.registry import MODEL_TYPES, build_estimator
from probkit.errors import InputError

MAX_ABS_PARAMETER = 1e10
"""Largest magnitude of a stored weight or bias: beyond it a fit has run away (logits of
real images would overflow), so the file is refused instead of giving inf or nan."""

REQUIRED = ("model_type", "hyperparameters", "cost_history")
"""The model's arrays every model file holds (besides ``param_*``)."""


def model_arrays(estimator: BinaryModel) -> dict[str, Any]:
    """The fitted ``estimator`` as the arrays of the table above."""
    if not hasattr(estimator, "params_"):
        raise InputError("the model has not been fitted")
    arrays: dict[str, Any] = {
        "model_type": np.array(estimator.model_type),
        "hyperparameters": json_array(estimator.get_params()),
        "cost_history": np.asarray(estimator.cost_history_, dtype=np.float64),
    }
    for name, value in estimator.params_.items():
        arrays[f"param_{name}"] = np.asarray(value, dtype=np.float64)
    return arrays


def _hyperparameters(arrays: Arrays) -> dict[str, Any]:
    hyper = stored_json_object(arrays, "hyperparameters")
    for name, value in hyper.items():
        if isinstance(value, dict | list) or (isinstance(value, str) and len(value) > 100):
            raise problem("hyperparameters", f"{name[:40]!r} must be a number or a short string")
    return hyper


def _parameters(arrays: Arrays) -> dict[str, np.ndarray]:
    params: dict[str, np.ndarray] = {}
    for name, value in sorted(prefixed(arrays, "param_").items()):
        key = f"param_{name}"
        if value.dtype.kind != "f" or value.ndim not in (1, 2) or value.size == 0:
            raise problem(key, f"must be a non-empty float vector or matrix; got "
                          f"{array_kind(value)}")
        if not np.all(np.isfinite(value)):
            raise problem(key, "contains nan or inf")
        if np.any(np.abs(value) > MAX_ABS_PARAMETER):
            raise problem(key, f"holds values beyond ±{MAX_ABS_PARAMETER:g} (a fit "
                          "that ran away)")
        params[name] = value
    if not params:
        raise InputError("lacks the model parameters (param_*)")
    return params


def model_from_arrays(arrays: Arrays, *, n_features: int) -> BinaryModel:
    """The fitted model stored in ``arrays`` for inputs of ``n_features`` features, checked."""
    model_type = stored_string(arrays, "model_type")
    if model_type not in MODEL_TYPES:
        raise problem("model_type", f"{model_type[:40]!r} is an unknown model "
                      f"(expected {' or '.join(MODEL_TYPES)})")
    estimator = build_estimator(model_type, **_hyperparameters(arrays))
    estimator._validate_hyperparameters()
    params = _parameters(arrays)
    first, _ = estimator.first_layer
    weights = params.get(first)
    if weights is None or weights.ndim != 2:
        raise problem(f"param_{first}", "must be a float matrix (units, features)")
    units = int(getattr(estimator, "hidden", 1))
    if weights.shape != (units, n_features):
        raise problem(f"param_{first}", f"has shape {weights.shape}; the "
                      f"hyperparameters and input_shape need ({units}, {n_features})")
    history = stored_floats(arrays, "cost_history", (-1,), finite=False)
    estimator.restore(params, cost_history=history)
    return estimator


__all__ = ["MAX_ABS_PARAMETER", "REQUIRED", "model_arrays", "model_from_arrays"]
