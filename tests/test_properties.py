"""Property tests across borderhub: location models, scoring, distances and converters.

The per-model brute-force checks live in tests/test_locate.py; here the models are checked
against each other and against closed forms on tiny random instances:

* p-median cost is non-increasing in p, with the closed forms at p = 1 and p = m;
* p-center radius is non-increasing in p, and set cover is its dual: the fewest centres
  covering everything within r is the smallest p whose p-center radius is at most r;
* maximal coverage is non-decreasing in p and in the radius, and covers everything with as
  many centres as set cover needs;
* uncapacitated facility location with a uniform opening cost f equals
  min over p of (p-median cost + f p); with f = 0, every demand point goes to its nearest
  candidate; a capacity that never binds (at least the total demand) changes nothing;
* policy constraints (forbidden, required) never improve an optimum;
* the p-hub median cost is non-increasing in p on metric costs with alpha <= 1;
* costs shifted or scaled shift or scale the optimum accordingly.

Maps: every candidate is drawn, in each of its tiers or, without a tier (an empty cell),
among the other candidates.

Scoring: TOPSIS never lowers a candidate's score when one of its benefit values rises;
weighted sum and VIKOR are invariant to positive affine transforms of a column, TOPSIS to
positive scaling of every column at once; scores follow labels, not row positions; a
candidate whose values lie inside the observed ranges leaves the weighted-sum scores of the
others unchanged. Geo: geodesic distances do not depend on the input CRS and transpose when
origins and destinations swap; the chain WGS84 -> GCJ-02 -> BD-09 -> GCJ-02 -> WGS84
round-trips and the vectorised converters equal the scalar ones.

Bounded run time: small ``max_examples``, no deadline, derandomised.
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from borderhub.geo import (
    bd09_to_gcj02,
    distance_matrix,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    great_circle,
    wgs84_to_gcj02,
)
from borderhub.locate import (
    FacilityLocation,
    HubMedian,
    MaxCoverage,
    PCenter,
    PMedian,
    SetCover,
)
from borderhub.maps import corridor_map
from borderhub.maps._core.web import _layer_summary
from borderhub.scoring import score

FEW = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
SOME = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
TOL = 1e-7


# ----------------------------------------------------------------------------------------
# tiny location instances
# ----------------------------------------------------------------------------------------


@st.composite
def instances(draw, max_n=6, max_m=5, min_m=2):
    """(cost DataFrame n x m with integer entries, weights Series with a positive entry)."""
    n = draw(st.integers(2, max_n))
    m = draw(st.integers(min_m, max_m))
    flat = draw(st.lists(st.integers(0, 20), min_size=n * m, max_size=n * m))
    w = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    if not any(w):
        w[0] = 1
    cost = pd.DataFrame(
        np.array(flat, dtype=float).reshape(n, m),
        index=[f"d{i}" for i in range(n)],
        columns=[f"c{j}" for j in range(m)],
    )
    return cost, pd.Series(np.array(w, dtype=float), index=cost.index)


def _objective(model) -> float:
    sol = model.solve()
    assert sol.status == "optimal", sol.summary()
    return float(sol.objective)


@FEW
@given(instances())
def test_pmedian_cost_non_increasing_in_p_with_closed_forms(inst):
    cost, w = inst
    C, W = cost.to_numpy(), w.to_numpy()
    m = C.shape[1]
    objs = [_objective(PMedian.from_cost_matrix(cost, w, p=p)) for p in range(1, m + 1)]
    assert all(b <= a + TOL for a, b in itertools.pairwise(objs)), objs
    assert objs[0] == pytest.approx(float((W @ C).min()), abs=TOL)  # one centre: best column
    assert objs[-1] == pytest.approx(float(W @ C.min(axis=1)), abs=TOL)  # all open: nearest


@FEW
@given(instances())
def test_pcenter_radius_non_increasing_in_p_and_set_cover_is_its_dual(inst):
    cost, w = inst
    C = cost.to_numpy()[w.to_numpy() > 0]  # p-center and set cover ignore weight-0 points
    m = C.shape[1]
    radii = [_objective(PCenter.from_cost_matrix(cost, w, p=p)) for p in range(1, m + 1)]
    assert all(b <= a + TOL for a, b in itertools.pairwise(radii)), radii
    assert radii[0] == pytest.approx(float(C.max(axis=0).min()), abs=TOL)
    assert radii[-1] == pytest.approx(float(C.min(axis=1).max()), abs=TOL)
    # set cover: the fewest centres within r is the smallest p whose p-center radius <= r
    counts = []
    for r in sorted({float(v) for v in C.ravel() if v >= radii[-1] and v > 0}):
        count = _objective(SetCover.from_cost_matrix(cost, w, radius=r))
        assert count == min(p for p, rad in enumerate(radii, 1) if rad <= r + TOL)
        counts.append(count)
    assert all(b <= a for a, b in itertools.pairwise(counts)), counts


@FEW
@given(instances(), st.integers(1, 20), st.integers(1, 10))
def test_max_coverage_monotone_in_p_and_radius(inst, r, dr):
    cost, w = inst
    m = cost.shape[1]
    C, W = cost.to_numpy(), w.to_numpy()
    cov = {
        (p, rad): _objective(MaxCoverage.from_cost_matrix(cost, w, p=p, radius=float(rad)))
        for p in range(1, m + 1)
        for rad in (r, r + dr)
    }
    for p in range(1, m):
        assert cov[(p, r)] <= cov[(p + 1, r)] + TOL
    for p in range(1, m + 1):
        assert cov[(p, r)] <= cov[(p, r + dr)] + TOL
        assert cov[(p, r)] <= W.sum() + TOL
    # all candidates open: exactly the weight some candidate covers
    assert cov[(m, r)] == pytest.approx(float(W[(C <= r).any(axis=1)].sum()), abs=TOL)
    # with as many centres as set cover needs, everything coverable is covered
    if ((C <= r).any(axis=1) | (W == 0)).all():
        need = int(_objective(SetCover.from_cost_matrix(cost, w, radius=float(r))))
        assert cov[(need, r)] == pytest.approx(float(W.sum()), abs=TOL)


@FEW
@given(instances(), st.integers(0, 30))
def test_facility_location_is_best_pmedian_plus_opening_costs(inst, f):
    cost, w = inst
    m = cost.shape[1]
    C, W = cost.to_numpy(), w.to_numpy()
    sol = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=float(f)).solve()
    assert sol.status == "optimal"
    pmed = [_objective(PMedian.from_cost_matrix(cost, w, p=p)) for p in range(1, m + 1)]
    best = min(obj + f * p for p, obj in enumerate(pmed, 1))
    assert sol.objective == pytest.approx(best, abs=TOL)
    # uncapacitated: every demand point is served by its cheapest open centre
    a = sol.assignment
    open_pos = [cost.columns.get_loc(j) for j in sol.open]
    np.testing.assert_allclose(a["cost"].to_numpy(), C[:, open_pos].min(axis=1))
    if f == 0:
        assert sol.objective == pytest.approx(float(W @ C.min(axis=1)), abs=TOL)


@FEW
@given(instances(), st.integers(0, 30))
def test_capacity_that_never_binds_gives_the_uncapacitated_optimum(inst, f):
    cost, w = inst
    total = float(w.sum())
    free = _objective(FacilityLocation.from_cost_matrix(cost, w, fixed_cost=float(f)))
    for factor, single in itertools.product([1.0, 1e3, 1e300], [True, False]):
        capped = FacilityLocation.from_cost_matrix(
            cost, w, fixed_cost=float(f), capacity=total * factor, single_source=single
        )
        assert _objective(capped) == pytest.approx(free, abs=TOL), (factor, single)


@FEW
@given(instances(min_m=3), st.data())
def test_policy_constraints_never_improve_the_optimum(inst, data):
    cost, w = inst
    m = cost.shape[1]
    j = data.draw(st.sampled_from(list(cost.columns)))
    p = data.draw(st.integers(1, m - 1))
    r = float(data.draw(st.integers(1, 20)))
    minimise = [
        (PMedian, {"p": p}),
        (PCenter, {"p": p}),
        (FacilityLocation, {"fixed_cost": 5.0}),
    ]
    for cls, params in minimise:
        free = _objective(cls.from_cost_matrix(cost, w, **params))
        assert _objective(cls.from_cost_matrix(cost, w, forbidden=[j], **params)) >= free - TOL
        assert _objective(cls.from_cost_matrix(cost, w, required=[j], **params)) >= free - TOL
    free = _objective(MaxCoverage.from_cost_matrix(cost, w, p=p, radius=r))
    for extra in ({"forbidden": [j]}, {"required": [j]}):
        got = _objective(MaxCoverage.from_cost_matrix(cost, w, p=p, radius=r, **extra))
        assert got <= free + TOL


@FEW
@given(st.integers(2, 5), st.data())
def test_hub_median_cost_non_increasing_in_p_on_metric_costs(n, data):
    xy = np.array(data.draw(st.lists(st.integers(0, 15), min_size=2 * n, max_size=2 * n)))
    xy = xy.reshape(n, 2).astype(float)
    c = np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2)  # L1 distances: a metric
    flows = np.array(data.draw(st.lists(st.integers(0, 5), min_size=n * n, max_size=n * n)))
    flows = flows.reshape(n, n).astype(float)
    alpha = data.draw(st.sampled_from([0.0, 0.5, 0.75, 1.0]))
    objs = [
        _objective(HubMedian.from_cost_matrix(c, flows=flows, p=p, alpha=alpha))
        for p in range(1, n + 1)
    ]
    assert all(b <= a + TOL for a, b in itertools.pairwise(objs)), objs
    # every node a hub: each flow pays alpha times the direct distance
    assert objs[-1] == pytest.approx(alpha * float((flows * c).sum()), abs=TOL)


@FEW
@given(instances(), st.integers(1, 9), st.integers(0, 9), st.data())
def test_optimum_follows_shifted_and_scaled_costs(inst, k, a, data):
    cost, w = inst
    p = data.draw(st.integers(1, cost.shape[1]))
    W = w.to_numpy()
    base = _objective(PMedian.from_cost_matrix(cost, w, p=p))
    assert _objective(PMedian.from_cost_matrix(cost * k, w, p=p)) == pytest.approx(k * base)
    shifted = _objective(PMedian.from_cost_matrix(cost + a, w, p=p))
    assert shifted == pytest.approx(base + a * W.sum(), abs=TOL)
    assert _objective(PMedian.from_cost_matrix(cost, w * k, p=p)) == pytest.approx(k * base)
    radius = _objective(PCenter.from_cost_matrix(cost, w, p=p))
    assert _objective(PCenter.from_cost_matrix(cost + a, w, p=p)) == pytest.approx(radius + a)
    assert _objective(PCenter.from_cost_matrix(cost * k, w, p=p)) == pytest.approx(k * radius)


# ----------------------------------------------------------------------------------------
# scoring
# ----------------------------------------------------------------------------------------


@st.composite
def decision(draw, min_rows=2, max_rows=7, max_cols=4):
    """(matrix DataFrame of positive values, {criterion: direction}, {criterion: weight})."""
    n = draw(st.integers(min_rows, max_rows))
    k = draw(st.integers(1, max_cols))
    values = draw(
        st.lists(
            st.floats(0.5, 1000.0, allow_nan=False, allow_infinity=False),
            min_size=n * k,
            max_size=n * k,
        )
    )
    cols = [f"k{j}" for j in range(k)]
    frame = pd.DataFrame(
        np.array(values).reshape(n, k), index=[f"r{i}" for i in range(n)], columns=cols
    )
    dirs = {c: draw(st.sampled_from(["benefit", "cost"])) for c in cols}
    weights = {c: draw(st.floats(0.05, 1.0)) for c in cols}
    return frame, dirs, weights


@SOME
@given(decision(), st.data())
def test_topsis_score_never_falls_when_a_benefit_value_rises(prob, data):
    frame, dirs, weights = prob
    col = data.draw(st.sampled_from(list(frame.columns)))
    dirs = {**dirs, col: "benefit"}
    row = data.draw(st.sampled_from(list(frame.index)))
    bump = data.draw(st.floats(0.0, 2000.0))
    before = score(frame, dirs, weights)["score"]
    raised = frame.copy()
    raised.loc[row, col] += bump
    after = score(raised, dirs, weights)["score"]
    assert after[row] >= before[row] - 1e-12


@SOME
@given(decision(), st.data())
def test_weighted_sum_and_vikor_invariant_to_positive_affine_transforms(prob, data):
    frame, dirs, weights = prob
    col = data.draw(st.sampled_from(list(frame.columns)))
    a = data.draw(st.floats(1e-2, 1e2))
    b = data.draw(st.floats(-1e3, 1e3))
    moved = frame.copy()
    moved[col] = a * moved[col] + b
    for method in ("weighted_sum", "vikor"):
        base = score(frame, dirs, weights, method=method)
        out = score(moved, dirs, weights, method=method)
        np.testing.assert_allclose(out["score"], base["score"], rtol=1e-7, atol=1e-9)


@SOME
@given(decision(), st.data())
def test_topsis_invariant_to_scaling_every_column_at_once(prob, data):
    frame, dirs, weights = prob
    factors = [data.draw(st.floats(1e-3, 1e3)) for _ in frame.columns]
    scaled = frame * np.array(factors)
    np.testing.assert_allclose(
        score(scaled, dirs, weights)["score"],
        score(frame, dirs, weights)["score"],
        rtol=1e-9,
        atol=1e-12,
    )


@SOME
@given(decision(), st.randoms(use_true_random=False))
def test_scores_follow_labels_not_row_positions(prob, rnd):
    frame, dirs, weights = prob
    order = list(frame.index)
    rnd.shuffle(order)
    for method in ("topsis", "weighted_sum", "vikor"):
        base = score(frame, dirs, weights, method=method)
        out = score(frame.loc[order], dirs, weights, method=method)
        assert list(out.index) == order
        pd.testing.assert_frame_equal(out.loc[base.index], base, check_exact=False, rtol=1e-12)


@SOME
@given(decision(min_rows=3), st.data())
def test_weighted_sum_candidate_inside_the_ranges_leaves_the_others_alone(prob, data):
    frame, dirs, weights = prob
    lo, hi = frame.min(), frame.max()
    new = {c: data.draw(st.floats(float(lo[c]), float(hi[c]))) for c in frame.columns}
    grown = pd.concat([frame, pd.DataFrame(new, index=["new"])])
    base = score(frame, dirs, weights, method="weighted_sum")
    out = score(grown, dirs, weights, method="weighted_sum")
    np.testing.assert_allclose(out.loc[frame.index, "score"], base["score"], rtol=1e-12)
    before, after = base["score"].to_numpy(), out.loc[frame.index, "score"].to_numpy()
    ahead = before[:, None] > before[None, :] + 1e-9  # i clearly ahead of j before
    assert (after[:, None] > after[None, :])[ahead].all()  # ... and still ahead


def test_weighted_sum_a_dominated_candidate_outside_the_ranges_can_reorder_the_others():
    """Why the property above asks for values inside the ranges: min-max rescaling.

    A candidate dominated by A but with a new minimum on criterion k0 stretches that
    criterion's range, which shrinks its normalised spread and hands the lead from A to B.
    """
    frame = pd.DataFrame({"k0": [1.0, 0.0], "k1": [0.0, 0.9]}, index=["A", "B"])
    frame.loc["C"] = [0.5, 1.0]
    dirs = {"k0": "benefit", "k1": "benefit"}
    base = score(frame, dirs, method="weighted_sum")
    assert base.loc["A", "score"] > base.loc["B", "score"]
    frame.loc["D"] = [-1.0, 0.0]  # dominated by A
    out = score(frame, dirs, method="weighted_sum")
    assert out.loc["A", "score"] < out.loc["B", "score"]


# ----------------------------------------------------------------------------------------
# distances and converters
# ----------------------------------------------------------------------------------------

china = st.tuples(st.floats(74.0, 134.0), st.floats(19.0, 53.0))
anywhere = st.tuples(st.floats(-179.0, 179.0), st.floats(-80.0, 80.0))


def _gdf(pts, prefix):
    lon, lat = zip(*pts, strict=True)
    return gpd.GeoDataFrame(
        index=[f"{prefix}{i}" for i in range(len(pts))],
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


@SOME
@given(st.lists(china, min_size=1, max_size=5), st.lists(china, min_size=1, max_size=5))
def test_geodesic_distances_ignore_the_input_crs_and_transpose(a, b):
    ga, gb = _gdf(a, "a"), _gdf(b, "b")
    d = distance_matrix(ga, gb)
    assert list(d.index) == list(ga.index) and list(d.columns) == list(gb.index)
    for crs in ("EPSG:3857", "EPSG:32650"):
        other = distance_matrix(ga.to_crs(crs), gb.to_crs(crs))
        np.testing.assert_allclose(other.to_numpy(), d.to_numpy(), rtol=0, atol=1e-6)
    np.testing.assert_allclose(distance_matrix(gb, ga).to_numpy(), d.to_numpy().T, atol=1e-9)
    plain = distance_matrix(np.array(a), np.array(b))
    np.testing.assert_allclose(plain.to_numpy(), d.to_numpy(), rtol=0, atol=1e-9)


@SOME
@given(st.lists(st.one_of(china, anywhere), min_size=1, max_size=8))
def test_converter_chain_round_trips_and_vectorised_equals_scalar(pts):
    lon = np.array([p[0] for p in pts])
    lat = np.array([p[1] for p in pts])
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_bd09(glon, glat)
    g2lon, g2lat = bd09_to_gcj02(blon, blat)
    wlon, wlat = gcj02_to_wgs84(g2lon, g2lat)
    np.testing.assert_allclose(wlon, lon, rtol=0, atol=1e-7)
    np.testing.assert_allclose(wlat, lat, rtol=0, atol=1e-7)
    for k in range(len(pts)):
        assert wgs84_to_gcj02(float(lon[k]), float(lat[k])) == (glon[k], glat[k])
        assert gcj02_to_bd09(float(glon[k]), float(glat[k])) == (blon[k], blat[k])


edge_lon = st.one_of(st.sampled_from([-180.0, 180.0, 0.0, 179.9, -179.9]), st.floats(-180, 180))
endpoint = st.tuples(edge_lon, st.floats(-89.0, 89.0))


@SOME
@given(endpoint, endpoint, st.integers(2, 40))
def test_great_circle_pieces_are_finite_drawable_and_keep_the_ends(a, b, n):
    pieces = great_circle(a, b, n=n)
    if abs(a[0]) != 180.0 and abs(b[0]) != 180.0:
        assert 1 <= len(pieces) <= 2  # a geodesic crosses the antimeridian at most once
    for piece in pieces:
        assert piece.ndim == 2 and piece.shape[1] == 2 and len(piece) >= 2
        assert np.isfinite(piece).all()
        assert (np.abs(piece[:, 0]) <= 180.0).all() and (np.abs(piece[:, 1]) <= 90.0).all()
        assert (np.abs(np.diff(piece[:, 0])) <= 180.0).all()  # no line across the world
    assert tuple(pieces[0][0]) == pytest.approx(a)
    assert tuple(pieces[-1][-1]) == pytest.approx(b)
    assert sum(len(p) for p in pieces) == n + 2 * (len(pieces) - 1)


@SOME
@given(st.lists(anywhere, min_size=1, max_size=8))
def test_gcj02_is_the_identity_outside_china(pts):
    lon = np.array([p[0] for p in pts])
    lat = np.array([p[1] for p in pts])
    outside = (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)
    assume(outside.any())
    glon, glat = wgs84_to_gcj02(lon, lat)
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    for arr, orig in ((glon, lon), (glat, lat), (wlon, lon), (wlat, lat)):
        np.testing.assert_array_equal(arr[outside], orig[outside])


# ----------------------------------------------------------------------------------------
# maps
# ----------------------------------------------------------------------------------------

TIER_CELLS = ["", None, np.nan, "CORE", "RAIL", "CORE;RAIL", "port", "ENCOURAGED;LONG_TERM"]


@SOME
@given(st.lists(st.sampled_from(range(len(TIER_CELLS))), min_size=1, max_size=8))
def test_every_candidate_is_drawn_whatever_its_tiers(cells):
    n = len(cells)
    tiers = [TIER_CELLS[k] for k in cells]
    cand = gpd.GeoDataFrame(
        {"name": [f"place {k}" for k in range(n)], "tiers": np.array(tiers, dtype=object)},
        index=[f"{110000 + k * 100}" for k in range(n)],
        geometry=gpd.points_from_xy(np.linspace(100, 120, n), np.linspace(25, 40, n)),
        crs="EPSG:4326",
    )
    no_corridors = pd.DataFrame(columns=["name", "mode", "origin", "partners"])
    layers = _layer_summary(
        corridor_map(cand, partners=cand.iloc[:0], corridors=no_corridors, lang="en")
    )
    untiered = sum(1 for t in tiers if not isinstance(t, str) or not t)
    assert layers.get("Other candidates (not in Column 4)", (0, 0, True))[0] == untiered
    memberships = sum(len(t.split(";")) for t in tiers if isinstance(t, str) and t)
    tier_markers = sum(v[0] for k, v in layers.items() if k.startswith("Column 4"))
    assert tier_markers == memberships
