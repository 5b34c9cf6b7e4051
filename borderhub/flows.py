"""International express demand: :func:`international_demand`, an origin x partner matrix.

The volume of international (and Hong Kong, Macao, Taiwan) express posted in each origin is
its express volume times the national international share (State Post Bureau figures in
``international_express.csv``), optionally tilted towards the origins hosting a
cross-border e-commerce comprehensive pilot zone; it is split over the partner hubs in
proportion to China's goods exports to each partner country (``partner_exports.csv``),
shared equally among the hubs of one country. Every choice is recorded in the result's
``attrs["assumptions"]`` for a run manifest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = ["international_demand", "international_express", "partner_exports"]


def _table(name: str) -> pd.DataFrame:
    from borderhub.datasets import data_dir

    path = data_dir() / name
    if not path.is_file():
        raise DataError(
            f"the bundled table {name} is missing from {path.parent}; regenerate it with "
            "tools/build_flows.py"
        )
    return pd.read_csv(path, dtype={"iso3": str})


def international_express() -> pd.DataFrame:
    """National express and international express volume by year (sourced).

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``express_volume`` and ``international_volume`` (亿件),
        ``international_share``, ``unit``, ``source``, ``source_title``, ``quality``,
        ``note``.

    Examples
    --------
    >>> from borderhub.flows import international_express
    >>> t = international_express()
    >>> t.loc[2025, ["express_volume", "international_volume"]].tolist()
    [1989.5, 42.2]
    """
    return _table("international_express.csv").set_index("year")


def partner_exports() -> pd.DataFrame:
    """China's goods exports by partner country (2023, billion USD, sourced rows only).

    Returns
    -------
    pandas.DataFrame
        Index ``iso3``; columns ``country``, ``year``, ``exports_usd_bn``, ``source``,
        ``source_title``, ``quality``. Countries without a citable figure are absent.

    Examples
    --------
    >>> from borderhub.flows import partner_exports
    >>> float(partner_exports().loc["USA", "exports_usd_bn"])
    500.3
    """
    return _table("partner_exports.csv").set_index("iso3")


def _split(split: Any, partners: pd.DataFrame) -> tuple[pd.Series, dict[str, Any]]:
    """Share of each partner hub (sums to 1) and its description."""
    iso = partners["iso3"].astype(str).str.upper()
    if isinstance(split, str) and split == "exports":
        ex = partner_exports()
        per_country = ex["exports_usd_bn"].reindex(iso.unique())
        known = per_country.dropna()
        if known.empty:
            raise DataError(
                "none of the partner countries has a sourced export figure; pass split='equal' "
                "or your own split Series"
            )
        hubs = iso.map(iso.value_counts())
        w = iso.map(known) / hubs
        desc = {
            "split": "exports",
            "split_year": int(ex["year"].iloc[0]),
            "split_source": str(ex["source"].iloc[0]),
            "split_rule": "China's goods exports by partner country; equal shares for the "
            "hubs of one country (assumption)",
            "partners_without_flow": sorted(partners.index[w.isna().to_numpy()].astype(str)),
        }
    elif isinstance(split, str) and split == "equal":
        w = 1.0 / iso.map(iso.value_counts())
        desc = {
            "split": "equal",
            "split_rule": "ASSUMPTION: every partner country equal, its hubs share equally",
            "partners_without_flow": [],
        }
    elif isinstance(split, pd.Series):
        unknown = split.index.difference(partners.index)
        if len(unknown):
            raise DataError(
                f"split names partners {list(unknown[:10])} that are not in the partner "
                f"table; pass a split indexed by partner labels (they look like "
                f"{list(partners.index[:3])})"
            )
        w = pd.to_numeric(split, errors="coerce").reindex(partners.index)
        vals = w.dropna()
        if (~np.isfinite(vals) | (vals < 0)).any() or split.isna().any():
            bad = split.index[~np.isfinite(pd.to_numeric(split, errors="coerce")) | (split < 0)]
            raise DataError(
                f"split has negative or missing values for {list(bad[:10])}; give finite "
                "shares >= 0"
            )
        desc = {
            "split": "user",
            "split_rule": "user-supplied shares, normalised to 1",
            "partners_without_flow": sorted(partners.index[w.isna().to_numpy()].astype(str)),
        }
    else:
        raise SpecificationError(
            f"split must be 'exports', 'equal' or a Series partner -> share, got {split!r}"
        )
    w = w.dropna()
    w = w[w > 0]
    if w.sum() <= 0:
        raise DataError("the partner split is zero everywhere; give some partner a positive share")
    return w / w.sum(), desc


def international_demand(
    demand: Any = None,
    partners: Any = None,
    *,
    share: float | None = None,
    year: int = 2025,
    split: str | pd.Series = "exports",
    tilt: float = 1.0,
    volume: str = "express_volume",
) -> pd.DataFrame:
    """International express pieces from each origin to each partner hub.

    ``I = share * sum_i v_i`` is the national international volume; origin ``i`` posts
    ``I * t_i v_i / sum_j t_j v_j`` of it (``v`` = express volume, ``t_i = tilt`` if ``i``
    hosts an active cross-border e-commerce comprehensive pilot zone, else 1: with
    ``tilt=1`` every origin posts ``share`` of its volume; with ``tilt > 1`` pilot-zone
    origins post relatively more while the national total stays ``I``). Each origin's
    volume is split over the partner hubs by ``split``.

    Parameters
    ----------
    demand : pandas.DataFrame, optional
        Origins indexed by adcode with a ``volume`` column (default
        :func:`borderhub.datasets.prefectures`).
    partners : pandas.DataFrame, optional
        Partner hubs with ``iso3`` (default :func:`borderhub.datasets.partners`).
    share : float, optional
        International share of express volume (0 < share <= 1). Default: the sourced
        national share of ``year`` (2025: 42.2 of 1,989.5 亿件).
    year : int, default 2025
        Year of the sourced share (2023 or 2025) when ``share`` is not given.
    split : {"exports", "equal"} or pandas.Series, default "exports"
        ``"exports"``: China's 2023 goods exports by partner country (sourced; partner
        countries without a sourced figure get no flow and are listed in
        ``attrs["assumptions"]["partners_without_flow"]``); ``"equal"``: every partner
        country alike (an assumption); or a Series partner label -> share (normalised).
        The hubs of one country share its part equally (an assumption).
    tilt : float, default 1.0
        Relative international propensity of pilot-zone origins (>= 0 ... any positive
        number; 1 = no tilt).
    volume : str, default "express_volume"
        Column of ``demand`` with the express volume.

    Returns
    -------
    pandas.DataFrame
        Origins x partner hubs (those with a positive share), in the unit of ``volume``
        (亿件 for the bundled table). ``attrs["assumptions"]`` records share, year,
        sources, split rule, tilt and the partners left without flow.

    Raises
    ------
    DataError
        Missing column, negative or missing volumes, unknown partners in ``split``.
    SpecificationError
        ``share`` outside (0, 1], unknown ``year``, bad ``tilt`` or ``split``.

    Examples
    --------
    >>> from borderhub import international_demand
    >>> f = international_demand()
    >>> from borderhub.datasets import prefectures
    >>> total = float(prefectures()["express_volume"].sum())  # 亿件, 2024
    >>> abs(float(f.to_numpy().sum()) - total * 42.2 / 1989.5) < 1e-9
    True
    >>> f.attrs["assumptions"]["share_source"].startswith("https://")
    True
    >>> g = international_demand(share=0.05, split="equal")
    >>> g.shape
    (367, 43)
    """
    from borderhub import datasets

    dem = datasets.prefectures() if demand is None else demand
    part = datasets.partners() if partners is None else partners
    if not isinstance(dem, pd.DataFrame) or volume not in dem.columns:
        raise DataError(
            f"demand must be a DataFrame with a {volume!r} column (express volume per origin), "
            "like borderhub.datasets.prefectures()"
        )
    if not isinstance(part, pd.DataFrame) or "iso3" not in part.columns:
        raise DataError("partners must be a DataFrame with an 'iso3' column")
    v = pd.to_numeric(dem[volume], errors="coerce")
    bad = v.isna() | (v < 0) | ~np.isfinite(v.fillna(0))
    if bad.any():
        raise DataError(
            f"demand[{volume!r}] has negative or missing values for origins "
            f"{list(dem.index[bad.to_numpy()][:10])}; fix or drop them"
        )
    assumptions: dict[str, Any] = {}
    if share is None:
        table = international_express()
        if year not in table.index:
            raise SpecificationError(
                f"no sourced international share for year {year}; years are "
                f"{list(table.index)} (or pass share=)"
            )
        row = table.loc[year]
        vols = table[["international_volume", "express_volume"]].to_numpy(dtype=float)
        intl_vol, total_vol = vols[table.index.get_loc(year)]
        share = float(intl_vol) / float(total_vol)
        assumptions.update(
            share=share, share_year=int(year), share_source=str(row["source"]),
            share_rule="national 国际/港澳台 express volume / national express volume",
        )  # fmt: skip
    else:
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            raise SpecificationError(f"share must be a number in (0, 1], got {share!r}")
        assumptions.update(share=float(share), share_source="user", share_year=None)
    if (
        isinstance(tilt, bool)
        or not isinstance(tilt, int | float)
        or not (np.isfinite(tilt) and tilt > 0)
    ):
        raise SpecificationError(f"tilt must be a positive number, got {tilt!r}; 1 = no tilt")
    t = np.ones(len(dem))
    if tilt != 1:
        zones = datasets.cbec_pilot_zones()
        active = zones[zones["status_2025"].astype(str) != "revoked"]["adcode"].astype(str)
        pref = {a if a.endswith("00") else a[:4] + "00" for a in active}
        codes = dem.index.astype(str)
        t = np.where(codes.isin(list(pref | set(active))), float(tilt), 1.0)
        assumptions["tilt_rule"] = (
            "origins hosting an active cross-border e-commerce pilot zone (its prefecture) "
            f"weigh {tilt} times; national total unchanged"
        )
    assumptions["tilt"] = float(tilt)
    vol = v.to_numpy(dtype=float)
    total = share * vol.sum()
    tv = t * vol
    origin = total * tv / tv.sum() if tv.sum() > 0 else np.zeros(len(dem))
    w, desc = _split(split, part)
    assumptions.update(desc)
    out = pd.DataFrame(
        np.outer(origin, w.to_numpy()), index=dem.index.copy(), columns=w.index.copy()
    )
    out.index.name = dem.index.name
    out.columns.name = "partner"
    out.attrs["assumptions"] = assumptions
    return out
