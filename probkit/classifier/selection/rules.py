"""Selection rules: which cross-validated candidate to choose.

``min-log-loss`` takes the smallest mean validation log loss (ties: the
simpler); ``one-se`` takes the simplest candidate (:meth:`Candidate.complexity`)
whose mean is within one standard error (SD/√k) of that minimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from probkit.errors import ComputationError, InputError
from probkit.options import RULES, check_choice

if TYPE_CHECKING:
    from probkit.classifier.selection.crossval import CVRow


def choose(rows: Sequence[CVRow], rule: str = "min-log-loss") -> CVRow:
    """Apply a selection rule to cross-validation rows.

    ``min-log-loss``: the smallest mean validation log loss (ties: simpler).
    ``one-se``: among rows whose mean is within one standard error of the
    best row's mean, the simplest (:meth:`Candidate.complexity`).
    Rows of diverged candidates (``row.diverged``) are never chosen.
    """
    check_choice(rule, RULES, parameter="rule")
    if not rows:
        raise InputError("no cross-validation results to choose from", parameter="grid")
    rows = [r for r in rows if r.diverged is None]
    if not rows:
        raise ComputationError("every candidate diverged during cross-validation; "
                               "lower the learning rate or strengthen λ")
    best = min(rows, key=lambda r: (r.log_loss_mean, r.candidate.complexity()))
    if rule == "min-log-loss":
        return best
    limit = best.log_loss_mean + best.log_loss_se
    eligible = [r for r in rows if r.log_loss_mean <= limit]
    return min(eligible, key=lambda r: (r.candidate.complexity(), r.log_loss_mean))


__all__ = ["RULES", "choose"]
