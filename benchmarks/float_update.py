"""Floating-point Bayes at size: probkit's log-space update against empiricaldist.

One seeded problem of 1,000 hypotheses x 1,000 observations, every likelihood a float
k/1000. probkit: ``posterior(priors, likelihoods)`` with float values (the log-space path;
from 100,000 likelihoods on it sums on numpy arrays). empiricaldist (``pip install
'probkit[bench]'``): a ``Pmf`` updated once per observation, ``pmf *= column;
pmf.normalize()``, as its documentation does. Both posteriors are checked to agree
(relative 1e-9 where the posterior is above 1e-300), then each one's best time is printed
with the ratio. Target: probkit >= 10x faster. Run: ``python benchmarks/float_update.py``.
"""

from __future__ import annotations

import argparse
import random
import time

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


def with_empiricaldist(priors: dict[str, float], likelihoods: dict[str, list[float]]
                       ) -> list[float]:
    import numpy as np
    from empiricaldist import Pmf

    names = list(priors)
    table = np.array([likelihoods[name] for name in names])
    pmf = Pmf(np.array([priors[name] for name in names]), names)
    for column in table.T:
        pmf *= column
        pmf.normalize()
    return [float(p) for p in pmf.to_numpy()]


def best(function, *args, repeats: int) -> tuple[float, list[float]]:
    times, out = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        out = function(*args)
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    problem = make_problem(args.size, args.size, seed=1)
    ours, mine = best(with_probkit, *problem, repeats=args.repeats)
    try:
        theirs, other = best(with_empiricaldist, *problem, repeats=args.repeats)
    except ImportError:
        print(f"probkit {ours * 1e3:.0f} ms; empiricaldist is not installed "
              "(pip install 'probkit[bench]')")
        return
    worst = max(abs(a - b) / b for a, b in zip(mine, other, strict=True) if b > 1e-300)
    assert worst < 1e-9, worst
    print(f"{args.size} x {args.size} float update: probkit {ours * 1e3:.0f} ms, "
          f"empiricaldist {theirs * 1e3:.0f} ms: {theirs / ours:.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
