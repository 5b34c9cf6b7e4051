"""The bundled express volumes agree with every statement of the project's own sources.

Each statement is written out here with the page it comes from (the same pages are cited
in tools/sources/ and data/cities/README.md); the table is checked against it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from borderhub import datasets

SOURCES = Path(__file__).resolve().parent.parent / "tools" / "sources"

GZ, JH, SZ, JY, DG, ST, FS, WH, CD, SJZ = (
    "440100", "330700", "440300", "445200", "441900", "440500", "440600", "420100", "510100",
    "130100",
)  # fmt: skip
SH, HZ, SUZ, BJ, QZ, WZ, NB, ZZ = (
    "310000",
    "330100",
    "320500",
    "110000",
    "350500",
    "330300",
    "330200",
    "410100",
)
#: 2022 top-20 city table (China Business News via tellerreport.com 2023-01-26), ranks 1-18
#: by name; 19 and 20 are uncertain in the translated source (临汾/临沂, 台州/泰州).
TOP20_2022 = [JH, GZ, SZ, JY, HZ, DG, SH, ST, SUZ, QZ, BJ, WH, CD, WZ, FS, ZZ, SJZ, NB]
UNCERTAIN_2022 = {"141000", "371300", "331000", "321200"}
#: 2021 rank list 1-15 (summary of the 2021 postal statistical bulletin, e2udq9.cn).
TOP15_2021 = [JH, GZ, SZ, SH, HZ, JY, DG, SUZ, BJ, QZ, ST, CD, WZ, WH, ZZ]


@pytest.fixture(scope="module")
def vol() -> pd.Series:
    return datasets.prefectures()["express_volume"]


def _rank(vol: pd.Series, code: str) -> int:
    return int((vol > vol[code]).sum()) + 1


def test_sourced_2024_values_are_kept(vol):
    ref = pd.read_csv(SOURCES / "reference" / "express_volume_city.csv")
    ref = ref[(ref["year"] == 2024) & (ref["metric"] == "express_volume")]
    assert len(ref) == 19
    jiangzhe = {"上海": SH, "杭州": HZ, "苏州": SUZ, "金华(义乌)": JH, "温州": WZ, "宁波": NB}
    for city, code in jiangzhe.items():
        assert vol[code] == pytest.approx(float(ref.loc[ref["city"] == city, "value"].iloc[0]))
    # 郑州日报 (dzb.zzrbnews.com/news/74269.html): 2024年全市快递业务量累计完成25.68亿件
    assert vol[ZZ] == pytest.approx(25.68)


def test_province_totals(vol):
    pref = datasets.prefectures()
    prov = pd.read_csv(SOURCES / "reference" / "express_volume_province_2024.csv")
    totals = prov.set_index("province")["express_volume_yi_jian"]
    short = pref["province"].str.replace(r"(维吾尔|壮族|回族)?自治区$|省$|市$", "", regex=True)
    got = pref.groupby(short)["express_volume"].sum()
    for name, total in totals.drop("全国").items():
        assert got[name] == pytest.approx(total, abs=1e-3), name
    assert vol.sum() == pytest.approx(totals["全国"], abs=0.01)


def test_sourced_shares_of_a_province(vol):
    pref = datasets.prefectures()
    yunnan = vol[pref["province"] == "云南省"].sum()
    fujian = vol[pref["province"] == "福建省"].sum()
    # 昆明日报 2023-03-23: 全省 12920.47万件, 昆明市 8164.86万件 (Jan-Feb 2023)
    assert vol["530100"] / yunnan == pytest.approx(8164.86 / 12920.47, abs=1e-4)
    # 泉州晚报 2021-08: 全市业务量占全省比重 51.44%
    assert vol[QZ] / fujian == pytest.approx(0.5144, abs=1e-4)


def test_zhengzhou_is_14th_in_2024(vol):
    # 郑州日报: 2024年…快递业务量…居全国50强城市第14位
    assert _rank(vol, ZZ) == 14


def test_top_three_of_2025(vol):
    # 中新社 2026-01-22 (chinanews.com.cn/cj/2026/01-22/10557017.shtml):
    # 广州、金华(义乌)、深圳则占据快递处理量前三名
    assert vol[GZ] >= vol[JH] >= vol[SZ]
    assert vol.drop([GZ, JH, SZ]).max() < vol[SZ]
    assert [_rank(vol, c) for c in (GZ, JH, SZ)] == [1, 2, 3]


def test_units_absent_from_the_2022_top_20_rank_below_it(vol):
    est = datasets.prefectures()["express_volume_estimated"]
    named = set(TOP20_2022) | UNCERTAIN_2022 | set(TOP15_2021)
    absent = [c for c in vol.index if c not in named and est[c]]
    floor = vol[TOP20_2022].min()
    assert vol[absent].max() < floor
    # the cases the previous release got wrong: 湛江 and 茂名 stood 13th and 14th
    for code in ("440800", "440900", "441300", "440700"):  # 湛江, 茂名, 惠州, 江门
        assert code in absent
        assert _rank(vol, code) > 20


# Orders of the 2022 list applied to 2024 (the list nearest to 2024 after 2025 that decides
# the pair). Four are not applied, each because a 2024 statement decides otherwise: 杭州 and
# 上海, 温州 and 郑州 both have 2024 figures (42.7 < 49.5; 24.5 < 25.68); 佛山 above 郑州 would
# put 郑州 15th (the 2021 list has 郑州 15th and 佛山 absent); 东莞 above 上海 contradicts the
# 2021 list (上海 4th, 东莞 7th) and, with 杭州 above 东莞 (both lists), the 2024 figures.
NOT_APPLIED_2022 = {(HZ, SH), (WZ, ZZ), (FS, ZZ), (DG, SH)}


def test_orders_of_the_2022_list(vol):
    applied, broken = 0, []
    for i, a in enumerate(TOP20_2022):
        for b in TOP20_2022[i + 1 :]:
            if (a, b) == (JH, GZ):
                continue  # decided by the nearer 2025 list: 广州 first
            if (a, b) in NOT_APPLIED_2022:
                assert vol[a] < vol[b], (a, b)  # documented exceptions really are exceptions
                continue
            applied += 1
            if not vol[a] > vol[b]:
                broken.append((a, b))
    assert not broken
    assert applied == 18 * 17 // 2 - 1 - len(NOT_APPLIED_2022)


def test_estimated_rows_carry_the_held_out_error():
    pref = datasets.prefectures()
    est = pref[pref["express_volume_quality"] == "estimate"]
    spread = est["express_volume_spread"].unique()
    assert len(spread) == 1 and 0.1 < spread[0] < 0.5
    text = est["express_volume_method"].iloc[0]
    bias = float(text.split("(bias ")[1].split(",")[0])
    assert abs(bias) <= 0.1
    assert np.isfinite(bias)
