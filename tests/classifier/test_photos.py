"""Photos read right and never silently misread.

Every Pillow mode is either converted by its meaning or refused by name. Each
conversion is checked against the same photo stored as 8-bit RGB: the model's
P(cat) must agree within 1e-3 (and here the pixels agree exactly or within one
level). Negative controls show that the old readings fail the same check.
"""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest

from probkit.classifier.data.datasets import make_synthetic
from probkit.classifier.models import LogisticRegression
from probkit.classifier.pipeline import Classifier
from probkit.errors import DataError, InputError

Image = pytest.importorskip("PIL.Image")

from probkit.classifier.data.images import FITS, read_photo, to_rgb8  # noqa: E402

SIZE = 16


@pytest.fixture(scope="module")
def model() -> Classifier:
    clf = Classifier(estimator=LogisticRegression(solver="lbfgs", max_iter=40, l2=0.1))
    return clf.fit(make_synthetic(40, size=SIZE, seed=3))


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A 16x16 'cat' from the synthetic data (the model calls it confidently)."""
    data = make_synthetic(40, size=SIZE, seed=11)
    return data.images[int(np.argmax(data.labels))]


def _p_cat(model: Classifier, pixels: np.ndarray) -> float:
    return float(model.predict_proba(pixels[None])[0, 1])


def _png16(path: Path, values: np.ndarray) -> None:
    """Write a 16-bit PNG (grey, grey+alpha, RGB or RGBA), which Pillow cannot write."""
    h, w, c = values.shape
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    raw = b"".join(b"\x00" + values[y].astype(">u2").tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", w, h, 16, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _grey(rgb: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(rgb).convert("L"))


def _on_white(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    a = alpha[..., None].astype(np.float64) / 255
    return np.clip(np.rint(rgb * a + 255 * (1 - a)), 0, 255).astype(np.uint8)


def _alpha() -> np.ndarray:
    return np.tile(np.linspace(0, 255, SIZE).astype(np.uint8), (SIZE, 1))


def _variant(name: str, rgb: np.ndarray, d: Path) -> tuple[Path, np.ndarray]:
    """A file holding ``rgb`` in one mode, and the same photo as 8-bit RGB."""
    grey = _grey(rgb)
    grey3 = np.repeat(grey[..., None], 3, axis=2)
    path = d / f"{name}.{'tif' if name in ('float', 'cmyk', 'bilevel') else 'png'}"
    if name == "grey16":
        _png16(path, grey[..., None].astype(np.uint16) * 257)
        return path, grey3
    if name == "rgb16":
        _png16(path, rgb.astype(np.uint16) * 257)
        return path, rgb
    if name == "rgba16":
        _png16(path, np.dstack([rgb, _alpha()]).astype(np.uint16) * 257)
        return path, _on_white(rgb, _alpha())
    if name == "greyalpha16":
        _png16(path, np.dstack([grey, _alpha()]).astype(np.uint16) * 257)
        return path, _on_white(grey3, _alpha())
    if name == "float":
        Image.fromarray(grey.astype(np.float32) / 255).save(path)
        return path, grey3
    if name == "grey8":
        Image.fromarray(grey).save(path)
        return path, grey3
    if name == "bilevel":
        one = Image.fromarray(grey).convert("1")
        one.save(path)
        return path, np.asarray(one.convert("RGB"))
    if name == "palette":
        pal = Image.fromarray(rgb).quantize(32, dither=Image.Dither.NONE)
        pal.save(path)
        return path, np.asarray(pal.convert("RGB"))
    if name == "palette-transparent":
        pal = Image.fromarray(rgb).quantize(32, dither=Image.Dither.NONE)
        index = int(np.asarray(pal)[0, 0])
        pal.save(path, transparency=index)
        ref = np.asarray(pal.convert("RGB")).copy()
        ref[np.asarray(pal) == index] = 255
        return path, ref
    if name == "rgba":
        Image.fromarray(np.dstack([rgb, _alpha()])).save(path)
        return path, _on_white(rgb, _alpha())
    if name == "greyalpha":
        Image.fromarray(np.dstack([grey, _alpha()]), mode="LA").save(path)
        return path, _on_white(grey3, _alpha())
    if name == "cmyk":
        Image.fromarray(rgb).convert("CMYK").save(path)
        return path, rgb
    if name.startswith("exif"):
        orientation = int(name[4:])
        stored = {3: np.rot90(rgb, 2), 6: np.rot90(rgb, 1), 8: np.rot90(rgb, -1)}[orientation]
        exif = Image.Exif()
        exif[0x0112] = orientation
        Image.fromarray(np.ascontiguousarray(stored)).save(path, exif=exif)
        return path, rgb
    raise AssertionError(name)


VARIANTS = ["grey16", "rgb16", "rgba16", "greyalpha16", "float", "grey8", "bilevel",
            "palette", "palette-transparent", "rgba", "greyalpha", "cmyk", "exif3", "exif6",
            "exif8"]


@pytest.mark.parametrize("name", VARIANTS)
def test_each_mode_reads_as_the_same_photo_in_8_bit_rgb(tmp_path, model, photo, name) -> None:
    path, reference = _variant(name, photo, tmp_path)
    rgb_file = tmp_path / "reference.png"
    Image.fromarray(reference).save(rgb_file)
    read = read_photo(path, (SIZE, SIZE))
    same = read_photo(rgb_file, (SIZE, SIZE))
    assert np.abs(read.pixels.astype(int) - same.pixels.astype(int)).max() <= 1
    assert abs(_p_cat(model, read.pixels) - _p_cat(model, same.pixels)) < 1e-3
    assert read.steps and read.summary != "used as stored"  # the output says what was done
    assert same.steps == ("used as stored",)


def test_negative_controls_the_old_readings_fail_the_check(tmp_path, model, photo) -> None:
    """Pillow's plain convert("RGB") read 16-bit grey as all white and floats as black."""
    for name in ("grey16", "float"):
        path, reference = _variant(name, photo, tmp_path)
        with Image.open(path) as img:
            naive = np.asarray(img.convert("RGB"))
        assert naive.min() == 255 or naive.max() <= 1
        assert abs(_p_cat(model, naive) - _p_cat(model, reference)) > 1e-3


