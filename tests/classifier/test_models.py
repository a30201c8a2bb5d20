"""The two models: backprop against finite differences, the estimator contract,
seeds, the dual path against the primal path, L-BFGS, divergence detection."""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np
import pytest

from probkit.classifier.models import (
    MODEL_TYPES,
    DivergenceWarning,
    LogisticRegression,
    TwoLayerNet,
)
from probkit.errors import InputError


def _data(m: int = 30, n: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    y = (X[:, 0] - 0.5 * X[:, 1] + 0.3 * rng.normal(size=m) > 0).astype(np.int64)
    return X, y


def _reference_cost(model, params, X, y) -> float:
    """The cost written out directly (moderate logits, so plain log(sigmoid) is safe)."""
    if isinstance(model, LogisticRegression):
        z = X @ params["W"][0] + params["b"][0]
        weights = [params["W"]]
    else:
        h = X @ params["W1"].T + params["b1"]
        h = np.maximum(h, 0) if model.activation == "relu" else np.tanh(h)
        z = h @ params["W2"][0] + params["b2"][0]
        weights = [params["W1"], params["W2"]]
    a = 1.0 / (1.0 + np.exp(-z))
    m = len(y)
    data = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    return float(data + model.l2 / (2 * m) * sum(np.sum(W**2) for W in weights))


def _finite_difference(model, params, X, y, eps=1e-6) -> dict[str, np.ndarray]:
    grads = {}
    for name, value in params.items():
        g = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[name][idx] += eps
            minus[name][idx] -= eps
            g[idx] = (_reference_cost(model, plus, X, y) - _reference_cost(model, minus, X, y)) / (
                2 * eps
            )
        grads[name] = g
    return grads


MODELS = [
    LogisticRegression(),
    LogisticRegression(l2=0.7),
    TwoLayerNet(hidden=4, init_scale=0.5),
    TwoLayerNet(hidden=4, init_scale=0.5, l2=1.3),
    TwoLayerNet(hidden=3, activation="tanh", init_scale=0.5, l2=0.2),
]


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_cost_matches_direct_formula(model) -> None:
    X, y = _data()
    params = model.init_params(X.shape[1], np.random.default_rng(5))
    params = {k: v + 0.1 * np.random.default_rng(6).normal(size=v.shape) for k, v in params.items()}
    cost, _ = model.loss_and_gradients(params, X, y)
    assert cost == pytest.approx(_reference_cost(model, params, X, y), rel=1e-12)


@pytest.mark.parametrize("model", MODELS, ids=repr)
def test_backprop_matches_finite_differences(model) -> None:
    X, y = _data(m=15, n=5)
    rng = np.random.default_rng(1)
    params = model.init_params(X.shape[1], rng)
    params = {k: v + 0.3 * rng.normal(size=v.shape) for k, v in params.items()}
    before = {k: v.copy() for k, v in params.items()}
    _, grads = model.loss_and_gradients(params, X, y)
    numeric = _finite_difference(model, params, X, y)
    assert list(grads) == list(params)
    for name in params:
        assert grads[name].shape == params[name].shape
        np.testing.assert_allclose(grads[name], numeric[name], rtol=1e-5, atol=1e-8)
        np.testing.assert_array_equal(params[name], before[name])  # never mutated


def test_finite_differences_catch_a_wrong_gradient() -> None:
    """Negative control: the gradient of a model with the wrong λ must not pass."""
    X, y = _data(m=15, n=5)
    true_model = LogisticRegression(l2=2.0)
    wrong_model = LogisticRegression(l2=0.0)
    params = {"W": np.full((1, 5), 0.4), "b": np.array([0.1])}
    _, wrong = wrong_model.loss_and_gradients(params, X, y)
    numeric = _finite_difference(true_model, params, X, y)
    assert not np.allclose(wrong["W"], numeric["W"], rtol=1e-5, atol=1e-8)


def test_saturated_units_give_finite_cost_and_gradients() -> None:
    X, y = _data()
    model = LogisticRegression(l2=0.1)
    params = {"W": np.full((1, X.shape[1]), 500.0), "b": np.array([0.0])}
    cost, grads = model.loss_and_gradients(params, X, y)
    assert math.isfinite(cost) and cost > 100  # confidently wrong on some samples
    assert all(np.all(np.isfinite(g)) for g in grads.values())
    fitted = LogisticRegression().fit(X * 1e4, y)
    assert np.all(np.isfinite(fitted.predict_proba(X * 1e4)))


def test_init_params_shapes_and_seed() -> None:
    net = TwoLayerNet(hidden=5, init_scale=0.01)
    p = net.init_params(12, np.random.default_rng(0))
    shapes = {k: v.shape for k, v in p.items()}
    assert shapes == {"W1": (5, 12), "b1": (5,), "W2": (1, 5), "b2": (1,)}
    assert np.all(p["b1"] == 0) and np.all(p["b2"] == 0)
    assert 0.005 < p["W1"].std() < 0.02
    q = net.init_params(12, np.random.default_rng(0))
    np.testing.assert_array_equal(p["W1"], q["W1"])
    lr = LogisticRegression().init_params(12, np.random.default_rng(0))
    assert {k: v.shape for k, v in lr.items()} == {"W": (1, 12), "b": (1,)}
    assert not np.any(lr["W"])


# ---------------------------------------------------------------- estimator contract


@pytest.mark.parametrize("cls", [LogisticRegression, TwoLayerNet])
def test_hyperparameters_are_keyword_only_and_stored_as_given(cls) -> None:
    sig = inspect.signature(cls.__init__)
    for name, p in sig.parameters.items():
        if name != "self":
            assert p.kind is inspect.Parameter.KEYWORD_ONLY
            assert getattr(cls(), name) == p.default
    with pytest.raises(TypeError):
        cls(0.1)
    model = cls(l2=-1.0)  # stored as given, rejected only by fit
    assert model.get_params()["l2"] == -1.0
    clone = cls(l2=0.25).clone()
    assert clone.l2 == 0.25 and not hasattr(clone, "params_")


@pytest.mark.parametrize(
    "cls, bad",
    [
        (LogisticRegression, {"l2": -1.0}),
        (LogisticRegression, {"l2": float("nan")}),
        (LogisticRegression, {"solver": "sgd"}),
        (LogisticRegression, {"learning_rate": 0}),
        (LogisticRegression, {"max_iter": 2.5}),
        (LogisticRegression, {"max_iter": True}),
        (LogisticRegression, {"tol": -1e-3}),
        (LogisticRegression, {"gd_path": "fast"}),
        (TwoLayerNet, {"hidden": 0}),
        (TwoLayerNet, {"activation": "sigmoid"}),
        (TwoLayerNet, {"init_scale": -0.1}),
        (TwoLayerNet, {"random_state": -3}),
        (TwoLayerNet, {"random_state": "seed"}),
    ],
)
def test_fit_rejects_bad_hyperparameters(cls, bad) -> None:
    X, y = _data()
    name = next(iter(bad))
    with pytest.raises(InputError, match=name):
        cls(**bad).fit(X, y)


def test_set_params_rejects_unknown_names() -> None:
    model = LogisticRegression().set_params(l2=3.0)
    assert model.l2 == 3.0
    with pytest.raises(InputError, match="hidden"):
        model.set_params(hidden=4)


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.zeros((4, 3, 1)), np.zeros(4), "2-D"),
        (np.zeros((4, 3)), np.zeros(5), "5 labels"),
        (np.zeros((4, 3)), np.array([0, 1, 2, 1]), "Only binary classification"),
        (np.zeros((4, 3)), np.array([0, 1, 0.5, 1]), "Unknown label type"),
        (np.zeros((4, 3)), np.array([1, 1, 1, 1]), "holds 1 class "),
        (np.array([["a", "b"], ["c", "d"]]), np.array([0, 1]), "numeric"),
        (np.array([[0.0, np.nan], [1.0, 2.0]]), np.array([0, 1]), "nan"),
        (np.zeros((0, 3)), np.zeros(0), "0 sample"),
    ],
)
def test_fit_rejects_bad_arrays(X, y, match) -> None:
    with pytest.raises(InputError, match=match):
        LogisticRegression(max_iter=3).fit(X, y)


