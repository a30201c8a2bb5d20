"""The test session's own settings (tests/conftest.py) take effect."""

from __future__ import annotations

import gc
import os

import pytest


def test_blas_runs_one_thread_in_the_tests() -> None:
    """numpy was imported after conftest set OPENBLAS_NUM_THREADS, so BLAS has one thread
    (a second one only spins on the tests' small matrices and doubles the CPU bill)."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import numpy  # noqa: F401  (loads OpenBLAS, if nothing did yet)

    blas = [pool for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]
    assert blas, "numpy's BLAS is not seen by threadpoolctl"
    wanted = int(os.environ["OPENBLAS_NUM_THREADS"])
    assert [pool["num_threads"] for pool in blas] == [wanted] * len(blas)


def test_what_collection_made_is_frozen_out_of_the_garbage_collector() -> None:
    assert gc.get_freeze_count() > 10_000
    # negative control: an object made now is still tracked and collected as usual
    cycle: list = []
    cycle.append(cycle)
    assert gc.is_tracked(cycle)
