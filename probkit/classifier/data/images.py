"""Photos (JPEG, PNG, TIFF, ...) as model input, through Pillow (the ``image`` extra).

Each photo becomes the uint8 (height, width, 3) RGB layout of the HDF5 data in
four steps, each recorded in words on the :class:`Photo` it returns:

1. **upright**: the EXIF orientation is applied;
2. **8-bit RGB**: every Pillow mode is converted by its meaning, or refused by
   name (:data:`MODES` lists them). 16-bit images are scaled (65535 -> 255),
   float images must lie in [0, 1] (1 is white) and are scaled, palette and
   transparent images are composited on white, CMYK and YCbCr are converted by
   Pillow's formulas; the first frame of an animation is used;
3. **fit**: a photo whose shape differs from the model's input is centre-cropped
   to the input's aspect ratio (``fit="crop"``, the default), padded with white
   to it (``"pad"``), or stretched (``"squash"``);
4. **resize**: Lanczos resampling to the model's input size.

Very large images: above Pillow's limit of :data:`PIL.Image.MAX_IMAGE_PIXELS`
pixels a photo is still read but its :attr:`Photo.warnings` says so; above twice
the limit it is refused (Pillow's guard against decompression bombs). Pillow's
own warning never reaches the terminal raw.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit._paths import existing_file
from probkit.errors import DataError, InputError, MissingExtraError

FITS = ("crop", "pad", "squash")
"""How a photo of another shape is fitted to the model's input (see the module docstring)."""

MODES: dict[str, str] = {
    "1": "black-and-white",
    "L": "8-bit greyscale",
    "LA": "8-bit greyscale with transparency",
    "La": "8-bit greyscale with premultiplied transparency",
    "P": "palette",
    "PA": "palette with transparency",
    "RGB": "8-bit RGB",
    "RGBA": "8-bit RGB with transparency",
    "RGBa": "8-bit RGB with premultiplied transparency",
    "RGBX": "8-bit RGB with padding",
    "CMYK": "CMYK",
    "YCbCr": "YCbCr",
    "HSV": "HSV",
    "LAB": "CIE L*a*b*",
    "I;16": "16-bit greyscale",
    "I;16L": "16-bit greyscale",
    "I;16B": "16-bit greyscale",
    "I;16N": "16-bit greyscale",
    "I": "32-bit integer greyscale",
    "F": "32-bit float greyscale",
}
"""The Pillow modes probkit knows, by what they hold; any other mode is refused by name."""

_WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Photo:
    """One photo as the model sees it, and what was done to get there.

    Attributes
    ----------
    path : str
    pixels : ndarray of shape (height, width, 3), uint8
    mode : str
        The Pillow mode the file was stored in, e.g. ``"I;16"``.
    original_size : tuple of int
        (height, width) of the photo as stored, before turning it upright.
    steps : tuple of str
        What was done, in order, e.g. ``"16-bit greyscale scaled to 8 bits"``.
    warnings : tuple of str
        Things the user should know (a very large image, a multi-frame file).
    """

    path: str
    pixels: NDArray[np.uint8]
    mode: str
    original_size: tuple[int, int]
    steps: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The steps as one line: ``"16-bit greyscale scaled to 8 bits; resized ..."``."""
        return "; ".join(self.steps)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (without the pixels)."""
        h, w = self.original_size
        return {"file": self.path, "mode": self.mode, "original_size": [h, w],
                "steps": list(self.steps), "warnings": list(self.warnings)}


def _pillow() -> Any:
    try:
        import PIL.Image
    except ImportError:
        raise MissingExtraError("image", "Pillow", "reading photos (JPEG/PNG)") from None
    return PIL.Image


def _on_white(img: Any, Image: Any) -> Any:
    """An RGBA (or LA) image composited on a white background, as 8-bit RGB."""
    rgba = img.convert("RGBA")
    background = Image.new("RGBA", rgba.size, _WHITE + (255,))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _has_transparency(img: Any) -> bool:
    if img.mode in ("RGBA", "RGBa", "LA", "La", "PA"):
        return True
    return img.mode in ("P", "L", "RGB") and "transparency" in img.info


def _scaled(values: NDArray[Any], top: float) -> NDArray[np.uint8]:
    return np.clip(np.rint(values.astype(np.float64) * (255.0 / top)), 0, 255).astype(np.uint8)