@pytest.mark.parametrize("cls", [LogisticRegression, TwoLayerNet])
def test_estimator_contract(cls) -> None:
    X, y = _data(m=60, n=6)
    model = cls(max_iter=300, learning_rate=0.5, solver="gd") if cls is LogisticRegression else cls(
        max_iter=300, learning_rate=0.5, init_scale=0.3, hidden=4
    )
    with pytest.raises(InputError, match="not fitted"):
        model.predict(X)
    assert model.fit(X, y) is model
    proba = model.predict_proba(X)
    assert proba.shape == (60, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    z = model.decision_function(X)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), (proba[:, 1] > 0.5).astype(int))
    assert model.score(X, y) == pytest.approx(np.mean(model.predict(X) == y))
    assert model.score(X, y) > 0.85  # the data are (nearly) linearly separable
    assert model.n_features_in_ == 6
    assert model.cost_history_.shape == (model.n_iter_ + 1,)
    assert model.cost_history_[-1] < model.cost_history_[0]
    assert model.training_path_ == "primal"  # 60 samples > 6 features
    assert list(model.classes_) == [0, 1]
    with pytest.raises(InputError, match="7 features"):
        model.predict(np.zeros((2, 7)))


def test_xor_needs_the_hidden_layer() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 5)
    y = np.array([0, 1, 1, 0] * 5)
    net = TwoLayerNet(hidden=6, activation="tanh", solver="lbfgs", init_scale=1.0,
                      max_iter=400, random_state=1).fit(X, y)
    assert net.score(X, y) == 1.0
    linear = LogisticRegression(solver="lbfgs", max_iter=400).fit(X, y)
    assert linear.score(X, y) <= 0.75  # negative control: no line separates XOR


