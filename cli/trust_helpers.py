"""Pieces the classifier commands share with ``probkit tune``: base rates, the
classifier-as-test view, the reliability table, plots and ``--l2 auto``.

Kept apart from ``classifier_commands`` so that each option there is a
one-line call here. numpy and friends are imported inside the functions.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from probkit.errors import InputError
from probkit.numbers import format_decimal, format_exact, parse_probability
from probkit_cli.common import echo, table

if TYPE_CHECKING:
    from probkit.data.datasets import Dataset
    from probkit.models.classifier import Classifier
    from probkit.selection.search import SelectionResult


def parse_base_rate(text: str | None, *, option: str = "--base-rate") -> Fraction | None:
    """Parse ``--base-rate`` exactly; it must lie strictly between 0 and 1."""
    if text is None:
        return None
    value = parse_probability(text, what=option)
    if value in (0, 1):
        raise InputError(f"{option}: {text.strip()} must lie strictly between 0 and 1")
    return value


def adjusted_p_cat(classifier: Classifier, p_cat: Any, base_rate: Fraction) -> Any:
    """P(cat) moved from the model's training base rate to ``base_rate`` (odds form)."""
    from probkit.bridges.base_rate import adjust_probabilities
    from probkit.errors import ModelFileError

    pi = float(classifier.training_base_rate)
    if not 0 < pi < 1:
        raise ModelFileError(
            f"the model's training base rate {pi} is not strictly between 0 and 1; "
            "--base-rate needs it"
        )
    return adjust_probabilities(p_cat, training_base_rate=pi, base_rate=float(base_rate))


def base_rate_json(classifier: Classifier, base_rate: Fraction) -> dict[str, Any]:
    """What ``--base-rate`` did, for JSON output."""
    from probkit.bridges.base_rate import base_rate_factor

    pi = float(classifier.training_base_rate)
    factor = base_rate_factor(pi, float(base_rate))
    return {"base_rate": format_exact(base_rate), "training_base_rate": pi,
            "odds_factor": float(factor),
            "formula": "posterior odds = model odds × [P/(1−P)] / [π/(1−π)]"}


def reliability_rows(labels: Any, p_cat: Any) -> tuple[list[dict[str, Any]], float]:
    """The 10-bin reliability table (JSON rows) and its ECE."""
    from probkit.evaluation.calibration import calibration_error, reliability_table

    rows = reliability_table(labels, p_cat, n_bins=10)
    return [r.to_dict() for r in rows], calibration_error(rows)


def render_reliability(rows: list[dict[str, Any]], ece: float) -> str:
    """Plain-text reliability table from ``classification_report``'s ``reliability`` rows."""

    def cell(value: Any) -> str:
        return "" if value is None else f"{value:.3f}"

    body = [[f"{r['low']:.1f}-{r['high']:.1f}", str(r["count"]), cell(r["mean_predicted"]),
             cell(r["observed_rate"])] for r in rows]
    text = table(["P(cat) bin", "count", "mean predicted", "observed share of cats"], body,
                 right=[False, True, True, True])
    return text + f"\nexpected calibration error (ECE, 10 bins): {ece:.4f}"


def two_columns(p_cat: Any) -> Any:
    """(n, 2) array [P(non-cat), P(cat)] from P(cat)."""
    import numpy as np

    p = np.asarray(p_cat, dtype=np.float64)
    return np.column_stack([1.0 - p, p])


_SUMMARY_KEYS = ("accuracy", "accuracy_ci", "log_loss", "brier", "ece", "confusion",
                 "sensitivity", "specificity", "mean_p_cat")


