"""Lazy imports, checked on the installed ``probkit`` console script itself.

The interpreter's own import log (``PYTHONPROFILEIMPORTTIME``) lists every
module the real command imported, so nothing in-process (the test runner,
CliRunner) can hide or add an import.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {"numpy", "scipy", "sympy", "h5py", "matplotlib", "PIL"}


def _imported_top_level(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    script = Path(sys.executable).with_name("probkit")
    if not script.exists():
        pytest.skip("the probkit console script is not installed next to this interpreter")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPROFILEIMPORTTIME"] = "1"
    done = subprocess.run([str(script), *args], capture_output=True, text=True, env=env,
                          check=False, timeout=180)
    modules = {line.rsplit("|", 1)[1].strip().split(".")[0]
               for line in done.stderr.splitlines() if line.startswith("import time:")}
    modules.discard("package")  # the log's header line
    return done, modules


@pytest.mark.parametrize(
    "args",
    [
        ("bayes", "--prior", "A=1/2", "--prior", "B=1/2", "--likelihood", "A=1/10",
         "--likelihood", "B=8/10", "--json"),
        ("urn", "--urn", "A=white:9,black:1", "--urn", "B=white:2,black:8", "--draw", "black"),
        ("diagnostic", "--prevalence", "1/1000", "--sensitivity", "99%",
         "--false-positive-rate", "5%", "--result", "positive"),
        ("bayes", "--values", "1..1000", "--family", "uniform", "--data", "60,30,90",
         "--prior", "power:-1", "--event", "N > 100"),
        ("bayes", "--values", "0:1:101", "--family", "binomial", "--data", "140/250",
         "--json"),
    ],
    ids=["bayes", "urn", "diagnostic", "bayes-values", "bayes-values-json"],
)
def test_exact_commands_import_no_heavy_package(args: tuple[str, ...]) -> None:
    done, modules = _imported_top_level(*args)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "typer" in modules  # the log is being read
    assert not modules & HEAVY, sorted(modules & HEAVY)


def test_problem_file_imports_no_heavy_package(tmp_path: Path) -> None:
    problem = tmp_path / "problem.toml"
    problem.write_text('[hypotheses]\nvalues = "4,6,8,12,20"\n[likelihood]\n'
                       'family = "uniform"\ndata = [6]\n[report]\nevents = ["N > 6"]\n')
    done, modules = _imported_top_level("bayes", "--file", str(problem))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "tomllib" in modules  # the file was read
    assert not modules & HEAVY, sorted(modules & HEAVY)


def test_plot_imports_matplotlib_only_when_asked(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "dice.png"
    done, modules = _imported_top_level("bayes", "--values", "4,6,8,12,20", "--family",
                                        "uniform", "--data", "6", "--plot", str(target))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "matplotlib" in modules and target.exists()  # negative control


def test_bad_exact_input_imports_no_heavy_package() -> None:
    done, modules = _imported_top_level("bayes", "--prior", "A=nan", "--likelihood", "A=1")
    assert done.returncode == 2
    assert not modules & HEAVY, sorted(modules & HEAVY)


def test_derive_sigmoid_imports_sympy_but_not_scipy_or_h5py() -> None:
    done, modules = _imported_top_level("derive", "sigmoid")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sympy" in modules  # negative control: heavy imports do show up in the log
    assert not modules & {"scipy", "h5py", "matplotlib", "PIL"}, sorted(modules & HEAVY)


@pytest.mark.parametrize("how", ["one-file", "folder"])
def test_check_of_a_post_without_maths_imports_no_heavy_package(tmp_path: Path,
                                                                 how: str) -> None:
    # every pre-commit run on a prose-only commit takes this path: it must stay cheap
    prose = tmp_path / "prose.md"
    prose.write_text("---\ntitle: notes\n---\nNo maths here, only words.\n")
    args = (str(prose), "--allow-no-maths") if how == "one-file" else (str(tmp_path),)
    done, modules = _imported_top_level("check", *args)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "typer" in modules  # the log is being read
    assert not modules & HEAVY, sorted(modules & HEAVY)


def test_check_of_a_post_with_maths_imports_sympy(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text("$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n")
    done, modules = _imported_top_level("check", str(post), "--allow-no-maths")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sympy" in modules  # negative control: the log does show SymPy when it is needed
