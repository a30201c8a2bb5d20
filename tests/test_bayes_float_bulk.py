"""Big float problems: likelihoods read and checked by numpy in bulk, bad values still named."""

from __future__ import annotations

import math
import random

import pytest

from probkit.bayes import posterior
from probkit.errors import ProbkitError

HYPOTHESES, OBSERVATIONS = 400, 300  # 120,000 likelihoods: the bulk path


def problem(seed: int = 1) -> tuple[dict[str, float], dict[str, list[float]]]:
    rng = random.Random(seed)
    priors = {f"H{i}": 1.0 / HYPOTHESES for i in range(HYPOTHESES)}
    likelihoods = {name: [rng.randint(1, 999) / 1000 for _ in range(OBSERVATIONS)]
                   for name in priors}
    return priors, likelihoods


def bayes_rule_in_logs(priors, likelihoods) -> dict[str, float]:
    logs = {name: math.log(p) + math.fsum(map(math.log, likelihoods[name]))
            for name, p in priors.items()}
    top = max(logs.values())
    total = math.fsum(math.exp(v - top) for v in logs.values())
    return {name: math.exp(v - top) / total for name, v in logs.items()}


def test_bulk_float_update_is_bayes_rule_written_out():
    priors, likelihoods = problem()
    result = posterior(priors, likelihoods, trace=False)
    expected = bayes_rule_in_logs(priors, likelihoods)
    assert not result.exact
    for h in result.hypotheses:
        assert h.posterior == pytest.approx(expected[h.name], rel=1e-9, abs=1e-300)
        assert h.likelihoods == tuple(likelihoods[h.name])  # as given
    top = max(expected, key=expected.__getitem__)
    assert result[top].posterior > 0.5  # the check can fail: one hypothesis dominates


def test_bulk_update_with_one_likelihood_changed_gives_another_posterior():
    # negative control: the comparison above notices a single changed value
    priors, likelihoods = problem()
    top = max(bayes_rule_in_logs(priors, likelihoods).items(), key=lambda kv: kv[1])[0]
    changed = {name: list(row) for name, row in likelihoods.items()}
    changed[top][0] = changed[top][0] / 100
    result = posterior(priors, changed, trace=False)
    assert result[top].posterior != pytest.approx(
        bayes_rule_in_logs(priors, likelihoods)[top], rel=1e-6)


@pytest.mark.parametrize(("bad", "shown"), [
    (float("nan"), "nan"), (1.5, "1.5"), (-0.25, "-0.25"), (True, "True"),
])
def test_a_bad_value_among_many_floats_is_named(bad, shown):
    priors, likelihoods = problem()
    likelihoods["H7"][123] = bad
    with pytest.raises(ProbkitError) as caught:
        posterior(priors, likelihoods, trace=False)
    message = str(caught.value)
    assert "'H7'" in message and "observation 124" in message and shown in message


