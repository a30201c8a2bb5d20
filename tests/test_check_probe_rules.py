r"""probkit check: the rules added after the blind probe of sums (tests/check_probe_sums).

Each rule has a post that passes and the same post with a planted slip, which is
still caught on its line (the negative control):

* a system of equations (rows ``a &= b``, none an identity) is conditions, or, after
  words setting several results to zero, each row has the solutions of one of them;
* ``$p = a$ or $p = b$`` is one solution set;
* ``\Rightarrow n = p\sum x_i`` in a solving chain is a step, not a definition of n;
* a function defined again right after its definition is a claim, compared;
* a sum whose bound is the unknown is solved in closed form;
* ``p^{x_i}(1-p)^{1-x_i}`` inside a sum is a product (a power is no function call).
"""

from __future__ import annotations

from probkit.symbolic.lint import check_text


def findings(report):  # (line, status) pairs of the failures
    return [(f.source_line, f.status) for f in report.findings
            if f.status in ("wrong", "unparsed", "undecided")]


GRADIENTS = r"""The error is

$$
E(w, b) = \sum_{i=1}^{n} (y_i - w x_i - b)^2
$$

with

$$
\frac{\partial E}{\partial b} = -2\sum_{i=1}^{n} (y_i - w x_i - b)
$$

$$
\frac{\partial E}{\partial w} = -2\sum_{i=1}^{n} x_i (y_i - w x_i - b)
$$

"""

SYSTEM = r"""
$$
\begin{aligned}
w\sum_{i=1}^{n} x_i + nb &= \sum_{i=1}^{n} y_i \\
w\sum_{i=1}^{n} x_i^2 + b\sum_{i=1}^{n} x_i &= \sum_{i=1}^{n} x_i y_i
\end{aligned}
$$
"""


def test_a_system_after_both_vanish_is_matched_with_the_results_set_to_zero() -> None:
    report = check_text(GRADIENTS + "Both vanish at the optimum:\n" + SYSTEM)
    assert report.passed, str(report)
    assert [e.method for e in report.equalities].count("solutions") == 2


def test_negative_control_a_wrong_row_of_the_system_is_caught_on_its_line() -> None:
    text = GRADIENTS + "Both vanish at the optimum:\n" + SYSTEM.replace(
        r"b\sum_{i=1}^{n} x_i &=", "nb &=")
    report = check_text(text)
    line = text.splitlines().index(r"w\sum_{i=1}^{n} x_i^2 + nb &= \sum_{i=1}^{n} x_i y_i") + 1
    assert findings(report) == [(line, "wrong")]
    assert "of the system" in report.findings[0].reason


def test_japanese_dochiramo_zero_to_oku_sets_every_result_to_zero() -> None:
    report = check_text(GRADIENTS + "どちらも $0$ とおくと、\n" + SYSTEM)
    assert report.passed, str(report)
    slipped = check_text(GRADIENTS + "どちらも $0$ とおくと、\n" + SYSTEM.replace("+ nb", "+ b"))
    assert [s for _, s in findings(slipped)] == ["wrong"]


def test_a_system_without_words_is_conditions_not_wrong() -> None:
    report = check_text("Let $n > 1$. The fitted line satisfies\n" + SYSTEM)
    assert report.passed, str(report)
    assert [f.status for f in report.findings] == ["condition", "condition"]


def test_negative_control_rows_that_are_identities_save_one_are_still_checked() -> None:
    text = r"""
$$
\begin{aligned}
\sum_{i=1}^{n} (x_i + y_i) &= \sum_{i=1}^{n} x_i + \sum_{i=1}^{n} y_i \\
\sum_{i=1}^{n} 3 x_i &= 2\sum_{i=1}^{n} x_i
\end{aligned}
$$
"""
    assert findings(check_text(text)) == [(5, "wrong")]


PM = r"""Solving the quadratic,

$$
p^2 - p + \frac{3}{16} = 0 \Rightarrow p = \frac{1}{2} \pm \frac{1}{4}
$$

so $p = \frac{3}{4}$ or $p = \frac{1}{4}$: two coins.
"""


