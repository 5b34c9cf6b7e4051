"""RCEP corridor maps: an interactive folium map and a static matplotlib twin.

:func:`corridor_map` draws the places of 专栏4 by tier, candidate scores, a location
solution (chosen centres and the allocation of demand units), the partner hubs and the
international express corridors as great-circle arcs, on a choice of basemaps. It returns a
:class:`folium.Map`; ``m.save("map.html")`` writes the page.

Three things set it apart from a plain folium map:

* **Self-contained pages.** With ``self_contained=True`` the page embeds Leaflet's
  JavaScript and CSS (and the few images the CSS refers to, as data URIs) instead of
  linking to a CDN, so it opens on networks where jsdelivr/unpkg are blocked and from a
  file with no network at all (tiles excepted). The files ship inside borderhub
  (``borderhub/_assets``, see its README for versions, origin and licences); nothing is
  downloaded at run time. Only Leaflet is needed: markers are Leaflet circle markers and
  popups are plain Leaflet popups, so jQuery, Bootstrap and Font Awesome are not loaded.
* **GCJ-02 basemaps.** Chinese web maps (Amap/Gaode) draw their tiles in GCJ-02, the
  offset coordinate system mandated in China. With ``tiles="amap"`` every overlay is shifted
  from WGS84 to GCJ-02 (:func:`borderhub.geo.wgs84_to_gcj02`) so markers sit on the right
  streets; with the other basemaps overlays stay in WGS84.
* **Escaping.** Every string that comes from the data or the caller (names, popups,
  tooltips, legend, layer names, title) is HTML-escaped before it reaches the page, and data
  embedded in scripts is JSON-encoded with ``<``, ``>`` and ``&`` escaped, so a place named
  ``<script>alert(1)</script>`` shows as text.

:func:`static_map` draws the same content with matplotlib (no tiles, no network) for print.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.template import Template

from borderhub import _cartography as _carto
from borderhub.exceptions import DataError, SpecificationError
from borderhub.geo import as_points

__all__ = ["corridor_map", "static_map", "TILES", "LEAFLET_VERSION"]

#: Version of the Leaflet files shipped in ``borderhub/_assets/leaflet``.
LEAFLET_VERSION = "1.9.4"

_ASSETS = Path(__file__).resolve().parent / "_assets"
_LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"

# Tile servers (OpenStreetMap's in particular) require a Referer header; ask the browser to
# send the page's origin even where its default policy is stricter.
_REFERRER_POLICY = "strict-origin-when-cross-origin"

_OSM_ATTR = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


@dataclass(frozen=True)
class _Basemap:
    url: str
    attribution: str
    name: str
    subdomains: str = "abc"
    max_zoom: int = 18
    gcj02: bool = False
    needs_key: bool = False
    labels: str | None = None  # URL of a label overlay (Tianditu)


#: Basemaps accepted by ``corridor_map(tiles=...)``. ``amap`` is drawn in GCJ-02 (overlays
#: are shifted to match); ``tianditu`` needs the caller's key (``tiles_key=``).
TILES: dict[str, _Basemap] = {
    "osm": _Basemap(
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution=_OSM_ATTR,
        name="OpenStreetMap",
        subdomains="abc",
        max_zoom=19,
    ),
    "amap": _Basemap(
        url=(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
            "&style=8&x={x}&y={y}&z={z}"
        ),
        attribution='&copy; <a href="https://www.amap.com/">高德地图 Amap</a> (GCJ-02)',
        name="高德 Amap",
        subdomains="1234",
        gcj02=True,
    ),
    "cartodb-positron": _Basemap(
        url="https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        attribution=_OSM_ATTR + ' &copy; <a href="https://carto.com/attributions">CARTO</a>',
        name="CartoDB Positron",
        subdomains="abcd",
        max_zoom=20,
    ),
    "tianditu": _Basemap(
        url=(
            "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
            "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
        ),
        labels=(
            "https://t{s}.tianditu.gov.cn/{lab}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
            "&VERSION=1.0.0&LAYER={lab}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
            "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
        ),
        attribution='&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>',
        name="天地图 Tianditu",
        subdomains="01234567",
    ),
}

_MODES = ("air", "rail", "sea", "road")
_MODE_STYLE: dict[str, dict[str, Any]] = {
    "air": {"color": "#6a3d9a", "weight": 1.6, "opacity": 0.75, "dashArray": "6 5"},
    "rail": {"color": "#b15928", "weight": 3.0, "opacity": 0.85},
    "sea": {"color": "#1f78b4", "weight": 2.4, "opacity": 0.8, "dashArray": "12 4 2 4"},
    "road": {"color": "#33a02c", "weight": 2.4, "opacity": 0.85, "dashArray": "2 5"},
}


# Okabe-Ito colours. Tiers that name a kind of centre (rail, port) are drawn as rings
# around the filled marker of the place's other tier, so several memberships stay visible.
@dataclass(frozen=True)
class _TierStyle:
    fill: str
    radius: float
    ring: bool = False


_TIER_STYLE: dict[str, _TierStyle] = {
    "CORE": _TierStyle("#D55E00", 9.0),
    "LONG_TERM": _TierStyle("#CC79A7", 8.0),
    "PROVINCIAL": _TierStyle("#0072B2", 7.0),
    "ENCOURAGED": _TierStyle("#009E73", 5.0),
    "RAIL": _TierStyle("#E69F00", 12.0, ring=True),
    "PORT": _TierStyle("#56B4E9", 14.5, ring=True),
}


def _tier_style(tier: Any) -> _TierStyle:
    return _TIER_STYLE.get(tier.name, _TierStyle("#777777", 6.0))


_TIER_SHORT = {
    "CORE": ("强化综合性中心", "Core: strengthen comprehensive centres"),
    "LONG_TERM": ("长远发展", "Long-term comprehensive centres"),
    "PROVINCIAL": ("省会辐射", "Provincial capitals"),
    "ENCOURAGED": ("鼓励建设", "Encouraged"),
    "RAIL": ("铁路（中欧班列）", "Rail (China-Europe Railway Express)"),
    "PORT": ("港口", "Port (coastal)"),
}
_FACILITY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#e7298a",
    "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173",
    "#3182bd", "#e6550d", "#31a354", "#756bb1",
)  # fmt: skip

_MODE_NAMES: dict[str, dict[str, str]] = {
    "zh": {"air": "航空", "rail": "铁路", "sea": "海运", "road": "公路"},
    "en": {"air": "air", "rail": "rail", "sea": "sea", "road": "road"},
}

#: Fill colour of candidates that are in no tier of 专栏4 (a tiers column with empty cells).
_NO_TIER_FILL = "#bdbdbd"

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "tier_layer": "专栏4 · {short}",
        "candidates": "候选地",
        "no_tier": "其他候选地（未列入专栏4）",
        "scores": "评分",
        "centres": "方案 · 选中中心",
        "unchosen": "方案 · 未选中候选地",
        "allocation": "方案 · 需求分配",
        "demand": "需求单元",
        "rcep": "RCEP 伙伴枢纽",
        "other_partners": "其他通道端点",
        "partners": "伙伴枢纽",
        "corridor": "通道 · {name}（{mode}）",
        "legend": "图例 Legend",
        "tiers": "专栏4 层级",
        "score": "评分",
        "rank": "排名",
        "weight": "权重",
        "cost": "成本",
        "served": "服务需求",
        "units": "个单元",
        "chosen": "选中中心",
        "not_chosen": "未选中",
        "uncovered": "未覆盖",
        "corridors": "通道",
        "labels_major": "名称 · 选中中心",
        "labels_all": "名称 · 全部候选地",
        "fill_cluster": "填充色 = 服务片区（中心及其服务的需求）",
        "outline_tier": "边框色 = 专栏4 层级",
        "yes": "是",
        "no": "否",
    },
    "en": {
        "tier_layer": "Column 4 · {short}",
        "candidates": "Candidates",
        "no_tier": "Other candidates (not in Column 4)",
        "scores": "Scores",
        "centres": "Solution · chosen centres",
        "unchosen": "Solution · candidates not chosen",
        "allocation": "Solution · allocation",
        "demand": "Demand units",
        "rcep": "RCEP partner hubs",
        "other_partners": "Other corridor endpoints",
        "partners": "Partner hubs",
        "corridor": "Corridor · {name} ({mode})",
        "legend": "Legend",
        "tiers": "Column 4 tiers",
        "score": "score",
        "rank": "rank",
        "weight": "weight",
        "cost": "cost",
        "served": "demand served",
        "units": "units",
        "chosen": "chosen centre",
        "not_chosen": "not chosen",
        "uncovered": "not covered",
        "corridors": "Corridors",
        "labels_major": "Labels · chosen centres",
        "labels_all": "Labels · all candidates",
        "fill_cluster": "fill = cluster (a centre and the demand it serves)",
        "outline_tier": "outline colour = Column 4 tier",
        "yes": "yes",
        "no": "no",
    },
}

# Popup rows: column -> (zh label, en label).
_CANDIDATE_FIELDS = {
    "name": ("名称", "name"),
    "plan_name": ("规划用名", "name in the plan"),
    "province": ("省份", "province"),
    "prefecture_adcode": ("地级代码", "prefecture adcode"),
    "population": ("常住人口（2020）", "population (2020)"),
    "express_volume": ("快递业务量（亿件，估计）", "express volume (1e8 items, est.)"),
    "border_port": ("边境口岸", "border port"),
    "border_neighbour": ("毗邻国家", "neighbouring country"),
    "cbec_batch": ("跨境电商综试区批次", "cross-border e-commerce zone batch"),
    "rail_hub": ("中欧班列集结中心", "China-Europe rail hub"),
    "coastal": ("沿海", "coastal"),
    "airport_cargo": ("机场货邮吞吐量（万吨）", "airport cargo (10k t)"),
    "airport_cargo_year": ("货邮数据年份", "airport cargo year"),
}
_PARTNER_FIELDS = {
    "city": ("城市", "city"),
    "country": ("国家", "country"),
    "iso3": ("ISO3", "ISO3"),
    "region": ("区域", "region"),
    "rcep": ("RCEP 成员", "RCEP member"),
    "role": ("角色", "role"),
}
_SKIP_COLUMNS = {"geometry", "lon", "lat", "tiers", "geonameid", "plan_text"}
# Provenance columns stay in the data, not in the popups.
_SKIP_SUFFIX = re.compile(r"(_source|_method|_quality|_gcj02)$")


# --------------------------------------------------------------------------- helpers


def _esc(value: Any) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)


def _js(obj: Any) -> str:
    """JSON for embedding in a <script>: no way to close the tag or open a comment."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _fmt(value: Any, lang: str, grouped: bool = True) -> str | None:
    """Format one popup value; None for missing values. ``grouped``: thousands separators."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return _TEXT[lang]["yes"] if value else _TEXT[lang]["no"]
    if isinstance(value, int | np.integer):
        return f"{int(value):,}" if grouped else str(int(value))
    if isinstance(value, float | np.floating):
        if not np.isfinite(value):
            return None
        v = float(value)
        if v.is_integer() and abs(v) < 1e15:
            return f"{int(v):,}" if grouped else str(int(v))
        return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
    text = str(value)
    return text if text.strip() else None


def _table(rows: Iterable[tuple[str, str]], head: str) -> str:
    """Popup HTML from already-escaped label/value pairs."""
    body = "".join(
        f'<tr><th style="text-align:left;padding-right:8px;font-weight:600">{k}</th>'
        f"<td>{v}</td></tr>"
        for k, v in rows
    )
    return (
        f'<div style="font-size:12px"><b style="font-size:13px">{head}</b>'
        f"<table>{body}</table></div>"
    )


def _rnd(values: np.ndarray) -> list:
    return np.round(np.asarray(values, dtype=float), 5).tolist()


def _as_points(frame: Any, role: str) -> pd.DataFrame:
    """Validate a GeoDataFrame and return a plain copy with WGS84 ``_lon``/``_lat``."""
    if not isinstance(frame, gpd.GeoDataFrame):
        kind = type(frame).__name__
        raise DataError(
            f"{role} must be a GeoDataFrame with point geometry and a CRS, got {kind}. "
            "Build one with geopandas.GeoDataFrame(df, geometry=geopandas.points_from_xy("
            "df.lon, df.lat), crs='EPSG:4326')."
        )
    try:
        geom = frame.geometry
    except AttributeError as err:
        raise DataError(
            f"{role} has no active geometry column; set one with .set_geometry(...)."
        ) from err
    if frame.crs is None:
        raise DataError(
            f"{role} has no CRS; set it with .set_crs('EPSG:4326') (WGS84 lon/lat) or the "
            "CRS the coordinates are in."
        )
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()].unique().tolist()[:10]
        raise DataError(f"{role} has duplicate index labels {dup}; labels must be unique.")
    bad = geom.isna() | geom.is_empty
    if bad.any():
        raise DataError(
            f"{role} has missing or empty geometry for labels "
            f"{frame.index[bad.to_numpy()].tolist()[:10]}; drop or fix those rows."
        )
    # one rule for every geometry that stands for a place: borderhub.geo.as_points
    geom = as_points(frame, role).geometry
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out["_lon"] = geom.x.to_numpy()
    out["_lat"] = geom.y.to_numpy()
    return out


def _display_name(frame: pd.DataFrame, column: str = "name") -> pd.Series:
    if column in frame.columns:
        names = frame[column].astype("string").fillna("")
        return names.where(names.str.len() > 0, pd.Series(frame.index.astype(str), frame.index))
    return pd.Series(frame.index.astype(str), index=frame.index)


def _tier_enum():
    from borderhub.policy import Tier

    return Tier


def _parse_tiers(cand: pd.DataFrame) -> dict[Any, list[Any]] | None:
    """Tier members of each candidate (enum order), or None without a ``tiers`` column."""
    if "tiers" not in cand.columns:
        return None
    from borderhub.policy import parse_tiers

    return {k: sorted(parse_tiers(v, label=k)) for k, v in cand["tiers"].items()}


@dataclass
class _Solution:
    open: list[Any]
    assignment: pd.DataFrame | None


def _parse_solution(solution: Any, cand: pd.DataFrame) -> _Solution:
    open_: list[Any] | None
    assignment: Any
    if isinstance(solution, pd.DataFrame):
        assignment, open_ = solution, None
    elif hasattr(solution, "open"):
        open_ = list(solution.open)
        assignment = getattr(solution, "assignment", None)
    elif isinstance(solution, Iterable) and not isinstance(solution, str | bytes | Mapping):
        open_, assignment = list(solution), None
    else:
        raise SpecificationError(
            f"solution must be a borderhub Solution, an assignment DataFrame (index = demand "
            f"label, columns facility, cost, weight) or a list of open labels; got "
            f"{type(solution).__name__}."
        )
    if assignment is not None:
        if not isinstance(assignment, pd.DataFrame) or "facility" not in assignment.columns:
            raise DataError(
                "solution assignment must be a DataFrame indexed by demand label with a "
                "'facility' column (and optional 'weight', 'cost')."
            )
        assignment = assignment.copy()
        # Demand without a centre (NaN facility, or covered == False in coverage models) is
        # drawn as not covered, with no allocation line.
        served = assignment["facility"].notna().to_numpy(dtype=bool, copy=True)
        if "covered" in assignment.columns:
            served &= assignment["covered"].fillna(False).astype(bool).to_numpy()
        assignment["_served"] = served
        if open_ is None:
            open_ = list(pd.unique(assignment.loc[served, "facility"]))
    open_ = list(dict.fromkeys(open_ or []))
    facilities = (
        []
        if assignment is None
        else list(pd.unique(assignment.loc[assignment["_served"], "facility"]))
    )
    missing = [x for x in open_ if x not in cand.index]
    missing += [x for x in facilities if x not in cand.index and x not in missing]
    if missing:
        raise DataError(
            f"solution labels {missing[:10]} are not in the candidates' index "
            f"(e.g. {cand.index[:3].tolist()}); pass the candidates the model was solved on."
        )
    stray = [x for x in facilities if x not in open_]
    if stray:
        raise DataError(f"solution assigns demand to {stray[:10]}, which are not in solution.open.")
    return _Solution(open=open_, assignment=assignment)


def _parse_scores(scores: Any, cand: pd.DataFrame) -> pd.DataFrame:
    if isinstance(scores, pd.Series):
        frame = scores.rename("score").to_frame()
    elif isinstance(scores, pd.DataFrame):
        if "score" not in scores.columns:
            raise DataError(
                f"scores needs a 'score' column (as returned by borderhub.score); "
                f"got columns {list(scores.columns)[:10]}."
            )
        frame = scores[[c for c in ("score", "rank") if c in scores.columns]].copy()
    else:
        raise SpecificationError(
            f"scores must be a DataFrame with a 'score' column or a Series, got "
            f"{type(scores).__name__}."
        )
    missing = [x for x in frame.index if x not in cand.index]
    if missing:
        raise DataError(
            f"scores labels {missing[:10]} are not in the candidates' index; score the "
            "same candidates you map."
        )
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()].unique().tolist()[:10]
        raise DataError(f"scores has duplicate labels {dup}; give one score per candidate.")
    values = pd.to_numeric(frame["score"], errors="coerce")
    wrong = values.isna() & frame["score"].notna()
    if wrong.any():
        shown = dict(frame.loc[wrong, "score"].items())
        raise DataError(
            f"scores must be numbers; not numeric for {list(shown)[:10]}: "
            f"{list(shown.values())[:5]}. Convert them (e.g. with pandas.to_numeric) or drop "
            "those rows."
        )
    frame["score"] = values.astype(float)
    frame = frame[np.isfinite(frame["score"])]
    if "rank" not in frame.columns:
        frame["rank"] = frame["score"].rank(ascending=False, method="min")
    return frame.sort_values("rank")


@dataclass
class _Corridor:
    id: str
    name: str
    mode: str
    popup_rows: list[tuple[str, str]]
    arcs: list[tuple[str, str, list[np.ndarray]]] = field(default_factory=list)
    origin_names: dict[str, str] = field(default_factory=dict)


@dataclass
class _Content:
    lang: str
    cand: pd.DataFrame
    tiers: dict[Any, list[Any]] | None
    scores: pd.DataFrame | None
    solution: _Solution | None
    demand: pd.DataFrame | None
    partners: pd.DataFrame
    corridors: list[_Corridor]
    title: str | None


def _default(name: str) -> Any:
    """A table of :mod:`borderhub.datasets` (imported only when a default is needed)."""
    from borderhub import datasets

    return getattr(datasets, name)()


def _prepare(
    candidates: Any,
    solution: Any,
    partners: Any,
    corridors: Any,
    scores: Any,
    title: Any,
    lang: str,
    demand: Any,
    arc_points: int = 48,
) -> _Content:
    if not isinstance(lang, str) or lang not in _TEXT:
        raise SpecificationError(f"lang must be one of {sorted(_TEXT)}, got {lang!r}.")
    if title is not None and not isinstance(title, str):
        raise SpecificationError(f"title must be a string or None, got {type(title).__name__}.")
    cand = _as_points(_default("candidates") if candidates is None else candidates, "candidates")
    cand["_name"] = _display_name(cand)
    tiers = _parse_tiers(cand)
    score_frame = None if scores is None else _parse_scores(scores, cand)
    sol = None if solution is None else _parse_solution(solution, cand)

    dem = None
    if demand is not None:
        dem = _as_points(demand, "demand")
    elif sol is not None and sol.assignment is not None:
        labels = sol.assignment.index
        if labels.isin(cand.index).all():
            dem = cand
        else:
            dem = _as_points(_default("prefectures"), "demand")
    if dem is not None and "_name" not in dem.columns:
        dem["_name"] = _display_name(dem)
    if sol is not None and sol.assignment is not None:
        assert dem is not None
        missing = [x for x in sol.assignment.index if x not in dem.index]
        if missing:
            raise DataError(
                f"solution assignment has demand labels {missing[:10]} that are not in the "
                "demand frame's index; pass demand= the frame the model was solved on."
            )

    part = _as_points(_default("partners") if partners is None else partners, "partners")
    part["_name"] = _display_name(part, "city")

    corr_frame = _default("corridors") if corridors is None else corridors
    if not isinstance(corr_frame, pd.DataFrame):
        raise DataError(f"corridors must be a DataFrame, got {type(corr_frame).__name__}.")
    need = {"mode", "origin", "partners"} - set(corr_frame.columns)
    if need:
        raise DataError(
            f"corridors is missing columns {sorted(need)}; it needs mode, origin "
            "(';'-joined adcodes) and partners (';'-joined partner ids)."
        )
    lookup = [cand] + ([dem] if dem is not None else [])
    if corridors is None and candidates is not None:
        shipped = _as_points(_default("candidates"), "candidates")
        shipped["_name"] = _display_name(shipped)
        lookup.append(shipped)
    corr = _build_corridors(corr_frame.copy(), lookup, part, lang, arc_points)

    return _Content(
        lang=lang,
        cand=cand,
        tiers=tiers,
        scores=score_frame,
        solution=sol,
        demand=dem,
        partners=part,
        corridors=corr,
        title=title,
    )


def _split(value: Any) -> list[str]:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def _build_corridors(
    frame: pd.DataFrame,
    lookup: list[pd.DataFrame],
    part: pd.DataFrame,
    lang: str,
    n: int,
) -> list[_Corridor]:
    """Corridors with their arcs: every origin place to every partner hub."""
    from borderhub.geo import great_circle

    out = []
    for cid, row in frame.iterrows():
        mode = str(row["mode"]).strip().lower()
        if mode not in _MODES:
            raise DataError(f"corridor {cid!r} has mode {row['mode']!r}; modes are {_MODES}.")
        name = str(row["name"]) if "name" in frame.columns and pd.notna(row["name"]) else str(cid)
        rows = [(_esc("id"), _esc(cid)), (_esc(_MODE_NAMES[lang][mode]), _esc(mode))]
        for col in ("destination_region", "plan_ref", "description"):
            v = _fmt(row[col], lang) if col in frame.columns else None
            if v is not None:
                rows.append((_esc(col.replace("_", " ")), _esc(v)))
        corridor = _Corridor(id=str(cid), name=name, mode=mode, popup_rows=rows)
        origins: list[tuple[str, tuple[float, float]]] = []
        for code in _split(row["origin"]):
            table = next((t for t in lookup if code in t.index), None)
            if table is None:
                raise DataError(
                    f"corridor {cid!r}: origin {code!r} is in neither the candidates nor the "
                    "demand units; pass frames that contain it or drop the corridor."
                )
            origins.append((code, (float(table["_lon"][code]), float(table["_lat"][code]))))
            corridor.origin_names[code] = str(table.at[code, "_name"])
        ends: list[tuple[str, tuple[float, float]]] = []
        for pid in _split(row["partners"]):
            if pid not in part.index:
                raise DataError(
                    f"corridor {cid!r}: partner {pid!r} is not in the partners' index "
                    f"(e.g. {part.index[:3].tolist()}); pass partners that contain it."
                )
            ends.append((pid, (float(part["_lon"][pid]), float(part["_lat"][pid]))))
        for code, o in origins:
            for pid, e in ends:
                corridor.arcs.append((code, pid, great_circle(o, e, n)))
        out.append(corridor)
    return out


# --------------------------------------------------------------------------- folium parts


class _RawHTML(Element):
    """HTML put into the page as is (not parsed as a Jinja template: Leaflet is 150 kB)."""

    def __init__(self, text: str):
        super().__init__("")
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class _DataElement(MacroElement):
    """A MacroElement whose rendered script goes into the page as is.

    branca wraps a rendered macro in a new ``Element``, i.e. parses it once more as a Jinja
    template: slow for megabytes of embedded data, and wrong for data that contains
    ``{{``. Here the rendered parts are added verbatim.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        if not isinstance(figure, Figure):  # pragma: no cover - same guard as branca
            raise TypeError("render the map, not a detached layer")
        module = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html)):
            macro = module.get(part)
            if macro is not None:
                target.add_child(_RawHTML(str(macro(self, kwargs))), name=self.get_name())
        script = module.get("script")
        if script is not None:
            figure.script.add_child(_RawHTML(str(script(self, kwargs))), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class _VectorLayer(_DataElement):
    """Circle markers and polylines drawn from one JSON array into the parent layer.

    Each feature is ``[kind, style, coords, overrides, tooltip_html, popup_html]`` with
    kind 0 = circle marker, 1 = polyline (nested coordinate lists = several pieces). The HTML
    strings are escaped in Python before they are embedded; in the page they are stored once
    in a string table ``T`` and features refer to them by position (-1: none).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var g = {{ this._parent.get_name() }};
            var S = {{ this.styles_js }};
            var T = {{ this.strings_js }};
            var F = {{ this.features_js }};
            for (var i = 0; i < F.length; i++) {
                var f = F[i];
                var o = L.Util.extend({}, S[f[1]], f[3] || {});
                var l = f[0] === 0 ? L.circleMarker(f[2], o) : L.polyline(f[2], o);
                if (f[4] >= 0) { l.bindTooltip(T[f[4]], {sticky: f[0] === 1}); }
                if (f[5] >= 0) { l.bindPopup(T[f[5]], {maxWidth: 380}); }
                l.addTo(g);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, styles: list[dict], features: list[list]):
        super().__init__()
        self._name = "VectorLayer"
        self.styles = styles
        self.features = features

    def _payload(self) -> tuple[list[str], list[list]]:
        table: dict[str, int] = {}
        out = []
        for f in self.features:
            refs = [table.setdefault(t, len(table)) if t else -1 for t in f[4:6]]
            out.append([f[0], f[1], f[2], f[3] or 0, *refs])
        return list(table), out

    @property
    def styles_js(self) -> str:
        return _js(self.styles)

    @property
    def strings_js(self) -> str:
        return _js(self._payload()[0])

    @property
    def features_js(self) -> str:
        return _js(self._payload()[1])

    @property
    def n_markers(self) -> int:
        return sum(1 for f in self.features if f[0] == 0)

    @property
    def n_lines(self) -> int:
        return sum(1 for f in self.features if f[0] == 1)


class _Decorations(_DataElement):
    """Title (top centre) and legend (bottom right) as Leaflet controls."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var title = {{ this.title_js }};
            if (title) {
                var t = L.DomUtil.create("div", "borderhub-title", map.getContainer());
                t.style.cssText = "position:absolute;top:10px;left:50%;"
                    + "transform:translateX(-50%);z-index:1000;background:rgba(255,255,255,.9);"
                    + "padding:4px 12px;border-radius:4px;font:600 16px/1.4 sans-serif;"
                    + "box-shadow:0 1px 5px rgba(0,0,0,.4);max-width:60%;text-align:center";
                t.innerHTML = title;
                L.DomEvent.disableClickPropagation(t);
            }
            var legend = {{ this.legend_js }};
            if (legend) {
                var c = L.control({position: "bottomright"});
                c.onAdd = function () {
                    var d = L.DomUtil.create("div", "borderhub-legend leaflet-control");
                    d.style.cssText = "background:rgba(255,255,255,.92);padding:6px 9px;"
                        + "border-radius:4px;font:11px/1.3 sans-serif;max-height:38vh;"
                        + "overflow-y:auto;max-width:265px;box-shadow:0 1px 4px rgba(0,0,0,.35)";
                    d.innerHTML = legend;
                    L.DomEvent.disableClickPropagation(d);
                    L.DomEvent.disableScrollPropagation(d);
                    return d;
                };
                c.addTo(map);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title_html: str | None, legend_html: str | None):
        super().__init__()
        self._name = "Decorations"
        self.title_html = title_html
        self.legend_html = legend_html

    @property
    def title_js(self) -> str:
        return _js(self.title_html or "")

    @property
    def legend_js(self) -> str:
        return _js(self.legend_html or "")


@cache
def _asset_text(relpath: str) -> str:
    return (_ASSETS / relpath).read_text(encoding="utf-8")


@cache
def _inline_leaflet() -> tuple[str, str]:
    """Leaflet's JS and CSS ready to inline (images as data URIs, no source-map link)."""
    js = re.sub(r"^//# sourceMappingURL=.*$", "", _asset_text("leaflet/leaflet.js"), flags=re.M)
    css = _asset_text("leaflet/leaflet.css")

    def data_uri(match: re.Match) -> str:
        path = _ASSETS / "leaflet" / match.group(1)
        payload = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{payload})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    if re.search(r"</(script|style)", js + css, flags=re.I):  # pragma: no cover - guard
        raise RuntimeError("vendored Leaflet contains a closing tag; cannot inline it")
    return js, css


