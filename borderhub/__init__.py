"""borderhub: siting China's cross-border express processing centres.

borderhub encodes the city tiers of 专栏4 of the 14th Five-Year Express Development Plan
(State Post Bureau, 2021), scores candidate cities on location and volume, chooses centres
with facility-location MILPs solved through PuLP, and draws RCEP corridor maps with folium.

``import borderhub`` is quick: each public name is imported from its module when first
used (pandas, geopandas, PuLP, folium and matplotlib load only when a function needs them).

Examples
--------
>>> import borderhub as bh
>>> bh.__version__ != ""
True
>>> bh.run_plan.__module__
'borderhub.pipeline'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from borderhub.exceptions import (
    BorderhubError,
    DataError,
    InfeasibleError,
    SolverError,
    SpecificationError,
)

#: public name -> the module that defines it (imported on first use, PEP 562)
_LAZY: dict[str, str] = {
    # policy (tiers of 专栏4)
    "Tier": "borderhub.policy",
    "column4": "borderhub.policy",
    "tiers_of": "borderhub.policy",
    "INDICATORS": "borderhub.policy",
    "project_volume": "borderhub.policy",
    # geo
    "distance_matrix": "borderhub.geo",
    "gcj02_to_wgs84": "borderhub.geo",
    "wgs84_to_gcj02": "borderhub.geo",
    "bd09_to_gcj02": "borderhub.geo",
    "gcj02_to_bd09": "borderhub.geo",
    "great_circle": "borderhub.geo",
    # scoring
    "Criterion": "borderhub.scoring",
    "score": "borderhub.scoring",
    "entropy_weights": "borderhub.scoring",
    "ahp_weights": "borderhub.scoring",
    "rank_stability": "borderhub.scoring",
    "default_criteria": "borderhub.scoring",
    # locate
    "PMedian": "borderhub.locate",
    "PCenter": "borderhub.locate",
    "MaxCoverage": "borderhub.locate",
    "SetCover": "borderhub.locate",
    "FacilityLocation": "borderhub.locate",
    "HubMedian": "borderhub.locate",
    "Solution": "borderhub.locate",
    "policy_constraints": "borderhub.locate",
    # maps
    "corridor_map": "borderhub.maps",
    "static_map": "borderhub.maps",
    # scenarios
    "sweep": "borderhub.scenarios",
    "p_sweep": "borderhub.scenarios",
    "weight_sweep": "borderhub.scenarios",
    "growth_sweep": "borderhub.scenarios",
    # the main job
    "run_plan": "borderhub.pipeline",
    "PlanConfig": "borderhub.pipeline",
    "PlanResult": "borderhub.pipeline",
    # cross-border flows
    "international_demand": "borderhub.flows",
    "CrossBorderMedian": "borderhub.locate",
    "gateway_costs": "borderhub.locate",
    # robustness under data uncertainty
    "robustness": "borderhub.robustness",
    "RobustnessResult": "borderhub.robustness",
}
#: public submodules reachable as attributes (``borderhub.locate``)
_SUBMODULES = (
    "datasets",
    "geo",
    "locate",
    "io",
    "pipeline",
    "flows",
    "flowmap",
    "report",
    "scenarios",
)

__all__ = [
    "__version__",
    "BorderhubError",
    "DataError",
    "SpecificationError",
    "InfeasibleError",
    "SolverError",
    "Tier",
    "column4",
    "tiers_of",
    "INDICATORS",
    "project_volume",
    "datasets",
    "geo",
    "distance_matrix",
    "gcj02_to_wgs84",
    "wgs84_to_gcj02",
    "bd09_to_gcj02",
    "gcj02_to_bd09",
    "great_circle",
    "Criterion",
    "score",
    "entropy_weights",
    "ahp_weights",
    "rank_stability",
    "default_criteria",
    "locate",
    "PMedian",
    "PCenter",
    "MaxCoverage",
    "SetCover",
    "FacilityLocation",
    "HubMedian",
    "Solution",
    "policy_constraints",
    "corridor_map",
    "static_map",
    "sweep",
    "p_sweep",
    "weight_sweep",
    "growth_sweep",
    "io",
    "run_plan",
    "PlanConfig",
    "PlanResult",
    "international_demand",
    "CrossBorderMedian",
    "gateway_costs",
    "robustness",
    "RobustnessResult",
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("borderhub")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    """Import a public name from its module when it is first used."""
    if name == "__version__":
        value: Any = _version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"borderhub.{name}")
    else:
        raise AttributeError(f"module 'borderhub' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    __version__: str
    from borderhub import datasets, geo, io, locate
    from borderhub.flows import international_demand
    from borderhub.geo import (
        bd09_to_gcj02,
        distance_matrix,
        gcj02_to_bd09,
        gcj02_to_wgs84,
        great_circle,
        wgs84_to_gcj02,
    )
    from borderhub.locate import (
        CrossBorderMedian,
        FacilityLocation,
        HubMedian,
        MaxCoverage,
        PCenter,
        PMedian,
        SetCover,
        Solution,
        gateway_costs,
        policy_constraints,
    )
    from borderhub.maps import corridor_map, static_map
    from borderhub.pipeline import PlanConfig, PlanResult, run_plan
    from borderhub.policy import INDICATORS, Tier, column4, project_volume, tiers_of
    from borderhub.robustness import RobustnessResult, robustness
    from borderhub.scenarios import growth_sweep, p_sweep, sweep, weight_sweep
    from borderhub.scoring import (
        Criterion,
        ahp_weights,
        default_criteria,
        entropy_weights,
        rank_stability,
        score,
    )
