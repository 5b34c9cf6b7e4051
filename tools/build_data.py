"""Regenerate the shipped tables in data/cities/ from the raw reference data.

Usage::

    python tools/build_data.py [--reference tools/sources/reference] [--sources tools/sources]
                               [--out data/cities] [--plan PLAN.txt]

With no arguments it rebuilds every table of ``data/cities/`` (and the boundary layers, which
need the ``build`` extra: ``pip install -e ".[build]"``) from files kept in the repository,
byte for byte. ``--reference`` (default: ``tools/sources/reference``) is the directory of
reference extracts (admin centres in GCJ-02, census population, State Post Bureau volumes,
airport cargo, pilot zones, border ports, rail hubs, national international express; each
row with its source, ``tools/sources/README.md`` gives each file's origin and period).
``--sources`` (default: ``tools/sources`` next to this script) holds the source files
compiled for the project: ``cbec_batches.csv`` (one row per pilot-zone batch: State Council
document, official size, source), ``point_fixes.csv`` (boundary-checked points written by
``tools/check_points.py``) and ``border_ports.csv`` (land ports added to or completing the raw
list: the page naming each port, its county, and -- each with its own source -- mode,
seasonal opening and the port's own coordinates).
``--plan`` optionally points at the text of the 14th Five-Year Express Development Plan; when
given, every 专栏4 sentence embedded below is checked to occur verbatim in it.

The output is deterministic: same inputs, byte-identical CSVs (fixed row order, fixed float
formatting, ``\\n`` line endings). GCJ-02 centre points are converted to WGS84 with
:func:`borderhub.geo.gcj02_to_wgs84`; the GCJ-02 source points are kept next to the WGS84
ones (``lon_gcj02``, ``lat_gcj02``) so the tests can re-check the conversion.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import volume_estimator as ve  # tools/volume_estimator.py

from borderhub.geo import gcj02_to_wgs84, wgs84_to_gcj02

# ---------------------------------------------------------------------------------------
# 专栏4 as printed in the plan (State Post Bureau, 《"十四五"快递业发展规划》, 2021).
# The place lists are parsed from these sentences, so the table follows the plan's words.
# ---------------------------------------------------------------------------------------
COLUMN4_SENTENCES = {
    "CORE": (
        "推动北京、天津、上海、南京、杭州、郑州、广州、深圳、南宁、昆明等地优化进出境快件处理"
        "场所布局，强化综合性进出境快件处理中心功能。"
    ),
    "LONG_TERM": "支持鄂州、海口等地建设适应长远发展需要的综合性进出境快件处理中心。",
    "PROVINCIAL": (
        "支持太原、长春、哈尔滨、济南、武汉、长沙、成都、贵阳、西安、兰州、乌鲁木齐等省会城市"
        "打造辐射省内周边城市的综合性进出境快件处理中心。"
    ),
    "ENCOURAGED": (
        "鼓励唐山、大连、延吉、绥芬河、黑河、苏州、徐州、宁波、温州、嘉兴、绍兴、舟山、芜湖、"
        "泉州、赣州、临沂、烟台、济宁、襄阳、宜昌、东莞、珠海、汕头、佛山、惠州、江门、湛江、"
        "钦州-北海-防城港、三亚、德宏、红河、保山、西双版纳等地建设进出境快件处理中心。"
    ),
    "RAIL": "推动西安、重庆、成都、郑州、义乌等中欧班列开行城市建设铁路进出境快件处理中心",
}
_LIST_PATTERNS = {
    "CORE": r"推动(.+?)等地优化",
    "LONG_TERM": r"支持(.+?)等地建设",
    "PROVINCIAL": r"支持(.+?)等省会城市",
    "ENCOURAGED": r"鼓励(.+?)等地建设",
    "RAIL": r"推动(.+?)等中欧班列",
}
TIER_ORDER = ["CORE", "LONG_TERM", "PROVINCIAL", "ENCOURAGED", "RAIL", "PORT"]

#: Plan name -> adcode of the unit the plan names (2020-era GB/T 2260 codes). 延吉, 绥芬河
#: and 义乌 are county-level cities; 德宏, 红河, 西双版纳 are autonomous prefectures; the
#: municipalities use their province-level code.
PLAN_ADCODES = {
    "北京": "110000", "天津": "120000", "上海": "310000", "南京": "320100", "杭州": "330100",
    "郑州": "410100", "广州": "440100", "深圳": "440300", "南宁": "450100", "昆明": "530100",
    "鄂州": "420700", "海口": "460100",
    "太原": "140100", "长春": "220100", "哈尔滨": "230100", "济南": "370100", "武汉": "420100",
    "长沙": "430100", "成都": "510100", "贵阳": "520100", "西安": "610100", "兰州": "620100",
    "乌鲁木齐": "650100",
    "唐山": "130200", "大连": "210200", "延吉": "222401", "绥芬河": "231081", "黑河": "231100",
    "苏州": "320500", "徐州": "320300", "宁波": "330200", "温州": "330300", "嘉兴": "330400",
    "绍兴": "330600", "舟山": "330900", "芜湖": "340200", "泉州": "350500", "赣州": "360700",
    "临沂": "371300", "烟台": "370600", "济宁": "370800", "襄阳": "420600", "宜昌": "420500",
    "东莞": "441900", "珠海": "440400", "汕头": "440500", "佛山": "440600", "惠州": "441300",
    "江门": "440700", "湛江": "440800", "钦州": "450700", "北海": "450500", "防城港": "450600",
    "三亚": "460200", "德宏": "533100", "红河": "532500", "保山": "530500", "西双版纳": "532800",
    "重庆": "500000", "义乌": "330782",
}  # fmt: skip

#: Coastal prefecture-level units among the candidates (territory borders the sea, including
#: Hangzhou Bay and the Pearl River estuary). The plan names no port city; this flag marks
#: the places where its PORT tier ("沿海城市统筹建设港口进出境快件处理中心") can apply.
COASTAL = {
    "120000", "310000", "330100", "440100", "440300", "460100", "130200", "210200",
    "330200", "330300", "330400", "330600", "330900", "350500", "370600", "441900",
    "440400", "440500", "441300", "440700", "440800", "450700", "450500", "450600",
    "460200",
}  # fmt: skip
COASTAL_SOURCE = (
    "compiled: unit borders the sea (Bohai, Yellow, East China, South China Sea, Hangzhou Bay, "
    "Pearl River estuary); general geography, not a statistical table"
)

#: Demand units without a centre in the admin-centre table, and the row used instead. The
#: five Corps cities missing from cpca take the interior point of their own boundary polygon
#: (``tools/sources/point_fixes.csv``, written by ``tools/check_points.py``) instead.
COORD_PROXIES = {
    "540600": ("542400", "那曲地区 (540600 那曲市 replaced code 542400 in 2018; same seat)"),
}

#: Relative spread of an express-volume figure by method (used by robustness analyses that
#: draw volumes around their value). Sourced figures: rounding and copying error of a
#: secondary copy; the municipal-bulletin figure of 常州 is "约" (approximate). Estimates
#: get the held-out error of the estimator, computed in build_prefectures.
SPREAD_PROVINCE = 0.01
SPREAD_REPORTED = 0.05
SPREAD_APPROXIMATE = 0.10
#: An earlier period's sourced share of the province applied to the 2024 province volume:
#: spread = SPREAD_SHARE_BASE + SPREAD_SHARE_PER_YEAR x (2024 - year of the share), capped
#: at the population-share estimator's spread. The shares recorded twice drift by up to 5 %
#: a year (武汉 74.3 % -> 70.8 %, 2015->2016; 泉州 50.1 % -> 51.4 %, 2020->Jan-Jul 2021;
#: 昆明 64.8 % -> 63.2 %, Q1 2019->Jan-Feb 2023), hence 0.05 a year on top of 0.10 for
#: a part-year share.
SPREAD_SHARE_BASE = 0.10
SPREAD_SHARE_PER_YEAR = 0.05
#: Shares older than this many years before 2024 are recorded in the source file but not
#: used (成都 2015, 武汉 2016: the province's geography of express has changed since, e.g.
#: 鄂州's cargo hub opened in 2022).
MAX_SHARE_AGE = 5

#: Source grades, strongest first: ``official`` (a government or statistical body's own
#: document, read in the original or a copy of its text), ``news`` (a news report citing an
#: official figure or statement), ``secondary`` (a secondary or unnamed copy: repositories,
#: wikis, web pages, compiled judgements).
GRADES = ("official", "news", "secondary")
#: Relative spread a figure's grade adds (in quadrature) to the spread of its method.
GRADE_SPREAD = {"official": 0.0, "news": 0.05, "secondary": 0.10}
#: Grade of the census population (the NBS county tabulation, in a digitised copy checked
#: against a second digitisation and the provincial bulletins).
GRADE_POPULATION = "official"


def grade_of(quality: str) -> str:
    """Source grade of a raw ``quality`` flag (official*, *news, the rest secondary)."""
    q = str(quality).strip().lower()
    if not q or q == "nan":
        return ""
    if q.startswith("official"):
        return "official"
    if "news" in q:
        return "news"
    return "secondary"


def weakest(*grades: str) -> str:
    """The weakest of the given grades (empty ones ignored)."""
    present = [g for g in grades if g]
    return max(present, key=GRADES.index) if present else ""


def graded_spread(base: float, grade: str) -> float:
    """Spread of a figure: its method's spread and its grade's, in quadrature (2 decimals)."""
    return round(float(np.hypot(base, GRADE_SPREAD[grade])), 2)


#: Cities of the published rank lists (tools/sources/reference/express_volume_city.csv) ->
#: adcode; the two 2022 slots whose name is uncertain in the translated source, and the
#: units they may stand for (left out of "absent from the list").
RANKED_ADCODES = {
    "广州": "440100", "深圳": "440300", "揭阳": "445200", "东莞": "441900", "汕头": "440500",
    "泉州": "350500", "北京": "110000", "武汉": "420100", "成都": "510100", "佛山": "440600",
    "郑州": "410100", "石家庄": "130100",
}  # fmt: skip
UNCERTAIN_SLOTS = {
    (2022, 19): ("141000", "371300"),  # "Linfen": 临汾 or 临沂
    (2022, 20): ("331000", "321200"),  # "Taizhou": 台州 or 泰州
}
SRC_STATEMENTS = (
    "orders from the published city rank lists (2020, 2021, 2022, 2025) and 郑州's 2024 rank "
    "(tools/sources/reference/express_volume_city.csv, tools/sources/express_volume_city.csv)"
)


def volume_statements(src: Sources) -> ve.Statements:
    """The rank statements of the sources: full-year rank lists and 2024 ranks."""
    names = {**CITY_VOLUME_ADCODES, **RANKED_ADCODES}
    city = src.city_vol
    ranked = city[
        city["rank"].notna()
        & (city["period"] == "full year")
        & city["metric"].isin(["express_volume", "express_volume_rank"])
    ]
    st = ve.Statements()
    for year, grp in ranked.groupby("year"):
        grp = grp.sort_values("rank")
        order, uncertain = [], set()
        for _, r in grp.iterrows():
            if pd.isna(r["city"]):
                uncertain |= set(UNCERTAIN_SLOTS[(int(year), int(r["rank"]))])
            else:
                order.append(names[r["city"]])
        if int(year) == 2024:
            continue
        st.lists[int(year)] = (order, len(grp), uncertain)
    own = src.own_city
    for _, r in own[(own["metric"] == "express_volume_rank") & (own["year"] == 2024)].iterrows():
        st.ranks.append((r["adcode"], int(float(r["value"]))))
    return st


def _cbec_batches(src: Sources) -> pd.Series:
    """Earliest pilot-zone batch of each unit (adcode -> batch)."""
    return _cbec_match(src).groupby("adcode")["batch"].min()


def _named(note: str, names: pd.Series) -> str:
    """A statement note with adcodes replaced by names."""
    note = re.sub(r"@(\d{4}) above", r"every city of the \1 list above", note)
    return re.sub(r"\b(\d{6})\b", lambda m: names.get(m.group(1), m.group(1)), note)


#: Neighbouring country as written in border_ports.csv -> ISO 3166-1 alpha-3 (";"-joined
#: where a port faces two countries).
ISO3 = {
    "Myanmar": "MMR", "Laos": "LAO", "Vietnam": "VNM", "Russia": "RUS", "DPRK": "PRK",
    "Mongolia": "MNG", "Kazakhstan": "KAZ", "Russia / DPRK": "RUS;PRK", "Pakistan": "PAK",
    "Tajikistan": "TJK", "Kyrgyzstan": "KGZ", "Nepal": "NPL",
}  # fmt: skip

#: 2024 city volumes (express_volume_city.csv) -> prefecture adcode.
CITY_VOLUME_ADCODES = {
    "上海": "310000", "杭州": "330100", "苏州": "320500", "金华(义乌)": "330700",
    "温州": "330300", "宁波": "330200", "合肥": "340100", "绍兴": "330600", "嘉兴": "330400",
    "台州": "331000", "南通": "320600", "南京": "320100", "宿迁": "321300", "徐州": "320300",
    "无锡": "320200", "连云港": "320700", "亳州": "341600", "湖州": "330500", "常州": "320400",
}  # fmt: skip

#: Border ports (border_ports.csv) -> stable id and the adcode whose admin centre stands in
#: for the port (the county-level unit where the source names one, else the prefecture).
BORDER_PORTS = {
    "瑞丽": ("ruili", "533102", ""),
    "磨憨": ("mohan", "532823", "county 勐腊县 added by compiler (not in source)"),
    "河口": ("hekou", "532532", ""),
    "东兴": ("dongxing", "450681", ""),
    "凭祥": ("pingxiang", "451481", ""),
    "绥芬河": ("suifenhe", "231081", ""),
    "黑河": ("heihe", "231100", "prefecture-level city; point is the prefecture centre"),
    "珲春": ("hunchun", "222404", ""),
    "丹东": ("dandong", "210600", "prefecture-level city; point is the prefecture centre"),
    "满洲里": ("manzhouli", "150781", ""),
    "二连浩特": ("erenhot", "152501", ""),
    "策克": ("ceke", "152923", ""),
    "巴格毛都": ("bagemaodu", "150825", ""),
    "甘其毛都": ("ganqimaodu", "150824", ""),
    "满都拉": ("mandula", "150223", ""),
    "珠恩嘎达布其": ("zhuengadabuqi", "152525", ""),
    "阿尔山": ("arxan", "152202", "county 阿尔山市 added by compiler (not in source)"),
    "阿日哈沙特": ("arihashate", "150727", ""),
    "二卡": ("erka", "150781", ""),
    "霍尔果斯": ("khorgas", "654004", "county 霍尔果斯市 added by compiler (not in source)"),
    "阿拉山口": ("alashankou", "652702", ""),
}

#: Cross-border e-commerce pilot zones whose name is not a plain admin-centre name.
CBEC_ADCODES = {"海南全岛": "460000", "雄安新区": "130638"}
CBEC_NOTES = {
    "海南全岛": "whole island; point is the province-level centre (海口)",
    "雄安新区": "no 2020-era code; point is the centre of 雄县 (one of its three counties)",
}

# Partner hubs: city-centre coordinates as recorded in the GeoNames gazetteer (geonames.org,
# CC BY 4.0), rounded to 4 decimals. Columns: partner_id, city, country, iso3, rcep, region,
# lat, lon, geonameid, role.
PARTNERS = [
    ("JPN-TYO", "Tokyo", "Japan", "JPN", True, "Northeast Asia", 35.6895, 139.6917, 1850147,
     "main air hub (Narita/Haneda)"),
    ("JPN-OSA", "Osaka", "Japan", "JPN", True, "Northeast Asia", 34.6937, 135.5022, 1853909,
     "Kansai air hub; Osaka/Kobe sea routes"),
    ("KOR-SEL", "Seoul", "Republic of Korea", "KOR", True, "Northeast Asia", 37.5660, 126.9784,
     1835848, "main air hub (Incheon)"),
    ("KOR-PUS", "Busan", "Republic of Korea", "KOR", True, "Northeast Asia", 35.1017, 129.0300,
     1838524, "main sea port"),
    ("AUS-SYD", "Sydney", "Australia", "AUS", True, "Oceania", -33.8679, 151.2073, 2147714,
     "main air hub"),
    ("AUS-MEL", "Melbourne", "Australia", "AUS", True, "Oceania", -37.8140, 144.9633, 2158177,
     "air hub"),
    ("NZL-AKL", "Auckland", "New Zealand", "NZL", True, "Oceania", -36.8485, 174.7635, 2193733,
     "main air hub"),
    ("BRN-BWN", "Bandar Seri Begawan", "Brunei Darussalam", "BRN", True, "ASEAN", 4.8904,
     114.9401, 1820906, "capital, main airport"),
    ("KHM-PNH", "Phnom Penh", "Cambodia", "KHM", True, "ASEAN", 11.5625, 104.9160, 1821306,
     "capital, main airport"),
    ("IDN-JKT", "Jakarta", "Indonesia", "IDN", True, "ASEAN", -6.2146, 106.8451, 1642911,
     "main air hub"),
    ("LAO-VTE", "Vientiane", "Lao PDR", "LAO", True, "ASEAN", 17.9667, 102.6000, 1651944,
     "capital; China-Laos railway / road via 磨憨"),
    ("MYS-KUL", "Kuala Lumpur", "Malaysia", "MYS", True, "ASEAN", 3.1412, 101.6865, 1735161,
     "main air hub"),
    ("MMR-RGN", "Yangon", "Myanmar", "MMR", True, "ASEAN", 16.8053, 96.1561, 1298824,
     "main air and sea hub"),
    ("MMR-MDL", "Mandalay", "Myanmar", "MMR", True, "ASEAN", 21.9747, 96.0836, 1311874,
     "road hub on the 瑞丽-木姐 corridor"),
    ("PHL-MNL", "Manila", "Philippines", "PHL", True, "ASEAN", 14.6042, 120.9822, 1701668,
     "main air hub"),
    ("SGP-SIN", "Singapore", "Singapore", "SGP", True, "ASEAN", 1.2897, 103.8501, 1880252,
     "main air and sea hub"),
    ("THA-BKK", "Bangkok", "Thailand", "THA", True, "ASEAN", 13.7540, 100.5014, 1609350,
     "main air hub"),
    ("VNM-HAN", "Hanoi", "Viet Nam", "VNM", True, "ASEAN", 21.0245, 105.8412, 1581130,
     "air hub; road/rail via 凭祥, 东兴, 河口"),
    ("VNM-SGN", "Ho Chi Minh City", "Viet Nam", "VNM", True, "ASEAN", 10.8230, 106.6296,
     1566083, "main air hub"),
    ("USA-LAX", "Los Angeles", "United States", "USA", False, "North America", 34.0522,
     -118.2437, 5368361, "air cargo gateway"),
    ("USA-NYC", "New York", "United States", "USA", False, "North America", 40.7143, -74.0060,
     5128581, "air cargo gateway"),
    ("USA-ANC", "Anchorage", "United States", "USA", False, "North America", 61.2181,
     -149.9003, 5879400, "trans-Pacific air cargo stop"),
    ("DEU-FRA", "Frankfurt am Main", "Germany", "DEU", False, "Europe", 50.1155, 8.6842,
     2925533, "air cargo hub"),
    ("BEL-LGG", "Liège", "Belgium", "BEL", False, "Europe", 50.6337, 5.5675, 2792413,
     "air cargo hub for e-commerce"),
    ("NLD-AMS", "Amsterdam", "Netherlands", "NLD", False, "Europe", 52.3740, 4.8897, 2759794,
     "air cargo hub"),
    ("GBR-LON", "London", "United Kingdom", "GBR", False, "Europe", 51.5085, -0.1257, 2643743,
     "air cargo hub"),
    ("DEU-DUI", "Duisburg", "Germany", "DEU", False, "Europe", 51.4325, 6.7652, 2934691,
     "China-Europe Railway Express terminal"),
    ("POL-LCJ", "Łódź", "Poland", "POL", False, "Europe", 51.7500, 19.4667, 3093133,
     "China-Europe Railway Express terminal"),
    ("ESP-MAD", "Madrid", "Spain", "ESP", False, "Europe", 40.4165, -3.7026, 3117735,
     "China-Europe Railway Express terminal (Yiwu-Madrid)"),
    ("RUS-MOW", "Moscow", "Russia", "RUS", False, "Europe", 55.7522, 37.6156, 524901,
     "China-Europe Railway Express terminal"),
    ("RUS-VVO", "Vladivostok", "Russia", "RUS", False, "Northeast Asia", 43.1056, 131.8735,
     2013348, "road/rail via 绥芬河, 珲春"),
    ("RUS-BQS", "Blagoveshchensk", "Russia", "RUS", False, "Northeast Asia", 50.2796,
     127.5405, 2026609, "across the Amur from 黑河"),
    ("ARE-DXB", "Dubai", "United Arab Emirates", "ARE", False, "Middle East", 25.0773,
     55.3093, 292223, "air cargo hub"),
    ("QAT-DOH", "Doha", "Qatar", "QAT", False, "Middle East", 25.2854, 51.5310, 290030,
     "air cargo hub"),
    ("SAU-RUH", "Riyadh", "Saudi Arabia", "SAU", False, "Middle East", 24.6877, 46.7219,
     108410, "air cargo gateway"),
    ("ETH-ADD", "Addis Ababa", "Ethiopia", "ETH", False, "Africa", 9.0250, 38.7469, 344979,
     "air cargo hub"),
    ("KEN-NBO", "Nairobi", "Kenya", "KEN", False, "Africa", -1.2833, 36.8167, 184745,
     "air cargo gateway"),
    ("NGA-LOS", "Lagos", "Nigeria", "NGA", False, "Africa", 6.4541, 3.3947, 2332459,
     "air cargo gateway"),
    ("ZAF-JNB", "Johannesburg", "South Africa", "ZAF", False, "Africa", -26.2023, 28.0436,
     993800, "air cargo gateway"),
    ("EGY-CAI", "Cairo", "Egypt", "EGY", False, "Africa", 30.0626, 31.2497, 360630,
     "air cargo gateway"),
    ("BRA-SAO", "São Paulo", "Brazil", "BRA", False, "Latin America", -23.5475, -46.6361,
     3448439, "air cargo gateway"),
    ("MEX-MEX", "Mexico City", "Mexico", "MEX", False, "Latin America", 19.4285, -99.1277,
     3530597, "air cargo gateway"),
    ("CHL-SCL", "Santiago", "Chile", "CHL", False, "Latin America", -33.4569, -70.6483,
     3871336, "air cargo gateway"),
]  # fmt: skip

# Partner hubs of the countries with an open land port that are not in PARTNERS: the point
# is the capital's main airport as recorded in the airportsdata package (MIT), cited by
# package, version and IATA code. Columns: partner_id, city, country, iso3, region, IATA.
AIRPORT_PARTNERS = [
    ("MNG-ULN", "Ulaanbaatar", "Mongolia", "MNG", "Northeast Asia", "UBN"),
    ("PRK-FNJ", "Pyongyang", "Democratic People's Republic of Korea", "PRK", "Northeast Asia",
     "FNJ"),
    ("KAZ-NQZ", "Astana", "Kazakhstan", "KAZ", "Central Asia", "NQZ"),
    ("KGZ-BSZ", "Bishkek", "Kyrgyzstan", "KGZ", "Central Asia", "BSZ"),
    ("TJK-DYU", "Dushanbe", "Tajikistan", "TJK", "Central Asia", "DYU"),
    ("PAK-ISB", "Islamabad", "Pakistan", "PAK", "South Asia", "ISB"),
    ("NPL-KTM", "Kathmandu", "Nepal", "NPL", "South Asia", "KTM"),
]  # fmt: skip

COMPREHENSIVE = ("CORE", "LONG_TERM")
# Corridors of task 14 and 专栏5. Origins are computed from the tier table (see below);
# columns: corridor_id, name, mode, origin rule, destination_region, partners, plan_ref,
# plan_text, description.
CORRIDORS = [
    ("AIR-ASEAN", "Southeast Asia air express corridor", "air", "comprehensive",
     "ASEAN", "SGP-SIN;THA-BKK;MYS-KUL;IDN-JKT;VNM-SGN;VNM-HAN;PHL-MNL;KHM-PNH;MMR-RGN;"
     "LAO-VTE;BRN-BWN", "task 14", "拓展完善到东南亚、东北亚航空快递通道",
     "extend and improve the air express corridors to Southeast Asia; origins are the "
     "comprehensive centres (CORE and LONG_TERM tiers), the plan names no origin city"),
    ("AIR-NEA", "Northeast Asia air express corridor", "air", "comprehensive",
     "Northeast Asia", "JPN-TYO;JPN-OSA;KOR-SEL", "task 14",
     "拓展完善到东南亚、东北亚航空快递通道",
     "extend and improve the air express corridors to Japan and Korea; origins are the "
     "comprehensive centres (CORE and LONG_TERM tiers)"),
    ("AIR-NAM", "North America air express corridor", "air", "comprehensive",
     "North America", "USA-LAX;USA-NYC;USA-ANC", "task 14; 专栏5",
     "推动至美欧、澳新、非洲、中东等国际航空快递通道建设；在北美、欧洲和大洋洲等重要贸易伙伴国家"
     "构建快递通道", "build international air express corridors to the United States"),
    ("AIR-EUR", "Europe air express corridor", "air", "comprehensive", "Europe",
     "DEU-FRA;BEL-LGG;NLD-AMS;GBR-LON", "task 14; 专栏5",
     "推动至美欧、澳新、非洲、中东等国际航空快递通道建设；在北美、欧洲和大洋洲等重要贸易伙伴国家"
     "构建快递通道", "build international air express corridors to Europe"),
    ("AIR-OCE", "Australia and New Zealand air express corridor", "air", "comprehensive",
     "Oceania", "AUS-SYD;AUS-MEL;NZL-AKL", "task 14; 专栏5",
     "推动至美欧、澳新、非洲、中东等国际航空快递通道建设；在北美、欧洲和大洋洲等重要贸易伙伴国家"
     "构建快递通道", "build international air express corridors to Australia and New Zealand"),
    ("AIR-AFR", "Africa air express corridor", "air", "comprehensive", "Africa",
     "ETH-ADD;KEN-NBO;NGA-LOS;ZAF-JNB;EGY-CAI", "task 14; 专栏5",
     "推动至美欧、澳新、非洲、中东等国际航空快递通道建设；在非洲、中东和拉美等新兴市场建立服务节点",
     "build air express corridors to Africa and service nodes in its emerging markets"),
    ("AIR-MEA", "Middle East air express corridor", "air", "comprehensive", "Middle East",
     "ARE-DXB;QAT-DOH;SAU-RUH", "task 14; 专栏5",
     "推动至美欧、澳新、非洲、中东等国际航空快递通道建设；在非洲、中东和拉美等新兴市场建立服务节点",
     "build air express corridors to the Middle East and service nodes there"),
    ("AIR-LAM", "Latin America service nodes", "air", "comprehensive", "Latin America",
     "BRA-SAO;MEX-MEX;CHL-SCL", "专栏5", "在非洲、中东和拉美等新兴市场建立服务节点",
     "establish service nodes in Latin American emerging markets (no corridor named in task 14)"),
    ("RAIL-EUR", "China-Europe Railway Express (express by rail)", "rail", "rail",
     "Europe", "DEU-DUI;POL-LCJ;ESP-MAD;RUS-MOW", "task 14; 专栏4",
     "研究推进中欧班列运输快件；推动西安、重庆、成都、郑州、义乌等中欧班列开行城市建设铁路进出境快件处理中心",
     "study and promote moving express items on China-Europe trains from the five RAIL cities"),
    ("SEA-JPKR", "Japan and Korea sea routes", "sea", "sea", "Northeast Asia",
     "JPN-TYO;JPN-OSA;KOR-PUS", "task 14; 专栏4",
     "推动发展对日韩等海运线路；支持沿海城市统筹建设港口进出境快件处理中心",
     "develop sea routes to Japan and Korea; origins are the coastal candidates on the "
     "Bohai, Yellow and East China seas (Tianjin to Zhejiang)"),
    ("ROAD-MMR", "Myanmar road corridor via 瑞丽, 畹町, 猴桥, 打洛", "road", "port:Myanmar",
     "ASEAN", "MMR-MDL;MMR-RGN", "task 13; 专栏5",
     "边境口岸所在城市等加快建设综合性进出境快件处理中心；因地制宜提升航空、铁路、海运、公路等国际运输能力",
     "land border road corridor through the border ports of the candidate units"),
    ("ROAD-LAO", "Laos road corridor via 磨憨", "road", "port:Laos", "ASEAN",
     "LAO-VTE;THA-BKK", "task 13; 专栏5",
     "边境口岸所在城市等加快建设综合性进出境快件处理中心；因地制宜提升航空、铁路、海运、公路等国际运输能力",
     "land border road corridor through the border ports of the candidate units"),
    ("ROAD-VNM", "Viet Nam road corridor via 河口, 东兴", "road", "port:Vietnam", "ASEAN",
     "VNM-HAN", "task 13; 专栏5",
     "边境口岸所在城市等加快建设综合性进出境快件处理中心；因地制宜提升航空、铁路、海运、公路等国际运输能力",
     "land border road corridor through the border ports of the candidate units"),
    ("ROAD-RUS", "Russian Far East road corridor via 绥芬河, 黑河", "road", "port:Russia",
     "Northeast Asia", "RUS-VVO;RUS-BQS", "task 13; 专栏5",
     "边境口岸所在城市等加快建设综合性进出境快件处理中心；因地制宜提升航空、铁路、海运、公路等国际运输能力",
     "land border road corridor through the border ports of the candidate units"),
]  # fmt: skip
SEA_PROVINCES = ("天津", "河北", "辽宁", "山东", "江苏", "上海", "浙江")

WGS_DECIMALS = 7
OUT_FILES = (
    "column4.csv",
    "candidates.csv",
    "prefectures.csv",
    "partners.csv",
    "corridors.csv",
    "border_ports.csv",
    "cbec_pilot_zones.csv",
)

SRC_POP = (
    "NBS 《中国人口普查分县资料-2020》 county tabulation, digitised in leiii/census (MIT) @0ba0f1e"
)
SRC_PLAN = (
    "国家邮政局 (State Post Bureau), 《“十四五”快递业发展规划》 (2021), 专栏4 and tasks 13-14, "
    "专栏5 (the plan's own text; origins of the corridors are a documented modelling choice)"
)
SRC_ADMIN = "cpca 0.5.5 adcodes.csv (MIT, (c) 2018 QinYuan Du), Amap GCJ-02 centres"
SRC_PROV_VOL = (
    "State Post Bureau 《2024年邮政行业运行情况》 province table, via "
    "StillPlum/DataJournalism data/province_2024.json@49de818"
)


def short_province(full: str) -> str:
    """Return the short province name used by the volume tables (河北省 -> 河北)."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if full.endswith(suffix):
            return full[: -len(suffix)]
    return full


