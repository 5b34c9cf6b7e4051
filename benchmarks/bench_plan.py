"""Benchmark of the main job: ``borderhub plan`` end to end, ``run_plan`` in-process, start-up.

Usage::

    python benchmarks/bench_plan.py [--repeat 5] [--warmup 1] [-- extra plan options]

Three measurements on the bundled data:

* the command line end to end (below);
* the same plan in-process, ``borderhub.run_plan(...).save(out)`` in one interpreter after
  a warm-up run (no start-up, imports or first-use costs): the ratio of the two is what a
  script or a sweep saves per plan over calling the command;
* start-up: ``import borderhub`` in a fresh interpreter (the target is at most 0.3 s on a
  quiet machine; the heavy dependencies load on first use) and ``borderhub --help``, each
  against a bare ``python -c pass`` measured in the same run.

Each run is a fresh ``python -m borderhub plan ...`` subprocess, so the time includes
interpreter start-up and imports, loading and validating the tables, scoring the 60
candidates, the geodesic distance matrix, building and solving the model, and writing the
CSV, GeoJSON, map and manifest files (hyperfine-style: warm-up runs, then repeats timed
with ``time.perf_counter``; mean, standard deviation, min, max). For reference it also
times ``python -m borderhub --version`` (start-up and imports only) and reads the
per-step timings from the last run's manifest. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _checkout  # this checkout's borderhub, not the installed one


def timed(cmd: list[str], repeat: int, warmup: int) -> dict:
    env = dict(os.environ, MPLBACKEND="Agg")
    for _ in range(warmup):
        subprocess.run(cmd, check=True, capture_output=True, env=env)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return {
        "command": " ".join(["python", *cmd[1:]]),
        "runs": repeat,
        "mean_s": round(statistics.mean(times), 3),
        "stdev_s": round(statistics.stdev(times), 3) if len(times) > 1 else 0.0,
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("extra", nargs="*", help="extra options for borderhub plan (after --)")
    args = ap.parse_args()
    plan_args = args.extra or ["--p", "12", "--required-tiers", "CORE"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan"
        plan = [sys.executable, "-m", "borderhub", "plan", "--out", str(out), "-q", *plan_args]
        results = {
            "benchmark": "borderhub plan, bundled data, end to end in a fresh interpreter",
            "python": platform.python_version(),
            **_checkout.provenance(),
            "machine": f"{platform.system()}-{platform.machine()}, {os.cpu_count()} CPUs",
            "plan": timed(plan, args.repeat, args.warmup),
            "startup_only": timed(
                [sys.executable, "-m", "borderhub", "--version"], args.repeat, args.warmup
            ),
        }
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        results["last_run_steps_s"] = manifest["timings"]
        results["last_run_result"] = {
            k: manifest["result"][k] for k in ("status", "objective", "gap", "open")
        }
        plots = [*plan, "--plots"]
        results["plan_with_plots"] = timed(plots, max(2, args.repeat // 2), 0)
        results["in_process"] = in_process(plan_args, Path(tmp) / "lib", args.repeat)
        results["in_process"]["cli_over_in_process"] = round(
            results["plan"]["mean_s"] / results["in_process"]["mean_s"], 2
        )
    bare = timed([sys.executable, "-c", "pass"], args.repeat, args.warmup)
    results["python_bare"] = bare
    results["import_borderhub"] = timed(
        [sys.executable, "-c", "import borderhub"], args.repeat, args.warmup
    )
    results["import_borderhub"]["minus_bare_s"] = round(
        results["import_borderhub"]["mean_s"] - bare["mean_s"], 3
    )
    results["help"] = timed([sys.executable, "-m", "borderhub", "--help"], args.repeat, args.warmup)
    results["load_average"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(json.dumps(results, indent=2, ensure_ascii=False))


def in_process(plan_args: list[str], out: Path, repeat: int) -> dict:
    """run_plan(...).save(out) in this interpreter, with the options of the command line."""
    import borderhub
    from borderhub.cli import build_parser

    ns = build_parser().parse_args(["plan", "--out", str(out), *plan_args])
    options = {
        name: getattr(ns, name)
        for name in ("p", "model", "radius", "required_tiers", "gateway_weight", "solver")
        if getattr(ns, name) is not None
    }
    options["required_tiers"] = tuple(options.get("required_tiers") or ())
    borderhub.run_plan(**options).save(out)  # warm-up: imports, caches, first solve
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        borderhub.run_plan(**options).save(out)
        times.append(time.perf_counter() - t0)
    return {
        "call": f"borderhub.run_plan(**{options!r}).save(out)",
        "runs": repeat,
        "mean_s": round(statistics.mean(times), 3),
        "stdev_s": round(statistics.stdev(times), 3) if len(times) > 1 else 0.0,
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
    }


if __name__ == "__main__":
    main()
