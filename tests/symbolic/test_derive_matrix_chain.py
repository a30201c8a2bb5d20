"""``derive --chain`` with matrices (probkit.symbolic.matrix_chain): vectorized backpropagation
in the course's names, every step checked on shapes and on values."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from probkit.errors import InputError
from probkit.symbolic import derive_matrix_chain
from probkit.symbolic.matrix_chain import check_gradient_formula
from probkit.symbolic.render import render
from probkit_cli.app import app

TWO_LAYER = ["Z1 = W1 @ X + b1", "A1 = tanh(Z1)", "Z2 = W2 @ A1 + b2", "A2 = sigmoid(Z2)",
             "J = -(1/m) * sum(Y*log(A2) + (1-Y)*log(1-A2))"]
SHAPES = ["X=n_x,m", "W1=n_h,n_x", "b1=n_h,1", "W2=1,n_h", "b2=1,1", "Y=1,m"]
PARAMS = ["W1", "b1", "W2", "b2"]


@pytest.fixture(scope="module")
def two_layer():  # type: ignore[no-untyped-def]
    return derive_matrix_chain(TWO_LAYER, wrt=PARAMS, shapes=SHAPES)


def _final(derivation, name: str) -> str:  # type: ignore[no-untyped-def]
    """The last form derived for d<name>."""
    form = None
    for step in derivation.steps:
        if str(step.before) == f"d{name}":
            form = str(step.after)
        elif form is not None and str(step.before) == form:
            form = str(step.after)
    assert form is not None
    return form


def test_the_two_layer_network_in_the_courses_form(two_layer) -> None:  # type: ignore[no-untyped-def]
    assert two_layer.verified
    results = {str(r.before): str(r.after) for r in two_layer.results}
    assert results == {"dW1": "(1/m)*(dZ1 @ X.T)", "db1": "(1/m)*sum(dZ1, axis=1)",
                       "dW2": "(1/m)*(dZ2 @ A1.T)", "db2": "(1/m)*sum(dZ2, axis=1)"}
    assert _final(two_layer, "Z2") == "A2 - Y"
    assert _final(two_layer, "Z1") == "(W2.T @ dZ2)*(1 - A1**2)"
    assert _final(two_layer, "A1") == "W2.T @ dZ2"


def test_the_convention_is_stated(two_layer) -> None:  # type: ignore[no-untyped-def]
    text = render([two_layer], "text")
    assert "dZ2 is m dJ/dZ2" in text and "dW1 is dJ/dW1 itself" in text
    assert "dZ2 = m·∂J/∂Z2" in text and "dW1 = ∂J/∂W1" in text


def test_every_step_is_checked_on_shapes_and_values(two_layer) -> None:  # type: ignore[no-untyped-def]
    for step in two_layer.steps:
        assert step.check.method == "shapes and values" and step.check.passed
        assert "random sizes" in step.check.detail and "shape of" in step.check.detail
    text = render([two_layer], "text")
    assert "dZ2 @ A1.T: (1, m) @ (m, n_h) → (1, n_h)" in text
    assert "3 random sizes (" in text and "seed 0" in text


def test_latex_writes_transposes_one_way(two_layer) -> None:  # type: ignore[no-untyped-def]
    latex = render([two_layer], "latex")
    assert r"dW^{[2]} &= \frac{1}{m} dZ^{[2]} A^{[1]\top}" in latex
    assert r"W^{[2]\top} dZ^{[2]}" in latex and r"X^{\top}" in latex
    assert r"\circ" in latex and r"dZ^{[1]} \mathbf{1}" in latex
    assert "^{T}" not in latex and "A^{[1]T}" not in latex


def test_json_and_markdown(two_layer) -> None:  # type: ignore[no-untyped-def]
    payload = json.loads(render([two_layer], "json"))
    assert payload["verified"] and payload["checks"]["steps_passed"] == len(two_layer.steps)
    shapes = {s["name"]: s["shape"] for s in payload["symbols"] if s["kind"] == "matrix"}
    assert shapes["W1"] == ["n_h", "n_x"] and shapes["dZ1"] == ["n_h", "m"]
    markdown = render([two_layer], "markdown")
    assert markdown.startswith("---\n") and r"A^{[1]\top}" in markdown


def test_relu_with_l2_on_the_weights() -> None:
    chain = ["Z1 = W1 @ X + b1", "A1 = relu(Z1)", "Z2 = W2 @ A1 + b2", "A2 = sigmoid(Z2)",
             "J = -(1/m) * sum(Y*log(A2) + (1-Y)*log(1-A2))"
             " + (lambd/(2*m)) * (sum(W1**2) + sum(W2**2))"]
    derivation = derive_matrix_chain(chain, wrt=PARAMS, shapes=[*SHAPES, "lambd=1,1"])
    assert derivation.verified
    results = {str(r.before): str(r.after) for r in derivation.results}
    assert results["dW1"] == "(1/m)*(dZ1 @ X.T) + (lambd/m)*W1"
    assert results["db1"] == "(1/m)*sum(dZ1, axis=1)"
    assert _final(derivation, "Z1") == "(W2.T @ dZ2)*(Z1 > 0)"
    assert r"\frac{\lambda}{m} W^{[1]}" in render([derivation], "latex")


def test_softmax_output_with_leaky_relu() -> None:
    chain = ["Z1 = W1 @ X + b1", "A1 = leaky_relu(Z1, 0.1)", "Z2 = W2 @ A1 + b2",
             "A2 = softmax(Z2)", "J = -(1/m) * sum(Y*log(A2))"]
    shapes = ["X=n_x,m", "W1=n_h,n_x", "b1=n_h,1", "W2=n_y,n_h", "b2=n_y,1", "Y=n_y,m"]
    derivation = derive_matrix_chain(chain, wrt=PARAMS, shapes=shapes)
    assert derivation.verified
    assert _final(derivation, "Z2") == "A2 - Y"
    assert any("columns of the labels sum to 1" in str(s.rule) for s in derivation.steps)
    assert _final(derivation, "Z1") == "(W2.T @ dZ2)*where(Z1 > 0, 1, 0.1)"


def test_three_layers() -> None:
    chain = ["Z1 = W1 @ X + b1", "A1 = relu(Z1)", "Z2 = W2 @ A1 + b2", "A2 = tanh(Z2)",
             "Z3 = W3 @ A2 + b3", "A3 = sigmoid(Z3)",
             "J = -(1/m) * sum(Y*log(A3) + (1-Y)*log(1-A3))"]
    shapes = ["X=n_x,m", "W1=n_1,n_x", "b1=n_1,1", "W2=n_2,n_1", "b2=n_2,1", "W3=1,n_2",
              "b3=1,1", "Y=1,m"]
    derivation = derive_matrix_chain(chain, wrt=["W1", "b1", "W2", "b2", "W3", "b3"],
                                     shapes=shapes, seed=5)
    assert derivation.verified and len(derivation.results) == 6
    assert _final(derivation, "Z2") == "(W3.T @ dZ3)*(1 - A2**2)"
    assert _final(derivation, "Z1") == "(W2.T @ dZ2)*(Z1 > 0)"


@pytest.mark.parametrize(("name", "formula", "why"), [
    ("W1", "dZ1 @ X.T", "values"),                      # the 1/m missing
    ("W1", "(1/m) * dZ1 @ X", "not defined"),           # a missing .T
    ("b1", "(1/m) * sum(dZ1, axis=0)", "(1, m)"),       # the sum over the wrong axis
    ("Z1", "(W2.T @ dZ2) * (1 - A1)", "values"),        # tanh's derivative wrong
    ("Z2", "Y - A2", "values"),                         # the sign
    ("Z2", "(1/m) * (A2 - Y)", "values"),               # dZ2 taken as dJ/dZ2: the convention
    ("W2", "(1/m) * dZ2 * A1", "but W2 is (1, n_h)"),    # elementwise where @ belongs
])
def test_a_wrong_formula_fails_its_check(name: str, formula: str, why: str) -> None:
    check = check_gradient_formula(TWO_LAYER, SHAPES, name, formula)
    assert not check.passed
    assert why in check.detail


@pytest.mark.parametrize(("name", "formula"), [
    ("W1", "(1/m) * dZ1 @ X.T"), ("b1", "(1/m) * np.sum(dZ1, axis=1, keepdims=True)"),
    ("Z1", "np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))"), ("Z2", "A2 - Y"),
    ("W2", "(1/m) * dZ2 @ A1.T"),
])
def test_the_right_formula_passes_the_same_check(name: str, formula: str) -> None:
    check = check_gradient_formula(TWO_LAYER, SHAPES, name, formula)
    assert check.passed, check.detail


@pytest.mark.parametrize(("shapes", "chain", "message"), [
    (["X=n_x,m", "W1=n_x,n_h", "b1=n_h,1"], ["Z1 = W1 @ X + b1", "J = sum(Z1)"],
     "(n_x, n_h) @ (n_x, m): not defined"),
    (["X=n_x,m", "W1=n_h,n_x"], ["Z1 = W1 @ X + b1", "J = sum(Z1)"], "'b1' has no shape"),
    (["X=n_x"], ["Z1 = W1 @ X", "J = sum(Z1)"], "cannot read 'X=n_x'"),
    (["X=n_x,m", "W1=n_h,n_x"], ["Z1 = W1 @ X", "J = Z1"], "must be 1 × 1"),
    (["X=n_x,m", "W1=n_h,n_x", "b1=1,m"], ["Z1 = W1 @ X + b1.T", "J = sum(Z1)"],
     "do not broadcast"),
    (["X=n_x,m", "W1=n_h,n_x"], ["Z1 = W1 @ X", "J = sum(Z1, axis=1, keepdims=False)"],
     "keepdims"),
    (["X=n_x,m", "W1=n_h,n_x"], ["Z1 = W1 @ X", "J = sum(gelu(Z1))"], "gelu() with 1"),
    (["X=n_x,m", "W1=n_h,n_x"], ["Z1 = W1 @ X", "J = lambda * sum(Z1)"], "lambd"),
    (["X=n_x,m", "W1=n_h,n_x", "Z1=n_x,m"], ["Z1 = W1 @ X", "J = sum(Z1)"],
     "but --shape says"),
])
def test_bad_chains_are_refused_naming_the_problem(shapes: list[str], chain: list[str],
                                                   message: str) -> None:
    with pytest.raises(InputError) as caught:
        derive_matrix_chain(chain, wrt=["W1"], shapes=shapes)
    assert message in str(caught.value)


def test_cli_example_of_the_issue_and_usage_errors() -> None:
    runner = CliRunner()
    args = ["derive", *[a for c in TWO_LAYER for a in ("--chain", c)],
            *[a for s in SHAPES for a in ("--shape", s)],
            *[a for w in PARAMS for a in ("--wrt", w)]]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "dW2 = (1/m)*(dZ2 @ A1.T)" in result.stdout and "✗" not in result.stdout
    usage = runner.invoke(app, ["derive", "sigmoid", "--shape", "X=n,m"])
    assert usage.exit_code == 2 and "--shape goes with --chain" in usage.stderr
    shape = runner.invoke(app, ["derive", "--chain", "Z = W @ X", "--chain", "J = sum(Z)",
                                "--shape", "X=n,m", "--shape", "W=n,1", "--wrt", "W"])
    assert shape.exit_code == 2 and shape.stderr.startswith("error: --chain")


def test_large_numeric_sizes_are_refused_before_any_work() -> None:
    with pytest.raises(InputError, match="12288"):
        derive_matrix_chain(["Z = W @ X", "J = sum(Z)"], wrt=["W"],
                            shapes=["X=12288,209", "W=1,12288"])


def test_a_formula_for_a_one_by_one_bias_is_judged() -> None:
    chain = ["Z = W @ X + b", "A = sigmoid(Z)",
             "J = -(1/m) * sum(Y*log(A) + (1-Y)*log(1-A))"]
    shapes = ["X=n,m", "W=1,n", "b=1,1", "Y=1,m"]
    assert check_gradient_formula(chain, shapes, "b", "(1/m) * sum(dZ, axis=1, keepdims=True)"
                                  ).passed
    assert not check_gradient_formula(chain, shapes, "b", "sum(dZ, axis=1, keepdims=True)"
                                      ).passed


def test_an_indicator_step_is_read_in_a_formula() -> None:
    chain = ["Z1 = W1 @ X", "A1 = relu(Z1)", "Z2 = W2 @ A1", "A2 = sigmoid(Z2)",
             "J = -(1/m) * sum(Y*log(A2) + (1-Y)*log(1-A2))"]
    shapes = ["X=n,m", "W1=h,n", "W2=1,h", "Y=1,m"]
    assert check_gradient_formula(chain, shapes, "Z1", "(W2.T @ dZ2) * step(Z1)").passed
    assert not check_gradient_formula(chain, shapes, "Z1", "W2.T @ dZ2").passed


def test_softmax_input_is_not_taken_for_a_label() -> None:
    # Z feeds the softmax, so it is the logits, not one-hot labels, even with Y's shape
    chain = ["A = softmax(Z)", "J = -sum(Y*log(A))"]
    derivation = derive_matrix_chain(chain, wrt=["Z"], shapes=["Z=3,4", "Y=3,4"])
    assert derivation.verified
    assert _final(derivation, "Z") == "A - Y"
    text = render([derivation], "text")
    assert "Each column of Y is one-hot" in text
    assert "Y, Z" not in text
