"""``derive --chain`` with matrices: vectorized backpropagation in the course's names.

The definitions are written in numpy's notation with one example per column
(``Z1 = W1 @ X + b1``, ``A1 = tanh(Z1)``, ``J = -(1/m) * sum(Y*log(A2) +
(1-Y)*log(1-A2))``) and the shape of every input is given
(``X=n_x,m``, ``W1=n_h,n_x``; symbols or numbers). The output must be 1 × 1.

Convention (the course's, stated in every derivation): for a quantity with one
column per example (``Z1``, ``A1``, ...), ``dZ1`` is m·∂J/∂Z1, the derivative of
the *sum* of the losses; for everything else (the parameters), ``dW1`` is
∂J/∂W1 itself. Hence ``dZ2 = A2 - Y`` but ``dW2 = (1/m) dZ2 A1ᵀ``.

Each gradient is derived backwards from the output, definition by definition:

1. the chain rule through each definition that uses the name (matrix product:
   ``dA = Wᵀ dZ``, ``dW = (1/m) dZ Aᵀ``; a bias broadcast over the columns:
   ``db = (1/m) sum(dZ, axis=1)``; entry by entry: ``dZ = dA ∘ g'(Z)`` with
   g' in the chain's own names, ``1 - A1**2``);
2. the gradients of entry-by-entry definitions (``dA1``) substituted, and the
   entry-by-entry algebra simplified (``dZ2 = A2 - Y``).

Every step is checked twice: its **shapes** (each product conformable, each
side the shape of the quantity it names) and its **values**, at several random
sizes, against central differences of J (numpy Generator, explicit seed). The
residual recorded is the power of ten above the worst relative difference, at
least 1e-8 (the digits below are rounding noise); the check's detail has it exactly.

>>> d = derive_matrix_chain(["Z = W @ X + b", "A = sigmoid(Z)",
...                          "J = -(1/m) * sum(Y*log(A) + (1-Y)*log(1-A))"],
...                         wrt=["W", "b"], shapes=["X=n,m", "W=1,n", "b=1,1", "Y=1,m"])
>>> d.verified, [str(r.after) for r in d.results]
(True, ['(1/m)*(dZ @ X.T)', '(1/m)*sum(dZ, axis=1)'])
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from probkit.errors import InputError
from probkit.symbolic.matrix_ops import (
    ColSum,
    MatProd,
    Ones,
    RowSum,
    Shape,
    ShapeError,
    Shown,
    Softmax,
    SumAll,
    Tr,
    is_elementwise,
    latex,
    latex_name,
    leaky_relu,
    relu,
    shape_of,
    shape_text,
    sigmoid,
    step,
    text,
)
from probkit.symbolic.model import Check, Derivation, Given, Math, Prose, Step

MAX_DEFINITIONS = 30
MAX_LENGTH = 1000
MAX_NODES = 400
MAX_ENTRIES = 400
"""Most entries of one matrix at the sizes the values are checked at (a number in a shape
is used as it is; a symbol takes 2 to 5): central differences cost two evaluations of J
per entry."""
SIZES_TRIED = 3
"""How many random sizes each step's values are checked at."""
TOLERANCE = 1e-6
"""Largest relative difference from central differences that passes."""
EPSILON = 1e-6
"""Step of the central differences."""
VALUE_SCALE = 0.5
"""Standard deviation of the random inputs: moderate pre-activations, so that no output
probability is so small that central differences of its logarithm lose their accuracy."""

_DEFINITION = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*=(?!=)(.*)\Z", re.DOTALL)
_SHAPE = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*([A-Za-z0-9_]+)\s*,\s*([A-Za-z0-9_]+)\s*\Z")

_ELEMENTWISE_CALLS: dict[str, Callable[[Any], Any]] = {
    "tanh": sp.tanh, "exp": sp.exp, "log": sp.log, "sigmoid": sigmoid, "relu": relu,
    "step": step,
}


# ------------------------------------------------------------------ reading


