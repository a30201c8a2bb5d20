"""``probkit.gradcheck`` says only what can be told: no factor read into a single wrong number,
no relative error for a gradient of the wrong shape, no gradient verdict for a random cost."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.errors import ComputationError
from probkit.gradient_check.diagnosis import Context, diagnose
from probkit.gradient_check.learner import gradcheck
from probkit_cli.app import app

Params = dict[str, np.ndarray]


def _forward(p: Params, X: np.ndarray) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-(p["W"] @ X + p["b"]))))


def _cost(p: Params, X: np.ndarray, Y: np.ndarray) -> float:
    A = _forward(p, X)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def _right(p: Params, X: np.ndarray, Y: np.ndarray) -> dict[str, np.ndarray]:
    A = _forward(p, X)
    return {"dW": (A - Y) @ X.T / X.shape[1], "db": np.mean(A - Y, axis=1, keepdims=True)}


def _problem(bias: float) -> tuple[Params, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(3, 5)), np.array([[0.0, 1, 1, 0, 1]])
    return {"W": rng.normal(size=(1, 3)), "b": np.full((1, 1), bias)}, X, Y


def _with(**changed: Callable[[np.ndarray], np.ndarray]) -> Callable[..., dict[str, Any]]:
    def gradients(p: Params, X: np.ndarray, Y: np.ndarray) -> dict[str, Any]:
        found = _right(p, X, Y)
        return {k: changed[k](v) if k in changed else v for k, v in found.items()}
    return gradients


@pytest.mark.parametrize("bias", [0.0, 0.4])
def test_a_constant_wrong_bias_gradient_gets_no_factor_or_l2_diagnosis(bias: float) -> None:
    params, X, Y = _problem(bias)
    report = gradcheck(_cost, _with(db=lambda v: np.full_like(v, 0.001)), params, X, Y)
    (failed,) = report.failed
    assert failed.name == "db"
    text = failed.diagnosis or ""
    for claim in ("L2", "factor", "multiple"):
        assert claim not in text
    assert "0.001" in text and "one entry" in text


def test_a_scalar_off_by_m_is_still_named() -> None:
    params, X, Y = _problem(0.4)
    report = gradcheck(_cost, _with(db=lambda v: 5 * v), params, X, Y)
    assert [p.name for p in report.failed] == ["db"]
    assert "factor m = 5" in (report.failed[0].diagnosis or "")


def test_no_l2_diagnosis_for_a_bias_vector_off_by_a_multiple_of_itself() -> None:
    n = np.array([[0.3], [-0.2], [0.5]])
    b = np.array([[1.0], [2.0], [-1.0]])
    assert "L2 term's factor" not in (diagnose("db1", n + 0.37 * b, n, b, Context(m=5)) or "")
    assert "L2 term's factor" in (diagnose("dW1", n + 0.37 * b, n, b, Context(m=5)) or "")


def test_no_l2_diagnosis_where_the_parameter_is_a_multiple_of_its_gradient() -> None:
    n = np.array([[0.3, -0.2, 0.5]])
    text = diagnose("dW", n + 0.37 * (2 * n), n, 2 * n, Context(m=5)) or ""
    assert "L2" not in text and "constant factor 1.74" in text


def test_a_transposed_gradient_shows_the_shape_mismatch_not_a_relative_error() -> None:
    params, X, Y = _problem(0.0)
    report = gradcheck(_cost, _with(dW=lambda v: v.T), params, X, Y)
    (failed,) = report.failed
    assert failed.name == "dW" and failed.relative_error is None
    row = next(line for line in report.to_text().splitlines() if " dW " in line)
    assert "shape (3, 1) ≠ (1, 3)" in row and "WRONG" in row and "e-" not in row
    entry = report.to_dict()["parameters"][0]
    assert entry["relative_error"] is None and entry["shape"] == [3, 1]
    assert entry["expected_shape"] == [1, 3] and "transpose" in entry["diagnosis"]
    html = report._repr_html_()
    assert "shape (3, 1) ≠ (1, 3)" in html and "e-09" not in html.split("<code>db")[0]


def test_a_random_cost_is_reported_as_not_deterministic_not_as_a_wrong_gradient() -> None:
    params, X, Y = _problem(0.0)
    noise = np.random.default_rng(1)

    def noisy(p: Params, X: np.ndarray, Y: np.ndarray) -> float:
        return _cost(p, X, Y) + float(noise.random()) * 1e-3

    with pytest.raises(ComputationError, match="not deterministic") as caught:
        gradcheck(noisy, _right, params, X, Y)
    message = str(caught.value)
    assert "for the same parameters" in message and "seed it or remove the randomness" in message
    assert "wrong" not in message


def test_a_deterministic_cost_still_passes() -> None:
    params, X, Y = _problem(0.0)
    assert gradcheck(_cost, _right, params, X, Y).passed


def test_cli_names_a_random_cost_in_one_error_line(tmp_path: Path) -> None:
    learner = tmp_path / "noisy_cost.py"
    learner.write_text(textwrap.dedent('''\
        import numpy as np

        def cost(params, X, Y):
            return float(np.sum(params["W"] ** 2)) + np.random.rand() * 1e-3

        def gradients(params, X, Y):
            return {"dW": 2 * params["W"]}
        '''))
    result = CliRunner().invoke(app, ["gradcheck", str(learner), "--shape", "W=1,3"])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: noisy_cost.py: the cost is not deterministic")
    assert "seed it or remove the randomness" in line and "WRONG" not in result.stdout
