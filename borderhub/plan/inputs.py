"""The data of a plan: candidates and demand (bundled, files or frames) and the demand weight.

Examples
--------
>>> from borderhub.plan.config import PlanConfig
>>> from borderhub.plan.inputs import load_inputs
>>> from borderhub.plan.progress import Steps
>>> inputs = load_inputs(None, None, PlanConfig(provinces="海南"), Steps(None))
>>> len(inputs.candidates), len(inputs.demand), inputs.weight
(2, 19, 'express_volume')
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, DataWarning
from borderhub.plan.config import PlanConfig, PlanOptionError
from borderhub.plan.progress import Steps

__all__: list[str] = []

#: Bundled tables a plan reads (their hashes go into the manifest) -> key in the manifest.
_BUNDLED_TABLES = {
    "candidates": "candidates",
    "prefectures": "demand",
    "partners": "partners",
    "corridors": "corridors",
    "border_ports": "border_ports",
}


@dataclass
class Inputs:
    candidates: Any
    demand: Any
    weight: str | None
    weight_note: str
    bundled_candidates: bool
    bundled_demand: bool
    sources: dict[str, Any] = field(default_factory=dict)
    given: dict[str, Any] = field(default_factory=dict)
    drawn_solution: Any = None
    drawn_scores: Any = None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def numeric_column(frame: Any, column: str, where: str) -> Any:
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    bad = ~np.isfinite(values.to_numpy()) | (values.to_numpy() < 0)
    if bad.any():
        raise DataError(
            f"{where}: column {column!r} must hold finite numbers >= 0; bad for "
            f"{frame.index[bad].tolist()[:10]}"
        )
    return values


def _derive_tiers(frame: Any) -> list[str]:
    """``tiers`` of user candidates that lack the column: 专栏4 looked up by label, then name."""
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


def _points(given: Any, role: str, config: PlanConfig, steps: Steps) -> tuple[Any, dict[str, Any]]:
    """A caller's candidates or demand: a file (read by io.read_points) or a GeoDataFrame.

    The columns are read with the study schema (:func:`borderhub.plan.schema.standard_columns`:
    Chinese headers, units) and places outside the province they claim are refused.
    """
    import geopandas as gpd

    from borderhub.io import read_points
    from borderhub.plan.schema import check_provinces, standard_columns

    if isinstance(given, str | Path):
        frame = read_points(
            given,
            id_column=config.id_column,
            lon_column=config.lon_column,
            lat_column=config.lat_column,
            coordinates=config.coordinates or "wgs84",
            role=role,
        )
        path = Path(given)
        source: dict[str, Any] = {
            "source": "user",
            "file": path.name,
            "sha256": sha256(path) if path.is_file() else None,
        }
        used = frame.attrs.get("coordinate_columns", [])
        if len(used) == 1 and config.coordinates is None:
            message = (
                f"{role} file {path.name}: the combined {used[0]!r} column is read as WGS84; "
                "Amap and Tencent give GCJ-02 there (about 0.5 km off): state the datum with "
                "coordinates='gcj02' (--coordinates gcj02) or coordinates='wgs84'"
            )
            if steps.progress is None:  # a library call: a warning; the command line: a note
                warnings.warn(message, DataWarning, stacklevel=4)
            steps.note(message)
    elif isinstance(given, gpd.GeoDataFrame):
        from borderhub.geo import as_points

        frame = as_points(given, role)
        frame["lon"] = frame.geometry.x.to_numpy(dtype=float)
        frame["lat"] = frame.geometry.y.to_numpy(dtype=float)
        source = {"source": "caller", "rows": len(frame)}
    else:
        raise DataError(
            f"{role} must be a file path or a GeoDataFrame, got {type(given).__name__}; pass "
            "e.g. 'candidates.csv' or borderhub.datasets.candidates()"
        )
    if any(re.search("[\u4e00-\u9fff]", str(c)) for c in frame.columns):
        source["headers"] = "zh"
    frame, notes = standard_columns(frame, role, volume_unit=config.volume_unit)
    for note in notes:
        steps.note(note)
    if notes:
        source["columns"] = notes
    check_provinces(frame, role)
    return frame, source


def _restrict_to_provinces(frame: Any, provinces: Sequence[str], role: str) -> Any:
    from borderhub.plan.schema import province_key

    if "province" not in frame.columns:
        raise PlanOptionError(
            f"provinces needs a 'province' (or 省份) column in the {role}; add one or drop "
            "the option"
        )
    keys = frame["province"].map(province_key)
    wanted = {province_key(p) for p in provinces}
    known = sorted(set(keys.dropna()))
    unknown = sorted(wanted - set(known))
    if unknown:
        raise PlanOptionError(
            f"provinces {unknown} are not provinces of the {role}; choose from {known}"
        )
    return frame[keys.isin(wanted).to_numpy()]


def _choose_weight(demand: Any, requested: str | None, user: bool) -> tuple[str | None, str]:
    if requested and requested not in demand.columns:
        from borderhub.plan.schema import standard_column_name

        requested = standard_column_name(requested) or requested
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
            unit = " (亿件)" if column == "express_volume" and user else unit
            return column, f"demand weight: column {column!r}{unit}"
    return None, "demand weight: none given, every demand unit weighs 1"


def load_inputs(candidates: Any, demand: Any, config: PlanConfig, steps: Steps) -> Inputs:
    from borderhub import datasets

    if config.coordinates not in (None, "wgs84") and candidates is None and demand is None:
        raise PlanOptionError(
            f"coordinates {config.coordinates!r} applies to your own CSV files; the bundled "
            "tables are WGS84: give candidates or demand files, or drop the option"
        )
    with steps.step("load", "loading data"):
        sources: dict[str, Any] = {}
        if candidates is not None:
            cand, sources["candidates"] = _points(candidates, "candidates", config, steps)
            if "tiers" not in cand.columns:
                cand["tiers"] = _derive_tiers(cand)
            if "name" not in cand.columns:  # gateways and tables name places: the label
                cand["name"] = [str(k) for k in cand.index]
        else:
            cand = datasets.candidates()
        if demand is not None:
            dem, sources["demand"] = _points(demand, "demand", config, steps)
        else:
            dem = datasets.prefectures()
        if config.figures is not None:
            cand, dem, sources["figures"] = _own_figures(cand, dem, config.figures)
            steps.note(_figures_note(sources["figures"]))
        bundled_dir = datasets.data_dir()
        for table, key in _BUNDLED_TABLES.items():
            path = bundled_dir / f"{table}.csv"
            if key not in sources and path.is_file():
                sources[key] = {"source": "bundled", "file": path.name, "sha256": sha256(path)}
        if config.provinces:
            cand = _restrict_to_provinces(cand, config.provinces, "candidates")
            dem = _restrict_to_provinces(dem, config.provinces, "demand units")
        _check_places({"candidates": candidates, "demand": demand}, cand, dem, config, steps)
        weight, note = _choose_weight(dem, config.weight_column, demand is not None)
        if weight is not None:
            dem[weight] = numeric_column(dem, weight, "demand")
            if float(dem[weight].sum()) <= 0:
                raise DataError(
                    f"demand column {weight!r} sums to zero: nothing to serve; give positive "
                    "weights or choose another --weight-column"
                )
    return Inputs(
        candidates=cand,
        demand=dem,
        weight=weight,
        weight_note=note,
        bundled_candidates=candidates is None,
        bundled_demand=demand is None,
        sources=sources,
        given={"candidates": candidates, "demand": demand},
    )


def _own_figures(cand: Any, dem: Any, figures: Any) -> tuple[Any, Any, dict[str, Any]]:
    """The study's tables with the user's figures, and their provenance for the manifest."""
    from borderhub.figures import apply_to_study

    cand, dem, provenance = apply_to_study(cand, dem, figures)
    if isinstance(figures, str | Path):
        provenance = {"file": Path(figures).name, "sha256": sha256(Path(figures)), **provenance}
    return cand, dem, provenance


def _figures_note(provenance: dict[str, Any]) -> str:
    applied = provenance["applied"]
    refitted = provenance["refitted"]
    text = (
        f"own figures: {len(provenance['figures'])} given, {len(applied['candidates'])} put "
        f"into candidates and {len(applied['demand'])} into demand units"
    )
    if refitted:
        text += "; estimates refitted in " + ", ".join(
            f"{p} (x{f:.3g})" for p, f in sorted(refitted.items())
        )
    return text


def describe_candidates(cand: Any) -> Any:
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


def describe_given(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Path):
        return str(value)
    return f"<{type(value).__name__} of {len(value)} rows>"


def _check_places(
    given: dict[str, Any], cand: Any, dem: Any, config: PlanConfig, steps: Steps
) -> None:
    """The caller's places outside China and its border zone: a note, or a DataWarning.

    With a progress callable the finding is a note (the command line prints it), else a
    :class:`~borderhub.exceptions.DataWarning`; ``strict_places`` makes it a DataError.
    """
    import warnings

    from borderhub.exceptions import DataWarning
    from borderhub.io import check_places

    for role, frame in (("candidates", cand), ("demand units", dem)):
        if given["candidates" if role == "candidates" else "demand"] is None:
            continue  # the bundled tables lie in China
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            check_places(frame, role, strict=config.strict_places)
        for found in caught:
            if steps.progress is not None and issubclass(found.category, DataWarning):
                steps.note(str(found.message))
            else:
                warnings.warn(found.message, found.category, stacklevel=4)
