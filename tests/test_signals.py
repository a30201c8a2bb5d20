"""Signals never leave debris: SIGTERM is handled like Ctrl-C (temporary files removed,
worker processes stopped, exit 143), and worker processes die with their parent.

Every test runs the command line in a real subprocess and sends it a real signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from probkit.classifier.data.datasets import make_synthetic, write_dataset

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc to find the worker processes")

URN_MC_FOREVER = ["urn", "--urn", "A=white:9,black:1", "--urn", "B=white:2,black:8",
                  "--draw", "black", "--mc", "1e10", "--workers", "2"]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(word) for word in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


def _wait_until(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _start_monte_carlo() -> tuple[subprocess.Popen[bytes], list[int]]:
    proc = subprocess.Popen([sys.executable, "-m", "probkit", *URN_MC_FOREVER],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert _wait_until(lambda: len(_children(proc.pid)) >= 2, 60), "no workers started"
    workers = _children(proc.pid)
    time.sleep(0.5)  # let the workers take their first chunks
    return proc, workers


def test_sigterm_stops_the_workers_and_exits_143() -> None:
    proc, workers = _start_monte_carlo()
    try:
        proc.send_signal(signal.SIGTERM)
        # communicate returns once every holder of the pipes (the workers too) has closed them
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 143, err
        assert err.decode().strip().splitlines() == ["error: terminated (SIGTERM)"]
        assert _wait_until(lambda: not any(_alive(w) for w in workers), 10), workers
    finally:
        _kill_left_over(proc, workers)


def _kill_left_over(proc: subprocess.Popen[bytes], workers: list[int]) -> None:
    """Whatever a failing test left running (never anything this test did not start)."""
    for pid in [proc.pid, *workers]:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    proc.communicate(timeout=30)


def test_workers_die_with_a_killed_parent() -> None:
    """SIGKILL cannot be handled: the workers must notice on their own that their parent died."""
    proc, workers = _start_monte_carlo()
    try:
        proc.kill()
        proc.wait(timeout=10)
        assert _wait_until(lambda: not any(_alive(w) for w in workers), 10), workers
    finally:
        _kill_left_over(proc, workers)


# A real `probkit train` whose fsync of the finished model file waits to be signalled: the
# signal then arrives while the temporary file exists, every time (not 4 runs in 5).
_SLOW_FSYNC = textwrap.dedent("""
    import os, sys, time
    marker = sys.argv.pop(1)
    real_fsync = os.fsync
    def slow_fsync(fd):
        open(marker, "w").close()
        time.sleep(60)
        real_fsync(fd)
    os.fsync = slow_fsync
    sys.argv[0] = "probkit"
    from probkit_cli.app import main
    main()
""")


@pytest.mark.parametrize(("sig", "debris_left"), [(signal.SIGTERM, False),
                                                  (signal.SIGKILL, True)])
def test_a_signal_while_writing_the_model_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, sig: signal.Signals, debris_left: bool) -> None:
    """SIGTERM: the old model kept, no ``.existing.npz.*.tmp``, exit 143. SIGKILL is the negative
    control: nothing can clean up after it, so the test sees the debris it looks for."""
    write_dataset(tmp_path / "small.h5", make_synthetic(20, size=4, seed=1))
    existing = tmp_path / "existing.npz"
    existing.write_bytes(b"the user's old model")
    marker = tmp_path / "writing"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_FSYNC, str(marker), "train", "--train",
         str(tmp_path / "small.h5"), "--out", str(existing), "--features", "pixels",
         "--iterations", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert _wait_until(marker.exists, 120), proc.stderr
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    debris = sorted(p.name for p in tmp_path.glob(".existing.npz.*.tmp"))
    assert existing.read_bytes() == b"the user's old model"
    assert bool(debris) is debris_left, debris
    if sig == signal.SIGTERM:
        assert proc.returncode == 143
        assert err.decode().strip().splitlines()[-1] == "error: terminated (SIGTERM)"
