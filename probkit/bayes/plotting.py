"""Drawing helpers for Bayes results: new axes, new figures, and writing a picture.

Needs the ``plot`` extra (matplotlib), imported only when a picture is drawn. Each
result draws itself (``Posterior.plot``, ``NumericPosterior.plot``,
``Distribution.plot``; ``draw(figure)`` lays out a whole picture): this module knows no
result type. The backend is never changed: drawing on new axes in a notebook uses
``matplotlib.pyplot`` with whatever backend is active, and :func:`save_plot` (the
CLI's ``--plot FILE.png``) draws on a bare :class:`matplotlib.figure.Figure`, which
needs no backend at all, and writes it atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from probkit._atomic import atomic_output
from probkit.errors import InputError, MissingExtraError

BARS_UP_TO = 50
"""Up to this many values, prior and posterior are bars; above, lines."""


class Drawable(Protocol):
    """A result that can lay itself out on a figure."""

    def draw(self, figure: Any) -> None: ...


def new_axes(feature: str) -> Any:
    """Axes on a new pyplot figure (a notebook shows it)."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", feature) from exc
    _, ax = plt.subplots(figsize=(6.4, 4.2))
    return ax


def new_figure(feature: str) -> Any:
    """A bare figure (no backend, no pyplot state): for files."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", feature) from exc
    return Figure(figsize=(6.4, 4.2), layout="constrained")


def save_plot(result: Drawable, path: str | os.PathLike[str]) -> Path:
    """Write the picture of ``result`` as a PNG, atomically (``--plot FILE.png``)."""
    if not str(path).lower().endswith(".png"):
        raise InputError(f"{path}: the file name must end in .png", parameter="plot")
    fig = new_figure("--plot")
    result.draw(fig)
    with atomic_output(path, error=InputError, label="cannot write the plot") as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    return Path(path)


__all__ = ["BARS_UP_TO", "Drawable", "new_axes", "new_figure", "save_plot"]
