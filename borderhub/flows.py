"""International express demand: :func:`international_demand`, an origin x partner matrix.

The volume of international (and Hong Kong, Macao, Taiwan) express posted in each origin is
its express volume times the national international share (State Post Bureau figures in
``international_express.csv``), optionally tilted towards the origins hosting a
cross-border e-commerce comprehensive pilot zone; it is split over the partner hubs in
proportion to China's goods exports to each partner country (``partner_exports.csv``),
shared equally among the hubs of one country. Every choice is recorded in the result's
``attrs["assumptions"]`` for a run manifest.

The flows leave China through *gateways* -- airports, seaports, land border ports and rail
routes (:func:`gateways`) -- and :func:`gateway_costs` gives the cheapest gateway of every
centre for every partner under the cost parameters of each mode (:data:`DEFAULT_MODES`,
:func:`mode_table`). Both are also importable from :mod:`borderhub.locate`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.routes import EUROPE_RAIL, iso3_of

__all__ = [
    "DEFAULT_MODES",
    "EUROPE_RAIL",
    "LANDLOCKED",
    "MODE_PARAMETERS",
    "gateway_costs",
    "gateways",
    "international_demand",
    "international_express",
    "iso3_of",
    "mode_table",
    "partner_exports",
]


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
    (367, 50)
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


# ----------------------------------------------------------------------------------------
# gateways and their costs
# ----------------------------------------------------------------------------------------
#: Default cost parameters of each mode: ``handling`` (per piece, clearance and transfer at
#: the gateway), ``rate`` (per piece and km) and, for the land modes, ``border`` (per
#: piece, the crossing itself), all in *domestic truck-km equivalents*:
#: one unit is the cost of moving a piece one km on the domestic leg (``truck``, rate 1).
#: These are **assumptions**, not published tariffs (no citable per-piece tariff covering
#: all four modes was found); only their ratios matter, and the rail/air ratio of 0.2
#: follows Schramm & Zhang ("Eurasian Rail Freight in the One Belt One Road
#: Era", conference paper), who find Eurasian rail freight about 80 % cheaper than
#: air freight. Override any of them with ``gateway_costs(..., modes={...})``.
DEFAULT_MODES: dict[str, dict[str, float]] = {
    "truck": {"handling": 0.0, "rate": 1.0},
    "air": {"handling": 400.0, "rate": 0.5},
    "sea": {"handling": 3000.0, "rate": 0.35},
    "road": {"handling": 300.0, "rate": 1.0, "border": 0.0},
    "rail": {"handling": 1200.0, "rate": 0.1, "border": 0.0},
}

#: The cost parameters a mode may have: ``border`` (per piece, crossing a land border:
#: waiting, a gauge change, a transfer) applies to the land modes and is 0 by default --
#: the default ``handling`` already stands for clearance and transfer at the gateway.
MODE_PARAMETERS = ("handling", "rate", "border")

#: Partner countries without a seaport (never served by ``sea`` gateways).
LANDLOCKED = frozenset({"LAO", "ETH", "MNG", "KAZ", "KGZ", "TJK", "UZB", "NPL", "BTN"})

#: Border crossings of the China–Europe Railway Express (port ids of the border-port table).
_RAIL_CROSSINGS = ("alashankou", "khorgas", "erenhot", "manzhouli", "suifenhe")

_MODES = ("air", "sea", "road", "rail")
_GATEWAY_COLUMNS = ("name", "mode", "lon", "lat", "reach")


def gateways(
    candidates: Any = None, border_ports: Any = None, *, infrastructure: bool = False
) -> pd.DataFrame:
    """The gateways through which international express can leave China.

    With ``infrastructure=True`` they are the real airports, seaports and border crossings
    (:func:`borderhub.routes.infrastructure_gateways`: the extra ``network``); the cross-
    border costs use them whenever distances follow a network. Otherwise they are built
    from the candidate table and the land border-port table:

    * ``air`` -- every candidate with a known cargo airport throughput
      (``airport_cargo > 0``); reaches every partner;
    * ``sea`` -- every coastal candidate (``coastal``); reaches every partner except the
      landlocked ones (``LANDLOCKED``);
    * ``road`` -- every land border port with a point (its ``lon``/``lat``: the port's own
      sourced point, or its county's admin centre where ``point_sourced`` is False; a port
      whose ``mode`` column says ``rail`` becomes a rail gateway); reaches the neighbouring
      country (``neighbour_iso3`` column if present, else ``neighbour_country`` mapped to
      ISO3);
    * ``rail`` -- the China–Laos railway (昆明, via 磨憨, to Laos) and the China–Europe
      Railway Express from each rail-hub candidate (``rail_hub``) through each border
      crossing (阿拉山口, 霍尔果斯, 二连浩特, 满洲里, 绥芬河) to the European partners
      (``EUROPE_RAIL``).

    Parameters
    ----------
    candidates : pandas.DataFrame, optional
        Candidate table with ``name``, ``lon``, ``lat``, ``airport_cargo``, ``coastal``,
        ``rail_hub`` (default :func:`borderhub.datasets.candidates`).
    border_ports : pandas.DataFrame, optional
        Border-port table with ``port``, ``lon``, ``lat`` and ``neighbour_country`` (or an
        ISO3 column); extra columns are ignored (default
        :func:`borderhub.datasets.border_ports`).
    infrastructure : bool, default False
        Gateways at the real airports, seaports and road and rail border crossings.

    Returns
    -------
    pandas.DataFrame
        Index ``gateway`` (e.g. ``air:440100``, ``road:ruili``, ``rail:610100:khorgas``);
        columns ``name``, ``mode``, ``lon``, ``lat`` (WGS84), ``reach`` (``*`` for every
        partner, or ``;``-joined ISO3 codes), ``via_lon``, ``via_lat`` (a point the route
        passes, e.g. the rail border crossing; NaN when direct).

    Examples
    --------
    >>> from borderhub.flows import gateways
    >>> g = gateways()
    >>> sorted(g["mode"].unique())
    ['air', 'rail', 'road', 'sea']
    >>> g.loc["road:ruili", ["mode", "reach"]].tolist()
    ['road', 'MMR']
    """
    from borderhub import datasets

    cand = datasets.candidates() if candidates is None else candidates
    ports = datasets.border_ports() if border_ports is None else border_ports
    for role, frame, cols in (
        ("candidates", cand, ("name", "lon", "lat")),
        ("border_ports", ports, ("lon", "lat")),
    ):
        if not isinstance(frame, pd.DataFrame):
            raise DataError(f"{role} must be a DataFrame, got {type(frame).__name__}")
        miss = [c for c in cols if c not in frame.columns]
        if miss:
            raise DataError(
                f"{role} lacks columns {miss}; pass a table like borderhub.datasets.{role}()"
            )
    if infrastructure:
        from borderhub.routes import infrastructure_gateways

        return infrastructure_gateways(cand, ports)
    rows: list[dict[str, Any]] = []

    def add(gid: str, name: str, mode: str, lon: float, lat: float, reach: str,
            via: tuple[float, float] = (math.nan, math.nan)) -> None:  # fmt: skip
        rows.append(
            dict(gateway=gid, name=name, mode=mode, lon=float(lon), lat=float(lat),
                 reach=reach, via_lon=float(via[0]), via_lat=float(via[1]))
        )  # fmt: skip

    def flag(col: str) -> pd.Series:
        if col not in cand.columns:
            return pd.Series(False, index=cand.index)
        return cand[col].fillna(False).astype(bool)

    air = pd.to_numeric(cand["airport_cargo"], errors="coerce") if "airport_cargo" in cand else None
    for lab in cand.index:
        name, lon, lat = cand.at[lab, "name"], cand.at[lab, "lon"], cand.at[lab, "lat"]
        if air is not None and air.get(lab, 0) > 0:
            add(f"air:{lab}", f"{name} airport", "air", lon, lat, "*")
        if flag("coastal")[lab]:
            add(f"sea:{lab}", f"{name} seaport", "sea", lon, lat, "*")
    pname = ports["port"] if "port" in ports.columns else pd.Series(ports.index, ports.index)
    for pid, row in ports.iterrows():
        reach = iso3_of(row)
        if not reach or not (np.isfinite(row["lon"]) and np.isfinite(row["lat"])):
            continue
        mode = str(row["mode"]).strip().lower() if "mode" in ports.columns else "road"
        mode = mode if mode in ("road", "rail") else "road"
        add(f"{mode}:{pid}", f"{pname[pid]} border port", mode, row["lon"], row["lat"], reach)
    # China–Laos railway: Kunming -> Mohan -> Vientiane
    kunming = cand.index[cand["name"].astype(str).str.startswith("昆明")]
    mohan = ports.index[pname.astype(str).str.startswith("磨憨")]
    if len(kunming) and len(mohan):
        k, m = kunming[0], mohan[0]
        add(f"rail:{k}:{m}", "China–Laos railway (昆明–磨憨–万象)", "rail",
            cand.at[k, "lon"], cand.at[k, "lat"], "LAO",
            (ports.at[m, "lon"], ports.at[m, "lat"]))  # fmt: skip
    # China–Europe Railway Express: each hub through each crossing
    europe = ";".join(sorted(EUROPE_RAIL))
    crossings = [c for c in _RAIL_CROSSINGS if c in ports.index]
    for lab in cand.index[flag("rail_hub").to_numpy()]:
        for c in crossings:
            add(f"rail:{lab}:{c}", f"China–Europe Railway Express {cand.at[lab, 'name']} via "
                f"{pname[c]}", "rail", cand.at[lab, "lon"], cand.at[lab, "lat"], europe,
                (ports.at[c, "lon"], ports.at[c, "lat"]))  # fmt: skip
    out = pd.DataFrame(rows, columns=["gateway", *_GATEWAY_COLUMNS, "via_lon", "via_lat"])
    return out.set_index("gateway")


def mode_table(modes: Any = None) -> dict[str, dict[str, float]]:
    """The cost parameters of each mode: :data:`DEFAULT_MODES` merged with overrides.

    Parameters
    ----------
    modes : mapping or pandas.DataFrame, optional
        Overrides, mode -> ``{"handling": ..., "rate": ...}``; a mode mapped to None is
        switched off (its entry is empty). The domestic ``truck`` leg cannot be.

    Returns
    -------
    dict
        Mode -> parameters, as :func:`gateway_costs` uses them.

    Raises
    ------
    SpecificationError
        Unknown modes or parameters, negative or non-finite values.

    Examples
    --------
    >>> from borderhub.flows import mode_table
    >>> mode_table({"air": {"rate": 2.0}, "sea": None})["air"]
    {'handling': 400.0, 'rate': 2.0}
    >>> mode_table({"sea": None})["sea"]
    {}
    """
    table = {k: dict(v) for k, v in DEFAULT_MODES.items()}
    if modes is None:
        return table
    if isinstance(modes, pd.DataFrame):
        modes = {k: r.dropna().to_dict() for k, r in modes.iterrows()}
    if not isinstance(modes, Mapping):
        raise SpecificationError(
            f"modes must be a mapping mode -> {{'handling': ..., 'rate': ...}}, got "
            f"{type(modes).__name__}; e.g. modes={{'air': {{'rate': 2.0}}, 'sea': None}}"
        )
    for mode, par in modes.items():
        if mode not in table:
            raise SpecificationError(f"modes: unknown mode {mode!r}; modes are {list(table)}")
        if par is None:
            if mode == "truck":
                raise SpecificationError("modes: the domestic 'truck' leg cannot be switched off")
            table[mode] = {}
            continue
        if not isinstance(par, Mapping):
            raise SpecificationError(
                f"modes[{mode!r}] must be a mapping with 'handling' and/or 'rate', got {par!r}"
            )
        for key, value in par.items():
            if key not in MODE_PARAMETERS or (key == "border" and mode not in ("road", "rail")):
                raise SpecificationError(
                    f"modes[{mode!r}]: unknown parameter {key!r}; use 'handling' and 'rate' "
                    "(and 'border' for road and rail)"
                )
            table[mode][key] = _non_negative(value, f"modes[{mode!r}][{key!r}]")
    return table


def _non_negative(value: Any, name: str) -> float:
    """A finite real parameter >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpecificationError(f"{name} must be a number, got {value!r}; pass a float")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise SpecificationError(
            f"{name} must be a finite non-negative number, got {value!r}; pass a non-negative float"
        )
    return v


