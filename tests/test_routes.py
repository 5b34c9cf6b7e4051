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
