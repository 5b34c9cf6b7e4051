"""HubMedian's two exact methods against each other and against brute force.

``method="enumerate"`` (bounded enumeration of hub sets, the allocation of each surviving
set solved by a small MILP) and ``method="flow"`` (the Ernst & Krishnamoorthy 1996 model)
must reach the optimum of a brute force that tries every hub set and every single
allocation -- with collection/distribution factors, gateway costs, required, forbidden and
grouped hubs, integer costs with many ties, and costs that break the triangle inequality.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pulp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderhub.exceptions import SpecificationError
from borderhub.locate import HubMedian, _hub
from borderhub.locate._core import Context


def direct_cost(c, W, alloc, alpha, chi, delta, gw):
    n = len(c)
    leg = c[np.arange(n), alloc]
    up = chi * leg + gw[alloc]
    down = delta * leg + gw[alloc]
    return float((W * (up[:, None] + alpha * c[np.ix_(alloc, alloc)] + down[None, :])).sum())


def brute_force(c, W, p, alpha, chi, delta, gw, allowed, ok=lambda hubs: True):
    n = len(c)
    best = math.inf
    for hubs in itertools.combinations(allowed, p):
        if not ok(hubs):
            continue
        others = [i for i in range(n) if i not in hubs]
        for assign in itertools.product(hubs, repeat=len(others)):
            alloc = np.empty(n, dtype=int)
            alloc[list(hubs)] = list(hubs)
            alloc[others] = assign
            best = min(best, direct_cost(c, W, alloc, alpha, chi, delta, gw))
    return best


def instance(seed: int):
    """A small random instance; a third of them break the triangle inequality."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    kind = int(rng.integers(0, 3))
    if kind == 0:  # L1 on a small integer grid: many ties
        xy = rng.integers(0, 4, (n, 2)).astype(float)
        c = np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)
    elif kind == 1:  # Euclidean
        xy = rng.random((n, 2)) * 100
        c = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    else:  # symmetric, arbitrary: the triangle inequality may fail
        a = rng.integers(1, 30, (n, n)).astype(float)
        c = np.triu(a, 1) + np.triu(a, 1).T
    W = rng.integers(0, 6, (n, n)).astype(float) * (rng.random((n, n)) < 0.8)
    alpha = float(rng.choice([0.0, 0.3, 0.75, 1.0]))
    chi = float(rng.choice([0.0, 1.0, 3.0]))
    delta = float(rng.choice([0.0, 1.0, 2.0]))
    gw = rng.integers(0, 5, n).astype(float) if rng.random() < 0.3 else np.zeros(n)
    return rng, n, c, W, alpha, chi, delta, gw


@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_methods_equal_brute_force(seed):
    rng, n, c, W, alpha, chi, delta, gw = instance(seed)
    policy: dict = {}
    forbidden = [int(rng.integers(0, n))] if n > 2 and rng.random() < 0.3 else []
    allowed = [i for i in range(n) if i not in forbidden]
    p = int(rng.integers(1, len(allowed) + 1))
    required = [int(rng.choice(allowed))] if rng.random() < 0.3 else []
    ok = lambda hubs: set(required) <= set(hubs)  # noqa: E731
    if forbidden:
        policy["forbidden"] = forbidden
    if required:
        policy["required"] = required
    if n >= 4 and rng.random() < 0.3:  # at most one hub among nodes 0 and 1
        policy["groups"] = pd.Series(["A", "A"], index=[0, 1])
        policy["max_per_group"] = {"A": 1}
        if p > len([a for a in allowed if a not in (0, 1)]) + 1:
            policy.pop("groups")
            policy.pop("max_per_group")
        else:
            ok = lambda hubs: set(required) <= set(hubs) and len({0, 1} & set(hubs)) <= 1  # noqa: E731
    best = brute_force(c, W, p, alpha, chi, delta, gw, allowed, ok)
    common = dict(flows=W, p=p, alpha=alpha, collection=chi, distribution=delta, **policy)
    if gw.any():
        common["gateway_cost"] = gw
    for method in ("enumerate", "flow"):
        sol = HubMedian.from_cost_matrix(c, method=method, **common).solve()
        assert sol.status == "optimal", (method, sol)
        assert sol.objective == pytest.approx(best, rel=1e-7, abs=1e-7), method
        alloc = sol.assignment["facility"].to_numpy().astype(int)
        hubs = sorted(int(h) for h in sol.open)
        assert len(hubs) == p and ok(tuple(hubs)) and not set(hubs) & set(forbidden)
        assert (alloc[hubs] == hubs).all() and set(alloc) <= set(hubs)
        assert sol.objective == pytest.approx(direct_cost(c, W, alloc, alpha, chi, delta, gw))


