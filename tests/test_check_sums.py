r"""Sums and products over an index, derivatives after ``E(w) = …``, derivatives by σ², and
``\pm`` solution sets in ``probkit check``: each reading with a correct post that passes and
its twin with a planted slip caught on the slip's line (the negative control), and the
constructs still refused by name."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from probkit.symbolic.lint import check_text
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.reader import read
from probkit.symbolic.lint.sums import (
    MAX_EXPANDED_TERMS,
    UNSTATED_SIZE,
    TooManyTerms,
    write_out,
)


def findings(text: str) -> list[tuple[int, str]]:
    return [(f.source_line, f.status) for f in check_text(text).findings]


def reasons(text: str) -> list[str]:
    return [f.reason for f in check_text(text).findings]


def assert_pair(correct: str, slipped: str, slip_line: int) -> None:
    """The correct post passes with nothing to say; the twin is wrong on its slip line only."""
    report = check_text(correct)
    assert report.passed and report.findings == (), report.findings
    twin = findings(slipped)
    assert twin == [(slip_line, "wrong")], twin


# ----------------------------------------------------------------- (a) sums: reading


def test_a_sum_is_read_as_a_sympy_sum_over_indexed_data_up_to_a_symbolic_bound() -> None:
    value = read(r"\sum_{i=1}^{n} (y_i - w x_i)^2")
    assert isinstance(value, sp.Sum)
    (index, low, high), = value.limits
    assert (str(index), low, str(high)) == ("i", 1, "n")
    assert value.function.atoms(sp.Indexed)  # x_i and y_i are the data x[i], y[i]
    assert sp.Symbol("w") in value.free_symbols


@pytest.mark.parametrize("latex", [
    r"\sum_i x_i", r"\sum_{i} x_i", r"\textstyle\sum_i x_i", r"\displaystyle\sum_{i} x_i",
])
def test_a_sum_without_bounds_runs_over_the_one_unstated_index_set(latex: str) -> None:
    value = read(latex)
    assert isinstance(value, sp.Sum) and value.limits[0][2] == UNSTATED_SIZE


def test_limits_and_capital_bounds_are_read() -> None:
    assert read(r"\sum\limits_{i=1}^N x_i").limits[0][2] == sp.Symbol("N")


def test_the_summand_is_the_product_that_follows_the_sign() -> None:
    x, n, c = sp.IndexedBase("x_{#}"), sp.Symbol("n"), sp.Symbol("c")
    i = sp.Symbol("i", integer=True)
    assert read(r"\sum_{i=1}^n x_i + c") == sp.Sum(x[i], (i, 1, n)) + c
    assert read(r"-2\sum_{i=1}^n x_i") == -2 * sp.Sum(x[i], (i, 1, n))


def test_writing_out_names_each_term_as_the_post_would() -> None:
    value = read(r"\sum_{i=1}^{n} x_i^2")
    assert write_out(value, {sp.Symbol("n"): 3}) == sum(
        sp.Symbol(f"x_{{{k}}}") ** 2 for k in (1, 2, 3))


# ----------------------------------------------------------------- (a) sums: checking


LEAST_SQUARES = (
    "Minimise\n\n"
    "$$E(w) = \\sum_{i=1}^{n} (y_i - w x_i)^2$$\n\n"
    "Then\n\n"
    "$$\n"
    "\\frac{dE}{dw} = \\sum_{i=1}^{n} 2(y_i - w x_i)(-x_i) "
    "= -2\\sum_{i=1}^{n} x_i y_i + 2w\\sum_{i=1}^{n} x_i^2\n"
    "$$\n\n"
    "Set $\\frac{dE}{dw} = 0$: $w\\sum_{i=1}^{n} x_i^2 = \\sum_{i=1}^{n} x_i y_i$, hence\n\n"
    "$$w = \\frac{\\sum_{i=1}^{n} x_i y_i}{\\sum_{i=1}^{n} x_i^2}$$\n"
)


def test_least_squares_derivative_under_the_sum_and_its_slip() -> None:
    assert_pair(LEAST_SQUARES, LEAST_SQUARES.replace("= -2\\sum", "= 2\\sum"), 8)


def test_least_squares_solving_with_sums_and_a_wrong_solution() -> None:
    slipped = LEAST_SQUARES.replace("{\\sum_{i=1}^{n} x_i^2}$$", "{\\sum_{i=1}^{n} x_i}$$")
    assert findings(slipped) == [(13, "wrong")]
    assert "solving" in reasons(slipped)[0]


MSE = """$$E(w,b) = \\frac{1}{n}\\sum_{i=1}^n (w x_i + b - y_i)^2$$

