"""The main job as one library call: :func:`run_plan` -> :class:`PlanResult`.

``borderhub plan`` is ``run_plan(...).save(out)`` plus printing. A plan

1. loads the candidates and demand units (the bundled tables, files read by
   :func:`borderhub.io.read_points`, or the caller's GeoDataFrames), optionally restricted
   to some provinces, and chooses the demand weight;
2. scores the candidates on :func:`borderhub.scoring.default_criteria` (criteria the data
   cannot feed are skipped and recorded);
3. computes geodesic distances and solves a location model of :data:`borderhub.locate.MODELS`
   with the plan's policy options (tiers whose candidates must open, a gateway term);
4. describes the chosen centres (:meth:`borderhub.locate.Solution.centre_stats`), and can
   draw the corridor map, a static map and plots and write every file with a manifest.

Every option of ``borderhub plan`` is a field of the frozen, validated :class:`PlanConfig`.
Progress is reported to an optional callable with :class:`PlanEvent` values; bad options
raise :class:`PlanOptionError` (a :class:`~borderhub.exceptions.SpecificationError`), bad
data :class:`~borderhub.exceptions.DataError`. This module never imports the command line.

Where later options plug in: a model is looked up in the registry of :mod:`borderhub.locate`
(:data:`~borderhub.locate.MODELS`), built by ``_build_model`` and solved in ``_solve``; a
model that needs more than demand and candidates (partner flows) gets its inputs there. An
analysis of the same run (a robustness count over perturbed data, on an executor) runs in
:func:`run_plan` after ``_solve`` on the same inputs and distances and keeps its result in
:attr:`PlanResult.extras`; a further file (a report page) is written by
:meth:`PlanResult.save` and listed in :data:`OUTPUTS`, which the manifest hashes.

Examples
--------
>>> from borderhub import run_plan
>>> result = run_plan(p=6, required_tiers="RAIL")
>>> result.solution.status, len(result.centres), int(result.centres["required"].sum())
('optimal', 6, 5)
"""

from __future__ import annotations

import functools
import hashlib
import platform
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from borderhub._native import native_stdout_elsewhere
from borderhub.exceptions import DataError, MissingDataWarning, SpecificationError
from borderhub.locate import P_MODELS, model_class
from borderhub.plan.config import DEFAULT_P as DEFAULT_P
from borderhub.plan.config import PlanConfig, PlanOptionError

__all__ = ["run_plan", "PlanConfig", "PlanResult", "PlanEvent", "PlanOptionError", "OUTPUTS"]

#: Every file a plan can write, in the order written (``manifest.json`` last).
OUTPUTS = (
    "scores.csv",
    "solution.csv",
    "centres.csv",
    "solution.geojson",
    "allocations.geojson",
    "map.html",
    "map.png",
    "rank_stability.png",
    "cost_curve.png",
    "cost_curve.csv",
    "routing.csv",
    "gateway_loads.csv",
    "partner_loads.csv",
    "robustness.csv",
    "robustness_sets.csv",
    "robustness_draws.csv",
    "robustness.png",
    "report.html",
)

#: Bundled tables a plan reads (their hashes go into the manifest) -> key in the manifest.
_BUNDLED_TABLES = {
    "candidates": "candidates",
    "prefectures": "demand",
    "partners": "partners",
    "corridors": "corridors",
    "border_ports": "border_ports",
}
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


class PlanEvent(NamedTuple):
    """One progress report of :func:`run_plan` and :meth:`PlanResult.save`.

    Parameters
    ----------
    kind : str
        ``"start"`` and ``"done"`` (or ``"failed"``) around a step, ``"note"`` for a remark,
        ``"progress"`` for how far a long step (the robustness draws) has got.
    key : str
        The step (``load``, ``score``, ``distances``, ``build``, ``solve``,
        ``robustness``, ``write``, ``map``, ``plots``, ``report``); empty for notes.
    message : str
        What is being done, or the remark.
    seconds : float
        Duration of a finished step (0 otherwise).

    Examples
    --------
    >>> from borderhub.pipeline import PlanEvent
    >>> PlanEvent("note", "", "criteria skipped", 0.0).kind
    'note'
    """

    kind: str
    key: str
    message: str
    seconds: float


class _Steps:
    """Times every step (for the manifest) and forwards events to the caller's callable."""

    def __init__(self, progress: Callable[[PlanEvent], Any] | None) -> None:
        if progress is not None and not callable(progress):
            raise PlanOptionError(
                f"progress must be a callable taking a PlanEvent, got {type(progress).__name__}"
            )
        self.progress = progress
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, key: str, message: str) -> Iterator[None]:
        if self.progress is not None:
            self.progress(PlanEvent("start", key, message, 0.0))
        start = time.perf_counter()
        failed = True
        try:
            yield
            failed = False
        finally:
            elapsed = time.perf_counter() - start
            self.timings[key] = self.timings.get(key, 0.0) + elapsed
            if self.progress is not None:
                self.progress(PlanEvent("failed" if failed else "done", key, message, elapsed))

    def note(self, message: str) -> None:
        if self.progress is not None:
            self.progress(PlanEvent("note", "", message, 0.0))


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return " | ".join(lines) if lines else "unknown error"


# --------------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------------


@dataclass
class _Inputs:
    candidates: Any
    demand: Any
    weight: str | None
    weight_note: str
    bundled_candidates: bool
    bundled_demand: bool
    sources: dict[str, Any] = field(default_factory=dict)
    given: dict[str, Any] = field(default_factory=dict)
    drawn_solution: Any = None
    drawn_scores: Any = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _numeric_column(frame: Any, column: str, where: str) -> Any:
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    bad = ~np.isfinite(values.to_numpy()) | (values.to_numpy() < 0)
    if bad.any():
        raise DataError(
            f"{where}: column {column!r} must hold finite numbers >= 0; bad for "
            f"{frame.index[bad].tolist()[:10]}"
        )
    return values


def _derive_tiers(frame: Any) -> list[str]:
    """``tiers`` of user candidates that lack the column: 专栏4 looked up by label, then name."""
    from borderhub.policy import Tier, column4

    table = column4()
    found: dict[str, set[Any]] = {}
    for column in ("adcode", "name", "plan_name"):
        for key, tier in zip(table[column], table["tier"], strict=True):
            found.setdefault(str(key), set()).add(tier)
    names = frame["name"] if "name" in frame.columns else [None] * len(frame)
    out = []
    for label, name in zip(frame.index, names, strict=True):
        tiers = found.get(str(label)) or found.get(str(name).strip()) or set()
        out.append(";".join(t.name for t in Tier if t in tiers))
    return out


def _points(given: Any, role: str, config: PlanConfig) -> tuple[Any, dict[str, Any]]:
    """A caller's candidates or demand: a file (read by io.read_points) or a GeoDataFrame."""
    import geopandas as gpd

    from borderhub.io import read_points

    if isinstance(given, str | Path):
        frame = read_points(
            given,
            id_column=config.id_column,
            lon_column=config.lon_column,
            lat_column=config.lat_column,
            coordinates=config.coordinates,
            role=role,
        )
        path = Path(given)
        source = {
            "source": "user",
            "file": path.name,
            "sha256": _sha256(path) if path.is_file() else None,
        }
        return frame, source
    if isinstance(given, gpd.GeoDataFrame):
        from borderhub.geo import as_points

        frame = as_points(given, role)
        frame["lon"] = frame.geometry.x.to_numpy(dtype=float)
        frame["lat"] = frame.geometry.y.to_numpy(dtype=float)
        return frame, {"source": "caller", "rows": len(frame)}
    raise DataError(
        f"{role} must be a file path or a GeoDataFrame, got {type(given).__name__}; pass e.g. "
        "'candidates.csv' or borderhub.datasets.candidates()"
    )


def _province_key(name: Any) -> str:
    text = str(name).strip()
    for suffix in _PROVINCE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _restrict_to_provinces(frame: Any, provinces: Sequence[str], role: str) -> Any:
    if "province" not in frame.columns:
        raise PlanOptionError(
            f"provinces needs a 'province' column in the {role}; add one or drop the option"
        )
    keys = frame["province"].map(_province_key)
    wanted = {_province_key(p) for p in provinces}
    known = sorted(set(keys.dropna()))
    unknown = sorted(wanted - set(known))
    if unknown:
        raise PlanOptionError(
            f"provinces {unknown} are not provinces of the {role}; choose from {known}"
        )
    return frame[keys.isin(wanted).to_numpy()]


