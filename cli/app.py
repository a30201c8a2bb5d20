"""The ``probkit`` Typer application: one app, one function per subcommand."""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer
import typer.core

from probkit import __version__
from probkit_cli.common import handle_errors, on_sigterm, run

_SETTINGS: dict[str, Any] = {
    "name": "probkit",
    "help": "Probabilistic reasoning you can check: exact and Monte Carlo Bayes, "
    "self-verifying derivations, and a from-scratch cat classifier.",
    "rich_markup_mode": None,
    "pretty_exceptions_show_locals": False,
    "no_args_is_help": False,  # bare `probkit` is handled by the callback: help, exit 0
    "add_completion": False,
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"probkit {__version__}")
        raise typer.Exit()


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


# One line per subcommand: name, "module:function" (imported only when that command runs or
# the whole app is built, e.g. for ``probkit --help``), and the short_help `probkit --help`
# lists (the docstrings are too long to fit there).
_COMMANDS = [
    ("bayes", "bayes_commands:bayes", "Exact posterior, named or numeric hypotheses (--values)."),
    ("urn", "bayes_commands:urn", "Which urn were the balls drawn from? Exact posterior."),
    ("diagnostic", "bayes_commands:diagnostic", "What a positive (or negative) test means."),
    ("derive", "derive_command:derive", "Derive, check every step: built-in, --expr, --chain."),
    ("gradcheck", "gradcheck_command:gradcheck",
     "Check your own numpy gradients against central differences."),
    ("check", "check_command:check", "Check the maths of a Markdown/LaTeX post line by line."),
    ("train", "classifier_commands:train", "Train the cat classifier and save it."),
    ("evaluate", "classifier_commands:evaluate", "Accuracy with its interval; calibration."),
    ("compare", "classifier_commands:compare", "Two models on the same images, paired."),
    ("predict", "classifier_commands:predict", "P(cat) for each image or photo."),
    ("tune", "tune_command:tune", "Choose a model by cross-validation on the training data."),
]

# Command groups: ``probkit data check``. Each group is a sub-app of its own commands.
_GROUPS = [
    ("data", "Audit the data files (probkit data check).",
     [("check", "data_command:check", "Shapes, class balance, constant images, copies.")]),
]


class _Command(typer.core.TyperCommand):
    """typer's command, with a required argument shown as ``FILE``, not typer's ``{FILE}``,
    in the usage line (optional ones keep their brackets, ``[IMAGE]...``)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece
                for piece in super().collect_usage_pieces(ctx)]


def _function(where: str) -> Any:
    """The command function named ``module:function`` in ``probkit_cli`` (imported now)."""
    module, _, name = where.partition(":")
    return getattr(importlib.import_module(f"probkit_cli.{module}"), name)


def _group_help(ctx: typer.Context) -> None:
    """A command group run alone (``probkit data``): its help on stdout, exit 0, as bare
    ``probkit`` does."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def _group_app(commands: list[tuple[str, str, str]], summary: str) -> typer.Typer:
    group = typer.Typer(**{**_SETTINGS, "help": summary, "name": None})
    group.callback(invoke_without_command=True)(_group_help)
    for name, where, short in commands:
        group.command(name, short_help=short, cls=_Command)(handle_errors(_function(where)))
    return group


def _whole_app() -> typer.Typer:
    whole = typer.Typer(**_SETTINGS)
    whole.callback(invoke_without_command=True)(callback)
    for name, where, summary in _COMMANDS:
        whole.command(name, short_help=summary, cls=_Command)(handle_errors(_function(where)))
    for name, summary, members in _GROUPS:
        whole.add_typer(_group_app(members, summary), name=name, short_help=summary)
    return whole


_APP: list[typer.Typer] = []


def __getattr__(name: str) -> Any:
    """``app``, the whole application, built on first use (every command module imported)."""
    if name == "app":
        if not _APP:
            _APP.append(_whole_app())
        return _APP[0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def app_for(args: list[str]) -> typer.Typer:
    """The app to run for ``args``: the whole app, or one with just the command named first.

    typer turns every registered command's signature into click options before it
    parses anything; building only the command being run keeps ``probkit bayes``
    from paying for the options of ``train`` or ``tune``. The command function,
    its options and its help are the same objects in both apps.
    """
    for name, where, summary in _COMMANDS:
        if args and args[0] == name:
            single = typer.Typer(**_SETTINGS)
            single.callback(invoke_without_command=True)(callback)
            single.command(name, short_help=summary, cls=_Command)(
                handle_errors(_function(where)))
            return single
    for name, summary, members in _GROUPS:
        if args and args[0] == name:
            single = typer.Typer(**_SETTINGS)
            single.callback()(callback)
            single.add_typer(_group_app(members, summary), name=name, short_help=summary)
            return single
    return __getattr__("app")  # type: ignore[no-any-return]


def main() -> None:
    """Console-script entry point (click's usage errors become one-line errors too;
    SIGTERM is handled like Ctrl-C: temporary files removed, workers stopped, exit 143)."""
    on_sigterm()
    raise SystemExit(run(app_for(sys.argv[1:])))
