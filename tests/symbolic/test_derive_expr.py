"""``derive_expression``: the coverage table, the kink convention, refusals, negative controls.

Every expression of the table must be derived with every step verified, and its
result must equal SymPy's own ``diff`` numerically at random points of the
domain (evaluated here independently of probkit's checks).
"""

from __future__ import annotations

import random

import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

from probkit.errors import InputError
from probkit.symbolic import derive_expression
from probkit.symbolic import rules as rules_module
from probkit.symbolic.domain_verifier import Domain, check_step, checked
from probkit.symbolic.printing import to_text
from probkit.symbolic.user_input import parse_expression

# (expression, --wrt, --assume)
ACTIVATIONS = [
    ("1/(1+exp(-x))", [], []),                                      # sigmoid
    ("1/(1+exp(-a*x))", ["x"], ["a>0"]),
    ("tanh(x)", [], []),
    ("tanh(a*x)", ["x"], []),
    ("Max(0, x)", [], []),                                          # ReLU
    ("relu(x)", [], []),
    ("Max(x/100, x)", [], []),                                      # leaky ReLU
    ("Piecewise((x, x > 0), (alpha*x, True))", ["x"], ["alpha>0"]),  # leaky ReLU
    ("log(1 + exp(x))", [], []),                                    # softplus
    ("softplus(a*x)", ["x"], ["a>0"]),
    ("x/(1+exp(-x))", [], []),                                      # swish / SiLU
    ("x*sigmoid(b*x)", ["x"], ["b>0"]),
    ("x/2*(1 + erf(x/sqrt(2)))", [], []),                           # GELU, erf form
    ("Piecewise((x, x > 0), (alpha*(exp(x) - 1), True))", ["x"], ["alpha>0"]),  # ELU
    ("x*tanh(log(1 + exp(x)))", [], []),                            # mish
    ("sin(x)", [], []),
    ("atan(x)", [], []),
    ("x/(1 + Abs(x))", [], []),                                     # softsign
    ("Min(Max(0, x), 6)", [], []),                                  # ReLU6
    ("exp(-x**2)", [], []),
    ("asinh(x)", [], []),
]
LOSSES = [
    ("(y - x)**2", ["x"], []),                                      # MSE
    ("(y - w*x - b)**2/2", ["w", "b"], []),
    ("-(y*log(p) + (1 - y)*log(1 - p))", ["p"], []),                # cross-entropy
    ("-(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z)))", ["z"], []),
    ("Max(0, 1 - y*z)", ["z"], []),                                 # hinge
    ("Max(0, 1 - y*z)**2", ["z"], []),                              # squared hinge
    ("Piecewise((r**2/2, Abs(r) <= d), (d*(Abs(r) - d/2), True))", ["r"], ["d>0"]),  # Huber
    ("Abs(y - x)", ["x"], []),                                      # MAE
    ("log(cosh(x - y))", ["x"], []),                                # log-cosh
    ("log(1 + exp(-y*z))", ["z"], []),                              # logistic loss
]
COMPOSITIONS = [
    ("sin(cos(tan(x)))", [], []),
    ("exp(sin(x)**2)", [], []),
    ("log(log(x))", [], ["x>0"]),
    ("sqrt(1 + x**2)", [], []),
    ("x**x", [], ["x>0"]),
    ("2**x", [], []),
    ("acos(x/2) + asin(x/3)", [], []),
    ("f(x)**2 + f(-a*x)", ["x"], ["a>0"]),
    ("f(g(x))", [], []),
    ("tanh(tanh(tanh(x)))", [], []),
    ("1/(1 + exp(-(w*x + b)))", ["w"], []),
    ("x**3 - 2*x + 5", [], []),
    ("cosh(x)*sinh(x)/x", [], []),
    ("erfc(x**2)", [], []),
    ("sec(x) + csc(x) + cot(x)", [], []),
    ("atanh(x/2) + acosh(x + 3) + coth(x + 3) + sech(x) + csch(x + 3)", [], []),
    ("x*y + y**2", ["x", "y"], []),
    ("cos(x)**2 * exp(-x)/(1 + x**2)", [], []),
]
TABLE = ACTIVATIONS + LOSSES + COMPOSITIONS
QUICK = {"1/(1+exp(-a*x))", "tanh(x)", "Max(0, x)", "x/(1+exp(-x))",
         "(y - x)**2", "-(y*log(p) + (1 - y)*log(1 - p))", "f(x)**2 + f(-a*x)"}


