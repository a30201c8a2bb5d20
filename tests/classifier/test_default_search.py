"""The default path of ``probkit tune``: the searched grid, the nested-CV estimate of the
whole selection, the warning for a winner no better than the constant model, and the
refit's ConvergenceWarning as a note."""

from __future__ import annotations

import numpy as np
import pytest

from probkit import workflows
from probkit.classifier.data.datasets import Dataset, make_synthetic, write_dataset
from probkit.classifier.features import parse_features
from probkit.classifier.selection.candidates import (
    DEFAULT_FEATURES,
    DEFAULT_SEARCH,
    make_grid,
    named_grid,
)
from probkit.classifier.selection.crossval import cross_validate
from probkit.classifier.selection.nested import OUTER_SEED_OFFSET, nested_cross_validate
from probkit.classifier.selection.search import select_model

TRAIN = make_synthetic(40, size=6, seed=3)


def test_the_default_grid_searches_representation_family_and_lambda():
    grid = named_grid("default")
    reps = {dict(c.representation_params).get("features", c.representation) for c in grid}
    assert reps == {text for text, _, _ in DEFAULT_SEARCH} and DEFAULT_FEATURES in reps
    assert {c.model for c in grid} == {"logistic", "two-layer"}
    assert {c.flip for c in grid} == {False, True} and len({c.l2 for c in grid}) >= 4
    for text in reps:  # every text is a representation the parser knows
        parse_features(text)
    assert all(c.representation == "pixels" for c in named_grid("pixels"))


def test_nested_cv_of_a_one_candidate_grid_is_plain_cv_on_the_outer_folds():
    grid = make_grid(l2=(1.0,), preprocessing=("scale",))
    nested = nested_cross_validate(TRAIN, grid, k=3, inner_k=3, calibrate="none", seed=2)
    rows, _, _ = cross_validate(TRAIN, grid, k=3, seed=2 + OUTER_SEED_OFFSET)
    np.testing.assert_allclose(nested.fold_log_loss, rows[0].fold_log_loss, rtol=1e-10)
    np.testing.assert_allclose(nested.fold_accuracy, rows[0].fold_accuracy)
    assert nested.chosen == (grid[0].label,) * 3
    # negative control: other outer folds give other scores
    other, _, _ = cross_validate(TRAIN, grid, k=3, seed=2)
    assert not np.allclose(nested.fold_log_loss, other[0].fold_log_loss)


def test_nested_cv_scores_the_selection_not_the_winner():
    grid = make_grid(l2=(0.01, 1.0, 100.0), preprocessing=("scale",))
    nested = nested_cross_validate(TRAIN, grid, k=3, inner_k=3, seed=0)
    winner = select_model(TRAIN, grid, k=3, seed=0, refit=False).chosen
    assert len(nested.fold_log_loss) == 3 and nested.log_loss_se > 0
    assert nested.log_loss_mean != pytest.approx(winner.log_loss_mean)
    assert 0 <= nested.accuracy_mean <= 1 and set(nested.chosen) <= {c.label for c in grid}


@pytest.fixture(scope="module")
def noise_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("noise")
    data = make_synthetic(40, size=6, seed=5)
    labels = np.random.default_rng(9).permutation(data.labels)  # labels unrelated to images
    write_dataset(folder / "noise.h5", Dataset(data.images, labels), split="train")
    write_dataset(folder / "signal.h5", data, split="train")
    return folder


def test_a_winner_no_better_than_the_constant_model_is_warned_in_one_line(noise_file):
    report = workflows.tune(noise_file / "noise.h5", l2=[1e4], preprocessing=["scale"],
                            max_iter=[500], flip="no", folds=3)
    notes = [n for n in report.notes if "no better than the constant model" in n]
    assert len(notes) == 1 and "\n" not in notes[0]
    assert report.to_dict()["notes"] == report.notes
    assert "no better than the constant model" in report._repr_html_()
    # negative control: a learnable file, no such note
    good = workflows.tune(noise_file / "signal.h5", l2=[1.0], preprocessing=["scale"],
                          max_iter=[500], flip="no", folds=3)
    assert not any("constant model" in n for n in good.notes)


def test_a_refit_stopped_short_is_a_note_and_early_stopping_is_not(noise_file):
    short = workflows.tune(noise_file / "signal.h5", l2=[0.0], preprocessing=["scale"],
                           max_iter=[500], flip="no", folds=3, solver="gd")
    assert any("ConvergenceWarning" not in n and "gradient descent stopped" in n
               and "solver='lbfgs'" in n for n in short.notes)
    early = workflows.tune(noise_file / "signal.h5", l2=[1.0], preprocessing=["scale"],
                           max_iter=[20], flip="no", folds=3)
    assert not any("stopped" in n for n in early.notes)


def test_nested_runs_by_default_only_on_the_default_grid(noise_file):
    custom = workflows.tune(noise_file / "signal.h5", l2=[1.0], preprocessing=["scale"],
                            max_iter=[500], flip="no", folds=3)
    assert custom.nested is None and custom.result.repeats == 1
    asked = workflows.tune(noise_file / "signal.h5", l2=[1.0], preprocessing=["scale"],
                           max_iter=[500], flip="no", folds=3, nested=True, repeats=2)
    assert asked.nested is not None and asked.nested.k == 3 and asked.result.repeats == 2
    assert asked.to_dict()["nested"]["log_loss_mean"] == asked.nested.log_loss_mean
    assert "nested CV of the whole selection" in asked._repr_html_()
    assert "nested CV" not in custom._repr_html_()
