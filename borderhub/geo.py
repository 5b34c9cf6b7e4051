"""Distances and coordinate systems.

Three things every borderhub analysis needs:

* :func:`distance_matrix` -- vectorised geodesic distances (km) between two sets of points
  on the WGS84 ellipsoid, labelled by both indexes; planar Euclidean distance only for
  projected coordinates.
* Converters between the coordinate systems used on Chinese maps: WGS84 (GPS, OpenStreetMap),
  GCJ-02 (the offset system mandated for Chinese web maps: Amap/Gaode, Tencent, Tianditu's
  Chinese tiles are *not*, they are CGCS2000 ~ WGS84) and BD-09 (Baidu's further offset of
  GCJ-02). See :func:`gcj02_to_wgs84` for the conventions.
* :func:`as_points` -- the one rule by which a GeoDataFrame becomes WGS84 points (polygons
  by their representative point), used by the models, the maps and the readers.
* :func:`great_circle` -- points along the geodesic between two places, split at the
  antimeridian, for drawing corridors.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Geod

from borderhub._lonlat import check_lonlat, point_geometry, read_points, short
from borderhub.exceptions import DataError, SpecificationError

__all__ = [
    "as_points",
    "distance_matrix",
    "gcj02_to_wgs84",
    "wgs84_to_gcj02",
    "bd09_to_gcj02",
    "gcj02_to_bd09",
    "great_circle",
]

_GEOD = Geod(ellps="WGS84")
_METHODS = ("geodesic", "euclidean", "road", "rail", "sea")
_NETWORK_METHODS = ("road", "rail", "sea")

# Constants of the published GCJ-02 obfuscation (Krasovsky 1940 ellipsoid).
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
# BD-09 constant (Baidu).
_BD_X_PI = np.pi * 3000.0 / 180.0

#: Rectangle outside which GCJ-02 equals WGS84 by convention (the usual "out of China" test).
CHINA_BBOX = (72.004, 0.8293, 137.8347, 55.8271)


# ----------------------------------------------------------------------------------------
# Points from the many forms callers hand in
# ----------------------------------------------------------------------------------------


def _labels_of(obj: Any, n: int) -> pd.Index:
    if isinstance(obj, pd.DataFrame | pd.Series):
        return obj.index
    return pd.RangeIndex(n)


def as_points(frame: Any, role: str = "frame") -> gpd.GeoDataFrame:
    """The points that stand for the rows of a GeoDataFrame, in WGS84 lon/lat.

    The one rule borderhub applies wherever places enter as geometries (the models'
    ``from_geodataframe``, :func:`distance_matrix`, the maps, :func:`borderhub.io.read_points`):

    * the frame is reprojected to EPSG:4326 (WGS84 lon/lat) when its CRS differs;
    * a point stays as it is;
    * a polygon or multipolygon (an administrative area, a district) is represented by its
      **representative point** (:meth:`geopandas.GeoSeries.representative_point`, taken on
      the WGS84 coordinates), which always lies inside the area -- unlike the centroid of a
      crescent or of a multi-part area such as an island prefecture;
    * other geometry types (lines, collections) are refused.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame or geopandas.GeoSeries
        With a CRS, unique labels and no missing or empty geometry.
    role : str, default "frame"
        What the frame is ("demand", "candidates" ...), used in error messages.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame (the input is not modified) with the same index and columns, point
        geometry in EPSG:4326.

    Raises
    ------
    DataError
        Not a GeoDataFrame, no CRS, duplicate labels, missing or empty geometry, lines,
        or coordinates outside lon [-180, 180] / lat [-90, 90] after reprojection.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> from borderhub.geo import as_points
    >>> areas = gpd.GeoDataFrame({"name": ["square", "site"]},
    ...     geometry=[box(100.0, 30.0, 102.0, 32.0), Point(110.0, 35.0)],
    ...     index=["a", "b"], crs="EPSG:4326")
    >>> pts = as_points(areas)
    >>> pts.geometry.geom_type.tolist(), pts.crs.to_epsg()
    (['Point', 'Point'], 4326)
    >>> [round(float(v), 3) for v in (pts.geometry.x["a"], pts.geometry.y["a"])]
    [101.0, 31.0]
    """
    if isinstance(frame, gpd.GeoSeries):
        frame = gpd.GeoDataFrame(geometry=frame)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise DataError(
            f"{role} must be a GeoDataFrame with a CRS, got {type(frame).__name__}; build one "
            "with geopandas.GeoDataFrame(df, geometry=geopandas.points_from_xy(df.lon, "
            "df.lat), crs='EPSG:4326')"
        )
    if frame.crs is None:
        raise DataError(
            f"{role} has no CRS; set one first, e.g. `{role}.set_crs('EPSG:4326')` for "
            "lon/lat in degrees (WGS84)."
        )
    if frame.index.has_duplicates:
        dup = list(pd.unique(frame.index[frame.index.duplicated()])[:10])
        raise DataError(f"{role} has duplicate labels {dup}; make the index unique.")
    geoms = frame.geometry
    bad = (geoms.isna() | geoms.is_empty).to_numpy()
    if bad.any():
        raise DataError(
            f"{role} has missing or empty geometry for labels {list(frame.index[bad][:10])}; "
            "drop or fix those rows."
        )
    if not CRS(frame.crs).equals(CRS("EPSG:4326")):
        geoms = geoms.to_crs("EPSG:4326")
    geoms = point_geometry(geoms, role)
    x = np.asarray(geoms.x, dtype=float)
    y = np.asarray(geoms.y, dtype=float)
    check_lonlat(x, y, frame.index, role, at="for labels", limit=10)
    out = frame.copy()
    return out.set_geometry(gpd.GeoSeries(geoms.to_numpy(), index=frame.index, crs="EPSG:4326"))


def _check_crs_pair(origins: Any, destinations: Any, method: str) -> float:
    """Validate the CRS of both inputs; return the km factor of projected units."""
    o_crs = getattr(origins, "crs", None)
    d_crs = getattr(destinations, "crs", None)
    o_geo = isinstance(origins, gpd.GeoDataFrame | gpd.GeoSeries)
    d_geo = isinstance(destinations, gpd.GeoDataFrame | gpd.GeoSeries)
    if o_geo and d_geo and o_crs is not None and d_crs is not None:
        if not CRS(o_crs).equals(CRS(d_crs)):
            raise DataError(
                f"origins and destinations have different CRS ({CRS(o_crs).to_string()} vs "
                f"{CRS(d_crs).to_string()}); reproject one with "
                f"`destinations.to_crs({CRS(o_crs).to_string()!r})`."
            )
    if method != "euclidean":
        return 1.0
    for role, obj in (("origins", origins), ("destinations", destinations)):
        crs = getattr(obj, "crs", None)
        if crs is not None and CRS(crs).is_geographic:
            raise DataError(
                f"{role} has a geographic CRS ({CRS(crs).to_string()}); Euclidean distance on "
                "degrees is meaningless. Use method='geodesic', or project first with "
                "`.to_crs(...)` (e.g. a UTM zone or an equal-distance projection)."
            )
    if o_crs is None and d_crs is None:
        return 1.0  # read_points() rejects plain lon/lat input for Euclidean distance
    crs = CRS(o_crs if o_crs is not None else d_crs)
    unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    return unit / 1000.0


def _geodesic_rows(
    ox: np.ndarray, oy: np.ndarray, dx: np.ndarray, dy: np.ndarray, out: np.ndarray
) -> None:
    k, m = out.shape
    _, _, metres = _GEOD.inv(np.repeat(ox, m), np.repeat(oy, m), np.tile(dx, k), np.tile(dy, k))
    out[:] = np.asarray(metres).reshape(k, m) / 1000.0


def _geodesic_blocks(
    ox: np.ndarray, oy: np.ndarray, dx: np.ndarray, dy: np.ndarray, out: np.ndarray
) -> None:
    """Fill ``out`` (n x m) with geodesic km, in row blocks spread over threads.

    pyproj releases the GIL inside ``Geod.inv``, so threads give real parallelism; blocks
    bound the temporary arrays to about a quarter of a million pairs each.
    """
    n, m = out.shape
    block = max(1, 250_000 // m)
    starts = range(0, n, block)
    workers = min(len(starts), os.cpu_count() or 1, 8)
    if workers <= 1:
        for s in starts:
            e = min(n, s + block)
            _geodesic_rows(ox[s:e], oy[s:e], dx, dy, out[s:e])
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                _geodesic_rows, ox[s : s + block], oy[s : s + block], dx, dy, out[s : s + block]
            )
            for s in starts
        ]
        for f in futures:
            f.result()


def distance_matrix(
    origins: Any,
    destinations: Any,
    method: str = "geodesic",
) -> pd.DataFrame:
    """Distances in kilometres between every origin and every destination.

    Parameters
    ----------
    origins, destinations : GeoDataFrame, GeoSeries, DataFrame or array-like
        Points. A GeoDataFrame or GeoSeries must carry a CRS (any CRS pyproj understands;
        both must be the same). A plain DataFrame needs ``lon`` and ``lat`` columns in WGS84
        degrees; an ``(n, 2)`` array holds lon, lat in WGS84 degrees. Labels are taken from
        the index (positions 0..n-1 for arrays) and must be unique.
    method : {"geodesic", "euclidean", "road", "rail", "sea"}, default "geodesic"
        ``"geodesic"``: the shortest path on the WGS84 ellipsoid (Karney's algorithm, through
        :class:`pyproj.Geod`); inputs in another CRS are transformed to EPSG:4326 first.
        ``"euclidean"``: straight-line distance in the plane of a *projected* CRS, converted
        from the CRS's linear unit to km; refused for geographic coordinates.
        ``"road"``, ``"rail"``, ``"sea"``: the shortest path over the OpenStreetMap road or
        rail network or the sea lanes, through :func:`borderhub.network.distance_matrix`
        with its defaults (NaN where the network does not connect two points); these need
        the optional extra ``network`` (``pip install "borderhub[network]"``).

    Returns
    -------
    pandas.DataFrame
        ``float64`` distances in km; index = the origins' labels, columns = the
        destinations' labels.

    Raises
    ------
    DataError
        Missing or mismatched CRS, non-point geometries, NaN / infinite / out-of-range
        coordinates, duplicate labels, or Euclidean distance asked of degrees.
    SpecificationError
        Unknown ``method``, or a network method without the extra ``network`` installed.

    Notes
    -----
    The computation is vectorised (no Python loop per pair): row blocks of about 250,000
    pairs go to :meth:`pyproj.Geod.inv`, which releases the GIL, on a few threads. The
    inputs are never modified.

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.geo import distance_matrix
    >>> beijing, shanghai = (116.391, 39.907), (121.473, 31.230)
    >>> d = distance_matrix(np.array([beijing]), np.array([beijing, shanghai]))
    >>> d.round(1)
         0       1
    0  0.0  1066.8
    """
    if method not in _METHODS:
        raise SpecificationError(
            f"unknown distance method {method!r}; choose one of {list(_METHODS)}."
        )
    if method in _NETWORK_METHODS:
        from borderhub import network

        return network.distance_matrix(origins, destinations, mode=method)
    factor = _check_crs_pair(origins, destinations, method)
    ox, oy, o_labels = read_points(origins, "origins", method)
    dx, dy, d_labels = read_points(destinations, "destinations", method)
    n, m = len(ox), len(dx)
    if method == "euclidean":
        dist = np.hypot(ox[:, None] - dx[None, :], oy[:, None] - dy[None, :]) * factor
    else:
        dist = np.empty((n, m), dtype=float)
        if n and m:
            _geodesic_blocks(ox, oy, dx, dy, dist)
    return pd.DataFrame(dist, index=o_labels.copy(), columns=d_labels.copy())


# ----------------------------------------------------------------------------------------
# GCJ-02 and BD-09
# ----------------------------------------------------------------------------------------


def _as_arrays(lon: Any, lat: Any, name: str) -> tuple[np.ndarray, np.ndarray, bool]:
    try:
        scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
        x = np.array(lon, dtype=float, ndmin=1)
        y = np.array(lat, dtype=float, ndmin=1)
    except (TypeError, ValueError) as err:
        raise DataError(
            f"{name}: lon and lat must be numbers or numeric arrays, got lon={short(lon)} and "
            f"lat={short(lat)}; convert them first, e.g. with pandas.to_numeric."
        ) from err
    if x.shape != y.shape:
        raise DataError(
            f"{name}: lon has shape {x.shape} but lat has shape {y.shape}; pass one latitude "
            "per longitude (arrays of the same shape)."
        )
    check_lonlat(x, y, np.arange(x.size), name, at="at positions")
    return x, y, scalar


def _ret(x: np.ndarray, y: np.ndarray, scalar: bool) -> tuple[Any, Any]:
    if scalar:
        return float(x[0]), float(y[0])
    return x, y


def _in_china(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = CHINA_BBOX
    return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def _gcj_offset(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 offset (dlon, dlat) in degrees at WGS84 point (x, y)."""
    u, v = x - 105.0, y - 35.0
    dlat = (
        -100.0
        + 2.0 * u
        + 3.0 * v
        + 0.2 * v * v
        + 0.1 * u * v
        + 0.2 * np.sqrt(np.abs(u))
        + (20.0 * np.sin(6.0 * u * np.pi) + 20.0 * np.sin(2.0 * u * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(v * np.pi) + 40.0 * np.sin(v / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(v / 12.0 * np.pi) + 320.0 * np.sin(v * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + u
        + 2.0 * v
        + 0.1 * u * u
        + 0.1 * u * v
        + 0.1 * np.sqrt(np.abs(u))
        + (20.0 * np.sin(6.0 * u * np.pi) + 20.0 * np.sin(2.0 * u * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(u * np.pi) + 40.0 * np.sin(u / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(u / 12.0 * np.pi) + 300.0 * np.sin(u / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad = y / 180.0 * np.pi
    magic = 1.0 - _GCJ_EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_GCJ_A / sqrt_magic * np.cos(rad) * np.pi)
    return dlon, dlat


def _wgs_to_gcj(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    inside = _in_china(x, y)
    dlon, dlat = _gcj_offset(x, y)
    return np.where(inside, x + dlon, x), np.where(inside, y + dlat, y)


def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert WGS84 coordinates to GCJ-02 (the offset system of Chinese web maps).

    Parameters
    ----------
    lon, lat : float or array-like
        WGS84 longitude and latitude in degrees, scalars or arrays of one shape.

    Returns
    -------
    tuple
        ``(lon, lat)`` in GCJ-02: floats for scalar input, float arrays otherwise.

    Raises
    ------
    DataError
        Non-numeric, missing, infinite or out-of-range coordinates, or shapes that differ.

    Notes
    -----
    GCJ-02 adds a smooth, deliberately obscure offset of 100-700 m to WGS84 positions inside
    China; the formula used here is the widely published reimplementation (Krasovsky
    ellipsoid constants). By the usual convention, points outside the rectangle
    ``CHINA_BBOX`` (lon 72.004-137.8347, lat 0.8293-55.8271) are returned unchanged, since
    the offset applies only within China. The rectangle also holds parts of neighbouring
    countries, where map providers differ; use WGS84 tiles there.

    Examples
    --------
    >>> from borderhub.geo import wgs84_to_gcj02
    >>> lon, lat = wgs84_to_gcj02(116.391, 39.907)
    >>> round(lon, 5), round(lat, 5)
    (116.39724, 39.90840)
    >>> wgs84_to_gcj02(2.35, 48.86)  # Paris: outside China, unchanged
    (2.35, 48.86)
    """
    x, y, scalar = _as_arrays(lon, lat, "wgs84_to_gcj02")
    gx, gy = _wgs_to_gcj(x, y)
    return _ret(gx, gy, scalar)


def gcj02_to_wgs84(lon: Any, lat: Any, tol: float = 1e-9, max_iter: int = 30) -> tuple[Any, Any]:
    """Convert GCJ-02 coordinates (Amap/Gaode, Tencent) to WGS84.

    Parameters
    ----------
    lon, lat : float or array-like
        GCJ-02 longitude and latitude in degrees, scalars or arrays of one shape.
    tol : float, default 1e-9
        Stop when the forward conversion of the estimate is within ``tol`` degrees of the
        input in both axes.
    max_iter : int, default 30
        Iteration cap (convergence takes 3-5 iterations in practice).

    Returns
    -------
    tuple
        ``(lon, lat)`` in WGS84: floats for scalar input, float arrays otherwise.

    Raises
    ------
    DataError
        Non-numeric, missing, infinite or out-of-range coordinates, or shapes that differ.

    Notes
    -----
    GCJ-02 has no closed-form inverse. This inverts :func:`wgs84_to_gcj02` by fixed-point
    iteration ``w <- w - (f(w) - g)`` starting from the input, which contracts because the
    offset varies slowly; the result reproduces the input under :func:`wgs84_to_gcj02` to
    better than 1e-7 degrees (about 1 cm). Points outside ``CHINA_BBOX`` are returned
    unchanged, the same convention as the forward conversion.

    Examples
    --------
    >>> from borderhub.geo import gcj02_to_wgs84, wgs84_to_gcj02
    >>> lon, lat = gcj02_to_wgs84(116.397240, 39.908400)
    >>> round(lon, 4), round(lat, 4)
    (116.391, 39.907)
    >>> back = wgs84_to_gcj02(lon, lat)
    >>> abs(back[0] - 116.397240) < 1e-7 and abs(back[1] - 39.908400) < 1e-7
    True
    """
    gx, gy, scalar = _as_arrays(lon, lat, "gcj02_to_wgs84")
    inside = _in_china(gx, gy)
    wx, wy = gx.copy(), gy.copy()
    for _ in range(max_iter):
        fx, fy = _wgs_to_gcj(wx, wy)
        ex, ey = fx - gx, fy - gy
        wx = np.where(inside, wx - ex, gx)
        wy = np.where(inside, wy - ey, gy)
        if np.all(np.abs(ex[inside]) < tol) and np.all(np.abs(ey[inside]) < tol):
            break
    return _ret(wx, wy, scalar)


def gcj02_to_bd09(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Convert GCJ-02 coordinates to BD-09 (Baidu Maps).

    Parameters
    ----------
    lon, lat : float or array-like
        GCJ-02 longitude and latitude in degrees.

    Returns
    -------
    tuple
        ``(lon, lat)`` in BD-09: floats for scalar input, float arrays otherwise.

    Raises
    ------
    DataError
        Non-numeric, missing, infinite or out-of-range coordinates, or shapes that differ.

    Notes
    -----
    BD-09 is Baidu's published transformation of GCJ-02 (a small rotation and offset in
    polar form). Unlike GCJ-02 it is applied everywhere, so there is no "outside China"
    exception: Baidu applies it to all coordinates it serves.

    Examples
    --------
    >>> from borderhub.geo import gcj02_to_bd09
    >>> lon, lat = gcj02_to_bd09(116.404, 39.915)
    >>> round(lon, 6), round(lat, 6)
    (116.410369, 39.921337)
    """
    x, y, scalar = _as_arrays(lon, lat, "gcj02_to_bd09")
    bx, by = _gcj_to_bd(x, y)
    return _ret(bx, by, scalar)


def _gcj_to_bd(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _BD_X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: Any, lat: Any, tol: float = 1e-10, max_iter: int = 30) -> tuple[Any, Any]:
    """Convert BD-09 coordinates (Baidu Maps) to GCJ-02.

    Parameters
    ----------
    lon, lat : float or array-like
        BD-09 longitude and latitude in degrees.
    tol : float, default 1e-10
        Stop when the forward conversion of the estimate is within ``tol`` degrees.
    max_iter : int, default 30
        Iteration cap.

    Returns
    -------
    tuple
        ``(lon, lat)`` in GCJ-02: floats for scalar input, float arrays otherwise.

    Raises
    ------
    DataError
        Non-numeric, missing, infinite or out-of-range coordinates, or shapes that differ.

    Notes
    -----
    Starts from Baidu's published approximate inverse and refines it by fixed-point
    iteration on :func:`gcj02_to_bd09`, so the round trip is exact to about 1e-10 degrees.
    To reach WGS84, chain with :func:`gcj02_to_wgs84`.

    Examples
    --------
    >>> from borderhub.geo import bd09_to_gcj02
    >>> lon, lat = bd09_to_gcj02(116.410369, 39.921337)
    >>> round(lon, 5), round(lat, 5)
    (116.404, 39.915)
    """
    bx, by, scalar = _as_arrays(lon, lat, "bd09_to_gcj02")
    x, y = bx - 0.0065, by - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_X_PI)
    gx, gy = z * np.cos(theta), z * np.sin(theta)
    for _ in range(max_iter):
        fx, fy = _gcj_to_bd(gx, gy)
        ex, ey = fx - bx, fy - by
        gx, gy = gx - ex, gy - ey
        if np.all(np.abs(ex) < tol) and np.all(np.abs(ey) < tol):
            break
    return _ret(gx, gy, scalar)


# ----------------------------------------------------------------------------------------
# Great circles
# ----------------------------------------------------------------------------------------


def great_circle(a: Sequence[float], b: Sequence[float], n: int = 64) -> list[np.ndarray]:
    """Points along the geodesic from ``a`` to ``b``, split where it crosses the antimeridian.

    Parameters
    ----------
    a, b : sequence of two floats
        ``(lon, lat)`` of the end points in WGS84 degrees.
    n : int, default 64
        Number of points on the whole path, end points included (at least 2).

    Returns
    -------
    list of numpy.ndarray
        One ``(k, 2)`` array of lon, lat per piece. A path that crosses the antimeridian
        comes back as two pieces, the first ending at longitude +/-180 and the second
        starting at the opposite sign, so that a map draws it without a line across the
        whole world.

    Raises
    ------
    DataError
        End points that are not finite lon/lat pairs in range.
    SpecificationError
        ``n`` below 2.

    Examples
    --------
    >>> from borderhub.geo import great_circle
    >>> pieces = great_circle((121.47, 31.23), (-118.24, 34.05), n=50)  # Shanghai -> LA
    >>> len(pieces)
    2
    >>> float(pieces[0][-1, 0]), float(pieces[1][0, 0])
    (180.0, -180.0)
    >>> [p.shape for p in great_circle((116.4, 39.9), (103.8, 1.35), n=10)]
    [(10, 2)]
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise SpecificationError(f"n must be an integer of at least 2, got {n!r}.")
    pts = []
    for name, p in (("a", a), ("b", b)):
        try:
            lon, lat = (float(v) for v in p)
        except (TypeError, ValueError) as err:
            raise DataError(f"great_circle: {name} must be a (lon, lat) pair, got {p!r}.") from err
        if not (np.isfinite(lon) and np.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
            raise DataError(
                f"great_circle: {name}={p!r} is not a lon/lat pair in range "
                "(lon -180..180, lat -90..90); are lon and lat swapped?"
            )
        pts.append((lon, lat))
    (lon1, lat1), (lon2, lat2) = pts
    mid = _GEOD.npts(lon1, lat1, lon2, lat2, int(n) - 2) if n > 2 else []
    lons = np.array([lon1] + [p[0] for p in mid] + [lon2], dtype=float)
    lats = np.array([lat1] + [p[1] for p in mid] + [lat2], dtype=float)
    pieces: list[np.ndarray] = []
    start = 0
    head: list[list[float]] = []
    for i in (np.flatnonzero(np.abs(np.diff(lons)) > 180.0) + 1).tolist():
        # Crossing between i-1 and i: interpolate the latitude at the antimeridian.
        sign = 1.0 if lons[i - 1] > 0 else -1.0
        l0, l1 = lons[i - 1], lons[i] + 360.0 * sign
        # both points on the antimeridian (+180 then -180): no interpolation needed
        t = (180.0 * sign - l0) / (l1 - l0) if l1 != l0 else 0.0
        lat_x = lats[i - 1] + t * (lats[i] - lats[i - 1])
        body = np.column_stack([lons[start:i], lats[start:i]])
        pieces.append(np.vstack([*([np.array(head)] if head else []), body, [180.0 * sign, lat_x]]))
        head = [[-180.0 * sign, lat_x]]
        start = i
    tail = np.column_stack([lons[start:], lats[start:]])
    pieces.append(np.vstack([np.array(head), tail]) if head else tail)
    return pieces
