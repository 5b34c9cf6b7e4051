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

from borderhub.locate._core import (
    SLACK_MIN,
    SLACK_PER,
    Levels,
    Outcome,
    Policy,
    PulpBuilder,
    greedy,
    values,
)
from borderhub.locate.solution import Status

__all__ = ["solve_nearest_open"]


def solve_nearest_open(
    model: Any,
    ctx: Any,
    fixed: np.ndarray | None = None,
    slack: int | None = None,
    levels: type[Levels] | None = None,
    rounds: int | None = None,
) -> Any:
    """Radius formulation with iterative expansion; returns an ``Outcome``.

    ``slack`` overrides the number of extra initial positions per row (default: tuned for
    the p-median, see ``SLACK_MIN``); ``levels`` replaces the :class:`Levels` class
    (a subclass may build the level rows differently). With ``rounds``, ``None`` is
    returned when that many solved rounds still left some point undercharged (the caller
    then solves the model another way) instead of expanding further.
    """
    with ctx.building():
        act, allowed = model._active, model._allowed_pos
        C = model._C[np.ix_(act, allowed)]
        w = model._w[act]
        m = C.shape[1]
        p = model._cardinality()
        cap = m if p is None else m - p + 1
        lv = (levels or Levels)(C, cap)
        req = np.flatnonzero(model.cost.columns[allowed].isin(model.required))
        heur = greedy(C, w, p, req, fixed)
        if slack is None:
            slack = SLACK_MIN if p is None else max(SLACK_MIN, SLACK_PER * math.ceil(m / p))
        k = lv.initial(C, heur, slack)
    best_obj, best_open, best_bound = math.inf, None, -math.inf
    done = 0
    fixed_all = np.zeros(m) if fixed is None else fixed
    while True:
        with ctx.building():
            b = PulpBuilder(type(model).__name__)
            y = model._open_block(b)
            if fixed is not None:
                b.objective(y, fixed)
            lv.add_rows(b, y, w, k)
        run = ctx.run(b)
        if run.status in (Status.INFEASIBLE, Status.UNBOUNDED):
            return Outcome(run.status)
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
            return Outcome(Status.OPTIMAL, allowed[sel], true, min(run.bound, true))
        if not run.proven or ctx.timed_out():
            break
        done += 1
        if rounds is not None and done >= rounds:
            return None
        k = lv.expand(k, t, np.flatnonzero(under))
    if best_open is None:
        # stopped before any solver solution: the heuristic start, if the policy allows it
        # and it serves every demand point (a cross-border flow with no gateway from its
        # centres costs inf: such a start is no solution)
        if len(heur) and Policy(model, allowed).feasible(heur, len(heur)):
            start = float(w @ C[:, heur].min(axis=1)) + float(fixed_all[heur].sum())
            if math.isfinite(start):
                best_open, best_obj = allowed[heur], start
    if best_open is None:
        return Outcome(Status.NOT_SOLVED, bound=best_bound)
    bound = best_bound if math.isfinite(best_bound) else math.nan
    return Outcome(Status.FEASIBLE, best_open, best_obj, bound)
