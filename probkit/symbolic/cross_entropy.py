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

from probkit.symbolic.checks import explicit_step, scalar_step
from probkit.symbolic.explicit import gradient, sigmoid, symbol_matrix
from probkit.symbolic.model import Derivation, Given, Step
from probkit.symbolic.registry import registered

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
    to_z = {a: sigmoid(z)}

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
            "d/da log a = 1/a and d/da log(1 - a) = -1/(1 - a).",
        ),
        scalar_step(
            "sigmoid derivative",
            sp.Derivative(sigmoid(z), z),
            da_dz,
            "The sigmoid derivation with a = 1: sigma'(z) = sigma(z) (1 - sigma(z)), "
            "and a = sigma(z).",
            definitions=to_z,
        ),
        explicit_step(
            "derivative of a linear function",
            sp.Derivative(z, w),
            x,
            "Each z = w1 x1 + ... + wn xn + b changes by xj per unit of wj.",
            explicit_before=gradient(ze, we),
            explicit_after=xe,
        ),
        explicit_step(
            "derivative of a linear function",
            sp.Derivative(z, b),
            sp.S.One,
            "The bias enters z with coefficient 1.",
            explicit_before=sp.diff(ze, b),
            explicit_after=sp.S.One,
        ),
        scalar_step(
            "chain rule",
            sp.Mul(dl_da, da_dz, evaluate=False),
            a - y,
            "dL/dz = dL/da times da/dz; the a (1 - a) cancels both denominators.",
        ),
    ]
    dz_symbol = sp.Symbol("dz", real=True)
    dw_symbol = sp.MatrixSymbol("dw", n, 1)
    db_symbol = sp.Symbol("db", real=True)
    dl_dw = explicit_step(
        "chain rule",
        dw_symbol,
        sp.MatMul(x, a - y),
        "dL/dw = dL/dz times dz/dw = (a - y) x; checked against differentiating "
        "L(sigma(w.x + b)) entry by entry (n = 3).",
        explicit_before=gradient(loss_of_params, we),
        explicit_after=xe * (sigmoid(ze) - y),
    )
    dl_db = explicit_step(
        "chain rule",
        db_symbol,
        a - y,
        "dL/db = dL/dz times dz/db = (a - y) times 1; checked the same way.",
        explicit_before=sp.diff(loss_of_params, b),
        explicit_after=sigmoid(ze) - y,
    )
    dl_dz_direct = scalar_step(
        "display form",
        sp.Derivative(loss.subs(a, sigmoid(z)), z),
        a - y,
        "dL/dz, differentiated directly by SymPy through a = sigma(z), equals a - y.",
        definitions=to_z,
    )
    steps += [dl_dw, dl_db]
    results = (
        Step("display form", dz_symbol, a - y, dl_dz_direct.explanation, dl_dz_direct.check),
        Step("display form", dw_symbol, sp.MatMul(x, a - y),
             "dL/dw, as checked in the chain-rule step.", dl_dw.check),
        Step("display form", db_symbol, a - y,
             "dL/db, as checked in the chain-rule step.", dl_db.check),
    )
    return registered(
        "cross-entropy",
        given=(
            Given(sp.Symbol("L"), loss, "the cross-entropy loss of one example with label y"),
            Given(a, sp.Function("sigma")(z), "the predicted probability"),
            Given(z, sp.Add(sp.MatMul(w.T, x), b, evaluate=False),
                  "the logit, with weights w and bias b"),
        ),
        steps=tuple(steps),
        results=results,
        latex_names={
            dz_symbol: r"\frac{\partial L}{\partial z}",
            dw_symbol: r"\frac{\partial L}{\partial w}",
            db_symbol: r"\frac{\partial L}{\partial b}",
        },
    )
