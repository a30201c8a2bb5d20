"""Logistic regression, from scratch.

.. math::

    z = W x + b, \\qquad P(y = 1 \\mid x) = \\sigma(z) = \\frac{1}{1 + e^{-z}}

with ``W`` of shape (1, n_features) and ``b`` of shape (1,), trained by
minimizing :math:`J = -\\frac1m \\sum [y \\log a + (1-y) \\log(1-a)] +
\\frac{\\lambda}{2m} \\lVert W \\rVert^2` (the bias is not penalized).
By default L-BFGS to the optimum; the classic course recipe is pixels / 255, zero
initialization, 2000 steps of gradient descent with learning rate 0.005
(``solver="gd"``).

Examples
--------
>>> import numpy as np
>>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
>>> y = np.array([0, 0, 1, 1])
>>> model = LogisticRegression(l2=1.0).fit(X, y)
>>> model.predict(X).tolist()
[0, 0, 1, 1]
>>> model.predict_proba(X).shape
(4, 2)
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit.classifier.models import _validation as v
from probkit.classifier.models.base import BinaryModel, Cache
from probkit.options import GD_PATHS, PRECISIONS, SOLVERS

Array = NDArray[np.float64]
Params = dict[str, Array]


class LogisticRegression(BinaryModel):
    """L2-regularized logistic regression trained by gradient descent or L-BFGS.

    Parameters
    ----------
    l2 : float, default 0.0
        The penalty λ in :math:`\\frac{\\lambda}{2m}\\lVert W\\rVert^2`; in scikit-learn's
        terms λ = 1/C: ``sklearn.linear_model.LogisticRegression(C=1/λ)`` minimizes the same
        cost times m/λ, so both find the same weights (tested in
        tests/classifier/test_sklearn_compat.py).
    solver : {"gd", "lbfgs"}, default "lbfgs"
        L-BFGS (``scipy.optimize.minimize``), or full-batch gradient descent (the course
        recipe: ``solver="gd", learning_rate=0.005, max_iter=2000``). Either one that stops
        before ``tol`` raises a :class:`~probkit.classifier.models.ConvergenceWarning`.
    learning_rate : float, default 0.005
        Gradient-descent step size (ignored by L-BFGS).
    max_iter : int, default 2000
        Gradient-descent steps, or the L-BFGS iteration limit.
    tol : float, default 1e-6
        Gradient descent stops early when ``‖∇J‖₂ <= tol``; L-BFGS when the
        largest gradient component is ``<= tol``.
    gd_path : {"auto", "primal", "dual"}, default "auto"
        How gradient descent is computed: ``"dual"`` carries the iterates in the
        span of the training samples (same iterates, far fewer FLOPs when there
        are more features than samples); ``"auto"`` picks it then.
    precision : {"float64", "float32"}, default "float64"
        Type of the primal path's two big matrix products (``X Wᵀ`` and
        ``dZ1ᵀ X``); float32 halves the memory traffic at a rounding cost near
        1e-7. The dual path and L-BFGS always compute in float64.
    random_state : int or None, default 0
        Seed (unused by the zero initialization; kept for a uniform interface).

    Attributes
    ----------
    params_ : dict
        ``{"W": (1, n_features), "b": (1,)}``.
    cost_history_ : ndarray
        The cost at each iterate, ``n_iter_ + 1`` values.
    n_iter_ : int
    converged_ : bool
    diverged_ : bool
    training_path_ : str
        ``"primal"``, ``"dual"`` or ``"lbfgs"``.
    """

    _constraints: ClassVar[dict[str, v.Constraint]] = {
        "l2": v.nonnegative_real,
        "solver": v.one_of(*SOLVERS),
        "learning_rate": v.positive_real,
        "max_iter": v.nonnegative_int,
        "tol": v.nonnegative_real,
        "gd_path": v.one_of(*GD_PATHS),
        "precision": v.one_of(*PRECISIONS),
        "random_state": v.seed,
    }
    _first_layer: ClassVar[tuple[str, str]] = ("W", "b")
    _weights: ClassVar[tuple[str, ...]] = ("W",)
    model_type: ClassVar[str] = "logistic"

    def __init__(
        self,
        *,
        l2: float = 0.0,
        solver: str = "lbfgs",
        learning_rate: float = 0.005,
        max_iter: int = 2000,
        tol: float = 1e-6,
        gd_path: str = "auto",
        precision: str = "float64",
        random_state: int | None = 0,
    ) -> None:
        self.l2 = l2
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.tol = tol
        self.gd_path = gd_path
        self.precision = precision
        self.random_state = random_state

    def init_params(self, n_features: int, rng: np.random.Generator) -> Params:
        """Zeros: ``{"W": zeros((1, n_features)), "b": zeros(1)}``."""
        return {"W": np.zeros((1, n_features)), "b": np.zeros(1)}

    # forward: z = Z1[:, 0] (the first layer already is the output unit)
    def _upper_forward(self, params: Params, z1: Array) -> tuple[Array, Cache]:
        return z1[:, 0], {}

    # backward: dJ/dZ1 = dJ/dz as a column
    def _upper_backward(self, params: Params, cache: Cache, dz: Array) -> tuple[Array, Params]:
        return dz[:, None], {}


__all__ = ["LogisticRegression"]
