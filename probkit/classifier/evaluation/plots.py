"""Plots for the classifier (extra ``plot``: matplotlib).

Pictures, each returned as a :class:`matplotlib.figure.Figure` (a subclass with
``_repr_png_``, so a notebook shows it inline with no ``%matplotlib`` magic;
:func:`save_figure` writes it as a PNG, atomically):

* :func:`plot_learning_curve` -- training and validation cost per iteration;
* :func:`plot_cv_curve` -- mean validation metric against λ, with ±1 SD bars;
* :func:`plot_reliability_diagram` -- mean predicted P(cat) against the observed
  share of cats per bin, with the diagonal of perfect calibration;
* :func:`plot_confident_mistakes` -- the most confidently wrong images with
  their P(cat);
* :func:`plot_confident_verdicts` -- the most confidently right and wrong images;
* :func:`plot_colour_evidence` -- the same images as maps of per-pixel evidence,
  :func:`plot_colour_contributions` -- their most influential colour cells (no
  pixel positions), and :func:`plot_histogram_weights` -- a colour-histogram
  model's cell weights.

The first three draw on a given ``ax`` instead when one is passed (and return
its figure). Figures are made with ``matplotlib.figure.Figure`` directly, never
through pyplot: no backend is chosen or changed, and no global figure registry
holds on to them. matplotlib is imported inside the functions; when it is
missing they raise :class:`~probkit.errors.MissingExtraError` naming the
``plot`` extra.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from probkit._atomic import atomic_output
from probkit.errors import DataError, InputError, MissingExtraError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray

    from probkit.classifier.evaluation.calibration import ReliabilityBin


def require_matplotlib(feature: str = "plotting") -> None:
    """Raise :class:`MissingExtraError` now (before a long run) if matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("plot", "matplotlib", feature) from exc


@functools.cache
def inline_figure_class() -> type:
    """:class:`InlineFigure`: a matplotlib ``Figure`` that shows itself in a notebook.

    A bare ``Figure`` (made without pyplot) is shown by Jupyter as its text,
    ``<Figure size 550x600 with 2 Axes>``, until ``%matplotlib inline`` registers a
    picture formatter; this one has ``_repr_png_``, so it is a picture in any kernel,
    with no magic and no backend chosen. Made on first use (matplotlib is imported only
    when something is drawn).
    """
    from matplotlib.figure import Figure

    class InlineFigure(Figure):
        """A matplotlib Figure shown inline in notebooks (``_repr_png_``: its PNG)."""

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    InlineFigure.__module__ = __name__
    return InlineFigure


def _new_figure(feature: str, **kwargs: Any) -> Any:
    """A new :func:`inline_figure_class` Figure (no pyplot, no backend switch), or
    MissingExtraError."""
    require_matplotlib(feature)
    return inline_figure_class()(**kwargs)


def _axes(ax: Any, feature: str, figsize: tuple[float, float]) -> tuple[Any, Any]:
    """(figure, axes): the given axes and their figure, or a new figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = _new_figure(feature, figsize=figsize)
    return fig, fig.add_subplot()


def save_figure(fig: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` as a PNG to ``path`` atomically (the shared writer of
    :mod:`probkit._atomic`); returns the path."""
    with atomic_output(path, error=InputError) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    return Path(path)


def plot_folder(path: str | os.PathLike[str]) -> Path:
    """Check matplotlib and create (if needed) the folder plots will be saved into."""
    require_matplotlib("drawing plots")
    if not os.fspath(path):
        raise InputError("plot: the folder name is empty", parameter="plot")
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        from probkit._atomic import describe_file

        raise InputError(f"plot: {path} is {describe_file(folder)}, not a folder",
                         parameter="plot")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"plot: cannot create folder {path}: {exc.strerror}",
                         parameter="plot") from None
    return folder


