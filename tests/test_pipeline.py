"""The main job as a library call: run_plan, PlanConfig, PlanResult, and the golden outputs.

The golden files (tests/data/golden/*.sha256) hold the SHA-256 of what `borderhub plan`
writes for two command lines; the command line and `run_plan(...).save()` must reproduce
them byte for byte, and write the same files as each other (maps and figures included).
Regenerate them with tools/golden_plan.py only after a deliberate change of the outputs.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderhub import PlanConfig, PlanResult, Tier, datasets, run_plan
from borderhub import flows as bh_flows
from borderhub import robustness as bh_robustness
from borderhub.exceptions import DataError, SpecificationError
from borderhub.pipeline import PlanEvent, PlanOptionError

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden"
PLAN_DATA = ROOT / "tests" / "data" / "plan"


def _golden(name: str) -> tuple[list[str], dict[str, str]]:
    lines = (GOLDEN / f"{name}.sha256").read_text(encoding="utf-8").splitlines()
    argv = shlex.split(lines[0].removeprefix("# borderhub plan "))
    hashes = {}
    for line in lines[1:]:
        digest, file = line.split()
        hashes[file] = digest
    return argv, hashes


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _options(argv: list[str]) -> tuple[dict, dict, bool]:
    """The run_plan arguments of a `borderhub plan` command line of the golden files."""
    files: dict = {}
    options: dict = {}
    plots = False
    k = 0
    while k < len(argv):
        flag = argv[k]
        if flag == "--plots":
            plots = True
            k += 1
            continue
        value = argv[k + 1]
        key = flag[2:].replace("-", "_")
        if key in ("candidates", "demand"):
            files[key] = str(ROOT / value)
        elif key == "p":
            options[key] = int(value)
        elif key == "required_tiers":
            options[key] = value
        else:
            options[key] = value
        k += 2
    return files, options, plots


@pytest.fixture(scope="module", params=["plan-bundled", "plan-user-csv-plots"])
def golden_runs(request, tmp_path_factory):
    name = request.param
    argv, hashes = _golden(name)
    base = tmp_path_factory.mktemp(name)
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", "plan", "--quiet", "--out", str(base / "cli"), *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    files, options, plots = _options(argv)
    written = run_plan(**files, **options, plots=plots).save(base / "lib")
    return name, hashes, base / "cli", base / "lib", written


def test_golden_outputs_of_the_command_line(golden_runs):
    name, hashes, cli, _, _ = golden_runs
    assert hashes, name
    for file, digest in hashes.items():
        assert _sha(cli / file) == digest, f"{name}: {file} differs from the golden file"


def test_run_plan_save_writes_the_command_lines_files(golden_runs):
    name, hashes, cli, lib, written = golden_runs
    names = sorted(p.name for p in cli.iterdir())
    assert sorted(written) == names == sorted(p.name for p in lib.iterdir())
    for file in names:
        if file == "manifest.json":
            continue
        assert (cli / file).read_bytes() == (lib / file).read_bytes(), f"{name}: {file}"
    for file, digest in hashes.items():
        assert _sha(lib / file) == digest, f"{name}: {file}"
    m_cli = json.loads((cli / "manifest.json").read_text(encoding="utf-8"))
    m_lib = json.loads((lib / "manifest.json").read_text(encoding="utf-8"))
    assert set(m_cli) == set(m_lib)
    for key in ("inputs", "data", "scoring", "model", "solver", "outputs"):
        assert m_cli[key] == m_lib[key], key
    assert m_cli["result"]["open"] == m_lib["result"]["open"]
    assert m_cli["argv"][:2] == ["plan", "--quiet"] and m_lib["argv"] is None


# --------------------------------------------------------------------------------------
# run_plan from Python
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result() -> PlanResult:
    return run_plan(p=12, required_tiers=[Tier.CORE])


def test_result_tables(result):
    cand = datasets.candidates()
    assert result.solution.status == "optimal" and len(result.solution.open) == 12
    centres = result.centres
    assert list(centres.columns) == [
        "name",
        "plan_name",
        "province",
        "tiers",
        "required",
        "n_demand",
        "load",
        "share",
        "mean_km",
        "max_km",
    ]
    core = set(cand.index[cand["tiers"].str.contains("CORE")])
    assert set(centres.index[centres["required"]]) == core
    assert centres["load"].is_monotonic_decreasing
    assert centres["share"].sum() == pytest.approx(1.0)
    assert centres["n_demand"].sum() == len(result.demand) == len(result.assignments)
    a = result.assignments
    assert set(a["facility"]) == set(result.solution.open)
    # every unit goes to its nearest open centre
    cost = result.cost[list(result.solution.open)]
    np.testing.assert_allclose(a["cost_km"], cost.min(axis=1).loc[a.index])
    scores = result.scores
    assert list(scores["rank"]) == sorted(scores["rank"]) and len(scores) == len(cand)
    manifest = result.manifest
    assert manifest["command"] == "plan" and manifest["model"]["required"] == result.required
    assert manifest["parameters"]["required_tiers"] == ["CORE"]
    assert "outputs" not in manifest
    assert "PlanResult(model='pmedian', status='optimal'" in repr(result)


def test_maps_of_the_result(result):
    m = result.map(lang="en")
    html = m.get_root().render()
    assert "borderhub: p-median plan" in html
    ax = result.static_map()
    assert ax.figure is not None and ax.get_title()


def test_config_is_frozen_validated_and_overridable():
    config = PlanConfig(model="mclp", p=5, radius=300, required_tiers="core;rail")
    assert config.required_tiers == (Tier.CORE, Tier.RAIL)
    with pytest.raises(AttributeError):
        config.p = 3  # type: ignore[misc]
    bad = [
        ({"model": "kmeans"}, "kmeans"),
        ({"p": 0}, "p must be a positive"),
        ({"p": 2.5}, "p must be a positive"),
        ({"model": "lscp", "radius": 100, "p": 3}, "p does not apply"),
        ({"model": "mclp"}, "needs radius"),
        ({"model": "pcenter", "radius": 10}, "radius does not apply"),
        ({"model": "fixed"}, "needs fixed_cost"),
        ({"fixed_cost": 3}, "fixed_cost does not apply"),
        ({"model": "fixed", "fixed_cost": -1}, "fixed_cost must be a number >= 0"),
        ({"model": "crossborder", "p": 3, "fixed_cost": 1}, "takes p or fixed_cost"),
        ({"model": "crossborder", "gateway_weight": 1}, "gateway_weight does not apply"),
        ({"share": 0.5}, "share does not apply"),
        ({"model": "crossborder", "share": 1.5}, "share must be a fraction in"),
        ({"required_tiers": "CAPITAL"}, "CAPITAL"),
        ({"mip_gap": 2}, "mip_gap"),
        ({"method": "electre"}, "electre"),
        ({"lon_column": "x"}, "lat_column"),
    ]
    for options, fragment in bad:
        with pytest.raises(PlanOptionError, match=fragment):
            PlanConfig(**options)
    assert issubclass(PlanOptionError, SpecificationError)
    with pytest.raises(PlanOptionError, match="unknown options"):
        run_plan(colour="red")
    with pytest.raises(PlanOptionError, match="bundled tables are WGS84"):
        run_plan(coordinates="gcj02")


def test_provinces_restrict_demand_and_candidates():
    events: list[PlanEvent] = []
    res = run_plan(p=2, provinces="广东,广西壮族自治区", progress=events.append)
    assert set(res.demand["province"]) == {"广东省", "广西壮族自治区"}
    assert set(res.candidates["province"]) == {"广东省", "广西壮族自治区"}
    assert len(res.demand) == 21 + 14
    assert res.manifest["parameters"]["provinces"] == ["广东", "广西壮族自治区"]
    kinds = [(e.kind, e.key) for e in events]
    assert ("start", "load") in kinds and ("done", "solve") in kinds
    assert all(e.seconds >= 0 for e in events)
    with pytest.raises(PlanOptionError, match="火星"):
        run_plan(provinces=["火星"])


def test_coverage_plan_counts_covered_weight_only():
    res = run_plan(model="mclp", p=3, radius=300, score=False)
    sol = res.solution
    a = sol.assignment
    covered = float(a.loc[a["covered"], "weight"].sum())
    assert covered == pytest.approx(sol.objective)
    assert res.centres["load"].sum() == pytest.approx(covered)
    assert res.centres["share"].sum() == pytest.approx(covered / float(a["weight"].sum()))
    assert (res.centres["max_km"] <= 300 + 1e-9).all()


def test_user_frames_are_not_modified_and_polygons_work(tmp_path):
    from shapely.geometry import box

    cand = pd.read_csv(PLAN_DATA / "candidates.csv", dtype={"adcode": str}).set_index("adcode")
    cand = gpd.GeoDataFrame(cand, geometry=gpd.points_from_xy(cand.lon, cand.lat), crs=4326)
    areas = gpd.GeoDataFrame(
        {"volume": [3.0, 1.0]},
        geometry=[box(112, 22, 114, 24), box(115, 38, 117, 40)],
        index=["south", "north"],
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")
    before = (cand.copy(), areas.copy())
    res = run_plan(cand, areas, p=1, weight_column="volume")
    pd.testing.assert_frame_equal(cand, before[0])
    pd.testing.assert_frame_equal(areas, before[1])
    assert list(res.solution.open) == ["440100"]
    assert res.candidates.loc["110000", "tiers"] == "CORE"  # looked up in 专栏4
    files = res.save(tmp_path / "out")
    assert "allocations.geojson" in files
    assert res.manifest["inputs"]["demand"] == {"source": "caller", "rows": 2}


def test_geojson_one_geometry_type_per_file_and_integers(result, tmp_path):
    result.save(tmp_path)
    points = json.loads((tmp_path / "solution.geojson").read_text(encoding="utf-8"))
    lines = json.loads((tmp_path / "allocations.geojson").read_text(encoding="utf-8"))
    assert {f["geometry"]["type"] for f in points["features"]} == {"Point"}
    assert {f["geometry"]["type"] for f in lines["features"]} == {"LineString"}
    kinds = [f["properties"]["kind"] for f in points["features"]]
    assert kinds.count("centre") == 12 and kinds.count("demand") == len(result.demand)
    centre = next(f for f in points["features"] if f["properties"]["kind"] == "centre")
    assert isinstance(centre["properties"]["n_demand"], int)
    assert isinstance(centre["properties"]["required"], bool)
    assert len(lines["features"]) == len(result.demand)
    back = gpd.read_file(tmp_path / "solution.geojson")
    assert len(back) == len(points["features"])


def test_solve_only_run_writes_the_files_of_solve(tmp_path):
    res = run_plan(model="pcenter", p=4, score=False)
    assert res.solution.has_solution
    names = res.save(tmp_path)
    assert names == [
        "solution.csv",
        "centres.csv",
        "solution.geojson",
        "allocations.geojson",
        "manifest.json",
    ]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "solve" and "scoring" not in manifest
    assert manifest["model"]["params"] == {"p": 4}


def test_score_only_and_solve_only_runs():
    scored = run_plan(solve=False)
    assert len(scored.scores) == 60
    with pytest.raises(SpecificationError, match="did not solve"):
        _ = scored.solution
    solved = run_plan(score=False, p=3)
    with pytest.raises(SpecificationError, match="did not score"):
        _ = solved.scores
    with pytest.raises(DataError, match="not found"):
        run_plan(candidates=PLAN_DATA / "nope.csv")


# --------------------------------------------------------------------------------------
# the command line is a thin shell; start-up imports nothing heavy
# --------------------------------------------------------------------------------------


def _model_choices(command: str = "plan") -> tuple:
    from borderhub import cli

    parser = cli.build_parser()
    parser.parse_args([command, "--out", "unused"])  # completes the subcommand's options
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    return tuple(next(a.choices for a in sub._actions if a.dest == "model"))


def test_cli_mirrors_the_library_and_library_never_imports_cli():
    from borderhub import locate, pipeline

    assert pipeline.DEFAULT_P == locate.registered()["pmedian"].parameters["p"].default == 10
    assert _model_choices() == tuple(locate.MODELS) == tuple(locate.registered())
    library = [ROOT / "borderhub" / "io.py", *(ROOT / "borderhub" / "plan").glob("*.py")]
    for path in [ROOT / "borderhub" / "pipeline.py", *library]:
        text = path.read_text(encoding="utf-8")
        assert "borderhub.cli" not in text and "from borderhub import cli" not in text
    # a thin shell (parse, one library call per command, print); 680 with `template`
    assert len((ROOT / "borderhub" / "cli.py").read_text(encoding="utf-8").splitlines()) <= 680


def test_import_borderhub_loads_no_heavy_dependency():
    code = (
        "import sys, borderhub, borderhub.cli; borderhub.cli.build_parser(); "
        "print(sorted(m for m in ('pandas', 'geopandas', 'folium', 'matplotlib', 'pulp', "
        "'scipy', 'numpy') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_cli_provinces_and_coordinate_columns(tmp_path):
    cand = tmp_path / "c.csv"
    cand.write_text(
        "编号;名称;x;y\n440100;广州市;113.26;23.13\n450100;南宁市;108.37;22.82\n",
        encoding="gb18030",
    )
    dem = tmp_path / "d.tsv"
    dem.write_text("编号\tx\ty\tw\na\t113.0\t23.0\t2\nb\t108.0\t22.5\t1\n", encoding="utf-8")
    argv = ["solve", "--candidates", str(cand), "--demand", str(dem), "--id-column", "编号"]
    argv += ["--lon-column", "x", "--lat-column", "y", "--p", "1", "--weight-column", "w"]
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", *argv, "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "over 2 demand units and 2 candidates" in proc.stdout
    assert "440100 广州市  CORE      2" in proc.stdout  # 名称 read as name; tiers looked up
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", "plan", "--out", str(tmp_path / "o"), "--p", "2",
         "--provinces", "广东,海南", "--quiet"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "over 40 demand units and 11 candidates" in proc.stdout  # 21 + 19 units
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", "plan", "--out", str(tmp_path / "o"),
         "--coordinates", "gcj02", "--quiet"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 2 and "--coordinates" in proc.stderr


# --------------------------------------------------------------------------------------
# borderhub.io
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "kwargs"),
    [
        ("id,lon,lat\na,116.4,39.9\nb,121.47,31.23\n", "utf-8", {}),
        ("id,lon,lat\na,116.4,39.9\nb,121.47,31.23\n", "utf-8-sig", {}),
        ("编号;经度;纬度\na;116.4;39.9\nb;121.47;31.23\n", "gb18030", {"id_column": "编号"}),
        ("id\tLng\tLatitude\na\t116.4\t39.9\nb\t121.47\t31.23\n", "utf-8", {}),
        ('id,location\na,"116.4,39.9"\nb,"121.47,31.23"\n', "utf-8", {}),
        ("id,x,y\na,116.4,39.9\nb,121.47,31.23\n", "utf-8", {"lon_column": "x", "lat_column": "y"}),
    ],
)
def test_read_points_encodings_delimiters_and_columns(tmp_path, text, encoding, kwargs):
    from borderhub.io import read_points

    path = tmp_path / "p.csv"
    path.write_text(text, encoding=encoding)
    pts = read_points(path, **kwargs)
    assert list(pts.index) == ["a", "b"] and pts.crs.to_epsg() == 4326
    np.testing.assert_allclose(pts["lon"], [116.4, 121.47])
    np.testing.assert_allclose(pts.geometry.y, [39.9, 31.23])


def test_read_points_converts_gcj02_and_bd09(tmp_path):
    from borderhub.geo import gcj02_to_bd09, wgs84_to_gcj02
    from borderhub.io import read_points

    lon, lat = 116.391, 39.907
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_bd09(glon, glat)
    for datum, (x, y) in {"gcj02": (glon, glat), "bd09": (blon, blat)}.items():
        path = tmp_path / f"{datum}.csv"
        path.write_text(f"id,lng,lat\na,{x:.9f},{y:.9f}\n", encoding="utf-8")
        pts = read_points(path, coordinates=datum)
        assert pts.loc["a", "lon"] == pytest.approx(lon, abs=1e-6)
        assert pts.loc["a", "lat"] == pytest.approx(lat, abs=1e-6)


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_read_points_geo_formats(tmp_path, suffix):
    from shapely.geometry import box

    from borderhub.io import read_points

    frame = gpd.GeoDataFrame(
        {"code": ["a", "b"], "w": [1, 2]},
        geometry=[box(100, 30, 102, 32), gpd.points_from_xy([110.0], [35.0])[0]],
        crs="EPSG:4326",
    ).to_crs("EPSG:3857")
    path = tmp_path / f"f{suffix}"
    frame.to_file(path)
    pts = read_points(path, id_column="code")
    assert list(pts.index) == ["a", "b"] and set(pts.geom_type) == {"Point"}
    assert pts.loc["a", "lon"] == pytest.approx(101.0, abs=1e-6)


def test_solution_round_trip_and_scores(tmp_path, result):
    from borderhub.io import read_scores, read_solution, write_solution

    path = tmp_path / "solution.csv"
    write_solution(result.solution, path, candidates=result.candidates, demand=result.demand)
    back = read_solution(path, candidates=result.candidates)
    a = result.solution.assignment
    assert list(back.index) == list(a.index)
    assert (back["facility"] == a["facility"]).all()
    np.testing.assert_allclose(back["cost"], a["cost"], atol=1e-6)
    np.testing.assert_allclose(back["weight"], a["weight"], atol=1e-6)
    result.save(tmp_path / "out")
    scores = read_scores(tmp_path / "out" / "scores.csv")
    assert scores["rank"].tolist() == result.scores["rank"].tolist()
    with pytest.raises(DataError, match="not candidates"):
        read_solution(path, candidates=result.candidates.iloc[:3])


def test_read_points_geoparquet_goes_through_geopandas(tmp_path, monkeypatch):
    from borderhub.io import read_points

    calls = []

    def fake_read_parquet(path):
        calls.append(path)
        raise ImportError("Missing optional dependency 'pyarrow'")

    monkeypatch.setattr(gpd, "read_parquet", fake_read_parquet)
    path = tmp_path / "f.parquet"
    path.write_bytes(b"PAR1")
    with pytest.raises(DataError, match="GeoParquet needs pyarrow"):
        read_points(path)
    assert calls == [path]


# --------------------------------------------------------------------------------------
# report.html, the cross-border model, robustness, missing values
# --------------------------------------------------------------------------------------

_NETWORK_REF = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?https?:", re.I
)


def test_report_html_is_one_self_contained_page(result, tmp_path):
    written = result.save(tmp_path)
    assert written[-2:] == ["report.html", "manifest.json"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    # self-contained: the map is inside (srcdoc), nothing is fetched from the network
    assert 'srcdoc="' in page and not _NETWORK_REF.search(page)
    assert not _NETWORK_REF.search(html.unescape(page))
    for name in result.centres["name"]:
        assert name in page
    assert "Chosen centres" in page and "Ranked candidates" in page and "Assumptions" in page
    # the data caveats: the criterion left out for lack of figures, and estimates
    assert "criteria skipped for lack of data: airport_cargo" in page
    assert "are estimates, not published figures" in page
    assert "border_port_distance: for " in page and "admin centre stands in" in page
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["report.html"] == _sha(tmp_path / "report.html")


def test_missing_values_are_named_in_the_manifest_and_as_a_note():
    cargo = datasets.candidates()["airport_cargo"]
    lacking = cargo.index[cargo.isna()]
    # default "auto": airport cargo (sourced for fewer than half) is left out, with a note
    events = []
    res = run_plan(p=5, progress=events.append, solve=False)
    assert res.config.nan_policy == "auto"
    assert "airport_cargo" in res.manifest["scoring"]["skipped"]
    assert "airport_cargo" not in res.manifest["scoring"]["weights"]
    assert sum(res.manifest["scoring"]["weights"].values()) == pytest.approx(1.0)
    notes = [e.message for e in events if e.kind == "note" and "criteria skipped" in e.message]
    assert len(notes) == 1 and "airport_cargo" in notes[0]
    assert "airport_cargo" not in res.scores and res.scores["score"].notna().all()
    # "worst": kept, the places without a figure named and given the smallest one
    events = []
    res = run_plan(p=5, progress=events.append, solve=False, nan_policy="worst")
    assert set(res.manifest["scoring"]["missing"]) == set(lacking)
    notes = [e.message for e in events if e.kind == "note" and "lack a criterion" in e.message]
    assert len(notes) == 1 and "南宁市" in notes[0] and "nan_policy 'worst'" in notes[0]
    # the value stays missing in scores.csv, and every place is still scored
    assert res.scores.loc[lacking, "airport_cargo"].isna().all()
    assert res.scores["score"].notna().all()
    with pytest.raises(DataError, match="airport_cargo"):
        run_plan(nan_policy="raise", solve=False)


def test_stand_in_port_points_are_named_as_estimates():
    """Candidates whose nearest land port has no sourced point are listed, and only they."""
    from borderhub import scoring

    cands = datasets.candidates()
    every = scoring.border_port_distance(cands)
    sourced = scoring.border_port_distance(cands, sourced_only=True)
    stand_in = set(every.attrs["stand_in"])
    assert stand_in, "the bundled ports include county stand-ins"
    # nearest port sourced: the sourced ports alone give the same distance; a stand-in
    # nearest port is strictly nearer than any sourced one
    rest = cands.index.difference(list(stand_in))
    assert np.allclose(every[rest], sourced[rest])
    assert (sourced[list(stand_in)] > every[list(stand_in)]).all()
    res = run_plan(p=5, solve=False)
    assert set(res.manifest["scoring"]["estimated"]["border_port_distance"]) == stand_in


@pytest.fixture(scope="module")
def crossborder():
    return run_plan(model="crossborder", p=6, share=0.05, modes={"sea": None})


def test_crossborder_plan_routes_every_flow_through_an_open_centre(crossborder):
    res = crossborder
    sol = res.solution
    assert sol.status == "optimal" and len(sol.open) == 6
    routing = res.routing
    assert routing.index.names == ["origin", "partner"]
    assert set(routing["centre"]) <= set(sol.open)
    assert "sea" not in set(routing["mode"])  # switched off
    flows = bh_flows.international_demand(datasets.prefectures(), datasets.partners(), share=0.05)
    total = float(flows.to_numpy().sum())
    assert routing["flow"].sum() == pytest.approx(total)
    assert res.centres["load"].sum() == pytest.approx(total)
    assert res.gateway_loads["flow"].sum() == pytest.approx(total)
    assert res.partner_loads["flow"].sum() == pytest.approx(total)
    assert res.centres["share"].sum() == pytest.approx(1.0)
    # each commodity takes the open centre with the cheapest domestic + international cost
    assert sol.objective == pytest.approx(float((routing["flow"] * routing["cost"]).sum()))
    np.testing.assert_allclose(
        routing["cost"], routing["domestic_km"] + routing["international_cost"]
    )
    assert res.assignments.equals(routing)
    manifest = res.manifest
    assert (
        manifest["crossborder"]["share"] == 0.05 and manifest["crossborder"]["modes"]["sea"] == {}
    )
    assert manifest["parameters"]["model"] == "crossborder"
    with pytest.raises(SpecificationError, match="crossborder"):
        _ = run_plan(p=3, provinces=["广东"]).routing


def test_crossborder_cli_writes_the_files_of_run_plan(crossborder, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", "plan", "--quiet", "--out", str(tmp_path / "cli"),
         "--model", "crossborder", "--p", "6", "--share", "0.05", "--modes", "sea=off"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "cross-border flow median (p=6)" in proc.stdout
    assert "international express (express_volume)" in proc.stdout
    written = crossborder.save(tmp_path / "lib")
    assert written == [
        "scores.csv", "centres.csv", "map.html", "routing.csv", "gateway_loads.csv",
        "partner_loads.csv", "report.html", "manifest.json",
    ]  # fmt: skip
    assert sorted(written) == sorted(p.name for p in (tmp_path / "cli").iterdir())
    for name in written[:-1]:
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "lib" / name).read_bytes(), (
            name
        )
    page = (tmp_path / "lib" / "map.html").read_text(encoding="utf-8")
    assert "跨境流向" in page  # the flow layer, named in the map's language (zh)
    report = (tmp_path / "lib" / "report.html").read_text(encoding="utf-8")
    assert "Gateway loads" in report and "cross-border: share" in report


def test_crossborder_partner_split_file(tmp_path):
    split = tmp_path / "split.csv"
    split.write_text("partner,share\nVNM,3\nJPN-TYO,1\n", encoding="utf-8")
    res = run_plan(model="crossborder", p=3, split=str(split), score=False)
    loads = res.partner_loads
    assert set(loads.index) == {"VNM-HAN", "VNM-SGN", "JPN-TYO"}
    assert loads["share"].sum() == pytest.approx(1.0)
    assert loads.loc["JPN-TYO", "share"] == pytest.approx(0.25)
    assert res.manifest["inputs"]["split"]["sha256"] == _sha(split)
    assert res.manifest["crossborder"]["split"] == "user"


def test_robustness_of_a_plan_is_borderhub_robustness(tmp_path):
    options = {"p": 3, "provinces": ["广东", "广西"], "robustness": 12, "seed": 3}
    events = []
    res = run_plan(**options, plots=True, progress=events.append)
    rob = res.robustness
    direct = bh_robustness("pmedian", res.demand, res.candidates, n=12, seed=3, progress=False, p=3)
    pd.testing.assert_frame_equal(rob.to_frame(), direct.to_frame())
    assert rob.sets.equals(direct.sets)
    assert [e for e in events if e.kind == "progress"][-1].message.endswith("12 of 12 draws solved")
    written = res.save(tmp_path / "a")
    for name in ("robustness.csv", "robustness_sets.csv", "robustness_draws.csv", "robustness.png"):
        assert name in written
    frame = pd.read_csv(tmp_path / "a" / "robustness.csv", dtype={0: str}, index_col=0)
    np.testing.assert_allclose(frame["frequency"], rob.selection["frequency"], atol=1e-6)
    draws = pd.read_csv(tmp_path / "a" / "robustness_draws.csv")
    assert len(draws) == 12 and "seconds" not in draws.columns
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["robustness"]["seed"] == 3 and manifest["robustness"]["n"] == 12
    assert "Robustness: selection frequency over 12 demand draws" in (
        tmp_path / "a" / "report.html"
    ).read_text(encoding="utf-8")


def test_run_computes_the_analyses_and_save_only_writes(tmp_path, monkeypatch):
    from borderhub import scenarios, scoring

    with pytest.raises(SpecificationError, match="run with plots=True"):
        run_plan(p=3, provinces="广东").save(tmp_path / "none", plots=True)
    res = run_plan(p=3, provinces="广东", plots=True)
    stability, curve = res.extras["rank_stability"], res.extras["cost_curve"]
    assert (stability["n"], stability["seed"]) == (1000, 0)
    assert set(stability["table"].index) == set(res.scores.index)
    assert curve["model"] == "pmedian" and curve["mark"] == 3
    top = min(len(res.candidates), 10)
    assert curve["table"]["p"].tolist() == curve["p"] == list(range(1, top + 1))

    def refuse(*args, **kwargs):
        raise AssertionError("save() must not compute an analysis")

    for module, name in ((scenarios, "p_sweep"), (scoring, "rank_stability"), (scoring, "score")):
        monkeypatch.setattr(module, name, refuse)
    written = res.save(tmp_path / "out")
    assert {"cost_curve.csv", "cost_curve.png", "rank_stability.png", "map.png"} <= set(written)
    table = pd.read_csv(tmp_path / "out" / "cost_curve.csv")
    np.testing.assert_allclose(table["objective"], curve["table"]["objective"], rtol=1e-6)


def test_robustness_on_local_dask_workers_equals_serial(tmp_path):
    options = {"p": 3, "provinces": ["广东", "广西"], "robustness": 6, "score": False}
    serial = run_plan(**options).robustness
    parallel = run_plan(**options, workers=2).robustness
    pd.testing.assert_frame_equal(serial.to_frame(), parallel.to_frame())
    pd.testing.assert_frame_equal(
        serial.draws.drop(columns="seconds"), parallel.draws.drop(columns="seconds")
    )


def test_robustness_without_dask_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(SpecificationError, match=r"borderhub\[dask\]"):
        run_plan(p=3, provinces=["广东"], robustness=2, workers=2, score=False)


def test_robustness_of_a_crossborder_plan_draws_each_origins_flows_together():
    options = {"model": "crossborder", "p": 2, "provinces": ["云南", "广西"], "score": False}
    res = run_plan(**options, robustness=10, seed=2)
    rob = res.robustness
    assert rob.n == 10 and len(rob.draws) == 10 and (rob.draws["status"] == "optimal").all()
    assert set(rob.selection.index) == set(res.candidates.index)
    assert rob.selection["count"].sum() == 10 * 2
    assert set(rob.selection.index[rob.selection["nominal"]]) == set(res.solution.open)
    # the nominal plan is optimal for the nominal flows, never better than a draw's optimum
    assert (rob.draws["regret"] >= -1e-6 * rob.draws["objective"].abs()).all()
    # the flows of one origin move together: the same relative change for every partner
    nominal = res.solution.routing["flow"]
    drawn = rob.draw_weights(3)
    ratio = drawn.to_numpy() / np.array([nominal[tuple(k.split(">"))] for k in drawn.index])
    origins = [k.split(">")[0] for k in drawn.index]
    spread_within = pd.Series(ratio).groupby(origins).agg(lambda x: x.max() - x.min())
    assert spread_within.max() < 1e-9 and pd.Series(ratio).nunique() > 1
