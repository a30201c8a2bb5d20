"""The Bayes tables as a notebook shows them: the rows of ``probkit bayes/urn/diagnostic``.

Standard library only. :class:`~probkit.bayes.exact.Posterior` and
:class:`~probkit.bayes.montecarlo.MonteCarloResult` display themselves through
:func:`posterior_html` and :func:`monte_carlo_html` (their ``_repr_html_``);
the cells are those of the command line's table: exact values (or decimals
in float arithmetic), the ≈ column, the evidence and Bayes factor lines, the
belief after each observation, and the Monte Carlo columns.

>>> from probkit.bayes import posterior
>>> headers, rows, _ = posterior_table(posterior({"A": "1/2", "B": "1/2"},
...                                              {"A": "1/10", "B": "8/10"}))
>>> headers[-2:], rows[1]
(['posterior', '≈'], ['B', '1/2', '4/5', '2/5', '8/9', '0.888889'])
"""

from __future__ import annotations

import math
from typing import Any

from probkit.display import html_block, html_lines, html_table
from probkit.numbers import format_decimal, format_exact

# Typed loosely on purpose: the result classes call into this module, not the reverse.
Posterior = Any
MonteCarloResult = Any
NumericMonteCarlo = Any


def value_text(value: Any, exact: bool) -> str:
    """``8/9 ≈ 0.888889`` (exact), ``≈ 2.000e-400`` (exact but too long), or a decimal."""
    if value is None:
        return "undefined (that result never occurs)"
    if exact:
        text = format_exact(value)
        if len(text) > TABLE_EXACT_WIDTH:  # the JSON output keeps the digits
            return f"≈ {format_decimal(value)}"
        return f"{text} ≈ {format_decimal(value)}"
    return format_decimal(value)


TABLE_EXACT_WIDTH = 40
"""Exact numbers wider than this are shown in tables as ``≈`` and a decimal (a 1e-400
likelihood would make an 800-character column); JSON keeps every digit."""


def table_cell(value: Any, exact: bool, width: int = TABLE_EXACT_WIDTH) -> str:
    """A number in a table: exact when it is short enough, else ``≈`` and its decimal.

    >>> from fractions import Fraction
    >>> table_cell(Fraction(8, 9), True), table_cell(Fraction(1, 10**400), True)
    ('8/9', '≈1.000e-400')
    """
    if not exact:
        return format_decimal(value)
    text = format_exact(value)
    return text if len(text) <= width else f"≈{format_decimal(value)}"


def posterior_table(result: Posterior) -> tuple[list[str], list[list[str]], list[bool]]:
    """Headers, cells and right-alignment of the Bayes table."""
    exact = result.exact

    def shown(value: Any) -> str:
        return table_cell(value, exact)

    rows = [[h.name, shown(h.prior), shown(h.likelihood), shown(h.joint), shown(h.posterior),
             format_decimal(h.posterior)] for h in result.hypotheses]
    return (["hypothesis", "prior", "likelihood", "joint", "posterior", "≈"], rows,
            [False, True, True, True, True, True])


def posterior_lines(result: Posterior) -> list[str]:
    """The lines under the table: the evidence and (two hypotheses) the Bayes factor."""
    lines = [f"evidence P(E) = {value_text(result.evidence, result.exact)}"]
    if len(result.hypotheses) == 2:
        first, second = result.names
        if result[second].likelihood != 0:
            factor = result.bayes_factor(first, second)
            lines.append(f"Bayes factor {first}:{second} = {value_text(factor, result.exact)}")
    return lines


def trace_table(result: Posterior) -> tuple[list[str], list[list[str]], list[bool]]:
    """The belief after each observation (meaningful with more than one observation)."""
    shown = format_exact if result.exact else format_decimal
    rows = [[str(i + 1), step.observation, shown(step.evidence),
             *(shown(p) for p in step.posteriors)] for i, step in enumerate(result.trace)]
    return (["#", "observation", "P(obs | before)", *result.names], rows,
            [True, False, True, *([True] * len(result.names))])


def se_digits(stderr: float) -> int:
    """Decimals that show a standard error to two significant digits (4 to 12).

    >>> se_digits(0.00047), se_digits(1.3e-5), se_digits(0.0)
    (5, 6, 4)
    """
    if stderr <= 0 or not math.isfinite(stderr):
        return 4
    return min(12, max(4, 1 - math.floor(math.log10(stderr))))


def z_text(value: float | None) -> str:
    """A z-score as the tables show it: signed, two decimals; ``disagrees`` when infinite."""
    if value is None:
        return "-"
    if math.isinf(value):
        return "disagrees"
    return f"{value:+.2f}"


def monte_carlo_columns(result: MonteCarloResult, *, reference: str = "exact"
                        ) -> tuple[list[str], list[list[str]]]:
    """The Monte Carlo columns (estimate ± SE, interval, z against the engine's answer:
    ``reference`` says what it is, "exact" or "float"), one row each."""
    headers = ["MC estimate ± SE", f"{result.confidence:.0%} interval", f"z vs {reference}"]
    rows = []
    for h in result.hypotheses:
        if 0 < h.stderr < 1e-10:  # too small for fixed decimals: 2 significant digits
            rows.append([f"{h.estimate:.3g} ± {h.stderr:.2g}",
                         f"[{h.ci_low:.3g}, {h.ci_high:.3g}]", z_text(h.z)])
            continue
        d = se_digits(h.stderr)
        rows.append([f"{h.estimate:.{d}f} ± {h.stderr:.{d}f}",
                     f"[{h.ci_low:.{d}f}, {h.ci_high:.{d}f}]", z_text(h.z)])
    return headers, rows


def monte_carlo_line(result: MonteCarloResult | NumericMonteCarlo, *,
                     reference: str = "exact") -> str:
    """One line saying how the estimates were made (``reference``: what the z-scores are
    measured against, the "exact" answer or the "float" one of ``--float``)."""
    if result.method == "rejection":
        how = f"{result.accepted:,} accepted"
    else:
        how = f"proposal {result.proposal}, effective sample size {result.ess:,.0f}"
    return (f"Monte Carlo: {result.method} sampling, {result.draws:,} draws ({how}), "
            f"seed {result.seed}; z = (estimate - {reference}) / SE at the {reference} value")


def posterior_html(result: Posterior) -> str:
    """The Bayes table, the evidence lines and the trace, as HTML."""
    headers, rows, right = posterior_table(result)
    parts = [html_table(headers, rows), html_lines(posterior_lines(result))]
    if len(result.trace) > 1:
        t_headers, t_rows, t_right = trace_table(result)
        parts.append(html_table(t_headers, t_rows,
                                caption="belief after each observation"))
    arithmetic = "exact (rational)" if result.exact else "floating point"
    parts.append(html_lines([f"arithmetic: {arithmetic}"]))
    return html_block("posterior", *parts)


def monte_carlo_html(result: MonteCarloResult) -> str:
    """The Monte Carlo estimates per hypothesis and how they were made, as HTML."""
    headers, rows = monte_carlo_columns(result)
    table = html_table(["hypothesis", *headers], [[h.name, *row] for h, row in
                                                  zip(result.hypotheses, rows, strict=True)])
    return html_block("Monte Carlo estimate", table, html_lines([monte_carlo_line(result)]))


__all__ = ["html_table", "monte_carlo_columns", "monte_carlo_html", "monte_carlo_line",
           "posterior_html", "posterior_lines", "posterior_table", "se_digits", "trace_table",
           "z_text"]
