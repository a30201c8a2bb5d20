"""Checked reads from a dict of plain named arrays, as a model file holds them (numpy).

Each part of a saved classifier (the model, the representation, the out-of-distribution
score, the training fingerprints) writes its own arrays and reads them back with these
helpers, which raise :class:`~probkit.errors.InputError` as ``"<array> <problem>"``; the
model file reader adds the file's name.

>>> import numpy as np
>>> stored_real({"temperature": np.array(2.0)}, "temperature", 0.01, 100.0)
2.0
>>> stored_string({"model_type": np.array(3)}, "model_type")
Traceback (most recent call last):
...
probkit.errors.InputError: model_type must be a string; got a 0-d int64 array
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from probkit.errors import InputError

MAX_JSON_DEPTH = 32
"""Deepest nesting of a stored JSON object (hyperparameters, metadata)."""

Arrays = dict[str, np.ndarray]


def problem(key: str, text: str) -> InputError:
    """The error for a stored array ``key`` that fails a check: ``"<key> <text>"``."""
    return InputError(f"{key} {text}")


def array_kind(value: np.ndarray) -> str:
    """How an unexpected array looks, for messages: ``a 0-d float64 array``."""
    return f"a {value.ndim}-d {value.dtype} array" + (
        f" of shape {value.shape}" if value.ndim else "")


def json_ready(value: Any) -> Any:
    """Replace nan/inf by None and numpy scalars by Python ones, recursively."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_array(value: Any) -> np.ndarray:
    """``value`` as a stored JSON string (nan and inf written as null)."""
    return np.array(json.dumps(json_ready(value), allow_nan=False))


def with_prefix(prefix: str, arrays: dict[str, Any], dtype: Any = None) -> Arrays:
    """``arrays`` stored under ``prefix`` + name (``typicality_mean``...)."""
    return {f"{prefix}{name}": np.asarray(value, dtype=dtype) for name, value in arrays.items()}


def prefixed(arrays: Arrays, prefix: str) -> Arrays:
    """The arrays whose names start with ``prefix``, by the rest of their names."""
    return {key[len(prefix):]: value for key, value in arrays.items() if key.startswith(prefix)}


def stored_string(arrays: Arrays, key: str) -> str:
    """A 0-d string array."""
    value = arrays[key]
    if value.dtype.kind != "U" or value.shape != ():
        raise problem(key, f"must be a string; got {array_kind(value)}")
    return str(value.item())


def stored_real(arrays: Arrays, key: str, low: float, high: float) -> float:
    """A finite 0-d number in [low, high]."""
    value = arrays[key]
    if value.dtype.kind not in "iuf" or value.shape != ():
        raise problem(key, f"must be a number; got {array_kind(value)}")
    number = float(value.item())
    if not (math.isfinite(number) and low <= number <= high):
        raise problem(key, f"{number!r} is not in [{low:g}, {high:g}]")
    return number


def stored_floats(arrays: Arrays, key: str, shape: tuple[int, ...], *,
                  finite: bool = True) -> np.ndarray:
    """A float array of exactly ``shape`` (``-1``: any length), finite unless told."""
    value = arrays[key]
    wanted = len(shape) == value.ndim and all(
        s in (-1, v) for s, v in zip(shape, value.shape, strict=True))
    if value.dtype.kind != "f" or not wanted:
        expected = "(" + ", ".join("n" if s == -1 else str(s) for s in shape) + \
            ("," if len(shape) == 1 else "") + ")"
        raise problem(key, f"must be a float array of shape {expected}; "
                      f"got {array_kind(value)}")
    if finite and not np.all(np.isfinite(value)):
        raise problem(key, "contains nan or inf")
    return np.asarray(value, dtype=np.float64)


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), without recursion.

    >>> _depth(1), _depth({"a": [1, {"b": 2}]})
    (0, 3)
    """
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
        else:
            continue
        deepest = max(deepest, level + 1)
    return deepest


def stored_json_object(arrays: Arrays, key: str) -> dict[str, Any]:
    """A stored JSON object, at most :data:`MAX_JSON_DEPTH` levels deep."""
    text = stored_string(arrays, key)
    try:
        value = json.loads(text)
    except RecursionError:
        raise problem(key, f"is JSON nested too deeply (over {MAX_JSON_DEPTH} "
                      "levels)") from None
    except ValueError as exc:  # JSONDecodeError, or an integer beyond Python's digit limit
        raise problem(key, f"is not valid JSON ({str(exc)[:120]})") from None
    if not isinstance(value, dict):
        raise problem(key, f"must be a JSON object; got {type(value).__name__}")
    if _depth(value) > MAX_JSON_DEPTH:
        raise problem(key, f"is JSON nested too deeply (over {MAX_JSON_DEPTH} levels)")
    return value


__all__ = ["MAX_JSON_DEPTH", "Arrays", "array_kind", "json_array", "json_ready", "prefixed",
           "problem", "stored_floats", "stored_json_object", "stored_real", "stored_string",
           "with_prefix"]
