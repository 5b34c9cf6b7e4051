"""Private algorithms of :class:`~borderhub.locate.HubMedian`: heuristic, bounds, enumeration.

The single-allocation p-hub median cost of an allocation ``h`` (node -> hub) is::

    sum_i a[i, h(i)] + alpha * sum_ij W_ij c[h(i), h(j)]
    a[i, k] = sum_j W_ij (chi c_ik + g_k) + sum_j W_ji (delta c_ki + g_k)

(``g`` the gateway term). Flow between two nodes on the same hub ``k`` pays the inter-hub
term ``alpha c[k, k]`` too (zero for a cost with a zero diagonal). :class:`HubData` holds
this objective once -- :meth:`HubData.total` for an allocation, and the coefficients of
the flow formulation (:meth:`HubData.flow_costs`, :meth:`HubData.direct_only`) that both
the flow model and the enumeration's allocation model are built from. This module holds

* :func:`local_search` -- a hub-interchange local search whose every move re-allocates the
  nodes by best-improvement single-node moves (the neighbourhoods of the simulated
  annealing and tabu heuristics of Ernst & Krishnamoorthy 1996 and Skorin-Kapov &
  Skorin-Kapov 1994, run as plain descent); it gives the upper bound and the start;
* :class:`Enumeration` -- an exact method for small ``p``: a depth-first search over hub
  sets pruned by two separable lower bounds (one side single-allocated, the other side's
  inter-hub leg bounded through the triangle inequality), which are facility-location
  costs and hence supermodular (Cornuejols, Fisher & Nemhauser 1977); each surviving set is
  then bounded by its cost with one side single-allocated and the other multiple-allocated
  (at least the multiple-allocation relaxation of Campbell 1994); the few sets whose bound
  is below the incumbent get their single allocation solved exactly by a small MILP (the
  Ernst & Krishnamoorthy 1996 flow model with the hubs fixed), in order of their bound.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from borderhub.locate._core import new_highs, run, set_solution
from borderhub.locate.solution import OPTIMAL_GAP

#: Hub sets per vectorised block of the half-single-allocation bound.
_MA_BLOCK = 1024
#: Relative tolerance below which a bound does not beat the incumbent.
_TOL = 1e-9


class HubData:
    """The arrays of one instance (positions: nodes ``0..n-1``; hub candidates ``allowed``)."""

    def __init__(
        self, c: np.ndarray, W: np.ndarray, alpha: float, chi: float, delta: float, gw: np.ndarray
    ) -> None:
        self.c, self.W, self.alpha, self.chi, self.delta, self.gw = c, W, alpha, chi, delta, gw
        self.n = n = len(c)
        self.O, self.D = W.sum(axis=1), W.sum(axis=0)
        self.P = chi * c + gw[None, :]  # origin i -> hub k, per unit
        self.Q = delta * c + gw[:, None]  # hub m -> destination j, per unit
        self.a = self.O[:, None] * self.P + self.D[:, None] * self.Q.T  # a[i, k]
        self.Ws = W + W.T
        self.selfw = 2.0 * np.diag(W)
        self.rows = np.arange(n)
        self.diag = np.diag(c).copy()  # c[k, k]: the "inter-hub" leg of a hub to itself
        self._metric: bool | None = None

    def flow_costs(self, H: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Objective coefficients of the flow formulation over the hub candidates ``H``.

        Returns ``(alloc, kk, ll, transfer)``: ``alloc[i, t]`` the cost of allocating node
        ``i`` to hub ``H[t]``, and ``transfer[q]`` the cost per unit of the inter-hub flow
        ``Y^i`` from hub ``H[kk[q]]`` to hub ``H[ll[q]]`` (``kk != ll``). The flow of
        origin ``i`` that stays at its hub ``k`` pays ``alpha c[k, k]``: it is written as
        ``alpha c[k, k] (O_i z_ik - sum_l Y^i_kl)``, i.e. ``alpha c[k, k] O_i`` on the
        allocation and ``-alpha c[k, k]`` on each leg leaving ``k``, which is exact when
        only the origin's hub sends its flow (:meth:`direct_only`).
        """
        H = np.asarray(H, dtype=np.int64)
        kk, ll = np.nonzero(~np.eye(len(H), dtype=bool))
        dk = self.diag[H]
        alloc = self.a[:, H] + self.alpha * self.O[:, None] * dk[None, :]
        transfer = self.alpha * (self.c[H[kk], H[ll]] - dk[kk])
        return alloc, kk, ll, transfer

    def direct_only(self, H: np.ndarray) -> bool:
        """Whether the flow formulation needs the rows ``sum_l Y^i_kl <= O_i z_ik``.

        They forbid transfers through a third hub: needed when such a detour could be
        cheaper than the direct leg (costs without the triangle inequality) and when the
        hubs' diagonal costs are priced (:meth:`flow_costs`).
        """
        return not self.metric() or bool(np.any(self.diag[np.asarray(H, dtype=np.int64)] != 0))

    def total(self, alloc: np.ndarray) -> float:
        """Cost of an allocation (each node's hub position)."""
        inter = self.c[np.ix_(alloc, alloc)]
        return float(self.a[self.rows, alloc].sum() + self.alpha * (self.W * inter).sum())

    def reallocate(
        self, hubs: np.ndarray, alloc: np.ndarray | None = None, stop: float | None = None
    ) -> tuple[np.ndarray, float]:
        """Best-improvement single-node re-allocation among ``hubs`` from ``alloc``.

        Starts from the cheapest hub of each node by ``a`` (when ``alloc`` is None); hubs
        stay allocated to themselves.
        """
        hubs = np.asarray(hubs, dtype=np.int64)
        if alloc is None:
            alloc = hubs[self.a[:, hubs].argmin(axis=1)]
        alloc = np.array(alloc, dtype=np.int64)
        alloc[hubs] = hubs
        is_hub = np.zeros(self.n, dtype=bool)
        is_hub[hubs] = True
        where = np.full(self.n, -1, dtype=np.int64)
        where[hubs] = np.arange(len(hubs))
        # each node's flow to itself stays at its hub: W_ii alpha c[k, k]
        a_h = self.a[:, hubs] + self.alpha * np.diag(self.W)[:, None] * self.diag[hubs][None, :]
        for _ in range(20 * self.n):
            if stop is not None and time.perf_counter() > stop:
                break
            ch = self.c[alloc][:, hubs]  # c[h(j), k] for every j and hub k
            g = a_h + self.alpha * (self.Ws @ ch - self.selfw[:, None] * ch)
            cur = g[self.rows, where[alloc]]
            best = g.argmin(axis=1)
            imp = cur - g[self.rows, best]
            imp[is_hub] = 0.0
            i = int(imp.argmax())
            if imp[i] <= 1e-12 * max(1.0, abs(float(cur.sum()))):
                break
            alloc[i] = hubs[best[i]]
        return alloc, self.total(alloc)

    def metric(self) -> bool:
        """Whether the cost satisfies the triangle inequality (to round-off)."""
        if self._metric is None:
            self._metric = self._check_metric()
        return self._metric

    def _check_metric(self) -> bool:
        c = self.c
        scale = max(float(c.max()), 1.0) * 1e-9
        for k in range(self.n):
            if (c > c[:, k, None] + c[None, k, :] + scale).any():
                return False
        return True


