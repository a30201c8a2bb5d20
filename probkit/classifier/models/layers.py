r"""The layers both models are built from, each forward next to its local gradient.

Written once, used by :class:`~probkit.classifier.models.base.BinaryModel` (the first
layer and the L2 penalty of every weight matrix) and by
:class:`~probkit.classifier.models.two_layer.TwoLayerNet` (its output unit):

.. math::

    Z = X W^\top + b, \qquad
    \frac{\partial J}{\partial W} = dZ^\top X, \quad
    \frac{\partial J}{\partial b} = \textstyle\sum_i dZ_i, \quad
    \frac{\partial J}{\partial X} = dZ\, W;

    P = \frac{\lambda}{2m} \sum_W \lVert W \rVert_F^2, \qquad
    \frac{\partial P}{\partial W} = \frac{\lambda}{m} W .

Every step of these gradients is derived and machine-checked by
``probkit derive two-layer`` (the dense layers, the activation and the
cross-entropy; ``probkit derive vectorized`` for the logistic unit) and
``probkit derive l2`` (the penalty); :mod:`probkit.gradient_check.model_check` checks
this numpy code against finite differences and against those SymPy results.
The fast solver paths (:mod:`~.dual`, :mod:`~.primal`)
compute the same first-layer gradient in a Gram-matrix or blocked form.

>>> import numpy as np
>>> X, W, b = np.array([[1.0, 2.0]]), np.array([[0.5, -1.0]]), np.array([0.25])
>>> dense_forward(X, W, b).tolist()
[[-1.25]]
>>> dX, dW, db = dense_backward(np.array([[2.0]]), X, W)
>>> dX.tolist(), dW.tolist(), db.tolist()
([[1.0, -2.0]], [[2.0, 4.0]], [2.0])
>>> l2_penalty([W], 4.0, 2), l2_gradient(W, 4.0, 2).tolist()
(1.25, [[1.0, -2.0]])
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


# --- dense layer: Z = X Wᵀ + b (for one output unit, W and Z may be vectors: z = X w + b)
def dense_forward(X: Array, W: Array, b: Array | float) -> Array:
    """``X @ W.T + b``."""
    return X @ W.T + b


def dense_backward(dZ: Array, X: Array, W: Array, *, input_gradient: bool = True
                   ) -> tuple[Array | None, Array, Array]:
    """Given dJ/dZ, return (dJ/dX or None, dJ/dW, dJ/db) of :func:`dense_forward`."""
    dW = dZ.T @ X
    db = dZ.sum(axis=0)
    dX = None
    if input_gradient:
        dX = np.outer(dZ, W) if dZ.ndim == 1 else dZ @ W
    return dX, dW, db


# --- L2 penalty: P = λ/(2m) Σ‖W‖²; dP/dW = (λ/m) W (biases are not penalized)
def l2_penalty(weights: Iterable[Array], lam: float, m: int) -> float:
    """:math:`\\frac{\\lambda}{2m}\\sum_W \\lVert W\\rVert_F^2` (0 when λ = 0)."""
    if lam == 0.0:
        return 0.0
    return lam / (2.0 * m) * sum(float(np.vdot(W, W)) for W in weights)


def l2_gradient(W: Array, lam: float, m: int) -> Array:
    """:math:`\\frac{\\lambda}{m} W`."""
    return (lam / m) * W


__all__ = ["dense_backward", "dense_forward", "l2_gradient", "l2_penalty"]
