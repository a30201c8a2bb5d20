"""probkit.classifier.features: each representation against an independent oracle, and its
contract."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from probkit.classifier.data.preprocessing import Preprocessor
from probkit.classifier.features import (
    HOG,
    ColourHistogram,
    Concatenate,
    RawPixels,
    Standardize,
    from_spec,
    from_state,
    hog_features,
    parse_features,
    rgb_to_hsv,
)
from probkit.errors import DataError, InputError, NotFittedError

skimage_feature = pytest.importorskip("skimage.feature")

RNG = np.random.default_rng(12)
IMAGES = RNG.integers(0, 256, (5, 32, 40, 3), dtype=np.uint8)


# ---- HSV against the standard library -------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_hsv_matches_colorsys(rgb):
    expected = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    got = rgb_to_hsv(np.array(rgb, dtype=np.uint8))
    assert np.allclose(got, expected, atol=1e-12)
    assert np.all((got >= 0) & (got < 1 + 1e-15)) and got[0] < 1


def test_hsv_of_every_grey_and_primary():
    greys = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
    hsv = rgb_to_hsv(greys)
    assert np.all(hsv[:, :2] == 0) and np.allclose(hsv[:, 2], np.arange(256) / 255)
    prim = rgb_to_hsv(np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]]))
    assert np.allclose(prim[:, 0], [0, 1 / 3, 2 / 3, 1 / 6])


# ---- colour histograms ------------------------------------------------------------------
def test_rgb_histogram_matches_integer_counting():
    bins = (4, 3, 5)  # 255 * k / 3 and / 5 are integers: pixel values fall on bin edges
    hist = ColourHistogram(space="rgb", bins=bins).fit_transform(IMAGES)
    for image, row in zip(IMAGES, hist, strict=True):
        pixels = image.reshape(-1, 3).astype(np.int64)
        idx = [np.minimum(pixels[:, c] * b // 255, b - 1) for c, b in enumerate(bins)]
        counts = np.zeros(bins)
        np.add.at(counts, tuple(idx), 1)
        assert np.allclose(row, counts.ravel() / pixels.shape[0])


def test_rgb_histogram_matches_histogramdd_away_from_edges():
    bins = (4, 4, 4)  # no value v of 0..255 has 4v/255 an integer except 0 and 255
    hist = ColourHistogram(space="rgb", bins=bins).fit_transform(IMAGES)
    for image, row in zip(IMAGES, hist, strict=True):
        counts, _ = np.histogramdd(image.reshape(-1, 3) / 255.0, bins=bins, range=[(0, 1)] * 3)
        assert np.allclose(row, counts.ravel() / (image.size // 3))


def test_hsv_histogram_matches_histogramdd_of_colorsys():
    image = IMAGES[0]
    hsv = np.array([colorsys.rgb_to_hsv(*(p / 255)) for p in image.reshape(-1, 3)])
    counts, _ = np.histogramdd(hsv, bins=(8, 4, 4), range=[(0, 1)] * 3)
    got = ColourHistogram(space="hsv", bins=(8, 4, 4)).fit_transform(image[None])[0]
    assert np.allclose(got, counts.ravel() / hsv.shape[0])


@settings(max_examples=40, deadline=None)
@given(arrays(np.uint8, (2, 6, 7, 3)), st.sampled_from(["hsv", "rgb"]),
       st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(1, 6)))
def test_histograms_are_fractions_blind_to_where_pixels_are(images, space, bins):
    hist = ColourHistogram(space=space, bins=bins)
    h = hist.fit_transform(images)
    assert h.shape == (2, bins[0] * bins[1] * bins[2])
    assert np.allclose(h.sum(axis=1), 1.0) and np.all(h >= 0)
    shuffled = images.reshape(2, -1, 3)[:, ::-1].reshape(images.shape)
    assert np.allclose(hist.transform(shuffled), h)
    assert np.allclose(hist.transform(images[:, :, ::-1]), h)  # flips change nothing


def test_histogram_bins_are_checked():
    for bad in [(0, 4, 4), (8, 4), (8.0, 4, 4), (300, 1, 1), (32, 32, 32)]:
        with pytest.raises(InputError, match="bins"):
            ColourHistogram(bins=bad).fit(IMAGES)
    with pytest.raises(InputError, match="space"):
        ColourHistogram(space="lab").fit(IMAGES)


# ---- HOG against scikit-image -------------------------------------------------------------
HOG_CASES = [((64, 64), 9, 8, 2, "L2-Hys"), ((37, 50), 7, 5, 3, "L1"),
             ((20, 20), 4, 4, 2, "L1-sqrt"), ((16, 24), 6, 3, 1, "L2"),
             ((33, 17), 12, 4, 4, "L2-Hys")]


@pytest.mark.parametrize(("shape", "orientations", "cell", "block", "norm"), HOG_CASES)
def test_hog_matches_skimage(shape, orientations, cell, block, norm):
    rng = np.random.default_rng(sum(shape))
    for image in (rng.random((*shape, 3)), rng.integers(0, 256, (*shape, 3)) / 255.0):
        expected = skimage_feature.hog(image, orientations=orientations,
                                       pixels_per_cell=(cell, cell),
                                       cells_per_block=(block, block), block_norm=norm,
                                       channel_axis=-1)
        got = hog_features(image[None], orientations=orientations, cell_size=cell,
                           block_size=block, block_norm=norm)[0]
        assert got.shape == expected.shape
        # scikit-image sums each cell in single precision: agreement to ~1e-7
        assert np.max(np.abs(got - expected)) < 1e-6


def test_hog_transformer_scales_by_255_like_the_oracle_on_uint8():
    image = IMAGES[0]
    expected = skimage_feature.hog(image / 255.0, orientations=9, pixels_per_cell=(8, 8),
                                   cells_per_block=(2, 2), channel_axis=-1)
    got = HOG().fit_transform(image[None])[0]
    assert np.max(np.abs(got - expected)) < 1e-6


def test_hog_negative_controls_a_different_norm_or_orientation_count_fails_the_oracle():
    image = np.random.default_rng(3).random((32, 32, 3))
    expected = skimage_feature.hog(image, orientations=9, pixels_per_cell=(8, 8),
                                   cells_per_block=(2, 2), block_norm="L2-Hys", channel_axis=-1)
    wrong_norm = hog_features(image[None], block_norm="L2")[0]
    assert np.max(np.abs(wrong_norm - expected)) > 1e-3
    transposed = hog_features(image.transpose(1, 0, 2)[None])[0]  # rows and columns swapped
    assert np.max(np.abs(transposed - expected)) > 1e-3


def test_hog_needs_one_block():
    with pytest.raises(InputError, match="fewer than one block"):
        HOG(cell_size=16, block_size=3).fit(IMAGES)  # 32x40 images: 2x2 cells
    with pytest.raises(InputError, match="block_norm"):
        HOG(block_norm="max").fit(IMAGES)
    with pytest.raises(InputError, match="orientations"):
        HOG(orientations=0).fit(IMAGES)


def test_hog_sees_an_edge_where_it_is():
    im = np.zeros((1, 16, 16, 3), dtype=np.uint8)
    im[0, :, 8:] = 255  # vertical edge between columns 7 and 8: horizontal gradient
    f = HOG(orientations=4, cell_size=8, block_size=1).fit_transform(im)[0].reshape(2, 2, 4)
    assert np.all(np.argmax(f, axis=-1) == 0)  # 0 degrees everywhere there is gradient
    rotated = HOG(orientations=4, cell_size=8, block_size=1).fit_transform(
        im.transpose(0, 2, 1, 3))[0].reshape(2, 2, 4)
    assert np.all(np.argmax(rotated, axis=-1) == 2)  # 90 degrees


# ---- pixels, concatenation, standardisation --------------------------------------------
def test_raw_pixels_are_the_scale_preprocessor():
    assert np.array_equal(RawPixels().fit_transform(IMAGES),
                          Preprocessor(method="scale").fit_transform(IMAGES))


def test_concatenate_puts_parts_side_by_side_in_order():
    parts = (ColourHistogram(space="rgb", bins=(2, 2, 2)), HOG(cell_size=8))
    both = Concatenate(parts=parts).fit_transform(IMAGES)
    first = parts[0].fit_transform(IMAGES)
    second = parts[1].fit_transform(IMAGES)
    assert np.array_equal(both, np.hstack([first, second]))
    with pytest.raises(InputError, match="parts"):
        Concatenate(parts=()).fit(IMAGES)


def test_standardize_uses_training_statistics_only():
    train, other = IMAGES[:3], IMAGES[3:]
    std = Standardize(features=RawPixels()).fit(train)
    x = RawPixels().fit_transform(train)
    assert np.allclose(std.transform(train).mean(axis=0), 0, atol=1e-12)
    expected = (RawPixels().fit_transform(other) - x.mean(axis=0)) / np.where(
        x.std(axis=0) > 0, x.std(axis=0), 1)
    assert np.allclose(std.transform(other), expected)
    # negative control: refitting on the other images gives different features
    assert not np.allclose(Standardize(features=RawPixels()).fit(other).transform(other),
                           std.transform(other))


def test_transform_refuses_another_size_and_unfitted_use():
    hist = ColourHistogram().fit(IMAGES)
    with pytest.raises(DataError, match="32x40x3"):
        hist.transform(IMAGES[:, :20])
    with pytest.raises(NotFittedError, match="not fitted"):
        HOG().transform(IMAGES)
    with pytest.raises(DataError, match="0, 255"):
        RawPixels().fit(IMAGES.astype(float) * 2)
    with pytest.raises(DataError, match="NaN"):
        RawPixels().fit(np.full((1, 2, 2, 3), np.nan))
    with pytest.raises(DataError, match="shape"):
        RawPixels().fit(IMAGES[..., :1])


# ---- text form and state -----------------------------------------------------------------
@pytest.mark.parametrize("text", ["pixels", "hsv", "rgb:4x4x4", "hsv:8x4x4", "hog",
                                  "hog:6,4,3", "hsv:8x4x4+hog", "std(hsv:8x4x4 + hog:9,8,2)",
                                  "std(rgb:2x2x2+pixels)"])
def test_state_round_trip_reproduces_the_features(text):
    f = parse_features(text).fit(IMAGES)
    spec, arrays_ = f.to_state()
    assert all(a.dtype == np.float64 for a in arrays_.values())
    again = from_state(spec, arrays_)
    assert again.label == f.label
    assert np.array_equal(again.transform(IMAGES[::-1]), f.transform(IMAGES[::-1]))
    assert from_spec(spec) == parse_features(text)


@pytest.mark.parametrize(("text", "match"), [("sift", "unknown features"),
                                             ("hsv:8x4", "8x4x4"), ("hog:a,b", "integers"),
                                             ("hsv+", "empty part"), ("", "non-empty"),
                                             ("x" * 700, "short")])
def test_parse_features_names_the_bad_text(text, match):
    with pytest.raises(InputError, match=match):
        parse_features(text)


def test_from_state_checks_what_it_restores():
    f = parse_features("std(hsv:2x2x2)").fit(IMAGES)
    spec, arrays_ = f.to_state()
    with pytest.raises(InputError, match="mean"):
        from_state(spec, {"scale": arrays_["scale"]})
    with pytest.raises(InputError, match="scale"):
        from_state(spec, {**arrays_, "scale": -arrays_["scale"]})
    with pytest.raises(InputError, match="input_shape"):
        from_state({**spec, "input_shape": [3, 3]}, arrays_)
    with pytest.raises(InputError, match="unknown features"):
        from_spec({"name": "pickle", "params": {}})
    deep: dict = {"name": "hog", "params": {}}
    for _ in range(6):
        deep = {"name": "standardize", "params": {"features": deep}}
    with pytest.raises(InputError, match="deeper"):
        from_spec(deep)


def test_params_are_stored_as_given():
    h = HOG(orientations=6, cell_size=4)
    assert h.get_params() == {"orientations": 6, "cell_size": 4, "block_size": 2,
                              "block_norm": "L2-Hys", "image_shape": None}
    assert h.set_params(block_size=3).block_size == 3
    with pytest.raises(InputError, match="no hyperparameter 'sigma'"):
        h.set_params(sigma=1)


def test_specs_keep_the_format_model_files_were_written_in():
    # image_shape is left out unless it is set, so a spec is what it was before it existed
    spec = parse_features("std(hsv:8x4x4 + hog:9,8,2)").spec()
    assert spec == {"name": "standardize", "params": {"features": {
        "name": "concatenate", "params": {"parts": [
            {"name": "colour-histogram", "params": {"space": "hsv", "bins": [8, 4, 4]}},
            {"name": "hog", "params": {"orientations": 9, "cell_size": 8, "block_size": 2,
                                       "block_norm": "L2-Hys"}}]}}}}
    assert from_spec(spec) == parse_features("std(hsv:8x4x4 + hog:9,8,2)")
    flat = HOG(cell_size=4, image_shape=(32, 40, 3)).fit(IMAGES.reshape(5, -1))
    spec, arrays_ = flat.to_state()
    assert spec["params"]["image_shape"] == [32, 40, 3]
    again = from_state(spec, arrays_)
    assert again.image_shape == (32, 40, 3) and again == flat
    assert np.array_equal(again.transform(IMAGES.reshape(5, -1)), flat.transform(IMAGES))
    with pytest.raises(InputError, match="image_shape=\\(32, 40\\) is invalid"):
        from_spec({"name": "hog", "params": {"image_shape": [32, 40]}})


def test_hyperparameters_are_checked_in_fit_naming_parameter_and_value():
    with pytest.raises(InputError, match="HOG: cell_size=0 is invalid; it must be an integer "
                                         "in \\[1, 1024\\]") as info:
        HOG(cell_size=0).fit(IMAGES)
    assert info.value.parameter == "cell_size"
    with pytest.raises(InputError, match="features=None is invalid"):
        Standardize().fit(IMAGES)
    with pytest.raises(InputError, match="HOG: block_norm='max' is invalid"):  # nested too
        Standardize(features=Concatenate(parts=(HOG(block_norm="max"),))).fit(IMAGES)
    HOG(cell_size=0)  # construction never checks (scikit-learn's convention)
