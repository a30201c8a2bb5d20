"""From-scratch binary classifiers (numpy only): logistic regression and a 2-layer network.

Both are scikit-learn compatible estimators (tested with its estimator checks; scikit-learn
is not needed at run time) and expose
``loss_and_gradients(params, X, y)``, the backpropagation ``fit`` uses, so the
gradient check can reach it.
"""

from probkit.classifier.models.base import BinaryModel
from probkit.classifier.models.logistic import LogisticRegression
from probkit.classifier.models.optimizers import ConvergenceWarning, DivergenceWarning
from probkit.classifier.models.registry import MODEL_TYPES, build_estimator
from probkit.classifier.models.two_layer import TwoLayerNet

__all__ = [
    "MODEL_TYPES",
    "BinaryModel",
    "ConvergenceWarning",
    "DivergenceWarning",
    "LogisticRegression",
    "TwoLayerNet",
    "build_estimator",
]
