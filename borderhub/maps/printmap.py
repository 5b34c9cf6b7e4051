"""The print renderer: :func:`static_map` draws a scene with matplotlib.

The scene (:mod:`borderhub.maps.scene`) decides what the map shows; this module draws
each printed layer's ink in a conic projection of China (Albers by default) over the
boundary basemap, and adds what only print has: a South China Sea inset, a scale bar, a
north arrow, a legend and labels placed without overlap.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import borderhub.maps.cartography as _carto
from borderhub.exceptions import SpecificationError
from borderhub.maps._core.style import TEXT, cjk_font
from borderhub.maps.scene import (
    Curves,
    Dots,
    Key,
    Marks,
    Scene,
    SceneLayer,
    Strokes,
    Texts,
    build_scene,
)

__all__ = ["plot_flows", "static_map"]


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


# --------------------------------------------------------------------------- drawing a scene


@dataclass
class _Canvas:
    """The axes of a print map with its projection and extent (projected metres)."""

    ax: Any
    proj: Callable[[Any, Any], tuple[np.ndarray, np.ndarray]]
    box: tuple[float, float, float, float] | None = None
    family: dict[str, Any] | None = None
    crs_wkt: str = ""
    fwd: Any = None
    show_inset: bool = False
    legend: Any = None
    inset: Any = None


def _frame(ax: Any, view: Any, crs: Any, inset: bool | None, font: str | None) -> _Canvas:
    """Fit the axes to the extent (room for the inset) and return the canvas to draw on."""
    from pyproj import Transformer

    crs_wkt = crs.to_wkt()
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def proj(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        x, y = fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

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
    family = {"fontfamily": font} if font else {}
    return _Canvas(ax, proj, box, family, crs_wkt, fwd, show_inset)


def draw_layers(canvas: _Canvas, layers: list[SceneLayer]) -> list[Key]:
    """Draw the printed layers' ink (or their parts); return the legend keys drawn."""
    keys: list[Key] = []
    for layer in layers:
        if not layer.on_print:
            continue
        keys.extend(layer.keys)
        for ink in _default_ink(layer) if layer.ink is None else layer.ink:
            key = _draw_ink(canvas, ink)
            if key is not None:
                keys.append(key)
    return sorted(keys, key=lambda k: k.rank)


def _draw_ink(canvas: _Canvas, ink: Dots | Strokes | Curves | Texts) -> Key | None:
    """Draw one piece of ink; the key of a set of dots that has one and was drawn."""
    ax = canvas.ax
    if isinstance(ink, Texts):
        tx, ty = canvas.proj(np.asarray(ink.lon, float), np.asarray(ink.lat, float))
        for x, y, text in zip(tx, ty, ink.labels, strict=True):
            ax.annotate(text, (x, y), xytext=(ink.dx, ink.dy), textcoords="offset points",
                        **{**(canvas.family or {}), **ink.kw})  # fmt: skip
        return None
    if isinstance(ink, Strokes):
        from matplotlib.collections import LineCollection

        x0, y0 = canvas.proj(ink.lon0, ink.lat0)
        x1, y1 = canvas.proj(ink.lon1, ink.lat1)
        segs = np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y1])], axis=1)
        lines = LineCollection(list(segs), **ink.kw)
        if ink.gid:
            lines.set_gid(ink.gid)
        ax.add_collection(lines)
        return None
    if isinstance(ink, Curves):
        for piece in ink.pieces:
            px, py = canvas.proj(piece[:, 0], piece[:, 1])
            for sx, sy in _unseam(canvas, px, py, ink.seam):
                if len(sx) > 1:
                    ax.plot(sx, sy, **ink.kw)
        return None
    x, y = canvas.proj(ink.lon, ink.lat)
    if ink.inside and canvas.box is not None:
        b = canvas.box
        keep = (x > b[0]) & (x < b[2]) & (y > b[1]) & (y < b[3])
        if not keep.any():
            return None
        x, y = x[keep], y[keep]
    pts = ax.scatter(x, y, **ink.kw)
    if ink.colourbar is not None:
        cax = ax.inset_axes((0.30, 0.035, 0.16, 0.018))
        cb = ax.figure.colorbar(pts, cax=cax, orientation="horizontal")
        cb.ax.tick_params(labelsize=6)
        cb.set_label(ink.colourbar, fontsize=7, **(canvas.family or {}))
    return ink.key


def _unseam(canvas: _Canvas, px: np.ndarray, py: np.ndarray, seam: bool) -> list[tuple]:
    """Split a projected line where it jumps across the projection's seam."""
    if not seam or canvas.box is None:
        return [(px, py)]
    jump = np.abs(np.diff(px)) > 0.25 * (canvas.box[2] - canvas.box[0])
    cuts = np.flatnonzero(~np.isfinite(px[1:]) | jump) + 1
    return list(zip(np.split(px, cuts), np.split(py, cuts), strict=True))


