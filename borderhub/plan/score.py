"""The scoring step of a plan: the default criteria on the candidates, then :func:`borderhub.score`.

Examples
--------
>>> from borderhub.plan.config import PlanConfig
>>> from borderhub.plan.inputs import load_inputs
>>> from borderhub.plan.progress import Steps
>>> from borderhub.plan.score import score_candidates
>>> config = PlanConfig(provinces="广东")
>>> scored = score_candidates(load_inputs(None, None, config, Steps(None)), config, Steps(None))
>>> scored.method, int(scored.table["rank"].min())
('topsis', 1)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from borderhub.exceptions import DataError, DataWarning, MissingDataWarning
from borderhub.plan.config import PlanConfig
from borderhub.plan.inputs import Inputs, describe_candidates
from borderhub.plan.progress import Steps, one_line

__all__: list[str] = []


@dataclass
class Scored:
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
    inputs: Inputs, distance: str = "geodesic", given: Any = None
) -> tuple[Any, dict[str, str], dict[str, float], dict, dict[str, list[str]]]:
    """Evaluate the study's criteria (default: the default ones) on the candidates.

    A default criterion the data cannot feed is skipped, with the reason and the column
    that would enable it; one the study named itself (``given``) is an error instead.
    Also returns, per criterion, the candidates whose value rests on an estimate (a
    criterion's ``attrs["stand_in"]``, as :func:`~borderhub.scoring.border_port_distance`
    sets it).
    """
    from borderhub import scoring
    from borderhub.plan.criteria import needs, study_criteria

    criteria = scoring.default_criteria() if given is None else study_criteria(given)
    if not inputs.bundled_demand:
        demand = inputs.demand
        column = inputs.weight
        if column is None:
            demand = demand.assign(_weight=1.0)
            column = "_weight"
        criteria = scoring.with_inputs(criteria, demand=demand, demand_weight=column)
    if distance != "geodesic":
        criteria = scoring.with_inputs(criteria, distance=distance)
    raw: dict[str, Any] = {}
    directions: dict[str, str] = {}
    weights: dict[str, float] = {}
    skipped: dict[str, str] = {}
    estimated: dict[str, list[str]] = {}
    for criterion in criteria:
        try:
            raw[criterion.name] = criterion.evaluate(inputs.candidates)
        except DataError as err:
            enable = needs(criterion.name)
            skipped[criterion.name] = (
                f"needs {enable}"
                if enable and _lacks_column(inputs.candidates, criterion.name)
                else one_line(str(err))
            )
            continue
        if raw[criterion.name].attrs.get("stand_in"):
            estimated[criterion.name] = [str(c) for c in raw[criterion.name].attrs["stand_in"]]
        directions[criterion.name] = criterion.direction
        weights[criterion.name] = float(criterion.weight or 0.0)
    if given is not None and skipped:
        raise DataError(
            "criteria cannot be computed for these candidates: "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
            + " (or drop them from the criteria)"
        )
    if not raw:
        raise DataError(
            "none of the default criteria can be computed for these candidates; give them "
            "lon/lat and the columns of borderhub.datasets.candidates(): "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
        )
    frame = pd.DataFrame(raw, index=inputs.candidates.index)
    return frame, directions, weights, skipped, estimated


def _lacks_column(candidates: Any, name: str) -> bool:
    """Whether the column that feeds criterion ``name`` is absent from the candidates."""
    from borderhub.plan.criteria import ENABLING_COLUMNS

    return ENABLING_COLUMNS.get(name, "") not in candidates.columns


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


def score_candidates(inputs: Inputs, config: PlanConfig, steps: Steps) -> Scored:
    from borderhub import scoring

    with steps.step("score", "scoring candidates"):
        raw, directions, default_w, skipped, estimated = _criteria_values(
            inputs, config.distance, config.criteria
        )
        if config.nan_policy == "auto":
            raw, directions, default_w = _leave_out_sparse(raw, directions, default_w, skipped)
        missing = scoring.missing_values(raw, directions)["missing"]
        weights: Any = default_w if config.weights == "default" else config.weights
        with warnings.catch_warnings():  # the note below and the manifest say what is filled
            warnings.simplefilter("ignore", MissingDataWarning)
            table = scoring.score(
                raw, directions, weights=weights, method=config.method, nan_policy=config.nan_policy
            )
    if skipped and inputs.bundled_candidates:
        steps.note(
            f"criteria skipped for lack of data: {', '.join(skipped)} (the reasons are in "
            "manifest.json)"
        )
    elif skipped:  # the study's own candidates: say what is missing and what would enable it
        message = f"{len(skipped)} of {len(skipped) + len(directions)} default criteria " + (
            "cannot be computed from your candidates and are left out: "
            + "; ".join(f"{k} ({v})" for k, v in skipped.items())
        )
        if steps.progress is None:  # a library call: a warning; the command line: a note
            warnings.warn(message, DataWarning, stacklevel=3)
        steps.note(message)
    if len(missing):
        names = describe_candidates(inputs.candidates)["name"].reindex(missing.index)
        counts = missing.str.split(";").explode().value_counts(sort=False)
        what = ", ".join(f"{c} ({n})" for c, n in counts.items())
        steps.note(
            f"{len(missing)} of {len(raw)} candidates lack a criterion value: {what}; scored "
            f"with nan_policy {config.nan_policy!r} (the criterion's worst value): "
            + ", ".join(str(n) for n in names)
        )
    return Scored(
        table=table,
        raw=raw.loc[table.index],
        directions=directions,
        weights=dict(table.attrs.get("weights", {})),
        method=str(table.attrs.get("method", config.method)),
        skipped=skipped,
        missing={str(k): str(v) for k, v in missing.items()},
        estimated={k: v for k, v in estimated.items() if k in directions},
    )
