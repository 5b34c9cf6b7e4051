"""The shape of the package: layers, no import circle, no borrowed private names, small units.

Read from the source with :mod:`ast` (nothing is imported), so the checks are exact and fast:

* **layers** -- each top-level unit of ``borderhub`` (a module or a subpackage) sits in one
  layer of :data:`LAYERS`; an import goes down or sideways, never up. Lazy imports inside
  functions count (they are dependencies too); ``if TYPE_CHECKING:`` blocks do not.
* **no circle** -- the graph of imports between units has no cycle, and neither has the
  graph between the modules of one package (edges into a package's own ``__init__``, its
  face, aside).
* **no borrowed private names** -- ``from borderhub.x import _name`` only inside one
  package's own core (a ``_core`` module or package of that package); the package face
  (``borderhub/__init__.py``) is imported by nobody.
* **small units** -- no module over :data:`MAX_MODULE_LINES` lines, no function body
  (without its docstring) over :data:`MAX_FUNCTION_LINES` lines, except the few named in
  :data:`ALLOWED` with the reason.

Every violation fails at once.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "borderhub"

#: The layers, lowest first. A unit may import units of its own layer or of lower ones.
#: Private top-level helpers (``borderhub/_x.py``) not named here sit in the lowest layer.
LAYERS: list[tuple[str, frozenset[str]]] = [
    (
        "foundations",
        frozenset({"exceptions", "policy", "figures", "datasets", "geo", "network", "io"}),
    ),
    ("models", frozenset({"scoring", "locate", "flows", "routes"})),
    (
        "analyses and outputs",
        frozenset(
            {"robustness", "scenarios", "maps", "plots", "report", "flowmap", "_cartography"}
        ),
    ),
    ("the plan", frozenset({"plan", "pipeline"})),
    ("command line", frozenset({"cli", "__main__"})),
]

MAX_MODULE_LINES = 1000
MAX_FUNCTION_LINES = 120

#: Justified exceptions to the size limits: key -> reason.
ALLOWED: dict[str, str] = {}


# ------------------------------------------------------------------------------------------
# reading the package
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module, dotted (the module a name comes from)
    name: str | None  # the name imported from it (None for `import x`)
    line: int


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            if name == "TYPE_CHECKING":
                for stmt in node.body:
                    lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    return lines


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(module: str) -> Iterator[Import]:
    path = MODULES[module]
    tree = _tree(path)
    skip = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "borderhub":
                    yield Import(module, alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if _is_package(module) else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join(package + ([base] if base else []))
            if base.split(".")[0] != "borderhub":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in MODULES:  # `from borderhub import scoring`: the module itself
                    yield Import(module, sub, None, node.lineno)
                else:
                    yield Import(module, base, alias.name, node.lineno)


IMPORTS = [imp for module in MODULES for imp in _imports(module)]


def _unit(module: str) -> str:
    """The top-level unit of a module: ``borderhub.locate._milp`` -> ``locate``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""  # "" is the package face


def _layer(unit: str) -> int:
    for rank, (_, units) in enumerate(LAYERS):
        if unit in units:
            return rank
    if unit.startswith("_"):
        return 0
    raise LookupError(unit)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


# ------------------------------------------------------------------------------------------
# the checks: each returns its violations as stable keys
# ------------------------------------------------------------------------------------------


def unplaced_units() -> set[str]:
    out = set()
    for module in MODULES:
        unit = _unit(module)
        if not unit:
            continue
        try:
            _layer(unit)
        except LookupError:
            out.add(f"unplaced:{unit}")
    return out


def upward_imports() -> set[str]:
    out = set()
    for imp in IMPORTS:
        src, dst = _unit(imp.source), _unit(imp.target)
        if not src or not dst or src == dst:
            continue
        try:
            if _layer(dst) > _layer(src):
                out.add(f"upward:{src}->{dst}")
        except LookupError:
            continue  # reported by unplaced_units
    return out


def face_imports() -> set[str]:
    return {
        f"face:{imp.source}"
        for imp in IMPORTS
        if imp.target == "borderhub" and imp.source != "borderhub"
    }


