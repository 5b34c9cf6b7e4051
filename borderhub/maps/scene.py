"""What a map shows, decided once: a :class:`Scene` of layers built from the data.

Both renderers draw a scene: :func:`borderhub.maps.corridor_map` (the interactive HTML
map, Leaflet) and :func:`borderhub.maps.static_map` (the print map, matplotlib), as
matplotlib separates its artists from its backends. A scene holds the checked inputs, the
layers bottom to top, the prefecture choropleth, the place labels and the legend entries.

A layer says what it draws in WGS84 lon/lat, in two forms of the same content: ``parts``
for the HTML map (:class:`Marks`, circle markers, and :class:`Paths`, polylines, with
Leaflet's style options, tooltips and popups) and ``ink`` for the print map
(:class:`Dots`, :class:`Strokes` and :class:`Curves` with matplotlib's keyword arguments,
projected by the print renderer). A layer that gives no ``ink`` is printed from its
``parts``, so a new layer needs one style only.

Layers come from builders, functions of a :class:`SceneContext` that return a list of
:class:`SceneLayer`; the builders are kept in registration order, which is the drawing
order. Adding a layer to every map is one module with a builder and one registration
line, :func:`register_layer` (the built-in layers are registered in
``borderhub/maps/layers/__init__.py``, which :mod:`borderhub.maps` imports first, so
they lie below any layer registered later).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import borderhub.maps.cartography as cartography
from borderhub.exceptions import SpecificationError
from borderhub.maps._core.inputs import candidate_popup, centre_colours, prepare_map
from borderhub.maps._core.style import TEXT, esc

__all__ = [
    "Curves",
    "Dots",
    "Key",
    "LegendEntry",
    "Marks",
    "Paths",
    "Scene",
    "SceneContext",
    "SceneLayer",
    "Strokes",
    "build_scene",
    "layer_builders",
    "register_layer",
    "unregister_layer",
]


# --------------------------------------------------------------------------- HTML parts


def _texts(values: Sequence[str] | None, n: int, what: str) -> list[str]:
    if values is None:
        return [""] * n
    out = ["" if v is None else str(v) for v in values]
    if len(out) != n:
        raise SpecificationError(f"{what} has {len(out)} entries for {n} features; give one each.")
    return out


@dataclass
class Marks:
    """Circle markers at WGS84 points, one feature per point (HTML map).

    Parameters
    ----------
    lon, lat : array-like
        WGS84 degrees.
    style : dict
        Leaflet circle-marker options shared by the points (``radius``, ``color``,
        ``fillColor``, ``weight``, ``fillOpacity`` ...).
    each : list of dict or None, optional
        Options of single points that replace the shared ones.
    tips, popups : list of str, optional
        Tooltip and popup HTML of each point, already escaped (empty: none).
    """

    lon: Any
    lat: Any
    style: dict[str, Any]
    each: list[Any] | None = None
    tips: list[str] | None = None
    popups: list[str] | None = None

    def __post_init__(self) -> None:
        self.lon = np.asarray(self.lon, dtype=float).reshape(-1)
        self.lat = np.asarray(self.lat, dtype=float).reshape(-1)
        n = len(self.lon)
        if len(self.lat) != n or (self.each is not None and len(self.each) != n):
            raise SpecificationError("Marks: lon, lat and each must have one entry per point.")
        self.tips = _texts(self.tips, n, "Marks.tips")
        self.popups = _texts(self.popups, n, "Marks.popups")

    def __len__(self) -> int:
        return len(self.lon)


@dataclass
class Paths:
    """Polylines, one feature per line, each a list of pieces (HTML map).

    Parameters
    ----------
    pieces : list of list of ndarray
        For each line its pieces, ``(n, 2)`` arrays of WGS84 lon/lat (several pieces for
        a line split at the antimeridian).
    style, each, tips, popups
        As for :class:`Marks`, with Leaflet polyline options (``color``, ``weight``,
        ``opacity``, ``dashArray`` ...).
    """

    pieces: list[list[np.ndarray]]
    style: dict[str, Any]
    each: list[Any] | None = None
    tips: list[str] | None = None
    popups: list[str] | None = None

    def __post_init__(self) -> None:
        self.pieces = [[np.asarray(p, dtype=float).reshape(-1, 2) for p in f] for f in self.pieces]
        n = len(self.pieces)
        if self.each is not None and len(self.each) != n:
            raise SpecificationError("Paths: each must have one entry per line.")
        self.tips = _texts(self.tips, n, "Paths.tips")
        self.popups = _texts(self.popups, n, "Paths.popups")

    def __len__(self) -> int:
        return len(self.pieces)


# --------------------------------------------------------------------------- print ink


@dataclass
class Key:
    """One entry of a print legend: a label and the ``Line2D`` keywords of its symbol.

    ``rank`` orders the entries of one legend; ``group`` names the legend (``"legend"``
    is the map's own, any other a separate legend titled ``title``).
    """

    label: str
    kw: dict[str, Any]
    rank: float = 50.0
    group: str = "legend"
    title: str | None = None


@dataclass
class Dots:
    """Points drawn with ``ax.scatter(x, y, **kw)`` in the print map's projection.

    ``inside``: only the points inside the map's extent (and ``key`` only if there are
    any). ``colourbar``: label of a colour bar for ``kw["c"]`` values with a ``cmap``.
    """

    lon: Any
    lat: Any
    kw: dict[str, Any]
    inside: bool = False
    key: Key | None = None
    colourbar: str | None = None


@dataclass
class Strokes:
    """Straight segments ``(lon0, lat0) -> (lon1, lat1)`` as one ``LineCollection``."""

    lon0: Any
    lat0: Any
    lon1: Any
    lat1: Any
    kw: dict[str, Any]
    gid: str | None = None


@dataclass
class Curves:
    """Lines through many points (``(n, 2)`` lon/lat arrays), each drawn with ``ax.plot``.

    ``seam``: split a line where it jumps across the projection's seam.
    """

    pieces: list[np.ndarray]
    kw: dict[str, Any]
    seam: bool = True


@dataclass
class Texts:
    """Labels at WGS84 points, drawn with ``ax.annotate`` (offset ``dx``, ``dy`` points)."""

    lon: Any
    lat: Any
    labels: list[str]
    kw: dict[str, Any]
    dx: float = 4.0
    dy: float = 2.0


Ink = Dots | Strokes | Curves | Texts


# --------------------------------------------------------------------------- layers


@dataclass
class LegendEntry:
    """A section of the HTML legend (escaped HTML); ``rank`` orders the sections.

    ``box``: shown in a box of its own (top left) instead of the map's legend.
    """

    html: str
    rank: float = 50.0
    box: bool = False


@dataclass
class SceneLayer:
    """One layer of a scene: what it draws on the HTML map and on the print map.

    Parameters
    ----------
    key : str
        The registration key of the builder that made it.
    name : str
        Name in the HTML map's layer control (plain text).
    parts : list of Marks or Paths
        What the HTML map draws, in order.
    show : bool, default True
        Shown when the HTML map opens (else only listed in the layer control).
    ink : list of Dots, Strokes or Curves, optional
        What the print map draws; by default the ``parts`` in print styles derived from
        their Leaflet styles.
    printed : bool, optional
        Drawn on the print map (default: ``show``).
    keys : list of Key
        Entries of the print legend (shown when the layer is printed).
    legend : list of LegendEntry
        Sections of the HTML legend.
    """

    key: str
    name: str
    parts: list[Marks | Paths]
    show: bool = True
    ink: list[Ink] | None = None
    printed: bool | None = None
    keys: list[Key] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)

    @property
    def on_print(self) -> bool:
        """Whether the print map draws this layer."""
        return self.show if self.printed is None else bool(self.printed)


@dataclass
class SceneContext:
    """What a layer builder gets: the checked inputs and the choices made for the map.

    Attributes
    ----------
    content : Content
        The checked inputs (``cand``, ``tiers``, ``scores``, ``solution``, ``demand``,
        ``partners``, ``corridors``, ``lang``, ``title``); every frame has WGS84 ``_lon``
        and ``_lat`` columns and display names in ``_name``.
    text : dict
        The map's words in its language (:data:`borderhub.maps._core.style.TEXT`).
    colour : dict
        Colour of each open centre.
    popups : dict
        Popup HTML of each candidate.
    records : dict
        Each candidate's row as a dict.
    primary, print_primary : str
        The view shown at start on the HTML map and the one the print map draws:
        ``"solution"``, ``"scores"`` or ``"tiers"`` (``"tiers"`` also without tiers).
    show_corridors : bool
        Whether the corridors are shown at start (and printed).
    flows : CrossBorderSolution, pandas.DataFrame or None
        The flows given to the map (``flows=``): a solution or its segments
        (:func:`borderhub.flowmap.flow_segments`).
    options : dict
        Further options of the map functions (e.g. ``flow_name``, ``flow_width``).
    """

    content: Any
    text: dict[str, str]
    colour: dict[Any, str]
    popups: dict[Any, str]
    records: dict[Any, dict[str, Any]]
    primary: str
    print_primary: str
    show_corridors: bool
    flows: Any = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        """The map's language."""
        return str(self.content.lang)

    def name(self, label: Any) -> str:
        """The escaped display name of a candidate."""
        return esc(self.content.cand.at[label, "_name"])


