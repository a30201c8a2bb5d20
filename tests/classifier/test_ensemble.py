"""The ensemble of the default search: greedy selection on out-of-fold logits, the one
logistic regression it is assembled into, its model file, and its place in selection and
nested CV."""

from __future__ import annotations

import numpy as np
import pytest

from probkit.classifier.data.datasets import make_synthetic
from probkit.classifier.features import Concatenate, Standardize, parse_features
from probkit.classifier.modelfile import load_model, save_model
from probkit.classifier.selection.candidates import Candidate, make_grid
from probkit.classifier.selection.ensemble import (
    block_text,
    ensemble_logits,
    greedy_ensemble,
    refit_ensemble,
)
from probkit.classifier.selection.nested import nested_cross_validate
from probkit.classifier.selection.search import select_model
from probkit.errors import InputError

TRAIN = make_synthetic(60, size=16, seed=5, signal=0.15)  # classes overlap
NEW = make_synthetic(12, size=16, seed=9, signal=0.15)
COLOUR = "std(sqrt(hsv:4x2x2@centre) + stats)"
SHAPE = "std(hog)"


def _cand(text: str, l2: float, flip: bool = False) -> Candidate:
    return make_grid(l2=(l2,), preprocessing=("scale",), flip=(flip,),
                     representations=(text,))[0]


def test_greedy_selection_weights_complementary_candidates_and_drops_a_harmful_one():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    signal = np.where(y == 1, 1.0, -1.0)
    a, b, bad = _cand(COLOUR, 1.0), _cand(SHAPE, 1.0), _cand(COLOUR, 10.0)
    # two views with independent noise: their mean beats either; the third is inverted
    oof = {a: (signal + rng.normal(0, 1.5, y.size))[None],
           b: (signal + rng.normal(0, 1.5, y.size))[None],
           bad: (-2 * signal)[None]}
    members = dict(greedy_ensemble(oof, y, rounds=10))
    assert set(members) == {a, b} and sum(members.values()) == pytest.approx(1.0)
    assert 0.3 <= members[a] <= 0.7  # both views weigh
    mean = ensemble_logits(tuple(members.items()), oof)
    from probkit.classifier.models.losses import log_loss_from_logits

    each = [log_loss_from_logits(oof[c][0], y) for c in (a, b)]
    assert log_loss_from_logits(mean[0], y) < min(each)
    # negative control: with the harmful candidate alone, it is what is returned
    assert greedy_ensemble({bad: oof[bad]}, y, rounds=3) == ((bad, 1.0),)


def test_greedy_selection_refuses_bad_rounds_and_bad_logits():
    c = _cand(COLOUR, 1.0)
    with pytest.raises(InputError, match="rounds must be a positive integer") as err:
        greedy_ensemble({c: np.zeros((1, 4))}, [0, 1, 0, 1], rounds=0)
    assert err.value.parameter == "ensemble"
    with pytest.raises(InputError, match="at most 1000") as err:
        greedy_ensemble({c: np.zeros((1, 4))}, [0, 1, 0, 1], rounds=1001)
    assert err.value.parameter == "ensemble"
    assert len(greedy_ensemble({c: np.zeros((1, 4))}, [0, 1, 0, 1], rounds=1000)) == 1
    with pytest.raises(InputError, match="must be finite, shape"):
        greedy_ensemble({c: np.full((1, 4), np.nan)}, [0, 1, 0, 1])
    with pytest.raises(InputError, match="must be finite, shape"):
        greedy_ensemble({c: np.zeros((1, 3))}, [0, 1, 0, 1])
    # candidates scored on different repeats cannot be averaged (a broadcasting ValueError),
    # and labels are 0 or 1 (a 2 was scored as if it were a cat twice over)
    other = _cand(SHAPE, 1.0)
    with pytest.raises(InputError, match=r"shape \(1, 4\); got \(2, 4\)") as err:
        greedy_ensemble({c: np.zeros((1, 4)), other: np.zeros((2, 4))}, [0, 1, 0, 1])
    assert err.value.parameter == "ensemble"
    with pytest.raises(InputError, match="labels must be 0 or 1"):
        greedy_ensemble({c: np.zeros((1, 4))}, [0, 2, 0, 1])
    with pytest.raises(InputError, match="labels must be 0 or 1"):
        greedy_ensemble({c: np.zeros((1, 4))}, [0, 0.5, 0, 1])  # not read as 0


