"""The shared machinery of borderhub.locate lives in one place: ``borderhub.locate._core``.

Model and method modules import it from there under public names; no module imports
another module's underscore name, and ``_core`` imports no model or method.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import borderhub.locate

LOCATE = Path(borderhub.locate.__file__).parent
CORE = LOCATE / "_core"


def _imports(path: Path) -> list[tuple[str, str, int]]:
    """(module, imported name, line) of every ``from ... import`` in the file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [(node.module, a.name, node.lineno) for a in node.names]
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@pytest.mark.parametrize(
    "path", sorted(LOCATE.rglob("*.py")), ids=lambda p: str(p.relative_to(LOCATE))
)
def test_no_underscore_name_is_imported_from_another_module(path):
    bad = [
        f"line {line}: from {mod} import {name}"
        for mod, name, line in _imports(path)
        if mod.startswith("borderhub") and _private(name)
    ]
    assert not bad, bad


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_imports_no_model_or_method(path):
    # distances come from geo, or from routes (network distances; it imports nothing of
    # locate), never from a model or method module
    allowed = ("borderhub.locate._core", "borderhub.locate.solution", "borderhub.exceptions",
               "borderhub._native", "borderhub.geo", "borderhub.routes", "borderhub._lonlat",
               "borderhub._interrupt")  # fmt: skip
    bad = [
        f"line {line}: from {mod} import {name}"
        for mod, name, line in _imports(path)
        if mod.startswith("borderhub") and not mod.startswith(allowed)
    ]
    assert not bad, bad


def test_the_row_senses_are_defined_once():
    """GE / LE / EQ: one definition, shared by the PuLP and the HiGHS back ends."""
    import pulp

    from borderhub.locate._core import EQ, GE, LE, builder, highs

    assert (GE, LE, EQ) == (pulp.LpConstraintGE, pulp.LpConstraintLE, pulp.LpConstraintEQ)
    assert highs.GE is builder.GE and highs.LE is builder.LE and highs.EQ is builder.EQ
    defined = [
        p.name
        for p in LOCATE.rglob("*.py")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        for n in (t.elts if isinstance(t, ast.Tuple) else [t])
        if isinstance(n, ast.Name) and n.id in ("GE", "LE", "EQ")
    ]
    assert defined == ["builder.py"] * 3


def test_every_back_end_states_the_same_model():
    """The PuLP, array and column builders receive one formulation and agree on its optimum."""
    import numpy as np

    from borderhub.locate import PMedian
    from borderhub.locate._core import ArrayBuilder, ColumnBuilder, Context, Levels, PulpBuilder

    rng = np.random.default_rng(3)
    C = rng.integers(1, 60, (12, 6)).astype(float)
    w = rng.integers(1, 9, 12).astype(float)
    model = PMedian.from_cost_matrix(C, w, p=2, required=[4])
    model._prepare()
    exact = min(
        float(w @ C[:, [a, 4]].min(axis=1)) for a in range(6) if a != 4
    )  # brute force: 4 is required
    lv = Levels(C, 6 - 2 + 1)
    k = lv.full
    ctx = Context("highs", None, None, False)
    objectives = []
    pb = PulpBuilder("t")
    y = model._open_block(pb)
    lv.add_rows(pb, y, w, k)
    objectives.append(ctx.run(pb).objective)
    import highspy

    cb = ColumnBuilder()
    y = model._open_block(cb)
    lv.add_rows(cb, y, w, k)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    cb.load(h)
    h.run()
    objectives.append(h.getInfo().objective_function_value + cb.constant)
    ab = ArrayBuilder()
    yi = ab.variables("y", 6, 0, 1, binary=True)
    ab.rows("card", np.zeros(6, dtype=np.int64), yi, 1.0, 0, 2.0, 1)
    ab.rows("req", np.zeros(1, dtype=np.int64), yi[[4]], 1.0, 1, 1.0, 1)
    z, _, _ = lv.add_rows(ab, yi, w, k)
    h = ab.highs(ctx, yi)
    h.run()
    objectives.append(h.getInfo().objective_function_value)
    assert objectives == pytest.approx([exact] * 3)
