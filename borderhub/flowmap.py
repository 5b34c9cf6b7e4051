"""Map layers of cross-border flows: :func:`add_flow_layer` (folium) and :func:`plot_flows`.

Both draw a :class:`~borderhub.locate.CrossBorderSolution` per partner: a line from each
centre to the gateway it uses and on (through the rail border crossing, if any) to the
partner hub, its width proportional to the volume and its colour the mode; a circle per
gateway sized by its load; and a legend that says so. They add to a map made by
:func:`borderhub.corridor_map` / :func:`borderhub.static_map` or to any folium map or
matplotlib axes.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = ["MODE_COLOURS", "add_flow_layer", "flow_segments", "plot_flows"]

#: Colour of each mode on the flow layers.
MODE_COLOURS = {"air": "#1f77b4", "sea": "#17becf", "road": "#d62728", "rail": "#2ca02c"}


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
    solution: Any, candidates: Any, partners: Any, gateways: Any = None
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
        Gateway table (default :func:`borderhub.locate.gateways`).

    Returns
    -------
    pandas.DataFrame
        Columns ``partner``, ``centre``, ``gateway``, ``mode``, ``flow`` and the points
        ``centre_lon/lat``, ``gateway_lon/lat``, ``via_lon/lat`` (NaN when direct),
        ``partner_lon/lat``; largest flow first.

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
    from borderhub.locate import gateways as default_gateways

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
    seg["centre_lon"] = cand["lon"].reindex(seg["centre"]).to_numpy()
    seg["centre_lat"] = cand["lat"].reindex(seg["centre"]).to_numpy()
    for col in ("lon", "lat"):
        seg[f"gateway_{col}"] = gw[col].reindex(seg["gateway"]).to_numpy(dtype=float)
        via = gw[f"via_{col}"] if f"via_{col}" in gw.columns else pd.Series(np.nan, gw.index)
        seg[f"via_{col}"] = via.reindex(seg["gateway"]).to_numpy(dtype=float)
        seg[f"partner_{col}"] = part[col].reindex(seg["partner"]).to_numpy()
    return seg.sort_values("flow", ascending=False, kind="stable").reset_index(drop=True)


def _path(row: pd.Series) -> list[list[tuple[float, float]]]:
    """Lon/lat pieces centre -> gateway -> (via) -> partner, split at the antimeridian."""
    from borderhub.geo import great_circle

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
    return [p for p in pieces if len(p) >= 2]


def _widths(flow: pd.Series, max_width: float) -> np.ndarray:
    top = float(flow.max()) if len(flow) else 1.0
    return 1.0 + (max_width - 1.0) * flow.to_numpy(dtype=float) / (top or 1.0)


def add_flow_layer(
    fmap: Any,
    solution: Any,
    candidates: Any,
    partners: Any,
    gateways: Any = None,
    *,
    name: str = "Cross-border flows",
    max_width: float = 10.0,
) -> Any:
    """Draw the flows and gateway loads of a cross-border solution on a folium map.

    Parameters
    ----------
    fmap : folium.Map
        The map to add to (e.g. from :func:`borderhub.corridor_map`); it is modified
        and returned.
    solution, candidates, partners, gateways
        As for :func:`flow_segments`.
    name : str, default "Cross-border flows"
        Name of the layer in the layer control.
    max_width : float, default 10.0
        Line width (px) of the largest flow; widths are proportional to volume.

    Returns
    -------
    folium.Map
        ``fmap``, with one feature group (lines per partner, circles per gateway) and a
        legend explaining widths, colours and circles.

    Notes
    -----
    Lines use WGS84 coordinates. On a basemap in GCJ-02 (Amap tiles) they are offset by
    the few hundred metres of that system, invisible at national scale.

    Examples
    --------
    >>> import folium
    >>> from borderhub import datasets
    >>> from borderhub.locate import solve_crossborder
    >>> from borderhub.flowmap import add_flow_layer
    >>> cand = datasets.candidates().loc[["530100", "532500"]]
    >>> dem = datasets.prefectures().loc[["530100", "532500"]]
    >>> part = datasets.partners().loc[["VNM-HAN"]]
    >>> sol = solve_crossborder(cand, dem, part, p=1)
    >>> m = add_flow_layer(folium.Map(tiles=None), sol, cand, part)
    >>> "road:hekou" in m.get_root().render()
    True
    """
    import folium

    seg = flow_segments(solution, candidates, partners, gateways)
    group = folium.FeatureGroup(name=name)
    widths = _widths(seg["flow"], max_width)
    for (_, row), w in zip(seg.iterrows(), widths, strict=True):
        tip = (f"{row['partner']}: {row['flow']:.4g} via centre {row['centre']}, "
               f"gateway {row['gateway']} ({row['mode']})")  # fmt: skip
        for piece in _path(row):
            folium.PolyLine(
                [(lat, lon) for lon, lat in piece],
                color=MODE_COLOURS.get(row["mode"], "#555555"),
                weight=float(w),
                opacity=0.75,
                tooltip=tip,
            ).add_to(group)
    load = seg.groupby(["gateway", "mode"], as_index=False).agg(
        flow=("flow", "sum"), lon=("gateway_lon", "first"), lat=("gateway_lat", "first")
    )
    top = float(load["flow"].max()) if len(load) else 1.0
    for _, g in load.iterrows():
        folium.CircleMarker(
            (g["lat"], g["lon"]),
            radius=float(3 + 12 * np.sqrt(g["flow"] / (top or 1.0))),
            color=MODE_COLOURS.get(g["mode"], "#555555"),
            fill=True,
            fill_opacity=0.6,
            tooltip=f"gateway {g['gateway']} ({g['mode']}): load {g['flow']:.4g}",
        ).add_to(group)
    # branca gives every element a random id (in the HTML as element ids and JavaScript
    # names): derive them from the map's own id and the position in the group instead, so
    # the same map saves to the same bytes
    seed = f"{fmap.get_name()}:{name}"
    stack: list[Any] = [group]
    count = 0
    while stack:
        element = stack.pop(0)
        element._id = hashlib.sha256(f"{seed}:{count}".encode()).hexdigest()[:32]
        count += 1
        stack.extend(element._children.values())
    group.add_to(fmap)
    # A layer control must render after every layer it lists (Leaflet fails otherwise):
    # move it behind the new group, and drop its script from a page rendered before so
    # that the next render writes it again, after the group's.
    script = getattr(fmap.get_root(), "script", None)
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            fmap._children.move_to_end(key)
            if script is not None:
                script._children.pop(child.get_name(), None)
    rows = "".join(
        f'<div><span style="display:inline-block;width:18px;height:4px;background:{c};'
        f'vertical-align:middle"></span> {m}</div>'
        for m, c in MODE_COLOURS.items()
    )
    legend = (
        # top left, under the zoom buttons: the bottom-left corner holds corridor_map's
        # South China Sea inset and scale bar
        '<div style="position:fixed;top:86px;left:10px;z-index:9999;background:white;'
        'padding:6px 8px;border:1px solid #999;font:12px sans-serif">'
        f"<b>{name}</b><br>line: centre → gateway → partner, colour = mode,<br>"
        f"width ∝ volume (widest = {seg['flow'].max() if len(seg) else 0:.4g});<br>"
        f"circle area ∝ gateway load{rows}</div>"
    )
    fmap.get_root().html.add_child(folium.Element(legend))
    return fmap


def plot_flows(
    ax: Any,
    solution: Any,
    candidates: Any,
    partners: Any,
    gateways: Any = None,
    *,
    max_width: float = 6.0,
    legend: bool = True,
) -> Any:
    """Draw the flows and gateway loads of a cross-border solution on matplotlib axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes in lon/lat degrees, or the projected axes of :func:`borderhub.static_map`
        (``static_map(...).axes[0]``), whose ``lonlat_transform`` places lon/lat on them.
    solution, candidates, partners, gateways
        As for :func:`flow_segments`.
    max_width : float, default 6.0
        Line width (pt) of the largest flow.
    legend : bool, default True
        Add a legend of the modes, widths and gateway circles.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from borderhub import datasets
    >>> from borderhub.locate import solve_crossborder
    >>> from borderhub.flowmap import plot_flows
    >>> cand = datasets.candidates().loc[["530100", "532500"]]
    >>> dem = datasets.prefectures().loc[["530100", "532500"]]
    >>> part = datasets.partners().loc[["VNM-HAN"]]
    >>> sol = solve_crossborder(cand, dem, part, p=1)
    >>> fig, ax = plt.subplots()
    >>> len(plot_flows(ax, sol, cand, part).lines) > 0
    True
    >>> plt.close(fig)
    """
    from matplotlib.lines import Line2D

    seg = flow_segments(solution, candidates, partners, gateways)
    widths = _widths(seg["flow"], max_width)
    # static_map's axes are projected (metres); they carry the lon/lat -> map transform
    lonlat = getattr(ax, "lonlat_transform", None)
    where = {"transform": lonlat} if lonlat is not None else {}
    for (_, row), w in zip(seg.iterrows(), widths, strict=True):
        for piece in _path(row):
            xs, ys = zip(*piece, strict=True)
            ax.plot(xs, ys, color=MODE_COLOURS.get(row["mode"], "#555555"), lw=float(w),
                    alpha=0.7, solid_capstyle="round", zorder=3, **where)  # fmt: skip
    load = seg.groupby(["gateway", "mode"], as_index=False).agg(
        flow=("flow", "sum"), lon=("gateway_lon", "first"), lat=("gateway_lat", "first")
    )
    top = float(load["flow"].max()) if len(load) else 1.0
    ax.scatter(load["lon"], load["lat"], s=20 + 300 * load["flow"] / (top or 1.0),
               c=[MODE_COLOURS.get(m, "#555555") for m in load["mode"]], alpha=0.6,
               edgecolors="black", linewidths=0.5, zorder=4, **where)  # fmt: skip
    if legend:
        previous = ax.get_legend()
        if previous is not None:  # keep the map's own legend next to this one
            ax.add_artist(previous)
        handles = [Line2D([], [], color=c, lw=3, label=m) for m, c in MODE_COLOURS.items()]
        handles.append(Line2D([], [], color="none", marker="o", markerfacecolor="grey",
                              markersize=8, label="gateway (area ∝ load)"))  # fmt: skip
        corner = "upper right" if previous is not None else "lower left"  # not on top of it
        ax.legend(handles=handles, title="flows: colour = mode, width ∝ volume",
                  loc=corner, fontsize=7, title_fontsize=7)  # fmt: skip
    return ax
