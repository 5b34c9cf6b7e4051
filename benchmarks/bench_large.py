"""Large p-median instances from coordinates: TSPLIB at the state of the art's scale, and China.

Instances
---------
* TSPLIB ``pcb3038``, ``fl3795``, ``rl5934``, ``usa13509``, ``pla85900`` as p-median
  instances (every point a client and a candidate, unweighted, the Euclidean distance
  rounded down) with the optima and times of Duran-Mateluna, Ales & Elloumi (EJOR 308,
  2023, Tables 3-5), read from the README table beside the ``.tsp`` files (the repository
  holds no copy: pass the folder with ``--tsplib-large``).
* ``china``: a synthetic geodesic instance -- ``--china-n`` demand points (default 100,000)
  spread over China's county seats (each point a county drawn at random, then a normal
  jitter of about 10 km), each county's 2020 census population shared equally among its
  points, and ``--china-m`` candidates (default 3,000) drawn from the demand points;
  needs ``--shared-data`` (``admin_centres_gcj02.csv``, ``county_population_2020.csv``).

Every run is ``PMedian.from_points`` (no distance matrix) solved with HiGHS in a fresh
process, whose peak resident memory is reported with the value, status, bound, time, the
size estimate made before the run, and the paper's value and time (and the ratio).

Usage::

    python benchmarks/bench_large.py --tsplib-large PATH/tsplib-large \
        --instance fl3795 usa13509 --p 1000 2000 --limit 600 --json bench_large.json
    python benchmarks/bench_large.py --shared-data PATH/data --china-p 30 100

Without ``--p`` every p of the table is run for the instances named. ``--limit target``
gives each run the time the target allows: twice the paper's time or 600 s, whichever is
larger (600 s where the paper gives no time, and for ``china``).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import _checkout  # this checkout's borderhub, not the installed one
import numpy as np
from bench_locate import tsplib_points  # the script's folder is on sys.path


def paper_table(folder: Path) -> dict[tuple[str, int], dict]:
    """(instance, p) -> value, proven, paper time (s; NaN when the paper hit its limit)."""
    rows = {}
    for line in (folder / "README.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[1].isdigit():
            continue
        name, _, p, value, proven, secs = cells
        rows[(name, int(p))] = {
            "paper_value": int(value),
            "paper_proven": proven.startswith("yes"),
            "paper_s": float(secs) if re.fullmatch(r"[\d.]+", secs) else math.nan,
        }
    return rows


def china_points(data: Path, n: int, m: int, seed: int = 0):
    """Synthetic demand over China's county seats (see the module), and candidates."""
    import pandas as pd

    import borderhub as bh

    pts = pd.read_csv(data / "admin_centres_gcj02.csv", dtype={"adcode": str})
    pop = pd.read_csv(data / "county_population_2020.csv", dtype={"adcode": str})
    lon, lat = bh.geo.gcj02_to_wgs84(pts["lon_gcj02"].to_numpy(), pts["lat_gcj02"].to_numpy())
    pts = pts.assign(lon=lon, lat=lat)
    county = pts[pts["level"] == "county"].merge(pop[["adcode", "population"]], on="adcode")
    rng = np.random.default_rng(seed)
    k = rng.integers(0, len(county), n)
    jitter = rng.normal(0.0, 0.09, (n, 2))  # about 10 km
    xy = np.column_stack([county["lon"].to_numpy()[k], county["lat"].to_numpy()[k]]) + jitter
    xy[:, 1] = np.clip(xy[:, 1], -89.9, 89.9)
    share = np.bincount(k, minlength=len(county))
    w = county["population"].to_numpy(dtype=float)[k] / share[k]
    cand = xy[np.sort(rng.choice(n, size=m, replace=False))]
    return xy, cand, w


def run_one(ns: argparse.Namespace) -> dict:
    """One solve in this process: the figures as a dict (printed as JSON by --one)."""
    from borderhub.locate import PMedian

    t0 = time.perf_counter()
    if ns.one == "china":
        d, c, w = china_points(Path(ns.shared_data), ns.china_n, ns.china_m)
        metric = "geodesic"
    else:
        d = c = tsplib_points(Path(ns.tsplib_large) / f"{ns.one}.tsp")
        w, metric = None, "euclidean_floor"
    model = PMedian.from_points(d, c, w, p=ns.one_p, metric=metric)
    est = model.size_estimate()
    sol = model.solve(time_limit=ns.limit, msg=ns.msg)
    total = time.perf_counter() - t0
    return {
        "instance": ns.one, "n": len(d), "m": len(c), "p": ns.one_p,
        "status": str(sol.status), "value": sol.objective, "bound": sol.bound,
        "gap": sol.gap, "solve_s": sol.runtime, "total_s": total,
        "build_s": sol.build_time, "solver_s": sol.solve_time,
        "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
        "est_pairs": est["pairs"], "est_gib": est["bytes"] / 2**30,
    }  # fmt: skip