def parse_column4(plan_text: str | None) -> list[dict]:
    """Parse the 专栏4 sentences into one record per (place, tier) membership."""
    rows = []
    for tier in TIER_ORDER[:-1]:
        sentence = COLUMN4_SENTENCES[tier]
        if plan_text is not None and sentence not in plan_text.replace("\n", ""):
            sys.exit(f"专栏4 sentence for {tier} not found verbatim in the plan text")
        match = re.search(_LIST_PATTERNS[tier], sentence)
        assert match is not None
        for entry in match.group(1).split("、"):
            for place in entry.split("-"):
                rows.append({"tier": tier, "plan_entry": entry, "plan_name": place})
    return rows


def wgs(frame: pd.DataFrame) -> pd.DataFrame:
    """Add WGS84 lon/lat converted from lon_gcj02/lat_gcj02 (rows with a point only)."""
    out = frame.copy()
    has = out["lon_gcj02"].notna().to_numpy()
    lon = np.full(len(out), np.nan)
    lat = np.full(len(out), np.nan)
    if has.any():
        x, y = gcj02_to_wgs84(
            out.loc[has, "lon_gcj02"].to_numpy(float), out.loc[has, "lat_gcj02"].to_numpy(float)
        )
        lon[has], lat[has] = np.round(x, WGS_DECIMALS), np.round(y, WGS_DECIMALS)
    out["lon"], out["lat"] = lon, lat
    return out


