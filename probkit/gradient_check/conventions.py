"""Finding a learner's functions by name and calling them by their parameters' names.

Two conventions:

(a) ``cost(params, X, Y) -> float`` and ``gradients(params, X, Y) -> dict``,
    ``params`` a dict of arrays (other names by ``cost=``/``gradients=``);
(b) the course's ``forward_propagation(X, parameters) -> (A2, cache)``,
    ``compute_cost(A2, Y)`` and ``backward_propagation(parameters, cache, X, Y)``
    returning ``dW1``, ``db1``, ... (or ``compute_cost_with_regularization``
    and ``backward_propagation_with_regularization``, which take ``lambd``).

Each function is called with keyword arguments chosen by the names of its
parameters (``X``, ``Y``, ``parameters``/``params``, ``cache``, ``A2``/``AL``/
``A3``, ``lambd``), so both of the course's argument orders work.

>>> parse_shapes(["n_h=7", "W1=7,3"])
({'n_h': 7}, {'W1': [7, 3]})
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from probkit.errors import InputError

DEFAULT_SIZES = {"n_x": 3, "n_h": 4, "n_y": 1, "m": 5}
"""The sizes chosen when nothing else says: small, and all different (a transposed or
wrongly summed gradient then has the wrong shape or the wrong values)."""

DEFAULT_L2 = 0.7
"""λ given to functions that take ``lambd`` when none is chosen."""

MAX_SIZE = 100_000
"""Largest size accepted in ``shape`` (bounds the work a typo can cause)."""

CONVENTION_A = ("cost", "gradients")
CONVENTION_B = ("forward_propagation", "compute_cost", "backward_propagation")
CONVENTION_B_L2 = ("forward_propagation", "compute_cost_with_regularization",
                   "backward_propagation_with_regularization")

OUTPUT_NAMES = ("A2", "AL", "A3", "A", "Yhat", "Y_hat", "yhat", "a")
PARAMS_NAMES = ("params", "parameters")
L2_NAMES = ("lambd", "lambda_", "lam", "l2")

_SIZE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([0-9]+)\s*\Z")
_SHAPE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([0-9]+)\s*,\s*([0-9]+)\s*\Z")


def parse_shapes(texts: Sequence[str]) -> tuple[dict[str, int], dict[str, list[int]]]:
    """``n_h=4`` (a size) and ``W1=4,3`` (a parameter's shape), each checked."""
    sizes: dict[str, int] = {}
    shapes: dict[str, list[int]] = {}
    for text in texts:
        size, shape = _SIZE.match(text), _SHAPE.match(text)
        if size:
            name, value = size.group(1), int(size.group(2))
            if name not in DEFAULT_SIZES:
                raise InputError(f"shape: {text!r}: a size is one of {', '.join(DEFAULT_SIZES)}"
                                 " (a parameter's shape has two numbers, e.g. W1=4,3)",
                                 parameter="shape")
            dims = [value]
        elif shape:
            name, dims = shape.group(1), [int(shape.group(2)), int(shape.group(3))]
        else:
            raise InputError(f"shape: cannot read {text!r}; write n_h=4 or W1=4,3",
                             parameter="shape")
        if any(d < 1 or d > MAX_SIZE for d in dims):
            raise InputError(f"shape: {text!r}: sizes must be between 1 and {MAX_SIZE}",
                             parameter="shape")
        if name in sizes or name in shapes:
            raise InputError(f"shape: {name} is given twice", parameter="shape")
        if size:
            sizes[name] = dims[0]
        else:
            shapes[name] = dims
    if sizes.get("m") == 1:
        raise InputError("shape: m=1 cannot tell a sum over the examples from no sum; "
                         "use m >= 2", parameter="shape")
    return sizes, shapes


def load_examples(path: str | Path, m: int, seed: int) -> tuple[Any, Any]:
    """``m`` images of a cat-vs-non-cat file (a seeded choice), as the course's X and Y."""
    from probkit.classifier.data.datasets import load_dataset

    data = load_dataset(path)
    if data.n < m:
        raise InputError(f"data: {path} holds {data.n} images; m = {m} asked for",
                         parameter="data")
    chosen = np.sort(np.random.default_rng(seed).choice(data.n, size=m, replace=False))
    X = data.images[chosen].reshape(m, -1).T.astype(np.float64) / 255.0
    Y = data.labels[chosen].reshape(1, m).astype(np.float64)
    return X, Y


class Missing(InputError):
    """The file does not define the functions looked for."""


def _function(module: ModuleType, name: str) -> Callable[..., Any] | None:
    found = getattr(module, name, None)
    return found if callable(found) else None


def find(module: ModuleType, source: str, cost: str | None, gradients: str | None,
         l2_asked: bool) -> tuple[str, dict[str, Callable[..., Any]]]:
    """The convention the file follows and its functions, or :class:`Missing` naming them."""
    defined = sorted(n for n, v in vars(module).items()
                     if callable(v) and not n.startswith("_") and
                     getattr(v, "__module__", None) == module.__name__)
    if cost or gradients:
        wanted = (cost or "cost", gradients or "gradients")
        found = {role: _function(module, name) for role, name in zip(CONVENTION_A, wanted,
                                                                      strict=True)}
        missing = [name for name, f in zip(wanted, found.values(), strict=True) if f is None]
        if missing:
            raise Missing(f"{source} does not define {' or '.join(missing)} (asked for by "
                          f"--cost/--gradients); it defines: {', '.join(defined) or 'nothing'}",
                          parameter="path")
        return "a", {role: f for role, f in found.items() if f is not None}
    orders: list[tuple[str, tuple[str, ...]]] = [("a", CONVENTION_A)]
    orders += [("b", CONVENTION_B_L2), ("b", CONVENTION_B)] if l2_asked else \
        [("b", CONVENTION_B), ("b", CONVENTION_B_L2)]
    for kind, names in orders:
        functions = {name: _function(module, name) for name in names}
        if all(functions.values()):
            return kind, {name: f for name, f in functions.items() if f is not None}
    raise Missing(
        f"{source} defines neither cost and gradients (params, X, Y) nor forward_propagation, "
        "compute_cost and backward_propagation (the course's names; or their "
        "_with_regularization forms); it defines: " + (", ".join(defined) or "nothing")
        + " (other names: --cost NAME --gradients NAME)", parameter="path")


def takes_l2(functions: Mapping[str, Callable[..., Any]]) -> bool:
    """True when one of the functions has a ``lambd``-like parameter."""
    return any(name in L2_NAMES for f in functions.values() for name in _parameters(f))


def _parameters(function: Callable[..., Any]) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


def call(function: Callable[..., Any], known: Mapping[str, Any], role: str) -> Any:
    """Call ``function`` with each parameter given by its name from ``known``."""
    kwargs: dict[str, Any] = {}
    signature = inspect.signature(function)
    for name, parameter in signature.parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        value = _known_value(name, known)
        if value is _UNKNOWN:
            if parameter.default is not parameter.empty:
                continue
            raise InputError(
                f"cannot tell what to pass for parameter {name!r} of {function.__name__} "
                f"({role}); the names understood are X, Y, params/parameters, cache, "
                f"{'/'.join(OUTPUT_NAMES[:3])} (the output) and lambd", parameter="path")
        kwargs[name] = value
    if any(p.kind == p.POSITIONAL_ONLY for p in signature.parameters.values()):
        return function(*kwargs.values())
    return function(**kwargs)


_UNKNOWN = object()


def _known_value(name: str, known: Mapping[str, Any]) -> Any:
    if name in known:
        return known[name]
    if name in PARAMS_NAMES:
        return known.get("params", _UNKNOWN)
    if name in OUTPUT_NAMES:
        return known.get("output", _UNKNOWN)
    if name in L2_NAMES:
        return known.get("lambd", _UNKNOWN)
    return _UNKNOWN


def initial_shapes(module: ModuleType, sizes: Mapping[str, int],
                   shapes: Mapping[str, Sequence[int]]) -> tuple[dict[str, tuple[int, ...]], str]:
    """The parameters' shapes: ``shape`` options, else the file's ``initialize_parameters``,
    else the two-layer network's W1, b1, W2, b2; with a sentence saying which."""
    if shapes:
        return {k: tuple(v) for k, v in shapes.items()}, "shapes from --shape"
    init = _function(module, "initialize_parameters")
    n_x, n_h, n_y = sizes["n_x"], sizes["n_h"], sizes["n_y"]
    if init is not None:
        names = _parameters(init)
        args: dict[str, Any] = {}
        for name in names:
            if name in ("n_x", "n_h", "n_y"):
                args[name] = sizes[name]
            elif name in ("layer_dims", "layers_dims"):
                args[name] = [n_x, n_h, n_y]
        if len(args) == len(names):
            made = init(**args)
            if isinstance(made, Mapping) and made:
                return ({k: tuple(np.shape(v)) for k, v in made.items()},
                        "shapes from the file's initialize_parameters")
    return ({"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)},
            "the two-layer network's W1, b1, W2, b2")


def random_inputs(sizes: Mapping[str, int], rng: np.random.Generator) -> tuple[Any, Any]:
    """Standard-normal X (n_x, m) and labels Y (n_y, m): 0/1 with both classes, or one-hot."""
    n_x, n_y, m = sizes["n_x"], sizes["n_y"], sizes["m"]
    X = rng.standard_normal((n_x, m))
    if n_y == 1:
        Y = np.zeros((1, m))
        Y[0, rng.permutation(m)[: max(1, m // 2)]] = 1.0
    else:
        Y = np.zeros((n_y, m))
        Y[rng.integers(0, n_y, size=m), np.arange(m)] = 1.0
    return X, Y


def forward_arrays(cache: Any, output: Any) -> dict[str, Any]:
    """The arrays of the forward pass by name (the course's cache is a dict or a tuple)."""
    found: dict[str, Any] = {}
    if isinstance(cache, Mapping):
        for key, value in cache.items():
            array = np.asarray(value) if isinstance(value, np.ndarray | float | int) else None
            if isinstance(key, str) and array is not None and array.dtype.kind == "f":
                found[key] = array
    found.setdefault("A2", np.asarray(output, dtype=np.float64))
    return found
