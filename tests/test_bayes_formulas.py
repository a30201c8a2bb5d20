"""Your own likelihood and prior as formulas, and separate data per unknown (CLI, TOML, Python).

Each answer is checked against Bayes' rule written out here with Fractions.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction as F

import pytest
from typer.testing import CliRunner

from probkit.bayes.formulas import parse_formula
from probkit.bayes.numeric import numeric_problem
from probkit.bayes.problemfile import parse_problem
from probkit.errors import InputError
from probkit_cli.app import app


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["bayes", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def cli_error(*args: str) -> str:
    result = CliRunner().invoke(app, ["bayes", *args])
    assert result.exit_code == 2, result.stdout
    return result.stderr


def exact(number: dict) -> F:
    return F(number["exact"])


def posterior_mean(values, prior, likelihood) -> F:
    joint = {v: F(prior(v)) * likelihood(v) for v in values}
    total = sum(joint.values())
    return sum(v * j for v, j in joint.items()) / total


# --- the formula language ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "bindings", "expected"), [
    ("1/N if x <= N else 0", {"N": 100, "x": 60}, F(1, 100)),
    ("1/N if x <= N else 0", {"N": 50, "x": 60}, F(0)),
    ("-2^2", {}, F(-4)),
    ("2^-1 + 0.1", {}, F(3, 5)),
    ("comb(5, 2) * p^2 * (1 - p)^3", {"p": F(1, 2)}, F(10, 32)),
    ("1 if 0.4 <= p < 0.6 and not p == 0.5 else 0", {"p": F(1, 2)}, F(0)),
    ("max(N, 3) - min(N, 3)", {"N": 10}, F(7)),
])
def test_formula_values_are_exact(text, bindings, expected):
    names = sorted({*bindings, "N", "p", "x"})
    assert parse_formula(text, names).value(bindings) == expected


@pytest.mark.parametrize(("text", "match"), [
    ("1/", "ends early"),
    ("foo(1)", "unknown name 'foo'"),
    ("N +* 2", "unexpected '\\*'"),
    ("2^100000", "exponent must be a whole number"),
    ("1/(N-1)", "division by zero at N = 1"),
    ("(" * 60 + "N" + ")" * 60, "nested more than 50 deep"),
    ("N" * 600, "longer than 500"),
    ("__import__('os')", "unexpected"),
    ("__import__", "unknown name '__import__'"),
])
def test_bad_formulas_are_refused_naming_the_problem(text, match):
    with pytest.raises(InputError, match=match):
        parse_formula(text, ["N"]).value({"N": 1})


# --- the problems, from the command line ------------------------------------------------------


def test_german_tank_by_likelihood_formula_in_the_cli():
    data = cli_json("--values", "1..1000", "--data", "60,30,90",
                    "--likelihood", "1/N if x <= N else 0")
    expected = posterior_mean(range(1, 1001), lambda n: 1,
                              lambda n: F(1, n**3) if n >= 90 else F(0))
    assert exact(data["summary"]["mean"]) == expected
    assert data["observations"] == ["60", "30", "90"]


def test_grizzly_by_formula_in_the_cli():
    data = cli_json("--values", "50..500", "--data", "4",
                    "--likelihood", "comb(23, x) * comb(N - 23, 19 - x) / comb(N, 19)")
    expected = posterior_mean(range(50, 501), lambda n: 1, lambda n: F(
        math.comb(23, 4) * math.comb(n - 23, 15), math.comb(n, 19)))
    assert exact(data["summary"]["mean"]) == expected


def test_euro_with_triangle_and_formula_priors_in_the_cli():
    grid = [F(i, 100) for i in range(101)]

    def lik(p):
        return math.comb(250, 140) * p**140 * (1 - p) ** 110

    triangle = cli_json("--values", "0:1:101", "--family", "binomial", "--data", "140/250",
                        "--prior", "triangle")
    expected = posterior_mean(grid, lambda p: min(p, 1 - p), lik)
    assert exact(triangle["summary"]["mean"]) == expected
    formula = cli_json("--values", "0:1:101", "--family", "binomial", "--data", "140/250",
                       "--prior", "min(p, 1 - p)")
    assert exact(formula["summary"]["mean"]) == expected
    beta = cli_json("--values", "0:1:101", "--family", "binomial", "--data", "140/250",
                    "--prior", "beta(2, 2)")
    assert exact(beta["summary"]["mean"]) == posterior_mean(grid, lambda p: p * (1 - p), lik)


def test_prior_formula_equals_the_power_prior():
    by_formula = cli_json("--values", "1..1000", "--family", "uniform", "--data", "60",
                          "--prior", "1/N")
    by_power = cli_json("--values", "1..1000", "--family", "uniform", "--data", "60",
                        "--prior", "power:-1")
    assert by_formula["summary"]["mean"] == by_power["summary"]["mean"]


def test_two_coins_with_separate_data_in_the_cli_and_in_toml():
    grid = [F(i, 10) for i in range(11)]

    def post(k):
        joint = {p: p**k * (1 - p) ** (10 - k) for p in grid}
        total = sum(joint.values())
        return {p: j / total for p, j in joint.items()}

    first, second = post(7), post(3)
    expected = sum(first[a] * second[b] for a in grid for b in grid if a > b)
    data = cli_json("--values", "p1=0:1:11", "--values", "p2=0:1:11", "--family", "binomial",
                    "--data", "p1=7/10", "--data", "p2=3/10", "--event", "p1 > p2")
    assert exact(data["summary"]["events"]["p1 > p2"]) == expected
    assert data["observations"] == ["p1: 7/10", "p2: 3/10"]
    toml = """
