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

from importlib import util
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = ["DISTANCES", "check_distance", "network_km"]

#: The ways a study can measure its distances (the first is the default).
DISTANCES = ("geodesic", "road", "rail")

_PACKAGE = {"road": "scgraph_data", "rail": "scgraph_data", "sea": "searoute"}
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
