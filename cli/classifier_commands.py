"""``probkit train``, ``probkit evaluate`` and ``probkit predict``: the cat classifier.

Each command parses its options, makes one call to :mod:`probkit.classifier.workflows` and
renders the report (:mod:`probkit_cli.classifier_render`); the library checks
every value. numpy and the rest are imported by the library, inside the calls,
so that the other commands start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from probkit.errors import InputError
from probkit_cli.common import emit_json, note, refuse_overwriting_inputs
from probkit_cli.parameters import warning_text

#: help texts shared by train and tune (the same option reads the same in both)
TRAIN_HELP = "Training data (HDF5, published layout)."
OUT_HELP = "Where to write the model (.npz), atomically."
SPLIT_HELP = ("Which split of a data file holding both train_set_* and test_set_* to read "
              "(such a file is refused without it).")
PLOT_HELP = "Write PNG plots into this folder (needs the plot extra)."
FEATURES_HELP = ("The representation: pixels, or colour histograms (also per region), HOG, "
                 "LBP texture and image statistics, e.g. sqrt(hsv:8x4x4), hsv:8x4x4@centre, "
                 "rgb:4x4x4, hog:9,8,2, lbp:1,2,3, stats, joined by + (docs/probabilities.md).")
JSON_HELP = "Print one JSON object on stdout and nothing else."
SOLVER_HELP = "Optimizer: L-BFGS (lbfgs) or gradient descent (gd)."
FIT_HELP = ("How a photo of another shape is fitted to the model's square input: crop (the "
            "centre, default), pad (with white) or squash (stretch).")


def _l2(text: str | None) -> float | str | None:
    """``--l2``: a number (exact syntax of probkit.numbers), ``auto`` or None (the default)."""
    from probkit.numbers import parse_number, to_float

    if text is None:
        return None
    if text.strip().lower() == "auto":
        return "auto"
    return to_float(parse_number(text, what="--l2"), what="--l2")


def _yes_no(text: str, parameter: str) -> bool:
    """``yes`` or ``no`` (anything else refused naming the option)."""
    from probkit.options import check_choice

    check_choice(text, ("no", "yes"), parameter=parameter)
    return text == "yes"


def _base_rate(text: str | None):  # type: ignore[no-untyped-def]
    """``--base-rate``: a probability read exactly (the library checks 0 < P < 1), or
    ``estimate`` (the share of cats estimated from the batch by the library)."""
    if text is not None and text.strip().lower() == "estimate":
        return "estimate"
    from probkit.numbers import parse_probability

    return None if text is None else parse_probability(text, what="--base-rate")


def _plot_folder(plot: str | None) -> Path | None:
    from probkit.classifier.evaluation.plots import plot_folder

    return None if plot is None else plot_folder(plot)


def train(
    train: Annotated[Path, typer.Option("--train", metavar="FILE.h5", help=TRAIN_HELP)],
    out: Annotated[str, typer.Option("--out", metavar="FILE.npz", help=OUT_HELP)],
    test: Annotated[Path | None, typer.Option(
        "--test", metavar="FILE.h5", help="Test data to report on (never used to fit; its image "
        "size is checked before training).")] = None,
    model: Annotated[str, typer.Option(
        "--model", metavar="logistic|two-layer", help="Model family.")] = "logistic",
    hidden: Annotated[int, typer.Option(
        "--hidden", metavar="N", min=1, help="Hidden units of a two-layer net.")] = 7,
    activation: Annotated[str, typer.Option(
        "--activation", metavar="relu|tanh", help="Hidden activation of a two-layer net.")
    ] = "relu",
    l2: Annotated[str | None, typer.Option(
        "--l2", metavar="λ|auto", help="L2 penalty λ in λ/(2m)·ΣW² (λ = 1/C in scikit-learn's "
        "terms), or auto: chosen by 5-fold CV log loss on the training data only [default: "
        "the default search's λ with the default features, else 0].")] = None,
    iterations: Annotated[int | None, typer.Option(
        "--iterations", metavar="N", help="Iteration budget: GD steps / L-BFGS limit "
        "[2000 logistic, 2500 net].")] = None,
    learning_rate: Annotated[float | None, typer.Option(
        "--learning-rate", metavar="RATE", help="GD step size [0.005 logistic, 0.0075 net].")
    ] = None,
    solver: Annotated[str, typer.Option("--solver", metavar="gd|lbfgs", help=SOLVER_HELP)
                      ] = "lbfgs",
    tol: Annotated[float | None, typer.Option(
        "--tol", metavar="TOL", help="Stop when the gradient is this small.")] = None,
    preprocessing: Annotated[str, typer.Option(
        "--preprocessing", metavar="scale|standardize", help="scale (pixels/255) or "
        "standardize (per-feature, on the training data).")] = "scale",
    features: Annotated[str | None, typer.Option(
        "--features", metavar="TEXT", help=FEATURES_HELP + " Default: the representation the "
        "default search of `probkit tune` chose on the real training file, "
        "std(sqrt(hsv:8x4x4@centre) + sqrt(lbp) + hog + stats) (rooted colour histograms of the "
        "centre and the border, LBP texture, HOG and image statistics) with λ 10 and flips; "
        "--features pixels for raw pixels.")] = None,
    flip: Annotated[str | None, typer.Option(
        "--flip", metavar="no|yes", help="Also fit on the mirror images [default: yes with the "
        "default features, as the search chose; no otherwise].")] = None,
    seed: Annotated[int, typer.Option(
        "--seed", metavar="N", min=0, help="Seed for the starting weights (and the folds of "
        "--l2 auto).")] = 0,
    plot: Annotated[str | None, typer.Option("--plot", metavar="DIR", help=PLOT_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Train a classifier on cat-vs-non-cat data and save it."""
    from probkit import workflows
    from probkit_cli.classifier_render import render_train
    from probkit_cli.progress import TrainingBar

    folder = _plot_folder(plot)
    l2_value = _l2(l2)
    refuse_overwriting_inputs(out, [("--train", train), ("--test", test)])
    if l2_value == "auto":
        note("--l2 auto: choosing λ by stratified 5-fold CV on the training data ...")
    bar = TrainingBar()
    try:
        report = workflows.train(train, test=test, out=out, model=model, l2=l2_value,
                                 hidden=hidden, activation=activation, max_iter=iterations,
                                 learning_rate=learning_rate, solver=solver, tol=tol,
                                 preprocessing=preprocessing, features=features,
                                 flip=None if flip is None else _yes_no(flip, "flip"),
                                 seed=seed,
                                 callback=bar.update,
                                 on_fit_start=bar.set_total)
        bar.finish(report.n_iter, report.final_cost)
    finally:
        bar.stop()
    if folder is not None:
        report.save_plots(folder)
    for message in report.warnings:
        note(f"warning: {warning_text(message)}")
    if as_json:
        emit_json(report.to_dict())
        return
    render_train(report)
    for path in report.plots:
        note(f"wrote {path}")


