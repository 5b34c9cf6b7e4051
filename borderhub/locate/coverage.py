"""Coverage models: :class:`MaxCoverage` (Church & ReVelle 1974), :class:`SetCover` (Toregas 1971).

Demand point ``i`` is *covered* by candidate ``j`` when the effective cost ``c[i, j]`` is at
most ``radius``. Only the covering pairs enter the model (a sparse matrix built with one
vectorised comparison), never the dense n x m table.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError
from borderhub.locate._milp import GE, LE, _Builder, _Context, _Run, values
from borderhub.locate.base import LocationModel, _Outcome, check_count, check_positive
from borderhub.locate.solution import Status

__all__ = ["MaxCoverage", "SetCover"]


def outcome_of(run: _Run, open_pos: np.ndarray | None, objective: float) -> _Outcome:
    """Outcome of a single solver call (status, open centres, objective, bound)."""
    if run.status in (Status.INFEASIBLE, Status.UNBOUNDED) or not run.has_solution:
        return _Outcome(run.status if not run.has_solution else Status.NOT_SOLVED)
    status = Status.OPTIMAL if run.proven else Status.FEASIBLE
    return _Outcome(status, open_pos, objective, run.bound)


class _Coverage(LocationModel):
    """Shared parts of the coverage models (not public)."""

    radius: float

    def _cover_sets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct non-empty cover sets of the demand points with positive weight.

        Demand points covered by exactly the same allowed candidates are merged (their
        weights added); only covering pairs are kept. Returns ``(ii, jj, weight)``: the
        pairs (set index, allowed-candidate index) and the weight of each set.
        """
        act, allowed = self._active, self._allowed_pos
        cov = self._C[np.ix_(act, allowed)] <= self.radius
        keep = np.flatnonzero(cov.any(axis=1))
        if keep.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        packed = np.packbits(cov[keep], axis=1)
        _, first, inv = np.unique(packed, axis=0, return_index=True, return_inverse=True)
        weight = np.bincount(inv.ravel(), weights=self._w[act[keep]], minlength=len(first))
        ii, jj = np.nonzero(cov[keep[first]])
        return ii, jj, weight

    def uncoverable(self) -> pd.Index:
        """Demand labels (weight > 0) that no allowed candidate covers within ``radius``.

        Returns
        -------
        pandas.Index
            Labels of the demand points out of reach of every allowed candidate.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import MaxCoverage
        >>> m = MaxCoverage.from_cost_matrix(np.array([[1.0, 9.0], [8.0, 7.0]]), p=1, radius=5)
        >>> list(m.uncoverable()), m.min_covering_radius()
        ([1], 7.0)
        """
        self._prepare()
        sub = self._C[np.ix_(self._active, self._allowed_pos)]
        bad = self._active[sub.min(axis=1) > self.radius] if sub.shape[0] else self._active
        return self.cost.index[bad]

    def min_covering_radius(self) -> float:
        """The smallest radius at which every demand point (weight > 0) can be covered.

        Returns
        -------
        float
            ``max_i min_j c[i, j]`` over demand points with positive weight and allowed
            candidates (0 when there is no such demand point).

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import SetCover
        >>> model = SetCover.from_cost_matrix(np.array([[1.0, 9.0], [8.0, 7.0]]), radius=7)
        >>> model.min_covering_radius()
        7.0
        """
        self._prepare()
        sub = self._C[np.ix_(self._active, self._allowed_pos)]
        return float(sub.min(axis=1).max()) if sub.shape[0] else 0.0

    def _assign_nearest(self, out: _Outcome) -> pd.DataFrame:
        df = super()._assign_nearest(out)
        df["covered"] = (df["cost"] + df["gateway"]).to_numpy() <= self.radius
        return df

    def _empty_assignment(self) -> pd.DataFrame:
        df = super()._empty_assignment()
        df["covered"] = pd.Series([], dtype=bool)
        return df

    def _covered_weight(self, open_pos: np.ndarray) -> float:
        if len(open_pos) == 0:
            return 0.0
        best = self._C[:, open_pos].min(axis=1)
        return float(self._w[best <= self.radius].sum())

    def _infeasible_hint(self) -> str:
        return f"covering every demand point within radius {self.radius:g}"


