"""Run Monte Carlo blocks in this process, in worker processes, or on any executor.

The unit of work is a *chunk*: a run of consecutive blocks (see
:mod:`probkit.bayes.samplers`), simulated by :func:`~probkit.bayes.samplers.run_blocks`
and summarized as integer counts. Chunks are summed as they finish, in
whatever order, so the totals are the same bit for bit whatever the chunk
size, the number of workers or the executor. At most a few chunks per worker
are in flight at once, so memory does not grow with the number of draws.

Any :class:`concurrent.futures.Executor` works: a
:class:`~concurrent.futures.ProcessPoolExecutor`, a thread pool, or a
dask.distributed client's ``client.get_executor()``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait

import numpy as np
import numpy.typing as npt

from probkit.bayes.samplers import BLOCK_SIZE, SamplingPlan, n_blocks, run_blocks
from probkit.errors import InputError

DEFAULT_CHUNK_BLOCKS = 8
"""Blocks per chunk unless the caller chooses (2 M draws: progress every few tens of ms)."""

_IN_FLIGHT_PER_WORKER = 4
_OTHER_EXECUTOR_SLOTS = 64

Progress = Callable[[int], None]


def chunk_blocks(chunk_size: int | None) -> int:
    """Blocks per chunk for a requested chunk size in draws (rounded up to whole blocks).

    >>> chunk_blocks(None) == DEFAULT_CHUNK_BLOCKS, chunk_blocks(1), chunk_blocks(BLOCK_SIZE + 1)
    (True, 1, 2)
    """
    if chunk_size is None:
        return DEFAULT_CHUNK_BLOCKS
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError(f"chunk size {chunk_size!r} must be a positive whole number of draws")
    return -(-chunk_size // BLOCK_SIZE)


def _chunks(draws: int, per_chunk: int) -> Iterator[tuple[int, int, int]]:
    """(first block, block count, draws in the chunk) for every chunk."""
    total = n_blocks(draws)
    for first in range(0, total, per_chunk):
        count = min(per_chunk, total - first)
        size = min(draws, (first + count) * BLOCK_SIZE) - first * BLOCK_SIZE
        yield first, count, size


def simulate(
    plan: SamplingPlan,
    entropy: int | Sequence[int],
    draws: int,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> npt.NDArray[np.int64]:
    """Total counts (2, hypotheses) over ``draws`` draws, run where asked.

    ``workers=1`` without an ``executor`` runs in this process;
    ``workers > 1`` starts that many worker processes for this call;
    an ``executor`` (any :class:`concurrent.futures.Executor`) is used as given
    and left running. ``progress`` is called with the number of draws done so far.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers {workers!r} must be a positive whole number")
    if executor is not None and workers != 1:
        raise InputError("give either workers or an executor, not both")
    per_chunk = chunk_blocks(chunk_size)
    if executor is None and workers == 1:
        return _run_here(plan, entropy, draws, per_chunk, progress)
    if executor is not None:
        return _run_on(executor, plan, entropy, draws, per_chunk, progress,
                       slots=_slots(executor))
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        try:
            return _run_on(pool, plan, entropy, draws, per_chunk, progress,
                           slots=workers * _IN_FLIGHT_PER_WORKER)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end with the parent process, however it ends.

    A worker forked from the command line inherits its SIGTERM handler; it gets the
    default (end the process) back, and on Linux asks the kernel to send it SIGTERM
    when its parent dies (``PR_SET_PDEATHSIG``), so that a killed parent leaves no
    orphaned workers holding its pipes open. Ctrl-C reaches the whole process group:
    workers ignore it and stop when the parent shuts the pool down.
    """
    import signal
    import sys

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _slots(executor: Executor) -> int:
    # Pools know their size; for others (e.g. a dask cluster) keep a generous window.
    workers = getattr(executor, "_max_workers", None)
    if isinstance(workers, int) and workers > 0:
        return workers * _IN_FLIGHT_PER_WORKER
    return max(_OTHER_EXECUTOR_SLOTS, (os.cpu_count() or 1) * _IN_FLIGHT_PER_WORKER)


def _run_here(
    plan: SamplingPlan,
    entropy: int | Sequence[int],
    draws: int,
    per_chunk: int,
    progress: Progress | None,
) -> npt.NDArray[np.int64]:
    totals = np.zeros((2, plan.n_hypotheses), dtype=np.int64)
    done = 0
    for first, count, size in _chunks(draws, per_chunk):
        totals += run_blocks(plan, entropy, first, count, draws)
        done += size
        if progress is not None:
            progress(done)
    return totals


def _run_on(
    executor: Executor,
    plan: SamplingPlan,
    entropy: int | Sequence[int],
    draws: int,
    per_chunk: int,
    progress: Progress | None,
    *,
    slots: int,
) -> npt.NDArray[np.int64]:
    totals = np.zeros((2, plan.n_hypotheses), dtype=np.int64)
    pending: dict[Future[npt.NDArray[np.int64]], int] = {}
    chunks = _chunks(draws, per_chunk)
    done = 0
    try:
        for first, count, size in chunks:
            pending[executor.submit(run_blocks, plan, entropy, first, count, draws)] = size
            while len(pending) >= slots:
                done += _collect(pending, totals)
                if progress is not None:
                    progress(done)
        while pending:
            done += _collect(pending, totals)
            if progress is not None:
                progress(done)
    finally:
        for future in pending:
            future.cancel()
    return totals


def _collect(
    pending: dict[Future[npt.NDArray[np.int64]], int], totals: npt.NDArray[np.int64]
) -> int:
    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    size = 0
    for future in finished:
        totals += np.asarray(future.result(), dtype=np.int64)
        size += pending.pop(future)
    return size


__all__ = ["DEFAULT_CHUNK_BLOCKS", "chunk_blocks", "simulate"]
