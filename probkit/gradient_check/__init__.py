"""Gradient checking: a computed gradient against central differences of its cost.

* :mod:`probkit.gradient_check.numeric` -- central differences and the relative difference
  (the one definition every check uses);
* :mod:`probkit.gradient_check.model_check` -- the classifier's models' backpropagation
  against central differences and the SymPy derivations (``probkit derive --gradcheck``);
* :mod:`probkit.gradient_check.learner` -- a learner's own numpy functions
  (``probkit gradcheck FILE.py``, ``probkit.gradcheck``), with the likely slip named
  (:mod:`probkit.gradient_check.diagnosis`); a file runs in a limited subprocess
  (:mod:`probkit.gradient_check.sandbox`, :mod:`probkit.gradient_check.child`), which calls
  the learner's functions (:mod:`probkit.gradient_check.conventions`) and differentiates
  their cost (:mod:`probkit.gradient_check.evaluation`).

The classifier's models never import this package: it imports them.
"""
