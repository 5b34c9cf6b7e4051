"""A model declares itself: one class and one registration line make it a model of the plan.

The class below lives in this file alone. Registering it makes it a choice of ``borderhub
plan --model`` (with its parameters' flags and help), a model of :class:`PlanConfig` (its
declared parameters apply, the others do not) and of :func:`run_plan`.
"""

from __future__ import annotations

import numpy as np
import pytest

from borderhub import PlanConfig, run_plan
from borderhub.cli import build_parser, main
from borderhub.geo import distance_matrix
from borderhub.locate import (
    MODEL_TITLES,
    MODELS,
    P_MODELS,
    Param,
    PMedian,
    model_class,
    model_name,
    register,
)
from borderhub.plan.config import PlanOptionError


class UnitMedian(PMedian):
    """p-median in which every demand unit counts once, whatever its weight."""

    name = "unitmedian"
    title = "p-median of units"
    about = "minimise the summed distance of the demand units (each counts once)"
    parameters = {"p": Param(int, low=1, default=4, help="number of centres", metavar="N")}
    cost_label = "summed distance (km)"

    def __init__(self, cost, weights=None, *, p, **policy):
        super().__init__(cost, None, p=p, **policy)


register(UnitMedian)


def test_the_registry_lists_the_new_model():
    assert MODELS["unitmedian"] == "UnitMedian"
    assert MODEL_TITLES["unitmedian"] == "p-median of units"
    assert "unitmedian" in P_MODELS
    assert model_class("unitmedian") is UnitMedian and model_name(UnitMedian) == "unitmedian"
    assert list(MODELS)[:6] == ["pmedian", "pcenter", "mclp", "lscp", "fixed", "crossborder"]


def test_the_command_line_offers_it(capsys):
    args = build_parser().parse_args(["plan", "--out", "unused", "--model", "unitmedian"])
    assert args.model == "unitmedian" and args.p is None
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "unitmedian: minimise the summed distance of the demand units" in text
    assert "--model pmedian, pcenter, mclp, crossborder (instead of --fixed-cost), unitmedian" in (
        text
    )
    assert main(["solve", "--model", "unitmedian", "--radius", "50", "-q"]) == 2
    err = capsys.readouterr().err
    assert "--radius does not apply to --model unitmedian" in err


def test_plan_config_reads_its_declaration():
    config = PlanConfig(model="unitmedian")
    assert config.model_class() is UnitMedian and config.params() == {"p": 4}
    assert PlanConfig(model="unitmedian", p=2).params() == {"p": 2}
    with pytest.raises(PlanOptionError, match="radius does not apply to model 'unitmedian'"):
        PlanConfig(model="unitmedian", radius=100)
    with pytest.raises(PlanOptionError, match="p must be a positive whole number"):
        PlanConfig(model="unitmedian", p=0)
    # a gateway term applies to every model but the cross-border one: the new one included
    with pytest.raises(PlanOptionError, match=r"\(only to pmedian, .*, fixed, unitmedian\)"):
        PlanConfig(model="crossborder", gateway_weight=1.0)


def test_run_plan_solves_it_and_the_command_line_prints_it(capsys):
    result = run_plan(model="unitmedian", p=3, provinces="广东", score=False)
    cost = distance_matrix(result.demand, result.candidates)
    expected = PMedian.from_cost_matrix(cost, p=3).solve()  # unweighted
    assert result.solution.status == "optimal"
    assert sorted(result.solution.open) == sorted(expected.open)
    assert result.solution.objective == pytest.approx(expected.objective)
    assert result.manifest["model"]["name"] == "unitmedian"
    assert result.manifest["model"]["class"] == "UnitMedian"
    assert np.all(result.solution.assignment["weight"] == 1.0)
    assert result.title == "borderhub: p-median of units plan"
    assert main(["solve", "--model", "unitmedian", "--p", "3", "--provinces", "广东", "-q"]) == 0
    assert capsys.readouterr().out.startswith("p-median of units (p=3) over 21 demand units")


@pytest.mark.parametrize(
    ("cls", "fragment"),
    [
        (int, "LocationModel subclass"),
        (type("Nameless", (PMedian,), {"name": None}), "must declare name"),
        (type("Shouting", (PMedian,), {"name": "LOUD"}), "lower-case"),
        (type("Twin", (PMedian,), {"name": "pmedian"}), "taken by PMedian"),
        (type("UnitMedian", (PMedian,), {"name": "unitmedian", "__module__": "other"}), "taken"),
        (type("Loose", (PMedian,), {"name": "loose", "parameters": {"p": 3}}), "Param"),
    ],
)
def test_register_refuses_an_incomplete_declaration(cls, fragment):
    from borderhub.exceptions import SpecificationError

    with pytest.raises(SpecificationError, match=fragment):
        register(cls)
