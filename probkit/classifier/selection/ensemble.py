r"""An ensemble of cross-validated linear candidates, chosen on their out-of-fold logits.

Choosing the single candidate with the smallest cross-validated log loss is noisy on
209 images: on some outer folds of a nested CV the inner search picks a weaker
representation and pays for it. Averaging the logits of a few good candidates is less
noisy. The members and their weights are chosen by **greedy forward selection with
replacement** (Caruana, Niculescu-Mizil, Crew & Ksikes, *Ensemble selection from libraries
of models*, ICML 2004) on the out-of-fold logits the search already has: start from
nothing; in each of ``rounds`` rounds add (again, if it helps most) the candidate whose
addition gives the smallest log loss of the *mean* out-of-fold logit; a candidate's weight
is the share of rounds that picked it. Nothing is refitted to choose, and the held-out
fold of every out-of-fold logit was seen by no fit that produced it; the choice itself is
still made on those logits, so its out-of-fold log loss flatters it — the nested CV
(:mod:`~probkit.classifier.selection.nested`) reruns the whole selection, ensemble
included, inside each outer fold.

Members are logistic regressions on standardized features (``std(...)`` texts). A weighted
mean of linear logits is linear: :func:`refit_ensemble` fits each member on the whole
training set (with its own λ and flips) and assembles **one** logistic regression on the
members' representations side by side, ``std(a) + std(b)``
(:func:`~probkit.classifier.features.parse_features`), with weights
:math:`W = [\,\sum_{m \in a} w_m W_m,\ \sum_{m \in b} w_m W_m\,]` and bias
:math:`\sum_m w_m b_m`. It is stored, loaded, evaluated and explained like any logistic
model (spec plus arrays, no pickles); the model file's metadata lists the members.

>>> import numpy as np
>>> y = np.array([0, 0, 1, 1])
>>> good, bad = Candidate(l2=1.0), Candidate(l2=2.0)
>>> oof = {good: np.array([[-2.0, -1.0, 1.0, 2.0]]), bad: np.array([[1.0, 2.0, -1.0, -2.0]])}
>>> [(c.l2, w) for c, w in greedy_ensemble(oof, y, rounds=4)]
[(1.0, 1.0)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from probkit.classifier.selection.candidates import Candidate
from probkit.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from probkit.classifier.data.datasets import Dataset
    from probkit.classifier.pipeline import Classifier

#: rounds of greedy selection the default search uses (weights in steps of 1/10)
DEFAULT_ROUNDS = 10
#: most rounds (weights in steps of 1/1000): each round scores every candidate of the pool
MAX_ROUNDS = 1000

Members = tuple[tuple[Candidate, float], ...]


def block_text(candidate: Candidate) -> str | None:
    """The candidate's features text when it can be an ensemble member, else None.

    A member is a logistic regression on one ``std(...)`` group of features (so its block
    of the assembled model is standardized on its own).

    >>> block_text(Candidate(representation="features",
    ...                      representation_params=(("features", "std(hog)"),)))
    'std(hog)'
    >>> block_text(Candidate()) is None  # pixels
    True
    """
    if candidate.model != "logistic" or candidate.representation != "features":
        return None
    if candidate.preprocessing != "scale" or candidate.seeds != 1:
        return None
    text = str(dict(candidate.representation_params).get("features", "")).strip()
    from probkit.classifier.features import parse_features
    from probkit.classifier.features.combine import Standardize

    return text if isinstance(parse_features(text), Standardize) else None


def _block(candidate: Candidate) -> tuple[str, bool] | None:
    """The block of the assembled model a member is part of (its text and flips; see
    :func:`refit_ensemble`), or None for a candidate that cannot be a member."""
    text = block_text(candidate)
    return None if text is None else (text, candidate.flip)


def _fits(block: tuple[str, bool] | None, chosen: Mapping[tuple[str, bool], None]) -> bool:
    """Whether one assembled model can hold ``block`` beside the ``chosen`` ones: at most
    :data:`~probkit.classifier.features.combine.MAX_PARTS` blocks, their texts side by side
    at most :data:`~probkit.classifier.features.MAX_TEXT` characters."""
    from probkit.classifier.features import MAX_TEXT
    from probkit.classifier.features.combine import MAX_PARTS

    if block is None or block in chosen:
        return True
    texts = [text for text, _ in chosen] + [block[0]]
    return len(texts) <= MAX_PARTS and len(" + ".join(texts)) <= MAX_TEXT


def greedy_ensemble(oof: Mapping[Candidate, Any], labels: Any, *,
                    rounds: int = DEFAULT_ROUNDS) -> Members:
    """Members and weights by greedy forward selection with replacement (module docstring).

    ``oof`` maps each candidate, in order of preference (ties go to the earlier one), to
    its out-of-fold logits, shape ``(repeats, n)``; ``labels`` are the ``n`` training
    labels. Returns ``(candidate, weight)`` pairs, larger weights first (ties: pool
    order), weights summing to 1. A candidate that would take the members past what one
    assembled model holds (:func:`_fits`: eight blocks, 600 characters of features text) is
    not added.
    """
    import numpy as np

    from probkit.classifier.models.losses import log_loss_from_logits

    if not isinstance(rounds, int) or isinstance(rounds, bool) or not 1 <= rounds <= MAX_ROUNDS:
        raise InputError(f"rounds must be a positive integer of at most {MAX_ROUNDS}, got "
                         f"{rounds!r}", parameter="ensemble")
    if not oof:
        raise InputError("an ensemble needs at least one candidate", parameter="ensemble")
    given = np.asarray(labels).ravel()
    if given.dtype.kind not in "biuf" or not np.isin(given, (0, 1)).all():
        raise InputError("labels must be 0 or 1", parameter="labels")
    y = given.astype(np.int64)
    pool = list(oof)
    logits = [np.asarray(oof[c], dtype=np.float64) for c in pool]
    for c, z in zip(pool, logits, strict=True):
        if z.ndim != 2 or z.shape[1] != y.size or not np.all(np.isfinite(z)):
            raise InputError(f"out-of-fold logits of {c.label} must be finite, shape "
                             f"(repeats, {y.size}); got {z.shape}", parameter="ensemble")
        if z.shape != logits[0].shape:
            raise InputError(f"out-of-fold logits of {c.label} must have the first "
                             f"candidate's shape {logits[0].shape}; got {z.shape}",
                             parameter="ensemble")
    y_all = np.tile(y, logits[0].shape[0])
    flat = [z.ravel() for z in logits]
    counts = [0] * len(pool)
    total = np.zeros_like(flat[0])
    blocks = [_block(c) for c in pool]
    chosen: dict[tuple[str, bool], None] = {}  # the blocks of the members so far
    for r in range(rounds):
        losses = [log_loss_from_logits((total + z) / (r + 1), y_all)
                  if _fits(block, chosen) else math.inf
                  for z, block in zip(flat, blocks, strict=True)]
        best = int(np.argmin(losses))  # the first of equal losses
        counts[best] += 1
        total += flat[best]
        block = blocks[best]
        if block is not None:
            chosen[block] = None
    order = sorted((i for i in range(len(pool)) if counts[i]), key=lambda i: -counts[i])
    return tuple((pool[i], counts[i] / rounds) for i in order)


def ensemble_logits(members: Members, oof: Mapping[Candidate, Any]) -> NDArray[np.float64]:
    """The weighted mean of the members' out-of-fold logits (shape ``(repeats, n)``)."""
    import numpy as np

    return np.sum([w * np.asarray(oof[c], dtype=np.float64) for c, w in members], axis=0)


