"""Model selection by cross-validation on the training data only.

* :mod:`probkit.selection.search` -- candidates, stratified folds, selection rules.
"""
