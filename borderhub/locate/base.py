"""The shared base of every location model: data checks, policy constraints, solving.

:class:`LocationModel` owns everything the models have in common -- turning a cost matrix
or two GeoDataFrames into labelled numeric data, the policy constraints (``required``,
``forbidden``, ``groups`` with ``min_per_group`` / ``max_per_group``), the gateway cost term,
the checks made before solving, the solver call and the :class:`Solution`. A model class
only states its parameters and its formulation (``_solve``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, InfeasibleError, SpecificationError
from borderhub.locate._milp import EQ, GE, LE, _Builder, _Context, rel_gap, values
from borderhub.locate.solution import Solution, Status

__all__ = ["LocationModel"]


@dataclass
class _Outcome:
    """What a model's ``_solve`` found (positions refer to the full candidate list)."""

    status: Status
    open_pos: np.ndarray | None = None
    objective: float = math.nan
    bound: float = math.nan
    message: str = ""
    assignment: pd.DataFrame | None = None


def _preview(labels: Any, k: int = 10) -> str:
    labels = list(labels)
    more = f" ... ({len(labels)} in all)" if len(labels) > k else ""
    return f"{labels[:k]}{more}"


def check_count(value: Any, name: str, minimum: int = 1) -> int:
    """An integer parameter (not bool) at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise SpecificationError(f"{name} must be an integer, got {value!r}; pass an int")
    if value < minimum:
        raise SpecificationError(
            f"{name} must be at least {minimum}, got {value}; raise it to {minimum} or more"
        )
    return int(value)


def check_positive(value: Any, name: str, allow_zero: bool = False) -> float:
    """A finite real parameter, > 0 (or >= 0)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpecificationError(f"{name} must be a number, got {value!r}; pass a float")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        need = "non-negative" if allow_zero else "positive"
        raise SpecificationError(
            f"{name} must be a finite {need} number, got {value!r}; pass a {need} float"
        )
    return v


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
        self.cost = _cost_frame(cost)
        self.weights = _weights(weights, self.cost.index)
        cand = self.cost.columns
        self.required = _label_set(required, cand, "required")
        self.forbidden = _label_set(forbidden, cand, "forbidden")
        both = self.required.intersection(self.forbidden)
        if len(both):
            raise SpecificationError(
                f"candidates {_preview(both)} are both required and forbidden; drop them from "
                "one of the two lists"
            )
        self.groups, self.min_per_group, self.max_per_group = _groups(
            groups, min_per_group, max_per_group, cand
        )
        self.gateway_cost = _gateway(gateway_cost, cand)
        self.gateway_weight = check_positive(gateway_weight, "gateway_weight", allow_zero=True)
        # set before __init__ by from_geodataframe, so that messages can name the places
        self._demand_geo: Any = self.__dict__.get("_demand_geo")
        self._candidate_geo: Any = self.__dict__.get("_candidate_geo")

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
        cost = _cost_from_frames(demand, candidates, distance)
        weights = _weight_from_frame(demand, weight)
        model = cls.__new__(cls)
        model._demand_geo = demand
        model._candidate_geo = candidates
        model.__init__(cost, weights, **params)  # type: ignore[misc]
        return model

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
        ctx = _Context(solver, time_limit, mip_gap, msg)
        with ctx.building():
            self._prepare()
        out = self._solve(ctx)
        message = out.message
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
            _demand_geo=self._demand_geo,
            _candidate_geo=self._candidate_geo,
        )

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
            return _preview(labels)
        names = frame["name"]
        return _preview(
            [f"{k} {names[k]}" if k in names.index and isinstance(names[k], str) else k
             for k in labels]
        )  # fmt: skip

    def _check_model(self) -> None:
        """Model-specific checks made before solving (override)."""

    def _check(self) -> None:
        self._check_policy()
        self._check_model()

    def _solve(self, ctx: _Context) -> _Outcome:  # pragma: no cover - abstract
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

    def _open_block(self, b: _Builder, name: str = "y") -> np.ndarray:
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

    def _diagnose_infeasible(self, ctx: _Context) -> str:
        """Solve the policy constraints alone to tell which family is at fault."""
        b = _Builder("policy_check")
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

    def _assign_nearest(self, out: _Outcome) -> pd.DataFrame:
        """Each demand point to its cheapest open centre (by effective cost)."""
        pos = np.sort(np.asarray(out.open_pos, dtype=np.int64))
        sub = self._C[:, pos]
        k = sub.argmin(axis=1)
        fac = pos[k]
        return self._assignment_frame(fac)

    def _assignment_frame(self, fac: np.ndarray, weight: np.ndarray | None = None) -> pd.DataFrame:
        raw = self.cost.to_numpy(dtype=float)
        r = np.arange(len(fac))
        df = pd.DataFrame(
            {
                "facility": self.cost.columns[fac],
                "cost": raw[r, fac],
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


# ----------------------------------------------------------------------------------------
# input normalisation
# ----------------------------------------------------------------------------------------


def as_float(obj: pd.DataFrame | pd.Series) -> np.ndarray:
    """Float values of a frame/Series; NA, None and non-numbers become NaN (flagged later)."""
    if isinstance(obj, pd.DataFrame):
        if not all(pd.api.types.is_numeric_dtype(t) for t in obj.dtypes):
            obj = obj.apply(pd.to_numeric, errors="coerce")
        return obj.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(obj, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _cost_frame(cost: Any) -> pd.DataFrame:
    if isinstance(cost, pd.DataFrame):
        df = cost.copy()
    else:
        try:
            arr = np.array(cost, dtype=float)  # copies
        except (TypeError, ValueError) as err:
            raise DataError(
                f"cost must be a numeric 2-D array or DataFrame ({err}); pass numbers only"
            ) from err
        if arr.ndim != 2:
            raise DataError(
                f"cost must be 2-D (demand x candidate), got shape {arr.shape}; pass a matrix "
                "with one row per demand point and one column per candidate"
            )
        df = pd.DataFrame(arr)
    if df.shape[0] == 0 or df.shape[1] == 0:
        raise DataError(
            f"cost has no demand points or no candidates (shape {df.shape}); pass at least "
            "one row (demand point) and one column (candidate)"
        )
    for axis, labels in (("demand (index)", df.index), ("candidate (columns)", df.columns)):
        if labels.has_duplicates:
            dup = labels[labels.duplicated()].unique()
            raise DataError(
                f"cost has duplicate {axis} labels {_preview(dup)}; make them unique (drop or "
                "merge the duplicates)"
            )
    values_ = as_float(df)
    bad = ~np.isfinite(values_)
    if bad.any():
        i, j = np.nonzero(bad)
        cells = [
            (df.index[a], df.columns[b], df.iat[a, b]) for a, b in zip(i[:5], j[:5], strict=True)
        ]
        raise DataError(
            f"cost has {int(bad.sum())} NaN, missing, non-numeric or infinite value(s), e.g. "
            f"(demand, candidate, value) {cells}; fill them with numbers (a large finite cost "
            "marks a pair to avoid)"
        )
    neg = values_ < 0
    if neg.any():
        i, j = np.nonzero(neg)
        pairs = list(zip(df.index[i[:5]], df.columns[j[:5]], strict=True))
        raise DataError(
            f"cost has {int(neg.sum())} negative value(s), e.g. at (demand, candidate) {pairs}; "
            "costs must be >= 0: fix the data or shift it (a constant shift leaves the "
            "p-median choice unchanged)"
        )
    return pd.DataFrame(values_, index=df.index.copy(), columns=df.columns.copy())


def _weights(weights: Any, index: pd.Index) -> pd.Series:
    n = len(index)
    if weights is None:
        return pd.Series(np.ones(n), index=index.copy(), name="weight")
    if isinstance(weights, pd.Series):
        missing = index.difference(weights.index)
        extra = weights.index.difference(index)
        if len(missing) or len(extra) or weights.index.has_duplicates:
            raise DataError(
                "weights must be indexed by exactly the demand labels; missing "
                f"{_preview(missing)}, unknown {_preview(extra)}"
            )
        arr = as_float(weights.reindex(index))
    else:
        try:
            arr = np.array(weights, dtype=float).reshape(-1)
        except (TypeError, ValueError) as err:
            raise DataError(f"weights must be numeric ({err}); pass numbers only") from err
        if arr.shape[0] != n:
            raise DataError(
                f"weights has length {arr.shape[0]} but there are {n} demand points (rows of "
                "cost); pass one weight per demand point, or a Series indexed by the demand labels"
            )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raw = weights.reindex(index) if isinstance(weights, pd.Series) else list(weights)
        shown = {index[k]: (raw.iloc[k] if isinstance(raw, pd.Series) else raw[k])
                 for k in np.flatnonzero(bad)[:10]}  # fmt: skip
        raise DataError(
            f"weights must be finite, non-negative numbers; bad values (demand: value) {shown}; "
            "fix or drop those demand points"
        )
    return pd.Series(arr.copy(), index=index.copy(), name="weight")


def _label_set(value: Any, universe: pd.Index, name: str) -> pd.Index:
    if value is None:
        return universe[:0]
    if isinstance(value, pd.Series) and value.dtype == bool:
        value = value.index[value.to_numpy()]
    elif isinstance(value, str | bytes) or not pd.api.types.is_list_like(value):
        value = [value]
    idx = pd.Index(list(value), dtype=object).unique()
    known = universe.astype(object)
    unknown = idx.difference(known)
    if len(unknown):
        raise SpecificationError(
            f"{name} names {_preview(unknown)}, which are not candidates (candidate labels "
            f"look like {_preview(universe, 5)}); check spelling and label type"
        )
    return universe[universe.isin(idx)]


def _per_group(value: Any, groups: pd.Index, name: str) -> dict[Any, int]:
    if value is None:
        return {}
    if isinstance(value, Mapping | pd.Series):
        items = dict(value.items())
        unknown = [g for g in items if g not in set(groups)]
        if unknown:
            raise SpecificationError(
                f"{name} names groups {_preview(unknown)} that no candidate belongs to; "
                f"groups are {_preview(groups)}"
            )
        return {g: check_count(v, f"{name}[{g!r}]", 0) for g, v in items.items()}
    v = check_count(value, name, 0)
    return {g: v for g in groups}


def _groups(
    groups: Any, lo: Any, hi: Any, cand: pd.Index
) -> tuple[pd.Series | None, dict[Any, int], dict[Any, int]]:
    if groups is None:
        if lo is not None or hi is not None:
            raise SpecificationError(
                "min_per_group / max_per_group need `groups=`; pass a Series candidate -> group"
            )
        return None, {}, {}
    if not isinstance(groups, pd.Series):
        raise SpecificationError(
            f"groups must be a pandas Series mapping candidate label to group, got "
            f"{type(groups).__name__}"
        )
    if groups.index.has_duplicates:
        dup = groups.index[groups.index.duplicated()].unique()
        raise SpecificationError(
            f"groups has duplicate candidate labels {_preview(dup)}; give one group per candidate"
        )
    unknown = groups.index.difference(cand)
    if len(unknown):
        raise SpecificationError(
            f"groups names {_preview(unknown)}, which are not candidates; index it by the "
            "candidate labels"
        )
    unhashable = [(k, v) for k, v in groups.items() if not isinstance(v, Hashable)]
    if unhashable:
        raise SpecificationError(
            f"groups must map each candidate to one hashable group name; candidates "
            f"{_preview([k for k, _ in unhashable])} map to "
            f"{_preview([v for _, v in unhashable])}; "
            "pass a Series of strings"
        )
    g = groups.reindex(cand).copy()
    names = pd.Index(g.dropna().unique())
    return g, _per_group(lo, names, "min_per_group"), _per_group(hi, names, "max_per_group")


def _gateway(value: Any, cand: pd.Index) -> pd.Series | None:
    if value is None:
        return None
    if isinstance(value, pd.Series):
        missing = cand.difference(value.index)
        if len(missing):
            raise DataError(
                f"gateway_cost lacks candidates {_preview(missing)}; give a value for every "
                "candidate"
            )
        arr = as_float(value.reindex(cand))
    else:
        try:
            arr = np.array(value, dtype=float).reshape(-1)
        except (TypeError, ValueError) as err:
            raise DataError(
                f"gateway_cost must be numeric, got {value!r}; pass one number per candidate"
            ) from err
        if arr.shape[0] != len(cand):
            raise DataError(
                f"gateway_cost has length {arr.shape[0]} but there are {len(cand)} candidates"
            )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise DataError(
            f"gateway_cost must be finite and non-negative; bad for {_preview(cand[bad])}"
        )
    return pd.Series(arr.copy(), index=cand.copy(), name="gateway_cost")


def _cost_from_frames(demand: Any, candidates: Any, distance: Any) -> pd.DataFrame:
    """One place where GeoDataFrames become a cost matrix, for every model."""
    for role, frame in (("demand", demand), ("candidates", candidates)):
        if not isinstance(frame, pd.DataFrame | pd.Series):
            raise DataError(
                f"{role} must be a GeoDataFrame, got {type(frame).__name__}; convert it with "
                "geopandas.GeoDataFrame(..., geometry=..., crs=...)"
            )
        if frame.index.has_duplicates:
            dup = frame.index[frame.index.duplicated()].unique()
            raise DataError(
                f"{role} has duplicate labels {_preview(dup)}; make the index unique (drop or "
                "merge the duplicates)"
            )
    if isinstance(distance, pd.DataFrame):
        miss_d = demand.index.difference(distance.index)
        miss_c = candidates.index.difference(distance.columns)
        if len(miss_d) or len(miss_c):
            raise DataError(
                "the distance DataFrame must have every demand label in its index and every "
                f"candidate label in its columns; missing demand {_preview(miss_d)}, "
                f"candidates {_preview(miss_c)}"
            )
        return distance.loc[demand.index, candidates.index].copy()
    if not isinstance(distance, str):
        raise SpecificationError(
            f"distance must be 'geodesic', 'euclidean' or a DataFrame, got {distance!r}"
        )
    from borderhub.geo import distance_matrix

    return distance_matrix(demand, candidates, method=distance)


def _weight_from_frame(demand: Any, weight: Any) -> Any:
    if weight is None:
        return None
    if isinstance(weight, str):
        if weight not in demand.columns:
            raise DataError(
                f"demand has no column {weight!r}; use one of {list(demand.columns)} or pass "
                "a Series"
            )
        return demand[weight]
    if isinstance(weight, pd.Series):
        return weight
    raise SpecificationError(
        f"weight must be a column name or a Series, got {type(weight).__name__}"
    )
