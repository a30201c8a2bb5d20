"""probkit.Distribution on Think Bayes problems, each checked against Bayes' rule written out.

Each expected answer is computed here from the prior and the likelihood with plain
Fractions (the sum in the denominator spelled out), never by the class under test.
"""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction as F

import pytest

from probkit import Distribution, ProbkitError, bayes_factor
from probkit.bayes import posterior
from probkit.bayes.conjugate import Beta, Gamma, Normal
from probkit.errors import ImpossibleEvidenceError, InputError, ProbabilityError


def bayes_rule(prior: dict, likelihood) -> dict:
    """P(h | data) = P(h) L(h) / sum_k P(k) L(k), written out."""
    joint = {h: F(p) * likelihood(h) for h, p in prior.items()}
    evidence = sum(joint.values())
    return {h: j / evidence for h, j in joint.items()}


def expected_mean(post: dict) -> F:
    return sum(h * p for h, p in post.items())


# --- the problems ---------------------------------------------------------------------------


def test_cookie_problem_posterior_of_bowl_1_is_three_fifths():
    prior = Distribution({"bowl 1": 1, "bowl 2": 1})
    post = prior.update({"bowl 1": F(30, 40), "bowl 2": F(20, 40)})
    assert post["bowl 1"] == F(3, 5)
    assert post.evidence == F(1, 2) * F(3, 4) + F(1, 2) * F(1, 2)


def test_dice_problem_matches_bayes_rule():
    dice = [4, 6, 8, 12, 20]
    post = Distribution.uniform(dice).update("uniform", [6])
    truth = bayes_rule({d: F(1, 5) for d in dice}, lambda d: F(1, d) if d >= 6 else F(0))
    assert dict(post.items()) == truth
    assert post[6] == F(20, 51)


def test_locomotive_mean_and_interval_match_bayes_rule():
    values = range(1, 1001)
    post = Distribution.uniform(values).update(lambda n: F(1, n) if n >= 60 else 0)
    truth = bayes_rule({n: F(1, 1000) for n in values}, lambda n: F(1, n) if n >= 60 else F(0))
    assert post.mean() == expected_mean(truth) == F(941) / sum(F(1, n) for n in range(60, 1001))
    assert round(float(post.mean())) == 333
    low, high = post.credible_interval(0.9)
    assert (low, high) == (69, 869)
    assert post.prob(lambda n: n > 100) == sum(p for n, p in truth.items() if n > 100)


def test_locomotive_negative_control_a_wrong_likelihood_fails_the_exact_check():
    values = range(1, 1001)
    truth = bayes_rule({n: F(1, 1000) for n in values}, lambda n: F(1, n) if n >= 60 else F(0))
    wrong = Distribution.uniform(values).update(lambda n: F(1, n))  # forgot N >= 60
    assert wrong.mean() != expected_mean(truth)


def test_german_tank_by_family_and_by_function_agree_with_bayes_rule():
    values = range(1, 1001)
    data = [60, 30, 90]
    by_family = Distribution.uniform(values).update("uniform", data)

    def likelihood(n):
        return math.prod(F(1, n) if x <= n else F(0) for x in data)

    by_function = Distribution.uniform(values).update(likelihood)
    truth = bayes_rule(dict.fromkeys(values, 1), likelihood)
    assert dict(by_family.items()) == dict(by_function.items()) == truth
    assert by_family.mean() == sum(F(1, n**2) for n in range(90, 1001)) / sum(
        F(1, n**3) for n in range(90, 1001))


def test_euro_bayes_factor_fair_against_uniform_is_2_12():
    grid = [F(i, 100) for i in range(101)]
    fair = Distribution({F(1, 2): 1}).update("binomial", "140/250")
    uniform = Distribution.uniform(grid).update("binomial", "140/250")
    factor = bayes_factor(fair, uniform)

    def lik(p):
        return math.comb(250, 140) * p**140 * (1 - p) ** 110

    written = lik(F(1, 2)) / (sum(lik(p) for p in grid) / 101)
    assert factor == written
    assert round(float(factor), 2) == 2.12


