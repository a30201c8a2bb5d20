"""Which derivations exist: each one's name, title and summary (no SymPy, nothing built).

Each derivation module builds its :class:`~probkit.symbolic.model.Derivation` with
:func:`registered`; :mod:`probkit.symbolic.registry` builds one by name.

>>> describe("sigmoid").title
'Derivative of the sigmoid'
>>> describe("no-such-thing")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
probkit.errors.InputError: unknown derivation 'no-such-thing'; choose one of: sigmoid, ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probkit.errors import InputError
from probkit.symbolic.model import Math, Prose

if TYPE_CHECKING:
    from probkit.symbolic.model import Derivation


@dataclass(frozen=True)
class Entry:
    """A derivation's name, title and one-line summary.

    ``summary`` is ASCII (``probkit derive --list``); ``typeset``, when given, is
    the same sentence with its formulas, for the pages.
    """

    name: str
    title: str
    summary: str
    typeset: Prose | None = None


_ENTRIES: tuple[Entry, ...] = (
    Entry(
        "sigmoid",
        "Derivative of the sigmoid",
        "f(x) = 1/(1 + exp(-a x)), a > 0, has f'(x) = a f(x) (1 - f(x)).",
        Prose.of(Math(r"f(x) = \frac{1}{1 + e^{-a x}}", "f(x) = 1/(1 + exp(-a x))"), ", ",
                 Math("a > 0"), ", has ", Math("f'(x) = a f(x) (1 - f(x))"), "."),
    ),
    Entry(
        "cross-entropy",
        "Gradient of the cross-entropy loss of one example",
        "With a = sigmoid(w.x + b): dL/dz = a - y, dL/dw = x (a - y), dL/db = a - y.",
        Prose.of("With ", Math(r"a = \sigma(w^{T} x + b)", "a = sigmoid(w.x + b)"), ": ",
                 Math(r"\frac{\partial L}{\partial z} = a - y", "dL/dz = a - y"), ", ",
                 Math(r"\frac{\partial L}{\partial w} = x (a - y)", "dL/dw = x (a - y)"), ", ",
                 Math(r"\frac{\partial L}{\partial b} = a - y", "dL/db = a - y"), "."),
    ),
    Entry(
        "vectorized",
        "Vectorized gradient over m examples",
        "dw = (1/m) X (A - Y)^T and db = (1/m) sum(A - Y).",
        Prose.of(Math(r"\frac{\partial J}{\partial w} = \frac{1}{m} X (A - Y)^{T}",
                      "dw = (1/m) X (A - Y)^T"), " and ",
                 Math(r"\frac{\partial J}{\partial b} = \frac{1}{m} \sum_{i} (a_i - y_i)",
                      "db = (1/m) sum(A - Y)"), "."),
    ),
    Entry(
        "l2",
        "L2 regularization",
        "Adding lambda/(2m) ||w||^2 adds (lambda/m) w to dw; the bias is not regularized.",
        Prose.of("Adding ", Math(r"\frac{\lambda}{2 m} \lVert w \rVert^{2}", "lambda/(2m) ||w||^2"),
                 " adds ", Math(r"\frac{\lambda}{m} w", "(lambda/m) w"), " to ",
                 Math(r"\frac{\partial J}{\partial w}", "dw"), "; the bias is not regularized."),
    ),
    Entry(
        "two-layer",
        "Backpropagation through a two-layer network",
        "ReLU or tanh hidden layer, sigmoid output, with and without L2.",
    ),
    Entry(
        "base-rate",
        "Moving a probability to a new base rate",
        "posterior odds = model odds times (P/(1-P)) / (pi/(1-pi)), by Bayes' rule.",
        Prose.of("posterior odds = model odds times ",
                 Math(r"\frac{P}{1 - P} \Big/ \frac{\pi}{1 - \pi}", "(P/(1-P)) / (pi/(1-pi))"),
                 ", by Bayes' rule."),
    ),
)

_BY_NAME = {entry.name: entry for entry in _ENTRIES}


def names() -> tuple[str, ...]:
    """The names of all derivations, in reading order."""
    return tuple(entry.name for entry in _ENTRIES)


def describe(name: str) -> Entry:
    """The catalogue entry of ``name`` (no SymPy import, nothing is built)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise InputError(
            f"unknown derivation {name!r}; choose one of: {', '.join(names())}"
        ) from None


def registered(name: str, **parts: Any) -> Derivation:
    """A :class:`Derivation` with the name, title and summary the catalogue lists for ``name``.

    ``parts`` are the remaining fields (``given``, ``steps``, ``results``, ...).
    """
    from probkit.symbolic.model import Derivation

    entry = describe(name)
    summary = entry.typeset or entry.summary
    return Derivation(name=entry.name, title=entry.title, summary=summary, **parts)
