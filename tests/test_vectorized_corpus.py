"""The vectorized backprop corpus (tests/vectorized_corpus/) proved right in numpy.

The corpus is pairs of posts, written as learners of the deep-learning course write them, for
the ``check`` reader of vectorized posts: a correct post (a forward pass, a cost, then the
backward formulas) and its twin with one planted slip. These tests are independent of any
checker; they prove what tests/vectorized_corpus/manifest.toml claims about the posts:

* the manifest matches the files: each twin differs from its post on the slip line only, every
  backward formula of a post is listed with its line, the shapes listed are the ones the post
  declares (in its own spelling), and each numpy transcription keeps the 1/m factors, the
  transposes, the lambda and the summation axis of the LaTeX line it transcribes;
* every backward formula of every correct post is right: the forward pass and the cost are coded
  here by hand in numpy, on small random matrices of several random sizes (every symbolic
  dimension a different size), and each formula is compared with central differences of the
  cost, in the course's convention (``dW = dJ/dW``, ``dZ = m dJ/dZ``);
* every planted slip is wrong, in the way the manifest says: a ``shape`` slip has no shape, or
  not its left-hand side's (a product that is not defined, an elementwise product of different
  shapes, a sum over the wrong axis), on every size tried; a ``value`` slip has the right shape
  and a wrong value on every size tried.

Elementwise products in the transcriptions never broadcast (:class:`Strict`): ``*`` of two
matrices of different shapes is a shape error, as it is in the maths.
"""

from __future__ import annotations

import functools
import re
import tomllib
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.special import expit

CORPUS = Path(__file__).resolve().parent / "vectorized_corpus"
MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
PAIRS: list[dict[str, Any]] = MANIFEST["pair"]
IDS = [pair["id"] for pair in PAIRS]

NUMPY_NAME = {"X": "X", "Y": "Y", "W^{[1]}": "W1", "b^{[1]}": "b1", "W^{[2]}": "W2",
              "b^{[2]}": "b2", "w": "w", "b": "b"}
"""The arrays' names in the manifest's numpy transcriptions, by their LaTeX names."""

SIZES_PER_PAIR = 3
LAMBDA = 0.7  # any positive number but 1 (so that a missing lambda shows)
LEAKY_SLOPE = 0.01
STEP = 1e-6  # central differences: truncation ~STEP**2, rounding ~1e-16/STEP
AGREE = 1e-6  # a formula is right when it agrees with central differences to this (relative)
DISAGREE = 1e-3  # a value slip is wrong by more than this (relative) on every size


class ShapeError(ValueError):
    """A product or an elementwise operation of matrices whose shapes do not fit."""


class Strict(np.ndarray):
    """An array whose elementwise operations refuse to broadcast one matrix over another.

    ``@`` is numpy's matrix product (a shape mismatch is a :class:`ShapeError`); a binary
    elementwise operation takes a scalar and a matrix, or two matrices of one shape.
    """

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        plain = [np.asarray(x) if isinstance(x, Strict) else x for x in inputs]
        if method == "__call__" and ufunc.nin == 2:
            if ufunc is np.matmul:
                try:
                    return strict(ufunc(*plain, **kwargs))
                except ValueError as error:
                    raise ShapeError(f"matrix product of {[np.shape(x) for x in plain]}") \
                        from error
            shapes = {np.shape(x) for x in plain if np.ndim(x) > 0}
            if len(shapes) > 1:
                raise ShapeError(f"elementwise {ufunc.__name__} of shapes {sorted(shapes)}")
        return strict(getattr(ufunc, method)(*plain, **kwargs))


def strict(value: Any) -> Any:
    """``value`` as a :class:`Strict` array (a numpy scalar becomes a 0-d one)."""
    return np.asarray(value).view(Strict)


# --------------------------------------------------------------------------------------------
# The forward passes and costs, by hand

Step = tuple[str, Callable[[Mapping[str, Any]], Any]]

HIDDEN: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(0.0, z),
    "leaky-relu": lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
    "sigmoid": expit,
}


