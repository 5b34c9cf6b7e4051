"""Checks before the work: places where China's planning can use them, and the run's size.

* :func:`check_places` -- candidates and demand units should lie in China or within about
  300 km of its boundary (the border zone of its neighbours, where border ports and
  cross-border zones are); a place far outside, or one whose longitude and latitude look
  swapped, is named in a :class:`~borderhub.exceptions.DataWarning` (a
  :class:`~borderhub.exceptions.DataError` with ``strict=True``). Partner hubs may lie
  anywhere and are not checked.
* :func:`estimate_memory` / :func:`check_memory` -- the memory a run's distance matrix
  and model need, against what the machine has available, before anything is computed.
* :func:`thin_points` -- at most a few thousand points for a map or a report, chosen
  evenly and reproducibly, with a note saying so.
"""

from __future__ import annotations

import math
import os
import warnings
from functools import lru_cache
from typing import Any

import numpy as np

from borderhub.exceptions import DataError, DataWarning, SpecificationError

__all__ = [
    "check_places",
    "estimate_memory",
    "check_memory",
    "available_memory",
    "thin_points",
    "BORDER_ZONE_DEGREES",
    "BYTES_PER_PAIR",
    "MAX_MAP_POINTS",
]

#: Width of the border zone around China's boundary, in degrees (about 250-330 km).
BORDER_ZONE_DEGREES = 3.0
#: Bytes per (demand, candidate) pair: the distance matrix (8), a working copy (8) and the
#: model built for the solver (about 90 measured for the p-median with HiGHS, rounded up).
BYTES_PER_PAIR = 120
#: Points a map or report draws individually; more are thinned (:func:`thin_points`).
MAX_MAP_POINTS = 3000


@lru_cache(maxsize=1)
def _china() -> Any:
    """China's outline (simplified to about 10 km, prepared for fast point tests)."""
    import shapely

    from borderhub import datasets

    shapes = datasets.boundaries("country").geometry.to_numpy()
    country = shapes[0] if len(shapes) == 1 else shapely.union_all(shapes)
    outline = shapely.simplify(country, 0.1)
    shapely.prepare(outline)
    return outline


def _coordinates(frame: Any) -> tuple[np.ndarray, np.ndarray]:
    if "lon" in getattr(frame, "columns", ()) and "lat" in frame.columns:
        return (
            np.asarray(frame["lon"], dtype=float),
            np.asarray(frame["lat"], dtype=float),
        )
    geometry = getattr(frame, "geometry", None)
    if geometry is None:
        raise SpecificationError(
            "places need lon/lat columns or point geometry (a GeoDataFrame in EPSG:4326)"
        )
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        geometry = geometry.to_crs("EPSG:4326")
    return np.asarray(geometry.x, dtype=float), np.asarray(geometry.y, dtype=float)


def check_places(frame: Any, role: str = "places", *, strict: bool = False) -> list[str]:
    """Name the places outside China and its border zone, or with swapped coordinates.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        Places with ``lon``/``lat`` columns (WGS84 degrees) or point geometry, indexed by
        label.
    role : str, default "places"
        What they are ("candidates", "demand"), for the message.
    strict : bool, default False
        Raise instead of warning.

    Returns
    -------
    list of str
        The labels of the places flagged (empty when all lie in China or its border zone).

    Warns
    -----
    DataWarning
        Naming the places outside (and those whose lon/lat look swapped).

    Raises
    ------
    DataError
        With ``strict=True``, instead of the warning.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> from borderhub.io import check_places
    >>> sites = pd.DataFrame({"lon": [116.4, 2.35, 31.23], "lat": [39.9, 48.86, 121.47]},
    ...                      index=["beijing", "paris", "shanghai?"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     check_places(sites, "candidates")
    ['paris', 'shanghai?']
    >>> "swapped" in str(caught[0].message)
    True
    """
    import shapely

    lon, lat = _coordinates(frame)
    if not len(lon):
        return []
    china = _china()
    finite = np.isfinite(lon) & np.isfinite(lat)
    inside = np.zeros(len(lon), dtype=bool)
    points = shapely.points(lon[finite], lat[finite])
    inside[finite] = shapely.dwithin(china, points, BORDER_ZONE_DEGREES)
    outside = ~inside
    if not outside.any():
        return []
    swapped = np.zeros(len(lon), dtype=bool)
    swapped[outside & finite] = shapely.contains_xy(
        china, lat[outside & finite], lon[outside & finite]
    )
    labels = [str(k) for k in frame.index]
    far = [labels[k] for k in np.flatnonzero(outside & ~swapped)]
    turned = [labels[k] for k in np.flatnonzero(swapped)]
    parts = []
    if far:
        parts.append(
            f"{len(far)} {role} lie outside China and its border zone (about 300 km): "
            f"{far[:10]}{' ...' if len(far) > 10 else ''}"
        )
    if turned:
        parts.append(
            f"{len(turned)} {role} look as if longitude and latitude were swapped (swapped "
            f"back they lie in China): {turned[:10]}{' ...' if len(turned) > 10 else ''}"
        )
    message = (
        "; ".join(parts) + "; check their coordinates (WGS84 lon/lat, in that order) and "
        "CRS, or drop them"
    )
    if strict:
        raise DataError(message)
    warnings.warn(message, DataWarning, stacklevel=2)
    return far + turned


