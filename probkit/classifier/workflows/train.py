"""``probkit train`` as a library call: :func:`train` and its :class:`TrainReport`."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from probkit.classifier.workflows._common import (
    IterationCallback,
    PathLike,
    SelectionProgress,
    _about,
    _check_out,
    _dataset,
    _metrics_html,
    _reliability_figures,
    _save,
    _without_reliability,
)
from probkit.errors import DataError, InputError
from probkit.options import (
    ACTIVATIONS,
    MODELS,
    PREPROCESSING,
    SOLVERS,
    check_choice,
)

if TYPE_CHECKING:
    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.pipeline import Classifier
    from probkit.classifier.selection.search import SelectionResult

#: the λ values ``l2="auto"`` searches
AUTO_L2_VALUES = (0.0, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)


@dataclass
class TrainReport:
    """What :func:`train` did: the fitted classifier, its metrics, the λ search."""

    classifier: Classifier
    train_data: Dataset
    test_data: Dataset | None
    model: str
    preprocessing: str
    out: str | None
    seconds: float
    warnings: list[str]
    train: dict[str, Any]
    test: dict[str, Any] | None
    selection: SelectionResult | None
    plots: list[str] = field(default_factory=list)
    features: str = "pixels"

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``probkit train --json``."""
        est = self.classifier.estimator
        return {
            "model": self.model,
            "hyperparameters": est.get_params(),
            "preprocessing": self.preprocessing,
            "features": self.features,
            "out": self.out,
            "n_iter": est.n_iter_,
            "final_cost": float(est.cost_history_[-1]),
            "training_path": est.training_path_,
            "converged": est.converged_,
            "diverged": est.diverged_,
            "seconds": self.seconds,
            "training_base_rate": self.classifier.training_base_rate,
            "warnings": list(self.warnings),
            "train": self.train,
            "test": self.test,
            "l2_selection": None if self.selection is None else self.selection.to_dict(),
            "plots": list(self.plots),
        }

    def figures(self) -> dict[str, Any]:
        """The ``--plot`` pictures by file stem: learning curve, CV curve (``l2="auto"``),
        reliability and confidently-wrong images on the test data (else the training data)."""
        from scipy.special import expit

        from probkit.classifier.evaluation.plots import plot_cv_curve, plot_learning_curve

        clf = self.classifier
        est = clf.estimator
        val = getattr(est, "validation_loss_history_", None)
        figs = {"train_learning_curve": plot_learning_curve(
            est.cost_history_, val if val is not None and len(val) else None,
            title=f"Learning curve ({clf.model_type})")}
        if self.selection is not None:
            rows = sorted(self.selection.rows, key=lambda r: r.candidate.l2)
            figs["train_cv_curve"] = plot_cv_curve(
                {"--l2 auto": ([r.candidate.l2 for r in rows], [r.log_loss_mean for r in rows],
                               [r.log_loss_sd for r in rows])},
                chosen=("--l2 auto", self.selection.chosen.candidate.l2),
                baseline=self.selection.baseline_log_loss)
        shown = self.test_data if self.test_data is not None else self.train_data
        prefix = "train_test" if self.test_data is not None else "train_train"
        figs.update(_reliability_figures(prefix, shown, expit(clf.decision_function(
            shown.images)), clf))
        return figs

    def save_plots(self, folder: PathLike) -> list[str]:
        """Write :meth:`figures` as PNGs into ``folder`` (atomically); record and return paths."""
        self.plots = _save(self.figures(), folder)
        return self.plots

    @property
    def n_iter(self) -> int:
        """Iterations the optimizer ran."""
        return int(self.classifier.estimator.n_iter_)

    @property
    def final_cost(self) -> float:
        """The training cost at the last iterate."""
        return float(self.classifier.estimator.cost_history_[-1])

    @property
    def headline(self) -> str:
        """One line: model, path, iterations, time and final cost."""
        est = self.classifier.estimator
        step = self.classifier.preprocessor
        on = "" if self.features == "pixels" else f" on {getattr(step, 'label', self.features)}"
        return (f"{self.model}{on} ({est.training_path_}, {est.n_iter_} iterations, "
                f"{self.seconds:.2f} s): final cost {est.cost_history_[-1]:.6f}")

    def __repr__(self) -> str:
        from probkit.display import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines

        reports = [self.train] + ([self.test] if self.test is not None else [])
        headers = ["metric", "train"] + (["test"] if self.test is not None else [])
        notes = [f"warning: {w}" for w in self.warnings]
        if self.selection is not None:
            notes.append(f"l2='auto': λ = {self.selection.chosen.candidate.l2:g} by 5-fold CV "
                         "log loss on the training data")
        return html_block(self.headline, _metrics_html(headers, reports), html_lines(notes))


