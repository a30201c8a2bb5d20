"""L2 regularization: J_reg = J + lambda/(2m) ||w||^2.

The penalty's gradient is (lambda/m) w, so the weight gradient gains that
term and the bias gradient is unchanged (the bias is not regularized); one
gradient-descent step then shrinks w by the factor 1 - alpha lambda/m
("weight decay"). Checked on the explicit n = 2, m = 3 realization.

>>> derivation = build()
>>> derivation.verified
True
"""

from __future__ import annotations

import sympy as sp

from probkit.symbolic.catalogue import registered
from probkit.symbolic.explicit import gradient
from probkit.symbolic.model import Derivation, Given, Math, Prose, Step
from probkit.symbolic.step_verifier import explicit_step, matrix_step
from probkit.symbolic.vectorized import (
    N_EXAMPLES,
    N_FEATURES,
    display_symbols,
    explicit_logistic,
    latex_names,
    mean_loss,
)


def build() -> Derivation:
    """Build and check the L2 derivation."""
    s = display_symbols()
    X, Y, A, w, m, ones = s["X"], s["Y"], s["A"], s["w"], s["m"], s["ones"]
    lam = sp.Symbol("lamda", positive=True)
    alpha = sp.Symbol("alpha", positive=True)
    e = explicit_logistic(lam)
    plain = explicit_logistic(0)
    label = f"n = {N_FEATURES}, m = {N_EXAMPLES}, lambda > 0"
    ones_e = sp.ones(e["m"], 1)
    we = e["w"]
    penalty_e = lam / (2 * e["m"]) * sum((entry**2 for entry in we), sp.S.Zero)

    penalty = sp.Mul(lam / (2 * m), sp.MatMul(w.T, w), evaluate=False)
    dpenalty = sp.MatMul(lam / m, w)
    dw_plain = sp.MatMul(1 / m, X, sp.Transpose(A - Y))
    dw_reg = sp.MatAdd(dw_plain, dpenalty, evaluate=False)
    db_plain = sp.MatMul(1 / m, A - Y, ones)
    step_w = sp.MatAdd(w, sp.MatMul(-alpha, s["dw"], evaluate=False), evaluate=False)
    factor = 1 - alpha * lam / m
    decay = sp.MatAdd(sp.MatMul(factor, w),
                      sp.MatMul(-alpha / m, X, sp.Transpose(A - Y), evaluate=False),
                      evaluate=False)
    names = latex_names(s, cost="J_{reg}")
    names[sp.Symbol("dR", real=True)] = r"\frac{\partial R}{\partial w}"

    steps: list[Step] = [
        explicit_step(
            "derivative of a square",
            sp.Symbol("dR", real=True),
            dpenalty,
            Prose.of(Math("R"), " is ", Math(r"\frac{\lambda}{2 m}", "lambda/(2m)"),
                     " times the sum of the squared weights; each square ",
                     Math("w_j^2", "wj^2"), " has derivative ", Math("2 w_j", "2 wj"),
                     ", and the 2 cancels the ", Math(r"\frac{1}{2}", "1/2"), "."),
            explicit_before=gradient(penalty_e, we),
            explicit_after=lam / e["m"] * we,
        ),
        matrix_step(
            "sum rule",
            s["dw"],
            dw_reg,
            Prose.of("The gradient of a sum is the sum of the gradients: the unregularized "
                     "vectorized gradient ", Math.of(dw_plain, names, text="(1/m) X (A - Y)^T"),
                     " plus the penalty's, ", Math.of(dpenalty, names, text="(lambda/m) w"), "."),
            realizations=[(label, e["dw"],
                           e["X"] * (e["A"] - e["Y"]).T / e["m"] + lam / e["m"] * we)],
            seed=11,
        ),
        matrix_step(
            "the bias is not regularized",
            s["db"],
            db_plain,
            Prose.of(Math("R"), " does not depend on ", Math("b"), ", so the bias gradient is "
                     "the same as without regularization."),
            realizations=[(label, e["db"], (e["A"] - e["Y"]) * ones_e / e["m"])],
            seed=12,
        ),
        matrix_step(
            "gradient descent step",
            step_w,
            decay,
            Prose.of("One step with learning rate ", Math(r"\alpha", "alpha"), " shrinks ",
                     Math("w"), " by the factor ",
                     Math.of(factor, names, text="1 - alpha lambda/m"),
                     " before the usual update: weight decay."),
            realizations=[(label, we - alpha * e["dw"],
                           (1 - alpha * lam / e["m"]) * we - alpha * plain["dw"])],
            seed=13,
        ),
    ]
    results = (
        matrix_step(
            "display form", s["dw"], dw_reg,
            Prose.of("The regularized weight gradient, checked against ",
                     Math(r"\frac{\partial J_{reg}}{\partial w}", "dJ_reg/dw"),
                     " entry by entry."),
            realizations=[(label, e["dw"], plain["dw"] + lam / e["m"] * we)],
            seed=14,
        ),
        matrix_step(
            "display form", s["db"], db_plain,
            "The bias gradient, unchanged by L2.",
            realizations=[(label, e["db"], plain["db"])],
            seed=15,
        ),
    )
    return registered(
        "l2",
        given=(
            Given(sp.Symbol("J_reg"), sp.Symbol("J") + sp.Symbol("R"),
                  Prose.of("the regularized cost, with ", Math("J"), " the mean cross-entropy")),
            Given(sp.Symbol("J"), mean_loss(m), "as in the vectorized derivation"),
            Given(sp.Symbol("R"), penalty, Prose.of("the L2 penalty on the weights only, ",
                                                    Math(r"\lambda > 0", "lambda > 0"))),
        ),
        steps=tuple(steps),
        results=results,
        latex_names=names,
        notes=(Prose.of(Math(r"\mathbf{1}", "ones"), " is the column vector of ", Math("m"),
                        " ones."),),
    )
