"""The ECE that calibrated probabilities would show on a small sample, by simulation: against
an exact enumeration, on calibrated and miscalibrated data, and in evaluate's report."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from probkit.classifier.evaluation.calibration import (
    calibration_error,
    ece_consistency,
    reliability_table,
)
from probkit.errors import InputError


def test_the_simulated_null_matches_exact_enumeration():
    # 8 inputs: every one of the 2**8 label sets, weighted by its probability, is the oracle
    p = np.array([0.05, 0.15, 0.35, 0.4, 0.62, 0.7, 0.88, 0.93])
    exact = []
    for labels in itertools.product((0, 1), repeat=p.size):
        y = np.array(labels)
        weight = float(np.prod(np.where(y == 1, p, 1 - p)))
        exact.append((calibration_error(reliability_table(y, p)), weight))
    values = np.array([e for e, _ in exact])
    weights = np.array([w for _, w in exact])
    observed_y = np.array([0, 0, 1, 0, 1, 1, 1, 1])
    observed = calibration_error(reliability_table(observed_y, p))
    exact_share = weights[values >= observed - 1e-12].sum()
    check = ece_consistency(observed_y, p, n_resamples=200_000, seed=3)
    assert check.ece == pytest.approx(observed)
    assert check.share_at_least == pytest.approx(exact_share, abs=0.005)
    order = np.argsort(values)
    median = values[order][np.searchsorted(np.cumsum(weights[order]), 0.5)]
    assert check.null_median == pytest.approx(median, abs=1e-9)


def test_calibrated_labels_are_rarely_called_miscalibrated():
    rng = np.random.default_rng(0)
    shares = []
    for _ in range(200):
        p = rng.uniform(0.02, 0.98, 50)
        y = (rng.random(50) < p).astype(int)  # calibrated by construction
        shares.append(ece_consistency(y, p, n_resamples=300, seed=1).share_at_least)
    # a valid p-value: about 5% of calibrated samples fall below 0.05
    assert np.mean(np.array(shares) < 0.05) < 0.10


def test_overconfident_probabilities_are_caught():
    rng = np.random.default_rng(1)
    true_p = rng.uniform(0.2, 0.8, 50)
    y = (rng.random(50) < true_p).astype(int)
    said = np.where(true_p > 0.5, 0.97, 0.03)  # far too sure
    assert ece_consistency(y, said, seed=0).share_at_least < 0.01
    # negative control: the honest probabilities pass
    assert ece_consistency(y, true_p, seed=0).share_at_least > 0.05


def test_the_work_is_bounded_and_bad_input_named():
    with pytest.raises(InputError, match="n_resamples"):
        ece_consistency([0, 1], [0.2, 0.8], n_resamples=0)
    with pytest.raises(InputError, match="draws"):
        ece_consistency([0, 1] * 50_000, [0.5] * 100_000, n_resamples=2000)


def test_evaluate_reports_it(tmp_path):
    from probkit import workflows
    from probkit.classifier.data.datasets import make_synthetic, write_dataset

    write_dataset(tmp_path / "t.h5", make_synthetic(60, size=8, seed=1), split="train")
    write_dataset(tmp_path / "e.h5", make_synthetic(40, size=8, seed=2), split="test")
    clf = workflows.train(tmp_path / "t.h5", l2=1.0, solver="lbfgs", max_iter=50,
                          features="pixels").classifier
    report = workflows.evaluate(clf, tmp_path / "e.h5", base_rate=0.5)
    out = report.to_dict()
    assert out["ece_consistency"]["ece"] == pytest.approx(out["ece"])
    assert out["ece_consistency"]["n"] == 40
    assert 0 < out["ece_consistency"]["share_at_least"] <= 1
    assert out["at_base_rate"]["ece_consistency"]["ece"] == pytest.approx(
        out["at_base_rate"]["ece"])
    assert "calibrated probabilities would show" in report._repr_html_()