def test_seed_reproducibility() -> None:
    X, y = _data(m=40, n=8)
    a = TwoLayerNet(max_iter=50, random_state=7, learning_rate=0.1).fit(X, y)
    b = TwoLayerNet(max_iter=50, random_state=7, learning_rate=0.1).fit(X, y)
    c = TwoLayerNet(max_iter=50, random_state=8, learning_rate=0.1).fit(X, y)
    for k in a.params_:
        np.testing.assert_array_equal(a.params_[k], b.params_[k])
    assert not np.array_equal(a.params_["W1"], c.params_["W1"])
    state = np.random.get_state()  # noqa: NPY002
    TwoLayerNet(max_iter=5).fit(X, y)
    # the global state is untouched
    assert np.array_equal(np.random.get_state()[1], state[1])  # noqa: NPY002


def test_model_types_registry() -> None:
    assert MODEL_TYPES == {"logistic": LogisticRegression, "two-layer": TwoLayerNet}


# ---------------------------------------------------------------- dual path == primal path


@pytest.mark.parametrize(
    "model",
    [
        LogisticRegression(solver="gd", l2=0.0, learning_rate=0.01, max_iter=400, tol=0.0),
        LogisticRegression(solver="gd", l2=5.0, learning_rate=0.01, max_iter=400, tol=0.0),
        TwoLayerNet(hidden=5, learning_rate=0.05, max_iter=400, tol=0.0, init_scale=0.1),
        TwoLayerNet(hidden=5, l2=3.0, learning_rate=0.05, max_iter=400, tol=0.0,
                    init_scale=0.1),
        TwoLayerNet(hidden=4, activation="tanh", l2=0.5, learning_rate=0.05, max_iter=400,
                    tol=0.0, init_scale=0.1),
    ],
    ids=repr,
)
def test_dual_path_gives_the_primal_iterates(model) -> None:
    rng = np.random.default_rng(3)
    X = rng.random((25, 80))  # more features than samples
    y = (X[:, :40].sum(axis=1) > X[:, 40:].sum(axis=1)).astype(int)
    Xv = rng.random((10, 80))
    yv = (Xv[:, :40].sum(axis=1) > Xv[:, 40:].sum(axis=1)).astype(int)
    primal = model.clone().set_params(gd_path="primal").fit(X, y, validation=(Xv, yv))
    auto = model.clone().fit(X, y, validation=(Xv, yv))
    assert primal.training_path_ == "primal" and auto.training_path_ == "dual"
    assert auto.n_iter_ == primal.n_iter_ == 400
    np.testing.assert_allclose(auto.cost_history_, primal.cost_history_, rtol=1e-10)
    np.testing.assert_allclose(
        auto.validation_loss_history_, primal.validation_loss_history_, rtol=1e-10
    )
    for k in primal.params_:
        scale = np.max(np.abs(primal.params_[k]))
        assert np.max(np.abs(auto.params_[k] - primal.params_[k])) <= 1e-10 * scale
    # the runs really moved: a negative control against comparing two untrained models
    assert primal.cost_history_[-1] < 0.9 * primal.cost_history_[0]


def test_gradient_norm_stopping_is_the_same_on_both_paths() -> None:
    X, y = _data(m=20, n=40)
    a = LogisticRegression(solver="gd", l2=1.0, learning_rate=0.05, max_iter=5000, tol=1e-3,
                           gd_path="primal").fit(X, y)
    b = LogisticRegression(solver="gd", l2=1.0, learning_rate=0.05, max_iter=5000, tol=1e-3,
                           gd_path="dual").fit(X, y)
    assert a.converged_ and b.converged_
    assert a.n_iter_ == b.n_iter_ < 5000
    _, grads = a.loss_and_gradients(a.params_, X, y)
    assert math.sqrt(sum(float(np.sum(g**2)) for g in grads.values())) <= 1e-3


