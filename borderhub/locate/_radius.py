"""The radius (level) formulation of "serve every demand point from its nearest open centre".

Shared by :class:`~borderhub.locate.PMedian` and the uncapacitated
:class:`~borderhub.locate.FacilityLocation`.

For demand point ``i`` let ``D_i^0 < D_i^1 < ... `` be its distinct effective costs to the
allowed candidates and ``S_i^l`` the candidates at cost ``D_i^l``. Variable ``z_i^l >= 0``
is 1 when no centre within ``D_i^l`` is open. The weighted cost of ``i`` is

    w_i * (D_i^0 + sum_l (D_i^{l+1} - D_i^l) * z_i^l)

with the chained rows (Elloumi 2010; Garcia, Labbe & Marin 2011)

    z_i^0 + sum_{j in S_i^0} y_j >= 1,    z_i^l - z_i^{l-1} + sum_{j in S_i^l} y_j >= 0.

Each ``y_j`` appears once per demand point, so the matrix has O(n m) non-zeros instead of the
O(n m^2) of the plain radius rows, and the LP bound equals that of the classic model.

*Reductions.* With exactly ``p`` of the ``m`` allowed candidates open, the nearest open
centre of ``i`` is among its ``m - p + 1`` nearest allowed candidates (pigeonhole), whatever
else the policy constraints impose; levels beyond are dropped and the last ``z`` is fixed at
0. *Iterative expansion.* Each demand point first gets only the levels up to its centre in a
greedy heuristic solution; truncating at level ``L`` gives a relaxation (``i`` is charged
``min(true cost, D_i^{L+1})``). After solving, points whose true cost exceeds their charge get
more levels and the model is solved again; when no point is undercharged the relaxation's
optimum is attained by a feasible solution, hence optimal.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from borderhub.locate._milp import GE, _Builder, values
from borderhub.locate.solution import Status

#: Extra positions beyond the heuristic's centre given to every demand point at the start
#: are ``max(_SLACK_MIN, _SLACK_PER * ceil(m / p))`` (tuned on the county instances: one
#: solver call usually suffices, and the model stays a tenth of the full one).
_SLACK_MIN = 10
_SLACK_PER = 2


class _Levels:
    """Sorted costs and level indices of each demand row."""

    def __init__(self, C: np.ndarray, cap: int) -> None:
        n, m = C.shape
        self.n, self.m = n, m
        self.order = np.argsort(C, axis=1, kind="stable")
        self.S = np.take_along_axis(C, self.order, axis=1)
        new = np.ones((n, m), dtype=bool)
        if m > 1:
            new[:, 1:] = self.S[:, 1:] > self.S[:, :-1]
        self.new = new
        self.lev = np.cumsum(new, axis=1) - 1
        # A row may hold +inf for candidates that cannot serve it (cross-border commodities
        # a centre cannot route): its levels stop at its last finite cost, whose level row
        # then has no z, so one of its finite candidates must open.
        reach = np.isfinite(self.S).sum(axis=1)
        self.full = self.boundary(np.minimum(min(cap, m), reach))

    def boundary(self, k: np.ndarray) -> np.ndarray:
        """Extend each count ``k_i`` so it ends on a level boundary (ties included)."""
        if self.n == 0:
            return k.astype(np.int64)
        k = np.clip(k, 1, self.m).astype(np.int64)
        last = self.lev[np.arange(self.n), k - 1]
        return (self.lev <= last[:, None]).sum(axis=1)

    def initial(self, C: np.ndarray, opened: np.ndarray, slack: int) -> np.ndarray:
        """Counts covering each row's cheapest centre in ``opened`` plus ``slack``."""
        if self.n == 0:
            return np.zeros(0, dtype=np.int64)
        if len(opened) == 0:
            k = np.full(self.n, 1 + slack)
        else:
            near = np.asarray(opened)[C[:, opened].argmin(axis=1)]
            rank = np.empty_like(self.order)
            np.put_along_axis(rank, self.order, np.arange(self.m)[None, :], axis=1)
            k = rank[np.arange(self.n), near] + 1 + slack
        return np.minimum(self.boundary(k), self.full)

    def add_rows(
        self, b: Any, y: np.ndarray, w: np.ndarray, k: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The level rows of every demand row truncated at ``k_i`` positions.

        Returns the ``z`` variables with, for each, its demand row and the cost step it
        charges (its objective coefficient is ``w[row] * step``, so a caller can re-weight
        the same model without rebuilding it).
        """
        n, m = self.n, self.m
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return np.empty(0, dtype=object), empty, np.zeros(0)
        mask = np.arange(m)[None, :] < k[:, None]
        ii, rr = np.nonzero(mask)
        levf = self.lev[ii, rr]
        newf = self.new[ii, rr]
        sf = self.S[ii, rr]
        L = self.lev[np.arange(n), k - 1] + 1
        trunc = k < self.full
        ro = np.concatenate([[0], np.cumsum(L)[:-1]])
        li, ll, lcost = ii[newf], levf[newf], sf[newf]
        R = len(li)
        last = ll == L[li] - 1
        exists = ~last | trunc[li]
        dnext = np.empty(R)
        dnext[:-1] = lcost[1:]
        lt = np.flatnonzero(last & exists)
        dnext[lt] = self.S[li[lt], k[li[lt]]]
        z = b.variables("z", int(exists.sum()), 0.0, None)
        zid = np.cumsum(exists) - 1
        with_z = np.flatnonzero(exists)
        prev = np.flatnonzero(ll > 0)
        row = np.concatenate([ro[ii] + levf, with_z, prev])
        var = np.concatenate([y[self.order[ii, rr]], z[zid[with_z]], z[zid[prev - 1]]])
        coef = np.concatenate([np.ones(len(ii)), np.ones(len(with_z)), -np.ones(len(prev))])
        b.rows("lvl", row, var, coef, GE, (ll == 0).astype(float), R)
        step = dnext[exists] - lcost[exists]
        b.objective(z, w[li[exists]] * step)
        b.constant += float(w @ self.S[:, 0])
        return z, li[exists], step

    def undercharged(self, k: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Rows whose true cost ``t_i`` exceeds what the truncated model charges."""
        trunc = k < self.full
        nxt = self.S[np.arange(self.n), np.minimum(k, self.m - 1)]
        return trunc & (t > nxt)

    def expand(self, k: np.ndarray, t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """More levels for ``rows``: up to their true cost, and at least doubled."""
        k = k.copy()
        reach = (self.S[rows] <= t[rows, None]).sum(axis=1)
        k[rows] = np.maximum(reach, 2 * k[rows])
        return np.minimum(self.boundary(k), self.full)


def greedy(
    C: np.ndarray, w: np.ndarray, p: int | None, start: np.ndarray, fixed: np.ndarray | None
) -> np.ndarray:
    """Greedy add heuristic (vectorised): positions of the chosen columns of ``C``."""
    n, m = C.shape
    opened = [int(j) for j in start]
    cur = C[:, opened].min(axis=1) if opened else np.full(n, np.inf)
    fixed = np.zeros(m) if fixed is None else fixed
    total = float(w @ cur) + float(fixed[opened].sum()) if opened else math.inf
    target = m if p is None else p
    while len(opened) < target:
        tot = (w[:, None] * np.minimum(cur[:, None], C)).sum(axis=0) + fixed
        tot[opened] = np.inf
        base = float(fixed[opened].sum())
        tot += base
        j = int(np.argmin(tot))
        if p is None and opened and tot[j] >= total:
            break
        opened.append(j)
        cur = np.minimum(cur, C[:, j])
        total = float(tot[j])
        if n == 0 and p is None:
            break
    return np.array(opened, dtype=np.int64)


def solve_nearest_open(
    model: Any,
    ctx: Any,
    fixed: np.ndarray | None = None,
    slack: int | None = None,
    levels: type[_Levels] | None = None,
) -> Any:
    """Radius formulation with iterative expansion; returns an ``_Outcome``.

    ``slack`` overrides the number of extra initial positions per row (default: tuned for
    the p-median, see ``_SLACK_MIN``); ``levels`` replaces the :class:`_Levels` class
    (a subclass may build the level rows differently).
    """
    from borderhub.locate.base import _Outcome

    with ctx.building():
        act, allowed = model._active, model._allowed_pos
        C = model._C[np.ix_(act, allowed)]
        w = model._w[act]
        m = C.shape[1]
        p = model._cardinality()
        cap = m if p is None else m - p + 1
        lv = (levels or _Levels)(C, cap)
        req = np.flatnonzero(model.cost.columns[allowed].isin(model.required))
        heur = greedy(C, w, p, req, fixed)
        if slack is None:
            slack = _SLACK_MIN if p is None else max(_SLACK_MIN, _SLACK_PER * math.ceil(m / p))
        k = lv.initial(C, heur, slack)
    best_obj, best_open, best_bound = math.inf, None, -math.inf
    fixed_all = np.zeros(m) if fixed is None else fixed
    while True:
        with ctx.building():
            b = _Builder(type(model).__name__)
            y = model._open_block(b)
            if fixed is not None:
                b.objective(y, fixed)
            lv.add_rows(b, y, w, k)
        run = ctx.run(b)
        if run.status in (Status.INFEASIBLE, Status.UNBOUNDED):
            return _Outcome(run.status)
        proven_here = False
        if run.has_solution:
            sel = np.flatnonzero(values(y) > 0.5)
            t = C[:, sel].min(axis=1) if len(sel) else np.full(C.shape[0], np.inf)
            true = float(w @ t) + float(fixed_all[sel].sum())
            if true < best_obj:
                best_obj, best_open = true, allowed[sel]
            under = lv.undercharged(k, t)
            proven_here = run.proven and not under.any()
        if not math.isnan(run.bound):
            best_bound = max(best_bound, run.bound)
        if proven_here:
            return _Outcome(Status.OPTIMAL, allowed[sel], true, min(run.bound, true))
        if not run.proven or ctx.timed_out():
            break
        k = lv.expand(k, t, np.flatnonzero(under))
    if best_open is None:
        # stopped before any solver solution: the heuristic start, if the policy allows it
        from borderhub.locate._benders import _Policy

        if len(heur) and _Policy(model, allowed).feasible(heur, len(heur)):
            best_open = allowed[heur]
            best_obj = float(w @ C[:, heur].min(axis=1)) + float(fixed_all[heur].sum())
    if best_open is None:
        return _Outcome(Status.NOT_SOLVED, bound=best_bound)
    bound = best_bound if math.isfinite(best_bound) else math.nan
    return _Outcome(Status.FEASIBLE, best_open, best_obj, bound)