def softmax_of_columns(z: np.ndarray) -> np.ndarray:
    shifted = np.exp(z - z.max(axis=0, keepdims=True))
    return shifted / shifted.sum(axis=0, keepdims=True)


def cross_entropy(a: np.ndarray, y: np.ndarray, output: str) -> float:
    m = y.shape[1]
    if output == "softmax":
        return float(-np.sum(y * np.log(a)) / m)
    return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / m)


def forward_steps(model: Mapping[str, Any]) -> list[Step]:
    """The post's forward pass and cost as named steps, each computed from the ones before."""
    if model["network"] == "logistic":
        return [("Z", lambda e: e["w"].T @ e["X"] + e["b"]),
                ("A", lambda e: expit(e["Z"])),
                ("J", lambda e: cross_entropy(e["A"], e["Y"], "sigmoid"))]
    g = HIDDEN[model["hidden"]]
    out = softmax_of_columns if model["output"] == "softmax" else expit

    def cost(e: Mapping[str, Any]) -> float:
        j = cross_entropy(e["A2"], e["Y"], model["output"])
        if model["l2"]:
            m = e["Y"].shape[1]
            j += LAMBDA / (2 * m) * float(np.sum(e["W1"] ** 2) + np.sum(e["W2"] ** 2))
        return j

    return [("Z1", lambda e: e["W1"] @ e["X"] + e["b1"]),
            ("A1", lambda e: g(e["Z1"])),
            ("Z2", lambda e: e["W2"] @ e["A1"] + e["b2"]),
            ("A2", lambda e: out(e["Z2"])),
            ("J", cost)]


def run(steps: list[Step], inputs: Mapping[str, np.ndarray],
        nudge: tuple[str, np.ndarray] | None = None) -> dict[str, Any]:
    """Every quantity of the forward pass; ``nudge = (name, delta)`` adds delta to that one."""
    env: dict[str, Any] = dict(inputs)
    if nudge is not None and nudge[0] in env:
        env[nudge[0]] = env[nudge[0]] + nudge[1]
    for name, compute in steps:
        env[name] = compute(env)
        if nudge is not None and name == nudge[0]:
            env[name] = env[name] + nudge[1]
    return env


def central_difference(steps: list[Step], inputs: Mapping[str, np.ndarray], name: str,
                       shape: tuple[int, ...]) -> np.ndarray:
    """dJ/d(name), entry by entry."""
    gradient = np.zeros(shape)
    for index in np.ndindex(*shape):
        delta = np.zeros(shape)
        delta[index] = STEP
        plus = run(steps, inputs, (name, delta))["J"]
        minus = run(steps, inputs, (name, -delta))["J"]
        gradient[index] = (plus - minus) / (2 * STEP)
    return gradient


def is_per_example(gradient: str) -> bool:
    """The course's convention: dZ and dA (of an activation or a pre-activation) are m dJ/dZ,
    while dW, db, dw (of a parameter) are dJ/dW."""
    return gradient[1] in "ZA"


# --------------------------------------------------------------------------------------------
# Random sizes, data and parameters; the true gradients


def shapes_of(pair: Mapping[str, Any]) -> dict[str, list[str]]:
    declared: dict[str, list[str]] = pair["declared_shapes"]
    return declared if declared else pair["cli_shapes"]


def random_sizes(pair: Mapping[str, Any]) -> list[tuple[tuple[str, tuple[int, ...]], ...]]:
    """Several size assignments for the pair's shapes: each symbolic dimension a different size
    from 2 to 7, so that a product that is not defined fails and no transpose fits by chance."""
    shapes = shapes_of(pair)
    symbols = sorted({dim for dims in shapes.values() for dim in dims if not dim.isdigit()})
    rng = np.random.default_rng(zlib.crc32(pair["id"].encode()))
    assignments = []
    for _ in range(SIZES_PER_PAIR):
        size = dict(zip(symbols, rng.choice(np.arange(2, 8), len(symbols), replace=False),
                        strict=True))
        assignments.append(tuple(sorted(
            (NUMPY_NAME[name], tuple(int(dim) if dim.isdigit() else int(size[dim])
                                     for dim in dims))
            for name, dims in shapes.items())))
    return assignments


