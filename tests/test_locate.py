"""Tests of borderhub.locate: contract over every model, brute force, policy, errors."""

from __future__ import annotations

import itertools
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import borderhub as bh
from borderhub.exceptions import (
    DataError,
    InfeasibleError,
    SolverError,
    SpecificationError,
)
from borderhub.locate import (
    FacilityLocation,
    HubMedian,
    LocationModel,
    MaxCoverage,
    PCenter,
    PMedian,
    SetCover,
    Solution,
    Status,
    policy_constraints,
)
from borderhub.locate.solution import OPTIMAL_GAP

HYP = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)

# ----------------------------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------------------------


def small_instance(n=12, m=6, seed=0, labels=True):
    rng = np.random.default_rng(seed)
    xy_d = rng.random((n, 2)) * 100
    xy_c = rng.random((m, 2)) * 100
    cost = np.hypot(xy_d[:, None, 0] - xy_c[None, :, 0], xy_d[:, None, 1] - xy_c[None, :, 1])
    w = rng.integers(1, 10, n).astype(float)
    if labels:
        cost = pd.DataFrame(
            cost, index=[f"d{i:02d}" for i in range(n)], columns=[f"c{j}" for j in range(m)]
        )
        w = pd.Series(w, index=cost.index)
    return cost, w


def hub_instance(n=6, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2)) * 100
    cost = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    flows = rng.integers(0, 10, (n, n)).astype(float)
    lab = [f"n{i}" for i in range(n)]
    return pd.DataFrame(cost, index=lab, columns=lab), pd.DataFrame(flows, index=lab, columns=lab)


def make(cls, seed=0):
    """A small labelled instance of each model class."""
    cost, w = small_instance(seed=seed)
    if cls is PMedian:
        return PMedian.from_cost_matrix(cost, w, p=2)
    if cls is PCenter:
        return PCenter.from_cost_matrix(cost, w, p=2)
    if cls is MaxCoverage:
        return MaxCoverage.from_cost_matrix(cost, w, p=2, radius=35.0)
    if cls is SetCover:
        r = float(cost.to_numpy().min(axis=1).max())
        return SetCover.from_cost_matrix(cost, w, radius=r)
    if cls is FacilityLocation:
        return FacilityLocation.from_cost_matrix(cost, w, fixed_cost=200.0, capacity=40.0)
    if cls is HubMedian:
        c, f = hub_instance()
        return HubMedian.from_cost_matrix(c, flows=f, p=2)
    raise AssertionError(cls)


MODELS = [PMedian, PCenter, MaxCoverage, SetCover, FacilityLocation, HubMedian]


# ----------------------------------------------------------------------------------------
# contract test, run over every model class
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_contract(cls):
    model = make(cls)
    assert isinstance(model, cls) and isinstance(model, LocationModel)
    sol = model.solve()
    assert isinstance(sol, Solution)
    assert sol.model == cls.__name__
    assert sol.status == Status.OPTIMAL == "optimal"
    assert sol.has_solution
    assert set(sol.open) <= set(model.cost.columns)
    assert len(sol.open) >= 1
    a = sol.assignment
    assert a.index.name == "demand"
    assert list(a.index.unique()) == list(model.cost.index)
    assert {"facility", "cost", "gateway", "weight"} <= set(a.columns)
    assert set(a["facility"]) <= set(sol.open)
    assert math.isfinite(sol.objective) and math.isfinite(sol.bound)
    assert sol.gap == pytest.approx(0.0, abs=1e-6)
    assert sol.build_time >= 0 and sol.solve_time >= 0
    assert sol.runtime == pytest.approx(sol.build_time + sol.solve_time)
    # PCenter, and the capacitated FacilityLocation by its Lagrangian bound, may prove
    # optimality without a solver call
    assert sol.iterations >= (0 if cls in (PCenter, FacilityLocation) else 1)
    text = sol.summary()
    assert cls.__name__ in text and "optimal" in text
    assert cls.__name__ in repr(sol)
    f = sol.facilities()
    assert list(f.index) == list(sol.open)
    with pytest.raises(SpecificationError, match="no geometry"):
        sol.to_geodataframe()
    # the same model solved twice gives the same answer (no hidden state)
    again = model.solve()
    assert again.objective == pytest.approx(sol.objective, rel=1e-9)


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_from_cost_matrix_uses_cls(cls):
    class Sub(cls):
        pass

    cost, w = small_instance(6, 4)
    if cls is HubMedian:
        c, f = hub_instance(4)
        m = Sub.from_cost_matrix(c, flows=f, p=1)
    else:
        kw = {
            PMedian: {"p": 1},
            PCenter: {"p": 1},
            MaxCoverage: {"p": 1, "radius": 50.0},
            SetCover: {"radius": 200.0},
            FacilityLocation: {"fixed_cost": 1.0},
        }[cls]
        m = Sub.from_cost_matrix(cost, w, **kw)
    assert type(m) is Sub


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_inputs_not_modified(cls):
    if cls is HubMedian:
        c, f = hub_instance(5)
        c0, f0 = c.copy(), f.copy()
        HubMedian.from_cost_matrix(c, flows=f, p=2, forbidden=["n0"]).solve()
        pd.testing.assert_frame_equal(c, c0)
        pd.testing.assert_frame_equal(f, f0)
        return
    cost, w = small_instance(8, 5)
    groups = pd.Series(["a", "a", "b", "b", "b"], index=cost.columns)
    gw = pd.Series(np.arange(5.0), index=cost.columns)
    req = ["c1"]
    copies = (cost.copy(), w.copy(), groups.copy(), gw.copy(), list(req))
    kw = {
        PMedian: {"p": 2},
        PCenter: {"p": 2},
        MaxCoverage: {"p": 2, "radius": 50.0},
        SetCover: {"radius": 200.0},
        FacilityLocation: {"fixed_cost": 10.0},
    }[cls]
    cls.from_cost_matrix(
        cost, w, required=req, groups=groups, min_per_group=1, gateway_cost=gw, **kw
    ).solve()
    pd.testing.assert_frame_equal(cost, copies[0])
    pd.testing.assert_series_equal(w, copies[1])
    pd.testing.assert_series_equal(groups, copies[2])
    pd.testing.assert_series_equal(gw, copies[3])
    assert req == copies[4]


