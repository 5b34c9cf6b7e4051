"""The public re-solve hook of every location model: with_weights, objective_of, resolver."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import borderhub
from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate import FacilityLocation, HubMedian, MaxCoverage, PCenter, PMedian

ROOT = Path(borderhub.__file__).resolve().parents[1]


def _instance(n: int = 9, m: int = 5, seed: int = 1):
    rng = np.random.default_rng(seed)
    cost = pd.DataFrame(
        rng.integers(1, 60, (n, m)).astype(float),
        index=[f"d{i}" for i in range(n)],
        columns=[f"c{j}" for j in range(m)],
    )
    return cost, pd.Series(rng.uniform(1, 5, n), index=cost.index)


def _brute(C: np.ndarray, w: np.ndarray, p: int) -> float:
    return min(
        float(w @ C[:, list(s)].min(axis=1)) for s in itertools.combinations(range(C.shape[1]), p)
    )


def test_with_weights_is_a_checked_copy():
    cost, w = _instance()
    model = PMedian.from_cost_matrix(cost, w, p=2)
    model.solve()
    other = model.with_weights(w[::-1].to_numpy())
    assert other is not model and type(other) is PMedian and other.p == 2
    pd.testing.assert_series_equal(model.weights, w.rename("weight"))  # untouched
    assert other.weights.tolist() == w[::-1].tolist()
    assert other.solve().objective == pytest.approx(_brute(cost.to_numpy(), w[::-1].to_numpy(), 2))
    with pytest.raises(DataError, match="length 3"):
        model.with_weights([1.0, 2.0, 3.0])
    with pytest.raises(DataError, match="d0"):
        model.with_weights(w.drop("d0"))
    # the model's own checks run again: capacity below the new total weight
    fl = FacilityLocation.from_cost_matrix(cost, w, fixed_cost=1.0, capacity=10.0)
    with pytest.raises(SpecificationError, match="total capacity"):
        fl.with_weights(w * 100)


def test_a_model_with_derived_weights_refuses_other_weights():
    c = pd.DataFrame([[0.0, 2.0, 3.0], [2.0, 0.0, 1.0], [3.0, 1.0, 0.0]])
    hub = HubMedian.from_cost_matrix(c, flows=np.ones((3, 3)), p=1)
    with pytest.raises(SpecificationError, match="HubMedian derives its weights"):
        hub.with_weights([1.0, 1.0, 1.0])


@pytest.mark.parametrize("name", ["pmedian", "pcenter", "mclp", "fixed"])
def test_objective_of_matches_the_fixed_plan_solved(name):
    cost, w = _instance(8, 4, seed=5)
    build = {
        "pmedian": lambda: PMedian.from_cost_matrix(cost, w, p=2),
        "pcenter": lambda: PCenter.from_cost_matrix(cost, w, p=2),
        "mclp": lambda: MaxCoverage.from_cost_matrix(cost, w, p=2, radius=25.0),
        "fixed": lambda: FacilityLocation.from_cost_matrix(cost, w, fixed_cost=30.0),
    }[name]
    model = build()
    C, wv = cost.to_numpy(), w.to_numpy()
    for combo in itertools.combinations(range(4), 2):
        open_ = list(cost.columns[list(combo)])
        near = C[:, list(combo)].min(axis=1)
        expected = {
            "pmedian": float(wv @ near),
            "pcenter": float(near.max()),
            "mclp": float(wv[near <= 25.0].sum()),
            "fixed": 60.0 + float(wv @ near),
        }[name]
        assert model.objective_of(open_) == pytest.approx(expected, rel=1e-9)
    with pytest.raises(SpecificationError, match="not candidates"):
        model.objective_of(["nowhere"])


def test_pmedian_objective_of_needs_p_centres():
    cost, w = _instance()
    with pytest.raises(SpecificationError, match="open names 1 centres but p=2"):
        PMedian.from_cost_matrix(cost, w, p=2).objective_of(["c0"])


def test_maximises():
    cost, w = _instance()
    assert not PMedian.from_cost_matrix(cost, w, p=2).maximises
    assert MaxCoverage.from_cost_matrix(cost, w, p=2, radius=20.0).maximises


class _Nearest(PMedian):
    """A p-median with its own formulation: must not get the p-median's warm re-solve."""

    def _solve(self, ctx):
        return super()._solve(ctx)


@pytest.mark.parametrize(
    ("cls", "options", "warm"),
    [
        (PMedian, {}, True),
        (PMedian, {"warm": False}, False),
        (PMedian, {"solver": "cbc"}, False),
        (_Nearest, {}, False),
        (FacilityLocation, {}, False),
    ],
)
def test_resolver_is_warm_only_where_the_model_has_a_warm_re_solve(cls, options, warm):
    cost, w = _instance(10, 6, seed=3)
    params = {"fixed_cost": 20.0} if cls is FacilityLocation else {"p": 2}
    model = cls.from_cost_matrix(cost, w, **params)
    resolver = model.resolver(start=model.solve().open, **options)
    assert resolver.warm is warm
    rng = np.random.default_rng(0)
    C = cost.to_numpy()
    for _ in range(5):
        wk = w.to_numpy() * np.exp(rng.normal(0, 0.7, len(w)))
        got = resolver.solve(wk)
        assert str(got.status) == "optimal"
        cold = model.with_weights(wk).solve()
        assert got.objective == pytest.approx(cold.objective, rel=1e-9)
        assert list(got.open) == list(cold.open)
        assert resolver.objective_of(got.open, wk) == pytest.approx(got.objective, rel=1e-9)
        if cls is not FacilityLocation:
            assert got.objective == pytest.approx(_brute(C, wk, 2), rel=1e-9)


@pytest.mark.parametrize("unit", [1e-14, 1.0, 1e14])
def test_warm_pmedian_re_solve_does_not_depend_on_the_weights_units(unit):
    """The warm re-solver scales its objective as a cold solve does (absolute tolerances).

    Before the scaling, weights in units of 1e-14 gave a different answer from the cold
    solve on every draw.
    """
    rng = np.random.default_rng(3)
    pts = rng.uniform(0, 100, (120, 2))
    cand = pts[rng.choice(120, 40, replace=False)]
    C = np.sqrt(((pts[:, None] - cand[None]) ** 2).sum(-1))
    w = rng.uniform(1, 10, 120) * unit
    model = PMedian.from_cost_matrix(C, w, p=5)
    resolver = model.resolver(warm=True)
    assert resolver.warm
    for _ in range(6):
        wk = w * np.exp(rng.normal(0, 0.7, 120))
        got, cold = resolver.solve(wk), model.with_weights(wk).solve()
        assert str(got.status) == str(cold.status) == "optimal"
        assert got.objective == pytest.approx(cold.objective, rel=1e-9)
        assert list(got.open) == list(cold.open)


def test_robustness_touches_no_private_attribute_and_tests_no_class_name():
    """robustness uses the public hook; nothing compares a model's class name."""
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "borderhub" / "robustness").glob("*.py"))
    ]
    assert len(trees) >= 3
    private = sorted(
        {
            node.attr
            for tree in trees
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "sys"))
        }
    )
    assert private == [], private
    models = {"PMedian", "PCenter", "MaxCoverage", "SetCover", "FacilityLocation", "HubMedian"}
    for path in [*ROOT.joinpath("borderhub").rglob("*.py"), *ROOT.joinpath("tests").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                by_name = any(isinstance(x, ast.Attribute) and x.attr == "__name__" for x in sides)
                model = any(isinstance(x, ast.Constant) and x.value in models for x in sides)
                assert not (by_name and model), f"{path.name}:{node.lineno}"
