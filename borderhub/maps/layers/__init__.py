"""The built-in layers of every map, registered bottom to top.

Each module holds one kind of layer and its builder; a new layer is one more module and
one more line below (or :func:`borderhub.maps.scene.register_layer` from anywhere).
"""

from __future__ import annotations

from borderhub.maps.layers import allocation, candidates, corridors, flows, partners
from borderhub.maps.scene import register_layer

register_layer("allocation", allocation.allocation_layers)
register_layer("corridors", corridors.corridor_layers)
register_layer("partners", partners.partner_layers)
register_layer("scores", candidates.score_layers)
register_layer("tiers", candidates.tier_layers)
register_layer("centres", candidates.centre_layers)
register_layer("flows", flows.flow_layers)
