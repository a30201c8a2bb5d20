"""``probkit tune`` end to end, and proof that selection never reads test data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hdf5_spy import spy_on_hdf5_opens
from typer.testing import CliRunner

from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.classifier.modelfile import load_model
from probkit_cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tune")
    train, test = folder / "train.h5", folder / "test.h5"
    write_dataset(train, make_synthetic(90, size=6, seed=11), split="train")
    write_dataset(test, make_synthetic(40, size=6, seed=12), split="test")
    return {"train": train, "test": test, "folder": folder}


#: the four pixel candidates tests on tiny images search (the quick grid reads the default
#: features, which need images of at least 16x16 pixels)
PIXELS_QUICK = ["--features", "pixels", "--l2", "10", "--l2", "1000", "--iterations", "100",
                "--flip", "no"]


def _run(args):
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_tune_json_writes_a_model_chosen_by_the_rule(files, tmp_path):
    out = tmp_path / "m.npz"
    code, stdout, _ = _run(["tune", "--train", str(files["train"]), "--out", str(out),
                            *PIXELS_QUICK, "--folds", "3", "--json"])
    assert code == 0
    payload = json.loads(stdout)
    best = min(payload["grid"], key=lambda r: r["log_loss_mean"])
    assert payload["chosen"]["label"] == best["label"]
    assert payload["saved"] == "chosen" and payload["ensemble"] is None
    for row in payload["grid"]:
        assert row["log_loss_mean"] == pytest.approx(np.mean(row["fold_log_loss"]))
        assert row["log_loss_sd"] == pytest.approx(np.std(row["fold_log_loss"], ddof=1))
        assert len(row["fold_accuracy"]) == 3
    clf = load_model(out)
    assert clf.temperature == pytest.approx(payload["temperature"])
    assert clf.preprocessor.method == payload["chosen"]["preprocessing"]
    assert clf.estimator.l2 == pytest.approx(payload["chosen"]["l2"])


def test_tune_custom_grid_one_se_and_plots(files, tmp_path):
    out, plots = tmp_path / "m.npz", tmp_path / "plots"
    code, stdout, stderr = _run([
        "tune", "--train", str(files["train"]), "--out", str(out), "--l2", "1", "--l2", "100",
        "--preprocessing", "standardize", "--iterations", "30", "--flip", "both", "--folds",
        "3", "--rule", "one-se", "--calibrate", "none", "--plot", str(plots)])
    assert code == 0, stderr
    assert "chosen by one-se" in stdout and "val log loss" in stdout
    assert load_model(out).temperature == 1.0
    names = sorted(p.name for p in plots.iterdir())
    assert names == ["tune_confident_mistakes_out_of_fold.png", "tune_cv_curve.png",
                     "tune_learning_curve.png", "tune_reliability_out_of_fold.png"]
    for p in plots.iterdir():
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000


@pytest.mark.parametrize("args, message", [
    (["--rule", "best"], "--rule"),
    (["--flip", "maybe", "--l2", "1"], "--flip"),
    (["--grid", "huge"], "unknown grid"),
    (["--model", "forest"], "model"),
    (["--calibrate", "isotonic"], "--calibrate"),
    (["--folds", "1"], "folds"),
    # a billion greedy rounds ran for hours after the CV; refused before any fit
    (["--ensemble", "1000000000", *PIXELS_QUICK], "--ensemble"),
    # no candidate of the grid can be averaged: refused, not silently the single winner
    (["--ensemble", "5", *PIXELS_QUICK], "no candidate of the grid can be an ensemble member"),
])
def test_tune_bad_options_exit_2(files, tmp_path, args, message):
    code, _, stderr = _run(["tune", "--train", str(files["train"]), "--out",
                            str(tmp_path / "m.npz"), *args])
    assert code == 2
    assert stderr.startswith("error:") and message in stderr
    assert not (tmp_path / "m.npz").exists()


def test_tune_missing_train_file_is_exit_2(tmp_path):
    code, _, stderr = _run(["tune", "--train", str(tmp_path / "nope.h5"), "--out",
                            str(tmp_path / "m.npz"), "--grid", "quick"])
    assert code == 2 and "nope.h5" in stderr


def test_selection_never_opens_the_test_file(files, tmp_path, monkeypatch):
    """Spy on every HDF5 open: tuning opens the training file and nothing else; and a
    test file that explodes when opened does not disturb it."""
    opened = spy_on_hdf5_opens(monkeypatch, files["test"])
    code, _, stderr = _run(["tune", "--train", str(files["train"]), "--out",
                            str(tmp_path / "m.npz"), *PIXELS_QUICK, "--folds", "3",
                            "--json"])
    assert code == 0, stderr
    assert opened and set(opened) == {os.path.realpath(files["train"])}
    # negative control: the spy does catch a read of the test file
    from probkit.classifier.data.datasets import load_dataset

    with pytest.raises(AssertionError, match="opened the test file"):
        load_dataset(files["test"])


def test_tune_as_installed_console_script(files, tmp_path):
    exe = Path(sys.executable).with_name("probkit")
    out = tmp_path / "m.npz"
    proc = subprocess.run([str(exe), "tune", "--train", str(files["train"]), "--out", str(out),
                           *PIXELS_QUICK, "--folds", "3", "--json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["out"] == str(out)
    assert out.exists()


def test_tune_for_a_target_base_rate(files, tmp_path):
    code, stdout, stderr = _run(["tune", "--train", str(files["train"]), "--out",
                                 str(tmp_path / "m.npz"), *PIXELS_QUICK, "--folds", "3",
                                 "--base-rate", "1/2", "--repeats", "2", "--json"])
    assert code == 0, stderr
    payload = json.loads(stdout)
    assert payload["target_base_rate"] == 0.5 and payload["repeats"] == 2
    assert all(len(r["fold_log_loss"]) == 6 for r in payload["grid"])
    assert payload["baseline"]["log_loss"] == pytest.approx(np.log(2))
    code, _, stderr = _run(["tune", "--train", str(files["train"]), "--out",
                            str(tmp_path / "m.npz"), "--base-rate", "0"])
    assert code == 2 and "--base-rate" in stderr


def test_tune_checks_out_before_the_long_run(files, tmp_path):
    code, _, stderr = _run(["tune", "--train", str(files["train"]), "--out",
                            str(tmp_path / "missing" / "m.npz")])
    assert code == 2 and "does not exist" in stderr
    code, _, stderr = _run(["tune", "--train", str(files["train"]), "--out", str(tmp_path)])
    assert code == 2 and "is a directory" in stderr


def test_too_few_cats_for_the_folds_is_one_line(tmp_path):
    path = tmp_path / "few.h5"
    write_dataset(path, make_synthetic(30, size=4, cat_fraction=0.1, seed=0), split="train")
    code, stdout, stderr = _run(["tune", "--train", str(path), "--out",
                                 str(tmp_path / "m.npz"), "--grid", "quick"])
    assert code == 2 and stdout == ""
    assert stderr.startswith("error: class 1 has only 3 examples") and stderr.count("\n") == 1


def test_tune_ensemble_prints_the_members_saved_as_one_model(tmp_path):
    train = tmp_path / "train16.h5"
    write_dataset(train, make_synthetic(60, size=16, seed=5, signal=0.05), split="train")
    out = tmp_path / "e.npz"
    args = ["tune", "--train", str(train), "--out", str(out), "--features",
            "std(sqrt(hsv:4x2x2@centre) + stats)", "--features", "std(hog)",
            "--features", "std(lbp:1,2)", "--l2", "1", "--flip", "no", "--iterations", "500",
            "--preprocessing", "scale", "--folds", "3"]
    code, stdout, _ = _run([*args, "--ensemble", "5"])
    assert code == 0
    assert "best single candidate by min-log-loss" in stdout
    assert "chosen: the logit average of" in stdout and "saved as one logistic model" in stdout
    assert "ensemble" in load_model(out).metadata
    code, stdout, _ = _run([*args, "--ensemble", "5", "--json"])
    payload = json.loads(stdout)
    assert code == 0 and payload["saved"] == "ensemble"  # not the "chosen" single candidate
    saved = load_model(out).metadata["ensemble"]
    assert [m["label"] for m in payload["ensemble"]["members"]] == [m["label"] for m in saved]
    code, _, stderr = _run([*args, "--ensemble", "-1"])
    assert code == 2 and "--ensemble" in stderr


def test_tune_prints_each_ensemble_weight_as_saved(tmp_path):
    # with 7 rounds the weights are sevenths: one decimal showed 3/7 as 0.4 and a small
    # weight as 0.0
    train = tmp_path / "train16.h5"
    write_dataset(train, make_synthetic(60, size=16, seed=5, signal=0.05), split="train")
    out = tmp_path / "e.npz"
    code, stdout, _ = _run(["tune", "--train", str(train), "--out", str(out), "--features",
                            "std(sqrt(hsv:4x2x2@centre) + stats)", "--features", "std(hog)",
                            "--features", "std(lbp:1,2)", "--l2", "1", "--flip", "no",
                            "--iterations", "500", "--preprocessing", "scale", "--folds", "3",
                            "--ensemble", "7"])
    assert code == 0 and "chosen: the logit average of" in stdout
    saved = [m["weight"] for m in load_model(out).metadata["ensemble"]]
    assert len(saved) > 1
    shown = [float(line.split(" × ")[0]) for line in stdout.splitlines()
             if line.startswith("  ") and " × " in line]
    assert shown == pytest.approx(saved, abs=1e-4)
