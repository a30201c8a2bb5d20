"""Check many posts in one process: a whole site's folder, or the files a commit changes.

>>> import tempfile, pathlib
>>> site = pathlib.Path(tempfile.mkdtemp())
>>> _ = (site / "good.md").write_text("$$\\n(x+1)^2 = x^2 + 2x + 1\\n$$\\n")
>>> _ = (site / "prose.md").write_text("No maths here.\\n")
>>> report = check_paths([site])
>>> [(pathlib.Path(r.source).name, r.passed) for r in report.reports]
[('good.md', True), ('prose.md', True)]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from probkit.errors import DataError, InputError
from probkit.symbolic.lint.extract import find_maths
from probkit.symbolic.lint.posts import MAX_POSTS, find_posts, is_latex_source, read_post, shown
from probkit.symbolic.lint.report import CheckReport, PostError, SiteReport


def posts_of(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The posts ``paths`` name: a folder stands for every post below it (see
    :func:`~probkit.symbolic.lint.posts.find_posts`), a file for itself, whatever its
    suffix. Each post once, in the order given; at most :data:`MAX_POSTS`. A path that does
    not exist is an error before anything is checked.

    A file reached both through a symbolic link and under its own name is checked once,
    under its own name (a link never hides the post it points to); a link whose target is
    not among the posts keeps the link's name, the one the user's tree shows."""
    if not paths:
        raise InputError("no post given: name files or folders", parameter="post")
    found: list[Path] = []
    seen: dict[str, int] = {}  # each real file once: its place in ``found``
    for path in paths:
        given = Path(path)
        if str(path) == "-":
            raise InputError("- (stdin) can only be checked on its own, not with other posts",
                             parameter="post")
        if not os.path.lexists(given):
            raise DataError(f"{shown(given)}: no such file or folder", parameter="post")
        for post in find_posts(given) if os.path.isdir(given) else [given]:
            key = os.path.realpath(post)
            if key not in seen:
                seen[key] = len(found)
                found.append(post)
            elif os.path.islink(found[seen[key]]) and not os.path.islink(post):
                found[seen[key]] = post  # the post's own name, not a link's
        if len(found) > MAX_POSTS:
            raise InputError(f"more than {MAX_POSTS} posts given; check fewer at a time",
                             parameter="post")
    return found


def has_maths(text: str, *, latex: bool) -> bool:
    """True if ``text`` holds any maths block :func:`check_text` would read."""
    return bool(find_maths(text, latex=latex))


def check_post(text: str, *, source: str, latex: bool | None = None,
               seed: int = 0) -> CheckReport:
    """Check the post ``text`` like :func:`~probkit.symbolic.lint.check.check_text`, except
    that a post without maths passes with no equalities."""
    is_latex = is_latex_source(text, source) if latex is None else latex
    if not has_maths(text, latex=is_latex):
        return CheckReport(source, (), (), equalities_checked=0, equalities_verified=0)
    from probkit.symbolic.lint.check import check_text

    return check_text(text, source=source, latex=is_latex, seed=seed)


def check_paths(paths: Sequence[str | os.PathLike[str]], *, seed: int = 0,
                latex: bool | None = None) -> SiteReport:
    """Check every post ``paths`` name (files, and folders for the posts below them).

    A post without maths passes with no equalities; a post that cannot be read
    (missing, not UTF-8, too large, not a regular file) is a
    :class:`~probkit.symbolic.lint.report.PostError` in the report, and the others are
    still checked. ``latex`` forces the reading of every post (None: by suffix).
    """
    posts: list[CheckReport | PostError] = []
    for post in posts_of(paths):
        source = str(post)
        try:
            posts.append(check_post(read_post(post), source=source, latex=latex, seed=seed))
        except (DataError, InputError) as exc:
            posts.append(PostError(source, str(exc)))
    return SiteReport(tuple(posts))


__all__ = ["check_paths", "check_post", "has_maths", "posts_of"]