def to_rgb8(img: Any, path: str, *, file_format: str | None = None) -> tuple[Any, list[str]]:
    """Convert a Pillow image of any known mode to 8-bit RGB; return it and the steps taken.

    Raises :class:`~probkit.errors.DataError` naming the mode when a mode is unknown or
    its values cannot be read without guessing (a float image outside [0, 1], a 32-bit
    integer image from a format without a fixed white level).
    """
    Image = _pillow()
    mode = img.mode
    file_format = file_format or img.format
    kind = MODES.get(mode)
    if kind is None:
        raise DataError(f"image file {path}: Pillow mode {mode!r} is not supported "
                        f"(supported: {', '.join(MODES)}); save the photo as 8-bit RGB")
    if mode == "RGB" and not _has_transparency(img):
        return img, []
    if mode.startswith("I;16") or (mode == "I" and file_format == "PNG"):
        array = np.asarray(img)
        if array.size and (array.min() < 0 or array.max() > 65535):
            raise DataError(f"image file {path}: {kind} values span [{array.min()}, "
                            f"{array.max()}], outside 0..65535")
        grey = Image.fromarray(_scaled(array, 65535.0), mode="L")
        return grey.convert("RGB"), [f"{MODES['I;16']} scaled to 8 bits (65535 -> 255)"]
    if mode == "I":
        raise DataError(f"image file {path}: {kind} (Pillow mode 'I') in a {file_format} file has "
                        "no fixed white level; save it as 8- or 16-bit")
    if mode == "F":
        array = np.asarray(img, dtype=np.float64)
        if not np.all(np.isfinite(array)):
            raise DataError(f"image file {path}: {kind} image holds nan or inf values")
        low, high = (float(array.min()), float(array.max())) if array.size else (0.0, 0.0)
        if low < 0.0 or high > 1.0:
            raise DataError(f"image file {path}: {kind} values span [{low:g}, {high:g}]; "
                            "probkit reads float images as 0..1 (1 = white)")
        grey = Image.fromarray(_scaled(array, 1.0), mode="L")
        return grey.convert("RGB"), [f"{kind} scaled from 0..1 to 8 bits"]
    if mode in ("La", "RGBa"):  # premultiplied: on white, each channel is c + (255 - alpha)
        array = np.asarray(img).astype(np.int64)
        colour = array[..., :-1] + (255 - array[..., -1:])
        rgb = np.repeat(colour, 3, axis=2) if mode == "La" else colour
        return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), mode="RGB"), [
            f"{kind}: transparency composited on white"]
    if _has_transparency(img):
        return _on_white(img, Image), [f"{kind}: transparency composited on white"]
    return img.convert("RGB"), [f"{kind} converted to RGB"]


