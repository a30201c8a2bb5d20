"""Label shift by EM (Saerens, Latinne & Decaestecker 2002): recovers a known shift from
calibrated probabilities, agrees with a direct maximisation of the likelihood, and
refuses to answer when the batch cannot tell."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from probkit.classifier.label_shift import (
    MAX_WIDTH,
    batch_log_likelihood,
    em_base_rate,
    estimate_base_rate,
    likelihood_interval,
)
from probkit.errors import DataError, InputError


def _batch(true_rate: float, n: int, *, separation: float, train_rate: float,
           seed: int) -> np.ndarray:
    """Exact log-odds at ``train_rate`` of a batch with a share ``true_rate`` of cats:
    x ~ N(+s/2, 1) for cats and N(-s/2, 1) for non-cats."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < true_rate
    x = np.where(y, separation / 2, -separation / 2) + rng.normal(size=n)
    return separation * x + np.log(train_rate / (1 - train_rate))


@pytest.mark.parametrize("true_rate", [0.15, 0.4, 0.66, 0.85])
@pytest.mark.parametrize("train_rate", [0.34, 0.5])
def test_em_recovers_a_known_shift(true_rate, train_rate):
    z = _batch(true_rate, 4000, separation=3.0, train_rate=train_rate, seed=7)
    est = estimate_base_rate(z, training_base_rate=train_rate, n_bootstrap=200)
    assert est.usable, est.reason
    assert est.estimate == pytest.approx(true_rate, abs=0.03)
    lo, hi = est.interval
    assert lo < true_rate < hi and hi - lo < 0.1
    # negative control: the naive mean of the probabilities is biased toward the training rate
    naive = float(np.mean(1 / (1 + np.exp(-z))))
    assert abs(naive - true_rate) > abs(est.estimate - true_rate)


def test_em_converges_to_the_maximum_of_the_likelihood():
    z = _batch(0.7, 300, separation=2.0, train_rate=0.4, seed=3)
    fit = em_base_rate(z, training_base_rate=0.4)
    best = minimize_scalar(lambda p: -batch_log_likelihood(z, training_base_rate=0.4,
                                                           base_rate=p),
                           bounds=(1e-6, 1 - 1e-6), method="bounded",
                           options={"xatol": 1e-10})
    assert fit.converged and fit.estimate == pytest.approx(best.x, abs=1e-5)
    assert fit.log_likelihood == pytest.approx(-best.fun, abs=1e-6)


def test_unchanged_base_rate_is_a_fixed_point():
    z = _batch(0.5, 2000, separation=3.0, train_rate=0.5, seed=1)
    assert em_base_rate(z, training_base_rate=0.5).estimate == pytest.approx(0.5, abs=0.03)


def test_uninformative_probabilities_are_refused_although_the_bootstrap_is_narrow():
    z = np.full(50, np.log(0.34 / 0.66))  # every image at the training base rate
    est = estimate_base_rate(z, training_base_rate=0.34, n_bootstrap=300)
    assert est.interval[1] - est.interval[0] < 1e-6  # EM never moves: a narrow bootstrap
    assert not est.usable and "likelihood is flat" in str(est.reason)
    lo, hi = est.likelihood_interval
    assert hi - lo > MAX_WIDTH
    assert "not applied" in str(est)


def test_weak_classifier_on_a_small_batch_is_refused():
    z = _batch(0.66, 50, separation=0.4, train_rate=0.34, seed=2)
    est = estimate_base_rate(z, training_base_rate=0.34, n_bootstrap=500)
    assert not est.usable
    assert "covers most" in str(est.reason) or "flat" in str(est.reason) \
        or "boundary" in str(est.reason)


def test_boundary_estimate_is_refused():
    p = np.array([0.9, 0.8, 0.7, 0.3, 0.9, 0.6])  # the likelihood increases up to P = 1
    est = estimate_base_rate(np.log(p / (1 - p)), training_base_rate=0.5, n_bootstrap=200)
    assert est.estimate > 0.98 and not est.usable and "boundary" in str(est.reason)


def test_likelihood_interval_narrows_with_more_images():
    widths = []
    for n in (50, 500, 5000):
        lo, hi = likelihood_interval(_batch(0.6, n, separation=3.0, train_rate=0.5, seed=n),
                                     training_base_rate=0.5)
        widths.append(hi - lo)
    assert widths[0] > widths[1] > widths[2] > 0


def test_bad_inputs_are_refused_by_name():
    with pytest.raises(DataError, match="non-empty"):
        em_base_rate([], training_base_rate=0.5)
    with pytest.raises(DataError, match="NaN"):
        em_base_rate([np.nan], training_base_rate=0.5)
    with pytest.raises(InputError, match="training_base_rate"):
        em_base_rate([0.0], training_base_rate=1.0)
    with pytest.raises(InputError, match="n_bootstrap"):
        estimate_base_rate([0.0, 1.0], training_base_rate=0.5, n_bootstrap=10)
    with pytest.raises(InputError, match="work bound"):
        estimate_base_rate(np.zeros(10**5), training_base_rate=0.5, n_bootstrap=1000)
    with pytest.raises(InputError, match="confidence"):
        estimate_base_rate([0.0, 1.0], training_base_rate=0.5, confidence=1.5)


def test_to_dict_is_json_ready():
    import json

    est = estimate_base_rate(_batch(0.3, 200, separation=3.0, train_rate=0.5, seed=0),
                             training_base_rate=0.5, n_bootstrap=100)
    back = json.loads(json.dumps(est.to_dict(), allow_nan=False))
    assert back["usable"] is True and len(back["interval"]) == 2