# Leaflet's defaults for the options a part leaves out
_LEAFLET = {"color": "#3388ff", "weight": 3.0, "opacity": 1.0, "fillOpacity": 0.2, "radius": 10.0}


def _default_ink(layer: SceneLayer) -> list[Dots | Strokes | Curves]:
    """Print a layer that gives no ink from its parts, in styles derived from Leaflet's."""
    out: list[Dots | Strokes | Curves] = []
    for part in layer.parts:
        opts = [{**_LEAFLET, **part.style, **(o or {})} for o in (part.each or [None] * len(part))]
        if isinstance(part, Marks):
            out.append(
                Dots(part.lon, part.lat, {
                    "s": [(float(o["radius"]) * 1.05) ** 2 for o in opts],
                    "c": [o.get("fillColor", o["color"]) if o.get("fill", True) else "none"
                          for o in opts],
                    "edgecolors": [o["color"] for o in opts],
                    "linewidths": [float(o["weight"]) * 0.5 for o in opts],
                    "zorder": 4,
                })
            )  # fmt: skip
            continue
        for pieces, o in zip(part.pieces, opts, strict=True):
            dash = o.get("dashArray")
            ls = (0, tuple(float(v) for v in str(dash).split())) if dash else "-"
            kw = {"color": o["color"], "lw": float(o["weight"]) * 0.5, "ls": ls,
                  "alpha": float(o["opacity"]), "zorder": 1.5}  # fmt: skip
            out.append(Curves(pieces, kw, seam=False))  # straight between vertices
    return out


def _decorate(
    canvas: _Canvas, scene: Scene, keys: list[Key], title: str | None, boundaries: bool
) -> None:
    """Title, legends, choropleth key, inset, scale bar and north arrow."""
    from matplotlib.lines import Line2D

    ax, family = canvas.ax, canvas.family or {}
    font = family.get("fontfamily")
    zh = scene.content.lang == "zh"
    if title:
        ax.set_title(title, fontsize=13, fontweight="bold", **family)
    prop = {"family": font, "size": 7} if font else {"size": 7}
    handles = [_handle(k, Line2D) for k in keys if k.group == "legend"]
    if handles:
        canvas.legend = ax.legend(
            handles=handles, loc="lower left", bbox_to_anchor=(0.0, 0.07), prop=prop,
            framealpha=0.92, edgecolor="#999", title=TEXT[scene.content.lang]["legend"],
            title_fontproperties=prop,
        )  # fmt: skip
        canvas.legend.set_zorder(10)
        _place_legend(canvas, scene)
    if scene.choropleth is not None:
        _choropleth_bar(ax.figure, ax, scene.choropleth, family)
    _other_legends(ax, [k for k in keys if k.group != "legend"], font)
    if canvas.show_inset:
        canvas.inset = _scs_inset(ax, canvas.crs_wkt, canvas.fwd, zh, family, boundaries)
    _scale_bar(ax, family, "km")
    _north_arrow(ax, "北" if zh else "N", family)


#: Where the map's legend may go, in order of preference: loc and anchor in axes fractions.
_LEGEND_SPOTS = (
    ("lower left", (0.0, 0.07)),
    ("lower right", (1.0, 0.07)),
    ("upper right", (1.0, 1.0)),
    ("upper left", (0.0, 0.9)),
)


def _place_legend(canvas: _Canvas, scene: Scene) -> None:
    """Move the legend to the first corner where it hides no chosen centre.

    Of the corners of :data:`_LEGEND_SPOTS`, the first whose box (with a margin) holds no
    chosen centre; if each holds some, the one holding the fewest.
    """
    sol = scene.content.solution
    if canvas.legend is None or sol is None or not len(sol.open):
        return
    ax, cand = canvas.ax, scene.content.cand
    opened = [x for x in sol.open if x in cand.index]
    x, y = canvas.proj(cand.loc[opened, "_lon"], cand.loc[opened, "_lat"])
    points = ax.transData.transform(np.column_stack([x, y]))
    renderer = _renderer(ax.figure)
    best: tuple[int, int] | None = None
    for k, (loc, anchor) in enumerate(_LEGEND_SPOTS):
        canvas.legend.set_loc(loc)
        canvas.legend.set_bbox_to_anchor(anchor, transform=ax.transAxes)
        x0, y0, x1, y1 = canvas.legend.get_window_extent(renderer).extents
        pad = 12.0
        inside = (points[:, 0] > x0 - pad) & (points[:, 0] < x1 + pad)
        inside &= (points[:, 1] > y0 - pad) & (points[:, 1] < y1 + pad)
        hidden = int(inside.sum())
        if best is None or hidden < best[0]:
            best = (hidden, k)
        if hidden == 0:
            break
    assert best is not None
    loc, anchor = _LEGEND_SPOTS[best[1]]
    canvas.legend.set_loc(loc)
    canvas.legend.set_bbox_to_anchor(anchor, transform=ax.transAxes)


