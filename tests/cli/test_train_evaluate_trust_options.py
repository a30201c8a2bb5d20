"""The trust options on the classifier commands: --base-rate, --as-test, --plot, --l2 auto."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.classifier.data.datasets import Dataset, make_synthetic, write_dataset
from probkit_cli.app import app

runner = CliRunner()


def _invoke(args):
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("opts")
    train = make_synthetic(80, size=6, seed=21)
    test = make_synthetic(60, size=6, seed=22)
    # scramble a third of the test labels so the confusion counts are not trivial
    rng = np.random.default_rng(0)
    labels = test.labels.copy()
    idx = rng.choice(labels.size, 20, replace=False)
    labels[idx] = 1 - labels[idx]
    noisy = Dataset(images=test.images, labels=labels, class_names=test.class_names,
                    source="noisy")
    paths = {"train": folder / "train.h5", "test": folder / "test.h5",
             "model": folder / "m.npz", "folder": folder}
    write_dataset(paths["train"], train, split="train")
    write_dataset(paths["test"], noisy, split="test")
    code, _, err = _invoke(["train", "--features", "pixels",
                            "--train", paths["train"], "--out", paths["model"],
                            "--solver", "lbfgs", "--l2", "1", "--iterations", "50", "--json"])
    assert code == 0, err
    return paths


def _diagnostic_posterior(prevalence: str, sens: str, spec: str, result: str) -> str:
    code, out, err = _invoke(["diagnostic", "--prevalence", prevalence, "--sensitivity", sens,
                              "--specificity", spec, "--result", result, "--json"])
    assert code == 0, err
    hyp = {h["name"]: h for h in json.loads(out)["hypotheses"]}
    return hyp["disease"]["posterior"]


def test_as_test_agrees_exactly_with_probkit_diagnostic(setup):
    code, out, err = _invoke(["evaluate", "--model", setup["model"], "--data", setup["test"],
                              "--as-test", "--base-rate", "1/10", "--json"])
    assert code == 0, err
    payload = json.loads(out)
    view = payload["as_test"]
    # with --base-rate the verdicts are those of the moved probabilities
    c = payload["at_base_rate"]["confusion"]
    assert "--base-rate 1/10" in view["verdicts"]
    counts = view["counts"]
    assert (counts["true_positive"], counts["false_negative"], counts["true_negative"],
            counts["false_positive"]) == (c["tp"], c["fn"], c["tn"], c["fp"])
    assert min(c.values()) > 0  # a non-trivial confusion matrix
    # oracle 1: counting
    assert Fraction(view["sensitivity"]) == Fraction(c["tp"], c["tp"] + c["fn"])
    assert Fraction(view["specificity"]) == Fraction(c["tn"], c["tn"] + c["fp"])
    own, other = view["answers"]
    assert Fraction(own["p_cat_if_says_cat"]["exact"]) == Fraction(c["tp"], c["tp"] + c["fp"])
    # oracle 2: the diagnostic command on the same numbers, as exact strings
    for answer in (own, other):
        prevalence = answer["base_rate"]
        assert answer["p_cat_if_says_cat"]["exact"] == _diagnostic_posterior(
            prevalence, view["sensitivity"], view["specificity"], "positive")
        assert answer["p_cat_if_says_non_cat"]["exact"] == _diagnostic_posterior(
            prevalence, view["sensitivity"], view["specificity"], "negative")
    assert other["base_rate"] == "1/10"
    # negative control: swapping sensitivity and specificity changes the answer
    assert own["p_cat_if_says_cat"]["exact"] != _diagnostic_posterior(
        own["base_rate"], view["specificity"], view["sensitivity"], "positive")


def test_as_test_without_base_rate_uses_the_model_verdicts(setup):
    code, out, err = _invoke(["evaluate", "--model", setup["model"], "--data", setup["test"],
                              "--as-test", "--json"])
    assert code == 0, err
    payload = json.loads(out)
    c, counts = payload["confusion"], payload["as_test"]["counts"]
    assert (counts["true_positive"], counts["false_positive"]) == (c["tp"], c["fp"])
    assert len(payload["as_test"]["answers"]) == 1


def test_as_test_human_output(setup):
    code, out, _ = _invoke(["evaluate", "--model", setup["model"], "--data", setup["test"],
                            "--as-test"])
    assert code == 0
    assert "P(cat | says cat)" in out and "sensitivity" in out
    assert "expected calibration error" in out and "P(cat) bin" in out


def test_predict_base_rate_is_the_odds_conversion(setup):
    code, out, _ = _invoke(["predict", "--model", setup["model"], "--data", setup["test"],
                            "--json"])
    assert code == 0
    plain = json.loads(out)
    code, out, _ = _invoke(["predict", "--model", setup["model"], "--data", setup["test"],
                            "--base-rate", "90%", "--json"])
    assert code == 0
    moved = json.loads(out)
    pi = plain["training_base_rate"]
    factor = (0.9 / 0.1) / (pi / (1 - pi))
    assert moved["base_rate"]["odds_factor"] == pytest.approx(factor)
    for a, b in zip(plain["predictions"], moved["predictions"], strict=True):
        p = a["p_cat"]
        if 1e-12 < p < 1 - 1e-12:
            odds = p / (1 - p) * factor
            assert b["p_cat"] == pytest.approx(odds / (1 + odds), rel=1e-9)
        assert b["p_cat"] + b["p_non_cat"] == pytest.approx(1.0)
        assert b["p_cat"] >= p - 1e-15  # a higher base rate never lowers P(cat)
    # the same base rate as training changes nothing
    code, out, _ = _invoke(["predict", "--model", setup["model"], "--data", setup["test"],
                            "--base-rate", str(Fraction(pi).limit_denominator(10**6)),
                            "--json"])
    same = json.loads(out)
    for a, b in zip(plain["predictions"], same["predictions"], strict=True):
        assert b["p_cat"] == pytest.approx(a["p_cat"], abs=1e-5)


@pytest.mark.parametrize("value", ["0", "1", "1.5", "abc", "-2%"])
def test_bad_base_rate_is_exit_2(setup, value):
    for command in (["predict", "--data", setup["test"]], ["evaluate", "--data", setup["test"]]):
        code, _, err = _invoke([command[0], "--model", setup["model"], *command[1:],
                                "--base-rate", value])
        assert code == 2 and err.startswith("error: --base-rate")


def test_evaluate_base_rate_section(setup):
    code, out, _ = _invoke(["evaluate", "--model", setup["model"], "--data", setup["test"],
                            "--base-rate", "1/2", "--json"])
    assert code == 0
    payload = json.loads(out)
    moved = payload["at_base_rate"]
    assert moved["base_rate"] == "1/2"
    assert 0 <= moved["accuracy"] <= 1 and moved["log_loss"] > 0
    assert len(moved["accuracy_ci"]) == 2


def test_train_and_evaluate_plots(setup, tmp_path):
    plots = tmp_path / "plots"
    code, out, err = _invoke(["train", "--features", "pixels",
                              "--train", setup["train"], "--test", setup["test"],
                              "--out", tmp_path / "m.npz", "--solver", "lbfgs", "--l2", "1",
                              "--iterations", "30", "--plot", plots, "--json"])
    assert code == 0, err
    written = json.loads(out)["plots"]
    code, out, err = _invoke(["evaluate", "--model", tmp_path / "m.npz", "--data",
                              setup["test"], "--plot", plots, "--json"])
    assert code == 0, err
    written += json.loads(out)["plots"]
    names = sorted(Path(p).name for p in written)
    # a pixel model: no colour-evidence or cell-weight plots
    assert names == ["evaluate_confident_mistakes.png", "evaluate_confident_verdicts.png",
                     "evaluate_reliability.png", "train_learning_curve.png",
                     "train_test_confident_mistakes.png", "train_test_confident_verdicts.png",
                     "train_test_reliability.png"]
    for p in written:
        data = Path(p).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_l2_auto_selects_on_train_before_the_test_file_is_opened(setup, tmp_path,
                                                                  monkeypatch):
    import probkit.classifier.data.datasets
    import probkit.classifier.selection.search

    events: list[str] = []
    real_load = probkit.classifier.data.datasets.load_dataset
    real_select = probkit.classifier.selection.search.select_model

    def spy_load(path, **kwargs):
        events.append(f"load {Path(path).name}")
        return real_load(path, **kwargs)

    def spy_select(train, *args, **kwargs):
        assert train.source.endswith("train.h5")
        events.append("select")
        return real_select(train, *args, **kwargs)

    monkeypatch.setattr(probkit.classifier.data.datasets, "load_dataset", spy_load)
    monkeypatch.setattr(probkit.classifier.selection.search, "select_model", spy_select)
    code, out, err = _invoke(["train", "--features", "pixels",
                              "--train", setup["train"], "--test", setup["test"],
                              "--out", tmp_path / "m.npz", "--solver", "lbfgs", "--l2", "auto",
                              "--iterations", "40", "--plot", tmp_path / "p", "--json"])
    assert code == 0, err
    assert events == ["load train.h5", "select", "load test.h5"]
    payload = json.loads(out)
    assert (tmp_path / "p" / "train_cv_curve.png").read_bytes()[:4] == b"\x89PNG"
    chosen = payload["l2_selection"]["chosen"]["l2"]
    assert payload["hyperparameters"]["l2"] == chosen
    best = min(payload["l2_selection"]["grid"], key=lambda r: r["log_loss_mean"])
    assert best["l2"] == chosen
