"""The models are real scikit-learn estimators (scikit-learn is a test-only dependency).

scikit-learn's own estimator checks run on both models; they all pass but for the two
that this environment cannot run (named in EXPECTED_SKIPS with the reason).
"""

from __future__ import annotations

import pickle
import sys
import warnings

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone, is_classifier  # noqa: E402
from sklearn.calibration import CalibratedClassifierCV  # noqa: E402
from sklearn.exceptions import NotFittedError as SklearnNotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from probkit.errors import InputError, NotFittedError, ProbkitError  # noqa: E402
from probkit.models import LogisticRegression, TwoLayerNet  # noqa: E402

# Checks that do not run here, and why (they are skipped by scikit-learn itself, not by us):
EXPECTED_SKIPS = {
    "check_array_api_input": "needs SCIPY_ARRAY_API=1 and an array-API library",
    "check_classifier_data_not_an_array": "its pandas half needs pandas, not a test dependency",
}


def _blobs(n: int = 80, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 3)) + 1.5 * y[:, None]
    return X, y


@pytest.mark.slow
@parametrize_with_checks([LogisticRegression(), TwoLayerNet(hidden=4)])
def test_scikit_learn_estimator_checks(estimator, check) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


@pytest.mark.slow
def test_the_expected_skips_are_the_only_ones() -> None:
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(LogisticRegression(), on_fail=None)
    not_passed = {r["check_name"]: r["status"] for r in results if r["status"] != "passed"}
    assert set(not_passed) <= set(EXPECTED_SKIPS)
    assert all(status == "skipped" for status in not_passed.values())


@pytest.mark.parametrize("cls", [LogisticRegression, TwoLayerNet])
def test_clone_and_deep_params(cls) -> None:  # type: ignore[no-untyped-def]
    model = cls(l2=0.5, max_iter=7)
    copy = clone(model)
    assert copy is not model and copy.get_params(deep=True) == model.get_params(deep=False)
    assert is_classifier(model)


def test_any_two_labels_are_classes() -> None:
    X, y = _blobs()
    labels = np.where(y == 1, "cat", "dog")
    model = LogisticRegression(solver="lbfgs", max_iter=200).fit(X, labels)
    assert model.classes_.tolist() == ["cat", "dog"]
    coded = LogisticRegression(solver="lbfgs", max_iter=200).fit(X, 1 - y)
    # "dog" (the second sorted label) is class 1 exactly as 1 - y == 1 is
    np.testing.assert_allclose(model.predict_proba(X), coded.predict_proba(X), atol=1e-12)
    assert set(model.predict(X)) <= {"cat", "dog"}
    assert model.score(X, labels) == coded.score(X, 1 - y) > 0.8
    signed = LogisticRegression(solver="lbfgs", max_iter=200).fit(X, 2 * y - 1)
    assert signed.classes_.tolist() == [-1, 1]
    assert set(signed.predict(X).tolist()) == {-1, 1}


def test_grid_search_pipeline_and_calibration_drive_the_models() -> None:
    X, y = _blobs(120)
    scores = cross_val_score(LogisticRegression(solver="lbfgs", max_iter=100), X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.75
    search = GridSearchCV(make_pipeline(StandardScaler(), TwoLayerNet(hidden=3, max_iter=300)),
                          {"twolayernet__l2": [0.0, 1.0]}, cv=3).fit(X, y)
    assert search.best_params_["twolayernet__l2"] in (0.0, 1.0)
    calibrated = CalibratedClassifierCV(LogisticRegression(solver="lbfgs"), cv=3).fit(X, y)
    proba = calibrated.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_not_fitted_error_is_probkit_and_scikit_learn_alike() -> None:
    model = LogisticRegression()
    with pytest.raises(NotFittedError) as info:
        model.predict(np.zeros((2, 3)))
    error = info.value
    assert isinstance(error, ProbkitError | ValueError) and isinstance(error, AttributeError)
    # scikit-learn is loaded in this test, so the error is its NotFittedError too
    assert isinstance(error, SklearnNotFittedError)


def test_not_fitted_error_without_scikit_learn_loaded() -> None:
    import subprocess

    code = ("import sys\nfrom probkit.models import LogisticRegression\n"
            "from probkit.errors import NotFittedError\n"
            "try:\n    LogisticRegression().predict([[0.0]])\n"
            "except NotFittedError as e:\n"
            "    assert isinstance(e, ValueError) and isinstance(e, AttributeError)\n"
            "    print(type(e) is NotFittedError, 'sklearn' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "False"]


def test_sparse_complex_and_single_class_are_refused_by_name() -> None:
    from scipy.sparse import csr_matrix

    X, y = _blobs(20)
    with pytest.raises(InputError, match="sparse matrix.*toarray"):
        LogisticRegression().fit(csr_matrix(X), y)
    with pytest.raises(InputError, match="Complex data not supported"):
        LogisticRegression().fit(X + 1j, y)
    with pytest.raises(InputError, match="holds 1 class"):
        LogisticRegression().fit(X, np.ones_like(y))


def test_fitted_model_pickles_for_scikit_learn_but_model_files_do_not() -> None:
    # scikit-learn tools (joblib, n_jobs) pickle estimators; probkit's own model files never do
    X, y = _blobs(30)
    model = LogisticRegression(solver="lbfgs").fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
