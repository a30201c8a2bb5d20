"""A learner's own gradients against central differences of their own cost.

:func:`gradcheck` takes the learner's Python functions (``cost(params, X, Y)``
and ``gradients(params, X, Y)`` with ``params`` a dict of arrays) and checks
them in this process; :func:`gradcheck_file` checks a file of functions in a
subprocess with a time and a memory limit (:mod:`probkit.gradient_check.sandbox`),
finding them by name (:mod:`probkit.gradient_check.conventions`). Both return a
:class:`GradcheckReport`: per parameter the relative error
‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) between the returned gradient g and the central
differences ĝ, pass or fail, and for a failure the likely slip
(:mod:`probkit.gradient_check.diagnosis`).

>>> import numpy as np
>>> def cost(p, X, Y):
...     A = 1 / (1 + np.exp(-(p["W"] @ X + p["b"])))
...     return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
>>> def gradients(p, X, Y):
...     A = 1 / (1 + np.exp(-(p["W"] @ X + p["b"])))
...     return {"dW": (A - Y) @ X.T, "db": np.mean(A - Y, axis=1, keepdims=True)}
>>> rng = np.random.default_rng(0)
>>> X, Y = rng.normal(size=(3, 5)), np.array([[0.0, 1, 1, 0, 1]])
>>> report = gradcheck(cost, gradients, {"W": rng.normal(size=(1, 3)), "b": np.zeros((1, 1))},
...                    X, Y)
>>> report.passed, [(p.name, p.passed) for p in report.parameters]
(False, [('dW', False), ('db', True)])
>>> report.parameters[0].diagnosis
'off by a factor m = 5: the 1/m is missing'
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from probkit.errors import InputError
from probkit.gradient_check.diagnosis import Context, diagnose, shape_text
from probkit.gradient_check.evaluation import MAX_ENTRIES, Evaluation, evaluate
from probkit.gradient_check.numeric import EPSILON, Array, Params, relative_difference

TOLERANCE = 1e-6
"""The largest relative error that passes (central differences with ε = 1e-7 in float64 reach
about 1e-9 on these small problems; a real slip gives 1e-2 or more)."""



@dataclass(frozen=True)
class ParameterResult:
    """One parameter's verdict; ``name`` as the learner's gradients dict spells it.

    ``relative_error`` is None when the returned gradient's shape is not the parameter's:
    entries of different shapes do not pair up, so no relative error means anything.
    """

    name: str
    relative_error: float | None
    passed: bool
    diagnosis: str | None
    shape: tuple[int, ...] = ()
    expected_shape: tuple[int, ...] = ()
    entries_checked: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"name": self.name, "relative_error": self.relative_error,
                "passed": self.passed, "diagnosis": self.diagnosis,
                "shape": list(self.shape), "expected_shape": list(self.expected_shape),
                "entries_checked": self.entries_checked}


@dataclass(frozen=True)
class GradcheckReport:
    """The outcome of a check of a learner's gradients."""

    parameters: tuple[ParameterResult, ...]
    sizes: Mapping[str, int]
    source: str
    convention: str
    seed: int
    epsilon: float = EPSILON
    tolerance: float = TOLERANCE
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        """True when every parameter passed."""
        return all(p.passed for p in self.parameters)

    @property
    def failed(self) -> tuple[ParameterResult, ...]:
        """The parameters that failed."""
        return tuple(p for p in self.parameters if not p.passed)

    def to_dict(self) -> dict[str, Any]:
        """``{"passed": bool, "parameters": [...], ...}`` for ``--json``."""
        return {"passed": self.passed,
                "parameters": [p.to_dict() for p in self.parameters],
                "source": self.source, "convention": self.convention,
                "sizes": dict(self.sizes), "seed": self.seed, "epsilon": self.epsilon,
                "tolerance": self.tolerance, "notes": list(self.notes)}

    def _header(self) -> list[str]:
        sizes = ", ".join(f"{k} = {v}" for k, v in self.sizes.items())
        return [f"Gradient check of {self.source} ({self.convention})",
                f"sizes: {sizes}; random values from numpy's Generator, seed {self.seed}; "
                f"central differences with ε = {self.epsilon:g}; a parameter passes below a "
                f"relative error of {self.tolerance:g}"]

    def to_text(self) -> str:
        """The report as plain text: one row per parameter, then each failure's likely slip."""
        lines = [*self._header(), ""]
        width = max([len(p.name) for p in self.parameters] + [9])
        errors = [_error_text(p) for p in self.parameters]
        shown = max([len(e) for e in errors] + [14])
        lines.append(f"     {'parameter':<{width}}  {'relative error':>{shown}}  result")
        for p, error in zip(self.parameters, errors, strict=True):
            mark = "✓" if p.passed else "✗"
            lines.append(f"  {mark}  {p.name:<{width}}  {error:>{shown}}  "
                         f"{'ok' if p.passed else 'WRONG'}")
        failures = [p for p in self.parameters if p.diagnosis]
        if failures:
            lines.append("")
            lines.append("Likely slips:")
            lines += [f"  {p.name}: {p.diagnosis}" for p in failures]
        for text in self.notes:
            lines.append(f"Note: {text}")
        lines.append("")
        verdict = ("all gradients agree with central differences" if self.passed else
                   f"{len(self.failed)} of {len(self.parameters)} gradients are wrong: "
                   + ", ".join(p.name for p in self.failed))
        lines.append(f"Result: {verdict}.")
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        """A table for Jupyter."""
        rows = "".join(
            f"<tr><td>{'✓' if p.passed else '✗'}</td><td><code>{html.escape(p.name)}</code>"
            f"</td><td>{html.escape(_exact_error_text(p))}</td>"
            f"<td>{'ok' if p.passed else 'wrong'}</td>"
            f"<td>{html.escape(p.diagnosis or '')}</td></tr>"
            for p in self.parameters
        )
        header = "<br>".join(html.escape(line) for line in self._header())
        notes = "".join(f"<p>Note: {html.escape(n)}</p>" for n in self.notes)
        return (f"<p>{header}</p><table><thead><tr><th></th><th>parameter</th>"
                f"<th>relative error</th><th>result</th><th>likely slip</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>{notes}")

    def __str__(self) -> str:
        return self.to_text()