class MaxCoverage(_Coverage):
    r"""Open ``p`` centres covering the largest demand weight within ``radius``.

    Formulation (maximal covering location problem, Church & ReVelle 1974)::

        max  sum_i w_i x_i
        s.t. x_i <= sum_{j: c_ij <= radius} y_j      for each demand point i
             sum_j y_j = p,   y_j in {0, 1},   0 <= x_i <= 1,  plus the policy constraints

    ``x`` is continuous: with integral ``y`` the optimum has ``x_i = min(1, ...)`` in
    {0, 1}. Only covering pairs are built, and demand points with the same set of covering
    candidates share one row and one ``x`` (weights added). Demand points no allowed
    candidate covers (see :meth:`uncoverable`) get no variable and are reported in
    ``Solution.message``.

    Parameters
    ----------
    cost, weights
        See :class:`~borderhub.locate.LocationModel`.
    p : int
        Number of centres to open.
    radius : float
        Coverage radius in cost units (> 0).
    **policy
        See :class:`~borderhub.locate.LocationModel`.

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.locate import MaxCoverage
    >>> cost = np.array([[1.0, 9.0], [2.0, 9.0], [9.0, 1.0]])
    >>> sol = MaxCoverage.from_cost_matrix(cost, weights=[1, 1, 3], p=1, radius=5).solve()
    >>> list(sol.open), sol.objective, sol.assignment["covered"].tolist()
    ([1], 3.0, [False, False, True])
    """

    _maximise = True

    def __init__(
        self, cost: Any, weights: Any = None, *, p: int, radius: float, **policy: Any
    ) -> None:
        super().__init__(cost, weights, **policy)
        self.p = check_count(p, "p")
        self.radius = check_positive(radius, "radius")
        self._check()

    def _cardinality(self) -> int:
        return self.p

    def _solve(self, ctx: _Context) -> _Outcome:
        with ctx.building():
            b = _Builder("MaxCoverage", maximise=True)
            y = self._open_block(b)
            ii, jj, weight = self._cover_sets()
            nr = len(weight)
            x = b.variables("x", nr, 0.0, 1.0)
            b.rows(
                "cov",
                np.concatenate([ii, np.arange(nr)]),
                np.concatenate([y[jj], x]),
                np.concatenate([-np.ones(len(jj)), np.ones(nr)]),
                LE,
                0.0,
                nr,
            )
            b.objective(x, weight)
        run = ctx.run(b)
        pos = self._open_positions(y) if run.has_solution else None
        out = outcome_of(run, pos, self._covered_weight(pos) if pos is not None else math.nan)
        lost = self.uncoverable()
        if len(lost):
            out.message = (
                f"{len(lost)} demand point(s) cannot be covered by any allowed candidate "
                f"within radius {self.radius:g}: {self._demand_preview(lost)}; the smallest radius "
                f"covering everything is {self.min_covering_radius():g}"
            )
        return out


class SetCover(_Coverage):
    r"""The fewest centres such that every demand point is covered within ``radius``.

    Formulation (location set covering problem, Toregas et al. 1971)::

        min  sum_j y_j
        s.t. sum_{j: c_ij <= radius} y_j >= 1      for each demand point i with w_i > 0
             y_j in {0, 1},  plus the policy constraints

    Weights only select the demand points that must be covered (those with positive
    weight; all by default); points with the same covering candidates share one row.
    Before solving, demand points that no allowed candidate can
    cover raise :class:`~borderhub.exceptions.SpecificationError` naming them and the
    smallest radius that would cover everything.

    Parameters
    ----------
    cost, weights
        See :class:`~borderhub.locate.LocationModel`.
    radius : float
        Coverage radius in cost units (> 0).
    **policy
        See :class:`~borderhub.locate.LocationModel`.

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.locate import SetCover
    >>> cost = np.array([[1.0, 9.0, 4.0], [9.0, 1.0, 4.0], [9.0, 9.0, 1.0]])
    >>> sol = SetCover.from_cost_matrix(cost, radius=4).solve()
    >>> list(sol.open), sol.objective
    ([2], 1.0)
    """

    _objective_name = "number of centres"

    def __init__(self, cost: Any, weights: Any = None, *, radius: float, **policy: Any) -> None:
        super().__init__(cost, weights, **policy)
        self.radius = check_positive(radius, "radius")
        self._check()

    def _check_model(self) -> None:
        lost = self.uncoverable()
        if len(lost):
            raise SpecificationError(
                f"{len(lost)} demand point(s) cannot be covered by any allowed candidate "
                f"within radius {self.radius:g}: {self._demand_preview(lost)}; the smallest radius "
                f"covering every demand point is {self.min_covering_radius():g} (or drop "
                "those points, or give them weight 0)"
            )

    def _solve(self, ctx: _Context) -> _Outcome:
        with ctx.building():
            b = _Builder("SetCover")
            y = self._open_block(b)
            ii, jj, weight = self._cover_sets()
            b.rows("cov", ii, y[jj], 1.0, GE, 1.0, len(weight))
            b.objective(y, 1.0)
        run = ctx.run(b)
        if not run.has_solution:
            return outcome_of(run, None, math.nan)
        sel = np.flatnonzero(values(y) > 0.5)
        return outcome_of(run, self._allowed_pos[sel], float(len(sel)))
