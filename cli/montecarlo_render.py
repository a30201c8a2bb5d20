"""The ``--mc`` options of ``probkit bayes``, ``urn`` and ``diagnostic``, and their output.

The command module imports this file at start-up, so it imports only the
standard library and typer; numpy, the Monte Carlo engine and rich are imported
inside :meth:`MonteCarloRequest.run`, i.e. only when ``--mc`` is given.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from probkit.bayes.display import monte_carlo_columns, se_digits, z_text
from probkit.errors import InputError
from probkit.numbers import parse_number

if TYPE_CHECKING:
    from probkit.bayes import Posterior
    from probkit.bayes.montecarlo import MonteCarloResult
    from probkit.bayes.numeric import NumericPosterior
    from probkit.bayes.numeric_mc import NumericMonteCarlo
    from probkit.bayes.samplers import Problem

McOption = Annotated[
    str | None,
    typer.Option(
        "--mc",
        metavar="N",
        help="Also estimate every posterior by Monte Carlo with N draws "
        "(e.g. 1e6 or 10_000_000), with standard errors, 95% intervals and z-scores.",
    ),
]
DEFAULT_METHOD = "rejection"
"""The Monte Carlo method without --method: rejection sampling, which simulates the story."""

NUMERIC_DEFAULT_METHOD = "importance"
"""The Monte Carlo method without --method for numeric unknowns (``probkit bayes --values``)."""

MethodOption = Annotated[
    str | None,
    typer.Option(
        "--method",
        metavar="rejection|importance",
        help="Monte Carlo method (with --mc): rejection sampling that simulates the story "
        "(default) or importance sampling.",
    ),
]
BayesMethodOption = Annotated[
    str | None,
    typer.Option(
        "--method",
        metavar="rejection|importance",
        help=f"Monte Carlo method (with --mc): rejection sampling that simulates the story, "
        f"or importance sampling. Default: {NUMERIC_DEFAULT_METHOD} for numeric unknowns "
        f"(--values, or values in a problem file), {DEFAULT_METHOD} for named hypotheses.",
    ),
]
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", metavar="N",
                 help="Seed (with --mc): the same seed gives the same numbers."),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", metavar="N", help="Worker processes for --mc (default 1; at "
                 "most the CPUs available); never changes the result."),
]

PROGRESS_AFTER = 1.0  # seconds before a progress bar appears


@dataclass(frozen=True)
class MonteCarloRequest:
    """What ``--mc N --method M --seed S --workers W`` asked for."""

    draws: int
    method: str
    seed: int | None
    workers: int

    def run(self, problem: Problem, exact: Posterior) -> MonteCarloResult:
        """Simulate (numpy is imported here), with a progress bar for long runs."""
        from probkit.bayes.montecarlo import monte_carlo

        with _ProgressBar(self.draws) as bar:
            return monte_carlo(problem, self.draws, method=self.method, seed=self.seed,
                               workers=self.workers, exact=exact, progress=bar.update)

    def run_numeric(self, result: NumericPosterior) -> NumericMonteCarlo:
        """Estimate the posterior means and events of a numeric problem (numpy imported here)."""
        with _ProgressBar(self.draws) as bar:
            return result.monte_carlo(self.draws, method=self.method, seed=self.seed,
                                      workers=self.workers, progress=bar.update)


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def monte_carlo_request(
    mc: str | None, method: str | None, seed: int | None, workers: int | None
) -> MonteCarloRequest | None:
    """Validate the options; ``None`` when ``--mc`` was not given.

    >>> monte_carlo_request("1e6", None, 7, None)
    MonteCarloRequest(draws=1000000, method='rejection', seed=7, workers=1)
    >>> monte_carlo_request(None, None, None, None) is None
    True
    """
    if mc is None:
        given = [name for name, value in
                 (("--method", method), ("--seed", seed), ("--workers", workers))
                 if value is not None]
        if given:
            raise InputError(f"{given[0]} only applies with --mc N (a number of draws)")
        return None
    value = parse_number(mc, what="--mc")
    if value.denominator != 1 or value < 1:
        raise InputError(f"--mc: {mc!r} is not a positive whole number of draws")
    chosen = DEFAULT_METHOD if method is None else method.strip().lower()
    if chosen not in ("rejection", "importance"):
        raise InputError(f"--method: {method!r} is not rejection or importance")
    if seed is not None and seed < 0:
        raise InputError(f"--seed: {seed} is negative (give a whole number >= 0)")
    if workers is not None and workers < 1:
        raise InputError(f"--workers: {workers} must be at least 1")
    if workers is not None and workers > (available := available_cpus()):
        sys.stderr.write(f"note: --workers {workers} capped at the {available} CPUs "
                         "available to this process\n")
        workers = available
    return MonteCarloRequest(draws=int(value), method=chosen, seed=seed,
                             workers=1 if workers is None else workers)


def add_to_json(payload: dict[str, Any], result: MonteCarloResult) -> None:
    """Add ``monte_carlo`` to each hypothesis, and ``draws``, ``method``, ``seed`` to the top."""
    run = result.to_dict()
    estimates = run.pop("hypotheses")
    for hypothesis in payload["hypotheses"]:
        hypothesis["monte_carlo"] = estimates[hypothesis["name"]]
    payload["draws"] = run.pop("draws")
    payload["method"] = run.pop("method")
    payload["seed"] = run.pop("seed")
    payload["monte_carlo_summary"] = run


def add_to_table(
    headers: list[str], rows: list[list[str]], right: list[bool], result: MonteCarloResult,
    *, reference: str = "exact",
) -> None:
    """Append the Monte Carlo columns: estimate ± SE, the interval, and z against the
    engine's answer (``reference``: "exact", or "float" with --float)."""
    extra_headers, extra_rows = monte_carlo_columns(result, reference=reference)
    headers += extra_headers
    right += [True] * len(extra_headers)
    for row, extra in zip(rows, extra_rows, strict=True):
        row += extra


