"""A scoped cache of per-image features, so a search computes each image's features once.

Most feature transformers compute every image's row from that image alone (a
histogram, HOG, LBP; not :class:`~probkit.classifier.features.combine.Standardize`,
which learns from the training images). Cross-validating a grid fits the same
representation on many folds and with many λ, so the same rows would be computed again
and again. Inside ``with feature_cache():`` such transformers keep each row under the
transformer's description and the image's digest (BLAKE2b of its shape, type and
bytes) and look it up before computing; outside it nothing is kept. The cache lives
in a context variable: no module-level state, and nothing outlives the ``with``.

>>> import numpy as np
>>> from probkit.classifier.features import ColourHistogram
>>> images = np.zeros((3, 4, 4, 3), dtype=np.uint8)
>>> hist = ColourHistogram(bins=(2, 2, 2)).fit(images)
>>> with feature_cache() as cache:
...     _ = hist.transform(images); _ = hist.transform(images[::-1])
>>> cache.computed, cache.reused
(3, 3)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: the most rows one cache holds (64x64 images, a few thousand features: well under 1 GB)
MAX_ROWS = 200_000


@dataclass
class FeatureCache:
    """Rows by (transformer description, image digest), with counts of use."""

    rows: dict[tuple[str, bytes], NDArray[np.float64]] = field(default_factory=dict)
    computed: int = 0
    reused: int = 0

    def rows_of(self, key: str, images: NDArray[Any],
                compute: Callable[[NDArray[Any]], NDArray[np.float64]]) -> NDArray[np.float64]:
        """``compute(images)``, computing only the images not seen before under ``key``."""
        if len(images) == 0:
            return np.asarray(compute(images), dtype=np.float64)
        digests = [_digest(image) for image in images]
        missing = [i for i, d in enumerate(digests) if (key, d) not in self.rows]
        fresh: dict[int, NDArray[np.float64]] = {}
        if missing:
            computed = np.asarray(compute(images[missing]), dtype=np.float64)
            fresh = dict(zip(missing, computed, strict=True))
            if len(self.rows) + len(missing) <= MAX_ROWS:  # when full, answer without keeping
                self.rows.update({(key, digests[i]): row for i, row in fresh.items()})
        self.computed += len(missing)
        self.reused += len(images) - len(missing)
        return np.stack([fresh[i] if i in fresh else self.rows[(key, d)]
                         for i, d in enumerate(digests)])


_ACTIVE: ContextVar[FeatureCache | None] = ContextVar("probkit_feature_cache", default=None)


def _digest(image: NDArray[Any]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((image.shape, image.dtype.str)).encode())
    h.update(np.ascontiguousarray(image).tobytes())
    return h.digest()


def active_cache() -> FeatureCache | None:
    """The cache of the innermost ``with feature_cache()``, or None."""
    return _ACTIVE.get()


@contextmanager
def feature_cache() -> Iterator[FeatureCache]:
    """Cache per-image feature rows inside the ``with`` block (nested blocks share the outer
    cache)."""
    outer = _ACTIVE.get()
    if outer is not None:
        yield outer
        return
    cache = FeatureCache()
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)


__all__ = ["MAX_ROWS", "FeatureCache", "active_cache", "feature_cache"]
