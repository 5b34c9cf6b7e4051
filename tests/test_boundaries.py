"""The shipped boundary layers: levels, CRS, keys, datum, and the points inside them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.exceptions import BorderhubError, SpecificationError

# Demand points that are not inside their own prefecture polygon, with the reason. None
# since the five Xinjiang Production and Construction Corps (兵团) cities that the
# coordinate source lacks stand at an interior point of their own boundary (prefectures.csv,
# coord_quality) instead of a nearby county's centre, which lay in the surrounding
# prefecture (北屯 23 km away, inside 阿勒泰地区; 双河 4 km, 博尔塔拉; 可克达拉 14 km, 伊犁;
# 昆玉 36 km, 和田; 胡杨河 22 km, 塔城). Listed, not allowed silently: the test fails if
# any point changes the list.
OUTSIDE_OWN_POLYGON: dict[str, tuple[str, str, str]] = {}


def _outside(frame: pd.DataFrame, codes: pd.Index | pd.Series, x: str, y: str) -> dict:
    """Labels of rows whose point (columns x, y) is not inside the polygon of its code."""
    layer = datasets.boundaries("prefecture")
    points = gpd.points_from_xy(frame[x], frame[y])
    own = layer.geometry.reindex(pd.Index(codes)).to_numpy()
    out = {}
    for label, poly, pt in zip(frame.index, own, points, strict=True):
        if poly is None or not poly.contains(pt):
            holder = layer.index[layer.contains(pt)].tolist()
            out[label] = holder[0] if holder else None
    return out


@pytest.mark.parametrize(
    ("level", "n", "index"),
    [
        ("country", 1, "adcode"),
        ("province", 34, "adcode"),
        ("prefecture", 370, "adcode"),
        ("maritime", 1, None),
    ],
)
def test_levels(level, n, index):
    frame = datasets.boundaries(level)
    assert len(frame) == n
    assert frame.crs.equals("EPSG:4326")
    assert frame.index.name == index
    assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any()


def test_neighbours_and_aliases():
    nb = datasets.boundaries("neighbours")
    assert {"VNM", "MNG", "RUS", "IND", "KAZ", "PRK"} <= set(nb.index)
    assert nb.loc["VNM", "borders_china"] and not nb.loc["JPN", "borders_china"]
    assert nb.loc["JPN", "near_china"] and not nb.loc["DEU", "near_china"]
    assert {"USA", "BRA", "DEU", "AUS"} <= set(nb.index)  # the world, for views abroad
    assert datasets.boundaries("neighbors").equals(nb)
    # the layers do not overlap China (neighbours were cut by its outline)
    china = datasets.boundaries("country").geometry.iloc[0]
    overlap = sum(g.intersection(china).area for g in nb.geometry)
    assert overlap < 1e-3 * china.area


def test_china_includes_taiwan_hong_kong_macau_and_the_south_china_sea():
    prov = datasets.boundaries("province")
    assert {"710000", "810000", "820000", "460000"} <= set(prov.index)
    china = datasets.boundaries("country").geometry.iloc[0]
    # 永兴岛 (Woody Island, Xisha) and 曾母暗沙 latitude band islands are kept
    assert china.bounds[1] < 5.0
    line = datasets.boundaries("maritime").geometry.iloc[0]
    assert line.bounds[1] < 5.0 and line.bounds[2] > 118.0


def test_prefecture_keys_match_the_demand_table():
    pref = datasets.boundaries("prefecture")
    demand = datasets.prefectures()
    assert demand.index.isin(pref.index).all()
    extra = sorted(set(pref.index) - set(demand.index))
    assert extra == ["710000", "810000", "820000"]  # Taiwan, Hong Kong, Macau


def test_fresh_copies():
    a = datasets.boundaries("province")
    a.loc["110000", "name"] = "changed"
    assert datasets.boundaries("province").loc["110000", "name"] == "北京市"


@pytest.mark.parametrize("level", ["county", "", None, 3, "Province "])
def test_unknown_level(level):
    with pytest.raises(SpecificationError, match="boundary level") as err:
        datasets.boundaries(level)
    assert "province" in str(err.value)
    assert isinstance(err.value, BorderhubError)


def test_demand_points_inside_their_prefecture():
    """Every demand point lies in its own polygon, except the reasoned list above."""
    demand = datasets.prefectures()
    outside = _outside(demand, demand.index, "lon", "lat")
    assert outside == {k: v[1] for k, v in OUTSIDE_OWN_POLYGON.items()}
    names = demand.loc[list(OUTSIDE_OWN_POLYGON), "name"].tolist()
    assert names == [v[0] for v in OUTSIDE_OWN_POLYGON.values()]
    quality = demand.loc[list(OUTSIDE_OWN_POLYGON), "coord_quality"]
    assert quality.str.startswith("proxy").all()


def test_candidates_inside_their_prefecture():
    cand = datasets.candidates()
    assert _outside(cand, cand["prefecture_adcode"], "lon", "lat") == {}


def test_datum_is_wgs84_after_conversion():
    """The layers are WGS84: the WGS84 points fit them at least as well as the GCJ-02 ones.

    The source polygons are GCJ-02 (Amap); the build converts them to WGS84. Points in the
    wrong datum sit 0.1-0.7 km off, which moves 丹东's point (1 km from the Yalu river)
    out of its prefecture; every point that fits in GCJ-02 also fits in WGS84.
    """
    demand = datasets.prefectures()
    wgs = _outside(demand, demand.index, "lon", "lat")
    gcj = _outside(demand, demand.index, "lon_gcj02", "lat_gcj02")
    assert set(wgs) < set(gcj)
    assert "210600" in set(gcj) - set(wgs)
    # the offset between the two point sets is the GCJ-02 one (hundreds of metres)
    shift = np.hypot(demand["lon_gcj02"] - demand["lon"], demand["lat_gcj02"] - demand["lat"])
    assert 0.001 < shift.median() < 0.01


def test_border_ports_near_the_border_inside_their_province():
    """Sourced port points lie on China's land border; every point lies in its province."""
    ports = datasets.border_ports()
    china = datasets.boundaries("country").geometry.iloc[0]
    prov = datasets.boundaries("province")
    metric = ports.to_crs(3857)
    scale = np.cos(np.radians(ports["lat"].to_numpy()))  # Web Mercator -> ground km
    outline = gpd.GeoSeries([china.boundary], crs=4326).to_crs(3857).iloc[0]
    shape = gpd.GeoSeries([china], crs=4326).to_crs(3857).iloc[0]
    to_border = metric.distance(outline).to_numpy() / 1000 * scale
    outside = metric.distance(shape).to_numpy() / 1000 * scale
    own = ports["point_sourced"].to_numpy()
    # a port of entry a source places inland (伊尔克什坦: 3 km west of the 乌恰 county seat
    # since 2011) is not on the border; every other sourced point is
    inland = ports["point_of"].str.startswith("port of entry inland").to_numpy()
    far = ports.index[own & ~inland & (to_border > 7)].tolist()
    assert not far, f"sourced port points more than 7 km from the border: {far}"
    assert ports.index[inland].tolist() == ["irkeshtam"]
    assert (to_border[inland] < 160).all() and (to_border[inland] > 50).all()
    assert (outside[own] < 1.5).all()  # bridge and pass points may sit on the line itself
    assert (outside[~own] == 0).all() and (to_border[~own] < 160).all()
    names = prov["name"]
    for pid, row in ports.iterrows():
        code = names.index[names.str.startswith(row["province"])]
        assert len(code) == 1, pid
        poly = gpd.GeoSeries([prov.geometry.loc[code[0]]], crs=4326).to_crs(3857).iloc[0]
        km = metric.geometry.loc[pid].distance(poly) / 1000 * scale[ports.index.get_loc(pid)]
        assert km < 1.5, f"{pid} lies {km:.1f} km outside {row['province']}"
