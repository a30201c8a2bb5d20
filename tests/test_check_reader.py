r"""probkit check's LaTeX reader: every notation of docs/check.md read faithfully or refused.

Each notation is read into SymPy and compared with the expression written
independently in SymPy (or refused by name); negative controls show the
misreading a careless reader would make is not made.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import sympy as sp

from probkit.symbolic.lint import check_text
from probkit.symbolic.lint.approximate import Inexact
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.reader import (
    Names,
    definition_target,
    parse_term,
    read,
    read_term,
    sigmoid,
)

x, y, z, a, b, w = sp.symbols("x y z a b w")


def same(latex: str, expected: object, names: Names | None = None) -> None:
    got = read(latex, names)
    assert sp.simplify(got - expected) == 0, (latex, got, expected)


def refused(latex: str, construct: str) -> None:
    with pytest.raises(Unreadable, match=construct):
        read(latex)


def findings(text: str) -> list[tuple[int, str]]:
    return [(f.source_line, f.status) for f in check_text(text).findings]


# ----------------------------------------------------------------- names


@pytest.mark.parametrize(("latex", "name"), [
    (r"\hat{y}", r"\hat{y}"), (r"\bar{x}", r"\bar{x}"), (r"\tilde{w}", r"\tilde{w}"),
    (r"\ell", "ell"), (r"\mathcal{L}", r"\mathcal{L}"), (r"\mathbf{w}", r"\mathbf{w}"),
    (r"\boldsymbol{\theta}", r"\boldsymbol{\theta}"), ("w_1", "w_{1}"), ("x_{i}", "x_{i}"),
    ("W^{[1]}", "W^{[1]}"), ("a^{[l]}", "a^{[l]}"), ("z^{(i)}", "z^{(i)}"),
    (r"\widehat{y}", r"\hat{y}"), (r"\theta_{0}", "theta_{0}"),
])
def test_decorated_and_indexed_names_are_symbols(latex: str, name: str) -> None:
    assert read(latex) == sp.Symbol(name)


def test_an_index_superscript_is_not_a_power() -> None:
    assert read("z^{(i)}").is_Symbol and read("z^{i}") == z ** sp.Symbol("i")
    assert read("W^{[1]}_{2} x") == sp.Symbol("W^{[1]}_{2}") * x
    assert read("(a^{[l]})^2") == sp.Symbol("a^{[l]}") ** 2


def test_hat_defines_a_variable_like_a_letter() -> None:
    post = r"$$\hat{y} = wx + b$$ $$\frac{\partial \hat{y}}{\partial w} = x$$"
    assert check_text(post).passed
    assert findings(post.replace("= x$$", "= 2x$$")) == [(1, "wrong")]


# ----------------------------------------------------------------- functions


@pytest.mark.parametrize(("latex", "expected"), [
    (r"\mathrm{ReLU}(x)", sp.Piecewise((x, x > 0), (0, True))),
    (r"\operatorname{softplus}(x)", sp.log(1 + sp.exp(x))),
    (r"\text{swish}(x)", x * sigmoid(x)),
    (r"\mathrm{sigmoid}(z)", sigmoid(z)), ("sigmoid(z)", sigmoid(z)),
    (r"\sigma(z)", sigmoid(z)), (r"\tanh x", sp.tanh(x)), (r"\log_2 x", sp.log(x, 2)),
    (r"\sqrt[3]{8}", 2), (r"\sqrt{x}", sp.sqrt(x)), ("|x|", sp.Abs(x)),
    (r"\lvert x\rvert", sp.Abs(x)), (r"\left| x - 1 \right|", sp.Abs(x - 1)),
    (r"\max(0, x)", sp.Max(0, x)), (r"\min(a, b)", sp.Min(a, b)),
    (r"\mathrm{GELU}(x)", x / 2 * (1 + sp.erf(x / sp.sqrt(2)))),
    (r"\mathrm{ELU}(x)", sp.Piecewise((x, x > 0), (sp.exp(x) - 1, True))),
    (r"\mathrm{LeakyReLU}(x)", sp.Piecewise((x, x > 0), (x / 100, True))),
    (r"\mathrm{softmax}(a, b)_1", sp.exp(a) / (sp.exp(a) + sp.exp(b))),
])
def test_named_functions_have_their_meaning(latex: str, expected: object) -> None:
    same(latex, expected)


def test_an_unknown_named_function_stays_symbolic() -> None:
    assert read(r"\operatorname{foo}(x)") == sp.Function("foo")(x)
    assert read(r"\mathrm{foo}(x)") != sp.Symbol("foo") * x


def test_a_function_the_post_defines_has_the_posts_meaning() -> None:
    post = (r"$$\mathrm{swish}(x) = x \sigma(2x)$$" "\n\n"
            r"$$\mathrm{swish}(1) = \frac{1}{1 + e^{-2}}$$")
    assert check_text(post).passed
    assert not check_text(post.replace("e^{-2}", "e^{-1}")).passed  # the known swish
    assert definition_target(parse_term(r"\mathrm{ReLU}(x)")) == ("ReLU", ("x",))
    assert definition_target(parse_term(r"\tanh(x)")) is None  # a claim, never redefined


def test_application_without_parentheses_takes_the_next_atom() -> None:
    same(r"\cos x (1 + \cos x)", sp.cos(x) * (1 + sp.cos(x)))
    assert read(r"\cos x (1 + \cos x)") != sp.cos(x * (1 + sp.cos(x)))  # parse_latex's reading
    same(r"\sin^2 x", sp.sin(x) ** 2)
    same(r"\log a(1-a)", sp.log(a) * (1 - a))
    same(r"\log \sigma(z)", sp.log(sigmoid(z)))  # a call is one atom
    same(r"\log f(x)", sp.log(sp.Function("f")(x)), Names({"f": 1}))
    same(r"\log g(1-x)", sp.log(sp.Function("g")(1 - x)), Names({"g": 1}))
    same(r"\log g(1-x)", sp.log(sp.Symbol("g")) * (1 - x))  # g no function: the rule
    same(r"\sin x \cos x", sp.sin(x) * sp.cos(x))
    same(r"\ln x^2", sp.log(x ** 2))
    same(r"\sin 2x", sp.sin(2 * x))  # a number written against letters keeps them
    same(r"\frac{1}{2}\log 2\pi", sp.log(2 * sp.pi) / 2)
    same(r"\log{\left(x \right)}^{2}", sp.log(x) ** 2)
    assert not check_text(r"$$\cos x (1 + \cos x) = \cos(x + x\cos x)$$").passed


@pytest.mark.parametrize("latex", [r"\sin 2 x", r"\log xy", r"\sin^{-1} x", r"\log{x}^{2}"])
def test_application_that_could_be_cut_two_ways_is_refused(latex: str) -> None:
    with pytest.raises(Unreadable):
        read(latex)


# ----------------------------------------------------------------- numbers


def test_numbers_as_people_write_them() -> None:
    assert read("99{,}900") == 99900 and read("1,000") == 1000 and read("12,345,678") == 12345678
    assert read(r"1\,000") == 1000 and read(r"0.250\,500") == sp.Rational("0.2505")  # thin
    refused(r"0\,100", "number after")
    assert read(r"3.2 \times 10^{-3}") == sp.Rational(32, 10000)
    assert read(r"99\%") == sp.Rational(99, 100)
    assert read(r"0.0194\ldots") == Inexact(sp.Rational(194, 10000), sp.Rational(1, 10000))
    assert read("0.0194\u2026") == read(r"0.0194\ldots")
    assert check_text(r"$$\frac{1}{3} = 0.333\ldots$$").passed
    assert check_text(r"$$\frac{2}{3} = 0.667\ldots$$").passed  # rounded
    assert not check_text(r"$$\frac{1}{3} = 0.334\ldots$$").passed
    assert not check_text(r"$$\frac{1}{3} = 0.333$$").passed  # exact unless marked
    assert check_text("$$1,000 + 1 = 1001$$").passed


def test_approx_agrees_to_the_digits_shown() -> None:
    assert check_text(r"$$\sqrt{2} \approx 1.414$$").passed
    assert check_text(r"$$\frac{1}{3} \approx 3.3 \times 10^{-1}$$").passed
    assert not check_text(r"$$\sqrt{2} \approx 1.42$$").passed


def test_probability_notation_is_named_quantities() -> None:
    assert read(r"P(A \mid B)") == sp.Symbol("P(A|B)") == read("P(A|B)")
    assert read(r"P(D|+)").is_Symbol and read(r"P(\neg D)") == sp.Symbol("P(¬D)")
    assert read(r"\Pr(A)") == read("P(A)") and read(r"P(B \cap C)").is_Symbol
    assert read(r"P(D) P(+|D)") == sp.Symbol("P(D)") * sp.Symbol("P(+|D)")
    chain = (r"$$P(D \mid +) = \frac{0.99 \times 0.001}{0.99 \times 0.001 + 0.05 \times 0.999}"
             r" = 0.0194\ldots$$")
    report = check_text(chain)
    assert report.passed and report.equalities_checked == 1
    assert findings(chain.replace("0.0194", "0.0214")) == [(1, "wrong")]


# ----------------------------------------------------------------- marks without meaning


@pytest.mark.parametrize("latex", [
    r"\,x\; + \!1 \quad", r"x + 1 \qquad", r"x~+~1", r"\displaystyle x + 1", r"\left. x + 1",
    r"\big( x + 1 \big)", r"\Big( x + 1 \Big)", r"\bigl( x + 1 \bigr)", r"\Bigl(x+1\Bigr)",
    r"x + 1 \tag{3}", r"x + 1 \label{eq:1}", r"x + 1 \nonumber", "x + 1.", "x + 1,",
    "x + 1。", "x + 1、",
])
def test_marks_without_meaning_are_dropped(latex: str) -> None:
    assert read(latex) == x + 1


def test_roman_d_is_d() -> None:
    same(r"\frac{\mathrm{d}}{\mathrm{d}x} x^2", sp.Derivative(x ** 2, x))
    assert check_text(r"$$\frac{\mathrm{d}}{\mathrm{d}x} \mathrm{e}^{2x} = 2e^{2x}$$").passed


def test_text_after_the_maths_is_not_read() -> None:
    assert check_text(r"$$(x+1)^2 = x^2 + 2x + 1 \text{ for all } x.$$").passed


# ----------------------------------------------------------------- derivatives


@pytest.mark.parametrize("prime", ["'", "\u2019", "\u2032"])
def test_primes_on_functions_and_brackets(prime: str) -> None:
    assert check_text(f"$$f(x) = x^3 \\qquad f{prime}(x) = 3x^2$$").passed
    assert check_text(f"$$(x^3 + x){prime} = 3x^2 + 1 \\quad (x > 0)$$").passed  # one variable
    assert not check_text(f"$$(x^3 + x){prime} = 3x^2$$").passed


def test_second_derivatives() -> None:
    assert check_text("$$f(x) = x^3 \\qquad f''(x) = 6x$$").passed
    assert check_text(r"$$y = x^3 \qquad \frac{d^2 y}{dx^2} = 6x$$").passed
    assert check_text(r"$$L = w^4 \qquad \frac{\partial^2 L}{\partial w^2} = 12 w^2$$").passed
    assert check_text(r"$$f(x) = x^5 \qquad f^{(3)}(x) = 60 x^2$$").passed
    assert not check_text(r"$$f(x) = x^5 \qquad f^{(3)}(x) = 20 x^3$$").passed
    assert check_text(r"$$\dfrac{d}{dx} x^2 = \tfrac{d}{dx} x^2$$").passed
    primes = r"$$f(x) = x^3 \qquad f^{\prime\prime}(x) = 6x = f^\prime(x) \cdot \frac{2}{x}$$"
    assert check_text(primes).passed


def test_derivative_cost_is_bounded() -> None:
    start = time.perf_counter()
    report = check_text(r"$$\frac{d^{1000}}{dx^{1000}} e^{x^2} = 0$$")
    assert time.perf_counter() - start < 5
    assert [f.status for f in report.findings] == ["unparsed"]
    assert "order 1000" in report.findings[0].reason
    refused("f^{(500)}(x)", "order 500")
    refused("(x + 1)^{100000}", "too large")
    refused("x" + "'" * 40, "order 40")
    refused("(" * 200 + "x" + ")" * 200, "nested")
    refused(" + ".join(["x"] * 3000), "parts")


def test_cases_is_a_piecewise_function() -> None:
    cases = r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & \text{otherwise} \end{cases}"
    got = read(cases.split("=", 1)[1])
    alpha = sp.Symbol("alpha")
    assert got == sp.Piecewise((x, x > 0), (alpha * x, True))
    post = f"$${cases}$$\n\n$f(2) = 2$ and $f(-1) = -\\alpha$"
    assert check_text(post).passed
    assert not check_text(post.replace(r"-\alpha", r"\alpha")).passed


# ----------------------------------------------------------------- refusals by name


@pytest.mark.parametrize(("latex", "construct"), [
    (r"\sum_{i \in S} x_i", "a sum over"), (r"\int_0^1 x", "integrals"), (r"\vec{x}", "vectors"),
    (r"\mathbf{w}^T x", "transpose"), (r"w^\top x", "transpose"), (r"W^{[1]T} x", "transpose"),
    (r"\mathbf{w}^\mathsf{T}\mathbf{x}", "transpose"), (r"\|x\|", "norms"),
    (r"\mathbb{E}[x]", "expectations"),
    (r"a + \cdots + b", "ellipsis"), (r"\frac{\partial^2 L}{\partial x \partial y}", "mixed"),
    ("x^23", "TeX raises only"), ("w_12", "TeX lowers only"), (r"e^-x", "only '-'"),
    (r"\mathrm{softmax}(z)", "vector"), (r"\begin{pmatrix} 1 \end{pmatrix}", "matrices"),
    (r"\foo x", "unknown command"), ("x 2", "number after"),
    ("2.5e-3", "scientific notation"), ("a/2b", "denominator"),
])
def test_out_of_scope_constructs_are_refused_by_name(latex: str, construct: str) -> None:
    refused(latex, construct)


def test_refusals_point_at_their_line() -> None:
    text = "$$\nf(x) = x^2 + \\\\\n \\int_0^1 t\n$$\n"
    assert findings(text) == [(3, "unparsed")]


# ----------------------------------------------------------------- start-up


def test_check_imports_neither_the_latex_parser_nor_numerics(tmp_path) -> None:  # noqa: ANN001
    post = tmp_path / "post.md"
    post.write_text("$$f(x) = x^2 \\qquad f'(x) = 2x$$\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from probkit_cli.app import main\n"
        f"sys.argv = ['probkit', 'check', {str(post)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'scipy', "
        "'antlr4') or m.startswith(('sympy.physics', 'sympy.parsing.latex')))\n"
        "print('HEAVY', heavy, code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False, timeout=120, env={**os.environ})
    assert "all verified" in done.stdout, done.stdout + done.stderr
    assert "HEAVY [] 0" in done.stdout, done.stdout


# ----------------------------------------------------------------- misreadings guarded against


def test_readings_that_would_be_misreadings_are_refused_or_read_right() -> None:
    f = Names({"f": 1})
    with pytest.raises(Unreadable, match="inverse"):
        read("f^{-1}(x)", f)  # the inverse function, not 1/f(x)
    assert read("a^{-1}(1+x)") == (1 + x) / a  # a is no function: a product
    assert read("a(1-a)^2") == a * (1 - a) ** 2  # the power is the bracket's
    assert read("f(x)^2", f) == sp.Function("f")(x) ** 2
    assert read(r"\frac{\Delta y}{\Delta x}") != y / x  # Δ does not cancel
    refused("log x", "as letters")  # not l·o·g·x
    refused("E[X]", "expectations")
    refused(r"\frac{df}{dx}(x)", "followed by a bracket")
    assert read(r"x^{(a+b)}") == x ** (a + b)  # only one letter or a number is an index
    assert read(r"\max(0,100)") == 100 and read(r"\max(5,100)") == 100  # not 5,100
    refused(r"\mathrm{d}x", "differential")
    assert check_text("$$P(X = 1) = 0.5$$\n\n$$X + 1 = 2$$").findings  # X is not defined as 1


def test_token_soup_is_read_or_refused_never_a_crash() -> None:
    import random

    pieces = ["x", "a", "f", "(", ")", "{", "}", "^", "_", "'", "+", "-", r"\frac", r"\left(",
              r"\right)", r"\sigma", r"\log", "e", "2", "&", r"\partial", "d", r"\cdot", "0",
              r"\sqrt", "|", ",", r"\text{if}", r"\mathrm", "[", "]", " ", "\\", "%", r"\hat",
              "!", ".", r"\frac{d}{dx}", "f'(x)", r"\begin{cases}", r"\end{cases}", r"\\", "P",
              r"\mid", r"\ldots", r"\%", "{,}", r"\mathbf", "^{(", "^{[", r"\max", r"\lvert",
              "1,000", r"\operatorname{ReLU}", ">", r"\le", r"\text{otherwise}", r"\Pr", "\u2026",
              r"\binom", r"\prime", "^{(3)}", "sigmoid", r"\times", r"\Delta", r"\sin", "^2"]
    rng = random.Random(5)
    names = Names({"f": 1}, frozenset({"a"}))
    for _ in range(1500):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        try:
            read(body, names)
        except Unreadable:
            pass


def test_operator_words_and_the_complement_of_a_probability() -> None:
    same(r"\operatorname{sech}^2 x", sp.sech(x) ** 2)  # not sech²·x
    assert check_text(r"$$\frac{d}{dx}\tanh x = \operatorname{sech}^2 x$$").passed
    refused(r"\operatorname{foo} x", "without parentheses")
    same(r"\mathrm{ReLU} x", sp.Piecewise((x, x > 0), (0, True)))  # the next atom
    post = ("$P(D) = 0.001$, $P(+ \\mid D) = 0.99$, $P(+ \\mid \\neg D) = 0.05$.\n\n"
            "$$P(+) = P(+ \\mid D)P(D) + P(+ \\mid \\neg D)P(\\neg D) = 0.05094$$\n")
    assert check_text(post).passed  # P(¬D) is 1 - P(D): the post gave P(D)
    assert not check_text(post.replace("0.05094", "0.05095")).passed


def test_spans_point_into_the_post() -> None:
    text = r"a + \frac{1}{x}"
    tree = parse_term(text, offset=100).tree
    assert tree.span == (100, 100 + len(text))
    left, right = tree.args
    assert left.span == (100, 101) and right.span == (104, 100 + len(text))
    with pytest.raises(Unreadable) as caught:
        parse_term(r"x + \foo", offset=50)
    assert caught.value.offset == 54
    refused("x + の", "cannot read 'の'")  # a letter of no alphabet in maths is not a variable


def test_the_base_install_has_no_latex_parser_dependency() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert not any("antlr" in d for d in project["dependencies"])
    assert extras["latex"] == []  # kept as an alias only
    assert [e for e, deps in extras.items() if any("antlr" in d for d in deps)] == ["test"]


def test_primed_names_never_defined_are_functions_of_the_variable() -> None:
    assert check_text(r"$$\left(\frac{u}{v}\right)' = \frac{u'v - uv'}{v^2}$$").passed
    assert check_text(r"$$(uv)' = u'v + uv'$$").passed
    assert not check_text(r"$$\left(\frac{u}{v}\right)' = \frac{u'v + uv'}{v^2}$$").passed
    assert not check_text(r"$$y' = y(1-y)$$").passed  # y(1-y) stays a product: no identity
    assert check_text(r"$$a = x^2 \qquad \frac{da}{dx} = 2x$$").passed  # defined: a quantity


def test_a_function_s_variable_before_a_primed_bracket_is_a_factor() -> None:
    # x(1+x^2)' with f(x) defined: x times the bracket's derivative, not a function named x
    post = ("Differentiate $f(x) = \\frac{x}{1+x^2}$.\n\n$$\nf'(x) = "
            "\\frac{(x)'(1+x^2) - x(1+x^2)'}{(1+x^2)^2} = \\frac{1-x^2}{(1+x^2)^2}\n$$\n")
    report = check_text(post)
    assert report.passed, report
    assert [e.status for e in report.equalities] == ["verified", "verified"]
    slip = check_text(post.replace("x(1+x^2)'}{(1+x^2)^2} =", "x(1+x^2)'}{(1+x^2)} ="))
    assert [(f.status, f.source_line) for f in slip.findings] == [("wrong", 4)]
    names = Names({"f": 1}, variables=frozenset({"x"}))
    assert read_term(parse_term("x(1+x^2)"), names) == sp.sympify("x*(1+x**2)")
    # a name that is no function's variable, written with a prime after a bracket, is still a
    # function applied (u(t)' in a chain of u and v)
    assert read_term(parse_term("u(t)'"), Names({})).has(sp.Function("u'"))