def _choose_weight(demand: Any, requested: str | None, user: bool) -> tuple[str | None, str]:
    if requested:
        if requested not in demand.columns:
            raise DataError(
                f"demand has no column {requested!r} (--weight-column); columns are "
                f"{[str(c) for c in demand.columns if c != 'geometry']}"
            )
        return requested, f"demand weight: column {requested!r}"
    for column in ("express_volume", "population"):
        if column in demand.columns:
            unit = " (亿件, estimated)" if column == "express_volume" and not user else ""
            return column, f"demand weight: column {column!r}{unit}"
    return None, "demand weight: none given, every demand unit weighs 1"


def _load(candidates: Any, demand: Any, config: PlanConfig, steps: _Steps) -> _Inputs:
    from borderhub import datasets

    if config.coordinates != "wgs84" and candidates is None and demand is None:
        raise PlanOptionError(
            f"coordinates {config.coordinates!r} applies to your own CSV files; the bundled "
            "tables are WGS84: give candidates or demand files, or drop the option"
        )
    with steps.step("load", "loading data"):
        sources: dict[str, Any] = {}
        if candidates is not None:
            cand, sources["candidates"] = _points(candidates, "candidates", config)
            if "tiers" not in cand.columns:
                cand["tiers"] = _derive_tiers(cand)
        else:
            cand = datasets.candidates()
        if demand is not None:
            dem, sources["demand"] = _points(demand, "demand", config)
        else:
            dem = datasets.prefectures()
        bundled_dir = datasets.data_dir()
        for table, key in _BUNDLED_TABLES.items():
            path = bundled_dir / f"{table}.csv"
            if key not in sources and path.is_file():
                sources[key] = {"source": "bundled", "file": path.name, "sha256": _sha256(path)}
        if config.provinces:
            cand = _restrict_to_provinces(cand, config.provinces, "candidates")
            dem = _restrict_to_provinces(dem, config.provinces, "demand units")
        weight, note = _choose_weight(dem, config.weight_column, demand is not None)
        if weight is not None:
            dem[weight] = _numeric_column(dem, weight, "demand")
            if float(dem[weight].sum()) <= 0:
                raise DataError(
                    f"demand column {weight!r} sums to zero: nothing to serve; give positive "
                    "weights or choose another --weight-column"
                )
    return _Inputs(
        candidates=cand,
        demand=dem,
        weight=weight,
        weight_note=note,
        bundled_candidates=candidates is None,
        bundled_demand=demand is None,
        sources=sources,
        given={"candidates": candidates, "demand": demand},
    )


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------


@dataclass
class _Scored:
    table: Any  # scoring.score output
    raw: Any  # raw criterion values (one column per criterion)
    directions: dict[str, str]
    weights: dict[str, float]
    method: str
    skipped: dict[str, str]
    missing: dict[str, str] = field(default_factory=dict)
    #: criterion -> candidates whose value rests on an estimate (e.g. a stand-in port point)
    estimated: dict[str, list[str]] = field(default_factory=dict)


def _criteria_values(
    inputs: _Inputs,
) -> tuple[Any, dict[str, str], dict[str, float], dict, dict[str, list[str]]]:
    """Evaluate the default criteria on the candidates; skip those the data cannot feed.

    Also returns, per criterion, the candidates whose value rests on an estimate (a
    criterion's ``attrs["stand_in"]``, as :func:`~borderhub.scoring.border_port_distance`
    sets it).
    """
    from borderhub import scoring

    criteria = scoring.default_criteria()
    if not inputs.bundled_demand:
        demand = inputs.demand
        column = inputs.weight
        if column is None:
            demand = demand.assign(_weight=1.0)
            column = "_weight"
        criteria = scoring.with_inputs(criteria, demand=demand, demand_weight=column)
    raw: dict[str, Any] = {}
    directions: dict[str, str] = {}
    weights: dict[str, float] = {}
    skipped: dict[str, str] = {}
    estimated: dict[str, list[str]] = {}
    for criterion in criteria:
        try:
            raw[criterion.name] = criterion.evaluate(inputs.candidates)
        except DataError as err:
            skipped[criterion.name] = _one_line(str(err))
            continue
        if raw[criterion.name].attrs.get("stand_in"):
            estimated[criterion.name] = [str(c) for c in raw[criterion.name].attrs["stand_in"]]
        directions[criterion.name] = criterion.direction
        weights[criterion.name] = float(criterion.weight or 0.0)
    if not raw:
        raise DataError(
            "none of the default criteria can be computed for these candidates; give them "
            "lon/lat and the columns of borderhub.datasets.candidates(): "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
        )
    frame = pd.DataFrame(raw, index=inputs.candidates.index)
    return frame, directions, weights, skipped, estimated


def _leave_out_sparse(
    raw: pd.DataFrame,
    directions: dict[str, str],
    weights: dict[str, float],
    skipped: dict[str, str],
) -> tuple[pd.DataFrame, dict[str, str], dict[str, float]]:
    """Move the criteria ``nan_policy="auto"`` leaves out into ``skipped`` (with reasons).

    When every criterion is sparse nothing is moved, and :func:`borderhub.score` raises.
    """
    from borderhub import scoring

    sparse = scoring.sparse_criteria(raw, directions)
    if sparse.empty or len(sparse) == len(directions):
        return raw, directions, weights
    n = len(raw)
    for name, share in sparse.items():
        skipped[str(name)] = (
            f"a value for {round(share * n)} of {n} candidates, fewer than half: left out by "
            "nan_policy 'auto' (nan_policy 'worst' keeps it, the missing ones taking its "
            "worst value)"
        )
    keep = [c for c in directions if c not in sparse.index]
    return (
        raw[keep],
        {c: directions[c] for c in keep},
        {c: weights[c] for c in keep},
    )


def _score(inputs: _Inputs, config: PlanConfig, steps: _Steps) -> _Scored:
    from borderhub import scoring

    with steps.step("score", "scoring candidates"):
        raw, directions, default_w, skipped, estimated = _criteria_values(inputs)
        if config.nan_policy == "auto":
            raw, directions, default_w = _leave_out_sparse(raw, directions, default_w, skipped)
        missing = scoring.missing_values(raw, directions)["missing"]
        weights: Any = default_w if config.weights == "default" else config.weights
        with warnings.catch_warnings():  # the note below and the manifest say what is filled
            warnings.simplefilter("ignore", MissingDataWarning)
            table = scoring.score(
                raw, directions, weights=weights, method=config.method, nan_policy=config.nan_policy
            )
    if skipped:
        steps.note(
            f"criteria skipped for lack of data: {', '.join(skipped)} (the reasons are in "
            "manifest.json)"
        )
    if len(missing):
        names = _describe_candidates(inputs.candidates)["name"].reindex(missing.index)
        counts = missing.str.split(";").explode().value_counts(sort=False)
        what = ", ".join(f"{c} ({n})" for c, n in counts.items())
        steps.note(
            f"{len(missing)} of {len(raw)} candidates lack a criterion value: {what}; scored "
            f"with nan_policy {config.nan_policy!r} (the criterion's worst value): "
            + ", ".join(str(n) for n in names)
        )
    return _Scored(
        table=table,
        raw=raw.loc[table.index],
        directions=directions,
        weights=dict(table.attrs.get("weights", {})),
        method=str(table.attrs.get("method", config.method)),
        skipped=skipped,
        missing={str(k): str(v) for k, v in missing.items()},
        estimated={k: v for k, v in estimated.items() if k in directions},
    )


def _describe_candidates(cand: Any) -> Any:
    out = pd.DataFrame(index=cand.index.copy())
    out.index.name = cand.index.name or "label"
    out["name"] = (
        cand["name"].fillna("").astype(str)
        if "name" in cand.columns
        else [str(k) for k in cand.index]
    )
    for column in ("plan_name", "province", "tiers"):
        if column in cand.columns:
            out[column] = cand[column].fillna("").astype(str)
    return out


# --------------------------------------------------------------------------------------------
# solving
# --------------------------------------------------------------------------------------------


@dataclass
class _Solved:
    solution: Any
    params: dict[str, Any]
    required: list[str]
    gateway: Any
    partners: Any = None  # the partner hubs of a cross-border model
    flows: Any = None  # and its origins x partners flows


def _model_params(config: PlanConfig, candidates: Any) -> dict[str, Any]:
    params = config.params()
    if isinstance(params.get("fixed_cost"), str):
        column = params["fixed_cost"]
        if column not in candidates.columns:
            columns = [str(c) for c in candidates.columns if c != "geometry"]
            raise PlanOptionError(
                f"--fixed-cost {column!r} is neither a number nor a column of the candidates; "
                f"give a number (the cost of opening one centre) or one of the columns {columns}"
            )
        params["fixed_cost"] = _numeric_column(candidates, column, "candidates")
    return params


