"""`probkit train / evaluate / predict` end to end on small synthetic HDF5 files."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.classifier.modelfile import load_model
from probkit_cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    train, test = make_synthetic(80, size=6, seed=1), make_synthetic(30, size=6, seed=2)
    write_dataset(d / "train.h5", train, split="train")
    write_dataset(d / "test.h5", test, split="test")
    write_dataset(d / "small.h5", make_synthetic(5, size=5, seed=3), split="test")
    return {"dir": d, "train": d / "train.h5", "test": d / "test.h5", "small": d / "small.h5"}


@pytest.fixture(scope="module")
def model_file(files) -> Path:
    out = files["dir"] / "lr.npz"
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(files["train"]), "--out", str(out),
                                 "--learning-rate", "0.05", "--iterations", "300"])
    assert result.exit_code == 0, result.stderr
    return out


def _invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_train_table_progress_and_model_file(files, tmp_path) -> None:
    out = tmp_path / "m.npz"
    result = runner.invoke(app, [str(a) for a in (
        "train", "--features", "pixels",
        "--train", files["train"], "--test", files["test"], "--out", out,
        "--learning-rate", "0.05", "--iterations", "200", "--solver", "gd")],
        env={"PROBKIT_PROGRESS_INTERVAL": "0"})  # a progress line at every update
    assert result.exit_code == 0, result.stderr
    for text in ["accuracy", "95% interval", "baseline (majority)", "log loss", "Brier",
                 "ECE", "sensitivity", "specificity", "train", "test", f"saved {out}"]:
        assert text in result.stdout
    # off a terminal: plain progress lines (here at every update), then a closing line
    assert "training: 1/200 iterations" in result.stderr and "cost 0." in result.stderr
    assert "training: done, 200/200 iterations, cost 0." in result.stderr
    assert "only 30 images" in result.stderr
    clf = load_model(out)
    assert clf.model_type == "logistic" and clf.estimator.n_iter_ == 200
    assert clf.metadata["test_metrics"]["n"] == 30


def test_train_json_is_one_object(files, tmp_path) -> None:
    out = tmp_path / "net.npz"
    result = _invoke("train", "--features", "pixels",
                     "--train", files["train"], "--test", files["test"], "--out", out,
                     "--model", "two-layer", "--hidden", "3", "--activation", "tanh",
                     "--solver", "lbfgs", "--iterations", "50", "--l2", "1/2", "--seed", "3",
                     "--preprocessing", "standardize", "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["model"] == "two-layer" and payload["training_path"] == "lbfgs-dual"
    assert payload["hyperparameters"]["l2"] == 0.5
    assert payload["hyperparameters"]["hidden"] == 3
    assert payload["hyperparameters"]["random_state"] == 3
    assert payload["preprocessing"] == "standardize"
    assert payload["train"]["n"] == 80 and payload["test"]["n"] == 30
    assert payload["training_base_rate"] == pytest.approx(28 / 80)
    clf = load_model(out)
    assert clf.preprocessor.method == "standardize"
    assert clf.estimator.activation == "tanh"


def test_evaluate_json_matches_direct_computation(files, model_file) -> None:
    result = _invoke("evaluate", "--model", model_file, "--data", files["test"], "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ["accuracy", "accuracy_ci", "log_loss", "brier", "ece", "confusion",
                "baseline_accuracy", "n"]:
        assert key in report
    test = make_synthetic(30, size=6, seed=2)
    p = load_model(model_file).predict_proba(test.images)[:, 1]
    assert report["n"] == 30
    assert report["accuracy"] == pytest.approx(np.mean((p > 0.5) == test.labels))
    y = test.labels
    assert report["log_loss"] == pytest.approx(
        -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-9
    )
    assert report["baseline_accuracy"] == pytest.approx(max(y.mean(), 1 - y.mean()))
    c = report["confusion"]
    assert c["tp"] == int(np.sum((p > 0.5) & (y == 1)))
    lo, hi = report["accuracy_ci"]
    assert lo < report["accuracy"] < hi or report["accuracy"] == 1.0


def test_evaluate_table(files, model_file) -> None:
    result = _invoke("evaluate", "--model", model_file, "--data", files["test"])
    assert result.exit_code == 0
    assert "true \\ predicted" in result.stdout and "non-cat" in result.stdout
    assert "only 30 images" in result.stderr


def test_predict_data_json(files, model_file) -> None:
    result = _invoke("predict", "--model", model_file, "--data", files["test"], "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    preds = payload["predictions"]
    assert len(preds) == 30 and [p["index"] for p in preds] == list(range(30))
    for p in preds:
        assert p["p_cat"] + p["p_non_cat"] == pytest.approx(1.0)
        assert p["label"] == ("cat" if p["p_cat"] > 0.5 else "non-cat")
    assert payload["training_base_rate"] == pytest.approx(28 / 80)
    table = _invoke("predict", "--model", model_file, "--data", files["test"])
    assert "P(cat)" in table.stdout and "34.9%" not in table.stdout
    assert "training base rate of 35.0% cats" in table.stderr


def test_predict_photos(files, model_file, tmp_path) -> None:
    from PIL import Image

    test = make_synthetic(30, size=6, seed=2)
    same = tmp_path / "same.png"
    Image.fromarray(test.images[0]).save(same)
    big = tmp_path / "big.jpg"
    Image.fromarray(test.images[1]).resize((48, 48)).convert("L").save(big)
    result = _invoke("predict", "--model", model_file, same, big, "--json")
    assert result.exit_code == 0, result.stderr
    preds = json.loads(result.stdout)["predictions"]
    assert [p["file"] for p in preds] == [str(same), str(big)]
    expected = load_model(model_file).predict_proba(test.images[:1])[0, 1]
    assert preds[0]["p_cat"] == pytest.approx(expected, rel=1e-12)  # PNG is lossless
    assert 0.0 <= preds[1]["p_cat"] <= 1.0
    bad = tmp_path / "bad.png"
    bad.write_text("not a picture")
    result = _invoke("predict", "--model", model_file, bad)
    assert result.exit_code == 2 and "bad.png cannot be read as an image" in result.stderr


def test_predict_photos_without_pillow(files, model_file, tmp_path, monkeypatch) -> None:
    photo = tmp_path / "p.png"
    photo.write_bytes(b"whatever")
    monkeypatch.setitem(sys.modules, "PIL", None)
    result = _invoke("predict", "--model", model_file, photo)
    assert result.exit_code == 1
    assert "Pillow" in result.stderr and "probkit[image]" in result.stderr


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["train", "--features", "pixels",
          "--train", "{dir}/none.h5", "--out", "{dir}/x.npz"], 2, "does not exist"),
        (["train", "--features", "pixels",
          "--train", "{dir}/lr.npz", "--out", "{dir}/x.npz"], 2, "not an HDF5 file"),
        (["train", "--features", "pixels",
          "--train", "{train}", "--out", "{dir}/x.npz", "--model", "forest"], 2,
         "--model: 'forest'"),
        (["train", "--features", "pixels",
          "--train", "{train}", "--out", "{dir}/x.npz", "--solver", "newton"], 2,
         "--solver"),
        (["train", "--features", "pixels",
          "--train", "{train}", "--out", "{dir}/x.npz", "--l2", "abc"], 2, "--l2"),
        (["train", "--features", "pixels",
          "--train", "{train}", "--out", "{dir}/x.npz", "--iterations", "-5"], 2,
         "max_iter=-5"),
        (["train", "--features", "pixels",
          "--train", "{train}", "--out", "{dir}/no/x.npz", "--iterations", "2"], 2,
         "does not exist"),
        (["evaluate", "--model", "{model}", "--data", "{small}"], 2,
         "images are 5x5x3 but the model was trained on 6x6x3"),
        (["predict", "--model", "{model}", "--data", "{small}"], 2, "trained on 6x6x3"),
        (["evaluate", "--model", "{dir}/pickle.npz", "--data", "{test}"], 2, "pickle"),
        (["evaluate", "--model", "{train}", "--data", "{test}"], 2, "not a probkit model"),
        (["predict", "--model", "{model}"], 2, "either --data"),
        (["predict", "--model", "{model}", "--data", "{test}", "x.png"], 2, "either --data"),
    ],
)
def test_errors_are_one_line_with_exit_code(files, model_file, args, code, message) -> None:
    (files["dir"] / "pickle.npz").write_bytes(pickle.dumps([1, 2, 3]))
    fmt = {"dir": files["dir"], "train": files["train"], "test": files["test"],
           "small": files["small"], "model": model_file}
    result = _invoke(*(a.format(**fmt) for a in args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (files["dir"] / "x.npz").exists()


def test_divergence_warning_reaches_stderr(files, tmp_path) -> None:
    out = tmp_path / "d.npz"
    result = _invoke("train", "--features", "pixels",
                     "--train", files["train"], "--out", out, "--l2", "100",
                     "--solver", "gd", "--learning-rate", "50", "--iterations", "100", "--json")
    assert result.exit_code == 0, result.stderr
    assert "warning: gradient descent" in result.stderr
    payload = json.loads(result.stdout)
    assert payload["diverged"] is True and payload["warnings"]


def test_installed_console_script(files, tmp_path) -> None:
    script = shutil.which("probkit", path=os.path.dirname(sys.executable)) or shutil.which(
        "probkit"
    )
    assert script is not None, "the probkit console script is not installed"
    out = tmp_path / "s.npz"
    train = subprocess.run(
        [script, "train", "--features", "pixels", "--solver", "gd", "--train",
         str(files["train"]), "--out", str(out), "--model", "two-layer", "--hidden", "4",
         "--iterations", "100", "--learning-rate", "0.1", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert train.returncode == 0, train.stderr
    assert json.loads(train.stdout)["n_iter"] == 100
    pred = subprocess.run(
        [script, "predict", "--model", str(out), "--data", str(files["test"]), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert pred.returncode == 0, pred.stderr
    assert len(json.loads(pred.stdout)["predictions"]) == 30
    bad = subprocess.run(
        [script, "evaluate", "--model", str(out), "--data", str(tmp_path / "missing.h5")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and "missing.h5" in bad.stderr


def test_zero_iterations_and_missing_photo(files, model_file, tmp_path) -> None:
    out = tmp_path / "zero.npz"
    result = _invoke("train", "--features", "pixels",
                     "--train", files["train"], "--out", out, "--iterations", "0",
                     "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["n_iter"] == 0
    assert payload["final_cost"] == pytest.approx(np.log(2))  # zero weights: P(cat) = 1/2
    missing = _invoke("predict", "--model", model_file, tmp_path / "nope.jpg")
    assert missing.exit_code == 2 and "nope.jpg does not exist" in missing.stderr


def test_evaluate_on_training_copies_summarises_them(tmp_path) -> None:
    """Evaluating on the training file printed one 10 kB line naming all 209 copies."""
    from typer.testing import CliRunner

    from probkit.classifier.data.datasets import make_synthetic, write_dataset
    from probkit_cli.app import app

    data = tmp_path / "train.h5"
    write_dataset(data, make_synthetic(40, size=4, seed=1))
    model = tmp_path / "m.npz"
    cli = CliRunner()
    assert cli.invoke(app, ["train", "--train", str(data), "--out", str(model),
                            "--features", "pixels", "--iterations", "5"]).exit_code == 0
    result = cli.invoke(app, ["evaluate", "--model", str(model), "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("copies of training")]
    assert line.startswith("copies of training images: 40 of the 40 images (40 exact; ")
    assert line.endswith("; and 35 more (all of them in --json)") and len(line) < 400
    listed = cli.invoke(app, ["evaluate", "--model", str(model), "--data", str(data), "--json"])
    import json

    assert len(json.loads(listed.stdout)["copies_of_training_images"]) == 40
