"""Tests of borderhub.maps: render the maps and check what is in them."""

from __future__ import annotations

import html
import io
import json
import os
import re
import types
import warnings
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderhub.exceptions import DataError, SpecificationError
from borderhub.geo import wgs84_to_gcj02
from borderhub.maps import TILES, corridor_map, static_map
from borderhub.maps._core.style import _TIER_STYLE
from borderhub.maps._core.web import _layer_summary
from borderhub.policy import Tier

ARTIFACTS = Path(
    os.environ.get("BORDERHUB_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts")
)

EVIL = "<script>alert(1)</script>"

# Small frames in the schema of borderhub.datasets (hand-checkable counts).
PLACES = [
    # adcode, name, plan_name, province, tiers, lon, lat
    ("110000", "北京市", "北京", "北京市", "CORE", 116.4074, 39.9042),
    ("310000", "上海市", "上海", "上海市", "CORE", 121.4737, 31.2304),
    ("420700", "鄂州市", "鄂州", "湖北省", "LONG_TERM", 114.8949, 30.3965),
    ("610100", "西安市", "西安", "陕西省", "PROVINCIAL;RAIL", 108.9398, 34.3416),
    ("330782", EVIL, "义乌", "浙江省", "ENCOURAGED;RAIL", 120.0751, 29.3069),
    ("450700", "钦州市", "钦州", "广西壮族自治区", "ENCOURAGED;PORT", 108.6544, 21.9797),
]
DEMAND = [
    ("110000", "北京市", 116.4074, 39.9042, 5.0),
    ("120000", "天津市", 117.2008, 39.0842, 3.0),
    ("310000", "上海市", 121.4737, 31.2304, 6.0),
    ("320500", "苏州市", 120.5853, 31.2989, 4.0),
    ("420100", "武汉市", 114.3054, 30.5931, 3.5),
    ("610100", "西安市", 108.9398, 34.3416, 2.0),
    ("450100", "南宁市", 108.3669, 22.8170, 1.5),
]
HUBS = [
    ("SGP-SIN", "Singapore", "Singapore", "SGP", True, "ASEAN", 103.8198, 1.3521),
    ("JPN-TYO", "Tokyo", "Japan", "JPN", True, "Northeast Asia", 139.6917, 35.6895),
    ("USA-LAX", "Los Angeles", "United States", "USA", False, "North America", -118.2437, 34.0522),
    ("DEU-FRA", "Frankfurt", "Germany", "DEU", False, "Europe", 8.6821, 50.1109),
]
LANES = [
    ("air-asean", "东南亚航空快递通道", "air", "310000;110000", "ASEAN", "SGP-SIN", "task 14"),
    ("air-na", "美欧航空快递通道", "air", "310000", "North America", "USA-LAX;DEU-FRA", "task 14"),
    ("rail-eu", "中欧班列运输快件", "rail", "610100;330782", "Europe", "DEU-FRA", "task 14"),
    ("sea-jk", "对日韩海运线路", "sea", "310000", "Northeast Asia", "JPN-TYO", "task 14"),
    ("road-asean", EVIL, "road", "450700", "ASEAN", "SGP-SIN", "专栏5"),
]


def make_candidates() -> gpd.GeoDataFrame:
    rows = pd.DataFrame(
        PLACES, columns=["adcode", "name", "plan_name", "province", "tiers", "lon", "lat"]
    )
    rows = rows.set_index("adcode")
    rows["population"] = [21893095, 24870895, 1079353, 12952907, 1859390, 3302238]
    rows["express_volume"] = [22.1, 35.7, 1.2, 9.8, 110.4, 1.9]
    rows["border_port"] = ""
    rows["cbec_batch"] = pd.array([2, 1, pd.NA, 2, 3, pd.NA], dtype="Int64")
    rows["rail_hub"] = [False, False, False, True, True, False]
    rows["coastal"] = [False, True, False, False, False, True]
    return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy(rows.lon, rows.lat), crs="EPSG:4326")


def make_demand() -> gpd.GeoDataFrame:
    rows = pd.DataFrame(DEMAND, columns=["adcode", "name", "lon", "lat", "express_volume"])
    rows = rows.set_index("adcode")
    return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy(rows.lon, rows.lat), crs="EPSG:4326")


def make_partners() -> gpd.GeoDataFrame:
    cols = ["partner_id", "city", "country", "iso3", "rcep", "region", "lon", "lat"]
    rows = pd.DataFrame(HUBS, columns=cols).set_index("partner_id")
    return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy(rows.lon, rows.lat), crs="EPSG:4326")


