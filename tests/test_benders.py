"""The Benders decomposition of the p-median against brute force and the radius model.

Tiny random instances (integer costs from a small range, so ties are frequent; some zero
weights) with the policy constraints -- required, forbidden, groups with minima and maxima --
are solved by ``method="benders"`` and ``method="radius"`` and by enumerating every feasible
choice of ``p`` centres. Larger seeded instances go through every phase of the method
(LP cut loop, reduced-cost fixing, integer phase). Time-limited runs of any model keep the
best known solution as ``feasible``.
"""

from __future__ import annotations

import itertools
import math
import threading
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderhub.exceptions import SpecificationError
from borderhub.locate import FacilityLocation, PMedian
from borderhub.locate import _benders as benders
from borderhub.locate._core import Context, Run
from borderhub.locate.solution import Status

SOME = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def policy_instances(draw):
    """(cost, weights, p, policy dict) with ties, zero weights and policy constraints."""
    n = draw(st.integers(1, 9))
    m = draw(st.integers(2, 7))
    flat = draw(st.lists(st.integers(0, 6), min_size=n * m, max_size=n * m))
    w = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    cost = pd.DataFrame(
        np.array(flat, dtype=float).reshape(n, m),
        index=[f"d{i}" for i in range(n)],
        columns=[f"c{j}" for j in range(m)],
    )
    weights = pd.Series(np.array(w, dtype=float), index=cost.index)
    cols = list(cost.columns)
    forbidden = draw(st.lists(st.sampled_from(cols), max_size=2, unique=True))
    rest = [c for c in cols if c not in forbidden]
    required = draw(st.lists(st.sampled_from(rest), max_size=1, unique=True)) if rest else []
    p = draw(st.integers(1, max(1, len(rest))))
    policy: dict = {"forbidden": forbidden, "required": required}
    if draw(st.booleans()):
        labels = draw(st.lists(st.sampled_from(["a", "b", None]), min_size=m, max_size=m))
        groups = pd.Series(labels, index=cols, dtype=object)
        if groups.notna().any():
            policy["groups"] = groups
            present = sorted(groups.dropna().unique())
            policy["min_per_group"] = {g: draw(st.integers(0, 1)) for g in present}
            policy["max_per_group"] = {g: draw(st.integers(1, 3)) for g in present}
    return cost, weights, p, policy


def feasible_sets(cost, policy, sizes):
    """Every set of centres of the given sizes that obeys the policy, by enumeration."""
    cols = [c for c in cost.columns if c not in policy.get("forbidden", [])]
    groups = policy.get("groups")
    for k in sizes:
        for combo in itertools.combinations(cols, k):
            if not set(policy.get("required", [])) <= set(combo):
                continue
            if groups is not None:
                counts = groups.reindex(list(combo)).value_counts()
                if any(counts.get(g, 0) < v for g, v in policy["min_per_group"].items()):
                    continue
                if any(counts.get(g, 0) > v for g, v in policy["max_per_group"].items()):
                    continue
            yield list(combo)


def brute_force(cost, weights, p, policy) -> float:
    """Cheapest feasible choice of p centres by enumeration (inf if none)."""
    w = weights.to_numpy()
    return min(
        (float(w @ cost[S].to_numpy().min(axis=1)) for S in feasible_sets(cost, policy, [p])),
        default=math.inf,
    )


def assert_methods_agree(models, expected):
    """Solve each model; all are optimal at ``expected`` (or infeasible when it is inf)."""
    for meth, model in models.items():
        sol = model.solve()
        if expected == math.inf:
            assert sol.status == "infeasible", meth
            continue
        assert sol.status == "optimal", (meth, sol.summary())
        assert sol.objective == pytest.approx(expected, abs=1e-9), meth
        assert sol.bound <= sol.objective + 1e-9
        yield sol


def check_solution(sol, cost, weights, p, policy) -> None:
    """The reported objective is the true cost of the reported centres, which obey the policy."""
    opened = list(sol.open)
    assert len(opened) == p
    assert set(policy.get("required", [])) <= set(opened)
    assert not set(policy.get("forbidden", [])) & set(opened)
    true = float(weights.to_numpy() @ cost[opened].to_numpy().min(axis=1))
    assert sol.objective == pytest.approx(true, abs=1e-9)
    groups = policy.get("groups")
    if groups is not None:
        counts = groups.reindex(opened).value_counts()
        for g, k in policy["min_per_group"].items():
            assert counts.get(g, 0) >= k
        for g, k in policy["max_per_group"].items():
            assert counts.get(g, 0) <= k


@SOME
@given(policy_instances())
def test_benders_equals_brute_force_and_radius_with_policy_and_ties(inst):
    cost, weights, p, policy = inst
    try:
        models = {
            meth: PMedian.from_cost_matrix(cost, weights, p=p, method=meth, **policy)
            for meth in ("benders", "radius")
        }
    except SpecificationError:
        # refused before solving: then no choice of centres satisfies the policy
        assert brute_force(cost, weights, p, policy) == math.inf
        return
    expected = brute_force(cost, weights, p, policy)
    for sol in assert_methods_agree(models, expected):
        check_solution(sol, cost, weights, p, policy)


