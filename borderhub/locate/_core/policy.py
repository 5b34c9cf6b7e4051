"""The policy constraints of a model as arrays over its allowed candidates: :class:`Policy`.

``required``, ``groups`` with ``min_per_group`` / ``max_per_group`` as the heuristics, the
bounds and the decompositions need them: a mask of required candidates, a group code per
candidate and the group limits, with a feasibility test of a set of open centres.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Policy"]


class Policy:
    """Required / group constraints on the allowed candidates, as arrays."""

    def __init__(self, model: Any, allowed: np.ndarray) -> None:
        labels = model.cost.columns[allowed]
        self.required = np.asarray(labels.isin(model.required))
        m = len(allowed)
        self.gcode = np.full(m, -1, dtype=np.int64)
        self.lo = np.zeros(0, dtype=np.int64)
        self.hi = np.zeros(0, dtype=np.int64)
        if model.groups is not None:
            grp = model.groups.reindex(labels)
            names = pd.Index(grp.dropna().unique())
            self.gcode = names.get_indexer(grp)
            big = m + 1
            self.lo = np.array([model.min_per_group.get(g, 0) for g in names], dtype=np.int64)
            self.hi = np.array([model.max_per_group.get(g, big) for g in names], dtype=np.int64)

    def subset(self, keep: np.ndarray) -> Policy:
        """The same constraints on the candidates ``keep`` (positions renumbered)."""
        sub = copy.copy(self)
        sub.required, sub.gcode = self.required[keep], self.gcode[keep]
        return sub

    def counts(self, opened: np.ndarray) -> np.ndarray:
        g = self.gcode[opened]
        return np.bincount(g[g >= 0], minlength=len(self.lo))

    def feasible(self, opened: np.ndarray, p: int | None) -> bool:
        """``opened`` meets the policy (and has exactly ``p`` centres unless ``p`` is None)."""
        opened = np.asarray(opened, dtype=np.int64)
        if len(np.unique(opened)) != len(opened) or (p is not None and len(opened) != p):
            return False
        if p is None and len(opened) == 0:
            return False
        if not np.isin(np.flatnonzero(self.required), opened).all():
            return False
        cnt = self.counts(opened)
        return bool(np.all(cnt >= self.lo) and np.all(cnt <= self.hi))
