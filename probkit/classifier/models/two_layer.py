"""A two-layer neural network (one hidden layer), from scratch.

.. math::

    Z_1 = X W_1^\\top + b_1, \\quad A_1 = g(Z_1), \\quad
    z_2 = A_1 W_2^\\top + b_2, \\quad a = \\sigma(z_2)

with ``g`` = ReLU or tanh, ``W1`` (hidden, n_features), ``b1`` (hidden,),
``W2`` (1, hidden), ``b2`` (1,). Cost: cross-entropy plus
:math:`\\frac{\\lambda}{2m}(\\lVert W_1\\rVert_F^2 + \\lVert W_2\\rVert_F^2)`.
The classic recipe: 7 ReLU units, weights ~ N(0, 0.01²), zero biases,
2500 steps of gradient descent with learning rate 0.0075.

Examples
--------
>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> y = np.array([0, 1, 1, 0])  # XOR: no linear model can fit it
>>> net = TwoLayerNet(hidden=8, activation="tanh", solver="lbfgs", init_scale=1.0,
...                   max_iter=500, random_state=3).fit(X, y)
>>> net.predict(X).tolist()
[0, 1, 1, 0]
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit.classifier.models import _validation as v
from probkit.classifier.models.activations import HIDDEN_ACTIVATIONS
from probkit.classifier.models.base import BinaryModel, Cache
from probkit.classifier.models.layers import dense_backward, dense_forward
from probkit.options import GD_PATHS, PRECISIONS, SOLVERS

Array = NDArray[np.float64]
Params = dict[str, Array]


class TwoLayerNet(BinaryModel):
    """Input -> ``hidden`` ReLU/tanh units -> one sigmoid output, with L2 regularization.

    Parameters
    ----------
    hidden : int, default 7
        Number of hidden units.
    activation : {"relu", "tanh"}, default "relu"
    l2 : float, default 0.0
        λ in :math:`\\frac{\\lambda}{2m}(\\lVert W_1\\rVert^2 + \\lVert W_2\\rVert^2)`.
    solver : {"gd", "lbfgs"}, default "gd"
    learning_rate : float, default 0.0075
    max_iter : int, default 2500
    init_scale : float, default 0.01
        Weights start as ``init_scale * N(0, 1)``; biases start at 0.
    random_state : int or None, default 0
        Seed of the ``numpy.random.Generator`` drawing the starting weights.
    tol : float, default 1e-6
        As in :class:`~probkit.classifier.models.LogisticRegression`.
    gd_path : {"auto", "primal", "dual"}, default "auto"
        As in :class:`~probkit.classifier.models.LogisticRegression`.
    precision : {"float64", "float32"}, default "float64"
        As in :class:`~probkit.classifier.models.LogisticRegression`.

    Attributes
    ----------
    params_ : dict
        ``{"W1", "b1", "W2", "b2"}``.
    cost_history_, n_iter_, converged_, diverged_, training_path_
        As in :class:`~probkit.classifier.models.LogisticRegression`.
    """

    _constraints: ClassVar[dict[str, v.Constraint]] = {
        "hidden": v.positive_int,
        "activation": v.one_of(*HIDDEN_ACTIVATIONS),
        "l2": v.nonnegative_real,
        "solver": v.one_of(*SOLVERS),
        "learning_rate": v.positive_real,
        "max_iter": v.nonnegative_int,
        "init_scale": v.nonnegative_real,
        "random_state": v.seed,
        "tol": v.nonnegative_real,
        "gd_path": v.one_of(*GD_PATHS),
        "precision": v.one_of(*PRECISIONS),
    }
    _first_layer: ClassVar[tuple[str, str]] = ("W1", "b1")
    _weights: ClassVar[tuple[str, ...]] = ("W1", "W2")
    model_type: ClassVar[str] = "two-layer"

    def __init__(
        self,
        *,
        hidden: int = 7,
        activation: str = "relu",
        l2: float = 0.0,
        solver: str = "gd",
        learning_rate: float = 0.0075,
        max_iter: int = 2500,
        init_scale: float = 0.01,
        random_state: int | None = 0,
        tol: float = 1e-6,
        gd_path: str = "auto",
        precision: str = "float64",
    ) -> None:
        self.hidden = hidden
        self.activation = activation
        self.l2 = l2
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.init_scale = init_scale
        self.random_state = random_state
        self.tol = tol
        self.gd_path = gd_path
        self.precision = precision

    def init_params(self, n_features: int, rng: np.random.Generator) -> Params:
        """``W1 ~ init_scale·N(0,1)`` (hidden, n_features), ``b1 = 0``, ``W2 ~ init_scale·N(0,1)``
        (1, hidden), ``b2 = 0``; W1 is drawn first, then W2."""
        h = int(self.hidden)
        scale = float(self.init_scale)
        W1 = rng.standard_normal((h, n_features)) * scale
        W2 = rng.standard_normal((1, h)) * scale
        return {"W1": W1, "b1": np.zeros(h), "W2": W2, "b2": np.zeros(1)}

    # Each backward step below is a step of `probkit derive two-layer`, which derives
    # dJ/dW2, dJ/db2, dJ/dZ1 (through g') and dJ/dW1 symbolically and checks every step.
    def _upper_forward(self, params: Params, z1: Array) -> tuple[Array, Cache]:
        g = HIDDEN_ACTIVATIONS[self.activation]
        # forward: A1 = g(Z1); z2 = A1 W2ᵀ + b2 (the output unit: one dense layer)
        a1 = g.forward(z1)
        z2 = dense_forward(a1, params["W2"][0], params["b2"][0])
        return z2, {"z1": z1, "a1": a1}

    def _upper_backward(self, params: Params, cache: Cache, dz: Array) -> tuple[Array, Params]:
        g = HIDDEN_ACTIVATIONS[self.activation]
        z1, a1 = cache["z1"], cache["a1"]
        # backward through z2 = A1 W2ᵀ + b2
        da1, dw2, db2 = dense_backward(dz, a1, params["W2"][0])
        assert da1 is not None
        # backward through A1 = g(Z1)
        dz1 = da1 * g.local_gradient(z1, a1)
        return dz1, {"W2": dw2[None, :], "b2": np.array([db2])}


__all__ = ["TwoLayerNet"]
