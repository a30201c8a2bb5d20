r"""Candidates: the points of a search grid, each a complete recipe for a classifier.

A :class:`Candidate` names everything the one pipeline
(:class:`~probkit.classifier.pipeline.Classifier`) needs: the representation and
its preprocessing, flip augmentation, the model family (from the one registry,
:data:`probkit.classifier.models.MODEL_TYPES`) and its hyperparameters, and the number of
seeds whose logits are averaged. :meth:`Candidate.build` returns that
classifier, unfitted; cross-validation fits it on each training fold, and the
final refit on the whole training set.

>>> cand = Candidate(l2=10.0, preprocessing="standardize", flip=True)
>>> cand.label
'logistic std flip λ=10 lbfgs×500'
>>> clf = cand.build()
>>> clf.preprocessor, clf.estimator.l2, clf.flip
(Preprocessor(method='standardize'), 10.0, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from probkit.errors import InputError
from probkit.options import (
    FLIPS,
    GRIDS,
    MODELS,
    PREPROCESSING,
    REPRESENTATIONS,
    SOLVERS,
    check_choice,
)

if TYPE_CHECKING:
    from probkit.classifier.pipeline import Classifier

#: kept for callers of the earlier names; the table itself is :mod:`probkit.options`
FAMILIES = MODELS


def _positive_int(value: object, parameter: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError(f"{parameter} must be a positive integer, got {value!r}",
                         parameter=parameter)


@dataclass(frozen=True)
class Candidate:
    """One grid point: everything needed to build and fit a classifier.

    ``representation`` names a feature step of :mod:`probkit.classifier.features.registry`
    (``representation_params``: its own hyperparameters as ``(name, value)`` pairs);
    ``preprocessing`` is that step's ``method``.
    """

    model: str = "logistic"
    l2: float = 0.0
    preprocessing: str = "scale"
    solver: str = "lbfgs"
    max_iter: int = 500
    flip: bool = False
    seeds: int = 1
    hidden: int = 7
    activation: str = "relu"
    learning_rate: float | None = None
    representation: str = "pixels"
    representation_params: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        check_choice(self.model, MODELS, parameter="model")
        check_choice(self.preprocessing, PREPROCESSING, parameter="preprocessing")
        check_choice(self.solver, SOLVERS, parameter="solver")
        check_choice(self.representation, REPRESENTATIONS, parameter="representation")
        if not (isinstance(self.l2, (int, float)) and math.isfinite(self.l2) and self.l2 >= 0):
            raise InputError(f"l2 must be a finite number >= 0, got {self.l2!r}", parameter="l2")
        for name in ("max_iter", "seeds", "hidden"):
            _positive_int(getattr(self, name), name)

    @property
    def label(self) -> str:
        """A short human-readable name, e.g. ``logistic std flip λ=100 lbfgs×500``;
        other representations in brackets: ``logistic [hsv:8x4x4] λ=0.01 lbfgs×500``."""
        parts = [self.model if self.model == "logistic" else f"2-layer({self.hidden})"]
        std = self.preprocessing == "standardize"
        if self.representation == "pixels":
            parts.append("std" if std else "/255")
        else:
            text = dict(self.representation_params).get("features", self.representation)
            parts.append(f"[{text}{' std' if std else ''}]")
        if self.flip:
            parts.append("flip")
        parts.append(f"λ={self.l2:g}")
        parts.append(f"{self.solver}×{self.max_iter}")
        if self.seeds > 1:
            parts.append(f"{self.seeds} seeds")
        return " ".join(parts)

    def complexity(self) -> tuple[float, ...]:
        """Sort key for the one-SE rule: smaller is simpler.

        Logistic before two-layer, then fewer hidden units, stronger λ, fewer
        iterations, fewer seeds.
        """
        return (MODELS.index(self.model), self.hidden if self.model != "logistic" else 0,
                -self.l2, self.max_iter, self.seeds)

    def hyperparameters(self, *, seed: int = 0) -> dict[str, Any]:
        """The model's hyperparameters (``seed`` initialises two-layer nets).

        >>> Candidate(model="two-layer", hidden=3).hyperparameters(seed=4)["random_state"]
        4
        """
        hyper: dict[str, Any] = {"l2": float(self.l2), "solver": self.solver,
                                 "max_iter": self.max_iter}
        if self.learning_rate is not None:
            hyper["learning_rate"] = self.learning_rate
        if self.model != "logistic":
            hyper.update(hidden=self.hidden, activation=self.activation, random_state=seed)
        return hyper

    def build(self, *, seed: int = 0) -> Classifier:
        """The unfitted :class:`~.pipeline.Classifier` this candidate describes."""
        from probkit.classifier.features.registry import build_representation
        from probkit.classifier.models.registry import build_estimator
        from probkit.classifier.pipeline import Classifier

        return Classifier(
            preprocessor=build_representation(self.representation, method=self.preprocessing,
                                              **dict(self.representation_params)),
            estimator=build_estimator(self.model, **self.hyperparameters(seed=seed)),
            flip=self.flip, seeds=self.seeds)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``representation`` appears when it is not plain pixels)."""
        out = {"model": self.model, "l2": self.l2, "preprocessing": self.preprocessing,
               "solver": self.solver, "max_iter": self.max_iter, "flip": self.flip,
               "seeds": self.seeds, "hidden": self.hidden if self.model != "logistic" else None,
               "activation": self.activation if self.model != "logistic" else None,
               "learning_rate": self.learning_rate, "label": self.label}
        if self.representation != "pixels":
            out["representation"] = self.representation
            out["representation_params"] = dict(self.representation_params)
        return out


