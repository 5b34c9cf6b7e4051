"""The main job as one library call: :func:`run_plan` -> :class:`PlanResult` -> ``save()``.

``borderhub plan`` is ``run_plan(...).save(out)`` plus printing. The package has one module
per step:

:mod:`borderhub.plan.config`
    :class:`PlanConfig`, every option, validated from the models' declarations.
:mod:`borderhub.plan.run`
    :func:`run_plan`: loads the data, scores, solves and computes every analysis the
    result shows.
:mod:`borderhub.plan.result`
    :class:`PlanResult`: holds what the run computed (tables, maps, manifest).
:mod:`borderhub.plan.write`
    ``PlanResult.save``: writes the files; computes nothing new.
:mod:`borderhub.plan.schema`, :mod:`borderhub.plan.criteria`, :mod:`borderhub.plan.region`
    A study's own tables (Chinese headers, units, checks), criteria, extent and language.
:mod:`borderhub.plan.template`
    :func:`write_template` (``borderhub template``): a study's input files to start from.

Examples
--------
>>> from borderhub.plan import run_plan
>>> run_plan(p=3, provinces="广东").solution.status
'optimal'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from borderhub._lazy import lazy_face

_LAZY = {
    "PlanConfig": "borderhub.plan.config",
    "PlanOptionError": "borderhub.plan.config",
    "DEFAULT_P": "borderhub.plan.config",
    "run_plan": "borderhub.plan.run",
    "PlanEvent": "borderhub.plan.progress",
    "PlanResult": "borderhub.plan.result",
    "OUTPUTS": "borderhub.plan.write",
    "check_save_folder": "borderhub.plan.write",
    "write_template": "borderhub.plan.template",
}

__all__ = [
    "run_plan",
    "PlanConfig",
    "PlanResult",
    "PlanEvent",
    "PlanOptionError",
    "OUTPUTS",
    "DEFAULT_P",
    "check_save_folder",
    "write_template",
]


__getattr__, __dir__ = lazy_face(__name__, _LAZY, __all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from borderhub.plan.config import DEFAULT_P, PlanConfig, PlanOptionError
    from borderhub.plan.progress import PlanEvent
    from borderhub.plan.result import PlanResult
    from borderhub.plan.run import run_plan
    from borderhub.plan.template import write_template
    from borderhub.plan.write import OUTPUTS, check_save_folder
