"""Sphinx configuration for the borderhub documentation.

Build (offline, warnings are errors)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import borderhub  # noqa: E402

# -- Project -----------------------------------------------------------------------------

project = "borderhub"
author = "borderhub developers"
copyright = "2026, borderhub developers"
release = borderhub.__version__
version = ".".join(release.split(".")[:2])
language = "en"

# -- Extensions ----------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinxcontrib.bibtex",
    "borderhub_docs",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_generated", "_intersphinx", "Thumbs.db", ".DS_Store"]
root_doc = "index"
source_suffix = {".rst": "restructuredtext"}

# -- autodoc / autosummary / numpydoc ------------------------------------------------------

#: Public submodules; each has a page in docs/api listing its ``__all__``.
PUBLIC_MODULES = [
    "policy",
    "datasets",
    "geo",
    "scoring",
    "locate",
    "maps",
    "robustness",
    "scenarios",
    "plots",
    "plan",
    "cli",
    "exceptions",
]


def _top_level(name: str) -> object:
    """``borderhub.<name>`` as the package exposes it (the function, not a module of its name).

    Importing the module ``borderhub.robustness`` rebinds the package attribute to that
    (callable) module; the documented top-level name is the function.
    """
    value = getattr(borderhub, name)
    if isinstance(value, types.ModuleType) and callable(value):
        value = getattr(value, name)
        setattr(borderhub, name, value)
    return value


def _homes() -> dict[str, str]:
    """Map each top-level name to the submodule name it is documented under."""
    by_id: dict[int, str] = {}
    for module_name in PUBLIC_MODULES:
        try:
            module = importlib.import_module(f"borderhub.{module_name}")
        except ImportError:
            continue
        for name in getattr(module, "__all__", []):
            by_id.setdefault(id(getattr(module, name)), f"borderhub.{module_name}.{name}")
    homes = {}
    for name in borderhub.__all__:
        home = by_id.get(id(_top_level(name)))
        if home:
            homes[name] = home
    return homes


# The top-level re-exports get short pages pointing at the full documentation under their
# submodule (see _templates/autosummary), so each object is documented exactly once.
autosummary_context = {"borderhub_homes": _homes()}
autosummary_generate = True
autosummary_imported_members = False
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options = {"show-inheritance": True}

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    "DataFrame": "pandas.DataFrame",
    "Series": "pandas.Series",
    "Index": "pandas.Index",
    "GeoDataFrame": "geopandas.GeoDataFrame",
    "GeoSeries": "geopandas.GeoSeries",
    "ndarray": "numpy.ndarray",
    "Generator": "numpy.random.Generator",
    "CRS": "pyproj.crs.CRS",
    "Map": "folium.Map",
    "Figure": "matplotlib.figure.Figure",
    "Axes": "matplotlib.axes.Axes",
    "Executor": "concurrent.futures.Executor",
    "Path": "pathlib.Path",
    "Mapping": "collections.abc.Mapping",
    "Sequence": "collections.abc.Sequence",
    "Callable": "collections.abc.Callable",
    "ArgumentParser": "argparse.ArgumentParser",
    # borderhub's own names, wherever a docstring mentions them unqualified
    "BorderhubError": "borderhub.exceptions.BorderhubError",
    "DataError": "borderhub.exceptions.DataError",
    "SpecificationError": "borderhub.exceptions.SpecificationError",
    "InfeasibleError": "borderhub.exceptions.InfeasibleError",
    "SolverError": "borderhub.exceptions.SolverError",
    "Tier": "borderhub.policy.Tier",
    "Criterion": "borderhub.scoring.Criterion",
    "AHPResult": "borderhub.scoring.AHPResult",
    "Solution": "borderhub.locate.Solution",
    "Status": "borderhub.locate.Status",
    "LocationModel": "borderhub.locate.LocationModel",
}
numpydoc_xref_ignore = {
    "or",
    "of",
    "optional",
    "default",
    "array-like",
    "array_like",
    "like",
    "shape",
    "sequence",
    "mapping",
    "iterable",
    "scalar",
    "n",
    "m",
    "k",
    "p",
    "None,",
}

# -- intersphinx: offline inventories shipped in docs/_intersphinx ---------------------------
# The build never downloads anything: each mapping points at the project's documentation
# for the links, and at a local inventory (written by _intersphinx/make_inventories.py) for
# the object names.

_INV = HERE / "_intersphinx"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", str(_INV / "python.inv")),
    "numpy": ("https://numpy.org/doc/stable/", str(_INV / "numpy.inv")),
    "pandas": ("https://pandas.pydata.org/docs/", str(_INV / "pandas.inv")),
    "geopandas": ("https://geopandas.org/en/stable/", str(_INV / "geopandas.inv")),
    "pyproj": ("https://pyproj4.github.io/pyproj/stable/", str(_INV / "pyproj.inv")),
    "shapely": ("https://shapely.readthedocs.io/en/stable/", str(_INV / "shapely.inv")),
    "folium": (
        "https://python-visualization.github.io/folium/latest/",
        str(_INV / "folium.inv"),
    ),
    "matplotlib": ("https://matplotlib.org/stable/", str(_INV / "matplotlib.inv")),
    "distributed": ("https://distributed.dask.org/en/stable/", str(_INV / "distributed.inv")),
    "pulp": ("https://coin-or.github.io/pulp/", str(_INV / "pulp.inv")),
}
intersphinx_timeout = 5

# -- Bibliography --------------------------------------------------------------------------

bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- Math ----------------------------------------------------------------------------------
# MathJax renders the formulations in the reader's browser. It is served from the site itself
# (MathJax 3.2.2, es5/tex-svg.js from the npm package, Apache-2.0, licence beside it), so the
# equations render offline and where public CDNs are blocked.

mathjax_path = "mathjax/tex-svg.js"
mathjax3_config = {"tex": {"macros": {"R": r"\mathbb{R}"}}}

# -- HTML ----------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"borderhub {release}"
html_static_path = ["_static"]
html_extra_path = ["_generated/extra"]
html_css_files = ["borderhub.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
# pages without sub-pages need no section navigation on the left
html_sidebars = {
    page: []
    for page in [
        "index",
        "getting-started",
        "worked-analysis",
        "formulations",
        "data-provenance",
        "cli",
        "changelog",
        "references",
    ]
}

# -- borderhub_docs extension ---------------------------------------------------------------

borderhub_run_worked_analysis = True
