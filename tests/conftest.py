"""Shared fixtures: the CLI runner, and the real data directory when available."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner that keeps stdout and stderr apart."""
    return CliRunner()


@pytest.fixture(scope="session")
def cat_data_dir() -> Path:
    """The real cat-vs-non-cat directory from PROBKIT_CAT_DATA (tests skip without it)."""
    value = os.environ.get("PROBKIT_CAT_DATA")
    if not value:
        pytest.skip("PROBKIT_CAT_DATA is not set (the real data set is not available)")
    path = Path(value)
    if not (path / "train_catvnoncat.h5").is_file():
        pytest.fail(f"PROBKIT_CAT_DATA={value} does not hold train_catvnoncat.h5")
    return path
