r"""Honest model selection: stratified k-fold cross-validation on the training set only.

The only data this module ever sees is the training :class:`~probkit.data.datasets.Dataset`
handed to :func:`select_model`; it has no parameter for test data and opens no
files, so a choice made here cannot have looked at the test set.

Each candidate is one point of a grid over

* the model family (``logistic`` or ``two-layer``) and its hidden size,
* the L2 strength λ (the penalty :math:`\frac{\lambda}{2m}\sum\lVert W\rVert_F^2`),
* the solver and the number of iterations (few gradient-descent or L-BFGS
  iterations is early stopping; many L-BFGS iterations reach the optimum),
* the preprocessing (``scale``: pixels/255, or ``standardize``: per-feature
  mean and SD of the training fold),
* horizontal-flip augmentation (flipped copies of the *training fold only*;
  λ is doubled with the doubled sample so that :math:`\lambda/(2m)` keeps
  its meaning), and
* the number of random seeds whose logits are averaged (two-layer nets).

For every candidate and fold the model is fitted on the other folds and
scored on the held-out fold; the table reports the mean and sample SD over
folds of the validation log loss and accuracy. The rule ``min-log-loss`` takes
the smallest mean log loss; ``one-se`` takes the simplest candidate whose
mean is within one standard error (SD/√k) of that minimum. The choice is then
refitted on the whole training set, and a temperature :math:`T` is fitted on
the chosen candidate's out-of-fold logits (cross-fitting) so that
:math:`\sigma(z/T)` is calibrated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from probkit.errors import ComputationError, DataError, InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from probkit.data.datasets import Dataset
    from probkit.models.classifier import Classifier

FAMILIES = ("logistic", "two-layer")
PREPROCESSING = ("scale", "standardize")
SOLVERS = ("gd", "lbfgs")
RULES = ("min-log-loss", "one-se")
CALIBRATIONS = ("temperature", "none")


@dataclass(frozen=True)
class Candidate:
    """One grid point: everything needed to build and fit a model."""

    model: str = "logistic"
    l2: float = 0.0
    preprocessing: str = "scale"
    solver: str = "lbfgs"
    max_iter: int = 500
    flip: bool = False
    seeds: int = 1
    hidden: int = 7
    activation: str = "relu"
    learning_rate: float | None = None

    def __post_init__(self) -> None:
        if self.model not in FAMILIES:
            raise InputError(f"model must be one of {', '.join(FAMILIES)}, got {self.model!r}")
        if self.preprocessing not in PREPROCESSING:
            raise InputError(f"preprocessing must be one of {', '.join(PREPROCESSING)}, "
                             f"got {self.preprocessing!r}")
        if self.solver not in SOLVERS:
            raise InputError(f"solver must be one of {', '.join(SOLVERS)}, got {self.solver!r}")
        if not (isinstance(self.l2, (int, float)) and math.isfinite(self.l2) and self.l2 >= 0):
            raise InputError(f"l2 must be a finite number >= 0, got {self.l2!r}")
        for name in ("max_iter", "seeds", "hidden"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(f"{name} must be a positive integer, got {value!r}")

    @property
    def label(self) -> str:
        """A short human-readable name, e.g. ``logistic std flip λ=100 lbfgs×500``."""
        parts = [self.model if self.model == "logistic" else f"2-layer({self.hidden})",
                 "std" if self.preprocessing == "standardize" else "/255"]
        if self.flip:
            parts.append("flip")
        parts.append(f"λ={self.l2:g}")
        parts.append(f"{self.solver}×{self.max_iter}")
        if self.seeds > 1:
            parts.append(f"{self.seeds} seeds")
        return " ".join(parts)

    def complexity(self) -> tuple[float, ...]:
        """Sort key for the one-SE rule: smaller is simpler.

        Logistic before two-layer, then fewer hidden units, stronger λ, fewer
        iterations, fewer seeds.
        """
        return (FAMILIES.index(self.model), self.hidden if self.model != "logistic" else 0,
                -self.l2, self.max_iter, self.seeds)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"model": self.model, "l2": self.l2, "preprocessing": self.preprocessing,
                "solver": self.solver, "max_iter": self.max_iter, "flip": self.flip,
                "seeds": self.seeds, "hidden": self.hidden if self.model != "logistic" else None,
                "activation": self.activation if self.model != "logistic" else None,
                "learning_rate": self.learning_rate, "label": self.label}


def make_grid(
    *,
    models: Iterable[str] = ("logistic",),
    l2: Iterable[float] = (1.0, 10.0, 100.0, 1000.0),
    preprocessing: Iterable[str] = ("scale", "standardize"),
    max_iter: Iterable[int] = (500,),
    solver: str = "lbfgs",
    flip: Iterable[bool] = (False,),
    seeds: Iterable[int] = (1,),
    hidden: int = 7,
) -> list[Candidate]:
    """The Cartesian product of the given values as a list of candidates.

    Seeds above 1 only matter for the randomly initialised two-layer net, so
    logistic candidates are built with one seed only.

    >>> len(make_grid(l2=(1, 10), preprocessing=("scale",), flip=(False, True)))
    4
    """
    seeds = tuple(seeds)
    for s in seeds:  # checked here: logistic candidates below replace the count by 1
        if not isinstance(s, int) or isinstance(s, bool) or s < 1:
            raise InputError(f"seeds must be a positive integer, got {s!r}")
    grid: list[Candidate] = []
    seen: set[Candidate] = set()
    for model in models:
        for prep in preprocessing:
            for fl in flip:
                for lam in l2:
                    for iters in max_iter:
                        for s in seeds:
                            cand = Candidate(model=model, l2=float(lam), preprocessing=prep,
                                             solver=solver, max_iter=int(iters), flip=bool(fl),
                                             seeds=int(s) if model != "logistic" else 1,
                                             hidden=hidden)
                            if cand not in seen:
                                seen.add(cand)
                                grid.append(cand)
    if not grid:
        raise InputError("the search grid is empty")
    return grid


def named_grid(name: str) -> list[Candidate]:
    """A predefined search grid: ``quick`` (tests, seconds), ``default`` or ``full``.

    ``default`` searches logistic regression over both preprocessings, with
    and without flips, λ ∈ {10, 100, 1000, 10000} and L-BFGS stopped after
    20 or 50 iterations or run to the optimum (500). ``full`` adds two-layer
    nets (7 ReLU units, pixels/255 with flips, λ ∈ {100, 1000}, 50 or 200
    L-BFGS iterations, one seed or the logit average of three).

    >>> len(named_grid("quick")), len(named_grid("default"))
    (4, 48)
    """
    if name == "quick":
        return make_grid(l2=(10.0, 1000.0), preprocessing=("scale", "standardize"),
                         max_iter=(100,))
    logistic = make_grid(l2=(10.0, 100.0, 1000.0, 10000.0),
                         preprocessing=("scale", "standardize"), flip=(False, True),
                         max_iter=(20, 50, 500))
    if name == "default":
        return logistic
    if name == "full":
        nets = make_grid(models=("two-layer",), l2=(100.0, 1000.0), preprocessing=("scale",),
                         flip=(True,), max_iter=(50, 200), seeds=(1, 3))
        return logistic + nets
    raise InputError(f"unknown grid {name!r}; choose quick, default or full")


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
    if not isinstance(k, int) or k < 2:
        raise InputError(f"the number of folds must be an integer >= 2, got {k!r}")
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


def flip_horizontally(images: NDArray[Any], labels: NDArray[Any]) -> tuple[NDArray[Any],
                                                                          NDArray[Any]]:
    """The images followed by their mirror images (left-right), labels repeated.

    >>> import numpy as np
    >>> im = np.arange(4, dtype=np.uint8).reshape(1, 1, 4, 1)
    >>> out, y = flip_horizontally(im, np.array([1]))
    >>> out[1, 0, :, 0].tolist(), y.tolist()
    ([3, 2, 1, 0], [1, 1])
    """
    import numpy as np

    return (np.concatenate([images, images[:, :, ::-1, :]]),
            np.concatenate([labels, labels]))


def _estimator(candidate: Candidate, seed: int, *, l2_scale: float = 1.0) -> Any:
    from probkit.models import LogisticRegression, TwoLayerNet

    extra: dict[str, Any] = {}
    if candidate.learning_rate is not None:
        extra["learning_rate"] = candidate.learning_rate
    if candidate.model == "logistic":
        return LogisticRegression(l2=candidate.l2 * l2_scale, solver=candidate.solver,
                                  max_iter=candidate.max_iter, **extra)
    return TwoLayerNet(hidden=candidate.hidden, activation=candidate.activation,
                       l2=candidate.l2 * l2_scale, solver=candidate.solver,
                       max_iter=candidate.max_iter, random_state=seed, **extra)


@dataclass
class FittedCandidate:
    """A candidate fitted on some images: its preprocessor and one estimator per seed."""

    candidate: Candidate
    preprocessor: Any
    estimators: list[Any]

    def logits(self, images: NDArray[Any]) -> NDArray[np.float64]:
        """Logits averaged over the seeds' estimators."""
        import numpy as np

        X = self.preprocessor.transform(images)
        return np.asarray(np.mean([est.decision_function(X) for est in self.estimators], axis=0),
                          dtype=np.float64)


