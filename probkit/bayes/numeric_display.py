"""How a numeric posterior shows itself: the CLI's table and summary lines, JSON, text, HTML.

Every form has the same content: the most probable rows of the table (all of them up to
:data:`FULL_TABLE`), the summary of each unknown, events and predictions, and the summarized
trace. Exact numbers print exactly where short and as decimals otherwise
(:mod:`~probkit.bayes.numeric_text`). Standard library only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from probkit.bayes.display import table_cell
from probkit.bayes.exact import Posterior
from probkit.bayes.grid_problem import GridProblem
from probkit.bayes.numeric_summary import NumericSummary, StepSummary
from probkit.bayes.numeric_text import (
    SHORT_DIGITS,
    decimal_text,
    interval_text,
    percent_text,
    value_text,
)
from probkit.bayes.summaries import exact_text, number_json
from probkit.bayes.values import format_value
from probkit.display import html_table
from probkit.numbers import Number, format_decimal

TOP_ROWS = 10
"""Rows a table shows when there are more than :data:`FULL_TABLE` hypotheses."""

FULL_TABLE = 20
"""Up to this many hypotheses, a table shows every row."""

Table = tuple[list[str], list[list[str]], list[bool]]
"""Headers, rows and which columns align right."""


def value_table(problem: GridProblem, posterior: Posterior, exact: bool, *,
                all_rows: bool = False) -> Table:
    """The table of values: each cell's values, prior, likelihood and posterior (the most
    probable :data:`TOP_ROWS` when there are more than :data:`FULL_TABLE`, unless
    ``all_rows``)."""
    hypotheses = posterior.hypotheses
    order = list(range(len(hypotheses)))
    if not all_rows and len(order) > FULL_TABLE:
        probs = [h.posterior for h in hypotheses]
        order = sorted(order, key=lambda i: (-probs[i], i))[:TOP_ROWS]
    grid = problem.cells()
    rows = []
    for i in order:
        h = hypotheses[i]
        rows.append([*(format_value(v) for v in grid[i]), _cell(h.prior, exact),
                     _cell(h.likelihood, exact), _cell(h.posterior, exact),
                     format_decimal(h.posterior)])
    headers = [*problem.names, "prior", "likelihood", "posterior", "≈"]
    return headers, rows, [True] * len(headers)


def hidden_rows(total: int, *, all_rows: bool = False) -> int:
    """How many of ``total`` rows :func:`value_table` leaves out."""
    return 0 if all_rows or total <= FULL_TABLE else total - TOP_ROWS


def _cell(value: Number, exact: bool) -> str:
    return table_cell(value, exact, SHORT_DIGITS)


def summary_lines(problem: GridProblem, s: NumericSummary, evidence: Number,
                  exact: bool) -> list[str]:
    """The summary as lines of text (the CLI prints them under the table)."""
    percent = percent_text(s.level)
    lines = []
    for name, summary in s.unknowns:
        prefix = "" if len(s.unknowns) == 1 else "marginal "
        lines += [
            f"{prefix}posterior mean {name} {value_text(summary.mean, exact)}",
            f"{prefix}posterior sd {name} ≈ {decimal_text(summary.sd)}",
            f"{prefix}median {name} = {format_value(summary.median)}",
            f"{prefix}MAP {name} = {format_value(summary.map)}"
            + (f" (tied with {len(summary.modes) - 1} more)" if len(summary.modes) > 1
               else ""),
            f"{percent} credible interval {name} (equal-tailed) = "
            f"{interval_text(summary.credible_interval.segments)}, holds "
            f"{decimal_text(summary.credible_interval.mass)}",
            f"{percent} highest-density interval {name} = "
            f"{interval_text(summary.hdi.segments)}, holds {decimal_text(summary.hdi.mass)}",
        ]
    if len(s.unknowns) > 1:
        cell = ", ".join(f"{n}={format_value(v)}" for n, v in
                         zip(problem.names, s.map, strict=True))
        lines.append(f"joint MAP = {cell}")
    for text, p in s.events:
        lines.append(f"P({text}) {value_text(p, exact)}")
    if problem.family.formula is not None or problem.data_of:
        pass  # a formula says how probable x is, not what x can be; separate data: no x
    elif s.predictive_mean is None:
        lines.append("predictive mean of the next observation = infinite")
    else:
        lines.append(f"predictive mean of the next observation "
                     f"{value_text(s.predictive_mean, exact)}")
    for text, p in s.predictive:
        lines.append(f"P(next observation = {text} | data) {value_text(p, exact)}")
    density = " (a density)" if problem.family.density else ""
    lines.append(f"evidence P(E){density} {value_text(evidence, exact)}")
    return lines


def steps_table(problem: GridProblem, steps: Sequence[StepSummary]) -> Table:
    """The summarized trace as a table (one row per observation)."""
    percent = percent_text(problem.credible)
    headers = ["#", "observation", "P(obs | before)", *(f"mean {n}" for n in problem.names),
               "MAP"]
    single = len(problem.unknowns) == 1
    if single:
        headers.append(f"{percent} interval")
    rows = []
    for i, step in enumerate(steps):
        row = [str(i + 1), step.observation, decimal_text(step.evidence),
               *(decimal_text(m) for m in step.means), step.map]
        if single and step.low is not None and step.high is not None:
            row.append(interval_text(((step.low, step.high),)))
        rows.append(row)
    return headers, rows, [True, False, *([True] * (len(headers) - 2))]


def describe(problem: GridProblem) -> str:
    """One line saying what was computed."""
    parts = [f"{u.name} in {u.spec} ({len(u.values):,} values, prior {u.prior})"
             for u in problem.unknowns]
    return (f"{'; '.join(parts)}; family {problem.family}; "
            f"{len(problem.data):,} observation{'s' if len(problem.data) != 1 else ''}")


def numeric_json(problem: GridProblem, posterior: Posterior, summary: NumericSummary,
                 steps: Sequence[StepSummary], evidence: Number, *,
                 log_scaled: bool) -> dict[str, Any]:
    """The JSON object of a numeric posterior (schema in docs/bayes.md)."""
    exact = posterior.exact
    shown = exact_text if exact else float
    grid = problem.cells()
    hypotheses = [
        {"name": h.name,
         "values": {u.name: number_json(v, True) for u, v in
                    zip(problem.unknowns, cell, strict=True)},
         "prior": shown(h.prior), "likelihood": shown(h.likelihood),
         "joint": shown(h.joint), "posterior": shown(h.posterior),
         "posterior_float": float(h.posterior),
         "posterior_decimal": format_decimal(h.posterior)}
        for h, cell in zip(posterior.hypotheses, grid, strict=True)
    ]
    trace = [
        {"observation": s.observation, "evidence": number_json(s.evidence, False),
         "means": dict(zip(problem.names, s.means, strict=True)), "map": s.map,
         "credible_interval": None if s.low is None or s.high is None else
         {"low": number_json(s.low, True), "high": number_json(s.high, True)}}
        for s in steps
    ]
    return {
        "model": "numeric",
        "family": str(problem.family),
        "unknowns": [{"name": u.name, "values": u.spec, "count": len(u.values),
                      "prior": u.prior} for u in problem.unknowns],
        "arithmetic": "exact" if exact else "float",
        "evidence": shown(evidence) if not log_scaled else float(evidence),
        "evidence_float": number_json(evidence, False)["float"],  # type: ignore[index]
        "evidence_decimal": format_decimal(evidence),
        "observations": list(posterior.observations),
        "hypotheses": hypotheses,
        "trace": trace,
        "summary": summary.to_dict(),
    }


def numeric_text_block(description: str, lines: Sequence[str], exact: bool) -> str:
    """A few lines: what was asked, the summary and the arithmetic (never the whole table)."""
    arithmetic = "exact (rational)" if exact else "floating point"
    return "\n".join([f"NumericPosterior: {description}", *(f"  {line}" for line in lines),
                      f"  arithmetic: {arithmetic}"])


def numeric_html(description: str, table: Table, hidden: int, lines: Sequence[str],
                 exact: bool) -> str:
    """The table and the summary as HTML (a notebook shows it; the CLI's content)."""
    headers, rows, _ = table
    more = (f"<p>… {hidden:,} more rows (the {len(rows)} most probable are shown)</p>"
            if hidden else "")
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    arithmetic = "exact (rational)" if exact else "floating point"
    return (f"<p>{html.escape(description)}</p>{html_table(headers, rows)}"
            f"{more}<ul>{items}</ul>"
            f"<p>arithmetic: {arithmetic}</p>")


__all__ = [
    "FULL_TABLE",
    "TOP_ROWS",
    "Table",
    "describe",
    "hidden_rows",
    "numeric_html",
    "numeric_json",
    "numeric_text_block",
    "steps_table",
    "summary_lines",
    "value_table",
]
