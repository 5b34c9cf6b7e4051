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

import concurrent.futures as cf
import functools
import math
import numbers
import sys
import time
import types
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from borderhub._tasks import (
    Reporter,
    check_executor,
    cost_and_weights,
    dask_client,
    release_solver_threads,
)
from borderhub.exceptions import DataError, SpecificationError
from borderhub.locate import model_class, model_name

__all__ = ["DEFAULT_SPREADS", "RobustnessResult", "robustness"]


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

    kind: str  # "model" (a class, re-solved through its resolver), "builder" (a callable)
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


def _build(problem: _Problem, w: np.ndarray) -> Any:
    """The model of a builder for the weights ``w``."""
    from borderhub.locate import LocationModel

    model = problem.model(pd.Series(w, index=problem.labels, name="weight"))
    if not isinstance(model, LocationModel):
        raise SpecificationError(
            f"the model builder returned {type(model).__name__}, not a borderhub.locate "
            "model; it must return e.g. PMedian.from_cost_matrix(cost, weights, p=...)"
        )
    return model


def _run_batch(problem: _Problem, first: int, count: int) -> list[dict[str, Any]]:
    """Solve draws ``first .. first + count - 1``; failures are returned, not raised.

    A model class is solved through the resolver of its nominal model (built once per
    batch: warm where the model has a warm re-solve); a builder's model anew for each draw.
    """
    records: list[dict[str, Any]] = []
    resolver = None
    if problem.kind == "model":
        template = problem.model.from_cost_matrix(problem.cost, problem.nominal, **problem.options)
        resolver = template.resolver(
            start=problem.nominal_open, warm=problem.warm_start, **problem.solve_options
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
            if resolver is not None:
                nominal_cost = resolver.objective_of(problem.nominal_open, w)
            else:
                nominal_cost = model.objective_of(problem.nominal_open, **problem.solve_options)
            record.update(
                status=status,
                objective=objective,
                nominal_cost=float(nominal_cost),
                open=";".join(str(label) for label in open_),
                seconds=seconds,
                by_lp=by_lp,
                error="",
            )
        except Exception as err:  # noqa: BLE001 - reported with the draw's seed
            record["error"] = f"{type(err).__name__}: {err}"
        records.append(record)
    return records


def _lost(err: BaseException, where: str) -> str:
    """Why the remaining batches cannot be had, in words (the cause of an incomplete run)."""
    text = f"{type(err).__name__}: {err}"
    if where == "Dask cluster" and "cancelled" in text.lower():
        return (
            "the Dask workers were lost, and with them the problem data scattered to them, "
            f"before every batch was done ({text})"
        )
    return f"the {where} failed before every batch was done ({text})"


def _run_all(
    problem: _Problem,
    n: int,
    batch_size: int,
    executor: Any,
    reporter: Reporter,
) -> tuple[list[dict[str, Any]], str]:
    """The records of the draws done and, if the executor failed first, why (else "").

    A batch never raises for a failed draw (it records it), so an exception from a
    future is the executor's: workers lost, the scattered data gone with them, a broken
    process pool. The batches already done are kept and the rest cancelled; a
    KeyboardInterrupt still cancels everything and propagates.
    """
    batches = [(first, min(batch_size, n - first)) for first in range(0, n, batch_size)]
    records: list[dict[str, Any]] = []
    if executor is None:
        for first, count in batches:
            records.extend(_run_batch(problem, first, count))
            reporter.update(count)
        return records, ""
    client = dask_client(executor)
    if client is not None:
        from distributed import as_completed

        try:
            shipped = client.scatter(problem, broadcast=True, hash=False)
        except Exception as err:  # noqa: BLE001 - no worker to ship the data to
            return records, _lost(err, "Dask cluster")
        futures = [
            client.submit(_run_batch, shipped, first, count, pure=False) for first, count in batches
        ]
        sizes = {future.key: count for future, (_, count) in zip(futures, batches, strict=True)}
        try:
            for future in as_completed(futures):
                try:
                    batch = future.result()
                except Exception as err:  # noqa: BLE001 - workers lost: keep what is done
                    client.cancel(futures)
                    return records, _lost(err, "Dask cluster")
                records.extend(batch)
                reporter.update(sizes[future.key])
        except BaseException:
            client.cancel(futures)
            raise
        return records, ""
    release_solver_threads()
    pending = {
        executor.submit(_run_batch, problem, first, count): count for first, count in batches
    }
    try:
        for future in cf.as_completed(pending):
            try:
                batch = future.result()
            except Exception as err:  # noqa: BLE001 - a broken pool: keep what is done
                for other in pending:
                    other.cancel()
                return records, _lost(err, "executor")
            records.extend(batch)
            reporter.update(pending[future])
    except BaseException:
        for future in pending:
            future.cancel()
        raise
    return records, ""


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
        The call's settings (``groups`` is the demand label -> group Series of the
        correlated shocks, from ``shock_groups=``, or None) and the wall-clock seconds of
        the draws.
    maximise : bool
        True when the model maximises (coverage): regret is then optimum minus nominal.
    complete : bool
        False when the executor failed (e.g. every Dask worker was lost) before all ``n``
        draws were done: ``draws`` and the frequencies then hold the draws that were.
    cause : str
        Why the run is incomplete (empty when complete).

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
    complete: bool = True
    cause: str = ""
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
        >>> from borderhub.robustness import robustness
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
        >>> from borderhub.robustness import robustness
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
        >>> from borderhub.robustness import robustness
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
            f"{int(ok.sum())} solved, {int((~ok).sum())} failed"
            + ("" if self.complete else f", {self.n - len(self.draws)} not run: {self.cause}"),
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
            ``n_solved``, ``n_failed``, ``failed`` ([{draw, seed, error}]), ``complete``,
            ``cause`` (why not, or "") and ``elapsed_s``.

        Examples
        --------
        >>> import json
        >>> import pandas as pd
        >>> from borderhub.robustness import robustness
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
            "complete": bool(self.complete),
            "cause": str(self.cause),
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
        >>> from borderhub.robustness import robustness
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
        >>> from borderhub.robustness import robustness
        >>> cost = pd.DataFrame([[0.0, 9.0], [9.0, 0.0], [1.0, 8.0]],
        ...                     index=["d1", "d2", "d3"], columns=["a", "b"])
        >>> res = robustness("pmedian", cost=cost, weights=[1.0, 1.0, 1.0], p=1, n=20,
        ...                  spread=0.3, progress=False)
        >>> len(res.plot().axes)
        2
        """
        from borderhub.plots import plot_robustness

        return plot_robustness(self, names=names, threshold=threshold)


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
    from borderhub import datasets
    from borderhub.exceptions import SolverError
    from borderhub.locate import LocationModel

    if "groups" in model_options and not ({"min_per_group", "max_per_group"} & set(model_options)):
        warnings.warn(
            "robustness(groups=...) for the correlated shocks is now shock_groups=...; "
            "groups= reaches the model as its policy groups when min_per_group or "
            "max_per_group is given. Pass shock_groups= to silence this warning.",
            FutureWarning,
            stacklevel=2,
        )
        shock_groups = model_options.pop("groups")

    n = _whole(n, "n", 1)
    seed = _whole(seed, "seed", 0)
    batch_size = _whole(batch_size, "batch_size", 1)
    if errors not in ("raise", "record"):
        raise SpecificationError(f"errors must be 'raise' or 'record', got {errors!r}")
    if isinstance(correlation, bool) or not isinstance(correlation, numbers.Real):
        raise SpecificationError(f"correlation must be a number in [0, 1], got {correlation!r}")
    if not (math.isfinite(float(correlation)) and 0 <= float(correlation) <= 1):
        raise SpecificationError(f"correlation must be in [0, 1], got {correlation!r}")
    check_executor(executor)
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
        cls = model_class(model)
        name = model_name(model)
        if cost is None:
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
        kind = "model"
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
        maximise=nominal_model.maximises,
        warm_start=use_warm,
    )

    if not (isinstance(progress, bool) or callable(progress)):
        raise SpecificationError(
            f"progress must be True, False or a callable (done, total), got {progress!r}"
        )
    reporter = Reporter(n, progress, what="robustness", unit="draws")
    start = time.perf_counter()
    records, cause = _run_all(problem, n, batch_size, executor, reporter)
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
        complete=not cause,
        cause=cause,
        _problem=problem,
    )


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