@dataclass
class Scene:
    """A map's content, built once, drawn by the HTML and the print renderer.

    Attributes
    ----------
    context : SceneContext
        The checked inputs and choices the layers were built from.
    layers : list of SceneLayer
        Bottom to top.
    choropleth : Choropleth or None
        Values and colours of the prefecture choropleth.
    labels : tuple of (list, list)
        Candidate labels to name permanently (the chosen centres, else the CORE places)
        and the others (named where room is left, or on request).
    """

    context: SceneContext
    layers: list[SceneLayer]
    choropleth: Any
    labels: tuple[list[Any], list[Any]]

    @property
    def content(self) -> Any:
        """The checked inputs (``context.content``)."""
        return self.context.content

    def legend(self) -> list[LegendEntry]:
        """The HTML legend's sections of every layer, in rank order."""
        entries = [e for layer in self.layers for e in layer.legend]
        return sorted(entries, key=lambda e: e.rank)


# --------------------------------------------------------------------------- registry

LayerBuilder = Callable[[SceneContext], list[SceneLayer]]
_BUILDERS: dict[str, LayerBuilder] = {}


def register_layer(key: str, builder: LayerBuilder, *, before: str | None = None) -> LayerBuilder:
    """Add a layer to every map: ``builder(context)`` returns the layers it draws.

    Parameters
    ----------
    key : str
        A name for the builder (unique).
    builder : callable
        ``builder(context: SceneContext) -> list[SceneLayer]``; an empty list when it has
        nothing to draw.
    before : str, optional
        Key of a registered builder to draw below (default: on top of all).

    Returns
    -------
    callable
        ``builder``.

    Raises
    ------
    SpecificationError
        A key already taken, an unknown ``before``, a builder that is not callable.

    Examples
    --------
    >>> from borderhub.maps.scene import Marks, SceneLayer, register_layer, unregister_layer
    >>> def capitals(ctx):
    ...     cand = ctx.content.cand
    ...     return [SceneLayer("capitals", "Capitals",
    ...                        [Marks(cand["_lon"], cand["_lat"], {"radius": 3})])]
    >>> _ = register_layer("capitals", capitals)
    >>> "capitals" in layer_builders()
    True
    >>> unregister_layer("capitals")
    """
    if not isinstance(key, str) or not key:
        raise SpecificationError(f"layer key must be a non-empty string, got {key!r}.")
    if key in _BUILDERS:
        raise SpecificationError(
            f"a map layer {key!r} is registered already; choose another key or "
            f"unregister_layer({key!r}) first."
        )
    if not callable(builder):
        raise SpecificationError(f"builder of layer {key!r} must be callable, got {builder!r}.")
    if before is not None and before not in _BUILDERS:
        raise SpecificationError(
            f"before={before!r} is not a registered layer; choose one of {list(_BUILDERS)}."
        )
    items = list(_BUILDERS.items())
    at = len(items) if before is None else [k for k, _ in items].index(before)
    items.insert(at, (key, builder))
    _BUILDERS.clear()
    _BUILDERS.update(items)
    return builder


