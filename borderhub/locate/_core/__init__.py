"""The machinery every location model shares (private to :mod:`borderhub.locate`).

One home for what the model classes (``base``, ``median``, ``coverage``, ...) and the exact
methods (``_radius``, ``_benders``, ``_capacitated``, ``_hub``, ``_resolve``) build on; they
import these names from here, and nothing here imports a model or a method:

``checks``
    Input checks and normalisation (cost matrices, weights, labels, groups, per-candidate
    vectors, GeoDataFrames to a cost matrix) and :func:`preview` of labels for messages.
``builder``
    The :class:`Builder` protocol a formulation writes to (variables, COO rows, objective),
    the row senses :data:`GE` / :data:`LE` / :data:`EQ`, and its PuLP back end
    :class:`PulpBuilder`.
``highs``
    The HiGHS back ends (:class:`ArrayBuilder` over column indices, :class:`ColumnBuilder`
    over column objects), timed runs, MIP starts, status reading, the method choice.
``context``
    :class:`Context`: one call of ``solve`` -- solver, time budget, timers, honest runs.
``outcome``
    :class:`Run` (one solver call) and :class:`Outcome` (one model's solve), ``rel_gap``.
``policy``
    :class:`Policy`: ``required`` and the group limits as arrays, with a feasibility test.
``levels``
    :class:`Levels`: the level rows of the radius formulation.
``starts``
    Heuristic starts: :func:`greedy`, :func:`heuristic` (greedy then :func:`swap`).
``nearest``
    :class:`Lists`: each demand point's candidates sorted by cost, grown on demand from a
    cost matrix or from a KD-tree over coordinates (:class:`PointSource`).
``local``
    :func:`swap_lists`: the interchange local search on those lists.
``points``
    Models from coordinates: :class:`PointData` (coordinates and metric) and
    :class:`PointCost` (labels of a cost matrix never formed), :func:`read_xy`.
"""

from borderhub.locate._core.builder import EQ, GE, LE, Builder, PulpBuilder, coo, values
from borderhub.locate._core.checks import (
    as_float,
    check_count,
    check_positive,
    cost_frame,
    cost_from_frames,
    gateway_series,
    group_limits,
    label_set,
    per_candidate,
    per_group,
    preview,
    weight_from_frame,
    weight_series,
)
from borderhub.locate._core.context import Context, read_pulp
from borderhub.locate._core.highs import (
    ArrayBuilder,
    Column,
    ColumnBuilder,
    check_highs_options,
    choose_method,
    is_highs,
    load_highs_solution,
    new_highs,
    objective_scale,
    quiet_highs_banner,
    read_highs,
    run,
    set_solution,
    unit_scale,
)
from borderhub.locate._core.levels import SLACK_MIN, SLACK_PER, Levels
from borderhub.locate._core.local import swap_lists
from borderhub.locate._core.nearest import (
    METRICS,
    Lists,
    PointSource,
    median_positive,
    power_of_two_scale,
    rescale,
)
from borderhub.locate._core.outcome import Outcome, Run, outcome_of, rel_gap
from borderhub.locate._core.points import (
    PointCost,
    PointData,
    list_pairs,
    points_method,
    read_xy,
)
from borderhub.locate._core.policy import Policy
from borderhub.locate._core.starts import SWAP_SECONDS, greedy, heuristic, serve_cost, swap

__all__ = [
    "EQ",
    "GE",
    "LE",
    "SLACK_MIN",
    "SLACK_PER",
    "SWAP_SECONDS",
    "ArrayBuilder",
    "Builder",
    "Column",
    "ColumnBuilder",
    "Context",
    "Levels",
    "Lists",
    "METRICS",
    "PointCost",
    "PointData",
    "PointSource",
    "Outcome",
    "Policy",
    "PulpBuilder",
    "Run",
    "as_float",
    "check_count",
    "check_highs_options",
    "check_positive",
    "choose_method",
    "coo",
    "cost_frame",
    "cost_from_frames",
    "gateway_series",
    "greedy",
    "group_limits",
    "heuristic",
    "is_highs",
    "label_set",
    "list_pairs",
    "load_highs_solution",
    "median_positive",
    "power_of_two_scale",
    "rescale",
    "swap_lists",
    "outcome_of",
    "per_candidate",
    "per_group",
    "points_method",
    "preview",
    "objective_scale",
    "quiet_highs_banner",
    "read_highs",
    "read_pulp",
    "read_xy",
    "rel_gap",
    "run",
    "serve_cost",
    "new_highs",
    "set_solution",
    "unit_scale",
    "swap",
    "values",
    "weight_from_frame",
    "weight_series",
]
