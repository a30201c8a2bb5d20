r"""Nested cross-validation: how good is what the whole selection picks?

The CV score of the winning candidate is optimistic: it is the smallest of many noisy
means, so part of its lead is luck. The honest figure for "how good is the model that
``tune`` chooses" scores the *whole procedure*: split the training file into ``k``
outer folds; on each outer training part run the complete selection (every candidate
cross-validated on inner folds, the rule, the temperature, the refit) and score the
model it returns on the outer held-out fold, which that selection never saw. The mean
over outer folds, with its standard error :math:`\mathrm{SD}/\sqrt k`, estimates the
log loss and accuracy of a model chosen this way from this much data (Varma & Simon,
*Bias in error estimation when using cross-validation for model selection*, BMC
Bioinformatics 2006; Cawley & Talbot, JMLR 2010).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probkit.classifier.selection.candidates import Candidate
from probkit.classifier.selection.crossval import (
    ProgressFn,
    stratified_folds,
    subset,
    training_arrays,
)

if TYPE_CHECKING:
    from probkit.classifier.data.datasets import Dataset

#: seed offset of the outer split, so that it differs from the inner splits of the same seed
OUTER_SEED_OFFSET = 1000


@dataclass(frozen=True)
class NestedCV:
    """Outer-fold scores of the whole selection, and what each outer selection chose."""

    fold_log_loss: tuple[float, ...]
    fold_accuracy: tuple[float, ...]
    chosen: tuple[str, ...]
    k: int
    inner_k: int
    inner_repeats: int

    @property
    def log_loss_mean(self) -> float:
        """Mean outer-fold log loss."""
        return sum(self.fold_log_loss) / len(self.fold_log_loss)

    @property
    def log_loss_se(self) -> float:
        """Standard error of the mean outer-fold log loss."""
        return _se(self.fold_log_loss)

    @property
    def accuracy_mean(self) -> float:
        """Mean outer-fold accuracy."""
        return sum(self.fold_accuracy) / len(self.fold_accuracy)

    @property
    def accuracy_se(self) -> float:
        """Standard error of the mean outer-fold accuracy."""
        return _se(self.fold_accuracy)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"folds": self.k, "inner_folds": self.inner_k,
                "inner_repeats": self.inner_repeats,
                "log_loss_mean": self.log_loss_mean, "log_loss_se": self.log_loss_se,
                "accuracy_mean": self.accuracy_mean, "accuracy_se": self.accuracy_se,
                "fold_log_loss": list(self.fold_log_loss),
                "fold_accuracy": list(self.fold_accuracy), "chosen": list(self.chosen)}


def _se(values: Sequence[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mean = sum(values) / n
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n)


def nested_cross_validate(
    train: Dataset,
    grid: Sequence[Candidate],
    *,
    k: int = 5,
    inner_k: int = 5,
    inner_repeats: int = 1,
    rule: str = "min-log-loss",
    calibrate: str = "temperature",
    seed: int = 0,
    ensemble: int = 0,
    progress: ProgressFn | None = None,
) -> NestedCV:
    """Score the selection of ``grid`` by ``rule`` on ``k`` outer folds of ``train``.

    Each outer training part gets the full :func:`~.search.select_model` (``inner_k``-fold
    CV repeated ``inner_repeats`` times, the rule or the ``ensemble`` of that many greedy
    rounds, the temperature, the refit); its model's
    calibrated probabilities are scored on the outer held-out fold. ``progress(done,
    total, label)`` counts inner fits over all outer folds.
    """
    import numpy as np

    from probkit.classifier.features.cache import feature_cache
    from probkit.classifier.models.losses import log_loss_from_logits
    from probkit.classifier.selection.search import select_model

    images, labels = training_arrays(train)
    folds = stratified_folds(labels, k, seed=seed + OUTER_SEED_OFFSET)
    per_outer = len(grid) * inner_k * inner_repeats
    losses: list[float] = []
    accuracies: list[float] = []
    chosen: list[str] = []
    with feature_cache():
        for f in range(k):
            held = folds == f
            outer_train = subset(train, ~held, f"outer fold {f + 1} held out")

            def inner_progress(done: int, total: int, label: str, _f: int = f) -> None:
                if progress is not None:
                    progress(_f * per_outer + done, k * per_outer,
                             f"nested {_f + 1}/{k}: {label}")

            result = select_model(outer_train, grid, k=inner_k, rule=rule, seed=seed,
                                  repeats=inner_repeats, calibrate=calibrate,
                                  ensemble=ensemble, progress=inner_progress)
            clf = result.classifier
            assert clf is not None
            z = clf.decision_function(images[held])  # calibrated: divided by T
            y = labels[held]
            losses.append(float(log_loss_from_logits(z, y)))
            accuracies.append(float(np.mean((z > 0).astype(np.int64) == y)))
            chosen.append(result.chosen_label)
    return NestedCV(fold_log_loss=tuple(losses), fold_accuracy=tuple(accuracies),
                    chosen=tuple(chosen), k=k, inner_k=inner_k, inner_repeats=inner_repeats)


__all__ = ["OUTER_SEED_OFFSET", "NestedCV", "nested_cross_validate"]
