"""Packaging and the repository: every package installed, no stray top-level module, CI runs
the README's command, no data or model file tracked. (Who imports whom: test_architecture.py.)"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _packages_on_disk() -> set[str]:
    found = set()
    for init in (ROOT / "probkit").rglob("__init__.py"):
        found.add(".".join(init.parent.relative_to(ROOT).parts))
    for init in (ROOT / "cli").rglob("__init__.py"):
        found.add(".".join(("probkit_cli", *init.parent.relative_to(ROOT / "cli").parts)))
    return found


def test_every_package_is_listed_in_pyproject() -> None:
    assert set(PYPROJECT["tool"]["setuptools"]["packages"]) == _packages_on_disk()


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- test-command -->\s*```(?:bash|sh)?\n(.+?)\n```", readme, re.S)
    assert match, "README.md must mark its test command with <!-- test-command -->"
    command = match.group(1).strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert command in ci.splitlines(), f".ci/run must run exactly: {command}"


def test_no_data_or_model_files_are_tracked() -> None:
    done = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    tracked = [f for f in done.stdout.splitlines()
               if f.endswith((".h5", ".hdf5", ".npz", ".pkl", ".pickle"))]
    assert tracked == []


def test_wheel_installs_no_generic_top_level_module(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot build a wheel offline here: {done.stderr[-300:]}")
    (wheel,) = tmp_path.glob("probkit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        entry_points = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    assert {t for t in tops if not t.endswith((".dist-info", ".data"))} == {"probkit",
                                                                             "probkit_cli"}
    assert "probkit = probkit_cli.app:main" in scripts
