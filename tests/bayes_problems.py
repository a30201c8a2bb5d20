"""The textbook problems the Monte Carlo tests share.

URN: urn A (9 white, 1 black) or B (2 white, 8 black), one black drawn.
RARE: prevalence 1/1000, sensitivity 99%, 5% false positives, one positive test.
TWO_POSITIVE: the same test positive twice.
CERTAIN: the urns again, black, black, white drawn without replacement (B is certain).
"""

from probkit.bayes import diagnostic_problem, urn_problem

URN = urn_problem({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}}, ["black"])
RARE = diagnostic_problem("1/1000", "99%", false_positive_rate="5%")
TWO_POSITIVE = diagnostic_problem("1/1000", "99%", false_positive_rate="5%",
                                  results=["positive", "positive"])
CERTAIN = urn_problem({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
                      ["black", "black", "white"], replace=False)
