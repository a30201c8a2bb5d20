"""Wall time of ``probkit derive sigmoid`` against ``python -c "import sympy"``.

Also ``probkit derive --expr`` on a composed activation (mish,
x tanh(softplus(x)): product, tanh, softplus and chain rules, every step
checked), against the same reference (target: <= 1.6).

Also ``probkit check`` on a post with three display blocks (a definition, the
sigmoid's derivative, a cross-entropy gradient): SymPy's import and
probkit's own LaTeX reader count, as they do for a user (target: <= 1.3).

All are run as fresh processes, alternately, several times in the same run;
the script prints the median of each and their ratio. It also prints the
start-up time of ``probkit --version`` (the CLI alone) so the part of the
ratio owed to the command line framework is visible.

Last, in the same run, ``probkit check`` on a folder of 40 posts (the first
20 pairs of tests/check_corpus/, copied to a temporary folder) in one
process, reported as posts per second.

Run: ``.venv/bin/python benchmarks/derive_latency.py [--repeats N] [--folder-repeats N]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 1.6
CHECK_TARGET = 1.3
FOLDER_POSTS = 40
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "check_corpus"

EXPR_LABEL = "probkit derive --expr (mish)"
EXPR_ARGS = ["derive", "--expr", "x*tanh(log(1+exp(x)))"]
"""The ``derive --expr`` case: a composed activation."""

CHECK_POST = r"""# A post with three blocks

$$
f(x) = \frac{1}{1+e^{-ax}} \quad (a > 0)
$$

$$
\begin{aligned}
f'(x) &= \frac{ae^{-ax}}{(1+e^{-ax})^2} \\
      &= af(x)(1-f(x))
\end{aligned}
$$

$$
\frac{\partial}{\partial p}\left(-(y \log p + (1-y)\log(1-p))\right)
  = \frac{p-y}{p(1-p)} \quad (0 < p < 1)
$$
"""


def _check_post() -> str:
    """Write :data:`CHECK_POST` to a temporary file (removed at exit); return its path."""
    import atexit
    import tempfile

    directory = tempfile.mkdtemp(prefix="probkit-bench-")
    path = Path(directory) / "post.md"
    path.write_text(CHECK_POST, encoding="utf-8")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return str(path)


def _folder_of_posts() -> str:
    """Copy the first :data:`FOLDER_POSTS` posts of the check corpus (manifest order, each
    correct post then its twin) to a temporary folder (removed at exit); return its path."""
    import atexit
    import tempfile
    import tomllib

    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    posts = [entry[key] for entry in manifest["pair"] for key in ("correct", "slip")]
    if len(posts) < FOLDER_POSTS:
        raise SystemExit(f"the check corpus holds {len(posts)} posts, fewer than {FOLDER_POSTS}")
    directory = Path(tempfile.mkdtemp(prefix="probkit-bench-folder-"))
    atexit.register(shutil.rmtree, str(directory), ignore_errors=True)
    for name in posts[:FOLDER_POSTS]:
        (directory / name.replace("/", "_")).write_bytes((CORPUS / name).read_bytes())
    return str(directory)


def _folder_rate(folder: str, repeats: int) -> None:
    """Print posts per second of one ``probkit check FOLDER`` process."""
    probe = subprocess.run([*_probkit(), "check", folder], capture_output=True, text=True)
    if probe.returncode not in (0, 1):  # 1: the folder holds the slipped twins
        raise SystemExit(f"probkit check {folder} failed: {probe.stderr.strip()}")
    times = [_time([*_probkit(), "check", folder], check=False) for _ in range(repeats)]
    median = statistics.median(times)
    print(f"probkit check FOLDER ({FOLDER_POSTS} posts, one process): median "
          f"{median:.2f} s over {repeats} runs = {FOLDER_POSTS / median:.1f} posts/s")


def _probkit() -> list[str]:
    script = Path(sys.executable).with_name("probkit")
    if script.exists():
        return [str(script)]
    found = shutil.which("probkit")
    if found is None:
        raise SystemExit("the probkit console script is not installed")
    return [found]


def _time(command: list[str], check: bool = True) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "0"})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--folder-repeats", type=int, default=3)
    args = parser.parse_args()
    commands = {
        "probkit derive sigmoid": [*_probkit(), "derive", "sigmoid"],
        EXPR_LABEL: [*_probkit(), *EXPR_ARGS],
        "probkit check (3 blocks)": [*_probkit(), "check", _check_post()],
        'python -c "import sympy"': [sys.executable, "-c", "import sympy"],
        "probkit --version": [*_probkit(), "--version"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    for command in commands.values():  # warm the caches (and .pyc files) once
        _time(command)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(args.repeats):
        for label, command in commands.items():
            times[label].append(_time(command))
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, value in medians.items():
        print(f"{label:<28} median {value * 1000:7.1f} ms over {args.repeats} runs")
    ratio = medians["probkit derive sigmoid"] / medians['python -c "import sympy"']
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print(f"ratio derive sigmoid / import sympy: {ratio:.2f} ({verdict} the target {TARGET})")
    expr_ratio = medians[EXPR_LABEL] / medians['python -c "import sympy"']
    verdict = "within" if expr_ratio <= TARGET else "ABOVE"
    print(f"ratio derive --expr / import sympy: {expr_ratio:.2f} ({verdict} the target {TARGET})")
    check = medians["probkit check (3 blocks)"] / medians['python -c "import sympy"']
    verdict = "within" if check <= CHECK_TARGET else "ABOVE"
    print(f"ratio check (3 blocks) / import sympy: {check:.2f} "
          f"({verdict} the target {CHECK_TARGET})")
    _folder_rate(_folder_of_posts(), args.folder_repeats)


if __name__ == "__main__":
    main()
