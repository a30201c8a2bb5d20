"""``probkit bayes``, ``probkit urn`` and ``probkit diagnostic``: exact posteriors.

The exact path imports only the standard library and typer; numpy is never
imported here (nor matplotlib, unless ``--plot`` is given). ``probkit bayes``
takes named hypotheses (``--prior``/``--likelihood``), numeric ones
(``--values``/``--family``/``--data``) or a whole problem from a file
(``--file``); each becomes one problem object, solved by one library call.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from probkit.bayes import (
    DiagnosticProblem,
    DiscreteProblem,
    Posterior,
    UrnProblem,
    diagnostic_problem,
    predictive_values,
)
from probkit.bayes import urn_problem as make_urn_problem
from probkit.bayes.display import monte_carlo_line, posterior_table, value_text
from probkit.errors import InputError
from probkit.numbers import format_decimal, format_exact
from probkit_cli import montecarlo_render as mc_render
from probkit_cli.common import echo, emit_json, parse_assignments, table
from probkit_cli.montecarlo_render import (
    NUMERIC_DEFAULT_METHOD,
    BayesMethodOption,
    McOption,
    MethodOption,
    SeedOption,
    WorkersOption,
)

if TYPE_CHECKING:
    from probkit.bayes.numeric import NumericPosterior, NumericProblem

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object on stdout and nothing else.")
]
NormalizeOption = Annotated[
    bool,
    typer.Option(
        "--normalize",
        help="Treat priors as unnormalized weights (e.g. A=3 --prior B=1) instead of "
        "requiring them to sum to 1.",
    ),
]


def bayes(
    prior: Annotated[
        list[str] | None,
        typer.Option(
            "--prior",
            metavar="NAME=P | uniform | power:K | FORMULA | @FILE",
            help="Prior of a hypothesis, e.g. A=1/2, A=0.5 or A=50%. Repeat for each hypothesis. "
            "With --values: uniform (default), power:K (weight ∝ value^K, e.g. power:-1), "
            "triangle, beta(a,b), gamma(k,theta), normal(mu,sigma), a formula of the unknown "
            "(e.g. '1/N') or @FILE (one weight per line); NAME=... for one of two unknowns.",
        ),
    ] = None,
    likelihood: Annotated[
        list[str] | None,
        typer.Option(
            "--likelihood",
            metavar="NAME=P[,P...] | FORMULA",
            help="P(observation | hypothesis), one comma-separated value per observation, "
            "e.g. A=1/10,9/10. Repeat for each hypothesis. With --values instead of "
            "--family: a formula of the unknowns and the observation x, e.g. "
            "'1/N if x <= N else 0'.",
        ),
    ] = None,
    normalize: NormalizeOption = False,
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--values",
            metavar="[NAME=]SPEC",
            help="Numeric hypotheses: 1..1000 (whole numbers), 4,6,8,12,20 (a list) or "
            "0:1:101 (101 evenly spaced values from 0 to 1, exact). NAME=SPEC names the "
            "unknown; repeat for a grid of two unknowns (e.g. low=1..30 --values high=1..40).",
        ),
    ] = None,
    family: Annotated[
        str | None,
        typer.Option(
            "--family",
            metavar="FAMILY",
            help="Likelihood for --values: uniform, bernoulli, binomial, geometric, poisson, "
            "hypergeometric:M or normal.",
        ),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            metavar="X[,X...]",
            help="Observations for --values, in the family's form: 60 (uniform), H or 1 "
            "(bernoulli; HHTH for several), 140/250 (binomial: k successes in n). Repeatable; "
            "NAME=X gives one unknown its own data (--data p1=7/10 --data p2=3/10).",
        ),
    ] = None,
    credible: Annotated[
        str | None,
        typer.Option("--credible", metavar="LEVEL",
                     help="Credible level of the intervals (default 90%)."),
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option("--event", metavar="TEXT",
                     help="Report P(event | data), e.g. 'N > 100' or '0.4 <= p <= 0.6' "
                     "(<, <=, >, >=, ==, != joined by and/or). Repeatable."),
    ] = None,
    predict: Annotated[
        list[str] | None,
        typer.Option("--predict", metavar="X",
                     help="Report the posterior predictive probability of this next "
                     "observation (default: a success, for bernoulli and binomial)."),
    ] = None,
    all_rows: Annotated[
        bool,
        typer.Option("--all", help="Show every hypothesis and every observation, not only "
                     "the most probable values and a summary."),
    ] = False,
    plot: Annotated[
        str | None,
        typer.Option("--plot", metavar="FILE.png",
                     help="Draw prior and posterior with the credible interval shaded "
                     "(needs the plot extra: pip install 'probkit[plot]')."),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option("--file", metavar="PROBLEM.toml",
                     help="Read the whole problem from a TOML file ('-': standard input); "
                     "see docs/bayes.md for the format."),
    ] = None,
    float_arithmetic: Annotated[
        bool,
        typer.Option("--float", help="Compute in floating point (in log space) instead of "
                     "exact rationals: for problems too big for exact arithmetic."),
    ] = False,
    json_output: JsonOption = False,
    mc: McOption = None,
    method: BayesMethodOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
) -> None:
    """Posterior over named or numeric hypotheses, in exact arithmetic (or --float)."""
    from probkit.bayes.request import bayes_problem

    arithmetic = "float" if float_arithmetic else "exact"
    if file is not None:
        text = sys.stdin.read(_MAX_STDIN + 1) if file == "-" else None
        described = bayes_problem(file=None if file == "-" else file, text=text,
                                  priors=_assignments(prior, "--prior", "P"),
                                  likelihoods=_assignments(likelihood, "--likelihood", "P,..."),
                                  normalize=normalize, family=family, data=data,
                                  credible=credible, events=event, predict=predict,
                                  values=values, arithmetic=arithmetic)
        settings = described.monte_carlo
        if settings is not None and mc is None:
            if method is not None or seed is not None or workers is not None:
                raise InputError("--method, --seed and --workers only apply with --mc N "
                                 "(the file's [monte_carlo] table gives its own)")
            mc, method, seed, workers = (settings.draws, settings.method, settings.seed,
                                         settings.workers)
    elif values:
        described = bayes_problem(
            values=_values_spec(values), family=family,
            likelihood=_formula(likelihood), data=_observations(data),
            prior=_prior_spec(prior), credible=credible, events=event, predict=predict,
            normalize=normalize, arithmetic=arithmetic)
    else:
        described = bayes_problem(
            priors=_assignments(prior, "--prior", "P"),
            likelihoods={name: value.split(",") for name, value in
                         (_assignments(likelihood, "--likelihood", "P,...") or {}).items()},
            normalize=normalize, family=family, data=data, credible=credible, events=event,
            predict=predict, arithmetic=arithmetic)
    problem = described.problem
    if plot is not None:
        _check_plot_path(plot)
    if not isinstance(problem, DiscreteProblem | UrnProblem | DiagnosticProblem):
        if method is None and mc is not None:
            method = NUMERIC_DEFAULT_METHOD
        request = mc_render.monte_carlo_request(mc, method, seed, workers)
        _report_numeric(problem, json_output, request=request, all_rows=all_rows, plot=plot)
        return
    _report_problem(problem, json_output, mc_render.monte_carlo_request(mc, method, seed, workers),
                    plot=plot)


_MAX_STDIN = 10_000_000
"""Most characters read from standard input for ``--file -`` (the file limit)."""


def _assignments(items: list[str] | None, option: str, value_name: str
                 ) -> dict[str, str] | None:
    """``NAME=VALUE`` options as a mapping (``None`` when the option was not given)."""
    if not items:
        return None
    return dict(parse_assignments(items, option=option, value_name=value_name))


def _formula(likelihood: list[str] | None) -> str | None:
    """The one likelihood formula of ``--values`` (``None`` when not given)."""
    if not likelihood:
        return None
    if len(likelihood) > 1:
        raise InputError("--likelihood: with --values give one formula of the unknowns and "
                         "the observation x, e.g. '1/N if x <= N else 0'")
    return likelihood[0]


def _values_spec(values: list[str]) -> Any:
    """``--values 1..1000`` (one unnamed unknown) or ``--values low=1..30 --values high=...``."""
    named = [_assignment(item) for item in values]
    if len(values) == 1 and not named[0]:
        return values[0]
    if all(named):
        return dict(parse_assignments(values, option="--values", value_name="SPEC"))
    raise InputError("--values: with two unknowns name each, e.g. --values low=1..30 "
                     "--values high=1..40")


def _prior_spec(prior: list[str] | None) -> Any:
    """``--prior power:-1`` for every unknown, or ``--prior NAME=PRIOR`` for each."""
    if not prior:
        return None
    if len(prior) == 1 and not _assignment(prior[0]):
        return prior[0]
    return dict(parse_assignments(prior, option="--prior", value_name="PRIOR"))


def _observations(data: list[str] | None) -> Any:
    """``--data 60,30`` for all unknowns, or ``--data p1=7/10 --data p2=3/10`` for each."""
    if not data or not all(_assignment(item) for item in data):
        return data
    observations: dict[str, list[str]] = {}
    for item in data:
        name, _, value = item.partition("=")
        observations.setdefault(name.strip(), []).append(value.strip())
    return observations


_ASSIGNMENT = re.compile(r"^\s*[A-Za-z_][A-Za-z_0-9]*\s*=(?!=)")


def _assignment(text: str) -> bool:
    """Whether ``text`` is ``NAME=...`` (not a formula such as ``1 if N <= 5 else 0``)."""
    return _ASSIGNMENT.match(text) is not None


def _check_plot_path(path: str) -> None:
    from probkit._atomic import check_writable

    check_writable(path, label="--plot: cannot write")  # an empty path, a FIFO, a folder...
    if not path.lower().endswith(".png"):
        raise InputError(f"--plot {path}: the file name must end in .png")


def _save_plot(result: Any, path: str) -> None:
    from probkit.bayes.plotting import save_plot

    save_plot(result, path)
    sys.stderr.write(f"wrote {path}\n")


def _report_problem(problem: DiscreteProblem | UrnProblem | DiagnosticProblem,
                    json_output: bool, request: mc_render.MonteCarloRequest | None,
                    *, plot: str | None = None) -> None:
    """Solve a named-hypothesis, urn or diagnostic problem and print it as its command does."""
    result = problem.solve()
    if isinstance(problem, UrnProblem):
        extra: dict[str, Any] = {
            "replacement": problem.replace,
            "urns": {name: dict(counts) for name, counts in
                     zip(problem.names, problem.counts, strict=True)}}
        _report("urn", result, json_output, extra=extra, mc=(problem, request))
    elif isinstance(problem, DiagnosticProblem):
        extra, lines = _diagnostic_extra(problem)
        _report("diagnostic", result, json_output, extra=extra, footer=lines,
                mc=(problem, request))
    else:
        _report("bayes", result, json_output, mc=(problem, request))
    if plot is not None:
        _save_plot(result, plot)


def urn(
    urn: Annotated[
        list[str] | None,
        typer.Option(
            "--urn",
            metavar="NAME=COLOUR:COUNT,...",
            help="An urn and its balls, e.g. A=white:9,black:1. Repeat for each urn.",
        ),
    ] = None,
    draw: Annotated[
        list[str] | None,
        typer.Option(
            "--draw",
            metavar="COLOUR",
            help="A drawn colour; repeat in order (or give several separated by commas).",
        ),
    ] = None,
    without_replacement: Annotated[
        bool,
        typer.Option(
            "--without-replacement", help="Balls are not put back between draws."
        ),
    ] = False,
    prior: Annotated[
        list[str] | None,
        typer.Option("--prior", metavar="NAME=P", help="Prior of an urn (default: uniform)."),
    ] = None,
    normalize: NormalizeOption = False,
    json_output: JsonOption = False,
    mc: McOption = None,
    method: MethodOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
) -> None:
    """Which urn were the balls drawn from? Exact posterior over urns."""
    urns = {name: _parse_urn(name, spec) for name, spec in
            parse_assignments(urn, option="--urn", value_name="COLOUR:COUNT,...")}
    if not urns:
        raise InputError("--urn: give at least one urn, e.g. --urn A=white:9,black:1")
    draws = [colour.strip() for item in (draw or []) for colour in item.split(",")]
    if any(not colour for colour in draws):
        raise InputError(f"--draw: empty colour in {draw!r}")
    priors = dict(parse_assignments(prior, option="--prior", value_name="P")) if prior else None
    problem = make_urn_problem(urns, draws, replace=not without_replacement, priors=priors,
                               normalize=normalize)
    _report_problem(problem, json_output, mc_render.monte_carlo_request(mc, method, seed,
                                                                        workers))


def diagnostic(
    prevalence: Annotated[
        str, typer.Option("--prevalence", metavar="P",
                          help="Share of people with the condition, e.g. 1/1000.")
    ],
    sensitivity: Annotated[
        str, typer.Option("--sensitivity", metavar="P",
                          help="P(positive | condition), e.g. 99%.")
    ],
    specificity: Annotated[
        str | None, typer.Option("--specificity", metavar="P",
                                 help="P(negative | no condition), e.g. 95%. Give this or "
                                 "--false-positive-rate (one of the two is required).")
    ] = None,
    false_positive_rate: Annotated[
        str | None,
        typer.Option("--false-positive-rate", metavar="P",
                     help="P(positive | no condition) = 1 - specificity; instead of "
                     "--specificity."),
    ] = None,
    result: Annotated[
        list[str] | None,
        typer.Option(
            "--result",
            metavar="positive|negative",
            help="A test result; repeat for several independent tests (default: one positive).",
        ),
    ] = None,
    json_output: JsonOption = False,
    mc: McOption = None,
    method: MethodOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
) -> None:
    """Probability of the condition after diagnostic test results, in exact arithmetic.

    Give --specificity or --false-positive-rate (one of the two is required).
    """
    problem = diagnostic_problem(
        prevalence,
        sensitivity,
        specificity=specificity,
        false_positive_rate=false_positive_rate,
        results=result or ["positive"],
    )
    _report_problem(problem, json_output, mc_render.monte_carlo_request(mc, method, seed,
                                                                        workers))


def _diagnostic_extra(problem: DiagnosticProblem) -> tuple[dict[str, Any], list[str]]:
    ppv, npv = predictive_values(problem.prevalence, problem.sensitivity, problem.specificity)
    exact = all(isinstance(v, type(problem.prevalence)) for v in (ppv, npv) if v is not None)
    extra: dict[str, Any] = {
        "prevalence": format_exact(problem.prevalence),
        "sensitivity": format_exact(problem.sensitivity),
        "specificity": format_exact(problem.specificity),
        "ppv": None if ppv is None else format_exact(ppv),
        "npv": None if npv is None else format_exact(npv),
    }
    lines = [
        f"positive predictive value P({problem.names[0]} | positive) = {value_text(ppv, exact)}",
        f"negative predictive value P({problem.names[1]} | negative) = {value_text(npv, exact)}",
    ]
    return extra, lines


def _parse_urn(name: str, spec: str) -> dict[str, str]:
    counts: dict[str, str] = {}
    for part in spec.split(","):
        colour, sep, count = part.partition(":")
        colour = colour.strip()
        if not sep or not colour:
            raise InputError(
                f"--urn {name}: {part.strip()!r} is not of the form COLOUR:COUNT "
                "(e.g. A=white:9,black:1)"
            )
        if colour in counts:
            raise InputError(f"--urn {name}: colour {colour!r} is given twice")
        counts[colour] = count.strip()
    return counts


def _report(
    model: str,
    result: Posterior,
    json_output: bool,
    *,
    extra: dict[str, Any] | None = None,
    footer: list[str] | None = None,
    mc: tuple[Any, mc_render.MonteCarloRequest | None] = (None, None),
) -> None:
    problem, request = mc
    estimates = request.run(problem, result) if request is not None else None
    if json_output:
        payload = {"model": model, **result.to_dict(), **(extra or {})}
        if estimates is not None:
            mc_render.add_to_json(payload, estimates)
        emit_json(payload)
        return
    exact = result.exact
    shown = format_exact if exact else format_decimal
    headers, rows, right = posterior_table(result)
    if estimates is not None:
        mc_render.add_to_table(headers, rows, right, estimates,
                               reference="exact" if exact else "float")
    echo(table(headers, rows, right=right))
    echo()
    echo(f"evidence P(E) = {value_text(result.evidence, exact)}")
    if len(result.hypotheses) == 2:
        first, second = result.names
        if result[second].likelihood != 0:
            factor = result.bayes_factor(first, second)
            echo(f"Bayes factor {first}:{second} = {value_text(factor, exact)}")
    for line in footer or []:
        echo(line)
    if len(result.trace) > 1:
        echo()
        echo("belief after each observation:")
        trace_rows = [
            [str(i + 1), step.observation, shown(step.evidence),
             *(shown(p) for p in step.posteriors)]
            for i, step in enumerate(result.trace)
        ]
        echo(table(["#", "observation", "P(obs | before)", *result.names], trace_rows,
                   right=[True, False, True, *([True] * len(result.names))]))
    echo(f"\narithmetic: {'exact (rational)' if exact else 'floating point'}")
    if estimates is not None:
        echo(monte_carlo_line(estimates, reference="exact" if exact else "float"))


TRACE_ROWS = 20
"""Without --all, a trace of more than 2 × TRACE_ROWS observations shows the first and last
TRACE_ROWS."""


def _report_numeric(problem: NumericProblem, json_output: bool, *,
                    request: mc_render.MonteCarloRequest | None, all_rows: bool,
                    plot: str | None) -> None:
    result = problem.solve()
    estimates = request.run_numeric(result) if request is not None else None
    if json_output:
        payload = result.to_dict()
        if estimates is not None:
            payload["monte_carlo"] = estimates.to_dict()
        emit_json(payload)
    else:
        _print_numeric(result, all_rows)
        if estimates is not None:
            echo()
            reference = "exact" if result.exact else "float"
            echo(mc_render.numeric_table(estimates, reference=reference))
            echo(monte_carlo_line(estimates, reference=reference))
    if plot is not None:
        _save_plot(result, plot)


def _print_numeric(result: NumericPosterior, all_rows: bool) -> None:
    echo(result.describe())
    echo()
    headers, rows, right = result.table(all_rows=all_rows)
    echo(table(headers, rows, right=right))
    hidden = result.hidden_rows(all_rows=all_rows)
    if hidden:
        echo(f"... {hidden:,} more rows; the {len(rows)} most probable are shown "
             "(--all shows every row)")
    echo()
    for line in result.summary_lines():
        echo(line)
    if len(result.problem.data) > 1:
        headers, rows, right = result.steps_table()
        if not all_rows and len(rows) > 2 * TRACE_ROWS:
            skipped = len(rows) - 2 * TRACE_ROWS
            rows = [*rows[:TRACE_ROWS], ["...", f"({skipped:,} more)", *([""] * (
                len(headers) - 2))], *rows[-TRACE_ROWS:]]
        echo()
        echo("belief after each observation:")
        echo(table(headers, rows, right=right))
    echo(f"\narithmetic: {'exact (rational)' if result.exact else 'floating point'}")