# ----------------------------------------------------------------------------------------
# brute-force oracles
# ----------------------------------------------------------------------------------------


def random_case(seed, max_n=7, max_m=5, policy=True):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, max_n + 1)), int(rng.integers(1, max_m + 1))
    C = rng.integers(0, 15, (n, m)).astype(float)  # small integers: many ties
    w = rng.integers(0, 4, n).astype(float)
    kw = {}
    req, forb, groups, lo, hi = [], [], None, {}, {}
    if policy and rng.random() < 0.6:
        perm = rng.permutation(m)
        nr, nf = int(rng.integers(0, 2)), int(rng.integers(0, 2))
        req = sorted(int(j) for j in perm[:nr])
        forb = sorted(int(j) for j in perm[nr : nr + nf])
        if req:
            kw["required"] = req
        if forb:
            kw["forbidden"] = forb
    if policy and m >= 2 and rng.random() < 0.4:
        g = rng.integers(0, 2, m)
        groups = pd.Series(np.where(g == 0, "A", "B"), index=range(m))
        if rng.random() < 0.5:
            lo = {"A": 1} if (g == 0).any() else {}
        if rng.random() < 0.5:
            hi = {"B": 1} if (g == 1).any() else {}
        kw["groups"] = groups
        if lo:
            kw["min_per_group"] = lo
        if hi:
            kw["max_per_group"] = hi
    gw = None
    if rng.random() < 0.3:
        gw = rng.integers(0, 5, m).astype(float)
        kw["gateway_cost"] = gw
        kw["gateway_weight"] = 0.5
    eff = C + (0.5 * gw[None, :] if gw is not None else 0.0)

    def ok(S):
        S = set(S)
        if not set(req) <= S or S & set(forb):
            return False
        if groups is not None:
            for grp, b in lo.items():
                if sum(1 for j in S if groups[j] == grp) < b:
                    return False
            for grp, b in hi.items():
                if sum(1 for j in S if groups[j] == grp) > b:
                    return False
        return True

    return rng, C, w, eff, kw, ok


def subsets(m, sizes):
    for k in sizes:
        yield from itertools.combinations(range(m), k)


def assert_open_set(sol, ok, value, best, size=None):
    """The reported open set is a feasible choice whose independently computed value is
    the brute-force optimum: right size, required centres in, forbidden out, every group
    limit respected (all in ``ok``), and ``value(open)`` equal to ``best``."""
    S = [int(j) for j in sol.open]
    assert len(set(S)) == len(S), sol.open
    if size is not None:
        assert len(S) == size, (S, size)
    assert ok(S), f"open set {S} breaks the policy constraints"
    assert value(S) == pytest.approx(best, rel=1e-9, abs=1e-9), (S, value(S), best)


def check(cls, C, w, kw, best, params, ok, value, size=None, sol_check=None):
    """Compare a model with the brute-force optimum ``best`` (None = infeasible).

    ``ok(S)`` says whether open set ``S`` meets the policy constraints and ``value(S)``
    evaluates it independently of the model; both are asserted on the reported open set.
    """
    try:
        model = cls.from_cost_matrix(C, w, **params, **kw)
    except SpecificationError:
        assert best is None, f"pre-check refused a feasible instance (best {best})"
        return
    sol = model.solve()
    if best is None:
        assert sol.status == "infeasible", sol
        assert sol.message
        assert len(sol.open) == 0
        return
    assert sol.status == "optimal", (sol, best)
    assert sol.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert sol.gap <= OPTIMAL_GAP  # a proven bound, within the solver's tolerance
    assert abs(sol.bound - best) <= OPTIMAL_GAP * max(1.0, abs(best)) + 1e-9
    assert_open_set(sol, ok, value, best, size)
    if sol_check is not None:
        sol_check(sol)


@HYP
@given(seed=st.integers(0, 2**32 - 1))
def test_pmedian_brute_force(seed):
    rng, C, w, eff, kw, ok = random_case(seed)
    n, m = C.shape
    p = int(rng.integers(1, m + 1))
    feas = [S for S in subsets(m, [p]) if ok(S)]

    def value(S):
        return float(w @ eff[:, list(S)].min(axis=1))

    best = min((value(S) for S in feas), default=None)

    def sol_check(sol):
        a = sol.assignment
        assert float((a["weight"] * (a["cost"] + a["gateway"])).sum()) == pytest.approx(
            sol.objective
        )

    check(PMedian, C, w, kw, best, {"p": p}, ok, value, p, sol_check)


@HYP
@given(seed=st.integers(0, 2**32 - 1))
def test_pcenter_brute_force(seed):
    rng, C, w, eff, kw, ok = random_case(seed)
    n, m = C.shape
    p = int(rng.integers(1, m + 1))
    act = w > 0
    feas = [S for S in subsets(m, [p]) if ok(S)]

    def value(S):
        return float(eff[act][:, list(S)].min(axis=1).max()) if act.any() else 0.0

    best = min((value(S) for S in feas), default=None)
    check(PCenter, C, w, kw, best, {"p": p}, ok, value, p)


