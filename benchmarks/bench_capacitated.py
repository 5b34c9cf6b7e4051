"""Benchmark the capacitated FacilityLocation on OR-Library's capa, capb and capc.

Beasley (1988) capacitated warehouse location, 100 candidates x 1,000 customers, splittable
demand (``single_source=False``), every capacity variant of OR-Library's table; the published
optima are listed below. A file gives, per customer, its demand and the cost of allocating
*all* of it to each warehouse, so the model gets per-unit costs ``cost / demand`` and the
demands as weights (the objective is then exactly OR-Library's).

Usage::

    python benchmarks/bench_capacitated.py PATH/orlib-cap [--limit 300] [--json out.json]
        [--only capb:6000 ...] [--ablation]

Each run is reported with its status, objective against the optimum, the total time and
the 1-minute load average of the (shared) machine, and what each step contributed: the
value of the heuristic start, of the incumbent after the Lagrangian heuristic, local search
and kernel MIP, the Lagrangian bound, the number of centres fixed closed / open, and the
time before the final MIP. ``--ablation`` repeats each run without the Lagrangian steps
(same heuristic start, then the whole model with every linking row).

Measured (2026-11-29, 2-core machine shared with other jobs, HiGHS 1.16, 300 s limit),
every variant proven optimal (status, seconds, 1-minute load):

    capa  8000: 49.7 s (5.7)   10000: 25.8 s (6.4)   12000: 31.6 s (6.2)  14000: 6.5 s (7.4)
    capb  5000: 49.6 s (7.1)    6000: 125.8 s (7.1)   7000: 100.7 s (6.4)  8000: 58.5 s (6.3)
    capc  5000: 51.3 s (7.6)    5750: 109.9 s (8.0)   6500: 32.3 s (5.2)   7250: 32.7 s (4.9)

What helped (same machine, loads 4-7): the aggregate capacity row alone proved capb-5000
in 90 s, but capa-8000 and capc-5000 stopped at 300 s with gaps 4.4e-4 and 3.1e-4. The
Lagrangian bound with fixing against a good incumbent removes 61-96 of the 100 centres
(capa-8000: 85 closed, proven in 24-50 s). On capb-6000 the incumbent matters most: with
the plain greedy + local search start (1.5 % above the optimum) only 23 centres were
fixed and the run stopped at 300 s 1.5 % off; with the iterated local search and the kernel
MIP the incumbent is optimal, 61 centres are fixed and the run proved optimality in 284 s;
building only the linking rows of pairs priced below zero at the multipliers (12,119 of
100,000 rows) then halved that to 126-145 s. ``--ablation`` on capa-8000 / capc-5000
(loads 3.6-5.4): 32.1 s / 40.7 s with the Lagrangian steps, 236.6 s / 175.0 s without
them (the same heuristic start given to HiGHS as a MIP start, whole model, every linking
row); the previous model without the start stopped at 300 s.

Re-measured on the merged code, machine otherwise idle (load 0.9-1.0), every variant
proven optimal at the published optimum: capa 8000 / 10000 / 12000 / 14000 in 12.9 / 8.3 /
10.4 / 2.5 s; capb 5000 / 6000 / 7000 / 8000 in 13.9 / 46.7 / 51.8 / 21.2 s; capc 5000 /
5750 / 6500 / 7250 in 21.6 / 49.8 / 15.4 / 15.9 s.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import time
from pathlib import Path

import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
import numpy as np
import pandas as pd

from borderhub.locate import FacilityLocation

CAP_OPT = {
    "capa": {8000: 19240822.449, 10000: 18438046.543, 12000: 17765201.949, 14000: 17160439.012},
    "capb": {5000: 13656379.578, 6000: 13361927.449, 7000: 13198556.434, 8000: 13082516.496},
    "capc": {5000: 11646596.974, 5750: 11570340.289, 6500: 11518743.744, 7250: 11505767.394},
}


def read_cap(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fixed costs (m,), demands (n,), allocation costs of all the demand (n, m))."""
    tok = path.read_text().split()
    m, n = int(tok[0]), int(tok[1])
    pos = 2
    fixed = np.empty(m)
    for j in range(m):
        # the capacity field is the word "capacity" in these files: set per variant
        fixed[j] = float(tok[pos + 1])
        pos += 2
    demand = np.empty(n)
    alloc = np.empty((n, m))
    for i in range(n):
        demand[i] = float(tok[pos])
        alloc[i] = np.array(tok[pos + 1 : pos + 1 + m], dtype=float)
        pos += 1 + m
    return fixed, demand, alloc


def load() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return math.nan


def run_one(name, cap, opt, cost, demand, fixed, strengthen, limit) -> dict:
    """Solve one variant; the row printed and returned."""
    gc.collect()
    load0 = load()
    t0 = time.perf_counter()
    model = FacilityLocation.from_cost_matrix(
        cost, demand, fixed_cost=fixed, capacity=float(cap), single_source=False
    )
    model._strengthen = strengthen
    sol = model.solve(time_limit=limit)
    total = time.perf_counter() - t0
    info = dict(getattr(model, "_capacitated_info", {}))
    row = {
        "instance": name, "capacity": cap, "lagrangian": strengthen,
        "status": sol.status.value, "objective": sol.objective, "optimum": opt,
        "rel_diff": abs(sol.objective - opt) / opt, "gap": sol.gap, "total_s": total,
        "load": load0, "start": info.get("start_value"),
        "heuristic": info.get("heuristic_value"), "lagr_bound": info.get("lagrangian_bound"),
        "closed": info.get("fixed_closed"), "opened": info.get("fixed_open"),
        "kernel": info.get("kernel_size"), "kernel_s": info.get("kernel_s"),
        "pre_mip_s": info.get("before_mip_s"), "mip": info.get("mip_status"),
    }  # fmt: skip
    tag = "" if strengthen else " [no Lagrangian]"
    print(f"{name} {cap}{tag}: {row['status']} {sol.objective:.3f} (opt {opt}, rel diff "
          f"{row['rel_diff']:.1e}, gap {sol.gap:.1e}) {total:.1f} s, load {load0:.2f}; "
          f"start {row['start']}, heuristic {row['heuristic']}, Lagrangian bound "
          f"{row['lagr_bound']}, fixed closed {row['closed']} / open {row['opened']}, "
          f"{row['pre_mip_s'] or 0:.1f} s before the MIP", flush=True)  # fmt: skip
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", help="folder with capa.txt, capb.txt, capc.txt")
    ap.add_argument("--limit", type=float, default=300.0, help="time limit per run (s)")
    ap.add_argument("--only", nargs="*", help="e.g. capb:5000 capa:8000 (default: all)")
    ap.add_argument("--json", default="bench_capacitated.json")
    ap.add_argument(
        "--ablation",
        action="store_true",
        help="also run each instance without the Lagrangian bound and fixing (same start)",
    )
    args = ap.parse_args(argv)
    rows = []
    for name, variants in CAP_OPT.items():
        fixed, demand, alloc = read_cap(Path(args.folder) / f"{name}.txt")
        unit = alloc / demand[:, None]
        labels = [f"w{j}" for j in range(len(fixed))]
        cost = pd.DataFrame(unit, columns=labels)
        for cap, opt in variants.items():
            if args.only and f"{name}:{cap}" not in args.only:
                continue
            for strengthen in (True, False) if args.ablation else (True,):
                rows.append(run_one(name, cap, opt, cost, demand, fixed, strengthen, args.limit))
    Path(args.json).write_text(json.dumps(rows, indent=2, default=str))
    with pd.option_context("display.width", 200):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
