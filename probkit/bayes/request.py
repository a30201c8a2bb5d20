"""Which Bayes problem a set of arguments describes, refusing mixed descriptions.

The command line hands its options here as parameters (``None``: not given) and makes
this one call; the rules about which options go together live beside the constructors
they protect. Standard library only; numeric problems and problem files are imported only
when asked for, so named hypotheses stay as light as they are.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from probkit.bayes.problems import discrete_problem
from probkit.errors import InputError

if TYPE_CHECKING:
    from probkit.bayes.problemfile import Problem, ProblemFile


def bayes_problem(
    *,
    file: str | os.PathLike[str] | None = None,
    text: str | None = None,
    priors: Mapping[str, object] | None = None,
    likelihoods: Mapping[str, object] | None = None,
    normalize: bool = False,
    values: Any = None,
    family: str | None = None,
    likelihood: str | None = None,
    data: Any = None,
    prior: Any = None,
    credible: object = None,
    events: Sequence[str] | None = None,
    predict: Sequence[object] | None = None,
    arithmetic: str = "exact",
) -> ProblemFile:
    """One Bayes problem from whichever description was given, refusing mixed descriptions.

    Three ways to give a problem, and the parameters that belong to each:

    * a problem ``file`` (or its ``text``): nothing else, not even ``arithmetic`` (the file
      says ``arithmetic = "float"`` itself);
    * numeric unknowns: ``values`` with ``family`` or a ``likelihood`` formula, ``data``,
      and optionally ``prior``, ``credible``, ``events``, ``predict``;
    * named hypotheses: ``priors`` and ``likelihoods`` (mappings), optionally ``normalize``.

    Messages name the parameters in backquotes (```prior` cannot be combined with
    `file```), so that a caller can put its own names in their place.

    >>> bayes_problem(priors={"A": "1/2", "B": "1/2"}, likelihoods={"A": "1/10", "B": "4/5"},
    ...               family="binomial")
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: `family` only applies with `values` (numeric hypotheses)
    """
    numeric = {"values": values, "family": family, "likelihood": likelihood, "data": data,
               "prior": prior, "credible": credible, "events": events, "predict": predict}
    named = {"priors": priors, "likelihoods": likelihoods, "normalize": normalize}
    if file is not None or text is not None:
        given = [name for name, value in {**numeric, **named}.items() if value]
        if arithmetic != "exact":
            given.append("arithmetic")
        if given:
            detail = ("write arithmetic = \"float\" in it" if given[0] == "arithmetic"
                      else "the file gives the whole problem")
            raise InputError(f"`{given[0]}` cannot be combined with `file` ({detail})",
                             parameter=given[0])
        from probkit.bayes.problemfile import parse_problem, read_problem

        if text is not None:
            return parse_problem(text, source="<stdin>")
        assert file is not None
        return read_problem(file)
    if values:
        for name in ("priors", "likelihoods", "normalize"):
            if named[name]:
                raise InputError(f"`{name}` applies to named hypotheses, not to `values`",
                                 parameter=name)
        if likelihood is not None and family is not None:
            raise InputError("`likelihood` (a formula) and `family` are two ways to give the "
                             "likelihood with `values`: give one", parameter="likelihood")
        if family is None and likelihood is None:
            raise InputError("`values` needs `family` (uniform, bernoulli, binomial, "
                             "geometric, poisson, hypergeometric:M or normal) or "
                             "`likelihood` (a formula)", parameter="family")
        if not data:
            raise InputError("`values` needs `data` (at least one observation)",
                             parameter="data")
        from probkit.bayes.numeric import numeric_problem

        problem: Problem = numeric_problem(
            values, family, data, likelihood=likelihood, prior=prior or "uniform",
            credible="90%" if credible is None else credible, events=events or [],
            predict=predict, arithmetic=arithmetic)
        return _described(problem)
    for name in ("family", "likelihood", "data", "prior", "credible", "events", "predict"):
        if numeric[name]:
            raise InputError(f"`{name}` only applies with `values` (numeric hypotheses)",
                             parameter=name)
    if not priors:
        raise InputError("`priors`: give at least one hypothesis, e.g. A=1/2 (or `values` "
                         "for numeric hypotheses, `file` for a problem file)",
                         parameter="priors")
    problem = discrete_problem(priors, likelihoods or {}, normalize=normalize,
                               arithmetic=arithmetic)
    return _described(problem)


def _described(problem: Any) -> ProblemFile:
    from probkit.bayes.problemfile import ProblemFile

    return ProblemFile(problem=problem, monte_carlo=None, source="<arguments>")


__all__ = ["bayes_problem"]
