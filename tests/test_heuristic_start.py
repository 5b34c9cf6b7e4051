"""Heuristic starts returned when the solver stops before it has a solution.

The weighted set cover's greedy start and the capacitated facility-location start are
checked against brute force on small instances with policy constraints: whenever they
return an opening set it satisfies the model and the policy, its reported value is its
true value, and the reported bound never exceeds the optimum.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderhub.exceptions import SpecificationError
from borderhub.locate import FacilityLocation, SetCover

HYP = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
#: HiGHS stopped before it has any solution (no presolve, no heuristics, no node).
STOP = {"presolve": "off", "mip_heuristic_effort": 0.0, "mip_max_nodes": 0}


def policy_case(rng: np.random.Generator, m: int) -> tuple[dict, object]:
    """Random required / group limits on ``m`` candidates and the matching check."""
    kw: dict = {}
    req: list[int] = []
    groups = None
    lo: dict = {}
    hi: dict = {}
    if rng.random() < 0.5:
        req = [int(rng.integers(m))]
        kw["required"] = req
    if rng.random() < 0.5 and m >= 2:
        groups = pd.Series(rng.choice(["A", "B"], m), index=range(m))
        kw["groups"] = groups
        if rng.random() < 0.5:
            lo = {"A": 1}
            kw["min_per_group"] = lo
        else:
            hi = {"B": 1}
            kw["max_per_group"] = hi

    def ok(S) -> bool:
        S = set(S)
        if not set(req) <= S:
            return False
        if groups is not None:
            for grp, b in lo.items():
                if sum(1 for j in S if groups[j] == grp) < b:
                    return False
            for grp, b in hi.items():
                if sum(1 for j in S if groups[j] == grp) > b:
                    return False
        return True

    return kw, ok


@HYP
@given(seed=st.integers(0, 2**32 - 1))
def test_set_cover_greedy_start_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 8)), int(rng.integers(1, 7))
    C = rng.integers(0, 10, (n, m)).astype(float)
    f = rng.integers(0, 9, m).astype(float)
    kw, ok = policy_case(rng, m)
    radius = 5.0

    def covers(S) -> bool:
        return bool((C[:, list(S)].min(axis=1) <= radius).all())

    feasible = [
        S
        for k in range(1, m + 1)
        for S in itertools.combinations(range(m), k)
        if ok(S) and covers(S)
    ]
    try:
        model = SetCover.from_cost_matrix(C, radius=radius, fixed_cost=f, **kw)
    except SpecificationError:
        return  # a point no candidate covers, or policy limits that cannot be met
    sol = model.solve(solver=pulp.HiGHS(msg=False, **STOP))
    best = min((float(f[list(S)].sum()) for S in feasible), default=None)
    if sol.status == "optimal":  # the root LP happened to be integral
        assert best is not None and sol.objective == pytest.approx(best)
        return
    if sol.status in ("not_solved", "infeasible"):
        # the greedy may fail where a cover exists, but never claims one that does not
        assert len(sol.open) == 0
        return
    assert sol.status == "feasible", sol
    S = [int(j) for j in sol.open]
    assert best is not None
    assert ok(S) and covers(S), S
    assert sol.objective == pytest.approx(float(f[S].sum()))
    assert sol.objective >= best - 1e-9
    assert math.isfinite(sol.bound) and sol.bound <= best + 1e-9


@HYP
@given(seed=st.integers(0, 2**32 - 1), single=st.booleans())
def test_capacitated_start_against_brute_force(seed, single):
    """Stopped before any solver solution: the start is a feasible plan, bound below."""
    from scipy.optimize import linprog

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 6)), int(rng.integers(2, 5))
    C = rng.integers(0, 15, (n, m)).astype(float)
    w = rng.integers(1, 4, n).astype(float)
    Q = rng.integers(3, 9, m).astype(float)
    f = rng.integers(0, 20, m).astype(float)
    kw, ok = policy_case(rng, m)
    try:
        model = FacilityLocation.from_cost_matrix(
            C, w, fixed_cost=f, capacity=Q, single_source=single, **kw
        )
    except SpecificationError:
        return

    def split(S):
        S = list(S)
        k = len(S)
        res = linprog(
            (w[:, None] * C[:, S]).ravel(),
            A_ub=np.kron(w[None, :], np.eye(k)),
            b_ub=Q[S],
            A_eq=np.kron(np.eye(n), np.ones(k)),
            b_eq=np.ones(n),
            bounds=(0, 1),
            method="highs",
        )
        return float(f[S].sum() + res.fun) if res.status == 0 else math.inf

    sets = [S for k in range(1, m + 1) for S in itertools.combinations(range(m), k) if ok(S)]
    relaxed = min((split(S) for S in sets), default=math.inf)  # split bounds single
    sol = model.solve(solver=pulp.HiGHS(msg=False, **STOP))
    if sol.status in ("not_solved", "infeasible"):
        assert len(sol.open) == 0
        return
    assert sol.status in ("feasible", "optimal"), sol
    S = [int(j) for j in sol.open]
    assert ok(S)
    a = sol.assignment
    assert set(a["facility"]) <= set(S)
    load = a.groupby("facility")["weight"].sum()
    assert all(load[j] <= Q[j] + 1e-6 for j in load.index)
    served = a.groupby(level="demand")["weight"].sum().reindex(range(n))
    assert np.allclose(served.to_numpy(), w)
    if single:
        assert not a.index.duplicated().any()
    eff = C[a.index.to_numpy(), a["facility"].to_numpy().astype(int)]
    assert sol.objective == pytest.approx(float(f[S].sum() + (a["weight"] * eff).sum()))
    assert sol.objective >= relaxed - 1e-7 * max(1.0, relaxed)
    if not single and sol.status == "optimal":
        assert sol.objective == pytest.approx(relaxed, rel=1e-7)
    if math.isfinite(sol.bound):
        opt = relaxed if not single else None
        if opt is not None:
            assert sol.bound <= opt + 1e-7 * max(1.0, opt)
        assert sol.bound <= sol.objective + 1e-9
