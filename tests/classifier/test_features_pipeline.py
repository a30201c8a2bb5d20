"""The features in the pipeline: tune's representation search, diverged candidates, the
OOD flags and the estimated base rate in evaluate/predict (library and CLI)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hdf5_spy import spy_on_hdf5_opens

from probkit import workflows
from probkit.classifier.data.datasets import load_dataset, make_synthetic, write_dataset
from probkit.classifier.modelfile import load_model, save_model
from probkit.classifier.selection.candidates import Candidate, make_grid, named_grid
from probkit.classifier.selection.crossval import CVRow, cross_validate
from probkit.classifier.selection.rules import choose
from probkit.classifier.selection.search import select_model
from probkit.errors import ComputationError
from probkit_cli.app import app


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feat")
    train, test = folder / "train.h5", folder / "test.h5"
    write_dataset(train, make_synthetic(80, size=16, seed=21), split="train")
    write_dataset(test, make_synthetic(30, size=16, seed=22), split="test")
    return {"train": train, "test": test, "folder": folder}


HIST_GRID = make_grid(l2=(0.01, 1.0), preprocessing=("scale",),
                      representations=("hsv:4x2x2", "rgb:2x2x2"))


def test_features_grid_labels_show_the_representation():
    labels = [c.label for c in named_grid("features")]
    assert any("[hsv:8x4x4]" in x for x in labels) and any("[hog std]" in x for x in labels)
    assert any("[sqrt(hsv:8x4x4) std]" in x for x in labels)
    assert any(x.startswith("logistic /255") for x in labels)  # pixels stay in the search
    assert len(set(labels)) == len(labels)


def test_selection_of_the_representation_never_opens_the_test_file(files, monkeypatch):
    opened = spy_on_hdf5_opens(monkeypatch, files["test"])
    result = select_model(load_dataset(files["train"]), HIST_GRID, k=3, repeats=2)
    assert set(opened) == {os.path.realpath(files["train"])}
    assert result.chosen.candidate.representation == "features"
    assert result.classifier is not None and result.classifier.typicality_ is not None
    assert len(result.chosen.fold_log_loss) == 6  # 3 folds x 2 repeats
    with pytest.raises(AssertionError, match="opened the test file"):  # the spy works
        load_dataset(files["test"])


def test_the_chosen_features_model_round_trips_through_its_file(files, tmp_path):
    train = load_dataset(files["train"])
    clf = select_model(train, HIST_GRID[:1], k=3).classifier
    path = tmp_path / "m.npz"
    save_model(path, clf)
    again = load_model(path)
    assert again.preprocessor.get_params() == clf.preprocessor.get_params()
    assert np.array_equal(again.decision_function(train.images),
                          clf.decision_function(train.images))
    with np.load(path) as npz:  # plain arrays only
        assert all(npz[k].dtype != object for k in npz.files)


def test_diverged_candidates_are_reported_and_excluded(files):
    train = load_dataset(files["train"])
    good = Candidate(l2=1.0, max_iter=50)
    wild = Candidate(l2=0.0, solver="gd", learning_rate=1e4, max_iter=30)
    rows, _, _ = cross_validate(train, [good, wild], k=3)
    by = {r.candidate: r for r in rows}
    assert by[good].diverged is None and by[wild].diverged is not None
    assert "fold 1" in by[wild].diverged
    assert choose(rows).candidate == good
    assert by[wild].to_dict()["log_loss_mean"] is None
    json.dumps([r.to_dict() for r in rows], allow_nan=False)
    with pytest.raises(ComputationError, match="every candidate diverged"):
        choose([by[wild]])
    # negative control: a row without the mark is eligible even with a worse loss
    worse = CVRow(candidate=wild, fold_log_loss=(9.0,), fold_accuracy=(0.1,))
    assert choose([worse]).candidate == wild


def test_evaluate_counts_flags_and_estimates_the_base_rate(files):
    train = load_dataset(files["train"])
    clf = select_model(train, HIST_GRID[:1], k=3).classifier
    report = workflows.evaluate(clf, files["test"], base_rate="estimate")
    out = report.to_dict()
    ood = out["out_of_distribution"]
    assert ood["n"] == 30 and 0 <= ood["flagged"] <= 30 and "Mahalanobis" in ood["score"]
    est = out["base_rate_estimate"]
    assert 0 <= est["estimate"] <= 1 and len(est["interval"]) == 2
    if est["usable"]:
        assert out["at_base_rate"]["base_rate"] is not None
    else:
        assert "at_base_rate" not in out and est["reason"]
    json.dumps(out, allow_nan=False)


def test_predict_marks_each_prediction_and_flags_flat_pages(files, tmp_path, runner):
    train = load_dataset(files["train"])
    clf = select_model(train, HIST_GRID[:1], k=3).classifier
    model = tmp_path / "m.npz"
    save_model(model, clf)
    odd = make_synthetic(4, size=16, seed=5)
    odd.images[:] = np.array([128, 128, 128], dtype=np.uint8)  # flat grey pages
    odd_file = tmp_path / "odd.h5"
    write_dataset(odd_file, odd, split="test")
    report = workflows.predict(model, data=odd_file)
    assert all(p["in_distribution"] is False for p in report.predictions)
    assert report.flagged == 4
    result = runner.invoke(app, ["predict", "--model", str(model), "--data", str(odd_file)])
    assert result.exit_code == 0 and "UNLIKE TRAINING" in result.stdout
    assert "4 of 4 images are unlike the training images" in result.stderr
    typical = workflows.predict(model, data=files["train"]).predictions
    assert np.mean([p["in_distribution"] for p in typical]) > 0.9


def test_cli_base_rate_estimate(files, tmp_path, runner):
    train = load_dataset(files["train"])
    clf = select_model(train, HIST_GRID[:1], k=3).classifier
    model = tmp_path / "m.npz"
    save_model(model, clf)
    result = runner.invoke(app, ["evaluate", "--model", str(model), "--data",
                                 str(files["test"]), "--base-rate", "estimate", "--json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert "base_rate_estimate" in out and "out_of_distribution" in out
    text = runner.invoke(app, ["evaluate", "--model", str(model), "--data",
                               str(files["test"]), "--base-rate", "estimate"])
    assert "base rate from the images: estimated share of cats" in text.stdout
    bad = runner.invoke(app, ["evaluate", "--model", str(model), "--data",
                              str(files["test"]), "--base-rate", "estimated"])
    assert bad.exit_code == 2 and "base-rate" in bad.stderr


def test_evaluate_plots_the_colour_evidence_of_a_histogram_model(files, tmp_path):
    grid = make_grid(l2=(0.3,), preprocessing=("standardize",),
                     representations=("sqrt(hsv:4x2x2)",))
    clf = select_model(load_dataset(files["train"]), grid, k=3).classifier
    report = workflows.evaluate(clf, files["test"])
    names = sorted(os.path.basename(p) for p in report.save_plots(tmp_path / "plots"))
    assert names == ["evaluate_colour_contributions.png", "evaluate_colour_evidence.png",
                     "evaluate_colour_weights.png",
                     "evaluate_confident_mistakes.png", "evaluate_confident_verdicts.png",
                     "evaluate_reliability.png"]


def test_train_and_tune_take_features_from_the_cli(files, tmp_path, runner):
    out = tmp_path / "m.npz"
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(files["train"]), "--out", str(out),
                                 "--features", "sqrt(hsv:4x2x2)", "--preprocessing",
                                 "standardize", "--solver", "lbfgs", "--l2", "1", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["features"] == "sqrt(hsv:4x2x2)"
    assert load_model(out).preprocessor.label == "sqrt(hsv-hist 4x2x2) std"
    result = runner.invoke(app, ["tune", "--train", str(files["train"]), "--out",
                                 str(tmp_path / "t.npz"), "--features", "sqrt(hsv:4x2x2)",
                                 "--features", "pixels", "--l2", "1", "--flip", "no",
                                 "--iterations", "100", "--preprocessing", "scale", "--json"])
    assert result.exit_code == 0, result.stderr
    labels = {row["label"] for row in json.loads(result.stdout)["grid"]}
    assert labels == {"logistic [sqrt(hsv:4x2x2)] λ=1 lbfgs×100", "logistic /255 λ=1 lbfgs×100"}
    bad = runner.invoke(app, ["train", "--features", "pixels",
                              "--train", str(files["train"]), "--out",
                              str(tmp_path / "x.npz"), "--features", "sift"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --features: unknown features")
    assert not (tmp_path / "x.npz").exists()
    named = runner.invoke(app, ["tune", "--train", str(files["train"]), "--out",
                                str(tmp_path / "y.npz"), "--grid", "quick", "--features", "hog"])
    assert named.exit_code == 2 and "fixes --features" in named.stderr
