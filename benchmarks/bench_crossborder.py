"""Benchmark :class:`borderhub.locate.CrossBorderMedian` on the bundled data.

Instance: the 367 prefecture-level demand units as origins x all 43 bundled partner hubs
(international volume from :func:`borderhub.international_demand` with the sourced 2025
share and ``split="equal"`` so that every partner carries flow: 15,781 commodities) x the 60
candidate places, domestic cost = geodesic km, international cost = :func:`gateway_costs`
with the default mode parameters. Timed end to end (model construction from the three
tables, build and solve), for p = 5, 10, 20, each ``--repeat`` times (median reported).

Peer: the textbook assignment formulation (``x_cj <= y_j``, one assignment variable per
commodity and reachable candidate), written independently here with PuLP and solved by
HiGHS, on a seeded sample of ``--peer-origins`` origins (all partners); objectives must
agree, and the time ratio is reported.

Usage::

    python benchmarks/bench_crossborder.py [--repeat 3] [--peer-origins 60] [--json out.json]

Measured results (2026-11-29; 2-core machine shared with six other jobs, load average
11-14 during the run; Python 3.11, PuLP 3.3, HiGHS through highspy; end to end, median of 3)

=====================================  ==========================  =========================
run                                    time                        notes
=====================================  ==========================  =========================
full instance, p = 10                  1.63 s (0.84 / 1.63 / 1.94)  optimal, 1 solver call
full instance, p = 20                  1.75 s (1.74 / 1.75 / 1.97)  optimal, 2 solver calls
full instance, p = 5                   14.99 s (15.09 / 14.99 /     optimal, 3 solver calls
                                       8.99)
60-origin sample, p = 5: dense peer    2.71 s vs 53.89 s (19.9x)    objectives agree (5e-16)
60-origin sample, p = 10: dense peer   0.24 s vs 38.77 s (162x)     objectives agree (2e-16)
=====================================  ==========================  =========================

The load is quoted because the machine was shared: the same runs take a fraction of these
times on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
import numpy as np
import pandas as pd
import pulp

import borderhub as bh
from borderhub.locate import CrossBorderMedian, gateway_costs


def instance() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    cands = bh.datasets.candidates()
    demand = bh.datasets.prefectures()
    partners = bh.datasets.partners()
    dom = bh.distance_matrix(demand, cands)
    routes = gateway_costs(cands, partners)
    intl = routes["cost"].unstack("partner").reindex(index=cands.index, columns=partners.index)
    flows = bh.international_demand(demand, partners, split="equal")
    return dom, intl, flows, routes


def dense_peer(dom: pd.DataFrame, intl: pd.DataFrame, flows: pd.DataFrame, p: int) -> tuple:
    """Textbook assignment model: min sum f_c (d + g) x_cj, sum_j x_cj = 1, x_cj <= y_j."""
    t0 = time.perf_counter()
    prob = pulp.LpProblem("dense", pulp.LpMinimize)
    m = dom.shape[1]
    y = prob.add_variable_dict("y", range(m), 0, 1, pulp.LpBinary)
    D = dom.to_numpy()
    G = intl.reindex(index=dom.columns, columns=flows.columns).to_numpy()
    F = flows.to_numpy()
    scale = 1.0 / F[F > 0].mean()
    obj = []
    n_x = 0
    for i, k in zip(*np.nonzero(F > 0), strict=True):
        js = np.flatnonzero(np.isfinite(G[:, k]))
        x = prob.add_variable_dict(f"x_{i}_{k}", js.tolist(), 0, 1, pulp.LpContinuous)
        n_x += len(js)
        prob += pulp.lpSum(x.values()) == 1
        for j in js:
            prob += x[j] <= y[j]
            obj.append((F[i, k] * scale * (D[i, j] + G[j, k]), x[j]))
    prob += pulp.lpSum(y.values()) == p
    prob.setObjective(pulp.LpAffineExpression([(v, c) for c, v in obj]))
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    prob.solve(pulp.HiGHS(msg=False))
    solve = time.perf_counter() - t1
    return pulp.value(prob.objective) / scale, build, solve, pulp.LpStatus[prob.status], n_x


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--p", type=int, nargs="*", default=[5, 10, 20])
    ap.add_argument("--peer-origins", type=int, default=60)
    ap.add_argument("--json", default="bench_crossborder.json")
    args = ap.parse_args()
    print(f"load before: {os.getloadavg()}")
    dom, intl, flows, routes = instance()
    n_comm = int((flows.to_numpy() > 0).sum())
    print(f"instance: {dom.shape[0]} origins x {flows.shape[1]} partners x {dom.shape[1]} "
          f"candidates; {n_comm} commodities")  # fmt: skip
    results = []
    for p in args.p:
        times, last = [], None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            sol = CrossBorderMedian.from_cost_matrices(dom, intl, flows, p=p, routes=routes).solve()
            times.append(time.perf_counter() - t0)
            last = sol
        assert last is not None
        row = {
            "p": p, "median_s": statistics.median(times), "runs_s": times,
            "status": str(last.status), "build_s": last.build_time,
            "solve_s": last.solve_time, "solver_calls": last.iterations,
            "objective": last.objective, "load": os.getloadavg(),
        }  # fmt: skip
        results.append(row)
        runs = [round(t, 2) for t in times]
        print(f"p={p:>3}: {row['median_s']:.2f} s median of {runs}, {row['status']}, "
              f"{row['solver_calls']} solver call(s), load {row['load']}")  # fmt: skip
    # peer on a sample
    rng = np.random.default_rng(0)
    pick = np.sort(rng.choice(dom.shape[0], size=min(args.peer_origins, dom.shape[0]),
                              replace=False))  # fmt: skip
    d_s, f_s = dom.iloc[pick], flows.iloc[pick]
    peer = []
    for p in (5, 10):
        t0 = time.perf_counter()
        ours = CrossBorderMedian.from_cost_matrices(d_s, intl, f_s, p=p).solve()
        t_ours = time.perf_counter() - t0
        obj, b, s, status, n_x = dense_peer(d_s, intl, f_s, p)
        rel = abs(obj - ours.objective) / abs(ours.objective)
        peer.append({"p": p, "ours_s": t_ours, "dense_s": b + s, "dense_build_s": b,
                     "dense_status": status, "rel_diff": rel, "dense_vars": n_x})  # fmt: skip
        print(f"sample {len(pick)} origins, p={p}: borderhub {t_ours:.2f} s, dense textbook "
              f"{b + s:.2f} s (build {b:.2f} s, {n_x} x-vars, {status}); speed-up "
              f"{(b + s) / t_ours:.1f}x; objective rel. diff {rel:.1e}")  # fmt: skip
    print(f"load after: {os.getloadavg()}")
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump({"full": results, "peer": peer}, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
