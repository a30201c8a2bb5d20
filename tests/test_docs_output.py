"""The output pasted into README.md and docs/*.md is what the commands print today.

Every ```console block line ``$ probkit ...`` is run and its output compared, for the
commands whose output is deterministic (exact Bayes, seeded Monte Carlo, derivations,
linting, the data audit, the gradient check of a learner's file). Blocks that elide output
with a ``...`` line or show no output, and commands that train (their output carries
timings), are not compared. Commands that name the real data files run in
``PROBKIT_CAT_DATA`` and are skipped without it.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from probkit_cli.app import app

ROOT = Path(__file__).resolve().parents[1]
DETERMINISTIC = {"bayes", "urn", "diagnostic", "derive", "check", "data", "gradcheck"}
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line number, command, expected output lines) of every ``$ probkit`` in a console block."""
    found: list[tuple[int, str, list[str]]] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    inside = False
    for number, line in enumerate(lines, start=1):
        if line.strip() == "```console":
            inside = True
            continue
        if inside and line.strip() == "```":
            inside = False
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            found.append((number, line[2:], []))
        elif found and found[-1][0] < number:
            found[-1][2].append(line)
    return found


def _cases() -> list[object]:
    cases: list[object] = []
    for page in PAGES:
        for number, command, expected in _blocks(page):
            words = shlex.split(command)
            if len(words) < 2 or words[0] != "probkit" or words[1] not in DETERMINISTIC:
                continue
            if any(line.strip() == "..." for line in expected) or not any(expected):
                continue  # elided, or a command shown without its output
            marks = [pytest.mark.realdata] if any(w.endswith(".h5") for w in words) else []
            cases.append(pytest.param(words[1:], expected, marks=marks,
                                      id=f"{page.relative_to(ROOT)}:{number}"))
    return cases


CASES = _cases()


def test_the_pages_have_commands_to_check() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_pasted_output_is_real(args: list[str], expected: list[str],
                               monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
                               ) -> None:
    if any(a.endswith(".h5") for a in args):
        monkeypatch.chdir(request.getfixturevalue("cat_data_dir"))
    elif any(not a.startswith("-") and "." in a and os.sep not in a and
             a.endswith((".md", ".tex", ".toml", ".py")) for a in args):
        monkeypatch.chdir(ROOT / "docs")
    result = CliRunner().invoke(app, args)
    assert result.output.rstrip("\n").split("\n") == expected