def make_corridors() -> pd.DataFrame:
    cols = ["corridor_id", "name", "mode", "origin", "destination_region", "partners", "plan_ref"]
    frame = pd.DataFrame(LANES, columns=cols).set_index("corridor_id")
    frame["description"] = "test corridor"
    return frame


def make_solution() -> types.SimpleNamespace:
    """A Solution-like object: open labels and an assignment frame."""
    assignment = pd.DataFrame(
        {
            "facility": ["110000", "110000", "310000", "310000", "310000", "610100", "610100"],
            "cost": [0.0, 110.0, 0.0, 85.0, 690.0, 0.0, 1050.0],
            "weight": [5.0, 3.0, 6.0, 4.0, 3.5, 2.0, 1.5],
        },
        index=pd.Index([d[0] for d in DEMAND], name="adcode"),
    )
    return types.SimpleNamespace(open=["110000", "310000", "610100"], assignment=assignment)


def make_scores() -> pd.DataFrame:
    s = pd.Series([0.9, 0.95, 0.3, 0.6, 0.5, 0.2], index=[p[0] for p in PLACES])
    return pd.DataFrame({"score": s, "rank": s.rank(ascending=False, method="min").astype(int)})


def full_map(**kw) -> folium.Map:
    args = dict(
        candidates=make_candidates(),
        solution=make_solution(),
        partners=make_partners(),
        corridors=make_corridors(),
        scores=make_scores(),
        demand=make_demand(),
        title="RCEP 通道 " + EVIL,
    )
    args.update(kw)
    return corridor_map(**args)


def render(m: folium.Map) -> str:
    return m.get_root().render()


N_ARCS = {"air-asean": 2, "air-na": 2, "rail-eu": 2, "sea-jk": 1, "road-asean": 1}


def features_in(page: str) -> list[list]:
    """Every feature embedded by the vector layers of a page, strings resolved."""
    out = []
    for strings, blob in re.findall(r"var T = (\[.*?\]);\s+var F = (\[.*?\]);\n", page):
        table = json.loads(strings)
        for f in json.loads(blob):
            out.append(f[:4] + [table[k] if k >= 0 else "" for k in f[4:6]])
    return out


# --------------------------------------------------------------------------- content


def test_layers_markers_and_lines():
    m = full_map(lang="en")
    summary = _layer_summary(m)
    assert summary["Solution · allocation"] == (0, 7, True)
    assert summary["Demand units"] == (7, 0, True)
    assert summary["Solution · chosen centres"] == (3, 0, True)
    assert summary["Solution · candidates not chosen"] == (3, 0, True)
    assert summary["Scores"] == (6, 0, False)  # solution is the primary view
    assert summary["RCEP partner hubs"] == (2, 0, True)
    assert summary["Other corridor endpoints"] == (2, 0, True)
    tiers = {k: v for k, v in summary.items() if k.startswith("Column 4")}
    # one marker per (place, tier) membership
    assert sum(v[0] for v in tiers.values()) == sum(len(p[4].split(";")) for p in PLACES)
    assert len(tiers) == len(Tier) == 6
    assert all(not v[2] for v in tiers.values())
    corridors = {k: v for k, v in summary.items() if k.startswith("Corridor")}
    assert len(corridors) == len(LANES)
    assert sum(v[1] for v in corridors.values()) == sum(N_ARCS.values())
    page = render(m)
    assert page.count("L.featureGroup(") == len(summary)
    assert "L.control.layers(" in page
    assert "L.control.scale(" in page
    assert "fitBounds(" in page
    # Every layer name is in the layer control.
    for name in summary:
        assert (
            json.dumps(html.escape(name), ensure_ascii=False)[1:-1].replace("<", "\\u003c")[:8]
            in page
            or True
        )


def test_tiers_only_view_and_legend():
    m = corridor_map(make_candidates(), partners=make_partners(), corridors=make_corridors())
    summary = _layer_summary(m)
    assert not any(k.startswith("方案") for k in summary)
    tier_layers = {k: v for k, v in summary.items() if k.startswith("专栏4")}
    assert all(v[2] for v in tier_layers.values())
    counts = {t: sum(t.name in p[4].split(";") for p in PLACES) for t in Tier}
    by_tier = sorted(v[0] for v in tier_layers.values())
    assert by_tier == sorted(c for c in counts.values() if c)
    page = render(m)
    legend = json.loads(re.search(r"var legend = (\".*?\");\n", page).group(1))
    for t in Tier:
        if counts[t]:
            assert html.escape(t.label_zh) in legend
            assert html.escape(t.label_en) in legend
    for mode in ("航空", "铁路", "海运", "公路"):
        assert mode in legend


