"""Layers of the candidate places: by score, by tier of 专栏4, and as a solution's centres.

The most specific view is shown at start and printed: the solution (chosen centres above
the dimmed others), else the scores, else the tiers; the other views stay in the HTML
map's layer control.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.maps._core.inputs import candidate_popup, numeric_column, tier_outline
from borderhub.maps._core.style import (
    LEGEND_HEAD,
    NO_TIER_FILL,
    TIER_SHORT,
    esc,
    fmt_value,
    swatch_circle,
    tier_enum,
    tier_style,
    viridis,
)
from borderhub.maps.scene import Dots, Key, LegendEntry, Marks, SceneContext, SceneLayer


def _points(ctx: SceneContext, labels: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    cand = ctx.content.cand.loc[labels] if len(labels) else ctx.content.cand.iloc[:0]
    return cand["_lon"].to_numpy(dtype=float), cand["_lat"].to_numpy(dtype=float)


def _short(tier: Any, lang: str) -> str:
    return TIER_SHORT.get(tier.name, (tier.label_zh, tier.label_en))[lang != "zh"]


# --------------------------------------------------------------------------- scores


def score_layers(ctx: SceneContext) -> list[SceneLayer]:
    """Candidates sized and coloured by score, rank first in the tooltip."""
    c, text = ctx.content, ctx.text
    if c.scores is None or not len(c.scores):
        return []
    best = c.scores.sort_values("rank", kind="stable")
    shown, note = _fewer(list(best.index), ctx, "best_shown", evenly=False)
    scores = c.scores.loc[c.scores.index.isin(shown)]
    v = scores["score"].to_numpy(dtype=float)
    lo, hi = float(v.min()), float(v.max())
    t = (v - lo) / (hi - lo) if hi > lo else np.full(len(v), 0.5)
    colours = viridis(t)
    each, tips, popups = [], [], []
    for k, (label, rank) in enumerate(zip(scores.index, scores["rank"], strict=True)):
        rank_txt = esc(fmt_value(rank, c.lang))
        tips.append(f"#{rank_txt} {ctx.name(label)} · {esc(text['score'])} {v[k]:.3f}")
        extra = [(esc(text["rank"]), rank_txt), (esc(text["score"]), f"{v[k]:.4f}")]
        popups.append(candidate_popup(c, label, ctx.records[label], extra))
        each.append({"radius": round(4 + 10 * float(t[k]), 2), "fillColor": colours[k]})
    lon, lat = _points(ctx, list(scores.index))
    base = {"color": "#333", "weight": 1, "fillOpacity": 0.85}
    size = 15 + 90 * (v - v.min()) / max(np.ptp(v), 1e-12)
    ink = Dots(lon, lat, {"s": size, "c": v, "cmap": "viridis", "edgecolors": "#333",
                          "linewidths": 0.5, "zorder": 4}, colourbar=text["score"])  # fmt: skip
    grad = ",".join(viridis(np.linspace(0, 1, 6)))
    html = (
        LEGEND_HEAD.format(esc(text["scores"]))
        + f'<div style="display:flex;align-items:center;gap:4px">{lo:.3f}'
        f'<span style="display:inline-block;width:110px;height:10px;'
        f'background:linear-gradient(to right,{grad})"></span>{hi:.3f}</div>'
    )
    return [
        SceneLayer(
            "scores",
            text["scores"] + note,
            [Marks(lon, lat, base, each, tips, popups)],
            show=ctx.primary == "scores",
            printed=ctx.print_primary == "scores",
            ink=[ink],
            legend=[LegendEntry(html, rank=30)],
        )
    ]


# --------------------------------------------------------------------------- tiers


def tier_layers(ctx: SceneContext) -> list[SceneLayer]:
    """One layer per tier of 专栏4: rings (RAIL, PORT) below, filled markers on top."""
    c, text = ctx.content, ctx.text
    cand = c.cand
    show, printed = ctx.primary == "tiers", ctx.print_primary == "tiers"
    if c.tiers is None:
        labels = list(cand.index)
        style = {"radius": 6, "color": "#333", "weight": 1.5, "fillColor": "#e34a33"}
        key = Key(text["candidates"], {"marker": "o", "mfc": "#e34a33", "mec": "#333", "ms": 5})
        marks = Marks(*_points(ctx, labels), {**style, "fillOpacity": 0.85}, None,
                      [ctx.name(x) for x in labels], [ctx.popups[x] for x in labels])  # fmt: skip
        ink = Dots(marks.lon, marks.lat, {"s": 24, "c": "#e34a33", "edgecolors": "#333",
                                          "zorder": 4})  # fmt: skip
        return [SceneLayer("tiers", text["candidates"], [marks], show, [ink], printed, [key])]
    tiers = list(tier_enum())
    rings = [t for t in tiers if tier_style(t).ring]
    order = rings + [t for t in tiers if t not in rings]
    out: list[SceneLayer] = []
    untiered = [x for x in cand.index if not c.tiers[x]]
    if untiered:  # candidates in no tier are drawn too, below the tiers
        style = {"radius": 5, "color": "#333", "weight": 1, "fillColor": NO_TIER_FILL}
        tips = [ctx.name(x) for x in untiered]
        popups = [ctx.popups[x] for x in untiered]
        marks = Marks(*_points(ctx, untiered), {**style, "fillOpacity": 0.8}, None, tips, popups)
        ink = Dots(marks.lon, marks.lat, {"s": 14, "c": NO_TIER_FILL, "edgecolors": "#333",
                                          "linewidths": 0.5, "zorder": 3.4})  # fmt: skip
        key = Key(text["no_tier"], {"marker": "o", "mfc": NO_TIER_FILL, "mec": "#333", "ms": 5},
                  rank=40)  # fmt: skip
        out.append(SceneLayer("tiers", text["no_tier"], [marks], show, [ink], printed, [key]))
    for tier in order:
        members = [x for x in cand.index if tier in c.tiers[x]]
        if members:
            out.append(_tier_layer(ctx, tier, members, show, printed, 40 + tiers.index(tier) / 100))
    legend = [LegendEntry(_tier_legend(ctx), rank=20)]
    if out:
        out[0].legend = legend
    else:  # no candidate at all: the legend still names the tiers
        out.append(SceneLayer("tiers", text["tiers"], [], show, [], printed, legend=legend))
    return out


def _tier_layer(
    ctx: SceneContext, tier: Any, members: list[Any], show: bool, printed: bool, rank: float
) -> SceneLayer:
    st = tier_style(tier)
    short = _short(tier, ctx.lang)
    size = (st.radius * 1.05) ** 2
    lon, lat = _points(ctx, members)
    if st.ring:
        style: dict[str, Any] = {"radius": st.radius, "color": st.fill, "weight": 3, "fill": False}
        ink = Dots(lon, lat, {"s": size, "facecolors": "none", "edgecolors": st.fill,
                              "linewidths": 1.6, "zorder": 3.5})  # fmt: skip
        key = Key(short, {"marker": "o", "mfc": "none", "mec": st.fill, "mew": 1.6, "ms": 7}, rank)
    else:
        style = {"radius": st.radius, "color": "#222", "weight": 1, "fillColor": st.fill}
        style["fillOpacity"] = 0.9
        ink = Dots(lon, lat, {"s": size, "c": st.fill, "edgecolors": "#222", "linewidths": 0.5,
                              "zorder": 4})  # fmt: skip
        key = Key(short, {"marker": "o", "mfc": st.fill, "mec": "#222", "ms": 6}, rank)
    tiers = ctx.content.tiers
    tips = [f"{ctx.name(x)} · {esc('; '.join(m.name for m in tiers[x]))}" for x in members]
    name = ctx.text["tier_layer"].format(short=short)
    marks = Marks(lon, lat, style, None, tips, [ctx.popups[x] for x in members])
    return SceneLayer("tiers", name, [marks], show, [ink], printed, [key])


def _tier_legend(ctx: SceneContext) -> str:
    """The HTML legend's tiers: markers by tier, or (with a solution) outline colours."""
    c, text = ctx.content, ctx.text
    solution_view = c.solution is not None
    present = {t for v in c.tiers.values() for t in v}
    if solution_view:
        present = {t for t in present if not tier_style(t).ring}
    rows = []
    for t in tier_enum():
        if t not in present:
            continue
        st = tier_style(t)
        if solution_view:
            sw = swatch_circle("#ffffff", st.fill, 5)
        else:
            sw = swatch_circle(None if st.ring else st.fill, st.fill if st.ring else "#222", 5)
        short = TIER_SHORT.get(t.name, (t.label_zh, t.label_en))
        label = f"{short[0]} · {short[1]}" if c.lang == "zh" else short[1]
        rows.append(
            f'<div style="display:flex;gap:2px" title="{esc(t.label_zh)} / '
            f'{esc(t.label_en)}">{sw}<span>{esc(label)}</span></div>'
        )
    if any(not v for v in c.tiers.values()) and not solution_view:
        sw = swatch_circle(NO_TIER_FILL, "#333", 4)
        rows.append(f"<div>{sw} {esc(text['no_tier'])}</div>")
    title = text["outline_tier"] if solution_view else text["tiers"]
    return LEGEND_HEAD.format(esc(title)) + "".join(rows)