#: Seeds whose instances caught an off-by-one in PCenter's bisection (mutation testing).
PCENTER_SEEDS = [19, 33, 44, 172, 289, *range(0, 300, 7)]


def test_pcenter_bisection_exact_on_wide_cost_ranges():
    """Many distinct costs (0-39) and p >= 2, where farthest-first is rarely optimal: every
    step of the bisection matters (skipping a value or the lower bound itself is wrong)."""
    for seed in PCENTER_SEEDS:
        rng = np.random.default_rng(seed)
        n, m = int(rng.integers(3, 9)), int(rng.integers(3, 7))
        C = rng.integers(0, 40, (n, m)).astype(float)
        p = int(rng.integers(2, m))
        best = min(
            float(C[:, list(S)].min(axis=1).max()) for S in itertools.combinations(range(m), p)
        )
        sol = PCenter.from_cost_matrix(C, p=p).solve()
        assert sol.status == "optimal" and sol.objective == best, (seed, sol, best)
        S = [int(j) for j in sol.open]
        assert len(S) == p and float(C[:, S].min(axis=1).max()) == best


@HYP
@given(seed=st.integers(0, 2**32 - 1))
def test_maxcoverage_brute_force(seed):
    rng, C, w, eff, kw, ok = random_case(seed)
    n, m = C.shape
    p = int(rng.integers(1, m + 1))
    r = float(rng.integers(1, 12))
    feas = [S for S in subsets(m, [p]) if ok(S)]

    def value(S):
        return float(w[eff[:, list(S)].min(axis=1) <= r].sum())

    best = max((value(S) for S in feas), default=None)

    def sol_check(sol):
        a = sol.assignment
        assert float(a.loc[a["covered"], "weight"].sum()) == pytest.approx(sol.objective)

    check(MaxCoverage, C, w, kw, best, {"p": p, "radius": r}, ok, value, p, sol_check)


@HYP
@given(seed=st.integers(0, 2**32 - 1))
def test_setcover_brute_force(seed):
    rng, C, w, eff, kw, ok = random_case(seed)
    n, m = C.shape
    r = float(rng.integers(1, 15))
    act = w > 0
    feas = [
        S
        for S in subsets(m, range(1, m + 1))
        if ok(S) and (not act.any() or (eff[act][:, list(S)].min(axis=1) <= r).all())
    ]
    best = min((float(len(S)) for S in feas), default=None)

    def covers(S):
        return ok(S) and (not act.any() or bool((eff[act][:, list(S)].min(axis=1) <= r).all()))

    check(SetCover, C, w, kw, best, {"radius": r}, covers, lambda S: float(len(S)), best)


@HYP
@given(seed=st.integers(0, 2**32 - 1))
def test_facility_location_uncapacitated_brute_force(seed):
    rng, C, w, eff, kw, ok = random_case(seed)
    n, m = C.shape
    f = rng.integers(0, 20, m).astype(float)
    feas = [S for S in subsets(m, range(1, m + 1)) if ok(S)]

    def value(S):
        return float(f[list(S)].sum() + w @ eff[:, list(S)].min(axis=1))

    best = min((value(S) for S in feas), default=None)
    check(FacilityLocation, C, w, kw, best, {"fixed_cost": f}, ok, value)


def _capacitated_best(eff, w, f, Q, feas, single):
    from scipy.optimize import linprog

    n = len(w)
    best = None
    act = np.flatnonzero(w > 0)
    for S in feas:
        S = list(S)
        if single:
            for assign in itertools.product(S, repeat=len(act)):
                load = {j: 0.0 for j in S}
                for i, j in zip(act, assign, strict=True):
                    load[j] += w[i]
                if any(load[j] > Q[j] + 1e-9 for j in S):
                    continue
                val = f[S].sum() + sum(w[i] * eff[i, j] for i, j in zip(act, assign, strict=True))
                best = val if best is None or val < best else best
        else:
            k = len(S)
            if len(act) == 0:
                val = f[S].sum()
            else:
                c = (w[act, None] * eff[np.ix_(act, S)]).ravel()
                A_eq = np.kron(np.eye(len(act)), np.ones(k))
                A_ub = np.kron(w[act][None, :], np.eye(k))
                res = linprog(c, A_ub=A_ub, b_ub=Q[S], A_eq=A_eq, b_eq=np.ones(len(act)))
                if res.status != 0:
                    continue
                val = f[S].sum() + res.fun
            best = val if best is None or val < best else best
    del n
    return best


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), single=st.booleans())
def test_facility_location_capacitated_brute_force(seed, single):
    rng, C, w, eff, kw, ok = random_case(seed, max_n=5, max_m=4)
    n, m = C.shape
    f = rng.integers(0, 20, m).astype(float)
    Q = rng.integers(2, 8, m).astype(float)
    feas = [S for S in subsets(m, range(1, m + 1)) if ok(S)]
    best = _capacitated_best(eff, w, f, Q, feas, single)
    params = {"fixed_cost": f, "capacity": Q, "single_source": single}

    def value(sol):
        """The reported solution evaluated from its open set and assignment alone."""
        S = [int(j) for j in sol.open]
        a = sol.assignment
        assert set(a["facility"]) <= set(S), "demand served by a centre reported closed"
        load = a.groupby("facility")["weight"].sum()
        for j, v in load.items():
            assert v <= Q[j] + 1e-6
        served = a.groupby(level="demand")["weight"].sum().reindex(range(n))
        assert np.allclose(served.to_numpy(), w), "each demand point served exactly once"
        if single:
            assert not a.index.duplicated().any()
        gw = kw.get("gateway_cost")
        eff_of = C[a.index.to_numpy(), a["facility"].to_numpy().astype(int)]
        if gw is not None:
            eff_of = eff_of + 0.5 * gw[a["facility"].to_numpy().astype(int)]
        return float(f[S].sum() + (a["weight"].to_numpy() * eff_of).sum())

    if best is not None:
        best = float(best)
    try:
        model = FacilityLocation.from_cost_matrix(C, w, **params, **kw)
    except SpecificationError:
        assert best is None
        return
    sol = model.solve()
    if best is None:
        assert sol.status == "infeasible"
        return
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    assert ok(sol.open), f"open set {list(sol.open)} breaks the policy constraints"
    assert len(set(sol.open)) == len(sol.open)
    assert value(sol) == pytest.approx(best, rel=1e-7, abs=1e-7)


