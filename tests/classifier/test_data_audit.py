"""probkit data check / probkit.classifier.data.audit: copies, constant images, class balance."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from probkit.classifier.data.audit import NEAR_COPY_CORRELATION, audit, audit_files, thumbnails
from probkit.classifier.data.datasets import Dataset, load_dataset, write_dataset
from probkit_cli.app import app


def _noise_images(n: int, seed: int, size: int = 32, block: int = 4) -> np.ndarray:
    """Distinct images: independent uniform noise in ``block``-pixel squares."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(n, size // block, size // block, 3))
    return np.repeat(np.repeat(coarse, block, axis=1), block, axis=2).astype(np.uint8)


def _data(images: np.ndarray, labels: list[int] | None = None, source: str = "mem") -> Dataset:
    if labels is None:
        labels = [i % 2 for i in range(len(images))]
    return Dataset(images, np.asarray(labels, dtype=np.int64), source=source)


def test_thumbnail_is_the_block_mean_of_the_luma() -> None:
    images = _noise_images(3, seed=1, size=64)
    grey = images.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    oracle = grey.reshape(3, 16, 4, 16, 4).mean(axis=(2, 4))
    np.testing.assert_allclose(thumbnails(images), oracle, rtol=0, atol=1e-9)


def test_distinct_images_are_not_copies() -> None:
    train, test = _data(_noise_images(40, seed=2)), _data(_noise_images(20, seed=3))
    report = audit(train, test)
    assert report.copies == ()
    assert report.clean


def test_exact_copy_across_splits_is_found_with_both_indices() -> None:
    train_images = _noise_images(30, seed=4)
    test_images = _noise_images(10, seed=5)
    test_images[7] = train_images[21]
    report = audit(_data(train_images), _data(test_images))
    across = report.copies_across()
    assert [(c.first.split, c.first.index, c.second.split, c.second.index, c.kind)
            for c in across] == [("train", 21, "test", 7, "exact")]
    assert report.copy_lines() == ["test #7 = train #21 (exact copy, both label 1)"]
    assert not report.clean


@pytest.mark.parametrize("change", ["noise", "brightness", "contrast", "jpeg", "resize"])
def test_near_copies_survive_ordinary_edits(change: str) -> None:
    pil = pytest.importorskip("PIL.Image")
    images = _noise_images(12, seed=6, size=64, block=8)  # photo-like: smooth at 8 pixels
    original = images[5].astype(np.float64)
    rng = np.random.default_rng(0)
    if change == "noise":
        edited = original + rng.normal(0.0, 8.0, original.shape)
    elif change == "brightness":
        edited = original + 25.0
    elif change == "contrast":
        edited = (original - 128.0) * 0.8 + 128.0
    elif change == "jpeg":
        buffer = io.BytesIO()
        pil.fromarray(images[5]).save(buffer, "JPEG", quality=70)
        edited = np.asarray(pil.open(buffer), dtype=np.float64)
    else:
        small = pil.fromarray(images[5]).resize((32, 32), pil.BILINEAR)
        edited = np.asarray(small.resize((64, 64), pil.BILINEAR), dtype=np.float64)
    test_images = _noise_images(4, seed=7, size=64)
    test_images[2] = np.clip(edited, 0, 255).astype(np.uint8)
    assert not np.array_equal(test_images[2], images[5])
    report = audit(_data(images), _data(test_images))
    found = [(c.first.index, c.second.index, c.kind) for c in report.copies_across()]
    assert found == [(5, 2, "near")]
    assert report.copies_across()[0].correlation >= NEAR_COPY_CORRELATION


def test_mirror_copy_and_label_conflict_within_a_split() -> None:
    images = _noise_images(10, seed=8)
    images[9] = images[3, :, ::-1]
    labels = [0] * 10
    labels[9] = 1
    report = audit(_data(images, labels))
    (copy,) = report.copies
    assert (copy.first.index, copy.second.index, copy.kind) == (3, 9, "mirror")
    assert copy.label_conflict
    assert "LABEL CONFLICT" in report.copy_lines()[0]


def test_constant_images_are_flagged() -> None:
    images = _noise_images(6, seed=9)
    images[4] = 128
    images[1] = 0
    report = audit(_data(images))
    assert report.splits[0].constant_images == (1, 4)
    # two constant images are exact copies of nothing and near copies of nothing (no structure)
    assert report.copies == ()


def test_class_share_note_only_when_the_shares_really_differ() -> None:
    images = _noise_images(80, seed=10)
    balanced = audit(_data(images[:40], [i % 2 for i in range(40)]),
                     _data(images[40:], [i % 2 for i in range(40)]))
    assert balanced.notes == ()
    shifted = audit(_data(images[:40], [1] * 5 + [0] * 35),
                    _data(images[40:], [1] * 35 + [0] * 5))
    assert len(shifted.notes) == 1 and "differs between the splits" in shifted.notes[0]


def test_to_dict_is_json_and_counts_agree() -> None:
    train_images = _noise_images(8, seed=11)
    test_images = train_images[:2].copy()
    payload = audit(_data(train_images), _data(test_images)).to_dict()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["copies_across_splits"] == 2
    assert payload["splits"][1]["class_counts"] == {"non-cat": 1, "cat": 1}