class Sources:
    """The raw tables, read once with explicit dtypes."""

    def __init__(self, reference: Path, sources: Path):
        def read(name: str, **kw) -> pd.DataFrame:
            return pd.read_csv(reference / name, keep_default_na=False, na_values=[""], **kw)

        def own(name: str, **kw) -> pd.DataFrame:
            return pd.read_csv(sources / name, keep_default_na=False, na_values=[""], **kw)

        s = {"adcode": str}
        self.admin = read("admin_centres_gcj02.csv", dtype=s).set_index("adcode")
        self.pref = read("prefecture_population_2020.csv", dtype=s)
        self.county = read(
            "county_population_2020.csv", dtype={"adcode": str, "prefecture_adcode": str}
        ).set_index("adcode")
        self.prov_vol = read("express_volume_province_2024.csv", dtype=s)
        self.city_vol = read("express_volume_city.csv", dtype=s)
        self.airport = pd.concat(
            [read("airport_cargo.csv", dtype=s), own("airport_cargo_additions.csv", dtype=s)],
            ignore_index=True,
        )
        self.cbec = pd.concat(
            [read("cbec_pilot_zones.csv", dtype=s), own("cbec_additions.csv", dtype=s)],
            ignore_index=True,
        )
        self.rail = read("china_europe_rail_hubs.csv", dtype=s)
        self.ports = read("border_ports.csv", dtype=s)
        self.batches = own("cbec_batches.csv").set_index("batch")
        self.own_city = own("express_volume_city.csv", dtype=s)
        self.own_airport = own("airport_cargo_city.csv", dtype=s)
        self.own_ports = own("border_ports.csv", dtype=str)
        fixes = own("point_fixes.csv", dtype=s)
        self.fixes = fixes[fixes["new_point_of"] == "boundary interior point"].set_index("adcode")

    def point(self, adcode: str) -> tuple[float, float, str]:
        """GCJ-02 centre of a unit and the admin row it comes from."""
        if adcode in self.fixes.index:
            f = self.fixes.loc[adcode]
            return float(f.new_lon_gcj02), float(f.new_lat_gcj02), f"{adcode} {f['reason']}"
        if adcode in COORD_PROXIES:
            code, note = COORD_PROXIES[adcode]
            row = self.admin.loc[code]
            return float(row.lon_gcj02), float(row.lat_gcj02), f"{code} {note}"
        row = self.admin.loc[adcode]
        return float(row.lon_gcj02), float(row.lat_gcj02), f"{adcode} {row['name']}"


