"""The first check of every input file: it exists and is a file, not a directory."""

from __future__ import annotations

import os
from pathlib import Path

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
    return p


__all__ = ["existing_file"]