class _Reader:
    """Python's ast of one right-hand side, whitelisted, to a SymPy expression."""

    def __init__(self, symbols: Mapping[str, Any], where: str) -> None:
        self.symbols = symbols
        self.where = where
        self.nodes = 0

    def fail(self, what: str) -> InputError:
        return InputError(f"{self.where}: {what}", parameter="chain")

    def read(self, source: str) -> Any:
        if len(source) > MAX_LENGTH:
            raise self.fail(f"the expression is longer than {MAX_LENGTH} characters")
        if re.search(r"\blambda\b", source):
            raise self.fail("'lambda' is a Python keyword; call λ 'lambd'")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise self.fail(f"cannot read {source.strip()!r} ({exc.msg})") from None
        return self.node(tree.body)

    def node(self, n: ast.AST) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(f"the expression has more than {MAX_NODES} parts")
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float) \
                and not isinstance(n.value, bool):
            return sp.nsimplify(n.value) if isinstance(n.value, float) else sp.Integer(n.value)
        if isinstance(n, ast.Name):
            if n.id not in self.symbols:
                raise self.fail(f"{n.id!r} has no shape: give it as {n.id}=ROWS,COLS "
                                f"(1,1 for a scalar constant)")
            return self.symbols[n.id]
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub | ast.UAdd):
            inner = self.node(n.operand)
            return -inner if isinstance(n.op, ast.USub) else inner
        if isinstance(n, ast.BinOp):
            left, right = self.node(n.left), self.node(n.right)
            ops: dict[type, Callable[[Any, Any], Any]] = {
                ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
                ast.MatMult: MatProd, ast.Pow: self.power,
            }
            for kind, make in ops.items():
                if isinstance(n.op, kind):
                    return make(left, right)
            raise self.fail(f"the operator {type(n.op).__name__} is not supported")
        if isinstance(n, ast.Attribute):
            if n.attr == "T":
                return Tr(self.node(n.value))
            raise self.fail(f".{n.attr} is not supported (only .T)")
        if isinstance(n, ast.Call):
            return self.call(n)
        raise self.fail(f"{ast.unparse(n)!r} is not supported")

    def power(self, base: Any, exponent: Any) -> Any:
        if not exponent.is_Number:
            raise self.fail("an exponent must be a number")
        return base**exponent

    def call(self, n: ast.Call) -> Any:
        func = n.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id in ("np", "numpy"):
            name = func.attr
        elif isinstance(func, ast.Name):
            name = func.id
        else:
            raise self.fail(f"{ast.unparse(func)!r} is not a function the chain knows")
        args = [self.node(a) for a in n.args]
        keywords = {k.arg: k.value for k in n.keywords}
        if name == "sum":
            return self.total(args, keywords)
        if keywords:
            raise self.fail(f"{name}() takes no keyword arguments here")
        if name in _ELEMENTWISE_CALLS and len(args) == 1:
            return _ELEMENTWISE_CALLS[name](args[0])
        if name == "power" and len(args) == 2:
            return self.power(args[0], args[1])
        if name == "maximum" and len(args) == 2 and args[0] == 0:
            return relu(args[1])
        if name == "leaky_relu" and len(args) in (1, 2):
            slope = args[1] if len(args) == 2 else sp.Rational(1, 100)
            if not slope.is_Number:
                raise self.fail("leaky_relu's slope must be a number")
            return leaky_relu(args[0], slope)
        if name == "softmax" and len(args) == 1:
            return Softmax(args[0])
        if name in ("dot", "matmul") and len(args) == 2:
            return MatProd(*args)
        if name == "transpose" and len(args) == 1:
            return Tr(args[0])
        raise self.fail(f"{name}() with {len(args)} argument(s) is not supported (known: tanh, "
                        "exp, log, sigmoid, relu, leaky_relu, softmax, sum, dot, transpose)")

    def total(self, args: list[Any], keywords: Mapping[str | None, ast.AST]) -> Any:
        if len(args) != 1:
            raise self.fail("sum() takes one matrix")
        axis = keywords.get("axis")
        keep = keywords.get("keepdims")
        if set(keywords) - {"axis", "keepdims"}:
            raise self.fail("sum() takes axis= and keepdims= only")
        if keep is not None and not (isinstance(keep, ast.Constant) and keep.value is True):
            raise self.fail("sum(..., keepdims=False) gives a 1-D array; the chain keeps "
                            "matrices (keepdims=True)")
        if axis is None:
            return SumAll(args[0])
        if isinstance(axis, ast.Constant) and axis.value in (0, 1):
            return RowSum(args[0]) if axis.value == 1 else ColSum(args[0])
        raise self.fail("sum(E, axis=...) takes axis=0 or axis=1")


def _dimension(token: str, where: str) -> Any:
    if token.isdigit():
        value = int(token)
        if value < 1:
            raise InputError(f"{where}: a dimension must be at least 1", parameter="shapes")
        return sp.Integer(value)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", token):
        raise InputError(f"{where}: {token!r} is not a dimension", parameter="shapes")
    return sp.Symbol(token, integer=True, positive=True)


@dataclass(frozen=True)
class MatrixChain:
    """The parsed chain: definitions, shapes, order (inputs first) and the output."""

    definitions: dict[str, Any]
    shapes: dict[str, Shape]
    order: tuple[str, ...]
    output: str
    leaves: tuple[str, ...]
    dimensions: tuple[Any, ...]
    scalars: frozenset[str]


