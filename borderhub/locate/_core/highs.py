"""HiGHS through highspy: timed runs, honest status reading, bulk builders and MIP starts.

The decomposition, capacitated, hub and re-solve code paths talk to HiGHS directly where
PuLP's row-by-row model passing (or its lack of warm starts) is the bottleneck; the PuLP
path (:class:`~.context.Context`) reads its status and bound through :func:`read_highs`
as well.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pulp

from borderhub._interrupt import run_stoppable
from borderhub.exceptions import SolverError, SpecificationError
from borderhub.locate._core.builder import EQ, GE, LE, coo
from borderhub.locate._core.outcome import Run, rel_gap
from borderhub.locate.solution import OPTIMAL_GAP, Status

__all__ = [
    "ArrayBuilder",
    "ColumnBuilder",
    "check_highs_options",
    "choose_method",
    "is_highs",
    "load_highs_solution",
    "new_highs",
    "quiet_highs_banner",
    "read_highs",
    "run",
    "set_solution",
    "objective_scale",
    "unit_scale",
]


def is_highs(spec: Any) -> bool:
    """Whether a ``solver`` argument names HiGHS (the string or a ``pulp.HiGHS`` object)."""
    if isinstance(spec, str):
        return spec.strip().lower() == "highs"
    return isinstance(spec, pulp.HiGHS)


def choose_method(method: str, spec: Any, direct: str, peer: str, wins: Callable[[], bool]) -> str:
    """The method a model runs: ``direct`` talks to HiGHS through highspy, ``peer`` to PuLP.

    ``method=direct`` needs HiGHS (a clear error otherwise); ``"auto"`` takes ``direct``
    only with ``solver="highs"`` given as a string (a solver object may carry options of
    its own, which only PuLP honours) and when ``wins()`` says it pays on this instance.
    """
    highs = is_highs(spec)
    if method == direct:
        if not highs:
            raise SpecificationError(
                f"method={direct!r} talks to HiGHS directly; use solver='highs' (or a "
                "pulp.HiGHS object, of which only the solver is used: pass time_limit, "
                f"mip_gap and msg to solve), or method={peer!r} for other solvers"
            )
        return direct
    if method == peer or not isinstance(spec, str) or not highs:
        return peer
    return direct if wins() else peer


def run(h: Any, ctx: Any, what: str = "the model", limit: float | None = None) -> str:
    """Run HiGHS within the context's remaining time (and ``limit`` seconds, if given).

    HiGHS counts ``time_limit`` against the run time summed over every run of the same
    object, so the limit is set relative to the time already spent: a model re-solved many
    times keeps its full budget for each run. The run's wall time and one call are added to
    the context's counters. Returns the model status as a name.
    """
    rem = ctx.remaining()
    if limit is not None:
        rem = limit if rem is None else min(rem, limit)
    h.setOptionValue("time_limit", math.inf if rem is None else h.getRunTime() + max(rem, 0.01))
    t = time.perf_counter()
    try:
        run_stoppable(h)  # Ctrl-C stops it with its incumbent
    except Exception as err:  # pragma: no cover - HiGHS internal failure
        raise SolverError(f"HiGHS failed on {what}: {err}") from err
    finally:
        ctx.solve_time += time.perf_counter() - t
        ctx.calls += 1
    return str(h.modelStatusToString(h.getModelStatus()))


#: Typical objective coefficients in this range (powers of two) are solved as given.
_SCALE_WINDOW = (0, 30)
#: ... others are scaled so that the typical one is 2 to this power.
_SCALE_TARGET = 10


def objective_scale(cost: np.ndarray) -> int:
    """The power of two by which HiGHS should scale an objective (``user_objective_scale``).

    HiGHS's tolerances are absolute (dual feasibility ``1e-7``, MIP gap ``1e-6``): an
    objective whose coefficients are all tiny (weights in tonnes per second, costs in
    thousands of yuan) passes every test at any vertex, and a huge one never does. The
    median of the non-zero coefficients, when it lies outside ``2^0 .. 2^30``, is brought
    to about ``2^10``; HiGHS scales the objective by that power of two (exactly) and
    reports unscaled values, so the answer does not depend on the units chosen.
    """
    c = np.abs(np.asarray(cost, dtype=float))
    c = c[np.isfinite(c) & (c > 0)]
    if c.size == 0:
        return 0
    e = math.log2(float(np.median(c)))
    if _SCALE_WINDOW[0] <= e <= _SCALE_WINDOW[1]:
        return 0
    return int(_SCALE_TARGET - round(e))


def unit_scale(values: np.ndarray) -> float:
    """A power of two that brings the median positive entry of ``values`` near ``2^10``.

    1 when that median already lies in ``2^0 .. 2^30``. Multiplying by a power of two is
    exact, so a model solved on scaled data is the same model; it keeps the absolute
    tolerances of HiGHS and of this module meaningful whatever units the data are in.
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return 1.0
    e = math.log2(float(np.median(v)))
    return 1.0 if 0 <= e <= 30 else 2.0 ** (10 - round(e))


