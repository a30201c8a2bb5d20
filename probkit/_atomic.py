"""Atomic file output shared by every writer in probkit (models, data, derivations, plots).

A file is written to a temporary name in the target's directory, flushed and
fsynced, given ordinary permissions, and renamed over the target with
:func:`os.replace`. On any failure the temporary file is removed and what was
at the target before is left exactly as it was. Failures to create or move the
file (a missing or read-only directory, a full disk) become the caller's
:class:`~probkit.errors.ProbkitError` subclass with a message naming the file.

Permissions: :func:`tempfile.mkstemp` creates files readable by their owner
only (0600). The result instead gets the mode of the file it replaces, or, for
a new file, ``0666`` minus the umask -- what ``open(path, "w")`` would give.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from probkit.errors import InputError, ProbkitError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _final_mode(target: Path) -> int:
    """The mode the written file should have: the old file's, or 0666 minus the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _temporary_beside(target: Path, *, error: type[ProbkitError], label: str) -> Path:
    """Create an empty temporary file in ``target``'s directory, or raise ``error``."""
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise error(f"{label} {target}: directory {directory} does not exist")
    if target.is_dir():
        raise error(f"{label} {target}: it is a directory")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise error(f"{label} {target}: {exc.strerror or exc}") from None
    os.close(fd)
    return Path(tmp_name)


def check_writable(
    path: str | os.PathLike[str],
    *,
    error: type[ProbkitError] = InputError,
    label: str = "cannot write",
) -> None:
    """Fail now, not after a long computation, if :func:`atomic_output` could not write ``path``.

    Creates and removes a temporary file beside ``path``; ``path`` itself is not touched.
    """
    _temporary_beside(Path(path), error=error, label=label).unlink()


def refuse_overwriting(out: str | os.PathLike[str],
                       inputs: Sequence[tuple[str, str | os.PathLike[str] | None]], *,
                       out_label: str = "out") -> None:
    """Raise :class:`InputError` if ``out`` is one of the input files (it would be lost).

    ``inputs`` pairs a label (a parameter name, or an option name on the command
    line) with the file given to it (or None).

    >>> import tempfile, pathlib
    >>> data = pathlib.Path(tempfile.mkdtemp()) / "train.h5"
    >>> _ = data.write_bytes(b"precious")
    >>> refuse_overwriting(data, [("train", data)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: out ... is the train file ...; writing there would destroy it
    """
    for label, path in inputs:
        if path is None:
            continue
        try:
            same = os.path.samefile(out, path)
        except OSError:  # one of them does not exist (yet): they cannot be the same file
            continue
        if same:
            raise InputError(f"{out_label} {out} is the {label} file {path}; writing there "
                             "would destroy it", parameter="out")


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    *,
    error: type[ProbkitError] = InputError,
    label: str = "cannot write",
) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; when the block succeeds, move it over ``path``.

    The caller writes the whole file to the yielded path (by name). Errors
    raised inside the block propagate unchanged after the temporary file is
    removed; errors of the file system itself become ``error`` with a message
    starting with ``label`` and naming ``path``.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_output(target) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    mode = _final_mode(target)
    tmp = _temporary_beside(target, error=error, label=label)
    try:
        yield tmp
        try:
            with tmp.open("rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        except OSError as exc:
            raise error(f"{label} {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename durable where the OS allows it
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_bytes_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    error: type[ProbkitError] = InputError,
    label: str = "cannot write",
) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`); return the path."""
    with atomic_output(path, error=error, label=label) as tmp:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            raise error(f"{label} {path}: {exc.strerror or exc}") from None
    return Path(path)


def write_text_atomic(
    path: str | os.PathLike[str],
    text: str,
    *,
    error: type[ProbkitError] = InputError,
    label: str = "cannot write",
) -> Path:
    """Write ``text`` as UTF-8 (newlines untranslated) to ``path`` atomically; return the path.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_text_atomic(target, "hello\\n").read_text()
    'hello\\n'
    """
    return write_bytes_atomic(path, text.encode("utf-8"), error=error, label=label)


__all__ = ["atomic_output", "check_writable", "write_bytes_atomic", "write_text_atomic"]