def test_euro_with_triangle_prior_matches_bayes_rule_and_its_bayes_factor():
    grid = [F(i, 100) for i in range(101)]
    triangle = Distribution.from_prior("triangle", grid)
    assert triangle[F(1, 2)] == F(50, 2500)  # weights min(i, 100 - i) sum to 2500
    post = triangle.update("binomial", "140/250")

    def lik(p):
        return math.comb(250, 140) * p**140 * (1 - p) ** 110

    prior = {p: F(min(i, 100 - i), 2500) for i, p in enumerate(grid)}
    truth = bayes_rule(prior, lik)
    assert post.mean() == expected_mean(truth)
    fair = Distribution({F(1, 2): 1}).update("binomial", "140/250")
    assert bayes_factor(fair, post) == lik(F(1, 2)) / sum(prior[p] * lik(p) for p in grid)


def test_grizzly_lincoln_index_by_a_formula():
    # 23 bears tagged, then 19 caught of which 4 tagged (Think Bayes 2, "Mark and Recapture")
    def lik(n):
        return F(math.comb(23, 4) * math.comb(n - 23, 15), math.comb(n, 19))

    values = range(50, 501)
    post = Distribution.uniform(values).update(lik)
    truth = bayes_rule(dict.fromkeys(values, 1), lik)
    assert post.mean() == expected_mean(truth)
    assert 172 < float(post.mean()) < 174  # Think Bayes: about 173
    by_family = Distribution.uniform(values).update(
        lambda n: F(math.comb(23, 4) * math.comb(n - 23, 15), math.comb(n, 19)))
    assert dict(by_family.items()) == truth


def test_two_coins_probability_first_is_larger_three_ways():
    grid = [F(i, 50) for i in range(51)]
    p1 = Distribution.uniform(grid).update("binomial", "7/10")
    p2 = Distribution.uniform(grid).update("binomial", "3/10")
    written = sum(p1[a] * p2[b] for a in grid for b in grid if a > b)
    assert (p1 - p2).prob(lambda d: d > 0) == written
    joint = Distribution.joint(p1, p2)
    assert joint.prob(lambda v: v[0] > v[1]) == written
    assert dict(joint.marginal(0).items()) == dict(p1.items())
    assert dict(joint.conditional(1, F(3, 10)).items()) == dict(p1.items())
    assert 0.95 < float(written) < 0.96  # Beta(8, 4) against Beta(4, 8): about 0.955


def test_posterior_as_next_prior_multiplies_the_evidence():
    grid = [F(i, 10) for i in range(11)]
    once = Distribution.uniform(grid).update("bernoulli", "HHT")
    twice = Distribution.uniform(grid).update("bernoulli", "HH").update("bernoulli", "T")
    assert dict(once.items()) == dict(twice.items())
    assert once.evidence == twice.evidence


# --- forms of the likelihood and of the values ----------------------------------------------


def test_integer_keys_in_posterior_and_in_distribution():
    result = posterior({1: "1/3", 2: "2/3"}, {1: "1/2", 2: "1/4"})
    assert result[1].posterior == F(1, 2)
    assert result.names == ("1", "2")
    d = Distribution({1: "1/3", 2: "2/3"}).update({1: "1/2", 2: "1/4"})
    assert d[1] == F(1, 2)


def test_sequence_and_numpy_likelihoods_align_with_values():
    np = pytest.importorskip("numpy")
    d = Distribution(np.array([3, 1, 2]), np.array([1, 1, 2]))
    assert d.values == (1, 2, 3)
    post = d.update([F(1, 2), F(1, 4), 1])  # aligned with .values
    assert post[3] == F(1, 4) * 1 / (F(1, 4) * F(1, 2) + F(1, 2) * F(1, 4) + F(1, 4))
    floats = d.update(np.array([0.5, 0.25, 1.0]))
    assert not floats.exact
    assert floats[3] == pytest.approx(float(post[3]), rel=1e-12)


