"""Shared cartography of the map functions: extents, boundary layers, choropleths, labels.

Part of :mod:`borderhub.maps`: the interactive and the static map use these helpers;
they are not part of the public API.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import shapely

from borderhub.exceptions import DataError, SpecificationError

#: China as the default view (lon0, lat0, lon1, lat1, WGS84): the country's land north of
#: the South China Sea (mainland, Hainan, Taiwan), from ``boundaries("country")``. The South
#: China Sea islands are shown in an inset (static maps) or by panning (interactive maps).
CHINA_EXTENT = (73.5, 18.1, 135.1, 53.6)
#: The South China Sea inset (lon0, lat0, lon1, lat1).
SCS_EXTENT = (105.5, 2.5, 123.0, 24.5)
#: The same for the interactive map's inset (Web Mercator, a narrower box).
SCS_INSET_WEB = (106.5, 3.0, 122.5, 24.0)
#: Albers equal-area conic for China (standard parallels 25 and 47 N, central meridian 105 E).
CHINA_ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m +no_defs"

# Basemap colours shared by the interactive and the static map.
SEA = "#dbe9f4"
LAND = "#fbf8ef"
NEIGHBOUR = "#e4e4e0"
NEIGHBOUR_EDGE = "#b8b8b0"
PROVINCE_EDGE = "#a8a294"
COUNTRY_EDGE = "#5b5346"
MARITIME = "#5b5346"


def check_extent(extent: Any, allowed: Sequence[str] = ("china",)) -> tuple[float, ...] | str:
    """A named extent (lower case) or four finite floats (lon0, lat0, lon1, lat1)."""
    if isinstance(extent, str):
        key = extent.strip().lower()
        if key in allowed:
            return key
        raise SpecificationError(
            f"unknown extent {extent!r}; use one of {list(allowed)} or four numbers "
            "(lon_min, lat_min, lon_max, lat_max) in degrees, e.g. (97, 21, 112, 35)."
        )
    try:
        values = [float(v) for v in extent]
    except (TypeError, ValueError):
        values = []
    fix = (
        "pass four finite numbers (lon_min, lat_min, lon_max, lat_max) with "
        "-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90, e.g. "
        f"(97, 21, 112, 35), or one of {list(allowed)}."
    )
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise SpecificationError(f"extent {extent!r} is not four finite numbers; {fix}")
    x0, y0, x1, y1 = values
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise SpecificationError(f"extent {extent!r} is out of range or empty; {fix}")
    return (x0, y0, x1, y1)


@cache
def _layer(level: str) -> Any:
    from borderhub.datasets import boundaries

    return boundaries(level)


def layer(level: str) -> Any:
    """A boundary layer (cached; callers must not modify it)."""
    return _layer(level)


@cache
def web_rings(level: str, decimals: int = 3) -> tuple[tuple[Any, list], ...]:
    """(label, [[ring of (lon, lat)], ...] per polygon part) of a layer, for Leaflet."""
    frame = _layer(level)
    out = []
    for label, geom in zip(frame.index, frame.geometry, strict=True):
        parts = []
        for part in shapely.get_parts(geom):
            if part.geom_type == "Polygon":
                rings = [part.exterior, *part.interiors]
            else:  # lines
                rings = [part]
            parts.append([np.round(shapely.get_coordinates(r), decimals) for r in rings])
        out.append((label, parts))
    return tuple(out)


@dataclass
class Choropleth:
    """Values of a prefecture choropleth, indexed by the demand unit's adcode."""

    title: str
    values: pd.Series
    categorical: bool
    colours: dict[Any, str]  # category -> colour (categorical), else empty
    fmt: str = "{:,.3g}"

    def classes(self, k: int = 6) -> np.ndarray:
        """Quantile class breaks of a numeric choropleth (k + 1 edges, unique)."""
        v = pd.to_numeric(self.values, errors="coerce").dropna().to_numpy(dtype=float)
        if v.size == 0:
            return np.array([0.0, 1.0])
        edges = np.unique(np.quantile(v, np.linspace(0, 1, k + 1)))
        if edges.size < 2:
            edges = np.array([edges[0], edges[0] + 1.0])
        return edges

    def palette(self, n: int) -> list[str]:
        """``n`` colours of the numeric classes (light to dark, YlOrRd)."""
        from matplotlib import colormaps
        from matplotlib.colors import to_hex

        cmap = colormaps["YlOrRd"]
        return [to_hex(cmap(0.12 + 0.83 * i / max(n - 1, 1))) for i in range(n)]

    def colour_of(self) -> pd.Series:
        """Fill colour of every unit with a value (missing values are left out)."""
        if self.categorical:
            return self.values.map(self.colours).dropna()
        v = pd.to_numeric(self.values, errors="coerce").dropna()
        edges = self.classes()
        cols = self.palette(len(edges) - 1)
        idx = np.clip(np.searchsorted(edges, v.to_numpy(), side="right") - 1, 0, len(cols) - 1)
        return pd.Series([cols[i] for i in idx], index=v.index)


