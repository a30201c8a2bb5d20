"""Evaluation: how good the probabilities are.

* :mod:`.metrics` -- accuracy with its interval, log loss, Brier score, ECE.
* :mod:`.calibration` -- reliability tables, temperature and Platt scaling.
* :mod:`.plots` -- learning curves, reliability diagrams (the ``plot`` extra).
"""