NINE_BLOCKS = ["std(hog)", "std(stats)", "std(lbp:1)", "std(lbp:2)", "std(hsv:4x2x2)",
               "std(rgb:2x2x2)", "std(hog:9,4,2)", "std(sqrt(hsv:4x2x2))", "std(lbp:1,2)"]


def test_greedy_selection_keeps_to_the_blocks_one_model_can_hold():
    # nine equally good views with independent noise: the mean of all nine is best, but the
    # assembled model holds at most eight std(...) blocks, so the refit of a nine-block
    # choice was refused after the whole search
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 2000)
    signal = np.where(y == 1, 1.0, -1.0)
    views = [_cand(text, 1.0) for text in NINE_BLOCKS]
    oof = {c: (signal + rng.normal(0, 3.0, y.size))[None] for c in views}
    members = greedy_ensemble(oof, y, rounds=18)
    blocks = {(block_text(c), c.flip) for c, _ in members}
    assert len(blocks) == 8 and sum(w for _, w in members) == pytest.approx(1.0)
    clf = refit_ensemble(members, TRAIN)
    assert len(parse_features(clf.preprocessor.features).parts) == 8
    # negative control: the nine blocks themselves cannot be assembled
    with pytest.raises(InputError, match="at most 8"):
        refit_ensemble(tuple((c, 1 / 9) for c in views), TRAIN)


def test_members_are_logistic_regressions_on_one_standardized_group():
    assert block_text(_cand(COLOUR, 1.0)) == COLOUR
    assert block_text(_cand("sqrt(hsv:4x2x2)", 1.0)) is None  # not standardized
    two_layer = make_grid(models=("two-layer",), l2=(1.0,), preprocessing=("scale",),
                          representations=(COLOUR,))[0]
    assert block_text(two_layer) is None and block_text(Candidate()) is None


def test_several_standardized_groups_parse_as_blocks_standardized_on_their_own():
    union = parse_features(f"{COLOUR} + {SHAPE}")
    assert isinstance(union, Concatenate)
    assert all(isinstance(p, Standardize) for p in union.parts) and len(union.parts) == 2
    with pytest.raises(InputError, match=r"std\(\.\.\.\) holds plain parts"):
        parse_features(f"{COLOUR} + hog")
    with pytest.raises(InputError, match=r"without its"):
        parse_features("std(hog + stats")


def test_the_assembled_model_is_the_weighted_mean_of_its_members_logits(tmp_path):
    members = ((_cand(COLOUR, 1.0), 0.5), (_cand(SHAPE, 3.0, flip=True), 0.3),
               (_cand(COLOUR, 10.0), 0.2))
    clf = refit_ensemble(members, TRAIN)
    fitted = [c.build().fit(TRAIN) for c, _ in members]
    expected = sum(w * f.decision_function(NEW.images) for (_, w), f in zip(members, fitted,
                                                                           strict=True))
    z = clf.decision_function(NEW.images)
    np.testing.assert_allclose(z, expected, rtol=1e-9, atol=1e-9)
    # the two COLOUR members share one block; the flipped HOG member has its own
    assert clf.preprocessor.features == f"{COLOUR} + {SHAPE}"
    # negative control: other weights give other logits
    swapped = sum(w * f.decision_function(NEW.images) for w, f in zip((0.2, 0.3, 0.5), fitted,
                                                                       strict=True))
    assert not np.allclose(z, swapped, atol=1e-3)
    # the model file keeps it exactly (spec and arrays), and refitting it is refused
    path = tmp_path / "ensemble.npz"
    clf.fit_typicality(TRAIN.images)
    save_model(path, clf)
    again = load_model(path)
    np.testing.assert_allclose(again.decision_function(NEW.images), z, rtol=1e-12)
    assert [m["weight"] for m in again.metadata["ensemble"]] == [0.5, 0.3, 0.2]
    with pytest.raises(InputError, match="assembled ensemble") as err:
        again.fit(TRAIN)
    assert err.value.parameter == "model"


def test_refit_refuses_members_that_cannot_be_assembled():
    with pytest.raises(InputError, match="cannot be an ensemble member"):
        refit_ensemble(((Candidate(l2=1.0), 0.5), (_cand(COLOUR, 1.0), 0.5)), TRAIN)
    with pytest.raises(InputError, match="positive and sum to 1"):
        refit_ensemble(((_cand(COLOUR, 1.0), 0.5), (_cand(SHAPE, 1.0), 0.4)), TRAIN)


