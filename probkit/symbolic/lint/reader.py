r"""Turn a parsed term into a SymPy expression, with the post's names.

:mod:`.parser` gives the tree of a term; this module decides what the names
in it are at this point of the post (:class:`Names`) and builds the SymPy
expression, without SymPy's LaTeX parser:

* a name applied to parentheses is a function only if it is one: defined by
  the post, written with a prime in the chain, or a known function;
  otherwise ``a(1+x)`` and ``x(1-x)`` are products;
* ``\sigma(z)`` is the logistic sigmoid unless the post defines σ itself
  (or uses it as a quantity); ``\mathrm{ReLU}``, leaky ReLU, softplus,
  sigmoid, swish (SiLU), GELU, ELU and one component of a softmax have their
  usual meaning unless the post defines them; any other word applied to
  arguments (``\operatorname{foo}(x)``) is a symbolic function;
* ``e`` is Euler's number, ``\pi`` is π, decimals are exact rationals, and a
  truncated decimal (``0.0194\ldots``) is :class:`~.approximate.Inexact`;
* derivatives stay unevaluated (:class:`sympy.Derivative`), primes of
  functions are applied functions named ``f'``, primes of quantities symbols
  named ``a'``: :mod:`.scope` evaluates them with the post's definitions.

Work is bounded: powers, factorials and derivative orders beyond fixed limits
are refused (:class:`~.latex.Unreadable`), never attempted.

>>> read_term(parse_term(r"x(1-x) e^{-x}"), Names({}))
x*(1 - x)*exp(-x)
>>> read_term(parse_term(r"af(x)(1-f(x))"), Names({"f": 1}))
a*(1 - f(x))*f(x)
>>> read_term(parse_term(r"\cos x (1 + \cos x)"), Names({}))
(cos(x) + 1)*cos(x)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from probkit.symbolic.lint.approximate import Inexact
from probkit.symbolic.lint.latex import Unreadable
from probkit.symbolic.lint.parser import (
    APPLY,
    CONST,
    FUNC,
    FUNCTION_WORDS,
    NAME,
    NUM,
    POW,
    PROB,
    Node,
    ParsedTerm,
    parse_term,
)
from probkit.symbolic.lint.sums import MARK, MAX_TERMS, UNSTATED_SIZE

PRIME_VARIABLE = sp.Symbol("__prime_variable__")
"""Stands for the variable a prime on a parenthesis differentiates by (set per chain)."""

IMPLICIT_VARIABLE = sp.Symbol("t_{implicit}")
"""The variable of names written with a prime and never defined: ``(u/v)'`` with u(t), v(t)."""

PLUS_MINUS = sp.Symbol("\\pm")
"""Stands for the sign ``\\pm`` chooses: ``1 \\pm \\sqrt{2}`` is 1 + PLUS_MINUS·√2, read
only as the solutions of an equation being solved (:mod:`.solving` takes both signs)."""

MAX_EXPONENT = 10_000
"""Largest integer exponent (or factorial) of a number that is evaluated."""

MAX_SYMBOLIC_EXPONENT = 100
"""Largest integer power of an expression with variables (expanding it is the cost)."""


@dataclass(frozen=True)
class Names:
    """What the names of a post are, at one point of it (``sigma``, ``w_{1}``, ``\\hat{y}``).

    ``functions`` maps each user function to its number of parameters;
    ``quantities`` are names defined as values; ``primed`` are names written
    with a prime in the current chain (functions even when never defined);
    ``variables`` are the parameters of the functions defined (``x`` of ``f(x) = …``):
    ``x(1+x^2)'`` is x times the bracket's derivative, not a function x.
    """

    functions: dict[str, int]
    quantities: frozenset[str] = frozenset()
    primed: frozenset[str] = frozenset()
    variables: frozenset[str] = frozenset()
    unread: frozenset[str] = frozenset()  # functions whose definition could not be read

    def is_function(self, name: str) -> bool:
        return name not in self.quantities and (name in self.functions or name in self.primed)


