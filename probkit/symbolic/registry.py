"""Building a derivation by name (and so checking it), importing only its own module.

Building a derivation runs all of its checks, so nothing more is built than the caller asks
for: ``probkit derive sigmoid`` builds one. What exists, and each one's title, is the
catalogue (:mod:`probkit.symbolic.catalogue`, no SymPy).

>>> build("no-such-thing")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
probkit.errors.InputError: unknown derivation 'no-such-thing'; choose one of: sigmoid, ...
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from probkit.symbolic.catalogue import describe

if TYPE_CHECKING:
    from probkit.symbolic.model import Derivation

#: derivation name -> the module whose ``build()`` makes it (imported on first use)
BUILDERS: dict[str, str] = {
    "sigmoid": "probkit.symbolic.sigmoid",
    "cross-entropy": "probkit.symbolic.cross_entropy",
    "vectorized": "probkit.symbolic.vectorized",
    "l2": "probkit.symbolic.l2",
    "two-layer": "probkit.symbolic.two_layer",
    "base-rate": "probkit.symbolic.base_rate",
}


def build(name: str) -> Derivation:
    """Build (and so check) the derivation called ``name``."""
    entry = describe(name)
    module = importlib.import_module(BUILDERS[entry.name])
    derivation: Derivation = module.build()
    return derivation


__all__ = ["BUILDERS", "build"]
