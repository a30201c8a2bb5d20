"""The gradient of the cross-entropy loss of one example.

L(a, y) = -(y log a + (1 - y) log(1 - a)) with a = sigma(z) and
z = w.x + b. The four local derivatives and their chain-rule products give
dL/dz = a - y, dL/dw = x (a - y), dL/db = a - y.

Vector steps are written with w and x as n-vectors and checked on explicit
3-vectors of symbols.

>>> derivation = build()
>>> derivation.verified
True
>>> [step.rule for step in derivation.steps][:2]
['derivative of the logarithm', 'sigmoid derivative']
"""

from __future__ import annotations

import sympy as sp

from probkit.symbolic.catalogue import registered
from probkit.symbolic.explicit import gradient, sigmoid, symbol_matrix
from probkit.symbolic.model import Derivation, Given, Math, Prose, Step
from probkit.symbolic.step_verifier import explicit_step, scalar_step

N = 3
"""Length of the explicit vectors the vector steps are checked on."""


def build() -> Derivation:
    """Build and check the cross-entropy derivation."""
    a = sp.Symbol("a", positive=True)
    y = sp.Symbol("y", real=True)
    z = sp.Symbol("z", real=True)
    b = sp.Symbol("b", real=True)
    n = sp.Symbol("n", integer=True, positive=True)
    w = sp.MatrixSymbol("w", n, 1)
    x = sp.MatrixSymbol("x", n, 1)
    loss = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    sigma = sp.Function("sigma")
    to_z = {a: sigmoid(z)}
    a_is = Math(r"a = \sigma(z)", "a = sigma(z)")

    # explicit n = 3 realization of z = w.x + b
    we, xe = symbol_matrix("w", N, 1, real=True), symbol_matrix("x", N, 1, real=True)
    ze = (we.T * xe)[0, 0] + b
    loss_of_params = loss.subs(a, sigmoid(ze))

    dl_da = -y / a + (1 - y) / (1 - a)
    da_dz = sp.Mul(a, 1 - a, evaluate=False)
    steps: list[Step] = [
        scalar_step(
            "derivative of the logarithm",
            sp.Derivative(loss, a),
            dl_da,
            Prose.of(Math(r"\frac{\partial}{\partial a} \log a = \frac{1}{a}", "d/da log a = 1/a"),
                     " and ",
                     Math(r"\frac{\partial}{\partial a} \log(1 - a) = -\frac{1}{1 - a}",
                          "d/da log(1 - a) = -1/(1 - a)"), "."),
        ),
        scalar_step(
            "sigmoid derivative",
            sp.Derivative(sigma(z), z),
            da_dz,
            Prose.of("The sigmoid derivation at steepness 1 gives ",
                     Math(r"\sigma'(z) = \sigma(z) (1 - \sigma(z))",
                          "sigma'(z) = sigma(z) (1 - sigma(z))"),
                     ", which is ", Math.of(da_dz, text="a (1 - a)"), " since ", a_is, "."),
            definitions={sigma(z): sigmoid(z), **to_z},
        ),
        explicit_step(
            "derivative of a linear function",
            sp.Derivative(z, w),
            x,
            Prose.of("Each ", Math(r"z = w_1 x_1 + \dots + w_n x_n + b",
                                   "z = w1 x1 + ... + wn xn + b"),
                     " changes by ", Math("x_j", "xj"), " per unit of ", Math("w_j", "wj"), "."),
            explicit_before=gradient(ze, we),
            explicit_after=xe,
        ),
        explicit_step(
            "derivative of a linear function",
            sp.Derivative(z, b),
            sp.S.One,
            Prose.of("The bias enters ", Math("z"), " with coefficient ", Math("1"), "."),
            explicit_before=sp.diff(ze, b),
            explicit_after=sp.S.One,
        ),
        scalar_step(
            "chain rule",
            sp.Mul(dl_da, da_dz, evaluate=False),
            a - y,
            Prose.of(Math(r"\frac{\partial L}{\partial z} = \frac{\partial L}{\partial a} "
                          r"\frac{\partial a}{\partial z}", "dL/dz = dL/da times da/dz"),
                     "; the factor ", Math.of(da_dz, text="a (1 - a)"),
                     " cancels both denominators."),
        ),
    ]
    dz_symbol = sp.Symbol("dz", real=True)
    dw_symbol = sp.MatrixSymbol("dw", n, 1)
    db_symbol = sp.Symbol("db", real=True)
    dl_dw = explicit_step(
        "chain rule",
        dw_symbol,
        sp.MatMul(x, a - y),
        Prose.of(Math(r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial z} "
                      r"\frac{\partial z}{\partial w} = x (a - y)",
                      "dL/dw = dL/dz times dz/dw = x (a - y)"),
                 "; checked against differentiating ",
                 Math(r"L(\sigma(w^{T} x + b))", "L(sigma(w.x + b))"), " entry by entry (",
                 Math("n = 3"), ")."),
        explicit_before=gradient(loss_of_params, we),
        explicit_after=xe * (sigmoid(ze) - y),
    )
    dl_db = explicit_step(
        "chain rule",
        db_symbol,
        a - y,
        Prose.of(Math(r"\frac{\partial L}{\partial b} = \frac{\partial L}{\partial z} "
                      r"\frac{\partial z}{\partial b} = (a - y) \cdot 1",
                      "dL/db = dL/dz times dz/db = (a - y) times 1"),
                 "; checked the same way."),
        explicit_before=sp.diff(loss_of_params, b),
        explicit_after=sigmoid(ze) - y,
    )
    dl_dz_direct = scalar_step(
        "display form",
        sp.Derivative(loss.subs(a, sigmoid(z)), z),
        a - y,
        Prose.of(Math(r"\frac{\partial L}{\partial z}", "dL/dz"),
                 ", differentiated directly by SymPy through ", a_is, ", equals ",
                 Math("a - y"), "."),
        definitions=to_z,
    )
    steps += [dl_dw, dl_db]
    results = (
        Step("display form", dz_symbol, a - y, dl_dz_direct.explanation, dl_dz_direct.check),
        Step("display form", dw_symbol, sp.MatMul(x, a - y),
             "The weight gradient.", dl_dw.check),
        Step("display form", db_symbol, a - y,
             "The bias gradient.", dl_db.check),
    )
    return registered(
        "cross-entropy",
        given=(
            Given(sp.Symbol("L"), loss,
                  Prose.of("the cross-entropy loss of one example with label ", Math("y"))),
            Given(a, sigma(z), "the predicted probability"),
            Given(z, sp.Add(sp.MatMul(w.T, x), b, evaluate=False),
                  Prose.of("the logit, with weights ", Math("w"), " and bias ", Math("b"))),
        ),
        steps=tuple(steps),
        results=results,
        latex_names={
            dz_symbol: r"\frac{\partial L}{\partial z}",
            dw_symbol: r"\frac{\partial L}{\partial w}",
            db_symbol: r"\frac{\partial L}{\partial b}",
        },
    )
