"""Benchmark HubMedian on the Australia Post (AP) p-hub median instances of OR-Library.

Ernst & Krishnamoorthy (1996): ``n`` nodes with coordinates and an OD flow matrix; costs per
unit flow and unit Euclidean distance with collection 3, transfer 0.75 and distribution 2
(read from each file), solved with ``collection=``, ``alpha=`` and ``distribution=``. The
published optima (``Solutions-USApHMP.txt``, total cost / 1000) are parsed from the same
folder and compared.

Usage::

    python benchmarks/bench_hub.py PATH/orlib-phub [--n 10 20 25 40 50] [--p 2 3 4 5] \\
        [--limit 300] [--method auto|enumerate|flow] [--peer-limit 150] \\
        [--plan 3 4 5 6 7 8] [--json out.json]

The files hold one p each; the other p use the same data (as in the published table).
``--peer-limit`` also runs ``method="flow"`` (the Ernst & Krishnamoorthy model, the former
default) on every row, in the same run. ``--plan`` solves the 60 places of 专栏4 as a hub
network (:func:`plan_instance`: geodesic km, gravity flows from the bundled express
volumes -- an illustration, not an observed OD table) with AP's factors (collection 3,
alpha 0.75, distribution 2).

Measured (2026-11-29, 2-core machine shared with other jobs; load in brackets):

- ``method="auto"`` (bounded enumeration): every published optimum of AP10, AP20, AP25,
  AP40 and AP50 at p = 2-5 proven, each in 0.04-3.2 s; AP50 p = 2 / 3 / 4 / 5 in 0.29 /
  0.20 / 0.71 / 3.18 s (7.4).
- Peer in the same run (``--peer-limit 150``, load 4.7-6.4): the flow model takes 4.05 /
  5.44 s on AP20 p = 2 / 3 (enumeration 0.25 / 0.07 s) and stops at its 150 s limit on
  AP50 p = 2 / 3 (``feasible``, gaps 3.1e-3 / 2.7e-3; enumeration 0.28 / 0.16 s); its
  root LP alone takes about 100 s on AP50.
- AP100 (no published optimum in the folder): p = 2 / 3 / 4 proven in 1.1 / 3.2 / 33.9 s
  (4.0); p = 5 ``feasible`` at a 120 s limit, gap 1.8e-3 (4.4).
- 60-place 专栏4 network, p = 3 / 4 / 5 / 6 / 7 / 8: optimal in 2.0 / 2.1 / 8.4 / 21.7 /
  57.8 / 186.5 s (5.1-7.3); the hubs are printed per row.
- Re-measured on the merged code, machine otherwise idle (load 1.0-1.3): AP10-AP50 at
  p = 2-5 every published optimum proven in 0.01-1.37 s (AP50: 0.10 / 0.09 / 0.30 / 1.37 s);
  the 60-place network p = 3 / 4 / 5 / 6 / 7 / 8 optimal in 0.9 / 0.9 / 3.5 / 9.3 / 29.2 /
  110.2 s.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import re
import time
from pathlib import Path

import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
import numpy as np
import pandas as pd

from borderhub.locate import HubMedian


def read_ap(path: Path) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """(Euclidean distances, flows, collection, transfer, distribution)."""
    tok = path.read_text().split()
    n = int(tok[0])
    xy = np.array(tok[1 : 1 + 2 * n], dtype=float).reshape(n, 2)
    pos = 1 + 2 * n
    W = np.array(tok[pos : pos + n * n], dtype=float).reshape(n, n)
    pos += n * n
    chi, alpha, delta = (float(x) for x in tok[pos + 1 : pos + 4])
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    return d, W, chi, alpha, delta


def read_optima(path: Path) -> dict[tuple[int, int], float]:
    text = path.read_text()
    pat = r"Solution for n=(\d+), p=(\d+)\s*:\s*Objective\s*:\s*([\d.]+)"
    return {(int(n), int(p)): float(v) for n, p, v in re.findall(pat, text)}


def plan_instance(beta: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 60 places of 专栏4 as a hub network: (geodesic km, OD flows in 亿件).

    Demand is the bundled 2024 express volume of the 367 prefecture-level units
    (``borderhub.datasets.prefectures``; mostly an *estimate*: where no city figure is
    published, a province's volume is split by population share), each unit aggregated to
    its nearest place (geodesic). The places' masses ``M`` are then spread over
    destinations by a production-constrained gravity model with distance decay
    ``d ** -beta``::

        W_ij = M_i * M_j d_ij^-beta / sum_{k != i} M_k d_ik^-beta,   W_ii = 0,

    so each place sends its own volume (express posted there) and the national total is
    kept. The flows are an illustration of the network's shape, not an observed OD table:
    they inherit the volume estimates' uncertainty (``express_volume_spread``) and the
    assumed decay.
    """
    from borderhub.datasets import candidates, prefectures
    from borderhub.geo import distance_matrix

    places = candidates()
    pref = prefectures()
    to_place = distance_matrix(pref, places, method="geodesic")
    nearest = to_place.to_numpy().argmin(axis=1)
    mass = np.bincount(nearest, weights=pref["express_volume"].to_numpy(), minlength=len(places))
    d = distance_matrix(places, places, method="geodesic")
    d = (d + d.T) / 2.0
    dd = d.to_numpy()
    with np.errstate(divide="ignore"):
        att = mass[None, :] * np.where(dd > 0, dd, np.inf) ** -beta
    np.fill_diagonal(att, 0.0)
    W = mass[:, None] * att / att.sum(axis=1, keepdims=True)
    labels = [f"{a} {n}" for a, n in zip(places.index, places["name"], strict=True)]
    d.index = d.columns = labels
    return d, pd.DataFrame(W, index=labels, columns=labels)


