"""Honest selection on the real cat data (needs PROBKIT_CAT_DATA).

A small fixed grid is cross-validated on the training file only; the test file
is opened only after the choice is made and refitted. The full grid lives in
``probkit tune --grid full`` (see docs/probabilities.md).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.classifier.data.datasets import load_dataset
from probkit.classifier.evaluation.metrics import log_loss
from probkit.classifier.selection.candidates import make_grid
from probkit.classifier.selection.search import select_model
from probkit_cli.app import app

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def paths(cat_data_dir: Path) -> tuple[Path, Path]:
    train, test = cat_data_dir / "train_catvnoncat.h5", cat_data_dir / "test_catvnoncat.h5"
    assert train.is_file() and test.is_file(), f"cat data missing under {cat_data_dir}"
    return train, test


@pytest.fixture(scope="module")
def selection(paths):
    train = load_dataset(paths[0])
    grid = make_grid(l2=(100.0, 1000.0), preprocessing=("scale",), flip=(True,),
                     max_iter=(40,))
    return train, select_model(train, grid, k=5, seed=0)


def test_selection_beats_the_constant_in_cv_and_on_test(paths, selection):
    train, result = selection
    # the constant model's CV log loss is about the entropy of the training base rate
    rate = float(train.labels.mean())
    entropy = -(rate * math.log(rate) + (1 - rate) * math.log(1 - rate))
    assert result.baseline_log_loss == pytest.approx(entropy, abs=0.01)
    assert result.chosen.log_loss_mean < result.baseline_log_loss
    # only now is the test file read
    test = load_dataset(paths[1])
    clf = result.classifier
    p_cat = clf.predict_proba(test.images)[:, 1]
    model_loss = log_loss(test.labels, p_cat)
    constant_loss = log_loss(test.labels, np.full(test.n, clf.training_base_rate))
    assert model_loss < constant_loss


def test_as_test_view_on_real_data_matches_counting(paths, selection, tmp_path):
    from probkit.classifier.modelfile import save_model

    _, result = selection
    model = tmp_path / "m.npz"
    save_model(model, result.classifier)
    runner = CliRunner()
    out = runner.invoke(app, ["evaluate", "--model", str(model), "--data", str(paths[1]),
                              "--as-test", "--base-rate", "1/2", "--json"])
    assert out.exit_code == 0, out.stderr
    payload = json.loads(out.stdout)
    c = payload["at_base_rate"]["confusion"]
    own = payload["as_test"]["answers"][0]
    assert own["base_rate"] == str(Fraction(c["tp"] + c["fn"], payload["n"]))
    if c["tp"] + c["fp"]:
        assert Fraction(own["p_cat_if_says_cat"]["exact"]) == Fraction(c["tp"],
                                                                       c["tp"] + c["fp"])