def test_html_repr_shows_the_table_and_the_copies() -> None:
    train_images = _noise_images(8, seed=12)
    report = audit(_data(train_images), _data(train_images[:1].copy()))
    text = report._repr_html_()
    assert "<table>" in text and "test #0 = train #0" in text


def _write(tmp_path: Path, name: str, images: np.ndarray, split: str) -> Path:
    path = tmp_path / name
    labels = np.asarray([i % 2 for i in range(len(images))], dtype=np.int64)
    write_dataset(path, Dataset(images, labels), split=split)
    return path


def test_cli_text_and_json(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    train_images = _noise_images(12, seed=13)
    test_images = _noise_images(5, seed=14)
    test_images[4] = train_images[6]
    train = _write(tmp_path, "train.h5", train_images, "train")
    test = _write(tmp_path, "test.h5", test_images, "test")
    result = runner.invoke(app, ["data", "check", "--train", str(train), "--test", str(test)])
    assert result.exit_code == 0, result.output
    assert "test #4 = train #6 (exact copy, both label 0)" in result.stdout
    result = runner.invoke(app, ["data", "check", "--train", str(train), "--test", str(test),
                                 "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload == audit_files(train, test).to_dict()
    assert payload["copies_across_splits"] == 1


def test_cli_bad_file_is_one_line_exit_2(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"not hdf5")
    result = runner.invoke(app, ["data", "check", "--train", str(bad)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


@pytest.mark.realdata
def test_the_published_test_image_17_copies_training_image_146(cat_data_dir: Path) -> None:
    report = audit(load_dataset(cat_data_dir / "train_catvnoncat.h5"),
                   load_dataset(cat_data_dir / "test_catvnoncat.h5"))
    assert [(c.first.index, c.second.index, c.kind) for c in report.copies_across()] == [
        (146, 17, "exact")]
    assert [c for c in report.copies if c.first.split == c.second.split] == []
    assert [s.class_counts for s in report.splits] == [(137, 72), (17, 33)]
    assert len(report.notes) == 1 and "34.4% in train, 66.0% in test" in report.notes[0]


# ---------------------------------------------------------------- the model remembers

def _train_and_test_with_copies(tmp_path: Path) -> tuple[Path, Path, Path]:
    from probkit.classifier.data.datasets import make_synthetic

    train = make_synthetic(40, size=8, seed=1)
    test = make_synthetic(10, size=8, seed=2)
    images = test.images.copy()
    images[3] = train.images[5]
    images[6] = train.images[9][:, ::-1]
    train_path, test_path = tmp_path / "train.h5", tmp_path / "test.h5"
    write_dataset(train_path, train, split="train")
    write_dataset(test_path, Dataset(images, test.labels), split="test")
    return train_path, test_path, tmp_path / "model.npz"


def test_evaluate_names_test_images_that_copy_training_images(tmp_path: Path,
                                                              runner) -> None:  # type: ignore[no-untyped-def]
    train, test, model = _train_and_test_with_copies(tmp_path)
    result = runner.invoke(app, ["train", "--features", "pixels",
                                 "--train", str(train), "--out", str(model),
                                 "--iterations", "30"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["evaluate", "--model", str(model), "--data", str(test),
                                 "--json"])
    assert result.exit_code == 0, result.output
    copies = json.loads(result.stdout)["copies_of_training_images"]
    assert [(c["index"], c["train_index"], c["kind"]) for c in copies] == [
        (3, 5, "exact"), (6, 9, "mirror")]
    text = runner.invoke(app, ["evaluate", "--model", str(model), "--data", str(test)]).stdout
    assert "#3 = training image #5 (exact copy)" in text
    # negative control: the training file itself is all copies, the other test file none
    clean = runner.invoke(app, ["evaluate", "--model", str(model), "--data", str(train),
                                "--json"])
    assert len(json.loads(clean.stdout)["copies_of_training_images"]) == 40


def test_fingerprints_round_trip_and_tampering_is_refused(tmp_path: Path) -> None:
    from probkit.classifier.data.datasets import make_synthetic
    from probkit.classifier.modelfile import load_model, save_model
    from probkit.classifier.pipeline import Classifier
    from probkit.errors import ModelFileError

    data = make_synthetic(30, size=8, seed=3)
    clf = Classifier().fit(data).remember_training_images(data.images, data.labels)
    path = tmp_path / "m.npz"
    save_model(path, clf)
    again = load_model(path)
    assert [(c.first.index, c.second.index) for c in again.training_copies(data.images[[4]])] \
        == [(4, 0)]
    arrays = dict(np.load(path, allow_pickle=False))
    arrays["fingerprint_thumbnails"] = arrays["fingerprint_thumbnails"][:, :10]
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError, match="fingerprint"):
        load_model(tmp_path / "bad.npz")
    # a model file without fingerprints (written before they existed) says it knows none
    del arrays["fingerprint_thumbnails"], arrays["fingerprint_digests"]
    del arrays["fingerprint_labels"]
    np.savez(tmp_path / "old.npz", **arrays)
    assert load_model(tmp_path / "old.npz").training_copies(data.images) is None
