"""HiGHS through highspy: one timed run, a bulk model builder and MIP starts.

The decomposition, capacitated, hub and re-solve code paths talk to HiGHS directly where
PuLP's row-by-row model passing (or its lack of warm starts) is the bottleneck; this module
holds what they share.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pulp

from borderhub.exceptions import SolverError, SpecificationError

__all__ = ["GE", "LE", "EQ", "ArrayBuilder", "choose_method", "is_highs", "run", "set_solution"]

GE, LE, EQ = 1, -1, 0  # pulp.LpConstraintGE / LE / EQ


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
        h.run()
    except Exception as err:  # pragma: no cover - HiGHS internal failure
        raise SolverError(f"HiGHS failed on {what}: {err}") from err
    finally:
        ctx.solve_time += time.perf_counter() - t
        ctx.calls += 1
    return str(h.modelStatusToString(h.getModelStatus()))


def set_solution(h: Any, x: np.ndarray) -> None:
    """Give HiGHS the column values ``x`` as a starting solution."""
    import highspy

    sol = highspy.HighsSolution()
    sol.col_value = list(map(float, x))
    sol.value_valid = True
    h.setSolution(sol)


class ArrayBuilder:
    """The :class:`~borderhub.locate._milp._Builder` interface over column indices.

    Model code writes its rows through it as COO arrays; the model is then passed to HiGHS
    in one call (no per-row Python objects).
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