def evaluate_extras(classifier: Classifier, data: Dataset, base_rate: Fraction | None, *,
                    as_test: bool, folder: Path | None) -> dict[str, Any]:
    """What ``--base-rate``, ``--as-test`` and ``--plot`` add to ``evaluate``; plus the
    metrics before calibration when the model carries a temperature other than 1."""
    import numpy as np
    from scipy.special import expit

    from probkit.evaluation.metrics import classification_report

    z = classifier.decision_function(data.images)
    p_cat = expit(z)
    extra: dict[str, Any] = {}
    if classifier.temperature != 1.0:
        z_raw = z * classifier.temperature
        raw = classification_report(data.labels, expit(z_raw), logits=z_raw)
        extra["before_calibration"] = {k: raw[k] for k in _SUMMARY_KEYS if k in raw}
    if base_rate is not None:
        moved = np.asarray(adjusted_p_cat(classifier, p_cat, base_rate))
        with np.errstate(divide="ignore"):
            z_moved = np.log(moved) - np.log1p(-moved)
        moved_report = classification_report(data.labels, moved, logits=z_moved)
        extra["at_base_rate"] = {**base_rate_json(classifier, base_rate),
                                 **{k: moved_report[k] for k in _SUMMARY_KEYS
                                    if k in moved_report}}
    if as_test:
        # the verdicts are those of the classifier as used: at --base-rate when given
        said = p_cat if base_rate is None else moved
        view = globals()["as_test"](data.labels, said, base_rate)
        view["verdicts"] = ("P(cat) > 1/2 at the training base rate" if base_rate is None
                            else f"P(cat) > 1/2 after moving to --base-rate "
                            f"{format_exact(base_rate)}")
        extra["as_test"] = view
    if folder is not None:
        extra["plots"] = evaluation_plots(folder, data, p_cat)
    return extra


def render_evaluate_extras(extra: dict[str, Any]) -> None:
    """Human output for :func:`evaluate_extras`."""
    from probkit_cli.common import note

    if "before_calibration" in extra:
        b = extra["before_calibration"]
        echo("")
        echo(f"before temperature scaling: log loss {b['log_loss']:.4f}, ECE {b['ece']:.4f}, "
             f"accuracy {100 * b['accuracy']:.1f}%")
    if "at_base_rate" in extra:
        moved = extra["at_base_rate"]
        echo("")
        echo(f"at --base-rate {moved['base_rate']} (odds × {moved['odds_factor']:.4f} from the "
             f"training base rate {moved['training_base_rate']:.4f}):")
        lo, hi = moved["accuracy_ci"]
        rows = [["accuracy", f"{100 * moved['accuracy']:.1f}% (95% interval "
                 f"{100 * lo:.1f}% - {100 * hi:.1f}%)"],
                ["log loss", f"{moved['log_loss']:.4f}"],
                ["Brier score", f"{moved['brier']:.4f}"],
                ["ECE (10 bins)", f"{moved['ece']:.4f}"]]
        echo(table(["metric", "value"], rows, right=[False, True]))
    if "as_test" in extra:
        echo("")
        echo(render_as_test(extra["as_test"]))
    for path in extra.get("plots", []):
        note(f"wrote {path}")


def train_plots(folder: Path | None, classifier: Classifier, train: Dataset,
                test: Dataset | None, selection: SelectionResult | None) -> list[str]:
    """``train --plot``: learning curve, CV curve (with ``--l2 auto``), reliability and
    confidently-wrong images on the test data (or the training data without ``--test``)."""
    if folder is None:
        return []
    from scipy.special import expit

    from probkit.evaluation.plots import plot_cv_curve

    written = [learning_curve_plot(folder, classifier)]
    if selection is not None:
        rows = sorted(selection.rows, key=lambda r: r.candidate.l2)
        written.append(str(plot_cv_curve(
            folder / "train_cv_curve.png",
            {"--l2 auto": ([r.candidate.l2 for r in rows], [r.log_loss_mean for r in rows],
                           [r.log_loss_sd for r in rows])},
            chosen=("--l2 auto", selection.chosen.candidate.l2),
            baseline=selection.baseline_log_loss)))
    shown = test if test is not None else train
    p_cat = expit(classifier.decision_function(shown.images))
    written += evaluation_plots(folder, shown, p_cat,
                                prefix="train_test" if test is not None else "train_train")
    return written


