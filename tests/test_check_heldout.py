"""`probkit check` on held-out posts: two corpora of sixteen pairs, each written blind.

``tests/check_heldout/`` (calculus and ML derivatives, written by an author who had read only
docs/check.md) and ``tests/check_heldout_sums/`` (ML and statistics posts with sums, products,
likelihoods and worked numbers, written without reading the checker or its docs). Each pair in
a corpus's manifest.toml is a correct post and its twin with one planted slip (a sign, a missing
factor, a wrong exponent or index, arithmetic, a dropped chain-rule factor) on one line.
The invariant measured per pair: no correct line is reported ``wrong``, and the slip does not pass
silently (a failing finding, ``wrong``, ``unparsed`` or ``undecided``, stands on the slip's line).
A pair that breaks it is a strict xfail naming what the checker did, so a fix shows up as XPASS.
The posts are never edited to please the checker.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

CORPORA = ("check_heldout", "check_heldout_sums")
PAIRS: list[dict[str, Any]] = [
    {**pair, "corpus": corpus}
    for corpus in CORPORA
    for pair in tomllib.loads(
        (Path(__file__).parent / corpus / "manifest.toml").read_text(encoding="utf-8")
    )["pair"]
]
FAILING = {"wrong", "unparsed", "undecided"}

# Pairs observed to break the invariant, by "corpus/language-name", with what the checker did.
# Measured 2026-12-07: none. (check_heldout_sums before the value-statement, solving-row,
# heading, \text-name and unreadable-neighbour rules: 6 correct posts with a false alarm and
# ja/gradient_descent's slip passing silently; see docs/check.md.)
KNOWN_BREAKS: dict[str, str] = {}


def _pair_id(pair: dict[str, Any]) -> str:
    return f"{pair['corpus']}/{pair['language']}-{pair['name']}"


@pytest.mark.parametrize("corpus", CORPORA)
def test_each_manifest_lists_sixteen_pairs_half_in_each_language(corpus: str) -> None:
    languages = [pair["language"] for pair in PAIRS if pair["corpus"] == corpus]
    assert len(languages) == 16
    assert languages.count("en") == 8 and languages.count("ja") == 8
    assert set(KNOWN_BREAKS) <= {_pair_id(pair) for pair in PAIRS}


@pytest.mark.parametrize("pair", PAIRS, ids=_pair_id)
def test_each_twin_differs_from_its_correct_post_on_the_slip_line_only(
    pair: dict[str, Any],
) -> None:
    folder = Path(__file__).parent / pair["corpus"]
    correct = (folder / pair["correct"]).read_text(encoding="utf-8").split("\n")
    slipped = (folder / pair["slipped"]).read_text(encoding="utf-8").split("\n")
    assert len(correct) == len(slipped)
    differing = [
        number
        for number, (a, b) in enumerate(zip(correct, slipped, strict=True), start=1)
        if a != b
    ]
    assert differing == [pair["slip_line"]]


def _findings(pair: dict[str, Any], which: str) -> tuple[bool, list[dict[str, Any]]]:
    from probkit.symbolic.lint import check_paths

    report = check_paths([Path(__file__).parent / pair["corpus"] / pair[which]]).to_dict()
    (post,) = report["posts"]
    return post["passed"], post["findings"]


def _params() -> list[Any]:
    marks = {
        name: pytest.mark.xfail(strict=True, reason=reason) for name, reason in KNOWN_BREAKS.items()
    }
    return [
        pytest.param(pair, id=_pair_id(pair), marks=marks.get(_pair_id(pair), ())) for pair in PAIRS
    ]


@pytest.mark.parametrize("pair", _params())
def test_no_correct_line_is_wrong_and_no_slip_passes_silently(pair: dict[str, Any]) -> None:
    _, correct_findings = _findings(pair, "correct")
    false_alarms = [f for f in correct_findings if f["status"] == "wrong"]
    assert false_alarms == [], f"a correct line was reported wrong: {false_alarms}"
    slipped_passed, slipped_findings = _findings(pair, "slipped")
    on_the_line = [
        f
        for f in slipped_findings
        if f["status"] in FAILING and f["source_line"] == pair["slip_line"]
    ]
    assert not slipped_passed, "the slipped post passed"
    assert on_the_line, f"no failing finding on line {pair['slip_line']}: {slipped_findings}"


# Since sums, derivatives by σ² and dE/dw after E(w) = … are read (2026-12-07), every pair of
# the first held-out set is decided: the correct post passes with nothing to say and the slip
# is `wrong` on its line. (Those readings were built with this set in view, so it no longer
# measures them blind.)
@pytest.mark.parametrize("pair", [p for p in PAIRS if p["corpus"] == "check_heldout"],
                         ids=_pair_id)
def test_every_held_out_slip_is_caught_on_its_line_and_every_correct_post_is_clean(
    pair: dict[str, Any],
) -> None:
    passed, correct_findings = _findings(pair, "correct")
    assert passed and correct_findings == [], correct_findings
    _, slipped_findings = _findings(pair, "slipped")
    assert [(f["source_line"], f["status"]) for f in slipped_findings
            if f["status"] in FAILING] == [(pair["slip_line"], "wrong")], slipped_findings
