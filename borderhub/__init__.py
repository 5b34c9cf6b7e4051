"""borderhub: siting China's cross-border express processing centres.

borderhub encodes the city tiers of 专栏4 of the 14th Five-Year Express Development Plan
(State Post Bureau, 2021), scores candidate cities on location and volume, chooses centres
with facility-location MILPs solved through PuLP, and draws RCEP corridor maps with folium.

Examples
--------
>>> import borderhub as bh
>>> bh.__version__ != ""
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from borderhub.exceptions import (
    BorderhubError,
    DataError,
    InfeasibleError,
    SolverError,
    SpecificationError,
)

try:
    __version__ = version("borderhub")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "BorderhubError",
    "DataError",
    "SpecificationError",
    "InfeasibleError",
    "SolverError",
]

# --- policy (tiers of 专栏4) -------------------------------------------------------
from borderhub.policy import (  # noqa: E402
    INDICATORS,
    Tier,
    column4,
    project_volume,
    tiers_of,
)

__all__ += ["Tier", "column4", "tiers_of", "INDICATORS", "project_volume"]
# --- datasets -----------------------------------------------------------------------
from borderhub import datasets  # noqa: E402

__all__ += ["datasets"]
# --- geo ------------------------------------------------------------------------------
from borderhub import geo  # noqa: E402
from borderhub.geo import (  # noqa: E402
    bd09_to_gcj02,
    distance_matrix,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    great_circle,
    wgs84_to_gcj02,
)

__all__ += [
    "geo",
    "distance_matrix",
    "gcj02_to_wgs84",
    "wgs84_to_gcj02",
    "bd09_to_gcj02",
    "gcj02_to_bd09",
    "great_circle",
]
# --- scoring ------------------------------------------------------------------------
from borderhub.scoring import (  # noqa: E402
    Criterion,
    ahp_weights,
    default_criteria,
    entropy_weights,
    rank_stability,
    score,
)

__all__ += [
    "Criterion",
    "score",
    "entropy_weights",
    "ahp_weights",
    "rank_stability",
    "default_criteria",
]
# --- locate ---------------------------------------------------------------------------
from borderhub import locate  # noqa: E402
from borderhub.locate import (  # noqa: E402
    FacilityLocation,
    HubMedian,
    MaxCoverage,
    PCenter,
    PMedian,
    SetCover,
    Solution,
    policy_constraints,
)

__all__ += [
    "locate",
    "PMedian",
    "PCenter",
    "MaxCoverage",
    "SetCover",
    "FacilityLocation",
    "HubMedian",
    "Solution",
    "policy_constraints",
]
# --- cross-border flows ---------------------------------------------------------------
from borderhub.flows import international_demand  # noqa: E402
from borderhub.locate import CrossBorderMedian, gateway_costs  # noqa: E402

__all__ += ["international_demand", "CrossBorderMedian", "gateway_costs"]
# --- maps -----------------------------------------------------------------------------
from borderhub.maps import corridor_map, static_map  # noqa: E402

__all__ += ["corridor_map", "static_map"]
# --- scenarios ------------------------------------------------------------------------
from borderhub.scenarios import growth_sweep, p_sweep, sweep, weight_sweep  # noqa: E402

__all__ += ["sweep", "p_sweep", "weight_sweep", "growth_sweep"]
from borderhub.scenarios import RobustnessResult, robustness  # noqa: E402

__all__ += ["robustness", "RobustnessResult"]