# --------------------------------------------------------------------------- centres


def centre_layers(ctx: SceneContext) -> list[SceneLayer]:
    """Unchosen candidates (dimmed) and the chosen centres (highlighted, on top)."""
    c, text = ctx.content, ctx.text
    sol = c.solution
    if sol is None:
        return []
    served = _served(ctx)
    chosen = set(sol.open)
    rest = [x for x in c.cand.index if x not in chosen]
    rest, note = _fewer(rest, ctx, "thinned")
    dim_each = [{"color": tier_outline(c, x, "#888")} for x in rest]
    dim_tips = [f"{ctx.name(x)} · {esc(text['not_chosen'])}" for x in rest]
    each, tips, popups = [], [], []
    for x in sol.open:
        tip = f"<b>{ctx.name(x)}</b> · {esc(text['chosen'])}"
        popup = ctx.popups[x]
        if x in served:
            total, n = served[x]
            amount = f"{esc(fmt_value(total, c.lang))} ({n} {esc(text['units'])})"
            tip += f"<br>{esc(text['served'])}: {amount}"
            popup = candidate_popup(c, x, ctx.records[x], [(esc(text["served"]), amount)])
        each.append({"fillColor": ctx.colour[x], "color": tier_outline(c, x, "#000")})
        tips.append(tip)
        popups.append(popup)
    dim_style = {"radius": 4, "color": "#888", "weight": 1.5, "fillColor": "#bbb", "opacity": 0.8}
    rlon, rlat = _points(ctx, rest)
    olon, olat = _points(ctx, list(sol.open))
    dim_edges = [e["color"] for e in dim_each]
    dim_ink = Dots(rlon, rlat, {"s": 12, "c": "#cfcfcf", "edgecolors": dim_edges,
                                "linewidths": 0.8, "zorder": 4})  # fmt: skip
    # a white halo ringed in black under each centre: legible on any fill (a service-area
    # choropleth of the centre's own colour, a tier outline of the same hue)
    halo_ink = Dots(olon, olat, {"s": 190, "c": "#ffffff", "edgecolors": "#000000",
                                 "linewidths": 0.8, "zorder": 4.9})  # fmt: skip
    open_ink = Dots(olon, olat, {"s": 70, "c": [ctx.colour[f] for f in sol.open],
                                 "edgecolors": [e["color"] for e in each], "linewidths": 2.0,
                                 "zorder": 5})  # fmt: skip
    html = LEGEND_HEAD.format(esc(text["centres"])) + (
        f"<div>{swatch_circle('#1f77b4', '#000', 6)} {esc(text['fill_cluster'])}</div>"
        f"<div>{swatch_circle('#bbb', '#888', 4)} {esc(text['not_chosen'])}</div>"
    )
    centre_style = {"radius": 10, "color": "#000", "weight": 4, "fillOpacity": 0.95}
    return [
        SceneLayer(
            "centres", text["unchosen"] + note,
            [Marks(rlon, rlat, {**dim_style, "fillOpacity": 0.5}, dim_each, dim_tips,
                   [ctx.popups[x] for x in rest])],
            ink=[dim_ink],
        ),
        SceneLayer(
            "centres", text["centres"], [Marks(olon, olat, centre_style, each, tips, popups)],
            ink=[halo_ink, open_ink], keys=_centre_keys(ctx),
            legend=[LegendEntry(html, rank=10)],
        ),
    ]  # fmt: skip


