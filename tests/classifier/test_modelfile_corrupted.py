"""Corrupted model files: every field checked for type, shape and range.

Each corruption below must give a ModelFileError naming the file and the array, never
another exception and never a model that loads with a misread value.
"""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from probkit.classifier.data.datasets import make_synthetic
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.modelfile import load_model, save_model
from probkit.classifier.models import LogisticRegression, TwoLayerNet
from probkit.classifier.pipeline import Classifier
from probkit.errors import ModelFileError


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, dict[str, np.ndarray]]:
    data = make_synthetic(12, size=3, seed=0)
    d = tmp_path_factory.mktemp("models")
    out = {}
    for name, clf in {
        "logistic": Classifier(estimator=LogisticRegression(max_iter=5)),
        "two-layer": Classifier(preprocessor=Preprocessor(method="standardize"),
                                estimator=TwoLayerNet(hidden=2, max_iter=5, random_state=1)),
    }.items():
        clf.fit(data)
        save_model(d / f"{name}.npz", clf)
        with np.load(d / f"{name}.npz", allow_pickle=False) as npz:
            out[name] = {k: npz[k] for k in npz.files}
    return out


def _nested(depth: int) -> str:
    return '{"max_iter": 5, "l2": ' + "[" * depth + "]" * depth + "}"


# (model, change, words the message must contain)
CORRUPTIONS = [
    # the four that gave tracebacks
    ("logistic", {"input_shape": np.array(3)}, "input_shape"),
    ("logistic", {"input_shape": np.array("3,3,3")}, "input_shape"),
    ("logistic", {"param_W": np.array(0.5)}, "param_W"),
    ("logistic", {"hyperparameters": np.array(_nested(100_000))}, "nested too deeply"),
    ("logistic", {"hyperparameters": np.array(_nested(40))}, "hyperparameters"),
    # implausible values
    ("logistic", {"temperature": np.array(1e-300)}, "temperature"),
    ("logistic", {"temperature": np.array(1e300)}, "temperature"),
    ("logistic", {"temperature": np.array(np.nan)}, "temperature"),
    ("logistic", {"temperature": np.array("1.0")}, "temperature"),
    ("logistic", {"temperature": np.array([1.0])}, "temperature"),
    ("logistic", {"training_base_rate": np.array(np.inf)}, "training_base_rate"),
    ("logistic", {"training_base_rate": np.array([0.5, 0.5])}, "training_base_rate"),
    ("logistic", {"param_W": np.full((1, 27), 1e300)}, "param_W"),
    ("logistic", {"param_b": np.array([np.inf])}, "param_b"),
    ("logistic", {"param_W": np.zeros((1, 27), dtype=np.complex128)}, "param_W"),
    ("logistic", {"param_W": np.zeros((1, 27), dtype="U3")}, "param_W"),
    ("logistic", {"param_W": np.zeros((1, 1, 27))}, "param_W"),
    ("logistic", {"param_W": np.zeros((1, 0))}, "param_W"),
    ("logistic", {"param_extra": np.zeros(3)}, "extra"),
    # input shape: float, negative, wrong length, channels, huge
    ("logistic", {"input_shape": np.array([3.5, 3, 3])}, "input_shape"),
    ("logistic", {"input_shape": np.array([-3, -3, 3])}, "input_shape"),
    ("logistic", {"input_shape": np.array([3, 3])}, "input_shape"),
    ("logistic", {"input_shape": np.array([3, 9, 1])}, "input_shape"),
    ("logistic", {"input_shape": np.array([10**9, 10**9, 3])}, "input_shape"),
    ("logistic", {"input_shape": np.array([[3, 3, 3]])}, "input_shape"),
    # preprocessing statistics
    ("logistic", {"preprocessing_mean": np.ones(27)}, "preprocessing"),
    ("logistic", {"preprocessing_scale": np.full(27, 1.0)}, "preprocessing"),
    ("logistic", {"preprocessing_mean": np.zeros(27, dtype="U1")}, "preprocessing_mean"),
    ("logistic", {"preprocessing_mean": np.zeros(26)}, "preprocessing_mean"),
    ("logistic", {"preprocessing_method": np.array("whiten")}, "whiten"),
    ("logistic", {"preprocessing_method": np.array(["scale"])}, "preprocessing_method"),
    ("two-layer", {"preprocessing_scale": np.full(27, 1e-300)}, "preprocessing_scale"),
    ("two-layer", {"preprocessing_scale": np.full(27, -1.0)}, "preprocessing_scale"),
    ("two-layer", {"preprocessing_mean": np.full(27, 1e6)}, "preprocessing_mean"),
    # hyperparameters
    ("logistic", {"hyperparameters": np.array("[1, 2]")}, "JSON object"),
    ("logistic", {"hyperparameters": np.array('{"l2": -1}')}, "l2"),
    ("logistic", {"hyperparameters": np.array('{"l2": NaN}')}, "l2"),
    ("logistic", {"hyperparameters": np.array('{"l2": 1e999}')}, "l2"),
    ("logistic", {"hyperparameters": np.array('{"solver": "' + "x" * 10_000 + '"}')},
     "short string"),
    ("logistic", {"hyperparameters": np.array('{"max_iter": 1' + "0" * 5000 + "}")}, "JSON"),
    ("logistic", {"hyperparameters": np.array('{"l2": {"a": 1}}')}, "l2"),
    ("logistic", {"hyperparameters": np.array(b'{"l2": 1}')}, "hyperparameters"),
    ("two-layer", {"hyperparameters": np.array('{"hidden": 100000000}')}, "param_W1"),
    ("two-layer", {"hyperparameters": np.array('{"hidden": 3}')}, "param_W1"),
    ("two-layer", {"hyperparameters": np.array('{"hidden": "2"}')}, "hidden"),
    ("two-layer", {"param_W2": np.zeros((1, 3))}, "W2"),
    ("two-layer", {"param_W1": np.zeros(27)}, "param_W1"),
    # other fields
    ("logistic", {"model_type": np.array("forest")}, "unknown model"),
    ("logistic", {"model_type": np.array(1)}, "model_type"),
    ("logistic", {"format_version": np.array("1")}, "format_version"),
    ("logistic", {"format_version": np.array(1.5)}, "format version"),
    ("logistic", {"format_version": np.array([1])}, "format_version"),
    ("logistic", {"class_names": np.array(["cat", "cat"])}, "class_names"),
    ("logistic", {"class_names": np.array(["cat", ""])}, "class_names"),
    ("logistic", {"class_names": np.array(["cat", "dog\nerror: fake"])}, "class_names"),
    ("logistic", {"class_names": np.array([b"a", b"b"])}, "class_names"),
    ("logistic", {"cost_history": np.zeros((2, 2))}, "cost_history"),
    ("logistic", {"cost_history": np.array("0.5")}, "cost_history"),
    ("logistic", {"metadata": np.array("[]")}, "metadata"),
    ("logistic", {"metadata": np.array("{" * 50_000)}, "metadata"),
    ("logistic", {"metadata": np.array('{"a": ' * 40 + "1" + "}" * 40)}, "nested too deeply"),
]