def make_choropleth(
    spec: Any,
    demand: pd.DataFrame | None,
    assignment: pd.DataFrame | None,
    centre_colour: dict[Any, str],
    centre_name: dict[Any, str],
    lang: str,
) -> Choropleth:
    """Resolve ``choropleth=`` of the map functions into values per prefecture adcode.

    ``spec`` is ``"demand"`` (the assignment's weights, else the demand frame's
    ``express_volume``), ``"centre"`` (the assigned centre), ``"distance"`` (the
    assignment's cost), ``"covered"``, the name of a numeric column of the demand frame, or
    a numeric Series indexed by adcode.
    """
    zh = lang == "zh"
    if demand is None:
        from borderhub.datasets import prefectures

        demand = pd.DataFrame(prefectures().drop(columns="geometry"))
    needs_solution = "needs a solution with an assignment (solution=...)"
    if isinstance(spec, pd.Series):
        values = pd.to_numeric(spec, errors="coerce")
        bad = values.isna() & spec.notna()
        if bad.any():
            raise DataError(
                f"choropleth Series is not numeric for labels {spec.index[bad].tolist()[:10]}; "
                "convert it with pandas.to_numeric or drop those rows."
            )
        name = str(spec.name) if spec.name is not None else "value"
        return Choropleth(name, values.astype(float), False, {})
    if not isinstance(spec, str):
        raise SpecificationError(
            f"choropleth must be 'demand', 'centre', 'distance', 'covered', a numeric column "
            f"of the demand frame or a Series indexed by adcode; got {type(spec).__name__}."
        )
    key = spec.strip().lower()
    if key in ("centre", "center", "distance", "covered") and assignment is None:
        raise SpecificationError(f"choropleth={spec!r} {needs_solution}.")
    if key == "demand":
        if assignment is not None and "weight" in assignment.columns:
            values = pd.to_numeric(assignment["weight"], errors="coerce")
        elif "express_volume" in demand.columns:
            values = pd.to_numeric(demand["express_volume"], errors="coerce")
        else:
            raise DataError(
                "choropleth='demand' needs assignment weights or an 'express_volume' column "
                "in the demand frame; name a numeric demand column instead, e.g. "
                "choropleth='population'."
            )
        title = "需求（权重）" if zh else "demand (weight)"
        return Choropleth(title, values.astype(float), False, {})
    if key == "distance":
        assert assignment is not None
        if "cost" not in assignment.columns:
            raise DataError(
                "choropleth='distance' needs a 'cost' column in the solution's assignment."
            )
        values = pd.to_numeric(assignment["cost"], errors="coerce")
        values = values.where(assignment["_served"])
        title = "到所分配中心的距离（km）" if zh else "distance to the assigned centre (km)"
        return Choropleth(title, values.astype(float), False, {}, "{:,.0f}")
    if key in ("centre", "center"):
        assert assignment is not None
        fac = assignment["facility"].where(assignment["_served"])
        values = fac.map(lambda f: centre_name.get(f) if pd.notna(f) else None)
        colours = {centre_name[f]: c for f, c in centre_colour.items() if f in centre_name}
        uncovered = "未覆盖" if zh else "not covered"
        values = values.fillna(uncovered)
        colours[uncovered] = "#ffffff"
        return Choropleth("所分配中心" if zh else "assigned centre", values, True, colours)
    if key == "covered":
        assert assignment is not None
        yes, no = ("已覆盖", "未覆盖") if zh else ("covered", "not covered")
        values = pd.Series(np.where(assignment["_served"], yes, no), index=assignment.index)
        return Choropleth(
            "覆盖" if zh else "covered", values, True, {yes: "#74c476", no: "#fb6a4a"}
        )
    if spec not in demand.columns:
        shown = [str(c) for c in demand.columns if not str(c).startswith("_")][:15]
        raise DataError(
            f"choropleth column {spec!r} is not in the demand frame (columns: {shown}); "
            "choose one of them, or 'demand', 'centre', 'distance', 'covered'."
        )
    raw = demand[spec]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna()
    if bad.any() or not (pd.api.types.is_numeric_dtype(raw) or pd.api.types.is_object_dtype(raw)):
        sample = raw[bad].astype(str).tolist()[:3]
        raise DataError(
            f"choropleth column {spec!r} is not numeric (e.g. {sample}); choose a numeric "
            "column or convert it with pandas.to_numeric."
        )
    if pd.api.types.is_bool_dtype(raw):
        raise DataError(f"choropleth column {spec!r} is boolean; pass a numeric column.")
    return Choropleth(str(spec), values.astype(float), False, {})


