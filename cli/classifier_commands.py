"""``probkit train``, ``probkit evaluate`` and ``probkit predict``: the cat classifier.

Thin wrappers: parse options, call :mod:`probkit.models.classifier`, render. numpy and
the rest are imported inside the command functions so that the other commands
start fast.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from probkit.errors import InputError
from probkit_cli.common import echo, emit_json, note, refuse_overwriting_inputs, table

if TYPE_CHECKING:
    from probkit.models.classifier import Classifier

MODEL_CHOICES = ("logistic", "two-layer")
SOLVER_CHOICES = ("gd", "lbfgs")
ACTIVATION_CHOICES = ("relu", "tanh")
PREPROCESSING_CHOICES = ("scale", "standardize")


def _choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise InputError(f"{option}: {value!r} is not one of {', '.join(choices)}")
    return value


def _parse_l2(text: str) -> float:
    from probkit.numbers import parse_number

    if text.strip().lower() == "auto":
        raise InputError("--l2 auto is not available here; give a number such as 0.7")
    value = parse_number(text, what="--l2")
    if value < 0:
        raise InputError(f"--l2 must be >= 0; got {text}")
    return float(value)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _metric_rows(reports: list[dict[str, Any]]) -> list[list[str]]:
    def row(name: str, fn: Any) -> list[str]:
        return [name, *(fn(r) for r in reports)]

    return [
        row("images", lambda r: f"{r['n']} ({r['n_positive']} cats)"),
        row("accuracy", lambda r: _pct(r["accuracy"])),
        row("95% interval", lambda r: f"{_pct(r['accuracy_ci'][0])} - {_pct(r['accuracy_ci'][1])}"),
        row("baseline (majority)", lambda r: _pct(r["baseline_accuracy"])),
        row("log loss", lambda r: _num(r["log_loss"])),
        row("Brier score", lambda r: _num(r["brier"])),
        row("ECE (10 bins)", lambda r: _num(r["ece"])),
        row("sensitivity", lambda r: _pct(r["sensitivity"])),
        row("specificity", lambda r: _pct(r["specificity"])),
    ]


def _small_sample_note(report: dict[str, Any], name: str) -> None:
    lo, hi = report["accuracy_ci"]
    if report["n"] < 200:
        note(
            f"note: the {name} set has only {report['n']} images, so its accuracy is uncertain: "
            f"95% Wilson interval {_pct(lo)} - {_pct(hi)}."
        )


def _without_reliability(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "reliability"}


def _fit_with_progress(
    clf: Classifier, train_data: Any, total: int, show: bool
) -> list[str]:
    """Fit with a rich progress bar (current cost) on stderr; return warning messages."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    every = max(1, total // 200)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if not show:
            clf.fit(train_data)
        else:
            with Progress(
                TextColumn("training"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("cost {task.fields[cost]}"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as progress:
                task = progress.add_task("train", total=total, cost="-")

                def callback(iteration: int, cost: float) -> None:
                    if iteration % every == 0 or iteration >= total:
                        progress.update(task, completed=iteration, cost=f"{cost:.6f}")

                clf.fit(train_data, callback=callback)
                est = clf.estimator
                progress.update(
                    task,
                    total=max(est.n_iter_, 1) if est.n_iter_ < total else total,
                    completed=est.n_iter_,
                    cost=f"{est.cost_history_[-1]:.6f}",
                )
    messages = []
    for w in caught:
        if issubclass(w.category, UserWarning):
            messages.append(str(w.message))
    return messages


def train(
    train: Annotated[Path, typer.Option("--train", help="Training data (HDF5, published layout).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (.npz).")],
    test: Annotated[
        Path | None, typer.Option("--test", help="Test data to report on (never used to fit).")
    ] = None,
    model: Annotated[str, typer.Option("--model", help="logistic or two-layer.")] = "logistic",
    hidden: Annotated[int, typer.Option("--hidden", min=1, help="Hidden units (two-layer).")] = 7,
    activation: Annotated[
        str, typer.Option("--activation", help="Hidden activation: relu or tanh.")
    ] = "relu",
    l2: Annotated[str, typer.Option(
        "--l2", help="L2 penalty λ in λ/(2m)·ΣW², or auto: chosen by 5-fold CV log loss on "
        "the training data only.")] = "0",
    iterations: Annotated[
        int | None,
        typer.Option("--iterations", help="GD steps / L-BFGS limit [2000 logistic, 2500 net]."),
    ] = None,
    learning_rate: Annotated[
        float | None,
        typer.Option("--learning-rate", help="GD step size [0.005 logistic, 0.0075 net]."),
    ] = None,
    solver: Annotated[str, typer.Option("--solver", help="gd or lbfgs.")] = "gd",
    tol: Annotated[
        float | None, typer.Option("--tol", help="Stop when the gradient is this small.")
    ] = None,
    preprocessing: Annotated[
        str, typer.Option("--preprocessing", help="scale (pixels/255) or standardize.")
    ] = "scale",
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed for the starting weights.")] = 0,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Write PNG plots into this folder (needs the plot extra).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Train a classifier on cat-vs-non-cat data and save it."""
    from probkit._atomic import check_writable
    from probkit.data.datasets import load_dataset
    from probkit.data.preprocessing import Preprocessor
    from probkit.models.classifier import Classifier, build_estimator
    from probkit.models.modelfile import save_model

    _choice(model, MODEL_CHOICES, "--model")
    _choice(solver, SOLVER_CHOICES, "--solver")
    _choice(preprocessing, PREPROCESSING_CHOICES, "--preprocessing")
    _choice(activation, ACTIVATION_CHOICES, "--activation")
    from probkit_cli import trust_helpers as trust

    auto_l2 = l2.strip().lower() == "auto"
    folder = trust.plot_dir(None if plot is None else str(plot))
    hyper: dict[str, Any] = {"l2": 0.0 if auto_l2 else _parse_l2(l2), "solver": solver,
                             "random_state": seed}
    if model == "two-layer":
        hyper.update(hidden=hidden, activation=activation)
    if iterations is not None:
        hyper["max_iter"] = iterations
    if learning_rate is not None:
        hyper["learning_rate"] = learning_rate
    if tol is not None:
        hyper["tol"] = tol
    estimator = build_estimator(model, **hyper)
    check_writable(out, label="--out: cannot write")
    refuse_overwriting_inputs(out, [("--train", train), ("--test", test)])
    train_data = load_dataset(train)
    selection = None
    if auto_l2:  # chosen on the training data only, before the test file is opened
        note("--l2 auto: choosing λ by stratified 5-fold CV on the training data ...")
        selection = trust.auto_l2(train_data, model=model, preprocessing=preprocessing,
                                  solver=solver, iterations=int(estimator.max_iter),
                                  hidden=hidden, activation=activation,
                                  learning_rate=learning_rate, seed=seed)
        estimator.set_params(l2=selection.chosen.candidate.l2)
    test_data = load_dataset(test) if test is not None else None
    clf = Classifier(preprocessor=Preprocessor(method=preprocessing), estimator=estimator)
    estimator._validate_hyperparameters()  # fail before the progress bar starts
    start = time.perf_counter()
    messages = _fit_with_progress(clf, train_data, int(estimator.max_iter), show=True)
    seconds = time.perf_counter() - start
    with warnings.catch_warnings():
        if estimator.diverged_:  # already reported in words; numpy's overflow notes add noise
            warnings.simplefilter("ignore", RuntimeWarning)
        train_report = clf.evaluate(train_data)
        test_report = clf.evaluate(test_data) if test_data is not None else None
    clf.metadata["train_metrics"] = _without_reliability(train_report)
    if test_data is not None and test_report is not None:
        clf.metadata["test_source"] = test_data.source
        clf.metadata["test_metrics"] = _without_reliability(test_report)
    if selection is not None:
        clf.metadata["l2_selection"] = selection.to_dict()
    save_model(out, clf)
    est = clf.estimator
    plots = trust.train_plots(folder, clf, train_data, test_data, selection)
    for message in messages:
        note(f"warning: {message}")
    if as_json:
        emit_json(
            {
                "model": model,
                "hyperparameters": est.get_params(),
                "preprocessing": preprocessing,
                "out": str(out),
                "n_iter": est.n_iter_,
                "final_cost": float(est.cost_history_[-1]),
                "training_path": est.training_path_,
                "converged": est.converged_,
                "diverged": est.diverged_,
                "seconds": seconds,
                "training_base_rate": clf.training_base_rate,
                "warnings": messages,
                "train": train_report,
                "test": test_report,
                "l2_selection": None if selection is None else selection.to_dict(),
                "plots": plots,
            }
        )
        return
    if selection is not None:
        echo(trust.selection_table(selection))
        echo(f"--l2 auto: λ = {selection.chosen.candidate.l2:g} by 5-fold CV log loss on the "
             "training data")
    reports = [train_report] + ([test_report] if test_report is not None else [])
    headers = ["metric", "train"] + (["test"] if test_report is not None else [])
    echo(
        f"{model} ({est.training_path_}, {est.n_iter_} iterations, {seconds:.2f} s): "
        f"final cost {est.cost_history_[-1]:.6f}"
    )
    echo(table(headers, _metric_rows(reports), right=[False] + [True] * (len(headers) - 1)))
    echo(f"saved {out}")
    if test_report is not None:
        _small_sample_note(test_report, "test")
    for path in plots:
        note(f"wrote {path}")


def evaluate(
    model: Annotated[Path, typer.Option("--model", help="A model file written by train.")],
    data: Annotated[Path, typer.Option("--data", help="Labelled data (HDF5).")],
    base_rate: Annotated[str | None, typer.Option(
        "--base-rate", help="Also evaluate P(cat) moved to this share of cats by Bayes' rule "
        "on odds, e.g. 66% or 1/2.")] = None,
    as_test: Annotated[bool, typer.Option(
        "--as-test", help="Read the classifier as a diagnostic test for 'cat': exact "
        "sensitivity/specificity and P(cat | verdict), via the exact Bayes engine.")] = False,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Write PNG plots into this folder (needs the plot extra).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Evaluate a saved model on labelled data: accuracy with its interval, calibration."""
    from probkit.data.datasets import load_dataset
    from probkit.models.modelfile import load_model
    from probkit_cli import trust_helpers as trust

    target = trust.parse_base_rate(base_rate)
    folder = trust.plot_dir(None if plot is None else str(plot))
    clf = load_model(model)
    dataset = load_dataset(data)
    report = clf.evaluate(dataset)
    extra = trust.evaluate_extras(clf, dataset, target, as_test=as_test, folder=folder)
    if as_json:
        emit_json(
            {
                "model": str(model),
                "data": str(data),
                "training_base_rate": clf.training_base_rate,
                "temperature": clf.temperature,
                **report,
                **extra,
            }
        )
        return
    echo(table(["metric", "value"], _metric_rows([report]), right=[False, True]))
    c = report["confusion"]
    names = clf.class_names
    echo("")
    echo(
        table(
            ["true \\ predicted", names[0], names[1]],
            [[names[0], str(c["tn"]), str(c["fp"])], [names[1], str(c["fn"]), str(c["tp"])]],
            right=[False, True, True],
        )
    )
    echo("")
    echo(trust.render_reliability(report["reliability"], report["ece"]))
    trust.render_evaluate_extras(extra)
    _small_sample_note(report, "evaluation")


def predict(
    model: Annotated[Path, typer.Option("--model", help="A model file written by train.")],
    images: Annotated[
        list[Path] | None, typer.Argument(help="Photos (JPEG/PNG...; needs the image extra).")
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Images from an HDF5 file instead of photos.")
    ] = None,
    base_rate: Annotated[str | None, typer.Option(
        "--base-rate", help="Move P(cat) from the training base rate to this share of cats "
        "(Bayes' rule on odds), e.g. 66% or 1/2.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """P(cat) and P(non-cat) for each image, with the predicted label."""
    from probkit_cli import trust_helpers as trust

    target = trust.parse_base_rate(base_rate)
    from probkit.data.datasets import load_dataset
    from probkit.models.modelfile import load_model

    if (data is None) == (not images):
        raise InputError("give either --data FILE.h5 or one or more IMAGE files (not both)")
    clf = load_model(model)
    names = clf.class_names
    labels = None
    if data is not None:
        dataset = load_dataset(data)
        clf.check_input(dataset)
        pixels = dataset.images
        labels = dataset.labels
        keys: list[tuple[str, Any]] = [("index", i) for i in range(dataset.n)]
    else:
        from probkit.data.images import load_photos

        assert images is not None
        h, w, _ = clf.input_shape
        pixels = load_photos(images, (h, w))
        keys = [("file", str(p)) for p in images]
    proba = clf.predict_proba(pixels)
    if target is not None:
        moved = trust.adjusted_p_cat(clf, proba[:, 1], target)
        proba = trust.two_columns(moved)
    predictions = []
    for (key, value), (p0, p1), i in zip(keys, proba, range(len(keys)), strict=True):
        item: dict[str, Any] = {
            key: value,
            "p_cat": float(p1),
            "p_non_cat": float(p0),
            "label": names[1] if p1 > p0 else names[0],
        }
        if labels is not None:
            item["true_label"] = names[int(labels[i])]
        predictions.append(item)
    if as_json:
        emit_json(
            {
                "model": str(model),
                "training_base_rate": clf.training_base_rate,
                "temperature": clf.temperature,
                "base_rate": None if target is None else trust.base_rate_json(clf, target),
                "predictions": predictions,
            }
        )
        return
    first = "index" if data is not None else "file"
    headers = [first, f"P({names[1]})", f"P({names[0]})", "label"]
    if labels is not None:
        headers.append("true label")
    rows = []
    for item in predictions:
        row = [str(item[first]), f"{item['p_cat']:.4f}", f"{item['p_non_cat']:.4f}", item["label"]]
        if labels is not None:
            row.append(item["true_label"])
        rows.append(row)
    echo(table(headers, rows, right=[first == "index", True, True, False, False][: len(headers)]))
    if target is not None:
        note(f"note: probabilities moved from the training base rate of "
             f"{100 * clf.training_base_rate:.1f}% to --base-rate {base_rate} {names[1]}s.")
        return
    note(
        f"note: these probabilities assume the training base rate of "
        f"{100 * clf.training_base_rate:.1f}% {names[1]}s."
    )
