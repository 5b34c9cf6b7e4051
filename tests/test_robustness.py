"""Tests of borderhub.robustness: draws, frequencies, regret, executors, warm starts."""

from __future__ import annotations

import functools
import itertools
import math
import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import borderhub as bh
from borderhub import datasets
from borderhub.exceptions import DataError, SolverError, SpecificationError
from borderhub.locate import MaxCoverage, PMedian
from borderhub.locate._resolve import MedianResolver
from borderhub.plots import plot_regret, plot_robustness, plot_selection_frequency
from borderhub.robustness import DEFAULT_SPREADS, RobustnessResult, robustness

VOLATILE = ["seconds", "by_lp"]


def _line(n_demand: int = 12, n_cand: int = 6, seed: int = 3):
    """Demand points and candidates on a line: a small p-median with distinct optima."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 100, n_demand))
    c = np.sort(rng.uniform(0, 100, n_cand))
    cost = pd.DataFrame(
        np.abs(x[:, None] - c[None, :]),
        index=[f"d{i}" for i in range(n_demand)],
        columns=[f"c{j}" for j in range(n_cand)],
    )
    weights = pd.Series(rng.uniform(1, 10, n_demand), index=cost.index)
    return cost, weights


def _brute_median(C: np.ndarray, w: np.ndarray, p: int, required=()) -> tuple[float, tuple]:
    best = (math.inf, ())
    for combo in itertools.combinations(range(C.shape[1]), p):
        if not set(required) <= set(combo):
            continue
        value = float(w @ C[:, list(combo)].min(axis=1))
        if value < best[0] - 1e-9:
            best = (value, combo)
    return best


def _brute_cover(C: np.ndarray, w: np.ndarray, p: int, radius: float) -> float:
    covered = C <= radius
    return max(
        float(w[covered[:, list(combo)].any(axis=1)].sum())
        for combo in itertools.combinations(range(C.shape[1]), p)
    )


# --------------------------------------------------------------------------------------
# the warm-started re-solver against brute force
# --------------------------------------------------------------------------------------


@settings(max_examples=25)
@given(
    data=st.data(),
    n_demand=st.integers(2, 8),
    n_cand=st.integers(2, 6),
)
def test_resolver_matches_brute_force_for_every_weight_vector(data, n_demand, n_cand):
    rng = np.random.default_rng(data.draw(st.integers(0, 10_000)))
    C = rng.integers(0, 30, size=(n_demand, n_cand)).astype(float)  # ties on purpose
    p = data.draw(st.integers(1, n_cand))
    required = data.draw(st.sampled_from([(), (0,)])) if p >= 1 else ()
    w0 = rng.uniform(0.5, 5, n_demand)
    model = PMedian.from_cost_matrix(C, w0, p=p, required=list(required))
    resolver = MedianResolver(model, start=model.solve().open)
    for _ in range(4):
        w = w0 * np.exp(rng.normal(0, 0.8, n_demand))
        got = resolver.solve(w)
        expected, _ = _brute_median(C, w, p, required)
        assert str(got.status) == "optimal"
        assert got.objective == pytest.approx(expected, rel=1e-9, abs=1e-9)
        # the reported set really has the reported cost
        cols = [int(j) for j in got.open]
        assert float(w @ C[:, cols].min(axis=1)) == pytest.approx(got.objective, rel=1e-9)
        assert len(cols) == p and set(required) <= set(cols)


def test_resolver_falls_back_to_the_mip_when_the_lp_is_fractional():
    # instances whose LP relaxation is fractional for some draws (found by search): those
    # draws go through the warm-started MIP and must still be exact
    fell_back = 0
    for s in (71, 86, 125):
        rng = np.random.default_rng(s)
        n, m = rng.integers(4, 12), rng.integers(3, 8)
        C = rng.integers(0, 30, (n, m)).astype(float)
        p = int(rng.integers(2, m))
        w0 = rng.uniform(0.5, 5, n)
        resolver = MedianResolver(PMedian.from_cost_matrix(C, w0, p=p))
        for _ in range(4):
            w = w0 * np.exp(rng.normal(0, 0.8, n))
            got = resolver.solve(w)
            fell_back += not got.by_lp
            assert got.objective == pytest.approx(_brute_median(C, w, p)[0], rel=1e-9)
    assert fell_back >= 3


def test_resolver_expands_levels_when_a_draw_needs_them():
    # a start far from the optimum truncates the levels; later vectors must still be exact
    cost, weights = _line(30, 12, seed=5)
    C = cost.to_numpy()
    model = PMedian.from_cost_matrix(cost, weights, p=3)
    resolver = MedianResolver(model, start=cost.columns[:3])
    rng = np.random.default_rng(0)
    rebuilt = 0
    for _ in range(12):
        w = weights.to_numpy() * np.exp(rng.normal(0, 1.5, len(weights)))
        got = resolver.solve(w)
        rebuilt += got.rebuilt
        assert got.objective == pytest.approx(_brute_median(C, w, 3)[0], rel=1e-9)
    assert rebuilt >= 1


def test_resolver_rejects_weight_where_the_template_has_none():
    cost, weights = _line()
    w = weights.copy()
    w.iloc[0] = 0.0
    resolver = MedianResolver(PMedian.from_cost_matrix(cost, w, p=2))
    with pytest.raises(ValueError, match="template"):
        resolver.solve(np.ones(len(w)))


# --------------------------------------------------------------------------------------
# robustness against an independent count
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("warm_start", [True, False])
def test_frequencies_and_regret_match_brute_force(warm_start):
    cost, weights = _line(10, 5, seed=11)
    C = cost.to_numpy()
    res = robustness(
        "pmedian", cost=cost, weights=weights, p=2, n=40, spread=0.6, seed=4,
        progress=False, warm_start=warm_start, batch_size=7,
    )  # fmt: skip
    nominal_value, nominal_set = _brute_median(C, weights.to_numpy(), 2)
    assert list(res.nominal.open) == [cost.columns[j] for j in nominal_set]
    counts = pd.Series(0, index=cost.columns)
    sets: dict[str, int] = {}
    for k in range(40):
        w = res.draw_weights(k).to_numpy()
        value, combo = _brute_median(C, w, 2)
        labels = [cost.columns[j] for j in combo]
        counts[labels] += 1
        sets[";".join(labels)] = sets.get(";".join(labels), 0) + 1
        row = res.draws.loc[k]
        assert row["objective"] == pytest.approx(value, rel=1e-9)
        assert row["open"] == ";".join(labels)
        nominal_cost = float(w @ C[:, list(nominal_set)].min(axis=1))
        assert row["nominal_cost"] == pytest.approx(nominal_cost, rel=1e-9)
        assert row["regret"] == pytest.approx(nominal_cost - value, rel=1e-9, abs=1e-9)
    pd.testing.assert_series_equal(
        res.selection["count"].sort_index(), counts.sort_index(), check_names=False
    )
    assert res.sets["count"].to_dict() == dict(sorted(sets.items(), key=lambda kv: -kv[1]))
    assert res.sets["frequency"].sum() == pytest.approx(1.0)
    assert (res.draws["regret"] > 1e-9).any()  # the instance is uncertain enough


def test_warm_start_equals_cold_solves():
    cost, weights = _line(25, 9, seed=2)
    kwargs = dict(cost=cost, weights=weights, p=3, n=30, spread=0.5, seed=9, progress=False)
    warm = robustness("pmedian", warm_start=True, **kwargs)
    cold = robustness("pmedian", warm_start=False, **kwargs)
    pd.testing.assert_frame_equal(
        warm.draws.drop(columns=VOLATILE), cold.draws.drop(columns=VOLATILE), rtol=1e-9
    )
    assert warm.draws["by_lp"].sum() > 0 and not cold.draws["by_lp"].any()


def test_coverage_model_regret_is_optimum_minus_nominal():
    cost, weights = _line(12, 6, seed=8)
    C = cost.to_numpy()
    res = robustness(
        MaxCoverage, cost=cost, weights=weights, p=2, radius=15.0, n=12, spread=0.7,
        seed=1, progress=False,
    )  # fmt: skip
    assert res.maximise and res.model == "mclp"
    nominal = list(cost.columns.get_indexer(res.nominal.open))
    for k in range(12):
        w = res.draw_weights(k).to_numpy()
        best = _brute_cover(C, w, 2, 15.0)
        mine = float(w[(C[:, nominal] <= 15.0).any(axis=1)].sum())
        assert res.draws.loc[k, "objective"] == pytest.approx(best, rel=1e-7)
        assert res.draws.loc[k, "regret"] == pytest.approx(best - mine, rel=1e-7, abs=1e-7)
    assert (res.draws["regret"] >= -1e-7).all()


def _median_builder(cost, p, weights):
    return PMedian.from_cost_matrix(cost, weights, p=p)


def test_a_model_builder_gives_the_same_result_as_the_class():
    cost, weights = _line(10, 5, seed=6)
    kwargs = dict(weights=weights, n=15, spread=0.4, seed=2, progress=False)
    by_class = robustness("pmedian", cost=cost, p=2, warm_start=False, **kwargs)
    by_builder = robustness(functools.partial(_median_builder, cost, 2), **kwargs)
    assert by_builder.model == "_median_builder"
    pd.testing.assert_frame_equal(
        by_class.draws.drop(columns=VOLATILE),
        by_builder.draws.drop(columns=VOLATILE),
        rtol=1e-9,
    )


def test_inputs_are_not_mutated():
    cost, weights = _line()
    cost0, weights0 = cost.copy(), weights.copy()
    spread = {label: 0.2 for label in cost.index}
    robustness("pmedian", cost=cost, weights=weights, p=2, n=3, spread=spread, progress=False)
    partial = {"d0": 0.2}
    with pytest.raises(SpecificationError, match=r"\['d1', 'd2'"):  # nothing known for d1..
        robustness("pmedian", cost=cost, weights=weights, p=2, n=3, spread=partial)
    pd.testing.assert_frame_equal(cost, cost0)
    pd.testing.assert_series_equal(weights, weights0)
    assert spread == {label: 0.2 for label in cost.index} and partial == {"d0": 0.2}


# --------------------------------------------------------------------------------------
# draws and spreads
# --------------------------------------------------------------------------------------


def test_spreads_follow_the_data_and_the_user_overrides():
    demand = datasets.prefectures()
    method = demand["express_volume_method"].str.lower()
    res = robustness(
        "pmedian", demand, datasets.candidates(), p=1, n=1, progress=False,
        spread={"110000": 0.5},
    )  # fmt: skip
    spreads, sources = res.spreads, res.spread_sources
    assert spreads["110000"] == 0.5 and sources["110000"] == "spread="
    # the bundled tables carry a spread per row: it wins over the method's default
    column = demand["express_volume_spread"]
    others = demand.index != "110000"
    assert column[others].notna().all()
    assert (spreads[others] == column[others]).all()
    assert (sources[others] != "spread=").all()
    estimated = method.str.startswith("estimate") & others
    reported = method.str.startswith("reported")
    assert estimated.sum() > 300 and reported.sum() > 10
    # estimates are wider than sourced figures
    assert spreads[estimated].min() > spreads[reported & others].max()
    manifest = res.manifest()
    assert manifest["spreads"]["110000"] == 0.5
    assert sum(manifest["spread_sources"].values()) == len(demand)


def test_a_spread_column_wins_over_the_method_and_the_estimated_flag_is_used():
    cost, weights = _line(4, 2)
    demand = pd.DataFrame(
        {
            "express_volume": weights,
            "express_volume_spread": [0.11, np.nan, np.nan, np.nan],
            "express_volume_method": ["estimate: x", "reported 2024", None, None],
            "express_volume_estimated": [True, True, True, False],
        },
        index=cost.index,
    )
    res = robustness("pmedian", demand, cost=cost, p=1, n=2, progress=False)
    assert res.spreads.tolist() == [
        0.11,
        DEFAULT_SPREADS["reported"],
        DEFAULT_SPREADS["estimate"],
        DEFAULT_SPREADS["reported"],
    ]
    assert res.spread_sources.iloc[0] == "express_volume_spread"


def test_draws_are_lognormal_around_the_nominal_weights():
    cost, weights = _line(3, 2)
    res = robustness("pmedian", cost=cost, weights=weights, p=1, n=4000, spread=0.3,
                     progress=False, seed=5)  # fmt: skip
    problem = res._problem
    logs = np.log(np.array([res.draw_weights(k) for k in range(0, 4000, 4)]) / weights.values)
    assert np.median(logs, axis=0) == pytest.approx([0, 0, 0], abs=0.05)
    assert logs.std(axis=0) == pytest.approx([0.3, 0.3, 0.3], rel=0.08)
    assert problem is not None and res.draw_weights(7).equals(res.draw_weights(7))
    rng = np.random.default_rng([5, 7])
    expected = weights.to_numpy() * np.exp(0.3 * rng.standard_normal(3))
    np.testing.assert_allclose(res.draw_weights(7).to_numpy(), expected)


def test_correlated_province_shocks():
    cost, weights = _line(6, 2)
    groups = pd.Series(["x", "x", "x", "y", "y", None], index=cost.index)
    kwargs = dict(cost=cost, weights=weights, p=1, n=300, spread=0.4, groups=groups,
                  progress=False)  # fmt: skip
    full = robustness("pmedian", correlation=1.0, **kwargs)
    half = robustness("pmedian", correlation=0.5, **kwargs)
    logs1 = np.log(np.array([full.draw_weights(k) for k in range(300)]) / weights.values)
    # correlation 1: the units of one province move together
    assert np.allclose(logs1[:, 0], logs1[:, 1]) and np.allclose(logs1[:, 3], logs1[:, 4])
    assert not np.allclose(logs1[:, 0], logs1[:, 3])
    logs = np.log(np.array([half.draw_weights(k) for k in range(300)]) / weights.values)
    r = np.corrcoef(logs.T)
    assert 0.35 < r[0, 1] < 0.65 and abs(r[0, 3]) < 0.2 and abs(r[0, 5]) < 0.2
    assert logs.std(axis=0) == pytest.approx(np.full(6, 0.4), rel=0.15)


def test_zero_weights_stay_zero_and_a_zero_spread_is_the_nominal_weight():
    cost, weights = _line(5, 3)
    w = weights.copy()
    w.iloc[1] = 0.0
    res = robustness("pmedian", cost=cost, weights=w, p=1, n=5, spread=0.0, progress=False)
    assert res.draw_weights(3).equals(w.astype(float).rename("weight"))
    assert (res.selection.loc[list(res.nominal.open), "frequency"] == 1.0).all()
    assert res.sets["count"].tolist() == [5] and res.draws["regret"].abs().max() < 1e-9


# --------------------------------------------------------------------------------------
# executors: same seed, same result
# --------------------------------------------------------------------------------------


def _compare(a: RobustnessResult, b: RobustnessResult) -> None:
    pd.testing.assert_frame_equal(
        a.draws.drop(columns=["seconds"]), b.draws.drop(columns=["seconds"])
    )
    pd.testing.assert_frame_equal(a.selection, b.selection)
    pd.testing.assert_frame_equal(a.sets, b.sets)


def test_thread_and_process_pools_give_the_serial_result():
    cost, weights = _line(20, 8, seed=1)
    kwargs = dict(cost=cost, weights=weights, p=3, n=30, spread=0.5, seed=3, batch_size=4,
                  progress=False)  # fmt: skip
    serial = robustness("pmedian", **kwargs)
    with ThreadPoolExecutor(2) as pool:
        _compare(serial, robustness("pmedian", executor=pool, **kwargs))
    with ProcessPoolExecutor(2) as pool:
        _compare(serial, robustness("pmedian", executor=pool, **kwargs))


def test_progress_is_reported_per_batch(capsys):
    cost, weights = _line()
    robustness("pmedian", cost=cost, weights=weights, p=2, n=10, spread=0.2, batch_size=5)
    err = capsys.readouterr().err
    assert "robustness: 5/10 draws" in err and "robustness: 10/10 draws" in err
    calls = []
    robustness("pmedian", cost=cost, weights=weights, p=2, n=7, spread=0.2, batch_size=3,
               progress=lambda done, total: calls.append((done, total)))  # fmt: skip
    assert calls == [(3, 7), (6, 7), (7, 7)] and capsys.readouterr().err == ""


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
        host="127.0.0.1",
    )  # fmt: skip
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.mark.dask
def test_on_a_dask_local_cluster_equals_serial(dask_client):
    pids = set(dask_client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids
    demand = datasets.prefectures()
    cands = datasets.candidates()
    core = cands.index[cands["tiers"].str.contains("CORE")]
    kwargs = dict(n=24, p=12, required=core, seed=11, batch_size=5, progress=False,
                  correlation=0.3)  # fmt: skip
    serial = robustness("pmedian", demand, cands, **kwargs)
    on_client = robustness("pmedian", demand, cands, executor=dask_client, **kwargs)
    _compare(serial, on_client)
    on_executor = robustness("pmedian", demand, cands, executor=dask_client.get_executor(),
                             **kwargs)  # fmt: skip
    _compare(serial, on_executor)
    # each batch ran on a worker, and the tiers came along into the table
    assert set(serial.selection.loc[core, "frequency"]) == {1.0}
    assert "tiers" in on_client.selection.columns


# --------------------------------------------------------------------------------------
# failures and bad input
# --------------------------------------------------------------------------------------


def _fragile_builder(cost, weights):
    if weights.iloc[0] > 1.5 * 5.0:  # about a sixth of the draws (spread 0.5 around 5)
        raise ValueError(f"cannot build with weight {weights.iloc[0]:.2f}")
    return PMedian.from_cost_matrix(cost, weights, p=1)


def test_a_failed_draw_is_reported_with_its_seed():
    cost, weights = _line(4, 2)
    w = pd.Series(5.0, index=cost.index)
    builder = functools.partial(_fragile_builder, cost)
    with pytest.raises(SolverError, match=r"draw (\d+) \(seed \[8, \1\]\).*ValueError"):
        robustness(builder, weights=w, n=30, spread=0.5, seed=8, progress=False)
    res = robustness(builder, weights=w, n=30, spread=0.5, seed=8, progress=False,
                     errors="record")  # fmt: skip
    failed = res.draws[res.draws["error"] != ""]
    assert 0 < len(failed) < 30
    for k in failed.index:
        assert res.draw_weights(k).iloc[0] > 7.5
        assert failed.loc[k, "error"].startswith("ValueError: cannot build")
    assert res.selection["count"].sum() == 30 - len(failed)  # p = 1: one centre per draw
    manifest = res.manifest()
    assert manifest["n_failed"] == len(failed)
    assert manifest["failed"][0]["seed"] == [8, int(failed.index[0])]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(n=0), SpecificationError, "n must be a whole number >= 1, got 0"),
        (dict(n=2.5), SpecificationError, "n must be"),
        (dict(spread=-0.1), SpecificationError, "finite and >= 0"),
        (dict(spread=float("nan")), SpecificationError, "finite and >= 0"),
        (dict(spread={"d0": float("inf")}), SpecificationError, "'d0': inf"),
        (dict(spread={"nowhere": 0.1}), SpecificationError, "nowhere"),
        (dict(model="p-mediam"), SpecificationError, "unknown model 'p-mediam'"),
        (dict(executor=object()), SpecificationError, "executor must be .* got object"),
        (dict(weights=[0.0] * 12), DataError, "all zero"),
        (dict(weights=[np.nan] + [1.0] * 11), DataError, "finite and >= 0"),
        (dict(correlation=1.5), SpecificationError, "correlation"),
        (dict(correlation=0.5), SpecificationError, "groups"),
        (dict(seed=-1), SpecificationError, "seed"),
        (dict(errors="ignore"), SpecificationError, "errors"),
        (dict(batch_size=0), SpecificationError, "batch_size"),
    ],
)
def test_bad_input_is_named(kwargs, error, match):
    cost, weights = _line()
    call = dict(model="pmedian", cost=cost, weights=weights, p=2, n=3, spread=0.2,
                progress=False)  # fmt: skip
    call.update(kwargs)
    with pytest.raises(error, match=match):
        robustness(**call)


def test_no_known_uncertainty_asks_for_spread():
    cost, weights = _line()
    with pytest.raises(SpecificationError, match="pass spread="):
        robustness("pmedian", cost=cost, weights=weights, p=2, n=2, progress=False)


def test_result_helpers_check_their_arguments():
    cost, weights = _line()
    res = robustness("pmedian", cost=cost, weights=weights, p=2, n=3, spread=0.2,
                     progress=False)  # fmt: skip
    with pytest.raises(SpecificationError, match="threshold"):
        res.stable(0)
    with pytest.raises(SpecificationError, match="draw number"):
        res.draw_weights(3)
    with pytest.raises(bh.DataError, match="RobustnessResult"):
        plot_selection_frequency(res.selection)


# --------------------------------------------------------------------------------------
# the national instance and the plots
# --------------------------------------------------------------------------------------


def test_national_pmedian_core_cities_always_chosen():
    cands = datasets.candidates()
    core = cands.index[cands["tiers"].str.contains("CORE")]
    res = robustness("pmedian", p=15, required=core, n=8, progress=False)
    assert res.selection.loc[core, "frequency"].eq(1.0).all()
    assert set(core) <= set(res.stable(0.9))
    assert res.selection["frequency"].sum() == pytest.approx(15.0)
    assert (res.draws["status"] == "optimal").all()
    assert (res.draws["regret"] >= -1e-6 * res.draws["objective"]).all()
    text = res.summary()
    assert "8 draws (seed 0), 8 solved, 0 failed" in text


def test_plots_draw_the_tiers_and_the_regret():
    cands = datasets.candidates()
    core = cands.index[cands["tiers"].str.contains("CORE")]
    res = robustness("pmedian", p=12, required=core, n=6, progress=False, spread=0.5)
    ax = plot_selection_frequency(res)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "CORE" in legend and "nominal plan" in legend and "required" in legend
    assert len(ax.get_yticklabels()) == int(
        ((res.selection["frequency"] > 0) | res.selection["nominal"]).sum()
    )
    ax = plot_regret(res, relative=False)
    assert ax.get_xlabel().endswith("(objective units)")
    fig = plot_robustness(res, top=5)
    assert len(fig.axes) == 2 and len(fig.axes[0].get_yticklabels()) == 5
    assert len(res.plot().axes) == 2


# --------------------------------------------------------------------------------------
# where robustness lives, the model's own groups, a cluster that loses its workers
# --------------------------------------------------------------------------------------


def test_the_old_import_path_gives_the_same_objects():
    import importlib

    from borderhub import scenarios

    module = importlib.import_module("borderhub.robustness")

    assert scenarios.robustness is module.robustness is robustness
    assert scenarios.RobustnessResult is module.RobustnessResult is RobustnessResult
    assert scenarios.DEFAULT_SPREADS is module.DEFAULT_SPREADS
    assert robustness.__module__ == "borderhub.robustness"


@pytest.mark.parametrize(
    "first",
    [
        "import borderhub as bh",  # the package face alone: bh.robustness is the function
        "import borderhub.robustness\nimport borderhub as bh",  # the module first
        "import borderhub as bh\nfrom borderhub.robustness import RobustnessResult",
        "import borderhub as bh\nbh.robustness\nimport borderhub.scenarios",
    ],
)
def test_bh_robustness_is_callable_however_it_was_imported(first):
    """``borderhub.robustness`` names the function and its module; calling either works."""
    code = first + textwrap.dedent(
        """
        import pandas as pd
        cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]], columns=["a", "b"])
        res = bh.robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=4,
                            spread=0.1, progress=False)
        from borderhub.robustness import RobustnessResult, robustness
        import borderhub.robustness as r
        assert isinstance(res, RobustnessResult), type(res)
        assert robustness.__name__ == "robustness"
        assert r.RobustnessResult is RobustnessResult and r.robustness is robustness
        print(list(res.nominal.open), int(res.selection.loc["a", "count"]))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(Path(bh.__file__).resolve().parents[1]))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["['a']", "4"]


