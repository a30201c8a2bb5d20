"""The library workflows: reports whose to_dict() is the CLI's --json, with rich display."""

from __future__ import annotations

import copy
import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit import workflows
from probkit.classifier.base_rate import BaseRateShift
from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.errors import InputError, ProbabilityError
from probkit_cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("workflows")
    paths = {"dir": folder, "train": folder / "train.h5", "test": folder / "test.h5"}
    write_dataset(paths["train"], make_synthetic(45, size=4, seed=0), split="train")
    write_dataset(paths["test"], make_synthetic(30, size=4, seed=1), split="test")
    return paths


@pytest.fixture(scope="module")
def tuned_report(files) -> workflows.TuneReport:
    """workflows.tune on the synthetic files; it writes ``tuned.npz`` in ``files["dir"]``."""
    out = files["dir"] / "tuned.npz"
    return workflows.tune(files["train"], out=out, l2=[1.0, 10.0], preprocessing=["scale"],
                          max_iter=[30], flip="no", folds=3)


@pytest.fixture(scope="module")
def tuned(files, tuned_report) -> tuple[workflows.TuneReport, dict]:
    """The library's tune report and the CLI's JSON for the same options (the CLI run
    costs as much as the library's, so only the test comparing the two asks for it)."""
    report = tuned_report
    cli = runner.invoke(app, ["tune", "--train", str(files["train"]), "--out",
                              str(files["dir"] / "tuned_cli.npz"), "--l2", "1", "--l2", "10",
                              "--preprocessing", "scale", "--iterations", "30", "--flip", "no",
                              "--folds", "3", "--json"])
    assert cli.exit_code == 0, cli.stderr
    return report, json.loads(cli.stdout)


def _same_json(report_dict: dict, cli_json: dict, *, ignore: tuple[str, ...] = ()) -> None:
    mine = json.loads(json.dumps(report_dict, default=str))
    for key in ignore:
        mine.pop(key, None)
        cli_json = {k: v for k, v in cli_json.items() if k != key}
    assert mine == cli_json


def test_train_report_is_the_cli_json(files) -> None:
    out = files["dir"] / "trained.npz"
    args = {"test": files["test"], "solver": "lbfgs", "max_iter": 40, "l2": 0.5,
            "features": "pixels"}
    report = workflows.train(files["train"], out=out, **args)
    cli = runner.invoke(app, ["train", "--features", "pixels",
                              "--train", str(files["train"]), "--test",
                              str(files["test"]), "--out", str(out), "--solver", "lbfgs",
                              "--iterations", "40", "--l2", "0.5", "--json"])
    assert cli.exit_code == 0, cli.stderr
    _same_json(report.to_dict(), json.loads(cli.stdout), ignore=("seconds",))
    html = report._repr_html_()
    assert "<table>" in html and "accuracy" in html and "test" in html
    # negative control: another λ gives another report
    other = workflows.train(files["train"], **{**args, "l2": 50.0})
    assert other.to_dict()["final_cost"] != report.to_dict()["final_cost"]


def test_tune_report_is_the_cli_json(tuned) -> None:
    report, cli_json = tuned
    _same_json(report.to_dict(), cli_json, ignore=("out",))
    assert report.classifier.temperature == pytest.approx(cli_json["temperature"])
    assert "chosen by min-log-loss" in report._repr_html_()


def test_evaluate_and_predict_reports_are_the_cli_json(files, tuned_report) -> None:
    model = files["dir"] / "tuned.npz"
    evaluation = workflows.evaluate(model, files["test"], base_rate=Fraction(1, 2),
                                    as_test=True)
    cli = runner.invoke(app, ["evaluate", "--model", str(model), "--data", str(files["test"]),
                              "--base-rate", "1/2", "--as-test", "--json"])
    assert cli.exit_code == 0, cli.stderr
    _same_json(evaluation.to_dict(), json.loads(cli.stdout))
    assert "before_calibration" in evaluation.to_dict()  # the tuned model has a temperature
    prediction = workflows.predict(model, data=files["test"], base_rate="9/10")
    cli = runner.invoke(app, ["predict", "--model", str(model), "--data", str(files["test"]),
                              "--base-rate", "9/10", "--json"])
    assert cli.exit_code == 0, cli.stderr
    _same_json(prediction.to_dict(), json.loads(cli.stdout))
    html = prediction._repr_html_()
    assert html.count("<tr>") == 31  # header + one row per image


