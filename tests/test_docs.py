"""The documentation: complete numpydoc docstrings, a complete API reference, a clean build.

* every public name (``borderhub.__all__`` and each public submodule's ``__all__``) has a
  numpydoc docstring with Parameters (when it takes any), Returns (when it returns
  something) and Examples sections;
* every public name is listed in an autosummary table of ``docs/api/*.rst``;
* the Markdown pages the docs include convert to reStructuredText without warnings, and the
  offline intersphinx inventories match their generator;
* (slow) ``sphinx-build -W --keep-going`` builds the site, which also runs the worked
  analysis.
"""

from __future__ import annotations

import dataclasses
import doctest
import enum
import importlib
import importlib.util
import inspect
import os
import re
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import pytest

import borderhub

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: Public submodules documented in the API reference (``docs/api/<name>.rst``).
PUBLIC_MODULES = [
    "policy",
    "datasets",
    "geo",
    "network",
    "scoring",
    "locate",
    "flows",
    "flowmap",
    "maps",
    "scenarios",
    "plots",
    "report",
    "plan",
    "io",
    "cli",
    "exceptions",
]


def _existing_modules() -> list[str]:
    return [m for m in PUBLIC_MODULES if importlib.util.find_spec(f"borderhub.{m}") is not None]


MODULES = _existing_modules()


def _public_objects() -> dict[str, object]:
    """Map qualified name -> object for every public function and class (deduplicated)."""
    found: dict[str, object] = {}
    seen: set[int] = set()
    sources = [("borderhub", borderhub)]
    sources += [(f"borderhub.{m}", importlib.import_module(f"borderhub.{m}")) for m in MODULES]
    for prefix, module in sources:
        for name in getattr(module, "__all__", []):
            if name.startswith("__"):
                continue
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not (inspect.isclass(obj) or callable(obj)):
                continue  # modules have their own page; constants are documented inline
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            found[f"{prefix}.{name}"] = obj
    return found


PUBLIC = _public_objects()


def _takes_parameters(func, *, bound: bool) -> bool:
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return False
    if bound and params and params[0].name in ("self", "cls"):
        params = params[1:]
    return bool(params)


def _returns_something(func) -> bool:
    try:
        annotation = inspect.signature(func).return_annotation
    except (TypeError, ValueError):
        return True
    return annotation not in (None, "None", type(None))


def _public_methods(cls) -> dict[str, object]:
    """Public methods and properties defined by borderhub classes in ``cls``'s MRO."""
    methods: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("borderhub"):
            continue
        for name, member in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(member, staticmethod | classmethod):
                member = member.__func__
            if inspect.isfunction(member) or isinstance(member, property):
                methods[name] = member
    return methods


