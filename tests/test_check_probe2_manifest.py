"""Integrity of tests/check_probe2: each slipped twin differs from its
correct post on exactly its slip_line, and the manifest lists exactly the
files in the folder. Nothing here runs the checker."""

from pathlib import Path
import tomllib

import pytest

HERE = Path(__file__).parent / "check_probe2"
MANIFEST = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))
PAIRS = MANIFEST["pair"]


def test_manifest_lists_exactly_the_posts():
    listed = {p["correct"] for p in PAIRS} | {p["slipped"] for p in PAIRS}
    on_disk = {f.name for f in HERE.glob("*.md") if f.name != "README.md"}
    assert listed == on_disk
    names = [p["name"] for p in PAIRS]
    assert len(names) == len(set(names))
    assert len({p["slipped"] for p in PAIRS}) == len(PAIRS)


@pytest.mark.parametrize("pair", PAIRS, ids=[p["name"] for p in PAIRS])
def test_twin_differs_only_on_slip_line(pair):
    assert pair["language"] in {"en", "ja"}
    assert pair["kind"]
    good = (HERE / pair["correct"]).read_text(encoding="utf-8").split("\n")
    bad = (HERE / pair["slipped"]).read_text(encoding="utf-8").split("\n")
    assert len(good) == len(bad)
    differing = [i + 1 for i, (g, b) in enumerate(zip(good, bad)) if g != b]
    assert differing == [pair["slip_line"]]
