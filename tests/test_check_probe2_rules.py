r"""probkit check: the rules added after the second blind probe (tests/check_probe2).

Each rule has a post that passes (or is left undecided, never a false "wrong") and the same
post with a planted slip, still caught on its line (the negative control):

* conditions that admit no value (``x > 0`` and ``x < 0``) never verify a claim;
* a condition naming one case of a piecewise sentence holds for that sentence only.
"""

from __future__ import annotations

from probkit.symbolic.lint import check_text


def statuses(report):  # (line, status) of every failure
    return [(f.source_line, f.status) for f in report.findings
            if f.status in ("wrong", "unparsed", "undecided")]


def verified_lines(report):
    return [r.line for r in report.equalities if r.status == "verified"]


CONTRADICTION = r"""Assume $x > 0$.

Assume $x < 0$.

$$
1 + 3x^2 = 1 + 4x^2
$$
"""


def test_claim_under_conditions_admitting_no_value_is_undecided_not_verified():
    report = check_text(CONTRADICTION)
    assert 6 not in verified_lines(report)
    assert (6, "undecided") in statuses(report)
    undecided = [f for f in report.findings if f.source_line == 6]
    assert "no value of x" in undecided[0].reason


def test_contradictory_conditions_on_another_variable_leave_a_claim_checked():
    report = check_text(CONTRADICTION.replace("1 + 3x^2 = 1 + 4x^2", "1 + 3y^2 = 1 + 4y^2"))
    assert (6, "wrong") in statuses(report)


PIECEWISE_JA = r"""微分は $x > 0$ で $1$、$x < 0$ で $0$ です。

$$
\frac{d}{dx}(x + 0.044715x^3) = 1 + 3 \cdot 0.044715 x^2 = 1 + 0.134145x^2
$$
"""

PIECEWISE_EN = r"""The slope is 1 for $x > 0$, and for $x < 0$ it is 0.

$$
\frac{d}{dx}(x + 0.044715x^3) = 1 + 3 \cdot 0.044715 x^2 = 1 + 0.134145x^2
$$
"""


def test_piecewise_conditions_hold_for_their_sentence_only_so_later_claims_are_checked():
    for post in (PIECEWISE_JA, PIECEWISE_EN):
        correct = check_text(post)
        assert statuses(correct) == []
        assert 4 in verified_lines(correct)
        slipped = check_text(post.replace("0.134145", "0.134415"))
        assert (4, "wrong") in statuses(slipped)


def test_a_condition_stated_as_an_assumption_still_holds_for_the_rest_of_the_post():
    post = "Let $x > 0$.\n\n$$\n\\sqrt{x^2} = x\n$$\n"
    assert 4 in verified_lines(check_text(post))
    assert (4, "wrong") in statuses(check_text(post.replace("= x", "= -x")))


BACKPROP = r"""入力 $x = 2$、重み $w = 0.5$、バイアス $b = -1$、教師 $y = 1$ とします。
損失は $L = \frac{1}{2}(a - y)^2$、$a = \sigma(z)$ です。

$$
\begin{aligned}
z &= 0.5 \cdot 2 - 1 = 0 \\
a &= \frac{1}{1 + e^{0}} = \frac{1}{2}
\end{aligned}
$$

$$
\frac{\partial L}{\partial z} = (a - y)\,a(1-a) = -\frac{1}{8}
$$

$$
\frac{\partial L}{\partial w} = \frac{\partial L}{\partial z} \cdot x
  = -\frac{1}{8} \cdot 2 = -\frac{1}{4}
$$

$\frac{\partial z}{\partial b} = 1$ です。
"""


def test_a_derivative_through_a_quantity_given_only_a_value_is_undecided_never_wrong():
    report = check_text(BACKPROP)
    found = statuses(report)
    assert (16, "undecided") in found and (20, "undecided") in found
    assert not [s for s in found if s[1] == "wrong"]
    assert 12 in verified_lines(report)  # by z itself: z is held, a = σ(z) differentiated