def _ids(rows: list[tuple[str, list[str], list[str]]]) -> list[str]:
    return [row[0] for row in rows]


def _concrete(expr: sp.Expr) -> sp.Expr:
    """User functions replaced by concrete ones (an oracle independent of probkit's)."""
    t = sp.Symbol("t_oracle", real=True)
    shapes = [sp.cos(t) + t**3 / 5, sp.sin(2 * t) + t]
    functions = sorted({a.func for a in expr.atoms(AppliedUndef)}, key=str)
    for index, function in enumerate(functions):
        expr = expr.replace(function, sp.Lambda(t, shapes[index % 2])).doit()
    return expr


def _equal_at_random_points(result: sp.Expr, oracle: sp.Expr, symbols: list[sp.Symbol]) -> int:
    """How many random points (of 40 tries) agree; fails on the first that does not."""
    rng = random.Random(20261201)
    agreed = 0
    for _ in range(40):
        point = {s: sp.Float(rng.uniform(0.25, 1.9) if s.is_positive else rng.uniform(-1.9, 1.9),
                             30) for s in symbols}
        want = complex(oracle.xreplace(point).evalf(30))
        if abs(want.imag) > 1e-20 or abs(want) > 1e50:
            continue  # outside the domain
        got = complex(result.xreplace(point).evalf(30))
        assert abs(got - want) <= 1e-15 * max(1.0, abs(want)), (point, got, want)
        agreed += 1
        if agreed == 4:
            break
    return agreed


def _verify(expression: str, wrt: list[str], assume: list[str]) -> None:
    derivation = derive_expression(expression, wrt=wrt, assume=assume)
    failed = [(s.rule, s.check.detail) for s in derivation.failures]
    assert derivation.verified, failed
    assert all(step.check.passed for step in derivation.steps)
    assert not any(isinstance(n, sp.Derivative) and n.has(sp.Derivative)
                   and not isinstance(n.expr, AppliedUndef)
                   for r in derivation.results for n in sp.preorder_traversal(r.after))
    expr = parse_expression(expression, assume=assume).expr
    named, definition = derivation.given[0].lhs, derivation.given[0].rhs
    assert definition == expr
    symbols = sorted(expr.free_symbols, key=str)
    for result in derivation.results:
        (x,) = result.before.variables
        explicit = _concrete(result.after.subs(named, definition))
        oracle = _concrete(sp.diff(expr, x))
        assert _equal_at_random_points(explicit, oracle, symbols) >= 3, expression


def test_the_table_has_at_least_40_expressions() -> None:
    assert len(TABLE) >= 40
    assert len(set(_ids(TABLE))) == len(TABLE)


@pytest.mark.parametrize(("expression", "wrt", "assume"),
                         [row for row in TABLE if row[0] in QUICK],
                         ids=[row[0] for row in TABLE if row[0] in QUICK])
def test_quick_rows_every_step_verified_and_equal_to_sympy(
    expression: str, wrt: list[str], assume: list[str]
) -> None:
    _verify(expression, wrt, assume)


@pytest.mark.parametrize(("expression", "wrt", "assume"), TABLE, ids=_ids(TABLE))
def test_coverage_table_every_step_verified_and_equal_to_sympy(
    expression: str, wrt: list[str], assume: list[str]
) -> None:
    _verify(expression, wrt, assume)


def test_the_table_uses_every_named_rule() -> None:
    used = set()
    for expression, wrt, assume in TABLE:
        used |= {s.rule for s in derive_expression(expression, wrt=wrt, assume=assume).steps}
    expected = {
        "constant multiple rule", "power rule", "sum rule", "product rule", "quotient rule",
        "reciprocal rule", "chain rule (exp)", "chain rule (log)", "exp rule", "log rule",
        "trig rule", "chain rule (trig)", "hyperbolic rule", "chain rule (hyperbolic)",
        "chain rule (inverse trig)", "inverse trig rule", "chain rule (inverse hyperbolic)",
        "inverse hyperbolic rule", "abs rule", "chain rule (abs)", "Max rule", "Min rule",
        "piecewise rule", "chain rule (erf)", "softplus rule", "chain rule (function)",
        "chain rule (power)", "general power rule", "exponential rule",
        "write in terms of f", "simplify",
    }
    assert expected <= used, expected - used