# ---------------------------------------------------------------- L-BFGS and divergence


def test_lbfgs_and_gradient_descent_reach_the_same_optimum() -> None:
    X, y = _data(m=40, n=5)
    gd = LogisticRegression(solver="gd", l2=2.0, learning_rate=0.5, max_iter=20000,
                            tol=1e-9).fit(X, y)
    lb = LogisticRegression(l2=2.0, solver="lbfgs", max_iter=500, tol=1e-9).fit(X, y)
    assert gd.converged_ and lb.converged_ and lb.training_path_ == "lbfgs"
    assert lb.n_iter_ < gd.n_iter_ / 10
    np.testing.assert_allclose(lb.params_["W"], gd.params_["W"], rtol=1e-6, atol=1e-8)
    assert lb.cost_history_.shape == (lb.n_iter_ + 1,)
    # the optimum's stationarity condition, written out independently
    a = 1 / (1 + np.exp(-(X @ lb.params_["W"][0] + lb.params_["b"][0])))
    stationarity = X.T @ (a - y) / len(y) + 2.0 / len(y) * lb.params_["W"][0]
    assert np.max(np.abs(stationarity)) < 1e-8


@pytest.mark.parametrize(
    "model",
    [
        LogisticRegression(l2=2.0, solver="lbfgs", tol=1e-9, max_iter=500),
        TwoLayerNet(hidden=4, l2=1.0, solver="lbfgs", init_scale=0.3, tol=1e-8, max_iter=500),
        TwoLayerNet(hidden=3, activation="tanh", solver="lbfgs", init_scale=0.3, max_iter=25),
    ],
    ids=repr,
)
def test_lbfgs_in_the_row_space_takes_the_primal_steps(model) -> None:
    rng = np.random.default_rng(3)
    X = rng.random((25, 80))  # more features than samples: the reduced coordinates
    y = (X[:, :40].sum(axis=1) > X[:, 40:].sum(axis=1)).astype(int)
    Xv = rng.random((10, 80))
    yv = (Xv[:, :40].sum(axis=1) > Xv[:, 40:].sum(axis=1)).astype(int)
    reduced = model.clone().fit(X, y, validation=(Xv, yv))
    primal = model.clone().set_params(gd_path="primal").fit(X, y, validation=(Xv, yv))
    assert reduced.training_path_ == "lbfgs-dual" and primal.training_path_ == "lbfgs"
    assert reduced.n_iter_ == primal.n_iter_ > 5
    np.testing.assert_allclose(reduced.cost_history_, primal.cost_history_, rtol=1e-9)
    np.testing.assert_allclose(reduced.validation_loss_history_,
                               primal.validation_loss_history_, rtol=1e-8)
    for k in primal.params_:
        assert reduced.params_[k].shape == primal.params_[k].shape
        np.testing.assert_allclose(reduced.params_[k], primal.params_[k], rtol=1e-6,
                                   atol=1e-8 * np.abs(primal.params_[k]).max())


def test_divergence_is_detected_and_warned() -> None:
    X, y = _data(m=40, n=20)
    X = X * 10
    with pytest.warns(DivergenceWarning, match="learning rate 5"):
        model = LogisticRegression(solver="gd", l2=100.0, learning_rate=5.0,
                                   max_iter=200).fit(X, y)
    assert model.diverged_
    with warnings.catch_warnings():
        # negative control: a sane rate warns no divergence (only that 200 steps fall short)
        warnings.simplefilter("error", DivergenceWarning)
        calm = LogisticRegression(solver="gd", l2=100.0, learning_rate=0.001,
                                  max_iter=200).fit(X, y)
    assert not calm.diverged_


# ---------------------------------------------------------------- the blocked primal path