def parse_matrix_chain(texts: Sequence[str], shapes: Sequence[str]) -> MatrixChain:
    """Read the definitions and ``NAME=ROWS,COLS`` shapes; infer and check every shape."""
    if not texts:
        raise InputError("chain: give definitions such as --chain 'Z1 = W1 @ X + b1'",
                         parameter="chain")
    if len(texts) > MAX_DEFINITIONS:
        raise InputError(f"chain: {len(texts)} definitions; {MAX_DEFINITIONS} at most",
                         parameter="chain")
    declared: dict[str, Shape] = {}
    for item in shapes:
        match = _SHAPE.match(item)
        if not match:
            raise InputError(f"shapes: cannot read {item!r}; write NAME=ROWS,COLS, e.g. "
                             "W1=n_h,n_x", parameter="shapes")
        name = match.group(1)
        if name in declared:
            raise InputError(f"shapes: {name} is given twice", parameter="shapes")
        declared[name] = (_dimension(match.group(2), f"shapes: {item}"),
                          _dimension(match.group(3), f"shapes: {item}"))
    raw: dict[str, str] = {}
    for item in texts:
        match = _DEFINITION.match(item)
        if not match or not match.group(2).strip():
            raise InputError(f"chain: cannot read {item!r}; write 'NAME = expression'",
                             parameter="chain")
        name = match.group(1)
        if name in raw:
            raise InputError(f"chain: {name} is defined twice", parameter="chain")
        raw[name] = match.group(2)
    dimensions = {d for shape in declared.values() for d in shape if isinstance(d, sp.Symbol)}
    dim_names = {d.name for d in dimensions}
    for name in [*raw, *declared]:
        if name in dim_names:
            raise InputError(f"shapes: {name} is both a dimension and a matrix",
                             parameter="shapes")
    for name in raw:
        if "d" + name in raw or "d" + name in declared:
            raise InputError(f"chain: d{name} would name the gradient of {name}; rename it",
                             parameter="chain")
    symbols: dict[str, Any] = {n: sp.Symbol(n, real=True) for n in [*raw, *declared]}
    symbols.update({d.name: d for d in dimensions})
    definitions = {name: _Reader(symbols, f"chain {name}").read(rhs)
                   for name, rhs in raw.items()}
    inputs = {name: {s.name for s in expr.free_symbols} & set(symbols) - dim_names
              for name, expr in definitions.items()}
    order = _topological(inputs)
    used = {d for deps in inputs.values() for d in deps}
    outputs = [n for n in order if n not in used]
    if len(outputs) != 1:
        raise InputError(f"chain: the chain has several outputs ({', '.join(outputs)}); every "
                         "name but one must be used by another definition", parameter="chain")
    leaves = tuple(sorted(used - set(raw)))
    unused = sorted(set(declared) - set(raw) - used)
    if unused:
        raise InputError(f"shapes: {', '.join(unused)} is not used in the chain",
                         parameter="shapes")
    for name in leaves:
        rows, cols = (int(d) if d.is_Integer else 5 for d in declared[name])
        if rows * cols > MAX_ENTRIES:
            raise InputError(f"shapes: {name} would have {rows * cols} entries in the numeric "
                             f"check; at most {MAX_ENTRIES} (write large dimensions as "
                             "symbols, e.g. n_x, which the check sizes 2 to 5)",
                             parameter="shapes")
    known: dict[str, Shape] = {n: declared[n] for n in leaves}
    for name in order:
        if name not in definitions:
            continue
        try:
            where = f"{name} = {text(definitions[name])}"
            inferred = shape_of(definitions[name], known, where=where)
        except ShapeError as exc:
            raise InputError(f"chain: {exc}", parameter="chain") from None
        if name in declared and declared[name] != inferred:
            raise InputError(f"chain: {name} is {shape_text(inferred)} by its definition, "
                             f"but --shape says {shape_text(declared[name])}", parameter="chain")
        known[name] = inferred
    output = outputs[0]
    if known[output] != (1, 1):
        raise InputError(f"chain: the output {output} is {shape_text(known[output])}; it must "
                         "be 1 × 1 (a cost: sum(...) of the losses)", parameter="chain")
    scalars = frozenset({n for n in leaves if known[n] == (1, 1)} | dim_names)
    return MatrixChain(definitions, known, order, output, leaves,
                       tuple(sorted(dimensions, key=str)), scalars)


def _topological(inputs: Mapping[str, set[str]]) -> tuple[str, ...]:
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            cycle = path[path.index(name):] + [name]
            raise InputError(f"chain: the definitions form a cycle: {' -> '.join(cycle)}",
                             parameter="chain")
        state[name] = "open"
        for dep in sorted(inputs.get(name, ())):
            if dep in inputs:
                visit(dep, [*path, name])
        state[name] = "done"
        order.append(name)

    for name in sorted(inputs):
        visit(name, [])
    return tuple(order)


# ------------------------------------------------------------------ the algebra


