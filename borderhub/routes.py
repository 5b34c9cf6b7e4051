"""Distances of a study by road, rail or geodesic, with the network legs of every route.

A study chooses how its distances are measured with ``distance=`` (:data:`DISTANCES`):
``"geodesic"`` (the default, no extra needed) or ``"road"``/``"rail"`` along the
OpenStreetMap networks of :mod:`borderhub.network` (the optional extra ``network``). The
choice reaches the domestic leg of every plan, the distance criteria of the scoring
(:func:`borderhub.scoring.border_port_distance`, :func:`borderhub.scoring.rcep_proximity`)
and every leg of the cross-border costs (:func:`borderhub.flows.gateway_costs`).

:func:`network_km` is the one place where a network distance becomes a study's distance:

* a point farther from the network than the mode's :data:`borderhub.network.MAX_SNAP_KM`
  (an island without a road link, a partner hub beyond the clipped region) and a pair the
  network does not connect (Hainan by road, Japan by rail) take the geodesic distance
  instead, and ``attrs["fallback_pairs"]`` counts them -- or, with ``fallback=False``,
  stay NaN (no route);
* ``attrs`` carries the network's source and licence, which a run's manifest records.

Road and rail data: © OpenStreetMap contributors, ODbL 1.0 (through ``scgraph_data``);
sea lanes: ``searoute`` (Apache-2.0).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import metadata, util
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = [
    "AIRPORT_KM",
    "CROSSING_KM",
    "DISTANCES",
    "EUROPE_RAIL",
    "EUROPE_TRANSIT",
    "check_distance",
    "crossings",
    "infrastructure_gateways",
    "iso3_of",
    "network_km",
    "read_gateways",
    "read_partners",
]

#: The ways a study can measure its distances (the first is the default).
DISTANCES = ("geodesic", "road", "rail")

_PACKAGE = {"road": "scgraph_data", "rail": "scgraph_data", "sea": "searoute"}
_CROSSINGS_FORMAT = "borderhub-crossings-1"
#: A snap limit no point on Earth exceeds: every point is snapped, the far ones are judged
#: afterwards against the mode's own limit.
_ANY_KM = 25_000.0


def check_distance(distance: Any, *, modes: tuple[str, ...] = DISTANCES) -> str:
    """The distance method, checked: known, and its network installed.

    Parameters
    ----------
    distance : str
        One of ``modes`` (default :data:`DISTANCES`).
    modes : tuple of str
        The methods allowed where it is asked.

    Returns
    -------
    str
        The method, lower case.

    Raises
    ------
    SpecificationError
        An unknown method, or a network method without the optional extra ``network``
        (the message names it: ``pip install "borderhub[network]"``).

    Examples
    --------
    >>> from borderhub.routes import check_distance
    >>> check_distance("Road")
    'road'
    >>> check_distance("car")
    Traceback (most recent call last):
    ...
    borderhub.exceptions.SpecificationError: distance must be one of ['geodesic', 'road', ...
    """
    if not isinstance(distance, str) or distance.strip().lower() not in modes:
        raise SpecificationError(f"distance must be one of {list(modes)}, got {distance!r}")
    method = distance.strip().lower()
    package = _PACKAGE.get(method)
    if package is not None and util.find_spec(package) is None:
        raise SpecificationError(
            f"distance={method!r} measures along the {method} network, which needs the "
            f"package {package!r} of the optional extra 'network': pip install "
            '"borderhub[network]" (or use distance="geodesic")'
        )
    return method


def network_km(
    origins: Any,
    destinations: Any,
    mode: str,
    *,
    fallback: bool = True,
    cache: bool = True,
) -> pd.DataFrame:
    """Distances in km along a network, geodesic where the network cannot carry the pair.

    Parameters
    ----------
    origins, destinations : GeoDataFrame, DataFrame or array-like
        Points, as :func:`borderhub.geo.distance_matrix` takes them.
    mode : {"geodesic", "road", "rail", "sea"}
        ``"geodesic"`` returns :func:`borderhub.geo.distance_matrix` unchanged.
    fallback : bool, default True
        Give a pair the network does not carry -- an end farther from the network than
        :data:`borderhub.network.MAX_SNAP_KM` of the mode, or no path between the two --
        its geodesic distance (True), or leave it NaN (False: no route by this mode).
    cache : bool, default True
        Use the disk cache of :func:`borderhub.network.distance_matrix`.

    Returns
    -------
    pandas.DataFrame
        km, origins x destinations. ``attrs``: ``distance`` (the mode), and for a network
        ``network`` (source package and version), ``licence`` (the attribution to carry)
        and ``fallback_pairs`` (pairs given the geodesic distance, or left NaN).

    Raises
    ------
    DataError
        Bad points.
    SpecificationError
        An unknown mode, or a network mode without the extra ``network``.

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.routes import network_km
    >>> harbin, haikou = (126.535, 45.803), (110.199, 20.044)
    >>> d = network_km(np.array([harbin]), np.array([harbin, haikou]), "road")
    >>> d.attrs["fallback_pairs"]  # Hainan has no road link to the mainland
    1
    """
    from borderhub.geo import distance_matrix

    method = check_distance(mode, modes=("geodesic", "road", "rail", "sea"))
    if method == "geodesic":
        out = distance_matrix(origins, destinations)
        out.attrs["distance"] = "geodesic"
        return out
    from borderhub import network

    km = network.distance_matrix(origins, destinations, method, max_snap_km=_ANY_KM, cache=cache)
    limit = network.MAX_SNAP_KM[method]
    far_o = km.attrs["origin_snap_km"].to_numpy(dtype=float) > limit
    far_d = km.attrs["destination_snap_km"].to_numpy(dtype=float) > limit
    values = km.to_numpy(dtype=float).copy()
    values[far_o, :] = np.nan
    values[:, far_d] = np.nan
    missing = ~np.isfinite(values)
    if fallback and missing.any():
        geo = distance_matrix(origins, destinations).to_numpy(dtype=float)
        values[missing] = geo[missing]
    out = pd.DataFrame(values, index=km.index.copy(), columns=km.columns.copy())
    out.attrs.update(
        distance=method,
        network=km.attrs["network"],
        licence=km.attrs["licence"],
        fallback_pairs=int(missing.sum()),
    )
    return out


# ----------------------------------------------------------------------------------------
# gateways from the infrastructure
# ----------------------------------------------------------------------------------------
#: The farthest (km) a listed land port may lie from the network's border crossing of its
#: mode toward its neighbour to be placed on it. Wide enough for a port whose county's
#: admin centre stands in for its own point (磨憨 lies 31.5 km from its rail crossing), not
#: so wide that a port takes a crossing of another valley.
CROSSING_KM = 35.0

#: The farthest (km) an airport (an IATA code in ``airportsdata``) may lie from a
#: candidate's point to serve it as an air gateway.
AIRPORT_KM = 50.0

#: The countries whose rail crossings the China–Europe Railway Express uses: a rail
#: gateway toward one of them also reaches the European partners.
EUROPE_TRANSIT = frozenset({"RUS", "KAZ", "MNG"})

#: Partner countries the China–Europe Railway Express serves (rail gateways of the hubs).
EUROPE_RAIL = frozenset({"DEU", "BEL", "NLD", "POL", "ESP", "GBR", "RUS", "FRA", "ITA", "CZE"})

#: Neighbouring-country names of the border-port table -> ISO3 (used when the table has no
#: ISO3 column).
_COUNTRY_ISO3 = {
    "myanmar": "MMR", "laos": "LAO", "lao pdr": "LAO", "vietnam": "VNM", "viet nam": "VNM",
    "russia": "RUS", "dprk": "PRK", "north korea": "PRK", "mongolia": "MNG",
    "kazakhstan": "KAZ", "kyrgyzstan": "KGZ", "tajikistan": "TJK", "pakistan": "PAK",
    "afghanistan": "AFG", "nepal": "NPL", "india": "IND", "bhutan": "BTN",
}  # fmt: skip


def iso3_of(row: pd.Series) -> str:
    """The ``;``-joined ISO3 codes of a border port's neighbours (a border-port table row).

    Parameters
    ----------
    row : pandas.Series
        A row with ``neighbour_iso3`` (or ``neighbour_country_iso3``, ``iso3``), else
        ``neighbour_country`` (English names, ``;`` or ``/`` between two).

    Returns
    -------
    str
        E.g. ``"RUS;PRK"``; empty when no neighbour is known.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.routes import iso3_of
    >>> iso3_of(pd.Series({"neighbour_country": "Russia / DPRK"}))
    'RUS;PRK'
    """
    for col in ("neighbour_iso3", "neighbour_country_iso3", "iso3"):
        if col in row.index and isinstance(row[col], str) and row[col].strip():
            return ";".join(x.strip().upper() for x in row[col].replace("/", ";").split(";"))
    names = str(row.get("neighbour_country", "")).replace("/", ";").split(";")
    codes = [_COUNTRY_ISO3.get(n.strip().lower()) for n in names]
    return ";".join(c for c in codes if c)


_GATEWAY_COLUMNS = [
    "gateway", "name", "mode", "lon", "lat", "reach", "via_lon", "via_lat", "leg_mode",
    "point_of", "port",
]  # fmt: skip


def crossings(mode: str) -> pd.DataFrame:
    """The border crossings of a land network with the country each one leads into.

    Parameters
    ----------
    mode : {"road", "rail"}

    Returns
    -------
    pandas.DataFrame
        :func:`borderhub.network.border_crossings` with ``iso3``: the country of the
        crossing's outside end (the neighbour polygon of
        :func:`borderhub.datasets.boundaries` containing it, or the nearest within 10 km);
        crossings leading nowhere else (a line that runs along the simplified boundary,
        Taiwan) are left out. Kept in :func:`borderhub.network.cache_dir` once made.

    Examples
    --------
    >>> from borderhub.routes import crossings
    >>> rail = crossings("rail")
    >>> sorted(set(rail["iso3"]))
    ['KAZ', 'LAO', 'MNG', 'PRK', 'RUS', 'VNM']
    """
    mode = check_distance(mode, modes=("road", "rail"))
    return _crossings(mode).copy()


@functools.lru_cache(maxsize=2)
def _crossings(mode: str) -> pd.DataFrame:
    """:func:`crossings`, kept in the network cache directory (it takes seconds to make)."""
    import geopandas as gpd

    from borderhub import network
    from borderhub.datasets import boundaries, data_dir

    key = hashlib.sha256(
        json.dumps(
            [_CROSSINGS_FORMAT, mode, metadata.version(_PACKAGE[mode]), list(network.REGION)]
        ).encode()
    )
    for layer in ("country", "neighbours"):
        key.update((data_dir() / "boundaries" / f"{layer}.geojson").read_bytes())
    path = network.cache_dir() / "network" / f"crossings-{mode}-{key.hexdigest()[:32]}.csv"
    if path.is_file():
        try:
            cached = pd.read_csv(path, dtype={"iso3": str})
            cached.attrs.update(json.loads(path.with_suffix(".json").read_text("utf-8")))
            return cached
        except (OSError, ValueError):
            pass
    frame = network.border_crossings(mode)
    world = boundaries("neighbours")
    world = world[world.index.astype(str) != "CHN"]
    outside = gpd.GeoSeries(
        gpd.points_from_xy(frame["outside_lon"], frame["outside_lat"]), crs="EPSG:4326"
    )
    metric = "EPSG:3857"
    hit = gpd.sjoin_nearest(
        gpd.GeoDataFrame(geometry=outside.to_crs(metric)),
        world[["geometry"]].to_crs(metric).reset_index(names="iso3"),
        how="left",
        max_distance=10_000.0,
    )
    hit = hit[~hit.index.duplicated()]
    iso = hit["iso3"].reindex(range(len(frame))).to_numpy()
    out = pd.DataFrame(frame.drop(columns="geometry"))
    out["iso3"] = iso
    out = out[out["iso3"].notna()].reset_index(drop=True)
    out.attrs.update(frame.attrs)
    try:  # written whole, then renamed: a reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        out.to_csv(tmp, index=False)
        path.with_suffix(".json").write_text(json.dumps(dict(out.attrs)), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # the crossings are correct; they are made again next time
    return out


def _airports() -> tuple[pd.DataFrame, str]:
    """The IATA airports of ``airportsdata`` and the package's citation."""
    if util.find_spec("airportsdata") is None:
        raise SpecificationError(
            "gateways from the infrastructure need the package 'airportsdata' of the optional "
            "extra 'network': pip install \"borderhub[network]\""
        )
    import airportsdata

    table = pd.DataFrame.from_dict(airportsdata.load("IATA"), orient="index")
    table = table[table["country"] == "CN"]  # a gateway of China is an airport in China
    version = metadata.version("airportsdata")
    return table, f"airportsdata {version} (MIT)"


