"""Loading, validating and writing the HDF5 data; preprocessing; synthetic data."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from probkit.classifier.data.datasets import (
    Dataset,
    atomic_output,
    load_dataset,
    make_synthetic,
    write_dataset,
)
from probkit.classifier.data.preprocessing import Preprocessor
from probkit.errors import DataError, InputError


def _write_raw(path, **datasets) -> None:
    with h5py.File(path, "w") as h5:
        for key, value in datasets.items():
            h5.create_dataset(key, data=value)


def _good(n=6, size=4):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(n, size, size, 3), dtype=np.uint8)
    y = np.array([0, 1] * (n // 2), dtype=np.int64)
    return x, y


def test_published_layout_round_trip(tmp_path) -> None:
    x, y = _good()
    path = tmp_path / "train.h5"
    _write_raw(path, train_set_x=x, train_set_y=y,
               list_classes=np.array([b"non-cat", b"cat"], dtype="S7"))
    data = load_dataset(path)
    np.testing.assert_array_equal(data.images, x)
    np.testing.assert_array_equal(data.labels, y)
    assert data.labels.dtype == np.int64 and data.images.dtype == np.uint8
    assert data.class_names == ("non-cat", "cat")
    assert data.source == str(path)
    assert data.n == 6 and data.image_shape == (4, 4, 3) and data.positive_rate == 0.5


def test_test_split_and_writer_agree_with_raw_h5py(tmp_path) -> None:
    data = make_synthetic(9, size=5, seed=3)
    path = tmp_path / "test.h5"
    write_dataset(path, data, split="test")
    with h5py.File(path, "r") as h5:
        assert sorted(h5) == ["list_classes", "test_set_x", "test_set_y"]
        np.testing.assert_array_equal(h5["test_set_x"][()], data.images)
        assert h5["test_set_y"].dtype == np.int64
        assert list(h5["list_classes"][()]) == [b"non-cat", b"cat"]
    again = load_dataset(path)
    np.testing.assert_array_equal(again.labels, data.labels)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_labels_stored_as_a_row_are_accepted(tmp_path) -> None:
    x, y = _good()
    path = tmp_path / "row.h5"
    _write_raw(path, test_set_x=x, test_set_y=y[None, :])
    assert load_dataset(path).labels.shape == (6,)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(DataError, match=r"nope\.h5 does not exist"):
        load_dataset(tmp_path / "nope.h5")


def test_directory(tmp_path) -> None:
    with pytest.raises(DataError, match="directory"):
        load_dataset(tmp_path)


def test_not_hdf5(tmp_path) -> None:
    path = tmp_path / "fake.h5"
    path.write_text("just some text, not HDF5\n")
    with pytest.raises(DataError, match=r"fake\.h5 is not an HDF5 file"):
        load_dataset(path)


def test_truncated(tmp_path) -> None:
    x, y = _good(n=40, size=16)
    full = tmp_path / "full.h5"
    _write_raw(full, train_set_x=x, train_set_y=y)
    raw = full.read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match=r"cut\.h5 .*truncated or damaged"):
        load_dataset(cut)


@pytest.mark.parametrize(
    "datasets, match",
    [
        ({"foo": np.zeros(3)}, "no train_set_x/train_set_y"),
        ({"train_set_x": _good()[0]}, "has train_set_x but no train_set_y"),
        ({"test_set_y": _good()[1]}, "has test_set_y but no test_set_x"),
    ],
)
def test_missing_keys(tmp_path, datasets, match) -> None:
    path = tmp_path / "keys.h5"
    _write_raw(path, **datasets)
    with pytest.raises(DataError, match=match):
        load_dataset(path)


@pytest.mark.parametrize(
    "x, y, match",
    [
        (_good()[0], _good()[1][:5], "6 images but 5 labels"),
        (_good()[0], np.array([0, 1, 2, 0, 1, 0]), "labels must be 0 or 1; found 2"),
        (_good()[0], np.array([0, 1, -1, 0, 1, 0]), "found -1"),
        (_good()[0], np.array([0.0, 1.0, 0.5, 0, 1, 0]), "found 0.5"),
        (_good()[0].astype(np.float32), _good()[1], "uint8"),
        (_good()[0][..., :2], _good()[1], r"\(n, height, width, 3\)"),
        (_good()[0][:, :, :, 0], _good()[1], r"\(n, height, width, 3\)"),
        (_good()[0], np.zeros((6, 2), dtype=np.int64), r"labels must have shape \(n,\)"),
    ],
)
def test_bad_contents(tmp_path, x, y, match) -> None:
    path = tmp_path / "bad.h5"
    _write_raw(path, train_set_x=x, train_set_y=y)
    with pytest.raises(DataError, match=match) as info:
        load_dataset(path)
    assert "bad.h5" in str(info.value)


def test_dataset_validates_in_memory_too() -> None:
    x, y = _good()
    with pytest.raises(DataError, match="uint8"):
        Dataset(images=x.astype(np.int64), labels=y)
    with pytest.raises(DataError, match="found 3"):
        Dataset(images=x, labels=np.array([0, 1, 3, 0, 1, 0]))
    with pytest.raises(DataError, match="2 class names"):
        Dataset(images=x, labels=y, class_names=("a", "b", "c"))


def test_data_errors_are_input_errors_with_exit_code_2() -> None:
    assert issubclass(DataError, InputError) and DataError.exit_code == 2


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path) -> None:
    target = tmp_path / "keep.h5"
    target.write_bytes(b"precious")
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.h5"]
    with pytest.raises(DataError, match="does not exist"):
        write_dataset(tmp_path / "no" / "dir.h5", make_synthetic(3))


def test_synthetic_data_shape_balance_and_seed() -> None:
    a = make_synthetic(40, size=6, cat_fraction=0.25, seed=4)
    b = make_synthetic(40, size=6, cat_fraction=0.25, seed=4)
    c = make_synthetic(40, size=6, cat_fraction=0.25, seed=5)
    assert a.images.shape == (40, 6, 6, 3) and a.labels.sum() == 10
    np.testing.assert_array_equal(a.images, b.images)
    assert not np.array_equal(a.images, c.images)
    # learnable: the class means differ clearly in the red channel at the centre
    centre = a.images[:, 3, 3, 0].astype(float)
    assert centre[a.labels == 1].mean() > centre[a.labels == 0].mean() + 40
    with pytest.raises(InputError):
        make_synthetic(0)


# ---------------------------------------------------------------- preprocessing


def test_scale_maps_pixels_to_unit_interval() -> None:
    data = make_synthetic(10, size=3)
    pre = Preprocessor().fit(data.images)
    X = pre.transform(data.images)
    assert X.shape == (10, 27) and X.dtype == np.float64 and X.flags.c_contiguous
    np.testing.assert_allclose(X, data.images.reshape(10, -1) / 255.0)
    assert pre.input_shape_ == (3, 3, 3)
    # flattening order: row, column, channel (as the course's reshape)
    assert X[0, 5] == data.images[0, 0, 1, 2] / 255.0


def test_standardize_uses_training_statistics_only() -> None:
    train = make_synthetic(30, size=3, seed=1)
    test = make_synthetic(30, size=3, seed=2)
    pre = Preprocessor(method="standardize").fit(train.images)
    Xtr = pre.transform(train.images)
    np.testing.assert_allclose(Xtr.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Xtr.std(axis=0), 1.0, rtol=1e-12)
    Xte = pre.transform(test.images)
    flat = test.images.reshape(30, -1).astype(float)
    train_flat = train.images.reshape(30, -1).astype(float)
    expected = (flat - train_flat.mean(0)) / train_flat.std(0)
    np.testing.assert_allclose(Xte, expected)
    assert not np.allclose(Xte.mean(axis=0), 0.0, atol=1e-3)  # not re-fitted on test


def test_constant_feature_does_not_divide_by_zero() -> None:
    images = np.zeros((4, 2, 2, 3), dtype=np.uint8)
    images[:, 0, 0, 0] = [1, 2, 3, 4]
    X = Preprocessor(method="standardize").fit_transform(images)
    assert np.all(np.isfinite(X)) and np.all(X[:, 1:] == 0)


def test_prediction_time_size_mismatch() -> None:
    pre = Preprocessor().fit(make_synthetic(4, size=8).images)
    with pytest.raises(DataError, match="images are 6x6x3 but the model was trained on 8x8x3"):
        pre.transform(make_synthetic(4, size=6).images)


def test_bad_method_and_unfitted() -> None:
    with pytest.raises(InputError, match="method='zscore'"):
        Preprocessor(method="zscore").fit(make_synthetic(3).images)
    with pytest.raises(InputError, match="not fitted"):
        Preprocessor().transform(make_synthetic(3).images)


# ---------------------------------------------------------------- photos (Pillow)


def test_load_photos_converts_and_resizes(tmp_path) -> None:
    from PIL import Image

    from probkit.classifier.data.images import load_photos

    gray = tmp_path / "gray.png"
    Image.fromarray(np.full((20, 30), 200, dtype=np.uint8)).save(gray)
    rgba = tmp_path / "rgba.png"
    Image.fromarray(np.full((8, 8, 4), 50, dtype=np.uint8)).save(rgba)
    photos = load_photos([gray, rgba], (6, 7))
    assert photos.shape == (2, 6, 7, 3) and photos.dtype == np.uint8
    # RGBA 50 with alpha 50 is composited on white: 50·50/255 + 255·(1 − 50/255) ≈ 215
    assert np.all(photos[0] == 200) and np.all(photos[1] == 215)


def test_load_photos_errors(tmp_path, monkeypatch) -> None:
    import sys

    from probkit.classifier.data.images import load_photos
    from probkit.errors import MissingExtraError

    with pytest.raises(DataError, match=r"nope\.jpg does not exist"):
        load_photos([tmp_path / "nope.jpg"], (4, 4))
    text = tmp_path / "text.jpg"
    text.write_text("hello")
    with pytest.raises(DataError, match="cannot be read as an image"):
        load_photos([text], (4, 4))
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(MissingExtraError, match=r"probkit\[image\]"):
        load_photos([text], (4, 4))


@pytest.mark.parametrize("split", ["train", "test"])
def test_a_file_with_zero_images_is_refused_by_name(tmp_path, split) -> None:
    # an empty file was "ValueError: cannot reshape" in evaluate, predict --data, train --test
    path = tmp_path / "none.h5"
    _write_raw(path, **{f"{split}_set_x": np.zeros((0, 4, 4, 3), np.uint8),
                        f"{split}_set_y": np.zeros((0,), np.int64)})
    with pytest.raises(DataError, match=rf"none\.h5: {split}_set_x holds no images"):
        load_dataset(path)
    with pytest.raises(DataError, match="holds no images"):
        Dataset(images=np.zeros((0, 4, 4, 3), np.uint8), labels=np.zeros(0, np.int64))


def test_preprocessing_transforms_zero_images_to_zero_rows() -> None:
    pre = Preprocessor().fit(_good()[0])
    out = pre.transform(np.zeros((0, 4, 4, 3), np.uint8))
    assert out.shape == (0, 48)
