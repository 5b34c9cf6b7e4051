"""Policy constraints from the plan's tiers: :func:`policy_constraints`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = ["policy_constraints"]


def _tier_names(tiers: Any, arg: str) -> set[str]:
    """Tier members or names (any case) -> set of member names."""
    from borderhub.policy import Tier

    if tiers is None:
        return set()
    if isinstance(tiers, str | Tier):
        tiers = [tiers]
    out = set()
    for t in tiers:
        if isinstance(t, Tier):
            out.add(t.name)
        elif isinstance(t, str):
            try:
                out.add(Tier[t.strip().upper().replace("-", "_").replace(" ", "_")].name)
            except KeyError:
                raise SpecificationError(
                    f"{arg}: unknown tier {t!r}; tiers are {[m.name for m in Tier]}"
                ) from None
        else:
            raise SpecificationError(
                f"{arg} must hold Tier members or names, got {t!r}; use e.g. Tier.CORE or 'CORE'"
            )
    return out


def policy_constraints(
    candidates: pd.DataFrame,
    required_tiers: Iterable[Any] | Any = None,
    forbidden_tiers: Iterable[Any] | Any = None,
    allowed_tiers: Iterable[Any] | Any = None,
    group_by: str | pd.Series | None = None,
    min_per_group: int | Mapping[Any, int] | None = None,
    max_per_group: int | Mapping[Any, int] | None = None,
) -> dict[str, Any]:
    """Model keyword arguments (``required``, ``forbidden``, ``groups`` ...) from tiers.

    Parameters
    ----------
    candidates : pandas.DataFrame
        Candidate table indexed by label with a ``tiers`` column of ``;``-joined
        :class:`~borderhub.Tier` names (as in :func:`borderhub.datasets.candidates`).
    required_tiers : Tier, str or iterable, optional
        Candidates in any of these tiers must open (e.g. ``[Tier.CORE]``).
    forbidden_tiers : Tier, str or iterable, optional
        Candidates in any of these tiers may not open (unless also required: that is an
        error).
    allowed_tiers : Tier, str or iterable, optional
        If given, only candidates in at least one of these tiers may open; the rest are
        forbidden.
    group_by : str or pandas.Series, optional
        A column of ``candidates`` (e.g. ``"province"``) or a Series candidate -> group.
    min_per_group, max_per_group : int or mapping, optional
        Passed through (need ``group_by``).

    Returns
    -------
    dict
        Keys ``required``, ``forbidden`` (lists of labels) and, with ``group_by``,
        ``groups``, ``min_per_group``, ``max_per_group``: splat it into any model,
        ``PMedian.from_geodataframe(..., **policy_constraints(...))``.

    Raises
    ------
    DataError
        No ``tiers`` column.
    SpecificationError
        Unknown tier names, a candidate both required and forbidden, unknown column.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import Tier
    >>> from borderhub.locate import policy_constraints
    >>> cands = pd.DataFrame({"tiers": ["CORE", "PROVINCIAL;RAIL", "ENCOURAGED"],
    ...                       "province": ["A", "B", "B"]}, index=["x", "y", "z"])
    >>> kw = policy_constraints(cands, required_tiers=[Tier.CORE], forbidden_tiers="encouraged",
    ...                         group_by="province", max_per_group=1)
    >>> kw["required"], kw["forbidden"], kw["max_per_group"]
    (['x'], ['z'], 1)
    """
    if "tiers" not in candidates.columns:
        raise DataError(
            "candidates needs a 'tiers' column of ';'-joined Tier names, as in "
            "borderhub.datasets.candidates()"
        )
    member = (
        candidates["tiers"]
        .fillna("")
        .astype(str)
        .map(lambda s: {x.strip().upper() for x in s.split(";") if x.strip()})
    )

    def having(names: set[str]) -> pd.Index:
        return candidates.index[member.map(lambda s: bool(s & names)).to_numpy(dtype=bool)]

    req = having(_tier_names(required_tiers, "required_tiers"))
    forb = having(_tier_names(forbidden_tiers, "forbidden_tiers"))
    if allowed_tiers is not None:
        ok = having(_tier_names(allowed_tiers, "allowed_tiers"))
        forb = forb.union(candidates.index.difference(ok), sort=False)
    both = req.intersection(forb)
    if len(both):
        raise SpecificationError(
            f"candidates {list(both)} are in a required tier and a forbidden (or not allowed) "
            "tier; adjust the tier lists"
        )
    out: dict[str, Any] = {"required": list(req), "forbidden": list(forb)}
    if group_by is not None:
        if isinstance(group_by, str):
            if group_by not in candidates.columns:
                raise SpecificationError(
                    f"candidates has no column {group_by!r}; columns are {list(candidates.columns)}"
                )
            groups = candidates[group_by].copy()
        elif isinstance(group_by, pd.Series):
            groups = group_by.copy()
        else:
            raise SpecificationError(
                f"group_by must be a column name or a Series, got {type(group_by).__name__}; "
                "pass e.g. 'province'"
            )
        out.update(groups=groups, min_per_group=min_per_group, max_per_group=max_per_group)
    elif min_per_group is not None or max_per_group is not None:
        raise SpecificationError(
            "min_per_group / max_per_group need group_by; pass e.g. group_by='province'"
        )
    return out
