r"""Base rates: moving a classifier's probability to another population, and
reading a classifier as a diagnostic test.

A classifier trained where a share :math:`\pi` of the examples are cats learns
:math:`P_\pi(\text{cat} \mid x)`. Deployed where the share of cats is
:math:`P`, the likelihood ratio :math:`p(x \mid \text{cat}) / p(x \mid
\text{non-cat})` is unchanged, so Bayes' rule in odds form gives

.. math::

    \frac{p'}{1 - p'} = \frac{p}{1 - p}\cdot
        \frac{P / (1 - P)}{\pi / (1 - \pi)},
    \qquad\text{i.e.}\qquad
    \operatorname{logit} p' = \operatorname{logit} p + \operatorname{logit} P
        - \operatorname{logit} \pi .

The confusion counts are those of :mod:`probkit.classifier.evaluation.metrics` (one definition).

>>> from fractions import Fraction
>>> BaseRateShift(Fraction(1, 3), Fraction(2, 3)).shift_probability(Fraction(1, 2))
Fraction(4, 5)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from probkit.classifier.evaluation.metrics import ConfusionCounts, confusion_counts
from probkit.errors import DataError, InputError, ProbabilityError
from probkit.numbers import Number, check_probability, format_exact, to_number

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike, NDArray


def _open_unit(value: object, *, what: str, parameter: str | None = None) -> Number:
    try:
        number = to_number(value, what=what)
        check_probability(number, what=what, shown=value if isinstance(value, str) else None)
    except InputError as exc:
        if exc.parameter is None and parameter is not None:
            exc.parameter = parameter
        raise
    if number in (0, 1):
        raise ProbabilityError(
            f"{what}: {format_exact(number)} must lie strictly between 0 and 1 "
            "(the odds would be 0 or infinite)", parameter=parameter
        )
    return number


@dataclass(frozen=True, init=False)
class BaseRateShift:
    r"""Moving probabilities from a training base rate :math:`\pi` to a target :math:`P`.

    One object for the one idea: the odds factor
    :math:`k = \frac{P/(1-P)}{\pi/(1-\pi)}` (exact for exact rates), the same
    shift on the logit scale, :math:`\log k`, and what it does to logits and
    probabilities. Both rates must lie strictly between 0 and 1.

    >>> shift = BaseRateShift("1/3", "2/3")
    >>> shift.odds_factor, round(shift.logit_shift, 6)
    (Fraction(4, 1), 1.386294)
    >>> shift.shift_probability("1/2")
    Fraction(4, 5)
    >>> shift.to_dict()["base_rate"], shift.to_dict()["odds_factor"]
    ('2/3', 4.0)
    """

    training: Number
    target: Number

    def __init__(self, training: object, target: object) -> None:
        object.__setattr__(self, "training", _open_unit(training, what="training base rate",
                                                        parameter="training_base_rate"))
        object.__setattr__(self, "target", _open_unit(target, what="base rate",
                                                      parameter="base_rate"))

    @property
    def odds_factor(self) -> Number:
        r""":math:`k = \frac{P/(1-P)}{\pi/(1-\pi)}` (exact for exact rates; otherwise a
        float, ``inf`` beyond the float range)."""
        if isinstance(self.target, Fraction) and isinstance(self.training, Fraction):
            return (self.target / (1 - self.target)) / (self.training / (1 - self.training))
        shift = self.logit_shift
        return math.exp(shift) if shift < 709.0 else math.inf

    @property
    def logit_shift(self) -> float:
        r""":math:`\operatorname{logit} P - \operatorname{logit} \pi = \log k` (a float)."""
        return _logit(self.target) - _logit(self.training)

    def shift_logits(self, logits: ArrayLike) -> NDArray[np.float64]:
        """Logits at the training base rate moved to the target (adds :attr:`logit_shift`)."""
        import numpy as np

        return np.asarray(logits, dtype=np.float64) + self.logit_shift

    def shift_probabilities(self, p_cat: ArrayLike) -> NDArray[np.float64]:
        """An array of P(cat) moved to the target, in log-odds space (0 and 1 stay put)."""
        import numpy as np
        from scipy.special import expit

        p = np.asarray(p_cat, dtype=np.float64)
        if p.size and (not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 1):
            raise ProbabilityError("probabilities to adjust must lie in [0, 1]",
                                   parameter="p_cat")
        with np.errstate(divide="ignore"):
            logits = np.log(p) - np.log1p(-p)
        return np.asarray(expit(self.shift_logits(logits)), dtype=np.float64)

    def shift_probability(self, p: object) -> Number:
        r"""One probability moved to the target, :math:`p' = \frac{p k}{p k + (1 - p)}`
        (exact for exact inputs)."""
        value = to_number(p, what="probability")
        check_probability(value, what="probability", shown=p if isinstance(p, str) else None)
        factor = self.odds_factor
        if isinstance(value, float) or isinstance(factor, float):
            value, factor = float(value), float(factor)
            if math.isinf(factor):
                return 1.0 if value > 0 else 0.0
        return value * factor / (value * factor + (1 - value))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the ``base_rate`` object of ``probkit predict/evaluate --json``)."""
        return {"base_rate": format_exact(self.target),
                "training_base_rate": float(self.training),
                "odds_factor": _float(self.odds_factor),
                "logit_shift": self.logit_shift,
                "formula": "posterior odds = model odds × [P/(1−P)] / [π/(1−π)]"}


