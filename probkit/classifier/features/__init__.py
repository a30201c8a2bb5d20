"""Image representations for the cat classifier, each a small fit/transform transformer.

========================  ====================================================
transformer               features
========================  ====================================================
:class:`RawPixels`        pixels / 255, flattened
:class:`ColourHistogram`  joint RGB or HSV histogram (fractions of pixels)
:class:`HOG`              histogram of oriented gradients (shape, texture)
:class:`SpatialColour`    colour histograms of the centre and border (or a grid)
:class:`LocalBinaryPattern`  uniform LBP histograms at a few radii (texture)
:class:`ImageStatistics`  contrast, roughness, saturation mean and spread
:class:`Concatenate`      several of these side by side
:class:`SquareRoot`       the square root of a histogram (Hellinger distance)
:class:`Standardize`      any of these centred and scaled by training statistics
========================  ====================================================

Each is a scikit-learn transformer (without probkit depending on scikit-learn):
``get_params(deep=True)``, nested ``set_params``, ``clone``, validation in ``fit``,
:class:`~probkit.errors.NotFittedError` before ``fit``; with ``image_shape=(h, w, 3)``
it takes flattened images, one row per image, so it can be a ``Pipeline`` step.

Everything is fitted on training images only. A fitted transformer is stored as a
JSON spec plus plain float arrays (:meth:`~FeatureTransformer.to_state`) and
rebuilt by :func:`from_state`; :func:`parse_features` reads the short text form
the CLI uses.

>>> f = parse_features("std(hsv:8x4x4 + hog:9,8,2)")
>>> f.label
'std(hsv-hist 8x4x4 + hog 9o 8px 2x2)'
>>> import numpy as np
>>> images = np.random.default_rng(0).integers(0, 256, (3, 64, 64, 3), dtype=np.uint8)
>>> spec, arrays = f.fit(images).to_state()
>>> np.array_equal(from_state(spec, arrays).transform(images), f.transform(images))
True
"""

from __future__ import annotations

import re
from typing import Any

from probkit.classifier.features._base import FeatureTransformer, as_images
from probkit.classifier.features.colour import ColourHistogram, rgb_to_hsv
from probkit.classifier.features.combine import MAX_PARTS, Concatenate, Standardize
from probkit.classifier.features.hog import HOG, hog_features
from probkit.classifier.features.pixels import RawPixels
from probkit.classifier.features.root import SquareRoot
from probkit.classifier.features.spatial import REGIONS, SpatialColour
from probkit.classifier.features.statistics import ImageStatistics
from probkit.classifier.features.texture import LocalBinaryPattern
from probkit.errors import InputError

TRANSFORMERS: dict[str, type[FeatureTransformer]] = {
    cls.name: cls for cls in (RawPixels, ColourHistogram, HOG, Concatenate, Standardize,
                               SquareRoot, SpatialColour, LocalBinaryPattern, ImageStatistics)
}
#: bound on how deep a stored or written spec may nest
MAX_DEPTH = 4
#: the longest features text (an ensemble's blocks written side by side)
MAX_TEXT = 600


def from_spec(spec: Any, *, _depth: int = 0) -> FeatureTransformer:
    """An unfitted transformer from ``{"name": ..., "params": {...}}`` (see ``spec()``).

    >>> from_spec({"name": "hog", "params": {"orientations": 6}})
    HOG(orientations=6, cell_size=8, block_size=2, block_norm='L2-Hys')
    """
    if _depth > MAX_DEPTH:
        raise InputError(f"feature spec nests deeper than {MAX_DEPTH} levels")
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise InputError(f"a feature spec must be an object with a name; got {spec!r}")
    name = spec["name"]
    if name not in TRANSFORMERS:
        raise InputError(f"unknown features {name!r}; known: {', '.join(TRANSFORMERS)}")
    cls = TRANSFORMERS[name]
    params = spec.get("params", {})
    if not isinstance(params, dict):
        raise InputError(f"feature spec {name!r}: params must be an object")
    unknown = sorted(set(params) - set(cls._constraints))
    if unknown:
        raise InputError(f"features {name!r} have no parameter(s) {', '.join(unknown)}")
    kwargs: dict[str, Any] = {}
    for key, value in params.items():
        if key == "parts" and isinstance(value, list):
            kwargs[key] = tuple(from_spec(v, _depth=_depth + 1) for v in value)
        elif key == "features":
            kwargs[key] = from_spec(value, _depth=_depth + 1)
        elif key in ("bins", "image_shape", "radii") and isinstance(value, list):
            kwargs[key] = tuple(value)
        else:
            kwargs[key] = value
    transformer = cls(**kwargs)
    transformer._validate_hyperparameters()
    return transformer


