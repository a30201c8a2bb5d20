r"""``probkit check``: a linter for the mathematics in a Markdown (Hugo) post or a LaTeX file.

Every display-maths block (``$$…$$``, ``\[…\]``, ``equation``/``align``) and
inline maths (``$…$``, ``\(…\)``) is read; every chain of equalities is checked
line by line, with the post's own definitions substituted and its side
conditions (``a > 0``) as assumptions. See docs/check.md.

Modules, each with one job: :mod:`.extract` (maths blocks and their lines),
:mod:`.latex` (tokens and what commands mean), :mod:`.statements` (terms and
relations), :mod:`.parser` (one term's syntax tree, with source spans),
:mod:`.reader` (the tree as a SymPy expression, with the post's names),
:mod:`.approximate` (decimals written to some digits), :mod:`.scope`
(definitions, domains, evaluation), :mod:`.equality` (one comparison),
:mod:`.prose` (what the words around the maths say: evaluation points,
solving), :mod:`.solving` (do two equations have the same solutions),
:mod:`.check` (a post's blocks, in order, by a checker assembled from
:mod:`.checker_state` and one module per job: :mod:`.chains`, :mod:`.blame`,
:mod:`.solving_chains`, :mod:`.systems`, :mod:`.alternatives`,
:mod:`.evaluation_points`, :mod:`.value_statements`, :mod:`.definitions`,
:mod:`.log_checks`), :mod:`.vectorized` (the matrix lines of a
vectorized backprop post, judged by the matrix chain), :mod:`.report` and :mod:`.annotate`;
:mod:`.posts` (bounded reading of regular files, the posts below a folder),
:mod:`.site` (many posts in one process), :mod:`.render` (characters KaTeX strict
refuses) and :mod:`.fix` (``--fix``: a KaTeX-safe copy that reads the same).

Importing this package is cheap; SymPy is imported when a post is checked
(SymPy's own LaTeX parser never: it is a test-only oracle).

>>> report = check_text(r"$$\frac{d}{dx} x^3 = 3x^2$$")
>>> report.passed
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from probkit.symbolic.lint.report import CheckReport, SiteReport


def check_text(text: str, *, source: str = "<text>", latex: bool | None = None,
               seed: int = 0, shapes: Sequence[str] = ()) -> CheckReport:
    """Check the maths in ``text``; see :func:`probkit.symbolic.lint.check.check_text`."""
    from probkit.symbolic.lint import check

    return check.check_text(text, source=source, latex=latex, seed=seed, shapes=shapes)


def check_file(path: str | Path, *, seed: int = 0, shapes: Sequence[str] = ()) -> CheckReport:
    """Check the maths in the post at ``path``; see :func:`.check.check_file`."""
    from probkit.symbolic.lint import check

    return check.check_file(path, seed=seed, shapes=shapes)


def check_paths(paths: Sequence[str | Path], *, seed: int = 0,
                latex: bool | None = None) -> SiteReport:
    """Check every post of ``paths`` (files, folders); see :func:`.site.check_paths`."""
    from probkit.symbolic.lint import site

    return site.check_paths(paths, seed=seed, latex=latex)


__all__ = ["check_file", "check_paths", "check_text"]
