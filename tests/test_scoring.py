"""Tests of borderhub.scoring: methods, weights, stability, errors."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm.methods import TOPSIS, VIKOR, WSM
from pymcdm.normalizations import minmax_normalization, vector_normalization
from pymcdm.weights import entropy_weights as pymcdm_entropy

import borderhub.scoring as bh_scoring
from borderhub.exceptions import DataError, SpecificationError
from borderhub.scoring import (
    AHPResult,
    Criterion,
    Method,
    ahp_weights,
    entropy_weights,
    rank_stability,
    score,
)

METHODS = ["topsis", "weighted_sum", "vikor"]
HYP = settings(max_examples=60, deadline=None)


def _frame(matrix: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(matrix, columns=[f"c{j}" for j in range(matrix.shape[1])]).set_axis(
        [f"a{i}" for i in range(matrix.shape[0])]
    )


@st.composite
def problems(draw, min_rows=2, distinct=True):
    """A random decision problem: positive matrix, directions, positive weights."""
    m = draw(st.integers(min_rows, 12))
    n = draw(st.integers(1, 6))
    mat = draw(arrays(np.float64, (m, n), elements=st.floats(0.5, 1000.0, allow_subnormal=False)))
    if distinct:
        # keep every column non-constant (pymcdm's VIKOR refuses constant columns)
        mat = mat + np.arange(m)[:, None] * 1e-3 * (np.ptp(mat, axis=0) == 0)
    types = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    return mat, types, w / w.sum()


def _crit(types: np.ndarray) -> dict[str, str]:
    return {f"c{j}": ("benefit" if t == 1 else "cost") for j, t in enumerate(types)}


def _wmap(w: np.ndarray) -> dict[str, float]:
    return {f"c{j}": float(x) for j, x in enumerate(w)}


# ------------------------------------------------------------------ independent implementation


@HYP
@given(problems())
def test_topsis_agrees_with_pymcdm(problem):
    mat, types, w = problem
    ours = score(_frame(mat), _crit(types), _wmap(w), method="topsis")["score"].to_numpy()
    ref = TOPSIS(normalization_function=vector_normalization)(mat, w, types, validation=False)
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)


@HYP
@given(problems())
def test_weighted_sum_agrees_with_pymcdm(problem):
    mat, types, w = problem
    ours = score(_frame(mat), _crit(types), _wmap(w), method="weighted_sum")["score"].to_numpy()
    ref = WSM(normalization_function=minmax_normalization)(mat, w, types, validation=False)
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)


@HYP
@given(problems(min_rows=3))
def test_vikor_agrees_with_pymcdm(problem):
    mat, types, w = problem
    with np.errstate(all="ignore"):
        ref_q = VIKOR()(mat, w, types, validation=False)
    # pymcdm leaves Q undefined (0/0) when every S or every R is equal; borderhub sets that
    # term to 0 (tested in test_vikor_degenerate_terms)
    assume(np.isfinite(ref_q).all())
    out = score(_frame(mat), _crit(types), _wmap(w), method="vikor")
    np.testing.assert_allclose(out["Q"].to_numpy(), ref_q, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(out["score"].to_numpy(), 1 - ref_q, rtol=1e-9, atol=1e-9)


def _entropy_d(mat):
    p = mat / mat.sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(mat.shape[0])
    return np.where(np.ptp(mat, axis=0) <= 1e-12 * mat.max(axis=0), 0.0, 1.0 - e)


@HYP
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(2, 15), st.integers(1, 6)),
        elements=st.floats(0.01, 1e4, allow_subnormal=False),
    )
)
def test_entropy_weights_agree_with_pymcdm(mat):
    """Columns constant up to rounding carry no information and raise when all are."""
    constant = np.ptp(mat, axis=0) <= 1e-12 * np.abs(mat).max(axis=0)
    if constant.all() or not (_entropy_d(mat) > 0).any():
        with pytest.raises(DataError, match="constant"):
            entropy_weights(mat)
        return
    ours = entropy_weights(mat)
    ref = pymcdm_entropy(mat)
    np.testing.assert_allclose(ours, ref, rtol=1e-7, atol=1e-9)
    assert ours.sum() == pytest.approx(1.0)


def test_vikor_degenerate_terms():
    # every candidate has the same group utility S: Q is decided by the regret R alone
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]})
    out = score(frame, {"a": "benefit", "b": "cost"}, method="vikor")
    np.testing.assert_allclose(out["S"], 0.5)
    np.testing.assert_allclose(out["Q"], [0.5, 0.0, 0.5])
    assert out["rank"].tolist() == [2, 1, 2]


def test_entropy_zeros_and_constant_columns():
    mat = np.array([[0.0, 5.0, 2.0], [0.0, 1.0, 2.0], [3.0, 9.0, 2.0]])
    w = entropy_weights(mat)
    assert w[2] == 0.0  # constant column carries no information
    assert np.isfinite(w).all() and w.sum() == pytest.approx(1.0)
    # column 0 concentrates all mass on one row: entropy 0, largest weight
    assert w[0] == w.max()
    frame = pd.DataFrame(mat, columns=["x", "y", "z"])
    assert list(entropy_weights(frame).index) == ["x", "y", "z"]
    with pytest.raises(DataError, match="non-negative"):
        entropy_weights([[1.0, -1.0], [2.0, 3.0]])
    with pytest.raises(DataError, match="constant"):
        entropy_weights([[1.0, 0.0], [1.0, 0.0]])
    with pytest.raises(DataError, match="2 rows"):
        entropy_weights([[1.0, 2.0]])


# ------------------------------------------------------------------------------------ AHP


# Saaty, T. L. (1990). How to make a decision: The analytic hierarchy process. European
# Journal of Operational Research 48(1), 9-26: the house-buying example, criteria
# (1) size of house, (2) transportation, (3) neighbourhood, (4) age of house, (5) yard
# space, (6) modern facilities, (7) general condition, (8) financing. Published priority
# vector 0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333 with lambda_max = 9.669,
# CI = 0.238 and CR = 0.169 (RI(8) = 1.41): an example of judgements to be revised.
SAATY_HOUSE_UPPER = {
    (0, 1): 5, (0, 2): 3, (0, 3): 7, (0, 4): 6, (0, 5): 6, (0, 6): 1 / 3, (0, 7): 1 / 4,
    (1, 2): 1 / 3, (1, 3): 5, (1, 4): 3, (1, 5): 3, (1, 6): 1 / 5, (1, 7): 1 / 7,
    (2, 3): 6, (2, 4): 3, (2, 5): 4, (2, 6): 6, (2, 7): 1 / 5,
    (3, 4): 1 / 3, (3, 5): 1 / 4, (3, 6): 1 / 7, (3, 7): 1 / 8,
    (4, 5): 1 / 2, (4, 6): 1 / 5, (4, 7): 1 / 6,
    (5, 6): 1 / 5, (5, 7): 1 / 6,
    (6, 7): 1 / 2,
}  # fmt: skip
SAATY_HOUSE_WEIGHTS = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]


def _saaty_house() -> pd.DataFrame:
    labels = ["size", "transport", "neighbourhood", "age", "yard", "facilities",
              "condition", "financing"]  # fmt: skip
    a = np.ones((8, 8))
    for (i, j), x in SAATY_HOUSE_UPPER.items():
        a[i, j], a[j, i] = x, 1 / x
    return pd.DataFrame(a, index=labels, columns=labels)


def test_ahp_reproduces_saaty_1990_house_example():
    res = ahp_weights(_saaty_house())
    assert isinstance(res, AHPResult)
    np.testing.assert_allclose(res.weights.to_numpy(), SAATY_HOUSE_WEIGHTS, atol=5e-4)
    assert list(res.weights.index)[0] == "size"
    assert res.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert res.consistency_index == pytest.approx(0.238, abs=5e-4)
    assert res.random_index == 1.41
    assert res.consistency_ratio == pytest.approx(0.169, abs=5e-4)
    assert not res.consistent
    with pytest.raises(SpecificationError, match="0.169"):
        ahp_weights(_saaty_house(), strict=True)


def test_ahp_consistent_matrix_recovers_ratios():
    w = np.array([0.5, 0.3, 0.2])
    a = w[:, None] / w[None, :]
    res = ahp_weights(a, strict=True)
    np.testing.assert_allclose(res.weights.to_numpy(), w)
    assert res.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert res.lambda_max == pytest.approx(3.0)


def test_ahp_weights_feed_score():
    labels = ["volume", "km"]
    res = ahp_weights(pd.DataFrame([[1, 3], [1 / 3, 1]], index=labels, columns=labels))
    frame = pd.DataFrame({"volume": [1.0, 2.0, 3.0], "km": [5.0, 1.0, 9.0]})
    out = score(frame, {"volume": "benefit", "km": "cost"}, res)
    assert out.attrs["weights"] == pytest.approx({"volume": 0.75, "km": 0.25})


@pytest.mark.parametrize(
    ("pairwise", "match"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], "square"),
        ([[1, 2], [0.5, 1], [1, 1]], "square"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[1, 0], [np.inf, 1]], "positive"),
        ([[1, 2], [2, 1]], "reciprocal"),
        ([[2, 2], [0.5, 1]], "diagonal"),
        (np.ones((16, 16)), "hierarchy"),
        ([["a", "b"], ["c", "d"]], "positive numbers"),
    ],
)
def test_ahp_bad_matrices(pairwise, match):
    with pytest.raises(SpecificationError, match=match):
        ahp_weights(pairwise)


def test_ahp_tolerates_rounded_reciprocals_and_mismatched_labels():
    res = ahp_weights([[1, 3, 0.2], [0.33, 1, 0.14], [5, 7, 1]])
    assert res.weights.sum() == pytest.approx(1.0)
    bad = pd.DataFrame([[1, 2], [0.5, 1]], index=["a", "b"], columns=["b", "a"])
    with pytest.raises(SpecificationError, match="same labels"):
        ahp_weights(bad)


# ------------------------------------------------------------------------- properties


@HYP
@given(problems(), st.data())
def test_dominating_candidate_scores_at_least_as_high(problem, data):
    mat, types, w = problem
    m = mat.shape[0]
    i = data.draw(st.integers(0, m - 1))
    j = data.draw(st.integers(0, m - 1).filter(lambda k: k != i))
    # make row i dominate row j
    better = np.where(types == 1, np.maximum(mat[i], mat[j]), np.minimum(mat[i], mat[j]))
    mat = mat.copy()
    mat[i] = better
    for method in METHODS:
        out = score(_frame(mat), _crit(types), _wmap(w), method=method)
        assert out["score"].iloc[i] >= out["score"].iloc[j] - 1e-12
        assert out["rank"].iloc[i] <= out["rank"].iloc[j]


@HYP
@given(problems(), st.data())
def test_raising_a_benefit_never_lowers_the_weighted_sum(problem, data):
    mat, types, w = problem
    if not (types == 1).any():
        types = types.copy()
        types[0] = 1
    j = int(np.flatnonzero(types == 1)[0])
    i = data.draw(st.integers(0, mat.shape[0] - 1))
    bump = data.draw(st.floats(0.0, 500.0))
    before = score(_frame(mat), _crit(types), _wmap(w), method="weighted_sum")
    mat2 = mat.copy()
    mat2[i, j] += bump
    after = score(_frame(mat2), _crit(types), _wmap(w), method="weighted_sum")
    assert after["score"].iloc[i] >= before["score"].iloc[i] - 1e-12
    assert after["rank"].iloc[i] <= before["rank"].iloc[i]


@HYP
@given(problems(), st.floats(1e-3, 1e3), st.data())
def test_topsis_invariant_to_positive_column_scaling(problem, factor, data):
    mat, types, w = problem
    j = data.draw(st.integers(0, mat.shape[1] - 1))
    base = score(_frame(mat), _crit(types), _wmap(w))
    scaled = mat.copy()
    scaled[:, j] *= factor
    out = score(_frame(scaled), _crit(types), _wmap(w))
    np.testing.assert_allclose(out["score"], base["score"], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_contributions_explain_the_score(method):
    rng = np.random.default_rng(3)
    frame = _frame(rng.uniform(1, 100, (20, 4)))
    crit = {"c0": "benefit", "c1": "cost", "c2": "benefit", "c3": "cost"}
    out = score(frame, crit, {"c0": 4, "c1": 3, "c2": 2, "c3": 1}, method=method)
    contrib = out[[f"c{j}_contrib" for j in range(4)]].sum(axis=1)
    if method == "topsis":
        np.testing.assert_allclose(0.5 + contrib, out["score"], atol=1e-12)
    elif method == "weighted_sum":
        np.testing.assert_allclose(contrib, out["score"], atol=1e-12)
    else:
        np.testing.assert_allclose(contrib, 1 - out["S"], atol=1e-12)
    assert out.attrs["weights"] == pytest.approx({"c0": 0.4, "c1": 0.3, "c2": 0.2, "c3": 0.1})
    assert list(out.index) == list(frame.index)
    assert out["rank"].min() == 1 and out["rank"].dtype == np.int64


@pytest.mark.parametrize("method", METHODS)
def test_constant_criterion_gives_no_nan(method):
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "k": [7.0, 7.0, 7.0], "z": [0.0, 0.0, 0.0]})
    out = score(frame, {"a": "benefit", "k": "cost", "z": "benefit"}, method=method)
    assert not out.isna().any().any()
    assert out["rank"].tolist() == [3, 2, 1]
    only_const = score(frame, {"k": "cost", "z": "benefit"}, method=method)
    assert not only_const.isna().any().any()
    assert only_const["rank"].tolist() == [1, 1, 1]


@pytest.mark.parametrize("method", METHODS)
def test_ties_share_the_better_rank(method):
    frame = pd.DataFrame(
        {"v": [5.0, 9.0, 9.0, 1.0, 5.0], "d": [2.0, 1.0, 1.0, 3.0, 2.0]},
        index=list("abcde"),
    )
    out = score(frame, {"v": "benefit", "d": "cost"}, method=method)
    assert out["rank"].to_dict() == {"b": 1, "c": 1, "a": 3, "e": 3, "d": 5}


@pytest.mark.parametrize("method", METHODS)
def test_inputs_are_not_mutated(method):
    frame = pd.DataFrame(
        {"v": [5.0, np.nan, 9.0], "d": [2.0, 1.0, 4.0], "flag": [True, False, True]},
        index=["x", "y", "z"],
    )
    crit = {"v": "benefit", "d": "cost", "flag": "benefit"}
    weights = {"v": 2, "d": 1, "flag": 1}
    before = (frame.copy(deep=True), copy.deepcopy(crit), copy.deepcopy(weights))
    score(frame, crit, weights, method=method, nan_policy="worst")
    rank_stability(frame, crit, weights, method=method, n=20, nan_policy="drop")
    pd.testing.assert_frame_equal(frame, before[0])
    assert crit == before[1] and weights == before[2]


def test_weight_forms():
    frame = pd.DataFrame({"v": [1.0, 4.0, 2.0], "d": [3.0, 2.0, 9.0]})
    crit = {"v": "benefit", "d": "cost"}
    eq = score(frame, crit)
    assert eq.attrs["weights"] == {"v": 0.5, "d": 0.5}
    assert score(frame, crit, "equal").attrs["weights"] == {"v": 0.5, "d": 0.5}
    ent = score(frame, crit, "entropy").attrs["weights"]
    assert ent == pytest.approx(dict(entropy_weights(frame).items()))
    assert score(frame, crit, [3, 1]).attrs["weights"] == {"v": 0.75, "d": 0.25}
    assert score(frame, crit, pd.Series({"d": 1, "v": 1})).attrs["weights"] == eq.attrs["weights"]
    carried = [Criterion("v", "v", "benefit", 3), Criterion("d", "d", "cost", 1)]
    assert score(frame, carried).attrs["weights"] == {"v": 0.75, "d": 0.25}
    assert score(frame, carried, "equal").attrs["weights"] == {"v": 0.5, "d": 0.5}


def test_callable_criteria_and_enum_method():
    frame = pd.DataFrame({"v": [1.0, 4.0, 2.0]}, index=["p", "q", "r"])
    crits = [
        Criterion("v", "v", "benefit"),
        # a callable returning the Series in another order is aligned by label
        Criterion("neg", lambda f: -f["v"].iloc[::-1], "cost", unit="-"),
        Criterion("arr", lambda f: np.arange(len(f)), "benefit"),
    ]
    out = score(frame, crits, method=Method.WEIGHTED_SUM)
    assert out["neg_norm"].to_dict() == {"p": 0.0, "q": 1.0, "r": 1 / 3}
    assert out["arr_norm"].tolist() == [0.0, 0.5, 1.0]


# ------------------------------------------------------------------------- bad input


BAD_FRAME = pd.DataFrame(
    {
        "v": [1.0, np.nan, 3.0, np.inf],
        "d": [1.0, 2.0, 3.0, 4.0],
        "name": ["a", "b", "c", "d"],
    },
    index=["110000", "120000", "310000", "440300"],
)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"criteria": {"nope": "benefit"}}, DataError, "nope"),
        ({"criteria": {"name": "benefit"}}, DataError, "not numeric"),
        ({"criteria": {"v": "benefit"}, "nan_policy": "raise"}, DataError, r"'120000', '440300'"),
        ({"criteria": {"d": "more"}}, SpecificationError, "benefit' or 'cost"),
        ({"criteria": {}}, SpecificationError, "no criteria"),
        ({"criteria": ["d"]}, SpecificationError, "Criterion"),
        ({"criteria": {"d": "cost"}, "weights": {"d": -1}}, SpecificationError, ">= 0"),
        ({"criteria": {"d": "cost"}, "weights": {"d": 0}}, SpecificationError, "all zero"),
        ({"criteria": {"d": "cost"}, "weights": {"d": np.nan}}, SpecificationError, "finite"),
        ({"criteria": {"d": "cost"}, "weights": {"d": 1, "x": 1}}, SpecificationError, "'x'"),
        (
            {"criteria": {"d": "cost", "v": "benefit"}, "weights": {"d": 1}, "nan_policy": "drop"},
            SpecificationError,
            "'v'",
        ),
        ({"criteria": {"d": "cost"}, "weights": "heavy"}, SpecificationError, "heavy"),
        ({"criteria": {"d": "cost"}, "weights": [1, 2]}, SpecificationError, "one weight"),
        ({"criteria": {"d": "cost"}, "method": "electre"}, SpecificationError, "topsis"),
        ({"criteria": {"d": "cost"}, "nan_policy": "ignore"}, SpecificationError, "nan_policy"),
        ({"criteria": {"d": "cost"}, "method": "vikor", "v": 2}, SpecificationError, "v must"),
    ],
)
def test_bad_input_is_reported(kwargs, error, match):
    with pytest.raises(error, match=match):
        score(BAD_FRAME, **kwargs)


def test_bad_candidates():
    with pytest.raises(DataError, match="duplicate"):
        score(pd.DataFrame({"v": [1.0, 2.0]}, index=["a", "a"]), {"v": "benefit"})
    with pytest.raises(DataError, match="empty"):
        score(pd.DataFrame({"v": []}), {"v": "benefit"})
    with pytest.raises(DataError, match="DataFrame"):
        score([[1, 2]], {"v": "benefit"})
    with pytest.raises(SpecificationError, match="unique"):
        score(BAD_FRAME, [Criterion("d", "d", "cost"), Criterion("d", "v", "cost")])
    with pytest.raises(DataError, match="other labels"):
        score(BAD_FRAME, [Criterion("x", lambda f: pd.Series([1.0], index=["zz"]), "cost")])
    with pytest.raises(SpecificationError, match="carry a weight"):
        score(BAD_FRAME, [Criterion("d", "d", "cost", 1.0), Criterion("e", "d", "cost")])


def test_nan_policies():
    crit = {"v": "benefit", "d": "cost"}
    dropped = score(BAD_FRAME, crit, nan_policy="drop")
    assert list(dropped.index) == ["110000", "310000"]
    worst = score(BAD_FRAME, crit, nan_policy="worst", method="weighted_sum")
    assert list(worst.index) == list(BAD_FRAME.index)
    assert worst.loc["120000", "v_norm"] == 0.0 and worst.loc["440300", "v_norm"] == 0.0
    with pytest.raises(DataError, match="no candidate"):
        score(pd.DataFrame({"v": [np.nan]}), {"v": "benefit"}, nan_policy="drop")


# -------------------------------------------------------------------- rank stability


@pytest.mark.parametrize("method", METHODS)
def test_rank_stability_matches_a_per_draw_loop(method):
    rng = np.random.default_rng(7)
    frame = _frame(rng.uniform(1, 100, (15, 4)))
    crit = {"c0": "benefit", "c1": "cost", "c2": "benefit", "c3": "cost"}
    w = np.array([0.4, 0.3, 0.2, 0.1])
    n, spread, seed = 40, 0.3, 11
    st_ = rank_stability(frame, crit, _wmap(w), method=method, n=n, spread=spread, seed=seed,
                         top_k=5)  # fmt: skip
    # the documented draw, replayed one by one through score()
    z = np.random.default_rng(seed).standard_normal((n, 4))
    draws = w * np.exp(spread * z - spread**2 / 2)
    draws /= draws.sum(axis=1, keepdims=True)
    ranks = np.column_stack(
        [score(frame, crit, _wmap(d), method=method)["rank"].to_numpy() for d in draws]
    )
    np.testing.assert_allclose(st_["mean_rank"], ranks.mean(axis=1))
    np.testing.assert_array_equal(st_["best_rank"], ranks.min(axis=1))
    np.testing.assert_array_equal(st_["worst_rank"], ranks.max(axis=1))
    np.testing.assert_allclose(st_["p_top_k"], (ranks <= 5).mean(axis=1))
    np.testing.assert_array_equal(st_["rank"], score(frame, crit, _wmap(w), method=method)["rank"])
    assert (st_["rank_lo"] <= st_["rank_hi"]).all()


def test_rank_stability_zero_spread_and_determinism():
    rng = np.random.default_rng(1)
    frame = _frame(rng.uniform(1, 100, (12, 3)))
    crit = {"c0": "benefit", "c1": "cost", "c2": "benefit"}
    still = rank_stability(frame, crit, spread=0.0, n=5, top_k=3)
    assert (still["mean_rank"] == still["rank"]).all()
    assert (still["rank_lo"] == still["rank"]).all() and (still["rank_hi"] == still["rank"]).all()
    assert set(still["p_top_k"]) <= {0.0, 1.0} and still["p_top_k"].sum() == 3
    a = rank_stability(frame, crit, n=200, seed=5)
    b = rank_stability(frame, crit, n=200, seed=5)
    pd.testing.assert_frame_equal(a, b)
    c = rank_stability(frame, crit, n=200, seed=6)
    assert not a["mean_rank"].equals(c["mean_rank"])
    assert a.attrs["n"] == 200 and a.attrs["top_k"] == 10


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, "n "),
        ({"spread": -0.1}, "spread"),
        ({"top_k": 0}, "top_k"),
        ({"interval": (90, 10)}, "interval"),
        ({"method": "ahp"}, "topsis"),
    ],
)
def test_rank_stability_bad_parameters(kwargs, match):
    frame = pd.DataFrame({"v": [1.0, 2.0, 3.0]})
    with pytest.raises(SpecificationError, match=match):
        rank_stability(frame, {"v": "benefit"}, **kwargs)


def test_default_nan_policy_fills_a_criterion_known_for_half_and_lists_the_rows():
    crit = {"v": "benefit", "d": "cost"}
    miss = bh_scoring.missing_values(BAD_FRAME, crit)
    assert list(miss.index) == list(BAD_FRAME.index[~np.isfinite(BAD_FRAME["v"])])
    assert miss["v"].all() and not miss["d"].any()
    assert set(miss["missing"]) == {"v"}
    # "v" is finite for 2 of 4 rows: half is not sparse, so "auto" fills it like "worst"
    assert bh_scoring.sparse_criteria(BAD_FRAME, crit).empty
    default = score(BAD_FRAME, crit)
    worst = score(BAD_FRAME, crit, nan_policy="worst")
    pd.testing.assert_frame_equal(default, worst)
    assert default.attrs["omitted"] == {}
    assert bh_scoring.missing_values(BAD_FRAME[np.isfinite(BAD_FRAME["v"])], crit).empty


def test_bundled_airport_cargo_missing_is_nan_not_zero():
    from borderhub import datasets

    cand = datasets.candidates()
    cargo = bh_scoring.airport_cargo(cand)
    assert cargo.isna().sum() == cand["airport_cargo"].isna().sum() > 0
    miss = bh_scoring.missing_values(cand, bh_scoring.default_criteria())
    assert set(miss.index) == set(cand.index[cand["airport_cargo"].isna()])
    assert "530100" in miss.index and "450100" in miss.index
    # sourced for fewer than half of the places: the default leaves it out, with a warning
    sparse = bh_scoring.sparse_criteria(cand, bh_scoring.default_criteria())
    assert list(sparse.index) == ["airport_cargo"]
    assert sparse["airport_cargo"] == cand["airport_cargo"].notna().mean() < 0.5
    with pytest.warns(UserWarning, match="airport_cargo"):
        ranked = score(cand, bh_scoring.default_criteria())
    assert ranked.index.equals(cand.index) and ranked["rank"].is_unique
    assert set(ranked.attrs["omitted"]) == {"airport_cargo"}
    assert "airport_cargo_contrib" not in ranked
    assert sum(ranked.attrs["weights"].values()) == pytest.approx(1.0)
    # the weights of the others keep their ratios (default 0.2 : 0.2 for RCEP and volume)
    w = ranked.attrs["weights"]
    assert w["rcep_proximity"] / w["express_volume"] == pytest.approx(1.0)
    assert w["rcep_proximity"] == pytest.approx(0.2 / 0.85)
    worst = score(cand, bh_scoring.default_criteria(), nan_policy="worst")
    assert "airport_cargo_contrib" in worst and worst.attrs["omitted"] == {}
    with pytest.raises(DataError, match="530100"):
        score(cand, bh_scoring.default_criteria(), nan_policy="raise")


SPARSE = pd.DataFrame(
    {
        "v": [5.0, 3.0, 4.0, 1.0, 2.0],
        "d": [10.0, 40.0, 20.0, 30.0, 50.0],
        "air": [80.0, np.nan, np.nan, 20.0, np.nan],  # 2 of 5: sparse
    },
    index=list("abcde"),
)
SPARSE_CRIT = {"v": "benefit", "d": "cost", "air": "benefit"}


@pytest.mark.parametrize("method", ["topsis", "weighted_sum", "vikor"])
@pytest.mark.parametrize(
    "weights", [None, "equal", "entropy", {"v": 3.0, "d": 1.0, "air": 6.0}, [3.0, 1.0, 6.0]]
)
def test_auto_scores_as_if_the_sparse_criterion_were_not_given(method, weights):
    """Leaving a sparse criterion out = scoring the others with renormalised weights."""
    with pytest.warns(UserWarning, match=r"'air' \(a value for 2 of 5\)"):
        auto = score(SPARSE, SPARSE_CRIT, weights, method=method)
    rest = {"v": "benefit", "d": "cost"}
    if isinstance(weights, dict):
        sub: object = {"v": 3.0, "d": 1.0}
    elif isinstance(weights, list):
        sub = [3.0, 1.0]
    else:
        sub = weights
    ref = score(SPARSE[["v", "d"]], rest, sub, method=method)
    pd.testing.assert_series_equal(auto["score"], ref["score"], rtol=1e-12, atol=1e-12)
    assert auto["rank"].tolist() == ref["rank"].tolist()
    assert auto.attrs["weights"] == pytest.approx(ref.attrs["weights"])
    assert auto.attrs["omitted"] == {"air": pytest.approx(0.4)}
    # rank_stability leaves it out the same way and says so
    with pytest.warns(UserWarning, match="air"):
        st = rank_stability(SPARSE, SPARSE_CRIT, weights, method=method, n=30)
    assert st["rank"].tolist() == ref["rank"].tolist()
    assert st.attrs["omitted"] == auto.attrs["omitted"]


def test_worst_keeps_the_sparse_criterion_and_auto_leaves_inputs_alone():
    before = SPARSE.copy()
    worst = score(SPARSE, SPARSE_CRIT, nan_policy="worst")
    assert "air_contrib" in worst and worst.attrs["omitted"] == {}
    # "worst": b, c and e take 20.0, the smallest figure, so d counts no more than they do
    assert worst["air_norm"]["b"] == worst["air_norm"]["d"]
    with pytest.warns(UserWarning):
        score(SPARSE, SPARSE_CRIT)
    pd.testing.assert_frame_equal(SPARSE, before)
    assert bh_scoring.sparse_criteria(SPARSE, SPARSE_CRIT).to_dict() == {"air": 0.4}
