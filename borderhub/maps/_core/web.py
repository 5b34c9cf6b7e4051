"""The parts of the HTML map page: Leaflet elements, basemaps, vector boundary layers.

Part of :mod:`borderhub.maps` (the Leaflet renderer, :mod:`borderhub.maps.leaflet`, puts
them together). Every element renders its data verbatim (JSON with ``<``, ``>`` and ``&``
escaped), not through a second Jinja pass; the self-contained page inlines the Leaflet
files shipped in ``borderhub/_assets``.
"""

from __future__ import annotations

import base64
import html
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import folium
import numpy as np
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.template import Template

import borderhub.maps.cartography as _carto
from borderhub.exceptions import SpecificationError
from borderhub.maps._core.style import js_literal

#: Version of the Leaflet files shipped in ``borderhub/_assets/leaflet``.
LEAFLET_VERSION = "1.9.4"

_ASSETS = Path(__file__).resolve().parents[2] / "_assets"  # borderhub/_assets
_LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"

# Tile servers (OpenStreetMap's in particular) require a Referer header; ask the browser to
# send the page's origin even where its default policy is stricter.
REFERRER_POLICY = "strict-origin-when-cross-origin"

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


class VectorLayer(_DataElement):
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
                if (f[4] >= 0) { l.bindTooltip(T[f[4]], o.label === true ? {permanent: true,
                    direction: "right", className: "bh-gateway"} : {sticky: f[0] === 1}); }
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
        return js_literal(self.styles)

    @property
    def strings_js(self) -> str:
        return js_literal(self._payload()[0])

    @property
    def features_js(self) -> str:
        return js_literal(self._payload()[1])

    @property
    def n_markers(self) -> int:
        return sum(1 for f in self.features if f[0] == 0)

    @property
    def n_lines(self) -> int:
        return sum(1 for f in self.features if f[0] == 1)


class Decorations(_DataElement):
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
        return js_literal(self.title_html or "")

    @property
    def legend_js(self) -> str:
        return js_literal(self.legend_html or "")


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


class CorridorMap(folium.Map):
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


# A feature of a vector layer: [kind, style index, coords, style overrides or 0,
# tooltip HTML, popup HTML]; kind 0 = circle marker at [lat, lon], 1 = polyline
# ([[lat, lon], ...] or a list of such pieces).
Feature = list[Any]
Shift = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def latlon_of(shift: Shift, lon: Any, lat: Any) -> list[list[float]]:
    x, y = shift(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack([np.round(y, 5), np.round(x, 5)]).tolist()


def identity_xy(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def to_gcj(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from borderhub.geo import wgs84_to_gcj02

    gx, gy = wgs84_to_gcj02(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(gx, dtype=float), np.asarray(gy, dtype=float)


def basemap_for(tiles: Any, tiles_key: str | None) -> _Basemap | None:
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


class Panes(_DataElement):
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
        return js_literal(_PANES)

    @property
    def sea_js(self) -> str:
        return js_literal(self.sea or "")


class PolygonLayer(_DataElement):
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

    pane_js = property(lambda self: js_literal(self.pane))
    styles_js = property(lambda self: js_literal(self.styles))
    strings_js = property(lambda self: js_literal(self.strings))
    lines_js = property(lambda self: js_literal(bool(self.lines)))

    @property
    def features_js(self) -> str:
        # the coordinates are the same, cached lists on every map: encode them once
        return (
            "["
            + ",".join(
                f"[{int(f[0])},{_coords_js(f[1])},{js_literal(f[2])},{int(f[3])}]"
                for f in self.features
            )
            + "]"
        )


_COORDS_JS: dict[int, tuple[Any, str]] = {}


def _coords_js(coords: Any) -> str:
    """JSON of a coordinate list, memoised for the cached boundary lists (by identity)."""
    hit = _COORDS_JS.get(id(coords))
    if hit is not None and hit[0] is coords:
        return hit[1]
    text = js_literal(coords)
    if len(_COORDS_JS) < 20_000:
        _COORDS_JS[id(coords)] = (coords, text)
    return text


class ScsInset(_DataElement):
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

    box_js = property(lambda self: js_literal(list(_carto.SCS_INSET_WEB)))
    caption_js = property(lambda self: js_literal(self.caption))


class LabelLayer(_DataElement):
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

    features_js = property(lambda self: js_literal(self.features))
    cls_js = property(lambda self: js_literal("bh-label" + (" bh-minor" if self.minor else "")))
    prio_js = property(lambda self: js_literal(1 if self.minor else 0))


_WEB_DECIMALS = {"maritime": 3}  # else 2 decimals (about 1 km; the layers are simplified at 2.5 km)


@cache
def _web_latlngs_cached(level: str, gcj02: bool) -> tuple[tuple[Any, list], ...]:
    shift = to_gcj if gcj02 else identity_xy
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


def web_latlngs(level: str, shift: Shift) -> tuple[tuple[Any, list], ...]:
    """Leaflet latlngs of a boundary layer (shifted to GCJ-02 for Amap tiles); shared."""
    return _web_latlngs_cached(level, shift is to_gcj)


def basemap_layers(m: folium.Map, shift: Shift, world: bool = True) -> None:
    """The offline vector basemap: neighbours, China's land, provinces, outline, sea line.

    ``world=False`` keeps only the countries near China (the view of China never shows
    the others, and the page stays smaller).
    """
    near = _carto.layer("neighbours")["near_china"]
    neighbours = [
        [0, parts, 0, -1]
        for label, parts in web_latlngs("neighbours", shift)
        if world or bool(near.get(label, True))
    ]
    style_n = {
        "stroke": True, "color": _carto.NEIGHBOUR_EDGE, "weight": 0.8, "fillColor":
        _carto.NEIGHBOUR, "fillOpacity": 1, "interactive": False,
    }  # fmt: skip
    m.add_child(PolygonLayer("bhBase", [style_n], neighbours))
    prov = {
        "color": _carto.PROVINCE_EDGE, "weight": 0.9, "fillColor": _carto.LAND,
        "fillOpacity": 1, "interactive": False,
    }  # fmt: skip
    m.add_child(
        PolygonLayer("bhBase", [prov], [[0, p, 0, -1] for _, p in web_latlngs("province", shift)])
    )
    outline = {"color": _carto.COUNTRY_EDGE, "weight": 1.4, "fill": False, "interactive": False}
    m.add_child(
        PolygonLayer("bhBase", [outline], [[0, p, 0, -1] for _, p in web_latlngs("country", shift)])
    )
    sea = {"color": _carto.MARITIME, "weight": 1.6, "interactive": False}
    lines = [[0, p[0], 0, -1] for _, parts in web_latlngs("maritime", shift) for p in parts]
    m.add_child(PolygonLayer("bhBase", [sea], lines, lines=True))


def _layer_summary(m: folium.Map) -> dict[str, tuple[int, int, bool]]:
    """Layer name -> (markers, lines, shown) of a map made by corridor_map (for tests)."""
    out = {}
    for child in m._children.values():
        if isinstance(child, folium.FeatureGroup):
            vec = [c for c in child._children.values() if isinstance(c, VectorLayer)]
            out[html.unescape(child.layer_name)] = (
                sum(v.n_markers for v in vec),
                sum(v.n_lines for v in vec),
                bool(child.show),
            )
    return out