def test_html_escapes_what_users_name(files, tuned_report) -> None:
    clf = copy.deepcopy(tuned_report.classifier)  # the report is shared by other tests
    clf.class_names = ("<b>dog</b>", "cat")
    html = workflows.predict(clf, data=make_synthetic(3, size=4, seed=4))._repr_html_()
    assert "&lt;b&gt;dog&lt;/b&gt;" in html and "<b>dog" not in html


def test_predict_proba_at_a_base_rate_is_bayes_rule_on_odds(tuned_report) -> None:
    clf = tuned_report.classifier
    images = make_synthetic(12, size=4, seed=7).images
    p = clf.predict_proba(images)[:, 1]
    moved = clf.predict_proba(images, base_rate="1/10")[:, 1]
    pi = clf.training_base_rate
    factor = (1 / 9) / (pi / (1 - pi))
    expected = p * factor / (p * factor + 1 - p)
    assert moved == pytest.approx(expected, rel=1e-12)
    assert clf.predict_proba(images, base_rate=pi)[:, 1] == pytest.approx(p, rel=1e-12)
    assert not np.allclose(moved, p)  # negative control: the move does something
    assert clf.predict(images, base_rate="1/1000").sum() <= clf.predict(images).sum()


def test_base_rate_shift_is_one_object() -> None:
    shift = BaseRateShift("1/3", "2/3")
    assert shift.odds_factor == Fraction(4)
    assert shift.logit_shift == pytest.approx(math.log(4))
    assert shift.shift_logits([0.0]).tolist() == pytest.approx([math.log(4)])
    assert shift.shift_probabilities([0.5, 0.0, 1.0]).tolist() == pytest.approx([0.8, 0, 1])
    assert shift.shift_probability("1/2") == Fraction(4, 5)
    d = shift.to_dict()
    assert d["base_rate"] == "2/3" and d["odds_factor"] == 4.0
    assert d["logit_shift"] == pytest.approx(math.log(4))
    with pytest.raises(ProbabilityError) as caught:
        BaseRateShift("1/3", 1)
    assert caught.value.parameter == "base_rate"
    with pytest.raises(InputError) as caught:
        BaseRateShift(0, "1/2")
    assert caught.value.parameter == "training_base_rate"


def test_workflows_refuse_bad_input_before_any_work(files, tmp_path) -> None:
    for kwargs, parameter in [({"model": "forest"}, "model"), ({"solver": "sgd"}, "solver"),
                              ({"l2": "lots"}, "l2"), ({"max_iter": -3}, "max_iter")]:
        with pytest.raises(InputError) as caught:
            workflows.train(tmp_path / "missing.h5", **kwargs)
        assert caught.value.parameter == parameter
    with pytest.raises(InputError) as caught:
        workflows.tune(tmp_path / "missing.h5", rule="best")
    assert caught.value.parameter == "rule"
    with pytest.raises(InputError) as caught:
        workflows.train(files["train"], out=files["train"])
    assert caught.value.parameter == "out" and files["train"].stat().st_size > 0


def test_every_parameter_maps_to_a_real_option() -> None:
    import typer

    from probkit_cli.parameters import OPTIONS

    command = typer.main.get_command(app)
    options = {opt for sub in command.commands.values() for p in sub.params for opt in p.opts}
    assert set(OPTIONS.values()) <= options, set(OPTIONS.values()) - options


def test_the_cli_imports_no_numerics() -> None:
    cli = Path(__file__).resolve().parents[2] / "cli"
    for path in cli.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for heavy in ("numpy", "scipy"):
            assert f"import {heavy}" not in text and f"from {heavy}" not in text, path.name
        assert "globals()" not in text, path.name
    code = ("import sys, probkit_cli.app, probkit_cli.classifier_commands, "
            "probkit_cli.tune_command, probkit_cli.classifier_render, probkit_cli.progress; "
            "print(sorted({'numpy', 'scipy'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
