"""The one pipeline: a Candidate builds a Classifier; the representation is a stored step."""

from __future__ import annotations

import json

import numpy as np
import pytest

from probkit import options
from probkit.classifier.data.datasets import make_synthetic
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.features.registry import (
    REGISTRY,
    build_representation,
    representation_class,
    restore_representation,
)
from probkit.classifier.modelfile import load_model, save_model
from probkit.classifier.models import MODEL_TYPES
from probkit.classifier.selection.candidates import Candidate
from probkit.classifier.selection.crossval import fit_quietly
from probkit.errors import InputError, ModelFileError


def test_choice_tables_match_the_registries() -> None:
    assert tuple(MODEL_TYPES) == options.MODELS
    assert tuple(REGISTRY) == options.REPRESENTATIONS
    from probkit.classifier.models.activations import HIDDEN_ACTIVATIONS

    assert tuple(HIDDEN_ACTIVATIONS) == options.ACTIVATIONS
    with pytest.raises(InputError, match="solver") as caught:
        options.check_choice("sgd", options.SOLVERS, parameter="solver")
    assert caught.value.parameter == "solver"


def test_candidate_builds_the_classifier_it_describes() -> None:
    cand = Candidate(model="two-layer", hidden=3, l2=2.0, preprocessing="standardize",
                     flip=True, seeds=2, max_iter=7, activation="tanh")
    clf = cand.build(seed=5)
    assert isinstance(clf.preprocessor, Preprocessor)
    assert clf.preprocessor.method == "standardize"
    est = clf.estimator
    assert (est.model_type, est.hidden, est.activation, est.l2, est.max_iter, est.random_state) \
        == ("two-layer", 3, "tanh", 2.0, 7, 5)
    assert clf.flip and clf.seeds == 2
    with pytest.raises(InputError) as caught:
        Candidate(representation="wavelets")
    assert caught.value.parameter == "representation"


def test_representation_is_fitted_on_training_images_only() -> None:
    train = make_synthetic(30, size=4, seed=1)
    other = make_synthetic(30, size=4, seed=2)
    clf = fit_quietly(Candidate(preprocessing="standardize", max_iter=5), train)
    flat = train.images.reshape(train.n, -1).astype(float)
    assert clf.preprocessor.mean_ == pytest.approx(flat.mean(axis=0))
    clf.decision_function(other.images)  # scoring other images does not refit the step
    assert clf.preprocessor.mean_ == pytest.approx(flat.mean(axis=0))


def test_model_file_stores_the_representation_step(tmp_path) -> None:
    train = make_synthetic(30, size=4, seed=1)
    clf = fit_quietly(Candidate(preprocessing="standardize", max_iter=5), train)
    path = tmp_path / "m.npz"
    save_model(path, clf)
    with np.load(path, allow_pickle=False) as npz:
        assert str(npz["representation"]) == "pixels"
        assert json.loads(str(npz["representation_params"])) == {"method": "standardize"}
    back = load_model(path)
    assert back.decision_function(train.images) == pytest.approx(
        clf.decision_function(train.images))
    # negative control: a representation name the registry does not know is refused
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["representation"] = np.array("wavelets")
    bad = tmp_path / "bad.npz"
    with bad.open("wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(ModelFileError, match="wavelets"):
        load_model(bad)


def test_restore_checks_the_stored_arrays() -> None:
    rep = build_representation("pixels", method="scale").fit(np.zeros((2, 1, 1, 3), np.uint8))
    state = rep.state()
    again = restore_representation("pixels", params=rep.get_params(), input_shape=(1, 1, 3),
                                   state=state)
    assert again.transform(np.full((1, 1, 1, 3), 255, np.uint8)).tolist() == [[1.0, 1.0, 1.0]]
    with pytest.raises(InputError):
        restore_representation("pixels", params={"method": "scale"}, input_shape=(1, 1, 3),
                               state={"mean": state["mean"]})
    assert representation_class("pixels") is Preprocessor
