r"""Likelihood families for numeric hypotheses (standard library only).

Each family says what an observation looks like and how probable it is given
the unknown(s). Exact (``Fraction``) whenever the hypothesis values are
rational, except ``poisson`` and ``normal``, whose likelihoods are irrational
and computed in floating point.

==================  =========  =========================  ==================================
family              unknowns   one observation            :math:`P(x \mid \theta)`
==================  =========  =========================  ==================================
``uniform``         N          whole number x >= 1        :math:`1/N` if :math:`x \le N`
``uniform``         low, high  whole number x             :math:`1/(high-low+1)` if inside
``bernoulli``       p          1/0, H/T (``HHTH`` ok)     :math:`p` or :math:`1-p`
``binomial``        p          ``k/n``: k successes in n  :math:`\binom nk p^k (1-p)^{n-k}`
``geometric``       p          trials to 1st success k    :math:`(1-p)^{k-1} p`
``poisson``         lam        count k >= 0               :math:`e^{-\lambda}\lambda^k/k!`
``hypergeometric``  K          ``k/n``: k marked in n     :math:`C(K,k) C(M-K,n-k) / C(M,n)`
``normal``          mu, sigma  real number x              density :math:`\varphi(z)/\sigma`
==================  =========  =========================  ==================================

``hypergeometric:M`` names the population size M (the urn holds M balls, K of
them marked; each observation is an independent sample of n drawn without
replacement, k of them marked).

>>> family = parse_family("binomial")
>>> datum = parse_data(family, ["140/250"])[0]
>>> likelihood(family, (Fraction(1, 2),), datum) == Fraction(math.comb(250, 140), 2**250)
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeAlias

from probkit.bayes.formulas import Formula, parse_formula
from probkit.bayes.values import format_value
from probkit.errors import InputError
from probkit.logspace import log_of
from probkit.numbers import Number, parse_number, to_number

MAX_DATA = 10_000
"""Most observations (data items) one problem may have."""

MAX_TRIALS = 100_000
"""Largest n in a ``k/n`` observation and largest count."""

MAX_POPULATION = 10_000
"""Largest population M of ``hypergeometric:M`` (its exact binomial coefficients grow fast)."""

Datum: TypeAlias = int | tuple[int, int] | Fraction
"""One observation: a whole number, a pair (k, n), or a real number (normal)."""

_PARAMETERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "uniform": (("N",), ("low", "high")),
    "bernoulli": (("p",),),
    "binomial": (("p",),),
    "geometric": (("p",),),
    "poisson": (("lam",),),
    "hypergeometric": (("K",),),
    "normal": (("mu", "sigma"),),
}
FAMILIES = tuple(_PARAMETERS)
_FLOAT_FAMILIES = {"poisson", "normal"}
_HEADS = {"1": 1, "h": 1, "heads": 1, "0": 0, "t": 0, "tails": 0}


@dataclass(frozen=True)
class Family:
    """A likelihood family; ``population`` is M for ``hypergeometric:M``; ``formula`` is a
    user's likelihood of the ``unknowns`` and the datum ``x`` (family ``"formula"``)."""

    name: str
    population: int | None = None
    formula: Formula | None = field(default=None, repr=False)
    unknowns: tuple[str, ...] = field(default=(), repr=False)

    @property
    def exact(self) -> bool:
        """Whether the likelihoods are rational (for rational hypothesis values)."""
        return self.name not in _FLOAT_FAMILIES

    @property
    def density(self) -> bool:
        """Whether the likelihood is a probability density (can exceed 1)."""
        return self.name == "normal"

    def arities(self) -> tuple[int, ...]:
        """How many unknowns this family can have (1, 2 or both)."""
        if self.formula is not None:
            return (len(self.unknowns),)
        return tuple(len(names) for names in _PARAMETERS[self.name])

    def parameter_names(self, arity: int) -> tuple[str, ...]:
        """The default names of the unknowns (``N``; ``low, high``; ``p``; ...)."""
        if self.formula is not None:
            names = self.unknowns
            if len(names) != arity:
                raise InputError(f"likelihood {self.formula.text!r} is a formula of "
                                 f"{len(names)} unknown(s) ({', '.join(names)}; x is the "
                                 f"datum) evaluated for {arity} at a time (data per unknown "
                                 "needs a family)", parameter="likelihood")
            return names
        for names in _PARAMETERS[self.name]:
            if len(names) == arity:
                return names
        allowed = " or ".join(str(a) for a in self.arities())
        hint = (" (unknowns with data of their own: give the data per unknown, name=...)"
                if 1 in self.arities() and arity == 2 else "")
        raise InputError(f"family {self}: takes {allowed} unknown(s), got {arity}{hint}")

    def __str__(self) -> str:
        if self.formula is not None:
            return f"likelihood {self.formula.text!r}"
        return self.name if self.population is None else f"{self.name}:{self.population}"


