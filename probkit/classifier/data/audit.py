"""A data audit: what is in the training and test files before anything is trained on them.

:func:`audit` reports, for each split, the image shape, the class balance and the
constant images, and, within and across splits, the images that are exact or near
copies of each other. A test image that is a copy of a training image makes the test
score look better than the model is; a copy with the other label is a labelling
error; a class share that differs between the splits means the test score is
measured at another base rate than the model was trained at.

Near copies are found on *thumbnails*: each image is turned into grey levels
(ITU-R BT.601 luma), averaged down to a 16 x 16 grid, and standardized to mean 0
and length 1. Two images are near copies when the correlation of their thumbnails
is at least :data:`NEAR_COPY_CORRELATION` (0.97); a correlation that high survives
resizing, mild noise, recompression and brightness or contrast changes, while distinct
photographs rarely come close (the most alike distinct pair among the 209 published
training images correlates 0.92, mirror images included). A mirror copy is a near copy
of the flipped image.

Examples
--------
>>> import numpy as np
>>> from probkit.classifier.data.datasets import Dataset, make_synthetic
>>> train = make_synthetic(12, size=16, seed=3)
>>> images = train.images[:3].copy()
>>> images[1] = images[1, :, ::-1]              # a mirror copy of ...
>>> test = Dataset(images, train.labels[:3], source="test")
>>> report = audit(train, test)
>>> [(c.first.index, c.second.index, c.kind) for c in report.copies_across()]
[(0, 0, 'exact'), (1, 1, 'mirror'), (2, 2, 'exact')]
"""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from probkit.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from probkit.classifier.data.datasets import Dataset

THUMBNAIL_SIZE = 16
NEAR_COPY_CORRELATION = 0.97
CONSTANT_STD = 1.0  # grey-level standard deviation (0-255 scale) below which an image is constant
MAX_IMAGES = 50_000  # bound on the work: the near-copy search compares every pair
_BLOCK = 2048

__all__ = [
    "CONSTANT_STD",
    "NEAR_COPY_CORRELATION",
    "Copy",
    "DataAudit",
    "Fingerprints",
    "ImageRef",
    "SplitSummary",
    "audit",
    "audit_files",
    "thumbnails",
]


@dataclass(frozen=True)
class ImageRef:
    """One image: its split (``"train"``/``"test"``), index in the file, and label."""

    split: str
    index: int
    label: int

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.split, "index": self.index, "label": self.label}


@dataclass(frozen=True)
class Copy:
    """Two images that are copies: ``kind`` is ``"exact"``, ``"near"`` or ``"mirror"``."""

    first: ImageRef
    second: ImageRef
    kind: str
    correlation: float

    @property
    def label_conflict(self) -> bool:
        """True when the two copies carry different labels."""
        return self.first.label != self.second.label

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first.to_dict(),
            "second": self.second.to_dict(),
            "kind": self.kind,
            "correlation": round(self.correlation, 6),
            "label_conflict": self.label_conflict,
        }


@dataclass(frozen=True)
class SplitSummary:
    """Shape, class balance and constant images of one split."""

    split: str
    source: str
    n: int
    image_shape: tuple[int, int, int]
    class_names: tuple[str, ...]
    class_counts: tuple[int, ...]
    constant_images: tuple[int, ...]

    @property
    def positive_share(self) -> float:
        """The share of label 1 (cats)."""
        return self.class_counts[1] / self.n if self.n else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "source": self.source,
            "images": self.n,
            "image_shape": list(self.image_shape),
            "class_counts": dict(zip(self.class_names, self.class_counts, strict=True)),
            "positive_share": self.positive_share,
            "constant_images": list(self.constant_images),
        }


