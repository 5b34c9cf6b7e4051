"""The p-center model: :class:`PCenter`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.locate._core import (
    GE,
    Context,
    Outcome,
    PulpBuilder,
    values,
)
from borderhub.locate._registry import CENTRES
from borderhub.locate.base import LocationModel
from borderhub.locate.solution import Status

__all__ = ["PCenter"]


class PCenter(LocationModel):
    r"""Open exactly ``p`` centres minimising the largest cost to the nearest open one.

    Objective: ``min max_i c[i, a(i)]`` over demand points with positive weight (weights
    only select the points that count; all by default), ``a(i)`` the cheapest open centre,
    subject to ``sum_j y_j = p`` and the policy constraints.

    Solved exactly by a search over the distinct cost values ``r`` between the lower bound
    ``max_i min_j c_ij`` and the value of a farthest-first heuristic solution; each step
    decides the covering problem::

        exists y in {0, 1}^m:  sum_{j: c_ij <= r} y_j >= 1  for all i,
                               sum_j y_j = p,  plus the policy constraints

    Feasibility is monotone in ``r``, so a bisection over the sorted values (each feasible
    answer lowers the upper end to the cost its solution actually attains) ends at the
    optimum after O(log(number of distinct costs)) small covering MILPs -- never a dense
    assignment model. If the time limit stops the search, the best solution found is
    returned as ``feasible`` with the proven lower bound.

    Parameters
    ----------
    cost, weights
        See :class:`~borderhub.locate.LocationModel`.
    p : int
        Number of centres to open.
    **policy
        See :class:`~borderhub.locate.LocationModel`.

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.locate import PCenter
    >>> cost = np.array([[0.0, 6.0, 3.0], [6.0, 0.0, 3.0], [2.0, 8.0, 4.0]])
    >>> sol = PCenter.from_cost_matrix(cost, p=1).solve()
    >>> list(sol.open), sol.objective
    ([2], 4.0)
    """

    name = "pcenter"
    title = "p-center"
    about = "minimise the longest distance with p centres"
    parameters = {"p": CENTRES}
    cost_label = "longest distance (km)"

    _objective_name = "largest cost"
    _sums_costs = False  # the objective is one cost, the largest

    def __init__(self, cost: Any, weights: Any = None, *, p: int, **policy: Any) -> None:
        super().__init__(cost, weights, **policy)
        self.p = CENTRES.check(p, "p")
        self._check()

    def _cardinality(self) -> int:
        return self.p

    def _cover_check(self, ctx: Context, C: np.ndarray, r: float | None) -> Any:
        with ctx.building():
            b = PulpBuilder("PCenter_cover")
            y = self._open_block(b)
            if r is not None:
                ii, jj = np.nonzero(r >= C)
                b.rows("cov", ii, y[jj], 1.0, GE, 1.0, C.shape[0])
        run = ctx.run(b)
        sel = np.flatnonzero(values(y) > 0.5) if run.has_solution else None
        return run, sel

    def _heuristic(self, C: np.ndarray) -> np.ndarray | None:
        """Farthest-first: open the candidate nearest the worst-served point, p times."""
        n, m = C.shape
        labels = self.cost.columns[self._allowed_pos]
        opened: list[int] = [int(j) for j in np.flatnonzero(labels.isin(self.required))]
        grp = self.groups.reindex(labels).to_numpy() if self.groups is not None else None
        count: dict[Any, int] = {}
        for j in opened:
            if grp is not None and not pd.isna(grp[j]):
                count[grp[j]] = count.get(grp[j], 0) + 1
        if not opened:
            opened.append(int(np.argmin(C.max(axis=0))))
            if grp is not None and not pd.isna(grp[opened[0]]):
                count[grp[opened[0]]] = 1
        cur = C[:, opened].min(axis=1)
        while len(opened) < self.p:
            ok = np.ones(m, dtype=bool)
            ok[opened] = False
            if grp is not None:
                for g, hi in self.max_per_group.items():
                    if count.get(g, 0) >= hi:
                        ok &= grp != g
            if not ok.any():
                return None
            i = int(np.argmax(cur))
            j = int(np.flatnonzero(ok)[np.argmin(C[i, ok])])
            opened.append(j)
            if grp is not None and not pd.isna(grp[j]):
                count[grp[j]] = count.get(grp[j], 0) + 1
            cur = np.minimum(cur, C[:, j])
        for g, lo in self.min_per_group.items():
            if count.get(g, 0) < lo:
                return None
        return np.array(opened, dtype=np.int64)

    def _solve(self, ctx: Context) -> Outcome:
        with ctx.building():
            act, allowed = self._active, self._allowed_pos
            C = self._C[np.ix_(act, allowed)]
        if C.shape[0] == 0:  # nothing to serve: any policy-feasible choice is optimal
            run, sel = self._cover_check(ctx, C, None)
            if sel is None:
                return Outcome(run.status if not run.has_solution else Status.NOT_SOLVED)
            return Outcome(Status.OPTIMAL, allowed[sel], 0.0, 0.0)
        with ctx.building():
            lb = float(C.min(axis=1).max())
            vals = np.unique(C[lb <= C])
            heur = self._heuristic(C)
        best_sel = heur
        hi = len(vals) - 1
        if heur is not None:
            hi = int(np.searchsorted(vals, C[:, heur].min(axis=1).max()))
        else:
            run, sel = self._cover_check(ctx, C, float(vals[hi]))
            if run.status in (Status.INFEASIBLE, Status.UNBOUNDED):
                return Outcome(run.status)
            if sel is None:
                return Outcome(Status.NOT_SOLVED, bound=lb)
            best_sel = sel
            hi = int(np.searchsorted(vals, C[:, sel].min(axis=1).max()))
        lo = 0
        while lo < hi and not ctx.timed_out():
            mid = (lo + hi) // 2
            run, sel = self._cover_check(ctx, C, float(vals[mid]))
            if run.status == Status.INFEASIBLE:
                lo = mid + 1
            elif sel is not None:
                best_sel = sel
                hi = int(np.searchsorted(vals, C[:, sel].min(axis=1).max()))
            else:
                break  # stopped without an answer (time limit)
        objective = float(C[:, best_sel].min(axis=1).max())
        status = Status.OPTIMAL if lo >= hi else Status.FEASIBLE
        bound = objective if status == Status.OPTIMAL else float(vals[lo])
        return Outcome(status, allowed[best_sel], objective, bound)
