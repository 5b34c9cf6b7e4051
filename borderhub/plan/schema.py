"""The column schema of a study's own tables: Chinese or English headers, units, checks.

A researcher's candidates and demand carry the headers of their sources: ``城市``,
``省份``, ``经度``/``纬度``, ``快递业务量(万件)``. :data:`COLUMNS` lists the columns a plan
reads, each with the names it is recognised under (any case; Chinese and English) and,
for a quantity, its unit in the library and the units it converts from.
:func:`standard_columns` renames a table's columns to these names, converts quantities to
the library's units and refuses values that cannot be right (text in a number column, a
negative volume); :func:`check_provinces` names the places that lie outside the province
they claim. Longitude and latitude are found by :func:`borderhub.io.read_points`
(``lon``/``经度``, ``lat``/``纬度``, Amap's ``location``).

A quantity's unit is part of its header -- ``快递业务量(万件)``, ``快递业务量（亿件）``,
``express_volume_万件`` -- or given for the whole table (``volume_unit="万件"``,
``--volume-unit 万件``). A Chinese volume header without either is refused: 快递业务量 is
published in 万件 and in 亿件, and a factor of 10,000 is not a detail to guess. The
English ``express_volume`` is in the library's unit, 亿件, unless ``volume_unit`` says
otherwise.

Examples
--------
>>> import pandas as pd
>>> from borderhub.plan.schema import standard_columns
>>> table = pd.DataFrame({"城市": ["哈尔滨", "长春"], "省份": ["黑龙江", "吉林"],
...                       "快递业务量(万件)": [52000, 41000]})
>>> frame, notes = standard_columns(table, "candidates")
>>> list(frame.columns), frame["express_volume"].tolist()
(['name', 'province', 'express_volume'], [5.2, 4.1])
>>> notes[-1]
"candidates: column '快递业务量(万件)' read as express_volume, 万件 converted to 亿件"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = [
    "COLUMNS",
    "Column",
    "VOLUME_UNITS",
    "standard_columns",
    "standard_column_name",
    "check_provinces",
    "province_key",
]


@dataclass(frozen=True)
class Column:
    """One column of the study schema.

    Attributes
    ----------
    name : str
        The name the library reads (``province``, ``express_volume`` ...).
    aliases : tuple of str
        Further headers it is recognised under (compared without case and spaces).
    kind : {"text", "number", "flag"}
        Text, a number (checked: finite and >= 0, blank = missing) or a yes/no flag.
    unit : str
        The library's unit of a number ("" when it has none).
    units : dict
        Units a header or ``volume_unit`` may state -> factor to the library's unit.
    zh, en : str
        What the column holds, for the documentation and the template files.
    """

    name: str
    aliases: tuple[str, ...]
    kind: str = "text"
    unit: str = ""
    units: Any = None
    zh: str = ""
    en: str = ""


#: Units of an express volume -> factor to 亿件 (10^8 items).
VOLUME_UNITS: dict[str, float] = {
    "亿件": 1.0,
    "万件": 1e-4,
    "件": 1e-8,
    "1e8": 1.0,
    "1e4": 1e-4,
    "items": 1e-8,
}
_POPULATION_UNITS = {"人": 1.0, "万人": 1e4, "persons": 1.0}
_TONNE_UNITS = {"万吨": 1.0, "吨": 1e-4, "1e4 t": 1.0, "t": 1e-4}

#: The columns of a study's candidates and demand (besides the coordinates).
COLUMNS: dict[str, Column] = {
    c.name: c
    for c in (
        Column("name", ("名称", "城市", "城市名称", "地名", "名字", "地市", "city", "place"),
               zh="地名", en="place name"),
        Column("province", ("省份", "省", "省区", "所属省份", "省级行政区", "prov"),
               zh="所在省份（如 黑龙江 或 黑龙江省）", en="province (黑龙江 or 黑龙江省)"),
        Column("express_volume", ("快递业务量", "快递量", "快递件量", "express volume"),
               kind="number", unit="亿件", units=VOLUME_UNITS,
               zh="快递业务量（表头注明单位：万件、亿件或件）",
               en="express volume (unit in the header: 万件, 亿件 or 件)"),
        Column("population", ("人口", "常住人口"), kind="number", unit="persons",
               units=_POPULATION_UNITS, zh="常住人口（人或万人）",
               en="resident population (persons or 万人)"),
        Column("airport_cargo", ("机场货邮吞吐量", "货邮吞吐量", "航空货邮"), kind="number",
               unit="万吨", units=_TONNE_UNITS, zh="机场货邮吞吐量（万吨）",
               en="airport cargo and mail (10^4 tonnes)"),
        Column("coastal", ("沿海", "是否沿海"), kind="flag", zh="沿海（是/否）",
               en="coastal place (yes/no)"),
        Column("rail_hub", ("中欧班列", "中欧班列集结中心", "中欧班列枢纽"), kind="flag",
               zh="中欧班列集结中心（是/否）", en="China-Europe Railway Express hub (yes/no)"),
        Column("cbec_batch", ("跨境电商综试区批次", "综试区批次", "综试区"), kind="number",
               zh="跨境电子商务综合试验区批次（1-7，空＝无）",
               en="cross-border e-commerce pilot zone batch (1-7; blank: none)"),
    )
}  # fmt: skip

_UNIT = re.compile(r"^(?P<base>.*?)\s*(?:[(（\[【](?P<a>[^)）\]】]+)[)）\]】]|_(?P<b>[^_]+))\s*$")
_YES = {"是", "有", "yes", "y", "true", "t", "1", "1.0", "√"}
_NO = {"否", "无", "no", "n", "false", "f", "0", "0.0", "×", ""}


def _key(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text).strip().lower())


def _lookup() -> dict[str, Column]:
    out: dict[str, Column] = {}
    for column in COLUMNS.values():
        for alias in (column.name, *column.aliases):
            out[_key(alias)] = column
    return out


def _header(header: Any) -> tuple[Column | None, str | None]:
    """The schema column a header names and the unit it states (None: none stated)."""
    known = _lookup()
    column = known.get(_key(header))
    if column is not None:
        return column, None
    match = _UNIT.match(str(header).strip())
    if match is None:
        return None, None
    column = known.get(_key(match["base"]))
    unit = (match["a"] or match["b"] or "").strip()
    if column is None or column.units is None:
        return None, None
    return column, unit


def standard_column_name(header: Any) -> str | None:
    """The schema name of a header (``"快递业务量(万件)"`` -> ``"express_volume"``), or None.

    Parameters
    ----------
    header : str
        A column header.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from borderhub.plan.schema import standard_column_name
    >>> standard_column_name("省份"), standard_column_name("快递业务量（万件）")
    ('province', 'express_volume')
    """
    column, _ = _header(header)
    return column.name if column is not None else None


def _labels(frame: Any, mask: np.ndarray) -> list[str]:
    names = frame["name"] if "name" in frame.columns else None
    out = []
    for k in np.flatnonzero(mask)[:10]:
        label = str(frame.index[k])
        name = str(names.iloc[k]) if names is not None and pd.notna(names.iloc[k]) else ""
        out.append(f"{name} ({label})" if name and name != label else label)
    return out


def _number(frame: Any, column: str, header: str, where: str) -> pd.Series:
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    text = (values.isna() & ~blank).to_numpy()
    if text.any():
        shown = [str(v) for v in raw[text].tolist()[:5]]
        raise DataError(
            f"{where}: column {header!r} must hold numbers; {_labels(frame, text)} have "
            f"{shown}; write plain numbers (no units or thousands separators) or leave "
            "the cell blank for a missing value"
        )
    bad = (~np.isfinite(values.to_numpy()) & ~values.isna().to_numpy()) | (values < 0).to_numpy()
    if bad.any():
        raise DataError(
            f"{where}: column {header!r} must hold finite numbers >= 0; "
            f"{_labels(frame, bad)} have {values[bad].tolist()[:5]}; correct them or "
            "leave the cell blank for a missing value"
        )
    return values


def _flag(frame: Any, column: str, header: str, where: str) -> pd.Series:
    raw = frame[column]
    if raw.dtype == bool:
        return raw.astype(bool)
    text = raw.fillna("").astype(str).str.strip().str.lower()
    unknown = ~text.isin(_YES | _NO)
    if unknown.any():
        raise DataError(
            f"{where}: column {header!r} must say yes or no; {_labels(frame, unknown.to_numpy())} "
            f"have {raw[unknown].tolist()[:5]}; write 是/否 (or yes/no, 1/0)"
        )
    return text.isin(_YES)


def _unit_factor(
    column: Column, unit: str | None, given: str | None, header: str, where: str
) -> float:
    units = column.units or {}
    if unit is not None and unit not in units:
        raise DataError(
            f"{where}: column {header!r} states the unit {unit!r}, which is not one of "
            f"{list(units)}; rename the header, e.g. {column.aliases[0]}({next(iter(units))})"
        )
    if unit is not None and given is not None and column.name == "express_volume" and given != unit:
        raise SpecificationError(
            f"{where}: column {header!r} states {unit} but volume_unit is {given!r}; drop "
            "volume_unit or correct the header"
        )
    if unit is None and column.name == "express_volume":
        unit = given
        if unit is None and header != column.name:
            raise DataError(
                f"{where}: column {header!r} gives no unit; name it {header}(万件) or "
                f"{header}(亿件), or give volume_unit (--volume-unit 万件)"
            )
    return float(units.get(unit, 1.0)) if unit is not None else 1.0


def standard_columns(
    frame: Any, role: str, *, volume_unit: str | None = None
) -> tuple[Any, list[str]]:
    """A study table with the schema's column names, quantities in the library's units.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        Candidates or demand as read (not changed: a renamed copy is returned).
    role : str
        ``"candidates"`` or ``"demand"``, for messages.
    volume_unit : {"亿件", "万件", "件"}, optional
        Unit of express-volume columns whose header states none.

    Returns
    -------
    frame : same type as ``frame``
        Columns renamed to the names of :data:`COLUMNS`, numbers converted (快递业务量 to
        亿件, 人口 to persons, 货邮吞吐量 to 万吨) and checked, flags as booleans.
    notes : list of str
        One line per column read under another name or converted.

    Raises
    ------
    DataError
        Text or a negative number in a number column, a flag that is neither yes nor no,
        an unknown unit, a volume header without a unit, two headers for one column.
    SpecificationError
        ``volume_unit`` is not a unit of express volume, or contradicts a header.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.plan.schema import standard_columns
    >>> standard_columns(pd.DataFrame({"快递业务量": [-600.0]}), "demand", volume_unit="万件")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.DataError: demand: column '快递业务量' must hold finite numbers ...
    """
    if volume_unit is not None and volume_unit not in VOLUME_UNITS:
        raise SpecificationError(
            f"volume_unit must be one of {list(VOLUME_UNITS)}, got {volume_unit!r}"
        )
    where = role
    found: dict[str, tuple[str, Column, str | None]] = {}
    for header in frame.columns:
        if header == "geometry":
            continue
        column, unit = _header(header)
        if column is None:
            continue
        if column.name in found:
            other = found[column.name][0]
            if other == column.name or header == column.name:
                # the library's own name wins over an alias (e.g. bundled tables)
                if header == column.name:
                    found[column.name] = (str(header), column, unit)
                continue
            raise DataError(
                f"{where}: columns {other!r} and {header!r} both give {column.name}; keep one"
            )
        found[column.name] = (str(header), column, unit)
    out = frame.copy()
    notes: list[str] = []
    renames = {h: c.name for h, c, _ in found.values() if h != c.name}
    clash = [new for old, new in renames.items() if new in out.columns and new != old]
    out = out.drop(columns=clash).rename(columns=renames)
    for header, column, unit in found.values():
        name = column.name
        if column.kind == "number":
            factor = _unit_factor(column, unit, volume_unit, header, where)
            values = _number(out, name, header, where)
            out[name] = values * factor if factor != 1.0 else values
            stated = unit or (volume_unit if name == "express_volume" else None)
            if factor != 1.0:
                notes.append(
                    f"{where}: column {header!r} read as {name}, {stated} converted to "
                    f"{column.unit}"
                )
            elif header != name:
                notes.append(f"{where}: column {header!r} read as {name}")
        elif column.kind == "flag":
            out[name] = _flag(out, name, header, where)
            if header != name:
                notes.append(f"{where}: column {header!r} read as {name}")
        else:
            if header != name:
                notes.append(f"{where}: column {header!r} read as {name}")
    return out, notes


def province_key(name: Any) -> str:
    """A province name without its suffix: ``黑龙江省`` -> ``黑龙江``.

    Parameters
    ----------
    name : str
        A province name, with or without 省, 市, 自治区 ...

    Returns
    -------
    str

    Examples
    --------
    >>> from borderhub.plan.schema import province_key
    >>> province_key("内蒙古自治区"), province_key("黑龙江")
    ('内蒙古', '黑龙江')
    """
    text = str(name).strip()
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _km_outside(shape: Any, point: Any) -> float:
    import shapely
    from pyproj import Geod

    line = shapely.shortest_line(point, shape)
    (x0, y0), (x1, y1) = shapely.get_coordinates(line)
    return float(Geod(ellps="WGS84").inv(x0, y0, x1, y1)[2]) / 1000.0


#: How far (km) a place may lie outside the simplified outline of the province it claims.
PROVINCE_TOLERANCE_KM = 15.0


def check_provinces(frame: Any, role: str) -> None:
    """Refuse places that lie outside the province they claim (``province`` column).

    Each place is tested against the bundled province outline
    (:func:`borderhub.datasets.boundaries`), with a margin of
    :data:`PROVINCE_TOLERANCE_KM` for the outlines' simplification. Province names the
    layer does not know are not tested.

    Parameters
    ----------
    frame : pandas.DataFrame
        Places with ``lon``, ``lat`` and ``province``.
    role : str
        What they are, for the message.

    Raises
    ------
    DataError
        Naming each place outside its province, the province and how far outside it is.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.plan.schema import check_provinces
    >>> sites = pd.DataFrame({"name": ["哈尔滨", "符拉迪沃斯托克"],
    ...                       "province": ["黑龙江", "黑龙江"],
    ...                       "lon": [126.53, 131.89], "lat": [45.80, 43.12]},
    ...                      index=["a", "b"])
    >>> check_provinces(sites, "candidates")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.DataError: candidates: 符拉迪沃斯托克 (b) lies ... outside 黑龙江, ...
    """
    import shapely

    from borderhub import datasets

    if "province" not in getattr(frame, "columns", ()) or not len(frame):
        return
    layer = datasets.boundaries("province")
    shapes = {province_key(n): g for n, g in zip(layer["name"], layer.geometry, strict=True)}
    keys = frame["province"].map(lambda v: province_key(v) if pd.notna(v) else "")
    lon = np.asarray(frame["lon"], dtype=float)
    lat = np.asarray(frame["lat"], dtype=float)
    tolerance = PROVINCE_TOLERANCE_KM / 111.0
    outside: list[str] = []
    for key in sorted(set(keys) & set(shapes)):
        rows = (keys == key).to_numpy()
        shape = shapes[key]
        points = shapely.points(lon[rows], lat[rows])
        near = shapely.dwithin(shape, points, tolerance)
        for k, ok, point in zip(np.flatnonzero(rows), near, points, strict=True):
            if not ok:
                km = _km_outside(shape, point)
                mask = np.zeros(len(frame), dtype=bool)
                mask[k] = True
                outside.append(f"{_labels(frame, mask)[0]} lies about {km:,.0f} km outside {key}")
    if outside:
        raise DataError(
            f"{role}: {'; '.join(outside[:10])}, the province it claims; correct the "
            "coordinates (WGS84 lon/lat; GCJ-02 needs --coordinates gcj02) or the province, "
            "or drop the row"
        )