def _required(candidates: Any, config: PlanConfig) -> list[str]:
    """Labels of the candidates in any of the required tiers (PORT: the coastal ones)."""
    from borderhub.policy import tier_members

    if not config.required_tiers:
        return []
    if "tiers" not in candidates.columns:
        raise SpecificationError("--required-tiers needs a 'tiers' column in the candidates")
    chosen: dict[str, None] = {}
    for tier in config.required_tiers:
        found = tier_members(candidates, tier)
        if not len(found):
            raise SpecificationError(
                f"no candidate is in tier {tier.name}; drop it from --required-tiers or give "
                "candidates with that tier in their 'tiers' column"
            )
        chosen.update(dict.fromkeys(found))
    return list(chosen)


def _policy_terms(config: PlanConfig, solved: _Solved) -> dict[str, Any]:
    """The plan's required centres and gateway term, as model keyword arguments."""
    extra: dict[str, Any] = {}
    if solved.required:
        extra["required"] = solved.required
    if solved.gateway is not None:
        extra["gateway_cost"] = solved.gateway
        extra["gateway_weight"] = config.gateway_weight
    return extra


def _build_model(inputs: _Inputs, config: PlanConfig, cost: Any, solved: _Solved) -> Any:
    """The location model of the plan (the place where a new model family plugs in)."""
    extra = _policy_terms(config, solved)
    return config.model_class().from_geodataframe(
        inputs.demand,
        inputs.candidates,
        weight=inputs.weight,
        distance=cost,
        **solved.params,
        **extra,
    )


def _solve(inputs: _Inputs, config: PlanConfig, steps: _Steps, cost: Any) -> _Solved:
    params = _model_params(config, inputs.candidates)
    required = _required(inputs.candidates, config)
    gateway = None
    if config.gateway_weight:
        from borderhub.scoring import rcep_proximity

        gateway = rcep_proximity(inputs.candidates)
    solved = _Solved(solution=None, params=params, required=required, gateway=gateway)
    title = config.model_class().title
    if config.model == "crossborder":
        _solve_crossborder(inputs, config, steps, cost, solved)
        return solved
    with steps.step("build", f"checking the {title} model"):
        model = _build_model(inputs, config, cost, solved)
    described = ", ".join(f"{k}={v}" for k, v in params.items() if k != "fixed_cost")
    with steps.step(
        "solve",
        f"solving {title}{' (' + described + ')' if described else ''} with {config.solver}",
    ):
        with native_stdout_elsewhere():
            solved.solution = model.solve(
                solver=config.solver,
                time_limit=config.time_limit,
                mip_gap=config.mip_gap,
                msg=False,
            )
    return solved


def _flows(inputs: _Inputs, config: PlanConfig, partners: Any) -> Any:
    """The origins x partners international express of a cross-border plan."""
    from borderhub.flows import international_demand

    split: Any = config.split
    if split not in ("exports", "equal"):
        from borderhub.io import read_partner_split

        split = read_partner_split(config.split, partners)
        path = Path(config.split)
        inputs.sources["split"] = {"source": "user", "file": path.name, "sha256": _sha256(path)}
    if inputs.weight is None:
        raise PlanOptionError(
            "model 'crossborder' needs the demand units' express volume (weight_column) to "
            "derive their international express; give a weight column"
        )
    return international_demand(
        inputs.demand,
        partners,
        share=config.share,
        split=split,
        tilt=config.tilt,
        volume=inputs.weight,
    )


def _solve_crossborder(
    inputs: _Inputs, config: PlanConfig, steps: _Steps, cost: Any, solved: _Solved
) -> None:
    from borderhub import datasets
    from borderhub.locate import solve_crossborder

    solved.partners = datasets.partners()
    with steps.step("build", "international flows and gateway costs"):
        flows = solved.flows = _flows(inputs, config, solved.partners)
    assumptions = dict(flows.attrs.get("assumptions", {}))
    total = float(flows.to_numpy().sum())
    steps.note(
        f"international express: {total:.6g} (share {assumptions.get('share', 0):.4g} of the "
        f"demand weight) from {flows.shape[0]} origins to {flows.shape[1]} partner hubs; "
        f"partner split {assumptions.get('split')}"
    )
    extra: dict[str, Any] = {"required": solved.required} if solved.required else {}
    described = ", ".join(f"{k}={v}" for k, v in solved.params.items() if k != "fixed_cost")
    with steps.step("solve", f"solving the cross-border flow median ({described or 'fixed'})"):
        with native_stdout_elsewhere():
            sol = solve_crossborder(
                inputs.candidates,
                inputs.demand,
                solved.partners,
                flows=flows,
                modes=config.modes,
                distance=cost,
                solver=config.solver,
                time_limit=config.time_limit,
                mip_gap=config.mip_gap,
                **solved.params,
                **extra,
            )
    given = {k: v for k, v in sol.assumptions.items() if k != "flows"}
    solved.solution = replace(sol, assumptions={**assumptions, **given})


def _names(frame: Any, labels: Any, column: str = "name") -> list[str]:
    names = frame[column] if column in frame.columns else pd.Series(dtype=object)
    return [str(names.get(k, "")) if pd.notna(names.get(k, "")) else "" for k in labels]


def _routing(inputs: _Inputs, solved: _Solved) -> Any:
    """routing.csv: one row per (origin, partner) commodity, its centre, gateway and mode."""
    from borderhub.locate import gateways

    r = solved.solution.routing.reset_index()
    gates = gateways(inputs.candidates)
    out = pd.DataFrame({"origin": r["origin"].astype(str), "partner": r["partner"].astype(str)})
    out["origin_name"] = _names(inputs.demand, r["origin"])
    out["partner_name"] = _names(solved.partners, r["partner"], "city")
    out["centre"] = r["centre"].astype(str)
    out["centre_name"] = _names(inputs.candidates, r["centre"])
    out["gateway"] = r["gateway"].fillna("").astype(str)
    out["gateway_name"] = _names(gates, r["gateway"])
    out["mode"] = r["mode"].fillna("").astype(str)
    out["domestic_km"] = r["domestic_cost"].astype(float)
    out["international_cost"] = r["international_cost"].astype(float)
    out["cost"] = r["cost"].astype(float)
    out["flow"] = r["flow"].astype(float)
    return out.set_index(["origin", "partner"])


def _loads(inputs: _Inputs, solved: _Solved, by: str) -> Any:
    """gateway_loads.csv / partner_loads.csv: flow, commodities and cost per gateway/partner."""
    from borderhub.locate import gateways

    loads = solved.solution.loads(by)
    out = pd.DataFrame(index=pd.Index([str(k) for k in loads.index], name=by))
    if by == "gateway":
        gates = gateways(inputs.candidates)
        out["name"] = _names(gates, loads.index)
        out["mode"] = _names(gates, loads.index, "mode")
    else:
        out["name"] = _names(solved.partners, loads.index, "city")
        out["country"] = _names(solved.partners, loads.index, "country")
    total = float(loads["flow"].sum())
    out["flow"] = loads["flow"].to_numpy(dtype=float)
    out["share"] = out["flow"] / total if total > 0 else 0.0
    out["commodities"] = loads["commodities"].to_numpy(dtype=int)
    out["cost"] = loads["cost"].to_numpy(dtype=float)
    return out


def _crossborder_stats(solved: _Solved) -> Any:
    """Per open centre: origins served, flow, share, flow-weighted and longest domestic km."""
    sol = solved.solution
    r = sol.routing.reset_index()
    index = pd.Index(sol.open, name="facility")
    if r.empty:
        return pd.DataFrame(
            {"n_demand": 0, "load": 0.0, "share": 0.0, "mean_cost": np.nan, "max_cost": np.nan},
            index=index,
        )
    r = r.assign(_wd=r["flow"] * r["domestic_cost"])
    g = r.groupby("centre", sort=False).agg(
        n_demand=("origin", "nunique"),
        load=("flow", "sum"),
        _wd=("_wd", "sum"),
        max_cost=("domestic_cost", "max"),
    )
    g["mean_cost"] = g["_wd"] / g["load"].where(g["load"] > 0)
    g["share"] = g["load"] / float(r["flow"].sum())
    return g.reindex(index)


