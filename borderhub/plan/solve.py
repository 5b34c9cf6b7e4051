"""The solving step of a plan and what a solved model contributes to the result.

:class:`Solved` is a model that serves demand units from centres (every model of
:func:`borderhub.locate.registered` but the cross-border one): its solution gives
``solution.csv``, ``centres.csv`` and the GeoJSON files. :class:`Routed` is a model whose
inputs include origin x partner flows (its class declares ``plan_inputs =
{"partner_flows"}``): its flows are routed through centres and gateways, and it gives
``routing.csv``, ``centres.csv``, ``gateway_loads.csv`` and ``partner_loads.csv``. The
result and the writer ask the solved model for its tables, never which kind it is.

Examples
--------
>>> from borderhub import run_plan
>>> from borderhub.plan.solve import Routed, Solved
>>> result = run_plan(p=2, provinces="海南", score=False)
>>> type(result.solved) is Solved, list(result.solved.tables(result.inputs))
(True, ['solution.csv', 'centres.csv'])
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from borderhub._native import native_stdout_elsewhere
from borderhub.exceptions import SpecificationError
from borderhub.plan.config import PlanConfig, PlanOptionError
from borderhub.plan.inputs import Inputs, describe_candidates, numeric_column, sha256
from borderhub.plan.progress import Steps

__all__: list[str] = []

#: Separates origin and partner in the labels of the drawn cross-border flows.
_PAIR = ">"


@dataclass
class Solved:
    """A solved model serving demand units from centres, and the plan's terms for it."""

    solution: Any
    params: dict[str, Any]
    required: list[str]
    gateway: Any

    #: Does the plan draw a cost curve over p for this model?
    cost_curve: ClassVar[bool] = True
    #: What a centre's ``load`` counts.
    load_what: ClassVar[str] = "load"

    @classmethod
    def run(cls, inputs: Inputs, config: PlanConfig, steps: Steps, cost: Any) -> Solved:
        """Build and solve the plan's model (the kind its class declares)."""
        kind = Routed if "partner_flows" in config.model_class().plan_inputs else Solved
        gateway = None
        if config.gateway_weight:
            from borderhub.scoring import rcep_proximity

            gateway = rcep_proximity(inputs.candidates)
        solved = kind(
            solution=None,
            params=_model_params(config, inputs.candidates),
            required=_required(inputs.candidates, config),
            gateway=gateway,
        )
        solved._solve(inputs, config, steps, cost)
        return solved

    def policy_terms(self, config: PlanConfig) -> dict[str, Any]:
        """The plan's required centres and gateway term, as model keyword arguments."""
        extra: dict[str, Any] = {}
        if self.required:
            extra["required"] = self.required
        if self.gateway is not None:
            extra["gateway_cost"] = self.gateway
            extra["gateway_weight"] = config.gateway_weight
        return extra

    def _solve(self, inputs: Inputs, config: PlanConfig, steps: Steps, cost: Any) -> None:
        title = config.model_class().title
        with steps.step("build", f"checking the {title} model"):
            model = config.model_class().from_geodataframe(
                inputs.demand,
                inputs.candidates,
                weight=inputs.weight,
                distance=cost,
                **self.params,
                **self.policy_terms(config),
            )
        described = ", ".join(f"{k}={v}" for k, v in self.params.items() if k != "fixed_cost")
        with steps.step(
            "solve",
            f"solving {title}{' (' + described + ')' if described else ''} with {config.solver}",
        ):
            with native_stdout_elsewhere():
                self.solution = model.solve(
                    solver=config.solver,
                    time_limit=config.time_limit,
                    mip_gap=config.mip_gap,
                    msg=False,
                )

    # ---- tables ---------------------------------------------------------------------------
    def assignments(self, inputs: Inputs) -> Any:
        """``solution.csv``: one row per demand unit and its centre."""
        from borderhub.io import solution_table

        return solution_table(self.solution, inputs.candidates, inputs.demand)

    def centre_stats(self) -> Any:
        """Per open centre: units served, load, share, mean and longest cost."""
        return self.solution.centre_stats()

    def centres(self, inputs: Inputs) -> Any:
        """``centres.csv``: one row per open centre, by load."""
        sol = self.solution
        stats = self.centre_stats()
        centres = describe_candidates(inputs.candidates.loc[list(sol.open)])
        centres.index.name = "facility"
        required = set(self.required)
        centres["required"] = [str(k) in required for k in centres.index]
        centres["n_demand"] = stats["n_demand"].reindex(centres.index).fillna(0).astype(int)
        centres["load"] = stats["load"].reindex(centres.index).fillna(0.0).astype(float)
        centres["share"] = stats["share"].reindex(centres.index).fillna(0.0).astype(float)
        centres["mean_km"] = stats["mean_cost"].reindex(centres.index).astype(float)
        centres["max_km"] = stats["max_cost"].reindex(centres.index).astype(float)
        return centres.sort_values(["load", "name"], ascending=[False, True], kind="stable")

    def tables(self, inputs: Inputs) -> dict[str, Any]:
        """The CSV files of the solution: file name -> table."""
        return {"solution.csv": self.assignments(inputs), "centres.csv": self.centres(inputs)}

    def geo_tables(self, inputs: Inputs, tables: dict[str, Any]) -> dict[str, Any]:
        """The GeoJSON files: centres and units as points, allocations as lines."""
        import geopandas as gpd
        from shapely import linestrings

        cand, dem = inputs.candidates, inputs.demand
        table, centres = tables["solution.csv"], tables["centres.csv"]
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
        served = units[units["facility"] != ""].copy()
        ends = cand.loc[served["facility"].to_numpy(), ["lon", "lat"]].to_numpy(dtype=float)
        starts = served[["lon", "lat"]].to_numpy(dtype=float)
        lines = linestrings(np.stack([starts, ends], axis=1)) if len(served) else []
        served["kind"] = "allocation"
        allocations = gpd.GeoDataFrame(
            served.drop(columns=["lon", "lat"]), geometry=list(lines), crs="EPSG:4326"
        )
        return {"solution.geojson": frame, "allocations.geojson": allocations}

    def routing(self, inputs: Inputs) -> Any:
        """``routing.csv`` of a model routing partner flows (an error for the others)."""
        raise SpecificationError(
            f"routing and loads belong to a model of partner flows (crossborder), not "
            f"{type(self.solution).__name__ if self.solution is not None else 'this one'}"
        )

    def loads(self, inputs: Inputs, by: str) -> Any:
        """``gateway_loads.csv`` / ``partner_loads.csv`` (an error for this kind of model)."""
        return self.routing(inputs)

    def report_tables(self, inputs: Inputs, lang: str = "en") -> dict[str, Any]:
        """Further tables of the report: caption (in ``lang``) -> table."""
        return {}

    def manifest_entries(self) -> dict[str, Any]:
        """Further entries of ``manifest.json``."""
        return {}

    # ---- maps and robustness -------------------------------------------------------------
    def map_solution(self) -> Any:
        """The solution drawn as allocations on the maps (None: nothing to draw)."""
        return self.solution if len(self.solution.open) else None

    def map_flows(self, inputs: Inputs) -> Any:
        """The flows drawn on the maps (None: a model without routed flows)."""
        return None

    def add_map_layers(self, fmap: Any, inputs: Inputs) -> None:
        """Draw what the corridor map shows beyond the allocations (nothing here)."""

    def robustness_inputs(
        self, inputs: Inputs, config: PlanConfig, cost: Any
    ) -> tuple[Any, Any, dict[str, Any]]:
        """The model, demand and keyword arguments of :func:`borderhub.robustness`."""
        data = {"weight": inputs.weight, "cost": cost, **self.params}
        return config.model, inputs.demand, {**data, **self.policy_terms(config)}


