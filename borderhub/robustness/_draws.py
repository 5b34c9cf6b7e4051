"""The draws of :func:`borderhub.robustness.robustness`: spreads, one draw, batches, executors.

Everything a worker needs travels in one :class:`Problem`; :func:`run_batch` solves a batch
of draws on any executor (a failed draw is recorded, not raised) and :func:`run_all` runs
the batches here, on a :mod:`concurrent.futures` executor or on Dask, keeping the batches
done when the executor fails part-way.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from borderhub._tasks import Reporter, dask_client, release_solver_threads
from borderhub.exceptions import DataError, SpecificationError

__all__ = [
    "DEFAULT_SPREADS",
    "Problem",
    "build_model",
    "data_spreads",
    "draw",
    "lost_cause",
    "run_all",
    "run_batch",
    "spread_values",
]

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


def spread_values(spread: Any, labels: pd.Index, what: str) -> pd.Series:
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


def data_spreads(
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
class Problem:
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


def draw(problem: Problem, k: int) -> np.ndarray:
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


def build_model(problem: Problem, w: np.ndarray) -> Any:
    """The model of a builder for the weights ``w``."""
    from borderhub.locate import LocationModel

    model = problem.model(pd.Series(w, index=problem.labels, name="weight"))
    if not isinstance(model, LocationModel):
        raise SpecificationError(
            f"the model builder returned {type(model).__name__}, not a borderhub.locate "
            "model; it must return e.g. PMedian.from_cost_matrix(cost, weights, p=...)"
        )
    return model


def run_batch(problem: Problem, first: int, count: int) -> list[dict[str, Any]]:
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
            w = draw(problem, k)
            if resolver is not None:
                got = resolver.solve(w)
                status, open_, objective = str(got.status.value), got.open, got.objective
                seconds, by_lp = got.seconds, got.by_lp
            else:
                t = time.perf_counter()
                model = build_model(problem, w)
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


def lost_cause(err: BaseException, where: str) -> str:
    """Why the remaining batches cannot be had, in words (the cause of an incomplete run)."""
    text = f"{type(err).__name__}: {err}"
    if where == "Dask cluster" and "cancelled" in text.lower():
        return (
            "the Dask workers were lost, and with them the problem data scattered to them, "
            f"before every batch was done ({text})"
        )
    return f"the {where} failed before every batch was done ({text})"


def run_all(
    problem: Problem,
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
            records.extend(run_batch(problem, first, count))
            reporter.update(count)
        return records, ""
    client = dask_client(executor)
    if client is not None:
        from distributed import as_completed

        try:
            shipped = client.scatter(problem, broadcast=True, hash=False)
        except Exception as err:  # noqa: BLE001 - no worker to ship the data to
            return records, lost_cause(err, "Dask cluster")
        futures = [
            client.submit(run_batch, shipped, first, count, pure=False) for first, count in batches
        ]
        sizes = {future.key: count for future, (_, count) in zip(futures, batches, strict=True)}
        try:
            for future in as_completed(futures):
                try:
                    batch = future.result()
                except Exception as err:  # noqa: BLE001 - workers lost: keep what is done
                    client.cancel(futures)
                    return records, lost_cause(err, "Dask cluster")
                records.extend(batch)
                reporter.update(sizes[future.key])
        except BaseException:
            client.cancel(futures)
            raise
        return records, ""
    release_solver_threads()
    pending = {executor.submit(run_batch, problem, first, count): count for first, count in batches}
    try:
        for future in cf.as_completed(pending):
            try:
                batch = future.result()
            except Exception as err:  # noqa: BLE001 - a broken pool: keep what is done
                for other in pending:
                    other.cancel()
                return records, lost_cause(err, "executor")
            records.extend(batch)
            reporter.update(pending[future])
    except BaseException:
        for future in pending:
            future.cancel()
        raise
    return records, ""
