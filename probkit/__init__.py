"""probkit: probabilistic reasoning you can check.

The names a notebook needs, one import away (each loaded on first use, so
``import probkit`` stays cheap and ``probkit bayes`` never loads numpy):

=========================  ===============================================
``posterior``              exact posterior over named hypotheses
``urn_posterior``          which urn were the balls drawn from?
``diagnostic_posterior``   what does a test result mean?
``Distribution``           a distribution to update, combine and sample (exact or float)
``bayes_factor``           how much better one model predicted the data than another
``monte_carlo``            the same by simulation, with error bars (numpy)
``derive``                 build a machine-checked derivation by name (SymPy)
``derive_expression``      the checked derivative of your own expression
``derive_chain``           the checked chain rule through your own definitions
``check``                  check the maths of a Markdown post's text (``probkit check``)
``gradcheck``              a learner's own gradients against central differences (numpy)
``load_dataset``           a cat-vs-non-cat HDF5 file (h5py)
``Classifier``             representation + model + base rate + temperature
``LogisticRegression``     from-scratch logistic regression
``TwoLayerNet``            from-scratch two-layer network
``workflows``              train / tune / evaluate / predict, as the CLI does
``compare``                two classifiers on the same images, paired
=========================  ===============================================

The package is split into small modules that import heavy dependencies only
when their job needs them: :mod:`probkit.bayes`, :mod:`probkit.symbolic`,
:mod:`probkit.classifier` (its own layers inside), :mod:`probkit.gradient_check`;
:mod:`probkit.errors` holds the one exception family, :class:`ProbkitError`.

>>> import probkit
>>> probkit.urn_posterior({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
...                       ["black"])["B"].posterior
Fraction(8, 9)
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

from probkit.errors import ProbkitError

#: public name -> (module, attribute or None for the module itself)
_LAZY: dict[str, tuple[str, str | None]] = {
    "posterior": ("probkit.bayes", "posterior"),
    "urn_posterior": ("probkit.bayes", "urn_posterior"),
    "diagnostic_posterior": ("probkit.bayes", "diagnostic_posterior"),
    "Distribution": ("probkit.bayes.distribution", "Distribution"),
    "bayes_factor": ("probkit.bayes.distribution", "bayes_factor"),
    "monte_carlo": ("probkit.bayes.montecarlo", "monte_carlo"),
    "derive": ("probkit.symbolic.registry", "build"),
    "derive_expression": ("probkit.symbolic", "derive_expression"),
    "derive_chain": ("probkit.symbolic", "derive_chain"),
    "check": ("probkit.symbolic.lint", "check_text"),
    "gradcheck": ("probkit.gradient_check.learner", "gradcheck"),
    "load_dataset": ("probkit.classifier.data.datasets", "load_dataset"),
    "Classifier": ("probkit.classifier.pipeline", "Classifier"),
    "LogisticRegression": ("probkit.classifier.models.logistic", "LogisticRegression"),
    "TwoLayerNet": ("probkit.classifier.models.two_layer", "TwoLayerNet"),
    "workflows": ("probkit.classifier.workflows", None),
    "compare": ("probkit.classifier.workflows", "compare"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'probkit' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = ["ProbkitError", "__version__", *_LAZY]