SHOWN_FLOOR = 1e-7
"""A right gradient's relative error is shown as "< 1e-07" when below this."""


def _shape_mismatch_text(result: ParameterResult) -> str:
    return f"shape {shape_text(result.shape)} ≠ {shape_text(result.expected_shape)}"


def _exact_error_text(result: ParameterResult) -> str:
    """The relative error to three digits, or the shape mismatch that leaves none."""
    if result.relative_error is None:
        return _shape_mismatch_text(result)
    return f"{result.relative_error:.2e}"


def _error_text(result: ParameterResult) -> str:
    """A wrong gradient's relative error; for a right one, the power of ten it is below, at
    least 1e-7 (its digits are rounding noise of the central differences, different on
    another machine; ``--json`` has the exact figure); for a gradient of the wrong shape,
    the two shapes."""
    error = result.relative_error
    if error is None:
        return _shape_mismatch_text(result)
    if result.passed:
        bound = max(error, SHOWN_FLOOR)
        return f"< 1e{int(np.ceil(np.log10(bound))):03d}"
    return f"{error:.2e}"


def _as_array(value: Any) -> Array | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def judge(
    evaluation: Evaluation,
    *,
    m: int,
    l2: float | None = None,
    forward: Mapping[str, Array] | None = None,
    tolerance: float = TOLERANCE,
) -> tuple[tuple[ParameterResult, ...], tuple[str, ...]]:
    """Per-parameter results and report notes from an :class:`Evaluation`."""
    context = Context(m=m, l2=l2, forward={**evaluation.params, **(forward or {})})
    results: list[ParameterResult] = []
    for param, numeric in evaluation.numeric.items():
        key = evaluation.keys.get(param)
        value = evaluation.params[param]
        checked = int(np.sum(~np.isnan(numeric)))
        if key is None:
            found = ", ".join(sorted(map(str, evaluation.returned))) or "nothing"
            results.append(ParameterResult(
                "d" + param, 1.0, False,
                f"no gradient for {param} in the returned dict (looked for 'd{param}' and "
                f"'{param}'; it holds: {found})", (), numeric.shape, checked))
            continue
        g = _as_array(evaluation.returned[key])
        if g is None:
            results.append(ParameterResult(
                key, 1.0, False, f"{key} is not an array of numbers "
                f"({type(evaluation.returned[key]).__name__})", (), numeric.shape, checked))
            continue
        mask = ~np.isnan(numeric)
        if not np.all(np.isfinite(numeric[mask])):
            results.append(ParameterResult(
                key, 1.0, False, "the cost is not finite near these parameters (a log of 0 or "
                "of a negative number?), so its central differences are not either",
                tuple(g.shape), numeric.shape, checked))
            continue
        if g.shape != numeric.shape:
            results.append(ParameterResult(
                key, None, False, diagnose(key, g, numeric, value, context), tuple(g.shape),
                tuple(numeric.shape), checked))
            continue
        error = relative_difference(g[mask], numeric[mask])
        if not np.isfinite(error):
            error = 1.0
        passed = error < tolerance
        slip = None if passed else diagnose(key, g, numeric, value, context)
        if not passed and slip is None:
            slip = f"relative error {error:.2e} is above {tolerance:g}"
        results.append(ParameterResult(key, error, passed, slip, tuple(g.shape),
                                       tuple(numeric.shape), checked))
    notes: list[str] = []
    wrong = [r for r in results if not r.passed]
    if len(wrong) == len(results) > 1 and all(
            r.diagnosis and r.diagnosis.startswith("the sign is flipped") for r in wrong):
        notes.append("every gradient has the wrong sign: the slip is where they all start, "
                     "dZ2 = Y - A2 instead of A2 - Y (the derivative of the cost with respect "
                     "to the output's pre-activation)")
    sampled = [f"{p} ({int(np.sum(~np.isnan(n)))} of {n.size})"
               for p, n in evaluation.numeric.items() if np.isnan(n).any()]
    if sampled:
        notes.append("large parameters were checked on a seeded sample of entries: "
                     + ", ".join(sampled))
    return tuple(results), tuple(notes)