def euclidean(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    cost = np.floor(np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1]))
    return cost, rng.integers(1, 5, n).astype(float)


@pytest.mark.parametrize(
    ("n", "m", "p", "seed"),
    [(150, 120, 3, 0), (150, 120, 5, 0), (200, 150, 7, 7), (200, 150, 10, 5), (120, 100, 12, 3)],
)
def test_benders_equals_radius_on_seeded_instances(n, m, p, seed):
    cost, w = euclidean(n, m, seed)
    sol_b = PMedian.from_cost_matrix(cost, w, p=p, method="benders").solve()
    sol_r = PMedian.from_cost_matrix(cost, w, p=p, method="radius").solve()
    assert sol_b.status == sol_r.status == "optimal"
    assert sol_b.objective == pytest.approx(sol_r.objective, rel=1e-9)
    assert sol_b.bound == pytest.approx(sol_b.objective, rel=1e-6)


def test_benders_with_policy_on_a_seeded_instance():
    cost, w = euclidean(160, 90, 4)
    cols = pd.RangeIndex(90)
    groups = pd.Series(np.where(cols < 30, "west", np.where(cols < 60, "mid", "east")), cols)
    policy = {
        "required": [5],
        "forbidden": [10, 11, 12],
        "groups": groups,
        "min_per_group": {"east": 2},
        "max_per_group": {"west": 1, "mid": 1},
    }
    sols = [
        PMedian.from_cost_matrix(cost, w, p=5, method=meth, **policy).solve()
        for meth in ("benders", "radius")
    ]
    assert [s.status for s in sols] == ["optimal", "optimal"]
    assert sols[0].objective == pytest.approx(sols[1].objective, rel=1e-9)
    check_solution(sols[0], pd.DataFrame(cost), pd.Series(w), 5, policy)


def test_every_phase_runs_and_reduced_cost_fixing_keeps_the_optimum(monkeypatch):
    """An instance whose LP bound is below the optimum: fixing and the integer phase run."""
    calls = {"lp": 0, "bnc": 0, "kept": []}
    lp_phase, cuts_cls = benders._lp_phase, benders._Cuts
    bnc = benders._branch_and_cut

    def count_lp(*args, **kwargs):
        calls["lp"] += 1
        return lp_phase(*args, **kwargs)

    def count_bnc(*args, **kwargs):
        calls["bnc"] += 1
        return bnc(*args, **kwargs)

    class Cuts(cuts_cls):  # records the candidates of every master built
        def __init__(self, lists):
            calls["kept"].append(lists.m)
            super().__init__(lists)

    monkeypatch.setattr(benders, "_lp_phase", count_lp)
    monkeypatch.setattr(benders, "_branch_and_cut", count_bnc)
    monkeypatch.setattr(benders, "_Cuts", Cuts)
    cost, w = euclidean(200, 150, 4)
    sol = PMedian.from_cost_matrix(cost, w, p=7, method="benders").solve()
    assert calls["lp"] == 1 and calls["bnc"] == 1
    assert calls["kept"][0] == 150 and calls["kept"][1] < 150  # reduced-cost fixing
    assert sol.status == "optimal"
    ref = PMedian.from_cost_matrix(cost, w, p=7, method="radius").solve()
    assert sol.objective == pytest.approx(ref.objective, rel=1e-9)


def test_time_limited_benders_returns_the_heuristic_start_as_feasible():
    cost, w = euclidean(200, 150, 2)
    sol = PMedian.from_cost_matrix(cost, w, p=7, method="benders").solve(time_limit=1e-9)
    assert sol.status == "feasible"
    assert len(sol.open) == 7
    best = PMedian.from_cost_matrix(cost, w, p=7).solve().objective
    assert sol.objective >= best - 1e-9
    true = float(w @ cost[:, np.asarray(sol.open)].min(axis=1))
    assert sol.objective == pytest.approx(true)
    assert math.isnan(sol.bound) or sol.bound <= sol.objective


@pytest.mark.parametrize("kind", ["pmedian", "fixed_charge"])
def test_radius_model_stopped_without_solver_solution_returns_the_heuristic(monkeypatch, kind):
    cost, w = euclidean(40, 20, 5)

    def stopped(self, b):
        self.calls += 1
        return Run(Status.NOT_SOLVED, False, False, math.nan, math.nan)

    monkeypatch.setattr(Context, "run", stopped)
    if kind == "pmedian":
        model = PMedian.from_cost_matrix(cost, w, p=3, method="radius", required=[4])
    else:
        model = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=50.0)
    sol = model.solve(time_limit=5)
    assert sol.status == "feasible"
    assert len(sol.open) >= 1
    fixed = 0.0 if kind == "pmedian" else 50.0 * len(sol.open)
    true = float(w @ cost[:, np.asarray(sol.open)].min(axis=1)) + fixed
    assert sol.objective == pytest.approx(true)
    if kind == "pmedian":
        assert 4 in set(sol.open) and len(sol.open) == 3


