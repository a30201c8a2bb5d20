"""``probkit data check``: shapes, class balance, constant images and copies in the data files.

Thin: parse the options, call :func:`probkit.classifier.data.audit.audit_files`, render.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from probkit_cli.common import echo, emit_json, table


def check(
    train: Annotated[Path, typer.Option("--train", metavar="FILE",
                                        help="Training data (HDF5, published layout).")],
    test: Annotated[Path | None, typer.Option("--test", metavar="FILE",
                                              help="Test data, audited with the training data.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Audit the data files: image shapes, class balance of each split, constant images, and
    exact, near and mirror copies within and across the splits (a test image that copies a
    training image flatters the test score)."""
    from probkit.classifier.data.audit import NEAR_COPY_CORRELATION, audit_files

    report = audit_files(train, test)
    if as_json:
        emit_json(report.to_dict())
        return
    headers, rows = report.summary_rows()
    echo(table(headers, rows, right=[False, True, False, *([True] * (len(headers) - 3))]))
    echo()
    lines = report.copy_lines()
    echo(f"copies (exact, near: thumbnail correlation >= {NEAR_COPY_CORRELATION}, or mirror): "
         f"{len(lines) or 'none'}")
    for line in lines:
        echo(f"  {line}")
    for s in report.splits:
        if s.constant_images:
            echo(f"constant images in {s.split}: " + ", ".join(f"#{i}" for i in s.constant_images))
    for text in report.notes:
        echo(f"note: {text}")
