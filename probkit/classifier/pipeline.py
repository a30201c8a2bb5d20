"""The cat classifier: preprocessing + a model + what is needed to read its output.

A :class:`Classifier` turns images into probabilities:

.. math::

    P(\\text{cat} \\mid \\text{image}) = \\sigma(z / T)

where ``z`` is the model's logit for the preprocessed image and ``T`` the
temperature (1 unless a calibration step fitted another value). It also
remembers the class names and the training base rate (the share of cats in the
training data), which a user needs to move the probabilities to another base
rate.

Examples
--------
>>> from probkit.classifier.data.datasets import make_synthetic
>>> from probkit.classifier.models import LogisticRegression
>>> train = make_synthetic(60, size=6, seed=0)
>>> clf = Classifier(estimator=LogisticRegression(learning_rate=0.05, max_iter=300)).fit(train)
>>> clf.predict_proba(train.images[:2]).shape, round(clf.training_base_rate, 3)
((2, 2), 0.35)
>>> clf.score(train) > 0.9
True
>>> p = clf.predict_proba(train.images[:1])[0, 1]
>>> bool(clf.predict_proba(train.images[:1], base_rate="9/10")[0, 1] > p)
True
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

from probkit.classifier.data.datasets import DEFAULT_CLASS_NAMES, Dataset
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.evaluation.metrics import classification_report
from probkit.classifier.features.registry import Representation
from probkit.classifier.models import BinaryModel, LogisticRegression
from probkit.classifier.models.registry import average_of_logits, build_estimator
from probkit.errors import DataError, InputError

if TYPE_CHECKING:
    from probkit.classifier.base_rate import BaseRateShift


@dataclass
class Classifier:
    """The pipeline: a representation, a binary model, class names, base rate, temperature.

    :meth:`fit` is the one "augment -> represent -> fit" path of probkit (``probkit
    train``, every cross-validation fold of ``probkit tune`` and the final refit all
    run it): flip augmentation of the training images (``flip``), the
    representation fitted on the (augmented) training images only, then ``seeds``
    copies of the model (seeds ``random_state``, ``random_state + 1``, ...) whose
    logits are averaged into one model
    (:func:`~probkit.classifier.models.registry.average_of_logits`).

    Parameters
    ----------
    preprocessor : Representation
        The feature step (:mod:`probkit.classifier.features.registry`); pixels by default.
    estimator : BinaryModel
        The model; after :meth:`fit`, the fitted model (with ``flip`` its λ is
        doubled with the doubled sample, so that λ/(2m) keeps its meaning).
    class_names : tuple of str
        Names of labels 0 and 1.
    training_base_rate : float
        Share of label 1 in the training data (set by :meth:`fit`).
    temperature : float
        Logits are divided by it before the sigmoid (1.0: no change).
    metadata : dict
        JSON-ready facts about training (source, metrics, time...).
    flip : bool
        Fit on the training images and their mirror images (left-right).
    seeds : int
        Number of differently seeded models whose logits are averaged.

    Attributes
    ----------
    members_ : list of BinaryModel
        After :meth:`fit`, the ``seeds`` fitted models before averaging.
    training_fingerprints_ : Fingerprints or None
        After :meth:`remember_training_images`, what recognises copies of the
        training images among later inputs.
    typicality_ : TypicalityScore or None
        After :meth:`fit_typicality`, how typical an input's features are of the
        training images' (:mod:`probkit.classifier.evaluation.typicality`); None before.
    image_typicality_ : TypicalityScore or None
        After :meth:`fit_typicality`, the same score on four model-independent image
        statistics (:mod:`probkit.classifier.features.statistics`), in model files written
        before the photo view replaced it; None otherwise.
    photo_typicality_ : PhotoTypicality or None
        After :meth:`fit_typicality`, the photograph-or-not view: a robust distance in nine
        photo statistics calibrated on held-out training images
        (:mod:`probkit.classifier.evaluation.photo_typicality`); None before, and in model
        files written before it existed.
    """

    preprocessor: Representation = field(default_factory=Preprocessor)
    estimator: BinaryModel = field(default_factory=LogisticRegression)
    class_names: tuple[str, ...] = DEFAULT_CLASS_NAMES
    training_base_rate: float = math.nan
    temperature: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)
    flip: bool = False
    seeds: int = 1
    _fitted_from: tuple[BinaryModel, BinaryModel] | None = field(
        default=None, init=False, repr=False, compare=False)
    typicality_: Any = field(default=None, repr=False, compare=False)
    image_typicality_: Any = field(default=None, repr=False, compare=False)
    photo_typicality_: Any = field(default=None, repr=False, compare=False)
    training_fingerprints_: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.temperature) and self.temperature > 0):
            raise InputError(f"temperature must be a finite number > 0; got {self.temperature}",
                             parameter="temperature")
        if not isinstance(self.seeds, int) or isinstance(self.seeds, bool) or self.seeds < 1:
            raise InputError(f"seeds must be a positive integer, got {self.seeds!r}",
                             parameter="seeds")

    def _template(self) -> BinaryModel:
        """The unfitted model :meth:`fit` starts from (refitting does not double λ twice)."""
        if self._fitted_from is not None and self._fitted_from[1] is self.estimator:
            return self._fitted_from[0]
        return self.estimator

    @property
    def model_type(self) -> str:
        """``"logistic"`` or ``"two-layer"``."""
        return self.estimator.model_type

    @property
    def input_shape(self) -> tuple[int, ...]:
        """(height, width, channels) the classifier expects."""
        return tuple(self.preprocessor.input_shape_)

    def fit(
        self,
        data: Dataset,
        *,
        callback: Callable[[int, float], None] | None = None,
        validation: Dataset | None = None,
    ) -> Classifier:
        """Fit the preprocessing and the model on ``data``; returns self.

        ``callback(iteration, cost)`` is passed to the model's ``fit``; with
        ``validation`` the model also records the validation log loss per iterate.
        """
        if self.metadata.get("ensemble"):
            raise InputError("this model is an assembled ensemble of linear models "
                             "(metadata 'ensemble'); refit it with "
                             "probkit.classifier.selection.ensemble.refit_ensemble",
                             parameter="model")
        start = time.perf_counter()
        template = self._template()
        template._validate_hyperparameters()
        images, labels = data.images, data.labels
        l2_scale = 1.0
        if self.flip:
            from probkit.classifier.data.augmentation import flip_horizontally

            images, labels = flip_horizontally(images, labels)
            l2_scale = 2.0
        X = self.preprocessor.fit_transform(images)
        val = None
        if validation is not None:
            val = (self.preprocessor.transform(validation.images), validation.labels)
        members = []
        for s in range(self.seeds):
            if l2_scale == 1.0 and self.seeds == 1:
                member = template  # the plain case fits the given model itself
            else:
                member = template.clone()
                member.set_params(l2=float(template.l2) * l2_scale)
                if self.seeds > 1:
                    member.set_params(random_state=int(getattr(template, "random_state", 0)
                                                       or 0) + s)
            members.append(member.fit(X, labels, callback=callback, validation=val))
        self.members_ = members
        self.estimator = average_of_logits(members)
        self._fitted_from = (template, self.estimator)
        self.class_names = tuple(data.class_names)
        self.training_base_rate = data.positive_rate
        est = self.estimator
        self.metadata.update(
            {
                "train_source": data.source,
                "n_train": data.n,
                **({"flip": True} if self.flip else {}),
                **({"seeds": self.seeds} if self.seeds > 1 else {}),
                "n_iter": int(est.n_iter_),
                "training_path": est.training_path_,
                "final_cost": float(est.cost_history_[-1]),
                "converged": bool(est.converged_),
                "diverged": bool(est.diverged_),
                "fit_seconds": round(time.perf_counter() - start, 4),
            }
        )
        return self

    def fit_typicality(self, images: Any, *, alpha: float | None = None) -> Classifier:
        """Fit the out-of-distribution score on the (un-augmented) training images in two
        views, the representation's feature space and the photo statistics of
        :func:`~probkit.classifier.features.photo_statistics.photo_statistics`
        (:class:`~probkit.classifier.evaluation.photo_typicality.PhotoTypicality`); returns
        self.

        Separate from :meth:`fit` so that cross-validation folds do not pay for the
        leave-one-out scores; ``probkit train`` and the refit of ``probkit tune``
        call it. ``alpha``: the share of typical inputs that may be flagged
        (default :data:`~probkit.classifier.evaluation.typicality.DEFAULT_ALPHA`); each view
        flags below ``alpha / 2`` (:func:`~probkit.classifier.evaluation.typicality.combine_views`).
        With fewer training images than the photo view needs
        (:func:`~probkit.classifier.evaluation.photo_typicality.min_training_images`, 22) it has
        the feature view alone, flagged below ``alpha``.
        """
        from probkit.classifier.evaluation.photo_typicality import (
            PhotoTypicality,
            min_training_images,
        )
        from probkit.classifier.evaluation.typicality import DEFAULT_ALPHA, TypicalityScore
        from probkit.classifier.features.photo_statistics import photo_statistics

        level = DEFAULT_ALPHA if alpha is None else alpha
        features = TypicalityScore(alpha=level).fit(self.preprocessor.transform(images))
        statistics = photo_statistics(np.asarray(images))
        enough = statistics.shape[0] >= min_training_images(statistics.shape[1])
        self.photo_typicality_ = PhotoTypicality(alpha=level).fit(statistics) if enough else None
        self.image_typicality_ = None
        self.typicality_ = features
        return self

    def remember_training_images(self, images: Any, labels: Any = None) -> Classifier:
        """Keep the digests and thumbnails of the training images
        (:class:`~.data.audit.Fingerprints`, a few hundred bytes per image), so that
        :meth:`training_copies` can name inputs that copy a training image; returns self."""
        from probkit.classifier.data.audit import Fingerprints

        self.training_fingerprints_ = Fingerprints.of(images, labels)
        return self

    def training_copies(self, images: Any, labels: Any = None) -> list[Any] | None:
        """The inputs that are exact, near or mirror copies of a training image (a test
        score over them flatters the model), or None when the model remembers none."""
        if self.training_fingerprints_ is None:
            return None
        return list(self.training_fingerprints_.copies_in(images, labels))

    @property
    def typicality_views(self) -> int:
        """How many views the out-of-distribution score combines (0: no score)."""
        return sum(v is not None for v in (self.typicality_, self.image_typicality_,
                                           self.photo_typicality_))

    @property
    def typicality_threshold(self) -> float | None:
        """The combined typicality below which an input is flagged: ``alpha`` divided by
        the number of views (None: no score)."""
        if self.typicality_ is None:
            return None
        return float(self.typicality_.alpha) / self.typicality_views

    def typicality(self, images: Any) -> tuple[NDArray[np.float64], NDArray[np.bool_]] | None:
        """(typicality, in_distribution) per image, or None if the classifier has no
        typicality score (a model file from before it existed).

        The typicality is the smallest of the views' (feature space; photo statistics, or the
        four image statistics in older model files), flagged below ``alpha`` / number of views
        (:func:`~probkit.classifier.evaluation.typicality.combine_views`); a greyscale or
        near-greyscale image (mean saturation below
        :data:`~probkit.classifier.features.statistics.GREY_SATURATION`) is flagged too."""
        if self.typicality_ is None:
            return None
        from probkit.classifier.evaluation.typicality import combine_views
        from probkit.classifier.features.statistics import image_statistics, is_greyscale

        views = [self.typicality_.typicality(self.preprocessor.transform(images))]
        statistics = image_statistics(np.asarray(images))
        if self.image_typicality_ is not None:
            views.append(self.image_typicality_.typicality(statistics))
        if self.photo_typicality_ is not None:
            from probkit.classifier.features.photo_statistics import photo_statistics

            views.append(self.photo_typicality_.typicality(photo_statistics(np.asarray(images))))
        t, typical = combine_views(views, float(self.typicality_.alpha))
        # the training images are colour photographs: a greyscale image is not one, whatever
        # its distances (its colour features say nothing about it)
        return t, np.asarray(typical & ~is_greyscale(statistics))

    def decision_function(self, images: Any, *, calibrated: bool = True) -> NDArray[np.float64]:
        """Logits ``z / T`` (log-odds of label 1) for images (n, h, w, 3), at the training
        base rate; ``calibrated=False`` gives the model's own ``z`` (before the temperature)."""
        X = self.preprocessor.transform(images)
        z = self.estimator.decision_function(X)
        return z / self.temperature if calibrated else z

    def base_rate_shift(self, base_rate: object) -> BaseRateShift:
        """The :class:`~probkit.classifier.base_rate.BaseRateShift` from this classifier's
        training base rate to ``base_rate``."""
        from probkit.classifier.base_rate import BaseRateShift
        from probkit.errors import ModelFileError

        pi = float(self.training_base_rate)
        if not 0 < pi < 1:
            raise ModelFileError(
                f"the model's training base rate {pi} is not strictly between 0 and 1; "
                "a base rate needs it", parameter="base_rate")
        return BaseRateShift(pi, base_rate)

    def predict_proba(self, images: Any, base_rate: object = None) -> NDArray[np.float64]:
        """(n, 2): columns [P(label 0), P(label 1)], rows summing to 1.

        With ``base_rate`` (a share of label 1 such as ``"1/2"`` or ``0.1``) the
        probabilities are those for a population with that share, by Bayes' rule on
        odds (:meth:`base_rate_shift`); by default, the training base rate's.
        """
        z = self.decision_function(images)
        if base_rate is not None:
            z = self.base_rate_shift(base_rate).shift_logits(z)
        return np.column_stack([expit(-z), expit(z)])

    def predict(self, images: Any, base_rate: object = None) -> NDArray[np.int64]:
        """Labels 0/1 (1 where P(label 1) > 1/2, at ``base_rate`` when given)."""
        z = self.decision_function(images)
        if base_rate is not None:
            z = self.base_rate_shift(base_rate).shift_logits(z)
        return (z > 0).astype(np.int64)

    def score(self, data: Dataset) -> float:
        """Accuracy on a data set."""
        return float(np.mean(self.predict(data.images) == data.labels))

    def check_input(self, data: Dataset) -> None:
        """Raise :class:`~probkit.errors.DataError` naming ``data.source`` if its images are
        not the size the model was trained on."""
        if data.image_shape != self.input_shape:
            try:
                self.preprocessor.transform(data.images[:1])  # raises the size mismatch
            except DataError as exc:
                raise DataError(f"{data.source}: {exc}") from None

    def evaluate(self, data: Dataset, **options: Any) -> dict[str, Any]:
        """:func:`~.evaluation.metrics.classification_report` on ``data`` (logits)."""
        self.check_input(data)
        z = self.decision_function(data.images)
        return classification_report(data.labels, expit(z), logits=z, **options)


__all__ = ["Classifier", "build_estimator"]
