"""Workflows: what ``probkit train``, ``tune``, ``evaluate`` and ``predict`` do, as library calls.

Each function takes data sets and models as objects or file names, does the
whole job the command does, and returns a report: a dataclass with
``to_dict()`` (exactly what the command prints with ``--json``), the objects a
notebook wants next (the fitted :class:`~probkit.models.classifier.Classifier`,
the selection result...), ``figures()`` (matplotlib Figures of the command's
``--plot`` pictures, with ``save_plots(folder)``) and ``_repr_html_`` (a
notebook shows the report as tables). The command line only parses options,
calls one of these and renders the report.

>>> from probkit.data.datasets import make_synthetic
>>> train_set, test_set = make_synthetic(60, size=6, seed=0), make_synthetic(30, size=6, seed=1)
>>> report = train(train_set, test=test_set, solver="lbfgs", max_iter=50, l2=1.0)
>>> sorted(report.to_dict())[:4]
['converged', 'diverged', 'final_cost', 'hyperparameters']
>>> report.test["n"], report.classifier.model_type
(30, 'logistic')
>>> evaluation = evaluate(report.classifier, test_set, base_rate="1/2", as_test=True)
>>> evaluation.to_dict()["at_base_rate"]["base_rate"]
'1/2'
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from probkit.errors import DataError, InputError
from probkit.options import (
    ACTIVATIONS,
    CALIBRATIONS,
    MODELS,
    PREPROCESSING,
    RULES,
    SOLVERS,
    check_choice,
)

if TYPE_CHECKING:
    from probkit.bridges.base_rate import BaseRateShift, ClassifierAsTest
    from probkit.bridges.label_shift import BaseRateEstimate
    from probkit.data.datasets import Dataset
    from probkit.evaluation.calibration import ECEConsistency
    from probkit.evaluation.comparison import ModelComparison
    from probkit.models.classifier import Classifier
    from probkit.selection.search import SelectionResult

PathLike = str | os.PathLike[str]
#: ``callback(iteration, cost)`` during a fit (a progress bar)
IterationCallback = Callable[[int, float], None]
#: ``progress(done, total, label)`` during cross-validation
SelectionProgress = Callable[[int, int, str], None]

#: the keys of a metrics report repeated in the extra sections of ``evaluate``
SUMMARY_KEYS = ("accuracy", "accuracy_ci", "log_loss", "brier", "ece", "confusion",
                "sensitivity", "specificity", "mean_p_cat")

#: the λ values ``l2="auto"`` searches
AUTO_L2_VALUES = (0.0, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)


# ---------------------------------------------------------------- small helpers

@contextmanager
def _about(parameter: str) -> Iterator[None]:
    """Errors raised inside are about ``parameter`` (unless they already name one)."""
    try:
        yield
    except InputError as exc:
        if exc.parameter is None:
            exc.parameter = parameter
        raise


def _dataset(value: Dataset | PathLike, parameter: str) -> Dataset:
    from probkit.data.datasets import Dataset, load_dataset

    if isinstance(value, Dataset):
        return value
    if not isinstance(value, str | os.PathLike):
        raise InputError(f"{parameter} must be a Dataset or a file name, got "
                         f"{type(value).__name__}", parameter=parameter)
    return load_dataset(value)


def _classifier(value: Classifier | PathLike) -> tuple[Classifier, str]:
    from probkit.models.classifier import Classifier
    from probkit.models.modelfile import load_model

    if isinstance(value, Classifier):
        return value, "<memory>"
    if not isinstance(value, str | os.PathLike):
        raise InputError(f"model must be a Classifier or a model file, got "
                         f"{type(value).__name__}", parameter="model")
    return load_model(value), str(value)


def _source(value: Any, data: Dataset) -> str:
    return str(value) if isinstance(value, str | os.PathLike) else data.source


def _check_out(out: PathLike | None, inputs: Sequence[tuple[str, Any]]) -> None:
    """Fail before the long run if ``out`` cannot be written or is one of the inputs."""
    from probkit._atomic import check_writable, refuse_overwriting

    if out is None:
        return
    with _about("out"):
        check_writable(out, label="out: cannot write")
    refuse_overwriting(out, [(label, path) for label, path in inputs
                             if isinstance(path, str | os.PathLike)])


#: the ``base_rate`` value that asks for the share of cats to be estimated from the batch
ESTIMATE = "estimate"


def _base_rate(value: object) -> Fraction | float | None:
    """A target base rate, checked now (strictly between 0 and 1)."""
    if value is None or value == ESTIMATE:
        return None
    from probkit.bridges.base_rate import BaseRateShift

    target = BaseRateShift("1/2", value).target
    return target


def _estimated_base_rate(clf: Classifier, images: Any) -> BaseRateEstimate:
    """The share of cats in an unlabelled batch by EM (:mod:`probkit.bridges.label_shift`),
    from the classifier's calibrated logits at its training base rate."""
    from probkit.bridges.label_shift import estimate_base_rate

    clf.base_rate_shift("1/2")  # refuses a model whose training base rate is 0 or 1
    return estimate_base_rate(clf.decision_function(images),
                              training_base_rate=float(clf.training_base_rate))


