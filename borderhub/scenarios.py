"""Scenario sweeps: run an analysis over a grid of parameters, serially or on a cluster.

:func:`sweep` runs a function over the cartesian product of parameter lists and returns a
tidy table, one row per scenario. It accepts any :class:`concurrent.futures.Executor`, so the
same sweep runs on a laptop (no executor, or a process pool) and on a cluster (a Dask
``distributed.Client(...).get_executor()``) without code changes.

Examples
--------
>>> from borderhub.scenarios import sweep
>>> def area(width, height):
...     return {"area": width * height}
>>> sweep(area, {"width": [1, 2], "height": [10, 20]}, progress=False)
          width  height  area
scenario
0             1      10    10
1             1      20    20
2             2      10    20
3             2      20    40
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import math
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TextIO

import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = ["sweep"]


# --------------------------------------------------------------------------------------------
# the generic sweep
# --------------------------------------------------------------------------------------------


def _scenarios(grid: Mapping[str, Iterable[Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """Expand a grid ``{name: values}`` into the list of scenarios, in grid order."""
    if not isinstance(grid, Mapping):
        raise SpecificationError(
            f"grid must be a mapping {{parameter: list of values}}, got {type(grid).__name__}"
        )
    names: list[str] = []
    axes: list[list[Any]] = []
    for name, values in grid.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise SpecificationError(
                f"grid parameter names must be Python identifiers (they become keyword "
                f"arguments), got {name!r}"
            )
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise SpecificationError(
                f"grid[{name!r}] must be a list of values, got {values!r}; "
                f"write [{values!r}] for a single value"
            )
        values = list(values)
        if not values:
            raise SpecificationError(f"grid[{name!r}] is empty: give at least one value")
        names.append(name)
        axes.append(values)
    scenarios = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes)]
    return names, scenarios


def _call(fn: Callable[..., Any], params: dict[str, Any]) -> Any:
    """Run one scenario (module level, so that process and Dask workers can unpickle it)."""
    return fn(**params)


def _as_record(result: Any) -> dict[str, Any]:
    """Turn what a scenario function returned into ``{column: value}``."""
    if isinstance(result, pd.Series):
        return {str(k): v for k, v in result.items()}
    if isinstance(result, Mapping):
        return {str(k): v for k, v in result.items()}
    return {"result": result}


def _describe(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items()) or "(no parameters)"


class _Reporter:
    """Progress of a sweep on standard error: a line per tenth, or in place on a terminal."""

    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.done = 0
        self.next_mark = 0
        try:
            self.tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.tty = False

    def update(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        text = f"sweep: {self.done}/{self.total} scenarios ({elapsed:.1f} s)"
        if self.tty:
            end = "\n" if self.done == self.total else ""
            print("\r" + text, end=end, file=self.stream, flush=True)
        elif self.done * 10 >= self.next_mark * self.total or self.done == self.total:
            print(text, file=self.stream, flush=True)
            self.next_mark = math.floor(self.done * 10 / self.total) + 1


def sweep(
    fn: Callable[..., Any],
    grid: Mapping[str, Iterable[Any]],
    executor: cf.Executor | None = None,
    progress: bool = True,
    *,
    errors: str = "raise",
) -> pd.DataFrame:
    """Run ``fn`` over every combination of parameters and tabulate the results.

    The scenarios are the cartesian product of the value lists in ``grid``, in the order of
    :func:`itertools.product` (the last parameter varies fastest). Each scenario calls
    ``fn(**params)``; the rows of the returned table come in that grid order whatever order
    the scenarios finish in.

    Parameters
    ----------
    fn : callable
        Called as ``fn(**params)`` for each scenario; returns a mapping or a
        :class:`pandas.Series` of results (their keys become columns), or a single value
        (column ``result``). With a process pool or a Dask executor ``fn`` must be picklable:
        a module-level function or a :func:`functools.partial` of one, not a lambda.
    grid : mapping of str to list
        ``{parameter: values}``; each parameter must be a Python identifier and each value
        list non-empty. An empty mapping is one scenario without parameters.
    executor : concurrent.futures.Executor, optional
        Where to run the scenarios: a :class:`~concurrent.futures.ThreadPoolExecutor`, a
        :class:`~concurrent.futures.ProcessPoolExecutor`, a Dask
        ``distributed.Client(...).get_executor()``, or any other executor. ``None`` (the
        default) runs them one after the other in this process.
    progress : bool, default True
        Report progress (scenarios done, elapsed time) on standard error.
    errors : {"raise", "record"}, default "raise"
        What to do when ``fn`` raises. ``"raise"``: cancel the scenarios not yet started and
        re-raise the exception with a note naming the failing parameters. ``"record"``: keep
        going and put ``"<ExceptionType>: <message>"`` in an ``error`` column (an empty
        string for the scenarios that succeeded); the failed scenarios' results are missing.

    Returns
    -------
    pandas.DataFrame
        One row per scenario (index 0..n-1 named ``scenario``): the parameter columns in grid
        order, then the result columns in the order ``fn`` first returned them.

    Raises
    ------
    SpecificationError
        If ``grid`` is malformed, ``errors`` is unknown, or a result key repeats a parameter
        name.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from borderhub.scenarios import sweep
    >>> def cost(p, rate):
    ...     return {"cost": 100 / p * (1 + rate)}
    >>> with ThreadPoolExecutor(2) as pool:
    ...     table = sweep(cost, {"p": [1, 2, 4], "rate": [0.0, 0.5]}, executor=pool,
    ...                   progress=False)
    >>> table
              p  rate   cost
    scenario
    0         1   0.0  100.0
    1         1   0.5  150.0
    2         2   0.0   50.0
    3         2   0.5   75.0
    4         4   0.0   25.0
    5         4   0.5   37.5

    Failures are reported with the scenario's parameters, or recorded:

    >>> def fragile(p):
    ...     if p == 0:
    ...         raise ValueError("p must be positive")
    ...     return {"inverse": 1 / p}
    >>> sweep(fragile, {"p": [1, 0]}, progress=False, errors="record")
              p  inverse                         error
    scenario
    0         1      1.0
    1         0      NaN  ValueError: p must be positive
    """
    if errors not in ("raise", "record"):
        raise SpecificationError(f"errors must be 'raise' or 'record', got {errors!r}")
    if not callable(fn):
        raise SpecificationError(f"fn must be callable, got {type(fn).__name__}")
    names, scenarios = _scenarios(grid)
    total = len(scenarios)
    reporter = _Reporter(total, bool(progress))
    results: list[Any] = [None] * total
    failures: dict[int, BaseException] = {}

    def fail(index: int, err: BaseException) -> None:
        if errors == "raise":
            err.add_note(
                f"borderhub.sweep: scenario {index} of {total} failed: "
                f"{_describe(scenarios[index])}"
            )
            raise err
        failures[index] = err

    if executor is None:
        for index, params in enumerate(scenarios):
            try:
                results[index] = _call(fn, params)
            except Exception as err:  # noqa: BLE001 - reported with its parameters
                fail(index, err)
            reporter.update()
    else:
        futures = {
            executor.submit(_call, fn, params): index for index, params in enumerate(scenarios)
        }
        try:
            for future in cf.as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except Exception as err:  # noqa: BLE001 - reported with its parameters
                    fail(index, err)
                reporter.update()
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    rows: list[dict[str, Any]] = []
    result_columns: dict[str, None] = {}
    for index, params in enumerate(scenarios):
        record = {} if index in failures else _as_record(results[index])
        clash = sorted(set(record) & set(names))
        if clash:
            raise SpecificationError(
                f"the results of scenario {index} ({_describe(params)}) repeat the parameter "
                f"name(s) {clash}; rename those result keys"
            )
        result_columns.update(dict.fromkeys(record))
        rows.append({**params, **record})
    columns = names + list(result_columns)
    if errors == "record":
        columns.append("error")
        for index, row in enumerate(rows):
            failure = failures.get(index)
            row["error"] = "" if failure is None else f"{type(failure).__name__}: {failure}"
    table = pd.DataFrame.from_records(rows, columns=columns)
    table.index.name = "scenario"
    return table
