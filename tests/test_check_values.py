"""probkit check: values stated in the text's context, and what binds where.

A quantity stated to have a value (``\\hat\\sigma^2 = \\frac{32}{8} = 4``) is an
assignment, not an identity over its free symbols: the numbers after it are checked, the
quantity is not compared with them at random points, unless every symbol in it is bound.
A name given a value in prose binds it for what follows; words linking equations ("so")
never reach across a heading; rows of a block that solve an equation are a solving chain;
a readable line after an unreadable one is never silent. Each rule has its negative control:
the same construct with a planted slip is still caught on its line.
"""

from __future__ import annotations

import pytest

from probkit.symbolic.lint import check_text
from probkit.symbolic.lint.parser import parse


def findings(report):  # (line, status) pairs of the failing findings
    return [(f.source_line, f.status) for f in report.findings if f.status != "condition"]


def wrong_lines(report):
    return [f.source_line for f in report.findings if f.status == "wrong"]


# -- value statements ---------------------------------------------------------------------

ESTIMATE = "The deviations add up to $32$. So\n\n$$\n\\hat\\sigma^2 = \\frac{{32}}{{8}} = {0}\n$$\n"


def test_a_quantity_given_a_value_is_not_an_identity_over_its_symbols() -> None:
    report = check_text(ESTIMATE.format("4"))
    assert report.passed, str(report)
    assert report.equalities_checked == 1  # 32/8 = 4; the assignment itself is not a claim


def test_negative_control_a_wrong_number_after_the_quantity_is_caught_on_its_line() -> None:
    report = check_text(ESTIMATE.format("5"))
    assert findings(report) == [(4, "wrong")]


def test_a_quantity_whose_symbols_are_all_bound_is_checked() -> None:
    right = check_text("The MLE is $\\hat\\sigma = 2$.\n\n" + ESTIMATE.format("4"))
    assert right.passed, str(right)
    assert right.equalities_checked == 2
    bound_wrong = check_text("The MLE is $\\hat\\sigma = 3$.\n\n" + ESTIMATE.format("4"))
    assert wrong_lines(bound_wrong) == [6]  # 9 is not 32/8


def test_a_value_then_an_approximation_checks_the_digits_only() -> None:
    text = "$$\n\\hat\\sigma^2 = 20 / 4 = 5, \\qquad s^2 = 20 / 3 \\approx {0}\n$$\n"
    assert check_text(text.format("6.67")).passed
    assert wrong_lines(check_text(text.format("6.76"))) == [2]


LOGISTIC = """\
Let $p_i = P(y_i = 1 \\mid x_i)$ and $\\sigma(z) = \\frac{{1}}{{1 + e^{{-z}}}}$.

At $w = 0$ both $p_i = \\sigma(0) = {0}$.
"""


def test_a_defined_quantity_given_a_value_at_a_point_is_not_compared_with_its_definition(
) -> None:
    report = check_text(LOGISTIC.format("0.5"))
    assert report.passed, str(report)
    assert wrong_lines(check_text(LOGISTIC.format("0.6"))) == [3]


VARIANCE = """\
## A die

$$
\\mathrm{{Var}}(X) = \\frac{{91}}{{6}} - \\left( \\frac{{7}}{{2}} \\right)^2 = \\frac{{35}}{{12}}
$$

## Another distribution

$$
\\mathrm{{Var}}(X) = 3.7 - 1.7^2 = 3.7 - 2.89 = {0}
$$

The variance is then $\\mathrm{{Var}}(K) = \\frac{{1 - p}}{{p^2}}$.
"""


def test_a_named_quantity_given_numbers_in_two_examples_is_two_values_not_a_function() -> None:
    report = check_text(VARIANCE.format("0.81"))
    assert report.passed, str(report)
    assert wrong_lines(check_text(VARIANCE.format("0.18"))) == [10]


def test_a_function_at_a_point_given_a_number_does_not_become_constant() -> None:
    text = "$$\nf(x) = x^2\n$$\n\nAt the optimum $f(a) = 4$.\n\n$$\nf'(x) = {0}\n$$\n"
    assert check_text(text.format("2x")).passed
    assert wrong_lines(check_text(text.format("2"))) == [8]


