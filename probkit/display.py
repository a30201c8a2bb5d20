"""Rich display in notebooks: results as small HTML tables (standard library only).

Jupyter shows an object through its ``_repr_html_``; probkit's results delegate
to the functions here, so the table a notebook shows has the same rows and
cells as the table the command line prints.

>>> print(html_table(["hypothesis", "posterior"], [["A", "1/9"], ["B", "<8/9>"]]))
<table><thead><tr><th>hypothesis</th><th>posterior</th></tr></thead><tbody><tr><td>A</td><td>1/9</td></tr><tr><td>B</td><td>&lt;8/9&gt;</td></tr></tbody></table>
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def html_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               caption: str | None = None) -> str:
    """A plain HTML table; every cell is escaped (text from users stays text)."""
    from html import escape  # only notebooks need it; the CLI's start-up does not pay for it

    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_lines(lines: Iterable[str]) -> str:
    """Lines of text as HTML paragraphs (escaped)."""
    from html import escape

    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


def html_block(title: str, *parts: str) -> str:
    """A titled block of already-rendered HTML parts."""
    from html import escape

    return f"<div><strong>{escape(title)}</strong>{''.join(parts)}</div>"


def _short_value(value: Any, longest: int = 60) -> str:
    """A value as a short text: arrays by shape, collections by length, long reprs by type.

    >>> _short_value([1, 2, 3]), _short_value("x" * 100)[:12], _short_value(0.5)
    ('[1, 2, 3]', '<str of 100 ', '0.5')
    """
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and hasattr(value, "dtype"):
        return f"<array {'x'.join(map(str, shape)) or 'scalar'} {value.dtype}>"
    if isinstance(value, list | tuple) and len(value) > 4:
        return f"[{len(value)} items]"
    if isinstance(value, dict) and len(value) > 4:
        return f"{{{len(value)} keys}}"
    text = repr(value)
    if len(text) <= longest:
        return text
    if isinstance(value, str):
        return f"<str of {len(value)} characters>"
    if isinstance(value, list | tuple | dict):
        return f"[{len(value)} items]" if not isinstance(value, dict) else f"{{{len(value)} keys}}"
    return f"<{type(value).__name__}>"


def short_repr(obj: Any, *, skip: Sequence[str] = ()) -> str:
    """``TypeName(field=value, ...)`` with every value kept short (:func:`_short_value`):
    what a result shows in a notebook's plain text and at the Python prompt, instead of
    screens of arrays. ``skip`` leaves fields out.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class R:
    ...     name: str
    ...     values: list
    >>> short_repr(R("a", list(range(1000))))
    "R(name='a', values=[1000 items])"
    """
    from dataclasses import fields, is_dataclass

    if not is_dataclass(obj):
        return f"<{type(obj).__name__}>"
    parts = [f"{f.name}={_short_value(getattr(obj, f.name))}" for f in fields(obj)
             if f.repr and f.name not in skip]
    return f"{type(obj).__name__}({', '.join(parts)})"


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


__all__ = ["exact_and_decimal", "html_block", "html_lines", "html_table", "metric_rows",
           "short_repr"]
