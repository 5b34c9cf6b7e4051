"""Same inputs, same outputs: byte-identical files and the same chosen centres across runs.

* In one process: every location model solved twice from equal inputs gives the same open
  centres, assignment, objective and GeoJSON; scoring and rank stability give identical
  CSV text.
* In fresh interpreters with different hash seeds (so that any dependence on set or dict
  iteration order shows up): a script solving models on the bundled data writes
  byte-identical CSV and GeoJSON, and ``corridor_map`` writes identical HTML.
* ``borderhub plan --out ...`` run twice (different working directories, different hash
  seeds): every output file is byte-identical, except the timing fields of manifest.json.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.locate import (
    FacilityLocation,
    HubMedian,
    MaxCoverage,
    PCenter,
    PMedian,
    SetCover,
)
from borderhub.scoring import rank_stability, score

# ----------------------------------------------------------------------------------------
# in one process
# ----------------------------------------------------------------------------------------


def _points(n: int, seed: int, prefix: str) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame(
        {"volume": rng.integers(1, 20, n).astype(float)},
        index=pd.Index([f"{prefix}{k:02d}" for k in range(n)], name="label"),
        geometry=gpd.points_from_xy(rng.uniform(98, 122, n), rng.uniform(22, 42, n)),
        crs="EPSG:4326",
    )


def _hub_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    pts = _points(7, 5, "n")
    cost = pd.DataFrame(
        np.round(
            np.hypot(
                pts.geometry.x.to_numpy()[:, None] - pts.geometry.x.to_numpy()[None, :],
                pts.geometry.y.to_numpy()[:, None] - pts.geometry.y.to_numpy()[None, :],
            ),
            3,
        ),
        index=pts.index,
        columns=pts.index,
    )
    flows = pd.DataFrame(
        np.random.default_rng(6).integers(0, 9, (7, 7)).astype(float),
        index=pts.index,
        columns=pts.index,
    )
    return cost, flows


def _solve_geo(cls: type, demand: Any, cand: Any, params: dict) -> Any:
    return cls.from_geodataframe(demand, cand, weight="volume", **params).solve()


GEO_MODELS = [
    (PMedian, {"p": 3, "required": ["c03"]}),
    (PCenter, {"p": 3}),
    (MaxCoverage, {"p": 2, "radius": 500.0}),
    (SetCover, {"radius": 1200.0}),
    (FacilityLocation, {"fixed_cost": 2000.0}),
    (FacilityLocation, {"fixed_cost": 2000.0, "capacity": 80.0}),
]


@pytest.mark.parametrize(
    ("cls", "params"),
    GEO_MODELS,
    ids=[f"{c.__name__}-{'-'.join(p)}" for c, p in GEO_MODELS],
)
def test_models_give_identical_solutions_from_equal_inputs(cls, params):
    demand, cand = _points(25, 1, "d"), _points(8, 2, "c")
    first = _solve_geo(cls, demand, cand, copy.deepcopy(params))
    second = _solve_geo(cls, demand.copy(deep=True), cand.copy(deep=True), copy.deepcopy(params))
    assert first.status == second.status == "optimal"
    assert list(first.open) == list(second.open)
    assert first.objective == second.objective
    pd.testing.assert_frame_equal(first.assignment, second.assignment, check_exact=True)
    assert first.to_geodataframe().to_json() == second.to_geodataframe().to_json()
    assert first.assignment.to_csv() == second.assignment.to_csv()


def test_hub_median_identical_from_equal_inputs():
    cost, flows = _hub_inputs()
    sols = [
        HubMedian.from_cost_matrix(cost.copy(), flows=flows.copy(), p=3, alpha=0.6).solve()
        for _ in range(2)
    ]
    assert list(sols[0].open) == list(sols[1].open)
    assert sols[0].objective == sols[1].objective
    pd.testing.assert_frame_equal(sols[0].assignment, sols[1].assignment, check_exact=True)


def test_scores_and_rank_stability_identical_csv():
    frame = pd.DataFrame(
        np.random.default_rng(3).uniform(1, 100, (12, 3)),
        index=[f"x{k}" for k in range(12)],
        columns=["a", "b", "c"],
    )
    crit = {"a": "benefit", "b": "cost", "c": "benefit"}
    for method in ("topsis", "weighted_sum", "vikor"):
        assert (
            score(frame, crit, "entropy", method).to_csv()
            == score(frame.copy(), crit, "entropy", method).to_csv()
        )
    runs = [rank_stability(frame, crit, n=300, seed=11).to_csv() for _ in range(2)]
    assert runs[0] == runs[1]


# ----------------------------------------------------------------------------------------
# fresh interpreters with different hash seeds
# ----------------------------------------------------------------------------------------

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import borderhub as bh
    from borderhub import datasets, locate, maps

    out = Path(sys.argv[1])
    cand = datasets.candidates()
    demand = datasets.prefectures()
    core = [a for a, t in cand["tiers"].items() if "CORE" in t.split(";")]
    scores = bh.score(cand, bh.default_criteria())
    scores.to_csv(out / "scores.csv", float_format="%.9g")
    sol = locate.PMedian.from_geodataframe(
        demand, cand, weight="express_volume", p=14, required=core
    ).solve()
    sol.assignment.to_csv(out / "pmedian.csv", float_format="%.6f")
    (out / "pmedian.geojson").write_text(sol.to_geodataframe().to_json(), encoding="utf-8")
    cov = locate.MaxCoverage.from_geodataframe(
        demand, cand, weight="express_volume", p=8, radius=400.0,
        groups=cand["province"], max_per_group=1,
    ).solve()
    cov.assignment.to_csv(out / "mclp.csv", float_format="%.6f")
    (out / "mclp.geojson").write_text(cov.to_geodataframe().to_json(), encoding="utf-8")
    print(";".join(sol.open), ";".join(cov.open))
    page = maps.corridor_map(cand, solution=sol, scores=scores, self_contained=True)
    page.save(str(out / "map.html"))
    """
)


