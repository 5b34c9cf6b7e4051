"""Benders decomposition of the p-median (Duran-Mateluna, Ales & Elloumi 2023).

The radius formulation (see :mod:`borderhub.locate._radius`) is projected onto the opening
variables ``y`` and one variable ``theta_i`` per demand point (its cost). With the distinct
costs ``D_i^0 < D_i^1 < ...`` of point ``i``, the projection is described by the optimality
cuts

    theta_i + sum_{j: c_ij < D_i^k} (D_i^k - c_ij) y_j >= D_i^k        (every level k)

so a cut is fixed by the pair ``(i, k)``: no subproblem needs to be solved. For a point
``y*`` the most violated cut of ``i`` is the one at the first level whose cumulative
``sum_{c_ij <= D_i^k} y*_j`` reaches 1 (a closed form from the sorted costs).

The method:

1. a heuristic start (greedy, then best-improvement swaps), which respects the policy
   constraints and gives the upper bound;
2. the LP relaxation of the master solved by a cut loop with in-out stabilisation
   (Ben-Ameur & Neto 2007; Fischetti, Ljubic & Sinnl 2017) -- its bound equals the LP bound
   of the radius and the classic formulations;
3. reduced-cost fixing: a candidate whose reduced cost lifts the LP bound above the
   incumbent cannot be open in a better solution and is removed; the LP phase is repeated
   on the smaller candidate set (cuts get shorter and tighter) while that pays;
4. the integer master with the binding cuts, re-solved after adding the cuts of its
   solution until its optimum is attained by a feasible solution (then optimal).

It talks to HiGHS through highspy directly rather than through PuLP: the cut loop adds rows
to a model that stays loaded and re-solves it from the previous basis (dual simplex), which
PuLP cannot do -- it would rebuild and re-pass the whole model row by row at every round.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SolverError
from borderhub.locate.solution import OPTIMAL_GAP, Status

#: Weight of the core point in the in-out separation point.
_INOUT = 0.5
#: Relative tolerance of cut violation.
_VIOL = 1e-7
_GE, _LE, _EQ = 1, -1, 0  # pulp.LpConstraintGE / LE / EQ
#: Wall-clock cap of one local search (it only improves the start; the LP phase does the rest).
_SWAP_SECONDS = 2.0
#: The LP phase is repeated on the smaller candidate set while fixing removes this share.
_REFIX = 0.2


class _Policy:
    """Required / group constraints on the allowed candidates, as arrays."""

    def __init__(self, model: Any, allowed: np.ndarray) -> None:
        labels = model.cost.columns[allowed]
        self.required = np.asarray(labels.isin(model.required))
        m = len(allowed)
        self.gcode = np.full(m, -1, dtype=np.int64)
        self.lo = np.zeros(0, dtype=np.int64)
        self.hi = np.zeros(0, dtype=np.int64)
        if model.groups is not None:
            grp = model.groups.reindex(labels)
            names = pd.Index(grp.dropna().unique())
            self.gcode = names.get_indexer(grp)
            big = m + 1
            self.lo = np.array([model.min_per_group.get(g, 0) for g in names], dtype=np.int64)
            self.hi = np.array([model.max_per_group.get(g, big) for g in names], dtype=np.int64)

    def counts(self, opened: np.ndarray) -> np.ndarray:
        g = self.gcode[opened]
        return np.bincount(g[g >= 0], minlength=len(self.lo))

    def feasible(self, opened: np.ndarray, p: int) -> bool:
        opened = np.asarray(opened, dtype=np.int64)
        if len(opened) != p or len(np.unique(opened)) != p:
            return False
        if not np.isin(np.flatnonzero(self.required), opened).all():
            return False
        cnt = self.counts(opened)
        return bool(np.all(cnt >= self.lo) and np.all(cnt <= self.hi))


def heuristic(C: np.ndarray, w: np.ndarray, p: int, pol: _Policy) -> np.ndarray | None:
    """Greedy add, then best-improvement swaps; ``None`` if no feasible start was found."""
    n, m = C.shape
    opened: list[int] = [int(j) for j in np.flatnonzero(pol.required)]
    cur = C[:, opened].min(axis=1) if opened else np.full(n, np.inf)
    cnt = pol.counts(np.array(opened, dtype=np.int64))
    is_open = np.zeros(m, dtype=bool)
    is_open[opened] = True
    while len(opened) < p:
        left = p - len(opened)
        need = np.maximum(pol.lo - cnt, 0)
        ok = ~is_open
        g = pol.gcode
        grouped = g >= 0
        ok[grouped] &= cnt[g[grouped]] < pol.hi[g[grouped]]
        if need.sum() >= left:  # every remaining slot must go to a group below its minimum
            ok &= grouped
            ok[grouped] &= need[g[grouped]] > 0
        cand = np.flatnonzero(ok)
        if cand.size == 0:
            return None
        if n:
            tot = w @ np.minimum(cur[:, None], C[:, cand]) if np.isfinite(cur).all() else None
            if tot is None:
                tot = w @ C[:, cand]
        else:
            tot = np.zeros(cand.size)
        j = int(cand[int(np.argmin(tot))])
        opened.append(j)
        is_open[j] = True
        if g[j] >= 0:
            cnt[g[j]] += 1
        cur = np.minimum(cur, C[:, j])
    out = np.array(opened, dtype=np.int64)
    if not pol.feasible(out, p):
        return None
    if n == 0 or p == m:
        return out
    return _swap(C, w, out, pol)


def _swap(C: np.ndarray, w: np.ndarray, opened: np.ndarray, pol: _Policy) -> np.ndarray:
    """Best-improvement interchange (Teitz & Bart 1968) in O(n m) per move."""
    n, m = C.shape
    opened = opened.copy()
    p = len(opened)
    rows = np.arange(n)
    stop = time.perf_counter() + _SWAP_SECONDS
    for _ in range(50 * p):
        if time.perf_counter() > stop:
            break
        sub = C[:, opened]
        if p > 1:
            part = np.argpartition(sub, 1, axis=1)
            near = part[:, 0]
            d1 = sub[rows, near]
            d2 = sub[rows, part[:, 1]]
        else:
            near = np.zeros(n, dtype=np.int64)
            d1 = sub[:, 0]
            d2 = np.full(n, np.inf)
        obj = float(w @ d1)
        m1 = np.minimum(C, d1[:, None])
        gain = w @ (m1 - d1[:, None])  # <= 0: adding j
        loss_rows = w[:, None] * (np.minimum(C, d2[:, None]) - m1)  # >= 0
        order = np.argsort(near, kind="stable")
        starts = np.searchsorted(near[order], np.arange(p))
        loss = np.zeros((p, m))
        nonempty = starts < n
        if nonempty.any():
            red = np.add.reduceat(loss_rows[order], starts[nonempty], axis=0)
            # reduceat gives the next group's rows for empty groups: keep only real ones
            present = np.bincount(near, minlength=p) > 0
            loss[nonempty] = red
            loss[~present] = 0.0
        delta = gain[None, :] + loss
        is_open = np.zeros(m, dtype=bool)
        is_open[opened] = True
        delta[:, is_open] = np.inf
        delta[pol.required[opened], :] = np.inf
        if len(pol.lo):
            cnt = pol.counts(opened)
            gin = pol.gcode[None, :]
            gout = pol.gcode[opened][:, None]
            same = gin == gout
            bad_in = (gin >= 0) & (cnt[np.maximum(gin, 0)] + 1 > pol.hi[np.maximum(gin, 0)])
            bad_out = (gout >= 0) & (cnt[np.maximum(gout, 0)] - 1 < pol.lo[np.maximum(gout, 0)])
            delta[~same & (bad_in | bad_out)] = np.inf
        r, j = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if not delta[r, j] < -1e-9 * max(1.0, abs(obj)):
            break
        opened[r] = j
    return opened


class _Cuts:
    """Sorted costs of the demand points and the closed-form Benders cuts."""

    def __init__(self, C: np.ndarray) -> None:
        self.order = np.argsort(C, axis=1, kind="stable")
        self.S = np.take_along_axis(C, self.order, axis=1)
        n, m = C.shape
        # level start of each sorted position: positions sharing a cost share the cut
        first = np.ones((n, m), dtype=bool)
        if m > 1:
            first[:, 1:] = self.S[:, 1:] > self.S[:, :-1]
        self.start = np.maximum.accumulate(np.where(first, np.arange(m)[None, :], 0), axis=1)
        self.added = np.zeros((n, m), dtype=bool)  # (point, level start) already a row

    def separate(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each point: level start ``t`` of its deepest cut at ``y``, ``D``, value."""
        n, m = self.S.shape
        Ys = y[self.order]
        cum = np.cumsum(Ys, axis=1)
        pos = np.argmax(cum >= 1.0 - 1e-9, axis=1)
        reach = cum[np.arange(n), -1] >= 1.0 - 1e-9
        pos = np.where(reach, pos, m - 1)
        t = self.start[np.arange(n), pos]
        D = self.S[np.arange(n), t]
        mask = np.arange(m)[None, :] < t[:, None]
        val = D - ((D[:, None] - self.S) * Ys * mask).sum(axis=1)
        return t, D, val

    def rows(
        self, pts: np.ndarray, t: np.ndarray, D: np.ndarray, ycol: np.ndarray, n: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR arrays of the cuts of points ``pts`` at level starts ``t``."""
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
            idx[tgt] = ycol[self.order[pts[r], off]]
            val[tgt] = D[r] - self.S[pts[r], off]
        self.added[pts, t] = True
        return starts[:-1].astype(np.int32), idx, val


class _Master:
    """The Benders master in HiGHS: y (candidates), theta (points), cuts."""

    def __init__(self, ctx: Any, w: np.ndarray, S0: np.ndarray, pol: _Policy, keep: np.ndarray,
                 p: int, fix_one: np.ndarray) -> None:  # fmt: skip
        import highspy

        self.ctx = ctx
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", bool(ctx.msg))
        h.setOptionValue("random_seed", 0)
        m, n = len(keep), len(w)
        self.m, self.n = m, n
        inf = highspy.kHighsInf
        lo = np.where(fix_one, 1.0, 0.0)
        h.addVars(m, lo, np.ones(m))
        h.addVars(n, S0.astype(float), np.full(n, inf))
        h.changeColsCost(m + n, np.arange(m + n, dtype=np.int32), np.concatenate([np.zeros(m), w]))
        allm = np.arange(m, dtype=np.int32)
        h.addRows(1, np.array([float(p)]), np.array([float(p)]), m, np.array([0], np.int32),
                  allm, np.ones(m))  # fmt: skip
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

    def run(self) -> str:
        """Solve within the remaining time; the HiGHS model status as a name."""
        return _run(self.h, self.ctx, "the Benders master")

    def solution(self) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(self.h.getSolution().col_value)
        return x[: self.m], x[self.m :]


def _cost(C: np.ndarray, w: np.ndarray, opened: np.ndarray) -> float:
    return float(w @ C[:, opened].min(axis=1)) if len(w) else 0.0


def solve_benders(model: Any, ctx: Any) -> Any:
    """Exact p-median by Benders decomposition; returns an ``_Outcome``."""
    from borderhub.locate.base import _Outcome

    with ctx.building():
        act, allowed = model._active, model._allowed_pos
        C = model._C[np.ix_(act, allowed)]
        w = model._w[act]
        p = int(model.p)
        pol = _Policy(model, allowed)
        best = heuristic(C, w, p, pol)
    best_obj = _cost(C, w, best) if best is not None else math.inf
    lower = -math.inf

    def outcome(status: Status, bound: float) -> Any:
        bound = bound if math.isfinite(bound) else math.nan
        if best is None:
            return _Outcome(Status.NOT_SOLVED, bound=bound)
        return _Outcome(status, allowed[np.sort(best)], best_obj, min(bound, best_obj))

    if len(w) == 0 and best is not None:
        return outcome(Status.OPTIMAL, 0.0)
    keep = np.arange(C.shape[1])  # candidates still in the model
    fix_one = pol.required.copy()
    core = np.zeros(C.shape[1])
    if best is not None:
        core[best] = 1.0
    else:
        core[:] = p / C.shape[1]
    final_lp = None
    for _round in range(6):
        res = _lp_phase(ctx, C[:, keep], w, pol, keep, p, fix_one[keep], core[keep])
        if res is None:  # time out
            return outcome(Status.FEASIBLE, lower)
        status, lb, rc, cuts_state, y_lp = res
        if status == "infeasible":
            return _Outcome(Status.INFEASIBLE)
        with ctx.building():  # LP rounding: the p largest y_j, improved by swaps
            top = keep[np.argsort(-y_lp, kind="stable")[:p]]
            if pol.feasible(top, p):
                top = _swap(C, w, top, pol)
                obj = _cost(C, w, top)
                if obj < best_obj:
                    best, best_obj = top, obj
                    core = np.zeros(C.shape[1])
                    core[best] = 1.0
        lower = max(lower, lb)
        final_lp = (keep, cuts_state)
        if best is None:
            break
        if rel_ok(best_obj, lower):
            return outcome(Status.OPTIMAL, lower)
        tol = 1e-7 * max(1.0, abs(best_obj))
        drop = (rc > 0) & (lb + rc > best_obj + tol) & ~fix_one[keep]
        lift = (rc < 0) & (lb - rc > best_obj + tol)
        fix_one[keep[lift]] = True
        if drop.sum() < _REFIX * len(keep) or (len(keep) - drop.sum()) < p:
            break
        keep = keep[~drop]
    assert final_lp is not None  # the loop runs at least once
    keep, cuts = final_lp
    ub_fix = best_obj if len(keep) < C.shape[1] else math.inf
    return _radius_phase(ctx, C, w, pol, keep, p, fix_one, ub_fix, best, best_obj, lower,
                         allowed)  # fmt: skip


def rel_ok(obj: float, bound: float) -> bool:
    return math.isfinite(obj) and bound >= obj - OPTIMAL_GAP * max(abs(obj), 1e-12)


def _lp_phase(ctx: Any, C: np.ndarray, w: np.ndarray, pol: _Policy, keep: np.ndarray, p: int,
              fix_one: np.ndarray, core: np.ndarray) -> Any:  # fmt: skip
    """Cut loop on the LP relaxation; (status, bound, reduced costs of y, cuts) or None."""
    with ctx.building():
        cuts = _Cuts(C)
        n, m = C.shape
        ycol = np.arange(m, dtype=np.int32)
        master = _Master(ctx, w, cuts.S[:, 0], pol, keep, p, fix_one)
        # start with the cuts at the core point (the incumbent when there is one)
        t, D, _ = cuts.separate(core)
        pts = np.arange(n)
        master.add(*cuts.rows(pts, t, D, ycol, n), rhs=D)
    lam = _INOUT
    stall = 0
    lb = -math.inf
    while True:
        if ctx.timed_out():
            return None
        st = master.run()
        if st == "Infeasible":
            return "infeasible", math.nan, None, None, None
        if st != "Optimal":
            return None
        lb = float(master.h.getInfo().objective_function_value)
        y, theta = master.solution()
        with ctx.building():
            added = 0
            for sep in ((lam * core + (1 - lam) * y) if lam > 0 else y, y):
                t, D, _ = cuts.separate(sep)
                # the cut's value at the LP point decides whether it cuts it off
                Ys = y[cuts.order]
                mask = np.arange(m)[None, :] < t[:, None]
                val = D - ((D[:, None] - cuts.S) * Ys * mask).sum(axis=1)
                viol = val > theta + _VIOL * np.maximum(1.0, np.abs(val))
                viol &= ~cuts.added[np.arange(n), t]
                pts = np.flatnonzero(viol)
                if pts.size:
                    master.add(*cuts.rows(pts, t[pts], D[pts], ycol, n), rhs=D[pts])
                    added += pts.size
                    break
            core = 0.5 * (core + y)
        if added == 0:
            break
        stall = stall + 1 if added < 0.01 * n else 0
        if stall >= 5:
            lam = 0.0
    rc = np.asarray(master.h.getSolution().col_dual)[:m]
    return "optimal", lb, rc, cuts, y


def _radius_phase(ctx: Any, C: np.ndarray, w: np.ndarray, pol: _Policy, keep: np.ndarray,
                  p: int, fix_one: np.ndarray, ub_fix: float, best: Any, best_obj: float,
                  lower: float, allowed: np.ndarray) -> Any:  # fmt: skip
    """Integer phase: the chained radius formulation on the kept candidates, in HiGHS.

    Candidates outside ``keep`` were removed because every solution opening one costs more
    than ``ub_fix``, so ``min(bound over keep, ub_fix)`` is a valid lower bound. After
    reduced-cost fixing the candidate set is small, and the radius rows give every
    branch-and-bound node the full LP bound (which a master holding only the root's cuts
    lacks).
    """
    from borderhub.locate._radius import _SLACK_MIN, _SLACK_PER, _Levels
    from borderhub.locate.base import _Outcome

    Ck = C[:, keep]
    n, m = Ck.shape
    with ctx.building():
        lv = _Levels(Ck, m - p + 1)
        if best is not None and np.isin(best, keep).all():
            start = np.searchsorted(keep, best)
        else:
            start = np.zeros(0, dtype=np.int64)
        k = lv.initial(Ck, start, max(_SLACK_MIN, _SLACK_PER * math.ceil(m / p)))
    gap = OPTIMAL_GAP / 10 if ctx.mip_gap is None else ctx.mip_gap
    while not ctx.timed_out():
        with ctx.building():
            b = _ArrayBuilder()
            y = b.variables("y", m, 0.0, 1.0)
            b.lo[0][fix_one[keep]] = 1.0
            b.rows("card", np.zeros(m, dtype=np.int64), y, 1.0, _EQ, float(p), 1)
            g = pol.gcode[keep]
            for q in range(len(pol.lo)):
                sel = np.flatnonzero(g == q)
                if sel.size:
                    b.rows("g", np.zeros(sel.size, dtype=np.int64), y[sel], 1.0, _GE,
                           float(pol.lo[q]), 1)  # fmt: skip
                    b.rows("g", np.zeros(sel.size, dtype=np.int64), y[sel], 1.0, _LE,
                           float(pol.hi[q]), 1)  # fmt: skip
            lv.add_rows(b, y, w, k)
            h = b.highs(ctx, y)
            h.setOptionValue("mip_rel_gap", gap)
            if math.isfinite(best_obj):
                h.setOptionValue("objective_bound", best_obj + 1e-9 * max(1.0, abs(best_obj)))
        st = _run(h, ctx)
        info = h.getInfo()
        if st == "Infeasible":
            if best is None:
                return _Outcome(Status.INFEASIBLE)
            lower = max(lower, min(best_obj, ub_fix))  # nothing better than the incumbent
            break
        mb = float(info.mip_dual_bound)
        if math.isfinite(mb):
            lower = max(lower, min(mb, ub_fix))
        if int(info.primal_solution_status) != 2:
            break
        yv = np.asarray(h.getSolution().col_value)[:m]
        sel = np.flatnonzero(yv > 0.5)
        t = Ck[:, sel].min(axis=1)
        true = float(w @ t)
        if true < best_obj:
            best_obj, best = true, keep[sel]
        under = lv.undercharged(k, t)
        if st != "Optimal":
            break
        if not under.any():
            lower = max(lower, min(float(info.mip_dual_bound), ub_fix))
            break
        k = lv.expand(k, t, np.flatnonzero(under))
    if best is None:
        return _Outcome(Status.NOT_SOLVED, bound=lower if math.isfinite(lower) else math.nan)
    status = Status.OPTIMAL if rel_ok(best_obj, lower) else Status.FEASIBLE
    bound = min(lower, best_obj) if math.isfinite(lower) else math.nan
    return _Outcome(status, allowed[np.sort(best)], best_obj, bound)


def _run(h: Any, ctx: Any, what: str = "the model") -> str:
    """Run HiGHS within the context's remaining time; its model status as a name."""
    rem = ctx.remaining()
    if rem is not None:
        h.setOptionValue("time_limit", max(rem, 0.01))
    t = time.perf_counter()
    try:
        h.run()
    except Exception as err:  # pragma: no cover - HiGHS internal failure
        raise SolverError(f"HiGHS failed on {what}: {err}") from err
    finally:
        ctx.solve_time += time.perf_counter() - t
        ctx.calls += 1
    return str(h.modelStatusToString(h.getModelStatus()))


class _ArrayBuilder:
    """The :class:`~borderhub.locate._milp._Builder` interface over column indices.

    :class:`~borderhub.locate._radius._Levels` writes its rows through it; the model is then
    passed to HiGHS in one call (no per-row Python objects).
    """

    def __init__(self) -> None:
        self.ncol = 0
        self.lo: list[np.ndarray] = []
        self.up: list[np.ndarray] = []
        self.cost: list[tuple[np.ndarray, np.ndarray]] = []
        self.coo: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.rlo: list[np.ndarray] = []
        self.rup: list[np.ndarray] = []
        self.nrow = 0
        self.constant = 0.0

    def variables(self, name: str, n: int, low: float = 0.0, up: float | None = None,
                  binary: bool = False) -> np.ndarray:  # fmt: skip
        idx = np.arange(self.ncol, self.ncol + n)
        self.ncol += n
        self.lo.append(np.full(n, float(low)))
        self.up.append(np.full(n, math.inf if up is None else float(up)))
        return idx

    def rows(self, prefix: str, row: np.ndarray, var: np.ndarray, coef: Any, sense: int,
             rhs: Any, n_rows: int | None = None) -> None:  # fmt: skip
        row = np.asarray(row, dtype=np.int64)
        n_rows = int(row.max()) + 1 if n_rows is None else n_rows
        coef = np.broadcast_to(np.asarray(coef, dtype=float), row.shape)
        rhs = np.broadcast_to(np.asarray(rhs, dtype=float), (n_rows,))
        self.coo.append((row + self.nrow, np.asarray(var, dtype=np.int64), coef))
        inf = np.full(n_rows, math.inf)
        lo, up = {_GE: (rhs, inf), _LE: (-inf, rhs)}.get(sense, (rhs, rhs))
        self.rlo.append(lo)
        self.rup.append(up)
        self.nrow += n_rows

    def objective(self, var: np.ndarray, coef: Any) -> None:
        var = np.asarray(var, dtype=np.int64)
        self.cost.append((var, np.broadcast_to(np.asarray(coef, dtype=float), var.shape)))

    def highs(self, ctx: Any, integer: np.ndarray) -> Any:
        """A loaded ``highspy.Highs`` with this model (columns ``integer`` integral)."""
        import highspy
        import scipy.sparse as sp

        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(ctx.msg))
        h.setOptionValue("random_seed", 0)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.ncol, self.nrow
        cost = np.zeros(self.ncol)
        for v, c in self.cost:
            np.add.at(cost, v, c)
        lp.col_cost_ = cost
        big = highspy.kHighsInf

        def clip(a: list[np.ndarray]) -> np.ndarray:
            x = np.concatenate(a) if a else np.zeros(0)
            return np.clip(x, -big, big)

        lp.col_lower_, lp.col_upper_ = clip(self.lo), clip(self.up)
        lp.row_lower_, lp.row_upper_ = clip(self.rlo), clip(self.rup)
        r = np.concatenate([c[0] for c in self.coo])
        v = np.concatenate([c[1] for c in self.coo])
        x = np.concatenate([c[2] for c in self.coo])
        A = sp.csc_matrix((x, (r, v)), shape=(self.nrow, self.ncol))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data
        lp.offset_ = float(self.constant)
        integrality = np.zeros(self.ncol, dtype=np.int32)
        integrality[integer] = 1
        lp.integrality_ = [highspy.HighsVarType(int(k)) for k in integrality]
        h.passModel(lp)
        return h


def _set_solution(h: Any, x: np.ndarray) -> None:
    import highspy

    sol = highspy.HighsSolution()
    sol.col_value = list(map(float, x))
    sol.value_valid = True
    h.setSolution(sol)
