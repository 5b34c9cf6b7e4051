"""How borderhub reads places: the one rule shared by the distance modules.

Points arrive as GeoDataFrames or GeoSeries (with a CRS; areas stand for their
representative point), DataFrames with ``lon``/``lat`` columns, or ``(n, 2)`` arrays of
lon, lat. :func:`read_points` turns any of them into coordinate arrays and labels, with one
set of checks and messages; :mod:`borderhub.geo` and :mod:`borderhub.network` both use it.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from borderhub.exceptions import DataError

__all__ = ["EARTH_KM", "check_lonlat", "point_geometry", "read_points", "short", "unit_vectors"]

#: Mean Earth radius (IUGG), km: great-circle distances on the sphere.
EARTH_KM = 6371.0088


def unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Unit vectors (x, y, z) of points given in degrees of lon/lat (for KD-trees)."""
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def check_lonlat(
    x: np.ndarray,
    y: np.ndarray,
    labels: Any,
    where: str,
    at: str = "in rows",
    in_range: bool = True,
    limit: int = 5,
) -> None:
    """Raise DataError naming the labels with missing/infinite or out-of-range lon/lat.

    One check for every entry point that takes lon/lat degrees (distances, converters,
    maps); ``at`` words how the offending entries are named ("in rows", "at positions",
    "for labels") and ``in_range=False`` skips the degree-range test (projected input).
    """
    labels = np.asarray(labels)
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        raise DataError(
            f"{where} has missing or infinite coordinates {at} {labels[bad][:limit].tolist()}; "
            "drop or fill them first."
        )
    if in_range:
        out = (np.abs(x) > 180) | (np.abs(y) > 90)
        if out.any():
            raise DataError(
                f"{where} has coordinates outside lon [-180, 180] / lat [-90, 90] {at} "
                f"{labels[out][:limit].tolist()}; are lon and lat swapped, or is the CRS wrong?"
            )


_AREAS = ("Polygon", "MultiPolygon")


def point_geometry(geoms: Any, role: str) -> Any:
    """Points stay, areas become their representative point, anything else is refused."""
    kinds = geoms.geom_type
    if len(geoms) and not (kinds == "Point").all():
        wrong = ~kinds.isin(("Point", *_AREAS))
        if wrong.any():
            bad = list(geoms.index[wrong.to_numpy()][:5])
            raise DataError(
                f"{role} must hold point geometries (or polygons, which stand for their "
                f"representative point); rows {bad} are {sorted(set(kinds[wrong]))}. Convert "
                "them first, e.g. with `.representative_point()`."
            )
        areas = kinds.isin(_AREAS).to_numpy()
        geoms = geoms.copy()
        geoms[areas] = geoms[areas].representative_point()
    return geoms


def read_points(obj: Any, role: str, method: str) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Return x, y arrays (lon/lat for geodesic, projected units for euclidean) and labels.

    ``method`` is the distance to be computed: ``"euclidean"`` keeps projected coordinates
    (and refuses plain lon/lat), anything else reprojects to WGS84 lon/lat and checks the
    degree ranges.
    """
    if isinstance(obj, gpd.GeoDataFrame | gpd.GeoSeries):
        geoms = obj.geometry if isinstance(obj, gpd.GeoDataFrame) else obj
        if obj.crs is None:
            raise DataError(
                f"{role} has no CRS; set one first, e.g. `{role}.set_crs('EPSG:4326')` for "
                "lon/lat in degrees (WGS84)."
            )
        if geoms.is_empty.any():
            bad = list(geoms.index[geoms.is_empty][:5])
            raise DataError(f"{role} has empty geometries in rows {bad}; drop or fix them.")
        if method == "geodesic":
            if not CRS(obj.crs).equals(CRS("EPSG:4326")):
                geoms = geoms.to_crs("EPSG:4326")
        # the rule of as_points: areas stand for their representative point
        geoms = point_geometry(geoms, role)
        x = np.asarray(geoms.x, dtype=float)
        y = np.asarray(geoms.y, dtype=float)
        labels = obj.index
    elif isinstance(obj, pd.DataFrame):
        missing = [c for c in ("lon", "lat") if c not in obj.columns]
        if missing:
            raise DataError(
                f"{role} is a DataFrame without geometry and lacks columns {missing}; pass a "
                "GeoDataFrame with a CRS or a frame with 'lon' and 'lat' (WGS84 degrees)."
            )
        x = pd.to_numeric(obj["lon"], errors="coerce").to_numpy(dtype=float)
        y = pd.to_numeric(obj["lat"], errors="coerce").to_numpy(dtype=float)
        labels = obj.index
        if method == "euclidean":
            raise DataError(
                f"{role} has lon/lat columns (geographic degrees); method='euclidean' needs a "
                "projected CRS. Use method='geodesic', or pass a GeoDataFrame projected with "
                "`.to_crs(...)` (e.g. EPSG:3857 or a UTM zone)."
            )
    else:
        try:
            arr = np.asarray(obj, dtype=float)
        except (TypeError, ValueError) as err:
            raise DataError(
                f"{role} must be a GeoDataFrame, GeoSeries, DataFrame with lon/lat columns or "
                f"an (n, 2) array of lon/lat numbers; got {type(obj).__name__} {short(obj)}."
            ) from err
        if arr.ndim == 1 and arr.shape == (2,):
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise DataError(
                f"{role} as an array must have shape (n, 2) with columns lon, lat; got shape "
                f"{arr.shape}."
            )
        if method == "euclidean":
            raise DataError(
                f"{role} is a plain array, taken as lon/lat degrees; method='euclidean' needs "
                "a projected CRS. Pass GeoDataFrames with a projected CRS instead."
            )
        x, y = arr[:, 0], arr[:, 1]
        labels = pd.RangeIndex(len(arr))
    if labels.has_duplicates:
        dup = list(pd.unique(labels[labels.duplicated()])[:5])
        raise DataError(
            f"{role} has duplicate labels {dup}; distances are labelled by index, so make it "
            "unique (e.g. `.reset_index(drop=True)` or a unique id column as index)."
        )
    check_lonlat(x, y, labels, role, in_range=method == "geodesic")
    return x, y, labels


def short(value: Any, limit: int = 60) -> str:
    """``repr`` of a value cut to ``limit`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
