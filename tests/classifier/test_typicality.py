"""Out-of-distribution score: shrinkage Mahalanobis against scikit-learn's Ledoit-Wolf
(oracle), leave-one-out against brute force, and what it flags."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probkit.classifier.data.datasets import make_synthetic
from probkit.classifier.evaluation.typicality import (
    TypicalityScore,
    combine_views,
    leave_one_out_scores,
    ledoit_wolf_from_gram,
    typicality_arrays,
)
from probkit.classifier.features.registry import build_representation
from probkit.classifier.features.statistics import STATISTIC_NAMES, image_statistics
from probkit.classifier.modelfile import load_model, save_model
from probkit.classifier.models import LogisticRegression
from probkit.classifier.pipeline import Classifier
from probkit.errors import DataError, InputError, ModelFileError

sys.path.insert(0, str(Path(__file__).parents[1]))
from ood_images import noise_images, text_images, uniform_images  # noqa: E402

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
    # one number each (a vector raised TypeError from float())
    for name in ("alpha", "noise_variance", "shrinkage"):
        with pytest.raises(InputError, match=f"{name} must be one number"):
            TypicalityScore.from_arrays(dict(score.to_arrays(), **{name: np.array([0.01])}))


def test_classifier_carries_the_score_into_the_model_file(tmp_path):
    train = make_synthetic(40, size=6, seed=3)
    clf = Classifier(estimator=LogisticRegression(solver="gd", max_iter=100,
                                                  learning_rate=0.05)).fit(train)
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
    # the basis is stored as float32: the tail's tiny scores agree in log space, not bit for bit
    in_memory = clf.typicality(np.concatenate([board, 255 - board]))[0]
    np.testing.assert_allclose(np.log(t), np.log(in_memory), rtol=1e-4)
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


def test_image_statistics_against_an_independent_computation():
    color = pytest.importorskip("skimage.color")
    rng = np.random.default_rng(4)
    smooth = np.cumsum(rng.integers(0, 3, (3, 20, 24, 3)), axis=2).clip(0, 255)
    images = smooth.astype(np.uint8)
    stats = image_statistics(images)
    assert stats.shape == (3, len(STATISTIC_NAMES))
    x = images / 255.0
    grey = 0.299 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2]
    for i in range(3):
        g = grey[i]
        step = 1 / 255
        assert stats[i, 0] == pytest.approx(np.log(g.std() + step))
        neighbours = np.concatenate([(g[:, 1:] - g[:, :-1]).ravel() ** 2,
                                     (g[1:] - g[:-1]).ravel() ** 2])
        # mean of the two directions' means (equal counts would make it the pooled mean)
        across = ((g[:, 1:] - g[:, :-1]) ** 2).mean()
        down = ((g[1:] - g[:-1]) ** 2).mean()
        assert neighbours.size > 0
        rough = ((across + down) / 2 + step**2) / (2 * g.var() + step**2)
        assert stats[i, 1] == pytest.approx(np.log(rough))
        saturation = color.rgb2hsv(images[i])[..., 1]  # scikit-image as the oracle
        assert stats[i, 2] == pytest.approx(saturation.mean())
        assert stats[i, 3] == pytest.approx(saturation.std())
    with pytest.raises(DataError, match="uint8"):
        image_statistics(images.astype(np.float64))
    with pytest.raises(DataError, match="shape"):
        image_statistics(images[0])


def test_combined_views_flag_below_alpha_over_the_number_of_views():
    t, ok = combine_views([np.array([0.9, 0.008, 0.3]), np.array([0.2, 0.6, 0.004])], 0.01)
    assert t.tolist() == [0.2, 0.008, 0.004]
    assert ok.tolist() == [True, True, False]  # 0.008 >= 0.01 / 2; 0.004 is not
    _, one = combine_views([np.array([0.008])], 0.01)
    assert not one[0]  # with one view the threshold is alpha itself
    with pytest.raises(InputError, match="at least one"):
        combine_views([], 0.01)


def test_two_views_keep_the_false_flag_rate_at_most_about_alpha():
    rng = np.random.default_rng(2)
    flagged = []
    for _ in range(10):
        train, fresh = rng.normal(size=(100, 3)), rng.normal(size=(300, 3))
        a, b = TypicalityScore().fit(train), TypicalityScore().fit(train[:, :2] ** 2)
        _, ok = combine_views([a.typicality(fresh), b.typicality(fresh[:, :2] ** 2)], 0.1)
        flagged.append(np.mean(~ok))
    # Bonferroni: at most 2 * ceil(0.05 n) / (n + 1) = 0.099 for n = 100; the views are
    # dependent (the second is a function of the first's data), so it can be below
    assert 0.04 < np.mean(flagged) < 0.12


def _synthetic_classifier(representation, size=64):
    train = make_synthetic(80, size=size, seed=1)
    clf = Classifier(preprocessor=representation,
                     estimator=LogisticRegression(solver="gd", max_iter=30,
                                                  learning_rate=0.01)).fit(train)
    return clf.fit_typicality(train.images)


@pytest.fixture(scope="module")
def synthetic_classifier():
    """A colour-histogram model, like the one chosen on the real training file."""
    return _synthetic_classifier(build_representation("features", features="hsv:8x4x4",
                                                      method="standardize"))


@pytest.fixture(scope="module")
def synthetic_pixel_classifier():
    return _synthetic_classifier(build_representation("pixels"), size=32)


def test_atypical_images_are_flagged_by_a_model_trained_on_synthetic_data(synthetic_classifier):
    clf = synthetic_classifier
    assert clf.typicality_views == 2 and clf.typicality_threshold == pytest.approx(0.005)
    pytest.importorskip("PIL")
    for odd in (uniform_images(), noise_images(), text_images()):
        t, ok = clf.typicality(odd)
        assert not ok.any() and np.all(t < 0.005)
    # negative control: fresh images drawn like the training ones are (nearly all) typical
    fresh = make_synthetic(40, size=64, seed=7).images
    _, ok = clf.typicality(fresh)
    assert ok.mean() >= 0.9


def test_the_image_view_is_what_flags_grey_pages_in_pixel_space(synthetic_pixel_classifier):
    clf = synthetic_pixel_classifier
    grey = np.full((1, 32, 32, 3), 110, dtype=np.uint8)  # the synthetic images' mean level
    features_only = clf.typicality_.typicality(clf.preprocessor.transform(grey))
    assert features_only[0] >= 0.005  # a flat page near the mean image: typical in pixels
    t, ok = clf.typicality(grey)
    assert t[0] < 0.005 and not ok[0]


def test_both_views_are_saved_checked_and_old_files_still_load(synthetic_classifier, tmp_path):
    clf = synthetic_classifier
    path = tmp_path / "m.npz"
    save_model(path, clf)
    loaded = load_model(path)
    assert loaded.photo_typicality_ is not None and loaded.image_typicality_ is None
    images = np.concatenate([uniform_images()[:2], make_synthetic(3, size=64, seed=9).images])
    assert np.array_equal(loaded.typicality(images)[0], clf.typicality(images)[0])
    with np.load(path) as npz:
        arrays = dict(npz)
    # a file from before the second view: the feature view alone, flagged below alpha
    old = {k: v for k, v in arrays.items() if not k.startswith("photo_typicality_")}
    np.savez(tmp_path / "old.npz", **old)
    before = load_model(tmp_path / "old.npz")
    assert before.photo_typicality_ is None and before.typicality_threshold == 0.01
    t, ok = before.typicality(images)
    assert np.array_equal(ok, t >= 0.01)
    # a file from the four-statistic image view: read and used as it was written
    train = make_synthetic(80, size=64, seed=1).images
    four = TypicalityScore(alpha=0.01).fit(image_statistics(train))
    older = dict(old, **typicality_arrays(None, four))
    np.savez(tmp_path / "older.npz", **older)
    image_view = load_model(tmp_path / "older.npz")
    assert image_view.typicality_views == 2 and image_view.photo_typicality_ is None
    expected = np.minimum(before.typicality(images)[0],
                          four.typicality(image_statistics(images)))
    np.testing.assert_allclose(image_view.typicality(images)[0], expected)
    bad = dict(arrays, photo_typicality_mean=arrays["photo_typicality_mean"][:-1])
    np.savez(tmp_path / "bad.npz", **bad)
    with pytest.raises(ModelFileError, match="photo_typicality_"):
        load_model(tmp_path / "bad.npz")
    lone = {k: v for k, v in arrays.items() if not k.startswith("typicality_")}
    np.savez(tmp_path / "lone.npz", **lone)
    with pytest.raises(ModelFileError, match="without"):
        load_model(tmp_path / "lone.npz")
    mixed = dict(arrays, photo_typicality_alpha=np.array(0.05))
    np.savez(tmp_path / "mixed.npz", **mixed)
    with pytest.raises(ModelFileError, match="differ"):
        load_model(tmp_path / "mixed.npz")
