"""``derive_chain``: backpropagation through a user's own chain of definitions.

The user names intermediate quantities (``L = -(y*log(a) + (1-y)*log(1-a))``,
``a = 1/(1+exp(-z))``, ``z = w*x + b``), in any order. They form a directed
acyclic graph whose one output (the name no other definition uses) is
differentiated by each ``wrt`` name as a textbook does:

1. each local derivative (dL/da, da/dz, dz/dw), rule by rule, written in the
   chain's own names where it can be (da/dz = a (1 - a)) and checked against
   ``sympy.diff``;
2. the chain rule: dL/dw is the sum over every path from L to w of the product
   of the local derivatives along it (an intermediate used twice gives two
   paths);
3. the local derivatives substituted, and the product simplified in the
   chain's own names (dL/dw = x (a - y));
4. the result checked against SymPy's diff of the fully substituted output.

Matrix chains (``@``, ``.T``, ``sum(E, axis=1)``, shapes by ``--shape``) are
:mod:`probkit.symbolic.matrix_chain`.

>>> derivation = derive_chain(
...     ["L = -(y*log(a) + (1-y)*log(1-a))", "a = 1/(1+exp(-z))", "z = w*x + b"],
...     wrt=["w", "b"])
>>> derivation.verified
True
>>> from probkit.symbolic.printing import to_text
>>> [f"{to_text(r.before)} = {to_text(r.after)}" for r in derivation.results]
['Derivative(L, w) = x*(a - y)', 'Derivative(L, b) = a - y']
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from probkit.errors import InputError
from probkit.symbolic.domain_verifier import Domain, check_step
from probkit.symbolic.engine import Budget
from probkit.symbolic.expression import derivatives_listed, derive_partial
from probkit.symbolic.model import Derivation, Given, Math, Prose, Step
from probkit.symbolic.printing import to_latex
from probkit.symbolic.rewrite import tidy
from probkit.symbolic.rules import prose
from probkit.symbolic.user_input import (
    CONSTANTS,
    FUNCTIONS,
    MACROS,
    MAX_NODES,
    parse_assumptions,
    parse_expression,
    tree_size,
)

MAX_DEFINITIONS = 30
"""Most definitions a chain may have."""

MAX_PATHS = 64
"""Most paths from the output to one ``wrt`` name (bounds the work of any input)."""

_DEFINITION = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*=(?!=)(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class Chain:
    """The parsed chain: each name's definition, its direct inputs, and the output."""

    definitions: dict[str, Any]
    symbols: dict[str, Any]
    inputs: dict[str, tuple[str, ...]]
    order: tuple[str, ...]
    output: str


def _split(texts: Sequence[str]) -> dict[str, str]:
    """``name = expression`` for each text; a name defined twice is an error."""
    if not texts:
        raise InputError("definitions: give definitions such as 'z = w*x + b'",
                         parameter="definitions")
    if len(texts) > MAX_DEFINITIONS:
        raise InputError(f"definitions: {len(texts)} definitions; {MAX_DEFINITIONS} at most",
                         parameter="definitions")
    found: dict[str, str] = {}
    for text in texts:
        match = _DEFINITION.match(text)
        if not match or not match.group(2).strip():
            raise InputError(f"definitions: cannot read {text!r}; write 'name = expression', "
                             "e.g. 'a = 1/(1+exp(-z))'", parameter="definitions")
        name, rhs = match.group(1), match.group(2).strip()
        if name in FUNCTIONS or name in MACROS or name in CONSTANTS or name.startswith("_"):
            raise InputError(f"definitions: {name!r} names a function or constant; choose "
                             "another name for the quantity", parameter="definitions")
        if name in found:
            raise InputError(f"definitions: {name} is defined twice ({name} = {found[name]} "
                             f"and {name} = {rhs})", parameter="definitions")
        found[name] = rhs
    return found


