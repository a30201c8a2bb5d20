"""``probkit evaluate`` as a library call: :func:`evaluate` and its :class:`EvaluationReport`."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from probkit.classifier.workflows._common import (
    ESTIMATE,
    PathLike,
    _base_rate,
    _classifier,
    _dataset,
    _estimated_base_rate,
    _metrics_html,
    _out_of_distribution,
    _reliability_figures,
    _save,
    _source,
    _summary,
)

if TYPE_CHECKING:
    from probkit.classifier.base_rate import BaseRateShift, ClassifierAsTest
    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.evaluation.calibration import ECEConsistency
    from probkit.classifier.label_shift import BaseRateEstimate
    from probkit.classifier.pipeline import Classifier


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

    def copy_summary(self, shown: int = 5) -> str | None:
        """One line about the images that copy training images: how many, of which kinds,
        and the first ``shown`` of them (all of them are in :meth:`to_dict`); None when
        there are none. A file of 209 training-image copies made one 10 kB line.

        >>> from types import SimpleNamespace as NS
        >>> copy = lambda i: NS(first=NS(index=i), second=NS(index=i), kind="exact",
        ...                     correlation=1.0)
        >>> report = EvaluationReport.__new__(EvaluationReport)
        >>> report.training_copies, report.data = [copy(i) for i in range(9)], NS(n=9)
        >>> print(report.copy_summary(shown=2))
        copies of training images: 9 of the 9 images (9 exact; they flatter these figures): #0 = training image #0 (exact copy); #1 = training image #1 (exact copy); and 7 more (all of them in --json)
        """  # noqa: E501
        copies = self.training_copies or []
        if not copies:
            return None
        kinds: dict[str, int] = {}
        for c in copies:
            kinds[c.kind] = kinds.get(c.kind, 0) + 1
        counts = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
        lines = self.copy_lines()
        more = len(lines) - shown
        listed = "; ".join(lines[:shown]) + (f"; and {more} more (all of them in --json)"
                                              if more > 0 else "")
        return (f"copies of training images: {len(copies)} of the {self.data.n} images "
                f"({counts}; they flatter these figures): {listed}")

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

    def __repr__(self) -> str:
        from probkit.display import short_repr

        return short_repr(self)

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
    """:func:`~.evaluation.calibration.ece_consistency` with 2000 simulations, fewer
    when the data set is so large that its ECE needs no such check."""
    from probkit.classifier.evaluation.calibration import MAX_CONSISTENCY_WORK, ece_consistency

    n_resamples = max(1, min(2000, MAX_CONSISTENCY_WORK // max(1, len(labels))))
    return ece_consistency(labels, p_cat, n_resamples=n_resamples, seed=0)


def evaluate(model: Classifier | PathLike, data: Dataset | PathLike, *,
             base_rate: object = None, as_test: bool = False,
             split: str | None = None) -> EvaluationReport:
    """Evaluate a classifier on labelled data the way ``probkit evaluate`` does.

    Accuracy with its Wilson interval, log loss, Brier score, ECE, confusion
    counts and the reliability table; the same before temperature scaling when
    the model carries a temperature; with ``base_rate``, the metrics of the
    probabilities moved to that share of cats; with ``as_test``, the classifier
    read as a diagnostic test (exact sensitivity/specificity, P(cat | verdict)).
    ``base_rate="estimate"`` estimates the share of cats from the images alone
    (EM, :mod:`probkit.classifier.label_shift`) and uses it only when the estimate is
    usable. The report counts the images the model's typicality score flags as
    unlike its training images (``out_of_distribution``), and names those that copy
    a training image (``training_copies``; :mod:`probkit.classifier.data.audit`). ``split``
    (``"train"`` or ``"test"``) chooses the split of a data file that holds both; such a
    file is refused without it.
    """
    import numpy as np
    from scipy.special import expit

    from probkit.classifier.base_rate import classifier_as_test
    from probkit.classifier.evaluation.metrics import (
        classification_report,
        confusion_counts,
        says_positive,
    )
    from probkit.numbers import format_exact

    target = _base_rate(base_rate)
    clf, model_source = _classifier(model)
    dataset = _dataset(data, "data", split)
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
        counts = confusion_counts(dataset.labels, says_positive(expit(said)).astype(np.int64))
        view = classifier_as_test(counts, [] if target is None else [target])
        verdicts = ("P(cat) > 1/2 at the training base rate" if target is None
                    else f"P(cat) > 1/2 after moving to --base-rate {format_exact(target)}")
        report.as_test = AsTestView(test=view, verdicts=verdicts)
    return report


__all__ = ["AsTestView", "EvaluationReport", "evaluate"]
