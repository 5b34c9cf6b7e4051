"""Exact capacitated facility location: heuristic start, Lagrangian bound and fixing, MIP.

The model (see :class:`~borderhub.locate.FacilityLocation`)::

    min  sum_j f_j y_j + sum_ij w_i c_ij x_ij
    s.t. sum_j x_ij = 1                 (demand rows, one per demand point i)
         sum_i w_i x_ij <= Q_j y_j      (capacity)      x_ij <= y_j   (strong linking)
         sum_j Q_j y_j >= sum_i w_i     (aggregate capacity)
         y binary, 0 <= x <= 1 (x binary with single sourcing), plus the policy rows

is solved in four steps.

1. *Heuristic start* (upper bound ``UB``): an opening set is chosen (first by the cost of
   filling each centre with its cheapest demand, later from the Lagrangian subproblem's
   solutions, repaired to enough capacity and to the group limits) and the allocation is
   the transportation problem over the open centres -- an LP solved by HiGHS -- or, with
   single sourcing, a regret-greedy assignment.
2. *Lagrangian relaxation of the demand rows* with multipliers ``u`` (Geoffrion &
   McBride 1978; Cornuejols, Sridharan & Thizy 1991; Beasley 1988, 1993). For fixed ``u``
   the problem splits into one continuous knapsack per centre -- ``g_j(u) = f_j + min
   sum_i (c_ij - u_i / w_i) a_i`` over amounts ``0 <= a_i <= w_i`` with ``sum a_i <= Q_j``,
   solved by sorting -- and a 0-1 covering knapsack over ``y``: ``L(u) = sum_i u_i + min
   {sum_j g_j y_j : sum_j Q_j y_j >= sum_i w_i}``. With equal capacities (OR-Library's
   instances) the knapsack is solved exactly by sorting; otherwise its LP relaxation is
   used (still a valid, slightly weaker bound). Every ``u`` gives a valid lower bound
   (weak duality), whatever produced it; ``u`` is improved by subgradient optimisation
   (Held, Wolfe & Crowder 1974). The policy group rows are left out of the subproblem
   (relaxing constraints keeps the bound valid); required centres are forced open. The
   bound proves an incumbent optimal only because every incumbent meets the group rows:
   each opening set the search tries -- start, repair, local-search move or kick -- passes
   one admissibility check (required, group limits, capacity) before it is allocated.
3. *Lagrangian fixing* against ``UB``: for each centre ``j`` the knapsack is re-solved with
   ``y_j`` forced to 1 and to 0. If ``sum_i u_i + min(... | y_j = 1) > UB`` then every
   solution opening ``j`` costs more than the incumbent, so ``y_j = 0`` in every solution
   at least as good as it (and symmetrically ``y_j = 1``). Fixings accumulate over the
   iterations (each one holds for every solution of value at most ``UB``) and later
   subproblems respect them, which strengthens the bound further. Only comparisons with a
   margin of ``1e-7 |UB|`` are used, so rounding cannot fix a variable wrongly.
4. *The reduced MIP*: the model above with the centres fixed closed removed (and their
   assignment columns), the ones fixed open forced, and the incumbent as the MIP start.
   Every solution of value at most ``UB`` survives the fixing, so ``min(UB, reduced
   optimum)`` is the optimum and ``max(L, min(UB, reduced bound))`` a lower bound.

With HiGHS named as the solver (``solver="highs"``) the reduced model is passed to HiGHS
through highspy in one call with the incumbent as a start; with any other solver (a PuLP
solver object, CBC) it is built through PuLP.
"""

from __future__ import annotations

import math
import time
import types
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np

from borderhub._interrupt import interrupt_requested
from borderhub.locate._core import (
    EQ,
    GE,
    LE,
    ArrayBuilder,
    Policy,
    PulpBuilder,
    Run,
    read_highs,
    rel_gap,
    set_solution,
    unit_scale,
    values,
)
from borderhub.locate._core import run as run_highs
from borderhub.locate.solution import OPTIMAL_GAP, Status

#: Subgradient iterations at most, and the share of the remaining time they may use.
_MAX_ITER = 600
_LAG_SHARE = 0.25
#: Step-size factor: start, halved after this many iterations without improvement, stop.
_LAMBDA0, _PATIENCE, _LAMBDA_MIN = 2.0, 20, 1e-4
#: Run the Lagrangian heuristic (and the fixing test) every this many iterations.
_HEUR_EVERY = 10
#: Kernel heuristic: cap in seconds, share of the remaining time and MIP gap.
_KERNEL_SECONDS, _KERNEL_SHARE, _KERNEL_GAP = 60.0, 0.2, 1e-5
#: Wall-clock cap of one local search (each move is a transportation LP).
_LS_SECONDS = 30.0
#: Relative margin of every fixing comparison.
_FIX_TOL = 1e-7


