"""Words, colours and small HTML helpers shared by the map layers and both renderers.

Part of :mod:`borderhub.maps`: the tier and mode styles, the text of layer names, legends
and popups in Chinese and English, and the escaping every string from the data goes
through before it reaches a page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MODES = ("air", "rail", "sea", "road")
MODE_STYLE: dict[str, dict[str, Any]] = {
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


def tier_style(tier: Any) -> _TierStyle:
    return _TIER_STYLE.get(tier.name, _TierStyle("#777777", 6.0))


TIER_SHORT = {
    "CORE": ("强化综合性中心", "Core: strengthen comprehensive centres"),
    "LONG_TERM": ("长远发展", "Long-term comprehensive centres"),
    "PROVINCIAL": ("省会辐射", "Provincial capitals"),
    "ENCOURAGED": ("鼓励建设", "Encouraged"),
    "RAIL": ("铁路（中欧班列）", "Rail (China-Europe Railway Express)"),
    "PORT": ("港口", "Port (coastal)"),
}
FACILITY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#e7298a",
    "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173",
    "#3182bd", "#e6550d", "#31a354", "#756bb1",
)  # fmt: skip

MODE_NAMES: dict[str, dict[str, str]] = {
    "zh": {"air": "航空", "rail": "铁路", "sea": "海运", "road": "公路"},
    "en": {"air": "air", "rail": "rail", "sea": "sea", "road": "road"},
}

#: Heading of a section of the HTML legend.
LEGEND_HEAD = '<div style="font-weight:600;margin-top:5px">{}</div>'

#: Fill colour of candidates that are in no tier of 专栏4 (a tiers column with empty cells).
NO_TIER_FILL = "#bdbdbd"

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "tier_layer": "专栏4 · {short}",
        "candidates": "候选地",
        "no_tier": "其他候选地（未列入专栏4）",
        "scores": "评分",
        "centres": "方案 · 选中中心",
        "unchosen": "方案 · 未选中候选地",
        "allocation": "方案 · 需求分配",
        "demand": "需求单元",
        "thinned": "（显示 {shown} / {total}，均匀抽取：点太多，无法逐一绘制）",
        "best_shown": "（显示排名前 {shown} / {total}：点太多，无法逐一绘制）",
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
        "thinned": " (showing {shown} of {total}, evenly chosen: too many to draw one by one)",
        "best_shown": " (showing the {shown} best-ranked of {total}: too many to draw one by one)",
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
CANDIDATE_FIELDS = {
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
PARTNER_FIELDS = {
    "city": ("城市", "city"),
    "country": ("国家", "country"),
    "iso3": ("ISO3", "ISO3"),
    "region": ("区域", "region"),
    "rcep": ("RCEP 成员", "RCEP member"),
    "role": ("角色", "role"),
}
SKIP_COLUMNS = {"geometry", "lon", "lat", "tiers", "geonameid", "plan_text"}
# Provenance columns stay in the data, not in the popups.
SKIP_SUFFIX = re.compile(r"(_source|_method|_quality|_gcj02)$")

# --------------------------------------------------------------------------- helpers


def esc(value: Any) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)


def js_literal(obj: Any) -> str:
    """JSON for embedding in a <script>: no way to close the tag or open a comment."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def fmt_value(value: Any, lang: str, grouped: bool = True) -> str | None:
    """Format one popup value; None for missing values. ``grouped``: thousands separators."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return TEXT[lang]["yes"] if value else TEXT[lang]["no"]
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


def popup_table(rows: Iterable[tuple[str, str]], head: str) -> str:
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


def tier_enum():
    """The :class:`borderhub.policy.Tier` enum (imported when first needed)."""
    from borderhub.policy import Tier

    return Tier


def viridis(t: np.ndarray) -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    return [to_hex(cmap(float(v))) for v in t]


def swatch_circle(fill: str | None, stroke: str, r: float = 6, dash: str | None = None) -> str:
    f = fill if fill else "none"
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="18" height="16" style="vertical-align:middle;flex:none">'
        f'<circle cx="9" cy="8" r="{r}" fill="{f}" stroke="{stroke}" stroke-width="2"{d}/></svg>'
    )


def swatch_line(style: Mapping[str, Any]) -> str:
    dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
    return (
        '<svg width="30" height="10" style="vertical-align:middle">'
        f'<line x1="1" y1="5" x2="29" y2="5" stroke="{style["color"]}" '
        f'stroke-width="{style["weight"]}"{dash}/></svg>'
    )


PARTNER_STYLE: dict[str, dict[str, Any]] = {
    "rcep": {"radius": 6, "color": "#4d004b", "weight": 2, "fillColor": "#88419d"},
    "other_partners": {"radius": 5, "color": "#252525", "weight": 2, "fillColor": "#969696"},
}
PARTNER_STYLE["partners"] = PARTNER_STYLE["rcep"]


def cjk_font() -> str | None:
    from borderhub._fonts import cjk_family

    return cjk_family()
