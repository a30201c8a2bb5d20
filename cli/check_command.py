"""``probkit check FILE|-``: check the mathematics of a post line by line, like a linter.

Only the standard library and typer are imported at module level; SymPy and
its LaTeX parser are imported when the post is checked.
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
    post: Annotated[
        str,
        typer.Argument(help="The post: a Markdown (Hugo) file, a .tex file, or - for stdin.",
                       metavar="FILE",
                       show_default=False),
    ],
    annotate: Annotated[
        str | None,
        typer.Option("--annotate", metavar="OUT.md", help="Write a copy of the post with a mark "
                     "after each checked line (atomically; never the post itself).",
                     show_default=False),
    ] = None,
    latex: Annotated[
        bool, typer.Option("--latex", help="Read the input as LaTeX (the default for .tex "
                           "files and for stdin holding \\documentclass).")
    ] = False,
    seed: Annotated[int, typer.Option(metavar="N", min=0, help="Seed of the random points of "
                                      "numeric checks.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check every chain of equalities in a post; exit 1 if a step is wrong or unchecked."""
    from probkit.symbolic.lint import check as lint

    if annotate is not None:
        if post != "-" and _same_file(annotate, post):
            raise InputError(f"--annotate {annotate} is the post itself; give another file "
                             "(the post is never overwritten)")
        from probkit._atomic import check_writable

        check_writable(annotate, label="--annotate: cannot write")  # before the work, not after
    if post == "-":
        source = "<stdin>"
        text = lint.decode_post(sys.stdin.buffer.read(lint.MAX_BYTES + 1), source)
    else:
        source = post
        text = lint.read_post(post)
    report = lint.check_text(text, source=source, seed=seed,
                             latex=True if latex else None)
    if annotate is not None:
        from probkit._atomic import write_text_atomic
        from probkit.symbolic.lint.annotate import annotated

        is_latex = latex or lint.is_latex_source(text, source)
        write_text_atomic(annotate, annotated(text, report, latex=is_latex),
                          label="--annotate: cannot write")
        note(f"wrote {annotate}")
    if as_json:
        emit_json(report.to_dict())
    else:
        for line in report.lines():
            echo(line)
    if not report.passed:
        raise typer.Exit(1)


def _same_file(out: str, post: str) -> bool:
    try:
        return os.path.samefile(out, post)
    except OSError:
        return Path(os.path.abspath(out)) == Path(os.path.abspath(post))


__all__ = ["check"]
