"""A researcher's own figures: reading, putting them in, refitting the estimates around them.

The figures in these tests are illustrative numbers, not published ones: what is checked is
what the library does with a figure, not the figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.exceptions import DataError, DataWarning
from borderhub.figures import (
    GRADE_SPREADS,
    QUANTITIES,
    apply_figures,
    apply_to_study,
    read_figures,
)

SOURCE = "illustrative figure for a test"


def _figs(*rows, **extra):
    frame = pd.DataFrame(
        rows, columns=["place", "quantity", "value", "unit", "period", "source"][: len(rows[0])]
    )
    for column, value in extra.items():
        frame[column] = value
    return frame


def _toy():
    return pd.DataFrame(
        {
            "name": ["甲市", "乙市", "丙市", "丁市", "戊市"],
            "province": ["东省", "东省", "东省", "西省", "西省"],
            "express_volume": [6.0, 3.0, 1.0, 2.0, 2.0],
            "express_volume_estimated": [False, True, True, True, True],
            "express_volume_method": ["reported", "estimate", "estimate", "estimate", "estimate"],
            "express_volume_grade": ["secondary"] * 5,
        },
        index=pd.Index(["1", "2", "3", "4", "5"], name="adcode"),
    )


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def test_grades_are_the_tables_grades():
    assert tuple(GRADE_SPREADS) == datasets.SOURCE_GRADES
    assert list(GRADE_SPREADS.values()) == sorted(GRADE_SPREADS.values())


def test_chinese_headers_and_units_are_read(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(
        "地点,指标,数值,单位,年份,来源,等级\n"
        f"广州市,快递业务量,800000,万件,2024,{SOURCE},news\n"
        f"上海,人口,2487.09,万人,2020,{SOURCE},official\n"
        f"郑州,货邮吞吐量,80000,吨,2024,{SOURCE},secondary\n".encode("gb18030")
    )
    f = read_figures(path)
    assert f["quantity"].tolist() == ["express_volume", "population", "airport_cargo"]
    assert f["table_value"].tolist() == pytest.approx([80.0, 24_870_900.0, 8.0])
    assert f["grade"].tolist() == ["news", "official", "secondary"]
    assert f["period"].tolist() == [2024, 2020, 2024]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"quantity": "parcels"}, ["quantity", "express_volume", "row, quantity", "parcels"]),
        ({"unit": "箱"}, ["unit", "万件", "箱"]),
        ({"value": -5}, ["value", ">= 0", "-5"]),
        ({"value": "n/a"}, ["value", "n/a"]),
        ({"source": ""}, ["source", "published"]),
        ({"period": "去年"}, ["period", "year", "去年"]),
        ({"grade": "rumour"}, ["grade", "official", "rumour"]),
        ({"place": ""}, ["place"]),
    ],
)
def test_a_bad_figure_is_named_with_its_row(change, words):
    row = {
        "place": "广州市",
        "quantity": "express_volume",
        "value": 80.0,
        "unit": "亿件",
        "period": 2024,
        "source": SOURCE,
    }
    good = dict(row, place="深圳市")
    frame = pd.DataFrame([good, {**row, **change}])
    with pytest.raises(DataError) as err:
        read_figures(frame)
    text = str(err.value)
    for word in words:
        assert word in text, text
    assert "(2," in text  # the second row


def test_missing_columns_and_duplicates_are_refused():
    with pytest.raises(DataError, match=r"lacks the columns \['unit', 'period', 'source'\]"):
        read_figures(pd.DataFrame({"place": ["广州"], "quantity": ["volume"], "value": [1]}))
    twice = _figs(
        ("广州", "express_volume", 1.0, "亿件", 2024, SOURCE),
        ("广州", "express_volume", 2.0, "亿件", 2024, SOURCE),
    )
    with pytest.raises(DataError, match="more than once"):
        read_figures(twice)
    with pytest.raises(DataError, match="cannot read figures file"):
        read_figures("no-such-file.csv")


# --------------------------------------------------------------------------------------------
# putting figures in and refitting
# --------------------------------------------------------------------------------------------


def test_a_figure_replaces_an_estimate_and_the_province_total_holds():
    table = _toy()
    before = table.copy()
    out = apply_figures(table, _figs(("乙市", "express_volume", 2.0, "亿件", 2024, SOURCE)))
    pd.testing.assert_frame_equal(table, before)  # the input is not changed
    # 东省 total 10 = 6 (reported) + 2 (the figure) + 丙 rescaled from 1 to 2
    assert out["express_volume"].tolist() == [6.0, 2.0, 2.0, 2.0, 2.0]
    assert out.loc["2", "express_volume_estimated"] == False  # noqa: E712
    assert out.loc["2", "express_volume_grade"] == "official"
    assert "user figure" in out.loc["2", "express_volume_method"]
    assert "rescaled x2" in out.loc["3", "express_volume_method"]
    assert out.attrs["figures"]["refitted"] == {"东省": 2.0}
    assert out.attrs["figures"]["applied"][0]["old"] == 3.0


def test_a_province_total_rescales_its_estimates_and_keeps_their_order():
    out = apply_figures(_toy(), _figs(("西省", "express_volume", 6.0, "亿件", 2024, SOURCE)))
    assert out["express_volume"].tolist() == [6.0, 3.0, 1.0, 3.0, 3.0]
    both = apply_figures(
        _toy(),
        _figs(
            ("东省", "express_volume", 20.0, "亿件", 2024, SOURCE),
            ("甲市", "express_volume", 8.0, "亿件", 2024, SOURCE),
        ),
    )
    # 东省 total 20 = 8 (甲) + 12 shared by 乙 and 丙 as 3 : 1
    assert both["express_volume"].tolist()[:3] == pytest.approx([8.0, 9.0, 3.0])


def test_figures_exceeding_the_province_total_are_refused():
    with pytest.raises(DataError, match="东省 add up to 16.*nothing of its total 10"):
        apply_figures(_toy(), _figs(("甲市", "express_volume", 16.0, "亿件", 2024, SOURCE)))


def test_unknown_place_period_mismatch_and_ambiguity():
    with pytest.raises(DataError, match=r"no row of the table for \[\('己市'"):
        apply_figures(_toy(), _figs(("己市", "express_volume", 1.0, "亿件", 2024, SOURCE)))
    table = _toy().assign(express_volume_year=2024)
    with pytest.warns(DataWarning, match="is for 2023.*mixes years"):
        apply_figures(table, _figs(("乙市", "express_volume", 2.0, "亿件", 2023, SOURCE)))
    twice = pd.concat([_toy(), _toy().iloc[[1]].rename(index={"2": "9"})])
    with pytest.raises(DataError, match="matches 2 rows"):
        apply_figures(twice, _figs(("乙市", "express_volume", 2.0, "亿件", 2024, SOURCE)))


def test_refit_keeps_every_province_total_on_the_bundled_table():
    """Random figures for estimated units: each province's total holds, nothing negative."""
    pref = datasets.prefectures()
    rng = np.random.default_rng(7)
    est = pref.index[pref["express_volume_estimated"]]
    picked = rng.choice(est, 12, replace=False)
    rows = [
        (code, "express_volume", float(pref.loc[code, "express_volume"]) * f, "亿件", 2024, SOURCE)
        for code, f in zip(picked, rng.uniform(0.3, 1.5, 12), strict=True)
    ]
    out = apply_figures(pref, _figs(*rows))
    totals = pref.groupby("province")["express_volume"].sum()
    got = out.groupby("province")["express_volume"].sum()
    pd.testing.assert_series_equal(got, totals, rtol=1e-12)
    positive = pref["express_volume"] > 0
    assert (out.loc[positive, "express_volume"] > 0).all()
    assert (out["express_volume"] >= 0).all()
    for code, _, value, *_ in rows:
        assert out.loc[code, "express_volume"] == pytest.approx(value)
    untouched = ~pref["province"].isin(out.attrs["figures"]["refitted"])
    pd.testing.assert_series_equal(
        out.loc[untouched, "express_volume"], pref.loc[untouched, "express_volume"]
    )