@dataclass(frozen=True)
class DataAudit:
    """The result of :func:`audit`: one summary per split, the copies, and notes."""

    splits: tuple[SplitSummary, ...]
    copies: tuple[Copy, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def clean(self) -> bool:
        """True when nothing was found: no copies, no constant images, no notes."""
        return not self.copies and not self.notes and not any(
            s.constant_images for s in self.splits)

    def copies_across(self) -> tuple[Copy, ...]:
        """Copies whose two images are in different splits (test images seen in training)."""
        return tuple(c for c in self.copies if c.first.split != c.second.split)

    def to_dict(self) -> dict[str, Any]:
        return {
            "splits": [s.to_dict() for s in self.splits],
            "copies": [c.to_dict() for c in self.copies],
            "copies_across_splits": len(self.copies_across()),
            "notes": list(self.notes),
            "near_copy_correlation": NEAR_COPY_CORRELATION,
            "clean": self.clean,
        }

    def summary_rows(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """The per-split table (headers, rows) shown by the CLI and in notebooks."""
        headers = ("split", "images", "shape", *(f"{c}" for c in self.splits[0].class_names),
                   "share of label 1", "constant")
        rows = [
            (s.split, str(s.n), "x".join(map(str, s.image_shape)),
             *(str(k) for k in s.class_counts), f"{s.positive_share:.1%}",
             str(len(s.constant_images)))
            for s in self.splits
        ]
        return headers, rows

    def copy_lines(self) -> list[str]:
        """One line per copy, e.g. ``test #17 = train #146 (exact copy, both label 1)``."""
        lines = []
        for c in self.copies:
            what = {"exact": "exact copy", "near": f"near copy, r = {c.correlation:.3f}",
                    "mirror": f"mirror copy, r = {c.correlation:.3f}"}[c.kind]
            labels = (f"labels {c.first.label} and {c.second.label}: LABEL CONFLICT"
                      if c.label_conflict else f"both label {c.first.label}")
            lines.append(f"{c.second.split} #{c.second.index} = {c.first.split} "
                         f"#{c.first.index} ({what}, {labels})")
        return lines

    def __repr__(self) -> str:
        from probkit.display import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        headers, rows = self.summary_rows()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                       for row in rows)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in
                        [*self.copy_lines(), *self.notes])
        extra = f"<ul>{items}</ul>" if items else "<p>no copies, no constant images</p>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{extra}"


def thumbnails(images: NDArray[Any], size: int = THUMBNAIL_SIZE) -> NDArray[np.float64]:
    """Grey-level thumbnails of shape (n, size, size): BT.601 luma, averaged over cells.

    Cells split the height and width as evenly as integer pixel bounds allow, so any
    image at least ``size`` pixels on each side has a thumbnail.

    >>> import numpy as np
    >>> images = np.zeros((1, 4, 4, 3), dtype=np.uint8); images[0, :2] = 255
    >>> thumbnails(images, size=2)[0].round(1).tolist()
    [[255.0, 255.0], [0.0, 0.0]]
    """
    import numpy as np

    arr = np.asarray(images, dtype=np.float64)
    if arr.ndim != 4 or arr.shape[3] != 3 or min(arr.shape[1:3]) < size:
        raise InputError(f"images must have shape (n, h, w, 3) with h, w >= {size}; got "
                         f"{arr.shape}")
    grey = arr @ np.array([0.299, 0.587, 0.114])
    rows = np.linspace(0, arr.shape[1], size + 1).round().astype(int)
    cols = np.linspace(0, arr.shape[2], size + 1).round().astype(int)
    # sum over each cell with cumulative sums (an integral image), then divide by its area
    integral = np.zeros((arr.shape[0], arr.shape[1] + 1, arr.shape[2] + 1))
    integral[:, 1:, 1:] = grey.cumsum(1).cumsum(2)
    sums = (integral[:, rows[1:]][:, :, cols[1:]] - integral[:, rows[:-1]][:, :, cols[1:]]
            - integral[:, rows[1:]][:, :, cols[:-1]] + integral[:, rows[:-1]][:, :, cols[:-1]])
    area = np.diff(rows)[:, None] * np.diff(cols)[None, :]
    return np.asarray(sums / area, dtype=np.float64)


def _thumbnail_size(*image_sets: Any) -> int:
    """The thumbnail side: 16, or less for images smaller than that."""
    sides = [min(s.shape[1], s.shape[2]) for s in image_sets if len(s)]
    return min([THUMBNAIL_SIZE, *sides])


def _standardized(thumbs: NDArray[np.float64]) -> NDArray[np.float64]:
    """Rows of mean 0 and length 1 (a constant thumbnail stays all zeros)."""
    import numpy as np

    flat = thumbs.reshape(thumbs.shape[0], -1)
    centred = flat - flat.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return np.asarray(np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 1e-9))


def _digests(images: NDArray[Any]) -> list[bytes]:
    return [hashlib.blake2b(image.tobytes(), digest_size=16).digest() for image in images]


def _near_pairs(first: NDArray[np.float64], second: NDArray[np.float64],
                same: bool) -> list[tuple[int, int, float]]:
    """(i, j, correlation) with correlation >= the threshold; i < j when ``same``."""
    import numpy as np

    pairs: list[tuple[int, int, float]] = []
    for start in range(0, first.shape[0], _BLOCK):
        block = first[start:start + _BLOCK] @ second.T
        if same:
            rows = np.arange(start, start + block.shape[0])[:, None]
            block[np.arange(second.shape[0])[None, :] <= rows] = -np.inf
        for i, j in zip(*np.nonzero(block >= NEAR_COPY_CORRELATION), strict=True):
            pairs.append((start + int(i), int(j), float(block[i, j])))
    return pairs


