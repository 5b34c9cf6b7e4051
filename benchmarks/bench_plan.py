"""Benchmark of ``borderhub plan`` end to end on the bundled data, as a user runs it.

Usage::

    python benchmarks/bench_plan.py [--repeat 5] [--warmup 1] [-- extra plan options]

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
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
