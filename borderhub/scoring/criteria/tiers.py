"""Policy criterion: the best tier of 专栏4 a place holds, as points."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from borderhub.exceptions import DataError
from borderhub.scoring._values import read_column, real
from borderhub.scoring.criterion import Criterion

__all__ = ["tier_score", "TIER_POINTS", "TIER_SCORE"]

#: Points of each tier of 专栏4 used by :func:`tier_score` (a place takes its best tier).
TIER_POINTS: dict[str, float] = {
    "CORE": 1.0,
    "LONG_TERM": 0.75,
    "PROVINCIAL": 0.75,
    "RAIL": 0.5,
    "ENCOURAGED": 0.25,
    "PORT": 0.25,
}


def tier_score(candidates: pd.DataFrame, points: Mapping[str, float] | None = None) -> pd.Series:
    """Policy criterion: the best 专栏4 tier of each place, as points. A benefit.

    Default points (:data:`TIER_POINTS`), following the plan's wording: ``CORE`` 1.0
    (optimise and strengthen comprehensive centres), ``LONG_TERM`` and ``PROVINCIAL`` 0.75
    (build comprehensive centres), ``RAIL`` 0.5 (railway centres), ``ENCOURAGED`` and
    ``PORT`` 0.25 (encouraged to build). A place in several tiers takes the maximum; a
    place in none scores 0. Optional: including it makes the ranking partly restate the
    plan.

    Parameters
    ----------
    candidates : DataFrame
        With a ``tiers`` column of tier names joined by ``";"`` (e.g. ``"CORE;RAIL"``).
    points : mapping, optional
        ``{tier name: points}`` replacing the defaults (all tiers present in the data must
        be given).

    Returns
    -------
    pandas.Series
        Points indexed like ``candidates``.

    Examples
    --------
    >>> import pandas as pd
    >>> tier_score(pd.DataFrame({"tiers": ["CORE;RAIL", "ENCOURAGED", ""]})).tolist()
    [1.0, 0.25, 0.0]
    """
    pts = {
        k.upper(): real(v, f"tier_score points[{k!r}]") for k, v in (points or TIER_POINTS).items()
    }
    from borderhub.policy import parse_tiers

    tiers = read_column(candidates, "tiers", "tier_score")
    out = []
    for label, text in tiers.items():
        names = [t.name for t in sorted(parse_tiers(text, label=label))]
        unknown = [t for t in names if t not in pts]
        if unknown:
            raise DataError(
                f"tier_score: row {label!r} has tiers {unknown} without points; known: "
                f"{sorted(pts)}."
            )
        out.append(max((pts[t] for t in names), default=0.0))
    return pd.Series(out, index=candidates.index.copy(), name="tier_score", dtype=float)


#: The best 专栏4 tier as points (:data:`TIER_POINTS`).
TIER_SCORE = Criterion(
    "tier_score", tier_score, "benefit", description="best tier of 专栏4, as points", unit="points"
)