GRID = [_cand(COLOUR, 1.0), _cand(COLOUR, 30.0), _cand(SHAPE, 3.0, flip=True)]


def test_selection_with_an_ensemble_calibrates_and_refits_the_average():
    single = select_model(TRAIN, GRID, k=3, seed=1)
    result = select_model(TRAIN, GRID, k=3, seed=1, ensemble=5)
    assert single.ensemble is None and result.ensemble is not None
    weights = dict(result.ensemble)
    assert set(weights) <= set(GRID) and sum(weights.values()) == pytest.approx(1.0)
    # the out-of-fold logits are the weighted mean of the members' (the chosen row is kept)
    assert result.chosen == single.chosen
    if len(weights) > 1:
        assert not np.allclose(result.out_of_fold_logits, single.out_of_fold_logits)
    assert result.to_dict()["ensemble"]["out_of_fold_log_loss"] == result.ensemble_log_loss
    assert result.classifier is not None
    assert result.classifier.temperature == pytest.approx(result.temperature)
    with pytest.raises(InputError, match="training base rate") as err:
        select_model(TRAIN, GRID, k=3, ensemble=5, base_rate=0.5)
    assert err.value.parameter == "ensemble"
    with pytest.raises(InputError, match="whole number of rounds"):
        select_model(TRAIN, GRID, k=3, ensemble=-1)
    with pytest.raises(InputError, match="from 0 to 1000") as err:
        select_model(TRAIN, GRID, k=3, ensemble=10**9)  # refused before any fit
    assert err.value.parameter == "ensemble"


def test_nested_cv_reruns_the_ensemble_selection_in_every_outer_fold():
    weak = make_synthetic(60, size=16, seed=5, signal=0.05)
    grid = [_cand(COLOUR, 1.0), _cand(SHAPE, 3.0, flip=True), _cand("std(lbp:1,2)", 1.0)]
    nested = nested_cross_validate(weak, grid, k=3, inner_k=3, seed=0, ensemble=5)
    assert len(nested.chosen) == 3
    mixed = [i for i, c in enumerate(nested.chosen) if c.count(" × ") > 1]
    assert mixed  # some outer fold chose an average of several candidates
    plain = nested_cross_validate(weak, grid, k=3, inner_k=3, seed=0)
    assert set(plain.chosen) <= {g.label for g in grid}
    # where an outer fold averaged, its held-out score is the average's, not the winner's
    assert all(nested.fold_log_loss[i] != plain.fold_log_loss[i] for i in mixed)


def test_a_one_member_ensemble_is_the_plain_winner():
    nested = nested_cross_validate(TRAIN, GRID[:1], k=3, inner_k=3, seed=0, ensemble=5)
    plain = nested_cross_validate(TRAIN, GRID[:1], k=3, inner_k=3, seed=0)
    np.testing.assert_allclose(nested.fold_log_loss, plain.fold_log_loss, rtol=1e-12)
    assert nested.chosen == (f"1 × {GRID[0].label}",) * 3


def test_tune_averages_only_when_asked_or_on_the_default_grid(tmp_path):
    from probkit import workflows

    texts = [COLOUR, SHAPE]
    plain = workflows.tune(TRAIN, features=texts, l2=[1.0], preprocessing=["scale"],
                           max_iter=[500], flip="no", folds=3)
    assert plain.result.ensemble is None and plain.to_dict()["ensemble"] is None
    averaged = workflows.tune(TRAIN, features=texts, l2=[1.0], preprocessing=["scale"],
                              max_iter=[500], flip="no", folds=3, ensemble=4,
                              out=tmp_path / "m.npz")
    assert averaged.result.ensemble is not None
    assert sum(w for _, w in averaged.result.ensemble) == pytest.approx(1.0)
    saved = load_model(tmp_path / "m.npz")
    np.testing.assert_allclose(saved.decision_function(NEW.images),
                               averaged.classifier.decision_function(NEW.images), rtol=1e-12)


def test_an_ensemble_of_a_grid_without_members_is_refused_before_any_fit():
    # it was the single winner, silently
    with pytest.raises(InputError, match="no candidate of the grid can be an ensemble member"
                       ) as err:
        select_model(TRAIN, [Candidate(l2=1.0), _cand("sqrt(hsv:4x2x2)", 1.0)], k=3, ensemble=3)
    assert err.value.parameter == "ensemble"