class _Algebra:
    """Backpropagation through one chain's expressions, with shapes and normal forms."""

    def __init__(self, chain: MatrixChain, extra_shapes: Mapping[str, Shape]) -> None:
        self.chain = chain
        self.shapes = {**chain.shapes, **extra_shapes}
        self.constants = set(chain.scalars)

    def shape(self, expr: Any) -> Shape:
        return shape_of(expr, self.shapes, where=text(expr))

    def is_constant(self, factor: Any) -> bool:
        return all(s.name in self.constants for s in factor.free_symbols) and is_elementwise(factor)

    def split(self, expr: Any) -> tuple[Any, Any]:
        """(constant coefficient, the rest) of a product."""
        expr = sp.factor_terms(expr)
        factors = expr.args if isinstance(expr, sp.Mul) else (expr,)
        coefficient = sp.Mul(*(f for f in factors if self.is_constant(f)))
        rest = sp.Mul(*(f for f in factors if not self.is_constant(f)))
        return coefficient, rest

    def matprod(self, a: Any, b: Any) -> Any:
        ca, ra = self.split(a)
        cb, rb = self.split(b)
        return ca * cb * MatProd(ra, rb)

    def reduce(self, kind: Any, e: Any) -> Any:
        c, rest = self.split(e)
        if rest == 1:
            return c * kind(sp.S.One) if kind is not SumAll else c
        return c * kind(rest)

    def transpose(self, e: Any) -> Any:
        c, rest = self.split(e)
        if isinstance(rest, Tr):
            return c * rest.args[0]
        if self.shape(rest) == (1, 1):
            return c * rest
        return c * Tr(rest)

    def unbroadcast(self, g: Any, target: Shape) -> Any:
        have = self.shape(g)
        if have == target:
            return g
        rows_summed = target[0] == 1 and have[0] != 1
        cols_summed = target[1] == 1 and have[1] != 1
        if rows_summed and cols_summed:
            return self.reduce(SumAll, g)
        if cols_summed:
            return self.reduce(RowSum, g)
        if rows_summed:
            return self.reduce(ColSum, g)
        return g

    def backprop(self, expr: Any, g: Any, target: Any) -> Any:
        """∂(⟨g, expr⟩)/∂target: the adjoint ``g`` (shape of expr) carried back to ``target``."""
        if expr == target:
            return g
        if target not in expr.free_symbols:
            return sp.S.Zero
        if isinstance(expr, sp.Add):
            return sp.Add(*(self.backprop(a, self.unbroadcast(g, self.shape(a)), target)
                            for a in expr.args))
        if isinstance(expr, sp.Mul):
            total = sp.S.Zero
            for i, factor in enumerate(expr.args):
                if target not in factor.free_symbols:
                    continue
                others = sp.Mul(*(f for j, f in enumerate(expr.args) if j != i))
                total += self.backprop(factor, self.unbroadcast(g * others, self.shape(factor)),
                                       target)
            return total
        if isinstance(expr, sp.Pow):
            base, exponent = expr.args
            return self.backprop(base, self.unbroadcast(g * exponent * base**(exponent - 1),
                                                        self.shape(base)), target)
        if isinstance(expr, MatProd):
            a, b = expr.args
            return (self.backprop(a, self.matprod(g, self.transpose(b)), target)
                    + self.backprop(b, self.matprod(self.transpose(a), g), target))
        if isinstance(expr, Tr):
            return self.backprop(expr.args[0], self.transpose(g), target)
        if isinstance(expr, SumAll | RowSum | ColSum):
            return self.backprop(expr.args[0], g, target)
        if isinstance(expr, Softmax):
            s = expr
            return self.backprop(expr.args[0], s * (g - self.reduce(ColSum, s * g)), target)
        if isinstance(expr, sp.Function):
            x = sp.Dummy("x", real=True)
            slope = sp.diff(expr.func(x, *expr.args[1:]), x).subs(x, expr.args[0])
            return self.backprop(expr.args[0], g * slope, target)
        raise InputError(f"chain: cannot differentiate {text(expr)}", parameter="chain")

    def in_own_names(self, expr: Any) -> Any:
        """Each definition's right-hand side written as its name (tanh(Z1) → A1)."""
        replace = {rhs: sp.Symbol(name, real=True)
                   for name, rhs in self.chain.definitions.items()
                   if not isinstance(rhs, sp.Symbol)}
        return expr.xreplace(replace)

    def tidy(self, expr: Any) -> Any:
        """The shortest of a few equivalent forms (as is, factored terms, cancelled)."""
        forms = [expr]
        if sp.count_ops(expr) > MAX_NODES // 2:  # bound the algebra's cost, not only the input
            return expr
        for make in (sp.factor_terms, sp.cancel, lambda e: sp.factor_terms(sp.cancel(e))):
            try:
                forms.append(self.normal(make(expr)))
            except (sp.PolynomialError, ValueError, TypeError):
                continue
        return min(forms, key=lambda e: (sp.count_ops(e), len(str(e))))

    def normal(self, expr: Any) -> Any:
        """Constant factors pulled out of products, transposes and sums, everywhere."""
        if not expr.args or isinstance(expr, sp.Symbol):
            return expr
        args = [self.normal(a) for a in expr.args]
        if isinstance(expr, MatProd):
            return self.matprod(*args)
        if isinstance(expr, Tr):
            return self.transpose(args[0])
        if isinstance(expr, RowSum | ColSum):
            return self.reduce(type(expr), args[0])
        if isinstance(expr, SumAll):
            c, rest = self.split(args[0])
            return c * SumAll(rest) if rest != 1 else c * expr
        return expr.func(*args)


# ------------------------------------------------------------------ numbers