def _onward(use: pd.DataFrame, partners: Any, distance: str) -> np.ndarray:
    """Km from each gateway (through its ``via`` point) to each partner, by its mode."""
    from borderhub.routes import network_km

    onward = np.full((len(use), len(partners)), np.nan)
    via = use[["via_lon", "via_lat"]].astype(float) if "via_lon" in use else None
    has = np.isfinite(via.to_numpy()).all(axis=1) if via is not None else np.zeros(len(use), bool)
    for mode in use["mode"].unique():
        net = "geodesic" if distance == "geodesic" or mode == "air" else str(mode)
        fallback = mode != "sea"  # a hub far from the sea lanes has no sea route
        rows = np.flatnonzero((use["mode"] == mode).to_numpy())
        direct = rows[~has[rows]]
        if len(direct):
            pts = use.iloc[direct][["lon", "lat"]].astype(float)
            km = network_km(pts, partners, net, fallback=fallback)
            onward[direct] = km.to_numpy(dtype=float)
        through = rows[has[rows]]
        if len(through) and via is not None:
            pts = use.iloc[through][["lon", "lat"]].astype(float)
            vpts = via.iloc[through].rename(columns={"via_lon": "lon", "via_lat": "lat"})
            vpts = vpts.set_axis([f"via{k}" for k in range(len(vpts))])
            first = network_km(pts, vpts, net, fallback=fallback).to_numpy(dtype=float).diagonal()
            second = network_km(vpts, partners, net, fallback=fallback).to_numpy(dtype=float)
            onward[through] = first[:, None] + second
    return onward


