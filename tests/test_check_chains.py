r"""probkit check: the line-continued chain (A = \\ B = \\ C), in every mix of rows and relations.

A row break (``\\``, ``\newline``, a stray ``\ `` ending the line) continues
the chain when the row before ends with a relation or the next row starts with
one; otherwise it starts a new equation. Each rule has a correct post and a
planted slip that must be blamed on its own line.
"""

from __future__ import annotations

import pytest

from probkit.symbolic.lint import check_text
from probkit.symbolic.lint.statements import split_statements

# The derivation that started the project, as its post writes it: typographic primes,
# "= \\" at the end of each row and a stray "\ " before the last line.
ORIGIN = """\
シグモイド関数 $$ f(x) = \\frac{1}{1+e^{-ax}} (a > 0) $$
を微分すると

$$
(\\frac{1}{1+e^{-ax}})’ = \\\\
\\frac{-1} {(1+e^{-ax})^2} (1+e^{-ax})’ = \\\\
\\frac{ae^{-ax}} {(1+e^{-ax})^2} = \\
af(x)(1-f(x))
$$
"""


def findings(report):  # (line, status) pairs
    return [(f.source_line, f.status) for f in report.findings]


def terms(text: str) -> list[list[str]]:
    return [[t.text for t in s.terms] for s in split_statements(text)]


def test_the_origin_post_is_one_chain_of_three_equalities_and_passes() -> None:
    report = check_text(ORIGIN)
    assert report.passed, str(report)
    assert report.equalities_checked == 3
    assert [e.line for e in report.equalities] == [6, 7, 8]


def test_the_origin_post_with_a_dropped_prime_is_blamed_on_that_line() -> None:
    slipped = ORIGIN.replace("(1+e^{-ax})’ = \\\\", "(1+e^{-ax}) = \\\\")
    assert slipped != ORIGIN
    report = check_text(slipped)
    assert findings(report) == [(6, "wrong")]
    assert report.findings[0].latex.startswith(r"\frac{-1} {(1+e^{-ax})^2} (1+e^{-ax})")


@pytest.mark.parametrize("body", [
    "a = \\\\\n b = \\\\\n c",                 # = at the end of the row
    "a \\\\\n = b \\\\\n = c",                 # = at the start of the next
    "a &= b \\\\\n &= c",                      # &=
    "a =& b \\\\\n =& c",                      # =&
    "a = \\newline\n b = \\newline\n c",     # \newline
    "a = \\\n b = \\\n c",                     # a stray backslash ending the line
    "a = \\ \n b \\ \n = c",                   # \ followed by a space, and = on the next row
    "a = \\\\\n b \\\\\n = c",                 # both mixes in one chain
])
def test_every_mix_of_breaks_and_relations_is_one_chain(body: str) -> None:
    assert terms(body) == [["a", "b", "c"]]


def test_a_break_without_a_dangling_relation_starts_a_new_equation() -> None:
    assert terms("a = b \\\\\n c = d") == [["a", "b"], ["c", "d"]]
    assert terms("a = b \\newline c = d") == [["a", "b"], ["c", "d"]]
    assert terms("a = b + \\\\\n c = d") == [["a", "b + c", "d"]]  # the term goes on


@pytest.mark.parametrize("environment", ["aligned", "align*", "split", "gather*"])
def test_a_chain_spans_rows_inside_alignment_environments(environment: str) -> None:
    correct = (f"$$\n\\begin{{{environment}}}\n(x+1)^2 = \\\\\n x^2 + 2x + 1 = \\\\\n"
               f"x(x+2) + 1\n\\end{{{environment}}}\n$$\n")
    report = check_text(correct)
    assert report.passed and report.equalities_checked == 2, str(report)
    slipped = correct.replace("x^2 + 2x + 1", "x^2 + x + 1")
    assert findings(check_text(slipped)) == [(4, "wrong")]


def test_gather_rows_without_dangling_relations_are_separate_equations() -> None:
    text = ("$$\n\\begin{gather}\n(x+1)^2 = x^2 + 2x + 1 \\\\\n(x-1)^2 = x^2 - 2x + 1\n"
            "\\end{gather}\n$$\n")
    report = check_text(text)
    assert report.passed and report.equalities_checked == 2, str(report)
    wrong = check_text(text.replace("- 2x + 1", "- 2x - 1"))
    assert findings(wrong) == [(4, "wrong")]


def test_a_slip_in_a_line_continued_chain_is_blamed_on_the_last_line() -> None:
    text = "$$\n\\frac{d}{dx} x^3 = \\\\\n3x^2 = \\\\\n3x^3\n$$\n"
    report = check_text(text)
    assert findings(report) == [(4, "wrong")]
    assert report.equalities[0].status == "verified"


def test_a_relation_dangling_at_the_end_of_a_block_is_still_refused() -> None:
    report = check_text("$$\nx^2 = \\\\\n$$\n")
    assert [f.status for f in report.findings] == ["unparsed"]


SOFTPLUS = """\
ソフトプラス関数を微分すると

$$
(\\log(1+e^{x}))’ = \\\\
\\frac{1}{1+e^{x}} (1+e^{x})’ = \\
\\frac{e^{x}}{1+e^{x}}
$$
"""


def test_a_prime_on_a_bracket_in_one_variable_differentiates_by_it() -> None:
    report = check_text(SOFTPLUS)  # no function defined: the bracket's only variable is x
    assert report.passed, str(report)
    slipped = check_text(SOFTPLUS.replace("(1+e^{x})’ = \\\n", "(1+e^{x}) = \\\n"))
    assert slipped.equalities_checked == 2
    assert findings(slipped) == [(5, "wrong")]


def test_a_prime_on_a_bracket_in_two_variables_is_still_refused() -> None:
    report = check_text("$$\n(e^{ax})’ = \\\\\nae^{ax}\n$$\n")
    # the next line is not checked against it: undecided, never silent
    assert [f.status for f in report.findings] == ["unparsed", "undecided"]
    assert "which variable" in report.findings[0].reason


def test_the_origin_post_through_the_command_line(tmp_path, runner) -> None:  # noqa: ANN001
    from pathlib import Path

    from probkit_cli.app import app

    post = Path(__file__).parent / "check_origin" / "origin_ja.md"
    clean = runner.invoke(app, ["check", str(post)])
    assert clean.exit_code == 0, clean.stdout
    assert "3 equalities, 3 verified" in clean.stdout
    slipped = tmp_path / "origin_slip.md"
    slipped.write_text(post.read_text(encoding="utf-8").replace(
        "(1+e^{-ax})’ = \\\\", "(1+e^{-ax}) = \\\\"), encoding="utf-8")
    wrong = runner.invoke(app, ["check", str(slipped)])
    assert wrong.exit_code == 1
    assert [line.split(": ")[0] for line in wrong.stdout.splitlines()
            if ": wrong" in line] == [f"{slipped}:7:1"]