def test_a_study_gets_its_figures_in_candidates_and_demand():
    cand, pref = datasets.candidates(), datasets.prefectures()
    figs = _figs(
        ("广州", "express_volume", 80.0, "亿件", 2024, SOURCE),
        ("义乌市", "express_volume", 1_000_000, "万件", 2024, SOURCE),
    )
    c2, d2, prov = apply_to_study(cand, pref, figs)
    assert float(c2.loc["440100", "express_volume"]) == 80.0
    assert float(d2.loc["440100", "express_volume"]) == 80.0
    assert float(c2.loc["330782", "express_volume"]) == pytest.approx(100.0)  # only a candidate
    # 深圳 (an estimate) follows its prefecture's refit in both tables
    factor = prov["refitted"]["广东省"]
    assert factor > 1
    for table in (c2, d2):
        assert table.loc["440300", "express_volume"] == pytest.approx(
            pref.loc["440300", "express_volume"] * factor
        )
    gd = d2["province"] == "广东省"
    assert d2.loc[gd, "express_volume"].sum() == pytest.approx(pref.loc[gd, "express_volume"].sum())
    assert c2.attrs["figures"] is prov and [f["place"] for f in prov["figures"]] == [
        "广州",
        "义乌市",
    ]
    with pytest.raises(DataError, match=r"name no candidate and no demand unit"):
        apply_to_study(cand, pref, _figs(("Atlantis", "population", 1, "人", 2020, SOURCE)))