def _hub_value(c, W, alpha, alloc, gw):
    """Total flow cost of an allocation (node -> hub), computed from the definition."""
    leg = c[np.arange(len(c)), alloc] + (gw[alloc] if gw is not None else 0.0)
    return float((W * (leg[:, None] + alpha * c[np.ix_(alloc, alloc)] + leg[None, :])).sum())


def _hub_best(c, W, p, alpha, hub_sets, gw):
    n = len(c)
    best = None
    for H in hub_sets:
        others = [i for i in range(n) if i not in H]
        for assign in itertools.product(H, repeat=len(others)):
            alloc = np.empty(n, dtype=int)
            alloc[list(H)] = list(H)
            alloc[others] = assign
            val = _hub_value(c, W, alpha, alloc, gw)
            best = val if best is None or val < best else best
    return best


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_hub_median_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 6))
    xy = rng.integers(0, 20, (n, 2)).astype(float)
    c = np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)  # symmetric, integer
    W = rng.integers(0, 5, (n, n)).astype(float)
    alpha = float(rng.choice([0.0, 0.5, 0.75, 1.0]))
    perm = rng.permutation(n)
    forb = [int(perm[0])] if rng.random() < 0.3 and n > 2 else []
    req = [int(perm[1])] if rng.random() < 0.4 and n > 2 else []
    kw = {}
    groups, lo, hi = None, {}, {}
    if n >= 3 and rng.random() < 0.5:
        g = rng.integers(0, 2, n)
        groups = pd.Series(np.where(g == 0, "A", "B"), index=range(n))
        lo = {"A": 1} if (g == 0).any() and rng.random() < 0.6 else {}
        hi = {"B": 1} if (g == 1).any() and rng.random() < 0.6 else {}
        kw = {"groups": groups, "min_per_group": lo or None, "max_per_group": hi or None}
    allowed = [i for i in range(n) if i not in forb]
    p = int(rng.integers(1, len(allowed) + 1))
    gw = rng.integers(0, 3, n).astype(float) if rng.random() < 0.3 else None

    def ok(H):
        H = set(H)
        if not set(req) <= H or H & set(forb):
            return False
        for grp, b in lo.items():
            if sum(1 for j in H if groups[j] == grp) < b:
                return False
        for grp, b in hi.items():
            if sum(1 for j in H if groups[j] == grp) > b:
                return False
        return True

    hub_sets = [H for H in itertools.combinations(allowed, p) if ok(H)]
    best = _hub_best(c, W, p, alpha, hub_sets, gw)
    try:
        model = HubMedian.from_cost_matrix(
            c,
            flows=W,
            p=p,
            alpha=alpha,
            forbidden=forb or None,
            required=req or None,
            gateway_cost=gw,
            **kw,
        )
    except SpecificationError:
        assert best is None, f"pre-check refused a feasible instance (best {best})"
        return
    sol = model.solve()
    if best is None:
        assert sol.status == "infeasible" and len(sol.open) == 0
        return
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    hubs = [int(h) for h in sol.open]
    assert len(set(hubs)) == len(hubs) == p
    assert ok(hubs), f"hubs {hubs} break the policy constraints"
    alloc = sol.assignment["facility"].reindex(range(n)).to_numpy().astype(int)
    assert set(alloc) <= set(hubs), "a node is allocated to a hub reported closed"
    assert (alloc[hubs] == hubs).all(), "a hub serves itself"
    assert _hub_value(c, W, alpha, alloc, gw) == pytest.approx(best, rel=1e-7, abs=1e-7)


# ----------------------------------------------------------------------------------------
# policy constraints
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [PMedian, PCenter, MaxCoverage, SetCover, FacilityLocation])
def test_required_forbidden_groups_honoured(cls):
    cost, w = small_instance(20, 8, seed=3)
    groups = pd.Series(list("AAABBBCC"), index=cost.columns)
    kw = {
        PMedian: {"p": 4},
        PCenter: {"p": 4},
        MaxCoverage: {"p": 4, "radius": 30.0},
        SetCover: {"radius": 80.0},
        FacilityLocation: {"fixed_cost": 50.0},
    }[cls]
    sol = cls.from_cost_matrix(
        cost,
        w,
        required=["c7"],
        forbidden=["c0", "c3"],
        groups=groups,
        min_per_group={"A": 1, "B": 1},
        max_per_group={"C": 1},
        **kw,
    ).solve()
    assert sol.status == "optimal"
    opened = set(sol.open)
    assert "c7" in opened and not opened & {"c0", "c3"}
    counts = groups[list(opened)].value_counts()
    assert counts.get("A", 0) >= 1 and counts.get("B", 0) >= 1 and counts.get("C", 0) <= 1


