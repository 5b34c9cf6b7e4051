"""Benchmark of a p-median sweep, p = 1..30, serially and on a local Dask cluster.

Usage::

    python benchmarks/bench_sweep.py [--workers 2] [--pmax 30] [--model pmedian]

The instance is the bundled one: 367 prefecture-level demand units weighted by their
estimated express volume, the 60 places of 专栏4 as candidates, geodesic km. The cost
matrix is computed once; the sweep is run (1) serially in this process and (2) with a
``distributed.LocalCluster(n_workers=W, processes=True, threads_per_worker=1)`` through
``client.get_executor()``, the same call with ``executor=`` added. Cluster start-up is
timed separately from the sweep. Both tables are compared (all columns but the timings).
``--threads N`` gives HiGHS N threads per solve (``pulp.HiGHS(threads=N)``; default 1, so
that the serial run and each worker use one core); ``--threads 0`` leaves HiGHS' default.
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import _checkout  # this checkout's borderhub, not the installed one


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pmax", type=int, default=30)
    ap.add_argument("--model", default="pmedian")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    import distributed
    import pandas as pd
    import pulp

    from borderhub import datasets
    from borderhub.geo import distance_matrix
    from borderhub.scenarios import p_sweep

    demand, candidates = datasets.prefectures(), datasets.candidates()
    cost = distance_matrix(demand, candidates)
    weights = demand["express_volume"]
    p = list(range(1, args.pmax + 1))
    solver = pulp.HiGHS(msg=False, threads=args.threads) if args.threads > 0 else "highs"
    kw = dict(cost=cost, weights=weights, p=p, model=args.model, solver=solver, progress=False)

    t0 = time.perf_counter()
    serial = p_sweep(**kw)
    t_serial = time.perf_counter() - t0

    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=args.workers,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        host="127.0.0.1",
    )
    client = distributed.Client(cluster)
    t_start = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        parallel = p_sweep(**kw, executor=client.get_executor())
        t_parallel = time.perf_counter() - t0
    finally:
        client.close()
        cluster.close()

    timing = ["build_time", "solve_time"]
    same = serial.drop(columns=timing).equals(parallel.drop(columns=timing))
    solver_s = float((serial["build_time"] + serial["solve_time"]).sum())
    slowest = serial.sort_values("solve_time").iloc[-1]
    result = {
        "benchmark": f"{args.model} sweep p=1..{args.pmax}, 367 demand x 60 candidates",
        "python": platform.python_version(),
        **_checkout.provenance(),
        "machine": f"{platform.system()}-{platform.machine()}, {os.cpu_count()} CPUs",
        "serial_s": round(t_serial, 2),
        "highs_threads": args.threads or "default",
        "dask_workers": args.workers,
        "dask_cluster_start_s": round(t_start, 2),
        "dask_sweep_s": round(t_parallel, 2),
        "speedup": round(t_serial / t_parallel, 2),
        "same_table": bool(same),
        "serial_build_plus_solve_s": round(solver_s, 2),
        "slowest_scenario": {"p": int(slowest["p"]), "solve_s": round(slowest["solve_time"], 2)},
        "all_optimal": bool((serial["status"] == "optimal").all()),
        "objective_p1_p10_p30": [
            round(float(serial.loc[serial["p"] == k, "objective"].iloc[0]), 1)
            for k in (1, 10, args.pmax)
            if (serial["p"] == k).any()
        ],
    }
    pd.set_option("display.width", 120)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
