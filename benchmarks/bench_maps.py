"""Benchmark corridor_map: build + render time and page size of the full map.

The map: the 60 places of 专栏4, the 367 demand units allocated to a set of centres, the
partner hubs and every corridor (great-circle arcs from each origin to each partner), with
scores, title and legend -- built with and without ``self_contained``. As a peer, the same
points drawn in the same run with geopandas' ``GeoDataFrame.explore()`` (folium markers,
one per row, popups and tooltips of every column), and the same markers and lines drawn
the usual folium way, one ``CircleMarker``/``PolyLine`` object (with tooltip and popup)
each.

A second part times the China maps: the self-contained map with the 367-prefecture
choropleth (assigned centre), the 60 candidates and the solution, against geopandas'
``explore()`` of the same prefecture polygons coloured by the same column; and
:func:`borderhub.static_map` with the boundaries, the South China Sea inset and a
choropleth, drawn at 100 dpi and saved as a 300 dpi PNG, against a plain geopandas plot of
the same layers (no inset, labels or decorations). The static target applies to building
and drawing the figure (``draw_s``); the 300 dpi PNG export is reported beside it.

Targets (issue 5): build + render under 2 s, page under 3 MB. Issue 13: the choropleth map
under 2 s and 5 MB; the static map with boundaries and inset under 3 s.

    python benchmarks/bench_maps.py [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

import _checkout  # noqa: F401  (this checkout's borderhub, not the installed one)
import folium
import geopandas as gpd
import pandas as pd

import borderhub
from borderhub import datasets
from borderhub.geo import distance_matrix
from borderhub.maps import corridor_map, static_map
from borderhub.maps._core.web import VectorLayer, _layer_summary


def inputs(n_centres: int = 8) -> dict:
    cand = datasets.candidates()
    demand = datasets.prefectures()
    partners = datasets.partners()
    corridors = datasets.corridors()
    centres = cand.sort_values("express_volume", ascending=False).index[:n_centres].tolist()
    dist = distance_matrix(demand, cand.loc[centres])
    assignment = pd.DataFrame(
        {
            "facility": dist.idxmin(axis=1),
            "cost": dist.min(axis=1),
            "weight": demand["express_volume"],
        }
    )
    volume = cand["express_volume"]
    scores = pd.DataFrame({"score": (volume - volume.min()) / (volume.max() - volume.min())})
    return dict(
        candidates=cand,
        demand=demand,
        partners=partners,
        corridors=corridors,
        solution=assignment,
        scores=scores,
    )


def time_it(fn, repeat: int) -> tuple[float, float, int, object]:
    """Median build and render seconds, page bytes, last map."""
    builds, renders = [], []
    page, m = "", None
    for _ in range(repeat):
        t0 = time.perf_counter()
        m = fn()
        t1 = time.perf_counter()
        page = m.get_root().render()
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        renders.append(t2 - t1)
    return statistics.median(builds), statistics.median(renders), len(page.encode("utf-8")), m


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)

    data = inputs()
    rows = []
    for self_contained in (False, True):
        b, r, size, m = time_it(
            lambda sc=self_contained: corridor_map(
                **data, self_contained=sc, title="RCEP corridors / 进出境快件通道"
            ),
            args.repeat,
        )
        shown = _layer_summary(m)
        rows.append(
            {
                "map": f"corridor_map(self_contained={self_contained})",
                "build_s": b,
                "render_s": r,
                "total_s": b + r,
                "html_MB": size / 1e6,
                "markers": sum(v[0] for v in shown.values()),
                "lines": sum(v[1] for v in shown.values()),
            }
        )

    def explore():
        pts = data["candidates"][["name", "tiers", "population", "express_volume", "geometry"]]
        m = pts.explore(name="candidates")
        data["demand"][["name", "population", "express_volume", "geometry"]].explore(
            m=m, name="demand", color="grey"
        )
        data["partners"][["city", "country", "rcep", "region", "geometry"]].explore(
            m=m, name="partners", color="purple"
        )
        folium.LayerControl().add_to(m)
        return m

    # Peer 2: the same markers and lines as one folium object each (CircleMarker, PolyLine
    # with folium Tooltip/Popup), the usual way of drawing them with folium.
    reference = corridor_map(**data)
    layers = [
        (group.layer_name, vec)
        for group in reference._children.values()
        if isinstance(group, folium.FeatureGroup)
        for vec in group._children.values()
        if isinstance(vec, VectorLayer)
    ]

    def plain_folium():
        m = folium.Map(location=[35, 105], zoom_start=4, tiles="OpenStreetMap")
        for name, vec in layers:
            group = folium.FeatureGroup(name=name).add_to(m)
            for kind, style, coords, extra, tip, pop in vec.features:
                opts = {**vec.styles[style], **(extra or {})}
                kw = dict(tooltip=tip or None, popup=folium.Popup(pop) if pop else None)
                if kind == 0:
                    folium.CircleMarker(coords, **opts, **kw).add_to(group)
                else:
                    folium.PolyLine(coords, **opts, **kw).add_to(group)
        folium.LayerControl().add_to(m)
        return m

    b, r, size, _ = time_it(plain_folium, args.repeat)
    rows.append(
        {
            "map": "plain folium, same markers and lines",
            "build_s": b,
            "render_s": r,
            "total_s": b + r,
            "html_MB": size / 1e6,
            "markers": rows[0]["markers"],
            "lines": rows[0]["lines"],
        }
    )

    b, r, size, _ = time_it(explore, args.repeat)
    n_points = sum(len(data[k]) for k in ("candidates", "demand", "partners"))
    rows.append(
        {
            "map": "geopandas explore() (points only)",
            "build_s": b,
            "render_s": r,
            "total_s": b + r,
            "html_MB": size / 1e6,
            "markers": n_points,
            "lines": 0,
        }
    )
    # --- issue 13: China maps
    b, r, size, m = time_it(
        lambda: corridor_map(
            **data, self_contained=True, choropleth="centre", title="跨境寄递服务中心"
        ),
        args.repeat,
    )
    rows.append(
        {
            "map": "corridor_map(self_contained, choropleth='centre')",
            "build_s": b,
            "render_s": r,
            "total_s": b + r,
            "html_MB": size / 1e6,
            "markers": sum(v[0] for v in _layer_summary(m).values()),
            "lines": sum(v[1] for v in _layer_summary(m).values()),
        }
    )
    pref = datasets.boundaries("prefecture")
    pref = pref.loc[pref.index.isin(data["solution"].index)].assign(
        centre=data["solution"]["facility"]
    )
    b, r, size, _ = time_it(lambda: pref.explore(column="centre", tooltip="name"), args.repeat)
    rows.append(
        {
            "map": "geopandas explore() of the same prefecture choropleth",
            "build_s": b,
            "render_s": r,
            "total_s": b + r,
            "html_MB": size / 1e6,
            "markers": 0,
            "lines": 0,
        }
    )
    static_rows = []

    def time_static(fn) -> dict:
        import io

        draws, saves = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fig = fn()
            fig.canvas.draw()
            t1 = time.perf_counter()
            fig.savefig(io.BytesIO(), format="png", dpi=300)
            t2 = time.perf_counter()
            draws.append(t1 - t0)
            saves.append(t2 - t1)
        return {"draw_s": statistics.median(draws), "png300_s": statistics.median(saves)}

    static_args = {k: v for k, v in data.items() if k != "scores"}
    static_rows.append(
        {
            "map": "static_map(boundaries, inset, choropleth='centre')",
            **time_static(lambda: static_map(**static_args, choropleth="centre", title="plan")),
        }
    )
    static_rows.append(
        {
            "map": "static_map(boundaries, inset)",
            **time_static(lambda: static_map(**static_args, title="plan")),
        }
    )

    def plain_geopandas():
        from matplotlib.figure import Figure

        from borderhub._cartography import CHINA_ALBERS

        fig = Figure(figsize=(10, 8))
        ax = fig.add_subplot()
        for level in ("neighbours", "province"):
            datasets.boundaries(level).to_crs(CHINA_ALBERS).plot(ax=ax, color="#eee", lw=0.3)
        pref.to_crs(CHINA_ALBERS).plot(ax=ax, column="centre", lw=0.1)
        pts = data["candidates"].to_crs(CHINA_ALBERS)
        ax.scatter(pts.geometry.x, pts.geometry.y, s=10)
        return fig

    static_rows.append({"map": "plain geopandas plot, same layers", **time_static(plain_geopandas)})
    static_table = pd.DataFrame(static_rows).set_index("map")
    static_table["total_s"] = static_table["draw_s"] + static_table["png300_s"]

    table = pd.DataFrame(rows).set_index("map")
    print(
        f"borderhub {borderhub.__version__}, folium {folium.__version__}, geopandas "
        f"{gpd.__version__}, Python {platform.python_version()}, median of {args.repeat}"
    )
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    print(static_table.to_string(float_format=lambda v: f"{v:.3f}"))
    plain = [r for r in rows if r["map"].startswith("corridor_map(self_contained=")]
    ok = all(row["total_s"] < 2.0 and row["html_MB"] < 3.0 for row in plain)
    print("issue 5 targets (< 2 s, < 3 MB):", "met" if ok else "MISSED")
    choro = next(r for r in rows if "choropleth" in r["map"])
    ok13 = choro["total_s"] <= 2.0 and choro["html_MB"] <= 5.0
    ok13 &= bool((static_table["draw_s"].iloc[:2] <= 3.0).all())
    print("issue 13 targets (choropleth map <= 2 s, <= 5 MB; static map drawn <= 3 s):",
          "met" if ok13 else "MISSED")  # fmt: skip
    result = {
        "rows": rows,
        "static": static_table.reset_index().to_dict("records"),
        "targets_met": ok and ok13,
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
    return result


if __name__ == "__main__":
    main()
