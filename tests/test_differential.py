"""Differential tests: every model and method against independent answers.

Each random instance is solved by borderhub and by the oracles of ``tests/_oracle.py``
(brute force over the opening sets, and a dense textbook MILP), which share no code with
borderhub. Every solution is held to the same invariants:

* the status is honest: ``optimal`` only at the optimum (within ``OPTIMAL_GAP``), an
  infeasible instance is never answered with a solution, and a run without any limit ends
  ``optimal``;
* the open set meets every rule (``p``, required, forbidden, group minimums and maximums,
  capacities, single sourcing) and the objective recomputed from the returned assignment
  equals the reported one;
* ``bound <= optimum <= objective`` (the other way round when maximising).

The grid covers every model x method x policy option (required, forbidden, groups with a
minimum and a maximum, capacities, single source, unreachable pairs, gap, node and time
limits). Small instances run by default; a larger sweep is marked ``slow``. The wrong
answers these checks once caught are regression cases at the top.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import _oracle
import numpy as np
import pandas as pd
import pulp
import pytest
from _oracle import Instance, brute_force, dense_milp
from hypothesis import given, settings
from hypothesis import strategies as st

from borderhub.exceptions import BorderhubError, DataError
from borderhub.locate import (
    CrossBorderMedian,
    FacilityLocation,
    HubMedian,
    MaxCoverage,
    PCenter,
    PMedian,
    SetCover,
)
from borderhub.locate.solution import OPTIMAL_GAP

#: Objective agreement between borderhub and the oracles (relative).
TOL = 1e-6


# ----------------------------------------------------------------------------------------
# borderhub models of an instance
# ----------------------------------------------------------------------------------------


def _labels(inst: Instance) -> tuple[list[str], list[str]]:
    if inst.kind == "hub":
        nodes = [f"n{i}" for i in range(inst.C.shape[0])]
        return nodes, nodes
    return [f"d{i}" for i in range(inst.C.shape[0])], [f"c{j}" for j in range(inst.m)]


def _policy(inst: Instance) -> dict:
    _, cand = _labels(inst)
    out: dict = {}
    if inst.required:
        out["required"] = [cand[j] for j in inst.required]
    if inst.forbidden:
        out["forbidden"] = [cand[j] for j in inst.forbidden]
    if inst.groups:
        out["groups"] = pd.Series({cand[j]: g for j, g in inst.groups.items()})
        if inst.min_per_group:
            out["min_per_group"] = dict(inst.min_per_group)
        if inst.max_per_group:
            out["max_per_group"] = dict(inst.max_per_group)
    return out


def model_of(inst: Instance, method: str | None = None):
    """The borderhub model of ``inst`` (``method`` where the model has several)."""
    dem, cand = _labels(inst)
    cost = pd.DataFrame(inst.C, index=dem, columns=cand)
    w = None if inst.w is None else pd.Series(inst.w, index=dem)
    pol = _policy(inst)
    meth = {} if method is None else {"method": method}
    if inst.kind == "pmedian":
        return PMedian.from_cost_matrix(cost, w, p=inst.p, **meth, **pol)
    if inst.kind == "facility":
        if inst.capacity is None:
            return FacilityLocation.from_cost_matrix(cost, w, fixed_cost=inst.fixed, **meth, **pol)
        return FacilityLocation.from_cost_matrix(
            cost, w, fixed_cost=inst.fixed, capacity=inst.capacity,
            single_source=inst.single_source, **pol,
        )  # fmt: skip
    if inst.kind == "hub":
        flows = pd.DataFrame(inst.W, index=dem, columns=dem)
        return HubMedian.from_cost_matrix(
            cost, flows=flows, p=inst.p, alpha=inst.alpha, collection=inst.chi,
            distribution=inst.delta, **meth, **pol,
        )  # fmt: skip
    if inst.kind == "crossborder":
        partners = [f"K{k}" for k in range(inst.F.shape[1])]
        intl = pd.DataFrame(inst.G, index=cand, columns=partners)
        flows = pd.DataFrame(inst.F, index=dem, columns=partners)
        extra = {"p": inst.p} if inst.p is not None else {"fixed_cost": pd.Series(inst.fixed, cand)}
        if inst.w is not None:
            extra["domestic_demand"] = pd.Series(inst.w, index=dem)
        return CrossBorderMedian.from_cost_matrices(cost, intl, flows, **extra, **pol)
    if inst.kind == "pcenter":
        return PCenter.from_cost_matrix(cost, w, p=inst.p, **pol)
    if inst.kind == "maxcover":
        return MaxCoverage.from_cost_matrix(cost, w, p=inst.p, radius=inst.radius, **pol)
    if inst.kind == "setcover":
        return SetCover.from_cost_matrix(cost, w, radius=inst.radius, fixed_cost=inst.fixed, **pol)
    raise ValueError(inst.kind)


def solve(inst: Instance, method: str | None = None, **kwargs):
    """borderhub's solution, or the borderhub error raised before solving."""
    try:
        return model_of(inst, method).solve(**kwargs)
    except BorderhubError as err:
        return err


