"""Pictures of a Bayes update: prior and posterior, with the credible interval shaded.

Needs the ``plot`` extra (matplotlib), imported only when a picture is drawn.
The backend is never changed: drawing on a new figure in a notebook uses
``matplotlib.pyplot`` with whatever backend is active, and :func:`save_plot`
(the CLI's ``--plot FILE.png``) draws on a bare :class:`matplotlib.figure.Figure`,
which needs no backend at all, and writes it atomically.

Few values are drawn as bars (prior and posterior side by side), many as
lines; named hypotheses as bars with their names.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from probkit._atomic import atomic_output
from probkit.errors import InputError, MissingExtraError

if TYPE_CHECKING:
    from probkit.bayes.exact import Posterior
    from probkit.bayes.numeric import NumericPosterior

BARS_UP_TO = 50
"""Up to this many values, prior and posterior are bars; above, lines."""


def new_axes(feature: str) -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", feature) from exc
    _, ax = plt.subplots(figsize=(6.4, 4.2))
    return ax


def _figure(feature: str) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", feature) from exc
    return Figure(figsize=(6.4, 4.2), layout="constrained")


def draw_numeric(result: NumericPosterior, ax: Any = None, *,
                 unknown: str | None = None) -> Any:
    """Prior and posterior of one unknown (or the joint posterior of two); returns the Axes."""
    if ax is None:
        ax = new_axes("result.plot()")
    names = result.problem.names
    if unknown is None and len(names) == 2:
        return _draw_joint(result, ax)
    name = names[0] if unknown is None else unknown
    values, posterior = result.marginal(name)
    prior = result.prior_marginal(name)
    x = [float(v) for v in values]
    post = [float(p) for p in posterior]
    pri = [float(p) for p in prior]
    summary = result.summary[name]
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
    ax.set_title(f"{name}: prior and posterior ({result.problem.family})")
    ax.legend(fontsize="small")
    return ax


def _draw_joint(result: NumericPosterior, ax: Any) -> Any:
    first, second = result.problem.unknowns
    probs = [float(p) for p in result.probabilities]
    columns = len(second.values)
    grid = [[probs[i * columns + j] for i in range(len(first.values))] for j in range(columns)]
    mesh = ax.pcolormesh([float(v) for v in first.values], [float(v) for v in second.values],
                         grid, shading="nearest", cmap="Blues")
    ax.figure.colorbar(mesh, ax=ax, label="posterior probability")
    ax.set_xlabel(first.name)
    ax.set_ylabel(second.name)
    ax.set_title(f"joint posterior of {first.name} and {second.name}")
    return ax


def draw_labelled(result: Posterior, ax: Any = None) -> Any:
    """Prior and posterior of named hypotheses as bars; returns the Axes."""
    if ax is None:
        ax = new_axes("result.plot()")
    positions = list(range(len(result.hypotheses)))
    ax.bar([p - 0.2 for p in positions], [float(h.prior) for h in result.hypotheses],
           width=0.4, color="tab:gray", alpha=0.6, label="prior")
    ax.bar([p + 0.2 for p in positions], [float(h.posterior) for h in result.hypotheses],
           width=0.4, color="tab:blue", label="posterior")
    ax.set_xticks(positions, list(result.names))
    ax.set_ylabel("probability")
    ax.set_title("prior and posterior")
    ax.legend(fontsize="small")
    return ax


def save_plot(result: NumericPosterior | Posterior, path: str | os.PathLike[str]) -> Path:
    """Write the picture of ``result`` as a PNG, atomically (``--plot FILE.png``)."""
    from probkit.bayes.numeric import NumericPosterior

    if not str(path).lower().endswith(".png"):
        raise InputError(f"--plot {path}: the file name must end in .png")
    fig = _figure("--plot")
    if isinstance(result, NumericPosterior):
        names = result.problem.names
        if len(names) == 2:
            fig.set_size_inches(11, 4.2)
            left, right = fig.subplots(1, 2)
            draw_numeric(result, left, unknown=names[0])
            draw_numeric(result, right, unknown=names[1])
        else:
            draw_numeric(result, fig.subplots())
    else:
        draw_labelled(result, fig.subplots())
    with atomic_output(path, error=InputError, label="cannot write the plot") as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    return Path(path)


__all__ = ["BARS_UP_TO", "draw_labelled", "draw_numeric", "save_plot"]
