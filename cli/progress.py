"""Progress on stderr for the classifier commands.

Both bars are :class:`probkit_cli.common.ProgressReporter`: a live rich bar on a
terminal; elsewhere (CI logs, ``nohup``, pipes) a plain line every 10 s saying what
is done, what remains and the time elapsed. Each appears at its first update, so an
error raised before any work leaves stderr to the one-line message.
"""

from __future__ import annotations

from probkit_cli.common import ProgressReporter


class TrainingBar:
    """``training ━━━ 120/2000 cost 0.512345 0:00:01`` while a model is fitted."""

    def __init__(self, total: int = 1) -> None:
        self.set_total(total)
        self._reporter = ProgressReporter("training", unit="iterations")

    def set_total(self, total: int) -> None:
        """The iteration budget (called when the fit starts)."""
        self.total = max(int(total), 1)
        self._every = max(1, self.total // 200)

    def update(self, iteration: int, cost: float) -> None:
        """The ``callback(iteration, cost)`` of a fit."""
        if iteration % self._every == 0 or iteration >= self.total:
            self._reporter.update(iteration, self.total, f"cost {cost:.6f}")

    def finish(self, n_iter: int, final_cost: float) -> None:
        """Show where the fit stopped (early stopping shortens the bar) and stop drawing."""
        total = max(n_iter, 1) if n_iter < self.total else self.total
        self._reporter.update(n_iter, total, f"cost {final_cost:.6f}")
        self._reporter.close(completed=True)

    def stop(self) -> None:
        """Stop drawing (idempotent; no closing line)."""
        self._reporter.close(completed=False)


class SelectionBar:
    """``cross-validating ━━━ 12/40 <candidate>`` during ``probkit tune`` (transient)."""

    def __init__(self) -> None:
        self._reporter = ProgressReporter("cross-validating", unit="fits", transient=True)

    def progress(self, done: int, total: int, label: str) -> None:
        """The ``progress(done, total, label)`` of a selection."""
        self._reporter.update(done, total, label)

    def finish(self) -> None:
        """The closing line off a terminal (if progress lines were written); stop drawing."""
        self._reporter.close(completed=True)

    def stop(self) -> None:
        """Stop drawing (idempotent; no closing line)."""
        self._reporter.close(completed=False)


__all__ = ["SelectionBar", "TrainingBar"]
