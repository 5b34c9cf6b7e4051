"""Weighted set covering (SetCover fixed_cost=) and coverage models on a 0/1 incidence matrix.

Brute force: the cheapest set of allowed candidates covering every demand point with
positive weight, by enumeration on tiny random instances; and a coverage matrix must give
exactly the model built from costs and a radius whose comparison yields that matrix.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate import MaxCoverage, SetCover

SOME = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def covering(draw):
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 6))
    cells = draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))
    cover = np.array(cells, dtype=bool).reshape(n, m)
    cover[np.arange(n), draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))] = True
    fixed = np.array(draw(st.lists(st.integers(0, 9), min_size=m, max_size=m)), dtype=float)
    forbidden = draw(st.lists(st.integers(0, m - 1), max_size=1, unique=True))
    return cover, fixed, forbidden


def cheapest_cover(cover: np.ndarray, fixed: np.ndarray, forbidden: list[int]) -> float:
    allowed = [j for j in range(cover.shape[1]) if j not in forbidden]
    best = math.inf
    for k in range(1, len(allowed) + 1):
        for combo in itertools.combinations(allowed, k):
            if cover[:, list(combo)].any(axis=1).all():
                best = min(best, float(fixed[list(combo)].sum()))
    return best


@SOME
@given(covering())
def test_weighted_set_cover_equals_brute_force_and_matches_the_cost_form(inst):
    cover, fixed, forbidden = inst
    expected = cheapest_cover(cover, fixed, forbidden)
    frame = pd.DataFrame(cover.astype(int))
    if expected == math.inf:  # some point only coverable by a forbidden candidate
        with pytest.raises(SpecificationError, match="cannot be covered|every candidate is forb"):
            SetCover.from_coverage_matrix(frame, fixed_cost=fixed, forbidden=forbidden)
        return
    sol = SetCover.from_coverage_matrix(frame, fixed_cost=fixed, forbidden=forbidden).solve()
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(expected)
    opened = np.asarray(sol.open, dtype=int)
    assert cover[:, opened].any(axis=1).all()
    assert sol.objective == pytest.approx(fixed[opened].sum())
    # the same model from costs and a radius
    cost = np.where(cover, 3.0, 8.0)
    again = SetCover.from_cost_matrix(cost, radius=5.0, fixed_cost=fixed, forbidden=forbidden)
    assert again.solve().objective == pytest.approx(expected)


def test_set_cover_without_fixed_cost_still_counts_centres():
    cover = pd.DataFrame([[1, 0, 1], [0, 1, 1], [1, 1, 0]], columns=list("abc"))
    sol = SetCover.from_coverage_matrix(cover).solve()
    assert sol.objective == 2.0 and len(sol.open) == 2
    pricey = SetCover.from_coverage_matrix(cover, fixed_cost=pd.Series({"a": 1, "b": 1, "c": 9}))
    assert sorted(pricey.solve().open) == ["a", "b"]


def test_max_coverage_from_a_coverage_matrix():
    cover = pd.DataFrame([[1, 0], [1, 0], [0, 1]], index=["x", "y", "z"], columns=["a", "b"])
    sol = MaxCoverage.from_coverage_matrix(cover, weights=[1, 1, 3], p=1).solve()
    assert list(sol.open) == ["b"] and sol.objective == 3.0
    assert sol.assignment["covered"].tolist() == [False, False, True]


@pytest.mark.parametrize("bad", [[[1, 2], [0, 1]], [[0.5, 1], [1, 0]], [[1, -1], [0, 1]]])
def test_coverage_matrix_must_be_zero_one(bad):
    with pytest.raises(DataError, match="0/1"):
        SetCover.from_coverage_matrix(bad)


@pytest.mark.parametrize("key", ["radius", "gateway_cost", "gateway_weight"])
def test_coverage_matrix_refuses_cost_parameters(key):
    with pytest.raises(SpecificationError, match=key):
        SetCover.from_coverage_matrix([[1, 0], [0, 1]], **{key: 1.0})


def test_set_cover_fixed_cost_is_checked():
    with pytest.raises(DataError, match="fixed_cost"):
        SetCover.from_cost_matrix([[1.0, 2.0]], radius=3, fixed_cost=[1.0, -2.0])
    with pytest.raises(DataError, match="fixed_cost"):
        SetCover.from_cost_matrix([[1.0, 2.0]], radius=3, fixed_cost=[1.0, 2.0, 3.0])
