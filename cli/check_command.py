"""``probkit check FILE|FOLDER|- ...``: check the mathematics of posts line by line, like a linter.

One FILE (or ``-`` for stdin) is checked as before: its findings, its summary,
``--json`` its report. Several files, or a folder (every ``.md``, ``.markdown``
and ``.tex`` below it), are checked in one process by
:func:`probkit.symbolic.lint.check_paths`: each post's findings and summary,
then a total; ``--json`` one object per post.

Only the standard library and typer are imported at module level; SymPy is
imported when a post is checked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from probkit.errors import InputError
from probkit_cli.common import echo, emit_json, note


def check(
    posts: Annotated[
        list[str],
        typer.Argument(help="Posts: Markdown (Hugo) or .tex files, folders (every .md, "
                       ".markdown and .tex below them), or - for stdin.",
                       metavar="FILE|FOLDER...", show_default=False),
    ],
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", metavar="OUT.md", help="Write a copy of the post with a mark "
                     "after each checked line (atomically; never the post itself; one FILE).",
                     show_default=False),
    ] = None,
    fix: Annotated[
        Path | None,
        typer.Option("--fix", metavar="OUT.md", help="Write a copy of the post whose maths "
                     "KaTeX strict can typeset (’ ′ -> ', − -> -, full-width -> ASCII), after "
                     "checking that the maths reads the same (atomically; never the post "
                     "itself; one FILE).", show_default=False),
    ] = None,
    latex: Annotated[
        bool, typer.Option("--latex", help="Read the input as LaTeX (the default for .tex "
                           "files and for stdin holding \\documentclass).")
    ] = False,
    seed: Annotated[int, typer.Option(metavar="N", min=0, help="Seed of the random points of "
                                      "numeric checks.")] = 0,
    strict_render: Annotated[
        bool, typer.Option("--strict-render", help="Exit 1 also when the maths holds characters "
                           "KaTeX strict (Hugo's transform.ToMath) cannot typeset.")
    ] = False,
    allow_no_maths: Annotated[
        bool, typer.Option("--allow-no-maths", help="A FILE without maths passes (always so "
                           "for folders and several files).")
    ] = False,
    shape: Annotated[
        list[str] | None,
        typer.Option("--shape", metavar="NAME=ROWS,COLS", help="The shape of a matrix of a "
                     "vectorized post, e.g. 'W^{[1]}=n_h,n_x' or W1=n_h,n_x (added to the "
                     "post's own declarations; one FILE).", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check every chain of equalities in posts; exit 1 if a step is wrong or unchecked."""
    one = len(posts) == 1 and (posts[0] == "-" or not os.path.isdir(posts[0]))
    if not one:
        for option, value in (("--annotate", annotate), ("--fix", fix),
                              ("--shape", shape or None)):
            if value is not None:
                given = "a folder" if len(posts) == 1 else f"{len(posts)} paths"
                raise InputError(f"{option} writes the copy of one post: give one FILE "
                                 f"(got {given})")
        _check_several(posts, seed=seed, latex=True if latex else None, as_json=as_json,
                       strict_render=strict_render)
        return
    _check_one(posts[0], annotate=annotate, fix=fix, latex=latex, seed=seed, as_json=as_json,
               strict_render=strict_render, allow_no_maths=allow_no_maths, shapes=shape or [])


def _check_several(posts: list[str], *, seed: int, latex: bool | None, as_json: bool,
                   strict_render: bool) -> None:
    from probkit.symbolic.lint import check_paths

    site = check_paths(posts, seed=seed, latex=latex)
    if as_json:
        emit_json(site.to_dict())
    else:
        for line in site.lines(errors=False):
            echo(line)
    for error in site.errors:
        note(f"error: {error.message}")
    code = site.exit_code
    if code == 0 and strict_render and not site.renders:
        code = 1
    if code:
        raise typer.Exit(code)


def _check_one(post: str, *, annotate: Path | None, fix: Path | None, latex: bool, seed: int,
               as_json: bool, strict_render: bool, allow_no_maths: bool,
               shapes: list[str]) -> None:
    from probkit.symbolic.lint import posts as reading
    from probkit.symbolic.lint.site import check_post, has_maths

    if annotate is not None:
        annotate = _checked_output(annotate, post, "--annotate")
    if fix is not None:
        fix = _checked_output(fix, post, "--fix")
    if annotate is not None and fix is not None and _same_path(annotate, str(fix)):
        raise InputError(f"--annotate and --fix name the same file {fix}; give two files")
    if post == "-":
        source = "<stdin>"
        text = reading.read_stream(sys.stdin.buffer, source)
    else:
        source = post
        text = reading.read_post(post)
    is_latex = latex or reading.is_latex_source(text, source)
    no_maths = allow_no_maths and not has_maths(text, latex=is_latex)  # passes as it is
    if fix is not None and not no_maths:
        from probkit.symbolic.lint.fix import fix_post

        fixed = fix_post(text, source=source, latex=is_latex, seed=seed)
        report = fixed.before
    elif no_maths:
        report = check_post(text, source=source, latex=is_latex, seed=seed)
    else:
        from probkit.symbolic.lint.check import check_text  # imports SymPy

        report = check_text(text, source=source, seed=seed, latex=is_latex, shapes=shapes)
    if annotate is not None:
        from probkit._atomic import write_text_atomic
        from probkit.symbolic.lint.annotate import annotated

        write_text_atomic(annotate, annotated(text, report, latex=is_latex),
                          label="--annotate: cannot write")
        note(f"wrote {annotate}")
    if fix is not None:
        from probkit._atomic import write_text_atomic

        write_text_atomic(fix, text if no_maths else fixed.text, label="--fix: cannot write")
        note(f"wrote {fix}: " + ("no maths, nothing to replace" if no_maths
                                 else fixed.summary()))
    if as_json:
        emit_json(report.to_dict())
    else:
        for line in report.lines():
            echo(line)
    if not report.passed or (strict_render and not report.renders):
        raise typer.Exit(1)


def _checked_output(out: Path, post: str, option: str) -> Path:
    """The file to write for ``out`` (a symbolic link's target); refused, before any work, if
    it is the post, not a regular file, or cannot be written."""
    if str(out) in ("", "."):
        raise InputError(f"{option}: an empty file name; name the file to write")
    if post != "-" and _same_path(out, post):
        raise InputError(f"{option} {out} is the post itself; give another file "
                         "(the post is never overwritten)")
    from probkit._atomic import check_writable, output_target

    # the shared writer's rules: a directory, device, FIFO or socket (also behind a link) is
    # refused by what it is; a link is written through, to the file it points to
    target = output_target(out, label=f"{option}: cannot write")
    check_writable(target, label=f"{option}: cannot write")
    return target


def _same_path(out: Path, post: str) -> bool:
    try:
        return os.path.samefile(out, post)
    except OSError:
        return Path(os.path.abspath(out)) == Path(os.path.abspath(post))


__all__ = ["check"]