def unit_cycles() -> set[str]:
    edges: dict[str, set[str]] = {}
    for imp in IMPORTS:
        src, dst = _unit(imp.source), _unit(imp.target)
        if src and dst and src != dst:
            edges.setdefault(src, set()).add(dst)
    return {"cycle:" + "<->".join(c) for c in _cycles(edges)}


def module_cycles() -> set[str]:
    """Cycles between the modules of one package (imports of the package face aside)."""
    edges: dict[str, set[str]] = {}
    for imp in IMPORTS:
        src, dst = imp.source, imp.target
        if _unit(src) != _unit(dst) or src == dst or dst not in MODULES:
            continue
        if _is_package(dst) and src.startswith(dst + "."):
            continue  # a submodule reading its own package's face
        edges.setdefault(src, set()).add(dst)
    return {"cycle:" + "<->".join(c) for c in _cycles(edges)}


def _in_core(module: str, package: str) -> bool:
    rest = module[len(package) :].split(".")
    return module.startswith(package + ".") and "_core" in rest


def private_imports() -> set[str]:
    out = set()
    for imp in IMPORTS:
        name = imp.name
        if name is None or not name.startswith("_") or name.startswith("__"):
            continue
        if imp.target == imp.source:
            continue
        # allowed: both sides inside the same package, the imported module in its _core
        package = ".".join(imp.target.split(".")[:2])
        if _in_core(imp.target, package) and imp.source.startswith(package + "."):
            continue
        out.add(f"private:{imp.source}<-{imp.target}.{name}")
    return out


def long_modules() -> set[str]:
    out = set()
    for path in MODULES.values():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            out.add(f"module:{path.relative_to(ROOT).as_posix()}")
    return out


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    first = body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        body = body[1:]
    if not body:
        return 0
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


def _functions(node: ast.AST, prefix: str) -> Iterator[tuple[str, ast.FunctionDef]]:
    """Every function and method under ``node`` with its qualified name."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{child.name}"
            yield name, child  # type: ignore[misc]
            yield from _functions(child, name + ".")
        elif isinstance(child, ast.ClassDef):
            yield from _functions(child, f"{prefix}{child.name}.")
        else:
            yield from _functions(child, prefix)


def function_lengths() -> dict[str, int]:
    """``path::qualified.name`` -> lines of its body without the docstring."""
    out: dict[str, int] = {}
    for path in MODULES.values():
        tree = _tree(path)
        rel = path.relative_to(ROOT).as_posix()
        for name, node in _functions(tree, ""):
            out[f"function:{rel}::{name}"] = _body_lines(node)
    return out


def long_functions() -> set[str]:
    return {k for k, n in function_lengths().items() if n > MAX_FUNCTION_LINES}


CHECKS = {
    "every unit placed in a layer": unplaced_units,
    "no import from a lower layer to a higher one": upward_imports,
    "nobody imports the package face": face_imports,
    "no circle between units": unit_cycles,
    "no circle between the modules of a package": module_cycles,
    "no private name imported from another module": private_imports,
    f"no module over {MAX_MODULE_LINES} lines": long_modules,
    f"no function body over {MAX_FUNCTION_LINES} lines": long_functions,
}


@functools.cache
def _all_violations() -> frozenset[str]:
    return frozenset().union(*(check() for check in CHECKS.values()))


# ------------------------------------------------------------------------------------------
# the tests
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("check", list(CHECKS))
def test_no_new_violation(check):
    """Every violation fails, unless it is a justified exception (ALLOWED)."""
    found = CHECKS[check]() - set(ALLOWED)
    assert not found, f"{check}: " + "; ".join(sorted(found))


def test_allowed_exceptions_are_still_needed():
    """A justified exception that no longer applies is deleted from ALLOWED."""
    stale = set(ALLOWED) - _all_violations()
    assert not stale, "no longer needed in ALLOWED: " + "; ".join(sorted(stale))


def test_the_checks_catch_what_they_claim(tmp_path):
    """The graph helpers find a planted cycle and a planted long function."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    source = "def f():\n    '''doc\n    more'''\n" + "    x = 1\n" * 130
    (node,) = ast.parse(source).body
    assert isinstance(node, ast.FunctionDef) and _body_lines(node) == 130
    assert _layer("_anything_private") == 0
    with pytest.raises(LookupError):
        _layer("a_new_public_module")
