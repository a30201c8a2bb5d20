"""``--mc`` on ``probkit bayes``, ``urn`` and ``diagnostic``: table, JSON, options, errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probkit_cli import montecarlo_render
from probkit_cli.app import app

BIN = Path(sys.executable).parent
URN = ["urn", "--urn", "A=white:9,black:1", "--urn", "B=white:2,black:8", "--draw", "black"]
RARE = ["diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%",
        "--false-positive-rate", "5%"]
BAYES = ["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1/10,9/10",
         "--likelihood", "B=8/10,2/10"]


def run_json(runner: CliRunner, args: list[str]) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


@pytest.mark.parametrize("command", [URN, RARE, BAYES])
@pytest.mark.parametrize("method", ["rejection", "importance"])
def test_json_gains_monte_carlo_per_hypothesis(
    runner: CliRunner, command: list[str], method: str
) -> None:
    data = run_json(runner, [*command, "--mc", "2e5", "--method", method, "--seed", "9"])
    assert (data["draws"], data["method"], data["seed"]) == (200_000, method, 9)
    for h in data["hypotheses"]:
        mc = h["monte_carlo"]
        assert {"estimate", "stderr", "ci_low", "ci_high"} <= set(mc)
        assert ("accepted" in mc) == (method == "rejection")
        assert ("ess" in mc) == (method == "importance")
        exact = float(Fraction(h["posterior"]))
        assert mc["exact"] == exact
        assert mc["ci_low"] <= mc["estimate"] <= mc["ci_high"]
        assert abs(mc["z"]) < 4.5 and abs(mc["estimate"] - exact) < 5 * mc["stderr"] + 1e-12
    if method == "rejection":
        assert sum(h["monte_carlo"]["accepted"] for h in data["hypotheses"]) == \
            data["monte_carlo_summary"]["accepted"]


def test_same_seed_same_json_with_any_number_of_workers(runner: CliRunner) -> None:
    one = run_json(runner, [*URN, "--mc", "600_000", "--seed", "4"])
    two = run_json(runner, [*URN, "--mc", "600_000", "--seed", "4", "--workers", "2"])
    assert one == two
    assert run_json(runner, [*URN, "--mc", "600_000", "--seed", "5"]) != one


def test_table_gains_estimate_interval_and_z(runner: CliRunner) -> None:
    result = runner.invoke(app, [*RARE, "--mc", "10_000", "--seed", "1"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[6:] == ["MC", "estimate", "±", "SE", "95%", "interval", "z", "vs",
                                    "exact"]
    disease = lines[2]
    assert disease.startswith("disease") and "±" in disease and "[" in disease
    assert "Monte Carlo: rejection sampling, 10,000 draws" in result.stdout
    assert "seed 1" in result.stdout


def test_exact_output_is_unchanged_without_mc(runner: CliRunner) -> None:
    result = runner.invoke(app, URN)
    assert "MC estimate" not in result.stdout and "Monte Carlo" not in result.stdout
    assert "monte_carlo" not in json.dumps(run_json(runner, URN))


@pytest.mark.parametrize("text", ["1e6", "10_000_000", "1000", "2.5e3"])
def test_draw_counts_accept_scientific_and_underscores(text: str) -> None:
    request = montecarlo_render.monte_carlo_request(text, None, None, None)
    assert request is not None
    assert request.draws == int(float(text.replace("_", "")))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mc", "0"], "--mc: '0' is not a positive whole number"),
        (["--mc", "1.5"], "--mc: '1.5' is not a positive whole number"),
        (["--mc", "lots"], "--mc: 'lots' is not a number"),
        (["--mc", "100", "--method", "gibbs"], "--method: 'gibbs' is not rejection"),
        (["--mc", "100", "--seed", "-3"], "--seed: -3 is negative"),
        (["--mc", "100", "--workers", "0"], "--workers: 0 must be at least 1"),
        (["--seed", "3"], "--seed only applies with --mc"),
        (["--method", "importance"], "--method only applies with --mc"),
    ],
)
def test_bad_options_are_one_line_errors(runner: CliRunner, args: list[str],
                                         message: str) -> None:
    result = runner.invoke(app, [*URN, *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {result.stderr[7:].strip()}\n"
    assert message in result.stderr


def test_no_accepted_draws_is_a_one_line_runtime_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                 "--likelihood", "A=1e-9", "--likelihood", "B=1e-9",
                                 "--mc", "1000", "--seed", "1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no accepted draws") and result.stderr.count("\n") == 1
    ok = runner.invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                             "--likelihood", "A=1e-9", "--likelihood", "B=1e-9",
                             "--mc", "1000", "--seed", "1", "--method", "importance"])
    assert ok.exit_code == 0 and "importance sampling, 1,000 draws" in ok.stdout


def test_progress_bar_draws_on_stderr_only_when_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(err, "isatty", lambda: True)
    monkeypatch.setattr(montecarlo_render, "PROGRESS_AFTER", 0.0)
    with montecarlo_render._ProgressBar(100) as bar:
        bar.update(40)
        assert bar.bar is not None
        bar.update(100)
    quick = montecarlo_render._ProgressBar(100)
    monkeypatch.setattr(montecarlo_render, "PROGRESS_AFTER", 60.0)
    quick.update(50)
    assert quick.bar is None


def test_installed_console_script_runs_monte_carlo() -> None:
    done = subprocess.run(
        [str(BIN / "probkit"), *URN, "--mc", "1e5", "--method", "importance", "--seed", "3",
         "--json"], capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    b = next(h for h in data["hypotheses"] if h["name"] == "B")
    assert b["monte_carlo"]["ci_low"] < 8 / 9 < b["monte_carlo"]["ci_high"]


def test_exact_path_still_does_not_import_numpy() -> None:
    code = (
        "import sys\n"
        "from probkit_cli.app import app\n"
        "try:\n"
        "    app(['bayes', '--prior', 'A=1/2', '--prior', 'B=1/2', '--likelihood', 'A=1/10',"
        " '--likelihood', 'B=8/10'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'numpy' not in sys.modules, 'numpy imported'\n"
        "assert 'probkit.bayes.montecarlo' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)
