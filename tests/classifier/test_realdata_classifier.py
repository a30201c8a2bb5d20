"""The published figures on the real cat-vs-non-cat data (needs PROBKIT_CAT_DATA).

Skipped when PROBKIT_CAT_DATA is unset; when it is set the files must be there.
Hyperparameters are the classic recipes' (and the default seed 0); nothing here
is tuned on the test set.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.classifier.data.datasets import load_dataset
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.models import DivergenceWarning, LogisticRegression, TwoLayerNet
from probkit.classifier.pipeline import Classifier

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def data(cat_data_dir: Path):
    train_path = cat_data_dir / "train_catvnoncat.h5"
    test_path = cat_data_dir / "test_catvnoncat.h5"
    assert test_path.is_file(), f"cat data missing under {cat_data_dir}"
    return load_dataset(train_path), load_dataset(test_path)


@pytest.fixture(scope="module")
def features(data):
    train, test = data
    pre = Preprocessor().fit(train.images)
    return pre.transform(train.images), train.labels, pre.transform(test.images), test.labels


def test_the_files_are_the_published_ones(data) -> None:
    train, test = data
    assert train.images.shape == (209, 64, 64, 3) and int(train.labels.sum()) == 72
    assert test.images.shape == (50, 64, 64, 3) and int(test.labels.sum()) == 33
    assert train.class_names == test.class_names == ("non-cat", "cat")


def test_logistic_recipe_reproduces_99_and_70(data) -> None:
    train, test = data
    clf = Classifier(estimator=LogisticRegression(solver="gd")).fit(train)  # /255, 0s, 2000 x 0.005
    assert clf.estimator.n_iter_ == 2000 and clf.estimator.training_path_ == "dual"
    assert abs(clf.score(train) - 0.99) <= 0.005  # 207/209
    assert abs(clf.score(test) - 0.70) <= 0.02
    report = clf.evaluate(test)
    assert 0.70 < report["log_loss"] < 0.80  # overconfident, as measured elsewhere (0.75)
    assert report["baseline_accuracy"] == pytest.approx(0.66)


def test_two_layer_recipe_reproduces_100_and_72(data) -> None:
    train, test = data
    clf = Classifier(estimator=TwoLayerNet()).fit(train)  # 7 ReLU, N(0, 0.01²), 2500 x 0.0075
    assert clf.estimator.n_iter_ == 2500
    assert clf.score(train) >= 0.99
    assert abs(clf.score(test) - 0.72) <= 0.04  # ±4 points: a different random stream
    assert clf.evaluate(test)["log_loss"] > 0.69  # worse than a coin: overconfident


# 100 steps: still early
@pytest.mark.filterwarnings("ignore::probkit.classifier.models.DivergenceWarning")
def test_dual_path_equals_primal_path_on_real_data(features) -> None:
    X, y, Xt, yt = features
    models = (TwoLayerNet(max_iter=100, tol=0.0), LogisticRegression(l2=0.7, max_iter=100,
                                                                    solver="gd"))
    for model in models:
        dual = model.clone().fit(X, y, validation=(Xt, yt))
        primal = model.clone().set_params(gd_path="primal").fit(X, y, validation=(Xt, yt))
        assert dual.training_path_ == "dual" and primal.training_path_ == "primal"
        np.testing.assert_allclose(dual.cost_history_, primal.cost_history_, rtol=1e-10)
        np.testing.assert_allclose(dual.validation_loss_history_,
                                   primal.validation_loss_history_, rtol=1e-10)
        for k in primal.params_:
            np.testing.assert_allclose(dual.params_[k], primal.params_[k], rtol=1e-8,
                                       atol=1e-10 * np.abs(primal.params_[k]).max())


def test_lambda_100_course_rate_oscillates_and_lbfgs_converges(features) -> None:
    X, y, _, _ = features
    with pytest.warns(DivergenceWarning, match="oscillates"):
        gd = LogisticRegression(l2=100, max_iter=400, solver="gd").fit(X, y)
    lb = LogisticRegression(l2=100, solver="lbfgs", max_iter=1000, tol=1e-6).fit(X, y)
    assert lb.converged_ and lb.n_iter_ < 300
    assert lb.cost_history_[-1] < gd.cost_history_.min()
    with warnings.catch_warnings():
        # below 2/L (≈ 0.0036 here) gradient descent is calm (400 steps do fall short)
        warnings.simplefilter("error", DivergenceWarning)
        calm = LogisticRegression(l2=100, learning_rate=0.003, max_iter=400,
                                  solver="gd").fit(X, y)
    assert np.all(np.diff(calm.cost_history_) <= 1e-12)
    assert calm.cost_history_[-1] >= lb.cost_history_[-1]


def test_cli_train_on_real_data(tmp_path, cat_data_dir: Path) -> None:
    from probkit_cli.app import app

    base = cat_data_dir
    result = CliRunner().invoke(app, [
        "train", "--features", "pixels", "--solver", "gd",
        "--train", str(base / "train_catvnoncat.h5"),
        "--test", str(base / "test_catvnoncat.h5"), "--out", str(tmp_path / "m.npz"), "--json",
    ])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["train"]["accuracy"] == pytest.approx(0.99, abs=0.005)
    assert payload["test"]["accuracy"] == pytest.approx(0.70, abs=0.02)
    lo, hi = payload["test"]["accuracy_ci"]
    assert lo < 0.6 and hi > 0.8  # 50 images: a wide interval
