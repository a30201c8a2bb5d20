"""Photos (JPEG, PNG, ...) as model input, through Pillow (the ``image`` extra).

Each photo is turned upright (EXIF orientation), converted to RGB and resized
to the size the model was trained on, giving the same uint8 (h, w, 3) layout
as the HDF5 data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from probkit._paths import existing_file
from probkit.errors import DataError, MissingExtraError


def load_photos(
    paths: Sequence[str | os.PathLike[str]], size: tuple[int, int]
) -> NDArray[np.uint8]:
    """Read photos and resize them to ``size = (height, width)``.

    Returns
    -------
    ndarray of shape (len(paths), height, width, 3), uint8

    Raises
    ------
    MissingExtraError
        If Pillow is not installed.
    DataError
        If a file is missing or is not an image Pillow can read.
    """
    try:
        from PIL import Image, ImageOps, UnidentifiedImageError
    except ImportError:
        raise MissingExtraError("image", "Pillow", "reading photos (JPEG/PNG)") from None
    height, width = size
    out = np.empty((len(paths), height, width, 3), dtype=np.uint8)
    for i, path in enumerate(paths):
        p = existing_file(path, what="image file", error=DataError)
        try:
            with Image.open(p) as img:
                upright = ImageOps.exif_transpose(img) or img
                rgb = upright.convert("RGB")
                resized = rgb.resize((width, height), Image.Resampling.LANCZOS)
                out[i] = np.asarray(resized, dtype=np.uint8)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
            raise DataError(f"image file {p} cannot be read as an image: {exc}") from None
    return out


__all__ = ["load_photos"]
