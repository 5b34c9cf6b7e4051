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
import functools
import itertools
import math
import numbers
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np
import pandas as pd

from borderhub._curves import elbow
from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate import MODELS as _LOCATE_MODELS
from borderhub.locate import P_MODELS, model_class, model_name

__all__ = [
    "sweep",
    "p_sweep",
    "weight_sweep",
    "growth_sweep",
    "solve_scenario",
    "elbow",
    "MODELS",
    "robustness",
    "RobustnessResult",
    "DEFAULT_SPREADS",
]


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


def _release_solver_threads() -> None:
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


def _describe(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items()) or "(no parameters)"


class _Reporter:
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
        _release_solver_threads()
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


# --------------------------------------------------------------------------------------------
# building blocks of the ready-made sweeps (module level: picklable for process/Dask workers)
# --------------------------------------------------------------------------------------------

#: Short model names accepted by the sweeps (and the command line) -> class in borderhub.locate
#: (the registry of :mod:`borderhub.locate`, :data:`borderhub.locate.MODELS`).
MODELS: dict[str, str] = _LOCATE_MODELS
_P_MODELS = P_MODELS
_model_class = model_class
_model_key = model_name


def solve_scenario(
    cost: Any,
    weights: Any = None,
    *,
    model: Any = "pmedian",
    solver: Any = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Solve one location model and summarise it in one row (the unit of the sweeps).

    Parameters
    ----------
    cost : pandas.DataFrame or array-like
        Cost matrix, demand × candidates (e.g. km from :func:`borderhub.distance_matrix`).
    weights : pandas.Series or array-like, optional
        Demand weights (default 1).
    model : str or class, default "pmedian"
        ``"pmedian"``, ``"pcenter"``, ``"mclp"``, ``"lscp"``, ``"fixed"`` (see
        :data:`MODELS`) or a :mod:`borderhub.locate` model class.
    solver, time_limit, mip_gap
        Passed to ``solve``.
    **params
        The model's parameters (``p``, ``radius``, ``fixed_cost`` ...) and the policy
        parameters (``required``, ``forbidden``, ``gateway_cost`` ...).

    Returns
    -------
    dict
        ``status``, ``objective``, ``bound``, ``gap``, ``n_open``, ``open`` (labels joined
        by ``";"``), ``mean_cost`` (weight-weighted mean cost of the demand the centres
        serve, from :meth:`Solution.centre_stats <borderhub.locate.Solution.centre_stats>`:
        in a coverage model the covered demand), ``max_cost``, ``covered`` (share of the
        weight covered; coverage models only),
        ``build_time`` and ``solve_time`` (seconds).

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.scenarios import solve_scenario
    >>> cost = pd.DataFrame([[0.0, 10.0], [10.0, 0.0], [4.0, 6.0]],
    ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
    >>> row = solve_scenario(cost, [1.0, 1.0, 2.0], model="pmedian", p=1)
    >>> row["status"], row["objective"], row["open"], row["mean_cost"]
    ('optimal', 18.0, 'a', 4.5)
    """
    cls = _model_class(model)
    solution = cls.from_cost_matrix(cost, weights, **params).solve(
        solver=solver, time_limit=time_limit, mip_gap=mip_gap
    )
    a = solution.assignment
    row: dict[str, Any] = {
        "status": str(solution.status.value),
        "objective": float(solution.objective),
        "bound": float(solution.bound),
        "gap": float(solution.gap),
        "n_open": len(solution.open),
        "open": ";".join(str(label) for label in solution.open),
    }
    # the centres' own statistics (Solution.centre_stats): in a coverage model a centre
    # serves the points it covers
    stats = solution.centre_stats()
    load = float(stats["load"].sum())
    served_cost = float((stats["load"] * stats["mean_cost"].fillna(0.0)).sum())
    row["mean_cost"] = served_cost / load if load > 0 else math.nan
    longest = stats["max_cost"]
    row["max_cost"] = float(longest.max()) if longest.notna().any() else math.nan
    if "covered" in a.columns:
        all_weight = float(a["weight"].sum())
        row["covered"] = (
            float(a.loc[a["covered"].astype(bool), "weight"].sum() / all_weight)
            if all_weight > 0
            else math.nan
        )
    row["build_time"] = float(solution.build_time)
    row["solve_time"] = float(solution.solve_time)
    return row


@dataclass(frozen=True)
class _ModelSweep:
    """What every scenario of a model sweep shares, set up once in the calling process.

    Picklable (module level, plain fields), so :meth:`solve` runs in process and Dask
    workers: the cost matrix, the demand weights, the model and how to solve it.
    """

    cost: Any
    weights: Any
    model: Any
    solver: Any
    time_limit: float | None
    mip_gap: float | None
    params: dict[str, Any]

    def solve(self, weights: Any = None, **scenario: Any) -> dict[str, Any]:
        """One scenario's row: :func:`solve_scenario` with its weights and parameters."""
        return solve_scenario(
            self.cost,
            self.weights if weights is None else weights,
            model=self.model,
            solver=self.solver,
            time_limit=self.time_limit,
            mip_gap=self.mip_gap,
            **self.params,
            **scenario,
        )


def _model_sweep(
    demand: Any,
    candidates: Any,
    *,
    weight: Any,
    cost: Any,
    weights: Any,
    distance: Any,
    model: Any,
    solver: Any,
    time_limit: float | None,
    mip_gap: float | None,
    params: dict[str, Any],
) -> _ModelSweep:
    """The shared setup of :func:`p_sweep` and :func:`growth_sweep`.

    The cost matrix and demand weights are computed once, here; each scenario then solves
    ``model`` (:meth:`_ModelSweep.solve`).
    """
    matrix, w = _cost_and_weights(demand, candidates, weight, cost, weights, distance)
    return _ModelSweep(matrix, w, model, solver, time_limit, mip_gap, dict(params))


def _cost_and_weights(
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


# --------------------------------------------------------------------------------------------
# ready-made sweeps
# --------------------------------------------------------------------------------------------


def p_sweep(
    demand: Any = None,
    candidates: Any = None,
    p: Iterable[int] = range(1, 31),
    *,
    model: Any = "pmedian",
    weight: Any = "express_volume",
    cost: Any = None,
    weights: Any = None,
    distance: Any = "geodesic",
    solver: Any = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    executor: cf.Executor | None = None,
    progress: bool = True,
    errors: str = "raise",
    **params: Any,
) -> pd.DataFrame:
    """Cost against the number of centres: one solve per ``p`` (find the elbow).

    The cost matrix is computed once, here; each scenario solves ``model`` with one value of
    ``p`` (see :func:`solve_scenario`). :func:`elbow` picks the knee of the curve and
    :func:`borderhub.plots.plot_cost_curve` draws it. With a process pool or a Dask
    executor the cost matrix is pickled into every task (about 8 MB at county scale,
    2,850 × 340), which a local cluster handles easily.

    Parameters
    ----------
    demand, candidates : GeoDataFrame, optional
        Demand points and candidate sites; default the bundled prefectures and the 60 places
        of 专栏4. Not used when ``cost`` is given.
    p : iterable of int, default 1..30
        Numbers of centres to try.
    model : {"pmedian", "pcenter", "mclp"} or class, default "pmedian"
        A model with a ``p`` (``"mclp"`` also needs ``radius=``).
    weight : str or Series, default "express_volume"
        Demand weight column (or Series); None for weight 1.
    cost : DataFrame, optional
        A ready cost matrix (demand × candidates) instead of ``demand``/``candidates``.
    weights : Series or array-like, optional
        Demand weights to go with ``cost``.
    distance : {"geodesic", "euclidean"} or DataFrame, default "geodesic"
        How ``demand``/``candidates`` become a cost matrix.
    solver, time_limit, mip_gap
        Passed to each solve.
    executor, progress, errors
        As in :func:`sweep`.
    **params
        Further model and policy parameters, the same in every scenario (``radius``,
        ``required``, ``gateway_cost`` ...).

    Returns
    -------
    pandas.DataFrame
        One row per ``p``: ``p`` and the columns of :func:`solve_scenario`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from borderhub.scenarios import elbow, p_sweep
    >>> x = np.array([0.0, 1.0, 2.0, 10.0, 11.0, 12.0, 30.0])
    >>> cost = pd.DataFrame(np.abs(x[:, None] - x[None, :]))
    >>> table = p_sweep(cost=cost, p=range(1, 5), progress=False)
    >>> table[["p", "objective", "n_open", "status"]]
              p  objective  n_open   status
    scenario
    0         1       50.0       1  optimal
    1         2       23.0       2  optimal
    2         3        4.0       3  optimal
    3         4        3.0       4  optimal
    >>> elbow(table)
    3
    """
    if _model_key(model) not in _P_MODELS and "p" not in _signature_params(model):
        raise SpecificationError(
            f"p_sweep needs a model with p ({', '.join(_P_MODELS)}), got {model!r}"
        )
    p_values = list(p)
    bad = [k for k in p_values if isinstance(k, bool) or not isinstance(k, numbers.Integral)]
    bad += [k for k in p_values if k not in bad and k < 1]
    if bad or not p_values:
        raise SpecificationError(
            f"p must be whole numbers >= 1, got {bad or p_values}; use e.g. p=range(1, 31)"
        )
    setup = _model_sweep(
        demand,
        candidates,
        weight=weight,
        cost=cost,
        weights=weights,
        distance=distance,
        model=model,
        solver=solver,
        time_limit=time_limit,
        mip_gap=mip_gap,
        params=params,
    )
    return sweep(setup.solve, {"p": [int(k) for k in p_values]}, executor, progress, errors=errors)


def _signature_params(model: Any) -> set[str]:
    import inspect

    try:
        return set(inspect.signature(_model_class(model)).parameters)
    except (TypeError, ValueError):  # pragma: no cover
        return set()


def _perturbed_ranking(
    raw: pd.DataFrame,
    directions: dict[str, str],
    base_weights: dict[str, float],
    method: str,
    top_k: int,
    base_rank: pd.Series,
    criterion: str,
    factor: float,
) -> dict[str, Any]:
    """Score with one criterion's weight multiplied by ``factor``; compare with the base."""
    from borderhub.scoring import score

    w = dict(base_weights)
    w[criterion] = w[criterion] * float(factor)
    total = sum(w.values())
    if total <= 0:
        raise SpecificationError(f"weights are all zero with {criterion} x {factor}")
    table = score(raw, directions, weights={k: v / total for k, v in w.items()}, method=method)
    rank = table["rank"].reindex(base_rank.index)
    order = table.sort_values(["rank"], kind="stable").index
    top = list(order[:top_k])
    base_top = set(base_rank.sort_values(kind="stable").index[:top_k])
    return {
        "weight": w[criterion] / total,
        "best": str(order[0]),
        "top": ";".join(str(k) for k in top),
        "top_overlap": len(base_top.intersection(top)) / max(len(top), 1),
        "spearman": float(rank.corr(base_rank, method="spearman")),
        "max_rank_shift": int((rank - base_rank).abs().max()),
    }


def weight_sweep(
    candidates: Any = None,
    criteria: Any = None,
    weights: Any = None,
    factors: Iterable[float] = (0.5, 0.75, 1.25, 1.5, 2.0),
    *,
    method: str = "topsis",
    top_k: int = 10,
    executor: cf.Executor | None = None,
    progress: bool = True,
    errors: str = "raise",
) -> pd.DataFrame:
    """Weight perturbation: multiply one criterion's weight at a time and re-rank.

    The criteria are evaluated once; every scenario scales the weight of one criterion by
    one factor, renormalises the weights to sum 1, scores the candidates again
    (:func:`borderhub.score`) and compares the ranking with the unperturbed one. A
    criterion that :func:`borderhub.score` leaves out for missing values (sourced for fewer
    than half of the candidates, its default ``nan_policy="auto"``) is left out of the
    sweep too. For random joint perturbations of all weights use
    :func:`borderhub.rank_stability`.

    Parameters
    ----------
    candidates : DataFrame, optional
        Default: the 60 places of 专栏4 (:func:`borderhub.datasets.candidates`).
    criteria : mapping or sequence of Criterion, optional
        Default :func:`borderhub.scoring.default_criteria`.
    weights : optional
        Base weights as accepted by :func:`borderhub.score` (default: the criteria's own
        weights, else equal).
    factors : iterable of float, default (0.5, 0.75, 1.25, 1.5, 2)
        Multipliers of one criterion's weight (> 0).
    method : str, default "topsis"
        Scoring method.
    top_k : int, default 10
        Size of the top group compared with the base ranking.
    executor, progress, errors
        As in :func:`sweep`.

    Returns
    -------
    pandas.DataFrame
        One row per (criterion, factor): ``weight`` (the criterion's weight after
        renormalising), ``best`` (label ranked first), ``top`` (the top ``top_k`` labels,
        ``";"``-joined), ``top_overlap`` (share of the base top group kept), ``spearman``
        (rank correlation with the base ranking) and ``max_rank_shift``.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.scenarios import weight_sweep
    >>> cities = pd.DataFrame({"volume": [50.0, 20.0, 5.0], "km": [300.0, 100.0, 50.0]},
    ...                       index=["A", "B", "C"])
    >>> table = weight_sweep(cities, {"volume": "benefit", "km": "cost"}, factors=[0.2, 5],
    ...                      top_k=1, progress=False)
    >>> table[["criterion", "factor", "best", "top_overlap"]]
             criterion  factor best  top_overlap
    scenario
    0           volume     0.2    C          0.0
    1           volume     5.0    A          0.0
    2               km     0.2    A          0.0
    3               km     5.0    C          0.0

    With equal base weights B ranks first; favouring either criterion strongly moves the
    top place to A (volume) or C (short distance).
    """
    from borderhub import datasets
    from borderhub.scoring import decision_matrix, default_criteria, score

    if isinstance(top_k, bool) or not isinstance(top_k, numbers.Integral) or top_k < 1:
        raise SpecificationError(f"top_k must be a whole number >= 1, got {top_k!r}")
    candidates = datasets.candidates() if candidates is None else candidates
    criteria = default_criteria() if criteria is None else criteria
    # the criteria are evaluated and their missing values decided once (score's default
    # nan_policy): sparse criteria are left out of the sweep, missing values filled
    raw = decision_matrix(candidates, criteria, weights)
    directions = dict(raw.attrs["directions"])
    base_weights = dict(raw.attrs["weights"])
    base = score(raw, directions, weights=base_weights, method=method)
    given = list(factors)
    bad = []
    factors = []
    for f in given:
        try:
            value = float(f)
        except (TypeError, ValueError):
            bad.append(f)
            continue
        if not (math.isfinite(value) and value > 0):
            bad.append(f)
        factors.append(value)
    if bad:
        raise SpecificationError(f"factors must be positive numbers, got {bad}")
    fn = functools.partial(
        _perturbed_ranking, raw, directions, base_weights, str(method), int(top_k), base["rank"]
    )
    grid: dict[str, list[Any]] = {"criterion": list(directions), "factor": factors}
    return sweep(fn, grid, executor, progress, errors=errors)


def _grown_scenario(
    setup: _ModelSweep,
    shares: pd.Series,
    base_total: float,
    base_year: int,
    rates: dict[Any, Any],
    year: int,
    rate: Any,
) -> dict[str, Any]:
    """Demand of ``year`` grown at ``rate`` from the base total, then one solve."""
    from borderhub.policy import project_volume

    r = rates[rate]
    base = shares * base_total
    if isinstance(r, pd.Series):
        r = r.reindex(shares.index).to_numpy(dtype=float)
    if year >= base_year:
        w = project_volume(base, base_year, year, r)
    else:  # back-cast: divide by the growth from `year` to the base year
        w = base / project_volume(pd.Series(1.0, index=shares.index), year, base_year, r)
    row = {"total_volume": float(w.sum())}
    row.update(setup.solve(w))
    return row


def _years(years: Any) -> list[int]:
    """The years of a growth sweep as ints, or a SpecificationError naming the bad ones."""
    given = [years] if isinstance(years, str) or not isinstance(years, Iterable) else list(years)
    bad = [y for y in given if isinstance(y, bool) or not isinstance(y, numbers.Integral)]
    if bad or not given:
        raise SpecificationError(
            f"years must be whole numbers, got {bad or given}; use e.g. years=range(2020, 2026)"
        )
    return [int(y) for y in given]


def _rate(value: Any) -> float:
    """One annual growth rate as a float (a fraction), or a SpecificationError naming it."""
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise SpecificationError(
            f"growth rates must be numbers (fractions: 0.125 for 12.5%), got {value!r}"
        ) from None
    if not math.isfinite(rate) or rate <= -1:
        raise SpecificationError(f"growth rates must be finite and > -1, got {value!r}")
    return rate


def growth_sweep(
    demand: Any = None,
    candidates: Any = None,
    years: Iterable[int] = range(2020, 2026),
    rates: Any = None,
    *,
    model: Any = "pmedian",
    weight: Any = "express_volume",
    base_total: float | None = None,
    base_year: int = 2020,
    cost: Any = None,
    weights: Any = None,
    distance: Any = "geodesic",
    solver: Any = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    executor: cf.Executor | None = None,
    progress: bool = True,
    errors: str = "raise",
    **params: Any,
) -> pd.DataFrame:
    """Demand growth: solve the same model for each year's projected demand.

    The data give the spatial distribution (each demand unit's share of the total weight);
    专栏1 of the plan gives the level and the growth: the national express volume of
    ``base_total`` = 834 亿件 in ``base_year`` = 2020 growing at 12.5 % a year (1,500 亿件
    planned for 2025), :data:`borderhub.policy.INDICATORS`. The demand of unit *i* in year
    *y* at rate *r* is ``share_i * base_total * (1 + r) ** (y - base_year)``
    (:func:`borderhub.policy.project_volume`). A Series of rates per demand unit grows
    regions at different speeds, which moves the solution; a single rate only rescales the
    weights, which changes the p-median objective but not its centres, and matters for
    fixed-charge (``model="fixed"``), capacitated and coverage models.

    Parameters
    ----------
    demand, candidates : GeoDataFrame, optional
        As in :func:`p_sweep` (default: the bundled tables).
    years : iterable of int, default 2020..2025
        Years to project to (years before ``base_year`` are back-cast).
    rates : float, sequence of float or mapping, optional
        Annual growth rates (fractions). A number or a list of numbers: national rates; a
        mapping ``{name: rate}`` whose values are numbers or Series indexed by demand label
        (regional rates). Default: the plan's 12.5 %.
    model : str or class, default "pmedian"
        As in :func:`solve_scenario`.
    weight : str or Series, default "express_volume"
        Column of ``demand`` giving the spatial distribution; None for equal shares.
    base_total : float, optional
        Total demand in ``base_year``; default 专栏1's 834 亿件 (2020).
    base_year : int, default 2020
        Year of ``base_total``.
    cost, weights, distance, solver, time_limit, mip_gap, executor, progress, errors
        As in :func:`p_sweep`.
    **params
        Model and policy parameters (``p``, ``fixed_cost``, ``required`` ...).

    Returns
    -------
    pandas.DataFrame
        One row per (year, rate): ``year``, ``rate`` (the number, or the name of a mapping
        entry), ``total_volume`` and the columns of :func:`solve_scenario`.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.scenarios import growth_sweep
    >>> cost = pd.DataFrame([[0.0, 8.0], [8.0, 0.0]], index=["d1", "d2"], columns=["a", "b"])
    >>> table = growth_sweep(cost=cost, weights=[1.0, 1.0], years=[2020, 2025], p=1,
    ...                      progress=False)
    >>> table[["year", "rate", "total_volume", "objective"]].round({"total_volume": 1,
    ...                                                               "objective": 1})
              year   rate  total_volume  objective
    scenario
    0         2020  0.125         834.0     3336.0
    1         2025  0.125        1502.9     6011.6
    """
    from borderhub.policy import INDICATORS

    volume = INDICATORS[0]
    if rates is None:
        rates = [volume.annual_growth]
    if isinstance(rates, Mapping):
        table_rates = dict(rates)
    elif isinstance(rates, pd.Series):
        table_rates = {"regional": rates}
    else:
        single = isinstance(rates, str) or not isinstance(rates, Iterable)
        given = [rates] if single else list(rates)
        table_rates = {_rate(r): _rate(r) for r in given}
    if not table_rates:
        raise SpecificationError("rates is empty: give at least one growth rate, e.g. [0.125]")
    for name, value in table_rates.items():
        if not isinstance(value, pd.Series):
            table_rates[name] = _rate(value)
    if base_total is None:
        base_total = float(volume.value_2020)  # type: ignore[arg-type]
    setup = _model_sweep(
        demand,
        candidates,
        weight=weight,
        cost=cost,
        weights=weights,
        distance=distance,
        model=model,
        solver=solver,
        time_limit=time_limit,
        mip_gap=mip_gap,
        params=params,
    )
    matrix, w = setup.cost, setup.weights
    index = matrix.index if isinstance(matrix, pd.DataFrame) else pd.RangeIndex(len(matrix))
    if w is None:
        w = pd.Series(1.0, index=index)
    if not isinstance(w, pd.Series):
        try:
            w = pd.Series(np.asarray(w, dtype=float), index=index)
        except (TypeError, ValueError):
            raise DataError(
                f"demand weights must be numbers, one per demand point ({len(index)}); got {w!r}"
            ) from None
    values = pd.to_numeric(w, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise DataError(
            f"demand weights must be finite and >= 0; bad for {list(w.index[bad][:10])}; fix or "
            "drop those demand points"
        )
    if values.sum() <= 0:
        raise DataError("demand weights are all zero; give at least one positive weight")
    w = pd.Series(values, index=w.index)
    shares = w.astype(float) / float(w.sum())
    fn = functools.partial(
        _grown_scenario, setup, shares, float(base_total), int(base_year), table_rates
    )
    grid: dict[str, list[Any]] = {"year": _years(years), "rate": list(table_rates)}
    return sweep(fn, grid, executor, progress, errors=errors)


# --------------------------------------------------------------------------------------------
# robustness: how often each place is chosen across plausible demand
# --------------------------------------------------------------------------------------------

#: Default relative uncertainty (``spread``, the standard deviation of the log of a weight)
#: of a demand weight by how it was obtained, matched against the start of the demand
#: table's ``<weight>_method`` text (e.g. ``express_volume_method``). These are judgements,
#: not data: a province total published by the State Post Bureau is taken as nearly exact
#: (2 %), a city figure from a secondary reprint of the bureau's city table as close (5 %),
#: and a share of a province total split by population as wide (30 %: express volume per
#: head differs several-fold between cities of one province). Methods matching none of
#: these get ``"other"``. A per-row ``<weight>_spread`` column in the data, or the
#: ``spread=`` argument of :func:`robustness`, takes precedence.
DEFAULT_SPREADS: dict[str, float] = {
    "province-level": 0.02,
    "reported": 0.05,
    "estimate": 0.30,
    "other": 0.30,
}


def _spread_values(spread: Any, labels: pd.Index, what: str) -> pd.Series:
    """A user spread (scalar, Series or mapping) as a Series over (some of) ``labels``."""
    if isinstance(spread, pd.Series | Mapping):
        given = pd.Series(dict(spread.items()) if isinstance(spread, Mapping) else spread)
        unknown = given.index.difference(labels)
        if len(unknown):
            raise SpecificationError(
                f"{what} names {list(unknown[:10])}, which are not demand labels (they look "
                f"like {list(labels[:3])}); index it by the demand labels"
            )
    else:
        given = pd.Series(spread, index=labels)
    values = pd.to_numeric(given, errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float)) | (values.to_numpy(dtype=float) < 0)
    if bad.any():
        shown = {
            k: (v.item() if isinstance(v, np.generic) else v)
            for k, v in given[bad].head(10).items()
        }
        raise SpecificationError(
            f"{what} must be finite and >= 0 (relative uncertainty, e.g. 0.3 for 30 %); bad "
            f"values (label: value) {shown}"
        )
    return values.astype(float)


def _data_spreads(
    meta: pd.DataFrame | None, labels: pd.Index, weight: Any
) -> tuple[pd.Series, pd.Series]:
    """Per-row spread from the data: ``<weight>_spread``, else by method, else estimated flag."""
    spread = pd.Series(np.nan, index=labels)
    source = pd.Series("", index=labels, dtype=object)
    if meta is None or not isinstance(weight, str):
        return spread, source
    rows = meta.reindex(labels)
    column = f"{weight}_spread"
    if column in rows.columns:
        given = pd.to_numeric(rows[column], errors="coerce")
        bad = given.notna() & ~((given >= 0) & np.isfinite(given))
        if bad.any():
            raise DataError(
                f"demand column {column!r} must hold finite spreads >= 0; bad for "
                f"{list(given.index[bad][:10])}"
            )
        take = given.notna()
        spread[take] = given[take]
        source[take] = column
    column = f"{weight}_method"
    if column in rows.columns:
        method = rows[column].astype("string").str.strip().str.lower()
        for key in ("province-level", "reported", "estimate"):
            take = spread.isna() & method.str.startswith(key).fillna(False).astype(bool)
            spread[take] = DEFAULT_SPREADS[key]
            source[take] = f"method: {key}"
        take = spread.isna() & method.notna()
        spread[take] = DEFAULT_SPREADS["other"]
        source[take] = "method: other"
    column = f"{weight}_estimated"
    if column in rows.columns:
        flag = rows[column]
        for value, key in ((True, "estimate"), (False, "reported")):
            take = spread.isna() & flag.eq(value).fillna(False).astype(bool)
            spread[take] = DEFAULT_SPREADS[key]
            source[take] = f"{column}={value}"
    return spread, source


@dataclass
class _Problem:
    """Everything a worker needs to solve a batch of draws (shipped to each worker once)."""

    kind: str  # "median" (warm-started p-median), "model" (a class), "builder" (a callable)
    model: Any
    cost: pd.DataFrame | None
    labels: pd.Index
    nominal: np.ndarray
    spread: np.ndarray
    group_code: np.ndarray
    n_groups: int
    correlation: float
    seed: int
    options: dict[str, Any]
    solve_options: dict[str, Any]
    nominal_open: pd.Index
    maximise: bool
    warm_start: bool


def _draw(problem: _Problem, k: int) -> np.ndarray:
    """The weights of draw ``k``: lognormal around the nominal value (seed ``[seed, k]``)."""
    rng = np.random.default_rng([problem.seed, k])
    z = rng.standard_normal(len(problem.nominal))
    r = problem.correlation
    if r > 0 and problem.n_groups:
        shock = rng.standard_normal(problem.n_groups)
        grouped = problem.group_code >= 0
        z[grouped] = (
            math.sqrt(1 - r) * z[grouped] + math.sqrt(r) * shock[problem.group_code[grouped]]
        )
    return problem.nominal * np.exp(problem.spread * z)


def _fixed_copy(model: Any, open_labels: pd.Index) -> Any:
    """A shallow copy of ``model`` that must open exactly ``open_labels`` (its cost of them)."""
    import copy

    fixed = copy.copy(model)
    columns = model.cost.columns
    inside = columns.isin(open_labels)
    fixed.required = columns[inside]
    fixed.forbidden = columns[~inside]
    return fixed


def _build(problem: _Problem, w: np.ndarray) -> Any:
    from borderhub.locate import LocationModel

    if problem.kind == "builder":
        model = problem.model(pd.Series(w, index=problem.labels, name="weight"))
        if not isinstance(model, LocationModel):
            raise SpecificationError(
                f"the model builder returned {type(model).__name__}, not a borderhub.locate "
                "model; it must return e.g. PMedian.from_cost_matrix(cost, weights, p=...)"
            )
        return model
    return problem.model.from_cost_matrix(problem.cost, w, **problem.options)


def _run_batch(problem: _Problem, first: int, count: int) -> list[dict[str, Any]]:
    """Solve draws ``first .. first + count - 1``; failures are returned, not raised."""
    records: list[dict[str, Any]] = []
    resolver = None
    near = None
    if problem.kind == "median":
        template = _build(problem, problem.nominal)
        template._prepare()
        pos = template.cost.columns.get_indexer(problem.nominal_open)
        near = template._C[:, pos].min(axis=1)
        if problem.warm_start:
            from borderhub.locate._resolve import MedianResolver

            resolver = MedianResolver(
                template,
                start=problem.nominal_open,
                time_limit=problem.solve_options.get("time_limit"),
                mip_gap=problem.solve_options.get("mip_gap"),
            )
    for k in range(first, first + count):
        record: dict[str, Any] = {"draw": k}
        try:
            w = _draw(problem, k)
            if resolver is not None:
                got = resolver.solve(w)
                status, open_, objective = str(got.status.value), got.open, got.objective
                seconds, by_lp = got.seconds, got.by_lp
            else:
                t = time.perf_counter()
                model = _build(problem, w)
                solution = model.solve(**problem.solve_options)
                status, open_, objective = (
                    str(solution.status.value),
                    solution.open,
                    float(solution.objective),
                )
                seconds, by_lp = time.perf_counter() - t, False
            if status not in ("optimal", "feasible"):
                raise RuntimeError(f"the solve ended {status!r}")
            if near is not None:
                nominal_cost = float(w @ near)
            else:
                fixed = _fixed_copy(model, problem.nominal_open).solve(**problem.solve_options)
                nominal_cost = float(fixed.objective)
            record.update(
                status=status,
                objective=objective,
                nominal_cost=nominal_cost,
                open=";".join(str(label) for label in open_),
                seconds=seconds,
                by_lp=by_lp,
                error="",
            )
        except Exception as err:  # noqa: BLE001 - reported with the draw's seed
            record["error"] = f"{type(err).__name__}: {err}"
        records.append(record)
    return records


def _dask_client(executor: Any) -> Any:
    """The distributed Client behind ``executor`` (a Client or its executor), else None."""
    module = type(executor).__module__ or ""
    if not module.startswith("distributed"):
        return None
    if hasattr(executor, "scatter") and hasattr(executor, "submit"):
        return executor
    return getattr(executor, "_client", None)


def _run_all(
    problem: _Problem,
    n: int,
    batch_size: int,
    executor: Any,
    reporter: _Reporter,
) -> list[dict[str, Any]]:
    batches = [(first, min(batch_size, n - first)) for first in range(0, n, batch_size)]
    records: list[dict[str, Any]] = []
    if executor is None:
        for first, count in batches:
            records.extend(_run_batch(problem, first, count))
            reporter.update(count)
        return records
    client = _dask_client(executor)
    if client is not None:
        from distributed import as_completed

        shipped = client.scatter(problem, broadcast=True, hash=False)
        futures = [
            client.submit(_run_batch, shipped, first, count, pure=False) for first, count in batches
        ]
        sizes = {future.key: count for future, (_, count) in zip(futures, batches, strict=True)}
        try:
            for future in as_completed(futures):
                records.extend(future.result())
                reporter.update(sizes[future.key])
        except BaseException:
            client.cancel(futures)
            raise
        return records
    _release_solver_threads()
    pending = {
        executor.submit(_run_batch, problem, first, count): count for first, count in batches
    }
    try:
        for future in cf.as_completed(pending):
            records.extend(future.result())
            reporter.update(pending[future])
    except BaseException:
        for future in pending:
            future.cancel()
        raise
    return records


@dataclass
class RobustnessResult:
    """How often each candidate is chosen across plausible demand: :func:`robustness`.

    Attributes
    ----------
    selection : pandas.DataFrame
        One row per candidate (index: candidate label), most often chosen first:
        ``frequency`` (share of the successful draws whose optimal set contains it),
        ``count``, ``nominal`` (in the plan of the nominal weights), ``required`` (forced
        open), and the candidates' ``name``, ``plan_name``, ``province`` and ``tiers`` where
        known.
    sets : pandas.DataFrame
        One row per distinct optimal set (``open``: labels joined by ``";"``), most frequent
        first: ``count``, ``frequency``, ``nominal`` (the nominal plan's set).
    draws : pandas.DataFrame
        One row per draw (index ``draw``): ``status``, ``objective``, ``nominal_cost`` (the
        nominal plan's objective under the draw's weights), ``regret`` (how much worse the
        nominal plan is than the draw's optimum, >= 0 up to the solver's gap),
        ``relative_regret`` (regret / optimum), ``open``, ``seconds``, ``by_lp`` (solved by
        the warm-started LP relaxation) and ``error`` (empty unless the draw failed).
    nominal : Solution
        The solution with the nominal weights.
    spreads : pandas.Series
        The relative uncertainty (standard deviation of the log weight) of each demand
        weight, with ``spread_sources`` saying where each came from.
    spread_sources : pandas.Series
        ``"spread="`` (given by the caller), the data column, ``"method: ..."``
        (:data:`DEFAULT_SPREADS`) or the estimated flag.
    seed, n, correlation, groups, model, batch_size, warm_start, elapsed
        The call's settings (``groups`` is the demand label -> group Series used for the
        correlated shocks, or None) and the wall-clock seconds of the draws.
    maximise : bool
        True when the model maximises (coverage): regret is then optimum minus nominal.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import robustness
    >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
    ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
    >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
    ...                  spread=0.1, progress=False)
    >>> res.selection[["frequency", "count", "nominal"]]
               frequency  count  nominal
    candidate
    a                1.0     20     True
    b                0.0      0    False
    >>> res.draws[["status", "regret", "open"]].head(2)
           status  regret open
    draw
    0     optimal     0.0    a
    1     optimal     0.0    a
    """

    selection: pd.DataFrame
    sets: pd.DataFrame
    draws: pd.DataFrame
    nominal: Any
    spreads: pd.Series
    spread_sources: pd.Series
    seed: int
    n: int
    correlation: float
    groups: pd.Series | None
    model: str
    batch_size: int
    warm_start: bool
    elapsed: float
    maximise: bool
    _problem: _Problem | None = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The per-candidate table (a copy of :attr:`selection`).

        Returns
        -------
        pandas.DataFrame
            ``frequency``, ``count``, ``nominal``, ``required`` and the candidate columns.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.scenarios import robustness
        >>> cost = pd.DataFrame([[0.0, 4.0], [4.0, 0.0], [2.0, 2.5]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=50,
        ...                  spread=0.5, progress=False)
        >>> list(res.to_frame().columns[:4])
        ['frequency', 'count', 'nominal', 'required']
        """
        return self.selection.copy()

    def stable(self, threshold: float = 0.9) -> pd.Index:
        """Candidates chosen in at least ``threshold`` of the successful draws.

        Parameters
        ----------
        threshold : float, default 0.9
            Share of draws, in (0, 1].

        Returns
        -------
        pandas.Index
            Their labels, most often chosen first.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.scenarios import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
        ...                  spread=0.1, progress=False)
        >>> list(res.stable(0.9))
        ['a']
        """
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise SpecificationError(f"threshold must be a number in (0, 1], got {threshold!r}")
        if not 0 < float(threshold) <= 1:
            raise SpecificationError(f"threshold must be in (0, 1], got {threshold!r}")
        chosen = self.selection["frequency"] >= float(threshold) - 1e-12
        return self.selection.index[chosen]

    def summary(self) -> str:
        """A few lines: draws, failures, stable places, the regret of the nominal plan.

        Returns
        -------
        str

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.scenarios import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
        ...                  spread=0.1, progress=False)
        >>> print(res.summary().splitlines()[0])
        robustness of pmedian: 20 draws (seed 0), 20 solved, 0 failed
        """
        ok = self.draws["error"].eq("")
        rr = self.draws.loc[ok, "relative_regret"]
        lines = [
            f"robustness of {self.model}: {self.n} draws (seed {self.seed}), "
            f"{int(ok.sum())} solved, {int((~ok).sum())} failed",
            f"chosen in >= 90 % of draws: {', '.join(map(str, self.stable(0.9))) or 'none'}",
            f"distinct optimal sets: {len(self.sets)}; the nominal set's share: "
            f"{float(self.sets.loc[self.sets['nominal'], 'frequency'].sum()):.1%}",
        ]
        if len(rr):
            lines.append(
                f"nominal plan's relative regret: median {rr.median():.2%}, "
                f"95th percentile {rr.quantile(0.95):.2%}, max {rr.max():.2%}"
            )
        return "\n".join(lines)

    def manifest(self) -> dict[str, Any]:
        """What a run manifest should record to reproduce the draws (JSON-ready).

        Returns
        -------
        dict
            ``model``, ``n``, ``seed``, ``seeding`` (how draw *k* is seeded),
            ``distribution``, ``correlation``, ``batch_size``, ``warm_start``, ``spreads``
            ({demand label: spread}), ``spread_sources`` ({source: number of units}),
            ``n_solved``, ``n_failed``, ``failed`` ([{draw, seed, error}]) and ``elapsed_s``.

        Examples
        --------
        >>> import json
        >>> import pandas as pd
        >>> from borderhub.scenarios import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0]], index=["d1", "d2"],
        ...                     columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[2.0, 1.0], p=1, n=5,
        ...                  spread={"d1": 0.1, "d2": 0.2}, seed=7, progress=False)
        >>> m = res.manifest()
        >>> m["seed"], m["n"], m["spreads"]
        (7, 5, {'d1': 0.1, 'd2': 0.2})
        >>> _ = json.dumps(m)
        """
        failed = self.draws[self.draws["error"].ne("")]
        return {
            "model": self.model,
            "n": int(self.n),
            "seed": int(self.seed),
            "seeding": "draw k uses numpy.random.default_rng([seed, k])",
            "distribution": "lognormal: weight * exp(spread * z), z ~ N(0, 1)",
            "correlation": float(self.correlation),
            "batch_size": int(self.batch_size),
            "warm_start": bool(self.warm_start),
            "spreads": {str(k): float(v) for k, v in self.spreads.items()},
            "spread_sources": {
                str(k): int(v) for k, v in self.spread_sources.value_counts().items()
            },
            "n_solved": int(len(self.draws) - len(failed)),
            "n_failed": int(len(failed)),
            "failed": [
                {"draw": int(k), "seed": [int(self.seed), int(k)], "error": str(e)}
                for k, e in zip(failed.index.tolist(), failed["error"].tolist(), strict=True)
            ],
            "elapsed_s": round(float(self.elapsed), 3),
        }

    def draw_weights(self, k: int) -> pd.Series:
        """The demand weights of draw ``k`` (reproduced from the seed).

        Parameters
        ----------
        k : int
            Draw number, 0 .. n-1.

        Returns
        -------
        pandas.Series
            Indexed by the demand labels.

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.scenarios import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0]], index=["d1", "d2"],
        ...                     columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[2.0, 1.0], p=1, n=3, spread=0.0,
        ...                  progress=False)
        >>> res.draw_weights(2).tolist()
        [2.0, 1.0]
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k < self.n:
            raise SpecificationError(f"k must be a draw number in 0..{self.n - 1}, got {k!r}")
        if self._problem is None:  # pragma: no cover - always set by robustness()
            raise SpecificationError("this result carries no draw data")
        return pd.Series(_draw(self._problem, int(k)), index=self._problem.labels, name="weight")

    def plot(self, names: Any = "plan_name", threshold: float = 0.9) -> Any:
        """Selection frequency per candidate and the regret distribution, side by side.

        Parameters
        ----------
        names, threshold
            As in :func:`borderhub.plots.plot_robustness`.

        Returns
        -------
        matplotlib.figure.Figure

        Examples
        --------
        >>> import pandas as pd
        >>> from borderhub.scenarios import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
        ...                  spread=0.3, progress=False)
        >>> len(res.plot().axes)
        2
        """
        from borderhub.plots import plot_robustness

        return plot_robustness(self, names=names, threshold=threshold)