def as_test(labels: Any, p_cat: Any, base_rate: Fraction | None) -> dict[str, Any]:
    """The classifier read as a diagnostic test for "cat", through the exact Bayes engine."""
    import numpy as np

    from probkit.bridges.base_rate import classifier_as_test, confusion_counts

    said = (np.asarray(p_cat) > 0.5).astype(np.int64)
    counts = confusion_counts(np.asarray(labels, dtype=np.int64), said)
    view = classifier_as_test(counts, [] if base_rate is None else [base_rate])
    return view.to_dict()


def render_as_test(view: dict[str, Any]) -> str:
    """Plain-text form of :func:`as_test`."""
    c = view["counts"]
    lines = [
        f"the classifier as a test for 'cat' (verdicts: {view['verdicts']})"
        if "verdicts" in view else "the classifier as a test for 'cat'",
        f"  counts: TP={c['true_positive']}, FN={c['false_negative']}, "
        f"TN={c['true_negative']}, FP={c['false_positive']}",
        f"  sensitivity = {_exact_and_decimal(view['sensitivity'])}, "
        f"specificity = {_exact_and_decimal(view['specificity'])}",
    ]
    for i, answer in enumerate(view["answers"]):
        where = "this data's base rate" if i == 0 else "--base-rate"
        says_cat = answer["p_cat_if_says_cat"]
        says_non = answer["p_cat_if_says_non_cat"]
        lines.append(
            f"  at {where} {answer['base_rate']}: P(cat | says cat) = "
            f"{_both(says_cat)}, P(cat | says non-cat) = {_both(says_non)}"
        )
    return "\n".join(lines)


def _exact_and_decimal(text: str) -> str:
    value = Fraction(text)
    return text if value.denominator == 1 else f"{text} ≈ {format_decimal(value, 4)}"


def _both(pair: dict[str, Any]) -> str:
    if pair["exact"] is None:
        return "undefined (never said)"
    return _exact_and_decimal(pair["exact"])


def plot_dir(path: str | None) -> Path | None:
    """Create (if needed) and return the ``--plot`` folder; check matplotlib first."""
    if path is None:
        return None
    from probkit.evaluation.plots import _pyplot

    _pyplot("--plot")
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--plot: cannot create folder {path}: {exc.strerror}") from None
    return folder


def evaluation_plots(folder: Path, data: Dataset, p_cat: Any, *, prefix: str = "evaluate"
                     ) -> list[str]:
    """Reliability diagram and confidently-wrong grid for one data set."""
    from probkit.evaluation.calibration import calibration_error, reliability_table
    from probkit.evaluation.plots import plot_confident_mistakes, plot_reliability_diagram

    rows = reliability_table(data.labels, p_cat)
    written = [
        plot_reliability_diagram(folder / f"{prefix}_reliability.png", rows,
                                 ece=calibration_error(rows),
                                 title=f"Reliability on {os.path.basename(data.source)}"),
        plot_confident_mistakes(folder / f"{prefix}_confident_mistakes.png", data.images,
                                data.labels, p_cat,
                                class_names=(data.class_names[0], data.class_names[1])),
    ]
    return [str(p) for p in written]


def learning_curve_plot(folder: Path, classifier: Classifier, *, prefix: str = "train"
                        ) -> str:
    """Training cost per iteration (and validation log loss if recorded)."""
    from probkit.evaluation.plots import plot_learning_curve

    est = classifier.estimator
    val = getattr(est, "validation_loss_history_", None)
    return str(plot_learning_curve(
        folder / f"{prefix}_learning_curve.png", est.cost_history_,
        val if val is not None and len(val) else None,
        title=f"Learning curve ({classifier.model_type})",
    ))


