"""Reliability table, ECE, temperature and Platt scaling against independent oracles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.special import expit

from probkit.classifier.evaluation.calibration import (
    apply_platt,
    apply_temperature,
    calibration_error,
    fit_platt,
    fit_temperature,
    reliability_table,
)
from probkit.errors import DataError, InputError


def _naive_bins(y, p, n_bins):
    """Oracle: loop over examples, put each in bin floor(p*n_bins) (p == 1 in the last)."""
    members = [[] for _ in range(n_bins)]
    for label, prob in zip(y, p, strict=True):
        b = n_bins - 1 if prob == 1.0 else int(math.floor(prob * n_bins))
        members[b].append((label, prob))
    return members


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.floats(0, 1)), min_size=1, max_size=60),
       st.integers(1, 12))
def test_reliability_table_matches_naive_binning(pairs, n_bins):
    y = [a for a, _ in pairs]
    p = [b for _, b in pairs]
    table = reliability_table(y, p, n_bins=n_bins)
    oracle = _naive_bins(y, p, n_bins)
    assert len(table) == n_bins
    assert sum(r.count for r in table) == len(pairs)
    for row, members in zip(table, oracle, strict=True):
        assert row.count == len(members)
        if members:
            assert row.mean_predicted == pytest.approx(sum(m[1] for m in members) / len(members))
            assert row.observed == pytest.approx(sum(m[0] for m in members) / len(members))
        else:
            assert row.mean_predicted is None and row.observed is None
    ece = sum(len(m) * abs(sum(x[1] for x in m) / len(m) - sum(x[0] for x in m) / len(m))
              for m in oracle if m) / len(pairs)
    assert calibration_error(table) == pytest.approx(ece, abs=1e-12)


def test_perfectly_calibrated_groups_have_zero_ece_and_shifted_ones_do_not():
    # 11 groups of 10 images: group k says P(cat) = k/10 and holds exactly k cats,
    # so every bin's mean prediction equals its share of cats
    y, p = [], []
    for k in range(11):
        y += [1] * k + [0] * (10 - k)
        p += [k / 10] * 10
    assert calibration_error(reliability_table(y, p)) == pytest.approx(0.0, abs=1e-12)
    shifted = [min(1.0, v + 0.05) for v in p]
    assert calibration_error(reliability_table(y, shifted)) > 0.04


def test_reliability_rejects_bad_input():
    with pytest.raises(DataError):
        reliability_table([0, 1], [0.5])
    with pytest.raises(DataError):
        reliability_table([0, 2], [0.5, 0.5])
    with pytest.raises(DataError):
        reliability_table([0, 1], [0.5, 1.5])
    with pytest.raises(InputError):
        reliability_table([0, 1], [0.5, 0.5], n_bins=0)


def _loss(z, y):
    p = np.clip(expit(z), 1e-300, 1 - 1e-16)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))


def test_temperature_is_a_stationary_point_by_finite_differences():
    rng = np.random.default_rng(3)
    z = rng.normal(0, 3, 500)
    y = (rng.random(500) < expit(z / 2.5)).astype(float)
    t = fit_temperature(z, y)
    h = 1e-4
    derivative = (_loss(z / (t * math.exp(h)), y) - _loss(z / (t * math.exp(-h)), y)) / (2 * h)
    assert abs(derivative) < 1e-5
    # and it is a minimum: both neighbours are worse
    assert _loss(z / (t * 1.1), y) > _loss(z / t, y) < _loss(z / (t / 1.1), y)
    assert 1.8 < t < 3.5  # the data were generated at T = 2.5


def test_temperature_of_calibrated_logits_is_near_one_and_fixes_overconfidence():
    rng = np.random.default_rng(4)
    z = rng.normal(0, 2, 20000)
    y = (rng.random(z.size) < expit(z)).astype(float)
    assert fit_temperature(z, y) == pytest.approx(1.0, abs=0.06)
    overconfident = 4 * z
    before = calibration_error(reliability_table(y, expit(overconfident)))
    t = fit_temperature(overconfident, y)
    after = calibration_error(reliability_table(y, apply_temperature(overconfident, t)))
    assert after < before / 3


def test_platt_matches_an_independent_derivative_free_minimiser():
    rng = np.random.default_rng(5)
    z = rng.normal(0, 2, 800)
    y = (rng.random(z.size) < expit(0.7 * z + 0.4)).astype(float)
    a, b = fit_platt(z, y)
    oracle = minimize(lambda t: _loss(t[0] * z + t[1], y), [1.0, 0.0], method="Nelder-Mead",
                      options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 5000})
    assert a == pytest.approx(oracle.x[0], abs=1e-3)
    assert b == pytest.approx(oracle.x[1], abs=1e-3)
    assert apply_platt(z, a, b) == pytest.approx(expit(a * z + b))


def test_temperature_rejects_bad_values():
    with pytest.raises(InputError):
        apply_temperature([0.0], 0.0)
    with pytest.raises(InputError):
        apply_temperature([0.0], float("nan"))
    with pytest.raises(DataError):
        fit_temperature([], [])
    with pytest.raises(DataError):
        fit_temperature([1.0, float("inf")], [0, 1])


def test_weighted_temperature_with_offset_is_stationary():
    rng = np.random.default_rng(8)
    z = rng.normal(0, 3, 400)
    y = (rng.random(400) < expit(z / 2 + 2.0)).astype(float)
    w = np.where(y == 1, 1.5, 0.7)
    t = fit_temperature(z, y, offset=2.0, sample_weight=w)

    def loss(temp):
        p = expit(z / temp + 2.0)
        return float(np.average(-(y * np.log(p) + (1 - y) * np.log1p(-p)), weights=w))

    h = 1e-4
    assert abs((loss(t * math.exp(h)) - loss(t * math.exp(-h))) / (2 * h)) < 1e-5
    # negative control: ignoring the offset gives a different temperature
    assert abs(fit_temperature(z, y, sample_weight=w) - t) > 0.05
    with pytest.raises(DataError):
        fit_temperature(z, y, sample_weight=-w)