def _neighbour_names(canvas: _Canvas, view: Any, zh: bool) -> None:
    """Name the neighbouring countries seen in a regional view, in grey italics."""
    if isinstance(view, str):
        return
    layer = _carto.layer("neighbours")
    box = shapely.box(*view)
    ax, font = canvas.ax, (canvas.family or {}).get("fontfamily")
    area = box.area
    for iso3, row in layer.iterrows():
        if not bool(row.get("near_china", True)) or not row.geometry.intersects(box):
            continue
        seen = row.geometry.intersection(box)
        if seen.is_empty or seen.area < 0.008 * area:
            continue
        at = seen.representative_point() if seen.area < 0.3 * area else seen.centroid
        if not seen.contains(at):
            at = seen.representative_point()
        name = str(row["name"] if zh and font else row.get("name_en", iso3))
        px, py = canvas.proj(np.array([at.x]), np.array([at.y]))
        kw = {"fontfamily": font} if font else {}
        ax.text(float(px[0]), float(py[0]), name, ha="center", va="center", fontsize=11,
                color="#777777", style="italic", zorder=0.6, clip_on=True, **kw)  # fmt: skip


def _handle(key: Key, line2d: Any) -> Any:
    kw = dict(key.kw)
    return line2d([], [], ls=kw.pop("ls", ""), label=key.label, **kw)


def _other_legends(ax: Any, keys: list[Key], font: str | None = None) -> None:
    """A legend per other group of keys (e.g. the flows'), top right, keeping the map's."""
    from matplotlib.lines import Line2D

    groups: dict[str, list[Key]] = {}
    for k in keys:
        groups.setdefault(k.group, []).append(k)
    for group in groups.values():
        previous = ax.get_legend()
        if previous is not None:  # keep the map's own legend next to this one
            ax.add_artist(previous)
        handles = [Line2D([], [], label=k.label, **k.kw) for k in group]
        corner = "lower left"
        if previous is not None:  # not on top of it: the top corner away from it
            bb, box = previous.get_window_extent(_renderer(ax.figure)), ax.bbox
            top = bb.y0 > box.y0 + 0.5 * box.height
            left = bb.x0 < box.x0 + 0.5 * box.width
            corner = "upper left" if top and not left else "upper right"
        prop = {"family": font, "size": 7} if font else {"size": 7}
        ax.legend(handles=handles, title=group[0].title, loc=corner, prop=prop,
                  title_fontproperties=prop)  # fmt: skip


def _labels(canvas: _Canvas, scene: Scene, labels: str) -> None:
    """Name the centres (else the CORE places), with "all" the others too.

    Labels are placed around the markers, the legend, the inset and the text already drawn.
    """
    ax = canvas.ax
    cand = scene.content.cand
    font = (canvas.family or {}).get("fontfamily")
    renderer = _renderer(ax.figure)
    obstacles = []
    for artist in (canvas.legend, canvas.inset):
        if artist is not None:
            obstacles.append(tuple(artist.get_window_extent(renderer).extents))
    # text already on the map (gateway labels, neighbouring countries): labels go around it
    obstacles += [tuple(t.get_window_extent(renderer).extents) for t in ax.texts if t.get_text()]
    major, rest = scene.labels
    cx, cy = canvas.proj(cand["_lon"], cand["_lat"])
    at = {x: k for k, x in enumerate(cand.index)}
    pts = ax.transData.transform(np.column_stack([cx, cy]))
    r = 4.5 if scene.content.solution is not None else 3.0
    for x in major:
        px_, py_ = pts[at[x]]
        obstacles.append((px_ - r, py_ - r, px_ + r, py_ + r))
    items = [(cx[at[x]], cy[at[x]], _static_name(cand, x, font), 8.5) for x in major]
    if labels == "all":
        items += [(cx[at[x]], cy[at[x]], _static_name(cand, x, font), 6.5) for x in rest]
    _place_static_labels(ax, items, canvas.family or {}, obstacles)


