"""The map scene: one picture built once, drawn by the HTML and the print renderer.

A layer registered here, in the test file alone, must appear on both maps; flows enter
both renderers through the scene; the old import paths keep working.
"""

from __future__ import annotations

import ast
import html
from pathlib import Path

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import borderhub.maps as bh_maps
from borderhub import datasets
from borderhub.exceptions import SpecificationError
from borderhub.maps import corridor_map, register_layer, static_map, unregister_layer
from borderhub.maps._core.web import _layer_summary
from borderhub.maps.scene import Curves, Dots, Marks, Paths, SceneLayer, build_scene

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]

# two places and a line between them, far from any built-in marker colour
PORTS = {"lon": [101.1, 121.5], "lat": [21.2, 31.2], "names": ["Port <A>", "Port B"]}
PORT_FILL = "#00ff7f"
LINE_COLOUR = "#ff00ff"


def cand() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["北京市", "昆明市", "上海市"], "tiers": ["CORE", "CORE", "CORE;PORT"]},
        index=pd.Index(["110000", "530100", "310000"], name="adcode"),
        geometry=gpd.points_from_xy([116.41, 102.83, 121.47], [39.90, 24.88, 31.23]),
        crs="EPSG:4326",
    )


def no_corridors() -> pd.DataFrame:
    return datasets.corridors().iloc[:0]


def port_layer(ctx):
    """A layer defined only here: two ports and the line between them (no print ink)."""
    tips = [html.escape(n) for n in PORTS["names"]]
    marks = Marks(PORTS["lon"], PORTS["lat"], {"radius": 7, "fillColor": PORT_FILL}, tips=tips)
    line = Paths([[np.column_stack([PORTS["lon"], PORTS["lat"]])]], {"color": LINE_COLOUR})
    return [SceneLayer("test_ports", "Test ports", [marks, line])]


@pytest.fixture
def registered():
    register_layer("test_ports", port_layer)
    try:
        yield
    finally:
        unregister_layer("test_ports")


def _print_points(ax, colour):
    """Projected offsets of the scatter collections filled with ``colour``."""
    out = []
    for coll in ax.collections:
        faces = coll.get_facecolors()
        if len(faces) and to_hex(faces[0]) == colour:
            out.append(coll.get_offsets())
    return out


def test_a_layer_registered_in_the_test_file_is_drawn_on_both_maps(registered):
    m = corridor_map(cand(), corridors=no_corridors(), self_contained=True)
    summary = _layer_summary(m)
    assert summary["Test ports"] == (2, 1, True)
    page = m.get_root().render()
    # escaped, then JSON-encoded with & as \\u0026
    assert "Port \\u0026lt;A\\u0026gt;" in page and PORT_FILL in page and LINE_COLOUR in page

    fig = static_map(cand(), corridors=no_corridors(), figsize=(5, 4), lang="en")
    ax = fig.axes[0]
    found = _print_points(ax, PORT_FILL)
    assert len(found) == 1 and len(found[0]) == 2
    # drawn where the ports are: the map's lon/lat transform gives the same display points
    want = ax.lonlat_transform.transform(np.column_stack([PORTS["lon"], PORTS["lat"]]))
    got = ax.transData.transform(found[0])
    np.testing.assert_allclose(got, want, atol=1e-6)
    lines = [ln for ln in ax.lines if to_hex(ln.get_color()) == LINE_COLOUR]
    assert len(lines) == 1 and len(lines[0].get_xdata()) == 2


def test_unregistered_layer_is_gone_and_registration_is_checked(registered):
    with pytest.raises(SpecificationError, match="registered already"):
        register_layer("test_ports", port_layer)
    with pytest.raises(SpecificationError, match="before="):
        register_layer("other", port_layer, before="no-such-layer")
    with pytest.raises(SpecificationError, match="callable"):
        register_layer("other", "not a function")  # type: ignore[arg-type]
    unregister_layer("test_ports")
    try:
        m = corridor_map(cand(), corridors=no_corridors(), self_contained=True)
        assert "Test ports" not in _layer_summary(m)
    finally:
        register_layer("test_ports", port_layer)  # for the fixture to remove


def test_before_puts_a_layer_below_another():
    def under(ctx):
        return [SceneLayer("under", "Under the centres", [Marks([100.0], [30.0], {})])]

    register_layer("under", under, before="centres")
    try:
        scene = build_scene(cand(), solution=["110000"], corridors=no_corridors(), lang="en")
        keys = [layer.key for layer in scene.layers]
        assert keys.index("under") < keys.index("centres")
        assert keys.index("under") > keys.index("tiers")
    finally:
        unregister_layer("under")


def test_explicit_print_ink_replaces_the_derived_one():
    def both(ctx):
        ink = [Dots([110.0], [30.0], {"s": 40, "c": "#123456", "zorder": 6})]
        marks = Marks([110.0], [30.0], {"fillColor": "#abcdef"})
        return [SceneLayer("both", "Both", [marks], ink=ink, printed=True, show=False)]

    register_layer("both", both)
    try:
        ax = static_map(cand(), corridors=no_corridors(), figsize=(5, 4), lang="en").axes[0]
        assert len(_print_points(ax, "#123456")) == 1
        assert _print_points(ax, "#abcdef") == []
        m = corridor_map(cand(), corridors=no_corridors())
        assert _layer_summary(m)["Both"] == (1, 0, False)  # listed, hidden at start
    finally:
        unregister_layer("both")


