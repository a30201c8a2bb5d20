"""What the workflows share: argument checks, the base-rate and typicality notes, plots."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from probkit.errors import InputError

if TYPE_CHECKING:
    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.label_shift import BaseRateEstimate
    from probkit.classifier.pipeline import Classifier

PathLike = str | os.PathLike[str]
#: ``callback(iteration, cost)`` during a fit (a progress bar)
IterationCallback = Callable[[int, float], None]
#: ``progress(done, total, label)`` during cross-validation
SelectionProgress = Callable[[int, int, str], None]

#: the keys of a metrics report repeated in the extra sections of ``evaluate``
SUMMARY_KEYS = ("accuracy", "accuracy_ci", "log_loss", "brier", "ece", "confusion",
                "sensitivity", "specificity", "mean_p_cat")



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


def _dataset(value: Dataset | PathLike, parameter: str, split: str | None = None) -> Dataset:
    """The data given to ``parameter``: a Dataset as it is, or a file read.

    ``split`` chooses the split of a file holding both. Without it, a file holding both is
    read as the split its parameter names (``train`` reads ``train_set_*``, ``test`` reads
    ``test_set_*``); for any other parameter (``data``) such a file is refused by name.
    """
    from probkit.classifier.data.datasets import SPLITS, Dataset, load_dataset

    if isinstance(value, Dataset):
        return value
    if not isinstance(value, str | os.PathLike):
        raise InputError(f"{parameter} must be a Dataset or a file name, got "
                         f"{type(value).__name__}", parameter=parameter)
    return load_dataset(value, split=split,
                        split_if_both=parameter if parameter in SPLITS else None)


def in_memory_label(clf: Classifier) -> str:
    """How reports name a classifier given as an object, not a file: what it is.

    E.g. ``"logistic classifier (in memory, 6x6x3 images)"``.
    """
    try:
        shape = "x".join(str(d) for d in clf.input_shape) + " images"
    except (AttributeError, TypeError, InputError):  # not fitted yet
        shape = "not fitted"
    return f"{clf.model_type} classifier (in memory, {shape})"


def _classifier(value: Classifier | PathLike) -> tuple[Classifier, str]:
    from probkit.classifier.modelfile import load_model
    from probkit.classifier.pipeline import Classifier

    if isinstance(value, Classifier):
        return value, in_memory_label(value)
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
    from probkit.classifier.base_rate import BaseRateShift

    target = BaseRateShift("1/2", value).target
    return target


def _estimated_base_rate(clf: Classifier, images: Any) -> BaseRateEstimate:
    """The share of cats in an unlabelled batch by EM (:mod:`probkit.classifier.label_shift`),
    from the classifier's calibrated logits at its training base rate."""
    from probkit.classifier.label_shift import estimate_base_rate

    clf.base_rate_shift("1/2")  # refuses a model whose training base rate is 0 or 1
    return estimate_base_rate(clf.decision_function(images),
                              training_base_rate=float(clf.training_base_rate))


def _out_of_distribution(clf: Classifier, images: Any) -> dict[str, Any] | None:
    """How many images the model's typicality score flags (None: the model has no score)."""
    result = clf.typicality(images)
    if result is None:
        return None
    typicality, ok = result
    return {"flagged": int((~ok).sum()), "n": int(ok.size),
            "flagged_indices": [int(i) for i in (~ok).nonzero()[0]],
            "alpha": float(clf.typicality_.alpha), "views": clf.typicality_views,
            "threshold": clf.typicality_threshold,
            "score": _score_name(clf)}


def _score_name(clf: Classifier) -> str:
    """What the classifier's typicality is, in words, for the views it has."""
    from probkit.classifier.evaluation.photo_typicality import PHOTO_SCORE_NAME
    from probkit.classifier.evaluation.typicality import COMBINED_SCORE_NAME, SCORE_NAME

    if clf.photo_typicality_ is not None:
        return (f"smallest of two typicalities, flagged below alpha / 2 (Bonferroni), or "
                f"greyscale: the {SCORE_NAME}; the {PHOTO_SCORE_NAME}")
    return COMBINED_SCORE_NAME if clf.typicality_views > 1 else SCORE_NAME


def _without_reliability(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "reliability"}


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    return {k: report[k] for k in SUMMARY_KEYS if k in report}


def _reliability_figures(prefix: str, data: Dataset, p_cat: Any,
                         clf: Classifier) -> dict[str, Any]:
    """Reliability diagram, confidently wrong images, the most confidently right and wrong
    images; for a colour-histogram logistic model also their per-pixel evidence and the
    model's cell weights (:mod:`probkit.classifier.evaluation.colour_evidence`)."""
    from probkit.classifier.evaluation.calibration import calibration_error, reliability_table
    from probkit.classifier.evaluation.colour_evidence import colour_evidence, histogram_weights
    from probkit.classifier.evaluation.plots import (
        plot_colour_contributions,
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
    figs[f"{prefix}_colour_contributions"] = plot_colour_contributions(
        evidence, data.labels, p_cat, class_names=names)
    figs[f"{prefix}_colour_weights"] = plot_histogram_weights(weights, class_names=names)
    return figs


def _save(figures: dict[str, Any], folder: PathLike) -> list[str]:
    from probkit.classifier.evaluation.plots import plot_folder, save_figure

    where = plot_folder(folder)
    return [str(save_figure(fig, where / f"{name}.png")) for name, fig in figures.items()]


def _metrics_html(headers: list[str], reports: list[dict[str, Any]]) -> str:
    from probkit.display import html_table, metric_rows

    return html_table(headers, metric_rows(reports))



def small_sample_note(report: dict[str, Any], name: str) -> str | None:
    """A note that accuracy on fewer than 200 images is uncertain (with its interval)."""
    if report["n"] >= 200:
        return None
    lo, hi = report["accuracy_ci"]
    images = "image" if report["n"] == 1 else "images"
    return (f"note: the {name} set has only {report['n']} {images}, so its accuracy is uncertain: "
            f"95% Wilson interval {lo:.1%} - {hi:.1%}.")


__all__ = []
