"""Robustness under data uncertainty: :func:`robustness` and :class:`RobustnessResult`.

Which centres hold whatever the true volumes are: the selection frequency of each candidate
over plausible demand draws, serially, on a process pool or on Dask.

``borderhub.robustness`` names both this module and its function :func:`robustness`: the
package exposes the function, and the module is callable too (calling it calls the
function), so ``bh.robustness(...)`` works whichever of the two the attribute holds --
importing the module (``from borderhub.robustness import RobustnessResult``) rebinds the
package attribute to the module, as Python's import system does for every submodule.
The names are also importable from their former home, :mod:`borderhub.scenarios`.
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
import time
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from borderhub._tasks import Reporter, check_executor, cost_and_weights
from borderhub.exceptions import DataError, SolverError, SpecificationError
from borderhub.locate import model_class, model_name
from borderhub.robustness._draws import (
    DEFAULT_SPREADS,
    Problem,
    data_spreads,
    run_all,
    spread_values,
)
from borderhub.robustness._result import RobustnessResult

__all__ = ["DEFAULT_SPREADS", "RobustnessResult", "robustness"]


def robustness(
    model: Any,
    demand: Any = None,
    candidates: Any = None,
    *,
    n: int = 1000,
    spread: Any = None,
    seed: int = 0,
    correlation: float = 0.0,
    shock_groups: Any = "province",
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
    With ``correlation = r > 0`` the units of one group (``shock_groups``, by default the
    province) share a common shock: ``z_i = sqrt(1 - r) e_i + sqrt(r) g_{group(i)}``, so
    each unit keeps its spread and two units of a province have log-weights correlated by
    ``r`` (an error in a province total moves all its cities together). Draw *k* uses
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
        nominal centres open (:meth:`~borderhub.locate.LocationModel.objective_of`); for
        the p-median it is computed directly. A class is solved for each draw through
        :meth:`~borderhub.locate.LocationModel.resolver` of its nominal model.
    demand, candidates : GeoDataFrame, optional
        Default the bundled prefectures and the 60 places of 专栏4 (:mod:`borderhub.datasets`).
        ``demand`` also supplies the spread columns and the shock groups; ``candidates`` the
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
    shock_groups : str or Series, default "province"
        Column of ``demand`` (or Series demand label -> group) defining the shared shocks;
        used only when ``correlation > 0``. Units without a group get no shared shock.
        (Before 0.3 this was ``groups=``, which now reaches the model as its policy
        ``groups=``: see ``**model_options``.)
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
        The model's and the policy's parameters (``p``, ``radius``, ``required``,
        ``groups`` with ``min_per_group`` / ``max_per_group`` ...), the same in every draw.
        ``groups=`` without ``min_per_group`` or ``max_per_group`` is still read, with a
        ``FutureWarning``, as the former name of ``shock_groups=``.

    Returns
    -------
    RobustnessResult
        ``selection``, ``sets``, ``draws`` (objective, regret), ``nominal``, ``spreads``,
        ``manifest()``, ``plot()``. When the executor fails part-way (every Dask worker
        lost, a broken process pool) the draws already done are kept: the result has
        ``complete=False`` and names the ``cause``.

    Raises
    ------
    SpecificationError
        ``n`` < 1, a negative or non-finite spread, an unknown model name, an executor that
        is not an executor, a bad ``seed``/``correlation``/``batch_size``/``errors``, no
        spread known for some unit.
    DataError
        Weights NaN, negative or all zero.
    SolverError
        A draw failed (``errors="raise"``): the message names the draw and its seed; or the
        executor failed before any draw was done (the message names why).

    Warns
    -----
    RuntimeWarning
        The executor failed part-way; the result holds the draws done (``complete=False``).
    FutureWarning
        ``groups=`` given without ``min_per_group`` / ``max_per_group``, read as
        ``shock_groups=``.

    Examples
    --------
    Two candidates; only the weight of ``d3`` is uncertain. Centre ``a`` costs
    ``10 * 1.2 + 4 * w3`` and ``b`` costs ``10 * 1 + 6 * w3``, so ``a`` is optimal exactly
    when ``w3 > 1``: with ``w3 = 1.5 * exp(0.5 z)`` that is ``z > ln(1/1.5) / 0.5``,
    probability 0.79.

    >>> import pandas as pd
    >>> from borderhub.robustness import robustness
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
    shock_groups = _old_groups_keyword(model_options, shock_groups)
    n = _whole(n, "n", 1)
    seed = _whole(seed, "seed", 0)
    batch_size = _whole(batch_size, "batch_size", 1)
    if errors not in ("raise", "record"):
        raise SpecificationError(f"errors must be 'raise' or 'record', got {errors!r}")
    correlation = _correlation(correlation)
    check_executor(executor)
    if not (isinstance(progress, bool) or callable(progress)):
        raise SpecificationError(
            f"progress must be True, False or a callable (done, total), got {progress!r}"
        )

    nominal_in = _Nominal.read(model, demand, candidates, weight, cost, weights, distance)
    labels, nominal = nominal_in.labels, nominal_in.values
    spreads, sources = _spreads(nominal_in.meta, labels, weight, spread)
    group_series, group_code, n_groups = _shock_codes(
        correlation, shock_groups, nominal_in.meta, labels
    )
    solve_options = {"solver": solver, "time_limit": time_limit, "mip_gap": mip_gap}
    nominal_model, nominal_solution = nominal_in.solve(model_options, solve_options)
    use_warm = bool(warm_start) and isinstance(solver, str) and solver.strip().lower() == "highs"
    problem = Problem(
        kind=nominal_in.kind,
        model=nominal_in.cls,
        cost=nominal_in.matrix,
        labels=labels,
        nominal=nominal,
        spread=spreads.to_numpy(dtype=float),
        group_code=group_code,
        n_groups=n_groups,
        correlation=correlation,
        seed=seed,
        options=dict(model_options),
        solve_options=solve_options,
        nominal_open=pd.Index(nominal_solution.open),
        maximise=nominal_model.maximises,
        warm_start=use_warm,
    )

    reporter = Reporter(n, progress, what="robustness", unit="draws")
    start = time.perf_counter()
    records, cause = run_all(problem, n, batch_size, executor, reporter)
    elapsed = time.perf_counter() - start
    if cause and not records:
        raise SolverError(f"robustness: no draw was done: {cause}; check the executor")
    if cause:
        warnings.warn(
            f"robustness: {n - len(records)} of {n} draws were not run: {cause}; the result "
            "holds the draws done (complete=False)",
            RuntimeWarning,
            stacklevel=2,
        )
    draws = _draws_table(records, problem.maximise)
    ok = _successful(draws, errors, n, seed)
    selection, sets = _selection(ok, nominal_model, nominal_solution, nominal_in.candidates)
    return RobustnessResult(
        selection=selection,
        sets=sets,
        draws=draws,
        nominal=nominal_solution,
        spreads=pd.Series(spreads.to_numpy(dtype=float), index=labels, name="spread"),
        spread_sources=pd.Series(sources.to_numpy(dtype=object), index=labels, name="source"),
        seed=seed,
        n=n,
        correlation=correlation,
        groups=group_series,
        model=str(nominal_in.name),
        batch_size=batch_size,
        warm_start=use_warm,
        elapsed=elapsed,
        maximise=problem.maximise,
        complete=not cause,
        cause=cause,
        _problem=problem,
    )


# --------------------------------------------------------------------------------------------
# the steps of robustness()
# --------------------------------------------------------------------------------------------


def _whole(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise SpecificationError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def _correlation(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SpecificationError(f"correlation must be a number in [0, 1], got {value!r}")
    if not (math.isfinite(float(value)) and 0 <= float(value) <= 1):
        raise SpecificationError(f"correlation must be in [0, 1], got {value!r}")
    return float(value)


def _old_groups_keyword(model_options: dict[str, Any], shock_groups: Any) -> Any:
    """``groups=`` without a group rule is the former name of ``shock_groups=`` (warned)."""
    if "groups" in model_options and not ({"min_per_group", "max_per_group"} & set(model_options)):
        warnings.warn(
            "robustness(groups=...) for the correlated shocks is now shock_groups=...; "
            "groups= reaches the model as its policy groups when min_per_group or "
            "max_per_group is given. Pass shock_groups= to silence this warning.",
            FutureWarning,
            stacklevel=3,
        )
        return model_options.pop("groups")
    return shock_groups


@dataclass
class _Nominal:
    """The model to draw around: its class or builder, cost matrix and nominal weights."""

    kind: str  # "model" or "builder" (see Problem.kind)
    cls: Any
    name: str
    matrix: pd.DataFrame | None
    labels: pd.Index
    values: np.ndarray
    meta: pd.DataFrame | None  # the demand table (spread columns, shock groups)
    candidates: Any  # the candidate table (names and tiers of the selection table)

    @classmethod
    def read(
        cls,
        model: Any,
        demand: Any,
        candidates: Any,
        weight: Any,
        cost: Any,
        weights: Any,
        distance: Any,
    ) -> _Nominal:
        meta = demand if isinstance(demand, pd.DataFrame) else None
        if callable(model) and not isinstance(model, type | str):
            if weights is None:
                raise SpecificationError(
                    "a model builder needs weights= (the nominal weights to draw around, a "
                    "Series whose labels the builder understands)"
                )
            given = weights if isinstance(weights, pd.Series) else pd.Series(weights)
            inner = model
            while isinstance(inner, functools.partial):
                inner = inner.func
            name = getattr(inner, "__name__", type(inner).__name__)
            labels, values = _nominal_weights(given)
            return cls("builder", model, name, None, labels, values, meta, candidates)
        if cost is None:
            from borderhub import datasets

            demand = datasets.prefectures() if demand is None else demand
            candidates = datasets.candidates() if candidates is None else candidates
            meta = demand if isinstance(demand, pd.DataFrame) else None
            matrix, w = cost_and_weights(demand, candidates, weight, None, weights, distance)
        else:
            matrix, w = cost_and_weights(None, None, weight, cost, weights, distance)
            if w is None and meta is not None and isinstance(weight, str):
                if weight not in meta.columns:
                    raise SpecificationError(
                        f"demand has no column {weight!r}; columns are {list(meta.columns)}"
                    )
                w = meta[weight].reindex(_frame(matrix).index)
        matrix = _frame(matrix)
        given = _given_weights(matrix, w)
        if isinstance(weight, pd.Series) and weights is None and cost is None:
            given = weight
        missing = matrix.index.difference(given.index)
        if len(missing):
            raise DataError(f"weights lack the demand points {list(missing[:10])}")
        labels, values = _nominal_weights(given.reindex(matrix.index))
        name = model_name(model)
        return cls("model", model_class(model), name, matrix, labels, values, meta, candidates)

    def solve(self, model_options: dict[str, Any], solve_options: dict[str, Any]) -> Any:
        """The nominal model and its solution (which must have one)."""
        from borderhub.exceptions import SolverError
        from borderhub.locate import LocationModel

        if self.kind == "builder":
            model = self.cls(pd.Series(self.values, index=self.labels, name="weight"))
            if not isinstance(model, LocationModel):
                raise SpecificationError(
                    f"the model builder returned {type(model).__name__}, not a "
                    "borderhub.locate model"
                )
        else:
            model = self.cls.from_cost_matrix(self.matrix, self.values, **model_options)
        solution = model.solve(**solve_options)
        if solution.status not in ("optimal", "feasible"):
            raise SolverError(
                f"the model with the nominal weights ended {solution.status!r}: "
                f"{solution.message}; fix the model before measuring its robustness"
            )
        return model, solution


def _given_weights(matrix: pd.DataFrame, w: Any) -> pd.Series:
    """The weights as a Series over the cost matrix's rows (1 each when none are given)."""
    if w is None:
        return pd.Series(1.0, index=matrix.index)
    if isinstance(w, pd.Series):
        return w
    arr = np.asarray(w, dtype=object).reshape(-1)
    if len(arr) != len(matrix.index):
        raise DataError(
            f"weights has length {len(arr)} but there are {len(matrix.index)} demand "
            "points (rows of cost); pass one weight per demand point"
        )
    return pd.Series(arr, index=matrix.index)


