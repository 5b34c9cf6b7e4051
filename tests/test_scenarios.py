"""Tests of borderhub.scenarios: the generic sweep and the ready-made sweeps."""

from __future__ import annotations

import functools
import os
import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from borderhub import datasets
from borderhub.exceptions import SpecificationError
from borderhub.geo import distance_matrix
from borderhub.scenarios import (
    elbow,
    growth_sweep,
    p_sweep,
    solve_scenario,
    sweep,
    weight_sweep,
)


def _power(base, exponent, offset=0):
    return {"value": base**exponent + offset, "parity": (base**exponent) % 2}


def _slow_first(delay_for, x):
    # the first scenarios take longest, so completion order differs from grid order
    import time

    time.sleep(0.05 if x == delay_for else 0.0)
    return {"square": x * x}


def _explode(x):
    if x == 3:
        raise ZeroDivisionError(f"bad x {x}")
    return {"inverse": 1 / x}


EXPECTED = pd.DataFrame(
    {
        "base": [2, 2, 3, 3],
        "exponent": [1, 2, 1, 2],
        "value": [2, 4, 3, 9],
        "parity": [0, 0, 1, 1],
    },
    index=pd.RangeIndex(4, name="scenario"),
)


def test_serial_grid_order_and_columns():
    table = sweep(_power, {"base": [2, 3], "exponent": [1, 2]}, progress=False)
    pd.testing.assert_frame_equal(table, EXPECTED)


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_executor_same_table_as_serial(pool):
    with pool(max_workers=2) as executor:
        table = sweep(
            _power, {"base": [2, 3], "exponent": [1, 2]}, executor=executor, progress=False
        )
    pd.testing.assert_frame_equal(table, EXPECTED)


def test_grid_order_kept_when_completion_order_differs():
    fn = functools.partial(_slow_first, 0)
    with ThreadPoolExecutor(max_workers=4) as executor:
        table = sweep(fn, {"x": [0, 1, 2, 3]}, executor=executor, progress=False)
    assert table["x"].tolist() == [0, 1, 2, 3]
    assert table["square"].tolist() == [0, 1, 4, 9]


def test_partial_and_series_results_and_scalars():
    fn = functools.partial(_power, offset=10)
    table = sweep(fn, {"base": [1], "exponent": [0, 1]}, progress=False)
    assert table["value"].tolist() == [11, 11]
    series = sweep(lambda a: pd.Series({"b": a + 1}), {"a": [1, 2]}, progress=False)
    assert series["b"].tolist() == [2, 3]
    scalar = sweep(lambda a: -a, {"a": [1, 2]}, progress=False)
    assert scalar["result"].tolist() == [-1, -2]


def test_empty_grid_is_one_scenario():
    table = sweep(lambda: {"answer": 42}, {}, progress=False)
    assert table.to_dict("records") == [{"answer": 42}]


def test_error_names_the_failing_parameters():
    with pytest.raises(ZeroDivisionError, match="bad x 3") as info:
        sweep(_explode, {"x": [1, 2, 3, 4]}, progress=False)
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "scenario 2 of 4" in notes and "x=3" in notes


def test_error_from_a_process_pool_names_the_parameters():
    with ProcessPoolExecutor(max_workers=2) as executor:
        with pytest.raises(ZeroDivisionError) as info:
            sweep(_explode, {"x": [3, 1]}, executor=executor, progress=False)
    assert "x=3" in "\n".join(info.value.__notes__)


def test_errors_recorded():
    table = sweep(_explode, {"x": [1, 3]}, progress=False, errors="record")
    assert table["error"].tolist() == ["", "ZeroDivisionError: bad x 3"]
    assert table["inverse"].iloc[0] == 1.0 and np.isnan(table["inverse"].iloc[1])


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({"p": 3}, "list of values"),
        ({"p": "abc"}, "list of values"),
        ({"p": []}, "empty"),
        ({"not an identifier": [1]}, "identifiers"),
        ([("p", [1])], "mapping"),
    ],
)
def test_bad_grids(grid, match):
    with pytest.raises(SpecificationError, match=match):
        sweep(_power, grid, progress=False)