def test_time_limited_radius_with_a_start_breaking_the_groups_stays_not_solved(monkeypatch):
    """The greedy start opens the best 1-median, which its group forbids: nothing in hand."""
    cost, w = euclidean(40, 20, 6)
    first = int(np.argmin(w @ cost))  # the greedy's first centre
    groups = pd.Series(["other"] * 20)
    groups[first] = "closed"
    monkeypatch.setattr(
        Context, "run", lambda self, b: Run(Status.NOT_SOLVED, False, False, math.nan, math.nan)
    )
    model = PMedian.from_cost_matrix(
        cost, w, p=3, method="radius", groups=groups, max_per_group={"closed": 0}
    )
    sol = model.solve(time_limit=5)
    assert sol.status == "not_solved"
    assert len(sol.open) == 0


def test_method_is_checked():
    cost, w = euclidean(10, 6, 7)
    with pytest.raises(SpecificationError, match="method"):
        PMedian.from_cost_matrix(cost, w, p=2, method="lagrange")
    model = PMedian.from_cost_matrix(cost, w, p=2, method="benders")
    with pytest.raises(SpecificationError, match="highs"):
        model.solve(solver="cbc")


def test_auto_takes_benders_only_for_small_p_on_large_instances():
    ctx = Context("highs", None, None, False)
    big, _ = euclidean(600, 500, 8)
    small, _ = euclidean(100, 100, 8)
    cases = [(big, 5, "benders"), (big, 40, "benders"), (big, 130, "radius"), (small, 2, "radius")]
    for cost, p, expected in cases:
        model = PMedian.from_cost_matrix(cost, p=p)
        model._prepare()
        assert model._method(ctx) == expected
    cbc = Context("cbc", None, None, False)
    model = PMedian.from_cost_matrix(big, p=5)
    model._prepare()
    assert model._method(cbc) == "radius"


def test_max_coverage_stopped_without_solver_solution_returns_a_greedy_start(monkeypatch):
    from borderhub.locate import MaxCoverage

    cost, w = euclidean(60, 30, 9)
    monkeypatch.setattr(
        Context, "run", lambda self, b: Run(Status.NOT_SOLVED, False, False, math.nan, 99.0)
    )
    groups = pd.Series(["a"] * 15 + ["b"] * 15)
    model = MaxCoverage.from_cost_matrix(
        cost, w, p=4, radius=20.0, groups=groups, max_per_group={"a": 1}
    )
    sol = model.solve(time_limit=5)
    assert sol.status == "feasible" and len(sol.open) == 4
    assert (groups.reindex(sol.open) == "a").sum() <= 1
    covered = cost[:, np.asarray(sol.open)].min(axis=1) <= 20.0
    assert sol.objective == pytest.approx(float(w[covered].sum()))
    assert sol.bound == 99.0


@pytest.mark.parametrize(("p", "seed"), [(7, 3), (10, 10)])
def test_integer_phase_keeps_group_constraints(monkeypatch, p, seed):
    """Instances whose LP is fractional, with groups: the integer phase must obey them."""
    ran = []
    bnc = benders._branch_and_cut

    def spy(*args, **kwargs):
        ran.append(1)
        return bnc(*args, **kwargs)

    monkeypatch.setattr(benders, "_branch_and_cut", spy)
    cost, w = euclidean(200, 150, seed)
    cols = pd.RangeIndex(150)
    groups = pd.Series(np.where(cols < 50, "west", np.where(cols < 100, "mid", "east")), cols)
    policy = {
        "groups": groups,
        "min_per_group": {"east": 2},
        "max_per_group": {"west": 2, "mid": 2},
        "required": [5],
    }
    sol = PMedian.from_cost_matrix(cost, w, p=p, method="benders", **policy).solve()
    assert ran, "the integer phase did not run"
    ref = PMedian.from_cost_matrix(cost, w, p=p, method="radius", **policy).solve()
    assert sol.status == ref.status == "optimal"
    assert sol.objective == pytest.approx(ref.objective, rel=1e-9)
    check_solution(sol, pd.DataFrame(cost), pd.Series(w), p, policy)


def test_benders_with_all_weights_zero_opens_a_policy_feasible_set():
    cost, _ = euclidean(30, 12, 11)
    groups = pd.Series(["a"] * 6 + ["b"] * 6)
    sol = PMedian.from_cost_matrix(
        cost, np.zeros(30), p=3, method="benders", groups=groups, min_per_group={"b": 2}
    ).solve()
    assert sol.status == "optimal" and sol.objective == 0.0
    assert (groups.reindex(sol.open) == "b").sum() >= 2 and len(sol.open) == 3