def join_prefectures(choro: Choropleth) -> tuple[pd.Series, list[Any]]:
    """Colours by prefecture adcode; and the labels not found among the prefectures."""
    colours = choro.colour_of()
    known = _layer("prefecture").index
    missing = [x for x in colours.index if x not in known]
    if len(missing) == len(colours) and len(colours):
        raise DataError(
            f"choropleth: none of the demand labels (e.g. {colours.index[:3].tolist()}) is a "
            "prefecture adcode of boundaries('prefecture'); a choropleth needs demand units "
            "indexed by adcode, such as datasets.prefectures()."
        )
    return colours[colours.index.isin(known)], missing


# --------------------------------------------------------------------------- labels


def place_labels(
    boxes_of: Any,
    anchors: np.ndarray,
    sizes: np.ndarray,
    obstacles: Sequence[tuple[float, float, float, float]] = (),
    pad: float = 1.0,
    gap: float = 6.0,
) -> list[tuple[float, float] | None]:
    """Greedy label placement without overlap (display units, y up).

    ``anchors`` (n, 2) are the points, ``sizes`` (n, 2) the label widths and heights, in
    priority order. Each label tries eight positions around its point (right, left, above,
    below and the diagonals, ``gap`` away from the point, then three times as far) and
    takes the first that overlaps no placed label
    and no obstacle box; a label with no free position is dropped (None).
    ``boxes_of`` is unused (kept for a future renderer-based variant).
    """
    del boxes_of
    placed: list[tuple[float, float, float, float]] = list(obstacles)
    out: list[tuple[float, float] | None] = []
    for (x, y), (w, h) in zip(anchors, sizes, strict=True):
        options = []
        for g in (gap, 3.0 * gap):
            options += [
                (x + g, y - h / 2),
                (x - g - w, y - h / 2),
                (x - w / 2, y + g),
                (x - w / 2, y - g - h),
                (x + g, y + g * 0.5),
                (x - g - w, y + g * 0.5),
                (x + g, y - g * 0.5 - h),
                (x - g - w, y - g * 0.5 - h),
            ]
        chosen = None
        for ox, oy in options:
            box = (ox - pad, oy - pad, ox + w + pad, oy + h + pad)
            if not any(_overlap(box, b) for b in placed):
                chosen = (ox, oy)
                placed.append(box)
                break
        out.append(chosen)
    return out


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
