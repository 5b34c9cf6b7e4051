"""Location criteria: distance to the RCEP partner hubs and to the land border ports."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.routes import network_km
from borderhub.scoring.criterion import Criterion

__all__ = ["rcep_proximity", "border_port_distance", "RCEP_PROXIMITY", "BORDER_PORT_DISTANCE"]


def rcep_proximity(
    candidates: pd.DataFrame,
    partners: pd.DataFrame | None = None,
    weights: Mapping[str, float] | pd.Series | None = None,
    distance: str = "geodesic",
) -> pd.Series:
    """Weighted mean distance (km) from each candidate to the RCEP partner hubs.

    ``d_i = sum_k omega_k dist(i, k) / sum_k omega_k`` over the partner hubs ``k``. A cost:
    smaller means closer to the RCEP markets as a whole, or to the heavily weighted ones.

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    partners : GeoDataFrame or DataFrame, optional
        Partner hubs; default: :func:`borderhub.datasets.partners` rows with ``rcep`` true.
        Needs an ``iso3`` column when weights are given by country.
    weights : mapping, optional
        ``{key: weight}`` where a key is a partner hub label (e.g. ``"SGP-SIN"``) or an ISO
        3166 alpha-3 country code (e.g. ``"JPN"``), for instance trade shares. A country's
        weight is split equally over its hubs in ``partners``; hubs not named get weight 0.
        Default: every hub weighs the same, so a country with several hubs in ``partners``
        weighs more; pass ``{iso3: 1, ...}`` to weigh the countries equally.
    distance : {"geodesic", "road", "rail"}, default "geodesic"
        How a distance is measured (:func:`borderhub.routes.network_km`): along the road
        or rail network where it reaches the hub, the geodesic where it does not (a hub
        across the sea); ``attrs["fallback_pairs"]`` counts those pairs.

    Returns
    -------
    pandas.Series
        km, indexed like ``candidates``, named ``"rcep_proximity"``.

    Raises
    ------
    SpecificationError
        Unknown keys, negative or all-zero weights.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [108.3, 126.6], "lat": [22.8, 45.8]},
    ...                      index=["南宁", "哈尔滨"])
    >>> hubs = pd.DataFrame({"iso3": ["VNM", "KOR"], "lon": [105.8, 126.98],
    ...                      "lat": [21.0, 37.57]}, index=["VNM-HAN", "KOR-SEL"])
    >>> rcep_proximity(cands, hubs).round(-1)
    南宁     1370.0
    哈尔滨    2130.0
    Name: rcep_proximity, dtype: float64
    >>> rcep_proximity(cands, hubs, weights={"VNM": 1, "KOR": 0}).round(-1).tolist()
    [330.0, 3340.0]
    """
    if partners is None:
        from borderhub import datasets

        allp = datasets.partners()
        partners = allp.loc[allp["rcep"].astype(bool)]
    if len(partners) == 0:
        raise DataError(
            "rcep_proximity: the partners frame is empty; pass at least one partner hub, or "
            "None for the bundled RCEP hubs."
        )
    dist = network_km(candidates, partners, distance)
    if weights is None:
        omega = np.full(len(partners), 1.0)
    else:
        omega = np.zeros(len(partners))
        iso = partners["iso3"].astype(str).to_numpy() if "iso3" in partners.columns else None
        labels = partners.index
        unknown = []
        for key, val in dict(weights.items()).items():
            try:
                val = float(val)
            except (TypeError, ValueError) as err:
                raise SpecificationError(
                    f"rcep_proximity weight for {key!r} is not a number."
                ) from err
            if not math.isfinite(val) or val < 0:
                raise SpecificationError(
                    f"rcep_proximity weights must be finite and >= 0; {key!r} has {val}."
                )
            if key in labels:
                omega[labels.get_loc(key)] += val
            elif iso is not None and (iso == key).any():
                hit = iso == key
                omega[hit] += val / hit.sum()
            else:
                unknown.append(key)
        if unknown:
            known_iso = sorted(set(iso)) if iso is not None else []
            raise SpecificationError(
                f"rcep_proximity weights name unknown partners {unknown}; use partner labels "
                f"{list(labels)[:20]} or country codes {known_iso}."
            )
        if omega.sum() <= 0:
            raise SpecificationError("rcep_proximity weights are all zero.")
    vals = dist.to_numpy() @ (omega / omega.sum())
    out = pd.Series(vals, index=candidates.index.copy(), name="rcep_proximity")
    out.attrs.update({k: v for k, v in dist.attrs.items() if k in _KEPT})
    return out


#: The attributes of a network distance a criterion passes on.
_KEPT = ("distance", "network", "licence", "fallback_pairs")


def border_port_distance(
    candidates: pd.DataFrame,
    ports: pd.DataFrame | None = None,
    sourced_only: bool = False,
    distance: str = "geodesic",
) -> pd.Series:
    """Distance (km) from each candidate to the nearest land border port.

    A cost: road express to neighbouring countries crosses at these ports.

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    ports : GeoDataFrame or DataFrame, optional
        Border ports; default :func:`borderhub.datasets.border_ports`. Ports whose
        ``lon``/``lat`` is missing are left out.
    sourced_only : bool, default False
        Use only ports whose point is their own sourced point (``point_sourced`` True in
        :func:`borderhub.datasets.border_ports`), leaving out those for which the admin
        centre of their county stands in. Requires a ``point_sourced`` column.
    distance : {"geodesic", "road", "rail"}, default "geodesic"
        How a distance is measured (:func:`borderhub.routes.network_km`; the geodesic
        where the network does not carry a pair).

    Returns
    -------
    pandas.Series
        km, indexed like ``candidates``, named ``"border_port_distance"``. When the ports
        carry ``point_sourced``, ``attrs["stand_in"]`` lists the candidates whose nearest
        port has no sourced point of its own (its county's admin centre stands in): their
        distance is an estimate.

    Raises
    ------
    DataError
        No port is left (empty frame, no point, or none sourced), or ``sourced_only`` is
        asked of a frame without ``point_sourced``.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [131.15, 116.4], "lat": [44.4, 39.9]},
    ...                      index=["绥芬河", "北京"])
    >>> ports = pd.DataFrame({"lon": [131.16, 117.4], "lat": [44.41, 49.6],
    ...                       "point_sourced": [False, True]},
    ...                      index=["绥芬河口岸", "满洲里口岸"])
    >>> border_port_distance(cands, ports).round(0).tolist()
    [1.0, 1081.0]
    >>> border_port_distance(cands, ports, sourced_only=True).round(0).tolist()
    [1192.0, 1081.0]
    >>> border_port_distance(cands, ports).attrs["stand_in"]
    ['绥芬河']
    """
    if ports is None:
        from borderhub import datasets

        ports = datasets.border_ports()
    if sourced_only:
        if "point_sourced" not in ports.columns:
            raise DataError(
                "border_port_distance: sourced_only=True needs a boolean 'point_sourced' "
                "column in ports (as in borderhub.datasets.border_ports()); pass "
                "sourced_only=False to use every port"
            )
        ports = ports[ports["point_sourced"].fillna(False).astype(bool).to_numpy()]
    if {"lon", "lat"} <= set(ports.columns):
        ports = ports[ports[["lon", "lat"]].notna().all(axis=1).to_numpy()]
    if len(ports) == 0:
        raise DataError(
            "border_port_distance: the ports frame is empty or has no port with a point left; "
            "pass at least one port with lon/lat, or None for the bundled land border ports"
            + (" (sourced_only=True keeps only ports with a sourced point)" if sourced_only else "")
        )
    km = network_km(candidates, ports, distance)
    dist = km.to_numpy()
    out = pd.Series(dist.min(axis=1), index=candidates.index.copy(), name="border_port_distance")
    out.attrs.update({k: v for k, v in km.attrs.items() if k in _KEPT})
    if "point_sourced" in ports.columns:
        sourced = ports["point_sourced"].fillna(False).astype(bool).to_numpy()
        nearest = dist.argmin(axis=1)
        out.attrs["stand_in"] = [
            c for c, k in zip(out.index, nearest, strict=True) if not sourced[k]
        ]
    return out


#: Mean km to the RCEP partner hubs (reads the study's ``partners`` and ``distance``).
RCEP_PROXIMITY = Criterion(
    "rcep_proximity",
    rcep_proximity,
    "cost",
    description="mean distance to the RCEP partner hubs",
    unit="km",
    inputs=["partners", "distance"],
)

#: Km to the nearest land border port (reads the study's ``ports`` and ``distance``).
BORDER_PORT_DISTANCE = Criterion(
    "border_port_distance",
    border_port_distance,
    "cost",
    description="distance to the nearest land border port",
    unit="km",
    inputs=["ports", "distance"],
)
