"""Tests of borderhub.plots: figures are drawn, labelled and saved without pyplot state."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from borderhub.exceptions import DataError
from borderhub.plots import plot_cost_curve, plot_rank_stability, plot_static_map
from borderhub.scoring import rank_stability


def png_bytes(ax) -> bytes:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_cost_curve_marks_elbow_chosen_p_and_unproven_points():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    table = pd.DataFrame(
        {
            "p": [1, 2, 3, 4, 5, 6],
            "objective": [100.0, 45.0, 20.0, 16.0, 14.0, np.nan],
            "status": ["optimal", "optimal", "optimal", "feasible", "optimal", "infeasible"],
        }
    )
    ax = plot_cost_curve(table, mark=4, label="p-median", ylabel="weighted km")
    assert isinstance(ax, Axes) and ax.get_ylabel() == "weighted km"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["p-median", "not proven", "elbow p = 3", "chosen p = 4"]
    curve = ax.lines[0]
    assert list(curve.get_xdata()) == [1, 2, 3, 4, 5]  # the infeasible row is left out
    assert png_bytes(ax)[:4] == b"\x89PNG"
    assert plt.get_fignums() == before  # no pyplot figure was created


def test_cost_curve_on_given_axes_and_bad_tables():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    table = pd.DataFrame({"p": [1, 2], "objective": [3.0, 2.0]})
    assert plot_cost_curve(table, ax=ax, elbow=False) is ax
    with pytest.raises(DataError, match="lacks columns"):
        plot_cost_curve(table.rename(columns={"objective": "cost"}))
    with pytest.raises(DataError, match="no solved rows"):
        plot_cost_curve(table.assign(status="infeasible"))


def test_rank_stability_plot_orders_by_base_rank_and_uses_names():
    frame = pd.DataFrame(
        {"volume": [50.0, 20.0, 5.0, 30.0], "km": [300.0, 100.0, 50.0, 80.0]},
        index=["a", "b", "c", "d"],
    )
    st = rank_stability(frame, {"volume": "benefit", "km": "cost"}, n=300, top_k=2)
    ax = plot_rank_stability(st, names={"a": "Alpha", "b": "Beta"}, top=3)
    order = st.sort_values("rank", kind="stable").index[:3]
    expected = [{"a": "Alpha", "b": "Beta"}.get(k, k) for k in order]
    assert [t.get_text() for t in ax.get_yticklabels()] == expected
    assert "top 2" in ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 3 and all(t.endswith("%") for t in texts)
    assert png_bytes(ax)[:4] == b"\x89PNG"
    with pytest.raises(DataError, match="lacks columns"):
        plot_rank_stability(st.drop(columns=["p_top_k"]))


def test_static_map_delegates_to_maps():
    cand = gpd.GeoDataFrame(
        {"name": ["Beijing", "Kunming", "Shanghai"]},
        index=["110000", "530100", "310000"],
        geometry=gpd.points_from_xy([116.41, 102.83, 121.47], [39.90, 24.88, 31.23]),
        crs="EPSG:4326",
    )
    hubs = gpd.GeoDataFrame(
        {"city": ["Singapore"]},
        index=["SGP-SIN"],
        geometry=gpd.points_from_xy([103.82], [1.35]),
        crs="EPSG:4326",
    )
    lanes = pd.DataFrame(
        {"name": ["ASEAN"], "mode": ["air"], "origin": ["530100"], "partners": ["SGP-SIN"]},
        index=["c1"],
    )
    ax = plot_static_map(
        cand,
        solution=["530100"],
        partners=hubs,
        corridors=lanes,
        lang="en",
        title="test",
        show_corridors=True,
    )
    assert isinstance(ax, Axes) and ax.get_title() == "test"
    assert len(ax.child_axes) == 1  # the South China Sea inset
    assert len(ax.lines) > 0 and len(ax.collections) > 0
    assert png_bytes(ax)[:4] == b"\x89PNG"


def test_cost_curve_uses_the_cjk_font_for_every_label_and_integer_ticks_for_p(monkeypatch):
    from borderhub import _fonts

    # whichever CJK family the machine has: the one the helper finds is used everywhere
    family = "DejaVu Serif"
    monkeypatch.setattr(_fonts, "cjk_family", lambda: family)
    table = pd.DataFrame({"p": [1, 2, 3, 4, 5, 6, 7], "objective": [9.0, 5, 4, 3.5, 3, 2.8, 2.7]})
    ax = plot_cost_curve(table, mark=3, label="p 中位", ylabel="快递量 x km")
    for text in (ax.xaxis.label, ax.yaxis.label, *ax.get_legend().get_texts()):
        assert text.get_fontfamily()[0] == family, text.get_text()
    ax.figure.canvas.draw()
    ticks = [t for t in ax.get_xticks() if 1 <= t <= 7]
    assert ticks and all(float(t).is_integer() for t in ticks)
