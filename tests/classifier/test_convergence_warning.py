"""No silent non-convergence: every solver that stops before its gradient-norm tolerance
warns (a ConvergenceWarning, scikit-learn's class too when scikit-learn is loaded), with
what to change; the library's default solver is L-BFGS, as the command line's."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

from probkit.classifier.models import ConvergenceWarning, LogisticRegression, TwoLayerNet


def _data(n: int = 120, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 5)) + 0.8 * y[:, None]
    return X, y


def _fit_warnings(model, X, y) -> list[warnings.WarningMessage]:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    return [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def test_the_default_solver_is_lbfgs_and_reaches_the_optimum_without_a_word():
    X, y = _data()
    model = LogisticRegression(l2=1.0)
    assert model.solver == "lbfgs"
    assert _fit_warnings(model, X, y) == []
    assert model.converged_ and model.training_path_ == "lbfgs"


def test_gradient_descent_stopped_by_max_iter_warns_with_advice():
    X, y = _data()
    model = LogisticRegression(solver="gd", learning_rate=0.005, max_iter=50)
    caught = _fit_warnings(model, X, y)
    assert len(caught) == 1 and not model.converged_
    text = str(caught[0].message)
    assert "stopped before its gradient tolerance tol=1e-06" in text
    assert "reached max_iter=50 with gradient norm" in text and "solver='lbfgs'" in text
    # negative control: run to the tolerance, no warning
    assert _fit_warnings(LogisticRegression(solver="gd", learning_rate=0.5, max_iter=20000,
                                            tol=1e-4), X, y) == []


def test_lbfgs_stopped_by_max_iter_warns_and_so_does_the_net():
    X, y = _data()
    caught = _fit_warnings(LogisticRegression(max_iter=2), X, y)
    assert len(caught) == 1 and "L-BFGS stopped before" in str(caught[0].message)
    assert "raise `max_iter`" in str(caught[0].message)
    net = _fit_warnings(TwoLayerNet(hidden=3, solver="gd", max_iter=5), X, y)
    assert len(net) == 1 and "gradient descent stopped" in str(net[0].message)


def test_a_diverging_run_warns_divergence_not_convergence():
    X, y = _data()
    X = X * 100
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LogisticRegression(solver="gd", learning_rate=10.0, max_iter=50).fit(X, y)
    names = {w.category.__name__ for w in caught}
    assert "DivergenceWarning" in names and "ConvergenceWarning" not in names


def test_the_warning_is_scikit_learns_class_when_scikit_learn_is_loaded():
    exceptions = pytest.importorskip("sklearn.exceptions")
    X, y = _data()
    caught = _fit_warnings(LogisticRegression(max_iter=2), X, y)
    assert issubclass(caught[0].category, exceptions.ConvergenceWarning)
    assert issubclass(caught[0].category, ConvergenceWarning)


def test_without_scikit_learn_the_warning_is_probkits_own():
    code = ("import sys, warnings, numpy as np\n"
            "from probkit.classifier.models import LogisticRegression, ConvergenceWarning\n"
            "X = np.arange(20.0).reshape(10, 2); y = np.arange(10) % 2\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always'); LogisticRegression(max_iter=1).fit(X, y)\n"
            "print(w[0].category is ConvergenceWarning, 'sklearn' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "False"]


def test_l2_is_one_over_c_in_scikit_learns_terms():
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y = _data(200, seed=3)
    for lam in (0.5, 5.0, 50.0):
        ours = LogisticRegression(l2=lam, tol=1e-10, max_iter=5000).fit(X, y)
        theirs = linear_model.LogisticRegression(C=1 / lam, tol=1e-12, max_iter=10000).fit(X, y)
        np.testing.assert_allclose(ours.params_["W"][0], theirs.coef_[0], atol=1e-6)
        np.testing.assert_allclose(ours.params_["b"], theirs.intercept_, atol=1e-6)
    # negative control: C = λ (the wrong way round) gives other weights
    wrong = linear_model.LogisticRegression(C=5.0, tol=1e-12, max_iter=10000).fit(X, y)
    ours = LogisticRegression(l2=5.0, tol=1e-10, max_iter=5000).fit(X, y)
    assert not np.allclose(ours.params_["W"][0], wrong.coef_[0], atol=1e-3)