@pytest.mark.parametrize(
    "model",
    [
        LogisticRegression(solver="gd", l2=2.0, learning_rate=0.02),
        TwoLayerNet(hidden=4, l2=0.5, learning_rate=0.05, init_scale=0.1),
        TwoLayerNet(hidden=7, l2=0.0, learning_rate=0.05, init_scale=0.1),
    ],
    ids=repr,
)
@pytest.mark.parametrize(
    ("block_bytes", "n_blocks", "n_row_tiles"),
    [(8 * 30 * 16, 4, 2), (8 * 1920, 2, 1)],  # tiles of 16 and 14 rows x 30 columns; 30 x 64
)
def test_blocked_primal_pass_equals_plain_gradient_descent(
    model, block_bytes, n_blocks, n_row_tiles
) -> None:
    """The fused one-pass primal (column blocks, row tiles, padded rows) against plain GD."""
    from probkit.classifier.models.optimizers import PrimalState, gradient_descent
    from probkit.classifier.models.primal import BlockedPrimalState, padded_rows

    rng = np.random.default_rng(11)
    X = rng.random((30, 100))
    y = (X[:, :50].sum(axis=1) > X[:, 50:].sum(axis=1)).astype(float)
    start = model.init_params(100, np.random.default_rng(2))
    plain = gradient_descent(
        PrimalState(lambda p: model.loss_and_gradients(p, X, y), start),
        learning_rate=model.learning_rate, max_iter=300,
    )
    blocked_state = BlockedPrimalState(model, start, X, y, model.learning_rate,
                                       block_bytes=block_bytes)
    assert len(blocked_state._blocks) == n_blocks
    assert {len(tiles) for _, tiles in blocked_state._blocks} == {n_row_tiles}
    k = start[model._first_layer[0]].shape[0]
    assert blocked_state._W.shape[0] == padded_rows(k) >= k
    blocked = gradient_descent(blocked_state, learning_rate=model.learning_rate, max_iter=300)
    np.testing.assert_allclose(blocked.cost_history, plain.cost_history, rtol=1e-12)
    for key in start:
        assert blocked.params[key].shape == start[key].shape
        np.testing.assert_allclose(blocked.params[key], plain.params[key], rtol=1e-10, atol=1e-13)
        np.testing.assert_array_equal(start[key],
                                      model.init_params(100, np.random.default_rng(2))[key])
    assert not np.any(blocked_state._W[k:])  # the padding rows stay exactly zero
    single = BlockedPrimalState(model, start, X, y, model.learning_rate, precision="float32",
                                block_bytes=block_bytes // 2)
    low = gradient_descent(single, learning_rate=model.learning_rate, max_iter=300)
    # float32 products: equal to about single precision, but not bit-identical
    np.testing.assert_allclose(low.cost_history, plain.cost_history, rtol=1e-5)
    assert low.cost_history != plain.cost_history


def test_padding_rows_matter_only_because_they_stay_zero() -> None:
    """Negative control: a non-zero padding row (with L2) changes the cost history."""
    from probkit.classifier.models.optimizers import gradient_descent
    from probkit.classifier.models.primal import BlockedPrimalState

    model = TwoLayerNet(hidden=7, l2=0.5, learning_rate=0.05, init_scale=0.1)
    rng = np.random.default_rng(5)
    X = rng.random((30, 40))
    y = (X[:, 0] > 0.5).astype(float)
    start = model.init_params(40, np.random.default_rng(1))
    clean = BlockedPrimalState(model, start, X, y, model.learning_rate)
    dirty = BlockedPrimalState(model, start, X, y, model.learning_rate)
    assert dirty._W.shape[0] == 8
    dirty._W[7] = 0.1  # deliberately wrong: the padding row is no longer zero
    a = gradient_descent(clean, learning_rate=model.learning_rate, max_iter=20)
    b = gradient_descent(dirty, learning_rate=model.learning_rate, max_iter=20)
    assert not np.allclose(a.cost_history, b.cost_history, rtol=1e-6)
    np.testing.assert_array_equal(a.params["W1"].shape, (7, 40))


def test_float32_precision_is_a_hyperparameter() -> None:
    X, y = _data(m=60, n=6)
    a = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=100,
                           precision="float32").fit(X, y)
    b = LogisticRegression(solver="gd", learning_rate=0.5, max_iter=100).fit(X, y)
    assert a.cost_history_[-1] == pytest.approx(b.cost_history_[-1], rel=1e-5)
    with pytest.raises(InputError, match="precision"):
        LogisticRegression(precision="float16").fit(X, y)


def test_oscillation_that_dies_out_is_not_flagged() -> None:
    from probkit.classifier.models.optimizers import descent_problem

    early = [1.0, 1.2, 0.9, 1.1, 0.8, 0.95] + [0.7 - 0.001 * i for i in range(100)]
    assert descent_problem(early, 0.1) is None
    steady = [1.0] + [0.6, 0.61] * 50
    assert "oscillates" in (descent_problem(steady, 0.1) or "")
    assert "non-finite" in (descent_problem([1.0, float("inf")], 0.1) or "")
    assert "rose from" in (descent_problem([1.0, 2.0, 3.0], 0.1) or "")