def test_alternatives_joined_by_or_are_one_solution_set() -> None:
    report = check_text(PM)
    assert report.passed, str(report)
    japanese = check_text(PM.replace("so $p", "つまり $p").replace("$ or $", "$ または $"))
    assert japanese.passed, str(japanese)


def test_negative_control_a_wrong_alternative_is_caught_on_its_line() -> None:
    report = check_text(PM.replace(r"$p = \frac{1}{4}$", r"$p = \frac{1}{3}$"))
    assert findings(report) == [(7, "wrong")]
    assert " or " in report.findings[0].reason


def test_alternatives_outside_a_solving_chain_define_nothing() -> None:
    report = check_text("Say $q = 2$ or $q = 3$.\n\n$$ q + 1 = 3 $$\n")
    assert [s for _, s in findings(report)] == ["unparsed"]
    assert "several values" in report.findings[0].reason


GEOMETRIC = r"""With $0 < p < 1$ and $S > n > 0$,

$$
\frac{d}{dp}\left(n\log p + (S - n)\log(1-p)\right) = \frac{n}{p} - \frac{S - n}{1-p}
$$

and setting it to zero,

$$
n(1-p) = p(S - n)
\Rightarrow n = pS
\Rightarrow \hat{p} = \frac{n}{S}
$$
"""


def test_an_equation_of_a_solving_chain_is_never_a_definition() -> None:
    report = check_text(GEOMETRIC)
    assert report.passed, str(report)
    slipped = check_text(GEOMETRIC.replace(r"\hat{p} = \frac{n}{S}", r"\hat{p} = \frac{S}{n}"))
    assert findings(slipped) == [(12, "wrong")]


RESTATED = r"""
$$
f(x) = (x + 1)^2 - 1
$$

Expanding,

$$
f(x) = x^2 + 2x
$$

$$
f'(x) = 2x + 2
$$
"""


def test_a_function_written_again_right_after_is_compared_with_its_definition() -> None:
    assert check_text(RESTATED).passed
    slipped = check_text(RESTATED.replace("f(x) = x^2 + 2x", "f(x) = x^2 + x"))
    assert findings(slipped) == [(9, "wrong")]


def test_a_function_defined_again_under_a_new_heading_is_a_new_definition() -> None:
    text = RESTATED.replace("Expanding,", "## Another example")
    text = text.replace("f(x) = x^2 + 2x", "f(x) = x^2 + x").replace("2x + 2", "2x + 1")
    assert check_text(text).passed


SUM_BOUND = r"""Which whole number $n > 0$ adds up to ten?

$$
\sum_{k=1}^{n} k = 10
\Rightarrow n^2 + n - 20 = 0
\Rightarrow n = 4
$$
"""


def test_a_sum_whose_bound_is_the_unknown_is_solved_in_closed_form() -> None:
    assert check_text(SUM_BOUND).passed
    slipped = check_text(SUM_BOUND.replace("n - 20", "n - 10"))
    assert findings(slipped) == [(5, "wrong")]


BERNOULLI = r"""With $0 < p < 1$,

$$
L(p) = \prod_{i=1}^{n} p^{x_i} (1-p)^{1-x_i}
$$

Taking logs,

$$
\ell(p) = \sum_{i=1}^{n} \left( x_i \log p + (1 - x_i) \log(1-p) \right)
$$
"""


def test_a_name_with_a_power_before_a_bracket_in_a_product_is_a_product() -> None:
    report = check_text(BERNOULLI)
    assert report.passed, str(report)
    slipped = check_text(BERNOULLI.replace(r"\log(1-p) \right)", r"\log p \right)"))
    assert findings(slipped) == [(10, "wrong")]


def test_negative_control_a_name_without_a_power_before_a_bracket_is_still_refused() -> None:
    report = check_text(r"$$ L(p) = \prod_{i=1}^{n} p(1-p)^{x_i} $$")
    assert [s for _, s in findings(report)] == ["unparsed"]


