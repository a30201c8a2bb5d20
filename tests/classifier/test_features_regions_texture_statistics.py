"""The representations added for the default search: colour per region (SpatialColour),
uniform LBP texture (LocalBinaryPattern), the image statistics as features
(ImageStatistics), and the per-image feature cache a search uses -- each against a
hand-computed or independent oracle, with negative controls."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from probkit.classifier.features import (
    ColourHistogram,
    ImageStatistics,
    LocalBinaryPattern,
    SpatialColour,
    from_spec,
    from_state,
    parse_features,
)
from probkit.classifier.features.cache import feature_cache
from probkit.classifier.features.spatial import region_masks
from probkit.classifier.features.statistics import image_statistics
from probkit.classifier.features.texture import circle_offsets, grey_levels, uniform_codes
from probkit.errors import InputError

RNG = np.random.default_rng(20)
IMAGES = RNG.integers(0, 256, (4, 24, 28, 3), dtype=np.uint8)


# ---- uniform LBP --------------------------------------------------------------------------
def _codes_by_hand(grey: np.ndarray, r: int, c: int, radius: float) -> int:
    """One pixel's uniform code, written out point by point (bilinear sampling)."""
    bits = []
    for dr, dc in circle_offsets(radius):
        y, x = r + dr, c + dc
        y0, x0 = int(np.floor(y)), int(np.floor(x))
        y1, x1 = int(np.ceil(y)), int(np.ceil(x))
        fy, fx = y - y0, x - x0
        value = ((1 - fy) * ((1 - fx) * grey[y0, x0] + fx * grey[y0, x1])
                 + fy * ((1 - fx) * grey[y1, x0] + fx * grey[y1, x1]))
        bits.append(int(value >= grey[r, c]))
    changes = sum(bits[i] != bits[i - 1] for i in range(len(bits)))
    return sum(bits) if changes <= 2 else len(bits) + 1


def test_lbp_codes_of_hand_made_patterns():
    grey = np.zeros((1, 5, 5))
    grey[0, 2, 2] = 1.0  # a bright spot: no neighbour reaches it
    assert uniform_codes(grey, 1.0)[0, 1, 1] == 0
    grey = np.ones((1, 5, 5))
    grey[0, 2, 2] = 0.0  # a dark spot: every neighbour is above it
    assert uniform_codes(grey, 1.0)[0, 1, 1] == 8
    grey = np.zeros((1, 5, 5))
    grey[0, :, 2], grey[0, :, 3:] = 0.5, 1.0  # dark left, the centre's column grey, bright right
    # at least the centre: right (p0), up and down (p2, p6: equal), the two right diagonals
    # (0.293 * 0.5 + 0.707 * 1); below it: the left three. 5 ones in one run: code 5
    assert uniform_codes(grey, 1.0)[0, 1, 1] == 5
    grey = np.zeros((1, 5, 5))
    grey[0, 2, 2] = 0.5
    grey[0, 2, 3] = grey[0, 2, 1] = 1.0  # bright left and right only (diagonals read 0.25)
    assert uniform_codes(grey, 1.0)[0, 1, 1] == 9


@pytest.mark.parametrize("radius", [1.0, 2.0, 3.0])
def test_lbp_codes_match_a_pixel_by_pixel_computation(radius):
    grey = RNG.random((1, 11, 12))
    codes = uniform_codes(grey, radius)[0]
    m = int(np.ceil(radius))
    for r in range(m, 11 - m, 2):
        for c in range(m, 12 - m, 3):
            assert codes[r - m, c - m] == _codes_by_hand(grey[0], r, c, radius)


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_lbp_codes_match_skimage(radius):
    feature = pytest.importorskip("skimage.feature")
    grey = RNG.random((20, 23))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skimage warns about float images
        oracle = feature.local_binary_pattern(grey, 8, radius, method="uniform")
    ours = uniform_codes(grey[None], float(radius))[0]
    assert np.array_equal(ours, oracle[radius:-radius, radius:-radius])
    # negative control: skimage's rotation-variant "default" codes are not ours
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        other = feature.local_binary_pattern(grey, 8, radius, method="default")
    assert not np.array_equal(ours, other[radius:-radius, radius:-radius])


def test_lbp_histogram_is_the_share_of_each_code_per_radius():
    f = LocalBinaryPattern(radii=(1, 3)).fit(IMAGES)
    x = f.transform(IMAGES)
    assert x.shape == (4, 20) and f.label == "lbp r1,3"
    grey = grey_levels(IMAGES)
    for k, radius in enumerate((1, 3)):
        codes = uniform_codes(grey, float(radius))
        expected = np.stack([np.bincount(c.ravel(), minlength=10) / c.size for c in codes])
        np.testing.assert_allclose(x[:, 10 * k:10 * (k + 1)], expected, atol=1e-15)


def test_lbp_is_blind_to_brightness_and_sees_texture():
    smooth = np.tile(np.linspace(0, 255, 24).astype(np.uint8)[None, :, None], (24, 1, 3))
    noisy = RNG.integers(0, 256, (24, 24, 3), dtype=np.uint8)
    f = LocalBinaryPattern(radii=(1,)).fit(noisy[None])
    brighter = np.clip(noisy.astype(int) + 0, 0, 255).astype(np.uint8)
    x = f.transform(np.stack([smooth, noisy, brighter]))
    assert np.array_equal(x[1], x[2])
    # a ramp is all edges of one kind (4 or 5 ones); noise spreads over the codes
    assert x[0, 4] + x[0, 5] > 0.99 and x[1, 9] > 0.2 > x[0, 9]


