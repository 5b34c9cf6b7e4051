"""A distance choice everywhere the plan makes a distance (borderhub.routes, distance=)."""

from __future__ import annotations

import numpy as np
import pytest

from borderhub import PlanConfig, datasets, routes, run_plan
from borderhub.exceptions import SpecificationError
from borderhub.plan.config import PlanOptionError
from borderhub.scoring import border_port_distance, rcep_proximity


def test_unknown_distance_is_refused_with_the_choices():
    with pytest.raises(PlanOptionError, match=r"distance must be one of \['geodesic', 'road'"):
        PlanConfig(distance="car")


def test_a_network_distance_without_the_extra_names_the_extra(monkeypatch):
    real = routes.util.find_spec
    monkeypatch.setattr(
        routes.util, "find_spec", lambda name: None if name == "scgraph_data" else real(name)
    )
    with pytest.raises(PlanOptionError, match=r'pip install "borderhub\[network\]"'):
        PlanConfig(distance="road")
    with pytest.raises(SpecificationError, match="extra 'network'"):
        routes.network_km(np.array([[126.5, 45.8]]), np.array([[117.4, 49.6]]), "rail")
    assert PlanConfig().distance == "geodesic"  # the default needs nothing


def test_network_km_is_never_below_the_geodesic_and_falls_back_where_no_road():
    pref = datasets.prefectures()
    pts = pref.loc[pref["name"].str.match("哈尔滨|呼伦贝尔|海口|丹东")]
    geo = routes.network_km(pts, pts, "geodesic")
    road = routes.network_km(pts, pts, "road")
    assert (road.to_numpy() >= geo.to_numpy() - 1e-6).all()
    assert road.attrs["fallback_pairs"] == 6  # 海口 to and from the three others
    assert "OpenStreetMap" in road.attrs["licence"]
    strict = routes.network_km(pts, pts, "road", fallback=False)
    assert int(np.isnan(strict.to_numpy()).sum()) == 6


def test_distance_criteria_follow_the_choice():
    pref = datasets.prefectures()
    north = pref.loc[pref["name"].str.match("哈尔滨|呼伦贝尔|牡丹江")]
    by_air = border_port_distance(north)
    by_road = border_port_distance(north, distance="road")
    assert (by_road >= by_air - 1e-6).all() and by_road.attrs["distance"] == "road"
    rcep = rcep_proximity(north, distance="road")
    assert (rcep >= rcep_proximity(north) - 1e-6).all()
    assert rcep.attrs["fallback_pairs"] > 0  # Japan, Korea, Oceania: across the sea


def test_run_plan_by_road_records_the_network_in_the_manifest():
    result = run_plan(p=2, provinces="广西", distance="road")
    m = result.manifest
    assert m["parameters"]["distance"] == "road"
    assert m["distances"]["network"].startswith("scgraph_data")
    assert "OpenStreetMap" in m["distances"]["licence"]
    geodesic = run_plan(p=2, provinces="广西", score=False)
    assert (result.cost.to_numpy() >= geodesic.cost.to_numpy() - 1e-6).all()
    assert geodesic.manifest["distances"] == {"distance": "geodesic"}


