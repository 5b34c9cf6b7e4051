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
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.template import Template

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


class _VectorLayer(MacroElement):
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


class _Decorations(MacroElement):
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
                        + "border-radius:4px;font:11px/1.3 sans-serif;max-height:42vh;"
                        + "overflow-y:auto;max-width:290px;box-shadow:0 1px 5px rgba(0,0,0,.4)";
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
                header[name] = Element(f"<script>{js}</script>")
            else:
                external.append(child.url)
        elif isinstance(child, CssLink):
            if name == "leaflet_css":
                header[name] = Element(f"<style>{css}</style>")
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
        [0, 0, s.pos[x], 0, f"{s.name(x)} · {_esc(text['not_chosen'])}", s.popups[x]]
        for x in c.cand.index
        if x not in chosen
    ]
    feats: list[Feature] = []
    for x in sol.open:
        tip = f"<b>{s.name(x)}</b> · {_esc(text['chosen'])}"
        popup = s.popups[x]
        if x in served:
            total, n = served[x]
            amount = f"{_esc(_fmt(total, c.lang))} ({n} {_esc(text['units'])})"
            tip += f"<br>{_esc(text['served'])}: {amount}"
            popup = _candidate_popup(c, x, s.records[x], [(_esc(text["served"]), amount)])
        feats.append([0, 0, s.pos[x], {"fillColor": s.colour[x]}, tip, popup])
    dim_style = {"radius": 4, "color": "#888", "weight": 1, "fillColor": "#bbb", "opacity": 0.6}
    return [
        _Layer(_esc(text["unchosen"]), True, [{**dim_style, "fillOpacity": 0.5}], dim),
        _Layer(
            _esc(text["centres"]),
            True,
            [{"radius": 11, "color": "#000", "weight": 3, "fillOpacity": 0.95}],
            feats,
        ),
    ]


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