class _CorridorMap(folium.Map):
    """A folium.Map that loads only Leaflet, inline when self-contained."""

    def __init__(self, *args: Any, self_contained: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.default_js = [("leaflet", f"{_LEAFLET_CDN}/leaflet.js")]
        self.default_css = [("leaflet_css", f"{_LEAFLET_CDN}/leaflet.css")]
        self.self_contained = self_contained

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        super().render(**kwargs)
        root = self.get_root()
        if self.self_contained and isinstance(root, Figure):
            _inline_assets(root)


def _inline_assets(figure: Figure) -> None:
    js, css = _inline_leaflet()
    header = figure.header._children
    external = []
    for name, child in list(header.items()):
        if isinstance(child, JavascriptLink):
            if name == "leaflet":
                header[name] = _RawHTML(f"<script>{js}</script>")
            else:
                external.append(child.url)
        elif isinstance(child, CssLink):
            if name == "leaflet_css":
                header[name] = _RawHTML(f"<style>{css}</style>")
            else:
                external.append(child.url)
    if external:
        warnings.warn(
            "self-contained map: these assets are not shipped with borderhub and stay "
            f"external links: {external}",
            UserWarning,
            stacklevel=3,
        )


def _swatch_circle(fill: str | None, stroke: str, r: float = 6, dash: str | None = None) -> str:
    f = fill if fill else "none"
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="18" height="16" style="vertical-align:middle;flex:none">'
        f'<circle cx="9" cy="8" r="{r}" fill="{f}" stroke="{stroke}" stroke-width="2"{d}/></svg>'
    )


