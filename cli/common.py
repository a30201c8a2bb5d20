"""Shared pieces of the command line: error mapping, output helpers, option parsing.

Only the standard library and typer are imported here, so that every command
starts fast; rich is imported lazily by the commands that draw progress bars.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, ParamSpec, TextIO, TypeVar

import typer

from probkit.errors import HypothesisError, InputError, ProbkitError

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int) -> typer.Exit:
    """Write ``error: message`` as one line on stderr and return the exit to raise."""
    one_line = " ".join(str(message).split())
    sys.stderr.write(f"error: {one_line}\n")
    return typer.Exit(code)


class Terminated(BaseException):
    """Raised in the main thread when the process receives SIGTERM (see :func:`on_sigterm`).

    A :class:`BaseException`, as :class:`KeyboardInterrupt` is, so that the same
    clean-up runs: the atomic writer removes its temporary file, a worker pool is shut
    down, and the command exits with 143 (128 + SIGTERM), as a shell reports it.
    """


#: exit codes for an interrupted run: 128 + the signal's number, as a shell reports it
INTERRUPTED_EXIT = 130
TERMINATED_EXIT = 143


def on_sigterm() -> None:
    """Handle SIGTERM like SIGINT from now on: raise :class:`Terminated` in the main thread."""
    import signal

    def _raise(signum: int, frame: object) -> None:
        raise Terminated()

    signal.signal(signal.SIGTERM, _raise)


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
            from probkit_cli.parameters import option_text

            raise fail(option_text(str(exc)), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", INTERRUPTED_EXIT) from None
        except Terminated:
            raise fail("terminated (SIGTERM)", TERMINATED_EXIT) from None
        except MemoryError as exc:  # e.g. --hidden 100000000: a runtime failure, exit 1
            detail = f" ({exc})" if str(exc) else ""
            raise fail(f"out of memory{detail}; try smaller sizes", 1) from None

    return wrapper


def run(app: typer.Typer, prog_name: str = "probkit", args: Sequence[str] | None = None) -> int:
    """Run ``app`` as a console script and return its exit code.

    Like typer's own runner, except that the errors click finds while parsing
    options (an unknown option, ``--iterations abc``, a missing required
    option) are reported like every other bad input: one ``error: ...`` line
    on stderr and exit code 2. ``args`` defaults to ``sys.argv[1:]``.
    """
    # typer may vendor click; find its exception base through a public typer class
    click_exception = next(c for c in typer.BadParameter.__mro__
                           if c.__name__ == "ClickException")
    command = typer.main.get_command(app)
    try:
        result = command.main(args=None if args is None else list(args), prog_name=prog_name,
                              standalone_mode=False)
    except click_exception as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare ``probkit``: show the help
            exc.show()
            return int(exc.exit_code)
        ctx = getattr(exc, "ctx", None)
        where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
        fail(_shortened(_in_probkit_words(exc)) + where, exc.exit_code)
        return int(exc.exit_code)
    except typer.Abort:
        fail("aborted", 1)
        return 1
    except Terminated:  # before or after a command's own handler (e.g. while parsing)
        fail("terminated (SIGTERM)", TERMINATED_EXIT)
        return TERMINATED_EXIT
    return result if isinstance(result, int) else 0


def _in_probkit_words(exc: Any) -> str:
    """click's message for a parsing error, worded as probkit's own errors are: the option
    first, then what is wrong (``--out: this option is required``, not click's
    ``Missing option '--out'.``)."""
    param = getattr(exc, "param", None)
    if type(exc).__name__ == "MissingParameter" and param is not None:
        opts = getattr(param, "opts", None) or [getattr(param, "human_readable_name", "")]
        if getattr(param, "param_type_name", "") == "argument":
            return f"{param.human_readable_name}: this argument is required"
        return f"{opts[0]}: this option is required"
    return str(exc.format_message())


def _shortened(message: str, longest: int = 60) -> str:
    """``message`` with every word over ``longest`` characters cut in the middle.

    click quotes the argument it could not use; a megabyte argument must not become a
    megabyte error line.

    >>> _shortened("unexpected extra argument (" + "1" * 100 + ")")
    'unexpected extra argument (11111111111111111111111111111…[102 characters]…111111111)'
    """
    words = []
    for word in message.split(" "):
        if len(word) > longest:
            word = f"{word[:30]}…[{len(word):,} characters]…{word[-10:]}"
        words.append(word)
    return " ".join(words)


def refuse_overwriting_inputs(out: str | os.PathLike[str],
                              inputs: Sequence[tuple[str, str | os.PathLike[str] | None]]) -> None:
    """Raise :class:`InputError` if ``--out`` names one of the input files (it would be lost).

    ``inputs`` pairs an option name with the file given to it (or None); the check
    is :func:`probkit._atomic.refuse_overwriting`, worded with option names.
    """
    from probkit._atomic import refuse_overwriting

    refuse_overwriting(out, inputs, out_label="--out")


PROGRESS_INTERVAL = 10.0
"""Seconds between plain progress lines when stderr is not a terminal; the environment
variable ``PROBKIT_PROGRESS_INTERVAL`` (seconds, >= 0) overrides it."""


def progress_interval() -> float:
    """:data:`PROGRESS_INTERVAL`, or ``PROBKIT_PROGRESS_INTERVAL`` when it is a number >= 0."""
    text = os.environ.get("PROBKIT_PROGRESS_INTERVAL", "")
    try:
        value = float(text)
    except ValueError:
        return PROGRESS_INTERVAL
    return value if 0 <= value < float("inf") else PROGRESS_INTERVAL


def _duration(seconds: float) -> str:
    """``"4.2 s"``, ``"3 min 5 s"``, ``"1 h 2 min"``.

    >>> _duration(4.21), _duration(185), _duration(3725)
    ('4.2 s', '3 min 5 s', '1 h 2 min')
    """
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


class ProgressReporter:
    """Progress of one long step on stderr, drawn only once work has started.

    On a terminal: a live rich bar. Anywhere else (CI logs, ``nohup``, pipes): a plain
    line every :data:`PROGRESS_INTERVAL` seconds saying what is done, what remains and
    how long it has taken, and then, if any such line was written, one closing line
    when the step ends (a short step writes nothing). Nothing is written before the
    first :meth:`update`, so an error raised before any work leaves stderr to its
    one ``error:`` line; a step ended by an error gets no closing line.

    >>> import io
    >>> ticks = iter([0.0, 4.0, 12.0, 13.0, 30.0])
    >>> out = io.StringIO()
    >>> with ProgressReporter("training", unit="iterations", stream=out,
    ...                       clock=lambda: next(ticks)) as bar:
    ...     bar.update(0, 100)                 # work starts
    ...     bar.update(10, 100, "cost 0.69")   # 4 s in: too soon for a line
    ...     bar.update(30, 100, "cost 0.51")   # 12 s in: a line
    ...     bar.update(31, 100, "cost 0.50")   # 1 s later: too soon
    >>> print(out.getvalue(), end="")
    training: 30/100 iterations (30%), cost 0.51, 12.0 s elapsed, about 28.0 s left
    training: done, 31/100 iterations, cost 0.50, 30.0 s
    """

    def __init__(self, label: str, *, unit: str = "", stream: TextIO | None = None,
                 interval: float | None = None, clock: Callable[[], float] = time.monotonic,
                 live: bool | None = None, transient: bool = False) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.interval = progress_interval() if interval is None else interval
        self.clock = clock
        self.live = self.stream.isatty() if live is None else live
        self.transient = transient
        self.done = 0
        self.total = 0
        self.detail = ""
        self._start: float | None = None
        self._last = 0.0
        self._wrote = False
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> ProgressReporter:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close(completed=kind is None)

    def __call__(self, done: int, total: int, detail: str = "") -> None:
        """Same as :meth:`update`, so the reporter itself can be a progress callback."""
        self.update(done, total, detail)

    def update(self, done: int, total: int, detail: str = "") -> None:
        """Record that ``done`` of ``total`` units are finished (``detail``: e.g. the cost)."""
        now = self.clock()
        if self._start is None:
            self._start = self._last = now
        self.done, self.total, self.detail = int(done), int(total), detail
        if self.live:
            self._draw()
        elif now - self._last >= self.interval:
            self._last = now
            self._wrote = True
            self._write(self._line(now))

    def _line(self, now: float) -> str:
        assert self._start is not None
        elapsed = now - self._start
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        parts = [f"{self.label}: {self.done}/{self.total}{' ' + self.unit if self.unit else ''}"
                 f"{share}"]
        if self.detail:
            parts.append(self.detail)
        parts.append(f"{_duration(elapsed)} elapsed")
        if 0 < self.done < self.total:
            parts.append(f"about {_duration(elapsed * (self.total - self.done) / self.done)} left")
        return ", ".join(parts)

    def _write(self, line: str) -> None:
        self.stream.write(" ".join(line.split()) + "\n")
        self.stream.flush()

    def _draw(self) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=Console(file=self.stream), transient=self.transient)
            self._task = self._bar.add_task("", total=self.total)
            self._bar.start()
        self._bar.update(self._task, completed=self.done, total=self.total,
                         description=self.detail)

    def close(self, *, completed: bool = True) -> None:
        """End the step: stop the bar, or (off a terminal) write the closing line."""
        if self._start is None:
            return
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        elif completed and self._wrote:
            seconds = self.clock() - self._start
            unit = f" {self.unit}" if self.unit else ""
            detail = f", {self.detail}" if self.detail else ""
            self._write(f"{self.label}: done, {self.done}/{self.total}{unit}{detail}, "
                        f"{_duration(seconds)}")
        self._start = None
        self._wrote = False


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
    import json  # only --json needs it (start-up of every other run stays light)

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