def plot_flows(
    ax: Any,
    solution: Any,
    candidates: Any,
    partners: Any,
    gateways: Any = None,
    *,
    max_width: float = 6.0,
    legend: bool = True,
    distance: str = "geodesic",
) -> Any:
    """Draw the flows and gateway loads of a cross-border solution on matplotlib axes.

    The flows become a scene layer (:func:`borderhub.maps.layers.flows.flow_layer`), drawn
    here as on :func:`static_map` (``flows=``) and, on the HTML map, by
    :func:`borderhub.flowmap.add_flow_layer`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes in lon/lat degrees, or the projected axes of :func:`borderhub.static_map`
        (``static_map(...).axes[0]``), whose ``lonlat_transform`` places lon/lat on them.
    solution, candidates, partners, gateways, distance
        As for :func:`borderhub.flowmap.flow_segments` (``distance="road"`` or ``"rail"``
        draws each flow along its route); ``solution`` may also be the segments
        :func:`~borderhub.flowmap.flow_segments` returned.
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
    from borderhub.maps.layers.flows import flow_layer, flow_segments

    seg = (
        solution
        if isinstance(solution, pd.DataFrame)
        else flow_segments(solution, candidates, partners, gateways, distance=distance)
    )
    layer = flow_layer(seg, print_width=max_width)
    keys = draw_layers(_Canvas(ax, _axes_projection(ax)), [layer])
    if legend:
        _other_legends(ax, keys)
    return ax


def _axes_projection(ax: Any) -> Callable[[Any, Any], tuple[np.ndarray, np.ndarray]]:
    """lon/lat -> the axes' data coordinates: a static map's projection, else degrees."""
    lonlat = getattr(ax, "lonlat_transform", None)
    to_data = None if lonlat is None else lonlat - ax.transData

    def proj(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(lon, dtype=float).reshape(-1)
        y = np.asarray(lat, dtype=float).reshape(-1)
        if to_data is None:
            return x, y
        xy = to_data.transform(np.column_stack([x, y]))
        return xy[:, 0], xy[:, 1]

    return proj


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
    flows: Any = None,
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
    flows : CrossBorderSolution or DataFrame, optional
        Cross-border flows to draw, as in :func:`corridor_map` (with a legend of their
        own, top right).

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

    if not isinstance(lang, str) or lang not in TEXT:
        raise SpecificationError(f"lang must be one of {sorted(TEXT)}, got {lang!r}.")
    view = _carto.check_extent(extent, ("china",))
    if labels not in ("centres", "centers", "all", "none"):
        raise SpecificationError(f"labels must be 'centres', 'all' or 'none'; got {labels!r}.")
    if path is not None and Path(path).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise SpecificationError(
            f"path {str(path)!r} must end in .png, .svg or .pdf (the formats static_map "
            "writes); or save the returned figure yourself with fig.savefig(...)."
        )
    crs = _projection(projection)
    font = cjk_font()
    use_lang = lang
    if lang == "zh" and font is None:
        warnings.warn(
            "static_map: no font with Chinese glyphs found (install e.g. fonts-noto-cjk); "
            "drawing English text instead.",
            UserWarning,
            stacklevel=2,
        )
        use_lang = "en"
    scene = build_scene(
        candidates, solution, partners, corridors, scores, title, use_lang, demand,
        show_corridors=view != "china" if show_corridors is None else bool(show_corridors),
        choropleth=choropleth, flows=flows,
    )  # fmt: skip
    fills = None
    if scene.choropleth is not None:
        fills, _missing = _carto.join_prefectures(scene.choropleth)
    if ax is None:
        fig = Figure(figsize=figsize)  # no pyplot state
        ax = fig.add_axes((0.005, 0.005, 0.99, 0.93 if title else 0.99))
    else:
        fig = ax.figure
    canvas = _frame(ax, view, crs, inset, font)
    if boundaries:
        lonlat = _carto.CHINA_EXTENT if isinstance(view, str) else view
        _draw_base(ax, canvas.crs_wkt, fills, box=(lonlat[0], lonlat[1], lonlat[2], lonlat[3]))
    elif fills is not None:
        _projected_layer("prefecture", canvas.crs_wkt).loc[fills.index].plot(
            ax=ax, aspect=None, color=fills.to_numpy(), edgecolor="#fff", lw=0.15, zorder=0.3
        )
    # for overlays drawn by other code in lon/lat: ax.plot(lon, lat, transform=...)
    ax.lonlat_transform = _lonlat_transform(crs) + ax.transData  # type: ignore[attr-defined]
    ax.set_xlabel("")  # geopandas labels the axes with the CRS's; a map needs none
    ax.set_ylabel("")
    if boundaries:
        _neighbour_names(canvas, view, scene.content.lang == "zh")
    keys = draw_layers(canvas, scene.layers)
    _decorate(canvas, scene, keys, title, boundaries)
    if labels != "none":
        _labels(canvas, scene, labels)
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
