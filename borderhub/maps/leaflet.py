"""The HTML renderer: :func:`corridor_map` draws a scene with Leaflet (folium).

The scene (:mod:`borderhub.maps.scene`) decides what the map shows; this module turns
each layer's parts into one vector layer in the layer control, and adds what only a web
page has: tiles or the offline vector basemap, panes, the South China Sea inset, labels
that declutter as the map zooms, the legend, the title and the initial view.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, Figure

import borderhub.maps.cartography as _carto
from borderhub.exceptions import SpecificationError
from borderhub.maps._core.style import TEXT, esc
from borderhub.maps._core.web import (
    REFERRER_POLICY,
    CorridorMap,
    Decorations,
    Feature,
    LabelLayer,
    Panes,
    PolygonLayer,
    ScsInset,
    Shift,
    VectorLayer,
    basemap_for,
    basemap_layers,
    identity_xy,
    latlon_of,
    to_gcj,
    web_latlngs,
)
from borderhub.maps.scene import Marks, Scene, SceneLayer, build_scene

__all__ = ["corridor_map"]


@dataclass
class _Layer:
    """One overlay: escaped name, shown at start, shared styles, features."""

    name: str
    show: bool
    styles: list[dict[str, Any]]
    features: list[Feature]


def _web_layer(layer: SceneLayer, shift: Shift) -> _Layer:
    """A scene layer as one Leaflet vector layer (each part with a style of its own)."""
    feats: list[Feature] = []
    for si, part in enumerate(layer.parts):
        each = part.each or [None] * len(part)
        texts = zip(each, part.tips or (), part.popups or (), strict=True)
        if isinstance(part, Marks):
            pts = latlon_of(shift, part.lon, part.lat)
            for p, (o, tip, popup) in zip(pts, texts, strict=True):
                feats.append([0, si, p, o or 0, tip, popup])
            continue
        for pieces, (o, tip, popup) in zip(part.pieces, texts, strict=True):
            coords = [latlon_of(shift, p[:, 0], p[:, 1]) for p in pieces]
            feats.append([1, si, coords if len(coords) > 1 else coords[0], o or 0, tip, popup])
    styles = [dict(part.style) for part in layer.parts]
    return _Layer(esc(layer.name), layer.show, styles, feats)


def _add_layers(m: folium.Map, layers: list[_Layer]) -> None:
    for layer in layers:
        group = folium.FeatureGroup(name=layer.name, show=layer.show)
        group.add_child(VectorLayer(layer.styles, layer.features))
        group.add_to(m)


def _legend_html(scene: Scene, extra: str | None = None) -> str:
    """The map's legend: the layers' sections in rank order (the choropleth's at 40)."""
    text = TEXT[scene.content.lang]
    parts = [
        '<details open><summary style="font-weight:700;cursor:pointer">'
        f"{esc(text['legend'])}</summary>"
    ]
    sections = [(e.rank, e.html) for e in scene.legend() if not e.box]
    if extra:
        sections.append((40.0, extra))
    parts.extend(h for _, h in sorted(sections, key=lambda s: s[0]))
    return "".join(parts) + "</details>"


def _legend_boxes(m: folium.Map, scene_layers: list[SceneLayer]) -> None:
    """Legend sections that ask for a box of their own, top left under the zoom buttons.

    The bottom-left corner holds the South China Sea inset and the scale bar.
    """
    root = m.get_root()
    if not isinstance(root, Figure):  # pragma: no cover - a map's root is its figure
        return
    for layer in scene_layers:
        for entry in layer.legend:
            if entry.box:
                box = (
                    '<div style="position:fixed;top:86px;left:10px;z-index:9999;'
                    "background:white;padding:6px 8px;border:1px solid #999;"
                    f'font:12px sans-serif">{entry.html}</div>'
                )
                root.html.add_child(Element(box))


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


def _choropleth_layer(scene: Scene, shift: Shift) -> tuple[str, PolygonLayer, str]:
    """The prefecture choropleth: (layer name, polygon layer, legend HTML)."""
    choro = scene.choropleth
    c = scene.content
    fills, _missing = _carto.join_prefectures(choro)
    pref_names = _carto.layer("prefecture")["name"].to_dict()
    values = choro.values.to_dict()
    feats = []
    fill_of = fills.to_dict()
    for label, parts in web_latlngs("prefecture", shift):
        if label not in fill_of:
            continue
        v = values.get(label)
        txt = (
            str(v)
            if choro.categorical
            else (choro.fmt.format(float(v)) if v is not None and np.isfinite(v) else "–")
        )
        tip = f"<b>{esc(pref_names[label])}</b><br>{esc(choro.title)}: {esc(txt)}"
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
            f"{esc(k)}</span> "
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
            f"{esc(choro.fmt.format(e))}</span>"
            for i, e in enumerate(edges)
            if i in (0, len(edges) - 1) or len(edges) <= 5
        )
        quant = "分位数分级" if c.lang == "zh" else "quantile classes"
        body = (
            f'<div style="display:flex;width:200px;border:1px solid #888">{cells}</div>'
            f'<div style="display:flex;width:202px;font-size:10px;color:#444">{ticks}</div>'
            f'<div style="font-size:10px;color:#666">{esc(quant)}</div>'
        )
    legend = f'<div style="font-weight:600;margin-top:4px">{esc(choro.title)}</div>{body}'
    name = ("分区着色 · " if c.lang == "zh" else "Choropleth · ") + choro.title
    style = {"color": "#ffffff", "weight": 0.5, "fillOpacity": 0.72}
    return name, PolygonLayer("bhChoro", [style], feats, strings), legend