def fit_candidate(candidate: Candidate, images: NDArray[Any], labels: NDArray[Any], *,
                  seed: int = 0) -> FittedCandidate:
    """Fit one candidate on training images (flip augmentation, preprocessing, seeds)."""
    import warnings

    from probkit.data.preprocessing import Preprocessor

    train_images, train_labels = images, labels
    l2_scale = 1.0
    if candidate.flip:
        train_images, train_labels = flip_horizontally(images, labels)
        l2_scale = 2.0
    prep = Preprocessor(method=candidate.preprocessing).fit(train_images)
    X = prep.transform(train_images)
    estimators = []
    with warnings.catch_warnings():
        # early stopping on purpose: an unconverged optimizer is part of the grid
        warnings.simplefilter("ignore")
        for s in range(candidate.seeds):
            est = _estimator(candidate, seed + s, l2_scale=l2_scale)
            estimators.append(est.fit(X, train_labels))
    return FittedCandidate(candidate=candidate, preprocessor=prep, estimators=estimators)


def _log_loss(y: NDArray[Any], z: NDArray[np.float64],
              weights: NDArray[np.float64] | None = None) -> float:
    import numpy as np
    from scipy.special import log_expit

    losses = -(y * log_expit(z) + (1 - y) * log_expit(-z))
    return float(np.average(losses, weights=weights))


