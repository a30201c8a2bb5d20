"""`probkit compare` / `workflows.compare`: two classifiers on the same images, with
paired bootstrap intervals and an exact McNemar test."""

from __future__ import annotations

import json
from math import comb

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit import workflows
from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.classifier.evaluation.comparison import compare_logits, mcnemar_exact, per_image_losses
from probkit.errors import DataError
from probkit_cli.app import app


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    write_dataset(folder / "train.h5", make_synthetic(80, size=6, seed=1), split="train")
    write_dataset(folder / "test.h5", make_synthetic(60, size=6, seed=2), split="test")
    write_dataset(folder / "big.h5", make_synthetic(10, size=8, seed=3), split="test")
    good = workflows.train(folder / "train.h5", out=folder / "good.npz", l2=1.0, features="pixels",
                           solver="lbfgs", max_iter=100)
    weak = workflows.train(folder / "train.h5", out=folder / "weak.npz", l2=1e5, features="pixels",
                           solver="lbfgs", max_iter=100)
    assert good.classifier is not None and weak.classifier is not None
    return folder


def test_mcnemar_matches_the_binomial_by_hand():
    a = np.array([1] * 9 + [0] * 2 + [1] * 20, dtype=bool)
    b = np.array([0] * 9 + [1] * 2 + [1] * 20, dtype=bool)
    result = mcnemar_exact(a, b)
    # 11 discordant images split 9 : 2; two-sided exact p = 2 P(X <= 2), X ~ Bin(11, 1/2)
    by_hand = 2 * sum(comb(11, k) for k in range(3)) / 2**11
    assert (result.only_a_right, result.only_b_right) == (9, 2)
    assert result.p_value == pytest.approx(by_hand)
    assert mcnemar_exact(a, a).p_value == 1.0  # negative control: no discordant image


def test_bad_verdicts_and_seeds_are_refused_by_name():
    from probkit.classifier.evaluation.comparison import paired_bootstrap
    from probkit.errors import InputError

    with pytest.raises(DataError, match="a_right"):
        mcnemar_exact([1.0, float("nan")], [1, 0])
    with pytest.raises(InputError, match="seed"):
        paired_bootstrap([0.1, 0.2], [0.3, 0.1], n_bootstrap=100, seed=-5)


def test_the_bootstrap_in_chunks_is_the_bootstrap_in_one_draw(monkeypatch):
    import probkit.classifier.evaluation.comparison as comparison

    rng = np.random.default_rng(1)
    a, b = rng.random(30), rng.random(30)
    whole = comparison.paired_bootstrap(a, b, n_bootstrap=1000, seed=2)
    monkeypatch.setattr(comparison, "CHUNK", 30 * 7)  # 7 resamples at a time, a ragged end
    chunked = comparison.paired_bootstrap(a, b, n_bootstrap=1000, seed=2)
    assert chunked == whole


def test_each_loss_is_bootstrapped_on_the_same_resamples():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 40)
    za, zb = rng.normal(size=40), rng.normal(size=40)
    report = compare_logits(y, za, zb, names=("a", "b"), data_source="x",
                            reports=({}, {}), n_bootstrap=500, seed=4)
    la, lb = per_image_losses(y, za), per_image_losses(y, zb)
    idx = np.random.default_rng(4).integers(0, 40, size=(500, 40))
    for key, d in report.differences.items():
        means = (la[key] - lb[key])[idx].mean(axis=1)
        assert d.interval == pytest.approx(tuple(np.quantile(means, [0.025, 0.975])))
        assert d.mean_difference == pytest.approx(float(np.mean(la[key] - lb[key])))


def test_a_model_against_itself_and_against_a_weak_one(files):
    same = workflows.compare(files / "good.npz", files / "good.npz", files / "test.h5",
                             n_bootstrap=500)
    assert all(d.mean_difference == 0 and d.interval == (0.0, 0.0)
               for d in same.differences.values())
    assert same.mcnemar.p_value == 1.0
    better = workflows.compare(files / "good.npz", files / "weak.npz", files / "test.h5",
                               n_bootstrap=2000)
    d = better.differences["log_loss"]
    assert d.mean_difference < 0 and d.interval[1] < 0  # the near-constant model is worse
    out = better.to_dict()
    assert out["reports"][0]["n"] == 60 and set(out["differences"]) == {
        "log_loss", "brier", "error_rate"}
    assert "McNemar" in better._repr_html_()


def test_images_of_another_size_are_refused_by_name(files):
    with pytest.raises(DataError, match="big.h5"):
        workflows.compare(files / "good.npz", files / "weak.npz", files / "big.h5")


def test_cli(files):
    runner = CliRunner()
    args = ["compare", "--model", str(files / "good.npz"), "--model", str(files / "weak.npz"),
            "--data", str(files / "test.h5"), "--bootstrap", "500"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "exact McNemar" in result.stdout and "log loss" in result.stdout
    result = runner.invoke(app, [*args, "--json"])
    assert json.loads(result.stdout)["differences"]["log_loss"]["n_bootstrap"] == 500
    one = runner.invoke(app, ["compare", "--model", str(files / "good.npz"), "--data",
                              str(files / "test.h5")])
    assert one.exit_code == 2 and one.stderr.strip().splitlines() == [
        "error: --model: give exactly two model files (A and B); got 1"]
    few = runner.invoke(app, [*args[:-1], "10"])
    assert few.exit_code == 2 and few.stderr.startswith("error: --bootstrap must be an integer")
