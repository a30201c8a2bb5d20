"""The cross-entropy gradient for m examples at once, in matrix form.

With X holding one example per column, Z = w^T X + b, A = sigma(Z) and the
mean cost J = (1/m) sum L(a_i, y_i): dZ = A - Y, dw = (1/m) X dZ^T and
db = (1/m) sum(dZ). Every matrix step is checked on an explicit 2 x 3 data
matrix of symbols, against derivatives of J taken entry by entry.

>>> derivation = build()
>>> derivation.verified, [s.check.method for s in derivation.steps][:2]
(True, ['symbolic', 'numeric'])
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from probkit.symbolic.catalogue import registered
from probkit.symbolic.explicit import cross_entropy, gradient, sigmoid, symbol_matrix
from probkit.symbolic.model import Derivation, Given, Math, Prose, Step
from probkit.symbolic.step_verifier import explicit_step, matrix_step

N_FEATURES = 2
N_EXAMPLES = 3


def display_symbols() -> dict[str, Any]:
    """The matrix symbols of the vectorized notation (shared with the L2 derivation)."""
    n = sp.Symbol("n", integer=True, positive=True)
    m = sp.Symbol("m", integer=True, positive=True)
    return {
        "n": n,
        "m": m,
        "X": sp.MatrixSymbol("X", n, m),
        "Y": sp.MatrixSymbol("Y", 1, m),
        "Z": sp.MatrixSymbol("Z", 1, m),
        "A": sp.MatrixSymbol("A", 1, m),
        "w": sp.MatrixSymbol("w", n, 1),
        "b": sp.Symbol("b", real=True),
        "dZ": sp.MatrixSymbol("dZ", 1, m),
        "dw": sp.MatrixSymbol("dw", n, 1),
        "db": sp.MatrixSymbol("db", 1, 1),
        "ones": sp.MatrixSymbol("ones", m, 1),
    }


def latex_names(s: dict[str, Any], cost: str = "J") -> dict[Any, str]:
    """How the gradient symbols are written in LaTeX."""
    return {
        s["dZ"]: r"dZ",
        s["dw"]: rf"\frac{{\partial {cost}}}{{\partial w}}",
        s["db"]: rf"\frac{{\partial {cost}}}{{\partial b}}",
        s["ones"]: r"\mathbf{1}",
    }


def explicit_logistic(lam: Any = 0) -> dict[str, Any]:
    """Explicit n = 2, m = 3 realization: data, parameters, cost, true gradients."""
    X = symbol_matrix("X", N_FEATURES, N_EXAMPLES, real=True)
    Y = symbol_matrix("Y", 1, N_EXAMPLES, real=True)
    w = symbol_matrix("w", N_FEATURES, 1, real=True)
    b = sp.Symbol("b", real=True)
    m = N_EXAMPLES
    Z = w.T * X + b * sp.ones(1, m)
    A = sigmoid(Z)
    penalty = lam / (2 * m) * sum((entry**2 for entry in w), sp.S.Zero)
    J = cross_entropy(A, Y) + penalty
    # dZ = m dJ/dZ with Z as free variables, then evaluated at Z = w^T X + b
    Zfree = symbol_matrix("Z", 1, m, real=True)
    dZ_free = m * gradient(cross_entropy(sigmoid(Zfree), Y), Zfree)
    dZ = dZ_free.subs(dict(zip(Zfree, Z, strict=True)))
    return {
        "X": X, "Y": Y, "w": w, "b": b, "m": m, "Z": Z, "A": A, "J": J,
        "Zfree": Zfree, "dZ_free": dZ_free, "dZ": dZ,
        "dw": gradient(J, w), "db": sp.Matrix([[sp.diff(J, b)]]),
    }


def mean_loss(m: Any) -> Any:
    """(1/m) sum over i of L(a_i, y_i), for the given-section of a derivation."""
    i = sp.Symbol("i", integer=True, positive=True)
    a_i, y_i = sp.Symbol("a_i", positive=True), sp.Symbol("y_i", real=True)
    return sp.Mul(1 / m, sp.Sum(sp.Function("L")(a_i, y_i), (i, 1, m)), evaluate=False)


def build() -> Derivation:
    """Build and check the vectorized derivation."""
    s = display_symbols()
    X, Y, A, dZ, m, ones = s["X"], s["Y"], s["A"], s["dZ"], s["m"], s["ones"]
    e = explicit_logistic()
    label = f"n = {N_FEATURES}, m = {N_EXAMPLES}"
    ones_e = sp.ones(e["m"], 1)
    dZ_is = Math("dZ = A - Y")

    dw_chain = sp.MatMul(1 / m, X, dZ.T)
    dw_final = sp.MatMul(1 / m, X, sp.Transpose(A - Y))
    db_chain = sp.MatMul(1 / m, dZ, ones)
    db_final = sp.MatMul(1 / m, A - Y, ones)
    steps: list[Step] = [
        explicit_step(
            "chain rule, one example at a time",
            dZ,
            A - Y,
            Prose.of("Column ", Math("i"), " of ", Math("Z"), " affects ", Math("J"),
                     " only through the loss of example ", Math("i"), " divided by ", Math("m"),
                     ", and ", Math(r"\frac{\partial L}{\partial z} = a - y", "dL/dz = a - y"),
                     " (cross-entropy derivation); ", Math("dZ"), " collects ", Math("m"),
                     " times ", Math(r"\frac{\partial J}{\partial Z}", "dJ/dZ"), "."),
            explicit_before=e["dZ_free"],
            explicit_after=sigmoid(e["Zfree"]) - e["Y"],
        ),
        matrix_step(
            "chain rule, summed over examples",
            s["dw"],
            dw_chain,
            Prose.of("Column ", Math("i"), " has ", Math("z = w^{T} x + b", "z = w.x + b"),
                     " with ", Math(r"\frac{\partial z}{\partial w} = x", "dz/dw = x"),
                     ", the ", Math("i"), "-th column of ", Math("X"), "; summing ", Math("x"),
                     " times ", Math("dZ"), " over the columns is the matrix product ",
                     Math.of(sp.MatMul(X, dZ.T), latex_names(s), text="X dZ^T"), "."),
            realizations=[(label, e["dw"], e["X"] * e["dZ"].T / e["m"])],
            seed=1,
        ),
        matrix_step(
            "substitution",
            dw_chain,
            dw_final,
            Prose.of("Put in ", dZ_is, " from step 1."),
            realizations=[(label, e["X"] * e["dZ"].T / e["m"],
                           e["X"] * (e["A"] - e["Y"]).T / e["m"])],
            seed=2,
        ),
        matrix_step(
            "chain rule, summed over examples",
            s["db"],
            db_chain,
            Prose.of("Every ", Math("z"), " has ",
                     Math(r"\frac{\partial z}{\partial b} = 1", "dz/db = 1"),
                     ", so the bias gradient is the sum of the entries of ", Math("dZ"),
                     " over ", Math("m"), ": multiplying by the vector of ones ",
                     Math(r"\mathbf{1}", "ones"), " adds up the columns."),
            realizations=[(label, e["db"], e["dZ"] * ones_e / e["m"])],
            seed=3,
        ),
        matrix_step(
            "substitution",
            db_chain,
            db_final,
            Prose.of("Put in ", dZ_is, "."),
            realizations=[(label, e["dZ"] * ones_e / e["m"],
                           (e["A"] - e["Y"]) * ones_e / e["m"])],
            seed=4,
        ),
    ]
    results = (
        matrix_step(
            "display form", s["dw"], dw_final,
            Prose.of("The vectorized weight gradient, checked directly against ",
                     Math(r"\frac{\partial J}{\partial w}", "dJ/dw"), " entry by entry."),
            realizations=[(label, e["dw"], e["X"] * (e["A"] - e["Y"]).T / e["m"])],
            seed=5,
        ),
        matrix_step(
            "display form", s["db"], db_final,
            Prose.of("The bias gradient: the mean of ", Math("A - Y"), " over the ", Math("m"),
                     " examples."),
            realizations=[(label, e["db"], (e["A"] - e["Y"]) * ones_e / e["m"])],
            seed=6,
        ),
    )
    return registered(
        "vectorized",
        given=(
            Given(s["Z"], sp.MatAdd(sp.MatMul(s["w"].T, X), sp.MatMul(s["b"], ones.T),
                                    evaluate=False),
                  Prose.of("one column per example, with ", Math("b"),
                           " added to every column")),
            Given(A, sp.Function("sigma")(s["Z"]), "the sigmoid, entry by entry"),
            Given(sp.Symbol("J"), mean_loss(s["m"]),
                  Prose.of("the mean cross-entropy over the ", Math("m"), " columns")),
        ),
        steps=tuple(steps),
        results=results,
        latex_names=latex_names(s),
        notes=(Prose.of(Math(r"\mathbf{1}", "ones"), " is the column vector of ", Math("m"),
                        " ones."),),
    )
