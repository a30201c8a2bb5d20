"""Monte Carlo on numeric problems: honest intervals, or a note saying why there is none.

The coverage study runs each method 1,000 times (seeds 0..999) on the Euro problem
(140 heads in 250, p on 0, 0.01, ..., 1) and the locomotive (N in 1..1000, one
locomotive numbered 60), and counts how often the stated 95% interval for the
posterior mean and for an event contains the exact value. With 1,000 runs the
share has a standard error of about 0.7 points, so 93-97% is the band. Importance
sampling uses 1,000 draws; rejection keeps only P(E) of its draws (0.4% on the Euro,
0.3% on the locomotive), so it uses 100,000 draws (about 300-400 accepted). Runs that
state no interval (too few accepted draws, or an ESS below 100) are counted apart.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from probkit.bayes.numeric import numeric_problem
from probkit.bayes.numeric_mc import MIN_ACCEPTED, MIN_ESS
from probkit.errors import InputError

SEEDS = range(1_000)
PROBKIT = [sys.executable, "-c", "import sys; from probkit_cli.app import main; sys.exit(main())"]


@functools.cache
def solved(name: str):
    if name == "euro":
        return numeric_problem("0:1:101", "binomial", ["140/250"], events=["p > 0.5"]).solve()
    return numeric_problem("1..1000", "uniform", ["60"], events=["N > 100"]).solve()


def coverage(name: str, method: str, draws: int, *, shift: float = 0.0) -> dict[str, tuple]:
    """what -> (covered, stated) over the seeds; ``shift`` moves the truth (negative control)."""
    post = solved(name)
    out: dict[str, list[int]] = {}
    for seed in SEEDS:
        for e in post.monte_carlo(draws, method=method, seed=seed).estimates:
            tally = out.setdefault(e.what, [0, 0])
            if e.ci_low is None:
                continue
            tally[1] += 1
            truth = e.exact + shift
            tally[0] += e.ci_low <= truth <= e.ci_high
    return {what: tuple(t) for what, t in out.items()}


@pytest.mark.parametrize(("name", "method", "draws"), [
    ("euro", "importance", 1_000),
    ("euro", "rejection", 100_000),
    ("locomotive", "importance", 1_000),
    ("locomotive", "rejection", 100_000),
])
def test_numeric_intervals_cover_95_percent_over_1000_seeds(name, method, draws):
    results = coverage(name, method, draws)
    assert len(results) == 2  # the mean and the event
    for what, (covered, stated) in results.items():
        assert stated >= 800, (what, stated)  # most runs carry enough information
        assert 0.93 <= covered / stated <= 0.97, (name, method, what, covered, stated)


def test_numeric_coverage_negative_control_a_shifted_truth_is_not_covered():
    # the Euro posterior sd of p is 0.031; the rejection interval's half-width about 0.003
    results = coverage("euro", "importance", 1_000, shift=0.01)
    covered, stated = results["mean p"]
    assert covered / stated < 0.5


def test_one_accepted_draw_gives_a_note_not_plus_minus_zero():
    post = solved("euro")
    run = post.monte_carlo(1_000, method="rejection", seed=0)
    assert run.accepted < MIN_ACCEPTED
    for estimate in run.estimates:
        assert estimate.stderr is None and estimate.ci_low is None
        assert f"too few accepted draws (k = {run.accepted}" in estimate.note
    assert 'use method="importance" or more draws' in run.note  # the CLI: --method importance


def test_enough_accepted_draws_state_an_interval():
    run = solved("euro").monte_carlo(100_000, method="rejection", seed=0)
    assert run.accepted >= MIN_ACCEPTED and run.note is None
    for estimate in run.estimates:
        assert estimate.ci_low < estimate.estimate < estimate.ci_high


def test_small_effective_sample_size_gives_a_note():
    run = solved("locomotive").monte_carlo(20, method="importance", seed=0)
    assert run.ess < MIN_ESS
    assert run.note.startswith("too small an effective sample size")
    assert all(e.ci_low is None for e in run.estimates)


def test_cli_table_says_too_few_instead_of_an_interval():
    out = subprocess.run(
        [*PROBKIT, "bayes", "--values", "0:1:101", "--family",
         "binomial", "--data", "140/250", "--mc", "1000", "--method", "rejection",
         "--seed", "0"], capture_output=True, text=True, check=True).stdout
    assert "± 0 " not in out and "none: see the note below" in out
    assert "note: too few accepted draws (k = 1" in out


@pytest.mark.parametrize("likelihood", ["1e-1000", "1e-308"])
def test_importance_with_tiny_likelihoods_prints_no_numpy_warning(likelihood):
    done = subprocess.run(
        [*PROBKIT, "bayes", "--prior", "A=1/2", "--prior",
         "B=1/2", "--likelihood", f"A={likelihood}", "--likelihood", "B=1/2", "--mc", "10000",
         "--method", "importance", "--seed", "1", "--json"],
        capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["draws"] == 10_000


def test_estimate_dataclass_keeps_its_note_in_json():
    run = solved("euro").monte_carlo(1_000, method="rejection", seed=0)
    payload = run.to_dict()
    assert payload["note"] == run.note
    assert payload["estimates"]["mean p"]["stderr"] is None
    assert replace(run, note=None).to_dict()["note"] is None


def test_the_sampler_is_built_once_per_problem_and_method(monkeypatch):
    import probkit.bayes.montecarlo as montecarlo

    built = []
    story_of = montecarlo.story_of
    monkeypatch.setattr(montecarlo, "story_of", lambda p: built.append(p) or story_of(p))
    post = numeric_problem("1..200", "uniform", ["60"], events=["N > 100"]).solve()
    runs = [post.monte_carlo(5_000, method=m, seed=s)
            for m in ("rejection", "importance") for s in (1, 2, 3)]
    assert len(built) == 2  # one exact set-up per method, however many runs
    # reusing the set-up changes nothing: a fresh posterior gives the same runs bit for bit
    fresh = numeric_problem("1..200", "uniform", ["60"], events=["N > 100"]).solve()
    assert fresh.monte_carlo(5_000, method="importance", seed=2) == runs[4]
    assert fresh.monte_carlo(5_000, method="rejection", seed=3) == runs[2]
    assert fresh.monte_carlo(5_000, method="rejection", seed=1) != runs[2]  # the seed matters


def test_an_unknown_method_is_refused_and_not_remembered():
    post = solved("euro")
    for _ in range(2):
        with pytest.raises(InputError, match="method 'gibbs'"):
            post.monte_carlo(1_000, method="gibbs", seed=0)
