"""Derivations that check themselves.

Each derivation behind the classifier (the sigmoid's derivative, the
cross-entropy gradient, its vectorized form, L2 regularization, the two-layer
network, and the base-rate correction of a probability) is stored as data: an
ordered list of :class:`~probkit.symbolic.model.Step` records, each with the
rule applied, the expression before and after, a one-line explanation, and the
record of a machine check of that step.

:func:`check_text` and :func:`check_file` check the maths of a user's own
post line by line (``probkit check``; see :mod:`probkit.symbolic.lint`).

Importing this package is cheap: SymPy is imported only when a derivation is
built (:func:`build`) or rendered.

>>> names()[:3]
('sigmoid', 'cross-entropy', 'vectorized')
"""

from __future__ import annotations

from probkit.symbolic.lint import check_file, check_text
from probkit.symbolic.registry import build, build_all, describe, names

__all__ = ["build", "build_all", "check_file", "check_text", "describe", "names"]
