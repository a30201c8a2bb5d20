"""Backpropagation through a two-layer network, with and without L2.

Z1 = W1 X + b1, A1 = g(Z1) with g = ReLU or tanh, Z2 = W2 A1 + b2,
A2 = sigma(Z2), and J the mean cross-entropy plus lambda/(2m) times the
squared entries of W1 and W2. Backpropagation gives dZ2 = A2 - Y,
dW2 = dZ2 A1^T/m + (lambda/m) W2, db2 = dZ2 1/m, dZ1 = (W2^T dZ2) * g'(Z1)
(entry by entry), dW1 = dZ1 X^T/m + (lambda/m) W1, db1 = dZ1 1/m.

Every matrix step is checked on an explicit network (2 features, 2 hidden
units, 3 examples) for both activations and for lambda = 0 and lambda > 0,
against derivatives of J taken entry by entry.

>>> derivation = build()
>>> derivation.verified
True
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from probkit.symbolic.catalogue import registered
from probkit.symbolic.explicit import ACTIVATIONS as ACTIVATION_FUNCTIONS
from probkit.symbolic.explicit import (
    activation_derivative,
    cross_entropy,
    gradient,
    l2_penalty,
    sigmoid,
    symbol_matrix,
    two_layer_forward,
)
from probkit.symbolic.model import Check, Derivation, Given, Math, Prose, Step
from probkit.symbolic.step_verifier import matrix_step, scalar_step, symbolic_check

N_FEATURES = 2
N_HIDDEN = 2
N_EXAMPLES = 3
ACTIVATIONS = ("relu", "tanh")

RELU_SLOPE_AT_ZERO = 0
"""The value the numpy code (probkit.classifier.models.activations) gives ReLU's derivative
at z = 0."""


def relu_derivative_check(shown: Any) -> Check:
    """Check that ``shown`` (an expression in a real ``z``) is ReLU's derivative as the code has it.

    Where the derivative exists (``z > 0`` and ``z < 0``) ``shown`` must equal
    SymPy's derivative of ``max(0, z)``; at ``z = 0``, where it does not,
    ``shown`` must take the code's value :data:`RELU_SLOPE_AT_ZERO`, which must
    lie between the one-sided slopes (a subgradient). SymPy's own
    ``Heaviside(z)`` is 1/2 there and fails.

    >>> z = sp.Symbol("z", real=True)
    >>> relu_derivative_check(sp.Heaviside(z, 0)).passed
    True
    >>> relu_derivative_check(sp.Heaviside(z)).passed
    False
    """
    z = sp.Symbol("z", real=True)
    t = sp.Symbol("t", positive=True)
    relu = sp.Max(0, z)
    slope = sp.diff(relu, z)
    sides = [symbolic_check(slope.subs(z, side), shown.subs(z, side)) for side in (t, -t)]
    h = sp.Symbol("h", positive=True)
    left = sp.limit((relu.subs(z, -h) - relu.subs(z, 0)) / -h, h, 0)
    right = sp.limit((relu.subs(z, h) - relu.subs(z, 0)) / h, h, 0)
    at_zero = sp.sympify(shown).subs(z, 0)
    convention = bool(at_zero == RELU_SLOPE_AT_ZERO and left <= at_zero <= right)
    passed = all(check.passed for check in sides) and convention
    residuals = [check.residual for check in sides] + [at_zero - RELU_SLOPE_AT_ZERO]
    residual = next((r for r in residuals if r != 0), sp.S.Zero)
    detail = (f"z > 0 and z < 0 against d/dz max(0, z); at z = 0 the value {at_zero}, "
              f"code's {RELU_SLOPE_AT_ZERO}, one-sided slopes {left} and {right}")
    return Check("symbolic", passed, residual, detail)


def _explicit(activation: str, lam: Any) -> dict[str, Any]:
    """One explicit realization: forward pass, cost, true and formula gradients."""
    n, h, m = N_FEATURES, N_HIDDEN, N_EXAMPLES
    X = symbol_matrix("X", n, m, real=True)
    Y = symbol_matrix("Y", 1, m, real=True)
    W1 = symbol_matrix("W1", h, n, real=True)
    b1 = symbol_matrix("b1", h, 1, real=True)
    W2 = symbol_matrix("W2", 1, h, real=True)
    b2 = sp.Symbol("b2", real=True)
    forward = two_layer_forward(X, W1, b1, W2, b2, activation)
    J = cross_entropy(forward["A2"], Y) + l2_penalty([W1, W2], lam, m)
    ones = sp.ones(m, 1)
    dZ2 = forward["A2"] - Y
    dZ1 = (W2.T * dZ2).multiply_elementwise(activation_derivative(activation, forward["Z1"]))
    # m dJ/dZ with the pre-activations as free variables
    Z2free = symbol_matrix("Z2", 1, m, real=True)
    Z1free = symbol_matrix("Z1", h, m, real=True)
    A2_of_Z1 = sigmoid(W2 * ACTIVATION_FUNCTIONS[activation](Z1free) + b2 * sp.ones(1, m))
    return {
        "m": m,
        "dW2": gradient(J, W2), "dW2_formula": dZ2 * forward["A1"].T / m + lam / m * W2,
        "db2": sp.Matrix([[sp.diff(J, b2)]]), "db2_formula": dZ2 * ones / m,
        "dW1": gradient(J, W1), "dW1_formula": dZ1 * X.T / m + lam / m * W1,
        "db1": gradient(J, b1), "db1_formula": dZ1 * ones / m,
        "dZ2_true": m * gradient(cross_entropy(sigmoid(Z2free), Y), Z2free),
        "dZ2_formula": sigmoid(Z2free) - Y,
        "dZ1_true": m * gradient(cross_entropy(A2_of_Z1, Y), Z1free),
        "dZ1_formula": (W2.T * (A2_of_Z1 - Y)).multiply_elementwise(
            activation_derivative(activation, Z1free)
        ),
    }


def _symbols() -> dict[str, Any]:
    n = sp.Symbol("n", integer=True, positive=True)
    h = sp.Symbol("h", integer=True, positive=True)
    m = sp.Symbol("m", integer=True, positive=True)
    shapes = {
        "X": (n, m), "Y": (1, m), "W1": (h, n), "b1": (h, 1), "Z1": (h, m), "A1": (h, m),
        "W2": (1, h), "Z2": (1, m), "A2": (1, m), "dZ2": (1, m), "dW2": (1, h),
        "db2": (1, 1), "dZ1": (h, m), "dW1": (h, n), "db1": (h, 1), "G1": (h, m),
        "ones": (m, 1),
    }
    found: dict[str, Any] = {k: sp.MatrixSymbol(k, *shape) for k, shape in shapes.items()}
    found.update(n=n, h=h, m=m, b2=sp.Symbol("b2", real=True),
                 lamda=sp.Symbol("lamda", nonnegative=True))
    return found


def _latex_names(s: dict[str, Any]) -> dict[Any, str]:
    names = {}
    for layer in ("1", "2"):
        for base in ("W", "Z", "A"):
            names[s[base + layer]] = f"{base}^{{[{layer}]}}"
        names[s["dZ" + layer]] = f"dZ^{{[{layer}]}}"
        names[s["dW" + layer]] = rf"\frac{{\partial J}}{{\partial W^{{[{layer}]}}}}"
        names[s["db" + layer]] = rf"\frac{{\partial J}}{{\partial b^{{[{layer}]}}}}"
    names[s["b1"]] = "b^{[1]}"
    names[s["b2"]] = "b^{[2]}"
    names[s["G1"]] = r"g'\left(Z^{[1]}\right)"
    names[s["ones"]] = r"\mathbf{1}"
    return names


def build() -> Derivation:
    """Build and check the two-layer derivation."""
    s = _symbols()
    m, lam, ones = s["m"], s["lamda"], s["ones"]
    lam_value = sp.Symbol("lamda_value", positive=True)
    cases = [(g, lam_case) for g in ACTIVATIONS for lam_case in (0, lam_value)]
    real = {(g, str(lam_case)): _explicit(g, lam_case) for g, lam_case in cases}

    def realizations(key: str) -> list[tuple[str, Any, Any]]:
        found = []
        for (g, lam_case), e in real.items():
            label = f"{g}, {'lambda = 0' if lam_case == '0' else 'lambda > 0'}"
            found.append((label, e[key], e[key + "_formula"]))
        return found

    def per_activation(key: str) -> list[tuple[str, Any, Any]]:
        return [(g, real[(g, "0")][key + "_true"], real[(g, "0")][key + "_formula"])
                for g in ACTIVATIONS]

    z = sp.Symbol("z", real=True)
    z2_is = Math(r"Z^{[2]} = W^{[2]} A^{[1]} + b^{[2]}", "Z2 = W2 A1 + b2")
    g_prime = Math(r"g'\left(Z^{[1]}\right)", "G1 = g'(Z1)")
    hadamard = Math(r"\circ", "HadamardProduct")
    dW2 = sp.MatAdd(sp.MatMul(1 / m, s["dZ2"], s["A1"].T), sp.MatMul(lam / m, s["W2"]),
                    evaluate=False)
    db2 = sp.MatMul(1 / m, s["dZ2"], ones)
    dZ1 = sp.HadamardProduct(sp.MatMul(s["W2"].T, s["dZ2"]), s["G1"])
    dW1 = sp.MatAdd(sp.MatMul(1 / m, s["dZ1"], s["X"].T), sp.MatMul(lam / m, s["W1"]),
                    evaluate=False)
    db1 = sp.MatMul(1 / m, s["dZ1"], ones)
    relu_slope = sp.Heaviside(z, RELU_SLOPE_AT_ZERO)
    steps: list[Step] = [
        scalar_step(
            "derivative of tanh",
            sp.Derivative(sp.tanh(z), z),
            1 - sp.tanh(z) ** 2,
            Prose.of(Math(r"\tanh = \frac{\sinh}{\cosh}", "tanh = sinh/cosh"), ", so ",
                     Math(r"\tanh' = 1 - \tanh^2", "tanh' = 1 - tanh^2"), "."),
        ),
        Step(
            "derivative of ReLU",
            sp.Derivative(sp.Max(0, z), z),
            relu_slope,
            Prose.of(Math(r"\max(0, z)", "max(0, z)"), " has slope 0 for negative ", Math("z"),
                     " and 1 for positive ", Math("z"), ": the unit step ",
                     Math.of(relu_slope, text="[z > 0]"), ", 1 where ", Math("z > 0"),
                     " and 0 elsewhere. At ", Math("z = 0"), " there is no derivative; the "
                     "code uses the slope 0 (a subgradient), and so does the check."),
            relu_derivative_check(relu_slope),
        ),
        matrix_step(
            "output layer: cross-entropy and sigmoid",
            s["dZ2"],
            s["A2"] - s["Y"],
            Prose.of("As in the vectorized derivation, ",
                     Math(r"m \frac{\partial J}{\partial Z^{[2]}} = A^{[2]} - Y",
                          "m dJ/dZ2 = A2 - Y"), "."),
            realizations=[("any activation", real[("tanh", "0")]["dZ2_true"],
                           real[("tanh", "0")]["dZ2_formula"])],
            seed=21,
        ),
        matrix_step(
            "chain rule and L2",
            s["dW2"],
            dW2,
            Prose.of(z2_is, " is linear in ", Math("W^{[2]}", "W2"), ", like ",
                     Math("z = w^{T} x + b", "z = w.x + b"), "; the penalty adds ",
                     Math(r"\frac{\lambda}{m} W^{[2]}", "(lambda/m) W2"), "."),
            realizations=realizations("dW2"),
            seed=22,
        ),
        matrix_step(
            "chain rule, bias not regularized",
            s["db2"],
            db2,
            Prose.of("The mean of ", Math("dZ^{[2]}", "dZ2"), " over the examples; the penalty "
                     "does not involve ", Math("b^{[2]}", "b2"), "."),
            realizations=realizations("db2"),
            seed=23,
        ),
        matrix_step(
            "chain rule through the activation",
            s["dZ1"],
            dZ1,
            Prose.of("Back through ", z2_is, " (a product with ",
                     Math(r"\left(W^{[2]}\right)^{T}", "W2 transposed"), "), then through ",
                     Math(r"A^{[1]} = g\left(Z^{[1]}\right)", "A1 = g(Z1)"),
                     " entry by entry, which multiplies by ", g_prime,
                     " entry by entry: the product ", hadamard, "."),
            realizations=per_activation("dZ1"),
            seed=24,
        ),
        matrix_step(
            "chain rule and L2",
            s["dW1"],
            dW1,
            Prose.of(Math(r"Z^{[1]} = W^{[1]} X + b^{[1]}", "Z1 = W1 X + b1"), " is linear in ",
                     Math("W^{[1]}", "W1"), "; the penalty adds ",
                     Math(r"\frac{\lambda}{m} W^{[1]}", "(lambda/m) W1"), "."),
            realizations=realizations("dW1"),
            seed=25,
        ),
        matrix_step(
            "chain rule, bias not regularized",
            s["db1"],
            db1,
            Prose.of("The mean of ", Math("dZ^{[1]}", "dZ1"), " over the examples, one entry "
                     "per hidden unit."),
            realizations=realizations("db1"),
            seed=26,
        ),
    ]
    by_lhs = {step.before: step for step in steps[3:]}
    results = tuple(
        Step("display form", key, by_lhs[key].after,
             "Checked for ReLU and tanh, with and without L2.", by_lhs[key].check)
        for key in (s["dW1"], s["db1"], s["dW2"], s["db2"])
    )
    g = sp.Function("g")
    return registered(
        "two-layer",
        given=(
            Given(s["Z1"], sp.MatAdd(sp.MatMul(s["W1"], s["X"]), sp.MatMul(s["b1"], ones.T)),
                  "hidden pre-activations, one column per example"),
            Given(s["A1"], g(s["Z1"]), Prose.of(Math("g"), " is ReLU or tanh, entry by entry")),
            Given(s["Z2"], sp.MatAdd(sp.MatMul(s["W2"], s["A1"]),
                                     sp.MatMul(s["b2"], ones.T), evaluate=False),
                  "output logits"),
            Given(s["A2"], sp.Function("sigma")(s["Z2"]), "output probabilities"),
        ),
        steps=tuple(steps),
        results=results,
        latex_names=_latex_names(s),
        notes=(
            Prose.of(Math("J"), " is the mean cross-entropy plus ",
                     Math(r"\frac{\lambda}{2 m}", "lambda/(2m)"), " times the squared entries of ",
                     Math("W^{[1]}", "W1"), " and ", Math("W^{[2]}", "W2"), " (",
                     Math(r"\lambda = 0", "lambda = 0"),
                     ": no regularization); the biases are not regularized."),
            Prose.of(g_prime, " is the activation's derivative entry by entry, ", hadamard,
                     " the entry-by-entry (Hadamard) product, and ",
                     Math(r"\mathbf{1}", "ones"), " the column vector of ", Math("m"), " ones."),
        ),
        derivative_notation="partial",
    )
