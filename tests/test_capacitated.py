"""The capacitated facility-location method: Lagrangian bound, fixing, heuristic, MIP.

Every part is checked against brute force on small instances: the Lagrangian value is a
lower bound for any multipliers, the fixing never removes an optimal opening set (even
with the tightest possible incumbent value, the optimum itself), the knapsack is exact
where claimed, and the whole method gives the same optimum as the plain model without
the Lagrangian steps.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from borderhub.locate import FacilityLocation
from borderhub.locate._capacitated import Lagrangian, knapsack_values, single_source, transport

HYP = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def instance(seed: int, equal: bool):
    """Random small splittable instance: per-unit costs, weights, capacities, fixed costs."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 7)), int(rng.integers(2, 6))
    C = rng.integers(0, 15, (n, m)).astype(float)
    w = rng.integers(1, 5, n).astype(float)
    if equal:
        Q = np.full(m, float(rng.integers(math.ceil(w.sum() / m), int(w.sum()) + 2)))
    else:
        Q = rng.integers(2, 9, m).astype(float)
        if Q.sum() < w.sum():
            Q[0] += w.sum() - Q.sum()
    f = rng.integers(0, 30, m).astype(float)
    return C, w, Q, f


def split_value(C, w, Q, f, S) -> float:
    """Optimal split allocation to the open set S (inf when it lacks capacity)."""
    S = list(S)
    k = len(S)
    if Q[S].sum() < w.sum() - 1e-9:
        return math.inf
    res = linprog(
        (w[:, None] * C[:, S]).ravel(),
        A_ub=np.kron(w[None, :], np.eye(k)),
        b_ub=Q[S],
        A_eq=np.kron(np.eye(len(w)), np.ones(k)),
        b_eq=np.ones(len(w)),
        bounds=(0, 1),
        method="highs",
    )
    return float(f[S].sum() + res.fun) if res.status == 0 else math.inf


def all_values(C, w, Q, f) -> dict[tuple[int, ...], float]:
    m = C.shape[1]
    return {
        S: split_value(C, w, Q, f, S)
        for k in range(1, m + 1)
        for S in itertools.combinations(range(m), k)
    }


@HYP
@given(seed=st.integers(0, 2**32 - 1), equal=st.booleans(), scale=st.floats(0.0, 3.0))
def test_lagrangian_value_is_a_lower_bound_for_any_multipliers(seed, equal, scale):
    C, w, Q, f = instance(seed, equal)
    opt = min(all_values(C, w, Q, f).values())
    rng = np.random.default_rng(seed + 1)
    lag = Lagrangian(C, w, Q, f, np.zeros(C.shape[1], dtype=bool))
    for _ in range(5):
        u = w * rng.uniform(-5, 20 * scale + 1, len(w))
        value, g, sub = lag.evaluate(u)
        assert value <= opt + 1e-7 * max(1.0, abs(opt)), (value, opt)
        assert g.shape == (C.shape[1],) and sub.shape == (len(w),)


@HYP
@given(seed=st.integers(0, 2**32 - 1), equal=st.booleans())
def test_fixing_never_removes_an_optimal_opening_set(seed, equal):
    """With the incumbent value equal to the optimum (the most aggressive fixing), every
    optimal opening set still agrees with every fixing, over many multipliers."""
    C, w, Q, f = instance(seed, equal)
    values = all_values(C, w, Q, f)
    opt = min(values.values())
    optimal = [set(S) for S, v in values.items() if v <= opt + 1e-7 * max(1.0, opt)]
    lag = Lagrangian(C, w, Q, f, np.zeros(C.shape[1], dtype=bool))
    # subgradient steps towards the Lagrangian dual, fixing at every step
    u = w * np.partition(C, 1, axis=1)[:, 1]
    fixed_any = False
    for step in range(60):
        value, g, sub = lag.evaluate(u)
        assert value <= opt + 1e-7 * max(1.0, abs(opt))
        lag.fix(float(u.sum()), g, opt)
        fixed_any |= bool(lag.zero.any() or lag.one.any())
        for S in optimal:
            assert not (lag.zero & np.isin(np.arange(C.shape[1]), list(S))).any(), (S, lag.zero)
            assert set(np.flatnonzero(lag.one)) <= S, (S, lag.one)
        norm = float(sub @ sub)
        if norm == 0:
            break
        u = u + (0.5**step) * max(opt - value, 1e-9) / norm * sub
    del fixed_any  # fixing happens on many instances; correctness is what is asserted


def test_fixing_happens_and_is_exact_on_a_clear_instance():
    """An instance where one centre is hopeless: it is fixed closed, the others not."""
    C = np.array([[1.0, 50.0, 2.0], [1.0, 50.0, 2.0], [9.0, 50.0, 1.0], [9.0, 50.0, 1.0]])
    w = np.ones(4)
    Q = np.full(3, 2.0)
    f = np.array([1.0, 100.0, 1.0])
    values = all_values(C, w, Q, f)
    opt = min(values.values())
    assert opt == pytest.approx(6.0)  # open 0 and 2, each serving its two cheap points
    lag = Lagrangian(C, w, Q, f, np.zeros(3, dtype=bool))
    u = np.array([3.0, 3.0, 3.0, 3.0])
    value, g, _ = lag.evaluate(u)
    assert value <= opt + 1e-9
    lag.fix(float(u.sum()), g, opt + 1.0)
    assert lag.zero.tolist() == [False, True, False]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), equal=st.booleans())
