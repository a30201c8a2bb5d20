"""Float Distribution updates by numpy arrays and vectorized functions, one per observation
(the array-backed log-probabilities of probkit.bayes.log_probabilities), checked against the
exact Fraction path on small problems, against the value-by-value float path, and for the
validation by name."""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest

from probkit import Distribution, bayes_factor
from probkit.errors import (
    ImpossibleEvidenceError,
    InputError,
    NumberFormatError,
    ProbabilityError,
    ProbkitError,
)

np = pytest.importorskip("numpy")

TRAINS = [7, 3, 12, 9]  # locomotive serial numbers seen, one update each
FLIPS = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1]  # Euro: heads 1, tails 0


def worst_difference(floats: Distribution, exact: Distribution) -> float:
    """Largest relative difference of the probabilities, summaries and evidence."""
    assert [float(v) for v in floats.values] == [float(v) for v in exact.values]
    assert not floats.exact and exact.exact
    pairs = [(a, b) for a, b in zip(floats.probs, exact.probs, strict=True)]
    pairs += [(floats.mean(), exact.mean()), (floats.var(), exact.var()),
              (floats.prob(lambda v: v > floats.values[len(floats) // 2]),
               exact.prob(lambda v: v > exact.values[len(exact) // 2])),
              (floats.log_evidence, exact.log_evidence)]
    return max(abs(float(a) - float(b)) / max(abs(float(b)), 1e-300) if b != 0
               else abs(float(a)) for a, b in pairs)


def same_summaries(floats: Distribution, exact: Distribution) -> None:
    def chosen(d: Distribution) -> list[float]:
        return [float(v) for v in (d.median(), d.map(), *d.credible_interval(0.8),
                                   *d.hdi(0.8))]

    assert chosen(floats) == chosen(exact)


def locomotive_exact(trains: list[int]) -> Distribution:
    post = Distribution.uniform(range(1, 41))
    for x in trains:
        post = post.update([F(1, n) if n >= x else F(0) for n in range(1, 41)])
    return post


def euro_exact(flips: list[int]) -> Distribution:
    grid = [F(i, 20) for i in range(21)]
    post = Distribution(grid, [1 + min(i, 20 - i) for i in range(21)])  # a triangle prior
    for x in flips:
        post = post.update([p if x else 1 - p for p in grid])
    return post


def locomotive_by_arrays(trains: list[int]) -> Distribution:
    post = Distribution(np.arange(1, 41), np.ones(40))
    n = np.arange(1, 41)
    for x in trains:
        post = post.update(np.where(n >= x, 1 / n, 0.0))
    return post


def locomotive_by_function(trains: list[int]) -> Distribution:
    post = Distribution(np.arange(1, 41), np.ones(40))
    for x in trains:
        post = post.update(lambda n, x=x: np.where(n >= x, 1 / n, 0.0))
    return post


def euro_by_function(flips: list[int]) -> Distribution:
    post = Distribution(np.arange(21) / 20, [1.0 + min(i, 20 - i) for i in range(21)])
    for x in flips:
        post = post.update((lambda p: p) if x else (lambda p: 1 - p))
    return post


def euro_by_arrays(flips: list[int]) -> Distribution:
    grid = np.arange(21) / 20
    post = Distribution(grid, [1.0 + min(i, 20 - i) for i in range(21)])
    for x in flips:
        post = post.update(grid if x else 1 - grid)
    return post


SLIPPED_TRAINS = [7, 3, 13, 9]  # the largest serial number is what the posterior depends on
SLIPPED_FLIPS = [*FLIPS[:-1], 0]

CASES = [
    ("locomotive, arrays", locomotive_by_arrays, locomotive_exact, TRAINS, SLIPPED_TRAINS),
    ("locomotive, function", locomotive_by_function, locomotive_exact, TRAINS, SLIPPED_TRAINS),
    ("euro, arrays", euro_by_arrays, euro_exact, FLIPS, SLIPPED_FLIPS),
    ("euro, function", euro_by_function, euro_exact, FLIPS, SLIPPED_FLIPS),
]
FIELDS = ("name", "by_floats", "by_fractions", "data", "slipped")


@pytest.mark.parametrize(FIELDS, CASES, ids=[case[0] for case in CASES])
def test_per_observation_float_updates_agree_with_the_exact_path(name, by_floats,
                                                                 by_fractions, data, slipped):
    floats, exact = by_floats(data), by_fractions(data)
    assert worst_difference(floats, exact) < 1e-12
    same_summaries(floats, exact)


@pytest.mark.parametrize(FIELDS, CASES, ids=[case[0] for case in CASES])
def test_negative_control_one_observation_changed_breaks_the_agreement(
        name, by_floats, by_fractions, data, slipped):
    assert worst_difference(by_floats(slipped), by_fractions(data)) > 1e-6


def test_bayes_factor_of_float_chains_matches_the_exact_one():
    fair_exact = Distribution({F(1, 2): 1})
    fair_floats = Distribution(np.array([0.5]), np.array([1.0]))
    for _ in FLIPS:
        fair_exact = fair_exact.update([F(1, 2)])
        fair_floats = fair_floats.update(np.array([0.5]))
    exact = bayes_factor(fair_exact, euro_exact(FLIPS))
    floats = bayes_factor(fair_floats, euro_by_arrays(FLIPS))
    assert floats == pytest.approx(float(exact), rel=1e-12)
    assert floats != pytest.approx(float(bayes_factor(fair_exact, euro_exact(FLIPS[:-1]))),
                                   rel=1e-6)  # negative control: one flip fewer differs


def test_array_updates_match_the_value_by_value_float_path():
    grid = np.linspace(0, 1, 51)
    start = Distribution(grid, np.ones(51))
    by_array, by_list = start, start
    for x in FLIPS:
        column = grid if x else 1 - grid
        by_array = by_array.update(column)
        by_list = by_list.update([float(v) for v in column])  # Python floats, read one by one
    assert by_array.probs == pytest.approx(by_list.probs, rel=1e-13, abs=1e-300)
    assert by_array.evidence == pytest.approx(by_list.evidence, rel=1e-13)
    assert by_array.sample(200, seed=5) == by_list.sample(200, seed=5)
    assert (by_array.median(), by_array.map()) == (by_list.median(), by_list.map())
    assert repr(by_array) == repr(by_list)
    assert by_array.sample(200, seed=5) != by_array.sample(200, seed=6)  # the seed matters


def test_arithmetic_and_to_float_read_an_array_backed_distribution():
    post = euro_by_arrays(FLIPS)
    exact = euro_exact(FLIPS)
    shifted = post + 1
    assert shifted.values == tuple(v + 1 for v in post.values)
    assert float(shifted.mean()) == pytest.approx(float(exact.mean()) + 1, rel=1e-12)
    difference = post - post
    assert float(difference.mean()) == pytest.approx(0.0, abs=1e-12)
    assert float(post.max_of(2).mean()) == pytest.approx(float(exact.max_of(2).mean()),
                                                         rel=1e-12)
    assert post.to_float().probs == pytest.approx(post.probs, rel=1e-14, abs=1e-300)


def test_integer_arrays_are_floats_for_a_float_distribution_and_exact_for_an_exact_one():
    floats = Distribution([1, 2, 3], [1.0, 1.0, 2.0]).update(np.array([1, 0, 3]))
    assert floats.probs == pytest.approx((1 / 7, 0.0, 6 / 7), rel=1e-12)
    exact = Distribution.uniform([1, 2, 3]).update(np.array([1, 0, 3]))
    assert exact.exact and exact.probs == (F(1, 4), F(0), F(3, 4))
    from_bools = Distribution([1, 2, 3], [1.0, 1.0, 2.0]).update(np.array([True, False, True]))
    assert from_bools.probs == pytest.approx((1 / 3, 0.0, 2 / 3), rel=1e-12)


def test_a_function_cannot_change_the_values_it_is_given():
    def doubles_in_place(x):
        x *= 2  # refused on the shared array: the function is then called value by value
        return x

    start = Distribution(np.arange(1, 5), np.ones(4))
    post = start.update(doubles_in_place)
    assert post.values == start.values == (1, 2, 3, 4)
    assert post.probs == pytest.approx((0.1, 0.2, 0.3, 0.4), rel=1e-12)
    again = post.update(lambda v: v)  # the next update still sees the original values
    assert again.probs == pytest.approx((1 / 30, 4 / 30, 9 / 30, 16 / 30), rel=1e-12)


# --- validation by name on a float distribution ------------------------------------------


@pytest.mark.parametrize(("bad", "error", "shown"), [
    (float("nan"), NumberFormatError, "nan is not a finite number"),
    (float("inf"), NumberFormatError, "inf is not a finite number"),
    (-0.5, ProbabilityError, "-0.5 is negative"),
])
def test_a_bad_number_is_named_with_its_value(bad, error, shown):
    start = Distribution([10, 20, 30], [1.0, 1.0, 1.0])
    for likelihood in (np.array([0.5, bad, 0.25]),
                       lambda v: np.where(v == 20, bad, 0.5)):
        with pytest.raises(error) as caught:
            start.update(likelihood)
        assert "likelihood of 20" in str(caught.value) and shown in str(caught.value)
        assert caught.value.parameter == "likelihood"


@pytest.mark.parametrize("length", [2, 4])
def test_an_array_of_the_wrong_length_is_refused(length):
    with pytest.raises(InputError) as caught:
        Distribution([10, 20, 30], [1.0, 1.0, 1.0]).update(np.full(length, 0.5))
    assert caught.value.parameter == "likelihood"
    assert f"{length:,} values for 3 values" in str(caught.value)


@pytest.mark.parametrize("start", [Distribution([1, 2, 3], [1.0, 1.0, 1.0]),
                                   Distribution([1, 2, 3], [0.0, 1.0, 1.0]),
                                   Distribution.uniform([1, 2, 3])],
                         ids=["float", "float with a zero", "exact"])
def test_all_zero_evidence_is_refused_naming_the_likelihood(start):
    zeros = np.array([1.0, 0.0, 0.0]) if start[1] == 0 else np.zeros(3)
    with pytest.raises(ImpossibleEvidenceError) as caught:
        start.update(zeros)
    assert isinstance(caught.value, ProbkitError)
    assert caught.value.parameter == "likelihood"
    assert math.isfinite(start.update(np.array([0.0, 0.5, 0.5])).log_evidence)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), np.float64("nan")])
def test_a_non_finite_weight_is_refused_naming_the_weights(bad):
    with pytest.raises(NumberFormatError) as caught:
        Distribution([1, 2, 3], [1.0, bad, 1.0])
    assert caught.value.parameter == "weights" and "weight of 2" in str(caught.value)