def ap_like(n: int = 12, seed: int = 5):
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2)) * 1000
    c = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    mass = rng.random(n) + 0.1
    W = np.outer(mass, mass) * 100
    return c, W


def test_enumeration_bounds_are_lower_bounds_of_every_hub_set():
    """The separable and the half-single bounds never exceed a hub set's optimum."""
    c, W = ap_like(7, seed=2)
    gw = np.arange(7, dtype=float)
    data = _hub.HubData(c, W, 0.75, 3.0, 2.0, gw)
    en = _hub.Enumeration(data, 3, np.zeros(0, dtype=np.int64), np.arange(7), None)
    sets = np.array(list(itertools.combinations(range(7), 3)))
    ma = en.ma_bound(sets)
    m1, m2 = en.M
    for s, hubs in enumerate(sets):
        exact = brute_force(c, W, 3, 0.75, 3.0, 2.0, gw, list(hubs))
        sep = max(m1[:, hubs].min(axis=1).sum(), m2[:, hubs].min(axis=1).sum())
        assert sep <= exact * (1 + 1e-12) and ma[s] <= exact * (1 + 1e-12)
    # and they are not vacuous: the half-single bound is within 5 % on average here
    exact_all = [brute_force(c, W, 3, 0.75, 3.0, 2.0, gw, list(h)) for h in sets[:10]]
    assert np.mean(ma[:10] / np.array(exact_all)) > 0.95


@pytest.mark.parametrize("p", [1, 2, 3, 4, 5])
def test_search_keeps_every_set_below_the_threshold(p):
    """The depth-first search with supermodular pruning loses no set below the threshold."""
    c, W = ap_like(9, seed=3)
    data = _hub.HubData(c, W, 0.75, 3.0, 2.0, np.zeros(9))
    en = _hub.Enumeration(data, p, np.zeros(0, dtype=np.int64), np.arange(9), None)
    m1, m2 = en.M
    every = np.array(list(itertools.combinations(range(9), p)))
    sep = np.maximum(m1[:, every].min(axis=2).sum(axis=0), m2[:, every].min(axis=2).sum(axis=0))
    thr = float(np.quantile(sep, 0.3))
    sets, lbs, low, done = en.candidates(thr, Context("highs", None, None, False))
    assert done
    want = {tuple(s) for s in every[sep < thr]}
    assert {tuple(sorted(s)) for s in sets} == want
    assert low >= thr * (1 - 1e-12)  # what was pruned is at or above the threshold
    assert np.allclose(np.sort(lbs), np.sort(sep[sep < thr]))


def test_enumeration_and_flow_agree_on_a_larger_instance():
    c, W = ap_like(12)
    kw = dict(flows=W, p=3, alpha=0.75, collection=3.0, distribution=2.0)
    a = HubMedian.from_cost_matrix(c, method="enumerate", **kw).solve()
    b = HubMedian.from_cost_matrix(c, method="flow", **kw).solve()
    assert a.status == b.status == "optimal"
    assert a.objective == pytest.approx(b.objective, rel=1e-9)


def test_stopped_allocation_gives_feasible_with_a_true_bound(monkeypatch):
    """An allocation MILP that stops unproven: ``feasible``, with a bound below the optimum."""
    c, W = ap_like(10, seed=7)
    kw = dict(flows=W, p=3, alpha=0.75, collection=3.0, distribution=2.0)
    opt = HubMedian.from_cost_matrix(c, method="enumerate", **kw).solve()
    assert opt.status == "optimal"

    def stopped(data, hubs, start, ub, ctx, metric=True):
        return None, math.inf, False, 0.0

    monkeypatch.setattr(_hub, "allocation_milp", stopped)
    import borderhub.locate.hub as hub_module

    monkeypatch.setattr(hub_module, "allocation_milp", stopped)
    sol = HubMedian.from_cost_matrix(c, method="enumerate", **kw).solve()
    assert sol.status == "feasible" and len(sol.open) == 3
    assert sol.objective >= opt.objective * (1 - 1e-12)
    assert math.isfinite(sol.bound) and sol.bound <= opt.objective * (1 + 1e-12)
    assert sol.gap > 0


