"""Numeric hypotheses against answers computed independently here, with Fractions.

Each oracle below is Bayes' rule written out for that one problem (no probkit
code), so a slip in the values, the families, the grid or the summaries shows.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from probkit.bayes import numeric_posterior, numeric_problem
from probkit.bayes.summaries import equal_tailed_interval, highest_density_interval
from probkit.errors import ImpossibleEvidenceError, InputError
from probkit_cli.app import app


def normalized(weights: dict) -> dict:
    total = sum(weights.values())
    return {k: w / total for k, w in weights.items()}


def by_value(result) -> dict:
    return {cell[0]: p for cell, p in zip(result.problem.cells(), result.probabilities,
                                          strict=True)}


# --- the dice problem ------------------------------------------------------------------------


def dice_oracle(rolls: list[int]) -> dict[int, F]:
    sides = [4, 6, 8, 12, 20]
    return normalized({n: F(1, 5) * math.prod(F(1, n) if r <= n else F(0) for r in rolls)
                       for n in sides})


@pytest.mark.parametrize("rolls", [[6], [6, 8, 7, 7, 5, 4], [1, 2, 3]])
def test_dice(rolls: list[int]) -> None:
    result = numeric_posterior("4,6,8,12,20", "uniform", rolls)
    expected = dice_oracle(rolls)
    assert by_value(result) == {F(n): p for n, p in expected.items()}
    assert result.exact
    mean = sum(n * p for n, p in expected.items())
    assert result.summary["N"].mean == mean
    top = max(expected.values())
    assert result.summary["N"].map == min(n for n, p in expected.items() if p == top)


def test_dice_one_six_numbers() -> None:
    result = numeric_posterior("4,6,8,12,20", "uniform", [6])
    assert [str(p) for p in result.probabilities] == ["0", "20/51", "5/17", "10/51", "2/17"]
    # negative control: a wrong prior (∝ sides) gives a different answer
    wrong = normalized({n: F(n) * (F(1, n) if n >= 6 else 0) for n in [4, 6, 8, 12, 20]})
    assert by_value(result) != {F(n): p for n, p in wrong.items()}


# --- the locomotive problem ------------------------------------------------------------------


def locomotive_oracle(data: list[int], alpha: int) -> dict[int, F]:
    """P(N | data) ∝ N^alpha * prod(1/N) over N in 1..1000 with N >= max(data)."""
    return normalized({n: F(n) ** alpha * F(1, n) ** len(data) if n >= max(data) else F(0)
                       for n in range(1, 1001)})


@pytest.mark.parametrize(("prior", "alpha", "data"), [
    ("uniform", 0, [60]),
    ("power:-1", -1, [60]),
    ("power:-1", -1, [60, 30, 90]),
])
def test_locomotive(prior: str, alpha: int, data: list[int]) -> None:
    result = numeric_posterior("1..1000", "uniform", data, prior=prior,
                               events=["N > 100", "N <= 200 and N != 150"])
    expected = locomotive_oracle(data, alpha)
    assert by_value(result) == {F(n): p for n, p in expected.items()}
    summary = result.summary
    assert summary["N"].mean == sum(n * p for n, p in expected.items())
    events = dict(summary.events)
    assert events["N > 100"] == sum(p for n, p in expected.items() if n > 100)
    assert events["N <= 200 and N != 150"] == sum(
        p for n, p in expected.items() if n <= 200 and n != 150)


def test_locomotive_published_means() -> None:
    # Downey, Think Bayes (2nd ed.), ch. 5: posterior means 333 (uniform prior, one train
    # numbered 60) and about 133 (power law with alpha = 1, trains 60, 30, 90)
    uniform = numeric_posterior("1..1000", "uniform", [60])
    assert round(float(uniform.summary["N"].mean)) == 333
    power = numeric_posterior("1..1000", "uniform", [60, 30, 90], prior="power:-1")
    assert round(float(power.summary["N"].mean)) == 133


# --- the Euro problem ------------------------------------------------------------------------


def euro_oracle(heads: int, spins: int) -> dict[F, F]:
    grid = [F(i, 100) for i in range(101)]
    return normalized({p: p**heads * (1 - p) ** (spins - heads) for p in grid})


def test_euro_binomial() -> None:
    result = numeric_posterior("0:1:101", "binomial", ["140/250"], events=["p > 0.5"])
    expected = euro_oracle(140, 250)
    assert by_value(result) == expected
    summary = result.summary
    assert summary["p"].map == F(56, 100)
    assert summary["p"].mean == sum(p * w for p, w in expected.items())
    assert dict(summary.events)["p > 0.5"] == sum(w for p, w in expected.items() if p > F(1, 2))
    # the predictive probability of heads on the next spin is the posterior mean of p
    assert dict(summary.predictive)["1/1"] == summary["p"].mean


def test_trace_summaries_agree_with_the_exact_trace() -> None:
    from probkit.bayes import posterior

    result = numeric_posterior("1..200", "uniform", [60, 30, 90, 10], prior="power:-1")
    steps = result.steps()
    values = [F(n) for n in range(1, 201)]
    table = result.posterior.hypotheses
    engine = posterior({h.name: h.prior for h in table},
                       {h.name: list(h.likelihoods) for h in table}, trace=True)
    for step, exact in zip(steps, engine.trace, strict=True):
        assert step.evidence == pytest.approx(float(exact.evidence), rel=1e-12)
        mean = sum(v * p for v, p in zip(values, exact.posteriors, strict=True))
        assert step.means[0] == pytest.approx(float(mean), rel=1e-12)
        best = max(range(200), key=lambda i: (exact.posteriors[i], -i))
        assert step.map == str(best + 1)
        interval = equal_tailed_interval(values, list(exact.posteriors), F(9, 10))
        assert (step.low, step.high) == (interval.low, interval.high)


def test_euro_bernoulli_equals_binomial() -> None:
    trials = numeric_posterior("0:1:101", "bernoulli", ["H" * 14 + "T" * 11])
    counted = numeric_posterior("0:1:101", "binomial", ["14/25"])
    assert trials.probabilities == counted.probabilities
    assert len(trials.steps()) == 25


# --- two unknowns ----------------------------------------------------------------------------


def test_two_unknowns_uniform_low_high() -> None:
    data = [10, 12, 20]
    result = numeric_posterior({"low": "1..30", "high": "1..40"}, "uniform", data,
                               events=["high >= 25"])
    weights = {}
    for low in range(1, 31):
        for high in range(1, 41):
            if low <= high:
                inside = all(low <= x <= high for x in data)
                weights[(low, high)] = F(1, high - low + 1) ** 3 if inside else F(0)
    expected = normalized(weights)
    got = dict(zip(result.problem.cells(), result.probabilities, strict=True))
    for (low, high), p in got.items():
        assert p == expected.get((low, high), 0)
    marginal_high = {h: sum(p for (_, hh), p in expected.items() if hh == h)
                     for h in range(1, 41)}
    values, probs = result.marginal("high")
    assert dict(zip([int(v) for v in values], probs, strict=True)) == marginal_high
    assert result.summary["high"].mean == sum(h * p for h, p in marginal_high.items())
    assert result.summary.map == (F(10), F(20))
    assert dict(result.summary.events)["high >= 25"] == sum(
        p for (_, h), p in expected.items() if h >= 25)


def test_two_unknowns_normal_float() -> None:
    data = [F(21, 10), F(29, 10), F(35, 10)]
    result = numeric_posterior({"mu": "0:6:13", "sigma": "1,2,3"}, "normal", data)
    assert not result.exact
    weights = {}
    for i in range(13):
        mu = i * 0.5
        for sigma in (1, 2, 3):
            weights[(mu, sigma)] = math.prod(
                math.exp(-0.5 * ((float(x) - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
                for x in data)
    total = sum(weights.values())
    for cell, p in zip(result.problem.cells(), result.probabilities, strict=True):
        assert p == pytest.approx(weights[(float(cell[0]), int(cell[1]))] / total, rel=1e-9)
    assert float(result.evidence) == pytest.approx(total / 39, rel=1e-9)


# --- other families --------------------------------------------------------------------------


def test_geometric_poisson_hypergeometric() -> None:
    geometric = numeric_posterior("0:1:11", "geometric", [3, 1])
    assert by_value(geometric) == normalized(
        {F(i, 10): (1 - F(i, 10)) ** 2 * F(i, 10) * F(i, 10) for i in range(11)})
    poisson = numeric_posterior("1..5", "poisson", [2, 4])
    raw = {lam: math.exp(-2 * lam) * lam**6 / (2 * 24) for lam in range(1, 6)}
    total = sum(raw.values())
    for lam, p in by_value(poisson).items():
        assert p == pytest.approx(raw[int(lam)] / total, rel=1e-12)
    hyper = numeric_posterior("0..20", "hypergeometric:20", ["3/5"])
    expected = normalized({k: F(math.comb(k, 3) * math.comb(20 - k, 2), math.comb(20, 5))
                           for k in range(21)})
    assert by_value(hyper) == {F(k): p for k, p in expected.items()}


# --- credible intervals against brute force --------------------------------------------------

distributions = st.lists(st.integers(0, 6), min_size=1, max_size=9).filter(any)


@settings(max_examples=150, deadline=None)
@given(weights=distributions, percent=st.integers(1, 99))
def test_intervals_against_brute_force(weights: list[int], percent: int) -> None:
    total = sum(weights)
    probs = [F(w, total) for w in weights]
    values = [F(i) for i in range(len(weights))]
    level = F(percent, 100)
    alpha = 1 - level

    def cdf(i: int) -> F:  # brute force: a fresh sum every time
        return sum(probs[: i + 1], F(0))

    low_i = min(i for i in range(len(values)) if cdf(i) >= alpha / 2)
    high_i = min(i for i in range(len(values)) if cdf(i) >= 1 - alpha / 2)
    interval = equal_tailed_interval(values, probs, level)
    assert (interval.low, interval.high) == (values[low_i], values[high_i])
    assert interval.mass >= level
    # HDI: every value inside is at least as probable as every value outside, it holds the
    # level, and dropping its least probable values (all tied ones) drops below the level
    hdi = highest_density_interval(values, probs, level)
    inside = {v for a, b in hdi.segments for v in values if a <= v <= b}
    inside_p = [probs[int(v)] for v in inside]
    outside_p = [probs[int(v)] for v in values if v not in inside]
    assert sum(inside_p) == hdi.mass >= level
    assert not outside_p or min(inside_p) >= max(outside_p)
    assert min(inside_p) > 0
    assert sum(inside_p) - inside_p.count(min(inside_p)) * min(inside_p) < level
    for a, b in hdi.segments:  # segments are runs of values, all inside
        assert all(probs[i] >= min(inside_p) for i in range(int(a), int(b) + 1))


def test_hdi_of_a_bimodal_posterior_has_two_segments() -> None:
    values = [F(i) for i in range(7)]
    probs = [F(w, 20) for w in (1, 8, 1, 0, 1, 8, 1)]
    hdi = highest_density_interval(values, probs, F(3, 4))
    assert hdi.segments == ((F(1), F(1)), (F(5), F(5)))
    assert (hdi.low, hdi.high, hdi.mass) == (F(1), F(5), F(16, 20))


# --- bounds and bad input --------------------------------------------------------------------


@pytest.mark.parametrize(("args", "fragment"), [
    (("1..200000", "uniform", [3]), "at most 100,000"),
    (("0:1:300000", "bernoulli", [1]), "at most 100,000"),
    (("1..10", "uniform", [3] * 10_001), "10,000"),
    (("1..2000", "uniform", [3] * 1_001), "at most 2,000,000"),
    (("0:1:11", "binomial", ["50000/100000", "50000/100000"]), "100,000"),
    (("0:1:3", "binomial", ["3/2"]), "0 <= k <= n"),
    (("0,1.5", "bernoulli", [1]), "1.5"),
    (("0..3", "uniform", [1]), "at least 1"),
    (("1..3", "uniform", ["x"]), "'x'"),
    (("0:1:3", "bernoulli", ["Q"]), "'Q'"),
    (("1..3", "hypergeometric", ["1/2"]), "population"),
    (("1,1", "uniform", [1]), "twice"),
    (("0..3", "hypergeometric:20000", ["1/2"]), "10,000"),
    (("1e400,2", "uniform", [1]), "1e400"),
])
def test_bad_numeric_input(args: tuple, fragment: str) -> None:
    with pytest.raises(InputError, match=None) as caught:
        numeric_posterior(*args)
    assert fragment in str(caught.value)


def test_impossible_evidence_is_one_short_message() -> None:
    with pytest.raises(ImpossibleEvidenceError) as caught:
        numeric_posterior("1..1000", "uniform", [2000])
    assert len(str(caught.value)) < 300
    assert "2000" in str(caught.value)


def test_power_prior_rejects_zero_and_takes_fractional_exponents() -> None:
    with pytest.raises(InputError, match="value 0"):
        numeric_problem("0..5", "poisson", [1], prior="power:-1")
    result = numeric_posterior("1..4", "uniform", [1], prior="power:1/2")
    assert not result.exact  # sqrt weights are irrational: the float path, said so


def test_weights_from_a_file(tmp_path) -> None:
    weights = tmp_path / "w.txt"
    weights.write_text("# one per value\n6\n3\n1\n")
    result = numeric_posterior("1..3", "uniform", [1], prior=f"@{weights}")
    expected = normalized({1: F(6, 1), 2: F(3, 2), 3: F(1, 3)})
    assert result.probabilities == tuple(expected.values())
    weights.write_text("1\n2\n")
    with pytest.raises(InputError, match="2 weights for 3 values"):
        numeric_posterior("1..3", "uniform", [1], prior=f"@{weights}")


# --- Monte Carlo -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["importance", "rejection"])
def test_monte_carlo_means_and_events_cover_the_exact_values(method: str) -> None:
    result = numeric_posterior("0:1:21", "binomial", ["7/10"], events=["p > 0.5"])
    run = result.monte_carlo(200_000, method=method, seed=3)
    assert [e.what for e in run.estimates] == ["mean p", "P(p > 0.5)"]
    for estimate in run.estimates:
        assert estimate.stderr > 0
        assert abs(estimate.z) < 4.5
        assert estimate.ci_low <= estimate.estimate <= estimate.ci_high
    # negative control: a wrong exact value is far outside
    mean = run.estimates[0]
    assert abs(mean.estimate - (mean.exact + 0.01)) / mean.stderr > 4.5


# --- display ---------------------------------------------------------------------------------


def test_table_shows_top_rows_and_html_has_the_same_cells() -> None:
    result = numeric_posterior("1..1000", "uniform", [60, 30, 90], prior="power:-1")
    headers, rows, _ = result.table()
    assert len(rows) == 10 and result.hidden_rows() == 990
    assert [r[0] for r in rows] == [str(n) for n in range(90, 100)]
    _, every, _ = result.table(all_rows=True)
    assert len(every) == 1000
    page = result._repr_html_()
    for cell in [*headers, *rows[0], *result.summary_lines()]:
        assert cell.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in page


def test_plot_returns_the_axes_and_keeps_the_backend() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    before = matplotlib.get_backend()
    result = numeric_posterior("4,6,8,12,20", "uniform", [6])
    ax = Figure().subplots()
    assert result.plot(ax) is ax
    assert len(ax.patches) >= 10  # prior and posterior bars, and the shaded interval
    two = numeric_posterior({"low": "1..5", "high": "5..9"}, "uniform", [5])
    ax2 = Figure().subplots()
    assert two.plot(ax2, unknown="high") is ax2
    assert matplotlib.get_backend() == before


# --- the command line ------------------------------------------------------------------------


def run_json(args: list[str]) -> dict:
    result = CliRunner().invoke(app, ["bayes", *args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_json_summary_schema() -> None:
    data = run_json(["--values", "1..1000", "--family", "uniform", "--data", "60,30",
                     "--data", "90", "--prior", "power:-1", "--event", "N > 100",
                     "--credible", "95%"])
    summary = data["summary"]
    assert {"mean", "median", "map", "sd", "credible_interval", "events", "predictive"} <= set(
        summary)
    expected = locomotive_oracle([60, 30, 90], -1)
    assert F(summary["mean"]["exact"]) == sum(n * p for n, p in expected.items())
    assert summary["mean"]["float"] == pytest.approx(133.275, abs=1e-3)
    interval = summary["credible_interval"]
    assert interval["kind"] == "equal-tailed" and interval["level"]["exact"] == "19/20"
    assert F(summary["events"]["N > 100"]["exact"]) == sum(
        p for n, p in expected.items() if n > 100)
    assert data["model"] == "numeric" and len(data["hypotheses"]) == 1000
    assert [step["observation"] for step in data["trace"]] == ["60", "30", "90"]


def test_cli_text_is_a_summary_not_a_thousand_rows() -> None:
    result = CliRunner().invoke(app, ["bayes", "--values", "1..1000", "--family", "uniform",
                                      "--data", "60"])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) < 40
    assert "990 more rows" in result.stdout
    assert "90% credible interval N (equal-tailed)" in result.stdout
    full = CliRunner().invoke(app, ["bayes", "--values", "1..1000", "--family", "uniform",
                                    "--data", "60", "--all"])
    assert len(full.stdout.splitlines()) > 1000


def test_cli_plot_writes_a_png(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "euro.png"
    result = CliRunner().invoke(app, ["bayes", "--values", "0:1:101", "--family", "binomial",
                                      "--data", "140/250", "--plot", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


BAD_CLI = [
    (["--values", "1..x", "--family", "uniform", "--data", "3"], "'x'"),
    (["--values", "5..1", "--family", "uniform", "--data", "3"], "'5..1'"),
    (["--values", "0:1", "--family", "bernoulli", "--data", "1"], "'0:1'"),
    (["--values", "0:1:1", "--family", "bernoulli", "--data", "1"], "'0:1:1'"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--event", "N >> 3"], "'>'"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--event", "M > 3"], "'M'"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--event", "N > 3 and"],
     "ends early"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--event",
      "__import__(os)"], "'__import__'"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--credible", "150%"],
     "150%"),
    (["--values", "1..10", "--family", "unifrom", "--data", "3"], "'unifrom'"),
    (["--values", "1..10", "--data", "3"], "--family"),
    (["--values", "1..10", "--family", "uniform"], "--data"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--prior", "power:x"],
     "'x'"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--prior", "beta"], "'beta'"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--likelihood", "A=1"],
     "--likelihood"),
    (["--prior", "A=1", "--likelihood", "A=1", "--event", "N > 3"], "--event"),
    (["--values", "1..10", "--family", "uniform", "--data", "30"], "impossible evidence"),
    (["--values", "1..10", "--family", "uniform", "--data", "3", "--plot", "out.jpg"],
     "out.jpg"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD_CLI)
def test_bad_cli_input_is_one_line_exit_2(args: list[str], fragment: str) -> None:
    result = CliRunner().invoke(app, ["bayes", *args])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0]


def test_docs_show_real_output() -> None:
    import re
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = r"```console\n\$ (probkit bayes --values[^\n]*)\n(.*?)```"
    blocks = re.findall(pattern, (root / "docs" / "bayes.md").read_text(), re.S)
    assert len(blocks) == 5  # the dice, the locomotive, the Euro, the German tank by a formula,
    # the locomotive in floats
    readme = re.findall(pattern, (root / "README.md").read_text(), re.S)
    assert len(readme) == 1
    for command, shown in [*blocks, *readme]:
        result = CliRunner().invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == shown, command


def test_named_hypotheses_display_the_cli_table_in_a_notebook() -> None:
    from probkit.bayes import posterior

    result = posterior({"A": "1/2", "B": "1/2"}, {"A": "1/10", "B": "8/10"})
    page = result._repr_html_()
    text = CliRunner().invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                    "--likelihood", "A=1/10", "--likelihood",
                                    "B=8/10"]).stdout
    for line in text.splitlines()[2:4]:  # the two rows of the CLI table
        for cell in line.split():
            assert f"<td>{cell}</td>" in page
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    assert result.plot(ax) is ax and len(ax.patches) == 4
