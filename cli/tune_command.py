"""``probkit tune``: choose a model by cross-validation on the training set only.

The command reads exactly one data file, ``--train``; it has no way to see
test data. It parses the options, calls :func:`probkit.classifier.workflows.tune` and renders
the report; numpy and the selection code are imported inside that call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from probkit_cli.classifier_commands import (
    FEATURES_HELP,
    JSON_HELP,
    OUT_HELP,
    PLOT_HELP,
    SOLVER_HELP,
    TRAIN_HELP,
)
from probkit_cli.common import echo, emit_json, note, refuse_overwriting_inputs
from probkit_cli.parameters import warning_text


def tune(
    train: Annotated[str, typer.Option("--train", metavar="FILE.h5", help=TRAIN_HELP)],
    out: Annotated[str, typer.Option("--out", metavar="FILE.npz", help=OUT_HELP)],
    grid: Annotated[str | None, typer.Option(
        "--grid", metavar="quick|default|pixels|full|features", help="Predefined grid: default "
        "(when no grid values are given: the representation -- colour of centre and border, "
        "LBP texture, HOG, image statistics and their combinations -- with the model family "
        "and λ, 3 repeats of 5-fold CV, the logit average of the best linear candidates "
        "(--ensemble) and the nested-CV estimate; 1-5 minutes on two cores, at most 10), "
        "quick (the default model's features with flips, λ 10 and 30, one 5-fold CV: "
        "5-15 s on two cores; needs images of at least 16x16 pixels), pixels (logistic on "
        "raw pixels), "
        "full (pixels with 2-layer nets) or features (pixels, colour histograms, HOG). "
        "Not with --model, --l2, --preprocessing, --iterations, --flip, --seeds or --features, "
        "which build your own grid.")] = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", metavar="logistic|two-layer", help="Model family to search; repeatable.")
    ] = None,
    l2: Annotated[list[float] | None, typer.Option(
        "--l2", metavar="λ", help="L2 penalty λ to search; repeatable.")] = None,
    preprocessing: Annotated[list[str] | None, typer.Option(
        "--preprocessing", metavar="scale|standardize", help="scale (pixels/255) or "
        "standardize (per-feature, on the training folds); repeatable.")] = None,
    iterations: Annotated[list[int] | None, typer.Option(
        "--iterations", metavar="N", help="Iteration budget (few = early stopping); "
        "repeatable.")] = None,
    flip: Annotated[str | None, typer.Option(
        "--flip", metavar="no|yes|both", help="Horizontal-flip augmentation of training "
        "folds.")] = None,
    seeds: Annotated[list[int] | None, typer.Option(
        "--seeds", metavar="N", help="Number of seeds averaged (two-layer nets); repeatable.")
    ] = None,
    features: Annotated[list[str] | None, typer.Option(
        "--features", metavar="TEXT", help=FEATURES_HELP + " Repeatable.")] = None,
    solver: Annotated[str | None, typer.Option(
        "--solver", metavar="gd|lbfgs", help=SOLVER_HELP + " Applied to every candidate "
        "[default: lbfgs].")] = None,
    hidden: Annotated[int | None, typer.Option(
        "--hidden", metavar="N", help="Hidden units of a two-layer net; applied to every "
        "two-layer candidate [default: 7].")] = None,
    folds: Annotated[int, typer.Option(
        "--folds", metavar="K", help="Number of stratified folds.")] = 5,
    repeats: Annotated[int | None, typer.Option(
        "--repeats", metavar="N", help="Repeat the k-fold split with different seeds (less "
        "noisy) [default: 3 for the default grid, else 1].")] = None,
    nested: Annotated[bool | None, typer.Option(
        "--nested/--no-nested", help="Also estimate how good the whole selection is by nested "
        "CV (the search rerun inside each of --folds outer folds; about 5/3 of the search's "
        "time) [default: on for the default grid only].")] = None,
    ensemble: Annotated[int | None, typer.Option(
        "--ensemble", metavar="N", min=0, help="Average the logits of linear candidates "
        "chosen by N rounds (at most 1000) of greedy selection on their out-of-fold logits, "
        "saved as one "
        "logistic model; 0: the single winner [default: 10 for the default grid without "
        "--base-rate, else 0]; --rule then names only the best single candidate.")] = None,
    rule: Annotated[str, typer.Option(
        "--rule", metavar="min-log-loss|one-se", help="min-log-loss (smallest mean validation "
        "log loss) or one-se (simplest candidate within one standard error of it).")
    ] = "min-log-loss",
    calibrate: Annotated[str, typer.Option(
        "--calibrate", metavar="temperature|none", help="temperature (fitted on out-of-fold "
        "logits) or none.")] = "temperature",
    base_rate: Annotated[str | None, typer.Option(
        "--base-rate", metavar="P", help="Choose and calibrate for a population with this share "
        "of cats (held-out scores reweighted to it; default: the training data's own). Use the "
        "same --base-rate with predict/evaluate.")] = None,
    seed: Annotated[int, typer.Option(
        "--seed", metavar="N", min=0, help="Seed for folds and initialisations.")] = 0,
    plot: Annotated[str | None, typer.Option("--plot", metavar="DIR", help=PLOT_HELP)] = None,
    json_output: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Cross-validate a grid of models on the training data, choose one by a named rule,
    calibrate it on out-of-fold logits, refit it on all training data and save it.

    Without grid options it searches the representation with the model family and λ
    (1-5 minutes on two cores, at most 10, with a progress line); --grid quick is a short version
    of it (the default features, two λ values: 5-15 s)."""
    from probkit import workflows
    from probkit_cli.classifier_commands import _base_rate, _plot_folder
    from probkit_cli.classifier_render import selection_table
    from probkit_cli.progress import SelectionBar

    target = _base_rate(base_rate)
    folder = _plot_folder(None if plot is None else Path(plot))
    refuse_overwriting_inputs(out, [("--train", train)])
    bar = SelectionBar()  # on stderr, so also with --json
    try:
        report = workflows.tune(train, out=out, grid=grid, models=model, l2=l2,
                                preprocessing=preprocessing, max_iter=iterations, flip=flip,
                                seeds=seeds, solver=solver, hidden=hidden, features=features,
                                folds=folds,
                                repeats=repeats, rule=rule, calibrate=calibrate,
                                base_rate=target, seed=seed, nested=nested,
                                ensemble=ensemble,
                                progress=bar.progress)
        bar.finish()
    finally:
        bar.stop()
    if folder is not None:
        report.save_plots(folder)
    for message in report.notes:
        note(f"warning: {warning_text(message)}")
    if json_output:
        emit_json(report.to_dict())
        return
    result = report.result
    shown = 20
    echo(selection_table(report, limit=None if len(result.rows) <= shown else shown))
    if len(result.rows) > shown:
        echo(f"... {len(result.rows) - shown} more candidates (see --json)")
    chosen = result.chosen
    echo()
    if result.repeats > 1:
        echo(f"{result.repeats} repeats of stratified {folds}-fold CV "
             f"({result.repeats * folds} scores each)")
    if target is not None:
        echo(f"scores are for a population with {base_rate} cats (held-out folds reweighted, "
             "logits moved by Bayes' rule on odds)")
    echo(f"constant base-rate model: val log loss {result.baseline_log_loss:.4f}, "
         f"accuracy {result.baseline_accuracy:.3f}")
    averaged = result.ensemble is not None and len(result.ensemble) > 1
    echo(f"{'best single candidate' if averaged else 'chosen'} by {rule}: "
         f"{chosen.candidate.label} (val log loss "
         f"{chosen.log_loss_mean:.4f} ± {chosen.log_loss_sd:.4f}, accuracy "
         f"{chosen.accuracy_mean:.3f} ± {chosen.accuracy_sd:.3f})")
    if averaged and result.ensemble is not None:
        echo(f"chosen: the logit average of {len(result.ensemble)} linear candidates (greedy "
             f"selection on their out-of-fold logits; out-of-fold log loss "
             f"{result.ensemble_log_loss:.4f}, flattering), saved as one logistic model:")
        for candidate, weight in result.ensemble:
            echo(f"  {weight:.4g} × {candidate.label}")
    if report.nested is not None:
        n = report.nested
        echo(f"nested CV of the whole selection ({n.k} outer folds): log loss "
             f"{n.log_loss_mean:.4f} ± {n.log_loss_se:.4f} (SE), accuracy "
             f"{n.accuracy_mean:.3f} ± {n.accuracy_se:.3f}: what to expect of the chosen model")
    echo(f"temperature (cross-fitted on out-of-fold logits): {result.temperature:.3f}")
    echo(f"refitted on all {result.n_train} training images and saved to {out}")
    if target is not None:
        echo(f"use --base-rate {base_rate} with predict/evaluate: the saved model answers at "
             f"the training base rate {result.training_base_rate:.4f}")
    for path in report.plots:
        note(f"wrote {path}")