def gateway_costs(
    candidates: Any,
    partners: Any,
    gateways: Any = None,
    modes: Any = None,
    *,
    distance: str = "geodesic",
) -> pd.DataFrame:
    """The cheapest international route of every candidate centre to every partner hub.

    For centre ``j``, partner ``k`` and each gateway ``g`` of mode ``m`` that reaches
    ``k``'s country, the cost per piece is::

        truck_rate * d(j, g) + handling_m + border_m + rate_m * (d(g, via) + d(via, k))

    (``via`` is the rail border crossing for rail routes, absent otherwise; ``border_m``
    the land modes' border-crossing term). A gateway whose ``leg_mode`` is ``rail`` (the
    rail crossings of :func:`borderhub.routes.infrastructure_gateways`) is reached by
    train from the centre: its leg costs ``rate_rail * d_rail(j, g)``. With
    ``distance="geodesic"`` every distance is geodesic km; with ``"road"`` or ``"rail"``
    the domestic leg ``d(j, g)`` follows that network and the onward leg the network of
    the gateway's mode -- road gateways the road network, rail gateways the rail network,
    sea gateways the sea lanes (a partner hub farther than
    :data:`borderhub.network.MAX_SNAP_KM` from them has no sea route), air gateways the
    geodesic -- through :func:`borderhub.routes.network_km` (the geodesic where a network
    does not reach a partner hub). The route of ``(j, k)`` is the cheapest over all
    gateways and modes.

    Parameters
    ----------
    candidates : pandas.DataFrame or geopandas.GeoDataFrame
        Candidate centres (points with a CRS, or ``lon``/``lat`` columns in WGS84),
        indexed by label.
    partners : pandas.DataFrame or geopandas.GeoDataFrame
        Partner hubs indexed by label with an ``iso3`` column (as
        :func:`borderhub.datasets.partners`).
    gateways : pandas.DataFrame, optional
        Gateway table as returned by :func:`gateways` (default: with geodesic distances,
        built from the bundled candidate and border-port tables; with a network, from the
        infrastructure for these candidates, ``gateways(candidates, infrastructure=True)``).
    modes : mapping, optional
        Overrides of ``DEFAULT_MODES``, e.g. ``{"air": {"rate": 2.0}, "sea": None}``
        (``None`` switches a mode off).
    distance : {"geodesic", "road", "rail"}, default "geodesic"
        How the legs are measured (see above); a network needs the extra ``network``.

    Returns
    -------
    pandas.DataFrame
        MultiIndex ``(centre, partner)`` covering every pair, columns ``cost``, ``mode``,
        ``gateway``, ``leg_km`` (centre to gateway) and ``route_km`` (gateway to partner).
        A pair no gateway connects has ``cost`` NaN and no mode or gateway -- never a
        large number. ``routes["cost"].unstack()`` is the candidates x partners matrix
        :meth:`CrossBorderMedian.from_cost_matrices` takes.

    Raises
    ------
    DataError
        Missing columns, duplicate labels or invalid coordinates.
    SpecificationError
        Unknown modes or parameters.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.flows import gateway_costs
    >>> cand = datasets.candidates().loc[["533100", "310000"]]
    >>> part = datasets.partners().loc[["MMR-MDL", "LAO-VTE"]]
    >>> r = gateway_costs(cand, part)
    >>> r.loc[("533100", "MMR-MDL"), ["mode", "gateway"]].tolist()
    ['road', 'road:wanding']
    >>> r.loc[("310000", "LAO-VTE"), "mode"] in ("air", "rail", "road")
    True
    """
    from borderhub.routes import check_distance, network_km

    distance = check_distance(distance)
    table = mode_table(modes)
    if gateways is None and distance != "geodesic":
        gw = globals()["gateways"](candidates, infrastructure=True)
    else:
        gw = globals()["gateways"]() if gateways is None else gateways
    if not isinstance(gw, pd.DataFrame):
        raise DataError(f"gateways must be a DataFrame like gateways(), got {type(gw).__name__}")
    miss = [c for c in _GATEWAY_COLUMNS if c not in gw.columns]
    if miss:
        raise DataError(f"gateways lacks columns {miss}; build it with borderhub.locate.gateways()")
    if not isinstance(partners, pd.DataFrame) or "iso3" not in partners.columns:
        raise DataError(
            "partners must be a DataFrame with an 'iso3' column, like borderhub.datasets.partners()"
        )
    for role, frame in (("candidates", candidates), ("partners", partners), ("gateways", gw)):
        if frame.index.has_duplicates:
            dup = frame.index[frame.index.duplicated()].unique()
            raise DataError(f"{role} has duplicate labels {list(dup[:10])}; make them unique")
    bad_mode = sorted(set(gw["mode"]) - set(_MODES))
    if bad_mode:
        raise DataError(f"gateways has unknown modes {bad_mode}; modes are {list(_MODES)}")
    use = gw[gw["mode"].map(lambda m: bool(table[m]))]
    use = use[use["mode"].map(lambda m: "rate" in table[m] or "handling" in table[m])]
    m, K = len(candidates), len(partners)
    iso = partners["iso3"].astype(str).str.upper().to_numpy()
    best = np.full((m, K), np.inf)
    best_g = np.full((m, K), -1, dtype=np.int64)
    leg_best = np.full((m, K), np.nan)
    route_best = np.full((m, K), np.nan)
    if len(use):
        gpts = use[["lon", "lat"]].astype(float)
        by_rail = (use["leg_mode"] == "rail").to_numpy() if "leg_mode" in use else None
        by_rail = np.zeros(len(use), bool) if by_rail is None else by_rail
        leg = np.full((m, len(use)), np.nan)  # m x G
        if (~by_rail).any():
            leg[:, ~by_rail] = network_km(candidates, gpts[~by_rail], distance).to_numpy()
        if by_rail.any():  # the train is loaded at the centre
            net = "geodesic" if distance == "geodesic" else "rail"
            km = network_km(candidates, gpts[by_rail], net, fallback=False)
            leg[:, by_rail] = km.to_numpy()
        onward = _onward(use, partners, distance)  # G x K
        reach = np.zeros((len(use), K), dtype=bool)
        for g, (mode, r) in enumerate(zip(use["mode"], use["reach"].astype(str), strict=True)):
            if r.strip() == "*":
                reach[g] = True
            else:
                reach[g] = np.isin(iso, [x.strip().upper() for x in r.split(";")])
            if mode == "sea":
                reach[g] &= ~np.isin(iso, list(LANDLOCKED))
        reach &= np.isfinite(onward)
        truck = table["truck"]["rate"]
        hand = use["mode"].map(lambda x: table[x].get("handling", 0.0)).to_numpy(dtype=float)
        hand = hand + use["mode"].map(lambda x: table[x].get("border", 0.0)).to_numpy(float)
        rate = use["mode"].map(lambda x: table[x].get("rate", 0.0)).to_numpy(dtype=float)
        g_cost = np.where(reach, hand[:, None] + rate[:, None] * onward, np.inf)  # G x K
        leg_rate = np.where(by_rail, table["rail"].get("rate", 0.0), truck)
        leg_cost = np.where(np.isfinite(leg), leg_rate[None, :] * leg, np.inf)
        total = leg_cost[:, :, None] + g_cost[None, :, :]  # m x G x K
        best_g = total.argmin(axis=1)
        best = np.take_along_axis(total, best_g[:, None, :], axis=1)[:, 0, :]
        leg_best = np.take_along_axis(leg, best_g, axis=1)
        route_best = onward[best_g, np.arange(K)[None, :]]
    ok = np.isfinite(best)
    gid = np.asarray(use.index, dtype=object)
    gmode = use["mode"].to_numpy(dtype=object)
    idx = pd.MultiIndex.from_product(
        [candidates.index.copy(), partners.index.copy()], names=["centre", "partner"]
    )
    flat = ok.ravel()
    sel = best_g.ravel()
    none = np.full(flat.shape, None, dtype=object)
    modes_of = gmode[sel] if len(use) else none
    ids_of = gid[sel] if len(use) else none
    out = pd.DataFrame(
        {
            "cost": np.where(flat, best.ravel(), np.nan),
            "mode": np.where(flat, modes_of, none),
            "gateway": np.where(flat, ids_of, none),
            "leg_km": np.where(flat, leg_best.ravel(), np.nan),
            "route_km": np.where(flat, route_best.ravel(), np.nan),
        },
        index=idx,
    )
    return out
