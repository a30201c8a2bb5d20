r"""probkit check: equations being solved, and lone equations, are not identities.

``\frac{dE}{dw} = 0`` followed by the algebra that solves it (``とおくと``,
"gives", ``\Rightarrow``, ``\iff``, ``\therefore``) is a solving chain: each
equation must have the same solutions as the one before, in the stated domain.
A lone equation that nothing solves is a ``condition`` (a note, not a failure).
"""

from __future__ import annotations

import pytest

from probkit.symbolic.lint import check_text

JAPANESE = r"""---
title: 最小二乗法
---

誤差を $E(w) = (y - wx)^2$ とし、$x > 0$ とする。

$$
\frac{dE}{dw} = -2x(y - wx) = 0
$$

とおくと、

$$
\begin{aligned}
& -2xy + 2wx^2 = 0 \\
\iff & wx^2 = xy \\
\therefore \ & w = \frac{y}{x}
\end{aligned}
$$
"""

ENGLISH = r"""Setting the derivative of $g(u) = u^3 - 3u$ to zero:

$$ g'(u) = 3u^2 - 3 = 0 \Rightarrow u^2 = 1 \Rightarrow u = 1 \quad (u > 0) $$

Solving gives the minimum at $u = 1$.
"""


def findings(report):  # (line, status) pairs
    return [(f.source_line, f.status) for f in report.findings]


def test_japanese_solving_chain_passes() -> None:
    report = check_text(JAPANESE)
    assert report.passed, str(report)
    assert [e.method for e in report.equalities].count("solutions") == 3
    assert "3 by their solutions" in report.summary()


def test_japanese_wrong_solving_step_is_blamed_on_its_line() -> None:
    middle = check_text(JAPANESE.replace("wx^2 = xy", "wx^2 = 2xy"))
    assert findings(middle) == [(16, "wrong")]
    assert "does not have the solutions" in middle.findings[0].reason
    last = check_text(JAPANESE.replace(r"w = \frac{y}{x}", r"w = \frac{x}{y}"))
    assert findings(last) == [(17, "wrong")]


def test_english_solving_chain_with_implications_and_a_domain() -> None:
    report = check_text(ENGLISH)
    assert report.passed, str(report)


def test_english_a_root_lost_outside_the_stated_domain_is_a_wrong_step() -> None:
    # without (u > 0), u^2 = 1 has two solutions and u = 1 only one
    report = check_text(ENGLISH.replace(r" \quad (u > 0)", ""))
    assert findings(report) == [(3, "wrong")]
    assert "{-1, 1} before, {1} after" in report.findings[0].reason


def test_the_identities_before_the_equation_are_still_checked() -> None:
    report = check_text(JAPANESE.replace("-2x(y - wx) = 0", "-2(y - wx) = 0"))
    assert (8, "wrong") in findings(report)  # dE/dw = -2(y - wx) drops the factor x


@pytest.mark.parametrize("text", [
    "We need $2z + 1 = 5$ to hold.",
    "$$\\frac{d}{dx}(x^2 - 2x) = 0$$",
    "極値では $f(x) = x^3$ として $f'(x) = 0$ である。",
])
def test_a_lone_equation_is_a_condition_not_a_wrong_step(text: str) -> None:
    report = check_text(text)
    assert [f.status for f in report.findings] == ["condition"]
    assert report.passed  # a condition is a note
    assert report.equalities_checked == sum(e.status != "condition" for e in report.equalities)


@pytest.mark.parametrize("text", [
    "so $(e^x + e^{-x})^2 - (e^x - e^{-x})^2 = 2$ for every x.",
    "$$(x + 1)^2 - x^2 - 2x = 0$$",
])
def test_an_equation_that_holds_for_no_value_is_wrong_not_a_condition(text: str) -> None:
    # the left side is a constant (4, then 1): no x solves it, so it is a wrong claim
    report = check_text(text)
    assert [f.status for f in report.findings] == ["wrong"]
    assert not report.passed


def test_negative_control_a_wrong_identity_is_still_wrong() -> None:
    # both sides are expressions in x: a claimed identity, not an equation
    report = check_text("$$f(x) = \\frac{1}{1+e^{-ax}}$$\n\n"
                        "$$f'(x) = \\frac{e^{-ax}}{(1+e^{-ax})^2}$$\n")
    assert findings(report) == [(3, "wrong")]
    assert not report.passed


def test_negative_control_an_equation_with_a_side_condition_is_a_claim() -> None:
    text = "$$f(x) = \\max(0, x)$$\n\n$$f'(x) = 0 \\quad (x > 0)$$\n"
    assert findings(check_text(text)) == [(3, "wrong")]


def test_solving_beyond_the_budget_is_undecided(monkeypatch) -> None:  # noqa: ANN001
    from probkit.symbolic.lint import solving

    monkeypatch.setattr(solving, "MAX_SOLVE_OPS", 0)  # as if every equation were huge
    report = check_text(JAPANESE)
    statuses = {f.status for f in report.findings}
    assert statuses == {"undecided"} and not report.passed
    assert "within the budget" in report.findings[0].reason


