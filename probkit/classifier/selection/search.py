r"""Honest model selection: cross-validate a grid, choose by a rule, calibrate, refit.

The only data this module ever sees is the training :class:`~.data.datasets.Dataset`
handed to :func:`select_model`; it has no parameter for test data and opens no
files, so a choice made here cannot have looked at the test set.

Each candidate (:mod:`probkit.classifier.selection.candidates`) is one point of a grid over

* the model family (``logistic`` or ``two-layer``) and its hidden size,
* the L2 strength λ (the penalty :math:`\frac{\lambda}{2m}\sum\lVert W\rVert_F^2`),
* the solver and the number of iterations (few gradient-descent or L-BFGS
  iterations is early stopping; many L-BFGS iterations reach the optimum),
* the representation and its preprocessing (``scale``: pixels/255, or
  ``standardize``: per-feature mean and SD of the training fold),
* horizontal-flip augmentation (flipped copies of the *training fold only*;
  λ is doubled with the doubled sample so that :math:`\lambda/(2m)` keeps
  its meaning), and
* the number of random seeds whose logits are averaged (two-layer nets).

:func:`~probkit.classifier.selection.crossval.cross_validate` scores every candidate on
held-out folds; a rule of :mod:`probkit.classifier.selection.rules` chooses; the choice is
then refitted on the whole training set, and a temperature :math:`T` is fitted
on the chosen candidate's out-of-fold logits (cross-fitting) so that
:math:`\sigma(z/T)` is calibrated.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from probkit.classifier.selection.candidates import Candidate
from probkit.classifier.selection.crossval import (
    CVRow,
    ProgressFn,
    cross_validate,
    target_scoring,
    training_arrays,
)
from probkit.classifier.selection.rules import choose
from probkit.errors import ComputationError, InputError
from probkit.options import CALIBRATIONS, RULES, check_choice

#: iterations from which a candidate is meant to reach the optimum (fewer: early stopping)
OPTIMUM_ITERATIONS = 500

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.pipeline import Classifier


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
    """Shape ``(repeats, n_train)``: the chosen candidate's (or ensemble's) held-out logits."""
    temperature: float
    classifier: Classifier | None = None
    ensemble: tuple[tuple[Candidate, float], ...] | None = None
    """With ``select_model(ensemble=N)``: the members and weights
    (:func:`~probkit.classifier.selection.ensemble.greedy_ensemble`); None otherwise."""
    ensemble_log_loss: float | None = None
    """The ensemble's out-of-fold log loss (all repeats pooled, before the temperature): the
    members were chosen on these logits, so it flatters them (the nested CV does not)."""
    learning_curve: dict[str, list[float]] = field(default_factory=dict)
    refit_warnings: list[str] = field(default_factory=list)
    """The refit's ConvergenceWarning, with what to change (a candidate meant to run to
    the optimum, 500 iterations or more, that stopped short)."""

    @property
    def chosen_label(self) -> str:
        """The chosen candidate's label, or the ensemble's (weights and members)."""
        if self.ensemble is None:
            return self.chosen.candidate.label
        from probkit.classifier.selection.ensemble import ensemble_label

        return ensemble_label(self.ensemble)

    def __repr__(self) -> str:
        return (f"SelectionResult(rule={self.rule!r}, chosen={self.chosen_label!r}, "
                f"candidates={len(self.rows)}, folds={self.k}, repeats={self.repeats}, "
                f"n_train={self.n_train}, temperature={self.temperature:.3f}, "
                f"refitted={self.classifier is not None})")

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_lines, html_table

        rows = sorted(self.rows, key=lambda r: (r.diverged is not None,
                                                r.log_loss_mean if r.diverged is None else 0.0))
        cells = [["*" if r is self.chosen else "", r.candidate.label,
                  f"{r.log_loss_mean:.4f} ± {r.log_loss_sd:.4f}" if r.diverged is None
                  else "diverged: excluded"] for r in rows[:20]]
        more = [f"... and {len(rows) - 20} more candidates"] if len(rows) > 20 else []
        title = f"chosen by {self.rule}: {self.chosen.candidate.label}"
        if self.ensemble is not None:
            title = (f"saved: the logit average of {len(self.ensemble)} candidates "
                     f"(best single by {self.rule}: {self.chosen.candidate.label})")
        return html_block(
            title,
            html_table(["", "candidate", "val log loss (mean ± SD)"], cells),
            html_lines([*more, f"{self.k}-fold CV x {self.repeats} on {self.n_train} images; "
                        f"constant base-rate model: val log loss {self.baseline_log_loss:.4f}; "
                        f"temperature {self.temperature:.3f}"]))

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
            # what the refit (and the model file) holds: the best single candidate, or the
            # logit average of the "ensemble" members when there is one
            "saved": "chosen" if self.ensemble is None else "ensemble",
            "ensemble": None if self.ensemble is None else {
                "members": [{"weight": w, **c.to_dict()} for c, w in self.ensemble],
                "out_of_fold_log_loss": self.ensemble_log_loss},
            "temperature": self.temperature,
            "grid": [r.to_dict() for r in self.rows],
        }


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
    ensemble: int = 0,
    progress: ProgressFn | None = None,
) -> SelectionResult:
    """Cross-validate ``grid`` on ``train``, choose by ``rule``, calibrate, refit.

    Parameters
    ----------
    train : Dataset
        The training data: the only data selection ever sees.
    grid : sequence of Candidate
        See :func:`~probkit.classifier.selection.candidates.make_grid`.
    k : int
        Number of stratified folds.
    repeats : int
        Repeat the k-fold split with this many different seeds.
    base_rate : float, optional
        Choose and calibrate for a population with this share of cats
        (:func:`~probkit.classifier.selection.crossval.target_scoring`). The refitted model
        still answers at the training base rate; move its output with the same
        ``base_rate`` (:meth:`Classifier.predict_proba`).
    rule : {"min-log-loss", "one-se"}
    seed : int
        Seeds the fold assignment and the two-layer nets' initialisations.
    calibrate : {"temperature", "none"}
        Fit a temperature on the chosen candidate's out-of-fold logits.
    refit : bool
        Refit the chosen candidate on all of ``train`` into a
        :class:`~probkit.classifier.pipeline.Classifier` (``result.classifier``).
    ensemble : int
        0: the one candidate the rule chooses. N > 0: the weighted logit average of the
        linear candidates chosen by N rounds of greedy selection on their out-of-fold logits
        (:mod:`~probkit.classifier.selection.ensemble`; the temperature is then fitted on the
        ensemble's out-of-fold logits, and the refit is the assembled linear model). Not with
        ``base_rate``.
    """
    import numpy as np

    from probkit.classifier.evaluation.calibration import fit_temperature

    check_choice(rule, RULES, parameter="rule")
    if base_rate is not None and not 0 < base_rate < 1:
        raise InputError(f"base_rate must lie strictly between 0 and 1, got {base_rate!r}",
                         parameter="base_rate")
    check_choice(calibrate, CALIBRATIONS, parameter="calibrate")
    from probkit.classifier.selection.ensemble import MAX_ROUNDS

    if not isinstance(ensemble, int) or isinstance(ensemble, bool) \
            or not 0 <= ensemble <= MAX_ROUNDS:
        raise InputError(f"ensemble must be a whole number of rounds from 0 to {MAX_ROUNDS}, "
                         f"got {ensemble!r}", parameter="ensemble")
    if ensemble and base_rate is not None:
        raise InputError("an ensemble is chosen at the training base rate; leave out "
                         "base_rate or set ensemble=0", parameter="ensemble")
    if ensemble:
        from probkit.classifier.selection.ensemble import block_text

        if not any(block_text(c) is not None for c in grid):
            raise InputError("no candidate of the grid can be an ensemble member (a logistic "
                             "regression on one std(...) group of features, preprocessing "
                             "scale, one seed); set ensemble=0", parameter="ensemble")
    _, labels = training_arrays(train)
    train.require_both_classes()
    from probkit.classifier.features.cache import feature_cache

    with feature_cache():  # each image's features once, whatever the folds and λ
        rows, oof, (base_loss, base_acc) = cross_validate(train, grid, k=k, seed=seed,
                                                          repeats=repeats, base_rate=base_rate,
                                                          progress=progress)
    chosen = choose(rows, rule)
    oof_logits = oof[chosen.candidate]
    members, ensemble_loss = None, None
    if ensemble:
        from probkit.classifier.selection.ensemble import (
            block_text,
            ensemble_logits,
            greedy_ensemble,
        )

        pool = sorted((r for r in rows if r.diverged is None
                       and block_text(r.candidate) is not None),
                      key=lambda r: (r.log_loss_mean, r.candidate.complexity()))
        if pool:
            members = greedy_ensemble({r.candidate: oof[r.candidate] for r in pool}, labels,
                                      rounds=ensemble)
            oof_logits = ensemble_logits(members, oof)
            from probkit.classifier.models.losses import log_loss_from_logits

            ensemble_loss = float(log_loss_from_logits(oof_logits.ravel(),
                                                       np.tile(labels, repeats)))
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
        temperature=temperature, ensemble=members, ensemble_log_loss=ensemble_loss,
    )
    if refit:
        from probkit.classifier.models.optimizers import ConvergenceWarning

        with feature_cache(), warnings.catch_warnings(record=True) as caught:
            # (the cache joins the search's when a caller holds one open)
            warnings.simplefilter("always", ConvergenceWarning)
            result.classifier = refit_classifier(chosen.candidate, train, seed=seed,
                                                 temperature=temperature,
                                                 metadata={"selection": result.to_dict()},
                                                 ensemble=members)
        refitted = [chosen.candidate] if members is None else [c for c, _ in members]
        if all(c.max_iter >= OPTIMUM_ITERATIONS for c in refitted):  # fewer: early stopping
            result.refit_warnings = list(dict.fromkeys(
                f"refitting {result.chosen_label}: {w.message}" for w in caught
                if issubclass(w.category, ConvergenceWarning)))
    return result


def refit_classifier(candidate: Candidate, train: Dataset, *, seed: int = 0,
                     temperature: float = 1.0,
                     metadata: dict[str, Any] | None = None,
                     ensemble: tuple[tuple[Candidate, float], ...] | None = None) -> Classifier:
    """Fit ``candidate`` (or the ``ensemble``'s members, assembled:
    :func:`~probkit.classifier.selection.ensemble.refit_ensemble`) on all of ``train`` (the
    same pipeline as every fold), and its out-of-distribution score
    (:meth:`Classifier.fit_typicality`). Optimizer warnings are left to the caller."""
    import numpy as np

    training_arrays(train)
    if ensemble is None:
        clf = candidate.build(seed=seed).fit(train)
    else:
        from probkit.classifier.selection.ensemble import refit_ensemble

        clf = refit_ensemble(ensemble, train, seed=seed)
    if not all(np.all(np.isfinite(v)) for v in clf.estimator.params_.values()):
        what = candidate.label if ensemble is None else "the ensemble"
        raise ComputationError(f"refitting {what} produced non-finite weights")
    clf.temperature = float(temperature)
    clf.metadata.update(metadata or {})
    clf.fit_typicality(train.images)
    clf.remember_training_images(train.images, train.labels)
    return clf


__all__ = ["CALIBRATIONS", "RULES", "SelectionResult", "refit_classifier", "select_model"]