def representation_of(text: str) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """(representation name, params) for a registered name or a features text.

    >>> representation_of("pixels"), representation_of("hog")
    (('pixels', ()), ('features', (('features', 'hog'),)))
    """
    if text in REPRESENTATIONS:
        return text, ()
    from probkit.classifier.features import parse_features

    parse_features(text)  # raises InputError naming the bad text
    return "features", (("features", text),)


def make_grid(
    *,
    models: Iterable[str] = ("logistic",),
    l2: Iterable[float] = (1.0, 10.0, 100.0, 1000.0),
    preprocessing: Iterable[str] = ("scale", "standardize"),
    max_iter: Iterable[int] = (500,),
    solver: str = "lbfgs",
    flip: Iterable[bool] = (False,),
    seeds: Iterable[int] = (1,),
    hidden: int = 7,
    activation: str = "relu",
    learning_rate: float | None = None,
    representations: Iterable[str] = ("pixels",),
) -> list[Candidate]:
    """The Cartesian product of the given values as a list of candidates.

    Seeds above 1 only matter for the randomly initialised two-layer net, so
    logistic candidates are built with one seed only. A representation other
    than a registered name is the text form of :func:`probkit.classifier.features.parse_features`
    (e.g. ``"hsv:8x4x4"``), checked here.

    >>> len(make_grid(l2=(1, 10), preprocessing=("scale",), flip=(False, True)))
    4
    >>> make_grid(l2=(0.01,), preprocessing=("scale",), representations=("hsv:8x4x4",))[0].label
    'logistic [hsv:8x4x4] λ=0.01 lbfgs×500'
    """
    seeds = tuple(seeds)
    for s in seeds:  # checked here: logistic candidates below replace the count by 1
        _positive_int(s, "seeds")
    grid: list[Candidate] = []
    seen: set[Candidate] = set()
    reps = [representation_of(r) for r in representations]
    for model in models:
        for rep, rep_params in reps:
            for prep in preprocessing:
                for fl in flip:
                    for lam in l2:
                        for iters in max_iter:
                            for s in seeds:
                                cand = Candidate(
                                    model=model, l2=float(lam), preprocessing=prep,
                                    solver=solver, max_iter=int(iters), flip=bool(fl),
                                    seeds=int(s) if model != "logistic" else 1, hidden=hidden,
                                    activation=activation, learning_rate=learning_rate,
                                    representation=rep, representation_params=rep_params)
                                if cand not in seen:
                                    seen.add(cand)
                                    grid.append(cand)
    if not grid:
        raise InputError("the search grid is empty", parameter="grid")
    return grid