def test_required_changes_pmedian_answer():
    cost, w = small_instance(15, 6, seed=5)
    free = PMedian.from_cost_matrix(cost, w, p=2).solve()
    worst = cost.columns[np.argmax(cost.to_numpy().sum(axis=0))]
    forced = PMedian.from_cost_matrix(cost, w, p=2, required=[worst]).solve()
    assert worst in forced.open
    assert forced.objective >= free.objective


def test_gateway_cost_shifts_choice():
    cost = pd.DataFrame([[1.0, 2.0], [1.0, 2.0]], columns=["north", "south"])
    base = PMedian.from_cost_matrix(cost, p=1).solve()
    assert list(base.open) == ["north"]
    gw = pd.Series({"north": 5.0, "south": 0.0})
    sol = PMedian.from_cost_matrix(cost, p=1, gateway_cost=gw, gateway_weight=1.0).solve()
    assert list(sol.open) == ["south"]
    assert sol.objective == pytest.approx(4.0)
    assert (sol.assignment["gateway"] == 0.0).all()
    sol2 = PMedian.from_cost_matrix(cost, p=1, gateway_cost=gw, gateway_weight=0.1).solve()
    assert list(sol2.open) == ["north"] and sol2.objective == pytest.approx(3.0)


def test_policy_constraints_helper():
    cands = pd.DataFrame(
        {
            "tiers": ["CORE", "CORE;RAIL", "PROVINCIAL;RAIL", "ENCOURAGED", ""],
            "province": ["P1", "P2", "P2", "P3", "P3"],
        },
        index=["a", "b", "c", "d", "e"],
    )
    kw = policy_constraints(cands, required_tiers=[bh.Tier.CORE])
    assert kw == {"required": ["a", "b"], "forbidden": []}
    kw = policy_constraints(cands, required_tiers="core", allowed_tiers=["CORE", "RAIL"])
    assert kw["forbidden"] == ["d", "e"]
    kw = policy_constraints(cands, forbidden_tiers=bh.Tier.ENCOURAGED, group_by="province",
                            min_per_group=1)  # fmt: skip
    assert kw["forbidden"] == ["d"] and kw["min_per_group"] == 1
    assert list(kw["groups"]) == ["P1", "P2", "P2", "P3", "P3"]
    cost = pd.DataFrame(np.arange(15.0).reshape(3, 5), columns=cands.index)
    sol = PMedian.from_cost_matrix(cost, p=3, **kw).solve()
    assert sol.status == "optimal" and "d" not in sol.open
    with pytest.raises(SpecificationError, match="unknown tier"):
        policy_constraints(cands, required_tiers=["MEGA"])
    with pytest.raises(SpecificationError, match="required tier and a forbidden"):
        policy_constraints(cands, required_tiers=["CORE"], forbidden_tiers=["RAIL"])
    with pytest.raises(DataError, match="tiers"):
        policy_constraints(cands.drop(columns="tiers"))
    with pytest.raises(SpecificationError, match="group_by"):
        policy_constraints(cands, max_per_group=1)


def test_infeasible_policy_reported_and_raised():
    cost, w = small_instance(6, 4)
    groups = pd.Series(["A", "A", "B", "B"], index=cost.columns)
    groups = pd.Series(["A", "A"], index=["c0", "c1"])  # c2, c3 belong to no group
    # the counting pre-checks pass, but the two required ungrouped centres fill p=2
    m = PMedian.from_cost_matrix(
        cost, w, p=2, required=["c2", "c3"], groups=groups, min_per_group={"A": 1}
    )
    sol = m.solve()
    assert sol.status == "infeasible" and not sol.has_solution
    assert "policy" in sol.message
    assert math.isnan(sol.objective) and len(sol.open) == 0 and sol.assignment.empty
    with pytest.raises(InfeasibleError, match="policy"):
        m.solve(raise_on_infeasible=True)


def test_capacity_infeasibility_names_capacities():
    cost, w = small_instance(6, 3)
    w = pd.Series(5.0, index=w.index)
    # six demands of 5 fit exactly into capacities 15 + 10 + 5
    cap = pd.Series([15.0, 10.0, 5.0], index=cost.columns)
    sol = FacilityLocation.from_cost_matrix(
        cost, w, fixed_cost=1.0, capacity=cap, forbidden=[]
    ).solve()
    assert sol.status == "optimal"
    sol = FacilityLocation.from_cost_matrix(
        cost, w, fixed_cost=1.0, capacity=pd.Series([14.0, 14.0, 4.0], index=cost.columns)
    ).solve()  # 32 >= 30 in total, but 5-unit demands cannot pack into 14 + 14 + 4
    assert sol.status == "infeasible"
    assert "capacit" in sol.message


# ----------------------------------------------------------------------------------------
# honest status under limits, solvers
# ----------------------------------------------------------------------------------------


# Stops under time, gap, node and solution limits, model by model, and the reading of every
# solver status: tests/test_status_honesty.py.


def test_cbc_by_name_and_solver_objects():
    cost, w = small_instance(10, 5)
    ref = PMedian.from_cost_matrix(cost, w, p=2).solve()
    cbc = PMedian.from_cost_matrix(cost, w, p=2).solve(solver="cbc")
    assert cbc.status == "optimal" and cbc.objective == pytest.approx(ref.objective)
    solver = pulp.HiGHS(msg=False)
    obj = PMedian.from_cost_matrix(cost, w, p=2).solve(solver=solver, time_limit=30)
    assert obj.objective == pytest.approx(ref.objective)
    assert solver.timeLimit is None  # the caller's object is not modified