def _nominal_weights(given: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """Labels and values of the nominal weights: unique labels, finite, >= 0, not all 0."""
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
    return labels, nominal


def _spreads(
    meta: pd.DataFrame | None, labels: pd.Index, weight: Any, spread: Any
) -> tuple[pd.Series, pd.Series]:
    """Each unit's spread and where it came from; every unit must have one."""
    data_spread, sources = data_spreads(meta, labels, weight)
    if spread is not None:
        user = spread_values(spread, labels, "spread")
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
    return data_spread, sources


def _shock_codes(
    correlation: float, shock_groups: Any, meta: pd.DataFrame | None, labels: pd.Index
) -> tuple[pd.Series | None, np.ndarray, int]:
    """The shock group of each unit (-1: none), as a Series, integer codes and a count."""
    group_series: pd.Series | None = None
    if correlation > 0:
        if isinstance(shock_groups, pd.Series):
            group_series = shock_groups.reindex(labels)
        elif isinstance(shock_groups, str):
            if meta is None or shock_groups not in meta.columns:
                raise SpecificationError(
                    f"correlation > 0 needs shock groups: demand has no column "
                    f"{shock_groups!r}; pass shock_groups= as a Series demand label -> group"
                )
            group_series = meta[shock_groups].reindex(labels)
        else:
            raise SpecificationError(
                f"shock_groups must be a column name or a Series, got {type(shock_groups).__name__}"
            )
    if group_series is None:
        return None, np.full(len(labels), -1, dtype=np.int64), 0
    codes, uniques = pd.factorize(group_series)
    return group_series, codes.astype(np.int64), len(uniques)


def _draws_table(records: list[dict[str, Any]], maximise: bool) -> pd.DataFrame:
    """One row per draw done, in draw order, with the regret of the nominal plan."""
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
    sign = -1.0 if maximise else 1.0
    draws["regret"] = sign * (draws["nominal_cost"] - draws["objective"])
    with np.errstate(divide="ignore", invalid="ignore"):
        draws["relative_regret"] = draws["regret"] / draws["objective"].abs()
    columns = ["status", "objective", "nominal_cost", "regret", "relative_regret", "open"]
    return draws[[*columns, "seconds", "by_lp", "error"]]


def _successful(draws: pd.DataFrame, errors: str, n: int, seed: int) -> pd.DataFrame:
    """The draws without an error; failures raise unless ``errors="record"``."""
    failed = draws[draws["error"].ne("")]
    ok = draws[draws["error"].eq("")]
    if len(failed) and (errors == "raise" or len(ok) == 0):
        k = int(failed.index[0])
        raise SolverError(
            f"robustness: {len(failed)} of {n} draws failed; the first is draw {k} (seed "
            f"[{seed}, {k}]): {str(failed.loc[k, 'error'])}; reproduce its weights with "
            f"numpy.random.default_rng([{seed}, {k}]) or pass errors='record' to keep the others"
        )
    return ok


def _selection(
    ok: pd.DataFrame, nominal_model: Any, nominal_solution: Any, candidates: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How often each candidate, and each whole set of centres, was chosen."""
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
    return selection, sets


def _frame(matrix: Any) -> pd.DataFrame:
    return matrix if isinstance(matrix, pd.DataFrame) else pd.DataFrame(np.asarray(matrix))


def _split_labels(text: str, columns: pd.Index) -> list[Any]:
    """``";"``-joined labels back to the candidate labels (whatever their type)."""
    lookup = {str(label): label for label in columns}
    return [lookup[part] for part in text.split(";") if part]


class _CallableModule(types.ModuleType):
    """The module made callable: ``borderhub.robustness(...)`` is :func:`robustness` either way."""

    def __call__(self, *args: Any, **kwargs: Any) -> RobustnessResult:
        return robustness(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
# ... and the function carries the module's public names, so that ``borderhub.robustness.X``
# (e.g. ``import borderhub.robustness as r; r.RobustnessResult``) works whichever it holds
for _name in __all__:
    setattr(robustness, _name, globals()[_name])
