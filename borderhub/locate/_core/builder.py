"""The builder protocol and its PuLP back end.

A model states its formulation once, as numpy arrays: blocks of variables, rows given by
COO triplets (row, variable, coefficient) with a sense and a right-hand side, and objective
terms. Any object with the methods of :class:`Builder` can receive it:
:class:`PulpBuilder` turns it into a :class:`pulp.LpProblem` (variables created through the
problem, as PuLP 4 requires); the HiGHS back ends in :mod:`.highs` pass it to highspy in
bulk.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pulp

__all__ = ["EQ", "GE", "LE", "Builder", "PulpBuilder", "coo", "values"]

#: Row senses, the values of ``pulp.LpConstraintGE`` / ``LE`` / ``EQ`` (every back end).
GE: int = pulp.LpConstraintGE
LE: int = pulp.LpConstraintLE
EQ: int = pulp.LpConstraintEQ


class Builder(Protocol):
    """What a formulation writes to: variables in blocks, rows as COO triplets, costs.

    ``variables`` returns an array with one handle per variable (a PuLP variable, a column
    index or a column object, by back end) that the model indexes and passes back to
    ``rows`` and ``objective``; ``constant`` is added to the objective.
    """

    constant: float

    def variables(
        self, name: str, n: int, low: float = 0.0, up: float | None = None, binary: bool = False
    ) -> np.ndarray:
        """``n`` new variables with bounds ``[low, up]`` (``up=None``: unbounded)."""
        ...  # pragma: no cover - protocol

    def rows(
        self,
        prefix: str,
        row: np.ndarray,
        var: np.ndarray,
        coef: Any,
        sense: int,
        rhs: Any,
        n_rows: int | None = None,
    ) -> None:
        """Add rows ``sum_k coef_k * var_k  (sense)  rhs_r`` given COO triplets."""
        ...  # pragma: no cover - protocol

    def objective(self, var: np.ndarray, coef: Any) -> None:
        """Add ``sum coef * var`` to the objective."""
        ...  # pragma: no cover - protocol


def coo(
    row: np.ndarray, coef: Any, rhs: Any, n_rows: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Rows as arrays: row indices, coefficients and right-hand sides, broadcast to shape.

    ``n_rows`` defaults to one more than the largest row index; ``None`` when there are
    no rows.
    """
    row = np.asarray(row, dtype=np.int64)
    if n_rows is None:
        n_rows = int(row.max()) + 1 if row.size else 0
    if n_rows == 0:
        return None
    coef = np.broadcast_to(np.asarray(coef, dtype=float), row.shape)
    return row, coef, np.broadcast_to(np.asarray(rhs, dtype=float), (n_rows,))


class PulpBuilder:
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
        triplets = coo(row, coef, rhs, n_rows)
        if triplets is None:
            return
        row, coef, rhs_a = triplets
        n_rows = len(rhs_a)
        rhs_l = rhs_a.tolist()
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


def values(var: np.ndarray) -> np.ndarray:
    """Variable values as floats (NaN where the solver gave none)."""
    out = np.array([v.varValue for v in var.tolist()], dtype=float)
    return out