def test_float_update_stays_in_log_space_for_tiny_likelihoods():
    d = Distribution({0: 1.0, 1: 1.0}).update([F(1, 10**400), F(3, 10**400)])
    assert d[1] == pytest.approx(0.75, rel=1e-12)
    assert d.log_evidence == pytest.approx(math.log(2) - 400 * math.log(10), rel=1e-12)
    binomial = Distribution([0.3, 0.5], [1.0, 1.0]).update("binomial", ["50000/100000"] * 3)
    assert binomial[0.5] == pytest.approx(1.0)
    assert math.isfinite(binomial.log_evidence)


def test_vectorized_function_is_called_once_on_an_array_and_agrees():
    np = pytest.importorskip("numpy")
    calls = []

    def likelihood(p):
        calls.append(type(p).__name__)
        return p**7 * (1 - p) ** 3

    grid = np.linspace(0, 1, 101)
    post = Distribution(grid, np.ones(101)).update(likelihood)
    assert calls == ["ndarray"]
    exact = Distribution.uniform([F(i, 100) for i in range(101)]).update("binomial", "7/10")
    assert post.mean() == pytest.approx(float(exact.mean()), rel=1e-12)


def test_scipy_frozen_distribution_on_a_grid():
    stats = pytest.importorskip("scipy.stats")
    d = Distribution.from_scipy(stats.binom(10, 0.3), range(11))
    assert d[3.0] == pytest.approx(stats.binom(10, 0.3).pmf(3))
    normal = Distribution.from_scipy(stats.norm(0, 1), [-1, 0, 1])
    assert normal[0.0] / normal[1.0] == pytest.approx(math.exp(0.5))


def test_named_priors_beta_gamma_normal_power():
    grid = [F(i, 4) for i in range(5)]
    beta = Distribution.from_prior("beta(2, 3)", grid)
    weights = [p * (1 - p) ** 2 for p in grid]
    assert beta[F(1, 4)] == weights[1] / sum(weights)
    gamma = Distribution.from_prior("gamma(2, 1)", [1, 2])
    assert gamma[2] / gamma[1] == pytest.approx(2 * math.exp(-1))
    normal = Distribution.from_prior("normal(0, 1)", [0, 1])
    assert normal[0] / normal[1] == pytest.approx(math.exp(0.5))
    assert Distribution.from_prior("power:-1", [1, 2])[1] == F(2, 3)


# --- summaries, sampling, predictive ---------------------------------------------------------


def test_summaries_on_a_small_distribution():
    d = Distribution({1: F(1, 10), 2: F(2, 10), 3: F(3, 10), 4: F(4, 10)})
    assert (d.mean(), d.median(), d.map()) == (3, 3, 4)
    assert d.var() == F(1)
    assert d.sd() == 1.0
    assert tuple(d.hdi(F(1, 2))) == (3, 4)
    assert d.quantile("10%") == 1


def test_sample_is_seeded_and_follows_the_probabilities():
    d = Distribution({0: 1, 1: 3})
    assert d.sample(20, seed=5) == d.sample(20, seed=5)
    draws = d.sample(100_000, seed=1)
    share = sum(draws) / len(draws)
    assert abs(share - 0.75) < 5 * math.sqrt(0.75 * 0.25 / 100_000)


def test_predictive_is_a_distribution_of_the_next_observation():
    grid = [F(i, 10) for i in range(11)]
    post = Distribution.uniform(grid).update("bernoulli", "HHT")
    next_toss = post.predictive("bernoulli")
    assert next_toss[1] == post.mean()
    counts = post.predictive("binomial", n=3)
    assert counts[2] == sum(p * 3 * v**2 * (1 - v) for v, p in post.items())
    assert sum(counts.probs) == 1
    with pytest.raises(InputError, match="outcomes hold only"):
        post.predictive(lambda x, v: v if x == 1 else 1 - v, outcomes=[1])


# --- arithmetic ------------------------------------------------------------------------------


def test_arithmetic_of_independent_dice():
    die = Distribution.uniform(range(1, 7))
    assert (die + die)[7] == F(1, 6)
    assert (die - die)[0] == F(1, 6)
    assert (die * die)[6] == F(4, 36)
    assert (die + 10)[16] == F(1, 6)
    assert die.max_of(3)[6] == 1 - F(5, 6) ** 3
    assert die.to_float().max_of(3)[6] == pytest.approx(1 - (5 / 6) ** 3)
    mixed = Distribution.mixture([die, Distribution.uniform([6])], [1, 1])
    assert mixed[6] == F(1, 2) * F(1, 6) + F(1, 2)