# ----------------------------------------------------------------------------------------
# the invariants
# ----------------------------------------------------------------------------------------


def recomputed(inst: Instance, sol) -> float:
    """The objective of the returned assignment, computed from the instance's data."""
    dem, cand = _labels(inst)
    pos = {lab: j for j, lab in enumerate(cand)}
    row = {lab: i for i, lab in enumerate(dem)}
    S = sorted(pos[x] for x in sol.open)
    a = sol.assignment
    w = inst.weights()
    if inst.kind in ("pmedian", "facility"):
        fac = a["facility"].map(pos).to_numpy()
        rows = np.array([row[x] for x in a.index])
        assert set(fac) <= set(S), "a demand point is served by a closed centre"
        share = np.zeros((len(dem), inst.m))
        np.add.at(share, (rows, fac), a["weight"].to_numpy(dtype=float))
        served = share.sum(axis=1)
        np.testing.assert_allclose(served, w, rtol=1e-7, atol=1e-9 * w.max())
        if inst.capacity is not None:
            assert np.all(share.sum(axis=0) <= inst.capacity * (1 + 1e-7)), "capacity"
            if inst.single_source:
                assert np.all((share > 0).sum(axis=1) <= 1), "a demand point split"
        value = float((share * inst.C).sum())
        if inst.fixed is not None:
            value += float(inst.fixed[S].sum())
        if inst.capacity is None:  # every point at its cheapest open centre
            assert value <= inst.value(tuple(S)) * (1 + TOL)
        return value
    if inst.kind == "hub":
        alloc = a["facility"].map(pos).reindex(dem).to_numpy()
        assert set(alloc) == set(S), "every hub serves itself and only hubs serve"
        assert all(alloc[k] == k for k in S)
        return _oracle.hub_cost(inst, alloc)
    return inst.value(tuple(S))


def check(inst: Instance, sol, opt: float | None, limited: bool = False) -> None:
    """Hold a solution (or the error raised instead) to the invariants."""
    if isinstance(sol, BorderhubError):
        assert opt is None, f"a feasible instance (optimum {opt}) was refused: {sol}"
        return
    if opt is None:
        # never a solution; under a limit the solver may stop before it proves infeasibility
        honest = ("infeasible", "not_solved") if limited else ("infeasible",)
        assert sol.status in honest, f"infeasible instance answered {sol.status}"
        assert len(sol.open) == 0 and math.isnan(sol.objective)
        return
    assert sol.status != "infeasible", "a feasible instance reported infeasible"
    if not limited:
        assert sol.status == "optimal", f"no limit set, yet {sol.status}"
    else:
        assert sol.status in ("optimal", "feasible", "not_solved"), sol.status
    sign = -1.0 if inst.maximise else 1.0
    tol = TOL * abs(opt)  # relative: the units of the data must not matter
    if not math.isnan(sol.bound):  # bound <= optimum (minimising)
        assert sign * sol.bound <= sign * opt + tol, f"bound {sol.bound} beyond optimum {opt}"
    if sol.status == "not_solved":
        assert len(sol.open) == 0
        return
    _, cand = _labels(inst)
    S = tuple(sorted(cand.index(x) for x in sol.open))
    assert inst.set_ok(S), f"open set {S} breaks a rule"
    value = recomputed(inst, sol)
    assert value == pytest.approx(sol.objective, rel=TOL, abs=tol), "objective not recomputed"
    assert sign * sol.objective >= sign * opt - tol, f"objective {sol.objective} beats {opt}"
    if sol.status == "optimal":
        assert abs(sol.objective - opt) <= OPTIMAL_GAP * abs(opt) + tol, (
            f"optimal {sol.objective}, but the optimum is {opt}"
        )
        assert not math.isnan(sol.bound)


