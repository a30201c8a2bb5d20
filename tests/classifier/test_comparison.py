"""Paired bootstrap of a per-image loss difference."""

from __future__ import annotations

import numpy as np
import pytest

from probkit.classifier.evaluation.comparison import paired_bootstrap, per_image_log_loss
from probkit.errors import DataError, InputError


def test_per_image_log_loss_matches_the_definition():
    y = np.array([1, 0, 1, 0])
    z = np.array([2.0, -1.0, -3.0, 20.0])
    p = 1 / (1 + np.exp(-z))
    expected = -(y * np.log(p) + (1 - y) * np.log1p(-p))
    assert np.allclose(per_image_log_loss(y, z), expected)
    assert per_image_log_loss([0], [800.0])[0] == pytest.approx(800.0)  # no overflow


def test_a_clear_difference_excludes_zero_and_a_null_one_covers_it():
    rng = np.random.default_rng(0)
    base = rng.exponential(0.5, 50)
    better = paired_bootstrap(base * 0.7, base, n_bootstrap=2000)
    assert better.interval[1] < 0 and better.share_not_below_zero < 0.01
    noise = paired_bootstrap(base + rng.normal(0, 0.1, 50), base, n_bootstrap=2000)
    assert noise.interval[0] < 0 < noise.interval[1]


def test_pairing_matters_a_shared_hard_image_does_not_widen_the_interval():
    rng = np.random.default_rng(1)
    hard = rng.exponential(1.0, 50) * 5  # per-image difficulty, common to both models
    paired = paired_bootstrap(hard + 0.1, hard, n_bootstrap=2000)
    assert paired.interval == pytest.approx((0.1, 0.1), abs=1e-9)


def test_bad_inputs():
    with pytest.raises(DataError, match="same length"):
        paired_bootstrap([1.0, 2.0], [1.0])
    with pytest.raises(DataError, match="NaN"):
        paired_bootstrap([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(InputError, match="n_bootstrap"):
        paired_bootstrap([1.0, 2.0], [1.0, 2.0], n_bootstrap=5)
    with pytest.raises(DataError, match="1-D"):
        per_image_log_loss([1, 0], [0.0])
