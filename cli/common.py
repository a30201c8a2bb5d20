"""Shared pieces of the command line: error mapping, output helpers, option parsing.

Only the standard library and typer are imported here, so that every command
starts fast; rich is imported lazily by the commands that draw progress bars.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar

import typer

from probkit.errors import HypothesisError, InputError, ProbkitError

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int) -> typer.Exit:
    """Write ``error: message`` as one line on stderr and return the exit to raise."""
    one_line = " ".join(str(message).split())
    sys.stderr.write(f"error: {one_line}\n")
    return typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn :class:`ProbkitError` into a one-line message and exit 2 (bad input) or 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:  # reworded with the option the user typed
            from probkit_cli.parameters import option_message

            raise fail(option_message(exc), exc.exit_code) from None
        except ProbkitError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except MemoryError as exc:  # e.g. --hidden 100000000: a runtime failure, exit 1
            detail = f" ({exc})" if str(exc) else ""
            raise fail(f"out of memory{detail}; try smaller sizes", 1) from None

    return wrapper


def run(app: typer.Typer, prog_name: str = "probkit") -> int:
    """Run ``app`` as a console script and return its exit code.

    Like typer's own runner, except that the errors click finds while parsing
    options (an unknown option, ``--iterations abc``, a missing required
    option) are reported like every other bad input: one ``error: ...`` line
    on stderr and exit code 2.
    """
    # typer may vendor click; find its exception base through a public typer class
    click_exception = next(c for c in typer.BadParameter.__mro__
                           if c.__name__ == "ClickException")
    command = typer.main.get_command(app)
    try:
        result = command.main(prog_name=prog_name, standalone_mode=False)
    except click_exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare ``probkit``: show the help
            exc.show()
            return int(exc.exit_code)
        ctx = getattr(exc, "ctx", None)
        where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        fail(exc.format_message() + where, exc.exit_code)
        return int(exc.exit_code)
    except typer.Abort:
        fail("aborted", 1)
        return 1
    return result if isinstance(result, int) else 0


def refuse_overwriting_inputs(out: str | os.PathLike[str],
                              inputs: Sequence[tuple[str, str | os.PathLike[str] | None]]) -> None:
    """Raise :class:`InputError` if ``--out`` names one of the input files (it would be lost).

    ``inputs`` pairs an option name with the file given to it (or None); the check
    is :func:`probkit._atomic.refuse_overwriting`, worded with option names.
    """
    from probkit._atomic import refuse_overwriting

    refuse_overwriting(out, inputs, out_label="--out")


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float inside dicts/lists/tuples replaced by None."""
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def emit_json(payload: dict[str, Any]) -> None:
    """Write one JSON object to stdout (nothing else goes to stdout with ``--json``).

    Strict JSON: nan and infinities (say, the cost of a diverged run) become ``null``.
    """
    sys.stdout.write(json.dumps(_finite(payload), indent=2, ensure_ascii=False,
                                allow_nan=False))
    sys.stdout.write("\n")


def echo(text: str = "") -> None:
    """Write a line of human output to stdout."""
    sys.stdout.write(text + "\n")


def note(text: str) -> None:
    """Write a line of human commentary to stderr."""
    sys.stderr.write(text + "\n")


def parse_assignments(
    values: Sequence[str] | None, *, option: str, value_name: str = "VALUE"
) -> list[tuple[str, str]]:
    """Split repeated ``NAME=VALUE`` options, rejecting empty or duplicate names.

    >>> parse_assignments(["A=1/2", "B = 0.5"], option="--prior")
    [('A', '1/2'), ('B', '0.5')]
    """
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in values or ():
        name, sep, value = raw.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"{option}: {raw!r} is not of the form NAME={value_name}")
        if name in seen:
            raise HypothesisError(f"{option}: hypothesis {name!r} is given twice")
        seen.add(name)
        pairs.append((name, value.strip()))
    return pairs


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, right: Sequence[bool]) -> str:
    """Render a plain-text table (no rich import: the exact commands must start fast)."""
    body = [list(map(str, row)) for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in
              enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right,
                                                                   strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in body)])
