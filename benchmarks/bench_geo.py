"""Benchmark of borderhub.geo.distance_matrix at county scale.

Usage::

    python benchmarks/bench_geo.py [--shared-data DIR] [--repeat 5]

With ``--shared-data`` (a folder holding ``admin_centres_gcj02.csv``) the points are the
county (~2,850) and prefecture (~340) administrative centres; without it, random points of
the same count inside China. The peer is a naive loop of one ``pyproj.Geod.inv`` call per pair,
run in the same process on a sample of rows and scaled up.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
import numpy as np
import pandas as pd
from pyproj import Geod

from borderhub.geo import distance_matrix, gcj02_to_wgs84


def load_points(shared: Path | None) -> tuple[np.ndarray, np.ndarray]:
    if shared is None:
        rng = np.random.default_rng(0)
        c = np.column_stack([rng.uniform(73, 135, 2850), rng.uniform(18, 54, 2850)])
        p = np.column_stack([rng.uniform(73, 135, 340), rng.uniform(18, 54, 340)])
        return c, p
    df = pd.read_csv(shared / "admin_centres_gcj02.csv", dtype={"adcode": str})
    df = df[df["name"] != "市辖区"]
    out = []
    for level in ("county", "prefecture"):
        sub = df[df["level"] == level]
        lon, lat = gcj02_to_wgs84(sub["lon_gcj02"].to_numpy(), sub["lat_gcj02"].to_numpy())
        out.append(np.column_stack([lon, lat]))
    return out[0], out[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared-data", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--naive-rows", type=int, default=100)
    args = ap.parse_args()
    counties, prefs = load_points(args.shared_data)
    n, m = len(counties), len(prefs)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        d = distance_matrix(counties, prefs)
        times.append(time.perf_counter() - t0)
    geod = Geod(ellps="WGS84")
    k = min(args.naive_rows, n)
    t0 = time.perf_counter()
    naive = np.empty((k, m))
    for i in range(k):
        for j in range(m):
            naive[i, j] = geod.inv(counties[i, 0], counties[i, 1], prefs[j, 0], prefs[j, 1])[2]
    naive_rows_time = time.perf_counter() - t0
    naive_time = naive_rows_time * n / k
    assert np.allclose(naive / 1000.0, d.to_numpy()[:k]), "results differ from the naive loop"
    best = min(times)
    result = {
        "origins": n,
        "destinations": m,
        "pairs": n * m,
        "borderhub_best_s": round(best, 4),
        "borderhub_median_s": round(float(np.median(times)), 4),
        "naive_loop_s_extrapolated": round(naive_time, 2),
        "naive_rows_timed": k,
        "speedup": round(naive_time / best, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
