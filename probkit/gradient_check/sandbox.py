"""Run a learner's file in a subprocess with a time and a memory limit.

The child (:mod:`probkit.gradient_check.child`) starts as ``python -I -B``
(no user site, no bytecode written next to the learner's file), in a fresh
temporary working directory that is removed afterwards, with

* ``RLIMIT_AS`` (address space) at ``memory_limit`` megabytes and
  ``RLIMIT_CPU`` a little above the time limit, set before it starts;
* a wall-clock limit: past ``time_limit`` seconds it is killed;
* ``PR_SET_PDEATHSIG`` (Linux): killed if this process dies, even by SIGKILL;
  on SIGTERM or SIGINT this process kills it before going on (never an orphan).

Its answer is JSON on its standard output; what the learner's code prints goes
to its standard error, which is read (bounded) and kept for error messages.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

from probkit.errors import ComputationError, InputError

STDERR_TAIL = 2000
"""Characters of the learner's own output kept for an error message."""


class LearnerCodeError(ComputationError):
    """The learner's code raised, ran out of time or memory, or returned the wrong kind of thing.

    ``traceback`` holds the learner's own traceback lines (their file, their line numbers).
    """

    def __init__(self, message: str, traceback: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.traceback = traceback


def _limits(memory_limit: int, time_limit: float) -> Any:
    def apply() -> None:  # runs in the child between fork and exec
        import resource

        megabytes = memory_limit * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (megabytes, megabytes))
        seconds = int(time_limit) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                libc = ctypes.CDLL(None, use_errno=True)
                libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
            except (OSError, AttributeError):
                pass
        os.setsid()  # its own session: a terminal's Ctrl-C reaches the parent, which kills it

    return apply


@contextlib.contextmanager
def _killed_on_signal(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """While running: SIGTERM/SIGINT kill the child first, then do what they did before."""
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        _kill(process)
        old = previous.get(signum)
        if callable(old):
            old(signum, frame)
        elif signum == signal.SIGINT:
            raise KeyboardInterrupt
        else:
            raise SystemExit(128 + signum)

    try:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread: the parent-death signal still covers it
        previous.clear()
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()


_NOT_CONFORMABLE = ("not aligned", "mismatch in its core dimension", "shapes cannot be multiplied")


def _hint(message: str) -> str:
    """A word on the usual cause of a numpy error the learner's code raised."""
    if any(text in message for text in _NOT_CONFORMABLE):
        return " — a matrix product whose shapes do not conform: a missing .T?"
    if "could not be broadcast" in message:
        return " — an elementwise operation on arrays of different shapes"
    return ""


def run(request: Mapping[str, Any], *, time_limit: float, memory_limit: int,
        source: str) -> dict[str, Any]:
    """The child's answer to ``request``; the learner's failures as :class:`LearnerCodeError`."""
    env = {k: v for k, v in os.environ.items()
           if k in ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")}
    env.update(PYTHONDONTWRITEBYTECODE="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1", PYTHONHASHSEED="0")
    with tempfile.TemporaryDirectory(prefix="probkit-gradcheck-") as workdir:
        process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-m", "probkit.gradient_check.child"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=workdir, env=env, preexec_fn=_limits(memory_limit, time_limit),
        )
        with _killed_on_signal(process):
            try:
                out, err = process.communicate(json.dumps(request).encode(), timeout=time_limit)
            except subprocess.TimeoutExpired:
                _kill(process)
                raise LearnerCodeError(f"{source}: the check did not finish in {time_limit:g} s "
                                       "(an endless loop? --time-limit raises the limit)") from None
            finally:
                _kill(process)
    printed = err.decode(errors="replace")[-STDERR_TAIL:]
    if process.returncode != 0 or not out:
        if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise LearnerCodeError(f"{source}: the check used more than {time_limit:g} s of CPU "
                                   "time and was stopped")
        if "MemoryError" in printed or "cannot allocate" in printed:
            raise LearnerCodeError(f"{source}: the code ran out of memory (limit "
                                   f"{memory_limit} MB; --memory-limit raises it)")
        last = printed.strip().splitlines()[-1:] or ["no message"]
        raise LearnerCodeError(f"{source}: the check stopped (exit {process.returncode}): "
                               f"{last[0]}")
    answer: dict[str, Any] = json.loads(out)
    if answer.get("ok"):
        return answer
    kind, message = answer.get("kind"), answer.get("message", "")
    if kind == "input":
        raise InputError(message, parameter="path")
    if kind == "memory":
        raise LearnerCodeError(f"{source}: the code ran out of memory (limit {memory_limit} MB;"
                               " --memory-limit raises it)")
    if kind == "exception":
        lines = tuple(answer.get("traceback", ()))
        where = f" while {answer['doing']}" if answer.get("doing") else ""
        raise LearnerCodeError(f"{source}: {message}{where}{_hint(message)}", lines)
    raise LearnerCodeError(f"{source}: {message}")


__all__ = ["LearnerCodeError", "run"]