@dataclass
class Routed(Solved):
    """A solved model routing origin x partner flows through centres and gateways."""

    partners: Any = None
    flows: Any = None
    #: The gateways the model routed through (their names and modes label the tables).
    gateway_table: Any = None
    #: How the plan measured its distances (the flows are drawn along that network).
    distance: str = "geodesic"
    segments: Any = None

    cost_curve: ClassVar[bool] = False  # scenarios.p_sweep has no routed model
    load_what: ClassVar[str] = "international express"

    def _solve(self, inputs: Inputs, config: PlanConfig, steps: Steps, cost: Any) -> None:
        from borderhub.locate import solve_crossborder

        self.partners = _partners(inputs, config)
        self.distance = config.distance
        with steps.step("build", "international flows and gateway costs"):
            flows = self.flows = _flows(inputs, config, self.partners)
            self.gateway_table = _gateway_table(inputs, config)
        if self.gateway_table.attrs.get("note"):
            steps.note(str(self.gateway_table.attrs["note"]))
        assumptions = dict(flows.attrs.get("assumptions", {}))
        total = float(flows.to_numpy().sum())
        steps.note(
            f"international express: {total:.6g} (share {assumptions.get('share', 0):.4g} of "
            f"the demand weight) from {flows.shape[0]} origins to {flows.shape[1]} partner "
            f"hubs; partner split {assumptions.get('split')}"
        )
        extra: dict[str, Any] = {"required": self.required} if self.required else {}
        described = ", ".join(f"{k}={v}" for k, v in self.params.items() if k != "fixed_cost")
        title = config.model_class().title
        with steps.step("solve", f"solving the {title} ({described or 'fixed'})"):
            with native_stdout_elsewhere():
                sol = solve_crossborder(
                    inputs.candidates,
                    inputs.demand,
                    self.partners,
                    flows=flows,
                    modes=config.modes,
                    gateways=self.gateway_table,
                    distance=cost,
                    gateway_distance=config.distance,
                    solver=config.solver,
                    time_limit=config.time_limit,
                    mip_gap=config.mip_gap,
                    **self.params,
                    **extra,
                )
        given = {k: v for k, v in sol.assumptions.items() if k != "flows"}
        given["gateways"] = (
            "user-supplied"
            if config.gateways is not None
            else "infrastructure"
            if config.distance != "geodesic"
            else "bundled"
        )
        if self.gateway_table.attrs.get("note"):
            given["gateways_note"] = str(self.gateway_table.attrs["note"])
            given["gateways_sources"] = list(self.gateway_table.attrs.get("sources", []))
        self.solution = replace(sol, assumptions={**assumptions, **given})

    def assignments(self, inputs: Inputs) -> Any:
        """Each (origin, partner) flow has its own centre: the routing."""
        return self.routing(inputs)

    def centre_stats(self) -> Any:
        """Per open centre: origins served, flow, share, mean and longest domestic leg."""
        return self.solution.origin_stats()

    def tables(self, inputs: Inputs) -> dict[str, Any]:
        """routing.csv, centres.csv, gateway_loads.csv and partner_loads.csv."""
        return {
            "routing.csv": self.routing(inputs),
            "centres.csv": self.centres(inputs),
            "gateway_loads.csv": self.loads(inputs, "gateway"),
            "partner_loads.csv": self.loads(inputs, "partner"),
        }

    def geo_tables(self, inputs: Inputs, tables: dict[str, Any]) -> dict[str, Any]:
        """None: the flows have no single centre per demand unit (map.html draws them)."""
        return {}

    def routing(self, inputs: Inputs) -> Any:
        """``routing.csv``: one row per (origin, partner) flow, its centre, gateway and mode."""
        r = self.solution.routing.reset_index()
        gates = self.gateway_table
        out = pd.DataFrame({"origin": r["origin"].astype(str), "partner": r["partner"].astype(str)})
        out["origin_name"] = _names(inputs.demand, r["origin"])
        out["partner_name"] = _names(self.partners, r["partner"], "city")
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

    def loads(self, inputs: Inputs, by: str) -> Any:
        """Flow, commodities and cost per gateway or partner, with their names."""
        loads = self.solution.loads(by)
        out = pd.DataFrame(index=pd.Index([str(k) for k in loads.index], name=by))
        if by == "gateway":
            gates = self.gateway_table
            out["name"] = _names(gates, loads.index)
            out["mode"] = _names(gates, loads.index, "mode")
        else:
            out["name"] = _names(self.partners, loads.index, "city")
            out["country"] = _names(self.partners, loads.index, "country")
        total = float(loads["flow"].sum())
        out["flow"] = loads["flow"].to_numpy(dtype=float)
        out["share"] = out["flow"] / total if total > 0 else 0.0
        out["commodities"] = loads["commodities"].to_numpy(dtype=int)
        out["cost"] = loads["cost"].to_numpy(dtype=float)
        return out

    def report_tables(self, inputs: Inputs, lang: str = "en") -> dict[str, Any]:
        """The gateway and partner loads."""
        from borderhub.plan.region import word

        return {
            word("gateway loads", lang): self.loads(inputs, "gateway"),
            word("partner loads", lang): self.loads(inputs, "partner"),
        }

    def manifest_entries(self) -> dict[str, Any]:
        """The assumptions of the flows (``crossborder``)."""
        return {"crossborder": dict(getattr(self.solution, "assumptions", {}))}

    def map_solution(self) -> Any:
        """The open centres (labelled on the maps); their flows are :meth:`map_flows`."""
        return [str(k) for k in self.solution.open] if len(self.solution.open) else None

    def map_flows(self, inputs: Inputs) -> Any:
        """The flow segments, along their routes when the plan measured by a network."""
        if self.segments is None and len(self.solution.open):
            from borderhub.flowmap import flow_segments

            self.segments = flow_segments(
                self.solution,
                inputs.candidates,
                self.partners,
                self.gateway_table,
                distance=self.distance,
            )
        return self.segments

    def robustness_inputs(
        self, inputs: Inputs, config: PlanConfig, cost: Any
    ) -> tuple[Any, Any, dict[str, Any]]:
        """Each (origin, partner) flow is drawn; the flows of one origin share one shock.

        Returns the model builder, a table of the flows' spreads (each flow has its
        origin's uncertainty: ``<weight>_spread`` and ``<weight>_method`` of the demand
        unit) and the nominal flows as ``weights``, labelled ``origin>partner``, grouped by
        origin with correlation 1 (the uncertain figure is the origin's volume).
        """
        from borderhub.locate import gateway_costs

        options = {**self.params, **self.policy_terms(config)}
        flows = self.flows
        routes = gateway_costs(
            inputs.candidates,
            self.partners,
            gateways=self.gateway_table,
            modes=config.modes,
            distance=config.distance,
        )
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
            _routed_model, domestic=cost.copy(), international=international, options=options
        )
        groups = pd.Series([str(o) for o in origins], index=meta.index)
        data = {
            "weights": weights,
            "weight": inputs.weight,
            "shock_groups": groups,
            "correlation": 1.0,
        }
        return builder, meta, data