def _legend_html(c: _Content) -> str:
    text = _TEXT[c.lang]
    parts = [
        '<details open><summary style="font-weight:700;cursor:pointer;margin-bottom:3px">'
        f"{_esc(text['legend'])}</summary>"
    ]
    if c.tiers is not None:
        tier_cls = _tier_enum()
        present = {t for v in c.tiers.values() for t in v}
        rows = []
        for t in tier_cls:
            if t not in present:
                continue
            st = _tier_style(t)
            sw = _swatch_circle(None if st.ring else st.fill, st.fill if st.ring else "#222")
            rows.append(
                f'<div style="margin:3px 0;display:flex;gap:3px">{sw}<div>'
                f"<b>{_esc(t.label_zh)}</b>"
                f'<div style="color:#555;font-size:10px">{_esc(t.label_en)}</div></div></div>'
            )
        if any(not v for v in c.tiers.values()):
            sw = _swatch_circle(_NO_TIER_FILL, "#333", 5)
            rows.append(f'<div style="margin:3px 0">{sw} {_esc(text["no_tier"])}</div>')
        parts.append(f'<div style="font-weight:600;margin-top:4px">{_esc(text["tiers"])}</div>')
        parts.extend(rows)
    if c.scores is not None and len(c.scores):
        lo, hi = float(c.scores["score"].min()), float(c.scores["score"].max())
        grad = ",".join(_viridis(np.linspace(0, 1, 6)))
        parts.append(
            f'<div style="font-weight:600;margin-top:4px">{_esc(text["scores"])}</div>'
            f'<div style="display:flex;align-items:center;gap:4px">{lo:.3f}'
            f'<span style="display:inline-block;width:110px;height:10px;'
            f'background:linear-gradient(to right,{grad})"></span>{hi:.3f}</div>'
        )
    if c.solution is not None:
        parts.append(
            f'<div style="font-weight:600;margin-top:4px">{_esc(text["centres"])}</div>'
            f"<div>{_swatch_circle('#1f77b4', '#000', 6)} {_esc(text['chosen'])} &nbsp; "
            f"{_swatch_circle('#bbb', '#888', 4)} {_esc(text['not_chosen'])}</div>"
        )
    if c.partners is not None and len(c.partners):
        parts.append(
            f"<div>{_swatch_circle('#88419d', '#4d004b', 5)} {_esc(text['rcep'])} &nbsp; "
            f"{_swatch_circle('#969696', '#252525', 5)} {_esc(text['other_partners'])}</div>"
        )
    modes = [m for m in _MODES if any(cor.mode == m and cor.arcs for cor in c.corridors)]
    if modes:
        items = " &nbsp; ".join(
            f"{_swatch_line(_MODE_STYLE[m])} {_esc(_MODE_NAMES[c.lang][m])}"
            + ("" if c.lang == "en" else f" {m}")
            for m in modes
        )
        parts.append(
            f'<div style="font-weight:600;margin-top:4px">{_esc(text["corridors"])}</div>'
            f"<div>{items}</div>"
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


# --------------------------------------------------------------------------- public API


def corridor_map(
    candidates: gpd.GeoDataFrame | None = None,
    solution: Any = None,
    partners: gpd.GeoDataFrame | None = None,
    corridors: pd.DataFrame | None = None,
    scores: pd.DataFrame | pd.Series | None = None,
    tiles: str | None = "osm",
    self_contained: bool = False,
    title: str | None = None,
    lang: str = "zh",
    demand: gpd.GeoDataFrame | None = None,
    tiles_key: str | None = None,
) -> folium.Map:
    """Interactive map of candidate places, a solution, partner hubs and corridors.

    Overlays (each a ``folium.FeatureGroup`` listed in the layer control), bottom to top:
    the allocation lines and demand units of a solution, one layer per corridor (great-circle
    arcs from every origin place to every partner hub, styled by mode and split at the
    antimeridian), the partner hubs (RCEP members and the other endpoints), the candidate
    scores (marker size and colour by score, rank in the tooltip), one layer per tier of
    专栏4 (filled markers for CORE, LONG_TERM, PROVINCIAL and ENCOURAGED, rings for RAIL and
    PORT, so a place in several tiers shows all of them) and the solution's chosen centres
    (highlighted, coloured like the demand they serve) above the unchosen candidates
    (dimmed). The most specific view is shown at start (solution, else scores, else tiers);
    the others can be switched on in the layer control. The map also has a title, a
    bilingual legend with the plan's own words for each tier, a scale bar, and its view
    fitted to the content.

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
    tiles : {"osm", "amap", "cartodb-positron", "tianditu"} or None, default "osm"
        Basemap. ``"amap"`` (Gaode) is in GCJ-02: every overlay is shifted from WGS84 to
        GCJ-02 to match it. ``"tianditu"`` needs ``tiles_key``. None draws no basemap.
    self_contained : bool, default False
        Embed Leaflet's JavaScript and CSS in the page instead of linking to a CDN, so the
        saved HTML works offline and behind CDN blocks (basemap tiles still need network).
    title : str, optional
        Title shown at the top of the map and as the page title.
    lang : {"zh", "en"}, default "zh"
        Language of layer names, popups and tooltips; the legend always gives the plan's
        Chinese words and an English gloss.
    demand : GeoDataFrame, optional
        Demand units the solution's assignment refers to. Default: the candidates when the
        assignment is over them, else :func:`borderhub.datasets.prefectures`. Given without
        a solution, the units are drawn as small grey points.
    tiles_key : str, optional
        API key of basemaps that need one (Tianditu).

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
        Unknown ``tiles`` or ``lang``, a missing ``tiles_key``.

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
    base = _basemap(tiles, tiles_key)
    content = _prepare(candidates, solution, partners, corridors, scores, title, lang, demand)
    shift = _gcj if base is not None and base.gcj02 else _identity
    layers = _layers(content, shift)

    m = _CorridorMap(
        location=[35.0, 105.0],
        zoom_start=4,
        tiles=None,
        control_scale=True,
        zoom_snap=0.25,
        self_contained=bool(self_contained),
    )
    root = m.get_root()
    if title and isinstance(root, Figure):
        root.title = _esc(title)
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
    for layer in layers:
        group = folium.FeatureGroup(name=layer.name, show=layer.show)
        group.add_child(_VectorLayer(layer.styles, layer.features))
        group.add_to(m)
    title_html = _esc(title) if title else None
    m.add_child(_Decorations(title_html, _legend_html(content)))
    folium.LayerControl(collapsed=True).add_to(m)
    bounds = _bounds(layers)
    if bounds is not None:
        # Room for the title (top) and the legend (bottom right).
        m.fit_bounds(bounds, padding_top_left=(20, 50), padding_bottom_right=(300, 20))
    seed = json.dumps(
        [layers, title, tiles, tiles_key, lang, bool(self_contained)], default=str, sort_keys=True
    )
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
    figsize: tuple[float, float] = (11.0, 7.5),
):
    """Static matplotlib twin of :func:`corridor_map` for print (no tiles, no network).

    Draws the same content in WGS84 longitude/latitude (aspect corrected for the mean
    latitude): allocation lines, corridor arcs by mode, partner hubs, demand units, scores
    or tiers, and the chosen and unchosen candidates of a solution, with a legend.

    Parameters
    ----------
    candidates, solution, partners, corridors, scores, title, lang, demand
        As in :func:`corridor_map`. Chinese text needs a CJK font (e.g. Noto Sans CJK); if
        none is installed, ``lang="zh"`` falls back to English text with a warning.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    figsize : tuple of float, default (11, 7.5)
        Size in inches of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the map.

    Raises
    ------
    DataError, SpecificationError
        As :func:`corridor_map`.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from borderhub.maps import static_map
    >>> cand = gpd.GeoDataFrame(
    ...     {"name": ["Beijing", "Kunming"]}, index=["110000", "530100"],
    ...     geometry=gpd.points_from_xy([116.41, 102.83], [39.90, 24.88]), crs="EPSG:4326")
    >>> hubs = gpd.GeoDataFrame({"city": ["Singapore"]}, index=["SGP-SIN"],
    ...     geometry=gpd.points_from_xy([103.82], [1.35]), crs="EPSG:4326")
    >>> lanes = pd.DataFrame({"name": ["ASEAN"], "mode": ["sea"],
    ...     "origin": ["530100"], "partners": ["SGP-SIN"]}, index=["c1"])
    >>> fig = static_map(cand, partners=hubs, corridors=lanes, lang="en")
    >>> len(fig.axes[0].lines) > 0
    True
    """
    import textwrap

    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    if not isinstance(lang, str) or lang not in _TEXT:
        raise SpecificationError(f"lang must be one of {sorted(_TEXT)}, got {lang!r}.")
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
    family = {"fontfamily": font} if font else {}
    if ax is None:
        fig = Figure(figsize=figsize, layout="constrained")  # no pyplot state
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    handles: list[Any] = []

    def key(label: str, **kw: Any) -> None:
        handles.append(Line2D([], [], ls=kw.pop("ls", ""), label=label, **kw))

    sol, cand = c.solution, c.cand
    colour = {}
    if sol is not None:
        colour = {f: _FACILITY_COLOURS[k % len(_FACILITY_COLOURS)] for k, f in enumerate(sol.open)}
    if sol is not None and sol.assignment is not None and c.demand is not None:
        a = sol.assignment
        dem = c.demand.loc[a.index]
        ok = a["_served"].to_numpy()
        fac = cand.loc[a.loc[ok, "facility"]]
        segs = np.stack(
            [
                np.column_stack([dem["_lon"].to_numpy()[ok], dem["_lat"].to_numpy()[ok]]),
                np.column_stack([fac["_lon"].to_numpy(), fac["_lat"].to_numpy()]),
            ],
            axis=1,
        )
        cols = [colour[f] for f in a.loc[ok, "facility"]]
        ax.add_collection(
            LineCollection(list(segs), colors=cols, linewidths=0.6, alpha=0.6, zorder=1)
        )
        ax.scatter(dem["_lon"][ok], dem["_lat"][ok], s=6, c=cols, zorder=2)
        if (~ok).any():
            ax.scatter(
                dem["_lon"][~ok], dem["_lat"][~ok], s=10, facecolors="white",
                edgecolors="#d62728", zorder=2,
            )  # fmt: skip
            key(text["uncovered"], marker="o", mfc="white", mec="#d62728", ms=4)
    elif c.demand is not None:
        ax.scatter(c.demand["_lon"], c.demand["_lat"], s=5, c="#999", zorder=2)
        key(text["demand"], marker="o", mfc="#999", mec="#999", ms=3)
    drawn = set()
    for cor in c.corridors:
        mst = _MODE_STYLE[cor.mode]
        dash = mst.get("dashArray")
        ls = (0, tuple(float(v) for v in dash.split())) if dash else "-"
        for _, _, pieces in cor.arcs:
            for piece in pieces:
                ax.plot(
                    piece[:, 0], piece[:, 1], color=mst["color"], lw=mst["weight"] * 0.6, ls=ls,
                    alpha=0.8, zorder=1.5,
                )  # fmt: skip
            drawn.add(cor.mode)
    for m in _MODES:
        if m in drawn:
            key(_MODE_NAMES[use_lang][m], color=_MODE_STYLE[m]["color"], lw=1.5, ls="-")
    part = c.partners
    if part is not None and len(part):
        rc_mask = (
            part["rcep"].fillna(False).astype(bool).to_numpy()
            if "rcep" in part.columns
            else np.ones(len(part), dtype=bool)
        )
        for mask, face, label in (
            (rc_mask, "#88419d", text["rcep"]),
            (~rc_mask, "#969696", text["other_partners"]),
        ):
            if mask.any():
                ax.scatter(
                    part["_lon"][mask], part["_lat"][mask], s=30, c=face, edgecolors="#222",
                    marker="s", zorder=3,
                )  # fmt: skip
                key(label, marker="s", mfc=face, mec="#222")
    if sol is not None:
        chosen, rest = cand.loc[sol.open], cand.drop(index=sol.open)
        ax.scatter(rest["_lon"], rest["_lat"], s=14, c="#bbb", edgecolors="#888", zorder=4)
        ax.scatter(
            chosen["_lon"], chosen["_lat"], s=90, c=[colour[f] for f in sol.open],
            edgecolors="k", linewidths=1.5, zorder=5,
        )  # fmt: skip
        for lab, row in chosen.iterrows():
            name = str(row["_name"])
            if font is None and not name.isascii():
                name = str(lab)  # no glyphs for the Chinese name: label by adcode
            ax.annotate(
                name, (row["_lon"], row["_lat"]), xytext=(4, 4),
                textcoords="offset points", fontsize=8, zorder=6, **family,
            )  # fmt: skip
        key(text["chosen"], marker="o", mfc="#1f77b4", mec="k", ms=9)
        key(text["not_chosen"], marker="o", mfc="#bbb", mec="#888", ms=5)
    elif c.scores is not None and len(c.scores):
        v = c.scores["score"].to_numpy(dtype=float)
        sc = cand.loc[c.scores.index]
        pts = ax.scatter(
            sc["_lon"], sc["_lat"], s=20 + 120 * (v - v.min()) / max(np.ptp(v), 1e-12), c=v,
            cmap="viridis", edgecolors="#333", zorder=4,
        )  # fmt: skip
        fig.colorbar(pts, ax=ax, shrink=0.6, label=text["score"])
    elif c.tiers is not None:
        untiered = [lab for lab in cand.index if not c.tiers[lab]]
        if untiered:
            sub = cand.loc[untiered]
            ax.scatter(
                sub["_lon"], sub["_lat"], s=22, c=_NO_TIER_FILL, edgecolors="#333",
                linewidths=0.6, zorder=3.4,
            )  # fmt: skip
            key(text["no_tier"], marker="o", mfc=_NO_TIER_FILL, mec="#333", ms=6)
        for t in _tier_enum():
            labs = [lab for lab in cand.index if t in c.tiers[lab]]
            if not labs:
                continue
            st = _tier_style(t)
            sub = cand.loc[labs]
            size = (st.radius * 1.4) ** 2
            label = textwrap.fill(t.label_zh if use_lang == "zh" else t.label_en, 50)
            if st.ring:
                ax.scatter(
                    sub["_lon"], sub["_lat"], s=size, facecolors="none", edgecolors=st.fill,
                    linewidths=2, zorder=3.5,
                )  # fmt: skip
                key(label, marker="o", mfc="none", mec=st.fill, mew=2, ms=9)
            else:
                ax.scatter(
                    sub["_lon"], sub["_lat"], s=size, c=st.fill, edgecolors="#222",
                    linewidths=0.6, zorder=4,
                )  # fmt: skip
                key(label, marker="o", mfc=st.fill, mec="#222", ms=7)
    else:
        ax.scatter(cand["_lon"], cand["_lat"], s=30, c="#e34a33", edgecolors="#333", zorder=4)
        key(text["candidates"], marker="o", mfc="#e34a33", mec="#333", ms=6)
    ax.autoscale_view()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ax.set_xlim(max(x0, -180.0), min(x1, 180.0))
    ax.set_ylim(max(y0, -90.0), min(y1, 90.0))
    ax.set_xlabel("longitude (°E, WGS84)")
    ax.set_ylabel("latitude (°N)")
    ax.grid(True, lw=0.3, color="#ccc")
    lat_mid = float(np.clip(np.mean(ax.get_ylim()), -75, 75))
    ax.set_aspect(1.0 / math.cos(math.radians(lat_mid)), adjustable="box")
    if title:
        ax.set_title(title, **family)
    if handles:
        prop = {"family": font, "size": 7} if font else {"size": 7}
        ax.legend(
            handles=handles, loc="lower left", prop=prop, framealpha=0.9, title=text["legend"],
            title_fontproperties=prop,
        )  # fmt: skip
    return fig
