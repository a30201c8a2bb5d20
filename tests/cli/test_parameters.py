"""The CLI's one table from library parameters to options (cli/parameters.py): the library's
words name parameters, the command line's name the options the user typed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from probkit.errors import InputError
from probkit_cli.app import app
from probkit_cli.parameters import OPTIONS, option_message

runner = CliRunner()


def test_unnormalized_priors_suggest_the_option_not_the_argument() -> None:
    result = runner.invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/3",
                                 "--likelihood", "A=1/2", "--likelihood", "B=1/3"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "--normalize" in result.stderr and "normalize=True" not in result.stderr
    from probkit.bayes import posterior
    from probkit.errors import ProbabilityError

    with pytest.raises(ProbabilityError, match="normalize=True"):  # the library's own words
        posterior({"A": "1/2", "B": "1/3"}, {"A": "1/2", "B": "1/3"})


@pytest.mark.parametrize(("parameter", "option"), [
    ("expression", "--expr"), ("definitions", "--chain"), ("wrt", "--wrt"),
    ("assume", "--assume"), ("fmt", "--format"), ("markdown_flavor", "--markdown-flavor"),
])
def test_symbolic_parameters_read_as_their_options(parameter: str, option: str) -> None:
    assert OPTIONS[parameter] == option
    error = InputError(f"{parameter}: something is wrong", parameter=parameter)
    assert option_message(error) == f"{option}: something is wrong"


def test_a_message_without_a_parameter_is_left_alone() -> None:
    """Negative control: only a named parameter is reworded."""
    assert option_message(InputError("wrt: x")) == "wrt: x"


@pytest.mark.parametrize(("args", "option", "library_words"), [
    (["derive", "--expr", "a*x"], "--wrt:", "wrt:"),
    (["derive", "--expr", "x.__class__"], "--expr:", "expression:"),
    (["derive", "--chain", "a = b", "--chain", "b = a"], "--chain:", "definitions:"),
    (["derive", "--expr", "x", "--assume", "y>0"], "--assume:", "assume:"),
])
def test_derive_errors_name_the_option_typed(args: list[str], option: str,
                                             library_words: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"error: {option}"), result.stderr
    assert library_words not in result.stderr.replace(option, "")
