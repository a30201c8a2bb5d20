"""Which derivations exist, and where each is built (imported only when asked for).

Building a derivation runs all of its checks, so the registry never builds
more than the caller asks for: ``probkit derive sigmoid`` builds one.

>>> describe("sigmoid").title
'Derivative of the sigmoid'
>>> build("no-such-thing")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
probkit.errors.InputError: unknown derivation 'no-such-thing'; choose one of: sigmoid, ...
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probkit.errors import InputError

if TYPE_CHECKING:
    from probkit.symbolic.model import Derivation


@dataclass(frozen=True)
class Entry:
    """A derivation's name, title, one-line summary and building module."""

    name: str
    title: str
    summary: str
    module: str


_ENTRIES: tuple[Entry, ...] = (
    Entry(
        "sigmoid",
        "Derivative of the sigmoid",
        "f(x) = 1/(1 + exp(-a x)), a > 0, has f'(x) = a f(x) (1 - f(x)).",
        "probkit.symbolic.sigmoid",
    ),
    Entry(
        "cross-entropy",
        "Gradient of the cross-entropy loss of one example",
        "With a = sigmoid(w.x + b): dL/dz = a - y, dL/dw = x (a - y), dL/db = a - y.",
        "probkit.symbolic.cross_entropy",
    ),
    Entry(
        "vectorized",
        "Vectorized gradient over m examples",
        "dw = (1/m) X (A - Y)^T and db = (1/m) sum(A - Y).",
        "probkit.symbolic.vectorized",
    ),
    Entry(
        "l2",
        "L2 regularization",
        "Adding lambda/(2m) ||w||^2 adds (lambda/m) w to dw; the bias is not regularized.",
        "probkit.symbolic.l2",
    ),
    Entry(
        "two-layer",
        "Backpropagation through a two-layer network",
        "ReLU or tanh hidden layer, sigmoid output, with and without L2.",
        "probkit.symbolic.two_layer",
    ),
    Entry(
        "base-rate",
        "Moving a probability to a new base rate",
        "posterior odds = model odds times (P/(1-P)) / (pi/(1-pi)), by Bayes' rule.",
        "probkit.symbolic.base_rate",
    ),
)

_BY_NAME = {entry.name: entry for entry in _ENTRIES}


def names() -> tuple[str, ...]:
    """The names of all derivations, in reading order."""
    return tuple(entry.name for entry in _ENTRIES)


def describe(name: str) -> Entry:
    """The registry entry of ``name`` (no SymPy import, nothing is built)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise InputError(
            f"unknown derivation {name!r}; choose one of: {', '.join(names())}"
        ) from None


def registered(name: str, **parts: Any) -> Derivation:
    """A :class:`Derivation` with the name, title and summary the registry lists for ``name``.

    ``parts`` are the remaining fields (``given``, ``steps``, ``results``, ...).
    """
    from probkit.symbolic.model import Derivation

    entry = describe(name)
    return Derivation(name=entry.name, title=entry.title, summary=entry.summary, **parts)


def build(name: str) -> Derivation:
    """Build (and so check) the derivation called ``name``."""
    entry = describe(name)
    module = importlib.import_module(entry.module)
    derivation: Derivation = module.build()
    return derivation


def build_all() -> tuple[Derivation, ...]:
    """Build every derivation, in reading order."""
    return tuple(build(name) for name in names())