def gradcheck(
    cost: Callable[..., Any],
    gradients: Callable[..., Mapping[str, Any]],
    params: Mapping[str, Any],
    X: Any,
    Y: Any,
    *,
    seed: int = 0,
    epsilon: float = EPSILON,
    tolerance: float = TOLERANCE,
    max_entries: int = MAX_ENTRIES,
) -> GradcheckReport:
    """Check ``gradients(params, X, Y)`` against central differences of ``cost(params, X, Y)``.

    Runs the functions in this process (a file is checked in a subprocess by
    :func:`gradcheck_file`). ``X`` holds one example per column; ``m`` is its
    number of columns. The gradient of ``W1`` is looked up as ``dW1`` or ``W1``.
    """
    if not callable(cost) or not callable(gradients):
        raise InputError("gradcheck: cost and gradients must be functions", parameter="cost")
    if not isinstance(params, Mapping) or not params:
        raise InputError("gradcheck: params must be a non-empty dict of arrays",
                         parameter="params")
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if X.ndim != 2:
        raise InputError(f"gradcheck: X must be a matrix with one example per column; got shape "
                         f"{X.shape}", parameter="X")

    def cost_at(p: Params) -> float:
        return float(np.asarray(cost(p, X, Y), dtype=np.float64).reshape(()))

    def grads_at(p: Params) -> Mapping[str, Any]:
        found = gradients(p, X, Y)
        if not isinstance(found, Mapping):
            raise InputError(f"gradcheck: gradients returned {type(found).__name__}, not a dict",
                             parameter="gradients")
        return found

    rng = np.random.default_rng(seed)
    evaluation = evaluate(cost_at, grads_at, params, rng, epsilon=epsilon,
                          max_entries=max_entries)
    m = int(X.shape[1])
    results, notes = judge(evaluation, m=m, tolerance=tolerance)
    name = getattr(gradients, "__name__", "gradients")
    sizes = {"n_x": int(X.shape[0]), "m": m}
    return GradcheckReport(results, sizes, f"{name}()", "cost(params, X, Y) and "
                           "gradients(params, X, Y)", seed, epsilon, tolerance, notes)