def local_search(
    data: HubData, p: int, start: np.ndarray, feasible: Any, allowed: np.ndarray, stop: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Hub interchange (first improvement) with re-allocation after every swap.

    ``start`` is a feasible hub set (positions), ``feasible(hubs)`` the policy check and
    ``stop`` a ``perf_counter`` deadline. Returns (hubs, allocation, cost).
    """
    hubs = np.sort(np.asarray(start, dtype=np.int64))
    alloc, value = data.reallocate(hubs, stop=stop)
    improved = True
    while improved and time.perf_counter() < stop:
        improved = False
        # candidates ordered by how cheap they are as a single hub: good swaps come early
        order = allowed[np.argsort(data.a[:, allowed].sum(axis=0), kind="stable")]
        for out in hubs:
            for k in order:
                if k in hubs:
                    continue
                trial = np.sort(np.where(hubs == out, k, hubs))
                if not feasible(trial):
                    continue
                a2, v2 = data.reallocate(trial, stop=stop)
                if v2 < value * (1 - 1e-12):
                    hubs, alloc, value, improved = trial, a2, v2, True
                    break
                if time.perf_counter() > stop:
                    break
            if improved or time.perf_counter() > stop:
                break
    return hubs, alloc, value


def _top_sum(g: np.ndarray, later: np.ndarray, need: int) -> np.ndarray:
    """Per row q of ``later``: the sum of the ``need`` largest ``g[j]`` with ``later[q, j]``."""
    if need == 0:
        return np.zeros(len(later))
    if np.isinf(g).any():
        return np.full(len(later), np.inf)
    if need == 1:  # the largest later value: a suffix maximum
        suffix = np.maximum.accumulate(g[::-1])[::-1]
        return np.append(suffix[1:], -np.inf)[: len(later)]
    m = np.where(later, g[None, :], -np.inf)
    return -np.partition(-m, need - 1, axis=1)[:, :need].sum(axis=1)


def n_sets(free: int, k: int) -> int:
    """Number of hub sets the enumeration visits."""
    return math.comb(free, k) if 0 <= k <= free else 0


class Enumeration:
    """Exact single-allocation p-hub median for small ``p`` by bounded enumeration."""

    def __init__(
        self, data: HubData, p: int, required: np.ndarray, free: np.ndarray, group_ok: Any
    ) -> None:
        self.data, self.p = data, p
        self.required = np.asarray(required, dtype=np.int64)
        free = np.asarray(free, dtype=np.int64)
        self.group_ok = group_ok  # (sets: (B, p) array) -> bool mask, or None
        d = data
        metric = d.metric()
        lam1 = min(d.alpha, d.delta) if metric else 0.0
        lam2 = min(d.alpha, d.chi) if metric else 0.0
        g = d.gw
        # origins single-allocated, each destination j reached from hub k through its best
        # hub m: alpha c_km + Q_mj >= lam1 c_kj + (delta - lam1) c_mj + g_m (triangle)
        m1 = np.vstack([d.O[:, None] * d.P + lam1 * (d.W @ d.c),
                        d.D[:, None] * ((d.delta - lam1) * d.c + g[None, :])])  # fmt: skip
        # the same with the destinations single-allocated
        m2 = np.vstack([d.D[:, None] * d.Q.T + lam2 * (d.W.T @ d.c),
                        d.O[:, None] * ((d.chi - lam2) * d.c + g[None, :])])  # fmt: skip
        self.M = (m1, m2)
        # best single hubs first: deep in the search only the weaker ones remain, whose
        # small decreases prune well
        single = np.maximum(m1[:, free].sum(axis=0), m2[:, free].sum(axis=0))
        self.free = free[np.argsort(single, kind="stable")]
        self.stats: dict[str, Any] = {"metric": metric}

    def candidates(self, thr: float, ctx: Any) -> tuple[np.ndarray, np.ndarray, float, bool]:
        """Hub sets whose separable bounds are below ``thr``, by depth-first search.

        Each separable bound ``f(S) = sum_r min_{k in S} M[r, k]`` (one with the origins
        single-allocated, one with the destinations) is a facility-location cost, hence
        supermodular: adding the hubs ``T`` to ``S`` lowers it by at most the sum of the
        single-hub decreases ``f(S) - f(S + t)``. A partial set whose bound minus its
        ``p - |S|`` largest decreases reaches ``thr`` is not extended (the bound of branch
        and bound for the p-median, Cornuejols, Fisher & Nemhauser 1977). Returns (sets,
        their bounds, least bound among the pruned sets, finished).
        """
        p, free = self.p, self.free
        m1, m2 = self.M
        out_sets: list[np.ndarray] = []
        out_lb: list[np.ndarray] = []
        low = math.inf
        visited = 0
        req = self.required
        k_total = p - len(req)
        if req.size:
            mu0 = (m1[:, req].min(axis=1), m2[:, req].min(axis=1))
        else:
            mu0 = (np.full(len(m1), np.inf), np.full(len(m2), np.inf))
        if k_total == 0:
            lb = max(float(mu0[0].sum()), float(mu0[1].sum()))
            sets = req[None, :]
            if self.group_ok is not None and not self.group_ok(sets).all():
                return np.zeros((0, p), dtype=np.int64), np.zeros(0), math.inf, True
            return sets, np.array([lb]), math.inf, True
        # stack of (chosen positions in `free`, next position, running minima)
        tri = np.triu(np.ones((len(free), len(free)), dtype=bool), 1)
        Node = tuple[tuple[int, ...], int, tuple[np.ndarray, np.ndarray], float]
        stack: list[Node] = [((), 0, mu0, -math.inf)]
        while stack:
            if visited % 64 == 0 and ctx.timed_out():
                # what is left: the open nodes, the sets kept so far, the pruned ones
                rest = [lb for *_, lb in stack] + [float(x.min()) for x in out_lb] + [low]
                return np.zeros((0, p), dtype=np.int64), np.zeros(0), min(rest), False
            chosen, start, (mu1, mu2), _ = stack.pop()
            visited += 1
            left = k_total - len(chosen)
            R = np.arange(start, len(free))
            if len(R) < left:
                continue
            cols = free[R]
            MU1 = np.minimum(mu1[:, None], m1[:, cols])
            MU2 = np.minimum(mu2[:, None], m2[:, cols])
            f1, f2 = MU1.sum(axis=0), MU2.sum(axis=0)  # bounds of S + t
            if left == 1:
                lb = np.maximum(f1, f2)
                ok = lb < thr
                if (~ok).any():
                    low = min(low, float(lb[~ok].min()))
                if ok.any():
                    cnt = int(ok.sum())
                    base = np.concatenate([req, free[list(chosen)]]).astype(np.int64)
                    sets = np.concatenate(
                        [np.broadcast_to(base, (cnt, len(base))), cols[ok][:, None]], axis=1
                    )
                    out_sets.append(sets)
                    out_lb.append(lb[ok])
                continue
            # child S + R[q] takes its other left - 1 hubs from R[q + 1:]; the decreases
            # from S bound those from S + R[q] (supermodularity)
            if np.isfinite(mu1).all():
                g1, g2 = float(mu1.sum()) - f1, float(mu2.sum()) - f2
            else:  # nothing chosen yet: no decrease is bounded
                g1 = g2 = np.full(len(R), np.inf)
            need = left - 1
            nq = len(R) - left + 1  # children with enough hubs after them
            later = tri[:nq, : len(R)]  # later[q, j]: j > q
            # ... and never by more than adding all of them: f(S + R[q:]) bounds too
            all1 = np.minimum.accumulate(MU1[:, ::-1], axis=1)[:, ::-1][:, :nq].sum(axis=0)
            all2 = np.minimum.accumulate(MU2[:, ::-1], axis=1)[:, ::-1][:, :nq].sum(axis=0)
            lb_q = np.maximum(
                np.maximum(f1[:nq] - _top_sum(g1, later, need), all1),
                np.maximum(f2[:nq] - _top_sum(g2, later, need), all2),
            )
            ok = lb_q < thr
            if (~ok).any():
                low = min(low, float(lb_q[~ok].min()))
            if left == 2:  # the last two hubs: every pair (R[q], R[j > q]) at once
                qs = np.flatnonzero(ok)
                if qs.size:
                    sub1, sub2 = m1[:, cols], m2[:, cols]
                    F1 = np.minimum(MU1[:, qs, None], sub1[:, None, :]).sum(axis=0)
                    F2 = np.minimum(MU2[:, qs, None], sub2[:, None, :]).sum(axis=0)
                    lb2 = np.maximum(F1, F2)  # (q, j)
                    valid = later[qs]
                    keep = valid & (lb2 < thr)
                    out_of = valid & ~keep
                    if out_of.any():
                        low = min(low, float(lb2[out_of].min()))
                    qi, ji = np.nonzero(keep)
                    if qi.size:
                        base = np.concatenate([req, free[list(chosen)]]).astype(np.int64)
                        sets = np.concatenate(
                            [np.broadcast_to(base, (qi.size, len(base))),
                             cols[qs[qi]][:, None], cols[ji][:, None]],
                            axis=1,
                        )  # fmt: skip
                        out_sets.append(sets)
                        out_lb.append(lb2[qi, ji])
                continue
            for q in np.flatnonzero(ok)[::-1]:  # pushed in reverse: popped in order
                stack.append(
                    (chosen + (int(R[q]),), int(R[q]) + 1, (MU1[:, q], MU2[:, q]), float(lb_q[q]))
                )
        self.stats["nodes"] = visited
        if not out_sets:
            return np.zeros((0, p), dtype=np.int64), np.zeros(0), low, True
        sets = np.concatenate(out_sets)
        lbs = np.concatenate(out_lb)
        if self.group_ok is not None:
            ok = self.group_ok(sets)
            sets, lbs = sets[ok], lbs[ok]
        return sets, lbs, low, True

    def ma_bound(self, sets: np.ndarray) -> np.ndarray:
        """Lower bound of every hub set: one side single-allocated, the other multiple.

        With the origins single-allocated and every destination reached from hub ``k``
        through its best hub, ``G[k, j] = min_m (alpha c_km + Q_mj)``, the cost is at
        least ``sum_i min_k sum_j W_ij (P_ik + G_kj)`` -- at least the multiple-allocation
        cost (the minimum moves outside the sum over ``j``). The same with the
        destinations single-allocated; the larger of the two is returned.
        """
        d = self.data
        out = np.empty(len(sets))
        for s in range(0, len(sets), _MA_BLOCK):
            S = sets[s : s + _MA_BLOCK]
            T = d.alpha * d.c[S[:, :, None], S[:, None, :]]  # (B, p, p): hub k -> hub m
            # origins single: G[b, k, j] = min_m T[b, k, m] + Q[m, j]
            G = (T[:, :, :, None] + d.Q[S][:, None, :, :]).min(axis=2)  # (B, p, n)
            WG = (G.reshape(-1, d.n) @ d.W.T).reshape(len(S), -1, d.n).transpose(0, 2, 1)
            orig = (WG + d.O[None, :, None] * d.P[:, S].transpose(1, 0, 2)).min(axis=2).sum(1)
            # destinations single: E[b, i, m] = min_k P[i, k] + T[b, k, m]
            E = (d.P[:, S].transpose(1, 0, 2)[:, :, :, None] + T[:, None, :, :]).min(axis=2)
            # sum_i W_ij E[i, m] for every j and m: (B, n, p)
            WE = (E.transpose(0, 2, 1).reshape(-1, d.n) @ d.W).reshape(len(S), -1, d.n)
            WE = WE.transpose(0, 2, 1)
            dest = (WE + d.D[None, :, None] * d.Q[S].transpose(0, 2, 1)).min(axis=2).sum(1)
            out[s : s + len(S)] = np.maximum(orig, dest)
        return out

    def run(
        self, ub: float, incumbent: tuple[np.ndarray, np.ndarray], ctx: Any, allocate: Any
    ) -> tuple[np.ndarray, np.ndarray, float, float, bool]:
        """Enumerate; returns (hubs, allocation, cost, bound, proven).

        ``allocate(hubs, start_alloc, ub)`` solves the single allocation of one hub set
        exactly and returns (allocation, cost, proven, bound).
        """
        d = self.data
        hubs, alloc = incumbent
        thr = ub * (1 - _TOL)
        sets, lbs, low_pruned, finished = self.candidates(thr, ctx)
        if not finished:  # the least bound of what was left, when it is informative
            bound = min(low_pruned, ub)
            return hubs, alloc, ub, bound if math.isfinite(bound) else math.nan, False
        n1 = len(sets)
        if n1:
            ma = np.empty(n1)
            for s in range(0, n1, 8 * _MA_BLOCK):
                if ctx.timed_out():  # the separable bounds of the sets not reached count
                    bound = min(low_pruned, float(lbs[s:].min()), ub)
                    self.stats.update(after_separable=n1)
                    return hubs, alloc, ub, bound, False
                ma[s : s + 8 * _MA_BLOCK] = self.ma_bound(sets[s : s + 8 * _MA_BLOCK])
            lbs = np.maximum(lbs, ma)
            ok = lbs < thr
            if (~ok).any():
                low_pruned = min(low_pruned, float(lbs[~ok].min()))
            sets, lbs = sets[ok], lbs[ok]
        order = np.argsort(lbs, kind="stable")
        sets, lbs = sets[order], lbs[order]
        self.stats.update(after_separable=n1, after_multiple=len(sets))
        solved = 0
        bound = min(low_pruned, ub)
        for t in range(len(sets)):
            if lbs[t] >= ub * (1 - _TOL):
                break
            if ctx.timed_out():
                bound = min(bound, float(lbs[t]))
                self.stats["allocations_solved"] = solved
                return hubs, alloc, ub, bound, False
            H = np.sort(sets[t])
            a0, v0 = d.reallocate(H)
            if v0 < ub * (1 - _TOL):
                hubs, alloc, ub = H, a0, v0
            a1, v1, proven, b1 = allocate(H, a0, ub)
            solved += 1
            if a1 is not None and v1 < ub * (1 - _TOL):
                hubs, alloc, ub = H, a1, v1
            if proven:  # settled to the allocation MILP's gap (at most 1e-7)
                bound = min(bound, max(float(lbs[t]), b1))
            else:
                bound = min(bound, max(float(lbs[t]), b1))
                self.stats["allocations_solved"] = solved
                # the remaining sets are not examined: their bounds count
                rest = lbs[t + 1 :]
                if rest.size:
                    bound = min(bound, float(rest.min()))
                return hubs, alloc, ub, min(bound, ub), False
        self.stats["allocations_solved"] = solved
        return hubs, alloc, ub, min(bound, ub), True


def allocation_milp(
    data: HubData, hubs: np.ndarray, start: np.ndarray, ub: float, ctx: Any
) -> tuple[np.ndarray | None, float, bool, float]:
    """Single allocation to fixed ``hubs``: the Ernst & Krishnamoorthy flow model, in HiGHS.

    Returns (allocation or None, its cost, proven optimal, lower bound).
    """
    import highspy
    import scipy.sparse as sp

    d = data
    n, p = d.n, len(hubs)
    if p == 1:
        alloc = np.full(n, hubs[0])
        return alloc, d.total(alloc), True, d.total(alloc)
    nz = n * p
    alloc_cost, kk, ll, transfer = d.flow_costs(hubs)
    npair = len(kk)
    origins = np.flatnonzero(d.O > 0)
    no = len(origins)
    ny = no * npair
    ncol = nz + ny
    cost = np.concatenate([alloc_cost.ravel(), np.tile(transfer, no)])
    lo = np.zeros(ncol)
    up = np.concatenate([np.ones(nz), np.full(ny, np.inf)])
    zcol = np.arange(nz).reshape(n, p)
    # hubs allocated to themselves
    for t, k in enumerate(hubs):
        lo[zcol[k, t]] = 1.0
        up[zcol[k, :]] = 0.0
        up[zcol[k, t]] = 1.0
    # sum_k z_ik = 1
    r_alloc = np.repeat(np.arange(n), p)
    c_alloc = zcol.ravel()
    v_alloc = np.ones(nz)
    # flow rows per (origin, hub): sum_l Y_kl - sum_l Y_lk - O_i z_ik + sum_j W_ij z_jk = 0
    base = n
    io = np.repeat(np.arange(no), npair)
    pi = np.tile(np.arange(npair), no)
    ycol = nz + io * npair + pi
    r_out = base + io * p + kk[pi]
    r_in = base + io * p + ll[pi]
    zi = np.repeat(np.arange(no), n * p)
    zj = np.tile(np.repeat(np.arange(n), p), no)
    zk = np.tile(np.arange(p), no * n)
    coef = d.W[origins[zi], zj] - np.where(zj == origins[zi], d.O[origins[zi]], 0.0)
    keep = coef != 0
    rows = [r_alloc, r_out, r_in, base + (zi * p + zk)[keep]]
    cols = [c_alloc, ycol, ycol, zcol[zj[keep], zk[keep]]]
    vals = [v_alloc, np.ones(ny), -np.ones(ny), coef[keep]]
    nrow = base + no * p
    rlo = np.concatenate([np.ones(n), np.zeros(no * p)])
    rup = rlo.copy()
    if d.direct_only(hubs):
        # only the origin's own hub sends its flow (sum_l Y_kl <= O_i z_ik): no detours
        rows += [nrow + io * p + kk[pi], nrow + np.arange(no * p)]
        cols += [ycol, zcol[np.repeat(origins, p), np.tile(np.arange(p), no)]]
        vals += [np.ones(ny), -np.repeat(d.O[origins], p)]
        rlo = np.concatenate([rlo, np.full(no * p, -np.inf)])
        rup = np.concatenate([rup, np.zeros(no * p)])
        nrow += no * p
    r_all, c_all, v_all = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    A = sp.csc_matrix((v_all, (r_all, c_all)), shape=(nrow, ncol))
    h = new_highs(ctx)
    h.setOptionValue("mip_rel_gap", 1e-7)
    # small models that the incumbent cuts off: presolve and primal heuristics cost more
    # than they save (about 3x on the 60-place network at p = 5)
    h.setOptionValue("presolve", "off")
    h.setOptionValue("mip_heuristic_effort", 0.0)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, nrow
    lp.col_cost_ = cost
    inf = highspy.kHighsInf
    lp.col_lower_, lp.col_upper_ = lo, np.minimum(up, inf)
    lp.row_lower_, lp.row_upper_ = np.maximum(rlo, -inf), np.minimum(rup, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * nz + [highspy.HighsVarType.kContinuous] * ny
    h.passModel(lp)
    # nothing worse than the incumbent is wanted: HiGHS prunes against it from the start
    h.setOptionValue("objective_bound", float(ub))
    if d.total(start) >= ub:
        return _run_allocation(h, ctx, d, hubs, zcol, nz, n, p, ub)
    # the start: its z, and the flows it implies
    where = np.full(n, -1, dtype=np.int64)
    where[hubs] = np.arange(p)
    x = np.zeros(ncol)
    x[zcol[np.arange(n), where[start]]] = 1.0
    pos = {(int(k), int(l_)): t for t, (k, l_) in enumerate(zip(kk, ll, strict=True))}
    for oi, i in enumerate(origins):
        k = where[start[i]]
        to = np.bincount(where[start], weights=d.W[i], minlength=p)
        for l_ in range(p):
            if l_ != k and to[l_] > 0:
                x[nz + oi * npair + pos[(int(k), l_)]] = to[l_]
    set_solution(h, x)
    return _run_allocation(h, ctx, d, hubs, zcol, nz, n, p, ub)


def _run_allocation(
    h: Any,
    ctx: Any,
    d: HubData,
    hubs: np.ndarray,
    zcol: np.ndarray,
    nz: int,
    n: int,
    p: int,
    ub: float,
) -> tuple[np.ndarray | None, float, bool, float]:
    import highspy

    run(h, ctx, "a hub allocation")
    info = h.getInfo()
    status = h.getModelStatus()
    has = int(info.primal_solution_status) == 2
    bound = float(info.mip_dual_bound)
    if not math.isfinite(bound):
        bound = -math.inf
    st = highspy.HighsModelStatus
    if not has:
        # optimal / infeasible without a solution under the objective bound: nothing
        # cheaper than ``ub`` exists for these hubs
        done = status in (st.kOptimal, st.kInfeasible, st.kObjectiveBound)
        return None, math.inf, bool(done), ub if done else bound
    zv = np.asarray(h.getSolution().col_value[:nz]).reshape(n, p)
    alloc = hubs[zv.argmax(axis=1)]
    value = d.total(alloc)
    proven = bound >= min(value, ub) * (1 - _TOL) - 1e-9 or (
        status == st.kOptimal and value - bound <= OPTIMAL_GAP * max(abs(value), 1.0)
    )
    return alloc, value, bool(proven), bound
