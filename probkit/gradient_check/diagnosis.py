"""The likely slip behind a wrong gradient, found by testing candidates.

Each candidate is a way a learner's backpropagation commonly goes wrong,
written as what the returned gradient ``g`` would then be in terms of the true
one ``n`` (central differences): ``m n`` (the 1/m is missing), ``-n`` (the
sign), ``nᵀ`` (a transpose), ``2 n``, ``n + c W`` (an L2 term with the wrong
factor), the right values in the wrong shape (``keepdims`` dropped, the sum
over the wrong axis), only some entries wrong (an index or an axis), and, for
the course's two-layer network, ``dZ1`` built with another activation's
derivative. The first candidate that matches names the slip.

>>> import numpy as np
>>> n = np.array([[0.5, -0.25, 1.0]])
>>> diagnose("dW1", 5 * n, n, n, Context(m=5))
'off by a factor m = 5: the 1/m is missing'
>>> diagnose("dW1", -n, n, n, Context(m=5))
'the sign is flipped (e.g. dZ2 = Y - A2 instead of A2 - Y)'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from probkit.gradient_check.numeric import Array, relative_difference

MATCH = 1e-5
"""A candidate matches when its relative difference from the returned gradient is below this."""


@dataclass(frozen=True)
class Context:
    """What the candidates may use besides the gradient itself.

    ``m`` is the number of examples; ``l2`` the λ the learner's functions were
    given (None when they take none); ``forward`` the arrays of the forward
    pass by name (``A1``, ``A2``, ``Z1``...: the course's cache) with ``X``,
    ``Y`` and the parameters, for the activation-derivative candidates.
    """

    m: int
    l2: float | None = None
    forward: Mapping[str, Array] = field(default_factory=dict)


def _close(g: Array, h: Array) -> bool:
    return g.shape == h.shape and relative_difference(g, h) < MATCH


def shape_text(shape: tuple[int, ...]) -> str:
    """``(3, 1)``, ``(4,)``: a shape as numpy prints it."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _shape_slip(name: str, param: str, g: Array, n: Array, m: int) -> str:
    got, want = shape_text(g.shape), shape_text(n.shape)
    if g.size == n.size and g.ndim == n.ndim == 2 and g.shape == n.shape[::-1]:
        values = ("its values are the true gradient transposed" if _close(g.T, n)
                  else "and its values are wrong too")
        return (f"shape {got} where {param} is {want}: the transpose ({values}) — a missing .T, "
                "or the factors of a product swapped")
    if g.size == n.size:
        if _close(np.reshape(g, n.shape), n):
            return (f"shape {got} where {param} is {want}: the values are right but keepdims=True "
                    "is missing from the sum (the update would broadcast it wrongly)")
        return f"shape {got} where {param} is {want}, and the values are wrong too"
    if m in g.shape and m not in n.shape:
        return (f"shape {got} where {param} is {want}: one entry per example, so the sum runs "
                "over the wrong axis (the sum over the examples is axis=1: "
                "np.sum(dZ, axis=1, keepdims=True))")
    if n.shape[-1:] == (1,) and g.ndim == 2 and g.shape[0] == 1 and g.shape[1] == n.shape[0]:
        return (f"shape {got} where {param} is {want}: summed over the wrong axis (axis=0 sums "
                "over the units; the examples are axis=1)")
    return f"shape {got} where {param} is {want}"


def _is_bias(param: str) -> bool:
    """``b``, ``b1``...: the course never puts a bias in the L2 term."""
    return re.fullmatch(r"b\d*", param) is not None


def _parallel(a: Array, b: Array) -> bool:
    """True when ``a`` is a multiple of ``b`` (then a factor of one is a factor of the other)."""
    scale = float(np.vdot(b, b))
    return scale > 0 and _close(a, float(np.vdot(a, b)) / scale * b)


def _l2_slip(param: str, g: Array, n: Array, value: Array, context: Context) -> str | None:
    """An L2 term with a wrong factor. With λ known, the named slips (an exact coefficient is a
    tell even for one entry); the fitted coefficient only where a fit can fail: at least two
    entries, and the parameter not itself a multiple of its gradient."""
    if _is_bias(param):
        return None
    difference = g - n
    scale = float(np.vdot(value, value))
    if scale == 0.0:
        return None
    c = float(np.vdot(difference, value)) / scale
    if c == 0.0 or relative_difference(difference, c * value) > MATCH:
        return None
    m, lam = context.m, context.l2
    if lam is not None and lam > 0:
        for coefficient, slip in (
            (lam - lam / m, f"the L2 term lacks its 1/m: λ·{param} where (λ/m)·{param} belongs"),
            (-lam / m, f"the L2 term (λ/m)·{param} is missing"),
            (lam / m, f"the L2 term (λ/m)·{param} is counted twice"),
            (-lam / (2 * m), f"the L2 term is (λ/2m)·{param}; its derivative is (λ/m)·{param}"),
            (lam * (1 - 1 / m) * 2, f"the L2 term is 2λ·{param} (1/m missing, factor 2)"),
        ):
            if abs(c - coefficient) <= 1e-4 * max(abs(coefficient), 1e-12):
                return f"{slip} (λ = {lam:g}, m = {m})"
    if value.size < 2 or _parallel(value, n):
        return None
    guess = c * m / (m - 1) if m > 1 else float("nan")
    return (f"off by {c:.4g}·{param}, a multiple of {param}: the L2 term's factor is wrong "
            f"((λ/m)·{param} belongs there; λ·{param} without the 1/m gives this if "
            f"λ = {guess:.4g})")


_DERIVATIVES: tuple[tuple[str, str], ...] = (
    ("1 - A1**2", "tanh's derivative"),
    ("A1*(1 - A1)", "the sigmoid's derivative"),
    ("(Z1 > 0)", "ReLU's derivative"),
    ("1 - A1", "no activation's derivative"),
    ("1", "no derivative at all"),
    ("A1", "no activation's derivative"),
)


def _derivative_values(text: str, forward: Mapping[str, Array]) -> Array | None:
    A1 = forward.get("A1")
    Z1 = forward.get("Z1")
    if text == "(Z1 > 0)":
        return None if Z1 is None else (Z1 > 0).astype(np.float64)
    if A1 is None:
        return None
    values = {"1 - A1**2": 1 - A1**2, "A1*(1 - A1)": A1 * (1 - A1), "1 - A1": 1 - A1,
              "1": np.ones_like(A1), "A1": A1}
    return values[text]


def _activation_slip(param: str, g: Array, n: Array, context: Context) -> str | None:
    """For the course's two-layer network: the dW1/db1 that each derivative in dZ1 gives."""
    f = context.forward
    if param not in ("W1", "b1") or not all(k in f for k in ("A2", "Y", "W2", "X")):
        return None
    m = context.m
    base = f["W2"].T @ (f["A2"] - f["Y"])
    found: dict[str, Array] = {}
    for text, _ in _DERIVATIVES:
        slope = _derivative_values(text, f)
        if slope is None or slope.shape != base.shape:
            continue
        dZ1 = base * slope
        found[text] = dZ1 @ f["X"].T / m if param == "W1" else dZ1.sum(axis=1, keepdims=True) / m
        if param == "W1" and context.l2:
            found[text] = found[text] + context.l2 / m * f["W1"]
    right = next((t for t, v in found.items() if _close(v, n)), None)
    used = next((t for t, v in found.items() if t != right and _close(v, g)), None)
    if used is None:
        return None
    meanings = dict(_DERIVATIVES)
    expected = f"; the forward pass needs {right} ({meanings[right]})" if right else ""
    return (f"a wrong activation derivative: dZ1 = W2.T @ dZ2 * ({used}), which is "
            f"{meanings[used]}{expected}")


def _some_entries(g: Array, n: Array) -> str | None:
    scale = np.abs(g) + np.abs(n)
    bad = np.abs(g - n) > 1e-4 * np.maximum(scale, 1e-12 + np.max(scale) * 1e-6)
    count, total = int(bad.sum()), bad.size
    if count == 0 or count == total:
        return None
    where = ""
    if bad.ndim == 2:
        rows = sorted({int(i) for i in np.nonzero(bad)[0]})
        cols = sorted({int(j) for j in np.nonzero(bad)[1]})
        if bad[rows].all() and len(rows) < bad.shape[0]:
            where = f": row(s) {', '.join(map(str, rows))} entirely"
        elif bad[:, cols].all() and len(cols) < bad.shape[1]:
            where = f": column(s) {', '.join(map(str, cols))} entirely"
    return f"only {count} of {total} entries are wrong{where} — an index or an axis"


def diagnose(name: str, g: Array | None, n: Array, value: Array, context: Context) -> str | None:
    """The likely slip when the returned gradient ``g`` of ``name`` is not ``n``; None if right.

    ``value`` is the parameter's value (for the L2 candidates); ``name`` is the
    gradient's key (``dW1`` or ``W1``). ``n`` may hold nan where an entry was
    not differentiated (large parameters are sampled); those entries are left out.
    """
    param = name[1:] if name.startswith("d") and len(name) > 1 else name
    if g is None:
        return None
    g = np.asarray(g, dtype=np.float64)
    if g.shape != n.shape:
        return _shape_slip(name, param, g, n, context.m)
    mask = ~np.isnan(n)
    if relative_difference(g[mask], n[mask]) < MATCH:
        return None
    if not mask.all():  # a sampled parameter: compare what was differentiated
        gm, nm, vm = g[mask], n[mask], value[mask]
    else:
        gm, nm, vm = g, n, value
    m = context.m
    candidates: list[tuple[Any, str]] = [
        (m * nm, f"off by a factor m = {m}: the 1/m is missing"),
        (nm / m, f"divided by m = {m} once too often"),
        (-nm, "the sign is flipped (e.g. dZ2 = Y - A2 instead of A2 - Y)"),
        (-m * nm, f"the sign is flipped and the 1/m (m = {m}) is missing"),
        (2 * nm, "twice the true gradient: a factor 2 too many"),
        (nm / 2, "half the true gradient: a factor 2 missing"),
    ]
    if mask.all() and n.ndim == 2 and n.shape[0] == n.shape[1] and n.shape[0] > 1:
        candidates.append((n.T, "the transpose of the true gradient — a missing .T, or the "
                                "factors of a product swapped"))
    for candidate, slip in candidates:
        if _close(gm, candidate):
            return slip
    found = _activation_slip(param, g, n, context) if mask.all() else None
    found = found or _l2_slip(param, gm, nm, vm, context)
    found = found or (_some_entries(g, n) if mask.all() else None)
    if found:
        return found
    if gm.size == 1:
        return (f"{float(gm.ravel()[0]):.4g} where central differences give "
                f"{float(nm.ravel()[0]):.4g} (one entry: a single wrong number shows no pattern "
                "to name)")
    nonzero = float(np.vdot(nm, nm))
    if nonzero > 0:
        c = float(np.vdot(gm, nm)) / nonzero
        if _close(gm, c * nm):
            return f"off by a constant factor {c:.4g}"
    return "wrong, and not by a factor, a sign, a transpose, an L2 term or a few entries"


__all__ = ["MATCH", "Context", "diagnose", "shape_text"]
