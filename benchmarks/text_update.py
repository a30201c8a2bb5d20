"""Exact update from text: 150 named hypotheses x 150 decimal likelihoods given as strings.

What a problem file or the command line hands the engine: every likelihood is text such as
``"0.137"``. The baseline is the bare loop a user would write with the standard library
(``Fraction(text)`` for each value, the products, the sum, one division per hypothesis);
probkit is ``posterior(priors, likelihoods)`` on the same strings, which reads each
distinct text once (``probkit.numbers.parse_number`` remembers what it read) and uses
integer arithmetic over common denominators. Target: probkit >= 2x the bare loop. Also
times ``parse_number`` on new text (target <= 3 us per number). Both are measured in this
one run, best of ``--repeats``; the answers are checked to be identical.
Run: ``python benchmarks/text_update.py``.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from fractions import Fraction

from probkit import numbers
from probkit.bayes import posterior


def make_problem(size: int, seed: int) -> tuple[dict[str, str], dict[str, list[str]]]:
    rng = random.Random(seed)
    names = [f"H{i}" for i in range(size)]
    priors = dict.fromkeys(names, f"1/{size}")
    likelihoods = {name: [f"0.{rng.randint(1, 999):03d}" for _ in range(size)]
                   for name in names}
    return priors, likelihoods


def bare_loop(priors: dict[str, str], likelihoods: dict[str, list[str]]) -> dict[str, Fraction]:
    joint = {name: Fraction(priors[name]) * math.prod(Fraction(x) for x in likelihoods[name])
             for name in priors}
    total = sum(joint.values())
    return {name: j / total for name, j in joint.items()}


def with_probkit(priors: dict[str, str], likelihoods: dict[str, list[str]]
                 ) -> dict[str, Fraction]:
    result = posterior(priors, likelihoods, trace=False)
    return {h.name: h.posterior for h in result.hypotheses}  # type: ignore[misc]


def best(function, *args, repeats: int, fresh: bool = False) -> float:
    times = []
    for _ in range(repeats):
        if fresh:
            numbers._PARSED.clear()  # noqa: SLF001 - time reading new text, not the memory
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    priors, likelihoods = make_problem(args.size, seed=1)
    assert bare_loop(priors, likelihoods) == with_probkit(priors, likelihoods)
    bare = best(bare_loop, priors, likelihoods, repeats=args.repeats)
    ours = best(with_probkit, priors, likelihoods, repeats=args.repeats, fresh=True)
    print(f"{args.size} x {args.size} decimal texts: bare Fraction loop {bare * 1e3:.1f} ms, "
          f"probkit {ours * 1e3:.1f} ms: {bare / ours:.2f}x (target >= 2x)")
    texts = [f"0.{i:03d}" for i in range(1, 1000)] + [f"{i}/{i + 7}" for i in range(1, 1000)]

    def read_all() -> None:
        numbers._PARSED.clear()  # noqa: SLF001
        for text in texts:
            numbers.parse_number(text)

    per = best(read_all, repeats=args.repeats) / len(texts)
    print(f"parse_number on new text: {per * 1e6:.2f} us per number (target <= 3 us)")


if __name__ == "__main__":
    main()
