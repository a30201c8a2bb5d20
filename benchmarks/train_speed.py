"""Training speed: probkit's gradient-descent paths against a course-style reference.

Trains the classic 2-layer recipe (7 ReLU units, learning rate 0.0075, 2500
full-batch gradient-descent steps) on the real cat-vs-non-cat training set

* with a straightforward reference implementation of the classic course code
  (written below, float64, samples as columns, cost and backprop recomputed
  every step), and
* with probkit: the default path (dual / Gram matrix, since 12288 features >
  209 samples), the primal path in float64, and the primal path with float32
  products,

all from the same starting weights in the same run, and prints seconds per
iteration, the speed-up over the reference, the final costs and how far the
iterates agree, and FLOPs per iteration against this machine's matmul
throughput measured in the same run. Then it compares L-BFGS with gradient
descent at λ = 100 (logistic regression): iterations and wall time to reach
the optimum (L-BFGS in the row-space coordinates, the default here, and in the
primal), and what the course learning rate does there.

Usage::

    python benchmarks/train_speed.py [--data DIR] [--iterations 2500] [--threads N] [--json]

DIR defaults to $PROBKIT_CAT_DATA. ``--threads`` sets the BLAS thread count
(before numpy is imported) for every contender alike.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.environ.get("PROBKIT_CAT_DATA"))
    parser.add_argument("--iterations", type=int, default=2500)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--skip-lbfgs", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not args.data:
        parser.error("give --data DIR or set PROBKIT_CAT_DATA")
    if args.threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    return args


ARGS = _parse()

import numpy as np  # noqa: E402  (after the thread settings)

from probkit.classifier.data.datasets import load_dataset  # noqa: E402
from probkit.classifier.models import DivergenceWarning, LogisticRegression, TwoLayerNet  # noqa: E402


# ---------------------------------------------------------------- the reference (course style)
def reference_two_layer(X, Y, params, learning_rate, iterations):
    """The classic course code: X (n_x, m), Y (1, m); returns final params and cost history."""
    W1, W2 = params["W1"].copy(), params["W2"].copy()
    b1 = params["b1"].reshape(-1, 1).copy()
    b2 = params["b2"].reshape(-1, 1).copy()
    m = X.shape[1]
    costs = []
    for _ in range(iterations):
        # forward: LINEAR -> RELU -> LINEAR -> SIGMOID
        Z1 = np.dot(W1, X) + b1
        A1 = np.maximum(0, Z1)
        Z2 = np.dot(W2, A1) + b2
        A2 = 1 / (1 + np.exp(-Z2))
        cost = -1 / m * np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
        costs.append(float(np.squeeze(cost)))
        # backward
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dZ2 = dA2 * A2 * (1 - A2)
        dW2 = 1 / m * np.dot(dZ2, A1.T)
        db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
        dA1 = np.dot(W2.T, dZ2)
        dZ1 = np.array(dA1, copy=True)
        dZ1[Z1 <= 0] = 0
        dW1 = 1 / m * np.dot(dZ1, X.T)
        db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
        # update
        W1 = W1 - learning_rate * dW1
        b1 = b1 - learning_rate * db1
        W2 = W2 - learning_rate * dW2
        b2 = b2 - learning_rate * db2
    A2 = 1 / (1 + np.exp(-(np.dot(W2, np.maximum(0, np.dot(W1, X) + b1)) + b2)))
    costs.append(float(-1 / m * np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))))
    return {"W1": W1, "b1": b1.ravel(), "W2": W2, "b2": b2.ravel()}, costs


def matmul_gflops(n: int = 1536, repeats: int = 5) -> float:
    """Best-of-``repeats`` float64 GFLOP/s of an n×n by n×n product (the machine's matmul rate)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)), rng.random((n, n))
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def primal_anatomy(X, X_course, h: int, repeats: int = 7) -> dict[str, float]:
    """Where a primal iteration's time goes, in ms (best of ``repeats``; one BLAS thread or more).

    * the reference's two big products as the course writes them;
    * ``stream``: one pass copying X, tile by tile, into a cache-resident buffer
      (the memory traffic any primal pass pays at least once per iteration);
    * ``hot``: the two products of every tile, timed on one tile already in cache
      (the compute with the fastest BLAS kernels found: small-matrix, 8 padded rows);
    * ``hot_single_layout``: the same, but both products from the one C-order tile, as
      probkit's primal path does (the forward product then uses the slower kernel).
    """
    from probkit.classifier.models.primal import BLOCK_BYTES, padded_rows

    m, n = X.shape
    rng = np.random.default_rng(1)
    kp = padded_rows(h)
    W1, D = rng.standard_normal((h, n)), rng.standard_normal((h, m))
    width = max(16, BLOCK_BYTES // (8 * m))
    tiles = [np.ascontiguousarray(X[:, j : j + width]) for j in range(0, n, width)]
    buffer = np.empty_like(tiles[0])
    hot, hot_t = tiles[0].copy(), np.ascontiguousarray(tiles[0].T)
    Dp, Wp = np.zeros((kp, m)), np.zeros((kp, width))
    Dp[:h], Wp[:h] = D, W1[:, :width]
    dW, Z = np.empty((kp, width)), np.empty((kp, m))

    def stream() -> None:
        for tile in tiles:
            if tile.shape == buffer.shape:
                np.copyto(buffer, tile)

    def products(two_layouts: bool) -> None:
        for _ in tiles:
            np.matmul(Dp, hot, out=dW)
            np.matmul(Wp, hot_t if two_layouts else hot.T, out=Z)

    def best(fn) -> float:
        fn()
        return 1e3 * min(_timed(fn) for _ in range(repeats))

    return {
        "reference_products_ms": best(lambda: (np.dot(W1, X_course), np.dot(D, X_course.T))),
        "stream_ms": best(stream),
        "hot_ms": best(lambda: products(True)),
        "hot_single_layout_ms": best(lambda: products(False)),
        "tile_columns": width,
        "tiles": len(tiles),
    }


def main() -> int:
    import warnings

    base = Path(ARGS.data)
    train = load_dataset(base / "train_catvnoncat.h5")
    m = train.n
    X = np.ascontiguousarray(train.images.reshape(m, -1) / 255.0)  # probkit: (m, n)
    y = train.labels
    X_course = train.images.reshape(m, -1).T / 255.0  # the course: (n, m)
    Y_course = train.labels.reshape(1, m).astype(np.float64)
    n = X.shape[1]
    h = 7
    iters = ARGS.iterations
    lr = 0.0075

    net = TwoLayerNet(max_iter=iters, tol=0.0)
    start = net.init_params(n, np.random.default_rng(net.random_state))

    peak = matmul_gflops()

    t = time.perf_counter()
    ref_params, ref_costs = reference_two_layer(X_course, Y_course, start, lr, iters)
    t_ref = time.perf_counter() - t

    runs: dict[str, dict[str, Any]] = {}
    for name, kwargs in [
        ("probkit default (dual)", {}),
        ("probkit primal float64", {"gd_path": "primal"}),
        ("probkit primal float32", {"gd_path": "primal", "precision": "float32"}),
    ]:
        model = net.clone().set_params(**kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DivergenceWarning)
            t = time.perf_counter()
            model.fit(X, y)
            elapsed = time.perf_counter() - t
        costs = model.cost_history_
        rel_cost = np.abs(costs - np.asarray(ref_costs)) / np.asarray(ref_costs)
        w_diff = max(
            float(np.max(np.abs(model.params_[k] - ref_params[k])) / np.max(np.abs(ref_params[k])))
            for k in ref_params
        )
        runs[name] = {
            "path": model.training_path_,
            "seconds": elapsed,
            "seconds_per_iteration": elapsed / iters,
            "speedup": t_ref / elapsed,
            "final_cost": float(costs[-1]),
            "final_cost_rel_diff": float(rel_cost[-1]),
            "max_cost_rel_diff": float(rel_cost.max()),
            "max_param_rel_diff": w_diff,
        }

    # FLOPs per iteration (multiply-adds count 2)
    big = 2 * (2 * h * n * m)  # W1·X and dZ1·Xᵀ
    small = 2 * h * m * 2 + 12 * h * m + 20 * m  # W2·A1, W2ᵀ·dZ2, elementwise work
    ref_flops = big + small
    dual_iter = 2 * h * m * m + small  # dZ1ᵀ·G, plus the same small work
    dual_once = 2 * m * m * n + 2 * (2 * h * n * m)  # Gram XXᵀ, X·W0ᵀ, final W = C·X
    dual_total = dual_once + iters * dual_iter
    result: dict[str, Any] = {
        "iterations": iters,
        "blas_threads": ARGS.threads or os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "matmul_gflops": peak,
        "reference": {
            "seconds": t_ref,
            "seconds_per_iteration": t_ref / iters,
            "final_cost": ref_costs[-1],
            "flops_per_iteration": ref_flops,
            "share_of_flops_in_big_matmuls": big / ref_flops,
            "gflops_achieved": ref_flops * iters / t_ref / 1e9,
            "floor_seconds_per_iteration": ref_flops / (peak * 1e9),
        },
        "probkit": runs,
        "dual_flops": {
            "per_iteration": dual_iter,
            "once": dual_once,
            "per_iteration_amortized": dual_total / iters,
            "reduction_vs_reference": ref_flops * iters / dual_total,
        },
    }

    result["primal_anatomy"] = primal_anatomy(X, X_course, h)
    if not ARGS.skip_lbfgs:
        result["lambda_100"] = lambda_100(X, y)

    if ARGS.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)
    return 0


class _Reached(Exception):
    pass


def lambda_100(X, y) -> dict[str, Any]:
    """L-BFGS versus gradient descent on the λ = 100 logistic regression."""
    import warnings

    m = X.shape[0]
    lam = 100.0
    # the optimum, tightly
    tight = LogisticRegression(l2=lam, solver="lbfgs", max_iter=5000, tol=1e-10).fit(X, y)
    j_star = float(tight.cost_history_[-1])
    target = j_star * (1 + 1e-6)
    # L = largest eigenvalue of the Hessian bound λ/m + σ_max(XᵀX) / (4m)
    top = float(np.linalg.eigvalsh(X @ X.T)[-1])
    L = lam / m + top / (4 * m)

    def until_target(model) -> tuple[int, float, float]:
        marks: list[float] = []
        t0 = time.perf_counter()

        def callback(iteration: int, cost: float) -> None:
            if cost <= target:
                marks.append(time.perf_counter() - t0)
                raise _Reached(iteration)

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(X, y, callback=callback)
        except _Reached as reached:
            return int(reached.args[0]), marks[0], target
        return -1, time.perf_counter() - t0, float(model.cost_history_.min())

    lb_iter, lb_time, _ = until_target(
        LogisticRegression(l2=lam, solver="lbfgs", max_iter=5000, tol=1e-10)
    )
    lbp_iter, lbp_time, _ = until_target(
        LogisticRegression(l2=lam, solver="lbfgs", max_iter=5000, tol=1e-10, gd_path="primal")
    )
    gd_iter, gd_time, _ = until_target(
        LogisticRegression(l2=lam, solver="gd", learning_rate=1 / L, max_iter=2_000_000,
                           tol=0.0)
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        course = LogisticRegression(l2=lam, solver="gd", learning_rate=0.005,
                                    max_iter=2000).fit(X, y)
    return {
        "optimum_cost": j_star,
        "criterion": "cost <= J* (1 + 1e-6)",
        "L": L,
        "stability_limit_2_over_L": 2 / L,
        "lbfgs_iterations": lb_iter,
        "lbfgs_seconds": lb_time,
        "lbfgs_primal_iterations": lbp_iter,
        "lbfgs_primal_seconds": lbp_time,
        "gd_learning_rate": 1 / L,
        "gd_iterations": gd_iter,
        "gd_seconds": gd_time,
        "course_rate_final_cost": float(course.cost_history_[-1]),
        "course_rate_best_cost": float(course.cost_history_.min()),
        "course_rate_warning": [str(w.message) for w in caught],
    }


def report(r: dict[str, Any]) -> None:
    ref = r["reference"]
    print(f"2-layer recipe, {r['iterations']} iterations, BLAS threads: {r['blas_threads']}")
    print(f"machine matmul throughput (float64, 1536^3): {r['matmul_gflops']:.1f} GFLOP/s")
    print()
    print(f"{'implementation':28s} {'s/iter':>10s} {'speed-up':>9s} {'final cost':>12s} "
          f"{'cost rel diff':>14s} {'max param diff':>15s}")
    print(f"{'reference (course style)':28s} {ref['seconds_per_iteration'] * 1e3:8.3f}ms "
          f"{1.0:8.1f}x {ref['final_cost']:12.9f} {'-':>14s} {'-':>15s}")
    for name, run in r["probkit"].items():
        print(f"{name:28s} {run['seconds_per_iteration'] * 1e3:8.3f}ms {run['speedup']:8.1f}x "
              f"{run['final_cost']:12.9f} {run['final_cost_rel_diff']:14.2e} "
              f"{run['max_param_rel_diff']:15.2e}")
    print()
    d = r["dual_flops"]
    print(f"reference FLOPs/iteration: {ref['flops_per_iteration'] / 1e6:.1f} M "
          f"({100 * ref['share_of_flops_in_big_matmuls']:.2f}% in the two 7x12288x209 matmuls); "
          f"achieved {ref['gflops_achieved']:.1f} GFLOP/s = "
          f"{ref['seconds_per_iteration'] / ref['floor_seconds_per_iteration']:.1f}x the "
          f"pure-FLOP floor of {ref['floor_seconds_per_iteration'] * 1e3:.3f} ms")
    print(f"dual FLOPs/iteration: {d['per_iteration'] / 1e6:.2f} M (+ {d['once'] / 1e9:.2f} GFLOP "
          f"once for the Gram matrix); {d['reduction_vs_reference']:.0f}x fewer FLOPs in total")
    a = r["primal_anatomy"]
    two = 2 * a["stream_ms"] + a["hot_ms"]  # X kept in both layouts: streamed twice
    one = a["stream_ms"] + a["hot_single_layout_ms"]
    ref_products = a["reference_products_ms"]
    print(f"primal anatomy (best of 7, ms per iteration; {a['tiles']} tiles of "
          f"{a['tile_columns']} columns): the reference's two products {ref_products:.2f}; "
          f"streaming X once {a['stream_ms']:.2f}; both products on cache-hot tiles "
          f"{a['hot_ms']:.2f} with X in both layouts, {a['hot_single_layout_ms']:.2f} with one")
    print(f"  floor of a primal pass made of BLAS calls (streaming and compute do not overlap): "
          f"min(2 x stream + hot, stream + hot one layout) = {min(one, two):.2f} ms "
          f"-> at most {ref_products / min(one, two):.1f}x the reference's products")
    if "lambda_100" in r:
        s = r["lambda_100"]
        print()
        print(f"λ = 100 logistic regression: J* = {s['optimum_cost']:.9f}; "
              f"reached when {s['criterion']}")
        print(f"  L-BFGS (default, row-space coordinates): {s['lbfgs_iterations']} iterations, "
              f"{s['lbfgs_seconds']:.2f} s")
        print(f"  L-BFGS (primal, gd_path='primal'): {s['lbfgs_primal_iterations']} iterations, "
              f"{s['lbfgs_primal_seconds']:.2f} s")
        print(f"  GD at 1/L = {s['gd_learning_rate']:.5f}: {s['gd_iterations']} iterations, "
              f"{s['gd_seconds']:.2f} s")
        print(f"  stability limit 2/L = {s['stability_limit_2_over_L']:.5f} < course rate 0.005: "
              f"after 2000 steps cost {s['course_rate_final_cost']:.6f} "
              f"(best {s['course_rate_best_cost']:.6f})")
        for w in s["course_rate_warning"]:
            print(f"  warning: {w}")


if __name__ == "__main__":
    sys.exit(main())
