"""A researcher's own study: Chinese headers, units, checks before the solve, complete tables.

Each test is one defect met when a Northeast study (黑龙江, 吉林, 辽宁, 内蒙古) was run from
the user's own files.
"""

from __future__ import annotations

import warnings

import pytest

from borderhub import run_plan
from borderhub.cli import main
from borderhub.exceptions import DataError, DataWarning
from borderhub.plan.schema import standard_column_name

NORTHEAST = """城市,省份,经度,纬度,快递业务量(万件)
哈尔滨,黑龙江,126.5289,45.8018,64267
长春,吉林,125.3170,43.8148,62152
沈阳,辽宁,123.4590,41.6749,99482
大连,辽宁,121.6099,38.9133,43841
丹东,辽宁,124.3487,39.9993,12638
呼和浩特,内蒙古,111.7431,40.8409,8419
黑河,黑龙江,127.5210,50.2435,2574
"""


@pytest.fixture
def northeast(tmp_path):
    path = tmp_path / "northeast.csv"
    path.write_text(NORTHEAST, encoding="utf-8")
    return path


def test_chinese_headers_and_the_province_option(northeast):
    result = run_plan(northeast, northeast, p=2, provinces="黑龙江,吉林", score=False)
    assert sorted(result.candidates["name"]) == ["哈尔滨", "长春", "黑河"]
    assert result.weight == "express_volume"
    # 万件 converted to the library's 亿件
    assert result.demand.set_index("name").loc["哈尔滨", "express_volume"] == pytest.approx(6.4267)
    assert result.inputs.sources["candidates"]["columns"][0].startswith("candidates: column")