RANGE = r"""Waiting times $x_i > 0$ ($i = 1, \ldots, n$) and $\lambda > 0$:

$$
\ell(\lambda) = n \log \lambda - \lambda \sum_{i=1}^{n} x_i
$$

$$
\frac{d\ell}{d\lambda} = \frac{n}{\lambda} - \sum_{i=1}^{n} x_i
$$
"""


def test_an_index_range_in_prose_binds_no_value_to_the_index() -> None:
    report = check_text(RANGE)
    assert report.passed, str(report)
    assert len(report.equalities) == 1
    slipped = check_text(RANGE.replace(r"= \frac{n}{\lambda} -", r"= \frac{1}{\lambda} -"))
    assert findings(slipped) == [(8, "wrong")]


SHIFT = r"""$k = j - 1$ とおくと

$$
\sum_{k=0}^{n-1} (k+1) = \sum_{j=1}^{n} j = \frac{n(n+1)}{2}
$$
"""


def test_a_definition_of_an_index_letter_does_not_reach_inside_a_sum_over_it() -> None:
    report = check_text(SHIFT)
    assert report.passed, str(report)
    slipped = check_text(SHIFT.replace(r"\frac{n(n+1)}{2}", r"\frac{n(n-1)}{2}"))
    assert [s for _, s in findings(slipped)] == ["wrong"]


def test_a_term_sympy_cannot_evaluate_is_refused_without_an_exception_name(
        monkeypatch) -> None:  # noqa: ANN001
    from probkit.symbolic.lint.scope import Scope

    def fail(self, expr, *, prime_variable=None):  # noqa: ANN001, ANN202, ARG001
        raise ValueError("internal")

    monkeypatch.setattr(Scope, "evaluate", fail)
    report = check_text("$$ (x + 1)^2 = x^2 + 2x + 1 $$\n")
    assert [f.status for f in report.findings] == ["unparsed", "unparsed"]
    assert all("SymPy could not evaluate" in f.reason and "ValueError" not in f.reason
               for f in report.findings), str(report)


def test_an_equality_costing_more_than_the_budget_is_undecided_at_once() -> None:
    report = check_text(r"$$ \prod_{k=1}^{200}(x+k)^{100} = \prod_{k=1}^{200}(k+x)^{100} + 1 $$")
    assert [(f.status, "too long to check" in f.reason) for f in report.findings] == [
        ("undecided", True)]


def test_negative_control_a_cheap_product_with_a_slip_is_still_wrong() -> None:
    report = check_text(r"$$ \prod_{k=1}^{3}(x+k)^{2} = \prod_{k=1}^{3}(k+x)^{2} + 1 $$")
    assert [f.status for f in report.findings] == ["wrong"]


def test_two_refused_twins_on_one_line_each_have_their_own_column() -> None:
    line = r"\sum_{i=1}^{10^9} x_i = \sum_{i=1}^{10^9} x_i"
    report = check_text(f"$$ {line} $$")
    assert [f.column for f in report.findings] == [4, 4 + line.index("= ") + 2]


PARTIAL = r"""
$$
S(a, b) = \sum_{i=1}^{n} (y_i - a - b x_i)^2
$$

The first normal equation gives $a = \bar y - b \bar x$, where
$\bar x = \frac{1}{n} \sum_{i=1}^{n} x_i$ and $\bar y = \frac{1}{n} \sum_{i=1}^{n} y_i$.

The curvature is $\frac{\partial^2 S}{\partial b^2} = 2 \sum_{i=1}^{n} x_i^2$.
"""


def test_a_partial_derivative_holds_the_other_parameters_of_its_function() -> None:
    report = check_text(PARTIAL)
    assert report.passed, str(report)
    slipped = check_text(PARTIAL.replace(r"= 2 \sum_{i=1}^{n} x_i^2", r"= 2 \sum_{i=1}^{n} x_i"))
    line = PARTIAL.splitlines().index(next(t for t in PARTIAL.splitlines() if "curvature" in t))
    assert findings(slipped) == [(line + 1, "wrong")]


def test_negative_control_a_derivative_by_a_non_parameter_goes_through_the_parameters() -> None:
    text = r"""
$$
L(a, y) = (a - y)^2
$$

with $a = 3z$:

$$
\frac{\partial L}{\partial z} = 6(a - y)
$$
"""
    assert check_text(text).passed
    assert [s for _, s in findings(check_text(text.replace("6(a - y)", "2(a - y)")))] == ["wrong"]


