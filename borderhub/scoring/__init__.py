"""Multi-criteria scoring of candidate sites.

The package is an engine and a set of criteria:

* **Criteria** (:mod:`borderhub.scoring.criterion`, :mod:`borderhub.scoring.criteria`). A
  :class:`Criterion` names a value per candidate (a column of the candidates frame, or a
  function of it), says whether more is better (``"benefit"``) or worse (``"cost"``), may
  carry a default weight and declares the study inputs it reads besides the candidates
  (``inputs=``: demand points, partner hubs, border ports; :data:`INPUTS`), which
  :func:`with_inputs` binds. Built-in criterion functions compute location, gateway and
  volume measures from the bundled data or the caller's frames: :func:`rcep_proximity`,
  :func:`border_port_distance`, :func:`rail_hub`, :func:`coastal`, :func:`airport_cargo`,
  :func:`cbec_zone`, :func:`cbec_seniority`, :func:`express_volume`, :func:`population`,
  :func:`catchment_volume`, :func:`gravity_access` (Hansen [6]_) and the optional policy
  criterion :func:`tier_score`. They are registered by name (:func:`register_criterion`,
  :func:`lookup_criteria`); :func:`default_criteria` is the set the command line uses.
* **Weights** (:mod:`borderhub.scoring.weights`). Caller-given (normalised to sum 1),
  equal, Shannon entropy [5]_ (:func:`entropy_weights`) or the analytic hierarchy
  process [3]_ [4]_ (:func:`ahp_weights`).
* **Engine** (:mod:`borderhub.scoring.engine`). :func:`score` ranks candidates with
  TOPSIS [1]_, a min--max weighted sum or VIKOR [2]_ (:class:`Method`) and explains each
  score by per-criterion contributions. :func:`rank_stability` perturbs the weights by
  Monte Carlo, vectorised over all draws, and reports each candidate's mean rank, rank
  interval and probability of staying in the top *k*. Both apply ``nan_policy`` in one
  place, :func:`decision_matrix`, which says what it leaves out or fills
  (:class:`~borderhub.exceptions.MissingDataWarning`) and records it in ``attrs``.

References
----------
.. [1] Hwang, C.-L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
   Applications*. Springer, Berlin. (TOPSIS)
.. [2] Opricovic, S., & Tzeng, G.-H. (2004). Compromise solution by MCDM methods: A
   comparative analysis of VIKOR and TOPSIS. *European Journal of Operational Research*,
   156(2), 445--455.
.. [3] Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill, New York.
.. [4] Saaty, T. L. (1990). How to make a decision: The analytic hierarchy process.
   *European Journal of Operational Research*, 48(1), 9--26.
.. [5] Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
   Technical Journal*, 27, 379--423; entropy weights as in Zeleny, M. (1982).
   *Multiple Criteria Decision Making*. McGraw-Hill, New York.
.. [6] Hansen, W. G. (1959). How accessibility shapes land use. *Journal of the American
   Institute of Planners*, 25(2), 73--76. (gravity accessibility)
"""

from __future__ import annotations

from borderhub.scoring.criteria import TIER_POINTS as TIER_POINTS
from borderhub.scoring.criteria import (
    airport_cargo,
    border_port_distance,
    catchment_volume,
    cbec_seniority,
    cbec_zone,
    coastal,
    default_criteria,
    default_weights,
    express_volume,
    gravity_access,
    population,
    rail_hub,
    rcep_proximity,
    tier_score,
)
from borderhub.scoring.criterion import INPUTS as INPUTS
from borderhub.scoring.criterion import (
    Criterion,
    lookup_criteria,
    register_criterion,
    unregister_criterion,
    with_inputs,
)
from borderhub.scoring.engine import SPARSE_COVERAGE as SPARSE_COVERAGE
from borderhub.scoring.engine import (
    Method,
    decision_matrix,
    missing_values,
    rank_stability,
    score,
    sparse_criteria,
)
from borderhub.scoring.weights import SAATY_RANDOM_INDEX as SAATY_RANDOM_INDEX
from borderhub.scoring.weights import AHPResult, ahp_weights, entropy_weights

__all__ = [
    "Criterion",
    "Method",
    "AHPResult",
    "score",
    "entropy_weights",
    "ahp_weights",
    "rank_stability",
    "decision_matrix",
    "missing_values",
    "sparse_criteria",
    "with_inputs",
    "register_criterion",
    "unregister_criterion",
    "lookup_criteria",
    "default_criteria",
    "default_weights",
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
]
