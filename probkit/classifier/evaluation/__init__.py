"""Evaluation: how good the probabilities are.

* :mod:`probkit.evaluation.metrics` -- accuracy with its interval, log loss, Brier score, ECE.
* :mod:`probkit.evaluation.calibration` -- reliability tables, temperature and Platt scaling.
* :mod:`probkit.evaluation.plots` -- learning curves, reliability diagrams (the ``plot`` extra).
"""