def test_auto_keeps_a_solver_object_on_the_radius_model():
    import pulp

    big, _ = euclidean(600, 500, 8)
    model = PMedian.from_cost_matrix(big, p=5)
    model._prepare()
    obj = Context(pulp.HiGHS(msg=False), None, None, False)
    assert model._method(obj) == "radius"
    explicit = PMedian.from_cost_matrix(big, p=5, method="benders")
    explicit._prepare()
    assert explicit._method(obj) == "benders"


# ----------------------------------------------------------------------------------------
# the uncapacitated fixed-charge model
# ----------------------------------------------------------------------------------------


def brute_force_ufl(cost, weights, fixed, policy) -> float:
    """Cheapest feasible non-empty set of centres by enumeration (inf if none)."""
    w = weights.to_numpy()
    sets = feasible_sets(cost, policy, range(1, cost.shape[1] + 1))
    return min(
        (float(w @ cost[S].to_numpy().min(axis=1)) + float(fixed[S].sum()) for S in sets),
        default=math.inf,
    )


@SOME
@given(policy_instances(), st.lists(st.integers(0, 12), min_size=7, max_size=7))
def test_fixed_charge_benders_equals_brute_force_and_radius(inst, fixed_draw):
    cost, weights, _, policy = inst
    fixed = pd.Series(np.array(fixed_draw[: cost.shape[1]], dtype=float), index=cost.columns)
    if weights.sum() == 0:  # nothing to serve: both methods take the same radius path
        weights = weights + 1.0
    try:
        models = {
            meth: FacilityLocation.from_cost_matrix(
                cost, weights, fixed_cost=fixed, method=meth, **policy
            )
            for meth in ("benders", "radius")
        }
    except SpecificationError:
        assert brute_force_ufl(cost, weights, fixed, policy) == math.inf
        return
    expected = brute_force_ufl(cost, weights, fixed, policy)
    for sol in assert_methods_agree(models, expected):
        opened = list(sol.open)
        assert set(policy.get("required", [])) <= set(opened)
        assert not set(policy.get("forbidden", [])) & set(opened)
        true = float(weights.to_numpy() @ cost[opened].to_numpy().min(axis=1))
        assert sol.objective == pytest.approx(true + float(fixed[opened].sum()), abs=1e-9)


@pytest.mark.parametrize(
    ("n", "m", "f", "seed"), [(200, 120, 300.0, 0), (250, 150, 80.0, 3), (200, 150, 20.0, 5)]
)
def test_fixed_charge_benders_equals_radius_on_seeded_instances(n, m, f, seed):
    cost, w = euclidean(n, m, seed)
    rng = np.random.default_rng(seed)
    fixed = f * rng.uniform(0.5, 1.5, m).round(2)
    cols = pd.RangeIndex(m)
    groups = pd.Series(np.where(cols < m // 2, "west", "east"), cols)
    for policy in ({}, {"required": [3], "groups": groups, "max_per_group": {"west": 2}}):
        sols = [
            FacilityLocation.from_cost_matrix(cost, w, fixed_cost=fixed, method=k, **policy).solve()
            for k in ("benders", "radius")
        ]
        assert [s.status for s in sols] == ["optimal", "optimal"]
        assert sols[0].objective == pytest.approx(sols[1].objective, rel=1e-9)
        assert sols[0].bound == pytest.approx(sols[0].objective, rel=1e-6)


def test_fixed_charge_method_is_checked_and_auto_takes_benders_on_large_instances():
    cost, w = euclidean(10, 6, 7)
    with pytest.raises(SpecificationError, match="method"):
        FacilityLocation.from_cost_matrix(cost, w, fixed_cost=5.0, method="lagrange")
    with pytest.raises(SpecificationError, match="uncapacitated"):
        FacilityLocation.from_cost_matrix(cost, w, fixed_cost=5.0, capacity=50.0, method="radius")
    with pytest.raises(SpecificationError, match="highs"):
        FacilityLocation.from_cost_matrix(cost, w, fixed_cost=5.0, method="benders").solve(
            solver="cbc"
        )
    ctx = Context("highs", None, None, False)
    big, _ = euclidean(300, 100, 8)
    for c, expected in ((big, "benders"), (cost, "radius")):
        model = FacilityLocation.from_cost_matrix(c, fixed_cost=5.0)
        model._prepare()
        assert model._method(ctx) == expected


def test_time_limited_fixed_charge_benders_returns_its_start_as_feasible():
    cost, w = euclidean(200, 150, 2)
    model = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=200.0, method="benders")
    sol = model.solve(time_limit=1e-9)
    assert sol.status == "feasible" and len(sol.open) >= 1
    true = float(w @ cost[:, np.asarray(sol.open)].min(axis=1)) + 200.0 * len(sol.open)
    assert sol.objective == pytest.approx(true)
    assert math.isnan(sol.bound) or sol.bound <= sol.objective


def test_branch_and_cut_dropping_slack_cuts_at_every_node_keeps_the_optimum(monkeypatch):
    """Slack cuts dropped before every node (and found again): the same optimum."""
    monkeypatch.setattr(benders, "_PURGE", 0.0)
    for p, seed in ((7, 3), (10, 5)):
        cost, w = euclidean(200, 150, seed)
        sol = PMedian.from_cost_matrix(cost, w, p=p, method="benders").solve()
        ref = PMedian.from_cost_matrix(cost, w, p=p, method="radius").solve()
        assert sol.status == ref.status == "optimal"
        assert sol.objective == pytest.approx(ref.objective, rel=1e-9)


def _stop_in(monkeypatch, caller, after):
    """``Context.timed_out`` says yes, called from ``caller``, after ``after`` such calls.

    Returns the dict counting those calls (``"calls"``).
    """
    seen = {"calls": 0}
    real = Context.timed_out

    def timed_out(self):
        import inspect

        if inspect.stack()[1].function == caller:
            seen["calls"] += 1
            return seen["calls"] > after
        return real(self)

    monkeypatch.setattr(Context, "timed_out", timed_out)
    return seen


@pytest.mark.parametrize("kind", ["pmedian", "fixed_charge"])
def test_branch_and_cut_stopped_inside_the_tree_is_feasible_with_its_bound(monkeypatch, kind):
    """Time runs out after a few nodes: best solution known, `feasible`, bound below it."""
    node_limit = 1
    real = Context.timed_out
    seen = _stop_in(monkeypatch, "node_lp", node_limit)
    cost, w = euclidean(200, 150, 5)
    if kind == "pmedian":
        model = PMedian.from_cost_matrix(cost, w, p=10, method="benders")
        fixed = 0.0
    else:
        model = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=20.0, method="benders")
        fixed = 20.0
    sol = model.solve(time_limit=600)
    assert seen["calls"] > node_limit, "the integer phase did not run"
    assert sol.status == "feasible"
    true = float(w @ cost[:, np.asarray(sol.open)].min(axis=1)) + fixed * len(sol.open)
    assert sol.objective == pytest.approx(true)
    assert sol.bound < sol.objective
    monkeypatch.setattr(Context, "timed_out", real)
    ref = model.solve()
    assert ref.status == "optimal"
    assert sol.bound <= ref.objective + 1e-9 <= sol.objective + 1e-9


