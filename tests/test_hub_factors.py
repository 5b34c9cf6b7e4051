"""HubMedian with collection and distribution factors (chi, delta) against brute force.

Every choice of hubs and every single allocation of the other nodes is enumerated on tiny
instances; the model's optimum must equal the cheapest, with the legs priced
``chi * c[i, h(i)] + alpha * c[h(i), h(j)] + delta * c[h(j), j]`` per unit of flow.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderhub.exceptions import SpecificationError
from borderhub.locate import HubMedian


def brute_force(c, W, p, alpha, chi, delta, allowed):
    n = len(c)
    best = np.inf
    for hubs in itertools.combinations(allowed, p):
        others = [i for i in range(n) if i not in hubs]
        for assign in itertools.product(hubs, repeat=len(others)):
            alloc = np.empty(n, dtype=int)
            alloc[list(hubs)] = list(hubs)
            alloc[others] = assign
            leg = c[np.arange(n), alloc]
            per_unit = chi * leg[:, None] + alpha * c[np.ix_(alloc, alloc)] + delta * leg[None, :]
            best = min(best, float((W * per_unit).sum()))
    return best


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_collection_and_distribution_factors_equal_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 6))
    xy = rng.integers(0, 20, (n, 2)).astype(float)
    c = np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)
    W = rng.integers(0, 5, (n, n)).astype(float)
    alpha = float(rng.choice([0.0, 0.5, 0.75, 1.0]))
    chi = float(rng.choice([0.0, 1.0, 2.0, 3.0]))
    delta = float(rng.choice([0.0, 0.5, 2.0]))
    forb = [int(rng.integers(0, n))] if rng.random() < 0.3 and n > 2 else []
    allowed = [i for i in range(n) if i not in forb]
    p = int(rng.integers(1, len(allowed) + 1))
    sol = HubMedian.from_cost_matrix(
        c, flows=W, p=p, alpha=alpha, collection=chi, distribution=delta, forbidden=forb or None
    ).solve()
    assert sol.status == "optimal"
    best = brute_force(c, W, p, alpha, chi, delta, allowed)
    assert sol.objective == pytest.approx(best, rel=1e-7, abs=1e-7)


def test_asymmetric_factors_move_the_hub_towards_the_heavier_leg():
    """One origin ships to one destination: the hub sits at the end of the dearer leg.

    Hub k costs 10 * (chi * c[0, k] + delta * c[k, 2]): with (chi, delta) = (1, 3) the
    hubs 0, 1, 2 cost 180, 100, 60; with (3, 1) they cost 60, 140, 180.
    """
    c = np.array([[0.0, 4.0, 6.0], [4.0, 0.0, 2.0], [6.0, 2.0, 0.0]])
    W = np.zeros((3, 3))
    W[0, 2] = 10.0  # node 0 ships to node 2 only
    cheap_pickup = HubMedian.from_cost_matrix(
        c, flows=W, p=1, alpha=1.0, collection=1.0, distribution=3.0
    ).solve()
    costly_pickup = HubMedian.from_cost_matrix(
        c, flows=W, p=1, alpha=1.0, collection=3.0, distribution=1.0
    ).solve()
    assert list(cheap_pickup.open) == [2] and cheap_pickup.objective == pytest.approx(60.0)
    assert list(costly_pickup.open) == [0] and costly_pickup.objective == pytest.approx(60.0)


@pytest.mark.parametrize("name", ["collection", "distribution"])
@pytest.mark.parametrize("bad", [-1.0, float("nan"), "3"])
def test_bad_factors_are_refused(name, bad):
    c = np.array([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(SpecificationError, match=name):
        HubMedian.from_cost_matrix(c, flows=np.ones((2, 2)), p=1, **{name: bad})