def _fit_recording_warnings(clf: Classifier, data: Dataset,
                            callback: IterationCallback | None) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.fit(data, callback=callback)
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def train(
    train: Dataset | PathLike,
    *,
    test: Dataset | PathLike | None = None,
    out: PathLike | None = None,
    model: str = "logistic",
    l2: float | str | None = None,
    hidden: int = 7,
    activation: str = "relu",
    max_iter: int | None = None,
    learning_rate: float | None = None,
    solver: str = "lbfgs",
    tol: float | None = None,
    preprocessing: str = "scale",
    features: str | None = None,
    flip: bool | None = None,
    seed: int = 0,
    callback: IterationCallback | None = None,
    on_fit_start: Callable[[int], None] | None = None,
) -> TrainReport:
    """Train a classifier the way ``probkit train`` does, and report on it.

    Parameters
    ----------
    train, test : Dataset or path
        Training data, and optional test data to report on (never used to fit or
        to choose anything; with ``l2="auto"`` it is opened after the choice).
    out : path, optional
        Save the model there (checked writable before any work).
    model : {"logistic", "two-layer"}
    l2 : float, "auto" or None
        λ, or ``"auto"``: chosen by stratified 5-fold CV log loss on ``train``; None: the
        default search's λ (:data:`~probkit.classifier.selection.candidates.DEFAULT_L2`)
        with the default features, else 0.
    hidden, activation : two-layer nets only (both are validated for every model).
    max_iter, learning_rate, tol : None for the model's defaults.
    solver : {"lbfgs", "gd"}
        L-BFGS (default) or gradient descent (the course recipe, with ``features="pixels"``).
    preprocessing : {"scale", "standardize"}
        Of the features: as they are (pixels: /255) or standardized on ``train``.
    features : str or None
        The representation: ``"pixels"``, or a text of
        :func:`probkit.classifier.features.parse_features`, e.g. ``"sqrt(hsv:8x4x4)"``;
        None: the one the default search of ``probkit tune`` chose on the real training
        file (:data:`~probkit.classifier.selection.candidates.DEFAULT_FEATURES`).
    flip : bool or None
        Also fit on the mirror images (λ doubled with the doubled sample); None: as the
        default search chose with the default features (yes), else no.
    seed : int
        Seeds the starting weights (and the folds of ``l2="auto"``).
    callback : callable, optional
        ``callback(iteration, cost)`` during the fit.
    on_fit_start : callable, optional
        ``on_fit_start(max_iter)`` just before the fit (e.g. to size a progress bar).
    """
    from probkit.classifier.features.registry import build_representation
    from probkit.classifier.models.registry import build_estimator
    from probkit.classifier.pipeline import Classifier
    from probkit.classifier.selection.candidates import (
        DEFAULT_FEATURES,
        DEFAULT_FLIP,
        DEFAULT_L2,
    )

    if features is None:
        features = DEFAULT_FEATURES
    if l2 is None:
        l2 = DEFAULT_L2 if features == DEFAULT_FEATURES else 0.0
    if flip is None:
        flip = DEFAULT_FLIP and features == DEFAULT_FEATURES
    check_choice(model, MODELS, parameter="model")
    check_choice(solver, SOLVERS, parameter="solver")
    check_choice(preprocessing, PREPROCESSING, parameter="preprocessing")
    check_choice(activation, ACTIVATIONS, parameter="activation")
    representation, representation_params = _representation(features)
    auto_l2 = isinstance(l2, str) and l2.strip().lower() == "auto"
    if isinstance(l2, str) and not auto_l2:
        raise InputError(f"l2: {l2!r} is neither a number nor 'auto'", parameter="l2")
    hyper: dict[str, Any] = {"l2": 0.0 if auto_l2 else l2, "solver": solver,
                             "random_state": seed}
    if model == "two-layer":
        hyper.update(hidden=hidden, activation=activation)
    for name, value in (("max_iter", max_iter), ("learning_rate", learning_rate), ("tol", tol)):
        if value is not None:
            hyper[name] = value
    estimator = build_estimator(model, **hyper)
    estimator._validate_hyperparameters()  # fail before any data is read
    _check_out(out, [("train", train), ("test", test)])
    train_data = _dataset(train, "train")
    train_data.require_both_classes()
    selection = None
    if auto_l2:  # chosen on the training data only, before the test file is opened
        selection = auto_l2_selection(train_data, model=model, preprocessing=preprocessing,
                                      solver=solver, max_iter=int(estimator.max_iter),
                                      hidden=hidden, activation=activation,
                                      learning_rate=learning_rate, seed=seed,
                                      features=features, flip=bool(flip))
        estimator.set_params(l2=selection.chosen.candidate.l2)
    test_data = _dataset(test, "test") if test is not None else None
    if test_data is not None and test_data.image_shape != train_data.image_shape:
        # found before the fit, not after it
        (h, w, c), (th, tw, tc) = test_data.image_shape, train_data.image_shape
        raise DataError(f"{test_data.source}: images are {h}x{w}x{c} but the training images "
                        f"are {th}x{tw}x{tc}", parameter="test")
    clf = Classifier(preprocessor=build_representation(representation, method=preprocessing,
                                                       **dict(representation_params)),
                     estimator=estimator, flip=bool(flip))
    if on_fit_start is not None:
        on_fit_start(int(estimator.max_iter))
    start = time.perf_counter()
    messages = _fit_recording_warnings(clf, train_data, callback)
    clf.fit_typicality(train_data.images)
    clf.remember_training_images(train_data.images, train_data.labels)
    seconds = time.perf_counter() - start
    with warnings.catch_warnings():
        if clf.estimator.diverged_:  # already reported in words; numpy's overflow notes add noise
            warnings.simplefilter("ignore", RuntimeWarning)
        train_report = clf.evaluate(train_data)
        test_report = clf.evaluate(test_data) if test_data is not None else None
    clf.metadata["train_metrics"] = _without_reliability(train_report)
    if test_data is not None and test_report is not None:
        clf.metadata["test_source"] = test_data.source
        clf.metadata["test_metrics"] = _without_reliability(test_report)
    if selection is not None:
        clf.metadata["l2_selection"] = selection.to_dict()
    if out is not None:
        from probkit.classifier.modelfile import save_model

        save_model(out, clf)
    return TrainReport(classifier=clf, train_data=train_data, test_data=test_data, model=model,
                       preprocessing=preprocessing, out=None if out is None else str(out),
                       seconds=seconds, warnings=messages, train=train_report,
                       test=test_report, selection=selection, features=features)


