"""The derivative of the sigmoid f(x) = 1 / (1 + exp(-a x)), a > 0.

The steps a person writes: the reciprocal rule, the sum and chain rules on
exp(-a x), splitting the fraction in two, recognising 1 - f(x), and the
classic a = 1 case sigma'(x) = sigma(x) (1 - sigma(x)).

>>> derivation = build()
>>> derivation.verified, len(derivation.steps)
(True, 8)
>>> from probkit.symbolic.printing import to_text
>>> to_text(derivation.results[0].after)
'a*f(x)*(1 - f(x))'
"""

from __future__ import annotations

import sympy as sp

from probkit.symbolic.catalogue import registered
from probkit.symbolic.model import Derivation, Given, Math, Prose, Step
from probkit.symbolic.step_verifier import scalar_step


def build() -> Derivation:
    """Build and check the sigmoid derivation."""
    a = sp.Symbol("a", positive=True)
    x = sp.Symbol("x", real=True)
    f = sp.Function("f")
    sigma = sp.Function("sigma")
    e = sp.exp(-a * x)
    u = 1 + e
    definition = 1 / u
    defs = {f(x): definition}
    fraction = Math(r"\frac{1}{1 + e^{-a x}}", "1/(1 + exp(-a x))")

    chain = [
        scalar_step(
            "definition",
            sp.Derivative(f(x), x),
            sp.Derivative(definition, x),
            Prose.of("Write ", Math("f"), " out: differentiate ", fraction, "."),
            definitions=defs,
        ),
        scalar_step(
            "reciprocal rule",
            sp.Derivative(definition, x),
            -sp.Derivative(u, x) / u**2,
            Prose.of(Math(r"\left(\frac{1}{u}\right)' = -\frac{u'}{u^2}", "(1/u)' = -u'/u^2"),
                     " with ", Math("u = 1 + e^{-a x}", "u = 1 + exp(-a x)"), "."),
        ),
        scalar_step(
            "sum rule",
            -sp.Derivative(u, x) / u**2,
            -sp.Derivative(e, x) / u**2,
            Prose.of("The constant ", Math("1"), " has derivative ", Math("0"), "."),
        ),
        scalar_step(
            "chain rule",
            -sp.Derivative(e, x) / u**2,
            a * e / u**2,
            Prose.of(Math(r"\frac{d}{d x} e^{-a x} = e^{-a x} \frac{d}{d x} (-a x) = -a e^{-a x}",
                          "(exp(-a x))' = exp(-a x) times (-a x)' = -a exp(-a x)"),
                     "; its minus sign cancels the one in front."),
        ),
        scalar_step(
            "split the fraction",
            a * e / u**2,
            sp.Mul(a / u, e / u, evaluate=False),
            "Write the square in the denominator as two factors.",
        ),
        scalar_step(
            "add and subtract 1",
            sp.Mul(a / u, e / u, evaluate=False),
            sp.Mul(a / u, 1 - 1 / u, evaluate=False),
            Prose.of(Math(r"\frac{e^{-a x}}{1 + e^{-a x}} = \frac{1 + e^{-a x} - 1}{1 + e^{-a x}} "
                          r"= 1 - \frac{1}{1 + e^{-a x}}",
                          "exp(-a x)/(1 + exp(-a x)) = (1 + exp(-a x) - 1)/(1 + exp(-a x)) "
                          "= 1 - 1/(1 + exp(-a x))"), "."),
        ),
    ]
    display = sp.Mul(a, f(x), 1 - f(x), evaluate=False)
    chain.append(
        scalar_step(
            "substitute the definition",
            sp.Mul(a / u, 1 - 1 / u, evaluate=False),
            display,
            Prose.of("Both fractions are ", Math("f(x)"), " again, one of them inside ",
                     Math.of(1 - f(x)), "."),
            definitions=defs,
        )
    )
    steps: list[Step] = list(chain)
    special = scalar_step(
        Prose.of("special case ", Math("a = 1")),
        sp.Derivative(1 / (1 + sp.exp(-x)), x),
        sp.Mul(sigma(x), 1 - sigma(x), evaluate=False),
        Prose.of("With ", Math("a = 1"), ", ", Math("f"), " is the logistic sigmoid ",
                 Math(r"\sigma", "sigma"), ", and ",
                 Math(r"\sigma' = \sigma (1 - \sigma)", "sigma' = sigma (1 - sigma)"), "."),
        definitions={sigma(x): 1 / (1 + sp.exp(-x))},
    )
    steps.append(special)

    # The display form, checked against SymPy's own derivative of the definition
    # (computed here directly, independently of the steps above).
    oracle = sp.diff(definition, x)
    result = Step(
        "display form",
        sp.Derivative(f(x), x),
        display,
        "The form a person expects, verified against SymPy's own derivative.",
        scalar_step("display form", display, oracle, "", definitions=defs).check,
    )
    return registered(
        "sigmoid",
        given=(
            Given(f(x), definition, Prose.of("the sigmoid with steepness ", Math("a > 0"))),
        ),
        steps=tuple(steps),
        results=(result,),
        derivative_notation="d",
    )