class _Numbers:
    """Random inputs at several sizes, forward values, and J's central differences."""

    def __init__(self, chain: MatrixChain, targets: Sequence[str], seed: int,
                 one_hot: set[str]) -> None:
        import numpy as np

        rng = np.random.default_rng(seed)
        self.chain = chain
        self.cases: list[dict[str, Any]] = []
        symbolic = list(chain.dimensions)
        for _ in range(SIZES_TRIED):
            sizes = {d: int(rng.integers(2, 6)) for d in symbolic}
            values: dict[str, Any] = {d.name: float(v) for d, v in sizes.items()}
            for leaf in chain.leaves:
                rows, cols = (int(sp.sympify(x).subs(sizes)) for x in chain.shapes[leaf])
                if leaf in one_hot:
                    value = np.zeros((rows, cols))
                    value[rng.integers(0, rows, size=cols), np.arange(cols)] = 1.0
                elif leaf in targets or (rows, cols) != (1, 1):
                    value = rng.normal(0.0, VALUE_SCALE, (rows, cols))
                else:
                    value = rng.uniform(0.2, 2.0, (1, 1))
                values[leaf] = value
            self.cases.append({"sizes": {d.name: v for d, v in sizes.items()},
                               "values": self.forward(values)})

    def forward(self, values: dict[str, Any], override: Mapping[str, Any] | None = None
                ) -> dict[str, Any]:
        from probkit.symbolic.matrix_ops import evaluate

        found = {**values, **(override or {})}
        for name in self.chain.order:
            if name in self.chain.definitions and not (override and name in override):
                found[name] = evaluate(self.chain.definitions[name], found)
        return found

    def gradient(self, case: dict[str, Any], name: str) -> Any:
        """∂J/∂name by central differences, the rest of the chain recomputed downstream."""
        import numpy as np

        from probkit.gradient_check.numeric import finite_difference_gradient

        base = case["values"]
        output = self.chain.output

        def cost(p: dict[str, Any]) -> float:
            return float(np.sum(self.forward(base, override=p)[output]))

        start = {name: np.array(base[name], dtype=np.float64)}
        return finite_difference_gradient(cost, start, epsilon=EPSILON)[name]


# ------------------------------------------------------------------ the derivation


def _convention_note(m: Any) -> Prose:
    return Prose.of(
        "Convention (the course's): for a quantity with one column per example, ",
        Math("dZ^{[2]}", "dZ2"), " is ", Math(r"m \frac{\partial J}{\partial Z^{[2]}}",
                                               "m dJ/dZ2"),
        " (the derivative of the sum of the losses); for a parameter, ",
        Math("dW^{[1]}", "dW1"), " is ", Math(r"\frac{\partial J}{\partial W^{[1]}}", "dJ/dW1"),
        " itself, which is why the parameters' gradients carry the ", Math(r"\frac{1}{m}", "1/m"),
        f". Here m{'' if str(m) == 'm' else ' = ' + str(m)} is the number of columns "
        "(examples).")