def _served(ctx: SceneContext) -> dict[Any, tuple[float, int]]:
    """Demand served by each open centre: (total weight, number of units)."""
    sol = ctx.content.solution
    if sol.assignment is None:
        return {}
    a = sol.assignment
    w = numeric_column(a, "weight", 1.0)
    ok = a["_served"].to_numpy(dtype=bool)
    fac = a["facility"].to_numpy()
    out = {}
    for f in sol.open:
        mine = ok & (fac == f)
        out[f] = (float(np.nansum(w[mine])), int(mine.sum()))
    return out


def _centre_keys(ctx: SceneContext) -> list[Key]:
    """Print legend of the solution view: cluster fill, unchosen, tier outline colours."""
    c, text = ctx.content, ctx.text
    keys = [
        Key(text["fill_cluster"], {"marker": "o", "mfc": "#1f77b4", "mec": "#000", "ms": 7}, 40),
        Key(text["not_chosen"], {"marker": "o", "mfc": "#cfcfcf", "mec": "#888", "ms": 4}, 40.001),
    ]
    if c.tiers is None:
        return keys
    outline = text["outline_tier"].split("=")[0].strip()
    for i, t in enumerate(tier_enum()):
        if tier_style(t).ring or not any(t in v for v in c.tiers.values()):
            continue
        kw = {"marker": "o", "mfc": "white", "mec": tier_style(t).fill, "mew": 2, "ms": 6}
        keys.append(Key(f"{outline}: {_short(t, c.lang)}", kw, 40.01 + i / 1000))
    return keys


def _fewer(
    labels: list[Any], ctx: SceneContext, kind: str, evenly: bool = True
) -> tuple[list[Any], str]:
    """At most :data:`~borderhub.io.MAX_MAP_POINTS` labels (evenly chosen, or the first)."""
    from borderhub.io import MAX_MAP_POINTS, thin_points

    if len(labels) <= MAX_MAP_POINTS:
        return labels, ""
    kept = list(thin_points(pd.Series(labels))[0]) if evenly else labels[:MAX_MAP_POINTS]
    return kept, ctx.text[kind].format(shown=f"{len(kept):,}", total=f"{len(labels):,}")