def test_the_scene_is_built_once_per_map(monkeypatch):
    import borderhub.maps.leaflet as leaflet
    import borderhub.maps.printmap as printmap

    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return build_scene(*args, **kwargs)

    monkeypatch.setattr(leaflet, "build_scene", counting)
    monkeypatch.setattr(printmap, "build_scene", counting)
    corridor_map(cand(), solution=["530100"], corridors=no_corridors())
    assert len(calls) == 1
    static_map(cand(), solution=["530100"], corridors=no_corridors(), figsize=(4, 3), lang="en")
    assert len(calls) == 2


def test_both_renderers_draw_the_same_layers_of_a_solution():
    scene = build_scene(
        cand(), solution=["530100", "110000"], corridors=no_corridors(), show_corridors=False
    )
    names = {layer.name for layer in scene.layers if layer.parts}
    m = corridor_map(cand(), solution=["530100", "110000"], corridors=no_corridors())
    summary = _layer_summary(m)
    assert names <= set(summary)
    # the solution view is printed: the centres; the tiers and the partner hubs (shown
    # with the corridors only) stay on the HTML map
    printed = [layer for layer in scene.layers if layer.on_print]
    assert [layer.key for layer in printed] == ["centres", "centres"]
    halo, ink = printed[1].ink  # a white halo under each centre: legible on any fill
    assert isinstance(ink, Dots) and ink.kw["s"] == 70 and len(ink.lon) == 2
    assert halo.kw["c"] == "#ffffff" and halo.kw["s"] > ink.kw["s"] and len(halo.lon) == 2


@pytest.fixture(scope="module")
def south():
    from borderhub.locate import solve_crossborder

    c = datasets.candidates().loc[["530100", "532500", "450100"]]
    d = datasets.prefectures().loc[["530100", "532500", "450100"]]
    p = datasets.partners().loc[["VNM-HAN", "THA-BKK"]]
    return solve_crossborder(c, d, p, p=2), c, p


def test_flows_enter_both_renderers_through_the_scene(south):
    from borderhub.flowmap import add_flow_layer, flow_segments

    sol, c, p = south
    seg = flow_segments(sol, c, p)
    scene = build_scene(c, partners=p, corridors=no_corridors(), flows=sol)
    (layer,) = [x for x in scene.layers if x.key == "flows"]
    lines, circles = layer.parts
    assert len(circles) == seg["gateway"].nunique()
    assert len([i for i in layer.ink if isinstance(i, Curves)]) == len(seg)

    m = corridor_map(
        c, partners=p, corridors=no_corridors(), flows=sol, self_contained=True, lang="en"
    )
    drawn = _layer_summary(m)["Cross-border flows"]
    zh = corridor_map(c, partners=p, corridors=no_corridors(), flows=sol, self_contained=True)
    assert _layer_summary(zh)["跨境流向"] == drawn  # the map's language names the layer
    assert drawn == (len(circles), len(lines), True)
    # the same layer, added to a map afterwards
    m2 = add_flow_layer(corridor_map(c, partners=p, corridors=no_corridors()), sol, c, p)
    assert _layer_summary(m2)["Cross-border flows"] == drawn

    ax = static_map(c, partners=p, corridors=no_corridors(), flows=sol, figsize=(5, 4),
                    lang="en").axes[0]  # fmt: skip
    widest = max(line.get_linewidth() for line in ax.lines)
    assert widest == pytest.approx(6.0)
    assert any(leg.get_title().get_text().startswith("flows") for leg in _legends(ax))


def _legends(ax):
    from matplotlib.legend import Legend

    return [a for a in ax.get_children() if isinstance(a, Legend)]


def test_old_import_paths_keep_working():
    import borderhub._cartography as old_carto
    import borderhub.flowmap as flowmap
    import borderhub.flows as flows
    import borderhub.locate as locate
    import borderhub.locate.crossborder as crossborder
    from borderhub.maps import cartography

    assert bh_maps.corridor_map is corridor_map and bh_maps.static_map is static_map
    assert callable(bh_maps.TILES["osm"].url.format) and bh_maps.LEAFLET_VERSION
    assert old_carto.CHINA_ALBERS == cartography.CHINA_ALBERS
    assert old_carto.make_choropleth is cartography.make_choropleth
    for name in flowmap.__all__:
        assert getattr(flowmap, name) is not None
    assert locate.gateways is flows.gateways and locate.gateway_costs is flows.gateway_costs
    assert crossborder.DEFAULT_MODES is flows.DEFAULT_MODES
    assert crossborder.LANDLOCKED is flows.LANDLOCKED


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_map_modules_take_no_domain_data_from_the_models():
    """Output modules read gateways from borderhub.flows, never from a model file."""
    files = [
        *sorted((ROOT / "borderhub" / "maps").rglob("*.py")),
        ROOT / "borderhub" / "flowmap.py",
    ]
    assert len(files) > 8
    for path in files:
        bad = sorted(m for m in _imports(path) if m.startswith("borderhub.locate"))
        assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"