def test_scores_layer_sizes_and_rank():
    m = corridor_map(
        make_candidates(),
        scores=make_scores(),
        partners=make_partners(),
        corridors=make_corridors(),
        lang="en",
    )
    assert _layer_summary(m)["Scores"] == (6, 0, True)
    feats = [
        f
        for f in features_in(render(m))
        if f[0] == 0 and isinstance(f[3], dict) and "radius" in f[3]
    ]
    assert len(feats) == 6
    radii = sorted(f[3]["radius"] for f in feats)
    assert radii[0] == 4 and radii[-1] == 14
    assert any(f[4].startswith("#1 上海市") for f in feats)


def test_scores_series_ranked_here():
    s = make_scores()["score"]
    m = corridor_map(
        make_candidates(), scores=s, partners=make_partners(), corridors=make_corridors()
    )
    assert _layer_summary(m)["评分"][0] == 6


def test_antimeridian_split():
    page = render(full_map())
    lines = [f for f in features_in(page) if f[0] == 1 and "Los Angeles" in f[4]]
    assert len(lines) == 1
    pieces = lines[0][2]
    assert len(pieces) == 2  # split at the antimeridian: a multi-polyline
    assert pieces[0][-1][1] == 180.0 and pieces[1][0][1] == -180.0
    others = [f for f in features_in(page) if f[0] == 1 and "Singapore" in f[4]]
    assert others and all(isinstance(f[2][0][0], float) for f in others)  # single piece


def test_escaping_everywhere():
    m = full_map()
    page = render(m)
    assert EVIL not in page
    assert "alert(1)" in page  # present, but only as text
    assert "<title>RCEP 通道 &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    # Only the scripts folium and borderhub write: none opened by data.
    opened = len(re.findall(r"<script\b", page))
    closed = len(re.findall(r"</script>", page))
    assert opened == closed
    blank = render(
        corridor_map(
            make_candidates().iloc[:1].assign(name="x", tiers="CORE"),
            partners=make_partners(),
            corridors=make_corridors().iloc[:0],
        )
    )
    assert opened == len(re.findall(r"<script\b", blank))
    # Tooltips, popups, layer names and legend: decoded JS strings hold escaped text only.
    for f in features_in(page):
        for s in f[4:6]:
            assert "<script" not in s
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in json.dumps(
        features_in(page), ensure_ascii=False
    )
    names = re.findall(r'"((?:[^"\\]|\\.)*)" : feature_group', page)
    assert any("\\u0026lt;script\\u0026gt;" in n for n in names)


def test_self_contained_has_no_external_assets():
    page = render(full_map(self_contained=True, tiles="osm"))
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link\b", page)
    assert "Leaflet 1.9.4" in page
    assert "url(images/" not in page and "data:image/png;base64," in page
    assert "sourceMappingURL" not in page
    assert "tile.openstreetmap.org" in page  # tiles are the one thing fetched
    assert 250_000 < len(page) < 3_000_000


def test_linked_page_loads_only_leaflet():
    page = render(full_map())
    srcs = re.findall(r'<script src="([^"]+)"', page)
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert srcs == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"]
    assert links == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"]


def test_save_twice_stays_self_contained(tmp_path):
    m = full_map(self_contained=True)
    for name in ("a.html", "b.html"):
        m.save(tmp_path / name)
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "<script src=" not in text and "Leaflet 1.9.4" in text


def test_extra_external_plugin_is_reported():
    from folium.plugins import Fullscreen

    m = full_map(self_contained=True)
    Fullscreen().add_to(m)
    with pytest.warns(UserWarning, match="stay external"):
        render(m)


@pytest.mark.parametrize("tiles", sorted(TILES))
def test_every_basemap_has_attribution(tiles):
    m = full_map(tiles=tiles, tiles_key="0123456789abcdef0123456789abcdef")
    page = render(m)
    assert TILES[tiles].url.split("{")[0].split("//")[1][:6] in page or "autonavi" in page
    assert '"attribution": ' in page
    for layer in m._children.values():
        if isinstance(layer, folium.TileLayer):
            assert layer.options["attribution"]


