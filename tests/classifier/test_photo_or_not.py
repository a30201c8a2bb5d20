"""A photograph, or something else? Greyscale images and images far outside every
training image are flagged and get no verdict; the typicality's tail is modelled, so an
image far outside gets a tiny typicality rather than the rank's floor."""

from __future__ import annotations

import json

import numpy as np
import pytest

from probkit import workflows
from probkit.classifier.data.datasets import Dataset, make_synthetic, write_dataset
from probkit.classifier.evaluation.typicality import TypicalityScore, tail_typicality
from probkit.classifier.features.statistics import GREY_SATURATION, image_statistics, is_greyscale


def test_the_tail_keeps_falling_beyond_the_largest_training_score():
    rng = np.random.default_rng(0)
    train = rng.normal(size=(200, 3))
    score = TypicalityScore().fit(train)
    top = score.training_scores_[-1]
    d2 = np.array([top, 2 * top, 4 * top])
    t = tail_typicality(score.training_scores_, d2)
    assert 0 < t[2] < t[1] < t[0] < 5 / 200 and t[2] < 1e-6
    # inside the bulk it is the plain rank: the share of training scores above
    mid = np.median(score.training_scores_)
    assert tail_typicality(score.training_scores_, np.array([mid]))[0] == pytest.approx(0.5,
                                                                                        abs=0.01)
    # negative control: the rank alone cannot tell 2x from 4x the largest training score
    ranks = np.mean(score.training_scores_[None, :] > d2[1:, None], axis=1)
    assert ranks.tolist() == [0.0, 0.0]


def test_typical_inputs_are_flagged_about_alpha_of_the_time():
    rng = np.random.default_rng(1)
    score = TypicalityScore(alpha=0.05).fit(rng.normal(size=(300, 4)))
    flagged = ~score.in_distribution(rng.normal(size=(4000, 4)))
    assert 0.02 < flagged.mean() < 0.09


def test_greyscale_is_mean_saturation_below_the_threshold():
    colour = make_synthetic(4, size=8, seed=0).images
    grey = np.repeat(colour[..., :1], 3, axis=-1)
    faint = grey.astype(np.int64)
    faint[..., 0] = np.minimum(faint[..., 0] + 1, 255)  # one step of red: saturation ~0.005
    stats = image_statistics(np.concatenate([colour, grey, faint.astype(np.uint8)]))
    assert is_greyscale(stats).tolist() == [False] * 4 + [True] * 8
    assert np.all(stats[8:, 2] < GREY_SATURATION)


@pytest.fixture(scope="module")
def colour_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photo")
    write_dataset(folder / "train.h5", make_synthetic(80, size=16, seed=4), split="train")
    workflows.train(folder / "train.h5", out=folder / "m.npz", features="std(hsv:4x2x2)",
                    l2=1.0)
    return folder


def test_a_flagged_image_gets_no_verdict_and_keeps_its_probability(colour_model):
    colour = make_synthetic(3, size=16, seed=9)
    grey = Dataset(np.repeat(colour.images[..., 1:2], 3, axis=-1), colour.labels)
    noise = np.random.default_rng(2).integers(0, 256, (1, 16, 16, 3), dtype=np.uint8)
    both = Dataset(np.concatenate([colour.images, grey.images, noise]),
                   np.r_[colour.labels, grey.labels, 0])
    write_dataset(colour_model / "mixed.h5", both, split="test")
    report = workflows.predict(colour_model / "m.npz", data=colour_model / "mixed.h5")
    rows = report.predictions
    assert [r["in_distribution"] for r in rows] == [True] * 3 + [False] * 4
    for r in rows[3:]:
        assert r["verdict"] is None and 0 <= r["p_cat"] <= 1 and r["label"] in ("cat", "non-cat")
    for r in rows[:3]:  # negative control: typical colour images keep their verdict
        assert r["verdict"] == r["label"]
    assert json.loads(json.dumps(report.to_dict()))["predictions"][3]["verdict"] is None
    _, cells, _ = report.table()
    shown = cells[3][3]
    assert shown == (f"unlike the training photos — no verdict (P(cat) would be "
                     f"{rows[3]['p_cat']:.2f})")
    assert cells[0][3] == rows[0]["label"]
