"""Benchmark of the national cross-border model on network costs (distance="road").

Instance: the 367 prefecture-level origins (:func:`borderhub.datasets.prefectures`), the 60
candidate places, the 50 partner hubs, the sourced international share and the export
split, p = 10 -- :func:`borderhub.locate.solve_crossborder` with every distance along the
road network (the domestic leg), the gateways from the infrastructure
(:func:`borderhub.routes.infrastructure_gateways`) and each gateway's onward leg along the
network of its mode (road, rail, sea lanes; air geodesic).

Timed in one process, in this order:

1. **cold**: an empty cache directory: the road, rail and sea networks read, the border
   crossings found, every matrix computed and written to the cache, the model solved;
2. **cached**: the same job again in the same process (the matrices read from the cache);
3. **cached, new process**: the same job in a fresh interpreter (import included);
4. the geodesic model on the same instance, for comparison.

The 1-minute load average is read before and after (the machine may be shared).

Usage::

    python benchmarks/bench_routes.py [--cache-dir DIR] [--json out.json]

Measured results (2026-12-07; 2-core machine shared with other jobs; Python 3.11, SciPy
1.17, scgraph_data 2.0.0, HiGHS): see the routes page of the user guide, which quotes the
numbers of a run with the load it ran under.
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

JOB = """
import time
t = time.perf_counter()
import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
from borderhub import datasets
from borderhub.locate import solve_crossborder
cand, dem, part = datasets.candidates(), datasets.prefectures(), datasets.partners()
sol = solve_crossborder(cand, dem, part, p=10, distance="{distance}")
print(round(time.perf_counter() - t, 3), ";".join(map(str, sol.open)), sol.status)
"""


def _load() -> float:
    return os.getloadavg()[0]


def _job(distance: str) -> tuple[float, str]:
    from borderhub import datasets
    from borderhub.locate import solve_crossborder

    t = time.perf_counter()
    cand, dem, part = datasets.candidates(), datasets.prefectures(), datasets.partners()
    sol = solve_crossborder(cand, dem, part, p=10, distance=distance)
    return time.perf_counter() - t, ";".join(map(str, sol.open))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=None, help="cache (default: a new one)")
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    args = parser.parse_args(argv)
    cache = args.cache_dir or Path(tempfile.mkdtemp(prefix="bh-routes-bench-"))
    os.environ["BORDERHUB_CACHE_DIR"] = str(cache)
    out: dict[str, object] = {"load_before": _load()}
    out["road_cold_s"], out["open_road"] = _job("road")
    out["road_cached_s"], _ = _job("road")
    proc = subprocess.run(
        [sys.executable, "-c", JOB.format(distance="road")],
        capture_output=True, text=True, env=os.environ.copy(), check=True,
    )  # fmt: skip
    out["road_cached_new_process_s"] = float(proc.stdout.split()[0])
    out["geodesic_s"], out["open_geodesic"] = _job("geodesic")
    out["load_after"] = _load()
    for key, value in out.items():
        print(f"{key:28s} {value if isinstance(value, str) else round(float(value), 3)}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