def test_sigmoid_is_written_back_in_terms_of_itself() -> None:
    derivation = derive_expression("1/(1+exp(-a*x))", wrt=["x"], assume=["a>0"])
    rewrite = [s for s in derivation.steps if s.rule == "write in terms of f"]
    assert len(rewrite) == 1 and rewrite[0].check.passed
    assert to_text(derivation.results[0].after) == "a*f(x)*(1 - f(x))"
    assert "exp(-a x) = (1 - f(x))/f(x)" in str(rewrite[0].explanation)


def test_tanh_is_one_minus_tanh_squared() -> None:
    derivation = derive_expression("tanh(x)")
    assert to_text(derivation.results[0].after) == "1 - f(x)**2"
    assert [s.rule for s in derivation.steps] == [
        "definition", "hyperbolic rule", "write in terms of f"]


def test_chain_rule_names_the_inner_function() -> None:
    derivation = derive_expression("exp(-a*x)", wrt=["x"], assume=["a>0"])
    step = next(s for s in derivation.steps if s.rule == "chain rule (exp)")
    assert "u = -a x" in str(step.explanation)


def test_log_states_its_domain() -> None:
    step = next(s for s in derive_expression("log(1 + x**2)").steps if "log" in s.rule)
    assert "defined for u > 0" in str(step.explanation)


@pytest.mark.parametrize(("expression", "at_kink"), [
    ("Max(0, x)", 0),                                        # ReLU'(0) = 0
    ("Abs(x)", 0),                                           # sign(0) = 0
    ("Piecewise((x, x > 0), (x/10, True))", sp.Rational(1, 10)),  # the piece holding at 0
])
def test_kink_convention_is_the_numpy_one(expression: str, at_kink: sp.Expr) -> None:
    derivation = derive_expression(expression)
    assert derivation.verified
    x = derivation.results[0].before.variables[0]
    assert derivation.results[0].after.subs(x, 0) == at_kink
    assert any("Heaviside(0) = 0" in note for note in derivation.notes)


def test_kink_steps_say_they_were_checked_numerically() -> None:
    derivation = derive_expression("Max(0, x)")
    step = next(s for s in derivation.steps if s.rule == "Max rule")
    assert step.check.method == "numeric" and step.check.passed
    assert "random point(s) of the domain" in step.check.detail


def test_several_wrt_give_one_result_each() -> None:
    derivation = derive_expression("x*y + y**2", wrt=["x", "y"])
    assert [to_text(r.after) for r in derivation.results] == ["y", "x + 2*y"]


# --- refusals: a clear InputError naming the construct, never a wrong step -----------------

@pytest.mark.parametrize(("text", "named"), [
    ("integrate(x, x)", "integrals are out of scope"),
    ("Integral(x, x)", "integrals are out of scope"),
    ("diff(x**2, x)", "probkit takes the derivative"),
    ("gamma(x)", "gamma(...) is not a function probkit's rules know"),
    ("Heaviside(x)", "Dirac delta"),
    ("sign(x)", "Dirac delta"),
    ("x.__class__", "attribute"),
    ("__import__(x)", "not allowed"),
    ("__import__('os')", "only numbers and names"),
    ("'x'", "only numbers and names"),
    ("[x]", "list"),
    ("lambda: x", "lambda"),
    ("x > 0", "conditions and tuples"),
    ("x + True", "conditions and tuples"),
    ("2**10**10", "too large"),
    ("x**1000", "too large"),
    ("x" + "+x" * 600, "characters long"),
    ("exp", "is a function; write exp(...)"),
    ("pi(x)", "is a constant"),
    ("1/0", "undefined or infinite"),
    ("x +", "cannot read"),
    ("Matrix(x)", "matrix expressions are not supported"),
    ("[x]", "list syntax"),
])
def test_unsupported_constructs_are_refused_by_name(text: str, named: str) -> None:
    with pytest.raises(InputError, match=None) as caught:
        derive_expression(text, wrt=["x"] if "x" in text else [])
    assert named in str(caught.value), str(caught.value)


def test_wrt_defaults_to_the_only_symbol_else_names_the_candidates() -> None:
    assert derive_expression("x**2").results[0].before.variables[0].name == "x"
    with pytest.raises(InputError, match=r"several symbols \(a, x\)"):
        derive_expression("a*x**2")
    with pytest.raises(InputError, match="'q' does not appear"):
        derive_expression("a*x**2", wrt=["q"])


