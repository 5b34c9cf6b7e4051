"""Criteria as plug-ins and missing values said out loud.

* a criterion defined here, in the test file alone, is registered with one line, found by
  name and scored through :func:`borderhub.score`, reading a study input it declares;
* :func:`borderhub.scoring.with_inputs` binds a study's demand, ports and partners to the
  criteria that declare them, whatever their names;
* :func:`borderhub.score` never fills a missing value silently: it warns naming the rows
  and criteria and records what it filled in ``attrs``; so do ``rank_stability`` and
  ``decision_matrix``, the one place where ``nan_policy`` is applied.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.exceptions import MissingDataWarning, SpecificationError
from borderhub.geo import distance_matrix
from borderhub.scoring import (
    Criterion,
    decision_matrix,
    default_criteria,
    gravity_access,
    lookup_criteria,
    rank_stability,
    rcep_proximity,
    register_criterion,
    score,
    unregister_criterion,
    with_inputs,
)

# --------------------------------------------------------------------------------------
# a new criterion: this file and one registration line
# --------------------------------------------------------------------------------------


def ports_within(candidates: pd.DataFrame, ports: pd.DataFrame | None = None) -> pd.Series:
    """Number of border ports within 500 km of each candidate (a benefit)."""
    ports = datasets.border_ports() if ports is None else ports
    km = distance_matrix(candidates, ports).to_numpy()
    return pd.Series((km <= 500.0).sum(axis=1), index=candidates.index, dtype=float)


PORTS_WITHIN = Criterion(
    "ports_within", ports_within, "benefit", description="ports within 500 km", inputs=["ports"]
)


@pytest.fixture
def registered():
    register_criterion(PORTS_WITHIN)  # the one registration line
    try:
        yield PORTS_WITHIN
    finally:
        unregister_criterion(PORTS_WITHIN.name)


@pytest.fixture
def places():
    return pd.DataFrame(
        {
            "lon": [131.15, 124.38, 116.40, 108.37],
            "lat": [44.40, 40.13, 39.90, 22.82],
            "express_volume": [0.3, 1.2, 22.0, 4.8],
        },
        index=["绥芬河", "丹东", "北京", "南宁"],
    )


@pytest.fixture
def ports():
    return pd.DataFrame(
        {"lon": [131.16, 124.39, 106.76, 117.43], "lat": [44.41, 40.12, 22.01, 49.60]},
        index=["绥芬河口岸", "丹东口岸", "友谊关", "满洲里"],
    )


def test_a_criterion_defined_here_is_found_by_name_and_scored(registered, places, ports):
    crits = lookup_criteria(["express_volume", "ports_within"])
    assert crits[1] is PORTS_WITHIN
    crits = with_inputs(crits, ports=ports)
    table = score(places, crits, weights={"express_volume": 0.0, "ports_within": 1.0})
    # by hand: 绥芬河 and 丹东 have one of these ports within 500 km, 南宁 has 友谊关 (~95 km),
    # 北京 none (丹东 is about 570 km away)
    km = distance_matrix(places, ports).to_numpy()
    expected = (km <= 500.0).sum(axis=1)
    assert expected.tolist() == [1, 1, 0, 1]
    assert table.loc["北京", "rank"] == 4
    assert (table.drop(index="北京")["rank"] == 1).all()
    # the declared input was used: unbound, the criterion counts the bundled ports
    bound = crits[1].evaluate(places)
    assert bound.tolist() == [1.0, 1.0, 0.0, 1.0]
    assert PORTS_WITHIN.evaluate(places).tolist() != bound.tolist()


def test_registered_criteria_come_in_registration_order(registered):
    names = [c.name for c in lookup_criteria()]
    assert names[-1] == "ports_within"
    assert names[:2] == ["rcep_proximity", "border_port_distance"]


def test_default_criteria_are_the_registered_ones_weighted():
    defaults = default_criteria()
    for c in defaults:
        (plain,) = lookup_criteria([c.name])
        assert plain.weight is None and c.weight is not None
        assert (plain.source, plain.direction, plain.inputs) == (c.source, c.direction, c.inputs)
    assert sum(c.weight for c in defaults) == pytest.approx(1.0)


# --------------------------------------------------------------------------------------
# study inputs
# --------------------------------------------------------------------------------------


def test_with_inputs_binds_the_demand_to_the_criteria_that_declare_it(places):
    demand = pd.DataFrame(
        {"lon": [116.4, 121.47, 113.26], "lat": [39.9, 31.23, 23.13], "parcels": [5.0, 1.0, 2.0]},
        index=["p1", "p2", "p3"],
    )
    given = demand.copy()
    bound = with_inputs(default_criteria(), demand=demand, demand_weight="parcels")
    pd.testing.assert_frame_equal(demand, given)  # the input is untouched
    by_name = {c.name: c for c in bound}
    expect = gravity_access(places, demand, column="parcels", beta=1.0, d0_km=50.0)
    got = by_name["gravity_access"].evaluate(places)
    np.testing.assert_allclose(got.to_numpy(), expect.to_numpy())
    # those that do not read the demand are the very same objects
    for before, after in zip(default_criteria(), bound, strict=True):
        if not before.inputs or before.name == "rcep_proximity":
            assert after == before or after.name == "gravity_access"


def test_with_inputs_binds_partners_and_ignores_none(places):
    hubs = pd.DataFrame({"lon": [105.8], "lat": [21.0]}, index=["VNM-HAN"])
    (rcep,) = with_inputs(lookup_criteria(["rcep_proximity"]), partners=hubs, ports=None)
    np.testing.assert_allclose(
        rcep.evaluate(places).to_numpy(), rcep_proximity(places, hubs).to_numpy()
    )
    (same,) = with_inputs(lookup_criteria(["rcep_proximity"]), partners=None)
    assert same == lookup_criteria(["rcep_proximity"])[0]


def test_criterion_inputs_are_normalised_and_checked():
    c = Criterion("g", gravity_access, "benefit", inputs={"demand": "demand"})
    assert c.inputs == (("demand", "demand"),)
    assert Criterion("h", len, "cost", inputs=["ports", "partners"]).inputs == (
        ("ports", "ports"),
        ("partners", "partners"),
    )
    with pytest.raises(SpecificationError, match="inputs must be"):
        Criterion("g", gravity_access, "benefit", inputs="demand")
    with pytest.raises(SpecificationError, match="unknown study inputs"):
        c.with_inputs(airports=None)


# --------------------------------------------------------------------------------------
# no silent imputation (issue: score() filled the worst value without a word)
# --------------------------------------------------------------------------------------

CITIES = pd.DataFrame(
    {"volume": [50.0, np.nan, 5.0], "km": [300.0, 100.0, 50.0]}, index=["A", "B", "C"]
)
CRIT = {"volume": "benefit", "km": "cost"}


@pytest.mark.parametrize("policy", ["auto", "worst"])
def test_score_warns_naming_rows_and_criteria_and_records_the_fill(policy):
    given = CITIES.copy()
    with pytest.warns(MissingDataWarning) as caught:
        out = score(CITIES, CRIT, nan_policy=policy)
    message = str(caught[0].message)
    assert "'volume' in rows ['B']" in message and "(given 5)" in message
    assert out.attrs["filled"] == {"volume": {"B": 5.0}}
    assert out.attrs["omitted"] == {}
    pd.testing.assert_frame_equal(CITIES, given)
    # the same table as scoring the filled values, which fills nothing and says nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = score(CITIES.fillna({"volume": 5.0}), CRIT)
    assert again.attrs["filled"] == {}
    pd.testing.assert_series_equal(out["score"], again["score"])


def test_one_nan_of_three_values_is_no_longer_filled_silently():
    # the case of the issue: one NaN of three values (at least half sourced)
    frame = pd.DataFrame({"v": [1.0, np.nan, 3.0]}, index=["x", "y", "z"])
    with pytest.warns(MissingDataWarning, match=r"'v' in rows \['y'\]"):
        out = score(frame, {"v": "benefit"})
    assert out.attrs["filled"] == {"v": {"y": 1.0}}


def test_nothing_missing_nothing_said():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = score(CITIES.fillna(1.0), CRIT)
    assert out.attrs["filled"] == {} and out.attrs["omitted"] == {}


def test_rank_stability_and_decision_matrix_say_it_too():
    with pytest.warns(MissingDataWarning, match="'volume' in rows"):
        st = rank_stability(CITIES, CRIT, n=20)
    assert st.attrs["filled"] == {"volume": {"B": 5.0}}
    with pytest.warns(MissingDataWarning):
        m = decision_matrix(CITIES, CRIT)
    assert m.loc["B", "volume"] == 5.0 and m.attrs["directions"] == CRIT
    assert m.attrs["filled"] == st.attrs["filled"]


def test_many_rows_are_counted_not_all_listed():
    frame = pd.DataFrame(
        {"v": [np.nan] * 12 + list(range(1, 14))}, index=[f"r{i}" for i in range(25)]
    )
    with pytest.warns(MissingDataWarning, match="and 2 more") as caught:
        out = score(frame, {"v": "benefit"})
    assert "'r9'" in str(caught[0].message) and "'r10'" not in str(caught[0].message)
    assert len(out.attrs["filled"]["v"]) == 12


def test_drop_and_raise_fill_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dropped = score(CITIES, CRIT, nan_policy="drop")
    assert list(dropped.index) == ["A", "C"] and dropped.attrs["filled"] == {}