def test_the_command_line_takes_distance(tmp_path):
    from borderhub.cli import main

    out = tmp_path / "out"
    code = main(["plan", "--quiet", "--p", "2", "--provinces", "海南", "--distance", "rail",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["distance"] == "rail"


# ---- gateways from the infrastructure ------------------------------------------------------
@pytest.fixture(scope="module")
def infra():
    from borderhub.routes import infrastructure_gateways

    return infrastructure_gateways(datasets.candidates(), datasets.border_ports())


def test_land_ports_sit_on_their_crossing_toward_their_neighbour(infra):
    from borderhub.routes import CROSSING_KM

    road = infra[infra["mode"] == "road"]
    placed = road["point_of"].str.startswith("road border crossing toward")
    # the note counts the ports left at their listed point
    assert f"{int((~placed).sum())} port gateway(s)" in infra.attrs["note"]
    assert placed.sum() >= 25
    for gid in ("road:manzhouli", "road:heihe", "road:suifenhe", "road:erenhot", "road:dandong"):
        assert road.loc[gid, "point_of"].startswith("road border crossing toward")
        km = float(road.loc[gid, "point_of"].split("), ")[1].split(" km")[0])
        assert km <= CROSSING_KM
    assert road.loc["road:heihe", "reach"] == "RUS"
    assert "OpenStreetMap" in " ".join(infra.attrs["sources"])


def test_rail_gateways_at_every_rail_crossing_with_a_port(infra):
    rail = infra[infra["mode"] == "rail"]
    assert (rail["leg_mode"] == "rail").all()  # loaded at the centre, not only at the hubs
    for gid in ("rail:manzhouli:RUS", "rail:suifenhe:RUS", "rail:erenhot:MNG",
                "rail:dandong:PRK", "rail:mohan:LAO", "rail:hekou:VNM",
                "rail:alashankou:KAZ"):  # fmt: skip
        assert gid in rail.index, gid
    assert "DEU" in rail.loc["rail:erenhot:MNG", "reach"]  # via Mongolia to Europe
    assert rail.loc["rail:dandong:PRK", "reach"] == "PRK"


def test_air_gateways_at_every_candidate_with_an_airport(infra):
    air = infra[infra["mode"] == "air"]
    assert len(air) >= 50  # not only the 9 with a sourced cargo figure
    assert air.loc["air:230100", "name"].endswith("(HRB)")  # 哈尔滨
    assert air.loc["air:110000", "name"].endswith("(PEK)")  # an international airport first
    assert air["point_of"].str.contains("airportsdata").all()


def test_network_costs_are_never_below_the_geodesic_legs(infra):
    from borderhub.flows import gateway_costs

    cand = datasets.candidates().loc[["230100", "450100"]]  # 哈尔滨, 南宁
    part = datasets.partners().loc[["RUS-MOW", "VNM-HAN", "MNG-ULN"]]
    road = gateway_costs(cand, part, distance="road")
    assert road["cost"].notna().all()
    assert road.loc[("230100", "RUS-MOW"), "gateway"] == "rail:manzhouli:RUS"
    # the same gateways measured both ways: every network cost >= its geodesic cost
    for gid in ("road:youyiguan", "rail:pingxiang:VNM", "air:450100"):
        one = infra.loc[[gid]]
        net = gateway_costs(cand, part, gateways=one, distance="road")
        geo = gateway_costs(cand, part, gateways=one)
        both = net["cost"].notna() & geo["cost"].notna()
        assert both.any(), gid
        assert (net.loc[both, "cost"] >= geo.loc[both, "cost"] - 1e-6).all(), gid
    with pytest.raises(SpecificationError, match="unknown parameter 'border'"):
        gateway_costs(cand, part, modes={"air": {"border": 1.0}})
    dearer = gateway_costs(cand, part, distance="road", modes={"rail": {"border": 500.0}})
    moscow = ("230100", "RUS-MOW")
    assert dearer.loc[moscow, "cost"] >= road.loc[moscow, "cost"]


# ---- a study's own partners, split and gateways ---------------------------------------------
def _study(tmp_path):
    partners = tmp_path / "partners.csv"
    partners.write_text(
        "partner,iso3,city,lon,lat\nMNG-ULN,MNG,Ulaanbaatar,106.82,47.6467\n"
        "PRK-FNJ,PRK,Pyongyang,125.67,39.2241\n",
        encoding="utf-8",
    )
    split = tmp_path / "split.csv"
    split.write_text("partner,share\nMNG,2\nPRK,1\n", encoding="utf-8")
    return partners, split


def test_run_plan_takes_partners_and_split_files(tmp_path):
    partners, split = _study(tmp_path)
    result = run_plan(model="crossborder", p=1, provinces="辽宁", score=False,
                      partners=str(partners), split=str(split))  # fmt: skip
    routing = result.solved.routing(result.inputs)
    assert set(routing.index.get_level_values("partner")) == {"MNG-ULN", "PRK-FNJ"}
    flows = routing["flow"].groupby(level="partner").sum()
    assert flows["MNG-ULN"] == pytest.approx(2 * flows["PRK-FNJ"])
    assert result.manifest["inputs"]["partners"]["file"] == "partners.csv"


def test_split_naming_unknown_partners_says_how_to_add_them(tmp_path):
    bad = tmp_path / "split.csv"
    bad.write_text("partner,share\nATA,1\n", encoding="utf-8")
    from borderhub.exceptions import DataError

    with pytest.raises(DataError, match="neither hub labels nor ISO3 codes"):
        run_plan(model="crossborder", p=1, provinces="辽宁", score=False, split=str(bad))
    # the land-port countries are partners of the bundled table now
    ok = tmp_path / "ok.csv"
    ok.write_text("partner,share\nMNG,1\nPRK,1\n", encoding="utf-8")
    run_plan(model="crossborder", p=1, provinces="辽宁", score=False, split=str(ok))


def test_user_gateways_replace_the_built_ones(tmp_path):
    gates = tmp_path / "gateways.csv"
    gates.write_text(
        "gateway,name,mode,lon,lat,reach\nroad:dd,丹东,road,124.39,40.12,PRK\n"
        "air:x,某机场,air,123.49,41.64,*\n",
        encoding="utf-8",
    )
    partners, split = _study(tmp_path)
    result = run_plan(model="crossborder", p=1, provinces="辽宁", score=False,
                      partners=str(partners), split=str(split), gateways=str(gates))  # fmt: skip
    used = set(result.solved.routing(result.inputs)["gateway"])
    assert used <= {"road:dd", "air:x"}
    assert result.manifest["crossborder"]["gateways"] == "user-supplied"


def test_partners_and_gateways_belong_to_the_crossborder_model():
    with pytest.raises(PlanOptionError, match="only to crossborder"):
        PlanConfig(partners="p.csv")


def test_the_cost_ratio_sweep_says_when_a_border_city_enters():
    from borderhub.scenarios import gateway_cost_sweep

    pref = datasets.prefectures()
    dem = pref[pref["province"] == "广西壮族自治区"]
    cand = dem.loc[["450100", "450600", "451400"]]  # 南宁, 防城港, 崇左
    part = datasets.partners().loc[["VNM-HAN"]]
    t = gateway_cost_sweep([0.25, 0.5, 1, 2], cand, dem, part, p=1, share=0.05,
                           border=["450600", "451400"])  # fmt: skip
    assert t.attrs["parameter"] == "truck.rate"
    first = t.attrs["first_border_ratio"]
    assert first is not None
    assert (t.loc[t.index >= first, "n_border"] >= 1).all()
    assert (t.loc[t.index < first, "n_border"] == 0).all()
    with pytest.raises(SpecificationError, match="ratios must be positive"):
        gateway_cost_sweep([0], cand, dem, part, p=1, share=0.05)


# ---- maps: flows along their routes -----------------------------------------------------------
def test_flows_are_drawn_along_their_routes_with_the_attribution():
    import folium

    from borderhub.flowmap import add_flow_layer, flow_segments
    from borderhub.locate import solve_crossborder

    cand = datasets.candidates().loc[["530100"]]  # 昆明
    dem = datasets.prefectures().loc[["530100", "532500"]]
    part = datasets.partners().loc[["VNM-HAN", "LAO-VTE"]]
    sol = solve_crossborder(cand, dem, part, p=1, share=0.05, split="equal", distance="road")
    seg = flow_segments(sol, cand, part, gateways=sol_gateways(cand), distance="road")
    assert "path" in seg.columns and "OpenStreetMap" in seg.attrs["licence"]
    for _, row in seg.iterrows():
        pieces = row["path"]
        start = pieces[0][0]
        assert abs(start[0] - row["centre_lon"]) < 1e-6 and abs(start[1] - row["centre_lat"]) < 1e-6
        points = sum(len(p) for p in pieces)
        assert points > 10  # a route, not the three corners of a straight path
    html = add_flow_layer(folium.Map(tiles=None), seg, cand, part).get_root().render()
    assert "OpenStreetMap" in html and "bh-gateway" in html


def sol_gateways(cand):
    from borderhub.flows import gateways

    return gateways(cand, infrastructure=True)
