"""Differentiation rules, one small function per construct, each next to its formula.

:func:`apply_rule` takes the expression under one pending derivative
``d/dx expr`` and returns the rule that applies, the result (in which the
derivatives of inner functions are still pending, as ``Derivative`` objects)
and the sentence a person would write, naming the inner function
(``u = -a*x``). :mod:`probkit.symbolic.engine` applies rules until no
derivative is pending, and checks each application.

Kinks: wherever a derivative jumps, probkit uses Heaviside(0) = 0, so
``Max(0, z)' = Heaviside(z, 0)`` (ReLU'(0) = 0, the value numpy code such as
``np.where(z > 0, 1, 0)`` uses) and ``Abs(u)' = sign(u) u'`` with sign(0) = 0
(``np.sign``). A ``Piecewise`` keeps its conditions: at a boundary point the
derivative is that of the piece whose condition holds there.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> a = sp.Symbol("a", positive=True)
>>> step = apply_rule(sp.exp(-a * x), x)
>>> step.rule, step.result
('chain rule (exp)', exp(-a*x)*Derivative(-a*x, x))
>>> str(step.explanation)
"(exp u)' = exp(u) u', with u = -a x."
>>> print(*[part.latex for part in step.explanation.parts if not isinstance(part, str)], sep="; ")
\\left(e^{u}\\right)' = e^{u} u'; u = - a x
>>> apply_rule(sp.Max(0, x), x).result
Heaviside(x, 0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from probkit.errors import InputError
from probkit.symbolic.model import Math, Prose
from probkit.symbolic.printing import to_latex, to_text


def prose(expr: Any) -> str:
    """``expr`` as explanations write it: implicit products, ``^`` for powers.

    Safe in Markdown prose (no asterisks), and how a person writes ``u = -a x``.

    >>> a, x = sp.symbols("a x")
    >>> prose(-a * x), prose(x**2 * (1 - x))
    ('-a x', 'x^2 (1 - x)')
    """
    return to_text(expr).replace("**", "^").replace("*", " ")


@dataclass(frozen=True)
class Application:
    """One rule applied to ``d/dx expr``: its name, result and explanation."""

    rule: str
    result: Any
    explanation: Prose


FORMULAS: dict[str, str] = {
    "(exp u)' = exp(u) u'": r"\left(e^{u}\right)' = e^{u} u'",
    "(log u)' = u'/u": r"\left(\log u\right)' = \frac{u'}{u}",
    "(sin u)' = cos(u) u'": r"\left(\sin u\right)' = \cos(u)\, u'",
    "(cos u)' = -sin(u) u'": r"\left(\cos u\right)' = -\sin(u)\, u'",
    "(tan u)' = (1 + tan(u)^2) u'": r"\left(\tan u\right)' = \left(1 + \tan^{2} u\right) u'",
    "(cot u)' = -(1 + cot(u)^2) u'":
        r"\left(\cot u\right)' = -\left(1 + \cot^{2} u\right) u'",
    "(sec u)' = sec(u) tan(u) u'": r"\left(\sec u\right)' = \sec(u) \tan(u)\, u'",
    "(csc u)' = -csc(u) cot(u) u'": r"\left(\csc u\right)' = -\csc(u) \cot(u)\, u'",
    "(sinh u)' = cosh(u) u'": r"\left(\sinh u\right)' = \cosh(u)\, u'",
    "(cosh u)' = sinh(u) u'": r"\left(\cosh u\right)' = \sinh(u)\, u'",
    "(tanh u)' = (1 - tanh(u)^2) u'":
        r"\left(\tanh u\right)' = \left(1 - \tanh^{2} u\right) u'",
    "(coth u)' = (1 - coth(u)^2) u'":
        r"\left(\coth u\right)' = \left(1 - \coth^{2} u\right) u'",
    "(sech u)' = -sech(u) tanh(u) u'":
        r"\left(\operatorname{sech} u\right)' = -\operatorname{sech}(u) \tanh(u)\, u'",
    "(csch u)' = -csch(u) coth(u) u'":
        r"\left(\operatorname{csch} u\right)' = -\operatorname{csch}(u) \coth(u)\, u'",
    "(asin u)' = u'/sqrt(1 - u^2)": r"\left(\arcsin u\right)' = \frac{u'}{\sqrt{1 - u^{2}}}",
    "(acos u)' = -u'/sqrt(1 - u^2)":
        r"\left(\arccos u\right)' = -\frac{u'}{\sqrt{1 - u^{2}}}",
    "(atan u)' = u'/(1 + u^2)": r"\left(\arctan u\right)' = \frac{u'}{1 + u^{2}}",
    "(acot u)' = -u'/(1 + u^2)":
        r"\left(\operatorname{arccot} u\right)' = -\frac{u'}{1 + u^{2}}",
    "(asinh u)' = u'/sqrt(u^2 + 1)":
        r"\left(\operatorname{arsinh} u\right)' = \frac{u'}{\sqrt{u^{2} + 1}}",
    "(acosh u)' = u'/sqrt(u^2 - 1)":
        r"\left(\operatorname{arcosh} u\right)' = \frac{u'}{\sqrt{u^{2} - 1}}",
    "(atanh u)' = u'/(1 - u^2)":
        r"\left(\operatorname{artanh} u\right)' = \frac{u'}{1 - u^{2}}",
    "(erf u)' = 2/sqrt(pi) exp(-u^2) u'":
        r"\left(\operatorname{erf} u\right)' = \frac{2}{\sqrt{\pi}} e^{-u^{2}} u'",
    "(erfc u)' = -2/sqrt(pi) exp(-u^2) u'":
        r"\left(\operatorname{erfc} u\right)' = -\frac{2}{\sqrt{\pi}} e^{-u^{2}} u'",
    "(Abs u)' = sign(u) u'": r"\left|u\right|' = \operatorname{sign}(u)\, u'",
    "(log(1 + exp v))' = exp(v)/(1 + exp(v)) v' = v'/(1 + exp(-v))":
        r"\left(\log\left(1 + e^{v}\right)\right)' = \frac{e^{v}}{1 + e^{v}} v' "
        r"= \frac{v'}{1 + e^{-v}}",
    "(u + v)' = u' + v'": "(u + v)' = u' + v'",
    "(c x)' = c": "(c x)' = c",
    "(c u)' = c u'": "(c u)' = c u'",
    "(u/v)' = (u' v - u v')/v^2": r"\left(\frac{u}{v}\right)' = \frac{u' v - u v'}{v^{2}}",
    "(u v)' = u' v + u v'": "(u v)' = u' v + u v'",
    "(x^n)' = n x^(n-1)": r"\left(x^{n}\right)' = n x^{n-1}",
    "(1/v)' = -v'/v^2": r"\left(\frac{1}{v}\right)' = -\frac{v'}{v^{2}}",
    "(u^n)' = n u^(n-1) u'": r"\left(u^{n}\right)' = n u^{n-1} u'",
    "(c^u)' = c^u log(c) u'": r"\left(c^{u}\right)' = c^{u} \log(c)\, u'",
    "u^v = exp(v log u)": r"u^{v} = e^{v \log u}",
    "(u^v)' = u^v (v' log u + v u'/u)":
        r"\left(u^{v}\right)' = u^{v} \left(v' \log u + \frac{v u'}{u}\right)",
    "(f(u))' = f'(u) u'": r"\left(f(u)\right)' = f'(u)\, u'",
    "Heaviside(0) = 0": r"H(0) = 0",
    "ReLU'(0) = Max(0, z)'(0) = 0": r"\operatorname{ReLU}'(0) = \max(0, z)'(0) = 0",
    "u > 0": "u > 0",
    "c > 0": "c > 0",
    "u > 1": "u > 1",
    "u = 0": "u = 0",
    "-1 < u < 1": "-1 < u < 1",
    "u != 0": r"u \neq 0",
    "cos(u) != 0": r"\cos u \neq 0",
    "sin(u) != 0": r"\sin u \neq 0",
    "sign(0) = 0": r"\operatorname{sign}(0) = 0",
}
"""Each formula the rules' explanations state (ASCII, as the text format prints it) and its
LaTeX (as the LaTeX and Markdown formats typeset it, like the built-in derivations' prose)."""


def formula(ascii: str) -> Math:
    """A formula of :data:`FORMULAS` as a typeset piece of prose."""
    return Math(FORMULAS[ascii], ascii)


def named(name: str, expr: Any) -> Math:
    """``u = -a x``: an inner function named, typeset (text: :func:`prose`)."""
    return Math(f"{name} = {to_latex(expr)}", f"{name} = {prose(expr)}")


def sentence(*parts: str | Math | Prose | None) -> Prose:
    """Prose of ``parts`` (strings, formulas, other prose; None left out), ending in a full
    stop. Words between backquotes-free ``{...}`` are not interpreted: formulas are Math."""
    pieces: list[str | Math] = []
    for part in parts:
        if part is None or part == "":
            continue
        pieces.extend(part.parts if isinstance(part, Prose) else (part,))
    last = pieces[-1] if pieces else ""
    if not (isinstance(last, str) and last.endswith(".")):
        pieces.append(".")
    return Prose(tuple(pieces))


def D(expr: Any, x: Any) -> Any:
    """The pending derivative ``d/dx expr`` (0 for a constant, 1 for ``x``)."""
    if not expr.has(x):
        return sp.S.Zero
    if expr == x:
        return sp.S.One
    return sp.Derivative(expr, x)


def is_pending(node: Any, x: Any) -> bool:
    """True for ``Derivative(expr, x)`` that a rule still has to expand.

    ``Derivative(f(x), x)`` of a function of the user's own is final: it is f'(x).
    """
    if not isinstance(node, sp.Derivative) or node.variables != (x,):
        return False
    inner = node.expr
    return not (isinstance(inner, AppliedUndef) and all(arg.is_Symbol for arg in inner.args))


# The outer derivative of each elementary function, with its formula and domain.
# name: (rule, outer derivative as a function of u, formula, domain condition)
_Outer = tuple[str, Callable[[Any], Any], str, Prose | None]
_ELEMENTARY: dict[Any, _Outer] = {
    sp.exp: ("exp rule", sp.exp, "(exp u)' = exp(u) u'", None),
    sp.log: ("log rule", lambda u: 1 / u, "(log u)' = u'/u",
             Prose.of("defined for ", formula("u > 0"))),
    sp.sin: ("trig rule", sp.cos, "(sin u)' = cos(u) u'", None),
    sp.cos: ("trig rule", lambda u: -sp.sin(u), "(cos u)' = -sin(u) u'", None),
    sp.tan: ("trig rule", lambda u: 1 + sp.tan(u) ** 2, "(tan u)' = (1 + tan(u)^2) u'",
             Prose.of("defined where ", formula("cos(u) != 0"))),
    sp.cot: ("trig rule", lambda u: -1 - sp.cot(u) ** 2, "(cot u)' = -(1 + cot(u)^2) u'",
             Prose.of("defined where ", formula("sin(u) != 0"))),
    sp.sec: ("trig rule", lambda u: sp.sec(u) * sp.tan(u), "(sec u)' = sec(u) tan(u) u'",
             Prose.of("defined where ", formula("cos(u) != 0"))),
    sp.csc: ("trig rule", lambda u: -sp.csc(u) * sp.cot(u), "(csc u)' = -csc(u) cot(u) u'",
             Prose.of("defined where ", formula("sin(u) != 0"))),
    sp.sinh: ("hyperbolic rule", sp.cosh, "(sinh u)' = cosh(u) u'", None),
    sp.cosh: ("hyperbolic rule", sp.sinh, "(cosh u)' = sinh(u) u'", None),
    sp.tanh: ("hyperbolic rule", lambda u: 1 - sp.tanh(u) ** 2,
              "(tanh u)' = (1 - tanh(u)^2) u'", None),
    sp.coth: ("hyperbolic rule", lambda u: 1 - sp.coth(u) ** 2,
              "(coth u)' = (1 - coth(u)^2) u'", Prose.of("defined for ", formula("u != 0"))),
    sp.sech: ("hyperbolic rule", lambda u: -sp.sech(u) * sp.tanh(u),
              "(sech u)' = -sech(u) tanh(u) u'", None),
    sp.csch: ("hyperbolic rule", lambda u: -sp.csch(u) * sp.coth(u),
              "(csch u)' = -csch(u) coth(u) u'", Prose.of("defined for ", formula("u != 0"))),
    sp.asin: ("inverse trig rule", lambda u: 1 / sp.sqrt(1 - u**2),
              "(asin u)' = u'/sqrt(1 - u^2)", Prose.of("defined for ", formula("-1 < u < 1"))),
    sp.acos: ("inverse trig rule", lambda u: -1 / sp.sqrt(1 - u**2),
              "(acos u)' = -u'/sqrt(1 - u^2)", Prose.of("defined for ", formula("-1 < u < 1"))),
    sp.atan: ("inverse trig rule", lambda u: 1 / (1 + u**2), "(atan u)' = u'/(1 + u^2)", None),
    sp.acot: ("inverse trig rule", lambda u: -1 / (1 + u**2), "(acot u)' = -u'/(1 + u^2)",
              Prose.of("defined for ", formula("u != 0"))),
    sp.asinh: ("inverse hyperbolic rule", lambda u: 1 / sp.sqrt(u**2 + 1),
               "(asinh u)' = u'/sqrt(u^2 + 1)", None),
    sp.acosh: ("inverse hyperbolic rule", lambda u: 1 / sp.sqrt(u**2 - 1),
               "(acosh u)' = u'/sqrt(u^2 - 1)", Prose.of("defined for ", formula("u > 1"))),
    sp.atanh: ("inverse hyperbolic rule", lambda u: 1 / (1 - u**2),
               "(atanh u)' = u'/(1 - u^2)", Prose.of("defined for ", formula("-1 < u < 1"))),
    sp.erf: ("erf rule", lambda u: 2 / sp.sqrt(sp.pi) * sp.exp(-(u**2)),
             "(erf u)' = 2/sqrt(pi) exp(-u^2) u'", None),
    sp.erfc: ("erf rule", lambda u: -2 / sp.sqrt(sp.pi) * sp.exp(-(u**2)),
              "(erfc u)' = -2/sqrt(pi) exp(-u^2) u'", None),
    sp.Abs: ("abs rule", sp.sign, "(Abs u)' = sign(u) u'",
             Prose.of("Abs has a kink at ", formula("u = 0"), ", where probkit uses ",
                      formula("sign(0) = 0"), " (np.sign's value)")),
}

REFUSED_DERIVATIVES: dict[Any, str] = {
    sp.sign: "sign", sp.Heaviside: "Heaviside",
}
"""Functions whose derivative is no function (a Dirac delta at 0): refused."""


def _with_inner(u: Any, x: Any, name: str = "u") -> Prose | None:
    return None if u == x else Prose.of(", with ", named(name, u))


def _elementary(expr: Any, x: Any) -> Application:
    rule, outer, ascii, domain = _ELEMENTARY[expr.func]
    (u,) = expr.args
    name = rule if u == x else f"chain rule ({rule.removesuffix(' rule')})"
    return Application(name, outer(u) * D(u, x),
                       sentence(formula(ascii), _with_inner(u, x),
                                "; " if domain else None, domain))


def _log(expr: Any, x: Any) -> Application:
    (u,) = expr.args
    ones = [t for t in sp.Add.make_args(u) if t == 1]
    exps = [t for t in sp.Add.make_args(u) if isinstance(t, sp.exp)]
    if u.is_Add and len(u.args) == 2 and ones and exps:  # softplus log(1 + exp(v))
        v = exps[0].args[0]
        return Application(
            "softplus rule",
            D(v, x) / (1 + sp.exp(-v)),
            sentence(formula("(log(1 + exp v))' = exp(v)/(1 + exp(v)) v' = v'/(1 + exp(-v))"),
                     ", the sigmoid of ", Math("v"), _with_inner(v, x, "v")),
        )
    return _elementary(expr, x)


def _sum(expr: Any, x: Any) -> Application:
    varying = [term for term in expr.args if term.has(x)]
    constant = [term for term in expr.args if not term.has(x)]
    note = None
    if constant:
        note = Prose.of("; the constant term ", Math(to_latex(sp.Add(*constant)),
                                                     prose(sp.Add(*constant))),
                        " has derivative ", Math("0"))
    return Application("sum rule", sp.Add(*(D(term, x) for term in varying)),
                       sentence(formula("(u + v)' = u' + v'"), note))


def _product(expr: Any, x: Any) -> Application:
    constant = [f for f in expr.args if not f.has(x)]
    varying = [f for f in expr.args if f.has(x)]
    if constant:
        c, rest = sp.Mul(*constant), sp.Mul(*varying)
        if rest == x:
            return Application("constant multiple rule", c,
                               sentence(formula("(c x)' = c"), ", with ", named("c", c)))
        return Application("constant multiple rule", c * D(rest, x),
                           sentence(formula("(c u)' = c u'"), ", with ", named("c", c)))
    denominator = [f for f in varying if f.is_Pow and f.exp.is_number and f.exp.is_negative]
    numerator = [f for f in varying if f not in denominator]
    if numerator and denominator:
        u = sp.Mul(*numerator)
        v = sp.Mul(*(f.base ** (-f.exp) for f in denominator))
        return Application(
            "quotient rule",
            (D(u, x) * v - u * D(v, x)) / v**2,
            sentence(formula("(u/v)' = (u' v - u v')/v^2"), ", with ", named("u", u), " and ",
                     named("v", v)),
        )
    terms = []
    for index, factor in enumerate(varying):
        others = sp.Mul(*(f for j, f in enumerate(varying) if j != index))
        terms.append(D(factor, x) * others)
    factors: list[str | Math] = []
    for index, factor in enumerate(varying):
        factors += [", " if index else "", Math(to_latex(factor), prose(factor))]
    return Application("product rule", sp.Add(*terms),
                       sentence(formula("(u v)' = u' v + u v'"), ", with factors ",
                                Prose(tuple(factors))))


def _power(expr: Any, x: Any) -> Application:
    base, exponent = expr.args
    if not exponent.has(x):
        if base == x:
            return Application("power rule", exponent * x ** (exponent - 1),
                               sentence(formula("(x^n)' = n x^(n-1)"), ", with ",
                                        named("n", exponent)))
        if exponent == -1:
            return Application("reciprocal rule", -D(base, x) / base**2,
                               sentence(formula("(1/v)' = -v'/v^2"), ", with ",
                                        named("v", base)))
        return Application(
            "chain rule (power)",
            exponent * base ** (exponent - 1) * D(base, x),
            sentence(formula("(u^n)' = n u^(n-1) u'"), ", with ", named("u", base), " and ",
                     named("n", exponent)),
        )
    if not base.has(x):
        return Application(
            "exponential rule" if exponent == x else "chain rule (exponential)",
            expr * sp.log(base) * D(exponent, x),
            sentence(formula("(c^u)' = c^u log(c) u'"), _with_inner(exponent, x), "; for ",
                     formula("c > 0")),
        )
    return Application(
        "general power rule",
        expr * (D(exponent, x) * sp.log(base) + exponent * D(base, x) / base),
        sentence(formula("u^v = exp(v log u)"), ", so ",
                 formula("(u^v)' = u^v (v' log u + v u'/u)"), ", with ", named("u", base),
                 " and ", named("v", exponent), "; for ", formula("u > 0")),
    )


def _extremum(expr: Any, x: Any) -> Application:
    args = expr.args
    larger = expr.func == sp.Max
    terms = []
    for index, arg in enumerate(args):
        if not arg.has(x):
            continue
        wins = sp.Mul(*(sp.Heaviside(arg - other if larger else other - arg, 0)
                        for j, other in enumerate(args) if j != index))
        terms.append(D(arg, x) * wins)
    name = "Max" if larger else "Min"
    word = "largest" if larger else "smallest"
    return Application(
        f"{name} rule",
        sp.Add(*terms),
        sentence(f"{name}' is the derivative of the argument that is strictly the {word}; at a "
                 "kink (a tie) probkit uses ", formula("Heaviside(0) = 0"), ", so ",
                 formula("ReLU'(0) = Max(0, z)'(0) = 0"), ", the value numpy code uses"),
    )


def _piecewise(expr: Any, x: Any) -> Application:
    pieces = [(D(piece, x), condition) for piece, condition in expr.args]
    return Application(
        "piecewise rule",
        sp.Piecewise(*pieces),
        sentence("Differentiate each piece; the conditions stay as written, so at a boundary "
                 "the derivative is that of the piece whose condition holds there"),
    )


def _listed(items: list[Math]) -> list[str | Math]:
    """``a, b, c`` as prose parts."""
    parts: list[str | Math] = []
    for index, item in enumerate(items):
        parts += [", "] if index else []
        parts.append(item)
    return parts


def _slots(expr: Any) -> list[Any]:
    """Fresh symbols t (or t1, t2, ...) for the arguments of ``f(...)``, named apart."""
    used = {symbol.name for symbol in expr.free_symbols}
    count = len(expr.args)
    names = ["t"] if count == 1 else [f"t{i + 1}" for i in range(count)]
    while any(name in used for name in names):
        names = [name + "_" for name in names]
    return [sp.Symbol(name, real=True) for name in names]


def _applied_function(expr: Any, x: Any) -> Application:
    slots = _slots(expr)
    function = expr.func
    terms = []
    for index, arg in enumerate(expr.args):
        if not arg.has(x):
            continue
        partial = sp.Subs(sp.Derivative(function(*slots), slots[index]),
                          tuple(slots), tuple(expr.args))
        terms.append(partial * D(arg, x))
    name = function.__name__
    return Application(
        "chain rule (function)",
        sp.Add(*terms),
        sentence(Math(name), " is a function of your own: ", formula("(f(u))' = f'(u) u'"),
                 ", with ", *_listed([named("u", arg) for arg in expr.args if arg.has(x)]),
                 "; ", Math(f"{name}'"), " stays symbolic"),
    )


def apply_rule(expr: Any, x: Any) -> Application:
    """The rule that differentiates ``expr`` by ``x`` (one level deep).

    Raises :class:`InputError` naming a construct no rule covers.
    """
    if not expr.has(x):
        return Application("constant rule", sp.S.Zero,
                           sentence(Math(to_latex(expr), prose(expr)), " does not depend on ",
                                    Math(to_latex(x), str(x)), ": its derivative is ",
                                    Math("0")))
    if expr == x:
        return Application("variable rule", sp.S.One,
                           sentence(Math(rf"\frac{{d {to_latex(x)}}}{{d {to_latex(x)}}} = 1",
                                         f"d{x}/d{x} = 1")))
    if expr.is_Add:
        return _sum(expr, x)
    if expr.is_Mul:
        return _product(expr, x)
    if expr.is_Pow:
        return _power(expr, x)
    if isinstance(expr, sp.log):
        return _log(expr, x)
    if expr.func in _ELEMENTARY:
        return _elementary(expr, x)
    if isinstance(expr, sp.Max | sp.Min):
        return _extremum(expr, x)
    if isinstance(expr, sp.Piecewise):
        return _piecewise(expr, x)
    if isinstance(expr, AppliedUndef):
        return _applied_function(expr, x)
    if expr.func in REFUSED_DERIVATIVES:
        name = REFUSED_DERIVATIVES[expr.func]
        raise InputError(f"{name}({to_text(expr.args[0])}) depends on {x}: the derivative of "
                         f"{name} is not a function (a Dirac delta at 0); probkit refuses it")
    raise InputError(f"no differentiation rule for {type(expr).__name__}: {to_text(expr)}")
