"""Layer: the cross-border flows of a solution and the load of each gateway.

Per (partner, centre, gateway, mode) a line from the centre to the gateway and on
(through the rail border crossing, if any) to the partner hub, its width proportional to
the volume and its colour the mode; a circle per gateway sized by its load; a legend that
says so. :func:`flow_segments` computes what is drawn; :func:`flow_paths` gives each
segment's route as lon/lat pieces: along its road, railway or sea lane when the segments
were made with a network ``distance=``, great circles otherwise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError
from borderhub.maps._core.style import MODE_NAMES, esc
from borderhub.maps.scene import (
    Curves,
    Dots,
    Ink,
    Key,
    LegendEntry,
    Marks,
    Paths,
    SceneContext,
    SceneLayer,
    Texts,
)

#: Colour of each mode on the flow layers.
MODE_COLOURS = {"air": "#1f77b4", "sea": "#17becf", "road": "#d62728", "rail": "#2ca02c"}

#: Group of the print legend of the flows (a legend of its own).
FLOW_KEYS = "flows"


def _lonlat(frame: Any, role: str) -> pd.DataFrame:
    if isinstance(frame, pd.DataFrame) and {"lon", "lat"} <= set(frame.columns):
        return frame[["lon", "lat"]].astype(float)
    geom = getattr(frame, "geometry", None)
    if geom is None:
        raise SpecificationError(
            f"{role} needs point geometries or 'lon'/'lat' columns (WGS84); pass the "
            f"table the model was built from"
        )
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        geom = geom.to_crs("EPSG:4326")
    return pd.DataFrame({"lon": geom.x, "lat": geom.y}, index=frame.index)


def flow_segments(
    solution: Any,
    candidates: Any,
    partners: Any,
    gateways: Any = None,
    *,
    distance: str = "geodesic",
) -> pd.DataFrame:
    """The flows of a solution aggregated per (partner, centre, gateway, mode), with points.

    Parameters
    ----------
    solution : CrossBorderSolution
        A solved :class:`~borderhub.locate.CrossBorderMedian` with gateway labels (built
        with ``from_geodataframe`` or ``routes=``).
    candidates, partners : pandas.DataFrame
        Point tables (geometry or ``lon``/``lat``) of the centres and partner hubs; only
        the flows to the partners in ``partners`` are drawn (pass a subset to draw part).
    gateways : pandas.DataFrame, optional
        Gateway table (default :func:`borderhub.flows.gateways`).
    distance : {"geodesic", "road", "rail"}, default "geodesic"
        With a network, each segment also gets its route geometry (column ``path``):
        the leg from the centre to the gateway along that network (along the railway
        for a gateway whose ``leg_mode`` is ``rail``) and on along the network of the
        gateway's mode -- road, railway, sea lane; air legs and legs a network does not
        carry stay great circles (:func:`borderhub.network.route`; the extra
        ``network``).

    Returns
    -------
    pandas.DataFrame
        Columns ``partner``, ``centre``, ``gateway``, ``mode``, ``flow`` and the points
        ``centre_lon/lat``, ``gateway_lon/lat``, ``via_lon/lat`` (NaN when direct),
        ``partner_lon/lat``, the names ``centre_name``, ``gateway_name``,
        ``partner_name``, and with a network ``path`` (lon/lat pieces); largest flow
        first. ``attrs["licence"]`` names the data of drawn routes.

    Raises
    ------
    SpecificationError
        The solution has no routing with gateways, or points are missing.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.locate import solve_crossborder
    >>> from borderhub.flowmap import flow_segments
    >>> cand = datasets.candidates().loc[["530100", "532500"]]
    >>> dem = datasets.prefectures().loc[["530100", "532500"]]
    >>> part = datasets.partners().loc[["VNM-HAN"]]
    >>> sol = solve_crossborder(cand, dem, part, p=1)
    >>> flow_segments(sol, cand, part)[["partner", "gateway", "mode"]].values.tolist()
    [['VNM-HAN', 'road:hekou', 'road']]
    """
    from borderhub.flows import gateways as default_gateways

    r = getattr(solution, "routing", None)
    if r is None or "gateway" not in getattr(r, "columns", []):
        raise SpecificationError(
            "solution has no routing table; pass the CrossBorderSolution of a solved "
            "CrossBorderMedian"
        )
    if len(r) and r["gateway"].isna().all():
        raise SpecificationError(
            "the routing has no gateway labels (the model was built from cost matrices "
            "without routes=); build it with from_geodataframe or pass routes="
        )
    gw = default_gateways() if gateways is None else gateways
    seg = (
        r.reset_index()
        .groupby(["partner", "centre", "gateway", "mode"], as_index=False)["flow"]
        .sum()
    )
    cand = _lonlat(candidates, "candidates")
    part = _lonlat(partners, "partners")
    keep = seg["partner"].isin(part.index)
    if len(seg) and not keep.any():
        raise SpecificationError(
            f"none of the solution's partners {list(seg['partner'].unique()[:5])} is in the "
            "partners table; pass the partner table the model was built from (or a subset)"
        )
    seg = seg[keep]
    for role, table, key in (("candidates", cand, "centre"), ("gateways", gw, "gateway")):
        missing = pd.Index(seg[key].unique()).difference(table.index)
        if len(missing):
            raise SpecificationError(f"{role} lacks points for {list(missing[:10])}")
    for key, table, column in (("centre", candidates, "name"), ("gateway", gw, "name"),
                               ("partner", partners, "city")):  # fmt: skip
        names = table[column] if column in getattr(table, "columns", ()) else None
        seg[f"{key}_name"] = (
            names.reindex(seg[key]).fillna("").astype(str).to_numpy()
            if names is not None
            else seg[key].astype(str).to_numpy()
        )
    seg["centre_lon"] = cand["lon"].reindex(seg["centre"]).to_numpy()
    seg["centre_lat"] = cand["lat"].reindex(seg["centre"]).to_numpy()
    for col in ("lon", "lat"):
        seg[f"gateway_{col}"] = gw[col].reindex(seg["gateway"]).to_numpy(dtype=float)
        via = gw[f"via_{col}"] if f"via_{col}" in gw.columns else pd.Series(np.nan, gw.index)
        seg[f"via_{col}"] = via.reindex(seg["gateway"]).to_numpy(dtype=float)
        seg[f"partner_{col}"] = part[col].reindex(seg["partner"]).to_numpy()
    seg = seg.sort_values("flow", ascending=False, kind="stable").reset_index(drop=True)
    if distance != "geodesic":
        from borderhub.routes import check_distance

        check_distance(distance)
        leg = gw["leg_mode"] if "leg_mode" in gw.columns else pd.Series("truck", gw.index)
        seg["path"] = [_route_pieces(row, distance, str(leg.get(row["gateway"], "truck")))
                       for _, row in seg.iterrows()]  # fmt: skip
        seg.attrs["licence"] = ROUTE_LICENCE
    return seg


#: The attribution of flows drawn along the networks (OpenStreetMap: ODbL 1.0).
ROUTE_LICENCE = (
    "routes: road and rail © OpenStreetMap contributors, ODbL 1.0 (scgraph_data); sea "
    "lanes: searoute (Apache-2.0)"
)


def _route_pieces(row: pd.Series, distance: str, leg_mode: str) -> list[np.ndarray]:
    """The lon/lat pieces of one segment along its networks (great circles where none)."""
    from borderhub.exceptions import DataError
    from borderhub.geo import great_circle
    from borderhub.network import route

    stops = [(row["centre_lon"], row["centre_lat"]), (row["gateway_lon"], row["gateway_lat"])]
    if np.isfinite(row["via_lon"]):
        stops.append((row["via_lon"], row["via_lat"]))
    stops.append((row["partner_lon"], row["partner_lat"]))
    onward = {"air": None, "sea": "sea", "road": "road", "rail": "rail"}.get(str(row["mode"]))
    first = "rail" if leg_mode == "rail" else distance
    line: list[tuple[float, float]] = []
    for k, (a, b) in enumerate(zip(stops[:-1], stops[1:], strict=True)):
        if a == b:
            continue
        net = first if k == 0 else onward
        coords = None
        if net is not None:
            try:
                coords = np.asarray(route(a, b, net, max_snap_km=25_000.0).geometry.coords)
            except DataError:
                coords = None
        if coords is None:
            coords = np.concatenate(great_circle(a, b, n=32))
        line.extend((float(x), float(y)) for x, y in coords)
    out: list[np.ndarray] = []
    if len(line) < 2:
        return out
    piece = np.array(line, dtype=float)
    lon = (piece[:, 0] + 180.0) % 360.0 - 180.0  # into [-180, 180], split where it jumps
    cuts = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1
    for part in np.split(np.column_stack([lon, piece[:, 1]]), cuts):
        if len(part) >= 2:
            out.append(part)
    return out


def flow_paths(row: pd.Series) -> list[np.ndarray]:
    """Lon/lat pieces centre -> gateway -> (via) -> partner, split at the antimeridian.

    The segment's route geometry (``path``) when it has one, else great circles.
    """
    from borderhub.geo import great_circle

    path = row.get("path") if hasattr(row, "get") else None
    if isinstance(path, list) and path:
        return path

    pts = [(row["centre_lon"], row["centre_lat"]), (row["gateway_lon"], row["gateway_lat"])]
    if np.isfinite(row["via_lon"]):
        pts.append((row["via_lon"], row["via_lat"]))
    pts.append((row["partner_lon"], row["partner_lat"]))
    pieces: list[list[tuple[float, float]]] = [[]]
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        if a == b:
            continue
        parts = great_circle(a, b, n=32)
        for k, arr in enumerate(parts):
            if k > 0:
                pieces.append([])
            pieces[-1].extend((float(x), float(y)) for x, y in arr)
    return [np.array(p, dtype=float) for p in pieces if len(p) >= 2]


def _widths(flow: pd.Series, max_width: float) -> np.ndarray:
    top = float(flow.max()) if len(flow) else 1.0
    return 1.0 + (max_width - 1.0) * flow.to_numpy(dtype=float) / (top or 1.0)


#: The flow layer's words -> (Chinese, English).
_WORDS = {
    "title": ("流向：颜色 = 运输方式，线宽 ∝ 流量", "flows: colour = mode, width ∝ volume"),
    "gateway": ("出境口岸（面积 ∝ 负荷）", "gateway (area ∝ load)"),
    "tip": ("{partner}：{flow}，经中心 {centre}、口岸 {gateway}（{mode}）",
            "{partner}: {flow} via centre {centre}, gateway {gateway} ({mode})"),
    "load": ("口岸 {gateway}（{mode}）：负荷 {flow}", "gateway {gateway} ({mode}): load {flow}"),
    "legend": ("线：中心 → 口岸 → 伙伴，颜色 = 运输方式，<br>线宽 ∝ 流量（最宽 = {widest}）；"
               "<br>圆面积 ∝ 口岸负荷",
               "line: centre → gateway → partner, colour = mode,<br>width ∝ volume (widest = "
               "{widest});<br>circle area ∝ gateway load"),
    "along": ("线沿其公路、铁路或航道绘制；", "lines drawn along their road, railway or sea lane;"),
    "credit": ("路线：© OpenStreetMap 贡献者（ODbL）；航道：searoute",
               "routes: © OpenStreetMap contributors (ODbL); sea lanes: searoute"),
}  # fmt: skip


def _say(key: str, lang: str, **values: Any) -> str:
    return _WORDS[key][0 if lang == "zh" else 1].format(**values)


def _label(row: Any, key: str) -> str:
    name = str(row.get(f"{key}_name", "") or "")
    return name or str(row[key])


def flow_layer(
    seg: pd.DataFrame,
    name: str = "Cross-border flows",
    max_width: float = 10.0,
    print_width: float = 6.0,
    lang: str = "en",
) -> SceneLayer:
    """The scene layer of flow segments: lines by mode and volume, circles by gateway load.

    Parameters
    ----------
    seg : pandas.DataFrame
        Output of :func:`flow_segments`.
    name : str, default "Cross-border flows"
        Name of the layer and title of its HTML legend.
    max_width, print_width : float
        Width of the largest flow on the HTML map (px) and on the print map (pt).
    lang : {"en", "zh"}, default "en"
        Language of the legend and the tooltips (place names where the segments have them).

    Returns
    -------
    SceneLayer
    """
    colour = [MODE_COLOURS.get(m, "#555555") for m in seg["mode"]]
    web_w, print_w = _widths(seg["flow"], max_width), _widths(seg["flow"], print_width)
    pieces, each, tips = [], [], []
    ink: list[Ink] = []
    for k, (_, row) in enumerate(seg.iterrows()):
        mode = MODE_NAMES["zh" if lang == "zh" else "en"].get(row["mode"], row["mode"])
        tip = _say(
            "tip", lang, partner=_label(row, "partner"), flow=f"{row['flow']:.4g}",
            centre=_label(row, "centre"), gateway=_label(row, "gateway"), mode=mode,
        )  # fmt: skip
        path = flow_paths(row)
        for piece in path:
            pieces.append([piece])
            each.append({"color": colour[k], "weight": float(web_w[k])})
            tips.append(_html(tip))
        ink.append(Curves(path, {"color": colour[k], "lw": float(print_w[k]), "alpha": 0.7,
                                 "solid_capstyle": "round", "zorder": 3}, seam=False))  # fmt: skip
    if "gateway_name" not in seg.columns:
        seg = seg.assign(gateway_name=seg["gateway"].astype(str))
    load = seg.groupby(["gateway", "mode"], as_index=False).agg(
        flow=("flow", "sum"), lon=("gateway_lon", "first"), lat=("gateway_lat", "first"),
        gname=("gateway_name", "first"),
    )  # fmt: skip
    top = float(load["flow"].max()) if len(load) else 1.0
    share = load["flow"].to_numpy(dtype=float) / (top or 1.0)
    gcol = [MODE_COLOURS.get(m, "#555555") for m in load["mode"]]
    named, titles = _labelled(load)
    said = [_html(_say("load", lang, gateway=f"{gn} [{g}]" if gn and gn != g else g,
                       flow=f"{f:.4g}", mode=MODE_NAMES["zh" if lang == "zh" else "en"].get(m, m)))
            for g, gn, m, f in zip(load["gateway"], load["gname"], load["mode"], load["flow"],
                                   strict=True)]  # fmt: skip
    circles = Marks(
        load["lon"], load["lat"], {"fillOpacity": 0.6},
        [{"radius": float(3 + 12 * np.sqrt(s)), "color": c, "label": bool(n)}
         for s, c, n in zip(share, gcol, named, strict=True)],
        [_html(t) if n else p for p, n, t in zip(said, named, titles, strict=True)],
        said,  # the popup: name, id, mode and load of every gateway
    )  # fmt: skip
    ink.append(Dots(load["lon"], load["lat"], {"s": 20 + 300 * share, "c": gcol, "alpha": 0.6,
                                               "edgecolors": "black", "linewidths": 0.5,
                                               "zorder": 4}))  # fmt: skip
    ink.append(Texts(load["lon"][named], load["lat"][named],
                     [t for t, n in zip(titles, named, strict=True) if n],
                     {"fontsize": 6, "zorder": 5}))  # fmt: skip
    routed = "path" in seg.columns
    return SceneLayer(
        "flows",
        name,
        [Paths(pieces, {"opacity": 0.75}, each, tips), circles],
        ink=ink,
        keys=_keys(lang, routed),
        legend=[LegendEntry(_legend(name, seg, lang, routed), rank=60, box=True)],
    )


#: How many gateways (those carrying most) are labelled by name on the flow maps.
LABELLED_GATEWAYS = 12


def _labelled(load: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Which gateways are labelled (those carrying most), and their labels.

    One label for gateways at one place (a port's road and rail crossings).
    """
    named = load["flow"].rank(ascending=False, method="first").to_numpy() <= LABELLED_GATEWAYS
    flow = load["flow"].to_numpy(dtype=float)
    glon, glat = load["lon"].to_numpy(dtype=float), load["lat"].to_numpy(dtype=float)
    titles = [str(n) if n else str(g) for g, n in zip(load["gateway"], load["gname"], strict=True)]
    for k in np.argsort(-flow, kind="stable"):
        if not named[k]:
            continue
        near = np.flatnonzero(named & (np.hypot(glon - glon[k], glat - glat[k]) < 0.3))
        for j in near[near != k]:
            if flow[j] <= flow[k]:
                titles[k] = f"{titles[k]} · {titles[j]}"
                named[j] = False
    return named, titles


