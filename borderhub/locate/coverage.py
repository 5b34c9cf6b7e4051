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

from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate._core import (
    GE,
    LE,
    Context,
    Outcome,
    Policy,
    PulpBuilder,
    as_float,
    cost_frame,
    heuristic,
    outcome_of,
    per_candidate,
    values,
)
from borderhub.locate._registry import CENTRES, RADIUS
from borderhub.locate.base import LocationModel
from borderhub.locate.solution import Status

__all__ = ["MaxCoverage", "SetCover"]


def _greedy_cover(
    ii: np.ndarray, jj: np.ndarray, nr: int, f: np.ndarray, pol: Any
) -> np.ndarray | None:
    """Greedy weighted set cover (Chvatal 1979) under the policy constraints, or None.

    ``(ii, jj)`` are the covering pairs (row, candidate). Required centres open first;
    then the candidate with the least cost per newly covered row (skipping groups at their
    maximum), then the cheapest candidates of groups below their minimum; finally open
    centres whose rows are all covered twice are closed, dearest first, where the group
    minimums allow.
    """
    m = len(f)
    cover = np.zeros((nr, m), dtype=bool)
    cover[ii, jj] = True
    is_open = pol.required.copy()
    g = pol.gcode

    def full(j: int) -> bool:
        return bool(g[j] >= 0 and int(is_open[g == g[j]].sum()) >= int(pol.hi[g[j]]))

    covered = cover[:, is_open].any(axis=1)
    while not covered.all():
        gain = cover[~covered].sum(axis=0).astype(float)
        ok = (gain > 0) & ~is_open & np.array([not full(j) for j in range(m)], dtype=bool)
        if not ok.any():
            return None
        ratio = np.where(ok, f / np.where(ok, gain, 1.0), np.inf)
        j = int(np.argmin(ratio))
        is_open[j] = True
        covered |= cover[:, j]
    for q in range(len(pol.lo)):
        short = int(pol.lo[q]) - int(is_open[g == q].sum())
        members = [j for j in np.argsort(f, kind="stable") if g[j] == q and not is_open[j]]
        if short > len(members):
            return None
        is_open[members[: max(short, 0)]] = True
    for j in np.argsort(-f, kind="stable"):  # drop redundant centres, dearest first
        if not is_open[j] or pol.required[j]:
            continue
        if g[j] >= 0 and int(is_open[g == g[j]].sum()) <= int(pol.lo[g[j]]):
            continue
        is_open[j] = False
        if not cover[:, is_open].any(axis=1).all() or not is_open.any():
            is_open[j] = True
    sel = np.flatnonzero(is_open)
    if sel.size == 0:
        if m == 0:
            return None
        sel = np.array([int(np.argmin(f))])  # no demand to cover: the cheapest centre
        if g[sel[0]] >= 0 and pol.hi[g[sel[0]]] < 1:
            return None
    return sel