@pytest.mark.parametrize("rounds", [1, 3])
def test_stopped_in_the_lp_phase_keeps_the_last_master_bound(monkeypatch, rounds):
    """Time runs out in the LP phase's cut loop: `feasible`, with the last master LP's value
    as its bound (a relaxation, so at most the optimum), not without a bound."""
    real = Context.timed_out
    seen = _stop_in(monkeypatch, "out_of_time", rounds)
    cost, w = euclidean(200, 150, 5)
    model = PMedian.from_cost_matrix(cost, w, p=10, method="benders")
    sol = model.solve(time_limit=600)
    assert seen["calls"] == rounds + 1
    assert sol.status == "feasible"
    assert math.isfinite(sol.bound) and 0 < sol.bound < sol.objective
    monkeypatch.setattr(Context, "timed_out", real)
    ref = model.solve()
    assert ref.status == "optimal"
    assert sol.bound <= ref.objective + 1e-9 <= sol.objective + 1e-9


@pytest.mark.parametrize("kind", ["pmedian", "fixed_charge"])
def test_the_dive_for_an_incumbent_only_offers_exactly_costed_points(monkeypatch, kind):
    """The dive in the LP optimum's box: its incumbent is never worse than the start, its
    objective is that point's exact cost, and the search still proves the optimum."""
    seen = []
    real = benders._Tree.dive

    def dive(self, y_lp):
        before = self.best_obj
        better = real(self, y_lp)
        sel = np.asarray(self.best)
        open_cost = 0.0 if self.fixed is None else float(self.fixed[sel].sum())
        exact = float(self.w @ self.data.C[:, sel].min(axis=1)) + open_cost
        seen.append((before, self.best_obj, exact, better))
        return better

    monkeypatch.setattr(benders._Tree, "dive", dive)
    for seed in (3, 5, 8):
        cost, w = euclidean(200, 150, seed)
        if kind == "pmedian":
            model = PMedian.from_cost_matrix(cost, w, p=10, method="benders")
            ref = PMedian.from_cost_matrix(cost, w, p=10, method="radius").solve()
        else:
            model = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=20.0, method="benders")
            ref = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=20.0).solve(solver="cbc")
        sol = model.solve()
        assert sol.status == ref.status == "optimal"
        assert sol.objective == pytest.approx(ref.objective, rel=1e-9)
    assert seen, "the integer phase never dived"
    for before, after, exact, better in seen:
        assert after <= before and after == pytest.approx(exact, rel=1e-12)
        assert better == (after < before)


