"""Tests of the ``borderhub`` command line, run as a subprocess like a user would."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.cli import main
from borderhub.geo import distance_matrix

CORE = ["110000", "120000", "310000", "320100", "330100", "410100", "440100", "440300"]
CORE += ["450100", "530100"]


def run(*args, cwd=None, timeout=300):
    """Run ``python -m borderhub ARGS`` and return the completed process (text mode)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")
    return subprocess.run(
        [sys.executable, "-m", "borderhub", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def assert_one_line_error(proc, status, *fragments):
    assert proc.returncode == status, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("borderhub: error: "), lines[0]
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8", keep_default_na=False, **kwargs)


# --------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------


def test_tiers_text_lists_every_tier_with_the_plans_counts(capsys):
    assert main(["tiers"]) == 0
    out = capsys.readouterr().out
    assert "60 distinct places, 63 (place, tier) memberships" in out
    for header in (
        "CORE: 10 entries, 10 places",
        "LONG_TERM: 2 entries, 2 places",
        "PROVINCIAL: 11 entries, 11 places",
        "ENCOURAGED: 33 entries, 35 places",
        "RAIL: 5 entries, 5 places",
        "PORT: 0 entries, 0 places",
    ):
        assert header in out
    assert "钦州-北海-防城港" in out and "西双版纳" in out and "义乌" in out
    assert "优化进出境快件处理场所布局" in out


def test_tiers_csv_matches_column4(capsys):
    from borderhub.policy import column4

    assert main(["tiers", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    table = pd.read_csv(io.StringIO(text), dtype={"adcode": str, "prefecture_adcode": str})
    expected = column4()
    assert len(table) == len(expected) == 63
    assert table["tier"].tolist() == [t.name for t in expected["tier"]]
    assert table["adcode"].tolist() == expected["adcode"].tolist()


def test_tiers_filter_and_json(capsys):
    assert main(["tiers", "--tier", "rail,long-term", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert sorted({r["tier"] for r in records}) == ["LONG_TERM", "RAIL"]
    assert {r["plan_name"] for r in records if r["tier"] == "RAIL"} == {
        "西安",
        "重庆",
        "成都",
        "郑州",
        "义乌",
    }


def test_help_explains_each_command(capsys):
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("plan", "score", "solve", "map", "tiers"):
        assert command in proc.stdout
    for command in ("plan", "score", "solve", "map", "tiers"):
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
        text = capsys.readouterr().out
        assert text.startswith(f"usage: borderhub {command}")
        for option in ("--quiet", "--debug"):
            assert option in text
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    text = capsys.readouterr().out
    for option in ("--model", "--p", "--radius", "--required-tiers", "--gateway-weight"):
        assert option in text
    for option in ("--solver", "--time-limit", "--weight-column", "--out", "--plots"):
        assert option in text


# --------------------------------------------------------------------------------------
# plan on the bundled data
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """Two identical runs of `borderhub plan` on the bundled data."""
    base = tmp_path_factory.mktemp("plan")
    args = ["plan", "--p", "12", "--required-tiers", "CORE"]
    first = run(*args, "--out", base / "a")
    second = run(*args, "--out", base / "b", "--quiet")
    return base / "a", base / "b", first, second


def test_plan_bundled_prints_a_readable_summary(bundled):
    out, _, proc, quiet = bundled
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "p-median (p=12) over 367 demand units and 60 candidates" in text
    assert "status optimal" in text and "chosen centres (12), by load:" in text
    for name in ("北京市", "上海市", "广州市", "昆明市"):
        assert name in text
    assert "CORE" in text and "Running HiGHS" not in text
    # progress on stderr, nothing with --quiet
    assert "borderhub: solving p-median (p=12) with highs ... done" in proc.stderr
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_plan_bundled_reports_the_places_with_missing_values(bundled):
    # 51 of the 60 places have no sourced airport-cargo figure: the default nan_policy
    # 'auto' leaves the criterion out (sourced for fewer than half) and says so, on stderr
    # and in the manifest; 'worst' keeps it and names the places it fills
    out, _, proc, _ = bundled
    cargo = datasets.candidates()["airport_cargo"]
    lacking = cargo.index[cargo.isna()]
    assert 30 < len(lacking) < 60
    skipped = [line for line in proc.stderr.splitlines() if "criteria skipped" in line]
    assert len(skipped) == 1 and "airport_cargo" in skipped[0], proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["nan_policy"] == "auto"
    reason = manifest["scoring"]["skipped"]["airport_cargo"]
    assert f"a value for {60 - len(lacking)} of 60 candidates" in reason and "'auto'" in reason
    assert "airport_cargo" not in manifest["scoring"]["directions"]
    assert manifest["scoring"]["missing"] == {}
    worst = run("plan", "-q", "--p", "5", "--nan-policy", "worst", "--out", out.parent / "w")
    assert worst.returncode == 0, worst.stderr
    wman = json.loads((out.parent / "w" / "manifest.json").read_text(encoding="utf-8"))
    missing = wman["scoring"]["missing"]
    assert set(missing) == set(lacking) and set(missing.values()) == {"airport_cargo"}
    assert "airport_cargo" not in wman["scoring"]["skipped"]
    strict = run("plan", "-q", "--nan-policy", "raise", "--out", out.parent / "strict")
    assert_one_line_error(strict, 1, "airport_cargo", "nan_policy='worst'")


def test_plan_scores_csv(bundled):
    scores = read_csv(bundled[0] / "scores.csv", dtype={"adcode": str})
    assert len(scores) == 60 and scores["adcode"].str.fullmatch(r"\d{6}").all()
    assert set(datasets.candidates().index) == set(scores["adcode"])
    for column in ("name", "tiers", "rank", "score", "rcep_proximity", "express_volume"):
        assert column in scores.columns
    assert scores["rank"].is_monotonic_increasing and scores["rank"].iloc[0] == 1
    assert scores["score"].between(0, 1).all()
    assert scores["score"].is_monotonic_decreasing
    contrib = scores.filter(like="_contrib")
    assert len(contrib.columns) == 7  # 8 default criteria, airport_cargo left out (sparse)
    # TOPSIS contributions decompose the score exactly: score = 0.5 + sum of contributions
    np.testing.assert_allclose(contrib.sum(axis=1) + 0.5, scores["score"], atol=1e-5)


def test_plan_solution_csv_assigns_every_unit_to_its_nearest_open_centre(bundled):
    solution = read_csv(
        bundled[0] / "solution.csv", dtype={"demand": str, "facility": str}
    ).set_index("demand")
    demand = datasets.prefectures()
    assert list(solution.index) == list(demand.index)
    assert list(solution.columns) == [
        "demand_name",
        "facility",
        "facility_name",
        "cost_km",
        "gateway_km",
        "weight",
    ]
    open_ = sorted(solution["facility"].unique())
    assert len(open_) == 12 and set(CORE) <= set(open_)
    np.testing.assert_allclose(solution["weight"], demand["express_volume"], atol=1e-6)
    dist = distance_matrix(demand, datasets.candidates().loc[open_])
    np.testing.assert_allclose(solution["cost_km"], dist.min(axis=1), atol=1e-5)
    assert (solution["demand_name"] == demand["name"]).all()


def test_plan_centres_csv_and_manifest(bundled):
    out = bundled[0]
    centres = read_csv(out / "centres.csv", dtype={"facility": str}).set_index("facility")
    solution = read_csv(out / "solution.csv", dtype={"demand": str, "facility": str})
    assert len(centres) == 12
    assert set(centres.index[centres["required"]]) == set(CORE)
    assert centres["n_demand"].sum() == 367
    np.testing.assert_allclose(centres["load"].sum(), solution["weight"].sum(), rtol=1e-9)
    np.testing.assert_allclose(centres["share"].sum(), 1.0, atol=1e-5)
    assert centres["load"].is_monotonic_decreasing

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key in (
        "borderhub",
        "python",
        "dependencies",
        "inputs",
        "parameters",
        "model",
        "solver",
        "result",
        "scoring",
        "timings",
        "outputs",
    ):
        assert key in manifest, key
    for package in ("pandas", "geopandas", "pulp", "highspy", "folium", "numpy", "pyproj"):
        assert manifest["dependencies"][package]
    data = datasets.data_dir()
    assert manifest["inputs"]["candidates"]["sha256"] == sha256(data / "candidates.csv")
    assert manifest["inputs"]["demand"]["sha256"] == sha256(data / "prefectures.csv")
    params = manifest["parameters"]
    assert params["model"] == "pmedian" and params["p"] == 12
    assert params["required_tiers"] == ["CORE"] and params["solver"] == "highs"
    assert manifest["solver"]["name"] == "highs" and manifest["solver"]["version"]
    result = manifest["result"]
    assert result["status"] == "optimal" and result["gap"] == 0
    assert sorted(result["open"]) == sorted(centres.index)
    weighted = float((solution["weight"] * solution["cost_km"]).sum())
    assert result["objective"] == pytest.approx(weighted, rel=1e-6)
    assert manifest["model"]["required"] == CORE or set(manifest["model"]["required"]) == set(CORE)
    for step in ("load", "score", "solve", "map", "total"):
        assert manifest["timings"][step] >= 0
    for name, digest in manifest["outputs"].items():
        assert digest == sha256(out / name), name
    assert set(manifest["outputs"]) >= {"scores.csv", "solution.csv", "solution.geojson"}


def test_plan_geojson(bundled):
    # one geometry type per file: points in solution.geojson, lines in allocations.geojson
    geo = json.loads((bundled[0] / "solution.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection"
    alloc = json.loads((bundled[0] / "allocations.geojson").read_text(encoding="utf-8"))
    features = geo["features"] + alloc["features"]
    centres = [f for f in geo["features"] if f["properties"]["kind"] == "centre"]
    units = [f for f in geo["features"] if f["properties"]["kind"] == "demand"]
    lines = [f for f in alloc["features"] if f["properties"]["kind"] == "allocation"]
    assert len(centres) == 12 and len(lines) == 367 and len(units) == 367
    assert {f["geometry"]["type"] for f in geo["features"]} == {"Point"}
    assert {f["geometry"]["type"] for f in alloc["features"]} == {"LineString"}
    for feature in features:
        assert feature["type"] == "Feature"
        coords = np.array(feature["geometry"]["coordinates"], dtype=float).reshape(-1, 2)
        assert ((coords[:, 0] > 70) & (coords[:, 0] < 136)).all()
        assert ((coords[:, 1] > 15) & (coords[:, 1] < 54)).all()
    cand = datasets.candidates()
    bj = next(f for f in centres if f["properties"]["label"] == "110000")
    assert bj["geometry"]["coordinates"] == pytest.approx(
        [cand.at["110000", "lon"], cand.at["110000", "lat"]], abs=1e-6
    )
    # every line ends at its centre
    where = {f["properties"]["label"]: f["geometry"]["coordinates"] for f in centres}
    for line in lines:
        assert line["geometry"]["coordinates"][1] == where[line["properties"]["facility"]]


def test_plan_map_html_is_a_self_contained_leaflet_map(bundled):
    page = (bundled[0] / "map.html").read_text(encoding="utf-8")
    assert "L.map(" in page and "<title>borderhub: p-median plan" in page
    assert not re.search(r"<script[^>]+src=\"https?://", page)  # Leaflet is inlined
    assert "110000" in page or "北京" in page


def test_plan_outputs_are_byte_identical_across_runs(bundled):
    a, b, first, second = bundled
    assert first.returncode == second.returncode == 0
    for name in ("scores.csv", "solution.csv", "centres.csv", "solution.geojson"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    text = (a / "solution.csv").read_text(encoding="utf-8")
    assert "\r" not in text and re.search(r",\d+\.\d{6}\n", text)


# --------------------------------------------------------------------------------------
# plan on the caller's CSV files
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def user_files(tmp_path_factory):
    base = tmp_path_factory.mktemp("user")
    candidates = pd.DataFrame(
        {
            "adcode": ["110000", "310000", "440100", "510100", "530100", "650100"],
            "name": ["北京市", "上海市", "广州市", "成都市", "昆明市", "乌鲁木齐市"],
            "lon": [116.40, 121.47, 113.26, 104.07, 102.83, 87.62],
            "lat": [39.90, 31.23, 23.13, 30.57, 24.88, 43.83],
        }
    )
    rng = np.random.default_rng(7)
    demand = pd.DataFrame(
        {
            "id": [f"d{k:02d}" for k in range(30)],
            "lon": rng.uniform(85, 122, 30).round(4),
            "lat": rng.uniform(22, 45, 30).round(4),
            "volume": rng.uniform(1, 50, 30).round(3),
        }
    )
    candidates.to_csv(base / "cand.csv", index=False)
    demand.to_csv(base / "dem.csv", index=False)
    return base


@pytest.mark.slow
def test_plan_on_user_csv_with_plots(user_files):
    out = user_files / "out"
    proc = run(
        "plan",
        "--candidates",
        "cand.csv",
        "--demand",
        "dem.csv",
        "--weight-column",
        "volume",
        "--p",
        "3",
        "--plots",
        "--out",
        out,
        cwd=user_files,
    )
    assert proc.returncode == 0, proc.stderr
    assert "over 30 demand units and 6 candidates" in proc.stdout
    assert "default criteria cannot be computed from your candidates" in proc.stderr
    assert "rail_hub (needs a column 'rail_hub' (or 中欧班列)" in proc.stderr
    assert "Running HiGHS" not in proc.stdout
    scores = read_csv(out / "scores.csv", dtype={"adcode": str})
    assert len(scores) == 6
    # location criteria are computed from the coordinates; attributes the file lacks are not
    assert {"rcep_proximity", "border_port_distance", "gravity_access"} <= set(scores.columns)
    assert "express_volume" not in scores.columns
    # tiers are looked up for places of the plan
    assert scores.set_index("adcode").loc["110000", "tiers"] == "CORE"
    assert scores.set_index("adcode").loc["650100", "tiers"] == "PROVINCIAL"
    solution = read_csv(out / "solution.csv", dtype={"demand": str, "facility": str})
    assert len(solution) == 30 and solution["facility"].nunique() == 3
    demand = pd.read_csv(user_files / "dem.csv")
    np.testing.assert_allclose(solution["weight"], demand["volume"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["candidates"] == {
        "source": "user",
        "file": "cand.csv",
        "sha256": sha256(user_files / "cand.csv"),
    }
    assert manifest["inputs"]["demand"]["sha256"] == sha256(user_files / "dem.csv")
    assert "express_volume" in manifest["scoring"]["skipped"]
    assert manifest["data"]["weight"] == "volume"
    for name in ("map.png", "rank_stability.png", "cost_curve.png"):
        data = (out / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, name
        assert manifest["outputs"][name] == sha256(out / name)
    curve = read_csv(out / "cost_curve.csv")
    assert curve["p"].tolist() == list(range(1, 7))
    assert curve["objective"].is_monotonic_decreasing
    geo = json.loads((out / "solution.geojson").read_text(encoding="utf-8"))
    assert len(geo["features"]) == 33
    assert "L.map(" in (out / "map.html").read_text(encoding="utf-8")


def test_user_geojson_in_another_crs_and_polygons(tmp_path, capsys):
    import geopandas as gpd

    cand = gpd.GeoDataFrame(
        {"code": ["a", "b", "c"], "name": ["A", "B", "C"]},
        geometry=gpd.points_from_xy([116.4, 121.47, 113.26], [39.9, 31.23, 23.13]),
        crs="EPSG:4326",
    )
    cand.to_crs("EPSG:3857").to_file(tmp_path / "cand.gpkg")
    areas = cand.to_crs("EPSG:3857").assign(geometry=lambda f: f.buffer(30_000))
    areas.to_file(tmp_path / "areas.geojson")
    status = main(
        [
            "solve",
            "--candidates",
            str(tmp_path / "cand.gpkg"),
            "--demand",
            str(tmp_path / "areas.geojson"),
            "--p",
            "1",
            "--out",
            str(tmp_path / "o"),
            "-q",
        ]
    )
    assert status == 0
    solution = read_csv(tmp_path / "o" / "solution.csv", dtype={"demand": str})
    # labels from the 'code' column; the polygons are represented by a point inside each
    assert solution["demand"].tolist() == ["a", "b", "c"]
    assert solution["facility"].nunique() == 1
    out = capsys.readouterr().out
    assert "every demand unit weighs 1" in out


# --------------------------------------------------------------------------------------
# the other subcommands
# --------------------------------------------------------------------------------------


def test_score_subcommand(tmp_path, capsys):
    assert main(["score", "--top", "5", "--method", "weighted_sum", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # 8 default criteria; airport_cargo, sourced for under half of them, is left out
    assert "weighted_sum scores of 60 candidates on 7 criteria" in out
    scores = read_csv(tmp_path / "scores.csv", dtype={"adcode": str})
    assert len(scores) == 60
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "score" and manifest["scoring"]["method"] == "weighted_sum"
    assert not (tmp_path / "solution.csv").exists()


def test_solve_and_map_subcommands(tmp_path, capsys):
    assert main(["solve", "--p", "5", "--out", str(tmp_path / "s"), "-q"]) == 0
    out = capsys.readouterr().out
    assert "chosen centres (5)" in out
    for name in ("solution.csv", "centres.csv", "solution.geojson", "manifest.json"):
        assert (tmp_path / "s" / name).is_file()
    assert not (tmp_path / "s" / "scores.csv").exists()
    status = main(
        [
            "map",
            "--solution",
            str(tmp_path / "s" / "solution.csv"),
            "--out",
            str(tmp_path / "m"),
            "--lang",
            "en",
            "--tiles",
            "none",
            "-q",
        ]
    )
    assert status == 0
    page = (tmp_path / "m" / "map.html").read_text(encoding="utf-8")
    assert "L.map(" in page


# --------------------------------------------------------------------------------------
# bad input: exit status and one line on stderr
# --------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    proc = run("plan", "--out", tmp_path / "o", "--candidates", tmp_path / "nope.csv")
    assert_one_line_error(proc, 1, "candidates file not found", "nope.csv")


def test_malformed_csv(tmp_path):
    (tmp_path / "bad.csv").write_text('id,lon,lat\nA,"116.4,39.9\n', encoding="utf-8")
    proc = run("plan", "--out", tmp_path / "o", "--candidates", tmp_path / "bad.csv")
    assert_one_line_error(proc, 1, "cannot parse candidates file bad.csv")


def test_unknown_model():
    proc = run("plan", "--out", "unused", "--model", "kmeans")
    assert_one_line_error(proc, 2, "argument --model: invalid choice: 'kmeans'")


@pytest.mark.parametrize("p", ["0", "-2", "three"])
def test_p_must_be_positive(p, capsys):
    assert main(["plan", "--out", "unused", "--p", p]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("borderhub: error: argument --p:")


def test_p_must_be_positive_subprocess():
    assert_one_line_error(run("solve", "--p", "0"), 2, "--p: must be a positive whole number")


def test_unknown_tier():
    proc = run("plan", "--out", "unused", "--required-tiers", "CORE,CAPITAL")
    assert_one_line_error(proc, 2, "unknown tier 'CAPITAL'", "CORE, LONG_TERM")


def test_unknown_command_and_version(capsys):
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "invalid choice: 'frobnicate'" in err[0]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("borderhub ")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("id,x,y\nA,1,2\n", "needs longitude and latitude columns"),
        ("id,lon,lat\nA,abc,39\n", "missing or non-numeric lon/lat for candidates ['A']"),
        ("id,lon,lat\nA,200,39\n", "coordinates out of range"),
        ("id,lon,lat\nA,116,39\nA,117,40\n", "duplicate candidates labels ['A']"),
        ("id,lon,lat\n", "has a header but no rows"),
        ("", "is empty"),
    ],
)
def test_bad_candidate_files(tmp_path, capsys, content, fragment):
    (tmp_path / "c.csv").write_text(content, encoding="utf-8")
    status = main(["solve", "--candidates", str(tmp_path / "c.csv"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and len(err) == 1, err
    assert err[0].startswith("borderhub: error: ") and fragment in err[0], err[0]


@pytest.mark.parametrize(
    ("args", "status", "fragment"),
    [
        (["solve", "--model", "mclp", "--p", "3"], 2, "needs --radius"),
        (["solve", "--model", "lscp", "--p", "3", "--radius", "100"], 2, "--p does not apply"),
        (["solve", "--model", "fixed"], 2, "needs --fixed-cost"),
        (["solve", "--p", "61"], 1, "p=61"),
        (["solve", "--p", "8", "--required-tiers", "CORE"], 1, "required"),
        (["solve", "--weight-column", "nope"], 1, "demand has no column 'nope'"),
        (["solve", "--solver", "nosuchsolver"], 1, "nosuchsolver"),
        (["map", "--out", "unused", "--solution", "missing.csv"], 1, "solution file not found"),
        (["plan", "--out", "unused", "--mip-gap", "2"], 2, "--mip-gap"),
    ],
)
def test_bad_parameters(args, status, fragment, capsys):
    assert main([*args, "-q"]) == status
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("borderhub: error: "), err
    assert fragment in err[0], err[0]


def test_port_tier_means_the_coastal_candidates_and_gateway_cost(tmp_path, capsys):
    from borderhub.scoring import rcep_proximity

    out = tmp_path / "o"
    args = ["solve", "--p", "26", "--required-tiers", "PORT", "--gateway-weight", "0.05"]
    assert main([*args, "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    cand = datasets.candidates()
    coastal = sorted(cand.index[cand["coastal"].astype(bool)])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["model"]["required"]) == coastal and manifest["model"]["gateway"]
    assert set(coastal) <= set(manifest["result"]["open"])
    solution = read_csv(out / "solution.csv", dtype={"demand": str, "facility": str})
    gateway = 0.05 * rcep_proximity(cand)
    np.testing.assert_allclose(
        solution["gateway_km"], gateway.loc[solution["facility"]].to_numpy(), rtol=1e-6
    )