def _topological(inputs: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The defined names, each before the names it is computed from; a cycle is an error."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            cycle = path[path.index(name):] + [name]
            raise InputError(f"definitions: the definitions form a cycle: {' -> '.join(cycle)}",
                             parameter="definitions")
        state[name] = "open"
        for dep in inputs[name]:
            if dep in inputs:
                visit(dep, [*path, name])
        state[name] = "done"
        order.append(name)

    for name in sorted(inputs):
        visit(name, [])
    return tuple(reversed(order))


def parse_chain(texts: Sequence[str], *, assume: Sequence[str] = ()) -> Chain:
    """Read and validate the definitions: names, cycles, the single output."""
    raw = _split(texts)
    every, named = parse_assumptions(assume)
    symbols: dict[str, Any] = {
        name: sp.Symbol(name, **{"real": True, **every, **named.get(name, {})}) for name in raw
    }
    definitions: dict[str, Any] = {}
    for name, rhs in raw.items():
        parsed = parse_expression(rhs, assume=assume, where=f"definition of {name}",
                                  parameter="definitions",
                                  extra_symbols=symbols, check_assumed=False)
        for symbol in parsed.symbols.values():
            symbols.setdefault(symbol.name, symbol)
        definitions[name] = parsed.expr
    unknown = sorted(set(named) - set(symbols))
    if unknown:
        raise InputError(f"assume: {', '.join(unknown)} does not appear in the chain",
                         parameter="assume")
    inputs = {name: tuple(sorted(s.name for s in expr.free_symbols))
              for name, expr in definitions.items()}
    order = _topological(inputs)
    used = {dep for deps in inputs.values() for dep in deps}
    outputs = sorted(name for name in order if name not in used)
    if len(outputs) != 1:
        raise InputError(f"definitions: the chain has several outputs ({', '.join(outputs)}); "
                         "every name but one must be used by another definition",
                         parameter="definitions")
    return Chain(definitions, symbols, inputs, order, outputs[0])


def _substituted(chain: Chain, name: str, stop: str) -> Any:
    """``name``'s definition with every intermediate written out, except ``stop``."""
    expr = chain.definitions[name]
    for _ in range(len(chain.order)):
        replace = {chain.symbols[n]: chain.definitions[n] for n in chain.order
                   if n != stop and chain.symbols[n] in expr.free_symbols}
        if not replace:
            break
        expr = expr.xreplace(replace)
        # checked at every level: each one can double the size (a = x*sin(x), b = a*sin(a)...)
        if tree_size(expr, 4 * MAX_NODES) > 4 * MAX_NODES:
            raise InputError(f"definitions: {name} written out is too large "
                             f"(more than {4 * MAX_NODES} nodes)", parameter="definitions")
    return expr


def _paths(chain: Chain, start: str, target: str) -> list[list[str]]:
    if start == target:
        return [[target]]
    if start not in chain.inputs:
        return []
    found = []
    for dep in chain.inputs[start]:
        for rest in _paths(chain, dep, target):
            found.append([start, *rest])
            if len(found) > MAX_PATHS:
                raise InputError(f"definitions: more than {MAX_PATHS} paths lead to {target}",
                                 parameter="definitions")
    return found


def _choose_targets(chain: Chain, wrt: Sequence[str]) -> list[str]:
    leaves = sorted({d for deps in chain.inputs.values() for d in deps} - set(chain.definitions))
    if not wrt:
        if len(leaves) == 1:
            return leaves
        if not leaves:
            raise InputError("wrt: the chain has no inputs (every name is defined); name the "
                             "quantity to differentiate by", parameter="wrt")
        raise InputError(f"wrt: the chain has several inputs ({', '.join(leaves)}); name the "
                         "ones to differentiate by", parameter="wrt")
    targets = []
    for name in wrt:
        name = name.strip()
        if name == chain.output:
            raise InputError(f"wrt: {name} is the output of the chain", parameter="wrt")
        if name not in chain.symbols:
            raise InputError(f"wrt: {name!r} is not defined or used in the chain (its names: "
                             f"{', '.join(sorted(chain.symbols))})", parameter="wrt")
        if name in targets:
            raise InputError(f"wrt: {name!r} is given twice", parameter="wrt")
        targets.append(name)
    return targets


def _product(factors: Sequence[Any]) -> Any:
    shown = [f for f in factors if f != 1] or [sp.S.One]
    return shown[0] if len(shown) == 1 else sp.Mul(*shown, evaluate=False)


def _sum(terms: Sequence[Any]) -> Any:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def derive_chain(
    definitions: Sequence[str],
    *,
    wrt: Sequence[str] = (),
    assume: Sequence[str] = (),
    seed: int = 0,
) -> Derivation:
    """Differentiate the chain's output by each ``wrt`` name, by the chain rule.

    Parameters
    ----------
    definitions : sequence of str
        ``"name = expression"`` in SymPy syntax, in any order.
    wrt : sequence of str
        Names to differentiate by (inputs or intermediates); default: the only input.
    assume : sequence of str
        As for :func:`probkit.symbolic.expression.derive_expression`.
    seed : int
        Seed of the random points of numeric checks.

    Raises
    ------
    InputError
        A name defined twice, a cycle, several outputs, an unknown ``wrt``
        name, or an expression the rules do not cover, naming it.
    """
    chain = parse_chain(definitions, assume=assume)
    targets = _choose_targets(chain, wrt)
    output = chain.output
    sym = chain.symbols
    every_symbol = tuple(sorted(sym.values(), key=lambda s: s.name))
    full = {name: _substituted(chain, name, stop="") for name in chain.order}
    domain = Domain(every_symbol, defined=(*chain.definitions.values(), *full.values()),
                    seed=seed)

    paths = {target: _paths(chain, output, target) for target in targets}
    for target, found in paths.items():
        if not found:
            raise InputError(f"wrt: {output} does not depend on {target}", parameter="wrt")
    edges = {(p[i], p[i + 1]) for found in paths.values() for p in found for i in range(len(p) - 1)}

    steps: list[Step] = []
    local: dict[tuple[str, str], Any] = {}
    budget = Budget(parameter="definitions")
    for name in chain.order:
        for dep in chain.inputs.get(name, ()):
            if (name, dep) not in edges:
                continue
            partial_steps, result = derive_partial(chain.definitions[name], sym[name], sym[dep],
                                                   domain, name, parameter="definitions",
                                                   budget=budget)
            steps += partial_steps
            steps.append(Step(f"local derivative d{name}/d{dep}", result.before, result.after,
                              Prose.of("The local derivative, with ",
                                       Math(f"{to_latex(sym[name])} = "
                                            f"{to_latex(chain.definitions[name])}",
                                            f"{name} = {prose(chain.definitions[name])}"),
                                       "; verified against SymPy's diff."), result.check))
            local[(name, dep)] = result.after

    results: list[Step] = []
    for target in targets:
        wrt_symbol = sym[target]
        # the output and every intermediate as functions of the target (written out up to it)
        defs = {sym[n]: _substituted(chain, n, stop=target) for n in chain.order if n != target}
        output_of_target = defs[sym[output]]
        routes = paths[target]
        shown = _sum([_product([sp.Derivative(sym[p[i]], sym[p[i + 1]])
                                for i in range(len(p) - 1)]) for p in routes])
        forms = _sum([_product([local[(p[i], p[i + 1])] for i in range(len(p) - 1)])
                      for p in routes])
        explicit = sp.Add(*(sp.Mul(*(sp.diff(chain.definitions[p[i]], sym[p[i + 1]])
                                     for i in range(len(p) - 1))) for p in routes))
        route_text = "; ".join(" -> ".join(p) for p in routes)
        steps.append(Step(
            "chain rule", sp.Derivative(sym[output], wrt_symbol), shown,
            (f"Sum over the {len(routes)} paths" if len(routes) > 1 else "Along the path")
            + f" from {output} to {target} ({route_text}) of the product of the local "
            "derivatives.",
            check_step(sp.Derivative(output_of_target, wrt_symbol), explicit, domain,
                       definitions=defs),
        ))
        steps.append(Step(
            "substitute the local derivatives", shown, forms,
            "Each local derivative as derived above.",
            check_step(explicit, forms, domain, definitions=defs),
        ))
        budget.check_time()
        simplified = tidy(sp.Add(*(sp.Mul(*(local[(p[i], p[i + 1])] for i in range(len(p) - 1)))
                                   for p in routes)))
        steps.append(Step(
            "simplify", forms, simplified,
            "Cancel and factor, keeping the chain's own names.",
            check_step(forms, simplified, domain),
        ))
        results.append(Step(
            "result", sp.Derivative(sym[output], wrt_symbol), simplified,
            f"In the chain's own names; verified against SymPy's diff of {output} written out "
            f"in terms of {target}.",
            check_step(simplified, sp.diff(output_of_target, wrt_symbol), domain,
                       definitions=defs),
        ))

    given = tuple(Given(sym[name], chain.definitions[name], f"definition of {name}")
                  for name in chain.order)
    command = "".join(f" --chain {shlex.quote(text)}" for text in definitions).strip()
    command += "".join(f" --wrt {t}" for t in targets)
    command += "".join(f" --assume {shlex.quote(a)}" for a in assume)
    summary = Prose.of(*derivatives_listed(output, results), ".")
    title = f"Chain rule through {', '.join(chain.order)}"
    notes = ("Scalars: for matrices give their shapes (--shape NAME=ROWS,COLS) and write "
             "products with @.",)
    return Derivation(name=command, title=title, summary=summary, given=given,
                      steps=tuple(steps), results=tuple(results), notes=notes)
