r"""Summaries of a posterior over numeric values (standard library only).

Exact when the probabilities are :class:`~fractions.Fraction` (the standard
deviation is then the float square root of the exact variance). The
definitions, for values :math:`v_1 < \dots < v_k` with probabilities
:math:`p_i` and cumulative sums :math:`F_i = p_1 + \dots + p_i`:

* **mean** :math:`\sum_i p_i v_i`; **variance** :math:`\sum_i p_i (v_i - \text{mean})^2`;
* **median** -- the smallest :math:`v_i` with :math:`F_i \ge 1/2` (the lower
  median when the mass splits evenly between two values);
* **MAP** -- the value with the largest probability (the smallest such value
  if several tie; ``modes`` lists them all);
* **equal-tailed interval** at level :math:`L` (:math:`\alpha = 1 - L`) --
  from the smallest :math:`v_i` with :math:`F_i \ge \alpha/2` to the smallest
  :math:`v_j` with :math:`F_j \ge 1 - \alpha/2`; it holds at least :math:`L`
  of the mass (``mass`` says how much);
* **highest-density interval** -- the set of values whose probability is at
  least :math:`t`, for the largest :math:`t` that makes the set hold at least
  :math:`L`; all values tied at :math:`t` are in (so the set never depends on
  the order of ties). When the posterior is multimodal the set can have gaps:
  ``segments`` lists its runs of consecutive values and ``low``/``high`` are
  the outermost values.

>>> from fractions import Fraction as F
>>> values = [F(1), F(2), F(3), F(4)]
>>> probs = [F(1, 10), F(2, 10), F(3, 10), F(4, 10)]
>>> summary = summarize(values, probs, level=F(1, 2))
>>> summary.mean, summary.median, summary.map
(Fraction(3, 1), Fraction(3, 1), Fraction(4, 1))
>>> interval = summary.hdi
>>> (interval.low, interval.high, interval.mass)
(Fraction(3, 1), Fraction(4, 1), Fraction(7, 10))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

from probkit.errors import InputError
from probkit.numbers import Number, brief, format_exact, parse_number, to_number


def brief_repr(record: Any) -> str:
    """A data class's ``repr`` with its long exact numbers as decimals (the fields stay
    exact): ``mass=Fraction(≈ 0.909337; 428/430 digits)`` instead of 860 digits."""
    shown = ", ".join(f"{f.name}={brief(getattr(record, f.name))!r}" for f in fields(record))
    return f"{type(record).__name__}({shown})"


@dataclass(frozen=True, repr=False)
class CredibleInterval:
    """A credible interval: ``kind`` is ``"equal-tailed"`` or ``"hdi"``."""

    level: Fraction
    low: Fraction
    high: Fraction
    kind: str
    mass: Number
    segments: tuple[tuple[Fraction, Fraction], ...]

    def __iter__(self) -> Iterator[Fraction]:
        """``low, high = interval``."""
        return iter((self.low, self.high))

    __repr__ = brief_repr


@dataclass(frozen=True, repr=False)
class Summary:
    """Mean, spread, centre and intervals of one unknown's posterior."""

    mean: Number
    variance: Number
    sd: float
    median: Fraction
    map: Fraction
    modes: tuple[Fraction, ...]
    credible_interval: CredibleInterval
    hdi: CredibleInterval

    __repr__ = brief_repr


def parse_level(value: object, *, what: str = "credible") -> Fraction:
    """A credible level from ``90%``, ``0.9``, ``9/10`` (strictly between 0 and 1).

    >>> parse_level("90%"), parse_level(0.95)
    (Fraction(9, 10), Fraction(19, 20))
    """
    if isinstance(value, float):  # a TOML float: read its decimal text exactly
        value = repr(value)
    number = parse_number(value, what=what) if isinstance(value, str) else to_number(
        value, what=what)
    level = Fraction(number)
    if not 0 < level < 1:
        raise InputError(f"{what}: {value!r} must lie strictly between 0 and 1 (e.g. 90%)")
    return level


def summarize(values: Sequence[Fraction], probs: Sequence[Number] | Weights, *,
              level: Fraction = Fraction(9, 10)) -> Summary:
    """Every summary of the distribution ``probs`` over sorted ``values``."""
    weights = probs if isinstance(probs, Weights) else Weights.of(probs)
    probs = weights.floats if weights.floats is not None else weights.ints
    mu = weights.mean(values)
    var = weights.variance(values, mu)
    top = max(weights.ints) if weights.exact else max(probs)
    ranked = weights.ints if weights.exact else probs
    modes = tuple(v for v, p in zip(values, ranked, strict=True) if p == top)
    return Summary(
        mean=mu, variance=var, sd=math.sqrt(max(float(var), 0.0)),
        median=weights.quantile(values, Fraction(1, 2)), map=modes[0], modes=modes,
        credible_interval=weights.equal_tailed(values, level),
        hdi=weights.highest_density(values, level),
    )