LOGSUMEXP = r"""Let $m$ be any constant (in practice $m = \max_j z_j$).

$$
\log \sum_{j=1}^{K} e^{z_j} = m + \log \sum_{j=1}^{K} e^{z_j - m}
$$
"""


def test_a_claim_holding_for_every_value_of_an_unread_name_is_verified() -> None:
    report = check_text(LOGSUMEXP)
    assert [(f.source_line, f.status) for f in report.findings] == [(1, "unparsed")]  # the max
    assert [e.status for e in report.equalities] == ["verified"]


def test_negative_control_a_slip_next_to_an_unread_name_is_refused_never_passed() -> None:
    report = check_text(LOGSUMEXP.replace("= m +", "= -m +"))
    assert (4, "unparsed") in findings(report)
    assert not report.passed


KL = r"""
$$
\sum_{i=1}^{K} p_i \log \frac{p_i}{q_i} = \sum_{i=1}^{K} p_i \log p_i - \sum_{i=1}^{K} p_i \log q_i
$$
"""


def test_names_under_a_log_are_sampled_positive() -> None:
    report = check_text(KL)
    assert report.passed, str(report)
    slipped = check_text(KL.replace(r"- \sum_{i=1}^{K} p_i \log q_i",
                                    r"+ \sum_{i=1}^{K} p_i \log q_i"))
    assert findings(slipped) == [(3, "wrong")]


UNBIASED = r"""
$$
\frac{1}{n-1}\sum_{i=1}^{n} (x_i - c) = \frac{1}{n-1}\sum_{i=1}^{n} x_i - \frac{nc}{n-1}
$$
"""


def test_a_size_where_a_side_divides_by_zero_is_skipped_not_the_whole_check() -> None:
    report = check_text(UNBIASED)
    assert report.passed, str(report)
    slipped = check_text(UNBIASED.replace(r"\frac{nc}{n-1}", r"\frac{c}{n-1}"))
    assert findings(slipped) == [(3, "wrong")]


GAUSS = r"""With $\sigma > 0$,

$$
\ell(\mu, \sigma^2) = -\frac{n}{2}\log(2\pi\sigma^2)
- \frac{1}{2\sigma^2}\sum_{i=1}^{n} (x_i - \mu)^2
$$

$$
\frac{\partial \ell}{\partial \mu} = \frac{1}{\sigma^2}\sum_{i=1}^{n} (x_i - \mu)
$$

$$
\frac{\partial \ell}{\partial \sigma^2} = -\frac{n}{2\sigma^2}
+ \frac{1}{2\sigma^4}\sum_{i=1}^{n} (x_i - \mu)^2
$$

Setting the first to zero gives $\hat{\mu} = \frac{1}{n}\sum_{i=1}^{n} x_i$; setting the second
to zero,

$$
-\frac{n}{2\sigma^2} + \frac{1}{2\sigma^4}\sum_{i=1}^{n} (x_i - \mu)^2 = 0
\Rightarrow \sigma^2 = \frac{1}{n}\sum_{i=1}^{n} (x_i - \mu)^2
$$
"""


def test_a_block_writing_its_own_zero_starts_a_new_solving_chain_for_the_power() -> None:
    report = check_text(GAUSS)
    assert report.passed, str(report)
    slipped = check_text(GAUSS.replace(r"\sigma^2 = \frac{1}{n}", r"\sigma^2 = \frac{1}{n-1}"))
    line = next(k for k, text in enumerate(GAUSS.splitlines()) if text.startswith(r"\Rightarrow"))
    assert findings(slipped) == [(line + 1, "wrong")]


def test_a_function_defined_again_after_other_maths_is_a_new_definition() -> None:
    text = RESTATED.replace("Expanding,", "Then $$ g(x) = x $$ and").replace(
        "f(x) = x^2 + 2x", "f(x) = x^2 + x").replace("2x + 2", "2x + 1")
    assert check_text(text).passed
