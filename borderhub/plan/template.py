"""A template set of a study's input files: :func:`write_template` (``borderhub template``).

The template is a Northeast study (黑龙江, 吉林, 辽宁, 内蒙古; trade with Russia, Mongolia,
North Korea, Korea and Japan) in the column schema a researcher's own files use
(:mod:`borderhub.plan.schema`, Chinese headers): edit it, or replace its rows with your
own, and run ``borderhub plan`` on it. Every figure in it comes from a bundled, sourced
table (named in ``README.txt``); the partner split is an even placeholder to replace.

Examples
--------
>>> import tempfile
>>> from borderhub.plan.template import write_template
>>> write_template(tempfile.mkdtemp())[:3]
['candidates.csv', 'demand.csv', 'criteria.csv']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError

__all__ = ["write_template", "TEMPLATE_FILES", "NORTHEAST"]

#: The files of the template, in the order written.
TEMPLATE_FILES = (
    "candidates.csv",
    "demand.csv",
    "criteria.csv",
    "partners.csv",
    "split.csv",
    "gateways.csv",
    "README.txt",
)

#: The provinces of the template study.
NORTHEAST = ("黑龙江", "吉林", "辽宁", "内蒙古")

# candidate label -> (table, key): prefecture-level cities from the prefectures, county-level
# border towns from the candidates (绥芬河) or the border ports' county admin centres
_CANDIDATES = {
    "230100": ("prefectures", "230100"),  # 哈尔滨
    "220100": ("prefectures", "220100"),  # 长春
    "210100": ("prefectures", "210100"),  # 沈阳
    "210200": ("prefectures", "210200"),  # 大连
    "210600": ("prefectures", "210600"),  # 丹东
    "231100": ("prefectures", "231100"),  # 黑河
    "150100": ("prefectures", "150100"),  # 呼和浩特
    "231081": ("candidates", "231081"),  # 绥芬河
    "222404": ("border_ports", "hunchun"),  # 珲春
    "150781": ("border_ports", "manzhouli"),  # 满洲里
    "152501": ("border_ports", "erenhot"),  # 二连浩特
}
_PARTNERS = ("RUS-VVO", "RUS-BQS", "RUS-MOW", "MNG-ULN", "PRK-FNJ", "KOR-SEL", "JPN-TYO")
# gateway -> (mode, point: (table, key), reach, name)
_GATEWAYS = {
    "road:suifenhe": ("road", ("border_ports", "suifenhe"), "RUS", "绥芬河口岸"),
    "road:heihe": ("road", ("border_ports", "heihe"), "RUS", "黑河口岸"),
    "road:hunchun": ("road", ("border_ports", "hunchun"), "RUS;PRK", "珲春口岸"),
    "road:dandong": ("road", ("border_ports", "dandong"), "PRK", "丹东口岸"),
    "rail:manzhouli": ("rail", ("border_ports", "manzhouli"), "RUS", "满洲里口岸（铁路）"),
    "road:erenhot": ("road", ("border_ports", "erenhot"), "MNG", "二连浩特口岸"),
    "air:230100": ("air", ("prefectures", "230100"), "*", "哈尔滨（航空）"),
    "air:210100": ("air", ("prefectures", "210100"), "*", "沈阳（航空）"),
    "sea:210200": ("sea", ("prefectures", "210200"), "KOR;JPN;RUS", "大连港"),
}
_CRITERIA = (
    ("express_volume", 0.30, "自身快递业务量（快递业务量(万件) 列）"),
    ("gravity_access", 0.20, "周边需求的可达性（需求表的快递业务量）"),
    ("border_port_distance", 0.30, "至最近陆路边境口岸的距离"),
    ("rcep_proximity", 0.20, "至 RCEP 伙伴枢纽的平均距离"),
)
_README = """borderhub 研究模板 / study template: {provinces}

candidates.csv  候选点 candidate sites: 编号, 城市, 省份, 经度, 纬度 (WGS84), 快递业务量(万件)
demand.csv      需求单元 demand units (the prefecture-level units of the provinces)
criteria.csv    评价指标与权重 criteria and weights (指标, 权重, 说明)
partners.csv    贸易伙伴枢纽 partner hubs (partner, iso3, city, country, lon, lat)
split.csv       各伙伴所占份额 partner split (partner or ISO3, share) -- AN EVEN PLACEHOLDER:
                replace it with your own shares (e.g. customs statistics by country)
gateways.csv    出境口岸 gateways (gateway, mode, lon, lat, reach, name)

Sources of the figures: coordinates and express volumes of the prefecture-level units
from borderhub.datasets.prefectures() (express volumes there are estimates, see its
express_volume_method column), 绥芬河 from borderhub.datasets.candidates(), the border
towns 珲春, 满洲里, 二连浩特 and the land ports from borderhub.datasets.border_ports()
(满洲里: the port's point; the others: the county's admin centre), the partner hubs
from borderhub.datasets.partners(). The county-level towns have no express volume of
their own in these tables: their cells are blank (a missing value, reported by the run).

