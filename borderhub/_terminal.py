"""Text for the terminal: names without control characters (light: standard library only)."""

from __future__ import annotations

import unicodedata
from typing import Any

__all__ = ["printable", "printable_frame", "printable_lines"]


def printable(text: Any) -> str:
    r"""``str(text)`` with control characters (ANSI escapes, ``\r``, bell...) removed.

    For names printed to a terminal: an escape sequence in a place name cannot move the
    cursor, recolour or retitle the terminal. Tabs and newlines become spaces.

    Parameters
    ----------
    text : object
        A name (or anything; it is turned into ``str``).

    Returns
    -------
    str

    Examples
    --------
    >>> from borderhub.io import printable
    >>> printable("上海\x1b[31m red\x07\tx")
    '上海[31m red x'
    """
    out = []
    for char in str(text):
        if char in "\t\n":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200d":
            continue
        else:
            out.append(char)
    return "".join(out)


def printable_lines(text: Any) -> str:
    r"""``str(text)`` line by line through :func:`printable`: the line breaks are kept.

    Parameters
    ----------
    text : object
        Lines of text (or anything; it is turned into ``str``).

    Returns
    -------
    str

    Examples
    --------
    >>> from borderhub.io import printable_lines
    >>> printable_lines("上海\x1b[2J\n广州")
    '上海[2J\n广州'
    """
    return "\n".join(printable(line) for line in str(text).split("\n"))


def printable_frame(frame: Any) -> Any:
    r"""A copy of a table with :func:`printable` text cells and labels (for printing).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to print.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    SpecificationError
        ``frame`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.io import printable_frame
    >>> printable_frame(pd.DataFrame({"name": ["a\x1b[2Jb"], "n": [1]})).to_dict("list")
    {'name': ['a[2Jb'], 'n': [1]}
    """
    if not hasattr(frame, "map") or not hasattr(frame, "set_axis"):
        from borderhub.exceptions import SpecificationError

        raise SpecificationError(f"frame must be a DataFrame, got {type(frame).__name__}")

    def clean(value: Any) -> Any:
        return printable(value) if isinstance(value, str) else value

    return frame.map(clean).set_axis(frame.index.map(clean))