def test_datasets_take_a_figures_file(tmp_path):
    path = tmp_path / "figures.csv"
    pd.DataFrame(
        {
            "place": ["郑州市"],
            "quantity": ["airport_cargo"],
            "value": [10.0],
            "unit": ["万吨"],
            "period": [2024],
            "source": [SOURCE],
        }
    ).to_csv(path, index=False)
    cand = datasets.candidates(figures=path)
    assert cand.loc["410100", "airport_cargo"] == 10.0
    assert cand.loc["410100", "airport_cargo_source"] == SOURCE
    assert cand.crs is not None and cand.geometry.notna().all()
    pref = datasets.prefectures(figures=path)  # a candidate-only quantity: accepted by both
    assert len(pref) == 367


def test_every_quantity_lists_its_table_unit_first_among_equals():
    for name, spec in QUANTITIES.items():
        assert spec.units[spec.unit] == 1.0, name


# --------------------------------------------------------------------------------------------
# through the plan
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("figs") / "figures.csv"
    _figs(
        ("广州", "express_volume", 80.0, "亿件", 2024, SOURCE),
        ("海口市", "express_volume", 2.0, "亿件", 2024, SOURCE),
    ).to_csv(path, index=False)
    return path


def test_run_plan_and_the_command_line_take_figures(figures_file, tmp_path):
    from borderhub import run_plan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        result = run_plan(p=3, provinces=("广东", "海南"), figures=str(figures_file))
    demand = result.demand
    assert float(demand.loc["440100", "express_volume"]) == 80.0
    assert float(demand.loc["460100", "express_volume"]) == 2.0
    manifest = result.manifest
    entry = manifest["inputs"]["figures"]
    assert entry["file"] == "figures.csv" and len(entry["sha256"]) == 64
    assert set(entry["refitted"]) == {"广东省", "海南省"}
    assert manifest["parameters"]["figures"] == str(figures_file)
    written = result.save(tmp_path / "lib")
    assert "report.html" in written
    page = (tmp_path / "lib" / "report.html").read_text(encoding="utf-8")
    assert "own figures: 广州 express_volume 80 亿件" in page
    assert "by the grade of their source" in page

    out = tmp_path / "cli"
    cmd = [sys.executable, "-m", "borderhub", "plan", "-q", "--p", "3"]
    cmd += ["--provinces", "广东,海南", "--figures", str(figures_file), "--out", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    for name in ("centres.csv", "solution.csv", "scores.csv"):
        assert (out / name).read_bytes() == (tmp_path / "lib" / name).read_bytes(), name
    cli_manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert cli_manifest["inputs"]["figures"]["sha256"] == entry["sha256"]


def test_a_bad_figures_option_is_a_plan_option_error():
    from borderhub import PlanConfig
    from borderhub.plan.config import PlanOptionError

    with pytest.raises(PlanOptionError, match="figures must be a CSV file or a DataFrame"):
        PlanConfig(figures=42)
