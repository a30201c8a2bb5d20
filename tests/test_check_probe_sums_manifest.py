"""Integrity of the blind probe posts in tests/check_probe_sums/ (not a test of `probkit check`).

Each planted twin must differ from its correct post on exactly the line the manifest names,
so that any later measurement of the checker on these posts blames the right line.
"""

import tomllib
from pathlib import Path

import pytest

PROBE_DIR = Path(__file__).parent / "check_probe_sums"
PAIRS = tomllib.loads((PROBE_DIR / "manifest.toml").read_text(encoding="utf-8"))["pair"]


def _lines(name: str) -> list[str]:
    return (PROBE_DIR / name).read_text(encoding="utf-8").split("\n")


def test_manifest_names_are_unique_and_every_post_is_listed() -> None:
    names = [pair["name"] for pair in PAIRS]
    assert len(names) == len(set(names))
    listed = {pair["correct"] for pair in PAIRS} | {pair["slipped"] for pair in PAIRS}
    on_disk = {path.name for path in PROBE_DIR.glob("*.md")} - {"README.md"}
    assert listed == on_disk


@pytest.mark.parametrize("pair", PAIRS, ids=[pair["name"] for pair in PAIRS])
def test_twin_differs_from_its_correct_post_on_exactly_the_slip_line(pair: dict) -> None:
    assert pair["language"] in ("en", "ja")
    assert pair["kind"]
    correct, slipped = _lines(pair["correct"]), _lines(pair["slipped"])
    assert len(correct) == len(slipped)
    pairs_of_lines = enumerate(zip(correct, slipped, strict=True), start=1)
    differing = [number for number, (a, b) in pairs_of_lines if a != b]
    assert differing == [pair["slip_line"]]
