"""The subprocess that runs a learner's file: ``python -I -B -m probkit.gradient_check.child``.

It reads one JSON request on stdin (the file, the function names, sizes,
seed), imports the file without writing bytecode, calls the learner's
functions (:mod:`probkit.gradient_check.conventions`), differentiates the cost
by central differences, and writes one JSON answer on its standard output.
Whatever the learner's code prints goes to standard error, so it cannot
corrupt the answer. An exception in the learner's code is answered with its
traceback lines from the learner's own file only.

Limits (time, memory) are set by the parent (:mod:`probkit.gradient_check.sandbox`)
before this program starts.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ANSWER_LIMIT = 64 * 1024 * 1024
"""Largest answer written (the parent reads no more)."""


class _Failure(Exception):
    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__(payload.get("message", ""))
        self.payload = payload


def _learner_frames(exc: BaseException, path: str) -> list[str]:
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if os.path.realpath(f.filename) == path]
    lines = []
    for frame in frames:
        lines.append(f'  File "{Path(frame.filename).name}", line {frame.lineno}, '
                     f"in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    return lines


def _raised(exc: BaseException, path: str, doing: str) -> _Failure:
    kind = type(exc).__name__
    return _Failure({"ok": False, "kind": "exception", "doing": doing,
                     "message": f"{kind}: {exc}" if str(exc) else kind,
                     "traceback": _learner_frames(exc, path)})


def _load(path: str) -> Any:
    sys.dont_write_bytecode = True
    directory = str(Path(path).parent)
    if directory not in sys.path:
        sys.path.insert(0, directory)  # the learner's helper modules beside the file
    spec = importlib.util.spec_from_file_location("learner_code", path)
    if spec is None or spec.loader is None:
        raise _Failure({"ok": False, "kind": "input", "message": f"cannot import {path}"})
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the learner's own error while importing their file
        raise _raised(exc, path, "importing the file") from None
    return module


def _scalar(value: Any, name: str) -> float:
    import numpy as np

    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.size != 1:
        shape = "" if array is None else f" of shape {array.shape}"
        raise _Failure({"ok": False, "kind": "return",
                        "message": f"{name} returned {type(value).__name__}{shape}, not one "
                        "number (the cost)"})
    return float(array.reshape(()))


def _encode(value: Any) -> Any:
    import numpy as np

    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return {"not_numbers": type(value).__name__}
    return array.tolist()


def _run(request: Mapping[str, Any]) -> dict[str, Any]:
    import numpy as np

    from probkit.errors import InputError, ProbkitError
    from probkit.gradient_check import conventions
    from probkit.gradient_check.evaluation import evaluate

    path = request["path"]
    module = _load(path)
    source = Path(path).name
    try:
        kind, functions = conventions.find(module, source, request["cost"],
                                           request["gradients"], request["l2"] is not None)
    except InputError as exc:
        raise _Failure({"ok": False, "kind": "input", "message": str(exc)}) from None
    uses_l2 = conventions.takes_l2(functions)
    lambd = (request["l2"] if request["l2"] is not None else conventions.DEFAULT_L2) \
        if uses_l2 else None
    sizes = {**conventions.DEFAULT_SIZES, **request["sizes"]}
    rng = np.random.default_rng(request["seed"])
    notes: list[str] = []
    if "X" in request:
        X = np.asarray(request["X"], dtype=np.float64)
        Y = np.asarray(request["Y"], dtype=np.float64)
        sizes.update(n_x=int(X.shape[0]), n_y=int(Y.shape[0]), m=int(X.shape[1]))
        notes.append(f"inputs: {sizes['m']} examples of the data file (seed {request['seed']})")
    else:
        shapes = request["shapes"]
        if "W1" in shapes and "n_x" not in request["sizes"]:
            sizes["n_x"] = int(shapes["W1"][1])
        X, Y = conventions.random_inputs(sizes, rng)
    try:
        shapes_found, how = conventions.initial_shapes(module, sizes, request["shapes"])
    except Exception as exc:
        raise _raised(exc, path, "calling initialize_parameters") from None
    notes.append(f"parameters: {how}, with random N(0, 0.5²) entries")
    if lambd is not None:
        notes.append(f"λ = {lambd:g} given as the functions' lambd")
    params = {name: rng.normal(0.0, 0.5, shape) for name, shape in shapes_found.items()}
    known = {"X": X, "Y": Y, "lambd": lambd}

    def role_call(role: str, **more: Any) -> Any:
        function = functions[role]
        try:
            return conventions.call(function, {**known, **more}, role)
        except InputError as exc:
            raise _Failure({"ok": False, "kind": "input", "message": str(exc)}) from None
        except MemoryError:
            raise
        except Exception as exc:
            raise _raised(exc, path, f"calling {function.__name__}") from None

    def forward(p: dict[str, Any]) -> tuple[Any, Any]:
        name = functions["forward_propagation"].__name__
        found = role_call("forward_propagation", params=p)
        if not isinstance(found, tuple) or len(found) != 2:
            raise _Failure({"ok": False, "kind": "return",
                            "message": f"{name} returned {type(found).__name__}, not the pair "
                            "(A2, cache)"})
        return found

    cost_role = [r for r in functions if "cost" in r][0]
    grad_role = "gradients" if kind == "a" else [r for r in functions if "backward" in r][0]
    forward_values: dict[str, Any] = {}

    def cost(p: dict[str, Any]) -> float:
        if kind == "a":
            return _scalar(role_call(cost_role, params=p), functions[cost_role].__name__)
        output, _ = forward(p)
        return _scalar(role_call(cost_role, params=p, output=output),
                       functions[cost_role].__name__)

    def gradients(p: dict[str, Any]) -> Mapping[str, Any]:
        if kind == "a":
            found = role_call(grad_role, params=p)
        else:
            output, cache = forward({k: v.copy() for k, v in p.items()})
            forward_values.update(conventions.forward_arrays(cache, output))
            found = role_call(grad_role, params=p, cache=cache, output=output)
        if not isinstance(found, Mapping):
            raise _Failure({"ok": False, "kind": "return",
                            "message": f"{functions[grad_role].__name__} returned "
                            f"{type(found).__name__}, not a dict of gradients"})
        return found

    try:
        evaluation = evaluate(cost, gradients, params, rng)
    except ProbkitError as exc:
        raise _Failure({"ok": False, "kind": "return", "message": str(exc)}) from None
    convention = ("cost(params, X, Y) and gradients(params, X, Y)" if kind == "a" else
                  "the course's " + ", ".join(f.__name__ for f in functions.values()))
    if kind == "a" and (request["cost"] or request["gradients"]):
        convention = f"{functions['cost'].__name__} and {functions['gradients'].__name__}"
    forward_values.update(X=X, Y=Y)
    return {
        "ok": True, "convention": convention, "sizes": sizes, "l2": lambd, "notes": notes,
        "params": {k: v.tolist() for k, v in evaluation.params.items()},
        "numeric": {k: v.tolist() for k, v in evaluation.numeric.items()},
        "returned": {str(k): _encode(v) for k, v in evaluation.returned.items()},
        "keys": dict(evaluation.keys),
        "forward": {k: np.asarray(v, dtype=np.float64).tolist()
                    for k, v in forward_values.items()},
    }


def main() -> None:
    """Read the request, answer on the original standard output."""
    answer_fd = os.dup(1)
    os.dup2(2, 1)  # the learner's prints go to stderr
    sys.stdout = sys.stderr
    request = json.loads(sys.stdin.read())
    try:
        answer = _run(request)
    except _Failure as failure:
        answer = failure.payload
    except MemoryError:
        answer = {"ok": False, "kind": "memory", "message": "the code ran out of memory"}
    except RecursionError:
        answer = {"ok": False, "kind": "exception", "message": "RecursionError", "traceback": []}
    text = json.dumps(answer)
    with os.fdopen(answer_fd, "w") as out:
        out.write(text[:ANSWER_LIMIT])


if __name__ == "__main__":
    main()