def sigmoid(arg: Any) -> Any:
    """The logistic sigmoid 1 / (1 + e^(-arg))."""
    return 1 / (1 + sp.exp(-arg))


def _relu(x: Any) -> Any:
    return sp.Piecewise((x, x > 0), (0, True))


def _leaky_relu(x: Any, slope: Any = None) -> Any:
    slope = sp.Rational(1, 100) if slope is None else slope
    return sp.Piecewise((x, x > 0), (slope * x, True))


def _elu(x: Any, alpha: Any = None) -> Any:
    alpha = sp.Integer(1) if alpha is None else alpha
    return sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True))


KNOWN: dict[str, tuple[Any, tuple[int, ...]]] = {
    "sin": (sp.sin, (1,)), "cos": (sp.cos, (1,)), "tan": (sp.tan, (1,)),
    "sec": (sp.sec, (1,)), "csc": (sp.csc, (1,)), "cot": (sp.cot, (1,)),
    "sinh": (sp.sinh, (1,)), "cosh": (sp.cosh, (1,)), "tanh": (sp.tanh, (1,)),
    "coth": (sp.coth, (1,)), "asin": (sp.asin, (1,)), "acos": (sp.acos, (1,)),
    "sech": (sp.sech, (1,)), "csch": (sp.csch, (1,)), "asinh": (sp.asinh, (1,)),
    "acosh": (sp.acosh, (1,)), "atanh": (sp.atanh, (1,)),
    "atan": (sp.atan, (1,)), "exp": (sp.exp, (1,)), "log": (sp.log, (1,)),
    "Max": (sp.Max, (2, 3, 4)), "Min": (sp.Min, (2, 3, 4)), "Abs": (sp.Abs, (1,)),
    "sign": (sp.sign, (1,)), "erf": (sp.erf, (1,)),
    "sigmoid": (sigmoid, (1,)), "relu": (_relu, (1,)), "leaky_relu": (_leaky_relu, (1, 2)),
    "softplus": (lambda x: sp.log(1 + sp.exp(x)), (1,)),
    "swish": (lambda x: x * sigmoid(x), (1,)),
    "gelu": (lambda x: x / 2 * (1 + sp.erf(x / sp.sqrt(2))), (1,)),
    "elu": (_elu, (1, 2)),
}
"""Functions with a meaning of their own: the SymPy function and the numbers of arguments.

Leaky ReLU's slope is 0.01 and ELU's α is 1 unless given as a second argument;
swish is x·σ(x) (SiLU); GELU is x·Φ(x)."""

_RELATIONS = {"<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge, "=": sp.Eq, "!=": sp.Ne}


def _fail(message: str, node: Node) -> Unreadable:
    return Unreadable(message, node.span[0])


_SUBSCRIPT = re.compile(r"(?P<head>.+)_\{(?P<index>[^{}]+)\}")
_SUPERSCRIPT = re.compile(r"(?P<head>.+)\^\{\((?P<index>[^{}()]+)\)\}")
_INDEX_LETTERS = re.compile(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])")


def index_parts(name: str) -> tuple[str, list[str]] | None:
    r"""``x_{i}`` -> (``x_{#}``, ['i']); ``x^{(i)}`` -> (``x^{(#)}``, ['i']); ``x_{i,j}``,
    ``x_{ij}`` -> two indices; a name without a sub- or superscript index -> None."""
    for pattern, template in ((_SUBSCRIPT, "{head}_{{{inner}}}"),
                              (_SUPERSCRIPT, "{head}^{{({inner})}}")):
        match = pattern.fullmatch(name)
        if match is None:
            continue
        index = match["index"].replace(" ", "")
        parts = index.split(",") if "," in index else (
            list(index) if index.isalpha() and index.isascii() else [index])
        inner = ("," if "," in index else "").join([MARK] * len(parts))
        return template.format(head=match["head"], inner=inner), parts
    return None


