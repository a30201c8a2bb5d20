"""probkit: probabilistic reasoning you can check.

The package is split into small modules that import heavy dependencies only
when their job needs them:

* :mod:`probkit.bayes` -- exact posteriors over discrete hypotheses
  (standard library only) and Monte Carlo estimates (numpy).
* :mod:`probkit.errors` -- the one exception family, :class:`ProbkitError`.

Importing :mod:`probkit` itself is cheap: it imports nothing heavy.
"""

__version__ = "0.1.0"

from probkit.errors import ProbkitError

__all__ = ["ProbkitError", "__version__"]