def _unit(inst: Instance) -> float:
    """The size of one objective term: largest cost times largest weight."""
    w = inst.W if inst.W is not None else inst.weights()
    return float(np.nanmax(inst.C)) * float(np.max(w, initial=1.0))


def optimum(inst: Instance, dense: bool = True) -> float | None:
    """The optimum by brute force, checked against the dense MILP where it applies."""
    opt, _ = brute_force(inst)
    if dense and inst.kind in ("pmedian", "facility", "hub"):
        other = dense_milp(inst)
        if opt is None:
            assert other is None
        else:
            agree = other == pytest.approx(opt, rel=1e-6, abs=1e-9 * _unit(inst))
            assert agree, "the oracles disagree"
    return opt


# ----------------------------------------------------------------------------------------
# regression cases: wrong answers the invariants caught
# ----------------------------------------------------------------------------------------


def test_capacitated_split_demand_keeps_the_group_maximum():
    """The kick move of the capacitated search once opened a second centre of a group
    with a maximum of one and called it optimal (20.0; the optimum is 190.0, open [2])."""
    sol = FacilityLocation.from_cost_matrix(
        np.array([[30.0, 0.0, 30.0]]), [6.0], fixed_cost=[10.0, 10.0, 10.0], capacity=100.0,
        single_source=False, required=[2], groups=pd.Series({1: "g", 2: "g"}),
        max_per_group=1,
    ).solve()  # fmt: skip
    assert sol.status == "optimal" and list(sol.open) == [2]
    assert sol.objective == pytest.approx(190.0) and sol.bound == pytest.approx(190.0)


def _gap_case(model, opt: float, gap: float) -> None:
    sol = model.solve(mip_gap=gap)
    assert sol.bound <= opt * (1 + 1e-9), "the bound of a gap-limited run is above the optimum"
    assert sol.objective >= opt * (1 - 1e-9)
    if sol.objective > opt * (1 + OPTIMAL_GAP):
        assert sol.status == "feasible"
    assert sol.gap == pytest.approx((sol.objective - sol.bound) / sol.objective)


def test_benders_gap_keeps_the_bounds_of_pruned_nodes_pmedian():
    """With ``mip_gap`` the branch and cut once dropped the nodes pruned within the gap
    and reported the incumbent (760.71) as optimal with it as the bound (optimum 752.18)."""
    rng = np.random.default_rng(17)
    C = rng.random((60, 25)) * 100
    C[rng.random((60, 25)) < 0.1] *= 20
    p = int(rng.integers(2, 7))
    opt = PMedian.from_cost_matrix(C, p=p, method="radius").solve()
    assert opt.status == "optimal"
    _gap_case(PMedian.from_cost_matrix(C, p=p, method="benders"), opt.objective, 0.2)


def test_benders_gap_keeps_the_bounds_of_pruned_nodes_facility_location():
    """The same for the uncapacitated fixed-charge model (5700.76 "optimal"; 5637.11)."""
    rng = np.random.default_rng(8)
    C = rng.random((100, 40)) * 100
    w = rng.integers(1, 10, 100).astype(float)
    f = rng.random(40) * 300 + 100
    opt = FacilityLocation.from_cost_matrix(C, w, fixed_cost=f, method="radius").solve()
    assert opt.status == "optimal"
    model = FacilityLocation.from_cost_matrix(C, w, fixed_cost=f, method="benders")
    _gap_case(model, opt.objective, 0.05)


