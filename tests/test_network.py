"""Network distances (borderhub.network): bounds, known pairs, snapping, cache, sea lanes.

Reference points are city centres (WGS84). The bands of the known pairs are wide enough for
a simplified network and tight enough to catch a wrong path: each lies between the geodesic
distance and a circuity a real line cannot exceed there.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from borderhub import datasets, geo, network
from borderhub.exceptions import DataError, SpecificationError

PLACES = {
    "哈尔滨": (126.535, 45.803),
    "满洲里": (117.379, 49.598),
    "二连浩特": (111.977, 43.653),
    "Ulaanbaatar": (106.917, 47.918),
    "南宁": (108.366, 22.817),
    "Hanoi": (105.834, 21.028),
    "丹东": (124.354, 40.000),
    "Pyongyang": (125.754, 39.039),
    "昆明": (102.833, 24.880),
    "Vientiane": (102.633, 17.975),
}
SHANGHAI, ROTTERDAM = (121.47, 31.23), (4.48, 51.92)
#: a point in each strait the Shanghai-Rotterdam sea route must pass
MALACCA = (100.9, 2.6)  # the strait between Port Dickson and Dumai
SUEZ = (32.55, 30.0)  # the canal, south of Ismailia


def _frame(names):
    return pd.DataFrame(
        {"lon": [PLACES[n][0] for n in names], "lat": [PLACES[n][1] for n in names]},
        index=list(names),
    )


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    """No test writes to the user's cache directory."""
    monkeypatch.setenv(network.CACHE_ENV, str(tmp_path / "cache"))


# --------------------------------------------------------------------------------------
# import cost and the extra
# --------------------------------------------------------------------------------------