def unregister_layer(key: str) -> None:
    """Remove a layer registered with :func:`register_layer`.

    Parameters
    ----------
    key : str
        The key it was registered under.

    Raises
    ------
    SpecificationError
        ``key`` is not registered.

    Examples
    --------
    >>> from borderhub.maps.scene import unregister_layer
    >>> unregister_layer("no-such-layer")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.SpecificationError: no map layer 'no-such-layer' is registered; ...
    """
    if key not in _BUILDERS:
        raise SpecificationError(
            f"no map layer {key!r} is registered; use one of {list(_BUILDERS)}."
        )
    del _BUILDERS[key]


def layer_builders() -> dict[str, LayerBuilder]:
    """The registered layer builders in drawing order (a copy).

    Examples
    --------
    >>> from borderhub.maps.scene import layer_builders
    >>> list(layer_builders())[:3]
    ['allocation', 'corridors', 'partners']
    """
    return dict(_BUILDERS)


# --------------------------------------------------------------------------- building


def build_scene(
    candidates: Any = None,
    solution: Any = None,
    partners: Any = None,
    corridors: Any = None,
    scores: Any = None,
    title: str | None = None,
    lang: str = "zh",
    demand: Any = None,
    *,
    show_corridors: bool = True,
    choropleth: Any = None,
    flows: Any = None,
    options: Mapping[str, Any] | None = None,
) -> Scene:
    """Check the inputs and build every registered layer once.

    Parameters
    ----------
    candidates, solution, partners, corridors, scores, title, lang, demand
        As in :func:`borderhub.maps.corridor_map`.
    show_corridors : bool, default True
        Show (and print) the corridors.
    choropleth : str or Series, optional
        As in :func:`borderhub.maps.corridor_map`.
    flows : CrossBorderSolution or DataFrame, optional
        Flows to draw: a solved cross-border model (routed through the map's candidates
        and partners) or the segments of :func:`borderhub.flowmap.flow_segments`.
    options : mapping, optional
        Further options for the builders (``flow_name``, ``flow_width``,
        ``flow_print_width``).

    Returns
    -------
    Scene

    Examples
    --------
    >>> import geopandas as gpd
    >>> from borderhub.maps.scene import build_scene
    >>> cand = gpd.GeoDataFrame({"name": ["Beijing", "Kunming"]}, index=["110000", "530100"],
    ...     geometry=gpd.points_from_xy([116.41, 102.83], [39.90, 24.88]), crs="EPSG:4326")
    >>> scene = build_scene(cand, solution=["530100"], corridors=None, lang="en")
    >>> [layer.name for layer in scene.layers if layer.key == "centres"]
    ['Solution · candidates not chosen', 'Solution · chosen centres']
    >>> scene.labels[0]
    ['530100']
    """
    content = prepare_map(candidates, solution, partners, corridors, scores, title, lang, demand)
    records: dict[Any, dict[str, Any]] = content.cand.to_dict("index")  # type: ignore[assignment]
    sol = content.solution
    primary = "solution" if sol is not None else "scores" if content.scores is not None else "tiers"
    print_primary = primary
    if content.scores is not None and not len(content.scores):
        print_primary = "tiers"
    ctx = SceneContext(
        content=content,
        text=TEXT[content.lang],
        colour=centre_colours(sol),
        popups={x: candidate_popup(content, x, rec) for x, rec in records.items()},
        records=records,
        primary=primary,
        print_primary=print_primary,
        show_corridors=bool(show_corridors),
        flows=flows,
        options=dict(options or {}),
    )
    layers = [layer for build in layer_builders().values() for layer in build(ctx)]
    return Scene(
        context=ctx,
        layers=layers,
        choropleth=None if choropleth is None else _choropleth(ctx, choropleth),
        labels=_labels(content),
    )


def _choropleth(ctx: SceneContext, spec: Any) -> Any:
    c = ctx.content
    sol = c.solution
    assignment = sol.assignment if sol is not None else None
    names = {f: str(c.cand.at[f, "_name"]) for f in ctx.colour}
    return cartography.make_choropleth(spec, c.demand, assignment, ctx.colour, names, c.lang)


def _labels(c: Any) -> tuple[list[Any], list[Any]]:
    """(major, minor) candidate labels: the chosen centres (else the CORE places), the rest."""
    cand = c.cand
    if c.solution is not None:
        major = list(c.solution.open)
    elif c.tiers is not None:
        major = [x for x in cand.index if any(t.name == "CORE" for t in c.tiers[x])]
    else:
        major = []
    chosen = set(major)
    return major, [x for x in cand.index if x not in chosen]
