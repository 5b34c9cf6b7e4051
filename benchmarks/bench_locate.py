"""Benchmark borderhub.locate against spopt and against published p-median optima.

Instances
---------
* County instances: demand = county-level administrative centre points (GCJ-02 converted to
  WGS84 with :func:`borderhub.gcj02_to_wgs84`) weighted by 2020 census county population;
  candidates = prefecture-level centre points. Geodesic km on WGS84
  (:func:`borderhub.distance_matrix`); spopt gets the very same precomputed cost matrix
  through ``from_cost_matrix`` so objectives compare. Sizes: 1,000 x 200 (seeded sample),
  p = 20, and the full set (about 2,700 x 340), p = 30. Both libraries use HiGHS.
* OR-Library pmed1-pmed15 (Beasley 1985) with their proven optima.
* TSPLIB rl1304 as a p-median instance (floor Euclidean distances), for a few p, with the
  optima of Duran-Mateluna, Ales & Elloumi (2023).
* OR-Library capa/capb/capc (Beasley 1988) as uncapacitated facility location (capacities
  ignored; the allocation costs are those of serving a customer's whole demand) with the
  UFL optima of the files' ``.opt`` companions; ``FacilityLocation`` with each
  ``--ufl-method``.

Usage::

    python benchmarks/bench_locate.py --shared-data PATH/data \
        --orlib PATH/benchmarks/orlib-pmed --tsplib PATH/benchmarks/tsplib/rl1304.tsp \
        --orlib-cap PATH/benchmarks/orlib-cap --json bench_locate.json

Parts run only when their data path is given; ``--skip-spopt`` / ``--skip-full`` leave out
spopt / the full county instance, ``--repeat N`` repeats the 1,000 x 200 comparison
(alternating the two libraries) and reports medians. Results go to stdout as tables and to
the JSON file.

Measured results (2026-11-28; 2-core machine shared with other jobs, load 3-6; Python 3.11,
PuLP 3.3.2, HiGHS 1.16 through highspy, spopt 0.7.0; same cost matrix and same solver for
both libraries; "build" = everything before the solver call, "total" = end to end)

=============================  ==================  ===================  ========  =========
instance                       borderhub           spopt                speed-up  objective
=============================  ==================  ===================  ========  =========
PMedian 1,000 x 200, p = 20    1.50 s (median of   66.96 s (median;     44.6x     equal,
                               1.94/1.46/1.50;     build 4.3 s, solve               rel. diff
                               build 0.3 s)        62 s); runs 31.8 -              4e-16
                                                   260.8 s                         (all runs)
PMedian 2,728 x 339, p = 30    12.98 s, optimal,   855 s, optimal       65.9x     rel. diff
                               1 solver call       (build 22 s); in an            2.3e-15
                               (34.6 s under       earlier run HiGHS
                               heavier load)       stopped at the 900 s
                                                   limit with no
                                                   feasible solution
MaxCoverage 2,000 x 200,       model built in      build 1.83 s,        1.6x      equal
p = 20, r = 254 km             0.015 s; total      total 11.8 s                   (838,389,360)
                               7.2 s
SetCover 2,000 x 200,          0.28 s (built in    2.16 s               7.7x      12 = 12
r = 700 km                     0.02 s)
PCenter 500 x 100, p = 8       0.30 s (3 covering  18.0 s (45.7 s in    61x       923.69 km
                               MILPs)              another run)                    both
=============================  ==================  ===================  ========  =========

OR-Library pmed1-pmed15: all 15 published optima reproduced, 0.04-6.0 s each (pmed6 5.95 s,
pmed11 4.7 s, pmed12 3.8 s, the others below 0.4 s), one solver call each. TSPLIB rl1304:
published optima reproduced and proven for p = 50 (19.1 s), 100 (22.7 s), 200 (3.2 s),
300 (3.1 s) and 500 (4.7 s). (These runs used what is now ``method="radius"``.)

Benders decomposition (2026-11-29; same machine, far heavier load, 1-minute load average
quoted per run; "radius" and "benders" are ``PMedian(method=...)``):

* County instances, same process order base/new alternating: 1,000 x 200, p = 20: radius
  8.2-15.0 s (four runs, load 10-16), benders 1.05 s (load 13); 2,728 x 339, p = 30: radius
  82-120 s (four runs), benders 16.8 s (load 13.5); equal objectives. ``method="auto"``
  now takes Benders on both.
* County x county (the county seats with a population as candidates), 2,728 x 2,728,
  population weights,
  ``--cc-p 30 100``: p = 30 optimal in 88.8 s (load 12.3), p = 100 optimal in 53.8 s
  (load 9.9); peak RSS 0.97 GiB.
* rl1304 (``--rl-p``): p = 5 optimal 5.9 s (benders, load 6.9); p = 10 **not proven**
  within 300 s: 2,135,247 found (optimum 2,134,295), bound 2,131,788, gap 0.16 % (load 7.1);
  p = 20 optimal 13.5 s (benders, load 13.0); p = 50 optimal 17.2 s (benders, load 14.1);
  radius (load 13.8-15.4): p = 100 145.7 s, 200 26.3 s, 300 35.0 s, 400 28.8 s,
  500 19.5 s; benders (load 12.3-16.6): p = 100 62.1 s, 200 16.1 s, 300 25.7 s,
  400 18.7 s, 500 24.5 s; all optimal. ``method="auto"`` takes Benders from 4 p candidates
  (rl1304: p <= 326).

Benders with the branch-and-cut integer phase (2026-11-29, same machine, 1-minute load in
brackets; ``method="auto"``):

* rl1304, every p optimal, on a quiet machine (load 0.7-1.0): p = 5 2.2 s, 10 12.0 s,
  20 1.9 s, 50 1.7 s, 100 3.3 s, 200 2.8 s, 300 3.1 s, and with the radius model (auto)
  400 2.0 s, 500 3.4 s. Under load 3.3-3.8: p = 5 5.3 s, 10 18.6 s, 20 3.1 s. The radius
  phase it replaces stopped p = 10 at 300 s.
* pmed1-pmed15: all optima, 0.05-0.31 s each (load 3.3).
* County instances, alternating the previous and this version in one shell (load 1.0,
  medians of 4-6 runs): 1,000 x 200, p = 20: 0.13 s against 0.13 s; 2,728 x 339, p = 30:
  1.07 s against 1.09 s (LP integral there: no branching). County x county 2,728 x 2,728
  (``--cc-p 30 100``, load 4.7): p = 30 optimal in 11.3 s, p = 100 in 9.0 s (88.8 s and
  53.8 s before), peak RSS 0.87 GiB.
* Uncapacitated facility location, OR-Library capa/capb/capc without capacities (published
  UFL optima reproduced, load 1.0): Benders 0.09 / 0.18 / 0.20 s, radius model
  3.9 / 2.4 / 9.8 s. County x prefecture (``--ufl-fixed``, load 4.5-5.1), equal optima:
  opening cost 2e9: Benders 4.4 s, radius 18.0 s; 1e10: 3.4 s against 37.8 s; 5e10:
  Benders 3.7 s, radius stopped at 300 s with a far worse solution.
* Re-measured on the merged code, machine otherwise idle (load 0.5-1.1): rl1304 p = 5 /
  10 / 20 / 50 / 100 / 200 / 300 / 400 / 500 optimal in 2.4 / 12.2 / 1.9 / 1.8 / 3.3 / 3.0 /
  3.4 / 2.3 / 3.6 s. County x county with every one of the 2,845 county seats a candidate
  (2,728 with a census population carry demand), ``--cc-p 30 100``: optimal in 10.1 s and
  7.4 s, peak RSS 0.94 GiB.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import sys
import time
from pathlib import Path

import _checkout  # this checkout's borderhub, not the installed one
import numpy as np
import pandas as pd

import borderhub as bh
from borderhub.locate import MaxCoverage, PCenter, PMedian, SetCover

# ----------------------------------------------------------------------------------------
# instances
# ----------------------------------------------------------------------------------------


def county_instance(data: Path, candidates: str = "prefecture") -> tuple[pd.DataFrame, pd.Series]:
    """County x prefecture (or county x every county seat) cost matrix (km), population weights."""
    import geopandas as gpd

    pts = pd.read_csv(data / "admin_centres_gcj02.csv", dtype={"adcode": str})
    pop = pd.read_csv(data / "county_population_2020.csv", dtype={"adcode": str})
    lon, lat = bh.geo.gcj02_to_wgs84(pts["lon_gcj02"].to_numpy(), pts["lat_gcj02"].to_numpy())
    pts = pts.assign(lon=lon, lat=lat)
    county = pts[pts["level"] == "county"].merge(pop[["adcode", "population"]], on="adcode")
    county = county.set_index("adcode").sort_index()
    pref = pts[pts["level"] == "prefecture"].copy()
    # the municipalities' prefecture rows are placeholders named 市辖区: use the province code
    muni = pref["name"] == "市辖区"
    pref.loc[muni, "adcode"] = pref.loc[muni, "adcode"].str[:2] + "0000"
    pref = pref.set_index("adcode").sort_index()

    def frame(df: pd.DataFrame) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            df[[]], geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326"
        )

    # every county seat is a candidate, also the 117 whose code has no 2020 census row (codes
    # changed since the census): they cannot carry demand but can host a centre
    seats = pts[pts["level"] == "county"].set_index("adcode").sort_index()
    cand = seats if candidates == "county" else pref
    cost = bh.geo.distance_matrix(frame(county), frame(cand))
    weights = county["population"].astype(float)
    return cost, weights


def sample(cost: pd.DataFrame, w: pd.Series, n: int, m: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(cost.shape[0], size=n, replace=False))
    cols = np.sort(rng.choice(cost.shape[1], size=m, replace=False))
    return cost.iloc[rows, cols], w.iloc[rows]


def orlib_instance(path: Path) -> tuple[np.ndarray, int]:
    """OR-Library pmed: last edge cost wins, then Floyd-Warshall all-pairs shortest paths."""
    tok = path.read_text().split()
    n, e, p = int(tok[0]), int(tok[1]), int(tok[2])
    d = np.full((n, n), np.inf)
    np.fill_diagonal(d, 0.0)
    a = np.array(tok[3 : 3 + 3 * e], dtype=float).reshape(e, 3)
    for i, j, c in a:  # sequential on purpose: a repeated edge keeps its last cost
        d[int(i) - 1, int(j) - 1] = d[int(j) - 1, int(i) - 1] = c
    for k in range(n):
        d = np.minimum(d, d[:, k : k + 1] + d[k : k + 1, :])
    return d, p


def tsplib_points(path: Path) -> np.ndarray:
    xy, on = [], False
    for line in path.read_text().splitlines():
        s = line.strip()
        if s.startswith("NODE_COORD_SECTION"):
            on = True
            continue
        if s == "EOF":
            break
        if on and s:
            _, x, y = s.split()[:3]
            xy.append((float(x), float(y)))
    return np.array(xy)


ORLIB_OPT = {
    1: 5819, 2: 4093, 3: 4250, 4: 3034, 5: 1355, 6: 7824, 7: 5631, 8: 4445, 9: 2734,
    10: 1255, 11: 7696, 12: 6634, 13: 4374, 14: 2968, 15: 1729,
}  # fmt: skip
RL1304_OPT = {
    5: 3099073, 10: 2134295, 20: 1412108, 50: 795012, 100: 491639, 200: 268573,
    300: 177326, 400: 128332, 500: 97024,
}  # fmt: skip


# ----------------------------------------------------------------------------------------
# runners
# ----------------------------------------------------------------------------------------


def run_borderhub(model_cls, cost, w, time_limit=None, **params) -> dict:
    gc.collect()  # no pause from the previous run's garbage inside the timing
    t0 = time.perf_counter()
    model = model_cls.from_cost_matrix(cost, w, **params)
    sol = model.solve(time_limit=time_limit)
    total = time.perf_counter() - t0
    return {
        "library": "borderhub",
        "status": sol.status.value,
        "objective": sol.objective,
        "bound": sol.bound,
        "gap": sol.gap,
        "model_build_s": sol.build_time,  # building the MILP(s) inside solve()
        "build_s": total - sol.solve_time,  # + checking and copying the inputs
        "solve_s": sol.solve_time,
        "total_s": total,
        "solver_calls": sol.iterations,
        "open": [str(x) for x in sol.open],
    }


def run_spopt(kind: str, cost, w, time_limit=None, **params) -> dict:
    import pulp
    import spopt.locate as sl

    c = np.asarray(cost, dtype=float)
    wv = np.asarray(w, dtype=float)
    gc.collect()
    t0 = time.perf_counter()
    if kind == "pmedian":
        model = sl.PMedian.from_cost_matrix(c, wv, p_facilities=params["p"])
    elif kind == "pcenter":
        model = sl.PCenter.from_cost_matrix(c, p_facilities=params["p"])
    elif kind == "mclp":
        model = sl.MCLP.from_cost_matrix(
            c, wv, service_radius=params["radius"], p_facilities=params["p"]
        )
    elif kind == "lscp":
        model = sl.LSCP.from_cost_matrix(c, service_radius=params["radius"])
    else:  # pragma: no cover
        raise ValueError(kind)
    build = time.perf_counter() - t0
    solver = pulp.HiGHS(msg=False, timeLimit=time_limit)
    t1 = time.perf_counter()
    status = "ok"
    try:
        model.solve(solver, results=False)
    except Exception as err:  # spopt raises on non-optimal PuLP status
        status = f"error: {err}"
    solve = time.perf_counter() - t1
    h = getattr(model.problem, "solverModel", None)
    highs_status = h.modelStatusToString(h.getModelStatus()) if h is not None else "?"
    obj = pulp.value(model.problem.objective)
    return {
        "library": "spopt",
        "status": status,
        "pulp_status": pulp.LpStatus[model.problem.status],
        "highs_status": highs_status,
        "objective": None if obj is None else float(obj),
        "build_s": build,
        "solve_s": solve,
        "total_s": build + solve,
    }


def rel(a, b) -> float:
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
        return math.nan
    return abs(a - b) / max(abs(b), 1e-12)


def table(rows: list[dict], cols: list[str]) -> str:
    df = pd.DataFrame(rows)
    cols = [c for c in cols if c in df.columns]
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        return df[cols].to_string(index=False, float_format=lambda x: f"{x:.6g}")


# ----------------------------------------------------------------------------------------
# benchmark parts
# ----------------------------------------------------------------------------------------


def bench_counties(args, out: dict) -> None:
    t = time.perf_counter()
    cost, w = county_instance(Path(args.shared_data))
    print(f"county instance {cost.shape[0]} x {cost.shape[1]} built in "
          f"{time.perf_counter() - t:.2f} s (geodesic distances)")  # fmt: skip
    out["county_full_shape"] = list(cost.shape)
    rows = []
    cases = [("1000x200 p=20", *sample(cost, w, 1000, 200), 20, args.spopt_limit_small)]
    if not args.skip_full:
        cases.append((f"{cost.shape[0]}x{cost.shape[1]} p=30", cost, w, 30, args.spopt_limit))
    for k, (name, c, wv, p, spopt_limit) in enumerate(cases):
        repeats = args.repeat if k == 0 else 1  # the full instance once (spopt is slow)
        for rep in range(repeats):
            for method in args.county_method:
                load0 = load()
                b = run_borderhub(PMedian, c, wv, p=p, method=method)
                b.update(instance=name, model="PMedian", run=rep, method=method, load=load0)
                rows.append(b)
                print(f"  borderhub PMedian {name} {method}: {b['status']} "
                      f"{b['objective']:.6f} in {b['total_s']:.2f} s, load {load0:.2f}",
                      flush=True)  # fmt: skip
            if args.skip_spopt:
                continue
            s = run_spopt("pmedian", c, wv, time_limit=spopt_limit, p=p)
            s.update(instance=name, model="PMedian", spopt_time_limit=spopt_limit, run=rep)
            s["rel_diff_objective"] = rel(b["objective"], s["objective"])
            s["speedup_total"] = s["total_s"] / b["total_s"]
            s["speedup_build"] = s["build_s"] / max(b["build_s"], 1e-9)
            rows.append(s)
            print(f"  spopt     PMedian {name}: {s['highs_status']} {s['objective']} "
                  f"in {s['total_s']:.2f} s (build {s['build_s']:.2f} s)")  # fmt: skip
    # MaxCoverage build time at 2,000 x 200, and agreement with spopt on coverage models
    c2, w2 = sample(cost, w, 2000, 200, seed=1)
    radius = float(np.quantile(c2.to_numpy().min(axis=1), 0.5)) * 4
    for cls, kind, params in (
        (MaxCoverage, "mclp", {"p": 20, "radius": radius}),
        (SetCover, "lscp", {"radius": float(c2.to_numpy().min(axis=1).max())}),
        (PCenter, "pcenter", {"p": 8}),
    ):
        cc, ww = (c2, w2) if kind != "pcenter" else sample(cost, w, 500, 100, seed=2)
        b = run_borderhub(cls, cc, ww, **params)
        name = f"{cc.shape[0]}x{cc.shape[1]} " + ", ".join(
            f"{k}={v:.4g}" for k, v in params.items()
        )
        b.update(instance=name, model=cls.__name__)
        rows.append(b)
        print(f"  borderhub {cls.__name__} {name}: {b['status']} {b['objective']:.6f} "
              f"model build {b['model_build_s']:.3f} s, total {b['total_s']:.2f} s")  # fmt: skip
        if not args.skip_spopt:
            s = run_spopt(kind, cc, ww, time_limit=args.spopt_limit_small, **params)
            s.update(instance=name, model=cls.__name__)
            if kind == "lscp":
                s["objective"] = float(s["objective"])
            s["rel_diff_objective"] = rel(b["objective"], s["objective"])
            s["speedup_total"] = s["total_s"] / b["total_s"]
            s["speedup_build"] = s["build_s"] / max(b["build_s"], 1e-9)
            rows.append(s)
            print(f"  spopt     {cls.__name__} {name}: {s['highs_status']} {s['objective']} "
                  f"build {s['build_s']:.3f} s total {s['total_s']:.2f} s")  # fmt: skip
    out["county"] = rows
    df = pd.DataFrame(rows)
    small = df[(df["model"] == "PMedian") & (df["instance"] == cases[0][0])]
    med = small.groupby("library")[["build_s", "solve_s", "total_s"]].median()
    if "spopt" in med.index:
        out["pmedian_1000x200_median"] = {
            "borderhub": med.loc["borderhub"].to_dict(),
            "spopt": med.loc["spopt"].to_dict(),
            "speedup_total": float(med.loc["spopt", "total_s"] / med.loc["borderhub", "total_s"]),
            "runs": int(len(small) // 2),
        }
        bt, st_ = med.loc["borderhub", "total_s"], med.loc["spopt", "total_s"]
        print(f"PMedian 1000x200 medians over {len(small) // 2} run(s): borderhub {bt:.2f} s, "
              f"spopt {st_:.2f} s, speed-up {st_ / bt:.1f}x")  # fmt: skip
    print()
    print(table(rows, ["model", "instance", "library", "status", "highs_status", "objective",
                       "rel_diff_objective", "model_build_s", "build_s", "solve_s", "total_s",
                       "speedup_total",
                       "solver_calls"]))  # fmt: skip
    print()


def bench_county_county(args, out: dict) -> None:
    """Every county seat a candidate: the n x n instance, p from --cc-p."""
    import resource

    t = time.perf_counter()
    cost, w = county_instance(Path(args.shared_data), candidates="county")
    print(f"county x county instance {cost.shape[0]} x {cost.shape[1]} built in "
          f"{time.perf_counter() - t:.2f} s", flush=True)  # fmt: skip
    rows = []
    for p in args.cc_p:
        load0 = load()
        b = run_borderhub(PMedian, cost, w, p=p, time_limit=args.cc_limit)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # GiB (Linux: KiB)
        rows.append({
            "instance": f"county x county {cost.shape[0]}", "p": p, "status": b["status"],
            "objective": b["objective"], "bound": b["bound"], "gap": b["gap"],
            "build_s": b["build_s"], "solve_s": b["solve_s"], "total_s": b["total_s"],
            "solver_calls": b["solver_calls"], "peak_rss_gib": peak, "load": load0,
        })  # fmt: skip
        print(f"  county x county p={p}: {b['status']} {b['objective']:.6f} (bound "
              f"{b['bound']:.6f}) {b['total_s']:.2f} s, peak RSS {peak:.2f} GiB, "
              f"load {load0:.2f}", flush=True)  # fmt: skip
    out["county_county"] = rows


def bench_orlib(args, out: dict) -> None:
    rows = []
    for k in range(1, 16):
        path = Path(args.orlib) / f"pmed{k}.txt"
        if not path.exists():
            continue
        d, p = orlib_instance(path)
        b = run_borderhub(PMedian, d, None, p=p)
        rows.append({
            "instance": f"pmed{k}", "n": d.shape[0], "p": p, "optimum": ORLIB_OPT[k],
            "objective": b["objective"], "status": b["status"],
            "match": abs(b["objective"] - ORLIB_OPT[k]) < 1e-6,
            "total_s": b["total_s"], "solver_calls": b["solver_calls"],
        })  # fmt: skip
        print(f"  pmed{k}: {b['objective']:.0f} (opt {ORLIB_OPT[k]}) {b['total_s']:.2f} s")
    out["orlib"] = rows
    print(table(rows, list(rows[0]) if rows else []))
    print()


def load() -> float:
    """The 1-minute load average (the machine is shared: quoted with every timing)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return math.nan


