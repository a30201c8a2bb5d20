"""Explicit small symbolic matrices and the costs built from them.

These are the ground truth that matrix steps are checked against: every entry
is an ordinary SymPy symbol, every derivative is the derivative of a scalar
expression with respect to one symbol. The same builders give the symbolic
gradients that :mod:`probkit.gradient_check.model_check` compares with the numpy code.

Layout (as in the derivations): a data matrix ``X`` has one column per
example, shape (n_features, m); labels ``Y`` are a (1, m) row.

>>> X = symbol_matrix("x", 2, 3)
>>> X.shape, str(X[1, 2])
((2, 3), 'x_1_2')
"""

from __future__ import annotations

from typing import Any

import sympy as sp


def symbol_matrix(name: str, rows: int, cols: int, **assumptions: bool) -> sp.Matrix:
    """A ``rows`` x ``cols`` matrix whose entries are the symbols ``name_i_j``."""
    return sp.Matrix(
        rows, cols, lambda i, j: sp.Symbol(f"{name}_{i}_{j}", **assumptions)
    )


def sigmoid(z: Any) -> Any:
    """The logistic sigmoid, 1 / (1 + exp(-z)), of a scalar or entry by entry."""
    if isinstance(z, sp.MatrixBase):
        return z.applyfunc(sigmoid)
    return 1 / (1 + sp.exp(-z))


def relu(z: Any) -> Any:
    """max(0, z), entry by entry."""
    if isinstance(z, sp.MatrixBase):
        return z.applyfunc(relu)
    return sp.Max(0, z)


def tanh(z: Any) -> Any:
    """tanh(z), entry by entry."""
    if isinstance(z, sp.MatrixBase):
        return z.applyfunc(tanh)
    return sp.tanh(z)


ACTIVATIONS = {"relu": relu, "tanh": tanh}


def activation_derivative(name: str, z: Any) -> Any:
    """The derivative g'(z) the numpy code uses: [z > 0] for ReLU (0 at z = 0, written
    ``Heaviside(z, 0)``), 1 - tanh(z)^2 for tanh."""
    if isinstance(z, sp.MatrixBase):
        return z.applyfunc(lambda entry: activation_derivative(name, entry))
    if name == "relu":
        return sp.Heaviside(z, 0)
    if name == "tanh":
        return 1 - sp.tanh(z) ** 2
    raise ValueError(f"unknown activation {name!r}")


def cross_entropy(A: sp.Matrix, Y: sp.Matrix) -> Any:
    """Mean cross-entropy -(1/m) sum [y log a + (1 - y) log(1 - a)] over a (1, m) row."""
    m = A.shape[1]
    total = sum(
        (Y[0, j] * sp.log(A[0, j]) + (1 - Y[0, j]) * sp.log(1 - A[0, j]) for j in range(m)),
        sp.S.Zero,
    )
    return -total / m


def l2_penalty(weights: list[sp.Matrix], lam: Any, m: int) -> Any:
    """lambda / (2 m) times the sum of squared entries of every weight matrix."""
    squares = sum((entry**2 for weight in weights for entry in weight), sp.S.Zero)
    return lam / (2 * m) * squares


def broadcast_columns(column: sp.Matrix, m: int) -> sp.Matrix:
    """Repeat a column vector ``m`` times (numpy broadcasting of a bias)."""
    return column * sp.ones(1, m)


def logistic_cost(X: sp.Matrix, Y: sp.Matrix, W: sp.Matrix, b: Any, lam: Any = 0) -> Any:
    """J(W, b) of logistic regression with W a (1, n) row and b a scalar."""
    m = X.shape[1]
    Z = W * X + b * sp.ones(1, m)
    return cross_entropy(sigmoid(Z), Y) + l2_penalty([W], lam, m)


def two_layer_forward(
    X: sp.Matrix,
    W1: sp.Matrix,
    b1: sp.Matrix,
    W2: sp.Matrix,
    b2: Any,
    activation: str,
) -> dict[str, sp.Matrix]:
    """Forward pass Z1 = W1 X + b1, A1 = g(Z1), Z2 = W2 A1 + b2, A2 = sigmoid(Z2)."""
    m = X.shape[1]
    Z1 = W1 * X + broadcast_columns(b1, m)
    A1 = ACTIVATIONS[activation](Z1)
    Z2 = W2 * A1 + b2 * sp.ones(1, m)
    A2 = sigmoid(Z2)
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def two_layer_cost(
    X: sp.Matrix,
    Y: sp.Matrix,
    W1: sp.Matrix,
    b1: sp.Matrix,
    W2: sp.Matrix,
    b2: Any,
    activation: str,
    lam: Any = 0,
) -> Any:
    """J of the two-layer network: cross-entropy plus L2 on W1 and W2 (not biases)."""
    A2 = two_layer_forward(X, W1, b1, W2, b2, activation)["A2"]
    return cross_entropy(A2, Y) + l2_penalty([W1, W2], lam, X.shape[1])


def gradient(cost: Any, variables: sp.Matrix) -> sp.Matrix:
    """The matrix of partial derivatives of a scalar ``cost``, shaped like ``variables``."""
    return variables.applyfunc(lambda v: sp.diff(cost, v))
