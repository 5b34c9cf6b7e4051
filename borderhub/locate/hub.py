"""The single-allocation p-hub median model (O'Kelly 1987): :class:`HubMedian`."""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate._core import (
    EQ,
    LE,
    Context,
    Outcome,
    Policy,
    PulpBuilder,
    as_float,
    check_count,
    check_positive,
    choose_method,
    cost_frame,
    cost_from_frames,
    heuristic,
    outcome_of,
    preview,
    rel_gap,
    unit_scale,
    values,
)
from borderhub.locate._hub import Enumeration, HubData, allocation_milp, local_search, n_sets
from borderhub.locate.base import LocationModel
from borderhub.locate.solution import OPTIMAL_GAP, Status

__all__ = ["HubMedian"]

_METHODS = ("auto", "enumerate", "flow")
#: ``method='auto'`` enumerates hub sets up to this many (before bounding) ...
_AUTO_MAX_SETS = 10_000_000_000
#: Share of the time limit (and at most this many seconds) for the heuristic start.
_HEURISTIC_SHARE = 0.25
_HEURISTIC_SECONDS = 20.0


class HubMedian(LocationModel):
    r"""Choose ``p`` hubs and allocate every node to one hub, minimising total flow cost.

    Every unit of flow from ``i`` to ``j`` travels ``i -> h(i) -> h(j) -> j``: collection
    at ``collection * c[i, h(i)]``, the inter-hub leg at the discounted cost
    ``alpha * c[h(i), h(j)]`` and distribution at ``distribution * c[h(j), j]`` (O'Kelly
    1987; the factors chi, alpha, delta of Ernst & Krishnamoorthy 1996, who use 3, 0.75 and
    2 on the Australia Post data). Hubs are allocated to themselves. Flow between two nodes
    on the same hub ``k`` pays ``alpha * c[k, k]`` (a handling cost at the hub, when the
    cost matrix has a non-zero diagonal); every method prices it alike.

    Two exact methods (``method=``):

    - ``"enumerate"`` -- bounded enumeration of hub sets: a hub-interchange heuristic with
      re-allocation gives the incumbent; a depth-first search over hub sets drops partial
      sets by separable (supermodular) lower bounds; the surviving sets are bounded by their
      cost with one side single-allocated and the other multiple-allocated; the single
      allocation of the few sets still below the incumbent is solved exactly by a small MILP
      (the flow model below with the hubs fixed) in HiGHS. Exact and fast for small ``p``
      (every Australia Post optimum up to 50 nodes and p = 5 in seconds); the search grows
      quickly with ``p``. Needs HiGHS.
    - ``"flow"`` -- the flow-based formulation of Ernst & Krishnamoorthy (1996), O(n^3)
      variables instead of the O(n^4) of path formulations, through PuLP (any solver)::

        min  sum_ik c_ik (chi O_i + delta D_i) z_ik + alpha * sum_i sum_{k != l} c_kl Y^i_kl
             + alpha * sum_i sum_k c_kk (O_i z_ik - sum_{l != k} Y^i_kl)
        s.t. sum_k z_ik = 1                   for each node i
             z_ik <= z_kk                     for each node i and hub candidate k
             sum_k z_kk = p
             sum_l Y^i_kl - sum_l Y^i_lk = O_i z_ik - sum_j W_ij z_jk   for each i, k
             z_ik in {0, 1},  Y^i_kl >= 0

    ``"auto"`` (default) enumerates with HiGHS when the hub sets number at most 10^10 before
    bounding, and uses the flow model otherwise. With ``O_i = sum_j W_ij``,
    ``D_i = sum_j W_ji`` and ``z_kk`` the open variable of hub ``k`` (policy constraints act
    on it). The gateway term adds ``gateway_weight * gateway_cost[k] * (O_i + D_i)`` to
    allocating ``i`` to ``k``. The second line of the objective is the flow that stays at
    its origin's hub (zero with a zero diagonal). Every transfer takes the direct
    hub-to-hub leg: with costs that break the triangle inequality, or a non-zero diagonal,
    the flow model gets the rows ``sum_l Y^i_kl <= O_i z_ik``, which forbid detours. A
    run stopped by a time limit returns the best allocation known -- at least the
    heuristic's -- as ``feasible`` with its bound, never an empty result.

    Parameters
    ----------
    cost : pandas.DataFrame or array-like of shape (n, n)
        Symmetric node-to-node cost; index and columns hold the same labels.
    weights : None
        Not used (the flows define the weights); must be None.
    flows : pandas.DataFrame or array-like of shape (n, n)
        Origin-destination flows ``W[i, j]`` (non-negative), labelled like ``cost``.
    p : int
        Number of hubs.
    alpha : float, default 0.75
        Discount on inter-hub transport, in [0, 1].
    collection, distribution : float, default 1.0
        Cost factors ``chi`` and ``delta`` of the collection (node to hub) and distribution
        (hub to node) legs, non-negative; an express network's pickup and delivery legs
        cost more per unit than its trunk.
    method : {"auto", "enumerate", "flow"}, default "auto"
        The exact method (see above); ``"enumerate"`` needs HiGHS (``solver="highs"``).
    **policy
        See :class:`~borderhub.locate.LocationModel`; ``forbidden`` nodes cannot be hubs.

    Notes
    -----
    ``Solution.assignment`` gives each node's hub (``facility``), the node-hub cost and
    ``weight = O_i + D_i``; ``Solution.objective`` is the total flow cost above.

    Examples
    --------
    >>> import numpy as np
    >>> from borderhub.locate import HubMedian
    >>> xy = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]])
    >>> cost = np.abs(xy[:, None, 0] - xy[None, :, 0])
    >>> flows = np.ones((4, 4)) - np.eye(4)
    >>> sol = HubMedian.from_cost_matrix(cost, flows=flows, p=2, alpha=0.5).solve()
    >>> sorted(sol.assignment["facility"].groupby(sol.assignment["facility"]).size())
    [2, 2]

    With the Australia Post factors (collection 3, inter-hub 0.75, distribution 2), hubs
    at 1 and 2 cost ``3 * 6 + 2 * 6`` on the legs of the two outer nodes (3 units out and
    3 in each, 1 km from their hub) plus ``0.75 * 9 * 8`` for the eight crossing flows:

    >>> HubMedian.from_cost_matrix(cost, flows=flows, p=2, alpha=0.75, collection=3,
    ...                            distribution=2).solve().objective
    84.0
    """

    def __init__(
        self,
        cost: Any,
        weights: Any = None,
        *,
        flows: Any,
        p: int,
        alpha: float = 0.75,
        collection: float = 1.0,
        distribution: float = 1.0,
        method: str = "auto",
        **policy: Any,
    ) -> None:
        if weights is not None:
            raise SpecificationError(
                "HubMedian takes `flows=`, not weights; pass weights=None and the OD flows"
            )
        cf = cost_frame(cost)
        if not cf.index.equals(cf.columns):
            raise DataError(
                f"HubMedian needs a square node x node cost with the same labels on both axes; "
                f"got shape {cf.shape}, rows {preview(cf.index, 5)}, columns "
                f"{preview(cf.columns, 5)}; pass the node-to-node matrix"
            )
        arr = cf.to_numpy()
        if not np.allclose(arr, arr.T, rtol=1e-9, atol=1e-9):
            i, j = (int(x) for x in np.unravel_index(np.argmax(np.abs(arr - arr.T)), arr.shape))
            a, b_ = cf.index[i], cf.columns[j]
            raise DataError(
                f"HubMedian needs a symmetric cost matrix; cost[{a!r}, {b_!r}] = {arr[i, j]:g} "
                f"but cost[{b_!r}, {a!r}] = {arr[j, i]:g}; symmetrise it, e.g. "
                "(cost + cost.T) / 2"
            )
        self.flows = _flows(flows, cf.index)
        W = self.flows.to_numpy()
        od = pd.Series(W.sum(axis=1) + W.sum(axis=0), index=cf.index.copy())
        super().__init__(cf, od, **policy)
        self.p = check_count(p, "p")
        self.alpha = check_positive(alpha, "alpha", allow_zero=True)
        if self.alpha > 1:
            raise SpecificationError(f"alpha must be in [0, 1], got {alpha!r}; pass e.g. 0.75")
        self.collection = check_positive(collection, "collection", allow_zero=True)
        self.distribution = check_positive(distribution, "distribution", allow_zero=True)
        if method not in _METHODS:
            raise SpecificationError(
                f"method must be one of {list(_METHODS)}, got {method!r}; use 'auto' to let "
                "borderhub choose"
            )
        self.method = method
        self._check()

    @classmethod
    def from_geodataframe(
        cls,
        demand: Any,
        candidates: Any = None,
        weight: Any = None,
        distance: str | pd.DataFrame = "geodesic",
        **params: Any,
    ) -> Any:
        """Build the model from a GeoDataFrame of nodes.

        Parameters
        ----------
        demand : geopandas.GeoDataFrame
            The network's nodes (points with a CRS), indexed by label.
        candidates : geopandas.GeoDataFrame, optional
            The nodes that may become hubs (a subset of ``demand`` by label); default all.
        weight : None
            Not used (``flows=`` defines the weights).
        distance : {"geodesic", "euclidean"} or pandas.DataFrame, default "geodesic"
            How node-to-node costs are obtained (see
            :meth:`LocationModel.from_geodataframe`).
        **params
            ``flows``, ``p``, ``alpha`` and the policy parameters.

        Returns
        -------
        HubMedian
            The model.

        Examples
        --------
        >>> import geopandas as gpd, numpy as np
        >>> from borderhub.locate import HubMedian
        >>> pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([100, 101, 110], [30, 30, 30]),
        ...                        index=["a", "b", "c"], crs="EPSG:4326")
        >>> m = HubMedian.from_geodataframe(pts, flows=np.ones((3, 3)), p=1)
        >>> list(m.solve().open)
        ['b']
        """
        if weight is not None:
            raise SpecificationError(
                "HubMedian takes `flows=`, not a weight column; pass weight=None and flows="
            )
        cost = cost_from_frames(demand, demand, distance)
        cost = (cost + cost.T) / 2.0  # exact symmetry for geodesic round-off
        if candidates is not None:
            extra = candidates.index.difference(demand.index)
            if len(extra):
                raise DataError(
                    f"hub candidates {preview(extra)} are not among the nodes; pass a subset "
                    "of the node GeoDataFrame"
                )
            not_hub = demand.index.difference(candidates.index)
            forbidden = list(params.pop("forbidden", None) or [])
            params["forbidden"] = list(dict.fromkeys(forbidden + list(not_hub)))
        model = cls(cost, None, **params)
        model._demand_geo = demand
        model._candidate_geo = demand
        return model

    #: The weights are the flows' node totals, not an input (``with_weights`` refuses).
    _weights_given = False

    def _cardinality(self) -> int:
        return self.p

    def _solve(self, ctx: Context) -> Outcome:
        """Solve on costs and flows scaled by powers of two, then scale the answer back.

        The scaling (:func:`~borderhub.locate._core.highs.unit_scale`, exact) keeps the
        absolute tolerances of HiGHS meaningful whatever units the data are in: the flow
        rows carry the flows as coefficients.
        """
        c, W = self.cost.to_numpy(dtype=float), self.flows.to_numpy(dtype=float)
        a, b = unit_scale(c), unit_scale(W)
        data = HubData(c * a, W * b, self.alpha, self.collection, self.distribution,
                       self._gw * a)  # fmt: skip
        out = self._solve_scaled(data, ctx)
        out.objective /= a * b
        out.bound /= a * b
        return out

    def _solve_scaled(self, data: HubData, ctx: Context) -> Outcome:
        method = self._method(ctx)
        with ctx.building():
            start = self._start(data, ctx)
        if start is not None and method == "enumerate":
            return self._enumerate(data, start, ctx)
        out = self._solve_flow(data, ctx)
        if start is None:
            return out
        hubs, alloc, value = start
        if out.status == Status.NOT_SOLVED or (
            out.status == Status.FEASIBLE and value < out.objective
        ):
            # stopped before a solution, or with a worse one: the heuristic start
            out = Outcome(Status.FEASIBLE, hubs, value, out.bound)
            out.assignment = self._assignment_frame(alloc)
        return out

    def _method(self, ctx: Context) -> str:
        """'enumerate' needs HiGHS; 'auto' takes it when the hub sets are few enough."""
        free = len(self._allowed_pos) - len(self.required)
        return choose_method(
            self.method, ctx.solver_spec, "enumerate", "flow",
            lambda: n_sets(free, self.p - len(self.required)) <= _AUTO_MAX_SETS,
        )  # fmt: skip

    def _policy(self) -> tuple[np.ndarray, np.ndarray, Any, Any]:
        """(required positions, free positions, set check, block check) of the policy."""
        H = self._allowed_pos
        labels = self.cost.columns[H]
        req_mask = np.asarray(labels.isin(self.required))
        required, free = H[req_mask], H[~req_mask]

        def has_required(hubs: np.ndarray) -> bool:
            return bool(np.isin(required, hubs).all())

        if self.groups is None:
            return required, free, has_required, None
        n = self.cost.shape[0]
        grp = self.groups.reindex(labels)
        names = pd.Index(grp.dropna().unique())
        code = np.full(n, -1, dtype=np.int64)
        code[H] = names.get_indexer(grp)
        big = n + 1
        lo = np.array([self.min_per_group.get(g, 0) for g in names], dtype=np.int64)
        hi = np.array([self.max_per_group.get(g, big) for g in names], dtype=np.int64)

        def block_ok(sets: np.ndarray) -> np.ndarray:
            if not len(names):
                return np.ones(len(sets), dtype=bool)
            c = code[sets]
            counts = np.stack([(c == g).sum(axis=1) for g in range(len(names))], axis=1)
            return np.all((counts >= lo) & (counts <= hi), axis=1)

        def feasible(hubs: np.ndarray) -> bool:
            return has_required(hubs) and bool(block_ok(np.asarray(hubs)[None, :])[0])

        return required, free, feasible, block_ok

    def _start(self, data: HubData, ctx: Context) -> tuple[np.ndarray, np.ndarray, float] | None:
        """A greedy hub set improved by hub interchange with re-allocation (or None)."""
        H = self._allowed_pos
        w = self.collection * data.O + self.distribution * data.D + 1e-12
        sel = heuristic(self._C[:, H], w, self.p, Policy(self, H))
        if sel is None:
            return None
        _, _, feasible, _ = self._policy()
        rem = ctx.remaining()
        budget = (
            _HEURISTIC_SECONDS if rem is None else min(_HEURISTIC_SECONDS, _HEURISTIC_SHARE * rem)
        )
        hubs, alloc, value = local_search(
            data, self.p, H[sel], feasible, H, time.perf_counter() + budget
        )
        return hubs, alloc, value

    def _enumerate(
        self, data: HubData, start: tuple[np.ndarray, np.ndarray, float], ctx: Context
    ) -> Outcome:
        """Bounded enumeration of the hub sets (exact for small p)."""
        required, free, _, block_ok = self._policy()
        hubs, alloc, value = start
        with ctx.building():
            en = Enumeration(data, self.p, required, free, block_ok)
        hubs, alloc, value, bound, proven = en.run(
            value,
            (hubs, alloc),
            ctx,
            lambda S, a0, ub: allocation_milp(data, S, a0, ub, ctx),
        )
        self._enumeration_stats = en.stats
        if proven and not rel_gap(value, bound) <= OPTIMAL_GAP:  # pragma: no cover - guard
            proven = False
        status = Status.OPTIMAL if proven else Status.FEASIBLE
        out = Outcome(status, np.sort(hubs), value, bound)
        out.assignment = self._assignment_frame(alloc)
        return out

    def _solve_flow(self, data: HubData, ctx: Context) -> Outcome:
        """The Ernst & Krishnamoorthy (1996) flow model, solved through PuLP.

        Its coefficients come from ``data`` (:meth:`HubData.flow_costs`), the objective
        the enumeration's allocation model is built from too.
        """
        with ctx.building():
            n = self.cost.shape[0]
            H = self._allowed_pos
            h = len(H)
            W = data.W
            out_flow = data.O
            alloc_cost, kk, ll, transfer = data.flow_costs(H)
            b = PulpBuilder("HubMedian")
            y = self._open_block(b)
            # z[i, k] = node i allocated to hub candidate k; z[H[k], k] is y[k]
            zmat = np.empty((n, h), dtype=object)
            diag = np.zeros((n, h), dtype=bool)
            diag[H, np.arange(h)] = True
            zmat[diag] = y
            zmat[~diag] = b.variables("z", int((~diag).sum()), 0.0, 1.0, binary=True)
            b.objective(zmat.ravel(), alloc_cost.ravel())
            b.rows("alloc", np.repeat(np.arange(n), h), zmat.ravel(), 1.0, EQ, 1.0, n)
            oi, ok = np.nonzero(~diag)
            r = np.arange(len(oi))
            b.rows(
                "link",
                np.concatenate([r, r]),
                np.concatenate([zmat[oi, ok], y[ok]]),
                np.concatenate([np.ones(len(r)), -np.ones(len(r))]),
                LE,
                0.0,
                len(r),
            )
            # inter-hub flow variables for every origin with outgoing flow
            origins = np.flatnonzero(out_flow > 0)
            no, npair = len(origins), len(kk)
            Y = b.variables("Y", no * npair, 0.0, None)
            b.objective(Y, np.tile(transfer, no))
            io = np.repeat(np.arange(no), npair)
            rows_out = io * h + np.tile(kk, no)
            rows_in = io * h + np.tile(ll, no)
            # - O_i z_ik + sum_j W_ij z_jk  (the j = i term merged into one coefficient)
            zi = np.repeat(np.arange(no), n * h)  # origin index
            zj = np.tile(np.repeat(np.arange(n), h), no)  # node j
            zk = np.tile(np.arange(h), no * n)  # hub k
            coef = W[origins[zi], zj] - np.where(zj == origins[zi], out_flow[origins[zi]], 0.0)
            keep = coef != 0
            b.rows(
                "flow",
                np.concatenate([rows_out, rows_in, (zi * h + zk)[keep]]),
                np.concatenate([Y, Y, zmat[zj[keep], zk[keep]]]),
                np.concatenate([np.ones(len(Y)), -np.ones(len(Y)), coef[keep]]),
                EQ,
                0.0,
                no * h,
            )
            if data.direct_only(H):
                # costs without the triangle inequality, or a priced diagonal: flow of
                # origin i leaves only its own hub (sum_l Y^i_kl <= O_i z_ik), so no
                # transfer takes a cheaper detour through a third hub and the model prices
                # the direct route it reports
                b.rows(
                    "direct",
                    np.concatenate([io * h + np.tile(kk, no), np.arange(no * h)]),
                    np.concatenate([Y, zmat[np.repeat(origins, h), np.tile(np.arange(h), no)]]),
                    np.concatenate([np.ones(len(Y)), -np.repeat(out_flow[origins], h)]),
                    LE,
                    0.0,
                    no * h,
                )
        run = ctx.run(b)
        if not run.has_solution:
            return outcome_of(run, None, math.nan)
        zv = np.nan_to_num(values(zmat.ravel())).reshape(n, h)
        hub_local = zv.argmax(axis=1)
        sel = np.flatnonzero(values(y) > 0.5)
        alloc = H[hub_local]
        objective = data.total(alloc)
        out = outcome_of(run, H[sel], objective)
        out.assignment = self._assignment_frame(alloc)
        return out