class _Builder:
    def __init__(self, names: Names) -> None:
        self.names = names
        self.indices: list[str] = []  # the indices of the sums being read, outermost first
        self.bound: set[str] = set()  # every index a sum of this term runs over

    def build(self, node: Node) -> Any:
        method = getattr(self, f"_{node.kind}", None)
        if method is None:
            raise _fail(f"cannot read a {node.kind} here", node)
        return method(node)

    # -- numbers and names
    def _num(self, node: Node) -> Any:
        value = sp.Rational(node.value.numerator, node.value.denominator)
        decimals, truncated = node.extra
        if truncated:
            return Inexact(value, sp.Rational(1, 10 ** decimals))
        return value

    def _const(self, node: Node) -> Any:
        if node.value == "E":
            return sp.E
        if node.value == "pi":
            return sp.pi
        raise _fail(f"{node.value!r} outside a condition", node)

    def implicit(self, name: str) -> bool:
        """``u`` in a chain that writes ``u'`` and never defines u: a function of the variable."""
        return name + "'" in self.names.primed and name not in self.names.quantities and \
            name not in self.names.functions

    def symbol(self, name: str) -> Any:
        return sp.Function(name)(IMPLICIT_VARIABLE) if self.implicit(name) else sp.Symbol(name)

    def indexed(self, name: str, node: Node) -> Any:
        """``x_i`` inside a sum over i: the indexed ``x[i]``; None when no sum's index is in it."""
        if not self.indices:
            return None
        if name in self.indices:
            return sp.Symbol(name, integer=True)
        parts = index_parts(name)
        if parts is None:
            return None
        template, indices = parts
        if all(k in self.indices for k in indices):
            if name in self.names.functions:
                raise _fail(f"{name} is a function used without its argument", node)
            others = sorted(q for q in self.names.quantities if q != name and
                            (index_parts(q) or ("", []))[0] == template)
            if others and name not in self.names.quantities:
                raise _fail(f"{name}: {others[0]} is defined with another index than the "
                            "sum's (write the same letter)", node)
            # x_i is the data x[i]; a defined \hat y_i is substituted by the scope, index and all
            return sp.IndexedBase(template)[tuple(sp.Symbol(k, integer=True) for k in indices)]
        letters = set(_INDEX_LETTERS.findall("".join(indices)))
        if letters & set(self.indices):
            raise _fail(f"{name}: a subscript computed from the index of the sum is not read",
                        node)
        return None

    def _name(self, node: Node) -> Any:
        name = node.value
        indexed = self.indexed(name, node)
        if indexed is not None:
            return indexed
        if self.implicit(name):
            return self.symbol(name)
        if self.names.is_function(name):
            raise _fail(f"the function {name} is used without its argument (write {name}(x))",
                        node)
        if node.extra == "word" and _known_word(name) is not None and \
                name not in self.names.quantities:
            raise _fail(f"the function {name} is used without its argument", node)
        return sp.Symbol(name)

    def _prob(self, node: Node) -> Any:
        """``P(A|B)``: a named quantity; ``P(¬A|B)`` is 1 - P(A|B) when the post gave P(A|B)."""
        name = node.value
        head, _, rest = name.partition("(¬")
        if rest and name not in self.names.quantities:
            complement = f"{head}({rest}"
            if complement in self.names.quantities and "¬" not in rest:
                return 1 - sp.Symbol(complement)
        return sp.Symbol(name)

    def _qprime(self, node: Node) -> Any:
        """``a'``: a defined quantity's derivative; ``u'`` of an undefined u: u'(t), u(t)."""
        name = node.value + "'" * node.extra
        if node.value in self.names.quantities or node.value in self.names.functions:
            return sp.Symbol(name)
        return sp.Function(name)(IMPLICIT_VARIABLE)

    # -- arithmetic
    def _group(self, node: Node) -> Any:
        return self.build(node.args[0])

    def _add(self, node: Node) -> Any:
        return sp.Add(self.build(node.args[0]), self.build(node.args[1]))

    def _pm(self, node: Node) -> Any:
        return PLUS_MINUS * node.value * self.build(node.args[0])

    def _neg(self, node: Node) -> Any:
        return -self.build(node.args[0])

    def _mul(self, node: Node) -> Any:
        return sp.Mul(self.build(node.args[0]), self.build(node.args[1]))

    def _div(self, node: Node) -> Any:
        top, bottom = self.build(node.args[0]), self.build(node.args[1])
        return sp.Mul(top, sp.Pow(bottom, -1))

    def _pow(self, node: Node) -> Any:
        return self.power(self.build(node.args[0]), self.build(node.args[1]), node)

    def power(self, base: Any, exponent: Any, node: Node) -> Any:
        if exponent.is_Integer and abs(exponent) > MAX_SYMBOLIC_EXPONENT and \
                base.free_symbols:
            raise _fail(f"a power too large to check (exponent {exponent})", node)
        if base.is_number and exponent.is_number and exponent.is_Rational and \
                abs(exponent) > MAX_EXPONENT and base not in (0, 1, -1):
            raise _fail("a number too large to check", node)
        if exponent.is_number and not exponent.is_Rational and base.is_number and \
                base != sp.E and exponent.has(sp.Pow):
            value = exponent.evalf(15)
            if value.is_real and abs(value) > MAX_EXPONENT:
                raise _fail("a number too large to check", node)
        return sp.Pow(base, exponent)

    def _fact(self, node: Node) -> Any:
        value = self.build(node.args[0])
        if value.is_number and (not value.is_Integer or abs(value) > MAX_EXPONENT):
            raise _fail("a factorial too large to check (or not of an integer)", node)
        return sp.factorial(value)

    def _binom(self, node: Node) -> Any:
        n, k = (self.build(a) for a in node.args)
        if n.is_number and abs(n) > MAX_EXPONENT:
            raise _fail("a binomial coefficient too large to check", node)
        return sp.binomial(n, k)

    def _root(self, node: Node) -> Any:
        radicand = self.build(node.args[0])
        if len(node.args) == 1:
            return sp.sqrt(radicand)
        index = self.build(node.args[1])
        if not index.is_Integer or not 2 <= index <= 100:
            raise _fail("a root whose index is not a whole number from 2 to 100", node)
        if index % 2 == 1:
            return sp.real_root(radicand, index)
        return sp.root(radicand, index)

    def _abs(self, node: Node) -> Any:
        return sp.Abs(self.build(node.args[0]))

    # -- functions
    def _func(self, node: Node) -> Any:
        extra = node.extra
        argument = node.args[0] if node.args else None
        if extra.get("bare") and argument is not None and argument.kind == APPLY and \
                not self.is_call(argument):  # \log a(1-a): log(a)·(1-a), the next atom is a
            head, factor = self.product_parts(argument)
            return self._func_of(node, [head]) * factor
        return self._func_of(node, [self.build(a) for a in node.args])

    def _func_of(self, node: Node, args: list[Any]) -> Any:
        extra = node.extra
        word = extra.get("word")
        prime = extra.get("prime", 0)
        if word is not None and self.names.is_function(word):
            value = self.user_function(word, args, prime, node)
        else:
            value = self.known(node.value, args, prime, node, extra)
        if extra.get("base") is not None:
            base = self.build(extra["base"])
            if node.value != "log" or prime:
                raise _fail("a subscript on a function", node)
            value = sp.log(args[0], base)
        if extra.get("power") is not None:
            value = self.power(value, self.build(extra["power"]), node)
        return value

    def known(self, function: str, args: list[Any], prime: int, node: Node,
              extra: dict[str, Any]) -> Any:
        if function == "softmax":
            exps = [sp.exp(a) for a in args]
            return exps[extra["index"] - 1] / sp.Add(*exps)
        implementation, arities = KNOWN[function]
        if len(args) not in arities:
            raise _fail(f"{function} of {len(args)} arguments", node)
        if prime:
            if len(args) != 1:
                raise _fail(f"a prime on {function} of several arguments", node)
            t = sp.Dummy("t", real=True)
            return sp.diff(implementation(t), t, prime).xreplace({t: args[0]})
        return implementation(*args)

    def user_function(self, name: str, args: list[Any], prime: int, node: Node) -> Any:
        arity = self.names.functions.get(name)
        if arity is not None and arity != len(args):
            raise _fail(f"{name} takes {arity} argument(s), given {len(args)}", node)
        return sp.Function(name + "'" * prime)(*args)

    def _apply(self, node: Node) -> Any:
        name, extra = node.value, node.extra
        prime, power = extra["prime"], extra["power"]
        is_quantity = name in self.names.quantities
        if power is not None and not is_quantity and (
                self.names.is_function(name) or name == "sigma" or extra.get("word")):
            exponent = self.build(power)
            if exponent.is_number and exponent.is_negative:
                raise _fail(f"{name}^{{{exponent}}}(…): the inverse function or a power of "
                            "the value?", node)
        if not self.is_call(node):  # a(1 + x): a product; a(1-a)': a times (1-a)'
            head, factor = self.product_parts(node)
            return head * factor
        if self.names.is_function(name) or (prime and name != "sigma" and not extra.get("word")):
            value = self.user_function(name, [self.build(a) for a in node.args], prime, node)
        elif name == "sigma":
            if len(node.args) != 1:
                raise _fail("the sigmoid takes one argument", node)
            value = self.known("sigmoid", [self.build(node.args[0])], prime, node, extra)
        else:  # a word: \mathrm{foo}(x)
            known = _known_word(name)
            args = [self.build(a) for a in node.args]
            value = (self.known(known, args, prime, node, extra) if known is not None
                     else self.user_function(name, args, prime, node))
        if power is not None:
            value = self.power(value, self.build(power), node)
        if extra.get("after") is not None:  # f(x)^2
            value = self.power(value, self.build(extra["after"]), node)
        return value

    def is_call(self, node: Node) -> bool:
        """Is the APPLY ``node`` a function applied to its arguments (else a product)?"""
        name, extra = node.value, node.extra
        if name in self.names.quantities or (
                name in self.names.variables and name not in self.names.functions):
            return False
        return bool(self.names.is_function(name) or extra["prime"] or name == "sigma"
                    or extra.get("word"))

    def product_parts(self, node: Node) -> tuple[Any, Any]:
        """``a^2(1+x)^3``: the name's part (a²) and the bracket's ((1+x)³)."""
        name, extra = node.value, node.extra
        if len(node.args) != 1:
            raise _fail(f"{name}(...) with {len(node.args)} arguments, but {name} is not "
                        "defined as a function", node)
        factor = self.build(node.args[0])
        if extra["prime"]:
            factor = self.bracket_derivative(factor, extra["prime"])
        if extra.get("after") is not None:  # a(1+x)^2: the power is the bracket's
            factor = self.power(factor, self.build(extra["after"]), node)
        indexed = self.indexed(name, node)
        if indexed is None and extra["power"] is None and self.indices and \
                _uses_index(factor, self.indices):  # p^{x_i}(1-p)^{…}: a power, so a product
            raise _fail(f"{name}(…) inside a sum: the function {name} of a term of the sum, or "
                        f"{name} times the bracket? (define {name}, or write {name} \\cdot (…))",
                        node)
        head = self.symbol(name) if indexed is None else indexed
        if extra["power"] is not None:
            head = self.power(head, self.build(extra["power"]), node)
        return head, factor

    # -- sums and products over an index
    def _sum(self, node: Node) -> Any:
        index, what = str(node.value), str(node.extra)
        if index in self.indices:
            raise _fail(f"a {what} over {index} inside a {what} over {index}", node)
        if len(node.args) == 3:
            low, high = self.build(node.args[1]), self.build(node.args[2])
            for bound in (low, high):
                if not (bound.is_Integer or (bound.free_symbols and not bound.has(sp.Float))):
                    raise _fail(f"a {what} whose bound {bound} is not a whole number or a "
                                "size such as n", node)
            if low.is_Integer and high.is_Integer and high - low + 1 > MAX_TERMS:
                raise _fail(f"a {what} of {high - low + 1} terms (at most {MAX_TERMS} are "
                            "written out)", node)
        else:
            low, high = sp.Integer(1), UNSTATED_SIZE
        self.indices.append(index)
        self.bound.add(index)
        try:
            body = self.build(node.args[0])
        finally:
            self.indices.pop()
        variable = sp.Symbol(index, integer=True)
        big = sp.Sum if what == "sum" else sp.Product
        return big(body, (variable, low, high))

    # -- derivatives
    def _deriv(self, node: Node) -> Any:
        operand_node = node.args[0]
        if operand_node.kind == NAME and (operand_node.value in self.names.functions or
                                          operand_node.value in self.names.unread) and \
                operand_node.value not in self.names.quantities:  # \frac{\partial L}{\partial a}
            operand = sp.Symbol(operand_node.value)
        else:
            operand = self.build(operand_node)
        if isinstance(node.extra, tuple):  # by the quantity σ²: d/d(σ²), of order 1
            return sp.Derivative(operand, (power_variable(node.value, node.extra[1]), 1),
                                 evaluate=False)
        return sp.Derivative(operand, (sp.Symbol(node.value), node.extra), evaluate=False)

    def _prime(self, node: Node) -> Any:
        return self.bracket_derivative(self.build(node.args[0]), node.extra)

    @staticmethod
    def bracket_derivative(inner: Any, order: int) -> Any:
        """``(…)'``: by the chain's variable (:mod:`.check` says which: the one in the bracket,
        or the primed function's)."""
        return sp.Derivative(inner, (PRIME_VARIABLE, order), evaluate=False)

    # -- cases
    def _piecewise(self, node: Node) -> Any:
        pieces = []
        for k, row in enumerate(node.args):
            value = self.build(row.args[0])
            if len(row.args) == 1:
                if k != len(node.args) - 1:
                    raise _fail("a row of cases without a condition", row)
                pieces.append((value, sp.true))
                continue
            pieces.append((value, self.condition(row.args[1])))
        return sp.Piecewise(*pieces)

    def condition(self, node: Node) -> Any:
        if node.kind == CONST:
            return sp.true
        parts = []
        for part in node.args:
            if part.kind == CONST:
                return sp.true
            left, right = (self.build(a) for a in part.args)
            parts.append(_RELATIONS[part.value](left, right))
        return sp.And(*parts)