def bench_rl1304(args, out: dict) -> None:
    xy = tsplib_points(Path(args.tsplib))
    d = np.floor(np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]))
    rows = []
    for p, method in [(p, meth) for p in args.rl_p for meth in args.rl_method]:
        load0 = load()
        b = run_borderhub(PMedian, d, None, p=p, time_limit=args.rl_limit, method=method)
        rows.append({
            "instance": "rl1304", "p": p, "method": method, "load": load0,
            "optimum": RL1304_OPT.get(p),
            "objective": b["objective"], "bound": b["bound"], "status": b["status"],
            "match": RL1304_OPT.get(p) is not None
            and abs(b["objective"] - RL1304_OPT[p]) < 1e-6,
            "build_s": b["build_s"], "solve_s": b["solve_s"], "total_s": b["total_s"],
            "solver_calls": b["solver_calls"],
        })  # fmt: skip
        print(f"  rl1304 p={p} {method}: {b['status']} {b['objective']:.0f} "
              f"(opt {RL1304_OPT.get(p)}, bound {b['bound']:.0f}) {b['total_s']:.2f} s, "
              f"load {load0:.2f}", flush=True)  # fmt: skip
    out["rl1304"] = rows
    print(table(rows, list(rows[0]) if rows else []))
    print()


UFL_OPT = {"capa": 17156454.478, "capb": 12979071.581, "capc": 11505594.329}


