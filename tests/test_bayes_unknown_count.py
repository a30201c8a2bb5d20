"""How many unknowns a numeric problem may have, said before the family's own count."""

from __future__ import annotations

import pytest

from probkit.bayes.numeric import numeric_problem
from probkit.errors import InputError

THREE = {"a": "0:1:11", "b": "0:1:11", "c": "0:1:11"}


@pytest.mark.parametrize("family", ["bernoulli", "binomial", "uniform", "normal"])
@pytest.mark.parametrize("data", [["1"], {"a": ["1"], "b": ["0"], "c": ["1"]}])
def test_three_unknowns_are_refused_as_three_not_as_the_family_s_count(family, data):
    with pytest.raises(InputError) as caught:
        numeric_problem(THREE, family, data)
    assert str(caught.value).startswith("3 unknowns: give one or two")
    assert caught.value.parameter == "values"


def test_two_unknowns_sharing_data_in_a_one_unknown_family_are_told_about_separate_data():
    two = {"p1": "0:1:11", "p2": "0:1:11"}
    with pytest.raises(InputError, match="give the data per unknown"):
        numeric_problem(two, "binomial", ["7/10"])
    # and the separate data it suggests works (the negative control)
    solved = numeric_problem(two, "binomial", {"p1": ["7/10"], "p2": ["3/10"]}).solve()
    assert solved.summary["p1"].mean > solved.summary["p2"].mean
