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

What a map shows is decided once, in a scene (:mod:`borderhub.maps.scene`): the
boundaries, candidates, centres, allocations, corridors, partner hubs, flows,
choropleth, labels and legend entries, built from the data; the Leaflet renderer
(:mod:`borderhub.maps.leaflet`) and the print renderer (:mod:`borderhub.maps.printmap`)
draw it. Each kind of layer is one module of :mod:`borderhub.maps.layers`; a new one is
one module and one :func:`~borderhub.maps.scene.register_layer` line, and both maps draw
it.
"""

from __future__ import annotations

import borderhub.maps.layers as _layers  # noqa: F401  (registers the built-in layers)
from borderhub.maps._core.web import LEAFLET_VERSION, TILES
from borderhub.maps.leaflet import corridor_map
from borderhub.maps.printmap import static_map
from borderhub.maps.scene import build_scene, register_layer, unregister_layer

__all__ = [
    "corridor_map",
    "static_map",
    "TILES",
    "LEAFLET_VERSION",
    "build_scene",
    "register_layer",
    "unregister_layer",
]
