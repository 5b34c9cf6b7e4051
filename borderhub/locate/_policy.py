"""Policy constraints from the plan's tiers: :func:`policy_constraints`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = ["policy_constraints"]


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
        :class:`~borderhub.Tier` names (as in :func:`borderhub.datasets.candidates`) and
        optionally ``coastal``. Membership is read by
        :func:`borderhub.policy.candidate_tiers`: ``PORT`` holds the candidates whose cell
        names PORT or whose ``coastal`` flag is true (the plan names no port city).
    required_tiers : Tier, str or iterable, optional
        Candidates in any of these tiers must open (e.g. ``[Tier.CORE]``). Tiers are read by
        :func:`borderhub.policy.as_tiers`: members, names in any case or the plan's words.
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
        No ``tiers`` column, or a cell names an unknown tier.
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
    from borderhub.policy import as_tiers, candidate_tiers

    member = candidate_tiers(candidates)

    def having(tiers: Any, arg: str) -> pd.Index:
        names = set(as_tiers(tiers, argument=arg))
        return candidates.index[member.map(lambda s: bool(s & names)).to_numpy(dtype=bool)]

    req = having(required_tiers, "required_tiers")
    forb = having(forbidden_tiers, "forbidden_tiers")
    if allowed_tiers is not None:
        ok = having(allowed_tiers, "allowed_tiers")
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