def _grouped_line():
    cost, weights = _line(12, 6, seed=4)
    groups = pd.Series(["west", "west", "west", "east", "east", "east"], index=cost.columns)
    return cost, weights, groups


def test_a_p_median_with_group_limits_runs_through_robustness():
    """The model's policy ``groups=`` (with max_per_group) reaches the model in every draw."""
    cost, weights, groups = _grouped_line()
    C = cost.to_numpy()
    res = robustness(
        "pmedian", cost=cost, weights=weights, p=2, groups=groups, max_per_group=1, n=20,
        spread=0.6, seed=2, progress=False,
    )  # fmt: skip
    west, east = [0, 1, 2], [3, 4, 5]
    for k in range(20):
        w = res.draw_weights(k).to_numpy()
        best = min(float(w @ C[:, [a, b]].min(axis=1)) for a in west for b in east)
        assert res.draws.loc[k, "objective"] == pytest.approx(best, rel=1e-9)
        chosen = res.draws.loc[k, "open"].split(";")
        assert len(chosen) == 2 and groups[chosen].nunique() == 2
    free = robustness("pmedian", cost=cost, weights=weights, p=2, n=20, spread=0.6, seed=2,
                      progress=False)  # fmt: skip
    assert (free.draws["objective"] <= res.draws["objective"] + 1e-9).all()
    assert (free.draws["objective"] < res.draws["objective"] - 1e-9).any()  # limits bind
    assert res.groups is None  # no correlated shocks asked for


