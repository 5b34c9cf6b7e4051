"""A researcher's own figures in place of the bundled ones, with their provenance.

The bundled tables rest partly on estimates (most city express volumes) and on secondary
copies of official tables. A researcher who has the official figures -- the State Post
Bureau's city table, CAAC's airport bulletin, a statistical yearbook -- writes them into a
*figures file*, one figure per row:

========== ===============================================================================
column     meaning
========== ===============================================================================
place      the place: a name as in the tables (``广州市`` or ``广州``), a plan name, an
           adcode, or for ``express_volume`` a province (its total)
quantity   ``express_volume``, ``population`` or ``airport_cargo`` (:data:`QUANTITIES`;
           ``快递业务量``, ``人口``, ``货邮吞吐量`` are read as these)
value      the figure, a number >= 0
unit       its unit, one of the quantity's units (``亿件``, ``万件``, ``件``; ``人``,
           ``万人``; ``万吨``, ``吨``): converted to the table's unit
period     the year the figure is for
source     where it was published (document, table, page, address): required
grade      optional, ``official`` (default), ``news`` or ``secondary``
           (:data:`borderhub.datasets.SOURCE_GRADES`)
========== ===============================================================================

Chinese headers are read too (地点, 指标, 数值, 单位, 年份, 来源, 等级).
:func:`read_figures` checks such a file; :func:`apply_figures` puts its figures into a
table and **refits the estimates around them**: the bundled estimates of a province share
out what its sourced figures leave of the province total, so when a figure replaces an
estimate, the province's other estimates are rescaled so that the total still holds (the
province's level refitted, their relative sizes kept, as the bundled estimator does with
one free level per province); a figure for a province sets that total. The figure's
spread is that of a reported city figure widened for its grade (0.05 official, 0.07 news,
0.11 secondary). :func:`apply_to_study` does this for a study's candidates and demand at
once, and carries the refit of each prefecture over to the candidates inside it.
:func:`borderhub.datasets.prefectures`, :func:`borderhub.datasets.candidates`,
:func:`borderhub.run_plan` and ``borderhub plan --figures FILE`` take such a file; the
manifest and the report name every figure and its source.

The rank and list statements the bundled estimator also meets (see the data README) are
not re-imposed here: rescaling keeps the order of a province's estimates, and the
figures themselves decide between places that have one. ``python tools/build_data.py``
refits the whole table from the repository's sources.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError, DataWarning, SpecificationError

__all__ = [
    "FIGURE_COLUMNS",
    "QUANTITIES",
    "GRADE_SPREADS",
    "read_figures",
    "apply_figures",
    "apply_to_study",
]

#: Columns of a figures file (``grade`` optional, default ``"official"``).
FIGURE_COLUMNS = ("place", "quantity", "value", "unit", "period", "source", "grade")


@dataclass(frozen=True)
class _Quantity:
    unit: str  # the tables' unit
    units: Mapping[str, float]  # accepted unit -> factor to the tables' unit
    refit: bool  # the tables' estimates of it share out a province total


#: Quantities a figures file can give: the tables' unit, the accepted units with their factor
#: to it, and whether the bundled estimates of it are refitted around new figures.
QUANTITIES: dict[str, _Quantity] = {
    "express_volume": _Quantity(
        "亿件",
        {"亿件": 1.0, "万件": 1e-4, "件": 1e-8, "1e8 items": 1.0, "items": 1e-8},
        True,
    ),
    "population": _Quantity("persons", {"人": 1.0, "persons": 1.0, "万人": 1e4}, False),
    "airport_cargo": _Quantity("万吨", {"万吨": 1.0, "吨": 1e-4, "tonnes": 1e-4, "t": 1e-4}, False),
}

#: Relative spread of a figure by its source's grade (the grades of
#: :data:`borderhub.datasets.SOURCE_GRADES`, strongest first): a reported city figure's
#: 0.05 and the grade's own (0, 0.05, 0.10) in quadrature, as the bundled tables have it.
GRADE_SPREADS = {"official": 0.05, "news": 0.07, "secondary": 0.11}

_HEADERS = {
    "地点": "place",
    "地区": "place",
    "城市": "place",
    "名称": "place",
    "指标": "quantity",
    "数值": "value",
    "单位": "unit",
    "年份": "period",
    "时期": "period",
    "来源": "source",
    "等级": "grade",
}
_QUANTITY_NAMES = {
    "快递业务量": "express_volume",
    "人口": "population",
    "货邮吞吐量": "airport_cargo",
}
_SUFFIXES = ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")


def read_figures(source: Any, *, encoding: str | None = None) -> pd.DataFrame:
    """Read and check a figures file (see the module text for its columns).

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        A CSV file (UTF-8, with or without BOM, or GB18030: see
        :func:`borderhub.io.decode_text`; ``,``, ``;`` or tab) or a table with the columns
        of :data:`FIGURE_COLUMNS`.
    encoding : str, optional
        The file's encoding when it is neither UTF-8 nor GB18030.

    Returns
    -------
    pandas.DataFrame
        A new table: ``place``, ``quantity`` (the English name), ``value`` (as given),
        ``unit``, ``period`` (int), ``source``, ``grade``, and ``table_value`` (the value
        in the tables' unit of the quantity).

    Raises
    ------
    DataError
        A column missing; an unknown quantity or unit; a value that is not a number >= 0;
        a period that is not a year; a figure without a source; an unknown grade; the same
        place and quantity twice. The message names the rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.figures import read_figures
    >>> f = read_figures(pd.DataFrame({
    ...     "地点": ["广州市"], "指标": ["快递业务量"], "数值": [1_000_000], "单位": ["万件"],
    ...     "年份": [2024], "来源": ["an illustrative figure, not a published one"]}))
    >>> f.loc[0, "quantity"], float(f.loc[0, "table_value"]), f.loc[0, "grade"]
    ('express_volume', 100.0, 'official')
    """
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
        where = "figures"
    elif isinstance(source, str | Path):
        raw = _read_file(Path(source), encoding)
        where = f"figures file {Path(source).name}"
    else:
        raise SpecificationError(
            f"figures must be a CSV file or a DataFrame, got {type(source).__name__}"
        )
    raw = raw.rename(columns=lambda c: _HEADERS.get(str(c).strip(), str(c).strip().lower()))
    if "grade" not in raw.columns:
        raw["grade"] = "official"
    missing = [c for c in FIGURE_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(
            f"{where} lacks the columns {missing}; a figures file has {list(FIGURE_COLUMNS)} "
            "(grade optional), one figure per row"
        )
    out = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    for column in ("place", "quantity", "unit", "source", "grade"):
        out[column] = raw[column].fillna("").astype(str).str.strip().to_numpy()
    out["quantity"] = [_QUANTITY_NAMES.get(q, q.lower()) for q in out["quantity"]]
    _check_text(out, where)
    value = pd.to_numeric(raw["value"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(value) | (value < 0)
    if bad.any():
        rows = [(int(i) + 1, raw["value"].iloc[i]) for i in np.flatnonzero(bad)[:10]]
        raise DataError(
            f"{where}: value must be a number >= 0; bad in rows (row, value) {rows}; a "
            "figure not published is left out of the file, not written as 0 or -"
        )
    out["value"] = value
    period = pd.to_numeric(raw["period"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(period) | (period != np.round(period)) | (period < 1900) | (period > 2100)
    if bad.any():
        rows = [(int(i) + 1, raw["period"].iloc[i]) for i in np.flatnonzero(bad)[:10]]
        raise DataError(f"{where}: period must be a year such as 2024; bad in rows {rows}")
    out["period"] = period.astype(int)
    out["table_value"] = [
        v * QUANTITIES[q].units[u]
        for v, q, u in zip(value, out["quantity"], out["unit"], strict=True)
    ]
    key = out["place"] + "\x00" + out["quantity"]
    if key.duplicated().any():
        twice = out.loc[key.duplicated(keep=False), ["place", "quantity"]].drop_duplicates()
        raise DataError(
            f"{where} gives {twice.to_records(index=False).tolist()} more than once; keep "
            "one figure per place and quantity"
        )
    return out


def _read_file(path: Path, encoding: str | None) -> pd.DataFrame:
    from io import StringIO

    from borderhub._decode import decode_text

    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"cannot read figures file {path.name}: {err.strerror or err}") from None
    text = decode_text(data, name=f"figures file {path.name}", encoding=encoding)
    first = text.splitlines()[0] if text.strip() else ""
    sep = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
    try:
        return pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise DataError(
            f"figures file {path.name} is empty; give a header row ({', '.join(FIGURE_COLUMNS)}) "
            "and one figure per row"
        ) from None
    except (pd.errors.ParserError, ValueError) as err:
        raise DataError(f"cannot parse figures file {path.name}: {err}") from None


def _check_text(out: pd.DataFrame, where: str) -> None:
    def fail(column: str, mask: Any, fix: str) -> None:
        rows = [(int(i) + 1, out[column].iloc[i]) for i in np.flatnonzero(mask)[:10]]
        raise DataError(f"{where}: {column} {fix}; bad in rows (row, {column}) {rows}")

    if (out["place"] == "").any():
        fail("place", out["place"] == "", "must name a place")
    unknown = ~out["quantity"].isin(QUANTITIES)
    if unknown.any():
        fail("quantity", unknown, f"must be one of {list(QUANTITIES)}")
    bad_unit = [
        u not in QUANTITIES[q].units for q, u in zip(out["quantity"], out["unit"], strict=True)
    ]
    if any(bad_unit):
        i = bad_unit.index(True)
        fail(
            "unit",
            bad_unit,
            f"must be one of {list(QUANTITIES[out['quantity'][i]].units)} for {out['quantity'][i]}",
        )
    if (out["source"] == "").any():
        fail("source", out["source"] == "", "must say where the figure was published")
    bad_grade = ~out["grade"].isin(GRADE_SPREADS)
    if bad_grade.any():
        fail("grade", bad_grade, f"must be one of {list(GRADE_SPREADS)}")


def _stem(text: str) -> str:
    text = str(text).strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _match(table: pd.DataFrame, place: str) -> tuple[str, list[Any]]:
    """``("row", labels)`` or ``("province", labels of its rows)`` or ``("", [])``."""
    labels = table.index
    hit = [k for k in labels if str(k) == place]
    if hit:
        return "row", hit
    for column in ("name", "plan_name"):
        if column in table.columns:
            names = table[column].fillna("").astype(str)
            hit = list(labels[names.eq(place).to_numpy()])
            if not hit:
                hit = list(labels[names.map(_stem).eq(_stem(place)).to_numpy()])
            if hit:
                return "row", hit
    if "province" in table.columns:
        provinces = table["province"].fillna("").astype(str)
        hit = list(labels[provinces.map(_stem).eq(_stem(place)).to_numpy()])
        if hit:
            return "province", hit
    return "", []


def apply_figures(
    table: pd.DataFrame, figures: Any, *, refit: bool = True, unmatched: str = "raise"
) -> pd.DataFrame:
    """A copy of ``table`` with the figures put in, and its estimates refitted around them.

    Parameters
    ----------
    table : pandas.DataFrame
        A table with the quantity's column (``express_volume`` ...) and, for the refit, its
        ``province`` and ``<quantity>_estimated`` columns (as the bundled tables have);
        the provenance columns ``<quantity>_year``, ``_source``, ``_grade``, ``_quality``,
        ``_method``, ``_spread`` and ``_estimated`` are set where the table has them.
    figures : str, pathlib.Path or pandas.DataFrame
        A figures file or table (:func:`read_figures`).
    refit : bool, default True
        Rescale each province's remaining estimates of a refitted quantity so that the
        province total still holds (the module text says how).
    unmatched : {"raise", "keep"}, default "raise"
        A figure whose place is not in the table (or quantity not a column of it): an
        error naming it, or left for another table (see :func:`apply_to_study`).

    Returns
    -------
    pandas.DataFrame
        A new table (``table`` is not changed). ``attrs["figures"]`` lists what was
        applied (``applied``: place, row, quantity, old and new value, period, source,
        grade), each province refitted with its factor (``refitted``) and the figure rows
        not found (``unmatched``, row numbers of the figures table).

    Raises
    ------
    DataError
        A place not found (``unmatched="raise"``) or naming several rows; figures of a
        province that exceed its total, so its estimates would have to be negative.

    Warns
    -----
    DataWarning
        A figure's period differs from the year the table's column is for; a province
        total given for a province none of whose rows is an estimate, so the figures
        and the total disagree.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.figures import apply_figures
    >>> t = pd.DataFrame({"name": ["甲市", "乙市", "丙市"], "province": ["某省"] * 3,
    ...                   "express_volume": [6.0, 3.0, 1.0],
    ...                   "express_volume_estimated": [False, True, True]})
    >>> f = pd.DataFrame({"place": ["乙市"], "quantity": ["express_volume"], "value": [2.0],
    ...                   "unit": ["亿件"], "period": [2024], "source": ["illustrative"]})
    >>> out = apply_figures(t, f)
    >>> out["express_volume"].tolist(), out.attrs["figures"]["refitted"]
    ([6.0, 2.0, 2.0], {'某省': 2.0})
    """
    if unmatched not in ("raise", "keep"):
        raise SpecificationError(f"unmatched must be 'raise' or 'keep', got {unmatched!r}")
    figs = read_figures(figures)
    out = table.copy()
    before = table.copy()
    applied: list[dict[str, Any]] = []
    missed: list[int] = []
    totals: dict[tuple[str, str], float] = {}
    given: dict[str, set[Any]] = {}
    for i, (_, fig) in enumerate(figs.iterrows()):
        quantity = str(fig["quantity"])
        kind, rows = _match(out, str(fig["place"])) if quantity in out.columns else ("", [])
        if kind == "" or (kind == "province" and not QUANTITIES[quantity].refit):
            missed.append(i)
            continue
        if kind == "province":
            totals[(str(out.loc[rows[0], "province"]), quantity)] = float(fig["table_value"])
            continue
        if len(rows) > 1:
            raise DataError(
                f"figures: place {fig['place']!r} matches {len(rows)} rows {rows[:5]}; "
                "name it by its adcode or full name"
            )
        row = rows[0]
        _put(out, row, fig)
        given.setdefault(quantity, set()).add(row)
        applied.append(
            {
                "place": str(fig["place"]),
                "row": row,
                "quantity": quantity,
                "old": _number(before.loc[row, quantity]),
                "new": float(fig["table_value"]),
                "period": int(fig["period"]),
                "source": str(fig["source"]),
                "grade": str(fig["grade"]),
            }
        )
    if missed and unmatched == "raise":
        shown = figs.loc[missed[:10], ["place", "quantity"]].to_records(index=False).tolist()
        names = list(out["name"].astype(str)[:5]) if "name" in out.columns else list(out.index[:5])
        raise DataError(
            f"figures: no row of the table for {shown} (rows {[m + 1 for m in missed[:10]]} "
            f"of the figures); places are named as in the table (e.g. {names}) or by adcode"
        )
    refitted = _refit(out, before, given, totals) if refit else {}
    out.attrs = dict(table.attrs)
    out.attrs["figures"] = {"applied": applied, "refitted": refitted, "unmatched": missed}
    return out


def _number(value: Any) -> float:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return float(number) if pd.notna(number) else math.nan


def _put(out: pd.DataFrame, row: Any, fig: pd.Series) -> None:
    """Write one figure and its provenance into a row."""
    q = str(fig["quantity"])
    grade = str(fig["grade"])
    spread = GRADE_SPREADS[grade]
    year_column = f"{q}_year"
    if year_column in out.columns:
        year = pd.to_numeric(out[year_column], errors="coerce").dropna()
        if len(year) and int(fig["period"]) not in set(year.astype(int)):
            warnings.warn(
                f"figures: {fig['place']} {q} is for {int(fig['period'])}, the table's "
                f"{q} for {sorted(set(year.astype(int)))}: the table now mixes years",
                DataWarning,
                stacklevel=4,
            )
    values: dict[str, Any] = {
        q: float(fig["table_value"]),
        year_column: int(fig["period"]),
        f"{q}_estimated": False,
        f"{q}_spread": spread,
        f"{q}_method": (
            f"user figure ({fig['value']:g} {fig['unit']}, {int(fig['period'])}, {grade} "
            f"grade); relative spread {spread}"
        ),
        f"{q}_quality": grade,
        f"{q}_grade": grade,
        f"{q}_source": str(fig["source"]),
    }
    for column, value in values.items():
        if column in out.columns:
            if out[column].dtype != object and not isinstance(value, int | float | bool):
                out[column] = out[column].astype(object)
            out.loc[row, column] = value


def _refit(
    out: pd.DataFrame,
    before: pd.DataFrame,
    given: dict[str, set[Any]],
    totals: dict[tuple[str, str], float],
) -> dict[str, float]:
    """Rescale each touched province's remaining estimates to its total; province -> factor."""
    factors: dict[str, float] = {}
    for q, spec in QUANTITIES.items():
        flag = f"{q}_estimated"
        if not spec.refit or q not in out.columns or flag not in out.columns:
            continue
        if "province" not in out.columns:
            continue
        touched = {str(out.loc[r, "province"]) for r in given.get(q, ())}
        touched |= {p for (p, qq) in totals if qq == q}
        old = pd.to_numeric(before[q], errors="coerce")
        for province in sorted(touched):
            in_p = out["province"].astype(str).eq(province).to_numpy()
            estimated = in_p & before[flag].eq(True).to_numpy()
            estimated &= ~out.index.isin(list(given.get(q, ())))
            total = totals.get((province, q), float(old[in_p].sum()))
            fixed = float(pd.to_numeric(out.loc[in_p & ~estimated, q], errors="coerce").sum())
            rest = total - fixed
            base = float(old[estimated].sum())
            if not estimated.any() or base <= 0:
                if (province, q) in totals and abs(rest) > 1e-9 * max(total, 1.0):
                    warnings.warn(
                        f"figures: the {q} of {province}'s places add up to {fixed:g}, its "
                        f"given total is {total:g}, and none of its places is an estimate "
                        "to take up the difference",
                        DataWarning,
                        stacklevel=3,
                    )
                continue
            if rest <= 0:
                raise DataError(
                    f"figures: the {q} figures of {province} add up to {fixed:g} "
                    f"{spec.unit}, which leaves nothing of its total {total:g} for its "
                    f"{int(estimated.sum())} estimated places; check the units and periods "
                    "of the figures, or give the province total for the same period"
                )
            factor = rest / base
            out.loc[estimated, q] = old[estimated] * factor
            method = f"{q}_method"
            if method in out.columns:
                note = f"; rescaled x{factor:.4g} to the province total around the user's figures"
                out.loc[estimated, method] = out.loc[estimated, method].astype(str) + note
            factors[province] = factor
    return factors


def apply_to_study(candidates: Any, demand: Any, figures: Any) -> tuple[Any, Any, dict[str, Any]]:
    """Put a figures file into a study's candidates and demand; every figure must land.

    Demand (a table of every unit of a province, such as the bundled prefectures) is
    refitted; candidates take the figures that name them, and a candidate whose figure is an
    estimate follows the refit of its prefecture (``prefecture_adcode``) by the same factor.

    Parameters
    ----------
    candidates, demand : pandas.DataFrame
        The study's tables (not changed).
    figures : str, pathlib.Path or pandas.DataFrame
        A figures file or table (:func:`read_figures`).

    Returns
    -------
    candidates, demand : pandas.DataFrame
        New tables with the figures.
    provenance : dict
        ``figures`` (each figure with its source and grade), ``applied`` (per table, the
        rows changed with old and new values), ``refitted`` (province -> factor).

    Raises
    ------
    DataError
        A figure that names a place of neither table, or see :func:`apply_figures`.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub import datasets
    >>> from borderhub.figures import apply_to_study
    >>> f = pd.DataFrame({"place": ["广州市"], "quantity": ["express_volume"],
    ...                   "value": [80.0], "unit": ["亿件"], "period": [2024],
    ...                   "source": ["an illustrative figure"]})
    >>> cand, dem, prov = apply_to_study(datasets.candidates(), datasets.prefectures(), f)
    >>> float(cand.loc["440100", "express_volume"]), list(prov["refitted"])
    (80.0, ['广东省'])
    """
    figs = read_figures(figures)
    dem = apply_figures(demand, figs, unmatched="keep")
    cand = apply_figures(candidates, figs, refit=False, unmatched="keep")
    _follow(cand, demand, dem, figs)
    lost = sorted(set(dem.attrs["figures"]["unmatched"]) & set(cand.attrs["figures"]["unmatched"]))
    if lost:
        shown = figs.loc[lost[:10], ["place", "quantity"]].to_records(index=False).tolist()
        raise DataError(
            f"figures: {shown} name no candidate and no demand unit (rows "
            f"{[i + 1 for i in lost[:10]]} of the figures); name places as in the tables or "
            "by adcode"
        )
    provenance = {
        "figures": figs.drop(columns=["table_value"]).to_dict("records"),
        "applied": {
            "candidates": cand.attrs["figures"]["applied"],
            "demand": dem.attrs["figures"]["applied"],
        },
        "refitted": dem.attrs["figures"]["refitted"],
    }
    cand.attrs["figures"] = dem.attrs["figures"] = provenance
    return cand, dem, provenance


def _follow(cand: pd.DataFrame, old: Any, new: pd.DataFrame, figs: pd.DataFrame) -> None:
    """Candidates whose figure is an estimate move with their prefecture's refit (in place)."""
    if "prefecture_adcode" not in cand.columns:
        return
    direct = {(a["row"], a["quantity"]) for a in cand.attrs["figures"]["applied"]}
    for q, spec in QUANTITIES.items():
        flag = f"{q}_estimated"
        if not spec.refit or q not in cand.columns or flag not in cand.columns:
            continue
        if q not in new.columns:
            continue
        ratio = pd.to_numeric(new[q], errors="coerce") / pd.to_numeric(old[q], errors="coerce")
        ratio.index = ratio.index.astype(str)
        pref = cand["prefecture_adcode"].astype(str)
        factor = pref.map(ratio)
        own = cand.index.isin([row for row, qq in direct if qq == q])
        take = cand[flag].eq(True).to_numpy() & ~own & factor.notna().to_numpy()
        take &= (factor.fillna(1.0) != 1.0).to_numpy()
        if take.any():
            cand.loc[take, q] = pd.to_numeric(cand.loc[take, q], errors="coerce") * factor[take]
            method = f"{q}_method"
            if method in cand.columns:
                cand.loc[take, method] = cand.loc[take, method].astype(str) + [
                    f"; rescaled x{f:.4g} with its prefecture around the user's figures"
                    for f in factor[take]
                ]
