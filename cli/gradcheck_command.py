"""``probkit gradcheck FILE.py``: a learner's own gradients against central differences.

Only the standard library and typer are imported at module level; the check
(numpy, a subprocess running the learner's file) is one library call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from probkit.errors import ComputationError
from probkit_cli.common import emit_json, note


def gradcheck(
    path: Annotated[
        Path,
        typer.Argument(help="The learner's .py file: cost and gradients (params, X, Y), or the "
                       "course's forward_propagation, compute_cost and backward_propagation.",
                       metavar="FILE.py", show_default=False),
    ],
    cost: Annotated[
        str | None, typer.Option("--cost", metavar="NAME", help="The cost function's name "
                                 "(default: cost).", show_default=False),
    ] = None,
    gradients: Annotated[
        str | None, typer.Option("--gradients", metavar="NAME", help="The gradient function's "
                                 "name (default: gradients).", show_default=False),
    ] = None,
    shape: Annotated[
        list[str] | None,
        typer.Option("--shape", metavar="NAME=SIZE", help="A size (n_x=3, n_h=4, n_y=1, m=5: "
                     "the defaults) or a parameter's shape (W1=4,3); repeatable.",
                     show_default=False),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", metavar="FILE.h5", help="Take m examples (a seeded choice) of "
                     "this cat-vs-non-cat file as the inputs.", show_default=False),
    ] = None,
    l2: Annotated[
        float | None,
        typer.Option("--l2", metavar="LAMBDA", help="λ for functions that take lambd "
                     "(default 0.7 when they do).", show_default=False),
    ] = None,
    seed: Annotated[int, typer.Option(metavar="N", min=0, help="Seed of the random data and "
                                      "parameters.")] = 0,
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SECONDS",
                                              help="Stop the learner's code after this long.")
                          ] = 60.0,
    memory_limit: Annotated[int, typer.Option("--memory-limit", metavar="MB",
                                              help="Address space of the learner's code.")
                            ] = 2048,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the gradients of your own numpy code against central differences of your cost.

    Your file runs in a subprocess with a time and a memory limit; nothing of yours is written.
    Each parameter gets its relative error, ok or wrong, and for a wrong one the likely slip.
    Exit 0: all right; 1: a wrong gradient (or your code failed); 2: bad input.
    """
    from probkit.gradient_check.learner import gradcheck_file
    from probkit.gradient_check.sandbox import LearnerCodeError

    try:
        report = gradcheck_file(path, cost=cost, gradients=gradients, shape=shape or (),
                                data=data, l2=l2, seed=seed, time_limit=time_limit,
                                memory_limit=memory_limit)
    except LearnerCodeError as exc:
        if exc.traceback:
            note("Traceback (the lines of your file):")
            for line in exc.traceback:
                note(line)
        raise
    if as_json:
        emit_json(report.to_dict())
    else:
        typer.echo(report.to_text(), nl=False)
    if not report.passed:
        raise ComputationError("wrong gradient(s): " + ", ".join(p.name for p in report.failed))