def _swatch_line(style: Mapping[str, Any]) -> str:
    dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
    return (
        '<svg width="30" height="10" style="vertical-align:middle">'
        f'<line x1="1" y1="5" x2="29" y2="5" stroke="{style["color"]}" '
        f'stroke-width="{style["weight"]}"{dash}/></svg>'
    )


# --------------------------------------------------------------------------- layers


# A feature of a vector layer: [kind, style index, coords, style overrides or 0,
# tooltip HTML, popup HTML]; kind 0 = circle marker at [lat, lon], 1 = polyline
# ([[lat, lon], ...] or a list of such pieces).
Feature = list[Any]
Shift = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

_PARTNER_STYLE: dict[str, dict[str, Any]] = {
    "rcep": {"radius": 6, "color": "#4d004b", "weight": 2, "fillColor": "#88419d"},
    "other_partners": {"radius": 5, "color": "#252525", "weight": 2, "fillColor": "#969696"},
}
_PARTNER_STYLE["partners"] = _PARTNER_STYLE["rcep"]


@dataclass
class _Layer:
    """One overlay: escaped name, shown at start, shared styles, features."""

    name: str
    show: bool
    styles: list[dict[str, Any]]
    features: list[Feature]


@dataclass
class _Scene:
    """Shared state while building the layers."""

    c: _Content
    pos: dict[Any, list[float]]  # candidate label -> [lat, lon] as displayed
    popups: dict[Any, str]  # candidate label -> popup HTML
    records: dict[Any, dict[str, Any]]  # candidate label -> row
    colour: dict[Any, str]  # open centre -> colour
    text: dict[str, str]

    def name(self, label: Any) -> str:
        return _esc(self.c.cand.at[label, "_name"])


def _latlon(shift: Shift, lon: Any, lat: Any) -> list[list[float]]:
    x, y = shift(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack([np.round(y, 5), np.round(x, 5)]).tolist()


def _candidate_popup(
    c: _Content, label: Any, row: Mapping[str, Any], extra: Iterable[tuple[str, str]] = ()
) -> str:
    i = 0 if c.lang == "zh" else 1
    rows = [(_esc("adcode" if c.lang == "en" else "行政区划代码"), _esc(label))]
    for col, labels in _CANDIDATE_FIELDS.items():
        if col in row:
            v = _fmt(row[col], c.lang, grouped=not col.endswith("year"))
            if v is not None:
                rows.append((_esc(labels[i]), _esc(v)))
    if c.tiers is not None and c.tiers.get(label):
        tier_txt = "<br>".join(
            f"{_esc(t.name)}: {_esc(t.label_zh)} / {_esc(t.label_en)}" for t in c.tiers[label]
        )
        rows.append((_esc(_TEXT[c.lang]["tiers"]), tier_txt))
    for col, v in row.items():
        name = str(col)
        if (
            name in _CANDIDATE_FIELDS
            or name in _SKIP_COLUMNS
            or name.startswith("_")
            or _SKIP_SUFFIX.search(name)
        ):
            continue
        scalar = np.isscalar(v) or v is None or v is pd.NA
        txt = _fmt(v, c.lang, grouped=not name.endswith("year")) if scalar else None
        if txt is not None:
            rows.append((_esc(name), _esc(txt)))
    rows.extend(extra)
    return _table(rows, _esc(row["_name"]))


def _numeric(frame: pd.DataFrame, column: str, default: float) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), default)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _allocation_layers(s: _Scene, shift: Shift) -> list[_Layer]:
    """Allocation lines and demand units of a solution (or plain demand units)."""
    c, text = s.c, s.text
    sol = c.solution
    if c.demand is None:
        return []
    if sol is None or sol.assignment is None:
        dem = c.demand
        pts = _latlon(shift, dem["_lon"], dem["_lat"])
        feats = [[0, 0, p, 0, _esc(n), ""] for p, n in zip(pts, dem["_name"], strict=True)]
        style = {"radius": 2.5, "color": "#555", "weight": 1, "fillColor": "#999"}
        return [_Layer(_esc(text["demand"]), True, [{**style, "fillOpacity": 0.8}], feats)]
    a = sol.assignment
    dem = c.demand.loc[a.index]
    pts = _latlon(shift, dem["_lon"], dem["_lat"])
    w = _numeric(a, "weight", 1.0)
    cost = _numeric(a, "cost", np.nan)
    finite = w[np.isfinite(w)]
    wmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    lines: list[Feature] = []
    points: list[Feature] = []
    for k, (fac, ok) in enumerate(zip(a["facility"], a["_served"], strict=True)):
        dname = _esc(dem["_name"].iloc[k])
        if not ok:
            tip = f"{dname} · {_esc(text['uncovered'])}"
            points.append([0, 0, pts[k], {"fillColor": "#fff", "color": "#d62728"}, tip, ""])
            continue
        tip = f"{dname} → {s.name(fac)}<br>{_esc(text['weight'])}: {_esc(_fmt(w[k], c.lang))}"
        if np.isfinite(cost[k]):
            tip += f" · {_esc(text['cost'])}: {_esc(_fmt(cost[k], c.lang))}"
        width = 0.8 + 3.2 * math.sqrt(max(w[k], 0.0) / wmax) if np.isfinite(w[k]) else 1.0
        colour = s.colour[fac]
        lines.append(
            [1, 0, [pts[k], s.pos[fac]], {"color": colour, "weight": round(width, 2)}, tip, ""]
        )
        points.append([0, 0, pts[k], {"fillColor": colour, "color": colour}, tip, ""])
    dstyle = {"radius": 2.5, "weight": 1, "fillOpacity": 0.9, "opacity": 0.9}
    return [
        _Layer(_esc(text["allocation"]), True, [{"weight": 1.2, "opacity": 0.55}], lines),
        _Layer(_esc(text["demand"]), True, [dstyle], points),
    ]


def _corridor_layers(s: _Scene, shift: Shift) -> list[_Layer]:
    """One layer per corridor: its arcs, styled by mode."""
    c, text = s.c, s.text
    names = _MODE_NAMES[c.lang]
    out: list[_Layer] = []
    seen: set[str] = set()
    for cor in c.corridors:
        if not cor.arcs:
            continue
        name = text["corridor"].format(name=cor.name, mode=names[cor.mode])
        if name in seen:
            name = f"{name} [{cor.id}]"
        seen.add(name)
        popup = _table(cor.popup_rows, _esc(cor.name))
        feats: list[Feature] = []
        for origin, pid, pieces in cor.arcs:
            coords = [_latlon(shift, p[:, 0], p[:, 1]) for p in pieces]
            tip = (
                f"{_esc(cor.name)} ({_esc(names[cor.mode])})<br>"
                f"{_esc(cor.origin_names[origin])} → {_esc(c.partners.at[pid, '_name'])}"
            )
            feats.append([1, 0, coords if len(coords) > 1 else coords[0], 0, tip, popup])
        out.append(_Layer(_esc(name), True, [dict(_MODE_STYLE[cor.mode])], feats))
    return out


def _partner_layers(s: _Scene, shift: Shift) -> list[_Layer]:
    """Partner hubs: RCEP members and the other corridor endpoints."""
    c, text = s.c, s.text
    part = c.partners
    if not len(part):
        return []
    i = 0 if c.lang == "zh" else 1
    pts = _latlon(shift, part["_lon"], part["_lat"])
    rcep = part["rcep"].fillna(False).astype(bool).to_numpy() if "rcep" in part else None
    groups: dict[str, list[Feature]] = {}
    for k, (pid, rec) in enumerate(part.to_dict("index").items()):
        rows = [(_esc("id"), _esc(pid))]
        for col, labels in _PARTNER_FIELDS.items():
            v = _fmt(rec[col], c.lang) if col in rec else None
            if v is not None:
                rows.append((_esc(labels[i]), _esc(v)))
        tip = _esc(rec["_name"])
        if "country" in rec and _fmt(rec["country"], c.lang):
            tip += f", {_esc(rec['country'])}"
        group = "partners" if rcep is None else "rcep" if rcep[k] else "other_partners"
        groups.setdefault(group, []).append(
            [0, 0, pts[k], 0, tip, _table(rows, _esc(rec["_name"]))]
        )
    return [
        _Layer(_esc(text[g]), True, [{**_PARTNER_STYLE[g], "fillOpacity": 0.9}], groups[g])
        for g in ("rcep", "other_partners", "partners")
        if g in groups
    ]


def _score_layer(s: _Scene, show: bool) -> list[_Layer]:
    """Candidates sized and coloured by score, rank first in the tooltip."""
    c, text = s.c, s.text
    if c.scores is None or not len(c.scores):
        return []
    v = c.scores["score"].to_numpy(dtype=float)
    lo, hi = float(v.min()), float(v.max())
    t = (v - lo) / (hi - lo) if hi > lo else np.full(len(v), 0.5)
    colours = _viridis(t)
    feats: list[Feature] = []
    for k, (label, rank) in enumerate(zip(c.scores.index, c.scores["rank"], strict=True)):
        rank_txt = _esc(_fmt(rank, c.lang))
        tip = f"#{rank_txt} {s.name(label)} · {_esc(text['score'])} {v[k]:.3f}"
        extra = [(_esc(text["rank"]), rank_txt), (_esc(text["score"]), f"{v[k]:.4f}")]
        popup = _candidate_popup(c, label, s.records[label], extra)
        style = {"radius": round(4 + 10 * float(t[k]), 2), "fillColor": colours[k]}
        feats.append([0, 0, s.pos[label], style, tip, popup])
    base = {"color": "#333", "weight": 1, "fillOpacity": 0.85}
    return [_Layer(_esc(text["scores"]), show, [base], feats)]


def _tier_layers(s: _Scene, show: bool) -> list[_Layer]:
    """One layer per tier of 专栏4: rings (RAIL, PORT) below, filled markers on top."""
    c, text = s.c, s.text
    cand = c.cand
    if c.tiers is None:
        feats = [[0, 0, s.pos[x], 0, s.name(x), s.popups[x]] for x in cand.index]
        style = {"radius": 6, "color": "#333", "weight": 1.5, "fillColor": "#e34a33"}
        return [_Layer(_esc(text["candidates"]), show, [{**style, "fillOpacity": 0.85}], feats)]
    tiers = list(_tier_enum())
    order = [t for t in tiers if _tier_style(t).ring] + [
        t for t in tiers if not _tier_style(t).ring
    ]
    out: list[_Layer] = []
    untiered = [x for x in cand.index if not c.tiers[x]]
    if untiered:  # candidates in no tier are drawn too, below the tiers
        feats = [[0, 0, s.pos[x], 0, s.name(x), s.popups[x]] for x in untiered]
        style = {"radius": 5, "color": "#333", "weight": 1, "fillColor": _NO_TIER_FILL}
        out.append(_Layer(_esc(text["no_tier"]), show, [{**style, "fillOpacity": 0.8}], feats))
    for tier in order:
        members = [x for x in cand.index if tier in c.tiers[x]]
        if not members:
            continue
        st = _tier_style(tier)
        if st.ring:
            style = {"radius": st.radius, "color": st.fill, "weight": 3, "fill": False}
        else:
            style = {"radius": st.radius, "color": "#222", "weight": 1, "fillColor": st.fill}
            style["fillOpacity"] = 0.9
        feats = []
        for x in members:
            names = "; ".join(m.name for m in c.tiers[x])
            feats.append([0, 0, s.pos[x], 0, f"{s.name(x)} · {_esc(names)}", s.popups[x]])
        short = _TIER_SHORT.get(tier.name, (tier.label_zh, tier.label_en))[c.lang != "zh"]
        out.append(_Layer(_esc(text["tier_layer"].format(short=short)), show, [style], feats))
    return out


