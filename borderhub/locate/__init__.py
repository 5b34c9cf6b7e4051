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

Each model declares itself on its class -- ``name``, ``title``, ``about`` and its
``parameters`` (:class:`Param`: type, interval, default) -- and :func:`register` lists it
under its short name (:data:`MODELS`, :func:`model_class`), as in ``borderhub plan --model
pmedian``: the plan's options and the command line's flags are read from the declaration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from borderhub._lazy import lazy_face

# the registry is light; the models (and PuLP) load when first used (PEP 562)
from borderhub.locate._registry import (
    MODEL_TITLES,
    MODELS,
    P_MODELS,
    Param,
    model_class,
    model_name,
    register,
    registered,
)

_LAZY = {
    "policy_constraints": "borderhub.locate._policy",
    "LocationModel": "borderhub.locate.base",
    "PCenter": "borderhub.locate.center",
    "MaxCoverage": "borderhub.locate.coverage",
    "SetCover": "borderhub.locate.coverage",
    "FacilityLocation": "borderhub.locate.fixed_charge",
    "HubMedian": "borderhub.locate.hub",
    "PMedian": "borderhub.locate.median",
    "CrossBorderMedian": "borderhub.locate.crossborder",
    "CrossBorderSolution": "borderhub.locate.crossborder",
    "gateway_costs": "borderhub.locate.crossborder",
    "gateways": "borderhub.locate.crossborder",
    "solve_crossborder": "borderhub.locate.crossborder",
    "Solution": "borderhub.locate.solution",
    "Status": "borderhub.locate.solution",
}


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from borderhub.locate._policy import policy_constraints
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
    "Param",
    "register",
    "registered",
]

__getattr__, __dir__ = lazy_face(__name__, _LAZY, __all__)
