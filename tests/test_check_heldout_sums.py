"""Integrity of the second held-out corpus, tests/check_heldout_sums/.

This test never runs `probkit check`. It only checks the corpus itself:

* the manifest lists 16 pairs, 8 English and 8 Japanese, and every file exists;
* each `*_slip.md` twin differs from its correct post on exactly one line, the manifest's
  `slip_line`;
* the mathematics of every correct post holds: each displayed equation (and the numbers in
  the worked examples) is re-derived with SymPy, with sums checked on concrete n and random
  data, and the equation text is looked up in the post so the check is tied to what the post
  says;
* the planted slip really is wrong.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import sympy as sp

HERE = Path(__file__).parent / "check_heldout_sums"
PAIRS: list[dict] = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))["pair"]
BY_NAME = {p["name"]: p for p in PAIRS}
KINDS = {
    "sign",
    "missing_factor",
    "wrong_exponent",
    "dropped_chain_factor",
    "wrong_index",
    "arithmetic",
}
R = sp.Rational
TOL = 1e-20


# --------------------------------------------------------------------------- helpers


def _read(rel: str) -> str:
    return (HERE / rel).read_text(encoding="utf-8")


def _contains(name: str, *snippets: str) -> None:
    text = _read(BY_NAME[name]["correct"])
    for snippet in snippets:
        assert snippet in text, f"{name}: {snippet!r} not in the post"


def _zero(expr: sp.Expr) -> None:
    assert sp.simplify(expr) == 0, expr


def _zero_matrix(m: sp.Matrix) -> None:
    for entry in m:
        _zero(entry)


def _num_eq(
    lhs: sp.Expr,
    rhs: sp.Expr,
    symbols: Iterable[sp.Symbol],
    *,
    seed: int,
    positive: Iterable[sp.Symbol] = (),
    unit: Iterable[sp.Symbol] = (),
    points: int = 4,
) -> None:
    """lhs == rhs at random points (real in (-2, 2), positive in (0.25, 3), unit in (0, 1))."""
    rng = random.Random(seed)
    symbols, positive, unit = list(symbols), set(positive), set(unit)
    for _ in range(points):
        subs = {}
        for s in symbols:
            if s in unit:
                subs[s] = R(rng.randint(1, 99), 100)
            elif s in positive:
                subs[s] = R(rng.randint(25, 300), 100)
            else:
                subs[s] = R(rng.randint(-200, 200), 100)
        diff = sp.N((lhs - rhs).subs(subs), 40)
        assert abs(diff) < TOL, (lhs, rhs, subs, diff)


def _shown(value: sp.Expr, text: str) -> None:
    """`text` is `value` correctly rounded to the digits shown."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    assert abs(float(sp.N(value, 30)) - float(text)) <= 0.5 * 10.0**-decimals + 1e-12, (
        value,
        text,
    )


def _data(seed: int, n: int) -> list[sp.Rational]:
    rng = random.Random(seed)
    return [R(rng.randint(-40, 40), 8) for _ in range(n)]


def _positive_data(seed: int, n: int) -> list[sp.Rational]:
    rng = random.Random(seed)
    return [R(rng.randint(1, 40), 8) for _ in range(n)]


def _normal_expectation(expr: sp.Expr, xs: list[sp.Symbol], mu: sp.Symbol, sigma: sp.Symbol):
    """E[expr] for independent x_i ~ N(mu, sigma^2), expr a polynomial of degree <= 4."""
    es = sp.symbols(f"e0:{len(xs)}")
    e = sp.expand(expr.subs({x: mu + sigma * z for x, z in zip(xs, es, strict=True)}))
    moments = {0: 1, 1: 0, 2: 1, 3: 0, 4: 3}
    total = sp.Integer(0)
    for exps, coeff in sp.Poly(e, *es).terms():
        term = coeff
        for k in exps:
            term *= moments[k]
        total += term
    return sp.simplify(total)


def _sigmoid(z: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-z))


# --------------------------------------------------------------------------- English posts


def _v_least_squares() -> None:
    name = "least_squares"
    _contains(
        name,
        r"S(a, b) = \sum_{i=1}^{n} (y_i - a - b x_i)^2",
        r"\frac{\partial S}{\partial a} &= -2 \sum_{i=1}^{n} (y_i - a - b x_i) \\",
        r"\frac{\partial S}{\partial b} &= -2 \sum_{i=1}^{n} x_i (y_i - a - b x_i)",
        r"\sum_{i=1}^{n} y_i &= n a + b \sum_{i=1}^{n} x_i \\",
        r"\sum_{i=1}^{n} x_i y_i &= a \sum_{i=1}^{n} x_i + b \sum_{i=1}^{n} x_i^2",
        r"$a = \bar y - b \bar x$",
        r"b = \frac{\sum_{i=1}^{n} (x_i - \bar x)(y_i - \bar y)}{\sum_{i=1}^{n} (x_i - \bar x)^2}",
        r"\nabla_{\boldsymbol\beta} S = -2 X^\top (\mathbf{y} - X \boldsymbol\beta)",
    )
    a, b = sp.symbols("a b", real=True)
    n = 5
    x, y = _data(11, n), _data(12, n)
    S = sum((yi - a - b * xi) ** 2 for xi, yi in zip(x, y, strict=True))
    dSa = -2 * sum(yi - a - b * xi for xi, yi in zip(x, y, strict=True))
    dSb = -2 * sum(xi * (yi - a - b * xi) for xi, yi in zip(x, y, strict=True))
    _zero(sp.diff(S, a) - dSa)
    _zero(sp.diff(S, b) - dSb)
    # the normal equations are the stationarity conditions, rearranged
    _zero((sum(y) - (n * a + b * sum(x))) - dSa / -2)
    sxy = sum(xi * yi for xi, yi in zip(x, y, strict=True))
    _zero((sxy - (a * sum(x) + b * sum(xi**2 for xi in x))) - dSb / -2)
    sol = sp.solve([dSa, dSb], [a, b], dict=True)[0]
    xbar, ybar = sum(x) / n, sum(y) / n
    _zero(sol[a] - (ybar - sol[b] * xbar))
    sxy_c = sum((xi - xbar) * (yi - ybar) for xi, yi in zip(x, y, strict=True))
    _zero(sol[b] - sxy_c / sum((xi - xbar) ** 2 for xi in x))
    _zero(sp.diff(S, a, 2) - 2 * n)
    _zero(sp.diff(S, b, 2) - 2 * sum(xi**2 for xi in x))
    H = sp.hessian(S, (a, b))
    assert H[0, 0] > 0 and H.det() > 0
    # matrix form
    X = sp.Matrix([[1, xi] for xi in x])
    Y = sp.Matrix(y)
    beta = sp.Matrix([a, b])
    S_mat = ((Y - X * beta).T * (Y - X * beta))[0]
    _zero(S_mat - S)
    grad = sp.Matrix([sp.diff(S_mat, a), sp.diff(S_mat, b)])
    _zero_matrix(grad - (-2 * X.T * (Y - X * beta)))
    # worked example
    x, y = [1, 2, 3, 4], [2, 3, 5, 6]
    xbar, ybar = R(sum(x), 4), R(sum(y), 4)
    assert (xbar, ybar) == (R("2.5"), 4)
    dx = [xi - xbar for xi in x]
    dy = [yi - ybar for yi in y]
    assert dx == [R("-1.5"), R("-0.5"), R("0.5"), R("1.5")] and dy == [-2, -1, 1, 2]
    assert sum(u * v for u, v in zip(dx, dy, strict=True)) == 7
    assert [u**2 for u in dx] == [R("2.25"), R("0.25"), R("0.25"), R("2.25")]
    assert sum(u**2 for u in dx) == 5
    b_hat = R(7, 5)
    assert b_hat == R("1.4")
    a_hat = 4 - R("1.4") * R("2.5")
    assert a_hat == R("0.5")
    resid = [yi - (a_hat + b_hat * xi) for xi, yi in zip(x, y, strict=True)]
    assert resid == [R("0.1"), R("-0.3"), R("0.3"), R("-0.1")] and sum(resid) == 0


