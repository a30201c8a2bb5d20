"""Reading the arguments of a numeric problem: values, the unknowns' names and their priors.

``values`` may be text (``"1..1000"``), a list of numbers, or a mapping naming each unknown;
``prior`` one text for every unknown or a mapping. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from probkit.bayes.families import Family
from probkit.bayes.values import parse_values
from probkit.errors import InputError

ValuesSpec = str | Sequence[object]
"""One unknown's values as given: text such as ``"1..1000"`` or a sequence of numbers."""


def values_of(spec: ValuesSpec, what: str) -> tuple[Fraction, ...]:
    """One unknown's values, parsed and checked (``what`` names the argument)."""
    if isinstance(spec, str):
        return parse_values(spec, what=what)
    if isinstance(spec, Sequence):
        texts = [repr(v) if isinstance(v, float) else str(v) for v in spec]
        if any(isinstance(v, bool) or not isinstance(v, int | float | str | Fraction)
               for v in spec):
            raise InputError(f"{what}: expected numbers, got {list(spec)!r}")
        if not texts:
            raise InputError(f"{what}: empty list of values")
        return parse_values(",".join(texts), what=what)
    raise InputError(f"{what}: expected text such as '1..1000' or a list of numbers, "
                     f"got {spec!r}")


def named_specs(values: ValuesSpec | Mapping[str, ValuesSpec], family: Family,
                 what: str) -> list[tuple[str, ValuesSpec]]:
    """(name, values) per unknown: the mapping's names, or the family's default name."""
    if isinstance(values, Mapping):
        specs = [(str(name).strip(), spec) for name, spec in values.items()]
        for name, _ in specs:
            if not name.isidentifier():
                raise InputError(f"{what}: the unknown's name {name!r} must be a word "
                                 "(letters, digits, _)")
        if not specs:
            raise InputError(f"{what}: give at least one unknown")
        return specs
    return [(family.parameter_names(1)[0], values)]


def named_priors(prior: str | Mapping[str, str], names: Sequence[str],
                  what: str) -> dict[str, str]:
    """Each unknown's prior (``uniform`` where a mapping leaves one out)."""
    if isinstance(prior, str):
        return dict.fromkeys(names, prior)
    unknown = [name for name in prior if name not in names]
    if unknown:
        raise InputError(f"{what}: {unknown[0]!r} is not an unknown (the unknowns: "
                         f"{', '.join(names)})")
    return {name: str(prior.get(name, "uniform")) for name in names}


__all__ = ["ValuesSpec", "named_priors", "named_specs", "values_of"]
