"""The binary cross-entropy on logits, next to its local gradient.

Working on the logit ``z`` (never on a rounded probability) keeps the cost
finite even for saturated units (``probkit derive cross-entropy`` derives the
gradient step by step):

.. math::

    \\ell(z, y) = -[y \\log \\sigma(z) + (1 - y) \\log \\sigma(-z)], \\qquad
    \\frac{\\partial \\ell}{\\partial z} = \\sigma(z) - y.

Examples
--------
>>> import numpy as np
>>> z = np.array([0.0, 800.0, -800.0])
>>> y = np.array([1.0, 0.0, 0.0])
>>> cost, dz = cross_entropy_from_logits(z, y)
>>> round(cost, 6)  # (log 2 + 800 + 0) / 3
266.897716
>>> dz.tolist()
[-0.16666666666666666, 0.3333333333333333, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_expit

from probkit.classifier.models.activations import SIGMOID

Array = NDArray[np.float64]


def log_loss_from_logits(z: Any, y: Any, *, weights: Any = None) -> float:
    """The (weighted) mean binary cross-entropy of logits ``z`` against 0/1 labels ``y``.

    The one log loss of probkit: training costs, validation scores, calibration
    and the reported metrics all call it.

    >>> round(log_loss_from_logits(np.array([0.0, 2.0]), np.array([1, 0])), 6)
    1.410038
    >>> log_loss_from_logits(np.array([0.0, 800.0]), np.array([1, 1]), weights=[1, 0])
    0.6931471805599453
    """
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.average(-(y * log_expit(z) + (1.0 - y) * log_expit(-z)), weights=weights))


def cross_entropy_from_logits(z: Array, y: Array) -> tuple[float, Array]:
    """Mean binary cross-entropy of logits ``z`` against 0/1 labels ``y``, and its gradient.

    Parameters
    ----------
    z : ndarray of shape (m,)
        Logits.
    y : ndarray of shape (m,)
        Labels, 0.0 or 1.0.

    Returns
    -------
    cost : float
        :math:`-\\frac1m \\sum [y \\log \\sigma(z) + (1-y) \\log \\sigma(-z)]`.
    dz : ndarray of shape (m,)
        :math:`(\\sigma(z) - y) / m`, the gradient of ``cost`` with respect to ``z``.
    """
    m = z.shape[0]
    # forward: log σ(z) and log σ(-z) without forming σ(z) first
    cost = log_loss_from_logits(z, y)
    # local gradient (through the output unit's σ: probkit derive cross-entropy)
    dz = (SIGMOID.forward(z) - y) / m
    return cost, dz


__all__ = ["cross_entropy_from_logits", "log_loss_from_logits"]
