"""Small bridges between the capabilities.

* :mod:`probkit.bridges.base_rate` -- moving a classifier's probabilities to another base rate,
  and the classifier read as a diagnostic test (models <-> Bayes).
"""
