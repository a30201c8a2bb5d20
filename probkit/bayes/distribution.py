r"""A probability distribution you can hold, update, combine and sample: :class:`Distribution`.

One small class for analyses in a notebook: values (any hashable hypotheses; numbers
for the summaries) with their probabilities, and an update that is Bayes' rule,

.. math::

    P(v \mid x) = \frac{P(v)\, P(x \mid v)}{\sum_u P(u)\, P(x \mid u)},

multiply and normalize. Exact (:class:`~fractions.Fraction`) when every weight and
likelihood is rational; as soon as one is a Python ``float`` the distribution is a
float one, computed in log space so that likelihoods of :math:`10^{-400}` do not
underflow. The evidence of every update is kept (``evidence``: the probability of
all data since the first prior), so comparing two models of the same data is
:func:`bayes_factor`. Standard library only: numpy is imported by :meth:`sample`,
by float updates with a function that accepts arrays, by updates with an array, and by
:meth:`plot` only. A float distribution updated by an array (or such a function) keeps its
log-probabilities as a numpy array (:mod:`probkit.bayes.log_probabilities`), so that one
update per observation in a loop costs a few array operations.

>>> from fractions import Fraction
>>> prior = Distribution.uniform(range(1, 1001))
>>> post = prior.update(lambda N: Fraction(1, N) if N >= 60 else 0)   # the locomotive
>>> round(float(post.mean()), 2), post.median(), tuple(post.credible_interval(0.9))
(333.42, 244, (69, 869))
>>> total = Distribution.uniform(range(1, 7)) + Distribution.uniform(range(1, 7))
>>> total[7]
Fraction(1, 6)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from numbers import Rational, Real
from typing import Any

from probkit.bayes.array_likelihoods import (
    FloatLikelihood,
    array_likelihoods,
    log_likelihood_array,
)
from probkit.bayes.log_probabilities import LogProbabilities
from probkit.bayes.summaries import CredibleInterval, Weights, parse_level
from probkit.errors import ImpossibleEvidenceError, InputError, ProbabilityError
from probkit.logspace import log_of, log_sum_exp
from probkit.numbers import Number, brief, format_decimal, format_exact, to_number

MAX_VALUES = 1_000_000
"""Most values one distribution may hold (an independent sum of two is at most this big)."""

MAX_EXACT_BITS = 60_000_000
"""Most bits (the common denominator's length times the number of values) an exact update,
sum or ``max_of`` may produce; past it the operation is refused with advice to use floats
(:meth:`Distribution.to_float`): exact arithmetic would take minutes."""

MAX_SAMPLE = 10_000_000
"""Most draws one :meth:`Distribution.sample` call makes."""

SHOWN_ROWS = 6
"""Rows of the table in ``repr`` and the notebook display."""


class Distribution:
    """Values with probabilities; every operation returns a new distribution.

    Parameters
    ----------
    values : mapping of value to weight, or sequence of values
        ``{value: weight}``, or the values alone with ``weights`` beside them
        (sequences or numpy arrays). Values are any hashable objects; the same value
        twice adds its weights. Numbers are kept in increasing order.
    weights : sequence of numbers, optional
        Non-negative weights aligned with ``values`` (text such as ``"1/3"``, ints,
        Fractions: exact; floats: float). They are normalized.

    Examples
    --------
    >>> d = Distribution({"vanilla": 3, "chocolate": 1})
    >>> d["vanilla"], d.exact
    (Fraction(3, 4), True)
    """

    __slots__ = ("_values", "_value_array", "_value_index", "_exact_probs", "_exact_weights",
                 "_floats", "_log_evidence", "_evidence")

    def __init__(self, values: Mapping[Any, object] | Iterable[Any],
                 weights: Iterable[object] | None = None) -> None:
        keys, raw = _pairs(values, weights)
        numbers = [_weight(w, key) for key, w in zip(keys, raw, strict=True)]
        merged: dict[Hashable, Number] = {}
        for key, w in zip(keys, numbers, strict=True):
            merged[key] = merged[key] + w if key in merged else w
        exact = all(isinstance(w, Fraction) for w in merged.values())
        logs = None if exact else [log_of(float(w)) for w in merged.values()]
        self._set(list(merged), list(merged.values()), logs,
                  Fraction(1) if exact else None, 0.0)

    # -- construction ---------------------------------------------------------------------

    def _set(self, values: list[Any], weights: list[Number], logs: list[float] | None,
             evidence: Fraction | None, log_evidence: float) -> None:
        """Store normalized probabilities of ``values`` (sorted when they are numbers)."""
        if not values:
            raise InputError("a distribution needs at least one value", parameter="values")
        if len(values) > MAX_VALUES:
            raise InputError(f"{len(values):,} values (limit: {MAX_VALUES:,})",
                             parameter="values")
        order = _sorted_order(values)
        if order is not None:
            values = [values[i] for i in order]
            if logs is None:
                weights = [weights[i] for i in order]
            else:
                logs = [logs[i] for i in order]
        self._values: tuple[Any, ...] = tuple(values)
        self._value_array: Any = None
        self._value_index: dict[Any, int] | None = None
        self._evidence = evidence
        self._log_evidence = log_evidence
        self._exact_probs: tuple[Number, ...] | None = None
        self._exact_weights: Weights | None = None
        self._floats: LogProbabilities | None = None
        if logs is None:
            fractions = [w for w in weights if isinstance(w, Fraction)]
            exact = Weights.unnormalized(fractions)
            if exact.denominator == 0:
                raise ProbabilityError("the weights sum to 0; at least one must be positive",
                                       parameter="weights")
            _check_bits(exact.denominator, len(values), "normalizing")
            self._exact_weights = exact
            self._exact_probs = tuple(exact.probabilities())
        else:
            total = log_sum_exp(logs)
            if total == -math.inf:
                raise ProbabilityError("the weights sum to 0; at least one must be positive",
                                       parameter="weights")
            self._floats = LogProbabilities.of_tuple(tuple(lg - total for lg in logs))

    @classmethod
    def _made(cls, values: list[Any], weights: list[Number], logs: list[float] | None = None,
              evidence: Fraction | None = Fraction(1), log_evidence: float = 0.0
              ) -> Distribution:
        new = cls.__new__(cls)
        new._set(values, weights, logs, evidence if logs is None else None, log_evidence)
        return new

    @classmethod
    def uniform(cls, values: Iterable[Any]) -> Distribution:
        """Equal probability on each value (exact).

        >>> Distribution.uniform([4, 6, 8, 12, 20])[6]
        Fraction(1, 5)
        """
        values = list(values)
        return cls(values, [1] * len(values))

    @classmethod
    def from_prior(cls, prior: str, values: Iterable[object]) -> Distribution:
        """A named prior on numeric values, as ``--prior`` reads it.

        ``uniform``, ``power:K``, ``triangle``, ``beta(a, b)``, ``gamma(k, theta)`` or
        ``normal(mu, sigma)`` (see :func:`probkit.bayes.values.prior_weights`).

        >>> Distribution.from_prior("triangle", range(0, 5))[2]
        Fraction(1, 2)
        """
        from probkit.bayes.values import prior_weights

        numbers = [_value_number(v) for v in values]
        return cls(numbers, prior_weights(prior, numbers, what="prior"))

    @classmethod
    def from_scipy(cls, frozen: Any, values: Iterable[object]) -> Distribution:
        """A ``scipy.stats`` frozen distribution evaluated on ``values`` (its pmf or pdf).

        The weights are floats; a discrete distribution gives its probability mass at
        each value, a continuous one its density (both then normalized over the grid).
        """
        grid = [float(v) for v in values]  # type: ignore[arg-type]
        density = frozen.pmf if hasattr(frozen, "pmf") else frozen.pdf
        return cls(grid, [float(w) for w in density(grid)])

    @classmethod
    def mixture(cls, parts: Sequence[Distribution],
                weights: Sequence[object] | None = None) -> Distribution:
        """Draw a component with probability ``weights[i]`` (default: equal), then its value.

        >>> Distribution.mixture([Distribution.uniform([1, 2]), Distribution.uniform([2, 3])])[2]
        Fraction(1, 2)
        """
        if not parts:
            raise InputError("a mixture needs at least one distribution", parameter="parts")
        chooser = cls(range(len(parts)), [1] * len(parts) if weights is None else weights)
        values: list[Any] = []
        probs: list[Number] = []
        for i, part in enumerate(parts):
            values.extend(part._values)
            probs.extend(chooser._probs[i] * p for p in part._probs)
        return cls(values, probs)

    @staticmethod
    def joint(first: Distribution, second: Distribution) -> Distribution:
        """The joint distribution of two independent unknowns, over pairs ``(a, b)``.

        Update it with a likelihood of the pair; read one unknown back with
        :meth:`marginal` and one given the other with :meth:`conditional`.

        >>> j = Distribution.joint(Distribution.uniform([0, 1]), Distribution.uniform([0, 1]))
        >>> j.prob(lambda v: v[0] > v[1])
        Fraction(1, 4)
        """
        _check_pairs(first, second)
        values = [(a, b) for a in first._values for b in second._values]
        if first.exact and second.exact:
            probs: list[Number] = [p * q for p in first._probs for q in second._probs]
            return Distribution._made(values, probs)
        logs = [a + b for a in first._logs_or_exact() for b in second._logs_or_exact()]
        return Distribution._made(values, [], logs)

    # -- reading --------------------------------------------------------------------------

    @property
    def exact(self) -> bool:
        """Whether the probabilities are exact fractions (else floats from log space)."""
        return self._floats is None

    @property
    def _probs(self) -> tuple[Number, ...]:
        if self._floats is not None:
            return self._floats.probs()
        assert self._exact_probs is not None
        return self._exact_probs

    @property
    def _weights(self) -> Weights:
        if self._floats is not None:
            return self._floats.weights()
        assert self._exact_weights is not None
        return self._exact_weights

    @property
    def _logs(self) -> tuple[float, ...] | None:
        return None if self._floats is None else self._floats.logs()

    @property
    def values(self) -> tuple[Any, ...]:
        """The values, in increasing order when they are numbers."""
        return self._values

    @property
    def probs(self) -> tuple[Number, ...]:
        """The probabilities, aligned with :attr:`values` (they sum to 1)."""
        return self._probs

    @property
    def evidence(self) -> Number:
        """Probability of all data given since the first prior (1 before any update).

        Float distributions may underflow to 0 here; :attr:`log_evidence` does not.
        """
        if self._evidence is not None:
            return self._evidence
        return math.exp(self._log_evidence)

    @property
    def log_evidence(self) -> float:
        """Natural log of :attr:`evidence` (exact ones converted without underflow)."""
        return log_of(self._evidence) if self._evidence is not None else self._log_evidence

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __contains__(self, value: object) -> bool:
        return value in self._index

    def __getitem__(self, value: object) -> Number:
        """The probability of one value (0 for a value not in the distribution)."""
        i = self._index.get(value)
        if i is None:
            return Fraction(0) if self.exact else 0.0
        return self._probs[i]

    def items(self) -> Iterator[tuple[Any, Number]]:
        """``(value, probability)`` pairs."""
        return zip(self._values, self._probs, strict=True)

    @property
    def _index(self) -> dict[Any, int]:
        """Value -> position, built once per set of values (``d[v]`` in a loop stays O(1))."""
        if self._value_index is None:
            self._value_index = {v: i for i, v in enumerate(self._values)}
        return self._value_index

    def _logs_or_exact(self) -> tuple[float, ...]:
        return self._logs if self._logs is not None else tuple(log_of(p) for p in self._probs)

    def to_float(self) -> Distribution:
        """The same distribution with float probabilities (log space from here on)."""
        return Distribution._made(list(self._values), [], list(self._logs_or_exact()),
                                  log_evidence=self.log_evidence)

    def normalize(self) -> Distribution:
        """The distribution itself: every distribution is kept normalized (after an update
        the lost mass is :attr:`evidence`)."""
        return self

    # -- Bayes' rule ----------------------------------------------------------------------

    def update(self, likelihood: object, data: object = None) -> Distribution:
        """Bayes' rule: multiply by the likelihood of the data and normalize.

        ``likelihood`` is one of

        * a Python function of the value (for float distributions, called once with a
          numpy array of all values when it accepts one);
        * a sequence or numpy array aligned with :attr:`values`; a 2-D array has a row per
          value and a column per observation, and each row counts as the product of its
          columns (summed in log space; integer and bool arrays stay exact);
        * a dict ``{value: likelihood}`` naming every value;
        * a family name (``"binomial"``, ``"bernoulli"``, ``"uniform"``, ``"poisson"``,
          ``"geometric"``, ``"hypergeometric:M"``, ``"normal"``) with ``data`` in that
          family's form (``"140/250"``, ``"HHT"``, ``[60, 30, 90]``); pairs of values are
          the two unknowns of a two-unknown family.

        Likelihoods are non-negative numbers (densities may exceed 1; ``True``/``False``
        count as 1/0). The result keeps the evidence: ``post.evidence`` is
        ``prior.evidence`` times :math:`\\sum_v P(v) P(x \\mid v)`.

        Raises
        ------
        ImpossibleEvidenceError
            Every value gives the data probability 0.

        >>> Distribution.uniform([4, 6, 8, 12, 20]).update("uniform", [6])[6]
        Fraction(20, 51)
        """
        if data is None and not isinstance(likelihood, str | Mapping):
            if callable(likelihood):
                likelihood = self._called(likelihood)
            in_bulk = log_likelihood_array(likelihood, self._values, exact=self.exact)
            if in_bulk is not None:
                return self._times(in_bulk)
        rows = self._likelihoods(likelihood, data)
        exact = self.exact and all(isinstance(x, Fraction) for x in rows)
        if exact:
            joint: list[Number] = [p * x for p, x in zip(self._probs, rows, strict=True)]
            total = sum(joint, Fraction(0))
            if total == 0:
                raise ImpossibleEvidenceError(_impossible(self), parameter="likelihood")
            assert self._evidence is not None and isinstance(total, Fraction)
            return Distribution._made(list(self._values), joint, None,
                                      evidence=self._evidence * total)
        logs = [a + _log_likelihood(x) for a, x in zip(self._logs_or_exact(), rows, strict=True)]
        step = log_sum_exp(logs)
        if step == -math.inf:
            raise ImpossibleEvidenceError(_impossible(self), parameter="likelihood")
        return Distribution._made(list(self._values), [], logs,
                                  log_evidence=self.log_evidence + step)

    def _times(self, log_likelihood: Any) -> Distribution:
        """The update by log-likelihoods in an array: the same values (no sorting, no
        checks), the log-probabilities as an array (:mod:`probkit.bayes.log_probabilities`)."""
        prior = self._floats if self._floats is not None else LogProbabilities.of_tuple(
            self._logs_or_exact())
        posterior, step = prior.times(log_likelihood)
        if step == -math.inf:
            raise ImpossibleEvidenceError(_impossible(self), parameter="likelihood")
        new = Distribution.__new__(Distribution)
        new._values = self._values
        new._value_array = self._value_array
        new._value_index = self._value_index
        new._exact_probs = new._exact_weights = None
        new._floats = posterior
        new._evidence = None
        new._log_evidence = self.log_evidence + step
        return new

    def _likelihoods(self, likelihood: object, data: object) -> list[Number]:
        n = len(self._values)
        if isinstance(likelihood, str):
            return self._family_likelihoods(likelihood, data)
        if data is not None:
            raise InputError("data goes with a family name (update('binomial', '7/10')); "
                             "a function, dict or sequence already holds the likelihoods",
                             parameter="data")
        if isinstance(likelihood, Mapping):
            missing = [v for v in self._values if v not in likelihood]
            if missing:
                raise InputError(f"likelihood: no value for {missing[0]!r} "
                                 f"({len(missing)} of {n} values missing)",
                                 parameter="likelihood")
            extra = [k for k in likelihood if k not in self._index]
            if extra:
                raise InputError(f"likelihood: {extra[0]!r} is not a value of this "
                                 "distribution", parameter="likelihood")
            raw: Sequence[object] = [likelihood[v] for v in self._values]
        elif callable(likelihood):
            raw = self._called(likelihood)
        elif hasattr(likelihood, "tolist"):  # a numpy array: floats checked in bulk
            read = array_likelihoods(likelihood, self._values,
                                    max_bits=MAX_EXACT_BITS if self.exact else None)
            if read is not None:
                return read
            raw = likelihood.tolist()
        elif isinstance(likelihood, Iterable):
            raw = list(likelihood)
        else:
            raise InputError(f"likelihood: {likelihood!r} is not a function, dict, sequence "
                             "or family name", parameter="likelihood")
        if len(raw) != n:
            raise InputError(f"likelihood: {len(raw):,} values for {n:,} values of the "
                             "distribution (give one per value, in the order of .values)",
                             parameter="likelihood")
        return [_likelihood(x, v) for x, v in zip(raw, self._values, strict=True)]

    def _called(self, function: Callable[[Any], object]) -> Sequence[object]:
        """The function's likelihoods: one call on the array of the values when the
        distribution is float and the function returns one number per value (that array is
        returned), else one call per value."""
        values = self._numeric_array() if not self.exact and len(self._values) > 1 else None
        if values is not None:
            import numpy as np

            try:
                with np.errstate(all="ignore"):
                    out = function(values)
            except Exception:  # noqa: BLE001 - not vectorized: call it per value below
                out = None
            if isinstance(out, np.ndarray) and out.shape == (len(self._values),):
                return out  # type: ignore[return-value]
        return [function(v) for v in self._values]

    def _numeric_array(self) -> Any:
        """The values as a read-only float64 array (made once, shared by every update of
        this distribution), or ``None`` when they are not all real numbers."""
        if self._value_array is None:
            self._value_array = False
            if _all_real(self._values):
                import numpy as np

                try:
                    array = np.asarray(self._values, dtype=np.float64)
                except (OverflowError, TypeError, ValueError):
                    return None
                array.flags.writeable = False
                self._value_array = array
        return self._value_array if self._value_array is not False else None

    def _family_likelihoods(self, name: str, data: object) -> list[Number]:
        from probkit.bayes.families import (
            check_values,
            likelihood,
            log_likelihood,
            parse_data,
            parse_family,
        )

        family = parse_family(name, what="likelihood")
        items = [data] if isinstance(data, str | int | Fraction) else data
        if not isinstance(items, Iterable):
            raise InputError(f"data: {data!r} is not an observation or a list of them",
                             parameter="data")
        parsed = parse_data(family, list(items), what="data")
        if not parsed:
            raise InputError("data: no observations", parameter="data")
        cells = [v if isinstance(v, tuple) else (v,) for v in self._values]
        arity = len(cells[0])
        names = family.parameter_names(arity)
        if any(len(c) != arity for c in cells):
            raise InputError("likelihood: the values must all be numbers or all pairs",
                             parameter="likelihood")
        exact_cells = [tuple(_value_number(x) for x in c) for c in cells]
        for i, name_i in enumerate(names):
            check_values(family, arity, i, name_i, sorted({c[i] for c in exact_cells}))
        rational = all(isinstance(x, Rational) for c in cells for x in c)
        if family.exact and rational:
            rows: list[Number] = []
            for cell in exact_cells:
                product: Number = Fraction(1)
                for datum in parsed:
                    product = product * likelihood(family, cell, datum)
                    if product == 0:
                        break
                rows.append(product)
            return rows
        # irrational likelihoods or float values: each observation's log, summed
        return [FloatLikelihood(math.fsum(log_likelihood(family, cell, datum)
                                           for datum in parsed)) for cell in exact_cells]

    # -- summaries ------------------------------------------------------------------------

    def _numbers(self, what: str) -> tuple[Number, ...]:
        if not _all_real(self._values):
            kind = type(next(v for v in self._values if not _is_real(v))).__name__
            raise InputError(f"{what} needs numeric values; this distribution has {kind} "
                             "values (take a marginal(i) of a joint distribution first)",
                             parameter="values")
        return self._values

    def mean(self) -> Number:
        """:math:`\\sum_v v\\,P(v)` (exact for exact distributions over rational values)."""
        return brief(self._weights.mean(self._numbers("mean")))  # type: ignore[arg-type]

    def var(self) -> Number:
        """The variance :math:`\\sum_v (v - \\mu)^2 P(v)`."""
        values = self._numbers("var")
        return brief(self._weights.variance(values, self._weights.mean(values)))  # type: ignore[arg-type]

    def sd(self) -> float:
        """The standard deviation (the float square root of the variance)."""
        return math.sqrt(max(float(self.var()), 0.0))

    def quantile(self, q: object) -> Any:
        """The smallest value whose cumulative probability reaches ``q`` (``0.5``, ``"90%"``)."""
        level = _fraction_level(q, "q", closed=True)
        return self._weights.quantile(self._numbers("quantile"), level)  # type: ignore[arg-type]

    def median(self) -> Any:
        """The smallest value with at least half the probability at or below it."""
        return self.quantile(Fraction(1, 2))

    def map(self) -> Any:
        """The most probable value (the first of several tied ones)."""
        top = max(self._probs)
        return next(v for v, p in self.items() if p == top)

    def credible_interval(self, level: object = Fraction(9, 10)) -> CredibleInterval:
        """The equal-tailed interval: ``(1 - level)/2`` of the probability outside each end.

        ``low, high = d.credible_interval(0.9)``; ``.mass`` is the probability inside.
        """
        values = self._numbers("credible_interval")
        return self._weights.equal_tailed(values, parse_level(level, what="level"))  # type: ignore[arg-type]

    def hdi(self, level: object = Fraction(9, 10)) -> CredibleInterval:
        """The highest-density set holding at least ``level`` (``.segments`` when it has gaps)."""
        values = self._numbers("hdi")
        return self._weights.highest_density(values, parse_level(level, what="level"))  # type: ignore[arg-type]

    def prob(self, event: Callable[[Any], object]) -> Number:
        """:math:`P(\\text{event})`: the total probability of the values where it holds.

        >>> Distribution.uniform(range(1, 7)).prob(lambda x: x > 4)
        Fraction(1, 3)
        """
        return brief(self._weights.total([bool(event(v)) for v in self._values]))

    def sample(self, n: int, seed: int | Any = None) -> list[Any]:
        """``n`` independent draws (numpy ``Generator`` seeded by ``seed``: an int or a Generator).

        >>> Distribution({0: 1, 1: 3}).sample(5, seed=0)
        [1, 1, 0, 0, 1]
        """
        import numpy as np

        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_SAMPLE:
            raise InputError(f"n must be a whole number from 0 to {MAX_SAMPLE:,}; got {n!r}",
                             parameter="n")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        probs = self._floats.prob_array() if self._floats is not None else np.asarray(
            [float(p) for p in self._probs])
        cumulative = np.cumsum(probs)
        picks = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
        picks = np.minimum(picks, len(self._values) - 1)
        return [self._values[i] for i in picks.tolist()]

    def predictive(self, likelihood: str | Callable[[Any, Any], object],
                   outcomes: Iterable[object] | None = None, *, n: int | None = None
                   ) -> Distribution:
        """The distribution of the next observation, :math:`P(x) = \\sum_v P(v) P(x \\mid v)`.

        ``likelihood`` is a family name (``"bernoulli"``: outcomes 0 and 1;
        ``"binomial"`` with ``n`` trials: the number of successes 0..n; others with
        ``outcomes`` in the family's data form) or a function ``f(x, value)``. The
        outcomes must hold all the probability (else :class:`InputError` says how much
        is missing).

        >>> Distribution.uniform([0, Fraction(1, 2), 1]).predictive("binomial", n=2)[1]
        Fraction(1, 6)
        """
        if isinstance(likelihood, str):
            family_name = likelihood.strip().lower()
            if outcomes is None and family_name == "bernoulli":
                outcomes = [0, 1]
            if family_name == "binomial":
                if n is None or isinstance(n, bool) or not isinstance(n, int) or n < 1:
                    raise InputError("a binomial predictive needs n, the number of trials "
                                     f"(a whole number >= 1); got {n!r}", parameter="n")
                keys: list[Any] = list(range(n + 1))
                items: list[object] = [f"{k}/{n}" for k in keys]
            else:
                if outcomes is None:
                    raise InputError(f"the {likelihood} predictive needs outcomes",
                                     parameter="outcomes")
                keys = list(outcomes)
                items = keys
            columns = [self._family_likelihoods(likelihood, [item]) for item in items]
        else:
            if outcomes is None:
                raise InputError("a predictive from a function needs outcomes",
                                 parameter="outcomes")
            keys = list(outcomes)
            columns = [[_likelihood(likelihood(x, v), v) for v in self._values] for x in keys]
        probs = [_dot(self._probs, column) for column in columns]
        covered = sum(probs, Fraction(0)) if all(isinstance(p, Fraction) for p in probs) \
            else math.fsum(float(p) for p in probs)
        if abs(float(covered) - 1) > 1e-9:
            raise InputError(f"the outcomes hold only {format_decimal(covered)} of the "
                             "predictive probability; list every possible outcome",
                             parameter="outcomes")
        return Distribution(keys, probs)

    # -- arithmetic of independent distributions ------------------------------------------

    def _combine(self, other: object, op: Callable[[Any, Any], Any]) -> Distribution:
        if not isinstance(other, Distribution):
            if not _is_real(other):
                return NotImplemented
            values = [op(v, other) for v in self._numbers("arithmetic")]
            return Distribution._made(values, list(self._probs), None if self.exact else
                                      list(self._logs_or_exact()))
        self._numbers("arithmetic")
        other._numbers("arithmetic")
        _check_pairs(self, other)
        values = [op(a, b) for a in self._values for b in other._values]
        if self.exact and other.exact:
            return Distribution(values, [p * q for p in self._probs for q in other._probs])
        return Distribution(values, [float(p) * float(q) for p in self._probs
                                     for q in other._probs])

    def __add__(self, other: object) -> Distribution:
        """The distribution of the sum of independent draws (or a shift by a number)."""
        return self._combine(other, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, other: object) -> Distribution:
        """The distribution of the difference of independent draws."""
        return self._combine(other, lambda a, b: a - b)

    def __mul__(self, other: object) -> Distribution:
        """The distribution of the product of independent draws (or a scaling)."""
        return self._combine(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def max_of(self, n: int) -> Distribution:
        """The distribution of the largest of ``n`` independent draws: :math:`F(v)^n - F(v^-)^n`.

        >>> Distribution.uniform(range(1, 7)).max_of(2)[6]
        Fraction(11, 36)
        """
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10_000:
            raise InputError(f"n must be a whole number from 1 to 10,000; got {n!r}",
                             parameter="n")
        values = self._numbers("max_of")
        if self.exact:
            _check_bits(self._weights.denominator ** 1, len(values) * n, "max_of")
            running = 0
            ints: list[int] = []
            for count in self._weights.ints:
                before = running
                running += count
                ints.append(running**n - before**n)
            scale = self._weights.denominator**n
            return Distribution._made(list(values), [Fraction(i, scale) for i in ints])
        cumulative = 0.0
        probs: list[float] = []
        for p in self._probs:
            before_float = cumulative
            cumulative = min(cumulative + float(p), 1.0)
            probs.append(cumulative**n - before_float**n)
        return Distribution(list(values), probs)

    def marginal(self, index: int) -> Distribution:
        """One coordinate of a distribution over tuples (a :meth:`joint` one)."""
        out: dict[Any, Number] = {}
        for v, p in self.items():
            key = _coordinate(v, index)
            out[key] = out[key] + p if key in out else p
        return Distribution(list(out), list(out.values()))

    def conditional(self, index: int, value: object) -> Distribution:
        """The other coordinates given coordinate ``index`` equals ``value``."""
        out: dict[Any, Number] = {}
        for v, p in self.items():
            if _coordinate(v, index) == value:
                rest = tuple(x for i, x in enumerate(v) if i != index)
                key = rest[0] if len(rest) == 1 else rest
                out[key] = out[key] + p if key in out else p
        if not out:
            raise InputError(f"no value has coordinate {index} equal to {value!r}",
                             parameter="value")
        return Distribution(list(out), list(out.values()))

    # -- display --------------------------------------------------------------------------

    def _summary_line(self) -> str:
        kind = "exact" if self.exact else "float"
        head = f"Distribution over {len(self):,} values ({kind})"
        if not _all_real(self._values):
            return head
        interval = self.credible_interval()
        low, high = interval.low, interval.high
        return (f"{head}: mean {_short(self.mean())}, sd {format_decimal(self.sd())}, "
                f"90% interval [{_short(low)}, {_short(high)}], MAP {_short(self.map())}")

    def _rows(self) -> list[tuple[str, str]]:
        if len(self) <= SHOWN_ROWS:
            chosen: list[int] = list(range(len(self)))
        else:  # the most probable values, in the order of the values
            ranked = sorted(range(len(self)), key=lambda i: self._probs[i], reverse=True)
            chosen = sorted(ranked[:SHOWN_ROWS])
        return [(_short(self._values[i]), _probability_text(self._probs[i])) for i in chosen]

    def __repr__(self) -> str:
        lines = [self._summary_line()]
        rows = self._rows()
        width = max(len(value) for value, _ in rows)
        if len(self) > SHOWN_ROWS:
            lines.append(f"  most probable {SHOWN_ROWS}:")
        lines.extend(f"  {value:>{width}}  {prob}" for value, prob in rows)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from probkit.display import html_lines, html_table

        caption = None if len(self) <= SHOWN_ROWS else f"most probable {SHOWN_ROWS} values"
        return html_lines([self._summary_line()]) + html_table(
            ["value", "probability"], self._rows(), caption=caption)

    def plot(self, ax: Any = None) -> Any:
        """Bars (few values) or a line (many) of the probabilities; returns the Figure.

        Needs the ``plot`` extra (matplotlib).
        """
        from probkit.bayes.plotting import new_axes

        axes = ax if ax is not None else new_axes("Distribution.plot")
        values = self._numbers("plot")
        heights = [float(p) for p in self._probs]
        xs = [float(v) for v in values]
        if len(xs) <= 50:
            axes.bar(xs, heights, width=_bar_width(xs), color="C0", alpha=0.8)
        else:
            axes.plot(xs, heights, color="C0")
        axes.set_xlabel("value")
        axes.set_ylabel("probability")
        return axes.figure

    def draw(self, figure: Any) -> None:
        """Lay the picture out on a matplotlib figure (``plotting.save_plot`` writes it)."""
        self.plot(figure.subplots())


def bayes_factor(first: Distribution, second: Distribution) -> Number:
    """How much more probable the data are under the first model than under the second.

    Both distributions must be posteriors after the same data (each keeps its
    ``evidence``). Exact when both are.

    >>> fair = Distribution({Fraction(1, 2): 1}).update("binomial", "140/250")
    >>> uniform = Distribution.uniform([Fraction(i, 100) for i in range(101)])
    >>> round(float(bayes_factor(fair, uniform.update("binomial", "140/250"))), 2)
    2.12
    """
    if first._evidence is not None and second._evidence is not None:
        if second._evidence == 0:
            raise InputError("the second model's evidence is 0", parameter="second")
        return first._evidence / second._evidence
    return math.exp(first.log_evidence - second.log_evidence)


def _pairs(values: Mapping[Any, object] | Iterable[Any],
           weights: Iterable[object] | None) -> tuple[list[Any], list[object]]:
    if isinstance(values, Mapping):
        if weights is not None:
            raise InputError("give weights either in the mapping or beside the values, "
                             "not both", parameter="weights")
        return [_key(k) for k in values], list(values.values())
    if weights is None:
        raise InputError("weights are needed beside a sequence of values "
                         "(or use Distribution.uniform(values))", parameter="weights")
    keys = [_key(k) for k in (values.tolist() if hasattr(values, "tolist") else values)]
    raw = list(weights.tolist() if hasattr(weights, "tolist") else weights)
    if len(keys) != len(raw):
        raise InputError(f"{len(keys):,} values but {len(raw):,} weights", parameter="weights")
    return keys, raw


def _key(value: Any) -> Any:
    """Numpy scalars as Python numbers; everything else as given (it must be hashable)."""
    if hasattr(value, "item") and not isinstance(value, tuple):
        value = value.item()
    try:
        hash(value)
    except TypeError:
        raise InputError(f"value {value!r} is not hashable (use a tuple, number or text)",
                         parameter="values") from None
    return value


def _weight(value: object, key: Any) -> Number:
    number = _named_number(value.item() if hasattr(value, "item") else value,
                           f"weight of {key!r}", "weights")
    if number < 0:
        raise ProbabilityError(f"weight of {key!r}: {format_exact(number)} is negative",
                               parameter="weights")
    return number


def _named_number(value: object, what: str, parameter: str) -> Number:
    """:func:`~probkit.numbers.to_number`, its refusals (``nan``, ``inf``, text that is not
    a number) naming ``parameter``."""
    try:
        return to_number(value, what=what)
    except InputError as err:
        if err.parameter is not None:
            raise
        raise type(err)(str(err), parameter=parameter) from None


def _log_likelihood(value: Number) -> float:
    """The log of a likelihood (a family's float product keeps its log beside it)."""
    return value.log if isinstance(value, FloatLikelihood) else log_of(value)


def _likelihood(value: object, key: Any) -> Number:
    if isinstance(value, FloatLikelihood):
        return value
    if isinstance(value, bool):
        return Fraction(int(value))
    # a numpy number (or one-number array) as Python's; an array of several is not a number
    one = hasattr(value, "item") and getattr(value, "size", 1) == 1
    number = _named_number(value.item() if one else value,  # type: ignore[attr-defined]
                           f"likelihood of {key!r}", "likelihood")
    if number < 0:
        raise ProbabilityError(f"likelihood of {key!r}: {format_exact(number)} is negative",
                               parameter="likelihood")
    return number


def _dot(probs: Sequence[Number], column: Sequence[Number]) -> Number:
    if all(isinstance(x, Fraction) for x in column) and all(
            isinstance(p, Fraction) for p in probs):
        return sum((p * x for p, x in zip(probs, column, strict=True)), Fraction(0))
    return math.fsum(float(p) * float(x) for p, x in zip(probs, column, strict=True))


def _is_real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _all_real(values: Sequence[object]) -> bool:
    return all(_is_real(v) for v in values)


def _value_number(value: object) -> Fraction:
    """A numeric value as an exact Fraction (floats by their exact binary value)."""
    if isinstance(value, Rational) and not isinstance(value, bool):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, float) and math.isfinite(value):
        return Fraction(value)
    if isinstance(value, str):
        return Fraction(to_number(value, what="value"))
    raise InputError(f"value {value!r} is not a number", parameter="values")


def _sorted_order(values: Sequence[Any]) -> list[int] | None:
    if not _all_real(values) or all(a < b for a, b in zip(values, values[1:], strict=False)):
        return None
    return sorted(range(len(values)), key=values.__getitem__)


def _fraction_level(q: object, what: str, *, closed: bool) -> Fraction:
    number = Fraction(to_number(repr(q) if isinstance(q, float) else q, what=what))
    if not (0 <= number <= 1 if closed else 0 < number < 1):
        raise InputError(f"{what} must lie in [0, 1]; got {q!r}", parameter=what)
    return number


def _check_pairs(first: Distribution, second: Distribution) -> None:
    if len(first) * len(second) > MAX_VALUES:
        raise InputError(f"{len(first):,} x {len(second):,} pairs (limit: {MAX_VALUES:,})",
                         parameter="other")


def _check_bits(denominator: int, count: int, what: str) -> None:
    if denominator.bit_length() * count > MAX_EXACT_BITS:
        raise InputError(
            f"{what} exactly would need {count:,} numbers of {denominator.bit_length():,} bits "
            f"(limit: {MAX_EXACT_BITS:,} bits); use .to_float() first", parameter="arithmetic")


def _coordinate(value: object, index: int) -> Any:
    if not isinstance(value, tuple) or not -len(value) <= index < len(value):
        raise InputError(f"value {value!r} has no coordinate {index}", parameter="index")
    return value[index]


def _impossible(prior: Distribution) -> str:
    nonzero = sum(1 for p in prior._probs if p > 0)
    return (f"impossible evidence: every one of the {nonzero:,} values with positive "
            f"probability gives the data likelihood 0 (the update cannot be normalized)")


def _short(value: object) -> str:
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        from probkit.bayes.values import format_value

        text = format_value(Fraction(value))
        return text if len(text) <= 12 else format_decimal(Fraction(value))
    if isinstance(value, float):
        return format_decimal(value)
    return str(value)


def _probability_text(value: Number) -> str:
    if isinstance(value, Fraction):
        text = format_exact(value)
        return text if len(text) <= 16 else f"≈ {format_decimal(value)}"
    return format_decimal(value)


def _bar_width(xs: Sequence[float]) -> float:
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False) if b > a]
    return 0.8 * min(gaps) if gaps else 0.8


__all__ = ["MAX_EXACT_BITS", "MAX_SAMPLE", "MAX_VALUES", "Distribution", "bayes_factor"]
