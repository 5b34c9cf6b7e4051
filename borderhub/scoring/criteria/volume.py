"""Volume criteria: the place's own express volume and population, and the demand around it.

:func:`catchment_volume` and :func:`gravity_access` (Hansen 1959) read demand points; their
criteria declare the inputs ``demand`` and ``demand_weight`` (the mass column).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.geo import distance_matrix
from borderhub.scoring._values import as_float_series, read_column, real
from borderhub.scoring.criterion import Criterion

__all__ = [
    "express_volume",
    "population",
    "catchment_volume",
    "gravity_access",
    "EXPRESS_VOLUME",
    "POPULATION",
    "CATCHMENT_VOLUME",
    "GRAVITY_ACCESS",
]

#: The study inputs of the demand criteria -> their keyword arguments.
_DEMAND_INPUTS = {"demand": "demand", "demand_weight": "column"}


def express_volume(candidates: pd.DataFrame) -> pd.Series:
    """The place's own estimated express volume (亿件 = 10^8 items a year). A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With an ``express_volume`` column.

    Returns
    -------
    pandas.Series
        亿件 indexed like ``candidates`` (NaN kept: :func:`score` reports it).

    Examples
    --------
    >>> import pandas as pd
    >>> express_volume(pd.DataFrame({"express_volume": [12.5]})).tolist()
    [12.5]
    """
    s = read_column(candidates, "express_volume", "express_volume")
    return as_float_series(s, candidates.index, "express_volume")


def population(candidates: pd.DataFrame) -> pd.Series:
    """Resident population (2020 census, persons). A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With a ``population`` column.

    Returns
    -------
    pandas.Series
        Persons, indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> population(pd.DataFrame({"population": [21893095]})).tolist()
    [21893095.0]
    """
    s = read_column(candidates, "population", "population")
    return as_float_series(s, candidates.index, "population")


def _demand(demand: pd.DataFrame | None, column: str, fn: str) -> tuple[pd.DataFrame, np.ndarray]:
    if demand is None:
        from borderhub import datasets

        demand = datasets.prefectures()
    vol = read_column(demand, column, fn)
    vals = pd.to_numeric(vol, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(vals) | (vals < 0)
    if bad.any():
        raise DataError(
            f"{fn}: demand column {column!r} has missing, infinite or negative values in rows "
            f"{list(demand.index[bad][:5])}; fill or drop those rows, or choose another column."
        )
    return demand, vals


def catchment_volume(
    candidates: pd.DataFrame,
    demand: pd.DataFrame | None = None,
    radius_km: float = 300.0,
    column: str = "express_volume",
) -> pd.Series:
    """Total demand within ``radius_km`` (geodesic) of each candidate. A benefit.

    ``A_j = sum_i V_i [d_ij <= radius_km]`` over the demand units *i* (the unit holding the
    candidate itself is included, its distance being near 0).

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    demand : GeoDataFrame or DataFrame, optional
        Demand units; default :func:`borderhub.datasets.prefectures`.
    radius_km : float, default 300
        Catchment radius (300 km is about a half-day truck run).
    column : str, default "express_volume"
        Demand column to add up (e.g. ``"population"``).

    Returns
    -------
    pandas.Series
        In the unit of ``column`` (亿件 by default), indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [121.47], "lat": [31.23]}, index=["上海"])
    >>> demand = pd.DataFrame({"lon": [121.47, 120.6, 116.4], "lat": [31.23, 31.3, 39.9],
    ...                        "express_volume": [30.0, 20.0, 25.0]})
    >>> catchment_volume(cands, demand, radius_km=200).tolist()
    [50.0]
    """
    radius_km = real(radius_km, "radius_km")
    if not math.isfinite(radius_km) or radius_km <= 0:
        raise SpecificationError(f"radius_km must be a positive number, got {radius_km!r}.")
    demand, vals = _demand(demand, column, "catchment_volume")
    dist = distance_matrix(candidates, demand).to_numpy()
    return pd.Series(
        (dist <= radius_km) @ vals, index=candidates.index.copy(), name="catchment_volume"
    )


def gravity_access(
    candidates: pd.DataFrame,
    demand: pd.DataFrame | None = None,
    beta: float = 1.0,
    column: str = "express_volume",
    d0_km: float = 50.0,
) -> pd.Series:
    """Gravity (Hansen) accessibility of demand with power distance decay. A benefit.

    ``A_j = sum_i V_i min(1, d0 / d_ij)^beta``: a demand unit within ``d0_km`` counts in
    full, one farther away is discounted by ``(d0 / d)^beta``. The floor ``d0`` handles
    the candidate's own unit (distance near 0, which would otherwise dominate as
    ``d^-beta -> infinity``) and stands for the typical intra-prefecture haul; ``A_j`` is
    in the unit of ``column`` (volume-equivalents at ``d0``).

    Parameters
    ----------
    candidates : GeoDataFrame or DataFrame with ``lon``/``lat``
        The candidate places.
    demand : GeoDataFrame or DataFrame, optional
        Demand units; default :func:`borderhub.datasets.prefectures`.
    beta : float, default 1.0
        Distance-decay exponent (> 0; larger = more local).
    column : str, default "express_volume"
        Demand mass ``V_i``.
    d0_km : float, default 50
        Distance below which no decay applies (> 0).

    Returns
    -------
    pandas.Series
        Accessibility indexed like ``candidates``.

    References
    ----------
    Hansen, W. G. (1959). How accessibility shapes land use. *Journal of the American
    Institute of Planners* 25(2), 73--76.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"lon": [121.47], "lat": [31.23]}, index=["上海"])
    >>> demand = pd.DataFrame({"lon": [121.47, 116.4], "lat": [31.23, 39.9],
    ...                        "express_volume": [30.0, 25.0]})
    >>> gravity_access(cands, demand).round(2).tolist()
    [31.17]
    """
    beta, d0_km = real(beta, "beta"), real(d0_km, "d0_km")
    if not math.isfinite(beta) or beta <= 0:
        raise SpecificationError(f"beta must be a positive number, got {beta!r}.")
    if not math.isfinite(d0_km) or d0_km <= 0:
        raise SpecificationError(f"d0_km must be a positive number, got {d0_km!r}.")
    demand, vals = _demand(demand, column, "gravity_access")
    dist = distance_matrix(candidates, demand).to_numpy()
    decay = np.minimum(1.0, d0_km / np.maximum(dist, 1e-9)) ** beta
    return pd.Series(decay @ vals, index=candidates.index.copy(), name="gravity_access")


#: The place's own estimated express volume, 亿件.
EXPRESS_VOLUME = Criterion(
    "express_volume",
    express_volume,
    "benefit",
    description="own estimated express volume",
    unit="亿件",
)

#: Resident population (2020 census), persons.
POPULATION = Criterion(
    "population", population, "benefit", description="resident population", unit="persons"
)

#: Demand within 300 km (reads the study's ``demand`` and ``demand_weight``).
CATCHMENT_VOLUME = Criterion(
    "catchment_volume",
    catchment_volume,
    "benefit",
    description="prefecture express volume within 300 km",
    unit="亿件",
    inputs=_DEMAND_INPUTS,
)

#: Gravity accessibility of the demand, beta 1, d0 50 km (reads ``demand``, ``demand_weight``).
GRAVITY_ACCESS = Criterion(
    "gravity_access",
    functools.partial(gravity_access, beta=1.0, d0_km=50.0),
    "benefit",
    description="gravity accessibility of prefecture express volume",
    unit="亿件",
    inputs=_DEMAND_INPUTS,
)