def _v_ridge() -> None:
    name = "ridge"
    _contains(
        name,
        r"E(w) = \sum_{i=1}^{n} (y_i - w x_i)^2 + \lambda w^2",
        r"\frac{dE}{dw} = -2 \sum_{i=1}^{n} x_i (y_i - w x_i) + 2 \lambda w",
        r"w \left( \sum_{i=1}^{n} x_i^2 + \lambda \right) = \sum_{i=1}^{n} x_i y_i",
        r"\hat w = \frac{\sum_{i=1}^{n} x_i y_i}{\sum_{i=1}^{n} x_i^2 + \lambda}",
        r"E''(w) = 2 \sum_{i=1}^{n} x_i^2 + 2 \lambda",
        r"\sum_{i=1}^{3} x_i y_i = 2 + 8 + 15 = 25, \qquad \sum_{i=1}^{3} x_i^2 = 1 + 4 + 9 = 14",
        r"\hat w = \frac{25}{14 + 1} = \frac{5}{3} \approx 1.667",
        r"\nabla E(\mathbf{w}) = -2 X^\top (\mathbf{y} - X \mathbf{w}) + 2 \lambda \mathbf{w}",
        r"\hat{\mathbf{w}} = (X^\top X + \lambda I)^{-1} X^\top \mathbf{y}",
    )
    w = sp.Symbol("w", real=True)
    lam = sp.Symbol("lambda", positive=True)
    x, y = _data(21, 5), _data(22, 5)
    E = sum((yi - w * xi) ** 2 for xi, yi in zip(x, y, strict=True)) + lam * w**2
    dE = -2 * sum(xi * (yi - w * xi) for xi, yi in zip(x, y, strict=True)) + 2 * lam * w
    _zero(sp.diff(E, w) - dE)
    sxx = sum(xi**2 for xi in x)
    sxy = sum(xi * yi for xi, yi in zip(x, y, strict=True))
    # dE/dw = 0  <=>  w (sxx + lam) = sxy
    _zero(dE / 2 - (w * (sxx + lam) - sxy))
    (w_hat,) = sp.solve(dE, w)
    _zero(w_hat - sxy / (sxx + lam))
    _zero(sp.diff(E, w, 2) - (2 * sxx + 2 * lam))
    # example
    x, y = [1, 2, 3], [2, 4, 5]
    assert [xi * yi for xi, yi in zip(x, y, strict=True)] == [2, 8, 15]
    assert [xi**2 for xi in x] == [1, 4, 9]
    assert R(25, 14 + 1) == R(5, 3)
    _shown(R(5, 3), "1.667")
    _shown(R(25, 14), "1.786")
    # matrix form
    w1, w2 = sp.symbols("w1 w2", real=True)
    W = sp.Matrix([w1, w2])
    X = sp.Matrix(4, 2, _data(23, 8))
    Y = sp.Matrix(_data(24, 4))
    Em = ((Y - X * W).T * (Y - X * W))[0] + lam * (W.T * W)[0]
    grad = sp.Matrix([sp.diff(Em, w1), sp.diff(Em, w2)])
    _zero_matrix(grad - (-2 * X.T * (Y - X * W) + 2 * lam * W))
    A = (X.T * X + lam * sp.eye(2)).subs(lam, 1)
    W_hat = A.inv() * X.T * Y
    _zero_matrix(grad.subs({lam: 1, w1: W_hat[0], w2: W_hat[1]}))


def _v_logistic_regression() -> None:
    name = "logistic_regression"
    _contains(
        name,
        r"L(\mathbf{w}) = \prod_{i=1}^{n} p_i^{y_i} (1 - p_i)^{1 - y_i}",
        r"\ell(\mathbf{w}) = \sum_{i=1}^{n} \left[ y_i \log p_i + (1 - y_i) \log (1 - p_i) \right]",
        r"\sigma'(z) &= \frac{e^{-z}}{(1 + e^{-z})^2} \\",
        r"&= \frac{1}{1 + e^{-z}} \cdot \frac{e^{-z}}{1 + e^{-z}} \\",
        r"&= \sigma(z) \bigl(1 - \sigma(z)\bigr)",
        r"\left[ \frac{y_i}{p_i} - \frac{1 - y_i}{1 - p_i} \right] "
        r"p_i (1 - p_i) \, \mathbf{x}_i \\",
        r"&= \sum_{i=1}^{n} \left[ y_i (1 - p_i) - (1 - y_i) p_i \right] \mathbf{x}_i \\",
        r"&= \sum_{i=1}^{n} (y_i - p_i) \, \mathbf{x}_i",
        r"\nabla^2 \ell(\mathbf{w}) = -\sum_{i=1}^{n} p_i (1 - p_i) \, "
        r"\mathbf{x}_i \mathbf{x}_i^\top",
        r"= (1 - 0.5)(1) + (0 - 0.5)(-2) = 1.5",
        r"\sum_{i=1}^{n} \log\left(1 + e^{-y_i \mathbf{w}^\top \mathbf{x}_i}\right)",
    )
    z = sp.Symbol("z", real=True)
    sig = _sigmoid(z)
    d = sp.diff(sig, z)
    _zero(d - sp.exp(-z) / (1 + sp.exp(-z)) ** 2)
    _zero(sp.exp(-z) / (1 + sp.exp(-z)) ** 2 - sig * (sp.exp(-z) / (1 + sp.exp(-z))))
    _zero(d - sig * (1 - sig))
    # gradient and Hessian for d = 2, n = 4
    w1, w2 = sp.symbols("w1 w2", real=True)
    W = sp.Matrix([w1, w2])
    xs = [sp.Matrix(v) for v in zip(_data(31, 4), _data(32, 4), strict=True)]
    ys = [1, 0, 1, 0]
    ps = [_sigmoid((W.T * xi)[0]) for xi in xs]
    L = sp.Mul(*[p**yi * (1 - p) ** (1 - yi) for p, yi in zip(ps, ys, strict=True)])
    ell = sum(yi * sp.log(p) + (1 - yi) * sp.log(1 - p) for p, yi in zip(ps, ys, strict=True))
    _num_eq(sp.log(L), ell, [w1, w2], seed=33)
    for p, xi in zip(ps, xs, strict=True):
        for j, wj in enumerate((w1, w2)):
            _num_eq(sp.diff(p, wj), p * (1 - p) * xi[j], [w1, w2], seed=34)
    for j, wj in enumerate((w1, w2)):
        g = sp.diff(ell, wj)
        pairs = list(zip(ps, ys, xs, strict=True))
        line1 = sum((yi / p - (1 - yi) / (1 - p)) * p * (1 - p) * xi[j] for p, yi, xi in pairs)
        line2 = sum((yi * (1 - p) - (1 - yi) * p) * xi[j] for p, yi, xi in pairs)
        line3 = sum((yi - p) * xi[j] for p, yi, xi in pairs)
        for form in (line1, line2, line3):
            _num_eq(g, form, [w1, w2], seed=35 + j)
    H = sp.hessian(ell, (w1, w2))
    H_claim = -sum((p * (1 - p) * xi * xi.T for p, xi in zip(ps, xs, strict=True)), sp.zeros(2))
    for i in range(2):
        for j in range(2):
            _num_eq(H[i, j], H_claim[i, j], [w1, w2], seed=37)
    # one-step check: x = (1, -2), y = (1, 0), at w = 0
    w = sp.Symbol("w", real=True)
    ell1 = sp.log(_sigmoid(w)) + sp.log(1 - _sigmoid(-2 * w))
    assert sp.simplify(sp.diff(ell1, w).subs(w, 0)) == R(3, 2)
    assert (1 - R("0.5")) * 1 + (0 - R("0.5")) * (-2) == R("1.5")
    # footnote: labels t in {-1, +1}, y = (t + 1) / 2
    ts = [2 * yi - 1 for yi in ys]
    nll = sum(sp.log(1 + sp.exp(-t * (W.T * xi)[0])) for t, xi in zip(ts, xs, strict=True))
    _num_eq(nll, -ell, [w1, w2], seed=38)


def _v_gaussian_mle() -> None:
    name = "gaussian_mle"
    _contains(
        name,
        r"L(\mu, \sigma^2) = \prod_{i=1}^{n} \frac{1}{\sqrt{2 \pi \sigma^2}} \exp\left( "
        r"-\frac{(x_i - \mu)^2}{2 \sigma^2} \right)",
        r"\ell(\mu, \sigma^2) = -\frac{n}{2} \log (2 \pi) - \frac{n}{2} \log \sigma^2 "
        r"- \frac{1}{2 \sigma^2} \sum\limits_{i=1}^{n} (x_i - \mu)^2",
        r"\frac{\partial \ell}{\partial \mu} = \frac{1}{\sigma^2} "
        r"\sum\limits_{i=1}^{n} (x_i - \mu)",
        r"\hat\mu = \frac{1}{n} \displaystyle\sum_{i=1}^{n} x_i = \bar x",
        r"\frac{\partial \ell}{\partial \sigma^2} = -\frac{n}{2 \sigma^2} + \frac{1}{2 \sigma^4} "
        r"\sum\limits_{i=1}^{n} (x_i - \mu)^2",
        r"-n \sigma^2 + \sum_{i=1}^{n} (x_i - \mu)^2 = 0",
        r"\hat\sigma^2 = \frac{1}{n} \sum_{i=1}^{n} (x_i - \bar x)^2",
        r"\sum_{i=1}^{n} (x_i - \bar x)^2 = \sum_{i=1}^{n} (x_i - \mu)^2 - n (\bar x - \mu)^2",
        r"= n \sigma^2 - \sigma^2 = (n - 1) \sigma^2",
        r"\hat\sigma^2 = \frac{32}{8} = 4, \qquad s^2 = \frac{32}{7} \approx 4.571",
    )
    mu = sp.Symbol("mu", real=True)
    v = sp.Symbol("v", positive=True)  # v = sigma^2
    n = 5
    x = _data(41, n)
    L = sp.Mul(*[1 / sp.sqrt(2 * sp.pi * v) * sp.exp(-((xi - mu) ** 2) / (2 * v)) for xi in x])
    ss = sum((xi - mu) ** 2 for xi in x)
    ell = -R(n, 2) * sp.log(2 * sp.pi) - R(n, 2) * sp.log(v) - ss / (2 * v)
    _num_eq(sp.log(L), ell, [mu, v], positive=[v], seed=42)
    d_mu = sum(xi - mu for xi in x) / v
    _zero(sp.diff(ell, mu) - d_mu)
    xbar = sum(x) / n
    assert sp.solve(d_mu, mu) == [xbar]
    d_v = -R(n, 2) / v + ss / (2 * v**2)
    _zero(sp.diff(ell, v) - d_v)
    _zero(sp.expand(d_v * 2 * v**2) - (-n * v + ss))
    v_hat = sp.solve(d_v.subs(mu, xbar), v)
    assert v_hat == [sum((xi - xbar) ** 2 for xi in x) / n]
    # bias: symbolic sample of size 4, moments of the normal
    m = 4
    xs = list(sp.symbols(f"x1:{m + 1}", real=True))
    sigma = sp.Symbol("sigma", positive=True)
    xb = sum(xs) / m
    lhs = sum((xi - xb) ** 2 for xi in xs)
    _zero(lhs - (sum((xi - mu) ** 2 for xi in xs) - m * (xb - mu) ** 2))
    assert _normal_expectation((xs[0] - mu) ** 2, xs, mu, sigma) == sigma**2
    _zero(_normal_expectation((xb - mu) ** 2, xs, mu, sigma) - sigma**2 / m)
    _zero(_normal_expectation(lhs, xs, mu, sigma) - (m - 1) * sigma**2)
    _zero(_normal_expectation(lhs / m, xs, mu, sigma) - R(m - 1, m) * sigma**2)
    # numbers
    data = [2, 4, 4, 4, 5, 5, 7, 9]
    assert sum(data) == 40 and R(40, 8) == 5
    sq = [(d - 5) ** 2 for d in data]
    assert sq == [9, 1, 1, 1, 0, 0, 4, 16] and sum(sq) == 32
    assert R(32, 8) == 4 and sp.sqrt(4) == 2
    _shown(R(32, 7), "4.571")