def test_conjugate_updates_match_the_grid():
    beta = Beta(2, 2).update(140, 250)
    assert beta.mean() == F(142, 254)
    grid = [F(i, 1000) for i in range(1001)]
    on_grid = Distribution.from_prior("beta(2, 2)", grid).update("binomial", "140/250")
    assert float(on_grid.mean()) == pytest.approx(float(beta.mean()), abs=1e-6)
    assert on_grid.var() == pytest.approx(float(beta.var()), rel=1e-3)

    gamma = Gamma(2, 1).update([3, 4, 2])
    assert gamma.mean() == F(11, 4)
    lam = [i / 100 for i in range(1, 2001)]
    by_grid = Distribution.from_prior("gamma(2, 1)", lam).update("poisson", [3, 4, 2])
    assert by_grid.mean() == pytest.approx(float(gamma.mean()), rel=1e-4)

    normal = Normal(0, 4).update([F(1), F(3)], sigma=1)
    assert (normal.mu, normal.var) == (F(16, 9), F(4, 9))
    mus = [i / 100 for i in range(-500, 801)]
    by_grid = Distribution.from_prior("normal(0, 2)", mus).update(
        lambda m: math.exp(-0.5 * ((1 - m) ** 2 + (3 - m) ** 2)))
    assert by_grid.mean() == pytest.approx(16 / 9, rel=1e-6)
    assert by_grid.var() == pytest.approx(4 / 9, rel=1e-4)


# --- display and errors ----------------------------------------------------------------------


def test_repr_is_a_few_lines_and_html_has_a_table():
    post = Distribution.uniform(range(1, 1001)).update(lambda n: F(1, n) if n >= 60 else 0)
    text = repr(post)
    assert len(text.splitlines()) <= 9
    assert len(text) < 600
    assert "mean 333.419893" in text and "[69, 869]" in text
    html = post._repr_html_()
    assert "<table>" in html and "333.419893" in html


def test_plot_returns_a_figure():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Distribution.uniform(range(1, 7)).plot()
    assert isinstance(fig, Figure)


@pytest.mark.parametrize(("call", "error", "parameter"), [
    (lambda: Distribution({1: -1}), ProbabilityError, "weights"),
    (lambda: Distribution([1, 2], [1]), InputError, "weights"),
    (lambda: Distribution({1: 0}), ProbabilityError, "weights"),
    (lambda: Distribution.uniform([1, 2]).update([1]), InputError, "likelihood"),
    (lambda: Distribution.uniform([1, 2]).update({1: 1}), InputError, "likelihood"),
    (lambda: Distribution.uniform([1, 2]).update(lambda v: -1), ProbabilityError, "likelihood"),
    (lambda: Distribution.uniform(["a"]).mean(), InputError, "values"),
    (lambda: Distribution.uniform([1]).sample(10**9), InputError, "n"),
    (lambda: Distribution.uniform([1]).max_of(0), InputError, "n"),
    (lambda: Distribution.uniform(range(2000)) + Distribution.uniform(range(2000)),
     InputError, "other"),
])
def test_bad_input_raises_naming_the_parameter(call, error, parameter):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, ProbkitError)
    assert info.value.parameter == parameter


def test_impossible_evidence_is_refused():
    with pytest.raises(ImpossibleEvidenceError):
        Distribution.uniform([1, 2]).update("uniform", [5])


def test_exact_path_does_not_import_numpy():
    code = ("import sys, probkit; d = probkit.Distribution.uniform(range(1, 1001));"
            "p = d.update('uniform', [60]); p.mean(); p.credible_interval(0.9); repr(p);"
            "p._repr_html_(); e = probkit.Distribution.uniform(range(6)); (e + e)[2];"
            "assert 'numpy' not in sys.modules, 'numpy'")
    subprocess.run([sys.executable, "-c", code], check=True)