def test_knapsack_exact_with_equal_capacities_and_a_bound_otherwise(seed, equal):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 8))
    g = rng.integers(-10, 30, m).astype(float)
    Q = np.full(m, 3.0) if equal else rng.integers(1, 7, m).astype(float)
    need = float(rng.integers(0, int(Q.sum()) + 3))
    one = rng.random(m) < 0.2
    zero = (rng.random(m) < 0.2) & ~one
    best = math.inf
    for bits in itertools.product([0, 1], repeat=m):
        y = np.array(bits, dtype=bool)
        if (one & ~y).any() or (zero & y).any() or Q[y].sum() < need:
            continue
        best = min(best, float(g[y].sum()))
    value, y = knapsack_values(g, Q, need, one, zero)
    if math.isinf(best):
        assert math.isinf(value)
        return
    assert value <= best + 1e-9
    if equal:
        assert value == pytest.approx(best)
        assert float(g @ y) == pytest.approx(value) and Q @ y >= need - 1e-9


def test_transport_and_single_source_allocations():
    C = np.array([[1.0, 4.0], [2.0, 3.0], [5.0, 1.0]])
    w = np.array([2.0, 2.0, 1.0])
    Q = np.array([3.0, 3.0])
    value, X, prices = transport(C, w, Q, np.array([0, 1]))
    assert prices.shape == (3,)
    assert np.allclose(X.sum(axis=1), 1.0) and ((w[:, None] * X).sum(axis=0) <= Q + 1e-9).all()
    # point 0 fully to 0 (2 units at 1), point 1 splits 1 unit at 2 and 1 at 3, point 2 to 1
    assert value == pytest.approx(2 * 1 + 1 * 2 + 1 * 3 + 1 * 1)
    assert transport(C, w, Q, np.array([0])) is None  # 3 < 5 units
    value, X, _ = single_source(C, w, Q, np.array([0, 1]))
    assert set(X.sum(axis=1)) == {1.0} and set(np.unique(X)) <= {0.0, 1.0}
    assert ((w[:, None] * X).sum(axis=0) <= Q + 1e-9).all()
    assert value == pytest.approx(float((w[:, None] * C * X).sum()))
    assert single_source(C, w, np.array([1.0, 1.0]), np.array([0, 1])) is None


@HYP
@given(seed=st.integers(0, 2**32 - 1), single=st.booleans(), equal=st.booleans())
def test_method_matches_the_plain_model_and_brute_force(seed, single, equal):
    """Lagrangian fixing on and off give the same optimum, the brute-force one (split)."""
    C, w, Q, f = instance(seed, equal)
    kw = {"fixed_cost": f, "capacity": Q, "single_source": single}
    full = FacilityLocation.from_cost_matrix(C, w, **kw)
    plain = FacilityLocation.from_cost_matrix(C, w, **kw)
    plain._strengthen = False
    a, b = full.solve(), plain.solve()
    assert a.status == b.status
    if a.status == "infeasible":  # single sourcing that cannot pack the demand
        assert single
        return
    assert a.status == "optimal"
    assert a.objective == pytest.approx(b.objective, rel=1e-7, abs=1e-7)
    if not single:
        assert a.objective == pytest.approx(min(all_values(C, w, Q, f).values()), rel=1e-7)
    alloc = a.assignment
    assert (alloc.groupby("facility")["weight"].sum() <= Q[alloc.groupby("facility").size()
            .index.to_numpy().astype(int)] + 1e-6).all()  # fmt: skip
    served = alloc.groupby(level="demand")["weight"].sum().reindex(range(len(w)))
    assert np.allclose(served.to_numpy(), w)


@pytest.mark.parametrize("single", [False, True], ids=["split", "single-source"])
def test_kernel_fixing_and_selected_links_keep_the_optimum(single):
    """A mid-size instance where every step runs (kernel MIP included): same optimum as
    the whole model with every linking row and no fixing."""
    rng = np.random.default_rng(0)
    xy = rng.random((60, 2)) * 100
    sites = rng.random((30, 2)) * 100
    C = np.hypot(xy[:, None, 0] - sites[None, :, 0], xy[:, None, 1] - sites[None, :, 1])
    w = rng.integers(1, 10, 60).astype(float)
    kw = {"fixed_cost": rng.integers(100, 300, 30).astype(float), "capacity": 40.0}
    full = FacilityLocation.from_cost_matrix(C, w, single_source=single, **kw)
    plain = FacilityLocation.from_cost_matrix(C, w, single_source=single, **kw)
    plain._strengthen = False
    a, b = full.solve(), plain.solve()
    assert a.status == b.status == "optimal"
    assert a.objective == pytest.approx(b.objective, rel=1e-7)
    info = full._capacitated_info
    if not single:  # on this instance the kernel MIP runs (single sourcing proves earlier)
        assert info["kernel_size"] < 30
    assert info["links"] < 60 * 30 and info["fixed_closed"] > 0
    assert info["lagrangian_bound"] <= a.objective + 1e-6
    assert info["heuristic_value"] >= a.objective - 1e-6
