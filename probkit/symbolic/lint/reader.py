r"""Read one prepared term with SymPy's LaTeX parser, then check and normalize the result.

The parser (the ANTLR backend, from the ``latex`` extra) runs in strict mode:
without it, trailing text it cannot read is dropped silently (``x + 1 ) y``
reads as x + 1). Its result is rebuilt node by node:

* the symbol ``e`` is Euler's number, ``\pi`` is π, decimals become exact rationals;
* ``\log`` (which the parser returns as an unevaluated ``log(x, E)``) is the natural log;
* a name applied to parentheses is a function only if it is a function
  (:class:`Names`); otherwise ``a(1+x)`` and ``x(1-x)`` are products;
* ``\sigma(z)`` is the logistic sigmoid unless the post defines σ itself;
* placeholders become derivatives (:class:`sympy.Derivative`, unevaluated),
  primes of functions (applied functions named ``f'``) and primes of quantities
  (symbols named ``a'``); :mod:`probkit.symbolic.lint.scope` evaluates them.

Anything else is refused with :class:`~probkit.symbolic.lint.latex.Unreadable`:
a symbol the parser made out of a command it does not know (``approx``,
``mathrm``, ``partial``), a function used as a bare symbol (how ``f{\left(x
\right)}`` shows up), an unknown function of several arguments.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from probkit.errors import MissingExtraError
from probkit.symbolic.lint.latex import FUNCTION_COMMANDS, GREEK, Unreadable
from probkit.symbolic.lint.terms import PreparedTerm

PRIME_VARIABLE = sp.Symbol("__prime_variable__")
"""Stands for the variable a prime on a parenthesis differentiates by (set per chain)."""

_NAME = re.compile(r"^(?P<base>[A-Za-z]|" + "|".join(sorted(GREEK)) + r")(_\{[^{}]*\})?$")
_KNOWN_UNDEFINED = {"max": sp.Max, "min": sp.Min}
MAX_EXPONENT = 10_000
"""Largest integer exponent (or factorial) of a number that is evaluated."""


@dataclass(frozen=True)
class Names:
    """What the names of a post are, at one point of it (parser spelling: ``sigma``, ``w_{1}``).

    ``functions`` maps each user function to its number of parameters;
    ``quantities`` are names defined as values; ``primed`` are names written
    with a prime in the current chain (functions even when never defined).
    """

    functions: dict[str, int]
    quantities: frozenset[str] = frozenset()
    primed: frozenset[str] = frozenset()

    def is_function(self, name: str) -> bool:
        return name not in self.quantities and (name in self.functions or name in self.primed)


@functools.cache
def _parser() -> Any:
    try:
        from importlib.metadata import PackageNotFoundError, version

        if not version("antlr4-python3-runtime").startswith("4.11"):
            raise MissingExtraError("latex", "antlr4-python3-runtime==4.11.*",
                                    "probkit check (SymPy's LaTeX parser)")
    except PackageNotFoundError:
        raise MissingExtraError("latex", "antlr4-python3-runtime==4.11.*",
                                "probkit check (SymPy's LaTeX parser)") from None
    from sympy.parsing.latex import parse_latex

    return parse_latex


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Any:
    """``parse_latex(text, strict=True)`` with the ANTLR backend; Unreadable on failure."""
    parse_latex = _parser()
    try:
        return parse_latex(text, strict=True, backend="antlr")
    except Exception as exc:  # LaTeXParsingError, and the parser's own slips (TypeError...)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unreadable(f"SymPy's LaTeX parser: {first}") from None


@functools.lru_cache(maxsize=1024)
def symbol_name(latex: str) -> str:
    r"""The parser's name for a name written ``latex`` (``w_1`` -> ``w_{1}``, ``\ln`` -> ``log``).

    >>> symbol_name(r"\sigma"), symbol_name("x"), symbol_name(r"\ln")
    ('sigma', 'x', 'log')
    """
    if latex.startswith("\\") and latex[1:] in GREEK | FUNCTION_COMMANDS:
        return "log" if latex == r"\ln" else latex[1:]
    if len(latex) == 1 and latex.isalpha():
        return latex
    expr = parse(latex)
    if not isinstance(expr, sp.Symbol):
        raise Unreadable(f"{latex!r} is not a variable")
    return str(expr.name)


def check_name(name: str) -> str:
    """``name`` if the parser could have made it from a letter; Unreadable otherwise."""
    if not _NAME.match(name):
        raise Unreadable(f"cannot read {name!r} (an unknown command or a misread word?)")
    return name


def sigmoid(arg: Any) -> Any:
    """The logistic sigmoid 1 / (1 + e^(-arg))."""
    return 1 / (1 + sp.exp(-arg))


class _Builder:
    def __init__(self, prepared: PreparedTerm, names: Names) -> None:
        self.placeholders = prepared.placeholders
        self.names = names
        self.used: set[str] = set()

    def build(self, expr: Any) -> Any:
        if isinstance(expr, sp.Symbol):
            return self.symbol(expr.name)
        if isinstance(expr, sp.Float):
            return sp.Rational(str(expr))
        if isinstance(expr, sp.Number | sp.NumberSymbol):
            return expr
        if isinstance(expr, sp.Function) and type(expr).__name__ in _KNOWN_UNDEFINED:
            return _KNOWN_UNDEFINED[type(expr).__name__](*(self.build(a) for a in expr.args))
        if isinstance(expr, sp.core.function.AppliedUndef):
            name = type(expr).__name__
            if name.startswith("pkd") and isinstance(expr.args[0], sp.Symbol) and \
                    expr.args[0].name in self.names.functions:  # \frac{\partial L}{\partial a}
                return self.application(name, [sp.Symbol(expr.args[0].name)])
            return self.application(type(expr).__name__, [self.build(a) for a in expr.args])
        if isinstance(expr, sp.Pow) and expr.base.is_number and expr.exp.is_number:
            base, exponent = (self.build(a) for a in expr.args)
            if abs(exponent) > MAX_EXPONENT and abs(base) != 1:
                raise Unreadable(f"a number too large to check ({sp.latex(base)}^{{…}})")
            return sp.Pow(base, exponent)
        if isinstance(expr, sp.factorial) and expr.args[0].is_number:
            value = self.build(expr.args[0])
            if abs(value) > MAX_EXPONENT:
                raise Unreadable("a factorial too large to check")
            return sp.factorial(value)
        if isinstance(expr, sp.log) and len(expr.args) == 2:
            value, base = (self.build(a) for a in expr.args)
            return sp.log(value) if base == sp.E else sp.log(value, base)
        if isinstance(expr, sp.Derivative | sp.Integral | sp.Sum | sp.Product | sp.Limit):
            raise Unreadable(f"{type(expr).__name__.lower()}s are not read here")
        if isinstance(expr, sp.core.relational.Relational):
            raise Unreadable("a relation inside a term")
        if not expr.args:
            raise Unreadable(f"cannot read {expr!s}")
        return expr.func(*(self.build(a) for a in expr.args))

    def placeholder(self, name: str) -> Any:
        found = self.placeholders.get(f"\\{name}")
        if found is None:  # e.g. \sigma'_a: the parser glued a subscript to the placeholder
            raise Unreadable("cannot read what follows a prime or a derivative")
        return found

    def symbol(self, name: str) -> Any:
        if name.startswith("pkq"):
            placeholder = self.placeholder(name)
            self.used.add(name)
            base = symbol_name(placeholder.name or "")
            return sp.Symbol(base + "'" * placeholder.order)
        if name == "e":
            return sp.E
        if name == "pi":
            return sp.pi
        check_name(name)
        if name in self.names.functions and name not in self.names.quantities:
            raise Unreadable(f"the function {name} is used without its argument "
                             f"(write {name}(x); f{{(x)}} is read as a product by SymPy)")
        return sp.Symbol(name)

    def application(self, name: str, args: list[Any]) -> Any:
        if name.startswith("pkd"):
            self.used.add(name)
            placeholder = self.placeholder(name)
            if len(args) != 1:
                raise Unreadable("a derivative of several arguments")
            (operand,) = args
            variable = (PRIME_VARIABLE if placeholder.variable is None
                        else sp.Symbol(symbol_name(placeholder.variable)))
            return sp.Derivative(operand, (variable, placeholder.order), evaluate=False)
        if name.startswith("pkp"):
            self.used.add(name)
            placeholder = self.placeholder(name)
            base = symbol_name(placeholder.name or "")
            if base in self.names.quantities:
                raise Unreadable(f"{base} is a quantity, not a function; its prime is ambiguous")
            return sp.Function(base + "'" * placeholder.order)(*args)
        check_name(name)
        if self.names.is_function(name):
            arity = self.names.functions.get(name)
            if arity is not None and arity != len(args):
                raise Unreadable(f"{name} takes {arity} argument(s), given {len(args)}")
            return sp.Function(name)(*args)
        if name == "sigma":
            if len(args) != 1:
                raise Unreadable("the sigmoid takes one argument")
            return sigmoid(args[0])
        if len(args) != 1:
            raise Unreadable(f"{name}(...) with {len(args)} arguments, but {name} is not "
                             "defined as a function")
        return sp.Symbol(name) * args[0]  # a(1 + x): a product


def _check_letters(text: str, parsed: Any) -> None:
    """Every letter written (outside command names) is somewhere in the parser's result.

    A sanity check of the round trip: a parser that skipped part of the input
    would lose its letters. (``e`` may become Euler's number, which has no name.)
    """
    written = set(re.sub(r"\\[A-Za-z]+", " ", text)) & set(
        "abcdfghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    names = "".join(str(s) for s in parsed.free_symbols)
    names += "".join(type(f).__name__ for f in parsed.atoms(sp.core.function.AppliedUndef))
    lost = sorted(c for c in written if c not in names)
    if lost:
        raise Unreadable(f"SymPy's LaTeX parser lost {', '.join(lost)}")


def read_term(prepared: PreparedTerm, names: Names) -> Any:
    r"""The SymPy expression of a prepared term, checked for the parser's silent misreadings.

    >>> from probkit.symbolic.lint.terms import prepare_term
    >>> read_term(prepare_term(r"x(1-x) e^{-x}"), Names({}))
    x*(1 - x)*exp(-x)
    >>> read_term(prepare_term(r"af(x)(1-f(x))", functions={"f"}), Names({"f": 1}))
    a*(1 - f(x))*f(x)
    """
    builder = _Builder(prepared, names)
    parsed = parse(prepared.text)
    _check_letters(prepared.text, parsed)
    expr = builder.build(parsed)
    missing = {p.lstrip("\\") for p in prepared.placeholders} - builder.used
    if missing:  # a derivative or prime the parser dropped: never check something else
        raise Unreadable("SymPy's LaTeX parser dropped a derivative or a prime")
    if any("'" in str(s) for s in expr.free_symbols if not str(s).startswith("__")) and \
            not any(p.kind == "quantity-prime" for p in prepared.placeholders.values()):
        raise Unreadable("a prime was misread")
    return expr


__all__ = ["PRIME_VARIABLE", "Names", "check_name", "parse", "read_term", "sigmoid",
           "symbol_name"]