def audit(train: Dataset, test: Dataset | None = None) -> DataAudit:
    """Audit one or two splits: shapes, class balance, constant images, copies.

    Parameters
    ----------
    train : Dataset
        The training split.
    test : Dataset, optional
        The test split; copies across the two splits are looked for too.

    Returns
    -------
    DataAudit
        ``to_dict()`` is what ``probkit data check --json`` prints.
    """
    import numpy as np

    named = [("train", train)] + ([("test", test)] if test is not None else [])
    for name, data in named:
        if data.n > MAX_IMAGES:
            raise InputError(f"the {name} data has {data.n} images; the audit compares every "
                             f"pair and handles at most {MAX_IMAGES}")
    notes: list[str] = []
    summaries = []
    size = _thumbnail_size(*(data.images for _, data in named))
    standardized = {}
    digests = {}
    for name, data in named:
        thumbs = thumbnails(data.images, size) if data.n else np.zeros((0, size, size))
        grey_std = (data.images.astype(np.float64) @ np.array([0.299, 0.587, 0.114])).reshape(
            data.n, -1).std(axis=1) if data.n else np.zeros(0)
        constant = tuple(int(i) for i in np.nonzero(grey_std < CONSTANT_STD)[0])
        counts = tuple(int((data.labels == k).sum()) for k in range(len(data.class_names)))
        summaries.append(SplitSummary(name, data.source, data.n, data.image_shape,
                                      data.class_names, counts, constant))
        standardized[name] = _standardized(thumbs)
        digests[name] = _digests(data.images)
    if test is not None and train.image_shape != test.image_shape:
        notes.append(f"image shapes differ: train {train.image_shape}, test {test.image_shape}")
    if test is not None and train.class_names != test.class_names:
        notes.append(f"class names differ: train {train.class_names}, test {test.class_names}")
    if test is not None and train.n and test.n:
        notes.extend(_balance_notes(summaries[0], summaries[1]))

    copies: list[Copy] = []
    for a_index, (a_name, a_data) in enumerate(named):
        for b_name, b_data in named[a_index:]:
            copies.extend(_copies(a_name, a_data, b_name, b_data, standardized, digests, size))
    return DataAudit(tuple(summaries), tuple(copies), tuple(notes))


def _copies(a_name: str, a: Dataset, b_name: str, b: Dataset,
            standardized: dict[str, NDArray[np.float64]],
            digests: dict[str, list[bytes]], size: int) -> list[Copy]:
    """Exact, near and mirror copies between split ``a`` and split ``b`` (or within one)."""
    same = a_name == b_name
    found: dict[tuple[int, int], Copy] = {}
    first_seen: dict[bytes, int] = {}
    for i, digest in enumerate(digests[a_name]):
        first_seen.setdefault(digest, i)
    for j, digest in enumerate(digests[b_name]):
        i = first_seen.get(digest, -1)
        if i >= 0 and (not same or i < j):
            found[(i, j)] = Copy(ImageRef(a_name, i, int(a.labels[i])),
                                 ImageRef(b_name, j, int(b.labels[j])), "exact", 1.0)
    if not a.n or not b.n:
        return []
    mirrored = _standardized(thumbnails(b.images[:, :, ::-1], size))
    for kind, other in (("near", standardized[b_name]), ("mirror", mirrored)):
        for i, j, r in _near_pairs(standardized[a_name], other, same):
            if (i, j) not in found:
                found[(i, j)] = Copy(ImageRef(a_name, i, int(a.labels[i])),
                                     ImageRef(b_name, j, int(b.labels[j])), kind, r)
    return sorted(found.values(), key=lambda c: (c.first.index, c.second.index))


def _balance_notes(train: SplitSummary, test: SplitSummary) -> Sequence[str]:
    """A note when the share of label 1 differs between the splits beyond sampling noise."""
    from probkit.intervals import wilson_interval

    (low_a, low_b), (high_a, high_b) = wilson_interval(
        [train.class_counts[1], test.class_counts[1]], [train.n, test.n])
    if high_a < low_b or high_b < low_a:
        return [f"the share of {train.class_names[1]!r} differs between the splits: "
                f"{train.positive_share:.1%} in train, {test.positive_share:.1%} in test "
                "(95% Wilson intervals do not overlap): test figures are measured at another "
                "base rate than the model is trained at"]
    return []


def audit_files(train: str | os.PathLike[str],
                test: str | os.PathLike[str] | None = None) -> DataAudit:
    """Load the HDF5 files (validated as :func:`~.datasets.load_dataset` does)
    and :func:`audit` them; what ``probkit data check --train FILE [--test FILE]`` runs."""
    from probkit.classifier.data.datasets import load_dataset

    return audit(load_dataset(train, split_if_both="train"),
                 load_dataset(test, split_if_both="test") if test is not None else None)


