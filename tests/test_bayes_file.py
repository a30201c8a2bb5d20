"""Problem files: the issue's example as written, file form = CLI form, and bad files."""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probkit.bayes import parse_problem, read_problem, solve_problem
from probkit_cli.app import app

ISSUE_EXAMPLE = """\
[hypotheses]
values = "1..1000"
prior = "power:-1"
[likelihood]
family = "uniform"
data = [60, 30, 90]
[report]
credible = 0.9
events = ["N > 100"]
"""


def invoke(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "problem.toml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_the_issue_example_works_as_written(tmp_path: Path) -> None:
    code, out, err = invoke(["bayes", "--file", write(tmp_path, ISSUE_EXAMPLE), "--json"])
    assert code == 0, err
    data = json.loads(out)
    # independent oracle: P(N | 60, 30, 90) ∝ N^-1 * N^-3 for 90 <= N <= 1000
    weights = {n: F(1, n**4) for n in range(90, 1001)}
    total = sum(weights.values())
    summary = data["summary"]
    assert F(summary["events"]["N > 100"]["exact"]) == sum(
        w for n, w in weights.items() if n > 100) / total
    assert F(summary["mean"]["exact"]) == sum(n * w for n, w in weights.items()) / total
    assert summary["credible_interval"]["level"]["exact"] == "9/10"
    assert summary["map"]["exact"] == "90"


CASES = {
    "locomotive": (ISSUE_EXAMPLE, ["--values", "1..1000", "--prior", "power:-1", "--family",
                                   "uniform", "--data", "60", "--data", "30", "--data", "90",
                                   "--credible", "0.9", "--event", "N > 100"]),
    "dice": ('[hypotheses]\nvalues = [4, 6, 8, 12, 20]\n[likelihood]\nfamily = "uniform"\n'
             'data = "6,8,7"\n',
             ["--values", "4,6,8,12,20", "--family", "uniform", "--data", "6,8,7"]),
    "euro": ('[hypotheses]\nvalues = "0:1:101"\nname = "theta"\n[likelihood]\n'
             'family = "binomial"\ndata = ["140/250"]\n[report]\ncredible = "95%"\n'
             'events = ["theta > 0.5", "0.45 <= theta <= 0.55"]\npredict = ["1/1", "2/2"]\n',
             ["--values", "theta=0:1:101", "--family", "binomial", "--data", "140/250",
              "--credible", "95%", "--event", "theta > 0.5", "--event",
              "0.45 <= theta <= 0.55", "--predict", "1/1", "--predict", "2/2"]),
    "two unknowns": ('[hypotheses]\nvalues = { low = "1..30", high = "1..40" }\n'
                     'prior = { high = "power:-1" }\n[likelihood]\nfamily = "uniform"\n'
                     'data = [10, 12, 20]\n[report]\nevents = ["high >= 25 and low < 5"]\n',
                     ["--values", "low=1..30", "--values", "high=1..40", "--prior",
                      "high=power:-1", "--family", "uniform", "--data", "10,12,20", "--event",
                      "high >= 25 and low < 5"]),
    "named": ('[bayes]\nnormalize = true\n[bayes.prior]\nA = 3\nB = 1\n[bayes.likelihood]\n'
              'A = [0.1, "9/10"]\nB = ["8/10", 0.2]\n',
              ["--prior", "A=3", "--prior", "B=1", "--normalize", "--likelihood",
               "A=0.1,9/10", "--likelihood", "B=8/10,0.2"]),
    "urn": ('[urn]\ndraws = ["black", "black", "white"]\nreplacement = false\n'
            '[urn.urns]\nA = { white = 9, black = 1 }\nB = { white = 2, black = 8 }\n',
            ["urn", "--urn", "A=white:9,black:1", "--urn", "B=white:2,black:8", "--draw",
             "black", "--draw", "black", "--draw", "white", "--without-replacement"]),
    "diagnostic": ('[diagnostic]\nprevalence = "1/1000"\nsensitivity = "99%"\n'
                   'false_positive_rate = 0.05\nresults = ["positive", "positive"]\n',
                   ["diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%",
                    "--false-positive-rate", "0.05", "--result", "positive", "--result",
                    "positive"]),
}


@pytest.mark.parametrize("case", list(CASES))  # the issue's example alone is also checked
# quickly, above
@pytest.mark.parametrize("json_output", [True, False])
def test_file_form_equals_cli_form(tmp_path: Path, case: str, json_output: bool) -> None:
    text, cli = CASES[case]
    command = cli if cli[0] in ("urn", "diagnostic") else ["bayes", *cli]
    flag = ["--json"] if json_output else []
    code, from_cli, err = invoke([*command, *flag])
    assert code == 0, err
    code, from_file, err = invoke(["bayes", "--file", write(tmp_path, text), *flag])
    assert code == 0, err
    assert from_file == from_cli
    code, from_stdin, err = invoke(["bayes", "--file", "-", *flag], stdin=text)
    assert code == 0, err
    assert from_stdin == from_cli


def test_negative_control_a_different_file_gives_a_different_answer(tmp_path: Path) -> None:
    text, cli = CASES["dice"]
    changed = text.replace('"6,8,7"', '"6,8,9"')
    assert invoke(["bayes", *cli, "--json"])[1] != invoke(
        ["bayes", "--file", write(tmp_path, changed), "--json"])[1]


def test_weights_file_is_read_beside_the_problem(tmp_path: Path) -> None:
    (tmp_path / "weights.txt").write_text("1\n1\n2\n")
    path = write(tmp_path, '[hypotheses]\nvalues = "1..3"\nprior = "@weights.txt"\n'
                           '[likelihood]\nfamily = "uniform"\ndata = [1]\n')
    result = solve_problem(read_problem(path))
    # prior 1:1:2, likelihoods 1, 1/2, 1/3 -> 1 : 1/2 : 2/3
    assert result.probabilities == (F(6, 13), F(3, 13), F(4, 13))


def test_monte_carlo_table_equals_the_options(tmp_path: Path) -> None:
    text = CASES["euro"][0] + "[monte_carlo]\ndraws = 20000\nseed = 5\nmethod = \"rejection\"\n"
    code, from_file, err = invoke(["bayes", "--file", write(tmp_path, text), "--json"])
    assert code == 0, err
    code, from_cli, err = invoke(["bayes", *CASES["euro"][1], "--mc", "20000", "--seed", "5",
                                  "--method", "rejection", "--json"])
    assert code == 0, err
    assert json.loads(from_file)["monte_carlo"] == json.loads(from_cli)["monte_carlo"]


NUMERIC = '[hypotheses]\nvalues = "1..10"\n[likelihood]\nfamily = "uniform"\ndata = [3]\n'
BAD_FILES = [
    ('[hypotheses]\nvalues = "1..10"\n[likelihood]\nfamly = "uniform"\ndata = [3]\n',
     "line 4", "'famly'"),
    ('[hypotheses]\nvalues = 10\n[likelihood]\nfamily = "uniform"\ndata = [3]\n',
     "line 2", "values must be"),
    ('[hypotheses]\nvalues = "1..x"\n[likelihood]\nfamily = "uniform"\ndata = [3]\n',
     "line 2", "'x'"),
    ('[hypotheses]\nvalues = "1..10"\n[likelihood]\nfamily = 3\ndata = [3]\n',
     "line 4", "family must be"),
    ('[hypotheses]\nvalues = "1..10"\n[likelihood]\nfamily = "uniform"\ndata = [3, true]\n',
     "line 5", "item 2"),
    ('[hypotheses]\nvalues = "1..10"\n[likelihood]\nfamily = "uniform"\ndata = ["x"]\n',
     "line 5", "'x'"),
    (NUMERIC + '[report]\nevents = ["N >> 2"]\n', "line 7", "'>'"),
    (NUMERIC + '[report]\nevents = "N > 2"\n', "line 7", "events must be"),
    (NUMERIC + '[report]\ncredible = 1.5\n', "line 7", "1.5"),
    (NUMERIC + '[reprt]\ncredible = 0.5\n', "line 6", "[reprt]"),
    (NUMERIC + 'colour = "red"\n', "line 6", "'colour'"),
    ('[hypotheses]\nvalues = "1..10"\n', "line 1", "[likelihood]"),
    ('[likelihood]\nfamily = "uniform"\n', "line 1", "needs data"),
    (NUMERIC + '[urn]\ndraws = ["a"]\n[urn.urns]\nA = { a = 1 }\n', "line 6", "one problem"),
    ('[bayes.prior]\nA = "1/2"\nB = "1/2"\n[bayes.likelihood]\nA = "1/10"\nC = "8/10"\n',
     "line 1", "'C'"),
    ('[bayes.prior]\nA = "1/2"\n[bayes.likelihood]\nA = { x = 1 }\n', "line 4",
     "likelihood.A"),
    ('[urn]\ndraws = ["black"]\n[urn.urns]\nA = { white = 9, black = "x" }\n', "line 1",
     "'x'"),
    ('[urn]\ndraws = ["black"]\n[urn.urns]\nA = 9\n', "line 4", "urns.A"),
    ('[urn]\ndraws = "black"\nreplacement = "no"\n[urn.urns]\nA = { black = 1 }\n',
     "line 3", "replacement must be"),
    ('[diagnostic]\nprevalence = "1/1000"\nsensitivty = "99%"\n', "line 3", "'sensitivty'"),
    ('[diagnostic]\nprevalence = "1/1000"\nsensitivity = "199%"\nspecificity = "95%"\n',
     "line 1", "199%"),
    ("x = = 1\n", "line 1", "not valid TOML"),
    ("", "", "no problem"),
    (NUMERIC + "[monte_carlo]\ndraws = 100\nseed = -1\n", "line 8", "seed"),
    (NUMERIC + "[monte_carlo]\ndraws = 100\nmethod = \"magic\"\n", "line 8", "'magic'"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), BAD_FILES)
def test_bad_file_is_one_line_exit_2_naming_key_and_line(tmp_path: Path, text: str,
                                                         line: str, fragment: str) -> None:
    path = write(tmp_path, text)
    code, out, err = invoke(["bayes", "--file", path])
    assert code == 2, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert fragment in lines[0], lines[0]
    assert f"{path}, {line}:" in lines[0] if line else path in lines[0]


def test_file_errors_in_the_library_name_the_source() -> None:
    with pytest.raises(ValueError, match=r"^mine.toml, line 2: \[hypotheses\] values"):
        parse_problem('[hypotheses]\nvalues = "2..1"\n[likelihood]\nfamily = "uniform"\n'
                      'data = [1]\n', source="mine.toml")


@pytest.mark.parametrize("args", [
    ["--values", "1..3"], ["--prior", "A=1"], ["--event", "N > 1"], ["--data", "3"],
])
def test_problem_options_cannot_be_added_to_a_file(tmp_path: Path, args: list[str]) -> None:
    code, _, err = invoke(["bayes", "--file", write(tmp_path, NUMERIC), *args])
    assert code == 2
    assert args[0] in err and "--file" in err


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = invoke(["bayes", "--file", str(tmp_path / "nope.toml")])
    assert code == 2 and "nope.toml" in err and len(err.splitlines()) == 1
