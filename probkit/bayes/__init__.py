"""Bayes over discrete hypotheses.

The exact path (this package's public names) uses only the standard library:
``from probkit.bayes import posterior`` never imports numpy.

>>> from probkit.bayes import urn_posterior
>>> r = urn_posterior({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
...                   ["black", "black"])
>>> r["B"].posterior
Fraction(64, 65)

Numeric hypotheses (the dice, locomotive and Euro problems) and problem files:

>>> from probkit.bayes import numeric_posterior
>>> numeric_posterior("0:1:101", "binomial", ["140/250"]).summary["p"].map
Fraction(14, 25)
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

# Loaded only when asked for, so that `import probkit.bayes` stays light: Monte Carlo
# (numpy) as `probkit.bayes.monte_carlo` or `from probkit.bayes.montecarlo import monte_carlo`;
# numeric hypotheses and problem files (standard library) from their modules.
_LAZY = {
    "Distribution": "distribution", "bayes_factor": "distribution",
    "monte_carlo": "montecarlo", "MonteCarloResult": "montecarlo",
    "HypothesisEstimate": "montecarlo",
    "NumericPosterior": "numeric", "NumericProblem": "numeric",
    "numeric_posterior": "numeric", "numeric_problem": "numeric",
    "ProblemFile": "problemfile", "parse_problem": "problemfile",
    "read_problem": "problemfile", "solve_problem": "problemfile",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"probkit.bayes.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'probkit.bayes' has no attribute {name!r}")
