"""The first check of every input file: it exists and is a file, not a directory, FIFO or socket."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from probkit._atomic import _kind
from probkit.errors import InputError


def existing_file(
    path: str | os.PathLike[str],
    *,
    what: str,
    error: type[InputError],
    directory_note: str = "",
) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`, or raise ``error`` naming ``what`` and it.

    >>> from probkit.errors import DataError
    >>> existing_file("no-such.h5", what="data file", error=DataError)
    Traceback (most recent call last):
    ...
    probkit.errors.DataError: data file no-such.h5 does not exist
    """
    p = Path(path)
    if not p.exists():
        raise error(f"{what} {p} does not exist")
    if p.is_dir():
        raise error(f"{what} {p} is a directory{directory_note}")
    mode = p.stat().st_mode
    # a FIFO with no writer would block the open() for ever; neither kind can be read back
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        raise error(f"{what} {p} is {_kind(mode)}, not a regular file")
    return p


__all__ = ["existing_file"]
