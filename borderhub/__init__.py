"""borderhub: siting China's cross-border express processing centres.

borderhub encodes the city tiers of 专栏4 of the 14th Five-Year Express Development Plan
(State Post Bureau, 2021), scores candidate cities on location and volume, chooses centres
with facility-location MILPs solved through PuLP, and draws RCEP corridor maps with folium.

``import borderhub`` is quick: each public name -- and each public submodule
(``bh.scoring``, ``bh.maps``, ``bh.plan`` ...) -- is imported when first used (pandas,
geopandas, PuLP, folium and matplotlib load only when a function needs them).

Examples
--------
>>> import borderhub as bh
>>> bh.__version__ != ""
True
>>> bh.run_plan.__module__
'borderhub.plan.run'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from borderhub._lazy import lazy_face
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
    "run_plan": "borderhub.plan.run",
    "PlanConfig": "borderhub.plan.config",
    "PlanResult": "borderhub.plan.result",
    # cross-border flows
    "international_demand": "borderhub.flows",
    "CrossBorderMedian": "borderhub.locate",
    "gateway_costs": "borderhub.locate",
    # robustness under data uncertainty
    "robustness": "borderhub.robustness",
    "RobustnessResult": "borderhub.robustness",
}
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
    from borderhub.plan.config import PlanConfig
    from borderhub.plan.result import PlanResult
    from borderhub.plan.run import run_plan
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

_getattr, __dir__ = lazy_face(__name__, _LAZY, __all__, submodules=True)


def __getattr__(name: str) -> Any:
    """A public name or submodule, imported from its module when first used."""
    if name == "__version__":
        from borderhub._version import version

        globals()[name] = version()
        return globals()[name]
    return _getattr(name)
