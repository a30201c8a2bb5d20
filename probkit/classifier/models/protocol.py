"""What the solver paths need from a model: a small protocol, not the model class.

:mod:`probkit.classifier.models.dual` and :mod:`probkit.classifier.models.primal` carry the first
layer's weights themselves and ask the model only for what lies above that
layer; they depend on this protocol, and :class:`~probkit.classifier.models.base.BinaryModel`
(which imports the solvers when it fits) satisfies it. So the import graph has
no cycle: base -> dual/primal -> protocol.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Params = dict[str, Array]


class LayeredModel(Protocol):
    """A model whose input enters only through a first dense layer ``Z1 = X W1ᵀ + b1``."""

    @property
    def first_layer(self) -> tuple[str, str]:
        """Names of the first layer's weight and bias in the parameters."""
        ...

    @property
    def l2_strength(self) -> float:
        """λ of the penalty λ/(2m) Σ‖W‖²."""
        ...

    def upper_forward(self, params: Params, z1: Array) -> tuple[Array, dict[str, Array]]:
        """Logits (m,) from the first layer's pre-activation (m, k), and a cache."""
        ...

    def upper_cost_and_gradients(self, params: Params, z1: Array, y: Array
                                 ) -> tuple[float, Array, Params]:
        """Cost without the first layer's penalty, dJ/dZ1 and the upper parameters' gradients."""
        ...

    def logits(self, params: Params, X: Array) -> Array:
        """Logits for inputs ``X`` at parameters ``params``."""
        ...

    def loss_and_gradients(self, params: Params, X: Array, y: Array) -> tuple[float, Params]:
        """The penalized cost and its gradient with respect to every parameter."""
        ...


__all__ = ["LayeredModel"]
