"""Tests of borderhub.scenarios: the generic sweep and the ready-made sweeps."""

from __future__ import annotations

import functools
import pickle
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from borderhub.exceptions import SpecificationError
from borderhub.scenarios import sweep


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
