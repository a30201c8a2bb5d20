"""A spy on HDF5 opens, for the tests that selection never reads the test file."""

from __future__ import annotations

import os

import h5py
import pytest


def spy_on_hdf5_opens(monkeypatch: pytest.MonkeyPatch, forbidden: os.PathLike[str] | str
                      ) -> list[str]:
    """Record every HDF5 file opened from now on (real paths), and fail any open of
    ``forbidden`` with ``AssertionError("selection opened the test file")``."""
    opened: list[str] = []
    real_file = h5py.File
    banned = os.path.realpath(forbidden)

    def spy(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        path = os.path.realpath(os.fspath(name))
        opened.append(path)
        if path == banned:
            raise AssertionError("selection opened the test file")
        return real_file(name, *args, **kwargs)

    monkeypatch.setattr(h5py, "File", spy)
    return opened
