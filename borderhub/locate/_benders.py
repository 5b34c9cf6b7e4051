"""Benders decomposition of the p-median and the uncapacitated fixed-charge model.

After Duran-Mateluna, Ales & Elloumi (2023) and Fischetti, Ljubic & Sinnl (2017).

The radius formulation (see :mod:`borderhub.locate._radius`) is projected onto the opening
variables ``y`` and one variable ``theta_i`` per demand point (its cost). With the distinct
costs ``D_i^0 < D_i^1 < ...`` of point ``i``, the projection is described by the optimality
cuts

    theta_i + sum_{j: c_ij < D_i^k} (D_i^k - c_ij) y_j >= D_i^k        (every level k)

so a cut is fixed by the pair ``(i, k)``: no subproblem needs to be solved. For a point
``y*`` the most violated cut of ``i`` is the one at the first level whose cumulative
``sum_{c_ij <= D_i^k} y*_j`` reaches 1 (a closed form from the sorted costs). The
fixed-charge model has the same cuts; its master charges ``sum_j f_j y_j`` and asks for at
least one open centre instead of exactly ``p``.

The method:

1. a heuristic start (greedy, then local search), which respects the policy constraints
   and gives the upper bound;
2. the LP relaxation of the master solved by a cut loop with in-out stabilisation
   (Ben-Ameur & Neto 2007; Fischetti, Ljubic & Sinnl 2017) -- its bound equals the LP bound
   of the radius and the classic formulations; stopped by the time limit, the last master
   LP solved (a relaxation of it) and a Lagrangian bound taken in the time the loop keeps
   for it still give a valid lower bound;
3. reduced-cost fixing with the LP reduced costs and with those of the Lagrangian bound
   whose multipliers the LP duals of the cuts give;
4. a dive for a better incumbent inside the LP optimum's box (the candidates integral
   there keep their values, the fractional ones are branched on depth first), followed by
   local search; a better incumbent fixes more candidates in step 3, which is then redone;
5. branch and cut on ``y`` around the LP master, rebuilt on the remaining candidates with
   the cuts binding at the LP optimum: every node re-solves it from the previous basis and
   adds the cuts violated at its solution (valid everywhere, so they stay). HiGHS's
   callbacks (1.16) cannot add constraints at its nodes, so the tree is kept here. A master
   MIP re-solved with the cuts its last solution violated was tried: with the root's cuts
   only it took minutes on small instances, and with every cut up to each point's level
   at the incumbent it proved usa13509 p = 4000 in one round but 326 s, while fl3795
   p = 400 stayed short of its optimum after six rounds (190 s). A tree still open after
   :data:`~borderhub.locate._master_mip.TREE_NODES` nodes is handed to that MIP all the
   same (:mod:`borderhub.locate._master_mip`), whose rounds now check and repair every
   solution HiGHS finds: where the own tree does not close in a few dozen nodes, HiGHS's
   general cuts close the gap faster.

It talks to HiGHS through highspy directly rather than through PuLP: the cut loop adds rows
to a model that stays loaded and re-solves it from the previous basis (dual simplex), which
PuLP cannot do -- it would rebuild and re-pass the whole model row by row at every round.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from borderhub.locate._core import (
    SWAP_SECONDS,
    Lists,
    Outcome,
    Policy,
    heuristic,
    median_positive,
    new_highs,
    power_of_two_scale,
    rescale,
    run,
    serve_cost,
    swap,
    swap_lists,
    unit_scale,
)
from borderhub.locate._master_mip import finish_with_mip, hand_over_after
from borderhub.locate.solution import OPTIMAL_GAP, Status

#: Weight of the core point in the in-out separation point.
_INOUT = 0.5
#: Relative tolerance of cut violation.
_VIOL = 1e-7
#: The integer phase runs the rounding-and-swap heuristic at every this many nodes.
_NODE_HEURISTIC = 20
#: ... as long as it has taken at most this share of the integer phase's time.
_HEUR_SHARE = 0.1
#: The dive for an incumbent in the LP optimum's box (:meth:`_Tree.dive`) stops after this
#: many nodes, this many seconds or this share of the time left, whichever comes first.
_DIVE_NODES = 300
_DIVE_SECONDS = 60.0
_DIVE_SHARE = 0.2
#: The start's local search on lists, with a time limit: this share of it, at most this
#: many seconds (:func:`_start_seconds`).
_START_SHARE = 0.1
_START_SECONDS = 60.0
#: The Lagrangian bound of a run stopped in the LP phase (:func:`_early_bound`): at most
#: this many subgradient steps, in the time the LP phase keeps for it (this share of the
#: time left when it starts).
_EARLY_STEPS = 30
_EARLY_SHARE = 0.02
#: Slack cuts are dropped from the integer phase's master when its cut rows exceed this
#: multiple of their number after the previous purge (fewer rows, faster node LPs).
_PURGE = 1.1


class _Cuts:
    """Closed-form Benders cuts read from each point's sorted candidate list (``Lists``).

    Per list entry: its position in its row (``local``), the position where its cost level
    starts (``start``: entries of equal cost share a cut) and whether the cut at that level
    is already a row of the master (``added``). Rows too short for a separation point are
    grown from the list's source.
    """

    def __init__(self, lists: Lists) -> None:
        self.L = lists
        self.added = np.zeros(len(lists.idx), dtype=bool)
        self._index()

    def _index(self) -> None:
        L = self.L
        nnz = len(L.idx)
        self.rowid = L.rowid
        self.head = L.indptr[:-1]
        self.local = (np.arange(nnz, dtype=np.int64) - L.indptr[self.rowid]).astype(np.int32)
        first = np.ones(nnz, dtype=bool)
        if nnz > 1:
            first[1:] = L.dist[1:] > L.dist[:-1]
        first[self.head[np.diff(L.indptr) > 0]] = True
        level = np.maximum.accumulate(np.where(first, np.arange(nnz, dtype=np.int64), 0))
        self.start = (level - L.indptr[self.rowid]).astype(np.int32)

    def grow(self, rows: np.ndarray) -> None:
        """Lengthen the lists of ``rows``, keeping the marks of the cuts already added."""
        dest = self.L.grow(rows)
        added = np.zeros(len(self.L.idx), dtype=bool)
        ok = dest >= 0
        added[dest[ok]] = self.added[ok]
        self.added = added
        self._index()

    def separate(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each point: level start ``t`` of its deepest cut at ``y``, ``D``, value."""
        y = np.clip(y, 0.0, 1.0)
        if self.L.complete.all() and len(self.L.idx) == self.L.n * self.L.m:
            return self._separate_rect(y)
        while True:
            L = self.L
            Ys = y[L.idx]
            G = np.cumsum(Ys)
            base = np.concatenate([[0.0], G])[self.head]
            end = L.indptr[1:]
            short = (G[end - 1] - base < 1.0 - 1e-9) & ~L.complete
            if not short.any():
                break
            self.grow(np.flatnonzero(short))
        pos = np.minimum(np.searchsorted(G, base + (1.0 - 1e-9), side="left"), end - 1)
        t = self.start[pos].astype(np.int64)
        D = L.dist[self.head + t]
        return t, D, self.value(y, t, D)

    def _separate_rect(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`separate` when every row lists every candidate (a cost matrix given)."""
        n, m = self.L.n, self.L.m
        Ys = y[self.L.idx].reshape(n, m)
        cum = np.cumsum(Ys, axis=1)
        pos = np.argmax(cum >= 1.0 - 1e-9, axis=1)
        pos = np.where(cum[:, -1] >= 1.0 - 1e-9, pos, m - 1)
        rows = np.arange(n)
        t = self.start.reshape(n, m)[rows, pos].astype(np.int64)
        S = self.L.dist.reshape(n, m)
        D = S[rows, t]
        mask = np.arange(m)[None, :] < t[:, None]
        return t, D, D - ((D[:, None] - S) * Ys * mask).sum(axis=1)

    def value(self, y: np.ndarray, t: np.ndarray, D: np.ndarray) -> np.ndarray:
        """The value at ``y`` of each point's cut at level start ``t`` (cost ``D``)."""
        L, r = self.L, self.rowid
        y = np.clip(y, 0.0, 1.0)
        if L.complete.all() and len(L.idx) == L.n * L.m:  # rectangular: no gathers
            n, m = L.n, L.m
            S, Ys = L.dist.reshape(n, m), y[L.idx].reshape(n, m)
            mask = np.arange(m)[None, :] < t[:, None]
            return D - ((D[:, None] - S) * Ys * mask).sum(axis=1)
        part = np.where(self.local < t[r], (D[r] - L.dist) * y[L.idx], 0.0)
        return D - np.bincount(r, part, minlength=L.n)

    def is_added(self, t: np.ndarray) -> np.ndarray:
        return self.added[self.head + t]

    def unmark(self, pts: np.ndarray, t: np.ndarray) -> None:
        self.added[self.head[pts] + t] = False

    def rows(
        self,
        pts: np.ndarray,
        t: np.ndarray,
        D: np.ndarray,
        ycol: np.ndarray,
        n: int,
        mark: bool = True,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR arrays of the cuts of points ``pts`` over their ``t`` cheapest candidates.

        ``D`` is the cut's cost; with ``mark`` (``D`` then being the cost at sorted position
        ``t``) the cut is recorded as a row, so separation does not add it again.
        """
        L = self.L
        lens = t + 1  # theta_i plus the t cheaper candidates
        starts = np.concatenate([[0], np.cumsum(lens)])
        nnz = int(starts[-1])
        idx = np.empty(nnz, dtype=np.int32)
        val = np.empty(nnz)
        idx[starts[:-1]] = ycol.size + pts  # theta columns follow the y columns
        val[starts[:-1]] = 1.0
        if nnz > len(pts):
            r = np.repeat(np.arange(len(pts)), t)
            off = np.arange(nnz - len(pts)) - np.repeat(np.cumsum(t) - t, t)
            tgt = np.repeat(starts[:-1] + 1, t) + off
            at = self.head[pts[r]] + off
            idx[tgt] = ycol[L.idx[at]]
            val[tgt] = D[r] - L.dist[at]
        if mark:
            self.added[self.head[pts] + t] = True
        return starts[:-1].astype(np.int32), idx, val


class _Data:
    """The instance as the method sees it: sorted lists, and the cost matrix if given."""

    def __init__(self, lists: Lists, C: np.ndarray | None = None) -> None:
        self.lists, self.C = lists, C

    def serve(self, w: np.ndarray, sel: np.ndarray, fixed: np.ndarray | None) -> float:
        if self.C is not None:
            return serve_cost(self.C, w, sel, fixed)
        return self.lists.serve_cost(w, sel, fixed)

    def swap(self, w: np.ndarray, top: np.ndarray, pol: Policy, fixed: np.ndarray | None,
             seconds: float = SWAP_SECONDS) -> np.ndarray:  # fmt: skip
        if self.C is not None:
            return swap(self.C, w, top, pol, fixed)
        return swap_lists(self.lists, w, top, pol, fixed, seconds)

    def subset(self, keep: np.ndarray) -> tuple[_Data, np.ndarray]:
        sub, flag = self.lists.subset(keep)
        return _Data(sub, None if self.C is None else self.C[:, keep]), flag


class _Master:
    """The Benders master in HiGHS: y (candidates), theta (points), cuts."""

    def __init__(self, ctx: Any, w: np.ndarray, f: np.ndarray, S0: np.ndarray, pol: Policy,
                 keep: np.ndarray, p: int | None, fix_one: np.ndarray) -> None:  # fmt: skip
        import highspy

        self.ctx = ctx
        self.h = h = new_highs(ctx)
        m, n = len(keep), len(w)
        # Opening costs far above the weights (or huge weights) leave the LP badly scaled
        # for HiGHS's tolerances, and the simplex may stall: scale the objective by a power
        # of two (HiGHS reports unscaled values).
        big = max(float(np.max(f, initial=0.0)), float(np.max(w, initial=0.0)))
        if big > 2.0**20:
            h.setOptionValue("user_objective_scale", -(math.ceil(math.log2(big)) - 20))
        self.m, self.n = m, n
        inf = highspy.kHighsInf
        lo = np.where(fix_one, 1.0, 0.0)
        h.addVars(m, lo, np.ones(m))
        h.addVars(n, S0.astype(float), np.full(n, inf))
        h.changeColsCost(m + n, np.arange(m + n, dtype=np.int32), np.concatenate([f, w]))
        allm = np.arange(m, dtype=np.int32)
        # exactly p open; at least one for the fixed-charge model
        lo_p, up_p = (float(p), float(p)) if p is not None else (1.0, inf)
        h.addRows(1, np.array([lo_p]), np.array([up_p]), m, np.array([0], np.int32), allm,
                  np.ones(m))  # fmt: skip
        g = pol.gcode[keep]
        for k in range(len(pol.lo)):
            sel = np.flatnonzero(g == k).astype(np.int32)
            if sel.size:
                h.addRows(1, np.array([float(pol.lo[k])]), np.array([float(min(pol.hi[k], m))]),
                          sel.size, np.array([0], np.int32), sel, np.ones(sel.size))  # fmt: skip
        self.rows0 = h.getNumRow()
        self.inf = inf

    def add(self, starts: np.ndarray, idx: np.ndarray, val: np.ndarray, *, rhs: np.ndarray) -> None:
        k = len(starts)
        if k:
            self.h.addRows(k, rhs.astype(float), np.full(k, self.inf), len(idx), starts, idx, val)

    def run(self, keep: float = 0.0) -> str:
        """Solve within the remaining time less ``keep`` seconds; the model status's name."""
        rem = self.ctx.remaining()
        limit = None if rem is None or keep <= 0 else max(rem - keep, 0.01)
        return run(self.h, self.ctx, "the Benders master", limit)

    def solution(self) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(self.h.getSolution().col_value)
        return x[: self.m], x[self.m :]


def solve_benders(model: Any, ctx: Any, fixed: np.ndarray | None = None) -> Any:
    """Exact p-median (or, given opening costs ``fixed``, fixed-charge location) by Benders.

    Costs and weights are first scaled by powers of two (:func:`unit_scale`) and the
    objective and bound scaled back. A model built from points (``model._points``) gives
    sorted nearest-candidate lists instead of a cost matrix. Returns an ``Outcome``.
    """
    with ctx.building():
        act, allowed = model._active, model._allowed_pos
        w = model._w[act]
        points = getattr(model, "_points", None)
        if points is not None:
            lists = points.lists(act, allowed)
            a = power_of_two_scale(median_positive(lists.dist))
            rescale(lists, a)
            data = _Data(lists)
        else:
            C = model._C[np.ix_(act, allowed)]
            a = unit_scale(C)
            if a != 1.0:
                C = C * a
            data = _Data(Lists.from_dense(C), C)
        b = unit_scale(w)
        if b != 1.0:
            w = w * b
        if fixed is not None and a * b != 1.0:
            fixed = fixed * (a * b)
    out = _solve_benders(model, ctx, data, w, fixed)
    out.objective /= a * b
    out.bound /= a * b
    return out


def _solve_benders(model: Any, ctx: Any, data: _Data, w: np.ndarray,
                   fixed: np.ndarray | None) -> Any:  # fmt: skip
    """:func:`solve_benders` on the (scaled) instance ``data`` and weights ``w``."""
    with ctx.building():
        allowed = model._allowed_pos
        card = model._cardinality()
        p = None if card is None else int(card)
        pol = Policy(model, allowed)
        best = heuristic(data.C, w, p, pol, fixed) if data.C is not None else None
        if data.C is None and p is not None and not len(pol.lo):
            best = _spread_start(data, w, p, pol, _start_seconds(ctx, data.lists.m, p))
    best_obj = data.serve(w, best, fixed) if best is not None else math.inf

    def outcome(status: Status, bound: float) -> Any:
        bound = bound if math.isfinite(bound) else math.nan
        if best is None:
            return Outcome(Status.NOT_SOLVED, bound=bound)
        return Outcome(status, allowed[np.sort(best)], best_obj, min(bound, best_obj))

    if len(w) == 0 and best is not None and fixed is None:
        return outcome(Status.OPTIMAL, 0.0)
    m = data.lists.m
    f = np.zeros(m) if fixed is None else fixed
    core = np.zeros(m)
    if best is not None and data.C is not None:
        core[best] = 1.0
    else:  # (on lists, a spread core point gave far faster LPs than the drawn start)
        core[:] = min(1.0, (1 if p is None else p) / m)
    rem = ctx.remaining()
    keep = 0.0 if rem is None else _EARLY_SHARE * rem  # time kept for a Lagrangian bound
    lp = _lp_phase(ctx, data.lists, w, f, pol, p, core, keep)
    if lp.status == "time":  # the last master LP solved still bounds the optimum
        early = _early_bound(ctx, data.lists, w, f, p, pol.required, best_obj)
        return outcome(Status.FEASIBLE, np.fmax(lp.bound, early))
    if lp.status == "infeasible":
        return Outcome(Status.INFEASIBLE)
    with ctx.building():  # LP rounding, improved by local search
        top = _round(lp.y, p, pol.required)
        if pol.feasible(top, p):
            top = data.swap(w, top, pol, fixed)
            obj = data.serve(w, top, fixed)
            if obj < best_obj:
                best, best_obj = top, obj
    if rel_ok(best_obj, lp.bound):
        return outcome(Status.OPTIMAL, lp.bound)
    return _branch_and_cut(ctx, data, w, fixed, pol, p, lp, best, best_obj, allowed)


def _start_seconds(ctx: Any, m: int, p: int) -> float:
    """Wall time for the local search of the start on lists.

    :data:`SWAP_SECONDS`; with a time limit and at least ten candidates per centre (the
    LP phase's cuts are then long, and a run its time limit stops there answers with the
    start), up to :data:`_START_SHARE` of the limit, at most :data:`_START_SECONDS`: on
    100,000 points the search still improves after 2 s (the start of a p = 100 instance
    over China fell by 11 % in 55 s more). The search ends earlier at a local optimum.
    """
    rem = ctx.remaining()
    if rem is None or m < 10 * p:
        return SWAP_SECONDS
    return max(SWAP_SECONDS, min(_START_SECONDS, _START_SHARE * rem))


def _spread_start(data: _Data, w: np.ndarray, p: int, pol: Policy,
                  seconds: float = SWAP_SECONDS) -> np.ndarray:  # fmt: skip
    """A start on lists: the required candidates, others drawn at random, local search.

    The draw is seeded, so a run is repeatable.
    """
    m = data.lists.m
    req = np.flatnonzero(pol.required)
    rest = np.setdiff1d(np.arange(m), req)
    pick = np.random.default_rng(0).choice(rest, size=p - len(req), replace=False)
    return data.swap(w, np.sort(np.concatenate([req, pick])), pol, None, seconds)


def _round(y: np.ndarray, p: int | None, required: np.ndarray) -> np.ndarray:
    """An integer point near ``y``: its ``p`` largest entries (or those of at least 1/2)."""
    score = y + required  # required candidates first
    if p is not None:
        return np.sort(np.argsort(-score, kind="stable")[:p])
    sel = np.flatnonzero(score >= 0.5)
    return sel if sel.size else np.array([int(np.argmax(score))])


def _with_fixings(lo: np.ndarray, up: np.ndarray, fix_lo: np.ndarray,
                  fix_up: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """A node's bounds on ``y`` with the tree's fixings (:meth:`_Tree.refix`) applied."""
    return np.maximum(lo, fix_lo), np.minimum(up, fix_up)


def _pack(lo: np.ndarray, up: np.ndarray) -> tuple[bytes, bytes]:
    """A node's 0/1 bounds on ``y`` as bits."""
    return np.packbits(lo > 0.5).tobytes(), np.packbits(up > 0.5).tobytes()


def _unpack(bits: bytes, m: int) -> np.ndarray:
    """The 0/1 bounds of :func:`_pack` back as floats."""
    return np.unpackbits(np.frombuffer(bits, dtype=np.uint8), count=m).astype(float)


def rel_ok(obj: float, bound: float) -> bool:
    return math.isfinite(obj) and bound >= obj - OPTIMAL_GAP * max(abs(obj), 1e-12)


def _lagrange(lists: Lists, w: np.ndarray, f: np.ndarray, u: np.ndarray, p: int | None,
              forced: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Lagrangian bound at multipliers ``u`` and, per candidate, the cost of flipping it.

    Relaxing the assignment rows ``sum_j x_ij = 1`` of the classic model with multipliers
    ``u`` leaves ``sum_i u_i + min sum_j G_j y_j``, ``G_j = f_j + sum_i min(0, w_i c_ij -
    u_i)``, over ``p`` candidates (at least one for the fixed-charge model) including
    ``forced``; the group constraints are dropped, so it stays a lower bound. Any
    multipliers give a bound, so ``u_i`` is first capped at ``w_i`` times the cost up to
    which point ``i``'s list is complete: the pairs missing from the lists add nothing to
    ``G``. Returns the bound, how much opening each closed candidate raises it, and how
    much closing each open one does, and which candidates the bound opens.
    """
    u = np.minimum(u, w * lists.last)
    r = lists.rowid
    v = w[r] * lists.dist - u[r]
    neg = v < 0
    G = f + np.bincount(lists.idx[neg], v[neg], minlength=lists.m)
    free = np.flatnonzero(~forced)
    order = free[np.argsort(G[free], kind="stable")]
    if p is None:
        k = int((G[order] < 0).sum())
        if k == 0 and not forced.any():
            k = 1
    else:
        k = p - int(forced.sum())
    chosen, rest = order[:k], order[k:]
    L = float(u.sum() + G[forced].sum() + G[chosen].sum())
    up = np.zeros(len(G))  # raise of the bound when opening a closed candidate
    down = np.zeros(len(G))  # ... when closing an open one
    if p is None:
        alone = k == 1 and not forced.any() and G[chosen[0]] >= 0  # opened only as the one
        up[rest] = G[rest] - (G[chosen[0]] if alone else 0.0)
        down[chosen] = np.inf if alone else -G[chosen]
        if alone and rest.size:
            down[chosen] = G[rest[0]] - G[chosen]
        elif k == 1 and not forced.any():
            down[chosen] = -G[chosen] + max(0.0, G[rest[0]]) if rest.size else np.inf
    elif k > 0:
        up[rest] = G[rest] - G[chosen[-1]]
        down[chosen] = (G[rest[0]] - G[chosen]) if rest.size else np.inf
    else:
        up[rest] = np.inf
    down[forced] = np.inf
    is_chosen = np.zeros(len(G), dtype=bool)
    is_chosen[forced] = True
    is_chosen[chosen] = True
    return L, up, down, is_chosen


def _early_bound(ctx: Any, lists: Lists, w: np.ndarray, f: np.ndarray, p: int | None,
                 forced: np.ndarray, ub: float) -> float:  # fmt: skip
    """A Lagrangian lower bound for a run its time limit stopped in the LP phase.

    Taken when the LP phase, which stops :data:`_EARLY_SHARE` of the time limit early for
    it, ran out of time. Multipliers start at each point's cost at its ``m / p``-th
    nearest candidate and take at most :data:`_EARLY_STEPS` subgradient steps toward the
    incumbent's value ``ub`` (Held, Wolfe & Crowder 1974), within the time left. Every
    step's value is a valid bound (any multipliers give one); the best is returned, NaN
    without a time limit.
    """
    rem = ctx.remaining()
    if rem is None or not len(w) or not math.isfinite(ub):
        return math.nan
    stop = time.perf_counter() + rem
    size = np.diff(lists.indptr)
    k = max(1, lists.m // max(1, p if p is not None else 1))
    ok = size > 0
    u = np.zeros(len(w))
    u[ok] = w[ok] * lists.dist[lists.indptr[:-1][ok] + np.minimum(k, size[ok] - 1)]
    best, step, still = -math.inf, 2.0, 0
    r = lists.rowid  # (lists are not grown here)
    for _ in range(_EARLY_STEPS):
        if time.perf_counter() > stop or ctx.timed_out():
            break
        u = np.minimum(u, w * lists.last)
        L, _, _, chosen = _lagrange(lists, w, f, u, p, forced)
        if not math.isfinite(best) or L > best + 1e-12 * max(1.0, abs(best)):
            best, still = L, 0
        else:
            still += 1
            if still >= 3:
                step, still = step / 2, 0
        served = chosen[lists.idx] & (w[r] * lists.dist < u[r])
        g = 1.0 - np.bincount(r[served], minlength=len(w))
        norm = float(g @ g)
        if norm == 0 or ub - L <= 0:
            break
        u = np.maximum(u + step * (ub - L) / norm * g, 0.0)
    return best if math.isfinite(best) else math.nan


class _LP:
    """The solved LP relaxation of the master and what the integer phase reuses."""

    def __init__(self, status: str, master: Any = None, cuts: Any = None) -> None:
        self.status, self.master, self.cuts = status, master, cuts
        self.bound = math.nan
        self.y = np.zeros(0)
        self.rc = np.zeros(0)
        self.u = np.zeros(0)
        self.row_pt = np.zeros(0, dtype=np.int64)
        self.row_D = np.zeros(0)
        self.row_t = np.zeros(0, dtype=np.int64)
        self.dual = np.zeros(0)


def _lp_phase(ctx: Any, lists: Lists, w: np.ndarray, f: np.ndarray, pol: Policy,
              p: int | None, core: np.ndarray, keep: float = 0.0) -> _LP:  # fmt: skip
    """Stabilised cut loop on the LP relaxation of the master.

    It stops ``keep`` seconds before the time limit. On time out the status is ``"time"``
    and the bound that of the last master LP solved to optimality (it holds only some of
    the cuts, so it is a relaxation of the LP relaxation: a valid, weaker lower bound), or
    NaN when none was.
    """

    def out_of_time() -> bool:
        rem = ctx.remaining()
        return ctx.timed_out() or (rem is not None and keep > 0 and rem <= keep)

    with ctx.building():
        cuts = _Cuts(lists)
        n, m = lists.n, lists.m
        ycol = np.arange(m, dtype=np.int32)
        master = _Master(ctx, w, f, lists.first, pol, np.arange(m), p, pol.required)
        # start with the cuts at the core point (the incumbent when there is one)
        t, D, _ = cuts.separate(core)
        pts = np.arange(n)
        master.add(*cuts.rows(pts, t, D, ycol, n), rhs=D)
        row_pt, row_t, row_D = [pts], [t], [D]
    lam = _INOUT
    stall = 0
    timed = _LP("time")
    while True:
        if out_of_time():
            return timed
        st = master.run(keep)
        if st == "Infeasible":
            return _LP("infeasible")
        if st != "Optimal":
            return timed
        timed.bound = float(master.h.getInfo().objective_function_value)
        y, theta = master.solution()
        with ctx.building():
            added = 0
            for sep in ((lam * core + (1 - lam) * y) if lam > 0 else y, y):
                t, D, _ = cuts.separate(sep)
                # the cut's value at the LP point decides whether it cuts it off
                val = cuts.value(y, t, D)
                viol = val > theta + _VIOL * np.maximum(1.0, np.abs(val))
                viol &= ~cuts.is_added(t)
                pts = np.flatnonzero(viol)
                if pts.size:
                    master.add(*cuts.rows(pts, t[pts], D[pts], ycol, n), rhs=D[pts])
                    row_pt.append(pts)
                    row_t.append(t[pts])
                    row_D.append(D[pts])
                    added += pts.size
                    break
            core = 0.5 * (core + y)
        if added == 0:
            break
        stall = stall + 1 if added < 0.01 * n else 0
        if stall >= 5:
            lam = 0.0
    out = _LP("optimal", master, cuts)
    sol = master.h.getSolution()
    out.bound = float(master.h.getInfo().objective_function_value)
    out.y = y
    out.rc = np.asarray(sol.col_dual)[:m]
    out.row_pt, out.row_D = np.concatenate(row_pt), np.concatenate(row_D)
    out.row_t = np.concatenate(row_t)
    # Lagrangian multipliers of the classic model's assignment rows: every cut is a
    # subproblem dual (u_i = w_i D), weighed by its LP dual; theta_i's lower bound is the
    # cut at its cheapest cost
    dual = np.asarray(sol.row_dual)[master.rows0 :]
    out.u = np.bincount(out.row_pt, dual * out.row_D, minlength=n).astype(float)
    out.u += np.asarray(sol.col_dual)[m:] * lists.first
    out.dual = dual
    return out


def _branch_and_cut(ctx: Any, data: _Data, w: np.ndarray, fixed: np.ndarray | None,
                    pol: Policy, p: int | None, lp: _LP, best: Any, best_obj: float,
                    allowed: np.ndarray) -> Any:  # fmt: skip
    """Integer phase: branch and bound on ``y`` over the LP master, cuts at every node.

    Candidates whose LP or Lagrangian reduced cost lifts the bound above the incumbent are
    removed; the master is rebuilt on the others with the cuts binding at the LP optimum
    (so its LP bound is unchanged), and every node re-solves it from the previous basis
    with the cuts violated at its solution added (they are valid everywhere; cuts slack
    at the last node are dropped when their number has grown by a tenth). Nodes are taken
    best bound first and branch on the most fractional ``y_j``; reduced-cost fixing applies
    in every subtree. (Diving into one child and pseudo-cost branching were tried on rl1304
    and gave larger trees.) See :class:`_Tree`.
    """
    tree = _Tree(ctx, data, w, fixed, pol, p, lp, best, best_obj)
    if tree.dive(lp.y) and not ctx.timed_out():
        # a better incumbent fixes more candidates: rebuild the master without them
        tree = _Tree(ctx, data, w, fixed, pol, p, lp, tree.best, tree.best_obj)
    lower, stopped = tree.search(hand_over_after())
    if tree.capped:  # still open: HiGHS's MIP on the master finishes (see _master_mip)
        mip_lower, stopped = finish_with_mip(tree, lp.y)
        lower = max(lower, mip_lower)
    lower = max(lower, lp.bound)
    best, best_obj = tree.best, tree.best_obj
    if best is None:
        if not stopped:  # the whole tree was searched: nothing is feasible
            return Outcome(Status.INFEASIBLE)
        return Outcome(Status.NOT_SOLVED, bound=lower if math.isfinite(lower) else math.nan)
    status = Status.OPTIMAL if rel_ok(best_obj, lower) else Status.FEASIBLE
    return Outcome(status, allowed[np.sort(best)], best_obj, min(lower, best_obj))


class _Tree:
    """The branch and cut of :func:`_branch_and_cut`: reduced master, cut rows, incumbent."""

    def __init__(self, ctx: Any, data: _Data, w: np.ndarray, fixed: np.ndarray | None,
                 pol: Policy, p: int | None, lp: _LP, best: Any,
                 best_obj: float) -> None:  # fmt: skip
        self.ctx, self.data, self.w, self.fixed, self.pol, self.p = ctx, data, w, fixed, pol, p
        self.best, self.best_obj = best, best_obj
        self.gap_rel = OPTIMAL_GAP / 10 if ctx.mip_gap is None else ctx.mip_gap
        lists = lp.cuts.L  # the LP's lists (grown there as far as it needed)
        n, m_all = lists.n, lists.m
        f_all = np.zeros(m_all) if fixed is None else fixed
        with ctx.building():
            forced = pol.required.copy()
            tol = self.tolerance()
            L, up_l, down_l, _ = _lagrange(lists, w, f_all, lp.u, p, forced)
            self.bound0 = max(lp.bound, L)
            rc = lp.rc
            slack = best_obj - L + tol  # the Lagrangian increases are relative to L
            out = ((up_l > slack) | ((rc > 0) & (lp.bound + rc > best_obj + tol))) & ~forced
            forced |= (down_l > slack) | ((rc < 0) & (lp.bound - rc > best_obj + tol))
            self.keep = keep = np.flatnonzero(~out | forced)
            self.forced = forced[keep]
            self.m = m = len(keep)
            self.f = f_all[keep]
            self.pol_k = pol.subset(keep)
            # the root's reduced costs, to fix again whenever the incumbent improves
            self.root = (L, lp.bound, up_l[keep], down_l[keep], rc[keep])
            self.fix_at = best_obj
            self.fix_lo, self.fix_up = self.forced.astype(float), np.ones(m)
            # the binding cuts at the LP optimum, on the kept candidates (the others are 0
            # there): the kept entries before the cut's level in the LP's lists
            bind = np.flatnonzero(lp.dual > 1e-9)
            bp, bD = lp.row_pt[bind], lp.row_D[bind]
            head = lists.indptr[bp]
            self.sub, flag = data.subset(keep)  # data.lists is the LP's lists
            kc = np.concatenate([[0], np.cumsum(flag)])
            bt = kc[head + lp.row_t[bind]] - kc[head]
            self.cuts = cuts = _Cuts(self.sub.lists)
            self.master = _Master(ctx, w, self.f, self.sub.lists.first, pol, keep, p,
                                  self.forced)  # fmt: skip
            self.ycol = np.arange(m, dtype=np.int32)
            # the cut rows of the master: their point and (for rows separation knows)
            # sorted position
            self.master.add(*cuts.rows(bp, bt, bD, self.ycol, n, mark=False), rhs=bD)
            self.r_pt, self.r_t, self.r_D = [bp], [np.full(len(bp), -1)], [bD]
            if best is not None and np.isin(best, keep).all():  # the incumbent's cuts
                inc = np.zeros(m)
                inc[np.searchsorted(keep, best)] = 1.0
                t, D, _ = cuts.separate(inc)
                self.add_cuts(np.flatnonzero(~cuts.is_added(t)), t, D)
        self.purge_at = int(_PURGE * (self.master.h.getNumRow() - self.master.rows0))
        self.t0, self.heur_time = time.perf_counter(), 0.0
        self.capped = False

    def tolerance(self) -> float:
        """How close to the incumbent a bound may come and still be pruned (the gap)."""
        b = self.best_obj
        return self.gap_rel * max(1.0, abs(b)) if math.isfinite(b) else 0.0

    def add_cuts(self, pts: np.ndarray, t: np.ndarray, D: np.ndarray) -> None:
        """Add the cuts of points ``pts`` at their sorted positions ``t`` (costs ``D``)."""
        self.add_cuts_at(pts, t[pts], D[pts])

    def add_cuts_at(self, pts: np.ndarray, t: np.ndarray, D: np.ndarray) -> None:
        """Add one cut per entry: point ``pts[k]`` at sorted position ``t[k]``, cost ``D[k]``."""
        if len(pts):
            n = len(self.w)
            self.master.add(*self.cuts.rows(pts, t, D, self.ycol, n), rhs=D)
            self.r_pt.append(pts)
            self.r_t.append(t)
            self.r_D.append(D)

    def incumbent_y(self) -> np.ndarray | None:
        """The incumbent as 0/1 values of the kept candidates (None if it has another)."""
        if self.best is None or not np.isin(self.best, self.keep).all():
            return None
        y = np.zeros(self.m)
        y[np.searchsorted(self.keep, self.best)] = 1.0
        return y

    def serve_of(self, y: np.ndarray) -> np.ndarray:
        """Each point's cost from its cheapest open candidate in the 0/1 point ``y``."""
        return self.sub.lists.nearest_open(y > 0.5, 1)[1][:, 0]

    def purge(self) -> None:
        """Drop the cuts slack at the last node solved (separation finds them again)."""
        h, rows0 = self.master.h, self.master.rows0
        k = h.getNumRow() - rows0
        if k <= self.purge_at:
            return
        rpt, rt = np.concatenate(self.r_pt), np.concatenate(self.r_t)
        rD = np.concatenate(self.r_D)
        act = np.asarray(h.getSolution().row_value)[rows0:]
        lo_r = np.asarray(h.getLp().row_lower_)[rows0:]
        slack = act - lo_r > 1e-6 * np.maximum(1.0, np.abs(lo_r))
        drop = np.flatnonzero(slack)
        if drop.size == 0:
            self.purge_at = int(_PURGE * k)
            return
        h.deleteRows(drop.size, (drop + rows0).astype(np.int32))
        marked = drop[rt[drop] >= 0]
        self.cuts.unmark(rpt[marked], rt[marked])
        left = ~slack
        self.r_pt, self.r_t, self.r_D = [rpt[left]], [rt[left]], [rD[left]]
        self.purge_at = int(_PURGE * int(left.sum()))

    def refix(self) -> None:
        """Root reduced-cost and Lagrangian fixing against the improved incumbent.

        A candidate whose opening (closing) lifts the root's LP or Lagrangian bound above
        the incumbent is closed (opened) in every node from now on: no solution better than
        the incumbent has it otherwise.
        """
        L, lpb, up_l, down_l, rc = self.root
        best, tol = self.best_obj, self.tolerance()
        slack = best - L + tol
        out = (up_l > slack) | ((rc > 0) & (lpb + rc > best + tol))
        into = (down_l > slack) | ((rc < 0) & (lpb - rc > best + tol))
        self.fix_up = np.where(out & ~self.forced, 0.0, 1.0)
        self.fix_lo = np.where(into | self.forced, 1.0, 0.0)
        self.fix_at = best

    def node_lp(self, lo: np.ndarray, up: np.ndarray) -> Any:
        """Cut loop at a node: (bound, y, reduced costs), None, "time", or a float.

        None when the node is infeasible, "time" on time out, and the node's bound alone
        (a float) when it is pruned against the incumbent.
        """
        ctx, master, h = self.ctx, self.master, self.master.h
        self.purge()
        if self.best_obj < self.fix_at:
            self.refix()
        lo, up = _with_fixings(lo, up, self.fix_lo, self.fix_up)
        h.changeColsBounds(self.m, self.ycol, lo, up)
        while True:
            if ctx.timed_out():
                return "time"
            st = master.run()
            if st not in ("Optimal", "Infeasible") and not ctx.timed_out():
                h.clearSolver()  # numerical trouble from a warm start: solve from scratch
                st = master.run()
            if st == "Infeasible":
                return None
            if st != "Optimal":
                return "time"
            val = float(h.getInfo().objective_function_value)
            if val > self.best_obj - self.tolerance():
                return val
            y, theta = master.solution()
            with ctx.building():
                t, D, cv = self.cuts.separate(y)
                viol = cv > theta + _VIOL * np.maximum(1.0, np.abs(cv))
                viol &= ~self.cuts.is_added(t)
                pts = np.flatnonzero(viol)
                if pts.size == 0:
                    return val, y, np.asarray(h.getSolution().col_dual)[: self.m]
                self.add_cuts(pts, t, D)

    def improve(self, y: np.ndarray, lo: np.ndarray) -> None:
        """The rounding-and-swap heuristic at a node's LP point ``y``."""
        t = time.perf_counter()
        with self.ctx.building():
            top = _round(y, self.p, lo > 0.5)
            if self.pol.feasible(self.keep[top], self.p):
                self.polish(top)
        self.heur_time += time.perf_counter() - t

    def polish(self, top: np.ndarray) -> None:
        """Improve the kept candidates ``top`` (local positions) by swaps; take if better."""
        f = self.f if self.fixed is not None else None
        cand = self.sub.swap(self.w, top, self.pol_k, f)
        obj = self.sub.serve(self.w, cand, f)
        if obj < self.best_obj:
            self.best, self.best_obj = self.keep[cand], obj

    def dive(self, y_lp: np.ndarray) -> bool:
        """Depth-first search inside the LP optimum's box, for a better incumbent.

        The candidates integral at the LP optimum keep their values and only the
        fractional ones are branched on, the child nearer the LP value first (a RINS-like
        neighbourhood: Danna, Rothberg & Le Pape 2005), for at most :data:`_DIVE_NODES`
        nodes or :data:`_DIVE_SHARE` of the time left; the best point found is then
        improved by local search. Returns whether the incumbent improved. Nothing found
        here bounds anything: the search proper starts afresh.
        """
        y = y_lp[self.keep]
        if not ((y > 1e-6) & (y < 1 - 1e-6)).any():
            return False
        start, obj0 = time.perf_counter(), self.best_obj
        rem = self.ctx.remaining()
        budget = _DIVE_SECONDS if rem is None else min(_DIVE_SECONDS, _DIVE_SHARE * rem)
        stack = [(np.maximum((y > 1 - 1e-6).astype(float), self.forced),
                  (y > 1e-6).astype(float))]  # fmt: skip
        nodes = 0
        while stack and nodes < _DIVE_NODES and time.perf_counter() - start < budget:
            lo, up = stack.pop()
            res = self.node_lp(lo, up)
            nodes += 1
            if isinstance(res, str):
                break
            if res is None or isinstance(res, float):
                continue
            val, yn, _ = res
            frac = np.flatnonzero((yn > 1e-6) & (yn < 1 - 1e-6))
            if frac.size == 0:
                self.offer(self.keep[np.flatnonzero(yn > 0.5)])
                continue
            j = frac[np.argmax(np.abs(yn[frac] - 0.5))]  # the least fractional
            for v in (0.0, 1.0) if yn[j] >= 0.5 else (1.0, 0.0):  # nearer value last
                clo, cup = lo.copy(), up.copy()
                clo[j] = cup[j] = v
                stack.append((clo, cup))
        if self.best is not None and self.best_obj < obj0:
            with self.ctx.building():
                f = self.fixed
                top = self.data.swap(self.w, np.asarray(self.best), self.pol, f)
                self.offer(top)
        return self.best_obj < obj0

    def offer(self, sel: np.ndarray) -> None:
        """Take the open candidates ``sel`` (positions in the instance) if they are better."""
        obj = self.data.serve(self.w, sel, self.fixed)
        if obj < self.best_obj:
            self.best, self.best_obj = np.sort(sel), obj

    def child_bounds(self, lo: np.ndarray, up: np.ndarray, val: float,
                     rc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """A solved node's bounds for its children (before the branching candidate's).

        Its own bounds, the tree's fixings, and reduced-cost fixing with the node's LP
        (bound ``val``, reduced costs ``rc``). Only candidates free at the node are fixed
        by their reduced costs: a candidate the tree has fixed (:meth:`refix`) sits at
        both its bounds in the LP, where its reduced cost can take either sign and says
        nothing about moving it (read as if it were free, it closed a candidate the tree
        had opened, and the node's whole subtree, the optimum with it, was lost as
        infeasible).
        """
        lo, up = _with_fixings(lo, up, self.fix_lo, self.fix_up)
        free = (lo < 0.5) & (up > 0.5)
        bar = self.best_obj + self.tolerance()
        up[free & (rc > 0) & (val + rc > bar)] = 0.0
        lo[free & (rc < 0) & (val - rc > bar)] = 1.0
        return lo, up

    def search(self, max_nodes: int | None = None) -> tuple[float, bool]:
        """Best-bound search; returns (lower bound, stopped by the time limit).

        After ``max_nodes`` nodes the search stops with its open nodes' least bound and
        :attr:`capped` set.

        A subtree pruned against the incumbent keeps its bound: with a gap tolerance it is
        dropped when its bound is merely close to the incumbent, so that bound still
        counts in the final lower bound (it is not the incumbent's value).
        """
        import heapq

        m = self.m
        # open nodes keep their bounds as bits (an open node's two float arrays would be
        # 16 bytes per candidate: gigabytes once thousands of nodes are open)
        pack, unpack = _pack, lambda b: _unpack(b, m)
        heap: list[Any] = [(self.bound0, 0, *pack(self.forced.astype(float), np.ones(m)))]
        count, nodes, pruned = 1, 0, math.inf
        while heap:
            if max_nodes is not None and nodes >= max_nodes:
                self.capped = True
                return min([self.best_obj, pruned, *(x[0] for x in heap)]), False
            nlb, _, blo, bup = heapq.heappop(heap)
            if nlb > self.best_obj - self.tolerance():
                pruned = min(pruned, nlb)
                continue
            lo, up = unpack(blo), unpack(bup)
            res = self.node_lp(lo, up)
            if isinstance(res, str):  # time out: the node stays open
                heapq.heappush(heap, (nlb, count, blo, bup))
                return min([self.best_obj, pruned, *(x[0] for x in heap)]), True
            nodes += 1
            if res is None:
                continue
            if isinstance(res, float):
                pruned = min(pruned, max(res, nlb))
                continue
            val, y, rcv = res
            frac = np.flatnonzero((y > 1e-6) & (y < 1 - 1e-6))
            if frac.size == 0:  # integral, and its cuts are exact: this node is solved
                self.offer(self.keep[np.flatnonzero(y > 0.5)])
                continue
            if nodes % _NODE_HEURISTIC == 1 and self.heur_time < _HEUR_SHARE * (
                time.perf_counter() - self.t0
            ):
                self.improve(y, lo)
            lo, up = self.child_bounds(lo, up, val, rcv)
            j = frac[np.argmin(np.abs(y[frac] - 0.5))]  # the most fractional
            for v in (1.0, 0.0):
                clo, cup = lo.copy(), up.copy()
                clo[j] = cup[j] = v
                heapq.heappush(heap, (val, count, *pack(clo, cup)))
                count += 1
        return min(self.best_obj, pruned), False