def _out_of_distribution(clf: Classifier, images: Any) -> dict[str, Any] | None:
    """How many images the model's typicality score flags (None: the model has no score)."""
    from probkit.evaluation.typicality import COMBINED_SCORE_NAME, SCORE_NAME

    result = clf.typicality(images)
    if result is None:
        return None
    typicality, ok = result
    return {"flagged": int((~ok).sum()), "n": int(ok.size),
            "flagged_indices": [int(i) for i in (~ok).nonzero()[0]],
            "alpha": float(clf.typicality_.alpha), "views": clf.typicality_views,
            "threshold": clf.typicality_threshold,
            "score": COMBINED_SCORE_NAME if clf.typicality_views > 1 else SCORE_NAME}


def _without_reliability(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "reliability"}


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    return {k: report[k] for k in SUMMARY_KEYS if k in report}


def _reliability_figures(prefix: str, data: Dataset, p_cat: Any,
                         clf: Classifier) -> dict[str, Any]:
    """Reliability diagram, confidently wrong images, the most confidently right and wrong
    images; for a colour-histogram logistic model also their per-pixel evidence and the
    model's cell weights (:mod:`probkit.evaluation.colour_evidence`)."""
    from probkit.evaluation.calibration import calibration_error, reliability_table
    from probkit.evaluation.colour_evidence import colour_evidence, histogram_weights
    from probkit.evaluation.plots import (
        plot_colour_evidence,
        plot_confident_mistakes,
        plot_confident_verdicts,
        plot_histogram_weights,
        plot_reliability_diagram,
    )

    rows = reliability_table(data.labels, p_cat)
    names = (data.class_names[0], data.class_names[1])
    figs = {
        f"{prefix}_reliability": plot_reliability_diagram(
            rows, ece=calibration_error(rows),
            title=f"Reliability on {os.path.basename(data.source)}"),
        f"{prefix}_confident_mistakes": plot_confident_mistakes(
            data.images, data.labels, p_cat, class_names=names),
        f"{prefix}_confident_verdicts": plot_confident_verdicts(
            data.images, data.labels, p_cat, class_names=names),
    }
    try:
        weights = histogram_weights(clf)
    except InputError:  # not a colour-histogram logistic model: no evidence to split
        return figs
    evidence = colour_evidence(clf, data.images)
    figs[f"{prefix}_colour_evidence"] = plot_colour_evidence(
        evidence.maps, data.labels, p_cat, class_names=names)
    figs[f"{prefix}_colour_weights"] = plot_histogram_weights(weights, class_names=names)
    return figs


def _save(figures: dict[str, Any], folder: PathLike) -> list[str]:
    from probkit.evaluation.plots import plot_folder, save_figure

    where = plot_folder(folder)
    return [str(save_figure(fig, where / f"{name}.png")) for name, fig in figures.items()]


def _metrics_html(headers: list[str], reports: list[dict[str, Any]]) -> str:
    from probkit.display import html_table, metric_rows

    return html_table(headers, metric_rows(reports))