def build_prefectures(src: Sources) -> pd.DataFrame:
    """Demand units: all 367 census rows, 2020 population, estimated 2024 express volume.

    Volume method, in order: (1) a sourced 2024 city figure (the State Post Bureau city
    table as quoted in the raw city file, or a municipal figure in
    ``tools/sources/express_volume_city.csv``); (2) where a sourced share of the province's
    express volume exists for an earlier period, the province's 2024 volume times that
    share (an estimate); (3) the rest of each province's 2024 volume split over its other
    units in proportion to 2020 population (an estimate).
    """
    pref = src.pref.copy()
    pref["prov_short"] = pref["province"].map(short_province)
    prov = src.prov_vol[src.prov_vol["province"] != "全国"].set_index("province")
    if set(prov.index) != set(pref["prov_short"]):
        sys.exit("province names of the volume and population tables do not match")
    city = src.city_vol[
        (src.city_vol["year"] == 2024) & (src.city_vol["metric"] == "express_volume")
    ]
    reported = {}
    for _, r in city.iterrows():
        code = CITY_VOLUME_ADCODES[r["city"]]
        quality = "secondary (approximate)" if "approximate" in str(r["note"]) else r["quality"]
        primary = (
            "municipal statistical bulletin"
            if "approximate" in str(r["note"])
            else "State Post Bureau 2024 city express table"
        )
        reported[code] = (
            float(r["value"]),
            quality,
            f"{primary}, as quoted in {r['source']}; {r['source_title']}",
        )
    own = src.own_city
    for _, r in own[(own["metric"] == "express_volume") & (own["year"] == 2024)].iterrows():
        if r["adcode"] in reported:
            sys.exit(f"{r['city']}: two sourced 2024 figures")
        reported[r["adcode"]] = (
            float(r["value"]),
            r["quality"],
            f"{r['source']}; {r['source_title']} ({r['period']} {r['year']})",
        )
    shares = {}
    recent = own[(own["metric"] == "share_of_province") & (own["year"] >= 2024 - MAX_SHARE_AGE)]
    for code, g in recent.groupby("adcode"):
        r = g.sort_values("year").iloc[-1]  # the latest sourced share
        if code in reported:
            continue
        share = (
            float(r["numerator"]) / float(r["denominator"])
            if pd.notna(r["numerator"])
            else float(r["value"])
        )
        shares[code] = (
            share,
            f"{r['period']} {r['year']}",
            f"{r['source']}; {r['source_title']}",
            int(r["year"]),
        )
    totals = prov["express_volume_yi_jian"].astype(float)
    fixed = {c: v[0] for c, v in reported.items()}
    for code, (share, _period, _s, _year) in shares.items():
        fixed[code] = float(totals[pref.set_index("adcode").loc[code, "prov_short"]]) * share
    for _, r in pref.iterrows():
        if (pref["prov_short"] == r["prov_short"]).sum() == 1:
            fixed[r["adcode"]] = float(totals[r["prov_short"]])  # municipality
    train = {c: v[0] for c, v in reported.items()}
    statements = volume_statements(src)
    named = set(train) | {c for o, _n, u in statements.lists.values() for c in o}
    named |= {c for c, _r in statements.ranks}
    x = ve.predictors(pref, src.county.reset_index(), src.admin, _cbec_batches(src), named)
    est, pairs, notes, coef = ve.estimate(pref, totals, fixed, train, x, statements)
    loo = ve.leave_one_out(pref, totals, fixed, train, x, statements)
    bias, sd = float(loo.mean()), float(loo.std(ddof=1))
    spread_est = round(float(np.sqrt(bias**2 + sd**2)), 2)
    names = pref.set_index("adcode")["name"]
    for note in notes:
        print("volume statement not imposed:", _named(note, names), file=sys.stderr)
    print(
        f"volume estimator: held-out bias {bias:+.3f}, spread {sd:.3f} ({len(loo)} cities)",
        file=sys.stderr,
    )
    bound = defaultdict(list)
    for hi, lo, why in pairs:
        for unit, other, word in ((hi, lo, "above"), (lo, hi, "below")):
            if unit not in fixed and not other.startswith("@"):
                bound[unit].append(f"{word} {names[other]} ({why})")
    vol, method, source, quality = [], [], [], []
    for _, r in pref.iterrows():
        code = r["adcode"]
        if code in reported:
            v, q, s = reported[code]
            vol.append(v)
            method.append("reported 2024 city figure (sourced, see express_volume_source)")
            source.append(s)
            quality.append(q)
            continue
        if code in shares:
            share, period, s, _year = shares[code]
            vol.append(fixed[code])
            method.append(
                f"estimate: province 2024 volume x the unit's sourced share of the province's "
                f"express volume in {period} ({share:.4f})"
            )
            source.append(f"{SRC_PROV_VOL}; share: {s}")
            quality.append("estimate (sourced share)")
            continue
        if code in fixed:
            vol.append(fixed[code])
            method.append("province-level 2024 figure (the unit is the whole municipality)")
            source.append(SRC_PROV_VOL)
            quality.append("secondary")
            continue
        vol.append(float(est[code]))
        orders_of = sorted(set(bound.get(code, [])))
        method.append(
            "estimate: the province's 2024 volume left after its sourced figures, allocated "
            "in log space by a regression on 2020 population share, urban share, capital, "
            "pilot zone by 2019 and being named in a published city table (tools/"
            "volume_estimator.py), under every sourced value, share, rank and list "
            "membership"
            + (f"; held to: {'; '.join(orders_of[:6])}" + (" ..." if len(orders_of) > 6 else "")
               if orders_of else "")
        )  # fmt: skip
        source.append(f"{SRC_PROV_VOL}; population {SRC_POP}; {SRC_STATEMENTS}")
        quality.append("estimate")
    pref["express_volume"] = np.round(vol, 4)
    pref["express_volume_year"] = 2024
    pref["express_volume_estimated"] = [q.startswith("estimate") for q in quality]
    grades = [
        "news" if q == "estimate (sourced share)" else "secondary" if q == "estimate"
        else grade_of(q)
        for q in quality
    ]  # fmt: skip

    def share_spread(code: str) -> float:
        age = 2024 - shares[code][3]
        return min(SPREAD_SHARE_BASE + SPREAD_SHARE_PER_YEAR * age, spread_est)

    base = [
        spread_est
        if q == "estimate"
        else share_spread(code)
        if q == "estimate (sourced share)"
        else SPREAD_APPROXIMATE
        if "approximate" in q
        else SPREAD_REPORTED
        if code in reported
        else SPREAD_PROVINCE
        for code, q in zip(pref["adcode"], quality, strict=True)
    ]
    pref["express_volume_spread"] = [graded_spread(b, g) for b, g in zip(base, grades, strict=True)]
    method = [
        m + f"; relative spread {sp} = held-out error of the estimator (bias {bias:+.3f}, "
        f"spread {sd:.3f} over {len(loo)} sourced cities) widened for the {g} grade of "
        "its inputs"
        if q == "estimate"
        else m + f"; relative spread {sp} (age of the share, {g} grade)"
        if q == "estimate (sourced share)"
        else m + f"; relative spread {sp} ({g} grade)"
        for m, q, g, sp in zip(method, quality, grades, pref["express_volume_spread"], strict=True)
    ]
    pref["express_volume_method"] = method
    pref["express_volume_source"] = source
    pref["express_volume_quality"] = quality
    pref["express_volume_grade"] = grades
    pref["source_grade"] = [weakest(GRADE_POPULATION, g) for g in grades]
    pts = [src.point(a) for a in pref["adcode"]]
    pref["lon_gcj02"] = [p[0] for p in pts]
    pref["lat_gcj02"] = [p[1] for p in pts]
    pref["coord_source"] = [f"{SRC_ADMIN}: {p[2]}" for p in pts]
    pref["coord_quality"] = [
        "boundary interior point (no admin centre in source)"
        if a in src.fixes.index
        else "admin centre (former code)"
        if a in COORD_PROXIES
        else "admin centre"
        for a in pref["adcode"]
    ]
    pref["population_year"] = 2020
    pref["population_source"] = SRC_POP + " (" + pref["source"].str.split(" ").str[0] + ")"
    pref = wgs(pref)
    cols = [
        "adcode", "name", "province", "level", "population", "population_bulletin",
        "population_year", "population_source", "express_volume", "express_volume_year",
        "express_volume_estimated", "express_volume_spread",
        "express_volume_method", "express_volume_quality", "express_volume_grade",
        "express_volume_source", "source_grade",
        "lon", "lat", "lon_gcj02", "lat_gcj02", "coord_source", "coord_quality",
    ]  # fmt: skip
    return pref[cols]


