"""borderhub.locate agrees with spopt (test-only dependency) on shared instances."""

from __future__ import annotations

import numpy as np
import pulp
import pytest
from spopt import locate as spopt_locate

from borderhub.locate import MaxCoverage, PCenter, PMedian, SetCover

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def instance(seed, n=40, m=12):
    rng = np.random.default_rng(seed)
    d = rng.random((n, 2)) * 100
    c = rng.random((m, 2)) * 100
    cost = np.hypot(d[:, None, 0] - c[None, :, 0], d[:, None, 1] - c[None, :, 1])
    w = rng.integers(1, 20, n).astype(float)
    return cost, w


def spopt_objective(model):
    model.solve(pulp.HiGHS(msg=False), results=False)
    return float(pulp.value(model.problem.objective))


SEEDS = [0, 1, 2]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 3, 5])
def test_pmedian_matches_spopt(seed, p):
    cost, w = instance(seed)
    ours = PMedian.from_cost_matrix(cost, w, p=p).solve()
    theirs = spopt_objective(spopt_locate.PMedian.from_cost_matrix(cost, w, p_facilities=p))
    assert ours.status == "optimal"
    assert ours.objective == pytest.approx(theirs, rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 3, 5])
def test_pcenter_matches_spopt(seed, p):
    cost, w = instance(seed)
    ours = PCenter.from_cost_matrix(cost, p=p).solve()
    theirs = spopt_objective(spopt_locate.PCenter.from_cost_matrix(cost, p_facilities=p))
    assert ours.status == "optimal"
    assert ours.objective == pytest.approx(theirs, rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("p", "radius"), [(1, 30.0), (3, 20.0), (4, 35.0)])
def test_max_coverage_matches_spopt(seed, p, radius):
    cost, w = instance(seed)
    ours = MaxCoverage.from_cost_matrix(cost, w, p=p, radius=radius).solve()
    theirs = spopt_objective(
        spopt_locate.MCLP.from_cost_matrix(cost, w, service_radius=radius, p_facilities=p)
    )
    assert ours.status == "optimal"
    assert ours.objective == pytest.approx(theirs, rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("slack", [1.0, 1.3, 2.0])
def test_set_cover_matches_spopt(seed, slack):
    cost, w = instance(seed)
    radius = float(cost.min(axis=1).max()) * slack
    ours = SetCover.from_cost_matrix(cost, radius=radius).solve()
    theirs = spopt_objective(spopt_locate.LSCP.from_cost_matrix(cost, service_radius=radius))
    assert ours.status == "optimal"
    assert ours.objective == pytest.approx(theirs)
