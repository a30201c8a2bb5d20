"""The cat-vs-non-cat data: loading, validating, writing, and synthetic stand-ins.

The published files are HDF5 with three datasets:

* ``train_set_x`` (or ``test_set_x``): images, shape (n, 64, 64, 3), uint8;
* ``train_set_y`` (or ``test_set_y``): labels, shape (n,), integers 0/1;
* ``list_classes``: the class names as bytes, ``[b'non-cat', b'cat']``.

:func:`load_dataset` reads either split and checks everything, raising
:class:`~probkit.errors.DataError` (exit code 2 on the command line) with the
file name and the problem. :func:`write_dataset` writes the same layout
atomically, and :func:`make_synthetic` makes small learnable data sets in that
format for tests and demos.

Examples
--------
>>> data = make_synthetic(20, size=8, seed=1)
>>> data.images.shape, data.images.dtype.name, data.class_names
((20, 8, 8, 3), 'uint8', ('non-cat', 'cat'))
>>> int(data.labels.sum())
7
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from probkit._atomic import atomic_output
from probkit._paths import existing_file
from probkit.errors import DataError, InputError, ProbkitError

DEFAULT_CLASS_NAMES: tuple[str, str] = ("non-cat", "cat")
SPLITS = ("train", "test")


@dataclass(frozen=True)
class Dataset:
    """Images with 0/1 labels and the class names.

    Attributes
    ----------
    images : ndarray of shape (n, height, width, 3), uint8
    labels : ndarray of shape (n,), int64, values 0 and 1
    class_names : tuple of str
        ``class_names[k]`` names label ``k``, e.g. ``("non-cat", "cat")``.
    source : str
        Where the data came from (a file name, or a description).
    """

    images: NDArray[np.uint8]
    labels: NDArray[np.int64]
    class_names: tuple[str, ...] = DEFAULT_CLASS_NAMES
    source: str = "<memory>"

    def __post_init__(self) -> None:
        images, labels = _checked_arrays(self.images, self.labels, self.class_names, self.source)
        object.__setattr__(self, "images", images)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "class_names", tuple(str(c) for c in self.class_names))

    @property
    def n(self) -> int:
        """Number of images."""
        return int(self.labels.shape[0])

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(height, width, channels)."""
        h, w, c = self.images.shape[1:]
        return int(h), int(w), int(c)

    @property
    def positive_rate(self) -> float:
        """The share of label 1 (cats) in the data."""
        return float(self.labels.mean()) if self.n else float("nan")

    def require_both_classes(self, parameter: str = "train") -> None:
        """Raise :class:`DataError` naming this data set's file if it holds one class only
        (a classifier cannot be fitted on it).

        >>> make_synthetic(4, size=2, cat_fraction=0).require_both_classes()
        Traceback (most recent call last):
        ...
        probkit.errors.DataError: the training data synthetic(n=4, seed=0) holds only one class ('non-cat', all 4 images); a classifier needs images of both
        """  # noqa: E501
        present = sorted(set(self.labels.tolist()))
        if len(present) < 2:
            raise DataError(f"the training data {self.source} holds only one class "
                            f"({self.class_names[present[0]]!r}, all {self.n} images); a "
                            "classifier needs images of both", parameter=parameter)

    def summary(self) -> str:
        """One line: how many images of what size, how many of each class, from where.

        >>> make_synthetic(20, size=4).summary()
        "20 images of 4x4x3: 13 'non-cat', 7 'cat' (35.0%), from synthetic(n=20, seed=0)"
        """
        h, w, c = self.image_shape
        positives = int(self.labels.sum())
        return (f"{self.n} images of {h}x{w}x{c}: {self.n - positives} {self.class_names[0]!r}, "
                f"{positives} {self.class_names[1]!r} ({positives / self.n:.1%}), "
                f"from {self.source}")

    def __repr__(self) -> str:
        return f"<Dataset: {self.summary()}>"

    def _repr_html_(self) -> str:
        from probkit.display import html_block, html_table

        h, w, c = self.image_shape
        positives = int(self.labels.sum())
        rows = [["images", f"{self.n} of {h}x{w}x{c} (uint8)"],
                [self.class_names[0], str(self.n - positives)],
                [self.class_names[1], f"{positives} ({positives / self.n:.1%})"],
                ["source", self.source]]
        return html_block("Dataset", html_table(["", ""], rows))


