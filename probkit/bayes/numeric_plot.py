"""Pictures of a numeric posterior (needs the ``plot`` extra: matplotlib, imported by the caller).

:func:`plot_marginal` draws one unknown's prior and posterior with the credible interval
shaded and the MAP marked; :func:`plot_joint` the joint posterior of two unknowns as a heat
map. Both draw on the Axes given and return it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from probkit.bayes.grid import Unknown
from probkit.bayes.plotting import BARS_UP_TO
from probkit.bayes.summaries import Summary
from probkit.numbers import Number


def plot_marginal(ax: Any, name: str, values: Sequence[Fraction], prior: Sequence[Number],
                  posterior: Sequence[Number], summary: Summary, family: str) -> Any:
    """Prior and posterior of unknown ``name`` (bars up to :data:`BARS_UP_TO` values, else
    lines), its credible interval and MAP."""
    x = [float(v) for v in values]
    post = [float(p) for p in posterior]
    pri = [float(p) for p in prior]
    interval = summary.credible_interval
    percent = f"{float(interval.level) * 100:g}%"
    ax.axvspan(float(interval.low), float(interval.high), color="tab:orange", alpha=0.15,
               label=f"{percent} credible interval (equal-tailed)")
    if len(x) <= BARS_UP_TO:
        gaps = [b - a for a, b in zip(x, x[1:], strict=False)]
        width = 0.4 * (min(gaps) if gaps else 1.0)
        ax.bar([v - width / 2 for v in x], pri, width=width, color="tab:gray", alpha=0.6,
               label="prior")
        ax.bar([v + width / 2 for v in x], post, width=width, color="tab:blue",
               label="posterior")
    else:
        ax.plot(x, pri, color="tab:gray", linestyle="--", label="prior")
        ax.plot(x, post, color="tab:blue", label="posterior")
    ax.axvline(float(summary.map), color="tab:blue", linestyle=":", linewidth=1,
               label=f"MAP {name} = {float(summary.map):g}")
    ax.set_xlabel(name)
    ax.set_ylabel("probability")
    ax.set_title(f"{name}: prior and posterior ({family})")
    ax.legend(fontsize="small")
    return ax


def plot_joint(ax: Any, first: Unknown, second: Unknown, probs: Sequence[float]) -> Any:
    """The joint posterior of two unknowns (``probs`` over their grid, first unknown
    slowest) as a heat map with a colour bar."""
    columns = len(second.values)
    grid = [[probs[i * columns + j] for i in range(len(first.values))]
            for j in range(columns)]
    mesh = ax.pcolormesh([float(v) for v in first.values],
                         [float(v) for v in second.values], grid, shading="nearest",
                         cmap="Blues")
    ax.figure.colorbar(mesh, ax=ax, label="posterior probability")
    ax.set_xlabel(first.name)
    ax.set_ylabel(second.name)
    ax.set_title(f"joint posterior of {first.name} and {second.name}")
    return ax


__all__ = ["plot_joint", "plot_marginal"]
