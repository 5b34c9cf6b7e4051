"""Layer: the allocation of demand units to the chosen centres (or plain demand units).

HTML: a line from each served unit to its centre (width by weight, colour of the centre)
and the units as points (white with a red ring where not covered). Print: the same lines
thin and translucent, the units as small dots. More than
:data:`~borderhub.io.MAX_MAP_POINTS` units are thinned to that many, evenly
(:func:`borderhub.io.thin_points`), and the layer's name says so.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from borderhub.maps._core.inputs import numeric_column
from borderhub.maps._core.style import esc, fmt_value
from borderhub.maps.scene import Dots, Key, Marks, Paths, SceneContext, SceneLayer, Strokes


def allocation_layers(ctx: SceneContext) -> list[SceneLayer]:
    """Allocation lines and demand units of a solution (or plain demand units)."""
    c, text = ctx.content, ctx.text
    sol = c.solution
    if c.demand is None:
        return []
    if sol is None or sol.assignment is None:
        return [_plain_demand(ctx)]
    a, note = _thin(sol.assignment, ctx)
    dem = c.demand.loc[a.index]
    cand = c.cand
    w = numeric_column(a, "weight", 1.0)
    cost = numeric_column(a, "cost", np.nan)
    finite = w[np.isfinite(w)]
    wmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    pieces: list[list[np.ndarray]] = []
    line_each: list[Any] = []
    tips: list[str] = []
    each: list[Any] = []
    line_tips: list[str] = []
    for k, (fac, ok) in enumerate(zip(a["facility"], a["_served"], strict=True)):
        dname = esc(dem["_name"].iloc[k])
        if not ok:
            tips.append(f"{dname} · {esc(text['uncovered'])}")
            each.append({"fillColor": "#fff", "color": "#d62728"})
            continue
        tip = f"{dname} → {ctx.name(fac)}<br>{esc(text['weight'])}: {esc(fmt_value(w[k], c.lang))}"
        if np.isfinite(cost[k]):
            tip += f" · {esc(text['cost'])}: {esc(fmt_value(cost[k], c.lang))}"
        width = 0.8 + 3.2 * math.sqrt(max(w[k], 0.0) / wmax) if np.isfinite(w[k]) else 1.0
        colour = ctx.colour[fac]
        here = (dem["_lon"].iloc[k], dem["_lat"].iloc[k])
        pieces.append([np.array([here, (cand.at[fac, "_lon"], cand.at[fac, "_lat"])])])
        line_each.append({"color": colour, "weight": round(width, 2)})
        line_tips.append(tip)
        tips.append(tip)
        each.append({"fillColor": colour, "color": colour})
    ok = a["_served"].to_numpy(dtype=bool)
    fac = cand.loc[a.loc[ok, "facility"]]
    cols = [ctx.colour[f] for f in a.loc[ok, "facility"]]
    lon, lat = dem["_lon"].to_numpy(), dem["_lat"].to_numpy()
    lines = Strokes(
        lon[ok], lat[ok], fac["_lon"].to_numpy(), fac["_lat"].to_numpy(),
        {"colors": cols, "linewidths": 0.35, "alpha": 0.45, "zorder": 1},
        gid="borderhub-allocation",
    )  # fmt: skip
    ink: list[Any] = [Dots(lon[ok], lat[ok], {"s": 5, "c": cols, "zorder": 2, "linewidths": 0})]
    keys = []
    if (~ok).any():
        ink.append(Dots(lon[~ok], lat[~ok], {"s": 9, "facecolors": "white",
                                             "edgecolors": "#d62728", "zorder": 2}))  # fmt: skip
        keys.append(Key(text["uncovered"], {"marker": "o", "mfc": "white", "mec": "#d62728",
                                             "ms": 4}, rank=10))  # fmt: skip
    dstyle = {"radius": 2.5, "weight": 1, "fillOpacity": 0.9, "opacity": 0.9}
    return [
        SceneLayer(
            "allocation",
            text["allocation"] + note,
            [Paths(pieces, {"weight": 1.2, "opacity": 0.55}, line_each, line_tips)],
            ink=[lines],
        ),
        SceneLayer(
            "allocation",
            text["demand"] + note,
            [Marks(dem["_lon"], dem["_lat"], dstyle, each, tips)],
            ink=ink,
            keys=keys,
        ),
    ]


def _plain_demand(ctx: SceneContext) -> SceneLayer:
    """Demand units without a solution: small grey points."""
    dem, note = _thin(ctx.content.demand, ctx)
    style = {"radius": 2.5, "color": "#555", "weight": 1, "fillColor": "#999"}
    tips = [esc(n) for n in dem["_name"]]
    key = Key(ctx.text["demand"], {"marker": "o", "mfc": "#888", "mec": "#888", "ms": 3}, rank=10)
    return SceneLayer(
        "allocation",
        ctx.text["demand"] + note,
        [Marks(dem["_lon"], dem["_lat"], {**style, "fillOpacity": 0.8}, tips=tips)],
        ink=[Dots(dem["_lon"], dem["_lat"], {"s": 4, "c": "#888", "zorder": 2, "linewidths": 0})],
        keys=[key],
    )


def _thin(frame: Any, ctx: SceneContext) -> tuple[Any, str]:
    """At most MAX_MAP_POINTS rows, evenly chosen, and the note for the layer's name."""
    from borderhub.io import thin_points

    kept, note = thin_points(frame, role="demand units")
    if not note:
        return frame, ""
    return kept, ctx.text["thinned"].format(shown=f"{len(kept):,}", total=f"{len(frame):,}")