def _logit(p: Number) -> float:
    """log(p / (1 - p)) for 0 < p < 1; an exact p is never rounded to 0 or 1 first
    (``1e-400`` gives about -921, not a math domain error).

    >>> round(_logit(Fraction(1, 10**400)), 1), _logit(0.5)
    (-921.0, 0.0)
    """
    if isinstance(p, Fraction):
        return math.log(p.numerator) - math.log(p.denominator - p.numerator)
    return math.log(p / (1 - p))


def _float(value: Number) -> float:
    """``float(value)``, or ±inf (null in JSON) for an exact value beyond the float range."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


@dataclass(frozen=True)
class BaseRateAnswer:
    """What a "cat" / "non-cat" verdict means at one base rate (exact)."""

    base_rate: Fraction
    p_cat_if_says_cat: Fraction | None
    p_cat_if_says_non_cat: Fraction | None
    ppv: Fraction | None
    npv: Fraction | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: exact strings plus floats."""

        def pair(value: Fraction | None) -> dict[str, Any]:
            return {"exact": None if value is None else format_exact(value),
                    "float": None if value is None else float(value)}

        return {
            "base_rate": format_exact(self.base_rate),
            "p_cat_if_says_cat": pair(self.p_cat_if_says_cat),
            "p_cat_if_says_non_cat": pair(self.p_cat_if_says_non_cat),
            "ppv": pair(self.ppv),
            "npv": pair(self.npv),
        }


@dataclass(frozen=True)
class ClassifierAsTest:
    """A classifier read as a diagnostic test, with exact rates from its confusion counts."""

    counts: ConfusionCounts
    sensitivity: Fraction
    specificity: Fraction
    data_base_rate: Fraction
    answers: tuple[BaseRateAnswer, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        c = self.counts
        return {
            "counts": {"true_positive": c.true_positive, "false_negative": c.false_negative,
                       "true_negative": c.true_negative, "false_positive": c.false_positive},
            "sensitivity": format_exact(self.sensitivity),
            "specificity": format_exact(self.specificity),
            "data_base_rate": format_exact(self.data_base_rate),
            "answers": [a.to_dict() for a in self.answers],
        }


def _posterior_cat(prevalence: Fraction, sensitivity: Fraction, specificity: Fraction,
                   result: str) -> Fraction | None:
    from probkit.bayes import diagnostic_posterior
    from probkit.errors import ImpossibleEvidenceError

    try:
        post = diagnostic_posterior(prevalence, sensitivity, specificity=specificity,
                                    results=(result,), names=("cat", "non-cat"))
    except ImpossibleEvidenceError:
        return None
    value = post["cat"].posterior
    return Fraction(value)


def classifier_as_test(counts: ConfusionCounts,
                       base_rates: Sequence[object] = ()) -> ClassifierAsTest:
    """Treat the classifier as a test for "cat" through the exact Bayes engine.

    Sensitivity = TP / (TP + FN) and specificity = TN / (TN + FP) are exact
    fractions of the counts. The first answer is at the data's own base rate
    (then PPV = TP / (TP + FP) exactly); one more answer per ``base_rates``.

    >>> t = classifier_as_test(ConfusionCounts(true_positive=30, false_negative=3,
    ...                                        true_negative=10, false_positive=7))
    >>> t.sensitivity, t.specificity, t.answers[0].p_cat_if_says_cat
    (Fraction(10, 11), Fraction(10, 17), Fraction(30, 37))
    """
    from probkit.bayes import predictive_values

    if counts.positives == 0 or counts.negatives == 0:
        raise DataError(
            "the classifier can be read as a test only on data with both cats and non-cats "
            f"(got {counts.positives} cats and {counts.negatives} non-cats)"
        )
    sensitivity = Fraction(counts.true_positive, counts.positives)
    specificity = Fraction(counts.true_negative, counts.negatives)
    data_rate = Fraction(counts.positives, counts.n)
    rates: list[Fraction] = [data_rate]
    for raw in base_rates:
        value = to_number(raw, what="base rate")
        check_probability(value, what="base rate", shown=raw if isinstance(raw, str) else None)
        rates.append(Fraction(value))
    answers = []
    for rate in rates:
        ppv, npv = predictive_values(rate, sensitivity, specificity)
        answers.append(BaseRateAnswer(
            base_rate=rate,
            p_cat_if_says_cat=_posterior_cat(rate, sensitivity, specificity, "positive"),
            p_cat_if_says_non_cat=_posterior_cat(rate, sensitivity, specificity, "negative"),
            ppv=None if ppv is None else Fraction(ppv),
            npv=None if npv is None else Fraction(npv),
        ))
    return ClassifierAsTest(counts=counts, sensitivity=sensitivity, specificity=specificity,
                            data_base_rate=data_rate, answers=tuple(answers))


__all__ = [
    "BaseRateAnswer",
    "BaseRateShift",
    "ClassifierAsTest",
    "ConfusionCounts",
    "classifier_as_test",
    "confusion_counts",
]
