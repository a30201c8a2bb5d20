"""Gradient descent in the primal form, reading the input once per iteration.

A plain implementation reads ``X`` (m, n) twice per iteration: once for the
forward product ``Z1 = X Wᵀ`` and once for the gradient ``dW = dZ1ᵀ X``. The two
cannot share a pass within one iteration (``dZ1`` needs all of ``Z1``), but the
gradient of iteration ``t`` and the forward product of iteration ``t + 1`` can:
for each block ``B`` of feature columns, while ``X_B`` is in cache,

.. math::

    dW_B = dZ_1^\\top X_B + \\tfrac{\\lambda}{m} W_B, \\qquad
    W'_B = W_B - \\eta\\, dW_B, \\qquad
    Z'_1 \\mathrel{+}= X_B W_B'^\\top,

so ``X`` streams from memory once per iteration instead of twice. The iterates
are those of ordinary gradient descent (only the summation order of ``Z1``
differs, at the level of rounding).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from probkit.models.losses import cross_entropy_from_logits

if TYPE_CHECKING:
    from probkit.models.base import BinaryModel

Array = NDArray[np.float64]
Params = dict[str, Array]

#: target size of one block of X in bytes (about a core's L2; bigger blocks: fewer Python calls)
BLOCK_BYTES = 1024 * 1024


class BlockedPrimalState:
    """Gradient-descent state holding the parameters, with one fused pass over X per step.

    Parameters
    ----------
    model : BinaryModel
    params : dict
        Starting parameters (copied).
    X : ndarray (m, n), y : ndarray (m,)
    learning_rate : float
        Needed up front: each pass also forms the next iterate's first layer.
    validation : (X_val, y_val) or (None, None)
    precision : {"float64", "float32"}
        Type of the two big products; the parameters and everything else stay
        float64 (float32 halves the bytes read, with rounding near 1e-7).
    block_bytes : int
        Target size of one block of columns of X.
    """

    def __init__(
        self,
        model: BinaryModel,
        params: Params,
        X: Array,
        y: Array,
        learning_rate: float,
        validation: tuple[Array | None, Array | None] = (None, None),
        precision: str = "float64",
        block_bytes: int = BLOCK_BYTES,
    ) -> None:
        self._model = model
        self._w, self._b = model._first_layer
        m, n = X.shape
        self._m = m
        self._y = y
        self._lr = float(learning_rate)
        self._lam_m = float(model.l2) / m
        dtype = np.dtype(np.float32 if precision == "float32" else np.float64)
        self._dtype = dtype
        width = max(16, block_bytes // (dtype.itemsize * m))
        self._blocks = [
            (slice(j, min(j + width, n)), np.ascontiguousarray(X[:, j : j + width], dtype=dtype))
            for j in range(0, n, width)
        ]
        self._W = np.array(params[self._w], dtype=np.float64, copy=True)
        self._W_next = np.empty_like(self._W)
        self._dW = np.empty_like(self._W)
        self._bias = np.array(params[self._b], dtype=np.float64, copy=True)
        self._rest = {
            k: np.array(v, dtype=np.float64, copy=True)
            for k, v in params.items()
            if k not in (self._w, self._b)
        }
        # Z1ᵀ without the bias, (k, m), for the current W
        self._lin = np.zeros((self._W.shape[0], m))
        for cols, XB in self._blocks:
            self._lin += self._W[:, cols].astype(dtype) @ XB.T
        self._lin_next = np.empty_like(self._lin)
        self._Xv, self._yv = validation
        self._db: Array | None = None
        self._grads_rest: Params = {}

    def evaluate(self) -> tuple[float, float]:
        z1 = self._lin.T + self._bias
        cost, dz1, grads = self._model.upper_cost_and_gradients(self._rest, z1, self._y)
        W, lam_m, lr, dtype = self._W, self._lam_m, self._lr, self._dtype
        if lam_m:
            cost += 0.5 * lam_m * float(np.vdot(W, W))
        D = np.ascontiguousarray(dz1.T, dtype=dtype)  # (k, m)
        lin_next = self._lin_next
        lin_next.fill(0.0)
        for cols, XB in self._blocks:  # one pass: gradient now, forward product for next step
            dWB = self._dW[:, cols]
            dWB[...] = D @ XB
            if lam_m:
                dWB += lam_m * W[:, cols]
            WB = self._W_next[:, cols]
            np.multiply(dWB, -lr, out=WB)
            WB += W[:, cols]
            lin_next += WB.astype(dtype, copy=False) @ XB.T
        db = dz1.sum(axis=0)
        grad_sq = float(np.vdot(self._dW, self._dW)) + float(np.vdot(db, db))
        for g in grads.values():
            grad_sq += float(np.vdot(g, g))
        self._db, self._grads_rest = db, grads
        return cost, math.sqrt(grad_sq)

    def step(self, learning_rate: float) -> None:
        assert self._db is not None, "evaluate() must come first"
        assert learning_rate == self._lr, "the learning rate is fixed at construction"
        self._W, self._W_next = self._W_next, self._W
        self._lin, self._lin_next = self._lin_next, self._lin
        self._bias -= learning_rate * self._db
        for k, g in self._grads_rest.items():
            self._rest[k] -= learning_rate * g
        self._db = None

    def parameters(self) -> Params:
        out: Params = {}
        for k in (self._w, self._b, *self._rest):
            if k == self._w:
                out[k] = self._W.copy()
            elif k == self._b:
                out[k] = self._bias.copy()
            else:
                out[k] = self._rest[k].copy()
        return out

    def validation_loss(self) -> float:
        if self._Xv is None or self._yv is None:
            return math.nan
        params = self.parameters()
        return cross_entropy_from_logits(self._model._logits(params, self._Xv), self._yv)[0]


__all__ = ["BLOCK_BYTES", "BlockedPrimalState"]