def ensemble_label(members: Members) -> str:
    """E.g. ``0.6 × logistic [std(hog)] flip λ=10 lbfgs×500 + 0.4 × ...``."""
    return " + ".join(f"{w:g} × {c.label}" for c, w in members)


def refit_ensemble(members: Members, train: Dataset, *, seed: int = 0) -> Classifier:
    """Fit every member on all of ``train`` and assemble the one logistic regression whose
    logit is their weighted mean (module docstring). A single member is returned as it is
    fitted. Optimizer warnings are left to the caller."""
    import numpy as np

    from probkit.classifier.features.registry import restore_representation
    from probkit.classifier.models.logistic import LogisticRegression
    from probkit.classifier.pipeline import Classifier

    if not members:
        raise InputError("an ensemble needs at least one member", parameter="ensemble")
    if not math.isclose(sum(w for _, w in members), 1.0, abs_tol=1e-9) or any(
            w <= 0 for _, w in members):
        raise InputError("ensemble weights must be positive and sum to 1", parameter="ensemble")
    texts = [block_text(c) for c, _ in members]
    for (c, _), text in zip(members, texts, strict=True):
        if text is None:
            raise InputError(f"{c.label} cannot be an ensemble member: members are logistic "
                             "regressions on one std(...) group of features",
                             parameter="ensemble")
    fitted = [c.build(seed=seed).fit(train) for c, _ in members]
    if len(members) == 1:
        return fitted[0]
    # one block per (features text, flips): the standardization is fitted on the images the
    # member saw, so the same text with and without flips is two blocks
    blocks: dict[tuple[str, bool], list[int]] = {}
    for i, ((c, _), text) in enumerate(zip(members, texts, strict=True)):
        blocks.setdefault((str(text), c.flip), []).append(i)
    union = " + ".join(text for text, _ in blocks)
    state: dict[str, Any] = {}
    weights, bias = [], np.zeros(1)
    for k, indices in enumerate(blocks.values()):
        rep = fitted[indices[0]].preprocessor
        state.update({f"{k}/{key}": value for key, value in rep.state().items()})
        weights.append(sum(members[i][1] * fitted[i].estimator.params_["W"] for i in indices))
        bias = bias + sum(members[i][1] * fitted[i].estimator.params_["b"] for i in indices)
    shape = tuple(fitted[0].preprocessor.input_shape_)
    preprocessor = restore_representation("features",
                                          params={"features": union, "method": "scale"},
                                          input_shape=shape, state=state)
    lams = [c.l2 for c, _ in members]
    estimator = LogisticRegression(l2=float(sum(w * lam for (_, w), lam in
                                                zip(members, lams, strict=True))))
    estimator.restore({"W": np.concatenate(weights, axis=1), "b": np.asarray(bias)},
                      cost_history=np.array([math.nan]))
    clf = Classifier(preprocessor=preprocessor, estimator=estimator, flip=False)
    clf.class_names = tuple(train.class_names)
    clf.training_base_rate = train.positive_rate
    clf.metadata.update({
        "train_source": train.source, "n_train": train.n,
        "ensemble": [{"weight": w, **c.to_dict()} for c, w in members],
        "n_iter": 0, "converged": all(bool(f.metadata.get("converged")) for f in fitted),
        "diverged": any(bool(f.metadata.get("diverged")) for f in fitted)})
    return clf


__all__ = ["DEFAULT_ROUNDS", "MAX_ROUNDS", "Members", "block_text", "ensemble_label",
           "ensemble_logits",
           "greedy_ensemble", "refit_ensemble"]