def test_import_reads_no_network_data():
    code = (
        "import sys, borderhub, borderhub.network as n; "
        "assert n._load.cache_info().currsize == 0; "
        "print(sorted(m for m in ('scgraph_data', 'searoute', 'scgraph', 'scipy.sparse.csgraph') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_missing_extra_is_named(monkeypatch):
    real = network.util.find_spec
    monkeypatch.setattr(
        network.util, "find_spec", lambda name, *a: None if name == "searoute" else real(name, *a)
    )
    with pytest.raises(SpecificationError, match=r"borderhub\[network\]"):
        network.route(SHANGHAI, ROTTERDAM, "sea")
    with pytest.raises(SpecificationError, match=r"borderhub\[network\]"):
        geo.distance_matrix(np.array([SHANGHAI]), np.array([ROTTERDAM]), method="sea")


# --------------------------------------------------------------------------------------
# known pairs and the geodesic bound
# --------------------------------------------------------------------------------------

PAIRS = [
    # (origin, destination, mode, low km, high km)
    ("哈尔滨", "满洲里", "rail", 880, 1000),  # the Binzhou line, 935 km by timetable
    ("二连浩特", "Ulaanbaatar", "rail", 650, 760),  # the Trans-Mongolian line
    ("南宁", "Hanoi", "rail", 360, 450),  # via 凭祥 / Đồng Đăng
    ("丹东", "Pyongyang", "rail", 200, 280),  # via Sinuiju
    ("昆明", "Vientiane", "rail", 950, 1100),  # the China-Laos railway
    ("南宁", "Hanoi", "road", 340, 450),
    ("丹东", "Pyongyang", "road", 180, 280),
]


@pytest.mark.parametrize(("a", "b", "mode", "low", "high"), PAIRS)
def test_known_pairs(a, b, mode, low, high):
    d = network.distance_matrix(_frame([a]), _frame([b]), mode)
    km = float(d.loc[a, b])
    g = float(geo.distance_matrix(_frame([a]), _frame([b])).loc[a, b])
    assert km >= g
    assert low <= km <= high, f"{a}-{b} by {mode}: {km:.1f} km"
    assert d.attrs["mode"] == mode and "OpenStreetMap" in d.attrs["licence"]


def test_route_matches_matrix_and_follows_the_line():
    r = network.route(PLACES["昆明"], PLACES["Vientiane"], "rail")
    d = network.distance_matrix(_frame(["昆明"]), _frame(["Vientiane"]), "rail")
    assert r.length_km == pytest.approx(float(d.iloc[0, 0]), rel=1e-9)
    # the line runs south through Xishuangbanna / Boten, not round through Vietnam
    xy = np.asarray(r.geometry.coords)
    assert xy[:, 0].max() < 103.5 and xy[0].tolist() == list(PLACES["昆明"])
    assert r.geometry.length > 0 and r.passages == ()


def test_network_distance_never_below_geodesic():
    names = list(PLACES)
    for mode in ("rail", "road"):
        d = network.distance_matrix(_frame(names), _frame(names), mode, cache=False)
        g = geo.distance_matrix(_frame(names), _frame(names))
        ok = d.notna().to_numpy()
        assert (d.to_numpy()[ok] >= g.to_numpy()[ok] - 1e-9).all(), mode
        assert np.allclose(np.diag(d.to_numpy()), 2 * d.attrs["origin_snap_km"].to_numpy())


@pytest.fixture(scope="module")
def national_road():
    """The 367 prefecture-level units x 60 candidates road matrix and its geodesic peer."""
    demand, cand = datasets.prefectures(), datasets.candidates()
    # 三沙 (South China Sea islands) lies about 300 km from any road: allow that access leg
    d = network.distance_matrix(demand, cand, "road", max_snap_km=320, cache=False)
    return d, geo.distance_matrix(demand, cand)


@pytest.mark.slow
def test_national_road_circuity(national_road):
    d, g = national_road
    assert (d.index.equals(g.index)) and d.columns.equals(g.columns)
    ok = d.notna().to_numpy()
    dv, gv = d.to_numpy(), g.to_numpy()
    assert (dv[ok] >= gv[ok] - 1e-9).all()
    far = ok & (gv > 50)  # circuity of the pairs that are not next door
    ratio = dv[far] / gv[far]
    assert np.mean((ratio >= 1.0) & (ratio <= 2.0)) >= 0.95
    assert 1.05 < np.median(ratio) < 1.4
    # every unreachable pair has an end on an island the road snapshot does not link:
    # Hainan (46xxxx, 三沙 included) or the Zhoushan archipelago (3309xx)
    rows, cols = np.nonzero(~ok)
    island = ("46", "3309")
    ends = zip(d.index[rows], d.columns[cols], strict=True)
    assert all(o.startswith(island) or c.startswith(island) for o, c in ends)
    assert (~ok).sum() < 0.12 * ok.size


# --------------------------------------------------------------------------------------
# snapping and the cache
# --------------------------------------------------------------------------------------


def test_snapping_limit_refuses_and_reports():
    sea_point = pd.DataFrame({"lon": [150.0], "lat": [20.0]}, index=["pacific"])
    with pytest.raises(DataError, match=r"max_snap_km=100 km .*'pacific' \([\d,.]+ km\)"):
        network.distance_matrix(_frame(["哈尔滨"]), sea_point, "rail")
    # the same point is accepted once the limit allows its access leg, and the leg counts
    d = network.distance_matrix(_frame(["哈尔滨"]), _frame(["满洲里"]), "rail", max_snap_km=5)
    snaps = [d.attrs["origin_snap_km"]["哈尔滨"], d.attrs["destination_snap_km"]["满洲里"]]
    assert all(0 < s < 5 for s in snaps)
    path = network.route(PLACES["哈尔滨"], PLACES["满洲里"], "rail").geometry
    assert float(d.iloc[0, 0]) >= sum(snaps) + path.length * 0  # snap legs are included
    assert network.route(PLACES["哈尔滨"], PLACES["满洲里"], "rail").origin_snap_km == snaps[0]
    with pytest.raises(DataError, match="max_snap_km=0.1"):
        network.distance_matrix(_frame(["哈尔滨"]), _frame(["满洲里"]), "rail", max_snap_km=0.1)


def test_cache_hit_is_identical_and_skips_the_network(tmp_path, monkeypatch):
    names = ["哈尔滨", "满洲里", "二连浩特", "Ulaanbaatar"]
    first = network.distance_matrix(_frame(names), _frame(names), "rail", cache=tmp_path)
    files = list((tmp_path / "network").glob("rail-*.npz"))
    assert len(files) == 1

    def no_network(*args, **kwargs):
        raise AssertionError("the network was loaded although the result is cached")

    monkeypatch.setattr(network, "_network", no_network)
    again = network.distance_matrix(_frame(names), _frame(names), "rail", cache=tmp_path)
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    pd.testing.assert_series_equal(
        again.attrs["origin_snap_km"], first.attrs["origin_snap_km"], check_exact=True
    )
    # other labels, same coordinates: the cached numbers under the new labels
    renamed = _frame(names).set_axis(list("abcd"))
    third = network.distance_matrix(renamed, renamed, "rail", cache=tmp_path)
    assert np.array_equal(third.to_numpy(), first.to_numpy(), equal_nan=True)
    assert list(third.index) == list("abcd")
    # a stricter limit still applies to a cached result
    with pytest.raises(DataError, match="max_snap_km"):
        network.distance_matrix(
            _frame(names), _frame(names), "rail", cache=tmp_path, max_snap_km=0.01
        )
    # different points: a miss, so the (disabled) network is asked for
    with pytest.raises(AssertionError, match="cached"):
        network.distance_matrix(_frame(names[:2]), _frame(names), "rail", cache=tmp_path)


def test_cache_location_and_no_write_when_disabled(tmp_path, monkeypatch):
    monkeypatch.setenv(network.CACHE_ENV, str(tmp_path / "mine"))
    assert network.cache_dir() == tmp_path / "mine"
    network.distance_matrix(_frame(["南宁"]), _frame(["Hanoi"]), "rail", cache=False)
    assert not (tmp_path / "mine").exists()
    network.distance_matrix(_frame(["南宁"]), _frame(["Hanoi"]), "rail")
    assert len(list((tmp_path / "mine" / "network").glob("rail-*.npz"))) == 1
    monkeypatch.delenv(network.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert network.cache_dir() == tmp_path / "xdg" / "borderhub"


def test_inputs_not_mutated():
    a, b = _frame(["南宁", "昆明"]), _frame(["Hanoi"])
    a0, b0 = a.copy(), b.copy()
    network.distance_matrix(a, b, "rail", cache=False)
    pd.testing.assert_frame_equal(a, a0)
    pd.testing.assert_frame_equal(b, b0)


def test_geo_distance_matrix_method_choice():
    a, b = _frame(["南宁"]), _frame(["Hanoi"])
    via_geo = geo.distance_matrix(a, b, method="rail")
    direct = network.distance_matrix(a, b, "rail")
    pd.testing.assert_frame_equal(via_geo, direct)
    assert float(via_geo.iloc[0, 0]) > float(geo.distance_matrix(a, b).iloc[0, 0])


# --------------------------------------------------------------------------------------
# sea lanes
# --------------------------------------------------------------------------------------


def _near(line, lonlat, km):
    """Whether the route passes within ``km`` of a point (degrees, generously converted)."""
    return line.distance(Point(lonlat)) * 111.0 <= km


def test_shanghai_rotterdam_passes_malacca_and_suez():
    r = network.route(SHANGHAI, ROTTERDAM, "sea")
    assert _near(r.geometry, MALACCA, 150) and _near(r.geometry, SUEZ, 50)
    assert r.passages[:3] == ("malacca", "babalmandab", "suez")
    assert 19_000 < r.length_km < 21_500
    g = float(geo.distance_matrix(np.array([SHANGHAI]), np.array([ROTTERDAM])).iloc[0, 0])
    assert r.length_km > g
    # opened, the Arctic is shorter: which is why it is closed by default
    arctic = network.route(SHANGHAI, ROTTERDAM, "sea", avoid=())
    assert arctic.length_km < r.length_km and "bering" in arctic.passages
    assert not _near(arctic.geometry, SUEZ, 500)
    d = network.distance_matrix(np.array([SHANGHAI]), np.array([ROTTERDAM]), "sea")
    assert float(d.iloc[0, 0]) == pytest.approx(r.length_km, rel=1e-9)
    assert d.attrs["avoid"] == ["bering", "northwest"]


def test_closing_suez_goes_the_long_way():
    r = network.route(SHANGHAI, ROTTERDAM, "sea", avoid=["bering", "northwest", "suez"])
    assert "suez" not in r.passages and not _near(r.geometry, SUEZ, 500)
    assert {"panama", "south_africa"} & set(r.passages)
    assert r.length_km > network.route(SHANGHAI, ROTTERDAM, "sea").length_km + 3000


# --------------------------------------------------------------------------------------
# border crossings
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["rail", "road"])
def test_border_crossings_lie_on_the_boundary_near_the_ports(mode):
    found = network.border_crossings(mode)
    assert found.crs.to_epsg() == 4326 and (found["mode"] == mode).all()
    china = shapely.union_all(datasets.boundaries("country").geometry.to_numpy())
    edge = shapely.boundary(china)
    # each crossing is on the boundary line; its edge's ends lie on either side
    assert (shapely.distance(found.geometry.to_numpy(), edge) < 1e-6).all()
    inside = shapely.contains_xy(china, found["inside_lon"], found["inside_lat"])
    outside = shapely.contains_xy(china, found["outside_lon"], found["outside_lat"])
    assert inside.all() and not outside.any()
    # the land ports with a sourced point of this mode have a crossing within 20 km (the
    # sourced point is often the port's inspection site, some km inside the border, and
    # simplified mountain roads cross the line where their straightened edge does)
    ports = datasets.border_ports()
    sourced = ports[ports["point_sourced"] & ports["mode"].str.contains(mode)]
    assert len(sourced) >= 3
    d = geo.distance_matrix(sourced, found[["lon", "lat"]].reset_index(drop=True))
    near = d.min(axis=1)
    # most of them: a sourced point may be an inspection site far inside (伊尔克什坦's
    # lies about 75 km from the road crossing)
    assert (near < 20).mean() >= 0.8, near.round(1).to_dict()
    assert near.median() < 5
