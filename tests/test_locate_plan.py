"""A scenario on the plan's own data: the 60 places of 专栏4 serving 367 demand units."""

from __future__ import annotations

import numpy as np
import pytest

import borderhub as bh
from borderhub import datasets
from borderhub.locate import FacilityLocation, MaxCoverage, PMedian, policy_constraints


@pytest.fixture(scope="module")
def plan():
    cands = datasets.candidates()
    demand = datasets.prefectures()
    return cands, demand


def core_labels(cands):
    return set(cands.index[cands["tiers"].str.split(";").map(lambda t: "CORE" in t)])


def test_plan_pmedian_core_required(plan):
    cands, demand = plan
    assert len(cands) == 60 and len(demand) == 367
    kw = policy_constraints(cands, required_tiers=[bh.Tier.CORE])
    core = core_labels(cands)
    assert set(kw["required"]) == core and len(core) >= 9
    model = PMedian.from_geodataframe(demand, cands, weight="express_volume", p=15, **kw)
    sol = model.solve()
    assert sol.status == "optimal"
    assert len(sol.open) == 15 and core <= set(sol.open)
    a = sol.assignment
    assert set(a.index) == set(demand.index)
    assert set(a["facility"]) <= set(sol.open)
    # every demand unit goes to its nearest open centre, and the objective adds up
    dist = bh.distance_matrix(demand, cands.loc[list(sol.open)])
    assert np.allclose(a["cost"].to_numpy(), dist.loc[a.index].min(axis=1).to_numpy())
    assert sol.objective == pytest.approx(float((a["weight"] * a["cost"]).sum()), rel=1e-9)
    # requiring CORE costs something compared with a free choice of 15
    free = PMedian.from_geodataframe(demand, cands, weight="express_volume", p=15).solve()
    assert free.objective <= sol.objective + 1e-6
    gdf = sol.to_geodataframe(lines=True)
    assert len(gdf) == 367 and gdf.crs.to_epsg() == 4326


def test_plan_province_caps_and_coverage(plan):
    cands, demand = plan
    kw = policy_constraints(
        cands, required_tiers=[bh.Tier.CORE], group_by="province", max_per_group=2
    )
    sol = MaxCoverage.from_geodataframe(
        demand, cands, weight="population", p=20, radius=300.0, **kw
    ).solve()
    assert sol.status == "optimal"
    per_province = cands.loc[list(sol.open), "province"].value_counts()
    assert per_province.max() <= 2
    assert core_labels(cands) <= set(sol.open)
    covered = sol.assignment["covered"]
    assert sol.objective == pytest.approx(float(demand["population"][covered].sum()))


def test_plan_fixed_charge_with_gateway(plan):
    cands, demand = plan
    # a stand-in gateway term: distance (km) to 昆明 for every candidate, weighted lightly
    kunming = cands.index[cands["name"].str.contains("昆明")][0]
    gw = bh.distance_matrix(cands, cands.loc[[kunming]]).iloc[:, 0]
    sol = FacilityLocation.from_geodataframe(
        demand, cands, weight="express_volume", fixed_cost=500.0, gateway_cost=gw,
        gateway_weight=0.1,
    ).solve()  # fmt: skip
    assert sol.status == "optimal" and len(sol.open) >= 1
    a = sol.assignment
    fixed = 500.0 * len(sol.open)
    assert sol.objective == pytest.approx(
        fixed + float((a["weight"] * (a["cost"] + a["gateway"])).sum()), rel=1e-9
    )
