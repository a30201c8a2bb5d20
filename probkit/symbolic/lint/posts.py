"""Reading posts from disk, bounded, and finding the posts below a folder.

Only the standard library is used. A post is read only from a regular file
(a symbolic link to one is followed), and never more than :data:`MAX_BYTES`
of it: a device (``/dev/zero``), a FIFO, a socket or a folder given as a post
is refused by name, before anything is read from it.

>>> import tempfile, pathlib
>>> site = pathlib.Path(tempfile.mkdtemp())
>>> for name in ("a.md", "b/c.markdown", "b/d.tex", "b/e.html", ".git/f.md", "b/.g.md"):
...     (site / name).parent.mkdir(parents=True, exist_ok=True)
...     _ = (site / name).write_text("$x = x$")
>>> [p.relative_to(site).as_posix() for p in find_posts(site)]
['a.md', 'b/c.markdown', 'b/d.tex']
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from probkit.errors import DataError, InputError

MAX_BYTES = 2_000_000
"""Largest post read (bytes); a longer one is refused."""

MAX_POSTS = 5_000
"""Most posts checked in one run (below a folder or given one by one)."""

MAX_ENTRIES = 50_000
"""Most files and folders looked at below one folder (``probkit check /usr`` stops here)."""

POST_SUFFIXES = (".md", ".markdown", ".tex")
"""Files below a folder that are checked as posts."""

SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
"""Folders never walked into, besides hidden ones (``.git``, ``.github``, ...)."""

_LATEX_DOCUMENT = re.compile(r"\\documentclass|\\begin\{document\}")


def shown(path: str | os.PathLike[str], longest: int = 80) -> str:
    """``path`` as an error message names it: a name of thousands of characters is cut.

    >>> shown("a" * 200)
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…[200 characters]…aaaaaaaaaa'
    """
    text = str(path)
    return text if len(text) <= longest else f"{text[:60]}…[{len(text):,} characters]…{text[-10:]}"


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _too_large(source: str) -> InputError:
    return InputError(f"{source}: larger than {MAX_BYTES / 1e6:g} MB; probkit check "
                      "reads posts, not books", parameter="post")


def read_post(path: str | os.PathLike[str]) -> str:
    """The text of the post at ``path``: UTF-8 (a BOM is dropped), at most :data:`MAX_BYTES`.

    Raises DataError naming the file when it is missing, unreadable, not a
    regular file, or not UTF-8, and InputError when it is too large.

    >>> read_post("/dev/zero")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    probkit.errors.DataError: /dev/zero: a character device, not a post (only regular files ...
    """
    file = Path(path)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise DataError(f"{shown(file)}: no such file", parameter="post") from None
    except OSError as exc:
        raise DataError(f"{shown(file)}: cannot read ({exc.strerror or exc})", parameter="post") \
            from None
    kind = _kind(info.st_mode)
    if kind is not None:
        raise DataError(f"{shown(file)}: {kind}, not a post (only regular files are read)",
                        parameter="post")
    if info.st_size > MAX_BYTES:
        raise _too_large(str(file))
    try:
        # O_NONBLOCK: should the name have become a FIFO since stat, opening does not wait
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DataError(f"{shown(file)}: cannot read ({exc.strerror or exc})", parameter="post") \
            from None
    with os.fdopen(fd, "rb") as handle:
        kind = _kind(os.fstat(handle.fileno()).st_mode)
        if kind is not None:
            raise DataError(f"{shown(file)}: {kind}, not a post (only regular files are read)",
                            parameter="post")
        try:
            data = handle.read(MAX_BYTES + 1)  # never more, whatever the file claims
        except OSError as exc:
            raise DataError(f"{shown(file)}: cannot read ({exc.strerror or exc})",
                            parameter="post") from None
    if len(data) > MAX_BYTES:
        raise _too_large(str(file))
    return decode_post(data, str(file))


def read_stream(stream: object, source: str = "<stdin>") -> str:
    """The text of a post read from a binary stream (stdin), at most :data:`MAX_BYTES`."""
    data = stream.read(MAX_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_BYTES:
        raise _too_large(source)
    return decode_post(data, source)


def decode_post(data: bytes, source: str) -> str:
    """``data`` decoded as UTF-8, or DataError saying where it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DataError(f"{source}: not UTF-8 (byte {data[exc.start]:#04x} on line {line})",
                        parameter="post") from None


def is_latex_source(text: str, name: str = "") -> bool:
    """True for a LaTeX document (by suffix, or a ``\\documentclass``/``\\begin{document}``)."""
    if name.endswith((".tex", ".latex", ".ltx")):
        return True
    if name.endswith((".md", ".markdown", ".mdx")):
        return False
    return bool(_LATEX_DOCUMENT.search(text))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """True for a folder, or a link to one (a broken link is not a folder)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def find_posts(folder: str | os.PathLike[str]) -> list[Path]:
    """Every ``.md``, ``.markdown`` and ``.tex`` file below ``folder``, sorted.

    Hidden folders and files (``.git``, ``.obsidian``, ``.draft.md``) and
    :data:`SKIPPED_FOLDERS` are skipped; links to folders are not followed (no
    loops). No post at all, more than :data:`MAX_POSTS` posts, or more than
    :data:`MAX_ENTRIES` files and folders looked at (posts or not), is an InputError naming
    the folder.
    """
    root = Path(folder)
    if not os.path.isdir(root):
        raise DataError(f"{shown(root)}: no such folder", parameter="post")
    found: list[Path] = []
    visited = 0
    folders = [root]  # a stack, not recursion: a tree thousands of folders deep is walked
    while folders:
        where = folders.pop()
        try:
            with os.scandir(where) as entries:
                for entry in entries:
                    visited += 1
                    if visited > MAX_ENTRIES:
                        raise InputError(
                            f"{shown(root)}: more than {MAX_ENTRIES:,} files and folders below "
                            "this folder (is it a site's content?); name the folder that holds "
                            "the posts", parameter="post")
                    name = entry.name
                    if name.startswith("."):
                        continue
                    if _is_folder(entry):
                        if name not in SKIPPED_FOLDERS and not entry.is_symlink():
                            folders.append(Path(entry.path))
                    elif name.lower().endswith(POST_SUFFIXES):
                        found.append(Path(entry.path))
                        if len(found) > MAX_POSTS:
                            raise InputError(
                                f"{shown(root)}: more than {MAX_POSTS} posts below this "
                                "folder; check its sub-folders one at a time", parameter="post")
        except OSError as exc:
            raise DataError(f"{shown(root)}: cannot read {shown(exc.filename or where)} "
                            f"({exc.strerror or exc})", parameter="post") from None
    if not found:  # a mistyped or wrong folder must not pass as "0 posts"
        raise InputError(f"{shown(root)}: no posts below this folder (no .md, .markdown or "
                         ".tex file); name the folder that holds the posts", parameter="post")
    return sorted(found)


__all__ = ["MAX_BYTES", "MAX_ENTRIES", "MAX_POSTS", "POST_SUFFIXES", "decode_post", "find_posts",
           "is_latex_source", "read_post", "read_stream", "shown"]