def _centres(inputs: _Inputs, solved: _Solved) -> Any:
    """centres.csv: one row per open centre, by load (Solution.centre_stats)."""
    sol = solved.solution
    stats = _crossborder_stats(solved) if solved.partners is not None else sol.centre_stats()
    centres = _describe_candidates(inputs.candidates.loc[list(sol.open)])
    centres.index.name = "facility"
    required = set(solved.required)
    centres["required"] = [str(k) in required for k in centres.index]
    centres["n_demand"] = stats["n_demand"].reindex(centres.index).fillna(0).astype(int)
    centres["load"] = stats["load"].reindex(centres.index).fillna(0.0).astype(float)
    centres["share"] = stats["share"].reindex(centres.index).fillna(0.0).astype(float)
    centres["mean_km"] = stats["mean_cost"].reindex(centres.index).astype(float)
    centres["max_km"] = stats["max_cost"].reindex(centres.index).astype(float)
    return centres.sort_values(["load", "name"], ascending=[False, True], kind="stable")


# --------------------------------------------------------------------------------------------
# run_plan and its result
# --------------------------------------------------------------------------------------------


def run_plan(
    candidates: Any = None,
    demand: Any = None,
    *,
    config: PlanConfig | None = None,
    progress: Callable[[PlanEvent], Any] | None = None,
    **options: Any,
) -> PlanResult:
    """Run the main job: score the candidates and choose centres, as ``borderhub plan``.

    Parameters
    ----------
    candidates, demand : str, pathlib.Path or geopandas.GeoDataFrame, optional
        The candidate sites and demand units: a file (read by
        :func:`borderhub.io.read_points`) or a GeoDataFrame (any CRS; polygons by their
        representative point). Default: :func:`borderhub.datasets.candidates` and
        :func:`borderhub.datasets.prefectures`. Candidates without a ``tiers`` column get
        their 专栏4 tiers looked up by label or name.
    config : PlanConfig, optional
        The options; default ``PlanConfig()``.
    progress : callable, optional
        Called with a :class:`PlanEvent` when a step starts, ends, or something is noted.
    **options
        Fields of :class:`PlanConfig`, overriding those of ``config``.

    Returns
    -------
    PlanResult
        Scores, solution, centres, assignments, manifest; maps and files on request. A
        model without a solution (infeasible, time limit) is returned too: check
        ``result.solution.has_solution``.

    Raises
    ------
    PlanOptionError
        An option does not fit (also for an unknown option name).
    DataError
        Unreadable files, bad coordinates or weights, no computable criterion.
    SpecificationError, SolverError
        The model cannot be built (e.g. ``p`` above the number of candidates) or solved.

    Examples
    --------
    >>> from borderhub import run_plan
    >>> result = run_plan(model="pcenter", p=3, provinces=["广东"])
    >>> len(result.assignments), result.solution.status
    (21, 'optimal')
    >>> result.manifest["model"]["name"], result.manifest["data"]["demand"]
    ('pcenter', 21)
    """
    if config is None:
        config = PlanConfig()
    elif not isinstance(config, PlanConfig):
        raise PlanOptionError(f"config must be a PlanConfig, got {type(config).__name__}")
    if options:
        names = {f.name for f in fields(PlanConfig)}
        unknown = sorted(set(options) - names)
        if unknown:
            raise PlanOptionError(f"unknown options {unknown}; the options are {sorted(names)}")
        config = replace(config, **options)
    steps = _Steps(progress)
    start = time.perf_counter()
    inputs = _load(candidates, demand, config, steps)
    if config.solution_file is not None or config.scores_file is not None:
        from borderhub.io import read_scores, read_solution

        if config.solution_file is not None:
            drawn = read_solution(config.solution_file, candidates=inputs.candidates)
            drawn = drawn[["facility", "cost", "weight"]].dropna(subset=["facility"])
            inputs.drawn_solution = drawn
        if config.scores_file is not None:
            inputs.drawn_scores = read_scores(config.scores_file)
    scored = _score(inputs, config, steps) if config.score else None
    cost = None
    solved = None
    if config.solve:
        from borderhub.geo import distance_matrix

        with steps.step("distances", "computing geodesic distances"):
            cost = distance_matrix(inputs.demand, inputs.candidates)
        solved = _solve(inputs, config, steps, cost)
    extras: dict[str, Any] = {}
    if config.robustness and solved is not None and solved.solution.has_solution:
        extras["robustness"] = _robustness(inputs, config, steps, cost, solved)
    return PlanResult(
        config=config,
        inputs=inputs,
        scored=scored,
        solved=solved,
        cost=cost,
        steps=steps,
        started=start,
        extras=extras,
    )


