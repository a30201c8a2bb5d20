"""Rich display in notebooks: results as small HTML tables (standard library only).

Jupyter shows an object through its ``_repr_html_``; probkit's results delegate
to the functions here, so the table a notebook shows has the same rows and
cells as the table the command line prints.

>>> print(html_table(["hypothesis", "posterior"], [["A", "1/9"], ["B", "8/9"]],
...                  right=[False, True]))  # doctest: +NORMALIZE_WHITESPACE
<table><thead><tr><th style="text-align:left">hypothesis</th><th style="text-align:right">posterior</th></tr></thead><tbody><tr><td style="text-align:left">A</td><td style="text-align:right">1/9</td></tr><tr><td style="text-align:left">B</td><td style="text-align:right">8/9</td></tr></tbody></table>
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any


def _align(right: bool) -> str:
    return ' style="text-align:right"' if right else ' style="text-align:left"'


def html_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               right: Sequence[bool] | None = None, caption: str | None = None) -> str:
    """An HTML table; every cell is escaped (text from users stays text)."""
    flags = list(right) if right is not None else [False] * len(headers)
    head = "".join(f"<th{_align(r)}>{escape(str(h))}</th>" for h, r in
                   zip(headers, flags, strict=True))
    body = "".join("<tr>" + "".join(f"<td{_align(r)}>{escape(str(c))}</td>" for c, r in
                                    zip(row, flags, strict=True)) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_lines(lines: Iterable[str]) -> str:
    """Lines of text as HTML paragraphs (escaped)."""
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


def html_block(title: str, *parts: str) -> str:
    """A titled block of already-rendered HTML parts."""
    return f"<div><strong>{escape(title)}</strong>{''.join(parts)}</div>"


def exact_and_decimal(value: Any, digits: int = 4) -> str:
    """An exact number, followed by its decimal unless it is an integer.

    >>> from fractions import Fraction
    >>> exact_and_decimal(Fraction(10, 11)), exact_and_decimal(Fraction(1))
    ('10/11 ≈ 0.9091', '1')
    """
    from fractions import Fraction

    from probkit.numbers import format_decimal, format_exact

    text = format_exact(value)
    if isinstance(value, Fraction) and value.denominator == 1:
        return text
    return f"{text} ≈ {format_decimal(value, digits)}"


def metric_rows(reports: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The rows of the metrics table (train/evaluate), one column per report.

    >>> r = {"n": 50, "n_positive": 33, "accuracy": 0.7, "accuracy_ci": [0.56, 0.81],
    ...      "baseline_accuracy": 0.66, "log_loss": 0.61, "brier": 0.2, "ece": 0.1,
    ...      "sensitivity": 0.8, "specificity": None}
    >>> metric_rows([r])[2], metric_rows([r])[-1]
    (['95% interval', '56.0% - 81.0%'], ['specificity', '-'])
    """

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.1%}"

    def num(x: float | None) -> str:
        return "-" if x is None else f"{x:.4f}"

    def row(name: str, fn: Any) -> list[str]:
        return [name, *(fn(r) for r in reports)]

    return [
        row("images", lambda r: f"{r['n']} ({r['n_positive']} cats)"),
        row("accuracy", lambda r: pct(r["accuracy"])),
        row("95% interval", lambda r: f"{pct(r['accuracy_ci'][0])} - {pct(r['accuracy_ci'][1])}"),
        row("baseline (majority)", lambda r: pct(r["baseline_accuracy"])),
        row("log loss", lambda r: num(r["log_loss"])),
        row("Brier score", lambda r: num(r["brier"])),
        row("ECE (10 bins)", lambda r: num(r["ece"])),
        row("sensitivity", lambda r: pct(r["sensitivity"])),
        row("specificity", lambda r: pct(r["specificity"])),
    ]


__all__ = ["exact_and_decimal", "html_block", "html_lines", "html_table", "metric_rows"]
