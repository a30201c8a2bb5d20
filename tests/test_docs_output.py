"""The output pasted into README.md and docs/*.md is what the commands print today.

Every ```console block line ``$ probkit ...`` is run and its output compared, for the
commands whose output is deterministic (exact Bayes, seeded Monte Carlo, derivations,
linting, the data audit, the gradient check of a learner's file). Blocks that elide output
with a ``...`` line or show no output are not compared. Commands that name the real data
files run in ``PROBKIT_CAT_DATA`` and are skipped without it.

The classifier commands (train, evaluate, predict, compare, tune) of the pages in
:data:`RUN_IN_ORDER` are run too, in the order of the page, in a folder holding the real
data files (and the photos the page describes), since later commands read the models
earlier ones wrote. Their output carries timings, which are masked (``0.20 s`` and ``9.42 s``
both read ``<seconds>``); a ``...`` line stands for any number of lines.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
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


#: pages whose classifier commands are run in order on the real data (see the docstring)
RUN_IN_ORDER = [ROOT / "README.md", ROOT / "docs" / "classifier.md",
                ROOT / "docs" / "probabilities.md"]
CLASSIFIER = {"train", "evaluate", "predict", "compare", "tune"}


def masked(line: str) -> str:
    """``line`` with timings masked: what differs between two runs of a training command.

    >>> masked("logistic (dual, 2000 iterations, 0.20 s): final cost 0.135608")
    'logistic (dual, 2000 iterations, <seconds>): final cost 0.135608'
    >>> masked("took 3 min 5 s, then 1.5 ms")
    'took <seconds>, then <seconds>'
    """
    line = re.sub(r"\b\d+ h \d+ min\b|\b\d+ min \d+ s\b", "<seconds>", line)
    return re.sub(r"\b\d+(\.\d+)? (s|ms)\b", "<seconds>", line)


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether ``printed`` is ``shown`` line by line, timings masked, where a ``...`` line of
    ``shown`` stands for any number of lines.

    >>> matches(["a", "...", "d"], ["a", "b", "c", "d"]), matches(["a", "d"], ["a", "b", "d"])
    (True, False)
    """
    if not shown:
        return not printed
    if shown[0].strip() == "...":
        return any(matches(shown[1:], printed[i:]) for i in range(len(printed) + 1))
    return bool(printed) and masked(shown[0]) == masked(printed[0]) and matches(shown[1:],
                                                                                printed[1:])


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


def _photos(folder: Path) -> None:
    """The photos docs/classifier.md describes: test image 1 scaled up to 256x256 with
    Lanczos resampling and saved as JPEG, and test image 5 as PNG (made here, never
    committed: they are pictures of the data)."""
    from PIL import Image

    from probkit.classifier.data.datasets import load_dataset

    test = load_dataset(folder / "test_catvnoncat.h5")
    Image.fromarray(test.images[1]).resize((256, 256), Image.Resampling.LANCZOS).save(
        folder / "photo_cat.jpg")
    Image.fromarray(test.images[5]).save(folder / "photo5.png")


def test_masking_catches_a_changed_number_but_not_a_changed_timing() -> None:
    shown = ["logistic (dual, 2000 iterations, 0.20 s): final cost 0.135608", "...", "saved"]
    assert matches(shown, ["logistic (dual, 2000 iterations, 9.42 s): final cost 0.135608",
                           "metric", "saved"])
    assert not matches(shown, ["logistic (dual, 2000 iterations, 0.20 s): final cost 0.135609",
                               "saved"])
    assert not matches(shown, ["logistic (dual, 2000 iterations, 0.20 s): final cost 0.135608"])


@pytest.mark.realdata
@pytest.mark.parametrize("page", RUN_IN_ORDER, ids=lambda p: str(p.relative_to(ROOT)))
def test_classifier_commands_print_what_the_page_shows(page: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue("cat_data_dir")
    for name in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        (tmp_path / name).symlink_to(data / name)
    _photos(tmp_path)
    monkeypatch.chdir(tmp_path)
    compared = 0
    for number, command, shown in _blocks(page):
        words = shlex.split(command)
        if len(words) < 2 or words[0] != "probkit" or words[1] not in CLASSIFIER:
            continue
        # the installed command, stdout and stderr in one pipe as a terminal shows them
        # (unbuffered, so that they interleave in the order they are written)
        result = subprocess.run([sys.executable, "-m", "probkit", *words[1:]],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"}, check=False)
        printed = result.stdout.rstrip("\n").split("\n")
        while shown and not shown[-1].strip():
            shown = shown[:-1]
        assert result.returncode == 0, (number, result.stdout)
        if shown:
            assert matches(shown, printed), (f"{page.name}:{number}", printed)
            compared += 1
    assert compared >= 4  # README.md shows four, the docs pages more