def _hub_diagonal(seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    xy = rng.random((4, 2)) * 10
    c = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    c[np.diag_indices(4)] = rng.random(4) * 5
    return Instance("hub", c, p=2, W=rng.random((4, 4)) * 3)


@pytest.mark.parametrize("method", ["flow", "enumerate"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hub_median_prices_the_cost_diagonal(method, seed):
    """Flow between two nodes on one hub pays alpha * c[k, k]: the flow model once left it
    out (a wrong optimum, bound below it) and the enumeration proved nothing."""
    inst = _hub_diagonal(seed)
    opt = optimum(inst)
    check(inst, solve(inst, method), opt)


@pytest.mark.parametrize("seed", [3, 7, 9])
def test_single_source_start_survives_a_tiny_time_limit(seed):
    """Tight single-source capacities on which the first greedy assignment fails: a run
    with a 1 ms limit once ended ``not_solved``; the start now grows the opening set."""
    rng = np.random.default_rng(seed)
    C = rng.integers(1, 40, (8, 5)).astype(float)
    w = rng.integers(2, 7, 8).astype(float)
    cap = np.maximum(np.full(5, float(np.ceil(w.sum() / 3))), w.max())
    inst = Instance("facility", C, w=w, fixed=rng.random(5) * 10 + 1, capacity=cap)
    sol = solve(inst, time_limit=1e-3)
    assert sol.status in ("optimal", "feasible")
    check(inst, sol, dense_milp(inst), limited=True)


# ----------------------------------------------------------------------------------------
# instance generators
# ----------------------------------------------------------------------------------------

#: Policy options of the grid.
OPTIONS = ("plain", "required", "forbidden", "group_min", "group_max", "group_minmax")


def _costs(rng: np.random.Generator, n: int, m: int, unreachable: bool = True) -> np.ndarray:
    """Euclidean or random integer costs (ties), some pairs marked unreachable (huge)."""
    if rng.random() < 0.5:
        a, b = rng.random((n, 2)) * 100, rng.random((m, 2)) * 100
        C = np.hypot(*(a[:, None, :] - b[None, :, :]).transpose(2, 0, 1))
    else:
        C = rng.integers(1, 40, (n, m)).astype(float)
    if unreachable and rng.random() < 0.3:
        C[rng.random((n, m)) < 0.15] = 1e5  # "a large finite cost marks a pair to avoid"
    return C


def _apply(inst: Instance, option: str, rng: np.random.Generator) -> Instance:
    """Add the policy ``option`` to ``inst`` (positions drawn at random)."""
    m = inst.m
    perm = [int(j) for j in rng.permutation(m)]
    p = inst.p or 2
    if option == "required":
        inst.required = perm[: max(1, p - 1)]
    elif option == "forbidden":
        inst.forbidden = perm[: max(1, m - p - 1)] if m - p - 1 > 0 else perm[:1]
    elif option.startswith("group"):
        half = m // 2
        inst.groups = {j: ("a" if t < half else "b") for t, j in enumerate(perm[: m - 1])}
        if option in ("group_min", "group_minmax"):
            inst.min_per_group = {"b": 1}
        if option in ("group_max", "group_minmax"):
            inst.max_per_group = {"a": 1}
        if option == "group_minmax" and rng.random() < 0.5:
            inst.required = [perm[0]]  # a required centre in a group with a maximum
    return inst


def pmedian(rng: np.random.Generator, option: str, n: int = 8, m: int = 6) -> Instance:
    p = int(rng.integers(1, min(4, m - 1) + 1))
    w = rng.integers(0, 6, n).astype(float)
    w[0] = max(w[0], 1.0)
    return _apply(Instance("pmedian", _costs(rng, n, m), w=w, p=p), option, rng)


def facility(rng: np.random.Generator, option: str, n: int = 8, m: int = 6,
             capacity: bool = False, single: bool = True) -> Instance:  # fmt: skip
    w = rng.integers(1, 6, n).astype(float)
    inst = Instance("facility", _costs(rng, n, m), w=w, fixed=rng.random(m) * 80 + 5)
    if capacity:
        inst.capacity = np.maximum(rng.integers(4, 16, m).astype(float), w.max())
        inst.single_source = single
    return _apply(inst, option, rng)


def hub(rng: np.random.Generator, option: str, n: int = 5, diagonal: bool = False) -> Instance:
    xy = rng.random((n, 2)) * 10
    c = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    if diagonal:
        c[np.diag_indices(n)] = rng.random(n) * 3
    W = rng.integers(0, 5, (n, n)).astype(float)
    inst = Instance("hub", c, p=int(rng.integers(1, 3) + 1), W=W,
                    alpha=float(rng.choice([0.2, 0.75, 1.0])), chi=float(rng.choice([1.0, 3.0])),
                    delta=float(rng.choice([1.0, 2.0])))  # fmt: skip
    return _apply(inst, option, rng)


def crossborder(
    rng: np.random.Generator, option: str, fixed: bool = False, air: bool = False
) -> Instance:
    """``air``: every centre reaches every partner at about the same cost (an air gateway
    at each), so the truncated level model undercharges and the Benders method takes over."""
    n, m, k = (8, 7, 4) if air else (5, 5, 3)
    G = 20 + rng.random((m, k)) * 2 if air else rng.random((m, k)) * 30
    if not air:
        G[rng.random((m, k)) < 0.35] = np.nan  # no gateway of j reaches k
    for col in range(k):  # every partner reachable from some allowed centre
        G[rng.integers(0, m), col] = rng.random() * 30
    inst = Instance("crossborder", _costs(rng, n, m, unreachable=False), G=G,
                    F=rng.integers(0, 4, (n, k)).astype(float))  # fmt: skip
    if fixed:
        inst.fixed = rng.random(m) * 40
    else:
        inst.p = int(rng.integers(1, 4))
    if rng.random() < 0.3:
        inst.w = rng.integers(0, 3, n).astype(float)
    return _apply(inst, option, rng)


def coverage(rng: np.random.Generator, kind: str, option: str) -> Instance:
    n, m = 8, 6
    C = _costs(rng, n, m, unreachable=False)
    inst = Instance(kind, C, w=rng.integers(1, 5, n).astype(float))
    if kind != "setcover":
        inst.p = int(rng.integers(1, 4))
    if kind != "pcenter":
        inst.radius = float(np.quantile(C, 0.3))
    if kind == "setcover":
        inst.radius = float(C.min(axis=1).max())  # every point coverable
        inst.fixed = rng.integers(1, 5, m).astype(float) if rng.random() < 0.5 else None
    return _apply(inst, option, rng)


# ----------------------------------------------------------------------------------------
# the default grid (small instances)
# ----------------------------------------------------------------------------------------

#: (name, generator, method) of every model and method.
CASES = [
    ("pmedian-benders", pmedian, "benders"),
    ("pmedian-radius", pmedian, "radius"),
    ("pmedian-auto", pmedian, "auto"),
    ("facility-benders", facility, "benders"),
    ("facility-radius", facility, "radius"),
    ("capacitated-single", lambda r, o, **k: facility(r, o, 6, 5, capacity=True), None),
    ("capacitated-split", lambda r, o, **k: facility(r, o, 6, 5, capacity=True, single=False),
     None),
    ("hub-enumerate", hub, "enumerate"),
    ("hub-flow", hub, "flow"),
    ("hub-diagonal-enumerate", lambda r, o, **k: hub(r, o, diagonal=True, **k), "enumerate"),
    ("hub-diagonal-flow", lambda r, o, **k: hub(r, o, diagonal=True, **k), "flow"),
    ("crossborder-p", crossborder, None),
    ("crossborder-fixed", lambda r, o, **k: crossborder(r, o, fixed=True), None),
    ("crossborder-air", lambda r, o, **k: crossborder(r, o, air=True), None),
    ("pcenter", lambda r, o, **k: coverage(r, "pcenter", o), None),
    ("maxcover", lambda r, o, **k: coverage(r, "maxcover", o), None),
    ("setcover", lambda r, o, **k: coverage(r, "setcover", o), None),
]  # fmt: skip

#: Limits: solve keyword arguments (a run with one may end ``feasible``).
LIMITS = {
    "gap": {"mip_gap": 0.3},
    "nodes": {"solver": pulp.HiGHS(mip_max_nodes=1, presolve="off", mip_heuristic_effort=0.0)},
    "time": {"time_limit": 1e-3},
}


def _seed(*parts: object) -> int:
    return int.from_bytes("/".join(map(str, parts)).encode()[-8:], "little") % 2**32


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize(("name", "make", "method"), CASES, ids=[c[0] for c in CASES])
def test_every_model_and_policy_against_the_oracles(name, make, method, option):
    inst = make(np.random.default_rng(_seed(name, option)), option)
    check(inst, solve(inst, method), optimum(inst))


#: The Benders cases finished by HiGHS's MIP on the master from the first node on.
MIP_CASES = [("pmedian-benders-mip", pmedian), ("facility-benders-mip", facility)]


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize(("name", "make"), MIP_CASES, ids=[c[0] for c in MIP_CASES])
def test_benders_finished_by_the_master_mip_against_the_oracles(monkeypatch, name, make, option):
    from borderhub.locate import _master_mip

    monkeypatch.setattr(_master_mip, "TREE_NODES", 0)
    inst = make(np.random.default_rng(_seed(name, option)), option)
    check(inst, solve(inst, "benders"), optimum(inst))


@pytest.mark.parametrize("limit", ["gap", "time"])
@pytest.mark.parametrize(("name", "make"), MIP_CASES, ids=[c[0] for c in MIP_CASES])
def test_benders_finished_by_the_master_mip_keeps_the_invariants_when_limited(
    monkeypatch, name, make, limit
):
    from borderhub.locate import _master_mip

    monkeypatch.setattr(_master_mip, "TREE_NODES", 0)
    rng = np.random.default_rng(_seed(name, limit))
    inst = make(rng, "group_minmax" if rng.random() < 0.5 else "plain")
    check(inst, solve(inst, "benders", **LIMITS[limit]), optimum(inst, dense=False), limited=True)


@pytest.mark.parametrize("limit", sorted(LIMITS))
@pytest.mark.parametrize(("name", "make", "method"), CASES, ids=[c[0] for c in CASES])
def test_limited_runs_keep_the_invariants(name, make, method, limit):
    rng = np.random.default_rng(_seed(name, limit))
    inst = make(rng, "group_minmax" if rng.random() < 0.5 else "plain")
    check(inst, solve(inst, method, **LIMITS[limit]), optimum(inst, dense=False), limited=True)


def test_infeasible_instances_are_never_answered():
    """Capacity that the group maximum caps below the demand; a cover the maximum blocks."""
    C = np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 3.0]])
    cap = Instance("facility", C, w=np.array([5.0, 5.0]), fixed=np.ones(3),
                   capacity=np.array([6.0, 6.0, 6.0]), single_source=False,
                   groups={0: "g", 1: "g", 2: "g"}, max_per_group={"g": 1})  # fmt: skip
    cover = Instance("setcover", np.array([[1.0, 9.0], [9.0, 1.0]]), radius=2.0,
                     groups={0: "g", 1: "g"}, max_per_group={"g": 1})  # fmt: skip
    for inst in (cap, cover):
        assert optimum(inst, dense=False) is None
        check(inst, solve(inst), None)