def test_a_derivative_equal_to_a_number_is_still_a_claim() -> None:
    report = check_text("$$\nf(x) = x^2\n$$\n\n$$\nf'(x) = 2\n$$\n")
    assert wrong_lines(report) == [6]


ROOTS = "So $p = 20/40 = 0.5$ or $p = 4/40 = {0}$, and the interval is $[0.1, 0.5]$.\n"


def test_a_name_given_another_value_is_given_it_not_checked_against_the_first() -> None:
    assert check_text(ROOTS.format("0.1")).passed
    assert wrong_lines(check_text(ROOTS.format("0.2"))) == [1]


# -- prose bindings and headings ----------------------------------------------------------

WILSON = """\
The ends of the interval solve

$$
(\\hat p - p)^2 = \\frac{{z^2}}{{n}} \\, p (1 - p)
$$

## A concrete case

Suppose 4 of 16 users clicked, so $n = 16$. Use $z = 2$, which makes $z^2 / n = 4 / {0} = 0.25$.
"""


def test_a_value_given_in_prose_binds_the_name_for_what_follows() -> None:
    report = check_text(WILSON.format("16"))
    assert [f.status for f in report.findings] == ["condition"]  # the lone equation above
    assert report.equalities_verified == 2


def test_negative_control_a_wrong_value_with_bound_names_is_caught_on_its_line() -> None:
    assert wrong_lines(check_text(WILSON.format("15"))) == [9]


def test_words_linking_equations_do_not_reach_across_a_heading() -> None:
    from probkit.symbolic.lint.prose import crosses_heading

    assert crosses_heading("\n$$\n\n## A concrete case\n\nSuppose 4 users, so ")
    assert crosses_heading("\n\nExample\n-------\n\nso ")
    assert not crosses_heading("\n$$\n\nso that ")


def test_the_japanese_copula_after_an_equation_is_not_an_evaluation_point() -> None:
    text = ("更新式は $w_{{t+1}} = w_t - \\eta g$ です。\n\n$$\n(a+b)^2 = a^2 + 2ab + b^2\n$$\n\n"
            "$$\nw_{{t+1}} - w_t = {0}\n$$\n")
    assert check_text(text.format("-\\eta g")).passed
    assert wrong_lines(check_text(text.format("\\eta g"))) == [8]


def test_a_definition_using_a_name_whose_definition_was_unreadable_is_unreadable_too() -> None:
    text = ("$$\nE(w) = \\int_0^w t \\, dt\n$$\n\n"
            "The update is $w_1 = w_0 - \\eta E'(w_0)$.\n\n$$\nw_1 - w_0 = 5\n$$\n")
    report = check_text(text)
    assert wrong_lines(report) == []
    assert (8, "unparsed") in findings(report)


# -- rows of a block solving an equation --------------------------------------------------

ROWS = """\
$$
\\begin{{aligned}}
(0.25 - p)^2 &= 0.25 \\, p (1 - p) \\\\
p^2 - 0.5 p + 0.0625 &= 0.25 p - 0.25 p^2 \\\\
1.25 p^2 - {0} p + 0.0625 &= 0 \\\\
20 p^2 - 12 p + 1 &= 0
\\end{{aligned}}
$$
"""


def test_rows_solving_an_equation_are_a_solving_chain_not_identities() -> None:
    report = check_text(ROWS.format("0.75"))
    assert report.passed, str(report)
    assert all(r.method == "solutions" for r in report.equalities)


def test_negative_control_a_wrong_row_of_the_solving_block_is_caught_on_its_line() -> None:
    report = check_text(ROWS.format("0.25"))
    assert findings(report) == [(5, "wrong")]
    assert "wrong step in solving" in report.findings[0].reason


def test_rows_of_identities_are_still_identities() -> None:
    text = ("$$\n\\begin{aligned}\n(x+1)^2 &= x^2 + 1 \\\\\n"
            "x^2 - 1 &= (x-1)(x+1)\n\\end{aligned}\n$$\n")
    assert findings(check_text(text)) == [(3, "wrong")]


# -- \text names and starred names ---------------------------------------------------------