def bench_ufl(args, out: dict) -> None:
    """Uncapacitated facility location on OR-Library capa/capb/capc (capacities ignored)."""
    from bench_capacitated import read_cap

    from borderhub.locate import FacilityLocation

    rows = []
    for name, opt in UFL_OPT.items():
        path = Path(args.orlib_cap) / f"{name}.txt"
        if not path.exists():
            continue
        fixed, _, alloc = read_cap(path)  # the cost of serving all of a customer's demand
        for method in args.ufl_method:
            load0 = load()
            b = run_borderhub(FacilityLocation, alloc, None, time_limit=args.ufl_limit,
                              fixed_cost=fixed, method=method)  # fmt: skip
            rows.append({
                "instance": f"{name} (UFL)", "method": method, "load": load0, "optimum": opt,
                "objective": b["objective"], "bound": b["bound"], "status": b["status"],
                "match": abs(b["objective"] - opt) < 1e-3, "open": len(b["open"]),
                "total_s": b["total_s"], "solver_calls": b["solver_calls"],
            })  # fmt: skip
            print(f"  {name} UFL {method}: {b['status']} {b['objective']:.3f} (opt {opt}) "
                  f"{b['total_s']:.2f} s, load {load0:.2f}", flush=True)  # fmt: skip
    out["ufl"] = rows
    print(table(rows, list(rows[0]) if rows else []))
    print()