# ---------------------------------------------------------------- train

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

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``probkit train --json``."""
        est = self.classifier.estimator
        return {
            "model": self.model,
            "hyperparameters": est.get_params(),
            "preprocessing": self.preprocessing,
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

        from probkit.evaluation.plots import plot_cv_curve, plot_learning_curve

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
        return (f"{self.model} ({est.training_path_}, {est.n_iter_} iterations, "
                f"{self.seconds:.2f} s): final cost {est.cost_history_[-1]:.6f}")

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
    l2: float | str = 0.0,
    hidden: int = 7,
    activation: str = "relu",
    max_iter: int | None = None,
    learning_rate: float | None = None,
    solver: str = "gd",
    tol: float | None = None,
    preprocessing: str = "scale",
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
    l2 : float or "auto"
        λ, or ``"auto"``: chosen by stratified 5-fold CV log loss on ``train``.
    hidden, activation : two-layer nets only (both are validated for every model).
    max_iter, learning_rate, tol : None for the model's defaults.
    solver : {"gd", "lbfgs"}
    preprocessing : {"scale", "standardize"}
    seed : int
        Seeds the starting weights (and the folds of ``l2="auto"``).
    callback : callable, optional
        ``callback(iteration, cost)`` during the fit.
    on_fit_start : callable, optional
        ``on_fit_start(max_iter)`` just before the fit (e.g. to size a progress bar).
    """
    from probkit.data.representations import build_representation
    from probkit.models.classifier import Classifier
    from probkit.models.registry import build_estimator

    check_choice(model, MODELS, parameter="model")
    check_choice(solver, SOLVERS, parameter="solver")
    check_choice(preprocessing, PREPROCESSING, parameter="preprocessing")
    check_choice(activation, ACTIVATIONS, parameter="activation")
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
    selection = None
    if auto_l2:  # chosen on the training data only, before the test file is opened
        selection = auto_l2_selection(train_data, model=model, preprocessing=preprocessing,
                                      solver=solver, max_iter=int(estimator.max_iter),
                                      hidden=hidden, activation=activation,
                                      learning_rate=learning_rate, seed=seed)
        estimator.set_params(l2=selection.chosen.candidate.l2)
    test_data = _dataset(test, "test") if test is not None else None
    if test_data is not None and test_data.image_shape != train_data.image_shape:
        # found before the fit, not after it
        (h, w, c), (th, tw, tc) = test_data.image_shape, train_data.image_shape
        raise DataError(f"{test_data.source}: images are {h}x{w}x{c} but the training images "
                        f"are {th}x{tw}x{tc}", parameter="test")
    clf = Classifier(preprocessor=build_representation("pixels", method=preprocessing),
                     estimator=estimator)
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
        from probkit.models.modelfile import save_model

        save_model(out, clf)
    return TrainReport(classifier=clf, train_data=train_data, test_data=test_data, model=model,
                       preprocessing=preprocessing, out=None if out is None else str(out),
                       seconds=seconds, warnings=messages, train=train_report,
                       test=test_report, selection=selection)


def auto_l2_selection(train: Dataset, *, model: str, preprocessing: str, solver: str,
                      max_iter: int, hidden: int, seed: int, activation: str = "relu",
                      learning_rate: float | None = None, rule: str = "min-log-loss",
                      l2_values: tuple[float, ...] = AUTO_L2_VALUES,
                      progress: SelectionProgress | None = None) -> SelectionResult:
    """``l2="auto"``: choose λ by stratified 5-fold CV on the training data only."""
    from probkit.selection import search
    from probkit.selection.candidates import make_grid

    grid = make_grid(models=(model,), l2=l2_values, preprocessing=(preprocessing,),
                     max_iter=(max_iter,), solver=solver, hidden=hidden, activation=activation,
                     learning_rate=learning_rate)
    return search.select_model(train, grid, k=5, rule=rule, seed=seed, calibrate="none",
                               refit=False, progress=progress)


# ---------------------------------------------------------------- tune