@pytest.mark.parametrize(("assume", "message"), [
    (["a>1"], "cannot read"),
    (["q>0"], "q does not appear"),
    (["bogus"], "cannot read"),
])
def test_bad_assumptions_are_refused(assume: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        derive_expression("a*x", wrt=["x"], assume=assume)


def test_assumptions_reach_the_symbols() -> None:
    derivation = derive_expression("log(a*x)", wrt=["x"], assume=["a>0", "x positive"])
    a = next(s for s in derivation.given[0].rhs.free_symbols if s.name == "a")
    x = next(s for s in derivation.given[0].rhs.free_symbols if s.name == "x")
    assert a.is_positive and x.is_positive


# --- negative controls: a wrong step is marked failed -----------------------------------

def test_a_wrong_step_fails_its_check_symbolically_and_numerically() -> None:
    x = sp.Symbol("x", real=True)
    domain = Domain((x,), (x,))
    wrong = checked("power rule", sp.Derivative(x**3, x), 3 * x, "wrong exponent", domain)
    assert not wrong.check.passed and wrong.check.method == "numeric"
    assert "NOT equal" in wrong.check.detail
    kink = check_step(sp.Derivative(sp.Max(0, x), x), sp.Heaviside(-x, 0), domain)
    assert not kink.passed


def test_a_planted_wrong_rule_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    table = dict(rules_module._ELEMENTARY)
    rule, _outer, formula, domain = table[sp.sin]
    table[sp.sin] = (rule, lambda u: -sp.cos(u), formula, domain)  # the sign slip
    monkeypatch.setattr(rules_module, "_ELEMENTARY", table)
    derivation = derive_expression("sin(x**2)")
    assert not derivation.verified
    assert [s.rule for s in derivation.failures][0] == "chain rule (trig)"
    assert not derivation.results[0].check.passed  # and the sympy.diff check agrees


def test_user_function_derivative_stays_symbolic() -> None:
    derivation = derive_expression("f(-a*x)", wrt=["x"], assume=["a>0"])
    assert derivation.verified
    a, x = sorted(derivation.given[0].rhs.free_symbols, key=str)
    t = sp.Symbol("t")
    f = sp.Function("f")
    # f'(-a x) times the inner derivative -a; Subs compares its bound variable by position, and
    # SymPy's cache may hand back its own name for it (_xi), so compare the expressions
    assert derivation.results[0].after == -a * sp.Subs(sp.Derivative(f(t), t), t, -a * x)
    assert "Subs(Derivative(f(" in to_text(derivation.results[0].after)
    assert derivation.given[0].lhs.func.__name__ == "g"  # f is taken: the expression is g


@pytest.mark.parametrize("expression", [
    "Max(0, x)", "Piecewise((x, x > 0), (exp(x) - 1, True))", "f(-2*x)**2", "Abs(x)*tanh(x)",
])
def test_json_text_reads_back_to_the_same_expressions(expression: str) -> None:
    from probkit.symbolic import render_json

    derivation = derive_expression(expression)
    payload = render_json.to_dict(derivation)
    shown = [(s.before, s.after) for s in derivation.steps]
    for (before, after), step in zip(shown, payload["steps"], strict=True):
        assert render_json.parse(step["before"], payload["symbols"]) == before
        assert render_json.parse(step["after"], payload["symbols"]) == after


def test_a_function_of_your_own_of_several_arguments_is_final() -> None:
    derivation = derive_expression("f(x, y) + x**2", wrt=["x"])
    assert derivation.verified
    assert [s.rule for s in derivation.steps] == ["definition", "sum rule", "power rule"]
    assert to_text(derivation.results[0].after) == "2*x + Derivative(f(x, y), x)"


def test_the_derivative_of_x_and_of_a_parameter() -> None:
    assert to_text(derive_expression("x").results[0].after) == "1"
    assert [s.rule for s in derive_expression("x").steps] == ["definition", "variable rule"]
    derivation = derive_expression("a", wrt=["a"])
    assert derivation.verified and derivation.results[0].after == 1


def test_a_wrong_step_beyond_a_far_kink_is_caught() -> None:
    """Numeric points are put on both sides of every kink, even one far from 0."""
    x = sp.Symbol("x", real=True)
    domain = Domain((x,), (sp.Max(0, x - 5),))
    wrong = check_step(sp.Derivative(sp.Max(0, x - 5), x), 2 * sp.Heaviside(x - 5, 0), domain)
    right = check_step(sp.Derivative(sp.Max(0, x - 5), x), sp.Heaviside(x - 5, 0), domain)
    assert not wrong.passed and right.passed and right.method == "numeric"
