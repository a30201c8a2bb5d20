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


def test_long_integer_rows_multiply_exactly():
    rng = np.random.default_rng(4)
    table = rng.integers(1, 2**62, (4, 301), dtype=np.int64)
    post = Distribution.uniform([1, 2, 3, 4]).update(table)
    products = [math.prod(row) for row in table.tolist()]
    assert post.probs == tuple(F(p, sum(products)) for p in products)


def test_integer_rows_too_long_to_multiply_exactly_are_refused_from_their_sizes(monkeypatch):
    # the products were computed one factor at a time before the normalizing check saw
    # their size: 3 rows of 32,000 columns of 2**62 took 11 s, and the work grew as the
    # square of the columns (3 x 400,000: minutes before the refusal)
    import probkit.bayes.distribution as distribution

    monkeypatch.setattr(distribution, "MAX_EXACT_BITS", 10_000)
    table = np.full((3, 100), 2**62, dtype=np.int64)  # 3 x 100 x 63 bits
    with pytest.raises(InputError, match=r"18,900 bits .*limit: 10,000") as err:
        Distribution.uniform([1, 2, 3]).update(table)
    assert err.value.parameter == "likelihood"
    assert Distribution.uniform([1, 2, 3]).update(table[:, :20]).probs == (F(1, 3),) * 3
    with_zero = table.copy()
    with_zero[:2, 0] = 0  # a row with a 0 is 0 whatever its other columns
    assert Distribution.uniform([1, 2, 3]).update(with_zero[:, :20]).probs == (0, 0, 1)


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


@pytest.mark.parametrize("exact", [True, False])
def test_a_list_holding_arrays_of_several_numbers_is_refused_by_name(exact):
    # one array per value is not one likelihood per value (it raised ValueError from .item())
    prior = Distribution.uniform([1, 2, 3]) if exact else Distribution({1: 0.2, 2: 0.3, 3: 0.5})
    rows = [np.array([0.5, 0.5]), np.array([0.1]), np.array([0.2, 0.3])]
    with pytest.raises(ProbkitError, match=r"likelihood of 1: array\(\[0\.5, 0\.5\]\) is not"):
        prior.update(rows)
    # a one-number array per value is still read as its number
    one = prior.update([np.array([0.5]), np.array(0.25), np.array([[0.25]])])
    assert float(one[1]) == pytest.approx(float(prior[1]) * 0.5 / (
        float(prior[1]) * 0.5 + float(prior[2]) * 0.25 + float(prior[3]) * 0.25))


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
