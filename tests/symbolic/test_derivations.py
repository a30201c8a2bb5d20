"""The derivations: every step verified, wrong steps caught, results match oracles."""

from __future__ import annotations

import functools
import random
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from probkit.errors import InputError
from probkit.symbolic import build, describe, names
from probkit.symbolic.explicit import (
    cross_entropy,
    gradient,
    sigmoid,
    symbol_matrix,
)
from probkit.symbolic.model import Derivation, Step, plain
from probkit.symbolic.step_verifier import (
    matrix_step,
    numeric_check,
    scalar_step,
    symbolic_check,
)

EXPECTED = ("sigmoid", "cross-entropy", "vectorized", "l2", "two-layer", "base-rate")


def test_the_catalogue_lists_every_derivation_in_reading_order() -> None:
    assert names() == EXPECTED
    assert all(describe(name).title for name in EXPECTED)


def test_every_catalogued_derivation_has_one_builder_that_names_it() -> None:
    import importlib.util
    import re

    from probkit.symbolic.registry import BUILDERS

    assert tuple(BUILDERS) == EXPECTED
    for name, module in BUILDERS.items():  # each module builds the entry it is listed for
        source = Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8")
        assert re.search(rf'registered\(\s*"{re.escape(name)}"', source), name


def test_unknown_derivation_is_an_input_error_naming_the_choices() -> None:
    with pytest.raises(InputError, match="'softmax'.*sigmoid.*base-rate"):
        build("softmax")


@pytest.mark.parametrize("name", EXPECTED)
def test_every_step_and_result_is_verified(derivations: dict[str, Derivation], name: str) -> None:
    derivation = derivations[name]
    assert derivation.steps and derivation.results
    for step in (*derivation.steps, *derivation.results):
        assert step.rule and step.explanation, step
        assert step.check.passed, (name, step.rule, step.check)
        assert step.check.method in ("symbolic", "numeric")
    assert derivation.verified and not derivation.failures


def test_matrix_steps_are_checked_numerically_and_scalar_steps_symbolically(
    derivations: dict[str, Derivation],
) -> None:
    for step in derivations["sigmoid"].steps + derivations["base-rate"].steps:
        assert step.check.method == "symbolic"
        assert step.check.residual == 0
    vectorized = [s.check.method for s in derivations["vectorized"].steps]
    assert vectorized.count("numeric") >= 3
    for step in derivations["two-layer"].steps:
        if step.check.method == "numeric":
            assert isinstance(step.check.residual, float) and step.check.residual < 1e-15


def test_two_layer_checks_cover_both_activations_with_and_without_l2(
    derivations: dict[str, Derivation],
) -> None:
    details = " ".join(s.check.detail for s in derivations["two-layer"].steps)
    for label in ("relu, lambda = 0", "relu, lambda > 0", "tanh, lambda = 0", "tanh, lambda > 0"):
        assert label in details


def test_sigmoid_display_form_is_what_a_person_writes(derivations: dict[str, Derivation]) -> None:
    result = derivations["sigmoid"].results[0]
    # the factors in the order a person writes them, a f(x) (1 - f(x))
    assert isinstance(result.after, sp.Mul)
    assert [str(factor) for factor in result.after.args] == ["a", "f(x)", "1 - f(x)"]
    symbols = {s.name: s for s in result.after.free_symbols}
    a, x = symbols["a"], symbols["x"]
    assert a.is_positive and x.is_real
    fx = result.after.args[1]
    # independent oracle: SymPy's derivative of the definition, compared at random points
    exact = sp.diff(1 / (1 + sp.exp(-a * x)), x)
    shown = result.after.subs(fx, 1 / (1 + sp.exp(-a * x)))
    rng = random.Random(7)
    for _ in range(5):
        point = {a: rng.uniform(0.1, 3), x: rng.uniform(-4, 4)}
        assert abs(float((exact - shown).subs(point))) < 1e-14
    # the a = 1 case is the logistic sigmoid's classic derivative
    special = [s for s in derivations["sigmoid"].steps if "a = 1" in plain(s.rule)]
    assert len(special) == 1


def test_sympy_own_form_differs_but_is_equal() -> None:
    # What SymPy's simplify returns is not the display form, yet the check accepts it.
    a = sp.Symbol("a", positive=True)
    x = sp.Symbol("x", real=True)
    simplified = sp.simplify(sp.diff(1 / (1 + sp.exp(-a * x)), x))
    sigma = 1 / (1 + sp.exp(-a * x))
    assert simplified.has(sp.cosh) or simplified != a * sigma * (1 - sigma)
    assert symbolic_check(simplified, a * sigma * (1 - sigma)).passed


# ---------------------------------------------------------------- negative controls


def test_a_wrong_scalar_step_is_reported_failing() -> None:
    a = sp.Symbol("a", positive=True)
    x = sp.Symbol("x", real=True)
    f = sp.Function("f")
    wrong = scalar_step(
        "substitute the definition",
        sp.Derivative(f(x), x),
        a * f(x) * (1 + f(x)),  # the sign is wrong
        "a deliberately wrong step",
        definitions={f(x): 1 / (1 + sp.exp(-a * x))},
    )
    assert not wrong.check.passed
    assert wrong.check.residual != 0


def test_a_step_that_forgets_the_chain_rule_factor_fails() -> None:
    a = sp.Symbol("a", positive=True)
    x = sp.Symbol("x", real=True)
    u = 1 + sp.exp(-a * x)
    wrong = scalar_step("chain rule", -sp.Derivative(sp.exp(-a * x), x) / u**2,
                        sp.exp(-a * x) / u**2, "missing the factor a")
    assert not wrong.check.passed