class _Coverage(LocationModel):
    """Shared parts of the coverage models (not public)."""

    radius: float
    _sums_costs = False  # costs are only compared with the radius

    @classmethod
    def from_coverage_matrix(cls, coverage: Any, weights: Any = None, **params: Any) -> Any:
        """Build the model from a ready 0/1 coverage (incidence) matrix.

        Parameters
        ----------
        coverage : pandas.DataFrame or array-like of shape (n_demand, n_candidates)
            1 (or True) where candidate ``j`` covers demand point ``i``, 0 (False) where it
            does not -- for instance from travel-time isochrones or a service agreement
            rather than a cost and a radius. Labels as for a cost matrix.
        weights : pandas.Series or array-like, optional
            Demand weights (default 1).
        **params
            The model's other parameters (``p``, ``fixed_cost``) and the policy
            parameters; not ``radius``, ``gateway_cost`` or ``gateway_weight``, which need
            costs.

        Returns
        -------
        MaxCoverage or SetCover
            The model, on costs 0 (covered) and 1 (not covered) with radius 0.5, so the
            ``cost`` column of :attr:`Solution.assignment` is 0 for a covered point.

        Raises
        ------
        DataError
            Entries other than 0/1, or the usual shape and label problems.
        SpecificationError
            ``radius``, ``gateway_cost`` or ``gateway_weight`` given.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.locate import SetCover
        >>> cover = pd.DataFrame([[1, 0, 1], [0, 1, 1], [1, 1, 0]],
        ...                      index=["d1", "d2", "d3"], columns=["a", "b", "c"])
        >>> sol = SetCover.from_coverage_matrix(cover, fixed_cost=[1.0, 1.0, 1.5]).solve()
        >>> sorted(sol.open), sol.objective
        (['a', 'b'], 2.0)
        """
        for key in ("radius", "gateway_cost", "gateway_weight"):
            if key in params:
                raise SpecificationError(
                    f"from_coverage_matrix takes no {key}= (coverage is given directly); "
                    "build the model with from_cost_matrix to use costs"
                )
        if isinstance(coverage, pd.DataFrame):
            vals: np.ndarray | None = as_float(coverage)
            index: pd.Index | None = coverage.index
            columns: pd.Index | None = coverage.columns
        else:
            try:
                vals = np.array(coverage, dtype=float)
            except (TypeError, ValueError):
                vals = None  # cost_frame names the problem
            index = columns = None
        bad = ~np.isin(vals, (0.0, 1.0)) if vals is not None and vals.ndim == 2 else None
        if bad is not None and vals is not None and bad.any():
            i, j = np.nonzero(bad)
            cells = [
                (
                    a if index is None else index[a],
                    b if columns is None else columns[b],
                    float(vals[a, b]),
                )
                for a, b in zip(i[:5], j[:5], strict=True)
            ]
            raise DataError(
                f"a coverage matrix holds only 0/1 (or False/True); {int(bad.sum())} other "
                f"value(s), e.g. (demand, candidate, value) {cells}; use from_cost_matrix "
                "with a radius for costs"
            )
        frame = cost_frame(coverage)
        cost = pd.DataFrame(1.0 - frame.to_numpy(), index=frame.index, columns=frame.columns)
        model_cls: Any = cls
        return model_cls(cost, weights, radius=0.5, **params)

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

    def _assign_nearest(self, out: Outcome) -> pd.DataFrame:
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

    name = "mclp"
    title = "maximal covering (MCLP)"
    about = "cover the most weight within the radius with p centres"
    parameters = {"p": CENTRES, "radius": RADIUS}
    cost_label = "weight covered within {radius} km"

    _maximise = True

    def __init__(
        self, cost: Any, weights: Any = None, *, p: int, radius: float, **policy: Any
    ) -> None:
        super().__init__(cost, weights, **policy)
        self.p = CENTRES.check(p, "p")
        self.radius = RADIUS.check(radius, "radius")
        self._check()

    def _cardinality(self) -> int:
        return self.p

    def _solve(self, ctx: Context) -> Outcome:
        with ctx.building():
            b = PulpBuilder("MaxCoverage", maximise=True)
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
        if pos is None and run.status == Status.NOT_SOLVED:
            out = self._fallback(ctx, run.bound)
        lost = self.uncoverable()
        if len(lost):
            out.message = (
                f"{len(lost)} demand point(s) cannot be covered by any allowed candidate "
                f"within radius {self.radius:g}: {self._demand_preview(lost)}; the smallest radius "
                f"covering everything is {self.min_covering_radius():g}"
            )
        return out

    def _fallback(self, ctx: Context, bound: float) -> Outcome:
        """Stopped before any solution: a greedy-and-swap start as ``feasible``."""
        with ctx.building():
            act, allowed = self._active, self._allowed_pos
            missed = (self._C[np.ix_(act, allowed)] > self.radius).astype(float)
            sel = heuristic(missed, self._w[act], self.p, Policy(self, allowed))
        if sel is None:
            return Outcome(Status.NOT_SOLVED, bound=bound)
        pos = allowed[np.sort(sel)]
        return Outcome(Status.FEASIBLE, pos, self._covered_weight(pos), bound)


