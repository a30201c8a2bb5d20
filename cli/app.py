"""The ``probkit`` Typer application: one app, one function per subcommand."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from probkit import __version__
from probkit_cli import (
    bayes_commands,
    check_command,
    classifier_commands,
    data_command,
    derive_command,
    gradcheck_command,
    tune_command,
)
from probkit_cli.common import handle_errors, run

_SETTINGS: dict[str, Any] = {
    "name": "probkit",
    "help": "Probabilistic reasoning you can check: exact and Monte Carlo Bayes, "
    "self-verifying derivations, and a from-scratch cat classifier.",
    "rich_markup_mode": None,
    "pretty_exceptions_show_locals": False,
    "no_args_is_help": False,  # bare `probkit` is handled by the callback: help, exit 0
    "add_completion": False,
}
app = typer.Typer(**_SETTINGS)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"probkit {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def callback(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Probabilistic reasoning you can check."""
    if ctx.invoked_subcommand is None:  # bare `probkit`: the help on stdout, exit 0 (as git)
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


# One line per subcommand. Each command module imports heavy libraries lazily.
# short_help is what `probkit --help` lists (the docstrings are too long to fit there).
_COMMANDS = [
    ("bayes", bayes_commands.bayes, "Exact posterior over named hypotheses (--mc: Monte Carlo)."),
    ("urn", bayes_commands.urn, "Which urn were the balls drawn from? Exact posterior."),
    ("diagnostic", bayes_commands.diagnostic, "What a positive (or negative) test means."),
    ("derive", derive_command.derive, "Derive and machine-check the classifier's maths."),
    ("gradcheck", gradcheck_command.gradcheck,
     "Check your own numpy gradients against central differences."),
    ("check", check_command.check, "Check the maths of a Markdown/LaTeX post line by line."),
    ("train", classifier_commands.train, "Train the cat classifier and save it."),
    ("evaluate", classifier_commands.evaluate, "Accuracy with its interval; calibration."),
    ("compare", classifier_commands.compare, "Two models on the same images, paired."),
    ("predict", classifier_commands.predict, "P(cat) for each image or photo."),
    ("tune", tune_command.tune, "Choose a model by cross-validation on the training data."),
]
for _name, _function, _summary in _COMMANDS:
    app.command(_name, short_help=_summary)(handle_errors(_function))

# Command groups: ``probkit data check``. Each group is a sub-app of its own commands.
_GROUPS = [
    ("data", "Audit the data files (probkit data check).",
     [("check", data_command.check, "Shapes, class balance, constant images, copies.")]),
]


def _group_app(commands: list[tuple[str, Any, str]], summary: str) -> typer.Typer:
    group = typer.Typer(**{**_SETTINGS, "help": summary, "name": None})
    for name, function, short in commands:
        group.command(name, short_help=short)(handle_errors(function))
    return group


for _name, _summary, _members in _GROUPS:
    app.add_typer(_group_app(_members, _summary), name=_name, short_help=_summary)


def app_for(args: list[str]) -> typer.Typer:
    """The app to run for ``args``: the whole app, or one with just the command named first.

    typer turns every registered command's signature into click options before it
    parses anything; building only the command being run keeps ``probkit bayes``
    from paying for the options of ``train`` or ``tune``. The command function,
    its options and its help are the same objects in both apps.
    """
    for name, function, summary in _COMMANDS:
        if args and args[0] == name:
            single = typer.Typer(**_SETTINGS)
            single.callback(invoke_without_command=True)(callback)
            single.command(name, short_help=summary)(handle_errors(function))
            return single
    for name, summary, members in _GROUPS:
        if args and args[0] == name:
            single = typer.Typer(**_SETTINGS)
            single.callback()(callback)
            single.add_typer(_group_app(members, summary), name=name, short_help=summary)
            return single
    return app


def main() -> None:
    """Console-script entry point (click's usage errors become one-line errors too)."""
    raise SystemExit(run(app_for(sys.argv[1:])))
