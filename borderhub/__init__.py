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
# --- datasets -----------------------------------------------------------------------
# --- geo ------------------------------------------------------------------------------
# --- scoring ------------------------------------------------------------------------
# --- locate ---------------------------------------------------------------------------
# --- maps -----------------------------------------------------------------------------
# --- scenarios ------------------------------------------------------------------------
