"""Tests of the built-in scoring criteria and the default criteria set."""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderhub.exceptions import DataError, SpecificationError
from borderhub.geo import distance_matrix
from borderhub.scoring import (
    Criterion,
    airport_cargo,
    border_port_distance,
    catchment_volume,
    cbec_seniority,
    cbec_zone,
    coastal,
    default_criteria,
    default_weights,
    express_volume,
    gravity_access,
    population,
    rail_hub,
    rank_stability,
    rcep_proximity,
    score,
    tier_score,
)


def _gdf(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326"
    )


@pytest.fixture
def cands() -> gpd.GeoDataFrame:
    """Five places in the candidates() schema (values are illustrative)."""
    frame = pd.DataFrame(
        {
            "name": ["上海市", "南宁市", "哈尔滨市", "绥芬河市", "西安市"],
            "tiers": ["CORE", "CORE", "PROVINCIAL", "ENCOURAGED", "PROVINCIAL;RAIL"],
            "population": [24870895, 8741584, 10009854, 70000, 12952907],
            "express_volume": [49.5, 5.1, 4.2, 0.1, 12.0],
            "border_port": ["", "", "", "绥芬河", ""],
            "cbec_batch": pd.array([2, 3, 4, None, 3], dtype="Int64"),
            "rail_hub": [False, False, False, False, True],
            "coastal": [True, False, False, False, False],
            "airport_cargo": [377.8, np.nan, np.nan, np.nan, 40.0],
            "lon": [121.47, 108.37, 126.53, 131.15, 108.94],
            "lat": [31.23, 22.82, 45.80, 44.40, 34.34],
        },
        index=pd.Index(["310000", "450100", "230100", "231081", "610100"], name="adcode"),
    )
    return _gdf(frame)


@pytest.fixture
def partners() -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            "iso3": ["JPN", "JPN", "VNM", "SGP"],
            "rcep": [True, True, True, True],
            "lon": [139.69, 135.50, 105.85, 103.82],
            "lat": [35.69, 34.69, 21.03, 1.35],
        },
        index=pd.Index(["JPN-TYO", "JPN-OSA", "VNM-HAN", "SGP-SIN"], name="partner_id"),
    )
    return _gdf(frame)


@pytest.fixture
def demand() -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            "express_volume": [49.5, 30.0, 5.1, 4.2, 12.0],
            "population": [24870895, 12000000, 8741584, 10009854, 12952907],
            "lon": [121.47, 120.62, 108.37, 126.53, 108.94],
            "lat": [31.23, 31.30, 22.82, 45.80, 34.34],
        },
        index=pd.Index(["310000", "320500", "450100", "230100", "610100"], name="adcode"),
    )
    return _gdf(frame)


def test_rcep_proximity_weights(cands, partners):
    dist = distance_matrix(cands, partners)
    equal = rcep_proximity(cands, partners)
    pd.testing.assert_series_equal(equal, dist.mean(axis=1).rename("rcep_proximity"))
    # a country's weight is split over its hubs; hubs not named weigh 0
    by_country = rcep_proximity(cands, partners, weights={"JPN": 2.0, "SGP-SIN": 1.0})
    expected = (dist["JPN-TYO"] + dist["JPN-OSA"] + dist["SGP-SIN"]) / 3
    np.testing.assert_allclose(by_country, expected)
    only_hanoi = rcep_proximity(cands, partners, weights=pd.Series({"VNM": 0.3}))
    np.testing.assert_allclose(only_hanoi, dist["VNM-HAN"])
    assert only_hanoi.idxmin() == "450100"  # Nanning is nearest to Hanoi
    with pytest.raises(SpecificationError, match="FRA"):
        rcep_proximity(cands, partners, weights={"FRA": 1.0})
    with pytest.raises(SpecificationError, match=">= 0"):
        rcep_proximity(cands, partners, weights={"JPN": -1.0})
    with pytest.raises(SpecificationError, match="all zero"):
        rcep_proximity(cands, partners, weights={"JPN": 0.0})


def test_border_port_distance(cands):
    ports = _gdf(
        pd.DataFrame(
            {"lon": [131.16, 106.75], "lat": [44.41, 22.0]},
            index=pd.Index(["suifenhe", "youyiguan"], name="port_id"),
        )
    )
    out = border_port_distance(cands, ports)
    assert out.index.equals(cands.index)
    assert out["231081"] < 5.0
    np.testing.assert_allclose(out, distance_matrix(cands, ports).min(axis=1))


def test_indicators_and_volumes(cands):
    assert rail_hub(cands).tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert coastal(cands).tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]
    np.testing.assert_array_equal(airport_cargo(cands), [377.8, np.nan, np.nan, np.nan, 40.0])
    assert cbec_zone(cands).tolist() == [1.0, 1.0, 1.0, 0.0, 1.0]
    np.testing.assert_allclose(cbec_seniority(cands), [7 / 8, 6 / 8, 5 / 8, 0.0, 6 / 8])
    assert express_volume(cands).tolist() == cands["express_volume"].tolist()
    assert population(cands).dtype == float
    assert tier_score(cands).tolist() == [1.0, 1.0, 0.75, 0.25, 0.75]
    assert tier_score(cands, points={"CORE": 2, "PROVINCIAL": 1, "ENCOURAGED": 0, "RAIL": 3})[
        "610100"
    ] == pytest.approx(3.0)
    with pytest.raises(DataError, match="RAIL"):
        tier_score(cands, points={"CORE": 1, "PROVINCIAL": 1, "ENCOURAGED": 1})
    with pytest.raises(DataError, match="batches"):
        cbec_seniority(cands, batches=3)
    with pytest.raises(DataError, match="coastal"):
        coastal(cands.drop(columns="coastal"))


