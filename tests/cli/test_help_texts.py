"""Help texts: no ``<str>`` metavars, train and tune alike, and the
requirements a command cannot express in its signature are said."""

from __future__ import annotations

import re

import pytest
import typer

from probkit_cli.app import app


def _paths(group, prefix: tuple[str, ...] = ()) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for name, command in sorted(group.commands.items()):
        words = (*prefix, name)
        out += _paths(command, words) if hasattr(command, "commands") else [" ".join(words)]
    return out


COMMANDS = _paths(typer.main.get_command(app))


def _params(command: str) -> dict[str, object]:
    cmd = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return {(p.opts[0] if p.opts else p.name): p for p in cmd.params}


def _help(runner, *args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_no_type_name_metavars(runner, command) -> None:
    text = _help(runner, *command.split())
    assert not re.search(r"<(str|text|int|integer|float|path|int range|float range)>", text), text


def test_options_train_and_tune_share_read_alike(runner) -> None:
    train, tune = _params("train"), _params("tune")
    shared = sorted(set(train) & set(tune) - {"--help"})
    assert {"--train", "--out", "--model", "--l2", "--iterations", "--solver", "--hidden",
            "--seed", "--plot", "--json"} <= set(shared)
    for option in shared:
        a, b = train[option], tune[option]
        if option == "--l2":  # the one difference: only train takes "auto"
            assert (a.metavar, b.metavar) == ("λ|auto", "λ")  # type: ignore[attr-defined]
            continue
        assert a.metavar == b.metavar, option  # type: ignore[attr-defined]
    for option in ("--train", "--out", "--plot", "--json"):
        assert train[option].help == tune[option].help, option  # type: ignore[attr-defined]


def test_diagnostic_help_says_which_rate_is_required(runner) -> None:
    text = " ".join(_help(runner, "diagnostic").split())
    assert "one of the two is required" in text
    assert "--specificity" in text and "--false-positive-rate" in text
