"""The ``borderhub`` command line.

``borderhub`` (or ``python -m borderhub``) runs the library's main jobs from a shell:

``borderhub plan --out DIR``
    The main job: load the bundled data (or the caller's candidates and demand: CSV with
    lon/lat columns, or any file geopandas reads), score the candidates on
    :func:`borderhub.scoring.default_criteria`, solve a location model (``--model
    pmedian|pcenter|mclp|lscp|fixed``, ``--p``, ``--radius``, ``--required-tiers``,
    ``--gateway-weight``, ``--solver``, ``--time-limit``), print the chosen centres with
    their tiers and load, and write ``scores.csv``, ``solution.csv``, ``centres.csv``,
    ``solution.geojson``, ``map.html`` and ``manifest.json`` (versions, input hashes,
    parameters, solver, status, objective, gap, timings); ``--plots`` adds PNG figures.
``borderhub score``, ``borderhub solve``, ``borderhub map``
    The parts of ``plan`` on their own, with the same options.
``borderhub tiers``
    Print the city tiers of 专栏4 of the 14th Five-Year Express Development Plan.

The CSV and GeoJSON files are deterministic: the same input gives byte-identical files
(fixed float format, sorted keys, no timestamps); run-specific facts (timings) live in
``manifest.json`` only. Long steps report progress on standard error (``--quiet`` silences
it).

Every subcommand explains its options with ``--help``. Bad input ends the command with exit
status 2 (a usage error: an unknown option or an impossible value) or 1 (a file that cannot be
read, data that do not fit), and one line ``borderhub: error: <message>`` on standard error.

Examples
--------
>>> from borderhub.cli import main
>>> main(["--version"])  # doctest: +ELLIPSIS
borderhub ...
0
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import os
import platform
import sys
import textwrap
import time
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TextIO

import numpy as np

from borderhub._native import native_stdout_elsewhere

__all__ = ["main", "build_parser"]

PROG = "borderhub"
#: Number of centres when ``--p`` is not given (the plan names 10 CORE places).
_DEFAULT_P = 10


class _UsageError(Exception):
    """A command-line usage error (exit status 2)."""


class _InputError(Exception):
    """Input that cannot be used: missing file, unreadable table (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that reports usage errors as exceptions instead of exiting.

    ``main`` turns them into one line on standard error and exit status 2, so that every
    error of the command line has the same shape.
    """

    def error(self, message: str) -> NoReturn:  # noqa: D102 - argparse hook
        raise _UsageError(f"{message} (see '{self.prog} --help')")


class _Progress:
    """Step-by-step progress on standard error: ``borderhub: <step> ... done (1.2 s)``.

    On a terminal the step is shown while it runs and completed in place; elsewhere (a pipe,
    a log file) each step is written as one line when it is done. A failed step leaves
    nothing behind, so that an error is the single line ``borderhub: error: ...``.

    Parameters
    ----------
    quiet : bool
        Print nothing.
    stream : file-like, optional
        Where to write; standard error by default.
    """

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.timings: dict[str, float] = {}
        try:
            self.live = bool(self.stream.isatty())
        except (AttributeError, ValueError):
            self.live = False

    def step(self, key: str, message: str) -> _Step:
        return _Step(self, key, message)

    def note(self, message: str) -> None:
        if not self.quiet:
            print(f"{PROG}: {message}", file=self.stream, flush=True)


class _Step:
    def __init__(self, progress: _Progress, key: str, message: str) -> None:
        self.progress = progress
        self.key = key
        self.text = f"{PROG}: {message} ..."
        self.start = 0.0

    def __enter__(self) -> _Step:
        self.start = time.perf_counter()
        if not self.progress.quiet and self.progress.live:
            print(self.text, end="", file=self.progress.stream, flush=True)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        elapsed = time.perf_counter() - self.start
        self.progress.timings[self.key] = self.progress.timings.get(self.key, 0.0) + elapsed
        progress = self.progress
        if progress.quiet:
            return
        if exc_type is not None:
            if progress.live:
                print("\r\033[K", end="", file=progress.stream, flush=True)
            return
        done = f" done ({elapsed:.2f} s)"
        if progress.live:
            print(done, file=progress.stream, flush=True)
        else:
            print(self.text + done, file=progress.stream, flush=True)


# --------------------------------------------------------------------------------------------
# tiers
# --------------------------------------------------------------------------------------------


def _tier_list(text: str) -> list[Any]:
    """Parse ``CORE,RAIL`` into a list of Tier (argparse ``type=``)."""
    from borderhub.exceptions import SpecificationError
    from borderhub.policy import Tier, as_tiers

    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("expected a comma-separated list of tiers, e.g. CORE,RAIL")
    tiers: list[Any] = []
    for part in parts:
        try:
            tier = as_tiers(part)[0]
        except SpecificationError:
            allowed = ", ".join(t.name for t in Tier)
            raise argparse.ArgumentTypeError(
                f"unknown tier {part!r}; choose from {allowed}"
            ) from None
        if tier not in tiers:
            tiers.append(tier)
    return tiers


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap_items(items: Sequence[str], sep: str = "、", width: int = 92, indent: int = 4) -> str:
    """Join ``items`` with ``sep``, breaking lines only between items, by display width."""
    lines: list[str] = []
    line = ""
    for k, item in enumerate(items):
        piece = item + (sep if k < len(items) - 1 else "")
        if line and _width(line) + _width(piece) > width - indent:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    return "\n".join(" " * indent + text for text in lines)


def _port_note() -> tuple[str, list[str]]:
    """What stands in for the PORT tier, which names no city: the coastal candidates."""
    from borderhub import datasets

    cand = datasets.candidates()
    coastal = cand.loc[cand["coastal"].astype(bool), "plan_name"].tolist()
    note = (
        f"the plan names no city; borderhub marks the {len(coastal)} coastal candidates "
        "instead (column 'coastal' of borderhub.datasets.candidates()):"
    )
    return note, coastal


def _cmd_tiers(args: argparse.Namespace) -> int:
    from borderhub.policy import Tier, column4

    table = column4()
    if args.tier:
        table = table[table["tier"].isin(args.tier)]
    out = sys.stdout
    if args.format == "csv":
        frame = table.copy()
        frame["tier"] = [t.name for t in frame["tier"]]
        frame.to_csv(out, index=False, float_format="%.6f", lineterminator="\n")
        return 0
    if args.format == "json":
        frame = table.copy()
        frame["tier"] = [t.name for t in frame["tier"]]
        records = frame.to_dict(orient="records")
        json.dump(records, out, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        out.write("\n")
        return 0

    n_places = table["adcode"].nunique()
    print("专栏4 进出境快件处理中心建设工程 (Column 4: cross-border express processing centres)")
    print(
        "14th Five-Year Express Development Plan: "
        f"{n_places} distinct places, {len(table)} (place, tier) memberships"
    )
    wrap_en = textwrap.TextWrapper(width=92, initial_indent="    ", subsequent_indent="    ")
    for tier in Tier:
        if args.tier and tier not in args.tier:
            continue
        rows = table[table["tier"] == tier]
        entries = list(dict.fromkeys(rows["plan_entry"]))
        print()
        print(f"{tier.name}: {len(entries)} entries, {len(rows)} places")
        print(f"    {tier.label_zh}")
        print(wrap_en.fill(tier.label_en))
        if entries:
            print(_wrap_items(entries))
        else:
            note, places = _port_note()
            print(wrap_en.fill(note))
            print(_wrap_items(places))
    return 0


# --------------------------------------------------------------------------------------------
# input data
# --------------------------------------------------------------------------------------------

_LON_NAMES = ("lon", "longitude", "lng", "long")
_LAT_NAMES = ("lat", "latitude")
_ID_NAMES = ("adcode", "id", "label", "code")
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
#: Bundled tables that a plan reads (their hashes go into the manifest).
_BUNDLED_TABLES = {
    "candidates": "candidates",
    "prefectures": "demand",
    "partners": "partners",
    "corridors": "corridors",
    "border_ports": "border_ports",
}


@dataclass
class _Inputs:
    """The data of one run: candidates, demand units, the demand weight and provenance."""

    candidates: Any
    demand: Any
    weight: str | None
    weight_note: str
    bundled_candidates: bool
    bundled_demand: bool
    sources: dict[str, Any] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _find_column(columns: Sequence[str], wanted: Sequence[str]) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    for name in wanted:
        if name in lower:
            return str(lower[name])
    return None


def _labels_for(frame: Any, id_column: str | None, role: str, where: str) -> Any:
    """Set the index of a user table: the id column, else adcode/id/label/code, else 1..n."""
    import pandas as pd

    from borderhub.exceptions import DataError

    if id_column:
        if id_column not in frame.columns:
            raise DataError(
                f"{where} has no column {id_column!r} (--id-column); columns are "
                f"{[str(c) for c in frame.columns]}"
            )
        column: str | None = id_column
    else:
        column = _find_column(list(frame.columns), _ID_NAMES)
    if column is None:
        labels = pd.Index([str(k + 1) for k in range(len(frame))], name="row")
    else:
        values = frame[column]
        missing = values.isna() | (values.astype(str).str.strip() == "")
        if missing.any():
            rows = [int(k) + 2 for k in missing.to_numpy().nonzero()[0][:10]]
            raise DataError(
                f"{where}: column {column!r} is empty in lines {rows}; fill in a label for every "
                "row"
            )
        labels = pd.Index(values.astype(str).str.strip().to_numpy(), name=str(column))
        frame = frame.drop(columns=[column])
    if labels.has_duplicates:
        dup = labels[labels.duplicated()].unique().tolist()
        raise DataError(f"{where}: duplicate {role} labels {dup[:10]}; labels must be unique")
    frame = frame.copy()
    frame.index = labels
    return frame


def _read_csv_points(path: Path, role: str, id_column: str | None, coords: str) -> Any:
    import geopandas as gpd
    import pandas as pd

    from borderhub.exceptions import DataError

    dtype = {name: str for name in (*_ID_NAMES, id_column or "") if name}
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    raw = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            raw = pd.read_csv(path, sep=sep, dtype=dtype, encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise _InputError(
                f"{role} file {path.name} is empty; give a CSV with a header row (id, lon, lat, "
                "...) and one row per place"
            ) from None
        except (pd.errors.ParserError, ValueError) as err:
            raise _InputError(
                f"cannot parse {role} file {path.name}: {err}; check the quoting and that every "
                "row has as many fields as the header"
            ) from None
    if raw is None:
        raise _InputError(
            f"{role} file {path.name} is neither UTF-8 nor GB18030 text; save it as a UTF-8 CSV"
        )
    where = f"{role} file {path.name}"
    if raw.empty:
        raise DataError(f"{where} has a header but no rows; add one row per place")
    lon_col = _find_column(list(raw.columns), _LON_NAMES)
    lat_col = _find_column(list(raw.columns), _LAT_NAMES)
    if lon_col is None or lat_col is None:
        raise DataError(
            f"{where} needs longitude and latitude columns named lon and lat (or longitude/"
            f"latitude); its columns are {[str(c) for c in raw.columns]}"
        )
    frame = _labels_for(raw, id_column, role, where)
    lon = pd.to_numeric(frame[lon_col], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame[lat_col], errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        raise DataError(
            f"{where}: missing or non-numeric {lon_col}/{lat_col} for {role} "
            f"{frame.index[bad].tolist()[:10]}; fill in decimal degrees or drop those rows"
        )
    out_of_range = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if out_of_range.any():
        raise DataError(
            f"{where}: coordinates out of range (lon -180..180, lat -90..90) for {role} "
            f"{frame.index[out_of_range].tolist()[:10]}; are {lon_col} and {lat_col} swapped?"
        )
    if coords != "wgs84":
        from borderhub import geo

        if coords == "bd09":
            lon, lat = geo.bd09_to_gcj02(lon, lat)
        lon, lat = geo.gcj02_to_wgs84(lon, lat)
    frame = frame.drop(columns=[c for c in (lon_col, lat_col) if c in frame.columns])
    frame["lon"] = np.asarray(lon, dtype=float)
    frame["lat"] = np.asarray(lat, dtype=float)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def _read_geo_points(path: Path, role: str, id_column: str | None) -> Any:
    import geopandas as gpd

    from borderhub.exceptions import DataError

    where = f"{role} file {path.name}"
    try:
        raw = gpd.read_file(path)
    except Exception as err:  # noqa: BLE001 - GDAL/pyogrio raise many types
        raise _InputError(
            f"cannot read {where}: {err}; give a CSV with lon/lat columns or a file geopandas "
            "reads (GeoJSON, GeoPackage, shapefile)"
        ) from None
    if len(raw) == 0:
        raise DataError(f"{where} has no features; add one feature per place")
    if raw.crs is None:
        raise DataError(
            f"{where} has no coordinate reference system; save it with one (e.g. EPSG:4326)"
        )
    empty = raw.geometry.isna() | raw.geometry.is_empty
    frame = _labels_for(raw, id_column, role, where)
    if empty.any():
        raise DataError(
            f"{where}: no geometry for {role} {list(frame.index[empty.to_numpy()][:10])}; "
            "fix or drop those features"
        )
    from borderhub.geo import as_points

    # polygons (e.g. administrative areas) are represented by a point inside each
    frame = as_points(frame, where)
    frame["lon"] = frame.geometry.x.to_numpy(dtype=float)
    frame["lat"] = frame.geometry.y.to_numpy(dtype=float)
    return frame


def _read_points(path_text: str, role: str, id_column: str | None, coords: str) -> Any:
    path = Path(path_text)
    if not path.exists():
        raise _InputError(f"{role} file not found: {path_text}; check the path")
    if path.is_file() and path.suffix.lower() in _CSV_SUFFIXES:
        return _read_csv_points(path, role, id_column, coords)
    return _read_geo_points(path, role, id_column)


def _numeric_column(frame: Any, column: str, where: str) -> Any:
    import pandas as pd

    from borderhub.exceptions import DataError

    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    bad = ~np.isfinite(values.to_numpy()) | (values.to_numpy() < 0)
    if bad.any():
        raise DataError(
            f"{where}: column {column!r} must hold finite numbers >= 0; bad for "
            f"{frame.index[bad].tolist()[:10]}"
        )
    return values


def _derive_tiers(frame: Any) -> list[str]:
    """``tiers`` of user candidates that lack the column: 专栏4 looked up by label, then name.

    A label or name matches the plan's adcode, official name or plan name; other places get
    no tier (an empty string).
    """
    from borderhub.policy import Tier, column4

    table = column4()
    found: dict[str, set[Any]] = {}
    for column in ("adcode", "name", "plan_name"):
        for key, tier in zip(table[column], table["tier"], strict=True):
            found.setdefault(str(key), set()).add(tier)
    names = frame["name"] if "name" in frame.columns else [None] * len(frame)
    out = []
    for label, name in zip(frame.index, names, strict=True):
        tiers = found.get(str(label)) or found.get(str(name).strip()) or set()
        out.append(";".join(t.name for t in Tier if t in tiers))
    return out


def _load_inputs(args: argparse.Namespace, progress: _Progress) -> _Inputs:
    from borderhub import datasets

    with progress.step("load", "loading data"):
        sources: dict[str, Any] = {}
        bundled_dir = datasets.data_dir()
        coords = getattr(args, "coordinates", "wgs84")
        if args.candidates:
            candidates = _read_points(args.candidates, "candidates", args.id_column, coords)
            sources["candidates"] = {
                "source": "user",
                "file": Path(args.candidates).name,
                "sha256": _sha256(Path(args.candidates))
                if Path(args.candidates).is_file()
                else None,
            }
            if "tiers" not in candidates.columns:
                candidates["tiers"] = _derive_tiers(candidates)
        else:
            candidates = datasets.candidates()
        if args.demand:
            demand = _read_points(args.demand, "demand", args.id_column, coords)
            sources["demand"] = {
                "source": "user",
                "file": Path(args.demand).name,
                "sha256": _sha256(Path(args.demand)) if Path(args.demand).is_file() else None,
            }
        else:
            demand = datasets.prefectures()
        for table, key in _BUNDLED_TABLES.items():
            path = bundled_dir / f"{table}.csv"
            if key not in sources and path.is_file():
                sources[key] = {"source": "bundled", "file": path.name, "sha256": _sha256(path)}
        weight, note = _choose_weight(demand, args.weight_column, bool(args.demand))
        if weight is not None:
            demand[weight] = _numeric_column(demand, weight, "demand")
            if float(demand[weight].sum()) <= 0:
                from borderhub.exceptions import DataError

                raise DataError(
                    f"demand column {weight!r} sums to zero: nothing to serve; give positive "
                    "weights or choose another --weight-column"
                )
    return _Inputs(
        candidates=candidates,
        demand=demand,
        weight=weight,
        weight_note=note,
        bundled_candidates=not args.candidates,
        bundled_demand=not args.demand,
        sources=sources,
    )


def _choose_weight(demand: Any, requested: str | None, user: bool) -> tuple[str | None, str]:
    from borderhub.exceptions import DataError

    if requested:
        if requested not in demand.columns:
            raise DataError(
                f"demand has no column {requested!r} (--weight-column); columns are "
                f"{[str(c) for c in demand.columns if c != 'geometry']}"
            )
        return requested, f"demand weight: column {requested!r}"
    for column in ("express_volume", "population"):
        if column in demand.columns:
            unit = " (亿件, estimated)" if column == "express_volume" and not user else ""
            return column, f"demand weight: column {column!r}{unit}"
    return None, "demand weight: none given, every demand unit weighs 1"


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------


@dataclass
class _Scored:
    """Scores of the candidates and what went into them."""

    table: Any  # scoring.score output joined with the raw criterion values
    raw: Any  # raw criterion values (one column per criterion)
    directions: dict[str, str]
    weights: dict[str, float]
    method: str
    skipped: dict[str, str]


def _criteria_values(inputs: _Inputs) -> tuple[Any, dict[str, str], dict[str, float], dict]:
    """Evaluate the default criteria on the candidates; skip those the data cannot feed."""
    import pandas as pd

    from borderhub import scoring
    from borderhub.exceptions import DataError

    criteria = scoring.default_criteria()
    if not inputs.bundled_demand:
        demand = inputs.demand
        column = inputs.weight
        if column is None:
            demand = demand.assign(_weight=1.0)
            column = "_weight"
        criteria = [
            scoring.Criterion(
                c.name,
                functools.partial(scoring.gravity_access, demand=demand, column=column),
                c.direction,
                c.weight,
                c.description + " (the demand given)",
                c.unit,
            )
            if c.name == "gravity_access"
            else c
            for c in criteria
        ]
    raw: dict[str, Any] = {}
    directions: dict[str, str] = {}
    weights: dict[str, float] = {}
    skipped: dict[str, str] = {}
    for criterion in criteria:
        try:
            raw[criterion.name] = criterion.evaluate(inputs.candidates)
        except DataError as err:
            skipped[criterion.name] = _one_line(str(err))
            continue
        directions[criterion.name] = criterion.direction
        weights[criterion.name] = float(criterion.weight or 0.0)
    if not raw:
        raise DataError(
            "none of the default criteria can be computed for these candidates; give them "
            "lon/lat and the columns of borderhub.datasets.candidates(): "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
        )
    frame = pd.DataFrame(raw, index=inputs.candidates.index)
    return frame, directions, weights, skipped


def _score(inputs: _Inputs, args: argparse.Namespace, progress: _Progress) -> _Scored:
    from borderhub import scoring

    with progress.step("score", "scoring candidates"):
        raw, directions, default_w, skipped = _criteria_values(inputs)
        weights: Any = default_w if args.weights == "default" else args.weights
        table = scoring.score(
            raw, directions, weights=weights, method=args.method, nan_policy=args.nan_policy
        )
    if skipped:
        progress.note(
            f"criteria skipped for lack of data: {', '.join(skipped)} (the reasons are in "
            "manifest.json)"
        )
    used = dict(table.attrs.get("weights", {}))
    return _Scored(
        table=table,
        raw=raw.loc[table.index],
        directions=directions,
        weights=used,
        method=str(table.attrs.get("method", args.method)),
        skipped=skipped,
    )


def _scores_frame(inputs: _Inputs, scored: _Scored) -> Any:
    """scores.csv: label, name, tiers, rank, score, then per criterion value and share."""
    cand = inputs.candidates.loc[scored.table.index]
    out = _describe_candidates(cand)
    out["rank"] = scored.table["rank"].astype(int)
    out["score"] = scored.table["score"].astype(float)
    for name in scored.raw.columns:
        out[name] = scored.raw[name].astype(float)
        out[f"{name}_contrib"] = scored.table[f"{name}_contrib"].astype(float)
    out = out.sort_values(["rank", "score"], ascending=[True, False], kind="stable")
    return out


def _describe_candidates(cand: Any) -> Any:
    import pandas as pd

    out = pd.DataFrame(index=cand.index.copy())
    out.index.name = cand.index.name or "label"
    out["name"] = (
        cand["name"].fillna("").astype(str)
        if "name" in cand.columns
        else [str(k) for k in cand.index]
    )
    for column in ("plan_name", "province", "tiers"):
        if column in cand.columns:
            out[column] = cand[column].fillna("").astype(str)
    return out


# --------------------------------------------------------------------------------------------
# solving
# --------------------------------------------------------------------------------------------

from borderhub.locate import MODEL_TITLES as _MODEL_TITLES  # noqa: E402
from borderhub.locate import P_MODELS as _P_MODELS  # noqa: E402


def _model_params(args: argparse.Namespace, candidates: Any) -> tuple[Any, dict[str, Any]]:
    """The model class and its parameters from the options (usage errors on misfits)."""
    from borderhub import locate

    model = args.model
    params: dict[str, Any] = {}
    uses_p = model in _P_MODELS
    uses_radius = model in ("mclp", "lscp")
    if args.p is not None and not uses_p:
        raise _UsageError(
            f"--p does not apply to --model {model}; drop it "
            f"(see 'borderhub {args.command} --help')"
        )
    if args.radius is not None and not uses_radius:
        raise _UsageError(
            f"--radius applies to --model mclp and lscp, not {model}; drop it or choose one of "
            f"those models (see 'borderhub {args.command} --help')"
        )
    if uses_p:
        params["p"] = args.p if args.p is not None else _DEFAULT_P
    if uses_radius:
        if args.radius is None:
            raise _UsageError(
                f"--model {model} needs --radius KM (see 'borderhub {args.command} --help')"
            )
        params["radius"] = args.radius
    if model == "fixed":
        if args.fixed_cost is None:
            raise _UsageError(
                "--model fixed needs --fixed-cost (a number, or a column of the candidates) "
                f"(see 'borderhub {args.command} --help')"
            )
        params["fixed_cost"] = _fixed_cost(args.fixed_cost, candidates)
    elif args.fixed_cost is not None:
        raise _UsageError(
            f"--fixed-cost applies to --model fixed, not {model}; drop it or use --model fixed"
        )
    return locate.model_class(model), params


def _fixed_cost(text: str, candidates: Any) -> Any:
    try:
        value = float(text)
    except ValueError:
        if text not in candidates.columns:
            columns = [str(c) for c in candidates.columns if c != "geometry"]
            raise _UsageError(
                f"--fixed-cost {text!r} is neither a number nor a column of the candidates; "
                f"give a number (the cost of opening one centre) or one of the columns {columns}"
            ) from None
        return _numeric_column(candidates, text, "candidates")
    if not math.isfinite(value) or value < 0:
        raise _UsageError(f"--fixed-cost must be a number >= 0, got {text}")
    return value


def _tier_members(candidates: Any, tiers: Sequence[Any]) -> list[str]:
    """Labels of the candidates in any of ``tiers`` (PORT: the coastal candidates)."""
    from borderhub.exceptions import SpecificationError
    from borderhub.policy import tier_members

    if "tiers" not in candidates.columns:
        raise SpecificationError("--required-tiers needs a 'tiers' column in the candidates")
    chosen: dict[str, None] = {}
    for tier in tiers:
        found = tier_members(candidates, tier)
        if not len(found):
            raise SpecificationError(
                f"no candidate is in tier {tier.name}; drop it from --required-tiers or give "
                "candidates with that tier in their 'tiers' column"
            )
        chosen.update(dict.fromkeys(found))
    return list(chosen)


@dataclass
class _Solved:
    solution: Any
    model: str
    params: dict[str, Any]
    required: list[str]
    gateway: Any
    fixed_cost_text: str | None = None


def _solve(
    inputs: _Inputs, args: argparse.Namespace, progress: _Progress, cost: Any = None
) -> _Solved:
    from borderhub import scoring

    cls, params = _model_params(args, inputs.candidates)
    required = _tier_members(inputs.candidates, args.required_tiers) if args.required_tiers else []
    gateway = None
    extra: dict[str, Any] = {}
    if required:
        extra["required"] = required
    if args.gateway_weight:
        gateway = scoring.rcep_proximity(inputs.candidates)
        extra["gateway_cost"] = gateway
        extra["gateway_weight"] = args.gateway_weight
    title = _MODEL_TITLES[args.model]
    if cost is None:
        from borderhub.geo import distance_matrix

        with progress.step("distances", "computing geodesic distances"):
            cost = distance_matrix(inputs.demand, inputs.candidates)
    with progress.step("build", f"checking the {title} model"):
        model = cls.from_geodataframe(
            inputs.demand,
            inputs.candidates,
            weight=inputs.weight,
            distance=cost,
            **params,
            **extra,
        )
    described = ", ".join(f"{k}={v}" for k, v in params.items() if k != "fixed_cost")
    with progress.step(
        "solve", f"solving {title}{' (' + described + ')' if described else ''} with {args.solver}"
    ):
        with native_stdout_elsewhere(bool(args.debug)):
            solution = model.solve(
                solver=args.solver, time_limit=args.time_limit, mip_gap=args.mip_gap, msg=False
            )
    return _Solved(
        solution=solution,
        model=args.model,
        params=params,
        required=required,
        gateway=gateway,
        fixed_cost_text=args.fixed_cost,
    )


def _solution_frames(inputs: _Inputs, solved: _Solved) -> tuple[Any, Any]:
    """solution.csv (one row per demand unit) and centres.csv (one row per open centre)."""
    import pandas as pd

    sol = solved.solution
    cand_names = _describe_candidates(inputs.candidates)["name"]
    dem = inputs.demand
    a = sol.assignment
    out = pd.DataFrame(index=a.index.copy())
    out.index.name = "demand"
    out["demand_name"] = (
        dem["name"].reindex(a.index).fillna("").astype(str).to_numpy()
        if "name" in dem.columns
        else [str(k) for k in a.index]
    )
    out["facility"] = a["facility"].astype(object).where(a["facility"].notna(), "")
    out["facility_name"] = [str(cand_names.get(f, "")) if f != "" else "" for f in out["facility"]]
    out["cost_km"] = a["cost"].astype(float)
    if "gateway" in a.columns:
        out["gateway_km"] = a["gateway"].astype(float)
    out["weight"] = a["weight"].astype(float)
    if "covered" in a.columns:
        out["covered"] = a["covered"].astype(bool)

    stats = sol.centre_stats()
    centres = _describe_candidates(inputs.candidates.loc[list(sol.open)])
    centres.index.name = "facility"
    centres["required"] = [str(k) in set(solved.required) for k in centres.index]
    centres["n_demand"] = stats["n_demand"].reindex(centres.index).fillna(0).astype(int)
    centres["load"] = stats["load"].reindex(centres.index).fillna(0.0).astype(float)
    centres["share"] = stats["share"].reindex(centres.index).fillna(0.0).astype(float)
    centres["mean_km"] = stats["mean_cost"].reindex(centres.index).astype(float)
    centres["max_km"] = stats["max_cost"].reindex(centres.index).astype(float)
    centres = centres.sort_values(["load", "name"], ascending=[False, True], kind="stable")
    return out, centres


# --------------------------------------------------------------------------------------------
# writing outputs (deterministic: fixed float format, sorted keys, no timestamps)
# --------------------------------------------------------------------------------------------


def _write_csv(frame: Any, path: Path) -> None:
    frame.to_csv(path, float_format="%.6f", lineterminator="\n", encoding="utf-8")


def _clean(value: Any) -> Any:
    """A JSON-safe value: NaN/inf -> None, numpy scalars -> Python, floats rounded."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _coords(lon: float, lat: float) -> list[float]:
    return [round(float(lon), 6), round(float(lat), 6)]


def _write_geojson(inputs: _Inputs, solution_csv: Any, centres: Any, path: Path) -> None:
    """Centres as points and every demand unit's allocation as a line (or point if unserved)."""
    cand = inputs.candidates
    dem = inputs.demand
    features = []
    for label, row in centres.iterrows():
        props = {"kind": "centre", "label": str(label), **row.to_dict()}
        geometry = {
            "type": "Point",
            "coordinates": _coords(cand.at[label, "lon"], cand.at[label, "lat"]),
        }
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    for label, row in solution_csv.iterrows():
        props = {"kind": "allocation", "demand": str(label), **row.to_dict()}
        start = _coords(dem.at[label, "lon"], dem.at[label, "lat"])
        facility = row["facility"]
        if facility != "":
            end = _coords(cand.at[facility, "lon"], cand.at[facility, "lat"])
            geometry = {"type": "LineString", "coordinates": [start, end]}
        else:
            geometry = {"type": "Point", "coordinates": start}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    lines = [
        json.dumps(_clean(f), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for f in features
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def _versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for package in (
        "numpy",
        "pandas",
        "geopandas",
        "shapely",
        "pyproj",
        "pulp",
        "highspy",
        "folium",
        "matplotlib",
    ):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


def _solver_info(name: str) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    key = name.strip().lower()
    info: dict[str, Any] = {"name": name}
    try:
        if key in ("highs", "highspy", "highs_cmd"):
            info.update(interface="highspy", version=version("highspy"))
        else:
            info.update(interface="pulp", version=version("pulp"))
    except PackageNotFoundError:
        info["version"] = None
    return info


def _parameters(args: argparse.Namespace) -> dict[str, Any]:
    skip = {"func", "debug", "quiet", "version", "argv", "command"}
    out: dict[str, Any] = {}
    for key, value in sorted(vars(args).items()):
        if key in skip:
            continue
        if isinstance(value, list):
            value = [getattr(v, "name", v) for v in value]
        out[key] = value
    return out


def _write_manifest(path: Path, content: dict[str, Any]) -> None:
    from borderhub import __version__

    manifest = {
        "borderhub": __version__,
        "python": platform.python_version(),
        "platform": f"{platform.system()}-{platform.machine()}",
        "dependencies": _versions(),
        **content,
    }
    path.write_text(
        json.dumps(_clean(manifest), ensure_ascii=False, sort_keys=True, indent=2) + "\n",
        encoding="utf-8",
    )


def _out_dir(text: str) -> Path:
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise _InputError(f"--out {text} exists and is not a directory; choose another path")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _hashes(out: Path, names: Sequence[str]) -> dict[str, str]:
    return {name: _sha256(out / name) for name in names if (out / name).is_file()}


# --------------------------------------------------------------------------------------------
# printing
# --------------------------------------------------------------------------------------------


def _table_text(frame: Any, index: bool = True) -> str:
    import pandas as pd

    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.width",
        200,
        "display.max_columns",
        50,
        "display.max_rows",
        500,
    ):
        return str(frame.to_string(index=index))


def _print_solution(inputs: _Inputs, solved: _Solved, centres: Any, scored: Any = None) -> None:
    sol = solved.solution
    shown: list[str] = []
    for key, value in solved.params.items():
        if isinstance(value, int | float):
            shown.append(f"{key}={value}")
        else:
            shown.append(f"{key}=column {solved.fixed_cost_text}")
    params = ", ".join(shown)
    print(
        f"{_MODEL_TITLES[solved.model]} ({params or 'no parameters'}) over "
        f"{len(inputs.demand)} demand units and {len(inputs.candidates)} candidates"
    )
    print(f"{inputs.weight_note}")
    if solved.required:
        print(f"required centres (--required-tiers): {len(solved.required)}")
    print(
        f"status {sol.status.value}; objective {sol.objective:.6g}, bound {sol.bound:.6g}, "
        f"gap {sol.gap:.3g}; build {sol.build_time:.2f} s, solve {sol.solve_time:.2f} s"
    )
    if sol.message:
        print(f"note: {sol.message}")
    if not len(sol.open):
        return
    show = centres.copy()
    if scored is not None:
        show.insert(0, "score_rank", scored.table["rank"].reindex(show.index).astype("Int64"))
    show["share"] = (100 * show["share"]).round(1)
    show["load"] = show["load"].round(3)
    show["mean_km"] = show["mean_km"].round(0).astype("Int64")
    show["max_km"] = show["max_km"].round(0).astype("Int64")
    drop = ["plan_name", "province"] + ([] if solved.required else ["required"])
    show = show.drop(columns=[c for c in drop if c in show.columns])
    unit = f"load ({inputs.weight})" if inputs.weight else "load"
    show = show.rename(columns={"share": "share %", "n_demand": "units", "load": unit})
    show = show.reset_index().rename(columns={"facility": inputs.candidates.index.name or "label"})
    print()
    print(f"chosen centres ({len(sol.open)}), by load:")
    print(_table_text(show, index=False))


# --------------------------------------------------------------------------------------------
# plan, score, solve, map
# --------------------------------------------------------------------------------------------


def _draw_map(
    inputs: _Inputs, solution: Any, scores: Any, args: argparse.Namespace, title: str
) -> Any:
    from borderhub import datasets, maps

    corridors = _corridors_for(inputs)
    tiles = None if args.tiles == "none" else args.tiles
    return maps.corridor_map(
        candidates=inputs.candidates,
        solution=solution,
        partners=datasets.partners(),
        corridors=corridors,
        scores=scores,
        tiles=tiles,
        self_contained=True,
        title=title,
        lang=args.lang,
        demand=inputs.demand,
    )


def _corridors_for(inputs: _Inputs) -> Any:
    """The plan's corridors, keeping only origins present among candidates or demand units."""
    from borderhub import datasets

    corridors = datasets.corridors()
    if inputs.bundled_candidates and inputs.bundled_demand:
        return corridors
    known = set(map(str, inputs.candidates.index)) | set(map(str, inputs.demand.index))
    origins = corridors["origin"].fillna("").astype(str)
    kept = origins.map(lambda s: ";".join(o for o in s.split(";") if o in known))
    corridors = corridors.assign(origin=kept)
    return corridors[kept != ""]


def _static_map_png(
    inputs: _Inputs,
    solution: Any,
    scores: Any,
    title: str,
    lang: str,
    path: Path,
    world: bool = True,
) -> None:
    """Save the static map; without a CJK font, label places by their labels, in English."""
    from borderhub import datasets, plots
    from borderhub._fonts import cjk_family

    candidates = inputs.candidates
    if cjk_family() is None:
        candidates = candidates.copy()
        candidates["name"] = [str(k) for k in candidates.index]
        lang = "en"
    partners = datasets.partners()
    corridors = _corridors_for(inputs)
    if not world:
        partners, corridors = partners.iloc[:0], corridors.iloc[:0]
    ax = plots.plot_static_map(
        candidates=candidates,
        solution=solution,
        partners=partners,
        corridors=corridors,
        scores=scores,
        title=title,
        lang=lang,
        demand=inputs.demand,
    )
    _save_figure(ax.figure, path)


def _save_figure(fig: Any, path: Path) -> None:
    fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # noqa: BLE001 - a figure not managed by pyplot
        pass


def _plots(
    inputs: _Inputs,
    solved: _Solved,
    scored: _Scored,
    cost: Any,
    args: argparse.Namespace,
    out: Path,
    progress: _Progress,
    title: str,
) -> dict[str, Any]:
    """map.png, rank_stability.png and cost_curve.png; returns what the manifest records."""
    info: dict[str, Any] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with native_stdout_elsewhere(bool(args.debug)):
            _draw_plots(inputs, solved, scored, cost, args, out, progress, title, info)
    if any("font" in str(w.message) or "Glyph" in str(w.message) for w in caught):
        progress.note(
            "matplotlib has no font with Chinese glyphs (install e.g. fonts-noto-cjk and clear "
            "matplotlib's font cache); the PNGs show English text or boxes for Chinese names"
        )
    return info


def _draw_plots(
    inputs: _Inputs,
    solved: _Solved,
    scored: _Scored,
    cost: Any,
    args: argparse.Namespace,
    out: Path,
    progress: _Progress,
    title: str,
    info: dict[str, Any],
) -> None:
    from borderhub import plots, scenarios, scoring

    with progress.step("plots", "drawing the static map"):
        # the solution at the scale of China: no partner hubs or corridor arcs (map.html
        # has them), which would stretch the view to the whole world
        _static_map_png(
            inputs,
            solved.solution if len(solved.solution.open) else None,
            None,
            title,
            args.lang,
            out / "map.png",
            world=False,
        )
    with progress.step("plots", "rank stability of the scores (1,000 weight draws)"):
        stability = scoring.rank_stability(
            scored.raw,
            scored.directions,
            weights=scored.weights,
            method=scored.method,
            n=1000,
            seed=0,
            nan_policy=args.nan_policy,
        )
        ax = plots.plot_rank_stability(
            stability, names=_describe_candidates(inputs.candidates)["name"]
        )
        _save_figure(ax.figure, out / "rank_stability.png")
        info["rank_stability"] = {"n": 1000, "spread": 0.2, "seed": 0}
    kind = args.model if args.model in _P_MODELS else "pmedian"
    n_cand = len(inputs.candidates)
    p_now = int(solved.params.get("p", max(1, len(solved.solution.open))))
    top = int(min(n_cand, max(2 * p_now, p_now + 5, 10)))
    low = max(1, len(solved.required))
    p_values = list(range(low, top + 1))
    with progress.step("plots", f"cost against p = {p_values[0]}..{p_values[-1]}"):
        extra: dict[str, Any] = {}
        if solved.required:
            extra["required"] = solved.required
        if solved.gateway is not None:
            extra["gateway_cost"] = solved.gateway
            extra["gateway_weight"] = args.gateway_weight
        if kind == "mclp":
            extra["radius"] = solved.params["radius"]
        weights = inputs.demand[inputs.weight] if inputs.weight else None
        table = scenarios.p_sweep(
            cost=cost,
            weights=weights,
            p=p_values,
            model=kind,
            solver=args.solver,
            time_limit=args.time_limit,
            progress=False,
            **extra,
        )
        unit = f"{inputs.weight} x km" if inputs.weight else "km"
        ylabel = {
            "pmedian": f"weighted distance ({unit})",
            "pcenter": "longest distance (km)",
            "mclp": f"weight covered within {solved.params.get('radius')} km",
        }[kind]
        ax = plots.plot_cost_curve(table, mark=p_now, ylabel=ylabel, label=_MODEL_TITLES[kind])
        _save_figure(ax.figure, out / "cost_curve.png")
        # wall-clock times vary from run to run: they go to the manifest, not into the CSV,
        # so that the same inputs give a byte-identical cost_curve.csv
        timing = [c for c in ("build_time", "solve_time") if c in table.columns]
        _write_csv(table.drop(columns=timing).set_index("p"), out / "cost_curve.csv")
        info["cost_curve"] = {"model": kind, "p": p_values}
        for column in timing:
            info["cost_curve"][column] = round(float(table[column].sum()), 6)


_PLAN_OUTPUTS = (
    "scores.csv",
    "solution.csv",
    "centres.csv",
    "solution.geojson",
    "map.html",
    "map.png",
    "rank_stability.png",
    "cost_curve.png",
    "cost_curve.csv",
)


def _cmd_plan(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    progress = _Progress(args.quiet)
    out = _out_dir(args.out)
    inputs = _load_inputs(args, progress)
    scored = _score(inputs, args, progress)
    from borderhub.geo import distance_matrix

    with progress.step("distances", "computing geodesic distances"):
        cost = distance_matrix(inputs.demand, inputs.candidates)
    solved = _solve(inputs, args, progress, cost=cost)
    sol = solved.solution
    title = args.title or f"borderhub: {_MODEL_TITLES[args.model]} plan"
    with progress.step("write", f"writing results to {args.out}"):
        scores = _scores_frame(inputs, scored)
        _write_csv(scores, out / "scores.csv")
        solution_csv, centres = _solution_frames(inputs, solved)
        _write_csv(solution_csv, out / "solution.csv")
        _write_csv(centres, out / "centres.csv")
        _write_geojson(inputs, solution_csv, centres, out / "solution.geojson")
    with progress.step("map", "drawing the corridor map"):
        m = _draw_map(inputs, sol if len(sol.open) else None, scored.table, args, title)
        m.save(str(out / "map.html"))
    plot_info: dict[str, Any] = {}
    if args.plots and sol.has_solution:
        plot_info = _plots(inputs, solved, scored, cost, args, out, progress, title)
    progress.timings["total"] = time.perf_counter() - start
    manifest = {
        "command": "plan",
        "argv": list(args.argv),
        "parameters": _parameters(args),
        "inputs": inputs.sources,
        "data": {
            "candidates": len(inputs.candidates),
            "demand": len(inputs.demand),
            "weight": inputs.weight,
            "total_weight": float(inputs.demand[inputs.weight].sum())
            if inputs.weight
            else float(len(inputs.demand)),
        },
        "scoring": {
            "method": scored.method,
            "weights": scored.weights,
            "directions": scored.directions,
            "skipped": scored.skipped,
        },
        "model": _model_record(solved),
        "solver": _solver_info(args.solver),
        "result": _result_record(sol),
        "plots": plot_info,
        "timings": {k: round(v, 4) for k, v in progress.timings.items()},
        "outputs": _hashes(out, _PLAN_OUTPUTS),
    }
    _write_manifest(out / "manifest.json", manifest)
    _print_solution(inputs, solved, centres, scored)
    written = [name for name in (*_PLAN_OUTPUTS, "manifest.json") if (out / name).is_file()]
    print()
    print(f"wrote {args.out}: {', '.join(written)}")
    if not sol.has_solution:
        raise _InputError(
            f"the model is {sol.status.value}"
            + (f": {sol.message}" if sol.message else "")
            + f"; see {args.out}/manifest.json"
        )
    return 0


def _model_record(solved: _Solved) -> dict[str, Any]:
    params = {
        k: (v if np.isscalar(v) else "per-candidate column") for k, v in solved.params.items()
    }
    return {
        "name": solved.model,
        "class": solved.solution.model,
        "params": params,
        "required": solved.required,
        "gateway": solved.gateway is not None,
    }


def _result_record(sol: Any) -> dict[str, Any]:
    return {
        "status": sol.status.value,
        "objective": sol.objective,
        "bound": sol.bound,
        "gap": sol.gap,
        "open": [str(k) for k in sol.open],
        "iterations": sol.iterations,
        "message": sol.message,
        "build_time": sol.build_time,
        "solve_time": sol.solve_time,
    }


def _cmd_score(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    progress = _Progress(args.quiet)
    inputs = _load_inputs(args, progress)
    scored = _score(inputs, args, progress)
    scores = _scores_frame(inputs, scored)
    show = scores[[c for c in ("name", "tiers", "rank", "score") if c in scores.columns]]
    print(
        f"{scored.method} scores of {len(scores)} candidates on {len(scored.raw.columns)} "
        "criteria (rank 1 = best)"
    )
    print(_table_text(show.head(args.top).round({"score": 4})))
    if args.out:
        out = _out_dir(args.out)
        _write_csv(scores, out / "scores.csv")
        progress.timings["total"] = time.perf_counter() - start
        _write_manifest(
            out / "manifest.json",
            {
                "command": "score",
                "argv": list(args.argv),
                "parameters": _parameters(args),
                "inputs": inputs.sources,
                "scoring": {
                    "method": scored.method,
                    "weights": scored.weights,
                    "directions": scored.directions,
                    "skipped": scored.skipped,
                },
                "timings": {k: round(v, 4) for k, v in progress.timings.items()},
                "outputs": _hashes(out, ["scores.csv"]),
            },
        )
        print(f"\nwrote {args.out}: scores.csv, manifest.json")
    return 0


def _cmd_solve(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    progress = _Progress(args.quiet)
    inputs = _load_inputs(args, progress)
    solved = _solve(inputs, args, progress)
    sol = solved.solution
    solution_csv, centres = _solution_frames(inputs, solved)
    _print_solution(inputs, solved, centres)
    if args.out:
        out = _out_dir(args.out)
        _write_csv(solution_csv, out / "solution.csv")
        _write_csv(centres, out / "centres.csv")
        _write_geojson(inputs, solution_csv, centres, out / "solution.geojson")
        progress.timings["total"] = time.perf_counter() - start
        names = ["solution.csv", "centres.csv", "solution.geojson"]
        _write_manifest(
            out / "manifest.json",
            {
                "command": "solve",
                "argv": list(args.argv),
                "parameters": _parameters(args),
                "inputs": inputs.sources,
                "model": _model_record(solved),
                "solver": _solver_info(args.solver),
                "result": _result_record(sol),
                "timings": {k: round(v, 4) for k, v in progress.timings.items()},
                "outputs": _hashes(out, names),
            },
        )
        print(f"\nwrote {args.out}: {', '.join(names)}, manifest.json")
    if not sol.has_solution:
        raise _InputError(
            f"the model is {sol.status.value}" + (f": {sol.message}" if sol.message else "")
        )
    return 0


def _read_solution_csv(path_text: str, inputs: _Inputs) -> Any:
    """A solution.csv written by plan/solve, as the assignment frame corridor_map takes."""
    import pandas as pd

    from borderhub.exceptions import DataError

    path = Path(path_text)
    if not path.is_file():
        raise _InputError(f"solution file not found: {path_text}; check the path")
    try:
        frame = pd.read_csv(path, dtype={"demand": str, "facility": str}, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise _InputError(f"cannot parse solution file {path.name}: {err}") from None
    need = {"demand", "facility", "weight"}
    if not need <= set(frame.columns):
        raise DataError(
            f"solution file {path.name} needs columns {sorted(need)} (as written by "
            f"'borderhub solve --out'); it has {list(frame.columns)}"
        )
    frame = frame.set_index("demand")
    frame["facility"] = frame["facility"].fillna("")
    cost = frame["cost_km"] if "cost_km" in frame.columns else 0.0
    assignment = pd.DataFrame(
        {"facility": frame["facility"].replace("", np.nan), "cost": cost, "weight": frame["weight"]}
    )
    unknown = sorted(set(assignment["facility"].dropna()) - set(inputs.candidates.index))
    if unknown:
        raise DataError(
            f"solution file {path.name} names centres that are not candidates: {unknown[:10]}; "
            "pass the --candidates the solution was computed on"
        )
    return assignment.dropna(subset=["facility"])


def _read_scores_csv(path_text: str) -> Any:
    import pandas as pd

    from borderhub.exceptions import DataError

    path = Path(path_text)
    if not path.is_file():
        raise _InputError(f"scores file not found: {path_text}; check the path")
    try:
        frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise _InputError(f"cannot parse scores file {path.name}: {err}") from None
    if "score" not in frame.columns:
        raise DataError(
            f"scores file {path.name} has no 'score' column; pass a scores.csv written by "
            "'borderhub score --out' or 'borderhub plan'"
        )
    frame = frame.set_index(frame.columns[0])
    out = pd.DataFrame(index=frame.index)
    for column in [c for c in ("score", "rank") if c in frame.columns]:
        values = pd.to_numeric(frame[column], errors="coerce")
        wrong = values.isna() & frame[column].notna()
        if wrong.any():
            raise DataError(
                f"scores file {path.name}: column {column!r} must hold numbers; not numeric "
                f"for {frame.index[wrong].tolist()[:10]}: {frame.loc[wrong, column].tolist()[:5]}"
                "; fix those rows or write the file again with 'borderhub score --out'"
            )
        out[column] = values
    return out


def _cmd_map(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    progress = _Progress(args.quiet)
    inputs = _load_inputs(args, progress)
    solution = _read_solution_csv(args.solution, inputs) if args.solution else None
    scores = _read_scores_csv(args.scores) if args.scores else None
    out = _out_dir(args.out)
    title = args.title or "borderhub: cross-border express corridors"
    with progress.step("map", "drawing the corridor map"):
        m = _draw_map(inputs, solution, scores, args, title)
        m.save(str(out / "map.html"))
    names = ["map.html"]
    if args.plots:
        with progress.step("plots", "drawing the static map"):
            _static_map_png(inputs, solution, scores, title, args.lang, out / "map.png")
        names.append("map.png")
    progress.timings["total"] = time.perf_counter() - start
    _write_manifest(
        out / "manifest.json",
        {
            "command": "map",
            "argv": list(args.argv),
            "parameters": _parameters(args),
            "inputs": inputs.sources,
            "timings": {k: round(v, 4) for k, v in progress.timings.items()},
            "outputs": _hashes(out, names),
        },
    )
    print(f"wrote {args.out}: {', '.join(names)}, manifest.json")
    return 0


# --------------------------------------------------------------------------------------------
# parser and entry point
# --------------------------------------------------------------------------------------------


def _version() -> str:
    from borderhub import __version__

    return f"{PROG} {__version__}"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def _float_in(low: float, high: float, low_open: bool, name: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value < low or (low_open and value == low) or value > high:
            raise argparse.ArgumentTypeError(f"must be {name}, got {text}")
        return value

    parse.__name__ = "number"
    return parse


_positive_float = _float_in(0.0, math.inf, True, "a positive number")
_nonnegative_float = _float_in(0.0, math.inf, False, "a number >= 0")
_fraction = _float_in(0.0, 1.0, False, "a fraction between 0 and 1")


def _add_common(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("messages")
    group.add_argument(
        "-q", "--quiet", action="store_true", help="print no progress on standard error"
    )
    group.add_argument(
        "--debug",
        action="store_true",
        help="show the full Python traceback when something goes wrong",
    )


def _add_data(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "data",
        "Default: the bundled tables (the 60 places of 专栏4 as candidates, the 367 "
        "prefecture-level units as demand). Your own tables: CSV with lon/lat columns "
        "(WGS84 degrees unless --coordinates says otherwise) or any file geopandas reads "
        "(GeoJSON, GeoPackage, shapefile; any CRS).",
    )
    group.add_argument("--candidates", metavar="FILE", help="candidate sites")
    group.add_argument("--demand", metavar="FILE", help="demand points")
    group.add_argument(
        "--id-column",
        metavar="NAME",
        help="column holding the labels of your tables (default: adcode, id, label or code if "
        "present, else the row number)",
    )
    group.add_argument(
        "--weight-column",
        metavar="NAME",
        help="demand weight column (default: express_volume, else population, else 1 each)",
    )
    group.add_argument(
        "--coordinates",
        choices=("wgs84", "gcj02", "bd09"),
        default="wgs84",
        help="datum of lon/lat in your CSV files: converted to WGS84 if gcj02 (Amap, Tencent) "
        "or bd09 (Baidu); default wgs84",
    )


def _add_scoring(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "scoring", "Candidates are scored on borderhub.scoring.default_criteria()."
    )
    group.add_argument(
        "--method",
        choices=("topsis", "weighted_sum", "vikor"),
        default="topsis",
        help="multi-criteria method (default topsis)",
    )
    group.add_argument(
        "--weights",
        choices=("default", "equal", "entropy"),
        default="default",
        help="criterion weights: the documented defaults, equal, or Shannon entropy",
    )
    group.add_argument(
        "--nan-policy",
        choices=("raise", "worst"),
        default="raise",
        help="missing criterion values: an error (default) or the criterion's worst value",
    )


def _add_model(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("location model")
    group.add_argument(
        "--model",
        choices=tuple(_MODEL_TITLES),
        default="pmedian",
        help="pmedian: minimise weighted distance with p centres (default); pcenter: "
        "minimise the longest distance; mclp: cover the most weight within --radius with p "
        "centres; lscp: fewest centres covering everything within --radius; fixed: "
        "fixed-charge location (--fixed-cost)",
    )
    group.add_argument(
        "--p",
        type=_positive_int,
        metavar="N",
        help=f"number of centres for pmedian, pcenter, mclp (default {_DEFAULT_P})",
    )
    group.add_argument(
        "--radius", type=_positive_float, metavar="KM", help="coverage radius for mclp and lscp"
    )
    group.add_argument(
        "--fixed-cost",
        metavar="COST",
        help="opening cost for --model fixed: a number (in weight x km) or a candidates column",
    )
    group.add_argument(
        "--required-tiers",
        type=_tier_list,
        metavar="TIERS",
        help="open every candidate of these 专栏4 tiers, comma-separated, e.g. CORE or "
        "CORE,RAIL (PORT: the coastal candidates)",
    )
    group.add_argument(
        "--gateway-weight",
        type=_nonnegative_float,
        default=0.0,
        metavar="W",
        help="add W x (mean km from the centre to the RCEP partner hubs) to the cost of "
        "serving each unit of weight (default 0: domestic distance only)",
    )
    group.add_argument(
        "--solver", default="highs", help="highs (default), cbc, or another PuLP solver name"
    )
    group.add_argument(
        "--time-limit", type=_positive_float, metavar="SECONDS", help="stop the solver after"
    )
    group.add_argument(
        "--mip-gap", type=_fraction, metavar="GAP", help="stop at this relative MIP gap"
    )


def _add_map(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("map")
    group.add_argument(
        "--tiles",
        choices=("osm", "amap", "cartodb-positron", "none"),
        default="osm",
        help="basemap of map.html (amap is GCJ-02: overlays are shifted to match it)",
    )
    group.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of map labels (default zh)"
    )
    group.add_argument("--title", help="map title")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``borderhub`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser, with one subparser per subcommand; each subparser sets ``func``, the
        function that runs it.

    Examples
    --------
    >>> from borderhub.cli import build_parser
    >>> args = build_parser().parse_args(["plan", "--out", "results", "--p", "12"])
    >>> args.command, args.model, args.p
    ('plan', 'pmedian', 12)
    """
    parser = _Parser(
        prog=PROG,
        description=(
            "Site China's cross-border express processing centres: the plan's city tiers, "
            "candidate scores, facility-location models and corridor maps."
        ),
        epilog="Run 'borderhub <command> --help' for the options of each command.",
    )
    parser.add_argument("-V", "--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="<command>", parser_class=_Parser)

    p_plan = sub.add_parser(
        "plan",
        help="score candidates, choose centres, write tables, GeoJSON, map and manifest",
        description=(
            "The main job: load the data (bundled or yours), score the candidates, solve a "
            "facility-location model and write into --out: scores.csv (ranked candidates), "
            "solution.csv (each demand unit's centre and distance), centres.csv (chosen "
            "centres and their load), solution.geojson, map.html (corridor map, works "
            "offline except for basemap tiles) and manifest.json (versions, input hashes, "
            "parameters, solver, status, objective, gap, timings). --plots adds map.png, "
            "rank_stability.png and cost_curve.png (with cost_curve.csv)."
        ),
        epilog="Example: borderhub plan --out results --p 12 --required-tiers CORE --plots",
    )
    p_plan.add_argument("--out", required=True, metavar="DIR", help="directory for the results")
    p_plan.add_argument(
        "--plots",
        action="store_true",
        help="also save PNG plots (static map, rank stability, cost against the number of centres)",
    )
    _add_data(p_plan)
    _add_scoring(p_plan)
    _add_model(p_plan)
    _add_map(p_plan)
    _add_common(p_plan)
    p_plan.set_defaults(func=_cmd_plan)

    p_score = sub.add_parser(
        "score",
        help="rank the candidates on location and volume",
        description=(
            "Score the candidates on borderhub.scoring.default_criteria() (RCEP proximity, "
            "border ports, rail/sea/air/e-commerce gateways, express volume and access to "
            "demand), print the ranking and, with --out, write scores.csv and manifest.json."
        ),
    )
    p_score.add_argument("--out", metavar="DIR", help="directory for scores.csv")
    p_score.add_argument(
        "--top", type=_positive_int, default=20, metavar="N", help="rows to print (default 20)"
    )
    _add_data(p_score)
    _add_scoring(p_score)
    _add_common(p_score)
    p_score.set_defaults(func=_cmd_score)

    p_solve = sub.add_parser(
        "solve",
        help="choose centres with a facility-location model",
        description=(
            "Solve a facility-location model on the demand and candidates, print the chosen "
            "centres with their tiers and load and, with --out, write solution.csv, "
            "centres.csv, solution.geojson and manifest.json."
        ),
    )
    p_solve.add_argument("--out", metavar="DIR", help="directory for the results")
    _add_data(p_solve)
    _add_model(p_solve)
    _add_common(p_solve)
    p_solve.set_defaults(func=_cmd_solve)

    p_map = sub.add_parser(
        "map",
        help="draw the corridor map (tiers, or a solution and scores written earlier)",
        description=(
            "Draw the RCEP corridor map into --out/map.html: the places of 专栏4 by tier, "
            "partner hubs and corridors, and optionally a solution.csv and scores.csv written "
            "by 'borderhub plan' or 'solve'."
        ),
    )
    p_map.add_argument("--out", required=True, metavar="DIR", help="directory for map.html")
    p_map.add_argument("--solution", metavar="FILE", help="solution.csv to draw")
    p_map.add_argument("--scores", metavar="FILE", help="scores.csv to draw")
    p_map.add_argument("--plots", action="store_true", help="also save map.png (matplotlib)")
    _add_data(p_map)
    _add_map(p_map)
    _add_common(p_map)
    p_map.set_defaults(func=_cmd_map)

    p_tiers = sub.add_parser(
        "tiers",
        help="print the city tiers of 专栏4 of the plan",
        description=(
            "Print the tiers of 专栏4 (进出境快件处理中心建设工程) of the 14th Five-Year Express "
            "Development Plan: which places the plan names for which kind of cross-border "
            "express processing centre."
        ),
    )
    p_tiers.add_argument(
        "--tier",
        type=_tier_list,
        metavar="TIERS",
        help="only these tiers, comma-separated (CORE, LONG_TERM, PROVINCIAL, ENCOURAGED, "
        "RAIL, PORT)",
    )
    p_tiers.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="text (default): a readable table; csv / json: one row per (place, tier)",
    )
    _add_common(p_tiers)
    p_tiers.set_defaults(func=_cmd_tiers)

    return parser


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return " | ".join(lines) if lines else "unknown error"


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: error: {_one_line(message)}", file=sys.stderr, flush=True)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``borderhub`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status: 0 on success, 1 when the input cannot be used (missing or malformed
        file, data a model cannot work with), 2 on a usage error (unknown option or command,
        impossible parameter value).

    Examples
    --------
    >>> from borderhub.cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    borderhub ...
    0
    """
    from borderhub.exceptions import BorderhubError

    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    debug = "--debug" in args_list
    try:
        args = parser.parse_args(args_list)
        if args.version:
            print(_version())
            return 0
        if args.command is None:
            parser.print_help()
            return 2
        args.argv = args_list
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except _UsageError as err:
        return _fail(str(err), 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        # the reader went away (e.g. `borderhub tiers | head`): not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - quiet interpreter shutdown
        except OSError:  # pragma: no cover
            pass
        return 0
    except (_InputError, BorderhubError) as err:
        if debug:
            raise
        return _fail(str(err), 1)
    except (OSError, ValueError, KeyError, TypeError) as err:
        if debug:
            raise
        return _fail(f"{type(err).__name__}: {err}", 1)
    except Exception as err:  # noqa: BLE001 - the last line of defence of a command line
        if debug:
            raise
        return _fail(
            f"unexpected {type(err).__name__}: {err} (run again with --debug for the traceback)",
            1,
        )