def _power_of_name(node: Node) -> bool:
    """``\\sigma^2``: a name to a whole power (a function's parameter may be σ²)."""
    return node.kind == POW and node.args[0].kind == NAME and node.args[1].kind == NUM and \
        node.args[1].value.denominator == 1 and 2 <= node.args[1].value <= 12


def parameter_patterns(parsed: ParsedTerm) -> tuple[tuple[str, int], ...]:
    r"""The parameters of a definition's left side with their powers: ``\ell(\mu, \sigma^2)``
    gives (('mu', 1), ('sigma', 2))."""
    tree = parsed.tree
    return tuple((str(a.value), 1) if a.kind == NAME else
                 (str(a.args[0].value), int(a.args[1].value)) for a in tree.args)


def _uses_index(expr: Any, indices: list[str]) -> bool:
    """Does ``expr`` depend on the index of a sum being read (``x[i]``, or i itself)?"""
    return any(s.name in indices for s in expr.free_symbols if not isinstance(s, sp.Dummy)) \
        or any(str(k) in indices for e in expr.atoms(sp.Indexed) for k in e.indices)


def _outside_its_sum(expr: Any, bound: set[str]) -> str | None:
    r"""A name with the index of one of the term's sums standing outside the sums (``y_i`` in
    ``\sum_i x_i + y_i``: is it in the summand?), or None."""
    for symbol in sorted(expr.free_symbols, key=str):
        parts = index_parts(symbol.name)
        if symbol.name in bound or (parts is not None and set(parts[1]) & bound):
            return symbol.name
    return None


