"""Out-of-distribution score: shrinkage Mahalanobis against scikit-learn's Ledoit-Wolf
(oracle), leave-one-out against brute force, and what it flags."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probkit.data.datasets import make_synthetic
from probkit.errors import DataError, InputError, ModelFileError
from probkit.evaluation.typicality import (
    TypicalityScore,
    leave_one_out_scores,
    ledoit_wolf_from_gram,
)
from probkit.models import LogisticRegression
from probkit.models.classifier import Classifier
from probkit.models.modelfile import load_model, save_model

covariance = pytest.importorskip("sklearn.covariance")


def _data(n: int, p: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mix = rng.normal(size=(p, p)) / np.sqrt(p)
    return rng.normal(size=(n, p)) @ mix * rng.uniform(0.5, 3, size=p) + rng.normal(size=p)


@settings(max_examples=25, deadline=None)
@given(st.integers(4, 40), st.integers(1, 60), st.integers(0, 10**6))
def test_score_is_ledoit_wolf_mahalanobis(n, p, seed):
    X = _data(n, p, seed)
    Y = _data(5, p, seed + 1)
    lw = covariance.LedoitWolf().fit(X)
    ours = TypicalityScore().fit(X)
    if p > 1:  # with one feature S = nu*I whatever the shrinkage (sklearn reports 0, we 1)
        assert ours.shrinkage_ == pytest.approx(lw.shrinkage_, rel=1e-9, abs=1e-12)
    assert np.allclose(ours.score(Y), lw.mahalanobis(Y), rtol=1e-7, atol=1e-9)


def test_shrinkage_formula_on_a_hand_example():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 2.0], [0.0, -2.0]])
    nu, delta = ledoit_wolf_from_gram(X @ X.T, 2)
    assert nu == pytest.approx(1.25)
    assert delta == pytest.approx(covariance.LedoitWolf(assume_centered=True).fit(X).shrinkage_)


@pytest.mark.parametrize(("n", "p"), [(12, 3), (15, 40)])
def test_leave_one_out_is_a_refit_without_the_image(n, p):
    X = _data(n, p, 5)
    brute = [covariance.LedoitWolf().fit(np.delete(X, i, axis=0)).mahalanobis(X[i:i + 1])[0]
             for i in range(n)]
    assert np.allclose(leave_one_out_scores(X), brute, rtol=1e-8)
    # negative control: in-sample scores are smaller (the image helped fit its own estimate)
    in_sample = covariance.LedoitWolf().fit(X).mahalanobis(X)
    assert np.all(in_sample < np.asarray(brute))


@pytest.mark.slow
def test_typicality_is_a_calibrated_p_value_for_typical_inputs():
    rng = np.random.default_rng(0)
    flagged = []
    for _ in range(30):
        train = rng.normal(size=(100, 4))
        score = TypicalityScore(alpha=0.1).fit(train)
        fresh = rng.normal(size=(200, 4))
        flagged.append(np.mean(~score.in_distribution(fresh)))
    assert 0.06 < np.mean(flagged) < 0.14  # about alpha = 0.1


def test_far_inputs_have_typicality_zero_and_are_flagged():
    X = _data(60, 5, 1)
    score = TypicalityScore().fit(X)
    far = X.mean(axis=0) + 50 * X.std(axis=0)
    assert score.typicality(far[None])[0] == 0.0
    assert not score.in_distribution(far[None])[0]
    assert score.typicality(X.mean(axis=0)[None])[0] > 0.9


def test_bad_inputs_are_refused():
    with pytest.raises(DataError, match="at least 3"):
        TypicalityScore().fit(np.zeros((2, 3)))
    with pytest.raises(DataError, match="do not vary"):
        TypicalityScore().fit(np.ones((10, 3)))
    with pytest.raises(DataError, match="NaN"):
        TypicalityScore().fit(np.full((5, 2), np.nan))
    with pytest.raises(InputError, match="alpha"):
        TypicalityScore(alpha=1.5).fit(np.eye(4))
    score = TypicalityScore().fit(_data(10, 3, 0))
    with pytest.raises(DataError, match="columns"):
        score.score(np.zeros((1, 4)))
    with pytest.raises(InputError, match="not fitted"):
        TypicalityScore().score(np.zeros((1, 4)))


def test_arrays_round_trip_and_are_checked():
    X = _data(30, 6, 2)
    score = TypicalityScore().fit(X)
    again = TypicalityScore.from_arrays(score.to_arrays())
    Y = _data(7, 6, 3)
    assert np.array_equal(again.typicality(Y), score.typicality(Y))
    bad = score.to_arrays()
    bad["noise_variance"] = np.array(-1.0)
    with pytest.raises(InputError, match="inconsistent"):
        TypicalityScore.from_arrays(bad)
    with pytest.raises(InputError, match="lacks"):
        TypicalityScore.from_arrays({"mean": score.mean_})


def test_classifier_carries_the_score_into_the_model_file(tmp_path):
    train = make_synthetic(40, size=6, seed=3)
    clf = Classifier(estimator=LogisticRegression(max_iter=100, learning_rate=0.05)).fit(train)
    assert clf.typicality(train.images) is None  # not fitted: unknown, not "typical"
    clf.fit_typicality(train.images)
    path = tmp_path / "m.npz"
    save_model(path, clf)
    loaded = load_model(path)
    # in pixel space a flat grey page sits near the mean image (typical!); a checkerboard
    # lies along directions in which no training image varies
    odd = np.indices((6, 6)).sum(axis=0) % 2 == 1
    board = np.repeat(np.where(odd, 255, 0).astype(np.uint8)[None, :, :, None], 3, axis=-1)
    t, ok = loaded.typicality(np.concatenate([board, 255 - board]))
    assert np.array_equal(t, clf.typicality(np.concatenate([board, 255 - board]))[0])
    assert not ok.any()
    t_train, _ = loaded.typicality(train.images)
    assert np.median(t_train) > 0.2
    # a tampered score is refused by name
    with np.load(path) as npz:
        arrays = dict(npz)
    arrays["typicality_mean"] = arrays["typicality_mean"][:-1]
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError, match="typicality"):
        load_model(tmp_path / "bad.npz")
