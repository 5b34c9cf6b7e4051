"""Published optima of standard instances, reproduced in the default test run.

The instance files in tests/data are copies of the published ones (sources and optima in
tests/data/README.md); each is small enough to solve in well under a second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.sparse.csgraph import floyd_warshall

from borderhub.locate import FacilityLocation, HubMedian, PMedian

DATA = Path(__file__).with_name("data")


# ----------------------------------------------------------------------------------------
# OR-Library p-median (Beasley 1985)
# ----------------------------------------------------------------------------------------


def read_pmed(path: Path) -> tuple[np.ndarray, int]:
    """OR-Library pmed: edges in turn (a repeated edge's last cost wins), then all-pairs
    shortest paths, as OR-Library specifies."""
    tok = path.read_text().split()
    n, e, p = int(tok[0]), int(tok[1]), int(tok[2])
    adj = np.full((n, n), np.inf)
    np.fill_diagonal(adj, 0.0)
    for i, j, c in np.array(tok[3 : 3 + 3 * e], dtype=float).reshape(e, 3):
        adj[int(i) - 1, int(j) - 1] = adj[int(j) - 1, int(i) - 1] = c
    return floyd_warshall(adj), p


PMED_OPTIMA = {1: 5819, 2: 4093, 3: 4250, 4: 3034, 5: 1355}


@pytest.mark.parametrize("k", sorted(PMED_OPTIMA), ids=lambda k: f"pmed{k}")
def test_orlib_pmedian(k):
    dist, p = read_pmed(DATA / f"pmed{k}.txt")
    assert dist.shape == (100, 100) and np.isfinite(dist).all()
    sol = PMedian.from_cost_matrix(dist, p=p).solve()
    assert sol.status == "optimal" and sol.gap <= 1e-6
    assert sol.objective == PMED_OPTIMA[k]
    open_ = np.array([int(j) for j in sol.open])
    assert len(open_) == p
    assert dist[:, open_].min(axis=1).sum() == PMED_OPTIMA[k]  # the reported centres attain it


# ----------------------------------------------------------------------------------------
# OR-Library capacitated / uncapacitated warehouse location (Beasley 1988)
# ----------------------------------------------------------------------------------------


def read_cap(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """OR-Library cap: capacities, fixed costs, then per customer its demand and the cost
    of allocating *all* of it to each warehouse. Returns per-unit costs."""
    tok = path.read_text().split()
    m, n = int(tok[0]), int(tok[1])
    head = np.array(tok[2 : 2 + 2 * m], dtype=float).reshape(m, 2)
    body = np.array(tok[2 + 2 * m : 2 + 2 * m + n * (m + 1)], dtype=float).reshape(n, m + 1)
    demand, alloc = body[:, 0], body[:, 1:]
    return alloc / demand[:, None], demand, head[:, 1], head[:, 0]


def test_orlib_cap41_capacitated():
    """cap41: capacity 5,000 per warehouse, demand may be split; optimum 1,040,444.375."""
    unit, demand, fixed, capacity = read_cap(DATA / "cap41.txt")
    assert unit.shape == (50, 16) and (capacity == 5000).all()
    sol = FacilityLocation.from_cost_matrix(
        unit, demand, fixed_cost=fixed, capacity=capacity, single_source=False
    ).solve()
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(1040444.375, rel=1e-9)
    a = sol.assignment
    assert (a.groupby("facility")["weight"].sum() <= 5000 + 1e-6).all()
    served = a.groupby(level="demand")["weight"].sum().to_numpy()
    assert np.allclose(served, demand)
    facility = a["facility"].to_numpy().astype(int)
    service = float((a["weight"].to_numpy() * unit[a.index.to_numpy(), facility]).sum())
    opened = [int(j) for j in sol.open]
    assert service + fixed[opened].sum() == pytest.approx(1040444.375, rel=1e-9)


@pytest.mark.parametrize("capacitated", [False, True], ids=["uncapacitated", "capacity=total"])
def test_orlib_cap72_uncapacitated(capacitated):
    """cap72: capacities equal total demand (never binding); UFLP optimum 977,799.400."""
    unit, demand, fixed, capacity = read_cap(DATA / "cap72.txt")
    assert (capacity == demand.sum()).all()
    kw = {"capacity": capacity, "single_source": False} if capacitated else {}
    sol = FacilityLocation.from_cost_matrix(unit, demand, fixed_cost=fixed, **kw).solve()
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(977799.400, rel=1e-9)
    opened = [int(j) for j in sol.open]
    value = fixed[opened].sum() + (demand * unit[:, opened].min(axis=1)).sum()
    assert value == pytest.approx(977799.400, rel=1e-9)


# ----------------------------------------------------------------------------------------
# OR-Library single-allocation p-hub median, Australia Post data (Ernst & Krishnamoorthy 1996)
# ----------------------------------------------------------------------------------------


def read_ap(path: Path) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """AP file: coordinates, flows, p (ignored here), collection/transfer/distribution costs."""
    tok = path.read_text().split()
    n = int(tok[0])
    xy = np.array(tok[1 : 1 + 2 * n], dtype=float).reshape(n, 2)
    w = np.array(tok[1 + 2 * n : 1 + 2 * n + n * n], dtype=float).reshape(n, n)
    chi, tau, delta = (float(x) for x in tok[2 + 2 * n + n * n : 5 + 2 * n + n * n])
    dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    return dist, w, chi, tau, delta


def ap_as_hub_median(w, chi, tau, delta, lam=2.0):
    """The AP costs (collection ``chi`` != distribution ``delta``) as HubMedian flows.

    AP's cost is ``sum_i d(i, h(i)) (chi O_i + delta D_i) + tau sum_ij w_ij d(h(i), h(j))``.
    HubMedian charges ``d(i, h(i)) (O'_i + D'_i) + alpha sum_ij f_ij d(h(i), h(j))``. With
    ``f = lam * w`` off the diagonal (``alpha = tau / lam`` gives the same transfer cost, as
    ``d`` is symmetric) and ``f_ii`` -- which pays only collection and distribution, 2 d(i,
    h(i)) per unit -- chosen so that ``O'_i + D'_i = chi O_i + delta D_i``, both totals agree.
    """
    off = w - np.diag(np.diag(w))
    f_ii = (chi * w.sum(axis=1) + delta * w.sum(axis=0) - lam * (off.sum(1) + off.sum(0))) / 2
    assert (f_ii >= 0).all()
    return lam * off + np.diag(f_ii), tau / lam


def ap_cost(dist, w, chi, tau, delta, hub_of):
    """AP's own definition of the cost of an allocation (node -> hub)."""
    leg = dist[np.arange(len(dist)), hub_of]
    transfer = dist[np.ix_(hub_of, hub_of)]
    return float((w * (chi * leg[:, None] + tau * transfer + delta * leg[None, :])).sum())


#: p -> (optimum / 1000, hubs, 1-based), from Solutions-USApHMP for n = 10.
AP10 = {
    2: (167493.06, {3, 7}),
    3: (136008.13, {3, 4, 7}),
    4: (112396.07, {3, 4, 7, 8}),
    5: (91105.37, {1, 3, 4, 7, 8}),
}


@pytest.mark.parametrize("p", sorted(AP10), ids=lambda p: f"AP10.{p}")
def test_ap_single_allocation_hub_median(p):
    dist, w, chi, tau, delta = read_ap(DATA / "ap-10.2.txt")
    assert (chi, tau, delta) == (3.0, 0.75, 2.0)
    flows, alpha = ap_as_hub_median(w, chi, tau, delta)
    sol = HubMedian.from_cost_matrix(dist, flows=flows, p=p, alpha=alpha).solve()
    optimum, hubs = AP10[p]
    assert sol.status == "optimal"
    assert sol.objective / 1000 == pytest.approx(optimum, abs=0.006)  # published to 0.01
    assert {int(h) + 1 for h in sol.open} == hubs
    hub_of = sol.assignment["facility"].to_numpy().astype(int)
    assert ap_cost(dist, w, chi, tau, delta, hub_of) / 1000 == pytest.approx(optimum, abs=0.006)


#: p -> (optimum / 1000, hubs, 1-based), from Solutions-USApHMP for n = 20.
AP20 = {
    2: (172816.69, {6, 14}),
    3: (151533.08, {6, 12, 14}),
    4: (135624.88, {2, 6, 12, 14}),
    5: (123130.09, {2, 6, 12, 13, 14}),
}


@pytest.mark.parametrize("p", sorted(AP20), ids=lambda p: f"AP20.{p}")
def test_ap20_with_collection_and_distribution_factors(p):
    """AP's own factors (collection 3, transfer 0.75, distribution 2), hub sets enumerated."""
    dist, w, chi, tau, delta = read_ap(DATA / "ap-20.3.txt")
    assert (chi, tau, delta) == (3.0, 0.75, 2.0)
    sol = HubMedian.from_cost_matrix(
        dist, flows=w, p=p, alpha=tau, collection=chi, distribution=delta, method="enumerate"
    ).solve()
    optimum, hubs = AP20[p]
    assert sol.status == "optimal" and sol.gap <= 1e-6 and sol.bound <= sol.objective
    assert sol.objective / 1000 == pytest.approx(optimum, abs=0.006)  # published to 0.01
    assert {int(h) + 1 for h in sol.open} == hubs
    hub_of = sol.assignment["facility"].to_numpy().astype(int)
    assert ap_cost(dist, w, chi, tau, delta, hub_of) / 1000 == pytest.approx(optimum, abs=0.006)


@pytest.mark.parametrize("method", ["enumerate", "flow"])
@pytest.mark.parametrize("p", [2, 4], ids=lambda p: f"AP10.{p}")
def test_ap10_factors_both_methods(p, method):
    dist, w, chi, tau, delta = read_ap(DATA / "ap-10.2.txt")
    sol = HubMedian.from_cost_matrix(
        dist, flows=w, p=p, alpha=tau, collection=chi, distribution=delta, method=method
    ).solve()
    optimum, hubs = AP10[p]
    assert sol.status == "optimal"
    assert sol.objective / 1000 == pytest.approx(optimum, abs=0.006)
    assert {int(h) + 1 for h in sol.open} == hubs