def _checked_arrays(
    images: Any, labels: Any, class_names: tuple[str, ...], source: str
) -> tuple[NDArray[np.uint8], NDArray[np.int64]]:
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise DataError(
            f"{source}: images must have shape (n, height, width, 3); got {images.shape}"
        )
    if images.shape[0] < 1:
        raise DataError(f"{source}: holds no images (shape {images.shape}); a data set needs "
                        "at least one")
    if images.shape[1] < 1 or images.shape[2] < 1:
        raise DataError(f"{source}: images have an empty size {images.shape[1:3]}")
    if images.dtype != np.uint8:
        raise DataError(f"{source}: images must be uint8 (0..255); got dtype {images.dtype}")
    if labels.ndim == 2 and 1 in labels.shape:  # (1, n) or (n, 1), as some copies store them
        labels = labels.reshape(-1)
    if labels.ndim != 1:
        raise DataError(f"{source}: labels must have shape (n,); got {labels.shape}")
    if images.shape[0] != labels.shape[0]:
        raise DataError(
            f"{source}: {images.shape[0]} images but {labels.shape[0]} labels"
        )
    if labels.dtype.kind not in "biuf":
        raise DataError(f"{source}: labels must be the integers 0 and 1; got dtype {labels.dtype}")
    bad = ~np.isin(labels, (0, 1))
    if np.any(bad):
        found = sorted({repr(v.item()) for v in labels[bad]})[:5]
        raise DataError(f"{source}: labels must be 0 or 1; found {', '.join(found)}")
    if len(class_names) != 2:
        raise DataError(f"{source}: expected 2 class names; got {list(class_names)}")
    return np.ascontiguousarray(images), labels.astype(np.int64)


# ---------------------------------------------------------------- reading


def _split_keys(keys: list[str], source: str, split: str | None,
                split_if_both: str | None) -> tuple[str, str]:
    """The (images, labels) dataset names to read: those of ``split``, or of the one split the
    file holds; a file holding both splits read without ``split`` is refused, not guessed."""
    present = [s for s in SPLITS if f"{s}_set_x" in keys or f"{s}_set_y" in keys]
    if split is None and len(present) > 1:
        split = split_if_both
    if split is None and len(present) > 1:
        raise DataError(f"split: the data file {source} holds both a train split (train_set_x/y) "
                        "and a test split (test_set_x/y); choose which to read: train or test",
                        parameter="split")
    if split is not None and split not in present and present:
        raise DataError(f"split: the data file {source} holds no {split} split ({split}_set_x/y; "
                        f"found: {', '.join(keys)})", parameter="split")
    for name in [split] if split is not None else present:
        x_key, y_key = f"{name}_set_x", f"{name}_set_y"
        if x_key in keys and y_key in keys:
            return x_key, y_key
        if x_key in keys or y_key in keys:
            missing = y_key if x_key in keys else x_key
            raise DataError(f"{source}: has {x_key if x_key in keys else y_key} but no {missing}")
    raise DataError(
        f"{source}: no train_set_x/train_set_y or test_set_x/test_set_y datasets "
        f"(found: {', '.join(keys) if keys else 'nothing'})"
    )


def check_split(split: object) -> str | None:
    """``split`` if it is None, ``"train"`` or ``"test"``; else :class:`InputError` naming it.

    >>> check_split("test"), check_split(None)
    ('test', None)
    """
    if split is None or split in SPLITS:
        return split
    raise InputError(f"split: {split!r} is not one of {', '.join(SPLITS)}", parameter="split")


def load_dataset(path: str | os.PathLike[str], *, split: str | None = None,
                 split_if_both: str | None = None) -> Dataset:
    """Read and validate one cat-vs-non-cat HDF5 file (train or test split).

    Parameters
    ----------
    path : path-like
    split : {"train", "test"} or None
        Which split to read (``train_set_x/y`` or ``test_set_x/y``). None reads the one
        split the file holds; a file holding both must be told which (a train split
        read as test data would make a flattering "test" score).
    split_if_both : {"train", "test"} or None
        The split to read from a file that holds both when ``split`` is None: what the
        workflows pass for a file given as training (``"train"``) or test data
        (``"test"``), so that ``--test both.h5`` reads ``test_set_*``.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        If the file is missing, not HDF5, truncated or damaged, lacks the
        datasets, holds no images, or holds images/labels of the wrong shape,
        dtype or values.
    """
    import h5py

    split = check_split(split)
    split_if_both = check_split(split_if_both)
    p = existing_file(path, what="data file", error=DataError,
                      directory_note=", not an HDF5 file")
    source = str(p)
    try:
        with p.open("rb") as fh:
            signature = fh.read(8)
    except OSError as exc:
        raise DataError(f"data file {source} cannot be read: {exc.strerror or exc}") from None
    if signature != b"\x89HDF\r\n\x1a\n":
        raise DataError(f"data file {source} is not an HDF5 file")
    try:
        with h5py.File(p, "r") as h5:
            keys = sorted(h5.keys())
            x_key, y_key = _split_keys(keys, source, split, split_if_both)
            x_ds, y_ds = h5[x_key], h5[y_key]
            if not isinstance(x_ds, h5py.Dataset) or not isinstance(y_ds, h5py.Dataset):
                raise DataError(f"{source}: {x_key} and {y_key} must be datasets, not groups")
            if x_ds.dtype != np.uint8:
                raise DataError(
                    f"{source}: {x_key} must be uint8 (0..255); got dtype {x_ds.dtype}"
                )
            if len(x_ds.shape) != 4 or x_ds.shape[-1] != 3:
                raise DataError(
                    f"{source}: {x_key} must have shape (n, height, width, 3); got {x_ds.shape}"
                )
            if x_ds.shape[0] < 1:
                raise DataError(f"{source}: {x_key} holds no images (shape {x_ds.shape})")
            images = x_ds[()]
            labels = y_ds[()]
            class_names: tuple[str, ...] = DEFAULT_CLASS_NAMES
            if "list_classes" in h5:
                raw = h5["list_classes"][()]
                class_names = tuple(
                    c.decode("utf-8", "replace") if isinstance(c, bytes) else str(c)
                    for c in np.atleast_1d(raw)
                )
    except ProbkitError:
        raise
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise DataError(
            f"data file {source} cannot be read as HDF5 (truncated or damaged?): {exc}"
        ) from None
    return Dataset(images=images, labels=labels, class_names=class_names, source=source)


