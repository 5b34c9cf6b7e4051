"""Models built from coordinates instead of a cost matrix: :class:`PointCost`, :class:`PointData`.

``PMedian.from_points`` and ``FacilityLocation.from_points`` keep the demand and candidate
coordinates and a metric; the method asks for each demand point's nearest candidates as it
needs them (:class:`~borderhub.locate._core.nearest.Lists`), so no demand x candidate matrix
is ever formed. :class:`PointCost` stands where a model keeps its cost DataFrame: it has the
labels and the shape, and refuses to become a dense array.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate._core.highs import is_highs
from borderhub.locate._core.nearest import METRICS, Lists, PointSource

__all__ = ["PointCost", "PointData", "list_pairs", "points_method", "read_xy"]


class PointCost:
    """The labels and shape of a cost matrix that is never formed (a model from points)."""

    def __init__(self, index: pd.Index, columns: pd.Index) -> None:
        self.index, self.columns = index, columns
        self.shape = (len(index), len(columns))

    def to_numpy(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise SpecificationError(
            f"this model was built from points ({self.shape[0]} demand points x "
            f"{self.shape[1]} candidates) and holds no cost matrix; build it with "
            "from_cost_matrix (or from_geodataframe) where a dense matrix is wanted"
        )


def read_xy(obj: Any, role: str, metric: str) -> tuple[np.ndarray, pd.Index]:
    """(n, 2) coordinates and labels of points given as an array or a GeoDataFrame.

    Arrays are lon/lat degrees for ``"geodesic"`` and planar coordinates otherwise; frames
    are read by the library's one rule for points (a projected CRS for the Euclidean
    metrics, reprojected to WGS84 for the geodesic one).
    """
    if metric not in METRICS:
        raise SpecificationError(
            f"metric must be one of {list(METRICS)}, got {metric!r}; use 'geodesic' for lon/lat "
            "or 'euclidean' for projected coordinates"
        )
    if isinstance(obj, pd.DataFrame | pd.Series) or hasattr(obj, "geometry"):
        from borderhub._lonlat import read_points

        x, y, labels = read_points(obj, role, "geodesic" if metric == "geodesic" else "euclidean")
        return np.column_stack([x, y]), pd.Index(labels)
    try:
        arr = np.array(obj, dtype=float)
    except (TypeError, ValueError) as err:
        raise DataError(
            f"{role} must be an (n, 2) array of coordinates or a GeoDataFrame of points; got "
            f"{type(obj).__name__}"
        ) from err
    if arr.ndim != 2 or arr.shape[1] != 2 or len(arr) == 0:
        raise DataError(
            f"{role} as an array must have shape (n, 2) with n >= 1 (x, y or lon, lat); got "
            f"shape {arr.shape}"
        )
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        raise DataError(
            f"{role} has missing or infinite coordinates at positions "
            f"{np.flatnonzero(bad)[:5].tolist()}; drop or fill them first"
        )
    if metric == "geodesic" and ((np.abs(arr[:, 0]) > 180) | (np.abs(arr[:, 1]) > 90)).any():
        out = np.flatnonzero((np.abs(arr[:, 0]) > 180) | (np.abs(arr[:, 1]) > 90))
        raise DataError(
            f"{role} has coordinates outside lon [-180, 180] / lat [-90, 90] at positions "
            f"{out[:5].tolist()}; pass lon, lat in degrees, or use metric='euclidean' for "
            "planar coordinates"
        )
    return arr, pd.RangeIndex(len(arr))


class PointData:
    """Demand and candidate coordinates with their metric; builds the method's lists."""

    def __init__(self, dxy: np.ndarray, cxy: np.ndarray, metric: str) -> None:
        self.dxy, self.cxy, self.metric = dxy, cxy, metric

    def lists(self, rows: np.ndarray, cols: np.ndarray) -> Lists:
        """Nearest-candidate lists of demand points ``rows`` over candidates ``cols``."""
        return Lists.from_points(PointSource(self.dxy[rows], self.cxy[cols], self.metric))

    def nearest(self, open_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every demand point's cheapest centre among ``open_pos``: (position, cost)."""
        src = PointSource(self.dxy, self.cxy, self.metric)
        cols, costs = src.nearest(np.arange(len(self.dxy)), np.asarray(open_pos), 1)
        return cols[:, 0], costs[:, 0]

    def totals(self, w: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """``w @ C[rows][:, cols]`` computed in blocks (the 1-median by enumeration)."""
        src = PointSource(self.dxy, self.cxy, self.metric)
        out = np.zeros(len(cols))
        block = max(1, 2_000_000 // max(len(cols), 1))
        for s in range(0, len(rows), block):
            r = rows[s : s + block]
            c = src.cost(np.repeat(r, len(cols)), np.tile(cols, len(r)))
            out += w[s : s + block] @ c.reshape(len(r), len(cols))
        return out


def list_pairs(n: int, m: int, p: int | None) -> int:
    """About how many pairs the Benders method on lists holds.

    Each point's candidates up to its nearest open centre of a spread-out LP solution,
    with room for the cuts of the LP: ``8 m / p`` per point, at least 32, at most ``m``
    (``m / 4`` per point without ``p``).
    """
    per = m / 4 if p is None else 8 * m / max(p, 1)
    return int(n * min(m, max(32.0, per)))


def points_method(method: str, ctx: Any) -> None:
    """Refuse what a model from points cannot do: the radius method, a solver not HiGHS."""
    if method == "radius":
        raise SpecificationError(
            "a model built from points is solved by the Benders method on nearest lists; "
            "method='radius' needs a cost matrix (use from_cost_matrix) -- leave method='auto'"
        )
    if not is_highs(ctx.solver_spec):
        raise SpecificationError(
            f"a model built from points is solved with HiGHS (its Benders method), not "
            f"{ctx.solver_spec!r}; use solver='highs'"
        )