def test_lbp_refuses_bad_radii_and_small_images():
    with pytest.raises(InputError, match="radii"):
        LocalBinaryPattern(radii=(2, 1)).fit(IMAGES)
    with pytest.raises(InputError, match="too small for radius 3"):
        LocalBinaryPattern(radii=(1, 3)).fit(IMAGES[:, :6, :6])


# ---- colour per region --------------------------------------------------------------------
def test_centre_and_border_histograms_by_hand():
    img = np.zeros((1, 8, 8, 3), dtype=np.uint8)
    img[0, 2:6, 2:6] = (255, 0, 0)  # a red centre (16 pixels) on black (48)
    img[0, 0, 0] = (255, 0, 0)  # one red pixel in the border
    x = SpatialColour(space="rgb", bins=(2, 1, 1)).fit_transform(img)[0]
    assert x.tolist() == [0.0, 1.0, 47 / 48, 1 / 48]


def test_grid_regions_are_histograms_of_each_region_in_row_order():
    x = SpatialColour(space="hsv", bins=(4, 2, 2), regions="3x3").fit_transform(IMAGES)
    hist = ColourHistogram(space="hsv", bins=(4, 2, 2)).fit(IMAGES[:, :8, :9])
    masks = region_masks(24, 28, "3x3")
    assert x.shape == (4, 9 * 16)
    # region 0 is rows 0..7, columns 0..8; region 8 rows 16..23, columns 18..27
    np.testing.assert_allclose(x[:, :16], hist.transform(IMAGES[:, :8, :9]))
    last = ColourHistogram(space="hsv", bins=(4, 2, 2)).fit(IMAGES[:, 16:, 18:])
    np.testing.assert_allclose(x[:, -16:], last.transform(IMAGES[:, 16:, 18:]))
    assert sum(int(m.sum()) for m in masks) == 24 * 28
    # negative control: a plain histogram of the whole image is not region 0's
    assert not np.allclose(x[:, :16], ColourHistogram(space="hsv", bins=(4, 2, 2))
                           .fit_transform(IMAGES))


def test_spatial_colour_text_form_and_refusals():
    assert parse_features("hsv:8x4x4@centre") == SpatialColour(bins=(8, 4, 4))
    assert parse_features("rgb@2x2") == SpatialColour(space="rgb", bins=(4, 4, 4),
                                                       regions="2x2")
    with pytest.raises(InputError, match="regions after @"):
        parse_features("hsv:8x4x4@left")
    with pytest.raises(InputError, match="too small"):
        SpatialColour(regions="3x3").fit(IMAGES[:, :2, :2])


# ---- image statistics as features -----------------------------------------------------------
def test_image_statistics_features_are_the_typicality_views_numbers():
    x = ImageStatistics().fit_transform(IMAGES)
    assert np.array_equal(x, image_statistics(IMAGES))
    assert parse_features("stats") == ImageStatistics()
    grey = np.repeat(IMAGES[..., :1], 3, axis=-1)
    assert np.all(ImageStatistics().fit_transform(grey)[:, 2:] == 0)  # no colour at all


# ---- text form, state, cache -----------------------------------------------------------------
@pytest.mark.parametrize("text", ["lbp", "lbp:1,2", "stats", "hsv:4x2x2@centre",
                                  "sqrt(rgb:2x2x2@2x2)",
                                  "std(sqrt(hsv:4x2x2@centre) + sqrt(lbp:1,2) + hog + stats)"])
def test_new_representations_round_trip_through_their_state(text):
    f = parse_features(text).fit(IMAGES)
    spec, arrays = f.to_state()
    again = from_state(spec, arrays)
    assert np.array_equal(again.transform(IMAGES[::-1]), f.transform(IMAGES[::-1]))
    assert from_spec(spec) == parse_features(text)


def test_the_cache_computes_each_image_once_and_changes_nothing():
    f = parse_features("std(sqrt(lbp:1,2) + hsv:4x2x2@centre)")
    plain = f.fit(IMAGES[:3]).transform(IMAGES)
    with feature_cache() as cache:
        g = parse_features("std(sqrt(lbp:1,2) + hsv:4x2x2@centre)")
        first = g.fit(IMAGES[:3]).transform(IMAGES)
        again = g.fit(IMAGES[1:]).transform(IMAGES)
    assert np.array_equal(first, plain)
    # two leaves, 4 distinct images each: computed once, every later row reused. Rows asked
    # for: the colour leaf 3 + 4 + 3 + 4; the LBP leaf twice on each fit (the root fits it
    # on the images, then the concatenation transforms them): 6 + 4 + 6 + 4
    assert cache.computed == 8 and cache.reused == 14 + 20 - 8
    assert not np.array_equal(again, first)  # the standardisation is refitted, not cached
    with feature_cache() as fresh:
        LocalBinaryPattern().fit(IMAGES).transform(IMAGES)
    assert fresh.computed == 4 and fresh is not cache


def test_text_form_errors_name_the_new_parts():
    with pytest.raises(InputError, match="lbp:RADIUS"):
        parse_features("lbp:a")
    with pytest.raises(InputError, match=r"lbp\[:R,R,...\] or stats"):
        parse_features("texture")
