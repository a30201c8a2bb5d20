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

Only regular files are written. An output path naming a directory, a device
(``/dev/full``, ``/dev/null``), a FIFO or a socket is refused with a message
naming the path and what it is, before anything is written: renaming a file
over such a node would replace it. An empty path is refused by name. A
symbolic link is written *through*: the new file is written atomically in
place of the file the link (or chain of links) points to, and the link itself
is kept (``--out latest.npz`` where ``latest.npz -> runs/7.npz`` updates
``runs/7.npz``). ``/dev/stdout`` is a link to whatever standard output is, so
it is refused when that is a terminal or a pipe.
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


#: what a file that is not a regular file is, by the test that recognises it
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    """``"a directory"``, ``"a FIFO (named pipe)"``... for a mode that is not a regular file's.

    >>> _kind(stat.S_IFIFO | 0o644)
    'a FIFO (named pipe)'
    """
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def describe_file(path: str | os.PathLike[str]) -> str:
    """What ``path`` is: ``"a regular file"``, ``"a directory"``, ``"a FIFO (named pipe)"``...

    >>> describe_file("/dev/null")
    'a character device'
    """
    mode = os.stat(path).st_mode
    return "a regular file" if stat.S_ISREG(mode) else _kind(mode)


def output_target(
    path: str | os.PathLike[str],
    *,
    error: type[ProbkitError] = InputError,
    label: str = "cannot write",
) -> Path:
    """The regular file that writing to ``path`` replaces, or ``error`` naming ``path``.

    An empty path, or one naming an existing directory, device, FIFO or socket (also
    through symbolic links), is refused. A symbolic link resolves to the file it points
    to, so that the link is written through and not replaced. Nothing is created.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "link.txt").symlink_to(folder / "real.txt")
    >>> output_target(folder / "link.txt") == (folder / "real.txt").resolve()
    True
    >>> output_target("/dev/null")
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: cannot write /dev/null: it is a character device, not a regular file
    >>> output_target("")
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: cannot write '': the path is empty
    """
    text = os.fspath(path)
    if not text:
        raise error(f"{label} '': the path is empty")
    if "\0" in text:
        raise error(f"{label} {text!r}: the path contains a NUL character")
    given = Path(text)
    try:
        mode = os.stat(given).st_mode  # follows links: what would really be written
    except FileNotFoundError:
        mode = None  # a new file, or a link to a file not there yet
    except OSError as exc:
        raise error(f"{label} {given}: {exc.strerror or exc}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise error(f"{label} {given}: it is {_kind(mode)}, not a regular file")
    if given.is_symlink():
        return Path(os.path.realpath(given))
    return given


def _temporary_beside(target: Path, *, error: type[ProbkitError], label: str) -> Path:
    """Create an empty temporary file in ``target``'s directory, or raise ``error``."""
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise error(f"{label} {target}: directory {directory} does not exist")
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

    Refuses what :func:`output_target` refuses; then creates and removes a temporary file
    beside the target; ``path`` itself is not touched.
    """
    _temporary_beside(output_target(path, error=error, label=label), error=error,
                      label=label).unlink()


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
    target = output_target(path, error=error, label=label)
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


__all__ = ["atomic_output", "check_writable", "describe_file", "output_target",
           "write_bytes_atomic", "write_text_atomic"]
