"""Models from coordinates: nearest lists grown from a KD-tree agree with the dense path."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from borderhub import distance_matrix
from borderhub.exceptions import DataError, SpecificationError
from borderhub.io import check_memory, estimate_memory
from borderhub.locate import FacilityLocation, PMedian
from borderhub.locate._core import Lists, PointSource


def planar(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, 2)) * 100, rng.random((m, 2)) * 100, rng.integers(1, 9, n) * 1.0


def dense(d: np.ndarray, c: np.ndarray, metric: str) -> np.ndarray:
    D = np.hypot(d[:, None, 0] - c[None, :, 0], d[:, None, 1] - c[None, :, 1])
    return np.floor(D) if metric == "euclidean_floor" else D


def lonlat(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(75, 130, n), rng.uniform(20, 48, n)])


@pytest.mark.parametrize("metric", ["euclidean", "euclidean_floor", "geodesic"])
def test_lists_are_complete_sorted_prefixes(metric):
    """Every row: sorted, exact costs, and no candidate cheaper than its last entry missing."""
    if metric == "geodesic":
        d, c = lonlat(60, 1), lonlat(200, 2)
        D = distance_matrix(d, c).to_numpy()
    else:
        d, c, _ = planar(60, 200, 3)
        D = dense(d, c, metric)
    lists = Lists.from_points(PointSource(d, c, metric))
    for rounds in range(4):
        for i in range(lists.n):
            a, b = lists.indptr[i], lists.indptr[i + 1]
            idx, dist = lists.idx[a:b], lists.dist[a:b]
            assert b > a and np.all(np.diff(dist) >= 0)
            np.testing.assert_allclose(dist, D[i, idx], rtol=1e-9)
            cheaper = np.flatnonzero(D[i] < dist[-1] * (1 - 1e-9))
            assert set(cheaper) <= set(idx.tolist())
            if lists.complete[i]:
                assert b - a == 200
        lists.grow(np.arange(0, lists.n, 1 + rounds))
    assert lists.complete.any()


@pytest.mark.parametrize("metric", ["euclidean", "euclidean_floor"])
@pytest.mark.parametrize("p", [1, 2, 5, 17])
def test_pmedian_from_points_equals_the_dense_path(metric, p):
    d, c, w = planar(250, 90, p)
    D = dense(d, c, metric)
    a = PMedian.from_points(d, c, w, p=p, metric=metric).solve()
    b = PMedian.from_cost_matrix(D, w, p=p, method="benders").solve()
    assert a.status == b.status == "optimal"
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    opened = np.asarray(a.open, dtype=int)
    assert len(opened) == p
    assert float(w @ D[:, opened].min(axis=1)) == pytest.approx(a.objective, rel=1e-12)
    np.testing.assert_allclose(a.assignment["cost"], D[:, opened].min(axis=1))


def test_pmedian_from_points_equals_brute_force():
    d, c, w = planar(40, 9, 7)
    D = dense(d, c, "euclidean_floor")
    for p in (2, 3, 4):
        best = min(
            float(w @ D[:, list(s)].min(axis=1)) for s in itertools.combinations(range(9), p)
        )
        sol = PMedian.from_points(d, c, w, p=p, metric="euclidean_floor").solve()
        assert sol.status == "optimal" and sol.objective == best


def test_geodesic_from_points_equals_from_geodataframe():
    d, c = lonlat(300, 4), lonlat(70, 5)
    w = np.random.default_rng(6).integers(0, 5, 300).astype(float)  # some weights are 0
    gd = gpd.GeoDataFrame({"w": w}, geometry=gpd.points_from_xy(d[:, 0], d[:, 1]), crs=4326)
    gc = gpd.GeoDataFrame(geometry=gpd.points_from_xy(c[:, 0], c[:, 1]), crs=4326)
    gc.index = [f"c{j}" for j in range(70)]
    for p in (3, 12):
        a = PMedian.from_points(gd, gc, "w", p=p).solve()
        b = PMedian.from_geodataframe(gd, gc, weight="w", p=p, method="benders").solve()
        assert a.status == b.status == "optimal"
        assert a.objective == pytest.approx(b.objective, rel=1e-9)
        assert list(a.assignment.index) == list(gd.index)
        assert a.assignment["facility"].isin(a.open).all()
    model = PMedian.from_points(gd, gc, "w", p=5)
    assert model.objective_of(list(gc.index[:5])) == pytest.approx(
        PMedian.from_geodataframe(gd, gc, weight="w", p=5).objective_of(list(gc.index[:5]))
    )


def test_policy_and_fixed_charge_from_points():
    d, c, w = planar(200, 60, 11)
    D = dense(d, c, "euclidean")
    groups = pd.Series(np.arange(60) % 3)
    policy = {"required": [4], "forbidden": [0, 1, 2], "groups": groups, "max_per_group": 3}
    a = PMedian.from_points(d, c, w, p=7, metric="euclidean", **policy).solve()
    b = PMedian.from_cost_matrix(D, w, p=7, method="radius", **policy).solve()
    assert a.status == b.status == "optimal"
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    for fixed in (30.0, 400.0):
        a = FacilityLocation.from_points(d, c, w, fixed_cost=fixed, metric="euclidean").solve()
        b = FacilityLocation.from_cost_matrix(D, w, fixed_cost=fixed, method="radius").solve()
        assert a.status == b.status == "optimal"
        assert a.objective == pytest.approx(b.objective, rel=1e-9)


def test_from_points_never_forms_the_dense_matrix():
    d, c, w = planar(100, 40, 2)
    model = PMedian.from_points(d, c, w, p=4, metric="euclidean")
    with pytest.raises(SpecificationError, match="holds no cost matrix"):
        model.cost.to_numpy()
    est = model.size_estimate()
    assert est["pairs"] == 100 * 40 and est["bytes"] == estimate_memory(100, 40, pairs=4000)
    big = PMedian.from_points(*planar(2000, 1000, 1)[:2], p=500, metric="euclidean")
    assert big.size_estimate()["pairs"] == 2000 * 32 < 2000 * 1000
    assert model.solve().status == "optimal"


def test_size_check_and_bad_input():
    with pytest.raises(SpecificationError, match="nearest pairs"):
        check_memory(10**6, 10**5, pairs=10**9, available=2**30)
    d, c, _ = planar(10, 5, 0)
    with pytest.raises(SpecificationError, match="metric must be one of"):
        PMedian.from_points(d, c, p=2, metric="manhattan")
    with pytest.raises(DataError, match="shape"):
        PMedian.from_points(d[:, :1], c, p=2, metric="euclidean")
    bad = d.copy()
    bad[3, 0] = np.nan
    with pytest.raises(DataError, match="missing or infinite"):
        PMedian.from_points(bad, c, p=2, metric="euclidean")
    with pytest.raises(DataError, match="outside lon"):
        PMedian.from_points(d * 10, c, p=2)
    with pytest.raises(SpecificationError, match="gateway_cost"):
        PMedian.from_points(d, c, p=2, metric="euclidean", gateway_cost=np.ones(5))
    with pytest.raises(SpecificationError, match="radius"):
        PMedian.from_points(d, c, p=2, metric="euclidean", method="radius").solve()
    with pytest.raises(SpecificationError, match="HiGHS"):
        PMedian.from_points(d, c, p=2, metric="euclidean").solve(solver="cbc")
    with pytest.raises(SpecificationError, match="capacity"):
        FacilityLocation.from_points(d, c, fixed_cost=1.0, capacity=5.0, metric="euclidean")


@pytest.mark.parametrize("batch_from", [2, 10_000])
def test_list_local_search_improves_and_reports_the_true_cost(monkeypatch, batch_from):
    """One move at a time or many independent ones: never worse, and its cost is exact."""
    from borderhub.locate._core import Policy, local, serve_cost, swap_lists

    monkeypatch.setattr(local, "BATCH_FROM", batch_from)
    d, c, w = planar(400, 150, 9)
    D = dense(d, c, "euclidean_floor")
    lists = Lists.from_points(PointSource(d, c, "euclidean_floor"))
    before = (len(lists.idx), lists.k.copy())
    model = PMedian.from_cost_matrix(D, w, p=30)
    model._prepare()
    pol = Policy(model, np.arange(150))
    start = np.arange(0, 150, 5)
    got = swap_lists(lists, w, start, pol, None, 5.0)
    assert len(np.unique(got)) == 30
    assert serve_cost(D, w, got) <= serve_cost(D, w, start)
    assert lists.serve_cost(w, got, None) == serve_cost(D, w, got)
    assert len(lists.idx) == before[0] and np.array_equal(lists.k, before[1])  # not grown
