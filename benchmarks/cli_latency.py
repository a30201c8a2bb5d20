"""Start-up latency of the exact path of ``probkit`` against ``import typer``.

Prints the median wall time of

* ``python -c "import typer"`` (the floor any typer CLI pays), and
* ``probkit urn ...`` / ``probkit bayes ...`` (exact arithmetic, full command; named and
  numeric hypotheses),

measured interleaved in the same run, and their ratio. Target: ratio <= 1.3 (only the
module of the command being run is imported: ``probkit_cli.app`` loads command modules lazily).

probkit's own modules are byte-compiled first (``compileall``), as ``pip install`` does for
an installed package and as typer's are: with ``PYTHONDONTWRITEBYTECODE`` set and no
``__pycache__`` (an editable checkout), every run would otherwise compile probkit's source
again (tens of milliseconds) while typer's cached bytecode is simply loaded, which measures
the compiler rather than the start-up.

Run: ``python benchmarks/cli_latency.py [--repeats 30]``
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _probkit() -> str:
    beside = Path(sys.executable).parent / "probkit"
    found = str(beside) if beside.exists() else shutil.which("probkit")
    if found is None:
        sys.exit("probkit is not installed in this environment (pip install -e .)")
    return found


def compile_probkit() -> None:
    """Byte-compile the probkit and probkit_cli packages (into their ``__pycache__``)."""
    for package in ("probkit", "probkit_cli"):
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations, package
        for folder in spec.submodule_search_locations:
            if not compileall.compile_dir(folder, quiet=1):
                sys.exit(f"could not byte-compile {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    probkit = _probkit()
    compile_probkit()
    commands = {
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "probkit urn (exact)": [probkit, "urn", "--urn", "A=white:9,black:1",
                                "--urn", "B=white:2,black:8", "--draw", "black"],
        "probkit bayes (exact)": [probkit, "bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                  "--likelihood", "A=1/10", "--likelihood", "B=8/10"],
        "probkit bayes --values": [probkit, "bayes", "--values", "4,6,8,12,20", "--family",
                                   "uniform", "--data", "6", "--event", "N > 6"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache once
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    for _ in range(args.repeats):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    reference = statistics.median(times["python -c 'import typer'"])
    print(f"{'command':<28}{'median ms':>10}{'ratio':>8}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<28}{median * 1000:>10.1f}{median / reference:>8.2f}")
    ratio = statistics.median(times["probkit urn (exact)"]) / reference
    verdict = "meets" if ratio <= 1.3 else "MISSES"
    print(f"\nurn/typer ratio {ratio:.2f} ({verdict} the target <= 1.3; {args.repeats} runs each;"
          " probkit byte-compiled first, as an installed package is)")


if __name__ == "__main__":
    main()