@pytest.mark.parametrize(("model", "change", "words"), CORRUPTIONS,
                         ids=[f"{i}-{next(iter(c[1]))}" for i, c in enumerate(CORRUPTIONS)])
def test_corrupted_model_is_refused_by_name(tmp_path, originals, model, change, words) -> None:
    arrays = {**originals[model], **change}
    path = tmp_path / "bad.npz"
    with path.open("wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    message = str(info.value)
    assert "bad.npz" in message and words in message
    assert "\n" not in message and len(message) < 400


@pytest.mark.parametrize("model", ["logistic", "two-layer"])
def test_negative_control_the_unchanged_arrays_load(tmp_path, originals, model) -> None:
    path = tmp_path / "good.npz"
    with path.open("wb") as fh:
        np.savez(fh, **originals[model])
    clf = load_model(path)
    p = clf.predict_proba(make_synthetic(4, size=3, seed=5).images)
    assert np.all(np.isfinite(p)) and clf.temperature == 1.0


def test_a_tiny_file_claiming_a_huge_array_is_refused_before_reading(tmp_path, originals):
    # a header may declare any shape; reading it would allocate that much (decompression bomb)
    path = tmp_path / "bomb.npz"
    with path.open("wb") as fh:
        np.savez(fh, **{k: v for k, v in originals["logistic"].items() if k != "param_W"})
    with zipfile.ZipFile(path, "a") as archive, archive.open("param_W.npy", "w") as member:
        np.lib.format.write_array_header_1_0(
            member, {"descr": "<f8", "fortran_order": False, "shape": (1, 10**10)})
    assert path.stat().st_size < 100_000
    with pytest.raises(ModelFileError, match=r"param_W would take .* MiB"):
        load_model(path)


def test_metadata_is_kept_when_valid(tmp_path, originals) -> None:
    arrays = {**originals["logistic"],
              "metadata": np.array(json.dumps({"a": [[{"b": 1}]]}))}
    path = tmp_path / "meta.npz"
    with path.open("wb") as fh:
        np.savez(fh, **arrays)
    assert load_model(path).metadata == {"a": [[{"b": 1}]]}