Run / 运行:
  borderhub plan --candidates candidates.csv --demand demand.csv --criteria criteria.csv \\
      --provinces {comma} --p 4 --out results
  borderhub plan --candidates candidates.csv --demand demand.csv --criteria criteria.csv \\
      --provinces {comma} --model crossborder --p 4 --partners partners.csv \\
      --split split.csv --gateways gateways.csv --out results-crossborder
"""


def _point(tables: dict[str, Any], where: tuple[str, str]) -> Any:
    table, key = where
    return tables[table].loc[key]


def _candidates(tables: dict[str, Any]) -> pd.DataFrame:
    from borderhub.plan.schema import province_key

    rows = []
    for label, where in _CANDIDATES.items():
        row = _point(tables, where)
        name = str(row.get("county") or row.get("name"))
        volume = row.get("express_volume", np.nan) if where[0] != "border_ports" else np.nan
        rows.append(
            {
                "编号": label,
                "城市": name.removesuffix("市") if name.endswith("市") else name,
                "省份": province_key(row["province"]),
                "经度": round(float(row["lon"]), 6),
                "纬度": round(float(row["lat"]), 6),
                "快递业务量(万件)": round(float(volume) * 1e4, 1) if pd.notna(volume) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _demand(tables: dict[str, Any], provinces: tuple[str, ...]) -> pd.DataFrame:
    from borderhub.plan.schema import province_key

    pref = tables["prefectures"]
    keys = pref["province"].map(province_key)
    units = pref[keys.isin({province_key(p) for p in provinces}).to_numpy()]
    if units.empty:
        raise DataError(f"no prefecture-level unit in {list(provinces)}; check the names")
    return pd.DataFrame(
        {
            "编号": [str(k) for k in units.index],
            "城市": units["name"].astype(str).to_numpy(),
            "省份": keys[units.index].to_numpy(),
            "经度": units["lon"].astype(float).round(6).to_numpy(),
            "纬度": units["lat"].astype(float).round(6).to_numpy(),
            "快递业务量(万件)": (units["express_volume"].astype(float) * 1e4).round(1).to_numpy(),
        }
    )


def _partners_and_gateways(tables: dict[str, Any]) -> tuple[Any, Any, Any]:
    part = tables["partners"].loc[list(_PARTNERS)]
    partners = pd.DataFrame(
        {
            "partner": list(_PARTNERS),
            "iso3": part["iso3"].to_numpy(),
            "city": part["city"].to_numpy(),
            "country": part["country"].to_numpy(),
            "lon": part["lon"].astype(float).to_numpy(),
            "lat": part["lat"].astype(float).to_numpy(),
        }
    )
    countries = list(dict.fromkeys(part["iso3"]))
    split = pd.DataFrame({"partner": countries, "share": [1.0] * len(countries)})
    rows = []
    for gateway, (mode, where, reach, name) in _GATEWAYS.items():
        row = _point(tables, where)
        rows.append(
            {
                "gateway": gateway,
                "mode": mode,
                "lon": round(float(row["lon"]), 6),
                "lat": round(float(row["lat"]), 6),
                "reach": reach,
                "name": name,
            }
        )
    return partners, split, pd.DataFrame(rows)


def write_template(folder: str | Path, *, overwrite: bool = False) -> list[str]:
    """Write the template files of a study into ``folder`` (created if needed).

    Parameters
    ----------
    folder : str or pathlib.Path
        Where to write :data:`TEMPLATE_FILES`.
    overwrite : bool, default False
        Replace template files already there (else they are an error and nothing is
        written).

    Returns
    -------
    list of str
        The names of the files written.

    Raises
    ------
    DataError
        ``folder`` is a file, or holds template files and ``overwrite`` is False.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub import run_plan
    >>> from borderhub.plan.template import write_template
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_template(folder)
    >>> result = run_plan(folder / "candidates.csv", folder / "demand.csv",
    ...                   criteria=folder / "criteria.csv", p=4, lang="en",
    ...                   provinces="黑龙江,吉林,辽宁,内蒙古")  # doctest: +SKIP
    """
    from borderhub import datasets
    from borderhub.io import csv_text

    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise DataError(f"{out} is a file; give a folder for the template")
    there = [name for name in TEMPLATE_FILES if (out / name).exists()]
    if there and not overwrite:
        raise DataError(
            f"{out} already holds {there}; choose an empty folder or pass overwrite=True (--force)"
        )
    tables = {
        "prefectures": datasets.prefectures(),
        "candidates": datasets.candidates(),
        "border_ports": datasets.border_ports(),
        "partners": datasets.partners(),
    }
    partners, split, gateways = _partners_and_gateways(tables)
    criteria = pd.DataFrame(_CRITERIA, columns=["指标", "权重", "说明"])
    frames = {
        "candidates.csv": _candidates(tables),
        "demand.csv": _demand(tables, NORTHEAST),
        "criteria.csv": criteria,
        "partners.csv": partners,
        "split.csv": split,
        "gateways.csv": gateways,
    }
    texts = {name: csv_text(frame.set_index(frame.columns[0])) for name, frame in frames.items()}
    texts["README.txt"] = _README.format(provinces="、".join(NORTHEAST), comma=",".join(NORTHEAST))
    out.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATE_FILES:
        (out / name).write_text(texts[name], encoding="utf-8")
    return list(TEMPLATE_FILES)