def derive_matrix_chain(
    definitions: Sequence[str],
    *,
    wrt: Sequence[str] = (),
    shapes: Sequence[str] = (),
    seed: int = 0,
) -> Derivation:
    """Backpropagate through a chain of matrix definitions, every step checked twice.

    Parameters
    ----------
    definitions : sequence of str
        ``"NAME = expression"`` in numpy notation (``@``, ``*``, ``.T``,
        ``sum(E)``, ``sum(E, axis=1)``, ``tanh``, ``sigmoid``, ``relu``,
        ``leaky_relu``, ``softmax``, ``exp``, ``log``), in any order.
    wrt : sequence of str
        Names to differentiate by (default: every input with more than one entry
        that is not data: all inputs but the first-declared matrices X and Y).
    shapes : sequence of str
        ``NAME=ROWS,COLS`` for every input (symbols such as ``n_h`` or numbers).
    seed : int
        Seed of the numpy Generator drawing the random sizes and values.

    Raises
    ------
    InputError
        A missing or wrong shape, a product that does not conform, an unknown
        function, several outputs, an output that is not 1 × 1.
    """
    chain = parse_matrix_chain(definitions, shapes)
    targets = _targets(chain, wrt)
    m = _examples(chain, targets)
    scale = _scales(chain, m)
    d_shapes = {"d" + n: chain.shapes[n] for n in chain.shapes}
    algebra = _Algebra(chain, d_shapes)
    needed = _needed(chain, targets)
    consumers = {name: [c for c in chain.order if c in chain.definitions and
                        name in {s.name for s in chain.definitions[c].free_symbols}
                        and (c in needed or c == chain.output)]
                 for name in needed}
    softmax_labels = _softmax_labels(chain)
    numbers = _Numbers(chain, targets, seed, softmax_labels)
    truth = _true_gradients(numbers, needed, scale)
    scalars = set(chain.scalars)
    all_shapes = {**chain.shapes, **d_shapes}

    def show(expr: Any) -> Shown:
        return Shown(expr, all_shapes, scalars)

    def formula(lhs: Any, rhs: Any) -> Math:
        return Math(f"{latex(lhs, scalars)} = {latex(rhs, scalars)}",
                    f"{text(lhs, scalars)} = {text(rhs, scalars)}")

    def check(name: str, expr: Any, extra: str = "") -> Check:
        return _check(name, expr, algebra, numbers, truth, scale, extra)

    steps: list[Step] = []
    final: dict[str, Any] = {}
    last_check: dict[str, Check] = {}
    order_back = [n for n in reversed(chain.order) if n in needed]
    order_back += [n for n in targets if n not in order_back]
    activations = {n for n, e in chain.definitions.items()
                   if is_elementwise(e) or isinstance(e, Softmax)}
    for name in order_back:
        symbol = sp.Symbol(name, real=True)
        d_symbol = sp.Symbol("d" + name, real=True)
        pieces = []
        for consumer in consumers[name]:
            seed_g = sp.S.One if consumer == chain.output else \
                sp.Symbol("d" + consumer, real=True) / scale[consumer]
            piece = algebra.backprop(chain.definitions[consumer], seed_g, symbol)
            piece = algebra.unbroadcast(piece, chain.shapes[name])
            if piece != 0 and algebra.shape(piece) != chain.shapes[name]:
                piece = piece * Ones(*chain.shapes[name])  # the same everywhere
            piece = sp.factor_terms(algebra.in_own_names(scale[name] * piece))
            pieces.append(algebra.normal(piece))
        chained = sp.Add(*pieces)
        through: list[str | Math] = []
        for index, c in enumerate(consumers[name]):
            through += [", "] if index else []
            through.append(formula(sp.Symbol(c), chain.definitions[c]))
        steps.append(Step(
            f"chain rule through {', '.join(consumers[name])}", show(d_symbol), show(chained),
            Prose.of(_meaning(name, chain.output, scale[name] != 1), "; back through ",
                     *through, ". ", _shape_sentence(name, chained, algebra)),
            check(name, chained)))
        current = chained
        substitute = {sp.Symbol("d" + c, real=True): final[c] for c in consumers[name]
                      if c in activations and c in final and c != chain.output}
        if substitute:
            put = algebra.normal(current.xreplace(substitute))
            names = ", ".join(str(c) for c in sorted(substitute, key=str))
            steps.append(Step(f"substitute {names}", show(current), show(put),
                              f"Put in {names} as derived above.", check(name, put)))
            current = put
        simpler = algebra.tidy(algebra.in_own_names(current))
        if simpler != current and 2 * sp.count_ops(simpler) <= sp.count_ops(current):
            steps.append(Step("simplify entry by entry", show(current), show(simpler),
                              "The entry-by-entry algebra (each name stands for one entry).",
                              check(name, simpler)))
            current = simpler
        labels_sum = {ColSum(sp.Symbol(y, real=True)): sp.S.One for y in softmax_labels}
        if labels_sum and current.has(*labels_sum):
            one_hot = algebra.tidy(current.xreplace(labels_sum))
            steps.append(Step(
                "columns of the labels sum to 1", show(current), show(one_hot),
                f"Each column of {', '.join(sorted(softmax_labels))} is one-hot (sums to 1); "
                "the values are checked with one-hot labels.", check(name, one_hot)))
            current = one_hot
        final[name] = current
        last_check[name] = steps[-1].check

    results = []
    for target in targets:
        results.append(Step("result", show(sp.Symbol("d" + target, real=True)),
                            show(final[target]),
                            "In the chain's own names, checked as the step that derived it.",
                            last_check[target]))
    given = tuple(
        Given(show(sp.Symbol(n, real=True)), show(chain.definitions[n]),
              f"{n} is {shape_text(chain.shapes[n])}")
        for n in chain.order if n in chain.definitions)
    sizes = "; ".join(", ".join(f"{k} = {v}" for k, v in case["sizes"].items())
                      for case in numbers.cases)
    where = (f"{SIZES_TRIED} random sizes ({sizes})" if chain.dimensions else
             f"the given sizes, {SIZES_TRIED} times")
    inputs = ", ".join(f"{leaf} {shape_text(chain.shapes[leaf])}" for leaf in chain.leaves)
    notes: list[Any] = [
        _convention_note(m),
        f"Inputs: {inputs}.",
        "Each step is checked twice: its shapes (every product conformable, the result the "
        "shape of the gradient it names) and its values, against central differences of "
        f"{chain.output} (ε = {EPSILON:g}, relative difference below {TOLERANCE:g}) at "
        f"{where} with random values (numpy Generator, seed {seed}).",
        Prose.of(Math(r"\mathbf{1}", "1"), " is a column of ones: ", Math(r"dZ \mathbf{1}",
                 "sum(dZ, axis=1)"), " sums each row over the examples; ",
                 Math(r"\circ", "· (* in numpy)"), " is the entry-by-entry product."),
    ]
    if softmax_labels:
        notes.append(f"Labels {', '.join(sorted(softmax_labels))}: one-hot columns.")
    command = "".join(f" --chain {shlex.quote(t)}" for t in definitions).strip()
    command += "".join(f" --shape {shlex.quote(s)}" for s in shapes)
    command += "".join(f" --wrt {t}" for t in targets)
    stated: list[str | Math] = []
    for index, t in enumerate(targets):
        stated += ["; "] if index else []
        stated.append(formula(sp.Symbol("d" + t), final[t]))
    summary = Prose.of(*stated, ".")
    return Derivation(name=command, title=f"Vectorized backpropagation through "
                      f"{', '.join(n for n in chain.order if n in chain.definitions)}",
                      summary=summary, given=given, steps=tuple(steps), results=tuple(results),
                      notes=tuple(notes), derivative_notation="partial")