@dataclass
class TuneReport:
    """What :func:`tune` found, chose, calibrated and refitted."""

    result: SelectionResult
    train_data: Dataset
    out: str | None
    grid_name: str | None
    plots: list[str] = field(default_factory=list)

    @property
    def classifier(self) -> Classifier:
        """The chosen candidate refitted on all training data (with its temperature)."""
        assert self.result.classifier is not None
        return self.result.classifier

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``probkit tune --json``."""
        return {**self.result.to_dict(), "out": self.out, "plots": list(self.plots)}

    def ranked_rows(self, limit: int | None = None) -> list[Any]:
        """The CV rows sorted by mean validation log loss (the first ``limit``)."""
        rows = sorted(self.result.rows, key=lambda r: (r.diverged is not None,
                                                       r.log_loss_mean if r.diverged is None
                                                       else 0.0))
        return rows if limit is None else rows[:limit]

    def table_rows(self, limit: int | None = None) -> list[list[str]]:
        """Cells of the CV table: chosen mark, candidate, log loss and accuracy mean ± SD."""
        chosen = self.result.chosen.candidate
        return [["*" if r.candidate == chosen else "", r.candidate.label,
                 f"{r.log_loss_mean:.4f} ± {r.log_loss_sd:.4f}" if r.diverged is None
                 else "diverged: excluded",
                 f"{r.accuracy_mean:.3f} ± {r.accuracy_sd:.3f}" if r.diverged is None
                 else r.diverged[:60]] for r in self.ranked_rows(limit)]

    def figures(self) -> dict[str, Any]:
        """CV curves, the choice's learning curve on fold 1, out-of-fold reliability and
        confidently-wrong training images."""
        import numpy as np
        from scipy.special import expit

        from probkit.evaluation.calibration import calibration_error, reliability_table
        from probkit.evaluation.plots import (
            plot_confident_mistakes,
            plot_cv_curve,
            plot_learning_curve,
            plot_reliability_diagram,
        )
        from probkit.selection.crossval import learning_curve

        result, train = self.result, self.train_data
        groups: dict[str, tuple[list[float], list[float], list[float]]] = {}
        for row in result.rows:
            if row.diverged is not None:
                continue
            c = row.candidate
            key = c.label.replace(f"λ={c.l2:g} ", "")
            lams, means, sds = groups.setdefault(key, ([], [], []))
            lams.append(c.l2)
            means.append(row.log_loss_mean)
            sds.append(row.log_loss_sd)
        chosen = result.chosen.candidate
        figs = {"tune_cv_curve": plot_cv_curve(
            groups, chosen=(chosen.label.replace(f"λ={chosen.l2:g} ", ""), chosen.l2),
            baseline=result.baseline_log_loss)}
        curve = learning_curve(chosen, train, k=result.k, seed=result.seed)
        figs["tune_learning_curve"] = plot_learning_curve(
            curve["train_cost"], curve["validation_log_loss"],
            title=f"Learning curve on CV fold 1: {chosen.label}")
        p_oof = expit(np.asarray(result.out_of_fold_logits)[0] / result.temperature)
        rows = reliability_table(train.labels, p_oof)
        figs["tune_reliability_out_of_fold"] = plot_reliability_diagram(
            rows, ece=calibration_error(rows), title="Out-of-fold reliability (training set)")
        figs["tune_confident_mistakes_out_of_fold"] = plot_confident_mistakes(
            train.images, train.labels, p_oof,
            class_names=(train.class_names[0], train.class_names[1]))
        return figs

    def save_plots(self, folder: PathLike) -> list[str]:
        """Write :meth:`figures` as PNGs into ``folder`` (atomically); record and return paths."""
        self.plots = _save(self.figures(), folder)
        return self.plots

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines, html_table

        r = self.result
        c = r.chosen
        table = html_table(["", "candidate", "val log loss (mean ± SD)", "val accuracy"],
                           self.table_rows(limit=20))
        return html_block(
            f"chosen by {r.rule}: {c.candidate.label}", table,
            html_lines([f"constant base-rate model: val log loss {r.baseline_log_loss:.4f}",
                        f"temperature (cross-fitted on out-of-fold logits): "
                        f"{r.temperature:.3f}"]))


def _check_selection_options(*, folds: int, repeats: int, rule: str, calibrate: str) -> None:
    check_choice(rule, RULES, parameter="rule")
    if not isinstance(folds, int) or isinstance(folds, bool) or folds < 2:
        raise InputError(f"folds: the number of folds must be an integer >= 2, got {folds!r}",
                         parameter="folds")
    if not isinstance(repeats, int) or isinstance(repeats, bool) or repeats < 1:
        raise InputError(f"repeats must be >= 1, got {repeats!r}", parameter="repeats")
    check_choice(calibrate, CALIBRATIONS, parameter="calibrate")


def tune(
    train: Dataset | PathLike,
    *,
    out: PathLike | None = None,
    grid: str | None = None,
    models: Sequence[str] | None = None,
    l2: Sequence[float] | None = None,
    preprocessing: Sequence[str] | None = None,
    max_iter: Sequence[int] | None = None,
    flip: str | None = None,
    seeds: Sequence[int] | None = None,
    solver: str | None = None,
    hidden: int | None = None,
    folds: int = 5,
    repeats: int = 1,
    rule: str = "min-log-loss",
    calibrate: str = "temperature",
    base_rate: object = None,
    seed: int = 0,
    progress: SelectionProgress | None = None,
) -> TuneReport:
    """Choose a model by cross-validation on ``train`` only, calibrate, refit, save.

    The grid is the named ``grid`` (``quick``, ``default``, ``full``), or the
    product of ``models``, ``l2``, ``preprocessing``, ``max_iter``, ``flip`` (``no``,
    ``yes``, ``both``) and ``seeds`` when any is given (defaults: logistic; λ
    10...10000; both preprocessings; 20, 50, 500 iterations; both flips; one seed);
    giving both is refused. ``solver`` (default L-BFGS) and ``hidden`` (default 7)
    apply to either kind; ``hidden`` needs two-layer nets in the grid. Without
    either, the ``default`` grid. ``base_rate`` chooses and calibrates for a
    population with that share of cats. See
    :func:`probkit.selection.candidates.search_grid` and
    :func:`probkit.selection.search.select_model`.
    """
    from probkit.selection import search
    from probkit.selection.candidates import search_grid

    _check_selection_options(folds=folds, repeats=repeats, rule=rule, calibrate=calibrate)
    target = _base_rate(base_rate)
    custom = any(v is not None for v in (models, l2, preprocessing, max_iter, flip, seeds))
    candidates = search_grid(grid, models=models, l2=l2, preprocessing=preprocessing,
                             max_iter=max_iter, flip=flip, seeds=seeds, solver=solver,
                             hidden=hidden)
    grid = None if custom else (grid or "default")
    _check_out(out, [("train", train)])
    data = _dataset(train, "train")
    result = search.select_model(data, candidates, k=folds, rule=rule, seed=seed,
                                 repeats=repeats,
                                 base_rate=None if target is None else float(target),
                                 calibrate=calibrate, progress=progress)
    assert result.classifier is not None
    result.classifier.metadata.update({"train_source": data.source, "n_train": data.n,
                                       "tuned": True})
    if out is not None:
        from probkit.models.modelfile import save_model

        save_model(out, result.classifier)
    return TuneReport(result=result, train_data=data, out=None if out is None else str(out),
                      grid_name=grid)


# ---------------------------------------------------------------- evaluate

@dataclass
class AsTestView:
    """The classifier read as a diagnostic test for "cat" (exact, through the Bayes engine)."""

    test: ClassifierAsTest
    verdicts: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the exact view and which verdicts were counted."""
        return {**self.test.to_dict(), "verdicts": self.verdicts}

    def lines(self) -> list[str]:
        """The view in words: counts, exact rates, P(cat | verdict) at each base rate."""
        from probkit.display import exact_and_decimal

        view = self.test
        c = view.counts
        lines = [
            f"the classifier as a test for 'cat' (verdicts: {self.verdicts})",
            f"  counts: TP={c.true_positive}, FN={c.false_negative}, "
            f"TN={c.true_negative}, FP={c.false_positive}",
            f"  sensitivity = {exact_and_decimal(view.sensitivity)}, "
            f"specificity = {exact_and_decimal(view.specificity)}",
        ]

        def both(value: Fraction | None) -> str:
            return "undefined (never said)" if value is None else exact_and_decimal(value)

        for i, answer in enumerate(view.answers):
            where = "this data's base rate" if i == 0 else "--base-rate"
            lines.append(f"  at {where} {answer.to_dict()['base_rate']}: P(cat | says cat) = "
                         f"{both(answer.p_cat_if_says_cat)}, P(cat | says non-cat) = "
                         f"{both(answer.p_cat_if_says_non_cat)}")
        return lines