def _centre_layers(s: _Scene) -> list[_Layer]:
    """Unchosen candidates (dimmed) and the chosen centres (highlighted, on top)."""
    c, text = s.c, s.text
    sol = c.solution
    if sol is None:
        return []
    served: dict[Any, tuple[float, int]] = {}
    if sol.assignment is not None:
        a = sol.assignment
        w = _numeric(a, "weight", 1.0)
        ok = a["_served"].to_numpy(dtype=bool)
        fac = a["facility"].to_numpy()
        for f in sol.open:
            mine = ok & (fac == f)
            served[f] = (float(np.nansum(w[mine])), int(mine.sum()))
    chosen = set(sol.open)
    dim = [
        [
            0, 0, s.pos[x], {"color": _tier_outline(c, x, "#888")},
            f"{s.name(x)} · {_esc(text['not_chosen'])}", s.popups[x],
        ]
        for x in c.cand.index
        if x not in chosen
    ]  # fmt: skip
    feats: list[Feature] = []
    for x in sol.open:
        tip = f"<b>{s.name(x)}</b> · {_esc(text['chosen'])}"
        popup = s.popups[x]
        if x in served:
            total, n = served[x]
            amount = f"{_esc(_fmt(total, c.lang))} ({n} {_esc(text['units'])})"
            tip += f"<br>{_esc(text['served'])}: {amount}"
            popup = _candidate_popup(c, x, s.records[x], [(_esc(text["served"]), amount)])
        style = {"fillColor": s.colour[x], "color": _tier_outline(c, x, "#000")}
        feats.append([0, 0, s.pos[x], style, tip, popup])
    dim_style = {"radius": 4, "color": "#888", "weight": 1.5, "fillColor": "#bbb", "opacity": 0.8}
    return [
        _Layer(_esc(text["unchosen"]), True, [{**dim_style, "fillOpacity": 0.5}], dim),
        _Layer(
            _esc(text["centres"]),
            True,
            [{"radius": 10, "color": "#000", "weight": 4, "fillOpacity": 0.95}],
            feats,
        ),
    ]


def _tier_outline(c: _Content, label: Any, default: str) -> str:
    """Outline colour of a candidate in the solution view: its first filled tier's colour."""
    if c.tiers is None or not c.tiers.get(label):
        return default
    tiers = c.tiers[label]
    first = next((t for t in tiers if not _tier_style(t).ring), tiers[0])
    return _tier_style(first).fill


def _centre_colours(sol: _Solution | None) -> dict[Any, str]:
    if sol is None:
        return {}
    return {f: _FACILITY_COLOURS[k % len(_FACILITY_COLOURS)] for k, f in enumerate(sol.open)}


def _layers(c: _Content, shift: Shift) -> list[_Layer]:
    """All overlay layers, bottom to top.

    The most specific view is shown at start: the solution, else the scores, else the
    tiers; the others start hidden in the layer control.
    """
    cand = c.cand
    records: dict[Any, dict[str, Any]] = cand.to_dict("index")  # type: ignore[assignment]
    scene = _Scene(
        c=c,
        pos=dict(zip(cand.index, _latlon(shift, cand["_lon"], cand["_lat"]), strict=True)),
        popups={x: _candidate_popup(c, x, rec) for x, rec in records.items()},
        records=records,
        colour=_centre_colours(c.solution),
        text=_TEXT[c.lang],
    )
    primary = (
        "solution" if c.solution is not None else "scores" if c.scores is not None else "tiers"
    )
    return [
        *_allocation_layers(scene, shift),
        *_corridor_layers(scene, shift),
        *_partner_layers(scene, shift),
        *_score_layer(scene, primary == "scores"),
        *_tier_layers(scene, primary == "tiers"),
        *_centre_layers(scene),
    ]


def _viridis(t: np.ndarray) -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    return [to_hex(cmap(float(v))) for v in t]


def _legend_html(c: _Content, extra: str | None = None) -> str:
    text = _TEXT[c.lang]
    zh = c.lang == "zh"
    head = '<div style="font-weight:600;margin-top:5px">{}</div>'
    parts = [
        '<details open><summary style="font-weight:700;cursor:pointer">'
        f"{_esc(text['legend'])}</summary>"
    ]
    solution_view = c.solution is not None
    if solution_view:
        parts.append(head.format(_esc(text["centres"])))
        parts.append(
            f"<div>{_swatch_circle('#1f77b4', '#000', 6)} {_esc(text['fill_cluster'])}</div>"
            f"<div>{_swatch_circle('#bbb', '#888', 4)} {_esc(text['not_chosen'])}</div>"
        )
    if c.tiers is not None:
        tier_cls = _tier_enum()
        present = {t for v in c.tiers.values() for t in v}
        if solution_view:
            present = {t for t in present if not _tier_style(t).ring}
        rows = []
        for t in tier_cls:
            if t not in present:
                continue
            st = _tier_style(t)
            if solution_view:
                sw = _swatch_circle("#ffffff", st.fill, 5)
            else:
                sw = _swatch_circle(None if st.ring else st.fill, st.fill if st.ring else "#222", 5)
            short = _TIER_SHORT.get(t.name, (t.label_zh, t.label_en))
            label = f"{short[0]} · {short[1]}" if zh else short[1]
            rows.append(
                f'<div style="display:flex;gap:2px" title="{_esc(t.label_zh)} / '
                f'{_esc(t.label_en)}">{sw}<span>{_esc(label)}</span></div>'
            )
        if any(not v for v in c.tiers.values()) and not solution_view:
            sw = _swatch_circle(_NO_TIER_FILL, "#333", 4)
            rows.append(f"<div>{sw} {_esc(text['no_tier'])}</div>")
        title = text["outline_tier"] if solution_view else text["tiers"]
        parts.append(head.format(_esc(title)))
        parts.extend(rows)
    if c.scores is not None and len(c.scores):
        lo, hi = float(c.scores["score"].min()), float(c.scores["score"].max())
        grad = ",".join(_viridis(np.linspace(0, 1, 6)))
        parts.append(
            head.format(_esc(text["scores"]))
            + f'<div style="display:flex;align-items:center;gap:4px">{lo:.3f}'
            f'<span style="display:inline-block;width:110px;height:10px;'
            f'background:linear-gradient(to right,{grad})"></span>{hi:.3f}</div>'
        )
    if extra:
        parts.append(extra)
    modes = [m for m in _MODES if any(cor.mode == m and cor.arcs for cor in c.corridors)]
    if c.partners is not None and len(c.partners) and modes:
        items = " ".join(
            f'<span style="white-space:nowrap">{_swatch_line(_MODE_STYLE[m])} '
            f"{_esc(_MODE_NAMES[c.lang][m])}</span>"
            for m in modes
        )
        parts.append(
            head.format(_esc(text["corridors"]))
            + f"<div>{items}</div>"
            + f"<div>{_swatch_circle('#88419d', '#4d004b', 4)} {_esc(text['rcep'])}</div>"
        )
    return "".join(parts) + "</details>"


def _bounds(layers: list[_Layer]) -> list[list[float]] | None:
    """Bounds of the markers (the places the lines join), else of the lines."""
    for kind in (0, 1):
        pts = [
            np.asarray(f[2] if kind == 0 else _flatten(f[2]), dtype=float).reshape(-1, 2)
            for layer in layers
            for f in layer.features
            if f[0] == kind
        ]
        if pts:
            arr = np.concatenate(pts)
            (s, w), (n, e) = arr.min(axis=0), arr.max(axis=0)
            return [[float(s), float(w)], [float(n), float(e)]]
    return None


def _flatten(coords: list[Any]) -> list[Any]:
    if coords and isinstance(coords[0][0], list):
        return [p for piece in coords for p in piece]
    return coords