[hypotheses]
values = { p1 = "0:1:11", p2 = "0:1:11" }
[likelihood]
family = "binomial"
data = { p1 = ["7/10"], p2 = ["3/10"] }
[report]
events = ["p1 > p2"]
"""
    solved = parse_problem(toml).problem.solve()
    assert solved.summary.events[0][1] == expected


def test_german_tank_formula_in_toml_and_python_agree():
    toml = """
[hypotheses]
values = "1..1000"
[likelihood]
formula = "1/N if x <= N else 0"
data = ["60", "30", "90"]
"""
    from_file = parse_problem(toml).problem.solve()
    from_python = numeric_problem("1..1000", None, [60, 30, 90],
                                  likelihood="1/N if x <= N else 0").solve()
    assert from_file.summary["N"].mean == from_python.summary["N"].mean


def test_decimal_observations_print_as_decimals():
    data = cli_json("--values", "mu=170:190:21", "--values", "sigma=5:10:6", "--family",
                    "normal", "--data", "178.3,181.25")
    assert data["observations"] == ["178.3", "181.25"]


def test_cli_refuses_family_and_formula_together_and_bad_formula_values():
    assert "give one" in cli_error("--values", "1..10", "--family", "uniform", "--likelihood",
                                   "1/N", "--data", "3")
    message = cli_error("--values", "1..10", "--likelihood", "x - N", "--data", "3")
    assert message.startswith("error: --likelihood 'x - N': -1 at N = 4, x = 3 is not a "
                              "likelihood")
    assert "unknown name 'M' (known: N, x)" in cli_error(
        "--values", "1..10", "--likelihood", "1/M + N", "--data", "3")


@pytest.mark.parametrize("text", ["nan", "inf", "foo", "p", "1/M if x <= M else 0"])
def test_a_stray_name_in_a_likelihood_is_refused_by_name_never_taken_for_the_unknown(text):
    stray = text.split("/")[-1].split()[0]
    message = cli_error("--values", "1..10", "--likelihood", text, "--data", "1")
    assert message.startswith("error: --likelihood")
    assert f"unknown name {stray!r} (known: N, x)" in message
    toml = f"""
[hypotheses]
values = "1..10"
[likelihood]
formula = "{text}"
data = ["1"]
"""
    with pytest.raises(InputError, match=f"unknown name {stray!r}"):
        parse_problem(toml).problem.solve()


def test_a_named_unknown_is_its_formula_name_and_the_unknowns_bind_in_their_own_order():
    data = cli_json("--values", "p=0:1:11", "--likelihood", "p^x * (1-p)^(1-x)", "--data",
                    "1,1,0")
    expected = posterior_mean([F(k, 10) for k in range(11)], lambda p: 1,
                              lambda p: p * p * (1 - p))
    assert exact(data["summary"]["mean"]) == expected
    assert "unknown name 'N'" in cli_error("--values", "p=0:1:11", "--likelihood", "N",
                                           "--data", "1")
    # b is named after a: the formula's names bind to the values, not to the order of use
    two = cli_json("--values", "a=1..3", "--values", "b=10..12", "--likelihood",
                   "b/(a+b)", "--data", "1")
    cells = [(a, b) for a in range(1, 4) for b in range(10, 13)]
    total = sum(F(b, a + b) for a, b in cells)
    assert F(two["evidence"]) == total / len(cells)


def test_a_stray_name_in_a_prior_formula_is_refused_by_name():
    for text, stray in (("nan", "nan"), ("1/M", "M"), ("N * foo", "foo")):
        message = cli_error("--values", "1..10", "--family", "uniform", "--prior", text,
                            "--data", "3")
        assert message.startswith("error: --prior") and repr(stray) in message