$$\\frac{\\partial E}{\\partial w} = \\frac{2}{n}\\sum_{i=1}^n (w x_i + b - y_i)\\,x_i$$
"""


def test_partial_derivative_of_a_defined_mean_of_squares_and_a_dropped_factor() -> None:
    assert_pair(MSE, MSE.replace("\\frac{2}{n}", "\\frac{1}{n}"), 3)


def test_sums_without_bounds_and_log_likelihood_of_a_product() -> None:
    post = ("$$p(x) = \\frac{1}{1+e^{-x}}$$\n\n"
            "$$\\log \\prod_i p(x_i) = \\sum_i \\log p(x_i) = -\\sum_i \\log(1 + e^{-x_i})$$\n")
    assert_pair(post, post.replace("= -\\sum_i", "= \\sum_i"), 3)


def test_a_defined_quantity_with_the_index_is_substituted_inside_the_sum() -> None:
    post = ("$$\\hat y_i = w x_i + b$$\n\n"
            "$$\\frac{d}{dw}\\sum_i (\\hat y_i - y_i)^2 = 2\\sum_i (\\hat y_i - y_i) x_i$$\n")
    assert_pair(post, post.replace(") x_i$$", ")$$"), 3)


def test_a_mean_defined_by_a_sum_inside_another_sum_over_the_same_letter() -> None:
    post = ("$$\\bar{x} = \\frac{1}{n}\\sum_{i=1}^n x_i$$\n\n"
            "$$\\sum_{i=1}^n (x_i - \\bar x)^2 = \\sum_{i=1}^n x_i^2 - n\\bar{x}^2$$\n")
    assert_pair(post, post.replace("- n\\bar{x}^2", "- \\bar{x}^2"), 3)


def test_closed_forms_over_n_and_sums_with_number_bounds() -> None:
    assert_pair("$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$",
                "$$\\sum_{i=1}^{n} i = \\frac{n(n-1)}{2}$$", 1)
    assert_pair("$$\\sum_{k=1}^{100} k = 5050$$", "$$\\sum_{k=1}^{100} k = 5051$$", 1)


def test_nested_sums_are_written_out() -> None:
    assert_pair("$$\\sum_i \\sum_j x_i y_j = \\sum_i x_i \\sum_j y_j$$",
                "$$\\sum_i \\sum_j x_i y_j = \\sum_i x_i + \\sum_j y_j$$", 1)


def test_a_wrong_sum_names_the_size_in_its_counterexample() -> None:
    (finding,) = check_text("$$\\sum_{i=1}^{n} i = \\frac{n(n-1)}{2}$$").findings
    assert finding.counterexample is not None and "n" in finding.counterexample["point"]


# ----------------------------------------------------------------- (a) sums: refused by name


@pytest.mark.parametrize(("latex", "reason"), [
    (r"$$\sum_i x_i + y_i = z$$", "stands after a sum over its index"),
    (r"$$\sum_i p(x_i) = z$$", "the function p of a term of the sum"),
    (r"$$\sum_{i=1}^{10^9} x_i = z$$", "a sum of 1000000000 terms"),
    (r"$$\sum_i\sum_j\sum_k\sum_l x_{ijkl} = z$$", "nested more than 3 deep"),
    (r"$$\sum_{i=1}^n x_{i+1} = z$$", "a subscript computed from the index"),
    (r"$$\sum_{i \in S} x_i = z$$", "a sum over"),
    (r"$$\sum x_i = z$$", "without its index"),
    (r"$$\sum_{i=1}^{2.5} x_i = z$$", "not a whole number"),
    ("$$L(w) = \\sum_{i=1}^n (y_i - w x_i)^2$$\n\n$$\\frac{\\partial L}{\\partial x_i} = 0$$",
     "one term of a sum"),
    ("$$\\hat y_i = w x_i$$\n\n$$\\sum_j \\hat y_j = w\\sum_j x_j$$", "another index"),
])
def test_what_a_sum_cannot_say_faithfully_is_refused_by_name(latex: str, reason: str) -> None:
    report = check_text(latex)
    assert report.findings and all(f.status == "unparsed" for f in report.findings)
    assert any(reason in f.reason for f in report.findings), report.findings


@pytest.mark.parametrize("post", [
    r"$$\sum_i x_i = \sum_{i=1}^n x_i$$",
    "$$\\bar x = \\frac{1}{n}\\sum_i x_i$$\n\n$$\\sum_i (x_i - \\bar x) = 0$$",
])
def test_sums_without_bounds_next_to_bounds_or_a_count_are_undecided(post: str) -> None:
    report = check_text(post)
    assert [f.status for f in report.findings] == ["undecided"]
    assert "without bounds next to sums with bounds or a count" in report.findings[0].reason


def test_writing_out_is_bounded_by_cost() -> None:
    value = read(r"\sum_{i=1}^{n}\sum_{j=1}^{n}\sum_{k=1}^{n} x_i x_j x_k")
    with pytest.raises(TooManyTerms):
        write_out(value, {sp.Symbol("n"): 20})  # 8,000 terms > MAX_EXPANDED_TERMS
    assert 20 ** 3 > MAX_EXPANDED_TERMS


def test_a_deeply_nested_sum_of_large_number_bounds_is_undecided_at_once() -> None:
    started = time.perf_counter()
    report = check_text(r"$$\sum_{i=1}^{200}\sum_{j=1}^{200} x_i y_j = 0$$")
    assert time.perf_counter() - started < 5
    assert [f.status for f in report.findings] == ["undecided"]
    assert "too long" in report.findings[0].reason


# ----------------------------------------------------------------- (a) sums in worked examples


def test_a_value_for_particular_data_is_undecided_not_wrong() -> None:
    post = ("$$E(w) = \\sum_{i=1}^{3} (y_i - w x_i)^2$$\n\n"
            "$$E'(w) = 28 w - 58$$\n\n$$\\sum_{i=1}^{3} x_i y_i = 2 + 8 + 15$$\n")
    report = check_text(post)
    assert [(f.source_line, f.status) for f in report.findings] == [(3, "undecided"),
                                                                    (5, "undecided")]
    assert all("particular data" in f.reason for f in report.findings)


def test_a_derivative_set_to_zero_with_sums_is_still_an_equation_to_solve() -> None:
    post = ("$$E(w) = \\sum_{i=1}^{n} (y_i - w x_i)^2$$\n\n"
            "Setting $\\frac{dE}{dw} = 0$ gives $w = \\frac{\\sum_{i=1}^{n} x_i y_i}"
            "{\\sum_{i=1}^{n} x_i^2}$.\n")
    assert check_text(post).passed
    slipped = post.replace("x_i^2}$", "x_i}$")
    assert [(f.source_line, f.status) for f in check_text(slipped).findings] == [(3, "wrong")]


def test_an_undefined_mean_next_to_the_data_is_refused_by_name() -> None:
    (finding,) = check_text(r"$$\sum_{i=1}^{n} (x_i - \bar x) = 0$$").findings
    assert finding.status == "unparsed" and "the mean of the x_i" in finding.reason


def test_a_derivative_by_an_indexed_name_absent_from_the_sums_is_refused() -> None:
    post = ("$$J = \\frac{1}{n}\\sum_{i=1}^{n} y_i \\log p_i$$\n\n"
            "$$\\frac{\\partial J}{\\partial z_{m}} = 0$$\n")
    (finding,) = check_text(post).findings
    assert finding.status == "unparsed" and "one term of a sum" in finding.reason


def test_a_defined_function_at_another_argument_is_a_claim_not_a_redefinition() -> None:
    post = ("$$\\sigma(z) = \\frac{1}{1 + e^{-z}}$$\n\nWith $z_1 = 0$, $\\sigma(z_1) = 0.5$.\n\n"
            "$$\\sigma(2) = \\frac{1}{1 + e^{-2}}$$\n")
    assert check_text(post).passed
    assert [(f.source_line, f.status)
            for f in check_text(post.replace("= 0.5", "= 0.6")).findings] == [(3, "wrong")]


def test_a_value_of_another_name_after_a_solution_is_no_solving_step() -> None:
    post = ("The boundary is where\n\n$$p^2 = c$$\n\nSolving it gives\n\n"
            "$$p = \\pm\\sqrt{c}$$\n\nso $n = 16$ and $\\frac{n}{4} = 4$.\n")
    assert check_text(post).passed
    assert [(f.source_line, f.status)
            for f in check_text(post.replace("= 4$", "= 5$")).findings] == [(9, "wrong")]


EXPONENTIAL = (
    "$$L(\\lambda) = \\prod_{i=1}^{n} \\lambda e^{-\\lambda x_i}$$\n\n"
    "Taking logs,\n\n"
    "$$\\ell(\\lambda) = n \\log \\lambda - \\lambda \\sum_{i=1}^{n} x_i$$\n\n"
    "Differentiating and setting it to zero,\n\n"
    "$$\\ell'(\\lambda) = \\frac{n}{\\lambda} - \\sum_{i=1}^{n} x_i = 0$$\n\n"
    "so $\\hat\\lambda = \\frac{n}{\\sum_{i=1}^{n} x_i}$.\n"
)


def test_a_log_likelihood_after_taking_logs_is_checked_against_the_product() -> None:
    report = check_text(EXPONENTIAL)
    assert report.passed and report.findings == (), report.findings
    slipped = EXPONENTIAL.replace("\\lambda \\sum_{i=1}^{n} x_i$$",
                                  "\\lambda \\sum_{i=1}^{n-1} x_i$$")
    assert findings(slipped)[0] == (5, "wrong")
    assert "is not the log of L" in reasons(slipped)[0]


def test_without_words_taking_logs_a_new_definition_is_only_a_definition() -> None:
    post = EXPONENTIAL.replace("Taking logs,", "Next,").replace(
        "\\lambda \\sum_{i=1}^{n} x_i$$", "\\lambda \\sum_{i=1}^{n-1} x_i$$")
    assert (5, "wrong") not in findings(post)


# ----------------------------------------------------------------- (b) dE/dw after E(w) = …


@pytest.mark.parametrize("derivative", [
    r"\frac{dE}{dw}", r"\frac{\partial E}{\partial w}", "E'(w)", r"\frac{d}{dw}E(w)",
])
def test_the_derivative_of_a_defined_function_in_every_notation(derivative: str) -> None:
    post = f"$$E(w) = (y - w x)^2$$\n\n$${derivative} = -2x(y - wx)$$\n"
    assert_pair(post, post.replace("-2x(y - wx)", "-2(y - wx)"), 3)


def test_the_derivative_of_a_function_whose_definition_was_unread_names_it() -> None:
    (first, second) = check_text("$$E(w) = \\foo w$$\n\n$$\\frac{dE}{dw} = 2$$").findings
    assert (first.status, second.status) == ("unparsed", "unparsed")
    assert "whose definition (line 1) could not be read" in second.reason


def test_the_derivative_of_a_name_the_post_never_defines_is_refused_not_zero() -> None:
    (finding,) = check_text("$$\\frac{dE}{dw} = 2w$$").findings
    assert finding.status == "unparsed" and "does not define" in finding.reason


def test_a_definition_on_an_unread_call_is_never_read_as_a_constant() -> None:
    post = ("$$\\ell(\\mu, \\sigma_1 \\sigma_2) = \\mu^2$$\n\n"
            "$$\\frac{\\partial \\ell}{\\partial \\mu} = 0$$\n")
    assert [f.status for f in check_text(post).findings] == ["unparsed", "unparsed"]


# ----------------------------------------------------------------- (c) derivative by σ²


GAUSS = (
    "$$\n"
    "\\ell(\\mu, \\sigma^2) = -\\frac{n}{2}\\ln(2\\pi\\sigma^2) "
    "- \\frac{1}{2\\sigma^2}\\sum_{i=1}^n (x_i - \\mu)^2\n"
    "$$\n\n"
    "$$\n"
    "\\frac{\\partial \\ell}{\\partial \\sigma^2} = -\\frac{n}{2\\sigma^2} "
    "+ \\frac{1}{2\\sigma^4}\\sum_{i=1}^n (x_i - \\mu)^2\n"
    "$$\n"
)


def test_the_derivative_by_sigma_squared_is_by_the_quantity_and_a_wrong_power() -> None:
    assert_pair(GAUSS, GAUSS.replace("2\\sigma^4}", "2\\sigma^3}"), 6)


def test_the_derivative_by_sigma_squared_is_not_the_second_derivative() -> None:
    post = "$$g(s) = s^4$$\n\n$$\\frac{dg}{ds^2} = 2s^2$$\n"
    assert_pair(post, post.replace("2s^2$$", "12s^2$$"), 3)  # 12 s² is d²g/ds²


def test_second_order_derivatives_stay_second_order() -> None:
    post = ("$$f(x) = x^3$$\n\n$$\\frac{\\partial^2 f}{\\partial x^2} = 6x$$\n\n"
            "$$\\frac{d^2 f}{dx^2} = 6x$$\n")
    assert check_text(post).passed
    assert findings(post.replace("\\partial x^2} = 6x", "\\partial x^2} = 3x^2")) == [(3, "wrong")]


@pytest.mark.parametrize(("latex", "reason"), [
    (r"\frac{d^2 g}{d s^3}", "orders"),
    (r"\frac{d g}{d (s^2)}", "cannot read the variable"),
])
def test_derivatives_by_other_powers_are_refused(latex: str, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        read(latex)


def test_a_call_of_a_function_defined_on_sigma_squared_at_another_value_is_refused() -> None:
    post = ("$$h(\\mu, \\sigma^2) = \\mu \\sigma^2$$\n\n$$h(1, t) = t$$\n")
    (finding,) = check_text(post).findings
    assert finding.status == "unparsed" and "sigma^2 as a parameter" in finding.reason


def test_an_estimate_defined_through_its_power_is_no_claim_and_is_not_reused() -> None:
    post = ("$$\\hat\\sigma^2 = \\frac{1}{n}\\sum_{i=1}^n (x_i - \\mu)^2$$\n\n"
            "$$2\\hat\\sigma = \\hat\\sigma + \\hat\\sigma$$\n")
    report = check_text(post)
    assert {(f.source_line, f.status) for f in report.findings} == {(3, "unparsed")}
    assert all("defined only through its power" in f.reason for f in report.findings)


def test_a_hatted_solution_is_the_solution_for_the_unhatted_unknown() -> None:
    post = ("$$\\ell(\\lambda) = \\sum_{i=1}^n (k_i \\ln\\lambda - \\lambda)$$\n\n"
            "$\\ell'(\\lambda) = 0$ より $\\hat\\lambda = \\frac{1}{n}\\sum_{i=1}^n k_i$。\n")
    report = check_text(post)
    assert report.passed and report.findings == ()
    assert findings(post.replace("\\frac{1}{n}\\sum", "\\frac{2}{n}\\sum")) == [(3, "wrong")]


# ----------------------------------------------------------------- (d) \pm solution sets


QUADRATIC = ("The slope is zero where $x^2 - 2x - 1 = 0$, that is at $x = 1 \\pm \\sqrt{2}$.\n")


def test_a_pm_solution_set_produced_by_a_solving_step() -> None:
    assert_pair(QUADRATIC, QUADRATIC.replace("1 \\pm", "2 \\pm"), 1)
    assert_pair("$$x^2 = 4 \\Rightarrow x = \\pm 2$$", "$$x^2 = 4 \\Rightarrow x = 2$$", 1)
    assert check_text("$$x^2 - 2x = 3 \\Rightarrow x = 1 \\mp 2$$").passed


def test_pm_on_every_side_of_a_chain_holds_for_each_sign() -> None:
    assert_pair(r"$$(a \pm b)^2 = a^2 \pm 2ab + b^2$$", r"$$(a \pm b)^2 = a^2 \pm ab + b^2$$", 1)
    assert_pair(r"$$\frac{12 \pm \sqrt{64}}{40} = \frac{12 \pm 8}{40}$$",
                r"$$\frac{12 \pm \sqrt{64}}{40} = \frac{12 \pm 7}{40}$$", 1)


def test_a_name_given_two_values_by_pm_is_not_defined() -> None:
    post = "$$p = \\frac{12 \\pm 8}{40} = \\frac{3 \\pm 2}{10}$$\n\n$$2p = p + p$$\n"
    report = check_text(post)
    assert {(f.source_line, f.status) for f in report.findings} == {(3, "unparsed")}
    assert all("stands for two values" in f.reason for f in report.findings)


@pytest.mark.parametrize("latex", [r"$$x = 1 \pm \sqrt{2}$$",
                                   r"$$(a \pm b)^2 = a^2 + 2ab + b^2$$"])
def test_pm_outside_a_solving_step_is_refused_by_name(latex: str) -> None:
    report = check_text(latex)
    assert report.findings and {f.status for f in report.findings} == {"unparsed"}
    assert all("read only as the solutions" in f.reason for f in report.findings)
