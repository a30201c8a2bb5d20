"""Measure the photograph-or-not flag (docs/probabilities.md, "Photograph or not").

Run from the repository root with the real training file's folder:

    python docs/examples/photo_flag_rates.py /path/to/catvnoncat          # everything but test
    python docs/examples/photo_flag_rates.py /path/to/catvnoncat --test   # the test file too

Trains the default model (``probkit train`` without options) and reports how often its flag
fires on images that are not photographs (scikit-image's, screenshots and pages rendered
with Pillow, uniform images, noise), on colour photographs from elsewhere (scikit-image's and
scikit-learn's, and random crops of them) and on held-out training images, plain and
transformed (each fold's photo score fitted on the other four fifths). The images are made
by ``tests/photo_corpus.py``; nothing drawn from the cat data is written anywhere.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import photo_corpus as corpus  # noqa: E402
from ood_images import noise_images, uniform_images  # noqa: E402

from probkit import workflows  # noqa: E402
from probkit.classifier.data.datasets import load_dataset  # noqa: E402
from probkit.classifier.evaluation.metrics import wilson_interval  # noqa: E402
from probkit.classifier.evaluation.photo_typicality import PhotoTypicality  # noqa: E402
from probkit.classifier.features.photo_statistics import photo_statistics  # noqa: E402
from probkit.classifier.features.statistics import is_greyscale  # noqa: E402

FOLDS = 5
CROPS_PER_PHOTO = 40


def _rate(k: int, n: int) -> str:
    low, high = wilson_interval(k, n)
    return f"{k} of {n} = {100 * k / n:.1f}% (Wilson 95%: {100 * low:.1f}-{100 * high:.1f}%)"


def _transforms(images: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    from PIL import Image, ImageFilter

    def pil(fn):  # type: ignore[no-untyped-def]
        return np.stack([np.asarray(fn(Image.fromarray(im))) for im in images])

    def crop(im):  # type: ignore[no-untyped-def]
        s = int(rng.integers(44, 58))
        top, left = rng.integers(0, 64 - s + 1, 2)
        return im.crop((left, top, left + s, top + s)).resize((64, 64), Image.Resampling.LANCZOS)

    scaled = images.astype(np.float64)
    return {"mirror": images[:, :, ::-1],
            "brightness x0.8": np.clip(scaled * 0.8, 0, 255).round().astype(np.uint8),
            "brightness x1.2": np.clip(scaled * 1.2, 0, 255).round().astype(np.uint8),
            "crop 69-91% and resize": pil(crop),
            "blur (Gaussian, radius 0.7)": pil(lambda im: im.filter(ImageFilter.GaussianBlur(0.7)))}


def held_out(train: np.ndarray, alpha: float) -> None:
    """Each fifth scored by the photo score of the other four fifths (plain and transformed)."""
    rng = np.random.default_rng(0)
    fold = rng.permutation(train.shape[0]) % FOLDS
    counts: dict[str, list[int]] = {}
    for f in range(FOLDS):
        score = PhotoTypicality(alpha=alpha).fit(photo_statistics(train[fold != f]))
        kept = train[fold == f]
        for name, images in {"as is": kept, **_transforms(kept, rng)}.items():
            stats = photo_statistics(images)
            photo = score.typicality(stats) < alpha / 2
            grey = is_greyscale(stats)
            c = counts.setdefault(name, [0, 0, 0])
            c[0] += int(photo.sum())
            c[1] += int((photo | grey).sum())
            c[2] += images.shape[0]
    print(f"\nheld-out training images ({FOLDS} folds; photo view below {alpha / 2}, "
          "or greyscale):")
    for name, (k_photo, k_all, n) in counts.items():
        print(f"  {name:28s} photo view {k_photo:3d}; with the greyscale rule {_rate(k_all, n)}")


def main(folder: Path, test: bool) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = workflows.train(folder / "train_catvnoncat.h5")
    clf = report.classifier
    alpha = float(clf.typicality_.alpha)
    threshold = clf.typicality_threshold

    def flags(images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t, ok = clf.typicality(images)
        photo = clf.photo_typicality_.typicality(photo_statistics(images))
        return ~ok, t, photo

    print(f"default model: {clf.preprocessor.label}; flagged below {threshold} "
          f"(alpha {alpha} over {clf.typicality_views} views) or greyscale")
    print("\nscikit-image sample images (flagged; combined typicality; photo view):")
    names = list(corpus.SKIMAGE_NON_PHOTOS) + list(corpus.SKIMAGE_PHOTOS)
    f, t, p = flags(np.stack([corpus.skimage_image(n) for n in names]))
    for i, name in enumerate(names):
        print(f"  {name:22s} {'FLAGGED' if f[i] else 'photo  '}  {t[i]:9.2e}  {p[i]:9.2e}")

    shots, shot_names = corpus.screenshots(per_layout=8)
    groups = {"screenshots (5 layouts x 8, half monochrome)": shots,
              "printed pages": np.stack([corpus.text_page(s) for s in range(10)]),
              "uniform images": uniform_images(), "uniform noise (half grey)": noise_images()}
    print("\nrendered and synthetic images:")
    for name, images in groups.items():
        f, t, _ = flags(images)
        print(f"  {name:45s} {int(f.sum())} of {f.size} flagged (largest typicality "
              f"{t.max():.1e})")
    missed = [n for n, flagged in zip(shot_names, flags(shots)[0], strict=True) if not flagged]
    print(f"  screenshots not flagged: {missed or 'none'}")

    whole = np.stack([corpus.square64(im) for im in corpus.full_size_photos().values()])
    crops, _ = corpus.photo_crops(CROPS_PER_PHOTO, seed=1)
    print("\ncolour photographs from elsewhere (scikit-image, scikit-learn):")
    for name, images in (("whole photos, centre square", whole),
                         (f"random crops ({CROPS_PER_PHOTO} per photo)", crops)):
        f, _, p = flags(images)
        print(f"  {name:30s} {_rate(int(f.sum()), f.size)}; photo view alone "
              f"{int((p < threshold).sum())}")

    train = load_dataset(folder / "train_catvnoncat.h5").images
    f, _, _ = flags(train)
    print(f"\ntraining images in-sample: {_rate(int(f.sum()), f.size)}: "
          f"#{', #'.join(str(i) for i in np.flatnonzero(f))}")
    held_out(train, alpha)
    if test:
        images = load_dataset(folder / "test_catvnoncat.h5").images
        f, t, p = flags(images)
        grey = is_greyscale(photo_statistics(images))
        print(f"\nthe test file: {_rate(int(f.sum()), f.size)}")
        for i in np.flatnonzero(f):
            print(f"  #{i}: typicality {t[i]:.2e}, photo view {p[i]:.2e}"
                  f"{', greyscale' if grey[i] else ''}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), "--test" in sys.argv[2:])
