"""``probkit predict`` as a library call: :func:`predict` and its :class:`PredictionReport`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from probkit.classifier.workflows._common import (
    ESTIMATE,
    PathLike,
    _base_rate,
    _classifier,
    _dataset,
    _estimated_base_rate,
)
from probkit.errors import InputError
from probkit.options import check_choice

if TYPE_CHECKING:
    from probkit.classifier.base_rate import BaseRateShift
    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.label_shift import BaseRateEstimate
    from probkit.classifier.pipeline import Classifier


@dataclass
class PredictionReport:
    """P(cat) and P(non-cat) for each image, with the label the classifier gives."""

    classifier: Classifier
    model_source: str
    key: str
    predictions: list[dict[str, Any]]
    shift: BaseRateShift | None = None
    #: what was done to each photo (``fit``, mode conversion ...), and what to know about it
    warnings: list[str] = field(default_factory=list)
    base_rate_estimate: BaseRateEstimate | None = None

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``probkit predict --json``."""
        clf = self.classifier
        out = {"model": self.model_source, "training_base_rate": clf.training_base_rate,
               "temperature": clf.temperature,
               "base_rate": None if self.shift is None else self.shift.to_dict(),
               "predictions": self.predictions, "warnings": list(self.warnings)}
        if self.base_rate_estimate is not None:
            out["base_rate_estimate"] = self.base_rate_estimate.to_dict()
        return out

    def photo_notes(self) -> list[str]:
        """One line per photo that was changed to fit the model: ``file: steps``."""
        return [f"{item['file']}: {'; '.join(item['read_as'])}" for item in self.predictions
                if "read_as" in item and item["read_as"] != ["used as stored"]]

    @property
    def flagged(self) -> int:
        """How many inputs the typicality score flags as unlike the training images."""
        return sum(1 for item in self.predictions if item.get("in_distribution") is False)

    def table(self) -> tuple[list[str], list[list[str]], list[bool]]:
        """Headers, cells and right-alignment of the predictions table."""
        names = self.classifier.class_names
        labelled = bool(self.predictions) and "true_label" in self.predictions[0]
        headers = [self.key, f"P({names[1]})", f"P({names[0]})", "label", "typicality"]
        if labelled:
            headers.append("true label")
        rows = []
        for item in self.predictions:
            typ = item.get("typicality")
            typical = "-" if typ is None else (
                f"{typ:.3f}" if item["in_distribution"] else f"{typ:.3f} UNLIKE TRAINING")
            verdict = item.get("verdict", item["label"])
            shown = verdict if verdict is not None else (
                f"unlike the training photos — no verdict (P({names[1]}) would be "
                f"{item['p_cat']:.2f})")
            row = [str(item[self.key]), f"{item['p_cat']:.4f}", f"{item['p_non_cat']:.4f}",
                   shown, typical]
            if labelled:
                row.append(item["true_label"])
            rows.append(row)
        right = [self.key == "index", True, True, False, True, False][: len(headers)]
        return headers, rows, right

    def base_rate_note(self, shown: str | None = None) -> str:
        """Which base rate the probabilities are for (``shown``: the target as typed)."""
        clf = self.classifier
        cat = clf.class_names[1]
        if self.shift is not None:
            target = self.shift.to_dict()["base_rate"] if shown is None else shown
            return (f"note: probabilities moved from the training base rate of "
                    f"{clf.training_base_rate:.1%} to --base-rate {target} {cat}s.")
        return f"note: these probabilities assume the training base rate of " \
               f"{clf.training_base_rate:.1%} {cat}s."

    def __repr__(self) -> str:
        from probkit.display import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines, html_table

        headers, rows, right = self.table()
        return html_block(f"predictions of {self.model_source}",
                          html_table(headers, rows),
                          html_lines([self.base_rate_note().removeprefix("note: ")]))


def predict(model: Classifier | PathLike, *, images: Sequence[PathLike] | None = None,
            data: Dataset | PathLike | None = None,
            base_rate: object = None, fit: str = "crop",
            split: str | None = None) -> PredictionReport:
    """P(cat) for photos (``images``, files; the ``image`` extra) or a data set (``data``).

    Photos are read by :func:`probkit.classifier.data.images.read_photo`: every mode converted
    by its meaning or refused by name, and one whose shape differs from the model's
    input centre-cropped (``fit="crop"``), padded with white (``"pad"``) or stretched
    (``"squash"``); each prediction says what was done (``read_as``).

    With ``base_rate`` the probabilities are moved from the training base rate to
    that share of cats (Bayes' rule on odds; :meth:`Classifier.predict_proba`);
    ``base_rate="estimate"`` estimates that share from the batch itself (EM) and
    moves them only when the estimate is usable. Every prediction carries
    ``typicality`` and ``in_distribution`` (None for a model file without a
    typicality score). ``split`` chooses the split of a ``data`` file that holds both
    (refused without it).
    """
    target = _base_rate(base_rate)
    if (data is None) == (not images):
        raise InputError("give either data (an HDF5 file or Dataset) or one or more image "
                         "files, not both", parameter="data")
    clf, model_source = _classifier(model)
    names = clf.class_names
    labels = None
    if data is not None:
        dataset = _dataset(data, "data", split)
        clf.check_input(dataset)
        pixels = dataset.images
        labels = dataset.labels
        keys: list[tuple[str, Any]] = [("index", i) for i in range(dataset.n)]
    else:
        import numpy as np

        from probkit.classifier.data.images import FITS, read_photos

        check_choice(fit, FITS, parameter="fit")
        assert images is not None
        h, w, _ = clf.input_shape
        photos = read_photos(images, (h, w), fit=fit)
        pixels = np.stack([photo.pixels for photo in photos])
        keys = [("file", str(p)) for p in images]
        notes = [warning for photo in photos for warning in photo.warnings]
    estimate = None
    if base_rate == ESTIMATE:
        estimate = _estimated_base_rate(clf, pixels)
        if estimate.usable:
            target = estimate.estimate
    shift = None if target is None else clf.base_rate_shift(target)
    proba = clf.predict_proba(pixels, base_rate=target)
    typical = clf.typicality(pixels)
    predictions = []
    for i, ((key, value), (p0, p1)) in enumerate(zip(keys, proba, strict=True)):
        flagged = typical is not None and not bool(typical[1][i])
        label = names[1] if p1 > p0 else names[0]
        item: dict[str, Any] = {key: value, "p_cat": float(p1), "p_non_cat": float(p0),
                                "label": label,
                                "verdict": None if flagged else label,
                                "typicality": None if typical is None
                                else float(typical[0][i]),
                                "in_distribution": None if typical is None
                                else bool(typical[1][i])}
        if labels is not None:
            item["true_label"] = names[int(labels[i])]
        if data is None:
            item["read_as"] = list(photos[i].steps)
        predictions.append(item)
    return PredictionReport(classifier=clf, model_source=model_source,
                            key="index" if data is not None else "file",
                            predictions=predictions, shift=shift,
                            warnings=[] if data is not None else notes,
                            base_rate_estimate=estimate)


__all__ = ["PredictionReport", "predict"]
