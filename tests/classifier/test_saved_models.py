"""Model files written by an earlier probkit load and predict as they did then.

The fixtures (tests/fixtures/README.md) were written by probkit 0.1.0 before the classifier
moved into its own package; the expected answers were recorded by that probkit.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import numpy as np
import pytest

from probkit.classifier.evaluation.typicality import TAIL_MIN, TAIL_SHARE
from probkit.classifier.modelfile import load_model, save_model
from probkit.errors import ModelFileError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPECTED = json.loads((FIXTURES / "model_written_by_v0.1.0.expected.json").read_text())
PROBE = np.asarray(EXPECTED["probe_images"], dtype=np.uint8)
NAMES = ("logistic_pixels", "two_layer_features")


def _model_file(name: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{name}.npz"
    path.write_bytes(base64.b64decode(
        (FIXTURES / f"model_written_by_v0.1.0_{name}.npz.b64").read_text()))
    return path


@pytest.mark.parametrize("name", NAMES)
def test_an_old_model_file_predicts_what_it_predicted_then(name: str, tmp_path: Path) -> None:
    clf = load_model(_model_file(name, tmp_path))
    expected = EXPECTED[name]
    np.testing.assert_allclose(clf.predict_proba(PROBE), expected["predict_proba"],
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(clf.predict_proba(PROBE, base_rate="1/2"),
                               expected["predict_proba_base_rate_1_2"], rtol=1e-12, atol=1e-15)
    typicality, in_distribution = clf.typicality(PROBE)
    # the same rank where it still applies; beyond the largest tenth of the training scores
    # (at least TAIL_MIN of them) the tail is now modelled, so only its bound is the same
    n = clf.typicality_.training_scores_.size
    share = max(TAIL_MIN, math.ceil(n * TAIL_SHARE)) / n
    then = np.asarray(expected["typicality"])
    rank = then > share
    assert rank.any() and (~rank).any()
    np.testing.assert_allclose(typicality[rank], then[rank], rtol=1e-9)
    assert np.all(typicality[~rank] <= share + 1e-12)
    threshold = clf.typicality_threshold
    assert threshold is not None
    assert in_distribution.tolist() == (typicality >= threshold).tolist()
    assert [a for a, r in zip(in_distribution.tolist(), rank, strict=True) if r] == \
        [a for a, r in zip(expected["in_distribution"], rank, strict=True) if r]
    training_head = np.asarray(EXPECTED["training_images_head"], dtype=np.uint8)
    copies = clf.training_copies(np.concatenate([PROBE, training_head]))
    assert copies is not None and len(copies) == expected["n_training_copies"] == 2
    assert clf.training_copies(PROBE) == []  # negative control: no copy among the probes


@pytest.mark.parametrize("name", NAMES)
def test_an_old_model_file_survives_a_save_and_load(name: str, tmp_path: Path) -> None:
    clf = load_model(_model_file(name, tmp_path))
    again = tmp_path / "again.npz"
    save_model(again, clf)
    with np.load(_model_file(name, tmp_path)) as old, np.load(again) as new:
        assert set(old.files) == set(new.files)
        for key in old.files:
            if key == "metadata":
                continue  # records the probkit version that wrote it
            assert old[key].dtype.kind == new[key].dtype.kind, key
            if key.endswith("typicality_basis"):  # now written in single precision
                assert new[key].dtype == np.float32, key
                np.testing.assert_array_equal(old[key].astype(np.float32), new[key], err_msg=key)
                continue
            np.testing.assert_array_equal(old[key], new[key], err_msg=key)
    np.testing.assert_array_equal(load_model(again).predict_proba(PROBE),
                                  clf.predict_proba(PROBE))


def test_a_damaged_old_model_file_is_refused(tmp_path: Path) -> None:
    """Negative control: the fixture is really read (a cut file is not accepted)."""
    path = _model_file("logistic_pixels", tmp_path)
    path.write_bytes(path.read_bytes()[:4000])
    with pytest.raises(ModelFileError, match="logistic_pixels.npz"):
        load_model(path)