def infrastructure_gateways(candidates: Any, border_ports: Any) -> pd.DataFrame:
    """Gateways at the real airports, seaports and border crossings.

    * ``air`` -- every candidate with an airport in China (an IATA code of country ``CN``
      in the ``airportsdata`` package) within :data:`AIRPORT_KM`: the gateway is the
      nearest airport named "International" within that distance, else the nearest
      airport (its code in the name), reaching every partner;
    * ``sea`` -- every coastal candidate (``coastal`` column): its point, on the sea lanes
      of :mod:`borderhub.network`; reaches every partner but the landlocked ones;
    * ``road`` -- every listed land port (``mode`` empty or naming road), placed on the
      road border crossing toward its neighbour (:func:`crossings`) within
      :data:`CROSSING_KM` of the port's point; a port with none keeps its point
      (``point_of`` says which), and ``attrs["note"]`` counts them;
    * ``rail`` -- every rail border crossing within :data:`CROSSING_KM` of a listed land
      port, toward the port's neighbour; the train is loaded at the centre (``leg_mode``
      ``rail``: the leg to the crossing is priced and measured as rail), so a rail
      gateway is reachable from every centre on the rail network, not only from the
      China–Europe hubs; a crossing toward Russia, Kazakhstan or Mongolia
      (:data:`EUROPE_TRANSIT`) also reaches the European partners
      (:data:`borderhub.flows.EUROPE_RAIL`).

    A port with two neighbours (珲春: Russia and North Korea) has a gateway toward each.

    Parameters
    ----------
    candidates : pandas.DataFrame
        With ``name``, ``lon``, ``lat`` and optionally ``coastal``.
    border_ports : pandas.DataFrame
        Like :func:`borderhub.datasets.border_ports`.

    Returns
    -------
    pandas.DataFrame
        As :func:`borderhub.flows.gateways`, with ``leg_mode`` (``truck`` or ``rail``),
        ``point_of`` and ``port`` (the listed port's id, empty for air and sea);
        ``attrs["note"]`` and ``attrs["sources"]``.

    Raises
    ------
    SpecificationError
        The extra ``network`` (``scgraph_data``, ``airportsdata``) is missing.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.routes import infrastructure_gateways
    >>> cand = datasets.candidates().loc[["230100", "210200"]]  # 哈尔滨, 大连
    >>> g = infrastructure_gateways(cand, datasets.border_ports())
    >>> g.loc["air:230100", "name"], g.loc["rail:manzhouli:RUS", "reach"].split(";")[:2]
    ('哈尔滨市 airport (HRB)', ['RUS', 'BEL'])
    """
    from borderhub.geo import distance_matrix

    rows: list[dict[str, Any]] = []
    nan = float("nan")

    def add(gid: str, name: str, mode: str, lon: Any, lat: Any, reach: str, *,
            leg: str = "truck", point_of: str = "", port: str = "") -> None:  # fmt: skip
        rows.append(dict(gateway=gid, name=name, mode=mode, lon=float(lon), lat=float(lat),
                         reach=reach, via_lon=nan, via_lat=nan, leg_mode=leg,
                         point_of=point_of, port=port))  # fmt: skip

    airports, cited = _airports()
    cand = candidates
    near = distance_matrix(cand[["lon", "lat"]].astype(float), airports[["lon", "lat"]])
    # the nearest international airport within reach, else the nearest airport
    intl = airports["name"].astype(str).str.contains("International").to_numpy()
    ranked = near.to_numpy() + np.where(intl, 0.0, AIRPORT_KM)[None, :]
    nearest = ranked.argmin(axis=1)
    coastal = (
        cand["coastal"].fillna(False).astype(bool)
        if "coastal" in cand.columns
        else pd.Series(False, index=cand.index)
    )
    for pos, lab in enumerate(cand.index):
        name = str(cand.at[lab, "name"]) if "name" in cand.columns else str(lab)
        k = int(nearest[pos])
        km = float(near.to_numpy()[pos, k])
        if km <= AIRPORT_KM:
            code = str(airports.index[k])
            add(f"air:{lab}", f"{name} airport ({code})", "air", airports["lon"].iat[k],
                airports["lat"].iat[k], "*",
                point_of=f"airport {code}, {km:.1f} km from the candidate ({cited})")  # fmt: skip
        if coastal[lab]:
            add(f"sea:{lab}", f"{name} seaport", "sea", cand.at[lab, "lon"], cand.at[lab, "lat"],
                "*", point_of="the candidate's point, on the sea lanes")  # fmt: skip
    stand_in: list[str] = []
    europe = sorted(EUROPE_RAIL)
    ports = border_ports[
        np.isfinite(border_ports["lon"].astype(float))
        & np.isfinite(border_ports["lat"].astype(float))
    ]
    neighbours = {pid: [c for c in iso3_of(row).split(";") if c] for pid, row in ports.iterrows()}
    listed = {
        pid: str(m).lower() if pd.notna(m) else ""
        for pid, m in (ports["mode"] if "mode" in ports else pd.Series("", ports.index)).items()
    }
    pname = ports["port"] if "port" in ports.columns else pd.Series(ports.index, ports.index)
    for mode in ("road", "rail"):
        cross = crossings(mode)
        pkm = distance_matrix(ports[["lon", "lat"]].astype(float), cross[["lon", "lat"]]).to_numpy()
        source = str(cross.attrs.get("network", ""))
        placed: set[tuple[str, str]] = set()
        if mode == "rail":  # each rail crossing at its nearest port toward its country
            for c in range(len(cross)):
                iso = str(cross["iso3"].iat[c])
                fits = [p for p in range(len(ports)) if iso in neighbours[ports.index[p]]]
                if not fits or pkm[fits, c].min() > CROSSING_KM:
                    continue
                p = fits[int(pkm[fits, c].argmin())]
                pid = str(ports.index[p])
                if (pid, iso) in placed:
                    continue
                placed.add((pid, iso))
                reach = ";".join([iso, *[e for e in europe if e != iso]]) if (
                    iso in EUROPE_TRANSIT) else iso  # fmt: skip
                add(f"rail:{pid}:{iso}", f"{pname[pid]} rail crossing", "rail",
                    cross["lon"].iat[c], cross["lat"].iat[c], reach, leg="rail", port=pid,
                    point_of=f"rail border crossing toward {iso} of the OpenStreetMap network "
                    f"({source}), {pkm[p, c]:.1f} km from the port's point")  # fmt: skip
        for p, pid in enumerate(ports.index):
            for iso in neighbours[pid]:
                if mode == "rail":
                    if "rail" in listed[pid] and (str(pid), iso) not in placed:
                        stand_in.append(f"{pname[pid]} (rail)")
                        add(f"rail:{pid}:{iso}", f"{pname[pid]} rail crossing", "rail",
                            ports.at[pid, "lon"], ports.at[pid, "lat"], iso, leg="rail",
                            port=str(pid), point_of=str(ports.at[pid, "point_of"]))  # fmt: skip
                    continue
                if listed[pid].strip() and "road" not in listed[pid]:
                    continue
                gid = f"road:{pid}" if len(neighbours[pid]) == 1 else f"road:{pid}:{iso}"
                toward = np.flatnonzero(cross["iso3"].to_numpy() == iso)
                if len(toward) and pkm[p, toward].min() <= CROSSING_KM:
                    c = int(toward[pkm[p, toward].argmin()])
                    add(gid, f"{pname[pid]} border port", "road", cross["lon"].iat[c],
                        cross["lat"].iat[c], iso, port=str(pid),
                        point_of=f"road border crossing toward {iso} of the OpenStreetMap "
                        f"network ({source}), {pkm[p, c]:.1f} km from the port point")  # fmt: skip
                else:
                    stand_in.append(f"{pname[pid]} (road)")
                    add(gid, f"{pname[pid]} border port", "road", ports.at[pid, "lon"],
                        ports.at[pid, "lat"], iso, port=str(pid),
                        point_of=str(ports.at[pid, "point_of"]))  # fmt: skip
    out = pd.DataFrame(rows, columns=_GATEWAY_COLUMNS).set_index("gateway")
    out = out[~out.index.duplicated()]
    out.attrs["note"] = (
        f"{len(stand_in)} port gateway(s) keep the port's listed point, no {CROSSING_KM:g} km "
        f"crossing of their mode toward their neighbour: {', '.join(stand_in) or 'none'}"
    )
    out.attrs["sources"] = [cited, "road and rail crossings: " + _LICENCE_OSM]
    return out