@dataclass(frozen=True)
class Fingerprints:
    """What a model remembers of its training images to recognise copies of them later:
    a 16-byte digest per image (exact copies) and its standardized thumbnail (near and
    mirror copies), the same measures :func:`audit` uses.

    >>> from probkit.classifier.data.datasets import make_synthetic
    >>> train = make_synthetic(10, size=16, seed=4)
    >>> prints = Fingerprints.of(train.images)
    >>> [(c.first.index, c.second.index, c.kind) for c in prints.copies_in(train.images[[7]])]
    [(7, 0, 'exact')]
    """

    digests: NDArray[np.uint8]
    thumbnails: NDArray[np.float32]
    labels: NDArray[np.int64]

    @classmethod
    def of(cls, images: NDArray[Any], labels: Any = None) -> Fingerprints:
        """The fingerprints of ``images`` (labels optional, -1 where unknown)."""
        import numpy as np

        digests = np.frombuffer(b"".join(_digests(images)), dtype=np.uint8).reshape(-1, 16)
        thumbs = _standardized(thumbnails(images, _thumbnail_size(images))).astype(np.float32)
        coded = (np.full(len(images), -1, dtype=np.int64) if labels is None
                 else np.asarray(labels, dtype=np.int64))
        return cls(digests.copy(), thumbs, coded)

    def to_arrays(self) -> dict[str, Any]:
        return {"digests": self.digests, "thumbnails": self.thumbnails, "labels": self.labels}

    @classmethod
    def from_arrays(cls, arrays: dict[str, Any]) -> Fingerprints:
        """Rebuild from :meth:`to_arrays`, checking every array (raises InputError)."""
        import numpy as np

        missing = [k for k in ("digests", "thumbnails", "labels") if k not in arrays]
        if missing:
            raise InputError(f"fingerprints lack {', '.join(missing)}")
        digests = np.asarray(arrays["digests"])
        thumbs = np.asarray(arrays["thumbnails"])
        labels = np.asarray(arrays["labels"])
        n = digests.shape[0] if digests.ndim == 2 else -1
        side = round(thumbs.shape[1] ** 0.5) if thumbs.ndim == 2 else 0
        if (digests.dtype != np.uint8 or digests.shape != (n, 16) or thumbs.dtype.kind != "f"
                or not 1 <= side <= THUMBNAIL_SIZE or thumbs.shape != (n, side * side)
                or labels.dtype.kind not in "iu" or labels.shape != (n,)
                or not np.all(np.isfinite(thumbs)) or np.any(np.abs(thumbs) > 1.0 + 1e-3)):
            raise InputError("fingerprints have inconsistent shapes, types or values")
        return cls(digests, thumbs.astype(np.float32), labels.astype(np.int64))

    def to_model_arrays(self) -> dict[str, Any]:
        """The arrays a model file stores: ``fingerprint_<name>`` of :meth:`to_arrays`."""
        return {f"fingerprint_{name}": value for name, value in self.to_arrays().items()}

    @classmethod
    def from_model_arrays(cls, arrays: dict[str, Any]) -> Fingerprints | None:
        """The fingerprints a model file stores (None when it stores none), checked."""
        stored = {k[len("fingerprint_"):]: v for k, v in arrays.items()
                  if k.startswith("fingerprint_")}
        if not stored:
            return None
        try:
            return cls.from_arrays(stored)
        except InputError as exc:
            raise InputError(f"fingerprint_* {exc}") from None

    def copies_in(self, images: NDArray[Any], labels: Any = None,
                  split: str = "data") -> list[Copy]:
        """The images of ``images`` that copy a remembered training image (exact, near or
        mirror), as :class:`Copy` pairs (first: the training image)."""
        import numpy as np

        if not len(images):
            return []
        coded = (np.full(len(images), -1) if labels is None else np.asarray(labels))
        seen = {bytes(d): i for i, d in reversed(list(enumerate(self.digests)))}
        found: dict[tuple[int, int], Copy] = {}

        def pair(i: int, j: int, kind: str, r: float) -> Copy:
            return Copy(ImageRef("train", i, int(self.labels[i])),
                        ImageRef(split, j, int(coded[j])), kind, r)

        for j, digest in enumerate(_digests(images)):
            if digest in seen:
                found[(seen[digest], j)] = pair(seen[digest], j, "exact", 1.0)
        remembered = self.thumbnails.astype(np.float64)
        side = round(remembered.shape[1] ** 0.5)
        if _thumbnail_size(images) < side:
            return sorted(found.values(), key=lambda c: (c.second.index, c.first.index))
        for kind, view in (("near", images), ("mirror", images[:, :, ::-1])):
            for i, j, r in _near_pairs(remembered, _standardized(thumbnails(view, side)), False):
                found.setdefault((i, j), pair(i, j, kind, r))
        return sorted(found.values(), key=lambda c: (c.second.index, c.first.index))
