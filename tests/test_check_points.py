"""probkit check: evaluation points and side conditions hold where they stand, not after.

"at $x = 0$", "when $x=1$", "$x = 0$ のとき" say where a nearby claim is
evaluated (its paragraph, or the display block it leads into); a side
condition written on a claim's line holds for that line only.
"""

from __future__ import annotations

from probkit.symbolic.lint import check_text


def findings(report):  # (line, status) pairs
    return [(f.source_line, f.status) for f in report.findings]


ENGLISH = """\
Let $f(x) = x^2 + 3x$.

The slope at $x = 0$ is $f'(x) = 3$, and when $x=1$ it is $f'(x) = 5$.

Everywhere else, $f'(x) = 2x + 3$.
"""

JAPANESE = """\
$f(x) = x^2 + 3x$ とする。

$x = 2$ のとき、

$$ f'(x) = 7 $$

一般に $f'(x) = 2x + 3$ である。
"""


def test_english_evaluation_points_do_not_redefine_the_variable() -> None:
    report = check_text(ENGLISH)
    assert report.passed, str(report)
    assert report.equalities_checked == 3


def test_english_a_slip_at_an_evaluation_point_is_caught_on_its_line() -> None:
    assert findings(check_text(ENGLISH.replace("= 5$", "= 6$"))) == [(3, "wrong")]
    # the general claim after the paragraph is checked for every x, not at x = 1
    assert findings(check_text(ENGLISH.replace("2x + 3$.", "2x + 4$."))) == [(5, "wrong")]


def test_japanese_evaluation_point_holds_for_the_display_it_leads_into() -> None:
    report = check_text(JAPANESE)
    assert report.passed, str(report)
    assert findings(check_text(JAPANESE.replace("= 7", "= 8"))) == [(5, "wrong")]
    assert findings(check_text(JAPANESE.replace("2x + 3$", "2x + 5$"))) == [(7, "wrong")]


def test_negative_control_a_let_is_still_a_definition() -> None:
    # without "at"/"when"/"のとき" the inline equality defines x from there on
    text = "Let $x = 2$ be fixed.\n\nThen $x^2 = 4$.\n"
    assert check_text(text).passed
    assert findings(check_text(text.replace("= 4", "= 5"))) == [(3, "wrong")]


def test_side_conditions_hold_for_their_own_line() -> None:
    text = ("$$ f(x) = \\max(0, x) $$\n\n$$\nf'(x) = 1 \\quad (x > 0) \\\\\n"
            "f'(x) = 0 \\quad (x < 0)\n$$\n")
    report = check_text(text)
    assert report.passed, str(report)
    assert report.equalities_checked == 2
    slipped = check_text(text.replace("f'(x) = 0 \\quad", "f'(x) = 1 \\quad"))
    assert findings(slipped) == [(5, "wrong")]


def test_a_side_condition_on_a_claim_does_not_hold_after_it() -> None:
    text = ("$$\\sqrt{a^2} = a \\quad (a > 0)$$\n\n$$\\sqrt{b^2} = b \\quad (b > 0)$$\n\n"
            "$$|a| = a$$\n")
    report = check_text(text)
    assert findings(report) == [(5, "wrong")]  # |a| = a needs a > 0, stated for line 1 only


def test_a_side_condition_on_a_definition_holds_from_there_on() -> None:
    text = "$$ g(x) = \\sqrt{a^2} x \\quad (a > 0) $$\n\n$$ g(1) = a $$\n"
    assert check_text(text).passed
    assert findings(check_text(text.replace("(a > 0)", ""))) == [(3, "wrong")]


SIGMOID_AT_ZERO = """\
$$ f(x) = \\frac{1}{1+e^{-x}} $$

At $x = 0$, $f(x) = \\frac{1}{2}$ and $f'(x) = \\frac{1}{4}$.

$x = 0$ のとき $f(x) = \\frac{1}{2}$ となる。

In general $f'(x) = f(x)(1 - f(x))$.
"""


def test_a_defined_function_at_an_evaluation_point_is_a_claim_not_a_redefinition() -> None:
    report = check_text(SIGMOID_AT_ZERO)
    assert report.passed, str(report)
    assert report.equalities_checked == 4
    slipped = check_text(SIGMOID_AT_ZERO.replace("のとき $f(x) = \\frac{1}{2}$",
                                                 "のとき $f(x) = \\frac{1}{3}$"))
    assert findings(slipped) == [(5, "wrong")]  # and f is still the sigmoid on line 7


def test_a_known_function_with_a_side_condition_is_a_claim_not_a_redefinition() -> None:
    text = ("$$ f(x) = \\max(\\alpha x, x) $$\n\n"
            "負の入力では $f(x) = \\alpha x \\quad (x < 0)$ なので、"
            "$\\alpha = 0.01$ のとき $f(10) = 10$ です。\n")
    assert check_text(text).passed, str(check_text(text))
    assert findings(check_text(text.replace("f(10) = 10", "f(10) = 0.1"))) == [(3, "wrong")]


def test_a_name_whose_definition_could_not_be_read_is_refused_not_read_as_a_variable() -> None:
    # (the reader reads cases and sums since 12-07; an integral is still refused)
    text = ("$$\nf(x) = x + \\int_0^1 t\n$$\n\n"
            "Some values: $f(1) = 3$ and $f(0) = 0$.\n")
    report = check_text(text)
    assert [f.status for f in report.findings] == ["unparsed", "unparsed", "unparsed"]
    assert "whose definition (line 2) could not be read" in report.findings[1].reason
    assert not any(f.status in ("condition", "wrong") for f in report.findings)


def test_a_sum_defining_a_function_is_read_and_its_values_checked() -> None:
    text = ("$$\nf(x) = \\sum_{i=1}^{3} x^i\n$$\n\n"
            "Some values: $f(1) = 3$ and $f(0) = 0$.\n")
    assert check_text(text).passed
    slipped = check_text(text.replace("f(1) = 3", "f(1) = 2"))
    assert [(f.source_line, f.status) for f in slipped.findings] == [(5, "wrong")]


RELU_NET = ("$$\nz = w x \\\\\na = \\mathrm{ReLU}(z) \\\\\nL = \\frac{1}{2}(v a - y)^2\n$$\n\n"
            "$$\n\\frac{\\partial L}{\\partial w} = (v a - y) v x {rest}\n$$\n\n"
            "$$\n\\frac{\\partial L}{\\partial v} = (v a - y) a\n$$\n")


def test_a_side_condition_on_a_defined_quantity_restricts_the_points_of_its_line() -> None:
    # z > 0 with z = w x: the points sampled satisfy w x > 0, on this line only
    held = check_text(RELU_NET.replace("{rest}", "\\quad (z > 0)"))
    assert held.passed, held
    assert [e.status for e in held.equalities] == ["verified", "verified"]
    bare = check_text(RELU_NET.replace("{rest}", ""))  # negative control: false where w x < 0
    assert [(f.status, f.source_line) for f in bare.findings] == [("wrong", 8)]
    slip = check_text(RELU_NET.replace("(v a - y) v x {rest}", "(v a - y) x \\quad (z > 0)"))
    assert [(f.status, f.source_line) for f in slip.findings] == [("wrong", 8)]  # still caught
    other = check_text(RELU_NET.replace("{rest}", "\\quad (z > 0)").replace(
        "(v a - y) a\n", "(v a - y) v\n"))  # the condition does not hide a slip elsewhere
    assert [(f.status, f.source_line) for f in other.findings] == [("wrong", 12)]