# ---------------------------------------------------------------- writing


def write_dataset(
    path: str | os.PathLike[str], dataset: Dataset, *, split: str = "train"
) -> None:
    """Write ``dataset`` as HDF5 in the published layout (``{split}_set_x`` ...), atomically.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_dataset(d / "tiny.h5", make_synthetic(6, size=4), split="test")
    >>> load_dataset(d / "tiny.h5").images.shape
    (6, 4, 4, 3)
    """
    import h5py

    if split not in SPLITS:
        raise InputError(f"split must be 'train' or 'test'; got {split!r}")
    with atomic_output(path, error=DataError) as tmp:
        with h5py.File(tmp, "w") as h5:
            h5.create_dataset(f"{split}_set_x", data=dataset.images)
            h5.create_dataset(f"{split}_set_y", data=dataset.labels.astype(np.int64))
            names = [c.encode("utf-8") for c in dataset.class_names]
            width = max(len(c) for c in names)
            h5.create_dataset("list_classes", data=np.array(names, dtype=f"S{width}"))


# ---------------------------------------------------------------- synthetic data


def make_synthetic(
    n: int, *, size: int = 8, cat_fraction: float = 0.35, seed: int = 0,
    signal: float = 1.0,
) -> Dataset:
    """Small learnable images in the published format.

    "Cats" (label 1) carry a warm, bright blob in the centre; "non-cats" a cool
    left-to-right gradient; both under uniform noise, so a linear model can
    separate them but not trivially. A ``signal`` below 1 fades the two patterns
    into the noise: the classes overlap, and probabilities between 0 and 1 mean
    something (``signal=0.1`` gives test accuracies of roughly 70-85%).

    Parameters
    ----------
    n : int
        Number of images (>= 1).
    size : int
        Images are ``size × size × 3``.
    cat_fraction : float
        ``round(n * cat_fraction)`` images are cats, in random order.
    seed : int
        Seed of the ``numpy.random.Generator``.
    signal : float
        Strength of the class patterns against the noise (>= 0; 1: easily separable).
    """
    if not isinstance(signal, int | float) or not 0.0 <= signal < float("inf"):
        raise InputError(f"signal must be a number >= 0; got {signal!r}", parameter="signal")
    if n < 1 or size < 1:
        raise InputError(f"make_synthetic needs n >= 1 and size >= 1; got n={n}, size={size}")
    if not 0.0 <= cat_fraction <= 1.0:
        raise InputError(f"cat_fraction must be in [0, 1]; got {cat_fraction}")
    rng = np.random.default_rng(seed)
    n_cats = int(round(n * cat_fraction))
    labels = np.zeros(n, dtype=np.int64)
    labels[rng.permutation(n)[:n_cats]] = 1
    yy, xx = np.mgrid[0:size, 0:size] / max(size - 1, 1)
    blob = np.exp(-((yy - 0.5) ** 2 + (xx - 0.5) ** 2) / 0.08)
    cat_pattern = np.stack([blob * 90, blob * 50, -blob * 30], axis=-1)
    gradient = np.stack([-xx * 20, xx * 10, xx * 70], axis=-1)
    noise = rng.uniform(-60, 60, size=(n, size, size, 3))
    brightness = rng.uniform(-25, 25, size=(n, 1, 1, 1))
    base = 110 + noise + brightness
    pattern = np.where(labels[:, None, None, None] == 1, cat_pattern, gradient)
    images = base + (pattern if signal == 1 else signal * pattern)
    pixels = np.clip(np.rint(images), 0, 255).astype(np.uint8)
    detail = "" if signal == 1 else f", signal={signal:g}"
    return Dataset(images=pixels, labels=labels,
                   source=f"synthetic(n={n}, seed={seed}{detail})")


__all__ = [
    "DEFAULT_CLASS_NAMES",
    "Dataset",
    "atomic_output",
    "load_dataset",
    "make_synthetic",
    "write_dataset",
]
