"""probkit check: a readable line is never blamed because its neighbour could not be read.

A wrong step is blamed on its right-hand line only when its left-hand term is
vouched for (the chain's first term, or equal to the term before it). When the
term before could not be read, the nearest readable term before it decides;
with none, the finding is ``undecided (next to an unreadable line)`` and no
suggestion tells the author to change a line that may be right.
"""

from __future__ import annotations

from probkit.symbolic.lint import check_text


def findings(report):  # (line, status) pairs
    return [(f.source_line, f.status) for f in report.findings]


UNREADABLE_FIRST = "$$\n\\int_0^1 x^2 \\, dt = \\\\\n{0} = \\\\\n{1}\n$$\n"


def test_a_slip_next_to_an_unreadable_first_term_is_undecided_not_blamed() -> None:
    # line 3 holds the slip (x^2 + 1 for x^2); line 4 is right, and is not blamed
    report = check_text(UNREADABLE_FIRST.format("x^2 + 1", "x \\cdot x"))
    assert findings(report) == [(2, "unparsed"), (3, "undecided")]
    undecided = report.findings[1]
    assert undecided.reason.startswith("undecided (next to an unreadable line)")
    assert undecided.suggestion is None
    assert "lines 3 and 4" in undecided.reason


def test_negative_control_without_the_slip_nothing_is_called_wrong() -> None:
    # line 3 follows an unreadable line and nothing readable came before it: it is not vouched
    # for (a slip in it, carried on to line 4, would pass), so it is undecided, never wrong
    report = check_text(UNREADABLE_FIRST.format("x^2", "x \\cdot x"))
    assert findings(report) == [(2, "unparsed"), (3, "undecided")]
    assert "could not be read" in report.findings[1].reason
    assert report.equalities[-1].status == "verified"


def test_the_readable_term_before_an_unreadable_one_locates_the_slip() -> None:
    text = ("$$\n\\begin{{aligned}}\n\\frac{{d}}{{dx}}(x^3 + x) &= \\int_0^1 (3x^2 + 1) \\, dt"
            " \\\\\n&= {0} \\\\\n&= {1}\n\\end{{aligned}}\n$$\n")
    middle = check_text(text.format("3x^2 - 1", "1 + 3x^2"))  # the slip is on line 4
    assert findings(middle) == [(3, "unparsed"), (4, "wrong")]
    assert "expected an expression equal to 1 + 3x^2" in middle.findings[1].suggestion
    last = check_text(text.format("3x^2 + 1", "1 + 3x"))  # the slip is on line 5
    assert findings(last) == [(3, "unparsed"), (5, "wrong")]
    clean = check_text(text.format("3x^2 + 1", "1 + 3x^2"))
    assert findings(clean) == [(3, "unparsed")]


def test_a_wrong_step_after_a_verified_one_is_still_blamed_on_its_line() -> None:
    text = "$$\n(x+1)^2 = \\\\\nx^2 + 2x + 1 = \\\\\nx^2 + 1 \\quad \\int_0^1 t\\,dt = 1\n$$\n"
    report = check_text(text)
    assert (4, "wrong") in findings(report)
    assert all(f.status != "undecided" for f in report.findings)


UNDECIDED_MIDDLE = ("$$\n\\frac{d}{dx}(x^2 + x) = \\\\\n"
                    "(g'(x)+1)^2 - g'(x)^2 - 2g'(x) + 2x = \\\\\n{0} = \\\\\n1 + 2x\n$$\n")


def test_a_slip_after_an_undecided_step_is_judged_by_the_readable_term_before_it(
        monkeypatch) -> None:  # noqa: ANN001
    from probkit.symbolic.lint import equality

    # no symbolic proof: line 3 (the derivative of an undefined g) is undecided next to it
    monkeypatch.setattr(equality, "MAX_SYMBOLIC_OPS", -1)
    report = check_text(UNDECIDED_MIDDLE.replace("{0}", "2x + 2"))  # the slip is on line 4
    assert (4, "wrong") in findings(report)
    assert (5, "wrong") not in findings(report)  # its correct neighbour is not blamed
    clean = check_text(UNDECIDED_MIDDLE.replace("{0}", "2x + 1"))
    assert not [f for f in clean.findings if f.status == "wrong"]


def test_with_nothing_readable_before_an_undecided_step_the_slip_is_undecided(
        monkeypatch) -> None:  # noqa: ANN001
    from probkit.symbolic.lint import equality

    monkeypatch.setattr(equality, "MAX_SYMBOLIC_OPS", -1)
    text = UNDECIDED_MIDDLE.replace("{0}", "2x + 2").replace(
        "\\frac{d}{dx}(x^2 + x)", "(k'(x)+1)^2 - k'(x)^2 - 2k'(x) + 2x")
    report = check_text(text)
    assert [f for f in report.findings if f.source_line == 5] == []
    undecided = [f for f in report.findings if f.reason.startswith("undecided (next to")]
    assert len(undecided) == 1 and undecided[0].suggestion is None
    assert "could not be decided" in undecided[0].reason
