"""The table of slow tests (``SLOW_TESTS`` in tests/conftest.py) names tests that exist.

A key whose test was renamed or removed marks nothing, and the test it meant silently
rejoins the quick loop; this catches that for the file and the test's name (not for a
parameter id: a wrong one leaves just that case in the quick loop).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from conftest import SLOW_TESTS
from python_sources import ROOT, probkit_files


@functools.cache
def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _defines(path: Path, name: str) -> bool:
    return re.search(rf"^\s*(?:async\s+)?def {re.escape(name)}\(", _source(path), re.M) is not None


@functools.cache
def _test_files() -> dict[str, Path]:
    """Every test file by its name (names are unique across tests/ and its folders)."""
    return {p.name: p for p in (ROOT / "tests").rglob("test_*.py")}


def _problems(keys) -> list[str]:
    doctest_files = {p.name: p for p in probkit_files()}
    problems = []
    for key in sorted(keys):
        file_name, _, name = key.partition("::")
        base = name.split("[")[0]
        test_file = _test_files().get(file_name)
        if test_file is not None:
            if name and not _defines(test_file, base):
                problems.append(f"{key}: no test {base} in tests/{file_name}")
        elif file_name in doctest_files:  # a module's doctests ("x.py::probkit.pkg.x")
            module = ".".join(doctest_files[file_name].relative_to(ROOT).with_suffix("").parts)
            if base != module:
                problems.append(f"{key}: the doctests of {file_name} are called {module}")
        elif not name or not (ROOT / "docs" / file_name).is_file():
            problems.append(f"{key}: no file {file_name} in tests/, probkit/ or docs/")
    return problems


def test_every_slow_key_names_an_existing_test() -> None:
    assert _problems(SLOW_TESTS) == []


def test_the_table_is_the_one_way_to_mark_a_test_slow() -> None:
    marked = [p.name for p in _test_files().values()
              if re.search(r"mark\.slow\b", _source(p))]
    assert marked == []


def test_a_stale_key_is_reported() -> None:
    """Negative control: a renamed test, a missing file and a wrong doctest name."""
    stale = {"test_slow_table.py::test_that_was_renamed[x]", "test_gone.py::test_a",
             "gradcheck.py::probkit.gradcheck"}
    assert len(_problems(stale)) == 3
    assert _problems({"test_slow_table.py::test_a_stale_key_is_reported"}) == []
    assert _problems({"test_slow_table.py", "test_gone.py"}) == ["test_gone.py: no file "
                                                               "test_gone.py in tests/, "
                                                               "probkit/ or docs/"]
