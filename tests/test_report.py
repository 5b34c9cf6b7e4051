"""report.write_report: one self-contained page, offline, with estimates flagged."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from matplotlib.figure import Figure

from borderhub import datasets
from borderhub.exceptions import DataError, SpecificationError
from borderhub.maps import corridor_map, static_map
from borderhub.report import estimate_caveats, write_report


def _figure() -> Figure:
    fig = Figure(figsize=(3, 2))
    fig.add_subplot().plot([1, 2, 3], [3, 1, 2])
    return fig


def test_full_report_is_one_offline_file(tmp_path):
    cand = datasets.candidates()
    centres = cand.loc[["110000", "310000"], ["name", "express_volume", "express_volume_quality"]]
    ranking = cand[["name", "population", "express_volume", "express_volume_quality"]].head(10)
    m = corridor_map(cand, solution=list(centres.index), self_contained=True, title="<b>x</b>")
    path = write_report(
        tmp_path / "report.html",
        title="方案 <test>",
        map=m,
        static_figure=static_map(cand, solution=list(centres.index), lang="en", figsize=(4, 3)),
        ranking=ranking,
        centres=centres,
        figures={"cost curve": _figure()},
        assumptions={"p": 2, "distance": "geodesic km"},
        caveats={"airport_cargo": "secondary news figures"},
    )
    page = path.read_text(encoding="utf-8")
    # nothing from the network: no external script, style, image or frame
    assert not re.search(r"<(script|img|link|iframe)[^>]*\b(src|href)=\"?https?:", page)
    assert "<iframe" in page and "srcdoc=" in page  # the map, embedded
    assert "方案 &lt;test&gt;" in page  # escaped title
    assert page.count('<img alt="figure" src="data:image/png;base64,') == 1  # static map
    assert "<svg" in page  # the plot, inline
    for heading in ("Map", "Chosen centres", "Ranked candidates", "Plots", "Assumptions"):
        assert f">{heading}</h2>" in page
    # which figures are estimates: said in the caveats and starred in the tables
    assert "Data caveats" in page and "secondary news figures" in page
    est = int(ranking["express_volume_quality"].str.startswith("estimate").sum())
    text = html.unescape(page)
    assert est > 0 and f"{est} of 10 values of 'express_volume' are estimates" in text
    assert page.count('class="est"') >= est
    assert "@media print" in page


def test_estimate_caveats_counts_flags():
    frame = pd.DataFrame(
        {
            "v": [1.0, 2.0, 3.0],
            "v_quality": ["estimate", "official", "estimate"],
            "v_method": ["population share", "", "population share"],
            "w": [1, 2, 3],
            "w_quality": ["official"] * 3,
        }
    )
    notes = estimate_caveats(frame)
    assert list(notes) == ["v"]
    assert "2 of 3 values" in notes["v"] and "population share" in notes["v"]


def test_bad_input(tmp_path):
    with pytest.raises(SpecificationError, match=r"\.html"):
        write_report(tmp_path / "report.pdf")
    with pytest.raises(SpecificationError, match="self_contained=True"):
        write_report(tmp_path / "r.html", map=corridor_map(self_contained=False))
    with pytest.raises(DataError, match="DataFrames"):
        write_report(tmp_path / "r.html", ranking=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(SpecificationError, match="figure_format"):
        write_report(tmp_path / "r.html", figure_format="gif")