def test_bad_solver():
    cost, w = small_instance(5, 3)
    m = PMedian.from_cost_matrix(cost, w, p=1)
    with pytest.raises(SolverError, match="unknown solver"):
        m.solve(solver="gurobi-ultra")
    with pytest.raises(SolverError, match="not available"):
        m.solve(solver=pulp.GUROBI_CMD(path="/nonexistent/gurobi_cl"))
    with pytest.raises(SolverError):
        m.solve(solver=42)
    with pytest.raises(SpecificationError, match="time_limit"):
        m.solve(time_limit=0)
    with pytest.raises(SpecificationError, match="mip_gap"):
        m.solve(mip_gap=-1)


# ----------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------


def test_bad_costs():
    with pytest.raises(DataError, match="NaN"):
        PMedian.from_cost_matrix(np.array([[1.0, np.nan], [2.0, 3.0]]), p=1)
    with pytest.raises(DataError, match="negative"):
        PMedian.from_cost_matrix(np.array([[1.0, -2.0], [2.0, 3.0]]), p=1)
    with pytest.raises(DataError, match="2-D"):
        PMedian.from_cost_matrix(np.array([1.0, 2.0]), p=1)
    dup = pd.DataFrame([[1.0, 2.0]], columns=["a", "a"])
    with pytest.raises(DataError, match="duplicate"):
        PMedian.from_cost_matrix(dup, p=1)
    with pytest.raises(DataError, match="numeric"):
        PMedian.from_cost_matrix(pd.DataFrame([["x", 1.0]]), p=1)


def test_bad_weights():
    cost, w = small_instance(5, 3)
    with pytest.raises(DataError, match="length 4"):
        PMedian.from_cost_matrix(cost, [1, 2, 3, 4], p=1)
    with pytest.raises(DataError, match="exactly the demand labels"):
        PMedian.from_cost_matrix(cost, w.rename({"d00": "zz"}), p=1)
    with pytest.raises(DataError, match="non-negative"):
        PMedian.from_cost_matrix(cost, -w, p=1)
    with pytest.raises(DataError, match="non-negative"):
        PMedian.from_cost_matrix(cost, w.where(w > 3), p=1)


@pytest.mark.parametrize("p", [0, -1, 4, 2.5, True, "2"])
def test_bad_p(p):
    cost, w = small_instance(5, 3)
    with pytest.raises(SpecificationError, match="p"):
        PMedian.from_cost_matrix(cost, w, p=p)


@pytest.mark.parametrize("radius", [0, -3.0, float("nan"), float("inf"), "5"])
def test_bad_radius(radius):
    cost, w = small_instance(5, 3)
    with pytest.raises(SpecificationError, match="radius"):
        MaxCoverage.from_cost_matrix(cost, w, p=1, radius=radius)
    with pytest.raises(SpecificationError, match="radius"):
        SetCover.from_cost_matrix(cost, w, radius=radius)


def test_policy_errors():
    cost, w = small_instance(5, 3)
    with pytest.raises(SpecificationError, match="both required and forbidden"):
        PMedian.from_cost_matrix(cost, w, p=1, required=["c0"], forbidden="c0")
    with pytest.raises(SpecificationError, match=r"\['zz'\].*not candidates"):
        PMedian.from_cost_matrix(cost, w, p=1, required=["zz"])
    with pytest.raises(SpecificationError, match="not candidates"):
        PMedian.from_cost_matrix(cost, w, p=1, forbidden=[0])  # wrong label type
    with pytest.raises(SpecificationError, match="larger than the 2 allowed"):
        PMedian.from_cost_matrix(cost, w, p=3, forbidden=["c1"])
    with pytest.raises(SpecificationError, match="required but only p=1"):
        PMedian.from_cost_matrix(cost, w, p=1, required=["c0", "c1"])
    with pytest.raises(SpecificationError, match="every candidate is forbidden"):
        FacilityLocation.from_cost_matrix(cost, w, fixed_cost=1, forbidden=list(cost.columns))
    g = pd.Series(["A", "A", "B"], index=cost.columns)
    with pytest.raises(SpecificationError, match="need `groups=`"):
        PMedian.from_cost_matrix(cost, w, p=1, min_per_group=1)
    with pytest.raises(SpecificationError, match="only 1 allowed"):
        PMedian.from_cost_matrix(cost, w, p=2, groups=g, min_per_group={"B": 2})
    with pytest.raises(SpecificationError, match="groups"):
        PMedian.from_cost_matrix(cost, w, p=2, groups=g, min_per_group={"Q": 1})
    with pytest.raises(SpecificationError, match="group minimums"):
        PMedian.from_cost_matrix(cost, w, p=1, groups=g, min_per_group=1)
    with pytest.raises(SpecificationError, match="at most 2 centres"):
        PMedian.from_cost_matrix(cost, w, p=3, groups=g, max_per_group=1)
    with pytest.raises(SpecificationError, match="max_per_group allows"):
        PMedian.from_cost_matrix(cost, w, p=2, groups=g, required=["c0", "c1"],
                                 max_per_group={"A": 1})  # fmt: skip
    with pytest.raises(SpecificationError, match="pandas Series"):
        PMedian.from_cost_matrix(cost, w, p=1, groups={"c0": "A"})
    with pytest.raises(DataError, match="gateway_cost"):
        PMedian.from_cost_matrix(cost, w, p=1, gateway_cost=[1.0, 2.0])
    with pytest.raises(DataError, match="gateway_cost"):
        PMedian.from_cost_matrix(cost, w, p=1, gateway_cost=pd.Series({"c0": 1.0}))
    with pytest.raises(SpecificationError, match="gateway_weight"):
        PMedian.from_cost_matrix(cost, w, p=1, gateway_weight=-1)