def test_a_slip_after_a_derivative_through_a_value_is_still_caught_on_its_line():
    slipped = check_text(BACKPROP.replace(r"= -\frac{1}{8} \cdot 2 =", r"= -\frac{1}{8} ="))
    assert (17, "wrong") in statuses(slipped)
    slipped = check_text(BACKPROP.replace(r"a(1-a) = -\frac{1}{8}", r"a(1-a) = \frac{1}{8}"))
    assert (12, "wrong") in statuses(slipped)


TABLE = r"""| | $B$ | $\neg B$ |
|---|---|---|
| $A$ | 0.12 | 0.30 |

$$
P(A \mid B) = \frac{P(A \cap B)}{P(B)} = \frac{0.12}{0.40} = 0.3
$$

$$
P(B \mid A) = \frac{0.12}{0.42} = \frac{2}{7}
$$
"""


def test_a_link_from_probabilities_without_values_to_a_number_is_undecided_not_wrong():
    report = check_text(TABLE)
    assert statuses(report) == [(6, "undecided")]
    assert "does not state" in report.findings[0].reason
    slipped = check_text(TABLE.replace(r"\frac{2}{7}", r"\frac{2}{9}"))
    assert (10, "wrong") in statuses(slipped)


def test_probabilities_are_sampled_in_the_unit_interval_and_constant_gaps_stay_wrong():
    wrong = check_text("$$\nP(A)^2 = P(A)\n$$\n")
    ((line, status),) = statuses(wrong)
    assert (line, status) == (2, "wrong")
    (value,) = wrong.findings[0].counterexample["point"].values()
    assert 0 < value < 1
    assert statuses(check_text("$$\nP(A) + 1 = P(A) + 2\n$$\n")) == [(2, "wrong")]
    identity = check_text("$$\nP(A) + P(A) = 2P(A)\n$$\n")
    assert statuses(identity) == [] and verified_lines(identity) == [2]


PLUS_MINUS = r"""判別式から $x = \frac{5 \pm 1}{2}$ となります。

もう一問：$2x^2 + 3x - 2 = (2x - 1)(x + 2)$ です。
"""


def test_a_plus_minus_value_is_no_definition_so_a_later_identity_in_x_is_checked():
    report = check_text(PLUS_MINUS)
    assert [s for s in statuses(report) if s[0] == 3] == []
    assert 3 in verified_lines(report)
    assert (1, "unparsed") in statuses(report)  # the ± value itself: refused where it stands
    slipped = check_text(PLUS_MINUS.replace("(2x - 1)(x + 2)", "(2x + 1)(x - 2)"))
    assert (3, "wrong") in statuses(slipped)


UPDATE = r"""The gradient is $24$, so a step with rate $0.01$ gives
$w_1 \leftarrow 0.5 - 0.01 \cdot 24 = 0.26$, and then $w_2 \gets 1 - 0.5 \cdot 0.5 = 0.75$.
"""


def test_an_update_arrow_is_an_assignment_and_the_arithmetic_after_it_is_checked():
    report = check_text(UPDATE)
    assert statuses(report) == []
    assert verified_lines(report) == [2, 2]
    slipped = check_text(UPDATE.replace("= 0.26", "= 0.24"))
    assert (2, "wrong") in statuses(slipped)
    slipped = check_text(UPDATE.replace("= 0.75", "= 0.5"))
    assert (2, "wrong") in statuses(slipped)


DETERMINANT = r"""The determinant is

$$
\det\begin{pmatrix} 2 & 1 \\ 1 & -1 \end{pmatrix} = 2 \cdot (-1) - 1 \cdot 1 = -3
$$
"""


def test_a_matrix_is_refused_on_its_own_line_and_the_arithmetic_after_it_is_checked():
    report = check_text(DETERMINANT)
    assert statuses(report) == [(4, "unparsed")]  # the maths line, not the $$ line
    assert verified_lines(report) == [4]  # 2·(-1) - 1·1 = -3
    slipped = check_text(DETERMINANT.replace("= -3", "= -1"))
    assert (4, "undecided") in statuses(slipped)  # never silent: flagged on its line
    assert [r.status for r in slipped.equalities if r.status == "verified"] == []
