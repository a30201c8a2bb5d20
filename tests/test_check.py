"""probkit check: fixture posts (English, Japanese), planted slips, and the parser's traps.

Each silent misreading of SymPy's LaTeX parser that the preprocessing layer
guards against has its own test, with the raw parser's misreading shown as the
negative control where it is cheap to show.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from probkit.errors import DataError, InputError
from probkit.symbolic.lint import check_file, check_text
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.reader import parse_term
from probkit.symbolic.lint.statements import split_statements

POSTS = Path(__file__).parent / "check_posts"


def findings(report):  # (line, status) pairs
    return [(f.source_line, f.status) for f in report.findings]


# ----------------------------------------------------------------- fixture posts


@pytest.mark.parametrize("post", ["sigmoid_en.md", "cross_entropy_ja.md"])
def test_correct_posts_pass(post: str) -> None:
    report = check_file(POSTS / post)
    assert report.passed, str(report)
    assert report.equalities_checked >= 8
    assert report.equalities_verified == report.equalities_checked


def test_english_slips_are_caught_on_their_lines() -> None:
    report = check_file(POSTS / "sigmoid_slips_en.md")
    assert findings(report) == [(15, "wrong"), (24, "wrong"), (31, "wrong"), (37, "wrong")]
    missing_prime, sign, factor, exponent = report.findings
    assert "derivative is missing" in missing_prime.suggestion
    assert "sign is wrong" in sign.suggestion
    assert "factor a is missing" in factor.suggestion
    assert "exponent" in exponent.suggestion
    assert all(f.counterexample is not None for f in report.findings)


def test_japanese_slips_are_caught_on_their_lines() -> None:
    report = check_file(POSTS / "cross_entropy_slips_ja.md")
    assert findings(report) == [(16, "wrong"), (21, "wrong")]
    assert "factor x is missing" in report.findings[1].suggestion


# ----------------------------------------------------------------- blame and checking


def test_a_wrong_middle_line_is_blamed_once() -> None:
    text = "$$\nx^2 - 1 \\\\\n= (x-1)(x+2) \\\\\n= (x-1)(x+1)\n$$\n"
    report = check_text(text)
    assert findings(report) == [(3, "wrong")]
    assert report.findings[0].latex == "(x-1)(x+2)"
    assert report.equalities_checked == 2


def test_a_correct_chain_passes_and_a_wrong_step_fails_with_a_counterexample() -> None:
    good = check_text(r"$$\frac{d}{dx}\left(x^3 + x\right) = 3x^2 + 1$$")
    bad = check_text(r"$$\frac{d}{dx}\left(x^3 + x\right) = 3x^2 - 1$$")
    assert good.passed and good.equalities[0].method == "symbolic"
    assert not bad.passed
    counter = bad.findings[0].counterexample
    assert set(counter) == {"point", "left", "right"} and counter["left"] != counter["right"]


def test_definitions_are_overridden_from_the_point_of_the_new_definition() -> None:
    text = ("$$f(x) = \\frac{1}{1+e^{-ax}}$$\n\nWith $a = 1$: $f'(x) = f(x)(1-f(x))$.\n\n"
            "With $a = 2$: $f'(x) = f(x)(1-f(x))$.\n")
    report = check_text(text)
    assert findings(report) == [(5, "wrong")]


def test_a_quantity_is_never_a_function() -> None:
    report = check_text("$a = 3$ and $a(1-a) = -6$ and $x(1-x) = x - x^2$")
    assert report.passed, str(report)


def test_side_conditions_are_assumptions() -> None:
    # sqrt(a^2) = a only for a > 0; without the condition it is refuted at a negative point
    assert check_text(r"$$\sqrt{a^2} = a \quad (a > 0)$$").passed
    assert not check_text(r"$$\sqrt{a^2} = a$$").passed


def test_numeric_verification_is_said_when_symbolic_fails(monkeypatch) -> None:  # noqa: ANN001
    from probkit.symbolic.lint import equality

    text = r"$$\frac{\sin^2 x}{1 - \cos x} = 1 + \cos x$$"
    assert check_text(text).equalities[0].method == "symbolic"
    monkeypatch.setattr(equality, "MAX_SYMBOLIC_OPS", -1)  # as if the difference were huge
    report = check_text(text)
    assert report.passed and report.equalities[0].method == "numeric"
    assert "1 numerically" in str(report)
    assert not check_text(r"$$\frac{\sin^2 x}{1 - \cos x} = 1 - \cos x$$").passed


def test_an_unreadable_line_is_unparsed_not_checked() -> None:
    report = check_text(r"$$\int_0^1 x\,dx = \frac{1}{2}$$")
    assert [f.status for f in report.findings] == ["unparsed"]
    assert report.equalities_verified == 0


# ----------------------------------------------------------------- the parser's traps


def test_trap_prime_after_parenthesis_is_not_dropped() -> None:
    # SymPy's parser reads (1+x^2)' as 1 + x^2: the prime vanishes
    from sympy.parsing.latex import parse_latex

    assert str(parse_latex("(1+x^2)'")) == "x**2 + 1"  # the misreading guarded against
    assert check_text("$$f(x) = 1 + x^2 \\qquad (1+x^2)' = 2x$$").passed
    assert not check_text("$$f(x) = 1 + x^2 \\qquad (1+x^2)' = 1 + x^2$$").passed


def test_trap_prime_after_function_call_is_not_dropped() -> None:
    assert check_text("$$f(x) = x^3 \\qquad f(x)' = 3x^2$$").passed
    assert not check_text("$$f(x) = x^3 \\qquad f(x)' = x^3$$").passed


@pytest.mark.parametrize("prime", ["'", "\u2019", "\u2032"])
def test_trap_typographic_primes(prime: str) -> None:
    assert check_text(f"$$f(x) = x^2 \\qquad f{prime}(x) = 2x$$").passed


def test_trap_sympy_latex_of_a_function_call() -> None:
    from sympy.parsing.latex import parse_latex

    assert str(parse_latex(r"f{\left(x \right)}")) == "f*x"  # the misreading
    assert check_text(r"$$f(x) = x^2 \qquad 2f{\left(x \right)} = 2x^2$$").passed
    assert not check_text(r"$$f(x) = x^2 \qquad 2f{\left(x \right)} = 2x$$").passed


def test_trap_function_used_without_argument_is_refused() -> None:
    report = check_text(r"$$f(x) = x^2 \qquad f x = x^3$$")
    assert [f.status for f in report.findings] == ["unparsed"]


def test_trap_power_of_a_user_function() -> None:
    from sympy.parsing.latex import parse_latex

    assert str(parse_latex(r"\sigma^2(z)")) == "sigma**2*z"  # the misreading
    assert check_text(r"$$\sigma^2(z) = \frac{1}{(1+e^{-z})^2}$$").passed
    assert check_text(r"$$f(x) = x + 1 \qquad f^2(x) = x^2 + 2x + 1$$").passed


def test_trap_derivative_by_a_subscripted_variable() -> None:
    from sympy.parsing.latex import parse_latex

    assert "partial" in str(parse_latex(r"\frac{\partial L}{\partial w_1}"))  # the misreading
    assert check_text(r"$$L = w_1^2 x \qquad \frac{\partial L}{\partial w_1} = 2 w_1 x$$").passed


def test_trap_trailing_text_is_not_dropped() -> None:
    from sympy.parsing.latex import parse_latex

    assert str(parse_latex("x + 1 ) y")) == "x + 1"  # non-strict parsing drops the rest
    report = check_text("$$x + 1 ) y = x + 1$$")
    assert [f.status for f in report.findings] == ["unparsed"]


def test_trap_approx_is_not_a_product() -> None:
    from sympy.parsing.latex import parse_latex

    assert "approx" in str(parse_latex(r"x \approx y"))  # the misreading
    report = check_text(r"$$\pi \approx 3.14 = 3.14$$")
    assert report.passed and report.equalities_checked == 2  # 3.14 = 3.14, and pi to 2 places
    assert not check_text(r"$$\pi \approx 3.15 = 3.15$$").passed
    assert check_text(r"$$e^x \approx 1 + x$$").equalities_checked == 0  # not a number


def test_trap_unknown_command_is_refused() -> None:
    report = check_text(r"$$\foo x = x$$")
    assert [f.status for f in report.findings] == ["unparsed"]


def test_trap_mathrm_e_and_d() -> None:
    from sympy.parsing.latex import parse_latex

    assert "mathrm" in str(parse_latex(r"\mathrm{e}^{x}"))  # the misreading
    assert check_text(r"$$\frac{\mathrm{d}}{\mathrm{d}x} \mathrm{e}^{2x} = 2e^{2x}$$").passed


def test_implicit_multiplication_and_euler_number() -> None:
    assert check_text(r"$$\frac{d}{dx} e^{-ax} = -ae^{-ax}$$").passed
    assert check_text(r"$$a(1+x) = a + ax$$").passed


@pytest.mark.parametrize("latex", [
    r"\log(e^x) = x", r"\ln(e^{2x}) = 2x", r"\exp(\ln x) = x \quad (x > 0)",
    r"\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}}", r"a \cdot b \times c = abc",
    r"\cosh^2(x) - \sinh^2 x = 1", r"2 − x = 2 - x", r"\sigma(0) = \frac{1}{2}",
    r"\frac{dL}{da} = 2a \quad L = a^2",
])
def test_supported_constructs(latex: str) -> None:
    if r"\quad L" in latex:
        latex = r"L = a^2 \qquad \frac{dL}{da} = 2a"
    assert check_text(f"$${latex}$$").passed, str(check_text(f"$${latex}$$"))


def test_row_separators() -> None:
    for sep in ("\\\\", "\\newline", "\\ ", "\\\\\\\\"):
        statements = split_statements(f"a &= b {sep}\n &= c")
        assert [[t.text for t in s.terms] for s in statements] == [["a", "b", "c"]], sep


def test_parse_term_refuses_mixed_partial_derivatives() -> None:
    with pytest.raises(Unreadable, match="mixed partial"):
        parse_term(r"\frac{\partial^2 L}{\partial x \partial y}")


# ----------------------------------------------------------------- extraction and input


def test_code_is_not_maths_and_lines_are_right() -> None:
    text = "```\n$$x = 2$$\n```\nSome `$y = 3$` text.\n\n$$\nx^2 = 2x\n$$\n"
    report = check_text(text)
    assert findings(report) == [(7, "wrong")]


def test_latex_file_environments() -> None:
    text = ("\\documentclass{article}\\begin{document}\n% $$x = 2$$ is a comment\n"
            "\\begin{align*}\n(x+1)^2 &= x^2 + 2x + 1 \\\\\n &= x^2 + 1\n\\end{align*}\n"
            "\\end{document}\n")
    report = check_text(text, source="post.tex")
    assert findings(report) == [(5, "wrong")]


def test_no_maths_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no maths"):
        check_text("Just words, $5 and $10.")
    post = tmp_path / "latin1.md"
    post.write_bytes("$x = x$ caf\xe9".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        check_file(post)
    with pytest.raises(DataError, match="no such file"):
        check_file(tmp_path / "missing.md")


def test_report_json_schema_and_repr() -> None:
    report = check_text("$$x^2 = 2x$$")
    payload = report.to_dict()
    assert set(payload) == {"passed", "findings", "equalities_checked", "equalities_verified",
                            "render"}
    assert set(payload["findings"][0]) == {"source_line", "column", "latex", "status", "reason",
                                           "counterexample", "suggestion"}
    assert payload["findings"][0]["column"] == 9  # $$x^2 = 2x$$: 2x is the 9th character
    json.dumps(payload)
    assert "1 finding" in repr(report) and "wrong step" in str(report)


def test_trap_bracketed_superscript_is_an_index_not_a_power() -> None:
    from sympy.parsing.latex import parse_latex

    assert parse_latex("a^{[1]}").doit() == parse_latex("a")  # the misreading: index lost
    assert str(parse_latex("x^{(i)}")) == "x**i"  # the misreading: the example index is a power
    # an index is part of the name: a^{[1]} and a are different variables, x^{(i)} is no power
    assert not check_text("$$2a^{[1]} = 2a$$").passed
    assert not check_text("$$x^{(i)} x^{(i)} = x^{2}$$").passed
    assert check_text("$$x^{(i)} x^{(i)} = (x^{(i)})^{2}$$").passed


def test_trap_accents_are_variables_not_products() -> None:
    from sympy.parsing.latex import parse_latex

    assert "hat" in str(parse_latex(r"\hat{y}"))  # the misreading: hat·y
    assert check_text(r"$$\frac{d}{d\hat{y}} (\hat{y} - y)^2 = 2(\hat{y} - y)$$").passed
    bad = check_text(r"$$(\hat{y} - y)^2 = \hat{y}^2 + y^2$$")
    assert "\\hat{y}" in bad.findings[0].counterexample["point"]


@pytest.mark.parametrize("latex", [r"\vec{w} = w", r"\sum_{i \in S} x_i = x",
                                   r"\langle x | y \rangle = 1", r"2^{2^{100}} = 1",
                                   r"\lim_{x \to 0} x = 0"])
def test_out_of_scope_maths_is_unparsed_with_a_reason(latex: str) -> None:
    report = check_text(f"$${latex}$$")
    assert report.findings and {f.status for f in report.findings} == {"unparsed"}
    assert not report.passed


def test_a_chain_continued_in_the_next_block() -> None:
    text = "$$(x+1)^2 = x^2 + 2x + 1$$\n\nand\n\n$$= x^2 + 2x + 2$$\n"
    report = check_text(text)
    assert findings(report) == [(5, "wrong")]


def test_trap_power_after_braced_function_argument() -> None:
    from sympy.parsing.latex import parse_latex

    # SymPy prints log(5)**2 as \log{\left(5 \right)}^{2}, and its parser reads that as log(25)
    assert parse_latex(r"\log{\left(5 \right)}^{2}").doit() != parse_latex(r"\log(5)^2").doit()
    assert check_text(r"$$\log{\left(x \right)}^{2} = \log(x) \cdot \log(x) \quad (x > 0)$$").passed
    report = check_text(r"$$\log{x}^{2} = 2\log x$$")
    assert [f.status for f in report.findings] == ["unparsed"]  # ambiguous: refused


def _random_expression(rng, depth):  # noqa: ANN001, ANN202 - a test helper
    import sympy as sp

    x, a = sp.symbols("x a")
    if depth == 0 or rng.random() < 0.25:
        return rng.choice([x, a, sp.Integer(rng.randint(1, 5)), sp.Rational(1, rng.randint(2, 4))])
    op = rng.choice(["add", "mul", "pow", "div", "neg", "exp", "log", "sin", "tanh", "sqrt",
                     "cosh"])
    if op == "add":
        return _random_expression(rng, depth - 1) + _random_expression(rng, depth - 1)
    if op == "mul":
        return _random_expression(rng, depth - 1) * _random_expression(rng, depth - 1)
    if op == "pow":
        return _random_expression(rng, depth - 1) ** rng.randint(2, 3)
    if op == "div":
        return _random_expression(rng, depth - 1) / (1 + _random_expression(rng, depth - 1) ** 2)
    if op == "neg":
        return -_random_expression(rng, depth - 1)
    return getattr(sp, op)(_random_expression(rng, depth - 1))


def _round_trips(count: int, seed: int) -> tuple[int, int]:
    """Read sympy.latex(E) back for random E: (faithful, refused); any misreading fails."""
    import random

    import sympy as sp

    from probkit.symbolic.lint.reader import Names, read_term
    from probkit.symbolic.lint.scope import Scope

    rng = random.Random(seed)
    faithful = refused = 0
    for _ in range(count):
        expr = _random_expression(rng, 3)
        latex = sp.latex(expr)
        try:
            value = Scope().evaluate(read_term(parse_term(latex), Names({})))
        except Unreadable:
            refused += 1
            continue
        for _ in range(3):
            point = {s: sp.Rational(rng.randint(1, 19), 10) for s in expr.free_symbols}
            got, want = value.xreplace(point).evalf(20), expr.xreplace(point).evalf(20)
            if want.is_finite and got.is_finite:
                assert abs(complex(got - want)) < 1e-10, (latex, value, expr)
        faithful += 1
    return faithful, refused


def test_sympy_latex_round_trips_quick() -> None:
    faithful, refused = _round_trips(12, seed=3)
    assert faithful >= 11


def test_sympy_latex_round_trips_many() -> None:
    faithful, refused = _round_trips(400, seed=11)
    assert faithful >= 390


def test_rows_that_start_a_new_equation_are_new_statements() -> None:
    # "a = 1 \\ b = 2" must not become the chain a = 1·b = 2
    rows = split_statements(r"a &= 1 \\ b &= 2 \\ &\quad + 0 \\ c &= b + \\ & 1")
    assert [[t.text for t in s.terms] for s in rows] == [["a", "1"], ["b", "2 + 0"],
                                                         ["c", "b + 1"]]
    text = "$$\\begin{align}\na &= 2 \\\\\nb &= 3\n\\end{align}$$\n\n$$ab = 6$$\n"
    assert check_text(text).passed


def test_trap_cases_environment_is_piecewise_not_flattened() -> None:
    # flattened, this would read f(x) = x·x
    cases = r"$$f(x) = \begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}$$"
    assert check_text(cases + "\n\n$f(3) = 3$ and $f(-2) = 0$").passed
    assert not check_text(cases + "\n\n$f(-2) = 4$").passed


def test_decorations_keep_their_content() -> None:
    assert check_text(r"$$\boxed{(x+1)^2} = \underbrace{x^2 + 2x}_{\text{two}} + 1$$").passed
    assert check_text(r"$$\textcolor{red}{x^2} = x \cdot x$$").passed
    assert check_text(r"$$x\_1 \* 2 = 2x\_1$$").passed  # Markdown escapes
    assert not check_text(r"$$\boxed{(x+1)^2} = x^2 + 1$$").passed


def test_random_token_soup_never_raises() -> None:
    """Bad input never produces a traceback: junk is a finding (or "no maths"), not a crash."""
    import random

    pieces = ["x", "a", "f", "(", ")", "{", "}", "^", "_", "'", "=", "+", "-", r"\frac",
              r"\left(", r"\right)", r"\sigma", r"\log", "e", "2", r"\\", "&", r"\partial", "d",
              r"\cdot", "$", r"\quad", ">", "0", r"\sqrt", r"\tanh", "|", ",", r"\text{if}",
              "\u2019", "\u2212", r"\mathrm", "[", "]", " ", "\\", "%", "\n", r"\begin{align}",
              r"\end{align}", r"\hat", "y", r"\sum", "!", ".", r"\frac{d}{dx}", "f(x)", "f'(x)"]
    rng = random.Random(5)
    for _ in range(300):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 20)))
        try:
            check_text(f"$$ {body} $$")
        except InputError:
            pass
