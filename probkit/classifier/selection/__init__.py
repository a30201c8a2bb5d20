"""Model selection by cross-validation on the training data only.

* :mod:`probkit.selection.candidates` -- a grid point (:class:`Candidate`) and the grids;
  a candidate builds the one pipeline, a :class:`~probkit.models.classifier.Classifier`.
* :mod:`probkit.selection.crossval` -- stratified folds, CV scores, target-base-rate scoring.
* :mod:`probkit.selection.rules` -- which row to choose (``min-log-loss``, ``one-se``).
* :mod:`probkit.selection.search` -- :func:`select_model`: CV, choose, calibrate, refit.
"""
