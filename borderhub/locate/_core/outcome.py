"""Results in a model's own objective terms: :class:`Run` (one solver call), :class:`Outcome`.

:class:`Run` is what one solver call established; :class:`Outcome` what a model's ``_solve``
found, which ``LocationModel.solve`` turns into a :class:`~borderhub.locate.Solution`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from borderhub.locate.solution import Status

__all__ = ["Outcome", "Run", "outcome_of", "rel_gap"]


@dataclass
class Run:
    """What one solver call established, in the model's own objective terms."""

    status: Status  # OPTIMAL = solved to the solver's stopping rule (may be a gap)
    has_solution: bool
    proven: bool  # optimal with relative gap <= OPTIMAL_GAP
    objective: float
    bound: float


@dataclass
class Outcome:
    """What a model's ``_solve`` found (positions refer to the full candidate list)."""

    status: Status
    open_pos: np.ndarray | None = None
    objective: float = math.nan
    bound: float = math.nan
    message: str = ""
    assignment: pd.DataFrame | None = None


def outcome_of(run: Run, open_pos: np.ndarray | None, objective: float) -> Outcome:
    """Outcome of a single solver call (status, open centres, objective, bound)."""
    if run.status in (Status.INFEASIBLE, Status.UNBOUNDED) or not run.has_solution:
        return Outcome(run.status if not run.has_solution else Status.NOT_SOLVED)
    status = Status.OPTIMAL if run.proven else Status.FEASIBLE
    return Outcome(status, open_pos, objective, run.bound)


def rel_gap(objective: float, bound: float) -> float:
    """``|objective - bound| / |objective|``, 0 when both are 0, NaN when unknown.

    A difference below ``1e-9`` counts as none -- relative to the objective when it is
    below 1, so that an objective in small units keeps its gap.
    """
    if not (math.isfinite(objective) and math.isfinite(bound)):
        return math.nan
    diff = abs(objective - bound)
    size = max(abs(objective), abs(bound))
    if diff <= 1e-9 * min(1.0, size) or (objective == 0.0 and diff <= 1e-9):
        return 0.0
    return diff / max(abs(objective), 1e-300)