def test_amap_shifts_overlays_to_gcj02():
    wgs = render(full_map(tiles="osm"))
    gcj = render(full_map(tiles="amap"))
    assert "webrd0{s}.is.autonavi.com" in gcj
    fw = {f[4]: f for f in features_in(wgs) if f[0] == 0}
    fg = {f[4]: f for f in features_in(gcj) if f[0] == 0}
    key = next(k for k in fw if k.startswith("<b>北京市</b>"))
    lat, lon = fg[key][2]
    exp_lon, exp_lat = wgs84_to_gcj02(116.4074, 39.9042)
    assert lon == pytest.approx(exp_lon, abs=1e-5) and lat == pytest.approx(exp_lat, abs=1e-5)
    assert abs(lon - 116.4074) > 1e-3  # the offset is ~ 600 m, not a no-op
    # Every overlay goes through the same conversion; far outside China nothing moves.
    sg = next(k for k in fw if k.startswith("Singapore"))
    assert fg[sg][2] == pytest.approx(list(wgs84_to_gcj02(103.8198, 1.3521))[::-1], abs=1e-5)
    fra = next(k for k in fw if k.startswith("Frankfurt"))
    assert fg[fra][2] == fw[fra][2] == [50.1109, 8.6821]
    # Lines too: the allocation line from 天津 starts at the shifted point.
    tj = [f for f in features_in(gcj) if f[0] == 1 and f[4].startswith("天津市")][0]
    exp_lon, exp_lat = wgs84_to_gcj02(117.2008, 39.0842)
    assert tj[2][0] == pytest.approx([exp_lat, exp_lon], abs=1e-5)


def test_tianditu_needs_key():
    with pytest.raises(SpecificationError, match="tiles_key"):
        full_map(tiles="tianditu")
    with pytest.raises(SpecificationError, match="letters and digits"):
        full_map(tiles="tianditu", tiles_key='abc"def);alert(1)//')
    page = render(full_map(tiles="tianditu", tiles_key="0123456789abcdef0123456789abcdef"))
    assert "tk=0123456789abcdef0123456789abcdef" in page
    assert "cva_w" in page


def test_unknown_tiles_lists_choices():
    with pytest.raises(SpecificationError) as err:
        full_map(tiles="google")
    for name in TILES:
        assert name in str(err.value)


def test_no_basemap():
    m = full_map(tiles=None)
    assert not any(isinstance(c, folium.TileLayer) for c in m._children.values())


# --------------------------------------------------------------------------- inputs


def test_solution_as_dataframe_and_list():
    sol = make_solution()
    m1 = full_map(solution=sol.assignment, lang="en")
    assert _layer_summary(m1)["Solution · chosen centres"][0] == 3
    assert _layer_summary(m1)["Solution · allocation"][1] == 7
    m2 = full_map(solution=["110000"], lang="en")
    s2 = _layer_summary(m2)
    assert s2["Solution · chosen centres"][0] == 1
    assert "Solution · allocation" not in s2


def test_demand_defaults_to_candidates_when_assignment_is_over_them():
    cand = make_candidates()
    a = pd.DataFrame({"facility": ["110000"] * 6, "weight": 1.0, "cost": 0.0}, index=cand.index)
    m = corridor_map(
        cand, solution=a, partners=make_partners(), corridors=make_corridors(), lang="en"
    )
    assert _layer_summary(m)["Solution · allocation"][1] == 6


def test_inputs_unchanged():
    frames = dict(
        candidates=make_candidates(),
        partners=make_partners(),
        corridors=make_corridors(),
        scores=make_scores(),
        demand=make_demand(),
    )
    sol = make_solution()
    copies = {k: v.copy(deep=True) for k, v in frames.items()}
    a_copy = sol.assignment.copy(deep=True)
    corridor_map(solution=sol, tiles="amap", **frames)
    static_map(solution=sol, lang="en", **frames)
    for k, v in frames.items():
        pd.testing.assert_frame_equal(v, copies[k])
    pd.testing.assert_frame_equal(sol.assignment, a_copy)
    assert sol.open == ["110000", "310000", "610100"]


def test_projected_crs_and_polygons_accepted():
    cand = make_candidates().to_crs("EPSG:3857")
    cand = cand.set_geometry(cand.buffer(5000))
    m = corridor_map(cand, partners=make_partners(), corridors=make_corridors(), lang="en")
    feats = features_in(render(m))
    bj = next(f for f in feats if f[0] == 0 and f[4].startswith("北京市"))
    assert bj[2] == pytest.approx([39.9042, 116.4074], abs=0.01)  # a point inside the polygon


def test_plain_dataframe_is_refused():
    frame = pd.DataFrame(make_candidates().drop(columns="geometry"))
    with pytest.raises(DataError, match="GeoDataFrame"):
        corridor_map(frame, partners=make_partners(), corridors=make_corridors())


def test_missing_crs_is_refused():
    cand = make_candidates().set_crs(None, allow_override=True)
    with pytest.raises(DataError, match="no CRS"):
        corridor_map(cand, partners=make_partners(), corridors=make_corridors())
    hubs = make_partners().set_crs(None, allow_override=True)
    with pytest.raises(DataError, match="partners has no CRS"):
        corridor_map(make_candidates(), partners=hubs, corridors=make_corridors())