def test_result_key_clashing_with_a_parameter():
    with pytest.raises(SpecificationError, match="repeat the parameter"):
        sweep(lambda x: {"x": x}, {"x": [1]}, progress=False)


def test_bad_errors_option():
    with pytest.raises(SpecificationError, match="errors"):
        sweep(_power, {"base": [1]}, errors="ignore")


def test_progress_on_stderr(capsys):
    sweep(_power, {"base": [1, 2, 3], "exponent": [1]}, progress=True)
    err = capsys.readouterr().err
    assert "sweep: 3/3 scenarios" in err
    sweep(_power, {"base": [1], "exponent": [1]}, progress=False)
    assert capsys.readouterr().err == ""


def test_inputs_not_mutated_and_module_functions_pickle():
    grid = {"base": [2, 3], "exponent": (1, 2)}
    before = {k: list(v) for k, v in grid.items()}
    sweep(_power, grid, progress=False)
    assert {k: list(v) for k, v in grid.items()} == before
    pickle.loads(pickle.dumps(functools.partial(_power, offset=1)))


# --------------------------------------------------------------------------------------
# ready-made sweeps
# --------------------------------------------------------------------------------------

TIMING = ["build_time", "solve_time"]


@pytest.fixture(scope="module")
def plan_cost():
    demand = datasets.prefectures()
    cand = datasets.candidates()
    return distance_matrix(demand, cand), demand["express_volume"]


@pytest.fixture(scope="module")
def small_cost(plan_cost):
    cost, weights = plan_cost
    return cost.iloc[::3, ::2], weights.iloc[::3]


def test_p_sweep_bundled_cost_falls_with_p(plan_cost):
    table = p_sweep(p=range(10, 13), progress=False)
    assert table["p"].tolist() == [10, 11, 12]
    assert (table["status"] == "optimal").all()
    assert table["objective"].is_monotonic_decreasing
    assert table["n_open"].tolist() == [10, 11, 12]
    # same as building the matrix oneself
    cost, weights = plan_cost
    again = p_sweep(cost=cost, weights=weights, p=[11], progress=False)
    assert again["objective"].iloc[0] == pytest.approx(table["objective"].iloc[1], rel=1e-9)
    assert again["open"].iloc[0] == table["open"].iloc[1]
    # mean_cost is the weighted mean distance, consistent with the objective
    row = table.iloc[1]
    assert row["mean_cost"] == pytest.approx(row["objective"] / weights.sum(), rel=1e-9)


def test_p_sweep_passes_policy_parameters(small_cost):
    cost, weights = small_cost
    table = p_sweep(cost=cost, weights=weights, p=[2, 3], required=["310000"], progress=False)
    assert all("310000" in row.split(";") for row in table["open"])


def test_p_sweep_rejects_models_without_p_and_mixed_inputs(plan_cost):
    cost, weights = plan_cost
    with pytest.raises(SpecificationError, match="model with p"):
        p_sweep(cost=cost, model="lscp", p=[1], progress=False)
    with pytest.raises(SpecificationError, match="not both"):
        p_sweep(demand=datasets.prefectures(), cost=cost, p=[1], progress=False)
    with pytest.raises(SpecificationError, match="unknown model"):
        solve_scenario(cost, model="kmeans", p=1)


def test_elbow():
    t = pd.DataFrame({"p": [1, 2, 3, 4, 5, 6], "objective": [100, 50, 20, 17, 15, 14]})
    assert elbow(t) == 3
    assert elbow(t.iloc[:2]) is None
    assert elbow(t.assign(objective=5.0)) is None


def test_weight_sweep_on_the_plan_places():
    # 8 default criteria; airport_cargo (sourced for 8 of the 60 places) is left out by
    # score's default nan_policy, and so out of the sweep
    with pytest.warns(UserWarning, match="airport_cargo"):
        table = weight_sweep(factors=[0.5, 1.0, 2.0], progress=False)
    assert len(table) == 7 * 3 and "airport_cargo" not in set(table["criterion"])
    assert list(table.columns[:2]) == ["criterion", "factor"]
    unchanged = table[table["factor"] == 1.0]
    assert unchanged["spearman"].tolist() == pytest.approx([1.0] * 7)
    assert (unchanged["top_overlap"] == 1.0).all()
    assert (unchanged["max_rank_shift"] == 0).all()
    assert table["spearman"].between(-1, 1).all()
    doubled = table[(table["criterion"] == "express_volume") & (table["factor"] == 2.0)]
    assert doubled["weight"].iloc[0] == pytest.approx(0.4 / 1.05)  # 0.85 of weight is left
    with pytest.raises(SpecificationError, match="positive"):
        weight_sweep(factors=[0.0], progress=False)


