r"""Which pixels push a colour-histogram model toward "cat": the logit split pixel by pixel.

A logistic model on a colour histogram is linear in a fixed function of each cell's
share of pixels. With the image's share :math:`p_j` of pixels in cell :math:`j`,
:math:`g(p) = p` (fractions) or :math:`\sqrt p` (``sqrt(...)``), the optional
standardization :math:`(g - \mu_j)/s_j`, weights :math:`w_j`, bias :math:`b` and
temperature :math:`T`, the calibrated logit is

.. math::

    z = \underbrace{\frac{1}{T}\Bigl(b - \sum_j \frac{w_j \mu_j}{s_j}\Bigr)}_{\text{baseline}}
        + \sum_j \underbrace{\frac{w_j}{s_j T}\, g(p_j)}_{c_j,\ \text{cell evidence}}

(:math:`\mu_j = 0, s_j = 1` without standardization). A cell no pixel falls in has
:math:`g(0) = 0` and adds nothing, so the whole image-dependent part is carried by
the cells its pixels occupy; sharing :math:`c_j` equally among the :math:`n_j`
pixels of cell :math:`j` gives each pixel an *evidence* :math:`c_j / n_j` (in
logits) and the map of an image sums, with the baseline, to its logit exactly.
With square roots a pixel's evidence is :math:`w_j / (s_j T \sqrt{N n_j})` for an
image of :math:`N` pixels: a pixel of a rare colour counts for more than one of a
colour the image is full of.

The maps are measured from the *empty* histogram, the one image whose cells all add
nothing. Another reference is as good: on plain shares, which sum to 1, adding
:math:`k` to every weight and :math:`-k` to the bias changes no prediction but moves
every pixel's evidence by :math:`k/(TN)`, so only the L2 penalty fixes the sign of a
faint pixel. For a *standardized* model the natural reference is the average
training image: :attr:`ColourEvidence.cell_contributions` are then
:math:`\frac{w_j}{s_j T}(g(p_j) - \mu_j)`, what each colour cell adds (or, when
the image lacks that colour, takes away) relative to an average photo, and they sum
with :attr:`ColourEvidence.reference_logit` (:math:`b/T`) to the logit;
:func:`probkit.classifier.evaluation.plots.plot_colour_contributions` draws the largest.

Only a logistic model on a colour histogram (optionally rooted, optionally
standardized) splits this way; anything else raises
:class:`~probkit.errors.InputError` naming the representation.

>>> import numpy as np
>>> from probkit.classifier.data.datasets import make_synthetic
>>> from probkit.classifier.features.representation import ImageFeatures
>>> from probkit.classifier.pipeline import Classifier
>>> from probkit.classifier.models.logistic import LogisticRegression
>>> data = make_synthetic(40, size=8, seed=0)
>>> clf = Classifier(preprocessor=ImageFeatures(features="sqrt(hsv:4x2x2)",
...                                             method="standardize"),
...                  estimator=LogisticRegression(l2=1.0, solver="lbfgs")).fit(data)
>>> evidence = colour_evidence(clf, data.images[:3])
>>> evidence.maps.shape
(3, 8, 8)
>>> bool(np.allclose(evidence.baseline + evidence.maps.sum(axis=(1, 2)),
...                  clf.decision_function(data.images[:3])))
True
>>> bool(np.allclose(evidence.weights.reference_logit + evidence.cell_contributions.sum(1),
...                  clf.decision_function(data.images[:3])))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit.errors import InputError


@dataclass(frozen=True)
class HistogramWeights:
    r"""A colour-histogram logistic model read as one weight per colour cell.

    ``cell_weights[j]`` is :math:`w_j / (s_j T)`, the logit added per unit of
    :math:`g(p_j)`; ``baseline`` is the logit of an image whose cells all add
    nothing; ``root`` says whether :math:`g` is the square root. For a
    standardized model, ``per_sd[j]`` is :math:`w_j / T`, the logit added by one
    training SD of cell ``j``'s feature (how much the cell can matter, where
    ``cell_weights`` is large also for a cell almost no photo has), ``mean`` the
    training mean :math:`\mu_j` of :math:`g(p_j)`, and ``reference_logit`` the
    logit of an image with those mean features (:math:`b/T`); otherwise they are
    None, zeros and ``baseline``.
    """

    space: str
    bins: tuple[int, int, int]
    root: bool
    cell_weights: NDArray[np.float64]
    baseline: float
    per_sd: NDArray[np.float64] | None = None
    mean: NDArray[np.float64] | None = None
    reference_logit: float = 0.0

    def grid(self, values: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
        """``values`` (default: the cell weights) as an array of shape ``bins``
        (e.g. hue × saturation × value)."""
        return (self.cell_weights if values is None else values).reshape(self.bins)

    def cell_colours(self) -> NDArray[np.float64]:
        """The RGB colour (in [0, 1]) at the centre of each cell, in cell order.

        >>> w = HistogramWeights("rgb", (2, 1, 1), False, np.zeros(2), 0.0)
        >>> w.cell_colours().tolist()
        [[0.25, 0.5, 0.5], [0.75, 0.5, 0.5]]
        """
        import colorsys

        b0, b1, b2 = self.bins
        centres = [((i + 0.5) / b0, (j + 0.5) / b1, (k + 0.5) / b2)
                   for i in range(b0) for j in range(b1) for k in range(b2)]
        if self.space == "hsv":
            centres = [colorsys.hsv_to_rgb(*c) for c in centres]
        return np.asarray(centres, dtype=np.float64)


@dataclass(frozen=True)
class ColourEvidence:
    """Per-pixel evidence maps (n, height, width), in logits, and the shared baseline:
    ``baseline + maps[i].sum()`` is image ``i``'s calibrated logit. ``shares`` (n,
    cells) are the images' histograms; ``cell_contributions`` (n, cells) what each
    cell adds relative to the reference (the average training image for a
    standardized model, else the empty histogram):
    ``weights.reference_logit + cell_contributions[i].sum()`` is the same logit."""

    maps: NDArray[np.float64]
    baseline: float
    weights: HistogramWeights
    shares: NDArray[np.float64]
    cell_contributions: NDArray[np.float64]


def histogram_weights(classifier: Any) -> HistogramWeights:
    """Read ``classifier`` (a fitted :class:`~probkit.classifier.pipeline.Classifier`) as
    colour-cell weights; :class:`InputError` unless it is a logistic model on a colour
    histogram."""
    from probkit.classifier.features import ColourHistogram, SquareRoot, Standardize

    step = getattr(classifier, "preprocessor", None)
    transformer = getattr(step, "transformer_", None)
    label = getattr(step, "label", type(step).__name__)
    mean: NDArray[np.float64] | float = 0.0
    scale: NDArray[np.float64] | float = 1.0
    if isinstance(transformer, Standardize):
        mean, scale = transformer.mean_, transformer.scale_
        transformer = transformer.features
    root = isinstance(transformer, SquareRoot)
    if root:
        transformer = transformer.features  # type: ignore[union-attr]
    if not isinstance(transformer, ColourHistogram):
        raise InputError(f"colour evidence needs a model on a colour histogram (hsv:..., "
                         f"sqrt(hsv:...), optionally standardized); this one uses {label}")
    if getattr(classifier, "model_type", None) != "logistic":
        raise InputError("colour evidence needs a logistic model (linear in the histogram); "
                         f"this one is {getattr(classifier, 'model_type', '?')}")
    params = classifier.estimator.params_
    w = np.asarray(params["W"], dtype=np.float64).ravel()
    b = float(np.asarray(params["b"]).ravel()[0])
    t = float(classifier.temperature)
    per_unit = w / np.asarray(scale, dtype=np.float64) / t
    baseline = (b - float(np.sum(w * np.asarray(mean, dtype=np.float64)
                                 / np.asarray(scale, dtype=np.float64)))) / t
    bins = tuple(int(v) for v in transformer.bins)
    standardized = not isinstance(mean, float)
    return HistogramWeights(
        space=str(transformer.space), bins=(bins[0], bins[1], bins[2]), root=root,
        cell_weights=per_unit, baseline=baseline,
        per_sd=w / t if standardized else None,
        mean=np.asarray(mean, dtype=np.float64) if standardized else None,
        reference_logit=b / t if standardized else baseline)


def colour_evidence(classifier: Any, images: Any) -> ColourEvidence:
    """Each pixel's share of the logit of ``classifier`` on ``images`` (n, h, w, 3)."""
    from probkit.classifier.features import as_images
    from probkit.classifier.features.colour import cell_counts, cell_of_pixels

    weights = histogram_weights(classifier)
    pictures = as_images(images)
    n, height, width, _ = pictures.shape
    if n == 0:
        raise InputError("colour evidence needs at least one image", parameter="images")
    expected = tuple(classifier.input_shape)
    if tuple(pictures.shape[1:]) != expected:
        raise InputError(f"images are {height}x{width} but the model was trained on "
                         f"{expected[0]}x{expected[1]} images", parameter="images")
    cells = cell_of_pixels(pictures.reshape(n, -1, 3), weights.space, weights.bins)
    n_cells = int(np.prod(weights.bins))
    pixels = height * width
    counts = cell_counts(cells, n_cells)
    share = counts / float(pixels)
    g = np.sqrt(share) if weights.root else share
    per_cell = weights.cell_weights[None, :] * g            # c_j, zero for empty cells
    per_pixel = per_cell / np.maximum(counts, 1)             # c_j / n_j
    maps = np.take_along_axis(per_pixel, cells, axis=1).reshape(n, height, width)
    reference = 0.0 if weights.mean is None else weights.mean[None, :]
    contributions = weights.cell_weights[None, :] * (g - reference)
    return ColourEvidence(maps=maps, baseline=weights.baseline, weights=weights, shares=share,
                          cell_contributions=contributions)


__all__ = ["ColourEvidence", "HistogramWeights", "colour_evidence", "histogram_weights"]