def available_memory() -> int | None:
    """Bytes of memory available to a new computation, or None if unknown.

    ``MemAvailable`` of ``/proc/meminfo`` (Linux), else the free physical pages
    (``os.sysconf``).

    Returns
    -------
    int or None

    Examples
    --------
    >>> from borderhub.io import available_memory
    >>> (available_memory() or 1) > 0
    True
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - no sysconf
        return None


def estimate_memory(n_demand: int, n_candidates: int, *, pairs: int | None = None) -> int:
    """Bytes a run's distance matrix and model need (see :data:`BYTES_PER_PAIR`).

    Parameters
    ----------
    n_demand, n_candidates : int
        Sizes of the run.
    pairs : int, optional
        The (demand, candidate) pairs the method holds when it does not hold them all: a
        model built from points keeps only each demand point's nearest candidates (see
        ``PMedian.size_estimate``). Default: every pair (a dense matrix).

    Returns
    -------
    int

    Raises
    ------
    SpecificationError
        A size that is not a whole number >= 0.

    Examples
    --------
    >>> from borderhub.io import estimate_memory
    >>> round(estimate_memory(2850, 340) / 2**20)  # county-level demand, every candidate
    111
    >>> round(estimate_memory(100_000, 3000, pairs=3_200_000) / 2**20)  # nearest lists only
    366
    """
    for name, value in (("n_demand", n_demand), ("n_candidates", n_candidates), ("pairs", pairs)):
        if name == "pairs" and value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise SpecificationError(f"{name} must be a whole number >= 0, got {value!r}")
    held = int(n_demand) * int(n_candidates) if pairs is None else int(pairs)
    return held * BYTES_PER_PAIR


def _size(n_bytes: float) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{math.ceil(n_bytes / 1024)} KiB"


def check_memory(
    n_demand: int, n_candidates: int, *, available: int | None = None, pairs: int | None = None
) -> int:
    """Refuse, before any work, a run that would not fit in the memory available.

    Parameters
    ----------
    n_demand, n_candidates : int
        Sizes of the run.
    available : int, optional
        Bytes available (default :func:`available_memory`).
    pairs : int, optional
        The pairs the method holds, as for :func:`estimate_memory`.

    Returns
    -------
    int
        The estimate in bytes (:func:`estimate_memory`).

    Raises
    ------
    SpecificationError
        The estimate exceeds 80 % of what is available; the message says how to proceed.

    Examples
    --------
    >>> from borderhub.io import check_memory
    >>> check_memory(300, 60, available=2**30)
    2160000
    >>> try:
    ...     check_memory(60_000, 60_000, available=24 * 2**30)
    ... except ValueError as err:
    ...     print(str(err)[:58])
    60000 demand units x 60000 candidates need about 402.3 GiB
    """
    need = estimate_memory(n_demand, n_candidates, pairs=pairs)
    free = available_memory() if available is None else available
    if free is not None and need > 0.8 * free:
        held = "the distance matrix" if pairs is None else f"{pairs} nearest pairs"
        raise SpecificationError(
            f"{n_demand} demand units x {n_candidates} candidates need about {_size(need)} of "
            f"memory for {held} and the model; {_size(free)} is available. Use "
            "fewer candidates (e.g. only tiered places, --required-tiers, or a province "
            "filter), aggregate the demand (prefectures instead of points), or run on a "
            "machine with more memory"
        )
    return need


def thin_points(
    frame: Any, limit: int = MAX_MAP_POINTS, *, role: str = "points"
) -> tuple[Any, str]:
    """At most ``limit`` rows of ``frame``, evenly spread, and a note (``""`` if none left out).

    The heaviest rows are not favoured: rows are taken at even steps through the table,
    so the sample is the same for the same table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The points.
    limit : int, default :data:`MAX_MAP_POINTS`
        Rows kept at most.
    role : str, default "points"
        What the rows are, for the note.

    Returns
    -------
    tuple of (pandas.DataFrame, str)
        The rows kept and the note.

    Raises
    ------
    SpecificationError
        ``limit`` is not a whole number >= 1.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.io import thin_points
    >>> kept, note = thin_points(pd.DataFrame({"x": range(10)}), limit=4, role="demand units")
    >>> kept["x"].tolist(), note
    ([0, 2, 5, 7], 'showing 4 of 10 demand units (every 2.5th): too many to draw one by one')
    """
    if isinstance(limit, bool) or not isinstance(limit, int | np.integer) or limit < 1:
        raise SpecificationError(f"limit must be a whole number >= 1, got {limit!r}")
    n = len(frame)
    if n <= limit:
        return frame, ""
    rows = np.floor(np.arange(limit) * (n / limit)).astype(int)
    step = n / limit
    note = f"showing {limit} of {n} {role} (every {step:.3g}th): too many to draw one by one"
    return frame.iloc[rows], note