def test_a_wrong_matrix_step_is_reported_failing() -> None:
    X = symbol_matrix("X", 2, 3, real=True)
    Y = symbol_matrix("Y", 1, 3, real=True)
    w = symbol_matrix("w", 2, 1, real=True)
    b = sp.Symbol("b", real=True)
    A = sigmoid(w.T * X + b * sp.ones(1, 3))
    J = cross_entropy(A, Y)
    right = numeric_check([("ok", gradient(J, w), X * (A - Y).T / 3)])
    missing_mean = numeric_check([("no 1/m", gradient(J, w), X * (A - Y).T)])
    wrong_sign = numeric_check([("Y - A", gradient(J, w), X * (Y - A).T / 3)])
    assert right.passed and right.residual < 1e-25
    assert not missing_mean.passed and missing_mean.residual > 1e-3
    assert not wrong_sign.passed


def test_a_derivation_with_one_wrong_step_is_not_verified(
    derivations: dict[str, Derivation],
) -> None:
    good = derivations["vectorized"]
    e = symbol_matrix("e", 1, 2, real=True)
    bad_step = matrix_step("made up", sp.Symbol("s"), sp.Symbol("t"), "2e != e",
                           realizations=[("wrong", 2 * e, e)])
    broken = Derivation(good.name, good.title, good.summary, good.given,
                        (*good.steps, bad_step), good.results)
    assert not broken.verified
    assert broken.failures == (bad_step,)


def test_shape_mismatch_fails_the_numeric_check() -> None:
    check = numeric_check([("shapes", sp.ones(2, 1), sp.ones(1, 2))])
    assert not check.passed


# ---------------------------------------------------------------- independent oracles


def test_vectorized_formula_matches_finite_differences_in_plain_python() -> None:
    """dw = X (A - Y)^T / m and db = mean(A - Y), against central differences."""
    import math

    rng = random.Random(3)
    n, m = 3, 5
    X = [[rng.gauss(0, 1) for _ in range(m)] for _ in range(n)]
    Y = [float(rng.random() < 0.5) for _ in range(m)]
    w = [rng.gauss(0, 1) for _ in range(n)]
    b = 0.3

    def cost(w: list[float], b: float) -> float:
        total = 0.0
        for i in range(m):
            z = sum(w[k] * X[k][i] for k in range(n)) + b
            a = 1 / (1 + math.exp(-z))
            total += Y[i] * math.log(a) + (1 - Y[i]) * math.log(1 - a)
        return -total / m

    A = [1 / (1 + math.exp(-(sum(w[k] * X[k][i] for k in range(n)) + b))) for i in range(m)]
    dw = [sum(X[k][i] * (A[i] - Y[i]) for i in range(m)) / m for k in range(n)]
    db = sum(A[i] - Y[i] for i in range(m)) / m
    h = 1e-6
    for k in range(n):
        up, down = list(w), list(w)
        up[k] += h
        down[k] -= h
        assert abs((cost(up, b) - cost(down, b)) / (2 * h) - dw[k]) < 1e-8
    assert abs((cost(w, b + h) - cost(w, b - h)) / (2 * h) - db) < 1e-8


def test_base_rate_result_matches_exact_bayes_on_counts() -> None:
    """Textbook check: two populations with the same likelihoods, exact fractions."""
    derivation = build("base-rate")
    q_closed = derivation.results[1].after
    p_, P_, pi_ = (sp.Symbol(s, positive=True) for s in ("p", "P", "pi_0"))
    # likelihoods P(x | cat) = 3/10, P(x | non-cat) = 1/20; base rates 1/3 and 2/3
    lc, ln = Fraction(3, 10), Fraction(1, 20)
    pi, P = Fraction(1, 3), Fraction(2, 3)
    p = lc * pi / (lc * pi + ln * (1 - pi))
    q = lc * P / (lc * P + ln * (1 - P))
    value = q_closed.subs({p_: sp.Rational(p), P_: sp.Rational(P), pi_: sp.Rational(pi)})
    assert sp.Rational(q) == sp.nsimplify(value)


def test_explanations_are_single_lines(derivations: dict[str, Derivation]) -> None:
    for derivation in derivations.values():
        for step in (*derivation.steps, *derivation.results):
            assert "\n" not in plain(step.explanation)


def test_steps_are_immutable(derivations: dict[str, Derivation]) -> None:
    step: Step = derivations["sigmoid"].steps[0]
    with pytest.raises(AttributeError):
        step.rule = "changed"  # type: ignore[misc]


fractions_in_unit = st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(999, 1000))


@settings(max_examples=40, deadline=None)
@given(lc=fractions_in_unit, ln=fractions_in_unit, pi=fractions_in_unit, P=fractions_in_unit)
def test_base_rate_formula_equals_bayes_rule_exactly(
    lc: Fraction, ln: Fraction, pi: Fraction, P: Fraction
) -> None:
    """Property: the derived q(p, pi, P) equals Bayes' rule at base rate P, in exact fractions."""
    p = lc * pi / (lc * pi + ln * (1 - pi))
    q = lc * P / (lc * P + ln * (1 - P))
    q_formula = p * P * (1 - pi) / (p * P * (1 - pi) + (1 - p) * (1 - P) * pi)
    assert q_formula == q
    derived = _base_rate().results[1].after
    symbols = {s.name: s for s in derived.free_symbols}
    value = derived.subs({symbols["p"]: sp.Rational(p), symbols["P"]: sp.Rational(P),
                          symbols["pi_0"]: sp.Rational(pi)})
    assert sp.Rational(q) == value


@functools.cache
def _base_rate() -> Derivation:
    return build("base-rate")