def _accuracy(y: NDArray[Any], z: NDArray[np.float64],
              weights: NDArray[np.float64] | None = None) -> float:
    import numpy as np

    return float(np.average((z > 0).astype(np.int64) == y, weights=weights))


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def target_scoring(y_val: NDArray[Any], z: NDArray[np.float64], train_rate: float,
                   base_rate: float | None) -> tuple[NDArray[np.float64],
                                                     NDArray[np.float64] | None]:
    r"""Logits and weights that score held-out predictions for a population with
    share of cats ``base_rate`` (label shift: the images of each class look alike).

    The logits move by :math:`\operatorname{logit} P - \operatorname{logit} \pi`
    (π: the training fold's share of cats) and each held-out cat weighs
    :math:`P / \pi_v`, each non-cat :math:`(1 - P) / (1 - \pi_v)` (:math:`\pi_v`:
    the held-out share), so the weighted held-out set has base rate P. With
    ``base_rate=None`` nothing changes.

    >>> import numpy as np
    >>> z, w = target_scoring(np.array([1, 0, 0, 0]), np.zeros(4), 0.25, 0.5)
    >>> z.round(4).tolist(), w.round(3).tolist()
    ([1.0986, 1.0986, 1.0986, 1.0986], [2.0, 0.667, 0.667, 0.667])
    """
    import numpy as np

    if base_rate is None:
        return z, None
    rate_val = float(np.mean(y_val))
    if not 0 < rate_val < 1:
        raise DataError("a held-out fold holds only one class; use fewer folds")
    shifted = z + _logit(base_rate) - _logit(train_rate)
    weights = np.where(y_val == 1, base_rate / rate_val, (1 - base_rate) / (1 - rate_val))
    return shifted, weights.astype(np.float64)


