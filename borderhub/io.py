r"""Reading places and writing (and reading back) borderhub's own outputs.

* :func:`read_points` -- a table of places as WGS84 points: CSV (UTF-8, UTF-8 with BOM or
  GB18030; ``,`` ``;`` or tab, sniffed; coordinate columns recognised by name, Amap's
  combined ``location``; GCJ-02 and BD-09 converted) or any file geopandas reads
  (GeoJSON, GeoPackage, shapefile, GeoParquet; any CRS; polygons by their representative
  point, see :func:`borderhub.geo.as_points`).
* :func:`write_table` / :func:`write_geojson` -- the deterministic formats of every file
  ``borderhub plan`` writes (fixed float format, sorted keys, one geometry type per
  GeoJSON file, integers as integers): the same input gives byte-identical files.
* :func:`write_solution` / :func:`read_solution` -- ``solution.csv`` (one row per demand
  unit: its centre, distance, weight) and back; :func:`read_scores` -- ``scores.csv``.

Examples
--------
>>> import tempfile, pathlib
>>> from borderhub.io import read_points
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "sites.csv").write_text("编号;经度;纬度\nA;116.40;39.90\nB;121.47;31.23\n",
...                                       encoding="gb18030")
>>> pts = read_points(folder / "sites.csv", id_column="编号")
>>> pts.index.tolist(), pts.crs.to_epsg(), float(pts.loc["B", "lon"])
(['A', 'B'], 4326, 121.47)
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from borderhub._atomic import ResultWriter, check_output_dir
from borderhub._checks import (
    MAX_MAP_POINTS,
    available_memory,
    check_memory,
    check_places,
    estimate_memory,
    thin_points,
)
from borderhub._decode import decode_text
from borderhub._formulas import (
    FORMULA_PREFIXES,
    neutralise_formulas,
    neutralise_frame,
    restore_formulas,
)
from borderhub._terminal import printable, printable_frame, printable_lines
from borderhub.exceptions import DataError, SpecificationError

__all__ = [
    "read_points",
    "read_solution",
    "write_solution",
    "read_scores",
    "read_partner_split",
    "write_table",
    "write_geojson",
    "solution_table",
    "COORDINATES",
    "ResultWriter",
    "check_output_dir",
    "csv_text",
    "geojson_text",
    "decode_text",
    "neutralise_formulas",
    "restore_formulas",
    "FORMULA_PREFIXES",
    "printable",
    "printable_frame",
    "printable_lines",
    "check_places",
    "check_memory",
    "estimate_memory",
    "available_memory",
    "thin_points",
    "MAX_MAP_POINTS",
]

#: Datums :func:`read_points` converts from (to WGS84).
COORDINATES = ("wgs84", "gcj02", "bd09")
_LON_NAMES = ("lon", "longitude", "lng", "long", "经度")
_LAT_NAMES = ("lat", "latitude", "纬度")
_LOCATION_NAMES = ("location", "lnglat", "lng_lat", "坐标")
_ID_NAMES = ("adcode", "id", "label", "code", "编号", "代码", "行政区划代码", "区划代码")
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def _find_column(columns: Sequence[Any], wanted: Sequence[str]) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    for name in wanted:
        if name in lower:
            return str(lower[name])
    return None


def _labels_for(frame: Any, id_column: str | None, role: str, where: str) -> Any:
    """Set the index of a user table: the id column, else adcode/id/label/code, else 1..n."""
    if id_column:
        if id_column not in frame.columns:
            raise DataError(
                f"{where} has no column {id_column!r} (--id-column); columns are "
                f"{[str(c) for c in frame.columns]}"
            )
        column: str | None = id_column
    else:
        column = _find_column(list(frame.columns), _ID_NAMES)
    if column is None:
        labels = pd.Index([str(k + 1) for k in range(len(frame))], name="row")
    else:
        values = frame[column]
        missing = values.isna() | (values.astype(str).str.strip() == "")
        if missing.any():
            rows = [int(k) + 2 for k in missing.to_numpy().nonzero()[0][:10]]
            raise DataError(
                f"{where}: column {column!r} is empty in lines {rows}; fill in a label for every "
                "row"
            )
        labels = pd.Index(values.astype(str).str.strip().to_numpy(), name=str(column))
        frame = frame.drop(columns=[column])
    if labels.has_duplicates:
        dup = labels[labels.duplicated()].unique().tolist()
        raise DataError(f"{where}: duplicate {role} labels {dup[:10]}; labels must be unique")
    frame = frame.copy()
    frame.index = labels
    return frame


def _sniff_delimiter(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    head = text[: 64 * 1024]
    first = head.splitlines()[0] if head.strip() else ""
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:
        # one column, or a header the sniffer cannot decide on: count in the header line
        counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
        best = max(counts, key=lambda sep: counts[sep])
        return best if counts[best] else ","


def _read_csv_frame(
    path: Path, role: str, dtype: dict[str, Any], encoding: str | None = None
) -> pd.DataFrame:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"cannot read {role} file {path.name}: {err.strerror or err}") from None
    text = decode_text(data, name=f"{role} file {path.name}", encoding=encoding)
    try:
        sep = _sniff_delimiter(text, path.suffix.lower())
        return pd.read_csv(StringIO(text), sep=sep, dtype=dtype)
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{role} file {path.name} is empty; give a CSV with a header row (id, lon, lat, "
            "...) and one row per place"
        ) from None
    except (pd.errors.ParserError, ValueError) as err:
        raise DataError(
            f"cannot parse {role} file {path.name}: {err}; check the quoting and that every "
            "row has as many fields as the header"
        ) from None


def _coordinate_columns(
    raw: pd.DataFrame, lon_column: str | None, lat_column: str | None, where: str
) -> tuple[Any, Any, list[str]]:
    """Longitudes and latitudes (as text or numbers) and the columns they came from."""
    columns = [str(c) for c in raw.columns]
    for given, option in ((lon_column, "--lon-column"), (lat_column, "--lat-column")):
        if given is not None and given not in raw.columns:
            raise DataError(
                f"{where} has no column {given!r} ({option}); its columns are {columns}"
            )
    lon_col = lon_column or _find_column(columns, _LON_NAMES)
    lat_col = lat_column or _find_column(columns, _LAT_NAMES)
    if lon_col is not None and lat_col is not None:
        return raw[lon_col], raw[lat_col], [lon_col, lat_col]
    location = _find_column(columns, _LOCATION_NAMES)
    if location is not None and lon_column is None and lat_column is None:
        # Amap (and Tencent) web services give "lng,lat" in one field
        parts = raw[location].astype("string").str.split(",", n=1, expand=True)
        if parts.shape[1] == 2:
            return parts[0].str.strip(), parts[1].str.strip(), [location]
    raise DataError(
        f"{where} needs longitude and latitude columns named lon and lat (or longitude/"
        f"latitude, lng, 经度/纬度, or Amap's 'location' as \"lng,lat\"; or name them with "
        f"--lon-column/--lat-column); its columns are {columns}"
    )


def _read_csv_points(
    path: Path,
    role: str,
    id_column: str | None,
    lon_column: str | None,
    lat_column: str | None,
    coordinates: str,
    encoding: str | None = None,
) -> Any:
    import geopandas as gpd

    dtype = {name: str for name in (*_ID_NAMES, id_column or "") if name}
    raw = _read_csv_frame(path, role, dtype, encoding)
    where = f"{role} file {path.name}"
    if raw.empty:
        raise DataError(f"{where} has a header but no rows; add one row per place")
    lon_raw, lat_raw, used = _coordinate_columns(raw, lon_column, lat_column, where)
    frame = _labels_for(raw, id_column, role, where)
    lon = pd.to_numeric(pd.Series(lon_raw.to_numpy()), errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(pd.Series(lat_raw.to_numpy()), errors="coerce").to_numpy(dtype=float)
    names = "/".join(used) if len(used) == 2 else f"{used[0]} (lng,lat)"
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        raise DataError(
            f"{where}: missing or non-numeric {names} for {role} "
            f"{frame.index[bad].tolist()[:10]}; fill in decimal degrees or drop those rows"
        )
    out_of_range = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if out_of_range.any():
        raise DataError(
            f"{where}: coordinates out of range (lon -180..180, lat -90..90) for {role} "
            f"{frame.index[out_of_range].tolist()[:10]}; are {names} swapped?"
        )
    if coordinates != "wgs84":
        from borderhub import geo

        if coordinates == "bd09":
            lon, lat = geo.bd09_to_gcj02(lon, lat)
        lon, lat = geo.gcj02_to_wgs84(lon, lat)
    frame = frame.drop(columns=[c for c in used if c in frame.columns])
    frame["lon"] = np.asarray(lon, dtype=float)
    frame["lat"] = np.asarray(lat, dtype=float)
    out = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    out.attrs["coordinate_columns"] = list(used)
    return out


def _read_geo_points(path: Path, role: str, id_column: str | None) -> Any:
    import geopandas as gpd

    from borderhub.geo import as_points

    where = f"{role} file {path.name}"
    try:
        if path.suffix.lower() in (".parquet", ".geoparquet"):
            raw = gpd.read_parquet(path)
        else:
            raw = gpd.read_file(path)
    except ImportError as err:
        raise DataError(
            f"cannot read {where}: {err}; GeoParquet needs pyarrow (pip install pyarrow), or "
            "save the file as GeoJSON or GeoPackage"
        ) from None
    except Exception as err:  # noqa: BLE001 - GDAL/pyogrio/pyarrow raise many types
        raise DataError(
            f"cannot read {where}: {err}; give a CSV with lon/lat columns or a file geopandas "
            "reads (GeoJSON, GeoPackage, shapefile, GeoParquet)"
        ) from None
    if len(raw) == 0:
        raise DataError(f"{where} has no features; add one feature per place")
    if raw.crs is None:
        raise DataError(
            f"{where} has no coordinate reference system; save it with one (e.g. EPSG:4326)"
        )
    empty = raw.geometry.isna() | raw.geometry.is_empty
    frame = _labels_for(raw, id_column, role, where)
    if empty.any():
        raise DataError(
            f"{where}: no geometry for {role} {list(frame.index[empty.to_numpy()][:10])}; "
            "fix or drop those features"
        )
    # polygons (e.g. administrative areas) are represented by a point inside each
    frame = as_points(frame, where)
    frame["lon"] = frame.geometry.x.to_numpy(dtype=float)
    frame["lat"] = frame.geometry.y.to_numpy(dtype=float)
    return frame


def read_points(
    path: str | Path,
    *,
    id_column: str | None = None,
    lon_column: str | None = None,
    lat_column: str | None = None,
    coordinates: str = "wgs84",
    role: str = "points",
    encoding: str | None = None,
) -> Any:
    r"""Read a table of places (candidates, demand units) as WGS84 points.

    CSV files (``.csv``, ``.tsv``, ``.txt``) are read as UTF-8 (with or without BOM) or,
    when the whole file is GB18030 Chinese text, GB18030 -- never guessed beyond that
    (:func:`decode_text`; ``encoding=`` names any other); the delimiter (``,``, ``;``
    or tab) is sniffed; longitude and latitude are found under
    ``lon``/``lng``/``longitude``/``经度`` and ``lat``/``latitude``/``纬度`` (any case),
    or in Amap's combined ``location`` column (``"lng,lat"``), unless
    ``lon_column``/``lat_column`` name them. Other files are read by geopandas (GeoJSON,
    GeoPackage, shapefile; ``.parquet`` as GeoParquet) in any CRS, polygons standing for
    their representative point (:func:`borderhub.geo.as_points`).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    id_column : str, optional
        Column of labels; default ``adcode``, ``id``, ``label`` or ``code`` if present, else
        the row number (``"1"``, ``"2"`` ...).
    lon_column, lat_column : str, optional
        Columns of longitude and latitude (CSV only).
    coordinates : {"wgs84", "gcj02", "bd09"}, default "wgs84"
        Datum of the CSV's coordinates: GCJ-02 (Amap, Tencent) and BD-09 (Baidu) are
        converted to WGS84 (:func:`borderhub.geo.gcj02_to_wgs84`).
    role : str, default "points"
        What the file holds ("candidates", "demand"), used in error messages.
    encoding : str, optional
        The CSV's encoding (any Python codec), when it is neither UTF-8 nor GB18030.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by label (strings), EPSG:4326 point geometry, the file's other columns and
        ``lon``/``lat`` (WGS84 degrees).

    Raises
    ------
    DataError
        Missing file, unreadable or empty table, no coordinate columns, missing or
        out-of-range coordinates, duplicate or empty labels, no CRS.
    SpecificationError
        ``coordinates`` is not one of :data:`COORDINATES`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.io import read_points
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "poi.csv"
    >>> _ = f.write_text('id,name,location\nx,天安门,"116.397,39.909"\n', encoding="utf-8")
    >>> pts = read_points(f, coordinates="gcj02")  # Amap coordinates, shifted back to WGS84
    >>> round(float(pts.loc["x", "lon"]), 3), round(float(pts.loc["x", "lat"]), 3)
    (116.391, 39.908)
    """
    if coordinates not in COORDINATES:
        raise SpecificationError(
            f"coordinates must be one of {list(COORDINATES)}, got {coordinates!r}"
        )
    if not isinstance(path, str | Path):
        raise SpecificationError(
            f"path must be a file path (str or pathlib.Path), got {type(path).__name__}"
        )
    file = Path(path)
    if not file.exists():
        raise DataError(f"{role} file not found: {path}; check the path")
    if file.is_file() and file.suffix.lower() in _CSV_SUFFIXES:
        return _read_csv_points(
            file, role, id_column, lon_column, lat_column, coordinates, encoding
        )
    return _read_geo_points(file, role, id_column)


# --------------------------------------------------------------------------------------------
# deterministic writers
# --------------------------------------------------------------------------------------------


def csv_text(frame: pd.DataFrame, *, neutralise: bool = True) -> str:
    r"""The CSV text borderhub writes for a table: ``\n``, floats as ``%.6f``, index first.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is written as the first column.
    neutralise : bool, default True
        Prefix text cells (and labels, headers) that a spreadsheet would run as formulas
        with ``'`` (:func:`neutralise_formulas`); ``False`` writes them as they are.

    Returns
    -------
    str

    Raises
    ------
    SpecificationError
        ``frame`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.io import csv_text
    >>> frame = pd.DataFrame({"name": ["=HYPERLINK(1)"], "x": [-1.5]}, index=["a"])
    >>> csv_text(frame)
    ",name,x\na,'=HYPERLINK(1),-1.500000\n"
    """
    if not isinstance(frame, pd.DataFrame):
        raise SpecificationError(f"frame must be a DataFrame, got {type(frame).__name__}")
    if neutralise:
        frame = neutralise_frame(frame)
    return str(frame.to_csv(None, float_format="%.6f", lineterminator="\n"))


def write_table(frame: pd.DataFrame, path: str | Path, *, neutralise: bool = True) -> None:
    r"""Write a table as borderhub writes every CSV: UTF-8, ``\n``, floats as ``%.6f``.

    Text cells that a spreadsheet would run as formulas (beginning with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return, numbers excepted) are prefixed with ``'``
    unless ``neutralise=False`` (see :func:`neutralise_formulas`).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is written as the first column.
    path : str or pathlib.Path
        Where to write.
    neutralise : bool, default True
        Neutralise formula-like text (see :func:`csv_text`).

    Raises
    ------
    SpecificationError
        ``frame`` is not a DataFrame.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from borderhub.io import write_table
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_table(pd.DataFrame({"km": [1 / 3]}, index=pd.Index(["a"], name="id")), f)
    >>> f.read_text()
    'id,km\na,0.333333\n'
    """
    Path(path).write_text(csv_text(frame, neutralise=neutralise), encoding="utf-8")


def _clean(value: Any) -> Any:
    """A JSON-safe value: NaN/inf -> None, numpy scalars -> Python, floats rounded."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def json_text(value: Any, **kwargs: Any) -> str:
    """JSON of ``value`` as borderhub writes it (cleaned, sorted keys, non-ASCII kept)."""
    return json.dumps(_clean(value), ensure_ascii=False, sort_keys=True, **kwargs)


def write_geojson(frame: Any, path: str | Path) -> None:
    """Write a GeoDataFrame as deterministic GeoJSON with one geometry type.

    :func:`geojson_text` gives the text without writing it.

    GIS programs (QGIS, ArcGIS) import a GeoJSON file as one layer of one geometry type,
    so a frame mixing points and lines is refused. Coordinates are WGS84 rounded to 6
    decimals, properties keep their types (integers as integers, booleans as booleans,
    NaN as null), keys are sorted and each feature is one line.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Features to write (reprojected to EPSG:4326 if needed); the index is not written
        (keep labels in a column).
    path : str or pathlib.Path
        Where to write.

    Raises
    ------
    DataError
        Not a GeoDataFrame, no CRS, missing geometry, or more than one geometry type.

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> import geopandas as gpd
    >>> from borderhub.io import write_geojson
    >>> pts = gpd.GeoDataFrame({"label": ["a"], "units": [3]},
    ...                        geometry=gpd.points_from_xy([116.4], [39.9]), crs="EPSG:4326")
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "p.geojson"
    >>> write_geojson(pts, f)
    >>> json.loads(f.read_text())["features"][0]["properties"]
    {'label': 'a', 'units': 3}
    """
    Path(path).write_text(geojson_text(frame), encoding="utf-8")


def geojson_text(frame: Any) -> str:
    """The deterministic GeoJSON text of a GeoDataFrame (what :func:`write_geojson` writes).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Features (one geometry type; reprojected to EPSG:4326 if needed).

    Returns
    -------
    str

    Raises
    ------
    DataError
        Not a GeoDataFrame, no CRS, missing geometry, or more than one geometry type.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from borderhub.io import geojson_text
    >>> pts = gpd.GeoDataFrame({"n": [1]}, geometry=gpd.points_from_xy([116.4], [39.9]),
    ...                        crs="EPSG:4326")
    >>> geojson_text(pts).splitlines()[1]
    '{"geometry":{"coordinates":[116.4,39.9],"type":"Point"},"properties":{"n":1},"type":"Feature"}'
    """
    import geopandas as gpd
    from shapely.geometry import mapping

    if not isinstance(frame, gpd.GeoDataFrame):
        raise DataError(f"frame must be a GeoDataFrame, got {type(frame).__name__}; build one")
    if frame.crs is None:
        raise DataError("frame has no CRS; set one with .set_crs('EPSG:4326')")
    if len(frame) and (frame.geometry.isna() | frame.geometry.is_empty).any():
        raise DataError("frame has rows without geometry; drop them before writing")
    kinds = sorted(set(frame.geom_type)) if len(frame) else []
    if len(kinds) > 1:
        raise DataError(
            f"frame mixes geometry types {kinds}; write one file per type (GIS programs "
            "import a GeoJSON file as one layer of one type)"
        )
    if len(frame) and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    columns = [c for c in frame.columns if c != frame.geometry.name]
    lines = []
    for k in range(len(frame)):
        row = frame.iloc[k]
        props = {str(c): _clean(row[c]) for c in columns}
        geometry = _clean(_round_geometry(mapping(frame.geometry.iloc[k])))
        feature = {"type": "Feature", "geometry": geometry, "properties": props}
        lines.append(json_text(feature, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _round_geometry(geom: Any) -> Any:
    def rnd(coords: Any) -> Any:
        if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
            return [round(float(c), 6) for c in coords]
        return [rnd(c) for c in coords]

    return {"type": geom["type"], "coordinates": rnd(geom["coordinates"])}


# --------------------------------------------------------------------------------------------
# solution.csv and scores.csv
# --------------------------------------------------------------------------------------------


def _names_of(frame: Any) -> pd.Series:
    if frame is not None and "name" in frame.columns:
        return frame["name"].fillna("").astype(str)
    index = frame.index if frame is not None else pd.Index([])
    return pd.Series([str(k) for k in index], index=index, dtype=object)


def solution_table(solution: Any, candidates: Any = None, demand: Any = None) -> pd.DataFrame:
    """The table of ``solution.csv``: one row per demand unit and the centre serving it.

    Parameters
    ----------
    solution : borderhub.locate.Solution
        A solved model.
    candidates, demand : pandas.DataFrame, optional
        Tables with a ``name`` column, indexed by the model's labels, for the
        ``facility_name`` and ``demand_name`` columns (default: the labels).

    Returns
    -------
    pandas.DataFrame
        Index ``demand``; columns ``demand_name``, ``facility`` (``""`` when unassigned),
        ``facility_name``, ``cost_km``, ``gateway_km`` (with a gateway term), ``weight``
        and, for coverage models, ``covered``.

    Raises
    ------
    SpecificationError
        ``solution`` is not a :class:`~borderhub.locate.Solution`.

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.io import solution_table
    >>> from borderhub.locate import PMedian
    >>> sol = PMedian.from_cost_matrix(np.array([[0.0, 4.0], [3.0, 1.0]]), p=1).solve()
    >>> solution_table(sol)[["facility", "cost_km"]].to_dict("list")
    {'facility': [0, 0], 'cost_km': [0.0, 3.0]}
    """
    a = getattr(solution, "assignment", None)
    if not (
        isinstance(a, pd.DataFrame)
        and {"facility", "cost", "weight"} <= set(a.columns)
        and hasattr(solution, "open")
    ):
        raise SpecificationError(
            f"solution must be a borderhub Solution, got {type(solution).__name__}; pass the "
            "result of a model's solve()"
        )
    out = pd.DataFrame(index=a.index.copy())
    out.index.name = "demand"
    out["demand_name"] = (
        demand["name"].reindex(a.index).fillna("").astype(str).to_numpy()
        if demand is not None and "name" in demand.columns
        else [str(k) for k in a.index]
    )
    out["facility"] = a["facility"].astype(object).where(a["facility"].notna(), "")
    cand_names = _names_of(candidates) if candidates is not None else None
    out["facility_name"] = [
        ("" if f == "" else str(cand_names.get(f, "")) if cand_names is not None else str(f))
        for f in out["facility"]
    ]
    out["cost_km"] = a["cost"].astype(float)
    if "gateway" in a.columns:
        out["gateway_km"] = a["gateway"].astype(float)
    out["weight"] = a["weight"].astype(float)
    if "covered" in a.columns:
        out["covered"] = a["covered"].astype(bool)
    return out


def write_solution(
    solution: Any, path: str | Path, *, candidates: Any = None, demand: Any = None
) -> pd.DataFrame:
    """Write ``solution.csv`` (see :func:`solution_table`); :func:`read_solution` reads it.

    Parameters
    ----------
    solution : borderhub.locate.Solution or pandas.DataFrame
        A solved model, or a table made by :func:`solution_table`.
    path : str or pathlib.Path
        Where to write.
    candidates, demand : pandas.DataFrame, optional
        For the names (see :func:`solution_table`).

    Returns
    -------
    pandas.DataFrame
        The table written.

    Raises
    ------
    SpecificationError
        ``solution`` is neither a Solution nor such a table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from borderhub.io import read_solution, write_solution
    >>> from borderhub.locate import PMedian
    >>> cost = pd.DataFrame([[0.0, 4.0], [3.0, 1.0]], index=["d1", "d2"], columns=["a", "b"])
    >>> sol = PMedian.from_cost_matrix(cost, p=1).solve()
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "solution.csv"
    >>> _ = write_solution(sol, f)
    >>> read_solution(f)[["facility", "cost", "weight"]].to_dict("index")
    {'d1': {'facility': 'a', 'cost': 0.0, 'weight': 1.0}, 'd2': {'facility': 'a', 'cost': 3.0, 'weight': 1.0}}
    """  # noqa: E501
    if isinstance(solution, pd.DataFrame):
        if not {"facility", "cost_km", "weight"} <= set(solution.columns):
            raise SpecificationError(
                "a solution table needs columns facility, cost_km and weight; make it with "
                "borderhub.io.solution_table"
            )
        table = solution
    else:
        table = solution_table(solution, candidates, demand)
    write_table(table, path)
    return table


def read_solution(path: str | Path, *, candidates: Any = None) -> pd.DataFrame:
    r"""Read a ``solution.csv`` written by :func:`write_solution` or ``borderhub plan``.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    candidates : pandas.DataFrame, optional
        If given, every centre named in the file must be one of its labels.

    Returns
    -------
    pandas.DataFrame
        Shaped like :attr:`Solution.assignment <borderhub.locate.Solution.assignment>`:
        index ``demand`` (labels as strings), columns ``facility`` (NaN when unassigned),
        ``cost``, ``gateway`` (0 when the file has none), ``weight``, ``covered`` (if
        written), and the names. :func:`borderhub.corridor_map` draws it.

    Raises
    ------
    DataError
        Missing or unreadable file, missing columns, non-numeric values, centres that
        are not candidates.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.io import read_solution
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "solution.csv"
    >>> _ = f.write_text("demand,facility,cost_km,weight\n110000,120000,110.5,2\n")
    >>> row = read_solution(f).loc["110000"]
    >>> row["facility"], float(row["cost"])
    ('120000', 110.5)
    """
    file = Path(path)
    if not file.is_file():
        raise DataError(f"solution file not found: {path}; check the path")
    try:
        frame = pd.read_csv(file, dtype={"demand": str, "facility": str}, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise DataError(f"cannot parse solution file {file.name}: {err}; check the file") from None
    need = {"demand", "facility", "weight"}
    if not need <= set(frame.columns):
        raise DataError(
            f"solution file {file.name} needs columns {sorted(need)} (as written by "
            f"'borderhub solve --out'); it has {list(frame.columns)}"
        )
    for column in ("demand", "facility", "demand_name", "facility_name"):
        if column in frame.columns:
            frame[column] = restore_formulas(frame[column])
    frame = frame.set_index("demand")
    out = pd.DataFrame(index=frame.index)
    out["facility"] = frame["facility"].replace("", np.nan)
    for column, source in (("cost", "cost_km"), ("gateway", "gateway_km"), ("weight", "weight")):
        if source not in frame.columns:
            out[column] = 0.0
            continue
        values = pd.to_numeric(frame[source], errors="coerce")
        wrong = values.isna() & frame[source].notna()
        if wrong.any():
            raise DataError(
                f"solution file {file.name}: column {source!r} must hold numbers; not numeric "
                f"for {frame.index[wrong].tolist()[:10]}; fix those rows"
            )
        out[column] = values.astype(float)
    if "covered" in frame.columns:
        out["covered"] = frame["covered"].astype(str).str.lower().isin(["true", "1"])
    for column in ("demand_name", "facility_name"):
        if column in frame.columns:
            out[column] = frame[column].fillna("").astype(str)
    if candidates is not None:
        unknown = sorted(set(out["facility"].dropna()) - set(map(str, candidates.index)))
        if unknown:
            raise DataError(
                f"solution file {file.name} names centres that are not candidates: "
                f"{unknown[:10]}; pass the candidates the solution was computed on"
            )
    return out


def read_scores(path: str | Path) -> pd.DataFrame:
    r"""Read a ``scores.csv`` written by ``borderhub score`` or ``borderhub plan``.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    pandas.DataFrame
        Indexed by the file's first column (labels as strings), columns ``score`` and,
        if present, ``rank``.

    Raises
    ------
    DataError
        Missing or unreadable file, no ``score`` column, non-numeric values.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.io import read_scores
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "scores.csv"
    >>> _ = f.write_text("adcode,name,rank,score\n110000,北京市,1,0.8\n")
    >>> read_scores(f).loc["110000"].tolist()
    [0.8, 1.0]
    """
    file = Path(path)
    if not file.is_file():
        raise DataError(f"scores file not found: {path}; check the path")
    try:
        frame = pd.read_csv(file, dtype=str, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise DataError(f"cannot parse scores file {file.name}: {err}; check the file") from None
    if "score" not in frame.columns:
        raise DataError(
            f"scores file {file.name} has no 'score' column; pass a scores.csv written by "
            "'borderhub score --out' or 'borderhub plan'"
        )
    frame[frame.columns[0]] = restore_formulas(frame[frame.columns[0]])
    frame = frame.set_index(frame.columns[0])
    out = pd.DataFrame(index=frame.index)
    for column in [c for c in ("score", "rank") if c in frame.columns]:
        values = pd.to_numeric(frame[column], errors="coerce")
        wrong = values.isna() & frame[column].notna()
        if wrong.any():
            raise DataError(
                f"scores file {file.name}: column {column!r} must hold numbers; not numeric "
                f"for {frame.index[wrong].tolist()[:10]}: {frame.loc[wrong, column].tolist()[:5]}"
                "; fix those rows or write the file again with 'borderhub score --out'"
            )
        out[column] = values
    return out


def read_partner_split(
    path: str | Path, partners: Any = None, *, encoding: str | None = None
) -> pd.Series:
    r"""Read a partner split: how a place's international express divides over partners.

    The file is a CSV (UTF-8, UTF-8 with BOM or GB18030, see :func:`decode_text`; ``,``
    ``;`` or tab) with a
    ``partner`` column (the partner hubs' labels, as in
    :func:`borderhub.datasets.partners`, e.g. ``VNM-HAN``; or ISO3 country codes, whose
    share the country's hubs divide equally) and a ``share`` column (any non-negative
    numbers: they are normalised to 1 by :func:`borderhub.international_demand`).
    Partners not listed get no flow.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    partners : pandas.DataFrame, optional
        The partner hubs (default :func:`borderhub.datasets.partners`), to resolve ISO3
        codes and check the labels.
    encoding : str, optional
        The file's encoding when it is neither UTF-8 nor GB18030.

    Returns
    -------
    pandas.Series
        Partner hub label -> share, named ``share``; the ``split=`` of
        :func:`borderhub.international_demand` and ``run_plan(split=...)``.

    Raises
    ------
    DataError
        Missing or unreadable file, no ``partner`` or ``share`` column, a share that is
        not a finite number >= 0, a partner that is neither a hub label nor an ISO3 code
        of the partner table, or a partner listed twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.io import read_partner_split
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "split.csv"
    >>> _ = f.write_text("partner,share\nVNM-HAN,3\nJPN,1\n", encoding="utf-8")
    >>> read_partner_split(f).to_dict()
    {'VNM-HAN': 3.0, 'JPN-TYO': 0.5, 'JPN-OSA': 0.5}
    """
    from borderhub import datasets

    file = Path(path)
    if not file.is_file():
        raise DataError(f"partner split file not found: {path}; check the path")
    frame = _read_csv_frame(file, "partner split", {"partner": str}, encoding)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("partner", "share") if c not in frame.columns]
    if missing:
        raise DataError(
            f"partner split file {file.name} lacks column(s) {missing}; give a CSV with the "
            f"columns partner (hub label such as VNM-HAN, or ISO3) and share; it has "
            f"{list(frame.columns)}"
        )
    part = datasets.partners() if partners is None else partners
    if not isinstance(part, pd.DataFrame) or "iso3" not in part.columns:
        raise DataError("partners must be a DataFrame with an 'iso3' column")
    keys = frame["partner"].fillna("").astype(str).str.strip()
    shares = pd.to_numeric(frame["share"], errors="coerce")
    bad = ~np.isfinite(shares.to_numpy(dtype=float)) | (shares.to_numpy(dtype=float) < 0)
    if bad.any():
        raise DataError(
            f"partner split file {file.name}: share must be a finite number >= 0; bad for "
            f"{keys[bad].tolist()[:10]}"
        )
    if keys.duplicated().any():
        raise DataError(
            f"partner split file {file.name} lists partners {keys[keys.duplicated()].tolist()[:10]}"
            " more than once; give each one row"
        )
    labels = set(map(str, part.index))
    iso3 = part["iso3"].astype(str).str.upper()
    out: dict[str, float] = {}
    unknown = []
    for key, share in zip(keys, shares.to_numpy(dtype=float), strict=True):
        if key in labels:
            out[key] = out.get(key, 0.0) + share
        elif key.upper() in set(iso3):
            hubs = [str(h) for h in part.index[(iso3 == key.upper()).to_numpy()]]
            for hub in hubs:
                out[hub] = out.get(hub, 0.0) + share / len(hubs)
        else:
            unknown.append(key)
    if unknown:
        raise DataError(
            f"partner split file {file.name} names partners {unknown[:10]} that are neither "
            f"hub labels nor ISO3 codes of the partner table; use labels such as "
            f"{sorted(labels)[:3]} or ISO3 codes such as {sorted(set(iso3))[:3]}, or give "
            "a partner table of your own that has them (partners=, --partners FILE)"
        )
    result = pd.Series(out, name="share", dtype=float)
    result.index.name = "partner"
    return result