def _routed_model(
    weights: Any, *, domestic: Any, international: Any, options: dict[str, Any]
) -> Any:
    """A cross-border model for drawn flows labelled ``origin>partner`` (picklable)."""
    from borderhub.locate import CrossBorderMedian

    pairs = [str(label).split(_PAIR, 1) for label in weights.index]
    index = pd.MultiIndex.from_tuples([(o, k) for o, k in pairs], names=["origin", "partner"])
    flows = pd.Series(weights.to_numpy(dtype=float), index=index).unstack("partner")
    flows = flows.reindex(index=domestic.index).fillna(0.0)
    return CrossBorderMedian.from_cost_matrices(domestic, international, flows, **options)


def _names(frame: Any, labels: Any, column: str = "name") -> list[str]:
    names = frame[column] if column in frame.columns else pd.Series(dtype=object)
    return [str(names.get(k, "")) if pd.notna(names.get(k, "")) else "" for k in labels]


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
        params["fixed_cost"] = numeric_column(candidates, column, "candidates")
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


def _flows(inputs: Inputs, config: PlanConfig, partners: Any) -> Any:
    """The origins x partners international express of a plan of partner flows."""
    from borderhub.flows import international_demand

    split: Any = config.split
    if isinstance(split, str) and split not in ("exports", "equal"):
        from borderhub.io import read_partner_split

        split = read_partner_split(config.split, partners)
        path = Path(config.split)
        inputs.sources["split"] = {"source": "user", "file": path.name, "sha256": sha256(path)}
    if inputs.weight is None:
        raise PlanOptionError(
            f"model {config.model!r} needs the demand units' express volume (weight_column) to "
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


def _partners(inputs: Inputs, config: PlanConfig) -> Any:
    """The partner hubs of the plan: the bundled table, a user's file or table."""
    from borderhub import datasets

    given = config.partners
    if given is None:
        return datasets.partners()
    if isinstance(given, str):
        from borderhub.routes import read_partners

        path = Path(given)
        table = read_partners(path)
        inputs.sources["partners"] = {"source": "user", "file": path.name, "sha256": sha256(path)}
        return table
    if "iso3" not in given.columns:
        raise PlanOptionError(
            "partners must have an iso3 column (and lon, lat), like borderhub.datasets.partners()"
        )
    inputs.sources["partners"] = {"source": "user", "rows": len(given)}
    return given.copy()


def _gateway_table(inputs: Inputs, config: PlanConfig) -> Any:
    """The gateways of the plan: a user's, or from the infrastructure (network) or tables."""
    from borderhub.flows import gateways

    given = config.gateways
    if isinstance(given, str):
        from borderhub.routes import read_gateways

        path = Path(given)
        table = read_gateways(path)
        inputs.sources["gateways"] = {"source": "user", "file": path.name, "sha256": sha256(path)}
        return table
    if given is not None:
        inputs.sources["gateways"] = {"source": "user", "rows": len(given)}
        return given.copy()
    if config.distance != "geodesic":
        return gateways(inputs.candidates, infrastructure=True)
    return gateways()