def run_plan(ps: list[int], limit: float, method: str) -> list[dict]:
    """HubMedian on the 专栏4 network, AP's factors (collection 3, alpha 0.75, delivery 2)."""
    d, W = plan_instance()
    rows = []
    for p in ps:
        gc.collect()
        load0 = load()
        t0 = time.perf_counter()
        sol = HubMedian.from_cost_matrix(
            d, flows=W, p=p, alpha=0.75, collection=3.0, distribution=2.0, method=method
        ).solve(time_limit=limit)
        total = time.perf_counter() - t0
        hubs = ", ".join(str(h).split(" ", 1)[1] for h in sol.open)
        row = {
            "instance": "plan60", "p": p, "method": method, "status": sol.status.value,
            "objective": sol.objective, "optimum": math.nan, "match": None, "gap": sol.gap,
            "build_s": sol.build_time, "solve_s": sol.solve_time, "total_s": total,
            "load": load0, "hubs": hubs,
        }  # fmt: skip
        rows.append(row)
        print(f"plan60 p={p} {method}: {row['status']} {sol.objective:.1f} gap {sol.gap:.2e} "
              f"{total:.2f} s, load {load0:.2f}; hubs {hubs}", flush=True)  # fmt: skip
    return rows


def load() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return math.nan


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", help="folder with 10.2, 20.3, ..., Solutions-USApHMP.txt")
    ap.add_argument("--n", type=int, nargs="*", default=[10, 20, 25, 40, 50])
    ap.add_argument("--p", type=int, nargs="*", default=[2, 3, 4, 5])
    ap.add_argument("--limit", type=float, default=300.0)
    ap.add_argument("--method", default="auto", choices=["auto", "enumerate", "flow"])
    ap.add_argument(
        "--peer-limit",
        type=float,
        default=0.0,
        help="also run method='flow' (the peer) with this limit in seconds; 0: skip",
    )
    ap.add_argument("--json", default="bench_hub.json")
    ap.add_argument(
        "--plan",
        type=int,
        nargs="*",
        default=[],
        help="also solve the 60-place 专栏4 network for these p (flows: plan_instance)",
    )
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    optima = read_optima(folder / "Solutions-USApHMP.txt")
    rows = run_plan(args.plan, args.limit, args.method) if args.plan else []
    for n in args.n:
        files = sorted(folder.glob(f"{n}.*"))
        if not files:
            print(f"no file for n={n}")
            continue
        d, W, chi, alpha, delta = read_ap(files[0])
        for p in args.p:
            runs = [(args.method, args.limit)]
            if args.peer_limit > 0:
                runs.append(("flow", args.peer_limit))
            for method, limit in runs:
                gc.collect()
                load0 = load()
                t0 = time.perf_counter()
                sol = HubMedian.from_cost_matrix(
                    d, flows=W, p=p, alpha=alpha, collection=chi, distribution=delta,
                    method=method,
                ).solve(time_limit=limit)  # fmt: skip
                total = time.perf_counter() - t0
                opt = optima.get((n, p), math.nan)
                obj = sol.objective / 1000.0
                row = {
                    "instance": f"AP{n}", "p": p, "method": method, "status": sol.status.value,
                    "objective": obj, "optimum": opt, "match": abs(obj - opt) <= 0.01,
                    "gap": sol.gap, "build_s": sol.build_time, "solve_s": sol.solve_time,
                    "total_s": total, "load": load0,
                }  # fmt: skip
                rows.append(row)
                print(f"AP{n} p={p} {method}: {row['status']} {obj:.2f} (opt {opt}) "
                      f"{total:.2f} s, load {load0:.2f}", flush=True)  # fmt: skip
    Path(args.json).write_text(json.dumps(rows, indent=2, default=str))
    with pd.option_context("display.width", 200):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
