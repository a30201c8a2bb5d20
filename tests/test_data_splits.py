"""A data file holding both splits is never read as the wrong one: ``--train`` reads
``train_set_*``, ``--test`` reads ``test_set_*``, and ``--data`` (which names no split) refuses
the file by name unless ``--split`` says which."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import pytest
from typer.testing import CliRunner

from probkit.classifier.data.audit import audit_files
from probkit.classifier.data.datasets import load_dataset, make_synthetic, write_dataset
from probkit.classifier.modelfile import save_model
from probkit.classifier.pipeline import Classifier
from probkit.errors import DataError, InputError
from probkit_cli.app import app

runner = CliRunner()
N_TRAIN, N_TEST = 30, 12


def _both(path: Path) -> Path:
    """train_set_* of 30 images and test_set_* of 12 in one file (sizes tell them apart)."""
    write_dataset(path, make_synthetic(N_TRAIN, size=4, seed=1), split="train")
    test = make_synthetic(N_TEST, size=4, seed=2)
    with h5py.File(path, "a") as h5:
        h5["test_set_x"] = test.images
        h5["test_set_y"] = test.labels
    return path


@pytest.fixture
def both(tmp_path) -> Path:
    return _both(tmp_path / "both.h5")


@pytest.fixture
def model(tmp_path) -> Path:
    path = tmp_path / "m.npz"
    save_model(path, Classifier().fit(make_synthetic(20, size=4, seed=3)))
    return path


def test_the_library_refuses_to_guess(both) -> None:
    with pytest.raises(DataError, match="holds both a train split") as caught:
        load_dataset(both)
    assert caught.value.parameter == "split" and str(both) in str(caught.value)
    assert load_dataset(both, split="train").n == N_TRAIN
    assert load_dataset(both, split="test").n == N_TEST
    assert load_dataset(both, split_if_both="test").n == N_TEST


def test_a_split_the_file_lacks_or_an_unknown_split_is_refused(tmp_path) -> None:
    only_train = tmp_path / "train.h5"
    write_dataset(only_train, make_synthetic(6, size=4))
    assert load_dataset(only_train).n == 6
    assert load_dataset(only_train, split_if_both="test").n == 6  # one split: no doubt
    with pytest.raises(DataError, match="holds no test split"):
        load_dataset(only_train, split="test")
    with pytest.raises(InputError, match="'tst' is not one of train, test"):
        load_dataset(only_train, split="tst")


def test_train_test_option_reads_the_test_split(tmp_path, both) -> None:
    """It used to report a "test" accuracy on the training images."""
    result = runner.invoke(app, ["train", "--train", str(both), "--test", str(both), "--out",
                                 str(tmp_path / "m2.npz"), "--features", "pixels",
                                 "--iterations", "3", "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["test"]["n"] == N_TEST and report["train"]["n"] == N_TRAIN


@pytest.mark.parametrize("command", ["evaluate", "compare", "predict"])
def test_data_option_refuses_a_file_with_both_splits_by_name(both, model, command) -> None:
    args = {"evaluate": ["evaluate", "--model", str(model)],
            "compare": ["compare", "--model", str(model), "--model", str(model),
                        "--bootstrap", "100"],
            "predict": ["predict", "--model", str(model)]}[command]
    result = runner.invoke(app, [*args, "--data", str(both)])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: --split: ") and str(both) in result.stderr
    assert "train or test" in result.stderr and result.stdout == ""
    chosen = runner.invoke(app, [*args, "--data", str(both), "--split", "test", "--json"])
    assert chosen.exit_code == 0, chosen.stderr
    payload = json.loads(chosen.stdout)
    n = {"evaluate": lambda p: p["n"], "compare": lambda p: p["reports"][0]["n"],
         "predict": lambda p: len(p["predictions"])}[command]
    assert n(payload) == N_TEST


def test_data_check_reads_each_split_its_option_names(both) -> None:
    report = audit_files(both, both)
    assert [s.n for s in report.splits] == [N_TRAIN, N_TEST]
