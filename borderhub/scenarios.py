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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from borderhub._curves import elbow
from borderhub._tasks import Reporter, cost_and_weights, release_solver_threads
from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate import MODELS as _LOCATE_MODELS
from borderhub.locate import P_MODELS, model_class, model_name
from borderhub.robustness import DEFAULT_SPREADS as DEFAULT_SPREADS  # its home before 0.3
from borderhub.robustness import RobustnessResult as RobustnessResult  # its home before 0.3
from borderhub.robustness import robustness as robustness  # its home before 0.3

__all__ = [
    "sweep",
    "p_sweep",
    "weight_sweep",
    "growth_sweep",
    "solve_scenario",
    "gateway_cost_sweep",
    "elbow",
    "MODELS",
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


def _describe(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items()) or "(no parameters)"


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
    reporter = Reporter(total, bool(progress))
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
        release_solver_threads()
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
MODELS: Mapping[str, str] = _LOCATE_MODELS
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
    matrix, w = cost_and_weights(demand, candidates, weight, cost, weights, distance)
    return _ModelSweep(matrix, w, model, solver, time_limit, mip_gap, dict(params))


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
# cross-border costs: what one would have to believe for a border-port city to enter
# --------------------------------------------------------------------------------------------
def gateway_cost_sweep(
    ratios: Iterable[float],
    candidates: Any,
    demand: Any,
    partners: Any,
    *,
    p: int,
    mode: str = "truck",
    parameter: str = "rate",
    flows: Any = None,
    modes: Any = None,
    gateways: Any = None,
    distance: str = "geodesic",
    border: Iterable[Any] | None = None,
    **params: Any,
) -> pd.DataFrame:
    """Solve the cross-border model with one cost parameter scaled, ratio by ratio.

    For each ``r`` in ``ratios`` the parameter ``modes[mode][parameter]`` is ``r`` times
    its value (:func:`borderhub.flows.mode_table` of ``modes``) and
    :func:`borderhub.locate.solve_crossborder` chooses ``p`` centres. The table says which
    centres open, whether a border-port city is among them, and how the flow divides
    over the modes -- so a proposal can say at which cost ratio a border-port city enters
    and what one would have to believe for it. The distances and gateways are computed
    once (with ``distance="road"`` or ``"rail"`` along the networks and at the
    infrastructure's gateways).

    Parameters
    ----------
    ratios : iterable of float
        Multipliers of the parameter (> 0), e.g. ``[0.5, 1, 2, 4]``.
    candidates, demand, partners : geopandas.GeoDataFrame
        As for :func:`borderhub.locate.solve_crossborder` (``demand`` with
        ``express_volume`` unless ``flows`` is given).
    p : int
        Number of centres.
    mode : {"truck", "air", "sea", "road", "rail"}, default "truck"
        The mode whose parameter is scaled. ``truck`` (the centre-to-gateway leg) is the
        one that moves centres towards the border: at ratio ``r`` a km trucked from a
        centre to its gateway costs ``r`` km of the collection leg.
    parameter : {"rate", "handling", "border"}, default "rate"
    flows, modes, gateways, distance
        As for :func:`borderhub.locate.solve_crossborder` (``distance`` is the method,
        ``"geodesic"``, ``"road"`` or ``"rail"``).
    border : iterable, optional
        The labels of the border-port cities among the candidates (default: those whose
        ``border_port`` column is true, as in :func:`borderhub.datasets.candidates`).
    **params
        Further arguments of :func:`~borderhub.locate.solve_crossborder` (``required``,
        ``forbidden``, ...).

    Returns
    -------
    pandas.DataFrame
        Index ``ratio``; columns ``value`` (the parameter's value), ``open`` and
        ``border_open`` (``;``-joined labels), ``n_border``, ``objective`` and
        ``share_air``, ``share_sea``, ``share_road``, ``share_rail`` (of the flow);
        ``attrs["first_border_ratio"]`` is the first ratio at which a border-port city
        opens (None if none does).

    Raises
    ------
    SpecificationError
        A bad ratio, mode or parameter.

    Examples
    --------
    >>> from borderhub import datasets
    >>> from borderhub.scenarios import gateway_cost_sweep
    >>> pref = datasets.prefectures()
    >>> dem = pref[pref["province"] == "广西壮族自治区"]
    >>> cand = dem.loc[["450100", "450600", "451400"]]  # 南宁, 防城港, 崇左
    >>> part = datasets.partners().loc[["VNM-HAN"]]
    >>> t = gateway_cost_sweep([0.5, 1], cand, dem, part, p=1, share=0.05,
    ...                        border=["450600", "451400"])
    >>> t["open"].tolist(), t.attrs["first_border_ratio"]
    (['450100', '451400'], 1.0)
    """
    from borderhub.flows import international_demand, mode_table
    from borderhub.locate import solve_crossborder
    from borderhub.routes import check_distance, network_km

    table = mode_table(modes)
    if mode not in table or not table[mode] or parameter not in table[mode]:
        raise SpecificationError(
            f"gateway_cost_sweep: no parameter {mode}.{parameter}; choose one of "
            f"{ {m: sorted(v) for m, v in table.items()} }"
        )
    given = list(ratios)
    try:
        values = [float(r) for r in given]
    except (TypeError, ValueError):
        values = []
    if not values or any(not math.isfinite(v) or v <= 0 for v in values):
        raise SpecificationError(f"ratios must be positive numbers, got {given!r}")
    distance = check_distance(distance)
    share = params.pop("share", None)
    if flows is None:
        flows = international_demand(demand, partners, share=share)
    dom = network_km(demand, candidates, distance)
    if gateways is None:
        from borderhub.flows import gateways as build

        gateways = build(candidates, infrastructure=True) if distance != "geodesic" else build()
    if border is None:
        column = candidates.get("border_port", pd.Series(False, index=candidates.index))
        border = candidates.index[column.fillna(False).astype(bool).to_numpy()]
    border_set = {str(b) for b in border}
    rows = []
    for r in values:
        scaled = {k: dict(v) for k, v in table.items()}
        scaled[mode][parameter] = table[mode][parameter] * r
        sol = solve_crossborder(
            candidates, demand, partners, p=p, flows=flows, modes=scaled, gateways=gateways,
            distance=dom, gateway_distance=distance, **params,
        )  # fmt: skip
        opened = [str(k) for k in sol.open]
        by_mode = sol.loads("mode")["flow"] if sol.has_solution else pd.Series(dtype=float)
        total = float(by_mode.sum()) or 1.0
        rows.append(
            {"ratio": r, "value": scaled[mode][parameter], "open": ";".join(opened),
             "border_open": ";".join(k for k in opened if k in border_set),
             "n_border": sum(k in border_set for k in opened), "objective": sol.objective,
             **{f"share_{m}": float(by_mode.get(m, 0.0)) / total
                for m in ("air", "sea", "road", "rail")}}
        )  # fmt: skip
    out = pd.DataFrame(rows).set_index("ratio")
    entered = out.index[out["n_border"] > 0]
    out.attrs["first_border_ratio"] = float(entered[0]) if len(entered) else None
    out.attrs["parameter"] = f"{mode}.{parameter}"
    out.attrs["distance"] = distance
    return out
