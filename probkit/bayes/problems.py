"""The three kinds of discrete Bayes problem probkit solves, as plain data.

Each problem keeps its *story* (urns and draws, a test and its results, or a
list of Bernoulli observations) as well as the exact likelihoods the story
implies, so that the exact engine and the Monte Carlo simulators read the same
object: the exact engine multiplies likelihoods, the simulators replay the
story. Standard library only.

* :class:`DiscreteProblem` -- named hypotheses, priors, and for each
  observation the probability :math:`P(e_j \\mid H)` that it happens.
* :class:`UrnProblem` -- urns with coloured balls; which urn were the balls
  drawn from?
* :class:`DiagnosticProblem` -- a test with a sensitivity and a specificity;
  does the person have the condition?
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from probkit.bayes.exact import Posterior, posterior
from probkit.errors import HypothesisError, InputError
from probkit.numbers import Number, check_probability, to_number


@dataclass(frozen=True)
class DiscreteProblem:
    """Hypotheses with priors; observation ``j`` happens with probability ``likelihoods[i][j]``.

    Build it with :func:`discrete_problem`, which validates the input.
    """

    names: tuple[str, ...]
    priors: tuple[Number, ...]
    likelihoods: tuple[Sequence[Number], ...]
    observations: tuple[str, ...]
    exact: bool

    def solve(self) -> Posterior:
        """The exact posterior (or float, if floats were given)."""
        return posterior(
            dict(zip(self.names, self.priors, strict=True)),
            {n: list(row) for n, row in zip(self.names, self.likelihoods, strict=True)},
            observations=self.observations,
        )


def discrete_problem(
    priors: Mapping[str, object],
    likelihoods: Mapping[str, object],
    *,
    normalize: bool = False,
    observations: Sequence[str] | None = None,
    arithmetic: str = "exact",
) -> DiscreteProblem:
    """Validate a general problem (same rules as :func:`probkit.bayes.posterior`).

    ``arithmetic="float"`` computes in floating point, in log space, whatever the size
    (``probkit bayes --float``); the default is exact.

    >>> p = discrete_problem({"A": "3", "B": "1"}, {"A": "1/10", "B": "8/10"}, normalize=True)
    >>> p.priors
    (Fraction(3, 4), Fraction(1, 4))
    >>> discrete_problem({"A": "3", "B": "1"}, {"A": "1/10", "B": "8/10"}, normalize=True,
    ...                  arithmetic="float").priors
    (0.75, 0.25)
    """
    from probkit.options import ARITHMETICS, check_choice

    check_choice(arithmetic, ARITHMETICS, parameter="arithmetic")
    if arithmetic == "float":  # float priors send Bayes' rule down the log-space path
        priors = {name: float(to_number(value, what=f"prior of {name!r}"))
                  for name, value in priors.items()}
    result = posterior(priors, likelihoods, normalize=normalize, observations=observations)
    return DiscreteProblem(
        names=result.names,
        priors=tuple(h.prior for h in result.hypotheses),
        likelihoods=tuple(h.likelihoods for h in result.hypotheses),
        observations=result.observations,
        exact=result.exact,
    )


@dataclass(frozen=True)
class UrnProblem:
    """Balls drawn from one of several urns; which urn was it?

    ``urns`` maps each urn's name to its colour counts (as a tuple of
    ``(colour, count)`` pairs); ``draws`` is the sequence of colours seen.
    Build it with :func:`urn_problem`, which validates the input.
    """

    names: tuple[str, ...]
    counts: tuple[tuple[tuple[str, int], ...], ...]
    draws: tuple[str, ...]
    replace: bool
    priors: tuple[Number, ...]

    @property
    def colours(self) -> tuple[str, ...]:
        """Every colour that appears in some urn, in order of first appearance."""
        seen: dict[str, None] = {}
        for urn in self.counts:
            for colour, _ in urn:
                seen.setdefault(colour, None)
        return tuple(seen)

    def likelihoods(self) -> tuple[tuple[Fraction, ...], ...]:
        r"""Per urn, the probability of each draw given the draws before it.

        With replacement every draw of colour :math:`c` has probability
        :math:`n_c / N`. Without replacement the :math:`j`-th draw has
        probability :math:`(n_c - k_c) / (N - j)`, where :math:`k_c` balls of
        colour :math:`c` were already drawn; the product over the sequence is
        the probability of that exact ordered sequence (the multivariate
        hypergeometric probability divided by the number of orderings).
        """
        rows = []
        for urn in self.counts:
            remaining = dict(urn)
            total = sum(remaining.values())
            row = []
            for colour in self.draws:
                available = remaining.get(colour, 0)
                row.append(Fraction(available, total) if total > 0 else Fraction(0))
                if not self.replace and available > 0:
                    # (after an impossible draw the sequence has probability 0 whatever
                    # follows; leaving the urn unchanged keeps later values probabilities)
                    remaining[colour] = available - 1
                    total -= 1
            rows.append(tuple(row))
        return tuple(rows)

    def solve(self) -> Posterior:
        """The exact posterior over urns."""
        return posterior(
            dict(zip(self.names, self.priors, strict=True)),
            {n: list(r) for n, r in zip(self.names, self.likelihoods(), strict=True)},
            observations=self.draws,
        )


def urn_problem(
    urns: Mapping[str, Mapping[str, object]],
    draws: Sequence[str],
    *,
    replace: bool = True,
    priors: Mapping[str, object] | None = None,
    normalize: bool = False,
) -> UrnProblem:
    """Validate an urn problem.

    Parameters
    ----------
    urns : mapping of str to mapping of str to int
        Each urn's name and its ball counts by colour, e.g.
        ``{"A": {"white": 9, "black": 1}}``. Counts are non-negative integers
        and every urn holds at least one ball.
    draws : sequence of str
        The colours drawn, in order. Each must be a colour some urn holds.
    replace : bool, default True
        Whether each ball goes back before the next draw.
    priors : mapping of str to number, optional
        Prior of each urn (default: uniform).
    normalize : bool, default False
        Treat ``priors`` as unnormalized weights.

    >>> problem = urn_problem({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
    ...                       ["black"])
    >>> str(problem.solve()["B"].posterior)
    '8/9'
    """
    if not urns:
        raise HypothesisError("no urns: give at least one urn")
    names = tuple(str(name) for name in urns)
    counts = tuple(_urn_counts(name, urns[name]) for name in names)
    draws = tuple(str(colour).strip() for colour in draws)
    if not draws:
        raise InputError("no draws: give at least one drawn colour")
    known = {colour for urn in counts for colour, _ in urn}
    for colour in draws:
        if colour not in known:
            raise InputError(
                f"drawn colour {colour!r} is in no urn (colours: {', '.join(sorted(known))})"
            )
    if priors is None:
        prior_values: tuple[Number, ...] = tuple(Fraction(1, len(names)) for _ in names)
    else:
        unknown = [name for name in priors if name not in urns]
        if unknown:
            raise HypothesisError(
                f"prior given for unknown urn {unknown[0]!r} (urns: {', '.join(names)})"
            )
        missing = [name for name in names if name not in priors]
        if missing:
            raise HypothesisError(f"urn {missing[0]!r} has no prior (give one for every urn)")
        ones = dict.fromkeys(names, "1")
        checked = posterior(priors, ones, normalize=normalize)
        prior_values = tuple(h.prior for h in checked.hypotheses)
    return UrnProblem(names=names, counts=counts, draws=draws, replace=replace,
                      priors=prior_values)


def _urn_counts(name: str, colours: Mapping[str, object]) -> tuple[tuple[str, int], ...]:
    if not colours:
        raise InputError(f"urn {name!r} has no colours")
    pairs = []
    for colour, raw in colours.items():
        what = f"urn {name!r}, colour {colour!r}"
        count = to_number(raw, what=what)
        if count != int(count):
            raise InputError(f"{what}: count {raw!r} is not a whole number")
        if count < 0:
            raise InputError(f"{what}: count {raw!r} is negative")
        pairs.append((str(colour).strip(), int(count)))
    if sum(c for _, c in pairs) == 0:
        raise InputError(f"urn {name!r} holds no balls (its counts sum to 0)")
    return tuple(pairs)


# Whole words or signs only: a lone letter ("p", "n") could mean anything and is refused.
_POSITIVE = {"positive", "pos", "+"}
_NEGATIVE = {"negative", "neg", "-"}


@dataclass(frozen=True)
class DiagnosticProblem:
    """A test with known sensitivity and specificity, applied one or more times.

    Hypotheses are ``names[0]`` (has the condition, prior = prevalence) and
    ``names[1]`` (does not). Results are independent given the condition.
    """

    prevalence: Number
    sensitivity: Number
    specificity: Number
    results: tuple[bool, ...]
    names: tuple[str, str]

    @property
    def false_positive_rate(self) -> Number:
        """:math:`1 - \\text{specificity}`."""
        return 1 - self.specificity

    @property
    def priors(self) -> tuple[Number, Number]:
        """(prevalence, 1 − prevalence)."""
        return (self.prevalence, 1 - self.prevalence)

    def likelihoods(self) -> tuple[tuple[Number, ...], tuple[Number, ...]]:
        """P(result | condition) and P(result | no condition) for each result."""
        sick = tuple(self.sensitivity if r else 1 - self.sensitivity for r in self.results)
        well = tuple(self.false_positive_rate if r else self.specificity for r in self.results)
        return sick, well

    def solve(self) -> Posterior:
        """The exact posterior over the two hypotheses."""
        sick, well = self.likelihoods()
        return posterior(
            dict(zip(self.names, self.priors, strict=True)),
            dict(zip(self.names, (list(sick), list(well)), strict=True)),
            observations=["positive" if r else "negative" for r in self.results],
        )


def diagnostic_problem(
    prevalence: object,
    sensitivity: object,
    *,
    specificity: object | None = None,
    false_positive_rate: object | None = None,
    results: Sequence[str | bool] = ("positive",),
    names: tuple[str, str] = ("disease", "healthy"),
) -> DiagnosticProblem:
    """Validate a diagnostic-test problem.

    Give exactly one of ``specificity`` and ``false_positive_rate``
    (:math:`1 - \\text{specificity}`). ``results`` are ``"positive"`` /
    ``"negative"`` (or ``True`` / ``False``).

    >>> p = diagnostic_problem("1/1000", "99%", false_positive_rate="5%")
    >>> p.specificity
    Fraction(19, 20)
    """
    prev = _probability(prevalence, "prevalence")
    sens = _probability(sensitivity, "sensitivity")
    if (specificity is None) == (false_positive_rate is None):
        raise InputError("give exactly one of specificity and false-positive rate")
    if specificity is not None:
        spec = _probability(specificity, "specificity")
    else:
        spec = 1 - _probability(false_positive_rate, "false-positive rate")
    parsed = tuple(_result(r) for r in results)
    if not parsed:
        raise InputError("no test results: give at least one (positive or negative)")
    if len(set(names)) != 2:
        raise HypothesisError(f"the two hypothesis names must differ (got {names!r})")
    exact = all(isinstance(v, Fraction) for v in (prev, sens, spec))
    if not exact:
        prev, sens, spec = float(prev), float(sens), float(spec)
    return DiagnosticProblem(prevalence=prev, sensitivity=sens, specificity=spec,
                             results=parsed, names=names)


def _probability(value: object, what: str) -> Number:
    number = to_number(value, what=what)
    check_probability(number, what=what, shown=value if isinstance(value, str) else None)
    return number


def _result(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _POSITIVE:
        return True
    if word in _NEGATIVE:
        return False
    raise InputError(f"test result {value!r} is neither positive nor negative "
                     "(write positive, pos or +; negative, neg or -)", parameter="results")


def predictive_values(
    prevalence: object, sensitivity: object, specificity: object
) -> tuple[Number | None, Number | None]:
    r"""Positive and negative predictive values of a test.

    .. math::

        \mathrm{PPV} = \frac{s\,p}{s\,p + (1 - c)(1 - p)}, \qquad
        \mathrm{NPV} = \frac{c\,(1 - p)}{c\,(1 - p) + (1 - s)\,p}

    with prevalence :math:`p`, sensitivity :math:`s` and specificity
    :math:`c`. A value is ``None`` when that result can never occur.

    >>> predictive_values("1/1000", "99%", "95%")
    (Fraction(11, 566), Fraction(94905, 94906))
    """
    p = _probability(prevalence, "prevalence")
    s = _probability(sensitivity, "sensitivity")
    c = _probability(specificity, "specificity")
    positive = s * p + (1 - c) * (1 - p)
    negative = c * (1 - p) + (1 - s) * p
    ppv = s * p / positive if positive != 0 else None
    npv = c * (1 - p) / negative if negative != 0 else None
    return ppv, npv


def urn_posterior(
    urns: Mapping[str, Mapping[str, object]],
    draws: Sequence[str],
    *,
    replace: bool = True,
    priors: Mapping[str, object] | None = None,
    normalize: bool = False,
) -> Posterior:
    """Posterior over urns after the draws (see :func:`urn_problem`)."""
    return urn_problem(urns, draws, replace=replace, priors=priors, normalize=normalize).solve()


def diagnostic_posterior(
    prevalence: object,
    sensitivity: object,
    *,
    specificity: object | None = None,
    false_positive_rate: object | None = None,
    results: Sequence[str | bool] = ("positive",),
    names: tuple[str, str] = ("disease", "healthy"),
) -> Posterior:
    """Posterior of having the condition after the test results (see :func:`diagnostic_problem`).

    >>> r = diagnostic_posterior("1/1000", "99%", false_positive_rate="5%")
    >>> r["disease"].posterior
    Fraction(11, 566)
    """
    return diagnostic_problem(
        prevalence, sensitivity, specificity=specificity,
        false_positive_rate=false_positive_rate, results=results, names=names,
    ).solve()


__all__ = [
    "DiagnosticProblem",
    "DiscreteProblem",
    "UrnProblem",
    "diagnostic_posterior",
    "diagnostic_problem",
    "discrete_problem",
    "predictive_values",
    "urn_posterior",
    "urn_problem",
]