_POWER_VARIABLE = re.compile(r"\[(?P<name>.+)\]\^(?P<power>[0-9]+)")


def power_variable(name: str, power: int) -> Any:
    r"""The variable of ``\frac{\partial \ell}{\partial \sigma^2}``: the quantity σ² (a
    symbol named ``[sigma]^2``, which :mod:`.scope` differentiates by with the chain rule)."""
    return sp.Symbol(f"[{name}]^{power}")


def as_power(variable: Any) -> tuple[Any, int] | None:
    """``(σ, 2)`` for the variable :func:`power_variable` made for σ², else None."""
    match = _POWER_VARIABLE.fullmatch(getattr(variable, "name", ""))
    return None if match is None else (sp.Symbol(match["name"]), int(match["power"]))


def _known_word(word: str) -> str | None:
    return FUNCTION_WORDS.get(word.lower().replace(" ", "").replace("_", "").replace("-", ""))


def read_term(parsed: ParsedTerm, names: Names) -> Any:
    r"""The SymPy expression of a parsed term, with the post's ``names``.

    >>> sorted(map(str, read_term(parse_term(r"\hat{y} - y"), Names({})).free_symbols))
    ['\\hat{y}', 'y']
    >>> read_term(parse_term(r"P(D \mid +)"), Names({}))
    P(D|+)
    """
    builder = _Builder(names)
    try:
        value = builder.build(parsed.tree)
    except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:  # SymPy's own
        raise Unreadable(f"SymPy cannot build this term ({type(exc).__name__})",
                         parsed.offset) from None
    if builder.bound:
        outside = _outside_its_sum(value, builder.bound)
        if outside is not None:
            raise Unreadable(f"{outside} stands after a sum over its index: is it part of the "
                             "summand? (write the summand in brackets, \\sum_i (…))",
                             parsed.offset)
    return value