def test_steps_name_what_was_done(tmp_path, photo) -> None:
    path, _ = _variant("grey16", photo, tmp_path)
    assert read_photo(path, (SIZE, SIZE)).steps == (
        "16-bit greyscale scaled to 8 bits (65535 -> 255)",)
    path, _ = _variant("exif6", photo, tmp_path)
    assert read_photo(path, (8, 8)).steps == ("turned upright (EXIF orientation)",
                                             f"resized {SIZE}x{SIZE} to 8x8")
    assert read_photo(path, (8, 8)).to_dict()["mode"] == "RGB"


@pytest.mark.parametrize(("values", "match"), [
    (np.full((4, 4), 255.0, np.float32), r"float greyscale values span \[255, 255\]"),
    (np.full((4, 4), -0.5, np.float32), r"span \[-0.5, -0.5\]"),
    (np.array([[0.5, np.nan]], np.float32), "nan or inf"),
    (np.full((4, 4), 7, np.int32), "32-bit integer greyscale"),
])
def test_modes_that_cannot_be_read_without_guessing_are_refused_by_name(tmp_path, values,
                                                                         match) -> None:
    path = tmp_path / "odd.tif"
    Image.fromarray(values).save(path)
    with pytest.raises(DataError, match=match) as info:
        read_photo(path, (SIZE, SIZE))
    assert "odd.tif" in str(info.value)


def test_an_unknown_mode_is_refused_by_name() -> None:
    class Strange:
        mode = "XYZ;9"
        format = "TIFF"
        info: dict[str, object] = {}

    with pytest.raises(DataError, match="mode 'XYZ;9' is not supported"):
        to_rgb8(Strange(), "strange.tif")


# ---------------------------------------------------------------- non-square photos


def test_crop_is_the_default_and_keeps_the_centre(tmp_path, model, photo) -> None:
    rng = np.random.default_rng(0)
    wide = np.concatenate([rng.integers(0, 256, (SIZE, 6, 3), dtype=np.uint8), photo,
                           rng.integers(0, 256, (SIZE, 6, 3), dtype=np.uint8)], axis=1)
    path = tmp_path / "wide.png"
    Image.fromarray(wide).save(path)
    read = read_photo(path, (SIZE, SIZE))
    np.testing.assert_array_equal(read.pixels, photo)
    assert read.steps == (f"centre-cropped {SIZE + 12}x{SIZE} to {SIZE}x{SIZE}",)
    tall = tmp_path / "tall.png"
    Image.fromarray(np.ascontiguousarray(wide.transpose(1, 0, 2))).save(tall)
    np.testing.assert_array_equal(read_photo(tall, (SIZE, SIZE)).pixels,
                                  photo.transpose(1, 0, 2))


def test_pad_fills_with_white(tmp_path, photo) -> None:
    framed = photo.copy()
    framed[:4] = 255
    framed[-4:] = 255
    path = tmp_path / "band.png"
    Image.fromarray(np.ascontiguousarray(framed[4:-4])).save(path)
    read = read_photo(path, (SIZE, SIZE), fit="pad")
    np.testing.assert_array_equal(read.pixels, framed)
    assert read.steps == (f"padded {SIZE}x{SIZE - 8} with white to {SIZE}x{SIZE}",)


