"""Images for measuring the photograph-or-not flag: screenshots and pages rendered with
Pillow, scikit-image's and scikit-learn's bundled images, and random crops of the colour
photographs among them. Everything is made here or read from the installed packages (no
cat data). Images are 64x64 uint8 RGB, made as ``probkit predict`` makes them from a file:
centre square crop, then Lanczos resampling (``probkit.classifier.data.images``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SIZE = 64

#: scikit-image's colour photographs of ordinary scenes (``cat`` is ``chelsea``)
SKIMAGE_PHOTOS = ("chelsea", "astronaut", "coffee", "rocket", "stereo_motorcycle")
#: scikit-image's images that are not colour photographs of scenes
SKIMAGE_NON_PHOTOS = ("camera", "coins", "page", "text", "hubble_deep_field", "moon", "brick",
                      "immunohistochemistry", "cell", "grass", "gravel", "clock",
                      "microaneurysms", "checkerboard", "colorwheel", "logo")
#: the screenshot layouts of :func:`screenshot`
LAYOUTS = ("editor", "web", "terminal", "spreadsheet", "dialog")


def square64(image: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Centre square crop, Lanczos to ``size`` x ``size``, as RGB uint8."""
    from PIL import Image

    array = np.asarray(image)
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    elif array.dtype != np.uint8:
        array = np.clip(np.asarray(array, dtype=np.float64) * 255, 0, 255).astype(np.uint8)
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    if array.shape[-1] == 4:  # on white, as probkit reads transparent files
        alpha = array[..., 3:4].astype(np.float64) / 255
        array = (array[..., :3] * alpha + 255 * (1 - alpha)).round().astype(np.uint8)
    h, w = array.shape[:2]
    s = min(h, w)
    crop = np.ascontiguousarray(array[(h - s) // 2:(h - s) // 2 + s,
                                      (w - s) // 2:(w - s) // 2 + s, :3])
    return np.asarray(Image.fromarray(crop).resize((size, size), Image.Resampling.LANCZOS))


def skimage_image(name: str) -> np.ndarray:
    """A scikit-image sample image at 64x64 (the first of a stereo pair)."""
    import skimage.data

    image = getattr(skimage.data, name)()
    if isinstance(image, tuple):
        image = image[0]
    return square64(image)


def full_size_photos() -> dict[str, np.ndarray]:
    """The colour photographs of scenes bundled with scikit-image and scikit-learn, at their
    own size: scikit-image's :data:`SKIMAGE_PHOTOS` (both motorcycle views) and
    scikit-learn's ``china`` and ``flower``."""
    import skimage.data
    from sklearn.datasets import load_sample_images

    photos = {n: getattr(skimage.data, n)() for n in SKIMAGE_PHOTOS if n != "stereo_motorcycle"}
    left, right, _ = skimage.data.stereo_motorcycle()
    photos["motorcycle_left"], photos["motorcycle_right"] = left, right
    sample = load_sample_images()
    for name, image in zip(("china", "flower"), sample.images, strict=True):
        photos[name] = image
    return photos


def photo_crops(per_photo: int, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """``per_photo`` random square crops of each of :func:`full_size_photos` (side 35-100%
    of the shorter edge, anywhere, mirrored half the time), resampled to 64x64, with the
    photo's name per crop."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    out, names = [], []
    for name, photo in full_size_photos().items():
        h, w = photo.shape[:2]
        for _ in range(per_photo):
            s = int(rng.uniform(0.35, 1.0) * min(h, w))
            top, left = rng.integers(0, h - s + 1), rng.integers(0, w - s + 1)
            crop = np.ascontiguousarray(photo[top:top + s, left:left + s, :3])
            if rng.random() < 0.5:
                crop = np.ascontiguousarray(crop[:, ::-1])
            out.append(np.asarray(Image.fromarray(crop).resize((SIZE, SIZE),
                                                               Image.Resampling.LANCZOS)))
            names.append(name)
    return np.stack(out), names


# ---------------------------------------------------------------- rendered screens

def _words(rng: np.random.Generator, n: int) -> str:
    vocabulary = ("the", "model", "image", "return", "value", "total", "file", "data", "cat",
                  "print", "self", "index", "open", "result", "error", "import", "for", "in",
                  "def", "class", "42", "0.93", "2026", "name", "list", "page", "next")
    return " ".join(rng.choice(vocabulary, size=n))


def _font(size: int) -> object:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _editor(draw: object, w: int, h: int, rng: np.random.Generator, d: Callable) -> None:
    draw.rectangle((0, 0, w, 28), fill=(60, 63, 65))
    draw.text((10, 6), "main.py - editor", fill=(220, 220, 220), font=d(14))
    draw.rectangle((0, 28, 44, h), fill=(235, 235, 235))
    colours = [(0, 0, 0), (0, 0, 160), (160, 0, 120), (0, 120, 0), (170, 80, 0)]
    size = int(rng.integers(11, 17))
    for i, y in enumerate(range(34, h - 10, size + 4)):
        draw.text((6, y), f"{i + 1:3d}", fill=(130, 130, 130), font=d(size))
        indent = 52 + 16 * int(rng.integers(0, 4))
        draw.text((indent, y), _words(rng, int(rng.integers(2, 8))),
                  fill=colours[int(rng.integers(len(colours)))], font=d(size))


def _web(draw: object, w: int, h: int, rng: np.random.Generator, d: Callable) -> None:
    header = tuple(int(c) for c in rng.integers(20, 200, 3))
    draw.rectangle((0, 0, w, 70), fill=header)
    draw.text((20, 20), "Example Shop", fill="white", font=d(26))
    for i in range(4):
        draw.text((w - 420 + 100 * i, 28), _words(rng, 1), fill="white", font=d(16))
    draw.text((40, 100), _words(rng, 4).title(), fill=(30, 30, 30), font=d(28))
    y = 150
    while y < h - 120:
        draw.text((40, y), _words(rng, 12), fill=(60, 60, 60), font=d(15))
        y += 22
    button = tuple(int(c) for c in rng.integers(0, 230, 3))
    for i in range(2):
        x = 40 + 180 * i
        draw.rounded_rectangle((x, h - 90, x + 150, h - 50), radius=8,
                               fill=button if i == 0 else (230, 230, 230))
        draw.text((x + 30, h - 80), "Buy now" if i == 0 else "Cancel",
                  fill="white" if i == 0 else "black", font=d(16))
    draw.rectangle((w - 260, 100, w - 40, 300), fill=(200, 210, 220), outline=(150, 150, 150))


def _terminal(draw: object, w: int, h: int, rng: np.random.Generator, d: Callable) -> None:
    draw.rectangle((0, 0, w, h), fill=(12, 12, 12) if rng.random() < 0.5 else (30, 10, 36))
    draw.rectangle((0, 0, w, 24), fill=(200, 200, 200))
    size = int(rng.integers(11, 16))
    for y in range(30, h - 10, size + 3):
        prompt = rng.random() < 0.3
        draw.text((6, y), ("$ " if prompt else "") + _words(rng, int(rng.integers(1, 9))),
                  fill=(80, 220, 80) if prompt else (210, 210, 210), font=d(size))


def _spreadsheet(draw: object, w: int, h: int, rng: np.random.Generator, d: Callable) -> None:
    draw.rectangle((0, 0, w, 60), fill=(33, 115, 70))
    draw.rectangle((0, 60, w, 84), fill=(240, 240, 240))
    cell_w, cell_h = int(rng.integers(70, 110)), int(rng.integers(20, 26))
    for x in range(40, w, cell_w):
        draw.line((x, 84, x, h), fill=(200, 200, 200))
    for row, y in enumerate(range(84, h, cell_h)):
        draw.line((0, y, w, y), fill=(200, 200, 200))
        draw.text((8, y + 4), str(row + 1), fill=(90, 90, 90), font=d(12))
        for x in range(40, w - cell_w, cell_w):
            if rng.random() < 0.6:
                draw.text((x + 6, y + 4), f"{rng.uniform(0, 1000):.2f}", fill="black",
                          font=d(12))
    x, y = 40 + cell_w * 2, 84 + cell_h * 3
    draw.rectangle((x, y, x + cell_w, y + cell_h), outline=(33, 115, 70), width=2)


def _dialog(draw: object, w: int, h: int, rng: np.random.Generator, d: Callable) -> None:
    desktop = tuple(int(c) for c in rng.integers(0, 256, 3))
    draw.rectangle((0, 0, w, h), fill=desktop)
    x0, y0, x1, y1 = w // 5, h // 4, 4 * w // 5, 3 * h // 4
    draw.rectangle((x0, y0, x1, y1), fill=(240, 240, 240), outline=(100, 100, 100))
    draw.rectangle((x0, y0, x1, y0 + 30), fill=(0, 90, 180))
    draw.text((x0 + 10, y0 + 7), "Save changes?", fill="white", font=d(15))
    draw.ellipse((x0 + 20, y0 + 55, x0 + 60, y0 + 95), fill=(250, 200, 0))
    draw.text((x0 + 36, y0 + 62), "!", fill="black", font=d(22))
    for i, y in enumerate(range(y0 + 55, y1 - 70, 22)):
        draw.text((x0 + 80, y), _words(rng, 6 + i % 3), fill="black", font=d(14))
    for i, label in enumerate(("Save", "Don't save", "Cancel")):
        bx = x1 - 330 + 110 * i
        draw.rectangle((bx, y1 - 50, bx + 95, y1 - 20), fill=(225, 225, 225),
                       outline=(0, 90, 180) if i == 0 else (150, 150, 150))
        draw.text((bx + 12, y1 - 43), label, fill="black", font=d(14))


_DRAW = {"editor": _editor, "web": _web, "terminal": _terminal, "spreadsheet": _spreadsheet,
         "dialog": _dialog}


def screenshot(layout: str, seed: int, *, monochrome: bool = False) -> np.ndarray:
    """A screen of one of :data:`LAYOUTS` (window 640-1024 px wide, 4:3 to 16:10), drawn
    with Pillow's default font, at 64x64; ``monochrome`` converts it to grey first."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    w = int(rng.integers(640, 1025))
    h = int(w / rng.choice([4 / 3, 16 / 10]))
    screen = Image.new("RGB", (w, h), "white")
    _DRAW[layout](ImageDraw.Draw(screen), w, h, rng, _font)
    if monochrome:
        screen = screen.convert("L").convert("RGB")
    return square64(np.asarray(screen))


def screenshots(per_layout: int = 4, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """``per_layout`` screens of each layout, half in colour and half monochrome."""
    out, names = [], []
    for i, layout in enumerate(LAYOUTS):
        for j in range(per_layout):
            mono = j % 2 == 1
            out.append(screenshot(layout, seed + 100 * i + j, monochrome=mono))
            names.append(f"{layout}{' (mono)' if mono else ''}")
    return np.stack(out), names


def text_page(seed: int, *, size: int = 600) -> np.ndarray:
    """A printed page: dark text in paragraphs on off-white paper, at 64x64."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    paper = tuple(int(c) for c in 255 - rng.integers(0, 20, 3))
    page = Image.new("RGB", (size, int(size * 1.3)), paper)
    draw = ImageDraw.Draw(page)
    y, font_size = 40, int(rng.integers(12, 20))
    while y < page.height - 40:
        if rng.random() < 0.12:
            y += font_size
            continue
        draw.text((40, y), _words(rng, int(rng.integers(6, 11))), fill=(20, 20, 20),
                  font=_font(font_size))
        y += font_size + 6
    return square64(np.asarray(page))