def _representation(features: object) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """(registered name, params) of ``features``; InputError naming the parameter."""
    from probkit.classifier.selection.candidates import representation_of

    if not isinstance(features, str):
        raise InputError(f"features must be a text such as 'pixels' or 'sqrt(hsv:8x4x4)'; got "
                         f"{features!r}", parameter="features")
    with _about("features"):
        return representation_of(features)


def auto_l2_selection(train: Dataset, *, model: str, preprocessing: str, solver: str,
                      max_iter: int, hidden: int, seed: int, activation: str = "relu",
                      learning_rate: float | None = None, rule: str = "min-log-loss",
                      l2_values: tuple[float, ...] = AUTO_L2_VALUES,
                      progress: SelectionProgress | None = None,
                      features: str = "pixels", flip: bool = False) -> SelectionResult:
    """``l2="auto"``: choose λ by stratified 5-fold CV on the training data only."""
    from probkit.classifier.selection import search
    from probkit.classifier.selection.candidates import make_grid

    grid = make_grid(models=(model,), l2=l2_values, preprocessing=(preprocessing,),
                     max_iter=(max_iter,), solver=solver, hidden=hidden, activation=activation,
                     learning_rate=learning_rate, representations=(features,), flip=(flip,))
    return search.select_model(train, grid, k=5, rule=rule, seed=seed, calibrate="none",
                               refit=False, progress=progress)


__all__ = ["AUTO_L2_VALUES", "TrainReport", "auto_l2_selection", "train"]
