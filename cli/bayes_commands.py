"""``probkit bayes``, ``probkit urn`` and ``probkit diagnostic``: exact posteriors.

The exact path imports only the standard library and typer; numpy is never
imported here.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from probkit.bayes import Posterior, diagnostic_problem, discrete_problem, predictive_values
from probkit.bayes import urn_problem as make_urn_problem
from probkit.errors import InputError
from probkit.numbers import Number, format_decimal, format_exact
from probkit_cli import montecarlo_render as mc_render
from probkit_cli.common import echo, emit_json, parse_assignments, table
from probkit_cli.montecarlo_render import McOption, MethodOption, SeedOption, WorkersOption

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
            metavar="NAME=P",
            help="Prior of a hypothesis, e.g. A=1/2, A=0.5 or A=50%. Repeat for each hypothesis.",
        ),
    ] = None,
    likelihood: Annotated[
        list[str] | None,
        typer.Option(
            "--likelihood",
            metavar="NAME=P[,P...]",
            help="P(observation | hypothesis), one comma-separated value per observation, "
            "e.g. A=1/10,9/10. Repeat for each hypothesis.",
        ),
    ] = None,
    normalize: NormalizeOption = False,
    json_output: JsonOption = False,
    mc: McOption = None,
    method: MethodOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
) -> None:
    """Posterior over named hypotheses from priors and likelihoods, in exact arithmetic."""
    priors = dict(parse_assignments(prior, option="--prior", value_name="P"))
    likelihoods = {
        name: value.split(",")
        for name, value in parse_assignments(likelihood, option="--likelihood", value_name="P,...")
    }
    if not priors:
        raise InputError("--prior: give at least one hypothesis, e.g. --prior A=1/2")
    problem = discrete_problem(priors, likelihoods, normalize=normalize)
    _report("bayes", problem.solve(), json_output,
            mc=(problem, mc_render.monte_carlo_request(mc, method, seed, workers)))


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
    extra = {"replacement": not without_replacement,
             "urns": {name: dict(counts) for name, counts in
                      zip(problem.names, problem.counts, strict=True)}}
    _report("urn", problem.solve(), json_output, extra=extra,
            mc=(problem, mc_render.monte_carlo_request(mc, method, seed, workers)))


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
        f"positive predictive value P({problem.names[0]} | positive) = {_both(ppv, exact)}",
        f"negative predictive value P({problem.names[1]} | negative) = {_both(npv, exact)}",
    ]
    _report("diagnostic", problem.solve(), json_output, extra=extra, footer=lines,
            mc=(problem, mc_render.monte_carlo_request(mc, method, seed, workers)))


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


def _both(value: Number | None, exact: bool) -> str:
    if value is None:
        return "undefined (that result never occurs)"
    if exact:
        return f"{format_exact(value)} ≈ {format_decimal(value)}"
    return format_decimal(value)


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
    rows = [
        [h.name, shown(h.prior), shown(h.likelihood), shown(h.joint), shown(h.posterior),
         format_decimal(h.posterior)]
        for h in result.hypotheses
    ]
    headers = ["hypothesis", "prior", "likelihood", "joint", "posterior", "≈"]
    right = [False, True, True, True, True, True]
    if estimates is not None:
        mc_render.add_to_table(headers, rows, right, estimates)
    echo(table(headers, rows, right=right))
    echo()
    echo(f"evidence P(E) = {_both(result.evidence, exact)}")
    if len(result.hypotheses) == 2:
        first, second = result.names
        if result[second].likelihood != 0:
            factor = result.bayes_factor(first, second)
            echo(f"Bayes factor {first}:{second} = {_both(factor, exact)}")
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
        echo(mc_render.summary_line(estimates))
