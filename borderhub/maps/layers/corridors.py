"""Layer: the international express corridors, one layer per corridor.

Great-circle arcs from every origin place of a corridor to each of its partner hubs,
styled by mode (split at the antimeridian). Shown at start (and printed) only when the
map asks for corridors; the HTML legend always names the modes drawn.
"""

from __future__ import annotations

from borderhub.maps._core.style import (
    MODE_NAMES,
    MODE_STYLE,
    MODES,
    esc,
    popup_table,
    swatch_circle,
    swatch_line,
)
from borderhub.maps.scene import Curves, Key, LegendEntry, Paths, SceneContext, SceneLayer


def corridor_layers(ctx: SceneContext) -> list[SceneLayer]:
    """One layer per corridor with arcs: its arcs, styled by mode."""
    c, text = ctx.content, ctx.text
    names = MODE_NAMES[c.lang]
    out: list[SceneLayer] = []
    seen: set[str] = set()
    for cor in c.corridors:
        if not cor.arcs:
            continue
        name = text["corridor"].format(name=cor.name, mode=names[cor.mode])
        if name in seen:
            name = f"{name} [{cor.id}]"
        seen.add(name)
        popup = popup_table(cor.popup_rows, esc(cor.name))
        tips = [
            f"{esc(cor.name)} ({esc(names[cor.mode])})<br>"
            f"{esc(cor.origin_names[origin])} → {esc(c.partners.at[pid, '_name'])}"
            for origin, pid, _ in cor.arcs
        ]
        style = MODE_STYLE[cor.mode]
        dash = style.get("dashArray")
        ls = (0, tuple(float(v) for v in dash.split())) if dash else "-"
        kw = {"color": style["color"], "lw": style["weight"] * 0.5, "ls": ls, "alpha": 0.8,
              "zorder": 1.5}  # fmt: skip
        pieces = [p for _, _, arc in cor.arcs for p in arc]
        out.append(
            SceneLayer(
                "corridors",
                name,
                [Paths([arc for _, _, arc in cor.arcs], dict(style), None, tips,
                       [popup] * len(tips))],
                show=ctx.show_corridors,
                ink=[Curves(pieces, kw)],
            )
        )  # fmt: skip
    if out:
        out[0].keys, out[0].legend = _keys(ctx), _legend(ctx)
    return out


def _modes(ctx: SceneContext) -> list[str]:
    return [m for m in MODES if any(cor.mode == m and cor.arcs for cor in ctx.content.corridors)]


def _keys(ctx: SceneContext) -> list[Key]:
    """Print legend: one line per mode drawn."""
    names = MODE_NAMES[ctx.lang]
    return [
        Key(names[m], {"color": MODE_STYLE[m]["color"], "lw": 1.5, "ls": "-"}, rank=30 + i)
        for i, m in enumerate(_modes(ctx))
    ]


def _legend(ctx: SceneContext) -> list[LegendEntry]:
    """HTML legend: the modes drawn and the RCEP partner hubs."""
    c, text = ctx.content, ctx.text
    modes = _modes(ctx)
    if c.partners is None or not len(c.partners) or not modes:
        return []
    head = '<div style="font-weight:600;margin-top:5px">{}</div>'
    items = " ".join(
        f'<span style="white-space:nowrap">{swatch_line(MODE_STYLE[m])} '
        f"{esc(MODE_NAMES[c.lang][m])}</span>"
        for m in modes
    )
    html = (
        head.format(esc(text["corridors"]))
        + f"<div>{items}</div>"
        + f"<div>{swatch_circle('#88419d', '#4d004b', 4)} {esc(text['rcep'])}</div>"
    )
    return [LegendEntry(html, rank=50)]