def _identity(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _gcj(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from borderhub.geo import wgs84_to_gcj02

    gx, gy = wgs84_to_gcj02(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(gx, dtype=float), np.asarray(gy, dtype=float)


def _basemap(tiles: Any, tiles_key: str | None) -> _Basemap | None:
    if tiles is None:
        return None
    if not isinstance(tiles, str) or tiles.lower() not in TILES:
        raise SpecificationError(
            f"unknown tiles {tiles!r}; choose one of {sorted(TILES)} (or None for no basemap)."
        )
    base = TILES[tiles.lower()]
    if base.needs_key or tiles.lower() == "tianditu":
        if not tiles_key:
            raise SpecificationError(
                f"tiles={tiles!r} needs your API key: corridor_map(..., tiles_key='<key>') "
                "(get one at https://console.tianditu.gov.cn/)."
            )
        if not re.fullmatch(r"[A-Za-z0-9]{8,64}", str(tiles_key)):
            raise SpecificationError(
                "tiles_key must be 8-64 letters and digits (a Tianditu key is 32 hex digits)."
            )
    return base


# --------------------------------------------------------------------------- vector basemap


_PANES = {"bhBase": 250, "bhChoro": 350, "bhLabels": 640}


class _Panes(_DataElement):
    """Map panes: vector basemap (below overlays), choropleth, labels (above markers)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var P = {{ this.panes_js }};
            for (var k in P) {
                var p = map.createPane(k);
                p.style.zIndex = P[k];
                if (k === "bhLabels") { p.style.pointerEvents = "none"; }
            }
            if ({{ this.sea_js }}) {
                map.getContainer().style.background = {{ this.sea_js }};
            }
            var css = document.createElement("style");
            css.textContent = ".bh-label{white-space:nowrap}"
                + ".bh-label span{position:absolute;left:7px;top:-8px;"
                + "font:600 12px/1.25 'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
                + "color:#1a1a1a;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,"
                + "0 0 4px #fff}.bh-label.bh-minor span{font-weight:400;font-size:11px;"
                + "color:#333}.bh-label.bh-l span{left:auto;right:7px}"
                + ".bh-label.bh-u span{left:auto;right:-2em;top:-24px}"
                + ".bh-label.bh-d span{left:auto;right:-2em;top:6px}"
                + ".bh-label.bh-ur span{top:-21px}.bh-label.bh-dr span{top:5px}"
                + ".bh-label.bh-ul span{left:auto;right:7px;top:-21px}"
                + ".bh-label.bh-dl span{left:auto;right:7px;top:5px}"
                + ".bh-label.bh-hide span{visibility:hidden}";
            document.head.appendChild(css);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, sea: str | None):
        super().__init__()
        self._name = "Panes"
        self.sea = sea

    @property
    def panes_js(self) -> str:
        return _js(_PANES)

    @property
    def sea_js(self) -> str:
        return _js(self.sea or "")


class _PolygonLayer(_DataElement):
    """Polygons or lines drawn on a canvas in one of the borderhub panes.

    Each feature is ``[style index, latlngs, overrides or 0, tooltip index]``; latlngs are
    nested like Leaflet's (parts of rings of [lat, lon]). Drawn on a canvas renderer, so
    hundreds of polygons cost one element in the page.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var g = {{ this._parent.get_name() }};
            var r = L.canvas({pane: {{ this.pane_js }}, padding: 0.3});
            var S = {{ this.styles_js }};
            var T = {{ this.strings_js }};
            var F = {{ this.features_js }};
            var lines = {{ this.lines_js }};
            if ({{ this.pane_js }} === "bhBase") {  // kept for the South China Sea inset
                (window.__bhBase = window.__bhBase || []).push([S, F, lines]);
            }
            for (var i = 0; i < F.length; i++) {
                var f = F[i];
                var o = L.Util.extend({renderer: r, pane: {{ this.pane_js }}}, S[f[0]], f[2] || {});
                var l = lines ? L.polyline(f[1], o) : L.polygon(f[1], o);
                if (f[3] >= 0) { l.bindTooltip(T[f[3]], {sticky: true}); }
                l.addTo(g);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        pane: str,
        styles: list[dict],
        features: list[list],
        strings: list[str] | None = None,
        lines: bool = False,
    ):
        super().__init__()
        self._name = "PolygonLayer"
        self.pane = pane
        self.styles = styles
        self.features = features
        self.strings = strings or []
        self.lines = lines

    pane_js = property(lambda self: _js(self.pane))
    styles_js = property(lambda self: _js(self.styles))
    strings_js = property(lambda self: _js(self.strings))
    lines_js = property(lambda self: _js(bool(self.lines)))

    @property
    def features_js(self) -> str:
        # the coordinates are the same, cached lists on every map: encode them once
        return (
            "["
            + ",".join(
                f"[{int(f[0])},{_coords_js(f[1])},{_js(f[2])},{int(f[3])}]" for f in self.features
            )
            + "]"
        )


_COORDS_JS: dict[int, tuple[Any, str]] = {}


def _coords_js(coords: Any) -> str:
    """JSON of a coordinate list, memoised for the cached boundary lists (by identity)."""
    hit = _COORDS_JS.get(id(coords))
    if hit is not None and hit[0] is coords:
        return hit[1]
    text = _js(coords)
    if len(_COORDS_JS) < 20_000:
        _COORDS_JS[id(coords)] = (coords, text)
    return text


class _ScsInset(_DataElement):
    """The South China Sea islands in a small fixed map at the lower left (vector basemap)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var B = window.__bhBase || [];
            var box = {{ this.box_js }};
            var c = L.control({position: "bottomleft"});
            c.onAdd = function () {
                var d = L.DomUtil.create("div", "borderhub-scs leaflet-control");
                d.style.cssText = "width:128px;height:170px;border:1px solid #555;"
                    + "background:{{ this.sea }};box-shadow:0 1px 4px rgba(0,0,0,.35);"
                    + "position:relative";
                L.DomEvent.disableClickPropagation(d);
                L.DomEvent.disableScrollPropagation(d);
                return d;
            };
            c.addTo(map);
            var div = c.getContainer();
            var m = L.map(div, {zoomControl: false, attributionControl: false,
                dragging: false, scrollWheelZoom: false, doubleClickZoom: false,
                boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0});
            var r = L.canvas({padding: 0.2});
            B.forEach(function (layer) {
                var S = layer[0], F = layer[1], lines = layer[2];
                F.forEach(function (f) {
                    var o = L.Util.extend({renderer: r, interactive: false}, S[f[0]], f[2] || {});
                    (lines ? L.polyline(f[1], o) : L.polygon(f[1], o)).addTo(m);
                });
            });
            m.fitBounds([[box[1], box[0]], [box[3], box[2]]], {padding: [0, 0]});
            var cap = L.DomUtil.create("div", "", div);
            cap.style.cssText = "position:absolute;bottom:2px;width:100%;text-align:center;"
                + "font:600 11px sans-serif;color:#333;z-index:1000;pointer-events:none";
            cap.textContent = {{ this.caption_js }};
        })();
        {% endmacro %}
        """
    )

    def __init__(self, caption: str):
        super().__init__()
        self._name = "ScsInset"
        self.caption = caption
        self.sea = _carto.SEA

    box_js = property(lambda self: _js(list(_carto.SCS_INSET_WEB)))
    caption_js = property(lambda self: _js(self.caption))


class _LabelLayer(_DataElement):
    """Permanent text labels (non-interactive div markers in the label pane)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var g = {{ this._parent.get_name() }};
            var F = {{ this.features_js }};
            var cls = {{ this.cls_js }};
            var prio = {{ this.prio_js }};
            var all = window.__bhLabels = window.__bhLabels || [];
            for (var i = 0; i < F.length; i++) {
                var s = document.createElement("span");
                s.textContent = F[i][1];
                var icon = L.divIcon({className: cls, html: s.outerHTML, iconSize: [0, 0]});
                var mk = L.marker(F[i][0], {icon: icon, interactive: false, keyboard: false,
                                            pane: "bhLabels"});
                mk._bhPrio = prio * 100000 + i;
                mk.addTo(g);
                all.push(mk);
            }
            all.sort(function (a, b) { return a._bhPrio - b._bhPrio; });
            if (!window.__bhDeclutter) {
                // Hide or move labels that would overlap a label of higher priority.
                var POS = ["", "bh-l", "bh-ur", "bh-dr", "bh-u", "bh-d", "bh-ul", "bh-dl"];
                window.__bhDeclutter = function () {
                    var kept = [], dots = [];
                    // the labelled centres' markers are obstacles for the other labels
                    window.__bhLabels.forEach(function (mk) {
                        var el = mk.getElement && mk.getElement();
                        if (!el || el.classList.contains("bh-minor")) { return; }
                        var a = el.getBoundingClientRect();
                        dots.push({mk: mk, r: {left: a.left - 9, right: a.left + 9,
                                                top: a.top - 9, bottom: a.top + 9}});
                    });
                    window.__bhLabels.forEach(function (mk) {
                        var el = mk.getElement && mk.getElement();
                        if (!el) { return; }
                        var span = el.firstChild;
                        var ok = false;
                        var others = dots.filter(function (d) { return d.mk !== mk; })
                            .map(function (d) { return d.r; });
                        for (var k = 0; k < POS.length && !ok; k++) {
                            el.classList.remove.apply(el.classList, POS.slice(1));
                            el.classList.remove("bh-hide");
                            if (POS[k]) { el.classList.add(POS[k]); }
                            var r = span.getBoundingClientRect();
                            ok = kept.concat(others).every(function (q) {
                                return r.right < q.left || q.right < r.left
                                    || r.bottom < q.top || q.bottom < r.top;
                            });
                            if (ok) { kept.push(r); }
                        }
                        if (!ok) { el.classList.remove.apply(el.classList, POS.slice(1));
                                   el.classList.add("bh-hide"); }
                    });
                };
                setTimeout(function () {
                    var m = null;
                    window.__bhLabels.forEach(function (mk) { m = m || mk._map; });
                    if (m) { m.on("zoomend moveend overlayadd overlayremove", function () {
                        setTimeout(window.__bhDeclutter, 0); }); }
                    window.__bhDeclutter();
                }, 0);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, features: list[list], minor: bool = False):
        super().__init__()
        self._name = "LabelLayer"
        self.features = features
        self.minor = minor

    features_js = property(lambda self: _js(self.features))
    cls_js = property(lambda self: _js("bh-label" + (" bh-minor" if self.minor else "")))
    prio_js = property(lambda self: _js(1 if self.minor else 0))


_WEB_DECIMALS = {"maritime": 3}  # else 2 decimals (about 1 km; the layers are simplified at 2.5 km)


@cache
def _web_latlngs_cached(level: str, gcj02: bool) -> tuple[tuple[Any, list], ...]:
    shift = _gcj if gcj02 else _identity
    d = _WEB_DECIMALS.get(level, 2)
    out = []
    for label, parts in _carto.web_rings(level):
        conv = []
        for rings in parts:
            rr = []
            for ring in rings:
                x, y = shift(ring[:, 0], ring[:, 1])
                rr.append(np.column_stack([np.round(y, d), np.round(x, d)]).tolist())
            conv.append(rr)
        out.append((label, conv))
    return tuple(out)


def _web_latlngs(level: str, shift: Shift) -> tuple[tuple[Any, list], ...]:
    """Leaflet latlngs of a boundary layer (shifted to GCJ-02 for Amap tiles); shared."""
    return _web_latlngs_cached(level, shift is _gcj)


def _basemap_layers(m: folium.Map, shift: Shift, world: bool = True) -> None:
    """The offline vector basemap: neighbours, China's land, provinces, outline, sea line.

    ``world=False`` keeps only the countries near China (the view of China never shows
    the others, and the page stays smaller).
    """
    near = _carto.layer("neighbours")["near_china"]
    neighbours = [
        [0, parts, 0, -1]
        for label, parts in _web_latlngs("neighbours", shift)
        if world or bool(near.get(label, True))
    ]
    style_n = {
        "stroke": True, "color": _carto.NEIGHBOUR_EDGE, "weight": 0.8, "fillColor":
        _carto.NEIGHBOUR, "fillOpacity": 1, "interactive": False,
    }  # fmt: skip
    m.add_child(_PolygonLayer("bhBase", [style_n], neighbours))
    prov = {
        "color": _carto.PROVINCE_EDGE, "weight": 0.9, "fillColor": _carto.LAND,
        "fillOpacity": 1, "interactive": False,
    }  # fmt: skip
    m.add_child(
        _PolygonLayer("bhBase", [prov], [[0, p, 0, -1] for _, p in _web_latlngs("province", shift)])
    )
    outline = {"color": _carto.COUNTRY_EDGE, "weight": 1.4, "fill": False, "interactive": False}
    m.add_child(
        _PolygonLayer(
            "bhBase", [outline], [[0, p, 0, -1] for _, p in _web_latlngs("country", shift)]
        )
    )
    sea = {"color": _carto.MARITIME, "weight": 1.6, "interactive": False}
    lines = [[0, p[0], 0, -1] for _, parts in _web_latlngs("maritime", shift) for p in parts]
    m.add_child(_PolygonLayer("bhBase", [sea], lines, lines=True))


def _choropleth_layer(c: _Content, spec: Any, shift: Shift) -> tuple[str, _PolygonLayer, str]:
    """The prefecture choropleth: (layer name, polygon layer, legend HTML)."""
    sol = c.solution
    assignment = sol.assignment if sol is not None else None
    colour = _centre_colours(sol)
    names = {f: str(c.cand.at[f, "_name"]) for f in colour}
    choro = _carto.make_choropleth(spec, c.demand, assignment, colour, names, c.lang)
    fills, _missing = _carto.join_prefectures(choro)
    pref_names = _carto.layer("prefecture")["name"].to_dict()
    values = choro.values.to_dict()
    feats = []
    fill_of = fills.to_dict()
    for label, parts in _web_latlngs("prefecture", shift):
        if label not in fill_of:
            continue
        v = values.get(label)
        txt = (
            str(v)
            if choro.categorical
            else (choro.fmt.format(float(v)) if v is not None and np.isfinite(v) else "–")
        )
        tip = f"<b>{_esc(pref_names[label])}</b><br>{_esc(choro.title)}: {_esc(txt)}"
        feats.append([0, parts, {"fillColor": fill_of[label]}, tip])
    strings: list[str] = [str(f[3]) for f in feats]
    for k, f in enumerate(feats):
        f[3] = k
    # legend: a colour bar (classes) or the categories present
    if choro.categorical:
        present = [k for k in choro.colours if k in set(choro.values.dropna())]
        items = "".join(
            f'<span style="white-space:nowrap;margin-right:6px">'
            f'<span style="display:inline-block;width:11px;height:11px;background:'
            f'{choro.colours[k]};border:1px solid #777;vertical-align:-1px"></span> '
            f"{_esc(k)}</span> "
            for k in present[:24]
        )
        body = f"<div>{items}</div>"
    else:
        edges = choro.classes()
        cols = choro.palette(len(edges) - 1)
        cells = "".join(
            f'<span style="flex:1;height:10px;background:{col}"></span>' for col in cols
        )
        ticks = "".join(
            f'<span style="flex:1;text-align:{"left" if i == 0 else "right"}">'
            f"{_esc(choro.fmt.format(e))}</span>"
            for i, e in enumerate(edges)
            if i in (0, len(edges) - 1) or len(edges) <= 5
        )
        quant = "分位数分级" if c.lang == "zh" else "quantile classes"
        body = (
            f'<div style="display:flex;width:200px;border:1px solid #888">{cells}</div>'
            f'<div style="display:flex;width:202px;font-size:10px;color:#444">{ticks}</div>'
            f'<div style="font-size:10px;color:#666">{_esc(quant)}</div>'
        )
    legend = f'<div style="font-weight:600;margin-top:4px">{_esc(choro.title)}</div>{body}'
    name = ("分区着色 · " if c.lang == "zh" else "Choropleth · ") + choro.title
    style = {"color": "#ffffff", "weight": 0.5, "fillOpacity": 0.72}
    return name, _PolygonLayer("bhChoro", [style], feats, strings), legend


def _label_features(c: _Content, shift: Shift, which: str) -> tuple[list[list], list[list]]:
    """(major, minor) label features [[lat, lon], text]: centres, then other candidates."""
    cand = c.cand
    pos = _latlon(shift, cand["_lon"], cand["_lat"])
    index = {x: k for k, x in enumerate(cand.index)}
    if c.solution is not None:
        major = list(c.solution.open)
    elif c.tiers is not None:
        major = [x for x in cand.index if any(t.name == "CORE" for t in c.tiers[x])]
    else:
        major = []
    majors = [[pos[index[x]], str(cand.at[x, "_name"])] for x in major]
    rest = [x for x in cand.index if x not in set(major)]
    minors = [[pos[index[x]], str(cand.at[x, "_name"])] for x in rest]
    if which == "none":
        return [], minors
    return majors, minors


# --------------------------------------------------------------------------- public API


def corridor_map(
    candidates: gpd.GeoDataFrame | None = None,
    solution: Any = None,
    partners: gpd.GeoDataFrame | None = None,
    corridors: pd.DataFrame | None = None,
    scores: pd.DataFrame | pd.Series | None = None,
    tiles: str | None = "auto",
    self_contained: bool = False,
    title: str | None = None,
    lang: str = "zh",
    demand: gpd.GeoDataFrame | None = None,
    tiles_key: str | None = None,
    *,
    extent: Any = "china",
    show_corridors: bool | None = None,
    labels: str = "centres",
    choropleth: Any = None,
    boundaries: bool | None = None,
) -> folium.Map:
    """Interactive map of candidate places, a solution, partner hubs and corridors.

    Overlays (each a ``folium.FeatureGroup`` listed in the layer control), bottom to top:
    an optional prefecture choropleth, the allocation lines and demand units of a solution,
    one layer per corridor (great-circle arcs from every origin place to every partner hub,
    styled by mode and split at the antimeridian), the partner hubs (RCEP members and the
    other endpoints), the candidate scores (marker size and colour by score, rank in the
    tooltip), one layer per tier of 专栏4 (filled markers for CORE, LONG_TERM, PROVINCIAL
    and ENCOURAGED, rings for RAIL and PORT, so a place in several tiers shows all of
    them), the solution's chosen centres
    (fill colour = cluster, like the demand they serve; outline colour = tier) above the
    unchosen candidates (dimmed), and the place labels. The most specific view is shown at
    start (solution, else scores, else tiers); the others can be switched on in the layer
    control. Below the overlays, with no tiles, lies an offline vector basemap of China's
    boundaries. The map also has a title, a compact, foldable legend with the plan's own
    words for each tier, a scale bar, and opens on mainland China with a South China Sea
    inset (``extent="content"`` fits everything drawn instead).

    Parameters
    ----------
    candidates : GeoDataFrame, optional
        Candidate places, indexed by label, with point geometry and a CRS; columns of
        :func:`borderhub.datasets.candidates` (``name``, ``tiers``, ``population`` ...) are
        shown where present, other scalar columns are added to the popups. Default: the 60
        places of 专栏4.
    solution : Solution, DataFrame or list of labels, optional
        A :class:`borderhub.locate` solution (``open`` labels and an ``assignment`` frame
        indexed by demand label with columns ``facility``, ``cost``, ``weight``), such an
        assignment frame on its own, or just the labels of the open centres.
    partners : GeoDataFrame, optional
        Partner hubs indexed by id (``city``, ``country``, ``rcep``, ``region``). Default:
        :func:`borderhub.datasets.partners`.
    corridors : DataFrame, optional
        Corridors with ``name``, ``mode`` (air, rail, sea, road), ``origin`` (";"-joined
        labels of candidates or demand units) and ``partners`` (";"-joined partner ids).
        Default: :func:`borderhub.datasets.corridors`.
    scores : DataFrame or Series, optional
        Output of :func:`borderhub.score` (``score`` and ``rank`` columns, indexed by
        candidate label) or a Series of scores (ranked here, highest first).
    tiles : {"auto", "none", "osm", "amap", "cartodb-positron", "tianditu"} or None, default "auto"
        Basemap. ``"auto"``: no tiles (the offline vector basemap) when ``self_contained``,
        else ``"osm"``. ``"none"`` or None: no tiles. ``"amap"`` (Gaode) is in GCJ-02: every
        overlay, the vector basemap included, is shifted from WGS84 to GCJ-02 to match it.
        ``"tianditu"`` needs ``tiles_key``.
    self_contained : bool, default False
        Embed Leaflet's JavaScript and CSS in the page instead of linking to a CDN, so the
        saved HTML works offline and behind CDN blocks; with the default ``tiles`` the
        basemap is the vector one, so nothing needs the network.
    title : str, optional
        Title shown at the top of the map and as the page title.
    lang : {"zh", "en"}, default "zh"
        Language of layer names, popups, tooltips and legend; the tiers keep the plan's
        Chinese words with an English gloss.
    demand : GeoDataFrame, optional
        Demand units the solution's assignment refers to. Default: the candidates when the
        assignment is over them, else :func:`borderhub.datasets.prefectures`. Given without
        a solution, the units are drawn as small grey points.
    tiles_key : str, optional
        API key of basemaps that need one (Tianditu).
    extent : "china", "content" or (lon_min, lat_min, lon_max, lat_max), default "china"
        The initial view: mainland China (with a South China Sea inset when the vector
        basemap is drawn), everything drawn (partner hubs abroad included), or a box in
        WGS84 degrees.
    show_corridors : bool, optional
        Show the corridor layers at start. Default: only when ``extent`` is not
        ``"china"``; they are always in the layer control.
    labels : {"centres", "all", "none"}, default "centres"
        Permanent labels of the chosen centres (without a solution: the CORE places of
        专栏4); the other candidates get a label layer that starts hidden (shown with
        ``"all"``). Overlapping labels move or hide, the centres' first.
    choropleth : str or Series, optional
        Colour the prefectures by ``"demand"`` (assignment weights, else the demand's
        ``express_volume``), ``"centre"`` (the assigned centre, in the centre's colour),
        ``"distance"`` (the assignment's cost), ``"covered"``, a numeric column of the
        demand frame, or a numeric Series indexed by prefecture adcode. Numbers are drawn
        in six quantile classes with a colour bar in the legend. Needs demand indexed by
        prefecture adcode (:func:`borderhub.datasets.prefectures`).
    boundaries : bool, optional
        Draw the vector basemap of :func:`borderhub.datasets.boundaries` (sea, grey
        neighbours, provinces, national outline, maritime line). Default: when no tiles
        are drawn.

    Returns
    -------
    folium.Map
        Save it with ``m.save("map.html")``. The same inputs save to byte-identical HTML:
        element ids are derived from the content rather than drawn at random.

    Raises
    ------
    DataError
        A frame without geometry or CRS, duplicate labels, solution or score labels that are
        not candidates, corridor origins or partners that cannot be found, unknown modes or
        tiers.
    SpecificationError
        Unknown ``tiles``, ``lang`` or ``labels``, a missing ``tiles_key``, an ``extent``
        that is not four finite numbers in range, a choropleth that needs a solution.

    Notes
    -----
    OpenStreetMap's tile servers refuse requests without a ``Referer`` header, and a page
    opened from a local file (``file://``) cannot send one, so a saved map opened from disk
    may show "Access blocked" tiles with ``tiles="osm"``. Serve such pages over http(s) or
    choose ``"cartodb-positron"``, ``"amap"`` or ``"tianditu"`` for files. Tile layers ask
    for the ``strict-origin-when-cross-origin`` referrer policy.

    The self-contained page embeds Leaflet 1.9.4 (BSD-2-Clause) from
    ``borderhub/_assets``; see the README there for its origin and checksums.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from borderhub.maps import corridor_map
    >>> cand = gpd.GeoDataFrame(
    ...     {"name": ["北京市", "昆明市"], "tiers": ["CORE", "CORE"]},
    ...     index=pd.Index(["110000", "530100"], name="adcode"),
    ...     geometry=gpd.points_from_xy([116.41, 102.83], [39.90, 24.88]), crs="EPSG:4326")
    >>> hubs = gpd.GeoDataFrame(
    ...     {"city": ["Singapore"], "country": ["Singapore"], "rcep": [True]},
    ...     index=pd.Index(["SGP-SIN"], name="partner_id"),
    ...     geometry=gpd.points_from_xy([103.82], [1.35]), crs="EPSG:4326")
    >>> lanes = pd.DataFrame({"name": ["ASEAN air"], "mode": ["air"],
    ...     "origin": ["110000;530100"], "partners": ["SGP-SIN"]}, index=["c1"])
    >>> m = corridor_map(cand, solution=["530100"], partners=hubs, corridors=lanes,
    ...                  self_contained=True, title="RCEP <test>")
    >>> page = m.get_root().render()
    >>> "<script src=" in page, "RCEP &lt;test&gt;" in page
    (False, True)
    """
    if isinstance(tiles, str) and tiles.lower() == "auto":
        tiles = None if self_contained else "osm"
    elif isinstance(tiles, str) and tiles.lower() == "none":
        tiles = None
    base = _basemap(tiles, tiles_key)
    view = _carto.check_extent(extent, ("china", "content"))
    if labels not in ("centres", "centers", "all", "none"):
        raise SpecificationError(
            f"labels must be 'centres' (chosen centres, else the CORE places), 'all' or "
            f"'none'; got {labels!r}."
        )
    content = _prepare(candidates, solution, partners, corridors, scores, title, lang, demand)
    shift = _gcj if base is not None and base.gcj02 else _identity
    layers = _layers(content, shift)
    corridors_on = view != "china" if show_corridors is None else bool(show_corridors)
    if not corridors_on:
        corridor_names = {
            _esc(_TEXT[lang]["corridor"].format(name=cor.name, mode=_MODE_NAMES[lang][cor.mode]))
            for cor in content.corridors
        }
        for layer in layers:
            if layer.name in corridor_names or any(
                layer.name.startswith(n + " [") for n in corridor_names
            ):
                layer.show = False
    vector = base is None if boundaries is None else bool(boundaries)
    choro = None if choropleth is None else _choropleth_layer(content, choropleth, shift)

    m = _CorridorMap(
        location=[35.0, 105.0],
        zoom_start=4,
        tiles=None,
        control_scale=True,
        zoom_snap=0,  # fit the extent exactly (the +/- buttons still step by 1)
        self_contained=bool(self_contained),
    )
    root = m.get_root()
    if title and isinstance(root, Figure):
        root.title = _esc(title)
    m.add_child(_Panes(_carto.SEA if vector and base is None else None))
    if vector:
        _basemap_layers(m, shift, world=view != "china")
        if view == "china":
            m.add_child(_ScsInset("南海诸岛" if lang == "zh" else "South China Sea Islands"))
    if base is not None:
        key = str(tiles_key or "")
        url = base.url.replace("{key}", key)
        folium.TileLayer(
            tiles=url,
            attr=base.attribution,
            name=base.name,
            subdomains=base.subdomains,
            max_zoom=base.max_zoom,
            referrer_policy=_REFERRER_POLICY,
        ).add_to(m)
        if base.labels:
            lab = "cva" if lang == "zh" else "eva"
            folium.TileLayer(
                tiles=base.labels.replace("{key}", key).replace("{lab}", lab),
                attr=base.attribution,
                name=f"{base.name} labels",
                subdomains=base.subdomains,
                max_zoom=base.max_zoom,
                referrer_policy=_REFERRER_POLICY,
                overlay=True,
                control=False,
            ).add_to(m)
    legend_extra = None
    if choro is not None:
        cname, cel, legend_extra = choro
        group = folium.FeatureGroup(name=_esc(cname), show=True)
        group.add_child(cel)
        group.add_to(m)
    for layer in layers:
        group = folium.FeatureGroup(name=layer.name, show=layer.show)
        group.add_child(_VectorLayer(layer.styles, layer.features))
        group.add_to(m)
    major, minor = _label_features(content, shift, "none" if labels == "none" else "centres")
    text = _TEXT[lang]
    if major:
        group = folium.FeatureGroup(name=_esc(text["labels_major"]), show=True)
        group.add_child(_LabelLayer(major))
        group.add_to(m)
    if minor:
        group = folium.FeatureGroup(name=_esc(text["labels_all"]), show=labels == "all")
        group.add_child(_LabelLayer(minor, minor=True))
        group.add_to(m)
    title_html = _esc(title) if title else None
    m.add_child(_Decorations(title_html, _legend_html(content, legend_extra)))
    folium.LayerControl(collapsed=True).add_to(m)
    if view == "content":
        bounds = _bounds(layers)
    elif view == "china":
        x0, y0, x1, y1 = _carto.CHINA_EXTENT
        bounds = [[y0, x0], [y1, x1]]
    else:
        assert isinstance(view, tuple)
        bounds = [[view[1], view[0]], [view[3], view[2]]]
    if bounds is not None:
        if view == "content":
            m.fit_bounds(bounds, padding_top_left=(20, 50), padding_bottom_right=(40, 20))
        else:
            m.fit_bounds(bounds, padding=(0, 0))
    seed = json.dumps(
        [layers, title, tiles, tiles_key, lang, bool(self_contained), view, labels, vector,
         corridors_on, None if choro is None else choro[2]],
        default=str, sort_keys=True,
    )  # fmt: skip
    _stable_ids(m, hashlib.sha256(seed.encode("utf-8")).hexdigest())
    return m


def _stable_ids(m: folium.Map, seed: str) -> None:
    """Replace the random ids of the map's elements by ids derived from ``seed``.

    branca gives every element a random id, which ends up in the HTML (element ids and
    JavaScript variable names), so the same map would never save to the same file. Ids
    derived from a digest of the content and the element's position in the tree make the
    output byte-identical for identical inputs, and still distinct between different maps
    on one page.
    """
    counter = itertools.count()

    def visit(element: Element) -> None:
        element._id = hashlib.sha256(f"{seed}:{next(counter)}".encode()).hexdigest()[:32]
        for child in list(element._children.values()):
            visit(child)

    visit(m.get_root())


def _layer_summary(m: folium.Map) -> dict[str, tuple[int, int, bool]]:
    """Layer name -> (markers, lines, shown) of a map made by corridor_map (for tests)."""
    out = {}
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup):
            vec = [c for c in child._children.values() if isinstance(c, _VectorLayer)]
            out[html.unescape(child.layer_name)] = (
                sum(v.n_markers for v in vec),
                sum(v.n_lines for v in vec),
                bool(child.show),
            )
    return out


def _cjk_font() -> str | None:
    from borderhub._fonts import cjk_family

    return cjk_family()


_PROJECTIONS = {
    "albers": _carto.CHINA_ALBERS,
    "lambert": "+proj=lcc +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m +no_defs",
}


def _projection(projection: Any) -> Any:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    spec = _PROJECTIONS.get(projection, projection) if isinstance(projection, str) else projection
    try:
        crs = CRS.from_user_input(spec)
    except CRSError as err:
        raise SpecificationError(
            f"projection {projection!r} is not a CRS pyproj understands; use 'albers' "
            "(default), 'lambert', an EPSG code or a PROJ string."
        ) from err
    if crs.is_geographic:
        raise SpecificationError(
            f"projection {projection!r} is geographic (degrees); use a projected CRS such as "
            "'albers' or 'lambert' so distances and the scale bar are true."
        )
    return crs


def _lonlat_transform(crs: Any) -> Any:
    """A matplotlib transform from WGS84 lon/lat degrees to the map's projected coordinates."""
    from matplotlib.transforms import Transform
    from pyproj import Transformer

    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    class LonLatToMap(Transform):
        input_dims = output_dims = 2
        is_separable = False

        def transform_non_affine(self, values: Any) -> Any:
            xy = np.asarray(values, dtype=float).reshape(-1, 2)
            x, y = fwd.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

    return LonLatToMap()


@cache
def _projected_layer(level: str, crs_wkt: str) -> gpd.GeoDataFrame:
    return _carto.layer(level).to_crs(crs_wkt)


def _projected_box(box: tuple[float, ...], transformer: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    t = np.linspace(0, 1, 60)
    lon = np.concatenate([x0 + (x1 - x0) * t, np.full(60, x1), x1 - (x1 - x0) * t, np.full(60, x0)])
    lat = np.concatenate([np.full(60, y0), y0 + (y1 - y0) * t, np.full(60, y1), y1 - (y1 - y0) * t])
    x, y = transformer.transform(lon, lat)
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


def _china_box(crs_wkt: str) -> tuple[float, float, float, float]:
    """Projected bounds of China's land north of the South China Sea."""
    country = _projected_layer("country", crs_wkt).geometry.iloc[0]
    lonlat = _carto.layer("country").geometry.iloc[0]
    parts = shapely.get_parts(country)
    north = shapely.get_parts(lonlat)
    keep = [p for p, q in zip(parts, north, strict=True) if q.bounds[3] > _carto.CHINA_EXTENT[1]]
    b = np.array([p.bounds for p in keep])
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


@cache
def _projected_neighbours(crs_wkt: str, box: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The other countries near ``box`` (lon/lat), clipped before projecting them.

    Clipping first keeps countries far round the globe (which a conic projection tears
    apart) out of the figure.
    """
    x0, y0, x1, y1 = box
    near = (max(-180.0, x0 - 30), max(-85.0, y0 - 20), min(180.0, x1 + 30), min(85.0, y1 + 20))
    layer = _carto.layer("neighbours")
    return layer.clip(shapely.box(*near)).to_crs(crs_wkt)


def _draw_base(
    ax: Any,
    crs_wkt: str,
    fills: pd.Series | None,
    lw: float = 1.0,
    box: tuple[float, float, float, float] = _carto.CHINA_EXTENT,
) -> None:
    """Sea, grey neighbours, China's land (or a choropleth), provinces, outline, sea line."""
    ax.set_facecolor(_carto.SEA)
    nb = _projected_neighbours(crs_wkt, tuple(float(v) for v in box))
    nb.plot(
        ax=ax,
        aspect=None,
        color=_carto.NEIGHBOUR,
        edgecolor=_carto.NEIGHBOUR_EDGE,
        lw=0.35 * lw,
        zorder=0.1,
    )
    prov = _projected_layer("province", crs_wkt)
    prov.plot(ax=ax, aspect=None, color=_carto.LAND, edgecolor="none", zorder=0.2)
    if fills is not None and len(fills):
        pref = _projected_layer("prefecture", crs_wkt)
        sub = pref.loc[fills.index]
        sub.plot(
            ax=ax,
            aspect=None,
            color=fills.to_numpy(),
            edgecolor="#ffffff",
            lw=0.15 * lw,
            zorder=0.3,
        )
    prov.boundary.plot(ax=ax, aspect=None, color=_carto.PROVINCE_EDGE, lw=0.4 * lw, zorder=0.4)
    _projected_layer("country", crs_wkt).boundary.plot(
        ax=ax, aspect=None, color=_carto.COUNTRY_EDGE, lw=0.8 * lw, zorder=0.5
    )
    _projected_layer("maritime", crs_wkt).plot(
        ax=ax, aspect=None, color=_carto.MARITIME, lw=0.9 * lw, zorder=0.5
    )


def _fit_aspect(box: tuple[float, ...], ax: Any) -> tuple[float, float, float, float]:
    """Grow ``box`` (x0, y0, x1, y1) about its centre to the aspect ratio of ``ax``."""
    pos = ax.get_position()
    fw, fh = ax.figure.get_size_inches()
    target = (pos.width * fw) / (pos.height * fh)
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w / h < target:
        extra = (h * target - w) / 2
        x0, x1 = x0 - extra, x1 + extra
    else:
        extra = (w / target - h) / 2
        y0, y1 = y0 - extra, y1 + extra
    return float(x0), float(y0), float(x1), float(y1)


def _nice_length(span_m: float) -> float:
    target = span_m / 6
    for v in (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if v * 1000 >= target:
            return v * 1000.0
    return 5e6


def _scale_bar(ax: Any, family: dict, unit: str) -> None:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    length = _nice_length(x1 - x0)
    bx, by = x0 + 0.03 * (x1 - x0), y0 + 0.035 * (y1 - y0)
    h = 0.008 * (y1 - y0)
    from matplotlib.patches import Rectangle

    for k in range(4):
        shade = "#333" if k % 2 == 0 else "#fff"
        ax.add_patch(
            Rectangle((bx + k * length / 4, by), length / 4, h, facecolor=shade,
                      edgecolor="#333", lw=0.6, zorder=8)
        )  # fmt: skip
    for frac in (0, 0.5, 1):
        v = length * frac / 1000
        ax.text(bx + length * frac, by + 1.8 * h, f"{v:g}", ha="center", va="bottom", fontsize=6.5,
                zorder=8, **family)  # fmt: skip
    ax.text(bx + length * 1.04, by + h / 2, unit, ha="left", va="center", fontsize=6.5, zorder=8,
            **family)  # fmt: skip


def _north_arrow(ax: Any, label: str, family: dict) -> None:
    ax.annotate(
        "", xy=(0.04, 0.955), xytext=(0.04, 0.885), xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7", "color": "#222",
                    "lw": 1.4},
        zorder=8,
    )  # fmt: skip
    ax.text(0.04, 0.962, label, transform=ax.transAxes, ha="center", va="bottom", fontsize=9,
            fontweight="bold", zorder=8, **family)  # fmt: skip


def _place_static_labels(
    ax: Any, items: list[tuple[float, float, str, float]], family: dict, obstacles: list
) -> list[Any]:
    """Annotate ``(x, y, text, fontsize)`` in priority order without overlapping boxes."""
    fig = ax.figure
    renderer = _renderer(fig)
    texts = []
    sizes = []
    for x, y, txt, size in items:
        t = ax.text(x, y, txt, fontsize=size, **family)
        bb = t.get_window_extent(renderer)
        sizes.append((bb.width, bb.height))
        t.remove()
        texts.append((x, y, txt, size))
    anchors = ax.transData.transform(np.array([[x, y] for x, y, _, _ in items]).reshape(-1, 2))
    spots = _carto.place_labels(None, anchors, np.array(sizes).reshape(-1, 2), obstacles)
    out = []
    from matplotlib.patheffects import withStroke

    halo = withStroke(linewidth=2.2, foreground="white")
    axbox = ax.get_window_extent(renderer)
    for (x, y, txt, size), spot, (w, h) in zip(texts, spots, sizes, strict=True):
        if spot is None:
            continue
        dx, dy = spot[0], spot[1]
        if dx < axbox.x0 or dx + w > axbox.x1 or dy < axbox.y0 or dy + h > axbox.y1:
            continue
        ax_x, ax_y = ax.transData.transform((x, y))
        to_pt = 72.0 / fig.dpi
        a = ax.annotate(
            txt, (x, y), xytext=((dx - ax_x) * to_pt, (dy - ax_y) * to_pt),
            textcoords="offset points", ha="left", va="bottom", fontsize=size, zorder=9,
            path_effects=[halo], annotation_clip=True, **family,
        )  # fmt: skip
        a.set_gid("borderhub-label")
        out.append(a)
    return out


def _renderer(fig: Any) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):
        canvas = FigureCanvasAgg(fig)
    return canvas.get_renderer()


def static_map(
    candidates: gpd.GeoDataFrame | None = None,
    solution: Any = None,
    partners: gpd.GeoDataFrame | None = None,
    corridors: pd.DataFrame | None = None,
    scores: pd.DataFrame | pd.Series | None = None,
    title: str | None = None,
    lang: str = "zh",
    demand: gpd.GeoDataFrame | None = None,
    ax: Any = None,
    figsize: tuple[float, float] = (10.0, 8.0),
    *,
    extent: Any = "china",
    projection: Any = "albers",
    boundaries: bool = True,
    inset: bool | None = None,
    choropleth: Any = None,
    labels: str = "centres",
    show_corridors: bool | None = None,
    path: str | Path | None = None,
    dpi: int = 300,
):
    """Print-quality map of China: the content of :func:`corridor_map` in a conic projection.

    Draws, in an Albers (default) or Lambert conformal conic projection centred on China:
    the sea, the neighbouring countries in grey, China's land with its province boundaries
    and national outline and the maritime boundary line (from
    :func:`borderhub.datasets.boundaries`), an optional prefecture choropleth with a colour
    bar, the allocation lines and demand units of a solution, the candidates by tier (or by
    score), the chosen centres (fill colour = cluster, outline colour = tier of 专栏4), the
    partner hubs and corridors inside the extent, labels placed without overlap, a South
    China Sea inset (南海诸岛), a scale bar, a north arrow and a legend.

    Parameters
    ----------
    candidates, solution, partners, corridors, scores, title, lang, demand
        As in :func:`corridor_map`. Chinese text needs a CJK font (e.g. Noto Sans CJK); if
        none is installed, ``lang="zh"`` falls back to English text with a warning.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    figsize : tuple of float, default (10, 8)
        Size in inches of a new figure.
    extent : "china" or (lon_min, lat_min, lon_max, lat_max), default "china"
        Area shown: China's land north of the South China Sea (the islands are in the
        inset), or a box in WGS84 degrees, e.g. ``(97, 21, 112, 35)`` for the south-west.
    projection : {"albers", "lambert"} or CRS, default "albers"
        Albers equal-area or Lambert conformal conic (standard parallels 25 and 47 N,
        central meridian 105 E), or any projected CRS pyproj accepts.
    boundaries : bool, default True
        Draw the basemap (sea, neighbours, land, provinces, outline, maritime line).
    inset : bool, optional
        Draw the South China Sea inset. Default: when ``extent="china"``.
    choropleth : str or Series, optional
        Colour the prefectures by ``"demand"``, ``"centre"``, ``"distance"``, ``"covered"``
        (the last three need a solution's assignment), a numeric column of the demand frame,
        or a numeric Series indexed by prefecture adcode. Numbers are drawn in six quantile
        classes with a colour bar.
    labels : {"centres", "all", "none"}, default "centres"
        Label the chosen centres (without a solution: the CORE places of 专栏4), every
        candidate (centres first, the rest where room is left), or none.
    show_corridors : bool, optional
        Draw the corridors clipped to the extent. Default: only when ``extent`` is not
        ``"china"`` (national maps stay readable).
    path : str or Path, optional
        Also save the figure there; ``.png``, ``.svg`` or ``.pdf``.
    dpi : int, default 300
        Resolution of a saved PNG.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the map (``fig.axes[0]`` is the map, the inset is a child axes
        of it). Save it with ``fig.savefig("map.pdf")``. The map's data coordinates are
        the projection's metres; to draw more in WGS84 lon/lat, pass
        ``transform=ax.lonlat_transform`` (e.g. ``ax.plot(lon, lat,
        transform=ax.lonlat_transform)``).

    Raises
    ------
    DataError, SpecificationError
        As :func:`corridor_map`; and an extent that is not four finite numbers in range,
        an unknown projection or choropleth, a choropleth column that is missing or not
        numeric, a ``path`` with another suffix.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from borderhub.maps import static_map
    >>> cand = gpd.GeoDataFrame(
    ...     {"name": ["Beijing", "Kunming"]}, index=["110000", "530100"],
    ...     geometry=gpd.points_from_xy([116.41, 102.83], [39.90, 24.88]), crs="EPSG:4326")
    >>> fig = static_map(cand, solution=["530100"], lang="en")
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "borderhub-label"]
    ['Kunming']
    >>> len(ax.child_axes)  # the South China Sea inset
    1
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from pyproj import Transformer

    if not isinstance(lang, str) or lang not in _TEXT:
        raise SpecificationError(f"lang must be one of {sorted(_TEXT)}, got {lang!r}.")
    view = _carto.check_extent(extent, ("china",))
    if labels not in ("centres", "centers", "all", "none"):
        raise SpecificationError(f"labels must be 'centres', 'all' or 'none'; got {labels!r}.")
    if path is not None and Path(path).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise SpecificationError(
            f"path {str(path)!r} must end in .png, .svg or .pdf (the formats static_map "
            "writes); or save the returned figure yourself with fig.savefig(...)."
        )
    crs = _projection(projection)
    crs_wkt = crs.to_wkt()
    font = _cjk_font()
    use_lang = lang
    if lang == "zh" and font is None:
        warnings.warn(
            "static_map: no font with Chinese glyphs found (install e.g. fonts-noto-cjk); "
            "drawing English text instead.",
            UserWarning,
            stacklevel=2,
        )
        use_lang = "en"
    c = _prepare(candidates, solution, partners, corridors, scores, title, use_lang, demand)
    text = _TEXT[use_lang]
    zh = use_lang == "zh"
    family = {"fontfamily": font} if font else {}
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def proj(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        x, y = fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    sol, cand = c.solution, c.cand
    assignment = sol.assignment if sol is not None else None
    colour = _centre_colours(sol)
    fills = None
    choro = None
    if choropleth is not None:
        names = {f: str(cand.at[f, "_name"]) for f in colour}
        choro = _carto.make_choropleth(choropleth, c.demand, assignment, colour, names, use_lang)
        fills, _missing = _carto.join_prefectures(choro)

    if ax is None:
        fig = Figure(figsize=figsize)  # no pyplot state
        ax = fig.add_axes((0.005, 0.005, 0.99, 0.93 if title else 0.99))
    else:
        fig = ax.figure
    if view == "china":
        x0, y0, x1, y1 = _china_box(crs_wkt)
        mx, my = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
        box = (x0 - mx, y0 - my, x1 + mx, y1 + my)
    else:
        assert isinstance(view, tuple)
        box = _projected_box(view, fwd)
    show_inset = (view == "china") if inset is None else bool(inset)
    if show_inset and view == "china":
        # room east of Taiwan for the South China Sea inset (lower right)
        box = (box[0], box[1], box[2] + 0.12 * (box[2] - box[0]), box[3])
    box = _fit_aspect(box, ax)
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#666")
        side.set_linewidth(0.8)
    if boundaries:
        lonlat = _carto.CHINA_EXTENT if isinstance(view, str) else view
        _draw_base(ax, crs_wkt, fills, box=(lonlat[0], lonlat[1], lonlat[2], lonlat[3]))
    elif fills is not None:
        _projected_layer("prefecture", crs_wkt).loc[fills.index].plot(
            ax=ax, aspect=None, color=fills.to_numpy(), edgecolor="#fff", lw=0.15, zorder=0.3
        )

    # for overlays drawn by other code in lon/lat: ax.plot(lon, lat, transform=...)
    ax.lonlat_transform = _lonlat_transform(crs) + ax.transData  # type: ignore[attr-defined]
    ax.set_xlabel("")  # geopandas labels the axes with the CRS's; a map needs none
    ax.set_ylabel("")
    handles: list[Any] = []

    def key(label: str, **kw: Any) -> None:
        handles.append(Line2D([], [], ls=kw.pop("ls", ""), label=label, **kw))

    from matplotlib.collections import LineCollection

    # allocation and demand
    if assignment is not None and c.demand is not None:
        dem = c.demand.loc[assignment.index]
        ok = assignment["_served"].to_numpy()
        fac = cand.loc[assignment.loc[ok, "facility"]]
        dx, dy = proj(dem["_lon"].to_numpy()[ok], dem["_lat"].to_numpy()[ok])
        fx, fy = proj(fac["_lon"].to_numpy(), fac["_lat"].to_numpy())
        segs = np.stack([np.column_stack([dx, dy]), np.column_stack([fx, fy])], axis=1)
        cols = [colour[f] for f in assignment.loc[ok, "facility"]]
        lines = LineCollection(list(segs), colors=cols, linewidths=0.35, alpha=0.45, zorder=1)
        lines.set_gid("borderhub-allocation")
        ax.add_collection(lines)
        ax.scatter(dx, dy, s=5, c=cols, zorder=2, linewidths=0)
        if (~ok).any():
            ux, uy = proj(dem["_lon"].to_numpy()[~ok], dem["_lat"].to_numpy()[~ok])
            ax.scatter(ux, uy, s=9, facecolors="white", edgecolors="#d62728", zorder=2)
            key(text["uncovered"], marker="o", mfc="white", mec="#d62728", ms=4)
    elif c.demand is not None and c.demand is not cand:
        dx, dy = proj(c.demand["_lon"], c.demand["_lat"])
        ax.scatter(dx, dy, s=4, c="#888", zorder=2, linewidths=0)
        key(text["demand"], marker="o", mfc="#888", mec="#888", ms=3)

    # corridors and partners (inside the extent)
    corridors_on = view != "china" if show_corridors is None else bool(show_corridors)
    drawn = set()
    if corridors_on:
        for cor in c.corridors:
            mst = _MODE_STYLE[cor.mode]
            dash = mst.get("dashArray")
            ls = (0, tuple(float(v) for v in dash.split())) if dash else "-"
            for _, _, pieces in cor.arcs:
                for piece in pieces:
                    px, py = proj(piece[:, 0], piece[:, 1])
                    # split where the arc crosses the projection's seam (a jump across it)
                    jump = np.abs(np.diff(px)) > 0.25 * (box[2] - box[0])
                    cuts = np.flatnonzero(~np.isfinite(px[1:]) | jump) + 1
                    for sx, sy in zip(np.split(px, cuts), np.split(py, cuts), strict=True):
                        if len(sx) > 1:
                            ax.plot(sx, sy, color=mst["color"], lw=mst["weight"] * 0.5, ls=ls,
                                    alpha=0.8, zorder=1.5)  # fmt: skip
                drawn.add(cor.mode)
        part = c.partners
        if part is not None and len(part):
            px, py = proj(part["_lon"], part["_lat"])
            inside = (px > box[0]) & (px < box[2]) & (py > box[1]) & (py < box[3])
            if inside.any():
                ax.scatter(px[inside], py[inside], s=22, c="#88419d", edgecolors="#222",
                           marker="s", zorder=3)  # fmt: skip
                key(text["partners"], marker="s", mfc="#88419d", mec="#222")
        for m in _MODES:
            if m in drawn:
                key(_MODE_NAMES[use_lang][m], color=_MODE_STYLE[m]["color"], lw=1.5, ls="-")

    # candidates
    cx, cy = proj(cand["_lon"], cand["_lat"])
    at = {x: k for k, x in enumerate(cand.index)}
    if sol is not None:
        rest = [x for x in cand.index if x not in set(sol.open)]
        ri = [at[x] for x in rest]
        ax.scatter(cx[ri], cy[ri], s=12, c="#cfcfcf",
                   edgecolors=[_tier_outline(c, x, "#888") for x in rest], linewidths=0.8,
                   zorder=4)  # fmt: skip
        oi = [at[x] for x in sol.open]
        ax.scatter(cx[oi], cy[oi], s=70, c=[colour[f] for f in sol.open],
                   edgecolors=[_tier_outline(c, x, "#000") for x in sol.open], linewidths=2.0,
                   zorder=5)  # fmt: skip
        key(text["fill_cluster"], marker="o", mfc="#1f77b4", mec="#000", ms=7)
        key(text["not_chosen"], marker="o", mfc="#cfcfcf", mec="#888", ms=4)
        if c.tiers is not None:
            for t in _tier_enum():
                if _tier_style(t).ring or not any(t in v for v in c.tiers.values()):
                    continue
                short = _TIER_SHORT.get(t.name, (t.label_zh, t.label_en))[0 if zh else 1]
                key(f"{text['outline_tier'].split('=')[0].strip()}: {short}", marker="o",
                    mfc="white", mec=_tier_style(t).fill, mew=2, ms=6)  # fmt: skip
    elif c.scores is not None and len(c.scores):
        v = c.scores["score"].to_numpy(dtype=float)
        si = [at[x] for x in c.scores.index]
        pts = ax.scatter(
            cx[si], cy[si], s=15 + 90 * (v - v.min()) / max(np.ptp(v), 1e-12), c=v,
            cmap="viridis", edgecolors="#333", linewidths=0.5, zorder=4,
        )  # fmt: skip
        cax = ax.inset_axes((0.30, 0.035, 0.16, 0.018))
        cb = fig.colorbar(pts, cax=cax, orientation="horizontal")
        cb.ax.tick_params(labelsize=6)
        cb.set_label(text["score"], fontsize=7, **family)
    elif c.tiers is not None:
        untiered = [at[x] for x in cand.index if not c.tiers[x]]
        if untiered:
            ax.scatter(cx[untiered], cy[untiered], s=14, c=_NO_TIER_FILL, edgecolors="#333",
                       linewidths=0.5, zorder=3.4)  # fmt: skip
            key(text["no_tier"], marker="o", mfc=_NO_TIER_FILL, mec="#333", ms=5)
        for t in _tier_enum():
            idx = [at[x] for x in cand.index if t in c.tiers[x]]
            if not idx:
                continue
            st = _tier_style(t)
            size = (st.radius * 1.05) ** 2
            short = _TIER_SHORT.get(t.name, (t.label_zh, t.label_en))[0 if zh else 1]
            if st.ring:
                ax.scatter(cx[idx], cy[idx], s=size, facecolors="none", edgecolors=st.fill,
                           linewidths=1.6, zorder=3.5)  # fmt: skip
                key(short, marker="o", mfc="none", mec=st.fill, mew=1.6, ms=7)
            else:
                ax.scatter(cx[idx], cy[idx], s=size, c=st.fill, edgecolors="#222",
                           linewidths=0.5, zorder=4)  # fmt: skip
                key(short, marker="o", mfc=st.fill, mec="#222", ms=6)
    else:
        ax.scatter(cx, cy, s=24, c="#e34a33", edgecolors="#333", zorder=4)
        key(text["candidates"], marker="o", mfc="#e34a33", mec="#333", ms=5)

    # decorations: title, legend, colour bar, inset, scale bar, north arrow
    if title:
        ax.set_title(title, fontsize=13, fontweight="bold", **family)
    prop = {"family": font, "size": 7} if font else {"size": 7}
    legend = None
    if handles:
        legend = ax.legend(
            handles=handles, loc="lower left", bbox_to_anchor=(0.0, 0.07), prop=prop,
            framealpha=0.92, edgecolor="#999", title=text["legend"], title_fontproperties=prop,
        )  # fmt: skip
        legend.set_zorder(10)
    if choro is not None:
        _choropleth_bar(fig, ax, choro, family)
    inset_ax = None
    if show_inset:
        inset_ax = _scs_inset(ax, crs_wkt, fwd, zh, family, boundaries)
    _scale_bar(ax, family, "km")
    _north_arrow(ax, "北" if zh else "N", family)

    # labels last, around everything else
    if labels != "none":
        renderer = _renderer(fig)
        obstacles = []
        for artist in (legend, inset_ax):
            if artist is not None:
                obstacles.append(tuple(artist.get_window_extent(renderer).extents))
        if sol is not None:
            major = list(sol.open)
        elif c.tiers is not None:
            major = [x for x in cand.index if any(t.name == "CORE" for t in c.tiers[x])]
        else:
            major = []
        pts = ax.transData.transform(np.column_stack([cx, cy]))
        r = 4.5 if sol is not None else 3.0
        for x in major:
            px_, py_ = pts[at[x]]
            obstacles.append((px_ - r, py_ - r, px_ + r, py_ + r))
        items = []
        for x in major:
            items.append((cx[at[x]], cy[at[x]], _static_name(cand, x, font), 8.5))
        if labels == "all":
            for x in cand.index:
                if x not in set(major):
                    items.append((cx[at[x]], cy[at[x]], _static_name(cand, x, font), 6.5))
        _place_static_labels(ax, items, family, obstacles)
    if path is not None:
        fig.savefig(path, dpi=dpi, metadata=_SAVE_METADATA.get(Path(path).suffix.lower()))
    return fig


_SAVE_METADATA: dict[str, dict[str, Any] | None] = {
    ".png": {"Software": None},
    ".svg": {"Date": None},
    ".pdf": {"CreationDate": None},
}


def _static_name(cand: pd.DataFrame, label: Any, font: str | None) -> str:
    name = str(cand.at[label, "_name"])
    if font is None and not name.isascii():
        return str(label)  # no glyphs for the Chinese name: label by adcode
    return name


def _choropleth_bar(fig: Any, ax: Any, choro: Any, family: dict) -> None:
    """Colour bar (numeric, quantile classes) or category key of a choropleth."""
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    if choro.categorical:
        present = [k for k in choro.colours if k in set(choro.values.dropna())]
        handles = [Patch(facecolor=choro.colours[k], edgecolor="#777", label=k) for k in present]
        prop = {"family": family.get("fontfamily"), "size": 6.5} if family else {"size": 6.5}
        leg = ax.legend(
            handles=handles[:24], loc="upper right", bbox_to_anchor=(0.995, 0.995), prop=prop,
            title=choro.title, title_fontproperties=prop, ncols=2 if len(handles) > 8 else 1,
            framealpha=0.92, edgecolor="#999",
        )  # fmt: skip
        leg.set_zorder(10)
        old = [a for a in ax.get_children() if a is not leg and type(a).__name__ == "Legend"]
        if ax.get_legend() is not leg:
            pass
        # keep the main legend too
        if old:
            ax.add_artist(old[0])
        return
    edges = choro.classes()
    cols = choro.palette(len(edges) - 1)
    cmap = ListedColormap(cols)
    norm = BoundaryNorm(edges, cmap.N)
    from matplotlib.cm import ScalarMappable

    cax = ax.inset_axes((0.62, 0.955, 0.34, 0.016))
    cb = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax, orientation="horizontal",
                      spacing="uniform")  # fmt: skip
    cb.set_ticks(edges)
    cb.set_ticklabels([choro.fmt.format(e) for e in edges])
    cb.ax.tick_params(labelsize=6, length=2)
    cax.set_title(choro.title, fontsize=7.5, pad=2, **family)


def _scs_inset(ax: Any, crs_wkt: str, fwd: Any, zh: bool, family: dict, base: bool) -> Any:
    """The South China Sea islands in an inset at the lower right of the map."""
    x0, y0, x1, y1 = _projected_box(_carto.SCS_EXTENT, fwd)
    w = x1 - x0
    h = y1 - y0
    height = 0.25
    bb = ax.get_window_extent()
    aspect_axes = bb.width / bb.height
    width = height * (w / h) / aspect_axes
    ins = ax.inset_axes((1 - width - 0.004, 0.004, width, height))
    if base:
        _draw_base(ins, crs_wkt, None, lw=0.7, box=_carto.SCS_EXTENT)
    ins.set_xlim(x0, x1)
    ins.set_ylim(y0, y1)
    ins.set_aspect("equal", adjustable="box")
    ins.set_xlabel("")
    ins.set_ylabel("")
    ins.set_xticks([])
    ins.set_yticks([])
    for side in ins.spines.values():
        side.set_color("#444")
        side.set_linewidth(0.8)
    ins.text(0.5, 0.03, "南海诸岛" if zh else "South China Sea Islands", transform=ins.transAxes,
             ha="center", va="bottom", fontsize=7, zorder=9, **family)  # fmt: skip
    ins.set_gid("borderhub-scs-inset")
    ins.set_zorder(9)
    return ins
