"""Every Bayes workload is bounded: refused from its sizes before the work, or made cheap."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from probkit.bayes import families, posterior
from probkit.bayes.exact import MAX_HYPOTHESES
from probkit.bayes.numeric import numeric_problem
from probkit.bayes.problemfile import parse_problem
from probkit.errors import HypothesisError, InputError
from probkit_cli.app import app


@pytest.fixture
def no_likelihoods(monkeypatch):
    """Fail the test if any likelihood is computed (the refusal must come first)."""
    def refuse(*args, **kwargs):
        raise AssertionError("a likelihood was computed before the size check")

    monkeypatch.setattr(families, "likelihood", refuse)
    import probkit.bayes.numeric as numeric

    monkeypatch.setattr(numeric, "likelihood", refuse)


def test_power_prior_on_100000_values_is_refused_from_the_sizes(no_likelihoods):
    with pytest.raises(InputError, match="digit-hypotheses.*arithmetic=\"float\""):
        numeric_problem("1..100000", "uniform", [60], prior="power:-1")


def test_binomial_with_100000_trials_is_refused_from_the_sizes(no_likelihoods):
    with pytest.raises(InputError, match="more than 10,000 digits"):
        numeric_problem("0:1:101", "binomial", ["50000/100000"])


def test_the_size_estimate_accepts_the_textbook_problems():
    assert numeric_problem("1..1000", "uniform", [60]).solve().posterior.exact
    assert numeric_problem("0:1:101", "binomial", ["140/250"]).solve().posterior.exact


def test_float_binomial_with_100000_trials_is_fast_and_right():
    # log-space likelihoods: no exact p**50000 is ever formed
    post = numeric_problem("0:1:101", "binomial", ["50000/100000"], arithmetic="float").solve()
    assert post.summary["p"].map == Fraction(1, 2)
    expected = math.comb(100_000, 50_000) / 2**100_000 / 101  # only p = 1/2 matters
    assert post.evidence == pytest.approx(expected, rel=1e-6)


def test_float_agrees_with_exact_on_the_euro_problem():
    exact = numeric_problem("0:1:101", "binomial", ["140/250"]).solve()
    floats = numeric_problem("0:1:101", "binomial", ["140/250"], arithmetic="float").solve()
    assert float(floats.summary["p"].mean) == pytest.approx(float(exact.summary["p"].mean),
                                                            rel=1e-12)
    assert float(floats.evidence) == pytest.approx(float(exact.evidence), rel=1e-9)


def test_float_rescales_an_observation_that_would_underflow():
    # 1,000 heads in a row at p <= 0.5: every likelihood is below e^-693
    post = numeric_problem("0.1,0.2,0.5", "binomial", ["0/1000"], arithmetic="float").solve()
    assert post.summary["p"].map == Fraction(1, 10)
    assert math.log(post.evidence) == pytest.approx(
        math.log((0.9**1000 + 0.8**1000 + 0.5**1000) / 3), rel=1e-9)


def test_named_hypotheses_are_bounded_like_numeric_values():
    priors = dict.fromkeys(range(MAX_HYPOTHESES + 1), 1)
    with pytest.raises(HypothesisError) as info:
        posterior(priors, dict.fromkeys(priors, "1/2"), normalize=True)
    assert info.value.parameter == "priors"
    assert "100,000" in str(info.value)


def test_deeply_nested_toml_is_a_file_error_not_a_recursion_error():
    text = "[bayes]\nprior = " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(InputError, match="nested too deeply"):
        parse_problem(text, source="deep.toml")


def test_cli_refuses_mc_1e20_naming_the_option():
    result = CliRunner().invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                      "--likelihood", "A=1/2", "--likelihood", "B=1/3",
                                      "--mc", "1e20"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --mc 1e+20 is more than the limit")


def test_float_array_path_agrees_with_the_list_path(monkeypatch):
    import random

    import probkit.bayes.exact as exact

    rng = random.Random(3)
    priors = {f"H{i}": 1.0 / 400 for i in range(400)}
    likelihoods = {name: [rng.randint(1, 999) / 1000 for _ in range(300)] for name in priors}
    likelihoods["H7"][5] = Fraction(1, 10**400)  # a rational no float can hold: its exact log
    on_arrays = posterior(priors, likelihoods, trace=False)
    monkeypatch.setattr(exact, "_ARRAY_CELLS", 10**12)
    on_lists = posterior(priors, likelihoods, trace=False)
    for a, b in zip(on_arrays.hypotheses, on_lists.hypotheses, strict=True):
        assert a.posterior == pytest.approx(b.posterior, rel=1e-9, abs=1e-300)
    assert on_arrays["H7"].posterior == 0.0 or on_arrays["H7"].posterior < 1e-300
    assert math.isfinite(math.log(on_arrays.evidence)) or on_arrays.evidence == 0.0


def test_named_table_cuts_long_fractions_to_decimals_and_json_keeps_them():
    args = ["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1e-400",
            "--likelihood", "B=1/2"]
    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0
    assert max(map(len, shown.stdout.splitlines())) < 100
    assert "≈1.000e-400" in shown.stdout and "≈ 0.25" in shown.stdout
    data = CliRunner().invoke(app, [*args, "--json"])
    likelihood = json.loads(data.stdout)["hypotheses"][0]["likelihood"]
    assert Fraction(likelihood) == Fraction(1, 10**400)  # every digit kept


@pytest.mark.parametrize("arithmetic", ["exact", "float"])
def test_poisson_count_of_1000_is_not_called_impossible(arithmetic):
    # e^-1000 1000^1000 / 1000! underflows a float; its log does not
    post = numeric_problem("900..1100", "poisson", [1000], arithmetic=arithmetic).solve()
    logs = {lam: 1000 * math.log(lam) - lam for lam in range(900, 1101)}
    top = max(logs.values())
    weights = {lam: math.exp(lg - top) for lam, lg in logs.items()}
    expected = sum(lam * w for lam, w in weights.items()) / sum(weights.values())
    assert float(post.summary["lam"].mean) == pytest.approx(expected, rel=1e-12)