#: the representation the default search chose on the real training file (docs/probabilities.md,
#: "The default search", seed 0): what ``probkit train`` uses without ``--features``
DEFAULT_FEATURES = "std(sqrt(hsv:8x4x4@centre) + sqrt(lbp) + hog + stats)"
#: and its λ and flip augmentation there
DEFAULT_L2 = 10.0
DEFAULT_FLIP = True

#: λ values of the quick grid (the default features, with flips, L-BFGS to the optimum)
QUICK_L2 = (10.0, 30.0)

#: rooted colour histograms of the centre and the border with uniform LBP texture
COLOUR_AND_TEXTURE = "std(sqrt(hsv:8x4x4@centre) + sqrt(lbp))"

#: the default search: (representation, λ values, flip) for logistic regression (L-BFGS to
#: the optimum). Rooted colour of the centre and the border with LBP texture (these
#: features do not change when an image is flipped, so flipping adds nothing), the same
#: with the image statistics, and with HOG too (with flips: HOG sees left from right);
#: rooted colour with HOG (flipped), and the rooted colour histogram alone. λ brackets the
#: best value of each on the real training file.
DEFAULT_SEARCH: tuple[tuple[str, tuple[float, ...], bool], ...] = (
    (COLOUR_AND_TEXTURE, (3.0, 10.0, 30.0), False),
    ("std(sqrt(hsv:8x4x4@centre) + sqrt(lbp) + stats)", (3.0, 10.0, 30.0), False),
    ("std(sqrt(hsv:8x4x4@centre) + sqrt(lbp) + hog + stats)", (3.0, 10.0, 30.0), True),
    ("std(sqrt(hsv:8x4x4) + hog)", (30.0, 100.0), True),
    ("std(sqrt(hsv:8x4x4))", (10.0, 30.0), False),
)
#: two-layer nets (7 ReLU units, 200 L-BFGS iterations) on colour and texture: λ values
DEFAULT_NETS: tuple[tuple[float, ...], int] = ((10.0, 30.0), 200)


def default_search(solver: str = "lbfgs") -> list[Candidate]:
    """The candidates of :data:`DEFAULT_SEARCH` and :data:`DEFAULT_NETS`."""
    grid: list[Candidate] = []
    for text, lams, flip in DEFAULT_SEARCH:
        grid += make_grid(l2=lams, preprocessing=("scale",), flip=(flip,), solver=solver,
                          representations=(text,))
    lams, iterations = DEFAULT_NETS
    grid += make_grid(models=("two-layer",), l2=lams, preprocessing=("scale",),
                      max_iter=(iterations,), solver=solver,
                      representations=(COLOUR_AND_TEXTURE,))
    return grid


