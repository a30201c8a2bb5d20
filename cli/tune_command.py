"""``probkit tune``: choose a model by cross-validation on the training set only.

The command reads exactly one data file, ``--train``; it has no way to see
test data. numpy and the selection code are imported inside the command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from probkit.errors import InputError
from probkit_cli.common import echo, emit_json, note, refuse_overwriting_inputs

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object on stdout and nothing else.")
]


def tune(
    train: Annotated[str, typer.Option("--train", help="Training data (HDF5); the only "
                                       "data selection ever reads.")],
    out: Annotated[str, typer.Option("--out", help="Where to write the chosen model (.npz).")],
    grid: Annotated[str, typer.Option(
        "--grid", help="Predefined grid: quick, default (logistic) or full (adds 2-layer nets). "
        "Ignored when any of --model/--l2/--preprocessing/--iterations/--flip/--seeds is given.",
    )] = "default",
    model: Annotated[list[str] | None, typer.Option(
        "--model", help="Model family to search (logistic, two-layer); repeatable.")] = None,
    l2: Annotated[list[float] | None, typer.Option(
        "--l2", help="λ value to search; repeatable.")] = None,
    preprocessing: Annotated[list[str] | None, typer.Option(
        "--preprocessing", help="scale (/255) or standardize; repeatable.")] = None,
    iterations: Annotated[list[int] | None, typer.Option(
        "--iterations", help="Iteration budget (few = early stopping); repeatable.")] = None,
    flip: Annotated[str | None, typer.Option(
        "--flip", help="Horizontal-flip augmentation of training folds: no, yes or both.")] = None,
    seeds: Annotated[list[int] | None, typer.Option(
        "--seeds", help="Number of seeds averaged (two-layer nets); repeatable.")] = None,
    solver: Annotated[str, typer.Option("--solver", help="gd or lbfgs.")] = "lbfgs",
    hidden: Annotated[int, typer.Option("--hidden", help="Hidden units of two-layer nets.")] = 7,
    folds: Annotated[int, typer.Option("--folds", help="Number of stratified folds.")] = 5,
    repeats: Annotated[int, typer.Option(
        "--repeats", help="Repeat the k-fold split with different seeds (less noisy).")] = 1,
    rule: Annotated[str, typer.Option(
        "--rule", help="min-log-loss (smallest mean validation log loss) or one-se "
        "(simplest candidate within one standard error of it).")] = "min-log-loss",
    calibrate: Annotated[str, typer.Option(
        "--calibrate", help="temperature (fitted on out-of-fold logits) or none.",
    )] = "temperature",
    base_rate: Annotated[str | None, typer.Option(
        "--base-rate", help="Choose and calibrate for a population with this share of cats "
        "(held-out scores reweighted to it; default: the training data's own). Use the same "
        "--base-rate with predict/evaluate.")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0,
                                      help="Seed for folds and initialisations.")] = 0,
    plot: Annotated[str | None, typer.Option(
        "--plot", help="Write PNG plots into this folder (needs the plot extra).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Cross-validate a grid of models on the training data, choose one by a named rule,
    calibrate it on out-of-fold logits, refit it on all training data and save it."""
    from probkit._atomic import check_writable
    from probkit.data.datasets import load_dataset
    from probkit.models.modelfile import save_model
    from probkit.selection import search
    from probkit.selection.candidates import make_grid, named_grid
    from probkit.selection.search import CALIBRATIONS, RULES
    from probkit_cli.trust_helpers import (
        parse_base_rate,
        plot_dir,
        progress_reporter,
        selection_plots,
        selection_table,
    )

    if rule not in RULES:
        raise InputError(f"--rule must be one of {', '.join(RULES)}, got {rule!r}")
    target = parse_base_rate(base_rate)
    check_writable(out, label="--out: cannot write")
    refuse_overwriting_inputs(out, [("--train", train)])
    if folds < 2:
        raise InputError(f"--folds: the number of folds must be an integer >= 2, got {folds}")
    if repeats < 1:
        raise InputError(f"--repeats must be >= 1, got {repeats}")
    if calibrate not in CALIBRATIONS:
        raise InputError(f"--calibrate must be temperature or none, got {calibrate!r}")
    folder = plot_dir(plot)
    custom = any(v is not None for v in (model, l2, preprocessing, iterations, flip, seeds))
    if custom:
        flips = {"no": (False,), "yes": (True,), "both": (False, True), None: (False, True)}
        if flip not in flips:
            raise InputError(f"--flip must be no, yes or both, got {flip!r}")
        candidates = make_grid(
            models=model or ("logistic",), l2=l2 or (10.0, 100.0, 1000.0, 10000.0),
            preprocessing=preprocessing or ("scale", "standardize"),
            max_iter=iterations or (20, 50, 500), solver=solver, flip=flips[flip],
            seeds=seeds or (1,), hidden=hidden)
    else:
        candidates = named_grid(grid)
    data = load_dataset(train)
    bar, progress = progress_reporter(not json_output)
    try:
        result = search.select_model(data, candidates, k=folds, rule=rule, seed=seed,
                                     repeats=repeats,
                                     base_rate=None if target is None else float(target),
                                     calibrate=calibrate, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    assert result.classifier is not None
    result.classifier.metadata.update({"train_source": data.source, "n_train": data.n,
                                       "tuned": True})
    save_model(out, result.classifier)
    plots = selection_plots(folder, result, data) if folder is not None else []
    if json_output:
        emit_json({**result.to_dict(), "out": out, "plots": plots})
        return
    echo(selection_table(result, limit=None if len(result.rows) <= 20 else 20))
    if len(result.rows) > 20:
        echo(f"... {len(result.rows) - 20} more candidates (see --json)")
    chosen = result.chosen
    echo()
    if repeats > 1:
        echo(f"{repeats} repeats of stratified {folds}-fold CV ({repeats * folds} scores each)")
    if target is not None:
        echo(f"scores are for a population with {base_rate} cats (held-out folds reweighted, "
             "logits moved by Bayes' rule on odds)")
    echo(f"constant base-rate model: val log loss {result.baseline_log_loss:.4f}, "
         f"accuracy {result.baseline_accuracy:.3f}")
    echo(f"chosen by {rule}: {chosen.candidate.label} (val log loss "
         f"{chosen.log_loss_mean:.4f} ± {chosen.log_loss_sd:.4f}, accuracy "
         f"{chosen.accuracy_mean:.3f} ± {chosen.accuracy_sd:.3f})")
    echo(f"temperature (cross-fitted on out-of-fold logits): {result.temperature:.3f}")
    echo(f"refitted on all {result.n_train} training images and saved to {out}")
    if target is not None:
        echo(f"use --base-rate {base_rate} with predict/evaluate: the saved model answers at "
             f"the training base rate {result.training_base_rate:.4f}")
    for path in plots:
        note(f"wrote {path}")
