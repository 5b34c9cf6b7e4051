"""Fixed-charge facility location, uncapacitated or capacitated: :class:`FacilityLocation`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError
from borderhub.locate._benders import solve_benders
from borderhub.locate._capacitated import solve_capacitated
from borderhub.locate._core import (
    Context,
    Outcome,
    choose_method,
    per_candidate,
    points_method,
    preview,
)
from borderhub.locate._radius import solve_nearest_open
from borderhub.locate._registry import OPENING_COST
from borderhub.locate.base import LocationModel

__all__ = ["FacilityLocation"]

_METHODS = ("auto", "benders", "radius")
#: ``method='auto'`` takes the Benders decomposition from this many (demand point,
#: candidate) pairs (uncapacitated model, HiGHS).
_AUTO_MIN_PAIRS = 20_000


class FacilityLocation(LocationModel):
    r"""Open any number of centres, trading opening costs against weighted service cost.

    Uncapacitated (``capacity=None``): minimise ``sum_j f_j y_j + sum_i w_i c_{i,a(i)}``
    with ``a(i)`` the cheapest open centre. It is solved exactly by either method of
    :class:`~borderhub.locate.PMedian`: the radius (level) formulation with iterative
    expansion (without the cardinality row; much smaller than the textbook ``x_ij <= y_j``
    model), or the Benders decomposition with closed-form cuts (Fischetti, Ljubic & Sinnl
    2017), whose master charges the opening costs and asks for at least one open centre.

    Capacitated (``capacity`` given, in units of weight)::

        min  sum_j f_j y_j + sum_ij w_i c_ij x_ij
        s.t. sum_j x_ij = 1                      for each demand point i (w_i > 0)
             sum_i w_i x_ij <= Q_j y_j           for each candidate j
             x_ij <= y_j                         (strong linking rows)
             sum_j Q_j y_j >= sum_i w_i          (aggregate capacity)
             y_j in {0, 1};  x_ij in {0, 1} if single_source else 0 <= x_ij <= 1

    plus the policy constraints. The aggregate capacity row is implied by the others, but as
    a knapsack row over ``y`` alone it lets the MIP solver derive cover cuts and a minimum
    number of open centres, which closes the gap on OR-Library's ``cap`` instances far
    faster. Before the MIP, a heuristic start (transportation LP allocations, local search,
    a short kernel MIP) and the Lagrangian relaxation of the demand rows fix opening
    variables that cannot be in a solution better than the start (an exact reduction;
    see the formulations page of the documentation). A run stopped before the solver has
    a solution returns the start as ``feasible``. This model is dense (n x m assignment
    variables); use it for regional instances (up to about a thousand demand points), not
    the whole county table.

    Parameters
    ----------
    cost, weights
        See :class:`~borderhub.locate.LocationModel`.
    fixed_cost : float or pandas.Series
        Opening cost of each candidate (scalar for all, or a Series indexed by candidate),
        in the same units as weight x cost. Non-negative.
    capacity : float or pandas.Series, optional
        Largest weight a centre can serve. Positive. Default: unlimited.
    single_source : bool, default True
        With capacities, serve each demand point from one centre. With
        ``single_source=False`` demand may be split, and :attr:`Solution.assignment` has one
        row per (demand point, centre) share, so its index can repeat.
    method : {"auto", "benders", "radius"}, default "auto"
        Uncapacitated model only. ``"radius"``: the radius formulation through PuLP (any
        solver). ``"benders"``: the Benders decomposition (HiGHS only, through highspy).
        ``"auto"``: Benders when the solver is ``"highs"`` (the name) and the instance has
        at least 20,000 (demand point, candidate) pairs, the radius model otherwise. Both
        are exact. With capacities only ``"auto"`` is accepted (the dense model).
    **policy
        See :class:`~borderhub.locate.LocationModel`.

    Raises
    ------
    SpecificationError
        Total capacity of the allowed candidates below total demand, or (single source) a
        demand point heavier than every allowed capacity; an unknown ``method``, a method
        other than ``"auto"`` with capacities, or ``method="benders"`` with a solver other
        than HiGHS (raised by ``solve``).

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.locate import FacilityLocation
    >>> cost = np.array([[0.0, 10.0], [10.0, 0.0], [4.0, 6.0]])
    >>> sol = FacilityLocation.from_cost_matrix(cost, fixed_cost=15).solve()
    >>> list(sol.open), sol.objective
    ([0], 29.0)
    >>> cap = FacilityLocation.from_cost_matrix(cost, fixed_cost=15, capacity=2).solve()
    >>> list(cap.open), cap.objective
    ([0, 1], 34.0)
    >>> model = FacilityLocation.from_cost_matrix(cost, fixed_cost=15, method="benders")
    >>> model.solve().objective
    29.0
    """

    #: Capacitated path: Lagrangian bound and fixing before the MIP (off only to measure
    #: what they contribute, in benchmarks/bench_capacitated.py).
    _strengthen = True

    name = "fixed"
    title = "fixed-charge facility location"
    about = "opening costs (--fixed-cost) against weighted distance, any number of centres"
    parameters = {"fixed_cost": OPENING_COST}
    cost_label = "opening and weighted distance cost"

    def __init__(
        self,
        cost: Any,
        weights: Any = None,
        *,
        fixed_cost: Any,
        capacity: Any = None,
        single_source: bool = True,
        method: str = "auto",
        **policy: Any,
    ) -> None:
        super().__init__(cost, weights, **policy)
        if method not in _METHODS:
            raise SpecificationError(
                f"method must be one of {list(_METHODS)}, got {method!r}; use 'auto' to let "
                "borderhub choose"
            )
        if capacity is not None and method != "auto":
            raise SpecificationError(
                f"method={method!r} applies to the uncapacitated model only; leave method='auto' "
                "with capacities"
            )
        self.method = method
        cand = self.cost.columns
        self.fixed_cost = per_candidate(fixed_cost, cand, "fixed_cost", positive=False)
        self.capacity = (
            None if capacity is None else per_candidate(capacity, cand, "capacity", True)
        )
        if not isinstance(single_source, bool | np.bool_):
            raise SpecificationError(
                f"single_source must be True or False, got {single_source!r}; pass a bool"
            )
        self.single_source = bool(single_source)
        self._check()

    @classmethod
    def from_points(
        cls,
        demand: Any,
        candidates: Any,
        weights: Any = None,
        *,
        fixed_cost: Any,
        metric: str = "geodesic",
        **policy: Any,
    ) -> FacilityLocation:
        """Build the uncapacitated model from coordinates, without a cost matrix.

        Solved by the Benders method of :class:`~borderhub.locate.PMedian` on each demand
        point's nearest candidates, grown on demand (see
        :meth:`PMedian.from_points <borderhub.locate.PMedian.from_points>`); exact for the
        full cost matrix. Needs ``solver="highs"``.

        Parameters
        ----------
        demand, candidates : array-like of shape (n, 2) or geopandas.GeoDataFrame
            As for :meth:`PMedian.from_points <borderhub.locate.PMedian.from_points>`.
        weights : array-like, pandas.Series or str, optional
            Demand weights (default 1); a str names a column of a ``demand`` GeoDataFrame.
        fixed_cost : float or pandas.Series
            Opening cost of each candidate, in units of weight x cost.
        metric : {"geodesic", "euclidean", "euclidean_floor"}, default "geodesic"
            As for :meth:`PMedian.from_points <borderhub.locate.PMedian.from_points>`.
        **policy
            ``required``, ``forbidden``, ``groups``, ``min_per_group``, ``max_per_group``,
            ``method`` (``"auto"`` or ``"benders"``). ``capacity`` and ``gateway_cost``
            need a cost matrix and are refused.

        Returns
        -------
        FacilityLocation

        Raises
        ------
        DataError
            Bad coordinates, as for :meth:`PMedian.from_points
            <borderhub.locate.PMedian.from_points>`.
        SpecificationError
            ``capacity`` given, an unknown ``metric``, ``method="radius"``, a
            ``gateway_cost``, or (at solve time) a solver other than HiGHS.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import FacilityLocation
        >>> pts = np.array([[0.0, 0], [1, 0], [2, 0], [10, 0], [11, 0], [12, 0]])
        >>> sol = FacilityLocation.from_points(pts, pts, fixed_cost=5.0,
        ...                                    metric="euclidean").solve()
        >>> sorted(sol.open), sol.objective
        ([1, 4], 14.0)
        """
        if policy.get("capacity") is not None:
            raise SpecificationError(
                "capacity needs the dense capacitated model; build it with from_cost_matrix "
                "(from_points builds the uncapacitated model only)"
            )
        return cls._from_points(
            demand, candidates, weights, metric, {"fixed_cost": fixed_cost, **policy}
        )

    def size_estimate(self) -> dict[str, Any]:
        """The pairs and memory the solve will use, estimated before any work.

        Returns
        -------
        dict
            ``demand``, ``candidates``, ``pairs`` and ``bytes``, as for
            :meth:`PMedian.size_estimate <borderhub.locate.PMedian.size_estimate>`.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import FacilityLocation
        >>> pts = np.random.default_rng(0).random((400, 2))
        >>> FacilityLocation.from_points(pts, pts, fixed_cost=1.0,
        ...                              metric="euclidean").size_estimate()["pairs"]
        40000
        """
        return self._size_estimate()

    def _check_model(self) -> None:
        if self.capacity is None:
            return
        allowed = self.cost.columns.difference(self.forbidden, sort=False)
        cap = self.capacity.reindex(allowed)
        total = float(self.weights.sum())
        if float(cap.sum()) < total:
            raise SpecificationError(
                f"total capacity of the allowed candidates ({float(cap.sum()):g}) is below "
                f"total demand weight ({total:g}); raise capacities or allow more candidates"
            )
        if self.single_source:
            heavy = self.weights.index[self.weights > float(cap.max())]
            if len(heavy):
                raise SpecificationError(
                    f"demand points {preview(heavy)} weigh more than the largest allowed "
                    f"capacity ({float(cap.max()):g}); with single_source=True they cannot be "
                    "served -- use single_source=False or raise capacities"
                )

    def _infeasible_hint(self) -> str:
        return "the capacities (capacity per centre against the demand assigned to it)"

    def _solve(self, ctx: Context) -> Outcome:
        fixed = self.fixed_cost.to_numpy(dtype=float)[self._allowed_pos]
        if self._points is not None:
            points_method(self.method, ctx)
            return solve_benders(self, ctx, fixed)
        if self.capacity is None:
            if self._method(ctx) == "benders":
                return solve_benders(self, ctx, fixed)
            return solve_nearest_open(self, ctx, fixed)
        res = solve_capacitated(self, ctx, fixed, strengthen=self._strengthen)
        self._capacitated_info = res.info
        if res.sel is None or res.x is None:
            return Outcome(res.status, bound=res.bound)
        out = Outcome(res.status, self._allowed_pos[res.sel], res.objective, res.bound)
        out.assignment = self._capacitated_assignment(res.x, res.sel)
        return out

    def _method(self, ctx: Context) -> str:
        """The uncapacitated method: 'benders' needs HiGHS; 'auto' takes it where it wins."""
        n, m = len(self._active), len(self._allowed_pos)
        method = choose_method(
            self.method, ctx.solver_spec, "benders", "radius", lambda: n * m >= _AUTO_MIN_PAIRS
        )
        return method if n else "radius"  # no demand: nothing for the cuts to price

    def _capacitated_assignment(self, xv: np.ndarray, sel: np.ndarray) -> pd.DataFrame:
        act, allowed = self._active, self._allowed_pos
        open_pos = allowed[sel]
        # demand points outside the model (weight 0) go to their cheapest open centre
        near = open_pos[self._C[:, open_pos].argmin(axis=1)]
        frame = self._assignment_frame(near)
        if self.single_source:
            fac = near.copy()
            fac[act] = allowed[xv.argmax(axis=1)]
            return self._assignment_frame(fac)
        ii, jj = np.nonzero(xv > 1e-9)
        raw = self.cost.to_numpy(dtype=float)
        di, fj = act[ii], allowed[jj]
        split = pd.DataFrame(
            {
                "facility": self.cost.columns[fj],
                "cost": raw[di, fj],
                "gateway": self._gw[fj],
                "weight": self._w[di] * xv[ii, jj],
            },
            index=pd.Index(self.cost.index[di], name="demand"),
        )
        rest = np.setdiff1d(np.arange(len(frame)), act)
        both = pd.concat([split, frame.iloc[rest]])
        return both.iloc[np.argsort(np.concatenate([di, rest]), kind="stable")]
