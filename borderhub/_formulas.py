"""Spreadsheet formula neutralisation of CSV cells (the OWASP rule)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import SpecificationError

__all__ = ["FORMULA_PREFIXES", "neutralise_formulas", "restore_formulas", "neutralise_frame"]


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(values: Any) -> Any:
    r"""Prefix with ``'`` the strings a spreadsheet would run as a formula (OWASP rule).

    A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    written as ``'`` followed by the text, so Excel, WPS and LibreOffice show it as text
    instead of evaluating it (``=HYPERLINK(...)``); numbers (``-3.5``, ``+1e3``) are left
    as they are. A text that already starts with ``'`` and one of those characters gets a
    second ``'``, so :func:`restore_formulas` recovers every original exactly.

    Parameters
    ----------
    values : pandas.Series, pandas.Index or iterable of str
        The cells.

    Returns
    -------
    Same type as ``values`` (a list for other iterables); non-strings unchanged.

    Examples
    --------
    >>> from borderhub.io import neutralise_formulas
    >>> neutralise_formulas(["=1+2", "-3.5", "@SUM(A1)", "上海", "'=x"])
    ["'=1+2", '-3.5', "'@SUM(A1)", '上海', "''=x"]
    """
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise SpecificationError(
            f"values must be a Series, an Index or a list of cells, got {type(values).__name__}"
        )
    if isinstance(values, pd.Series | pd.Index):
        text = values.astype(object)
        risky = np.array([_risky(v) for v in text], dtype=bool)
        if not risky.any():
            return values
        out = np.asarray(text, dtype=object).copy()
        out[risky] = ["'" + v for v in out[risky]]
        if isinstance(values, pd.Index):
            return pd.Index(out, name=values.name, dtype=object)
        return pd.Series(out, index=values.index, name=values.name, dtype=object)
    return ["'" + v if _risky(v) else v for v in values]


def restore_formulas(values: pd.Series) -> pd.Series:
    """Undo :func:`neutralise_formulas` (remove one ``'`` before a risky first character).

    Parameters
    ----------
    values : pandas.Series
        Cells as read from a CSV borderhub wrote.

    Returns
    -------
    pandas.Series

    Raises
    ------
    SpecificationError
        ``values`` is not a Series.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.io import restore_formulas
    >>> restore_formulas(pd.Series(["'=1+2", "''=x", "'quoted"])).tolist()
    ['=1+2', "'=x", "'quoted"]
    """
    if not isinstance(values, pd.Series):
        raise SpecificationError(f"values must be a pandas Series, got {type(values).__name__}")
    text = values.astype(object)
    marked = np.array(
        [isinstance(v, str) and len(v) > 1 and v[0] == "'" and _risky(v[1:]) for v in text],
        dtype=bool,
    )
    if not marked.any():
        return values
    out = np.asarray(text, dtype=object).copy()
    out[marked] = [v[1:] for v in out[marked]]
    return pd.Series(out, index=values.index, name=values.name, dtype=object)


def _risky(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if value[0] == "'" and len(value) > 1 and _risky(value[1:]):
        return True  # keeps restore_formulas exact
    if value[0] not in FORMULA_PREFIXES:
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False  # a number such as -3.5 or +1e3


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with formula-like text cells, labels and headers prefixed (a copy if any).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table (not modified).

    Returns
    -------
    pandas.DataFrame
    """
    out = frame
    for k in range(frame.shape[1]):
        values = frame.iloc[:, k]
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            fixed = neutralise_formulas(values)
            if fixed is not values:
                if out is frame:
                    out = frame.copy()
                out.isetitem(k, fixed)
    index = neutralise_formulas(frame.index) if frame.index.nlevels == 1 else frame.index
    header = neutralise_formulas(pd.Index([str(c) for c in frame.columns], dtype=object))
    renamed_index = index is not frame.index
    renamed_header = any(str(a) != b for a, b in zip(frame.columns, header, strict=True))
    name = frame.index.name
    renamed_name = isinstance(name, str) and _risky(name)
    if renamed_index or renamed_header or renamed_name:
        if out is frame:
            out = frame.copy()
        if renamed_index:
            out.index = index
        if renamed_header:
            out.columns = header
        if renamed_name:
            out.index.name = "'" + str(name)
    return out
