"""Bayes over discrete hypotheses.

The exact path (this package's public names) uses only the standard library:
``from probkit.bayes import posterior`` never imports numpy.

>>> from probkit.bayes import urn_posterior
>>> r = urn_posterior({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
...                   ["black", "black"])
>>> r["B"].posterior
Fraction(64, 65)
"""

from probkit.bayes.exact import HypothesisPosterior, Posterior, TraceStep, posterior
from probkit.bayes.problems import (
    DiagnosticProblem,
    DiscreteProblem,
    UrnProblem,
    diagnostic_posterior,
    diagnostic_problem,
    discrete_problem,
    predictive_values,
    urn_posterior,
    urn_problem,
)

__all__ = [
    "DiagnosticProblem",
    "DiscreteProblem",
    "HypothesisPosterior",
    "Posterior",
    "TraceStep",
    "UrnProblem",
    "diagnostic_posterior",
    "diagnostic_problem",
    "discrete_problem",
    "posterior",
    "predictive_values",
    "urn_posterior",
    "urn_problem",
]

# Monte Carlo (numpy) is loaded only when asked for: `probkit.bayes.monte_carlo` or
# `from probkit.bayes.montecarlo import monte_carlo` (see probkit/bayes/montecarlo.py).
_LAZY_MONTE_CARLO = {"monte_carlo", "MonteCarloResult", "HypothesisEstimate"}


def __getattr__(name: str) -> object:
    if name in _LAZY_MONTE_CARLO:
        from probkit.bayes import montecarlo

        return getattr(montecarlo, name)
    raise AttributeError(f"module 'probkit.bayes' has no attribute {name!r}")
