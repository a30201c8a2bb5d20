r"""What a post has defined and assumed so far, and the evaluation of a term under it.

A definition ``f(x) = \frac{1}{1+e^{-ax}}`` or ``a = \sigma(z)`` holds from the
line where it stands until the name is defined again. Evaluating a term
substitutes every definition (repeatedly: ``L`` in terms of ``a``, ``a`` in
terms of ``z``), applies functions to their arguments, and carries out the
derivatives, with one rule a person uses without saying it: the variable of a
derivative is held as a variable while differentiating. So with ``a = σ(z)``,
``∂L/∂a`` differentiates L with respect to a, and only then is a replaced by
σ(z); ``∂L/∂z`` substitutes a first, which is the chain rule.

>>> import sympy as sp
>>> x, a = sp.symbols("x a")
>>> scope = Scope()
>>> scope.define(Definition("f", (x,), 1 / (1 + sp.exp(-a * x)), line=1))
>>> derivative = scope.evaluate(sp.Function("f'")(x))
>>> sp.simplify(derivative - a * sp.exp(-a * x) / (1 + sp.exp(-a * x)) ** 2)
0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.reader import PRIME_VARIABLE, Names, as_power, index_parts, sigmoid
from probkit.symbolic.lint.sums import indexed_name, per_term_variable

MAX_DEPTH = 24
"""Deepest chain of definitions substituted into one another (a cycle stops here too)."""

_KNOWN = {
    "sigma": sigmoid, "exp": sp.exp, "log": sp.log, "sin": sp.sin, "cos": sp.cos,
    "tan": sp.tan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
}
"""Functions a prime can be put on without the post defining them (``\\tanh'(x)``)."""


class KnownOnlyByValue(Unreadable):
    r"""A derivative of (or by) a quantity the post gives a value, not a formula: ``z = 0.5
    \cdot 2 - 1 = 0`` says what z is at the given numbers, not how it depends on w or b."""


@dataclass(frozen=True)
class Definition:
    r"""``name(params) = body`` (no params: a quantity), defined at ``line``.

    ``powers`` (when not empty) gives the power each parameter is written with:
    ``\ell(\mu, \sigma^2) = …`` has params (μ, σ) and powers (1, 2).
    """

    name: str
    params: tuple[Any, ...]
    body: Any
    line: int
    powers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Domain:
    """Where a variable lives: real, maybe within ``(low, high)`` (None: unbounded)."""

    low: Any = None
    high: Any = None

    @property
    def empty(self) -> bool:
        """No value lies within: ``x > 0`` and ``x < 0`` both stated (``low >= high``)."""
        return self.low is not None and self.high is not None and bool(self.low >= self.high)

    def assumptions(self) -> dict[str, bool]:
        if self.low is not None and self.low >= 0:
            return {"positive": True}
        if self.high is not None and self.high <= 0:
            return {"negative": True}
        return {"real": True}


Constraint = tuple[Any, Any, Any]
"""``(expr, low, high)``: a side condition ``low < expr < high`` on an expression of the
variables (``z^{[1]} > 0`` with ``z^{[1]} = W^{[1]} x``); None for an open end."""


@dataclass
class Scope:
    """Definitions, domains and constraints in force at one point of a post."""

    definitions: dict[str, Definition] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)

    def define(self, definition: Definition) -> None:
        self.definitions[definition.name] = definition

    def restrict(self, name: str, *, low: Any = None, high: Any = None) -> None:
        """Record ``low < name < high`` (tightening what was known)."""
        old = self.domains.get(name, Domain())
        new_low = low if old.low is None or (low is not None and low > old.low) else old.low
        new_high = high if old.high is None or (high is not None and high < old.high) else old.high
        self.domains[name] = Domain(new_low, new_high)

    def names(self, primed: frozenset[str] = frozenset()) -> Names:
        functions = {d.name: len(d.params) for d in self.definitions.values() if d.params}
        quantities = frozenset(d.name for d in self.definitions.values() if not d.params)
        variables = frozenset(str(p) for d in self.definitions.values() for p in d.params)
        return Names(functions, quantities, primed, variables)

    @property
    def last_function_parameter(self) -> Any:
        """The parameter of the most recently defined one-parameter function, if any."""
        for definition in reversed(list(self.definitions.values())):
            if len(definition.params) == 1:
                return definition.params[0]
        return None

    # -- evaluation
    def evaluate(self, expr: Any, *, prime_variable: Any = None) -> Any:
        """``expr`` with the definitions substituted and the derivatives carried out."""
        if expr.has(PRIME_VARIABLE):
            if prime_variable is None:
                raise Unreadable("cannot tell which variable the prime differentiates by; "
                                 r"write \frac{d}{dx}(...)")
            expr = expr.xreplace({PRIME_VARIABLE: prime_variable})
        self._prime_variable = prime_variable
        return self._evaluate(expr, frozenset(), 0)

    def _evaluate(self, expr: Any, held: frozenset[str], depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise Unreadable("the definitions refer to one another in a cycle")
        if isinstance(expr, sp.Symbol):
            return self._symbol(expr, held, depth)
        if isinstance(expr, sp.Indexed):
            return self._indexed(expr, held, depth)
        if isinstance(expr, sp.Derivative):
            if isinstance(expr.expr, sp.core.function.AppliedUndef) and \
                    type(expr.expr).__name__.rstrip("'") not in self.definitions:
                return expr  # u'(t) of a u never defined: nothing to carry out
            return self._derivative(expr, held, depth)
        if isinstance(expr, (sp.Sum, sp.Product)):  # the index is bound: no definition of
            # its letter ("$k = j - 1$ とおくと", "$i = 1, \ldots, n$") reaches inside
            indices = frozenset(str(limit[0]) for limit in expr.limits)
            limits = [(limit[0], *(self._evaluate(b, held, depth) for b in limit[1:]))
                      for limit in expr.limits]
            return expr.func(self._evaluate(expr.function, held | indices, depth), *limits)
        if isinstance(expr, sp.core.function.AppliedUndef):
            args = [self._evaluate(a, held, depth) for a in expr.args]
            return self._apply(type(expr).__name__, args, held, depth)
        if not expr.args:
            return expr
        return expr.func(*(self._evaluate(a, held, depth) for a in expr.args))

    def _symbol(self, symbol: Any, held: frozenset[str], depth: int) -> Any:
        name = symbol.name
        if name.endswith("'"):
            base = name.rstrip("'")
            order = len(name) - len(base)
            definition = self.definitions.get(base)
            variable = self._prime_variable
            if definition is None or definition.params:
                raise Unreadable(f"{base}' : {base} is not defined as a quantity")
            if variable is None:
                raise Unreadable(f"cannot tell which variable {base}' differentiates by")
            body = self._evaluate(definition.body, held | {variable.name}, depth + 1)
            return self._evaluate(sp.diff(body, variable, order), held, depth + 1)
        definition = self.definitions.get(name)
        if definition is None or name in held:
            return symbol
        if definition.params:
            raise Unreadable(f"the function {name} is used without its argument")
        return self._evaluate(definition.body, held, depth + 1)

    def _indexed(self, expr: Any, held: frozenset[str], depth: int) -> Any:
        r"""``\hat y[i]`` in a sum, after ``\hat y_i = w x_i + b``: the definition, with its
        names of index i (``x_{i}``) made the sum's indexed data (``x[i]``)."""
        name = indexed_name(str(expr.base.label), expr.indices).name
        definition = self.definitions.get(name)
        if definition is None or name in held:
            return expr
        if definition.params:
            raise Unreadable(f"the function {name} is used without its argument")
        body = self._evaluate(definition.body, held, depth + 1)
        letters = [str(k) for k in expr.indices]
        replacements = {}
        for symbol in body.free_symbols:
            parts = index_parts(getattr(symbol, "name", ""))
            if isinstance(symbol, sp.Symbol) and parts is not None and parts[1] == letters:
                replacements[symbol] = sp.IndexedBase(parts[0])[expr.indices]
        return body.xreplace(replacements)

    def _derivative(self, expr: Any, held: frozenset[str], depth: int) -> Any:
        operand = expr.expr
        result = operand
        own: frozenset[str] = frozenset()  # the parameters of f in \frac{\partial f}{\partial b}
        for variable, order in expr.variable_count:
            inner = result
            if isinstance(inner, sp.Symbol) and inner.name in self.definitions and \
                    self.definitions[inner.name].params:  # \frac{df}{dx}: f at its parameters
                definition = self.definitions[inner.name]
                params = frozenset(str(p) for p in definition.params)
                if str(variable) in params:  # \frac{\partial S}{\partial b} of S(a, b): a is
                    own = params  # held, never replaced by a later "a = \bar y - b \bar x"
                # (\frac{\partial L}{\partial z} of L(a, y), a = \sigma(z): through a)
                powers = definition.powers or (1,) * len(definition.params)
                inner = sp.Function(inner.name)(*(p ** k for p, k in zip(
                    definition.params, powers, strict=True)))
            power = as_power(variable)
            if isinstance(inner, sp.Symbol) and inner is operand and \
                    inner.name not in self.definitions and inner.name not in held and \
                    inner != (variable if power is None else power[0]):
                raise Unreadable(f"the derivative of {inner.name}, which the post does not "
                                 "define (a function of the variable, or a constant?)")
            if power is not None:  # d/d(σ²) = (d/dσ) / (d(σ²)/dσ), for σ ≠ 0
                base, k = power
                body = self._evaluate(inner, held | own | {base.name}, depth + 1)
                result = sp.diff(body, base) / sp.diff(base ** k, base)
                continue
            body = self._evaluate(inner, held | own | {variable.name}, depth + 1)
            if variable not in body.free_symbols:
                self._check_not_by_value(inner, variable, held | own, depth)
            if per_term_variable(variable.name, body):
                raise Unreadable(f"a derivative by {variable.name}, one term of a sum, is not "
                                 "read")
            result = sp.diff(body, variable, order)
        return self._evaluate(result, held, depth + 1)

    def _check_not_by_value(self, inner: Any, variable: Any, held: frozenset[str],
                            depth: int) -> None:
        """Raise :class:`KnownOnlyByValue` when ``inner`` reaches a quantity defined by a number
        alone: its derivative by ``variable`` (0 once the number is put in) is not known."""
        valued = frozenset(name for name, d in self.definitions.items()
                           if not d.params and not getattr(d.body, "free_symbols", None))
        if not valued:
            return
        body = self._evaluate(inner, held | valued | {variable.name}, depth + 1)
        found = sorted(str(s) for s in body.free_symbols if str(s) in valued - {variable.name})
        if found:
            raise KnownOnlyByValue(
                f"the derivative by {variable.name} goes through {', '.join(found)}, which the "
                "post gives a value (not a formula in the variables); it cannot be decided")

    def _apply(self, name: str, args: list[Any], held: frozenset[str], depth: int) -> Any:
        base = name.rstrip("'")
        order = len(name) - len(base)
        definition = self.definitions.get(base)
        if definition is not None and definition.params:
            params = definition.params
            if len(params) != len(args):
                raise Unreadable(f"{base} takes {len(params)} argument(s), given {len(args)}")
            body = self._evaluate(definition.body, held | {p.name for p in params}, depth + 1)
            if order:
                if len(params) != 1 or definition.powers:
                    raise Unreadable(f"{base}' : a prime on a function of several variables "
                                     "(or of a power)")
                body = sp.diff(body, params[0], order)
            return body.xreplace(self._arguments(definition, args))
        if definition is not None:
            raise Unreadable(f"{base} is a quantity, not a function")
        if order and base in _KNOWN and len(args) == 1:
            t = sp.Dummy("t")
            return sp.diff(_KNOWN[base](t), t, order).xreplace({t: args[0]})
        if order:
            if len(args) != 1:
                raise Unreadable(f"{base}' : a prime on a function of several variables")
            t = sp.Dummy("t")
            return sp.Subs(sp.Derivative(sp.Function(base)(t), (t, order)), t, args[0]).doit()
        if base == "sigma" and len(args) == 1:
            return sigmoid(args[0])
        return sp.Function(base)(*args)  # an undefined function (written with a prime)


    @staticmethod
    def _arguments(definition: Definition, args: list[Any]) -> dict[Any, Any]:
        r"""What each parameter stands for in a call: ``\ell(\mu, s^2)`` of ``\ell(\mu,
        \sigma^2)`` puts s for σ; a call with a value not written as that power is refused."""
        values = {}
        powers = definition.powers or (1,) * len(args)
        for param, k, arg in zip(definition.params, powers, args, strict=True):
            if k == 1:
                values[param] = arg
            elif isinstance(arg, sp.Pow) and arg.exp == k:
                values[param] = arg.base
            else:
                raise Unreadable(f"{definition.name} is defined with {param}^{k} as a parameter; "
                                 f"a call at {arg} is not read")
        return values


def with_domains(expressions: Mapping[str, Any], domains: Mapping[str, Domain]) -> dict[Any, Any]:
    """The substitution giving each free symbol its assumptions (real unless stated)."""
    replacements: dict[Any, Any] = {}
    for expr in expressions.values():
        for symbol in expr.free_symbols:
            if isinstance(symbol, sp.Dummy) or not isinstance(symbol, sp.Symbol) or \
                    symbol in replacements or "#" in symbol.name:  # x[i] of a sum: its data
                continue
            domain = domains.get(symbol.name, Domain())
            replacements[symbol] = sp.Symbol(symbol.name, **domain.assumptions())
    return replacements


__all__ = ["Constraint", "Definition", "Domain", "KnownOnlyByValue", "MAX_DEPTH", "Scope",
           "with_domains"]
