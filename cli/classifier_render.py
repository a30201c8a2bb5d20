"""Plain-text rendering of the classifier reports (:mod:`probkit.classifier.workflows`).

No numerics."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from probkit_cli.common import echo, note, table

if TYPE_CHECKING:
    from probkit.classifier.evaluation.comparison import ModelComparison
    from probkit.classifier.workflows import EvaluationReport, TrainReport, TuneReport


def metrics_table(headers: list[str], reports: list[dict[str, Any]]) -> str:
    """The metrics table, one column per report."""
    from probkit.display import metric_rows

    return table(headers, metric_rows(reports), right=[False] + [True] * (len(headers) - 1))


def small_sample_note(report: dict[str, Any], name: str) -> None:
    """Warn on stderr when a data set is too small for a precise accuracy."""
    from probkit.classifier.workflows import small_sample_note as text

    line = text(report, name)
    if line is not None:
        note(line)


def selection_table(report: TuneReport, *, limit: int | None = None) -> str:
    """The CV table sorted by mean validation log loss."""
    return table(["", "candidate", "val log loss (mean ± SD)", "val accuracy"],
                 report.table_rows(limit), right=[False, False, True, True])


def render_train(report: TrainReport) -> None:
    """What ``probkit train`` prints without ``--json``."""
    if report.selection is not None:
        from probkit.classifier.workflows import TuneReport

        view = TuneReport(result=report.selection, train_data=report.train_data, out=None,
                          grid_name=None)
        echo(selection_table(view))
        echo(f"--l2 auto: λ = {report.selection.chosen.candidate.l2:g} by 5-fold CV log loss "
             "on the training data")
    reports = [report.train] + ([report.test] if report.test is not None else [])
    headers = ["metric", "train"] + (["test"] if report.test is not None else [])
    echo(report.headline)
    echo(metrics_table(headers, reports))
    echo(f"saved {report.out}")
    if report.test is not None:
        small_sample_note(report.test, "test")


def _indented(text: str) -> str:
    """``text`` wrapped at 94 characters, each line indented by two spaces."""
    return textwrap.fill(text, width=96, initial_indent="  ", subsequent_indent="  ")


def render_evaluate(report: EvaluationReport) -> None:
    """What ``probkit evaluate`` prints without ``--json``."""
    echo(metrics_table(["metric", "value"], [report.metrics]))
    echo("")
    headers, rows = report.confusion_rows()
    echo(table(headers, rows, right=[False, True, True]))
    echo("")
    echo(table(["P(cat) bin", "count", "mean predicted", "observed share of cats"],
               report.reliability_rows(), right=[False, True, True, True]))
    echo(f"expected calibration error (ECE, 10 bins): {report.metrics['ece']:.4f}")
    if report.ece_check is not None:
        echo(_indented(str(report.ece_check)))
    if report.before_calibration is not None:
        b = report.before_calibration
        echo("")
        echo(f"before temperature scaling: log loss {b['log_loss']:.4f}, ECE {b['ece']:.4f}, "
             f"accuracy {b['accuracy']:.1%}")
    if report.out_of_distribution is not None:
        ood = report.out_of_distribution
        echo(f"unlike the training images (typicality < {ood['threshold']:g}, or greyscale): "
             f"{ood['flagged']} "
             f"of {ood['n']}")
    copies = report.copy_summary()
    if copies is not None:
        echo(copies)
    if report.base_rate_estimate is not None:
        echo(f"base rate from the images: {report.base_rate_estimate}")
    if report.at_base_rate is not None:
        moved = report.at_base_rate
        echo("")
        shown = moved["base_rate"]  # exact text; an estimate's long decimal is shortened
        shown = shown if len(shown) <= 8 else f"{float(shown):.4g}"
        echo(f"at --base-rate {shown} (odds × {moved['odds_factor']:.4f} from the training "
             f"base rate {moved['training_base_rate']:.4f}):")
        lo, hi = moved["accuracy_ci"]
        rows = [["accuracy", f"{moved['accuracy']:.1%} (95% interval {lo:.1%} - {hi:.1%})"],
                ["log loss", f"{moved['log_loss']:.4f}"],
                ["Brier score", f"{moved['brier']:.4f}"],
                ["ECE (10 bins)", f"{moved['ece']:.4f}"]]
        echo(table(["metric", "value"], rows, right=[False, True]))
        if report.ece_check_at_base_rate is not None:
            echo(_indented(str(report.ece_check_at_base_rate)))
    if report.as_test is not None:
        echo("")
        echo("\n".join(report.as_test.lines()))
    for path in report.plots or []:
        note(f"wrote {path}")
    small_sample_note(report.metrics, "evaluation")


def render_compare(report: ModelComparison) -> None:
    """What ``probkit compare`` prints without ``--json``."""
    names, paired, mcnemar = report.summary_lines()
    echo(names)
    echo(metrics_table(["metric", "A", "B"], list(report.reports)))
    echo("")
    echo(paired)
    echo(table(["A − B", "mean", "interval", "resamples ≥ 0"], report.difference_rows(),
               right=[False, True, True, True]))
    echo(mcnemar)


__all__ = ["metrics_table", "render_compare", "render_evaluate", "render_train", "selection_table",
           "small_sample_note"]
