"""Progress bars on stderr for the classifier commands (rich, imported when first drawn).

Each bar appears at its first update, so an error raised before any work leaves
stderr to the one-line message.
"""

from __future__ import annotations

from typing import Any


class TrainingBar:
    """``training ━━━ 120/2000 cost 0.512345 0:00:01`` while a model is fitted."""

    def __init__(self, total: int = 1) -> None:
        self.set_total(total)
        self._bar: Any = None
        self._task: Any = None

    def set_total(self, total: int) -> None:
        """The iteration budget (called when the fit starts)."""
        self.total = max(int(total), 1)
        self._every = max(1, self.total // 200)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bar = Progress(TextColumn("training"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("cost {task.fields[cost]}"), TimeElapsedColumn(),
                             console=Console(stderr=True), transient=False)
        self._task = self._bar.add_task("train", total=self.total, cost="-")
        self._bar.start()

    def update(self, iteration: int, cost: float) -> None:
        """The ``callback(iteration, cost)`` of a fit."""
        if iteration % self._every == 0 or iteration >= self.total:
            if self._bar is None:
                self._start()
            self._bar.update(self._task, completed=iteration, cost=f"{cost:.6f}")

    def finish(self, n_iter: int, final_cost: float) -> None:
        """Show where the fit stopped (early stopping shortens the bar) and stop drawing."""
        if self._bar is None:
            self._start()
        total = max(n_iter, 1) if n_iter < self.total else self.total
        self._bar.update(self._task, total=total, completed=n_iter, cost=f"{final_cost:.6f}")
        self.stop()

    def stop(self) -> None:
        """Stop drawing (idempotent)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


class SelectionBar:
    """``cross-validating ━━━ 12/40 <candidate>`` during ``probkit tune`` (transient)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def progress(self, done: int, total: int, label: str) -> None:
        """The ``progress(done, total, label)`` of a selection."""
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("cross-validating"), BarColumn(),
                                 MofNCompleteColumn(), TextColumn("{task.description}"),
                                 console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("", total=total)
            self._bar.start()
        self._bar.update(self._task, completed=done, total=total, description=label)

    def stop(self) -> None:
        """Stop drawing (idempotent)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


__all__ = ["SelectionBar", "TrainingBar"]