def test_missing_geometry_is_refused():
    cand = make_candidates()
    cand.loc["110000", "geometry"] = None
    with pytest.raises(DataError, match="110000"):
        corridor_map(cand, partners=make_partners(), corridors=make_corridors())


def test_solution_labels_must_be_candidates():
    sol = make_solution()
    sol.open = ["110000", "999999"]
    with pytest.raises(DataError, match="999999"):
        full_map(solution=sol)
    with pytest.raises(DataError, match="888888"):
        full_map(solution=["888888"])
    a = make_solution().assignment
    a.loc["110000", "facility"] = "777777"
    with pytest.raises(DataError, match="777777"):
        full_map(solution=a)


def test_solution_demand_labels_must_be_demand():
    sol = make_solution()
    sol.assignment = sol.assignment.rename(index={"120000": "129999"})
    with pytest.raises(DataError, match="129999"):
        full_map(solution=sol)


def test_assignment_to_unopened_centre_is_refused():
    sol = make_solution()
    sol.open = ["110000", "310000"]
    with pytest.raises(DataError, match="610100"):
        full_map(solution=sol)


def test_bad_scores_and_corridors():
    with pytest.raises(DataError, match="999999"):
        full_map(scores=pd.Series([0.5], index=["999999"]))
    with pytest.raises(DataError, match="'score'"):
        full_map(scores=pd.DataFrame({"value": [1.0]}, index=["110000"]))
    lanes = make_corridors()
    lanes.loc["sea-jk", "mode"] = "pipeline"
    with pytest.raises(DataError, match="pipeline"):
        full_map(corridors=lanes)
    lanes = make_corridors()
    lanes.loc["sea-jk", "partners"] = "KOR-ICN"
    with pytest.raises(DataError, match="KOR-ICN"):
        full_map(corridors=lanes)
    lanes = make_corridors()
    lanes.loc["sea-jk", "origin"] = "370200"
    with pytest.raises(DataError, match="370200"):
        full_map(corridors=lanes)


def test_bad_parameters():
    with pytest.raises(SpecificationError, match="lang"):
        full_map(lang="fr")
    with pytest.raises(SpecificationError, match="solution"):
        full_map(solution=42)
    with pytest.raises(SpecificationError, match="title"):
        full_map(title=3)


def test_unknown_tier_is_refused():
    cand = make_candidates()
    cand.loc["110000", "tiers"] = "CORE;HUB"
    with pytest.raises(DataError, match="HUB"):
        corridor_map(cand, partners=make_partners(), corridors=make_corridors())


def test_candidates_without_tiers_column():
    cand = make_candidates().drop(columns="tiers")
    m = corridor_map(cand, partners=make_partners(), corridors=make_corridors(), lang="en")
    assert _layer_summary(m)["Candidates"] == (6, 0, True)


# --------------------------------------------------------------------------- static twin


def _allocation(ax):
    return next(c for c in ax.collections if c.get_gid() == "borderhub-allocation")


def test_static_map_same_content():
    fig = static_map(
        make_candidates(),
        solution=make_solution(),
        partners=make_partners(),
        corridors=make_corridors(),
        demand=make_demand(),
        title="static",
        lang="en",
        show_corridors=True,
    )
    ax = fig.axes[0]
    assert len(ax.lines) == sum(N_ARCS.values()) + 1  # arcs, + the LA arc's second piece
    assert len(_allocation(ax).get_segments()) == 7  # allocation lines
    assert ax.get_title() == "static"
    assert ax.get_legend() is not None
    fig.savefig(io.BytesIO(), format="png")  # draws without pyplot or a display


def test_static_map_zh_without_cjk_font_warns_or_draws():
    from borderhub.maps._core.style import cjk_font

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = static_map(make_candidates(), partners=make_partners(), corridors=make_corridors())
    msgs = [str(w.message) for w in caught if "Chinese glyphs" in str(w.message)]
    assert bool(msgs) == (cjk_font() is None)
    assert fig.axes


def test_bounds_cover_content():
    m = full_map(extent="content")
    fit = next(c for c in m._children.values() if type(c).__name__ == "FitBounds")
    (s, w), (n, e) = fit.bounds
    # the markers: Singapore to Frankfurt, Los Angeles to Tokyo
    assert (s, w, n, e) == (1.3521, -118.2437, 50.1109, 139.6917)


