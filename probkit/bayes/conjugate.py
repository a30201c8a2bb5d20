r"""Conjugate updates in closed form, exact: beta-binomial, gamma-Poisson, normal with known sigma.

When the prior is in the right family, the posterior is in it too and its parameters
are sums; no grid is needed. Parameters are kept as :class:`~fractions.Fraction`, so
the posterior mean and variance are exact; :meth:`on` evaluates the density on a
grid of values as a :class:`~probkit.bayes.distribution.Distribution` (the tests
check each closed form against the grid update of that distribution).

=========================  ==========================  ==================================
prior                      data                        posterior
=========================  ==========================  ==================================
Beta(a, b)                 k successes in n trials     Beta(a + k, b + n - k)
Gamma(k, rate)             counts x_1..x_n (Poisson)   Gamma(k + sum x, rate + n)
Normal(mu, var)            x_1..x_n ~ Normal(m, s^2)   precision 1/var + n/s^2, mean the
                           with s known                precision-weighted average
=========================  ==========================  ==================================

>>> Beta(1, 1).update(140, 250).mean()  # 141/252
Fraction(47, 84)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from probkit.errors import InputError
from probkit.numbers import to_number

if TYPE_CHECKING:
    from probkit.bayes.distribution import Distribution


def _positive(value: object, what: str) -> Fraction:
    number = Fraction(to_number(repr(value) if isinstance(value, float) else value, what=what))
    if number <= 0:
        raise InputError(f"{what} must be positive; got {value!r}", parameter=what)
    return number


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{what} must be a whole number >= 0; got {value!r}", parameter=what)
    return value


@dataclass(frozen=True)
class Beta:
    """Beta(a, b): density proportional to :math:`p^{a-1}(1-p)^{b-1}` on [0, 1]."""

    a: Fraction
    b: Fraction

    def __init__(self, a: object, b: object) -> None:
        object.__setattr__(self, "a", _positive(a, "a"))
        object.__setattr__(self, "b", _positive(b, "b"))

    def update(self, successes: int, trials: int) -> Beta:
        """After ``successes`` in ``trials`` (binomial or bernoulli data)."""
        k, n = _count(successes, "successes"), _count(trials, "trials")
        if k > n:
            raise InputError(f"successes ({k}) exceed trials ({n})", parameter="successes")
        return Beta(self.a + k, self.b + n - k)

    def mean(self) -> Fraction:
        return self.a / (self.a + self.b)

    def var(self) -> Fraction:
        total = self.a + self.b
        return self.a * self.b / (total * total * (total + 1))

    def on(self, values: Iterable[object]) -> Distribution:
        """The density on a grid of values in [0, 1], normalized."""
        from probkit.bayes.distribution import Distribution

        return Distribution.from_prior(f"beta({self.a}, {self.b})", values)


@dataclass(frozen=True)
class Gamma:
    """Gamma(k, rate): density proportional to :math:`\\lambda^{k-1} e^{-\\text{rate}\\,\\lambda}`.

    The scale :math:`\\theta` of ``gamma(k, theta)`` priors is ``1 / rate``.
    """

    k: Fraction
    rate: Fraction

    def __init__(self, k: object, rate: object) -> None:
        object.__setattr__(self, "k", _positive(k, "k"))
        object.__setattr__(self, "rate", _positive(rate, "rate"))

    def update(self, counts: Sequence[int]) -> Gamma:
        """After Poisson counts."""
        total = sum(_count(c, "counts") for c in counts)
        return Gamma(self.k + total, self.rate + len(counts))

    def mean(self) -> Fraction:
        return self.k / self.rate

    def var(self) -> Fraction:
        return self.k / (self.rate * self.rate)

    def on(self, values: Iterable[object]) -> Distribution:
        """The density on a grid of values >= 0, normalized (float: it is irrational)."""
        from probkit.bayes.distribution import Distribution

        return Distribution.from_prior(f"gamma({self.k}, {1 / self.rate})", values)


@dataclass(frozen=True)
class Normal:
    """Normal(mu, var) belief about a mean, for data with a known standard deviation."""

    mu: Fraction
    var: Fraction

    def __init__(self, mu: object, var: object) -> None:
        mean = to_number(repr(mu) if isinstance(mu, float) else mu, what="mu")
        object.__setattr__(self, "mu", Fraction(mean))
        object.__setattr__(self, "var", _positive(var, "var"))

    def update(self, data: Sequence[object], sigma: object) -> Normal:
        """After observations with known standard deviation ``sigma``."""
        s = _positive(sigma, "sigma")
        xs = [Fraction(to_number(repr(x) if isinstance(x, float) else x, what="data"))
              for x in data]
        precision = 1 / self.var + len(xs) / (s * s)
        mean = (self.mu / self.var + sum(xs, Fraction(0)) / (s * s)) / precision
        return Normal(mean, 1 / precision)

    def mean(self) -> Fraction:
        return self.mu

    def on(self, values: Iterable[object]) -> Distribution:
        """The density on a grid of values, normalized (float)."""
        from probkit.bayes.distribution import Distribution

        sd = float(self.var) ** 0.5
        return Distribution.from_prior(f"normal({float(self.mu)!r}, {sd!r})", values)


__all__ = ["Beta", "Gamma", "Normal"]
