"""Benchmark of borderhub.robustness on the national p-median, serially and on Dask.

Usage::

    python benchmarks/bench_robustness.py [--n 1000] [--workers 2] [--cold-n 100]

The instance is the bundled one: 367 prefecture-level demand units weighted by their
estimated express volume (spreads from the data's ``express_volume_method``), the 60
places of 专栏4 as candidates, geodesic km, p = 15 with the 10 CORE cities required. Four
runs, in this order:

1. ``warm serial``: ``robustness(..., n=N)`` in this process (warm starts on, the default);
2. ``warm dask``: the same call with ``executor=client`` on a
   ``distributed.LocalCluster(n_workers=W, processes=True, threads_per_worker=1)``
   (cluster start-up timed separately);
3. ``cold serial``: ``warm_start=False`` (every draw built and solved from scratch, the
   peer the warm start is measured against) on the first ``--cold-n`` draws;
4. ``warm serial`` on the same first ``--cold-n`` draws, to compare like with like.

The serial and Dask results are compared (everything but the timings), as are the cold and
warm ones. The machine load (``os.getloadavg``) is printed before and after. Prints JSON.
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
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cold-n", type=int, default=100)
    ap.add_argument("--batch-size", type=int, default=25)
    ap.add_argument("--p", type=int, default=15)
    args = ap.parse_args()

    import distributed
    import pandas as pd

    from borderhub import datasets
    from borderhub.geo import distance_matrix
    from borderhub.scenarios import robustness

    load_before = os.getloadavg()
    demand, candidates = datasets.prefectures(), datasets.candidates()
    core = candidates.index[candidates["tiers"].str.contains("CORE")]
    cost = distance_matrix(demand, candidates)
    kw = dict(
        cost=cost,
        weights=demand["express_volume"],
        p=args.p,
        required=core,
        batch_size=args.batch_size,
        progress=False,
        seed=0,
    )

    def run(**extra):
        t = time.perf_counter()
        result = robustness("pmedian", demand, **{**kw, **extra})
        return result, time.perf_counter() - t

    serial, t_serial = run(n=args.n)

    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=args.workers,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        host="127.0.0.1",
    )
    client = distributed.Client(cluster)
    client.run(lambda: __import__("borderhub.scenarios"))  # import once per worker
    t_start = time.perf_counter() - t0
    try:
        dask, t_dask = run(n=args.n, executor=client)
    finally:
        client.close()
        cluster.close()

    cold, t_cold = run(n=args.cold_n, warm_start=False)
    warm_small, t_warm_small = run(n=args.cold_n)

    drop = ["seconds", "by_lp"]
    same_dask = serial.draws.drop(columns=["seconds"]).equals(dask.draws.drop(columns=["seconds"]))
    try:
        pd.testing.assert_frame_equal(
            cold.draws.drop(columns=drop), warm_small.draws.drop(columns=drop), rtol=1e-9
        )
        same_cold = True
    except AssertionError:
        same_cold = False
    out = {
        "instance": f"{len(demand)} x {len(candidates)}, p = {args.p}, {len(core)} CORE required",
        "n": args.n,
        "workers": args.workers,
        "batch_size": args.batch_size,
        "warm_serial_s": round(t_serial, 2),
        "warm_dask_s": round(t_dask, 2),
        "cluster_start_s": round(t_start, 2),
        "dask_speedup_over_serial": round(t_serial / t_dask, 2),
        "dask_equals_serial": bool(same_dask),
        "cold_n": args.cold_n,
        "cold_serial_s_per_draw": round(t_cold / args.cold_n, 4),
        "warm_serial_s_per_draw": round(t_warm_small / args.cold_n, 4),
        "warm_speedup_over_cold": round(t_cold / t_warm_small, 2),
        "cold_equals_warm": same_cold,
        "draws_by_lp_share": round(float(serial.draws["by_lp"].mean()), 3),
        "distinct_sets": len(serial.sets),
        "stable_90": list(map(str, serial.stable(0.9))),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        **_checkout.provenance(),
        "distributed": distributed.__version__,
    }
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
