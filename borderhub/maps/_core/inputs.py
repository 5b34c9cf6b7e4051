"""The map functions' inputs, checked and put in one shape (:class:`Content`).

Part of :mod:`borderhub.maps`: candidates, solution, scores, demand, partners and corridors
are validated here once, for the scene that both renderers draw.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, SpecificationError
from borderhub.geo import as_points
from borderhub.maps._core.style import (
    CANDIDATE_FIELDS,
    FACILITY_COLOURS,
    MODE_NAMES,
    MODES,
    SKIP_COLUMNS,
    SKIP_SUFFIX,
    TEXT,
    esc,
    fmt_value,
    popup_table,
    tier_style,
)


def _as_points(frame: Any, role: str) -> pd.DataFrame:
    """Validate a GeoDataFrame and return a plain copy with WGS84 ``_lon``/``_lat``."""
    if not isinstance(frame, gpd.GeoDataFrame):
        kind = type(frame).__name__
        raise DataError(
            f"{role} must be a GeoDataFrame with point geometry and a CRS, got {kind}. "
            "Build one with geopandas.GeoDataFrame(df, geometry=geopandas.points_from_xy("
            "df.lon, df.lat), crs='EPSG:4326')."
        )
    try:
        geom = frame.geometry
    except AttributeError as err:
        raise DataError(
            f"{role} has no active geometry column; set one with .set_geometry(...)."
        ) from err
    if frame.crs is None:
        raise DataError(
            f"{role} has no CRS; set it with .set_crs('EPSG:4326') (WGS84 lon/lat) or the "
            "CRS the coordinates are in."
        )
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()].unique().tolist()[:10]
        raise DataError(f"{role} has duplicate index labels {dup}; labels must be unique.")
    bad = geom.isna() | geom.is_empty
    if bad.any():
        raise DataError(
            f"{role} has missing or empty geometry for labels "
            f"{frame.index[bad.to_numpy()].tolist()[:10]}; drop or fix those rows."
        )
    # one rule for every geometry that stands for a place: borderhub.geo.as_points
    geom = as_points(frame, role).geometry
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out["_lon"] = geom.x.to_numpy()
    out["_lat"] = geom.y.to_numpy()
    return out


def _display_name(frame: pd.DataFrame, column: str = "name") -> pd.Series:
    if column in frame.columns:
        names = frame[column].astype("string").fillna("")
        return names.where(names.str.len() > 0, pd.Series(frame.index.astype(str), frame.index))
    return pd.Series(frame.index.astype(str), index=frame.index)


def _parse_tiers(cand: pd.DataFrame) -> dict[Any, list[Any]] | None:
    """Tier members of each candidate (enum order), or None without a ``tiers`` column."""
    if "tiers" not in cand.columns:
        return None
    from borderhub.policy import parse_tiers

    return {k: sorted(parse_tiers(v, label=k)) for k, v in cand["tiers"].items()}


@dataclass
class _Solution:
    open: list[Any]
    assignment: pd.DataFrame | None


def _parse_solution(solution: Any, cand: pd.DataFrame) -> _Solution:
    open_: list[Any] | None
    assignment: Any
    if isinstance(solution, pd.DataFrame):
        assignment, open_ = solution, None
    elif hasattr(solution, "open"):
        open_ = list(solution.open)
        assignment = getattr(solution, "assignment", None)
    elif isinstance(solution, Iterable) and not isinstance(solution, str | bytes | Mapping):
        open_, assignment = list(solution), None
    else:
        raise SpecificationError(
            f"solution must be a borderhub Solution, an assignment DataFrame (index = demand "
            f"label, columns facility, cost, weight) or a list of open labels; got "
            f"{type(solution).__name__}."
        )
    if assignment is not None:
        if not isinstance(assignment, pd.DataFrame) or "facility" not in assignment.columns:
            raise DataError(
                "solution assignment must be a DataFrame indexed by demand label with a "
                "'facility' column (and optional 'weight', 'cost')."
            )
        assignment = assignment.copy()
        # Demand without a centre (NaN facility, or covered == False in coverage models) is
        # drawn as not covered, with no allocation line.
        served = assignment["facility"].notna().to_numpy(dtype=bool, copy=True)
        if "covered" in assignment.columns:
            served &= assignment["covered"].fillna(False).astype(bool).to_numpy()
        assignment["_served"] = served
        if open_ is None:
            open_ = list(pd.unique(assignment.loc[served, "facility"]))
    open_ = list(dict.fromkeys(open_ or []))
    facilities = (
        []
        if assignment is None
        else list(pd.unique(assignment.loc[assignment["_served"], "facility"]))
    )
    missing = [x for x in open_ if x not in cand.index]
    missing += [x for x in facilities if x not in cand.index and x not in missing]
    if missing:
        raise DataError(
            f"solution labels {missing[:10]} are not in the candidates' index "
            f"(e.g. {cand.index[:3].tolist()}); pass the candidates the model was solved on."
        )
    stray = [x for x in facilities if x not in open_]
    if stray:
        raise DataError(f"solution assigns demand to {stray[:10]}, which are not in solution.open.")
    return _Solution(open=open_, assignment=assignment)


def _parse_scores(scores: Any, cand: pd.DataFrame) -> pd.DataFrame:
    if isinstance(scores, pd.Series):
        frame = scores.rename("score").to_frame()
    elif isinstance(scores, pd.DataFrame):
        if "score" not in scores.columns:
            raise DataError(
                f"scores needs a 'score' column (as returned by borderhub.score); "
                f"got columns {list(scores.columns)[:10]}."
            )
        frame = scores[[c for c in ("score", "rank") if c in scores.columns]].copy()
    else:
        raise SpecificationError(
            f"scores must be a DataFrame with a 'score' column or a Series, got "
            f"{type(scores).__name__}."
        )
    missing = [x for x in frame.index if x not in cand.index]
    if missing:
        raise DataError(
            f"scores labels {missing[:10]} are not in the candidates' index; score the "
            "same candidates you map."
        )
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()].unique().tolist()[:10]
        raise DataError(f"scores has duplicate labels {dup}; give one score per candidate.")
    values = pd.to_numeric(frame["score"], errors="coerce")
    wrong = values.isna() & frame["score"].notna()
    if wrong.any():
        shown = dict(frame.loc[wrong, "score"].items())
        raise DataError(
            f"scores must be numbers; not numeric for {list(shown)[:10]}: "
            f"{list(shown.values())[:5]}. Convert them (e.g. with pandas.to_numeric) or drop "
            "those rows."
        )
    frame["score"] = values.astype(float)
    frame = frame[np.isfinite(frame["score"])]
    if "rank" not in frame.columns:
        frame["rank"] = frame["score"].rank(ascending=False, method="min")
    return frame.sort_values("rank")


@dataclass
class _Corridor:
    id: str
    name: str
    mode: str
    popup_rows: list[tuple[str, str]]
    arcs: list[tuple[str, str, list[np.ndarray]]] = field(default_factory=list)
    origin_names: dict[str, str] = field(default_factory=dict)


@dataclass
class _Content:
    lang: str
    cand: pd.DataFrame
    tiers: dict[Any, list[Any]] | None
    scores: pd.DataFrame | None
    solution: _Solution | None
    demand: pd.DataFrame | None
    partners: pd.DataFrame
    corridors: list[_Corridor]
    title: str | None


def _default(name: str) -> Any:
    """A table of :mod:`borderhub.datasets` (imported only when a default is needed)."""
    from borderhub import datasets

    return getattr(datasets, name)()


def prepare_map(
    candidates: Any,
    solution: Any,
    partners: Any,
    corridors: Any,
    scores: Any,
    title: Any,
    lang: str,
    demand: Any,
    arc_points: int = 48,
) -> _Content:
    if not isinstance(lang, str) or lang not in TEXT:
        raise SpecificationError(f"lang must be one of {sorted(TEXT)}, got {lang!r}.")
    if title is not None and not isinstance(title, str):
        raise SpecificationError(f"title must be a string or None, got {type(title).__name__}.")
    cand = _as_points(_default("candidates") if candidates is None else candidates, "candidates")
    cand["_name"] = _display_name(cand)
    tiers = _parse_tiers(cand)
    score_frame = None if scores is None else _parse_scores(scores, cand)
    sol = None if solution is None else _parse_solution(solution, cand)

    dem = None
    if demand is not None:
        dem = _as_points(demand, "demand")
    elif sol is not None and sol.assignment is not None:
        labels = sol.assignment.index
        if labels.isin(cand.index).all():
            dem = cand
        else:
            dem = _as_points(_default("prefectures"), "demand")
    if dem is not None and "_name" not in dem.columns:
        dem["_name"] = _display_name(dem)
    if sol is not None and sol.assignment is not None:
        assert dem is not None
        missing = [x for x in sol.assignment.index if x not in dem.index]
        if missing:
            raise DataError(
                f"solution assignment has demand labels {missing[:10]} that are not in the "
                "demand frame's index; pass demand= the frame the model was solved on."
            )

    part = _as_points(_default("partners") if partners is None else partners, "partners")
    part["_name"] = _display_name(part, "city")

    corr_frame = _default("corridors") if corridors is None else corridors
    if not isinstance(corr_frame, pd.DataFrame):
        raise DataError(f"corridors must be a DataFrame, got {type(corr_frame).__name__}.")
    need = {"mode", "origin", "partners"} - set(corr_frame.columns)
    if need:
        raise DataError(
            f"corridors is missing columns {sorted(need)}; it needs mode, origin "
            "(';'-joined adcodes) and partners (';'-joined partner ids)."
        )
    lookup = [cand] + ([dem] if dem is not None else [])
    if corridors is None and candidates is not None:
        shipped = _as_points(_default("candidates"), "candidates")
        shipped["_name"] = _display_name(shipped)
        lookup.append(shipped)
    corr = _build_corridors(corr_frame.copy(), lookup, part, lang, arc_points)

    return _Content(
        lang=lang,
        cand=cand,
        tiers=tiers,
        scores=score_frame,
        solution=sol,
        demand=dem,
        partners=part,
        corridors=corr,
        title=title,
    )


def _split(value: Any) -> list[str]:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def _build_corridors(
    frame: pd.DataFrame,
    lookup: list[pd.DataFrame],
    part: pd.DataFrame,
    lang: str,
    n: int,
) -> list[_Corridor]:
    """Corridors with their arcs: every origin place to every partner hub."""
    from borderhub.geo import great_circle

    out = []
    for cid, row in frame.iterrows():
        mode = str(row["mode"]).strip().lower()
        if mode not in MODES:
            raise DataError(f"corridor {cid!r} has mode {row['mode']!r}; modes are {MODES}.")
        name = str(row["name"]) if "name" in frame.columns and pd.notna(row["name"]) else str(cid)
        rows = [(esc("id"), esc(cid)), (esc(MODE_NAMES[lang][mode]), esc(mode))]
        for col in ("destination_region", "plan_ref", "description"):
            v = fmt_value(row[col], lang) if col in frame.columns else None
            if v is not None:
                rows.append((esc(col.replace("_", " ")), esc(v)))
        corridor = _Corridor(id=str(cid), name=name, mode=mode, popup_rows=rows)
        origins: list[tuple[str, tuple[float, float]]] = []
        for code in _split(row["origin"]):
            table = next((t for t in lookup if code in t.index), None)
            if table is None:
                raise DataError(
                    f"corridor {cid!r}: origin {code!r} is in neither the candidates nor the "
                    "demand units; pass frames that contain it or drop the corridor."
                )
            origins.append((code, (float(table["_lon"][code]), float(table["_lat"][code]))))
            corridor.origin_names[code] = str(table.at[code, "_name"])
        ends: list[tuple[str, tuple[float, float]]] = []
        for pid in _split(row["partners"]):
            if pid not in part.index:
                raise DataError(
                    f"corridor {cid!r}: partner {pid!r} is not in the partners' index "
                    f"(e.g. {part.index[:3].tolist()}); pass partners that contain it."
                )
            ends.append((pid, (float(part["_lon"][pid]), float(part["_lat"][pid]))))
        for code, o in origins:
            for pid, e in ends:
                corridor.arcs.append((code, pid, great_circle(o, e, n)))
        out.append(corridor)
    return out


def numeric_column(frame: pd.DataFrame, column: str, default: float) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), default)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def tier_outline(c: _Content, label: Any, default: str) -> str:
    """Outline colour of a candidate in the solution view: its first filled tier's colour."""
    if c.tiers is None or not c.tiers.get(label):
        return default
    tiers = c.tiers[label]
    first = next((t for t in tiers if not tier_style(t).ring), tiers[0])
    return tier_style(first).fill