def _check_executor(executor: Any) -> None:
    if executor is None or isinstance(executor, cf.Executor) or _dask_client(executor):
        return
    raise SpecificationError(
        f"executor must be a concurrent.futures.Executor (a process pool, "
        f"distributed.Client(...).get_executor()) or a distributed.Client, got "
        f"{type(executor).__name__}; pass None to run in this process"
    )


def _whole(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise SpecificationError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def robustness(
    model: Any,
    demand: Any = None,
    candidates: Any = None,
    *,
    n: int = 1000,
    spread: Any = None,
    seed: int = 0,
    correlation: float = 0.0,
    groups: Any = "province",
    weight: Any = "express_volume",
    cost: Any = None,
    weights: Any = None,
    distance: Any = "geodesic",
    executor: Any = None,
    batch_size: int = 25,
    progress: bool | Callable[[int, int], Any] = True,
    errors: str = "raise",
    warm_start: bool = True,
    solver: Any = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    **model_options: Any,
) -> RobustnessResult:
    """Which centres hold whatever the true volumes are: selection frequency over draws.

    Draws ``n`` plausible demand scenarios around the nominal weights, solves ``model`` for
    each and counts how often each candidate, and each whole set of centres, is chosen; it
    also prices the nominal plan (the solution of the nominal weights) under every draw
    against that draw's optimum (the *regret* of committing to the nominal plan).

    **The draws.** Demand unit *i* of weight ``w_i`` and spread ``s_i`` gets
    ``w_i * exp(s_i * z_i)`` with ``z_i`` standard normal: a lognormal multiplicative
    error whose median is the nominal value, which keeps weights positive (a zero weight
    stays zero) and makes ``s_i`` roughly the relative standard error for small ``s_i``.
    With ``correlation = r > 0`` the units of one group (by default the province) share a
    common shock: ``z_i = sqrt(1 - r) e_i + sqrt(r) g_{group(i)}``, so each unit keeps its
    spread and two units of a province have log-weights correlated by ``r`` (an error in a
    province total moves all its cities together). Draw *k* uses
    ``numpy.random.default_rng([seed, k])``, so a result is the same whatever the executor
    and however the draws are batched, and any draw can be reproduced on its own
    (:meth:`RobustnessResult.draw_weights`).

    **The spreads**, per demand unit, first found of: ``spread=`` (a number for all units,
    or a Series / mapping for some of them); the data's ``<weight>_spread`` column (e.g.
    ``express_volume_spread``); the ``<weight>_method`` column through
    :data:`DEFAULT_SPREADS` (sourced figures narrow, population-share estimates wide); a
    boolean ``<weight>_estimated`` column. A unit with none of these is an error that asks
    for ``spread=``.

    **Scale-out.** Draws run in batches of ``batch_size`` (one task per batch, not per
    draw). With a Dask ``distributed.Client`` (or its ``get_executor()``) the problem data
    -- cost matrix, nominal weights, spreads -- are scattered to every worker once and the
    tasks only carry draw numbers; the same call runs on a ``LocalCluster`` or on a
    multi-machine cluster. Any other :class:`concurrent.futures.Executor` gets the data
    pickled with each batch. Batches are fixed by ``batch_size`` alone, so the serial run
    and every executor give identical results.

    **Warm starts** (:class:`~borderhub.locate.PMedian` with HiGHS, ``warm_start=True``).
    Only the objective of the p-median's level formulation depends on the weights, so each
    batch builds the model once and, for every further draw, changes its costs and
    re-optimises the LP relaxation from the previous basis; an integral LP optimum is
    optimal (and checked as the cold solve checks it), otherwise the MIP runs from the
    previous solution. The level truncation of the iterative expansion starts from the
    nominal solution and is kept (and only grown) from draw to draw. Every draw's answer is
    optimal for the full model, as with ``warm_start=False``.

    Parameters
    ----------
    model : str, class or callable
        A model name of :data:`MODELS` (``"pmedian"``, ``"pcenter"``, ``"mclp"``,
        ``"lscp"``, ``"fixed"``), a :mod:`borderhub.locate` class (any
        :class:`~borderhub.locate.LocationModel` with ``from_cost_matrix``), or a callable
        ``build(weights) -> model`` that returns a ready model for a drawn weight Series
        (indexed like ``weights``). The callable is how a model whose weights are not one
        per demand row plugs in -- for a flow model, draw the flows: pass
        ``weights=flows.stack()`` and a builder that unstacks them and calls e.g.
        ``CrossBorderMedian.from_cost_matrices(domestic, international, w.unstack(),
        p=...)``. With a process pool or Dask the callable must be picklable (a
        module-level function or a :func:`functools.partial` of one). The nominal plan's
        cost under a draw is found by solving a copy of the draw's model with exactly the
        nominal centres open (``required`` = them, ``forbidden`` = the rest); for
        ``"pmedian"`` it is computed directly.
    demand, candidates : GeoDataFrame, optional
        Default the bundled prefectures and the 60 places of 专栏4 (:mod:`borderhub.datasets`).
        ``demand`` also supplies the spread columns and the groups; ``candidates`` the
        ``name``/``plan_name``/``province``/``tiers`` columns of the selection table.
    n : int, default 1000
        Number of draws (>= 1).
    spread : float, Series or mapping, optional
        Relative uncertainty (standard deviation of the log weight, >= 0) overriding the
        data: one number for every unit, or per demand label.
    seed : int, default 0
        Non-negative; draw *k* is seeded with ``[seed, k]``.
    correlation : float, default 0.0
        Within-group correlation of the log-weight errors, in [0, 1].
    groups : str or Series, default "province"
        Column of ``demand`` (or Series demand label -> group) defining the shared shocks;
        used only when ``correlation > 0``. Units without a group get no shared shock.
    weight : str or Series, default "express_volume"
        Demand weight column of ``demand`` (its name also finds the spread columns).
    cost, weights
        A ready cost matrix (demand x candidates) and its weights instead of
        ``demand``/``candidates`` (``demand`` may still be given for the spread columns).
        With a callable ``model``, ``weights`` is required (the nominal weights to draw
        around) and ``cost`` is not used.
    distance : {"geodesic", "euclidean"} or DataFrame, default "geodesic"
        How ``demand``/``candidates`` become a cost matrix.
    executor : concurrent.futures.Executor or distributed.Client, optional
        Where the batches run; None runs them here, one after the other.
    batch_size : int, default 25
        Draws per task.
    progress : bool or callable, default True
        Report draws done and elapsed time on standard error, after each batch; or a
        callable ``progress(done, total)`` called after each batch instead (for a
        pipeline's own progress display).
    errors : {"raise", "record"}, default "raise"
        A draw that fails (solver error, infeasible draw): ``"raise"`` raises
        :class:`~borderhub.exceptions.SolverError` naming the draw and its seed after all
        batches ran; ``"record"`` keeps it in ``draws`` with its ``error`` and leaves it out
        of the frequencies.
    warm_start : bool, default True
        Reuse one model per batch for the p-median (see above); False solves every draw
        from scratch (the reference the warm start is measured against).
    solver, time_limit, mip_gap
        Passed to each solve (the warm start is used only with ``solver="highs"``). A draw
        stopped by the time limit is ``feasible`` and its set still counted.
    **model_options
        The model's and the policy's parameters (``p``, ``radius``, ``required`` ...),
        the same in every draw.

    Returns
    -------
    RobustnessResult
        ``selection``, ``sets``, ``draws`` (objective, regret), ``nominal``, ``spreads``,
        ``manifest()``, ``plot()``.

    Raises
    ------
    SpecificationError
        ``n`` < 1, a negative or non-finite spread, an unknown model name, an executor that
        is not an executor, a bad ``seed``/``correlation``/``batch_size``/``errors``, no
        spread known for some unit.
    DataError
        Weights NaN, negative or all zero.
    SolverError
        A draw failed (``errors="raise"``): the message names the draw and its seed.

    Examples
    --------
    Two candidates; only the weight of ``d3`` is uncertain. Centre ``a`` costs
    ``10 * 1.2 + 4 * w3`` and ``b`` costs ``10 * 1 + 6 * w3``, so ``a`` is optimal exactly
    when ``w3 > 1``: with ``w3 = 1.5 * exp(0.5 z)`` that is ``z > ln(1/1.5) / 0.5``,
    probability 0.79.

    >>> import pandas as pd
    >>> from borderhub.scenarios import robustness
    >>> cost = pd.DataFrame([[0.0, 10.0], [10.0, 0.0], [4.0, 6.0]],
    ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
    >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.2, 1.5], p=1, n=200,
    ...                  spread={"d1": 0.0, "d2": 0.0, "d3": 0.5}, seed=1, progress=False)
    >>> list(res.nominal.open)
    ['a']
    >>> res.selection["frequency"].round(2).to_dict()
    {'a': 0.76, 'b': 0.24}
    >>> res.sets[["count", "nominal"]]
          count  nominal
    open
    a       152     True
    b        48    False
    >>> bool((res.draws["regret"] >= 0).all()), bool((res.draws["regret"] > 0).sum() == 48)
    (True, True)
    """
    from borderhub import datasets
    from borderhub.exceptions import SolverError
    from borderhub.locate import LocationModel, PMedian

    n = _whole(n, "n", 1)
    seed = _whole(seed, "seed", 0)
    batch_size = _whole(batch_size, "batch_size", 1)
    if errors not in ("raise", "record"):
        raise SpecificationError(f"errors must be 'raise' or 'record', got {errors!r}")
    if isinstance(correlation, bool) or not isinstance(correlation, numbers.Real):
        raise SpecificationError(f"correlation must be a number in [0, 1], got {correlation!r}")
    if not (math.isfinite(float(correlation)) and 0 <= float(correlation) <= 1):
        raise SpecificationError(f"correlation must be in [0, 1], got {correlation!r}")
    _check_executor(executor)
    is_builder = callable(model) and not isinstance(model, type | str)
    meta = demand if isinstance(demand, pd.DataFrame) else None

    if is_builder:
        if weights is None:
            raise SpecificationError(
                "a model builder needs weights= (the nominal weights to draw around, a "
                "Series whose labels the builder understands)"
            )
        matrix = None
        given = weights if isinstance(weights, pd.Series) else pd.Series(weights)
        cls: Any = model
        inner = model
        while isinstance(inner, functools.partial):
            inner = inner.func
        name = getattr(inner, "__name__", type(inner).__name__)
    else:
        cls = _model_class(model)
        name = _model_key(model)
        if cost is None:
            demand = datasets.prefectures() if demand is None else demand
            candidates = datasets.candidates() if candidates is None else candidates
            meta = demand if isinstance(demand, pd.DataFrame) else None
            matrix, w = _cost_and_weights(demand, candidates, weight, None, weights, distance)
        else:
            matrix, w = _cost_and_weights(None, None, weight, cost, weights, distance)
            if w is None and meta is not None and isinstance(weight, str):
                if weight not in meta.columns:
                    raise SpecificationError(
                        f"demand has no column {weight!r}; columns are {list(meta.columns)}"
                    )
                w = meta[weight].reindex(_frame(matrix).index)
        matrix = _frame(matrix)
        if w is None:
            w = pd.Series(1.0, index=matrix.index)
        if isinstance(w, pd.Series):
            given = w
        else:
            arr = np.asarray(w, dtype=object).reshape(-1)
            if len(arr) != len(matrix.index):
                raise DataError(
                    f"weights has length {len(arr)} but there are {len(matrix.index)} demand "
                    "points (rows of cost); pass one weight per demand point"
                )
            given = pd.Series(arr, index=matrix.index)
        if isinstance(weight, pd.Series) and weights is None and cost is None:
            given = weight
        missing = matrix.index.difference(given.index)
        if len(missing):
            raise DataError(f"weights lack the demand points {list(missing[:10])}")
        given = given.reindex(matrix.index)
    labels = pd.Index(given.index)
    if labels.has_duplicates:
        raise DataError(f"weights have duplicate labels {list(labels[labels.duplicated()][:10])}")
    nominal = pd.to_numeric(given, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(nominal) | (nominal < 0)
    if bad.any():
        raise DataError(
            f"demand weights must be finite and >= 0; bad for {list(labels[bad][:10])} "
            f"(values {list(given[bad][:5])}); fix or drop those demand points"
        )
    if nominal.sum() <= 0:
        raise DataError(
            "demand weights are all zero, so every draw is zero too (draws multiply the "
            "weights); give positive weights"
        )

    data_spread, sources = _data_spreads(meta, labels, weight)
    if spread is not None:
        user = _spread_values(spread, labels, "spread")
        data_spread[user.index] = user
        sources[user.index] = "spread="
    unknown = data_spread.isna()
    if unknown.any():
        raise SpecificationError(
            f"no uncertainty is known for the weights of {list(labels[unknown][:10])} "
            f"({int(unknown.sum())} units): the demand data have no '{weight}_spread' or "
            f"'{weight}_method' value for them; pass spread= (e.g. spread=0.3 for a 30 % "
            "relative error)"
        )

    group_series: pd.Series | None = None
    if float(correlation) > 0:
        if isinstance(groups, pd.Series):
            group_series = groups.reindex(labels)
        elif isinstance(groups, str):
            if meta is None or groups not in meta.columns:
                raise SpecificationError(
                    f"correlation > 0 needs groups: demand has no column {groups!r}; pass "
                    "groups= as a Series demand label -> group"
                )
            group_series = meta[groups].reindex(labels)
        else:
            raise SpecificationError(
                f"groups must be a column name or a Series, got {type(groups).__name__}"
            )
    if group_series is not None:
        codes, uniques = pd.factorize(group_series)
        group_code, n_groups = codes.astype(np.int64), len(uniques)
    else:
        group_code, n_groups = np.full(len(labels), -1, dtype=np.int64), 0

    solve_options = {"solver": solver, "time_limit": time_limit, "mip_gap": mip_gap}
    if is_builder:
        nominal_model = cls(pd.Series(nominal, index=labels, name="weight"))
        if not isinstance(nominal_model, LocationModel):
            raise SpecificationError(
                f"the model builder returned {type(nominal_model).__name__}, not a "
                "borderhub.locate model"
            )
        kind = "builder"
    else:
        nominal_model = cls.from_cost_matrix(matrix, nominal, **model_options)
        is_median = isinstance(nominal_model, PMedian) and type(nominal_model).__name__ == "PMedian"
        kind = "median" if is_median else "model"
    nominal_solution = nominal_model.solve(**solve_options)
    if nominal_solution.status not in ("optimal", "feasible"):
        raise SolverError(
            f"the model with the nominal weights ended {nominal_solution.status!r}: "
            f"{nominal_solution.message}; fix the model before measuring its robustness"
        )
    use_warm = bool(warm_start) and isinstance(solver, str) and solver.strip().lower() == "highs"
    problem = _Problem(
        kind=kind,
        model=cls,
        cost=matrix,
        labels=labels,
        nominal=nominal,
        spread=data_spread.to_numpy(dtype=float),
        group_code=group_code,
        n_groups=n_groups,
        correlation=float(correlation),
        seed=seed,
        options=dict(model_options),
        solve_options=solve_options,
        nominal_open=pd.Index(nominal_solution.open),
        maximise=bool(getattr(nominal_model, "_maximise", False)),
        warm_start=use_warm,
    )

    if not (isinstance(progress, bool) or callable(progress)):
        raise SpecificationError(
            f"progress must be True, False or a callable (done, total), got {progress!r}"
        )
    reporter = _Reporter(n, progress, what="robustness", unit="draws")
    start = time.perf_counter()
    records = _run_all(problem, n, batch_size, executor, reporter)
    elapsed = time.perf_counter() - start
    draws = pd.DataFrame.from_records(sorted(records, key=lambda r: r["draw"]))
    for column, fill in (
        ("status", ""),
        ("objective", math.nan),
        ("nominal_cost", math.nan),
        ("open", ""),
        ("seconds", math.nan),
        ("by_lp", False),
    ):
        if column not in draws.columns:
            draws[column] = fill
    draws = draws.set_index("draw")
    draws["status"] = draws["status"].fillna("")
    draws["open"] = draws["open"].fillna("")
    draws["by_lp"] = draws["by_lp"].fillna(False).astype(bool)
    sign = -1.0 if problem.maximise else 1.0
    draws["regret"] = sign * (draws["nominal_cost"] - draws["objective"])
    with np.errstate(divide="ignore", invalid="ignore"):
        draws["relative_regret"] = draws["regret"] / draws["objective"].abs()
    draws = draws[
        [
            "status",
            "objective",
            "nominal_cost",
            "regret",
            "relative_regret",
            "open",
            "seconds",
            "by_lp",
            "error",
        ]
    ]
    failed = draws[draws["error"].ne("")]
    ok = draws[draws["error"].eq("")]
    if len(failed) and (errors == "raise" or len(ok) == 0):
        k = int(failed.index[0])
        raise SolverError(
            f"robustness: {len(failed)} of {n} draws failed; the first is draw {k} (seed "
            f"[{seed}, {k}]): {failed.loc[k, 'error']}; reproduce its weights with "
            f"numpy.random.default_rng([{seed}, {k}]) or pass errors='record' to keep the others"
        )

    columns = nominal_model.cost.columns
    counts = pd.Series(0, index=columns, dtype=np.int64)
    for labels_text, count in ok["open"].value_counts().items():
        for label in _split_labels(str(labels_text), columns):
            counts[label] += int(count)
    selection = pd.DataFrame(
        {
            "frequency": counts / max(len(ok), 1),
            "count": counts,
            "nominal": columns.isin(nominal_solution.open),
            "required": columns.isin(nominal_model.required),
        },
        index=columns,
    )
    if isinstance(candidates, pd.DataFrame):
        keep = [c for c in ("name", "plan_name", "province", "tiers") if c in candidates.columns]
        if keep:
            selection = selection.join(candidates[keep])
    selection.index.name = "candidate"
    selection = selection.sort_values("frequency", ascending=False, kind="stable")
    nominal_text = ";".join(str(label) for label in nominal_solution.open)
    sets = ok["open"].value_counts().rename("count").to_frame()
    sets["frequency"] = sets["count"] / max(len(ok), 1)
    sets["nominal"] = sets.index == nominal_text
    sets.index.name = "open"
    return RobustnessResult(
        selection=selection,
        sets=sets,
        draws=draws,
        nominal=nominal_solution,
        spreads=pd.Series(data_spread.to_numpy(dtype=float), index=labels, name="spread"),
        spread_sources=pd.Series(sources.to_numpy(dtype=object), index=labels, name="source"),
        seed=seed,
        n=n,
        correlation=float(correlation),
        groups=group_series,
        model=str(name),
        batch_size=batch_size,
        warm_start=use_warm,
        elapsed=elapsed,
        maximise=problem.maximise,
        _problem=problem,
    )


def _frame(matrix: Any) -> pd.DataFrame:
    return matrix if isinstance(matrix, pd.DataFrame) else pd.DataFrame(np.asarray(matrix))


def _split_labels(text: str, columns: pd.Index) -> list[Any]:
    """``";"``-joined labels back to the candidate labels (whatever their type)."""
    lookup = {str(label): label for label in columns}
    return [lookup[part] for part in text.split(";") if part]