def model_key(model: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(model.items()))


@functools.cache
def truth(model: tuple[tuple[str, Any], ...], shapes: tuple[tuple[str, tuple[int, ...]], ...],
          seed: int) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Random inputs of these shapes, every quantity of the forward pass, and the course-
    convention gradient of J with respect to each parameter and each intermediate quantity."""
    spec = dict(model)
    rng = np.random.default_rng(seed)
    inputs: dict[str, np.ndarray] = {}
    for name, shape in shapes:
        if name == "Y":
            if spec.get("output") == "softmax":
                classes = rng.integers(0, shape[0], size=shape[1])
                inputs[name] = np.eye(shape[0])[:, classes]
            else:
                inputs[name] = rng.integers(0, 2, size=shape).astype(float)
        elif name == "X":
            inputs[name] = rng.normal(size=shape)
        else:
            inputs[name] = rng.normal(scale=0.6, size=shape)
    steps = forward_steps(spec)
    values = run(steps, inputs)
    m = inputs["Y"].shape[1]
    gradients = {}
    for name, value in values.items():
        if name in ("J", "X", "Y"):
            continue
        course = "d" + name
        scale = m if is_per_example(course) else 1
        gradients[course] = scale * central_difference(steps, inputs, name, np.shape(value))
    return values, gradients


def evaluate(code: str, values: Mapping[str, Any], gradients: Mapping[str, np.ndarray]) -> Any:
    """A transcribed right-hand side, with every name bound to its true value (each backward
    line is judged on its own) and elementwise operations that never broadcast."""
    m = values["Y"].shape[1]
    names: dict[str, Any] = {"np": np, "m": m, "lam": LAMBDA}
    names.update({name: strict(value) for name, value in values.items() if name != "J"})
    names.update({name: strict(value) for name, value in gradients.items()})
    return eval(code, {"__builtins__": {}}, names)  # the manifest's own transcriptions


def relative_error(claimed: Any, true: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(claimed) - true)) / max(1.0, np.max(np.abs(true))))


def cases(pair: Mapping[str, Any]) -> list[tuple[dict[str, Any], dict[str, np.ndarray]]]:
    model = model_key(pair["model"])
    return [truth(model, shapes, seed) for seed, shapes in enumerate(random_sizes(pair))]


# --------------------------------------------------------------------------------------------
# The manifest and the files


def lines(path: str) -> list[str]:
    return (CORPUS / path).read_text(encoding="utf-8").split("\n")


BACKWARD_LINE = re.compile(r"^\s*(d[A-Za-z](?:\^\{\[\d\]\})?)\s*&?=")


def test_corpus_has_16_pairs_or_more_about_half_in_japanese() -> None:
    assert len(PAIRS) >= 16
    assert len(set(IDS)) == len(IDS)
    languages = [pair["language"] for pair in PAIRS]
    assert set(languages) == {"en", "ja"}
    assert abs(languages.count("en") - languages.count("ja")) <= 2
    for pair in PAIRS:
        assert pair["id"].startswith(pair["language"] + "/")


def test_corpus_covers_the_slips_models_and_spellings_of_the_issue() -> None:
    classes = {pair["slip_class"] for pair in PAIRS}
    assert classes >= {"missing-transpose", "missing-1/m", "wrong-axis", "matmul-for-elementwise",
                       "wrong-derivative", "sign", "missing-g-prime", "l2-missing-1/m",
                       "l2-missing-lambda"}
    kinds = [pair["slip_kind"] for pair in PAIRS]
    assert set(kinds) == {"shape", "value"}
    assert min(kinds.count("shape"), kinds.count("value")) >= 6
    models = {(p["model"]["network"], p["model"].get("hidden"), p["model"].get("output"),
               p["model"].get("l2")) for p in PAIRS}
    hidden = {model[1] for model in models}
    assert hidden >= {"tanh", "relu", "leaky-relu", "sigmoid"}
    assert any(model[2] == "softmax" for model in models)
    assert any(model[3] for model in models)
    assert any(model[0] == "logistic" for model in models)
    spellings = {pair["shape_spelling"] for pair in PAIRS}
    assert spellings >= {"in-mathbb", "shape-code", "colon-times", "prose-tuple", "none"}
    assert sum(pair["expected_without_shapes"] == "undecided" for pair in PAIRS) >= 2


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_twin_differs_from_its_post_on_the_slip_line_only(pair: dict[str, Any]) -> None:
    correct, slipped = lines(pair["correct"]), lines(pair["slip"])
    assert len(correct) == len(slipped)
    changed = [number for number, (a, b) in enumerate(zip(correct, slipped, strict=True), 1)
               if a != b]
    assert changed == [pair["slip_line"]]


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_every_backward_formula_of_the_post_is_listed_on_its_line(pair: dict[str, Any]) -> None:
    text = lines(pair["correct"])
    found = {number: match.group(1) for number, line in enumerate(text, 1)
             if (match := BACKWARD_LINE.match(line))}
    listed = {claim["line"]: claim["lhs"] for claim in pair["claims"]}
    assert found == listed
    for claim in pair["claims"]:
        assert claim["gradient"].replace("1", "^{[1]}").replace("2", "^{[2]}") == claim["lhs"]
    slip_claim = [claim for claim in pair["claims"] if claim["line"] == pair["slip_line"]]
    assert [claim["gradient"] for claim in slip_claim] == [pair["slip_gradient"]]
    twin_line = lines(pair["slip"])[pair["slip_line"] - 1]
    match = BACKWARD_LINE.match(twin_line)
    assert match is not None and match.group(1) == slip_claim[0]["lhs"]


def declaration_pattern(spelling: str, name: str, dims: list[str]) -> str:
    n, d = re.escape(name), [re.escape(dim) for dim in dims]
    if spelling == "in-mathbb":
        space = r"\\mathbb\{R\}(?!\^)" if not dims else \
            r"\\mathbb\{R\}\^\{" + r"\s*\\times\s*".join(d) + r"\}"
        return r"(?<![\w{])" + n + r"\s*&?\\in\s*" + space
    if spelling == "shape-code":
        return n + r"\.shape = \(" + ", ".join(d) + r"\)"
    if spelling == "colon-times":
        return n + r" : " + r" \\times ".join(d)
    if spelling == "prose-tuple":
        return r"\$" + n + r"\$ (?:の形状)?は \$\(" + ", ".join(d) + r"\)\$"
    raise AssertionError(f"unknown spelling {spelling}")


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_the_declared_shapes_are_the_posts_own(pair: dict[str, Any]) -> None:
    text = (CORPUS / pair["correct"]).read_text(encoding="utf-8")
    if pair["shape_spelling"] == "none":
        assert pair["declared_shapes"] == {}
        assert pair["expected_without_shapes"] == "undecided"
        assert pair["cli_shapes"]
        assert not re.search(r"\\mathbb\{R\}|\.shape|\\times|\(n_|n_h|n_x", text)
        return
    assert pair["expected_without_shapes"] == "decided"
    for name, dims in pair["declared_shapes"].items():
        pattern = declaration_pattern(pair["shape_spelling"], name, dims)
        assert len(re.findall(pattern, text)) == 1, (name, pattern)


def latex_features(latex: str) -> tuple[int, int, bool, str | None]:
    """What a transcription must keep: 1/m factors, transposes, lambda, the summation axis."""
    rhs = latex.split("=", 1)[1]
    per_m = rhs.count(r"\frac{1}{m}") + rhs.count(r"\frac{\lambda}{m}")
    transposes = len(re.findall(r"\]T\}|\^T|\^\{\\top\}|\]\\top\}", rhs))
    axis = re.search(r"axis\}?=(\d)", rhs)
    summed = axis.group(1) if axis else None
    if re.search(r"\\sum_\{i=1\}\^\{m\}\s*dZ\^\{\[", rhs):  # columns dZ^{[l](i)}: over axis 1
        summed = "1"
    elif r"\sum_{i=1}^{m}" in rhs:  # numbers dz^{(i)}: all of them
        summed = "all"
    return per_m, transposes, r"\lambda" in rhs, summed


def numpy_features(code: str) -> tuple[int, int, bool, str | None]:
    axis = re.search(r"axis=(\d)", code)
    summed = axis.group(1) if axis else ("all" if "np.sum(" in code else None)
    return code.count("/m)"), code.count(".T"), "lam" in code, summed


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_each_transcription_keeps_its_lines_factors_transposes_and_axis(
        pair: dict[str, Any]) -> None:
    text = lines(pair["correct"])
    for claim in pair["claims"]:
        assert numpy_features(claim["numpy"]) == latex_features(text[claim["line"] - 1]), claim
    twin_line = lines(pair["slip"])[pair["slip_line"] - 1]
    assert numpy_features(pair["slip_numpy"]) == latex_features(twin_line)


# --------------------------------------------------------------------------------------------
# The mathematics


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_every_backward_formula_of_the_correct_post_agrees_with_central_differences(
        pair: dict[str, Any]) -> None:
    for values, gradients in cases(pair):
        for claim in pair["claims"]:
            true = gradients[claim["gradient"]]
            claimed = evaluate(claim["numpy"], values, gradients)
            assert np.shape(claimed) == true.shape, claim
            assert relative_error(claimed, true) < AGREE, claim


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_the_planted_slip_is_wrong_as_the_manifest_says(pair: dict[str, Any]) -> None:
    correct = [c["numpy"] for c in pair["claims"] if c["gradient"] == pair["slip_gradient"]]
    assert pair["slip_numpy"] not in correct
    for values, gradients in cases(pair):
        true = gradients[pair["slip_gradient"]]
        if pair["slip_kind"] == "shape":
            try:
                slipped = evaluate(pair["slip_numpy"], values, gradients)
            except ShapeError:
                continue
            assert np.shape(slipped) != true.shape
        else:
            slipped = evaluate(pair["slip_numpy"], values, gradients)
            assert np.shape(slipped) == true.shape
            assert relative_error(slipped, true) > DISAGREE


def test_the_course_convention_is_m_times_the_gradient_for_dz_and_the_gradient_for_dw() -> None:
    pair = next(p for p in PAIRS if p["id"] == "en/two_layer_tanh")
    values, gradients = cases(pair)[0]
    m = values["Y"].shape[1]
    steps = forward_steps(pair["model"])
    inputs = {name: values[name] for name in ("X", "Y", "W1", "b1", "W2", "b2")}
    dj_dz2 = central_difference(steps, inputs, "Z2", values["Z2"].shape)
    dj_dw2 = central_difference(steps, inputs, "W2", values["W2"].shape)
    assert relative_error(values["A2"] - values["Y"], m * dj_dz2) < AGREE
    assert relative_error(values["A2"] - values["Y"], dj_dz2) > DISAGREE
    assert relative_error(dj_dz2 @ values["A1"].T, dj_dw2) < AGREE  # the 1/m hides in dJ/dZ
    assert relative_error(m * dj_dz2 @ values["A1"].T, dj_dw2) > DISAGREE


def test_wrong_gradients_fail_the_central_difference_comparison() -> None:
    pair = next(p for p in PAIRS if p["id"] == "en/relu_hidden")
    for values, gradients in cases(pair):
        for code, gradient in [("(1/m) * dZ1 @ X.T + 1e-4", "dW1"),
                               ("(1/m) * np.sum(dZ2, axis=1, keepdims=True) * 1.001", "db2")]:
            claimed = evaluate(code, values, gradients)
            assert relative_error(claimed, gradients[gradient]) > AGREE


def test_elementwise_operations_on_strict_arrays_never_broadcast() -> None:
    column, matrix = strict(np.ones((3, 1))), strict(np.ones((3, 4)))
    with pytest.raises(ShapeError):
        _ = column * matrix
    with pytest.raises(ShapeError):
        _ = matrix @ matrix
    assert (2 * matrix - 1).shape == (3, 4)
    assert np.sum(matrix, axis=1, keepdims=True).shape == (3, 1)
    assert (matrix * np.where(matrix > 0, 1.0, 0.01)).shape == (3, 4)
