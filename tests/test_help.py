"""``probkit --help`` lists every command with a whole summary line."""

from __future__ import annotations

from typer.testing import CliRunner

from probkit_cli.app import app

COMMANDS = ["bayes", "urn", "diagnostic", "derive", "train", "evaluate", "predict", "tune"]


def test_top_level_help_lists_every_command_untruncated(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = {}
    for line in result.stdout.split("Commands:")[1].splitlines():
        parts = line.split(maxsplit=1)
        if len(parts) == 2:
            listed[parts[0]] = parts[1]
    assert list(listed) == COMMANDS
    for summary in listed.values():
        assert not summary.endswith("..."), summary


def test_every_command_has_help(runner: CliRunner) -> None:
    for command in COMMANDS:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "--json" in result.stdout, command