def read(text: str, names: Names | None = None) -> Any:
    """Parse and read ``text`` (one term) in one step; see :func:`read_term`."""
    return read_term(parse_term(text), names or Names({}))


@functools.lru_cache(maxsize=1024)
def symbol_name(latex: str) -> str:
    r"""The name of the variable written ``latex`` (``w_1`` -> ``w_{1}``, ``\sigma`` -> ``sigma``).

    >>> symbol_name(r"\sigma"), symbol_name("w_1"), symbol_name(r"\hat{y}")
    ('sigma', 'w_{1}', '\\hat{y}')
    """
    tree = parse_term(latex).tree
    if tree.kind not in (NAME, PROB):
        raise Unreadable(f"{latex!r} is not a variable")
    return str(tree.value)


def definition_target(parsed: ParsedTerm) -> tuple[str, tuple[str, ...]] | None:
    r"""``(name, parameters)`` when the term can be defined: ``a``, ``\hat{y}``, ``f(x)``, ``P(D)``.

    A name, a probability, or a name (or a word such as ``\mathrm{ReLU}``)
    applied to distinct variables. Known functions written as commands
    (``\tanh(x)``) are never redefined: an equation about them is a claim.

    >>> definition_target(parse_term(r"L(a, y)"))
    ('L', ('a', 'y'))
    >>> definition_target(parse_term(r"\mathrm{softplus}(x)")), definition_target(parse_term("2x"))
    (('softplus', ('x',)), None)
    """
    tree = parsed.tree
    if tree.kind in (NAME, PROB):
        return tree.value, ()
    if tree.kind == APPLY and not tree.extra["prime"] and tree.extra["power"] is None and \
            tree.extra.get("after") is None:
        name, args = tree.value, tree.args
    elif tree.kind == FUNC and tree.extra.get("word") and not tree.extra.get("prime") and \
            tree.extra.get("power") is None and tree.extra.get("base") is None and \
            tree.value != "softmax":
        name, args = tree.extra["word"], tree.args
    else:
        return None
    if not all(a.kind == NAME or _power_of_name(a) for a in args):
        return None
    params = tuple(str(a.value if a.kind == NAME else a.args[0].value) for a in args)
    return (name, params) if len(set(params)) == len(params) else None


__all__ = ["IMPLICIT_VARIABLE", "KNOWN", "MAX_EXPONENT", "MAX_SYMBOLIC_EXPONENT", "PLUS_MINUS",
           "PRIME_VARIABLE",
           "Names", "as_power", "definition_target", "index_parts", "parameter_patterns",
           "parse_term", "power_variable", "read",
           "read_term", "sigmoid", "symbol_name"]