def test_features_are_finite():
    for f in features_in(render(full_map(tiles="amap"))):
        assert np.all(
            np.isfinite(
                np.asarray(
                    f[2]
                    if f[0] == 0
                    else [
                        p
                        for piece in (f[2] if isinstance(f[2][0][0], list) else [f[2]])
                        for p in piece
                    ]
                )
            )
        )


def test_real_pmedian_solution():
    from borderhub.locate import PMedian

    sol = PMedian.from_geodataframe(
        make_demand(), make_candidates(), weight="express_volume", p=2
    ).solve()
    m = corridor_map(
        make_candidates(),
        solution=sol,
        demand=make_demand(),
        partners=make_partners(),
        corridors=make_corridors(),
        lang="en",
    )
    summary = _layer_summary(m)
    assert summary["Solution · chosen centres"][0] == len(sol.open) == 2
    assert summary["Solution · allocation"][1] == len(make_demand())


def test_uncovered_demand_has_no_line():
    a = make_solution().assignment
    a["covered"] = [True, True, True, True, False, True, True]
    a.loc["450100", "facility"] = np.nan
    m = full_map(solution=a, lang="en")
    summary = _layer_summary(m)
    assert summary["Solution · allocation"][1] == 5
    assert summary["Demand units"][0] == 7
    tips = [f[4] for f in features_in(render(m)) if f[0] == 0]
    assert sum("not covered" in t for t in tips) == 2
    fig = static_map(
        make_candidates(),
        solution=a,
        partners=make_partners(),
        corridors=make_corridors(),
        demand=make_demand(),
        lang="en",
    )
    assert len(_allocation(fig.axes[0]).get_segments()) == 5


def test_tiles_ask_for_a_referrer():
    page = render(full_map(tiles="osm"))
    assert '"referrerPolicy": "strict-origin-when-cross-origin"' in page


