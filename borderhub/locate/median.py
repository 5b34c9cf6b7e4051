"""The p-median model (ReVelle & Swain 1970): :class:`PMedian`."""

from __future__ import annotations

from typing import Any

import numpy as np

from borderhub.exceptions import SpecificationError
from borderhub.locate._benders import solve_benders
from borderhub.locate._core import (
    Context,
    Outcome,
    choose_method,
    is_highs,
    label_set,
    points_method,
)
from borderhub.locate._radius import solve_nearest_open
from borderhub.locate._registry import CENTRES
from borderhub.locate._resolve import MedianResolver, Resolver
from borderhub.locate.base import LocationModel
from borderhub.locate.solution import Status

__all__ = ["PMedian"]

_METHODS = ("auto", "benders", "radius")
#: ``method='auto'`` takes the Benders decomposition when the allowed candidates are at
#: least this many times ``p`` ...
_AUTO_MIN_RATIO = 4
#: ... and the instance has at least this many (demand point, candidate) pairs.
_AUTO_MIN_PAIRS = 20_000


class PMedian(LocationModel):
    r"""Open exactly ``p`` centres minimising the total weighted cost to the nearest one.

    Formulation (ReVelle & Swain 1970)::

        min  sum_i w_i * c_{i, a(i)}      a(i) = cheapest open centre of demand point i
        s.t. sum_j y_j = p,  y_j in {0, 1},  plus the policy constraints on y

    where ``c`` is the effective cost (travel cost plus the gateway term). It is solved
    exactly through the *radius* (level) formulation of Elloumi (2010) in its chained form:
    for each demand point ``i`` with distinct costs ``D_i^0 < D_i^1 < ...`` and continuous
    ``z_i^l`` ("no open centre within ``D_i^l``")::

        min  sum_i w_i * (D_i^0 + sum_l (D_i^{l+1} - D_i^l) z_i^l)
        s.t. z_i^0 + sum_{j: c_ij = D_i^0} y_j >= 1
             z_i^l - z_i^{l-1} + sum_{j: c_ij = D_i^l} y_j >= 0

    Its LP relaxation is as strong as the classic assignment model's, the assignment
    variables need not be integral (integrality of ``y`` implies that of ``z``), and only
    the ``m' - p + 1`` nearest *allowed* candidates of each point are needed (``m'`` =
    candidates not forbidden; with exactly ``p`` open the nearest open one is among them,
    whatever ``required`` and group constraints add). Demand points start with the levels
    up to their centre in a greedy solution and gain more levels only where the solved
    model undercharges them (iterative expansion of Garcia, Labbe & Marin 2011); the
    result is optimal for the full model. Demand points of weight 0 do not enter the model
    and are assigned to their cheapest open centre afterwards. With ``p = 1`` and no group
    constraints the model is solved exactly by enumerating the allowed candidates (no solver
    call).

    *Benders decomposition* (``method="benders"``; Duran-Mateluna, Ales & Elloumi 2023).
    The same formulation projected onto ``y`` and one cost variable ``theta_i`` per demand
    point, whose optimality cuts come in closed form from the sorted costs::

        theta_i + sum_{j: c_ij < D_i^k} (D_i^k - c_ij) y_j >= D_i^k

    A heuristic start (greedy, then swaps) gives the upper bound; the LP relaxation of the
    master is solved by a stabilised cut loop (its bound equals the radius model's);
    candidates whose LP or Lagrangian reduced cost lifts that bound above the incumbent are
    removed; a branch and bound on the remaining candidates then re-solves the master at
    every node with the cuts its solution violates. It is fastest
    when ``p`` is small relative to the number of candidates -- exactly where the radius
    model needs many levels per point -- and talks to HiGHS through highspy directly (the
    cut loop re-solves one loaded model after adding rows, which a PuLP model rebuilt at
    every round cannot do), so it needs ``solver="highs"``.

    A run stopped by ``time_limit`` returns the best solution known -- at least the
    heuristic start when it satisfies the policy constraints -- with status ``feasible``
    and the best lower bound proven, never ``optimal``.

    Parameters
    ----------
    cost, weights
        See :class:`~borderhub.locate.LocationModel`.
    p : int
        Number of centres to open (1 <= p <= number of allowed candidates).
    method : {"auto", "benders", "radius"}, default "auto"
        ``"radius"``: the radius formulation with iterative expansion, through PuLP (any
        solver). ``"benders"``: the Benders decomposition (HiGHS only; of a ``pulp.HiGHS``
        object only the choice of solver is used, its options are not). ``"auto"``: Benders
        when the solver is ``"highs"`` (the name), the allowed candidates number at least
        4 ``p`` and the instance has at least 20,000 (demand point, candidate) pairs; the
        radius model otherwise. Both are exact and give the same optimal objective.
    **policy
        ``required``, ``forbidden``, ``groups``, ``min_per_group``, ``max_per_group``,
        ``gateway_cost``, ``gateway_weight``; see :class:`~borderhub.locate.LocationModel`.

    Raises
    ------
    SpecificationError
        ``p`` not a positive integer, larger than the allowed candidates or than the group
        maxima allow, inconsistent policy parameters, an unknown ``method``, or
        ``method="benders"`` with a solver other than HiGHS (raised by ``solve``).
    DataError
        NaN, infinite or negative costs; weights of the wrong length or labels.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.locate import PMedian
    >>> cost = pd.DataFrame([[0, 5, 9], [5, 0, 4], [9, 4, 0], [8, 3, 2]],
    ...                     index=list("ABCD"), columns=["x", "y", "z"], dtype=float)
    >>> sol = PMedian.from_cost_matrix(cost, weights=[1, 1, 1, 2], p=1).solve()
    >>> list(sol.open), sol.objective
    (['y'], 15.0)
    >>> PMedian.from_cost_matrix(cost, p=1, required=["x"]).solve().objective
    22.0
    >>> model = PMedian.from_cost_matrix(cost, weights=[1, 1, 1, 2], p=2, method="benders")
    >>> model.solve().objective
    8.0
    """

    name = "pmedian"
    title = "p-median"
    about = "minimise the weighted distance with p centres"
    parameters = {"p": CENTRES}
    cost_label = "weighted distance ({unit})"

    def __init__(
        self, cost: Any, weights: Any = None, *, p: int, method: str = "auto", **policy: Any
    ) -> None:
        super().__init__(cost, weights, **policy)
        self.p = CENTRES.check(p, "p")
        if method not in _METHODS:
            raise SpecificationError(
                f"method must be one of {list(_METHODS)}, got {method!r}; use 'auto' to let "
                "borderhub choose"
            )
        self.method = method
        self._check()

    @classmethod
    def from_points(
        cls,
        demand: Any,
        candidates: Any,
        weights: Any = None,
        *,
        p: int,
        metric: str = "geodesic",
        **policy: Any,
    ) -> PMedian:
        """Build the p-median from coordinates, without a demand x candidate matrix.

        The Benders method (:class:`PMedian`, ``method="benders"``) asks a KD-tree for each
        demand point's nearest candidates, sorted by cost, and lengthens a point's list only
        when the method needs more of it; memory grows with the pairs used, not with
        ``n_demand * n_candidates``. The answer is the exact p-median of the full cost
        matrix all the same. Solving needs ``solver="highs"``.

        Parameters
        ----------
        demand, candidates : array-like of shape (n, 2) or geopandas.GeoDataFrame
            Arrays hold lon, lat degrees for ``metric="geodesic"`` and planar coordinates
            otherwise (labels ``0..n-1``); GeoDataFrames need a CRS (projected for the
            Euclidean metrics) and give their index as labels.
        weights : array-like, pandas.Series or str, optional
            Demand weights (default 1); a str names a column of a ``demand`` GeoDataFrame.
        p : int
            Number of centres to open.
        metric : {"geodesic", "euclidean", "euclidean_floor"}, default "geodesic"
            ``"geodesic"``: km on the WGS84 ellipsoid, as
            :func:`borderhub.distance_matrix` computes them. ``"euclidean"``: the planar
            distance in the coordinates' units. ``"euclidean_floor"``: the planar distance
            rounded down to a whole number (the rule of the TSPLIB p-median benchmarks).
        **policy
            ``required``, ``forbidden``, ``groups``, ``min_per_group``, ``max_per_group``
            and ``method`` (``"auto"`` or ``"benders"``), as for :class:`PMedian`.
            ``gateway_cost`` needs a cost matrix and is refused.

        Returns
        -------
        PMedian
            The model; :meth:`size_estimate` tells the pairs and memory its solve will use,
            and ``solve`` refuses a run that would not fit (:func:`borderhub.io.check_memory`).

        Raises
        ------
        DataError
            Coordinates missing, not finite, out of the lon/lat range for the geodesic metric,
            or not of shape (n, 2); duplicate labels.
        SpecificationError
            An unknown ``metric``, ``method="radius"``, a ``gateway_cost``, or (at solve
            time) a solver other than HiGHS.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> pts = np.array([[0.0, 0], [1, 0], [2, 0], [10, 0], [11, 0], [12, 0]])
        >>> sol = PMedian.from_points(pts, pts, p=2, metric="euclidean").solve()
        >>> sorted(sol.open), sol.objective
        ([1, 4], 4.0)
        """
        return cls._from_points(demand, candidates, weights, metric, {"p": p, **policy})

    def size_estimate(self) -> dict[str, Any]:
        """The pairs and memory the solve will use, estimated before any work.

        Returns
        -------
        dict
            ``demand`` and ``candidates`` (the counts entering the method), ``pairs`` (the
            (demand point, candidate) pairs held: every pair for a model built from a cost
            matrix, the nearest ones for a model from points) and ``bytes``
            (:func:`borderhub.io.estimate_memory` of those pairs).

        Notes
        -----
        ``bytes`` counts the arrays of the pairs, not the solver's own memory (the master's
        cut rows, HiGHS's copies of the model): measured peaks of whole solves on TSPLIB
        and China instances from points were from 0.2 to 17 times it
        (``benchmarks/bench_large.py``). Read it as the order of magnitude of the lists.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> pts = np.random.default_rng(0).random((1000, 2))
        >>> PMedian.from_points(pts, pts, p=100, metric="euclidean").size_estimate()["pairs"]
        80000
        """
        return self._size_estimate()

    def _cardinality(self) -> int:
        return self.p

    def objective_of(
        self,
        open: Any,
        solver: Any = "highs",
        time_limit: float | None = None,
        mip_gap: float | None = None,
    ) -> float:
        """The objective of the plan that opens exactly the ``p`` centres ``open``.

        Each demand point is served by its cheapest centre in ``open``: computed directly,
        no solver is called (``solver``, ``time_limit`` and ``mip_gap`` are accepted for the
        common signature of :meth:`LocationModel.objective_of`).

        Parameters
        ----------
        open : label or list of labels
            Exactly ``p`` candidates.
        solver, time_limit, mip_gap
            Not used (no solve is needed).

        Returns
        -------
        float
            The weighted cost of serving every demand point from its cheapest centre in
            ``open``.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> model = PMedian.from_cost_matrix(np.array([[0.0, 4.0], [4.0, 0.0]]), [3.0, 1.0], p=1)
        >>> model.objective_of([1])
        12.0
        """
        labels = label_set(open, self.cost.columns, "open")
        if len(labels) != self.p:
            raise SpecificationError(
                f"open names {len(labels)} centres but p={self.p}; pass exactly p labels"
            )
        self._prepare()
        pos = self.cost.columns.get_indexer(labels)
        if self._points is not None:
            return float(self._w @ self._points.nearest(pos)[1])
        return float(self._w @ self._C[:, pos].min(axis=1))

    def _warm_resolver(
        self, start: Any, solver: Any, time_limit: float | None, mip_gap: float | None
    ) -> Resolver | None:
        """The warm re-solve with HiGHS (given by name), unless a subclass changed ``_solve``."""
        if not (isinstance(solver, str) and is_highs(solver)):
            return None
        if type(self)._solve is not PMedian._solve:  # another formulation: solve it cold
            return None
        if self._points is not None:  # no cost matrix to keep: fresh solves
            return None
        return MedianResolver(self, start=start, time_limit=time_limit, mip_gap=mip_gap)

    def _solve(self, ctx: Context) -> Outcome:
        if self._points is not None:
            points_method(self.method, ctx)
            if self.p == 1 and self.groups is None:
                return self._solve_one(ctx)
            return solve_benders(self, ctx)
        if self.p == 1 and self.groups is None:
            return self._solve_one(ctx)
        if self._method(ctx) == "benders":
            return solve_benders(self, ctx)
        return solve_nearest_open(self, ctx)

    def _method(self, ctx: Context) -> str:
        """The method used: 'benders' needs HiGHS; 'auto' takes it where it wins."""
        m, n = len(self._allowed_pos), len(self._active)
        # small p relative to the candidates: many levels per point for the radius model
        return choose_method(
            self.method, ctx.solver_spec, "benders", "radius",
            lambda: m >= _AUTO_MIN_RATIO * self.p and n * m >= _AUTO_MIN_PAIRS,
        )  # fmt: skip

    def _solve_one(self, ctx: Context) -> Outcome:
        """The 1-median by enumeration: exact, and far faster than any MILP at p = 1."""
        with ctx.building():
            act, allowed = self._active, self._allowed_pos
            if len(self.required):
                allowed = allowed[self.cost.columns[allowed].isin(self.required)]
            if self._points is not None:
                totals = self._points.totals(self._w[act], act, allowed)
            else:
                totals = self._w[act] @ self._C[np.ix_(act, allowed)]
            best = int(np.argmin(totals))  # ties: the first allowed candidate
        objective = float(totals[best])
        return Outcome(Status.OPTIMAL, allowed[[best]], objective, objective)
