"""Private plumbing shared by every model: vectorised PuLP building and honest solver runs.

:class:`_Builder` turns numpy index arrays (COO triplets) into a :class:`pulp.LpProblem`
whose variables are created through the problem (``prob.add_variable_matrix``), as PuLP 4
requires. :class:`_Context` resolves the solver, keeps the time budget over several solver
calls, times building and solving separately, and reads the real status, dual bound and gap
back from HiGHS, so a time-limited incumbent is never called optimal.
"""

from __future__ import annotations

import copy
import math
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from borderhub.exceptions import SolverError, SpecificationError
from borderhub.locate.solution import OPTIMAL_GAP, Status

GE = pulp.LpConstraintGE
LE = pulp.LpConstraintLE
EQ = pulp.LpConstraintEQ


class _Builder:
    """Build a PuLP problem from arrays: variables in blocks, rows from COO triplets."""

    def __init__(self, name: str, maximise: bool = False) -> None:
        sense = pulp.LpMaximize if maximise else pulp.LpMinimize
        self.prob = pulp.LpProblem(name, sense)
        self.maximise = maximise
        self.constant = 0.0
        self._rows: dict[str, pulp.LpConstraint] = {}
        self._obj_vars: list[np.ndarray] = []
        self._obj_coefs: list[np.ndarray] = []

    def variables(
        self, name: str, n: int, low: float = 0.0, up: float | None = None, binary: bool = False
    ) -> np.ndarray:
        """``n`` variables named ``name_0 .. name_{n-1}`` as an object array."""
        out = np.empty(n, dtype=object)
        if n:
            cat = pulp.LpBinary if binary else pulp.LpContinuous
            out[:] = self.prob.add_variable_matrix(name, range(n), low, up, cat)
        return out

    def rows(
        self,
        prefix: str,
        row: np.ndarray,
        var: np.ndarray,
        coef: np.ndarray | float,
        sense: int,
        rhs: np.ndarray | float,
        n_rows: int | None = None,
    ) -> None:
        """Add rows ``sum_k coef_k * var_k  (sense)  rhs_r`` given COO triplets.

        A variable must appear at most once per row (callers guarantee it).
        """
        row = np.asarray(row, dtype=np.int64)
        if n_rows is None:
            n_rows = int(row.max()) + 1 if row.size else 0
        if n_rows == 0:
            return
        coef = np.broadcast_to(np.asarray(coef, dtype=float), row.shape)
        rhs_l = np.broadcast_to(np.asarray(rhs, dtype=float), (n_rows,)).tolist()
        order = np.argsort(row, kind="stable")
        v = var[order].tolist()
        c = coef[order].tolist()
        bounds = np.searchsorted(row[order], np.arange(n_rows + 1)).tolist()
        expr, con, rows = pulp.LpAffineExpression, pulp.LpConstraint, self._rows
        for k in range(n_rows):
            s, e = bounds[k], bounds[k + 1]
            name = f"{prefix}_{k}"
            rows[name] = con(expr(zip(v[s:e], c[s:e], strict=True)), sense, name, rhs_l[k])

    def objective(self, var: np.ndarray, coef: np.ndarray | float) -> None:
        """Add ``sum coef * var`` to the objective (each variable at most once overall)."""
        self._obj_vars.append(np.asarray(var, dtype=object))
        self._obj_coefs.append(np.broadcast_to(np.asarray(coef, dtype=float), np.shape(var)))

    def finish(self) -> pulp.LpProblem:
        """Set the objective, attach the rows and return the problem."""
        if self._obj_vars:
            v = np.concatenate(self._obj_vars).tolist()
            c = np.concatenate(self._obj_coefs).tolist()
        else:
            v, c = [], []
        obj = pulp.LpAffineExpression(zip(v, c, strict=True), constant=float(self.constant))
        self.prob.setObjective(obj)
        self.prob.extend(self._rows)
        return self.prob


@dataclass
class _Run:
    """What one solver call established, in the model's own objective terms."""

    status: Status  # OPTIMAL = solved to the solver's stopping rule (may be a gap)
    has_solution: bool
    proven: bool  # optimal with relative gap <= OPTIMAL_GAP
    objective: float
    bound: float


def values(var: np.ndarray) -> np.ndarray:
    """Variable values as floats (NaN where the solver gave none)."""
    out = np.array([v.varValue for v in var.tolist()], dtype=float)
    return out


def rel_gap(objective: float, bound: float) -> float:
    """``|objective - bound| / |objective|``, 0 when both are 0, NaN when unknown."""
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.nan
    diff = abs(objective - bound)
    if diff <= 1e-9:
        return 0.0
    return diff / max(abs(objective), 1e-12)


_BANNER_SHOWN = False


def _quiet_highs_banner() -> None:
    """Let HiGHS print its once-per-process banner into /dev/null instead of stdout.

    highspy prints a copyright banner on standard output when the first ``Highs`` object of
    a process is created, before any option (such as ``output_flag``) can be set, so
    ``msg=False`` would not be honoured for the first solve. Creating that first object
    with file descriptor 1 pointed at /dev/null consumes the banner.
    """
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return
    _BANNER_SHOWN = True
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency
        return
    from borderhub._native import native_stdout_elsewhere

    with native_stdout_elsewhere():
        highspy.Highs()