def test_capacity_errors():
    cost, w = small_instance(5, 3)
    with pytest.raises(SpecificationError, match="total capacity"):
        FacilityLocation.from_cost_matrix(cost, w, fixed_cost=1, capacity=1.0)
    big = w.copy()
    big.iloc[0] = 100.0
    with pytest.raises(SpecificationError, match="weigh more than the largest"):
        FacilityLocation.from_cost_matrix(cost, big, fixed_cost=1, capacity=60.0)
    sol = FacilityLocation.from_cost_matrix(
        cost, big, fixed_cost=1, capacity=60.0, single_source=False
    ).solve()
    assert sol.status == "optimal"
    loads = sol.assignment.groupby("facility")["weight"].sum()
    assert (loads <= 60.0 + 1e-6).all()
    assert sol.assignment["weight"].sum() == pytest.approx(big.sum())
    with pytest.raises(DataError, match="capacity"):
        FacilityLocation.from_cost_matrix(cost, w, fixed_cost=1, capacity=0.0)
    with pytest.raises(DataError, match="fixed_cost"):
        FacilityLocation.from_cost_matrix(cost, w, fixed_cost=[1.0, -1.0, 2.0])


def test_setcover_reports_uncoverable_and_radius():
    cost = pd.DataFrame([[1.0, 9.0], [9.0, 2.0], [7.0, 8.0]], index=["a", "b", "c"],
                        columns=["x", "y"])  # fmt: skip
    with pytest.raises(SpecificationError, match=r"\['c'\].*smallest radius.* 7"):
        SetCover.from_cost_matrix(cost, radius=5)
    # weight 0 drops the point from the covering requirement
    sol = SetCover.from_cost_matrix(cost, [1, 1, 0], radius=5).solve()
    assert sol.objective == 2
    mc = MaxCoverage.from_cost_matrix(cost, p=1, radius=5)
    assert list(mc.uncoverable()) == ["c"] and mc.min_covering_radius() == 7.0
    sol = mc.solve()
    assert "'c'" in sol.message and "7" in sol.message


def test_hub_errors():
    c, f = hub_instance(4)
    with pytest.raises(DataError, match="symmetric"):
        HubMedian.from_cost_matrix(c + np.triu(np.ones((4, 4))), flows=f, p=1)
    with pytest.raises(DataError, match="square"):
        HubMedian.from_cost_matrix(c.iloc[:, :3], flows=f, p=1)
    with pytest.raises(DataError, match="flows"):
        HubMedian.from_cost_matrix(c, flows=np.ones((3, 3)), p=1)
    with pytest.raises(DataError, match="flows"):
        HubMedian.from_cost_matrix(c, flows=-f, p=1)
    with pytest.raises(SpecificationError, match="alpha"):
        HubMedian.from_cost_matrix(c, flows=f, p=1, alpha=1.5)
    with pytest.raises(SpecificationError, match="flows"):
        HubMedian.from_cost_matrix(c, np.ones(4), flows=f, p=1)


# ----------------------------------------------------------------------------------------
# geodataframe entry point
# ----------------------------------------------------------------------------------------


def _points(lons, lats, labels, **cols):
    return gpd.GeoDataFrame(
        cols, geometry=gpd.points_from_xy(lons, lats), index=labels, crs="EPSG:4326"
    )


def test_from_geodataframe_geodesic_and_custom_distance():
    dem = _points([100, 101, 120, 121], [30, 30, 40, 40], ["a", "b", "c", "d"],
                  pop=[1.0, 1.0, 5.0, 5.0])  # fmt: skip
    cand = _points([100.5, 120.5, 110], [30, 40, 35], ["X", "Y", "Z"])
    sol = PMedian.from_geodataframe(dem, cand, weight="pop", p=1).solve()
    assert list(sol.open) == ["Y"]
    gdf = sol.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326 and list(gdf.index) == ["a", "b", "c", "d"]
    assert (gdf.geometry.geom_type == "Point").all()
    lines = sol.to_geodataframe(lines=True)
    assert (lines.geometry.geom_type == "LineString").all()
    tt = pd.DataFrame(1.0, index=dem.index, columns=cand.index)
    tt.loc[:, "Z"] = 0.0
    sol2 = PMedian.from_geodataframe(dem, cand, weight="pop", distance=tt, p=1).solve()
    assert list(sol2.open) == ["Z"]
    with pytest.raises(DataError, match="no column"):
        PMedian.from_geodataframe(dem, cand, weight="nope", p=1)
    with pytest.raises(DataError, match="missing"):
        PMedian.from_geodataframe(dem, cand, distance=tt.iloc[:2], p=1)
    # Euclidean on degrees is refused by the geo layer
    with pytest.raises(DataError):
        PMedian.from_geodataframe(dem, cand, distance="euclidean", p=1)
    hs = HubMedian.from_geodataframe(dem, flows=np.ones((4, 4)), p=2).solve()
    assert hs.status == "optimal" and len(hs.open) == 2


def test_pmedian_zero_weight_points_assigned():
    cost = pd.DataFrame([[0.0, 10.0], [10.0, 0.0], [3.0, 1.0]], columns=["x", "y"])
    sol = PMedian.from_cost_matrix(cost, [1.0, 0.0, 0.0], p=1).solve()
    assert list(sol.open) == ["x"] and sol.objective == 0.0
    assert list(sol.assignment["facility"]) == ["x", "x", "x"]


