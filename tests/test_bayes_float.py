"""``arithmetic="float"`` / ``probkit bayes --float``: log-space floating point for problems too
big for exact rationals, checked against the exact answer where both run and against Bayes'
rule written out where only floats can."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from probkit.bayes.numeric import numeric_problem
from probkit.bayes.problemfile import parse_problem
from probkit.bayes.problems import discrete_problem
from probkit.errors import InputError
from probkit_cli.app import app


def test_float_agrees_with_exact_where_both_run():
    exact = numeric_problem("1..1000", "uniform", [60, 30, 90], prior="power:-1").solve()
    floating = numeric_problem("1..1000", "uniform", [60, 30, 90], prior="power:-1",
                               arithmetic="float").solve()
    assert exact.exact and not floating.exact
    for p, q in zip(exact.probabilities, floating.probabilities, strict=True):
        assert isinstance(q, float)
        assert math.isclose(float(p), q, rel_tol=1e-12, abs_tol=1e-300)
    assert math.isclose(float(exact.summary["N"].mean), float(floating.summary["N"].mean),
                        rel_tol=1e-12)
    for which in ("hdi", "credible_interval"):
        a, b = getattr(exact.summary["N"], which), getattr(floating.summary["N"], which)
        assert a.segments == b.segments and math.isclose(float(a.mass), b.mass, rel_tol=1e-12)


def test_a_locomotive_too_big_for_exact_arithmetic():
    args = ("1..20000", "uniform", [60, 30, 90])
    with pytest.raises(InputError, match=r"arithmetic=\"float\""):  # exact refuses
        numeric_problem(*args, prior="power:-1").solve()
    result = numeric_problem(*args, prior="power:-1", events=["N > 100"],
                             arithmetic="float").solve()
    # Bayes' rule written out: P(N | data) ∝ N^-1 · N^-3 for 90 <= N <= 20000
    weight = {n: n ** -4.0 for n in range(90, 20001)}
    total = math.fsum(weight.values())
    mean = math.fsum(n * w for n, w in weight.items()) / total
    above = math.fsum(w for n, w in weight.items() if n > 100) / total
    assert math.isclose(float(result.summary["N"].mean), mean, rel_tol=1e-10)
    (_, probability), = result.summary.events
    assert math.isclose(float(probability), above, rel_tol=1e-10)


def test_named_hypotheses_in_floating_point():
    priors, likelihoods = {"fair": "1/2", "biased": "1/2"}, {"fair": ["1/2"] * 3,
                                                             "biased": ["9/10"] * 3}
    exact = discrete_problem(priors, likelihoods).solve()
    floating = discrete_problem(priors, likelihoods, arithmetic="float").solve()
    assert [h.posterior for h in exact.hypotheses][0] == Fraction(125, 854)
    assert math.isclose(floating.hypotheses[0].posterior, 125 / 854, rel_tol=1e-12)
    with pytest.raises(InputError, match="arithmetic"):
        discrete_problem(priors, likelihoods, arithmetic="double")


def test_problem_files_say_arithmetic():
    loaded = parse_problem('[hypotheses]\nvalues = "1..20000"\nprior = "power:-1"\n'
                           '[likelihood]\nfamily = "uniform"\ndata = [60, 30, 90]\n'
                           '[report]\narithmetic = "float"\n')
    assert not loaded.problem.solve().exact
    with pytest.raises(InputError, match=r"line 2: .*arithmetic.*'fast'"):
        parse_problem('[bayes]\narithmetic = "fast"\nprior = { A = "1" }\n'
                      'likelihood = { A = "1/2" }\n', source="p.toml")


def test_cli_float_switch():
    runner = CliRunner()
    result = runner.invoke(app, ["bayes", "--values", "1..20000", "--family", "uniform",
                                 "--data", "60", "--prior", "power:-1", "--float", "--json"])
    assert result.exit_code == 0, result.stderr
    assert '"arithmetic": "float"' in result.stdout
    refused = runner.invoke(app, ["bayes", "--values", "1..20000", "--family", "uniform",
                                  "--data", "60", "--data", "30", "--data", "90"])
    assert refused.exit_code == 2 and "--float" in refused.stderr
    combined = runner.invoke(app, ["bayes", "--file", "p.toml", "--float"])
    assert combined.exit_code == 2
    assert combined.stderr.startswith("error: --float cannot be combined with --file")


def test_monte_carlo_beside_a_float_answer_says_float():
    runner = CliRunner()
    result = runner.invoke(app, ["bayes", "--values", "1..300", "--family", "uniform",
                                 "--data", "60", "--float", "--mc", "5000", "--seed", "1"])
    assert result.exit_code == 0, result.stderr
    assert "z vs float" in result.stdout and "z vs exact" not in result.stdout
    exact = runner.invoke(app, ["bayes", "--values", "1..300", "--family", "uniform",
                                "--data", "60", "--mc", "5000", "--seed", "1"])
    assert "z vs exact" in exact.stdout  # the negative control
