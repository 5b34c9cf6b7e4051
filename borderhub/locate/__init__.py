"""Facility-location models on PuLP: where to put cross-border express processing centres.

Every model shares one base (:class:`LocationModel`): build it with ``from_cost_matrix`` or
``from_geodataframe``, add the plan's policy constraints (``required``, ``forbidden``,
``groups`` with ``min_per_group`` / ``max_per_group``, see :func:`policy_constraints`) and
a gateway cost term, then call ``solve()`` for a :class:`Solution`.

* :class:`PMedian` -- exactly ``p`` centres, minimum weighted cost.
* :class:`PCenter` -- exactly ``p`` centres, minimum worst cost.
* :class:`MaxCoverage` -- ``p`` centres covering the most weight within a radius.
* :class:`SetCover` -- the fewest centres covering every demand point within a radius.
* :class:`FacilityLocation` -- opening costs, optional capacities, free number of centres.
* :class:`HubMedian` -- single-allocation p-hub median over origin-destination flows.
* :class:`CrossBorderMedian` -- origin x partner international flows routed through open
  centres and their cheapest gateways (:func:`gateway_costs`).

The models that serve demand points from candidates are also known by short names
(:data:`MODELS`, :func:`model_class`), as in ``borderhub plan --model pmedian``.
"""

from __future__ import annotations

from borderhub.locate._policy import policy_constraints
from borderhub.locate._registry import MODEL_TITLES, MODELS, P_MODELS, model_class, model_name
from borderhub.locate.base import LocationModel
from borderhub.locate.center import PCenter
from borderhub.locate.coverage import MaxCoverage, SetCover
from borderhub.locate.crossborder import (
    CrossBorderMedian,
    CrossBorderSolution,
    gateway_costs,
    gateways,
    solve_crossborder,
)
from borderhub.locate.fixed_charge import FacilityLocation
from borderhub.locate.hub import HubMedian
from borderhub.locate.median import PMedian
from borderhub.locate.solution import Solution, Status

__all__ = [
    "LocationModel",
    "PMedian",
    "PCenter",
    "MaxCoverage",
    "SetCover",
    "FacilityLocation",
    "HubMedian",
    "Solution",
    "Status",
    "policy_constraints",
    "CrossBorderMedian",
    "CrossBorderSolution",
    "gateway_costs",
    "gateways",
    "solve_crossborder",
    "MODELS",
    "MODEL_TITLES",
    "P_MODELS",
    "model_class",
    "model_name",
]