def test_squash_stretches_and_says_so(tmp_path, photo) -> None:
    path = tmp_path / "wide.png"
    wide = np.repeat(photo, 2, axis=1)
    Image.fromarray(wide).save(path)
    read = read_photo(path, (SIZE, SIZE), fit="squash")
    expected = Image.fromarray(wide).resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    np.testing.assert_array_equal(read.pixels, np.asarray(expected))
    assert read.steps[0] == f"squashed {2 * SIZE}x{SIZE} to the model's {SIZE}x{SIZE} shape"
    crop = read_photo(path, (SIZE, SIZE))  # negative control: the default differs
    assert not np.array_equal(crop.pixels, read.pixels)


def test_fit_must_be_known(tmp_path, photo) -> None:
    path = tmp_path / "p.png"
    Image.fromarray(photo).save(path)
    assert FITS == ("crop", "pad", "squash")
    with pytest.raises(InputError, match="fit must be one of crop, pad, squash"):
        read_photo(path, (SIZE, SIZE), fit="stretch")


# ---------------------------------------------------------------- large and odd files


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A few hundred bytes claiming a huge greyscale image (its pixel data cut short)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_decompression_bombs_never_leak_a_raw_warning(tmp_path) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    huge = tmp_path / "huge.png"
    _png_header_only(huge, 20_000, 2 * limit // 20_000 + 10)  # beyond twice the limit
    big = tmp_path / "big.png"
    _png_header_only(big, 20_000, limit // 20_000 + 10)  # beyond the limit: a warning
    with warnings.catch_warnings(record=True) as leaked:
        warnings.simplefilter("always")
        with pytest.raises(DataError, match="huge.png is too large to read safely"):
            read_photo(huge, (SIZE, SIZE))
        with pytest.raises(DataError, match="big.png cannot be read"):  # no pixel data
            read_photo(big, (SIZE, SIZE))
    assert leaked == []


def test_an_animation_uses_its_first_frame_and_says_so(tmp_path, photo) -> None:
    path = tmp_path / "anim.gif"
    frames = [Image.fromarray(photo), Image.fromarray(255 - photo)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    read = read_photo(path, (SIZE, SIZE))
    assert read.warnings == (f"{path} has 2 frames; only the first is used",)


@pytest.mark.parametrize("mode", ["YCbCr", "HSV", "LAB", "RGBX", "RGBa", "CMYK", "PA", "La"])
def test_modes_without_a_common_file_format_convert_back_to_the_photo(model, photo,
                                                                      mode) -> None:
    """Modes Pillow makes in memory (or in rarer formats), converted back to 8-bit RGB."""
    source = Image.fromarray(photo)
    if mode == "PA":
        img = source.quantize(256, dither=Image.Dither.NONE).convert("PA")
        reference = np.asarray(source.quantize(256, dither=Image.Dither.NONE).convert("RGB"))
    elif mode == "La":
        img = source.convert("LA").convert("La")
        reference = np.repeat(_grey(photo)[..., None], 3, axis=2)
    else:
        img = source.convert(mode)
        reference = photo
    rgb, steps = to_rgb8(img, "memory")
    pixels = np.asarray(rgb)
    assert pixels.shape == photo.shape and pixels.dtype == np.uint8 and steps
    # 8-bit HSV and L*a*b* round a colour by a few levels, YCbCr and premultiplying by less
    tolerance = 8 if mode in ("HSV", "LAB") else 4
    assert np.abs(pixels.astype(int) - reference.astype(int)).max() <= tolerance
    assert abs(_p_cat(model, pixels) - _p_cat(model, reference)) < 1e-3


@pytest.mark.parametrize("orientation", [0, 9, 99, 65535])
def test_an_invalid_exif_orientation_is_reported_as_ignored(tmp_path, photo,
                                                            orientation) -> None:
    """Only 2..8 turn a photo; 99 used to be reported as "turned upright" though nothing
    was rotated."""
    rgb = photo
    path = tmp_path / f"odd{orientation}.png"
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(np.ascontiguousarray(rgb)).save(path, exif=exif)
    plain = tmp_path / "plain.png"
    Image.fromarray(np.ascontiguousarray(rgb)).save(plain)
    read = read_photo(path, (SIZE, SIZE))
    assert np.array_equal(read.pixels, read_photo(plain, (SIZE, SIZE)).pixels)  # not turned
    assert not any("turned" in step for step in read.steps)
    if orientation == 0:  # 0 is sometimes written for "unknown": nothing to say
        assert read.steps == ("used as stored",)
    else:
        assert read.steps == (f"EXIF orientation {orientation} is not a valid orientation "
                              "(1..8): ignored, used as stored",)