DATUM = "x"
"""The name of the observation in a likelihood formula (``1/N if x <= N else 0``)."""

DEFAULT_UNKNOWN = "N"
"""The unknown's name in a likelihood formula when the unknown is not named."""


def formula_family(text: str, unknowns: Sequence[str] | None = None) -> Family:
    """A likelihood of your own: a formula of the ``unknowns`` and the datum ``x``.

    The unknowns are named (``N`` when not given); any other name in the formula, other
    than a function, is refused by name, never taken for an unknown.

    >>> family = formula_family("1/N if x <= N else 0")
    >>> likelihood(family, (Fraction(100),), Fraction(60)), family.parameter_names(1)
    (Fraction(1, 100), ('N',))
    """
    names = tuple(unknowns) if unknowns is not None else (DEFAULT_UNKNOWN,)
    if DATUM in names:
        raise InputError(f"likelihood {text!r}: {DATUM!r} is the datum and cannot name an "
                         "unknown", parameter="likelihood")
    try:
        formula = parse_formula(text, [*names, DATUM])
    except InputError as exc:
        raise InputError(str(exc), parameter="likelihood") from None
    return Family("formula", formula=formula, unknowns=names)


def parse_family(text: str, *, what: str = "family") -> Family:
    """Parse ``uniform``, ``binomial``, ``hypergeometric:M``, ...

    >>> parse_family("hypergeometric:100")
    Family(name='hypergeometric', population=100)
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{what}: expected one of {', '.join(FAMILIES)}, got {text!r}")
    name, sep, rest = text.strip().lower().partition(":")
    if name not in _PARAMETERS:
        raise InputError(f"{what}: {text!r} is not one of {', '.join(FAMILIES)}")
    if name == "hypergeometric":
        if not sep:
            raise InputError(f"{what}: hypergeometric needs the population size, e.g. "
                             "hypergeometric:100")
        size = parse_number(rest, what=f"{what} {text!r}")
        if size.denominator != 1 or not 1 <= size <= MAX_POPULATION:
            raise InputError(f"{what}: {text!r}: the population must be a whole number "
                             f"from 1 to {MAX_POPULATION:,}")
        return Family(name, int(size))
    if sep:
        raise InputError(f"{what}: {text!r}: only hypergeometric takes a parameter (:M)")
    return Family(name)


def check_values(
    family: Family, arity: int, index: int, name: str, values: Sequence[Fraction]
) -> None:
    """Reject values unknown ``index`` (of ``arity``) cannot have (e.g. p = 1.5, N = 0)."""
    kind = family.name
    if kind == "formula":
        return
    for v in values:
        shown = f"{name} = {format_value(v)}"
        if kind == "uniform" and v.denominator != 1:
            raise InputError(f"family uniform: {shown} is not a whole number")
        if kind == "uniform" and arity == 1 and v < 1:
            raise InputError(f"family uniform: {shown} must be at least 1 (the unknown is the "
                             "upper bound N of 1..N)")
        if kind in ("bernoulli", "binomial", "geometric") and not 0 <= v <= 1:
            raise InputError(f"family {kind}: {shown} is not a probability (outside [0, 1])")
        if kind == "poisson" and v < 0:
            raise InputError(f"family poisson: {shown} is negative")
        if kind == "hypergeometric":
            assert family.population is not None
            if v.denominator != 1 or not 0 <= v <= family.population:
                raise InputError(f"family {family}: {shown} must be a whole number from 0 to "
                                 f"{family.population}")
        if kind == "normal" and index == 1 and v <= 0:
            raise InputError(f"family normal: {shown} must be positive")


def parse_data(family: Family, items: Sequence[object], *, what: str = "data") -> list[Datum]:
    """Parse observations; text items may hold several, separated by commas.

    >>> parse_data(parse_family("bernoulli"), ["HHT", "1,0"])
    [1, 1, 0, 1, 0]
    """
    raw: list[object] = []
    for item in items:
        if isinstance(item, str):
            parts = [p.strip() for p in item.split(",")]
            if family.name == "bernoulli":
                parts = [c for p in parts for c in (_letters(p) or [p])]
            raw.extend(parts)
        else:
            raw.append(item)
        if len(raw) > MAX_DATA:
            raise InputError(f"{what}: more than {MAX_DATA:,} observations")
    return [_datum(family, item, what) for item in raw]


def _letters(text: str) -> list[str] | None:
    """``HHTH`` or ``1101`` as single observations (None: not such a string)."""
    if len(text) > 1 and all(c in "HTht01" for c in text):
        return list(text)
    return None


def _datum(family: Family, item: object, what: str) -> Datum:
    shown = repr(item) if isinstance(item, str) else str(item)
    kind = family.name
    if isinstance(item, str) and not item:
        raise InputError(f"{what}: empty observation")
    if kind == "bernoulli":
        key = item.lower() if isinstance(item, str) else item
        if isinstance(key, bool) or key not in _HEADS and key not in (0, 1):
            raise InputError(f"{what}: {shown} is not a bernoulli observation "
                             "(1/0, H/T or heads/tails)")
        return _HEADS[key] if isinstance(key, str) else int(str(key))
    if kind in ("binomial", "hypergeometric"):
        return _pair(family, item, shown, what)
    number = to_number(item, what=f"{what} {shown}")
    if kind in ("normal", "formula"):
        value = Fraction(number)
        if abs(value) > 10**15:
            raise InputError(f"{what}: {shown} is too large")
        return value
    if number != int(number):
        raise InputError(f"{what}: {shown} is not a whole number (family {family})")
    count = int(number)
    if kind == "uniform" and abs(count) > 10**15:
        raise InputError(f"{what}: {shown} is too large")
    if kind == "geometric" and not 1 <= count <= MAX_TRIALS:
        raise InputError(f"{what}: {shown}: a geometric observation counts the trials up to "
                         f"and including the first success, 1 to {MAX_TRIALS:,}")
    if kind == "poisson" and not 0 <= count <= MAX_TRIALS:
        raise InputError(f"{what}: {shown}: a poisson count must lie from 0 to {MAX_TRIALS:,}")
    return count


def _pair(family: Family, item: object, shown: str, what: str) -> tuple[int, int]:
    text = str(item).strip()
    k_text, sep, n_text = text.partition("/")
    form = "k/n (k successes in n trials)" if family.name == "binomial" else \
        "k/n (k marked in a sample of n)"
    if not sep:
        raise InputError(f"{what}: {shown} is not of the form {form}, e.g. 140/250")
    try:
        k, n = int(k_text.replace("_", "")), int(n_text.replace("_", ""))
    except ValueError:
        raise InputError(f"{what}: {shown} is not of the form {form}") from None
    if not 0 <= k <= n:
        raise InputError(f"{what}: {shown}: need 0 <= k <= n")
    if n > MAX_TRIALS:
        raise InputError(f"{what}: {shown}: n is limited to {MAX_TRIALS:,}")
    if family.population is not None and n > family.population:
        raise InputError(f"{what}: {shown}: a sample of {n} is larger than the population "
                         f"{family.population}")
    return k, n


def likelihood(family: Family, cell: Sequence[Fraction], datum: Datum) -> Number:
    """:math:`P(x \\mid \\theta)` for one observation (a density for ``normal``).

    >>> likelihood(parse_family("uniform"), (Fraction(6),), 4)
    Fraction(1, 6)
    """
    kind = family.name
    if family.formula is not None:
        bindings: dict[str, object] = dict(zip(family.parameter_names(len(cell)), cell,
                                               strict=True))
        bindings[DATUM] = datum
        return _checked(family.formula.value(bindings), family, bindings)
    if kind == "uniform":
        assert isinstance(datum, int)
        low, high = (Fraction(1), cell[0]) if len(cell) == 1 else (cell[0], cell[1])
        return Fraction(1, int(high - low) + 1) if low <= datum <= high else Fraction(0)
    p = cell[0]
    if kind == "bernoulli":
        return p if datum == 1 else 1 - p
    if kind == "binomial":
        assert isinstance(datum, tuple)
        k, n = datum
        return math.comb(n, k) * p**k * (1 - p) ** (n - k)
    if kind == "geometric":
        assert isinstance(datum, int)
        return (1 - p) ** (datum - 1) * p
    if kind == "hypergeometric":
        assert isinstance(datum, tuple) and family.population is not None
        k, n = datum
        marked, total = int(p), family.population
        return Fraction(math.comb(marked, k) * math.comb(total - marked, n - k),
                        math.comb(total, n))
    if kind == "poisson":
        assert isinstance(datum, int)
        lam = float(p)
        if lam == 0.0:
            return 1.0 if datum == 0 else 0.0
        return math.exp(datum * math.log(lam) - lam - math.lgamma(datum + 1))
    # normal
    mu, sigma = float(cell[0]), float(cell[1])
    assert isinstance(datum, Fraction)
    z = (float(datum) - mu) / sigma
    return math.exp(-0.5 * z * z) / (sigma * math.sqrt(2 * math.pi))


def _checked(value: Number, family: Family, bindings: dict[str, object]) -> Number:
    if not value >= 0 or isinstance(value, float) and not math.isfinite(value):
        where = ", ".join(f"{k} = {format_value(v) if isinstance(v, Fraction) else v}"
                          for k, v in bindings.items())
        shown = format_value(value) if isinstance(value, Fraction) else repr(value)
        raise InputError(f"{family}: {shown} at {where} is not a likelihood (negative or "
                         "not finite)", parameter="likelihood")
    return value


def log_likelihood(family: Family, cell: Sequence[Fraction], datum: Datum) -> float:
    r""":math:`\log P(x \mid \theta)` in floating point, never forming the exact power.

    ``binomial``, ``bernoulli`` and ``geometric`` use :math:`\log\binom nk + k \log p +
    (n-k) \log(1-p)` (``lgamma``), so ``50000/100000`` costs microseconds where the exact
    :math:`p^{50000}` costs seconds; the other families take the log of
    :func:`likelihood` (rational ones exactly, :func:`~probkit.logspace.log_of`).

    >>> round(log_likelihood(parse_family("binomial"), (Fraction(1, 2),), (1, 2)), 12)
    -0.69314718056
    """
    kind = family.name
    if kind in ("bernoulli", "binomial", "geometric"):
        p = float(cell[0])
        if kind == "bernoulli":
            assert isinstance(datum, int)
            return _x_log(1, p) if datum == 1 else _x_log1m(1, p)
        if kind == "geometric":
            assert isinstance(datum, int)
            return _x_log1m(datum - 1, p) + _x_log(1, p)
        assert isinstance(datum, tuple)
        k, n = datum
        return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                + _x_log(k, p) + _x_log1m(n - k, p))
    if kind == "poisson":  # k log(lam) - lam - log k!: no underflow at k = 1000, lam = 1
        assert isinstance(datum, int)
        lam = float(cell[0])
        return _x_log(datum, lam) - lam - math.lgamma(datum + 1)
    if kind == "normal":
        assert isinstance(datum, Fraction)
        mu, sigma = float(cell[0]), float(cell[1])
        z = (float(datum) - mu) / sigma
        return -0.5 * z * z - math.log(sigma) - 0.5 * math.log(2 * math.pi)
    return log_of(likelihood(family, cell, datum))


def _x_log(k: int, p: float) -> float:
    r""":math:`k \log p` with :math:`0 \log 0 = 0`."""
    return 0.0 if k == 0 else (-math.inf if p <= 0 else k * math.log(p))


def _x_log1m(k: int, p: float) -> float:
    r""":math:`k \log(1 - p)` with :math:`0 \log 0 = 0`."""
    return 0.0 if k == 0 else (-math.inf if p >= 1 else k * math.log1p(-p))


def valid_cell(family: Family, cell: Sequence[Fraction]) -> bool:
    """Whether a grid cell is a hypothesis at all (``uniform``: low <= high)."""
    return not (family.name == "uniform" and len(cell) == 2 and cell[0] > cell[1])


def expected_observation(family: Family, cell: Sequence[Fraction],
                         last: Datum | None) -> Fraction | None:
    """Mean of the next observation given the unknowns (None: infinite).

    ``binomial``: one more trial (so the mean is p); ``hypergeometric``: a
    sample of the size of the last one; ``geometric``: 1/p (None at p = 0).
    """
    kind = family.name
    if kind == "formula":
        return None
    if kind == "uniform":
        low, high = (Fraction(1), cell[0]) if len(cell) == 1 else (cell[0], cell[1])
        return (low + high) / 2
    if kind == "geometric":
        return None if cell[0] == 0 else 1 / cell[0]
    if kind == "hypergeometric":
        assert isinstance(last, tuple) and family.population is not None
        return last[1] * cell[0] / family.population
    return cell[0]  # bernoulli, binomial, poisson (lam), normal (mu)


def datum_label(datum: Datum) -> str:
    """An observation as text, as the trace shows it."""
    if isinstance(datum, tuple):
        return f"{datum[0]}/{datum[1]}"
    return format_value(datum) if isinstance(datum, Fraction) else str(datum)


__all__ = [
    "DATUM",
    "FAMILIES",
    "MAX_DATA",
    "MAX_POPULATION",
    "MAX_TRIALS",
    "Datum",
    "Family",
    "check_values",
    "datum_label",
    "expected_observation",
    "formula_family",
    "likelihood",
    "log_likelihood",
    "parse_data",
    "parse_family",
    "valid_cell",
]
