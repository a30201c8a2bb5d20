"""Metrics against independent oracles: the score-test definition of the Wilson
interval, hand-counted confusion matrices, direct formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from probkit.classifier.evaluation.calibration import reliability_table
from probkit.classifier.evaluation.metrics import (
    accuracy,
    baseline_accuracy,
    brier_score,
    classification_report,
    confusion_matrix,
    expected_calibration_error,
    log_loss,
    sensitivity,
    specificity,
    wilson_interval,
)
from probkit.errors import DataError, InputError


def _score_test_bounds(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson's interval = the p0 with |k/n - p0| = z sqrt(p0 (1 - p0) / n), by root finding."""
    phat = k / n

    def f(p0: float) -> float:
        return (phat - p0) ** 2 - z * z * p0 * (1 - p0) / n

    # the endpoint at a boundary (k = 0 or k = n) is p0 = phat itself; search away from it
    lo = 0.0 if k == 0 else brentq(f, 1e-300, phat - 1e-13 if k == n else phat)
    hi = 1.0 if k == n else brentq(f, phat + 1e-13 if k == 0 else phat, 1 - 1e-16)
    return lo, hi


@given(n=st.integers(1, 500), data=st.data())
def test_wilson_interval_solves_the_score_test(n: int, data) -> None:
    k = data.draw(st.integers(0, n))
    lo, hi = wilson_interval(k, n)
    elo, ehi = _score_test_bounds(k, n, 1.959963984540054)
    assert lo == pytest.approx(elo, abs=1e-9) and hi == pytest.approx(ehi, abs=1e-9)
    assert 0 <= lo <= k / n <= hi <= 1


def test_wilson_interval_width_and_confidence() -> None:
    lo, hi = wilson_interval(35, 50)
    assert 0.24 < hi - lo < 0.26  # about ±12.5 points on 50 images
    lo99, hi99 = wilson_interval(35, 50, confidence=0.99)
    assert lo99 < lo and hi99 > hi
    # negative control: the naive Wald interval is different (and symmetric)
    wald = 1.96 * math.sqrt(0.7 * 0.3 / 50)
    assert abs((0.7 - wald) - lo) > 1e-3
    for bad in [(3, 2), (-1, 5), (0, 0)]:
        with pytest.raises(InputError):
            wilson_interval(*bad)
    with pytest.raises(InputError):
        wilson_interval(1, 2, confidence=1.5)


def test_confusion_and_rates_by_hand() -> None:
    y = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    yp = [1, 1, 0, 1, 0, 1, 0, 0, 0, 0]
    # TP: idx 0,1,3 = 3; FN: idx 2,9 = 2; FP: idx 5 = 1; TN: 4,6,7,8 = 4
    assert confusion_matrix(y, yp).tolist() == [[4, 1], [2, 3]]
    assert sensitivity(y, yp) == pytest.approx(3 / 5)
    assert specificity(y, yp) == pytest.approx(4 / 5)
    assert accuracy(y, yp) == pytest.approx(7 / 10)
    assert math.isnan(sensitivity([0, 0], [0, 1]))
    assert baseline_accuracy([1] * 33 + [0] * 17) == pytest.approx(0.66)
    assert baseline_accuracy([1] * 72 + [0] * 137) == pytest.approx(137 / 209)


def test_log_loss_and_brier_direct_formulas() -> None:
    y = np.array([1, 0, 1, 1])
    p = np.array([0.9, 0.2, 0.6, 0.3])
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.6) + math.log(0.3)) / 4
    assert log_loss(y, p) == pytest.approx(expected, rel=1e-14)
    assert brier_score(y, p) == pytest.approx((0.01 + 0.04 + 0.16 + 0.49) / 4)
    z = np.log(p / (1 - p))
    assert log_loss(y, p, logits=z) == pytest.approx(expected, rel=1e-12)
    # saturated: logits keep the exact value where probabilities round to 1
    assert log_loss([0], [1.0], logits=[50.0]) == pytest.approx(50.0, rel=1e-12)
    assert log_loss([0], [1.0]) == pytest.approx(-math.log(1e-15), rel=1e-3)  # clipped
    assert log_loss([1, 0], [0.5, 0.5]) == pytest.approx(math.log(2))  # the coin