@pytest.mark.parametrize("kind", ["pmedian", "facility", "hub", "pcenter", "maxcover"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_unreachable_pairs_as_nan_or_inf_are_refused_by_name(kind, bad):
    """An unreachable pair must be a large finite cost; NaN/inf are refused, never solved."""
    inst = {"pmedian": pmedian, "facility": facility, "hub": hub}.get(
        kind, lambda r, o: coverage(r, kind, o)
    )(np.random.default_rng(5), "plain")
    inst.C = inst.C.copy()
    inst.C[1, 0] = inst.C[0, 1] = bad
    with pytest.raises(DataError, match="cost"):
        model_of(inst, None)


def test_crossborder_routes_missing_for_a_whole_commodity_are_refused():
    inst = crossborder(np.random.default_rng(2), "plain")
    inst.F[0, 0] = 1.0
    inst.G[:, 0] = np.nan
    with pytest.raises(DataError):
        model_of(inst)


@pytest.mark.parametrize("option", OPTIONS)
def test_warm_started_resolves_against_brute_force(option):
    """The re-solver behind robustness draws: each weight vector's answer from the warm
    model is the brute-force optimum, its set meets the rules and its bound holds."""
    from borderhub.locate._resolve import MedianResolver

    rng = np.random.default_rng(_seed("resolve", option))
    inst = pmedian(rng, option)
    inst.w = np.maximum(inst.w, 1.0)  # every point in the template
    _, cand = _labels(inst)
    resolver = MedianResolver(model_of(inst, "radius"))
    for _ in range(4):
        draw = dataclasses.replace(inst, w=inst.w * rng.gamma(4.0, 0.25, len(inst.w)))
        opt, _ = brute_force(draw)
        res = resolver.solve(draw.w)
        S = tuple(sorted(cand.index(x) for x in res.open))
        assert res.status == "optimal" and draw.set_ok(S)
        assert res.objective == pytest.approx(draw.value(S), rel=TOL)
        assert res.objective == pytest.approx(opt, rel=TOL) and res.bound <= opt * (1 + TOL)


# ----------------------------------------------------------------------------------------
# units: the answer does not depend on them
# ----------------------------------------------------------------------------------------


def scaled(inst: Instance, factor: float, what: str) -> Instance:
    """``inst`` in other units: every cost (``what="costs"``) or every weight, flow and
    capacity (``"weights"``) times ``factor``, with the opening costs, so that every
    objective term, and the optimum, is multiplied by ``factor``."""
    out = dataclasses.replace(inst)
    out.fixed = None if inst.fixed is None else inst.fixed * factor
    if what == "costs":
        out.C = inst.C * factor
    else:
        out.w = None if inst.w is None else inst.w * factor
        out.W = None if inst.W is None else inst.W * factor
        out.capacity = None if inst.capacity is None else inst.capacity * factor
    return out


#: The models and methods whose objective carries the units of the data.
UNIT_CASES = [c for c in CASES if c[0].startswith(("pmedian", "facility", "capacitated", "hub"))]


@settings(max_examples=16)
@given(
    case=st.sampled_from(UNIT_CASES),
    seed=st.integers(0, 10_000),
    exponent=st.integers(-14, 12),
    what=st.sampled_from(["costs", "weights"]),
    gap=st.sampled_from([None, 0.3]),
)
def test_results_do_not_depend_on_the_units(case, seed, exponent, what, gap):
    """Costs or weights times 10^k (k from -14 to 12): the optimum is found and proven
    (without a gap), objective and bound scale by 10^k, and a run stopped at a gap is
    not called optimal -- solver tolerances and gaps stay relative."""
    _, make, method = case
    inst = make(np.random.default_rng(seed), "plain")
    opt, _ = brute_force(inst)
    factor = 10.0**exponent
    sol = solve(scaled(inst, factor, what), method, mip_gap=gap)
    check(scaled(inst, factor, what), sol, opt * factor, limited=gap is not None)


@pytest.mark.parametrize("method", ["radius", "benders"])
@pytest.mark.parametrize("factor", [1e-14, 1e-6])
def test_tiny_weights_are_solved_to_optimality(method, factor):
    """Weights of about 1e-6 once ended ``feasible`` at a 1 % gap with no limit (HiGHS's
    absolute gap), and 1e-14 "optimal, gap 0" at 3 to 22 % above the optimum."""
    rng = np.random.default_rng(3)
    C = rng.random((30, 12)) * 100
    w = rng.integers(1, 10, 30).astype(float)
    inst = Instance("pmedian", C, w=w, p=3)
    opt, _ = brute_force(inst)
    check(scaled(inst, factor, "weights"), solve(scaled(inst, factor, "weights"), method),
          opt * factor)  # fmt: skip


# ----------------------------------------------------------------------------------------
# the larger sweep
# ----------------------------------------------------------------------------------------


def test_time_limited_crossborder_never_answers_an_unroutable_start():
    """A stop before any solver solution fell back to the greedy start even when that start
    left a flow without any gateway (objective inf), and called it ``feasible``."""
    rng = np.random.default_rng(10)
    inst = crossborder(rng, "plain")
    assert optimum(inst, dense=False) is None  # no single centre reaches every partner
    for limit in (1e-9, 1e-6):
        sol = solve(inst, None, time_limit=limit)
        check(inst, sol, None, limited=True)
        assert sol.status == "not_solved" and not sol.has_solution


@pytest.mark.slow
@pytest.mark.parametrize(("name", "make", "method"), CASES, ids=[c[0] for c in CASES])
def test_sweep(name, make, method):
    """More and larger instances, every option and limit, against the dense MILP."""
    rng = np.random.default_rng(_seed("sweep", name))
    big = name.startswith(("pmedian", "facility")) and not name.startswith("facility-cap")
    for option, limit in itertools.product(OPTIONS, [None, *sorted(LIMITS)]):
        inst = make(rng, option, n=14, m=10) if big else make(rng, option)
        kwargs = {} if limit is None else LIMITS[limit]
        if big and inst.kind == "facility":
            opt = dense_milp(inst)
        else:
            opt = optimum(inst, dense=limit is None)
        check(inst, solve(inst, method, **kwargs), opt, limited=limit is not None)
