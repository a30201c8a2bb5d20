"""The predictive mean says why it is missing, instead of a bare null."""

from __future__ import annotations

from probkit.bayes.numeric import numeric_problem


def predictive(*args, **options) -> dict:
    return numeric_problem(*args, **options).solve().summary.to_dict()["predictive"]


def test_a_formula_likelihood_has_no_predictive_mean_and_says_why():
    shown = predictive("1..1000", None, ["60", "30", "90"],
                       likelihood="1/N if x <= N else 0")
    assert shown["mean"] is None
    assert shown["mean_note"].startswith("not defined: a likelihood formula")


def test_separate_data_has_no_predictive_mean_and_says_why():
    shown = predictive({"p1": "0:1:11", "p2": "0:1:11"}, "binomial",
                       {"p1": ["7/10"], "p2": ["3/10"]})
    assert shown["mean"] is None
    assert "data of its own" in shown["mean_note"]


def test_a_family_gives_the_predictive_mean_and_no_note():
    # the negative control: the same German tank data by the uniform family
    shown = predictive("1..1000", "uniform", ["60", "30", "90"])
    assert shown["mean_note"] is None
    assert 60 < shown["mean"]["float"] < 1000