def centre_colours(sol: _Solution | None) -> dict[Any, str]:
    if sol is None:
        return {}
    return {f: FACILITY_COLOURS[k % len(FACILITY_COLOURS)] for k, f in enumerate(sol.open)}


def candidate_popup(
    c: _Content, label: Any, row: Mapping[str, Any], extra: Iterable[tuple[str, str]] = ()
) -> str:
    i = 0 if c.lang == "zh" else 1
    rows = [(esc("adcode" if c.lang == "en" else "行政区划代码"), esc(label))]
    for col, labels in CANDIDATE_FIELDS.items():
        if col in row:
            v = fmt_value(row[col], c.lang, grouped=not col.endswith("year"))
            if v is not None:
                rows.append((esc(labels[i]), esc(v)))
    if c.tiers is not None and c.tiers.get(label):
        tier_txt = "<br>".join(
            f"{esc(t.name)}: {esc(t.label_zh)} / {esc(t.label_en)}" for t in c.tiers[label]
        )
        rows.append((esc(TEXT[c.lang]["tiers"]), tier_txt))
    for col, v in row.items():
        name = str(col)
        if (
            name in CANDIDATE_FIELDS
            or name in SKIP_COLUMNS
            or name.startswith("_")
            or SKIP_SUFFIX.search(name)
        ):
            continue
        scalar = np.isscalar(v) or v is None or v is pd.NA
        txt = fmt_value(v, c.lang, grouped=not name.endswith("year")) if scalar else None
        if txt is not None:
            rows.append((esc(name), esc(txt)))
    rows.extend(extra)
    return popup_table(rows, esc(row["_name"]))
