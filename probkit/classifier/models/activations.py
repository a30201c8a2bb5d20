"""Activation functions, each forward operation next to its local gradient.

Every activation is a pair: ``forward(z)`` and ``local_gradient(z, a)``, the
derivative ``da/dz`` evaluated elementwise, given both the input ``z`` and the
output ``a = forward(z)`` (so each can use whichever is cheaper and stable).

.. math::

    \\operatorname{relu}(z) = \\max(0, z), \\qquad \\operatorname{relu}'(z) = [z > 0]

    \\tanh'(z) = 1 - \\tanh^2 z, \\qquad \\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))

ReLU and tanh are the hidden units of :class:`~probkit.classifier.models.TwoLayerNet`
(their gradients are the ``g'(Z1)`` step of ``probkit derive two-layer``);
:data:`SIGMOID` is the output unit of both models: the cross-entropy's local
gradient (:mod:`probkit.classifier.models.losses`) and ``predict_proba`` go through it,
and ``probkit derive sigmoid`` derives its derivative.

Examples
--------
>>> import numpy as np
>>> z = np.array([-2.0, 0.0, 3.0])
>>> RELU.forward(z)
array([0., 0., 3.])
>>> RELU.local_gradient(z, RELU.forward(z))
array([0., 0., 1.])
>>> float(SIGMOID.local_gradient(np.array(0.0), SIGMOID.forward(np.array(0.0))))
0.25
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Activation:
    """An elementwise nonlinearity with its derivative.

    Attributes
    ----------
    name : str
        The name used in hyperparameters and model files.
    forward : callable
        ``a = forward(z)``.
    local_gradient : callable
        ``local_gradient(z, a)`` returns ``da/dz`` elementwise.
    """

    name: str
    forward: Callable[[Array], Array]
    local_gradient: Callable[[Array, Array], Array]


# --- ReLU: a = max(0, z); da/dz = 1 where z > 0, else 0 (the subgradient 0 at z = 0).
def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_grad(z: Array, a: Array) -> Array:
    return (z > 0).astype(z.dtype)


# --- tanh: a = tanh z; da/dz = 1 - a².
def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_grad(z: Array, a: Array) -> Array:
    return 1.0 - a * a


# --- sigmoid: a = 1 / (1 + e^-z) (scipy's expit never overflows); da/dz = a (1 - a).
def _sigmoid(z: Array) -> Array:
    return np.asarray(expit(z), dtype=np.float64)


def _sigmoid_grad(z: Array, a: Array) -> Array:
    return a * (1.0 - a)


RELU = Activation("relu", _relu, _relu_grad)
TANH = Activation("tanh", _tanh, _tanh_grad)
SIGMOID = Activation("sigmoid", _sigmoid, _sigmoid_grad)

HIDDEN_ACTIVATIONS: dict[str, Activation] = {"relu": RELU, "tanh": TANH}

__all__ = ["HIDDEN_ACTIVATIONS", "RELU", "SIGMOID", "TANH", "Activation"]
