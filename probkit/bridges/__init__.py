"""Small bridges between the capabilities.

* :mod:`probkit.bridges.gradcheck` -- the numpy backpropagation against finite differences and
  the SymPy derivations (symbolic <-> models).
* :mod:`probkit.bridges.base_rate` -- moving a classifier's probabilities to another base rate,
  and the classifier read as a diagnostic test (models <-> Bayes).
"""
