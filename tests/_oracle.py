"""Independent answers for the differential tests: brute force and dense textbook MILPs.

Nothing here imports borderhub. Every model is restated from its documented objective on
plain numpy arrays (positions, not labels): an :class:`Instance` names the model and its
data, :func:`brute_force` enumerates every opening set the rules allow, and
:func:`dense_milp` states the textbook formulation (classic assignment variables, the
path formulation of the hub median) through PuLP with HiGHS at a zero gap. The test file
compares borderhub's solutions with both.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pulp
from scipy.optimize import linprog

#: Relative tolerance of "equal objective values" between independent computations.
RTOL = 1e-6


@dataclass
class Instance:
    """One test instance.

    ``kind`` is one of ``pmedian``, ``facility`` (uncapacitated when ``capacity`` is
    None), ``hub``, ``crossborder``, ``pcenter``, ``maxcover``, ``setcover``. Costs are
    ``C`` (demand x candidate; node x node for ``hub``; origins x candidates for
    ``crossborder``, with ``G`` the candidates x partners international cost, NaN = no
    route, and ``F`` the origin x partner flows). Policy rules are on candidate positions.
    """

    kind: str
    C: np.ndarray
    w: np.ndarray | None = None
    p: int | None = None
    fixed: np.ndarray | None = None
    capacity: np.ndarray | None = None
    single_source: bool = True
    radius: float | None = None
    W: np.ndarray | None = None  # hub flows
    alpha: float = 0.75
    chi: float = 1.0
    delta: float = 1.0
    G: np.ndarray | None = None  # crossborder international cost
    F: np.ndarray | None = None  # crossborder flows
    required: list[int] = field(default_factory=list)
    forbidden: list[int] = field(default_factory=list)
    groups: dict[int, str] = field(default_factory=dict)
    min_per_group: dict[str, int] = field(default_factory=dict)
    max_per_group: dict[str, int] = field(default_factory=dict)

    @property
    def m(self) -> int:
        return self.C.shape[1]

    @property
    def maximise(self) -> bool:
        return self.kind == "maxcover"

    def weights(self) -> np.ndarray:
        return np.ones(self.C.shape[0]) if self.w is None else np.asarray(self.w, float)

    # -- the rules ---------------------------------------------------------------------
    def set_ok(self, S: tuple[int, ...]) -> bool:
        """Whether the opening set ``S`` meets the cardinality and policy rules."""
        if not S:
            return False
        if self.p is not None and len(S) != self.p:
            return False
        if set(self.forbidden) & set(S) or not set(self.required) <= set(S):
            return False
        counts: dict[str, int] = {}
        for j in S:
            if j in self.groups:
                counts[self.groups[j]] = counts.get(self.groups[j], 0) + 1
        for g, lo in self.min_per_group.items():
            if counts.get(g, 0) < lo:
                return False
        return all(counts.get(g, 0) <= hi for g, hi in self.max_per_group.items())

    def sets(self) -> list[tuple[int, ...]]:
        """Every opening set the rules allow."""
        sizes = [self.p] if self.p is not None else range(1, self.m + 1)
        return [S for k in sizes for S in itertools.combinations(range(self.m), k)
                if self.set_ok(S)]  # fmt: skip

    # -- the objective of an opening set (None: no allocation serves everything) --------
    def value(self, S: tuple[int, ...]) -> float | None:
        S_ = list(S)
        w = self.weights()
        open_cost = float(self.fixed[S_].sum()) if self.fixed is not None else 0.0
        if self.kind == "pmedian" or (self.kind == "facility" and self.capacity is None):
            return float(w @ self.C[:, S_].min(axis=1)) + open_cost
        if self.kind == "facility":
            alloc = (single_allocation if self.single_source else split_allocation)(
                self.C, w, np.asarray(self.capacity, float), S_
            )
            return None if alloc is None else alloc + open_cost
        if self.kind == "hub":
            return hub_value(self, S_)
        if self.kind == "crossborder":
            return crossborder_value(self, S_)
        act = w > 0
        near = self.C[:, S_].min(axis=1)
        if self.kind == "pcenter":
            return float(near[act].max()) if act.any() else 0.0
        covered = near <= self.radius * (1 + 1e-12)
        if self.kind == "maxcover":
            return float(w[covered].sum())
        if self.kind == "setcover":
            if not covered[act].all():
                return None
            return open_cost if self.fixed is not None else float(len(S_))
        raise ValueError(self.kind)


def split_allocation(C: np.ndarray, w: np.ndarray, Q: np.ndarray, S: list[int]) -> float | None:
    """The transportation problem over the open set ``S`` (scipy's HiGHS LP)."""
    n, k = len(w), len(S)
    if Q[S].sum() < w.sum() * (1 - 1e-12):
        return None
    # the LP in units where the weights and costs are about 1 (its tolerances are absolute)
    wu, cu = float(w.max()), float(max(C[:, S].max(), 1e-300))
    w, Q, C = w / wu, Q / wu, C / cu
    cost = (w[:, None] * C[:, S]).ravel()
    a_eq = np.kron(np.eye(n), np.ones(k))  # sum_t x_it = 1
    a_ub = np.zeros((k, n * k))  # sum_i w_i x_it <= Q_t
    for i in range(n):
        a_ub[np.arange(k), i * k + np.arange(k)] = w[i]
    res = linprog(cost, A_ub=a_ub, b_ub=Q[S], A_eq=a_eq, b_eq=np.ones(n), bounds=(0, 1),
                  method="highs")  # fmt: skip
    return float(res.fun) * wu * cu if res.status == 0 else None


def single_allocation(C: np.ndarray, w: np.ndarray, Q: np.ndarray, S: list[int]) -> float | None:
    """Every single-source assignment to ``S`` that fits the capacities: the cheapest."""
    n, k = len(w), len(S)
    choice = np.array(list(itertools.product(range(k), repeat=n)), dtype=np.int64)
    load = np.stack([(choice == t) @ w for t in range(k)], axis=1)
    fits = np.all(load <= Q[S][None, :] * (1 + 1e-9), axis=1)
    if not fits.any():
        return None
    cost = (w[:, None] * C[:, S])[np.arange(n)[None, :], choice].sum(axis=1)
    return float(cost[fits].min())


def hub_cost(inst: Instance, alloc: np.ndarray) -> float:
    """Total flow cost of a hub allocation: chi c[i,h(i)] + alpha c[h(i),h(j)] + delta c[h(j),j]."""
    c, W = inst.C, inst.W
    n = len(alloc)
    total = 0.0
    for i in range(n):
        for j in range(n):
            k, m_ = alloc[i], alloc[j]
            total += W[i, j] * (inst.chi * c[i, k] + inst.alpha * c[k, m_] + inst.delta * c[m_, j])
    return total


def hub_value(inst: Instance, S: list[int]) -> float:
    """The cheapest single allocation to the hubs ``S`` (hubs serve themselves)."""
    n = inst.C.shape[0]
    others = [i for i in range(n) if i not in S]
    best = math.inf
    for choice in itertools.product(S, repeat=len(others)):
        alloc = np.arange(n)
        alloc[others] = choice
        best = min(best, hub_cost(inst, alloc))
    return best


def crossborder_value(inst: Instance, S: list[int]) -> float | None:
    """Each commodity through its cheapest routing open centre; None if one has none."""
    d, G, F = inst.C, inst.G, inst.F
    total = float(inst.fixed[S].sum()) if inst.fixed is not None else 0.0
    for i in range(F.shape[0]):
        for k in range(F.shape[1]):
            if F[i, k] <= 0:
                continue
            routes = [d[i, j] + G[j, k] for j in S if np.isfinite(G[j, k])]
            if not routes:
                return None
            total += F[i, k] * min(routes)
    if inst.w is not None:  # the domestic term (weight 1)
        total += float(np.asarray(inst.w) @ d[:, S].min(axis=1))
    return total


def brute_force(inst: Instance) -> tuple[float | None, list[tuple[int, ...]]]:
    """``(optimum, optimal sets)``; ``(None, [])`` when no opening set is feasible."""
    vals = [(S, inst.value(S)) for S in inst.sets()]
    vals = [(S, v) for S, v in vals if v is not None]
    if not vals:
        return None, []
    best = max(v for _, v in vals) if inst.maximise else min(v for _, v in vals)
    tol = RTOL * abs(best)
    return best, [S for S, v in vals if abs(v - best) <= tol]


# ----------------------------------------------------------------------------------------
# dense textbook formulations
# ----------------------------------------------------------------------------------------


def _policy_rows(prob: pulp.LpProblem, y: list[Any], inst: Instance) -> None:
    if inst.p is not None:
        prob += pulp.lpSum(y) == inst.p
    else:
        prob += pulp.lpSum(y) >= 1
    for j in inst.required:
        prob += y[j] == 1
    for j in inst.forbidden:
        prob += y[j] == 0
    names = set(inst.groups.values())
    for g in names:
        members = [y[j] for j, gj in inst.groups.items() if gj == g]
        if g in inst.min_per_group:
            prob += pulp.lpSum(members) >= inst.min_per_group[g]
        if g in inst.max_per_group:
            prob += pulp.lpSum(members) <= inst.max_per_group[g]


def dense_milp(inst: Instance) -> float | None:
    """The optimum of the textbook MILP (None when infeasible), HiGHS at a zero gap.

    p-median and facility location: assignment variables ``x_ij`` with ``x_ij <= y_j``
    (and capacity rows); hub median: the path formulation ``X_ijkm`` (flow i -> j through
    hubs k, m) with ``sum_m X_ijkm = z_ik`` and ``sum_k X_ijkm = z_jm``.
    """
    n, m = inst.C.shape
    w = inst.weights()
    sense = pulp.LpMaximize if inst.maximise else pulp.LpMinimize
    prob = pulp.LpProblem("oracle", sense)
    if inst.kind == "hub":
        y = [prob.add_variable(f"z_{k}_{k}", 0, 1, pulp.LpBinary) for k in range(n)]
        z = {(i, k): (y[k] if i == k else prob.add_variable(f"z_{i}_{k}", 0, 1, pulp.LpBinary))
             for i in range(n) for k in range(n)}  # fmt: skip
        c, W = inst.C, inst.W
        obj = []
        for i, j in itertools.product(range(n), repeat=2):
            if W[i, j] == 0:
                continue
            X = {(k, m_): prob.add_variable(f"X_{i}_{j}_{k}_{m_}", 0, 1)
                 for k in range(n) for m_ in range(n)}  # fmt: skip
            for k in range(n):
                prob += pulp.lpSum(X[k, m_] for m_ in range(n)) == z[i, k]
                prob += pulp.lpSum(X[m_, k] for m_ in range(n)) == z[j, k]
            obj += [W[i, j] * (inst.chi * c[i, k] + inst.alpha * c[k, m_]
                               + inst.delta * c[m_, j]) * X[k, m_]
                    for k in range(n) for m_ in range(n)]  # fmt: skip
        for i in range(n):
            prob += pulp.lpSum(z[i, k] for k in range(n)) == 1
            for k in range(n):
                if i != k:
                    prob += z[i, k] <= y[k]
        prob += pulp.lpSum(obj)
    else:
        y = [prob.add_variable(f"y_{j}", 0, 1, pulp.LpBinary) for j in range(m)]
        cat = pulp.LpBinary if inst.capacity is not None and inst.single_source else None
        x = [[prob.add_variable(f"x_{i}_{j}", 0, 1, cat or pulp.LpContinuous)
              for j in range(m)] for i in range(n)]  # fmt: skip
        obj = [w[i] * inst.C[i, j] * x[i][j] for i in range(n) for j in range(m)]
        if inst.fixed is not None:
            obj += [inst.fixed[j] * y[j] for j in range(m)]
        prob += pulp.lpSum(obj)
        for i in range(n):
            prob += pulp.lpSum(x[i]) == 1
            for j in range(m):
                prob += x[i][j] <= y[j]
        if inst.capacity is not None:
            for j in range(m):
                prob += pulp.lpSum(w[i] * x[i][j] for i in range(n)) <= inst.capacity[j] * y[j]
    _policy_rows(prob, y, inst)
    prob.solve(pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0))
    if prob.status != pulp.LpStatusOptimal:
        return None
    return float(pulp.value(prob.objective))
