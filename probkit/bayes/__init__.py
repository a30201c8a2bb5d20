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
