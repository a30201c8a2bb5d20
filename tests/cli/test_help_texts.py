"""Help texts: no ``<str>`` metavars, train and tune alike, and the
requirements a command cannot express in its signature are said."""

from __future__ import annotations

import functools
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
        if option == "--l2":  # only train takes "auto"
            assert (a.metavar, b.metavar) == ("λ|auto", "λ")  # type: ignore[attr-defined]
            continue
        if option == "--flip":  # only tune searches "both"
            assert (a.metavar, b.metavar) == ("no|yes", "no|yes|both")  # type: ignore[attr-defined]
            continue
        assert a.metavar == b.metavar, option  # type: ignore[attr-defined]
    for option in ("--train", "--out", "--plot", "--json"):
        assert train[option].help == tune[option].help, option  # type: ignore[attr-defined]


def test_diagnostic_help_says_which_rate_is_required(runner) -> None:
    text = " ".join(_help(runner, "diagnostic").split())
    assert "one of the two is required" in text
    assert "--specificity" in text and "--false-positive-rate" in text


@functools.cache
def _all_options() -> frozenset[str]:
    """Every option name of the app (converted once: typer converts the whole app anew on
    each call, and 36 help texts look the names up)."""
    found: set[str] = set()

    def walk(group) -> None:  # type: ignore[no-untyped-def]
        for command in group.commands.values():
            if hasattr(command, "commands"):
                walk(command)
            for param in getattr(command, "params", ()):
                found.update(param.opts)

    walk(typer.main.get_command(app))
    return frozenset(found)


def _broken_option_names(text: str, options: frozenset[str]) -> list[str]:
    """Lines ending in a piece of an option name (``--pr``) that is no option."""
    return [line for line in text.splitlines()
            if (m := re.search(r"(--[a-z0-9-]*)$", line.rstrip())) and m.group(1) not in options]


@pytest.mark.parametrize("columns", ["60", "80", "100"])
@pytest.mark.parametrize("command", COMMANDS)
def test_no_option_name_is_broken_across_lines(runner, command, columns) -> None:
    """`tune --help` wrapped "--preprocessing" as "--pr" / "eprocessing" at 80 columns."""
    result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": columns})
    options = _all_options()
    assert not _broken_option_names(result.stdout, options)
    # negative control: the lines the issue quoted are caught
    old = ("          values are given. Not with --model/--l2/--pr\n"
           "          eprocessing/--iterations/--flip/--seeds/--fe\n")
    assert len(_broken_option_names(old, options)) == 2


def test_a_group_alone_prints_its_help_like_bare_probkit(runner) -> None:
    for args in ([], ["data"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage: probkit" in result.stdout, args
        assert result.stderr == ""


def test_a_missing_option_is_reported_in_probkit_words() -> None:
    import contextlib
    import io

    from probkit_cli.app import app_for
    from probkit_cli.common import run

    for args, expected in (
            (["train", "--train", "x.h5"],
             "error: --out: this option is required (see probkit train --help)\n"),
            (["check"], "error: FILE|FOLDER...: this argument is required (see probkit check "
                        "--help)\n")):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = run(app_for(args), args=args)
        assert (code, err.getvalue()) == (2, expected)


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_lines_show_arguments_without_braces(runner, command) -> None:
    """`check --help` showed `Usage: probkit check [OPTIONS] {FILE}` (typer's braces)."""
    usage = _help(runner, *command.split()).splitlines()[0]
    assert usage.startswith("Usage: probkit ") and "{" not in usage, usage
    if command == "check":
        assert usage.endswith("[OPTIONS] FILE|FOLDER...")