def plot_learning_curve(
    train_cost: Sequence[float] | ArrayLike,
    validation_cost: Sequence[float] | ArrayLike | None = None,
    *,
    title: str = "Learning curve",
    best_iteration: int | None = None,
    ax: Any = None,
) -> Any:
    """Training (and validation) cost against iteration number; returns the Figure."""
    import numpy as np

    train = np.asarray(train_cost, dtype=np.float64).ravel()
    if train.size == 0:
        raise DataError("the learning curve has no training costs", parameter="train_cost")
    fig, ax = _axes(ax, "the learning-curve plot", (6.4, 4.2))
    ax.plot(np.arange(1, train.size + 1), train, label="training cost", color="tab:blue")
    if validation_cost is not None:
        val = np.asarray(validation_cost, dtype=np.float64).ravel()
        ax.plot(np.arange(1, val.size + 1), val, label="validation log loss",
                color="tab:orange")
    if best_iteration is not None:
        ax.axvline(best_iteration, color="grey", linestyle="--",
                   label=f"chosen: {best_iteration} iterations")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_cv_curve(
    curves: Mapping[str, tuple[Sequence[float], Sequence[float], Sequence[float]]],
    *,
    metric: str = "validation log loss",
    chosen: tuple[str, float] | None = None,
    baseline: float | None = None,
    ax: Any = None,
) -> Any:
    """Mean ± SD of a cross-validation metric against λ (log x-axis), one line per label.

    ``curves`` maps a label (e.g. ``"logistic, standardize"``) to
    ``(lambdas, means, sds)``. λ = 0 is drawn at a tenth of the smallest
    positive λ so the log axis can show it.
    """
    import numpy as np

    if not curves:
        raise DataError("no cross-validation results to plot", parameter="curves")
    positive = [lam for lams, _, _ in curves.values() for lam in lams if lam > 0]
    zero_at = min(positive) / 10 if positive else 1.0
    fig, ax = _axes(ax, "the cross-validation plot", (7.0, 4.5))
    styles = ("-", "--", ":", "-.")
    markers = ("o", "s", "^", "D")
    for i, (label, (lams, means, sds)) in enumerate(curves.items()):
        x = np.array([lam if lam > 0 else zero_at for lam in lams], dtype=np.float64)
        order = np.argsort(x)
        ax.errorbar(x[order], np.asarray(means, dtype=np.float64)[order],
                    yerr=np.asarray(sds, dtype=np.float64)[order],
                    marker=markers[(i // 10) % 4], linestyle=styles[(i // 10) % 4], capsize=3,
                    label=label)
    if baseline is not None:
        ax.axhline(baseline, color="grey", linestyle=":", label="constant base-rate model")
    if chosen is not None:
        lam = chosen[1] if chosen[1] > 0 else zero_at
        ax.axvline(lam, color="black", linestyle="--", linewidth=1,
                   label=f"chosen: {chosen[0]}, λ={chosen[1]:g}")
    ax.set_xscale("log")
    ax.set_xlabel("λ (L2 strength)")
    ax.set_ylabel(f"{metric} (mean ± SD over folds)")
    ax.set_title("Cross-validation on the training set")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="x-small" if len(curves) > 6 else "small")
    fig.tight_layout()
    return fig


def plot_reliability_diagram(
    table: Sequence[ReliabilityBin],
    *,
    title: str = "Reliability diagram",
    ece: float | None = None,
    ax: Any = None,
) -> Any:
    """Observed share of cats against mean predicted P(cat) per bin; returns the Figure.

    On a new figure a panel of bin counts is drawn below; on a given ``ax`` only
    the diagram itself.
    """
    rows = [r for r in table if r.count and r.mean_predicted is not None]
    if not rows:
        raise DataError("the reliability table is empty", parameter="table")
    ax_count = None
    if ax is None:
        fig = _new_figure("the reliability diagram", figsize=(5.5, 6.0))
        ax, ax_count = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    else:
        fig = ax.figure
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect calibration")
    ax.plot([r.mean_predicted for r in rows], [r.observed for r in rows], marker="o",
            color="tab:blue", label="model")
    for r in table:
        if r.count and r.observed is not None:
            ax.bar((r.lower + r.upper) / 2, r.observed, width=r.upper - r.lower,
                   alpha=0.15, color="tab:blue", edgecolor="tab:blue")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("observed share of cats")
    ax.set_title(title if ece is None else f"{title} (ECE {ece:.3f})")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    if ax_count is None:
        ax.set_xlabel("predicted P(cat)")
        return fig
    ax_count.bar([(r.lower + r.upper) / 2 for r in table], [r.count for r in table],
                 width=[r.upper - r.lower for r in table], color="tab:grey", edgecolor="black")
    ax_count.set_xlabel("predicted P(cat)")
    ax_count.set_ylabel("count")
    fig.tight_layout()
    return fig


def most_confident_mistakes(
    labels: ArrayLike, p_cat: ArrayLike, k: int = 16
) -> NDArray[np.int64]:
    """Indices of up to ``k`` misclassified examples, most confidently wrong first.

    >>> most_confident_mistakes([1, 0, 1, 0], [0.1, 0.6, 0.9, 0.95], k=2).tolist()
    [3, 0]
    """
    return most_confident(labels, p_cat, k, right=False)


def plot_confident_mistakes(
    images: ArrayLike,
    labels: ArrayLike,
    p_cat: ArrayLike,
    *,
    k: int = 16,
    class_names: tuple[str, str] = ("non-cat", "cat"),
) -> Any:
    """A grid of the most confidently wrong images, each titled with its P(cat); the Figure."""
    import numpy as np

    require_matplotlib("the confident-mistakes plot")
    pictures = np.asarray(images)
    y = np.asarray(labels).ravel()
    p = np.asarray(p_cat, dtype=np.float64).ravel()
    if pictures.ndim != 4 or pictures.shape[0] != y.size:
        raise DataError("images must have shape (n, height, width, 3) matching the labels",
                        parameter="images")
    chosen = most_confident_mistakes(y, p, k)
    cols = 4
    n_rows = max(1, -(-len(chosen) // cols))
    fig = _new_figure("the confident-mistakes plot", figsize=(2.2 * cols, 2.4 * n_rows))
    axes = fig.subplots(n_rows, cols, squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    if len(chosen) == 0:
        axes[0, 0].text(0.0, 0.5, "no mistakes", fontsize=14)
    for ax, i in zip(axes.ravel(), chosen, strict=False):
        ax.imshow(pictures[i])
        ax.set_title(f"P(cat)={p[i]:.2f}\ntruth: {class_names[int(y[i])]}", fontsize=9)
    fig.suptitle("Most confidently wrong")
    fig.tight_layout()
    return fig


def most_confident(
    labels: ArrayLike, p_cat: ArrayLike, k: int = 6, *, right: bool
) -> NDArray[np.int64]:
    """Indices of up to ``k`` examples classified right (``right=True``) or wrong, the
    most confident verdict first.

    >>> most_confident([1, 0, 1, 0], [0.1, 0.4, 0.9, 0.95], k=2, right=True).tolist()
    [2, 1]
    >>> most_confident([1, 0, 1, 0], [0.1, 0.4, 0.9, 0.95], k=2, right=False).tolist()
    [3, 0]
    """
    import numpy as np

    from probkit.classifier.evaluation.metrics import says_positive

    y = np.asarray(labels).ravel()
    p = np.asarray(p_cat, dtype=np.float64).ravel()
    if y.shape != p.shape:
        raise DataError(f"{y.size} labels but {p.size} probabilities")
    correct = says_positive(p).astype(np.int64) == y
    chosen = np.flatnonzero(correct if right else ~correct)
    order = np.argsort(-np.abs(p[chosen] - 0.5), kind="stable")
    return np.asarray(chosen[order][:k], dtype=np.int64)


def _verdict_rows(y: Any, p: Any, k: int) -> list[tuple[str, Any]]:
    return [("most confidently right", most_confident(y, p, k, right=True)),
            ("most confidently wrong", most_confident(y, p, k, right=False))]


def _checked_verdicts(images: ArrayLike, labels: ArrayLike, p_cat: ArrayLike) -> Any:
    import numpy as np

    pictures = np.asarray(images)
    y = np.asarray(labels).ravel()
    p = np.asarray(p_cat, dtype=np.float64).ravel()
    if pictures.ndim not in (3, 4) or pictures.shape[0] != y.size or p.size != y.size:
        raise DataError("images, labels and probabilities must describe the same images",
                        parameter="images")
    return pictures, y, p


def _grid_of_verdicts(pictures: Any, y: Any, p: Any, k: int, class_names: tuple[str, str],
                      feature: str, draw: Any) -> Any:
    rows = _verdict_rows(y, p, k)
    fig = _new_figure(feature, figsize=(1.9 * k + 0.4, 4.6))
    axes = fig.subplots(2, k, squeeze=False)
    image = None
    for (title, chosen), ax_row in zip(rows, axes, strict=True):
        for ax in ax_row:
            ax.axis("off")
        ax_row[0].text(-0.08, 0.5, title, rotation=90, transform=ax_row[0].transAxes,
                       ha="right", va="center", fontsize=10)
        if len(chosen) == 0:
            ax_row[0].text(0.0, 0.5, "none", fontsize=12)
        for ax, i in zip(ax_row, chosen, strict=False):
            image = draw(ax, pictures[i])
            ax.text(0.5, 1.02, f"P(cat)={p[i]:.2f}\ntruth: {class_names[int(y[i])]}",
                    transform=ax.transAxes, ha="center", va="bottom", fontsize=8)
    return fig, axes, image


def plot_confident_verdicts(
    images: ArrayLike,
    labels: ArrayLike,
    p_cat: ArrayLike,
    *,
    k: int = 6,
    class_names: tuple[str, str] = ("non-cat", "cat"),
) -> Any:
    """Two rows of images: the ``k`` most confidently right verdicts and the ``k`` most
    confidently wrong ones, each with its P(cat) and true class; the Figure."""
    pictures, y, p = _checked_verdicts(images, labels, p_cat)
    fig, _, _ = _grid_of_verdicts(pictures, y, p, k, class_names,
                                  "the confident-verdicts plot", lambda ax, im: ax.imshow(im))
    fig.tight_layout()
    return fig


def plot_colour_evidence(
    evidence_maps: ArrayLike,
    labels: ArrayLike,
    p_cat: ArrayLike,
    *,
    k: int = 6,
    class_names: tuple[str, str] = ("non-cat", "cat"),
) -> Any:
    """The same two rows as :func:`plot_confident_verdicts`, each image drawn as its
    per-pixel evidence (:func:`probkit.classifier.evaluation.colour_evidence.colour_evidence`):
    red pushes toward label 1, blue toward label 0, on one colour scale shared by the
    images shown (its ends at the 99th percentile of the absolute evidence, so that a
    few pixels of a rare colour do not wash out the rest); the Figure."""
    import numpy as np

    maps, y, p = _checked_verdicts(evidence_maps, labels, p_cat)
    shown = np.concatenate([idx for _, idx in _verdict_rows(y, p, k)])
    limit = float(np.percentile(np.abs(maps[shown]), 99)) if shown.size else 1.0
    limit = limit if limit > 0 else 1.0

    def draw(ax: Any, picture: Any) -> Any:
        return ax.imshow(picture, cmap="RdBu_r", vmin=-limit, vmax=limit)

    fig, axes, image = _grid_of_verdicts(maps, y, p, k, class_names,
                                         "the colour-evidence plot", draw)
    fig.tight_layout(rect=(0.0, 0.0, 0.9, 1.0))
    if image is not None:
        bar_axes = fig.add_axes((0.91, 0.15, 0.012, 0.7))
        fig.colorbar(image, cax=bar_axes, extend="both",
                     label=f"logit per pixel (+: {class_names[1]})")
    return fig


def plot_histogram_weights(weights: Any, *, class_names: tuple[str, str] = ("non-cat", "cat"),
                           ) -> Any:
    """The weight of each colour cell of a histogram model
    (:class:`~probkit.classifier.evaluation.colour_evidence.HistogramWeights`): one panel per bin
    of the last axis (value, or blue), the first two axes (hue × saturation, or red ×
    green) inside each; red pushes toward ``class_names[1]``; the Figure.

    A standardized model is drawn per training SD of each cell (``per_sd``: how much
    the cell can move the logit); any other per unit of its feature, with the colour
    scale ending at the 98th percentile so that a few large weights do not wash out
    the rest.
    """
    import numpy as np

    per_sd = weights.per_sd is not None
    grid = np.asarray(weights.grid(weights.per_sd if per_sd else None), dtype=np.float64)
    b0, b1, b2 = grid.shape
    names = ("hue", "saturation", "value") if weights.space == "hsv" else ("red", "green", "blue")
    limit = float(np.max(np.abs(grid))) if per_sd else float(np.percentile(np.abs(grid), 98))
    limit = limit if limit > 0 else 1.0
    fig = _new_figure("the histogram-weights plot", figsize=(2.6 * b2 + 0.8, 3.0))
    axes = fig.subplots(1, b2, squeeze=False)[0]
    image = None
    for i, ax in enumerate(axes):
        image = ax.imshow(grid[:, :, i].T, origin="lower", cmap="RdBu_r", vmin=-limit,
                          vmax=limit, aspect="auto", extent=(0, 1, 0, 1))
        ax.set_title(f"{names[2]} {i / b2:.2f}–{(i + 1) / b2:.2f}", fontsize=9)
        ax.set_xlabel(names[0])
        if i == 0:
            ax.set_ylabel(names[1])
    what = "√share" if weights.root else "share"
    unit = f"training SD of the {what}" if per_sd else f"unit of {what}"
    fig.suptitle(f"Logit per {unit} of pixels in each {weights.space.upper()} cell "
                 f"(red: toward {class_names[1]})", fontsize=10)
    fig.tight_layout(rect=(0.0, 0.0, 0.9, 1.0))
    if image is not None:
        fig.colorbar(image, cax=fig.add_axes((0.91, 0.2, 0.015, 0.6)),
                     extend="neither" if per_sd else "both")
    return fig


def plot_colour_contributions(evidence: Any, labels: ArrayLike, p_cat: ArrayLike, *,
                              k: int = 6, top: int = 6,
                              class_names: tuple[str, str] = ("non-cat", "cat")) -> Any:
    """For the ``k`` most confidently right and wrong images, the ``top`` colour cells
    that moved each one's logit most from the reference image
    (:class:`~probkit.classifier.evaluation.colour_evidence.ColourEvidence`
    ``cell_contributions``): one bar per cell, drawn in the cell's colour, with the
    image's share of pixels in that cell beside it. No pixel positions are drawn;
    the Figure."""
    import numpy as np

    contributions = np.asarray(evidence.cell_contributions, dtype=np.float64)
    shares = np.asarray(evidence.shares, dtype=np.float64)
    _, y, p = _checked_verdicts(contributions[:, None, :], labels, p_cat)
    colours = evidence.weights.cell_colours()
    rows = _verdict_rows(y, p, k)
    shown = np.concatenate([idx for _, idx in rows])
    limit = float(np.max(np.abs(contributions[shown]))) if shown.size else 1.0
    limit = limit * 1.15 if limit > 0 else 1.0
    fig = _new_figure("the colour-contributions plot", figsize=(2.1 * k + 0.6, 5.4))
    axes = fig.subplots(2, k, squeeze=False, sharex=True)
    reference = ("the average training image" if evidence.weights.mean is not None
                 else "an empty histogram")
    for (title, chosen), ax_row in zip(rows, axes, strict=True):
        ax_row[0].set_ylabel(title, fontsize=10)
        for ax in ax_row[len(chosen):]:
            ax.axis("off")
        for ax, i in zip(ax_row, chosen, strict=False):
            order = np.argsort(-np.abs(contributions[i]), kind="stable")[:top]
            values = contributions[i][order]
            ax.barh(np.arange(len(order)), values, color=colours[order], edgecolor="0.3",
                    linewidth=0.5)
            for row, j in enumerate(order):
                ax.text(limit * 0.98 if values[row] < 0 else -limit * 0.98, row,
                        f"{shares[i, j]:.0%}", va="center", fontsize=7,
                        ha="right" if values[row] < 0 else "left")
            ax.axvline(0.0, color="0.2", linewidth=0.8)
            ax.set_xlim(-limit, limit)
            ax.set_yticks([])
            ax.invert_yaxis()
            ax.set_title(f"P(cat)={p[i]:.2f}, truth: {class_names[int(y[i])]}", fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle(f"The colour cells that moved each logit most from {reference} (bar: logit "
                 f"added, toward {class_names[1]} to the right; text: share of the image's "
                 "pixels)", fontsize=9)
    fig.tight_layout(rect=(0.0, 0.0, 1.0, 0.95))
    return fig


__all__ = [
    "most_confident",
    "most_confident_mistakes",
    "plot_colour_contributions",
    "plot_colour_evidence",
    "plot_confident_verdicts",
    "plot_histogram_weights",
    "plot_folder",
    "plot_confident_mistakes",
    "plot_cv_curve",
    "plot_learning_curve",
    "plot_reliability_diagram",
    "require_matplotlib",
    "save_figure",
]
