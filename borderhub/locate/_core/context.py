"""One call of ``solve``: solver choice, time budget, timers and honest solver runs.

:class:`Context` resolves the solver, keeps the time budget over several solver calls,
times building and solving separately, and reads the real status, dual bound and gap back
from HiGHS, so a time-limited incumbent is never called optimal.
"""

from __future__ import annotations

import copy
import math
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pulp

from borderhub._interrupt import interrupt_requested, run_stoppable
from borderhub.exceptions import SolverError, SpecificationError
from borderhub.locate._core.builder import PulpBuilder
from borderhub.locate._core.highs import (
    check_highs_options,
    load_highs_solution,
    objective_scale,
    quiet_highs_banner,
    read_highs,
)
from borderhub.locate._core.outcome import Run
from borderhub.locate.solution import OPTIMAL_GAP, Status

__all__ = ["Context", "read_pulp"]


class Context:
    """One call of ``solve``: solver choice, time budget, timers, solver-call count."""

    def __init__(self, solver: Any, time_limit: float | None, mip_gap: float | None, msg: bool):
        if time_limit is not None and not (
            isinstance(time_limit, int | float) and time_limit > 0 and math.isfinite(time_limit)
        ):
            raise SpecificationError(
                f"time_limit must be a positive number of seconds or None, got {time_limit!r}"
            )
        if mip_gap is not None and not (
            isinstance(mip_gap, int | float) and 0 <= mip_gap < 1 and math.isfinite(mip_gap)
        ):
            raise SpecificationError(
                f"mip_gap must be in [0, 1) or None, got {mip_gap!r}; pass e.g. 0.01 or None"
            )
        self.solver_spec = solver
        self.time_limit = time_limit
        self.mip_gap = mip_gap
        self.msg = bool(msg)
        self.start = time.perf_counter()
        self.deadline = None if time_limit is None else self.start + float(time_limit)
        self.build_time = 0.0
        self.solve_time = 0.0
        self.calls = 0
        self.interrupted = False  # set once a Ctrl-C stopped (part of) this solve
        self._make_solver(None)  # fail early on unknown / unavailable solvers

    # -- time -------------------------------------------------------------------------
    def remaining(self) -> float | None:
        """Seconds left (None: no limit; 0 once Ctrl-C was pressed)."""
        if interrupt_requested():
            self.interrupted = True
            return 0.0
        if self.deadline is None:
            return None
        return self.deadline - time.perf_counter()

    def timed_out(self) -> bool:
        """Whether the time is up, or Ctrl-C was pressed (iterative schemes stop)."""
        r = self.remaining()
        return r is not None and r <= 0.0

    @contextmanager
    def building(self) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.build_time += time.perf_counter() - t

    # -- solver -----------------------------------------------------------------------
    def _make_solver(self, time_limit: float | None) -> Any:
        spec = self.solver_spec
        gap = self.mip_gap
        if isinstance(spec, str):
            key = spec.strip().lower()
            if key == "highs":
                if not self.msg:
                    quiet_highs_banner()
                s = pulp.HiGHS(
                    msg=self.msg,
                    timeLimit=time_limit,
                    gapRel=OPTIMAL_GAP / 10 if gap is None else gap,
                )
            elif key in ("cbc", "coin", "coin_cmd", "pulp_cbc_cmd"):
                kwargs = {"msg": self.msg, "timeLimit": time_limit, "gapRel": gap}
                s = pulp.COIN_CMD(**kwargs)
                if not s.available():
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", DeprecationWarning)
                        s = pulp.PULP_CBC_CMD(**kwargs)
            else:
                raise SolverError(
                    f"unknown solver name {spec!r}; use 'highs' (default), 'cbc', or pass a "
                    "PuLP solver object such as pulp.HiGHS(...)"
                )
        elif isinstance(spec, pulp.LpSolver):
            s = copy.copy(spec)
            s.optionsDict = dict(getattr(spec, "optionsDict", {}) or {})
            if time_limit is not None:
                s.timeLimit = time_limit
            if gap is not None:
                if hasattr(s, "gapRel"):
                    s.gapRel = gap
                else:
                    s.optionsDict["gapRel"] = gap
        else:
            raise SolverError(
                f"solver must be a name ('highs', 'cbc') or a PuLP solver object, got "
                f"{type(spec).__name__}"
            )
        if not s.available():
            raise SolverError(
                f"solver {getattr(s, 'name', spec)!r} is not available on this machine; "
                "install it or use solver='highs'"
            )
        if isinstance(s, pulp.HiGHS):
            check_highs_options(s.optionsDict)
        return s

    def run(self, b: PulpBuilder) -> Run:
        """Solve the built problem once within the remaining time budget."""
        prob = b.finish()
        remaining = self.remaining()
        limit = None if remaining is None else max(remaining, 0.01)
        solver = self._make_solver(limit)
        if isinstance(solver, pulp.HiGHS) and not getattr(solver, "callbackTuple", None):
            solver.callSolver = lambda lp: run_stoppable(lp.solverModel)  # type: ignore[method-assign]
        if isinstance(solver, pulp.HiGHS) and "user_objective_scale" not in solver.optionsDict:
            coefs = [np.ravel(c) for c in b._obj_coefs]
            scale = objective_scale(np.concatenate(coefs) if coefs else np.zeros(0))
            if scale:  # tolerances relative to the objective, whatever its units
                solver.optionsDict["user_objective_scale"] = scale
        t = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                prob.solve(solver)
        except pulp.PulpSolverError as err:
            raise SolverError(f"the solver failed: {err}") from err
        except KeyError as err:
            # PuLP's HiGHS interface has no entry for some model statuses HiGHS can stop
            # with (kSolutionLimit: mip_max_nodes, mip_max_improving_sols, ...); the run
            # itself is fine, so read its status and solution from HiGHS directly.
            if not load_highs_solution(prob, solver):
                raise SolverError(
                    f"the solver interface failed ({type(err).__name__}: {err}) with the "
                    f"solver options {_options_of(solver)}; drop or change those options "
                    "or use solver='highs'"
                ) from err
        except (IndexError, ValueError, RuntimeError) as err:
            # PuLP's HiGHS interface fails this way when HiGHS refuses to load the model
            raise SolverError(
                f"the solver could not load or solve the model ({type(err).__name__}: {err}); "
                "check for extreme coefficients (costs, weights or capacities above 1e20) or "
                "try solver='cbc'"
            ) from err
        finally:
            self.solve_time += time.perf_counter() - t
            self.calls += 1
        model = getattr(prob, "solverModel", None)
        if isinstance(solver, pulp.HiGHS) and model is not None and hasattr(model, "getInfo"):
            return read_highs(model, b)
        return read_pulp(prob, b)


def _options_of(solver: Any) -> dict[str, Any]:
    """The extra options of a PuLP solver object (for error messages)."""
    return dict(getattr(solver, "optionsDict", {}) or {})


def read_pulp(prob: pulp.LpProblem, b: PulpBuilder) -> Run:
    """Status from PuLP's solution status (other solvers: no dual bound available)."""
    sol = prob.sol_status
    obj = pulp.value(prob.objective)
    obj = math.nan if obj is None else float(obj)
    if sol == pulp.LpSolutionOptimal:
        return Run(Status.OPTIMAL, True, True, obj, obj)
    if sol == pulp.LpSolutionIntegerFeasible:
        return Run(Status.FEASIBLE, True, False, obj, math.nan)
    if sol == pulp.LpSolutionInfeasible or prob.status == pulp.LpStatusInfeasible:
        return Run(Status.INFEASIBLE, False, True, math.nan, math.nan)
    if sol == pulp.LpSolutionUnbounded or prob.status == pulp.LpStatusUnbounded:
        return Run(Status.UNBOUNDED, False, True, math.nan, math.nan)
    return Run(Status.NOT_SOLVED, False, False, math.nan, math.nan)