def test_a_slow_solve_is_stopped_by_the_time_limit(monkeypatch) -> None:  # noqa: ANN001
    import time

    import sympy as sp

    from probkit.symbolic.lint import solving

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        time.sleep(5)
        return sp.S.EmptySet

    monkeypatch.setattr(solving, "SOLVE_SECONDS", 0.05)
    monkeypatch.setattr(solving.sp, "solveset", slow)
    started = time.perf_counter()
    u = sp.Symbol("u")
    assert solving.solutions(u ** 2 - 1, u, solving.Domain()) is None
    assert time.perf_counter() - started < 2


ROWS = r"""$E(w) = (14w - 23)^2$ とする。$\frac{dE}{dw} = 0$ とおくと

$$
14w - 23 = 0 \\
w = \frac{23}{14} \approx 1.64
$$
"""


def test_rows_after_a_solving_step_in_its_block_go_on_solving() -> None:
    report = check_text(ROWS)
    assert report.passed, str(report)
    slipped = check_text(ROWS.replace(r"\frac{23}{14} \approx 1.64", r"\frac{14}{23} \approx 0.61"))
    assert findings(slipped) == [(5, "wrong")]
    assert "does not have the solutions" in slipped.findings[0].reason


@pytest.mark.parametrize(("shown", "passes"), [
    ("0.881", True), ("0.88", True), ("0.8808", True), ("0.882", False), ("0.119", False),
])
def test_approximations_agree_to_the_digits_shown(shown: str, passes: bool) -> None:
    # sigma(2) = 0.880797...: agrees rounded to 2, 3 or 4 places; 0.882 and 0.119 do not
    text = f"$x = 2$ のとき $\\sigma(x) \\approx {shown}$ です。"
    assert check_text(text).passed is passes


def test_the_japanese_approximately_equal_sign_is_checked_too() -> None:
    assert check_text(r"$\log 2 ≒ 0.693$").passed
    assert not check_text(r"$\log 2 ≒ 0.639$").passed


def test_a_wrong_claim_followed_by_yori_is_still_wrong() -> None:
    # "より" (from this) is not a solving cue for a lone claim: a slip stays a slip
    text = ("$$f(x) = \\frac{1}{1+e^{-ax}}$$\n\n"
            "$f'(x) = \\frac{e^{-ax}}{(1+e^{-ax})^2}$ より、傾きは正である。\n")
    assert findings(check_text(text)) == [(3, "wrong")]


BERNOULLI = r"""表の確率 $\theta$（$0 < \theta < 1$）、$0 < k < n$ とし、
$\ell(\theta) = k\log\theta + (n-k)\log(1-\theta)$ とする。

$$
\frac{d\ell}{d\theta} = \frac{k}{\theta} - \frac{n-k}{1-\theta}
$$

これを $0$ とおくと

$$
\frac{k}{\theta} = \frac{n-k}{1-\theta} \quad \Rightarrow \quad k(1-\theta) = (n-k)\theta
  \quad \Rightarrow \quad k = n\theta
$$
""".replace(r"\ell", "l")  # \ell is the reader's (issue 18, section 2); l is the same name


def test_setting_the_last_result_to_zero_opens_a_solving_chain() -> None:
    report = check_text(BERNOULLI)
    assert report.passed, str(report)
    assert [e.method for e in report.equalities].count("solutions") == 3
    # a slip in the algebra is blamed on its line
    slipped = check_text(BERNOULLI.replace("k = n\\theta", "k = 2n\\theta"))
    assert findings(slipped) == [(12, "wrong")]


def test_a_slip_in_the_derivative_is_not_carried_into_the_solving_chain() -> None:
    # the chain solves what was differentiated (its first term), so the slip is blamed once
    slipped = check_text(BERNOULLI.replace(r"\frac{k}{\theta} - \frac{n-k}{1-\theta}",
                                           r"\frac{k}{\theta} + \frac{n-k}{1-\theta}"))
    assert findings(slipped) == [(5, "wrong")]


def test_english_setting_it_to_zero() -> None:
    text = ("Let $E(w) = (w - 3)^2$.\n\n$$\\frac{dE}{dw} = 2(w - 3)$$\n\n"
            "Setting this to zero gives $w = 3$.\n")
    assert check_text(text).passed, str(check_text(text))
    assert findings(check_text(text.replace("$w = 3$", "$w = 6$"))) == [(5, "wrong")]


def test_the_time_limit_leaves_a_running_timer_of_the_caller_alone() -> None:
    import signal

    import sympy as sp

    from probkit.symbolic.lint import solving

    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *args: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        u = sp.Symbol("u")
        assert solving.solutions(u ** 2 - 1, u, solving.Domain()) == [-1.0, 1.0]
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 30  # still running, not cancelled by the solve
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired


@pytest.mark.parametrize("text", [
    "$$\\frac{d}{dx} x^2 = 2$$",                      # a dropped x, not an equation for x = 1
    "$f(x) = x^2$ so $f'(x) = 2$.",
    "$$f(x) = x^3 \\qquad f'(x) = 3$$",
])
def test_a_derivative_equal_to_a_nonzero_number_is_a_claim(text: str) -> None:
    report = check_text(text)
    assert [f.status for f in report.findings] == ["wrong"]