def named_grid(name: str, *, solver: str | None = None,
               hidden: int | None = None) -> list[Candidate]:
    """A predefined search grid: ``quick``, ``default``, ``pixels``, ``full`` or ``features``.

    ``quick`` is a short version of the default path: logistic regression on
    :data:`DEFAULT_FEATURES` with flips, λ ∈ :data:`QUICK_L2` (these features need
    images of at least 16×16 pixels; on tiny images search pixels: ``pixels`` or your
    own values with ``features=["pixels"]``).

    ``default`` searches the representation with the model family and λ
    (:data:`DEFAULT_SEARCH`, :data:`DEFAULT_NETS`; docs/probabilities.md). ``pixels``
    searches logistic regression on raw pixels over both preprocessings, with and
    without flips, λ ∈ {10, 100, 1000, 10000} and L-BFGS stopped after 20 or 50
    iterations or run to the optimum (500). ``full`` adds two-layer nets to it (7 ReLU
    units, pixels/255 with flips, λ ∈ {100, 1000}, 50 or 200 L-BFGS iterations, one
    seed or the logit average of three).

    ``features`` searches the representation (see docs/probabilities.md):
    logistic regression (L-BFGS to 500 iterations) on pixels (/255 or
    standardized, λ ∈ {10, 100, 1000, 10000}), on HSV 8×4×4 and RGB 4×4×4 colour
    histograms (as fractions, λ ∈ {0.003, 0.01, 0.03, 0.1}, or standardized,
    λ ∈ {3, 10, 30, 100}), on the square roots of those histograms (as they are,
    λ ∈ {0.03, 0.1, 0.3, 1}, or standardized, λ ∈ {3, 10, 30, 100}), and on
    standardized HOG and HSV + HOG (λ ∈ {10, 100, 1000}).

    ``solver`` and ``hidden``, when given, are applied to every candidate (an
    option is never silently ignored); ``hidden`` needs a grid with two-layer
    nets of its own size, so it is refused for ``quick``, ``default``, ``pixels`` and
    ``features``.

    >>> [len(named_grid(g)) for g in ("quick", "default", "pixels", "features")]
    [2, 15, 48, 46]
    >>> {c.solver for c in named_grid("quick", solver="gd")}
    {'gd'}
    >>> named_grid("quick", hidden=5)
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: hidden=5 applies to two-layer nets, and the quick grid has \
none (use the full grid, or model two-layer)
    """
    if solver is not None:
        check_choice(solver, SOLVERS, parameter="solver")
    if hidden is not None:
        _positive_int(hidden, "hidden")
        if name in ("quick", "default", "pixels", "features"):
            raise InputError(f"hidden={hidden} applies to two-layer nets, and the {name} grid "
                             "has none (use the full grid, or model two-layer)",
                             parameter="hidden")
    method = solver or "lbfgs"
    if name == "quick":  # the default model's representation and flips; λ near its choice
        return make_grid(l2=QUICK_L2, preprocessing=("scale",), flip=(DEFAULT_FLIP,),
                         solver=method,
                         representations=(DEFAULT_FEATURES,))
    if name == "default":
        return default_search(method)
    logistic = make_grid(l2=(10.0, 100.0, 1000.0, 10000.0),
                         preprocessing=("scale", "standardize"), flip=(False, True),
                         max_iter=(20, 50, 500), solver=method)
    if name == "pixels":
        return logistic
    if name == "features":
        grid = make_grid(l2=(10.0, 100.0, 1000.0, 10000.0), preprocessing=("scale", "standardize"),
                         solver=method)
        for hist in ("hsv:8x4x4", "rgb:4x4x4"):
            grid += make_grid(l2=(0.003, 0.01, 0.03, 0.1), preprocessing=("scale",),
                              representations=(hist,), solver=method)
            grid += make_grid(l2=(3.0, 10.0, 30.0, 100.0), preprocessing=("standardize",),
                              representations=(hist,), solver=method)
        for hist in ("sqrt(hsv:8x4x4)", "sqrt(rgb:4x4x4)"):
            grid += make_grid(l2=(0.03, 0.1, 0.3, 1.0), preprocessing=("scale",),
                              representations=(hist,), solver=method)
            grid += make_grid(l2=(3.0, 10.0, 30.0, 100.0), preprocessing=("standardize",),
                              representations=(hist,), solver=method)
        grid += make_grid(l2=(10.0, 100.0, 1000.0), preprocessing=("standardize",),
                          representations=("hog", "hsv:8x4x4+hog"), solver=method)
        return grid
    if name == "full":
        nets = make_grid(models=("two-layer",), l2=(100.0, 1000.0), preprocessing=("scale",),
                         flip=(True,), max_iter=(50, 200), seeds=(1, 3),
                         hidden=7 if hidden is None else hidden, solver=method)
        return logistic + nets
    raise InputError(f"unknown grid {name!r}; choose quick, default, pixels, full or features",
                     parameter="grid")


