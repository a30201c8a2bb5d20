"""The named choices of probkit, in one table shared by the library and the CLI.

Standard library only (the CLI imports this module at start-up). Each tuple is
the complete list of accepted values, in the order help texts show them; the
first entry is not necessarily the default (defaults live with the functions).
The library validates against these tuples; the CLI only shows them.

>>> MODELS
('logistic', 'two-layer')
>>> check_choice("lbfgs", SOLVERS, parameter="solver")
'lbfgs'
>>> check_choice("adam", SOLVERS, parameter="solver")
Traceback (most recent call last):
...
probkit.errors.InputError: solver: 'adam' is not one of gd, lbfgs
"""

from __future__ import annotations

from collections.abc import Sequence

from probkit.errors import InputError

#: model families (names in model files;
#: :data:`probkit.classifier.models.MODEL_TYPES` maps them to classes)
MODELS = ("logistic", "two-layer")
#: optimizers: full-batch gradient descent or L-BFGS
SOLVERS = ("gd", "lbfgs")
#: hidden-layer nonlinearities of the two-layer net
ACTIVATIONS = ("relu", "tanh")
#: how gradient descent is computed
GD_PATHS = ("auto", "primal", "dual")
#: type of the primal path's big products
PRECISIONS = ("float64", "float32")
#: feature scaling: pixels/255 or per-feature standardization on the training data
PREPROCESSING = ("scale", "standardize")
#: image representations (:mod:`probkit.classifier.features.registry` maps them to classes)
REPRESENTATIONS = ("pixels", "features")
#: model-selection rules
RULES = ("min-log-loss", "one-se")
#: post-hoc calibration after selection
CALIBRATIONS = ("temperature", "none")
#: predefined search grids of ``probkit tune``
GRIDS = ("quick", "default", "pixels", "full", "features")
#: flip augmentation in a search: without, with, or both
FLIPS = ("no", "yes", "both")
#: how Bayes' rule is computed: rationals (exact, bounded size) or log-space floats (any size)
ARITHMETICS = ("exact", "float")


def check_choice(value: object, choices: Sequence[str], *, parameter: str) -> str:
    """``value`` if it is one of ``choices``, else :class:`InputError` naming ``parameter``."""
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"{parameter}: {value!r} is not one of {', '.join(choices)}",
                         parameter=parameter)
    return value


__all__ = [
    "ACTIVATIONS",
    "ARITHMETICS",
    "CALIBRATIONS",
    "FLIPS",
    "GD_PATHS",
    "GRIDS",
    "MODELS",
    "PRECISIONS",
    "PREPROCESSING",
    "REPRESENTATIONS",
    "RULES",
    "SOLVERS",
    "check_choice",
]
