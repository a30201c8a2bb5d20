"""Images unlike any cat-vs-non-cat photo, for the out-of-distribution tests: uniform
colours, random noise, and black text on a white page (drawn with Pillow)."""

from __future__ import annotations

import numpy as np

UNIFORM_COLOURS = ((128, 128, 128), (0, 0, 0), (255, 255, 255), (200, 30, 30), (30, 160, 40),
                   (40, 60, 200), (240, 220, 60), (120, 80, 40))
TEXTS = ("The quick brown fox jumps over the lazy dog.", "Invoice no. 2291 - total 41.90 EUR",
         "lorem ipsum dolor sit amet", "P(cat | image) = 0.93", "CHAPTER ONE",
         "def f(x): return x * 2")


def uniform_images(size: int = 64) -> np.ndarray:
    """One flat image per colour of :data:`UNIFORM_COLOURS`."""
    return np.stack([np.full((size, size, 3), c, dtype=np.uint8) for c in UNIFORM_COLOURS])


def noise_images(n: int = 8, size: int = 64, seed: int = 0) -> np.ndarray:
    """Independent uniform RGB noise (half of it at full range, half greyscale)."""
    rng = np.random.default_rng(seed)
    colour = rng.integers(0, 256, (n - n // 2, size, size, 3), dtype=np.uint8)
    grey = np.repeat(rng.integers(0, 256, (n // 2, size, size, 1), dtype=np.uint8), 3, axis=-1)
    return np.concatenate([colour, grey])


def text_images(size: int = 64) -> np.ndarray:
    """Black text wrapped on a white page, one image per line of :data:`TEXTS`."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default()
    out = []
    for text in TEXTS:
        page = Image.new("RGB", (size, size), "white")
        draw = ImageDraw.Draw(page)
        words, lines, line = text.split(), [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) > size - 4 and line:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
        for i, row in enumerate(lines * 3):  # fill the page
            draw.text((2, 2 + 11 * i), row, fill="black", font=font)
        out.append(np.asarray(page, dtype=np.uint8))
    return np.stack(out)