def new_highs(ctx: Any) -> Any:
    """An empty ``highspy.Highs`` logging as ``ctx.msg`` asks, with a fixed random seed."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(ctx.msg))
    h.setOptionValue("random_seed", 0)
    return h


def set_solution(h: Any, x: np.ndarray) -> None:
    """Give HiGHS the column values ``x`` as a starting solution."""
    import highspy

    sol = highspy.HighsSolution()
    sol.col_value = list(map(float, x))
    sol.value_valid = True
    h.setSolution(sol)


_BANNER_SHOWN = False


def quiet_highs_banner() -> None:
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


def check_highs_options(options: dict[str, Any]) -> None:
    """Fail early, naming the option, when HiGHS rejects a name or value."""
    if not options:
        return
    import highspy

    quiet_highs_banner()
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


def load_highs_solution(prob: pulp.LpProblem, solver: Any) -> bool:
    """Copy HiGHS's column values into the PuLP variables; False when that is impossible."""
    model = getattr(prob, "solverModel", None)
    if not (isinstance(solver, pulp.HiGHS) and model is not None and hasattr(model, "getInfo")):
        return False
    col = list(model.getSolution().col_value)
    for var in prob.variables():
        idx = getattr(var, "index", None)
        var.varValue = col[idx] if idx is not None and idx < len(col) else None
    return True


def read_highs(h: Any, b: Any) -> Run:
    """Status, objective and dual bound straight from the highspy model.

    ``b`` is the builder the model came from: its ``maximise`` flag and objective
    ``constant`` turn HiGHS's numbers back into the model's own terms.
    """
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
            return Run(Status.NOT_SOLVED, False, False, math.nan, bound)
        if math.isnan(bound):
            bound = obj
        proven = rel_gap(obj, bound) <= OPTIMAL_GAP
        return Run(Status.OPTIMAL, True, proven, obj, bound)
    if ms == st.kInfeasible:
        return Run(Status.INFEASIBLE, False, True, math.nan, math.nan)
    if ms == st.kUnbounded:
        return Run(Status.UNBOUNDED, False, True, math.nan, math.nan)
    if ms == st.kUnboundedOrInfeasible:
        # location models are bounded (costs are non-negative), so this means infeasible
        return Run(Status.INFEASIBLE, False, True, math.nan, math.nan)
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
        return Run(Status.FEASIBLE if has_sol else Status.NOT_SOLVED, has_sol, False, obj, bound)
    raise SolverError(
        f"HiGHS stopped with model status {h.modelStatusToString(ms)!r}; check the model data "
        "or try solver='cbc'"
    )


class ArrayBuilder:
    """The :class:`~.builder.Builder` protocol over column indices.

    Model code writes its rows through it as COO arrays; the model is then passed to HiGHS
    in one call (no per-row Python objects).
    """

    maximise = False

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
        lo, up = {GE: (rhs, inf), LE: (-inf, rhs)}.get(sense, (rhs, rhs))
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

        h = new_highs(ctx)
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
        scale = objective_scale(cost)
        if scale:
            h.setOptionValue("user_objective_scale", scale)
        return h


class Column:
    """A column of :class:`ColumnBuilder` (what the model code sets on a variable)."""

    __slots__ = ("index", "lowBound", "upBound", "binary")

    def __init__(self, index: int, low: float, up: float | None, binary: bool) -> None:
        self.index, self.lowBound, self.upBound, self.binary = index, low, up, binary


class ColumnBuilder:
    """The :class:`~.builder.Builder` protocol over column objects, loaded into HiGHS in bulk.

    Unlike :class:`ArrayBuilder` its variables are objects whose ``lowBound`` the model code
    may raise after creating them (as ``LocationModel._open_block`` does for required
    candidates), like PuLP variables; the rows are kept as COO arrays and handed to HiGHS in
    one call each, instead of a PuLP object per variable and per row (building the national
    p-median this way takes milliseconds instead of a tenth of a second).
    """

    def __init__(self) -> None:
        self.cols: list[Column] = []
        self.constant = 0.0
        self.maximise = False
        self._rows: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray, int]] = []
        self._obj: list[tuple[np.ndarray, np.ndarray]] = []

    def variables(
        self, name: str, n: int, low: float = 0.0, up: float | None = None, binary: bool = False
    ) -> np.ndarray:
        out = np.empty(n, dtype=object)
        start = len(self.cols)
        new = [Column(start + k, low, up, binary) for k in range(n)]
        self.cols.extend(new)
        out[:] = new
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
        triplets = coo(row, coef, rhs, n_rows)
        if triplets is None:
            return
        row, c, r = triplets
        idx = np.fromiter((v.index for v in var.tolist()), dtype=np.int64, count=len(var))
        self._rows.append((row, idx, np.array(c), int(sense), np.array(r), len(r)))

    def objective(self, var: np.ndarray, coef: np.ndarray | float) -> None:
        idx = np.fromiter((v.index for v in var.tolist()), dtype=np.int64, count=len(var))
        self._obj.append((idx, np.broadcast_to(np.asarray(coef, dtype=float), idx.shape)))

    def load(self, h: Any) -> None:
        """Pass the model to the (empty) HiGHS object ``h``."""
        import highspy

        inf = highspy.kHighsInf
        n = len(self.cols)
        lower = np.array([c.lowBound for c in self.cols], dtype=float)
        upper = np.array([inf if c.upBound is None else c.upBound for c in self.cols])
        h.addVars(n, lower, upper)
        cost = np.zeros(n)
        for idx, coef in self._obj:
            cost[idx] += coef
        h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        binary = np.flatnonzero([c.binary for c in self.cols]).astype(np.int32)
        if binary.size:
            kinds = np.full(binary.size, highspy.HighsVarType.kInteger)
            h.changeColsIntegrality(binary.size, binary, kinds)
        for row, idx, coef, sense, rhs, n_rows in self._rows:
            order = np.argsort(row, kind="stable")
            starts = np.searchsorted(row[order], np.arange(n_rows)).astype(np.int32)
            lo = rhs if sense in (GE, EQ) else np.full(n_rows, -inf)
            up = rhs if sense in (LE, EQ) else np.full(n_rows, inf)
            h.addRows(n_rows, lo, up, len(order), starts, idx[order].astype(np.int32), coef[order])
