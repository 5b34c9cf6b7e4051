"""Running many solves: progress, executors and the data of a study, for sweeps and draws.

Shared by the scenario sweeps (:mod:`borderhub.scenarios`) and the robustness draws
(:mod:`borderhub.robustness`): the progress :class:`Reporter`, what counts as an executor
(:func:`check_executor`, :func:`dask_client`), :func:`release_solver_threads` before an
executor may fork this process, and :func:`cost_and_weights`, the cost matrix and demand
weights of a study computed once in the calling process.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = [
    "Reporter",
    "check_executor",
    "cost_and_weights",
    "dask_client",
    "release_solver_threads",
]


def release_solver_threads() -> None:
    """Stop HiGHS' worker threads in this process before an executor may fork it.

    A process forked (the default start method of a process pool on Linux) after HiGHS has
    run here inherits its thread scheduler without the threads, and its first solve hangs.
    HiGHS starts a fresh scheduler at its next solve, so this costs nothing otherwise.
    """
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency
        return
    reset = getattr(highspy.Highs, "resetThreadScheduler", None)
    if reset is not None:
        try:
            reset(True)
        except TypeError:  # pragma: no cover - older highspy without the argument
            reset()


class Reporter:
    """Progress of a sweep on standard error: a line per tenth, or in place on a terminal."""

    def __init__(
        self,
        total: int,
        enabled: bool | Callable[[int, int], Any],
        stream: TextIO | None = None,
        what: str = "sweep",
        unit: str = "scenarios",
    ) -> None:
        self.what, self.unit = what, unit
        self.total = total
        self.callback: Callable[[int, int], Any] | None = None
        if callable(enabled):
            self.callback, enabled = enabled, False
        self.enabled = bool(enabled) and total > 0
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self.done = 0
        self.next_mark = 0
        try:
            self.tty = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.tty = False

    def update(self, count: int = 1) -> None:
        self.done += count
        if self.callback is not None:
            self.callback(self.done, self.total)
            return
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        text = f"{self.what}: {self.done}/{self.total} {self.unit} ({elapsed:.1f} s)"
        if self.tty:
            end = "\n" if self.done == self.total else ""
            print("\r" + text, end=end, file=self.stream, flush=True)
        elif self.done * 10 >= self.next_mark * self.total or self.done == self.total:
            print(text, file=self.stream, flush=True)
            self.next_mark = math.floor(self.done * 10 / self.total) + 1


def dask_client(executor: Any) -> Any:
    """The distributed Client behind ``executor`` (a Client or its executor), else None."""
    module = type(executor).__module__ or ""
    if not module.startswith("distributed"):
        return None
    if hasattr(executor, "scatter") and hasattr(executor, "submit"):
        return executor
    return getattr(executor, "_client", None)


def check_executor(executor: Any) -> None:
    if executor is None or isinstance(executor, cf.Executor) or dask_client(executor):
        return
    raise SpecificationError(
        f"executor must be a concurrent.futures.Executor (a process pool, "
        f"distributed.Client(...).get_executor()) or a distributed.Client, got "
        f"{type(executor).__name__}; pass None to run in this process"
    )


def cost_and_weights(
    demand: Any, candidates: Any, weight: Any, cost: Any, weights: Any, distance: Any
) -> tuple[Any, Any]:
    """The cost matrix and demand weights of a sweep, computed once in the calling process."""
    if cost is not None:
        if demand is not None or candidates is not None:
            raise SpecificationError(
                "give either cost= (with weights=) or demand= and candidates=, not both"
            )
        return cost, weights
    from borderhub import datasets
    from borderhub.geo import distance_matrix

    demand = datasets.prefectures() if demand is None else demand
    candidates = datasets.candidates() if candidates is None else candidates
    if isinstance(distance, pd.DataFrame):
        matrix = distance.loc[demand.index, candidates.index].copy()
    else:
        matrix = distance_matrix(demand, candidates, method=distance)
    if weights is None and weight is not None:
        if isinstance(weight, str):
            if weight not in demand.columns:
                raise SpecificationError(
                    f"demand has no column {weight!r}; columns are {list(demand.columns)}"
                )
            weights = demand[weight].astype(float)
        else:
            weights = weight
    return matrix, weights