def test_time_out_during_the_search_returns_the_heuristic(monkeypatch):
    c, W = ap_like(10, seed=8)
    kw = dict(flows=W, p=3, alpha=0.75, collection=3.0, distribution=2.0)
    opt = HubMedian.from_cost_matrix(c, **kw).solve()
    monkeypatch.setattr(Context, "timed_out", lambda self: True)
    sol = HubMedian.from_cost_matrix(c, method="enumerate", **kw).solve()
    assert sol.status == "feasible" and len(sol.open) == 3
    assert sol.objective >= opt.objective * (1 - 1e-12)
    # stopped before any set was examined: the bound, if any, is the least set bound
    assert math.isnan(sol.bound) or sol.bound <= opt.objective * (1 + 1e-12)
    assert not sol.gap <= 1e-6
    alloc = sol.assignment["facility"].to_numpy().astype(int)
    assert sol.objective == pytest.approx(direct_cost(c, W, alloc, 0.75, 3.0, 2.0, np.zeros(10)))


def test_search_stopped_by_the_clock_reports_unfinished(monkeypatch):
    c, W = ap_like(30, seed=9)
    data = _hub.HubData(c, W, 0.75, 3.0, 2.0, np.zeros(30))
    en = _hub.Enumeration(data, 4, np.zeros(0, dtype=np.int64), np.arange(30), None)
    monkeypatch.setattr(Context, "timed_out", lambda self: True)
    sets, lbs, low, done = en.candidates(math.inf, Context("highs", None, None, False))
    assert not done and len(sets) == 0


def test_auto_picks_enumeration_with_highs_and_flow_otherwise():
    c, W = ap_like(6)
    model = HubMedian.from_cost_matrix(c, flows=W, p=2)
    model._prepare()
    assert model._method(Context("highs", None, None, False)) == "enumerate"
    assert model._method(Context(pulp.HiGHS(msg=False), None, None, False)) == "flow"
    assert model._method(Context("cbc", None, None, False)) == "flow"
    big = HubMedian.from_cost_matrix(np.zeros((80, 80)), flows=np.ones((80, 80)), p=10)
    big._prepare()
    assert big._method(Context("highs", None, None, False)) == "flow"  # C(80, 10) sets


def test_groups_that_name_no_candidate_are_harmless():
    c, W = ap_like(7, seed=11)
    kw = dict(flows=W, p=2, alpha=0.75, collection=3.0, distribution=2.0)
    plain = HubMedian.from_cost_matrix(c, **kw).solve()
    far = int(np.argmax(c.sum(axis=1)))  # the least central node: never a hub here
    assert far not in {int(h) for h in plain.open}
    groups = pd.Series(["A"], index=[far])  # the only grouped candidate is forbidden
    sol = HubMedian.from_cost_matrix(
        c, groups=groups, max_per_group={"A": 1}, forbidden=[far], **kw
    ).solve()
    assert sol.status == "optimal" and sol.objective == pytest.approx(plain.objective)


def test_method_errors():
    c, W = ap_like(5)
    with pytest.raises(SpecificationError, match="method must be one of"):
        HubMedian.from_cost_matrix(c, flows=W, p=2, method="benders")
    with pytest.raises(SpecificationError, match="method='enumerate' talks to HiGHS"):
        HubMedian.from_cost_matrix(c, flows=W, p=2, method="enumerate").solve(solver="cbc")


def test_local_search_reaches_a_local_optimum_of_both_neighbourhoods():
    """No single hub swap and no single re-allocation improves the heuristic's result."""
    c, W = ap_like(9, seed=4)
    data = _hub.HubData(c, W, 0.75, 3.0, 2.0, np.zeros(9))
    hubs, alloc, value = _hub.local_search(
        data, 3, np.array([0, 1, 2]), lambda h: True, np.arange(9), math.inf
    )
    assert value == pytest.approx(data.total(alloc))
    for i in set(range(9)) - set(hubs):
        for k in hubs:
            trial = alloc.copy()
            trial[i] = k
            assert data.total(trial) >= value * (1 - 1e-12)
    for out in hubs:
        for k in set(range(9)) - set(hubs):
            _, v = data.reallocate(np.sort(np.where(hubs == out, k, hubs)))
            assert v >= value * (1 - 1e-12)
