"""The Bayes table as rows of text, and as HTML for notebooks (standard library only).

One definition of the table of named hypotheses: the CLI prints these rows
with its text-table renderer, and :meth:`probkit.bayes.Posterior._repr_html_`
shows the same rows in a notebook.

>>> from probkit.bayes import posterior
>>> headers, rows, _ = posterior_table(posterior({"A": "1/2", "B": "1/2"},
...                                              {"A": "1/10", "B": "8/10"}))
>>> rows[1]
['B', '1/2', '4/5', '2/5', '8/9', '0.888889']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from probkit.numbers import format_decimal, format_exact

if TYPE_CHECKING:
    from probkit.bayes.exact import Posterior


def posterior_table(result: Posterior) -> tuple[list[str], list[list[str]], list[bool]]:
    """Headers, rows and right-alignment of the table of named hypotheses."""
    shown = format_exact if result.exact else format_decimal
    rows = [
        [h.name, shown(h.prior), shown(h.likelihood), shown(h.joint), shown(h.posterior),
         format_decimal(h.posterior)]
        for h in result.hypotheses
    ]
    headers = ["hypothesis", "prior", "likelihood", "joint", "posterior", "≈"]
    return headers, rows, [False, True, True, True, True, True]


def html_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain HTML table (every cell escaped)."""
    import html  # only notebooks need it; the CLI's start-up does not pay for it

    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def posterior_html(result: Posterior) -> str:
    """The table and the evidence, as a notebook shows a :class:`~probkit.bayes.Posterior`."""
    import html

    headers, rows, _ = posterior_table(result)
    evidence = format_exact(result.evidence) if result.exact else format_decimal(
        result.evidence)
    arithmetic = "exact (rational)" if result.exact else "floating point"
    return (f"{html_table(headers, rows)}<p>evidence P(E) = {html.escape(evidence)}</p>"
            f"<p>arithmetic: {arithmetic}</p>")


__all__ = ["html_table", "posterior_html", "posterior_table"]