class _Context:
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
        self._make_solver(None)  # fail early on unknown / unavailable solvers

    # -- time -------------------------------------------------------------------------
    def remaining(self) -> float | None:
        if self.deadline is None:
            return None
        return self.deadline - time.perf_counter()

    def timed_out(self) -> bool:
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
                    _quiet_highs_banner()
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
            _check_highs_options(s.optionsDict)
        return s

    def run(self, b: _Builder) -> _Run:
        """Solve the built problem once within the remaining time budget."""
        prob = b.finish()
        remaining = self.remaining()
        limit = None if remaining is None else max(remaining, 0.01)
        solver = self._make_solver(limit)
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
            if not _load_highs_solution(prob, solver):
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
            return _read_highs(model, b)
        return _read_pulp(prob, b)


def _options_of(solver: Any) -> dict[str, Any]:
    """The extra options of a PuLP solver object (for error messages)."""
    return dict(getattr(solver, "optionsDict", {}) or {})


def _check_highs_options(options: dict[str, Any]) -> None:
    """Fail early, naming the option, when HiGHS rejects a name or value."""
    if not options:
        return
    import highspy

    _quiet_highs_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in options.items():
        try:
            ok = h.setOptionValue(key, value) == highspy.HighsStatus.kOk
        except (TypeError, ValueError):  # pragma: no cover - highspy returns kError
            ok = False
        if not ok:
            raise SolverError(
                f"HiGHS rejects the option {key}={value!r} (unknown name, or a value of the "
                "wrong type or out of range); fix or drop it -- the valid names and ranges "
                "are listed at https://ergo-code.github.io/HiGHS/stable/options/definitions/"
            )


def _load_highs_solution(prob: pulp.LpProblem, solver: Any) -> bool:
    """Copy HiGHS's column values into the PuLP variables; False when that is impossible."""
    model = getattr(prob, "solverModel", None)
    if not (isinstance(solver, pulp.HiGHS) and model is not None and hasattr(model, "getInfo")):
        return False
    col = list(model.getSolution().col_value)
    for var in prob.variables():
        idx = getattr(var, "index", None)
        var.varValue = col[idx] if idx is not None and idx < len(col) else None
    return True


def _read_highs(h: Any, b: _Builder) -> _Run:
    """Status, objective and dual bound straight from the highspy model."""
    import highspy

    ms = h.getModelStatus()
    info = h.getInfo()
    sign = -1.0 if b.maximise else 1.0
    st = highspy.HighsModelStatus
    has_sol = int(info.primal_solution_status) == 2  # kSolutionStatusFeasible
    obj = sign * float(info.objective_function_value) + b.constant if has_sol else math.nan
    raw_bound = float(info.mip_dual_bound)
    if info.mip_node_count < 0 or not math.isfinite(raw_bound):  # LP or no MIP bound
        raw_bound = math.nan
    bound = sign * raw_bound + b.constant
    if ms == st.kOptimal:
        if not has_sol:  # nothing to report, whatever the status says
            return _Run(Status.NOT_SOLVED, False, False, math.nan, bound)
        if math.isnan(bound):
            bound = obj
        proven = rel_gap(obj, bound) <= OPTIMAL_GAP
        return _Run(Status.OPTIMAL, True, proven, obj, bound)
    if ms == st.kInfeasible:
        return _Run(Status.INFEASIBLE, False, True, math.nan, math.nan)
    if ms == st.kUnbounded:
        return _Run(Status.UNBOUNDED, False, True, math.nan, math.nan)
    if ms == st.kUnboundedOrInfeasible:
        # location models are bounded (costs are non-negative), so this means infeasible
        return _Run(Status.INFEASIBLE, False, True, math.nan, math.nan)
    stopped = {
        st.kTimeLimit,
        st.kIterationLimit,
        st.kInterrupt,
        st.kObjectiveBound,
        st.kObjectiveTarget,
        getattr(st, "kSolutionLimit", st.kTimeLimit),
        getattr(st, "kMemoryLimit", st.kTimeLimit),
        getattr(st, "kHighsInterrupt", st.kTimeLimit),
    }
    if ms in stopped:
        return _Run(Status.FEASIBLE if has_sol else Status.NOT_SOLVED, has_sol, False, obj, bound)
    raise SolverError(
        f"HiGHS stopped with model status {h.modelStatusToString(ms)!r}; check the model data "
        "or try solver='cbc'"
    )


def _read_pulp(prob: pulp.LpProblem, b: _Builder) -> _Run:
    """Status from PuLP's solution status (other solvers: no dual bound available)."""
    sol = prob.sol_status
    obj = pulp.value(prob.objective)
    obj = math.nan if obj is None else float(obj)
    if sol == pulp.LpSolutionOptimal:
        return _Run(Status.OPTIMAL, True, True, obj, obj)
    if sol == pulp.LpSolutionIntegerFeasible:
        return _Run(Status.FEASIBLE, True, False, obj, math.nan)
    if sol == pulp.LpSolutionInfeasible or prob.status == pulp.LpStatusInfeasible:
        return _Run(Status.INFEASIBLE, False, True, math.nan, math.nan)
    if sol == pulp.LpSolutionUnbounded or prob.status == pulp.LpStatusUnbounded:
        return _Run(Status.UNBOUNDED, False, True, math.nan, math.nan)
    return _Run(Status.NOT_SOLVED, False, False, math.nan, math.nan)