def _label_features(scene: Scene, shift: Shift, which: str) -> tuple[list[list], list[list]]:
    """(major, minor) label features [[lat, lon], text]: centres, then other candidates."""
    cand = scene.content.cand
    pos = latlon_of(shift, cand["_lon"], cand["_lat"])
    index = {x: k for k, x in enumerate(cand.index)}
    major, rest = scene.labels
    majors = [[pos[index[x]], str(cand.at[x, "_name"])] for x in major]
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
    flows: Any = None,
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
    flows : CrossBorderSolution or DataFrame, optional
        Cross-border flows to draw as one more layer (as :func:`borderhub.flowmap.
        add_flow_layer` does): a solved :class:`~borderhub.locate.CrossBorderMedian`,
        routed through ``candidates`` and ``partners``, or the segments of
        :func:`borderhub.flowmap.flow_segments`.

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
    base = basemap_for(tiles, tiles_key)
    view = _carto.check_extent(extent, ("china", "content"))
    if labels not in ("centres", "centers", "all", "none"):
        raise SpecificationError(
            f"labels must be 'centres' (chosen centres, else the CORE places), 'all' or "
            f"'none'; got {labels!r}."
        )
    corridors_on = view != "china" if show_corridors is None else bool(show_corridors)
    scene = build_scene(
        candidates, solution, partners, corridors, scores, title, lang, demand,
        show_corridors=corridors_on, choropleth=choropleth, flows=flows,
    )  # fmt: skip
    shift = to_gcj if base is not None and base.gcj02 else identity_xy
    layers = [_web_layer(layer, shift) for layer in scene.layers if layer.parts]
    vector = base is None if boundaries is None else bool(boundaries)
    choro = None if scene.choropleth is None else _choropleth_layer(scene, shift)

    m = CorridorMap(
        location=[35.0, 105.0],
        zoom_start=4,
        tiles=None,
        control_scale=True,
        zoom_snap=0,  # fit the extent exactly (the +/- buttons still step by 1)
        self_contained=bool(self_contained),
    )
    root = m.get_root()
    if title and isinstance(root, Figure):
        root.title = esc(title)
    m.add_child(Panes(_carto.SEA if vector and base is None else None))
    if vector:
        basemap_layers(m, shift, world=view != "china")
        if view == "china":
            m.add_child(ScsInset("南海诸岛" if lang == "zh" else "South China Sea Islands"))
    if base is not None:
        _tile_layers(m, base, tiles_key, lang)
    legend_extra = None
    if choro is not None:
        cname, cel, legend_extra = choro
        group = folium.FeatureGroup(name=esc(cname), show=True)
        group.add_child(cel)
        group.add_to(m)
    _add_layers(m, layers)
    _label_layers(m, scene, shift, labels)
    m.add_child(Decorations(esc(title) if title else None, _legend_html(scene, legend_extra)))
    folium.LayerControl(collapsed=True).add_to(m)
    _fit_view(m, view, layers)
    seed = json.dumps(
        [layers, title, tiles, tiles_key, lang, bool(self_contained), view, labels, vector,
         corridors_on, legend_extra],
        default=str, sort_keys=True,
    )  # fmt: skip
    _stable_ids(m, hashlib.sha256(seed.encode("utf-8")).hexdigest())
    _legend_boxes(m, scene.layers)
    return m


