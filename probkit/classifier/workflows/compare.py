"""``probkit compare`` as a library call: :func:`compare`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from probkit.classifier.workflows._common import (
    PathLike,
    _classifier,
    _dataset,
    _source,
    _without_reliability,
)

if TYPE_CHECKING:
    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.evaluation.comparison import ModelComparison
    from probkit.classifier.pipeline import Classifier


def compare(model_a: Classifier | PathLike, model_b: Classifier | PathLike,
            data: Dataset | PathLike, *, n_bootstrap: int = 10_000,
            seed: int = 0, split: str | None = None) -> ModelComparison:
    """Two classifiers on the same labelled images, the way ``probkit compare`` does: each
    one's accuracy (with its interval), log loss, Brier score and ECE at its training base
    rate, and the paired bootstrap of the differences A − B
    (:mod:`probkit.classifier.evaluation.comparison`) with an exact McNemar test of the accuracies.
    Fifty test images decide little; this says how little. ``split`` chooses the split of a
    data file that holds both (refused without it).
    """
    from probkit.classifier.evaluation.comparison import compare_logits

    a, name_a = _classifier(model_a)
    b, name_b = _classifier(model_b)
    dataset = _dataset(data, "data", split)
    for clf in (a, b):
        clf.check_input(dataset)
    return compare_logits(
        dataset.labels, a.decision_function(dataset.images), b.decision_function(dataset.images),
        names=(name_a, name_b), data_source=_source(data, dataset),
        reports=(_without_reliability(a.evaluate(dataset)),
                 _without_reliability(b.evaluate(dataset))),
        n_bootstrap=n_bootstrap, seed=seed)


__all__ = ["compare"]
