"""Bad input at every public entry point: a borderhub error that names the value and the fix.

One table of cases. Each case builds fresh inputs (``build(ctx)`` returns the function, its
positional and keyword arguments), calls the function and checks that

* it raises a :class:`~borderhub.exceptions.BorderhubError` subclass (the expected one);
* the message names the offending value (every string of ``names`` appears in it);
* the message says how to fix it (a hint word such as "use", "pass", "set", "drop" ...);
* every input object is unchanged (deep comparison with a copy taken before the call).

The command line is run as a subprocess on malformed files and impossible options: it must
exit non-zero with exactly one line on standard error naming the value and the fix, and
leave the input files untouched.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pulp
import pytest
from shapely.geometry import LineString, Polygon

import borderhub
from borderhub import (
    datasets,
    flowmap,
    flows,
    geo,
    locate,
    maps,
    network,
    pipeline,
    plots,
    policy,
    routes,
    scenarios,
    scoring,
)
from borderhub import io as bio
from borderhub.exceptions import (
    BorderhubError,
    DataError,
    OutputError,
    SolverError,
    SpecificationError,
)

#: the module (``borderhub.robustness`` also names its function)
robustness_module = importlib.import_module("borderhub.robustness")

#: Words that tell the reader what to do, or the list of what is allowed instead.
HINT = re.compile(
    r"\b(use|pass|set|choose|drop|fix|one of|give|fill|make|raise|lower|reproject|project|"
    r"convert|check|remove|add|install|reinstall|regenerate|unset|point it|rename|shift|"
    r"swap|swapped|save|revise|must be|must have|must hold|needs?|expect\w*|allowed|"
    r"write|provide|keep|reduce|increase|at least|at most|instead|should|try|select|"
    r"specify|replace|omit|forbid|require|index it|score the|group the)\b"
    r"|\b(are|it has|known|available \w+)\s*:?\s*[\[(]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Case:
    """One bad-input case."""

    build: Callable[[Any], tuple[Callable[..., Any], tuple, dict]]
    error: type[BaseException] = BorderhubError
    names: tuple[str, ...] = ()


def _same(now: Any, before: Any, where: str = "input") -> None:
    """Deep equality of an input after the call with its copy from before the call."""
    if isinstance(before, gpd.GeoDataFrame | gpd.GeoSeries):
        # geometries compared as WKB, so that NaN coordinates compare equal to themselves
        assert type(now) is type(before), where
        assert now.crs == before.crs, where
        if isinstance(before, gpd.GeoDataFrame):
            assert now.geometry.name == before.geometry.name, where
            geom = [
                c for c in before.columns if isinstance(before[c].dtype, gpd.array.GeometryDtype)
            ]
            pd.testing.assert_frame_equal(
                pd.DataFrame(now.drop(columns=geom)),
                pd.DataFrame(before.drop(columns=geom)),
                check_exact=True,
            )
            for c in geom:
                _same(now[c], before[c], f"{where}[{c!r}]")
        else:
            pd.testing.assert_index_equal(now.index, before.index, exact=True)
            assert now.name == before.name, where
            assert list(now.to_wkb()) == list(before.to_wkb()), where
        assert now.attrs == before.attrs, where
    elif isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(now, before, check_exact=True)
        assert now.attrs == before.attrs, where
    elif isinstance(before, pd.Series):
        pd.testing.assert_series_equal(now, before, check_exact=True)
    elif isinstance(before, pd.Index):
        pd.testing.assert_index_equal(now, before, exact=True)
    elif isinstance(before, np.ndarray):
        assert isinstance(now, np.ndarray) and now.dtype == before.dtype, where
        assert now.shape == before.shape, where
        if before.dtype.kind in "fc":
            assert np.array_equal(now, before, equal_nan=True), where
        else:
            assert np.array_equal(now, before), where
    elif isinstance(before, dict):
        assert isinstance(now, dict) and list(now) == list(before), where
        for key in before:
            _same(now[key], before[key], f"{where}[{key!r}]")
    elif isinstance(before, list | tuple):
        assert type(now) is type(before) and len(now) == len(before), where
        for k, (a, b) in enumerate(zip(now, before, strict=True)):
            _same(a, b, f"{where}[{k}]")
    elif isinstance(before, float) and math.isnan(before):
        assert isinstance(now, float) and math.isnan(now), where
    elif isinstance(before, str | bytes | int | float | bool | type(None)):
        assert now == before, where
    # other objects (functions, solver objects, executors) are compared by identity above


def _check(case: Case, ctx: Any) -> None:
    fn, args, kwargs = case.build(ctx)
    before = copy.deepcopy((args, kwargs))
    with pytest.raises(case.error) as info:
        fn(*args, **kwargs)
    err = info.value
    assert isinstance(err, BorderhubError), f"{type(err).__name__} is not a BorderhubError"
    message = str(err)
    for token in case.names:
        assert token in message, f"{token!r} not named in: {message}"
    assert HINT.search(message), f"no fix suggested in: {message}"
    _same(args, before[0], "args")
    _same(kwargs, before[1], "kwargs")


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    return SimpleNamespace(tmp=tmp_path, monkeypatch=monkeypatch)


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any):
    """A builder for inputs that need no temporary files."""
    return lambda ctx: (fn, args, kwargs)


def lazy(make: Callable[[], tuple]) -> Callable[[Any], tuple]:
    """A builder that creates fresh inputs at test time (``make() -> (fn, args, kwargs)``)."""
    return lambda ctx: make()


# --------------------------------------------------------------------------------------
# small inputs
# --------------------------------------------------------------------------------------

LABELS = ["110000", "310000", "440100"]
LON = [116.40, 121.47, 113.26]
LAT = [39.90, 31.23, 23.13]


def points(lon=LON, lat=LAT, labels=LABELS, crs: Any = "EPSG:4326", **columns):
    """A point GeoDataFrame (copies its inputs)."""
    return gpd.GeoDataFrame(
        dict(columns),
        index=pd.Index(list(labels), name="adcode"),
        geometry=gpd.points_from_xy(list(lon), list(lat)),
        crs=crs,
    )


def lonlat(lon=LON, lat=LAT, labels=LABELS, **columns):
    """A plain DataFrame with lon/lat columns."""
    return pd.DataFrame({"lon": list(lon), "lat": list(lat), **columns}, index=list(labels))


def cost_frame(values=None):
    values = (
        [[0.0, 4.0, 9.0], [4.0, 0.0, 5.0], [9.0, 5.0, 0.0], [6.0, 3.0, 2.0]]
        if values is None
        else values
    )
    return pd.DataFrame(
        np.array(values, dtype=float), index=["d1", "d2", "d3", "d4"], columns=["a", "b", "c"]
    )


def cities():
    return pd.DataFrame(
        {"volume": [50.0, 20.0, 5.0], "km": [300.0, 100.0, 50.0]}, index=["A", "B", "C"]
    )


CRIT = {"volume": "benefit", "km": "cost"}


# --------------------------------------------------------------------------------------
# policy
# --------------------------------------------------------------------------------------

CASES: dict[str, Case] = {}


def case(id_: str, build, error: type[BaseException] = BorderhubError, *names: str) -> None:
    assert id_ not in CASES, id_
    CASES[id_] = Case(build, error, tuple(names))


case("policy.Tier-unknown", call(policy.Tier, "capital"), SpecificationError, "capital")
case("policy.Tier.parse-number", call(policy.Tier.parse, 3), SpecificationError, "3")
case("policy.tiers_of-unknown-name", call(policy.tiers_of, "绥芬"), DataError, "绥芬")
case("policy.tiers_of-unknown-adcode", call(policy.tiers_of, "999999"), DataError, "999999")
case("policy.tiers_of-float", call(policy.tiers_of, 3.5), SpecificationError, "3.5")
case("policy.tiers_of-None", call(policy.tiers_of, None), SpecificationError, "None")
case(
    "policy.project_volume-negative-base",
    lazy(
        lambda: (
            policy.project_volume,
            (pd.Series([1.0, -5.0], index=["a", "bad_unit"]), 2020, 2025, 0.1),
            {},
        )
    ),
    DataError,
    "bad_unit",
)
case(
    "policy.project_volume-nan-base",
    lazy(lambda: (policy.project_volume, (np.array([1.0, np.nan]), 2020, 2025, 0.1), {})),
    DataError,
    "1",
)
case(
    "policy.project_volume-years-reversed",
    call(policy.project_volume, 100.0, 2025, 2020, 0.1),
    SpecificationError,
    "2020",
    "2025",
)
case(
    "policy.project_volume-rate-below-minus-one",
    call(policy.project_volume, 100.0, 2020, 2025, -1.5),
    SpecificationError,
    "-1.5",
)
case(
    "policy.project_volume-rate-not-numeric",
    call(policy.project_volume, 100.0, 2020, 2025, "fast"),
    SpecificationError,
    "fast",
)
case(
    "policy.project_volume-rate-infinite",
    call(policy.project_volume, 100.0, 2020, 2025, math.inf),
    SpecificationError,
    "inf",
)
case(
    "policy.project_volume-shapes-do-not-broadcast",
    call(policy.project_volume, [1.0, 2.0], 2020, [2021, 2022, 2023], 0.1),
    SpecificationError,
    "(2,)",
    "(3,)",
)
case(
    "policy.project_volume-base-not-numeric",
    call(policy.project_volume, "lots", 2020, 2025, 0.1),
    DataError,
    "lots",
)


# --------------------------------------------------------------------------------------
# datasets: a data directory set by the environment, with malformed tables
# --------------------------------------------------------------------------------------


def _bad_tables(table: str, edit: Callable[[pd.DataFrame], pd.DataFrame], loader: Callable):
    def build(ctx):
        target = ctx.tmp / "cities"
        shutil.copytree(datasets.data_dir(), target)
        path = target / f"{table}.csv"
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        edit(raw).to_csv(path, index=False, encoding="utf-8")
        ctx.monkeypatch.setenv(datasets.ENV_VAR, str(target))
        return loader, (), {}

    return build


def _set(row: int, column: str, value: str):
    def edit(raw: pd.DataFrame) -> pd.DataFrame:
        raw.loc[row, column] = value
        return raw

    return edit


def _duplicate_row(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([raw, raw.iloc[[1]]], ignore_index=True)


def _swap_lonlat(raw: pd.DataFrame) -> pd.DataFrame:
    raw.loc[0, ["lon", "lat"]] = raw.loc[0, ["lat", "lon"]].to_numpy()
    return raw


def _env_not_a_dir(ctx):
    ctx.monkeypatch.setenv(datasets.ENV_VAR, str(ctx.tmp / "no_such_dir"))
    return datasets.data_dir, (), {}


case("datasets.data_dir-env-not-a-directory", _env_not_a_dir, DataError, "no_such_dir")


def _env_without_tables(ctx):
    (ctx.tmp / "empty").mkdir()
    ctx.monkeypatch.setenv(datasets.ENV_VAR, str(ctx.tmp / "empty"))
    return datasets.candidates, (), {}


case("datasets.candidates-table-missing", _env_without_tables, DataError, "candidates.csv")
case("datasets.boundaries-unknown-level", call(datasets.boundaries, "county"),
     SpecificationError, "county", "province")  # fmt: skip


def _env_without_boundaries(ctx):
    (ctx.tmp / "empty_b").mkdir()
    ctx.monkeypatch.setenv(datasets.ENV_VAR, str(ctx.tmp / "empty_b"))
    return datasets.boundaries, ("prefecture",), {}


case("datasets.boundaries-layer-missing", _env_without_boundaries, DataError,
     "prefecture.geojson", "build_boundaries")  # fmt: skip
case("maps.static_map-extent-not-finite",
     call(maps.static_map, extent=(73, 18, float("inf"), 54), lang="en"),
     SpecificationError, "inf", "lon_min")  # fmt: skip
case("maps.corridor_map-extent-out-of-range", call(maps.corridor_map, extent=(73, 18, 190, 54)),
     SpecificationError, "190", "lon_min")  # fmt: skip
case("maps.corridor_map-choropleth-missing-column",
     call(maps.corridor_map, choropleth="no_such_column"),
     DataError, "no_such_column")  # fmt: skip
case("maps.static_map-choropleth-not-numeric", call(maps.static_map, choropleth="name", lang="en"),
     DataError, "name", "numeric")  # fmt: skip
case(
    "datasets.candidates-duplicate-adcode",
    _bad_tables("candidates", _duplicate_row, datasets.candidates),
    DataError,
    "120000",
)
case(
    "datasets.candidates-lon-out-of-range",
    _bad_tables("candidates", _set(2, "lon", "200.5"), datasets.candidates),
    DataError,
    "310000",
    "lon",
)
case(
    "datasets.candidates-lon-lat-swapped",
    _bad_tables("candidates", _swap_lonlat, datasets.candidates),
    DataError,
    "110000",
    "lat",
)
case(
    "datasets.candidates-missing-column",
    _bad_tables("candidates", lambda raw: raw.drop(columns=["population"]), datasets.candidates),
    DataError,
    "population",
)
case(
    "datasets.candidates-non-numeric-population",
    _bad_tables("candidates", _set(0, "population", "many"), datasets.candidates),
    DataError,
    "110000",
    "population",
)
case(
    "datasets.prefectures-nan-latitude",
    _bad_tables("prefectures", _set(3, "lat", "nan"), datasets.prefectures),
    DataError,
    "lat",
)
case(
    "datasets.prefectures-empty-required-value",
    _bad_tables("prefectures", _set(0, "name", ""), datasets.prefectures),
    DataError,
    "110000",
    "name",
)
case(
    "datasets.prefectures-empty-label",
    _bad_tables("prefectures", _set(2, "adcode", " "), datasets.prefectures),
    DataError,
    "[4]",
)
case(
    "datasets.partners-duplicate-id",
    _bad_tables("partners", _duplicate_row, datasets.partners),
    DataError,
)
case(
    "datasets.border_ports-lat-out-of-range",
    _bad_tables("border_ports", _set(0, "lat", "95"), datasets.border_ports),
    DataError,
    "lat",
)
case(
    "policy.column4-unknown-tier-in-table",
    _bad_tables("column4", _set(0, "tier", "MEGA"), policy.column4),
    DataError,
    "MEGA",
)


# --------------------------------------------------------------------------------------
# geo
# --------------------------------------------------------------------------------------

dm = geo.distance_matrix

case(
    "geo.distance_matrix-nan-coordinate",
    lazy(lambda: (dm, (lonlat(lat=[39.9, np.nan, 23.1]), lonlat()), {})),
    DataError,
    "310000",
)
case(
    "geo.distance_matrix-infinite-coordinate",
    lazy(lambda: (dm, (lonlat(), lonlat(lon=[116.4, 121.5, np.inf])), {})),
    DataError,
    "440100",
)
case(
    "geo.distance_matrix-lon-out-of-range",
    lazy(lambda: (dm, (lonlat(lon=[216.4, 121.5, 113.3]), lonlat()), {})),
    DataError,
    "110000",
)
case(
    "geo.distance_matrix-lon-lat-swapped",
    lazy(lambda: (dm, (points(lon=LAT, lat=LON), points()), {})),
    DataError,
    "110000",
    "swapped",
)
case(
    "geo.distance_matrix-array-out-of-range",
    lazy(lambda: (dm, (np.array([[116.4, 39.9], [39.9, 116.4]]), np.array([[0.0, 0.0]])), {})),
    DataError,
    "1",
)
case(
    "geo.distance_matrix-missing-crs",
    lazy(lambda: (dm, (points(crs=None), points()), {})),
    DataError,
    "origins",
    "set_crs",
)
case(
    "geo.distance_matrix-mismatched-crs",
    lazy(lambda: (dm, (points(), points().to_crs("EPSG:3857")), {})),
    DataError,
    "EPSG:4326",
    "EPSG:3857",
)
case(
    "geo.distance_matrix-duplicate-labels",
    lazy(lambda: (dm, (points(labels=["a", "b", "a"]), points()), {})),
    DataError,
    "'a'",
)
case(
    "geo.distance_matrix-unknown-method",
    lazy(lambda: (dm, (points(), points()), {"method": "manhattan"})),
    SpecificationError,
    "manhattan",
)
case(
    "geo.distance_matrix-euclidean-on-degrees",
    lazy(lambda: (dm, (points(), points()), {"method": "euclidean"})),
    DataError,
    "EPSG:4326",
)
case(
    "geo.distance_matrix-array-wrong-shape",
    lazy(lambda: (dm, (np.zeros((2, 3)), np.zeros((1, 2))), {})),
    DataError,
    "(2, 3)",
)
case(
    "geo.distance_matrix-array-not-numeric",
    lazy(lambda: (dm, ([["east", "north"]], np.zeros((1, 2))), {})),
    DataError,
    "east",
)
case(
    "geo.distance_matrix-not-points",
    lazy(
        lambda: (
            dm,
            (
                # polygons stand for their representative point (geo.as_points); lines
                # are not places
                gpd.GeoDataFrame(
                    index=["area"],
                    geometry=[LineString([(110, 30), (111, 30), (111, 31)])],
                    crs="EPSG:4326",
                ),
                points(),
            ),
            {},
        )
    ),
    DataError,
    "area",
)
case(
    "geo.distance_matrix-lonlat-columns-missing",
    lazy(lambda: (dm, (pd.DataFrame({"x": [1.0]}), points()), {})),
    DataError,
    "lon",
)
for _name in ("gcj02_to_wgs84", "wgs84_to_gcj02", "gcj02_to_bd09", "bd09_to_gcj02"):
    _fn = getattr(geo, _name)
    case(
        f"geo.{_name}-nan",
        lazy(lambda _fn=_fn: (_fn, (np.array([116.4, np.nan]), np.array([39.9, 31.2])), {})),
        DataError,
        "[1]",
    )
    case(
        f"geo.{_name}-lat-out-of-range",
        call(_fn, 39.9, 116.4),
        DataError,
        "[0]",
    )
    case(
        f"geo.{_name}-shape-mismatch",
        lazy(lambda _fn=_fn: (_fn, (np.array([116.4, 121.5]), np.array([39.9, 31.2, 23.1])), {})),
        DataError,
        "(2,)",
        "(3,)",
    )
    case(f"geo.{_name}-not-numeric", call(_fn, "east", 39.9), DataError, "east")
    case(
        f"geo.{_name}-ragged",
        call(_fn, [116.4, [121.5, 113.3]], [39.9, 31.2]),
        DataError,
        "[121.5, 113.3]",
    )
case(
    "geo.great_circle-n-too-small",
    call(geo.great_circle, (0, 0), (10, 10), n=1),
    SpecificationError,
    "1",
)
case(
    "geo.great_circle-out-of-range",
    call(geo.great_circle, (200.0, 10.0), (10.0, 10.0)),
    DataError,
    "200",
)
case(
    "geo.great_circle-nan",
    call(geo.great_circle, (10.0, math.nan), (10.0, 10.0)),
    DataError,
    "nan",
)
case(
    "geo.great_circle-not-a-pair",
    call(geo.great_circle, ("x", "y"), (10.0, 10.0)),
    DataError,
    "'x'",
)


# --------------------------------------------------------------------------------------
# network (the road network is loaded only by the snapping case)
# --------------------------------------------------------------------------------------

ndm = network.distance_matrix
case(
    "network.distance_matrix-unknown-mode",
    lazy(lambda: (ndm, (lonlat(), lonlat()), {"mode": "air"})),
    SpecificationError,
    "'air'",
)
case(
    "network.distance_matrix-point-far-from-network",
    lazy(
        lambda: (
            ndm,
            (lonlat(), lonlat(lon=[116.4, 150.0], lat=[39.9, 20.0], labels=["ok", "at_sea"])),
            {"mode": "rail", "cache": False},
        )
    ),
    DataError,
    "'at_sea'",
    "max_snap_km",
)
case(
    "network.distance_matrix-bad-max-snap",
    lazy(lambda: (ndm, (lonlat(), lonlat()), {"mode": "rail", "max_snap_km": -5})),
    SpecificationError,
    "-5",
)
case(
    "network.distance_matrix-avoid-on-land",
    lazy(lambda: (ndm, (lonlat(), lonlat()), {"mode": "road", "avoid": ["suez"]})),
    SpecificationError,
    "'road'",
)
case(
    "network.distance_matrix-unknown-passage",
    lazy(lambda: (ndm, (lonlat(), lonlat()), {"mode": "sea", "avoid": ["kiel"]})),
    SpecificationError,
    "kiel",
)
case(
    "network.distance_matrix-bad-cache",
    lazy(lambda: (ndm, (lonlat(), lonlat()), {"mode": "rail", "cache": 3})),
    SpecificationError,
    "3",
)
case(
    "network.distance_matrix-duplicate-labels",
    lazy(lambda: (ndm, (lonlat(labels=["a", "a", "b"]), lonlat()), {"mode": "rail"})),
    DataError,
    "'a'",
)
case(
    "network.distance_matrix-nan-coordinate",
    lazy(lambda: (ndm, (lonlat(lat=[39.9, np.nan, 23.1]), lonlat()), {"mode": "rail"})),
    DataError,
    "310000",
)
case(
    "network.route-not-a-pair",
    call(network.route, ("x", "y"), (10.0, 10.0), "sea"),
    DataError,
    "'x'",
)
case(
    "network.route-out-of-range",
    call(network.route, (10.0, 100.0), (10.0, 10.0), "sea"),
    DataError,
    "100.0",
)
case(
    "network.route-unknown-mode",
    call(network.route, (116.4, 39.9), (121.5, 31.2), "ferry"),
    SpecificationError,
    "'ferry'",
)
case(
    "network.border_crossings-sea",
    call(network.border_crossings, "sea"),
    SpecificationError,
    "road",
)
case(
    "network.border_crossings-bad-merge",
    call(network.border_crossings, "rail", merge_km="near"),
    SpecificationError,
    "'near'",
)
case(
    "network.network_info-unknown-mode",
    call(network.network_info, "bike"),
    SpecificationError,
    "'bike'",
)


def _without_extra(ctx):
    real = network.util.find_spec
    ctx.monkeypatch.setattr(
        network.util,
        "find_spec",
        lambda name, *a: None if name == "scgraph_data" else real(name, *a),
    )
    return ndm, (lonlat(), lonlat()), {"mode": "road", "cache": False}


case("network.distance_matrix-extra-missing", _without_extra, SpecificationError, "network")


# --------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------

sc = scoring.score


def _cities_with(column: str, values: list) -> pd.DataFrame:
    frame = cities()
    frame[column] = values
    return frame


case(
    "scoring.score-empty-frame",
    lazy(lambda: (sc, (cities().iloc[:0], CRIT), {})),
    DataError,
    "empty",
)
case(
    "scoring.score-duplicate-labels",
    lazy(lambda: (sc, (cities().set_axis(["A", "B", "A"]), CRIT), {})),
    DataError,
    "'A'",
)
case(
    "scoring.score-unknown-column",
    lazy(lambda: (sc, (cities(), {"volume": "benefit", "tonnage": "cost"}), {})),
    DataError,
    "tonnage",
)
case(
    "scoring.score-non-numeric-column",
    lazy(lambda: (sc, (_cities_with("volume", [50.0, "high", 5.0]), CRIT), {})),
    DataError,
    "high",
    "B",
)
case(
    "scoring.score-complex-column",
    lazy(lambda: (sc, (_cities_with("volume", [1j, 2j, 3j]), CRIT), {})),
    DataError,
    "complex",
)
case(
    "scoring.score-datetime-column",
    lazy(lambda: (sc, (_cities_with("km", pd.to_datetime(["2020", "2021", "2022"])), CRIT), {})),
    DataError,
    "datetime64",
)
case(
    "scoring.score-nan-value",
    lazy(lambda: (sc, (_cities_with("km", [300.0, np.nan, 50.0]), CRIT), {"nan_policy": "raise"})),
    DataError,
    "B",
    "km",
)
case(
    "scoring.score-all-nan-criterion",  # nan_policy "worst" has nothing to use
    lazy(
        lambda: (
            sc,
            (_cities_with("km", [np.nan, np.nan, np.nan]), CRIT),
            {"nan_policy": "worst"},
        )
    ),
    DataError,
    "km",
    "no finite value",
)
case(
    "scoring.score-every-criterion-sparse",  # the default ("auto") would leave out all
    lazy(
        lambda: (
            sc,
            (_cities_with("km", [np.nan, np.nan, 5.0]).assign(volume=[np.nan, 1.0, np.nan]), CRIT),
            {},
        )
    ),
    DataError,
    "'km' (a value for 1 of 3)",
    "'volume' (a value for 1 of 3)",
    "nan_policy='worst'",
)
case(
    "scoring.score-all-weight-on-a-sparse-criterion",
    lazy(
        lambda: (
            sc,
            (_cities_with("km", [np.nan, np.nan, 5.0]), CRIT),
            {"weights": {"volume": 0.0, "km": 1.0}},
        )
    ),
    SpecificationError,
    "'km' (a value for 1 of 3)",
    "nan_policy='worst'",
)
case(
    "scoring.decision_matrix-nan-value",
    lazy(
        lambda: (
            scoring.decision_matrix,
            (_cities_with("km", [300.0, np.nan, 50.0]), CRIT),
            {"nan_policy": "raise"},
        )
    ),
    DataError,
    "'km' in rows ['B']",
)
case(
    "scoring.with_inputs-unknown-input",
    lazy(lambda: (scoring.with_inputs, (scoring.default_criteria(),), {"airports": cities()})),
    SpecificationError,
    "airports",
    "'demand'",
)
case(
    "scoring.Criterion-unknown-input",
    call(scoring.Criterion, "near", len, "benefit", inputs=["airports"]),
    SpecificationError,
    "airports",
    "'ports'",
)
case(
    "scoring.Criterion-inputs-on-a-column",
    call(scoring.Criterion, "near", "km", "cost", inputs=["demand"]),
    SpecificationError,
    "'km'",
    "demand",
)
case(
    "scoring.register_criterion-name-taken",
    lazy(
        lambda: (scoring.register_criterion, (scoring.Criterion("coastal", "sea", "benefit"),), {})
    ),
    SpecificationError,
    "'coastal'",
    "replace=True",
)
case(
    "scoring.register_criterion-not-a-criterion",
    call(scoring.register_criterion, {"name": "seats"}),
    SpecificationError,
    "dict",
)
case(
    "scoring.unregister_criterion-unknown",
    call(scoring.unregister_criterion, "seats"),
    SpecificationError,
    "'seats'",
    "'coastal'",
)
case(
    "scoring.lookup_criteria-unknown",
    call(scoring.lookup_criteria, ["express_volume", "seats"]),
    SpecificationError,
    "'seats'",
    "'express_volume'",
)
case(
    "scoring.missing_values-unknown-column",
    lazy(lambda: (scoring.missing_values, (cities(), {"nope": "benefit"}), {})),
    DataError,
    "nope",
)
case(
    "scoring.sparse_criteria-unknown-column",
    lazy(lambda: (scoring.sparse_criteria, (cities(), {"nope": "benefit"}), {})),
    DataError,
    "nope",
)
case(
    "scoring.sparse_criteria-not-a-frame",
    lazy(lambda: (scoring.sparse_criteria, ([1, 2, 3], CRIT), {})),
    DataError,
    "DataFrame",
)
case(
    "scoring.missing_values-not-a-frame",
    lazy(lambda: (scoring.missing_values, ([1, 2, 3], CRIT), {})),
    DataError,
    "DataFrame",
)
case(
    "scoring.score-infinite-value",
    lazy(lambda: (sc, (_cities_with("km", [300.0, 100.0, np.inf]), CRIT), {"nan_policy": "raise"})),
    DataError,
    "C",
)
case(
    "scoring.score-negative-weight",
    lazy(lambda: (sc, (cities(), CRIT), {"weights": {"volume": -1.0, "km": 2.0}})),
    SpecificationError,
    "-1",
)
case(
    "scoring.score-all-zero-weights",
    lazy(lambda: (sc, (cities(), CRIT), {"weights": {"volume": 0.0, "km": 0.0}})),
    SpecificationError,
    "zero",
)
case(
    "scoring.score-weights-not-numeric",
    lazy(lambda: (sc, (cities(), CRIT), {"weights": {"volume": "heavy", "km": 1.0}})),
    SpecificationError,
    "heavy",
)
case(
    "scoring.score-weight-for-unknown-criterion",
    lazy(lambda: (sc, (cities(), CRIT), {"weights": {"volume": 1.0, "km": 1.0, "rail": 1.0}})),
    SpecificationError,
    "rail",
)
case(
    "scoring.score-weights-wrong-length",
    lazy(lambda: (sc, (cities(), CRIT), {"weights": [0.2, 0.3, 0.5]})),
    SpecificationError,
    "(3,)",
)
case(
    "scoring.score-unknown-weights-name",
    lazy(lambda: (sc, (cities(), CRIT), {"weights": "ahp"})),
    SpecificationError,
    "ahp",
)
case(
    "scoring.score-unknown-method",
    lazy(lambda: (sc, (cities(), CRIT), {"method": "electre"})),
    SpecificationError,
    "electre",
)
case(
    "scoring.score-unknown-nan-policy",
    lazy(lambda: (sc, (cities(), CRIT), {"nan_policy": "ignore"})),
    SpecificationError,
    "ignore",
)
case(
    "scoring.score-bad-direction",
    lazy(lambda: (sc, (cities(), {"volume": "more", "km": "cost"}), {})),
    SpecificationError,
    "more",
)
case(
    "scoring.score-vikor-v-out-of-range",
    lazy(lambda: (sc, (cities(), CRIT), {"method": "vikor", "v": 2.0})),
    SpecificationError,
    "2.0",
)
case(
    "scoring.score-vikor-v-not-numeric",
    lazy(lambda: (sc, (cities(), CRIT), {"method": "vikor", "v": "half"})),
    SpecificationError,
    "half",
)
case(
    "scoring.rank_stability-spread-not-numeric",
    lazy(lambda: (scoring.rank_stability, (cities(), CRIT), {"spread": "wide"})),
    SpecificationError,
    "wide",
)
case(
    "scoring.rank_stability-interval-not-numeric",
    lazy(lambda: (scoring.rank_stability, (cities(), CRIT), {"interval": ("low", 95)})),
    SpecificationError,
    "low",
)
case(
    "scoring.gravity_access-beta-not-numeric",
    lazy(
        lambda: (
            scoring.gravity_access,
            (lonlat(), lonlat(express_volume=[1.0, 2.0, 3.0])),
            {"beta": "steep"},
        )
    ),
    SpecificationError,
    "steep",
)
case(
    "scoring.tier_score-points-not-numeric",
    lazy(
        lambda: (
            scoring.tier_score,
            (pd.DataFrame({"tiers": ["CORE"]}),),
            {"points": {"CORE": "top"}},
        )
    ),
    SpecificationError,
    "top",
)
case(
    "scoring.score-not-a-frame",
    lazy(lambda: (sc, ([[1.0, 2.0]], CRIT), {})),
    DataError,
    "list",
)
case(
    "scoring.score-no-criteria",
    lazy(lambda: (sc, (cities(), {}), {})),
    SpecificationError,
)
case(
    "scoring.score-lon-lat-swapped-for-distance-criterion",
    lazy(
        lambda: (
            sc,
            (
                points(lon=LAT, lat=LON),
                [scoring.Criterion("port", scoring.border_port_distance, "cost")],
            ),
            {},
        )
    ),
    DataError,
    "110000",
)
case(
    "scoring.Criterion-bad-direction",
    call(scoring.Criterion, "pop", "population", "sideways"),
    SpecificationError,
    "sideways",
)
case(
    "scoring.Criterion-negative-weight",
    call(scoring.Criterion, "pop", "population", "benefit", -0.5),
    SpecificationError,
    "-0.5",
)
case(
    "scoring.Criterion-weight-not-numeric",
    call(scoring.Criterion, "pop", "population", "benefit", "high"),
    SpecificationError,
    "high",
)
case(
    "scoring.Criterion-empty-name",
    call(scoring.Criterion, "", "population", "benefit"),
    SpecificationError,
    "''",
)
case(
    "scoring.entropy_weights-negative",
    lazy(
        lambda: (scoring.entropy_weights, (pd.DataFrame({"a": [1.0, 2.0], "b": [-3.0, 1.0]}),), {})
    ),
    DataError,
    "'b'",
)
case(
    "scoring.entropy_weights-nan",
    lazy(lambda: (scoring.entropy_weights, (np.array([[1.0, np.nan], [2.0, 1.0]]),), {})),
    DataError,
    "1",
)
case(
    "scoring.entropy_weights-one-row",
    lazy(lambda: (scoring.entropy_weights, (np.array([[1.0, 2.0]]),), {})),
    DataError,
    "(1, 2)",
)
case(
    "scoring.entropy_weights-all-constant",
    lazy(lambda: (scoring.entropy_weights, (np.ones((3, 2)),), {})),
    DataError,
    "constant",
)
case(
    "scoring.entropy_weights-not-numeric",
    lazy(lambda: (scoring.entropy_weights, ([["a", "b"], ["c", "d"]],), {})),
    DataError,
    "'a'",
)
case(
    "scoring.ahp_weights-not-square",
    lazy(lambda: (scoring.ahp_weights, (np.ones((2, 3)),), {})),
    SpecificationError,
    "(2, 3)",
)
case(
    "scoring.ahp_weights-non-positive",
    lazy(lambda: (scoring.ahp_weights, (np.array([[1.0, -2.0], [-0.5, 1.0]]),), {})),
    SpecificationError,
    "(0, 1)",
)
case(
    "scoring.ahp_weights-not-reciprocal",
    lazy(lambda: (scoring.ahp_weights, (np.array([[1.0, 3.0], [3.0, 1.0]]),), {})),
    SpecificationError,
    "a[0,1]=3",
)
case(
    "scoring.ahp_weights-inconsistent-strict",
    lazy(
        lambda: (
            scoring.ahp_weights,
            (np.array([[1.0, 9.0, 1 / 9], [1 / 9, 1.0, 9.0], [9.0, 1 / 9, 1.0]]),),
            {"strict": True},
        )
    ),
    SpecificationError,
    "consistency ratio",
)
case(
    "scoring.ahp_weights-too-large",
    lazy(lambda: (scoring.ahp_weights, (np.ones((16, 16)),), {})),
    SpecificationError,
    "16",
)
case(
    "scoring.score-weights-series-duplicate-labels",
    lazy(
        lambda: (
            sc,
            (cities(), CRIT),
            {"weights": pd.Series([1.0, 2.0, 3.0], index=["volume", "km", "volume"])},
        )
    ),
    SpecificationError,
    "volume",
)
case(
    "scoring.rank_stability-seed-not-a-seed",
    lazy(lambda: (scoring.rank_stability, (cities(), CRIT), {"seed": "lucky"})),
    SpecificationError,
    "lucky",
)
case(
    "scoring.rank_stability-zero-draws",
    lazy(lambda: (scoring.rank_stability, (cities(), CRIT), {"n": 0})),
    SpecificationError,
    "0",
)
case(
    "scoring.rank_stability-negative-spread",
    lazy(lambda: (scoring.rank_stability, (cities(), CRIT), {"spread": -0.1})),
    SpecificationError,
    "-0.1",
)
case(
    "scoring.rank_stability-zero-top-k",
    lazy(lambda: (scoring.rank_stability, (cities(), CRIT), {"top_k": 0})),
    SpecificationError,
    "0",
)
case(
    "scoring.rank_stability-reversed-interval",
    lazy(lambda: (scoring.rank_stability, (cities(), CRIT), {"interval": (95.0, 5.0)})),
    SpecificationError,
    "95",
)
case(
    "scoring.rcep_proximity-unknown-partner",
    lazy(lambda: (scoring.rcep_proximity, (lonlat(),), {"weights": {"ATL": 1.0}})),
    SpecificationError,
    "ATL",
)
case(
    "scoring.rcep_proximity-negative-weight",
    lazy(lambda: (scoring.rcep_proximity, (lonlat(),), {"weights": {"JPN": -2.0}})),
    SpecificationError,
    "-2",
)
case(
    "scoring.rcep_proximity-empty-partners",
    lazy(lambda: (scoring.rcep_proximity, (lonlat(), lonlat().iloc[:0]), {})),
    DataError,
    "empty",
)
case(
    "scoring.rcep_proximity-nan-candidate",
    lazy(lambda: (scoring.rcep_proximity, (lonlat(lon=[np.nan, 121.5, 113.3]),), {})),
    DataError,
    "110000",
)
case(
    "scoring.border_port_distance-empty-ports",
    lazy(lambda: (scoring.border_port_distance, (lonlat(), lonlat().iloc[:0]), {})),
    DataError,
    "empty",
)
case(
    "scoring.border_port_distance-missing-crs",
    lazy(lambda: (scoring.border_port_distance, (points(crs=None),), {})),
    DataError,
    "CRS",
)
case(
    "scoring.catchment_volume-zero-radius",
    lazy(
        lambda: (
            scoring.catchment_volume,
            (lonlat(), lonlat(express_volume=[1.0, 2.0, 3.0])),
            {"radius_km": 0},
        )
    ),
    SpecificationError,
    "0",
)
case(
    "scoring.catchment_volume-negative-radius",
    lazy(
        lambda: (
            scoring.catchment_volume,
            (lonlat(), lonlat(express_volume=[1.0, 2.0, 3.0])),
            {"radius_km": -5},
        )
    ),
    SpecificationError,
    "-5",
)
case(
    "scoring.catchment_volume-radius-not-numeric",
    lazy(
        lambda: (
            scoring.catchment_volume,
            (lonlat(), lonlat(express_volume=[1.0, 2.0, 3.0])),
            {"radius_km": "far"},
        )
    ),
    SpecificationError,
    "far",
)
case(
    "scoring.catchment_volume-negative-demand",
    lazy(
        lambda: (scoring.catchment_volume, (lonlat(), lonlat(express_volume=[1.0, -2.0, 3.0])), {})
    ),
    DataError,
    "310000",
)
case(
    "scoring.gravity_access-zero-beta",
    lazy(
        lambda: (
            scoring.gravity_access,
            (lonlat(), lonlat(express_volume=[1.0, 2.0, 3.0])),
            {"beta": 0},
        )
    ),
    SpecificationError,
    "0",
)
case(
    "scoring.gravity_access-negative-d0",
    lazy(
        lambda: (
            scoring.gravity_access,
            (lonlat(), lonlat(express_volume=[1.0, 2.0, 3.0])),
            {"d0_km": -1},
        )
    ),
    SpecificationError,
    "-1",
)
case(
    "scoring.gravity_access-unknown-demand-column",
    lazy(
        lambda: (
            scoring.gravity_access,
            (lonlat(), lonlat(express_volume=[1.0, 2.0, 3.0])),
            {"column": "parcels"},
        )
    ),
    DataError,
    "parcels",
)
case(
    "scoring.tier_score-unknown-tier",
    lazy(
        lambda: (
            scoring.tier_score,
            (pd.DataFrame({"tiers": ["CORE", "MEGA"]}, index=["a", "b"]),),
            {},
        )
    ),
    DataError,
    "MEGA",
)
case(
    "scoring.rail_hub-missing-values",
    lazy(
        lambda: (
            scoring.rail_hub,
            (pd.DataFrame({"rail_hub": [True, None]}, index=["a", "b"]),),
            {},
        )
    ),
    DataError,
    "'b'",
)
case(
    "scoring.rail_hub-missing-column",
    lazy(lambda: (scoring.rail_hub, (cities(),), {})),
    DataError,
    "rail_hub",
)
case(
    "scoring.cbec_seniority-batch-above-batches",
    lazy(
        lambda: (
            scoring.cbec_seniority,
            (pd.DataFrame({"cbec_batch": [1, 9]}, index=["a", "b"]),),
            {},
        )
    ),
    DataError,
    "'b'",
)
case(
    "scoring.cbec_zone-batch-zero",
    lazy(
        lambda: (scoring.cbec_zone, (pd.DataFrame({"cbec_batch": [0, 2]}, index=["a", "b"]),), {})
    ),
    DataError,
    "'a'",
)
case(
    "scoring.express_volume-not-numeric",
    lazy(
        lambda: (
            scoring.express_volume,
            (pd.DataFrame({"express_volume": ["12", "lots"]}, index=["a", "b"]),),
            {},
        )
    ),
    DataError,
    "lots",
)


# --------------------------------------------------------------------------------------
# locate: every model, the shared constructors and solve
# --------------------------------------------------------------------------------------

#: Valid parameters of each model on ``cost_frame()`` (4 demand points x 3 candidates).
MODEL_PARAMS: dict[str, dict[str, Any]] = {
    "PMedian": {"p": 2},
    "PCenter": {"p": 2},
    "MaxCoverage": {"p": 2, "radius": 5.0},
    "SetCover": {"radius": 5.0},
    "FacilityLocation": {"fixed_cost": 3.0},
}
MODELS = list(MODEL_PARAMS)


def model_cls(name: str) -> Any:
    return getattr(locate, name)


def _build_model(name, cost, weights=None, **params):
    full = {**MODEL_PARAMS[name], **params}
    return model_cls(name).from_cost_matrix(cost, weights, **full)


def _build_and_solve(name, cost, weights=None, solve=None, **params):
    return _build_model(name, cost, weights, **params).solve(**(solve or {}))


def model_case(
    id_: str, make: Callable[[str], tuple], error=BorderhubError, *names: str, models=None
):
    for name in models or MODELS:
        case(f"locate.{name}-{id_}", lazy(lambda name=name: make(name)), error, *names)


def _with(values_at: dict[tuple[int, int], float]) -> pd.DataFrame:
    c = cost_frame()
    for (i, j), v in values_at.items():
        c.iloc[i, j] = v
    return c


model_case(
    "nan-cost", lambda n: (_build_model, (n, _with({(1, 2): np.nan})), {}), DataError, "'d2'", "'c'"
)
model_case(
    "infinite-cost",
    lambda n: (_build_model, (n, _with({(0, 1): np.inf})), {}),
    DataError,
    "'d1'",
    "'b'",
)
model_case(
    "negative-cost",
    lambda n: (_build_model, (n, _with({(2, 0): -3.0})), {}),
    DataError,
    "'d3'",
    "'a'",
)
model_case(
    "empty-cost",
    lambda n: (_build_model, (n, cost_frame().iloc[:0]), {}),
    DataError,
    "(0, 3)",
)
model_case(
    "duplicate-candidate-labels",
    lambda n: (_build_model, (n, cost_frame().set_axis(["a", "b", "a"], axis=1)), {}),
    DataError,
    "'a'",
)
model_case(
    "duplicate-demand-labels",
    lambda n: (_build_model, (n, cost_frame().set_axis(["d1", "d2", "d1", "d4"])), {}),
    DataError,
    "'d1'",
)
model_case(
    "non-numeric-cost",
    lambda n: (_build_model, (n, cost_frame().astype(object).where(lambda f: f != 9.0, "far")), {}),
    DataError,
    "far",
)
model_case(
    "non-numeric-weights",
    lambda n: (_build_model, (n, cost_frame(), ["1", "heavy", "2", "3"]), {}),
    DataError,
    "heavy",
)
model_case(
    "weights-wrong-length",
    lambda n: (_build_model, (n, cost_frame(), [1.0, 2.0, 3.0]), {}),
    DataError,
    "3",
    "4",
)
model_case(
    "weights-wrong-labels",
    lambda n: (
        _build_model,
        (n, cost_frame(), pd.Series([1.0] * 4, index=["d1", "d2", "d3", "dX"])),
        {},
    ),
    DataError,
    "dX",
)
model_case(
    "negative-weight",
    lambda n: (
        _build_model,
        (n, cost_frame(), pd.Series([1.0, -1.0, 1.0, 1.0], index=["d1", "d2", "d3", "d4"])),
        {},
    ),
    DataError,
    "d2",
)
model_case(
    "nan-weight",
    lambda n: (_build_model, (n, cost_frame(), np.array([1.0, 1.0, np.nan, 1.0])), {}),
    DataError,
    "d3",
)
model_case(
    "required-and-forbidden",
    lambda n: (_build_model, (n, cost_frame()), {"required": ["a", "b"], "forbidden": ["b"]}),
    SpecificationError,
    "'b'",
)
model_case(
    "unknown-required-label",
    lambda n: (_build_model, (n, cost_frame()), {"required": ["zz"]}),
    SpecificationError,
    "zz",
)
model_case(
    "unknown-forbidden-label",
    lambda n: (_build_model, (n, cost_frame()), {"forbidden": ["440100"]}),
    SpecificationError,
    "440100",
)
model_case(
    "groups-unknown-candidate",
    lambda n: (
        _build_model,
        (n, cost_frame()),
        {"groups": pd.Series({"a": "north", "q": "south"}), "min_per_group": 1},
    ),
    SpecificationError,
    "q",
)
model_case(
    "gateway-cost-negative",
    lambda n: (
        _build_model,
        (n, cost_frame()),
        {"gateway_cost": pd.Series({"a": 1.0, "b": -2.0, "c": 0.0})},
    ),
    DataError,
    "b",
)
model_case(
    "gateway-weight-negative",
    lambda n: (_build_model, (n, cost_frame()), {"gateway_weight": -1.0}),
    SpecificationError,
    "-1",
)
model_case(
    "unknown-solver",
    lambda n: (_build_and_solve, (n, cost_frame()), {"solve": {"solver": "gurobi_magic"}}),
    SolverError,
    "gurobi_magic",
)
model_case(
    "unavailable-solver",
    lambda n: (
        _build_and_solve,
        (n, cost_frame()),
        {"solve": {"solver": pulp.CPLEX_CMD(path="/nonexistent/cplex")}},
    ),
    SolverError,
    "CPLEX",
)
model_case(
    "solver-wrong-type",
    lambda n: (_build_and_solve, (n, cost_frame()), {"solve": {"solver": 42}}),
    SolverError,
    "int",
)
model_case(
    "negative-time-limit",
    lambda n: (_build_and_solve, (n, cost_frame()), {"solve": {"time_limit": -1}}),
    SpecificationError,
    "-1",
)
model_case(
    "mip-gap-above-one",
    lambda n: (_build_and_solve, (n, cost_frame()), {"solve": {"mip_gap": 1.5}}),
    SpecificationError,
    "1.5",
)

P_MODELS = ["PMedian", "PCenter", "MaxCoverage"]
RADIUS_MODELS = ["MaxCoverage", "SetCover"]
model_case(
    "p-zero",
    lambda n: (_build_model, (n, cost_frame()), {"p": 0}),
    SpecificationError,
    "0",
    models=P_MODELS,
)
model_case(
    "p-negative",
    lambda n: (_build_model, (n, cost_frame()), {"p": -2}),
    SpecificationError,
    "-2",
    models=P_MODELS,
)
model_case(
    "p-above-candidates",
    lambda n: (_build_model, (n, cost_frame()), {"p": 4}),
    SpecificationError,
    "4",
    "3",
    models=P_MODELS,
)
model_case(
    "p-above-allowed-candidates",
    lambda n: (_build_model, (n, cost_frame()), {"p": 3, "forbidden": ["c"]}),
    SpecificationError,
    "3",
    models=P_MODELS,
)
model_case(
    "p-fractional",
    lambda n: (_build_model, (n, cost_frame()), {"p": 1.5}),
    SpecificationError,
    "1.5",
    models=P_MODELS,
)
model_case(
    "required-above-p",
    lambda n: (_build_model, (n, cost_frame()), {"p": 1, "required": ["a", "b"]}),
    SpecificationError,
    "2",
    models=P_MODELS,
)
model_case(
    "radius-zero",
    lambda n: (_build_model, (n, cost_frame()), {"radius": 0.0}),
    SpecificationError,
    "0",
    models=RADIUS_MODELS,
)
model_case(
    "radius-negative",
    lambda n: (_build_model, (n, cost_frame()), {"radius": -4.0}),
    SpecificationError,
    "-4",
    models=RADIUS_MODELS,
)
model_case(
    "radius-nan",
    lambda n: (_build_model, (n, cost_frame()), {"radius": math.nan}),
    SpecificationError,
    "nan",
    models=RADIUS_MODELS,
)
case(
    "locate.SetCover-radius-too-small-to-cover",
    lazy(
        lambda: (_build_and_solve, ("SetCover", cost_frame()), {"radius": 1.0, "forbidden": ["c"]})
    ),
    BorderhubError,
    "d3",
)
case(
    "locate.FacilityLocation-capacity-below-demand",
    lazy(
        lambda: (
            _build_model,
            ("FacilityLocation", cost_frame(), [5.0, 5.0, 5.0, 5.0]),
            {"capacity": 4.0},
        )
    ),
    SpecificationError,
    "20",
)
case(
    "locate.FacilityLocation-capacity-not-numeric",
    lazy(lambda: (_build_model, ("FacilityLocation", cost_frame()), {"capacity": "big"})),
    BorderhubError,
    "big",
)
case(
    "locate.FacilityLocation-capacity-missing",
    lazy(lambda: (_build_model, ("FacilityLocation", cost_frame()), {"capacity": pd.NA})),
    BorderhubError,
    "<NA>",
)
case(
    "locate.FacilityLocation-fixed-cost-not-numeric",
    lazy(lambda: (_build_model, ("FacilityLocation", cost_frame()), {"fixed_cost": "cheap"})),
    BorderhubError,
    "cheap",
)
case(
    "locate.FacilityLocation-fixed-cost-missing",
    lazy(lambda: (_build_model, ("FacilityLocation", cost_frame()), {"fixed_cost": pd.NaT})),
    BorderhubError,
    "NaT",
)
case(
    "locate.PMedian-required-missing-value",
    lazy(lambda: (_build_model, ("PMedian", cost_frame()), {"required": pd.NA})),
    SpecificationError,
    "<NA>",
)
case(
    "locate.PMedian-groups-unhashable",
    lazy(
        lambda: (
            _build_model,
            ("PMedian", cost_frame()),
            {"groups": pd.Series([["north"], "south", "south"], index=["a", "b", "c"])},
        )
    ),
    SpecificationError,
    "north",
)
case(
    "locate.FacilityLocation-negative-fixed-cost",
    lazy(lambda: (_build_model, ("FacilityLocation", cost_frame()), {"fixed_cost": -1.0})),
    BorderhubError,
    "-1",
)
case(
    "locate.FacilityLocation-fixed-cost-unknown-label",
    lazy(
        lambda: (
            _build_model,
            ("FacilityLocation", cost_frame()),
            {"fixed_cost": pd.Series({"a": 1.0, "b": 1.0, "zz": 1.0})},
        )
    ),
    BorderhubError,
    "c",
)


def hub_cost():
    lab = ["n1", "n2", "n3"]
    c = np.array([[0.0, 4.0, 7.0], [4.0, 0.0, 3.0], [7.0, 3.0, 0.0]])
    return pd.DataFrame(c, index=lab, columns=lab)


def hub_flows():
    lab = ["n1", "n2", "n3"]
    return pd.DataFrame(np.arange(9, dtype=float).reshape(3, 3), index=lab, columns=lab)


def _hub(cost, weights=None, solve=None, **params):
    full = {"flows": hub_flows(), "p": 2, **params}
    model = locate.HubMedian.from_cost_matrix(cost, weights, **full)
    return model.solve(**solve) if solve is not None else model


def _hub_case(id_, build, error, *names):
    case(f"locate.HubMedian-{id_}", lazy(build), error, *names)


_hub_case("nan-cost", lambda: (_hub, (hub_cost().replace(3.0, np.nan),), {}), DataError, "n2")
_hub_case("negative-cost", lambda: (_hub, (hub_cost().replace(7.0, -7.0),), {}), DataError, "n1")
_hub_case("not-square", lambda: (_hub, (hub_cost().iloc[:, :2],), {}), DataError, "(3, 2)")


def _asymmetric():
    c = hub_cost()
    c.loc["n1", "n2"] = 5.0
    return c


_hub_case("not-symmetric", lambda: (_hub, (_asymmetric(),), {}), DataError, "n1")
_hub_case("p-zero", lambda: (_hub, (hub_cost(),), {"p": 0}), SpecificationError, "0")
_hub_case("p-above-nodes", lambda: (_hub, (hub_cost(),), {"p": 4}), SpecificationError, "4")
_hub_case(
    "alpha-above-one", lambda: (_hub, (hub_cost(),), {"alpha": 1.5}), SpecificationError, "1.5"
)
_hub_case(
    "alpha-negative", lambda: (_hub, (hub_cost(),), {"alpha": -0.1}), SpecificationError, "-0.1"
)
_hub_case(
    "negative-flows", lambda: (_hub, (hub_cost(),), {"flows": -hub_flows()}), DataError, "flows"
)
_hub_case(
    "flows-wrong-shape",
    lambda: (_hub, (hub_cost(),), {"flows": np.ones((2, 2))}),
    DataError,
    "(2, 2)",
)
_hub_case(
    "flows-wrong-labels",
    lambda: (_hub, (hub_cost(),), {"flows": hub_flows().rename(index={"n3": "n9"})}),
    DataError,
    "n9",
)


def _flows_with_na():
    f = hub_flows().astype(object)
    f.loc["n2", "n3"] = pd.NA
    return f


_hub_case(
    "missing-flows", lambda: (_hub, (hub_cost(),), {"flows": _flows_with_na()}), DataError, "n2"
)
_hub_case(
    "nan-flows",
    lambda: (_hub, (hub_cost(),), {"flows": hub_flows().replace(4.0, np.nan)}),
    DataError,
    "n2",
)
_hub_case(
    "weights-given",
    lambda: (_hub, (hub_cost(), [1.0, 1.0, 1.0]), {}),
    SpecificationError,
    "weights",
)
_hub_case(
    "required-and-forbidden",
    lambda: (_hub, (hub_cost(),), {"required": ["n2"], "forbidden": ["n2"]}),
    SpecificationError,
    "n2",
)
_hub_case(
    "unknown-required-label",
    lambda: (_hub, (hub_cost(),), {"required": ["n7"]}),
    SpecificationError,
    "n7",
)
_hub_case(
    "unknown-solver",
    lambda: (_hub, (hub_cost(),), {"solve": {"solver": "xpress9"}}),
    SolverError,
    "xpress9",
)


def _policy_cands():
    return pd.DataFrame(
        {"tiers": ["CORE", "PROVINCIAL;RAIL", "ENCOURAGED"], "province": ["A", "B", "B"]},
        index=["x", "y", "z"],
    )


case(
    "locate.policy_constraints-unknown-tier",
    lazy(lambda: (locate.policy_constraints, (_policy_cands(),), {"required_tiers": ["MEGA"]})),
    SpecificationError,
    "MEGA",
)
case(
    "locate.policy_constraints-required-and-forbidden",
    lazy(
        lambda: (
            locate.policy_constraints,
            (_policy_cands(),),
            {"required_tiers": ["RAIL"], "forbidden_tiers": ["PROVINCIAL"]},
        )
    ),
    SpecificationError,
    "y",
)
case(
    "locate.policy_constraints-no-tiers-column",
    lazy(
        lambda: (
            locate.policy_constraints,
            (_policy_cands().drop(columns="tiers"),),
            {"required_tiers": "CORE"},
        )
    ),
    DataError,
    "tiers",
)
case(
    "locate.policy_constraints-unknown-group-column",
    lazy(
        lambda: (
            locate.policy_constraints,
            (_policy_cands(),),
            {"group_by": "region", "max_per_group": 1},
        )
    ),
    SpecificationError,
    "region",
)
case(
    "locate.Solution.to_geodataframe-without-geometry",
    lazy(
        lambda: (
            lambda m: m.solve().to_geodataframe(),
            (_build_model("PMedian", cost_frame()),),
            {},
        )
    ),
    SpecificationError,
    "geometry",
)


def _geo_model(name, demand, candidates, **kw):
    params = {**MODEL_PARAMS[name], **kw}
    return model_cls(name).from_geodataframe(demand, candidates, **params)


case(
    "locate.from_geodataframe-nan-coordinate",
    lazy(
        lambda: (
            _geo_model,
            ("PMedian", points(lat=[39.9, np.nan, 23.1]), points()),
            {"weight": None},
        )
    ),
    DataError,
    "310000",
)
case(
    "locate.from_geodataframe-lon-lat-swapped",
    lazy(lambda: (_geo_model, ("PMedian", points(), points(lon=LAT, lat=LON)), {})),
    DataError,
    "110000",
)
case(
    "locate.from_geodataframe-missing-crs",
    lazy(lambda: (_geo_model, ("PMedian", points(crs=None), points()), {})),
    DataError,
    "CRS",
)
case(
    "locate.from_geodataframe-mismatched-crs",
    lazy(lambda: (_geo_model, ("PMedian", points(), points().to_crs("EPSG:3857")), {})),
    DataError,
    "EPSG:3857",
)
case(
    "locate.from_geodataframe-duplicate-labels",
    lazy(lambda: (_geo_model, ("PMedian", points(labels=["x", "y", "x"]), points()), {})),
    DataError,
    "'x'",
)
case(
    "locate.from_geodataframe-empty-demand",
    lazy(lambda: (_geo_model, ("PMedian", points().iloc[:0], points()), {})),
    DataError,
    "0",
)
case(
    "locate.from_geodataframe-unknown-weight-column",
    lazy(lambda: (_geo_model, ("PMedian", points(pop=[1, 2, 3]), points()), {"weight": "volume"})),
    DataError,
    "volume",
)
case(
    "locate.from_geodataframe-non-numeric-weight-column",
    lazy(
        lambda: (
            _geo_model,
            ("PMedian", points(pop=["1", "two", "3"]), points()),
            {"weight": "pop"},
        )
    ),
    DataError,
    "two",
)
case(
    "locate.from_geodataframe-distance-frame-missing-labels",
    lazy(
        lambda: (
            _geo_model,
            ("PMedian", points(), points()),
            {"distance": pd.DataFrame(np.ones((3, 2)), index=LABELS, columns=LABELS[:2])},
        )
    ),
    DataError,
    "440100",
)
case(
    "locate.from_geodataframe-unknown-distance",
    lazy(lambda: (_geo_model, ("PMedian", points(), points()), {"distance": "manhattan"})),
    SpecificationError,
    "manhattan",
)


# --------------------------------------------------------------------------------------
# maps
# --------------------------------------------------------------------------------------


def _cand(**kw):
    return points(name=["北京市", "上海市", "广州市"], tiers=["CORE", "CORE", "CORE"], **kw)


def _hubs():
    return gpd.GeoDataFrame(
        {"city": ["Singapore"], "country": ["Singapore"], "rcep": [True]},
        index=pd.Index(["SGP-SIN"], name="partner_id"),
        geometry=gpd.points_from_xy([103.82], [1.35]),
        crs="EPSG:4326",
    )


def _lanes(**over):
    row = {"name": "ASEAN air", "mode": "air", "origin": "110000;440100", "partners": "SGP-SIN"}
    row.update(over)
    return pd.DataFrame([row], index=["c1"])


def _map_kwargs(**over):
    kw = {"partners": _hubs(), "corridors": _lanes()}
    kw.update(over)
    return kw


for _mapfn in (maps.corridor_map, maps.static_map):
    _n = f"maps.{_mapfn.__name__}"
    _lang = {"lang": "en"} if _mapfn is maps.static_map else {}
    case(
        f"{_n}-candidates-without-crs",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand().set_crs(None, allow_override=True),),
                _map_kwargs(**lg),
            )
        ),
        DataError,
        "CRS",
    )
    case(
        f"{_n}-candidates-plain-frame",
        lazy(lambda f=_mapfn, lg=_lang: (f, (lonlat(),), _map_kwargs(**lg))),
        DataError,
        "DataFrame",
    )
    case(
        f"{_n}-duplicate-labels",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand().set_axis(["110000", "110000", "440100"]),),
                _map_kwargs(**lg),
            )
        ),
        DataError,
        "110000",
    )
    case(
        f"{_n}-empty-candidates",
        lazy(lambda f=_mapfn, lg=_lang: (f, (_cand().iloc[:0],), _map_kwargs(**lg))),
        DataError,
        "110000",
    )
    case(
        f"{_n}-nan-coordinates",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (points(lat=[39.9, np.nan, 23.1], name=["a", "b", "c"]),),
                _map_kwargs(**lg),
            )
        ),
        DataError,
        "310000",
    )
    case(
        f"{_n}-lon-lat-swapped",
        lazy(lambda f=_mapfn, lg=_lang: (f, (points(lon=LAT, lat=LON),), _map_kwargs(**lg))),
        DataError,
        "110000",
    )
    case(
        f"{_n}-solution-unknown-label",
        lazy(lambda f=_mapfn, lg=_lang: (f, (_cand(),), _map_kwargs(solution=["999999"], **lg))),
        DataError,
        "999999",
    )
    case(
        f"{_n}-scores-unknown-label",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand(),),
                _map_kwargs(scores=pd.Series([0.5, 0.7], index=["110000", "888888"]), **lg),
            )
        ),
        DataError,
        "888888",
    )
    case(
        f"{_n}-unknown-corridor-mode",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand(),),
                _map_kwargs(corridors=_lanes(mode="teleport"), **lg),
            )
        ),
        DataError,
        "teleport",
    )
    case(
        f"{_n}-corridor-unknown-partner",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand(),),
                _map_kwargs(corridors=_lanes(partners="ATL-XXX"), **lg),
            )
        ),
        DataError,
        "ATL-XXX",
    )
    case(
        f"{_n}-unknown-tier",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand().assign(tiers=["CORE", "MEGA", "CORE"]),),
                _map_kwargs(**lg),
            )
        ),
        DataError,
        "MEGA",
    )
    case(
        f"{_n}-scores-not-numeric",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand(),),
                _map_kwargs(scores=pd.Series([0.5, "high"], index=["110000", "310000"]), **lg),
            )
        ),
        DataError,
        "high",
        "310000",
    )
    case(
        f"{_n}-scores-duplicate-labels",
        lazy(
            lambda f=_mapfn, lg=_lang: (
                f,
                (_cand(),),
                _map_kwargs(scores=pd.Series([0.5, 0.7], index=["110000", "110000"]), **lg),
            )
        ),
        DataError,
        "110000",
    )
    case(
        f"{_n}-lang-not-a-string",
        lazy(lambda f=_mapfn: (f, (_cand(),), _map_kwargs(lang=["en"]))),
        SpecificationError,
        "['en']",
    )
    case(
        f"{_n}-unknown-lang",
        lazy(lambda f=_mapfn: (f, (_cand(),), _map_kwargs(lang="fr"))),
        SpecificationError,
        "fr",
    )
    case(
        f"{_n}-solution-wrong-type",
        lazy(lambda f=_mapfn, lg=_lang: (f, (_cand(),), _map_kwargs(solution=42, **lg))),
        SpecificationError,
        "int",
    )
case(
    "maps.corridor_map-unknown-tiles",
    lazy(lambda: (maps.corridor_map, (_cand(),), _map_kwargs(tiles="google"))),
    SpecificationError,
    "google",
)
case(
    "maps.corridor_map-tianditu-without-key",
    lazy(lambda: (maps.corridor_map, (_cand(),), _map_kwargs(tiles="tianditu"))),
    SpecificationError,
    "tiles_key",
)


# --------------------------------------------------------------------------------------
# scenarios and plots
# --------------------------------------------------------------------------------------


def _area(width, height):
    return {"area": width * height}


sw = scenarios.sweep
case("scenarios.sweep-grid-not-a-mapping", call(sw, _area, [1, 2]), SpecificationError, "list")
case(
    "scenarios.sweep-empty-values",
    lazy(lambda: (sw, (_area, {"width": [], "height": [1]}), {})),
    SpecificationError,
    "width",
)
case(
    "scenarios.sweep-bad-parameter-name",
    lazy(lambda: (sw, (_area, {"1width": [1]}), {})),
    SpecificationError,
    "1width",
)
case(
    "scenarios.sweep-scalar-values",
    lazy(lambda: (sw, (_area, {"width": 3, "height": [1]}), {})),
    SpecificationError,
    "3",
)
case(
    "scenarios.sweep-fn-not-callable",
    lazy(lambda: (sw, ("area", {"width": [1]}), {})),
    SpecificationError,
    "str",
)
case(
    "scenarios.sweep-unknown-errors-option",
    lazy(lambda: (sw, (_area, {"width": [1], "height": [2]}), {"errors": "ignore"})),
    SpecificationError,
    "ignore",
)
case(
    "scenarios.p_sweep-p-zero",
    lazy(lambda: (scenarios.p_sweep, (), {"cost": cost_frame(), "p": [0], "progress": False})),
    SpecificationError,
    "0",
)
case(
    "scenarios.p_sweep-p-fractional",
    lazy(lambda: (scenarios.p_sweep, (), {"cost": cost_frame(), "p": [1.5], "progress": False})),
    SpecificationError,
    "1.5",
)
case(
    "scenarios.p_sweep-p-above-candidates",
    lazy(lambda: (scenarios.p_sweep, (), {"cost": cost_frame(), "p": [1, 7], "progress": False})),
    SpecificationError,
    "7",
)
case(
    "scenarios.p_sweep-unknown-model",
    lazy(
        lambda: (
            scenarios.p_sweep,
            (),
            {"cost": cost_frame(), "p": [1], "model": "pcentre", "progress": False},
        )
    ),
    SpecificationError,
    "pcentre",
)
case(
    "scenarios.p_sweep-cost-and-frames",
    lazy(
        lambda: (
            scenarios.p_sweep,
            (points(), points()),
            {"cost": cost_frame(), "p": [1], "progress": False},
        )
    ),
    SpecificationError,
    "cost",
)
case(
    "scenarios.p_sweep-unknown-weight-column",
    lazy(
        lambda: (
            scenarios.p_sweep,
            (points(), points()),
            {"weight": "parcels", "p": [1], "progress": False},
        )
    ),
    BorderhubError,
    "parcels",
)
case(
    "scenarios.p_sweep-unknown-solver",
    lazy(
        lambda: (
            scenarios.p_sweep,
            (),
            {"cost": cost_frame(), "p": [1], "solver": "nosuch", "progress": False},
        )
    ),
    SolverError,
    "nosuch",
)
case(
    "scenarios.weight_sweep-zero-factor",
    lazy(
        lambda: (
            scenarios.weight_sweep,
            (cities(), CRIT),
            {"factors": [0.0, 2.0], "progress": False},
        )
    ),
    SpecificationError,
    "0.0",
)
case(
    "scenarios.weight_sweep-unknown-method",
    lazy(
        lambda: (scenarios.weight_sweep, (cities(), CRIT), {"method": "electre", "progress": False})
    ),
    SpecificationError,
    "electre",
)
case(
    "scenarios.weight_sweep-top-k-zero",
    lazy(lambda: (scenarios.weight_sweep, (cities(), CRIT), {"top_k": 0, "progress": False})),
    SpecificationError,
    "0",
)
case(
    "scenarios.weight_sweep-nan-criterion",  # one all-NaN criterion alone is left out
    lazy(
        lambda: (
            scenarios.weight_sweep,
            (_cities_with("km", [np.nan, np.nan, np.nan]).assign(volume=np.nan), CRIT),
            {"progress": False},
        )
    ),
    DataError,
    "km",
    "volume",
)
case(
    "scenarios.growth_sweep-rate-below-minus-one",
    lazy(
        lambda: (
            scenarios.growth_sweep,
            (),
            {"cost": cost_frame(), "rates": [-1.5], "p": 1, "progress": False},
        )
    ),
    SpecificationError,
    "-1.5",
)
case(
    "scenarios.growth_sweep-empty-rates",
    lazy(
        lambda: (
            scenarios.growth_sweep,
            (),
            {"cost": cost_frame(), "rates": [], "p": 1, "progress": False},
        )
    ),
    SpecificationError,
    "rates",
)
case(
    "scenarios.growth_sweep-negative-weights",
    lazy(
        lambda: (
            scenarios.growth_sweep,
            (),
            {"cost": cost_frame(), "weights": [1.0, -1.0, 1.0, 1.0], "p": 1, "progress": False},
        )
    ),
    BorderhubError,
    "d2",
)
case(
    "scenarios.growth_sweep-rate-not-numeric",
    lazy(
        lambda: (
            scenarios.growth_sweep,
            (),
            {"cost": cost_frame(), "rates": ["fast"], "p": 1, "progress": False},
        )
    ),
    SpecificationError,
    "fast",
)
case(
    "scenarios.weight_sweep-factor-not-numeric",
    lazy(
        lambda: (
            scenarios.weight_sweep,
            (cities(), CRIT),
            {"factors": [2.0, None], "progress": False},
        )
    ),
    SpecificationError,
    "None",
)
case(
    "scenarios.growth_sweep-rate-missing",
    lazy(
        lambda: (
            scenarios.growth_sweep,
            (),
            {"cost": cost_frame(), "rates": pd.NA, "p": 1, "progress": False},
        )
    ),
    SpecificationError,
    "<NA>",
)
case(
    "scenarios.growth_sweep-year-not-whole",
    lazy(
        lambda: (
            scenarios.growth_sweep,
            (),
            {"cost": cost_frame(), "years": [2021, 2022.5], "p": 1, "progress": False},
        )
    ),
    SpecificationError,
    "2022.5",
)
case(
    "scenarios.growth_sweep-year-nan",
    lazy(
        lambda: (
            scenarios.growth_sweep,
            (),
            {"cost": cost_frame(), "years": [math.nan], "p": 1, "progress": False},
        )
    ),
    SpecificationError,
    "nan",
)
case(
    "scenarios.elbow-non-numeric-objective",
    lazy(
        lambda: (
            scenarios.elbow,
            (pd.DataFrame({"p": [1, 2, 3], "objective": [3.0, "two", 1.0]}),),
            {},
        )
    ),
    DataError,
    "two",
)
case(
    "scenarios.solve_scenario-unknown-model",
    lazy(lambda: (scenarios.solve_scenario, (cost_frame(),), {"model": "kmeans", "p": 1})),
    SpecificationError,
    "kmeans",
)
case(
    "scenarios.elbow-missing-column",
    lazy(lambda: (scenarios.elbow, (pd.DataFrame({"p": [1, 2, 3], "cost": [3.0, 2.0, 1.0]}),), {})),
    DataError,
    "objective",
)
case(
    "plots.plot_cost_curve-missing-column",
    lazy(lambda: (plots.plot_cost_curve, (pd.DataFrame({"p": [1, 2, 3]}),), {})),
    DataError,
    "objective",
)
case(
    "plots.plot_cost_curve-non-numeric-objective",
    lazy(
        lambda: (
            plots.plot_cost_curve,
            (pd.DataFrame({"p": [1, 2, 3], "objective": [3.0, "two", 1.0]}),),
            {},
        )
    ),
    DataError,
    "two",
)
case(
    "plots.plot_rank_stability-non-numeric-rank",
    lazy(
        lambda: (
            plots.plot_rank_stability,
            (
                pd.DataFrame(
                    {"rank": [1, "first"], "mean_rank": [1.0, 2.0], "rank_lo": [1, 1],
                     "rank_hi": [2, 2], "best_rank": [1, 1], "worst_rank": [2, 2],
                     "p_top_k": [1.0, 0.5]},
                    index=["a", "b"],
                ),
            ),
            {},
        )
    ),
    DataError,
    "first",
)  # fmt: skip


def _stability():
    return scoring.rank_stability(cities(), CRIT, n=20)


case(
    "plots.plot_rank_stability-top-zero",
    lazy(lambda: (plots.plot_rank_stability, (_stability(),), {"top": 0})),
    SpecificationError,
    "0",
)
case(
    "plots.plot_rank_stability-names-a-list",
    lazy(lambda: (plots.plot_rank_stability, (_stability(),), {"names": ["a", "b", "c"]})),
    SpecificationError,
    "list",
)
case(
    "plots.plot_rank_stability-not-a-frame",
    lazy(lambda: (plots.plot_rank_stability, ([1, 2, 3],), {})),
    DataError,
    "list",
)


# --------------------------------------------------------------------------------------
# one home per concept: tiers, points
# --------------------------------------------------------------------------------------

case(
    "policy.parse_tiers-unknown-tier",
    call(policy.parse_tiers, "CORE;MEGA", label="x"),
    DataError,
    "MEGA",
    "'x'",
)
case(
    "policy.as_tiers-unknown-tier",
    call(policy.as_tiers, ["CORE", "capital"], argument="required_tiers"),
    SpecificationError,
    "capital",
    "required_tiers",
)
case("policy.as_tiers-not-a-name", call(policy.as_tiers, [3]), SpecificationError, "3")
case(
    "policy.candidate_tiers-no-tiers-column",
    lazy(lambda: (policy.candidate_tiers, (pd.DataFrame({"coastal": [True]}, index=["a"]),), {})),
    DataError,
    "tiers",
)
case(
    "policy.tier_members-unknown-cell",
    lazy(
        lambda: (
            policy.tier_members,
            (pd.DataFrame({"tiers": ["CORE", "HUB"]}, index=["a", "b"]), "CORE"),
            {},
        )
    ),
    DataError,
    "HUB",
    "'b'",
)
case(
    "geo.as_points-lines",
    lazy(
        lambda: (
            geo.as_points,
            (
                gpd.GeoDataFrame(
                    geometry=[LineString([(100, 30), (101, 31)])], index=["l1"], crs="EPSG:4326"
                ),
                "demand",
            ),
            {},
        )
    ),
    DataError,
    "l1",
    "LineString",
)
case(
    "geo.as_points-no-crs",
    lazy(lambda: (geo.as_points, (gpd.GeoDataFrame(geometry=gpd.points_from_xy([1], [2])),), {})),
    DataError,
    "CRS",
)

case("locate.model_class-unknown", call(locate.model_class, "kmeans"), SpecificationError, "kmeans")
case("locate.Param-kind", call(locate.Param, list), SpecificationError, "list")
case("locate.Param-closed", call(locate.Param, closed="open"), SpecificationError, "open")
case("locate.register-not-a-model", call(locate.register, dict), SpecificationError, "dict")
case("locate.model_name-unknown", call(locate.model_name, 3), SpecificationError, "3")

case("datasets.table-unknown", call(datasets.table, "cities"), DataError, "cities")
case("datasets.table_version-unknown", call(datasets.table_version, 3), DataError, "3")

# cross-border flows
# --------------------------------------------------------------------------------------


def _cb_tables(**change):
    """Domestic, international and flow tables of a tiny cross-border instance."""
    dom = pd.DataFrame([[0.0, 6.0, 9.0], [6.0, 0.0, 4.0]], index=["o1", "o2"],
                       columns=["a", "b", "c"])  # fmt: skip
    intl = pd.DataFrame({"K1": [2.0, 8.0, 1.0], "K2": [np.nan, 3.0, np.nan]},
                        index=["a", "b", "c"])  # fmt: skip
    fl = pd.DataFrame({"K1": [1.0, 1.0], "K2": [1.0, 2.0]}, index=["o1", "o2"])
    tables = {"domestic": dom, "international": intl, "flows": fl}
    tables.update(change)
    return tables["domestic"], tables["international"], tables["flows"]


def _cb(p=2, **change):
    return lazy(lambda: (locate.CrossBorderMedian.from_cost_matrices, _cb_tables(**change),
                         {"p": p}))  # fmt: skip


def _cb_solution():
    return locate.CrossBorderMedian.from_cost_matrices(*_cb_tables(), p=2).solve()


case("locate.CrossBorderMedian-negative-flow",
     _cb(flows=pd.DataFrame({"K1": [1.0, -1.0], "K2": [1.0, 2.0]}, index=["o1", "o2"])),
     DataError, "o2", "-1.0")  # fmt: skip
case("locate.CrossBorderMedian-missing-flow",
     _cb(flows=pd.DataFrame({"K1": [1.0, np.nan], "K2": [1.0, 2.0]}, index=["o1", "o2"])),
     DataError, "o2")  # fmt: skip
case("locate.CrossBorderMedian-unknown-origin",
     _cb(flows=pd.DataFrame({"K1": [1.0], "K2": [1.0]}, index=["zz"])),
     DataError, "zz")  # fmt: skip
case("locate.CrossBorderMedian-unknown-partner",
     _cb(flows=pd.DataFrame({"KX": [1.0, 1.0]}, index=["o1", "o2"])), DataError, "KX")  # fmt: skip
case("locate.CrossBorderMedian-unroutable-partner",
     _cb(international=pd.DataFrame({"K1": [2.0, 8.0, 1.0], "K2": [np.nan] * 3},
                                    index=["a", "b", "c"])),
     DataError, "K2", "no gateway")  # fmt: skip
case("locate.CrossBorderMedian-p-above-routing-centres",
     _cb(p=3, flows=pd.DataFrame({"K1": [0.0, 0.0], "K2": [1.0, 2.0]}, index=["o1", "o2"])),
     SpecificationError, "p=3")  # fmt: skip
case("locate.CrossBorderMedian.from_geodataframe-partners-without-iso3",
     lazy(lambda: (locate.CrossBorderMedian.from_geodataframe,
                   (points(), points(), points()), {"p": 1})),
     DataError, "iso3")  # fmt: skip
case("locate.CrossBorderSolution.loads-unknown-key",
     lazy(lambda: (_cb_solution().loads, ("country",), {})),
     SpecificationError, "country")  # fmt: skip
case("locate.gateway_costs-unknown-mode",
     lazy(lambda: (locate.gateway_costs, (points(), points(iso3=["JPN"] * 3)),
                   {"modes": {"ship": {"rate": 1.0}}})),
     SpecificationError, "ship")  # fmt: skip
case("locate.gateways-candidates-without-points",
     lazy(lambda: (locate.gateways, (pd.DataFrame({"name": ["x"]}, index=["a"]),), {})),
     DataError, "lon")  # fmt: skip
case("locate.solve_crossborder-share-above-one",
     lazy(lambda: (locate.solve_crossborder,
                   (points(), points(express_volume=[1.0, 2.0, 3.0]), points(iso3=["JPN"] * 3)),
                   {"p": 1, "share": 1.5})),
     SpecificationError, "1.5")  # fmt: skip
case("flows.international_demand-negative-volume",
     lazy(lambda: (flows.international_demand,
                   (points(express_volume=[1.0, -2.0, 3.0]), points(iso3=["JPN"] * 3)), {})),
     DataError, "310000")  # fmt: skip
case("flows.international_demand-unknown-split-partner",
     lazy(lambda: (flows.international_demand,
                   (points(express_volume=[1.0, 2.0, 3.0]), points(iso3=["JPN"] * 3)),
                   {"split": pd.Series({"XXX": 1.0})})),
     DataError, "XXX")  # fmt: skip
case("flows.gateway_costs-unknown-mode",
     lazy(lambda: (flows.gateway_costs, (points(), points(iso3=["JPN"] * 3)),
                   {"modes": {"ship": {"rate": 1.0}}})),
     SpecificationError, "ship")  # fmt: skip
case("flows.gateways-candidates-without-points",
     lazy(lambda: (flows.gateways, (pd.DataFrame({"name": ["x"]}, index=["a"]),), {})),
     DataError, "lon")  # fmt: skip
case("flows.mode_table-negative-rate", call(flows.mode_table, {"air": {"rate": -2.0}}),
     SpecificationError, "-2.0")  # fmt: skip
case("maps.build_scene-unknown-lang", call(maps.build_scene, lang="fr"), SpecificationError, "fr")
case("maps.corridor_map-flows-without-gateways",
     lazy(lambda: (maps.corridor_map, (), {"flows": _cb_solution()})),
     SpecificationError, "routes=")  # fmt: skip
case("maps.register_layer-taken-key",
     call(maps.register_layer, "centres", lambda ctx: []),
     SpecificationError, "centres")  # fmt: skip
case("maps.unregister_layer-unknown-key", call(maps.unregister_layer, "no-such-layer"),
     SpecificationError, "no-such-layer")  # fmt: skip
for _fn in ("flow_segments", "add_flow_layer", "plot_flows"):
    case(f"flowmap.{_fn}-solution-without-gateways",
         lazy(lambda fn=_fn: (getattr(flowmap, fn),
                              (*(() if fn == "flow_segments" else (None,)), _cb_solution(),
                               points(), points()), {})),
         SpecificationError, "routes=")  # fmt: skip


def _robust(**kwargs):
    """A call of robustness.robustness on the small cost matrix, with ``kwargs`` changed."""
    options = {"cost": cost_frame(), "weights": [1.0, 2.0, 1.0, 3.0], "p": 1, "n": 4,
               "spread": 0.2, "progress": False}  # fmt: skip
    options.update(kwargs)
    return robustness_module.robustness, ("pmedian",), options


def _robust_result():
    fn, args, kwargs = _robust()
    return fn(*args, **kwargs)


case("robustness.robustness-n-zero", lazy(lambda: _robust(n=0)), SpecificationError, "0")
case("robustness.robustness-n-float", lazy(lambda: _robust(n=2.5)), SpecificationError, "2.5")
case(
    "robustness.robustness-negative-spread",
    lazy(lambda: _robust(spread={"d2": -0.5})),
    SpecificationError,
    "d2",
    "-0.5",
)
case(
    "robustness.robustness-nan-spread",
    lazy(lambda: _robust(spread=float("nan"))),
    SpecificationError,
    "nan",
)
case(
    "robustness.robustness-unknown-model",
    lazy(lambda: (robustness_module.robustness, ("pmedain",), _robust()[2])),
    SpecificationError,
    "pmedain",
)
case(
    "robustness.robustness-not-an-executor",
    lazy(lambda: _robust(executor="pool")),
    SpecificationError,
    "str",
)
case(
    "robustness.robustness-weights-all-zero",
    lazy(lambda: _robust(weights=[0.0, 0.0, 0.0, 0.0])),
    DataError,
    "all zero",
)
case(
    "robustness.robustness-no-spread-known",
    lazy(lambda: _robust(spread=None)),
    SpecificationError,
    "spread=",
)
case(
    "robustness.RobustnessResult.stable-threshold",
    lazy(lambda: (_robust_result().stable, (1.5,), {})),
    SpecificationError,
    "1.5",
)
case(
    "robustness.RobustnessResult.draw_weights-out-of-range",
    lazy(lambda: (_robust_result().draw_weights, (7,), {})),
    SpecificationError,
    "7",
)
case(
    "plots.plot_selection_frequency-not-a-result",
    lazy(lambda: (plots.plot_selection_frequency, (pd.DataFrame({"frequency": [1.0]}),), {})),
    DataError,
    "DataFrame",
)
case(
    "plots.plot_regret-bins-zero",
    lazy(lambda: (plots.plot_regret, (_robust_result(),), {"bins": 0})),
    SpecificationError,
    "0",
)
case(
    "plots.plot_robustness-not-a-result",
    lazy(lambda: (plots.plot_robustness, ({},), {})),
    DataError,
    "dict",
)


# --------------------------------------------------------------------------------------
# the main job as a library, and its reader/writer module
# --------------------------------------------------------------------------------------

case(
    "policy.tiers_report-unknown-tier",
    call(policy.tiers_report, "MEGA"),
    SpecificationError,
    "MEGA",
)
case(
    "pipeline.run_plan-unknown-option",
    call(pipeline.run_plan, colour="red"),
    pipeline.PlanOptionError,
    "colour",
)
case(
    "pipeline.run_plan-unknown-province",
    call(pipeline.run_plan, provinces=["火星"]),
    pipeline.PlanOptionError,
    "火星",
)
case(
    "pipeline.run_plan-not-a-frame",
    call(pipeline.run_plan, candidates=[1, 2]),
    DataError,
    "list",
)
case(
    "pipeline.PlanConfig-radius-for-pmedian",
    call(pipeline.PlanConfig, radius=100.0),
    pipeline.PlanOptionError,
    "radius",
)
case("pipeline.PlanConfig-p-zero", call(pipeline.PlanConfig, p=0), pipeline.PlanOptionError, "0")
case(
    "pipeline.PlanConfig-robustness-zero",
    call(pipeline.PlanConfig, robustness=0),
    pipeline.PlanOptionError,
    "robustness",
    "0",
)
case(
    "pipeline.PlanConfig-workers-and-scheduler",
    call(pipeline.PlanConfig, robustness=5, workers=2, scheduler="tcp://127.0.0.1:8786"),
    pipeline.PlanOptionError,
    "workers",
    "scheduler",
)
case(
    "pipeline.PlanConfig-share-above-one",
    call(pipeline.PlanConfig, model="crossborder", share=1.2),
    pipeline.PlanOptionError,
    "share",
    "1.2",
)
case(
    "pipeline.PlanConfig-share-for-pmedian",
    call(pipeline.PlanConfig, share=0.1),
    pipeline.PlanOptionError,
    "share",
    "crossborder",
)
case(
    "pipeline.PlanConfig-unknown-mode",
    call(pipeline.PlanConfig, model="crossborder", modes="ship.rate=1"),
    pipeline.PlanOptionError,
    "ship",
)
case(
    "pipeline.run_plan-spread-without-robustness",
    call(pipeline.run_plan, model="crossborder", spread=0.2),
    pipeline.PlanOptionError,
    "spread",
    "robustness",
)
case(
    "pipeline.run_plan-split-file-missing",
    call(pipeline.run_plan, model="crossborder", split="no-such-split.csv", score=False),
    DataError,
    "no-such-split.csv",
)


def _io_file(name: str, text: str):
    def build(ctx):
        path = ctx.tmp / name
        path.write_text(text, encoding="utf-8")
        return path

    return build


case(
    "io.read_points-no-coordinates",
    lambda ctx: (bio.read_points, (_io_file("p.csv", "id,x,y\na,1,2\n")(ctx),), {}),
    DataError,
    "p.csv",
    "lon",
)
case(
    "io.read_points-unknown-lat-column",
    lambda ctx: (
        bio.read_points,
        (_io_file("p.csv", "id,lon,lat\na,116,39\n")(ctx),),
        {"lon_column": "lon", "lat_column": "y"},
    ),
    DataError,
    "'y'",
)
case(
    "io.read_points-unknown-datum",
    call(bio.read_points, "p.csv", coordinates="wgs72"),
    SpecificationError,
    "wgs72",
)
case(
    "io.read_solution-missing-columns",
    lambda ctx: (bio.read_solution, (_io_file("s.csv", "x,y\n1,2\n")(ctx),), {}),
    DataError,
    "facility",
)
case(
    "io.read_scores-not-numeric",
    lambda ctx: (bio.read_scores, (_io_file("s.csv", "id,score\na,high\n")(ctx),), {}),
    DataError,
    "high",
)
case(
    "io.read_partner_split-unknown-partner",
    lambda ctx: (
        bio.read_partner_split,
        (_io_file("split.csv", "partner,share\nVNM-HAN,2\nATLANTIS,1\n")(ctx),),
        {},
    ),
    DataError,
    "ATLANTIS",
)
case(
    "io.read_partner_split-no-share-column",
    lambda ctx: (
        bio.read_partner_split,
        (_io_file("split.csv", "partner,weight\nVNM-HAN,2\n")(ctx),),
        {},
    ),
    DataError,
    "share",
)
case(
    "io.write_solution-not-a-solution",
    call(bio.write_solution, 3, "x.csv"),
    SpecificationError,
    "int",
)
case("io.solution_table-not-a-solution", call(bio.solution_table, "x"), SpecificationError, "str")
case("io.write_table-not-a-frame", call(bio.write_table, [1], "x.csv"), SpecificationError, "list")
case(
    "io.write_geojson-mixed-types",
    lazy(
        lambda: (
            bio.write_geojson,
            (
                gpd.GeoDataFrame(
                    geometry=[
                        LineString([(100, 30), (101, 31)]),
                        Polygon([(0, 0), (1, 0), (1, 1)]),
                    ],
                    crs="EPSG:4326",
                ),
                "x.geojson",
            ),
            {},
        )
    ),
    DataError,
    "LineString",
    "Polygon",
)


def _symlinked_folder(ctx):
    (ctx.tmp / "real").mkdir(exist_ok=True)
    link = ctx.tmp / "results-link"
    if not link.is_symlink():
        link.symlink_to(ctx.tmp / "real")
    return link


case(
    "io.ResultWriter-symlink",
    lambda ctx: (bio.ResultWriter, (_symlinked_folder(ctx),), {}),
    OutputError,
    "results-link",
    "symbolic link",
)
case(
    "io.check_output_dir-a-file",
    lambda ctx: (bio.check_output_dir, (_io_file("results", "x")(ctx),), {}),
    OutputError,
    "results",
    "not a folder",
)
case("io.csv_text-not-a-frame", call(bio.csv_text, [1]), SpecificationError, "list")
case("io.printable_frame-not-a-frame", call(bio.printable_frame, [1]), SpecificationError, "list")
case("io.geojson_text-not-a-frame", call(bio.geojson_text, [1]), DataError, "list")
case(
    "io.decode_text-mixed-encodings",
    call(bio.decode_text, "北京\n".encode() + "上海\n".encode("gbk"), name="m.csv"),
    DataError,
    "m.csv",
    "line 2",
    "encoding=",
)
case(
    "io.neutralise_formulas-a-string",
    call(bio.neutralise_formulas, "=x"),
    SpecificationError,
    "str",
)
case("io.restore_formulas-a-list", call(bio.restore_formulas, ["'=x"]), SpecificationError, "list")
case(
    "io.check_places-no-coordinates",
    call(bio.check_places, pd.DataFrame({"x": [1.0]})),
    SpecificationError,
    "lon/lat",
)
case(
    "io.check_places-strict-paris",
    call(
        bio.check_places,
        pd.DataFrame({"lon": [2.35], "lat": [48.86]}, index=["paris"]),
        "candidates",
        strict=True,
    ),
    DataError,
    "paris",
    "candidates",
)
case(
    "io.check_memory-too-large",
    call(bio.check_memory, 60_000, 60_000, available=24 * 2**30),
    SpecificationError,
    "60000 demand units",
    "fewer candidates",
)
case("io.estimate_memory-negative", call(bio.estimate_memory, -5, 3), SpecificationError, "-5")
case(
    "io.thin_points-zero-limit",
    call(bio.thin_points, pd.DataFrame({"x": [1]}), 0),
    SpecificationError,
    "limit",
)


# --------------------------------------------------------------------------------------
# routes: distances by network, gateways from the infrastructure, a study's own tables
# --------------------------------------------------------------------------------------


def _file(ctx: Any, name: str, text: str) -> Any:
    path = ctx.tmp / name
    path.write_text(text, encoding="utf-8")
    return path


case("routes.check_distance-unknown", call(routes.check_distance, "car"), SpecificationError,
     "car", "geodesic")  # fmt: skip
case("routes.network_km-unknown-mode", lazy(lambda: (routes.network_km, (lonlat(), lonlat(),
     "bus"), {})), SpecificationError, "bus")  # fmt: skip
case("routes.crossings-sea", call(routes.crossings, "sea"), SpecificationError, "sea")
case("routes.infrastructure_gateways-without-airportsdata",
     lambda ctx: (ctx.monkeypatch.setattr(routes.util, "find_spec", lambda n: None),
                  (routes.infrastructure_gateways, (lonlat(name=["a", "b", "c"]),
                   datasets.border_ports()), {}))[1],
     SpecificationError, "airportsdata", "network")  # fmt: skip
case("routes.read_partners-no-iso3",
     lambda ctx: (routes.read_partners, (_file(ctx, "p.csv", "partner,lon,lat\nX,1,2\n"),), {}),
     DataError, "iso3")  # fmt: skip
case("routes.read_partners-bad-iso3",
     lambda ctx: (routes.read_partners,
                  (_file(ctx, "p.csv", "partner,iso3,lon,lat\nX,Mongolia,106,47\n"),), {}),
     DataError, "iso3", "X")  # fmt: skip
case("routes.read_gateways-unknown-mode",
     lambda ctx: (routes.read_gateways,
                  (_file(ctx, "g.csv", "gateway,mode,lon,lat,reach\ng1,ship,121,31,*\n"),), {}),
     DataError, "g1", "mode")  # fmt: skip
case("routes.read_gateways-no-reach",
     lambda ctx: (routes.read_gateways,
                  (_file(ctx, "g.csv", "gateway,mode,lon,lat\ng1,air,121,31\n"),), {}),
     DataError, "reach")  # fmt: skip
case("scenarios.gateway_cost_sweep-unknown-parameter",
     lazy(lambda: (scenarios.gateway_cost_sweep, ([1.0], points(), points(), points()),
                   {"p": 1, "mode": "air", "parameter": "border"})),
     SpecificationError, "air.border")  # fmt: skip
case("scenarios.gateway_cost_sweep-bad-ratio",
     lazy(lambda: (scenarios.gateway_cost_sweep, ([-2.0], points(), points(), points()),
                   {"p": 1})),
     SpecificationError, "-2.0")  # fmt: skip


@pytest.mark.parametrize("key", list(CASES), ids=list(CASES))
def test_bad_input(key, ctx):
    _check(CASES[key], ctx)


def test_every_public_entry_point_has_a_case():
    """Each name of borderhub.__all__ (and each public submodule function) is exercised."""
    covered = {key.split("-", 1)[0] for key in CASES}
    modules = {
        "policy": policy,
        "datasets": datasets,
        "geo": geo,
        "scoring": scoring,
        "locate": locate,
        "maps": maps,
        "scenarios": scenarios,
        "robustness": robustness_module,
        "plots": plots,
        "flows": flows,
        "flowmap": flowmap,
        "pipeline": pipeline,
        "io": bio,
        "network": network,
        "routes": routes,
    }
    skip = {
        # no input to get wrong (or only the environment, covered by the datasets cases)
        "policy.column4",
        "policy.Indicator",
        "policy.INDICATORS",
        "datasets.ENV_VAR",
        "datasets.BOUNDARY_LEVELS",
        "datasets.SOURCE_GRADES",  # a constant; a bad grade in a table: test_datasets
        "datasets.cbec_pilot_zones",
        "datasets.corridors",
        "scoring.Method",
        "scoring.AHPResult",
        "scoring.default_criteria",
        "scoring.default_weights",
        "scoring.SAATY_RANDOM_INDEX",
        "scoring.TIER_POINTS",
        "scoring.coastal",
        "scoring.airport_cargo",
        "scoring.population",
        "maps.TILES",
        "maps.LEAFLET_VERSION",
        "scenarios.MODELS",
        "pipeline.PlanResult",  # made by run_plan only
        "pipeline.PlanEvent",  # a record the pipeline reports
        "pipeline.PlanOptionError",
        "pipeline.OUTPUTS",
        "io.COORDINATES",
        "io.FORMULA_PREFIXES",
        "io.printable",  # any object: its str() without control characters
        "io.printable_lines",  # any object: its lines without control characters
        "io.MAX_MAP_POINTS",  # a constant: the maps' point budget
        "io.available_memory",  # no input: the machine's
        "locate.MODELS",  # constants of the model registry
        "locate.MODEL_TITLES",
        "locate.P_MODELS",
        "robustness.DEFAULT_SPREADS",
        "locate.registered",  # no input: the registered models
        "locate.LocationModel",  # the shared base, reached through every model
        "locate.Status",
        "plots.plot_static_map",  # a thin wrapper of maps.static_map
        "flows.international_express",  # no input: the bundled table
        "flows.partner_exports",
        "flows.DEFAULT_MODES",  # constants of the gateway costs
        "flows.LANDLOCKED",
        "flows.EUROPE_RAIL",
        "flows.MODE_PARAMETERS",
        "flows.iso3_of",  # any row: its neighbours, or none
        "routes.iso3_of",
        "routes.DISTANCES",  # constants of the routes module
        "routes.CROSSING_KM",
        "routes.AIRPORT_KM",
        "routes.EUROPE_TRANSIT",
        "routes.EUROPE_RAIL",
        "flowmap.MODE_COLOURS",
        "network.MODES",  # constants of the network module
        "network.REGION",
        "network.MAX_SNAP_KM",
        "network.MIN_COMPONENT_NODES",
        "network.CLOSED_PASSAGES",
        "network.PASSAGES",
        "network.CACHE_ENV",
        "network.Route",  # made by route only
        "network.cache_dir",  # no input: the environment
    }
    missing = []
    for mod_name, mod in modules.items():
        for name in mod.__all__:
            qual = f"{mod_name}.{name}"
            if qual in skip:
                continue
            if not any(c == qual or c.startswith(qual + ".") for c in covered):
                missing.append(qual)
    for name in borderhub.__all__:
        obj = getattr(borderhub, name)
        if name.startswith("__") or isinstance(obj, type) and issubclass(obj, BaseException):
            continue
        if name in modules:
            continue
        owners = [m for m, mod in modules.items() if getattr(mod, name, None) is obj]
        if owners and any(f"{m}.{name}" in skip for m in owners):
            continue
        if owners and any(any(c.startswith(f"{m}.{name}") for c in covered) for m in owners):
            continue
        if isinstance(obj, type) and any(c.startswith(f"locate.{name}") for c in covered):
            continue
        missing.append(name)
    for name in MODELS:
        assert any(c == f"locate.{name}" for c in covered), name
    assert not missing, f"public names without a bad-input case: {missing}"


# --------------------------------------------------------------------------------------
# the command line, as a subprocess
# --------------------------------------------------------------------------------------


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


GOOD_CSV = (
    "id,name,lon,lat,express_volume\n"
    "a,甲,116.40,39.90,3.0\nb,乙,121.47,31.23,5.0\nc,丙,113.26,23.13,4.0\n"
)

#: id -> (files {name: content}, arguments (file names are replaced by paths), names in message)
CLI_CASES: dict[str, tuple[dict[str, str | bytes], list[str], tuple[str, ...]]] = {
    "csv-without-lon-column": (
        {"c.csv": "id,x,lat\na,116.4,39.9\nb,121.5,31.2\n"},
        ["--candidates", "c.csv"],
        ("lon",),
    ),
    "csv-nan-latitude": (
        {"c.csv": "id,lon,lat\na,116.4,39.9\nb,121.5,\nc,113.3,23.1\n"},
        ["--candidates", "c.csv"],
        ("'b'",),
    ),
    "csv-non-numeric-longitude": (
        {"c.csv": "id,lon,lat\na,116.4,39.9\nb,east,31.2\nc,113.3,23.1\n"},
        ["--candidates", "c.csv"],
        ("'b'",),
    ),
    "csv-lon-lat-swapped": (
        {"c.csv": "id,lon,lat\na,39.9,116.4\nb,31.2,121.5\nc,23.1,113.3\n"},
        ["--candidates", "c.csv"],
        ("'a'", "swapped"),
    ),
    "csv-duplicate-ids": (
        {"c.csv": "id,lon,lat\na,116.4,39.9\na,121.5,31.2\nc,113.3,23.1\n"},
        ["--candidates", "c.csv"],
        ("'a'",),
    ),
    "csv-empty-file": ({"c.csv": ""}, ["--candidates", "c.csv"], ("c.csv",)),
    "csv-header-only": ({"c.csv": "id,lon,lat\n"}, ["--candidates", "c.csv"], ("c.csv",)),
    "csv-ragged-rows": (
        {"c.csv": 'id,lon,lat\na,116.4,39.9\nb,121.5,31.2,7,8,9\n"c,113.3\n'},
        ["--candidates", "c.csv"],
        ("c.csv",),
    ),
    "csv-binary-garbage": (
        {"c.csv": b"\x00\x01\xff\xfe\x89PNG\r\n\x1a\n\x00\x00"},
        ["--candidates", "c.csv"],
        ("c.csv",),
    ),
    "csv-missing-file": ({}, ["--candidates", "nope.csv"], ("nope.csv",)),
    "demand-negative-weight": (
        {
            "c.csv": GOOD_CSV,
            "d.csv": "id,lon,lat,express_volume\nx,116.4,39.9,2\ny,121.5,31.2,-3\n",
        },
        ["--candidates", "c.csv", "--demand", "d.csv"],
        ("'y'", "express_volume"),
    ),
    "demand-non-numeric-weight": (
        {
            "c.csv": GOOD_CSV,
            "d.csv": "id,lon,lat,express_volume\nx,116.4,39.9,2\ny,121.5,31.2,many\n",
        },
        ["--candidates", "c.csv", "--demand", "d.csv"],
        ("'y'",),
    ),
    "unknown-weight-column": (
        {"c.csv": GOOD_CSV, "d.csv": GOOD_CSV},
        ["--candidates", "c.csv", "--demand", "d.csv", "--weight-column", "parcels"],
        ("parcels",),
    ),
    "p-zero": ({}, ["--p", "0"], ("0",)),
    "p-not-a-number": ({}, ["--p", "many"], ("many",)),
    "p-above-candidates": (
        {"c.csv": GOOD_CSV},
        ["--candidates", "c.csv", "--demand", "c.csv", "--p", "5"],
        ("5", "3"),
    ),
    "radius-negative": ({}, ["--model", "mclp", "--p", "2", "--radius", "-5"], ("-5",)),
    "radius-zero": ({}, ["--model", "lscp", "--radius", "0"], ("0",)),
    "unknown-model": ({}, ["--model", "kmeans"], ("kmeans",)),
    "unknown-solver": (
        {"c.csv": GOOD_CSV},
        ["--candidates", "c.csv", "--demand", "c.csv", "--p", "1", "--solver", "nosuch"],
        ("nosuch",),
    ),
    "unknown-tier": ({}, ["--required-tiers", "CORE,MEGA"], ("MEGA",)),
    "unknown-id-column": (
        {"c.csv": GOOD_CSV},
        ["--candidates", "c.csv", "--id-column", "code"],
        ("code",),
    ),
    "time-limit-negative": ({}, ["--time-limit", "-1"], ("-1",)),
    "mip-gap-above-one": ({}, ["--mip-gap", "2"], ("2",)),
    "fixed-without-fixed-cost": ({}, ["--model", "fixed"], ("--fixed-cost",)),
    "fixed-cost-unknown-column": (
        {"c.csv": GOOD_CSV},
        ["--candidates", "c.csv", "--demand", "c.csv", "--model", "fixed", "--fixed-cost", "rent"],
        ("rent",),
    ),
    "fixed-cost-negative": ({}, ["--model", "fixed", "--fixed-cost", "-5"], ("-5",)),
    "fixed-cost-with-pmedian": ({}, ["--fixed-cost", "3"], ("pmedian",)),
    "radius-with-pcenter": ({}, ["--model", "pcenter", "--radius", "100"], ("pcenter",)),
    "p-with-lscp": ({}, ["--model", "lscp", "--radius", "100", "--p", "3"], ("lscp",)),
    "required-tier-with-no-member": (
        {"c.csv": GOOD_CSV},
        ["--candidates", "c.csv", "--demand", "c.csv", "--p", "2", "--required-tiers", "CORE"],
        ("CORE",),
    ),
    "coordinates-unknown-datum": ({}, ["--coordinates", "wgs72"], ("wgs72",)),
    # the other subcommands (first argument)
    "map-scores-not-numeric": (
        {"s.csv": "adcode,score\n110000,high\n310000,0.5\n"},
        ["map", "--scores", "s.csv"],
        ("high", "110000"),
    ),
    "map-scores-unknown-label": (
        {"s.csv": "adcode,score,rank\n999999,0.5,1\n"},
        ["map", "--scores", "s.csv"],
        ("999999",),
    ),
    "map-solution-unknown-centre": (
        {"sol.csv": "demand,facility,cost,weight\n110000,999999,1.0,2.0\n"},
        ["map", "--solution", "sol.csv"],
        ("999999",),
    ),
    "map-solution-wrong-columns": (
        {"sol.csv": "x,y\n1,2\n"},
        ["map", "--solution", "sol.csv"],
        ("facility",),
    ),
    "score-unknown-method": ({}, ["score", "--method", "electre"], ("electre",)),
    "score-top-zero": ({}, ["score", "--top", "0"], ("0",)),
    "solve-p-above-candidates": ({}, ["solve", "--p", "100"], ("100", "60")),
    "solve-lscp-without-radius": ({}, ["solve", "--model", "lscp"], ("--radius",)),
    "tiers-unknown-tier": ({}, ["tiers", "--tier", "MEGA"], ("MEGA",)),
    "tiers-unknown-format": ({}, ["tiers", "--format", "xml"], ("xml",)),
    "coordinates-without-files": ({}, ["--coordinates", "gcj02"], ("gcj02",)),
    "unknown-province": ({}, ["--provinces", "火星"], ("火星",)),
    "unknown-lat-column": (
        {"c.csv": GOOD_CSV},
        ["--candidates", "c.csv", "--lon-column", "lon", "--lat-column", "y"],
        ("'y'",),
    ),
    "robustness-zero": ({}, ["--robustness", "0"], ("--robustness", "0")),
    "workers-and-scheduler": (
        {},
        ["--robustness", "5", "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"],
        ("--workers", "scheduler"),
    ),
    "share-above-one": ({}, ["--model", "crossborder", "--share", "1.5"], ("--share", "1.5")),
    "share-zero": ({}, ["--model", "crossborder", "--share", "0"], ("--share", "0")),
    "split-file-unreadable": (
        {"split.csv": "partner;share\nATLANTIS;3\n"},
        ["--model", "crossborder", "--split", "split.csv"],
        ("split.csv", "ATLANTIS"),
    ),
    "split-file-binary": (
        {"split.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
        ["--model", "crossborder", "--split", "split.csv"],
        ("split.csv", "partner", "not a text file"),
    ),
    "split-file-missing": (
        {},
        ["--model", "crossborder", "--split", "nowhere.csv"],
        ("nowhere.csv",),
    ),
}

SUBCOMMANDS = ("map", "score", "solve", "tiers")


def _run_cli(key: str, root: Path) -> tuple[subprocess.CompletedProcess, dict, dict]:
    files, argv, _ = CLI_CASES[key]
    here = root / key
    here.mkdir()
    paths = {name: _write(here / name, content) for name, content in files.items()}
    digests = {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in paths.items()}
    args = [str(here / a) if a.endswith(".csv") else a for a in argv]
    if args[0] in SUBCOMMANDS:  # another subcommand, with its own options
        command = [args[0], *(["--out", str(here / "out")] if args[0] != "tiers" else [])]
        args = args[1:]
    else:
        command = ["plan", "--out", str(here / "out")]
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", *command, "--quiet", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=here,
    )
    return proc, paths, digests


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory):
    """Run every command-line case once, a few at a time (each is a fresh interpreter)."""
    root = tmp_path_factory.mktemp("cli_bad_input")
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 1))) as pool:
        futures = {key: pool.submit(_run_cli, key, root) for key in CLI_CASES}
        return {key: f.result() for key, f in futures.items()}


@pytest.mark.parametrize("key", list(CLI_CASES), ids=list(CLI_CASES))
def test_cli_bad_input(key, cli_runs):
    proc, paths, digests = cli_runs[key]
    names = CLI_CASES[key][2]
    assert proc.returncode != 0, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("borderhub: error:"), line
    assert "Traceback" not in line
    for token in names:
        assert token in line, f"{token!r} not named in: {line}"
    assert HINT.search(line.split(":", 2)[-1]), f"no fix suggested in: {line}"
    for name, p in paths.items():
        assert hashlib.sha256(p.read_bytes()).hexdigest() == digests[name], name


# --------------------------------------------------------------------------------------
# the same promise on valid input: nothing the caller passes is modified
# --------------------------------------------------------------------------------------


def _valid_calls() -> dict[str, Callable[[], tuple]]:
    def frames():
        cand = datasets.candidates().iloc[:10]
        dem = datasets.prefectures().iloc[:30]
        return cand, dem

    def solved(cand, dem):
        return locate.PMedian.from_geodataframe(dem, cand, weight="express_volume", p=3).solve()

    def geo_solve(cls, **params):
        def run(dem, cand, gateway):
            model = cls.from_geodataframe(
                dem, cand, weight="express_volume", gateway_cost=gateway, **params
            )
            return model.solve().to_geodataframe()

        return run

    def with_frames(make):
        return lambda: make(*frames())

    return {
        "score": with_frames(lambda c, d: (scoring.score, (c, scoring.default_criteria()), {})),
        "rank_stability": with_frames(
            lambda c, d: (scoring.rank_stability, (c, scoring.default_criteria()), {"n": 20})
        ),
        "distance_matrix": with_frames(lambda c, d: (geo.distance_matrix, (d, c), {})),
        "PMedian": with_frames(
            lambda c, d: (
                geo_solve(locate.PMedian, p=3, groups=c["province"], max_per_group=2),
                (d, c, pd.Series(1.0, index=c.index)),
                {},
            )
        ),
        "MaxCoverage": with_frames(
            lambda c, d: (
                geo_solve(locate.MaxCoverage, p=2, radius=400.0, required=[c.index[0]]),
                (d, c, None),
                {},
            )
        ),
        "corridor_map": with_frames(
            lambda c, d: (
                lambda *a, **k: maps.corridor_map(*a, **k).get_root().render(),
                (c,),
                {"solution": solved(c, d), "demand": d, "partners": datasets.partners()},
            )
        ),
        "static_map": with_frames(
            lambda c, d: (maps.static_map, (c,), {"solution": solved(c, d), "lang": "en"})
        ),
        "p_sweep": with_frames(
            lambda c, d: (scenarios.p_sweep, (d, c), {"p": [1, 2], "progress": False})
        ),
        "growth_sweep": with_frames(
            lambda c, d: (
                scenarios.growth_sweep,
                (d, c),
                {"years": [2021], "rates": {"r": pd.Series(0.1, index=d.index)}, "p": 2,
                 "progress": False},
            )
        ),
        "policy_constraints": with_frames(
            lambda c, d: (
                locate.policy_constraints,
                (c,),
                {"required_tiers": "CORE", "group_by": "province", "max_per_group": 2},
            )
        ),
        "project_volume": with_frames(
            lambda c, d: (policy.project_volume, (d["express_volume"], 2024, 2025, 0.1), {})
        ),
    }  # fmt: skip


VALID = _valid_calls()


@pytest.mark.parametrize("key", list(VALID), ids=list(VALID))
def test_valid_calls_leave_inputs_unchanged(key):
    fn, args, kwargs = VALID[key]()
    before = copy.deepcopy((args, kwargs))
    fn(*args, **kwargs)
    _same(args, before[0], "args")
    _same(kwargs, before[1], "kwargs")


@pytest.mark.parametrize(
    "key", ["csv-nan-latitude", "p-above-candidates", "fixed-cost-unknown-column", "p-zero"]
)
def test_cli_error_is_the_last_line_without_quiet(key, tmp_path):
    """Without --quiet, finished steps are reported first; the error is still one line, last."""
    files, argv, names = CLI_CASES[key]
    for name, content in files.items():
        _write(tmp_path / name, content)
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in argv]
    proc = subprocess.run(
        [sys.executable, "-m", "borderhub", "plan", "--out", str(tmp_path / "out"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert lines[-1].startswith("borderhub: error:") and "Traceback" not in proc.stderr
    assert sum("error" in line for line in lines) == 1, proc.stderr
    for token in names:
        assert token in lines[-1]
    for line in lines[:-1]:  # progress of the steps that finished, or notes
        assert line.startswith("borderhub: ") and "error" not in line, line