def _html(text: str) -> str:
    return esc(text)


def _keys(lang: str = "en", routed: bool = False) -> list[Key]:
    title = _say("title", lang)
    names = MODE_NAMES["zh" if lang == "zh" else "en"]
    keys = [
        Key(names.get(m, m), {"color": c, "lw": 3}, rank=i, group=FLOW_KEYS, title=title)
        for i, (m, c) in enumerate(MODE_COLOURS.items())
    ]
    marker = {"color": "none", "marker": "o", "markerfacecolor": "grey", "markersize": 8}
    keys.append(Key(_say("gateway", lang), marker, rank=9, group=FLOW_KEYS, title=title))
    if routed:
        keys.append(Key(_say("credit", lang).split("；")[0].split("; ")[0], {"color": "none"},
                        rank=10, group=FLOW_KEYS, title=title))  # fmt: skip
    return keys


def _legend(name: str, seg: pd.DataFrame, lang: str = "en", routed: bool = False) -> str:
    names = MODE_NAMES["zh" if lang == "zh" else "en"]
    rows = "".join(
        f'<div><span style="display:inline-block;width:18px;height:4px;background:{c};'
        f'vertical-align:middle"></span> {esc(names.get(m, m))}</div>'
        for m, c in MODE_COLOURS.items()
    )
    widest = seg["flow"].max() if len(seg) else 0
    credit = (
        f'<div style="font-size:10px;color:#555">{esc(_say("credit", lang))}</div>'
        if routed
        else ""
    )
    along = esc(_say("along", lang)) + "<br>" if routed else ""
    return (
        f"<b>{esc(name)}</b><br>{along}"
        + _say("legend", lang, widest=f"{widest:.4g}")
        + rows
        + credit
    )


def flow_layers(ctx: SceneContext) -> list[SceneLayer]:
    """The flows given to the map (``flows=``), if any, through its candidates and partners."""
    if ctx.flows is None:
        return []
    seg = ctx.flows
    if not isinstance(seg, pd.DataFrame):
        c = ctx.content
        seg = flow_segments(seg, _points(c.cand), _points(c.partners))
    opts = ctx.options
    return [
        flow_layer(
            seg,
            name=str(
                opts.get("flow_name", "跨境流向" if ctx.lang == "zh" else "Cross-border flows")
            ),
            max_width=float(opts.get("flow_width", 10.0)),
            print_width=float(opts.get("flow_print_width", 6.0)),
            lang=ctx.lang,
        )
    ]


def _points(frame: pd.DataFrame) -> pd.DataFrame:
    """WGS84 ``lon``/``lat`` of a checked map frame."""
    return pd.DataFrame({"lon": frame["_lon"], "lat": frame["_lat"]}, index=frame.index)
