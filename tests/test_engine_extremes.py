"""Values beyond the float range, through the engine and the command line.

Importance-sampling errors for tiny posteriors (issue 11), exact results that do not fit a
float (issue 14, item 1), urns too large to simulate (item 2) and exact numbers that would
grow without bound (item 5).
"""

from __future__ import annotations

import json
import math
import time
from fractions import Fraction

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.bayes import discrete_problem, urn_problem
from probkit.bayes.montecarlo import monte_carlo
from probkit.errors import InputError
from probkit.numbers import format_decimal
from probkit_cli.app import app

runner = CliRunner()
F = Fraction

TINY_IS = ["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1",
           "--likelihood", "B=1e-200", "--mc", "1000", "--method", "importance", "--seed", "1"]


def _ok(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def _json(args: list[str]) -> dict:
    payload = json.loads(_ok([*args, "--json"]), parse_constant=pytest.fail)  # strict JSON
    assert isinstance(payload, dict)
    return payload


# --- importance sampling: standard errors from log weights -------------------------------


def test_tiny_posterior_gets_a_positive_standard_error_and_a_finite_z() -> None:
    b = _json(TINY_IS)["hypotheses"][1]["monte_carlo"]
    assert b["stderr"] > 0 and b["z"] is not None and abs(b["z"]) < 4
    assert b["ci_low"] <= 1e-200 <= b["ci_high"]
    assert "disagrees" not in _ok(TINY_IS)


def test_log_space_standard_error_equals_the_exact_delta_method() -> None:
    # SE^2 = sum_j n_j w_j^2 (delta_ij - p)^2 / (sum_j n_j w_j)^2, here in exact rationals
    problem = discrete_problem({"A": "1/2", "B": "1/2"}, {"A": "1", "B": "1e-200"})
    result = monte_carlo(problem, 1000, method="importance", seed=1)
    n = {h.name: h.drawn for h in result.hypotheses}
    w = {"A": F(1), "B": F(1, 10**200)}  # P(H) P(E|H) / q(H) with q uniform
    total = sum(n[j] * w[j] for j in n)
    for h in result.hypotheses:
        p = n[h.name] * w[h.name] / total
        spread = sum(n[j] * w[j] ** 2 * ((1 if j == h.name else 0) - p) ** 2 for j in n)
        exact_se = math.sqrt(spread / total**2 * 10**400) / 10**200
        assert h.stderr == pytest.approx(exact_se, rel=1e-9)
        assert h.estimate == pytest.approx(float(p), rel=1e-12)


def test_linear_space_formula_would_underflow_here() -> None:
    # Negative control: w_B^2 = 1e-400 is 0 in floats, so the plain formula gives SE = 0.
    n, w, p = np.array([511.0, 489.0]), np.array([1.0, 1e-200]), 489e-200 / 511
    assert float(np.sqrt((n * w * w * (np.array([0.0, 1.0]) - p) ** 2).sum())) == 0.0


def test_importance_results_stay_bit_identical_across_chunks_and_workers() -> None:
    problem = discrete_problem({"A": "1/2", "B": "1/2"}, {"A": "1", "B": "1e-200"})
    one = monte_carlo(problem, 600_000, method="importance", seed=4)
    chunked = monte_carlo(problem, 600_000, method="importance", seed=4, chunk_size=1)
    assert one == chunked


# --- item 1: exact values that do not fit a float still print -----------------------------

BEYOND_FLOAT = {
    "bayes": ["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1/2",
              "--likelihood", "B=1e-400"],
    "diagnostic": ["diagnostic", "--prevalence", "1/2", "--sensitivity", "1/2",
                   "--false-positive-rate", "1e-400"],
    "urn": ["urn", "--urn", "A=white:1,black:1", "--urn", "C=white:1e400,black:1",
            "--draw", "white"],
}


@pytest.mark.parametrize("command", list(BEYOND_FLOAT))
def test_text_output_shows_exact_values_with_exact_decimals(command: str) -> None:
    text = _ok(BEYOND_FLOAT[command])
    if command == "urn":
        # C's likelihood 10^400 / (10^400 + 1): both terms beyond a float, the value near 1
        assert "≈ 0.5\n" in text and "0.666667" in text
    else:
        assert "5.000e+399" in text  # the Bayes factor 5e399, far above the float range
    if command == "bayes":
        assert "2.000e-400" in text  # P(B | E) = 2e-400, far below it (and not shown as 0)


@pytest.mark.parametrize("command", list(BEYOND_FLOAT))
def test_json_output_is_strict_and_exact(command: str) -> None:
    payload = _json(BEYOND_FLOAT[command])
    posteriors = {h["name"]: F(h["posterior"]) for h in payload["hypotheses"]}
    assert sum(posteriors.values()) == 1
    for h in payload["hypotheses"]:
        assert h["posterior_decimal"] == format_decimal(F(h["posterior"]))
    if command == "bayes":
        assert posteriors["B"] == F(2, 10**400 + 2)
        by_name = {h["name"]: h for h in payload["hypotheses"]}
        assert by_name["B"]["posterior_decimal"] == "2.000e-400"
        assert by_name["B"]["posterior_float"] == 0.0  # the float does underflow
    if command == "diagnostic":
        assert F(payload["npv"]) < 1


def test_format_decimal_never_converts_rationals_to_float() -> None:
    assert format_decimal(F(10**400, 2)) == "5.000e+399"
    assert format_decimal(F(-1, 3 * 10**500)) == "-3.333e-501"
    assert format_decimal(F(99996, 10**5 * 10**300)) == "1.000e-300"  # rounds up a decade
    assert format_decimal(F(8, 9)) == format_decimal(8 / 9) == "0.888889"


# --- item 2: urns too large for the sampler are refused by name ----------------------------


def test_urn_beyond_float_range_is_refused_by_name_for_rejection_sampling() -> None:
    result = runner.invoke(app, [*BEYOND_FLOAT["urn"], "--mc", "100"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "urn 'C'" in result.stderr and "importance" in result.stderr


def test_urn_just_above_two_to_the_53_is_refused_and_below_is_simulated() -> None:
    big = urn_problem({"A": {"white": 1, "black": 1}, "C": {"white": 2**53, "black": 1}},
                      ["white"])
    with pytest.raises(InputError, match="urn 'C'"):
        monte_carlo(big, 100, seed=1)
    fits = urn_problem({"A": {"white": 1, "black": 1}, "C": {"white": 2**53 - 1, "black": 1}},
                       ["white"])
    assert monte_carlo(fits, 100, seed=1).accepted > 0


def test_importance_sampling_handles_the_huge_urn() -> None:
    payload = _json([*BEYOND_FLOAT["urn"], "--mc", "1000", "--method", "importance",
                     "--seed", "2"])
    c = {h["name"]: h for h in payload["hypotheses"]}["C"]
    assert c["monte_carlo"]["ci_low"] <= c["posterior_float"] <= c["monte_carlo"]["ci_high"]


# --- item 5: exact numbers may not grow without bound --------------------------------------


def test_repeated_tiny_observations_are_fast_or_refused() -> None:
    # 1e-3999 repeated: each observation adds about 4,000 digits. Every count must either
    # finish quickly or be refused with a message; none may run for long or print megabytes.
    for count in (1, 2, 3, 25, 50):
        tiny = ",".join(["1e-3999"] * count)
        args = ["bayes", "--prior", "A=1/2", "--prior", "B=1/3", "--prior", "C=1/6",
                "--likelihood", f"A={tiny}", "--likelihood", f"B={tiny}",
                "--likelihood", f"C={tiny}"]
        start = time.monotonic()
        result = runner.invoke(app, args)
        elapsed = time.monotonic() - start
        assert elapsed < 10, (count, elapsed)  # generous: accepted runs take well under 1 s
        assert "Traceback" not in result.output
        if result.exit_code == 0:
            assert len(result.stdout) < 500_000
        else:
            assert count >= 3 and result.exit_code == 2
            assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
            assert "digits" in result.stderr and "float" in result.stderr