def test_a_volume_without_unit_is_refused_or_given(tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text(NORTHEAST.replace("快递业务量(万件)", "快递业务量"), encoding="utf-8")
    with pytest.raises(DataError, match=r"快递业务量\(万件\)"):
        run_plan(path, path, p=2, score=False)
    result = run_plan(path, path, p=2, score=False, volume_unit="万件")
    assert float(result.demand["express_volume"].max()) == pytest.approx(9.9482)
    assert standard_column_name("快递业务量（亿件）") == "express_volume"


def test_a_negative_volume_is_refused_and_named(tmp_path):
    path = tmp_path / "negative.csv"
    path.write_text(NORTHEAST.replace("12638", "-600"), encoding="utf-8")
    with pytest.raises(DataError, match=r"丹东.*-600"):
        run_plan(path, path, p=2, score=False)
    text = tmp_path / "text.csv"
    text.write_text(NORTHEAST.replace("12638", "约1.2万"), encoding="utf-8")
    with pytest.raises(DataError, match=r"must hold numbers.*丹东"):
        run_plan(text, text, p=2, score=False)


def test_vladivostok_claimed_for_heilongjiang_is_named(tmp_path):
    path = tmp_path / "vladivostok.csv"
    path.write_text(NORTHEAST + "符拉迪沃斯托克,黑龙江,131.8855,43.1155,900\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"符拉迪沃斯托克 \(8\) lies about \d+ km outside 黑龙江"):
        run_plan(path, None, p=2, score=False)


def test_a_combined_location_column_without_a_datum_warns(tmp_path):
    path = tmp_path / "amap.csv"
    path.write_text(
        'name,省份,location\n哈尔滨,黑龙江,"126.535,45.803"\n长春,吉林,"125.324,43.817"\n',
        encoding="utf-8",
    )
    with pytest.warns(DataWarning, match="gcj02"):
        run_plan(path, None, p=1, score=False, provinces="黑龙江,吉林")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        run_plan(path, None, p=1, score=False, coordinates="gcj02", provinces="黑龙江,吉林")


def test_crossborder_without_a_name_column_runs_and_names_every_gateway(tmp_path):
    path = tmp_path / "unnamed.csv"
    path.write_text(
        "adcode,lon,lat\n230100,126.5289,45.8018\n220100,125.3170,43.8148\n"
        "210100,123.4590,41.6749\n210200,121.6099,38.9133\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    status = main(["plan", "--quiet", "--candidates", str(path), "--model", "crossborder",
                   "--p", "2", "--out", str(out)])  # fmt: skip
    assert status == 0
    loads = (out / "gateway_loads.csv").read_text(encoding="utf-8").splitlines()
    assert loads[0].startswith("gateway,name,mode,")
    for row in loads[1:]:
        gateway, name, mode = row.split(",")[:3]
        assert name and mode == gateway.split(":")[0], row


def test_a_failed_run_leaves_the_folder_as_it_was(tmp_path, northeast):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(NORTHEAST.replace("64267", "-1"), encoding="utf-8")
    status = main(["plan", "--quiet", "--candidates", str(bad), "--demand", str(northeast),
                   "--model", "crossborder", "--p", "2", "--out", str(out)])  # fmt: skip
    assert status == 1
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_default_criteria_the_columns_cannot_feed_are_named_with_their_column(northeast):
    with pytest.warns(DataWarning, match=r"rail_hub \(needs a column 'rail_hub' \(or 中欧班列\)"):
        result = run_plan(northeast, northeast, p=2, solve=False)
    # express volume is computed from 快递业务量(万件): not among those left out
    assert "express_volume" in result.scored.directions
    assert set(result.scored.skipped) == {"rail_hub", "coastal", "airport_cargo", "cbec_seniority"}


def test_criteria_from_a_file_and_an_uncomputable_one_refused_before_the_solve(tmp_path, northeast):
    table = tmp_path / "criteria.csv"
    table.write_text("指标,权重\nexpress_volume,0.6\nrcep_proximity,0.4\n", encoding="utf-8")
    result = run_plan(northeast, northeast, p=2, criteria=table)
    assert list(result.scored.directions) == ["express_volume", "rcep_proximity"]
    assert result.scored.weights == pytest.approx({"express_volume": 0.6, "rcep_proximity": 0.4})
    table.write_text("指标,权重\nrail_hub,1\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["plan", "--quiet", "--candidates", str(northeast), "--demand", str(northeast)]
    status = main([*argv, "--criteria", str(table), "--p", "2", "--out", str(out)])
    assert status == 1 and not out.exists()
    own = tmp_path / "own.csv"
    own.write_text("criterion,weight,direction,column\n货量,1,效益,快递业务量(万件)\n", "utf-8")
    scored = run_plan(northeast, northeast, p=2, criteria=own, solve=False).scores
    assert scored["name"].iloc[0] == "沈阳"  # the largest volume ranks first


@pytest.mark.filterwarnings("ignore::borderhub.exceptions.DataWarning")
def test_a_provincial_study_is_drawn_and_reported_at_its_extent_in_chinese(tmp_path, northeast):
    result = run_plan(northeast, northeast, p=2, provinces="黑龙江,吉林,辽宁", plots=True)
    assert result.lang == "zh" and result.title.startswith("黑龙江、吉林、辽宁")
    west, south, east, north = result.extent
    assert 115 < west < 121 and 36 < south < 40 and 133 < east < 138 and 52 < north < 56
    result.save(tmp_path / "out")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "<h2>选中的中心</h2>" in page
    assert "<dt>研究区域</dt><dd>黑龙江、吉林、辽宁 (" in page
    assert "需求权重：express_volume 列（亿件）" in page
    english = run_plan(northeast, northeast, p=2, provinces="黑龙江", lang="en", title="NE")
    assert english.lang == "en" and english.title == "NE"


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::borderhub.exceptions.DataWarning")
def test_the_northeast_study_runs_from_the_template_as_from_python(tmp_path):
    import json

    from borderhub.plan.template import write_template

    folder = tmp_path / "study"
    assert main(["template", str(folder)]) == 0
    assert main(["template", str(folder)]) == 1  # files there: refused, nothing replaced
    files = {k: str(folder / f"{k}.csv") for k in ("candidates", "demand", "criteria")}
    files.update({k: str(folder / f"{k}.csv") for k in ("partners", "split", "gateways")})
    options = ["--provinces", "黑龙江,吉林,辽宁,内蒙古", "--model", "crossborder", "--p", "4"]
    argv = [f"--{k}={v}" for k, v in files.items()]
    assert main(["plan", "--quiet", *argv, *options, "--out", str(tmp_path / "cli")]) == 0
    result = run_plan(
        files.pop("candidates"), files.pop("demand"), provinces="黑龙江,吉林,辽宁,内蒙古",
        model="crossborder", p=4, **files,
    )  # fmt: skip
    result.save(tmp_path / "lib")
    for name in ("centres.csv", "routing.csv", "gateway_loads.csv", "partner_loads.csv"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "lib" / name).read_bytes()
    gateway_rows = (tmp_path / "cli" / "gateway_loads.csv").read_text("utf-8").splitlines()[1:]
    assert all(row.split(",")[1] and row.split(",")[2] for row in gateway_rows)
    page = (tmp_path / "cli" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "黑龙江、吉林、辽宁、内蒙古" in page
    assert "Ulaanbaatar" in page  # the partners it covers
    manifest = json.loads((tmp_path / "cli" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["provinces"] == ["黑龙江", "吉林", "辽宁", "内蒙古"]
    assert write_template(folder, overwrite=True)[0] == "candidates.csv"


def test_the_print_legend_hides_no_chosen_centre_and_neighbours_are_named():
    from borderhub import datasets
    from borderhub.maps import static_map

    cand = datasets.prefectures().loc[["150100", "230100", "210100"]]
    # 呼和浩特 sits in the lower left of this box, where the legend would go first
    fig = static_map(cand, solution=["150100", "230100", "210100"], corridors=None,
                     extent=(110, 38, 135, 54), figsize=(8, 6))  # fmt: skip
    ax = fig.axes[0]
    legend = ax.get_legend()
    box = legend.get_window_extent(fig.canvas.get_renderer())
    lon, lat = cand["lon"].to_numpy(), cand["lat"].to_numpy()
    points = ax.lonlat_transform.transform(list(zip(lon, lat, strict=True)))
    assert not any(box.contains(x, y) for x, y in points)
    texts = {t.get_text() for t in ax.texts}
    assert {"俄罗斯", "蒙古国"} <= texts
