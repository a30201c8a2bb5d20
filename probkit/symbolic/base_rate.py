"""Moving a classifier's probability from its training base rate to another.

A model trained where a fraction pi of the examples are cats outputs
p = P(cat | x) at base rate pi. Bayes' rule with the likelihoods
l_c = P(x | cat) and l_n = P(x | non-cat), which do not depend on the base
rate, gives the odds form p/(1 - p) = (l_c/l_n) pi/(1 - pi). Solving for the
likelihood ratio and reusing it at a deployment base rate P gives
q/(1 - q) = [p/(1 - p)] [P/(1 - P)] / [pi/(1 - pi)].

>>> derivation = build()
>>> derivation.verified
True
"""

from __future__ import annotations

import sympy as sp

from probkit.symbolic.checks import scalar_step
from probkit.symbolic.model import Derivation, Given, Step
from probkit.symbolic.registry import registered


def _odds(probability: sp.Expr) -> sp.Expr:
    return probability / (1 - probability)


def build() -> Derivation:
    """Build and check the base-rate derivation."""
    p = sp.Symbol("p", positive=True)
    q = sp.Symbol("q", positive=True)
    pi0 = sp.Symbol("pi_0", positive=True)
    P = sp.Symbol("P", positive=True)
    lc = sp.Symbol("ell_c", positive=True)
    ln = sp.Symbol("ell_n", positive=True)
    ratio = sp.Symbol("LR", positive=True)

    bayes_train = lc * pi0 / (lc * pi0 + ln * (1 - pi0))
    bayes_deploy = lc * P / (lc * P + ln * (1 - P))
    defs = {p: bayes_train, q: bayes_deploy, ratio: lc / ln}
    model_odds = _odds(p)
    prior_odds_train = _odds(pi0)
    prior_odds_deploy = _odds(P)
    # [P/(1 - P)] / [pi/(1 - pi)], kept as a fraction of two odds for display
    correction = sp.Mul(
        sp.UnevaluatedExpr(prior_odds_deploy),
        sp.Pow(sp.UnevaluatedExpr(prior_odds_train), -1),
        evaluate=False,
    )
    posterior_odds = sp.Mul(model_odds, correction, evaluate=False)
    q_closed = p * P * (1 - pi0) / (p * P * (1 - pi0) + (1 - p) * (1 - P) * pi0)

    steps: list[Step] = [
        scalar_step(
            "odds form of Bayes' rule",
            model_odds,
            sp.Mul(ratio, prior_odds_train, evaluate=False),
            "Divide Bayes' rule for cat by Bayes' rule for non-cat: the evidence P(x) "
            "cancels, leaving posterior odds = likelihood ratio times prior odds.",
            definitions=defs,
        ),
        scalar_step(
            "solve for the likelihood ratio",
            ratio,
            sp.Mul(model_odds, sp.Pow(prior_odds_train, -1, evaluate=False), evaluate=False),
            "The model's output and the training base rate determine the likelihood ratio.",
            definitions=defs,
        ),
        scalar_step(
            "same likelihoods at deployment",
            _odds(q),
            sp.Mul(ratio, prior_odds_deploy, evaluate=False),
            "P(x | cat) and P(x | non-cat) describe the images, not how common cats are, "
            "so only the prior odds change.",
            definitions=defs,
        ),
        scalar_step(
            "substitution",
            sp.Mul(ratio, prior_odds_deploy, evaluate=False),
            posterior_odds,
            "Put in the likelihood ratio from the model's output.",
            definitions=defs,
        ),
        scalar_step(
            "from odds back to a probability",
            q,
            q_closed,
            "q = odds/(1 + odds); multiply through by (1 - p)(1 - P) pi.",
            definitions=defs,
        ),
        scalar_step(
            "special case P = pi",
            q_closed.subs(P, pi0),
            p,
            "At the training base rate nothing changes: q = p.",
        ),
    ]
    results = (
        scalar_step(
            "display form",
            _odds(q),
            posterior_odds,
            "Posterior odds = model odds times the ratio of the new to the old prior odds, "
            "checked against Bayes' rule at base rate P directly.",
            definitions=defs,
        ),
        scalar_step(
            "display form",
            q,
            q_closed,
            "The corrected probability itself.",
            definitions=defs,
        ),
    )
    return registered(
        "base-rate",
        given=(
            Given(p, bayes_train, "the model's P(cat | x), trained at base rate pi"),
            Given(q, bayes_deploy, "the wanted P(cat | x) at deployment base rate P"),
            Given(ratio, lc / ln, "the likelihood ratio P(x | cat) / P(x | non-cat)"),
        ),
        steps=tuple(steps),
        results=results,
        latex_names={pi0: r"\pi", ratio: r"\Lambda"},
    )