def search_grid(
    grid: str | None = None,
    *,
    models: Sequence[str] | None = None,
    l2: Sequence[float] | None = None,
    preprocessing: Sequence[str] | None = None,
    max_iter: Sequence[int] | None = None,
    flip: str | None = None,
    seeds: Sequence[int] | None = None,
    solver: str | None = None,
    hidden: int | None = None,
    features: Sequence[str] | None = None,
) -> list[Candidate]:
    """The candidates of a search: a named ``grid``, or the grid built from the values given.

    This is what ``probkit tune`` searches. A named grid fixes models, λ,
    preprocessing, iterations, flips and seeds, so combining it with any of them
    is refused (nothing is silently ignored); ``solver`` and ``hidden`` are
    applied to either kind. Without a grid and without values, the ``default``
    grid is used. ``flip`` is ``"no"``, ``"yes"`` or ``"both"`` (the default of a
    custom grid). ``features`` are representations (``"pixels"``, the default, or
    texts of :func:`probkit.classifier.features.parse_features` such as ``"sqrt(hsv:8x4x4)"``).

    >>> len(search_grid()), len(search_grid("quick", solver="gd"))
    (15, 2)
    >>> len(search_grid(l2=[1.0, 10.0], preprocessing=["scale"], max_iter=[100], flip="no"))
    2
    >>> [c.label for c in search_grid(l2=[10.0], preprocessing=["standardize"], max_iter=[500],
    ...                               flip="no", features=["pixels", "sqrt(hsv:8x4x4)"])]
    ['logistic std λ=10 lbfgs×500', 'logistic [sqrt(hsv:8x4x4) std] λ=10 lbfgs×500']
    >>> search_grid("quick", l2=[1.0])
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: `grid` 'quick' fixes `l2`; give either a named grid or your \
own values (`model`, `l2`, `preprocessing`, `max_iter`, `flip`, `seeds`, `features`), not both
    """
    if grid is not None and grid not in GRIDS:
        named_grid(grid)  # raises, naming the grids
    own = {"models": models, "l2": l2, "preprocessing": preprocessing, "max_iter": max_iter,
           "flip": flip, "seeds": seeds, "features": features}
    given = [name for name, value in own.items() if value is not None]
    if grid is not None and given:
        # parameter names in backquotes: the command line shows its options in their place
        names = ", ".join(f"`{'model' if g == 'models' else g}`" for g in given)
        raise InputError(f"`grid` {grid!r} fixes {names}; give either a named grid or your "
                         "own values (`model`, `l2`, `preprocessing`, `max_iter`, `flip`, "
                         "`seeds`, `features`), not both", parameter="grid")
    if not given:
        return named_grid(grid or "default", solver=solver, hidden=hidden)
    flips = {"no": (False,), "yes": (True,), "both": (False, True)}
    check_choice(flip or "both", FLIPS, parameter="flip")
    families = tuple(models or ("logistic",))
    if hidden is not None and "two-layer" not in families:
        _positive_int(hidden, "hidden")
        raise InputError(f"hidden={hidden} applies to two-layer nets, and the models searched "
                         f"are {', '.join(families)}", parameter="hidden")
    return make_grid(models=families, l2=tuple(l2 or (10.0, 100.0, 1000.0, 10000.0)),
                     preprocessing=tuple(preprocessing or ("scale", "standardize")),
                     max_iter=tuple(max_iter or (20, 50, 500)), solver=solver or "lbfgs",
                     flip=flips[flip or "both"], seeds=tuple(seeds or (1,)),
                     hidden=7 if hidden is None else hidden,
                     representations=tuple(features or ("pixels",)))


__all__ = ["COLOUR_AND_TEXTURE", "DEFAULT_FEATURES", "DEFAULT_FLIP", "DEFAULT_L2", "DEFAULT_NETS",
           "DEFAULT_SEARCH", "FAMILIES", "Candidate", "default_search", "make_grid", "named_grid",
           "QUICK_L2", "representation_of", "search_grid"]
