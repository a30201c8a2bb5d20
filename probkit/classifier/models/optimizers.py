"""Optimizers: full-batch gradient descent and L-BFGS (through SciPy).

Gradient descent works on a *state* that knows how to evaluate the cost and
gradient at its current iterate and how to take a step; the primal state
(:class:`PrimalState`) holds the parameters themselves, the dual state
(:mod:`probkit.classifier.models.dual`) holds them in the span of the training samples.
Both produce the same iterates

.. math::

    \\theta_{t+1} = \\theta_t - \\eta \\, \\nabla J(\\theta_t).

L-BFGS minimizes the same cost with the same analytic gradient through
``scipy.optimize.minimize(method="L-BFGS-B")``.

After gradient descent :func:`descent_problem` inspects the cost history and
returns a message when the cost became non-finite or oscillated (a learning
rate above the stability limit :math:`2/L`); the estimators turn it into a
:class:`DivergenceWarning`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Params = dict[str, Array]
LossFunction = Callable[[Params], tuple[float, Params]]
ProgressCallback = Callable[[int, float], None]


class DivergenceWarning(UserWarning):
    """Gradient descent diverged or oscillated: the learning rate is too large."""


class ConvergenceWarning(UserWarning):
    """The optimizer stopped before its gradient-norm tolerance (iteration limit, or L-BFGS
    could no longer decrease the cost). Raised as scikit-learn's ``ConvergenceWarning`` too
    when scikit-learn is loaded (:func:`probkit.errors.with_sklearn_twin`)."""


class DescentState(Protocol):
    """What gradient descent needs from a parameter representation."""

    def evaluate(self) -> tuple[float, float]:
        """Cost and gradient 2-norm at the current iterate (keeps the gradient for `step`)."""
        ...

    def step(self, learning_rate: float) -> None:
        """Move to ``theta - learning_rate * gradient`` (after :meth:`evaluate`)."""
        ...

    def parameters(self) -> Params:
        """The current iterate as a dict of new arrays."""
        ...

    def validation_loss(self) -> float:
        """Log loss on the validation data at the current iterate (nan if there is none)."""
        ...


class PrimalState:
    """Gradient-descent state holding the parameters directly.

    Parameters
    ----------
    loss_and_gradients : callable
        ``params -> (cost, grads)``, the model's backprop.
    params : dict
        Starting parameters (copied; the caller's arrays are never changed).
    validation_loss : callable, optional
        ``params -> float``.
    """

    def __init__(
        self,
        loss_and_gradients: LossFunction,
        params: Params,
        validation_loss: Callable[[Params], float] | None = None,
    ) -> None:
        self._loss = loss_and_gradients
        self._params = {k: np.array(v, dtype=np.float64, copy=True) for k, v in params.items()}
        self._grads: Params | None = None
        self._validation = validation_loss

    def evaluate(self) -> tuple[float, float]:
        cost, grads = self._loss(self._params)
        self._grads = grads
        norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))
        return cost, norm

    def step(self, learning_rate: float) -> None:
        assert self._grads is not None, "evaluate() must come before step()"
        for name, grad in self._grads.items():
            self._params[name] -= learning_rate * grad
        self._grads = None

    def parameters(self) -> Params:
        return {k: v.copy() for k, v in self._params.items()}

    def validation_loss(self) -> float:
        return math.nan if self._validation is None else self._validation(self._params)


@dataclass
class OptimizationResult:
    """What an optimizer returns.

    ``cost_history[t]`` is the cost at iterate ``t``; it has ``n_iter + 1``
    entries (the starting point and every accepted step).
    """

    params: Params
    cost_history: list[float]
    validation_history: list[float]
    n_iter: int
    converged: bool
    message: str
    n_evaluations: int


def gradient_descent(
    state: DescentState,
    *,
    learning_rate: float,
    max_iter: int,
    tol: float = 0.0,
    callback: ProgressCallback | None = None,
    track_validation: bool = False,
) -> OptimizationResult:
    """Run full-batch gradient descent for ``max_iter`` steps (or until ``‖∇J‖₂ <= tol``).

    Stops early, without raising, if the cost becomes nan or inf.
    ``callback(t, cost)`` is called at every iterate ``t = 0 .. n_iter``.
    """
    costs: list[float] = []
    validation: list[float] = []
    converged = False
    message = f"reached max_iter={max_iter}"
    steps = 0
    while True:
        cost, grad_norm = state.evaluate()
        costs.append(cost)
        if track_validation:
            validation.append(state.validation_loss())
        if callback is not None:
            callback(steps, cost)
        if not math.isfinite(cost) or not math.isfinite(grad_norm):
            message = f"the cost became non-finite at iteration {steps}"
            break
        if grad_norm <= tol:
            converged = True
            message = f"gradient norm {grad_norm:.3g} <= tol={tol:g} after {steps} iterations"
            break
        if steps >= max_iter:
            message = (f"reached max_iter={max_iter} with gradient norm {grad_norm:.3g} "
                       f"> tol={tol:g}")
            break
        state.step(learning_rate)
        steps += 1
    return OptimizationResult(
        params=state.parameters(),
        cost_history=costs,
        validation_history=validation,
        n_iter=steps,
        converged=converged,
        message=message,
        n_evaluations=len(costs),
    )


def descent_problem(costs: list[float], learning_rate: float) -> str | None:
    """Describe divergence or oscillation in a gradient-descent cost history, else None.

    Flags a non-finite cost, a final cost above the starting cost, or a cost
    that still rises at 20% or more of the steps in the last tenth of the run
    (at least the last 10 steps): gradient descent oscillates instead of
    settling, the sign of a learning rate above the stability limit 2/L.
    Early oscillation that dies out is not flagged.

    >>> descent_problem([1.0, 0.5, 0.4, 0.3], 0.1) is None
    True
    >>> print(descent_problem([1.0, 0.5] + [0.9, 0.5] * 6, 0.1))
    ... # doctest: +NORMALIZE_WHITESPACE
    gradient descent oscillates: the cost still rose at 5 of the last 10 steps (learning
    rate 0.1 is probably above the stability limit 2/L; lower it or use solver='lbfgs')
    """
    if not costs:
        return None
    if not all(math.isfinite(c) for c in costs):
        first = next(i for i, c in enumerate(costs) if not math.isfinite(c))
        return (
            f"gradient descent diverged: the cost became non-finite at iteration {first} "
            f"(learning rate {learning_rate:g} is too large; lower it or use solver='lbfgs')"
        )
    steps = len(costs) - 1
    if steps < 2:
        return None
    if costs[-1] > costs[0] * (1 + 1e-9) + 1e-12:
        return (
            f"gradient descent diverged: the cost rose from {costs[0]:.6g} to {costs[-1]:.6g} "
            f"(learning rate {learning_rate:g} is too large; lower it or use solver='lbfgs')"
        )
    tail_steps = min(steps, max(10, math.ceil(0.1 * steps)))
    tail = costs[-(tail_steps + 1) :]
    rises = sum(
        1 for a, b in zip(tail, tail[1:], strict=False) if b > a + 1e-12 * max(1.0, abs(a))
    )
    if rises >= max(2, math.ceil(0.2 * tail_steps)):
        return (
            f"gradient descent oscillates: the cost still rose at {rises} of the last "
            f"{tail_steps} steps (learning rate {learning_rate:g} is probably above the "
            "stability limit 2/L; lower it or use solver='lbfgs')"
        )
    return None


def lbfgs(
    loss_and_gradients: LossFunction,
    params: Params,
    *,
    max_iter: int,
    tol: float,
    callback: ProgressCallback | None = None,
    validation_loss: Callable[[Params], float] | None = None,
) -> OptimizationResult:
    """Minimize with L-BFGS-B (no bounds) and the analytic gradient.

    Stops when the largest gradient component is <= ``tol`` (SciPy's ``gtol``),
    when the cost stops decreasing to machine precision, or after ``max_iter``
    iterations.
    """
    from scipy.optimize import minimize

    names = list(params)
    shapes = [params[k].shape for k in names]
    sizes = [int(np.prod(s)) for s in shapes]

    def unflatten(theta: Array) -> Params:
        out: Params = {}
        start = 0
        for name, shape, size in zip(names, shapes, sizes, strict=True):
            out[name] = theta[start : start + size].reshape(shape)
            start += size
        return out

    last: dict[str, object] = {}
    evaluations = 0

    def fun(theta: Array) -> tuple[float, Array]:
        nonlocal evaluations
        evaluations += 1
        cost, grads = loss_and_gradients(unflatten(theta))
        flat = np.concatenate([grads[k].ravel() for k in names])
        last["theta"] = theta.copy()
        last["cost"] = cost
        return cost, flat

    theta0 = np.concatenate([np.asarray(params[k], dtype=np.float64).ravel() for k in names])
    cost0, grad0 = fun(theta0)
    costs = [cost0]
    validation: list[float] = []
    if validation_loss is not None:
        validation.append(validation_loss(unflatten(theta0)))
    if callback is not None:
        callback(0, cost0)

    def on_iteration(xk: Array) -> None:
        if "theta" in last and np.array_equal(last["theta"], xk):  # type: ignore[arg-type]
            cost = float(last["cost"])  # type: ignore[arg-type]
        else:
            cost = loss_and_gradients(unflatten(xk))[0]
        costs.append(cost)
        if validation_loss is not None:
            validation.append(validation_loss(unflatten(xk)))
        if callback is not None:
            callback(len(costs) - 1, cost)

    if max_iter == 0:  # SciPy would still take a step: return the start, as gradient descent
        largest = float(np.max(np.abs(grad0))) if grad0.size else 0.0
        return OptimizationResult(
            params={k: v.copy() for k, v in unflatten(theta0.copy()).items()},
            cost_history=costs, validation_history=validation, n_iter=0,
            converged=largest <= tol,
            message=f"max_iter=0: no iterations (largest gradient component {largest:.3g})",
            n_evaluations=evaluations)
    result = minimize(
        fun,
        theta0,
        jac=True,
        method="L-BFGS-B",
        callback=on_iteration,
        options={"maxiter": max_iter, "gtol": tol, "ftol": 1e-15, "maxcor": 10},
    )
    final = unflatten(np.asarray(result.x, dtype=np.float64).copy())
    return OptimizationResult(
        params={k: v.copy() for k, v in final.items()},
        cost_history=costs,
        validation_history=validation,
        n_iter=int(result.nit),
        converged=bool(result.success),
        message=str(result.message),
        n_evaluations=evaluations,
    )


__all__ = [
    "ConvergenceWarning",
    "DescentState",
    "DivergenceWarning",
    "OptimizationResult",
    "PrimalState",
    "descent_problem",
    "gradient_descent",
    "lbfgs",
]
