"""The gradient check: the numpy backpropagation against finite differences and the SymPy
derivations (:mod:`probkit.bridges.gradcheck`). It moves to the gradient-checking package."""
