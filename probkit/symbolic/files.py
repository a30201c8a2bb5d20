"""Writing output files atomically: all of the new text, or the old file untouched."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from probkit.errors import InputError


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and ``os.replace``.

    The temporary file lives in the same directory, is flushed and fsynced
    before it replaces ``path``; on any failure it is removed and what was at
    ``path`` before is left as it was.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_text_atomic(target, "hello\\n").read_text()
    'hello\\n'
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"--out: directory {str(directory)!r} does not exist")
    if target.is_dir():
        raise InputError(f"--out: {str(target)!r} is a directory")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target
