"""Map layers of cross-border flows: :func:`add_flow_layer` (folium) and :func:`plot_flows`.

Both draw a :class:`~borderhub.locate.CrossBorderSolution` per partner: a line from each
centre to the gateway it uses and on (through the rail border crossing, if any) to the
partner hub, its width proportional to the volume and its colour the mode; a circle per
gateway sized by its load; and a legend that says so. They add to a map made by
:func:`borderhub.corridor_map` / :func:`borderhub.static_map` or to any folium map or
matplotlib axes; ``corridor_map(..., flows=solution)`` and ``static_map(...,
flows=solution)`` draw the same layer as part of the map.

The flows are one layer of the map scene (:mod:`borderhub.maps.layers.flows`), drawn by
the HTML renderer (:mod:`borderhub.maps.leaflet`) and the print renderer
(:mod:`borderhub.maps.printmap`); this module gathers them under their old names.
"""

from __future__ import annotations

from borderhub.maps.layers.flows import MODE_COLOURS, flow_segments
from borderhub.maps.leaflet import add_flow_layer
from borderhub.maps.printmap import plot_flows

__all__ = ["MODE_COLOURS", "add_flow_layer", "flow_segments", "plot_flows"]