class Weights:
    """Probabilities as integers over one common denominator (exact), or as floats.

    Exact sums of many fractions with different denominators are slow (every
    addition takes gcds of ever larger numbers); over a common denominator
    every sum and comparison is plain integer arithmetic, with one division
    at the end. :meth:`unnormalized` builds them from weights with small
    denominators (prior weight × likelihood), which is far cheaper than from
    the normalized posteriors, whose denominators are all large.

    >>> w = Weights.unnormalized([Fraction(1, 2), Fraction(1, 3)])
    >>> w.ints, w.denominator
    ([3, 2], 5)
    """

    def __init__(self, ints: list[int], denominator: int, floats: list[float] | None) -> None:
        self.ints = ints
        self.denominator = denominator
        self.floats = floats
        self.exact = floats is None

    @classmethod
    def unnormalized(cls, weights: Sequence[Number]) -> Weights:
        """Normalize non-negative weights (their sum is the common denominator)."""
        if all(isinstance(w, Fraction) for w in weights):
            fractions = [w for w in weights if isinstance(w, Fraction)]
            common = 1
            for w in fractions:
                if common % w.denominator:
                    common = math.lcm(common, w.denominator)
            ints = [w.numerator * (common // w.denominator) for w in fractions]
            return cls(ints, sum(ints), None)
        total = math.fsum(float(w) for w in weights)
        return cls([], 1, [float(w) / total for w in weights])

    def marginal(self, sizes: tuple[int, ...], index: int) -> Weights:
        """The distribution of one coordinate of a grid of ``sizes`` (first slowest)."""
        if len(sizes) == 1:
            return self
        first, second = sizes
        source: Sequence[Any] = self.floats if self.floats is not None else self.ints
        if index == 0:
            sums = [source[i * second:(i + 1) * second] for i in range(first)]
        else:
            sums = [source[j::second] for j in range(second)]
        if self.floats is not None:
            return Weights([], 1, [math.fsum(part) for part in sums])
        return Weights([sum(part) for part in sums], self.denominator, None)

    def probabilities(self) -> list[Number]:
        """Each probability as a Fraction (exact) or a float."""
        if self.floats is not None:
            return list(self.floats)
        return [Fraction(n, self.denominator) for n in self.ints]

    @classmethod
    def of(cls, probs: Sequence[Number]) -> Weights:
        if all(isinstance(p, Fraction) for p in probs):
            fractions = [p for p in probs if isinstance(p, Fraction)]
            common = math.lcm(*{p.denominator for p in fractions})
            return cls([p.numerator * (common // p.denominator) for p in fractions], common,
                       None)
        return cls([], 1, [float(p) for p in probs])

    def total(self, keep: Sequence[bool]) -> Number:
        if self.floats is not None:
            return math.fsum(p for p, k in zip(self.floats, keep, strict=True) if k)
        return Fraction(sum(n for n, k in zip(self.ints, keep, strict=True) if k),
                        self.denominator)

    def moment(self, values: Sequence[Fraction], power: int) -> Number:
        if self.floats is not None:
            return math.fsum(p * float(v) ** power for v, p in zip(values, self.floats,
                                                                   strict=True))
        scale = math.lcm(*{v.denominator for v in values})
        total = sum(n * (v.numerator * (scale // v.denominator)) ** power
                    for v, n in zip(values, self.ints, strict=True))
        return Fraction(total, self.denominator * scale**power)

    def mean(self, values: Sequence[Fraction]) -> Number:
        return self.moment(values, 1)

    def variance(self, values: Sequence[Fraction], mu: Number) -> Number:
        if self.floats is not None:
            m = float(mu)
            return math.fsum(p * (float(v) - m) ** 2 for v, p in zip(values, self.floats,
                                                                      strict=True))
        return self.moment(values, 2) - mu * mu

    def quantile(self, values: Sequence[Fraction], q: Fraction) -> Fraction:
        if self.floats is not None:
            running, target = 0.0, float(q)
            for v, p in zip(values, self.floats, strict=True):
                running += p
                if running >= target:
                    return v
            return values[-1]  # float rounding left the sum just below q
        bound = q.numerator * self.denominator
        count = 0
        for v, n in zip(values, self.ints, strict=True):
            count += n
            if count * q.denominator >= bound:
                return v
        return values[-1]

    def equal_tailed(self, values: Sequence[Fraction], level: Fraction) -> CredibleInterval:
        alpha = 1 - level
        low = self.quantile(values, alpha / 2)
        high = self.quantile(values, 1 - alpha / 2)
        mass = self.total([low <= v <= high for v in values])
        return CredibleInterval(level=level, low=low, high=high, kind="equal-tailed",
                                mass=mass, segments=((low, high),))

    def highest_density(self, values: Sequence[Fraction], level: Fraction) -> CredibleInterval:
        probs: Sequence[Number | int] = self.floats if self.floats is not None else self.ints
        ranked = sorted(probs, reverse=True)
        if self.floats is not None:
            target: Number = float(level)
            running: Number = 0.0
        else:
            target, running = level * self.denominator, 0
        threshold = ranked[-1]
        for p in ranked:
            running += p
            if running >= target:
                threshold = p
                break
        inside = [p >= threshold and p > 0 for p in probs]
        segments: list[tuple[Fraction, Fraction]] = []
        start: int | None = None
        for i, flag in enumerate([*inside, False]):
            if flag and start is None:
                start = i
            elif not flag and start is not None:
                segments.append((values[start], values[i - 1]))
                start = None
        return CredibleInterval(level=level, low=segments[0][0], high=segments[-1][1],
                                kind="hdi", mass=self.total(inside), segments=tuple(segments))


def mean(values: Sequence[Fraction], probs: Sequence[Number]) -> Number:
    """:math:`\\sum_i p_i v_i`."""
    return Weights.of(probs).mean(values)


def variance(values: Sequence[Fraction], probs: Sequence[Number], mu: Number) -> Number:
    """:math:`\\sum_i p_i (v_i - \\mu)^2`."""
    return Weights.of(probs).variance(values, mu)


def quantile(values: Sequence[Fraction], probs: Sequence[Number], q: Fraction) -> Fraction:
    """The smallest value whose cumulative probability reaches ``q``.

    >>> from fractions import Fraction as F
    >>> quantile([F(1), F(2)], [F(1, 2), F(1, 2)], F(1, 2))
    Fraction(1, 1)
    """
    return Weights.of(probs).quantile(values, q)


def equal_tailed_interval(values: Sequence[Fraction], probs: Sequence[Number],
                          level: Fraction) -> CredibleInterval:
    """Quantiles at :math:`\\alpha/2` and :math:`1 - \\alpha/2` (see the module docstring)."""
    return Weights.of(probs).equal_tailed(values, level)


def highest_density_interval(values: Sequence[Fraction], probs: Sequence[Number],
                             level: Fraction) -> CredibleInterval:
    """The highest-density set at ``level`` (see the module docstring)."""
    return Weights.of(probs).highest_density(values, level)


def probability(values: Sequence[Fraction], probs: Sequence[Number],
                predicate: Callable[[Fraction], bool]) -> Number:
    """Total probability of the values where ``predicate`` holds."""
    return Weights.of(probs).total([predicate(v) for v in values])


def exact_sum(terms: Sequence[Number]) -> Number:
    """Sum of fractions over their common denominator (one division); floats by fsum.

    >>> from fractions import Fraction as F
    >>> exact_sum([F(1, 3), F(1, 6)])
    Fraction(1, 2)
    """
    return Weights.of(terms).total([True] * len(terms)) if terms else Fraction(0)


MAX_EXACT_BITS = 20_000
"""Fractions whose numerator or denominator is longer (about 6,000 digits) are written to
JSON as floats only: exact text that long is slow to make and no one reads it."""


def exact_text(value: Number) -> str | None:
    """``format_exact(value)``, or None for a float or a fraction over :data:`MAX_EXACT_BITS`.

    >>> exact_text(Fraction(3, 7)), exact_text(Fraction(1, 2**30_000)), exact_text(0.5)
    ('3/7', None, None)
    """
    if not isinstance(value, Fraction):
        return None
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_EXACT_BITS:
        return None
    return format_exact(value)


def number_json(value: Number | None, exact: bool) -> dict[str, object] | None:
    """``{"exact": "3/7", "float": 0.43}`` (``exact`` is None on the float path, or when
    the fraction is too long: :data:`MAX_EXACT_BITS`)."""
    if value is None:
        return None
    return {"exact": exact_text(value) if exact else None, "float": _float(value)}


def _float(value: Number) -> float | None:
    try:
        return float(value)
    except OverflowError:
        return None


def interval_json(interval: CredibleInterval, exact: bool) -> dict[str, object]:
    """The JSON form of a credible interval (``level``, ``low``, ``high``, ``kind``, ...)."""
    return {
        "level": number_json(interval.level, True),
        "low": number_json(interval.low, True),
        "high": number_json(interval.high, True),
        "kind": interval.kind,
        "mass": number_json(interval.mass, exact),
        "segments": [[number_json(a, True), number_json(b, True)]
                     for a, b in interval.segments],
    }


def summary_json(summary: Summary, exact: bool) -> dict[str, object]:
    """The JSON form of a :class:`Summary` (documented in docs/bayes.md)."""
    return {
        "mean": number_json(summary.mean, exact),
        "median": number_json(summary.median, True),
        "map": number_json(summary.map, True),
        "modes": [number_json(v, True) for v in summary.modes],
        "sd": {"exact": None, "float": summary.sd},
        "variance": number_json(summary.variance, exact),
        "credible_interval": interval_json(summary.credible_interval, exact),
        "hdi": interval_json(summary.hdi, exact),
    }


__all__ = [
    "CredibleInterval",
    "Summary",
    "Weights",
    "equal_tailed_interval",
    "exact_text",
    "exact_sum",
    "highest_density_interval",
    "interval_json",
    "mean",
    "number_json",
    "parse_level",
    "probability",
    "quantile",
    "summarize",
    "summary_json",
    "variance",
]