@pytest.fixture
def mip_at_once(monkeypatch):
    """The own tree hands over to HiGHS's MIP at once; counts the hand-overs."""
    from borderhub.locate import _master_mip

    seen = {"mip": 0}
    real = _master_mip.finish_with_mip

    def finish(tree, y_lp):
        seen["mip"] += 1
        return real(tree, y_lp)

    monkeypatch.setattr(_master_mip, "TREE_NODES", 0)
    monkeypatch.setattr(benders, "finish_with_mip", finish)
    return seen


@pytest.mark.parametrize("seed", [3, 5, 10])
def test_the_master_mip_finish_equals_the_radius_optimum(mip_at_once, seed):
    """The iterated master MIP (no own tree at all) proves the same optimum as the radius
    formulation, for the p-median with and without a policy and for fixed charges."""
    cost, w = euclidean(200, 150, seed)
    for p in (5, 10, 20):
        sol = PMedian.from_cost_matrix(cost, w, p=p, method="benders").solve()
        ref = PMedian.from_cost_matrix(cost, w, p=p, method="radius").solve()
        assert sol.status == ref.status == "optimal"
        assert sol.objective == pytest.approx(ref.objective, rel=1e-9)
        assert sol.bound <= sol.objective + 1e-9
    labels = list(PMedian.from_cost_matrix(cost, w, p=8).cost.columns)
    policy = {"required": labels[:2], "forbidden": labels[2:6]}
    sol = PMedian.from_cost_matrix(cost, w, p=8, method="benders", **policy).solve()
    ref = PMedian.from_cost_matrix(cost, w, p=8, method="radius", **policy).solve()
    assert sol.status == ref.status == "optimal"
    assert sol.objective == pytest.approx(ref.objective, rel=1e-9)
    assert set(labels[:2]) <= set(sol.open) and not set(labels[2:6]) & set(sol.open)
    fl = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=20.0, method="benders").solve()
    ref = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=20.0).solve(solver="cbc")
    assert fl.status == ref.status == "optimal"
    assert fl.objective == pytest.approx(ref.objective, rel=1e-9)
    assert mip_at_once["mip"] >= 1, "no instance reached the master MIP"


def test_the_master_mip_finish_on_points_equals_the_dense_optimum(mip_at_once):
    """From points (nearest lists, grown during the MIP's rounds) as from the matrix."""
    for seed, p in ((0, 15), (3, 15), (5, 30)):  # these reach the integer phase
        pts = np.round(np.random.default_rng(seed).random((300, 2)) * 40)  # many ties
        a = PMedian.from_points(pts, pts, p=p, metric="euclidean_floor").solve()
        cost = np.floor(np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)))
        b = PMedian.from_cost_matrix(cost, p=p, method="radius").solve()
        assert a.status == b.status == "optimal"
        assert a.objective == pytest.approx(b.objective, rel=1e-12)
    assert mip_at_once["mip"] == 3


def test_the_master_mip_stopped_by_time_is_feasible_with_a_valid_bound(mip_at_once, monkeypatch):
    """Time runs out between two MIP rounds: `feasible`, bound at most the optimum."""
    from borderhub.locate import _master_mip

    real_timed_out = Context.timed_out
    _stop_in(monkeypatch, "finish_with_mip", 0)
    cost, w = euclidean(200, 150, 5)
    model = PMedian.from_cost_matrix(cost, w, p=10, method="benders")
    sol = model.solve(time_limit=600)
    assert mip_at_once["mip"] == 1
    monkeypatch.setattr(Context, "timed_out", real_timed_out)
    ref = PMedian.from_cost_matrix(cost, w, p=10, method="radius").solve()
    assert sol.status in ("feasible", "optimal")
    assert sol.bound <= ref.objective + 1e-9 <= sol.objective + 1e-9
    if sol.status == "feasible":
        assert sol.bound < sol.objective
    assert _master_mip.TREE_NODES == 0


@pytest.fixture
def mip_tree(mip_at_once, monkeypatch):
    """As :func:`mip_at_once`, keeping the trees handed over and every solution taken."""
    from borderhub.locate import _master_mip

    seen = {"trees": [], "taken": []}
    real_finish, real_take = benders.finish_with_mip, _master_mip._Solutions.take

    def finish(tree, y_lp):
        seen["trees"].append(tree)
        return real_finish(tree, y_lp)

    def take(self, x):
        violated = real_take(self, x)
        seen["taken"].append((threading.current_thread().name, violated))
        return violated

    monkeypatch.setattr(benders, "finish_with_mip", finish)
    monkeypatch.setattr(_master_mip._Solutions, "take", take)
    return seen


