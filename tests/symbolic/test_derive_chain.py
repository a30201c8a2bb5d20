"""``derive_chain`` and ``probkit derive --expr/--chain`` through CliRunner."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import sympy as sp
from typer.testing import CliRunner

from probkit.errors import InputError
from probkit.symbolic import derive_chain
from probkit.symbolic.printing import to_text
from probkit_cli.app import app

runner = CliRunner()

CROSS_ENTROPY = ["L = -(y*log(a) + (1-y)*log(1-a))", "a = 1/(1+exp(-z))", "z = w*x + b"]


def _rows(derivation):  # type: ignore[no-untyped-def]
    return {str(r.before.variables[0]): to_text(r.after) for r in derivation.results}


def test_cross_entropy_backpropagation_in_the_chains_own_names() -> None:
    derivation = derive_chain(CROSS_ENTROPY, wrt=["w", "b"])
    assert derivation.verified
    assert _rows(derivation) == {"w": "x*(a - y)", "b": "a - y"}
    rules = [s.rule for s in derivation.steps]
    for local in ("local derivative dL/da", "local derivative da/dz", "local derivative dz/dw",
                  "local derivative dz/db"):
        assert local in rules
    assert rules.count("chain rule") == 2 and rules.count("simplify") >= 2
    da_dz = next(s for s in derivation.steps if s.rule == "local derivative da/dz")
    assert to_text(da_dz.after) == "a*(1 - a)"
    chain = next(s for s in derivation.steps if s.rule == "chain rule")
    assert to_text(chain.after) == "Derivative(L, a)*Derivative(a, z)*Derivative(z, w)"


def test_names_in_any_order_give_the_same_result() -> None:
    shuffled = list(reversed(CROSS_ENTROPY))
    assert _rows(derive_chain(shuffled, wrt=["w", "b"])) == {"w": "x*(a - y)", "b": "a - y"}


def test_an_intermediate_used_twice_sums_over_paths() -> None:
    derivation = derive_chain(["L = h**2 + 3*h*u", "h = tanh(z)", "u = z**2", "z = w*x"],
                              wrt=["w"])
    assert derivation.verified
    chain = next(s for s in derivation.steps if s.rule == "chain rule")
    assert "2 paths" in chain.explanation
    # independent oracle: SymPy's diff of the written-out L at random points
    w, x = sp.symbols("w x", real=True)
    z = w * x
    written_out = sp.tanh(z) ** 2 + 3 * sp.tanh(z) * z**2
    want = sp.diff(written_out, w)
    result = derivation.results[0].after
    rng = random.Random(7)
    for _ in range(3):
        point = {w: rng.uniform(-1, 1), x: rng.uniform(-1, 1)}
        names = {s: s for s in result.free_symbols}
        by_name = {s.name: s for s in names}
        values = {by_name["w"]: point[w], by_name["x"]: point[x]} if "w" in by_name else {}
        if "x" in by_name:
            values[by_name["x"]] = point[x]
        zz = point[w] * point[x]
        for name, value in (("z", zz), ("h", sp.tanh(zz)), ("u", zz**2)):
            if name in by_name:
                values[by_name[name]] = value
        assert abs(float(result.subs(values)) - float(want.subs(point))) < 1e-12


def test_several_inputs_and_an_intermediate_target() -> None:
    derivation = derive_chain(CROSS_ENTROPY, wrt=["z", "x"])
    assert derivation.verified
    assert _rows(derivation) == {"z": "a - y", "x": "w*(a - y)"}


@pytest.mark.parametrize(("chain", "wrt", "message"), [
    (["a = b + 1", "b = a*2", "L = a"], ["a"], "cycle: "),
    (["L = a", "a = 1", "a = 2"], [], "a is defined twice"),
    (["L = z**2", "z = w*x"], ["q"], "'q' is not defined or used in the chain"),
    (["L = z**2", "M = z", "z = w"], ["w"], "several outputs (L, M)"),
    (["L = a(1 + x)", "a = x"], ["x"], "a is a quantity of the chain, not a function"),
    (["L = z**2", "z = w*x"], [], "several inputs (w, x)"),
    (["L z**2"], [], "cannot read"),
    (["exp = x"], [], "names a function or constant"),
    (["L = z", "z = integrate(w, w)"], ["w"], "integrals are out of scope"),
    (["L = z**2", "z = w*x"], ["L"], "is the output"),
    (["L = a**2", "a = 3"], [], "the chain has no inputs"),
    (["L = z**2", "z = w*x", "q = w"], ["w"], "several outputs (L, q)"),
])
def test_bad_chains_are_refused_by_name(chain: list[str], wrt: list[str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        derive_chain(chain, wrt=wrt)
    assert message in str(caught.value), str(caught.value)


def test_self_reference_is_a_cycle() -> None:
    with pytest.raises(InputError, match=r"cycle: a -> a"):
        derive_chain(["L = a", "a = a + x"], wrt=["x"])


# --- the command line ------------------------------------------------------------------

def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["derive", *args])


@pytest.mark.parametrize("fmt", ["text", "latex", "markdown", "json"])
def test_expr_in_every_format(fmt: str) -> None:
    result = invoke("--expr", "1/(1+exp(-a*x))", "--wrt", "x", "--assume", "a>0",
                    "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "text":
        assert "a·f(x)·(1 − f(x))" in out and "✗" not in out and out.rstrip().endswith("verified.")
    elif fmt == "latex":
        assert r"\begin{align*}" in out and "chain rule (exp)" in out
    elif fmt == "markdown":
        assert out.startswith("---\n") and "math: true" in out and "\n$$\n" in out
    else:
        payload = json.loads(out)
        assert payload["verified"] and payload["result"][0]["rhs"] == "a*f(x)*(1 - f(x))"
        assert {s["name"] for s in payload["symbols"]} >= {"a", "x", "f"}


def test_chain_as_json_and_to_a_file(tmp_path: Path) -> None:
    args = [arg for line in CROSS_ENTROPY for arg in ("--chain", line)]
    result = invoke(*args, "--wrt", "w", "--wrt", "b", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [r["rhs"] for r in payload["result"]] == ["x*(a - y)", "a - y"]
    target = tmp_path / "ce.md"
    result = invoke(*args, "--wrt", "w", "--format", "markdown", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "wrote" in result.stderr
    assert "math: true" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ce.md"]


@pytest.mark.parametrize("args", [
    ["--expr", "integrate(x, x)"],
    ["--expr", "a*x"],
    ["--expr", "x", "--assume", "x>1"],
    ["--expr", "x", "--chain", "L = x"],
    ["sigmoid", "--expr", "x"],
    ["sigmoid", "--wrt", "x"],
    ["--expr", "x**2", "--gradcheck"],
    ["--chain", "L = a", "--chain", "a = L"],
    ["--chain", "L = a", "--chain", "L = b"],
])
def test_bad_input_is_one_error_line_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, (args, result.output)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
