"""``probkit bayes``, ``urn`` and ``diagnostic`` through CliRunner and as installed commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probkit import __version__
from probkit_cli.app import app

BIN = Path(sys.executable).parent
TWO_URNS = ["--urn", "A=white:9,black:1", "--urn", "B=white:2,black:8"]


def run_json(runner: CliRunner, args: list[str]) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)  # stdout is exactly one JSON object


def posteriors(data: dict) -> dict[str, Fraction]:
    return {h["name"]: Fraction(h["posterior"]) for h in data["hypotheses"]}


def test_bayes_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                 "--likelihood", "A=1/10", "--likelihood", "B=8/10"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["hypothesis", "prior", "likelihood", "joint", "posterior", "≈"]
    assert lines[3].split() == ["B", "1/2", "4/5", "2/5", "8/9", "0.888889"]
    assert "evidence P(E) = 9/20" in result.stdout


def test_bayes_json_schema(runner: CliRunner) -> None:
    data = run_json(runner, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                             "--likelihood", "A=1/10,1/10,9/10",
                             "--likelihood", "B=8/10,8/10,2/10"])
    assert data["model"] == "bayes"
    assert data["arithmetic"] == "exact"
    for h in data["hypotheses"]:
        assert {"name", "prior", "likelihood", "joint", "posterior", "posterior_float"} <= set(h)
        assert h["posterior_float"] == float(Fraction(h["posterior"]))
    # A: 1/2 * 1/100 * 9/10 = 9/2000; B: 1/2 * 64/100 * 2/10 = 64/1000 -> B = 128/137
    assert posteriors(data) == {"A": Fraction(9, 137), "B": Fraction(128, 137)}
    assert Fraction(data["evidence"]) == Fraction(137, 2000)
    assert len(data["trace"]) == 3
    assert data["trace"][0]["posteriors"] == {"A": "1/9", "B": "8/9"}


def test_bayes_normalize(runner: CliRunner) -> None:
    data = run_json(runner, ["bayes", "--prior", "A=3", "--prior", "B=1", "--normalize",
                             "--likelihood", "A=1/2", "--likelihood", "B=1/2"])
    assert posteriors(data) == {"A": Fraction(3, 4), "B": Fraction(1, 4)}


def test_urn_with_and_without_replacement(runner: CliRunner) -> None:
    data = run_json(runner, ["urn", *TWO_URNS, "--draw", "black"])
    assert posteriors(data) == {"A": Fraction(1, 9), "B": Fraction(8, 9)}
    draws = ["--draw", "black", "--draw", "black", "--draw", "white"]
    data = run_json(runner, ["urn", *TWO_URNS, *draws, "--without-replacement"])
    assert posteriors(data) == {"A": 0, "B": 1}
    assert data["replacement"] is False
    data = run_json(runner, ["urn", *TWO_URNS, "--draw", "black,black",
                             "--prior", "A=9/10", "--prior", "B=1/10"])
    assert data["hypotheses"][0]["prior"] == "9/10"
    assert data["observations"] == ["black", "black"]


def test_diagnostic(runner: CliRunner) -> None:
    data = run_json(runner, ["diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%",
                             "--false-positive-rate", "5%"])
    assert posteriors(data)["disease"] == Fraction(99, 5094)
    assert Fraction(data["ppv"]) == Fraction(99, 5094)
    same = run_json(runner, ["diagnostic", "--prevalence", "0.001", "--sensitivity", "0.99",
                             "--specificity", "0.95", "--result", "positive"])
    assert posteriors(same) == posteriors(data)
    two = run_json(runner, ["diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%",
                            "--specificity", "95%", "--result", "positive",
                            "--result", "negative"])
    assert [step["observation"] for step in two["trace"]] == ["positive", "negative"]
    table = runner.invoke(app, ["diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%",
                                "--specificity", "95%"])
    assert "positive predictive value P(disease | positive) = 11/566" in table.stdout


BAD_INPUTS = [
    (["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1/2",
      "--likelihood", "C=1/2"], "'C'"),
    (["bayes", "--prior", "A=1/2", "--prior", "A=1/2", "--likelihood", "A=1/2"], "twice"),
    (["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1/2"], "'B'"),
    (["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1/2,1/2",
      "--likelihood", "B=1/2"], "same number"),
    (["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1.5",
      "--likelihood", "B=1/2"], "1.5"),
    (["bayes", "--prior", "A=1/2", "--prior", "B=1/3", "--likelihood", "A=1/2",
      "--likelihood", "B=1/2"], "5/6"),
    (["bayes", "--prior", "A=nan", "--prior", "B=1/2", "--likelihood", "A=1/2",
      "--likelihood", "B=1/2"], "nan"),
    (["bayes", "--prior", "A=inf", "--likelihood", "A=1/2"], "inf"),
    (["bayes", "--prior", "A=1/0", "--likelihood", "A=1/2"], "1/0"),
    (["bayes", "--prior", "A=", "--likelihood", "A=1/2"], "empty"),
    (["bayes", "--prior", "A=1", "--likelihood", "A=1/2,,1/2"], "empty"),
    (["bayes", "--prior", "A=lots", "--likelihood", "A=1/2"], "lots"),
    (["bayes", "--prior", "A", "--likelihood", "A=1/2"], "NAME=P"),
    (["bayes", "--likelihood", "A=1/2"], "--prior"),
    (["bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=0",
      "--likelihood", "B=0"], "impossible evidence"),
    (["urn", "--urn", "A=white:-1,black:2", "--draw", "black"], "negative"),
    (["urn", "--urn", "A=white:0,black:0", "--draw", "black"], "no balls"),
    (["urn", "--urn", "A=white", "--draw", "white"], "COLOUR:COUNT"),
    (["urn", "--urn", "A=white:x", "--draw", "white"], "'x'"),
    (["urn", "--urn", "A=white:1,white:2", "--draw", "white"], "twice"),
    (["urn", *TWO_URNS, "--draw", "green"], "'green'"),
    (["urn", *TWO_URNS], "no draws"),
    (["urn", "--urn", "A=white:1,black:1", "--draw", "black,black", "--without-replacement"],
     "impossible evidence"),
    (["urn", *TWO_URNS, "--draw", "black", "--prior", "A=1/2"], "'B'"),
    (["diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%"], "exactly one"),
    (["diagnostic", "--prevalence", "2", "--sensitivity", "99%", "--specificity", "95%"],
     "prevalence"),
    (["diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%", "--specificity", "95%",
      "--result", "maybe"], "'maybe'"),
    (["diagnostic", "--prevalence", "0", "--sensitivity", "99%", "--specificity", "100%"],
     "impossible evidence"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_INPUTS)
@pytest.mark.parametrize("json_output", [False, True])
def test_bad_input_is_one_line_and_exit_2(runner: CliRunner, args: list[str], fragment: str,
                                          json_output: bool) -> None:
    result = runner.invoke(app, args + (["--json"] if json_output else []))
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"probkit {__version__}"


# --- the installed console script, in a subprocess ---------------------------------------


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run(args, capture_output=True, text=True, env=env, check=False,
                          timeout=120)


def test_console_script_bayes() -> None:
    done = _run([str(BIN / "probkit"), "urn", *TWO_URNS, "--draw", "black", "--json"])
    assert done.returncode == 0, done.stderr
    assert posteriors(json.loads(done.stdout))["B"] == Fraction(8, 9)


def test_console_script_error_has_no_traceback() -> None:
    done = _run([str(BIN / "probkit"), "bayes", "--prior", "A=1/0", "--likelihood", "A=1"])
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("error: prior of 'A': '1/0'")
    assert "Traceback" not in done.stderr


def test_python_dash_m_probkit() -> None:
    done = _run([sys.executable, "-m", "probkit", "--version"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"probkit {__version__}"


def test_exact_path_imports_no_heavy_package() -> None:
    code = (
        "import sys\n"
        "from probkit_cli.app import main\n"
        "sys.argv = ['probkit', 'urn', '--urn', 'A=white:9,black:1', '--urn',\n"
        "            'B=white:2,black:8', '--draw', 'black', '--json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules}\n"
        "               & {'numpy', 'scipy', 'sympy', 'h5py', 'matplotlib', 'pydantic'})\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    done = _run([sys.executable, "-c", code])
    assert '"8/9"' in done.stdout
    assert done.stderr.strip().endswith("HEAVY="), done.stderr


@pytest.mark.parametrize("word", ["p", "n", "yes", "positiv"])
def test_a_test_result_that_is_not_a_whole_word_or_sign_is_refused_by_name(word: str) -> None:
    result = CliRunner().invoke(app, ["diagnostic", "--prevalence", "0.001", "--sensitivity",
                                      "0.99", "--specificity", "0.95", "--result", word])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --result: test result {word!r} is neither")


@pytest.mark.parametrize(("word", "positive"), [("pos", True), ("+", True), ("neg", False),
                                                ("-", False)])
def test_the_short_forms_of_a_test_result_are_read(word: str, positive: bool) -> None:
    from probkit.bayes.problems import diagnostic_problem

    problem = diagnostic_problem("1/10", "9/10", specificity="9/10", results=[word])
    assert problem.results == (positive,)


def _help_text(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    return " ".join(result.stdout.replace("│", " ").split())


def test_method_help_states_the_default_each_problem_kind_really_uses():
    help_text = _help_text("bayes")
    numeric = run_json(CliRunner(), ["bayes", "--values", "0:1:101", "--family", "binomial",
                                     "--data", "140/250", "--mc", "1000", "--seed", "1"])
    named = run_json(CliRunner(), ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                   "--likelihood", "A=1/3", "--likelihood", "B=2/3",
                                   "--mc", "1000", "--seed", "1"])
    assert f"Default: {numeric['monte_carlo']['method']} for numeric unknowns" in help_text
    assert f"{named['method']} for named hypotheses" in help_text
    assert "story (default)" not in help_text
    urn = run_json(CliRunner(), ["urn", "--urn", "A=white:1,black:1", "--urn",
                                 "B=white:3,black:1", "--draw", "white", "--mc", "1000",
                                 "--seed", "1"])
    assert f"{urn['method']} sampling that simulates the story (default)" \
        in _help_text("urn")