def test_tiny_rationals_among_many_floats_keep_their_exact_logs():
    from fractions import Fraction

    priors, likelihoods = problem()
    tiny = {name: list(row) for name, row in likelihoods.items()}
    for k, row in enumerate(tiny.values()):  # every hypothesis: (k + 1) / 10**400, 0.0 as a float
        row[5] = Fraction(k + 1, 10**400)
    result = posterior(priors, tiny, trace=False)
    scaled = {name: [*row[:5], (k + 1) / 1000, *row[6:]]
              for k, (name, row) in enumerate(likelihoods.items())}
    expected = bayes_rule_in_logs(priors, scaled)  # the common factor 10**-397 cancels
    for h in result.hypotheses:
        assert h.posterior == pytest.approx(expected[h.name], rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(("bad", "shown"), [
    (float("inf"), "inf"), ("half", "half"), (None, "None"), (10**400, "1000"),
])
def test_a_value_numpy_cannot_read_as_a_float_is_named(bad, shown):
    # text, None and an int too big for a float leave the bulk path; the general one names them
    priors, likelihoods = problem()
    likelihoods["H11"][7] = bad
    with pytest.raises(ProbkitError) as caught:
        posterior(priors, likelihoods, trace=False)
    message = str(caught.value)
    assert "'H11'" in message and "observation 8" in message and shown in message


def test_a_bulk_update_with_every_hypothesis_ruled_out_is_refused_by_name():
    priors, likelihoods = problem()
    for row in likelihoods.values():
        row[41] = 0.0  # observation 42 impossible under every hypothesis
    with pytest.raises(ProbkitError, match="impossible evidence") as caught:
        posterior(priors, likelihoods, trace=False)
    assert "H0 gives observation '42' probability 0" in str(caught.value)


def test_bulk_likelihoods_are_kept_as_an_immutable_copy():
    # the rows are read lazily from the checked array: changing the caller's list afterwards
    # does not change the result, and the row still reads as the values given
    priors, likelihoods = problem()
    result = posterior(priors, likelihoods, trace=True)
    given = tuple(likelihoods["H3"])
    likelihoods["H3"][0] = 0.5 if given[0] != 0.5 else 0.25
    row = result["H3"].likelihoods
    assert row == given and len(row) == OBSERVATIONS and row[0] == given[0]
    assert row != tuple(likelihoods["H3"])  # negative control: the caller's list did change
    assert result.to_dict()["hypotheses"][3]["likelihoods"][:2] == list(given[:2])
    assert len(result.trace) == OBSERVATIONS
    last = result.trace[-1].posteriors
    assert [h.posterior for h in result.hypotheses] == pytest.approx(last, rel=1e-9, abs=1e-300)


def test_numpy_rows_give_the_same_posterior_as_lists():
    np = pytest.importorskip("numpy")
    priors, likelihoods = problem()
    from_lists = posterior(priors, likelihoods, trace=False)
    from_arrays = posterior(priors, {n: np.array(row) for n, row in likelihoods.items()},
                            trace=False)
    assert [h.posterior for h in from_arrays.hypotheses] == pytest.approx(
        [h.posterior for h in from_lists.hypotheses], rel=1e-12, abs=1e-300)
    assert from_arrays["H2"].likelihoods == tuple(likelihoods["H2"])
    assert all(type(x) is float for x in from_arrays["H2"].likelihoods[:5])


@pytest.mark.parametrize(("bad", "shown"), [(float("nan"), "nan"), (-0.5, "-0.5"), (2.0, "2.0")])
def test_a_bad_value_in_numpy_rows_is_named(bad, shown):
    np = pytest.importorskip("numpy")
    priors, likelihoods = problem()
    rows = {n: np.array(row) for n, row in likelihoods.items()}
    rows["H9"][4] = bad
    with pytest.raises(ProbkitError) as caught:
        posterior(priors, rows, trace=False)
    message = str(caught.value)
    assert "'H9'" in message and "observation 5" in message and shown in message


def test_integer_numpy_rows_stay_exact():
    np = pytest.importorskip("numpy")
    result = posterior({"A": "1/2", "B": "1/2"}, {"A": np.array([1, 0]), "B": np.array([1, 1])})
    assert result.exact and result["B"].posterior == 1


def test_zeros_given_as_int_or_float_rule_a_hypothesis_out_in_bulk():
    priors, likelihoods = problem()
    top = max(bayes_rule_in_logs(priors, likelihoods).items(), key=lambda kv: kv[1])[0]
    other = "H1" if top != "H1" else "H2"
    zeroed = {name: list(row) for name, row in likelihoods.items()}
    zeroed[top][10] = 0  # an int: an exact zero among floats
    zeroed[other][20] = 0.0
    result = posterior(priors, zeroed, trace=False)
    assert result[top].posterior == 0.0 and result[other].posterior == 0.0
    survivors = {n: p for n, p in priors.items() if n not in (top, other)}
    expected = bayes_rule_in_logs(survivors, likelihoods)  # Bayes' rule on the rest
    for name, value in expected.items():
        assert result[name].posterior == pytest.approx(value, rel=1e-9, abs=1e-300)
    assert result[top].likelihoods[10] == 0
