"""``probkit derive``: print a derivation whose every step was checked by machine.

Only the standard library and typer are imported at module level: SymPy is
imported when a derivation is built, numpy only for ``--gradcheck``.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from probkit.errors import ComputationError, InputError
from probkit_cli.common import echo, emit_json, note, table

FORMAT_HELP = "Output format: text (the default), latex, markdown or json."


def derive(
    name: Annotated[
        str | None,
        typer.Argument(
            help="Derivation: sigmoid, cross-entropy, vectorized, l2, two-layer, base-rate, "
            "or all.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", metavar="FORMAT", help=FORMAT_HELP,
                                 show_default=False)
    ] = None,
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", metavar="FILE",
                     help="Write to this file (atomically) instead of stdout."),
    ] = None,
    list_all: Annotated[
        bool, typer.Option("--list", help="List the derivations and exit.")
    ] = False,
    gradcheck: Annotated[
        bool,
        typer.Option(
            "--gradcheck",
            help="Also check the classifier's numpy backpropagation against finite "
            "differences and the symbolic gradient.",
        ),
    ] = False,
    seed: Annotated[int, typer.Option(min=0, metavar="N",
                                      help="Seed of the random data for --gradcheck and of "
                                      "the random sizes and values of --chain with --shape.")
                     ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    expr: Annotated[
        str | None,
        typer.Option("--expr", metavar="EXPRESSION",
                     help="Differentiate your own expression, in SymPy syntax, e.g. "
                     "'1/(1+exp(-a*x))'.", show_default=False),
    ] = None,
    chain: Annotated[
        list[str] | None,
        typer.Option("--chain", metavar="NAME=EXPRESSION",
                     help="One definition 'name = expression' of your computation "
                     "(repeat, in any order); derives by the chain rule.", show_default=False),
    ] = None,
    shape: Annotated[
        list[str] | None,
        typer.Option("--shape", metavar="NAME=ROWS,COLS",
                     help="With --chain: the shape of an input matrix (symbols such as n_h,m or "
                     "numbers; repeatable); the chain is then vectorized (@, .T, sum(E, axis=1)).",
                     show_default=False),
    ] = None,
    wrt: Annotated[
        list[str] | None,
        typer.Option("--wrt", metavar="SYMBOL",
                     help="Differentiate with respect to this symbol (repeatable; "
                     "default: the only one).", show_default=False),
    ] = None,
    assume: Annotated[
        list[str] | None,
        typer.Option("--assume", metavar="ASSUMPTION",
                     help="An assumption: positive, real (every symbol), 'a>0', "
                     "'a positive' (repeatable).", show_default=False),
    ] = None,
    markdown_flavor: Annotated[
        str | None,
        typer.Option(
            "--markdown-flavor",
            metavar="passthrough|escaped",
            help="With --format markdown: passthrough (the default; Hugo 0.122+ with Goldmark's "
            "passthrough extension) or escaped (any Hugo; maths typeset in the browser).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Derive, check every step, and print: the maths behind the classifier, or your own.

    With --expr, your own expression; with --chain, your own computation, by the chain rule.
    """
    from probkit.symbolic import catalogue, registry

    if list_all:
        entries = [catalogue.describe(n) for n in catalogue.names()]
        if as_json:
            emit_json({"derivations": [
                {"name": e.name, "title": e.title, "summary": e.summary} for e in entries
            ]})
        else:
            echo(table(["name", "title"], [[e.name, e.title] for e in entries],
                       right=[False, False]))
        return
    own = expr is not None or bool(chain)
    if own and name is not None:
        raise InputError(f"give either a derivation name ({name!r}) or --expr/--chain, not both")
    if expr is not None and chain:
        raise InputError("give either --expr or --chain, not both")
    if not own and (wrt or assume):
        raise InputError("--wrt and --assume go with --expr or --chain")
    if shape and not chain:
        raise InputError("--shape goes with --chain (the shapes of the chain's matrices)")
    if shape and assume:
        raise InputError("--assume applies to scalar chains; a chain with --shape is numeric "
                         "in its checks")
    if own and gradcheck:
        raise InputError("--gradcheck checks the built-in classifier; it does not go with "
                         "--expr or --chain")
    if name is None and not own:
        raise InputError("give a derivation name (see probkit derive --list), --expr or --chain")
    fmt = (output_format or "text").strip().lower()
    if as_json:
        if output_format is not None and fmt != "json":
            raise InputError(f"--json asks for JSON but --format asks for {output_format!r}; "
                             "give one of them")
        fmt = "json"
    from probkit.symbolic.render import FORMATS, MARKDOWN_FLAVORS

    if fmt not in FORMATS:
        raise InputError(
            f"--format: unknown format {output_format!r}; choose one of: {', '.join(FORMATS)}"
        )
    flavor = (markdown_flavor or "passthrough").strip().lower()
    if markdown_flavor is not None and fmt != "markdown":
        raise InputError(f"--markdown-flavor applies to --format markdown, not {fmt!r}")
    if flavor not in MARKDOWN_FLAVORS:
        raise InputError(f"--markdown-flavor: unknown flavour {markdown_flavor!r}; "
                         f"choose one of: {', '.join(MARKDOWN_FLAVORS)}")
    if out is not None:  # before the work, not after it
        from probkit._atomic import check_writable

        check_writable(out, label="--out: cannot write")
    if expr is not None:
        from probkit.symbolic import derive_expression

        derivations = [derive_expression(expr, wrt=wrt or [], assume=assume or [])]
    elif chain and shape:
        from probkit.symbolic import derive_matrix_chain

        derivations = [derive_matrix_chain(chain, wrt=wrt or [], shapes=shape, seed=seed)]
    elif chain:
        from probkit.symbolic import derive_chain

        derivations = [derive_chain(chain, wrt=wrt or [], assume=assume or [])]
    else:
        assert name is not None
        chosen = catalogue.names() if name == "all" else (catalogue.describe(name).name,)
        derivations = [registry.build(n) for n in chosen]
    from probkit.symbolic.render import render

    text = render(derivations, fmt, markdown_flavor=flavor)
    reports: list[Any] = []
    if gradcheck:
        from probkit.gradient_check.model_check import standard_checks

        reports = standard_checks(seed=seed)
        if fmt == "json":
            payload = json.loads(text)
            payload["gradcheck"] = [report.to_dict() for report in reports]
            text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        elif fmt == "text":
            text += "\n" + _gradcheck_table(reports) + "\n"
        else:
            note(_gradcheck_table(reports))

    if out is not None:
        from probkit._atomic import write_text_atomic

        write_text_atomic(out, text, label="--out: cannot write")
        from probkit.symbolic.render_shared import check_counts

        counts = check_counts(derivations)
        note(f"wrote {out} ({fmt}; {counts.sentence()})")
        if as_json:
            emit_json({"out": str(out), "format": fmt, "verified": counts.passed == counts.total})
    else:
        sys.stdout.write(text)

    failed = [(d.name, s) for d in derivations for s in d.failures]
    if failed:
        where = ", ".join(f"{n}: {s.rule}" for n, s in failed)
        raise ComputationError(f"{len(failed)} step(s) failed their check ({where})")
    bad = [r for r in reports if not r.passed]
    if bad:
        raise ComputationError(
            "gradient check failed for " + ", ".join(r.label for r in bad)
        )


def _gradcheck_table(reports: list[Any]) -> str:
    rows = [
        [
            "✓" if r.passed else "✗",
            r.label,
            f"{r.finite_difference:.2e}",
            f"{r.symbolic:.2e}",
            f"{r.tolerance:.0e}",
        ]
        for r in reports
    ]
    headers = ["", "model", "vs finite diff.", "vs symbolic", "tolerance"]
    return "Gradient check of the numpy backpropagation:\n" + table(
        headers, rows, right=[False, False, True, True, True]
    )