def _fit(img: Any, size: tuple[int, int], fit: str, Image: Any) -> tuple[Any, list[str]]:
    """Crop, pad or leave ``img`` so that its aspect ratio is that of ``size``."""
    height, width = size
    w, h = img.size
    if w * height == h * width or fit == "squash":
        return img, [] if w * height == h * width else [f"squashed {w}x{h} to the model's "
                                                       f"{width}x{height} shape"]
    if fit == "crop":
        if w * height > h * width:  # too wide: keep the full height
            new_w, new_h = max(1, round(h * width / height)), h
        else:
            new_w, new_h = w, max(1, round(w * height / width))
        left, top = (w - new_w) // 2, (h - new_h) // 2
        return img.crop((left, top, left + new_w, top + new_h)), [
            f"centre-cropped {w}x{h} to {new_w}x{new_h}"]
    if w * height > h * width:
        new_w, new_h = w, max(1, round(w * height / width))
    else:
        new_w, new_h = max(1, round(h * width / height)), h
    canvas = Image.new("RGB", (new_w, new_h), _WHITE)
    canvas.paste(img, ((new_w - w) // 2, (new_h - h) // 2))
    return canvas, [f"padded {w}x{h} with white to {new_w}x{new_h}"]


def read_photo(path: str | os.PathLike[str], size: tuple[int, int], *,
               fit: str = "crop") -> Photo:
    """Read one photo for a model taking ``size = (height, width)`` RGB images.

    Raises
    ------
    MissingExtraError
        If Pillow is not installed.
    DataError
        If the file is missing, is not an image Pillow can read, is too large, or is
        in a mode that cannot be read without guessing (named in the message).
    InputError
        If ``fit`` is not one of :data:`FITS`.
    """
    if fit not in FITS:
        raise InputError(f"fit must be one of {', '.join(FITS)}; got {fit!r}")
    Image = _pillow()
    from PIL import ImageOps, UnidentifiedImageError

    p = existing_file(path, what="image file", error=DataError)
    height, width = size
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with Image.open(p) as img:
                mode, (w, h) = img.mode, img.size
                frames = int(getattr(img, "n_frames", 1))
                sixteen = mode in ("RGB", "RGBA", "LA") and _stored_in_16_bits(img)
                img.load()
                steps = _orientation_steps(img)
                upright = ImageOps.exif_transpose(img) or img
                rgb, converted = to_rgb8(upright, str(p), file_format=img.format)
                fitted, how = _fit(rgb, size, fit, Image)
                if sixteen:  # Pillow keeps the high byte of each sample: exact scaling
                    steps.append(f"16 bits per channel read as 8 ({mode})")
                steps += converted + how
                if fitted.size != (width, height):
                    steps.append(f"resized {fitted.size[0]}x{fitted.size[1]} to "
                                 f"{width}x{height}")
                    fitted = fitted.resize((width, height), Image.Resampling.LANCZOS)
                pixels = np.asarray(fitted, dtype=np.uint8).copy()
    except DataError:
        raise
    except Image.DecompressionBombError as exc:
        raise DataError(f"image file {p} is too large to read safely: {exc}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise DataError(f"image file {p} cannot be read as an image: {exc}") from None
    notes = []
    for warning in caught:  # Pillow's own warnings become notes, never raw output
        if issubclass(warning.category, Image.DecompressionBombWarning):
            notes.append(f"{p} is very large ({w}x{h} = {w * h:,} pixels); reading it "
                         "takes much memory and time")
        else:
            notes.append(f"{p}: {' '.join(str(warning.message).split())}")
    if frames > 1:
        notes.append(f"{p} has {frames} frames; only the first is used")
    return Photo(path=str(p), pixels=pixels, mode=mode, original_size=(h, w),
                 steps=tuple(steps) or ("used as stored",), warnings=tuple(notes))


def _stored_in_16_bits(img: Any) -> bool:
    """Whether Pillow will decode ``img`` (not yet loaded) from 16-bit samples."""
    for tile in getattr(img, "tile", None) or ():
        args = tile[3] if len(tile) > 3 else None
        for item in args if isinstance(args, tuple) else (args,):
            if isinstance(item, str) and ";16" in item:
                return True
    return False


#: the EXIF orientations that say how to turn the picture upright (1: it already is)
EXIF_TURNS = range(2, 9)


def _orientation_steps(img: Any) -> list[str]:
    """What the EXIF orientation of ``img`` makes :func:`~PIL.ImageOps.exif_transpose` do:
    nothing (none, or 1: normal), a turn (2..8), or nothing although a value is there (any
    other value is not an orientation; Pillow ignores it, and so does the note)."""
    try:
        value = img.getexif().get(0x0112)
    except (AttributeError, TypeError, ValueError):
        return []
    if value is None:
        return []
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number in EXIF_TURNS:
        return ["turned upright (EXIF orientation)"]
    if number in (0, 1):
        return []
    return [f"EXIF orientation {value!r} is not a valid orientation (1..8): ignored, "
            "used as stored"]


def read_photos(paths: Sequence[str | os.PathLike[str]], size: tuple[int, int], *,
                fit: str = "crop") -> list[Photo]:
    """:func:`read_photo` for each path, in order."""
    return [read_photo(path, size, fit=fit) for path in paths]


def load_photos(paths: Sequence[str | os.PathLike[str]], size: tuple[int, int], *,
                fit: str = "crop") -> NDArray[np.uint8]:
    """Read photos as one array of shape (len(paths), height, width, 3), uint8.

    See :func:`read_photo` for what is done to each photo and what is raised;
    :func:`read_photos` also returns those descriptions.
    """
    height, width = size
    out = np.empty((len(paths), height, width, 3), dtype=np.uint8)
    for i, photo in enumerate(read_photos(paths, size, fit=fit)):
        out[i] = photo.pixels
    return out


__all__ = ["FITS", "MODES", "Photo", "load_photos", "read_photo", "read_photos", "to_rgb8"]
