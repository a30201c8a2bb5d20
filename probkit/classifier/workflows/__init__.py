"""Workflows: what ``probkit train``, ``tune``, ``evaluate``, ``compare`` and ``predict`` do,
as library calls (one module each).

Each function takes data sets and models as objects or file names, does the
whole job the command does, and returns a report: a dataclass with
``to_dict()`` (exactly what the command prints with ``--json``), the objects a
notebook wants next (the fitted :class:`~probkit.classifier.pipeline.Classifier`,
the selection result...), ``figures()`` (matplotlib Figures of the command's
``--plot`` pictures, with ``save_plots(folder)``) and ``_repr_html_`` (a
notebook shows the report as tables). The command line only parses options,
calls one of these and renders the report.

>>> from probkit.classifier.data.datasets import make_synthetic
>>> train_set, test_set = make_synthetic(60, size=6, seed=0), make_synthetic(30, size=6, seed=1)
>>> report = train(train_set, test=test_set, features="pixels", max_iter=50, l2=1.0)
>>> sorted(report.to_dict())[:4]
['converged', 'diverged', 'features', 'final_cost']
>>> report.test["n"], report.classifier.model_type
(30, 'logistic')
>>> evaluation = evaluate(report.classifier, test_set, base_rate="1/2", as_test=True)
>>> evaluation.to_dict()["at_base_rate"]["base_rate"]
'1/2'
"""

from probkit.classifier.workflows._common import small_sample_note
from probkit.classifier.workflows.compare import compare
from probkit.classifier.workflows.evaluate import AsTestView, EvaluationReport, evaluate
from probkit.classifier.workflows.predict import PredictionReport, predict
from probkit.classifier.workflows.train import AUTO_L2_VALUES, TrainReport, auto_l2_selection, train
from probkit.classifier.workflows.tune import TuneReport, tune

__all__ = [
    "AUTO_L2_VALUES",
    "AsTestView",
    "EvaluationReport",
    "PredictionReport",
    "TrainReport",
    "TuneReport",
    "auto_l2_selection",
    "compare",
    "evaluate",
    "predict",
    "small_sample_note",
    "train",
    "tune",
]