@dataclass(frozen=True)
class CVRow:
    """Cross-validation scores of one candidate."""

    candidate: Candidate
    fold_log_loss: tuple[float, ...]
    fold_accuracy: tuple[float, ...]

    @property
    def log_loss_mean(self) -> float:
        """Mean validation log loss over folds."""
        return sum(self.fold_log_loss) / len(self.fold_log_loss)

    @property
    def log_loss_sd(self) -> float:
        """Sample SD (ddof=1) of the validation log loss over folds."""
        return _sd(self.fold_log_loss)

    @property
    def accuracy_mean(self) -> float:
        """Mean validation accuracy over folds."""
        return sum(self.fold_accuracy) / len(self.fold_accuracy)

    @property
    def accuracy_sd(self) -> float:
        """Sample SD (ddof=1) of the validation accuracy over folds."""
        return _sd(self.fold_accuracy)

    @property
    def log_loss_se(self) -> float:
        """Standard error of the mean log loss, SD/√k."""
        return self.log_loss_sd / math.sqrt(len(self.fold_log_loss))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {**self.candidate.to_dict(),
                "log_loss_mean": self.log_loss_mean, "log_loss_sd": self.log_loss_sd,
                "accuracy_mean": self.accuracy_mean, "accuracy_sd": self.accuracy_sd,
                "fold_log_loss": list(self.fold_log_loss),
                "fold_accuracy": list(self.fold_accuracy)}


def _sd(values: Sequence[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mean = sum(values) / n
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))


def choose(rows: Sequence[CVRow], rule: str = "min-log-loss") -> CVRow:
    """Apply a selection rule to cross-validation rows.

    ``min-log-loss``: the smallest mean validation log loss (ties: simpler).
    ``one-se``: among rows whose mean is within one standard error of the
    best row's mean, the simplest (:meth:`Candidate.complexity`).
    """
    if rule not in RULES:
        raise InputError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    if not rows:
        raise InputError("no cross-validation results to choose from")
    best = min(rows, key=lambda r: (r.log_loss_mean, r.candidate.complexity()))
    if rule == "min-log-loss":
        return best
    limit = best.log_loss_mean + best.log_loss_se
    eligible = [r for r in rows if r.log_loss_mean <= limit]
    return min(eligible, key=lambda r: (r.candidate.complexity(), r.log_loss_mean))


ProgressFn = Callable[[int, int, str], None]


