"""Tests of borderhub.policy against the text of 专栏4 and 专栏1."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import borderhub as bh
from borderhub.exceptions import DataError, SpecificationError
from borderhub.policy import INDICATORS, Indicator, Tier, column4, project_volume, tiers_of

C, L, P, E, R = Tier.CORE, Tier.LONG_TERM, Tier.PROVINCIAL, Tier.ENCOURAGED, Tier.RAIL

# 专栏4, written out from the plan text in its order:
# 推动北京、天津、上海、南京、杭州、郑州、广州、深圳、南宁、昆明等地优化进出境快件处理场所布局 ...
CORE_PLACES = ["北京", "天津", "上海", "南京", "杭州", "郑州", "广州", "深圳", "南宁", "昆明"]
# 支持鄂州、海口等地建设适应长远发展需要的综合性进出境快件处理中心
LONG_TERM_PLACES = ["鄂州", "海口"]
# 支持太原、长春、哈尔滨、济南、武汉、长沙、成都、贵阳、西安、兰州、乌鲁木齐等省会城市 ...
PROVINCIAL_PLACES = [
    "太原", "长春", "哈尔滨", "济南", "武汉", "长沙", "成都", "贵阳", "西安", "兰州", "乌鲁木齐",
]  # fmt: skip
# 鼓励唐山、大连、 ... 、西双版纳等地建设进出境快件处理中心 (33 entries)
ENCOURAGED_ENTRIES = [
    "唐山", "大连", "延吉", "绥芬河", "黑河", "苏州", "徐州", "宁波", "温州", "嘉兴", "绍兴",
    "舟山", "芜湖", "泉州", "赣州", "临沂", "烟台", "济宁", "襄阳", "宜昌", "东莞", "珠海",
    "汕头", "佛山", "惠州", "江门", "湛江", "钦州-北海-防城港", "三亚", "德宏", "红河", "保山",
    "西双版纳",
]  # fmt: skip
# 推动西安、重庆、成都、郑州、义乌等中欧班列开行城市建设铁路进出境快件处理中心
RAIL_PLACES = ["西安", "重庆", "成都", "郑州", "义乌"]

# Every place's full set of tiers.
EXPECTED_TIERS = {
    "北京": {C}, "天津": {C}, "上海": {C}, "南京": {C}, "杭州": {C}, "郑州": {C, R},
    "广州": {C}, "深圳": {C}, "南宁": {C}, "昆明": {C},
    "鄂州": {L}, "海口": {L},
    "太原": {P}, "长春": {P}, "哈尔滨": {P}, "济南": {P}, "武汉": {P}, "长沙": {P},
    "成都": {P, R}, "贵阳": {P}, "西安": {P, R}, "兰州": {P}, "乌鲁木齐": {P},
    "唐山": {E}, "大连": {E}, "延吉": {E}, "绥芬河": {E}, "黑河": {E}, "苏州": {E},
    "徐州": {E}, "宁波": {E}, "温州": {E}, "嘉兴": {E}, "绍兴": {E}, "舟山": {E}, "芜湖": {E},
    "泉州": {E}, "赣州": {E}, "临沂": {E}, "烟台": {E}, "济宁": {E}, "襄阳": {E}, "宜昌": {E},
    "东莞": {E}, "珠海": {E}, "汕头": {E}, "佛山": {E}, "惠州": {E}, "江门": {E}, "湛江": {E},
    "钦州": {E}, "北海": {E}, "防城港": {E}, "三亚": {E}, "德宏": {E}, "红河": {E},
    "保山": {E}, "西双版纳": {E},
    "重庆": {R}, "义乌": {R},
}  # fmt: skip

# Units the plan names that are not ordinary prefecture-level cities.
SPECIAL_ADCODES = {
    "延吉": ("222401", "延吉市", "222400"),  # county-level city in 延边州
    "绥芬河": ("231081", "绥芬河市", "231000"),  # county-level city in 牡丹江
    "义乌": ("330782", "义乌市", "330700"),  # county-level city in 金华
    "德宏": ("533100", "德宏傣族景颇族自治州", "533100"),  # autonomous prefecture
    "红河": ("532500", "红河哈尼族彝族自治州", "532500"),  # autonomous prefecture
    "西双版纳": ("532800", "西双版纳傣族自治州", "532800"),  # autonomous prefecture
    "黑河": ("231100", "黑河市", "231100"),  # prefecture-level city
    "北京": ("110000", "北京市", "110000"),  # municipality: province-level code
    "重庆": ("500000", "重庆市", "500000"),
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return column4()


def test_counts_per_tier(table):
    entries = table.groupby("tier")["plan_entry"].nunique().to_dict()
    places = table.groupby("tier")["adcode"].nunique().to_dict()
    assert entries == {C: 10, L: 2, P: 11, E: 33, R: 5}
    assert places == {C: 10, L: 2, P: 11, E: 35, R: 5}
    assert Tier.PORT not in set(table["tier"])
    assert table["adcode"].nunique() == 60
    assert len(table) == 63


def test_lists_in_plan_order(table):
    def names(tier):
        return table.loc[table["tier"] == tier, "plan_name"].tolist()

    def entries(tier):
        return list(dict.fromkeys(table.loc[table["tier"] == tier, "plan_entry"]))

    assert names(C) == CORE_PLACES
    assert names(L) == LONG_TERM_PLACES
    assert names(P) == PROVINCIAL_PLACES
    assert entries(E) == ENCOURAGED_ENTRIES
    assert names(E) == [p for e in ENCOURAGED_ENTRIES for p in e.split("-")]
    assert names(R) == RAIL_PLACES
    tier_order = [t for t in dict.fromkeys(table["tier"])]
    assert tier_order == [C, L, P, E, R]


def test_joint_entry(table):
    rows = table[table["plan_entry"] == "钦州-北海-防城港"]
    assert rows["name"].tolist() == ["钦州市", "北海市", "防城港市"]
    assert rows["adcode"].tolist() == ["450700", "450500", "450600"]


@pytest.mark.parametrize("place", sorted(EXPECTED_TIERS))
def test_every_place_tiers(place):
    assert tiers_of(place) == frozenset(EXPECTED_TIERS[place])


def test_mapping_is_complete(table):
    assert set(table["plan_name"]) == set(EXPECTED_TIERS)
    got = table.groupby("plan_name")["tier"].agg(frozenset).to_dict()
    assert got == {k: frozenset(v) for k, v in EXPECTED_TIERS.items()}


@pytest.mark.parametrize("place", sorted(SPECIAL_ADCODES))
def test_special_adcodes(table, place):
    adcode, name, prefecture = SPECIAL_ADCODES[place]
    rows = table[table["plan_name"] == place]
    assert set(rows["adcode"]) == {adcode}
    assert set(rows["name"]) == {name}
    assert set(rows["prefecture_adcode"]) == {prefecture}


def test_column4_schema(table):
    assert list(table.columns) == [
        "plan_name", "name", "adcode", "prefecture_adcode", "province", "tier",
        "plan_entry", "lon", "lat",
    ]  # fmt: skip
    assert table["adcode"].map(type).eq(str).all()
    assert table["adcode"].str.fullmatch(r"\d{6}").all()
    assert table["prefecture_adcode"].str.fullmatch(r"\d{6}").all()
    assert all(isinstance(t, Tier) for t in table["tier"])
    assert table["lon"].between(73, 135).all() and table["lat"].between(18, 54).all()
    # each adcode has one name, province and point
    per_code = table.groupby("adcode")[["name", "province", "lon", "lat"]].nunique()
    assert (per_code == 1).all().all()


def test_column4_returns_fresh_copies():
    a = column4()
    a.loc[0, "name"] = "changed"
    a["tier"] = None
    b = column4()
    assert b.loc[0, "name"] == "北京市" and b.loc[0, "tier"] is Tier.CORE


@pytest.mark.parametrize("key", ["延吉", "延吉市", "222401", 222401, " 延吉 "])
def test_tiers_of_accepts_names_and_codes(key):
    assert tiers_of(key) == {E}


def test_tiers_of_known_unit_outside_plan():
    assert tiers_of("青岛市") == frozenset()
    assert tiers_of("370200") == frozenset()


@pytest.mark.parametrize(
    "bad, expected",
    [("绥芬", "绥芬河"), ("西双版", "西双版纳"), ("乌鲁木", "乌鲁木齐"), ("222409", "222401")],
)
def test_tiers_of_unknown_lists_close_matches(bad, expected):
    with pytest.raises(DataError, match="closest matches") as info:
        tiers_of(bad)
    assert expected in str(info.value)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", [None, 3.5, ["北京"], True])
def test_tiers_of_bad_type(bad):
    with pytest.raises(SpecificationError):
        tiers_of(bad)


def test_tier_lookup_any_case():
    for member in Tier:
        assert Tier(member.value) is member
        assert Tier(member.name) is member
        assert Tier(member.name.lower().replace("_", "-")) is member
        assert Tier.parse(member.name.title()) is member
        assert Tier.parse(member) is member
        assert Tier[member.name] is member
        assert Tier(member.label_zh) is member
    assert [t.name for t in Tier] == [
        "CORE",
        "LONG_TERM",
        "PROVINCIAL",
        "ENCOURAGED",
        "RAIL",
        "PORT",
    ]


def test_tier_lookup_error_lists_allowed():
    with pytest.raises(SpecificationError) as info:
        Tier.parse("capital")
    msg = str(info.value)
    assert "'capital'" in msg
    for member in Tier:
        assert repr(member.value) in msg
    with pytest.raises(ValueError):  # SpecificationError is a ValueError
        Tier(3)


def test_tier_labels_are_the_plans_words():
    plan = (
        "推动北京、天津、上海、南京、杭州、郑州、广州、深圳、南宁、昆明等地优化进出境快件处理场所布局，"
        "强化综合性进出境快件处理中心功能。支持鄂州、海口等地建设适应长远发展需要的综合性进出境快件"
        "处理中心。支持太原、长春、哈尔滨、济南、武汉、长沙、成都、贵阳、西安、兰州、乌鲁木齐等省会城市"
        "打造辐射省内周边城市的综合性进出境快件处理中心。推动西安、重庆、成都、郑州、义乌等中欧班列"
        "开行城市建设铁路进出境快件处理中心，支持沿海城市统筹建设港口进出境快件处理中心。"
    )
    for member in (C, L, P, R, Tier.PORT):
        assert member.label_zh in plan, member
    assert E.label_zh.startswith("鼓励") and E.label_zh.endswith("等地建设进出境快件处理中心")
    assert all(t.label_en for t in Tier)
    assert len({t.label_en for t in Tier}) == len(Tier)


def test_top_level_exports():
    for name in ("Tier", "column4", "tiers_of", "INDICATORS", "project_volume", "datasets"):
        assert name in bh.__all__ and hasattr(bh, name)


# --- 专栏1 ---------------------------------------------------------------------------
def test_indicators_match_column1():
    assert len(INDICATORS) == 7
    assert isinstance(INDICATORS, tuple)
    assert [i.number for i in INDICATORS] == list(range(1, 8))
    got = {
        i.name_zh: (i.unit, i.value_2020, i.target_2025, i.target_bound, i.plan_text)
        for i in INDICATORS
    }
    assert got == {
        "快递业务量": ("亿件", 834.0, 1500.0, "=", "12.5%"),
        "快递业务收入": ("亿元", 8795.0, 15000.0, "=", "11.3%"),
        "建制村快递服务通达率": ("%", 50.0, 90.0, ">", "[>40]"),
        "快递服务总体满意度": ("分", 76.7, 80.0, "≥", "[≥3.3]"),
        "重点地区快递服务72小时准时率": ("%", 77.1, 80.0, "=", "[2.9]"),
        "可循环快递包装保有量": ("万个", 200.0, 1000.0, ">", "[>800]"),
        "邮件快件生产安全事故发生率": ("起/百亿件", None, None, "=", "[-15%]"),
    }
    assert [i.annual_growth for i in INDICATORS[:2]] == [0.125, 0.113]
    assert [i.increment for i in INDICATORS[2:6]] == [40.0, 3.3, 2.9, 800.0]
    assert INDICATORS[6].relative_change == -0.15
    assert [i.cumulative for i in INDICATORS] == [False, False, True, True, True, True, True]


def test_indicator_increments_consistent():
    for ind in INDICATORS:
        if ind.increment is not None:
            assert ind.target_2025 - ind.value_2020 == pytest.approx(ind.increment)
        if ind.annual_growth is not None:
            implied = (ind.target_2025 / ind.value_2020) ** (1 / 5) - 1
            assert implied == pytest.approx(ind.annual_growth, abs=0.001)


def test_indicators_immutable():
    with pytest.raises(AttributeError):
        INDICATORS[0].value_2020 = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        INDICATORS[0] = INDICATORS[1]  # type: ignore[index]
    frame = pd.DataFrame(INDICATORS)
    assert list(frame.columns)[:3] == ["number", "category_zh", "category_en"]
    assert isinstance(INDICATORS[0], Indicator)


# --- project_volume ------------------------------------------------------------------
def test_project_volume_scalar_and_plan_target():
    assert project_volume(834, 2020, 2025, 0.125) == pytest.approx(834 * 1.125**5)
    assert project_volume(834, 2020, 2025, 0.125) == pytest.approx(1500, rel=0.003)
    assert project_volume(10.0, 2024, 2024, 0.3) == 10.0
    assert isinstance(project_volume(1, 2020, 2021, 0.0), float)
    assert project_volume(5.0, 2020, 2023, -0.5) == pytest.approx(0.625)


def test_project_volume_vectorised():
    base = np.array([1.0, 2.0, 4.0])
    out = project_volume(base, 2020, 2022, np.array([0.0, 0.1, -0.1]))
    np.testing.assert_allclose(out, [1.0, 2.42, 3.24])
    np.testing.assert_allclose(project_volume(1.0, 2020, [2020, 2021, 2022], 1.0), [1, 2, 4])
    s = pd.Series([1.0, 2.0], index=pd.Index(["110000", "500000"], name="adcode"), name="v")
    before = s.copy()
    res = project_volume(s, 2024, 2025, 0.5)
    assert isinstance(res, pd.Series)
    assert list(res.index) == ["110000", "500000"] and res.name == "v"
    np.testing.assert_allclose(res, [1.5, 3.0])
    pd.testing.assert_series_equal(s, before)


@pytest.mark.parametrize(
    "args, error, text",
    [
        ((-1.0, 2020, 2025, 0.1), DataError, "non-negative"),
        ((np.nan, 2020, 2025, 0.1), DataError, "non-negative"),
        (("abc", 2020, 2025, 0.1), DataError, "numeric"),
        ((1.0, 2025, 2020, 0.1), SpecificationError, "precedes"),
        ((1.0, 2020, 2025, -1.0), SpecificationError, "> -1"),
        ((1.0, 2020, 2025, -1.5), SpecificationError, "> -1"),
        ((1.0, 2020, 2025, np.inf), SpecificationError, "finite"),
        ((1.0, 2020, 2025, "fast"), SpecificationError, "numeric"),
    ],
)
def test_project_volume_errors(args, error, text):
    with pytest.raises(error, match=text):
        project_volume(*args)


def test_project_volume_names_bad_labels():
    s = pd.Series([1.0, -2.0, 3.0], index=["a", "b", "c"])
    with pytest.raises(DataError, match=r"\['b'\]"):
        project_volume(s, 2020, 2021, 0.1)


# --------------------------------------------------------------------------------------
# tiers cells and tier names: one reading for every caller
# --------------------------------------------------------------------------------------


def test_parse_tiers_reads_cells_like_tier_parse():
    from borderhub.policy import parse_tiers

    assert parse_tiers("CORE;RAIL") == {Tier.CORE, Tier.RAIL}
    assert parse_tiers("long-term; ;rail") == {Tier.LONG_TERM, Tier.RAIL}
    assert parse_tiers(f"{Tier.PROVINCIAL.label_zh};CORE") == {Tier.PROVINCIAL, Tier.CORE}
    for empty in ("", None, float("nan"), pd.NA):
        assert parse_tiers(empty) == frozenset()
    with pytest.raises(DataError, match="'MEGA' in the tiers of 'x'"):
        parse_tiers("CORE;MEGA", label="x")


def test_as_tiers_accepts_members_names_lists_and_the_plans_words():
    from borderhub.policy import as_tiers

    assert as_tiers("core, RAIL;port") == [Tier.CORE, Tier.RAIL, Tier.PORT]
    assert as_tiers([Tier.RAIL.label_zh, "rail", Tier.CORE]) == [Tier.RAIL, Tier.CORE]
    with pytest.raises(SpecificationError, match="required_tiers: unknown tier 'MEGA'"):
        as_tiers(["CORE", "MEGA"], argument="required_tiers")
    with pytest.raises(SpecificationError, match="Tier members or names"):
        as_tiers([1])


def test_port_rule_is_the_coastal_flag_everywhere():
    from borderhub import datasets
    from borderhub.locate import policy_constraints
    from borderhub.policy import candidate_tiers, tier_members

    cands = datasets.candidates()
    coastal = cands.index[cands["coastal"].astype(bool)]
    assert len(coastal) > 0
    assert list(tier_members(cands, "PORT")) == list(coastal)
    assert list(tier_members(cands, [Tier.PORT])) == list(coastal)
    # the library call and the command line select the same candidates
    assert policy_constraints(cands, required_tiers=["PORT"])["required"] == list(coastal)
    assert policy_constraints(cands, required_tiers=[Tier.RAIL.label_zh])["required"] == list(
        tier_members(cands, Tier.RAIL)
    )
    # a cell naming PORT counts as well, without the coastal column
    frame = pd.DataFrame({"tiers": ["PORT", "CORE"]}, index=["a", "b"])
    assert list(tier_members(frame, "port")) == ["a"]
    assert candidate_tiers(frame)["b"] == {Tier.CORE}
    with pytest.raises(DataError, match="'tiers' column"):
        candidate_tiers(frame.drop(columns="tiers"))
