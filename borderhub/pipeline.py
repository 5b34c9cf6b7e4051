"""The main job's old home: the names of :mod:`borderhub.plan`, importable from here too.

The plan lives in the package :mod:`borderhub.plan` (``config``, ``run``, ``result``,
``write``); ``from borderhub.pipeline import run_plan, PlanConfig`` keeps working.

Examples
--------
>>> from borderhub.pipeline import PlanConfig, run_plan
>>> from borderhub import plan
>>> run_plan is plan.run_plan and PlanConfig is plan.PlanConfig
True
"""

from __future__ import annotations

from borderhub.plan.config import DEFAULT_P as DEFAULT_P
from borderhub.plan.config import PlanConfig, PlanOptionError
from borderhub.plan.progress import PlanEvent
from borderhub.plan.result import PlanResult
from borderhub.plan.run import run_plan
from borderhub.plan.write import OUTPUTS

__all__ = ["run_plan", "PlanConfig", "PlanResult", "PlanEvent", "PlanOptionError", "OUTPUTS"]
