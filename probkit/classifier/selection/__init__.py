"""Model selection by cross-validation on the training data only.

* :mod:`.candidates` -- a grid point (:class:`Candidate`) and the grids;
  a candidate builds the one pipeline, a :class:`~probkit.classifier.pipeline.Classifier`.
* :mod:`.crossval` -- stratified folds, CV scores, target-base-rate scoring.
* :mod:`.rules` -- which row to choose (``min-log-loss``, ``one-se``).
* :mod:`.search` -- :func:`select_model`: CV, choose, calibrate, refit.
"""
