"""Benchmark rank_stability: vectorised draws against a naive per-draw loop over score().

Usage::

    python benchmarks/bench_scoring.py [--draws 1000] [--repeat 5] [--synthetic]

By default the 60 places of the bundled candidates() are scored on default_criteria().
The criteria are evaluated once into a decision matrix, so both contenders time the
method itself: rank_stability scores all draws with matrix products; the naive loop
replays the same weight draws one at a time through score(). Both must give the same
ranks. The end-to-end time (criteria evaluation with geodesic distances included) is
reported too.
"""

from __future__ import annotations

import argparse
import platform
import time

import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
import numpy as np
import pandas as pd

from borderhub.scoring import default_criteria, rank_stability, score

METHODS = ("topsis", "weighted_sum", "vikor")


def _matrix(synthetic: bool) -> tuple[pd.DataFrame, dict[str, str], dict[str, float], object]:
    crits = default_criteria()
    if synthetic:
        rng = np.random.default_rng(0)
        cands = None
        matrix = pd.DataFrame(
            rng.lognormal(1.0, 1.0, (60, len(crits))),
            columns=[c.name for c in crits],
            index=[f"c{i:02d}" for i in range(60)],
        )
    else:
        from borderhub import datasets

        cands = datasets.candidates()
        matrix = pd.DataFrame({c.name: c.evaluate(cands) for c in crits})
    directions = {c.name: c.direction for c in crits}
    weights = {c.name: float(c.weight) for c in crits}
    return matrix, directions, weights, cands


def _best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def _naive(matrix, directions, weights, method, n, spread, seed):
    """The same draws as rank_stability, scored one at a time with score()."""
    names = list(directions)
    w = np.array([weights[k] for k in names])
    w = w / w.sum()
    z = np.random.default_rng(seed).standard_normal((n, len(w)))
    draws = w * np.exp(spread * z - spread**2 / 2)
    draws /= draws.sum(axis=1, keepdims=True)
    ranks = np.empty((len(matrix), n), dtype=np.int64)
    for k, d in enumerate(draws):
        ranks[:, k] = score(matrix, directions, dict(zip(names, d, strict=True)), method)["rank"]
    return ranks.mean(axis=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--spread", type=float, default=0.2)
    ap.add_argument("--synthetic", action="store_true", help="random 60 x 8 matrix")
    args = ap.parse_args()

    matrix, directions, weights, cands = _matrix(args.synthetic)
    n = args.draws
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"{len(matrix)} candidates x {matrix.shape[1]} criteria, {n} weight draws, "
          f"spread {args.spread}")  # fmt: skip
    print(f"{'method':<14}{'vectorised s':>14}{'naive loop s':>14}{'ratio':>9}  same ranks")
    for method in METHODS:
        t_vec, res = _best(
            lambda m=method: rank_stability(
                matrix, directions, weights, m, n=n, spread=args.spread, seed=0
            ),
            args.repeat,
        )
        t0 = time.perf_counter()
        naive_mean = _naive(matrix, directions, weights, method, n, args.spread, 0)
        t_loop = time.perf_counter() - t0
        same = bool(np.allclose(res["mean_rank"].to_numpy(), naive_mean))
        print(f"{method:<14}{t_vec:>14.4f}{t_loop:>14.3f}{t_loop / t_vec:>8.0f}x  {same}")
    if cands is not None:
        t_e2e, _ = _best(lambda: rank_stability(cands, default_criteria(), n=n), args.repeat)
        print(f"end to end, rank_stability(candidates(), default_criteria(), n={n}): "
              f"{t_e2e:.4f} s (criteria with geodesic distances included)")  # fmt: skip


if __name__ == "__main__":
    main()