def bench_ufl_county(args, out: dict) -> None:
    """Uncapacitated facility location, county x prefecture, a uniform opening cost each."""
    from borderhub.locate import FacilityLocation

    cost, w = county_instance(Path(args.shared_data))
    rows = []
    for f in args.ufl_fixed:
        for method in args.ufl_method:
            load0 = load()
            b = run_borderhub(FacilityLocation, cost, w, time_limit=args.ufl_limit,
                              fixed_cost=f, method=method)  # fmt: skip
            rows.append({
                "instance": f"county x prefecture {cost.shape[0]}x{cost.shape[1]}",
                "fixed_cost": f, "method": method, "load": load0, "status": b["status"],
                "objective": b["objective"], "bound": b["bound"], "open": len(b["open"]),
                "total_s": b["total_s"], "solver_calls": b["solver_calls"],
            })  # fmt: skip
            print(f"  county UFL f={f:g} {method}: {b['status']} {b['objective']:.6e} "
                  f"({len(b['open'])} open) {b['total_s']:.2f} s, load {load0:.2f}",
                  flush=True)  # fmt: skip
    out["ufl_county"] = rows
    print(table(rows, list(rows[0]) if rows else []))
    print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared-data", help="folder with admin_centres_gcj02.csv etc.")
    ap.add_argument("--orlib", help="folder with pmed1.txt ... pmed15.txt")
    ap.add_argument("--tsplib", help="path of rl1304.tsp")
    ap.add_argument("--json", default="bench_locate.json", help="output JSON file")
    ap.add_argument("--skip-spopt", action="store_true")
    ap.add_argument("--skip-full", action="store_true", help="skip the full county instance")
    ap.add_argument("--spopt-limit", type=float, default=600.0,
                    help="HiGHS time limit for spopt on the full instance (s)")  # fmt: skip
    ap.add_argument("--spopt-limit-small", type=float, default=600.0,
                    help="HiGHS time limit for spopt on the other instances (s)")  # fmt: skip
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="repetitions of the 1,000 x 200 p-median comparison (alternating)",
    )
    ap.add_argument("--rl-p", type=int, nargs="*", default=sorted(RL1304_OPT))
    ap.add_argument(
        "--rl-method",
        nargs="*",
        default=["auto"],
        choices=["auto", "benders", "radius"],
        help="PMedian method(s) for rl1304 (each p is run with each)",
    )
    ap.add_argument(
        "--county-method",
        nargs="*",
        default=["auto"],
        choices=["auto", "benders", "radius"],
        help="PMedian method(s) for the county instances (each run in turn, same process)",
    )
    ap.add_argument("--rl-limit", type=float, default=300.0)
    ap.add_argument("--orlib-cap", help="folder with capa.txt, capb.txt, capc.txt (UFL runs)")
    ap.add_argument(
        "--ufl-method",
        nargs="*",
        default=["auto", "radius"],
        choices=["auto", "benders", "radius"],
        help="FacilityLocation method(s) for the uncapacitated cap instances",
    )
    ap.add_argument("--ufl-limit", type=float, default=300.0)
    ap.add_argument("--ufl-fixed", type=float, nargs="*", default=[],
                    help="opening costs of county x prefecture UFL runs (2e9 1e10)")  # fmt: skip
    ap.add_argument("--skip-counties", action="store_true",
                    help="skip the county x prefecture comparisons")  # fmt: skip
    ap.add_argument("--cc-p", type=int, nargs="*", default=[],
                    help="p values for the county x county instance (e.g. 30 100)")  # fmt: skip
    ap.add_argument("--cc-limit", type=float, default=600.0)
    args = ap.parse_args(argv)
    out: dict = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        **_checkout.provenance(),
    }
    try:
        import highspy
        import pulp

        out["pulp"] = pulp.__version__
        out["highspy"] = getattr(highspy, "__version__", "?")
    except ImportError:  # pragma: no cover
        pass
    if args.shared_data and not args.skip_counties:
        bench_counties(args, out)
    if args.shared_data and args.cc_p:
        bench_county_county(args, out)
    if args.shared_data and args.ufl_fixed:
        bench_ufl_county(args, out)
    if args.orlib:
        bench_orlib(args, out)
    if args.tsplib:
        bench_rl1304(args, out)
    if args.orlib_cap:
        bench_ufl(args, out)
    Path(args.json).write_text(json.dumps(out, indent=2, default=str))
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