ODDS = ("The likelihood ratio is $0.95 / 0.05 = 19$, and\n\n"
        "$$\n\\text{{posterior odds}} = \\frac{{1}}{{99}} \\times 19 = \\frac{{19}}{{{0}}}\n$$\n")


def test_a_text_name_starting_a_chain_is_a_quantity_not_a_note() -> None:
    report = check_text(ODDS.format("99"))
    assert report.passed, str(report)
    assert wrong_lines(check_text(ODDS.format("98"))) == [4]


def test_two_text_names_are_two_quantities() -> None:
    text = ("$\\text{{prior odds}} = 2$ and $\\text{{posterior odds}} = 3$, so\n\n"
            "$$\n\\text{{prior odds}} + \\text{{posterior odds}} = {0}\n$$\n")
    assert check_text(text.format("5")).passed
    assert wrong_lines(check_text(text.format("4"))) == [4]


@pytest.mark.parametrize("written", ["w^*", "w^{*}", "w^\\star", "w^{\\star}", "w^\\ast"])
def test_a_starred_name_is_a_name_of_its_own(written: str) -> None:
    assert parse(written).value == "w^{*}"
    assert parse(written + "_1").value == "w^{*}_{1}"


STAR = "Let $w = 1$; the optimum is $w^* = \\frac{{58}}{{28}} = \\frac{{29}}{{14}}$.\n\n" \
       "$$\nw^* - w = {0}\n$$\n"


def test_a_starred_name_is_not_the_plain_name() -> None:
    assert check_text(STAR.format("\\frac{15}{14}")).passed
    assert wrong_lines(check_text(STAR.format("\\frac{29}{14}"))) == [4]


# -- a readable line after an unreadable one ------------------------------------------------

EXPANDED = ("$$\n\\begin{{aligned}}\nE(w) &= \\int_0^1 (w + t)^2 \\, dt \\\\\n"
            "&= {0}\n\\end{{aligned}}\n$$\n")


def test_a_step_from_an_unreadable_line_is_undecided_never_silent() -> None:
    for right in ("w^2 + w + \\frac{1}{3}", "w^2 - w + \\frac{1}{3}"):  # right, and a slip
        report = check_text(EXPANDED.format(right))
        assert findings(report) == [(3, "unparsed"), (4, "undecided")]
        assert "could not be read" in report.findings[1].reason


def test_a_solving_step_from_an_unreadable_equation_is_undecided() -> None:
    text = ("Set $2w - 6 = 0$:\n\n$$\n\\int_0^1 w \\, dt - 3 = 0\n$$\n\nso\n\n$$\nw = 3\n$$\n")
    report = check_text(text)
    assert (4, "unparsed") in findings(report)
    assert (10, "undecided") in findings(report)


def test_an_equation_being_solved_is_not_a_value() -> None:
    text = "Setting the derivative to zero gives\n\n$$\nw^2 = {0}\n$$\n\nso\n\n$$\nw = 2\n$$\n"
    assert findings(check_text(text.format("4"))) == [(10, "wrong")]  # w = -2 solves it too
    assert findings(check_text(text.format("\\frac{8}{2}"))) == [(10, "wrong")]


def test_an_unreadable_term_approximated_alone_is_reported_not_dropped() -> None:
    report = check_text("The mean is $\\frac{1}{n} \\int_0^1 x \\, dx \\approx 0.5$ here.\n")
    assert [f.status for f in report.findings] == ["unparsed"]
    readable = check_text("So $\\frac{1}{2} \\int_0^1 1 \\, dx = \\frac{1}{2} \\approx 0.5$.\n")
    assert [f.status for f in readable.findings] == ["unparsed"]  # once, by its chain
    assert check_text("So $\\sigma(2) \\approx 0.881$.\n").passed


def test_a_starred_name_solved_for_is_the_solution_for_the_plain_one() -> None:
    text = "Let $E(w) = (w - 3)^2$. Setting $$E'(w) = 2w - 6 = 0$$ gives $$w^* = {0}$$\n"
    assert check_text(text.format("3")).passed
    report = check_text(text.format("4"))
    assert findings(report) == [(1, "wrong")]
    assert "wrong step in solving" in report.findings[0].reason
