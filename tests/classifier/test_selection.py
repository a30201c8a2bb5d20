"""Cross-validated model selection on the training set only."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from probkit.classifier.data.augmentation import flip_horizontally
from probkit.classifier.data.datasets import Dataset, make_synthetic
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.models import LogisticRegression
from probkit.classifier.models.registry import average_of_logits
from probkit.classifier.pipeline import Classifier
from probkit.classifier.selection.candidates import Candidate, make_grid
from probkit.classifier.selection.crossval import (
    CVRow,
    cross_validate,
    learning_curve,
    stratified_folds,
    target_scoring,
)
from probkit.classifier.selection.rules import choose
from probkit.classifier.selection.search import select_model
from probkit.errors import DataError, InputError

#: four pixel candidates for tiny synthetic images (the quick grid reads the default
#: features, which need images of at least 16x16 pixels)
PIXELS_QUICK = make_grid(l2=(10.0, 1000.0), preprocessing=("scale", "standardize"),
                         max_iter=(100,))


@pytest.fixture(scope="module")
def noisy_train() -> Dataset:
    # 6x6 synthetic images: learnable but not perfectly separable
    return make_synthetic(90, size=6, seed=11)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=12, max_size=80), st.integers(2, 5),
       st.integers(0, 10))
def test_stratified_folds_balance_each_class(labels, k, seed):
    y = np.array(labels)
    present = [c for c in (0, 1) if np.any(y == c)]
    if min(np.sum(y == c) for c in present) < k:
        with pytest.raises(DataError):
            stratified_folds(y, k, seed=seed)
        return
    folds = stratified_folds(y, k, seed=seed)
    assert folds.shape == y.shape and set(folds.tolist()) == set(range(k))
    for cls in present:
        per_fold = np.bincount(folds[y == cls], minlength=k)
        assert per_fold.max() - per_fold.min() <= 1
    assert np.array_equal(folds, stratified_folds(y, k, seed=seed))


def test_stratified_folds_rejects_bad_k():
    with pytest.raises(InputError):
        stratified_folds(np.array([0, 1] * 5), 1)


def test_flip_twice_is_identity_and_mirrors_columns():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, size=(3, 4, 5, 3), dtype=np.uint8)
    doubled, labels = flip_horizontally(images, np.array([0, 1, 1]))
    assert doubled.shape == (6, 4, 5, 3) and labels.tolist() == [0, 1, 1, 0, 1, 1]
    assert np.array_equal(doubled[3][:, ::-1], images[0])
    again, _ = flip_horizontally(doubled[3:], labels[3:])
    assert np.array_equal(again[3:], images)


def _row(label_l2: float, losses, model="logistic", max_iter=100):
    return CVRow(candidate=Candidate(model=model, l2=label_l2, max_iter=max_iter),
                 fold_log_loss=tuple(losses), fold_accuracy=tuple(0.5 for _ in losses))


def test_rules_on_hand_made_rows():
    rows = [
        _row(1.0, [0.50, 0.52, 0.48, 0.50]),   # best mean 0.500, SD 0.0163, SE 0.0082
        _row(10.0, [0.50, 0.51, 0.50, 0.51]),  # mean 0.505: within one SE, simpler (larger λ)
        _row(100.0, [0.55, 0.56, 0.54, 0.55]),  # mean 0.550: outside
    ]
    assert choose(rows, "min-log-loss").candidate.l2 == 1.0
    assert choose(rows, "one-se").candidate.l2 == 10.0
    sd = np.std([0.50, 0.52, 0.48, 0.50], ddof=1)
    assert rows[0].log_loss_sd == pytest.approx(sd)
    assert rows[0].log_loss_se == pytest.approx(sd / 2)
    # negative control: without the within-one-SE row, one-se keeps the best
    assert choose([rows[0], rows[2]], "one-se").candidate.l2 == 1.0
    with pytest.raises(InputError):
        choose(rows, "max-accuracy")


def test_candidate_validation():
    with pytest.raises(InputError, match="model"):
        Candidate(model="forest")
    with pytest.raises(InputError, match="l2"):
        Candidate(l2=-1.0)
    with pytest.raises(InputError, match="max_iter"):
        Candidate(max_iter=0)
    assert len(make_grid(models=("logistic", "two-layer"), l2=(1.0,), preprocessing=("scale",),
                         seeds=(1, 3))) == 3  # logistic ignores seeds


def test_cv_scores_match_a_manual_recomputation(noisy_train):
    cand = Candidate(l2=1.0, preprocessing="standardize", max_iter=60)
    rows, oof, _ = cross_validate(noisy_train, [cand], k=3, seed=2)
    folds = stratified_folds(noisy_train.labels, 3, seed=2)
    for f in range(3):
        held = folds == f
        prep = Preprocessor(method="standardize").fit(noisy_train.images[~held])
        model = LogisticRegression(l2=1.0, solver="lbfgs", max_iter=60).fit(
            prep.transform(noisy_train.images[~held]), noisy_train.labels[~held])
        z = model.decision_function(prep.transform(noisy_train.images[held]))
        y = noisy_train.labels[held]
        p = expit(z)
        manual = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        assert rows[0].fold_log_loss[f] == pytest.approx(manual, rel=1e-9)
        assert rows[0].fold_accuracy[f] == pytest.approx(np.mean((p > 0.5) == y))
        assert oof[cand][0, held] == pytest.approx(z)


@pytest.mark.filterwarnings("ignore::probkit.classifier.models.ConvergenceWarning")
def test_flip_doubles_lambda_with_the_sample():
    data = make_synthetic(30, size=4, seed=3)
    clf = Candidate(l2=5.0, flip=True, max_iter=10).build().fit(data)
    assert clf.members_[0].l2 == 10.0 and clf.estimator.l2 == 10.0
    assert clf.estimator.n_features_in_ == 4 * 4 * 3
    assert clf.members_[0].cost_history_.size >= 2
    clf.fit(data)  # refitting starts from the given λ again: not doubled twice
    assert clf.estimator.l2 == 10.0
    plain = Candidate(l2=5.0, max_iter=10).build().fit(data)
    assert plain.estimator.l2 == 5.0  # control: no flip, no doubling


def test_select_model_beats_the_constant_and_refits(noisy_train):
    result = select_model(noisy_train, PIXELS_QUICK, k=3, seed=0)
    assert result.chosen.log_loss_mean == min(r.log_loss_mean for r in result.rows)
    assert result.chosen.log_loss_mean < result.baseline_log_loss
    rate = noisy_train.labels.mean()
    constant = -(rate * math.log(rate) + (1 - rate) * math.log(1 - rate))
    assert result.baseline_log_loss == pytest.approx(constant, abs=0.02)
    clf = result.classifier
    assert isinstance(clf, Classifier)
    assert clf.training_base_rate == pytest.approx(rate)
    assert clf.temperature == pytest.approx(result.temperature)
    assert 0.25 <= result.temperature <= 20
    assert clf.score(noisy_train) > 0.8
    summary = result.to_dict()
    assert summary["chosen"]["label"] == result.chosen.candidate.label
    assert len(summary["grid"]) == 4


def test_one_se_rule_picks_a_row_within_one_se(noisy_train):
    result = select_model(noisy_train, PIXELS_QUICK, k=3, rule="one-se", refit=False)
    best = min(result.rows, key=lambda r: r.log_loss_mean)
    assert result.chosen.log_loss_mean <= best.log_loss_mean + best.log_loss_se + 1e-15
    assert result.classifier is None


def test_selection_takes_only_a_dataset():
    with pytest.raises(InputError, match="training Dataset only"):
        select_model("test_catvnoncat.h5", PIXELS_QUICK)  # type: ignore[arg-type]
    one_class = make_synthetic(20, size=4, cat_fraction=0.0, seed=0)
    with pytest.raises(DataError, match="one class"):
        select_model(one_class, PIXELS_QUICK)


@pytest.mark.filterwarnings("ignore::probkit.classifier.models.ConvergenceWarning")
def test_merged_seed_net_logit_is_the_mean_of_the_seeds():
    data = make_synthetic(40, size=4, seed=5)
    cand = Candidate(model="two-layer", hidden=3, l2=0.1, max_iter=30, seeds=3)
    clf = cand.build(seed=7).fit(data)
    X = clf.preprocessor.transform(data.images)
    separate = np.mean([e.decision_function(X) for e in clf.members_], axis=0)
    merged = average_of_logits(clf.members_)
    assert merged.hidden == 9 and clf.estimator.hidden == 9
    assert merged.decision_function(X) == pytest.approx(separate, rel=1e-10, abs=1e-12)
    assert clf.decision_function(data.images) == pytest.approx(separate, rel=1e-10, abs=1e-12)
    assert [e.random_state for e in clf.members_] == [7, 8, 9]
    # negative control: the seeds really differ
    assert not np.allclose(clf.members_[0].decision_function(X), separate)


def test_learning_curve_records_both_costs(noisy_train):
    curve = learning_curve(Candidate(l2=1.0, max_iter=25), noisy_train, k=3)
    assert len(curve["train_cost"]) == len(curve["validation_log_loss"]) >= 2
    assert curve["train_cost"][-1] < curve["train_cost"][0]


def test_repeated_cv_extends_the_single_run(noisy_train):
    cand = Candidate(l2=1.0, max_iter=30)
    once, _, base_once = cross_validate(noisy_train, [cand], k=3, seed=4)
    twice, oof, _ = cross_validate(noisy_train, [cand], k=3, seed=4, repeats=2)
    assert len(twice[0].fold_log_loss) == 6
    assert twice[0].fold_log_loss[:3] == pytest.approx(once[0].fold_log_loss)
    assert oof[cand].shape == (2, noisy_train.n)
    # the second repeat uses a different split (seed 5), so its scores differ
    assert twice[0].fold_log_loss[3:] != pytest.approx(once[0].fold_log_loss)
    with pytest.raises(InputError):
        cross_validate(noisy_train, [cand], k=3, repeats=0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=4, max_size=40), st.floats(0.05, 0.95),
       st.floats(0.05, 0.95))
def test_target_scoring_reweights_to_the_target_base_rate(labels, train_rate, target):
    y = np.array(labels)
    if y.min() == y.max():
        with pytest.raises(DataError):
            target_scoring(y, np.zeros(y.size), train_rate, target)
        return
    z = np.linspace(-2, 2, y.size)
    shifted, w = target_scoring(y, z, train_rate, target)
    # the weighted held-out set has the target share of cats
    assert np.sum(w * y) / np.sum(w) == pytest.approx(target)
    # logits move by the odds-form correction
    odds_ratio = (target / (1 - target)) / (train_rate / (1 - train_rate))
    assert shifted - z == pytest.approx(np.full(y.size, np.log(odds_ratio)))
    same, none = target_scoring(y, z, train_rate, None)
    assert none is None and same is z


def test_baseline_under_a_target_is_the_entropy_of_the_target(noisy_train):
    _, _, (loss, _) = cross_validate(noisy_train, [Candidate(l2=1.0, max_iter=5)], k=3,
                                     base_rate=0.5)
    assert loss == pytest.approx(math.log(2), rel=1e-12)
    _, _, (loss, acc) = cross_validate(noisy_train, [Candidate(l2=1.0, max_iter=5)], k=3,
                                       base_rate=0.8)
    assert loss == pytest.approx(-(0.8 * math.log(0.8) + 0.2 * math.log(0.2)), rel=1e-12)
    assert acc == pytest.approx(0.8)  # always "cat", right on the weighted 80% cats


def test_select_for_a_target_base_rate(noisy_train):
    result = select_model(noisy_train, PIXELS_QUICK, k=3, base_rate=0.5)
    assert result.target_base_rate == 0.5
    assert result.to_dict()["target_base_rate"] == 0.5
    assert result.chosen.log_loss_mean < math.log(2)
    with pytest.raises(InputError):
        select_model(noisy_train, PIXELS_QUICK, base_rate=1.0)
