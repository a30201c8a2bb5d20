"""Gradient check of the classifier's models: their numpy backpropagation against two oracles.

The gradient that :meth:`loss_and_gradients` of a model returns (the code
``fit`` uses) is compared with

(a) central finite differences of the model's own cost, step ``epsilon``:
    dJ/dθ ≈ (J(θ + ε) - J(θ - ε)) / (2ε), one parameter entry at a time;
(b) the symbolic gradient of the same cost, built by SymPy from explicit
    small matrices of symbols (:mod:`probkit.symbolic.explicit`) and
    lambdified to numpy.

Each comparison is the relative difference

.. math::

    \\frac{\\lVert g - \\tilde g \\rVert}{\\lVert g \\rVert + \\lVert \\tilde g \\rVert}

over all parameters at once; it must be below ``tolerance`` (2e-7 by default,
with ε = 1e-7, in float64).

The check runs at random parameters (not the models' starting values, which
are zero or tiny and would hide errors in the L2 term) on small random data
from a seeded :class:`numpy.random.Generator`.

Examples
--------
>>> import numpy as np
>>> report = gradient_check(_ToyLogistic(), *small_problem(np.random.default_rng(0)))
>>> report.passed, report.finite_difference < 2e-7, report.symbolic < 1e-12
(True, True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from probkit.errors import InputError
from probkit.gradient_check.numeric import (
    EPSILON,
    Array,
    Params,
    finite_difference_gradient,
    relative_difference,
)

TOLERANCE = 2e-7


class GradientModel(Protocol):
    """What the check needs from a model (the pinned gradient-check hook)."""

    l2: float

    def loss_and_gradients(self, params: Params, X: Array, y: Array) -> tuple[float, Params]:
        """The cost and its gradient with respect to every parameter."""
        ...

    def init_params(self, n_features: int, rng: np.random.Generator) -> Params:
        """Parameters of the right shapes."""
        ...


@dataclass(frozen=True)
class GradientCheckReport:
    """The outcome of one gradient check."""

    label: str
    cost: float
    finite_difference: float
    symbolic: float | None
    tolerance: float
    epsilon: float
    per_parameter: Mapping[str, tuple[float, float | None]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when both relative differences are below the tolerance."""
        within = self.finite_difference < self.tolerance
        if self.symbolic is not None:
            within = within and self.symbolic < self.tolerance
        return bool(within)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "model": self.label,
            "cost": self.cost,
            "relative_difference_finite": self.finite_difference,
            "relative_difference_symbolic": self.symbolic,
            "epsilon": self.epsilon,
            "tolerance": self.tolerance,
            "passed": self.passed,
            "per_parameter": {
                name: {"finite": fd, "symbolic": sym}
                for name, (fd, sym) in self.per_parameter.items()
            },
        }


def _flatten(grads: Mapping[str, Array], names: list[str]) -> Array:
    return np.concatenate([np.ravel(grads[name]) for name in names])


def _kind(params: Mapping[str, Array]) -> str:
    keys = set(params)
    if keys == {"W", "b"}:
        return "logistic"
    if keys == {"W1", "b1", "W2", "b2"}:
        return "two-layer"
    raise InputError(f"gradient check: unknown parameter names {sorted(keys)}")


def symbolic_gradient(model: Any, params: Params, X: Array, y: Array) -> Params:
    """The gradient of the model's cost from SymPy, evaluated at ``params``.

    The cost is built from explicit matrices of symbols shaped like ``params``
    (cross-entropy of the sigmoid output plus lambda/(2m) times the squared
    weights, biases not penalized), differentiated entry by entry and
    lambdified to numpy. The data enter as numbers. The activation comes from
    ``model.activation`` for the two-layer network.
    """
    import sympy as sp

    from probkit.symbolic import explicit

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    data = sp.Matrix(X.T.tolist())  # one column per example, as in the derivations
    labels = sp.Matrix([y.tolist()])
    lam = sp.Float(float(model.l2))
    symbols = {
        name: explicit.symbol_matrix(name, *np.atleast_2d(value).shape, real=True)
        for name, value in params.items()
    }
    if _kind(params) == "logistic":
        b = symbols["b"][0, 0]
        cost = explicit.logistic_cost(data, labels, symbols["W"], b, lam)
    else:
        cost = explicit.two_layer_cost(
            data, labels, symbols["W1"], symbols["b1"].T, symbols["W2"], symbols["b2"][0, 0],
            str(model.activation), lam,
        )
    names = list(params)
    variables = [s for name in names for s in symbols[name]]
    grad_exprs = [sp.diff(cost, v) for v in variables]
    function = sp.lambdify(variables, grad_exprs, modules="numpy", cse=True)
    values = np.concatenate([np.ravel(params[name]) for name in names]).astype(np.float64)
    flat = np.asarray(function(*values), dtype=np.float64)
    result: Params = {}
    start = 0
    for name in names:
        shape = np.shape(params[name])
        size = int(np.prod(shape)) if shape else 1
        result[name] = flat[start:start + size].reshape(shape)
        start += size
    return result


