"""Solve one model for many demand-weight vectors: ``LocationModel.resolver``.

:class:`ColdResolver` solves a fresh copy of the model for each vector
(``LocationModel.with_weights``); it serves every model. :class:`MedianResolver` is the warm
re-solve of :class:`~borderhub.locate.PMedian` with HiGHS, used by
:func:`borderhub.robustness`. Both return a :class:`Resolved` per vector and price a fixed set
of centres under a vector (``objective_of``).

*The warm re-solve.* In the level formulation of :class:`~borderhub.locate.PMedian` (see
:mod:`borderhub.locate._radius`) only the objective depends on the weights: ``z_i^l`` costs
``w_i`` times its cost step. Consecutive weight vectors therefore share the constraint
matrix. :class:`MedianResolver` builds the model once (the very rows
:func:`~borderhub.locate._radius.solve_nearest_open` builds), and for each further vector
only changes the costs of the ``z`` columns in the HiGHS model and runs it again from the
previous optimum, which stays feasible because the constraints did not change.

Most vectors never reach the MIP solver: a second HiGHS object holds the LP relaxation of
the same model and is re-optimised by the simplex method from the previous optimal basis
(after a change of costs the old basis stays primal feasible, so this takes a handful of
iterations). When its optimum is integral in the open/closed variables it is optimal for
the MIP as well (the LP is a relaxation) and is accepted after the same checks; only a
fractional LP optimum goes on to the MIP, started from the previous solution.

The model is stated by the same code as the cold solve (``_open_block`` and
``Levels.add_rows``) but written to a :class:`~borderhub.locate._core.ColumnBuilder`, which
loads it into HiGHS in bulk rather than through PuLP objects: the batches of
:func:`borderhub.robustness` build it once each.

The level truncation is carried from one vector to the next and only grows. Each vector's
solution is checked exactly as in ``solve_nearest_open``: when it undercharges a demand
point (its true cost lies beyond its last level), those points get more levels, the model
is rebuilt and solved again. The reported solution is therefore optimal for the full model,
as a cold solve is; only the work to get there is shared.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from borderhub.locate._core import (
    SLACK_MIN,
    SLACK_PER,
    ColumnBuilder,
    Context,
    Levels,
    greedy,
    objective_scale,
    quiet_highs_banner,
    read_highs,
    rel_gap,
    run,
)
from borderhub.locate.solution import OPTIMAL_GAP, Status

__all__ = ["ColdResolver", "MedianResolver", "Resolved", "Resolver"]


@dataclass
class Resolved:
    """The outcome of one weight vector: what ``resolver.solve(weights)`` returns.

    Attributes
    ----------
    status : Status
        As for :class:`~borderhub.locate.Solution`.
    open : pandas.Index
        The open centres (empty without a solution).
    objective, bound : float
        The objective and the best bound proven.
    solver_calls : int
        Solver runs this vector took.
    rebuilt : bool
        Whether the warm model had to be (re)built for it.
    seconds : float
        Wall-clock time of the call.
    by_lp : bool
        Solved by the warm LP relaxation alone.
    """

    status: Status
    open: pd.Index
    objective: float
    bound: float
    solver_calls: int
    rebuilt: bool
    seconds: float
    by_lp: bool = False


class Resolver(Protocol):
    """What ``LocationModel.resolver`` returns: one model solved for many weight vectors."""

    #: True for a warm re-solve (one solver model kept between calls).
    warm: bool

    def solve(self, weights: np.ndarray) -> Resolved:
        """Solve for one weight vector (one value per demand point, in the model's order)."""
        ...  # pragma: no cover - protocol

    def objective_of(self, open: Any, weights: np.ndarray) -> float:
        """The objective of opening exactly ``open`` under ``weights``."""
        ...  # pragma: no cover - protocol


class ColdResolver:
    """Every vector solved from scratch on a copy of ``model`` (``model.with_weights``)."""

    warm = False

    def __init__(
        self, model: Any, solver: Any, time_limit: float | None, mip_gap: float | None
    ) -> None:
        self.model = model
        self.options = {"solver": solver, "time_limit": time_limit, "mip_gap": mip_gap}
        self._last: tuple[np.ndarray, Any] | None = None

    def _copy(self, weights: np.ndarray) -> Any:
        if self._last is not None and self._last[0] is weights:
            return self._last[1]
        model = self.model.with_weights(weights)
        self._last = (weights, model)
        return model

    def solve(self, weights: np.ndarray) -> Resolved:
        """Solve a copy of the model with ``weights``."""
        start = time.perf_counter()
        solution = self._copy(weights).solve(**self.options)
        return Resolved(
            solution.status, solution.open, float(solution.objective), float(solution.bound),
            int(solution.iterations), False, time.perf_counter() - start,
        )  # fmt: skip

    def objective_of(self, open: Any, weights: np.ndarray) -> float:
        """The copy's ``objective_of(open)``."""
        return float(self._copy(weights).objective_of(open, **self.options))


class MedianResolver:
    """Solve ``model`` (a :class:`~borderhub.locate.PMedian`) for many weight vectors, warm.

    Parameters
    ----------
    model : PMedian
        The template: cost, ``p`` and the policy constraints. Its weights mark the demand
        points that enter the model (weight > 0); every later vector must be zero where the
        template's weights are zero (a vector that is not raises ``ValueError``).
    start : labels, optional
        Open centres of a known good solution (for instance the solution of the template's
        own weights); they replace the greedy heuristic as the start of the level
        truncation. Default: the greedy heuristic on the template's weights.
    time_limit, mip_gap
        Per vector, as in ``solve``.
    """

    warm = True

    def __init__(
        self,
        model: Any,
        start: Any = None,
        time_limit: float | None = None,
        mip_gap: float | None = None,
    ) -> None:
        model._check()
        model._prepare()
        self.model = model
        self.time_limit = time_limit
        self.mip_gap = mip_gap
        self.active = model._active
        self.zero = np.setdiff1d(np.arange(len(model._w)), self.active)
        self.allowed = model._allowed_pos
        self.C = model._C[np.ix_(self.active, self.allowed)]
        p = int(model.p)
        m = self.C.shape[1]
        self.enumerate = p == 1 and model.groups is None
        self.lv = Levels(self.C, m - p + 1)
        labels = model.cost.columns[self.allowed]
        self.req = np.flatnonzero(labels.isin(model.required))
        if start is not None:
            first = np.flatnonzero(labels.isin(pd.Index(list(start))))
        else:
            first = greedy(self.C, model._w[self.active], p, self.req, None)
        slack = max(SLACK_MIN, SLACK_PER * math.ceil(m / p))
        self.k = self.lv.initial(self.C, first, slack)
        self.h: Any = None
        self.prev: Any = None
        self._near: tuple[pd.Index, np.ndarray] | None = None

    def objective_of(self, open: Any, weights: np.ndarray) -> float:
        """The p-median objective of the centres ``open`` under ``weights`` (no solver)."""
        labels = pd.Index(list(open))
        if self._near is None or not self._near[0].equals(labels):
            pos = self.model.cost.columns.get_indexer(labels)
            self._near = (labels, self.model._C[:, pos].min(axis=1))
        return float(np.asarray(weights, dtype=float) @ self._near[1])

    def _build(self, ctx: Context, w: np.ndarray) -> None:
        """Build the model and load it into a HiGHS object (not solved yet)."""
        import highspy

        with ctx.building():
            b = ColumnBuilder()
            y = self.model._open_block(b)
            z, rows, step = self.lv.add_rows(b, y, w, self.k)
            quiet_highs_banner()
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
            gap = OPTIMAL_GAP / 10 if self.mip_gap is None else self.mip_gap
            h.setOptionValue("mip_rel_gap", float(gap))
            b.load(h)
            # the objective's units must not matter (HiGHS's tolerances are absolute): the
            # same power-of-two scaling as a cold solve, from this build's costs
            scale = objective_scale(w[rows] * step)
            if scale:
                h.setOptionValue("user_objective_scale", scale)
        self.b, self.rows, self.step = b, rows, step
        self.ycol = np.array([v.index for v in y.tolist()], dtype=np.int32)
        self.zcol = np.array([v.index for v in z.tolist()], dtype=np.int32)
        self.h = h
        with ctx.building():
            lp = h.getLp()
            lp.integrality_ = []
            self.h_lp = highspy.Highs()
            self.h_lp.setOptionValue("output_flag", False)
            if scale:
                self.h_lp.setOptionValue("user_objective_scale", scale)
            self.h_lp.passModel(lp)

    def _relaxation(self, ctx: Context, w: np.ndarray) -> tuple[np.ndarray, float] | None:
        """The LP relaxation re-optimised from the last basis: (y values, objective)."""
        import highspy

        h = self.h_lp
        if h is None:
            return None
        costs = w[self.rows] * self.step
        with ctx.building():
            h.changeColsCost(len(self.zcol), self.zcol, costs)
        run(h, ctx, "the LP relaxation")
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(h.getSolution().col_value, dtype=float)
        objective = float(h.getInfo().objective_function_value) + float(w @ self.lv.S[:, 0])
        return x[self.ycol], objective

    def _rerun(self, ctx: Context, w: np.ndarray) -> Any:
        import highspy

        h = self.h
        with ctx.building():
            h.changeColsCost(len(self.zcol), self.zcol, w[self.rows] * self.step)
            self.b.constant = float(w @ self.lv.S[:, 0])
            if self.prev is not None:
                start = highspy.HighsSolution()
                start.col_value = self.prev
                start.value_valid = True
                h.setSolution(start)
        run(h, ctx, "the re-solved model")
        return read_highs(h, self.b)

    def solve(self, weights: np.ndarray) -> Resolved:
        """Solve for one weight vector (one value per demand point of the template)."""
        start = time.perf_counter()
        weights = np.asarray(weights, dtype=float)
        if self.zero.size and np.any(weights[self.zero] != 0):
            raise ValueError("weights are positive where the template's weights are zero")
        w = weights[self.active]
        cols = self.model.cost.columns
        if self.enumerate:
            allowed = self.allowed if not len(self.req) else self.allowed[self.req]
            totals = w @ self.C[:, np.searchsorted(self.allowed, allowed)]
            best = int(np.argmin(totals))
            obj = float(totals[best])
            return Resolved(
                Status.OPTIMAL, cols[allowed[[best]]], obj, obj, 0, False,
                time.perf_counter() - start,
            )  # fmt: skip
        ctx = Context("highs", self.time_limit, self.mip_gap, False)
        rebuilt = False
        best_obj, best_sel, best_bound = math.inf, None, -math.inf
        while True:
            if self.h is None:
                self._build(ctx, w)
                rebuilt = True
            relaxed = self._relaxation(ctx, w)
            if relaxed is not None:
                yv, lp_obj = relaxed
                if np.all(np.minimum(np.abs(yv), np.abs(1.0 - yv)) <= 1e-6):
                    sel = np.flatnonzero(yv > 0.5)
                    t = self.C[:, sel].min(axis=1)
                    true = float(w @ t)
                    under = self.lv.undercharged(self.k, t)
                    if under.any():  # more levels, rebuild, solve again
                        self.k = self.lv.expand(self.k, t, np.flatnonzero(under))
                        self.h = None
                        self.prev = None
                        continue
                    if rel_gap(true, lp_obj) <= OPTIMAL_GAP:
                        open_ = cols[np.sort(self.allowed[sel])]
                        return Resolved(
                            Status.OPTIMAL, open_, true, min(lp_obj, true), ctx.calls,
                            rebuilt, time.perf_counter() - start, by_lp=True,
                        )  # fmt: skip
            run = self._rerun(ctx, w)
            if run.status in (Status.INFEASIBLE, Status.UNBOUNDED):
                self.h = None
                return Resolved(
                    run.status, cols[:0], math.nan, math.nan, ctx.calls, rebuilt,
                    time.perf_counter() - start,
                )  # fmt: skip
            proven_here = False
            if run.has_solution:
                x = np.asarray(self.h.getSolution().col_value, dtype=float)
                sel = np.flatnonzero(x[self.ycol] > 0.5)
                t = self.C[:, sel].min(axis=1) if len(sel) else np.full(len(w), np.inf)
                true = float(w @ t)
                if true < best_obj:
                    best_obj, best_sel = true, sel
                under = self.lv.undercharged(self.k, t)
                proven_here = run.proven and not under.any()
                self.prev = x
            if not math.isnan(run.bound):
                best_bound = max(best_bound, run.bound)
            if proven_here:
                open_ = cols[np.sort(self.allowed[sel])]
                return Resolved(
                    Status.OPTIMAL, open_, true, min(run.bound, true), ctx.calls, rebuilt,
                    time.perf_counter() - start,
                )  # fmt: skip
            if not run.proven or ctx.timed_out():
                break
            # more levels where the model undercharged: rebuild (kept for later vectors)
            self.k = self.lv.expand(self.k, t, np.flatnonzero(under))
            self.h = None
            self.prev = None
        elapsed = time.perf_counter() - start
        if best_sel is None:
            return Resolved(Status.NOT_SOLVED, cols[:0], math.nan, best_bound, ctx.calls,
                            rebuilt, elapsed)  # fmt: skip
        bound = best_bound if math.isfinite(best_bound) else math.nan
        open_ = cols[np.sort(self.allowed[best_sel])]
        return Resolved(Status.FEASIBLE, open_, best_obj, bound, ctx.calls, rebuilt, elapsed)
