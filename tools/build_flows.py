"""Build the tables behind :func:`borderhub.international_demand` in data/cities/.

* ``international_express.csv`` -- national express volume and international / Hong Kong,
  Macao and Taiwan (国际/港澳台) express volume per year, with their source, from the raw
  reference table ``international_express.csv`` (rows of scope 全国, full year).
* ``partner_exports.csv`` -- China's 2023 goods exports by partner country (billion USD),
  for the partner countries of ``partners.csv`` whose figure was found in a citable source
  (listed in ``PARTNER_EXPORTS`` below with the page it was read from). Countries without a
  figure are absent (not zero).

Usage::

    python tools/build_flows.py [--reference tools/sources/reference] [--out data/cities]

or from tools/build_data.py: ``build_flows.build(reference, out)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

#: China's exports of goods by partner, 2023, billion USD, from the table "2023 Imports and
#: Exports of goods by top 23 trading partners" of the Wikipedia article "List of the
#: largest trading partners of China" (read in the mirror below). Only countries bundled in
#: partners.csv are kept; the table was cut after rank 18 in the copy read, so countries
#: further down (Canada and below) have no figure here.
EXPORTS_2023_SOURCE = "https://profilbaru.com/en/List_of_the_largest_trading_partners_of_China"
EXPORTS_2023_TITLE = (
    "List of the largest trading partners of China (Wikipedia mirror): 2023 Imports and "
    "Exports of goods by top 23 trading partners (billions of USD), China exports column"
)
PARTNER_EXPORTS = {
    "USA": ("United States", 500.3), "JPN": ("Japan", 157.5),
    "KOR": ("Republic of Korea", 149.0), "RUS": ("Russia", 111.0),
    "VNM": ("Viet Nam", 137.6), "AUS": ("Australia", 73.8), "DEU": ("Germany", 100.6),
    "MYS": ("Malaysia", 87.4), "BRA": ("Brazil", 59.1), "IDN": ("Indonesia", 65.2),
    "THA": ("Thailand", 75.7), "NLD": ("Netherlands", 100.2), "SGP": ("Singapore", 77.0),
    "GBR": ("United Kingdom", 77.9),
}  # fmt: skip


def international_express(reference: Path) -> pd.DataFrame:
    """National express and international express volume by year (years with both)."""
    raw = pd.read_csv(reference / "international_express.csv", dtype=str)
    raw = raw[(raw["scope"] == "全国") & (raw["period"] == "full year")]
    rows = []
    for year, grp in raw.groupby("year"):
        tot = grp[grp["metric"] == "express_volume"]
        intl = grp[grp["metric"] == "express_volume_international_HMT"]
        if tot.empty or intl.empty:
            continue
        t, i = tot.iloc[0], intl.iloc[0]
        same = t["source"] == i["source"]
        rows.append(
            {
                "year": int(year),
                "express_volume": float(t["value"]),
                "international_volume": float(i["value"]),
                "international_share": round(float(i["value"]) / float(t["value"]), 6),
                "unit": "亿件",
                "source": t["source"] if same else f"{t['source']}; {i['source']}",
                "source_title": t["source_title"],
                "quality": t["quality"],
                "source_grade": "news" if "news" in str(t["quality"]) else "secondary",
                "note": (
                    "国际/港澳台快递业务量 (international and HK/Macao/Taiwan express): items to "
                    "and from Hong Kong, Macao and Taiwan are included"
                ),
            }
        )
    return pd.DataFrame(rows).sort_values("year").reset_index(drop=True)


def partner_exports() -> pd.DataFrame:
    """China's 2023 exports by partner country (only the sourced ones)."""
    rows = [
        {"iso3": iso, "country": name, "year": 2023, "exports_usd_bn": value,
         "source": EXPORTS_2023_SOURCE, "source_title": EXPORTS_2023_TITLE,
         "quality": "secondary-web", "source_grade": "secondary"}
        for iso, (name, value) in PARTNER_EXPORTS.items()
    ]  # fmt: skip
    return pd.DataFrame(rows).sort_values("iso3").reset_index(drop=True)


def build(reference: Path, out: Path) -> None:
    """Write both tables into ``out`` (deterministic bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    international_express(Path(reference)).to_csv(
        out / "international_express.csv", index=False, lineterminator="\n"
    )
    partner_exports().to_csv(out / "partner_exports.csv", index=False, lineterminator="\n")


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--reference",
        "--shared",
        dest="reference",
        type=Path,
        default=Path(__file__).resolve().parent / "sources" / "reference",
        help="reference extracts (default: tools/sources/reference)",
    )
    ap.add_argument("--out", type=Path, default=Path("data/cities"))
    args = ap.parse_args()
    build(args.reference, args.out)


if __name__ == "__main__":
    main()