def _scales(chain: MatrixChain, m: Any) -> dict[str, Any]:
    """m for the quantities with one column per example (the course's dZ), else 1 (dW)."""
    return {name: (m if name in chain.definitions and name != chain.output
                   and chain.shapes[name][1] == m and m != 1 else sp.S.One)
            for name in chain.shapes}


def check_gradient_formula(
    definitions: Sequence[str],
    shapes: Sequence[str],
    name: str,
    formula: str,
    *,
    wrt: Sequence[str] = (),
    seed: int = 0,
) -> Check:
    """Check a claimed ``d{name} = formula`` (the course's convention) twice: shapes, values.

    The formula is numpy notation and may use the chain's names and gradient
    names (``dZ2``); those are given their true values (central differences),
    so only this one formula is judged.

    >>> chain = ["Z = W @ X + b", "A = sigmoid(Z)",
    ...          "J = -(1/m) * sum(Y*log(A) + (1-Y)*log(1-A))"]
    >>> shapes = ["X=n,m", "W=1,n", "b=1,1", "Y=1,m"]
    >>> check_gradient_formula(chain, shapes, "W", "(1/m) * dZ @ X.T").passed
    True
    >>> check_gradient_formula(chain, shapes, "W", "dZ @ X.T").passed  # the 1/m missing
    False
    >>> check_gradient_formula(chain, shapes, "W", "(1/m) * dZ @ X").detail  # doctest: +ELLIPSIS
    'shapes: ... not defined...'
    """
    chain = parse_matrix_chain(definitions, shapes)
    if name not in chain.shapes or name == chain.output:
        raise InputError(f"name: {name!r} is not a matrix of the chain", parameter="name")
    m = _examples(chain, [*wrt, name])
    scale = _scales(chain, m)
    d_shapes = {"d" + n: chain.shapes[n] for n in chain.shapes}
    symbols: dict[str, Any] = {n: sp.Symbol(n, real=True) for n in [*chain.shapes, *d_shapes]}
    symbols.update({d.name: d for d in chain.dimensions})
    expr = _Reader(symbols, f"formula d{name}").read(formula)
    algebra = _Algebra(chain, d_shapes)
    targets = list(wrt) or [name]
    numbers = _Numbers(chain, targets, seed, _softmax_labels(chain))
    needed = {n for n in chain.shapes
              if n != chain.output and (n not in chain.scalars or n == name)}
    truth = _true_gradients(numbers, needed, scale)
    return _check(name, expr, algebra, numbers, truth, scale, "")


def _targets(chain: MatrixChain, wrt: Sequence[str]) -> list[str]:
    if not wrt:
        raise InputError("wrt: name the parameters to differentiate by (e.g. --wrt W1 "
                         "--wrt b1)", parameter="wrt")
    targets: list[str] = []
    for name in (w.strip() for w in wrt):
        if name == chain.output:
            raise InputError(f"wrt: {name} is the output of the chain", parameter="wrt")
        if name not in chain.shapes or name in chain.scalars and name not in chain.leaves:
            raise InputError(f"wrt: {name!r} is not a matrix of the chain (its names: "
                             f"{', '.join(sorted(chain.shapes))})", parameter="wrt")
        if name in targets:
            raise InputError(f"wrt: {name!r} is given twice", parameter="wrt")
        targets.append(name)
    return targets


def _examples(chain: MatrixChain, targets: Sequence[str] = ()) -> Any:
    """The number of examples: the dimension called m, else the columns most of the data
    inputs (the inputs not differentiated by) share."""
    for d in chain.dimensions:
        if d.name == "m":
            return d
    columns = [chain.shapes[leaf][1] for leaf in chain.leaves
               if leaf not in targets and chain.shapes[leaf][1] != 1]
    return max(columns, key=columns.count) if columns else sp.S.One


def _needed(chain: MatrixChain, targets: Sequence[str]) -> set[str]:
    """The names on a path from the output to a target (the output excluded)."""
    needed: set[str] = set(targets)
    changed = True
    while changed:
        changed = False
        for name, expr in chain.definitions.items():
            if name in needed or name == chain.output:
                continue
            if {s.name for s in expr.free_symbols} & needed:
                needed.add(name)
                changed = True
    for target in targets:
        if not _depends(chain, chain.output, target):
            raise InputError(f"wrt: {chain.output} does not depend on {target}",
                             parameter="wrt")
    return needed


def _depends(chain: MatrixChain, name: str, target: str) -> bool:
    if name == target:
        return True
    expr = chain.definitions.get(name)
    if expr is None:
        return False
    return any(_depends(chain, s.name, target) for s in expr.free_symbols
               if s.name in chain.shapes)


