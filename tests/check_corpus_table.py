"""How ``probkit check`` does on the check corpus (tests/check_corpus/): docs/check.md's table.

The corpus is pairs of posts, a correct post and its twin with one planted slip
(tests/check_corpus/manifest.toml). This module runs the public API,
:func:`probkit.symbolic.lint.check_file`, on every post and sorts each outcome:

* a correct post is **clean** (no finding but ``render``), **refused** (only refusals:
  ``unparsed``, ``undecided``, ``condition``) or a **false alarm** (any ``wrong``);
* a slip is **caught** (``wrong`` on its line, and not on that line of the correct post:
  else the "catch" is the correct post's false alarm), **refused on its line** (a refusal on that
  line, or the equality ending on that line not decided), **refused in its block** (no
  equality ends on the line, and the maths block holding it has a refusal), **blamed
  elsewhere** (a ``wrong`` on another line only) or **missed** (nothing: passed silently).

The invariant that must always hold: no correct post is a false alarm, and every slip is
caught or refused, with no ``wrong`` on any other line of its twin.

Run: ``python tests/check_corpus_table.py`` (prints the Markdown table and, with
``--details``, one line per post); ``--heldout`` and ``--heldout-sums`` do the same for the
held-out sets (tests/check_heldout/, tests/check_heldout_sums/).
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "check_corpus"
HELDOUT = Path(__file__).resolve().parent / "check_heldout"
HELDOUT_SUMS = Path(__file__).resolve().parent / "check_heldout_sums"

REFUSALS = frozenset({"unparsed", "undecided", "condition"})
"""Statuses that say "not checked" (the reader or the checker declined): never a verdict."""
NOT_MATHS = frozenset({"render"})
"""Statuses about how a post renders, not about its mathematics."""
KNOWN_STATUSES = REFUSALS | NOT_MATHS | {"wrong"}

CLEAN, REFUSED, FALSE_ALARM = "clean", "refused", "false alarm"
CAUGHT, AS_ITS_TWIN, REFUSED_ON_LINE, REFUSED_IN_BLOCK, BLAMED_ELSEWHERE, MISSED = (
    "caught", "wrong there in the correct post too", "refused on its line",
    "refused in its block", "blamed elsewhere", "missed")
SLIP_OUTCOMES_KEEPING_THE_INVARIANT = (CAUGHT, REFUSED_ON_LINE, REFUSED_IN_BLOCK)


@dataclass(frozen=True)
class Pair:
    """One entry of the manifest."""

    id: str
    correct: Path
    slip: Path
    slip_line: int
    slip_kind: str
    description: str
    language: str
    topics: tuple[str, ...]
    styles: tuple[str, ...]


def load_manifest() -> list[Pair]:
    """The pairs of tests/check_corpus/manifest.toml, in its order."""
    data = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    return [Pair(id=entry["id"], correct=CORPUS / entry["correct"], slip=CORPUS / entry["slip"],
                 slip_line=entry["slip_line"], slip_kind=entry["slip_kind"],
                 description=entry["description"], language=entry["language"],
                 topics=tuple(entry["topics"]), styles=tuple(entry["styles"]))
            for entry in data["pair"]]


_OPEN = re.compile(r"^\s*(\$\$|\\\[|\\begin\{(equation|align|gather|multline)\*?\})")
_CLOSE = re.compile(r"(\$\$|\\\]|\\end\{(equation|align|gather|multline)\*?\})\s*$")


def block_lines(text: str, line: int) -> range:
    """The lines (1-based) of the display-maths block holding ``line``, or just ``line``.

    Deliberately simple (this is the corpus's own markup: ``$$`` on lines of their own, or a
    bare ``\\begin{align}``): it only widens where a refusal next to a slip still counts.
    """
    lines = text.split("\n")
    start = None
    for number, content in enumerate(lines, start=1):
        if start is None and _OPEN.match(content) and not (
                content.strip().startswith("$$") and content.strip().endswith("$$")
                and len(content.strip()) > 2):
            start = number
            continue
        if start is not None and _CLOSE.search(content):
            if start <= line <= number:
                return range(start, number + 1)
            start = None
    return range(line, line + 1)


def _statuses(report: Any) -> list[tuple[int, str]]:
    found = [(finding.source_line, finding.status) for finding in report.findings]
    unknown = {status for _, status in found} - KNOWN_STATUSES
    if unknown:
        raise AssertionError(f"a finding status this table does not know: {sorted(unknown)}; "
                             "add it to REFUSALS or NOT_MATHS in tests/check_corpus_table.py")
    return found


def classify_correct(report: Any) -> str:
    """clean, refused or false alarm."""
    statuses = {status for _, status in _statuses(report)}
    if "wrong" in statuses:
        return FALSE_ALARM
    return REFUSED if statuses & REFUSALS else CLEAN


def classify_slip(pair: Pair, report: Any, correct_report: Any) -> str:
    """What became of the planted slip (see the module docstring)."""
    found = _statuses(report)
    on_line = {status for line, status in found if line == pair.slip_line}
    if "wrong" in on_line:
        if any(line == pair.slip_line and status == "wrong"
               for line, status in _statuses(correct_report)):
            return AS_ITS_TWIN
        return CAUGHT
    ending_here = [eq.status for eq in report.equalities if eq.line == pair.slip_line]
    if on_line & REFUSALS or any(status in REFUSALS for status in ending_here):
        return REFUSED_ON_LINE
    if any(status == "verified" for status in ending_here):
        return BLAMED_ELSEWHERE if any(s == "wrong" for _, s in found) else MISSED
    block = block_lines(pair.slip.read_text(encoding="utf-8"), pair.slip_line)
    if any(line in block and status in REFUSALS for line, status in found):
        return REFUSED_IN_BLOCK
    return BLAMED_ELSEWHERE if any(s == "wrong" for _, s in found) else MISSED


def wrong_elsewhere(pair: Pair, report: Any) -> list[int]:
    """Lines of the twin other than the slip line reported ``wrong`` (false alarms)."""
    return sorted({line for line, status in _statuses(report)
                   if status == "wrong" and line != pair.slip_line})


@dataclass(frozen=True)
class Outcome:
    """The two reports of one pair, sorted."""

    pair: Pair
    correct: str
    slip: str
    false_alarms: int
    """``wrong`` findings on the correct post."""
    false_alarms_in_twin: tuple[int, ...]
    """Lines of the twin, not the slip line, reported ``wrong``."""
    unreadable_lines: int
    """Distinct lines of the correct post reported ``unparsed``."""

    @property
    def keeps_the_invariant(self) -> bool:
        return (self.correct != FALSE_ALARM and self.slip in SLIP_OUTCOMES_KEEPING_THE_INVARIANT
                and not self.false_alarms_in_twin)


def outcome(pair: Pair, correct_report: Any, slip_report: Any) -> Outcome:
    """Sort the reports of ``pair``."""
    statuses = _statuses(correct_report)
    return Outcome(pair=pair, correct=classify_correct(correct_report),
                   slip=classify_slip(pair, slip_report, correct_report),
                   false_alarms=sum(status == "wrong" for _, status in statuses),
                   false_alarms_in_twin=tuple(wrong_elsewhere(pair, slip_report)),
                   unreadable_lines=len({line for line, status in statuses
                                         if status == "unparsed"}))


def load_heldout(folder: Path = HELDOUT) -> list[Pair]:
    """The pairs of a held-out manifest (tests/check_heldout/, tests/check_heldout_sums/:
    written blind, with their own key names)."""
    data = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
    return [Pair(id=f"{entry['language']}/{entry['name']}", correct=folder / entry["correct"],
                 slip=folder / entry["slipped"], slip_line=entry["slip_line"],
                 slip_kind=entry["kind"], description=entry["kind"],
                 language=entry["language"], topics=(), styles=())
            for entry in data["pair"]]


def run(pairs: Iterable[Pair] | None = None) -> list[Outcome]:
    """Check every post of the corpus (one process, the public API) and sort the outcomes."""
    from probkit.symbolic.lint import check_file

    return [outcome(pair, check_file(pair.correct), check_file(pair.slip))
            for pair in (load_manifest() if pairs is None else pairs)]


def _count(outcomes: list[Outcome], attribute: str, value: str) -> int:
    return sum(getattr(item, attribute) == value for item in outcomes)


def table(outcomes: list[Outcome]) -> str:
    """The Markdown table: English, Japanese and all, one row per figure."""
    groups: Mapping[str, list[Outcome]] = {
        "English": [o for o in outcomes if o.pair.language == "en"],
        "Japanese": [o for o in outcomes if o.pair.language == "ja"],
        "all": outcomes,
    }
    rows = [("slips caught on the right line", lambda g: _count(g, "slip", CAUGHT)),
            ("slips flagged `wrong` as on the correct post (no catch)",
             lambda g: _count(g, "slip", AS_ITS_TWIN)),
            ("slips refused on their line", lambda g: _count(g, "slip", REFUSED_ON_LINE)),
            ("slips refused in their block", lambda g: _count(g, "slip", REFUSED_IN_BLOCK)),
            ("slips blamed on another line only", lambda g: _count(g, "slip", BLAMED_ELSEWHERE)),
            ("slips missed (passed silently)", lambda g: _count(g, "slip", MISSED)),
            ("correct posts clean", lambda g: _count(g, "correct", CLEAN)),
            ("correct posts with refusals only", lambda g: _count(g, "correct", REFUSED)),
            ("correct posts with false alarms", lambda g: _count(g, "correct", FALSE_ALARM)),
            ("`wrong` findings on correct posts", lambda g: sum(o.false_alarms for o in g)),
            ("`wrong` on a correct line of a twin",
             lambda g: sum(len(o.false_alarms_in_twin) for o in g)),
            ("unreadable lines in correct posts", lambda g: sum(o.unreadable_lines for o in g)),
            ("pairs keeping the invariant", lambda g: sum(o.keeps_the_invariant for o in g))]
    header = ("| of the pairs | "
              + " | ".join(f"{name} ({len(g)})" for name, g in groups.items()) + " |")
    lines = [header, "|---|" + "---:|" * len(groups)]
    for label, figure in rows:
        lines.append(f"| {label} | " + " | ".join(str(figure(g)) for g in groups.values()) + " |")
    return "\n".join(lines)


def details(outcomes: list[Outcome]) -> str:
    """One line per pair: its id, the correct post's outcome and the slip's."""
    return "\n".join(
        f"{o.pair.id:28} correct: {o.correct:12} slip (line {o.pair.slip_line}): {o.slip}"
        + (f"; wrong elsewhere in the twin: {list(o.false_alarms_in_twin)}"
           if o.false_alarms_in_twin else "")
        for o in outcomes)


def main(argv: list[str]) -> None:
    outcomes = run(load_heldout() if "--heldout" in argv else
                   load_heldout(HELDOUT_SUMS) if "--heldout-sums" in argv else None)
    print(table(outcomes))
    if "--details" in argv:
        print()
        print(details(outcomes))


if __name__ == "__main__":
    main(sys.argv[1:])
