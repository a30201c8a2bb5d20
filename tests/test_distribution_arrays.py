"""Distribution.update with numpy arrays: 1-D (one likelihood per value) and 2-D (a row per
value, a column per observation), checked against Bayes' rule written out in logs."""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest

from probkit import Distribution, ProbkitError
from probkit.errors import ImpossibleEvidenceError, InputError, ProbabilityError

np = pytest.importorskip("numpy")


def table(values: int = 40, observations: int = 300, seed: int = 3):
    rng = np.random.default_rng(seed)
    return rng.integers(1, 1000, (values, observations)) / 1000


def bayes_rule_in_logs(prior, rows) -> list[float]:
    logs = [math.log(p) + math.fsum(map(math.log, row))
            for p, row in zip(prior, rows, strict=True)]
    top = max(logs)
    total = math.fsum(math.exp(v - top) for v in logs)
    return [math.exp(v - top) / total for v in logs]


def test_a_2d_array_multiplies_each_row_in_log_space():
    t = table()  # 300 observations: the plain product of a row underflows nowhere near
    prior = np.linspace(1, 2, len(t))
    post = Distribution(np.arange(len(t)), prior).update(t)
    expected = bayes_rule_in_logs(prior / prior.sum(), t.tolist())
    assert [float(p) for p in post.probs] == pytest.approx(expected, rel=1e-9, abs=1e-300)
    assert max(expected) > 0.5  # one value dominates: a wrong row order would show
    log_evidence = math.log(sum(p / prior.sum() * math.exp(math.fsum(map(math.log, row)))
                                for p, row in zip(prior, t.tolist(), strict=True)))
    assert post.log_evidence == pytest.approx(log_evidence, rel=1e-9)


def test_a_2d_array_is_the_same_as_one_update_per_column():
    t = table(values=12, observations=20)
    start = Distribution(np.arange(12), np.full(12, 1 / 12))
    stepwise = start
    for column in t.T:
        stepwise = stepwise.update(column)
    at_once = start.update(t)
    assert [float(p) for p in at_once.probs] == pytest.approx(
        [float(p) for p in stepwise.probs], rel=1e-9)
    swapped = t.copy()
    swapped[[0, 1]] = swapped[[1, 0]]
    assert [float(p) for p in start.update(swapped).probs] != pytest.approx(
        [float(p) for p in at_once.probs], rel=1e-6)  # negative control: rows matter


def test_an_integer_2d_array_stays_exact():
    d = Distribution.uniform([1, 2, 3])
    post = d.update(np.array([[1, 2], [0, 5], [3, 1]]))
    assert post.exact
    assert post.probs == (F(2, 5), F(0), F(3, 5))


@pytest.mark.parametrize(("bad", "shown"), [
    (float("nan"), "nan is not a finite number"), (float("inf"), "inf is not a finite number"),
    (-0.25, "-0.25 is negative"),
])
def test_a_bad_number_in_a_2d_array_is_named_with_value_and_observation(bad, shown):
    t = table()
    t[7, 123] = bad
    with pytest.raises(ProbabilityError) as caught:
        Distribution(np.arange(len(t)) * 10, np.ones(len(t))).update(t)
    message = str(caught.value)
    assert "likelihood of 70 (observation 124)" in message and shown in message
    assert caught.value.parameter == "likelihood"


@pytest.mark.parametrize("bad", [float("nan"), -1.0])
def test_a_bad_number_in_a_1d_float_array_is_named(bad):
    column = np.array([0.5, 0.25, bad])
    with pytest.raises(ProbkitError) as caught:
        Distribution.uniform([1, 2, 3]).update(column)
    assert "likelihood of 3" in str(caught.value)



@pytest.mark.parametrize("shape", [(3, 2, 2), (4, 5), (3, 0)])
def test_an_array_of_the_wrong_shape_is_refused(shape):
    with pytest.raises(InputError) as caught:
        Distribution.uniform([1, 2, 3]).update(np.ones(shape))
    assert caught.value.parameter == "likelihood"


def test_a_2d_array_ruling_out_every_value_is_impossible_evidence():
    t = table(values=5, observations=4)
    t[:, 2] = 0.0
    with pytest.raises(ImpossibleEvidenceError):
        Distribution.uniform(range(5)).update(t)


def test_a_tiny_product_keeps_its_log():
    # 400 observations of 1e-3 each: 1e-1200 per row, far below a float; the ratio survives
    t = np.full((2, 400), 1e-3)
    t[1, 0] = 2e-3
    post = Distribution.uniform([0, 1]).to_float().update(t)
    assert float(post[1]) == pytest.approx(2 / 3, rel=1e-12)
    assert post.log_evidence == pytest.approx(math.log(1.5e-3) + 399 * math.log(1e-3), rel=1e-12)