def test_growth_sweep_follows_the_plan(plan_cost):
    cost, weights = plan_cost
    table = growth_sweep(cost=cost, weights=weights, years=[2020, 2025], p=10, progress=False)
    assert table["year"].tolist() == [2020, 2025]
    assert table["rate"].tolist() == [0.125, 0.125]
    assert table["total_volume"].tolist() == pytest.approx([834.0, 834.0 * 1.125**5])
    # a uniform rate rescales the objective and keeps the centres
    ratio = table["objective"].iloc[1] / table["objective"].iloc[0]
    assert ratio == pytest.approx(1.125**5, rel=1e-9)
    assert table["open"].iloc[0] == table["open"].iloc[1]


def test_growth_sweep_rates_and_backcasting(plan_cost):
    cost, weights = plan_cost
    west = pd.Series(0.0, index=cost.index)
    west[datasets.prefectures()["lon"] < 105] = 0.6
    table = growth_sweep(
        cost=cost,
        weights=weights,
        years=[2018, 2030],
        rates={"flat": 0.0, "west": west},
        p=10,
        progress=False,
    )
    assert table["rate"].tolist() == ["flat", "west", "flat", "west"]
    assert table["total_volume"].iloc[0] == pytest.approx(834.0)
    assert table["total_volume"].iloc[3] > table["total_volume"].iloc[2]
    assert table["total_volume"].iloc[1] < 834.0  # back-cast before 2020
    # fast growth in the west pulls a centre west by 2030
    assert table["open"].iloc[3] != table["open"].iloc[2]


# --------------------------------------------------------------------------------------
# a real local Dask cluster: separate worker processes, same table as the serial run
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client():
    import distributed

    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        host="127.0.0.1",
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.mark.dask
def test_p_sweep_on_a_dask_cluster_equals_serial(dask_client, small_cost):
    cost, weights = small_cost
    pids = set(dask_client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids
    serial = p_sweep(cost=cost, weights=weights, p=range(4, 10), progress=False)
    executor = dask_client.get_executor()
    parallel = p_sweep(cost=cost, weights=weights, p=range(4, 10), executor=executor)
    pd.testing.assert_frame_equal(serial.drop(columns=TIMING), parallel.drop(columns=TIMING))


@pytest.mark.dask
def test_generic_and_growth_sweeps_on_a_dask_cluster(dask_client, small_cost):
    executor = dask_client.get_executor()
    grid = {"base": [2, 3], "exponent": [1, 2]}
    pd.testing.assert_frame_equal(sweep(_power, grid, executor=executor, progress=False), EXPECTED)
    cost, weights = small_cost
    kwargs = dict(cost=cost, weights=weights, years=[2020, 2023], rates=[0.1, 0.2], p=6)
    serial = growth_sweep(**kwargs, progress=False)
    parallel = growth_sweep(**kwargs, executor=executor, progress=False)
    pd.testing.assert_frame_equal(serial.drop(columns=TIMING), parallel.drop(columns=TIMING))
    with pytest.raises(ZeroDivisionError) as info:
        sweep(_explode, {"x": [1, 3]}, executor=executor, progress=False)
    assert "x=3" in "\n".join(info.value.__notes__)


def test_process_pool_sweep_after_a_solve_in_this_process(small_cost):
    # HiGHS has run here (threads started); forked pool workers must still solve
    cost, weights = small_cost
    serial = p_sweep(cost=cost, weights=weights, p=[3, 4], progress=False)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = p_sweep(cost=cost, weights=weights, p=[3, 4], executor=pool, progress=False)
    pd.testing.assert_frame_equal(serial.drop(columns=TIMING), pooled.drop(columns=TIMING))
