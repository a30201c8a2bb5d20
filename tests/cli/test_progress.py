"""Progress on stderr: plain periodic lines off a terminal, a live bar on
one, nothing before work starts and no closing line after an error."""

from __future__ import annotations

import io

import pytest

from probkit_cli.common import ProgressReporter, progress_interval


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _reporter(out: io.StringIO, clock: Clock, **kwargs) -> ProgressReporter:
    return ProgressReporter("cross-validating", unit="fits", stream=out, clock=clock,
                            interval=10.0, **kwargs)


def test_plain_lines_every_interval_with_done_remaining_and_elapsed() -> None:
    out, clock = io.StringIO(), Clock()
    with _reporter(out, clock) as bar:
        for done in range(0, 41):
            clock.now = done * 1.5  # 60 s for 40 fits
            bar.update(done, 40, f"candidate {done}")
    lines = out.getvalue().splitlines()
    assert len(lines) == 5 + 1  # at 10.5, 21, 31.5, 42 and 52.5 s (>= 10 s apart), closing
    assert lines[0] == ("cross-validating: 7/40 fits (18%), candidate 7, 10.5 s elapsed, "
                        "about 49.5 s left")
    assert lines[-1] == "cross-validating: done, 40/40 fits, candidate 40, 1 min 0 s"
    assert "\x1b" not in out.getvalue() and "━" not in out.getvalue()


def test_nothing_before_work_and_nothing_for_a_short_step() -> None:
    out, clock = io.StringIO(), Clock()
    with _reporter(out, clock):
        pass  # an error before any update would leave stderr to its one line
    assert out.getvalue() == ""
    with _reporter(out, clock) as bar:
        bar.update(5, 5)
        clock.now = 3.0
    assert out.getvalue() == ""  # a 3 s step: no periodic line, so no closing line


def test_no_closing_line_after_an_error() -> None:
    out, clock = io.StringIO(), Clock()
    with pytest.raises(RuntimeError), _reporter(out, clock) as bar:
        bar.update(0, 10)
        clock.now = 11.0
        bar.update(3, 10)
        raise RuntimeError("boom")
    assert out.getvalue().splitlines() == [
        "cross-validating: 3/10 fits (30%), 11.0 s elapsed, about 25.7 s left"]


def test_a_terminal_gets_a_live_bar_not_lines() -> None:
    out, clock = io.StringIO(), Clock()
    with _reporter(out, clock, live=True) as bar:
        for done in range(11):
            clock.now = done * 5.0
            bar.update(done, 10)
    assert "cross-validating" in out.getvalue() and "10/10" in out.getvalue()
    assert "elapsed," not in out.getvalue()  # the plain-line wording is not used


def test_interval_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("PROBKIT_PROGRESS_INTERVAL", "0.5")
    assert progress_interval() == 0.5
    for bad in ("-1", "abc", "inf", ""):
        monkeypatch.setenv("PROBKIT_PROGRESS_INTERVAL", bad)
        assert progress_interval() == 10.0


def test_monte_carlo_off_a_terminal_prints_plain_lines(monkeypatch) -> None:
    import sys

    from probkit_cli import montecarlo_render

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setenv("PROBKIT_PROGRESS_INTERVAL", "0")
    with montecarlo_render._ProgressBar(100) as bar:
        bar.update(0)
        bar.update(40)
        bar.update(100)
    lines = err.getvalue().splitlines()
    assert lines[1].startswith("Monte Carlo: 40/100 draws (40%)")  # every update (interval 0)
    assert lines[-1].startswith("Monte Carlo: done, 100/100 draws")
