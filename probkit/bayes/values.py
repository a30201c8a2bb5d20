"""Numeric hypotheses from text: ``1..1000``, ``4,6,8,12,20``, ``0:1:101``; their priors.

Standard library only; every value is an exact :class:`~fractions.Fraction`.

* ``A..B`` -- the whole numbers from A to B inclusive (``1..1000``);
* ``V1,V2,...`` -- the listed numbers (``4,6,8,12,20``, ``1/3,2/3``), sorted;
* ``LOW:HIGH:COUNT`` -- COUNT evenly spaced values from LOW to HIGH inclusive,
  exact rationals (``0:1:101`` is 0, 1/100, ..., 1).

Priors over the values: ``uniform`` (equal weights), ``power:K`` (weight
proportional to value**K; ``power:-1`` is the classic "scale-free" prior of the
locomotive problem), ``triangle`` (rising linearly from the smallest value to the
middle of the range and falling to the largest: Think Bayes' Euro prior),
``beta(a, b)``, ``gamma(k, theta)`` and ``normal(mu, sigma)`` (densities evaluated at
the values; ``beta`` with whole a, b is exact) or ``@FILE`` (one non-negative weight
per line, in the order of the sorted values).

>>> parse_values("1..4")
(Fraction(1, 1), Fraction(2, 1), Fraction(3, 1), Fraction(4, 1))
>>> [format_value(v) for v in parse_values("0:1:5")]
['0', '0.25', '0.5', '0.75', '1']
>>> prior_weights("power:-1", parse_values("1,2,4"))
[Fraction(1, 1), Fraction(1, 2), Fraction(1, 4)]
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from probkit.errors import InputError
from probkit.numbers import Number, format_exact, parse_number

MAX_VALUES = 100_000
"""Most hypotheses (values, or grid cells for two unknowns) one problem may have."""

MAX_MAGNITUDE = 10**15
"""Largest absolute value, numerator and denominator a hypothesis value may have."""

MAX_POWER = 20
"""Largest absolute exponent K of a ``power:K`` prior."""

MAX_WEIGHTS_FILE_BYTES = 10_000_000


def parse_values(text: str, *, what: str = "values") -> tuple[Fraction, ...]:
    """The sorted, distinct values a ``--values`` text names (see the module docstring).

    >>> parse_values("20,4,6")
    (Fraction(4, 1), Fraction(6, 1), Fraction(20, 1))
    >>> parse_values("1..0")
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: values: '1..0' is an empty range (0 < 1)
    """
    if not isinstance(text, str):
        raise InputError(f"{what}: expected text such as '1..1000', got {text!r}")
    spec = text.strip()
    if not spec:
        raise InputError(f"{what}: empty; give e.g. 1..1000, 4,6,8,12,20 or 0:1:101")
    if ".." in spec:
        return _range(spec, what)
    if ":" in spec:
        return _grid(spec, what)
    items = spec.split(",")
    if len(items) > MAX_VALUES:
        raise InputError(f"{what}: {len(items):,} values; at most {MAX_VALUES:,} are allowed")
    values = [_value(item, what) for item in items]
    seen: set[Fraction] = set()
    for item, value in zip(items, values, strict=True):
        if value in seen:
            raise InputError(f"{what}: value {item.strip()!r} is given twice")
        seen.add(value)
    return tuple(sorted(values))


def _value(text: str, what: str) -> Fraction:
    value = parse_number(text, what=what)
    check_magnitude(value, what=what, shown=text.strip())
    return value


def check_magnitude(value: Fraction, *, what: str, shown: str | None = None) -> None:
    """Reject values whose size would make exact arithmetic or floats blow up."""
    if abs(value) > MAX_MAGNITUDE or value.denominator > MAX_MAGNITUDE:
        raise InputError(
            f"{what}: {shown if shown is not None else format_exact(value)} is too large "
            f"(values, numerators and denominators are limited to 10^15)"
        )


def _whole(text: str, what: str, spec: str) -> int:
    value = _value(text, what)
    if value.denominator != 1:
        raise InputError(f"{what}: {spec!r}: range ends must be whole numbers "
                         f"(got {text.strip()!r}; use LOW:HIGH:COUNT for a grid)")
    return int(value)


def _range(spec: str, what: str) -> tuple[Fraction, ...]:
    low_text, _, high_text = spec.partition("..")
    low, high = _whole(low_text, what, spec), _whole(high_text, what, spec)
    if high < low:
        raise InputError(f"{what}: {spec!r} is an empty range ({high} < {low})")
    count = high - low + 1
    if count > MAX_VALUES:
        raise InputError(f"{what}: {spec!r} has {count:,} values; at most {MAX_VALUES:,} "
                         "are allowed")
    return tuple(Fraction(v) for v in range(low, high + 1))


def _grid(spec: str, what: str) -> tuple[Fraction, ...]:
    parts = spec.split(":")
    if len(parts) != 3:
        raise InputError(f"{what}: {spec!r} is not of the form LOW:HIGH:COUNT (e.g. 0:1:101)")
    low, high = _value(parts[0], what), _value(parts[1], what)
    count_value = parse_number(parts[2], what=f"{what} (count)")
    if count_value.denominator != 1 or count_value < 1:
        raise InputError(f"{what}: {spec!r}: the count {parts[2].strip()!r} must be a whole "
                         "number >= 2")
    count = int(count_value)
    if count > MAX_VALUES:
        raise InputError(f"{what}: {spec!r} has {count:,} values; at most {MAX_VALUES:,} "
                         "are allowed")
    if count == 1:
        if low != high:
            raise InputError(f"{what}: {spec!r}: one value cannot span {parts[0].strip()} to "
                             f"{parts[1].strip()} (give a count >= 2)")
        return (low,)
    if high <= low:
        raise InputError(f"{what}: {spec!r}: HIGH must be larger than LOW")
    step = (high - low) / (count - 1)
    return tuple(low + step * i for i in range(count))


def prior_weights(
    spec: str, values: Sequence[Fraction], *, what: str = "prior",
    base_dir: str | os.PathLike[str] | None = None, name: str | None = None,
) -> list[Number]:
    """Unnormalized prior weights of ``values`` from a named prior (see the module) or ``@FILE``.

    Integer K gives exact weights; a fractional K gives floats (value**K is
    irrational). ``@FILE`` is read relative to ``base_dir`` (default: the
    current directory).

    >>> prior_weights("uniform", parse_values("1..3"))
    [Fraction(1, 1), Fraction(1, 1), Fraction(1, 1)]
    >>> prior_weights("power:2", parse_values("1,3"))
    [Fraction(1, 1), Fraction(9, 1)]
    >>> [str(w) for w in prior_weights("triangle", parse_values("0..4"))]
    ['0', '1', '2', '1', '0']
    >>> prior_weights("beta(2, 2)", [Fraction(1, 2)])
    [Fraction(1, 4)]
    """
    text = spec.strip() if isinstance(spec, str) else spec
    if not isinstance(text, str) or not text:
        raise InputError(f"{what}: expected {PRIOR_FORMS}, got {spec!r}")
    if text.lower() == "uniform":
        return [Fraction(1)] * len(values)
    if text.lower().startswith("power:"):
        return _power(text, values, what)
    if text.startswith("@"):
        return _weights_file(text[1:], len(values), what, base_dir)
    if text.lower() == "triangle":
        return _triangle(values)
    shape = _SHAPE.match(text)
    if shape is not None:
        return _shape(shape.group(1).lower(), shape.group(2), values, what)
    used = _names_in(text)
    if name is not None and name in used:
        return _formula_weights(text, name, values, what)
    if used:
        raise InputError(f"{what}: {text!r} is not {PRIOR_FORMS}; as a formula it names "
                         f"{', '.join(map(repr, used))}, not the unknown {name!r}")
    raise InputError(f"{what}: {text!r} is not {PRIOR_FORMS}")


def _names_in(text: str) -> tuple[str, ...]:
    from probkit.bayes.formulas import formula_names

    try:
        return formula_names(text)
    except InputError:
        return ()


def _formula_weights(text: str, name: str, values: Sequence[Fraction],
                     what: str) -> list[Number]:
    """A prior written as a formula of the unknown, e.g. ``1/N`` or ``p*(1-p)``."""
    from probkit.bayes.formulas import parse_formula

    try:
        formula = parse_formula(text, [name])
    except InputError as exc:
        raise InputError(f"{what}: {exc}") from None
    weights = []
    for v in values:
        try:
            weight = formula.value({name: v})
        except InputError as exc:
            raise InputError(f"{what}: {exc}") from None
        if not weight >= 0 or isinstance(weight, float) and not math.isfinite(weight):
            raise InputError(f"{what}: {text!r} is {weight!r} at {name} = {format_value(v)}; "
                             "prior weights must be non-negative and finite")
        weights.append(weight)
    return weights


PRIOR_FORMS = ("uniform, power:K (e.g. power:-1), triangle, beta(a, b), gamma(k, theta), "
               "normal(mu, sigma), a formula of the unknown (e.g. 1/N) or @FILE (one weight "
               "per line)")
"""The prior forms :func:`prior_weights` reads, as an error message lists them."""

_SHAPE = re.compile(r"^(beta|gamma|normal)\s*\(([^()]*)\)$", re.IGNORECASE)


def _triangle(values: Sequence[Fraction]) -> list[Number]:
    """Weight ``min(v - low, high - v)``: 0 at both ends, largest at the middle of the range."""
    if not values:
        return []
    low, high = min(values), max(values)
    return [Fraction(min(v - low, high - v)) for v in values]


def _shape(name: str, arguments: str, values: Sequence[Fraction], what: str) -> list[Number]:
    """``beta(a, b)``, ``gamma(k, theta)`` or ``normal(mu, sigma)`` evaluated at the values."""
    spec = f"{name}({arguments})"
    parts = [part.strip() for part in arguments.split(",")]
    if len(parts) != 2:
        raise InputError(f"{what}: {spec!r} takes two numbers, e.g. {name}(2, 2)")
    first, second = (parse_number(part, what=f"{what} {spec!r}") for part in parts)
    if name in ("beta", "gamma") and (first <= 0 or second <= 0) or name == "normal" \
            and second <= 0:
        raise InputError(f"{what}: {spec!r}: the parameters must be positive"
                         if name != "normal" else f"{what}: {spec!r}: sigma must be positive")
    if max(abs(first), abs(second)) > 10**6:
        raise InputError(f"{what}: {spec!r}: parameters are limited to 1e6 in size")
    weights: list[Number] = []
    for v in values:
        if name == "beta":
            if not 0 <= v <= 1:
                raise InputError(f"{what}: {spec!r} needs values in [0, 1] "
                                 f"(got {format_value(v)})")
            if first.denominator == 1 and second.denominator == 1:  # whole a, b >= 1: exact
                weight: Number = v ** (int(first) - 1) * (1 - v) ** (int(second) - 1)
            else:
                weight = _beta_density(float(v), float(first), float(second), spec, what)
        elif name == "gamma":
            if v < 0:
                raise InputError(f"{what}: {spec!r} needs values >= 0 (got {format_value(v)})")
            if v == 0 and first < 1:
                raise InputError(f"{what}: {spec!r} is infinite at 0; leave 0 out of the values")
            weight = 0.0 if v == 0 and first > 1 else math.exp(
                (float(first) - 1) * math.log(float(v)) - float(v) / float(second)
            ) if v else 1.0
        else:
            z = (float(v) - float(first)) / float(second)
            weight = math.exp(-0.5 * z * z)
        weights.append(weight)
    return weights


def _beta_density(v: float, a: float, b: float, spec: str, what: str) -> float:
    if v == 0 and a < 1 or v == 1 and b < 1:
        raise InputError(f"{what}: {spec!r} is infinite at {v:g}; leave it out of the values")
    if v in (0.0, 1.0):
        return 1.0 if (v == 0 and a == 1 or v == 1 and b == 1) else 0.0
    return math.exp((a - 1) * math.log(v) + (b - 1) * math.log1p(-v))


def _power(text: str, values: Sequence[Fraction], what: str) -> list[Number]:
    exponent = parse_number(text.split(":", 1)[1], what=f"{what} {text!r}")
    if abs(exponent) > MAX_POWER:
        raise InputError(f"{what}: {text!r}: the exponent must lie within ±{MAX_POWER}")
    weights: list[Number] = []
    for v in values:
        if v < 0:
            raise InputError(f"{what}: {text!r} needs values >= 0 (got {format_exact(v)})")
        if v == 0 and exponent < 0:
            raise InputError(f"{what}: {text!r} is infinite at the value 0; "
                             "leave 0 out of the values")
        if exponent.denominator == 1:
            weights.append(v ** int(exponent))
        else:
            weights.append(float(v) ** float(exponent))
    return weights


def _weights_file(
    name: str, count: int, what: str, base_dir: str | os.PathLike[str] | None
) -> list[Number]:
    path = Path(name.strip())
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    try:
        size = path.stat().st_size
        if size > MAX_WEIGHTS_FILE_BYTES:
            raise InputError(f"{what}: weights file {path} is larger than 10 MB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"{what}: cannot read weights file {path}: {reason}") from None
    weights: list[Number] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        weight = parse_number(line, what=f"{what} {path}, line {number}")
        if weight < 0:
            raise InputError(f"{what} {path}, line {number}: weight {line.strip()!r} is "
                             "negative")
        weights.append(weight)
    if len(weights) != count:
        raise InputError(f"{what}: weights file {path} has {len(weights)} weights for "
                         f"{count} values (one per line, in increasing order of value)")
    return weights


def format_value(value: Number) -> str:
    """A hypothesis value as text: ``90``, ``0.56`` (exact decimals), ``1/3``, or a float.

    >>> format_value(Fraction(14, 25)), format_value(Fraction(1, 3)), format_value(Fraction(-5))
    ('0.56', '1/3', '-5')
    """
    if not isinstance(value, Fraction):
        return repr(float(value))
    if value.denominator == 1:
        return str(value.numerator)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return format_exact(value)
    places = max(twos, fives)
    scaled = abs(value.numerator) * (10**places // value.denominator)
    digits = str(scaled).rjust(places + 1, "0")
    text = f"{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")
    return f"-{text}" if value < 0 else text


__all__ = [
    "MAX_MAGNITUDE",
    "MAX_POWER",
    "MAX_VALUES",
    "PRIOR_FORMS",
    "check_magnitude",
    "format_value",
    "parse_values",
    "prior_weights",
]
