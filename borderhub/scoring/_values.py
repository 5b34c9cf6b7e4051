"""Checks and conversions shared by the scoring engine and the criteria.

Private to :mod:`borderhub.scoring`: how a parameter becomes a float, how a criterion's
output becomes one float per candidate, how a criterion reads a column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = ["real", "as_float_series", "read_column", "check_candidates"]


def real(value: Any, name: str) -> float:
    """A numeric parameter as a float, or a SpecificationError naming the value."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise SpecificationError(f"{name} must be a number, got {value!r}.") from None


def as_float_series(raw: Any, index: pd.Index, name: str) -> pd.Series:
    """Turn a criterion's output into a float Series aligned with ``index``."""
    if isinstance(raw, pd.DataFrame):
        raise DataError(f"criterion {name!r} produced a DataFrame; it must give one value per row.")
    if isinstance(raw, pd.Series):
        if not raw.index.equals(index):
            if raw.index.has_duplicates or set(raw.index) != set(index):
                missing = list(index.difference(raw.index)[:5])
                extra = list(raw.index.difference(index)[:5])
                raise DataError(
                    f"criterion {name!r} returned values for other labels than the "
                    f"candidates (missing {missing}, unexpected {extra}); return a Series "
                    "indexed like the candidates."
                )
            raw = raw.reindex(index)
        values = raw
    else:
        arr = np.asarray(raw)
        if arr.ndim != 1 or len(arr) != len(index):
            raise DataError(
                f"criterion {name!r} produced shape {arr.shape}; expected one value per "
                f"candidate ({len(index)})."
            )
        values = pd.Series(arr, index=index)
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(float)
    kind = values.dtype
    text = pd.api.types.is_object_dtype(kind) or pd.api.types.is_string_dtype(kind)
    if pd.api.types.is_complex_dtype(kind) or not (pd.api.types.is_numeric_dtype(kind) or text):
        # dates, durations, categories, complex numbers: not real numbers to rank by
        raise DataError(
            f"criterion {name!r} is not numeric (dtype {kind}), e.g. "
            f"{values.head(3).tolist()}; convert the column to real numbers first."
        )
    if text:  # objects or text: numbers written as text are taken, anything else named
        converted = pd.to_numeric(values, errors="coerce")
        bad = values[converted.isna() & values.notna()]
        if len(bad):
            raise DataError(
                f"criterion {name!r} is not numeric (dtype {kind}); non-numeric values in rows "
                f"{list(bad.index[:5])}, e.g. {list(bad.iloc[:3])}. Convert the column to "
                "numbers first."
            )
        values = converted
    out = pd.Series(values.to_numpy(dtype=float, na_value=np.nan), index=index, name=name)
    if isinstance(raw, pd.Series):
        out.attrs = dict(raw.attrs)  # e.g. border_port_distance's "stand_in"
    return out


def read_column(candidates: pd.DataFrame, col: str, fn: str) -> pd.Series:
    """The column ``col`` a criterion function ``fn`` reads, or a DataError naming it."""
    if not isinstance(candidates, pd.DataFrame):
        raise DataError(f"{fn}: candidates must be a DataFrame, got {type(candidates).__name__}.")
    if col not in candidates.columns:
        raise DataError(
            f"{fn} needs a {col!r} column (as in borderhub.datasets.candidates()); the "
            f"candidates have {list(candidates.columns)}."
        )
    return candidates[col]


def check_candidates(candidates: Any) -> None:
    """Raise a DataError unless ``candidates`` is a non-empty frame with unique labels."""
    if not isinstance(candidates, pd.DataFrame):
        raise DataError(
            f"candidates must be a pandas DataFrame or GeoDataFrame, got "
            f"{type(candidates).__name__}."
        )
    if len(candidates) == 0:
        raise DataError("candidates is empty; score needs at least one row.")
    if candidates.index.has_duplicates:
        dup = list(pd.unique(candidates.index[candidates.index.duplicated()])[:5])
        raise DataError(
            f"candidates has duplicate index labels {dup}; scores are keyed by label, so make "
            "the index unique."
        )
