"""bayes_problem: which problem a set of arguments describes; mixed descriptions refused.

The library names parameters (in backquotes), never command-line options; the CLI's table
turns them into the options the user typed.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from probkit.bayes.numeric import NumericProblem
from probkit.bayes.problems import DiscreteProblem
from probkit.bayes.request import bayes_problem
from probkit.errors import InputError
from probkit_cli.app import app


@pytest.mark.parametrize(("arguments", "parameter", "message"), [
    ({"file": "p.toml", "priors": {"A": "1"}}, "priors",
     "`priors` cannot be combined with `file`"),
    ({"text": "", "arithmetic": "float"}, "arithmetic",
     "`arithmetic` cannot be combined with `file` (write arithmetic"),
    ({"values": "1..10", "data": ["3"]}, "family", "`values` needs `family`"),
    ({"values": "1..10", "family": "uniform"}, "data", "`values` needs `data`"),
    ({"values": "1..10", "family": "uniform", "likelihood": "1/N", "data": ["3"]},
     "likelihood", "give one"),
    ({"values": "1..10", "family": "uniform", "data": ["3"], "normalize": True}, "normalize",
     "`normalize` applies to named hypotheses"),
    ({"priors": {"A": "1"}, "likelihoods": {"A": "1"}, "events": ["N > 1"]}, "events",
     "`events` only applies with `values`"),
    ({}, "priors", "give at least one hypothesis"),
])
def test_mixed_descriptions_are_refused_naming_parameters(arguments, parameter, message):
    with pytest.raises(InputError) as info:
        bayes_problem(**arguments)
    assert info.value.parameter == parameter
    assert message in str(info.value)
    assert "--" not in str(info.value)


def test_each_description_gives_its_problem():
    assert isinstance(bayes_problem(values="1..10", family="uniform", data=["3"]).problem,
                      NumericProblem)
    named = bayes_problem(priors={"A": "1/2", "B": "1/2"}, likelihoods={"A": "1", "B": "0"})
    assert isinstance(named.problem, DiscreteProblem)


def test_cli_shows_the_options_in_place_of_the_parameters():
    result = CliRunner().invoke(app, ["bayes", "--prior", "A=1", "--likelihood", "A=1",
                                      "--event", "N > 1"])
    assert result.exit_code == 2
    assert result.stderr == "error: --event only applies with --values (numeric hypotheses)\n"