@dataclass
class Result:
    """What :func:`solve_capacitated` found (positions index the allowed candidates)."""

    status: Status
    sel: np.ndarray | None = None  # open centres (allowed positions)
    x: np.ndarray | None = None  # (active demand, allowed candidates) shares
    objective: float = math.nan
    bound: float = math.nan
    info: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------
# allocation of the demand to a given opening set
# ----------------------------------------------------------------------------------------


def transport(C: np.ndarray, w: np.ndarray, Q: np.ndarray, S: np.ndarray) -> Any:
    """Cheapest split allocation to the open set ``S``: ``(value, X, prices)`` or None.

    The transportation problem ``min sum w_i c_ij x_ij`` with ``sum_j x_ij = 1`` and
    ``sum_i w_i x_ij <= Q_j``, solved by HiGHS (dual simplex); ``prices`` are the duals of
    the demand rows (used to rank centres worth opening).
    """
    import highspy

    n, k = len(w), len(S)
    if k == 0 or float(Q[S].sum()) < float(w.sum()) * (1 - 1e-12):
        return None
    if n == 0:
        return 0.0, np.zeros((0, k)), np.zeros(0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n * k, n + k
    # column (i, t) = i * k + t: rows i (demand) and n + t (capacity)
    lp.col_cost_ = (w[:, None] * C[:, S]).ravel()
    lp.col_lower_ = np.zeros(n * k)
    lp.col_upper_ = np.ones(n * k)
    lp.row_lower_ = np.concatenate([np.ones(n), np.full(k, -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.ones(n), Q[S].astype(float)])
    ii = np.repeat(np.arange(n), k)
    tt = np.tile(np.arange(k), n)
    idx = np.empty(2 * n * k, dtype=np.int32)
    val = np.empty(2 * n * k)
    idx[0::2], idx[1::2] = ii, n + tt
    val[0::2], val[1::2] = 1.0, w[ii]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * n * k + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = idx
    lp.a_matrix_.value_ = val
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    sol = h.getSolution()
    X = np.clip(np.asarray(sol.col_value).reshape(n, k), 0.0, 1.0)
    X /= X.sum(axis=1, keepdims=True)  # exact unit rows (the LP holds them to 1e-9)
    prices = np.asarray(sol.row_dual)[:n]  # what serving each demand point costs at the margin
    return float((w[:, None] * C[:, S] * X).sum()), X, prices


def single_source(C: np.ndarray, w: np.ndarray, Q: np.ndarray, S: np.ndarray) -> Any:
    """Regret-greedy single-source assignment to ``S``: ``(value, X)`` or None if stuck.

    Repeatedly the unassigned demand point with the largest difference between its two
    cheapest centres that still have room goes to the cheapest (Martello & Toth 1981).
    """
    n, k = len(w), len(S)
    if k == 0:
        return None
    cost = w[:, None] * C[:, S]
    room = Q[S].astype(float).copy()
    left = np.ones(n, dtype=bool)
    choice = np.full(n, -1)
    for _ in range(n):
        fits = w[:, None] <= room[None, :] + 1e-9
        cst = np.where(fits & left[:, None], cost, np.inf)
        first = cst.min(axis=1)
        if np.isinf(first[left]).any():
            return None
        if k > 1:
            second = np.partition(cst, 1, axis=1)[:, 1]
            with np.errstate(invalid="ignore"):  # rows with no room at all: inf - inf
                regret = np.where(np.isfinite(second), second - first, np.inf)
        else:
            regret = -first
        regret[~left] = -np.inf
        i = int(np.argmax(regret))
        t = int(np.argmin(cst[i]))
        choice[i] = t
        room[t] -= w[i]
        left[i] = False
    X = np.zeros((n, k))
    X[np.arange(n), choice] = 1.0
    return float((cost * X).sum()), X, None


# ----------------------------------------------------------------------------------------
# the Lagrangian relaxation of the demand rows
# ----------------------------------------------------------------------------------------


def knapsack_values(g: np.ndarray, Q: np.ndarray, need: float, one: np.ndarray,
                    zero: np.ndarray) -> tuple[float, np.ndarray]:  # fmt: skip
    """``min sum g_j y_j`` s.t. ``sum Q_j y_j >= need``, ``y = 1`` on ``one``, 0 on ``zero``.

    Exact when the free centres with ``g_j >= 0`` have equal capacities (take every
    ``g_j < 0``, then the cheapest); otherwise the LP relaxation (a lower bound). Returns
    the value (``inf`` if even every free centre is short) and ``y`` (fractional at most
    one entry in the LP case).
    """
    y = one.astype(float)
    value = float(g[one].sum())
    rest = need - float(Q[one].sum())
    free = ~one & ~zero
    neg = free & (g < 0)
    y[neg] = 1.0
    value += float(g[neg].sum())
    rest -= float(Q[neg].sum())
    tol = 1e-9 * max(1.0, need)
    if rest <= tol:
        return value, y
    cand = np.flatnonzero(free & (g >= 0))
    if float(Q[cand].sum()) < rest - tol:
        return math.inf, y
    q = Q[cand]
    if q.size and float(q.max() - q.min()) <= 1e-12 * float(q.max()):
        k = math.ceil(rest / float(q[0]) - 1e-9)
        take = cand[np.argsort(g[cand], kind="stable")[:k]]
        y[take] = 1.0
        return value + float(g[take].sum()), y
    order = cand[np.argsort(g[cand] / Q[cand], kind="stable")]
    cum = np.cumsum(Q[order])
    k = int(np.searchsorted(cum, rest - tol))  # the item that fills the rest
    y[order[:k]] = 1.0
    before = float(cum[k - 1]) if k else 0.0
    frac = (rest - before) / float(Q[order[k]])
    y[order[k]] = frac
    return value + float(g[order[:k]].sum()) + frac * float(g[order[k]]), y


def centre_values(C: np.ndarray, w: np.ndarray, Q: np.ndarray, f: np.ndarray,
                  u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """``g_j(u) = f_j + min sum_i (c_ij - u_i / w_i) a_i`` over the continuous knapsack.

    Returns ``g``, the order of the demand points by reduced cost in each column and the
    amounts taken (in that order).
    """
    R = C - (u / w)[:, None]  # reduced cost per unit of demand
    order = np.argsort(R, axis=0, kind="stable")
    Rs = np.take_along_axis(R, order, axis=0)
    ws = w[order]
    before = np.cumsum(ws, axis=0) - ws
    amount = np.clip(np.minimum(ws, Q[None, :] - before), 0.0, None)
    amount[Rs >= 0] = 0.0
    return f + (Rs * amount).sum(axis=0), order, amount


class Lagrangian:
    """``L(u)`` of the demand-row relaxation, its subgradient and the fixing tests."""

    def __init__(self, C: np.ndarray, w: np.ndarray, Q: np.ndarray, f: np.ndarray,
                 required: np.ndarray) -> None:  # fmt: skip
        self.C, self.w, self.Q, self.f = C, w, Q, f
        self.need = float(w.sum())
        self.one = required.copy()
        self.zero = np.zeros(len(f), dtype=bool)

    def evaluate(self, u: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """``(L(u), g, subgradient)``; ``g_j`` is centre j's knapsack value plus ``f_j``."""
        C, w, Q = self.C, self.w, self.Q
        n, m = C.shape
        g, order, amount = centre_values(C, w, Q, self.f, u)
        ws = w[order]
        value, y = knapsack_values(g, Q, self.need, self.one, self.zero)
        share = np.zeros((n, m))
        np.put_along_axis(share, order, amount / ws, axis=0)
        sub = 1.0 - share @ y
        return float(u.sum()) + value, g, sub

    def fix(self, u_sum: float, g: np.ndarray, ub: float) -> int:
        """Fix ``y_j`` where forcing the other value lifts the bound above ``ub``."""
        margin = ub + _FIX_TOL * max(1.0, abs(ub))
        new = 0
        for j in np.flatnonzero(~self.one & ~self.zero):
            one = self.one.copy()
            one[j] = True
            if u_sum + knapsack_values(g, self.Q, self.need, one, self.zero)[0] > margin:
                self.zero[j] = True
                new += 1
                continue
            zero = self.zero.copy()
            zero[j] = True
            if u_sum + knapsack_values(g, self.Q, self.need, self.one, zero)[0] > margin:
                self.one[j] = True
                new += 1
        return new


# ----------------------------------------------------------------------------------------
# the method
# ----------------------------------------------------------------------------------------


class _Search:
    """Incumbent bookkeeping: the best opening set and allocation found so far."""

    def __init__(self, C: np.ndarray, w: np.ndarray, Q: np.ndarray, f: np.ndarray,
                 pol: Policy, single: bool) -> None:  # fmt: skip
        self.C, self.w, self.Q, self.f, self.pol, self.single = C, w, Q, f, pol, single
        self.best = math.inf
        self.sel: np.ndarray | None = None
        self.X: np.ndarray | None = None
        self.cache: dict[bytes, Any] = {}
        self.evaluations = 0
        self.prices: np.ndarray | None = None  # transport duals of the incumbent

    def repair(self, y: np.ndarray, score: np.ndarray) -> np.ndarray | None:
        """An opening set from ``y`` made feasible: required, group limits, capacity.

        Centres are added (cheapest ``score`` first) until the group minimums and the
        total demand are met, and removed (dearest first) from groups above their maximum.
        """
        pol, Q = self.pol, self.Q
        m = len(y)
        is_open = (y > 0.5) | pol.required
        g = pol.gcode
        for q in range(len(pol.hi)):  # groups above their maximum: close the dearest
            members = np.flatnonzero(is_open & (g == q) & ~pol.required)
            extra = int(is_open[g == q].sum()) - int(pol.hi[q])
            if extra > 0:
                if extra > members.size:
                    return None
                drop = members[np.argsort(-score[members], kind="stable")[:extra]]
                is_open[drop] = False
        order = np.argsort(score, kind="stable")
        for q in range(len(pol.lo)):  # groups below their minimum: open the cheapest
            short = int(pol.lo[q]) - int(is_open[g == q].sum())
            if short > 0:
                add = [j for j in order if g[j] == q and not is_open[j]][:short]
                if len(add) < short:
                    return None
                is_open[add] = True
        need = float(self.w.sum())
        for j in order:
            if float(Q[is_open].sum()) >= need * (1 - 1e-12) and is_open.any():
                break
            if is_open[j]:
                continue
            if g[j] >= 0 and int(is_open[g == g[j]].sum()) >= int(pol.hi[g[j]]):
                continue
            is_open[j] = True
        sel = np.flatnonzero(is_open)
        if sel.size == 0 or float(Q[sel].sum()) < need * (1 - 1e-12) and len(self.w):
            return None
        del m
        return sel

    def admissible(self, sel: np.ndarray) -> bool:
        """Whether the opening set ``sel`` meets every rule but the allocation itself.

        Required centres open, the group minimums and maximums, and enough capacity for
        the total demand. Every move of the search (start, repair, local search, kick)
        is judged by this one check in :meth:`evaluate`, so no incumbent breaks a rule.
        """
        pol = self.pol
        if sel.size == 0 or len(np.unique(sel)) != sel.size:
            return False
        if not np.isin(np.flatnonzero(pol.required), sel).all():
            return False
        cnt = pol.counts(sel)
        if np.any(cnt < pol.lo) or np.any(cnt > pol.hi):
            return False
        need = float(self.w.sum())
        return not (len(self.w) and float(self.Q[sel].sum()) < need * (1 - 1e-12))

    def start(self, score: np.ndarray) -> bool:
        """The first incumbent: the repaired empty set, grown while nothing fits it.

        With single sourcing the greedy assignment can fail on a set whose capacity
        covers the demand (a packing problem); the cheapest admissible centres by
        ``score`` are then added one at a time until an assignment is found, so a run
        stopped early still has a solution whenever this finds one.
        """
        sel = self.repair(np.zeros(len(self.f)), score)
        if sel is None:
            return False
        if self.evaluate(sel):
            return True
        for j in np.argsort(score, kind="stable"):
            if j in sel:
                continue
            trial = np.sort(np.append(sel, j))
            if not self.admissible(trial):
                continue
            sel = trial
            if self.evaluate(sel):
                return True
        return False

    def evaluate(self, sel: np.ndarray) -> bool:
        """Allocate the demand to ``sel``; True when that improves the incumbent.

        A set that breaks a rule (:meth:`admissible`) is never an incumbent.
        """
        sel = np.sort(np.asarray(sel, dtype=np.int64))
        if not self.admissible(sel):
            return False
        key = sel.tobytes()
        if key not in self.cache:  # allocations are cached: a set is solved once
            self.evaluations += 1
            alloc = (single_source if self.single else transport)(self.C, self.w, self.Q, sel)
            self.cache[key] = None if alloc is None else (
                float(self.f[sel].sum()) + alloc[0], alloc[1], alloc[2])  # fmt: skip
        hit = self.cache[key]
        if hit is None:
            return False
        value = hit[0]
        if value < self.best - 1e-9 * max(1.0, abs(value)):
            self.best, self.sel, self.X, self.prices = value, sel, hit[1], hit[2]
            return True
        return False

    def kicks(self, deadline: float, tries: int = 6) -> None:
        """Iterated local search: kicks from the incumbent, then local search.

        A kick opens one of the best-priced closed centres (even if that costs more);
        the search then continues from there. Repeated while it pays.
        """
        while self.sel is not None and self.prices is not None:
            base, before = self.sel, self.best
            closed = np.setdiff1d(np.arange(len(self.f)), base)
            if closed.size == 0:
                return
            gv = centre_values(self.C[:, closed], self.w, self.Q[closed], self.f[closed],
                               self.prices)[0]  # fmt: skip
            for j in closed[np.argsort(gv, kind="stable")][:tries]:
                if _past(deadline):
                    return
                sub = _Search(self.C, self.w, self.Q, self.f, self.pol, self.single)
                sub.cache = self.cache
                sub.evaluate(np.append(base, j))
                sub.local_search(deadline, tries)
                self.evaluations += sub.evaluations
                if sub.sel is not None and sub.best < self.best:
                    self.best, self.sel, self.X, self.prices = sub.best, sub.sel, sub.X, sub.prices
            if self.best >= before:
                return

    def local_search(self, deadline: float, tries: int = 6) -> None:
        """Add, drop and swap moves while they lower the cost (first improvement).

        Closed centres are ranked by their value ``g_j`` at the incumbent's transport
        prices (negative: opening it pays at those prices, the ADD rule of the classic
        heuristics); open ones by fixed cost per unit served. Each move is evaluated
        exactly (a transportation LP, or the greedy with single sourcing).
        """
        pol, w, Q = self.pol, self.w, self.Q
        improved = True
        while improved and self.sel is not None and not _past(deadline):
            improved = False
            sel = self.sel
            closed = np.setdiff1d(np.arange(len(self.f)), sel)
            if self.prices is not None and closed.size:
                gv = centre_values(self.C[:, closed], w, Q[closed], self.f[closed],
                                   self.prices)[0]  # fmt: skip
                adds = closed[np.argsort(gv, kind="stable")][:tries]
            else:
                adds = closed[np.argsort(self.f[closed] / np.maximum(Q[closed], 1e-12))][:tries]
            load = (w[:, None] * self.X).sum(axis=0) if self.X is not None else np.ones(len(sel))
            drops = sel[np.argsort(-self.f[sel] / np.maximum(load, 1e-12), kind="stable")]
            drops = drops[~pol.required[drops]]
            moves: list[np.ndarray] = [np.append(sel, j) for j in adds]
            moves += [sel[sel != k] for k in drops]
            moves += [np.append(sel[sel != k], j) for j in adds for k in drops]
            for new in moves:
                if _past(deadline):
                    return
                if self.evaluate(new):
                    improved = True
                    break


def _initial_score(C: np.ndarray, w: np.ndarray, Q: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Cost per unit of a centre filled with its cheapest demand (fixed cost included)."""
    order = np.argsort(C, axis=0, kind="stable")
    Cs = np.take_along_axis(C, order, axis=0)
    ws = w[order]
    before = np.cumsum(ws, axis=0) - ws
    amount = np.clip(np.minimum(ws, Q[None, :] - before), 0.0, None)
    filled = np.maximum(amount.sum(axis=0), 1e-12)
    return (f + (Cs * amount).sum(axis=0)) / filled


def solve_capacitated(model: Any, ctx: Any, fixed: np.ndarray,
                      strengthen: bool = True) -> Result:  # fmt: skip
    """Heuristic start, Lagrangian bound and fixing, then the reduced MIP (see module).

    ``strengthen=False`` skips steps 2 and 3 (the plain model with the heuristic start;
    used to measure what the Lagrangian fixing contributes). Costs and weights (with the
    capacities) are first scaled by powers of two (:func:`unit_scale`), so the absolute
    tolerances of HiGHS and of the search hold whatever units the data are in; the
    objective and bound are scaled back.
    """
    t0 = time.perf_counter()
    act, allowed = model._active, model._allowed_pos
    C = model._C[np.ix_(act, allowed)]
    w = model._w[act]
    # A capacity above the total demand never binds; capping it there is exact and keeps
    # coefficients in a range the solver accepts (HiGHS rejects |a| >= 1e20).
    Q = np.minimum(model.capacity.to_numpy(dtype=float)[allowed], max(float(w.sum()), 1e-12))
    a, b = unit_scale(C), unit_scale(w)
    res = _solve(model, ctx, C * a, w * b, Q * b, fixed * (a * b), strengthen, t0)
    res.objective /= a * b
    res.bound /= a * b
    for key in ("start_value", "heuristic_value", "lagrangian_bound"):
        if key in res.info:
            res.info[key] /= a * b
    return res


def _solve(model: Any, ctx: Any, C: np.ndarray, w: np.ndarray, Q: np.ndarray,
           fixed: np.ndarray, strengthen: bool, t0: float) -> Result:  # fmt: skip
    """:func:`solve_capacitated` on the (scaled) arrays."""
    highs = _highs_by_name(ctx.solver_spec)
    n, m = C.shape
    allowed = model._allowed_pos
    pol = Policy(model, allowed)
    search = _Search(C, w, Q, fixed, pol, model.single_source)
    info: dict[str, Any] = {"n": n, "m": m}
    # 1. heuristic start
    score = _initial_score(C, w, Q, fixed) if n else fixed.copy()
    if search.start(score):
        end = _deadline(ctx)
        search.local_search(end)
        search.kicks(end)
    info["start_value"] = search.best
    lower = -math.inf
    lag = Lagrangian(C, w, Q, fixed, pol.required)
    links = None
    if strengthen and n:
        lower, u = _subgradient(ctx, lag, search, info)
        links = _links(C, w, u, search)
        info["links"] = int(links.sum())
        before = search.best
        end = _deadline(ctx)
        search.local_search(end)
        search.kicks(end)
        if highs and search.sel is not None:
            _kernel(ctx, C, w, Q, fixed, pol, lag, u, search, model.single_source, info, links)
        if search.best < before:  # a better incumbent: fix again against it
            value, g, _ = lag.evaluate(u)
            lag.fix(float(u.sum()), g, search.best)
            lower = max(lower, lag.evaluate(u)[0])
    info["heuristic_value"] = search.best
    info["evaluations"] = search.evaluations
    info["fixed_closed"] = int(lag.zero.sum())
    info["fixed_open"] = int((lag.one & ~pol.required).sum())
    info["lagrangian_bound"] = lower
    info["before_mip_s"] = time.perf_counter() - t0
    ctx.solve_time += time.perf_counter() - t0
    if not model.single_source:  # each allocation was one LP solved by HiGHS
        ctx.calls += search.evaluations
    ub = search.best

    def result(status: Status, bound: float) -> Result:
        bound = bound if math.isfinite(bound) else math.nan
        if search.sel is None:
            return Result(Status.NOT_SOLVED, bound=bound, info=info)
        x = np.zeros((n, m))
        x[:, search.sel] = search.X if search.X is not None else 0.0
        best = search.best
        return Result(status, search.sel, x, best, min(bound, best) if math.isfinite(bound)
                      else bound, info)  # fmt: skip

    if search.sel is not None and rel_gap(ub, lower) <= OPTIMAL_GAP and lower <= ub + 1e-9:
        return result(Status.OPTIMAL, lower)
    if ctx.timed_out():
        return result(Status.FEASIBLE, lower)
    keep = np.flatnonzero(~lag.zero)
    run, xk, yk = _reduced_mip(ctx, C, w, Q, fixed, pol, keep, lag.one, search,
                               model.single_source, highs, links=links)  # fmt: skip
    info["mip_status"] = run.status.value
    if run.status == Status.INFEASIBLE or run.status == Status.UNBOUNDED:
        if search.sel is None:  # no fixing was done without an incumbent: truly infeasible
            return Result(run.status, info=info)
        return result(Status.OPTIMAL, ub)  # nothing better than the incumbent exists
    best_from_mip = False
    if run.has_solution and xk is not None and yk is not None:
        selk = np.flatnonzero(yk > 0.5)
        xv = np.clip(xk, 0.0, 1.0)
        if model.single_source:
            xv = (xv == xv.max(axis=1, keepdims=True)).astype(float)
            xv /= xv.sum(axis=1, keepdims=True)
        value = float(fixed[keep[selk]].sum() + (w[:, None] * C[:, keep] * xv).sum())
        if value < ub:
            ub = value
            best_from_mip = True
            x = np.zeros((n, m))
            x[:, keep] = xv
            sel = keep[selk]
    bound = run.bound if math.isfinite(run.bound) else -math.inf
    if math.isfinite(search.best):  # the fixing kept every solution of value <= UB
        bound = min(bound, search.best)
    lower = max(lower, bound)
    if not best_from_mip:
        return result(Status.OPTIMAL if _proven(ub, lower) else Status.FEASIBLE, lower)
    status = Status.OPTIMAL if _proven(ub, lower) else Status.FEASIBLE
    return Result(status, sel, x, ub, min(lower, ub) if math.isfinite(lower) else math.nan,
                  info)  # fmt: skip


def _highs_by_name(spec: Any) -> bool:
    """Is HiGHS named as the solver? Then the reduced MIP goes to highspy directly.

    A PuLP solver object keeps its own options, so it gets the model through PuLP.
    """
    return isinstance(spec, str) and spec.strip().lower() == "highs"


def _deadline(ctx: Any) -> float:
    """End of one local search: a tenth of the remaining time, at most ``_LS_SECONDS``."""
    rem = ctx.remaining()
    return time.perf_counter() + min(_LS_SECONDS, 0.1 * rem if rem is not None else math.inf)


def _past(deadline: float) -> bool:
    """Whether a search's time is up, or Ctrl-C was pressed (the incumbent is kept)."""
    return time.perf_counter() >= deadline or interrupt_requested()


def _proven(obj: float, bound: float) -> bool:
    return (
        math.isfinite(obj)
        and math.isfinite(bound)
        and rel_gap(obj, min(bound, obj)) <= (OPTIMAL_GAP)
    )


def _subgradient(ctx: Any, lag: Lagrangian, search: _Search,
                 info: dict[str, Any]) -> tuple[float, np.ndarray]:  # fmt: skip
    """Subgradient optimisation of ``L(u)`` with the Lagrangian heuristic and fixing."""
    C, w = lag.C, lag.w
    rem = ctx.remaining()
    stop = time.perf_counter() + (_LAG_SHARE * rem if rem is not None else math.inf)
    # start: each point priced at its second-cheapest centre (a common choice)
    u = w * (np.partition(C, 1, axis=1)[:, 1] if C.shape[1] > 1 else C[:, 0])
    best_lb, best_u = -math.inf, u.copy()
    lam, stall = _LAMBDA0, 0
    it = 0
    for it in range(_MAX_ITER):  # noqa: B007 - reported
        if _past(stop):
            break
        value, g, sub = lag.evaluate(u)
        if value > best_lb + 1e-12 * max(1.0, abs(value)):
            best_lb, best_u, stall = value, u.copy(), 0
        else:
            stall += 1
            if stall >= _PATIENCE:
                lam, stall = lam / 2, 0
        if it % _HEUR_EVERY == 0:
            _, y, _ = _knap_y(lag, g)
            sel = search.repair(y, g / np.maximum(lag.Q, 1e-12))
            if sel is not None:
                search.evaluate(sel)
            if math.isfinite(search.best):
                lag.fix(float(u.sum()), g, search.best)
        if math.isfinite(search.best) and _proven(search.best, best_lb):
            break
        if lam < _LAMBDA_MIN:
            break
        norm = float(sub @ sub)
        if norm <= 1e-18:  # the relaxation's solution is feasible: L(u) is optimal
            break
        target = search.best if math.isfinite(search.best) else abs(value) * 1.05 + 1.0
        u = u + lam * max(target - value, 1e-9 * max(1.0, abs(value))) / norm * sub
    # a last pass with the best multipliers (under the final fixings) for bound and fixing
    value, g, _ = lag.evaluate(best_u)
    best_lb = max(best_lb, value)
    if math.isfinite(search.best):
        lag.fix(float(best_u.sum()), g, search.best)
        value, g, _ = lag.evaluate(best_u)
        best_lb = max(best_lb, value)
    info["subgradient_iterations"] = it + 1
    return best_lb, best_u


def _knap_y(lag: Lagrangian, g: np.ndarray) -> tuple[float, np.ndarray, None]:
    value, y = knapsack_values(g, lag.Q, lag.need, lag.one, lag.zero)
    return value, y, None


def _links(C: np.ndarray, w: np.ndarray, u: np.ndarray, search: _Search) -> np.ndarray:
    """The linking rows worth building: pairs priced below zero at the multipliers ``u``.

    ``c_ij - u_i / w_i <= 0`` are the pairs the Lagrangian subproblem may use, which are
    those the LP relaxation tends to spread over fractional centres; the incumbent's pairs
    are added. (Which rows are built never changes the optimum, see ``_reduced_mip``.)
    """
    links = C - (u / w)[:, None] <= 0.0
    if search.sel is not None and search.X is not None:
        links[:, search.sel] |= search.X > 0
    return links


def _kernel(ctx: Any, C: np.ndarray, w: np.ndarray, Q: np.ndarray, f: np.ndarray,
            pol: Policy, lag: Lagrangian, u: np.ndarray, search: _Search, single: bool,
            info: dict[str, Any], links: np.ndarray | None) -> None:  # fmt: skip
    """Kernel heuristic: the MIP over the most promising centres only, briefly.

    The kernel is the incumbent's centres, those fixed open, and the free centres of least
    Lagrangian value ``g_j(u)`` (Guastaroba & Speranza's kernel search in one step). Its
    solutions are feasible for the whole model, so the best one is a new incumbent.
    """
    if search.sel is None:
        return
    free = np.flatnonzero(~lag.zero)
    size = max(2 * len(search.sel), len(search.sel) + 15)
    if free.size <= size:
        return
    g = lag.evaluate(u)[1]
    chosen = np.zeros(len(f), dtype=bool)
    chosen[search.sel] = True
    chosen[lag.one] = True
    rest = free[~chosen[free]]
    chosen[rest[np.argsort(g[rest], kind="stable")[: max(size - int(chosen.sum()), 0)]]] = True
    kernel = np.flatnonzero(chosen)
    rem = ctx.remaining()
    limit = min(_KERNEL_SECONDS, _KERNEL_SHARE * rem if rem is not None else math.inf)
    t = time.perf_counter()
    run, _, yk = _reduced_mip(ctx, C, w, Q, f, pol, kernel, lag.one, search, single, True,
                              limit=limit, gap=_KERNEL_GAP, links=links)  # fmt: skip
    info["kernel_size"] = int(kernel.size)
    info["kernel_s"] = time.perf_counter() - t
    if run.has_solution and yk is not None:
        search.evaluate(kernel[yk > 0.5])  # the exact allocation of its opening set


def _reduced_mip(ctx: Any, C: np.ndarray, w: np.ndarray, Q: np.ndarray, f: np.ndarray,
                 pol: Policy, keep: np.ndarray, one: np.ndarray, search: _Search,
                 single: bool, highs: bool, limit: float | None = None,
                 gap: float | None = None,
                 links: np.ndarray | None = None) -> tuple[Run, Any, Any]:  # fmt: skip
    """The model on the candidates ``keep`` (``one`` forced open), with the incumbent.

    ``links`` (n x m, over all allowed candidates) selects the linking rows
    ``x_ij <= y_j`` to build (default: all). Any selection is exact: with ``y_j = 0`` the
    capacity row already forces ``x_ij = 0``, and with ``y_j = 1`` the row says
    ``x_ij <= 1``; the rows only strengthen the LP relaxation.
    """
    n, mk = len(w), len(keep)
    with ctx.building():
        b: Any = ArrayBuilder() if highs else PulpBuilder("FacilityLocation")
        y = b.variables("y", mk, 0.0, 1.0, binary=True)
        b.objective(y, f[keep])
        x = b.variables("x", n * mk, 0.0, 1.0, binary=single)
        ii = np.repeat(np.arange(n), mk)
        jj = np.tile(np.arange(mk), n)
        b.objective(x, w[ii] * C[:, keep].ravel())
        zero_row = np.zeros(mk, dtype=np.int64)
        b.rows("card", zero_row, y, 1.0, GE, 1.0, 1)  # a free number of centres is >= 1
        forced = np.flatnonzero(one[keep])
        if forced.size:
            b.rows("open", np.arange(forced.size), y[forced], 1.0, GE, 1.0, forced.size)
        g = pol.gcode[keep]
        for q in range(len(pol.lo)):
            sel = np.flatnonzero(g == q)
            if sel.size == 0:
                continue
            zs = np.zeros(sel.size, dtype=np.int64)
            if pol.lo[q] > 0:
                b.rows(f"gmin{q}", zs, y[sel], 1.0, GE, float(pol.lo[q]), 1)
            if pol.hi[q] < len(g) + 1:
                b.rows(f"gmax{q}", zs, y[sel], 1.0, LE, float(pol.hi[q]), 1)
        if n:
            b.rows("assign", ii, x, 1.0, EQ, 1.0, n)
            b.rows("cap", np.concatenate([jj, np.arange(mk)]), np.concatenate([x, y]),
                   np.concatenate([w[ii], -Q[keep]]), LE, 0.0, mk)  # fmt: skip
            # aggregate capacity: implied by the rows above, but as a knapsack row over y
            # alone it gives the MIP solver cover cuts and a least number of open centres
            b.rows("total_cap", zero_row, y, Q[keep], GE, float(w.sum()), 1)
            k = np.arange(n * mk) if links is None else np.flatnonzero(links[:, keep].ravel())
            b.rows("link", np.concatenate([np.arange(k.size)] * 2),
                   np.concatenate([x[k], y[jj[k]]]),
                   np.concatenate([np.ones(k.size), -np.ones(k.size)]), LE, 0.0,
                   k.size)  # fmt: skip
        if highs:
            h = b.highs(ctx, np.concatenate([y, x]) if single else y)
            if gap is None:
                gap = OPTIMAL_GAP / 10 if ctx.mip_gap is None else ctx.mip_gap
            h.setOptionValue("mip_rel_gap", gap)
            if search.sel is not None and np.isin(search.sel, keep).all():
                start = np.zeros(b.ncol)
                pos = np.searchsorted(keep, search.sel)
                start[y[pos]] = 1.0
                xs = np.zeros((n, mk))
                xs[:, pos] = search.X
                start[x] = xs.ravel()
                set_solution(h, start)
    if highs:
        run_highs(h, ctx, "the capacitated model", limit)
        run = read_highs(h, cast(Any, types.SimpleNamespace(maximise=False, constant=b.constant)))
        if not run.has_solution:
            return run, None, None
        col = np.asarray(h.getSolution().col_value)
        return run, col[x].reshape(n, mk), col[y]
    run = ctx.run(b)
    if not run.has_solution:
        return run, None, None
    return run, values(x).reshape(n, mk), values(y)