@contextmanager
def _executor(config: PlanConfig) -> Iterator[Any]:
    """A Dask client for the robustness draws (closed afterwards), or None to run here."""
    if config.workers is None and config.scheduler is None:
        yield None
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise SpecificationError(
            "robustness on workers or a scheduler needs Dask: pip install "
            "'borderhub[dask]' (dask[distributed]), or drop workers/scheduler to run the "
            "draws here"
        ) from None
    if config.scheduler is not None:
        try:
            client = Client(config.scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise SpecificationError(
                f"cannot reach the Dask scheduler {config.scheduler!r}: {_one_line(str(err))}; "
                "check the address (e.g. tcp://host:8786)"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=config.workers, processes=True, threads_per_worker=1, dashboard_address=None
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _robustness(
    inputs: _Inputs, config: PlanConfig, steps: _Steps, cost: Any, solved: _Solved
) -> Any:
    """How often each candidate is chosen over plausible demand (borderhub.robustness)."""
    from borderhub.robustness import robustness

    options: dict[str, Any] = dict(solved.params)
    if solved.required:
        options["required"] = solved.required
    if solved.gateway is not None:
        options["gateway_cost"] = solved.gateway
        options["gateway_weight"] = config.gateway_weight
    n = int(config.robustness or 0)
    where = (
        f" on {config.workers} local Dask workers"
        if config.workers
        else f" on {config.scheduler}"
        if config.scheduler
        else ""
    )

    def report(done: int, total: int) -> None:
        if steps.progress is not None:
            message = f"robustness: {done} of {total} draws solved"
            steps.progress(PlanEvent("progress", "robustness", message, 0.0))

    model: Any = config.model
    demand: Any = inputs.demand
    data: dict[str, Any] = {"weight": inputs.weight, "cost": cost}
    if solved.partners is not None:
        model, demand, data = _crossborder_draws(inputs, config, cost, solved, options)
        options = {}
    with _executor(config) as client:
        with steps.step("robustness", f"robustness: {n} demand draws{where}"):
            with native_stdout_elsewhere():
                return robustness(
                    model,
                    demand,
                    inputs.candidates,
                    n=n,
                    seed=config.seed,
                    spread=config.spread,
                    executor=client,
                    progress=report,
                    solver=config.solver,
                    time_limit=config.time_limit,
                    mip_gap=config.mip_gap,
                    **data,
                    **options,
                )


#: Separates origin and partner in the labels of the drawn cross-border flows.
_PAIR = ">"


def _crossborder_draws(
    inputs: _Inputs, config: PlanConfig, cost: Any, solved: _Solved, options: dict[str, Any]
) -> tuple[Any, Any, dict[str, Any]]:
    """The robustness draws of a cross-border plan: each (origin, partner) flow is drawn.

    Returns the model builder, a table of the flows' spreads (each flow has its origin's
    uncertainty: ``<weight>_spread`` and ``<weight>_method`` of the demand unit) and the
    nominal flows as ``weights``, labelled ``origin>partner``. The flows of one origin
    share one shock (the uncertain figure is the origin's volume): groups by origin with
    correlation 1.
    """
    from borderhub.locate import gateway_costs

    flows = solved.flows
    routes = gateway_costs(inputs.candidates, solved.partners, modes=config.modes)
    international = (
        routes["cost"]
        .unstack("partner")
        .reindex(index=inputs.candidates.index, columns=flows.columns)
    )
    stacked = flows.stack()
    origins = stacked.index.get_level_values(0)
    labels = [f"{o}{_PAIR}{k}" for o, k in stacked.index]
    weights = pd.Series(stacked.to_numpy(dtype=float), index=labels)
    columns = [c for c in inputs.demand.columns if str(c).startswith(f"{inputs.weight}_")]
    meta = pd.DataFrame(inputs.demand[columns].reindex(origins).to_numpy(), columns=columns)
    meta.index = pd.Index(labels)
    builder = functools.partial(
        _crossborder_model, domestic=cost.copy(), international=international, options=options
    )
    groups = pd.Series([str(o) for o in origins], index=meta.index)
    data = {
        "weights": weights,
        "weight": inputs.weight,
        "shock_groups": groups,
        "correlation": 1.0,
    }
    return builder, meta, data


def _crossborder_model(
    weights: Any, *, domestic: Any, international: Any, options: dict[str, Any]
) -> Any:
    """A cross-border model for drawn flows labelled ``origin>partner`` (picklable)."""
    from borderhub.locate import CrossBorderMedian

    pairs = [str(label).split(_PAIR, 1) for label in weights.index]
    index = pd.MultiIndex.from_tuples([(o, k) for o, k in pairs], names=["origin", "partner"])
    flows = pd.Series(weights.to_numpy(dtype=float), index=index).unstack("partner")
    flows = flows.reindex(index=domestic.index).fillna(0.0)
    return CrossBorderMedian.from_cost_matrices(domestic, international, flows, **options)


@dataclass(eq=False)
class PlanResult:
    """The result of :func:`run_plan`.

    Attributes
    ----------
    config : PlanConfig
        The options of the run.
    candidates, demand : geopandas.GeoDataFrame
        The data the plan worked on (after the province filter), WGS84 points.
    weight : str or None
        The demand weight column (None: every unit weighs 1).
    extras : dict
        Further analyses of the same run: ``"robustness"`` (a
        :class:`~borderhub.robustness.RobustnessResult`) with the ``robustness`` option.

    Examples
    --------
    >>> from borderhub import run_plan
    >>> result = run_plan(p=2, provinces="四川,重庆")
    >>> result
    PlanResult(model='pmedian', status='optimal', candidates=2, demand=22)
    >>> int(result.centres["n_demand"].sum()) == len(result.demand)
    True
    """

    config: PlanConfig
    inputs: _Inputs = field(repr=False)
    scored: _Scored | None = field(repr=False)
    solved: _Solved | None = field(repr=False)
    cost: Any = field(repr=False)
    steps: _Steps = field(repr=False)
    started: float = field(repr=False)
    extras: dict[str, Any] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        sol = self.solved.solution if self.solved is not None else None
        status = sol.status.value if sol is not None else "not solved"
        return (
            f"PlanResult(model={self.config.model!r}, status={status!r}, "
            f"candidates={len(self.candidates)}, demand={len(self.demand)})"
        )

    # ---- data ------------------------------------------------------------------------------
    @property
    def candidates(self) -> Any:
        """The candidates the plan worked on (GeoDataFrame, WGS84 points)."""
        return self.inputs.candidates

    @property
    def demand(self) -> Any:
        """The demand units the plan worked on (GeoDataFrame, WGS84 points)."""
        return self.inputs.demand

    @property
    def weight(self) -> str | None:
        """The demand weight column, or None (every unit weighs 1)."""
        return self.inputs.weight

    @property
    def weight_note(self) -> str:
        """A line saying which demand weight was used."""
        return self.inputs.weight_note

    @property
    def load_label(self) -> str:
        """What the centres' ``load`` counts, for printed tables: ``"load (<weight>)"``."""
        what = "international express" if self.config.model == "crossborder" else "load"
        return f"{what} ({self.weight})" if self.weight else what

    @property
    def title(self) -> str:
        """The map title: the ``title`` option or ``"borderhub: <model> plan"``."""
        return self.config.title or f"borderhub: {self.config.model_class().title} plan"

    @property
    def required(self) -> list[str]:
        """Labels of the candidates that had to open (the required tiers)."""
        return list(self.solved.required) if self.solved is not None else []

    # ---- results ---------------------------------------------------------------------------
    @property
    def scores(self) -> Any:
        """``scores.csv``: label, name, tiers, rank, score, each criterion and its share.

        Returns
        -------
        pandas.DataFrame
            One row per candidate, best first.

        Raises
        ------
        SpecificationError
            The run did not score (``score=False``).
        """
        scored = self._need_scores()
        cand = self.candidates.loc[scored.table.index]
        out = _describe_candidates(cand)
        out["rank"] = scored.table["rank"].astype(int)
        out["score"] = scored.table["score"].astype(float)
        for name in scored.raw.columns:
            out[name] = scored.raw[name].astype(float)
            out[f"{name}_contrib"] = scored.table[f"{name}_contrib"].astype(float)
        return out.sort_values(["rank", "score"], ascending=[True, False], kind="stable")

    @property
    def score_table(self) -> Any:
        """The table of :func:`borderhub.score` behind :attr:`scores` (normalised values)."""
        return self._need_scores().table

    @property
    def solution(self) -> Any:
        """The :class:`~borderhub.locate.Solution` of the location model."""
        return self._need_solution().solution

    @property
    def centres(self) -> Any:
        """``centres.csv``: the chosen centres by load.

        Returns
        -------
        pandas.DataFrame
            Index ``facility``; ``name``, ``plan_name``, ``province``, ``tiers`` (as far as
            the candidates have them), ``required``, ``n_demand`` (units served), ``load``
            (weight served; covered weight in a coverage model), ``share`` (of all
            weight), ``mean_km`` and ``max_km`` (distance to the units served).
        """
        return _centres(self.inputs, self._need_solution())

    @property
    def assignments(self) -> Any:
        """``solution.csv``: one row per demand unit and the centre serving it.

        For the ``crossborder`` model, where each (origin, partner) flow has its own
        centre, this is :attr:`routing`.

        Returns
        -------
        pandas.DataFrame
            See :func:`borderhub.io.solution_table`.
        """
        from borderhub.io import solution_table

        solved = self._need_solution()
        if solved.partners is not None:
            return _routing(self.inputs, solved)
        return solution_table(self.solution, self.candidates, self.demand)

    @property
    def routing(self) -> Any:
        """``routing.csv`` of a ``crossborder`` plan: each origin-partner flow's route.

        Returns
        -------
        pandas.DataFrame
            Index ``(origin, partner)``; ``origin_name``, ``partner_name``, ``centre``,
            ``centre_name``, ``gateway``, ``gateway_name``, ``mode`` (air, sea, road,
            rail), ``domestic_km``, ``international_cost``, ``cost`` (per piece, in
            truck-km equivalents) and ``flow``.

        Raises
        ------
        SpecificationError
            The plan's model is not ``crossborder``.
        """
        return _routing(self.inputs, self._need_crossborder())

    @property
    def gateway_loads(self) -> Any:
        """``gateway_loads.csv``: flow through each gateway of a ``crossborder`` plan.

        Returns
        -------
        pandas.DataFrame
            Index ``gateway``; ``name``, ``mode``, ``flow``, ``share``, ``commodities``
            and ``cost`` (flow-weighted total), largest flow first.
        """
        return _loads(self.inputs, self._need_crossborder(), "gateway")

    @property
    def partner_loads(self) -> Any:
        """``partner_loads.csv``: flow to each partner hub of a ``crossborder`` plan.

        Returns
        -------
        pandas.DataFrame
            Index ``partner``; ``name``, ``country``, ``flow``, ``share``,
            ``commodities`` and ``cost``, largest flow first.
        """
        return _loads(self.inputs, self._need_crossborder(), "partner")

    @property
    def robustness(self) -> Any:
        """The :class:`~borderhub.robustness.RobustnessResult` of the ``robustness`` option.

        Raises
        ------
        SpecificationError
            The run had no ``robustness`` option.
        """
        if "robustness" not in self.extras:
            raise SpecificationError("this run counted no robustness; run with robustness=N")
        return self.extras["robustness"]

    @property
    def manifest(self) -> dict[str, Any]:
        """What ``manifest.json`` records (without the hashes of the files written).

        Returns
        -------
        dict
            ``command``, ``parameters``, ``inputs``, ``data``, ``scoring``, ``model``,
            ``solver``, ``result``, ``timings`` ... as far as the run computed them.
        """
        return self._manifest(None, plots={})

    def _need_scores(self) -> _Scored:
        if self.scored is None:
            raise SpecificationError("this run did not score the candidates; run with score=True")
        return self.scored

    def _need_solution(self) -> _Solved:
        if self.solved is None:
            raise SpecificationError("this run did not solve a model; run with solve=True")
        return self.solved

    def _need_crossborder(self) -> _Solved:
        solved = self._need_solution()
        if solved.partners is None:
            raise SpecificationError(
                f"routing and loads belong to model 'crossborder', not {self.config.model!r}"
            )
        return solved

    def summary(self, *, top: int = 20) -> str:
        """What ``borderhub plan``, ``solve`` and ``score`` print about the run.

        Parameters
        ----------
        top : int, default 20
            Rows of the ranking shown by a run that scored without solving.

        Returns
        -------
        str
            The model, data, status and the chosen centres by load (with their score rank
            when the run scored too); for a run that only scored, the ranking.

        Examples
        --------
        >>> from borderhub import run_plan
        >>> print(run_plan(p=2, provinces="海南").summary())  # doctest: +ELLIPSIS
        p-median (p=2) over 19 demand units and 2 candidates
        ...
        """
        if self.solved is None:
            scored, scores = self._need_scores(), self.scores
            show = scores[[c for c in ("name", "tiers", "rank", "score") if c in scores.columns]]
            return (
                f"{scored.method} scores of {len(scores)} candidates on "
                f"{len(scored.raw.columns)} criteria (rank 1 = best)\n"
                + _table_text(show.head(top).round({"score": 4}))
            )
        sol, config = self.solution, self.config
        shown = [
            f"{key}={value}" if isinstance(value, int | float) else f"{key}=column {value}"
            for key, value in config.params().items()
        ]
        lines = [
            f"{config.model_class().title} ({', '.join(shown) or 'no parameters'}) over "
            f"{len(self.demand)} demand units and {len(self.candidates)} candidates",
            self.weight_note,
        ]
        if self.required:
            lines.append(f"required centres (--required-tiers): {len(self.required)}")
        lines.append(
            f"status {sol.status.value}; objective {sol.objective:.6g}, bound {sol.bound:.6g}, "
            f"gap {sol.gap:.3g}; build {sol.build_time:.2f} s, solve {sol.solve_time:.2f} s"
        )
        a = sol.assignment
        if "covered" in a.columns and len(a):
            total = float(a["weight"].sum())
            covered = float(a.loc[a["covered"].astype(bool), "weight"].sum())
            share = f" ({100 * covered / total:.1f} %)" if total > 0 else ""
            lines.append(f"covered {covered:.6g} of {total:.6g}{share} within {config.radius:g} km")
        if sol.message:
            lines.append(f"note: {sol.message}")
        if len(sol.open):
            lines += ["", f"chosen centres ({len(sol.open)}), by load:", self._centres_text()]
        return "\n".join(lines)

    def _centres_text(self) -> str:
        show = self.centres.copy()
        if self.scored is not None:
            ranks = self.score_table["rank"].reindex(show.index).astype("Int64")
            show.insert(0, "score_rank", ranks)
        show["share"] = (100 * show["share"]).round(1)
        show["load"] = show["load"].round(3)
        show["mean_km"] = show["mean_km"].round(0).astype("Int64")
        show["max_km"] = show["max_km"].round(0).astype("Int64")
        drop = ["plan_name", "province"] + ([] if self.required else ["required"])
        show = show.drop(columns=[c for c in drop if c in show.columns])
        unit = self.load_label
        show = show.rename(columns={"share": "share %", "n_demand": "units", "load": unit})
        show = show.reset_index().rename(
            columns={"facility": self.candidates.index.name or "label"}
        )
        return _table_text(show, index=False)

    # ---- maps -------------------------------------------------------------------------------
    def _corridors(self) -> Any:
        """The plan's corridors, keeping only origins present among candidates or demand."""
        from borderhub import datasets

        corridors = datasets.corridors()
        bundled = self.inputs.bundled_candidates and self.inputs.bundled_demand
        if bundled and not self.config.provinces:
            return corridors
        known = set(map(str, self.candidates.index)) | set(map(str, self.demand.index))
        origins = corridors["origin"].fillna("").astype(str)
        kept = origins.map(lambda s: ";".join(o for o in s.split(";") if o in known))
        corridors = corridors.assign(origin=kept)
        return corridors[kept != ""]

    def _map_solution(self) -> Any:
        if self.solved is None:
            return self.inputs.drawn_solution
        sol = self.solved.solution
        # a cross-border solution is drawn as flows (borderhub.flowmap), not allocations
        return sol if len(sol.open) and self.solved.partners is None else None

    def _map_scores(self) -> Any:
        return self.scored.table if self.scored is not None else self.inputs.drawn_scores

    def map(self, **kw: Any) -> Any:
        """The corridor map of the plan (:func:`borderhub.corridor_map`).

        Parameters
        ----------
        **kw
            Arguments of :func:`borderhub.corridor_map` replacing the plan's (``tiles``,
            ``lang``, ``title``, ``solution``, ``scores`` ...).

        Returns
        -------
        folium.Map
            ``.save("map.html")`` writes the page.
        """
        from borderhub import datasets, maps

        args: dict[str, Any] = {
            "candidates": self.candidates,
            "solution": self._map_solution(),
            "partners": datasets.partners(),
            "corridors": self._corridors(),
            "scores": self._map_scores(),
            "tiles": None if self.config.tiles == "none" else self.config.tiles,
            "self_contained": True,
            "title": self.title,
            "lang": self.config.lang,
            "demand": self.demand,
        }
        args.update(kw)
        fmap = maps.corridor_map(**args)
        solved = self.solved
        if solved is not None and solved.partners is not None and len(solved.solution.open):
            from borderhub.flowmap import add_flow_layer

            add_flow_layer(fmap, solved.solution, self.candidates, solved.partners)
        return fmap

    def static_map(self, *, world: bool = False, **kw: Any) -> Any:
        """The static map of the plan (:func:`borderhub.plots.plot_static_map`) for print.

        Without a font with Chinese glyphs, places are labelled by their labels in English.

        Parameters
        ----------
        world : bool, default False
            Also draw the partner hubs and corridor arcs (a world view); by default the
            map shows China at the scale of the solution.
        **kw
            Arguments of :func:`borderhub.static_map` replacing the plan's.

        Returns
        -------
        matplotlib.axes.Axes
            ``.figure.savefig(...)`` saves it.
        """
        from borderhub import datasets, plots
        from borderhub._fonts import cjk_family

        candidates = self.candidates
        lang = self.config.lang
        if cjk_family() is None:
            candidates = candidates.copy()
            candidates["name"] = [str(k) for k in candidates.index]
            lang = "en"
        partners = datasets.partners()
        corridors = self._corridors()
        if not world:
            partners, corridors = partners.iloc[:0], corridors.iloc[:0]
        args: dict[str, Any] = {
            "candidates": candidates,
            "solution": self._map_solution(),
            "partners": partners,
            "corridors": corridors,
            "scores": None,
            "title": self.title,
            "lang": lang,
            "demand": self.demand,
        }
        args.update(kw)
        return plots.plot_static_map(**args)

    # ---- files ------------------------------------------------------------------------------
    def save(
        self, out: str | Path, plots: bool = False, *, argv: Sequence[str] | None = None
    ) -> list[str]:
        """Write the files of ``borderhub plan`` into ``out`` and return their names.

        ``scores.csv``, ``solution.csv``, ``centres.csv``, ``solution.geojson`` (centres and
        demand units as points), ``allocations.geojson`` (a line from each demand unit to
        its centre), ``map.html``, ``report.html`` (one self-contained page with the map,
        the tables, the plots, the assumptions and the data caveats;
        :func:`borderhub.report.write_report`) and ``manifest.json`` (versions, input
        hashes, options, solver, status, objective, gap, timings, output hashes); with
        ``plots`` also ``map.png``, ``rank_stability.png``, ``cost_curve.png`` and
        ``cost_curve.csv``. A ``crossborder`` plan writes ``routing.csv``,
        ``gateway_loads.csv`` and ``partner_loads.csv`` in place of ``solution.csv`` and
        the two GeoJSON files (its flows have no single centre per demand unit) and draws
        the flows on the map; with ``robustness`` a plan adds ``robustness.csv``,
        ``robustness_sets.csv``, ``robustness_draws.csv`` and, with ``plots``,
        ``robustness.png``. The same inputs give byte-identical files (except the timings
        in the manifest).

        Parameters
        ----------
        out : str or pathlib.Path
            Directory (created if needed).
        plots : bool, default False
            Also draw the PNG figures (runs the p sweep of the cost curve).
        argv : sequence of str, optional
            The command line, recorded in the manifest.

        Returns
        -------
        list of str
            Names of the files written, ``manifest.json`` last.

        Raises
        ------
        DataError
            ``out`` exists and is not a directory.
        """
        from borderhub.io import json_text, write_solution, write_table

        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise DataError(f"--out {out} exists and is not a directory; choose another path")
        folder.mkdir(parents=True, exist_ok=True)
        steps, command = self.steps, self._command()
        written: list[str] = []
        if command != "map":
            with steps.step("write", f"writing results to {out}"):
                if self.scored is not None:
                    write_table(self.scores, folder / "scores.csv")
                    written.append("scores.csv")
                if self.solved is not None and self.solved.partners is not None:
                    tables = {
                        "routing.csv": self.routing,
                        "centres.csv": self.centres,
                        "gateway_loads.csv": self.gateway_loads,
                        "partner_loads.csv": self.partner_loads,
                    }
                    for name, frame in tables.items():
                        write_table(frame, folder / name)
                    written += list(tables)
                elif self.solved is not None:
                    table = write_solution(self.assignments, folder / "solution.csv")
                    centres = self.centres
                    write_table(centres, folder / "centres.csv")
                    self._write_geojson(table, centres, folder)
                    written += [
                        "solution.csv",
                        "centres.csv",
                        "solution.geojson",
                        "allocations.geojson",
                    ]
                if "robustness" in self.extras and command == "plan":
                    rob = self.extras["robustness"]
                    # wall-clock seconds per draw go to the manifest, not into the CSV
                    draws = rob.draws.drop(columns=[c for c in ("seconds",) if c in rob.draws])
                    write_table(rob.to_frame(), folder / "robustness.csv")
                    write_table(rob.sets, folder / "robustness_sets.csv")
                    write_table(draws, folder / "robustness_draws.csv")
                    written += ["robustness.csv", "robustness_sets.csv", "robustness_draws.csv"]
        fmap = None
        if command in ("plan", "map"):
            with steps.step("map", "drawing the corridor map"):
                fmap = self.map()
                fmap.save(str(folder / "map.html"))
            written.append("map.html")
        plot_info: dict[str, Any] = {}
        figures: dict[str, Any] = {}
        if plots and command == "map":
            with steps.step("plots", "drawing the static map"):
                ax = self.static_map(world=True, scores=self.inputs.drawn_scores)
                _save_figure(ax.figure, folder / "map.png")
            written.append("map.png")
        elif plots and command == "plan" and self.solution.has_solution:
            plot_info = self._plots(folder, figures)
            drawn = plot_info.pop("files")
            written += [name for name in OUTPUTS if name in drawn]
        try:
            if command == "plan":
                with steps.step("report", "writing report.html"):
                    self._write_report(folder / "report.html", fmap, figures)
                written.append("report.html")
        finally:
            for fig in figures.values():
                _close_figure(fig)
        steps.timings["total"] = time.perf_counter() - self.started
        manifest = self._manifest(argv, plot_info, str(out), bool(plots))
        # the files of this run (not those an earlier run left in the folder)
        names = [name for name in OUTPUTS if name in written]
        manifest["outputs"] = {name: _sha256(folder / name) for name in names}
        (folder / "manifest.json").write_text(
            json_text(manifest, indent=2) + "\n", encoding="utf-8"
        )
        return [*names, "manifest.json"]

    def _command(self) -> str:
        """Which command's files the run makes: plan, score, solve, or map (neither)."""
        if self.scored is not None and self.solved is not None:
            return "plan"
        if self.scored is not None:
            return "score"
        return "solve" if self.solved is not None else "map"

    def _write_geojson(self, table: Any, centres: Any, folder: Path) -> None:
        import geopandas as gpd
        from shapely import linestrings

        from borderhub.io import write_geojson

        cand, dem = self.candidates, self.demand
        first = pd.DataFrame({"kind": "centre", "label": [str(k) for k in centres.index]})
        centre_rows = pd.concat([first, centres.reset_index(drop=True)], axis=1)
        centre_rows["lon"] = cand.loc[centres.index, "lon"].to_numpy(dtype=float)
        centre_rows["lat"] = cand.loc[centres.index, "lat"].to_numpy(dtype=float)
        units = table.reset_index()
        units.insert(0, "kind", "demand")
        units["demand"] = units["demand"].astype(str)
        units["lon"] = dem.loc[table.index, "lon"].to_numpy(dtype=float)
        units["lat"] = dem.loc[table.index, "lat"].to_numpy(dtype=float)
        # object columns before joining the two kinds: integers stay integers where the
        # other kind has no value (a float column would turn 19 into 19.0)
        points = pd.concat([centre_rows.astype(object), units.astype(object)], ignore_index=True)
        frame = gpd.GeoDataFrame(
            points.drop(columns=["lon", "lat"]),
            geometry=gpd.points_from_xy(points["lon"], points["lat"]),
            crs="EPSG:4326",
        )
        write_geojson(frame, folder / "solution.geojson")
        served = units[units["facility"] != ""].copy()
        ends = cand.loc[served["facility"].to_numpy(), ["lon", "lat"]].to_numpy(dtype=float)
        starts = served[["lon", "lat"]].to_numpy(dtype=float)
        lines = linestrings(np.stack([starts, ends], axis=1)) if len(served) else []
        served["kind"] = "allocation"
        allocations = gpd.GeoDataFrame(
            served.drop(columns=["lon", "lat"]), geometry=list(lines), crs="EPSG:4326"
        )
        write_geojson(allocations, folder / "allocations.geojson")

    def _plots(self, folder: Path, figures: dict[str, Any]) -> dict[str, Any]:
        """The PNG figures; returns what the manifest records (and ``files``, the names).

        The figures stay open in ``figures`` (caption -> Figure) for the report.
        """
        info: dict[str, Any] = {"files": []}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with native_stdout_elsewhere():
                self._draw_plots(folder, info, figures)
        if any("font" in str(w.message) or "Glyph" in str(w.message) for w in caught):
            self.steps.note(
                "matplotlib has no font with Chinese glyphs (install e.g. fonts-noto-cjk and "
                "clear matplotlib's font cache); the PNGs show English text or boxes for "
                "Chinese names"
            )
        return info

    def _draw_plots(self, folder: Path, info: dict[str, Any], figures: dict[str, Any]) -> None:
        from borderhub import plots, scenarios, scoring
        from borderhub.io import write_table

        steps, config = self.steps, self.config
        files: list[str] = info["files"]

        def save(fig: Any, name: str, caption: str) -> None:
            fig.savefig(folder / name, dpi=120, bbox_inches="tight", metadata={"Software": None})
            figures[caption] = fig
            files.append(name)

        with steps.step("plots", "drawing the static map"):
            # the solution at the scale of China: no partner hubs or corridor arcs (map.html
            # has them), which would stretch the view to the whole world
            save(self.static_map().figure, "map.png", _STATIC_MAP)
        if "robustness" in self.extras:
            with steps.step("plots", "robustness: selection frequency and regret"):
                save(
                    self.extras["robustness"].plot(),
                    "robustness.png",
                    "Selection frequency of each candidate over the demand draws, and the "
                    "nominal plan's regret",
                )
        if self.scored is not None:
            scored = self.scored
            with steps.step("plots", "rank stability of the scores (1,000 weight draws)"):
                stability = scoring.rank_stability(
                    scored.raw,
                    scored.directions,
                    weights=scored.weights,
                    method=scored.method,
                    n=1000,
                    seed=0,
                    nan_policy=config.nan_policy,
                )
                ax = plots.plot_rank_stability(
                    stability, names=_describe_candidates(self.candidates)["name"]
                )
                save(
                    ax.figure,
                    "rank_stability.png",
                    "Rank stability of the scores over 1,000 draws of the criterion weights",
                )
                info["rank_stability"] = {"n": 1000, "spread": 0.2, "seed": 0}
        if self.solved is None or self.solved.partners is not None:
            return  # no cost curve for the cross-border model (scenarios.p_sweep has none)
        solved = self.solved
        # the cost curve of a model with a plain p; that of the p-median for the others
        own = config.model in P_MODELS
        kind = config.model_class() if own else model_class("pmedian")
        n_cand = len(self.candidates)
        p_now = int(solved.params.get("p", max(1, len(solved.solution.open))))
        top = int(min(n_cand, max(2 * p_now, p_now + 5, 10)))
        low = max(1, len(solved.required))
        p_values = list(range(low, top + 1))
        with steps.step("plots", f"cost against p = {p_values[0]}..{p_values[-1]}"):
            extra = _policy_terms(config, solved)
            if own:
                extra.update({k: v for k, v in solved.params.items() if k != "p"})
            weights = self.demand[self.weight] if self.weight else None
            table = scenarios.p_sweep(
                cost=self.cost,
                weights=weights,
                p=p_values,
                model=kind.name,
                solver=config.solver,
                time_limit=config.time_limit,
                progress=False,
                **extra,
            )
            unit = f"{self.weight} x km" if self.weight else "km"
            ylabel = kind.cost_label.format(unit=unit, **extra)
            ax = plots.plot_cost_curve(table, mark=p_now, ylabel=ylabel, label=kind.title)
            save(ax.figure, "cost_curve.png", f"{kind.title}: cost against p")
            # wall-clock times vary from run to run: they go to the manifest, not into the
            # CSV, so that the same inputs give a byte-identical cost_curve.csv
            timing = [c for c in ("build_time", "solve_time") if c in table.columns]
            write_table(table.drop(columns=timing).set_index("p"), folder / "cost_curve.csv")
            files.append("cost_curve.csv")
            info["cost_curve"] = {"model": kind.name, "p": p_values}
            for column in timing:
                info["cost_curve"][column] = round(float(table[column].sum()), 6)

    def _write_report(self, path: Path, fmap: Any, figures: dict[str, Any]) -> None:
        """report.html: map, centres, ranking, plots, assumptions and data caveats."""
        from borderhub.report import estimate_caveats, write_report

        sol, config, solved = self.solution, self.config, self._need_solution()
        params = ", ".join(f"{k}={v!s}" for k, v in solved.params.items() if np.isscalar(v))
        summary = (
            f"{config.model_class().title} ({params or 'per-candidate costs'}) over "
            f"{len(self.demand)} demand units and {len(self.candidates)} candidates: "
            f"{len(sol.open)} centres chosen; status {sol.status.value}, objective "
            f"{sol.objective:.6g}, gap {sol.gap:.3g}. {self.weight_note}."
        )
        scores = self.scores
        ranking = scores[[c for c in scores.columns if not str(c).endswith("_contrib")]]
        tables: dict[str, Any] = {}
        if solved.partners is not None:
            tables["Gateway loads (international express by gateway)"] = self.gateway_loads
            tables["Partner loads"] = self.partner_loads
        if "robustness" in self.extras:
            rob = self.extras["robustness"]
            tables[f"Robustness: selection frequency over {rob.n} demand draws"] = rob.to_frame()
        assumptions: dict[str, Any] = {
            "model": config.model_class().title,
            "parameters": params or "none",
            "required tiers": ", ".join(t.name for t in config.required_tiers) or "none",
            "demand weight": self.weight or "none (every unit weighs 1)",
            "scoring": f"{self.scored.method} with weights {config.weights}"
            if self.scored is not None
            else "not scored",
            "missing criterion values": f"nan_policy {config.nan_policy!r}",
            "solver": config.solver,
        }
        for key, value in sorted(getattr(sol, "assumptions", {}).items()):
            assumptions[f"cross-border: {key}"] = value
        if "robustness" in self.extras:
            rob = self.extras["robustness"]
            assumptions["robustness draws"] = f"{rob.n} (seed {rob.seed})"
        caveats: list[str] = []
        missing = self.scored.missing if self.scored is not None else {}
        if missing:
            names = _describe_candidates(self.candidates)["name"].reindex(list(missing))
            caveats.append(
                f"{len(missing)} of {len(self.candidates)} candidates lack a criterion value "
                f"({', '.join(sorted(set(missing.values())))}) and were scored with nan_policy "
                f"{config.nan_policy!r}: " + ", ".join(map(str, names))
            )
        if self.scored is not None and self.scored.skipped:
            caveats.append("criteria skipped for lack of data: " + ", ".join(self.scored.skipped))
        for criterion, labels in (self.scored.estimated if self.scored is not None else {}).items():
            names = _describe_candidates(self.candidates)["name"].reindex(labels)
            caveats.append(
                f"{criterion}: for {len(labels)} of {len(self.candidates)} candidates the nearest "
                "port has no sourced point of its own (its county's admin centre stands in), so "
                "the value is an estimate: " + ", ".join(map(str, names))
            )
        for role, frame in (("candidates", self.candidates), ("demand units", self.demand)):
            caveats += [f"{role}: {text}" for text in estimate_caveats(frame).values()]
        static = figures.get(_STATIC_MAP)
        write_report(
            path,
            title=self.title,
            map=fmap,
            static_figure=static,
            ranking=ranking,
            centres=self.centres,
            figures={k: v for k, v in figures.items() if k != _STATIC_MAP} or None,
            assumptions=assumptions,
            caveats=caveats,
            tables=tables,
            summary=summary,
            figure_format="png",
        )

    # ---- manifest ---------------------------------------------------------------------------
    def _parameters(self, out: str | None, plots: bool | None) -> dict[str, Any]:
        given = self.inputs.given
        params = self.config.options()
        params["candidates"] = _describe_given(given["candidates"])
        params["demand"] = _describe_given(given["demand"])
        if self._command() == "map":  # the options of `borderhub map`
            params["solution"] = params.pop("solution_file", None)
            params["scores"] = params.pop("scores_file", None)
        if out is not None:
            params["out"] = out
        if plots is not None:
            params["plots"] = plots
        return dict(sorted(params.items()))

    def _manifest(
        self,
        argv: Sequence[str] | None,
        plots: dict[str, Any],
        out: str | None = None,
        plotted: bool | None = None,
    ) -> dict[str, Any]:
        from borderhub import __version__

        scored, solved = self.scored, self.solved
        command = (
            "plan"
            if scored is not None and solved is not None
            else ("score" if scored is not None else "solve" if solved is not None else "map")
        )
        content: dict[str, Any] = {
            "borderhub": __version__,
            "python": platform.python_version(),
            "platform": f"{platform.system()}-{platform.machine()}",
            "dependencies": _versions(),
            "command": command,
            "argv": list(argv) if argv is not None else None,
            "parameters": self._parameters(out, plotted),
            "inputs": self.inputs.sources,
        }
        if command == "plan":
            weight = self.weight
            content["data"] = {
                "candidates": len(self.candidates),
                "demand": len(self.demand),
                "weight": weight,
                "total_weight": float(self.demand[weight].sum())
                if weight
                else float(len(self.demand)),
            }
        if scored is not None:
            content["scoring"] = {
                "method": scored.method,
                "weights": scored.weights,
                "directions": scored.directions,
                "skipped": scored.skipped,
                "missing": scored.missing,
                "estimated": scored.estimated,
            }
        if solved is not None:
            sol = solved.solution
            params = {
                k: (v if np.isscalar(v) else "per-candidate column")
                for k, v in solved.params.items()
            }
            content["model"] = {
                "name": self.config.model,
                "class": sol.model,
                "params": params,
                "required": solved.required,
                "gateway": solved.gateway is not None,
            }
            content["solver"] = _solver_info(self.config.solver)
            content["result"] = {
                "status": sol.status.value,
                "objective": sol.objective,
                "bound": sol.bound,
                "gap": sol.gap,
                "open": [str(k) for k in sol.open],
                "iterations": sol.iterations,
                "message": sol.message,
                "build_time": sol.build_time,
                "solve_time": sol.solve_time,
            }
            if solved.partners is not None:
                content["crossborder"] = dict(getattr(sol, "assumptions", {}))
        if "robustness" in self.extras:
            content["robustness"] = self.extras["robustness"].manifest()
        if command == "plan":
            content["plots"] = plots
        content["timings"] = {k: round(v, 4) for k, v in self.steps.timings.items()}
        return content


def _table_text(frame: Any, index: bool = True) -> str:
    display = {"unicode.east_asian_width": True, "width": 200, "max_columns": 50, "max_rows": 500}
    with pd.option_context(*(x for k, v in display.items() for x in ("display." + k, v))):  # type: ignore[arg-type]
        return str(frame.to_string(index=index))


def _describe_given(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Path):
        return str(value)
    return f"<{type(value).__name__} of {len(value)} rows>"


#: Caption of the static map among the figures of a plan (the report prints it in place of
#: the interactive map).
_STATIC_MAP = "Static map of the plan"


def _save_figure(fig: Any, path: Path) -> None:
    fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})
    _close_figure(fig)


def _close_figure(fig: Any) -> None:
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a figure not managed by pyplot
        pass


def _versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for package in (
        "numpy",
        "pandas",
        "geopandas",
        "shapely",
        "pyproj",
        "pulp",
        "highspy",
        "folium",
        "matplotlib",
    ):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


def _solver_info(name: str) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    key = name.strip().lower()
    info: dict[str, Any] = {"name": name}
    try:
        if key in ("highs", "highspy", "highs_cmd"):
            info.update(interface="highspy", version=version("highspy"))
        else:
            info.update(interface="pulp", version=version("pulp"))
    except PackageNotFoundError:
        info["version"] = None
    return info