@dataclass
class EvaluationReport:
    """What :func:`evaluate` measured on one labelled data set."""

    classifier: Classifier
    data: Dataset
    model_source: str
    data_source: str
    metrics: dict[str, Any]
    before_calibration: dict[str, Any] | None = None
    shift: BaseRateShift | None = None
    at_base_rate: dict[str, Any] | None = None
    as_test: AsTestView | None = None
    plots: list[str] | None = None
    out_of_distribution: dict[str, Any] | None = None
    base_rate_estimate: BaseRateEstimate | None = None
    #: images of ``data`` that copy a training image (None: the model remembers none)
    training_copies: list[Any] | None = None
    #: how large the ECE of calibrated probabilities would be on these images
    ece_check: ECEConsistency | None = None
    #: the same for the probabilities moved to the base rate
    ece_check_at_base_rate: ECEConsistency | None = None

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``probkit evaluate --json``."""
        out = {"model": self.model_source, "data": self.data_source,
               "training_base_rate": self.classifier.training_base_rate,
               "temperature": self.classifier.temperature, **self.metrics}
        if self.ece_check is not None:
            out["ece_consistency"] = self.ece_check.to_dict()
        if self.before_calibration is not None:
            out["before_calibration"] = self.before_calibration
        if self.at_base_rate is not None:
            out["at_base_rate"] = dict(self.at_base_rate)
            if self.ece_check_at_base_rate is not None:
                out["at_base_rate"]["ece_consistency"] = self.ece_check_at_base_rate.to_dict()
        if self.as_test is not None:
            out["as_test"] = self.as_test.to_dict()
        if self.plots is not None:
            out["plots"] = list(self.plots)
        out["out_of_distribution"] = self.out_of_distribution
        if self.base_rate_estimate is not None:
            out["base_rate_estimate"] = self.base_rate_estimate.to_dict()
        out["copies_of_training_images"] = None if self.training_copies is None else [
            {"index": c.second.index, "train_index": c.first.index, "kind": c.kind,
             "correlation": round(c.correlation, 6)} for c in self.training_copies]
        return out

    def copy_lines(self) -> list[str]:
        """One line per image that copies a training image, e.g. ``#17 = training #146``."""
        return [f"#{c.second.index} = training image #{c.first.index} ({c.kind} copy"
                + ("" if c.kind == "exact" else f", r = {c.correlation:.3f}") + ")"
                for c in self.training_copies or []]

    def figures(self) -> dict[str, Any]:
        """Reliability diagram, confidently wrong images and the most confidently right and
        wrong (at the training base rate); evidence maps and cell weights for a
        colour-histogram model."""
        from scipy.special import expit

        return _reliability_figures("evaluate", self.data,
                                    expit(self.classifier.decision_function(self.data.images)),
                                    self.classifier)

    def save_plots(self, folder: PathLike) -> list[str]:
        """Write :meth:`figures` as PNGs into ``folder`` (atomically); record and return paths."""
        self.plots = _save(self.figures(), folder)
        return self.plots

    def confusion_rows(self) -> tuple[list[str], list[list[str]]]:
        """Headers and cells of the confusion table (rows: truth, columns: verdict)."""
        c = self.metrics["confusion"]
        names = self.classifier.class_names
        return (["true \\ predicted", names[0], names[1]],
                [[names[0], str(c["tn"]), str(c["fp"])], [names[1], str(c["fn"]), str(c["tp"])]])

    def reliability_rows(self) -> list[list[str]]:
        """Cells of the 10-bin reliability table."""

        def cell(value: Any) -> str:
            return "" if value is None else f"{value:.3f}"

        return [[f"{r['low']:.1f}-{r['high']:.1f}", str(r["count"]), cell(r["mean_predicted"]),
                 cell(r["observed_rate"])] for r in self.metrics["reliability"]]

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines, html_table

        headers, rows = self.confusion_rows()
        parts = [_metrics_html(["metric", "value"], [self.metrics]),
                 html_table(headers, rows),
                 html_table(["P(cat) bin", "count", "mean predicted", "observed share of cats"],
                            self.reliability_rows())]
        if self.ece_check is not None:
            parts.append(html_lines([str(self.ece_check)]))
        if self.at_base_rate is not None:
            parts.append(_metrics_html(["metric", f"at base rate {self.at_base_rate['base_rate']}"],
                                       [{**self.metrics, **self.at_base_rate}]))
            if self.ece_check_at_base_rate is not None:
                parts.append(html_lines([str(self.ece_check_at_base_rate)]))
        return html_block(f"{self.model_source} on {self.data_source}", *parts)


