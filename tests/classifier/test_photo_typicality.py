"""The photograph-or-not view: nine photo statistics, a robust distance, held-out calibration
with a modelled tail. Trained here on colour photographs that are not the cat data
(scikit-image's and scikit-learn's, cropped), so the tests run without it."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from probkit.classifier.evaluation.photo_typicality import (
    PhotoTypicality,
    photo_typicality_from_arrays,
    robust_centre,
)
from probkit.classifier.evaluation.typicality import tail_typicality
from probkit.classifier.features.photo_statistics import PHOTO_STATISTIC_NAMES, photo_statistics
from probkit.errors import DataError, InputError

sys.path.insert(0, str(Path(__file__).parents[1]))
from ood_images import uniform_images  # noqa: E402


def test_photo_statistics_against_a_hand_count():
    image = np.zeros((1, 4, 4, 3), dtype=np.uint8)
    image[0, :, :2] = (200, 0, 0)  # left half red, right half black
    image[0, 0, 3] = (0, 0, 9)  # one dark blue pixel
    stats = dict(zip(PHOTO_STATISTIC_NAMES, photo_statistics(image)[0], strict=True))
    pairs, pixels = 24, 16
    same = (1 + 2 * 3) + (3 + 3 + 3 + 2)  # rows: R=R on row 0, R=R and K=K below; columns
    assert stats["flatness"] == pytest.approx(np.log((same / pairs + 1 / pairs)
                                                     / (1 - same / pairs + 1 / pairs)))
    assert stats["log_colours"] == pytest.approx(np.log(3 / pixels))
    grey = np.array([0.299 * 200 / 255] * 8 + [0.0] * 7 + [0.114 * 9 / 255])
    skew = np.mean((grey - grey.mean()) ** 3) / (grey.std() + 1 / 255) ** 3
    assert stats["skewness"] == pytest.approx(skew)
    dark = 8 / pixels  # black and the dark blue pixel: 7 + 1
    assert stats["dark_share"] == pytest.approx(np.log((dark + 1 / 16) / (1 - dark + 1 / 16)))
    q50, q99 = np.quantile(grey, [0.5, 0.99])
    assert stats["highlight_ratio"] == pytest.approx(np.log((q99 + 1 / 255) / (q50 + 1 / 255)))


def test_robust_centre_ignores_a_quarter_of_gross_outliers_and_the_plain_mean_does_not():
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(size=(90, 3)), rng.normal(40.0, 1.0, size=(20, 3))]
    mean, precision = robust_centre(x)
    assert np.all(np.abs(mean) < 0.4)
    assert np.all(np.abs(np.linalg.inv(precision) - np.eye(3)) < 0.5)
    assert np.all(x.mean(axis=0) > 5)  # negative control


def test_the_median_scale_tail_is_not_flattened_by_one_training_outlier():
    rng = np.random.default_rng(4)
    train = np.r_[rng.normal(size=(150, 2)), [[30.0, -30.0]]]
    score = PhotoTypicality().fit(train)
    far = np.array([[7.0, 7.0]])
    assert score.typicality(far)[0] < 1e-4
    # negative control: the mean excess (the outlier's score is most of it) leaves it typical
    mean_scale = tail_typicality(score.training_scores_, score.score(far))
    assert mean_scale[0] > 0.005


def test_held_out_calibration_flags_about_alpha_of_fresh_typical_inputs():
    rng = np.random.default_rng(5)
    score = PhotoTypicality(alpha=0.05).fit(rng.normal(size=(300, 4)))
    flagged = ~score.in_distribution(rng.normal(size=(4000, 4)))
    assert 0.02 < flagged.mean() < 0.09


def test_bad_inputs_and_stored_states_are_refused_by_name():
    with pytest.raises(InputError, match="alpha"):
        PhotoTypicality(alpha=1.5).fit(np.zeros((30, 2)))
    with pytest.raises(DataError, match="at least"):
        PhotoTypicality().fit(np.random.default_rng(0).normal(size=(10, 4)))
    with pytest.raises(InputError, match="not fitted"):
        PhotoTypicality().score(np.zeros((1, 2)))
    rng = np.random.default_rng(6)
    fitted = PhotoTypicality().fit(rng.normal(size=(60, len(PHOTO_STATISTIC_NAMES))))
    arrays = {f"photo_typicality_{k}": v for k, v in fitted.to_arrays().items()}
    back = photo_typicality_from_arrays(arrays)
    assert back is not None
    x = rng.normal(size=(5, len(PHOTO_STATISTIC_NAMES)))
    np.testing.assert_array_equal(back.typicality(x), fitted.typicality(x))
    skewed = dict(arrays, photo_typicality_precision=np.triu(arrays["photo_typicality_precision"]))
    with pytest.raises(InputError, match="symmetric positive definite"):
        photo_typicality_from_arrays(skewed)
    short = {k: v[:3] if k.endswith("mean") else v for k, v in arrays.items()}
    with pytest.raises(InputError, match="photo_typicality_"):
        photo_typicality_from_arrays(short)
    # a tampered file: alpha is one number (a vector raised TypeError), and the held-out
    # scores are squared distances (negative ones were read as given)
    for alpha in (np.array([0.01, 0.01]), np.array([0.01])):
        with pytest.raises(InputError, match="alpha must be one number"):
            photo_typicality_from_arrays(dict(arrays, photo_typicality_alpha=alpha))
    negative = dict(arrays, photo_typicality_training_scores=-arrays[
        "photo_typicality_training_scores"])
    with pytest.raises(InputError, match="training_scores must be squared distances"):
        photo_typicality_from_arrays(negative)


@pytest.fixture(scope="module")
def outside_photos():
    pytest.importorskip("skimage.data")
    pytest.importorskip("sklearn.datasets")
    pytest.importorskip("PIL")
    import photo_corpus

    train, _ = photo_corpus.photo_crops(25, seed=0)
    fresh, _ = photo_corpus.photo_crops(10, seed=1)
    score = PhotoTypicality().fit(photo_statistics(train))
    return score, fresh


def test_screens_pages_and_flat_images_are_far_from_colour_photographs(outside_photos):
    import photo_corpus

    score, fresh = outside_photos
    shots, names = photo_corpus.screenshots(per_layout=2, seed=7)
    pages = np.stack([photo_corpus.text_page(s) for s in range(3)])
    odd = np.concatenate([shots, pages, uniform_images()])
    t = score.typicality(photo_statistics(odd))
    assert np.all(t < 0.005), [n for n, v in zip(names, t, strict=False) if v >= 0.005]
    # negative control: fresh crops of the same photographs are (nearly all) typical
    flagged = score.typicality(photo_statistics(fresh)) < 0.005
    assert flagged.mean() <= 0.05


def test_a_classifier_trained_on_too_few_images_for_the_photo_view_has_the_feature_view_alone():
    from probkit.classifier.data.datasets import make_synthetic
    from probkit.classifier.evaluation.photo_typicality import min_training_images
    from probkit.classifier.pipeline import Classifier

    need = min_training_images(len(PHOTO_STATISTIC_NAMES))
    assert need == 22
    few, enough = make_synthetic(need - 1, size=8, seed=2), make_synthetic(need, size=8, seed=2)
    small = Classifier().fit(few).fit_typicality(few.images)
    assert small.photo_typicality_ is None and small.typicality_views == 1
    assert small.typicality_threshold == pytest.approx(0.01)
    # negative control: one image more and the photo view is there
    full = Classifier().fit(enough).fit_typicality(enough.images)
    assert full.photo_typicality_ is not None and full.typicality_views == 2
