"""Classifier objects and model files: round trips and every rejection."""

from __future__ import annotations

import json
import pickle
import zipfile

import numpy as np
import pytest
from scipy.special import expit

from probkit.classifier.data.datasets import make_synthetic
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.modelfile import FORMAT_VERSION, load_model, save_model
from probkit.classifier.models import LogisticRegression, TwoLayerNet
from probkit.classifier.pipeline import Classifier, build_estimator
from probkit.errors import DataError, InputError, ModelFileError


@pytest.fixture(scope="module")
def train():
    return make_synthetic(60, size=6, seed=0)


@pytest.fixture(scope="module")
def fitted(train):
    clf = Classifier(
        preprocessor=Preprocessor(method="standardize"),
        estimator=TwoLayerNet(hidden=3, learning_rate=0.05, max_iter=60, init_scale=0.1,
                              l2=0.3, random_state=4),
    )
    return clf.fit(train)


def _arrays(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _rewrite(path, arrays) -> None:
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


def test_classifier_probabilities_and_temperature(train, fitted) -> None:
    X = fitted.preprocessor.transform(train.images)
    z = fitted.estimator.decision_function(X)
    np.testing.assert_allclose(fitted.predict_proba(train.images)[:, 1], expit(z))
    hot = Classifier(preprocessor=fitted.preprocessor, estimator=fitted.estimator,
                     temperature=2.0)
    np.testing.assert_allclose(hot.predict_proba(train.images)[:, 1], expit(z / 2))
    np.testing.assert_array_equal(hot.predict(train.images), fitted.predict(train.images))
    assert fitted.training_base_rate == pytest.approx(21 / 60)
    assert fitted.metadata["n_train"] == 60 and fitted.metadata["training_path"] == "dual"
    with pytest.raises(InputError, match="temperature"):
        Classifier(temperature=0.0)
    with pytest.raises(DataError, match="trained on 6x6x3"):
        fitted.predict(make_synthetic(3, size=5).images)


def test_evaluate_report_uses_the_temperature(train, fitted) -> None:
    r1 = fitted.evaluate(train)
    hot = Classifier(preprocessor=fitted.preprocessor, estimator=fitted.estimator,
                     temperature=3.0)
    r3 = hot.evaluate(train)
    assert r1["accuracy"] == r3["accuracy"]  # same labels
    assert r1["log_loss"] != r3["log_loss"]  # different probabilities


def test_build_estimator() -> None:
    assert isinstance(build_estimator("logistic", l2=0.7), LogisticRegression)
    with pytest.raises(InputError, match="unknown model"):
        build_estimator("forest")
    with pytest.raises(InputError, match="hidden"):
        build_estimator("logistic", hidden=3)


@pytest.mark.parametrize("make", [
    lambda: Classifier(estimator=LogisticRegression(solver="gd", learning_rate=0.05, max_iter=50)),
    lambda: Classifier(preprocessor=Preprocessor(method="standardize"),
                       estimator=TwoLayerNet(hidden=2, activation="tanh", max_iter=20,
                                             init_scale=0.2, random_state=9), temperature=1.7),
])
def test_round_trip(tmp_path, train, make) -> None:
    clf = make().fit(train)
    clf.metadata["note"] = "hello"
    path = tmp_path / "model.npz"
    save_model(path, clf)
    again = load_model(path)
    np.testing.assert_array_equal(
        again.predict_proba(train.images), clf.predict_proba(train.images)
    )
    assert again.estimator.get_params() == clf.estimator.get_params()
    assert type(again.estimator) is type(clf.estimator)
    assert again.temperature == clf.temperature
    assert again.training_base_rate == clf.training_base_rate
    assert again.class_names == ("non-cat", "cat")
    assert again.preprocessor.method == clf.preprocessor.method
    assert again.input_shape == (6, 6, 3)
    np.testing.assert_array_equal(again.estimator.cost_history_, clf.estimator.cost_history_)
    assert again.metadata["note"] == "hello" and again.metadata["probkit_version"]
    # written without pickles: every array is plain
    assert all(a.dtype.kind in "iufU" for a in _arrays(path).values())
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_save_unfitted_and_atomic_failure(tmp_path, fitted) -> None:
    with pytest.raises(ModelFileError, match="not been fitted"):
        save_model(tmp_path / "m.npz", Classifier())
    with pytest.raises(ModelFileError, match="does not exist"):
        save_model(tmp_path / "missing" / "m.npz", fitted)
    target = tmp_path / "keep.npz"
    target.write_bytes(b"old model")
    broken = Classifier(preprocessor=fitted.preprocessor, estimator=fitted.estimator,
                        metadata={"bad": object()})
    with pytest.raises(TypeError):
        save_model(target, broken)
    assert target.read_bytes() == b"old model"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.npz"]


@pytest.fixture()
def saved(tmp_path, fitted):
    path = tmp_path / "m.npz"
    save_model(path, fitted)
    return path


def test_rejects_missing_file_and_non_npz(tmp_path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        load_model(tmp_path / "none.npz")
    junk = tmp_path / "junk.npz"
    junk.write_text("not a zip")
    with pytest.raises(ModelFileError, match="junk.npz"):
        load_model(junk)
    npy = tmp_path / "one.npy"
    np.save(npy, np.zeros(3))
    with pytest.raises(ModelFileError, match="single .npy"):
        load_model(npy)


def test_rejects_a_pickle(tmp_path) -> None:
    path = tmp_path / "evil.npz"
    path.write_bytes(pickle.dumps({"format": "probkit-classifier"}))
    with pytest.raises(ModelFileError, match="Python pickle; refusing"):
        load_model(path)


def test_rejects_an_object_array(saved) -> None:
    arrays = _arrays(saved)
    arrays["metadata"] = np.array([{"a": 1}], dtype=object)
    with open(saved, "wb") as fh:
        np.savez(fh, **arrays)  # np.savez pickles object arrays
    with pytest.raises(ModelFileError, match="pickled"):
        load_model(saved)


def test_rejects_truncated(saved) -> None:
    raw = saved.read_bytes()
    saved.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ModelFileError, match="cannot be read|not a probkit"):
        load_model(saved)


def test_rejects_unknown_version(saved) -> None:
    arrays = _arrays(saved)
    arrays["format_version"] = np.array(FORMAT_VERSION + 1)
    _rewrite(saved, arrays)
    with pytest.raises(ModelFileError, match="unknown format version 2"):
        load_model(saved)


@pytest.mark.parametrize("key", ["temperature", "preprocessing_mean", "model_type", "metadata"])
def test_rejects_missing_arrays(saved, key) -> None:
    arrays = _arrays(saved)
    del arrays[key]
    _rewrite(saved, arrays)
    with pytest.raises(ModelFileError, match=f"lacks arrays: {key}"):
        load_model(saved)


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda a: a.pop("param_W2"), "W2"),
        (lambda a: a.update(param_W1=a["param_W1"][:, :-1]), "features|shape"),
        (lambda a: a.update(param_b1=np.array([np.nan, 0.0, 0.0])), "nan"),
        (lambda a: a.update(format=np.array("something-else")), "not a probkit classifier"),
        (lambda a: a.update(model_type=np.array("forest")), "unknown model"),
        (lambda a: a.update(hyperparameters=np.array('{"hidden": -1}')), "hidden"),
        (lambda a: a.update(hyperparameters=np.array("{not json")), "JSON"),
        (lambda a: a.update(temperature=np.array(-1.0)), "temperature"),
        (lambda a: a.update(training_base_rate=np.array(1.5)), "training_base_rate"),
        (lambda a: a.update(preprocessing_scale=np.zeros(108)), "positive scales"),
        (lambda a: a.update(class_names=np.array(["only-one"])), "class_names"),
        (lambda a: a.update(input_shape=np.array([5, 5, 3])), "expected"),
    ],
)
def test_rejects_bad_contents(saved, change, match) -> None:
    arrays = _arrays(saved)
    change(arrays)
    _rewrite(saved, arrays)
    with pytest.raises(ModelFileError, match=match) as info:
        load_model(saved)
    assert "m.npz" in str(info.value)