def _docstring_problems(qualname: str, obj) -> list[str]:
    from numpydoc.docscrape import ClassDoc, FunctionDoc, NumpyDocString

    problems: list[str] = []
    doc = inspect.getdoc(obj)
    if not doc:
        return [f"{qualname}: no docstring"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            parsed = (
                ClassDoc(obj, config={"show_class_members": False})
                if inspect.isclass(obj)
                else FunctionDoc(obj)
            )
        except Exception as err:  # numpydoc raises ValueError/Warning on malformed sections
            return [f"{qualname}: docstring is not valid numpydoc ({err})"]
    if not parsed["Examples"]:
        problems.append(f"{qualname}: no Examples section")
    if inspect.isclass(obj):
        is_enum = issubclass(obj, enum.Enum)
        is_exception = issubclass(obj, BaseException)
        if not (is_enum or is_exception) and _takes_parameters(obj.__init__, bound=True):
            # a dataclass's fields are its parameters: an Attributes section documents them
            fields_documented = dataclasses.is_dataclass(obj) and parsed["Attributes"]
            if not (parsed["Parameters"] or fields_documented):
                problems.append(f"{qualname}: no Parameters section")
        for name, member in _public_methods(obj).items():
            where = f"{qualname}.{name}"
            if isinstance(member, property):
                if not inspect.getdoc(member):
                    problems.append(f"{where}: property without a docstring")
                continue
            mdoc = inspect.getdoc(member)
            if not mdoc:
                problems.append(f"{where}: no docstring")
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    mparsed = NumpyDocString(mdoc)
            except Exception as err:
                problems.append(f"{where}: docstring is not valid numpydoc ({err})")
                continue
            is_static = isinstance(inspect.getattr_static(obj, name), staticmethod)
            if _takes_parameters(member, bound=not is_static) and not mparsed["Parameters"]:
                problems.append(f"{where}: no Parameters section")
            if _returns_something(member) and not (mparsed["Returns"] or mparsed["Yields"]):
                problems.append(f"{where}: no Returns section")
    else:
        if _takes_parameters(obj, bound=False) and not parsed["Parameters"]:
            problems.append(f"{qualname}: no Parameters section")
        if _returns_something(obj) and not (parsed["Returns"] or parsed["Yields"]):
            problems.append(f"{qualname}: no Returns section")
    return problems


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_public_docstring_is_complete_numpydoc(qualname):
    problems = _docstring_problems(qualname, PUBLIC[qualname])
    assert not problems, "\n".join(problems)


def test_public_names_found():
    # guard against the collection above silently finding nothing
    assert "borderhub.distance_matrix" in PUBLIC
    assert "borderhub.DataError" in PUBLIC


# ----------------------------------------------------------------------------------------
# The API reference lists every public name
# ----------------------------------------------------------------------------------------


def _api_reference() -> tuple[set[str], set[str]]:
    """Return (names in autosummary tables, modules given an automodule) of docs/api/*.rst."""
    listed: set[str] = set()
    modules: set[str] = set()
    for path in sorted((DOCS / "api").glob("*.rst")):
        current = ""
        in_autosummary = False
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^\.\. (?:py:)?currentmodule:: (\S+)", line)
            if m:
                current = m.group(1)
                in_autosummary = False
                continue
            m = re.match(r"^\.\. automodule:: (\S+)", line)
            if m:
                modules.add(m.group(1))
                in_autosummary = False
                continue
            if re.match(r"^\.\. autosummary::", line):
                in_autosummary = True
                continue
            if in_autosummary:
                if line.strip() == "" or line.lstrip().startswith(":"):
                    continue
                if not line.startswith(" "):
                    in_autosummary = False
                    continue
                entry = line.strip().lstrip("~")
                listed.add(entry if entry.startswith("borderhub") else f"{current}.{entry}")
    return listed, modules


def _expected_reference_names() -> list[str]:
    names = [f"borderhub.{n}" for n in borderhub.__all__ if not n.startswith("__")]
    for m in MODULES:
        module = importlib.import_module(f"borderhub.{m}")
        names += [f"borderhub.{m}.{n}" for n in getattr(module, "__all__", [])]
    return sorted(set(names))


@pytest.mark.parametrize("qualname", _expected_reference_names())
def test_public_name_in_api_reference(qualname):
    listed, modules = _api_reference()
    obj_module, _, attr = qualname.rpartition(".")
    obj = getattr(importlib.import_module(obj_module), attr)
    if inspect.ismodule(obj):
        if obj.__name__ not in modules:
            pytest.fail(f"no docs/api page with `.. automodule:: {obj.__name__}`")
    elif qualname not in listed:
        pytest.fail(
            f"{qualname} is public but missing from the autosummary lists in docs/api/*.rst"
        )


@pytest.mark.parametrize("module", MODULES)
def test_public_module_has_api_page(module):
    _, modules = _api_reference()
    if f"borderhub.{module}" not in modules:
        pytest.fail(f"add docs/api/{module}.rst with `.. automodule:: borderhub.{module}`")


# ----------------------------------------------------------------------------------------
# Examples in the documentation pages run too
# ----------------------------------------------------------------------------------------

PAGES_WITH_EXAMPLES = sorted(
    str(p.relative_to(DOCS))
    for p in DOCS.rglob("*.rst")
    if "_build" not in p.parts
    and "generated" not in p.parts
    and ">>> " in p.read_text(encoding="utf-8")
)


_RUN_PAGE = """
import doctest, sys
flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
result = doctest.testfile(sys.argv[1], module_relative=False, optionflags=flags, encoding="utf-8")
sys.exit(1 if result.failed or not result.attempted else 0)
"""


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES)
def test_examples_in_docs_pages_run(page, tmp_path):
    """Each page's examples (the user guide's code blocks among them) in a fresh interpreter.

    The blocks of one page build on each other, as a reader types them; no other page's
    imports help them (``bh.scoring`` must work because ``import borderhub`` makes it so).
    """
    proc = subprocess.run(
        [sys.executable, "-c", _RUN_PAGE, str(DOCS / page)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, f"examples in docs/{page} fail:\n{proc.stdout[-4000:]}"


def test_user_guide_pages_have_examples():
    """Every user-guide page with interactive (pycon) blocks is among the pages run above."""
    pages = {
        str(p.relative_to(DOCS))
        for p in (DOCS / "user-guide").glob("*.rst")
        if ".. code-block:: pycon" in p.read_text(encoding="utf-8")
    }
    assert pages and pages <= set(PAGES_WITH_EXAMPLES), sorted(pages - set(PAGES_WITH_EXAMPLES))


def test_every_public_submodule_is_an_attribute_in_a_fresh_interpreter():
    import pkgutil

    names = sorted(
        m.name for m in pkgutil.iter_modules(borderhub.__path__) if not m.name.startswith("_")
    )
    assert set(PUBLIC_MODULES) <= set(names) | {"robustness"}, names
    code = (
        "import sys, borderhub as bh\n"
        f"names = {names!r}\n"
        "assert all(n in dir(bh) for n in names)\n"
        "found = {n: getattr(bh, n) for n in names}\n"
        "missing = [n for n, v in found.items() if isinstance(v, type(sys)) and "
        "v.__name__ != 'borderhub.' + n]\n"
        "import pandas as pd\n"
        "gaps = bh.scoring.missing_values(pd.DataFrame({'a': [1.0, None]}), {'a': 'benefit'})\n"
        "print(missing, len(gaps))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ["[]", "1"]


@pytest.mark.slow
def test_getting_started_example_runs(tmp_path):
    script = DOCS / "examples" / "first_analysis.py"
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "optimal" in proc.stdout
    assert (tmp_path / "corridors.html").stat().st_size > 10_000


# ----------------------------------------------------------------------------------------
# Build helpers shipped with the docs
# ----------------------------------------------------------------------------------------


def _import_docs_module(name: str):
    sys.path.insert(0, str(DOCS / "_ext"))
    sys.path.insert(0, str(DOCS / "_intersphinx"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(DOCS / "_ext"))
        sys.path.remove(str(DOCS / "_intersphinx"))


def test_markdown_converter_doctests():
    module = _import_docs_module("mdconvert")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    "source", ["CHANGELOG.md", "data/cities/README.md", "README.md"], ids=lambda s: s
)
def test_included_markdown_converts_to_clean_rst(source):
    docutils_core = pytest.importorskip("docutils.core")
    path = ROOT / source
    if not path.is_file():
        pytest.skip(f"{source} not in this checkout")
    rst = _import_docs_module("mdconvert").markdown_to_rst(path.read_text(encoding="utf-8"))
    # report_level 2 + halt_level 2: any warning raises SystemMessage
    docutils_core.publish_doctree(
        rst, settings_overrides={"report_level": 2, "halt_level": 2, "warning_stream": False}
    )


def test_markdown_converter_escapes_and_nests():
    md = _import_docs_module("mdconvert")
    docutils_core = pytest.importorskip("docutils.core")
    text = (
        "# T\n\nA *lone star, |pipe| and name_ with `code_`.\n\n"
        "| a | b |\n|---|---|\n| `x` | 2 \\| 3 |\n\n"
        "1. one\n   continued\n2. two\n   - nested **bold**中文\n\n```csv\na,b\n```\n"
    )
    rst = md.markdown_to_rst(text)
    tree = docutils_core.publish_doctree(
        rst, settings_overrides={"report_level": 2, "halt_level": 2, "warning_stream": False}
    )
    plain = tree.astext()
    assert "A *lone star, |pipe| and name_ with code_." in plain
    assert "2 | 3" in plain and "中文" in plain


def test_intersphinx_inventories_are_current():
    gen = _import_docs_module("make_inventories")
    for project in gen.INVENTORIES:
        data = (DOCS / "_intersphinx" / f"{project}.inv").read_bytes()
        header_end = 0
        for _ in range(4):
            header_end = data.index(b"\n", header_end) + 1
        assert data.startswith(b"# Sphinx inventory version 2\n")
        body = zlib.decompress(data[header_end:]).decode()
        assert body == gen.inventory_text(project), (
            f"docs/_intersphinx/{project}.inv is stale: run docs/_intersphinx/make_inventories.py"
        )


# ----------------------------------------------------------------------------------------
# The full build, as CI runs it
# ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_sphinx_build_has_no_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    pytest.importorskip("sphinxcontrib.bibtex")
    pytest.importorskip("pydata_sphinx_theme")
    out = tmp_path / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "docs", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-8000:]
    assert (out / "index.html").is_file()
    assert (out / "worked-analysis.html").is_file()
    for name in ("distance_matrix", "DataError"):
        assert (out / "api" / "generated" / f"borderhub.{name}.html").is_file()
    # the worked analysis ran: its map is embedded, self-contained, and its numbers are in
    page = (out / "worked-analysis.html").read_text(encoding="utf-8")
    assert 'src="worked/corridor_map.html"' in page
    map_html = (out / "worked" / "corridor_map.html").read_text(encoding="utf-8")
    assert "L.map(" in map_html or "L.map (" in map_html
    assert not re.search(r"(src|href)=\"https?://[^\"]*\.(js|css)\"", map_html)
    assert "optimal" in page