_LICENCE_OSM = "© OpenStreetMap contributors, ODbL 1.0 (via scgraph_data, MIT)"


# ----------------------------------------------------------------------------------------
# a study's own partners and gateways
# ----------------------------------------------------------------------------------------
def read_partners(path: Any) -> Any:
    r"""Read a study's own partner hubs from a CSV file.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV (as :func:`borderhub.io.read_points` reads it) with the columns ``partner``
        (a unique label, e.g. ``MNG-ULN``), ``iso3`` (the country's ISO 3166 alpha-3
        code), ``lon`` and ``lat`` (WGS84) and optionally ``city`` and ``country``.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``partner``, like :func:`borderhub.datasets.partners`.

    Raises
    ------
    DataError
        A missing file or column, a duplicate label, or an ``iso3`` that is not three
        letters.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.routes import read_partners
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "partners.csv"
    >>> _ = f.write_text("partner,iso3,lon,lat\nMNG-ULN,MNG,106.82,47.65\n", encoding="utf-8")
    >>> read_partners(f)[["iso3", "city"]].to_dict("index")
    {'MNG-ULN': {'iso3': 'MNG', 'city': 'MNG-ULN'}}
    """
    from borderhub.exceptions import DataError
    from borderhub.io import read_points

    frame = read_points(path, id_column="partner", role="partners")
    if "iso3" not in frame.columns:
        raise DataError(
            f"partner file {path}: no iso3 column; give each hub its country's ISO3 code "
            "(columns partner, iso3, lon, lat)"
        )
    iso = frame["iso3"].fillna("").astype(str).str.strip().str.upper()
    bad = ~iso.str.fullmatch(r"[A-Z]{3}")
    if bad.any():
        raise DataError(
            f"partner file {path}: iso3 must be a three-letter country code; bad for "
            f"{list(frame.index[bad.to_numpy()][:10])}"
        )
    out = frame.assign(iso3=iso)
    for col in ("city", "country"):
        if col not in out.columns:
            out[col] = [str(k) for k in out.index] if col == "city" else iso.to_numpy()
    out.index.name = "partner_id"
    return out