def test_unmodified_file_loads(saved) -> None:
    """Negative control for the rejection tests: rewriting without a change still loads."""
    _rewrite(saved, _arrays(saved))
    assert load_model(saved).model_type == "two-layer"
    assert zipfile.is_zipfile(saved)
    meta = json.loads(str(_arrays(saved)["metadata"]))
    assert meta["n_iter"] == 60


def test_the_typicality_basis_is_stored_in_single_precision(tmp_path) -> None:
    """The basis was 20 of a default model file's 21 MB; float32 halves it, and the scores
    agree with those of the float64 basis; a file written with float64 still loads."""
    import numpy as np

    from probkit.classifier.data.datasets import make_synthetic
    from probkit.classifier.modelfile import load_model, save_model
    from probkit.classifier.pipeline import Classifier

    data = make_synthetic(40, size=16, seed=1)
    clf = Classifier().fit(data).fit_typicality(data.images)
    path = tmp_path / "m.npz"
    save_model(path, clf)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    assert arrays["typicality_basis"].dtype == np.float32
    assert arrays["typicality_mean"].dtype == np.float64
    loaded = load_model(path)
    features = clf.preprocessor.transform(data.images)
    exact = clf.typicality_.score(features)
    assert np.allclose(loaded.typicality_.score(features), exact, rtol=1e-5, atol=0)
    assert np.array_equal(loaded.typicality(data.images)[1], clf.typicality(data.images)[1])
    old = tmp_path / "old.npz"  # as written before: every typicality array float64
    arrays["typicality_basis"] = clf.typicality_.basis_.astype(np.float64)
    with old.open("wb") as fh:
        np.savez(fh, **arrays)
    assert np.allclose(load_model(old).typicality_.score(features), exact, rtol=1e-12)
    assert old.stat().st_size > path.stat().st_size + clf.typicality_.basis_.size * 3


def test_model_files_are_deflated_and_old_stored_files_still_load(tmp_path) -> None:
    """Every member of a model file is compressed (the default model: 2.02 MB stored,
    1.86 MB deflated); a file written with stored members, as before, loads the same."""
    import numpy as np

    from probkit.classifier.data.datasets import make_synthetic
    from probkit.classifier.modelfile import load_model, save_model
    from probkit.classifier.pipeline import Classifier

    data = make_synthetic(40, size=16, seed=1)
    clf = Classifier().fit(data).fit_typicality(data.images)
    path = tmp_path / "m.npz"
    save_model(path, clf)
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    assert members and all(m.compress_type == zipfile.ZIP_DEFLATED for m in members)
    assert path.stat().st_size < sum(m.file_size for m in members)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    stored = tmp_path / "stored.npz"
    with stored.open("wb") as fh:
        np.savez(fh, **arrays)
    assert stored.stat().st_size > path.stat().st_size
    features = clf.preprocessor.transform(data.images)
    assert np.array_equal(load_model(stored).typicality_.score(features),
                          load_model(path).typicality_.score(features))
    assert np.array_equal(load_model(stored).predict_proba(data.images),
                          load_model(path).predict_proba(data.images))