def test_catchment_and_gravity(cands, demand):
    before = demand.copy()
    dist = distance_matrix(cands, demand).to_numpy()
    vol = demand["express_volume"].to_numpy()
    catch = catchment_volume(cands, demand, radius_km=150)
    np.testing.assert_allclose(catch, (dist <= 150) @ vol)
    assert catch["310000"] == pytest.approx(49.5 + 30.0)  # Shanghai + Suzhou
    pop = catchment_volume(cands, demand, radius_km=1, column="population")
    assert pop["450100"] == 8741584
    grav = gravity_access(cands, demand, beta=2.0, d0_km=40.0)
    np.testing.assert_allclose(grav, np.minimum(1, 40 / np.maximum(dist, 1e-9)) ** 2 @ vol)
    # own unit at distance ~0 counts once, in full: finite and at least the own volume
    assert np.isfinite(grav).all()
    assert grav["310000"] >= 49.5
    # more decay means less access from afar
    assert (
        gravity_access(cands, demand, beta=3.0) <= gravity_access(cands, demand, beta=1.0)
    ).all()
    with pytest.raises(SpecificationError, match="radius_km"):
        catchment_volume(cands, demand, radius_km=0)
    with pytest.raises(SpecificationError, match="beta"):
        gravity_access(cands, demand, beta=-1)
    bad = demand.copy()
    bad.loc["320500", "express_volume"] = np.nan
    with pytest.raises(DataError, match="320500"):
        gravity_access(cands, bad)
    pd.testing.assert_frame_equal(demand, before)


def test_criteria_objects_score_synthetic_candidates(cands, partners, demand):
    crits = [
        Criterion("rcep", functools.partial(rcep_proximity, partners=partners), "cost", 2),
        Criterion("volume", express_volume, "benefit", 2),
        Criterion("access", functools.partial(gravity_access, demand=demand), "benefit", 1),
        Criterion("air", airport_cargo, "benefit", 1),
        Criterion("tier", tier_score, "benefit", 1),
    ]
    before = cands.copy()
    # "air" has a figure for 2 of the 5 places: the default (auto) scores without it
    with pytest.warns(UserWarning, match=r"'air' \(a value for 2 of 5\)"):
        out = score(cands, crits)
    pd.testing.assert_frame_equal(cands, before)
    assert out.index.equals(cands.index)
    assert out.loc["310000", "rank"] == 1
    assert out.attrs["omitted"] == {"air": pytest.approx(0.4)}
    assert "air_contrib" not in out and out.attrs["weights"]["rcep"] == pytest.approx(2 / 6)
    # "worst" keeps it, the missing places taking the smallest figure
    kept = score(cands, crits, nan_policy="worst")
    assert kept.attrs["omitted"] == {} and kept.attrs["weights"]["rcep"] == pytest.approx(2 / 7)
    assert kept.loc["310000", "rank"] == 1
    # criteria with missing raw values: the NaN policy names the row
    with pytest.raises(DataError, match="450100"):
        score(cands, {"airport_cargo": "benefit"}, nan_policy="raise")


def test_default_criteria_are_documented_and_weighted():
    crits = default_criteria()
    names = [c.name for c in crits]
    assert len(set(names)) == len(names)
    assert {c.name: c.weight for c in crits} == default_weights()
    assert sum(default_weights().values()) == pytest.approx(1.0)
    directions = {c.name: c.direction for c in crits}
    assert directions["rcep_proximity"] == "cost"
    assert directions["border_port_distance"] == "cost"
    assert directions["express_volume"] == "benefit"
    doc = default_criteria.__doc__
    for c in crits:
        assert c.name in doc and f"{c.weight:.2f}" in doc and c.description
    # the returned list is fresh: changing it does not change the defaults
    crits.pop()
    assert len(default_criteria()) == len(names)


def test_default_scoring_of_the_plan_places():
    from borderhub import datasets

    cands = datasets.candidates()
    before = cands.copy()
    out = score(cands, default_criteria())
    pd.testing.assert_frame_equal(cands, before)
    assert len(out) == 60 and out.index.equals(cands.index)
    assert not out.isna().any().any()
    assert out["score"].between(0, 1).all()
    assert out["rank"].min() == 1 and out["rank"].max() <= 60
    # sensible: the plan's core cities score higher on average than its encouraged ones
    core = cands["tiers"].str.contains("CORE")
    encouraged = cands["tiers"].str.contains("ENCOURAGED")
    assert out.loc[core, "score"].mean() > out.loc[encouraged, "score"].mean()
    stab = rank_stability(cands, default_criteria(), n=200)
    assert stab.index.equals(cands.index)
    np.testing.assert_array_equal(stab["rank"], out["rank"])
    assert stab["p_top_k"].sum() == pytest.approx(10.0, abs=1.0)
