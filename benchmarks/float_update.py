"""Floating-point Bayes at size: probkit's log-space update against empiricaldist.

One seeded problem of 1,000 hypotheses x 1,000 observations, every likelihood a float
k/1000, given two ways:

* **lists** (a dict of lists of Python floats): probkit ``posterior(priors, likelihoods)``
  against empiricaldist building its table with ``np.array`` and updating;
* **arrays** (a dict of 1-D float arrays for ``posterior``; a 2-D array, one row per value,
  for ``Distribution(values, prior).update(table)``) against empiricaldist given the
  2-D array as it is.

empiricaldist (``pip install 'probkit[bench]'``) updates a ``Pmf`` once per observation,
``pmf *= column; pmf.normalize()``, as its documentation does. All posteriors are checked to
agree (relative 1e-9 where the posterior is above 1e-300), then each one's best time is
printed with the ratio, all from the same run. Target: probkit >= 10x faster.

Then the way a notebook uses it, one update per observation, as empiricaldist does it:

* ``Distribution.update(column)`` for each column of the same table;
* ``Distribution.update(f)`` for each of 1,000 seeded coin flips, ``f`` a vectorized function
  of the value (``lambda p: p`` for heads, ``lambda p: 1 - p`` for tails) on a grid of 1,000
  rates, against ``pmf *= qs`` (or ``1 - qs``) and ``pmf.normalize()``.

Target there: at least as fast as empiricaldist (>= 1x), ideally >= 2x. Run:
``python benchmarks/float_update.py``.
"""

from __future__ import annotations

import argparse
import random
import time

from probkit import Distribution
from probkit.bayes import posterior


def make_problem(hypotheses: int, observations: int, seed: int
                 ) -> tuple[dict[str, float], dict[str, list[float]]]:
    rng = random.Random(seed)
    priors = {f"H{i}": 1.0 / hypotheses for i in range(hypotheses)}
    likelihoods = {name: [rng.randint(1, 999) / 1000 for _ in range(observations)]
                   for name in priors}
    return priors, likelihoods


def with_probkit(priors: dict[str, float], likelihoods: dict[str, list[float]]) -> list[float]:
    result = posterior(priors, likelihoods, trace=False)
    return [float(h.posterior) for h in result.hypotheses]


def with_probkit_arrays(priors: dict[str, float], likelihoods: dict[str, object]
                        ) -> list[float]:
    return with_probkit(priors, likelihoods)  # type: ignore[arg-type]


def with_distribution(values: object, prior: object, table: object) -> list[float]:
    post = Distribution(values, prior).update(table)  # type: ignore[arg-type]
    return [float(p) for p in post.probs]


def with_distribution_per_observation(values: object, prior: object, table: object
                                      ) -> list[float]:
    post = Distribution(values, prior)  # type: ignore[arg-type]
    for column in table.T:  # type: ignore[attr-defined]
        post = post.update(column)
    return [float(p) for p in post.probs]


def with_distribution_function(grid: object, flips: list[bool]) -> list[float]:
    post = Distribution(grid, [1.0] * len(grid))  # type: ignore[arg-type]
    for heads in flips:
        post = post.update((lambda p: p) if heads else (lambda p: 1 - p))
    return [float(p) for p in post.probs]


def with_empiricaldist_function(grid: object, flips: list[bool]) -> list[float]:
    from empiricaldist import Pmf

    pmf = Pmf(1.0, grid)
    for heads in flips:
        pmf *= pmf.qs if heads else 1 - pmf.qs
        pmf.normalize()
    return [float(p) for p in pmf.to_numpy()]


def with_empiricaldist(priors: dict[str, float], likelihoods: dict[str, list[float]]
                       ) -> list[float]:
    import numpy as np

    names = list(priors)
    table = np.array([likelihoods[name] for name in names])
    return with_empiricaldist_arrays(np.array([priors[name] for name in names]), table)


