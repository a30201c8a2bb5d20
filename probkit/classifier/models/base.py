"""The estimator machinery shared by both models.

A model is a *first layer* ``Z1 = X W1ᵀ + b1`` (the only place the input
``X`` enters) followed by an *upper part* that maps ``Z1`` to one logit per
sample. Subclasses write the upper part's forward and backward pass; this
class adds the first layer, the L2 penalty

.. math::

    J = -\\frac1m \\sum_i \\bigl[y_i \\log a_i + (1 - y_i) \\log(1 - a_i)\\bigr]
        + \\frac{\\lambda}{2m} \\sum_{\\text{weights } W} \\lVert W \\rVert_F^2

(biases are not penalized), the optimizers and the scikit-learn style
estimator contract. Because ``X`` enters only through the first layer,
gradient descent can run in the dual form (:mod:`probkit.classifier.models.dual`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from probkit._estimator import Constraint, Estimator
from probkit.classifier.models._validation import check_features, encode_binary_labels
from probkit.classifier.models.activations import SIGMOID
from probkit.classifier.models.layers import dense_backward, dense_forward, l2_gradient, l2_penalty
from probkit.classifier.models.losses import cross_entropy_from_logits
from probkit.classifier.models.optimizers import (
    ConvergenceWarning,
    DivergenceWarning,
    OptimizationResult,
    descent_problem,
    gradient_descent,
    lbfgs,
)
from probkit.errors import InputError, with_sklearn_twin

Array = NDArray[np.float64]
Params = dict[str, Array]
Cache = dict[str, Array]


class BinaryModel(Estimator):
    """Base class: a binary classifier trained by minimizing the penalized cross-entropy.

    Subclasses set the class attributes and implement :meth:`init_params`,
    :meth:`_upper_forward` and :meth:`_upper_backward`. The estimator contract
    (``get_params(deep=True)``, ``set_params``, validation from ``_constraints``) comes
    from :class:`probkit._estimator.Estimator`; any two class labels work, and
    ``classes_`` holds them (``classes_[1]`` is the class whose probability is modelled).
    """

    #: hyperparameter name -> constraint (also the order of ``get_params``)
    _constraints: ClassVar[dict[str, Constraint]] = {}
    #: names of the first layer's weight and bias in ``params``
    _first_layer: ClassVar[tuple[str, str]] = ("W", "b")
    #: names of the penalized weight matrices
    _weights: ClassVar[tuple[str, ...]] = ("W",)
    #: the model type written to model files
    model_type: ClassVar[str] = ""

    # fitted attributes (set by fit)
    params_: Params
    cost_history_: Array
    validation_loss_history_: Array
    n_iter_: int
    n_evaluations_: int
    converged_: bool
    diverged_: bool
    optimizer_message_: str
    training_path_: str
    n_features_in_: int
    classes_: NDArray[Any]

    l2: float
    solver: str
    learning_rate: float
    max_iter: int
    tol: float
    gd_path: str
    precision: str

    # ------------------------------------------------------------------ scikit-learn
    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import ClassifierTags

        tags = self._sklearn_tags("classifier")
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags

    # ------------------------------------------------------------------ the network
    def init_params(self, n_features: int, rng: np.random.Generator) -> Params:
        """Starting parameters for ``n_features`` inputs (drawn from ``rng`` if random)."""
        raise NotImplementedError

    def _upper_forward(self, params: Params, z1: Array) -> tuple[Array, Cache]:
        """Map the first layer's pre-activation (m, k) to logits (m,); return a cache."""
        raise NotImplementedError

    def _upper_backward(
        self, params: Params, cache: Cache, dz: Array
    ) -> tuple[Array, Params]:
        """Given dJ/dlogits (m,), return dJ/dZ1 (m, k) and the data gradients of the
        upper part's own parameters."""
        raise NotImplementedError

    # ------------------------------------------------------------------ solver protocol
    # (probkit.classifier.models.protocol.LayeredModel: what the dual and primal paths may use)
    @property
    def first_layer(self) -> tuple[str, str]:
        """Names of the first layer's weight and bias in ``params``."""
        return self._first_layer

    @property
    def l2_strength(self) -> float:
        """λ as a float."""
        return float(self.l2)

    def upper_forward(self, params: Params, z1: Array) -> tuple[Array, Cache]:
        """Logits (m,) from the first layer's pre-activation (m, k), and the cache."""
        return self._upper_forward(params, z1)

    def _penalty(self, params: Params, names: tuple[str, ...], m: int) -> float:
        return l2_penalty((params[k] for k in names), float(self.l2), m)

    def logits(self, params: Params, X: Array) -> Array:
        """Logits for inputs ``X`` at ``params`` (the first layer, then the upper part)."""
        w_name, b_name = self._first_layer
        z1 = dense_forward(X, params[w_name], params[b_name])
        z, _ = self._upper_forward(params, z1)
        return z

    def upper_cost_and_gradients(
        self, params: Params, z1: Array, y: Array
    ) -> tuple[float, Array, Params]:
        """Everything above the first layer: the cost without the first layer's penalty,
        dJ/dZ1, and the full gradients of the upper part's parameters."""
        m = z1.shape[0]
        z, cache = self._upper_forward(params, z1)
        cost, dz = cross_entropy_from_logits(z, y)
        dz1, grads = self._upper_backward(params, cache, dz)
        upper_weights = tuple(k for k in self._weights if k != self._first_layer[0])
        cost += self._penalty(params, upper_weights, m)
        lam = float(self.l2)
        for k in upper_weights:
            if lam:
                grads[k] = grads[k] + l2_gradient(params[k], lam, m)
        return cost, dz1, grads

    def loss_and_gradients(
        self, params: Params, X: Array, y: Array
    ) -> tuple[float, dict[str, Array]]:
        """The penalized cost J and its gradient with respect to every parameter.

        This is the backpropagation that :meth:`fit` uses (primal form). It works
        for any ``params`` of the right shapes and never modifies them.

        Parameters
        ----------
        params : dict of str to ndarray
            As returned by :meth:`init_params`.
        X : ndarray of shape (m, n_features)
        y : ndarray of shape (m,), 0/1

        Returns
        -------
        cost : float
        grads : dict of str to ndarray
            Same keys and shapes as ``params``.
        """
        self._validate_hyperparameters()
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        w_name, b_name = self._first_layer
        W = np.asarray(params[w_name], dtype=np.float64)
        m = X.shape[0]
        # forward: first layer
        z1 = dense_forward(X, W, params[b_name])
        cost, dz1, upper_grads = self.upper_cost_and_gradients(params, z1, y)
        cost += self._penalty(params, (w_name,), m)
        # backward: first layer (dZ1 = dJ/dZ1; Z1 = X Wᵀ + b), plus its penalty's gradient
        _, dW, db = dense_backward(dz1, X, W, input_gradient=False)
        if self.l2:
            dW += l2_gradient(W, float(self.l2), m)
        grads: dict[str, Array] = {}
        for name in params:
            if name == w_name:
                grads[name] = dW
            elif name == b_name:
                grads[name] = db
            else:
                grads[name] = upper_grads[name]
        return cost, grads

    # ------------------------------------------------------------------ fitting
    def _choose_path(self, n_samples: int, n_features: int) -> str:
        if self.gd_path == "auto":
            dual = n_features > n_samples
        else:
            dual = self.gd_path == "dual"
        if self.solver == "lbfgs":
            return "lbfgs-dual" if dual else "lbfgs"
        return "dual" if dual else "primal"

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        callback: Callable[[int, float], None] | None = None,
        validation: tuple[Any, Any] | None = None,
    ) -> BinaryModel:
        """Fit the model to features ``X`` (m, n_features) and 0/1 labels ``y`` (m,).

        Parameters
        ----------
        X, y : array-like
        callback : callable, optional
            ``callback(iteration, cost)`` at every iterate (e.g. a progress bar).
        validation : (X_val, y_val), optional
            Also record the validation log loss (no penalty) at every iterate in
            ``validation_loss_history_`` (for learning curves and early stopping).

        Returns
        -------
        self
        """
        self._validate_hyperparameters()
        Xa = check_features(X)
        classes, ya = encode_binary_labels(y, Xa.shape[0])
        m, n = Xa.shape
        Xv: Array | None = None
        yv: Array | None = None
        if validation is not None:
            Xv = check_features(validation[0], what="validation X")
            yv = _coded_like(validation[1], classes, Xv.shape[0])
            if Xv.shape[1] != n:
                raise InputError(
                    f"validation X has {Xv.shape[1]} features but X has {n}"
                )
        rng = np.random.default_rng(getattr(self, "random_state", None))
        start = self.init_params(n, rng)
        path = self._choose_path(m, n)
        val_fn: Callable[[Params], float] | None = None
        if Xv is not None and yv is not None:
            xv, yvv = Xv, yv

            def val_fn(params: Params) -> float:
                return cross_entropy_from_logits(self.logits(params, xv), yvv)[0]

        def loss(params: Params) -> tuple[float, Params]:
            return self.loss_and_gradients(params, Xa, ya)

        result: OptimizationResult
        if path == "lbfgs-dual":
            from probkit.classifier.models.dual import reduced_lbfgs

            result = reduced_lbfgs(
                self, start, Xa, ya, max_iter=int(self.max_iter), tol=float(self.tol),
                callback=callback, validation=(Xv, yv),
            )
        elif path == "lbfgs":
            result = lbfgs(
                loss, start, max_iter=int(self.max_iter), tol=float(self.tol),
                callback=callback, validation_loss=val_fn,
            )
        else:
            if path == "dual":
                from probkit.classifier.models.dual import DualState

                state: Any = DualState(self, start, Xa, ya, validation=(Xv, yv))
            else:
                from probkit.classifier.models.primal import BlockedPrimalState

                state = BlockedPrimalState(
                    self, start, Xa, ya, float(self.learning_rate), validation=(Xv, yv),
                    precision=str(getattr(self, "precision", "float64")),
                )
            result = gradient_descent(
                state,
                learning_rate=float(self.learning_rate),
                max_iter=int(self.max_iter),
                tol=float(self.tol),
                callback=callback,
                track_validation=val_fn is not None,
            )
        self.params_ = result.params
        self.cost_history_ = np.asarray(result.cost_history, dtype=np.float64)
        self.validation_loss_history_ = np.asarray(result.validation_history, dtype=np.float64)
        self.n_iter_ = result.n_iter
        self.n_evaluations_ = result.n_evaluations
        self.converged_ = result.converged
        self.optimizer_message_ = result.message
        self.training_path_ = path
        self.n_features_in_ = n
        self.classes_ = classes
        self.diverged_ = False
        if not path.startswith("lbfgs"):
            problem = descent_problem(result.cost_history, float(self.learning_rate))
            if problem is not None:
                self.diverged_ = True
                warnings.warn(problem, DivergenceWarning, stacklevel=2)
        if not result.converged and not self.diverged_:
            warnings.warn(self._convergence_advice(result), with_sklearn_twin(ConvergenceWarning),
                          stacklevel=2)
        if not math.isfinite(float(self.cost_history_[-1])):
            self.diverged_ = True
        return self

    def _convergence_advice(self, result: OptimizationResult) -> str:
        """Why the fit stopped short of ``tol``, and what to change."""
        if self.solver == "lbfgs":
            return (f"L-BFGS stopped before its gradient tolerance tol={self.tol:g} after "
                    f"{result.n_iter} iterations ({result.message}); raise `max_iter`, "
                    "standardize the features or raise `l2`")
        return (f"gradient descent stopped before its gradient tolerance tol={self.tol:g}: "
                f"{result.message} after {result.n_iter} steps of learning rate "
                f"{self.learning_rate:g}; use solver='lbfgs', or raise `max_iter` or "
                "`learning_rate`")

    def restore(
        self, params: Params, *, cost_history: Any = None, n_iter: int | None = None
    ) -> BinaryModel:
        """Make this model fitted with the given parameters (as read from a model file).

        Checks every parameter's name, shape and finiteness against :meth:`init_params`.
        """
        self._validate_hyperparameters()
        w_name, _ = self._first_layer
        if w_name not in params:
            raise InputError(f"parameters lack {w_name!r}")
        n_features = int(np.shape(params[w_name])[-1])
        expected = self.init_params(n_features, np.random.default_rng(0))
        if set(params) != set(expected):
            raise InputError(
                f"parameters are {sorted(params)}; a {type(self).__name__} needs {sorted(expected)}"
            )
        checked: Params = {}
        for name, template in expected.items():
            value = np.asarray(params[name])
            if value.dtype.kind != "f" or value.shape != template.shape:
                raise InputError(
                    f"parameter {name!r} has shape {value.shape} and dtype {value.dtype}; "
                    f"expected shape {template.shape} of floats"
                )
            if not np.all(np.isfinite(value)):
                raise InputError(f"parameter {name!r} contains nan or inf")
            checked[name] = np.array(value, dtype=np.float64)
        self.params_ = checked
        history = np.asarray([] if cost_history is None else cost_history, dtype=np.float64)
        self.cost_history_ = history
        self.validation_loss_history_ = np.asarray([], dtype=np.float64)
        self.n_iter_ = int(n_iter) if n_iter is not None else max(len(history) - 1, 0)
        self.n_evaluations_ = len(history)
        self.converged_ = False
        self.diverged_ = False
        self.optimizer_message_ = "restored from stored parameters"
        self.training_path_ = "restored"
        self.n_features_in_ = n_features
        self.classes_ = np.array([0, 1], dtype=np.int64)
        return self

    # ------------------------------------------------------------------ predicting
    def _check_X(self, X: Any) -> Array:
        self.check_fitted("params_")
        Xa = check_features(X)
        if Xa.shape[1] != self.n_features_in_:
            raise InputError(
                f"X has {Xa.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input"
            )
        return Xa

    def decision_function(self, X: Any) -> Array:
        """The logits :math:`z` (log-odds of class 1), shape (n,)."""
        Xa = self._check_X(X)
        return self.logits(self.params_, Xa)

    def predict_proba(self, X: Any) -> Array:
        """Probabilities, shape (n, 2): columns [P(y=0), P(y=1)], each row summing to 1."""
        z = self.decision_function(X)
        return np.column_stack([SIGMOID.forward(-z), SIGMOID.forward(z)])

    def predict(self, X: Any) -> NDArray[Any]:
        """Class labels: ``classes_[1]`` where P(class 1) > 1/2, else ``classes_[0]``."""
        positive = self.decision_function(X) > 0
        return np.asarray(self.classes_[positive.astype(np.int64)])

    def score(self, X: Any, y: Any) -> float:
        """Accuracy on ``(X, y)``."""
        predicted = self.predict(X)
        labels = np.asarray(y)
        if labels.shape != predicted.shape:
            raise InputError(f"y has shape {labels.shape}; X has {predicted.shape[0]} samples")
        return float(np.mean(predicted == labels))


def _coded_like(y: Any, classes: NDArray[Any], n_samples: int) -> Array:
    """Validation labels coded 0/1 with the training classes (an unseen label is an error)."""
    array = np.asarray(y)
    if array.ndim != 1 or array.shape[0] != n_samples:
        raise InputError(f"validation y must have shape ({n_samples},); got {array.shape}")
    known = np.isin(array, classes)
    if not np.all(known):
        raise InputError(f"validation y holds {array[~known][0]!r}, which is not one of the "
                         f"training classes {classes.tolist()}")
    return (array == classes[1]).astype(np.float64)


__all__ = ["BinaryModel"]