def _softmax_labels(chain: MatrixChain) -> set[str]:
    """The label inputs of a softmax output: leaves of the output's shape not in a product
    and not feeding a softmax (those are its logits)."""
    outputs = [n for n, e in chain.definitions.items() if isinstance(e, Softmax)]
    if not outputs:
        return set()
    in_products = {s.name for e in chain.definitions.values()
                   for node in sp.preorder_traversal(e) if isinstance(node, MatProd)
                   for s in node.free_symbols}
    shapes = {chain.shapes[o] for o in outputs}
    return {leaf for leaf in chain.leaves
            if chain.shapes[leaf] in shapes and leaf not in in_products
            and not any(_depends(chain, o, leaf) for o in outputs)}


def _true_gradients(numbers: _Numbers, needed: set[str], scale: Mapping[str, Any]
                    ) -> list[dict[str, Any]]:
    found = []
    for case in numbers.cases:
        sizes = {sp.Symbol(k, integer=True, positive=True): v for k, v in case["sizes"].items()}
        grads = {}
        for name in needed:
            factor = float(sp.sympify(scale[name]).subs(sizes))
            grads["d" + name] = factor * numbers.gradient(case, name)
        found.append(grads)
    return found


def _meaning(name: str, output: str, per_example: bool) -> Math:
    """``dZ2 = m ∂J/∂Z2`` (one column per example) or ``dW2 = ∂J/∂W2``."""
    d, plain = latex_name("d" + name), latex_name(name)
    factor = "m " if per_example else ""
    return Math(rf"{d} = {factor}\frac{{\partial {output}}}{{\partial {plain}}}",
                f"d{name} = {'m·' if per_example else ''}∂{output}/∂{name}")


def _shape_sentence(name: str, expr: Any, algebra: _Algebra) -> str:
    products = [node for node in sp.preorder_traversal(expr) if isinstance(node, MatProd)]
    parts = [f"{text(p.args[0])} @ {text(p.args[1])}: "
             f"{shape_text(algebra.shape(p.args[0]))} @ {shape_text(algebra.shape(p.args[1]))}"
             f" → {shape_text(algebra.shape(p))}" for p in products]
    parts.append(f"d{name} is {shape_text(algebra.shape(expr))} like {name}")
    return "Shapes: " + "; ".join(parts) + "."


def _check(name: str, expr: Any, algebra: _Algebra, numbers: _Numbers,
           truth: Sequence[Mapping[str, Any]], scale: Mapping[str, Any], extra: str) -> Check:
    import numpy as np

    from probkit.gradient_check.numeric import relative_difference
    from probkit.symbolic.matrix_ops import evaluate

    try:
        got = algebra.shape(expr)
    except InputError as exc:
        return Check("shapes and values", False, float("inf"), f"shapes: {exc}")
    want = algebra.chain.shapes[name]
    if got != want:
        return Check("shapes and values", False, float("inf"),
                     f"shapes: {shape_text(got)}, but {name} is {shape_text(want)}")
    worst = 0.0
    witness = ""
    for case, grads in zip(numbers.cases, truth, strict=True):
        values = {**case["values"], **grads}
        value = np.broadcast_to(np.asarray(evaluate(expr, values), dtype=np.float64),
                                grads["d" + name].shape)
        if not np.all(np.isfinite(value)):
            return Check("shapes and values", False, float("inf"),
                         "values: not finite at the random point")
        difference = relative_difference(value, grads["d" + name])
        if difference > worst:
            worst = difference
            witness = _counterexample(name, case["sizes"], value, grads["d" + name])
    passed = worst < TOLERANCE
    detail = (f"shapes: {shape_text(got)} = shape of {name}; values: relative difference "
              f"{worst:.2e} from central differences at {len(numbers.cases)} random sizes")
    if not passed:
        detail += f" ({witness})"
    return Check("shapes and values", passed, _power_of_ten_above(worst), detail + extra)


def _counterexample(name: str, sizes: Mapping[str, int], claimed: Any, true: Any) -> str:
    """``at n_h = 3, m = 4 (random matrices): dW1[1, 0] = 0.52 by the formula, 0.13 by
    central differences`` — the entry where the formula is furthest off."""
    import numpy as np

    where = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(claimed - true)),
                                                   true.shape))
    at = ", ".join(f"{d} = {v}" for d, v in sorted(sizes.items()))
    return (f"counterexample at {at} on random matrices: d{name}[{where[0]}, {where[1]}] = "
            f"{claimed[where]:.3g} by the formula, {true[where]:.3g} by central differences")


RESIDUAL_FLOOR = 1e-8
"""The smallest residual shown (central differences in float64 reach about 1e-10 to 1e-8)."""


def _power_of_ten_above(value: float) -> float:
    """The residual shown: the power of ten above the worst relative difference, at least
    :data:`RESIDUAL_FLOOR` (its digits are rounding noise that differs between machines;
    the detail keeps them)."""
    import math

    if value <= RESIDUAL_FLOOR:
        return RESIDUAL_FLOOR
    return float(10.0 ** math.ceil(math.log10(value)))


__all__ = ["MatrixChain", "check_gradient_formula", "derive_matrix_chain", "parse_matrix_chain"]
