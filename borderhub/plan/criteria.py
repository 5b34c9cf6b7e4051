"""A study's criteria and weights: a file, a mapping or Criterion objects, and what each needs.

``run_plan(criteria=...)`` and ``borderhub plan --criteria FILE`` take the criteria a study
scores with. A file is a CSV with one row per criterion:

* ``criterion`` (``指标``) -- a registered criterion
  (:func:`borderhub.scoring.lookup_criteria`) or a name of your own;
* ``weight`` (``权重``) -- its weight (normalised to sum 1 over the criteria scored);
* ``direction`` (``方向``) -- for your own: ``benefit``/``效益`` or ``cost``/``成本``;
* ``column`` (``列``) -- for your own: the candidates' column it reads.

:func:`needs` says which column of the candidates feeds a registered criterion, so that a
criterion the data cannot feed is reported, before anything is solved, with the column that
would enable it (:data:`ENABLING_COLUMNS`).

Examples
--------
>>> from borderhub.plan.criteria import study_criteria
>>> [(c.name, c.weight) for c in study_criteria({"express_volume": 2, "rail_hub": 1})]
[('express_volume', 2.0), ('rail_hub', 1.0)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from borderhub.exceptions import DataError, SpecificationError

__all__ = ["study_criteria", "read_criteria", "needs", "ENABLING_COLUMNS"]

#: Registered criterion -> the candidates' column that feeds it (see
#: :data:`borderhub.plan.schema.COLUMNS` for the headers each is recognised under).
ENABLING_COLUMNS: dict[str, str] = {
    "rail_hub": "rail_hub",
    "coastal": "coastal",
    "airport_cargo": "airport_cargo",
    "cbec_zone": "cbec_batch",
    "cbec_seniority": "cbec_batch",
    "express_volume": "express_volume",
    "population": "population",
    "tier_score": "tiers",
}

_HEADERS = {
    "criterion": ("criterion", "指标", "name", "指标名称"),
    "weight": ("weight", "权重"),
    "direction": ("direction", "方向"),
    "column": ("column", "列", "字段"),
}
_DIRECTIONS = {
    "benefit": "benefit",
    "效益": "benefit",
    "越大越好": "benefit",
    "正向": "benefit",
    "cost": "cost",
    "成本": "cost",
    "越小越好": "cost",
    "负向": "cost",
}


def needs(name: str, lang: str = "en") -> str:
    """The column (and its Chinese header) that feeds a registered criterion.

    Parameters
    ----------
    name : str
        A criterion name.
    lang : {"en", "zh"}, default "en"
        Language of the description.

    Returns
    -------
    str
        E.g. ``"a 'rail_hub' column (中欧班列, 是/否)"``; ``""`` for a criterion computed
        from the coordinates or the demand.

    Examples
    --------
    >>> from borderhub.plan.criteria import needs
    >>> needs("express_volume")
    "a column 'express_volume' (or 快递业务量(万件)): express volume (unit in the header: ..."
    """
    from borderhub.plan.schema import COLUMNS

    column = ENABLING_COLUMNS.get(name)
    if column is None:
        return ""
    spec = COLUMNS.get(column)
    if spec is None:
        return f"a column {column!r}"
    header = spec.aliases[0] + (f"({spec.unit if spec.unit != '亿件' else '万件'})" if spec.unit
                                and spec.units else "")  # fmt: skip
    what = spec.zh if lang == "zh" else spec.en
    return f"a column {column!r} (or {header}): {what}"


def _column(frame: pd.DataFrame, role: str) -> str | None:
    lower = {str(c).strip().lower(): str(c) for c in frame.columns}
    for header in _HEADERS[role]:
        if header.lower() in lower:
            return lower[header.lower()]
    return None


def read_criteria(path: str | Path) -> list[Any]:
    """The criteria and weights of a CSV file (see the module's description).

    Parameters
    ----------
    path : str or pathlib.Path
        The file (UTF-8 or GB18030).

    Returns
    -------
    list of Criterion
        Each with its weight.

    Raises
    ------
    DataError
        A missing file or column, a weight that is not a number >= 0, an unknown
        criterion without ``direction`` and ``column``.
    """
    from io import StringIO

    from borderhub.io import decode_text

    file = Path(path)
    try:
        text = decode_text(file.read_bytes(), name=f"criteria file {file.name}")
    except OSError as err:
        raise DataError(f"cannot read criteria file {path}: {err.strerror or err}") from None
    table = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    name_col, weight_col = _column(table, "criterion"), _column(table, "weight")
    if name_col is None or weight_col is None:
        raise DataError(
            f"criteria file {file.name} needs the columns criterion (指标) and weight (权重); "
            f"it has {list(table.columns)}"
        )
    direction_col, source_col = _column(table, "direction"), _column(table, "column")
    spec: dict[str, dict[str, Any]] = {}
    for _, row in table.iterrows():
        name = str(row[name_col]).strip()
        if not name or name.startswith("#"):
            continue
        entry: dict[str, Any] = {"weight": row[weight_col]}
        if direction_col and str(row[direction_col]).strip():
            entry["direction"] = str(row[direction_col]).strip()
        if source_col and str(row[source_col]).strip():
            entry["column"] = str(row[source_col]).strip()
        if name in spec:
            raise DataError(f"criteria file {file.name}: criterion {name!r} appears twice")
        spec[name] = entry
    return study_criteria(spec, where=f"criteria file {file.name}")


def study_criteria(criteria: Any, *, where: str = "criteria") -> list[Any]:
    """The criteria of a study from a file, a mapping or Criterion objects.

    Parameters
    ----------
    criteria : str, pathlib.Path, mapping or sequence of Criterion
        A CSV file (:func:`read_criteria`); ``{name: weight}`` or ``{name: {"weight": w,
        "direction": d, "column": c}}`` (a registered name needs only its weight); or
        :class:`~borderhub.scoring.Criterion` objects (weighted).
    where : str, default "criteria"
        Where they come from, for messages.

    Returns
    -------
    list of Criterion

    Raises
    ------
    DataError, SpecificationError
        An unknown criterion without direction and column, a bad weight or direction.

    Examples
    --------
    >>> from borderhub.plan.criteria import study_criteria
    >>> c = study_criteria({"口岸过货量": {"weight": 1, "direction": "效益", "column": "货量"}})
    >>> c[0].name, c[0].source, c[0].direction
    ('口岸过货量', '货量', 'benefit')
    """
    import dataclasses

    from borderhub.scoring import Criterion, lookup_criteria

    if isinstance(criteria, str | Path):
        return read_criteria(criteria)
    if isinstance(criteria, Sequence) and all(isinstance(c, Criterion) for c in criteria):
        if not criteria:
            raise SpecificationError(f"{where}: no criterion given")
        return list(criteria)
    if not isinstance(criteria, Mapping) or not criteria:
        raise SpecificationError(
            f"{where} must be a CSV file, a mapping {{name: weight}} or Criterion objects, "
            f"got {criteria!r}"
        )
    known = [c.name for c in lookup_criteria()]
    out = []
    for name, value in criteria.items():
        entry = dict(value) if isinstance(value, Mapping) else {"weight": value}
        weight = pd.to_numeric(pd.Series([entry.get("weight")]), errors="coerce").iloc[0]
        if pd.isna(weight) or float(weight) < 0:
            raise DataError(
                f"{where}: the weight of {name!r} must be a number >= 0, got "
                f"{entry.get('weight')!r}"
            )
        direction = entry.get("direction")
        if direction is not None:
            direction = _DIRECTIONS.get(str(direction).strip().lower())
            if direction is None:
                raise DataError(
                    f"{where}: the direction of {name!r} must be benefit (效益) or cost "
                    f"(成本), got {entry.get('direction')!r}"
                )
        column = entry.get("column")
        if column is None and name in known:
            criterion = lookup_criteria([name])[0]
            if direction is not None:
                criterion = dataclasses.replace(criterion, direction=direction)
        elif column is not None and direction is not None:
            from borderhub.plan.schema import standard_column_name

            source = standard_column_name(column) or column
            criterion = Criterion(str(name), source, direction, description=f"column {column}")
        else:
            raise DataError(
                f"{where}: {name!r} is not a registered criterion ({', '.join(known)}); give "
                "your own criterion a direction (benefit/效益 or cost/成本) and the column it "
                "reads"
            )
        out.append(dataclasses.replace(criterion, weight=float(weight)))
    return out
