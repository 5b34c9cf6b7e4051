"""The built-in criteria, registered by name, and the default set the command line scores with.

Each module holds a family of criterion functions and their :class:`~borderhub.scoring.Criterion`
objects: :mod:`~borderhub.scoring.criteria.location` (RCEP partners, border ports),
:mod:`~borderhub.scoring.criteria.gateways` (rail, sea, air, e-commerce zone),
:mod:`~borderhub.scoring.criteria.volume` (own volume, population, demand around) and
:mod:`~borderhub.scoring.criteria.tiers` (the plan's tiers). A new criterion is one module
(its function and its ``Criterion``, declaring the study inputs it reads) plus one
:func:`~borderhub.scoring.register_criterion` line below.
"""

from __future__ import annotations

import dataclasses

from borderhub.scoring.criteria import gateways, location, tiers, volume
from borderhub.scoring.criteria.gateways import (
    airport_cargo,
    cbec_seniority,
    cbec_zone,
    coastal,
    rail_hub,
)
from borderhub.scoring.criteria.location import border_port_distance, rcep_proximity
from borderhub.scoring.criteria.tiers import TIER_POINTS, tier_score
from borderhub.scoring.criteria.volume import (
    catchment_volume,
    express_volume,
    gravity_access,
    population,
)
from borderhub.scoring.criterion import Criterion, lookup_criteria, register_criterion

__all__ = [
    "rcep_proximity",
    "border_port_distance",
    "rail_hub",
    "coastal",
    "airport_cargo",
    "cbec_zone",
    "cbec_seniority",
    "express_volume",
    "population",
    "catchment_volume",
    "gravity_access",
    "tier_score",
    "TIER_POINTS",
    "default_criteria",
    "default_weights",
]

# the registration lines (the order is that of lookup_criteria())
register_criterion(location.RCEP_PROXIMITY)
register_criterion(location.BORDER_PORT_DISTANCE)
register_criterion(gateways.RAIL_HUB)
register_criterion(gateways.COASTAL)
register_criterion(gateways.AIRPORT_CARGO)
register_criterion(gateways.CBEC_ZONE)
register_criterion(gateways.CBEC_SENIORITY)
register_criterion(volume.EXPRESS_VOLUME)
register_criterion(volume.POPULATION)
register_criterion(volume.CATCHMENT_VOLUME)
register_criterion(volume.GRAVITY_ACCESS)
register_criterion(tiers.TIER_SCORE)

_DEFAULT_WEIGHTS: dict[str, float] = {
    "rcep_proximity": 0.20,
    "border_port_distance": 0.10,
    "rail_hub": 0.05,
    "coastal": 0.10,
    "airport_cargo": 0.15,
    "cbec_seniority": 0.10,
    "express_volume": 0.20,
    "gravity_access": 0.10,
}


def default_weights() -> dict[str, float]:
    """Default weights of :func:`default_criteria` (they sum to 1).

    Returns
    -------
    dict
        ``{criterion name: weight}``.

    Examples
    --------
    >>> w = default_weights()
    >>> round(sum(w.values()), 10), w["express_volume"]
    (1.0, 0.2)
    """
    return dict(_DEFAULT_WEIGHTS)


def default_criteria() -> list[Criterion]:
    """The criteria and weights the command line scores with.

    ==========================  =========  ======  ==========================================
    criterion                   direction  weight  measure
    ==========================  =========  ======  ==========================================
    ``rcep_proximity``          cost       0.20    mean geodesic km to the hubs of the other
                                                   14 RCEP states (each hub weighs the same)
    ``border_port_distance``    cost       0.10    km to the nearest land border port
    ``rail_hub``                benefit    0.05    China–Europe Railway Express hub (0/1)
    ``coastal``                 benefit    0.10    coastal place (0/1)
    ``airport_cargo``           benefit    0.15    airport cargo 万吨 (unknown = NaN)
    ``cbec_seniority``          benefit    0.10    CBEC pilot-zone seniority (0..1)
    ``express_volume``          benefit    0.20    own express volume, 亿件
    ``gravity_access``          benefit    0.10    gravity access to prefecture express
                                                   volume (beta 1, d0 50 km)
    ==========================  =========  ======  ==========================================

    Location (RCEP, border) 0.30, gateways (rail, sea, air, e-commerce zone) 0.40, volume
    0.30. The weights travel on the criteria, so ``score(candidates, default_criteria())``
    uses them; pass ``weights=`` to override. The criteria are the registered ones of
    those names (:func:`~borderhub.scoring.lookup_criteria`). Distance criteria read the
    bundled partners, border ports and prefectures unless a study's own are bound with
    :func:`~borderhub.scoring.with_inputs`. :func:`tier_score` is not included (it would
    restate the plan); add it to test the plan's tiers against the data.

    Returns
    -------
    list of Criterion
        A fresh list; each criterion carries its direction, weight, description, unit and
        the study inputs it reads.

    Examples
    --------
    >>> [(c.name, c.direction, c.weight) for c in default_criteria()][:2]
    [('rcep_proximity', 'cost', 0.2), ('border_port_distance', 'cost', 0.1)]
    >>> [c.name for c in default_criteria() if c.inputs]
    ['rcep_proximity', 'border_port_distance', 'gravity_access']
    """
    crits = lookup_criteria(_DEFAULT_WEIGHTS)
    return [dataclasses.replace(c, weight=_DEFAULT_WEIGHTS[c.name]) for c in crits]