def test_the_old_groups_keyword_for_shocks_still_works_with_a_warning():
    cost, weights = _line()
    shocks = pd.Series(["a"] * 6 + ["b"] * 6, index=cost.index)
    kwargs = dict(cost=cost, weights=weights, p=2, n=8, spread=0.4, correlation=0.8,
                  progress=False)  # fmt: skip
    new = robustness("pmedian", shock_groups=shocks, **kwargs)
    with pytest.warns(FutureWarning, match="shock_groups"):
        old = robustness("pmedian", groups=shocks, **kwargs)
    pd.testing.assert_frame_equal(
        new.draws.drop(columns=VOLATILE), old.draws.drop(columns=VOLATILE)
    )
    pd.testing.assert_series_equal(new.groups, old.groups)
    assert new.draw_weights(3).tolist() == old.draw_weights(3).tolist()


@pytest.mark.dask
@pytest.mark.slow
def test_a_cluster_that_loses_every_worker_keeps_the_draws_done():
    """Every worker killed mid-run: the draws done are returned, marked incomplete."""
    distributed = pytest.importorskip("distributed")
    cost, weights = _line()
    kwargs = dict(cost=cost, weights=weights, p=2, n=200, spread=0.3, seed=5, batch_size=2)
    serial = robustness("pmedian", progress=False, **kwargs)
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
        host="127.0.0.1",
    )  # fmt: skip
    client = distributed.Client(cluster)
    try:
        pids = list(client.run(os.getpid).values())
        done_when_killed: list[int] = []

        def kill_every_worker(done, total):
            if not done_when_killed:
                done_when_killed.append(done)
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)

        with pytest.warns(RuntimeWarning, match="were not run"):
            res = robustness("pmedian", executor=client, progress=kill_every_worker, **kwargs)
    finally:
        client.close()
        cluster.close()
    assert not res.complete and "Dask workers were lost" in res.cause
    assert done_when_killed[0] <= len(res.draws) < 200
    pd.testing.assert_frame_equal(
        res.draws.drop(columns=VOLATILE),
        serial.draws.loc[res.draws.index].drop(columns=VOLATILE),
    )
    assert res.selection["count"].sum() == 2 * len(res.draws)
    manifest = res.manifest()
    assert manifest["complete"] is False and manifest["cause"] == res.cause
    assert "not run" in res.summary().splitlines()[0]
    assert serial.complete and serial.cause == "" and serial.manifest()["complete"] is True


@pytest.mark.slow
def test_a_broken_process_pool_keeps_the_draws_done():
    cost, weights = _line()
    kwargs = dict(cost=cost, weights=weights, p=2, n=60, spread=0.3, seed=5, batch_size=3)
    import multiprocessing

    others = {child.pid for child in multiprocessing.active_children()}

    def kill_the_pool(done, total):  # only the pool's processes, once
        if done <= 3:
            for child in multiprocessing.active_children():
                if child.pid not in others:
                    os.kill(child.pid, signal.SIGKILL)

    with ProcessPoolExecutor(max_workers=2) as pool:
        with pytest.warns(RuntimeWarning, match="were not run"):
            res = robustness("pmedian", executor=pool, progress=kill_the_pool, **kwargs)
    assert not res.complete and "BrokenProcessPool" in res.cause
    assert 3 <= len(res.draws) < 60
