"""Gradient check of the classifier's models (probkit.gradient_check.model_check)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from probkit.classifier.models import LogisticRegression, TwoLayerNet
from probkit.errors import InputError
from probkit.gradient_check.model_check import (
    EPSILON,
    TOLERANCE,
    finite_difference_gradient,
    gradient_check,
    random_params,
    relative_difference,
    small_problem,
    standard_checks,
    symbolic_gradient,
)

CONFIGS = [
    ("logistic", None, 0.0),
    ("logistic", None, 0.7),
    ("two-layer", "relu", 0.0),
    ("two-layer", "relu", 0.7),
    ("two-layer", "tanh", 0.0),
    ("two-layer", "tanh", 0.7),
]


def _model(kind: str, activation: str | None, l2: float) -> Any:
    if kind == "logistic":
        return LogisticRegression(l2=l2)
    return TwoLayerNet(hidden=3, activation=activation, l2=l2)


@pytest.fixture(scope="module")
def problem() -> tuple[np.ndarray, np.ndarray]:
    return small_problem(np.random.default_rng(20261128))


def test_constants_are_the_issue_s() -> None:
    assert EPSILON == 1e-7 and TOLERANCE == 2e-7


def test_relative_difference_definition() -> None:
    g = np.array([3.0, 4.0])
    h = np.array([3.0, 4.0 + 1e-3])
    assert relative_difference(g, h) == pytest.approx(1e-3 / (5.0 + np.linalg.norm(h)))
    assert relative_difference(np.zeros(3), np.zeros(3)) == 0.0


def test_finite_differences_of_a_known_function() -> None:
    params = {"A": np.array([[1.0, -2.0], [0.5, 3.0]]), "c": np.array([0.25])}

    def cost(p: dict[str, np.ndarray]) -> float:
        return float(np.sum(np.sin(p["A"])) + p["c"][0] ** 3)

    grads = finite_difference_gradient(cost, params)
    np.testing.assert_allclose(grads["A"], np.cos(params["A"]), rtol=1e-7)
    np.testing.assert_allclose(grads["c"], 3 * params["c"] ** 2, rtol=1e-7)


def test_symbolic_gradient_of_logistic_matches_the_closed_form(problem: Any) -> None:
    X, y = problem
    model = LogisticRegression(l2=0.3)
    params = random_params(model, X.shape[1], np.random.default_rng(1))
    sym = symbolic_gradient(model, params, X, y)
    m = X.shape[0]
    a = 1 / (1 + np.exp(-(X @ params["W"][0] + params["b"][0])))
    dW = ((a - y) @ X / m)[None, :] + 0.3 / m * params["W"]
    np.testing.assert_allclose(sym["W"], dW, rtol=1e-12)
    np.testing.assert_allclose(sym["b"], [np.mean(a - y)], rtol=1e-12)


@pytest.mark.parametrize(("kind", "activation", "l2"), CONFIGS)
def test_backprop_agrees_with_both_oracles(
    problem: Any, kind: str, activation: str | None, l2: float
) -> None:
    X, y = problem
    model = _model(kind, activation, l2)
    report = gradient_check(model, X, y, seed=3)
    assert report.passed, report
    assert report.finite_difference < 2e-7
    assert report.symbolic is not None and report.symbolic < 1e-10
    assert set(report.per_parameter) == set(model.init_params(X.shape[1],
                                                              np.random.default_rng(0)))
    cost, _ = model.loss_and_gradients(random_params(model, X.shape[1],
                                                     np.random.default_rng(3)), X, y)
    assert report.cost == pytest.approx(cost)


def test_check_never_mutates_the_parameters(problem: Any) -> None:
    X, y = problem
    model = TwoLayerNet(hidden=3, activation="tanh", l2=0.5)
    params = random_params(model, X.shape[1], np.random.default_rng(9))
    before = {k: v.copy() for k, v in params.items()}
    gradient_check(model, X, y, params=params, symbolic=False)
    for name, value in params.items():
        np.testing.assert_array_equal(value, before[name])


# ------------------------------------------------------------------ negative controls


class DoubledL2:
    """Wraps a real model and adds the L2 gradient term a second time (a classic bug)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.l2 = model.l2
        self.activation = getattr(model, "activation", None)
        self.model_type = model.model_type

    def init_params(self, n_features: int, rng: np.random.Generator) -> Any:
        return self.model.init_params(n_features, rng)

    def loss_and_gradients(self, params: Any, X: Any, y: Any) -> Any:
        cost, grads = self.model.loss_and_gradients(params, X, y)
        m = X.shape[0]
        for name in ("W", "W1", "W2"):
            if name in grads:
                grads[name] = grads[name] + self.l2 / m * params[name]
        return cost, grads


class ForgetsTheBias:
    """Wraps a real model and returns a zero bias gradient."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.l2 = model.l2
        self.activation = getattr(model, "activation", None)

    def init_params(self, n_features: int, rng: np.random.Generator) -> Any:
        return self.model.init_params(n_features, rng)

    def loss_and_gradients(self, params: Any, X: Any, y: Any) -> Any:
        cost, grads = self.model.loss_and_gradients(params, X, y)
        for name in ("b", "b1"):
            if name in grads:
                grads[name] = np.zeros_like(grads[name])
        return cost, grads


@pytest.mark.parametrize(("kind", "activation"), [("logistic", None), ("two-layer", "relu")])
def test_a_doubled_l2_term_fails_the_check(problem: Any, kind: str, activation: str | None) -> None:
    X, y = problem
    report = gradient_check(DoubledL2(_model(kind, activation, 0.7)), X, y, seed=3)
    assert not report.passed
    assert report.finite_difference > 1e-3
    assert report.symbolic is not None and report.symbolic > 1e-3


def test_a_missing_bias_gradient_fails_the_check(problem: Any) -> None:
    X, y = problem
    report = gradient_check(ForgetsTheBias(LogisticRegression()), X, y, seed=4, symbolic=False)
    assert not report.passed and report.symbolic is None
    assert report.per_parameter["b"][0] == pytest.approx(1.0)  # zero vs nonzero


def test_bad_shapes_are_input_errors() -> None:
    with pytest.raises(InputError, match="X must be"):
        gradient_check(LogisticRegression(), np.zeros(3), np.zeros(3))


def test_standard_checks_cover_six_configurations() -> None:
    reports = standard_checks(seed=0)
    labels = [r.label for r in reports]
    assert len(reports) == 6 and len(set(labels)) == 6
    assert all(r.passed for r in reports), [r.to_dict() for r in reports]
    payload = reports[0].to_dict()
    assert set(payload) >= {"model", "relative_difference_finite",
                            "relative_difference_symbolic", "passed"}