def _tile_layers(m: folium.Map, base: Any, tiles_key: str | None, lang: str) -> None:
    """The basemap's tiles (and Tianditu's label overlay)."""
    key = str(tiles_key or "")
    url = base.url.replace("{key}", key)
    folium.TileLayer(
        tiles=url,
        attr=base.attribution,
        name=base.name,
        subdomains=base.subdomains,
        max_zoom=base.max_zoom,
        referrer_policy=REFERRER_POLICY,
    ).add_to(m)
    if base.labels:
        lab = "cva" if lang == "zh" else "eva"
        folium.TileLayer(
            tiles=base.labels.replace("{key}", key).replace("{lab}", lab),
            attr=base.attribution,
            name=f"{base.name} labels",
            subdomains=base.subdomains,
            max_zoom=base.max_zoom,
            referrer_policy=REFERRER_POLICY,
            overlay=True,
            control=False,
        ).add_to(m)


def _label_layers(m: folium.Map, scene: Scene, shift: Shift, labels: str) -> None:
    """Permanent labels: the centres' (shown) and the other candidates' (shown on request)."""
    major, minor = _label_features(scene, shift, "none" if labels == "none" else "centres")
    text = TEXT[scene.content.lang]
    if major:
        group = folium.FeatureGroup(name=esc(text["labels_major"]), show=True)
        group.add_child(LabelLayer(major))
        group.add_to(m)
    if minor:
        group = folium.FeatureGroup(name=esc(text["labels_all"]), show=labels == "all")
        group.add_child(LabelLayer(minor, minor=True))
        group.add_to(m)


def _fit_view(m: folium.Map, view: Any, layers: list[_Layer]) -> None:
    """Open on mainland China, on everything drawn, or on the caller's box."""
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


def add_flow_layer(
    fmap: Any,
    solution: Any,
    candidates: Any,
    partners: Any,
    gateways: Any = None,
    *,
    name: str = "Cross-border flows",
    max_width: float = 10.0,
    distance: str = "geodesic",
) -> Any:
    """Draw the flows and gateway loads of a cross-border solution on a folium map.

    The flows become a scene layer (:func:`borderhub.maps.layers.flows.flow_layer`), drawn
    here as on :func:`corridor_map` (``flows=``) and, in print, by
    :func:`borderhub.flowmap.plot_flows`.

    Parameters
    ----------
    fmap : folium.Map
        The map to add to (e.g. from :func:`borderhub.corridor_map`); it is modified
        and returned.
    solution, candidates, partners, gateways, distance
        As for :func:`borderhub.flowmap.flow_segments` (``distance="road"`` or ``"rail"``
        draws each flow along its route); ``solution`` may also be the segments
        :func:`~borderhub.flowmap.flow_segments` returned.
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
    >>> "河口 border port" in m.get_root().render()  # the gateway, labelled by name
    True
    """
    from borderhub.maps.layers.flows import flow_layer, flow_segments

    seg = (
        solution
        if isinstance(solution, pd.DataFrame)
        else flow_segments(solution, candidates, partners, gateways, distance=distance)
    )
    layer = flow_layer(seg, name=name, max_width=max_width)
    web = _web_layer(layer, identity_xy)
    group = folium.FeatureGroup(name=web.name)
    group.add_child(VectorLayer(web.styles, web.features))
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
    _legend_boxes(fmap, [layer])
    return fmap
