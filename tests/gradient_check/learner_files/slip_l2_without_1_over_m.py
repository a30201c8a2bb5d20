"""A learner's cost and gradients (params dict) with L2, one planted slip: the L2 term of dW1
lacks its 1/m (lambd * W1 where (lambd / m) * W1 belongs)."""

import numpy as np


def _forward(params, X):
    A1 = np.maximum(0, params["W1"] @ X + params["b1"])
    A2 = 1 / (1 + np.exp(-(params["W2"] @ A1 + params["b2"])))
    return A1, A2


def cost(params, X, Y, lambd):
    m = X.shape[1]
    _, A2 = _forward(params, X)
    cross_entropy = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
    penalty = lambd / (2 * m) * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2))
    return cross_entropy + penalty


def gradients(params, X, Y, lambd):
    m = X.shape[1]
    A1, A2 = _forward(params, X)
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m + (lambd / m) * params["W2"]
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (params["W2"].T @ dZ2) * (A1 > 0)
    dW1 = dZ1 @ X.T / m + lambd * params["W1"]
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