@dataclass
class SelectionResult:
    """What :func:`select_model` found, chose and refitted."""

    rows: list[CVRow]
    chosen: CVRow
    rule: str
    k: int
    seed: int
    repeats: int
    n_train: int
    training_base_rate: float
    target_base_rate: float | None
    baseline_log_loss: float
    baseline_accuracy: float
    out_of_fold_logits: NDArray[np.float64]
    """Shape ``(repeats, n_train)``: the chosen candidate's held-out logits."""
    temperature: float
    classifier: Classifier | None = None
    learning_curve: dict[str, list[float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the grid, the choice, the calibration)."""
        return {
            "rule": self.rule, "folds": self.k, "repeats": self.repeats, "seed": self.seed,
            "n_train": self.n_train,
            "training_base_rate": self.training_base_rate,
            "target_base_rate": self.target_base_rate,
            "baseline": {"log_loss": self.baseline_log_loss, "accuracy": self.baseline_accuracy,
                         "what": "constant P(cat) = training-fold base rate"
                         + ("" if self.target_base_rate is None
                            else ", moved to the target base rate")},
            "chosen": self.chosen.to_dict(),
            "temperature": self.temperature,
            "grid": [r.to_dict() for r in self.rows],
        }


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

    With ``base_rate`` P the held-out scores are those expected in a
    population with a share P of cats (see :func:`target_scoring`); the
    out-of-fold logits stay at the training base rate.
    """
    import numpy as np

    if not isinstance(repeats, int) or repeats < 1:
        raise InputError(f"repeats must be a positive integer, got {repeats!r}")
    images, labels = _train_arrays(train)
    splits = [stratified_folds(labels, k, seed=seed + r) for r in range(repeats)]
    rows: list[CVRow] = []
    oof: dict[Candidate, NDArray[np.float64]] = {}
    total = len(grid) * k * repeats
    done = 0
    for cand in grid:
        logits = np.zeros((repeats, labels.size), dtype=np.float64)
        losses, accs = [], []
        for r, folds in enumerate(splits):
            for f in range(k):
                held = folds == f
                fitted = fit_candidate(cand, images[~held], labels[~held], seed=seed)
                z = fitted.logits(images[held])
                if not np.all(np.isfinite(z)):
                    z = np.nan_to_num(z, nan=0.0, posinf=50.0, neginf=-50.0)
                logits[r, held] = z
                zs, w = target_scoring(labels[held], z, float(labels[~held].mean()), base_rate)
                losses.append(_log_loss(labels[held], zs, w))
                accs.append(_accuracy(labels[held], zs, w))
                done += 1
                if progress is not None:
                    progress(done, total, cand.label)
        rows.append(CVRow(candidate=cand, fold_log_loss=tuple(losses),
                          fold_accuracy=tuple(accs)))
        oof[cand] = logits
    base_losses, base_accs = [], []
    for folds in splits:
        for f in range(k):
            held = folds == f
            rate = float(np.clip(labels[~held].mean(), 1e-12, 1 - 1e-12))
            z = np.full(int(held.sum()), math.log(rate / (1 - rate)))
            zs, w = target_scoring(labels[held], z, rate, base_rate)
            base_losses.append(_log_loss(labels[held], zs, w))
            base_accs.append(_accuracy(labels[held], zs, w))
    n_scores = len(base_losses)
    return rows, oof, (sum(base_losses) / n_scores, sum(base_accs) / n_scores)


def _train_arrays(train: Dataset) -> tuple[NDArray[Any], NDArray[np.int64]]:
    import numpy as np

    from probkit.data.datasets import Dataset

    if not isinstance(train, Dataset):
        raise InputError(
            f"model selection takes the training Dataset only, got {type(train).__name__}"
        )
    labels = np.asarray(train.labels, dtype=np.int64)
    if labels.size == 0:
        raise DataError(f"the training data {train.source} is empty")
    return np.asarray(train.images), labels


def select_model(
    train: Dataset,
    grid: Sequence[Candidate],
    *,
    k: int = 5,
    rule: str = "min-log-loss",
    seed: int = 0,
    repeats: int = 1,
    base_rate: float | None = None,
    calibrate: str = "temperature",
    refit: bool = True,
    progress: ProgressFn | None = None,
) -> SelectionResult:
    """Cross-validate ``grid`` on ``train``, choose by ``rule``, calibrate, refit.

    Parameters
    ----------
    train : Dataset
        The training data: the only data selection ever sees.
    grid : sequence of Candidate
        See :func:`make_grid`.
    k : int
        Number of stratified folds.
    repeats : int
        Repeat the k-fold split with this many different seeds.
    base_rate : float, optional
        Choose and calibrate for a population with this share of cats
        (:func:`target_scoring`). The refitted model still answers at the
        training base rate; move its output with the same ``--base-rate``.
    rule : {"min-log-loss", "one-se"}
    seed : int
        Seeds the fold assignment and the two-layer nets' initialisations.
    calibrate : {"temperature", "none"}
        Fit a temperature on the chosen candidate's out-of-fold logits.
    refit : bool
        Refit the chosen candidate on all of ``train`` into a
        :class:`~probkit.models.classifier.Classifier` (``result.classifier``).
    """
    import numpy as np

    from probkit.evaluation.calibration import fit_temperature

    if rule not in RULES:
        raise InputError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    if base_rate is not None and not 0 < base_rate < 1:
        raise InputError(f"base_rate must lie strictly between 0 and 1, got {base_rate!r}")
    if calibrate not in CALIBRATIONS:
        raise InputError(f"calibrate must be one of {', '.join(CALIBRATIONS)}, "
                         f"got {calibrate!r}")
    images, labels = _train_arrays(train)
    if len(set(labels.tolist())) < 2:
        raise DataError(f"the training data {train.source} holds only one class")
    rows, oof, (base_loss, base_acc) = cross_validate(train, grid, k=k, seed=seed,
                                                      repeats=repeats, base_rate=base_rate,
                                                      progress=progress)
    chosen = choose(rows, rule)
    oof_logits = oof[chosen.candidate]
    temperature = 1.0
    if calibrate == "temperature":
        y_all = np.tile(labels, repeats)
        z_all, weights = target_scoring(y_all, oof_logits.ravel(), float(labels.mean()),
                                        base_rate)
        offset = z_all - oof_logits.ravel()
        temperature = fit_temperature(oof_logits.ravel(), y_all, offset=offset,
                                      sample_weight=weights)
    result = SelectionResult(
        rows=rows, chosen=chosen, rule=rule, k=k, seed=seed, repeats=repeats,
        n_train=int(labels.size),
        training_base_rate=float(labels.mean()), target_base_rate=base_rate,
        baseline_log_loss=base_loss,
        baseline_accuracy=base_acc, out_of_fold_logits=np.asarray(oof_logits),
        temperature=temperature,
    )
    if refit:
        result.classifier = refit_classifier(chosen.candidate, train, seed=seed,
                                             temperature=temperature,
                                             metadata={"selection": result.to_dict()})
    return result


def merge_seed_nets(estimators: Sequence[Any]) -> Any:
    r"""One two-layer net whose logit is the mean of several nets' logits.

    :math:`\frac1S\sum_s (W_2^{(s)} h^{(s)} + b_2^{(s)})` is a single net with
    the hidden layers stacked (``S·hidden`` units), :math:`W_2` blocks divided
    by :math:`S` and the mean :math:`b_2`; so a seed average is stored as one
    ordinary :class:`~probkit.models.TwoLayerNet`.
    """
    import numpy as np

    from probkit.models import TwoLayerNet

    if len(estimators) == 1:
        return estimators[0]
    first = estimators[0]
    s = len(estimators)
    params = {
        "W1": np.concatenate([e.params_["W1"] for e in estimators], axis=0),
        "b1": np.concatenate([e.params_["b1"] for e in estimators], axis=0),
        "W2": np.concatenate([e.params_["W2"] for e in estimators], axis=1) / s,
        "b2": np.mean([e.params_["b2"] for e in estimators], axis=0),
    }
    hyper = first.get_params()
    hyper["hidden"] = int(params["W1"].shape[0])
    merged = TwoLayerNet(**hyper)
    for name, value in vars(first).items():
        if name.endswith("_") and not name.startswith("_"):
            setattr(merged, name, value)
    merged.params_ = params
    return merged


def refit_classifier(candidate: Candidate, train: Dataset, *, seed: int = 0,
                     temperature: float = 1.0,
                     metadata: dict[str, Any] | None = None) -> Classifier:
    """Fit ``candidate`` on all of ``train`` and wrap it as a Classifier."""
    import numpy as np

    from probkit.models.classifier import Classifier

    images, labels = _train_arrays(train)
    fitted = fit_candidate(candidate, images, labels, seed=seed)
    estimator = merge_seed_nets(fitted.estimators)
    if not all(np.all(np.isfinite(v)) for v in estimator.params_.values()):
        raise ComputationError(f"refitting {candidate.label} produced non-finite weights")
    return Classifier(
        preprocessor=fitted.preprocessor,
        estimator=estimator,
        class_names=tuple(train.class_names),
        training_base_rate=float(labels.mean()),
        temperature=float(temperature),
        metadata=dict(metadata or {}),
    )


def learning_curve(candidate: Candidate, train: Dataset, *, k: int = 5, seed: int = 0,
                   max_iter: int | None = None) -> dict[str, list[float]]:
    """Training cost and validation log loss per iteration on one CV split (fold 0).

    Uses the estimator's own record of both (``fit(..., validation=...)``).
    """
    import warnings

    from probkit.data.preprocessing import Preprocessor

    images, labels = _train_arrays(train)
    folds = stratified_folds(labels, k, seed=seed)
    held = folds == 0
    tr_images, tr_labels = images[~held], labels[~held]
    l2_scale = 1.0
    if candidate.flip:
        tr_images, tr_labels = flip_horizontally(tr_images, tr_labels)
        l2_scale = 2.0
    prep = Preprocessor(method=candidate.preprocessing).fit(tr_images)
    cand = candidate if max_iter is None else replace(candidate, max_iter=max_iter)
    est = _estimator(cand, seed, l2_scale=l2_scale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(prep.transform(tr_images), tr_labels,
                validation=(prep.transform(images[held]), labels[held]))
    return {"train_cost": [float(v) for v in est.cost_history_],
            "validation_log_loss": [float(v) for v in est.validation_loss_history_]}


__all__ = [
    "CALIBRATIONS",
    "FAMILIES",
    "PREPROCESSING",
    "RULES",
    "CVRow",
    "Candidate",
    "FittedCandidate",
    "SelectionResult",
    "choose",
    "cross_validate",
    "fit_candidate",
    "flip_horizontally",
    "learning_curve",
    "make_grid",
    "named_grid",
    "target_scoring",
    "merge_seed_nets",
    "refit_classifier",
    "select_model",
    "stratified_folds",
]
