r"""Stratified k-fold cross-validation on the training set, and scoring for a target base rate.

For every candidate and fold the candidate's classifier
(:meth:`~probkit.classifier.selection.candidates.Candidate.build`, the one pipeline) is
fitted on the other folds and scored on the held-out fold; a row reports the
mean and sample SD over folds of the validation log loss and accuracy.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from probkit.classifier.selection.candidates import Candidate
from probkit.errors import DataError, InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.pipeline import Classifier

ProgressFn = Callable[[int, int, str], None]


def stratified_folds(labels: NDArray[Any], k: int, *, seed: int = 0) -> NDArray[np.int64]:
    """Assign each example a fold 0..k-1 so that every fold has the class mix of the whole.

    Within each class the examples are shuffled (``numpy.random.default_rng(seed)``)
    and dealt round-robin.

    >>> import numpy as np
    >>> folds = stratified_folds(np.array([0] * 6 + [1] * 3), 3)
    >>> sorted(np.bincount(folds).tolist()), [int(np.sum(folds[6:] == f)) for f in range(3)]
    ([3, 3, 3], [1, 1, 1])
    """
    import numpy as np

    y = np.asarray(labels).ravel()
    if not isinstance(k, int) or isinstance(k, bool) or k < 2:
        raise InputError(f"the number of folds must be an integer >= 2, got {k!r}",
                         parameter="k")
    rng = np.random.default_rng(seed)
    folds = np.empty(y.size, dtype=np.int64)
    offset = 0
    for cls in np.unique(y):
        members = np.flatnonzero(y == cls)
        if members.size < k:
            raise DataError(
                f"class {int(cls)} has only {members.size} examples, fewer than the {k} folds; "
                "use fewer folds"
            )
        rng.shuffle(members)
        folds[members] = (np.arange(members.size) + offset) % k
        offset += members.size
    return folds


def target_scoring(y_val: NDArray[Any], z: NDArray[np.float64], train_rate: float,
                   base_rate: float | None) -> tuple[NDArray[np.float64],
                                                     NDArray[np.float64] | None]:
    r"""Logits and weights that score held-out predictions for a population with
    share of cats ``base_rate`` (label shift: the images of each class look alike).

    The logits move by :math:`\operatorname{logit} P - \operatorname{logit} \pi`
    (π: the training fold's share of cats; :class:`~probkit.classifier.base_rate.BaseRateShift`)
    and each held-out cat weighs :math:`P / \pi_v`, each non-cat
    :math:`(1 - P) / (1 - \pi_v)` (:math:`\pi_v`: the held-out share), so the weighted
    held-out set has base rate P. With ``base_rate=None`` nothing changes.

    >>> import numpy as np
    >>> z, w = target_scoring(np.array([1, 0, 0, 0]), np.zeros(4), 0.25, 0.5)
    >>> z.round(4).tolist(), w.round(3).tolist()
    ([1.0986, 1.0986, 1.0986, 1.0986], [2.0, 0.667, 0.667, 0.667])
    """
    import numpy as np

    from probkit.classifier.base_rate import BaseRateShift

    if base_rate is None:
        return z, None
    rate_val = float(np.mean(y_val))
    if not 0 < rate_val < 1:
        raise DataError("a held-out fold holds only one class; use fewer folds")
    shifted = BaseRateShift(train_rate, base_rate).shift_logits(z)
    weights = np.where(y_val == 1, base_rate / rate_val, (1 - base_rate) / (1 - rate_val))
    return shifted, weights.astype(np.float64)


def _mean(values: Sequence[float]) -> float:
    """The mean, or NaN when there are no values (no fold was scored)."""
    return sum(values) / len(values) if values else math.nan


def _sd(values: Sequence[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))


@dataclass(frozen=True)
class CVRow:
    """Cross-validation scores of one candidate."""

    candidate: Candidate
    fold_log_loss: tuple[float, ...]
    fold_accuracy: tuple[float, ...]
    diverged: str | None = None
    """Why the candidate was dropped (its fit diverged on a fold), or None."""

    @property
    def log_loss_mean(self) -> float:
        """Mean validation log loss over folds (NaN when no fold was scored)."""
        return _mean(self.fold_log_loss)

    @property
    def log_loss_sd(self) -> float:
        """Sample SD (ddof=1) of the validation log loss over folds."""
        return _sd(self.fold_log_loss)

    @property
    def accuracy_mean(self) -> float:
        """Mean validation accuracy over folds (NaN when no fold was scored)."""
        return _mean(self.fold_accuracy)

    @property
    def accuracy_sd(self) -> float:
        """Sample SD (ddof=1) of the validation accuracy over folds."""
        return _sd(self.fold_accuracy)

    @property
    def log_loss_se(self) -> float:
        """Standard error of the mean log loss, SD/√k."""
        return self.log_loss_sd / math.sqrt(max(len(self.fold_log_loss), 1))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (a diverged row has its reason and no scores)."""
        if self.diverged is not None:
            return {**self.candidate.to_dict(), "diverged": self.diverged,
                    "log_loss_mean": None, "log_loss_sd": None, "accuracy_mean": None,
                    "accuracy_sd": None, "fold_log_loss": [], "fold_accuracy": []}
        return {**self.candidate.to_dict(), "diverged": None,
                "log_loss_mean": self.log_loss_mean, "log_loss_sd": self.log_loss_sd,
                "accuracy_mean": self.accuracy_mean, "accuracy_sd": self.accuracy_sd,
                "fold_log_loss": list(self.fold_log_loss),
                "fold_accuracy": list(self.fold_accuracy)}


def training_arrays(train: Dataset) -> tuple[NDArray[Any], NDArray[np.int64]]:
    """The images and labels of the training :class:`~probkit.classifier.data.datasets.Dataset`
    (anything else, such as a file name, is refused: selection sees training data only)."""
    import numpy as np

    from probkit.classifier.data.datasets import Dataset

    if not isinstance(train, Dataset):
        raise InputError(
            f"model selection takes the training Dataset only, got {type(train).__name__}",
            parameter="train")
    labels = np.asarray(train.labels, dtype=np.int64)
    if labels.size == 0:
        raise DataError(f"the training data {train.source} is empty", parameter="train")
    return np.asarray(train.images), labels


def subset(data: Dataset, mask: NDArray[np.bool_], what: str) -> Dataset:
    """The examples of ``data`` where ``mask`` holds, as a Dataset named after ``what``."""
    from probkit.classifier.data.datasets import Dataset

    return Dataset(data.images[mask], data.labels[mask], data.class_names,
                   source=f"{data.source} ({what})")


def fit_quietly(candidate: Candidate, train: Dataset, *, seed: int = 0,
                validation: Dataset | None = None) -> Classifier:
    """``candidate.build(seed=seed).fit(train)`` without optimizer warnings (few
    iterations are early stopping on purpose: an unconverged optimizer is part of a grid)."""
    clf = candidate.build(seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return clf.fit(train, validation=validation)


def fit_recording(candidate: Candidate, train: Dataset, *,
                  seed: int = 0) -> tuple[Classifier, str | None]:
    """``candidate.build(seed=seed).fit(train)`` and the divergence it showed, if any.

    An L-BFGS run stopped by ``max_iter`` is early stopping on purpose (its
    ConvergenceWarning is expected); a :class:`~.models.optimizers.DivergenceWarning`,
    a floating-point RuntimeWarning (overflow, invalid value) or a non-finite cost or
    weight is a divergence, returned as text.
    """
    import numpy as np

    from probkit.classifier.models.optimizers import ConvergenceWarning

    clf = candidate.build(seed=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn"):
            clf.fit(train)
    problems = [str(w.message) for w in caught if not issubclass(w.category, ConvergenceWarning)
                and issubclass(w.category, UserWarning | RuntimeWarning)]
    est = clf.estimator
    if bool(getattr(est, "diverged_", False)) or not all(
            np.all(np.isfinite(v)) for v in est.params_.values()):
        problems.append("the fit diverged (non-finite cost or weights)")
    return clf, ("; ".join(dict.fromkeys(problems)) if problems else None)


def _scores(y: NDArray[Any], z: NDArray[np.float64], train_rate: float,
            base_rate: float | None) -> tuple[float, float]:
    import numpy as np

    from probkit.classifier.models.losses import log_loss_from_logits

    zs, w = target_scoring(y, z, train_rate, base_rate)
    accuracy = float(np.average((zs > 0).astype(np.int64) == y, weights=w))
    return log_loss_from_logits(zs, y, weights=w), accuracy


def cross_validate(
    train: Dataset,
    grid: Sequence[Candidate],
    *,
    k: int = 5,
    seed: int = 0,
    repeats: int = 1,
    base_rate: float | None = None,
    progress: ProgressFn | None = None,
) -> tuple[list[CVRow], dict[Candidate, NDArray[np.float64]], tuple[float, float]]:
    """Score every candidate by (repeated) stratified k-fold CV on ``train``.

    With ``repeats`` > 1 the k-fold split is redrawn with seeds ``seed``,
    ``seed + 1``, ... and every fold of every repeat is one score (a less
    noisy mean on small data). Returns the rows, each candidate's out-of-fold
    logits (shape ``(repeats, n)``: one per training image and repeat), and
    the (log loss, accuracy) of the constant base-rate baseline.

    A candidate whose fit diverges on any fold (:func:`fit_recording`) is not
    scored: its row carries ``diverged`` (the reason) and selection excludes it.

    With ``base_rate`` P the held-out scores are those expected in a
    population with a share P of cats (see :func:`target_scoring`); the
    out-of-fold logits stay at the training base rate.
    """
    import numpy as np

    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 1:
        raise InputError(f"repeats must be a positive integer, got {repeats!r}",
                         parameter="repeats")
    images, labels = training_arrays(train)
    splits = [stratified_folds(labels, k, seed=seed + r) for r in range(repeats)]
    fold_data = [[(subset(train, folds != f, f"fold {f + 1} held out"), folds == f)
                  for f in range(k)] for folds in splits]
    rows: list[CVRow] = []
    oof: dict[Candidate, NDArray[np.float64]] = {}
    total = len(grid) * k * repeats
    done = 0
    for cand in grid:
        logits = np.zeros((repeats, labels.size), dtype=np.float64)
        losses, accs = [], []
        diverged: str | None = None
        for r, folds_of_split in enumerate(fold_data):
            for f, (fold_train, held) in enumerate(folds_of_split):
                if diverged is not None:  # the rest of a dropped candidate's folds
                    done += 1
                    continue
                clf, problem = fit_recording(cand, fold_train, seed=seed)
                with np.errstate(over="ignore", invalid="ignore"):
                    z = clf.decision_function(images[held])
                if problem is None and not np.all(np.isfinite(z)):
                    problem = "non-finite held-out logits"
                if problem is not None:
                    diverged = f"repeat {r + 1}, fold {f + 1}: {problem}"
                    done += 1
                    continue
                logits[r, held] = z
                loss, acc = _scores(labels[held], z, fold_train.positive_rate, base_rate)
                losses.append(loss)
                accs.append(acc)
                done += 1
                if progress is not None:
                    progress(done, total, cand.label)
        rows.append(CVRow(candidate=cand, fold_log_loss=tuple(losses),
                          fold_accuracy=tuple(accs), diverged=diverged))
        oof[cand] = logits
    base_losses, base_accs = [], []
    for folds_of_split in fold_data:
        for fold_train, held in folds_of_split:
            rate = float(np.clip(fold_train.positive_rate, 1e-12, 1 - 1e-12))
            z = np.full(int(held.sum()), math.log(rate / (1 - rate)))
            loss, acc = _scores(labels[held], z, rate, base_rate)
            base_losses.append(loss)
            base_accs.append(acc)
    n_scores = len(base_losses)
    return rows, oof, (sum(base_losses) / n_scores, sum(base_accs) / n_scores)


def learning_curve(candidate: Candidate, train: Dataset, *, k: int = 5, seed: int = 0,
                   max_iter: int | None = None) -> dict[str, list[float]]:
    """Training cost and validation log loss per iteration on one CV split (fold 0).

    Uses the estimator's own record of both (``fit(..., validation=...)``); one seed.
    """
    _, labels = training_arrays(train)
    folds = stratified_folds(labels, k, seed=seed)
    held = folds == 0
    cand = replace(candidate, seeds=1,
                   max_iter=candidate.max_iter if max_iter is None else max_iter)
    clf = fit_quietly(cand, subset(train, ~held, "fold 1 held out"), seed=seed,
                      validation=subset(train, held, "fold 1"))
    est = clf.estimator
    return {"train_cost": [float(v) for v in est.cost_history_],
            "validation_log_loss": [float(v) for v in est.validation_loss_history_]}


__all__ = ["CVRow", "ProgressFn", "cross_validate", "fit_quietly", "fit_recording",
           "learning_curve",
           "stratified_folds", "subset", "target_scoring", "training_arrays"]