def _flows(flows: Any, labels: pd.Index) -> pd.DataFrame:
    if isinstance(flows, pd.DataFrame):
        extra = flows.index.union(flows.columns).difference(labels)
        missing = labels.difference(flows.index).union(labels.difference(flows.columns))
        if len(extra) or len(missing):
            raise DataError(
                "flows must be labelled by the same nodes as cost on both axes; unknown "
                f"{preview(extra)}, missing {preview(missing)}; reindex flows by the nodes"
            )
        f = flows.loc[labels, labels]
    else:
        try:
            arr = np.array(flows, dtype=float)
        except (TypeError, ValueError) as err:
            raise DataError(f"flows must be numeric ({err}); pass numbers only") from err
        if arr.shape != (len(labels), len(labels)):
            raise DataError(
                f"flows has shape {arr.shape}; expected {(len(labels),) * 2}; pass one row and "
                "one column per node"
            )
        f = pd.DataFrame(arr, index=labels, columns=labels)
    v = as_float(f)
    bad = ~np.isfinite(v) | (v < 0)
    if bad.any():
        i, j = np.nonzero(bad)
        pairs = list(zip(labels[i[:5]], labels[j[:5]], strict=True))
        raise DataError(
            f"flows must be finite and non-negative; bad at (origin, destination) {pairs}; "
            "fill missing values with 0 and fix negative or non-numeric ones"
        )
    return pd.DataFrame(v.copy(), index=labels.copy(), columns=labels.copy())
