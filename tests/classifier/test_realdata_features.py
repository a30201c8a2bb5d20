"""The representation search on the real cat-vs-non-cat files: chosen on the training file
only, then reported on the test file; OOD flags and the estimated base rate."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from probkit.classifier.data.datasets import load_dataset
from probkit.classifier.evaluation.comparison import per_image_log_loss
from probkit.classifier.label_shift import estimate_base_rate
from probkit.classifier.selection.candidates import make_grid
from probkit.classifier.selection.search import select_model

sys.path.insert(0, str(Path(__file__).parents[1]))
from ood_images import noise_images, text_images, uniform_images  # noqa: E402

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def chosen(cat_data_dir):
    train = load_dataset(cat_data_dir / "train_catvnoncat.h5")
    # a modest slice of `--grid features` around its choice (standardized sqrt(HSV 8x4x4),
    # λ=10), with the unrooted histogram beside it
    grid = make_grid(l2=(10.0, 30.0), preprocessing=("standardize",),
                     representations=("sqrt(hsv:8x4x4)", "hsv:8x4x4"))
    result = select_model(train, grid, k=5, repeats=2, seed=0)
    test = load_dataset(cat_data_dir / "test_catvnoncat.h5")  # only now, to report
    return result, test


def test_colour_histograms_beat_the_constant_model_in_cv(chosen):
    result, _ = chosen
    assert result.chosen.log_loss_mean < result.baseline_log_loss - 0.15


def test_the_square_root_wins_the_cross_validation(chosen):
    result, _ = chosen
    assert result.chosen.candidate.label.startswith("logistic [sqrt(hsv:8x4x4) std]")
    plain = min(r.log_loss_mean for r in result.rows if "[hsv:8x4x4 std]" in r.candidate.label)
    assert result.chosen.log_loss_mean < plain - 0.03  # docs/probabilities.md: 0.324 vs 0.381


def test_test_set_outcome(chosen):
    result, test = chosen
    clf = result.classifier
    z = clf.decision_function(test.images)
    accuracy = float(np.mean((z > 0) == test.labels))
    assert accuracy >= 0.76  # docs/probabilities.md, section 7: 40/50
    assert per_image_log_loss(test.labels, z).mean() < 0.55  # 0.483
    # a colour histogram cannot tell left from right: flipped images score the same
    flipped = clf.decision_function(test.images[:, :, ::-1])
    assert np.allclose(flipped, z)


def test_atypical_images_are_flagged_and_test_images_rarely(chosen):
    result, test = chosen
    clf = result.classifier
    assert clf.typicality_views == 2
    for odd in (uniform_images(), noise_images(), text_images()):
        _, ok = clf.typicality(odd)
        assert not ok.any()  # every uniform page (grey, black, white too), noise and text
    _, ok = clf.typicality(test.images)
    assert np.sum(~ok) <= 5  # at most 10% of the 50 test images
    # negative control: the colour-histogram view alone misses the grey, black and white
    # pages (docs/probabilities.md, section 8); the image statistics are what flag them
    grey = uniform_images()[:3]
    alone = clf.typicality_.typicality(clf.preprocessor.transform(grey))
    assert np.any(alone >= clf.typicality_threshold)


def test_em_estimates_the_test_share_of_cats(chosen):
    result, test = chosen
    clf = result.classifier
    est = estimate_base_rate(clf.decision_function(test.images),
                             training_base_rate=clf.training_base_rate, n_bootstrap=1000)
    lo, hi = est.interval
    assert lo <= 33 / 50 <= hi or not est.usable


def test_hog_matches_skimage_on_real_photos(cat_data_dir):
    feature = pytest.importorskip("skimage.feature")
    from probkit.classifier.features import HOG

    train = load_dataset(cat_data_dir / "train_catvnoncat.h5")
    ours = HOG().fit_transform(train.images[:40])
    theirs = np.stack([feature.hog(im / 255.0, orientations=9, pixels_per_cell=(8, 8),
                                   cells_per_block=(2, 2), channel_axis=-1)
                       for im in train.images[:40]])
    assert np.max(np.abs(ours - theirs)) < 1e-6
