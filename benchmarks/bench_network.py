"""Benchmark of borderhub.network.distance_matrix: the national road matrix, cold and cached.

Instance: the 367 prefecture-level demand units (:func:`borderhub.datasets.prefectures`) x
the 60 candidate places (:func:`borderhub.datasets.candidates`) over the OpenStreetMap road
network (``scgraph_data``), with ``max_snap_km=320`` so that 三沙 (about 300 km from any
road) is included.

Timed in one process, in this order:

1. the peer: :func:`borderhub.geo.distance_matrix` (geodesic) on the same points;
2. **cold**: the road matrix with nothing loaded and an empty cache directory (reading the
   network package, clipping, snapping, 60 one-to-many Dijkstra runs, writing the cache);
3. **cached**: the same call again (a cache hit: the matrix is read from disk);
4. **cached, new process**: the same call in a fresh interpreter, import of borderhub
   included (what a user's second session pays).

The circuity (road km / geodesic km, pairs more than 50 km apart that the road network
connects) and the unreachable pairs are reported too. The 1-minute load average is read
before and after, because the machine the numbers come from may be shared.

Usage::

    python benchmarks/bench_network.py [--cache-dir DIR] [--json out.json]

Measured results (2026-12-06; 2-core machine shared with other jobs, 1-minute load average
14-16 during both runs; Python 3.11, SciPy 1.17, scgraph_data 2.0.0); run 2 had a test
suite running beside it and also recorded the CPU time of the cold call:

========================================  ==========  ==========  ========================
run                                       run 1       run 2       notes
========================================  ==========  ==========  ========================
load average before / after               14.5/15.6   13.8/15.5
geodesic peer, 367 x 60                   0.13 s      0.22 s
reading the road network alone            13.6 s      20.7 s
road, cold (read + snap + paths + write)  27.8 s      43.9 s      CPU time 5.3 s
road, cached (same process)               0.058 s     0.065 s
road, cached (new process)                6.1 s       6.1 s       importing borderhub and
                                                                  the bundled tables; the
                                                                  cached read 0.12-0.15 s
========================================  ==========  ==========  ========================

The cold wall time is mostly waiting for a core at that load: its CPU time is 5.3 s.
Circuity over 19,731 connected pairs > 50 km apart: median 1.146, 5th-95th percentile
1.095-1.294, 99.67 % in [1.0, 2.0]; 2,202 of 22,020 pairs unreachable (Hainan and 三沙 to
and from the mainland, and the Zhoushan archipelago: the snapshot has no link there).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
import numpy as np

from borderhub import datasets, geo, network


def _load() -> float:
    return (
        float(Path("/proc/loadavg").read_text().split()[0])
        if Path("/proc/loadavg").exists()
        else float("nan")
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache-dir", type=Path, default=None, help="default: a new temporary one")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    cache = args.cache_dir or Path(tempfile.mkdtemp(prefix="bench-network-"))
    if any(cache.glob("network/road-*.npz")):
        raise SystemExit(f"{cache} already holds road matrices; give an empty --cache-dir")
    demand, cand = datasets.prefectures(), datasets.candidates()
    load_before = _load()

    t0 = time.perf_counter()
    g = geo.distance_matrix(demand, cand)
    t_geo = time.perf_counter() - t0

    t0 = time.perf_counter()
    network.network_info("road")  # the read alone, to split the cold time
    t_read = time.perf_counter() - t0
    network._load.cache_clear()

    t0, c0 = time.perf_counter(), time.process_time()
    cold = network.distance_matrix(demand, cand, "road", max_snap_km=320, cache=cache)
    t_cold, c_cold = time.perf_counter() - t0, time.process_time() - c0

    t0 = time.perf_counter()
    warm = network.distance_matrix(demand, cand, "road", max_snap_km=320, cache=cache)
    t_warm = time.perf_counter() - t0
    assert np.array_equal(cold.to_numpy(), warm.to_numpy(), equal_nan=True)

    code = (
        "import time; t0 = time.perf_counter(); "
        "from borderhub import datasets, network; "
        "d, c = datasets.prefectures(), datasets.candidates(); t1 = time.perf_counter(); "
        f"network.distance_matrix(d, c, 'road', max_snap_km=320, cache={str(cache)!r}); "
        "t2 = time.perf_counter(); "
        "assert network._load.cache_info().currsize == 0, 'the network was read'; "
        "print(t2 - t0, t2 - t1)"
    )
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    t_new, t_new_read = float(out[0]), float(out[1])
    load_after = _load()

    d, gv = cold.to_numpy(), g.to_numpy()
    ok = np.isfinite(d)
    far = ok & (gv > 50)
    ratio = d[far] / gv[far]
    result = {
        "origins": len(demand),
        "destinations": len(cand),
        "load_1min_before": load_before,
        "load_1min_after": load_after,
        "geodesic_s": round(t_geo, 3),
        "network_read_s": round(t_read, 2),
        "road_cold_s": round(t_cold, 2),
        "road_cold_cpu_s": round(c_cold, 2),
        "road_cached_s": round(t_warm, 4),
        "road_cached_new_process_s": round(t_new, 2),
        "road_cached_new_process_read_s": round(t_new_read, 4),
        "never_below_geodesic": bool((d[ok] >= gv[ok] - 1e-9).all()),
        "pairs_over_50km_connected": int(far.sum()),
        "circuity_median": round(float(np.median(ratio)), 3),
        "circuity_p5_p95": [round(float(x), 3) for x in np.percentile(ratio, [5, 95])],
        "circuity_share_in_1_2": round(float(np.mean((ratio >= 1) & (ratio <= 2))), 4),
        "unreachable_pairs": int((~ok).sum()),
        "network": network.network_info("road"),
    }
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
