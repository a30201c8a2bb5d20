"""Gradient descent in the primal form, reading the input once per iteration.

A plain implementation reads ``X`` (m, n) twice per iteration: once for the
forward product ``Z1 = X Wᵀ`` and once for the gradient ``dW = dZ1ᵀ X``. The two
cannot share a pass within one iteration (``dZ1`` needs all of ``Z1``), but the
gradient of iteration ``t`` and the forward product of iteration ``t + 1`` can:
for each block ``B`` of feature columns, while ``X_B`` is in cache,

.. math::

    dW_B = dZ_1^\\top X_B + \\tfrac{\\lambda}{m} W_B, \\qquad
    W'_B = W_B - \\eta\\, dW_B, \\qquad
    Z'_1 \\mathrel{+}= X_B W_B'^\\top.

The two products are thin (one side is the k hidden units). Measured with
OpenBLAS on one core, they run fastest when each tile of ``X`` (samples ×
features, C order, small enough for the BLAS small-matrix kernels, which do not
pack) is first copied into a cache-resident buffer (a streaming copy, then
products on hot data, beats products that stream from memory) and when the k
weight rows are padded with zero rows to a multiple of 8 (the width of the
micro-kernel; the padding rows stay exactly zero). The iterates are those of
ordinary gradient descent (only the summation order of ``Z1`` differs, at the
level of rounding).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from probkit.classifier.models.losses import cross_entropy_from_logits

if TYPE_CHECKING:
    from probkit.classifier.models.protocol import LayeredModel

Array = NDArray[np.float64]
Params = dict[str, Array]

#: target size of one tile of X in bytes (under a core's 1 MiB L2, and, with 8 weight rows,
#: inside OpenBLAS's small-matrix range; about 380 columns of 209 samples)
BLOCK_BYTES = 640_000

#: width of the BLAS micro-kernel: the weight rows are padded to a multiple of this
PANEL = 8


def padded_rows(k: int) -> int:
    """Number of weight rows after padding: ``k`` below 4, else the next multiple of 8.

    Examples
    --------
    >>> [padded_rows(k) for k in (1, 3, 7, 8, 9)]
    [1, 3, 8, 8, 16]
    """
    return k if k < 4 else -(-k // PANEL) * PANEL


class BlockedPrimalState:
    """Gradient-descent state holding the parameters, with one fused pass over X per step.

    Parameters
    ----------
    model : LayeredModel
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
        Target size of one tile of X (rows × columns).
    """

    def __init__(
        self,
        model: LayeredModel,
        params: Params,
        X: Array,
        y: Array,
        learning_rate: float,
        validation: tuple[Array | None, Array | None] = (None, None),
        precision: str = "float64",
        block_bytes: int = BLOCK_BYTES,
    ) -> None:
        self._model = model
        self._w, self._b = model.first_layer
        m, n = X.shape
        self._m = m
        self._y = y
        self._lr = float(learning_rate)
        self._lam_m = model.l2_strength / m
        dtype = np.dtype(np.float32 if precision == "float32" else np.float64)
        self._dtype = dtype
        elements = max(256, block_bytes // dtype.itemsize)
        rows = min(m, max(16, elements // 64))  # tile the samples too only when m is large
        width = max(16, elements // rows)
        row_slices = [slice(i, min(i + rows, m)) for i in range(0, m, rows)]
        # per column block: its row tiles (contiguous copies of X[rows, cols])
        self._blocks: list[tuple[slice, list[tuple[slice, Array]]]] = [
            (cols, [(r, np.ascontiguousarray(X[r, cols], dtype=dtype)) for r in row_slices])
            for cols in (slice(j, min(j + width, n)) for j in range(0, n, width))
        ]
        self._buffers: dict[tuple[int, ...], Array] = {
            tile.shape: np.empty(tile.shape, dtype=dtype)
            for _, tiles in self._blocks
            for _, tile in tiles
        }
        W0 = np.asarray(params[self._w], dtype=np.float64)
        self._k = k = W0.shape[0]
        kp = padded_rows(k)
        self._W = np.zeros((kp, n))
        self._W[:k] = W0
        self._W_next = np.zeros_like(self._W)
        self._dW = np.zeros_like(self._W)
        self._bias = np.array(params[self._b], dtype=np.float64, copy=True)
        self._rest = {
            key: np.array(v, dtype=np.float64, copy=True)
            for key, v in params.items()
            if key not in (self._w, self._b)
        }
        self._D = np.zeros((kp, m), dtype=dtype)  # dZ1ᵀ, zero in the padding rows
        # contributions of each column block to Z1ᵀ (k_padded, m), summed after the pass
        self._parts = np.zeros((len(self._blocks), kp, m), dtype=dtype)
        self._scratch = np.empty((kp, width), dtype=dtype)
        self._low = dtype != np.float64
        # column views made once (the two weight arrays swap roles at every step)
        self._W_views = [self._W[:, cols] for cols, _ in self._blocks]
        self._W_next_views = [self._W_next[:, cols] for cols, _ in self._blocks]
        self._dW_views = [self._dW[:, cols] for cols, _ in self._blocks]
        self._forward(self._W)
        self._lin = self._parts.sum(axis=0, dtype=np.float64)  # Z1ᵀ without the bias
        self._lin_next = np.empty_like(self._lin)
        self._Xv, self._yv = validation
        self._db: Array | None = None
        self._grads_rest: Params = {}

    def _loaded(self, tile: Array) -> Array:
        """``tile`` copied into its cache-resident buffer."""
        buffer = self._buffers[tile.shape]
        np.copyto(buffer, tile)
        return buffer

    def _product(self, a: Array, b: Array, out: Array) -> None:
        """``out = a @ b`` in the product type (into ``out`` directly when that is float64)."""
        if self._low:
            out[...] = np.matmul(a.astype(self._dtype, copy=False), b)
        else:
            np.matmul(a, b, out=out)

    def _forward(self, W: Array) -> None:
        """Z1ᵀ contributions of every block for weights ``W`` (used once, at the start)."""
        for j, (cols, tiles) in enumerate(self._blocks):
            for rows, tile in tiles:
                self._product(W[:, cols], self._loaded(tile).T, self._parts[j][:, rows])

    def evaluate(self) -> tuple[float, float]:
        k = self._k
        z1 = self._lin[:k].T + self._bias
        cost, dz1, grads = self._model.upper_cost_and_gradients(self._rest, z1, self._y)
        W, lam_m, lr = self._W, self._lam_m, self._lr
        if lam_m:
            cost += 0.5 * lam_m * float(np.vdot(W, W))
        D = self._D
        D[:k] = dz1.T
        parts, scratch, product, loaded = self._parts, self._scratch, self._product, self._loaded
        blocks = zip(
            self._blocks, self._dW_views, self._W_views, self._W_next_views, parts, strict=True
        )
        for (_, tiles), dWB, W_B, WB, part_j in blocks:
            # one pass: the gradient of this step, then the forward product of the next one
            if len(tiles) == 1:  # the usual case: all samples in one tile, kept in cache
                hot = loaded(tiles[0][1])
                product(D, hot, dWB)
            else:
                for t, (rows, tile) in enumerate(tiles):
                    if t == 0:
                        product(D[:, rows], loaded(tile), dWB)
                    else:
                        part = scratch[:, : dWB.shape[1]]
                        np.matmul(D[:, rows], loaded(tile), out=part)
                        dWB += part
            if lam_m:
                dWB += lam_m * W_B
            np.multiply(dWB, -lr, out=WB)
            WB += W_B
            if len(tiles) == 1:
                product(WB, hot.T, part_j)
            else:
                for rows, tile in tiles:
                    product(WB, loaded(tile).T, part_j[:, rows])
        parts.sum(axis=0, dtype=np.float64, out=self._lin_next)
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
        self._W_views, self._W_next_views = self._W_next_views, self._W_views
        self._lin, self._lin_next = self._lin_next, self._lin
        self._bias -= learning_rate * self._db
        for k, g in self._grads_rest.items():
            self._rest[k] -= learning_rate * g
        self._db = None

    def parameters(self) -> Params:
        return {self._w: self._W[: self._k].copy(), self._b: self._bias.copy(),
                **{k: v.copy() for k, v in self._rest.items()}}

    def validation_loss(self) -> float:
        if self._Xv is None or self._yv is None:
            return math.nan
        params = self.parameters()
        return cross_entropy_from_logits(self._model.logits(params, self._Xv), self._yv)[0]


__all__ = ["BLOCK_BYTES", "PANEL", "BlockedPrimalState", "padded_rows"]