def read_gateways(path: Any) -> pd.DataFrame:
    r"""Read a study's own gateway table from a CSV file.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV with the columns ``gateway`` (a unique label), ``mode`` (``air``, ``sea``,
        ``road`` or ``rail``), ``lon``, ``lat`` (WGS84) and ``reach`` (``*`` for every
        partner, or ``;``-joined ISO3 codes), and optionally ``name`` and ``leg_mode``
        (``truck``, the default, or ``rail``: the train is loaded at the centre).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``gateway``, as :func:`borderhub.flows.gateways` returns it.

    Raises
    ------
    DataError
        A missing file or column, an unknown mode or leg mode, an empty reach.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from borderhub.routes import read_gateways
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "gateways.csv"
    >>> _ = f.write_text("gateway,mode,lon,lat,reach\nroad:x,road,124.39,40.12,PRK\n",
    ...                  encoding="utf-8")
    >>> read_gateways(f).loc["road:x", ["mode", "reach", "leg_mode"]].tolist()
    ['road', 'PRK', 'truck']
    """
    from borderhub.exceptions import DataError
    from borderhub.io import read_points

    frame = pd.DataFrame(read_points(path, id_column="gateway", role="gateways"))
    miss = [c for c in ("mode", "reach") if c not in frame.columns]
    if miss:
        raise DataError(
            f"gateway file {path}: no column(s) {miss}; give the columns gateway, mode "
            "(air, sea, road, rail), lon, lat and reach (* or ISO3 codes joined by ;)"
        )
    mode = frame["mode"].fillna("").astype(str).str.strip().str.lower()
    bad = ~mode.isin(["air", "sea", "road", "rail"])
    if bad.any():
        raise DataError(
            f"gateway file {path}: unknown mode for {list(frame.index[bad.to_numpy()][:10])}; "
            "use air, sea, road or rail"
        )
    leg = (
        frame["leg_mode"].fillna("truck").astype(str).str.strip().str.lower()
        if "leg_mode" in frame.columns
        else pd.Series("truck", index=frame.index)
    )
    if (~leg.isin(["truck", "rail"])).any():
        raise DataError(f"gateway file {path}: leg_mode must be truck or rail")
    reach = frame["reach"].fillna("").astype(str).str.strip().str.upper()
    if (reach == "").any():
        raise DataError(
            f"gateway file {path}: empty reach for {list(frame.index[(reach == '').to_numpy()])}"
            "; give * or the ISO3 codes of the countries the gateway reaches"
        )
    out = pd.DataFrame(
        {
            "name": frame["name"].astype(str) if "name" in frame else frame.index.astype(str),
            "mode": mode,
            "lon": frame["lon"].astype(float),
            "lat": frame["lat"].astype(float),
            "reach": reach,
            "via_lon": np.nan,
            "via_lat": np.nan,
            "leg_mode": leg,
            "point_of": "user",
            "port": "",
        },
        index=frame.index.copy(),
    )
    out.index.name = "gateway"
    return out
