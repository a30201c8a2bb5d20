"""``probkit tune`` as a library call: :func:`tune` and its :class:`TuneReport`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from probkit.classifier.workflows._common import (
    PathLike,
    SelectionProgress,
    _base_rate,
    _check_out,
    _dataset,
    _save,
)
from probkit.errors import InputError
from probkit.options import (
    CALIBRATIONS,
    RULES,
    check_choice,
)

if TYPE_CHECKING:
    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.pipeline import Classifier
    from probkit.classifier.selection.nested import NestedCV
    from probkit.classifier.selection.search import SelectionResult


@dataclass
class TuneReport:
    """What :func:`tune` found, chose, calibrated and refitted."""

    result: SelectionResult
    train_data: Dataset
    out: str | None
    grid_name: str | None
    plots: list[str] = field(default_factory=list)
    nested: NestedCV | None = None
    """The nested-CV estimate of the whole selection (None when not asked for)."""
    notes: list[str] = field(default_factory=list)
    """One-line warnings: a winner no better than the constant model, a refit that stopped
    before its tolerance."""

    @property
    def classifier(self) -> Classifier:
        """The chosen candidate refitted on all training data (with its temperature)."""
        assert self.result.classifier is not None
        return self.result.classifier

    def to_dict(self) -> dict[str, Any]:
        """Exactly ``probkit tune --json``."""
        return {**self.result.to_dict(), "out": self.out, "plots": list(self.plots),
                "nested": None if self.nested is None else self.nested.to_dict(),
                "notes": list(self.notes)}

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

        from probkit.classifier.evaluation.calibration import calibration_error, reliability_table
        from probkit.classifier.evaluation.plots import (
            plot_confident_mistakes,
            plot_cv_curve,
            plot_learning_curve,
            plot_reliability_diagram,
        )
        from probkit.classifier.selection.crossval import learning_curve

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

    def __repr__(self) -> str:
        from probkit.display import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines, html_table

        r = self.result
        table = html_table(["", "candidate", "val log loss (mean ± SD)", "val accuracy"],
                           self.table_rows(limit=20))
        return html_block(
            f"chosen by {r.rule}: {r.chosen_label}", table,
            html_lines([f"constant base-rate model: val log loss {r.baseline_log_loss:.4f}",
                        *([] if self.nested is None else [
                            f"nested CV of the whole selection ({self.nested.k} outer folds): "
                            f"log loss {self.nested.log_loss_mean:.4f} ± "
                            f"{self.nested.log_loss_se:.4f} (SE)"]),
                        f"temperature (cross-fitted on out-of-fold logits): "
                        f"{r.temperature:.3f}",
                        *(f"warning: {n}" for n in self.notes)]))


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
    features: Sequence[str] | None = None,
    folds: int = 5,
    repeats: int | None = None,
    rule: str = "min-log-loss",
    calibrate: str = "temperature",
    base_rate: object = None,
    seed: int = 0,
    nested: bool | None = None,
    ensemble: int | None = None,
    progress: SelectionProgress | None = None,
) -> TuneReport:
    """Choose a model by cross-validation on ``train`` only, calibrate, refit, save.

    The grid is the named ``grid`` (``quick``, ``default``, ``full``), or the
    product of ``models``, ``l2``, ``preprocessing``, ``max_iter``, ``flip`` (``no``,
    ``yes``, ``both``), ``seeds`` and ``features`` (representations) when any is given
    (defaults: logistic; λ 10...10000; both preprocessings; 20, 50, 500 iterations;
    both flips; one seed; pixels);
    giving both is refused. ``solver`` (default L-BFGS) and ``hidden`` (default 7)
    apply to either kind; ``hidden`` needs two-layer nets in the grid. Without
    either, the ``default`` grid: the representation searched with the model family and
    λ (:data:`~probkit.classifier.selection.candidates.DEFAULT_SEARCH`). ``repeats``
    (None: 3 for the default grid, else 1) repeats the k-fold split. ``nested`` (None:
    on for the default grid only) also scores the whole selection by nested CV
    (:func:`~probkit.classifier.selection.nested.nested_cross_validate`: ``folds`` outer
    folds, one repeat inside). ``ensemble`` (None: 10 rounds for the default grid without
    ``base_rate``, else 0) replaces the single winner by the weighted logit average of
    linear candidates chosen greedily on their out-of-fold logits
    (:mod:`~probkit.classifier.selection.ensemble`), inside the nested CV too. ``base_rate``
    chooses and calibrates for a
    population with that share of cats. See
    :func:`probkit.classifier.selection.candidates.search_grid` and
    :func:`probkit.classifier.selection.search.select_model`.
    """
    from probkit.classifier.features.cache import feature_cache
    from probkit.classifier.selection import search
    from probkit.classifier.selection.candidates import search_grid

    custom = any(v is not None for v in (models, l2, preprocessing, max_iter, flip, seeds,
                                         features))
    asked = grid
    grid = None if custom else (grid or "default")
    if repeats is None:
        repeats = 3 if grid == "default" else 1
    if nested is None:
        nested = grid == "default"
    _check_selection_options(folds=folds, repeats=repeats, rule=rule, calibrate=calibrate)
    target = _base_rate(base_rate)
    if ensemble is None:
        from probkit.classifier.selection.ensemble import DEFAULT_ROUNDS

        ensemble = DEFAULT_ROUNDS if grid == "default" and target is None else 0
    candidates = search_grid(asked, models=models, l2=l2,
                             preprocessing=preprocessing, max_iter=max_iter, flip=flip,
                             seeds=seeds, solver=solver, hidden=hidden, features=features)
    _check_out(out, [("train", train)])
    data = _dataset(train, "train")
    main_fits = len(candidates) * folds * repeats
    nested_fits = len(candidates) * folds * folds if nested else 0

    def overall(done: int, total: int, label: str, offset: int = 0) -> None:
        if progress is not None:
            progress(offset + done, main_fits + nested_fits, label)

    with feature_cache():  # every image's features once, for the search and the nested CV
        result = search.select_model(data, candidates, k=folds, rule=rule, seed=seed,
                                     repeats=repeats,
                                     base_rate=None if target is None else float(target),
                                     calibrate=calibrate, ensemble=ensemble,
                                     progress=overall)
        estimate = None
        if nested:
            from probkit.classifier.selection.nested import nested_cross_validate

            estimate = nested_cross_validate(
                data, candidates, k=folds, inner_k=folds, rule=rule, calibrate=calibrate,
                seed=seed, ensemble=ensemble,
                progress=lambda d, t, label: overall(d, t, label, main_fits))
    assert result.classifier is not None
    result.classifier.metadata.update({"train_source": data.source, "n_train": data.n,
                                       "tuned": True})
    if out is not None:
        from probkit.classifier.modelfile import save_model

        save_model(out, result.classifier)
    return TuneReport(result=result, train_data=data, out=None if out is None else str(out),
                      grid_name=grid, nested=estimate, notes=_notes(result))


def _notes(result: SelectionResult) -> list[str]:
    """One line each: a winner no better than the constant model; a refit stopped short."""
    notes = []
    chosen = result.chosen
    if chosen.log_loss_mean > result.baseline_log_loss - chosen.log_loss_se:
        notes.append(f"the chosen model is no better than the constant model: its CV log loss "
                     f"{chosen.log_loss_mean:.4f} is within one SE ({chosen.log_loss_se:.4f}) "
                     f"of the constant model's {result.baseline_log_loss:.4f}; try the default "
                     "grid, other features (--features) or smaller λ")
    notes.extend(result.refit_warnings)
    return notes


__all__ = ["TuneReport", "tune"]
