"""The ``probkit`` Typer application: one app, one function per subcommand."""

from __future__ import annotations

from typing import Annotated

import typer

from probkit import __version__
from probkit_cli import bayes_commands, classifier_commands, derive_command, tune_command
from probkit_cli.common import handle_errors, run

app = typer.Typer(
    name="probkit",
    help="Probabilistic reasoning you can check: exact and Monte Carlo Bayes, "
    "self-verifying derivations, and a from-scratch cat classifier.",
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"probkit {__version__}")
        raise typer.Exit()


@app.callback()
def callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Probabilistic reasoning you can check."""


# One line per subcommand. Each command module imports heavy libraries lazily.
app.command("bayes")(handle_errors(bayes_commands.bayes))
app.command("urn")(handle_errors(bayes_commands.urn))
app.command("diagnostic")(handle_errors(bayes_commands.diagnostic))
app.command("derive")(handle_errors(derive_command.derive))
app.command("train")(handle_errors(classifier_commands.train))
app.command("evaluate")(handle_errors(classifier_commands.evaluate))
app.command("predict")(handle_errors(classifier_commands.predict))
app.command("tune")(handle_errors(tune_command.tune))


def main() -> None:
    """Console-script entry point (click's usage errors become one-line errors too)."""
    raise SystemExit(run(app))