def numeric_table(result: NumericMonteCarlo, *, reference: str = "exact") -> str:
    """The Monte Carlo estimates of a numeric problem: means and events, with SEs and z.

    Without enough information for an interval (too few accepted draws, or too small an
    effective sample size) the row says so instead of showing a misleading ``± 0``."""
    from probkit_cli.common import table

    percent = f"{result.confidence:.0%}"
    rows = []
    for e in result.estimates:
        if e.stderr is None or e.ci_low is None or e.ci_high is None:
            shown = "-" if e.estimate is None else f"{e.estimate:.4g} (no SE)"
            rows.append([e.what, shown, "none: see the note below", f"{e.exact:.4g}", "-"])
            continue
        assert e.estimate is not None
        digits = se_digits(e.stderr / max(1.0, abs(e.estimate)))
        rows.append([e.what, f"{e.estimate:.{digits}g} ± {e.stderr:.2g}",
                     f"[{e.ci_low:.{digits}g}, {e.ci_high:.{digits}g}]", f"{e.exact:.{digits}g}",
                     z_text(e.z)])
    text = table(["Monte Carlo", "estimate ± SE", f"{percent} interval", reference,
                  f"z vs {reference}"], rows, right=[False, True, True, True, True])
    if result.note is None:
        return text
    from probkit_cli.parameters import option_text

    return f"{text}\nnote: {option_text(result.note)}"


class _ProgressBar:
    """A rich progress bar on stderr, shown only on a terminal and after about a second;
    off a terminal, a plain progress line every 10 s (:class:`~probkit_cli.common.
    ProgressReporter`), so long runs in logs and pipes are not silent."""

    def __init__(self, total: int) -> None:
        from probkit_cli.common import ProgressReporter

        self.total = total
        self.start = time.monotonic()
        self.enabled = sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None
        self.plain = None if self.enabled else ProgressReporter(
            "Monte Carlo", unit="draws", live=False)

    def __enter__(self) -> _ProgressBar:
        return self

    def update(self, done: int) -> None:
        if self.plain is not None:
            self.plain.update(done, self.total)
            return
        if self.bar is None:
            if time.monotonic() - self.start < PROGRESS_AFTER or done >= self.total:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Monte Carlo draws", total=self.total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.plain is not None:
            self.plain.close(completed=kind is None)
        if self.bar is not None:
            self.bar.stop()