def build_column4(src: Sources, plan_text: str | None) -> pd.DataFrame:
    """One row per (place, tier) membership, in plan order."""
    rows = parse_column4(plan_text)
    if set(r["plan_name"] for r in rows) != set(PLAN_ADCODES):
        sys.exit("PLAN_ADCODES does not match the places parsed from 专栏4")
    pref = src.pref.set_index("adcode")
    out = []
    for i, r in enumerate(rows, start=1):
        code = PLAN_ADCODES[r["plan_name"]]
        admin = src.admin.loc[code]
        if not admin["name"].startswith(r["plan_name"]):
            sys.exit(f"{r['plan_name']}: adcode {code} is {admin['name']}")
        if code in pref.index:
            prefecture, province, level = code, pref.loc[code, "province"], pref.loc[code, "level"]
        else:
            c = src.county.loc[code]
            prefecture, province, level = c["prefecture_adcode"], c["province"], "县级市"
        lon, lat, csrc = src.point(code)
        out.append(
            {
                "order": i,
                "plan_name": r["plan_name"],
                "name": admin["name"],
                "adcode": code,
                "prefecture_adcode": prefecture,
                "province": province,
                "level": level,
                "tier": r["tier"],
                "plan_entry": r["plan_entry"],
                "lon_gcj02": lon,
                "lat_gcj02": lat,
                "coord_source": f"{SRC_ADMIN}: {csrc}",
            }
        )
    df = wgs(pd.DataFrame(out))
    df["source"] = SRC_PLAN
    df["source_grade"] = "official"
    cols = ["order", "plan_name", "name", "adcode", "prefecture_adcode", "province", "level",
            "tier", "plan_entry", "source", "source_grade", "lon", "lat", "lon_gcj02",
            "lat_gcj02", "coord_source"]  # fmt: skip
    return df[cols]


