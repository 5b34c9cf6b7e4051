"""Layer: the partner hubs, RCEP members and the other corridor endpoints.

Always on the HTML map; printed with the corridors, where inside the map's extent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from borderhub.maps._core.style import PARTNER_FIELDS, PARTNER_STYLE, esc, fmt_value, popup_table
from borderhub.maps.scene import Dots, Key, Marks, SceneContext, SceneLayer


def partner_layers(ctx: SceneContext) -> list[SceneLayer]:
    """Partner hubs, grouped into RCEP members and the others (when ``rcep`` is known)."""
    c, text = ctx.content, ctx.text
    part = c.partners
    if not len(part):
        return []
    i = 0 if c.lang == "zh" else 1
    rcep = part["rcep"].fillna(False).astype(bool).to_numpy() if "rcep" in part else None
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for k, (pid, rec) in enumerate(part.to_dict("index").items()):
        rows = [(esc("id"), esc(pid))]
        for col, labels in PARTNER_FIELDS.items():
            v = fmt_value(rec[col], c.lang) if col in rec else None
            if v is not None:
                rows.append((esc(labels[i]), esc(v)))
        tip = esc(rec["_name"])
        if "country" in rec and fmt_value(rec["country"], c.lang):
            tip += f", {esc(rec['country'])}"
        group = "partners" if rcep is None else "rcep" if rcep[k] else "other_partners"
        groups.setdefault(group, []).append((k, tip, popup_table(rows, esc(rec["_name"]))))
    lon, lat = part["_lon"].to_numpy(), part["_lat"].to_numpy()
    out = []
    for g in ("rcep", "other_partners", "partners"):
        if g not in groups:
            continue
        at = np.array([k for k, _, _ in groups[g]], dtype=int)
        marks = Marks(
            lon[at], lat[at], {**PARTNER_STYLE[g], "fillOpacity": 0.9}, None,
            [t for _, t, _ in groups[g]], [p for _, _, p in groups[g]],
        )  # fmt: skip
        out.append(SceneLayer("partners", text[g], [marks], printed=ctx.show_corridors, ink=[]))
    # printed as one set of squares (inside the extent), whatever the group
    key = Key(text["partners"], {"marker": "s", "mfc": "#88419d", "mec": "#222"}, rank=20)
    kw: dict[str, Any] = {"s": 22, "c": "#88419d", "edgecolors": "#222", "marker": "s",
                          "zorder": 3}  # fmt: skip
    out[0].ink = [Dots(lon, lat, kw, inside=True, key=key)]
    return out