def evaluate(
    model: Annotated[Path, typer.Option("--model", metavar="FILE.npz",
                                        help="A model file written by train or tune.")],
    data: Annotated[Path, typer.Option("--data", metavar="FILE.h5",
                                       help="Labelled data (HDF5).")],
    base_rate: Annotated[str | None, typer.Option(
        "--base-rate", metavar="P|estimate", help="Also evaluate P(cat) moved to this share of "
        "cats by Bayes' rule on odds, e.g. 66% or 1/2; 'estimate': the share estimated from the "
        "images (EM, with a bootstrap interval; not applied when too uncertain).")] = None,
    as_test: Annotated[bool, typer.Option(
        "--as-test", help="Read the classifier as a diagnostic test for 'cat': exact "
        "sensitivity/specificity and P(cat | verdict), via the exact Bayes engine.")] = False,
    plot: Annotated[str | None, typer.Option("--plot", metavar="DIR", help=PLOT_HELP)] = None,
    split: Annotated[str | None, typer.Option("--split", metavar="train|test", help=SPLIT_HELP)
                     ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Evaluate a saved model on labelled data: accuracy with its interval, calibration."""
    from probkit import workflows
    from probkit_cli.classifier_render import render_evaluate

    target = _base_rate(base_rate)
    folder = _plot_folder(plot)
    report = workflows.evaluate(model, data, base_rate=target, as_test=as_test, split=split)
    if folder is not None:
        report.save_plots(folder)
    if as_json:
        emit_json(report.to_dict())
        return
    render_evaluate(report)


def compare(
    models: Annotated[list[Path], typer.Option(
        "--model", metavar="FILE.npz", help="A model file; give exactly two (A, then B).")],
    data: Annotated[Path, typer.Option("--data", metavar="FILE.h5",
                                       help="Labelled data (HDF5) both models are scored on.")],
    bootstrap: Annotated[int, typer.Option(
        "--bootstrap", metavar="N", help="Paired bootstrap resamples of the images.")
    ] = 10_000,
    seed: Annotated[int, typer.Option("--seed", metavar="N", min=0, help="Bootstrap seed.")
                    ] = 0,
    split: Annotated[str | None, typer.Option("--split", metavar="train|test", help=SPLIT_HELP)
                     ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Two models on the same labelled images: paired differences with intervals."""
    from probkit import workflows
    from probkit_cli.classifier_render import render_compare

    if len(models) != 2:
        raise InputError(f"--model: give exactly two model files (A and B); got {len(models)}",
                         parameter="model")
    report = workflows.compare(models[0], models[1], data, n_bootstrap=bootstrap, seed=seed,
                               split=split)
    if as_json:
        emit_json(report.to_dict())
        return
    render_compare(report)


def predict(
    model: Annotated[Path, typer.Option("--model", metavar="FILE.npz",
                                        help="A model file written by train or tune.")],
    images: Annotated[list[Path] | None, typer.Argument(
        metavar="[IMAGE]...", help="Photos (JPEG/PNG/TIFF...; needs the image extra).")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", metavar="FILE.h5", help="Images from an HDF5 file instead of photos.")
    ] = None,
    base_rate: Annotated[str | None, typer.Option(
        "--base-rate", metavar="P|estimate", help="Move P(cat) from the training base rate to "
        "this share of cats (Bayes' rule on odds), e.g. 66% or 1/2; 'estimate': the share "
        "estimated from the images (EM; not applied when too uncertain).")] = None,
    fit: Annotated[str, typer.Option("--fit", metavar="crop|pad|squash", help=FIT_HELP)
                   ] = "crop",
    split: Annotated[str | None, typer.Option("--split", metavar="train|test", help=SPLIT_HELP)
                     ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """P(cat) and P(non-cat) for each image, with the predicted label."""
    from probkit import workflows
    from probkit_cli.common import echo, table

    target = _base_rate(base_rate)
    if (data is None) == (not images):
        raise InputError("give either --data FILE.h5 or one or more IMAGE files (not both)")
    report = workflows.predict(model, images=images or None, data=data, base_rate=target,
                               fit=fit, split=split)
    for warning in report.warnings:
        note(f"warning: {warning_text(warning)}")
    if as_json:
        emit_json(report.to_dict())
        return
    headers, rows, right = report.table()
    echo(table(headers, rows, right=right))
    for line in report.photo_notes():
        note(f"note: {line}")
    if report.base_rate_estimate is not None:
        note(str(report.base_rate_estimate))
    note(report.base_rate_note(None if target == "estimate" else base_rate))
    if report.flagged:
        note(f"{report.flagged} of {len(report.predictions)} images are unlike the training "
             "images (typicality below the model's threshold): their P(cat) is unreliable.")
