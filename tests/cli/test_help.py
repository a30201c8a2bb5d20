"""``probkit --help`` lists every command with a whole summary line."""

from __future__ import annotations

from typer.testing import CliRunner

from probkit_cli.app import app

COMMANDS = ["bayes", "urn", "diagnostic", "derive", "gradcheck", "check", "train", "evaluate",
            "compare", "predict", "tune", "data"]
# what each name runs: a command, or a group's commands
RUNNABLE = [["bayes"], ["urn"], ["diagnostic"], ["derive"], ["gradcheck"], ["check"], ["train"],
            ["evaluate"], ["compare"], ["predict"], ["tune"], ["data", "check"]]


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
    for command in RUNNABLE:
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "--json" in result.stdout, command


def test_console_script_builds_only_the_command_it_runs() -> None:
    import typer

    from probkit_cli.app import app_for

    single = typer.main.get_command(app_for(["urn", "--draw", "black"]))
    assert list(single.commands) == ["urn"]  # type: ignore[attr-defined]
    group = typer.main.get_command(app_for(["data", "check"]))
    assert list(group.commands) == ["data"]  # type: ignore[attr-defined]
    whole = typer.main.get_command(app_for(["--help"]))
    assert list(whole.commands) == COMMANDS  # type: ignore[attr-defined]
    assert list(typer.main.get_command(app_for([])).commands) == COMMANDS  # type: ignore


def test_single_command_app_behaves_like_the_whole_app(runner: CliRunner) -> None:
    from probkit_cli.app import app_for

    args = ["urn", "--urn", "A=white:9,black:1", "--urn", "B=white:2,black:8", "--draw", "black"]
    for extra in ([], ["--json"], ["--help"], ["--draw", "green"]):
        whole = runner.invoke(app, args + extra)
        single = runner.invoke(app_for(args), args + extra)
        assert (single.exit_code, single.stdout, single.stderr) == (
            whole.exit_code, whole.stdout, whole.stderr)