def from_state(spec: Any, arrays: dict[str, Any]) -> FeatureTransformer:
    """A fitted transformer from :meth:`~FeatureTransformer.to_state` output."""
    transformer = from_spec(spec)
    shape = spec.get("input_shape")
    if (not isinstance(shape, list) or len(shape) != 3
            or not all(isinstance(d, int) and d >= 1 for d in shape) or shape[2] != 3):
        raise InputError(f"feature spec: input_shape must be [height, width, 3]; got {shape!r}")
    transformer._set_fitted_shape((shape[0], shape[1], shape[2]))
    transformer._restore_arrays(dict(arrays))
    return transformer


_BINS = re.compile(r"^(\d+)x(\d+)x(\d+)$")


def _parse_one(text: str, *, whole: str) -> FeatureTransformer:
    body = text.strip()
    if body.lower().startswith("sqrt("):
        if not body.endswith(")") or "+" in body:
            raise InputError(f"features {whole!r}: sqrt(...) takes one part; write e.g. "
                             "sqrt(hsv:8x4x4) + sqrt(hog)")
        inner = body[5:-1].strip()
        if inner.lower().startswith(("sqrt(", "std(")):
            raise InputError(f"features {whole!r}: sqrt(...) holds one plain part (pixels, "
                             "hsv, rgb or hog); std(...) goes around the whole: "
                             "std(sqrt(hsv:8x4x4))")
        return SquareRoot(features=_parse_one(inner, whole=whole))
    head, at, regions = text.partition("@")
    name, _, args = head.partition(":")
    name = name.strip().lower()
    args, regions = args.strip(), regions.strip()
    if at and name not in ("hsv", "rgb"):
        raise InputError(f"features {text!r}: only colour histograms (hsv, rgb) take @REGIONS")
    if name == "pixels" and not args:
        return RawPixels()
    if name in ("hsv", "rgb"):
        bins: tuple[int, int, int] = (8, 4, 4) if name == "hsv" else (4, 4, 4)
        if args:
            match = _BINS.match(args)
            if not match:
                raise InputError(f"features {text!r}: bins must look like 8x4x4")
            bins = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if at:
            if regions not in REGIONS:
                raise InputError(f"features {text!r}: regions after @ are one of "
                                 f"{', '.join(REGIONS)}")
            return SpatialColour(space=name, bins=bins, regions=regions)
        return ColourHistogram(space=name, bins=bins) if args else ColourHistogram(space=name)
    if name == "lbp":
        values = [v.strip() for v in args.split(",")] if args else []
        if not all(v.isdigit() for v in values):
            raise InputError(f"features {text!r}: write lbp or lbp:RADIUS,RADIUS,... "
                             "(integers), e.g. lbp:1,2,3")
        return LocalBinaryPattern(radii=tuple(int(v) for v in values) or (1, 2, 3))
    if name == "stats" and not args:
        return ImageStatistics()
    if name == "hog":
        values = [v.strip() for v in args.split(",")] if args else []
        if len(values) > 3 or not all(v.isdigit() for v in values):
            raise InputError(f"features {text!r}: write hog or hog:ORIENTATIONS,CELL,BLOCK "
                             "(integers), e.g. hog:9,8,2")
        o, c, b = [int(v) for v in values] + [9, 8, 2][len(values):]
        return HOG(orientations=o, cell_size=c, block_size=b)
    raise InputError(
        f"unknown features {text!r}; write pixels, hsv[:HxSxV][@REGIONS], "
        "rgb[:RxGxB][@REGIONS], hog[:O,C,B], lbp[:R,R,...] or stats, each optionally inside "
        "sqrt(...), joined by + and optionally inside std(...)"
    )


