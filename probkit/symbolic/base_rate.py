"""Moving a classifier's probability from its training base rate to another.

A model trained where a fraction pi of the examples are cats outputs
p = P(cat | x) at base rate pi. Bayes' rule with the likelihoods
l_c = P(x | cat) and l_n = P(x | non-cat), which do not depend on the base
rate, gives the odds form p/(1 - p) = (l_c/l_n) pi/(1 - pi). Solving for the
likelihood ratio and reusing it at a deployment base rate P gives
q/(1 - q) = [p/(1 - p)] [P/(1 - P)] [(1 - pi)/pi], the model odds times the new prior
odds divided by the old.

>>> derivation = build()
>>> derivation.verified
True
"""

from __future__ import annotations

import sympy as sp

from probkit.symbolic.catalogue import registered
from probkit.symbolic.model import Derivation, Given, Math, Prose, Step
from probkit.symbolic.step_verifier import scalar_step


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
    names = {pi0: r"\pi", ratio: r"\Lambda"}
    model_odds = _odds(p)
    prior_odds_train = _odds(pi0)
    prior_odds_deploy = _odds(P)
    # dividing by the training prior odds is multiplying by their inverse, (1 - pi)/pi:
    # written so, no fraction holds another fraction
    inverse_train = (1 - pi0) / pi0
    posterior_odds = sp.Mul(model_odds, prior_odds_deploy, inverse_train, evaluate=False)
    cat = Math(r"P(\text{cat} \mid x)", "P(cat | x)")
    given_cat, given_non_cat = (Math(rf"P(x \mid \text{{{c}}})", f"P(x | {c})")
                                for c in ("cat", "non-cat"))
    q_closed = p * P * (1 - pi0) / (p * P * (1 - pi0) + (1 - p) * (1 - P) * pi0)

    steps: list[Step] = [
        scalar_step(
            "odds form of Bayes' rule",
            model_odds,
            sp.Mul(ratio, prior_odds_train, evaluate=False),
            Prose.of("Divide Bayes' rule for cat by Bayes' rule for non-cat: the evidence ",
                     Math("P(x)"), " cancels, leaving posterior odds = likelihood ratio ",
                     Math(r"\Lambda", "LR"), " times prior odds."),
            definitions=defs,
        ),
        scalar_step(
            "solve for the likelihood ratio",
            ratio,
            sp.Mul(model_odds, inverse_train, evaluate=False),
            Prose.of("Divide by the training prior odds, that is multiply by their inverse ",
                     Math.of(inverse_train, names, text="(1 - pi)/pi"),
                     ": the model's output and the training base rate determine the "
                     "likelihood ratio."),
            definitions=defs,
        ),
        scalar_step(
            "same likelihoods at deployment",
            _odds(q),
            sp.Mul(ratio, prior_odds_deploy, evaluate=False),
            Prose.of(given_cat, " and ", given_non_cat, " describe the images, not how common "
                     "cats are, so only the prior odds change."),
            definitions=defs,
        ),
        scalar_step(
            "substitution",
            sp.Mul(ratio, prior_odds_deploy, evaluate=False),
            posterior_odds,
            Prose.of("Put in the likelihood ratio ", Math(r"\Lambda", "LR"),
                     " from step 2."),
            definitions=defs,
        ),
        scalar_step(
            "from odds back to a probability",
            q,
            q_closed,
            Prose.of(Math(r"q = \frac{o}{1 + o}", "q = o/(1 + o)"), " for the odds ", Math("o"),
                     " of step 4; multiply numerator and denominator by ",
                     Math(r"(1 - p)(1 - P) \pi", "(1 - p)(1 - P) pi"), "."),
            definitions=defs,
        ),
        scalar_step(
            Prose.of("special case ", Math(r"P = \pi", "P = pi")),
            q_closed.subs(P, pi0),
            p,
            Prose.of("At the training base rate nothing changes: ", Math("q = p"), "."),
        ),
    ]
    results = (
        scalar_step(
            "display form",
            _odds(q),
            posterior_odds,
            Prose.of("Posterior odds = model odds times the ratio of the new to the old prior "
                     "odds, checked against Bayes' rule at base rate ", Math("P"), " directly."),
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
            Given(p, bayes_train, Prose.of("the model's ", cat, ", trained at base rate ",
                                           Math(r"\pi", "pi"))),
            Given(q, bayes_deploy, Prose.of("the wanted ", cat, " at deployment base rate ",
                                            Math("P"))),
            Given(ratio, lc / ln, Prose.of("the likelihood ratio ", given_cat, " / ",
                                           given_non_cat, ", with ",
                                           Math(r"\ell_c = P(x \mid \text{cat})",
                                                "ell_c = P(x | cat)"), " and ",
                                           Math(r"\ell_n = P(x \mid \text{non-cat})",
                                                "ell_n = P(x | non-cat)"))),
        ),
        steps=tuple(steps),
        results=results,
        latex_names=names,
    )
