"""Input checks and normalisation shared by every model: one place where data become arrays.

Each helper checks one kind of input -- a cost matrix, demand weights, a set of candidate
labels, group limits, a per-candidate vector, a pair of GeoDataFrames -- and returns it
copied and labelled, or raises a borderhub error that names the offending labels and the
fix. Inputs are never modified.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = [
    "as_float",
    "check_count",
    "check_positive",
    "cost_frame",
    "cost_from_frames",
    "gateway_series",
    "group_limits",
    "label_set",
    "per_candidate",
    "per_group",
    "preview",
    "weight_from_frame",
    "weight_series",
]


def preview(labels: Any, k: int = 10) -> str:
    labels = list(labels)
    more = f" ... ({len(labels)} in all)" if len(labels) > k else ""
    return f"{labels[:k]}{more}"


def check_count(value: Any, name: str, minimum: int = 1) -> int:
    """An integer parameter (not bool) at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise SpecificationError(f"{name} must be an integer, got {value!r}; pass an int")
    if value < minimum:
        raise SpecificationError(
            f"{name} must be at least {minimum}, got {value}; raise it to {minimum} or more"
        )
    return int(value)


def check_positive(value: Any, name: str, allow_zero: bool = False) -> float:
    """A finite real parameter, > 0 (or >= 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpecificationError(f"{name} must be a number, got {value!r}; pass a float")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        need = "non-negative" if allow_zero else "positive"
        raise SpecificationError(
            f"{name} must be a finite {need} number, got {value!r}; pass a {need} float"
        )
    return v


def as_float(obj: pd.DataFrame | pd.Series) -> np.ndarray:
    """Float values of a frame/Series; NA, None and non-numbers become NaN (flagged later)."""
    if isinstance(obj, pd.DataFrame):
        if not all(pd.api.types.is_numeric_dtype(t) for t in obj.dtypes):
            obj = obj.apply(pd.to_numeric, errors="coerce")
        return obj.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(obj, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def cost_frame(cost: Any) -> pd.DataFrame:
    if isinstance(cost, pd.DataFrame):
        df = cost.copy()
    else:
        try:
            arr = np.array(cost, dtype=float)  # copies
        except (TypeError, ValueError) as err:
            raise DataError(
                f"cost must be a numeric 2-D array or DataFrame ({err}); pass numbers only"
            ) from err
        if arr.ndim != 2:
            raise DataError(
                f"cost must be 2-D (demand x candidate), got shape {arr.shape}; pass a matrix "
                "with one row per demand point and one column per candidate"
            )
        df = pd.DataFrame(arr)
    if df.shape[0] == 0 or df.shape[1] == 0:
        raise DataError(
            f"cost has no demand points or no candidates (shape {df.shape}); pass at least "
            "one row (demand point) and one column (candidate)"
        )
    for axis, labels in (("demand (index)", df.index), ("candidate (columns)", df.columns)):
        if labels.has_duplicates:
            dup = labels[labels.duplicated()].unique()
            raise DataError(
                f"cost has duplicate {axis} labels {preview(dup)}; make them unique (drop or "
                "merge the duplicates)"
            )
    values_ = as_float(df)
    bad = ~np.isfinite(values_)
    if bad.any():
        i, j = np.nonzero(bad)
        cells = [
            (df.index[a], df.columns[b], df.iat[a, b]) for a, b in zip(i[:5], j[:5], strict=True)
        ]
        raise DataError(
            f"cost has {int(bad.sum())} NaN, missing, non-numeric or infinite value(s), e.g. "
            f"(demand, candidate, value) {cells}; fill them with numbers (a large finite cost "
            "marks a pair to avoid)"
        )
    neg = values_ < 0
    if neg.any():
        i, j = np.nonzero(neg)
        pairs = list(zip(df.index[i[:5]], df.columns[j[:5]], strict=True))
        raise DataError(
            f"cost has {int(neg.sum())} negative value(s), e.g. at (demand, candidate) {pairs}; "
            "costs must be >= 0: fix the data or shift it (a constant shift leaves the "
            "p-median choice unchanged)"
        )
    return pd.DataFrame(values_, index=df.index.copy(), columns=df.columns.copy())


def weight_series(weights: Any, index: pd.Index) -> pd.Series:
    n = len(index)
    if weights is None:
        return pd.Series(np.ones(n), index=index.copy(), name="weight")
    if isinstance(weights, pd.Series):
        missing = index.difference(weights.index)
        extra = weights.index.difference(index)
        if len(missing) or len(extra) or weights.index.has_duplicates:
            raise DataError(
                "weights must be indexed by exactly the demand labels; missing "
                f"{preview(missing)}, unknown {preview(extra)}"
            )
        arr = as_float(weights.reindex(index))
    else:
        try:
            arr = np.array(weights, dtype=float).reshape(-1)
        except (TypeError, ValueError) as err:
            raise DataError(f"weights must be numeric ({err}); pass numbers only") from err
        if arr.shape[0] != n:
            raise DataError(
                f"weights has length {arr.shape[0]} but there are {n} demand points (rows of "
                "cost); pass one weight per demand point, or a Series indexed by the demand labels"
            )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raw = weights.reindex(index) if isinstance(weights, pd.Series) else list(weights)
        shown = {index[k]: (raw.iloc[k] if isinstance(raw, pd.Series) else raw[k])
                 for k in np.flatnonzero(bad)[:10]}  # fmt: skip
        raise DataError(
            f"weights must be finite, non-negative numbers; bad values (demand: value) {shown}; "
            "fix or drop those demand points"
        )
    return pd.Series(arr.copy(), index=index.copy(), name="weight")


def label_set(value: Any, universe: pd.Index, name: str) -> pd.Index:
    if value is None:
        return universe[:0]
    if isinstance(value, pd.Series) and value.dtype == bool:
        value = value.index[value.to_numpy()]
    elif isinstance(value, str | bytes) or not pd.api.types.is_list_like(value):
        value = [value]
    idx = pd.Index(list(value), dtype=object).unique()
    known = universe.astype(object)
    unknown = idx.difference(known)
    if len(unknown):
        raise SpecificationError(
            f"{name} names {preview(unknown)}, which are not candidates (candidate labels "
            f"look like {preview(universe, 5)}); check spelling and label type"
        )
    return universe[universe.isin(idx)]


def per_group(value: Any, groups: pd.Index, name: str) -> dict[Any, int]:
    if value is None:
        return {}
    if isinstance(value, Mapping | pd.Series):
        items = dict(value.items())
        unknown = [g for g in items if g not in set(groups)]
        if unknown:
            raise SpecificationError(
                f"{name} names groups {preview(unknown)} that no candidate belongs to; "
                f"groups are {preview(groups)}"
            )
        return {g: check_count(v, f"{name}[{g!r}]", 0) for g, v in items.items()}
    v = check_count(value, name, 0)
    return {g: v for g in groups}


def group_limits(
    groups: Any, lo: Any, hi: Any, cand: pd.Index
) -> tuple[pd.Series | None, dict[Any, int], dict[Any, int]]:
    if groups is None:
        if lo is not None or hi is not None:
            raise SpecificationError(
                "min_per_group / max_per_group need `groups=`; pass a Series candidate -> group"
            )
        return None, {}, {}
    if not isinstance(groups, pd.Series):
        raise SpecificationError(
            f"groups must be a pandas Series mapping candidate label to group, got "
            f"{type(groups).__name__}"
        )
    if groups.index.has_duplicates:
        dup = groups.index[groups.index.duplicated()].unique()
        raise SpecificationError(
            f"groups has duplicate candidate labels {preview(dup)}; give one group per candidate"
        )
    unknown = groups.index.difference(cand)
    if len(unknown):
        raise SpecificationError(
            f"groups names {preview(unknown)}, which are not candidates; index it by the "
            "candidate labels"
        )
    unhashable = [(k, v) for k, v in groups.items() if not isinstance(v, Hashable)]
    if unhashable:
        raise SpecificationError(
            f"groups must map each candidate to one hashable group name; candidates "
            f"{preview([k for k, _ in unhashable])} map to "
            f"{preview([v for _, v in unhashable])}; "
            "pass a Series of strings"
        )
    g = groups.reindex(cand).copy()
    names = pd.Index(g.dropna().unique())
    return g, per_group(lo, names, "min_per_group"), per_group(hi, names, "max_per_group")


def gateway_series(value: Any, cand: pd.Index) -> pd.Series | None:
    if value is None:
        return None
    if isinstance(value, pd.Series):
        missing = cand.difference(value.index)
        if len(missing):
            raise DataError(
                f"gateway_cost lacks candidates {preview(missing)}; give a value for every "
                "candidate"
            )
        arr = as_float(value.reindex(cand))
    else:
        try:
            arr = np.array(value, dtype=float).reshape(-1)
        except (TypeError, ValueError) as err:
            raise DataError(
                f"gateway_cost must be numeric, got {value!r}; pass one number per candidate"
            ) from err
        if arr.shape[0] != len(cand):
            raise DataError(
                f"gateway_cost has length {arr.shape[0]} but there are {len(cand)} candidates"
            )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise DataError(
            f"gateway_cost must be finite and non-negative; bad for {preview(cand[bad])}"
        )
    return pd.Series(arr.copy(), index=cand.copy(), name="gateway_cost")


def cost_from_frames(demand: Any, candidates: Any, distance: Any) -> pd.DataFrame:
    """One place where GeoDataFrames become a cost matrix, for every model."""
    for role, frame in (("demand", demand), ("candidates", candidates)):
        if not isinstance(frame, pd.DataFrame | pd.Series):
            raise DataError(
                f"{role} must be a GeoDataFrame, got {type(frame).__name__}; convert it with "
                "geopandas.GeoDataFrame(..., geometry=..., crs=...)"
            )
        if frame.index.has_duplicates:
            dup = frame.index[frame.index.duplicated()].unique()
            raise DataError(
                f"{role} has duplicate labels {preview(dup)}; make the index unique (drop or "
                "merge the duplicates)"
            )
    if isinstance(distance, pd.DataFrame):
        miss_d = demand.index.difference(distance.index)
        miss_c = candidates.index.difference(distance.columns)
        if len(miss_d) or len(miss_c):
            raise DataError(
                "the distance DataFrame must have every demand label in its index and every "
                f"candidate label in its columns; missing demand {preview(miss_d)}, "
                f"candidates {preview(miss_c)}"
            )
        return distance.loc[demand.index, candidates.index].copy()
    if not isinstance(distance, str):
        raise SpecificationError(
            f"distance must be 'geodesic', 'euclidean', 'road', 'rail' or a DataFrame, got "
            f"{distance!r}"
        )
    if distance in ("road", "rail"):
        from borderhub.routes import network_km

        return network_km(demand, candidates, distance)
    from borderhub.geo import distance_matrix

    return distance_matrix(demand, candidates, method=distance)


def weight_from_frame(demand: Any, weight: Any) -> Any:
    if weight is None:
        return None
    if isinstance(weight, str):
        if weight not in demand.columns:
            raise DataError(
                f"demand has no column {weight!r}; use one of {list(demand.columns)} or pass "
                "a Series"
            )
        return demand[weight]
    if isinstance(weight, pd.Series):
        return weight
    raise SpecificationError(
        f"weight must be a column name or a Series, got {type(weight).__name__}"
    )


def per_candidate(value: Any, cand: pd.Index, name: str, positive: bool) -> pd.Series:
    need = "positive" if positive else "non-negative"
    if isinstance(value, pd.Series):
        missing = cand.difference(value.index)
        if len(missing):
            raise DataError(
                f"{name} lacks candidates {preview(missing)}; give a value for every candidate"
            )
        original = value.reindex(cand)
        arr = as_float(original)
    else:
        try:
            arr = np.array(value, dtype=float)
        except (TypeError, ValueError):
            raise DataError(
                f"{name} must be a {need} number or one per candidate, got {value!r}; pass "
                "numbers only"
            ) from None
        if arr.ndim == 0:
            arr = np.full(len(cand), float(arr))
        elif arr.shape != (len(cand),):
            raise DataError(
                f"{name} has shape {arr.shape}; pass a scalar or one value per candidate "
                f"(shape ({len(cand)},))"
            )
        original = pd.Series(
            [value] * len(cand) if np.ndim(value) == 0 else list(value), index=cand
        )
    bad = ~np.isfinite(arr) | (arr <= 0 if positive else arr < 0)
    if bad.any():
        shown = dict(zip(cand[bad][:10], original[bad][:10], strict=True))
        raise DataError(
            f"{name} must be finite and {need}; bad values {shown}; fix them (or forbid those "
            "candidates)"
        )
    return pd.Series(arr.copy(), index=cand.copy(), name=name)