def gradcheck_file(
    path: str | Path,
    *,
    cost: str | None = None,
    gradients: str | None = None,
    shape: Sequence[str] = (),
    data: str | Path | None = None,
    l2: float | None = None,
    seed: int = 0,
    time_limit: float = 60.0,
    memory_limit: int = 2048,
    tolerance: float = TOLERANCE,
) -> GradcheckReport:
    """Check the gradients of the functions in a learner's file, in a limited subprocess.

    Parameters
    ----------
    path : path of a ``.py`` file
        Either ``cost`` and ``gradients`` (``params`` a dict of arrays), or the
        course's ``forward_propagation``, ``compute_cost`` and
        ``backward_propagation`` (or their ``_with_regularization`` forms).
    cost, gradients : str, optional
        Other names for the two functions.
    shape : sequence of str
        ``n_x=3``, ``n_h=4``, ``n_y=1``, ``m=5`` (sizes) or ``W1=4,3`` (a
        parameter's shape). Default sizes: n_x = 3, n_h = 4, n_y = 1, m = 5,
        or the shapes the file's ``initialize_parameters`` gives.
    data : path, optional
        A cat-vs-non-cat HDF5 file: ``m`` of its images (flattened, scaled to
        [0, 1]) and labels are the inputs.
    l2 : float, optional
        λ, for functions that take ``lambd`` (default 0.7 when they do).
    time_limit, memory_limit : float, int
        Seconds of wall-clock time and megabytes of address space for the subprocess.

    Raises
    ------
    InputError
        A missing file, missing functions, a bad ``shape``.
    LearnerCodeError
        The learner's code raised (with their traceback lines), ran out of time
        or memory, or returned something that is not a cost or a dict of gradients.
    """
    from probkit.gradient_check import conventions, sandbox

    source = Path(path)
    if source.suffix != ".py":
        raise InputError(f"gradcheck: {source} is not a .py file", parameter="path")
    if not source.is_file():
        raise InputError(f"gradcheck: no file {source}", parameter="path")
    if time_limit <= 0 or not np.isfinite(time_limit):
        raise InputError(f"time_limit must be positive; got {time_limit}", parameter="time_limit")
    if memory_limit < 256:
        raise InputError(f"memory_limit must be at least 256 (MB); got {memory_limit}",
                         parameter="memory_limit")
    if l2 is not None and (not np.isfinite(l2) or l2 < 0):
        raise InputError(f"l2 must be a finite number >= 0; got {l2}", parameter="l2")
    sizes, shapes = conventions.parse_shapes(shape)
    request: dict[str, Any] = {
        "path": str(source.resolve()), "cost": cost, "gradients": gradients,
        "sizes": sizes, "shapes": shapes, "l2": l2, "seed": seed,
    }
    if data is not None:
        X, Y = conventions.load_examples(data, sizes.get("m", conventions.DEFAULT_SIZES["m"]),
                                         seed)
        request["X"], request["Y"] = X.tolist(), Y.tolist()
    answer = sandbox.run(request, time_limit=time_limit, memory_limit=memory_limit,
                         source=source.name)
    params = {k: np.asarray(v, dtype=np.float64) for k, v in answer["params"].items()}
    numeric = {k: np.asarray(v, dtype=np.float64) for k, v in answer["numeric"].items()}
    evaluation = Evaluation(params, answer["returned"], numeric, answer["keys"])
    forward = {k: np.asarray(v, dtype=np.float64) for k, v in answer["forward"].items()}
    results, notes = judge(evaluation, m=int(answer["sizes"]["m"]), l2=answer["l2"],
                           forward=forward, tolerance=tolerance)
    return GradcheckReport(results, answer["sizes"], source.name, answer["convention"], seed,
                           EPSILON, tolerance, (*answer["notes"], *notes))


__all__ = [
    "MAX_ENTRIES",
    "TOLERANCE",
    "Evaluation",
    "GradcheckReport",
    "ParameterResult",
    "evaluate",
    "gradcheck",
    "gradcheck_file",
    "judge",
]
