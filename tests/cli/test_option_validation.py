"""Nonsense option values are refused even where the option would not be used,
and contradicting options are named, not silently resolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.classifier.selection.candidates import make_grid
from probkit.errors import InputError
from probkit_cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def train_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("opts") / "train.h5"
    write_dataset(path, make_synthetic(30, size=4, seed=1), split="train")
    return path


def test_unknown_activation_is_refused_for_logistic_too(train_file, tmp_path) -> None:
    out = tmp_path / "m.npz"
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(train_file), "--out", str(out),
                                 "--iterations", "3", "--activation", "sigmoidal"])
    assert result.exit_code == 2, result.output
    assert "--activation" in result.stderr and "sigmoidal" in result.stderr
    assert not out.exists()
    ok = runner.invoke(app, ["train", "--features", "pixels",
                             "--train", str(train_file), "--out", str(out),
                             "--iterations", "3", "--activation", "tanh"])
    assert ok.exit_code == 0, ok.output  # a valid value is still fine (and unused) here


@pytest.mark.parametrize("seeds", [0, -2])
def test_seed_counts_below_one_are_refused_for_every_family(seeds: int) -> None:
    with pytest.raises(InputError, match="seeds"):
        make_grid(models=("logistic",), l2=(1.0,), preprocessing=("scale",), seeds=(seeds,))
    assert len(make_grid(models=("logistic",), l2=(1.0,), preprocessing=("scale",),
                         seeds=(3,))) == 1  # control: logistic candidates keep one seed


def test_tune_seeds_zero_is_a_usage_error(train_file, tmp_path) -> None:
    result = runner.invoke(app, ["tune", "--train", str(train_file), "--out",
                                 str(tmp_path / "m.npz"), "--l2", "1", "--iterations", "3",
                                 "--seeds", "0"])
    assert result.exit_code == 2 and "seeds" in result.stderr
    assert not (tmp_path / "m.npz").exists()


def test_derive_json_with_another_format_is_a_conflict() -> None:
    result = runner.invoke(app, ["derive", "sigmoid", "--format", "latex", "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--json" in result.stderr and "latex" in result.stderr
    for args in (["--json"], ["--format", "json", "--json"], ["--format", "json"]):
        done = runner.invoke(app, ["derive", "sigmoid", *args])
        assert done.exit_code == 0 and json.loads(done.stdout)["name"] == "sigmoid"
    text = runner.invoke(app, ["derive", "sigmoid"])
    assert text.exit_code == 0 and "✓" in text.stdout  # text is still the default


@pytest.mark.parametrize("command", ["train", "tune"])
def test_out_onto_the_training_data_is_refused(command, train_file, tmp_path) -> None:
    data = tmp_path / "precious.h5"
    data.write_bytes(train_file.read_bytes())
    extra = ["--iterations", "3"] + (["--l2", "1"] if command == "tune" else [])
    result = runner.invoke(app, [command, "--train", str(data), "--out",
                                 str(tmp_path / "." / "precious.h5"), *extra])
    assert result.exit_code == 2, result.output
    assert "precious.h5" in result.stderr and "--train" in result.stderr
    assert data.read_bytes() == train_file.read_bytes()  # the data is untouched


def test_train_out_onto_the_test_data_is_refused(train_file, tmp_path) -> None:
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(train_file), "--test", str(train_file),
                                 "--out", str(train_file), "--iterations", "3"])
    assert result.exit_code == 2 and "--train" in result.stderr


@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_image_size_mismatch_names_the_data_file(command, train_file, tmp_path) -> None:
    model = tmp_path / "m.npz"
    trained = runner.invoke(app, ["train", "--features", "pixels",
                                  "--train", str(train_file), "--out", str(model),
                                  "--iterations", "3"])
    assert trained.exit_code == 0, trained.output
    other = tmp_path / "bigger.h5"
    write_dataset(other, make_synthetic(6, size=5, seed=2), split="test")
    result = runner.invoke(app, [command, "--model", str(model), "--data", str(other), "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "bigger.h5" in result.stderr and "5x5x3" in result.stderr and "4x4x3" in result.stderr


def test_json_output_is_strict_json_even_when_training_diverges(train_file, tmp_path) -> None:
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(train_file), "--out",
                                 str(tmp_path / "m.npz"), "--iterations", "5",
                                 "--solver", "gd", "--learning-rate", "1e308", "--json"])
    assert result.exit_code == 0, result.output

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    payload = json.loads(result.stdout, parse_constant=refuse)
    assert payload["diverged"] is True and payload["final_cost"] is None
    # the divergence is reported once, in words, without numpy's raw overflow warnings
    assert "diverged" in result.stderr and "RuntimeWarning" not in result.stderr


def test_emit_json_turns_non_finite_numbers_into_null(capsys) -> None:
    from probkit_cli.common import emit_json

    emit_json({"a": float("nan"), "b": [1.5, float("inf"), {"c": -float("inf")}], "d": "nan"})
    assert json.loads(capsys.readouterr().out) == {"a": None, "b": [1.5, None, {"c": None}],
                                                  "d": "nan"}


def test_running_out_of_memory_is_one_line_exit_1(train_file, tmp_path) -> None:
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(train_file), "--out",
                                 str(tmp_path / "m.npz"), "--model", "two-layer",
                                 "--hidden", "100000000000", "--iterations", "1"])
    assert result.exit_code == 1, result.output
    last = result.stderr.rstrip("\n").splitlines()[-1]  # after the progress bar
    assert last.startswith("error: out of memory") and "Traceback" not in result.output
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["derive", "l2", "--gradcheck", "--seed", "-1"],
        ["tune", "--train", "{train}", "--out", "{out}", "--l2", "1", "--iterations", "3",
         "--seed", "-1"],
        ["train", "--features", "pixels",
         "--train", "{train}", "--out", "{out}", "--l2", "auto", "--iterations", "3",
         "--seed", "-5"],
    ],
    ids=["derive", "tune", "train-l2-auto"],
)
def test_negative_seeds_are_a_usage_error(args, train_file, tmp_path) -> None:
    argv = [a.format(train=train_file, out=tmp_path / "m.npz") for a in args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert "--seed" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "m.npz").exists()


def test_hidden_below_one_is_refused_for_logistic_too(train_file, tmp_path) -> None:
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(train_file), "--out",
                                 str(tmp_path / "m.npz"), "--iterations", "3", "--hidden", "0"])
    assert result.exit_code == 2 and "--hidden" in result.stderr