def _ece_check(labels: Any, p_cat: Any) -> ECEConsistency:
    """:func:`~probkit.evaluation.calibration.ece_consistency` with 2000 simulations, fewer
    when the data set is so large that its ECE needs no such check."""
    from probkit.evaluation.calibration import MAX_CONSISTENCY_WORK, ece_consistency

    n_resamples = max(1, min(2000, MAX_CONSISTENCY_WORK // max(1, len(labels))))
    return ece_consistency(labels, p_cat, n_resamples=n_resamples, seed=0)


def evaluate(model: Classifier | PathLike, data: Dataset | PathLike, *,
             base_rate: object = None, as_test: bool = False) -> EvaluationReport:
    """Evaluate a classifier on labelled data the way ``probkit evaluate`` does.

    Accuracy with its Wilson interval, log loss, Brier score, ECE, confusion
    counts and the reliability table; the same before temperature scaling when
    the model carries a temperature; with ``base_rate``, the metrics of the
    probabilities moved to that share of cats; with ``as_test``, the classifier
    read as a diagnostic test (exact sensitivity/specificity, P(cat | verdict)).
    ``base_rate="estimate"`` estimates the share of cats from the images alone
    (EM, :mod:`probkit.bridges.label_shift`) and uses it only when the estimate is
    usable. The report counts the images the model's typicality score flags as
    unlike its training images (``out_of_distribution``), and names those that copy
    a training image (``training_copies``; :mod:`probkit.data.audit`).
    """
    import numpy as np
    from scipy.special import expit

    from probkit.bridges.base_rate import classifier_as_test
    from probkit.evaluation.metrics import classification_report, confusion_counts
    from probkit.numbers import format_exact

    target = _base_rate(base_rate)
    clf, model_source = _classifier(model)
    dataset = _dataset(data, "data")
    metrics = clf.evaluate(dataset)
    report = EvaluationReport(classifier=clf, data=dataset, model_source=model_source,
                              data_source=_source(data, dataset), metrics=metrics)
    report.out_of_distribution = _out_of_distribution(clf, dataset.images)
    report.training_copies = clf.training_copies(dataset.images, dataset.labels)
    if base_rate == ESTIMATE:
        report.base_rate_estimate = _estimated_base_rate(clf, dataset.images)
        if report.base_rate_estimate.usable:
            target = report.base_rate_estimate.estimate
    z = clf.decision_function(dataset.images)
    report.ece_check = _ece_check(dataset.labels, expit(z))
    if clf.temperature != 1.0:
        z_raw = clf.decision_function(dataset.images, calibrated=False)
        raw = classification_report(dataset.labels, expit(z_raw), logits=z_raw)
        report.before_calibration = _summary(raw)
    said = z
    if target is not None:
        shift = clf.base_rate_shift(target)
        z_moved = shift.shift_logits(z)
        moved = classification_report(dataset.labels, expit(z_moved), logits=z_moved)
        report.shift = shift
        report.at_base_rate = {**shift.to_dict(), **_summary(moved)}
        report.ece_check_at_base_rate = _ece_check(dataset.labels, expit(z_moved))
        said = z_moved
    if as_test:
        # the verdicts are those of the classifier as used: at the target base rate when given
        counts = confusion_counts(dataset.labels, (expit(said) > 0.5).astype(np.int64))
        view = classifier_as_test(counts, [] if target is None else [target])
        verdicts = ("P(cat) > 1/2 at the training base rate" if target is None
                    else f"P(cat) > 1/2 after moving to --base-rate {format_exact(target)}")
        report.as_test = AsTestView(test=view, verdicts=verdicts)
    return report


# ---------------------------------------------------------------- compare

def compare(model_a: Classifier | PathLike, model_b: Classifier | PathLike,
            data: Dataset | PathLike, *, n_bootstrap: int = 10_000,
            seed: int = 0) -> ModelComparison:
    """Two classifiers on the same labelled images, the way ``probkit compare`` does: each
    one's accuracy (with its interval), log loss, Brier score and ECE at its training base
    rate, and the paired bootstrap of the differences A − B
    (:mod:`probkit.evaluation.comparison`) with an exact McNemar test of the accuracies.
    Fifty test images decide little; this says how little.
    """
    from probkit.evaluation.comparison import compare_logits

    a, name_a = _classifier(model_a)
    b, name_b = _classifier(model_b)
    dataset = _dataset(data, "data")
    for clf in (a, b):
        clf.check_input(dataset)
    return compare_logits(
        dataset.labels, a.decision_function(dataset.images), b.decision_function(dataset.images),
        names=(name_a, name_b), data_source=_source(data, dataset),
        reports=(_without_reliability(a.evaluate(dataset)),
                 _without_reliability(b.evaluate(dataset))),
        n_bootstrap=n_bootstrap, seed=seed)


# ---------------------------------------------------------------- predict

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
            row = [str(item[self.key]), f"{item['p_cat']:.4f}", f"{item['p_non_cat']:.4f}",
                   item["label"], typical]
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

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines, html_table

        headers, rows, right = self.table()
        return html_block(f"predictions of {self.model_source}",
                          html_table(headers, rows),
                          html_lines([self.base_rate_note().removeprefix("note: ")]))


def predict(model: Classifier | PathLike, *, images: Sequence[PathLike] | None = None,
            data: Dataset | PathLike | None = None,
            base_rate: object = None, fit: str = "crop") -> PredictionReport:
    """P(cat) for photos (``images``, files; the ``image`` extra) or a data set (``data``).

    Photos are read by :func:`probkit.data.images.read_photo`: every mode converted
    by its meaning or refused by name, and one whose shape differs from the model's
    input centre-cropped (``fit="crop"``), padded with white (``"pad"``) or stretched
    (``"squash"``); each prediction says what was done (``read_as``).

    With ``base_rate`` the probabilities are moved from the training base rate to
    that share of cats (Bayes' rule on odds; :meth:`Classifier.predict_proba`);
    ``base_rate="estimate"`` estimates that share from the batch itself (EM) and
    moves them only when the estimate is usable. Every prediction carries
    ``typicality`` and ``in_distribution`` (None for a model file without a
    typicality score).
    """
    target = _base_rate(base_rate)
    if (data is None) == (not images):
        raise InputError("give either data (an HDF5 file or Dataset) or one or more image "
                         "files, not both", parameter="data")
    clf, model_source = _classifier(model)
    names = clf.class_names
    labels = None
    if data is not None:
        dataset = _dataset(data, "data")
        clf.check_input(dataset)
        pixels = dataset.images
        labels = dataset.labels
        keys: list[tuple[str, Any]] = [("index", i) for i in range(dataset.n)]
    else:
        import numpy as np

        from probkit.data.images import FITS, read_photos

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
        item: dict[str, Any] = {key: value, "p_cat": float(p1), "p_non_cat": float(p0),
                                "label": names[1] if p1 > p0 else names[0],
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


def small_sample_note(report: dict[str, Any], name: str) -> str | None:
    """A note that accuracy on fewer than 200 images is uncertain (with its interval)."""
    if report["n"] >= 200:
        return None
    lo, hi = report["accuracy_ci"]
    return (f"note: the {name} set has only {report['n']} images, so its accuracy is uncertain: "
            f"95% Wilson interval {lo:.1%} - {hi:.1%}.")


__all__ = [
    "AUTO_L2_VALUES",
    "AsTestView",
    "EvaluationReport",
    "PredictionReport",
    "TrainReport",
    "TuneReport",
    "auto_l2_selection",
    "compare",
    "evaluate",
    "predict",
    "small_sample_note",
    "train",
    "tune",
]
