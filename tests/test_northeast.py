"""The Northeast study on road distances: flows leave through their own border crossings.

Candidates 哈尔滨, 长春, 沈阳, 大连, 丹东, 黑河, 呼和浩特, 珲春, 绥芬河, 满洲里, 二连浩特 --
and 北京 and 郑州, to see whether flows are drawn to them; demand: the prefectures of
黑龙江, 吉林, 辽宁 and 内蒙古; partners Russia (Moscow, Vladivostok, Blagoveshchensk),
Mongolia (Ulaanbaatar) and North Korea (Pyongyang), each country a third of the flow.
Every candidate but 北京 and 郑州 is opened (p = 11), so each origin's flow goes to the
centre and gateway that are cheapest for it.

Which costs are in force matters, and each test says which:

* with air dearer per km than trucking (``air.rate=1.5`` truck-km per km; the defaults
  have 0.5), the land crossings carry the Northeast's flows: Moscow's by rail through
  满洲里, Vladivostok's through 绥芬河 or 珲春, Blagoveshchensk's through 黑河,
  Mongolia's through 二连浩特, North Korea's through 丹东 or 图们 -- and no flow goes
  to 北京 or 郑州;
* with the default costs (air at 0.5 truck-km per km: cheaper per km than a truck), flows
  to the nearby hubs fly from the region's airports, and 北京 opens as a centre: under
  those costs that is cheaper, which is what the defaults assume.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from borderhub import datasets, run_plan

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ["黑龙江省", "吉林省", "辽宁省", "内蒙古自治区"]
PREFECTURE_CANDIDATES = [
    "哈尔滨",
    "长春",
    "沈阳",
    "大连",
    "丹东",
    "黑河",
    "呼和浩特",
    "北京",
    "郑州",
]
#: border cities (county level): their point is their county's admin centre
PORT_CANDIDATES = {"hunchun": "珲春市", "suifenhe": "绥芬河市", "manzhouli": "满洲里市",
                   "erenhot": "二连浩特市"}  # fmt: skip
LAND_COSTS = "air.rate=1.5"


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("northeast")
    pref, ports = datasets.prefectures(), datasets.border_ports()
    rows = []
    for name in PREFECTURE_CANDIDATES:
        r = pref[pref["name"].str.startswith(name)].iloc[0]
        rows.append({"id": r.name, "name": r["name"], "lon": r["lon"], "lat": r["lat"],
                     "coastal": name in ("大连", "丹东")})  # fmt: skip
    for pid, name in PORT_CANDIDATES.items():
        r = ports.loc[pid]
        rows.append({"id": str(r["adcode"]), "name": name, "lon": r["lon"], "lat": r["lat"],
                     "coastal": False})  # fmt: skip
    files = {k: str(folder / f"{k}.csv") for k in ("candidates", "demand", "partners", "split")}
    pd.DataFrame(rows).to_csv(files["candidates"], index=False)
    dem = pref[pref["province"].isin(PROVINCES)]
    dem[["name", "lon", "lat", "express_volume"]].rename_axis("id").reset_index().to_csv(
        files["demand"], index=False
    )
    hubs = datasets.partners().loc[["RUS-MOW", "RUS-VVO", "RUS-BQS", "MNG-ULN", "PRK-FNJ"]]
    hubs = hubs.rename_axis("partner").reset_index()
    hubs[["partner", "city", "country", "iso3", "lon", "lat"]].to_csv(
        files["partners"], index=False
    )
    pd.DataFrame({"partner": ["RUS", "MNG", "PRK"], "share": [1, 1, 1]}).to_csv(
        files["split"], index=False
    )
    return files


def _run(study: dict[str, str], modes: str | None):
    result = run_plan(
        study["candidates"], study["demand"], model="crossborder", p=11, score=False,
        distance="road", partners=study["partners"], split=study["split"],
        id_column="id", weight_column="express_volume", modes=modes,
    )  # fmt: skip
    return result, result.solved.routing(result.inputs)


@pytest.fixture(scope="module")
def land(study):
    return _run(study, LAND_COSTS)


def _gateways(routing: pd.DataFrame, partner: str, centre: str | None = None) -> set[str]:
    r = routing.xs(partner, level="partner")
    if centre is not None:
        r = r[r["centre_name"] == centre]
    return set(r.loc[r["flow"] > 0, "gateway"])


def test_russias_flows_leave_through_their_own_crossings(land):
    _, routing = land
    assert _gateways(routing, "RUS-MOW", "满洲里市") == {"rail:manzhouli:RUS"}
    assert _gateways(routing, "RUS-BQS", "黑河市") == {"road:heihe"}
    assert _gateways(routing, "RUS-VVO", "绥芬河市") == {"road:suifenhe"}
    # Moscow by rail: through 满洲里 from the whole Northeast (阿拉山口 from the west of
    # Inner Mongolia, whose rail line to Moscow is shorter through Kazakhstan)
    moscow = routing.xs("RUS-MOW", level="partner")
    assert moscow.loc[moscow["gateway"] == "rail:manzhouli:RUS", "flow"].sum() > 0.9 * (
        moscow["flow"].sum() - moscow.loc[moscow["centre_name"].isin(["呼和浩特市", "二连浩特市"]),
                                          "flow"].sum()
    )  # fmt: skip


def test_mongolias_flows_leave_through_erenhot_and_north_koreas_through_dandong_or_tumen(land):
    _, routing = land
    assert {g.split(":")[1] for g in _gateways(routing, "MNG-ULN")} == {"erenhot"}
    assert {g.split(":")[1] for g in _gateways(routing, "PRK-FNJ")} <= {"dandong", "tumen"}


def test_no_northeast_flow_goes_to_beijing_or_zhengzhou_when_land_is_cheaper(land):
    result, routing = land
    centres = set(result.solved.centres(result.inputs)["name"])
    assert not centres & {"北京市", "郑州市"}
    assert not routing["gateway"].str.contains(":110000|:410100").any()
    assert result.manifest["crossborder"]["gateway_distance"] == "road"
    assert result.manifest["crossborder"]["modes"]["air"]["rate"] == 1.5


def test_with_the_default_costs_air_is_cheaper_and_beijing_opens(study):
    result, routing = _run(study, None)
    # air at 0.5 truck-km per km undercuts trucking to a border crossing: the costs in
    # force make the airports -- and a centre at 北京 -- cheaper
    assert (routing.groupby("mode")["flow"].sum().idxmax()) == "air"
    assert "北京市" in set(result.solved.centres(result.inputs)["name"])


def test_every_network_leg_is_at_least_its_geodesic(land):
    from borderhub.geo import distance_matrix

    result, _ = land
    geodesic = distance_matrix(result.inputs.demand, result.inputs.candidates)
    assert (result.cost.to_numpy() >= geodesic.to_numpy() - 1e-6).all()


@pytest.mark.slow
def test_the_command_line_runs_the_study_and_draws_flows_along_routes(study, tmp_path):
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "borderhub", "plan", "--quiet", "--model", "crossborder",
            "--distance", "road", "--p", "11", "--candidates", study["candidates"],
            "--demand", study["demand"], "--id-column", "id",
            "--weight-column", "express_volume", "--partners", study["partners"],
            "--split", study["split"], "--modes", LAND_COSTS, "--out", str(out)]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    routing = pd.read_csv(out / "routing.csv", dtype=str).set_index(["origin", "partner"])
    routing["flow"] = routing["flow"].astype(float)
    assert _gateways(routing, "RUS-MOW", "满洲里市") == {"rail:manzhouli:RUS"}
    assert {g.split(":")[1] for g in _gateways(routing, "MNG-ULN")} == {"erenhot"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["distance"] == "road"
    page = (out / "map.html").read_text(encoding="utf-8")
    assert "OpenStreetMap" in page and "满洲里 rail crossing" in page
