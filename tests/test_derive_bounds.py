"""Every input to ``derive --expr``/``--chain`` ends quickly: contradictory assumptions are
refused by name, and the work is bounded by what it costs (the derivative's size, the
nodes written over all steps, what is factored, a time budget), each bound tested at its
worst case: just inside it is derived, just past it is refused by name."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sympy as sp
from typer.testing import CliRunner

from probkit.errors import InputError
from probkit.symbolic import derive_chain, derive_expression, engine, expression, rewrite
from probkit.symbolic.user_input import parse_assumptions, tree_size
from probkit_cli.app import app

runner = CliRunner()


def sines(n: int) -> str:
    return "+".join(f"sin({k}*x)" for k in range(1, n + 1))


def tanhs(n: int) -> str:
    return "*".join(f"tanh({k}*x)" for k in range(1, n + 1))


# ---------------------------------------------------------------- assumptions

CONTRADICTIONS = [
    (["x>0", "x<0"], "'x>0' and 'x<0'", "positive and negative"),
    (["positive", "negative"], "'positive' and 'negative'", "positive and negative"),
    (["x positive", "x<=0"], "'x positive' and 'x<=0'", "positive and nonpositive"),
    (["positive", "x<0"], "'positive' and 'x<0'", "positive and negative"),
    (["x>=0", "x!=0", "x<0"], "'x>=0' and 'x<0'", "nonnegative and negative"),
]


@pytest.mark.parametrize(("assume", "named", "why"), CONTRADICTIONS)
def test_contradictory_assumptions_are_refused_by_name(assume, named, why) -> None:
    with pytest.raises(InputError) as caught:
        parse_assumptions(assume)
    assert named in str(caught.value) and why in str(caught.value)


def test_assumptions_leaving_only_zero_are_refused() -> None:
    with pytest.raises(InputError, match="'x>=0' and 'x<=0' leave x only the value 0"):
        parse_assumptions(["x>=0", "x<=0"])
    with pytest.raises(InputError, match="leave x only the value 0"):
        parse_assumptions(["nonpositive", "x>=0"])


@pytest.mark.parametrize("assume", [["x>0", "x!=0"], ["positive", "x real"],
                                    ["nonnegative", "x nonzero"], ["nonnegative", "x>0"]])
def test_assumptions_that_can_hold_together_are_kept(assume) -> None:
    derivation = derive_expression("x**2", assume=assume)
    assert derivation.verified


@pytest.mark.parametrize("how", ["expr", "chain"])
@pytest.mark.parametrize(("assume", "named", "why"), CONTRADICTIONS[:2])
def test_the_command_line_refuses_them_in_one_line(how, assume, named, why) -> None:
    """It used to print a 91-line SymPy traceback."""
    own = ["--expr", "x"] if how == "expr" else ["--chain", "y = x**2"]
    result = runner.invoke(app, ["derive", *own, *[f"--assume={a}" for a in assume]])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: --assume: {named} contradict each other (no " + (
        "x" if "x" in assume[0] else "symbol") + f" is both {why})\n"


# ---------------------------------------------------------------- cost bombs

@pytest.mark.parametrize(("args", "bound"), [
    (["--expr", sines(99)], "would write more than 25,000 nodes"),
    (["--expr", tanhs(79)], "too large to derive step by step (more than 2,000 nodes)"),
    (["--chain", "q0 = x*sin(x) + cos(x)",
      *[f"--chain=q{i + 1} = q{i}*sin(q{i}) + cos(q{i})" for i in range(29)]],
     "written out is too large"),
])
def test_the_cost_bombs_are_refused_quickly_by_name(args, bound) -> None:
    """Each ran for more than 300 s of CPU; the timeout only guards against a hang."""
    done = subprocess.run([sys.executable, "-m", "probkit", "derive", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr.startswith("error: --") and bound in done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_written_nodes_bound_at_its_worst_case() -> None:
    """The largest sum of sines inside the bound is derived and verified; one more term
    is refused. The bound counts what is written, so the refusal comes at once."""
    inside = 40  # writes 22,481 nodes
    assert _written(sines(inside)) <= engine.MAX_WRITTEN_NODES
    while _written(sines(inside + 1)) <= engine.MAX_WRITTEN_NODES:
        inside += 1
    derivation = derive_expression(sines(inside))
    assert derivation.verified and len(derivation.steps) == 2 * inside + 1
    with pytest.raises(InputError, match="would write more than 25,000 nodes"):
        derive_expression(sines(inside + 1))


def _written(text: str) -> int:
    """Nodes a derivation of ``text`` writes, measured with the bound lifted."""
    from probkit.symbolic.domain_verifier import Domain
    from probkit.symbolic.user_input import parse_expression

    expr = parse_expression(text).expr
    (x,) = expr.free_symbols
    steps, _ = engine.differentiate(expr, x, Domain((x,), (expr,)),
                                    engine.Budget(nodes=10**9))
    return sum(tree_size(step.after) for step in steps)


def test_derivative_size_bound_at_its_worst_case(monkeypatch) -> None:
    x = sp.Symbol("x", real=True)
    size = tree_size(sp.diff(sp.sympify(tanhs(6), locals={"x": x}), x))
    monkeypatch.setattr(expression, "MAX_DERIVATIVE_NODES", size)
    assert derive_expression(tanhs(6)).verified
    monkeypatch.setattr(expression, "MAX_DERIVATIVE_NODES", size - 1)
    with pytest.raises(InputError, match=f"more than {size - 1:,} nodes"):
        derive_expression(tanhs(6))


def test_rewriting_bound_at_its_worst_case() -> None:
    """Factoring is tried up to 12 distinct functions of x and not beyond (a sum of 40 sines
    took 4 s to factor, 99 far over 5 minutes); the result is verified either way."""
    x = sp.Symbol("x", real=True)
    at_bound = sp.Add(*(k * sp.cos(k * x) for k in range(1, rewrite.MAX_REWRITE_GENERATORS + 1)))
    past = at_bound + 13 * sp.cos(13 * x)
    assert rewrite.worth_rewriting(at_bound) and not rewrite.worth_rewriting(past)
    assert sp.simplify(rewrite.tidy(at_bound) - at_bound) == 0
    assert rewrite.tidy(past) == past  # left as it is
    assert derive_expression(sines(rewrite.MAX_REWRITE_GENERATORS)).verified
    assert derive_expression(sines(rewrite.MAX_REWRITE_GENERATORS + 1)).verified


def test_time_budget_gives_up_by_name(monkeypatch) -> None:
    monkeypatch.setattr(engine, "TIME_BUDGET", 0.0)
    with pytest.raises(InputError, match="time budget of 0 s"):
        derive_expression("sin(x)*cos(x)")
    with pytest.raises(InputError, match="^definitions: the derivation took more than"):
        derive_chain(["y = sin(u)", "u = x**2"])


def test_a_chain_that_doubles_at_every_level_is_refused_at_the_level_it_grows_too_large(
) -> None:
    chain = ["q0 = x*sin(x) + cos(x)", *[f"q{i + 1} = q{i}*sin(q{i}) + cos(q{i})"
                                        for i in range(4)]]
    assert derive_chain(chain).verified
    with pytest.raises(InputError, match="written out is too large"):
        derive_chain([*chain, "q5 = q4*sin(q4) + cos(q4)"])