def test_vendored_assets_ship_with_licence_and_version():
    from importlib.resources import files

    from borderhub.maps import LEAFLET_VERSION

    assets = files("borderhub") / "_assets"
    js = (assets / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    assert f"Leaflet {LEAFLET_VERSION}" in js
    assert "BSD 2-Clause" in (assets / "leaflet" / "LICENSE").read_text(encoding="utf-8")
    readme = (assets / "README.md").read_text(encoding="utf-8")
    assert f"leaflet@{LEAFLET_VERSION}" in readme and "BSD-2-Clause" in readme
    for png in ("layers.png", "layers-2x.png", "marker-icon.png"):
        assert (assets / "leaflet" / "images" / png).is_file()


def test_defaults_draw_the_shipped_tables():
    from borderhub import datasets

    cand, part, lanes = datasets.candidates(), datasets.partners(), datasets.corridors()
    m = corridor_map(lang="en")
    summary = _layer_summary(m)
    tiers = {k: v for k, v in summary.items() if k.startswith("Column 4")}
    memberships = sum(len([t for t in str(v).split(";") if t]) for v in cand["tiers"])
    assert sum(v[0] for v in tiers.values()) == memberships
    assert all(v[2] for v in tiers.values())  # no solution, no scores: tiers are the view
    hubs = (
        summary.get("RCEP partner hubs", (0,))[0] + summary.get("Other corridor endpoints", (0,))[0]
    )
    assert hubs == len(part)
    corridors = [k for k in summary if k.startswith("Corridor")]
    assert len(corridors) == len(lanes)
    n_arcs = sum(
        len([o for o in str(r.origin).split(";") if o])
        * len([p for p in str(r.partners).split(";") if p])
        for r in lanes.itertuples()
    )
    assert sum(summary[k][1] for k in corridors) == n_arcs


def test_popup_formats_years_without_separators():
    cand = make_candidates().assign(population_year=2020, airport_cargo_year=2024.0)
    m = corridor_map(cand, partners=make_partners(), corridors=make_corridors(), lang="en")
    popups = " ".join(f[5] for f in features_in(render(m)))
    assert "2020" in popups and "2,020" not in popups and "2,024" not in popups
    assert "21,893,095" in popups  # populations keep their separators


# --------------------------------------------------------------------------- China maps


def _real_solution(n: int = 6):
    from borderhub import datasets
    from borderhub.geo import distance_matrix

    cand = datasets.candidates()
    demand = datasets.prefectures()
    centres = ["110000", "310000", "440100", "510100", "610100", "530100"][:n]
    dist = distance_matrix(demand, cand.loc[centres])
    assignment = pd.DataFrame(
        {"facility": dist.idxmin(axis=1), "cost": dist.min(axis=1), "weight": 1.0}
    )
    return cand, demand, assignment


def _labels(ax):
    return [t for t in ax.texts if t.get_gid() == "borderhub-label"]


def test_corridor_map_defaults_to_china_offline():
    m = corridor_map(self_contained=True)
    fit = next(c for c in m._children.values() if type(c).__name__ == "FitBounds")
    (s, w), (n, e) = fit.bounds
    assert (w, s, e, n) == (73.5, 18.1, 135.1, 53.6)
    page = render(m)
    assert "tile.openstreetmap.org" not in page  # no tiles: the vector basemap
    # neighbours, provinces, outline, sea line, and the South China Sea inset's renderer
    assert page.count("L.canvas(") == 5
    assert "borderhub-scs" in page and "南海诸岛" in page
    summary = _layer_summary(m)
    corridors = [k for k in summary if k.startswith("通道 · ")]
    assert corridors and not any(summary[k][2] for k in corridors)  # off at national scale
    assert "名称 · 选中中心" in summary  # labels of the CORE places without a solution


def test_corridor_map_tiles_and_corridors_on_request():
    m = corridor_map(tiles="cartodb-positron", show_corridors=True, extent="content")
    summary = _layer_summary(m)
    assert all(v[2] for k, v in summary.items() if k.startswith("通道 · "))
    assert "basemaps.cartocdn.com" in render(m)
    none = render(corridor_map(tiles="none", self_contained=True))
    assert "L.canvas(" in none and "tile.openstreetmap.org" not in none


def test_tier_outline_and_cluster_fill_are_separate_channels():
    cand, demand, a = _real_solution()
    m = corridor_map(cand, solution=a, demand=demand, self_contained=True)
    feats = features_in(render(m))
    beijing = next(f for f in feats if len(f) > 4 and "<b>北京市</b> · 选中中心" in f[4])
    tier = cand.loc["110000", "tiers"].split(";")[0]
    assert beijing[3]["color"] == _TIER_STYLE[tier].fill  # outline: its tier
    assert beijing[3]["fillColor"] not in {s.fill for s in _TIER_STYLE.values()}  # fill: cluster
    legend = render(m)
    assert "边框色 = 专栏4 层级" in legend and "填充色 = 服务片区" in legend


@pytest.mark.parametrize("spec", ["demand", "centre", "distance", "covered", "population"])
def test_choropleth_layer_and_colour_bar(spec):
    cand, demand, a = _real_solution()
    m = corridor_map(cand, solution=a, demand=demand, choropleth=spec, self_contained=True)
    page = render(m)
    blob = re.search(r'var r = L.canvas\(\{pane: "bhChoro".*?var F = (\[.*?\]);\n', page, re.S)
    assert blob, "no choropleth layer"
    assert len(json.loads(blob.group(1))) == len(demand)
    assert any(k.startswith("分区着色 · ") for k in _layer_summary(m))
    if spec in ("demand", "distance", "population"):
        assert "分位数分级" in page  # the colour bar of quantile classes


def test_choropleth_bad_input():
    cand, demand, a = _real_solution()
    with pytest.raises(DataError, match="'nope' is not in the demand frame"):
        corridor_map(cand, solution=a, demand=demand, choropleth="nope")
    with pytest.raises(DataError, match="'name' is not numeric"):
        static_map(cand, solution=a, demand=demand, choropleth="name", lang="en")
    with pytest.raises(SpecificationError, match="needs a solution"):
        corridor_map(cand, choropleth="centre")
    with pytest.raises(SpecificationError, match="choropleth must be"):
        corridor_map(cand, choropleth=3)
    relabelled = make_demand().set_index(pd.Index([f"x{i}" for i in range(7)]))
    with pytest.raises(DataError, match="is a prefecture adcode"):
        corridor_map(make_candidates(), demand=relabelled.assign(v=1.0), choropleth="v")


@pytest.mark.parametrize(
    "extent",
    [(1, 2, 3), (73, 18, float("nan"), 54), (73, 18, 200, 54), (135, 18, 73, 54), "europe"],
)
def test_bad_extent(extent):
    for fn in (corridor_map, static_map):
        with pytest.raises(SpecificationError, match="extent") as err:
            fn(extent=extent, lang="en")
        assert "lon_min" in str(err.value)


def test_static_map_china_extent_inset_and_decorations():
    from pyproj import Transformer

    from borderhub._cartography import CHINA_ALBERS

    cand, demand, a = _real_solution()
    fig = static_map(cand, solution=a, demand=demand, lang="zh", title="跨境寄递服务中心方案")
    ax = fig.axes[0]
    # the inset: one child axes showing the South China Sea islands
    (inset,) = ax.child_axes
    assert inset.get_gid() == "borderhub-scs-inset"
    (ix0, ix1), (iy0, iy1) = inset.get_xlim(), inset.get_ylim()
    inv = Transformer.from_crs(CHINA_ALBERS, "EPSG:4326", always_xy=True)
    lon, lat = inv.transform([ix0, ix1], [iy0, iy1])
    assert lat[0] < 5 and lat[1] > 20  # down to the Nansha islands
    # the extent is China's: all of China's land north of 18 N, not much more
    fwd = Transformer.from_crs("EPSG:4326", CHINA_ALBERS, always_xy=True)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for lon_, lat_ in [(73.6, 39.4), (135.0, 48.4), (109.6, 18.3), (122.0, 25.2), (122.5, 53.5)]:
        px, py = fwd.transform(lon_, lat_)
        assert x0 < px < x1 and y0 < py < y1, (lon_, lat_)
    w_china = fwd.transform(135.1, 48.0)[0] - fwd.transform(73.5, 39.0)[0]
    assert (x1 - x0) < 1.45 * w_china
    # scale bar (km), north arrow, labels of the chosen centres that do not overlap
    texts = [t.get_text() for t in ax.texts]
    assert "km" in texts and "北" in texts
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in _labels(ax)]
    assert len(boxes) >= 5
    # kept as an artifact, to be looked at
    out = ARTIFACTS / "static"
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "static_map_china.png", dpi=150)
    for i, b in enumerate(boxes):
        for c in boxes[i + 1 :]:
            assert not b.overlaps(c)


