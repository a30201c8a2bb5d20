"""Derivations that check themselves.

Each derivation behind the classifier (the sigmoid's derivative, the
cross-entropy gradient, its vectorized form, L2 regularization, the two-layer
network, and the base-rate correction of a probability) is stored as data: an
ordered list of :class:`~probkit.symbolic.model.Step` records, each with the
rule applied, the expression before and after, a one-line explanation, and the
record of a machine check of that step.

A user's own expression (:func:`derive_expression`) or chain of computations
(:func:`derive_chain`; with matrices and their shapes, :func:`derive_matrix_chain`) is
differentiated by the same kind of checked steps.

:func:`check_text` and :func:`check_file` check the maths of a user's own
post line by line (``probkit check``; see :mod:`probkit.symbolic.lint`).

Importing this package is cheap: SymPy is imported only when a derivation is
built (:func:`build`, :func:`derive_expression`, :func:`derive_chain`) or rendered.

>>> names()[:3]
('sigmoid', 'cross-entropy', 'vectorized')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from probkit.symbolic.catalogue import describe, names
from probkit.symbolic.lint import check_file, check_text
from probkit.symbolic.registry import build

if TYPE_CHECKING:
    from probkit.symbolic.model import Derivation

__all__ = ["build", "check_file", "check_text", "derive_chain", "derive_expression",
           "derive_matrix_chain", "describe", "names"]


def derive_expression(
    expression: str, *, wrt: Sequence[str] = (), assume: Sequence[str] = (), seed: int = 0
) -> Derivation:
    """Differentiate a user's expression step by step (see :mod:`probkit.symbolic.expression`)."""
    from probkit.symbolic.expression import derive_expression as derive

    return derive(expression, wrt=wrt, assume=assume, seed=seed)


def derive_chain(
    definitions: Sequence[str], *, wrt: Sequence[str] = (), assume: Sequence[str] = (),
    seed: int = 0,
) -> Derivation:
    """Backpropagate through a user's chain of definitions (see :mod:`probkit.symbolic.chain`)."""
    from probkit.symbolic.chain import derive_chain as derive

    return derive(definitions, wrt=wrt, assume=assume, seed=seed)


def derive_matrix_chain(
    definitions: Sequence[str], *, wrt: Sequence[str] = (), shapes: Sequence[str] = (),
    seed: int = 0,
) -> Derivation:
    """Vectorized backpropagation through matrix definitions with their shapes (see
    :mod:`probkit.symbolic.matrix_chain`)."""
    from probkit.symbolic.matrix_chain import derive_matrix_chain as derive

    return derive(definitions, wrt=wrt, shapes=shapes, seed=seed)
