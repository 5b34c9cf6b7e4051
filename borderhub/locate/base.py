"""The shared base of every location model: data checks, policy constraints, solving.

:class:`LocationModel` owns everything the models have in common -- turning a cost matrix
or two GeoDataFrames into labelled numeric data, the policy constraints (``required``,
``forbidden``, ``groups`` with ``min_per_group`` / ``max_per_group``), the gateway cost term,
the checks made before solving, the solver call and the :class:`Solution`. A model class
only states its parameters and its formulation (``_solve``).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from borderhub._interrupt import graceful_interrupts
from borderhub.exceptions import DataError, InfeasibleError, SpecificationError
from borderhub.locate._core import (
    EQ,
    GE,
    LE,
    Builder,
    Context,
    Outcome,
    PointCost,
    PointData,
    PulpBuilder,
    check_positive,
    cost_frame,
    cost_from_frames,
    gateway_series,
    group_limits,
    label_set,
    list_pairs,
    preview,
    read_xy,
    rel_gap,
    values,
    weight_from_frame,
    weight_series,
)
from borderhub.locate._core import as_float as as_float  # re-exported from its old home
from borderhub.locate._core import check_count as check_count  # re-exported from its old home
from borderhub.locate._resolve import ColdResolver, Resolved, Resolver
from borderhub.locate.solution import Solution, Status

__all__ = ["LocationModel", "Resolved"]


class LocationModel:
    """Base class of the facility-location models (not used directly).

    Every model is built from a cost matrix -- rows are demand points, columns candidate
    sites -- and demand weights, with :meth:`from_cost_matrix` or
    :meth:`from_geodataframe`, and solved with :meth:`solve`. The constructors only store
    and check data and parameters; :meth:`solve` builds and solves the MILP.

    Parameters
    ----------
    cost : pandas.DataFrame or array-like of shape (n_demand, n_candidates)
        Travel cost (e.g. km) from each demand point to each candidate. A DataFrame's index
        and columns are the demand and candidate labels; an array gets labels ``0..n-1``
        and ``0..m-1``. Values must be finite and non-negative. The input is copied.
    weights : pandas.Series or array-like of shape (n_demand,), optional
        Demand weight of each demand point (default 1). A Series must be indexed by exactly
        the demand labels. Non-negative and finite.
    required : label or list of labels, optional
        Candidates that must open (for instance the plan's CORE tier).
    forbidden : label or list of labels, optional
        Candidates that may not open.
    groups : pandas.Series, optional
        Maps candidate label to a group (province, corridor region, ...). Candidates missing
        from it (or mapped to NaN) belong to no group.
    min_per_group, max_per_group : int or mapping group -> int, optional
        At least / at most this many open centres in each group (an int applies to every
        group; a mapping to the groups it names).
    gateway_cost : pandas.Series or array-like of shape (n_candidates,), optional
        A per-candidate cost of the international leg (for example the trade-weighted
        distance to the RCEP partner hubs). ``gateway_weight * gateway_cost[j]`` is added to
        the cost of serving one unit of weight from ``j``, in every model that uses a cost.
    gateway_weight : float, default 1.0
        Coefficient of the gateway term (non-negative).

    Notes
    -----
    Models without ``p`` (:class:`~borderhub.locate.SetCover`,
    :class:`~borderhub.locate.FacilityLocation`) open at least one
    centre. All models use the *effective* cost ``c[i, j] = cost[i, j] + gateway_weight *
    gateway_cost[j]``: p-median and fixed-charge minimise weight times effective cost,
    p-center minimises the largest effective cost, and the coverage models call ``i``
    covered by ``j`` when the effective cost is at most the radius. Policy constraints act
    on the open/closed decision ``y[j]`` of every model: ``y[j] = 1`` for required
    ``j``; forbidden candidates are removed from the model; and for each group ``g``,
    ``min_per_group[g] <= sum(y[j] for j in g) <= max_per_group[g]``.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.locate import PMedian
    >>> cost = pd.DataFrame([[0.0, 9.0, 4.0], [9.0, 0.0, 4.0]],
    ...                     index=["d1", "d2"], columns=["a", "b", "c"])
    >>> PMedian.from_cost_matrix(cost, p=1, forbidden=["c"]).solve().objective
    9.0
    """

    # ---- the declaration (borderhub.locate._registry; set by each registered model) ----
    #: Short name (``borderhub plan --model``); None: the class is not registered.
    name: ClassVar[str | None] = None
    #: Title in summaries, maps and plots.
    title: ClassVar[str] = ""
    #: One line for the command line's help.
    about: ClassVar[str] = ""
    #: The parameters a plan sets (name -> Param).
    parameters: ClassVar[Mapping[str, Any]] = {}
    #: Plan options beyond the parameters that apply (a gateway term by default).
    plan_options: ClassVar[frozenset[str]] = frozenset({"gateway_weight"})
    #: What the objective measures, for the cost curve (``{unit}``, parameters filled in).
    cost_label: ClassVar[str] = "objective"
    #: Inputs a plan derives for the model beyond demand and candidates
    #: (``"partner_flows"``: origin x partner international express through gateways).
    plan_inputs: ClassVar[frozenset[str]] = frozenset()

    #: Does the model use demand weights? (SetCover and PCenter only use ``weight > 0``.)
    _objective_name: ClassVar[str] = "weighted cost"
    _maximise: ClassVar[bool] = False

    def __init__(
        self,
        cost: Any,
        weights: Any = None,
        *,
        required: Any = None,
        forbidden: Any = None,
        groups: pd.Series | None = None,
        min_per_group: int | Mapping[Any, int] | None = None,
        max_per_group: int | Mapping[Any, int] | None = None,
        gateway_cost: Any = None,
        gateway_weight: float = 1.0,
    ) -> None:
        self.cost = cost if isinstance(cost, PointCost) else cost_frame(cost)
        self.weights = weight_series(weights, self.cost.index)
        cand = self.cost.columns
        self.required = label_set(required, cand, "required")
        self.forbidden = label_set(forbidden, cand, "forbidden")
        both = self.required.intersection(self.forbidden)
        if len(both):
            raise SpecificationError(
                f"candidates {preview(both)} are both required and forbidden; drop them from "
                "one of the two lists"
            )
        self.groups, self.min_per_group, self.max_per_group = group_limits(
            groups, min_per_group, max_per_group, cand
        )
        self.gateway_cost = gateway_series(gateway_cost, cand)
        self.gateway_weight = check_positive(gateway_weight, "gateway_weight", allow_zero=True)
        # set before __init__ by from_geodataframe, so that messages can name the places
        self._demand_geo: Any = self.__dict__.get("_demand_geo")
        self._candidate_geo: Any = self.__dict__.get("_candidate_geo")
        # set before __init__ by _from_points: coordinates instead of a cost matrix
        self._points: PointData | None = self.__dict__.get("_points")
        if self._points is not None and self.gateway_cost is not None:
            raise SpecificationError(
                "gateway_cost needs a cost matrix (it changes which candidate is nearest); "
                "build the model with from_cost_matrix, or leave gateway_cost out"
            )

    # ------------------------------------------------------------------------------
    # constructors
    # ------------------------------------------------------------------------------
    @classmethod
    def from_cost_matrix(cls, cost: Any, weights: Any = None, **params: Any) -> Any:
        """Build the model from a cost matrix.

        Parameters
        ----------
        cost : pandas.DataFrame or array-like of shape (n_demand, n_candidates)
            Cost from each demand point (row) to each candidate (column); a DataFrame is
            labelled demand x candidate, an array gets labels ``0..n-1`` / ``0..m-1``.
        weights : pandas.Series or array-like, optional
            Demand weights (default 1).
        **params
            The model's parameters (``p``, ``radius``, ...) and the policy parameters
            (``required``, ``forbidden``, ``groups``, ``min_per_group``, ``max_per_group``,
            ``gateway_cost``, ``gateway_weight``).

        Returns
        -------
        LocationModel
            An instance of the class it is called on.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> m = PMedian.from_cost_matrix(np.array([[1.0, 2.0], [2.0, 1.0]]), p=1)
        >>> m.cost.shape, m.p
        ((2, 2), 1)
        """
        return cls(cost, weights, **params)

    @classmethod
    def from_geodataframe(
        cls,
        demand: Any,
        candidates: Any,
        weight: str | pd.Series | None = None,
        distance: str | pd.DataFrame = "geodesic",
        **params: Any,
    ) -> Any:
        """Build the model from point GeoDataFrames of demand points and candidates.

        Parameters
        ----------
        demand, candidates : geopandas.GeoDataFrame
            Point geometries with a CRS, indexed by unique labels (e.g. adcode).
        weight : str or pandas.Series, optional
            Name of the demand column holding the weights, or a Series of weights indexed
            like ``demand``. Default: every demand point weighs 1.
        distance : {"geodesic", "euclidean"} or pandas.DataFrame, default "geodesic"
            How to compute the cost: geodesic km on the WGS84 ellipsoid, planar km on a
            projected CRS (see :func:`borderhub.distance_matrix`), or a ready-made cost
            DataFrame (travel times, road km ...) whose index holds every demand label and
            whose columns hold every candidate label.
        **params
            The model's parameters and the policy parameters, as for
            :meth:`from_cost_matrix`.

        Returns
        -------
        LocationModel
            An instance of the class it is called on; its solutions can be turned into
            GeoDataFrames with :meth:`Solution.to_geodataframe`.

        Examples
        --------
        >>> import geopandas as gpd
        >>> from borderhub.locate import PMedian
        >>> pts = gpd.GeoDataFrame({"w": [1.0, 2.0, 3.0]},
        ...     geometry=gpd.points_from_xy([116.4, 121.5, 113.3], [39.9, 31.2, 23.1]),
        ...     index=["110000", "310000", "440100"], crs="EPSG:4326")
        >>> sol = PMedian.from_geodataframe(pts, pts, weight="w", p=1).solve()
        >>> list(sol.open)
        ['440100']
        """
        cost = cost_from_frames(demand, candidates, distance)
        weights = weight_from_frame(demand, weight)
        model = cls.__new__(cls)
        model._demand_geo = demand
        model._candidate_geo = candidates
        model.__init__(cost, weights, **params)  # type: ignore[misc]
        return model

    @classmethod
    def _from_points(cls, demand: Any, candidates: Any, weights: Any, metric: str,
                     params: dict[str, Any]) -> Any:  # fmt: skip
        """The model over coordinates (see ``PMedian.from_points``): no cost matrix."""
        dxy, dlab = read_xy(demand, "demand", metric)
        cxy, clab = read_xy(candidates, "candidates", metric)
        if isinstance(weights, str):
            weights = weight_from_frame(demand, weights)
        model = cls.__new__(cls)
        if hasattr(demand, "geometry"):
            model._demand_geo = demand
        if hasattr(candidates, "geometry"):
            model._candidate_geo = candidates
        model._points = PointData(dxy, cxy, metric)
        model.__init__(PointCost(dlab, clab), weights, **params)  # type: ignore[misc]
        return model

    def _size_estimate(self) -> dict[str, Any]:
        """Pairs and bytes the Benders method on nearest lists will hold, about."""
        from borderhub._checks import estimate_memory

        n = int((self.weights.to_numpy(dtype=float) > 0).sum())
        m = len(self.cost.columns) - len(self.forbidden)
        pairs = list_pairs(n, m, self._cardinality())
        if self._points is None:
            pairs = n * m
        return {"demand": n, "candidates": m, "pairs": pairs,
                "bytes": estimate_memory(n, m, pairs=pairs)}  # fmt: skip

    # ------------------------------------------------------------------------------
    # solving
    # ------------------------------------------------------------------------------
    def solve(
        self,
        solver: Any = "highs",
        time_limit: float | None = None,
        mip_gap: float | None = None,
        msg: bool = False,
        raise_on_infeasible: bool = False,
    ) -> Solution:
        """Build and solve the model.

        Parameters
        ----------
        solver : str or pulp.LpSolver, default "highs"
            ``"highs"`` (HiGHS through highspy), ``"cbc"``, or any PuLP solver object
            (it is copied, not modified), e.g. ``pulp.HiGHS(mip_max_nodes=100)``: a run
            stopped by such a limit is reported ``feasible`` (or ``not_solved``). Only with
            HiGHS are the dual bound and gap of a stopped run known; other solvers report
            ``bound``/``gap`` only when optimal.
        time_limit : float, optional
            Seconds for the whole solve (shared by all solver calls of iterative schemes).
        mip_gap : float, optional
            Relative MIP gap at which the solver may stop. A run stopped at a gap larger
            than :data:`~borderhub.locate.solution.OPTIMAL_GAP` is reported ``feasible``.
        msg : bool, default False
            Show the solver log.
        raise_on_infeasible : bool, default False
            Raise :class:`~borderhub.exceptions.InfeasibleError` instead of returning a
            solution with status ``infeasible``.

        Returns
        -------
        Solution
            Status, open centres, assignment, objective, bound, gap and timings. An
            infeasible model gives status ``infeasible``, no open centres and a ``message``
            naming the constraint family at fault.

        Raises
        ------
        SolverError
            Unknown or unavailable solver, an option HiGHS rejects (named in the message),
            or the solver failed.
        SpecificationError
            Bad ``time_limit`` / ``mip_gap``.
        InfeasibleError
            Only with ``raise_on_infeasible=True``.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> sol = PMedian.from_cost_matrix(np.array([[1.0, 2.0], [2.0, 1.0]]), p=1).solve()
        >>> sol.status, sol.objective
        ('optimal', 3.0)
        """
        self._check()
        ctx = Context(solver, time_limit, mip_gap, msg)
        with graceful_interrupts():  # Ctrl-C: the best solution so far, marked interrupted
            with ctx.building():
                self._prepare()
            out = self._solve(ctx)
            ctx.remaining()  # notes a Ctrl-C that came after the last check
        message = out.message
        if ctx.interrupted:
            found = "the best solution found" if out.open_pos is not None else "no solution"
            message = "; ".join(filter(None, [f"interrupted (Ctrl-C) with {found}", message]))
        if out.status == Status.INFEASIBLE and not message:
            message = self._diagnose_infeasible(ctx)
        if out.status == Status.INFEASIBLE and raise_on_infeasible:
            raise InfeasibleError(f"{type(self).__name__} is infeasible: {message}")
        has = out.status in (Status.OPTIMAL, Status.FEASIBLE) and out.open_pos is not None
        if has:
            open_lab = self.cost.columns[np.sort(np.asarray(out.open_pos, dtype=np.int64))]
            assignment = out.assignment if out.assignment is not None else self._assign_nearest(out)
            objective, bound = float(out.objective), float(out.bound)
            if out.status == Status.OPTIMAL:
                bound = objective if math.isnan(bound) else bound
            gap = rel_gap(objective, bound)
        else:
            open_lab = self.cost.columns[:0]
            assignment = self._empty_assignment()
            objective = bound = gap = math.nan
        return Solution(
            model=type(self).__name__,
            status=out.status,
            open=open_lab,
            assignment=assignment,
            objective=objective,
            bound=bound,
            gap=gap,
            build_time=ctx.build_time,
            solve_time=ctx.solve_time,
            iterations=ctx.calls,
            message=message,
            interrupted=ctx.interrupted,
            _demand_geo=self._demand_geo,
            _candidate_geo=self._candidate_geo,
        )

    # ------------------------------------------------------------------------------
    # re-solving with other weights
    # ------------------------------------------------------------------------------
    #: Are the demand weights an input of the model? (HubMedian derives them from flows.)
    _weights_given: ClassVar[bool] = True
    #: Does the objective add up weighted costs? (Then their sum must not overflow.)
    _sums_costs: ClassVar[bool] = True

    @property
    def maximises(self) -> bool:
        """Whether the model maximises its objective (the coverage models) or minimises it.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import MaxCoverage, PMedian
        >>> C = np.array([[1.0, 2.0], [2.0, 1.0]])
        >>> PMedian.from_cost_matrix(C, p=1).maximises, MaxCoverage.from_cost_matrix(
        ...     C, p=1, radius=1.5).maximises
        (False, True)
        """
        return bool(self._maximise)

    def with_weights(self, weights: Any) -> Any:
        """A copy of the model with other demand weights; everything else is shared.

        The copy is checked as the constructor checks a model (weights, and the model's own
        checks that involve them, such as capacities); the model itself is not changed.

        Parameters
        ----------
        weights : pandas.Series or array-like of shape (n_demand,)
            The new weights, as for :meth:`from_cost_matrix`.

        Returns
        -------
        LocationModel
            A model of the same class, cost and parameters.

        Raises
        ------
        DataError
            Weights of the wrong length or labels, negative or not finite.
        SpecificationError
            The model's weights are not an input (:class:`~borderhub.locate.HubMedian`
            derives them from its flows), or the model's checks fail with these weights.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> model = PMedian.from_cost_matrix(np.array([[0.0, 4.0], [4.0, 0.0]]), [3.0, 1.0], p=1)
        >>> list(model.solve().open), list(model.with_weights([1.0, 3.0]).solve().open)
        ([0], [1])
        """
        if not self._weights_given:
            raise SpecificationError(
                f"{type(self).__name__} derives its weights from its other data; build a new "
                "model from the changed data instead of calling with_weights"
            )
        new = copy.copy(self)
        new.weights = weight_series(weights, self.cost.index)
        for name in ("_C", "_gw", "_w", "_allowed_pos", "_active"):
            new.__dict__.pop(name, None)  # computed again by solve
        new._check()
        return new

    def objective_of(
        self,
        open: Any,
        solver: Any = "highs",
        time_limit: float | None = None,
        mip_gap: float | None = None,
    ) -> float:
        """The objective of the plan that opens exactly the centres ``open``.

        This is how a fixed plan (for instance the nominal one) is priced under other data.
        The model is solved with ``open`` required and every other candidate forbidden;
        models whose objective follows from the open set directly (the p-median) compute
        it without a solver.

        Parameters
        ----------
        open : label or list of labels
            Candidates, as for ``required``.
        solver, time_limit, mip_gap
            As for :meth:`solve`, where a solve is needed.

        Returns
        -------
        float
            The objective; NaN when no solution with exactly these centres exists.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import FacilityLocation
        >>> model = FacilityLocation.from_cost_matrix(
        ...     np.array([[1.0, 5.0], [5.0, 1.0]]), fixed_cost=3.0)
        >>> model.objective_of([0]), model.objective_of([0, 1])
        (9.0, 8.0)
        """
        labels = label_set(open, self.cost.columns, "open")
        fixed = copy.copy(self)
        fixed.required = labels
        fixed.forbidden = self.cost.columns[~self.cost.columns.isin(labels)]
        solution = fixed.solve(solver=solver, time_limit=time_limit, mip_gap=mip_gap)
        return float(solution.objective)

    def resolver(
        self,
        *,
        start: Any = None,
        warm: bool = True,
        solver: Any = "highs",
        time_limit: float | None = None,
        mip_gap: float | None = None,
    ) -> Resolver:
        """An object that solves this model again and again for other demand weights.

        ``resolver.solve(weights)`` solves the model with ``weights`` (one per demand point,
        in the model's order) and returns a :class:`~borderhub.locate.base.Resolved`;
        ``resolver.objective_of(open, weights)`` prices a fixed set of centres under them.
        Where the model has a warm re-solve (:class:`~borderhub.locate.PMedian` with
        ``solver="highs"``: one HiGHS model kept from call to call, only its costs changed,
        re-optimised from the previous basis or solution) and ``warm`` is true, that is
        used; otherwise every call solves a fresh copy (:meth:`with_weights`). Both give
        the same answers; the warm one is many times faster per call.

        Parameters
        ----------
        start : labels, optional
            Open centres of a known good solution (e.g. the model's own), a hint for the
            warm re-solve.
        warm : bool, default True
            False always solves fresh copies.
        solver, time_limit, mip_gap
            As for :meth:`solve`, per call.

        Returns
        -------
        Resolver
            With ``solve(weights)`` and ``objective_of(open, weights)``; ``warm`` tells
            which kind it is.

        Examples
        --------
        >>> import numpy as np
        >>> from borderhub.locate import PMedian
        >>> C = np.array([[0.0, 4.0, 2.0], [4.0, 0.0, 2.0], [3.0, 3.0, 0.0]])
        >>> model = PMedian.from_cost_matrix(C, [1.0, 1.0, 1.0], p=1)
        >>> again = model.resolver(start=model.solve().open)
        >>> got = again.solve(np.array([5.0, 1.0, 1.0]))
        >>> str(got.status), list(got.open), got.objective
        ('optimal', [0], 7.0)
        >>> again.objective_of([2], np.array([5.0, 1.0, 1.0]))
        12.0
        """
        if warm:
            found = self._warm_resolver(start, solver, time_limit, mip_gap)
            if found is not None:
                return found
        return ColdResolver(self, solver, time_limit, mip_gap)

    def _warm_resolver(
        self, start: Any, solver: Any, time_limit: float | None, mip_gap: float | None
    ) -> Resolver | None:
        """The model's warm re-solver for these solve options, or None (override)."""
        return None

    # ------------------------------------------------------------------------------
    # hooks for the model classes
    # ------------------------------------------------------------------------------
    def _cardinality(self) -> int | None:
        """The number of centres that must open (``p``), or None when free."""
        return None

    def _demand_preview(self, labels: Any) -> str:
        """Demand labels for a message, with their names when the demand frame has them."""
        frame = self._demand_geo
        if frame is None or "name" not in getattr(frame, "columns", ()):
            return preview(labels)
        names = frame["name"]
        return preview(
            [f"{k} {names[k]}" if k in names.index and isinstance(names[k], str) else k
             for k in labels]
        )  # fmt: skip

    def _check_model(self) -> None:
        """Model-specific checks made before solving (override)."""

    def _check(self) -> None:
        self._check_policy()
        self._check_model()

    def _solve(self, ctx: Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    def _infeasible_hint(self) -> str:
        return "the model's own constraints together with the policy constraints"

    # ------------------------------------------------------------------------------
    # shared machinery
    # ------------------------------------------------------------------------------
    def _check_policy(self) -> None:
        """Checks of p and the policy constraints that need no solver."""
        allowed = self.cost.columns.difference(self.forbidden, sort=False)
        p = self._cardinality()
        if len(allowed) == 0:
            raise SpecificationError(
                "every candidate is forbidden, so nothing can open; remove some labels from "
                "`forbidden`"
            )
        if p is not None:
            if p > len(allowed):
                raise SpecificationError(
                    f"p={p} is larger than the {len(allowed)} allowed candidates "
                    f"({len(self.cost.columns)} candidates, {len(self.forbidden)} forbidden); "
                    "lower p or forbid fewer candidates"
                )
            if len(self.required) > p:
                raise SpecificationError(
                    f"{len(self.required)} candidates are required but only p={p} may open; "
                    f"raise p to at least {len(self.required)} or require fewer"
                )
        if self.groups is None:
            return
        g = self.groups.reindex(allowed)
        allowed_count = g.value_counts()
        req_count = self.groups.reindex(self.required).value_counts()
        for grp, lo in self.min_per_group.items():
            have = int(allowed_count.get(grp, 0))
            if lo > have:
                raise SpecificationError(
                    f"min_per_group asks for {lo} open centre(s) in group {grp!r}, which has "
                    f"only {have} allowed candidate(s)"
                )
        for grp, hi in self.max_per_group.items():
            need = int(req_count.get(grp, 0))
            if need > hi:
                raise SpecificationError(
                    f"group {grp!r} has {need} required candidates but max_per_group allows "
                    f"{hi}; raise the maximum or require fewer"
                )
            lo = self.min_per_group.get(grp, 0)
            if lo > hi:
                raise SpecificationError(
                    f"group {grp!r}: min_per_group={lo} exceeds max_per_group={hi}"
                )
        if p is not None:
            total_min = sum(
                max(self.min_per_group.get(grp, 0), int(req_count.get(grp, 0)))
                for grp in allowed_count.index
            )
            if total_min > p:
                raise SpecificationError(
                    f"the group minimums (and required centres) need {total_min} open centres "
                    f"but p={p}; raise p or lower min_per_group"
                )
            ungrouped = int(g.isna().sum())
            cap = ungrouped + sum(
                min(int(n), self.max_per_group.get(grp, int(n))) for grp, n in allowed_count.items()
            )
            if cap < p:
                raise SpecificationError(
                    f"max_per_group lets at most {cap} centres open among the allowed "
                    f"candidates but p={p}; raise the maxima or lower p"
                )

    def _prepare(self) -> None:
        """Arrays used by the formulations (computed at solve time)."""
        if self._points is not None:
            from borderhub._checks import check_memory

            est = self._size_estimate()
            check_memory(est["demand"], est["candidates"], pairs=est["pairs"])
            self._gw = np.zeros(len(self.cost.columns))
            self._allowed_pos = np.flatnonzero(~self.cost.columns.isin(self.forbidden))
            self._w = self.weights.to_numpy(dtype=float)
            self._active = np.flatnonzero(self._w > 0)
            return
        C = self.cost.to_numpy(dtype=float)
        if self.gateway_cost is not None and self.gateway_weight:
            self._gw = self.gateway_weight * self.gateway_cost.to_numpy(dtype=float)
        else:
            self._gw = np.zeros(C.shape[1])
        self._C = C + self._gw[None, :]
        allowed = ~self.cost.columns.isin(self.forbidden)
        self._allowed_pos = np.flatnonzero(allowed)
        self._w = self.weights.to_numpy(dtype=float)
        self._active = np.flatnonzero(self._w > 0)
        if self._sums_costs:
            _check_magnitude(self._C, self._w)

    def _open_block(self, b: Builder, name: str = "y") -> np.ndarray:
        """Binary open variables of the allowed candidates, with p and the policy rows."""
        m = len(self._allowed_pos)
        y = b.variables(name, m, 0, 1, binary=True)
        labels = self.cost.columns[self._allowed_pos]
        for k in np.flatnonzero(labels.isin(self.required)):
            y[k].lowBound = 1
        p = self._cardinality()
        if p is not None:
            b.rows("card", np.zeros(m, dtype=np.int64), y, 1.0, EQ, float(p), 1)
        else:  # a free number of centres is still at least one
            b.rows("card", np.zeros(m, dtype=np.int64), y, 1.0, GE, 1.0, 1)
        if self.groups is not None:
            grp = self.groups.reindex(labels)
            for bound, sense, tag in (
                (self.min_per_group, GE, "gmin"),
                (self.max_per_group, LE, "gmax"),
            ):
                if not bound:
                    continue
                keys = list(bound)
                code = pd.Index(keys).get_indexer(grp)
                sel = np.flatnonzero(code >= 0)
                if sel.size == 0:
                    continue
                present, row = np.unique(code[sel], return_inverse=True)
                rhs = np.array([bound[keys[c]] for c in present], dtype=float)
                b.rows(tag, row, y[sel], 1.0, sense, rhs, len(present))
        return y

    def _diagnose_infeasible(self, ctx: Context) -> str:
        """Solve the policy constraints alone to tell which family is at fault."""
        b = PulpBuilder("policy_check")
        with ctx.building():
            self._open_block(b)
        run = ctx.run(b)
        if run.status == Status.INFEASIBLE:
            return (
                "the policy constraints alone (p, required, forbidden, min/max_per_group) "
                "admit no choice of centres"
            )
        return (
            "the policy constraints can be met on their own, so the conflict is with "
            + self._infeasible_hint()
        )

    def _empty_assignment(self) -> pd.DataFrame:
        cols = {"facility": pd.Series([], dtype=object), "cost": [], "gateway": [], "weight": []}
        out = pd.DataFrame(cols)
        out.index = pd.Index([], name="demand", dtype=self.cost.index.dtype)
        return out

    def _assign_nearest(self, out: Outcome) -> pd.DataFrame:
        """Each demand point to its cheapest open centre (by effective cost)."""
        pos = np.sort(np.asarray(out.open_pos, dtype=np.int64))
        if self._points is not None:
            fac, cost = self._points.nearest(pos)
            return self._assignment_frame(fac, cost=cost)
        sub = self._C[:, pos]
        k = sub.argmin(axis=1)
        fac = pos[k]
        return self._assignment_frame(fac)

    def _assignment_frame(
        self, fac: np.ndarray, weight: np.ndarray | None = None, cost: np.ndarray | None = None
    ) -> pd.DataFrame:
        if cost is None:
            cost = self.cost.to_numpy(dtype=float)[np.arange(len(fac)), fac]
        df = pd.DataFrame(
            {
                "facility": self.cost.columns[fac],
                "cost": cost,
                "gateway": self._gw[fac],
                "weight": self._w if weight is None else weight,
            },
            index=self.cost.index.copy(),
        )
        df.index.name = "demand"
        return df

    def _open_positions(self, y: np.ndarray) -> np.ndarray:
        """Positions (in the full candidate list) of the open centres from y's values."""
        return self._allowed_pos[values(y) > 0.5]


def _check_magnitude(C: np.ndarray, w: np.ndarray) -> None:
    """Refuse costs whose weighted sum overflows: no solver can add them up."""
    with np.errstate(over="ignore", invalid="ignore"):
        worst = float(np.sum(w * C.max(axis=1)))  # the dearest assignment's objective
    if math.isfinite(worst):
        return
    raise DataError(
        f"the costs are too large to add up: the largest is {float(C.max()):.3g}, and the "
        "weighted total of the dearest assignment overflows floating point (above "
        "1.8e308), so no solver can compare plans; give the costs in larger units (e.g. "
        "thousands of km), and mark a pair to avoid with a moderate cost such as 1e9 or "
        "leave the candidate out (forbidden=...)"
    )