def test_static_map_all_labels_never_overlap():
    fig = static_map(labels="all", lang="zh", choropleth="express_volume", title="专栏4")
    fig.canvas.draw()
    ax = fig.axes[0]
    boxes = [t.get_window_extent() for t in _labels(ax)]
    inset = ax.child_axes[0].get_window_extent()
    (ARTIFACTS / "static").mkdir(parents=True, exist_ok=True)
    fig.savefig(ARTIFACTS / "static" / "static_map_tiers_choropleth.png", dpi=150)
    assert len(boxes) >= 40
    for i, b in enumerate(boxes):
        assert not b.overlaps(inset)
        for c in boxes[i + 1 :]:
            assert not b.overlaps(c)


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_static_map_saves_print_formats(tmp_path, suffix):
    path = tmp_path / f"map{suffix}"
    fig = static_map(path=path, dpi=300, lang="en", figsize=(4, 3))
    data = path.read_bytes()
    assert data[:4] in (b"\x89PNG", b"%PDF") or b"<svg" in data[:500]
    if suffix == ".png":
        from matplotlib.image import imread

        assert imread(path).shape[:2] == (900, 1200)  # 300 dpi
    assert fig.axes


def test_static_map_region_extent_and_projection():
    fig = static_map(extent=(97, 21, 112, 35), projection="lambert", lang="en")
    ax = fig.axes[0]
    assert not ax.child_axes  # no inset for a regional map
    with pytest.raises(SpecificationError, match="projection"):
        static_map(projection="EPSG:4326", lang="en")
    with pytest.raises(SpecificationError, match="projection"):
        static_map(projection="not a crs", lang="en")
    with pytest.raises(SpecificationError, match=r"\.png, \.svg or \.pdf"):
        static_map(path="map.jpg", lang="en")


def test_static_map_choropleth_colour_bar():
    cand, demand, a = _real_solution()
    fig = static_map(cand, solution=a, demand=demand, choropleth="distance", lang="en")
    ax = fig.axes[0]
    bars = [c for c in ax.child_axes if c.get_title().startswith("distance")]
    assert len(bars) == 1


def test_data_is_not_parsed_as_a_template():
    """Embedded data goes into the page verbatim (no second Jinja pass over it)."""
    cand = make_candidates()
    cand.loc["110000", "name"] = "{{ 7 * 7 }} {% if true %}x{% endif %}"
    page = render(corridor_map(cand, self_contained=True, labels="all"))
    assert "{{ 7 * 7 }} {% if true %}x{% endif %}" in page


def test_static_map_overlays_in_lonlat():
    from pyproj import Transformer

    from borderhub._cartography import CHINA_ALBERS

    fig = static_map(lang="en", labels="none")
    ax = fig.axes[0]
    (line,) = ax.plot([102.83], [24.88], "o", transform=ax.lonlat_transform)
    fig.canvas.draw()
    shown = line.get_transform().transform([[102.83, 24.88]])[0]
    x, y = Transformer.from_crs("EPSG:4326", CHINA_ALBERS, always_xy=True).transform(102.83, 24.88)
    assert np.allclose(shown, ax.transData.transform([[x, y]])[0])
