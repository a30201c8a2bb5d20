r"""The simulators behind :mod:`probkit.bayes.montecarlo`: each problem's story, replayed (numpy).

A problem is first turned into a :class:`Story` (standard library, exact): for
every observation :math:`j` and hypothesis :math:`i`, a rule "draw a uniform
:math:`U`; the observation comes out as seen iff
:math:`\mathrm{low}_{ij} \le U \cdot \mathrm{scale}_{ij} < \mathrm{high}_{ij}`".
The rule is written from the story, never from the likelihood product:

* **urn** -- the balls of the urn are numbered :math:`0, \dots, N-1`, colour by
  colour in the order the urn lists them; :math:`\lfloor U N \rfloor` is the
  ball drawn, and it has the observed colour iff it lies in that colour's range
  ``[low, high)``. Without replacement the urn of a still-matching draw has
  lost exactly the balls seen so far, so the next draw uses the reduced counts
  (draws that already failed are rejected whatever happens next).
* **diagnostic** -- the test comes out positive iff :math:`U` is below
  P(positive | hypothesis) (the sensitivity, or the false-positive rate); a
  negative result is seen iff it is not.
* **Bernoulli** (the general ``--prior/--likelihood`` model) -- observation
  :math:`j` happens iff :math:`U < P(e_j \mid H_i)`.

:meth:`Story.plan` turns that into a :class:`SamplingPlan` (float tables), and
:func:`run_blocks` simulates whole blocks of draws with it. Every block of
:data:`BLOCK_SIZE` draws has its own random stream, the ``b``-th child of
``numpy.random.SeedSequence(seed)`` (as ``SeedSequence(seed).spawn(n)[b]``
would give), and inside a block draws are made tile by tile
(:data:`TILE_SIZE`) in a fixed order: the hypotheses' uniforms, then one
uniform per draw for each observation in turn. A block's result is integer
counts only, so blocks can run anywhere, in any order, and sum to the same
totals bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from probkit.bayes.problems import DiagnosticProblem, DiscreteProblem, UrnProblem
from probkit.errors import InputError
from probkit.numbers import format_decimal

BLOCK_SIZE = 1 << 18
"""Draws per block; each block has its own random stream (independent of chunking)."""

TILE_SIZE = 1 << 16
"""Draws simulated at once inside a block (fits in cache; fixed so results never change)."""

_FEW_HYPOTHESES = 8  # up to this many, comparisons beat searchsorted / bincount

Problem = DiscreteProblem | UrnProblem | DiagnosticProblem
Rule = tuple[Fraction, Fraction, Fraction]  # (scale, low, high): seen iff low <= U*scale < high


@dataclass(frozen=True)
class Story:
    """A problem as exact simulation rules (see the module docstring).

    ``rules[j][i]`` is the ``(scale, low, high)`` rule of observation ``j``
    under hypothesis ``i``.
    """

    kind: str
    names: tuple[str, ...]
    priors: tuple[Fraction, ...]
    observations: tuple[str, ...]
    rules: tuple[tuple[Rule, ...], ...]

    def match_probabilities(self) -> tuple[tuple[Fraction, ...], ...]:
        """``[i][j]``: the probability that one simulated observation matches, exactly."""
        return tuple(
            tuple((high - low) / scale for scale, low, high in (obs[i] for obs in self.rules))
            for i in range(len(self.names))
        )

    def likelihoods(self) -> tuple[Fraction, ...]:
        """Probability that every simulated observation matches, per hypothesis."""
        out = []
        for row in self.match_probabilities():
            product = Fraction(1)
            for value in row:
                product *= value
            out.append(product)
        return tuple(out)

    def evidence(self) -> Fraction:
        """Probability that a whole simulated run matches the evidence."""
        return sum((p * lk for p, lk in zip(self.priors, self.likelihoods(), strict=True)),
                   Fraction(0))

    def plan(self, method: str, proposal: Sequence[Fraction] | None = None) -> SamplingPlan:
        """Float tables for the block simulator.

        ``proposal`` (importance sampling) gives the probability of drawing
        each hypothesis; by default the prior.
        """
        weights = self.priors if proposal is None else tuple(proposal)
        running = Fraction(0)
        boundaries = []
        for value in weights[:-1]:
            running += value
            boundaries.append(float(running))
        if method == "rejection":
            self._check_representable()
            scales = np.array([[float(r[0]) for r in obs] for obs in self.rules])
            lows = np.array([[float(r[1]) for r in obs] for obs in self.rules])
            highs = np.array([[float(r[2]) for r in obs] for obs in self.rules])
        else:
            scales = lows = highs = np.zeros((0, len(self.names)))
        cuts = np.array(boundaries, dtype=np.float64)
        first, count = _equal_run(weights)
        if count:  # picked by one multiplication; no table needed
            guide, below, above = _guide_table(cuts[:0])
        else:
            guide, below, above = _guide_table(cuts)
        return SamplingPlan(
            method=method,
            n_hypotheses=len(self.names),
            boundaries=cuts,
            scales=scales,
            lows=lows,
            highs=highs,
            guide=guide,
            below=below,
            above=above,
            uniform_first=first,
            uniform_count=count,
        )


    def _check_representable(self) -> None:
        """Refuse rules a float draw cannot carry out faithfully (by hypothesis name).

        A draw picks ball :math:`\\lfloor U N \\rfloor` with a double :math:`U`, whose 53
        bits can tell at most :data:`MAX_BALLS` balls apart; beyond that single balls (or
        whole colours, above the float range) become invisible or crash the conversion.
        """
        for observation in self.rules:
            for name, (scale, _, _) in zip(self.names, observation, strict=True):
                if scale > MAX_BALLS:
                    what = f"urn {name!r} holds" if self.kind == "urn" else f"{name!r} has"
                    raise InputError(
                        f"rejection sampling cannot simulate draws: {what} "
                        f"{format_decimal(scale)} balls, more than the 2**53 = {MAX_BALLS:,} "
                        "a floating-point draw can tell apart; use method=\"importance\""
                    )


MAX_BALLS = 2**53
"""Most balls an urn may hold for rejection sampling (a double's 53-bit significand)."""


def story_of(problem: Problem) -> Story:
    """The simulation rules of a problem (exact; floats given by the user are converted exactly).

    >>> from probkit.bayes import urn_problem
    >>> story = story_of(urn_problem({"A": {"white": 9, "black": 1}}, ["black"]))
    >>> story.rules[0][0]
    (Fraction(10, 1), Fraction(9, 1), Fraction(10, 1))
    """
    if isinstance(problem, UrnProblem):
        return _urn_story(problem)
    if isinstance(problem, DiagnosticProblem):
        return _diagnostic_story(problem)
    if isinstance(problem, DiscreteProblem):
        return _bernoulli_story(problem)
    raise InputError(f"cannot simulate {type(problem).__name__}: expected an urn, diagnostic "
                     "or discrete problem")


def _normalized(values: Sequence[float | Fraction]) -> tuple[Fraction, ...]:
    exact = [Fraction(v) for v in values]
    total = sum(exact, Fraction(0))
    return tuple(v / total for v in exact)


_NEVER: Rule = (Fraction(1), Fraction(0), Fraction(0))


def _urn_story(problem: UrnProblem) -> Story:
    rules_by_urn = []
    for urn in problem.counts:
        colours = [colour for colour, _ in urn]
        remaining = dict(urn)
        rules: list[Rule] = []
        possible = True
        for colour in problem.draws:
            total = sum(remaining.values())
            if not possible or total == 0 or remaining.get(colour, 0) == 0:
                rules.append(_NEVER)  # this draw (or an earlier one) cannot match
                possible = False
                continue
            low = sum(remaining[c] for c in colours[: colours.index(colour)])
            rules.append((Fraction(total), Fraction(low), Fraction(low + remaining[colour])))
            if not problem.replace:
                remaining[colour] -= 1
        rules_by_urn.append(rules)
    return Story(
        kind="urn",
        names=problem.names,
        priors=_normalized(problem.priors),
        observations=problem.draws,
        rules=tuple(zip(*rules_by_urn, strict=True)),
    )


def _diagnostic_story(problem: DiagnosticProblem) -> Story:
    positive_rates = (Fraction(problem.sensitivity), 1 - Fraction(problem.specificity))
    rules = []
    for positive in problem.results:
        if positive:
            rules.append(tuple((Fraction(1), Fraction(0), rate) for rate in positive_rates))
        else:
            rules.append(tuple((Fraction(1), rate, Fraction(1)) for rate in positive_rates))
    return Story(
        kind="diagnostic",
        names=problem.names,
        priors=_normalized(problem.priors),
        observations=tuple("positive" if r else "negative" for r in problem.results),
        rules=tuple(rules),
    )


def _bernoulli_story(problem: DiscreteProblem) -> Story:
    n_obs = len(problem.observations)
    rules = tuple(
        tuple((Fraction(1), Fraction(0), Fraction(row[j])) for row in problem.likelihoods)
        for j in range(n_obs)
    )
    return Story(
        kind="bernoulli",
        names=problem.names,
        priors=_normalized(problem.priors),
        observations=problem.observations,
        rules=rules,
    )


@dataclass(frozen=True)
class SamplingPlan:
    """What a worker needs to simulate blocks: small float tables (picklable).

    ``boundaries`` are the cumulative probabilities of drawing hypotheses
    ``0 .. k-2``; a draw is hypothesis ``#{c in boundaries : U >= c}``.
    ``scales``, ``lows``, ``highs`` have shape (observations, hypotheses).
    """

    method: str
    n_hypotheses: int
    boundaries: npt.NDArray[np.float64]
    scales: npt.NDArray[np.float64]
    lows: npt.NDArray[np.float64]
    highs: npt.NDArray[np.float64]
    #: many hypotheses: ``guide[b]`` = number of boundaries <= b / len(guide) (a guide
    #: table: a draw looks up its bucket instead of a binary search); empty for few
    guide: npt.NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    #: the boundaries with -inf before and +inf after (so ``h`` is right when
    #: ``below[h] <= u < above[h]``)
    below: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    above: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    #: when hypotheses ``uniform_first .. uniform_first + uniform_count - 1`` are drawn with
    #: equal probability and no other is (a uniform prior or proposal), a draw is
    #: ``uniform_first + floor(u * uniform_count)``; 0 otherwise
    uniform_first: int = 0
    uniform_count: int = 0


def _equal_run(weights: Sequence[Fraction]) -> tuple[int, int]:
    """``(first, count)`` when the positive weights are equal and consecutive (``(0, 0)``
    otherwise, or for a single hypothesis, which needs no pick)."""
    positive = [i for i, w in enumerate(weights) if w > 0]
    if len(positive) < 2 or positive[-1] - positive[0] + 1 != len(positive):
        return 0, 0
    first = weights[positive[0]]
    if any(weights[i] != first for i in positive):
        return 0, 0
    return positive[0], len(positive)


def _guide_table(boundaries: npt.NDArray[np.float64]) -> tuple[
        npt.NDArray[np.intp], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The guide table of :class:`SamplingPlan` (empty for few hypotheses)."""
    if len(boundaries) <= _FEW_HYPOTHESES:
        return np.zeros(0, dtype=np.intp), np.zeros(0), np.zeros(0)
    buckets = 4 * (len(boundaries) + 1)
    edges = np.arange(buckets, dtype=np.float64) / buckets
    guide = np.searchsorted(boundaries, edges, side="right").astype(np.intp)
    below = np.concatenate([[-np.inf], boundaries])
    above = np.concatenate([boundaries, [np.inf]])
    return guide, below, above


def block_generator(entropy: int | Sequence[int], block: int) -> np.random.Generator:
    """The random stream of block ``block``: ``SeedSequence(entropy).spawn(n)[block]``.

    >>> a = block_generator(7, 3).random()
    >>> b = np.random.default_rng(np.random.SeedSequence(7).spawn(4)[3]).random()
    >>> a == b
    True
    """
    sequence = np.random.SeedSequence(entropy, spawn_key=(block,))
    return np.random.Generator(np.random.PCG64(sequence))


def n_blocks(draws: int) -> int:
    """How many blocks ``draws`` draws make (the last one may be partial)."""
    return -(-draws // BLOCK_SIZE)


def run_blocks(
    plan: SamplingPlan, entropy: int | Sequence[int], first: int, count: int, draws: int
) -> npt.NDArray[np.int64]:
    """Simulate blocks ``first .. first+count-1`` of a run of ``draws`` draws.

    Returns integer counts of shape (2, hypotheses): row 0 is how many draws
    picked each hypothesis, row 1 how many of those matched the evidence
    (rejection sampling; zeros for importance sampling).
    """
    totals = np.zeros((2, plan.n_hypotheses), dtype=np.int64)
    buffers = _Buffers(min(TILE_SIZE, draws))
    for block in range(first, first + count):
        size = min(BLOCK_SIZE, draws - block * BLOCK_SIZE)
        if size <= 0:
            break
        rng = block_generator(entropy, block)
        for start in range(0, size, TILE_SIZE):
            _simulate_tile(plan, rng, min(TILE_SIZE, size - start), buffers, totals)
    return totals


class _Buffers:
    def __init__(self, size: int) -> None:
        self.u = np.empty(size)
        self.v = np.empty(size)
        self.x = np.empty(size)
        self.h = np.empty(size, dtype=np.intp)
        self.accept = np.empty(size, dtype=bool)
        self.test = np.empty(size, dtype=bool)


def _simulate_tile(
    plan: SamplingPlan,
    rng: np.random.Generator,
    n: int,
    buffers: _Buffers,
    totals: npt.NDArray[np.int64],
) -> None:
    u, h = buffers.u[:n], buffers.h[:n]
    rng.random(out=u)
    if plan.uniform_count:
        _uniform_pick(u, plan.uniform_first, plan.uniform_count, h, buffers.x[:n])
    elif len(plan.guide):
        _guided_pick(u, plan, h, buffers.x[:n], buffers.test[:n], buffers.accept[:n])
    else:
        _pick_hypotheses(u, plan.boundaries, h, buffers.test[:n])
    k = plan.n_hypotheses
    if plan.method != "rejection":
        totals[0] += _count(h, k, None, buffers.test[:n])
        return
    v, x, accept, test = buffers.v[:n], buffers.x[:n], buffers.accept[:n], buffers.test[:n]
    fresh = True  # `accept` not yet written in this tile
    for scale, low, high in zip(plan.scales, plan.lows, plan.highs, strict=True):
        rng.random(out=v)
        if np.all(scale == 1.0):
            ball = v
        elif np.all(scale == scale[0]):
            ball = np.multiply(v, scale[0], out=x)
        else:
            ball = np.multiply(v, scale.take(h), out=x)
        if np.any(low != 0.0):
            _compare(np.greater_equal, ball, low, h, accept if fresh else test)
            if not fresh:
                accept &= test
            fresh = False
        _compare(np.less, ball, high, h, accept if fresh else test)
        if not fresh:
            accept &= test
        fresh = False
    if fresh:  # no observations: every draw matches
        accept.fill(True)
    totals[0] += _count(h, k, None, test)
    totals[1] += _count(h, k, accept, test)


def _pick_hypotheses(
    u: npt.NDArray[np.float64],
    boundaries: npt.NDArray[np.float64],
    h: npt.NDArray[np.intp],
    test: npt.NDArray[np.bool_],
) -> None:
    # Hypothesis = number of cumulative boundaries <= u (same as searchsorted(side="right")).
    if len(boundaries) == 0:
        h.fill(0)
    elif len(boundaries) <= _FEW_HYPOTHESES:
        np.greater_equal(u, boundaries[0], out=test)
        np.copyto(h, test)
        for boundary in boundaries[1:]:
            np.greater_equal(u, boundary, out=test)
            h += test
    else:
        h[...] = np.searchsorted(boundaries, u, side="right")


def _uniform_pick(
    u: npt.NDArray[np.float64],
    first: int,
    count: int,
    h: npt.NDArray[np.intp],
    scratch: npt.NDArray[np.float64],
) -> None:
    """Equally likely hypotheses ``first .. first + count - 1``: ``first + floor(u * count)``.

    Never ``count``: ``u`` is at most ``1 - 2**-53``, and for ``count < 2**53`` the product
    ``(1 - 2**-53) * count`` rounds to a double below ``count`` (exactly ``count - count *
    2**-53`` when ``count`` is a power of two; more than half a unit in the last place
    below ``count`` otherwise)."""
    np.multiply(u, count, out=scratch)
    h[...] = scratch  # truncation toward 0: the floor of a non-negative number
    if first:
        h += first


def _guided_pick(
    u: npt.NDArray[np.float64],
    plan: SamplingPlan,
    h: npt.NDArray[np.intp],
    scratch: npt.NDArray[np.float64],
    test: npt.NDArray[np.bool_],
    ok: npt.NDArray[np.bool_],
) -> None:
    """The same hypotheses as ``searchsorted(boundaries, u, side="right")``, found through
    the guide table: the bucket of ``u`` gives the count of boundaries below it, one
    comparison adds the boundary inside the bucket (buckets are 4x finer than the average
    gap); any draw the check ``below[h] <= u < above[h]`` rejects (a bucket holding more
    than one boundary) is found by binary search, so the result is exactly the same."""
    buckets = len(plan.guide)
    np.multiply(u, buckets, out=scratch)
    h[...] = scratch  # truncation: the bucket (u < 1, so at most buckets - 1)
    np.minimum(h, buckets - 1, out=h)
    plan.guide.take(h, out=h)
    np.greater_equal(u, plan.above.take(h), out=test)
    h += test
    np.less_equal(plan.below.take(h), u, out=ok)
    np.less(u, plan.above.take(h), out=test)
    ok &= test
    if not ok.all():
        wrong = ~ok
        h[wrong] = np.searchsorted(plan.boundaries, u[wrong], side="right")


def _compare(
    op: np.ufunc,
    values: npt.NDArray[np.float64],
    table: npt.NDArray[np.float64],
    h: npt.NDArray[np.intp],
    out: npt.NDArray[np.bool_],
) -> None:
    if np.all(table == table[0]):
        op(values, table[0], out=out)
    else:
        op(values, table.take(h), out=out)


def _count(
    h: npt.NDArray[np.intp],
    k: int,
    where: npt.NDArray[np.bool_] | None,
    scratch: npt.NDArray[np.bool_],
) -> npt.NDArray[np.int64]:
    if k > _FEW_HYPOTHESES + 1:
        picked = h if where is None else h[where]
        return np.bincount(picked, minlength=k).astype(np.int64)
    counts = np.empty(k, dtype=np.int64)
    for i in range(k):
        np.equal(h, i, out=scratch)
        if where is not None:
            scratch &= where
        counts[i] = np.count_nonzero(scratch)
    return counts


__all__ = [
    "BLOCK_SIZE",
    "MAX_BALLS",
    "TILE_SIZE",
    "SamplingPlan",
    "Story",
    "block_generator",
    "n_blocks",
    "run_blocks",
    "story_of",
]