class SetCover(_Coverage):
    r"""The fewest (or cheapest) centres such that every demand point is covered.

    Formulation (location set covering problem, Toregas et al. 1971)::

        min  sum_j f_j y_j                         (f_j = 1 without fixed_cost)
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
    fixed_cost : float or pandas.Series or array-like, optional
        Cost of opening each candidate (scalar, or one per candidate: a Series indexed by
        candidate or an array in column order), non-negative. The objective is then the
        total cost of the open centres -- the weighted set covering problem, as in
        OR-Library's ``scp`` instances -- instead of their number.
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
    >>> cheap = SetCover.from_cost_matrix(cost, radius=9, fixed_cost=[3, 2, 5])
    >>> list(cheap.solve().open), cheap.solve().objective  # everyone within 9 of each
    ([1], 2.0)
    """

    name = "lscp"
    title = "set covering (LSCP)"
    about = "the fewest centres covering every demand unit within the radius"
    parameters = {"radius": RADIUS}
    cost_label = "number of centres"

    _objective_name = "number of centres"

    def __init__(
        self,
        cost: Any,
        weights: Any = None,
        *,
        radius: float,
        fixed_cost: Any = None,
        **policy: Any,
    ) -> None:
        super().__init__(cost, weights, **policy)
        self.radius = RADIUS.check(radius, "radius")
        self.fixed_cost = (
            None
            if fixed_cost is None
            else per_candidate(fixed_cost, self.cost.columns, "fixed_cost", positive=False)
        )
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

    def _solve(self, ctx: Context) -> Outcome:
        with ctx.building():
            b = PulpBuilder("SetCover")
            y = self._open_block(b)
            ii, jj, weight = self._cover_sets()
            b.rows("cov", ii, y[jj], 1.0, GE, 1.0, len(weight))
            f = self._fixed()
            b.objective(y, f)
        run = ctx.run(b)
        if not run.has_solution:
            if run.status == Status.NOT_SOLVED:
                return self._fallback(ctx, ii, jj, len(weight), f, run.bound)
            return outcome_of(run, None, math.nan)
        sel = np.flatnonzero(values(y) > 0.5)
        return outcome_of(run, self._allowed_pos[sel], float(f[sel].sum()))

    def _fallback(
        self, ctx: Context, ii: np.ndarray, jj: np.ndarray, nr: int, f: np.ndarray, bound: float
    ) -> Outcome:
        """Stopped before any solution: a greedy cover as ``feasible``.

        The bound is the solver's, or else the trivial one: the required centres' cost, and
        for every demand point the cheapest candidate covering it.
        """
        with ctx.building():
            sel = _greedy_cover(ii, jj, nr, f, Policy(self, self._allowed_pos))
            cheapest = np.full(nr, np.inf)
            np.minimum.at(cheapest, ii, f[jj])
            req = np.asarray(self.cost.columns[self._allowed_pos].isin(self.required))
            trivial = max(float(f[req].sum()), float(cheapest.max()) if nr else 0.0)
        if sel is None:
            return Outcome(Status.NOT_SOLVED, bound=bound)
        bound = max(bound, trivial) if math.isfinite(bound) else trivial
        value = float(f[sel].sum())
        return Outcome(Status.FEASIBLE, self._allowed_pos[sel], value, min(bound, value))

    def _fixed(self) -> np.ndarray:
        """Objective coefficient of each allowed candidate (1 without ``fixed_cost``)."""
        if self.fixed_cost is None:
            return np.ones(len(self._allowed_pos))
        return self.fixed_cost.to_numpy(dtype=float)[self._allowed_pos]