def test_reliability_and_ece_by_hand() -> None:
    y = [0, 0, 1, 1, 1, 0]
    p = [0.05, 0.15, 0.12, 0.95, 1.0, 0.91]
    table = reliability_table(y, p)
    assert [r.count for r in table] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 3]
    assert table[1].mean_predicted == pytest.approx(0.135)
    assert table[1].observed == pytest.approx(0.5)
    assert table[9].observed == pytest.approx(2 / 3)
    assert table[4].mean_predicted is None
    # the report's JSON rows are the same table
    rows = classification_report(y, p)["reliability"]
    assert rows == [r.to_dict() for r in table]
    assert rows[1] == {"low": 0.1, "high": 0.2, "count": 2,
                       "mean_predicted": table[1].mean_predicted, "observed_rate": 0.5}
    expected = (1 * 0.05 + 2 * abs(0.135 - 0.5) + 3 * abs((0.95 + 1.0 + 0.91) / 3 - 2 / 3)) / 6
    assert expected_calibration_error(y, p) == pytest.approx(expected, rel=1e-12)
    # a perfectly calibrated toy: in each bin the predicted rate equals the observed one
    assert expected_calibration_error([0, 1] * 5, [0.5] * 10) == 0.0


def test_classification_report_keys_and_consistency() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 50)
    p = np.clip(0.6 * y + 0.4 * rng.random(50), 0, 1)
    r = classification_report(y, p)
    for key in ["accuracy", "accuracy_ci", "log_loss", "brier", "ece", "confusion",
                "baseline_accuracy", "n", "sensitivity", "specificity", "reliability"]:
        assert key in r
    c = r["confusion"]
    assert c["tn"] + c["fp"] + c["fn"] + c["tp"] == r["n"] == 50
    assert r["accuracy"] == pytest.approx(accuracy(y, (p > 0.5).astype(int)))
    assert list(r["accuracy_ci"]) == list(wilson_interval(c["tn"] + c["tp"], 50))
    assert r["n_positive"] == int(y.sum())
    import json

    json.dumps(r, allow_nan=False)  # JSON-ready: no nan


def test_same_bad_labels_raise_the_same_error_everywhere() -> None:
    from probkit.classifier.base_rate import confusion_counts
    from probkit.classifier.evaluation.calibration import fit_temperature

    calls = [lambda: log_loss([0, 2], [0.5, 0.5]),
             lambda: reliability_table([0, 2], [0.5, 0.5]),
             lambda: confusion_counts([0, 2], [0, 1]),
             lambda: fit_temperature([0.1, 0.2], [0, 2]),
             lambda: expected_calibration_error([0, 2], [0.5, 0.5])]
    for call in calls:
        with pytest.raises(DataError, match="only 0 and 1") as caught:
            call()
        assert caught.value.parameter == "y"


def test_bad_inputs() -> None:
    with pytest.raises(InputError):
        log_loss([0, 1], [0.5, 1.5])
    with pytest.raises(InputError):
        brier_score([0, 2], [0.5, 0.5])
    with pytest.raises(InputError):
        accuracy([0, 1], [0])
    with pytest.raises(InputError):
        log_loss([], [])


def test_wilson_interval_matches_published_values() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score):
    # 81/263 -> 0.2553-0.3662, 15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611, 1/29 -> 0.0061-0.1718.
    from probkit.classifier.evaluation.metrics import wilson_interval

    published = {(81, 263): (0.2553, 0.3662), (15, 148): (0.0624, 0.1605),
                 (0, 20): (0.0, 0.1611), (1, 29): (0.0061, 0.1718)}
    for (k, n), (low, high) in published.items():
        got = wilson_interval(k, n)
        assert round(got[0], 4) == low and round(got[1], 4) == high, (k, n, got)