def small_problem(
    rng: np.random.Generator, *, n_samples: int = 6, n_features: int = 4
) -> tuple[Array, Array]:
    """Small random data: standard-normal features and 0/1 labels with both classes."""
    X = rng.standard_normal((n_samples, n_features))
    y = np.zeros(n_samples)
    y[: n_samples // 2] = 1.0
    rng.shuffle(y)
    return X, y


def random_params(model: GradientModel, n_features: int, rng: np.random.Generator) -> Params:
    """Parameters shaped like ``model.init_params`` but with N(0, 0.5²) entries."""
    shapes = model.init_params(n_features, np.random.default_rng(0))
    return {name: rng.normal(0.0, 0.5, np.shape(value)) for name, value in shapes.items()}


def gradient_check(
    model: GradientModel,
    X: Array,
    y: Array,
    *,
    params: Params | None = None,
    epsilon: float = EPSILON,
    tolerance: float = TOLERANCE,
    seed: int = 0,
    symbolic: bool = True,
    label: str | None = None,
) -> GradientCheckReport:
    """Compare ``model.loss_and_gradients`` with finite differences and SymPy.

    Parameters
    ----------
    model : object with ``loss_and_gradients`` and ``init_params``
        A :class:`~probkit.classifier.models.LogisticRegression` or
        :class:`~probkit.classifier.models.TwoLayerNet` (or anything with the same hook).
    X : ndarray of shape (m, n_features)
    y : ndarray of shape (m,), 0/1
    params : dict, optional
        Where to check; default: random N(0, 0.5²) entries (seeded by ``seed``).
    epsilon, tolerance : float
        Finite-difference step and the largest accepted relative difference.
    symbolic : bool
        Also compare with the symbolic gradient (slower; skip for big inputs).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise InputError(f"gradient check: X must be (m, n) and y (m,); got {X.shape}, {y.shape}")
    if params is None:
        params = random_params(model, X.shape[1], np.random.default_rng(seed))
    frozen = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
    cost, grads = model.loss_and_gradients(
        {k: v.copy() for k, v in frozen.items()}, X, y
    )
    names = list(frozen)

    def cost_at(p: Params) -> float:
        return float(model.loss_and_gradients(p, X, y)[0])

    numeric = finite_difference_gradient(cost_at, frozen, epsilon=epsilon)
    sym = symbolic_gradient(model, frozen, X, y) if symbolic else None
    per_parameter = {
        name: (
            relative_difference(grads[name], numeric[name]),
            relative_difference(grads[name], sym[name]) if sym is not None else None,
        )
        for name in names
    }
    backprop = _flatten(grads, names)
    return GradientCheckReport(
        label=label or _describe(model),
        cost=float(cost),
        finite_difference=relative_difference(backprop, _flatten(numeric, names)),
        symbolic=None if sym is None else relative_difference(backprop, _flatten(sym, names)),
        tolerance=tolerance,
        epsilon=epsilon,
        per_parameter=per_parameter,
    )


def _describe(model: Any) -> str:
    name = getattr(model, "model_type", "") or type(model).__name__
    activation = getattr(model, "activation", None)
    parts = [str(name)] + ([str(activation)] if activation else [])
    return f"{' '.join(parts)}, l2 = {float(getattr(model, 'l2', 0.0)):g}"


def standard_checks(*, seed: int = 0, l2: float = 0.7) -> list[GradientCheckReport]:
    """The check on the classifier's models: logistic and two-layer (ReLU, tanh), each
    without and with L2, on 6 random examples with 4 features (3 hidden units)."""
    from probkit.classifier.models import LogisticRegression, TwoLayerNet

    rng = np.random.default_rng(seed)
    X, y = small_problem(rng)
    models: list[Any] = []
    for lam in (0.0, l2):
        models.append(LogisticRegression(l2=lam))
    for activation in ("relu", "tanh"):
        for lam in (0.0, l2):
            models.append(TwoLayerNet(hidden=3, activation=activation, l2=lam))
    return [
        gradient_check(model, X, y, seed=seed + index)
        for index, model in enumerate(models)
    ]


class _ToyLogistic:
    """A tiny numpy logistic model with the gradient-check hook (for the doctest only)."""

    l2 = 0.5
    model_type = "toy-logistic"

    def init_params(self, n_features: int, rng: np.random.Generator) -> Params:
        return {"W": np.zeros((1, n_features)), "b": np.zeros(1)}

    def loss_and_gradients(self, params: Params, X: Array, y: Array) -> tuple[float, Params]:
        m = X.shape[0]
        z = X @ params["W"][0] + params["b"][0]
        a = 1.0 / (1.0 + np.exp(-z))
        cost = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
        cost += self.l2 / (2 * m) * float(np.sum(params["W"] ** 2))
        dz = (a - y) / m
        return float(cost), {"W": (dz @ X)[None, :] + self.l2 / m * params["W"],
                             "b": np.array([dz.sum()])}


__all__ = [
    "EPSILON",
    "TOLERANCE",
    "GradientCheckReport",
    "finite_difference_gradient",
    "gradient_check",
    "random_params",
    "relative_difference",
    "small_problem",
    "standard_checks",
    "symbolic_gradient",
]
