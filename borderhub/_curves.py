"""The knee of a curve, shared by the sweeps and the plots.

:func:`elbow` is public as :func:`borderhub.scenarios.elbow`; it lives here, below both
:mod:`borderhub.scenarios` and :mod:`borderhub.plots`, so that neither imports the other
for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from borderhub.exceptions import DataError

__all__ = ["elbow"]


def elbow(table: pd.DataFrame, x: str = "p", y: str = "objective") -> Any:
    """The knee of a cost curve: the point farthest from the chord joining its ends.

    Both axes are scaled to [0, 1] and the point of largest perpendicular distance from the
    straight line between the first and the last point is returned (the "kneedle" idea of
    Satopää et al. 2011, without smoothing). Rows with a missing ``y`` are ignored.

    Parameters
    ----------
    table : pandas.DataFrame
        E.g. the output of :func:`p_sweep`.
    x, y : str
        Columns of the abscissa (number of centres) and the cost.

    Returns
    -------
    scalar or None
        The ``x`` value of the knee; None with fewer than three usable points or a flat
        curve.

    Examples
    --------
    >>> import pandas as pd
    >>> from borderhub.scenarios import elbow
    >>> elbow(pd.DataFrame({"p": [1, 2, 3, 4, 5], "objective": [100, 40, 20, 15, 12]}))
    2
    """
    missing = [c for c in (x, y) if c not in getattr(table, "columns", ())]
    if missing:
        raise DataError(
            f"elbow: table has no column(s) {missing}; its columns are "
            f"{list(getattr(table, 'columns', []))}; pass x= and y= to name them"
        )
    t = table[[x, y]].dropna()
    try:
        xs = t[x].to_numpy(dtype=float)
        ys = t[y].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise DataError(
            f"elbow: columns {x!r} and {y!r} must hold numbers; convert them first "
            f"(e.g. with pandas.to_numeric), got {t[x].tolist()[:5]} and {t[y].tolist()[:5]}"
        ) from None
    if len(t) < 3:
        return None
    order = np.argsort(xs, kind="stable")
    t, xs, ys = t.iloc[order], xs[order], ys[order]
    span_x, span_y = xs[-1] - xs[0], ys.max() - ys.min()
    if span_x == 0 or span_y == 0:
        return None
    u = (xs - xs[0]) / span_x
    v = (ys - ys[0]) / span_y
    end = v[-1]
    # distance from the chord (0, 0) -> (1, end), up to a constant factor
    dist = np.abs(u * end - v)
    k = int(np.argmax(dist))
    if dist[k] <= 1e-12:
        return None
    value = t[x].iloc[k]
    return value.item() if isinstance(value, np.generic) else value
