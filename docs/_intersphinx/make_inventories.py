"""Write the offline intersphinx inventories used by the documentation build.

The documentation must build without a network connection, so instead of downloading each
project's ``objects.inv`` at build time, borderhub ships small inventories of the objects
its docstrings mention, mapped to the projects' official documentation URLs. Regenerate
them after adding an entry below::

    python docs/_intersphinx/make_inventories.py

The files are Sphinx inventory version 2 (zlib-compressed), one per project.
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: project -> (base URL, version, [(name, role, relative URI), ...]).  A URI ending in
#: ``$`` gets the object's name appended (the inventory format's shorthand).
INVENTORIES: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {}


def _pandas() -> list[tuple[str, str, str]]:
    entries = []
    for name, role in [
        ("pandas.DataFrame", "class"),
        ("pandas.Series", "class"),
        ("pandas.Index", "class"),
        ("pandas.MultiIndex", "class"),
        ("pandas.Categorical", "class"),
        ("pandas.Timestamp", "class"),
        ("pandas.Int64Dtype", "class"),
        ("pandas.NA", "data"),
        ("pandas.read_csv", "function"),
        ("pandas.concat", "function"),
        ("pandas.merge", "function"),
        ("pandas.isna", "function"),
        ("pandas.DataFrame.to_csv", "method"),
        ("pandas.DataFrame.sort_values", "method"),
        ("pandas.DataFrame.join", "method"),
        ("pandas.DataFrame.merge", "method"),
        ("pandas.DataFrame.loc", "attribute"),
        ("pandas.DataFrame.index", "attribute"),
        ("pandas.DataFrame.columns", "attribute"),
        ("pandas.DataFrame.head", "method"),
        ("pandas.DataFrame.to_string", "method"),
        ("pandas.DataFrame.copy", "method"),
        ("pandas.DataFrame.rank", "method"),
        ("pandas.Series.rank", "method"),
        ("pandas.Series.map", "method"),
        ("pandas.Series.to_csv", "method"),
        ("pandas.Series.sort_values", "method"),
    ]:
        entries.append((name, role, f"reference/api/{name}.html#$"))
    return entries


def _geopandas() -> list[tuple[str, str, str]]:
    entries = []
    for name, role in [
        ("geopandas.GeoDataFrame", "class"),
        ("geopandas.GeoSeries", "class"),
        ("geopandas.read_file", "function"),
        ("geopandas.points_from_xy", "function"),
        ("geopandas.GeoDataFrame.to_crs", "method"),
        ("geopandas.GeoDataFrame.set_crs", "method"),
        ("geopandas.GeoDataFrame.explore", "method"),
        ("geopandas.GeoDataFrame.to_file", "method"),
        ("geopandas.GeoDataFrame.crs", "attribute"),
        ("geopandas.GeoSeries.to_crs", "method"),
        ("geopandas.GeoSeries.set_crs", "method"),
        ("geopandas.GeoSeries.crs", "attribute"),
    ]:
        entries.append((name, role, f"docs/reference/api/{name}.html#$"))
    return entries


def _numpy() -> list[tuple[str, str, str]]:
    entries = [
        ("numpy.ndarray", "class", "reference/generated/numpy.ndarray.html#$"),
        ("numpy.random.Generator", "class", "reference/random/generator.html#$"),
        ("numpy.random.default_rng", "function", "reference/random/generator.html#$"),
        ("numpy.nan", "data", "reference/constants.html#$"),
        ("numpy.inf", "data", "reference/constants.html#$"),
        ("numpy.float64", "class", "reference/arrays.scalars.html#$"),
        ("numpy.int64", "class", "reference/arrays.scalars.html#$"),
        ("numpy.typing.ArrayLike", "data", "reference/typing.html#$"),
        ("numpy.typing.NDArray", "data", "reference/typing.html#$"),
    ]
    entries += [
        ("array_like", "std:term", "glossary.html#term-array_like"),
        ("arrays.scalars|Scalars", "std:label", "reference/arrays.scalars.html#arrays-scalars"),
        ("numpy.random.RandomState", "class", "reference/random/legacy.html#$"),
    ]
    for name in ["array", "asarray", "allclose", "isclose", "argsort", "linalg.eig"]:
        entries.append((f"numpy.{name}", "function", f"reference/generated/numpy.{name}.html#$"))
    return entries


def _pyproj() -> list[tuple[str, str, str]]:
    return [
        ("pyproj.crs.CRS", "class", "api/crs/crs.html#$"),
        ("pyproj.CRS", "class", "api/crs/crs.html#pyproj.crs.CRS"),
        ("pyproj.Geod", "class", "api/geod.html#$"),
        ("pyproj.Geod.inv", "method", "api/geod.html#$"),
        ("pyproj.Geod.fwd", "method", "api/geod.html#$"),
        ("pyproj.Geod.npts", "method", "api/geod.html#$"),
        ("pyproj.Geod.inv_intermediate", "method", "api/geod.html#$"),
        ("pyproj.transformer.Transformer", "class", "api/transformer.html#$"),
        ("pyproj.Transformer", "class", "api/transformer.html#pyproj.transformer.Transformer"),
    ]


def _shapely() -> list[tuple[str, str, str]]:
    entries = []
    for name in ["Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]:
        page = f"reference/shapely.{name}.html#shapely.{name}"
        entries.append((f"shapely.{name}", "class", page))
        entries.append((f"shapely.geometry.{name}", "class", page))
    return entries


def _folium() -> list[tuple[str, str, str]]:
    page = "reference.html#"
    return [
        ("folium.Map", "class", page + "folium.folium.Map"),
        ("folium.folium.Map", "class", page + "$"),
        ("folium.Map.save", "method", page + "folium.folium.Map.save"),
        ("folium.FeatureGroup", "class", page + "folium.map.FeatureGroup"),
        ("folium.map.FeatureGroup", "class", page + "$"),
        ("folium.LayerControl", "class", page + "folium.map.LayerControl"),
        ("folium.map.LayerControl", "class", page + "$"),
        ("folium.Marker", "class", page + "folium.map.Marker"),
        ("folium.map.Marker", "class", page + "$"),
        ("folium.TileLayer", "class", page + "folium.raster_layers.TileLayer"),
        ("folium.raster_layers.TileLayer", "class", page + "$"),
        ("folium.CircleMarker", "class", page + "folium.vector_layers.CircleMarker"),
        ("folium.vector_layers.CircleMarker", "class", page + "$"),
        ("folium.PolyLine", "class", page + "folium.vector_layers.PolyLine"),
        ("folium.vector_layers.PolyLine", "class", page + "$"),
    ]


def _python() -> list[tuple[str, str, str]]:
    entries = []
    for name in ["int", "float", "str", "bool", "dict", "list", "tuple", "set", "object"]:
        entries.append((name, "class", f"library/functions.html#{name}"))
    entries += [
        ("frozenset", "class", "library/stdtypes.html#frozenset"),
        ("bytes", "class", "library/stdtypes.html#bytes"),
        ("callable", "function", "library/functions.html#callable"),
        ("None", "data", "library/constants.html#None"),
        ("True", "data", "library/constants.html#True"),
        ("False", "data", "library/constants.html#False"),
        ("Exception", "exception", "library/exceptions.html#Exception"),
        ("ValueError", "exception", "library/exceptions.html#ValueError"),
        ("RuntimeError", "exception", "library/exceptions.html#RuntimeError"),
        ("TypeError", "exception", "library/exceptions.html#TypeError"),
        ("KeyError", "exception", "library/exceptions.html#KeyError"),
        ("enum.Enum", "class", "library/enum.html#$"),
        ("enum.StrEnum", "class", "library/enum.html#$"),
        ("pathlib.Path", "class", "library/pathlib.html#$"),
        ("os.PathLike", "class", "library/os.html#$"),
        ("argparse.ArgumentParser", "class", "library/argparse.html#$"),
        ("argparse.Namespace", "class", "library/argparse.html#$"),
        ("concurrent.futures.Executor", "class", "library/concurrent.futures.html#$"),
        ("concurrent.futures.ThreadPoolExecutor", "class", "library/concurrent.futures.html#$"),
        ("concurrent.futures.ProcessPoolExecutor", "class", "library/concurrent.futures.html#$"),
        ("collections.abc.Mapping", "class", "library/collections.abc.html#$"),
        ("collections.abc.Sequence", "class", "library/collections.abc.html#$"),
        ("collections.abc.Iterable", "class", "library/collections.abc.html#$"),
        ("collections.abc.Callable", "class", "library/collections.abc.html#$"),
        ("typing.Any", "data", "library/typing.html#$"),
        ("dataclasses.dataclass", "function", "library/dataclasses.html#$"),
        ("contextlib.contextmanager", "function", "library/contextlib.html#$"),
        ("collections.namedtuple", "function", "library/collections.html#$"),
        ("iterable", "std:term", "glossary.html#term-iterable"),
        ("sequence", "std:term", "glossary.html#term-sequence"),
        ("generator", "std:term", "glossary.html#term-generator"),
        ("mapping", "std:term", "glossary.html#term-mapping"),
        ("bltin-boolean-values|Boolean Values", "std:label", "library/stdtypes.html#$"),
        ("json", "module", "library/json.html#module-json"),
        ("argparse", "module", "library/argparse.html#module-argparse"),
    ]
    return entries


def _matplotlib() -> list[tuple[str, str, str]]:
    return [
        ("matplotlib.figure.Figure", "class", "api/_as_gen/matplotlib.figure.Figure.html#$"),
        (
            "matplotlib.figure.Figure.savefig",
            "method",
            "api/_as_gen/matplotlib.figure.Figure.html#$",
        ),
        ("matplotlib.axes.Axes", "class", "api/_as_gen/matplotlib.axes.Axes.html#$"),
        ("matplotlib.pyplot.subplots", "function", "api/_as_gen/matplotlib.pyplot.subplots.html#$"),
        ("matplotlib.pyplot.savefig", "function", "api/_as_gen/matplotlib.pyplot.savefig.html#$"),
    ]


def _dask() -> list[tuple[str, str, str]]:
    return [
        ("distributed.Client", "class", "api.html#$"),
        ("distributed.Client.get_executor", "method", "api.html#$"),
        ("distributed.LocalCluster", "class", "api.html#$"),
    ]


def _pulp() -> list[tuple[str, str, str]]:
    solvers = "technical/solvers.html#"
    entries = [
        ("pulp.LpProblem", "class", "technical/pulp.html#$"),
        ("pulp.LpVariable", "class", "technical/pulp.html#$"),
        ("pulp.LpSolver", "class", solvers + "pulp.apis.LpSolver"),
    ]
    for name in ["LpSolver", "HiGHS", "HiGHS_CMD", "PULP_CBC_CMD", "COIN_CMD"]:
        entries.append((f"pulp.apis.{name}", "class", solvers + "$"))
    return entries


INVENTORIES = {
    "pandas": ("https://pandas.pydata.org/docs/", "stable", _pandas()),
    "geopandas": ("https://geopandas.org/en/stable/", "stable", _geopandas()),
    "numpy": ("https://numpy.org/doc/stable/", "stable", _numpy()),
    "pyproj": ("https://pyproj4.github.io/pyproj/stable/", "stable", _pyproj()),
    "shapely": ("https://shapely.readthedocs.io/en/stable/", "stable", _shapely()),
    "folium": ("https://python-visualization.github.io/folium/latest/", "latest", _folium()),
    "python": ("https://docs.python.org/3/", "3", _python()),
    "matplotlib": ("https://matplotlib.org/stable/", "stable", _matplotlib()),
    "distributed": ("https://distributed.dask.org/en/stable/", "stable", _dask()),
    "pulp": ("https://coin-or.github.io/pulp/", "stable", _pulp()),
}


def inventory_text(project: str) -> str:
    """Return the uncompressed body of *project*'s inventory (one object per line)."""
    _, _, entries = INVENTORIES[project]
    lines = []
    for name, role, uri in sorted(set(entries)):
        role = role if ":" in role else f"py:{role}"
        display = "-"
        if role == "std:label":
            name, display = name.split("|")
        lines.append(f"{name} {role} 1 {uri} {display}")
    return "\n".join(lines) + "\n"


def write(project: str, directory: Path = HERE) -> Path:
    """Write ``<project>.inv`` into *directory* and return its path."""
    _, version, _ = INVENTORIES[project]
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    path = directory / f"{project}.inv"
    path.write_bytes(header.encode() + zlib.compress(inventory_text(project).encode(), 9))
    return path


def main() -> None:
    for project in INVENTORIES:
        print(write(project))


if __name__ == "__main__":
    main()
