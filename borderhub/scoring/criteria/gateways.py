"""Gateway criteria: rail hub, sea coast, air cargo, cross-border e-commerce pilot zone."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError
from borderhub.scoring._values import read_column
from borderhub.scoring.criterion import Criterion

__all__ = [
    "rail_hub",
    "coastal",
    "airport_cargo",
    "cbec_zone",
    "cbec_seniority",
    "RAIL_HUB",
    "COASTAL",
    "AIRPORT_CARGO",
    "CBEC_ZONE",
    "CBEC_SENIORITY",
]


def _indicator(candidates: pd.DataFrame, col: str, fn: str) -> pd.Series:
    s = read_column(candidates, col, fn)
    if s.isna().any():
        raise DataError(
            f"{fn}: column {col!r} has missing values in rows {list(s.index[s.isna()][:5])}; "
            "fill them with True or False."
        )
    return pd.Series(
        s.astype(bool).astype(float).to_numpy(), index=candidates.index.copy(), name=fn
    )


def rail_hub(candidates: pd.DataFrame) -> pd.Series:
    """1.0 for a China–Europe Railway Express assembly centre (``rail_hub`` column), else 0.0.

    A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With a boolean ``rail_hub`` column.

    Returns
    -------
    pandas.Series
        0.0 / 1.0 indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> rail_hub(pd.DataFrame({"rail_hub": [True, False]})).tolist()
    [1.0, 0.0]
    """
    return _indicator(candidates, "rail_hub", "rail_hub")


def coastal(candidates: pd.DataFrame) -> pd.Series:
    """1.0 for a coastal place (sea-port gateway, ``coastal`` column), else 0.0.

    A benefit.

    Parameters
    ----------
    candidates : DataFrame
        With a boolean ``coastal`` column.

    Returns
    -------
    pandas.Series
        0.0 / 1.0 indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> coastal(pd.DataFrame({"coastal": [False, True]})).tolist()
    [0.0, 1.0]
    """
    return _indicator(candidates, "coastal", "coastal")


def airport_cargo(candidates: pd.DataFrame) -> pd.Series:
    """Airport cargo and mail throughput (万吨 = 10,000 t); missing figures stay missing.

    A benefit (air is the main mode of international express). The bundled table has a
    sourced figure only for the larger cargo airports; a place without one is NaN, and the
    ``nan_policy`` of :func:`score` decides what it counts as: the default ``"auto"``
    leaves the criterion out while fewer than half of the candidates have a figure
    (:func:`sparse_criteria`), ``"worst"`` gives the missing ones the smallest sourced
    figure. :func:`missing_values` lists the affected places.

    Parameters
    ----------
    candidates : DataFrame
        With an ``airport_cargo`` column (float, NaN where unknown).

    Returns
    -------
    pandas.Series
        万吨, NaN where unknown, indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> airport_cargo(pd.DataFrame({"airport_cargo": [380.0, float("nan")]})).tolist()
    [380.0, nan]
    """
    s = pd.to_numeric(read_column(candidates, "airport_cargo", "airport_cargo"), errors="coerce")
    return pd.Series(
        s.to_numpy(dtype=float, na_value=np.nan),
        index=candidates.index.copy(),
        name="airport_cargo",
    )


def _cbec_batch(candidates: pd.DataFrame, fn: str) -> pd.Series:
    s = pd.to_numeric(read_column(candidates, "cbec_batch", fn), errors="coerce")
    b = pd.Series(s.to_numpy(dtype=float, na_value=np.nan), index=candidates.index.copy())
    bad = b.notna() & ((b < 1) | (b != np.round(b)))
    if bad.any():
        raise DataError(
            f"{fn}: cbec_batch must be a batch number >= 1 or missing; bad rows "
            f"{list(b.index[bad][:5])}."
        )
    return b


def cbec_zone(candidates: pd.DataFrame) -> pd.Series:
    """1.0 if the place has a cross-border e-commerce comprehensive pilot zone, else 0.0.

    A benefit; read from the ``cbec_batch`` column (any batch counts).

    Parameters
    ----------
    candidates : DataFrame
        With a ``cbec_batch`` column (nullable integer, missing = no zone).

    Returns
    -------
    pandas.Series
        0.0 / 1.0 indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> cbec_zone(pd.DataFrame({"cbec_batch": pd.array([1, None, 5], dtype="Int64")})).tolist()
    [1.0, 0.0, 1.0]
    """
    b = _cbec_batch(candidates, "cbec_zone")
    return b.notna().astype(float).rename("cbec_zone")


def cbec_seniority(candidates: pd.DataFrame, batches: int = 8) -> pd.Series:
    """Seniority of the cross-border e-commerce pilot zone: earlier batches score higher.

    ``(batches + 1 - batch) / batches`` for a zone of batch ``1..batches`` (batch 1, 杭州
    2015, scores 1.0; batch 8 scores 1/8) and 0.0 without a zone. A benefit: an older zone
    has had longer to build customs, bonded-warehouse and platform capacity.

    Parameters
    ----------
    candidates : DataFrame
        With a ``cbec_batch`` column (nullable integer, missing = no zone).
    batches : int, default 8
        Number of batches approved so far.

    Returns
    -------
    pandas.Series
        Values in [0, 1] indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"cbec_batch": pd.array([1, None, 5], dtype="Int64")})
    >>> cbec_seniority(frame).tolist()
    [1.0, 0.0, 0.5]
    """
    b = _cbec_batch(candidates, "cbec_seniority")
    if (b > batches).any():
        raise DataError(
            f"cbec_seniority: batch numbers above batches={batches} in rows "
            f"{list(b.index[b > batches][:5])}; raise `batches`."
        )
    return ((batches + 1 - b) / batches).fillna(0.0).rename("cbec_seniority")


#: China-Europe Railway Express assembly centre (0/1).
RAIL_HUB = Criterion(
    "rail_hub",
    rail_hub,
    "benefit",
    description="China-Europe Railway Express assembly centre",
    unit="0/1",
)

#: Coastal place, a sea-port gateway (0/1).
COASTAL = Criterion("coastal", coastal, "benefit", description="coastal place", unit="0/1")

#: Airport cargo and mail throughput, 万吨 (unknown = NaN).
AIRPORT_CARGO = Criterion(
    "airport_cargo",
    airport_cargo,
    "benefit",
    description="airport cargo and mail throughput (unknown = NaN)",
    unit="万吨",
)

#: Cross-border e-commerce pilot zone (0/1).
CBEC_ZONE = Criterion(
    "cbec_zone",
    cbec_zone,
    "benefit",
    description="cross-border e-commerce pilot zone",
    unit="0/1",
)

#: Seniority of the cross-border e-commerce pilot zone (0..1).
CBEC_SENIORITY = Criterion(
    "cbec_seniority",
    cbec_seniority,
    "benefit",
    description="seniority of the cross-border e-commerce pilot zone",
    unit="0..1",
)