def _top_level_parts(body: str, *, whole: str) -> list[str]:
    """``body`` split at the ``+`` signs outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(body):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise InputError(f"features {whole!r}: a ')' without its '('")
        elif char == "+" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    if depth != 0:
        raise InputError(f"features {whole!r}: a '(' without its ')'")
    parts.append(body[start:])
    if any(not p.strip() for p in parts):
        raise InputError(f"features {whole!r}: empty part around '+'")
    return [p.strip() for p in parts]


def _standardized_inner(part: str) -> str | None:
    """The text inside ``std(...)`` when ``part`` is one whole ``std(...)``, else None."""
    if not (part.lower().startswith("std(") and part.endswith(")")):
        return None
    depth = 0
    for i, char in enumerate(part[3:], start=3):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and i < len(part) - 1:
            return None  # the first parenthesis closes before the end: std(a) + std(b)
    return part[4:-1]


def _parse_group(body: str, *, whole: str) -> FeatureTransformer:
    """Plain parts joined by ``+`` (no ``std``) as one transformer."""
    pieces = _top_level_parts(body, whole=whole)
    for piece in pieces:
        if piece.lower().startswith("std("):
            raise InputError(f"features {whole!r}: std(...) holds plain parts; write "
                             "std(a + b) or std(a) + std(b)")
    parts = tuple(_parse_one(p, whole=whole) for p in pieces)
    return parts[0] if len(parts) == 1 else Concatenate(parts=parts)


def parse_features(text: str) -> FeatureTransformer:
    """Read ``pixels``, ``hsv:8x4x4``, ``rgb:4x4x4``, ``hog:9,8,2``, ``lbp:1,2,3``
    (:class:`LocalBinaryPattern`), ``stats`` (:class:`ImageStatistics`), a histogram per
    region ``hsv:8x4x4@centre`` (or ``@2x2``, ``@3x3``: :class:`SpatialColour`), each
    optionally inside ``sqrt(...)`` (:class:`SquareRoot`), joined with ``+``, optionally
    wrapped in ``std(...)``. Several standardized groups side by side, ``std(a + b) +
    std(c)``, are the blocks of an ensemble of linear models
    (:mod:`probkit.classifier.selection.ensemble`): each group standardized on its own.

    >>> parse_features("hsv:8x4x4")
    ColourHistogram(space='hsv', bins=(8, 4, 4))
    >>> parse_features("std(pixels)").label
    'std(pixels)'
    >>> parse_features("sqrt(hsv:8x4x4) + hog").label
    'sqrt(hsv-hist 8x4x4) + hog 9o 8px 2x2'
    >>> parse_features("std(sqrt(hsv) + stats) + std(hog)").label
    'std(sqrt(hsv-hist 8x4x4) + image stats) + std(hog 9o 8px 2x2)'
    >>> parse_features("sqrt(sqrt(hsv))")
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: features 'sqrt(sqrt(hsv))': sqrt(...) holds one plain part \
(pixels, hsv, rgb or hog); std(...) goes around the whole: std(sqrt(hsv:8x4x4))
    >>> parse_features("sift")
    Traceback (most recent call last):
    ...
    probkit.errors.InputError: unknown features 'sift'; write pixels, hsv[:HxSxV][@REGIONS], \
rgb[:RxGxB][@REGIONS], hog[:O,C,B], lbp[:R,R,...] or stats, each optionally inside \
sqrt(...), joined by + and optionally inside std(...)
    """
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise InputError(f"features must be a short non-empty text (at most {MAX_TEXT} "
                         f"characters); got {text!r}")
    body = text.strip()
    groups = _top_level_parts(body, whole=text)
    inners = [_standardized_inner(g) for g in groups]
    if len(groups) > 1 and all(inner is not None for inner in inners):
        if len(groups) > MAX_PARTS:
            raise InputError(f"features {text!r}: at most {MAX_PARTS} std(...) groups")
        blocks = tuple(Standardize(features=_parse_group(str(inner), whole=text))
                       for inner in inners)
        transformer: FeatureTransformer = Concatenate(parts=blocks)
        transformer._validate_hyperparameters()
        return transformer
    inner = _standardized_inner(body)
    transformer = _parse_group(body if inner is None else inner, whole=text)
    transformer._validate_hyperparameters()
    return Standardize(features=transformer) if inner is not None else transformer


__all__ = [
    "HOG",
    "TRANSFORMERS",
    "ColourHistogram",
    "Concatenate",
    "FeatureTransformer",
    "ImageStatistics",
    "LocalBinaryPattern",
    "SpatialColour",
    "RawPixels",
    "SquareRoot",
    "Standardize",
    "as_images",
    "from_spec",
    "from_state",
    "hog_features",
    "parse_features",
    "rgb_to_hsv",
]