def _v_poisson_mle() -> None:
    name = "poisson_mle"
    _contains(
        name,
        r"P(X = k) = \frac{\lambda^{k} e^{-\lambda}}{k!}",
        r"L(\lambda) = \prod_{i=1}^{n} \frac{\lambda^{x_i} e^{-\lambda}}{x_i!} = "
        r"\frac{\lambda^{\sum_i x_i} e^{-n \lambda}}{\prod_{i=1}^{n} x_i!}",
        r"\ell(\lambda) = \log \lambda \sum_{i=1}^{n} x_i - n \lambda - "
        r"\sum_{i=1}^{n} \log (x_i!)",
        r"\ell'(\lambda) = \frac{1}{\lambda} \sum_i x_i - n",
        r"\hat\lambda = \frac{1}{n} \sum_i x_i = \bar x",
        r"\ell''(\lambda) = -\frac{1}{\lambda^2} \sum_i x_i",
        r"\sum_{i=1}^{8} x_i = 3 + 1 + 4 + 1 + 5 + 9 + 2 + 6 = 31",
        r"\hat\lambda = \frac{31}{8} = 3.875",
        r"P(X = 0) = e^{-3.875} \approx 0.0208",
        r"$\sqrt{3.875 / 8} \approx 0.696$",
    )
    lam = sp.Symbol("lambda", positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    x = [3, 1, 4, 1, 5, 0]
    n = len(x)
    L = sp.Mul(*[lam**xi * sp.exp(-lam) / sp.factorial(xi) for xi in x])
    closed = lam ** sum(x) * sp.exp(-n * lam) / sp.Mul(*[sp.factorial(xi) for xi in x])
    _zero(L - closed)
    ell = sp.log(lam) * sum(x) - n * lam - sum(sp.log(sp.factorial(xi)) for xi in x)
    _num_eq(sp.log(L), ell, [lam], positive=[lam], seed=51)
    d1 = sum(x) / lam - n
    _zero(sp.diff(ell, lam) - d1)
    assert sp.solve(d1, lam) == [R(sum(x), n)]
    _zero(sp.diff(ell, lam, 2) - (-sum(x) / lam**2))
    # Var(X) = lambda for a Poisson count, so Var(mean) = lambda / n
    pmf = lam**k * sp.exp(-lam) / sp.factorial(k)
    assert sp.simplify(sp.summation(pmf, (k, 0, sp.oo))) == 1
    mean = sp.simplify(sp.summation(k * pmf, (k, 0, sp.oo)))
    second = sp.simplify(sp.summation(k**2 * pmf, (k, 0, sp.oo)))
    assert mean == lam
    _zero(second - mean**2 - lam)
    # numbers
    counts = [3, 1, 4, 1, 5, 9, 2, 6]
    assert sum(counts) == 31
    assert R(31, 8) == R("3.875")
    _shown(sp.exp(-R("3.875")), "0.0208")
    _shown(sp.sqrt(R("3.875") / 8), "0.696")


def _v_softmax_cross_entropy() -> None:
    name = "softmax_cross_entropy"
    _contains(
        name,
        r"p_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}",
        r"L = -\sum_{k=1}^{K} y_k \log p_k",
        r"\log p_k = z_k - \log \sum_{j=1}^{K} e^{z_j}",
        r"\frac{\partial \log p_k}{\partial z_m} = \delta_{km} - p_m",
        r"$\frac{\partial p_k}{\partial z_m} = p_k (\delta_{km} - p_m)$",
        r"\frac{\partial L}{\partial z_m} &= -\sum_{k=1}^{K} y_k (\delta_{km} - p_m) \\",
        r"&= -y_m + p_m \sum_{k=1}^{K} y_k \\",
        r"&= p_m - y_m",
        r"J = -\frac{1}{n} \sum_{i=1}^{n} \sum_{k=1}^{K} y_{ik} \log p_{ik}",
        r"\frac{\partial J}{\partial z_{im}} = \frac{1}{n} (p_{im} - y_{im})",
        r"\approx (0.665, 0.245, 0.090)",
        r"\approx (0.665, -0.755, 0.090)",
    )
    K = 3
    z = sp.symbols(f"z1:{K + 1}", real=True)
    den = sum(sp.exp(zj) for zj in z)
    p = [sp.exp(zk) / den for zk in z]
    for k in range(K):
        _num_eq(sp.log(p[k]), z[k] - sp.log(den), z, seed=61)
        for m in range(K):
            delta = 1 if k == m else 0
            _num_eq(sp.diff(sp.log(p[k]), z[m]), delta - p[m], z, seed=62)
            _num_eq(sp.diff(p[k], z[m]), p[k] * (delta - p[m]), z, seed=63)
    for c in range(K):
        y = [1 if k == c else 0 for k in range(K)]
        L = -sum(y[k] * sp.log(p[k]) for k in range(K))
        for m in range(K):
            g = sp.diff(L, z[m])
            line1 = -sum(y[k] * ((1 if k == m else 0) - p[m]) for k in range(K))
            line2 = -y[m] + p[m] * sum(y)
            line3 = p[m] - y[m]
            for form in (line1, line2, line3):
                _num_eq(g, form, z, seed=64)
    # mini-batch of n = 2
    n = 2
    Z = sp.Matrix(n, K, sp.symbols(f"u0:{n * K}", real=True))
    Yb = [[0, 1, 0], [1, 0, 0]]
    P = [
        [sp.exp(Z[i, k]) / sum(sp.exp(Z[i, j]) for j in range(K)) for k in range(K)]
        for i in range(n)
    ]
    J = -R(1, n) * sum(Yb[i][k] * sp.log(P[i][k]) for i in range(n) for k in range(K))
    for i in range(n):
        for m in range(K):
            _num_eq(sp.diff(J, Z[i, m]), R(1, n) * (P[i][m] - Yb[i][m]), list(Z), seed=65)
    # numbers: z = (2, 1, 0), y = (0, 1, 0)
    vals = {z[0]: 2, z[1]: 1, z[2]: 0}
    pv = [pk.subs(vals) for pk in p]
    _zero(pv[0] - sp.exp(2) / (sp.exp(2) + sp.E + 1))
    for value, text in zip(pv, ("0.665", "0.245", "0.090"), strict=True):
        _shown(value, text)
    grad = [pv[0], pv[1] - 1, pv[2]]
    for value, text in zip(grad, ("0.665", "-0.755", "0.090"), strict=True):
        _shown(value, text)
    _zero(sum(grad))
    c = sp.Symbol("c", real=True)
    for k in range(K):
        _zero(p[k].subs({zj: zj + c for zj in z}, simultaneous=True) - p[k])


def _v_wilson_interval() -> None:
    name = "wilson_interval"
    _contains(
        name,
        r"(\hat p - p)^2 = \frac{z^2}{n} \, p (1 - p)",
        r"p = \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p (1 - \hat p)}{n} + "
        r"\frac{z^2}{4 n^2}}}{1 + \frac{z^2}{n}}",
        r"(0.25 - p)^2 &= 0.25 \, p (1 - p) \\",
        r"p^2 - 0.5 p + 0.0625 &= 0.25 p - 0.25 p^2 \\",
        r"1.25 p^2 - 0.75 p + 0.0625 &= 0 \\",
        r"20 p^2 - 12 p + 1 &= 0",
        r"p = \frac{12 \pm \sqrt{12^2 - 4 \cdot 20 \cdot 1}}{2 \cdot 20} = "
        r"\frac{12 \pm \sqrt{64}}{40} = \frac{12 \pm 8}{40}",
        r"\(p = 20/40 = 0.5\) or \(p = 4/40 = 0.1\)",
        r"\((0.375 \pm 0.25) / 1.25\)",
        r"\((0.25 - 0.1)^2 = 0.0225\) and \(0.25 \times 0.1 \times 0.9 = 0.0225\)",
        r"0.25 \pm 2 \sqrt{\frac{0.25 \times 0.75}{16}} \approx 0.25 \pm 0.217",
        r"\([0.033, 0.467]\)",
    )
    p = sp.Symbol("p", real=True)

    def roots(ph, z, n):
        ph, z, n = sp.sympify(ph), sp.sympify(z), sp.sympify(n)
        c = z**2 / n
        mid = ph + z**2 / (2 * n)
        half = z * sp.sqrt(ph * (1 - ph) / n + z**2 / (4 * n**2))
        return [(mid + s * half) / (1 + c) for s in (1, -1)]

    rng = random.Random(71)
    for _ in range(5):
        n = rng.randint(5, 60)
        ph = R(rng.randint(0, n), n)
        z = R(rng.randint(100, 300), 100)
        eq = (ph - p) ** 2 - z**2 / n * p * (1 - p)
        for r in roots(ph, z, n):
            assert sp.simplify(sp.expand(eq.subs(p, r))) == 0
    # the concrete case
    n, ph, z = 16, R(4, 16), 2
    assert ph == R("0.25") and R(z**2, n) == R("0.25")
    q = R("0.25")
    line1 = (q - p) ** 2 - q * p * (1 - p)
    line2 = (p**2 - R("0.5") * p + R("0.0625")) - (R("0.25") * p - R("0.25") * p**2)
    line3 = R("1.25") * p**2 - R("0.75") * p + R("0.0625")
    line4 = 20 * p**2 - 12 * p + 1
    _zero(sp.expand((q - p) ** 2) - (p**2 - R("0.5") * p + R("0.0625")))
    _zero(sp.expand(q * p * (1 - p)) - (R("0.25") * p - R("0.25") * p**2))
    _zero(sp.expand(line1 - line2))
    _zero(sp.expand(line2 - line3))
    _zero(sp.expand(line4 - 16 * line3))
    assert 12**2 - 4 * 20 * 1 == 64 and sp.sqrt(64) == 8 and 2 * 20 == 40
    assert {R(12 + 8, 40), R(12 - 8, 40)} == {R("0.5"), R("0.1")}
    assert set(sp.solve(line4, p)) == {R("0.5"), R("0.1")}
    assert set(roots(ph, z, n)) == {R("0.5"), R("0.1")}
    assert ph + R(z**2, 2 * n) == R("0.375")
    assert z * sp.sqrt(ph * (1 - ph) / n + R(z**2, 4 * n**2)) == R("0.25")
    assert 1 + R(z**2, n) == R("1.25")
    assert {(R("0.375") + s * R("0.25")) / R("1.25") for s in (1, -1)} == {R("0.5"), R("0.1")}
    assert (R("0.25") - R("0.1")) ** 2 == R("0.0225") == R("0.25") * R("0.1") * R("0.9")
    half = 2 * sp.sqrt(R("0.25") * R("0.75") / 16)
    _shown(half, "0.217")
    _shown(R("0.25") - half, "0.033")
    _shown(R("0.25") + half, "0.467")


def _v_bayes_test() -> None:
    name = "bayes_test"
    _contains(
        name,
        r"P(+) &= P(+ \mid D) \, P(D) + P(+ \mid \neg D) \, P(\neg D) \\",
        r"&= 0.95 \times 0.01 + 0.05 \times 0.99 \\",
        r"&= 0.0095 + 0.0495 \\",
        r"&= 0.059",
        r"\frac{P(+ \mid D) \, P(D)}{P(+)} = \frac{0.0095}{0.059} \approx 0.161",
        r"\text{posterior odds} = \frac{1}{99} \times 19 = \frac{19}{99}",
        r"$\frac{19}{19 + 99} = \frac{19}{118} \approx 0.161$",
        r"$\frac{19^2}{99} = \frac{361}{99}$",
        r"\frac{0.95^2 \times 0.01}{0.95^2 \times 0.01 + 0.05^2 \times 0.99} = "
        r"\frac{0.009025}{0.0115} \approx 0.785",
        r"$361 / (361 + 99) = 361 / 460 \approx 0.785$",
    )
    prior, sens, fpr = R("0.01"), R("0.95"), R("0.05")
    assert 1 - prior == R("0.99")
    assert sens * prior == R("0.0095") and fpr * (1 - prior) == R("0.0495")
    p_pos = sens * prior + fpr * (1 - prior)
    assert p_pos == R("0.0095") + R("0.0495") == R("0.059")
    post = sens * prior / p_pos
    assert post == R("0.0095") / R("0.059")
    _shown(post, "0.161")
    assert prior / (1 - prior) == R(1, 99) and sens / fpr == 19
    assert R(1, 99) * 19 == R(19, 99)
    assert R(19, 19 + 99) == R(19, 118) == post
    assert R(19**2, 99) == R(361, 99)
    post2 = sens**2 * prior / (sens**2 * prior + fpr**2 * (1 - prior))
    assert sens**2 * prior == R("0.009025")
    assert sens**2 * prior + fpr**2 * (1 - prior) == R("0.0115")
    assert post2 == R(361, 361 + 99) == R(361, 460)
    _shown(post2, "0.785")


# --------------------------------------------------------------------------- Japanese posts


def _v_bernoulli_mle() -> None:
    name = "bernoulli_mle"
    _contains(
        name,
        r"L(\theta) = \prod_{i=1}^{n} \theta^{x_i} (1 - \theta)^{1 - x_i}",
        r"$L(\theta) = \theta^{k} (1 - \theta)^{n - k}$",
        r"\ell(\theta) = \log L(\theta) = k \log \theta + (n - k) \log (1 - \theta)",
        r"\frac{d\ell}{d\theta} = \frac{k}{\theta} - \frac{n - k}{1 - \theta} = 0",
        r"k (1 - \theta) - (n - k) \theta = 0",
        r"$k - n \theta = 0$",
        r"\hat\theta = \frac{k}{n} = \frac{1}{n} \sum_{i=1}^{n} x_i",
        r"\frac{d^2 \ell}{d\theta^2} = -\frac{k}{\theta^2} - \frac{n - k}{(1 - \theta)^2}",
        r"\ell(0.7) = 7 \log 0.7 + 3 \log 0.3 \approx -6.109",
        r"$I(\theta) = \frac{n}{\theta (1 - \theta)}$",
        r"$\sqrt{0.7 \times 0.3 / 10} \approx 0.145$",
    )
    th = sp.Symbol("theta", positive=True)
    x = [1, 0, 1, 1, 0, 1, 1]
    kk, nn = sum(x), len(x)
    L = sp.Mul(*[th**xi * (1 - th) ** (1 - xi) for xi in x])
    _zero(L - th**kk * (1 - th) ** (nn - kk))
    k, n = sp.symbols("k n", positive=True)
    ell = k * sp.log(th) + (n - k) * sp.log(1 - th)
    _num_eq(
        sp.log(th**kk * (1 - th) ** (nn - kk)), ell.subs({k: kk, n: nn}), [th], unit=[th], seed=81
    )
    d1 = k / th - (n - k) / (1 - th)
    _zero(sp.diff(ell, th) - d1)
    _zero(sp.expand(d1 * th * (1 - th)) - sp.expand(k * (1 - th) - (n - k) * th))
    _zero(sp.expand(k * (1 - th) - (n - k) * th) - (k - n * th))
    assert sp.solve(d1, th) == [k / n]
    d2 = -k / th**2 - (n - k) / (1 - th) ** 2
    _zero(sp.diff(ell, th, 2) - d2)
    for nv in range(1, 7):
        for kv in range(nv + 1):
            for tv in (R(1, 10), R(1, 2), R(9, 10)):
                assert d2.subs({k: kv, n: nv, th: tv}) < 0
    _zero(-d2.subs(k, n * th) - n / (th * (1 - th)))
    assert R(7, 10) == R("0.7")
    _shown(7 * sp.log(R("0.7")) + 3 * sp.log(R("0.3")), "-6.109")
    _shown(sp.sqrt(R("0.7") * R("0.3") / 10), "0.145")
    code = [1, 0, 1, 1, 1, 0, 1, 1, 0, 1]
    assert R(sum(code), len(code)) == R("0.7")


def _v_exponential_mle() -> None:
    name = "exponential_mle"
    _contains(
        name,
        r"L(\lambda) = \prod_{i=1}^{n} \lambda e^{-\lambda x_i} = \lambda^{n} "
        r"\exp\Bigl( -\lambda \sum_{i=1}^{n} x_i \Bigr)",
        r"\ell(\lambda) = n \log \lambda - \lambda \sum_{i=1}^{n} x_i",
        r"\ell'(\lambda) = \frac{n}{\lambda} - \sum_i x_i = 0",
        r"\hat\lambda = \frac{n}{\sum_{i=1}^{n} x_i} = \frac{1}{\bar x}",
        r"\(\ell''(\lambda) = -n / \lambda^2 < 0\)",
        r"\sum_{i=1}^{5} x_i = 2.0 + 0.5 + 1.5 + 3.0 + 1.0 = 8.0",
        r"\hat\lambda = \frac{5}{8.0} = 0.625",
        r"\(1 / \hat\lambda = 1.6\)",
        r"P(X > 2) = e^{-0.625 \times 2} = e^{-1.25} \approx 0.287",
        r"\(\mathbb{E}[\hat\lambda] = \frac{n}{n - 1} \lambda\)",
    )
    lam = sp.Symbol("lambda", positive=True)
    t = sp.Symbol("t", positive=True)
    x = _positive_data(91, 5)
    n = len(x)
    L = sp.Mul(*[lam * sp.exp(-lam * xi) for xi in x])
    _zero(L - lam**n * sp.exp(-lam * sum(x)))
    ell = n * sp.log(lam) - lam * sum(x)
    _num_eq(sp.log(L), ell, [lam], positive=[lam], seed=92)
    d1 = n / lam - sum(x)
    _zero(sp.diff(ell, lam) - d1)
    assert sp.solve(d1, lam) == [n / sum(x)] == [1 / (sum(x) / n)]
    _zero(sp.diff(ell, lam, 2) + n / lam**2)
    data = [R("2.0"), R("0.5"), R("1.5"), R("3.0"), R("1.0")]
    assert sum(data) == 8
    assert R(5, 8) == R("0.625") and 1 / R("0.625") == R("1.6")
    assert R("0.625") * 2 == R("1.25")
    _shown(sp.exp(-R("1.25")), "0.287")
    # survival function, mean, variance of Exp(lambda)
    dens = lam * sp.exp(-lam * t)
    _zero(sp.integrate(dens, (t, 2, sp.oo)) - sp.exp(-2 * lam))
    mean = sp.integrate(t * dens, (t, 0, sp.oo))
    _zero(mean - 1 / lam)
    _zero(sp.integrate(t**2 * dens, (t, 0, sp.oo)) - mean**2 - 1 / lam**2)
    # E[n / S] with S = sum of n exponentials ~ Gamma(n, rate lambda)
    for m in range(2, 6):
        gamma_pdf = lam**m * t ** (m - 1) * sp.exp(-lam * t) / sp.factorial(m - 1)
        _zero(sp.integrate(m / t * gamma_pdf, (t, 0, sp.oo)) - R(m, m - 1) * lam)


def _v_normal_equation() -> None:
    name = "normal_equation"
    _contains(
        name,
        r"E(\mathbf{w}) = \frac{1}{2} \sum_{i=1}^{n} (y_i - \mathbf{w}^\top \mathbf{x}_i)^2 = "
        r"\frac{1}{2} \lVert \mathbf{y} - X \mathbf{w} \rVert^2",
        r"\frac{\partial E}{\partial \mathbf{w}} = -\sum_{i=1}^{n} (y_i - \mathbf{w}^\top "
        r"\mathbf{x}_i) \, \mathbf{x}_i = -X^\top (\mathbf{y} - X \mathbf{w})",
        r"\lVert \mathbf{y} - X \mathbf{w} \rVert^2 &= (\mathbf{y} - X \mathbf{w})^\top "
        r"(\mathbf{y} - X \mathbf{w}) \\",
        r"&= \mathbf{y}^\top \mathbf{y} - 2 \mathbf{w}^\top X^\top \mathbf{y} + "
        r"\mathbf{w}^\top X^\top X \mathbf{w}",
        r"\frac{\partial}{\partial \mathbf{w}} \lVert \mathbf{y} - X \mathbf{w} \rVert^2 = "
        r"-2 X^\top \mathbf{y} + 2 X^\top X \mathbf{w}",
        r"X^\top X \mathbf{w} = X^\top \mathbf{y}",
        r"X^\top X = \begin{pmatrix} 3 & 6 \\ 6 & 14 \end{pmatrix}",
        r"X^\top \mathbf{y} = \begin{pmatrix} 5 \\ 11 \end{pmatrix}",
        r"$\det(X^\top X) = 3 \cdot 14 - 6 \cdot 6 = 6$",
        r"\frac{1}{6} \begin{pmatrix} 4 \\ 3 \end{pmatrix} = \begin{pmatrix} 2/3 \\ 1/2 "
        r"\end{pmatrix}",
        r"$-\frac{2}{n} X^\top (\mathbf{y} - X \mathbf{w})$",
    )
    w1, w2 = sp.symbols("w1 w2", real=True)
    W = sp.Matrix([w1, w2])
    n = 4
    X = sp.Matrix(n, 2, _data(101, 2 * n))
    Y = sp.Matrix(_data(102, n))
    rows = [X.row(i).T for i in range(n)]
    E_sum = R(1, 2) * sum((Y[i] - (W.T * rows[i])[0]) ** 2 for i in range(n))
    r = Y - X * W
    norm2 = (r.T * r)[0]
    _zero(E_sum - norm2 / 2)
    grad = sp.Matrix([sp.diff(E_sum, w1), sp.diff(E_sum, w2)])
    by_sum = -sum(((Y[i] - (W.T * rows[i])[0]) * rows[i] for i in range(n)), sp.zeros(2, 1))
    _zero_matrix(grad - by_sum)
    _zero_matrix(grad - (-X.T * r))
    _zero(norm2 - ((Y.T * Y)[0] - 2 * (W.T * X.T * Y)[0] + (W.T * X.T * X * W)[0]))
    a1, a2, s11, s12, s22 = sp.symbols("a1 a2 s11 s12 s22", real=True)
    a = sp.Matrix([a1, a2])
    A = sp.Matrix([[s11, s12], [s12, s22]])
    _zero_matrix(sp.Matrix([sp.diff((W.T * a)[0], wj) for wj in (w1, w2)]) - a)
    quad = (W.T * A * W)[0]
    _zero_matrix(sp.Matrix([sp.diff(quad, wj) for wj in (w1, w2)]) - 2 * A * W)
    g_norm = sp.Matrix([sp.diff(norm2, wj) for wj in (w1, w2)])
    _zero_matrix(g_norm - (-2 * X.T * Y + 2 * X.T * X * W))
    _zero_matrix(g_norm / 2 - grad)
    mse = R(1, n) * sum((Y[i] - (W.T * rows[i])[0]) ** 2 for i in range(n))
    g_mse = sp.Matrix([sp.diff(mse, wj) for wj in (w1, w2)])
    _zero_matrix(g_mse - (-R(2, n) * X.T * r))
    # example
    X = sp.Matrix([[1, 1], [1, 2], [1, 3]])
    Y = sp.Matrix([1, 2, 2])
    assert X.T * X == sp.Matrix([[3, 6], [6, 14]])
    assert X.T * Y == sp.Matrix([5, 11])
    assert (X.T * X).det() == 3 * 14 - 6 * 6 == 6
    adj = sp.Matrix([[14, -6], [-6, 3]])
    assert (X.T * X).inv() == adj / 6
    assert adj * sp.Matrix([5, 11]) == sp.Matrix([4, 3])
    assert sp.Matrix([4, 3]) / 6 == sp.Matrix([R(2, 3), R(1, 2)])
    sol = sp.solve(list(X.T * X * W - X.T * Y), [w1, w2])
    assert sol == {w1: R(2, 3), w2: R(1, 2)}
    _shown(R(2, 3), "0.6667")


def _v_gaussian_variance() -> None:
    name = "gaussian_variance"
    _contains(
        name,
        r"\ell(\mu, \sigma^2) &= \sum_{i=1}^{n} \log \left[ \frac{1}{\sqrt{2 \pi \sigma^2}} "
        r"\exp\left( -\frac{(x_i - \mu)^2}{2 \sigma^2} \right) \right] \\",
        r"&= -\frac{n}{2} \log (2 \pi \sigma^2) - \frac{1}{2 \sigma^2} "
        r"\sum_{i=1}^{n} (x_i - \mu)^2",
        r"$\log(2\pi\sigma^2) = \log(2\pi) + 2 \log \sigma$",
        r"\frac{\partial \ell}{\partial \sigma} = -\frac{n}{\sigma} + \frac{1}{\sigma^3} "
        r"\sum\limits_{i=1}^{n} (x_i - \mu)^2",
        r"\frac{\partial \ell}{\partial \sigma^2} = -\frac{n}{2 \sigma^2} + "
        r"\frac{1}{2 (\sigma^2)^2} \sum\limits_{i=1}^{n} (x_i - \mu)^2",
        r"= 2 \sigma \frac{\partial \ell}{\partial \sigma^2}$",
        r"\hat\sigma^2 = \frac{1}{n} \sum_{i=1}^{n} (x_i - \mu)^2",
        r"\sum_{i=1}^{n} (x_i - \mu)^2 = \sum_{i=1}^{n} (x_i - \bar x)^2 + n (\bar x - \mu)^2",
        r"$\mathbb{E}\left[\sum_{i=1}^{n} (x_i - \bar x)^2\right] = (n - 1) \sigma^2$",
        r"s^2 = \frac{1}{n - 1} \sum_{i=1}^{n} (x_i - \bar x)^2",
        r"(1 - 4)^2 + (3 - 4)^2 + (5 - 4)^2 + (7 - 4)^2 = 9 + 1 + 1 + 9 = 20",
        r"$\hat\sigma^2 = 20 / 4 = 5$",
        r"$s^2 = 20 / 3 \approx 6.67$",
    )
    mu = sp.Symbol("mu", real=True)
    s = sp.Symbol("sigma", positive=True)
    v = sp.Symbol("v", positive=True)
    n = 4
    x = _data(111, n)
    ss = sum((xi - mu) ** 2 for xi in x)
    ell_sum = sum(
        sp.log(1 / sp.sqrt(2 * sp.pi * s**2) * sp.exp(-((xi - mu) ** 2) / (2 * s**2))) for xi in x
    )
    ell = -R(n, 2) * sp.log(2 * sp.pi * s**2) - ss / (2 * s**2)
    _num_eq(ell_sum, ell, [mu, s], positive=[s], seed=112)
    _zero(sp.expand_log(sp.log(2 * sp.pi * s**2)) - (sp.log(2 * sp.pi) + 2 * sp.log(s)))
    d_s = -n / s + ss / s**3
    _zero(sp.diff(ell, s) - d_s)
    ell_v = -R(n, 2) * sp.log(2 * sp.pi * v) - ss / (2 * v)
    d_v = -R(n, 2) / v + ss / (2 * v**2)
    _zero(sp.diff(ell_v, v) - d_v)
    _zero(d_s - 2 * s * d_v.subs(v, s**2))
    (v_hat,) = sp.solve(d_v, v)
    _zero(v_hat - ss / n)
    (s_hat,) = sp.solve(d_s.subs(mu, 0), s)
    _zero(s_hat**2 - ss.subs(mu, 0) / n)
    xs = list(sp.symbols(f"x1:{n + 1}", real=True))
    xb = sum(xs) / n
    _zero(
        sum((xi - mu) ** 2 for xi in xs) - (sum((xi - xb) ** 2 for xi in xs) + n * (xb - mu) ** 2)
    )
    _zero(_normal_expectation(n * (xb - mu) ** 2, xs, mu, s) - s**2)
    centred = sum((xi - xb) ** 2 for xi in xs)
    _zero(_normal_expectation(centred, xs, mu, s) - (n - 1) * s**2)
    _zero(_normal_expectation(centred / (n - 1), xs, mu, s) - s**2)
    data = [1, 3, 5, 7]
    assert R(sum(data), 4) == 4
    assert [(d - 4) ** 2 for d in data] == [9, 1, 1, 9] and sum((d - 4) ** 2 for d in data) == 20
    assert R(20, 4) == 5
    _shown(R(20, 3), "6.67")


def _v_logistic_gradient() -> None:
    name = "logistic_gradient"
    _contains(
        name,
        r"z_i = w x_i + b, \qquad \sigma(z) = \frac{1}{1 + e^{-z}}",
        r"E(w, b) = -\sum_{i=1}^{n} \left\{ y_i \log \sigma(z_i) + (1 - y_i) "
        r"\log \bigl(1 - \sigma(z_i)\bigr) \right\}",
        r"$\sigma'(z) = \sigma(z) \bigl(1 - \sigma(z)\bigr)$",
        r"\frac{d}{dz} \log \sigma(z) = 1 - \sigma(z), \qquad \frac{d}{dz} "
        r"\log \bigl(1 - \sigma(z)\bigr) = -\sigma(z)",
        r"\frac{\partial E}{\partial z_i} = -\left\{ y_i \bigl(1 - \sigma(z_i)\bigr) - "
        r"(1 - y_i) \, \sigma(z_i) \right\} = \sigma(z_i) - y_i",
        r"= \sum_{i=1}^{n} \bigl(\sigma(z_i) - y_i\bigr) x_i",
        r"\frac{\partial E}{\partial b} = \displaystyle\sum_{i=1}^{n} "
        r"\bigl(\sigma(z_i) - y_i\bigr)",
        r"E(0, 0) = 3 \log 2 \approx 2.079",
        r"\frac{\partial E}{\partial w} = 0.5 \times 0 + 0.5 \times 1 + (-0.5) \times 2 = -0.5",
        r"\frac{\partial E}{\partial b} = 0.5 + 0.5 - 0.5 = 0.5",
    )
    z = sp.Symbol("z", real=True)
    y = sp.Symbol("y", real=True)
    sig = _sigmoid(z)
    _zero(sp.diff(sig, z) - sig * (1 - sig))
    _zero(sp.diff(sp.log(sig), z) - (1 - sig))
    _zero(sp.diff(sp.log(1 - sig), z) + sig)
    e_i = -(y * sp.log(sig) + (1 - y) * sp.log(1 - sig))
    _zero(sp.diff(e_i, z) - (-(y * (1 - sig) - (1 - y) * sig)))
    _zero(-(y * (1 - sig) - (1 - y) * sig) - (sig - y))
    w, b = sp.symbols("w b", real=True)
    x = _data(121, 5)
    ys = [0, 1, 1, 0, 1]

    def E_of(xs, labels):
        return -sum(
            yi * sp.log(_sigmoid(w * xi + b)) + (1 - yi) * sp.log(1 - _sigmoid(w * xi + b))
            for xi, yi in zip(xs, labels, strict=True)
        )

    E = E_of(x, ys)
    pairs = list(zip(x, ys, strict=True))
    _num_eq(
        sp.diff(E, w), sum((_sigmoid(w * xi + b) - yi) * xi for xi, yi in pairs), [w, b], seed=122
    )
    _num_eq(sp.diff(E, b), sum(_sigmoid(w * xi + b) - yi for xi, yi in pairs), [w, b], seed=123)
    # hand calculation: x = (0, 1, 2), y = (0, 0, 1), at w = b = 0
    E3 = E_of([0, 1, 2], [0, 0, 1])
    at0 = {w: 0, b: 0}
    _zero(E3.subs(at0) - 3 * sp.log(2))
    _shown(3 * sp.log(2), "2.079")
    assert sp.simplify(sp.diff(E3, w).subs(at0)) == R("-0.5")
    assert R("0.5") * 0 + R("0.5") * 1 + R("-0.5") * 2 == R("-0.5")
    assert sp.simplify(sp.diff(E3, b).subs(at0)) == R("0.5")
    assert R("0.5") + R("0.5") - R("0.5") == R("0.5")


def _v_discrete_expectation() -> None:
    name = "discrete_expectation"
    _contains(
        name,
        r"\mathbb{E}[X] = \sum\limits_{x=1}^{6} x \cdot \frac{1}{6} = \frac{21}{6} = 3.5",
        r"\mathbb{E}[X^2] = \sum\limits_{x=1}^{6} x^2 \cdot \frac{1}{6} = \frac{91}{6}",
        r"\mathrm{Var}(X) = \frac{91}{6} - \left( \frac{7}{2} \right)^2 = "
        r"\frac{182 - 147}{12} = \frac{35}{12} \approx 2.917",
        r"\(3.5 \times 2 = 7\)",
        r"\(\frac{35}{12} \times 2 = \frac{35}{6}\)",
        r"\(0.1 + 0.3 + 0.4 + 0.2 = 1\)",
        r"\mathbb{E}[X] &= 0 \times 0.1 + 1 \times 0.3 + 2 \times 0.4 + 3 \times 0.2 = 1.7 \\",
        r"\mathbb{E}[X^2] &= 0 \times 0.1 + 1 \times 0.3 + 4 \times 0.4 + 9 \times 0.2 = 3.7 \\",
        r"\mathrm{Var}(X) &= 3.7 - 1.7^2 = 3.7 - 2.89 = 0.81",
        r"\(\sqrt{0.81} = 0.9\)",
        r"\(\sum_{k=1}^{\infty} k q^{k - 1} = \frac{1}{(1 - q)^2}\)",
        r"\mathbb{E}[K] = \sum_{k=1}^{\infty} k \, p (1 - p)^{k - 1} = \frac{p}{p^2} = \frac{1}{p}",
        r"\(\mathrm{Var}(K) = \frac{1 - p}{p^2}\)",
    )
    xv = sp.Symbol("x", integer=True)
    assert sp.summation(xv * R(1, 6), (xv, 1, 6)) == R(21, 6) == R("3.5")
    assert sp.summation(xv**2 * R(1, 6), (xv, 1, 6)) == R(91, 6)
    var = R(91, 6) - R(7, 2) ** 2
    assert var == R(182 - 147, 12) == R(35, 12)
    _shown(var, "2.917")
    two = {}
    for a in range(1, 7):
        for b in range(1, 7):
            two[a + b] = two.get(a + b, 0) + R(1, 36)
    m2 = sum(s * p for s, p in two.items())
    assert m2 == 7 == R("3.5") * 2
    assert sum(s**2 * p for s, p in two.items()) - m2**2 == R(35, 6) == R(35, 12) * 2
    xs = [0, 1, 2, 3]
    ps = [R("0.1"), R("0.3"), R("0.4"), R("0.2")]
    assert sum(ps) == 1
    mean = sum(x * p for x, p in zip(xs, ps, strict=True))
    second = sum(x**2 * p for x, p in zip(xs, ps, strict=True))
    assert [x**2 for x in xs] == [0, 1, 4, 9]
    assert mean == R("1.7") and second == R("3.7")
    assert R("1.7") ** 2 == R("2.89") and second - mean**2 == R("0.81") == R("3.7") - R("2.89")
    assert sp.sqrt(R("0.81")) == R("0.9")
    k = sp.Symbol("k", integer=True, positive=True)
    for q in (R(1, 3), R(1, 2), R(-1, 2), R(5, 6)):
        assert sp.summation(k * q ** (k - 1), (k, 1, sp.oo)) == 1 / (1 - q) ** 2
    p = sp.Symbol("p", positive=True)
    _zero(p / p**2 - 1 / p)
    for pv in (R(1, 6), R(1, 3), R(1, 2)):
        ek = sp.summation(k * pv * (1 - pv) ** (k - 1), (k, 1, sp.oo))
        ek2 = sp.summation(k**2 * pv * (1 - pv) ** (k - 1), (k, 1, sp.oo))
        assert ek == 1 / pv
        assert sp.simplify(ek2 - ek**2) == (1 - pv) / pv**2
    assert 1 / R(1, 6) == 6 and (1 - R(1, 6)) / R(1, 6) ** 2 == 30


def _v_naive_bayes_spam() -> None:
    name = "naive_bayes_spam"
    _contains(
        name,
        r"P(w_1) &= P(w_1 \mid S) P(S) + P(w_1 \mid \neg S) P(\neg S) \\",
        r"&= 0.3 \times 0.4 + 0.02 \times 0.6 \\",
        r"&= 0.12 + 0.012 = 0.132",
        r"P(S \mid w_1) = \frac{P(w_1 \mid S) P(S)}{P(w_1)} = \frac{0.12}{0.132} = "
        r"\frac{10}{11} \approx 0.909",
        r"P(C \mid w_1, \dots, w_m) \propto P(C) \prod_{j=1}^{m} P(w_j \mid C)",
        r"P(S) P(w_1 \mid S) P(w_2 \mid S) = 0.4 \times 0.3 \times 0.1 = 0.012",
        r"= 0.6 \times 0.02 \times 0.005 = 0.00006",
        r"P(S \mid w_1, w_2) = \frac{0.012}{0.012 + 0.00006} = \frac{0.012}{0.01206} "
        r"\approx 0.995",
        r"\log P(C) + \sum_{j=1}^{m} \log P(w_j \mid C)",
    )
    pS, pw1S, pw1H = R("0.4"), R("0.3"), R("0.02")
    assert 1 - pS == R("0.6")
    assert pw1S * pS == R("0.12") and pw1H * (1 - pS) == R("0.012")
    pw1 = pw1S * pS + pw1H * (1 - pS)
    assert pw1 == R("0.132")
    assert pw1S * pS / pw1 == R("0.12") / R("0.132") == R(10, 11)
    _shown(R(10, 11), "0.909")
    pw2S, pw2H = R("0.1"), R("0.005")
    js = pS * pw1S * pw2S
    jh = (1 - pS) * pw1H * pw2H
    assert js == R("0.012") and jh == R("0.00006")
    assert js + jh == R("0.01206")
    _shown(js / (js + jh), "0.995")
    # the log score is the log of the unnormalised posterior
    _zero(sp.log(pS) + sp.log(pw1S) + sp.log(pw2S) - sp.log(R("0.012")))
    _zero(sp.log(1 - pS) + sp.log(pw1H) + sp.log(pw2H) - sp.log(jh))


def _v_gradient_descent() -> None:
    name = "gradient_descent"
    _contains(
        name,
        r"E(w) = \sum_{i=1}^{3} (w x_i - y_i)^2",
        r"\frac{dE}{dw} = 2 \sum_{i=1}^{3} x_i (w x_i - y_i)",
        r"$\sum x_i^2 = 1 + 4 + 9 = 14$",
        r"$\sum x_i y_i = 2 + 6 + 21 = 29$",
        r"$\sum y_i^2 = 4 + 9 + 49 = 62$",
        r"E(w) &= w^2 \sum_{i=1}^{3} x_i^2 - 2 w \sum_{i=1}^{3} x_i y_i + "
        r"\sum_{i=1}^{3} y_i^2 \\",
        r"&= 14 w^2 - 58 w + 62",
        r"$E'(w) = 28 w - 58$",
        r"w^* = \frac{58}{28} = \frac{29}{14} \approx 2.071",
        r"$E(w^*) = 62 - \frac{29^2}{14} = \frac{27}{14} \approx 1.929$",
        r"E'(w_0) &= 28 \times 0 - 58 = -58 \\",
        r"w_1 &= 0 - 0.01 \times (-58) = 0.58 \\",
        r"E'(w_1) &= 28 \times 0.58 - 58 = -41.76 \\",
        r"w_2 &= 0.58 - 0.01 \times (-41.76) = 0.9976",
        r"w_{t+1} - w^* = (1 - 28 \eta)(w_t - w^*)",
        r"$0 < \eta < \frac{1}{14} \approx 0.0714$",
    )
    w, eta = sp.symbols("w eta", real=True)
    x, y = [1, 2, 3], [2, 3, 7]
    pairs = list(zip(x, y, strict=True))
    E = sum((w * xi - yi) ** 2 for xi, yi in pairs)
    _zero(sp.diff(E, w) - 2 * sum(xi * (w * xi - yi) for xi, yi in pairs))
    assert [xi**2 for xi in x] == [1, 4, 9] and sum(xi**2 for xi in x) == 14
    assert [xi * yi for xi, yi in pairs] == [2, 6, 21] and sum(xi * yi for xi, yi in pairs) == 29
    assert [yi**2 for yi in y] == [4, 9, 49] and sum(yi**2 for yi in y) == 62
    _zero(E - (w**2 * 14 - 2 * w * 29 + 62))
    _zero(E - (14 * w**2 - 58 * w + 62))
    dE = sp.diff(E, w)
    _zero(dE - (28 * w - 58))
    (w_star,) = sp.solve(dE, w)
    assert w_star == R(58, 28) == R(29, 14)
    _shown(w_star, "2.071")
    assert E.subs(w, w_star) == 62 - R(29**2, 14) == R(27, 14)
    _shown(R(27, 14), "1.929")
    lr = R("0.01")
    assert dE.subs(w, 0) == -58
    w1 = 0 - lr * dE.subs(w, 0)
    assert w1 == R("0.58")
    assert dE.subs(w, w1) == 28 * R("0.58") - 58 == R("-41.76")
    w2 = w1 - lr * dE.subs(w, w1)
    assert w2 == R("0.9976")
    _zero((w - eta * dE - w_star) - (1 - 28 * eta) * (w - w_star))
    region = sp.solve_univariate_inequality(sp.Abs(1 - 28 * eta) < 1, eta, relational=False)
    assert region == sp.Interval.open(0, R(1, 14))
    _shown(R(1, 14), "0.0714")
    assert 1 - 28 * lr == R("0.72")


VERIFY: dict[str, Callable[[], None]] = {
    "least_squares": _v_least_squares,
    "ridge": _v_ridge,
    "logistic_regression": _v_logistic_regression,
    "gaussian_mle": _v_gaussian_mle,
    "poisson_mle": _v_poisson_mle,
    "softmax_cross_entropy": _v_softmax_cross_entropy,
    "wilson_interval": _v_wilson_interval,
    "bayes_test": _v_bayes_test,
    "bernoulli_mle": _v_bernoulli_mle,
    "exponential_mle": _v_exponential_mle,
    "normal_equation": _v_normal_equation,
    "gaussian_variance": _v_gaussian_variance,
    "logistic_gradient": _v_logistic_gradient,
    "discrete_expectation": _v_discrete_expectation,
    "naive_bayes_spam": _v_naive_bayes_spam,
    "gradient_descent": _v_gradient_descent,
}


# --------------------------------------------------------------------------- the slips are wrong


def _nonzero_somewhere(expr: sp.Expr, symbols: list[sp.Symbol], *, positive=()) -> None:
    rng = random.Random(7)
    for _ in range(5):
        subs = {
            s: R(rng.randint(25, 300), 100) if s in positive else R(rng.randint(-200, 200), 100)
            for s in symbols
        }
        if abs(sp.N(expr.subs(subs), 30)) > 1e-6:
            return
    raise AssertionError(f"the slip {expr} vanished at every sampled point")


def _slip_least_squares() -> None:
    a, b = sp.symbols("a b", real=True)
    x, y = _data(11, 5), _data(12, 5)
    S = sum((yi - a - b * xi) ** 2 for xi, yi in zip(x, y, strict=True))
    claim = -2 * sum(yi - a - b * xi for xi, yi in zip(x, y, strict=True))
    _nonzero_somewhere(sp.diff(S, b) - claim, [a, b])


def _slip_ridge() -> None:
    w, lam = sp.Symbol("w"), sp.Symbol("lambda", positive=True)
    x, y = _data(21, 5), _data(22, 5)
    E = sum((yi - w * xi) ** 2 for xi, yi in zip(x, y, strict=True)) + lam * w**2
    claim = -2 * sum(xi * (yi - w * xi) for xi, yi in zip(x, y, strict=True)) - 2 * lam * w
    _nonzero_somewhere(sp.diff(E, w) - claim, [w, lam], positive=[lam])


def _slip_logistic_regression() -> None:
    w = sp.Symbol("w")
    x, ys = _data(31, 4), [1, 0, 1, 0]
    ps = [_sigmoid(w * xi) for xi in x]
    ell = sum(yi * sp.log(p) + (1 - yi) * sp.log(1 - p) for p, yi in zip(ps, ys, strict=True))
    claim = sum((yi * (1 - p) - (1 - yi)) * xi for p, yi, xi in zip(ps, ys, x, strict=True))
    _nonzero_somewhere(sp.diff(ell, w) - claim, [w])


def _slip_gaussian_mle() -> None:
    mu, v = sp.Symbol("mu"), sp.Symbol("v", positive=True)
    x = _data(41, 5)
    ss = sum((xi - mu) ** 2 for xi in x)
    ell = -R(5, 2) * sp.log(2 * sp.pi) - R(5, 2) * sp.log(v) - ss / (2 * v)
    _nonzero_somewhere(sp.diff(ell, v) - (-R(5, 2) / v + ss / (2 * v)), [mu, v], positive=[v])


def _slip_poisson_mle() -> None:
    lam = sp.Symbol("lambda", positive=True)
    x = [3, 1, 4]
    L = sp.Mul(*[lam**xi * sp.exp(-lam) / sp.factorial(xi) for xi in x])
    claim = lam ** sum(x) * sp.exp(-lam) / sp.Mul(*[sp.factorial(xi) for xi in x])
    _nonzero_somewhere(L - claim, [lam], positive=[lam])


def _slip_softmax_cross_entropy() -> None:
    z = sp.symbols("z1:4", real=True)
    den = sum(sp.exp(zj) for zj in z)
    p = [sp.exp(zk) / den for zk in z]
    # k = 0, m = 1: the slipped line says delta_{01} - p_0
    _nonzero_somewhere(sp.diff(sp.log(p[0]), z[1]) - (0 - p[0]), list(z))


def _slip_wilson_interval() -> None:
    p = sp.Symbol("p")
    line2 = (p**2 - R("0.5") * p + R("0.0625")) - (R("0.25") * p - R("0.25") * p**2)
    assert sp.expand(line2 - (R("1.25") * p**2 - R("0.25") * p + R("0.0625"))) != 0


def _slip_bayes_test() -> None:
    assert R("0.05") * R("0.99") != R("0.0485")
    assert R("0.0095") + R("0.0485") != R("0.059")


def _slip_bernoulli_mle() -> None:
    th, k, n = sp.Symbol("theta", positive=True), sp.Symbol("k"), sp.Symbol("n")
    ell = k * sp.log(th) + (n - k) * sp.log(1 - th)
    assert sp.simplify(sp.diff(ell, th) - (k / th + (n - k) / (1 - th))) != 0


def _slip_exponential_mle() -> None:
    lam = sp.Symbol("lambda", positive=True)
    x = _positive_data(91, 5)
    L = sp.Mul(*[lam * sp.exp(-lam * xi) for xi in x])
    claim = 5 * sp.log(lam) - lam * sum(x[:-1])  # sum_{i=1}^{n-1}
    _nonzero_somewhere(sp.log(L) - claim, [lam], positive=[lam])


def _slip_normal_equation() -> None:
    w1, w2 = sp.symbols("w1 w2")
    W = sp.Matrix([w1, w2])
    X, Y = sp.Matrix(4, 2, _data(101, 8)), sp.Matrix(_data(102, 4))
    r = Y - X * W
    claim = (Y.T * Y)[0] - (W.T * X.T * Y)[0] + (W.T * X.T * X * W)[0]
    _nonzero_somewhere((r.T * r)[0] - claim, [w1, w2])


def _slip_gaussian_variance() -> None:
    mu, s = sp.Symbol("mu"), sp.Symbol("sigma", positive=True)
    x = _data(111, 4)
    ss = sum((xi - mu) ** 2 for xi in x)
    ell = -2 * sp.log(2 * sp.pi * s**2) - ss / (2 * s**2)
    _nonzero_somewhere(sp.diff(ell, s) - (-4 / s + ss / s**2), [mu, s], positive=[s])


def _slip_logistic_gradient() -> None:
    w, b = sp.symbols("w b")
    x, ys = _data(121, 5), [0, 1, 1, 0, 1]
    E = -sum(
        yi * sp.log(_sigmoid(w * xi + b)) + (1 - yi) * sp.log(1 - _sigmoid(w * xi + b))
        for xi, yi in zip(x, ys, strict=True)
    )
    claim = sum(_sigmoid(w * xi + b) - yi for xi, yi in zip(x, ys, strict=True))
    _nonzero_somewhere(sp.diff(E, w) - claim, [w, b])


def _slip_discrete_expectation() -> None:
    assert R("3.7") - R("2.89") != R("0.91")


def _slip_naive_bayes_spam() -> None:
    assert R("0.6") * R("0.02") * R("0.005") != R("0.0006")


def _slip_gradient_descent() -> None:
    w = sp.Symbol("w")
    E = sum((w * xi - yi) ** 2 for xi, yi in zip([1, 2, 3], [2, 3, 7], strict=True))
    assert sp.expand(E - (14 * w**2 + 58 * w + 62)) != 0


SLIP_WRONG: dict[str, tuple[str, Callable[[], None]]] = {
    # name: (text in the slipped line but not in the line it replaced, proof it is false)
    "least_squares": (r"\partial b} &= -2 \sum_{i=1}^{n} (y_i", _slip_least_squares),
    "ridge": (r"(y_i - w x_i) - 2 \lambda w", _slip_ridge),
    "logistic_regression": (r"- (1 - y_i) \right]", _slip_logistic_regression),
    "gaussian_mle": (r"+ \frac{1}{2 \sigma^2} \sum\limits", _slip_gaussian_mle),
    "poisson_mle": (r"\frac{\lambda^{\sum_i x_i} e^{-\lambda}}", _slip_poisson_mle),
    "softmax_cross_entropy": (r"= \delta_{km} - p_k", _slip_softmax_cross_entropy),
    "wilson_interval": (r"1.25 p^2 - 0.25 p + 0.0625", _slip_wilson_interval),
    "bayes_test": (r"0.0095 + 0.0485", _slip_bayes_test),
    "bernoulli_mle": (r"\frac{k}{\theta} + \frac{n - k}{1 - \theta}", _slip_bernoulli_mle),
    "exponential_mle": (r"\lambda \sum_{i=1}^{n-1} x_i", _slip_exponential_mle),
    "normal_equation": (r"\mathbf{y} - \mathbf{w}^\top X^\top \mathbf{y}", _slip_normal_equation),
    "gaussian_variance": (r"+ \frac{1}{\sigma^2} \sum\limits", _slip_gaussian_variance),
    "logistic_gradient": ("- y_i\\bigr)\n", _slip_logistic_gradient),
    "discrete_expectation": (r"= 3.7 - 2.89 = 0.91", _slip_discrete_expectation),
    "naive_bayes_spam": (r"0.6 \times 0.02 \times 0.005 = 0.0006", _slip_naive_bayes_spam),
    "gradient_descent": (r"&= 14 w^2 + 58 w + 62", _slip_gradient_descent),
}


# --------------------------------------------------------------------------- tests


def test_sixteen_pairs_eight_per_language() -> None:
    assert len(PAIRS) == 16
    assert len(BY_NAME) == 16, "pair names must be unique"
    for language in ("en", "ja"):
        assert sum(p["language"] == language for p in PAIRS) == 8
    for p in PAIRS:
        assert set(p) == {"name", "language", "correct", "slipped", "slip_line", "kind"}
        assert p["correct"] == f"{p['language']}/{p['name']}.md"
        assert p["slipped"] == f"{p['language']}/{p['name']}_slip.md"
        assert (HERE / p["correct"]).is_file() and (HERE / p["slipped"]).is_file()
        assert p["kind"] in KINDS
    posts = {f.relative_to(HERE).as_posix() for f in HERE.glob("*/*.md")}
    assert posts == {p[k] for p in PAIRS for k in ("correct", "slipped")}


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_twin_differs_only_on_the_slip_line(name: str) -> None:
    pair = BY_NAME[name]
    correct = _read(pair["correct"]).split("\n")
    slipped = _read(pair["slipped"]).split("\n")
    assert len(correct) == len(slipped)
    differing = [i + 1 for i, (a, b) in enumerate(zip(correct, slipped, strict=True)) if a != b]
    assert differing == [pair["slip_line"]]


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_correct_post_mathematics(name: str) -> None:
    assert set(VERIFY) == set(BY_NAME)
    VERIFY[name]()


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_planted_slip_is_wrong(name: str) -> None:
    assert set(SLIP_WRONG) == set(BY_NAME)
    marker, proof = SLIP_WRONG[name]
    pair = BY_NAME[name]
    index = pair["slip_line"] - 1
    slip_line = _read(pair["slipped"]).split("\n")[index] + "\n"
    correct_line = _read(pair["correct"]).split("\n")[index] + "\n"
    assert marker in slip_line
    assert marker not in correct_line
    proof()


def test_the_rounding_yardstick_rejects_a_wrong_rounding() -> None:
    # _shown is the yardstick for every "≈" above; make sure it rejects a wrong rounding
    _shown(sp.Rational(1, 3), "0.333")
    with pytest.raises(AssertionError):
        _shown(sp.Rational(1, 3), "0.334")