def test_pmedian_expansion_exact_on_structured_instance():
    """A case where the first truncated model undercharges: the loop must expand."""
    rng = np.random.default_rng(11)
    d = rng.random((250, 2))
    c = rng.random((60, 2))
    cost = np.hypot(d[:, None, 0] - c[None, :, 0], d[:, None, 1] - c[None, :, 1])
    w = rng.integers(1, 50, 250).astype(float)
    w[:5] = 5000.0  # heavy points far from the greedy choice
    sol = PMedian.from_cost_matrix(cost, w, p=4).solve()
    # textbook check: the assignment is to the nearest open centre, objective consistent
    opened = [int(j) for j in sol.open]
    assert sol.objective == pytest.approx(float(w @ cost[:, opened].min(axis=1)))
    # and no single swap improves it (local optimality of an exact optimum)
    best = sol.objective
    for out in opened:
        for inn in range(60):
            if inn in opened:
                continue
            trial = [j for j in opened if j != out] + [inn]
            assert float(w @ cost[:, trial].min(axis=1)) >= best - 1e-6


def test_one_median_by_enumeration_matches_the_milp():
    """p = 1 is solved by enumeration; a trivial group constraint forces the MILP path."""
    rng = np.random.default_rng(7)
    for _ in range(20):
        cost = pd.DataFrame(
            rng.uniform(0, 100, (15, 6)), columns=[f"c{j}" for j in range(6)], dtype=float
        )
        w = rng.uniform(0, 5, 15)
        quick = PMedian.from_cost_matrix(cost, w, p=1).solve()
        groups = pd.Series("all", index=cost.columns)
        milp = PMedian.from_cost_matrix(cost, w, p=1, groups=groups, max_per_group=1).solve()
        assert quick.status == milp.status == "optimal"
        assert quick.objective == pytest.approx(milp.objective, rel=1e-9)
        assert quick.objective == pytest.approx(float((w @ cost.to_numpy()).min()), rel=1e-12)
        required = PMedian.from_cost_matrix(cost, w, p=1, required=["c3"]).solve()
        assert list(required.open) == ["c3"]


def test_centre_stats_one_definition_for_every_caller():
    from borderhub.scenarios import solve_scenario

    cost = pd.DataFrame(
        [[0.0, 9.0], [2.0, 7.0], [9.0, 1.0], [8.0, 6.0]],
        index=["d1", "d2", "d3", "d4"],
        columns=["a", "b"],
    )
    w = pd.Series([1.0, 1.0, 1.0, 2.0], index=cost.index)
    sol = PMedian.from_cost_matrix(cost, w, p=2).solve()
    stats = sol.centre_stats()
    assert list(stats.index) == list(sol.open)
    assert stats.loc["a", "n_demand"] == 2 and stats.loc["b", "n_demand"] == 2
    assert stats.loc["b", "load"] == 3.0 and stats.loc["b", "share"] == pytest.approx(0.6)
    assert stats.loc["b", "mean_cost"] == pytest.approx((1.0 + 2 * 6.0) / 3)
    assert stats.loc["b", "max_cost"] == 6.0
    assert stats["weighted_cost"].sum() == pytest.approx(sol.objective)
    fac = sol.facilities()
    assert fac["weight"].tolist() == stats["load"].tolist()
    # a coverage model: a centre serves what it covers; the shares add up to the covered share
    cov = MaxCoverage.from_cost_matrix(cost, w, p=1, radius=3).solve()
    cstats = cov.centre_stats()
    assert list(cstats.index) == ["a"] and cstats.loc["a", "load"] == 2.0
    assert cstats["share"].sum() == pytest.approx(cov.objective / w.sum())
    row = solve_scenario(cost, w, model="mclp", p=1, radius=3)
    assert row["mean_cost"] == pytest.approx(cstats.loc["a", "mean_cost"])
    assert row["max_cost"] == cstats.loc["a", "max_cost"]
    text = cov.summary()
    assert "covered 2 of 5 weight (40.0 %)" in text and "(weight covered)" in text


def test_summary_names_the_centres_when_the_candidates_have_names():
    import geopandas as gpd

    pts = gpd.GeoDataFrame(
        {"name": ["北京市", "上海市", "广州市"], "w": [1.0, 2.0, 3.0]},
        geometry=gpd.points_from_xy([116.4, 121.5, 113.3], [39.9, 31.2, 23.1]),
        index=["110000", "310000", "440100"],
        crs="EPSG:4326",
    )
    text = PMedian.from_geodataframe(pts, pts, weight="w", p=1).solve().summary()
    assert "广州市" in text and "(weight x cost)" in text


def test_uncoverable_units_are_named_by_label_and_name():
    import geopandas as gpd

    pts = gpd.GeoDataFrame(
        {"name": ["北京市", "上海市", "乌鲁木齐市"]},
        geometry=gpd.points_from_xy([116.4, 121.5, 87.6], [39.9, 31.2, 43.8]),
        index=["110000", "310000", "650100"],
        crs="EPSG:4326",
    )
    with pytest.raises(SpecificationError, match="'650100 乌鲁木齐市'"):
        SetCover.from_geodataframe(pts, pts.iloc[:2], radius=1500)
    sol = MaxCoverage.from_geodataframe(pts, pts.iloc[:2], p=1, radius=1500).solve()
    assert "'650100 乌鲁木齐市'" in sol.message