def test_the_mip_rounds_check_every_improving_solution(mip_tree):
    """HiGHS's improving solutions reach the check during a round (from its callback), not
    only the round's last one; the optimum is the radius model's."""
    cost, w = euclidean(200, 150, 5)
    sol = PMedian.from_cost_matrix(cost, w, p=10, method="benders").solve()
    ref = PMedian.from_cost_matrix(cost, w, p=10, method="radius").solve()
    assert sol.status == ref.status == "optimal"
    assert sol.objective == pytest.approx(ref.objective, rel=1e-9)
    assert len(mip_tree["trees"]) == 1
    during = [v for name, v in mip_tree["taken"] if name != threading.main_thread().name]
    assert during, "no improving solution was taken during a MIP round"


def test_a_mip_solution_is_repaired_and_its_cuts_kept_once(mip_tree):
    """A master solution that underestimates its cost: its violated cuts are kept once
    however often it is taken, and the tree gets its swap-repaired value, exactly."""
    from borderhub.locate._master_mip import _Solutions

    cost, w = euclidean(200, 150, 5)
    PMedian.from_cost_matrix(cost, w, p=10, method="benders").solve()
    (tree,) = mip_tree["trees"]
    opt = tree.incumbent_y()
    optimum = tree.best_obj
    worse = opt.copy()  # one open candidate moved to the farthest closed one
    worse[np.flatnonzero(opt > 0.5)[0]] = 0.0
    worse[np.flatnonzero(opt < 0.5)[-1]] = 1.0
    worse_cost = tree.data.serve(tree.w, tree.keep[np.flatnonzero(worse > 0.5)], None)
    assert worse_cost > optimum
    tree.best, tree.best_obj = None, math.inf
    seen = _Solutions(tree)
    x = np.concatenate([worse, np.zeros(len(tree.w))])  # every cost read as 0
    assert seen.take(x) and seen.take(x)
    pts, t, D = seen.cuts()
    first = seen.found[0]
    assert len(pts) == len(first[0]) and len(set(zip(pts, t, strict=True))) == len(pts)
    assert set(zip(pts, t, strict=True)) == set(zip(first[0], first[1], strict=True))
    assert np.all(D > 0)
    assert tree.best_obj <= worse_cost
    assert tree.best_obj == tree.data.serve(tree.w, tree.best, None)
    assert len(tree.best) == 10


def test_a_failure_in_the_mip_callback_is_raised(mip_at_once, monkeypatch):
    """An error in the check that HiGHS's callback runs is raised after the round, not lost
    in HiGHS's thread."""
    from borderhub.locate import _master_mip

    real_take = _master_mip._Solutions.take

    def take(self, x):
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("check failed in the callback")
        return real_take(self, x)

    monkeypatch.setattr(_master_mip._Solutions, "take", take)
    cost, w = euclidean(200, 150, 5)
    with pytest.raises(RuntimeError, match="check failed in the callback"):
        PMedian.from_cost_matrix(cost, w, p=10, method="benders").solve()


def test_level_cuts_list_each_points_levels_once_up_to_the_asked_depth():
    """Level starts only (ties share a cut), up to one level past the asked position, and
    none already a row of the master."""
    from borderhub.locate._core import Lists
    from borderhub.locate._master_mip import level_cuts

    C = np.array([[0.0, 2.0, 2.0, 5.0, 7.0], [3.0, 1.0, 4.0, 4.0, 9.0]])
    cuts = benders._Cuts(Lists.from_dense(C))
    pts, t, D = level_cuts(cuts, np.array([1, 0]), 1)
    # point 0: levels 0 (0), 2 (positions 1-2), 5, 7 -> up to position 1's level + 1 = 5
    # point 1: levels 1, 3, 4 (two), 9 -> up to position 0's level + 1 = 3
    assert sorted(zip(pts.tolist(), t.tolist(), D.tolist(), strict=True)) == [
        (0, 1, 2.0),
        (0, 3, 5.0),
        (1, 1, 3.0),
    ]
    cuts.added[cuts.head[0] + 3] = True
    pts, t, D = level_cuts(cuts, np.array([1, 0]), 1)
    assert sorted(zip(pts.tolist(), t.tolist(), strict=True)) == [(0, 1), (1, 1)]