def load() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return math.nan


#: ``--limit target``: at least this many seconds, else twice the paper's time.
TARGET_FLOOR = 600.0


def run_limit(limit: str, paper_s: float) -> float:
    """Seconds for one run: ``limit`` as a number, or the target's (see the module)."""
    if limit == "target":
        return max(TARGET_FLOOR, 2.0 * paper_s) if paper_s > 0 else TARGET_FLOOR
    try:
        value = float(limit)
    except ValueError:
        raise SystemExit(f"--limit takes seconds or 'target', not {limit!r}") from None
    if not value > 0:
        raise SystemExit(f"--limit must be positive seconds, not {limit!r}")
    return value


def spawn(ns: argparse.Namespace, name: str, p: int, limit: float) -> dict:
    cmd = [sys.executable, __file__, "--one", name, "--one-p", str(p), "--limit", str(limit)]
    if ns.tsplib_large:
        cmd += ["--tsplib-large", ns.tsplib_large]
    if ns.shared_data:
        cmd += ["--shared-data", ns.shared_data, "--china-n", str(ns.china_n),
                "--china-m", str(ns.china_m)]  # fmt: skip
    load0 = load()
    res = subprocess.run(cmd, capture_output=True, text=True)
    lines = [x for x in res.stdout.splitlines() if x.startswith("{")]
    if res.returncode != 0 or not lines:
        return {"instance": name, "p": p, "status": "error", "error": res.stderr[-2000:]}
    row = json.loads(lines[-1])
    row["load"] = load0
    row["limit_s"] = limit
    return row


def report(row: dict) -> str:
    if row.get("status") == "error":
        return f"{row['instance']:>9} p={row['p']:<6} ERROR {row['error'][-300:]}"
    paper = row.get("paper_value")
    match = "" if paper is None else ("= paper" if row["value"] == paper else "!= paper")
    ratio = row["total_s"] / row["paper_s"] if row.get("paper_s", math.nan) > 0 else math.nan
    return (
        f"{row['instance']:>9} p={row['p']:<6} {row['status']:<9} value {row['value']:.0f} "
        f"bound {row['bound']:.1f} {match:8} {row['total_s']:8.1f} s (paper "
        f"{row.get('paper_s', math.nan):g} s, x{ratio:.2f}; limit {row['limit_s']:g} s) peak "
        f"{row['peak_rss_gib']:.2f} GiB (est. {row['est_gib']:.2f} GiB, {row['est_pairs']} "
        f"pairs) load {row['load']:.2f}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tsplib-large", help="folder with README.md and the .tsp files")
    ap.add_argument("--instance", nargs="*", default=[], help="TSPLIB instance names")
    ap.add_argument("--p", type=int, nargs="*", default=[], help="p values (default: table)")
    ap.add_argument("--shared-data", help="folder with the county tables (china instance)")
    ap.add_argument("--china-p", type=int, nargs="*", default=[])
    ap.add_argument("--china-n", type=int, default=100_000)
    ap.add_argument("--china-m", type=int, default=3000)
    ap.add_argument("--limit", default="3600",
                    help="time limit per run: seconds, or 'target' (see above)")  # fmt: skip
    ap.add_argument("--json", default="bench_large.json")
    ap.add_argument("--msg", action="store_true", help="show the solver log (with --one)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--one-p", type=int, help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.one:
        ns.limit = float(ns.limit)
        print(json.dumps(run_one(ns)), flush=True)
        return 0
    run_limit(ns.limit, math.nan)  # a bad --limit stops here, before any run
    table = paper_table(Path(ns.tsplib_large)) if ns.tsplib_large else {}
    runs = []
    for name in ns.instance:
        ps = ns.p or sorted(p for (inst, p) in table if inst == name)
        runs += [(name, p) for p in ps]
    runs += [("china", p) for p in ns.china_p]
    out = {"python": sys.version.split()[0], "platform": platform.platform(),
           **_checkout.provenance(), "runs": []}  # fmt: skip
    print(f"borderhub {out['borderhub']} from {out['borderhub_path']}", flush=True)
    for name, p in runs:
        paper = table.get((name, p), {})
        row = spawn(ns, name, p, run_limit(ns.limit, paper.get("paper_s", math.nan)))
        row.update(paper)
        out["runs"].append(row)
        print(report(row), flush=True)
        Path(ns.json).write_text(json.dumps(out, indent=2, default=str))
    print(f"results written to {ns.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
