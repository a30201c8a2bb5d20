"""Bad input to train, evaluate, predict and tune at the command line: one ``error:`` line
naming the value (never a traceback), refused before any work; photos read as said."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.classifier.modelfile import save_model
from probkit.classifier.models import LogisticRegression
from probkit.classifier.pipeline import Classifier
from probkit_cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("hardening")
    write_dataset(d / "train.h5", make_synthetic(20, size=4, seed=1))
    write_dataset(d / "test.h5", make_synthetic(10, size=4, seed=2), split="test")
    write_dataset(d / "test5.h5", make_synthetic(10, size=5, seed=2), split="test")
    with h5py.File(d / "empty.h5", "w") as h5:
        h5.create_dataset("test_set_x", data=np.zeros((0, 4, 4, 3), np.uint8))
        h5.create_dataset("test_set_y", data=np.zeros((0,), np.int64))
    clf = Classifier(estimator=LogisticRegression(max_iter=5)).fit(
        make_synthetic(20, size=4, seed=1))
    save_model(d / "model.npz", clf)
    return {"dir": d, "train": d / "train.h5", "test": d / "test.h5", "test5": d / "test5.h5",
            "empty": d / "empty.h5", "model": d / "model.npz"}


def _invoke(*args: object, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def _one_error(result, code: int, *words: str) -> None:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


# ---------------------------------------------------------------- numbers beyond floats


@pytest.mark.parametrize("value", ["1e400", "-1e400"])
def test_train_l2_beyond_floats_is_one_error(files, tmp_path, value) -> None:
    result = _invoke("train", "--features", "pixels",
                     "--train", files["train"], "--out", tmp_path / "m.npz",
                     "--l2", value)
    _one_error(result, 2, "--l2")
    assert not (tmp_path / "m.npz").exists()


# ---------------------------------------------------------------- empty and mismatched data


@pytest.mark.parametrize("how", ["evaluate", "predict", "train --test"])
def test_a_file_with_zero_images_is_one_error(files, tmp_path, how) -> None:
    args = {"evaluate": ["evaluate", "--model", files["model"], "--data", files["empty"]],
            "predict": ["predict", "--model", files["model"], "--data", files["empty"]],
            "train --test": ["train", "--features", "pixels",
                             "--train", files["train"], "--test", files["empty"],
                             "--out", tmp_path / "m.npz"]}[how]
    _one_error(_invoke(*args), 2, "empty.h5", "holds no images")


def test_test_size_mismatch_is_found_before_training(files, tmp_path) -> None:
    result = _invoke("train", "--features", "pixels",
                     "--train", files["train"], "--test", files["test5"],
                     "--out", tmp_path / "m.npz", "--iterations", "50")
    _one_error(result, 2, "test5.h5", "5x5x3", "4x4x3")  # and no progress line before it
    assert not (tmp_path / "m.npz").exists()


# ---------------------------------------------------------------- tune's named grids


def test_tune_applies_the_solver_to_every_candidate(files, tmp_path) -> None:
    result = _invoke("tune", "--train", files["train"], "--out", tmp_path / "m.npz",
                     "--features", "pixels", "--l2", "10", "--l2", "1000", "--iterations", "100",
                     "--flip", "no", "--solver", "gd", "--folds", "2", "--json")
    assert result.exit_code == 0, result.stderr
    grid = json.loads(result.stdout)["grid"]
    assert len(grid) == 4 and {row["solver"] for row in grid} == {"gd"}


@pytest.mark.parametrize(("args", "words"), [
    (["--grid", "quick", "--solver", "gd", "--hidden", "0"], "--hidden"),
    (["--grid", "full", "--hidden", "0"], "--hidden"),
    (["--grid", "quick", "--hidden", "5"], "quick grid has none"),
    (["--grid", "quick", "--l2", "1"], "give either a named grid or your own values"),
])
def test_tune_refuses_at_once_what_a_grid_cannot_apply(tmp_path, args, words) -> None:
    # the training file does not exist: the option must be refused before any data is read
    result = _invoke("tune", "--train", tmp_path / "none.h5", "--out", tmp_path / "m.npz",
                     *args)
    _one_error(result, 2, words)


# ---------------------------------------------------------------- photos at the command line


def _photo(path: Path, array: np.ndarray) -> Path:
    from PIL import Image

    Image.fromarray(array).save(path)
    return path


def test_predict_says_what_was_done_to_each_photo(files, tmp_path) -> None:
    pytest.importorskip("PIL")
    wide = _photo(tmp_path / "wide.png", np.full((4, 8, 3), 90, np.uint8))
    square = _photo(tmp_path / "square.png", np.full((4, 4, 3), 90, np.uint8))
    text = _invoke("predict", "--model", files["model"], wide, square)
    assert text.exit_code == 0, text.stderr
    assert f"note: {wide}: centre-cropped 8x4 to 4x4" in text.stderr
    assert str(square) not in text.stderr  # used as stored: nothing to say
    as_json = _invoke("predict", "--model", files["model"], wide, "--fit", "pad", "--json")
    payload = json.loads(as_json.stdout)
    assert payload["predictions"][0]["read_as"] == ["padded 8x4 with white to 8x8",
                                                    "resized 8x8 to 4x4"]
    assert payload["warnings"] == []
    bad = _invoke("predict", "--model", files["model"], wide, "--fit", "stretch")
    _one_error(bad, 2, "--fit", "stretch")


def test_predict_huge_photo_is_one_error_without_raw_warnings(files, tmp_path) -> None:
    pytest.importorskip("PIL")
    import struct
    import zlib

    from PIL import Image

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    for name, height in (("huge.png", 2 * Image.MAX_IMAGE_PIXELS // 20_000 + 10),
                         ("big.png", Image.MAX_IMAGE_PIXELS // 20_000 + 10)):
        path = tmp_path / name
        path.write_bytes(b"\x89PNG\r\n\x1a\n"
                         + chunk(b"IHDR", struct.pack(">IIBBBBB", 20_000, height, 8, 0, 0, 0, 0))
                         + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
        result = _invoke("predict", "--model", files["model"], path, "--json")
        _one_error(result, 2, name)
        assert result.stdout == "" and "Warning" not in result.stderr


# ---------------------------------------------------------------- base rates beyond floats


@pytest.mark.parametrize("rate", ["1e-400", "0." + "9" * 400])
def test_base_rates_beyond_floats_still_shift(files, rate) -> None:
    """predict --base-rate 1e-400 was a 'math domain error' traceback (logit of 0.0)."""
    result = _invoke("predict", "--model", files["model"], "--data", files["test"],
                     "--base-rate", rate, "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout, parse_constant=lambda name: 1 / 0)
    p_cat = [p["p_cat"] for p in payload["predictions"]]
    assert all(p == (0.0 if rate == "1e-400" else 1.0) for p in p_cat)
    evaluated = _invoke("evaluate", "--model", files["model"], "--data", files["test"],
                        "--base-rate", rate, "--as-test", "--json")
    assert evaluated.exit_code == 0, evaluated.stderr


# ---------------------------------------------------------------- images too small for the features


def test_default_features_on_tiny_images_say_what_to_do(files, tmp_path) -> None:
    """The default representation needs images of at least 16x16 (HOG's 2x2 blocks of
    8-pixel cells); 4x4 images are refused naming --features and both ways out."""
    result = _invoke("train", "--train", files["train"], "--out", tmp_path / "m.npz")
    _one_error(result, 2, "--features", "4x4 pixels", "use --features 'pixels'",
               "at least 16x16 pixels")
    assert "radii" not in result.stderr and not (tmp_path / "m.npz").exists()


def test_lbp_alone_on_tiny_images_names_its_own_smallest_size(files, tmp_path) -> None:
    result = _invoke("train", "--train", files["train"], "--out", tmp_path / "m.npz",
                     "--features", "lbp")
    _one_error(result, 2, "--features 'lbp'", "radius 3", "at least 7x7 pixels")


# ---------------------------------------------------------------- warnings name the options


@pytest.mark.parametrize(("args", "shown"), [
    (["--iterations", "3"], ["--iterations,", "--tol 1e-06", "--preprocessing standardize",
                             "--l2"]),
    (["--iterations", "30", "--solver", "gd"], ["--iterations 30", "--solver lbfgs",
                                                "--learning-rate"]),
])
def test_train_warnings_name_options_not_library_parameters(files, tmp_path, args,
                                                            shown) -> None:
    result = _invoke("train", "--features", "pixels", "--train", files["train"],
                     "--out", tmp_path / "m.npz", *args)
    assert result.exit_code == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if line.startswith("warning:"))
    for text in shown:
        assert text in warning, warning
    for library in ("max_iter", "solver=", "learning_rate", "tol=", " l2"):
        assert library not in warning, warning


def test_tune_warnings_name_options_not_library_parameters(files, tmp_path) -> None:
    result = _invoke("tune", "--features", "pixels", "--train", files["train"],
                     "--out", tmp_path / "m.npz", "--iterations", "500", "--l2", "1",
                     "--preprocessing", "scale", "--flip", "no", "--folds", "2",
                     "--solver", "gd")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any("raise --iterations" in w and "--solver lbfgs" in w for w in warnings), warnings
    assert not any("max_iter" in w or "solver=" in w for w in warnings), warnings