@pytest.mark.parametrize("seed", [3, 5, 8])
def test_the_early_lagrangian_bound_is_valid_and_close(seed):
    """The bound taken before the LP phase: never above the optimum (complete rows, and
    rows cut short as the nearest lists from points are), within 3 % of it here."""
    from borderhub.locate._core import Lists
    from borderhub.locate._core.nearest import PointSource

    cost, w = euclidean(200, 150, seed)
    m = cost.shape[1]
    for p in (5, 10, 20):
        opt = PMedian.from_cost_matrix(cost, w, p=p, method="radius").solve().objective
        ctx = Context("highs", 100.0, None, False)
        b = benders._early_bound(ctx, Lists.from_dense(cost), w, np.zeros(m), p,
                                 np.zeros(m, dtype=bool), 1.01 * opt)  # fmt: skip
        assert 0.97 * opt <= b <= opt + 1e-9
    fl = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=20.0).solve(solver="cbc")
    b = benders._early_bound(ctx, Lists.from_dense(cost), w, np.full(m, 20.0), None,
                             np.zeros(m, dtype=bool), 1.01 * fl.objective)  # fmt: skip
    assert b <= fl.objective + 1e-9
    pts = np.random.default_rng(seed).random((300, 2)) * 1000
    lists = Lists.from_points(PointSource(pts, pts, "euclidean_floor"), k=4)  # short rows
    assert not lists.complete.all()
    full = np.floor(np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)))
    opt = PMedian.from_cost_matrix(full, p=12, method="radius").solve().objective
    b = benders._early_bound(ctx, lists, np.ones(300), np.zeros(300), 12,
                             np.zeros(300, dtype=bool), 1.01 * opt)  # fmt: skip
    assert 0 < b <= opt + 1e-9
    assert math.isnan(benders._early_bound(Context("highs", None, None, False),
                                           Lists.from_dense(cost), w, np.zeros(m), 5,
                                           np.zeros(m, dtype=bool), 1.0))  # fmt: skip


def test_fixed_charge_benders_on_a_badly_scaled_instance_equals_the_scaled_optimum():
    """Weights and opening costs times 1e6 (the master's objective is then rescaled)."""
    cost, w = euclidean(200, 150, 5)
    fixed = 20.0 * np.random.default_rng(5).uniform(0.5, 1.5, 150).round(2)
    base = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=fixed, method="benders").solve()
    big = FacilityLocation.from_cost_matrix(
        cost, w * 1e6, fixed_cost=fixed * 1e6, method="benders"
    ).solve()
    assert base.status == big.status == "optimal"
    assert big.objective == pytest.approx(1e6 * base.objective, rel=1e-9)
    assert big.bound == pytest.approx(big.objective, rel=1e-6)


def test_reduced_cost_fixing_at_a_node_leaves_the_trees_fixings_alone():
    """A candidate the tree has fixed (open or closed) keeps its value in the children
    whatever its reduced cost; only free candidates are fixed by theirs.

    The children's bounds once read a fixed candidate's reduced cost as if it were free:
    on TSPLIB rl1304 p = 100 a candidate the tree had opened was closed in both children,
    the subtree holding the optimum was dropped as infeasible, and 491,640 was reported
    `optimal` with a bound of 491,640 (the optimum is 491,639).
    """
    tree = SimpleNamespace(fix_lo=np.array([1.0, 0.0, 0.0, 0.0]),
                           fix_up=np.array([1.0, 1.0, 0.0, 1.0]),
                           best_obj=100.0, tolerance=lambda: 0.0)  # fmt: skip
    lo, up = np.zeros(4), np.ones(4)
    rc = np.array([20.0, 20.0, -20.0, 5.0])  # the gap is 100 - 90 = 10
    clo, cup = benders._Tree.child_bounds(tree, lo, up, 90.0, rc)
    assert list(clo) == [1.0, 0.0, 0.0, 0.0]  # opened by the tree: stays open
    assert list(cup) == [1.0, 0.0, 0.0, 1.0]  # 1 free, closed by its cost; 2 by the tree
    assert list(lo) == [0.0] * 4 and list(up) == [1.0] * 4  # the node's own not changed
    clo, cup = benders._Tree.child_bounds(tree, lo, up, 90.0, -rc)
    assert list(clo) == [1.0, 1.0, 0.0, 0.0]  # 1 free at 1: opened by its cost
    assert list(cup) == [1.0, 1.0, 0.0, 1.0]


def test_tree_with_an_improving_incumbent_and_refixing_keeps_the_optimum(monkeypatch):
    """A poor start (no local search), no dive and the rounding heuristic at every node:
    the incumbent improves inside the tree and the tree fixes candidates again and again;
    the answers are the radius model's optima."""
    monkeypatch.setattr(benders, "_NODE_HEURISTIC", 1)
    monkeypatch.setattr(benders, "_HEUR_SHARE", math.inf)
    monkeypatch.setattr(benders, "_DIVE_NODES", 0)

    def poor(C, w, p, pol, fixed):
        return np.sort(np.random.default_rng(p).choice(C.shape[1], p, replace=False))

    monkeypatch.setattr(benders, "heuristic", poor)
    refixed = []
    refix = benders._Tree.refix

    def spy(self):
        refixed.append(1)
        return refix(self)

    monkeypatch.setattr(benders._Tree, "refix", spy)
    pts = np.array([(i, j) for i in range(14) for j in range(14)], dtype=float)
    pts += np.random.default_rng(4).uniform(-0.1, 0.1, pts.shape)
    cost = np.floor(10 * np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)))
    sol = PMedian.from_cost_matrix(cost, None, p=20, method="benders").solve()
    ref = PMedian.from_cost_matrix(cost, None, p=20, method="radius").solve()
    assert sol.status == ref.status == "optimal"
    assert sol.objective == pytest.approx(ref.objective, rel=1e-9)
    assert refixed
