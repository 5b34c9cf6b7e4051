"""The Benders master as a HiGHS MIP, re-solved with the cuts its solutions violate.

The integer phase of :mod:`borderhub.locate._benders` searches its own tree first. When that
tree is still open after :data:`TREE_NODES` nodes, :func:`finish_with_mip` hands the master
over to HiGHS's MIP solver: ``y`` becomes binary, the master keeps every cut it holds, and
gains, for every demand point, the cuts at each cost level up to one level past its level
at the incumbent and at the LP optimum (the cuts an improving solution most likely needs).
HiGHS then brings what the own tree lacks -- general cutting planes on the cut rows, its
heuristics -- while HiGHS's callbacks cannot add the cuts a solution violates during its
search. So the MIP is solved in rounds. Every improving solution HiGHS finds during a round
is checked exactly against every point's cuts (from HiGHS's ``cbMipImprovingSolution``
callback), repaired by the swap local search and offered to the tree as an incumbent, and
the cuts it violates are kept. A round ends proven when its dual bound reaches the
incumbent, and otherwise, when its last solution violates a cut, adds the kept cuts of all
its solutions and starts the next round; a last solution that violates none is exact (and
optimal over the candidates not fixed). Every round's dual bound is a valid lower bound:
each MIP is a relaxation of the problem on those candidates.

The repair matters because a master short of cuts has solutions whose value it
underestimates, and near the optimum there are many: on usa13509 p = 4000 a first round
ended with the optimal value as its dual bound and a solution worth 0.02 % more (three
points' costs read too low), which the swaps turned into the optimum in 0.1 s -- without
them two more rounds (150 s) passed before a round's last solution was exact.

How long the own tree searches first, measured on TSPLIB usa13509 and rl1304 (2-core
machine): on usa13509 p = 4000 the own tree's 2,000 nodes took 150 s and closed 60 % of the
gap, after which one MIP round proved the optimum in 33 s; handed over at once the run
took 84 s instead of 217 s, and with p = 3000 327 s instead of 476 s (both proven; two runs
side by side). With p = 5000 the own tree proves the optimum after about 600 nodes (86 s;
98 s handed over at once). On rl1304 p = 10, which the own tree proves in 44 node LPs, the
MIP rounds handed the master at once were still 0.03 % short after 300 s: small instances
whose tree closes in tens of nodes stay with it, hence :data:`TREE_NODES`.

Each round runs without HiGHS's presolve and solves its root LP with the interior point
method. On the master handed over for usa13509 p = 4000 after 2,000 nodes (55,079 rows,
12,878 integer candidates, the incumbent as start), HiGHS with presolve spent about 150 s
in its first round of root cuts, after an LP of 30 s, and 341 s in all; without presolve
the proof took 58 s (11 nodes, 12 with presolve). HiGHS's MIP solver ignores a basis
passed to it, so every round solves its root LP from scratch: the dual simplex took 27 s
(30,749 iterations) there, the interior point method 7 s, and the proof 21 s instead of
58 s; the p = 3000 master was proven in 81 s instead of 96 s, where with presolve it had
not ended after 420 s (gap 0.002 %). (Standalone runs of the written-out masters, two to
four at a time on two cores.)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from borderhub.locate._core import new_highs, run, set_solution

__all__ = ["TREE_NODES", "finish_with_mip", "hand_over_after", "level_cuts"]

#: The own tree hands over to the HiGHS MIP after this many nodes.
TREE_NODES = 100
#: Levels beyond a point's level at the incumbent and the LP optimum whose cuts are added.
EXTRA_LEVELS = 1
#: Relative violation from which a cut is added.
_VIOL = 1e-7


def hand_over_after() -> int:
    """Nodes of the own tree before the hand-over (:data:`TREE_NODES`, read at each call)."""
    return TREE_NODES


def level_cuts(cuts: Any, upto: np.ndarray, extra: int) -> tuple[np.ndarray, ...]:
    """Every point's cuts at its cost levels up to ``extra`` levels past position ``upto``.

    Returns the points, the sorted positions where the levels start and their costs, for
    the cuts not yet rows of the master.
    """
    L, r = cuts.L, cuts.rowid
    if len(L.idx) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    starts = cuts.local == cuts.start
    rank = np.cumsum(starts)
    head = L.indptr[:-1]
    level = rank - rank[head[r]]  # 0 at each row's first level
    size = np.diff(L.indptr)
    cap = np.minimum(np.asarray(upto, dtype=np.int64), np.maximum(size - 1, 0))
    top = level[np.where(size > 0, head + cap, 0)]
    sel = starts & (level <= top[r] + extra) & (cuts.local > 0)
    pts, t = r[sel].astype(np.int64), cuts.local[sel].astype(np.int64)
    fresh = ~cuts.added[head[pts] + t]
    pts, t = pts[fresh], t[fresh]
    return pts, t, L.dist[head[pts] + t]


def _fresh(h: Any, ctx: Any, gap: float) -> Any:
    """A new HiGHS object holding ``h``'s model, for one MIP round.

    Each round runs in its own object: the time limit that :func:`run` sets counts from
    the object's summed run time, and the master object has thousands of node LPs behind
    it (with it a MIP round overran a 600 s limit by 130 s).
    """
    mip = new_highs(ctx)
    mip.setOptionValue("mip_rel_gap", gap)
    mip.setOptionValue("presolve", "off")  # its presolved master is slow at the root (module)
    mip.setOptionValue("mip_lp_solver", "ipm")  # the root LP from scratch: IPM is faster
    scale = h.getOptionValue("user_objective_scale")  # (status, value) in highspy
    mip.setOptionValue(
        "user_objective_scale", int(scale[-1] if isinstance(scale, tuple) else scale)
    )
    mip.passModel(h.getModel())
    return mip


def finish_with_mip(tree: Any, y_lp: np.ndarray) -> tuple[float, bool]:
    """Solve ``tree``'s master as an iterated HiGHS MIP; (lower bound, stopped by time).

    The tree's incumbent is updated in place. The lower bound is that of the candidates
    the tree keeps (the others are fixed against the incumbent, as in the tree).
    """
    import highspy

    ctx, master, cuts = tree.ctx, tree.master, tree.cuts
    h, m = master.h, tree.m
    if tree.best_obj < tree.fix_at:
        tree.refix()
    h.changeColsBounds(m, tree.ycol, tree.fix_lo, tree.fix_up)
    upto = cuts.separate(y_lp[tree.keep])[0]
    inc = tree.incumbent_y()
    if inc is not None:
        upto = np.maximum(upto, cuts.separate(inc)[0])
    pts, t, D = level_cuts(cuts, upto, EXTRA_LEVELS)
    tree.add_cuts_at(pts, t, D)
    h.changeColsIntegrality(m, tree.ycol, np.full(m, highspy.HighsVarType.kInteger))
    lower = -math.inf
    while True:
        if ctx.timed_out():
            return lower, True
        mip = _fresh(h, ctx, tree.gap_rel)
        inc = tree.incumbent_y()
        if inc is not None:
            set_solution(mip, np.concatenate([inc, tree.serve_of(inc)]))
        seen = _Solutions(tree)
        mip.cbMipImprovingSolution.subscribe(seen)
        st = run(mip, ctx, "the Benders master MIP")
        seen.raise_failure()
        info = mip.getInfo()
        if math.isfinite(info.mip_dual_bound):
            lower = max(lower, float(info.mip_dual_bound))
        if st == "Infeasible":  # nothing better than the incumbent on these candidates
            return tree.best_obj, False
        if int(info.primal_solution_status) != 2:  # no solution: stopped early
            return lower, True
        last = seen.take(np.asarray(mip.getSolution().col_value))
        if tree.best_obj - lower <= tree.tolerance():  # the incumbent is proven
            return lower, False
        if not last:  # the MIP's solution violates no cut: its value is exact
            return lower, st != "Optimal"
        tree.add_cuts_at(*seen.cuts())


class _Solutions:
    """The improving solutions of one MIP round, checked against every point's cuts.

    Each is repaired by the swap local search and offered to the tree (see the module for
    why), and the cuts it violates are kept for the next round, so one round adds the cuts
    of all its improving solutions, not only of its last. Called by HiGHS
    (``cbMipImprovingSolution``, in HiGHS's thread: an error is kept and raised after the
    run) and, for the round's final solution, by :func:`finish_with_mip`.
    """

    def __init__(self, tree: Any) -> None:
        self.tree = tree
        self.found: list[tuple[np.ndarray, ...]] = []
        self.failure: BaseException | None = None

    def __call__(self, event: Any) -> None:
        try:
            self.take(np.array(event.data_out.mip_solution, dtype=float))
        except BaseException as err:  # noqa: BLE001 - HiGHS's thread: raised after the run
            self.failure = self.failure or err

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure

    def take(self, x: np.ndarray) -> bool:
        """Check and repair the master solution ``x``; whether it violates a new cut."""
        tree, cuts, m = self.tree, self.tree.cuts, self.tree.m
        y, theta = np.round(x[:m]), x[m:]
        with tree.ctx.building():
            tree.polish(np.flatnonzero(y > 0.5))  # the swaps never worsen it
            tt, D, cv = cuts.separate(y)
            viol = cv > theta + _VIOL * np.maximum(1.0, np.abs(cv))
            viol &= ~cuts.is_added(tt)
        pv = np.flatnonzero(viol)
        if pv.size:
            self.found.append((pv, tt[pv], D[pv]))
        return bool(pv.size)

    def cuts(self) -> tuple[np.ndarray, ...]:
        """The violated cuts of every solution taken, each once (points, positions, costs)."""
        pts, t, D = (np.concatenate(a) for a in zip(*self.found, strict=True))
        _, first = np.unique(np.stack([pts, t]), axis=1, return_index=True)
        return pts[first], t[first], D[first]