def _cbec_match(src: Sources) -> pd.DataFrame:
    """Pilot zones with the adcode of the unit they name (by exact admin-centre name)."""
    cb = src.cbec.copy()
    names = src.admin.reset_index()
    codes, notes = [], []
    for _, r in cb.iterrows():
        name = r["city_cn"]
        if name in CBEC_ADCODES:
            codes.append(CBEC_ADCODES[name])
            notes.append(CBEC_NOTES[name])
            continue
        hit = names[(names["name"] == name) & (names["level"] != "county")]
        if hit.empty:
            hit = names[names["name"] == name]
        if len(hit) != 1:
            sys.exit(f"pilot zone {name!r}: {len(hit)} admin matches")
        codes.append(hit["adcode"].iloc[0])
        notes.append("")
    cb["adcode"] = codes
    cb["point_note"] = notes
    return cb


def build_cbec(src: Sources) -> pd.DataFrame:
    """Cross-border e-commerce comprehensive pilot zones (batches 1-8) with points."""
    cb = _cbec_match(src)
    pts = [src.point(a) for a in cb["adcode"]]
    cb["lon_gcj02"] = [p[0] for p in pts]
    cb["lat_gcj02"] = [p[1] for p in pts]
    cb = wgs(cb)
    cb.insert(0, "zone_id", [f"B{b}-{a}" for b, a in zip(cb["batch"], cb["adcode"], strict=True)])
    cb = cb.rename(columns={"city_cn": "city", "province_compiler": "province_compiler"})
    bt = src.batches
    counts = cb.groupby("batch").size()
    for b, row in bt.iterrows():
        if counts.get(b, 0) > row["zones_official"]:
            sys.exit(f"batch {b}: more zones than the official {row['zones_official']}")
    cb["document_no"] = [
        d if pd.notna(d) else bt.loc[b, "document_no"]
        for d, b in zip(cb["document_no"], cb["batch"], strict=True)
    ]
    cb["batch_size_official"] = [int(bt.loc[b, "zones_official"]) for b in cb["batch"]]
    cb["official_165"] = [bool(bt.loc[b, "official_list"]) for b in cb["batch"]]
    cb["batch_source"] = [
        f"{bt.loc[b, 'source']}; {bt.loc[b, 'source_title']} ({bt.loc[b, 'quality']})"
        for b in cb["batch"]
    ]
    cb["note"] = [
        "; ".join(x for x in (str(n) if pd.notna(n) else "", p) if x)
        for n, p in zip(cb["note"], cb["point_note"], strict=True)
    ]
    cols = ["zone_id", "batch", "approval_date", "document_no", "batch_size_official",
            "official_165", "city", "city_en_in_source", "province_compiler", "adcode",
            "status_2025", "lon", "lat", "lon_gcj02", "lat_gcj02", "source", "source_title",
            "quality", "source_grade", "batch_source", "note"]  # fmt: skip
    cb["source_grade"] = [grade_of(q) for q in cb["quality"]]
    return cb[cols]


# ---------------------------------------------------------------------------------------
# Land border ports
# ---------------------------------------------------------------------------------------
#: Corridor label of a new port by its neighbour (the raw file's labels for its own rows).
PORT_CORRIDOR = {
    "MMR": "RCEP/SE Asia", "LAO": "RCEP/SE Asia", "VNM": "RCEP/SE Asia",
    "RUS": "NE Asia", "PRK": "NE Asia", "MNG": "NE Asia",
    "KAZ": "Central Asia", "KGZ": "Central Asia", "TJK": "Central Asia",
    "PAK": "South Asia", "NPL": "South Asia",
}  # fmt: skip


def _coord_grade(source: str) -> str:
    """Grade of a port point's source (news agency reports are news, the rest secondary)."""
    return "news" if "新华社" in source or "Xinhua" in source else "secondary"