def _run_script(root: Path, seed: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = root / f"seed{seed}"
    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    return proc, out


@pytest.fixture(scope="module")
def script_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("determinism_script")
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda s: _run_script(root, s), ["1", "2"]))
    for proc, _ in runs:
        assert proc.returncode == 0, proc.stderr
    return runs


@pytest.mark.parametrize(
    "name", ["scores.csv", "pmedian.csv", "pmedian.geojson", "mclp.csv", "mclp.geojson"]
)
def test_library_outputs_byte_identical_across_interpreters(script_runs, name):
    (p1, a), (p2, b) = script_runs
    assert p1.stdout == p2.stdout  # the same chosen centres
    assert (a / name).read_bytes() == (b / name).read_bytes()


def test_corridor_map_html_byte_identical_across_interpreters(script_runs):
    (_, a), (_, b) = script_runs
    assert (a / "map.html").read_bytes() == (b / "map.html").read_bytes()


# ----------------------------------------------------------------------------------------
# borderhub plan, twice
# ----------------------------------------------------------------------------------------

PLAN = [
    "plan",
    "--out",
    "out",
    "--model",
    "mclp",
    "--p",
    "14",
    "--radius",
    "600",
    "--required-tiers",
    "CORE",
    "--gateway-weight",
    "0.05",
    "--tiles",
    "amap",
    "--lang",
    "en",
    "--plots",
    "--quiet",
]

#: manifest.json keys holding wall-clock measurements (anywhere in the document).
TIMING_KEYS = {"timings", "build_time", "solve_time", "runtime", "elapsed", "seconds"}


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def _plan(root: Path, seed: str) -> tuple[subprocess.CompletedProcess, Path]:
    here = root / f"run{seed}"
    here.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", *PLAN],
        capture_output=True,
        text=True,
        env=env,
        cwd=here,
        timeout=600,
    )
    return proc, here / "out"


@pytest.fixture(scope="module")
def plan_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("determinism_plan")
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda s: _plan(root, s), ["3", "4"]))
    for proc, _ in runs:
        assert proc.returncode == 0, proc.stderr
    return runs


def test_plan_prints_the_same_summary(plan_runs):
    (p1, _), (p2, _) = plan_runs
    seconds = re.compile(r"\d+(\.\d+)? s\b")  # timings printed in the summary
    assert seconds.sub("<t> s", p1.stdout) == seconds.sub("<t> s", p2.stdout)


def test_plan_writes_the_same_files(plan_runs):
    (_, a), (_, b) = plan_runs
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert {"scores.csv", "solution.csv", "solution.geojson", "manifest.json"} <= set(names)


def _plan_files() -> list[str]:
    return [
        "scores.csv",
        "solution.csv",
        "centres.csv",
        "solution.geojson",
        "map.html",
        "cost_curve.csv",
        "map.png",
        "rank_stability.png",
        "cost_curve.png",
    ]


@pytest.mark.parametrize("name", _plan_files())
def test_plan_output_byte_identical(plan_runs, name):
    (_, a), (_, b) = plan_runs
    assert (a / name).is_file(), name
    assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_plan_manifest_identical_but_for_timings(plan_runs):
    (_, a), (_, b) = plan_runs
    m1 = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    m2 = json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    assert _without_timings(m1) == _without_timings(m2)
    # and the chosen centres are recorded
    assert m1["result"]["open"] == m2["result"]["open"] and m1["result"]["open"]
    bundled = datasets.candidates()
    assert set(m1["result"]["open"]) <= set(bundled.index)