def selection_plots(folder: Path, result: SelectionResult, train: Dataset) -> list[str]:
    """CV curve, learning curve of the choice, out-of-fold reliability and mistakes."""
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

    groups: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for row in result.rows:
        c = row.candidate
        key = c.label.replace(f"λ={c.l2:g} ", "")
        lams, means, sds = groups.setdefault(key, ([], [], []))
        lams.append(c.l2)
        means.append(row.log_loss_mean)
        sds.append(row.log_loss_sd)
    chosen = result.chosen.candidate
    written = [plot_cv_curve(
        folder / "tune_cv_curve.png", groups,
        chosen=(chosen.label.replace(f"λ={chosen.l2:g} ", ""), chosen.l2),
        baseline=result.baseline_log_loss)]
    curve = learning_curve(chosen, train, k=result.k, seed=result.seed)
    written.append(plot_learning_curve(
        folder / "tune_learning_curve.png", curve["train_cost"], curve["validation_log_loss"],
        title=f"Learning curve on CV fold 1: {chosen.label}"))
    p_oof = expit(np.asarray(result.out_of_fold_logits)[0] / result.temperature)
    rows = reliability_table(train.labels, p_oof)
    written.append(plot_reliability_diagram(
        folder / "tune_reliability_out_of_fold.png", rows, ece=calibration_error(rows),
        title="Out-of-fold reliability (training set)"))
    written.append(plot_confident_mistakes(
        folder / "tune_confident_mistakes_out_of_fold.png", train.images, train.labels, p_oof,
        class_names=(train.class_names[0], train.class_names[1])))
    return [str(p) for p in written]


class _LazyBar:
    """A rich progress bar on stderr that appears at the first update (so an error
    raised before any work leaves stderr to the one-line message)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def progress(self, done: int, total: int, label: str) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("cross-validating"), BarColumn(),
                                 MofNCompleteColumn(), TextColumn("{task.description}"),
                                 console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("", total=total)
            self._bar.start()
        self._bar.update(self._task, completed=done, total=total, description=label)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def progress_reporter(enabled: bool) -> tuple[Any, Any]:
    """A lazily started progress bar and its ``progress(done, total, label)`` callback."""
    if not enabled:
        return None, None
    bar = _LazyBar()
    return bar, bar.progress


def selection_table(result: SelectionResult, *, limit: int | None = None) -> str:
    """Plain-text CV table sorted by mean validation log loss."""
    rows = sorted(result.rows, key=lambda r: r.log_loss_mean)
    if limit is not None:
        rows = rows[:limit]
    chosen = result.chosen.candidate
    body = [["*" if r.candidate == chosen else "", r.candidate.label,
             f"{r.log_loss_mean:.4f} ± {r.log_loss_sd:.4f}",
             f"{r.accuracy_mean:.3f} ± {r.accuracy_sd:.3f}"] for r in rows]
    return table(["", "candidate", "val log loss (mean ± SD)", "val accuracy"], body,
                 right=[False, False, True, True])


def auto_l2(train: Dataset, *, model: str, preprocessing: str, solver: str, iterations: int,
            hidden: int, seed: int, activation: str = "relu",
            learning_rate: float | None = None, rule: str = "min-log-loss",
            l2_values: tuple[float, ...] = (0.0, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0),
            progress: Any = None) -> SelectionResult:
    """``--l2 auto``: choose λ by stratified 5-fold CV on the training data only."""
    from dataclasses import replace

    from probkit.selection import search
    from probkit.selection.candidates import make_grid

    grid = [replace(c, activation=activation, learning_rate=learning_rate)
            for c in make_grid(models=(model,), l2=l2_values, preprocessing=(preprocessing,),
                               max_iter=(iterations,), solver=solver, hidden=hidden)]
    return search.select_model(train, grid, k=5, rule=rule, seed=seed, calibrate="none",
                        refit=False, progress=progress)


def echo_block(text: str) -> None:
    """Print a block followed by a blank line."""
    echo(text)
    echo()


__all__ = [
    "adjusted_p_cat",
    "evaluate_extras",
    "render_evaluate_extras",
    "train_plots",
    "two_columns",
    "as_test",
    "auto_l2",
    "base_rate_json",
    "echo_block",
    "evaluation_plots",
    "learning_curve_plot",
    "parse_base_rate",
    "plot_dir",
    "progress_reporter",
    "reliability_rows",
    "render_as_test",
    "render_reliability",
    "selection_plots",
    "selection_table",
]