def _port_text(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def build_border_ports(src: Sources) -> pd.DataFrame:
    """Land border ports: the raw file's rows, completed and extended by the port sources.

    ``tools/sources/border_ports.csv`` adds ports (each with the source that names it, its
    county, neighbour and, where a source gives them, mode, seasonal opening and the port's
    own coordinates) and completes the raw rows (matched by ``port``). The point of a port
    is its own sourced point (WGS84 as printed; ``point_sourced`` True) where a source gives
    one, else the admin centre of its county (or prefecture) from cpca, converted from
    GCJ-02 (``point_sourced`` False, a stand-in).
    """
    own = src.own_ports.set_index("port")
    unknown = set(own.index) - set(src.ports["port"]) - set(own.index[own["county_adcode"].notna()])
    if unknown:
        sys.exit(f"border-port sources: rows without a county and not in the raw file: {unknown}")
    base = []
    for _, r in src.ports.iterrows():
        pid, code, note = BORDER_PORTS[r["port"]]
        base.append({
            "port": r["port"], "port_id": pid, "adcode": code,
            "prefecture": re.sub(r"\s*\(.*\)$", "", r["prefecture"]), "province": r["province"],
            "neighbour_country": r["neighbour_country"],
            "facing_town": _port_text(r["facing_town"]),
            "corridor": r["corridor"], "source": r["source"], "source_title": r["source_title"],
            "quality": r["quality"],
            "note": "; ".join(x for x in (note, _port_text(r["note"])) if x),
        })  # fmt: skip
    for port, o in own[~own.index.isin(src.ports["port"])].iterrows():
        iso = ISO3[o["neighbour_country"]]
        base.append({
            "port": port, "port_id": o["port_id"], "adcode": o["county_adcode"],
            "prefecture": o["prefecture"], "province": o["province"],
            "neighbour_country": o["neighbour_country"], "facing_town": "",
            "corridor": PORT_CORRIDOR[iso], "source": o["source"],
            "source_title": o["source_title"], "quality": o["quality"], "note": "",
        })  # fmt: skip
    rows = []
    for b in base:
        o = own.loc[b["port"]] if b["port"] in own.index else None
        code = b["adcode"]
        level = src.admin.loc[code, "level"]
        extra = [] if o is None else [_port_text(o["county_from"]), _port_text(o["note"])]
        if o is not None and b["port"] in set(src.ports["port"]) and pd.notna(o["source"]):
            extra.append(f"also {o['source']}: {o['source_title']} ({o['period']})")
        if o is not None and pd.notna(o["facing_port"]):
            b["facing_town"] = b["facing_town"] or o["facing_port"]
        offset = o is not None and pd.notna(o["point_from_adcode"])
        own_point = o is not None and (pd.notna(o["lon"]) or offset)
        if offset:  # a source places the port relative to a town: "N km west of the seat"
            alon, alat, _ = src.point(o["point_from_adcode"])
            (wlon,), (wlat,) = gcj02_to_wgs84(np.array([alon]), np.array([alat]))
            km = float(o["point_offset_km_west"])
            lon = round(float(wlon) - km / (111.32 * np.cos(np.radians(wlat))), WGS_DECIMALS)
            lat = round(float(wlat), WGS_DECIMALS)
            glon, glat = wgs84_to_gcj02(lon, lat)
            point_of, coord_src = o["point_of"], f"{o['coord_source']}; {o['coord_source_title']}"
        elif own_point:
            lon, lat = float(o["lon"]), float(o["lat"])
            glon, glat = wgs84_to_gcj02(lon, lat)
            point_of, coord_src = o["point_of"], f"{o['coord_source']}; {o['coord_source_title']}"
        else:
            glon, glat, _ = src.point(code)
            lon = lat = np.nan
            point_of = f"{level} admin centre (stand-in: no sourced point of the port)"
            coord_src = f"{SRC_ADMIN}, row {code}"
        mode = "" if o is None or pd.isna(o["mode"]) else o["mode"]
        seasonal = "" if o is None or pd.isna(o["seasonal"]) else o["seasonal"]
        attr = []
        if mode:
            attr.append(f"mode: {o['mode_from']}")
        if seasonal:
            attr.append(f"seasonal: {o['seasonal_from']}")
        rows.append({
            **b,
            "county": src.admin.loc[code, "name"] if level == "county" else "",
            "point_of": point_of, "point_sourced": own_point,
            "neighbour_iso3": ISO3[b["neighbour_country"]], "mode": mode, "seasonal": seasonal,
            "attribute_source": "; ".join(attr), "lon": lon, "lat": lat,
            "lon_gcj02": round(float(glon), WGS_DECIMALS),
            "lat_gcj02": round(float(glat), WGS_DECIMALS),
            "coord_source": coord_src,
            "note": "; ".join(x for x in (b["note"], *extra) if x),
        })  # fmt: skip
    df = pd.DataFrame(rows)
    stand_in = ~df["point_sourced"].to_numpy()
    conv = wgs(df.loc[stand_in, ["lon_gcj02", "lat_gcj02"]])
    df.loc[stand_in, "lon"], df.loc[stand_in, "lat"] = conv["lon"], conv["lat"]
    if df["port_id"].duplicated().any():
        sys.exit(f"duplicate port ids: {df.loc[df['port_id'].duplicated(), 'port_id'].tolist()}")
    cols = ["port_id", "port", "county", "prefecture", "province", "adcode", "point_of",
            "point_sourced", "neighbour_country", "neighbour_iso3", "mode", "seasonal",
            "attribute_source", "facing_town", "corridor", "lon", "lat", "lon_gcj02",
            "lat_gcj02", "coord_source", "source", "source_title", "quality", "source_grade",
            "coord_grade", "note"]  # fmt: skip
    df["source_grade"] = [grade_of(q) for q in df["quality"]]
    df["coord_grade"] = [
        _coord_grade(c) if own else "" for c, own in zip(df["coord_source"], df["point_sourced"],
                                                          strict=True)
    ]  # fmt: skip
    return df[cols]


def build_candidates(
    src: Sources, col4: pd.DataFrame, pref: pd.DataFrame, ports: pd.DataFrame
) -> pd.DataFrame:
    """One row per distinct 专栏4 place with the attributes used for scoring."""
    first = col4.drop_duplicates("adcode").copy()
    tiers = col4.groupby("adcode")["tier"].agg(
        lambda s: ";".join(t for t in TIER_ORDER if t in set(s))
    )
    first["tiers"] = first["adcode"].map(tiers)
    prefv = pref.set_index("adcode")
    cities = {v: k for k, v in CITY_VOLUME_ADCODES.items()}
    # population and volume
    pop, popsrc, vol, vmethod, vsrc, vq = [], [], [], [], [], []
    vest, vspread = [], []
    spread_est = float(
        prefv.loc[prefv["express_volume_quality"] == "estimate", "express_volume_spread"].iloc[0]
    )
    yiwu = src.city_vol
    for _, r in first.iterrows():
        code = r["adcode"]
        if code in prefv.index:
            p = prefv.loc[code]
            pop.append(int(p["population"]))
            popsrc.append(p["population_source"])
            vol.append(float(p["express_volume"]))
            vmethod.append(p["express_volume_method"])
            vsrc.append(p["express_volume_source"])
            vq.append(p["express_volume_quality"])
            vest.append(bool(p["express_volume_estimated"]))
            vspread.append(float(p["express_volume_spread"]))
            continue
        vest.append(True)
        vspread.append(spread_est)
        c = src.county.loc[code]
        parent = prefv.loc[c["prefecture_adcode"]]
        pop.append(int(c["population"]))
        popsrc.append(f"{SRC_POP} (county row {code})")
        if code == "330782":  # 义乌: share of 金华 taken from the 2022 reported figures
            y22 = yiwu[(yiwu["year"] == 2022) & yiwu["city"].str.startswith("义乌")
                       & (yiwu["metric"] == "express_volume")]  # fmt: skip
            j22 = yiwu[(yiwu["year"] == 2022) & (yiwu["city"] == "金华(义乌)")
                       & (yiwu["metric"] == "express_volume")]  # fmt: skip
            share = float(y22["value"].iloc[0]) / float(j22["value"].iloc[0])
            vol.append(float(parent["express_volume"]) * share)
            vmethod.append(
                f"estimate: 金华 2024 reported figure x 义乌's 2022 share of 金华 "
                f"({float(y22['value'].iloc[0])}/{float(j22['value'].iloc[0])} = {share:.4f})"
            )
            vsrc.append(
                f"{parent['express_volume_source']}; 2022: {y22['source'].iloc[0]}; "
                f"{j22['source'].iloc[0]}"
            )
            vq.append("estimate (from secondary figures)")
        else:
            share = (
                c["population"]
                / src.county[src.county["prefecture_adcode"] == c["prefecture_adcode"]][
                    "population"
                ].sum()
            )
            vol.append(float(parent["express_volume"]) * share)
            vmethod.append(
                f"estimate: prefecture ({c['prefecture_adcode']}) estimate split by 2020 "
                f"population share ({share:.4f}); {parent['express_volume_method']}"
            )
            vsrc.append(parent["express_volume_source"])
            vq.append("estimate")
    first["population"] = pop
    first["population_year"] = 2020
    first["population_source"] = popsrc
    first["express_volume"] = np.round(vol, 4)
    first["express_volume_year"] = 2024
    first["express_volume_estimated"] = vest
    first["express_volume_spread"] = vspread
    first["express_volume_method"] = vmethod
    first["express_volume_quality"] = vq
    first["express_volume_grade"] = [
        prefv.loc[c, "express_volume_grade"] if c in prefv.index else "secondary"
        for c in first["adcode"]
    ]
    first["express_volume_source"] = vsrc
    del cities
    # border ports inside the unit (county-level: the port's county; prefecture: any port in it)
    bp, bn, bs = [], [], []
    for _, r in first.iterrows():
        code = r["adcode"]
        inside = ports[
            (ports["adcode"] == code) | ((ports["adcode"].str[:4] == code[:4]) & (code[4:] == "00"))
        ]
        bp.append(";".join(inside["port"]))
        bn.append(";".join(dict.fromkeys(inside["neighbour_country"])))
        bs.append("; ".join(dict.fromkeys(inside["source"])))
    first["border_port"], first["border_neighbour"], first["border_port_source"] = bp, bn, bs
    # cross-border e-commerce pilot zone of the unit itself
    cb = _cbec_match(src)
    batch, status, csrc = [], [], []
    for code in first["adcode"]:
        hit = cb[cb["adcode"] == code]
        if hit.empty:
            batch.append(pd.NA)
            status.append("")
            csrc.append("")
        else:
            h = hit.sort_values("batch").iloc[0]
            batch.append(int(h["batch"]))
            status.append(h["status_2025"])
            csrc.append(
                f"State Council approval of batch {int(h['batch'])}"
                + (f" ({h['document_no']})" if pd.notna(h["document_no"]) else "")
                + f", via {h['source']}; {h['source_title']} ({h['quality']})"
            )
    first["cbec_batch"] = pd.array(batch, dtype="Int64")
    first["cbec_status"] = status
    first["cbec_source"] = csrc
    # China-Europe Railway Express assembly centres
    hubs = src.rail[src.rail["role"].str.startswith("集结中心")]
    hub_codes = {PLAN_ADCODES.get(c, "") for c in hubs["city"]}
    first["rail_hub"] = first["adcode"].isin(hub_codes)
    first["rail_hub_source"] = np.where(
        first["rail_hub"], f"{hubs['source'].iloc[0]}; {hubs['source_title'].iloc[0]}", ""
    )
    first["coastal"] = first["adcode"].isin(COASTAL)
    first["coastal_source"] = COASTAL_SOURCE
    # airport cargo: the 2024 top-8 list (one source), main airport of the city
    ap = src.airport[
        (src.airport["level"] == "airport")
        & (src.airport["year"] == 2024)
        & (src.airport["unit"] == "万吨")
        & src.airport["cargo_mail_throughput"].notna()
    ]
    cargo, cyear, cair, csrc2, cq = [], [], [], [], []
    for _, r in first.iterrows():
        hit = ap[ap["city_compiler"] == r["plan_name"]]
        if hit.empty:
            cargo.append(np.nan)
            cyear.append(pd.NA)
            cair.append("")
            csrc2.append("")
            cq.append("")
            continue
        h = hit.iloc[0]
        cargo.append(float(h["cargo_mail_throughput"]))
        cyear.append(2024)
        cair.append(f"{h['airport']} ({h['iata']})")
        csrc2.append(
            f"CAAC airport statistics 2024, as reported by {h['source']}; {h['source_title']}"
        )
        q = h["quality"]
        if "before CAAC" in str(h["note"]) or "PRE-BULLETIN" in str(h["note"]):
            q += "; PRE-BULLETIN: published before CAAC's 2024 bulletin (2025-03-14)"
        if "CONFLICT" in str(h["note"]):
            q += "; FLAGGED: conflicts with CAAC (only 4 mainland airports above 100万吨 in 2024)"
        cq.append(q)
    first["airport_cargo"] = cargo
    first["airport_cargo_year"] = pd.array(cyear, dtype="Int64")
    first["airport_cargo_airport"] = cair
    first["airport_cargo_quality"] = cq
    first["airport_cargo_source"] = csrc2
    first = apply_city_airport_totals(first, src)
    first["airport_cargo_grade"] = [
        grade_of(q.split(";")[0]) for q in first["airport_cargo_quality"]
    ]
    first["coastal_grade"] = "secondary"
    first["source_grade"] = [
        weakest(GRADE_POPULATION, e, a)
        for e, a in zip(first["express_volume_grade"], first["airport_cargo_grade"], strict=True)
    ]
    cols = [
        "adcode", "name", "plan_name", "province", "prefecture_adcode", "level", "tiers",
        "population", "population_year", "population_source",
        "express_volume", "express_volume_year", "express_volume_estimated",
        "express_volume_spread", "express_volume_method",
        "express_volume_quality", "express_volume_grade", "express_volume_source",
        "border_port", "border_neighbour", "border_port_source",
        "cbec_batch", "cbec_status", "cbec_source", "rail_hub", "rail_hub_source",
        "coastal", "coastal_source", "coastal_grade",
        "airport_cargo", "airport_cargo_year", "airport_cargo_airport",
        "airport_cargo_quality", "airport_cargo_grade", "airport_cargo_source",
        "source_grade", "lon", "lat", "lon_gcj02", "lat_gcj02", "coord_source",
    ]  # fmt: skip
    return first[cols]


# cities served by two airports: the main airport of the 2024 airport list, and the
# second airport of the city when no figure covering both was found
SECOND_AIRPORT = {"110000": "北京大兴 (PKX)"}


def apply_city_airport_totals(first: pd.DataFrame, src: Sources) -> pd.DataFrame:
    """Airport cargo of every civil airport of the city, where a sourced total exists.

    A city served by two airports counts both (上海 浦东+虹桥, 成都 双流+天府): the sum
    as published for the year (``tools/sources/airport_cargo_city.csv``) replaces the
    main airport's figure. Where no total was found the main airport's figure stays and
    the row says which airport is left out (北京大兴). Places without a sourced figure
    stay NaN (not 0): no source seen states that they have no civil airport.
    """
    out = first.copy()
    own = src.own_airport
    for _, r in own.iterrows():
        hit = out.index[out["adcode"] == r["adcode"]]
        if len(hit) != 1:
            sys.exit(f"airport_cargo_city.csv: {r['adcode']} is not one candidate")
        i = hit[0]
        main = float(out.at[i, "airport_cargo"])
        if not float(r["value"]) > main:
            sys.exit(f"airport_cargo_city.csv: {r['city']} total is not above its main airport")
        out.at[i, "airport_cargo"] = float(r["value"])
        out.at[i, "airport_cargo_year"] = int(r["year"])
        out.at[i, "airport_cargo_airport"] = f"{r['airports']} (all airports of the city)"
        out.at[i, "airport_cargo_quality"] = r["quality"]
        out.at[i, "airport_cargo_source"] = f"{r['source']}; {r['source_title']}; {r['note']}"
    for code, airport in SECOND_AIRPORT.items():
        i = out.index[out["adcode"] == code][0]
        if code in set(own["adcode"]):
            continue
        out.at[i, "airport_cargo_airport"] += f" (main airport only; {airport} not included)"
        out.at[i, "airport_cargo_quality"] += (
            f"; PARTIAL: {airport} left out (only a 30-50万吨 band was seen for it)"
        )
    return out


def build_partners() -> pd.DataFrame:
    """Partner hubs abroad (WGS84; GeoNames, and airportsdata for the land-port countries)."""
    cols = ["partner_id", "city", "country", "iso3", "rcep", "region", "lat", "lon",
            "geonameid", "role"]  # fmt: skip
    df = pd.DataFrame(PARTNERS, columns=cols)
    df["source"] = "GeoNames gazetteer (geonames.org, CC BY 4.0), geonameid " + df[
        "geonameid"
    ].astype(str)
    df["source_grade"] = "secondary"
    from importlib.metadata import version

    import airportsdata

    airports = airportsdata.load("IATA")
    cited = f"airportsdata {version('airportsdata')} (MIT)"
    rows = []
    for pid, city, country, iso3, region, code in AIRPORT_PARTNERS:
        a = airports[code]
        rows.append({
            "partner_id": pid, "city": city, "country": country, "iso3": iso3, "rcep": False,
            "region": region, "lat": round(float(a["lat"]), 4), "lon": round(float(a["lon"]), 4),
            "geonameid": pd.NA, "role": f"capital's main airport ({a['name']}, {code})",
            "source": f"{cited}, IATA {code} ({a['name']})", "source_grade": "secondary",
        })  # fmt: skip
    df = pd.concat([df, pd.DataFrame(rows)], ignore_index=True)
    df["geonameid"] = df["geonameid"].astype("Int64")
    return df[["partner_id", "city", "country", "iso3", "rcep", "region", "role", "lon", "lat",
               "geonameid", "source", "source_grade"]]  # fmt: skip


def build_corridors(col4: pd.DataFrame, cand: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Corridors of task 14 / 专栏5 with ';'-joined origin adcodes (plan order)."""
    known = set(partners["partner_id"])
    rows = []
    for cid, name, mode, rule, region, parts, ref, text, desc in CORRIDORS:
        if rule == "comprehensive":
            origin = col4[col4["tier"].isin(COMPREHENSIVE)]["adcode"]
        elif rule == "rail":
            origin = col4[col4["tier"] == "RAIL"]["adcode"]
        elif rule == "sea":
            prov = cand["province"].map(short_province)
            origin = cand[cand["coastal"] & prov.isin(SEA_PROVINCES)]["adcode"]
        else:
            country = rule.split(":", 1)[1]
            origin = cand[cand["border_neighbour"].str.contains(country)]["adcode"]
        codes = list(dict.fromkeys(origin))  # plan order (rail: the RAIL list order)
        if not codes:
            sys.exit(f"corridor {cid} has no origin")
        missing = set(parts.split(";")) - known
        if missing:
            sys.exit(f"corridor {cid}: unknown partners {sorted(missing)}")
        rows.append({
            "corridor_id": cid, "name": name, "mode": mode, "origin": ";".join(codes),
            "destination_region": region, "partners": parts, "plan_ref": ref,
            "plan_text": text, "description": desc, "source": SRC_PLAN,
            "source_grade": "official",
        })  # fmt: skip
    return pd.DataFrame(rows)


def write(df: pd.DataFrame, path: Path) -> None:
    """Write a CSV deterministically (UTF-8, LF, minimal quoting, fixed float format)."""
    df.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference",
        "--shared",
        dest="reference",
        type=Path,
        default=Path(__file__).resolve().parent / "sources" / "reference",
        help="reference extracts (default: tools/sources/reference)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data" / "cities",
        help="output directory (default: data/cities of this checkout)",
    )
    parser.add_argument("--plan", type=Path, default=None, help="plan text to check 专栏4")
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path(__file__).resolve().parent / "sources",
        help="raw source files kept in the repository (default: tools/sources)",
    )
    args = parser.parse_args(argv)
    plan_text = args.plan.read_text(encoding="utf-8") if args.plan else None
    src = Sources(args.reference, args.sources)
    args.out.mkdir(parents=True, exist_ok=True)

    pref = build_prefectures(src)
    col4 = build_column4(src, plan_text)
    ports = build_border_ports(src)
    cand = build_candidates(src, col4, pref, ports)
    partners = build_partners()
    corridors = build_corridors(col4, cand, partners)
    cbec = build_cbec(src)

    if len(pref) != 367 or int(pref["population"].sum()) != 1_409_778_724:
        sys.exit("prefecture table: expected 367 rows summing to 1,409,778,724")
    if len(cand) != 60:
        sys.exit(f"expected 60 candidates, got {len(cand)}")
    total = float(
        src.prov_vol.loc[src.prov_vol["province"] == "全国", "express_volume_yi_jian"].iloc[0]
    )
    if abs(pref["express_volume"].sum() - total) > 0.01:
        sys.exit("prefecture volumes do not add up to the national total")

    tables = {
        "column4.csv": col4,
        "candidates.csv": cand,
        "prefectures.csv": pref,
        "partners.csv": partners,
        "corridors.csv": corridors,
        "border_ports.csv": ports,
        "cbec_pilot_zones.csv": cbec,
    }
    for name in OUT_FILES:
        write(tables[name], args.out / name)
        print(f"{name}: {len(tables[name])} rows")
    __import__("build_flows").build(args.reference, args.out)  # international flow tables

    from build_boundaries import build as build_boundaries  # tools/build_boundaries.py

    for name, n in build_boundaries(args.out / "boundaries").items():
        print(f"boundaries/{name}.geojson: {n} features")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
