"""What ``derive --expr`` and ``--chain`` publish: prose typeset as the built-ins' is, a
derivative's operand in parentheses, and a ``text`` format that reads as maths, not code."""

from __future__ import annotations

import re

import pytest
import sympy as sp
from typer.testing import CliRunner

from probkit.symbolic.model import Prose, formulas
from probkit.symbolic.printing import to_latex, to_reading
from probkit.symbolic.rules import FORMULAS, apply_rule
from probkit_cli.app import app

runner = CliRunner()
CHAIN = ["--chain", "L = -(y*log(a) + (1-y)*log(1-a))", "--chain", "a = 1/(1+exp(-z))",
         "--chain", "z = w*x + b", "--wrt", "w", "--wrt", "b"]


def _derive(*args: str) -> str:
    done = runner.invoke(app, ["derive", *args])
    assert done.exit_code == 0, done.output
    return done.stdout


def _words(markdown: str) -> str:
    """The prose of a page: without front matter, displays, inline maths and code."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\\\(.*?\\\)", "", text, flags=re.S)
    return re.sub(r"`[^`]*`", "", text)


@pytest.mark.parametrize("args", [("--expr", "x/(1+exp(-x))"), ("--expr", "tanh(x)**2"),
                                  ("--expr", "x**x"), tuple(CHAIN)])
def test_the_prose_of_expr_and_chain_pages_holds_no_ascii_maths(args: tuple[str, ...]) -> None:
    words = _words(_derive(*args, "--format", "markdown"))
    for ascii_maths in ("exp(", "^", "/(", "u'", "v'", " = "):
        assert ascii_maths not in words, (ascii_maths, words[max(0, words.find(ascii_maths)
                                                                   - 80):][:200])


def test_the_summary_is_typeset() -> None:
    page = _derive("--expr", "x/(1+exp(-x))", "--format", "markdown")
    assert (r"\(f{\left(x \right)} = \frac{x}{1 + e^{- x}}\) has \(\frac{d f}{d x} = "
            r"\frac{e^{x} \left(1 + x + e^{x}\right)}{\left(1 + e^{x}\right)^{2}}\).") in page
    assert (r"\(\left(\frac{u}{v}\right)' = \frac{u' v - u v'}{v^{2}}\), with \(u = x\) and "
            r"\(v = 1 + e^{- x}\)") in page
    chain = _derive(*CHAIN, "--format", "markdown")
    assert r"\(\frac{\partial L}{\partial w} = x \left(a - y\right)\)" in chain


def test_a_derivative_of_a_negative_or_composite_operand_is_parenthesised() -> None:
    latex = _derive("--expr", "x*exp(-x)", "--format", "latex")
    assert r"\frac{d}{d x} \left(- x\right)" in latex
    assert not re.search(r"\\frac\{d\}\{d x\} [-+]", latex)  # never "d/dx minus x"
    x, a = sp.symbols("x a")
    assert to_latex(sp.Derivative(a * x, x), derivative="d") == \
        r"\frac{d}{d x} \left(a x\right)"
    assert to_latex(sp.Derivative(sp.exp(-x), x), derivative="d") == r"\frac{d}{d x} e^{- x}"


def test_no_built_in_derivation_writes_a_derivative_before_a_sign() -> None:
    every = _derive("all", "--format", "latex")
    assert r"\frac{d}{d x}" in every
    assert not re.search(r"\\frac\{(d|\\partial)\}\{[^{}]*\} [-+]", every)


def test_the_text_format_reads_as_maths() -> None:
    text = _derive("--expr", "1/(1+exp(-a*x))", "--wrt", "x", "--assume", "a>0")
    assert "= −d/dx (1 + e^(−ax))/(1 + e^(−ax))²" in text
    assert "✓ d/dx f(x) = a·f(x)·(1 − f(x))" in text
    displays = [line for line in text.splitlines() if line.strip().startswith(("=", "✓"))]
    assert displays and not any(code in line for line in displays
                                for code in ("Derivative(", "**", "exp(", "*"))
    x = sp.Symbol("x")
    assert to_reading(sp.Derivative(x**2 + 1, x) * 3 * x**2, derivative="d") == \
        "3x²·d/dx (x² + 1)"
    assert to_reading(sp.sqrt(1 - x**2)) == "√(1 − x²)"


def test_a_letter_before_d_dx_is_not_glued_to_it_in_text() -> None:
    """``x·d/dx (…)``, never ``xd/dx (…)`` (read as a name xd); ``ax/b`` stays juxtaposed."""
    a, b, x = sp.symbols("a b x")
    inner = sp.Derivative(1 + sp.exp(-a * x), x)
    assert to_reading(sp.Mul(x, inner, evaluate=False), derivative="d") == \
        "x·d/dx (1 + e^(−ax))"
    assert to_reading(sp.Mul(2, inner, evaluate=False), derivative="d") == \
        "2·d/dx (1 + e^(−ax))"
    assert to_reading(a * x / b) == "ax/b"
    text = _derive("--expr", "x/(1+exp(-a*x))", "--wrt", "x")
    assert "xd/dx" not in text and "x·d/dx (1 + e^(−ax))" in text


def test_every_rule_explanation_is_prose_with_formulas_from_the_table() -> None:
    x = sp.Symbol("x", real=True)
    y = sp.Symbol("y", real=True)
    cases = [sp.exp(-x), sp.log(x**2 + 1), sp.sin(2 * x), x / (1 + x), x * sp.sin(x), x**3,
             1 / (1 + x**2), (1 + x) ** 3, 2**x, x**x, sp.Max(0, x), sp.Abs(x), 3 * x, y,
             sp.log(1 + sp.exp(x)), sp.Function("g")(x**2)]
    table = set(FORMULAS.values())
    for expr in cases:
        explanation = apply_rule(expr, x).explanation
        assert isinstance(explanation, Prose) and str(explanation).endswith(".")
        typeset = [m.latex for m in formulas(explanation)]
        assert typeset, expr
        assert any(latex in table for latex in typeset) or expr == y, (expr, typeset)