def with_empiricaldist_arrays(prior: object, table: object) -> list[float]:
    from empiricaldist import Pmf

    pmf = Pmf(prior, range(len(prior)))  # type: ignore[arg-type]
    for column in table.T:  # type: ignore[attr-defined]
        pmf *= column
        pmf.normalize()
    return [float(p) for p in pmf.to_numpy()]


def best_of(contenders: dict[str, tuple], repeats: int
            ) -> dict[str, tuple[float, list[float]]]:
    """Each contender's best time and result; the rounds take turns (one run of each per
    round), so that a burst of load on a shared machine slows all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    out: dict[str, list[float]] = {}
    for _ in range(repeats):
        for name, (function, *args) in contenders.items():
            start = time.perf_counter()
            out[name] = function(*args)
            times[name].append(time.perf_counter() - start)
    return {name: (min(times[name]), out[name]) for name in contenders}


def agree(mine: list[float], other: list[float]) -> None:
    worst = max(abs(a - b) / b for a, b in zip(mine, other, strict=True) if b > 1e-300)
    assert worst < 1e-9, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    priors, likelihoods = make_problem(args.size, args.size, seed=1)
    try:
        import empiricaldist  # noqa: F401
    except ImportError:
        ours, _ = best_of({"lists": (with_probkit, priors, likelihoods)}, args.repeats)["lists"]
        print(f"probkit {ours * 1e3:.0f} ms; empiricaldist is not installed "
              "(pip install 'probkit[bench]')")
        return
    import numpy as np

    names = list(priors)
    table = np.array([likelihoods[name] for name in names])
    prior = np.array([priors[name] for name in names])
    rows = dict(zip(names, table, strict=True))
    values = np.arange(args.size)
    grid = (np.arange(args.size) + 0.5) / args.size  # rates strictly inside (0, 1)
    flip_rng = random.Random(2)
    flips = [flip_rng.random() < 0.3 for _ in range(args.size)]
    timed = best_of({
        "lists": (with_probkit, priors, likelihoods),
        "empiricaldist lists": (with_empiricaldist, priors, likelihoods),
        "arrays": (with_probkit_arrays, priors, rows),
        "distribution": (with_distribution, values, prior, table),
        "empiricaldist arrays": (with_empiricaldist_arrays, prior, table),
        "per column": (with_distribution_per_observation, values, prior, table),
        "function": (with_distribution_function, grid, flips),
        "empiricaldist function": (with_empiricaldist_function, grid, flips),
    }, args.repeats)
    agree(timed["lists"][1], timed["empiricaldist lists"][1])
    for name in ("arrays", "distribution", "per column"):
        agree(timed[name][1], timed["empiricaldist arrays"][1])
    agree(timed["function"][1], timed["empiricaldist function"][1])

    def line(what: str, probkit: float, empirical: float, target: str) -> str:
        return (f"  {what:<52} probkit {probkit * 1e3:5.0f} ms, empiricaldist "
                f"{empirical * 1e3:4.0f} ms: {empirical / probkit:5.1f}x{target}")

    lists, arrays = timed["empiricaldist lists"][0], timed["empiricaldist arrays"][0]
    print(f"{args.size} x {args.size} float update, best of {args.repeats} (same run, "
          "taking turns)")
    print(line("lists: posterior(priors, likelihoods)", timed["lists"][0], lists,
               " (target >= 10x)"))
    print(line("arrays: posterior(priors, {name: row})", timed["arrays"][0], arrays,
               " (target >= 10x)"))
    print(line("arrays: Distribution(values, prior).update(table)", timed["distribution"][0],
               arrays, " (target >= 10x)"))
    print("one update per observation (target >= 1x, ideally >= 2x)")
    print(line("arrays: Distribution.update(column), each column", timed["per column"][0],
               arrays, ""))
    print(line("function: Distribution.update(f), 1,000 coin flips", timed["function"][0],
               timed["empiricaldist function"][0], ""))


if __name__ == "__main__":
    main()
