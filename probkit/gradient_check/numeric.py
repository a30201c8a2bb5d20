"""Central differences and the relative difference: the numeric core of every gradient check.

One definition each, shared by the check of the classifier's models
(:mod:`probkit.gradient_check.model_check`), the check of a learner's own
functions (:mod:`probkit.gradient_check.learner`) and the numeric check of a
matrix chain (:mod:`probkit.symbolic.matrix_chain`).

>>> g = finite_difference_gradient(lambda p: float((p["x"] ** 2).sum()),
...                                {"x": np.array([1.0, -2.0])})
>>> np.allclose(g["x"], [2.0, -4.0])
True
>>> relative_difference(np.array([1.0]), np.array([-1.0]))
1.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Params = dict[str, Array]

EPSILON = 1e-7
"""The step of the central differences (float64: truncation and rounding both near 1e-9)."""


def relative_difference(g: Any, h: Any) -> float:
    """‖g − h‖ / (‖g‖ + ‖h‖), and 0 when both are zero.

    >>> relative_difference(np.array([1.0, 0.0]), np.array([1.0, 0.0]))
    0.0
    """
    g = np.ravel(np.asarray(g, dtype=np.float64))
    h = np.ravel(np.asarray(h, dtype=np.float64))
    scale = float(np.linalg.norm(g) + np.linalg.norm(h))
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(g - h) / scale)


def finite_difference_gradient(
    cost: Callable[[Params], float],
    params: Mapping[str, Any],
    *,
    epsilon: float = EPSILON,
    entries: Mapping[str, Iterable[tuple[int, ...]]] | None = None,
) -> Params:
    """Central differences of ``cost`` with respect to the entries of ``params``.

    dJ/dθ ≈ (J(θ + ε) − J(θ − ε)) / (2ε), one entry at a time, every other
    entry held fixed. ``entries`` names, per parameter, the indices to
    differentiate by (default: all of them); the others are left nan.
    """
    frozen = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    grads: Params = {}
    for name, base in frozen.items():
        chosen = np.ndindex(base.shape) if entries is None or name not in entries \
            else entries[name]
        grad = np.zeros_like(base) if entries is None or name not in entries \
            else np.full_like(base, np.nan)
        for index in chosen:
            shifted = {k: v.copy() for k, v in frozen.items()}
            shifted[name][index] = base[index] + epsilon
            plus = cost(shifted)
            shifted[name][index] = base[index] - epsilon
            minus = cost(shifted)
            grad[index] = (plus - minus) / (2 * epsilon)
        grads[name] = grad
    return grads


__all__ = ["EPSILON", "Array", "Params", "finite_difference_gradient", "relative_difference"]
