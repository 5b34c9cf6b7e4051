"""Tests of borderhub.geo: distances, coordinate systems and great circles."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point

from borderhub.exceptions import DataError, SpecificationError
from borderhub.geo import (
    bd09_to_gcj02,
    distance_matrix,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    great_circle,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")

# Published test vectors of the reference GCJ-02 implementation (eviltransform),
# as (wgs_lat, wgs_lng, gcj_lat, gcj_lng).
EVILTRANSFORM = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]

# coordtransform (wandergis) README reference values at (116.404, 39.915).
CT_GCJ_TO_BD = (116.41036949371029, 39.92133699351021)
CT_BD_TO_GCJ = (116.39762729119315, 39.90865673957631)  # its approximate inverse
CT_WGS_TO_GCJ = (116.41024449916938, 39.91640428150164)


def frame(points, crs="EPSG:4326", index=None):
    return gpd.GeoDataFrame(
        {"v": range(len(points))},
        geometry=[Point(p) for p in points],
        crs=crs,
        index=index,
    )


CITIES = {
    "beijing": (116.391, 39.907),
    "shanghai": (121.473, 31.230),
    "kunming": (102.833, 24.880),
    "urumqi": (87.617, 43.825),
}


# -- distance_matrix --------------------------------------------------------------------


def test_geodesic_matches_pyproj_on_known_pairs():
    g = frame(list(CITIES.values()), index=list(CITIES))
    d = distance_matrix(g, g)
    assert list(d.index) == list(CITIES) and list(d.columns) == list(CITIES)
    for a, pa in CITIES.items():
        for b, pb in CITIES.items():
            _, _, metres = GEOD.inv(pa[0], pa[1], pb[0], pb[1])
            assert d.loc[a, b] == pytest.approx(metres / 1000.0, abs=1e-9)
    # a well-known figure: Beijing-Shanghai about 1,067 km
    assert 1060 < d.loc["beijing", "shanghai"] < 1075


def test_accepts_arrays_dataframes_and_other_crs():
    pts = np.array(list(CITIES.values()))
    d_arr = distance_matrix(pts, pts)
    assert isinstance(d_arr.index, pd.RangeIndex)
    df = pd.DataFrame(pts, columns=["lon", "lat"], index=list(CITIES))
    d_df = distance_matrix(df, df)
    np.testing.assert_allclose(d_df.to_numpy(), d_arr.to_numpy())
    g = frame(list(CITIES.values()), index=list(CITIES)).to_crs("EPSG:3857")
    d_3857 = distance_matrix(g, g)  # transformed to lon/lat for geodesic
    np.testing.assert_allclose(d_3857.to_numpy(), d_arr.to_numpy(), atol=1e-6)


def test_euclidean_on_projected_crs_in_km():
    g = gpd.GeoDataFrame(geometry=[Point(0, 0), Point(3000, 4000)], crs="EPSG:32650")
    d = distance_matrix(g, g, method="euclidean")
    assert d.iloc[0, 1] == pytest.approx(5.0)


def test_euclidean_refused_on_degrees():
    g = frame(list(CITIES.values()))
    with pytest.raises(DataError, match="geographic CRS"):
        distance_matrix(g, g, method="euclidean")
    with pytest.raises(DataError, match="projected CRS"):
        distance_matrix(np.array([[1.0, 2.0]]), np.array([[1.0, 2.0]]), method="euclidean")


def test_crs_mismatch_and_missing_crs():
    a = frame([(116.0, 40.0)])
    b = frame([(116.0, 40.0)]).to_crs("EPSG:3857")
    with pytest.raises(DataError, match=r"different CRS.*to_crs"):
        distance_matrix(a, b)
    no_crs = gpd.GeoDataFrame(geometry=[Point(116, 40)])
    with pytest.raises(DataError, match="no CRS"):
        distance_matrix(no_crs, a)


@pytest.mark.parametrize(
    ("points", "match"),
    [
        ([(116.0, 40.0), (np.nan, 30.0)], "missing or infinite"),
        ([(116.0, 40.0), (np.inf, 30.0)], "missing or infinite"),
        ([(40.0, 116.0)], "swapped"),
    ],
)
def test_bad_coordinates_named(points, match):
    df = pd.DataFrame(points, columns=["lon", "lat"], index=[f"p{i}" for i in range(len(points))])
    with pytest.raises(DataError, match=match) as err:
        distance_matrix(df, df)
    assert f"p{len(points) - 1}" in str(err.value)


def test_duplicate_labels_and_non_points():
    g = frame([(116.0, 40.0), (117.0, 40.0)], index=["a", "a"])
    with pytest.raises(DataError, match=r"duplicate labels \['a'\]"):
        distance_matrix(g, g)
    lines = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    with pytest.raises(DataError, match="point geometries"):
        distance_matrix(lines, lines)


def test_bad_method_and_types():
    with pytest.raises(SpecificationError, match="geodesic"):
        distance_matrix(np.zeros((1, 2)), np.zeros((1, 2)), method="manhattan")
    with pytest.raises(DataError, match=r"shape \(n, 2\)"):
        distance_matrix(np.zeros((2, 3)), np.zeros((1, 2)))
    with pytest.raises(DataError, match="lacks columns"):
        distance_matrix(pd.DataFrame({"x": [1.0]}), np.zeros((1, 2)))


def test_inputs_not_modified():
    g = frame(list(CITIES.values()), index=list(CITIES)).to_crs("EPSG:3857")
    before = g.copy()
    distance_matrix(g, g)
    pd.testing.assert_frame_equal(g, before)
    assert g.crs == before.crs


def test_empty_inputs_give_empty_matrix():
    d = distance_matrix(np.zeros((0, 2)), np.array([[1.0, 2.0]]))
    assert d.shape == (0, 1)


def test_large_blocks_match_small():
    rng = np.random.default_rng(1)
    a = np.column_stack([rng.uniform(73, 135, 700), rng.uniform(18, 54, 700)])
    b = np.column_stack([rng.uniform(73, 135, 3500), rng.uniform(18, 54, 3500)])
    d = distance_matrix(a, b).to_numpy()  # more than one row block
    i, j = 650, 3400
    _, _, m = GEOD.inv(a[i, 0], a[i, 1], b[j, 0], b[j, 1])
    assert d[i, j] == pytest.approx(m / 1000.0)


lonlat = st.tuples(st.floats(-180, 180, allow_nan=False), st.floats(-89.9, 89.9, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.lists(lonlat, min_size=3, max_size=3))
def test_distance_symmetry_and_triangle_inequality(pts):
    d = distance_matrix(np.array(pts), np.array(pts)).to_numpy()
    np.testing.assert_allclose(d, d.T, atol=1e-6)
    assert np.all(np.diag(d) < 1e-6)
    assert d[0, 2] <= d[0, 1] + d[1, 2] + 1e-6


# -- GCJ-02 / BD-09 ---------------------------------------------------------------------


@pytest.mark.parametrize(("wlat", "wlon", "glat", "glon"), EVILTRANSFORM)
def test_gcj02_reference_vectors(wlat, wlon, glat, glon):
    lon, lat = wgs84_to_gcj02(wlon, wlat)
    assert (lon, lat) == pytest.approx((glon, glat), abs=1e-9)
    back = gcj02_to_wgs84(glon, glat)
    assert back == pytest.approx((wlon, wlat), abs=1e-7)


def test_coordtransform_reference_values():
    assert wgs84_to_gcj02(116.404, 39.915) == pytest.approx(CT_WGS_TO_GCJ, abs=1e-9)
    assert gcj02_to_bd09(116.404, 39.915) == pytest.approx(CT_GCJ_TO_BD, abs=1e-9)
    # coordtransform's BD-09 inverse is the one-step approximation; ours iterates to exact,
    # so it agrees to within its approximation error (~1e-5 degrees, about a metre).
    assert bd09_to_gcj02(116.404, 39.915) == pytest.approx(CT_BD_TO_GCJ, abs=2e-5)
    assert gcj02_to_bd09(*bd09_to_gcj02(116.404, 39.915)) == pytest.approx(
        (116.404, 39.915), abs=1e-9
    )


china = st.tuples(st.floats(73.5, 134.5), st.floats(18.5, 53.5))


@settings(max_examples=200, deadline=None)
@given(china)
def test_round_trips(p):
    lon, lat = p
    g = wgs84_to_gcj02(lon, lat)
    assert gcj02_to_wgs84(*g) == pytest.approx((lon, lat), abs=1e-7)
    w = gcj02_to_wgs84(lon, lat)
    assert wgs84_to_gcj02(*w) == pytest.approx((lon, lat), abs=1e-7)
    b = gcj02_to_bd09(lon, lat)
    assert bd09_to_gcj02(*b) == pytest.approx((lon, lat), abs=1e-7)


def test_offset_is_hundreds_of_metres_in_china():
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(75, 134, 500), rng.uniform(20, 52, 500)
    glon, glat = wgs84_to_gcj02(lon, lat)
    _, _, m = GEOD.inv(lon, lat, glon, glat)
    assert 0 < m.min() and m.max() < 1200


def test_vectorised_arrays_and_outside_china():
    lon = np.array([116.404, 2.35, -74.006])
    lat = np.array([39.915, 48.86, 40.7128])
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert isinstance(glon, np.ndarray) and glon.shape == (3,)
    assert (glon[1:], glat[1:]) == (pytest.approx(lon[1:]), pytest.approx(lat[1:]))
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    assert wlon[1] == 2.35 and wlat[2] == 40.7128
    assert isinstance(gcj02_to_wgs84(116.0, 40.0)[0], float)


def test_converter_inputs_not_modified_and_errors():
    lon = np.array([116.404, 121.47])
    lat = np.array([39.915, 31.23])
    lon0, lat0 = lon.copy(), lat.copy()
    gcj02_to_wgs84(lon, lat)
    wgs84_to_gcj02(lon, lat)
    bd09_to_gcj02(lon, lat)
    np.testing.assert_array_equal(lon, lon0)
    np.testing.assert_array_equal(lat, lat0)
    with pytest.raises(DataError, match="positions \\[1\\]"):
        wgs84_to_gcj02([116.0, np.nan], [40.0, 30.0])
    with pytest.raises(DataError, match="swapped"):
        gcj02_to_wgs84(40.0, 116.0)
    with pytest.raises(DataError, match="shape"):
        gcj02_to_bd09([1.0, 2.0], [1.0])
    with pytest.raises(DataError, match="numbers"):
        wgs84_to_gcj02("east", 40.0)


# -- great_circle -----------------------------------------------------------------------


def test_great_circle_points_lie_on_the_geodesic():
    a, b = (116.4, 39.9), (103.8, 1.35)
    (piece,) = great_circle(a, b, n=20)
    assert piece.shape == (20, 2)
    np.testing.assert_allclose(piece[0], a)
    np.testing.assert_allclose(piece[-1], b)
    _, _, total = GEOD.inv(*a, *b)
    _, _, steps = GEOD.inv(piece[:-1, 0], piece[:-1, 1], piece[1:, 0], piece[1:, 1])
    assert steps.sum() == pytest.approx(total, rel=1e-9)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((121.47, 31.23), (-118.24, 34.05)),
        ((-118.24, 34.05), (121.47, 31.23)),
        ((151.2, -33.9), (-149.6, -17.5)),
    ],
)
def test_great_circle_split_at_antimeridian(a, b):
    pieces = great_circle(a, b, n=80)
    assert len(pieces) == 2
    first, second = pieces
    assert abs(first[-1, 0]) == 180.0 and second[0, 0] == -first[-1, 0]
    assert first[-1, 1] == second[0, 1]
    for p in pieces:  # no jump across the map inside a piece
        assert np.all(np.abs(np.diff(p[:, 0])) < 180)
    np.testing.assert_allclose(first[0], a)
    np.testing.assert_allclose(second[-1], b)


def test_great_circle_errors():
    with pytest.raises(SpecificationError, match="at least 2"):
        great_circle((0, 0), (1, 1), n=1)
    with pytest.raises(DataError, match="swapped"):
        great_circle((0, 100), (1, 1))
    with pytest.raises(DataError, match="pair"):
        great_circle("nowhere", (1, 1))


def test_as_points_one_rule_for_polygons_everywhere():
    from shapely.geometry import Point, Polygon

    from borderhub.geo import as_points
    from borderhub.locate import PMedian

    # a crescent: its centroid lies outside, the representative point inside
    crescent = Polygon([(100, 30), (104, 30), (104, 34), (100, 34), (100, 33), (103, 33),
                        (103, 31), (100, 31)])  # fmt: skip
    areas = gpd.GeoDataFrame(
        {"w": [1.0, 2.0]}, geometry=[crescent, Point(110.0, 35.0)], index=["a", "b"],
        crs="EPSG:4326",
    )  # fmt: skip
    pts = as_points(areas.to_crs("EPSG:3857"), "demand")
    assert pts.crs.to_epsg() == 4326 and list(pts.index) == ["a", "b"]
    assert crescent.contains(pts.geometry["a"]) and not crescent.contains(crescent.centroid)
    assert areas.geometry["a"].geom_type == "Polygon"  # the input is not modified
    # the models, distance_matrix and to_geodataframe accept what the maps draw
    d = distance_matrix(areas, areas)
    np.testing.assert_allclose(d.to_numpy(), distance_matrix(pts, pts).to_numpy())
    sol = PMedian.from_geodataframe(areas, areas, weight="w", p=1).solve()
    assert list(sol.open) == ["b"]
    assert sol.to_geodataframe().geom_type.eq("Point").all()
    with pytest.raises(DataError, match="no CRS"):
        as_points(areas.set_crs(None, allow_override=True))
    with pytest.raises(DataError, match="must be a GeoDataFrame"):
        as_points(pd.DataFrame({"lon": [1.0], "lat": [2.0]}))
